//! Pathological bodies (a heading of a hundred thousand words, a run of
//! symbols with a break opportunity after each, thousands of unmatched
//! brackets, a long link target, a million paragraphs, a megabyte-long
//! word) are set or refused in bounded work: a
//! watchdog kills a build that runs past a minute and a half. Before, work
//! grew with the square of the heading or of the token, and these took from
//! minutes to hours (a 40 KB heading alone: 15 s and 3.4 GB).

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::testsuite::common::*;

const FRONT: &str = "summary: Bounded work.\ndate: 2025-11-01\nauthor: ana\n---\n";

fn brief(dir: &Path, slug: &str, title: &str, body: &str) {
    fs::write(
        dir.join(format!("content/briefs/{slug}.md")),
        format!("---\ntitle: {title}\n{FRONT}{body}"),
    )
    .unwrap();
}

const LIMIT: Duration = Duration::from_secs(90);

#[test]
fn pathological_bodies_are_set_in_bounded_work() {
    let dir = fixture("minimal");
    let p = dir.path();
    // A heading of a hundred thousand words is refused at once (it was
    // set, in 656 MB for a million words).
    brief(
        p,
        "alpha",
        "Heading",
        &format!("# {}\n\nText.\n", "word ".repeat(100_000)),
    );
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/alpha.md:7:1: heading of 499999 characters (at most 500)"),
        "{err}"
    );
    // The cover's contents shorten each heading to its column: word by
    // word, that measured the heading once per word.
    brief(
        p,
        "alpha",
        "Heading",
        &format!("# {}\n\nText.\n", "word ".repeat(99)),
    );
    // UAX #14 breaks after every `$`: each break looked for its token's
    // ends and judged the whole token again.
    brief(
        p,
        "dollars",
        "Dollars",
        &format!("{}\n", "$".repeat(300_000)),
    );
    // Brackets that open no link: one token of 120,000 characters.
    brief(
        p,
        "brackets",
        "Brackets",
        &format!("{}x{}\n", "[".repeat(60_000), "](u)".repeat(60_000)),
    );
    let Some((code, err)) = run_within(p, &["build", "--quiet", "--pdf-only", "--fresh"], LIMIT)
    else {
        panic!("the build ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let text = |slug: &str| {
        let memo = p.join(format!("output/memos/{slug}.pdf"));
        assert!(memo.is_file(), "{} is missing", memo.display());
        pdftotext(&memo, &[]).map(|t| flat(&t))
    };
    if let Some(t) = text("alpha") {
        // The heading is set in full in the body, and shortened with an
        // ellipsis in the cover's contents.
        assert!(t.matches("word").count() >= 99, "the heading is cut");
        assert!(t.contains("word word…"), "no shortened contents entry");
    }
    if let Some(t) = text("dollars") {
        assert_eq!(t.matches('$').count(), 300_000);
    }
    if let Some(t) = text("brackets") {
        // The innermost pair is a link; the others stay as typed.
        assert!(
            t.matches('[').count() >= 59_999,
            "{}",
            t.matches('[').count()
        );
    }
}

