//! Urdu and mixed-script memos: font fallback (never a `.notdef` box),
//! right-to-left text that extracts in reading order, and the located
//! warning (an error with `--strict`) for a character no font can draw.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::testsuite::common::*;

const SENTENCE: &str = "اینٹیمنی ایک چھوٹی منڈی ہے مگر اس کی دفاعی اہمیت بہت زیادہ ہے۔";

fn urdu_brief(dir: &Path) {
    fs::write(
        dir.join("content/briefs/urdu-test.md"),
        format!(
            "---\ntitle: \"اینٹیمنی: پاکستان کا موقع\"\nsummary: امریکی خریدار نئے ذرائع تلاش کر رہے ہیں۔\n\
             date: 2025-11-17\nauthor: shahnawaz-bhatti\nlang: ur\n---\n## خلاصہ\n\n{SENTENCE} \
             مزید معلومات کے لیے Shahnawaz Bhatti سے +923331717170 پر رابطہ کریں۔\n"
        ),
    )
    .unwrap();
}

#[test]
fn urdu_memo_has_no_notdef_and_extracts_in_reading_order() {
    let project = example();
    urdu_brief(project.path());
    build(project.path(), &["--pdf-only"]);
    let pdf = project.path().join("output/memos/urdu-test.pdf");
    if have("mutool") {
        let out = Command::new("mutool")
            .args(["trace"])
            .arg(&pdf)
            .output()
            .unwrap();
        let trace = String::from_utf8_lossy(&out.stdout);
        assert!(trace.contains("<g "), "no glyphs traced");
        assert!(!trace.contains(".notdef"), "a .notdef glyph is drawn");
        assert!(!trace.contains("glyph=\"0\""), "glyph id 0 is drawn");
    }
    if have("pdftotext") {
        // pdftotext marks right-to-left stretches with embedding controls.
        let raw = pdftotext(&pdf, &[]).unwrap();
        let text = flat(&raw.replace(|c| ('\u{202A}'..='\u{202E}').contains(&c), ""));
        assert!(
            text.contains(SENTENCE),
            "sentence not in reading order:\n{text}"
        );
        assert!(text.contains("Shahnawaz Bhatti"), "{text}");
        assert!(text.contains("+923331717170"), "{text}");
        assert!(text.contains("پاکستان کا موقع"), "{text}");
        assert!(
            text.contains("امریکی خریدار نئے ذرائع تلاش کر رہے ہیں۔"),
            "{text}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_a_located_warning_and_strict_fails() {
    let project = example();
    let brief = project
        .path()
        .join("content/briefs/antimony-opportunity.md");
    let source = fs::read_to_string(&brief).unwrap();
    let source = source.replacen("## In brief", "## In brief\n\nIn Chinese: 锑.", 1);
    fs::write(&brief, &source).unwrap();
    let line = source.lines().position(|l| l.contains('锑')).unwrap() + 1;
    let located = format!(
        "content/briefs/antimony-opportunity.md:{line}:13: warning: `锑` (U+9511) has no glyph in the memo's fonts"
    );

    let out = orepress(project.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains(&located), "{all}");

    build(project.path(), &[]);
    let before = snapshot(&project.path().join("output"));
    let out = orepress(project.path(), &["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+9511"), "{}", stderr(&out));
    assert_eq!(before, snapshot(&project.path().join("output")));
    let out = orepress(project.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

/// A word of `pdftotext -bbox`: its text and box.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

/// The words of each page, from `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let html = pdftotext(pdf, &["-bbox"]).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut out = Vec::new();
        for w in page.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            out.push(Word {
                text,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            });
        }
        pages.push(out);
    }
    pages
}

fn urdu_word(w: &Word) -> bool {
    w.text
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Words on the line of `w`: their boxes span its middle.
fn same_line<'a>(page: &'a [Word], w: &Word) -> impl Iterator<Item = &'a Word> {
    let mid = (w.y0 + w.y1) / 2.0;
    let key = (w.x0, w.y0);
    page.iter()
        .filter(move |o| o.y0 <= mid && mid <= o.y1 && (o.x0, o.y0) != key)
}

