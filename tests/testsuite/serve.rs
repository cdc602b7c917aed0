//! Tests of `orepress serve`: the preview serves the built site, rebuilds
//! on change and keeps the last good build when a change is broken.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::testsuite::common::*;

/// Stops the preview server however the test ends.
struct Preview(Child);

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// GET `path`; returns (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// Polls until `f` holds (the watcher is asynchronous); generous, since
/// the test checks behaviour, not speed.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

/// Starts `orepress serve` in `dir`; returns the preview, its `host:port`
/// and its stderr.
fn start(dir: &std::path::Path) -> (Preview, String, std::process::ChildStderr) {
    let (preview, stderr, _, addr, lines) = spawn(dir, Stdio::piped());
    // The preview goes on printing (one line a rebuild): keep reading, so
    // that its output never meets a closed pipe.
    std::thread::spawn(move || for _ in lines {});
    (preview, addr, stderr.expect("stderr is piped"))
}

/// The example with `n` copies of one brief (`extra-0` …), for more
/// memos to set; returns the project and the copied brief's text.
fn example_with_copies(n: usize) -> (tempfile::TempDir, String) {
    let dir = example();
    let briefs = dir.path().join("content/briefs");
    let source = std::fs::read_to_string(briefs.join("us-buyers-export-controls.md")).unwrap();
    for i in 0..n {
        std::fs::write(briefs.join(format!("extra-{i}.md")), &source).unwrap();
    }
    (dir, source)
}

type Said = std::io::Lines<BufReader<std::process::ChildStdout>>;

/// Starts `orepress serve` in `dir` with its output read here: returns
/// the preview, what it printed before its address, its `host:port` and
/// what it prints next, line by line.
fn start_reading(dir: &std::path::Path) -> (Preview, Vec<String>, String, Said) {
    let (preview, _, before, addr, lines) = spawn(dir, Stdio::null());
    (preview, before, addr, lines)
}

/// Runs `orepress serve --port 0` in `dir`, its stderr to `stderr`, and
/// reads its output up to the address it serves at: returns the preview,
/// its stderr when piped, the lines before the address, the `host:port`
/// and the rest of its output.
fn spawn(
    dir: &std::path::Path,
    stderr: Stdio,
) -> (
    Preview,
    Option<std::process::ChildStderr>,
    Vec<String>,
    String,
    Said,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(["serve", "--port", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take();
    let preview = Preview(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut before = Vec::new();
    let url = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Serving ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
        before.push(line);
    };
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    (preview, stderr, before, addr, lines)
}

/// A page asked for under another host name (DNS rebinding: a web page
/// pointing its own name at 127.0.0.1) is refused; the preview's own
/// names are answered.
#[test]
fn preview_refuses_requests_for_other_hosts() {
    let dir = example();
    let (_preview, addr, _) = start(dir.path());
    let port = addr.rsplit(':').next().unwrap().to_string();
    let ask = |host: &str| {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(stream, "GET / HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        text.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(ask(&format!("evil.example:{port}")), "403");
    assert_eq!(ask("evil.example"), "403");
    assert_eq!(ask(&format!("localhost:{port}")), "200");
    assert_eq!(ask(&addr), "200");
}

/// Clients that ask for a large file and never read it once held every
/// worker of the preview: now each request has its own thread, and the
/// page still answers.
#[test]
fn slow_clients_do_not_stop_the_preview() {
    let dir = example();
    // A 12 MB picture of noise (PNG cannot compress it): larger than what
    // the kernel buffers for a client that does not read.
    let (w, h) = (2000u32, 2000u32);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    let mut x = 0x2545_F491u32;
    for _ in 0..w * h * 3 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pixels.push((x >> 24) as u8);
    }
    let mut file = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut file, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
    }
    std::fs::write(dir.path().join("content/assets/noise.png"), &file).unwrap();
    let page = dir.path().join("content/pages/noise.md");
    std::fs::write(
        &page,
        "---\ntitle: Noise\ndescription: A large picture.\n---\n![Noise](../assets/noise.png)\n",
    )
    .unwrap();
    let (_preview, addr, _) = start(dir.path());
    let (_, html) = get(&addr, "/noise/");
    let src = html
        .split("src=\"")
        .map(|s| s.split('"').next().unwrap())
        .find(|s| s.contains("noise"))
        .expect("the picture is on the page")
        .to_string();
    let path = format!(
        "/{}",
        src.split_once("://")
            .map_or(src.as_str(), |(_, r)| r.split_once('/').unwrap().1)
    );
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        stalled.push(s); // never read
    }
    std::thread::sleep(Duration::from_millis(500));
    let (status, home) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("</html>"));
    drop(stalled);
}

