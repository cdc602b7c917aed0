//! From download to published site: `orepress new` (a blank project with
//! placeholders, or the example), the deploy files it writes, the warnings
//! about placeholders left in place, and a site that works opened from disk
//! (`--relative`), checked in a real browser.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::testsuite::common::*;

/// `orepress new <name>` in a temporary folder; the project's path.
fn new_project(dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let mut all = vec!["new", "p"];
    all.extend_from_slice(args);
    let out = orepress(dir, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    dir.join("p")
}

#[test]
fn new_writes_a_blank_project_with_placeholders_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path(), &[]);
    let site = fs::read_to_string(p.join("content/site.yaml")).unwrap();
    assert!(site.contains("title: Your Firm"), "{site}");
    assert!(site.contains("base_url: https://example.com/"), "{site}");
    // Nothing of the example's subject or people.
    for (path, bytes) in snapshot(&p.join("content")) {
        let text = String::from_utf8_lossy(&bytes);
        for word in ["Pakistan", "Imlaak", "Bhatti", "USSM", "+92"] {
            assert!(!text.contains(word), "{}: {word}", path.display());
        }
    }
    // One sample brief explains the format: front matter, deals, a data
    // table, an image, internal links.
    let brief = fs::read_to_string(p.join("content/briefs/how-to-write-a-brief.md")).unwrap();
    for part in [
        "title:",
        "summary:",
        "date:",
        "author:",
        "deals: [sample-deal]",
        "tags:",
        "{{ table(data=\"sample-table\") }}",
        "](../assets/sample-picture.png)",
        "(@/deals/sample-deal.yaml)",
    ] {
        assert!(brief.contains(part), "sample brief lacks {part}");
    }
    assert!(p.join("content/deals/sample-deal.yaml").is_file());
    // The sample number is one of Ofcom's drama numbers (020 7946 0000–0999).
    let contact = fs::read_to_string(p.join("content/contacts/your-name.yaml")).unwrap();
    assert!(contact.contains("+44 20 7946 0"), "{contact}");
    assert!(contact.contains("@example.com"), "{contact}");

    let check = orepress(&p, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stdout(&check), "No problems found.\n");
    assert_eq!(stderr(&check), "", "no warnings for example.com");
    build(&p, &[]);
    let home = fs::read_to_string(p.join("output/site/index.html")).unwrap();
    assert!(home.contains("<h1>Your Firm</h1>"), "{home}");
    assert!(p.join("output/memos/how-to-write-a-brief.pdf").is_file());
    let brief_page =
        fs::read_to_string(p.join("output/site/briefs/how-to-write-a-brief/index.html")).unwrap();
    assert!(brief_page.contains("class=\"data-table\""), "table placed");
    assert!(
        brief_page.contains("<img src=\"/assets/sample-picture-"),
        "image"
    );
    assert!(
        brief_page.contains("href=\"/deals/sample-deal/\""),
        "@/ link"
    );
    assert!(brief_page.contains("tel:+442079460321"), "{brief_page}");
}

