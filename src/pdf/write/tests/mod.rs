//! Tests of the PDF writer: pages, embedded subset fonts, links, outline,
//! metadata, reproducible bytes, JPEG pass-through, bad input, external tools.

use super::*;
use crate::pdf::frame::{
    FontFile, FontId, Glyph, ImageData, ImageId, Item, Metadata, Outline, Page, Rgb, TextRun,
};
use skrifa::prelude::{LocationRef, Size};
use skrifa::raw::FontRef;
use skrifa::MetadataProvider;
use std::sync::Arc;

fn noto() -> Arc<FontFile> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/NotoSerif-Regular.ttf"
    );
    Arc::new(FontFile {
        name: "NotoSerif-Regular".to_string(),
        data: std::fs::read(path).expect("theme font").into(),
        subset_source: Default::default(),
    })
}

/// Glyphs for `text` by plain cmap lookup (no shaping), advances from hmtx.
fn glyphs(font: &FontFile, text: &str, size: f32) -> Vec<Glyph> {
    let face = FontRef::new(&font.data).unwrap();
    let charmap = face.charmap();
    let metrics = face.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            let gid = charmap.map(c).unwrap_or_default();
            Glyph {
                id: gid.to_u32() as u16,
                advance: metrics.advance_width(gid).unwrap_or(0.0),
                text: c.to_string(),
                offset: (0.0, 0.0),
            }
        })
        .collect()
}

/// The font's "fi" ligature glyph, found by glyph name.
fn fi_ligature(font: &FontFile, size: f32) -> Glyph {
    let face = FontRef::new(&font.data).unwrap();
    let names = skrifa::GlyphNames::new(&face);
    let gid = (0..names.num_glyphs())
        .map(skrifa::GlyphId::new)
        .find(|&g| {
            names
                .get(g)
                .is_some_and(|n| matches!(n.as_str(), "fi" | "f_i"))
        })
        .expect("NotoSerif has an fi ligature");
    let metrics = face.glyph_metrics(Size::new(size), LocationRef::default());
    Glyph {
        id: gid.to_u32() as u16,
        advance: metrics.advance_width(gid).unwrap_or(0.0),
        text: "fi".into(),
        offset: (0.0, 0.0),
    }
}

fn run(font: &FontFile, x: f32, y: f32, size: f32, glyphs: Vec<Glyph>) -> TextRun {
    let _ = font;
    TextRun {
        x,
        y,
        font: FontId(0),
        size,
        color: Rgb(0.1, 0.1, 0.2),
        word_spacing: 0.0,
        glyphs: glyphs.into(),
        rotation: 0.0,
        opacity: 1.0,
    }
}

fn outline(title: &str, page: usize, y: f32, children: Vec<Outline>) -> Outline {
    Outline {
        title: title.to_string(),
        page,
        y,
        children,
    }
}