#[test]
fn a_link_target_longer_than_4096_bytes_is_a_located_error() {
    let dir = fixture("minimal");
    let p = dir.path();
    // Written again on every line the link spans, a 100 KB target made
    // the memo take half a gigabyte.
    let url = format!("https://a.example/{}", "x".repeat(100_000));
    brief(
        p,
        "alpha",
        "Long link",
        &format!("Intro.\n\nSee <{url}> now.\n"),
    );
    let Some((code, err)) = run_within(p, &["build", "--quiet"], LIMIT) else {
        panic!("the build ran past {LIMIT:?}");
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/alpha.md:9:5: link target `https://a.example/xxx")
            && err.contains("is longer than 4096 bytes"),
        "{err}"
    );
    assert!(!p.join("output").exists(), "nothing is written");
    // A target of 4,000 bytes is a link like any other.
    let url = format!("https://a.example/{}", "x".repeat(4000));
    brief(
        p,
        "alpha",
        "Long link",
        &format!("Intro.\n\nSee <{url}> now.\n"),
    );
    let (code, err) = run_within(p, &["build", "--quiet"], LIMIT).expect("in time");
    assert_eq!(code, 0, "{err}");
    // In YAML, a deal source's address is held to the same limit.
    let deal = p.join("content/deals/nlc-mota-mou.yaml");
    let yaml = fs::read_to_string(&deal).unwrap();
    let long = format!("https://example.org/{}", "y".repeat(5000));
    fs::write(&deal, yaml.replace("https://example.org/news/nlc", &long)).unwrap();
    let check = orepress(p, &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let err = stderr(&check);
    assert!(
        err.contains("content/deals/nlc-mota-mou.yaml:4:5: sources[0]: URL")
            && err.contains("longer than 4096 bytes"),
        "{err}"
    );
}

#[test]
fn a_front_matter_line_of_megabytes_is_refused_at_once() {
    let dir = fixture("minimal");
    let p = dir.path();
    // The scan before YAML parsing counted the column of every character
    // from the line's start: a 500 KB line took 5 s, this one minutes.
    let summary = "Antimony ore from Chagai. ".repeat(160_000);
    fs::write(
        p.join("content/briefs/alpha.md"),
        format!(
            "---\ntitle: Alpha\nsummary: \"{}\"\ndate: 2025-11-01\nauthor: ana\n---\nText.\n",
            summary.trim_end()
        ),
    )
    .unwrap();
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/alpha.md:3:1: `summary` is 4159999 characters long"),
        "{err}"
    );
}

/// Twenty thousand headings of one text, each linked to from the text and
/// with a footnote: their ids (`same`, `same-2`, …) were found by trying
/// every number against every id given (the cube of the count: hours),
/// and each of the memo's links looked its place up in a list of them all.
#[test]
fn repeated_headings_and_cross_references_are_set_in_bounded_work() {
    let dir = fixture("minimal");
    let p = dir.path();
    let n = 20_000;
    let body: String = (1..=n)
        .map(|i| {
            let id = if i == 1 {
                "same".to_string()
            } else {
                format!("same-{i}")
            };
            format!("## Same\n\nSee [back](#{id}) and a note.[^n{i}]\n\n[^n{i}]: Note {i}.\n\n")
        })
        .collect();
    brief(p, "alpha", "Headings", &body);
    let Some((code, err)) = run_within(p, &["build", "--quiet", "--fresh"], LIMIT) else {
        panic!("the build ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let page = fs::read_to_string(p.join("output/site/briefs/alpha/index.html")).unwrap();
    let ids: std::collections::HashSet<&str> = page
        .split("<h2 id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|id| id.starts_with("same"))
        .collect();
    assert_eq!(ids.len(), n, "heading ids are not unique");
    assert!(ids.contains("same") && ids.contains("same-2") && ids.contains("same-20000"));
    let memo = p.join("output/memos/alpha.pdf");
    if let Some(t) = pdftotext(&memo, &["-l", "3"]) {
        assert!(flat(&t).contains("See back and a note."), "{}", flat(&t));
    }
}

/// Thirty thousand headings one after another, each kept with what
/// follows: the chain was measured by recursion (the stack overflowed and
/// the binary aborted) and, taller than a page, put every heading on a
/// page of its own.
#[test]
fn a_chain_of_headings_longer_than_a_page_flows_on() {
    let dir = fixture("minimal");
    let p = dir.path();
    let n = 30_000;
    let body: String = (0..n).map(|i| format!("## Part {i}\n")).collect();
    brief(p, "alpha", "Headings", &body);
    let Some((code, err)) = run_within(p, &["build", "--quiet", "--pdf-only", "--fresh"], LIMIT)
    else {
        panic!("the build ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let pdf = lopdf::Document::load(p.join("output/memos/alpha.pdf")).unwrap();
    let pages = pdf.get_pages().len();
    assert!(
        pages < n / 5,
        "{pages} pages for {n} headings: a page holds many of them"
    );
    if let Some(t) = pdftotext(
        &p.join("output/memos/alpha.pdf"),
        &["-f", "100", "-l", "100"],
    ) {
        assert!(t.matches("Part").count() >= 5, "page 100: {t}");
    }
}

/// Ten thousand links to headings that are not there, under ten thousand
/// headings: each link's "did you mean" compared it with every heading
/// (20 s in a release build). Every link is still reported; the first
/// twenty get the heading meant.
#[test]
fn many_links_to_missing_headings_are_reported_in_bounded_work() {
    let dir = fixture("minimal");
    let p = dir.path();
    let n = 10_000;
    let body: String = (0..n)
        .map(|i| format!("## Heading {i}\n\nSee [it](#headng-{i}).\n\n"))
        .collect();
    brief(p, "alpha", "Links", &body);
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("warning: link to `#headng-").count(),
        n,
        "every link is reported"
    );
    assert!(
        err.contains("link to `#headng-0`: no heading of this text has that id\n  hint: did you mean `#heading-0`?"),
        "{}",
        &err[..err.len().min(600)]
    );
    assert_eq!(err.matches("did you mean `#heading-").count(), 20);
}