#[test]
fn new_example_writes_the_full_example() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path(), &["--example"]);
    for (path, bytes) in snapshot(&repo().join("content")) {
        assert_eq!(
            fs::read(p.join("content").join(&path)).unwrap(),
            bytes,
            "{}",
            path.display()
        );
    }
    let check = orepress(&p, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn check_warns_about_placeholders_where_they_are_for_a_real_address() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path(), &[]);
    let site_yaml = p.join("content/site.yaml");
    let site = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        site.replace(
            "base_url: https://example.com/",
            "base_url: https://someone.github.io/briefs/",
        ),
    )
    .unwrap();
    let check = orepress(&p, &["check"]);
    assert!(check.status.success(), "warnings only: {}", stderr(&check));
    let err = stderr(&check);
    // Located at the first place in each file; comments are not published.
    let contact = fs::read_to_string(p.join("content/contacts/your-name.yaml")).unwrap();
    let line = contact
        .lines()
        .position(|l| l.starts_with("name:"))
        .unwrap()
        + 1;
    for (at, what) in [
        (
            format!("content/contacts/your-name.yaml:{line}:7"),
            "placeholder `Your Name`",
        ),
        ("content/site.yaml:".to_string(), "placeholder `Your Firm`"),
        (
            "content/contacts/your-name.yaml:".to_string(),
            "placeholder `@example.com`",
        ),
        (
            "content/contacts/your-name.yaml:".to_string(),
            "placeholder `7946 0`",
        ),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&at) && l.contains("warning: ") && l.contains(what)),
            "no `{at}… {what}` in:\n{err}"
        );
    }
    assert!(
        stdout(&check).starts_with("No problems found ("),
        "{}",
        stdout(&check)
    );
    // The same for a build at a real address given on the command line.
    let site = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        site.replace("https://someone.github.io/briefs/", "https://example.com/"),
    )
    .unwrap();
    let out = orepress(
        &p,
        &[
            "build",
            "--site-only",
            "--base-url",
            "https://briefs.your-firm.co.uk/",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("placeholder `Your Firm`"),
        "{}",
        stderr(&out)
    );
    // Not for a preview on this machine.
    let out = orepress(
        &p,
        &[
            "build",
            "--site-only",
            "--base-url",
            "http://localhost:8000/",
        ],
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn new_writes_a_github_pages_workflow_that_builds_and_deploys_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path(), &[]);
    let text = fs::read_to_string(p.join(".github/workflows/pages.yml")).unwrap();
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert_eq!(wf["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(wf["permissions"]["id-token"].as_str(), Some("write"));
    // `on:` is read by YAML 1.1 parsers as a boolean key; GitHub reads it
    // as `on`. Either way it triggers on pushes to main.
    let on = wf
        .get("on")
        .or_else(|| wf.get(serde_yaml::Value::Bool(true)))
        .expect("on:");
    assert!(on["push"]["branches"]
        .as_sequence()
        .unwrap()
        .iter()
        .any(|b| b.as_str() == Some("main")));
    let steps = |job: &str| -> Vec<serde_yaml::Value> {
        wf["jobs"][job]["steps"].as_sequence().unwrap().clone()
    };
    let uses = |job: &str| -> Vec<String> {
        steps(job)
            .iter()
            .filter_map(|s| s["uses"].as_str().map(String::from))
            .collect()
    };
    let build_steps = steps("build");
    let runs: String = build_steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(runs.contains("releases/latest/download/orepress-x86_64-unknown-linux-musl.tar.gz"));
    assert!(runs.contains("$OREPRESS_REPO"), "{runs}");
    assert!(runs.contains("orepress\" build"), "{runs}");
    assert_eq!(
        wf["jobs"]["build"]["env"]["OREPRESS_REPO"].as_str(),
        Some("${{ vars.OREPRESS_REPO }}")
    );
    assert!(uses("build")
        .iter()
        .any(|u| u.starts_with("actions/checkout@")));
    let upload = build_steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .expect("upload-pages-artifact");
    assert_eq!(upload["with"]["path"].as_str(), Some("output/site"));
    assert_eq!(wf["jobs"]["deploy"]["needs"].as_str(), Some("build"));
    assert!(uses("deploy")
        .iter()
        .any(|u| u.starts_with("actions/deploy-pages@")));
    // The README documents the variable the workflow needs.
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("OREPRESS_REPO"));
}

#[test]
fn new_writes_a_netlify_toml_that_builds_and_publishes_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path(), &[]);
    let toml = p.join("netlify.toml");
    assert!(toml.is_file());
    if !have("python3") {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 (for tomllib) is not installed"
        );
        eprintln!("python3 not installed; netlify.toml not parsed");
        return;
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys, tomllib\n\
             print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
        )
        .arg(&toml)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "netlify.toml does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["build"]["publish"], "output/site");
    let command = parsed["build"]["command"].as_str().unwrap();
    assert!(command.contains("releases/latest/download/orepress-x86_64-unknown-linux-musl.tar.gz"));
    assert!(command.contains("OREPRESS_REPO"), "{command}");
    assert!(command.contains("./orepress build"), "{command}");
}

