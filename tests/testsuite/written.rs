//! A long memo's body is written page by page as flow lays it out, its
//! glyphs let go of at once (`pdf::write::BodyWriter`). The PDF must be
//! the one the whole-document writer makes: the same bytes, for every
//! memo of the example (English and Urdu, with images, tables, notes and
//! links), plain and personalised.

use std::fs;

use orepress::pdf::compose::{MemoLayout, Recipient, WRITTEN_BODY_TEXT};
use orepress::pdf::frame::{Document, Item};
use orepress::pdf::write::{write_pdf_shared, SharedStreams};

use crate::testsuite::common::*;

fn bytes(doc: Document) -> Vec<u8> {
    write_pdf_shared(doc, &SharedStreams::default()).expect("the memo is written")
}

/// Whether any body page (after the cover) still holds text beyond its
/// personal part (running header and footer, watermark).
fn holds_body_text(doc: &Document) -> bool {
    doc.pages.iter().skip(1).any(|p| {
        p.items[p.personal..]
            .iter()
            .any(|i| matches!(i, Item::Text(_)))
    })
}

#[test]
fn a_body_written_as_it_is_laid_out_gives_the_same_pdf() {
    for project_dir in [example(), fixture("memo-typography"), fixture("memo-prose")] {
        let (project, theme, _) =
            orepress::pipeline::load(project_dir.path(), false, None, None).expect("loads");
        let fonts = orepress::pdf::MemoFonts::load(&theme).unwrap();
        let recipient = Recipient {
            name: "Ayesha Khan".to_string(),
            organization: "Indus Minerals Fund".to_string(),
            copy_no: 7,
        };
        let mut memos = 0;
        for brief in project.briefs.iter().filter(|b| b.front.pdf) {
            let whole = MemoLayout::writing_body(&project, &theme, &fonts, brief, Some(false))
                .expect("lays out");
            let written = MemoLayout::writing_body(&project, &theme, &fonts, brief, Some(true))
                .expect("lays out, writing its body");
            for who in [None, Some(&recipient)] {
                let (a, b) = (whole.document(who).unwrap(), written.document(who).unwrap());
                assert!(a.written.is_none() && holds_body_text(&a));
                let pages = b.written.as_ref().expect("the body was written").len();
                assert_eq!(pages + 1, b.pages.len(), "{}: every body page", brief.slug);
                assert!(!holds_body_text(&b), "{}: glyphs kept", brief.slug);
                assert!(
                    bytes(a) == bytes(b),
                    "{} ({who:?}): the written body changed the PDF",
                    brief.slug
                );
            }
            memos += 1;
        }
        assert!(memos >= 1, "no memo in {:?}", project_dir.path());
    }
}

#[test]
fn a_long_body_is_written_as_it_is_laid_out_and_reads_whole() {
    let dir = example();
    // A brief of some 2,000 paragraphs: past the size from which a body
    // is written page by page.
    let para = "Antimony concentrate moves from the Chagai district by road to Karachi, \
        where the smelter's offtake buyer takes delivery under the agreed schedule.";
    let mut body = String::from("## The long schedule\n\n");
    let mut n = 0;
    while body.len() <= WRITTEN_BODY_TEXT + 10_000 {
        n += 1;
        body.push_str(&format!("Shipment {n}. {para}\n\n"));
    }
    fs::write(
        dir.path().join("content/briefs/long-schedule.md"),
        format!(
            "---\ntitle: The long schedule\nsummary: Every shipment.\ndate: 2025-11-01\n---\n\n{body}"
        ),
    )
    .unwrap();
    let (project, theme, _) =
        orepress::pipeline::load(dir.path(), false, None, None).expect("loads");
    let fonts = orepress::pdf::MemoFonts::load(&theme).unwrap();
    let brief = project.brief("long-schedule").unwrap();
    let layout = MemoLayout::new(&project, &theme, &fonts, brief).unwrap();
    let doc = layout.document(None).unwrap();
    assert!(
        doc.written.is_some(),
        "a long body is written as it is laid out"
    );
    assert!(!holds_body_text(&doc));

    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/long-schedule.pdf");
    let pages = lopdf::Document::load(&pdf)
        .expect("a readable PDF")
        .get_pages()
        .len();
    assert!(pages > 50, "{pages} pages");
    let Some(text) = pdftotext(&pdf, &[]) else {
        return;
    };
    let flat = flat(&text);
    for k in [1, n / 2, n] {
        assert!(
            flat.contains(&format!("Shipment {k}. Antimony concentrate")),
            "shipment {k} of {n} missing"
        );
    }
    assert!(
        flat.contains(&format!("Page {pages} of {pages}")),
        "the last page's footer"
    );
}