/// Thirty thousand problems on one line of 200 KB: each problem's column
/// was counted from the start of its line, a pass over the line each (100,000
/// of them took 9 s in a release build). Each is now located from the one
/// before, and every one at its own column.
#[test]
fn many_problems_on_one_long_line_are_located_in_bounded_work() {
    let dir = fixture("minimal");
    let p = dir.path();
    let n = 30_000;
    let body: String = (0..n).map(|i| format!("w[^n{i}] ")).collect();
    brief(p, "alpha", "Marks", &format!("{body}\n"));
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let cols: Vec<usize> = err
        .lines()
        .filter(|l| l.contains("warning: note mark `[^n"))
        .map(|l| l.split(':').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(cols.len(), n, "every mark is reported");
    // `w[^nI] ` marks: the mark starts one character into each.
    let mut col = 1;
    for (i, got) in cols.iter().enumerate() {
        assert_eq!(*got, col + 1, "mark {i}");
        col += format!("w[^n{i}] ").chars().count();
    }
}

/// A named pipe where a project file is expected made every read of it
/// wait for a writer: `check` and `build` hung for ever on a pipe named
/// `content/site.yaml`, and a build hung on one left in the previous
/// output. A pipe where content, a theme or a template is read is now
/// refused at once, by name; in the previous output, it is replaced.
#[cfg(unix)]
#[test]
fn named_pipes_are_refused_without_waiting() {
    let limit = Duration::from_secs(30);
    let cases = [
        "content/site.yaml",
        "content/briefs/piped.md",
        "content/deals/piped.yaml",
        "content/assets/piped.png",
        "themes/default/static/piped.css",
        "templates/piped.html",
    ];
    for rel in cases {
        let dir = fixture("minimal");
        let p = dir.path();
        let at = p.join(rel);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&at);
        pipe_at(&at);
        for command in ["check", "build"] {
            let Some((code, err)) = run_within(p, &[command], limit) else {
                panic!("{command} with a pipe at {rel} ran past {limit:?}");
            };
            assert_eq!(code, 1, "{rel} {command}: {err}");
            assert!(
                err.contains(&format!("{rel}: is a named pipe, not a regular file")),
                "{rel} {command}: {err}"
            );
            // Found and refused: not also "missing".
            assert!(err.contains("1 problem found"), "{rel} {command}: {err}");
        }
        assert!(!p.join("output").exists(), "{rel}: something was written");
    }
    // A pipe in place of a page of the previous output: the build does
    // not read it to compare, and writes the page in its place.
    let dir = fixture("minimal");
    let p = dir.path();
    build(p, &["--site-only"]);
    let page = p.join("output/site/index.html");
    fs::remove_file(&page).unwrap();
    pipe_at(&page);
    let Some((code, err)) = run_within(p, &["build", "--quiet", "--site-only"], limit) else {
        panic!("the build over a piped page ran past {limit:?}");
    };
    assert_eq!(code, 0, "{err}");
    assert!(page.is_file(), "the page is a file again");
    assert!(fs::read_to_string(&page).unwrap().contains("<html"));
}