/// The memo's sections (top level of its outline, the title left out) and
/// the contents entries (links) on its cover.
fn contents_on_cover(pdf: &Path) -> (usize, usize) {
    let show = |what: &str| {
        let out = Command::new("mutool")
            .arg("show")
            .arg(pdf)
            .arg(what)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let sections = show("outline")
        .lines()
        .filter(|l| l.chars().nth(1) == Some('\t') && l.chars().nth(2) == Some('"'))
        .count()
        .saturating_sub(1);
    (sections, show("pages/1/Annots").matches(" R").count())
}

/// A numbered copy's cover keeps room for its "Prepared for" box and
/// still lists every section: the Nastaliq summary gives way, as it opens
/// the memo's first page anyway.
#[test]
fn an_urdu_copy_lists_every_section_on_its_cover() {
    if !have("mutool") {
        return;
    }
    let project = example();
    let out = orepress(
        project.path(),
        &[
            "copies",
            "antimony-opportunity",
            "--lang",
            "ur",
            "--for",
            "Sana Mir, Indus Capital",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = project.path().join("copies/antimony-opportunity.ur");
    let copy = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the copy");
    let (sections, links) = contents_on_cover(&copy);
    assert!(sections >= 8, "{sections} sections");
    assert_eq!(links, sections, "contents entries on the copy's cover");
}

#[test]
fn the_urdu_memo_is_mirrored() {
    if !have("pdftotext") || !have("mutool") {
        return;
    }
    let project = example();
    build(project.path(), &["--pdf-only"]);
    let pdf = project
        .path()
        .join("output/memos/antimony-opportunity.ur.pdf");
    let pages = words(&pdf);
    let middle = 595.28 / 2.0;

    // List bullets hang on the right of their items' text.
    let mut bullets = 0;
    for page in &pages {
        for b in page.iter().filter(|w| w.text == "•") {
            bullets += 1;
            let text: Vec<&Word> = same_line(page, b).filter(|w| urdu_word(w)).collect();
            assert!(!text.is_empty(), "no text beside {b:?}");
            for t in text {
                assert!(t.x1 < b.x0, "{t:?} is right of the bullet {b:?}");
            }
        }
    }
    assert!(bullets >= 4, "{bullets} bullets");

    // The cover's contents: page numbers at the left end, left of the
    // entries' text.
    let cover = &pages[0];
    let numbers: Vec<&Word> = cover
        .iter()
        .filter(|w| w.text.chars().all(|c| c.is_ascii_digit()) && w.x1 < middle)
        .collect();
    assert!(
        !numbers.is_empty(),
        "no page numbers at the left: {cover:?}"
    );
    for n in numbers {
        let entry: Vec<&Word> = same_line(cover, n).filter(|w| urdu_word(w)).collect();
        assert!(entry.iter().any(|e| e.x0 > n.x1), "no entry right of {n:?}");
    }
    // Every section of the outline has its contents entry (a link) on the
    // cover, however tall Nastaliq makes the cover's text.
    let (sections, cover_links) = contents_on_cover(&pdf);
    assert!(sections >= 8, "{sections} sections");
    assert_eq!(cover_links, sections, "contents entries on the cover");
    // The facts' labels (تاریخ, the date) stand at the right.
    let date_label = cover
        .iter()
        .find(|w| w.text.chars().rev().collect::<String>() == "تاریخ")
        .expect("the date label");
    assert!(date_label.x0 > middle, "{date_label:?}");

    // The contact card's QR code (black squares) on the left half.
    let out = Command::new("mutool")
        .arg("trace")
        .arg(&pdf)
        .output()
        .unwrap();
    let trace = String::from_utf8_lossy(&out.stdout);
    let mut squares = 0;
    for fill in trace.split("<fill_path ").skip(1) {
        let (tag, body) = fill.split_once('>').unwrap();
        if !tag.contains("color=\"0 0 0\"") {
            continue;
        }
        let body = body.split("</fill_path>").next().unwrap();
        for x in body.split("x=\"").skip(1) {
            let x: f32 = x.split('"').next().unwrap().parse().unwrap();
            squares += 1;
            assert!(x < middle, "a QR module at x = {x}");
        }
    }
    assert!(squares > 20, "{squares} QR corners");
}

/// The Urdu memo's text as pdftotext reads it, without the embedding
/// controls and marks it and the memo put in, whitespace flattened.
fn urdu_memo_text(pdf: &Path, page: &str) -> String {
    let raw = pdftotext(pdf, &["-f", page, "-l", page]).unwrap();
    flat(&raw.replace(
        |c| ('\u{202A}'..='\u{202E}').contains(&c) || c == '\u{200E}' || c == '\u{200F}',
        "",
    ))
}

#[test]
fn latin_names_in_brackets_and_urdu_dates_extract_whole_from_the_urdu_memo() {
    if !have("pdftotext") {
        return;
    }
    let project = example();
    build(project.path(), &["--pdf-only"]);
    let pdf = project
        .path()
        .join("output/memos/antimony-opportunity.ur.pdf");
    let pages = pdftotext(&pdf, &[]).unwrap().matches('\u{c}').count();
    let page_of = |needle: &str| {
        (1..=pages)
            .map(|p| p.to_string())
            .find(|p| urdu_memo_text(&pdf, p).contains(needle))
    };
    // The deal facts: each party's country in brackets, the sources'
    // titles with their Urdu dates after them.
    let facts = page_of("United States").expect("deal facts page");
    let text = urdu_memo_text(&pdf, &facts);
    assert!(text.contains("(United States)"), "{text}");
    assert!(text.contains("(Pakistan)"), "{text}");
    // pdftotext puts the spaces between a Latin and an Urdu stretch
    // where it guesses; the order of everything else is compared.
    let tight = text.replace(' ', "");
    for whole in [
        "USStrategicMetals(USSM)—امریکی",
        "کمپنی(UnitedStates)؛FrontierWorks",
        "ادارہ(Pakistan)",
        "forcriticalminerals،8ستمبر2025؛RareEarth",
        "واضحنہیں،Pakistan",
    ] {
        assert!(tight.contains(whole), "{whole:?} not in\n{text}");
    }
    // A bullet of the body: Latin sources in brackets across a line.
    let body = page_of("Argus, 23 May 2024").expect("page with the Argus prices");
    let tight = urdu_memo_text(&pdf, &body).replace(' ', "");
    assert!(tight.contains("اضافہ(Argus,23May2024؛"), "{tight}");
    assert!(tight.contains("Argus,24June2025)۔"), "{tight}");
}
