//! Tests of pagination: orphans and widows, keep-with-next, lists, links,
//! outline, images, boxes; tables in `tables`.

mod tables;

use super::*;
use crate::pdf::frame::{FontId, TextRun};
use crate::pdf::layout::fonts::tests::test_fonts;
use crate::pdf::layout::linebreak::tests::LOREM;
use crate::pdf::layout::{Align, Span};

const PAGE: PageSpec = PageSpec {
    width: 200.0,
    height: 200.0,
    margin_top: 20.0,
    margin_bottom: 20.0,
    margin_left: 20.0,
    margin_right: 20.0,
};

/// 160 pt of body at 12 pt leading: 13 lines a page.
fn style() -> ParaStyle {
    ParaStyle {
        align: Align::Left,
        leading: 12.0,
        space_after: 0.0,
        hyphenate: false,
        ..ParaStyle::default()
    }
}

/// A paragraph of `n` short lines named `{tag}1`…`{tag}n`.
fn lines(font: FontId, tag: &str, n: usize) -> Block {
    let text: Vec<String> = (1..=n).map(|i| format!("{tag}{i}")).collect();
    Block::para(
        vec![Span::new(text.join("\n"), font, 9.0, Rgb::BLACK)],
        style(),
    )
}

fn heading(font: FontId, text: &str, level: u8) -> Block {
    Block::para(
        vec![Span::new(text, font, 10.0, Rgb::BLACK)],
        ParaStyle {
            keep_with_next: true,
            outline_level: Some(level),
            ..style()
        },
    )
}

/// Text lines of each page, merged by baseline, in emission order.
fn page_lines(f: &Flowed) -> Vec<Vec<String>> {
    f.pages
        .iter()
        .map(|p| {
            let mut out: Vec<(f32, String)> = Vec::new();
            for it in &p.items {
                if let Item::Text(t) = it {
                    match out.last_mut() {
                        Some((y, s)) if (*y - t.y).abs() < 0.01 => s.push_str(&t.text()),
                        _ => out.push((t.y, t.text())),
                    }
                }
            }
            out.into_iter().map(|(_, s)| s).collect()
        })
        .collect()
}

fn tagged(page: &[String], tag: &str) -> usize {
    page.iter()
        .filter(|l| l.starts_with(tag) && l[tag.len()..].chars().all(|c| c.is_ascii_digit()))
        .count()
}

fn check_inside(f: &Flowed) {
    for p in &f.pages {
        for it in &p.items {
            if let Item::Text(t) = it {
                assert!(t.x >= PAGE.margin_left - 0.01, "{t:?}");
                assert!(
                    t.x + t.width() <= PAGE.width - PAGE.margin_right + 0.01,
                    "{t:?}"
                );
                assert!(t.y <= PAGE.height - PAGE.margin_bottom && t.y >= PAGE.margin_top);
            }
        }
    }
}

#[test]
fn no_orphan_moves_paragraph_to_next_page() {
    let (set, ids) = test_fonts();
    let f = flow(&[lines(ids[0], "A", 12), lines(ids[0], "B", 5)], &set, PAGE).unwrap();
    let p = page_lines(&f);
    assert_eq!(p.len(), 2);
    assert_eq!(tagged(&p[0], "B"), 0, "{p:?}");
    assert_eq!(tagged(&p[1], "B"), 5);
    check_inside(&f);
}

#[test]
fn no_widow_takes_a_line_along() {
    let (set, ids) = test_fonts();
    // 3 lines left for a 4-line paragraph: 2 + 2, not 3 + 1.
    let f = flow(&[lines(ids[0], "A", 10), lines(ids[0], "B", 4)], &set, PAGE).unwrap();
    let p = page_lines(&f);
    assert_eq!((tagged(&p[0], "B"), tagged(&p[1], "B")), (2, 2), "{p:?}");
    assert_eq!(p[1][0], "B3");
    // A 3-line paragraph with 2 lines left moves whole.
    let f = flow(&[lines(ids[0], "A", 11), lines(ids[0], "B", 3)], &set, PAGE).unwrap();
    let p = page_lines(&f);
    assert_eq!((tagged(&p[0], "B"), tagged(&p[1], "B")), (0, 3), "{p:?}");
    // A long paragraph over several pages: never one line alone.
    let f = flow(&[lines(ids[0], "A", 6), lines(ids[0], "B", 28)], &set, PAGE).unwrap();
    for page in page_lines(&f) {
        let b = tagged(&page, "B");
        assert!(b == 0 || b >= 2, "{page:?}");
    }
}