/// Emacs marks a file being edited with a link named `.#file` that points
/// nowhere; a build run meanwhile (by `serve`, say) failed on it with "No
/// such file or directory". Hidden entries are passed over, links or not.
#[cfg(unix)]
#[test]
fn an_editors_lock_link_is_passed_over() {
    let dir = fixture("minimal");
    let p = dir.path();
    std::os::unix::fs::symlink(
        "ana@desk.4242:1733560000",
        p.join("content/briefs/.#alpha.md"),
    )
    .unwrap();
    let Some((code, err)) = run_within(p, &["build", "--quiet"], Duration::from_secs(60)) else {
        panic!("the build ran past a minute");
    };
    assert_eq!(code, 0, "{err}");
    assert!(p.join("output/site/index.html").is_file());
}

/// A theme's font or static file of gigabytes is refused by its size, not
/// read: a 3 GB font was read whole into memory and the build went on, a
/// 2 GB static file took 4.2 GB and six seconds to publish.
#[test]
fn oversized_theme_files_are_refused_unread() {
    for (file, what) in [
        (
            "fonts/NotoMono-Regular.ttf",
            "a theme's fonts are limited to 64 MiB",
        ),
        (
            "static/film.mp4",
            "a theme's static files are limited to 32 MiB",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = orepress(dir.path(), &["new", "p"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let p = dir.path().join("p");
        // Sparse: gigabytes that take no room on the disk.
        let f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p.join("themes/default").join(file))
            .unwrap();
        f.set_len(3 << 30).unwrap();
        for cmd in ["check", "build"] {
            let Some((code, err)) = run_within(&p, &[cmd], LIMIT) else {
                panic!("{cmd} ran past {LIMIT:?}");
            };
            assert_eq!(code, 1, "{cmd} {file}: {err}");
            assert!(
                err.contains(&format!(
                    "themes/default/{file}: file is too large (3221225472 bytes; {what})"
                )),
                "{cmd} {file}: {err}"
            );
        }
        assert!(!p.join("output").exists());
    }
}

/// A theme template whose loops multiply (every brief inside a loop over
/// every brief, or here ten billion turns) is stopped once a page passes
/// 16 MiB, with the page's template named: it ran, filling memory, until
/// killed.
#[test]
fn a_runaway_template_loop_is_stopped_at_a_page_limit() {
    let dir = tempfile::tempdir().unwrap();
    let out = orepress(dir.path(), &["new", "p"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = dir.path().join("p");
    let base = p.join("themes/default/templates/base.html");
    let loops = format!(
        "{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{}{{% endfor %}}{{% endfor %}}</body>",
        "x".repeat(200)
    );
    let html = fs::read_to_string(&base)
        .unwrap()
        .replace("</body>", &loops);
    fs::write(&base, html).unwrap();
    for cmd in ["check", "build"] {
        let Some((code, err)) = run_within(&p, &[cmd], LIMIT) else {
            panic!("{cmd} ran past {LIMIT:?}");
        };
        assert_eq!(code, 1, "{cmd}: {err}");
        assert!(
            err.contains("writes more than 16 MiB for one page"),
            "{cmd}: {err}"
        );
        assert!(err.contains("themes/default/templates/"), "{cmd}: {err}");
    }
    assert!(!p.join("output").exists());

    // Loops that write nothing never reach the page limit: the numbers
    // `range` makes for one page are counted instead (this ran for hours).
    fs::write(
        &base,
        fs::read_to_string(&base)
            .unwrap()
            .replace(&loops, "</body>"),
    )
    .unwrap();
    fs::create_dir_all(p.join("templates")).unwrap();
    fs::write(
        p.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block main %}\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}{% endblock main %}",
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let Some((code, err)) = run_within(&p, &[cmd], LIMIT) else {
            panic!("{cmd} ran past {LIMIT:?}");
        };
        assert_eq!(code, 1, "{cmd}: {err}");
        assert!(
            err.contains("templates/page.html:2:")
                && err.contains("`range` would make more than 1000000 numbers for one page"),
            "{cmd}: {err}"
        );
    }
    assert!(!p.join("output").exists());
    // Within the budget, `range` counts as Tera's does.
    fs::write(
        p.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block main %}<p id=r>{% for i in range(end=4) %}{{ i }},{% endfor %}{% for i in range(start=10, end=0, step_by=-3) %}{{ i }};{% endfor %}{% for i in range(start=3, end=3) %}x{% endfor %}</p>{% endblock main %}",
    )
    .unwrap();
    let Some((code, err)) = run_within(&p, &["build", "--quiet"], LIMIT) else {
        panic!("build ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let about = fs::read_to_string(p.join("output/site/about/index.html")).unwrap();
    assert!(about.contains("<p id=r>0,1,2,3,10;7;4;1;</p>"), "{about}");
}

/// YAML that expands far past its text: a flat list of aliases to one
/// large mapping (6 GB from 450 KB before), in a data table no brief uses
/// and in the settings; and `site.yaml` nested a hundred thousand levels
/// deep, which the early read of the theme's name parsed unchecked (over
/// a minute). Each is a located error, at once.
#[test]
fn yaml_that_expands_or_nests_past_its_text_is_refused_at_its_place() {
    let dir = fixture("minimal");
    let p = dir.path();
    let map: Vec<String> = (0..300).map(|i| format!("k{i}: v")).collect();
    let bomb = format!(
        "r: &r {{{}}}\nl:\n{}",
        map.join(", "),
        "  - *r\n".repeat(50_000)
    );
    fs::create_dir_all(p.join("content/data")).unwrap();
    fs::write(p.join("content/data/bomb.yaml"), &bomb).unwrap();
    for args in [&["check"][..], &["build", "--quiet"]] {
        let Some((code, err)) = run_within(p, args, LIMIT) else {
            panic!("{args:?} ran past {LIMIT:?}");
        };
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("content/data/bomb.yaml:3:5: YAML aliases here repeat more than"),
            "{err}"
        );
    }
    fs::remove_file(p.join("content/data/bomb.yaml")).unwrap();

    let site = fs::read_to_string(p.join("content/site.yaml")).unwrap();
    fs::write(
        p.join("content/site.yaml"),
        format!(
            "{site}extra:\n  r: &r {{{}}}\n  l:\n{}",
            map.join(", "),
            "    - *r\n".repeat(50_000)
        ),
    )
    .unwrap();
    let line = site.lines().count() + 4;
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "content/site.yaml:{line}:7: YAML aliases here repeat"
        )),
        "{err}"
    );

    let deep = 100_000;
    fs::write(
        p.join("content/site.yaml"),
        format!(
            "{site}extra: {}1{}\n",
            "{a: ".repeat(deep),
            "}".repeat(deep)
        ),
    )
    .unwrap();
    let line = site.lines().count() + 1;
    let Some((code, err)) = run_within(p, &["check"], LIMIT) else {
        panic!("check ran past {LIMIT:?}");
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("content/site.yaml:{line}:")) && err.contains("nested more than 64"),
        "{err}"
    );
}

/// A brief whose own page is large (a table of 4 MB of empty cells is an
/// 18 MB page) is published: the page limit that stops a template's loop
/// gives a brief's page room for four times its HTML. It was refused as a
/// template error.
#[test]
fn a_brief_whose_page_is_large_is_published() {
    let dir = fixture("minimal");
    let p = dir.path();
    let mut rows = vec![
        format!("|{}", " a |".repeat(20)),
        format!("|{}", "---|".repeat(20)),
    ];
    let row = format!("|{}", " |".repeat(20));
    while rows.iter().map(|r| r.len() + 1).sum::<usize>() < 4_000_000 {
        rows.push(row.clone());
    }
    brief(p, "wide", "Wide", &format!("{}\n", rows.join("\n")));
    let Some((code, err)) = run_within(p, &["build", "--quiet", "--site-only"], LIMIT) else {
        panic!("the build ran past {LIMIT:?}");
    };
    assert_eq!(code, 0, "{err}");
    let page = fs::read_to_string(p.join("output/site/briefs/wide/index.html")).unwrap();
    assert!(page.len() > 16 << 20, "{} bytes", page.len());
    assert!(page.trim_end().ends_with("</html>"));
}