fn sample() -> Document {
    let font = noto();
    let f = &font;
    // "Profit first" with a real fi ligature in "Profit", and the plain
    // 'f' glyph standing for "fi" in "first" (cluster text wins).
    let mut profit = glyphs(f, "Pro", 12.0);
    profit.push(fi_ligature(f, 12.0));
    profit.extend(glyphs(f, "t ", 12.0));
    let mut first = glyphs(f, "f", 12.0);
    first[0].text = "fi".into();
    profit.extend(first);
    profit.extend(glyphs(f, "rst", 12.0));

    // "Café" with a decomposed é: the cluster text sits on the base
    // glyph, the combining accent is a continuation glyph.
    let mut cafe = glyphs(f, "Cafe\u{301}", 14.0);
    cafe[3].text = "é".into();
    cafe[4].text = "".into();
    cafe[4].advance = 0.0;

    let mut justified = run(
        f,
        72.0,
        160.0,
        11.0,
        glyphs(f, "Offer for qualified investors", 11.0),
    );
    justified.word_spacing = 3.0;

    let mut watermark = run(f, 150.0, 650.0, 60.0, glyphs(f, "CONFIDENTIAL", 60.0));
    watermark.rotation = 45.0;
    watermark.opacity = 0.15;
    watermark.color = Rgb(0.8, 0.1, 0.1);

    let (w, h) = (4u32, 4u32);
    let pixels: Vec<u8> = (0..w * h).flat_map(|i| [(i * 16) as u8, 80, 200]).collect();
    let alpha: Vec<u8> = (0..w * h).map(|i| (i * 17) as u8).collect();

    let page1 = Page {
        width: 595.28,
        height: 841.89,
        personal: 0,
        items: vec![
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 595.28,
                h: 60.0,
                fill: Some(Rgb(0.05, 0.2, 0.4)),
                stroke: None,
            },
            Item::Text(Box::new(run(
                f,
                72.0,
                110.0,
                20.0,
                glyphs(f, "Investor Memo – Übersicht", 20.0),
            ))),
            Item::Text(Box::new(run(f, 72.0, 135.0, 12.0, profit))),
            Item::Text(Box::new(justified)),
            Item::Line {
                x1: 72.0,
                y1: 175.0,
                x2: 523.0,
                y2: 175.0,
                width: 0.5,
                color: Rgb(0.5, 0.5, 0.5),
            },
            Item::Rect {
                x: 72.0,
                y: 190.0,
                w: 200.0,
                h: 40.0,
                fill: None,
                stroke: Some((Rgb(0.0, 0.4, 0.2), 1.0)),
            },
            Item::Image {
                x: 400.0,
                y: 190.0,
                w: 80.0,
                h: 80.0,
                image: ImageId(0),
            },
            Item::Text(Box::new(run(
                f,
                72.0,
                300.0,
                10.0,
                glyphs(f, "Call +41 44 000 00 00", 10.0),
            ))),
            Item::Link {
                x: 72.0,
                y: 290.0,
                w: 120.0,
                h: 12.0,
                uri: "tel:+41440000000".to_string(),
            },
            Item::Link {
                x: 72.0,
                y: 310.0,
                w: 120.0,
                h: 12.0,
                uri: "mailto:ir@example.com?subject=Memo%20Q3".to_string(),
            },
            Item::Link {
                x: 72.0,
                y: 330.0,
                w: 120.0,
                h: 12.0,
                uri: "https://example.com/deal?id=7&x=(1)".to_string(),
            },
            Item::Text(Box::new(watermark)),
        ],
    };
    let page2 = Page {
        width: 595.28,
        height: 841.89,
        personal: 0,
        items: vec![
            Item::Text(Box::new(run(
                f,
                72.0,
                100.0,
                14.0,
                glyphs(f, "Appendix", 14.0),
            ))),
            Item::Text(Box::new(run(f, 72.0, 130.0, 14.0, cafe))),
        ],
    };
    Document {
        pages: vec![page1, page2],
        fonts: vec![font.clone()],
        images: vec![Arc::new(ImageData::Rgb8 {
            pixels,
            alpha: Some(alpha),
            width: w,
            height: h,
        })],
        outline: vec![
            outline(
                "Overview",
                0,
                90.0,
                vec![
                    outline("Übersicht – Zahlen", 0, 130.0, vec![]),
                    outline("Risks", 0, 200.0, vec![outline("Market", 0, 210.0, vec![])]),
                ],
            ),
            outline("Appendix", 1, 80.0, vec![]),
        ],
        metadata: Metadata {
            title: "Investor Memo – Q3".to_string(),
            author: "Jürg Example".to_string(),
            subject: "Series B".to_string(),
            keywords: vec!["memo".to_string(), "series b".to_string()],
            creator: "orepress test".to_string(),
            language: "en-US".to_string(),
            date: (2025, 3, 14),
            custom: vec![("OrepressCopy".to_string(), "007".to_string())],
            ..Default::default()
        },
        anchors: Vec::new(),
        written: None,
    }
}

fn load(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).expect("lopdf parses the output")
}

fn text_of(obj: &lopdf::Object) -> String {
    lopdf::decode_text_string(obj).expect("text string")
}

#[test]
fn pages_and_sizes() {
    let pdf = load(&write_pdf(sample()).unwrap());
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 2);
    for id in pages.values() {
        let page = pdf.get_dictionary(*id).unwrap();
        let mb: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(mb, vec![0.0, 0.0, 595.28, 841.89]);
    }
}

