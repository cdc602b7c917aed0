//! Times what `serve` does on every save: load the project (bodies and
//! front matter unchanged since the last load taken from its cache) and
//! render the site's pages whose inputs changed (none here: a site in one
//! language renders no page again; any other renders every page), in-process:
//! `cargo run --release --example serve_timing -- PROJECT [ROUNDS]`.

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("a project folder"));
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut opts = orepress::pipeline::BuildOptions::new(&root);
    opts.parses = Some(std::sync::Arc::default());
    let previous = orepress::pipeline::reuse::Previous::default();
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    let mut rendered_pages = 0;
    for round in 0..=rounds {
        let t = Instant::now();
        let (mut rendered, _, _) =
            orepress::pipeline::load_and_render_site(&opts, &previous, last.as_ref())
                .expect("the project renders");
        let elapsed = t.elapsed();
        last = rendered.site_record.take();
        if round == 0 {
            println!(
                "first render: {:.1} ms, {} pages",
                ms(elapsed),
                rendered.pages
            );
        } else {
            times.push(elapsed);
            rendered_pages = rendered.pages - rendered.kept_pages.len();
        }
    }
    times.sort();
    println!(
        "render after a save that changed nothing: median {:.1} ms of {rounds} ({rendered_pages} pages rendered)",
        ms(times[times.len() / 2])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
