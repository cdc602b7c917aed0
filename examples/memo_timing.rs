//! Times the example memos and personalised copies in-process (CPU time of
//! the work itself, without process start-up):
//! `cargo run --release --example memo_timing`.

use std::path::Path;
use std::time::{Duration, Instant};

use orepress::pdf::compose::MemoLayout;
use orepress::pdf::{self, MemoFonts, Recipient};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (project, theme, _) =
        orepress::pipeline::load(root, false, None, None).expect("example loads");
    let fonts = MemoFonts::load(&theme).expect("fonts");
    // `memo_timing memos` times the memos alone (for a profiler).
    let memos_only = std::env::args().nth(1).as_deref() == Some("memos");
    let runs = if memos_only { 150 } else { 15 };
    for brief in project.briefs.iter().filter(|b| b.front.pdf) {
        let mut compose = Vec::new();
        let mut write = Vec::new();
        let mut pages = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let doc =
                pdf::compose::compose(&project, &theme, &fonts, brief, None).expect("compose");
            compose.push(t.elapsed());
            pages = doc.pages.len();
            let t = Instant::now();
            let bytes = pdf::write::write_pdf(doc).expect("write");
            write.push(t.elapsed());
            assert!(!bytes.is_empty());
        }
        println!(
            "{:32} {pages} pages  layout {:>6.2} ms  write {:>6.2} ms  (median of {runs})",
            brief.slug,
            median(compose).as_secs_f64() * 1e3,
            median(write).as_secs_f64() * 1e3
        );
    }
    if memos_only {
        return;
    }
    let brief = project
        .brief("antimony-opportunity")
        .expect("example brief");
    let mut totals = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let layout = MemoLayout::new(&project, &theme, &fonts, brief).expect("layout");
        for n in 1..=100 {
            let r = Recipient {
                name: format!("Investor {n}"),
                organization: "Example Capital".into(),
                copy_no: n,
            };
            let doc = layout.document(Some(&r)).expect("copy");
            pdf::write::write_pdf(doc).expect("write");
        }
        totals.push(t.elapsed());
    }
    println!(
        "100 copies of antimony-opportunity, one thread: {:.1} ms (median of 5)",
        median(totals).as_secs_f64() * 1e3
    );
}