/// Pages are written as bytes, packed into object streams, and share one
/// resources dictionary and the page tree: a memo of thousands of pages
/// holds no page object in memory, and its file repeats none.
#[test]
fn pages_share_their_resources_and_are_packed() {
    let bytes = write_pdf(sample()).unwrap();
    let pdf = load(&bytes);
    let root = pdf
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let kids = pdf
        .get_dictionary(root)
        .unwrap()
        .get(b"Kids")
        .unwrap()
        .as_array()
        .unwrap();
    let pages = pdf.get_pages();
    assert_eq!(kids.len(), pages.len());
    let mut resources = std::collections::BTreeSet::new();
    for (index, (kid, id)) in kids.iter().zip(pages.values()).enumerate() {
        assert_eq!(
            kid.as_reference().unwrap(),
            *id,
            "the tree lists the pages in order"
        );
        let page = pdf.get_dictionary(*id).unwrap();
        assert_eq!(page.get(b"Parent").unwrap().as_reference().unwrap(), root);
        assert_eq!(
            page.get(b"StructParents").unwrap().as_i64().unwrap(),
            index as i64
        );
        assert_eq!(page.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        assert!(page.get(b"TrimBox").is_err() && page.get(b"CropBox").is_err());
        resources.insert(page.get(b"Resources").unwrap().as_reference().unwrap());
        let contents = pdf.get_page_content(*id);
        assert!(!contents.is_empty(), "page {index} draws");
    }
    assert_eq!(resources.len(), 1, "one resources dictionary for all pages");
    let fonts = pdf
        .get_dictionary(*resources.first().unwrap())
        .unwrap()
        .get(b"Font");
    assert!(fonts.is_ok(), "the shared resources hold the fonts");
    // Packed: no page dictionary stands in the file as plain text.
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("/Type/Page/") && !text.contains("/Type /Page"),
        "a page left unpacked"
    );
    assert!(text.contains("/Type/ObjStm"));
}

/// Each Type0 font of `pdf`: its dictionary and its descendant CIDFont's.
fn type0_fonts(pdf: &lopdf::Document) -> Vec<(&lopdf::Dictionary, &lopdf::Dictionary)> {
    pdf.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Type0"))
        .map(|d| {
            let desc = d.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]
                .as_dict()
                .unwrap();
            (d, desc)
        })
        .collect()
}

/// The font descriptor of the CIDFont `desc` and its embedded TrueType
/// program (`/FontFile2`), decompressed.
fn font_program<'a>(
    pdf: &'a lopdf::Document,
    desc: &'a lopdf::Dictionary,
) -> (&'a lopdf::Dictionary, Vec<u8>) {
    let fd = desc
        .get_deref(b"FontDescriptor", pdf)
        .unwrap()
        .as_dict()
        .unwrap();
    let file = fd
        .get_deref(b"FontFile2", pdf)
        .unwrap()
        .as_stream()
        .unwrap();
    (fd, file.decompressed_content().unwrap())
}

#[test]
fn fonts_are_embedded_subset_cid_truetype() {
    let pdf = load(&write_pdf(sample()).unwrap());
    for dict in pdf.objects.values().filter_map(|o| o.as_dict().ok()) {
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font") {
            let subtype = dict.get(b"Subtype").unwrap().as_name().unwrap();
            assert_ne!(subtype, b"Type1", "no base-14 or Type1 fonts");
        }
    }
    let fonts = type0_fonts(&pdf);
    assert_eq!(fonts.len(), 1);
    for (dict, desc) in fonts {
        assert_eq!(
            dict.get(b"Encoding").unwrap().as_name().unwrap(),
            b"Identity-H"
        );
        let base = std::str::from_utf8(dict.get(b"BaseFont").unwrap().as_name().unwrap()).unwrap();
        let (tag, name) = base.split_once('+').expect("subset tag");
        assert_eq!(tag.len(), 6);
        assert!(tag.bytes().all(|b| b.is_ascii_uppercase()), "{base}");
        assert_eq!(name, "NotoSerif-Regular");
        assert_eq!(
            desc.get(b"Subtype").unwrap().as_name().unwrap(),
            b"CIDFontType2"
        );
        let map = desc.get(b"CIDToGIDMap").unwrap().as_reference().unwrap();
        assert!(pdf.get_object(map).unwrap().as_stream().is_ok());
        let (fd, program) = font_program(&pdf, desc);
        assert_eq!(
            fd.get(b"FontName").unwrap().as_name().unwrap(),
            base.as_bytes()
        );
        assert!(program.len() < 60_000, "subset is small: {}", program.len());
        assert!(dict.get(b"ToUnicode").is_ok());
    }
}