#[test]
fn preview_serves_rebuilds_on_change_and_survives_a_broken_edit() {
    let dir = example();
    let (preview, addr, stderr) = start(dir.path());
    let url = format!("http://{addr}/");

    // The home page, with links pointing at the preview and the reload hook.
    let (status, home) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Pakistan Critical Minerals"), "{home}");
    assert!(
        home.contains(&format!("href=\"{url}")),
        "links use the preview URL"
    );
    assert!(home.contains("/__orepress/version"));
    // The memo is served too; the project outside the site is not.
    let (status, pdf) = get(&addr, "/memos/antimony-opportunity.pdf");
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF-"));
    assert_eq!(get(&addr, "/../content/site.yaml").0, 404);
    assert_eq!(get(&addr, "/no-such-page/").0, 404);
    assert_eq!(get(&addr, "/__orepress/version").1, "1");

    let other_memo = get(&addr, "/memos/us-buyers-export-controls.pdf");
    assert!(other_memo.1.starts_with("%PDF-"));

    // An edit is rebuilt and served.
    let brief = dir.path().join("content/briefs/antimony-opportunity.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    let edited: String = text
        .lines()
        .map(|line| {
            if line.starts_with("title:") {
                "title: \"Preview edit works\"\n".to_string()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert_ne!(edited, text);
    std::fs::write(&brief, edited).unwrap();
    eventually("the rebuild after an edit", || {
        // A save may reach the watcher as more than one burst of events:
        // at least one rebuild, and the page shows the edit.
        get(&addr, "/__orepress/version")
            .1
            .parse::<u64>()
            .unwrap_or(0)
            >= 2
            && get(&addr, "/briefs/antimony-opportunity/")
                .1
                .contains("Preview edit works")
    });
    let (_, page) = get(&addr, "/briefs/antimony-opportunity/");
    assert!(page.contains("Preview edit works"));
    // The edited brief's memo is set again; the others are served as they
    // were, taken from the last render.
    eventually("the edited memo", || {
        let (status, pdf) = get(&addr, "/memos/antimony-opportunity.pdf");
        status == 200 && pdf.contains("Preview edit works")
    });
    assert_eq!(
        get(&addr, "/memos/us-buyers-export-controls.pdf"),
        other_memo
    );
    // A save of the same size that keeps the file's date (a tool restoring
    // dates, a second save in the same clock tick) is served too.
    let was = std::fs::metadata(&brief).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&brief).unwrap();
    let same_size = text.replace("Preview edit works", "Preview edit WORKS");
    assert_eq!(same_size.len(), text.len());
    std::fs::write(&brief, same_size).unwrap();
    let file = std::fs::File::options().write(true).open(&brief).unwrap();
    file.set_modified(was).unwrap();
    drop(file);
    eventually("the same-size edit", || {
        get(&addr, "/briefs/antimony-opportunity/")
            .1
            .contains("Preview edit WORKS")
    });

    // A broken edit: the pages show the problem where it is, as the
    // terminal prints it, and reload; files of the last good build stay.
    let deal = dir.path().join("content/deals/ussm-fwo-mou.yaml");
    let good = std::fs::read_to_string(&deal).unwrap();
    let before: u64 = get(&addr, "/__orepress/version").1.parse().unwrap();
    std::fs::write(&deal, "title: [unclosed\n").unwrap();
    eventually("the pages to show the problem", || {
        get(&addr, "/__orepress/version")
            .1
            .parse::<u64>()
            .unwrap_or(0)
            > before
            && get(&addr, "/briefs/antimony-opportunity/").0 == 500
    });
    let (status, page) = get(&addr, "/briefs/antimony-opportunity/");
    assert_eq!(status, 500);
    assert!(page.contains("content/deals/ussm-fwo-mou.yaml:"), "{page}");
    assert!(
        page.contains("/__orepress/version"),
        "the overlay reloads itself"
    );
    let (status, pdf) = get(&addr, "/memos/antimony-opportunity.pdf");
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF-"));
    // Fixed: the pages are back.
    std::fs::write(&deal, good).unwrap();
    eventually("the fix to be served", || {
        get(&addr, "/briefs/antimony-opportunity/").0 == 200
    });
    drop(preview);
    let mut err = String::new();
    BufReader::new(stderr).read_to_string(&mut err).unwrap();
    assert!(err.contains("content/deals/ussm-fwo-mou.yaml:"), "{err}");
    assert!(err.contains("still serving the last good build"), "{err}");
}

/// A project that has a problem from the start is still previewed: every
/// page shows the problem, located, until a save fixes it.
#[test]
fn preview_of_a_broken_project_shows_its_problems_until_fixed() {
    let dir = example();
    let deal = dir.path().join("content/deals/ussm-fwo-mou.yaml");
    let good = std::fs::read_to_string(&deal).unwrap();
    std::fs::write(&deal, good.replacen("title:", "titel:", 1)).unwrap();
    let (_preview, addr, _stderr) = start(dir.path());
    let (status, page) = get(&addr, "/");
    assert_eq!(status, 500);
    assert!(
        page.contains("content/deals/ussm-fwo-mou.yaml:1:1: unknown field `titel`"),
        "{page}"
    );
    std::fs::write(&deal, good).unwrap();
    eventually("the fixed project to be served", || {
        get(&addr, "/").0 == 200
    });
}

/// A project never built is served page first: the preview answers once
/// the pages are rendered, their links to the memos in place, and a memo
/// asked for while the memos are being set is waited for, not missing.
#[test]
fn preview_serves_pages_before_memos_and_waits_for_a_memo() {
    // More memos to set, so that they are still being set when asked for.
    let (dir, _) = example_with_copies(12);
    let (_preview, before, addr, mut lines) = start_reading(dir.path());
    assert!(
        before
            .iter()
            .any(|l| l.starts_with("Rendered ") && l.contains(" pages in ")),
        "{before:?}"
    );
    assert!(
        !before.iter().any(|l| l.contains(" memos ")),
        "the memos are set after the preview is serving: {before:?}"
    );
    let (status, page) = get(&addr, "/briefs/extra-7/");
    assert_eq!(status, 200);
    assert!(
        page.contains("memos/extra-7.pdf"),
        "the page links its memo"
    );
    let (status, pdf) = get(&addr, "/memos/extra-7.pdf");
    assert_eq!(status, 200, "the memo is waited for");
    assert!(pdf.starts_with("%PDF-"));
    let set = lines.next().expect("serve said the memos are set").unwrap();
    assert!(set.starts_with("Set 17 memos (0 unchanged)"), "{set}");
    assert_eq!(get(&addr, "/memos/no-such-memo.pdf").0, 404);
}

/// A save while the memos are still being set is rendered at once: the
/// memos of the render it replaces stop, and those of the new one are set
/// after its pages are served.
#[test]
fn a_save_while_memos_are_set_is_served_without_waiting_for_them() {
    // Enough memos that setting them all takes far longer than a save
    // takes to be noticed and rendered.
    let (dir, source) = example_with_copies(60);
    let (_preview, _, addr, mut lines) = start_reading(dir.path());
    let brief = dir.path().join("content/briefs/extra-3.md");
    let title = "title: US buyers and China's antimony export controls";
    assert!(source.contains(title));
    std::fs::write(
        &brief,
        source.replacen(title, "title: Saved while setting", 1),
    )
    .unwrap();
    // What the preview says next, in order: the save's pages, then the
    // memos of that render (all 65, none of the first render's left).
    let said: Vec<String> = lines
        .by_ref()
        .map_while(Result::ok)
        .filter(|l| l.starts_with("Rebuilt ") || l.starts_with("Set "))
        .take(2)
        .collect();
    assert!(said[0].starts_with("Rebuilt "), "{said:?}");
    assert!(said[1].starts_with("Set 65 memos"), "{said:?}");
    let (_, page) = get(&addr, "/briefs/extra-3/");
    assert!(page.contains("Saved while setting"), "{page}");
    let (status, pdf) = get(&addr, "/memos/extra-3.pdf");
    assert_eq!(status, 200);
    assert!(pdf.contains("Saved while setting"));
}

/// What a save is to render again.
enum Want {
    /// These pages alone.
    Pages(usize),
    /// Some pages, not all.
    Part,
    /// Every page.
    All,
}

/// The site files of a render of `dir` (`serve`'s), by path under `site/`;
/// with `last`, only what changed since is rendered and the rest taken
/// from `before`. Returns the files, whether the render was partial, how
/// many pages it rendered, and its record.
fn rerender(
    opts: &orepress::pipeline::BuildOptions,
    last: Option<&orepress::pipeline::SiteRecord>,
    before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> (
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    bool,
    usize,
    Option<orepress::pipeline::SiteRecord>,
) {
    let none = orepress::pipeline::reuse::Previous::default();
    let (rendered, _, _) =
        orepress::pipeline::load_and_render_site(opts, &none, last).expect("the project renders");
    let mut files = std::collections::BTreeMap::new();
    let mut pages = 0;
    for a in rendered.artifacts {
        if let Ok(rel) = a.path.strip_prefix("site") {
            pages += usize::from(rel.extension().is_some_and(|e| e == "html"));
            files.insert(rel.to_path_buf(), a.bytes);
        }
    }
    let partial = !rendered.kept_pages.is_empty();
    for kept in rendered.kept_pages {
        let bytes = before
            .get(&kept)
            .expect("a kept page was rendered last time");
        assert!(
            files.insert(kept, bytes.clone()).is_none(),
            "kept and rendered"
        );
    }
    (files, partial, pages, rendered.site_record)
}

#[test]
fn a_save_renders_the_pages_whose_inputs_changed_and_the_site_is_as_rendered_whole() {
    // The feed with each brief's summary, then with its whole text (taken
    // from the last render for the briefs that did not change).
    for full_feed in [false, true] {
        edits_render_as_a_whole_render_does(full_feed);
    }
}

fn edits_render_as_a_whole_render_does(full_feed: bool) {
    use std::fs;
    // A site in one language, whose pages are final as rendered.
    let dir = example();
    let root = dir.path();
    let site = root.join("content/site.yaml");
    let mut text = fs::read_to_string(&site)
        .unwrap()
        .replace("languages: [en, ur]", "languages: [en]");
    if full_feed {
        text.push_str("\nfeed:\n  full_content: true\n");
    }
    // Lists in pages of three cards: a card is on one of them.
    text.push_str("\npaginate_by: 3\n");
    fs::write(&site, text).unwrap();
    fs::remove_file(root.join("content/briefs/antimony-opportunity.ur.md")).unwrap();
    // A brief's page that lists the briefs citing its deals, as a theme
    // may (the default one does not).
    let templates = root.join("templates");
    fs::create_dir_all(&templates).unwrap();
    let base = fs::read_to_string(repo().join("themes/default/templates/brief.html")).unwrap();
    let listing = "{% for d in brief.deals %}<ul class=\"citing\">{% for b in d.briefs %}\
                   <li>{{ b.title }}</li>{% endfor %}</ul>{% endfor %}\n{% endblock main %}";
    fs::write(
        templates.join("brief.html"),
        base.replacen("{% endblock main %}", listing, 1),
    )
    .unwrap();
    // Older briefs besides: a card's change leaves most pages as they
    // are. Note 3 cites a deal the edited brief cites (the deal's list of
    // briefs is on its page).
    for i in 1..=8 {
        let deals = if i == 3 {
            "deals: [ussm-fwo-mou]\n"
        } else {
            ""
        };
        fs::write(
            root.join(format!("content/briefs/note-{i}.md")),
            format!(
                "---\ntitle: Field note {i}\nsummary: A short note.\ndate: 2024-0{i}-01\n\
                 {deals}tags: [notes]\n---\nA few words of note {i}.\n"
            ),
        )
        .unwrap();
    }
    let mut opts = orepress::pipeline::BuildOptions::new(root);
    opts.parses = Some(std::sync::Arc::default());
    let fresh = orepress::pipeline::BuildOptions::new(root);

    let (mut files, partial, pages, mut record) = rerender(&opts, None, &Default::default());
    assert!(!partial && pages > 20, "{pages}");
    assert!(record.is_some(), "a site in one language is recorded");

    let brief = root.join("content/briefs/us-buyers-export-controls.md");
    let edit = |path: &std::path::Path, f: &dyn Fn(String) -> String| {
        let text = fs::read_to_string(path).unwrap();
        fs::write(path, f(text)).unwrap();
    };
    let many_words = format!("\n\n{}\n", "More words here. ".repeat(400));
    // (what is edited, the edit, how many pages it renders)
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>, Want);
    let edits: Vec<Edit> = vec![
        (
            "a sentence added to a brief",
            Box::new(|| edit(&brief, &|t| t + "\nOne more sentence.\n")),
            Want::Pages(1),
        ),
        ("nothing", Box::new(|| {}), Want::Pages(0)),
        (
            "a footnote's text",
            Box::new(|| {
                edit(&brief, &|t| {
                    t + "\nSee the note.[^z]\n\n[^z]: A new note.\n"
                })
            }),
            Want::Pages(1),
        ),
        (
            "a brief's reading time",
            Box::new(|| edit(&brief, &|t| t + &many_words)),
            Want::Part,
        ),
        (
            "a brief's title",
            Box::new(|| {
                edit(&brief, &|t| {
                    t.replacen("title: US buyers", "title: American buyers", 1)
                })
            }),
            Want::Part,
        ),
        (
            "a brief's tags and deals",
            Box::new(|| {
                edit(&brief, &|t| {
                    let t = t.replacen("tags: [", "tags: [new tag, ", 1);
                    t.replacen("deals: [", "deals: [nlc-mota-engil-mou, ", 1)
                })
            }),
            Want::Part,
        ),
        (
            "the tag and deal taken off again",
            Box::new(|| {
                edit(&brief, &|t| {
                    let t = t.replacen("tags: [new tag, ", "tags: [", 1);
                    t.replacen("deals: [nlc-mota-engil-mou, ", "deals: [", 1)
                })
            }),
            Want::Part,
        ),
        (
            "a deal",
            Box::new(|| {
                edit(&root.join("content/deals/ussm-fwo-mou.yaml"), &|t| {
                    t.replacen("title:", "title: Revised", 1)
                })
            }),
            Want::All,
        ),
        (
            "a template",
            Box::new(|| {
                let dir = root.join("templates");
                fs::create_dir_all(&dir).unwrap();
                let base = repo().join("themes/default/templates/brief.html");
                let t = fs::read_to_string(base).unwrap();
                fs::write(
                    dir.join("brief.html"),
                    t.replacen("<article", "<article data-x=\"1\"", 1),
                )
                .unwrap();
            }),
            Want::All,
        ),
        (
            "the share picture",
            Box::new(|| {
                fs::copy(
                    repo().join("tests/fixtures/minimal/content/assets/chart.png"),
                    root.join("content/assets/share-card.png"),
                )
                .unwrap();
            }),
            Want::All,
        ),
        (
            "a new brief",
            Box::new(|| {
                let text = fs::read_to_string(&brief).unwrap();
                let copy = text.replacen("title: ", "slug: second-look\ntitle: Second look, ", 1);
                fs::write(root.join("content/briefs/second-look.md"), copy).unwrap();
            }),
            Want::All,
        ),
        (
            "the new brief's body",
            Box::new(|| {
                edit(&root.join("content/briefs/second-look.md"), &|t| {
                    t + "\nA last word.\n"
                })
            }),
            Want::Pages(1),
        ),
        (
            "a brief removed",
            Box::new(|| fs::remove_file(root.join("content/briefs/second-look.md")).unwrap()),
            Want::All,
        ),
    ];
    let all = pages;
    for (what, apply, want) in edits {
        apply();
        let (now, partial, pages, next) = rerender(&opts, record.as_ref(), &files);
        match want {
            Want::Pages(n) => {
                assert!(partial || n == 0, "{what}: rendered whole");
                assert_eq!(pages, n, "{what}: pages rendered");
            }
            Want::Part => assert!(partial && pages < all, "{what}: {pages} of {all} pages"),
            Want::All => assert!(!partial, "{what}: rendered in part"),
        }
        // Byte for byte what a render of the whole site gives.
        let (whole, _, _, _) = rerender(&fresh, None, &Default::default());
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            whole.keys().collect::<Vec<_>>(),
            "{what}: files"
        );
        for (path, bytes) in &whole {
            assert!(now[path] == *bytes, "{what}: {} differs", path.display());
        }
        files = now;
        record = next;
    }
}

/// Clients that open connections and never finish a request use up the
/// preview's file descriptors: the HTTP server's accept thread then
/// panicked (printing a backtrace) and the preview never answered again.
/// It restarts instead, answering once the clients have gone.
#[cfg(target_os = "linux")]
#[test]
fn a_preview_out_of_file_descriptors_answers_again_once_clients_leave() {
    use std::os::unix::process::CommandExt;
    let dir = example();
    let mut command = Command::new(env!("CARGO_BIN_EXE_orepress"));
    command
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the
    // parent.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 200,
                rlim_max: 200,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let preview = Preview(child);
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Serving ") {
            let url = rest.split_whitespace().next().unwrap();
            break url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let mut idle = Vec::new();
    for _ in 0..400 {
        let Ok(mut s) = TcpStream::connect(&addr) else {
            break;
        };
        if write!(s, "GET / HTTP/1.1\r\nHost: {addr}\r\n").is_err() {
            break;
        }
        idle.push(s);
    }
    std::thread::sleep(Duration::from_millis(1500));
    drop(idle);
    // Fallible: while the preview restarts, a connection may be refused
    // or reset.
    let answers = || -> std::io::Result<bool> {
        let mut s = TcpStream::connect(&addr)?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(s, "GET / HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        Ok(raw.starts_with(b"HTTP/1.1 200") || raw.starts_with(b"HTTP/1.0 200"))
    };
    eventually("the preview to answer again", || answers().unwrap_or(false));
    drop(preview);
    let mut said = String::new();
    stderr.read_to_string(&mut said).unwrap();
    assert!(!said.contains("panicked"), "{said}");
}

/// `content/` removed and made again (a branch switched, a backup
/// restored) and `templates/` made while the preview runs: edits in them
/// are rendered. The watch on the removed folder saw nothing of the new
/// one, and a folder missing at the start was never watched, so the
/// preview went on serving the old pages until restarted.
#[test]
fn folders_made_again_or_made_later_are_watched() {
    let dir = example();
    let p = dir.path();
    let (_preview, addr, _stderr) = start(p);
    assert_eq!(get(&addr, "/").0, 200);
    let aside = tempfile::tempdir().unwrap();
    let kept = aside.path().join("content");
    copy_dir(&p.join("content"), &kept);
    std::fs::remove_dir_all(p.join("content")).unwrap();
    eventually("the preview to notice content/ gone", || {
        get(&addr, "/").0 == 500
    });
    copy_dir(&kept, &p.join("content"));
    eventually("the pages of the restored content", || {
        get(&addr, "/").0 == 200
    });
    let site = p.join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let renamed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("title:") {
                "title: \"Renamed After Restore\"\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(renamed, text);
    std::fs::write(&site, renamed).unwrap();
    eventually("an edit in the restored content/", || {
        get(&addr, "/").1.contains("Renamed After Restore")
    });
    assert!(!p.join("templates").exists());
    std::fs::create_dir(p.join("templates")).unwrap();
    std::fs::write(
        p.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Made later</p>{% endblock main %}",
    )
    .unwrap();
    eventually("a template in a templates/ made later", || {
        get(&addr, "/about/").1.contains("Made later")
    });
}