/// Every page's links and assets, from the tags that carry them.
fn tagged_urls(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        for attr in [" href=\"", " src=\""] {
            if let Some(i) = tag.find(attr) {
                let rest = &tag[i + attr.len()..];
                if let Some(end) = rest.find('"') {
                    out.push((tag.to_string(), rest[..end].to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn relative_build_links_every_page_relative_to_itself() {
    const BASE: &str = "https://imlaak.github.io/pakistan-minerals/";
    // A site in one language has its pages written as they are rendered;
    // one in two has them finished together.
    for (how, args) in [("flag", true), ("site.yaml", false), ("one language", true)] {
        let dir = example();
        if !args {
            let site = dir.path().join("content/site.yaml");
            let yaml = fs::read_to_string(&site).unwrap();
            fs::write(&site, format!("{yaml}relative_urls: true\n")).unwrap();
        }
        if how == "one language" {
            let site = dir.path().join("content/site.yaml");
            let yaml = fs::read_to_string(&site).unwrap();
            let yaml: String = yaml
                .lines()
                .filter(|l| !l.starts_with("languages:"))
                .map(|l| format!("{l}\n"))
                .collect();
            fs::write(&site, yaml).unwrap();
            for (path, _) in snapshot(&dir.path().join("content")) {
                if path.to_string_lossy().ends_with(".ur.md") {
                    fs::remove_file(dir.path().join("content").join(path)).unwrap();
                }
            }
        }
        build(dir.path(), if args { &["--relative"][..] } else { &[][..] });
        let site = dir.path().join("output/site");
        let mut checked = 0;
        for (path, bytes) in snapshot(&site) {
            let name = path.display().to_string();
            if !name.ends_with(".html") || name == "404.html" {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            for (tag, url) in tagged_urls(&html) {
                let external = ["https://", "http://", "mailto:", "tel:", "#"]
                    .iter()
                    .any(|p| url.starts_with(p));
                if url.starts_with(BASE) {
                    // Only what is handed to crawlers and feed readers.
                    assert!(
                        tag.starts_with("link rel=\"canonical\"")
                            || tag.starts_with(
                                "link rel=\"alternate\" type=\"application/atom+xml\""
                            )
                            // hreflang alternates must be absolute.
                            || tag.starts_with("link rel=\"alternate\" hreflang="),
                        "{how}: {name}: absolute URL in <{tag}>"
                    );
                    continue;
                }
                if external {
                    continue;
                }
                assert!(!url.starts_with('/'), "{how}: {name}: {url}");
                // It leads to a file of the site, from this page's folder.
                let file = url.split(['#', '?']).next().unwrap();
                let target = site.join(path.parent().unwrap()).join(file);
                assert!(target.is_file(), "{how}: {name}: {url} leads nowhere");
                checked += 1;
            }
            // What crawlers read stays absolute.
            assert!(
                html.contains(&format!("<link rel=\"canonical\" href=\"{BASE}")),
                "{how}: {name}"
            );
        }
        assert!(checked > 200, "{how}: {checked}");
        let feed = fs::read_to_string(site.join("atom.xml")).unwrap();
        assert!(
            feed.contains(&format!("href=\"{BASE}briefs/")),
            "feed absolute"
        );
        let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
        assert!(
            sitemap.contains(&format!("<loc>{BASE}</loc>")),
            "sitemap absolute"
        );
        // The 404 page is served at any depth: its links are absolute.
        let not_found = fs::read_to_string(site.join("404.html")).unwrap();
        assert!(not_found.contains(&format!("href=\"{BASE}static/style.")));
    }
}

#[test]
fn relative_site_opened_from_disk_is_styled_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = example();
    build(dir.path(), &["--relative", "--site-only"]);
    let site = dir.path().join("output/site");
    // The stylesheet reached each page, at the top and two folders down:
    // the masthead has the brand colour (#0f4c45), not a browser default.
    for page in ["index.html", "briefs/antimony-opportunity/index.html"] {
        let colour = probe(
            browser,
            &site.join(page),
            1280,
            "getComputedStyle(document.querySelector('.masthead')).backgroundColor",
        );
        assert_eq!(colour, "rgb(15, 76, 69)", "{page}");
    }
    // And what a visitor sees: the top of the unmodified home page is the
    // masthead's colour, not white.
    let shot = dir.path().join("home.png");
    run_chromium(
        browser,
        &[
            "--window-size=1280,800".into(),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", site.join("index.html").display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    let px = &buf[(5 * info.width as usize + 5) * channels..][..3];
    let near = |a: u8, b: u8| a.abs_diff(b) <= 4;
    assert!(
        near(px[0], 15) && near(px[1], 76) && near(px[2], 69),
        "top-left pixel {px:?} is not the masthead colour"
    );
}