/// Every CID of a TrueType font has its `/W` width, the advance of its
/// glyph in the embedded subset, in 1/1000 em.
#[test]
fn widths_cover_every_cid_with_its_glyphs_advance() {
    use skrifa::raw::TableProvider;
    let pdf = load(&write_pdf(sample()).unwrap());
    let mut checked = 0;
    for (_, desc) in type0_fonts(&pdf) {
        let map = desc
            .get_deref(b"CIDToGIDMap", &pdf)
            .unwrap()
            .as_stream()
            .unwrap();
        let map = map
            .decompressed_content()
            .unwrap_or_else(|_| map.content.clone());
        let gids: Vec<u16> = map
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        let (_, program) = font_program(&pdf, desc);
        let face = FontRef::new(&program).unwrap();
        let upem = f32::from(face.head().unwrap().units_per_em());
        let hmtx = face.hmtx().unwrap();
        let mut widths = std::collections::BTreeMap::new();
        let w = desc.get(b"W").unwrap().as_array().unwrap();
        for pair in w.chunks(2) {
            let first = pair[0].as_i64().unwrap();
            for (i, width) in pair[1].as_array().unwrap().iter().enumerate() {
                widths.insert(first + i as i64, width.as_i64().unwrap());
            }
        }
        let cids: Vec<i64> = (1..gids.len() as i64).collect();
        assert_eq!(widths.keys().copied().collect::<Vec<_>>(), cids);
        for (cid, width) in widths {
            let advance = hmtx.advance(skrifa::GlyphId::new(gids[cid as usize].into()));
            let expected = (f32::from(advance.unwrap()) * 1000.0 / upem) as i64;
            assert_eq!(width, expected, "CID {cid}");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} widths");
}

#[test]
fn links_keep_uris_and_have_no_border() {
    let pdf = load(&write_pdf(sample()).unwrap());
    let first = *pdf.get_pages().get(&1).unwrap();
    let page = pdf.get_dictionary(first).unwrap();
    let annots = page.get(b"Annots").unwrap().as_array().unwrap();
    let mut uris = Vec::new();
    for a in annots {
        let a = match a {
            lopdf::Object::Reference(id) => pdf.get_dictionary(*id).unwrap(),
            other => other.as_dict().unwrap(),
        };
        assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
        let border: Vec<f32> = a
            .get(b"Border")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(border, vec![0.0, 0.0, 0.0]);
        let action = a.get(b"A").unwrap().as_dict().unwrap();
        assert_eq!(action.get(b"S").unwrap().as_name().unwrap(), b"URI");
        uris.push(
            String::from_utf8(action.get(b"URI").unwrap().as_str().unwrap().to_vec()).unwrap(),
        );
    }
    assert_eq!(
        uris,
        [
            "tel:+41440000000",
            "mailto:ir@example.com?subject=Memo%20Q3",
            "https://example.com/deal?id=7&x=(1)"
        ]
    );
    let second = *pdf.get_pages().get(&2).unwrap();
    assert!(pdf.get_dictionary(second).unwrap().get(b"Annots").is_err());
}

/// (title, depth) in document order, following First/Next and checking
/// Parent, Prev, Last and Count on the way.
fn walk(
    pdf: &lopdf::Document,
    parent: lopdf::ObjectId,
    depth: usize,
    out: &mut Vec<(String, usize)>,
) -> i64 {
    let node = pdf.get_dictionary(parent).unwrap();
    let Ok(first) = node.get(b"First") else {
        return 0;
    };
    let mut id = first.as_reference().unwrap();
    let mut prev = None;
    let mut count = 0;
    loop {
        let entry = pdf.get_dictionary(id).unwrap();
        assert_eq!(
            entry.get(b"Parent").unwrap().as_reference().unwrap(),
            parent
        );
        assert_eq!(
            entry.get(b"Prev").ok().map(|p| p.as_reference().unwrap()),
            prev
        );
        out.push((text_of(entry.get(b"Title").unwrap()), depth));
        let dest = entry.get(b"Dest").unwrap().as_array().unwrap();
        assert!(pdf.get_dictionary(dest[0].as_reference().unwrap()).is_ok());
        let below = walk(pdf, id, depth + 1, out);
        if below > 0 {
            assert_eq!(entry.get(b"Count").unwrap().as_i64().unwrap(), below);
        }
        count += 1 + below;
        prev = Some(id);
        match entry.get(b"Next") {
            Ok(next) => id = next.as_reference().unwrap(),
            Err(_) => break,
        }
    }
    assert_eq!(node.get(b"Last").unwrap().as_reference().unwrap(), id);
    count
}

#[test]
fn outline_is_nested_in_document_order() {
    let pdf = load(&write_pdf(sample()).unwrap());
    let root = pdf
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut entries = Vec::new();
    let count = walk(&pdf, root, 0, &mut entries);
    let expected = [
        ("Overview", 0),
        ("Übersicht – Zahlen", 1),
        ("Risks", 1),
        ("Market", 2),
        ("Appendix", 0),
    ];
    let got: Vec<(&str, usize)> = entries.iter().map(|(t, d)| (t.as_str(), *d)).collect();
    assert_eq!(got, expected);
    assert_eq!(count, 5);
    let outlines = pdf.get_dictionary(root).unwrap();
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 5);
    let mode = pdf
        .catalog()
        .unwrap()
        .get(b"PageMode")
        .unwrap()
        .as_name()
        .unwrap();
    assert_eq!(mode, b"UseOutlines");
}