#[test]
fn heading_keeps_with_next_block() {
    let (set, ids) = test_fonts();
    // Two lines left: the heading and one body line would fit, but the
    // body may not leave an orphan, so the heading moves.
    let blocks = [
        lines(ids[0], "A", 11),
        heading(ids[1], "Heading", 1),
        lines(ids[0], "B", 6),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    let p = page_lines(&f);
    assert_eq!(p[0].last().unwrap(), "A11", "{p:?}");
    assert_eq!(p[1][0], "Heading");
    assert_eq!(p[1][1], "B1");
    // Three lines left: heading + two lines fit.
    let blocks = [
        lines(ids[0], "A", 10),
        heading(ids[1], "Heading", 1),
        lines(ids[0], "B", 6),
    ];
    let p = page_lines(&flow(&blocks, &set, PAGE).unwrap());
    assert_eq!(&p[0][10..], ["Heading", "B1", "B2"], "{p:?}");
    // A chain of headings moves together.
    let blocks = [
        lines(ids[0], "A", 10),
        heading(ids[1], "Part", 1),
        heading(ids[1], "Section", 2),
        lines(ids[0], "B", 6),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    let p = page_lines(&f);
    assert_eq!(p[0].last().unwrap(), "A10", "{p:?}");
    assert_eq!(&p[1][..3], ["Part", "Section", "B1"]);
    assert_eq!(f.outline[0].page, 1);
    assert_eq!(f.outline[0].children[0].title, "Section");
}

#[test]
fn nested_list_markers_hang_in_the_indent() {
    let (set, ids) = test_fonts();
    let item = |marker: &str, indent: f32, text: &str| {
        Block::para(
            vec![Span::new(text, ids[0], 9.0, Rgb::BLACK)],
            ParaStyle {
                indent_left: indent,
                marker: Some(vec![Span::new(marker, ids[0], 9.0, Rgb::BLACK)]),
                ..style()
            },
        )
    };
    let blocks = [
        item(
            "•",
            14.0,
            "First level item whose text wraps onto a second line neatly",
        ),
        item(
            "–",
            28.0,
            "Second level item that also wraps onto another line",
        ),
        item("10.", 28.0, "Numbered"),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    let texts: Vec<&TextRun> = f.pages[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text(t) => Some(&**t),
            _ => None,
        })
        .collect();
    for (marker, indent) in [("•", 14.0), ("–", 28.0), ("10.", 28.0)] {
        let m = texts.iter().find(|t| t.text() == marker).unwrap();
        assert!((m.x + m.width() - (20.0 + indent - 6.0)).abs() < 0.01);
        let next = texts
            .iter()
            .find(|t| t.y == m.y && t.text() != marker)
            .unwrap();
        assert!((next.x - (20.0 + indent)).abs() < 0.01);
    }
    // Wrapped lines align with the text, not the marker.
    assert!(texts.iter().filter(|t| (t.x - 34.0).abs() < 0.01).count() >= 2);
    check_inside(&f);
}

#[test]
fn links_cover_each_line_fragment() {
    let (set, ids) = test_fonts();
    let spans = vec![
        Span::new("Read the ", ids[0], 9.0, Rgb::BLACK),
        Span::new(
            "full data room index and the audited accounts",
            ids[0],
            9.0,
            Rgb::BLACK,
        )
        .with_link("https://example.com/room"),
        Span::new(" before the call.", ids[0], 9.0, Rgb::BLACK),
    ];
    let f = flow(&[Block::para(spans, style())], &set, PAGE).unwrap();
    let links: Vec<_> = f.pages[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Link { x, y, w, h, uri } => Some((*x, *y, *w, *h, uri.clone())),
            _ => None,
        })
        .collect();
    assert!(links.len() >= 2, "{links:?}");
    for (x, y, w, h, uri) in &links {
        assert_eq!(uri, "https://example.com/room");
        assert!(*x >= 20.0 - 0.01 && x + w <= 180.01 && *h > 5.0 && *y >= 19.0);
    }
    assert!(links[1].1 > links[0].1);
}

#[test]
fn outline_nests_by_level_in_order() {
    let (set, ids) = test_fonts();
    let blocks = [
        heading(ids[1], "Summary", 1),
        lines(ids[0], "A", 3),
        heading(ids[1], "Market", 2),
        lines(ids[0], "B", 3),
        heading(ids[1], "Risks", 2),
        lines(ids[0], "C", 10),
        heading(ids[1], "Terms", 1),
        heading(ids[1], "Fees and carried interest", 3),
        lines(ids[0], "D", 3),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    let o = &f.outline;
    assert_eq!(o.len(), 2);
    assert_eq!(o[0].title, "Summary");
    assert_eq!((o[0].page, o[0].y), (0, 20.0));
    let kids: Vec<&str> = o[0].children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(kids, ["Market", "Risks"]);
    assert!(o[0].children[0].y < o[0].children[1].y);
    assert_eq!(o[1].title, "Terms");
    assert_eq!(o[1].page, 1);
    assert_eq!(o[1].children[0].title, "Fees and carried interest");
}

#[test]
fn spaces_breaks_rules_images_and_boxes() {
    let (set, ids) = test_fonts();
    let fixed = FixedBox {
        width: 100.0,
        height: 50.0,
        items: vec![Item::Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 50.0,
            fill: Some(Rgb::BLACK),
            stroke: None,
        }],
        space_before: 0.0,
        space_after: 0.0,
    };
    let blocks = [
        Block::Space(30.0),
        lines(ids[0], "A", 2),
        Block::Rule {
            color: Rgb::BLACK,
            width: 1.0,
            space: 4.0,
        },
        Block::PageBreak,
        Block::Image {
            id: ImageId(0),
            width: 400.0,
            height: 200.0,
            caption: Some(Box::new((
                vec![Span::new("Figure 1", ids[2], 8.0, Rgb::BLACK)],
                style(),
            ))),
            space_before: 0.0,
            space_after: 6.0,
        },
        lines(ids[0], "B", 4),
        Block::Fixed(fixed),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    assert_eq!(f.pages.len(), 3);
    // Space at the top of a page is dropped.
    match &f.pages[0].items[0] {
        Item::Text(t) => assert!(t.y < 20.0 + 12.0),
        other => panic!("{other:?}"),
    }
    assert!(f.pages[0]
        .items
        .iter()
        .any(|i| matches!(i, Item::Line { .. })));
    match &f.pages[1].items[0] {
        Item::Image { x, y, w, h, .. } => {
            assert_eq!((*x, *y, *w, *h), (20.0, 20.0, 160.0, 80.0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(page_lines(&f)[1][0], "Figure 1");
    // The box did not fit after B and moved whole.
    match &f.pages[2].items[0] {
        Item::Rect { x, y, .. } => assert_eq!((*x, *y), (20.0, 20.0)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn justified_body_and_background_blocks() {
    let (set, ids) = test_fonts();
    let body = ParaStyle {
        align: Align::Justify,
        hyphenate: true,
        first_indent: 10.0,
        ..style()
    };
    let code = ParaStyle {
        align: Align::Left,
        background: Some(Rgb(0.95, 0.95, 0.95)),
        padding: 4.0,
        indent_left: 4.0,
        indent_right: 4.0,
        hyphenate: false,
        ..style()
    };
    let blocks = [
        Block::para(vec![Span::new(LOREM, ids[0], 9.0, Rgb::BLACK)], body),
        Block::para(
            vec![Span::new("let office = fees.iter().sum();", ids[3], 8.0, Rgb::BLACK).code()],
            code,
        ),
    ];
    let f = flow(&blocks, &set, PAGE).unwrap();
    check_inside(&f);
    let rects = f
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, Item::Rect { .. }));
    assert!(rects.count() >= 1);
    let all: String = page_lines(&f).concat().concat();
    assert!(all.contains("office = fees"));
}

#[test]
fn paragraph_box_for_custom_layouts() {
    let (set, ids) = test_fonts();
    let spans = vec![Span::new(LOREM, ids[0], 9.0, Rgb::BLACK)];
    let (items, h) = paragraph_box(&set, &spans, &style(), 300.0, 100.0, 120.0).unwrap();
    assert!(h > 50.0);
    for it in &items {
        if let Item::Text(t) = it {
            assert!(t.x >= 300.0 && t.x + t.width() <= 420.01 && t.y > 100.0 && t.y < 100.0 + h);
        }
    }
    assert!(flow(&[], &set, PAGE).unwrap().pages.len() == 1);
    let bad = PageSpec {
        margin_left: 150.0,
        margin_right: 60.0,
        ..PAGE
    };
    assert!(flow(&[], &set, bad).is_err());
}

/// Serif regular with the Nastaliq face as its fallback (as the default
/// theme sets Urdu): the set, the serif and the Nastaliq file's bytes.
fn urdu_fonts() -> (FontSet, FontId, Vec<u8>) {
    use crate::pdf::layout::fonts::tests::theme_font;
    let (mut set, ids) = test_fonts();
    let nastaliq = set.load(&theme_font("NotoNastaliqUrdu-Regular")).unwrap();
    set.set_fallbacks(ids[0], vec![nastaliq]);
    let data = std::fs::read(theme_font("NotoNastaliqUrdu-Regular")).unwrap();
    (set, ids[0], data)
}

const URDU: &str = "اینٹیمنی ایک چھوٹی منڈی ہے مگر اس کی دفاعی اہمیت بہت زیادہ ہے۔ \
    امریکی خریدار اب پاکستان کی شمال مغربی پٹی کی طرف دیکھ رہے ہیں، جہاں کی کچ دھات \
    برسوں سے خام حالت میں سستے داموں فروخت ہوتی رہی ہے۔ ان دستاویزات میں مستقبل سے \
    متعلق بیانات شامل ہیں جن میں ممکنہ رسد کے معاہدے اور پراسیسنگ میں سرمایہ کاری شامل ہے۔";

#[test]
fn a_right_to_left_list_item_hangs_its_marker_on_the_right() {
    let (set, serif, _) = urdu_fonts();
    let st = ParaStyle {
        dir: crate::pdf::layout::Dir::Rtl,
        indent_left: 18.0,
        marker: Some(vec![Span::new("1.", serif, 9.0, Rgb::BLACK)]),
        ..style()
    };
    let f = flow(
        &[Block::para(
            vec![Span::new(URDU, serif, 9.0, Rgb::BLACK)],
            st,
        )],
        &set,
        PAGE,
    )
    .unwrap();
    let runs: Vec<&TextRun> = f.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some(&**t),
            _ => None,
        })
        .collect();
    // "1." set right to left: its runs "." and "1" (it reads ".1"); the
    // "." carries a right-to-left mark for extraction.
    let is_marker = |r: &TextRun| {
        let t = r.text().replace('\u{200F}', "");
        t == "1" || t == "."
    };
    let marker: Vec<&&TextRun> = runs.iter().filter(|r| is_marker(r)).collect();
    assert_eq!(marker.len(), 2, "{runs:?}");
    let marker_x = marker.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
    let marker_y = marker[0].y;
    let right = PAGE.width - PAGE.margin_right;
    // The marker stands in the start indent at the right, past the text.
    assert!(marker_x > right - 18.0, "{marker_x}");
    for r in runs.iter().filter(|r| !is_marker(r)) {
        assert!(
            r.x + r.width() <= right - 18.0 + 0.01,
            "{} {}",
            r.x,
            r.text()
        );
        assert!(r.x + r.width() <= marker_x, "{} {}", r.x, r.text());
    }
    // Lines start at the right edge of the indented measure.
    let first = runs
        .iter()
        .filter(|r| (r.y - marker_y).abs() < 0.01 && !is_marker(r))
        .map(|r| r.x + r.width())
        .fold(0.0f32, f32::max);
    assert!((first - (right - 18.0)).abs() < 0.5, "{first}");
}

#[test]
fn nastaliq_lines_are_spaced_by_what_their_glyphs_reach() {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let (set, serif, data) = urdu_fonts();
    let size = 8.0;
    let leading = size * 1.45;
    let f = flow(
        &[Block::para(
            vec![Span::new(URDU, serif, size, Rgb::BLACK)],
            ParaStyle {
                dir: crate::pdf::layout::Dir::Rtl,
                leading,
                ..style()
            },
        )],
        &set,
        PageSpec {
            height: 400.0,
            ..PAGE
        },
    )
    .unwrap();
    // Each line's outlines, read from the font here: the top and bottom
    // of every Nastaliq glyph set, its y offset included.
    let font = skrifa::FontRef::new(&data).unwrap();
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let upem = 1000.0;
    let mut lines: Vec<(f32, f32, f32)> = Vec::new();
    for it in &f.pages[0].items {
        let Item::Text(t) = it else { continue };
        if !crate::pdf::layout::bidi::is_rtl_text(&t.text()) {
            continue;
        }
        let (mut top, mut bottom) = (0.0f32, 0.0f32);
        for g in &t.glyphs {
            if let Some(b) = metrics.bounds(skrifa::GlyphId::new(g.id.into())) {
                top = top.max(b.y_max / upem * t.size + g.offset.1);
                bottom = bottom.max(-b.y_min / upem * t.size - g.offset.1);
            }
        }
        match lines.last_mut() {
            Some((y, a, d)) if (*y - t.y).abs() < 0.01 => {
                *a = a.max(top);
                *d = d.max(bottom);
            }
            _ => lines.push((t.y, top, bottom)),
        }
    }
    assert!(lines.len() >= 4, "{lines:?}");
    let mut grew = false;
    for pair in lines.windows(2) {
        let ((y0, _, d0), (y1, a1, _)) = (pair[0], pair[1]);
        // The line below never reaches into the line above.
        assert!(y1 - y0 >= d0 + a1, "{pair:?}");
        grew |= y1 - y0 > leading + 0.01;
    }
    // The fixed leading would not have been enough.
    assert!(grew, "{lines:?}");
    assert!(
        lines.windows(2).any(|p| p[0].2 + p[1].1 > leading),
        "{lines:?}"
    );
}

/// An A4 page with 1-inch margins: 698 pt of body, 58 lines of 12 pt.
const A4: PageSpec = PageSpec {
    width: 595.0,
    height: 842.0,
    margin_top: 72.0,
    margin_bottom: 72.0,
    margin_left: 72.0,
    margin_right: 72.0,
};

fn figure(width: f32, height: f32) -> Block {
    Block::Image {
        id: ImageId(0),
        width,
        height,
        caption: None,
        space_before: 0.0,
        space_after: 0.0,
    }
}

/// The page, size and top of each image.
fn images(f: &Flowed) -> Vec<(usize, f32, f32, f32)> {
    let mut out = Vec::new();
    for (i, p) in f.pages.iter().enumerate() {
        for it in &p.items {
            if let Item::Image { y, w, h, .. } = it {
                out.push((i, *w, *h, *y));
            }
        }
    }
    out
}

#[test]
fn a_figure_shrinks_to_start_under_its_heading() {
    let (set, ids) = test_fonts();
    // 24 lines leave 410 pt: the heading and a 451 × 500 pt figure do not
    // fit, but the figure at 370 pt (74 %) does, and the page would
    // otherwise be left 60 % empty.
    let blocks = [
        lines(ids[0], "A", 24),
        heading(ids[1], "Figure", 1),
        figure(451.0, 500.0),
        lines(ids[0], "B", 3),
    ];
    let f = flow(&blocks, &set, A4).unwrap();
    let p = page_lines(&f);
    assert_eq!(p[0].last().unwrap(), "Figure", "{p:?}");
    let [(page, w, h, y)] = images(&f)[..] else {
        panic!("{:?}", images(&f));
    };
    assert_eq!(page, 0, "the figure starts under its heading");
    assert!((0.6 * 500.0..500.0).contains(&h), "{h}");
    assert!((w / h - 451.0 / 500.0).abs() < 0.001, "proportions kept");
    assert!(
        y + h <= A4.height - A4.margin_bottom + 0.01,
        "inside the page"
    );
    assert_eq!(p[1][0], "B1");

    // 48 lines leave 122 pt: less than the smallest the figure may be
    // (300 pt), so heading and figure move together, the figure whole.
    let blocks = [
        lines(ids[0], "A", 48),
        heading(ids[1], "Figure", 1),
        figure(451.0, 500.0),
    ];
    let f = flow(&blocks, &set, A4).unwrap();
    let p = page_lines(&f);
    assert_eq!(p[0].last().unwrap(), "A48", "no heading alone at the foot");
    assert_eq!(p[1][0], "Figure");
    let [(page, _, h, _)] = images(&f)[..] else {
        panic!("{:?}", images(&f));
    };
    assert_eq!((page, h), (1, 500.0));

    // A figure never shrinks below 2 inches: 134 pt left under the heading
    // are too few for this 160 pt one, 146 are enough.
    let blocks = [
        lines(ids[0], "A", 45),
        heading(ids[1], "Figure", 1),
        figure(200.0, 160.0),
    ];
    let f = flow(&blocks, &set, A4).unwrap();
    let [(page, _, h, _)] = images(&f)[..] else {
        panic!("{:?}", images(&f));
    };
    assert_eq!((page, h), (0, 146.0), "{:?}", page_lines(&f));
    let blocks = [
        lines(ids[0], "A", 46),
        heading(ids[1], "Figure", 1),
        figure(200.0, 160.0),
    ];
    let f = flow(&blocks, &set, A4).unwrap();
    let [(page, _, h, _)] = images(&f)[..] else {
        panic!("{:?}", images(&f));
    };
    assert_eq!((page, h), (1, 160.0), "{:?}", page_lines(&f));
}

/// Flows `blocks` with long paragraphs' glyphs deferred from `from` bytes.
fn flow_deferring_from(blocks: &[Block], fonts: &FontSet, from: usize) -> Flowed {
    use crate::pdf::layout::linebreak::DEFER_FROM;
    let before = DEFER_FROM.with(|d| d.replace(from));
    let out = flow(blocks, fonts, PAGE);
    DEFER_FROM.with(|d| d.set(before));
    out.unwrap()
}

/// A long paragraph whose lines are kept without their glyphs and set
/// again as they are placed gives the very pages it gives with its glyphs
/// held throughout: justified and hyphenated English with a bold, linked
/// span, and Urdu in Nastaliq.
#[test]
fn a_long_paragraph_set_again_as_it_is_placed_gives_the_same_pages() {
    let (set, ids) = test_fonts();
    let mut text = String::new();
    while text.len() < 20_000 {
        text.push_str(LOREM);
        text.push(' ');
    }
    let mut bold = Span::new(" offtake financing agreements ", ids[1], 9.0, Rgb::BLACK);
    bold.link = Some("https://example.com/offtake".to_string());
    let spans = vec![
        Span::new(text.clone(), ids[0], 9.0, Rgb::BLACK),
        bold,
        Span::new(text, ids[0], 9.0, Rgb::BLACK),
    ];
    let st = ParaStyle {
        align: Align::Justify,
        hyphenate: true,
        ..style()
    };
    let blocks = [
        lines(ids[0], "A", 5),
        Block::para(spans.clone(), st.clone()),
        lines(ids[0], "B", 3),
    ];
    let deferred = flow_deferring_from(&blocks, &set, 4096);
    let whole = flow_deferring_from(&blocks, &set, usize::MAX);
    assert!(deferred.pages.len() > 20, "{} pages", deferred.pages.len());
    assert!(deferred == whole, "deferred glyphs changed the pages");
    // The lines were indeed laid out without their glyphs.
    let before = crate::pdf::layout::linebreak::DEFER_FROM.with(|d| d.replace(4096));
    let p = paragraph::paragraph_lines_with(&set, &spans, &st, PAGE.measure(), true).unwrap();
    crate::pdf::layout::linebreak::DEFER_FROM.with(|d| d.set(before));
    assert!(p.deferred.as_ref().is_some_and(|d| d.windows() > 2));
    assert!(p.lines.iter().all(|l| l.runs.is_empty()));

    let (set, serif, _) = urdu_fonts();
    let mut urdu = String::new();
    while urdu.len() < 16_000 {
        urdu.push_str(URDU);
        urdu.push(' ');
    }
    let blocks = [Block::para(
        vec![Span::new(urdu, serif, 9.0, Rgb::BLACK)],
        ParaStyle {
            dir: crate::pdf::layout::Dir::Rtl,
            leading: 20.0,
            ..style()
        },
    )];
    let deferred = flow_deferring_from(&blocks, &set, 4096);
    let whole = flow_deferring_from(&blocks, &set, usize::MAX);
    assert!(deferred.pages.len() > 5, "{} pages", deferred.pages.len());
    assert!(deferred == whole, "deferred glyphs changed the Urdu pages");
}

#[test]
fn a_paragraph_indented_past_the_measure_keeps_its_text_on_the_page() {
    let (set, ids) = test_fonts();
    // A quote or list nested ten and forty levels deep: indents of 178
    // and 658 pt in a measure of 160, left to right and right to left.
    let mut blocks = Vec::new();
    for dir in [crate::pdf::layout::Dir::Ltr, crate::pdf::layout::Dir::Rtl] {
        for depth in [10.0, 40.0] {
            blocks.push(Block::para(
                vec![Span::new("Deep quote text", ids[0], 9.0, Rgb::BLACK)],
                ParaStyle {
                    indent_left: 18.0 + depth * 16.0,
                    indent_right: 18.0,
                    dir,
                    marker: Some(vec![Span::new("•", ids[0], 9.0, Rgb::BLACK)]),
                    ..style()
                },
            ));
        }
    }
    let f = flow(&blocks, &set, PAGE).unwrap();
    let runs: Vec<&TextRun> = f
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|it| match it {
            Item::Text(t) => Some(&**t),
            _ => None,
        })
        .collect();
    let words: String = runs.iter().map(|t| t.text()).collect();
    for word in ["Deep", "quote", "text"] {
        assert_eq!(words.matches(word).count(), 4, "{word} in {words:?}");
    }
    for t in &runs {
        assert!(
            t.x >= 20.0 - 0.01 && t.x + t.width() <= 180.0 + 0.01,
            "{:?} at {}..{} leaves the measure",
            t.text(),
            t.x,
            t.x + t.width()
        );
    }
    // The text keeps a third of the measure, at least.
    let mut style = ParaStyle {
        indent_left: 700.0,
        indent_right: 18.0,
        ..style()
    };
    assert!((style.inner_width(160.0) - 160.0 / 3.0).abs() < 0.01);
    style.fit_indents(160.0);
    assert!((style.indent_left + style.indent_right - 160.0 * 2.0 / 3.0).abs() < 0.01);
    assert!(style.indent_left > style.indent_right, "in proportion");
}
