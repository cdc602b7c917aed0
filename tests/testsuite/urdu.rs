//! Urdu and mixed-script memos: font fallback (never a `.notdef` box),
//! right-to-left text that extracts in reading order, and the located
//! warning (an error with `--strict`) for a character no font can draw.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::testsuite::common::*;

/// Whether `tool` can be used; under CI a missing tool fails the test.
fn tool(name: &str) -> bool {
    if have(name) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{name} is required under CI (apt-get install poppler-utils mupdf-tools)"
    );
    false
}

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
    if tool("mutool") {
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
    if tool("pdftotext") {
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