#[test]
fn info_lang_and_xmp() {
    let pdf = load(&write_pdf(sample()).unwrap());
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info).unwrap();
    let field = |k: &[u8]| text_of(info.get(k).unwrap());
    assert_eq!(field(b"Title"), "Investor Memo – Q3");
    assert_eq!(field(b"Author"), "Jürg Example");
    assert_eq!(field(b"Subject"), "Series B");
    assert_eq!(field(b"Keywords"), "memo, series b");
    assert_eq!(field(b"Creator"), "orepress test");
    assert_eq!(field(b"Producer"), "orepress");
    assert_eq!(field(b"OrepressCopy"), "007");
    let info = read_info(&write_pdf(sample()).unwrap()).unwrap();
    assert_eq!(info.get("OrepressCopy").map(String::as_str), Some("007"));
    assert_eq!(info.get("Author").map(String::as_str), Some("Jürg Example"));
    assert_eq!(field(b"CreationDate"), "D:20250314000000Z");
    assert_eq!(field(b"ModDate"), "D:20250314000000Z");
    let catalog = pdf.catalog().unwrap();
    assert_eq!(text_of(catalog.get(b"Lang").unwrap()), "en-US");
    let xmp = catalog
        .get_deref(b"Metadata", &pdf)
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(xmp.contains("Investor Memo – Q3"), "{xmp}");
    assert!(xmp.contains("<xmp:CreateDate>2025-03-14T00:00:00Z</xmp:CreateDate>"));
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdf:Producer>orepress</pdf:Producer>"));
    let id = pdf.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id.len(), 2);
    assert_eq!(id[0].as_str().unwrap().len(), 16);
}

#[test]
fn same_document_same_bytes_across_threads() {
    let doc = Arc::new(sample());
    let reference = write_pdf((*doc).clone()).unwrap();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let doc = Arc::clone(&doc);
            std::thread::spawn(move || write_pdf((*doc).clone()).unwrap())
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap() == reference, "thread output differs");
    }
    // The /ID follows the content.
    let mut other = sample();
    other.metadata.title.push('!');
    let other = write_pdf(other).unwrap();
    let id = |b: &[u8]| load(b).trailer.get(b"ID").unwrap().as_array().unwrap()[0].clone();
    assert_ne!(id(&reference), id(&other));
}

#[test]
fn jpeg_is_passed_through() {
    let bytes: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0]
        .into_iter()
        .chain(0..200u8)
        .collect();
    let mut doc = sample();
    doc.images = vec![Arc::new(ImageData::Jpeg {
        bytes: Arc::new(bytes.clone()),
        width: 10,
        height: 10,
        components: 3,
    })];
    let pdf = load(&write_pdf(doc).unwrap());
    let found = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .any(|s| {
            s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode")
                && s.content == bytes
                && s.dict.get(b"Width").unwrap().as_i64().unwrap() == 10
        });
    assert!(found);
}

#[test]
fn bad_documents_are_errors_not_panics() {
    assert!(write_pdf(Document::default()).is_err());

    let mut doc = sample();
    if let Item::Text(run) = &mut doc.pages[0].items[1] {
        run.font = FontId(7);
    }
    assert!(write_pdf(doc)
        .unwrap_err()
        .message()
        .contains("unknown font"));

    let mut doc = sample();
    if let Item::Text(run) = &mut doc.pages[0].items[1] {
        run.glyphs.edit(|glyphs| glyphs[0].id = 60_000);
    }
    assert!(write_pdf(doc).unwrap_err().message().contains("glyph id"));

    let mut doc = sample();
    if let Item::Text(run) = &mut doc.pages[0].items[1] {
        run.x = f32::NAN;
    }
    assert!(write_pdf(doc).is_err());

    let mut doc = sample();
    doc.outline[0].children[0].page = 9;
    assert!(write_pdf(doc).is_err());

    let mut doc = sample();
    doc.pages[1].width = 0.0;
    assert!(write_pdf(doc).is_err());

    let mut doc = sample();
    doc.images = vec![];
    assert!(write_pdf(doc).is_err());

    let mut doc = sample();
    doc.fonts = vec![Arc::new(FontFile {
        name: "Broken".to_string(),
        data: vec![0, 1, 0, 0, 9, 9].into(),
        subset_source: Default::default(),
    })];
    assert!(write_pdf(doc).is_err());

    // Odd but valid: no metadata, no outline, an unused font, empty runs.
    let mut doc = sample();
    doc.metadata = Metadata::default();
    doc.outline.clear();
    doc.fonts.push(noto());
    doc.pages[1]
        .items
        .push(Item::Text(Box::new(run(&noto(), 0.0, 0.0, 12.0, vec![]))));
    let pdf = load(&write_pdf(doc).unwrap());
    assert!(pdf.catalog().unwrap().get(b"Outlines").is_err());
}

/// Whether `name` can be run. Under CI a missing tool fails the test
/// rather than skipping it.
fn tool(name: &str) -> bool {
    let found = std::process::Command::new(name).arg("-v").output().is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{name} is not installed (CI is set)"
    );
    found
}

/// One page of `items` in the test font.
fn one_page(items: Vec<Item>) -> Document {
    Document {
        pages: vec![Page {
            width: 595.28,
            height: 841.89,
            personal: 0,
            items,
        }],
        fonts: vec![noto()],
        images: Vec::new(),
        outline: Vec::new(),
        metadata: Metadata::default(),
        anchors: Vec::new(),
        written: None,
    }
}

/// `mutool trace` of `pdf`: what MuPDF draws, glyph by glyph and path by
/// path.
fn trace(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("mutool")
        .arg("trace")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of `attr="…"` in each line of `trace` holding `tag`.
fn attrs(trace: &str, tag: &str, attr: &str) -> Vec<f32> {
    let key = format!(" {attr}=\"");
    trace
        .lines()
        .filter(|l| l.contains(tag))
        .filter_map(|l| {
            let start = l.find(&key)? + key.len();
            let len = l[start..].find('"')?;
            l[start..start + len].parse().ok()
        })
        .collect()
}

#[test]
fn letter_spaced_runs_keep_every_glyph_in_place() {
    if !tool("mutool") {
        return;
    }
    let font = noto();
    let size = 11.0;
    // Letters 0.37 pt apart, as a line justified by letter spacing is,
    // one pair kerned, and wider spaces.
    let mut g = glyphs(&font, "Spaced letters, justified.", size);
    for glyph in &mut g {
        glyph.advance += 0.37;
    }
    g[3].advance -= 0.6;
    let mut line = run(&font, 72.0, 100.0, size, g.clone());
    line.word_spacing = 2.5;
    let mut want = Vec::new();
    let mut x = 72.0f32;
    for glyph in &g {
        want.push(x);
        x += glyph.advance + if glyph.text == " " { 2.5 } else { 0.0 };
    }
    let bytes = write_pdf(one_page(vec![Item::Text(Box::new(line))])).unwrap();
    let pdf = load(&bytes);
    let page = pdf.get_pages()[&1];
    let content = String::from_utf8_lossy(&pdf.get_page_content(page)).into_owned();
    // The spacing is one operator, not a number after every glyph.
    assert!(content.contains("0.37 Tc\n"), "{content}");
    let tj = content.lines().find(|l| l.ends_with("TJ")).unwrap();
    assert!(tj.matches(' ').count() < 8, "{tj}");
    let got = attrs(&trace(&bytes), "<g ", "x");
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (i, (got, want)) in got.iter().zip(&want).enumerate() {
        assert!(
            (got - want).abs() < 0.011,
            "glyph {i}: {got} against {want}"
        );
    }
}

#[test]
fn dotted_leaders_are_one_dashed_line_over_the_dots() {
    if !tool("mutool") {
        return;
    }
    let dots = Item::Dots {
        x: 100.0,
        y: 200.0,
        size: 0.8,
        step: 3.5,
        count: 40,
        color: Rgb(0.5, 0.5, 0.5),
    };
    let bytes = write_pdf(one_page(vec![dots])).unwrap();
    let t = trace(&bytes);
    assert_eq!(t.matches("<stroke_path").count(), 1, "{t}");
    assert!(
        t.contains(r#"dash=".8 2.7""#) && t.contains(r#"linewidth=".8""#),
        "{t}"
    );
    assert!(t.contains(r#"linecap="0,0,0""#), "square dots: {t}");
    // From the first dot's left edge to the last's right edge, on their
    // middle (PDF space: 841.89 - 200.4).
    assert_eq!(attrs(&t, "<moveto", "x"), [100.0]);
    assert_eq!(attrs(&t, "<lineto", "x"), [100.0 + 39.0 * 3.5 + 0.8]);
    assert_eq!(attrs(&t, "<moveto", "y"), [641.49]);
}

#[test]
fn external_tools_accept_the_output() {
    if !(tool("qpdf") && tool("pdffonts") && tool("pdftotext")) {
        eprintln!("qpdf/pdffonts/pdftotext not installed; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memo.pdf");
    std::fs::write(&path, write_pdf(sample()).unwrap()).unwrap();
    if let Some(keep) = std::env::var_os("OREPRESS_KEEP_SAMPLE_PDF") {
        std::fs::copy(&path, keep).unwrap();
    }
    let run = |cmd: &str, args: &[&str]| {
        let out = std::process::Command::new(cmd)
            .args(args)
            .arg(&path)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (ok, out, err) = run("qpdf", &["--check"]);
    assert!(ok, "qpdf --check failed:\n{out}\n{err}");

    let (ok, out, _) = run("pdffonts", &[]);
    assert!(ok);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "{row}");
        assert!(
            row.contains("CID TrueType") && row.contains("Identity-H"),
            "{row}"
        );
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
    }

    let text_path = dir.path().join("memo.txt");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg(&text_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&text_path).unwrap();
    for expected in [
        "Investor Memo – Übersicht",
        "Profit first",
        "Offer for qualified investors",
        "Call +41 44 000 00 00",
        "Appendix",
        "Café",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains('\u{FFFD}'), "{text}");
}

/// Every stream worth it is deflated, fonts and page contents included,
/// and each one inflates back to what it stands for.
#[test]
fn streams_are_deflated() {
    use std::io::Read as _;
    let bytes = write_pdf(sample()).unwrap();
    let pdf = load(&bytes);
    let mut seen = 0;
    for (id, object) in &pdf.objects {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        // XMP metadata stays readable as it is (PDF/A asks for it).
        if stream.dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Metadata") {
            continue;
        }
        let raw = match stream.dict.get(b"Filter") {
            Ok(f) => {
                assert_eq!(f.as_name().unwrap(), b"FlateDecode", "{id:?}");
                let mut raw = Vec::new();
                flate2::read::ZlibDecoder::new(&stream.content[..])
                    .read_to_end(&mut raw)
                    .unwrap();
                // Deflate gains on anything but a few bytes.
                assert!(
                    raw.len() < 200 || raw.len() > stream.content.len(),
                    "{id:?} grew"
                );
                raw
            }
            Err(_) => stream.content.clone(),
        };
        // A stream left as it is must be one that deflate cannot shrink:
        // short, or already compressed (a JPEG).
        if stream.dict.get(b"Filter").is_err() {
            assert!(raw.len() < 200, "{id:?}: {} bytes left raw", raw.len());
        }
        if let Ok(n) = stream.dict.get(b"Length1").and_then(|l| l.as_i64()) {
            assert_eq!(raw.len() as i64, n, "the font program inflates whole");
            seen += 1;
        }
    }
    assert!(seen > 0, "the sample embeds a font");
}

/// Pictures: their resolution, format and shared streams.
mod images;
