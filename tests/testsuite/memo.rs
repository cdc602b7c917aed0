//! Tests of the memo PDFs: structure read back with lopdf, text with
//! pdftotext, and the layout itself through the library.

use std::fs;
use std::path::Path;

use lopdf::{Document as Pdf, Object};
use orepress::pdf::frame::Item;

use crate::testsuite::common::*;

pub(super) fn load(path: &Path) -> Pdf {
    Pdf::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(super) fn string(o: &Object) -> String {
    match o {
        Object::String(bytes, _) => {
            if bytes.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = bytes[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
        other => format!("{other:?}"),
    }
}

fn info(pdf: &Pdf, key: &[u8]) -> String {
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| pdf.get_dictionary(r))
        .unwrap();
    info.get(key).map(string).unwrap_or_default()
}

/// Every link annotation's URI, page by page.
fn uris(pdf: &Pdf) -> Vec<String> {
    let mut out = Vec::new();
    for (_, page_id) in pdf.get_pages() {
        for annot in pdf.get_page_annotations(page_id).unwrap_or_default() {
            let border: Vec<f32> = annot
                .get(b"Border")
                .and_then(|b| b.as_array())
                .map(|a| a.iter().map(|o| o.as_float().unwrap_or(1.0)).collect())
                .unwrap_or_default();
            assert_eq!(
                border,
                vec![0.0, 0.0, 0.0],
                "link annotations have no border"
            );
            if let Ok(action) = annot.get(b"A").and_then(|a| a.as_dict()) {
                if let Ok(uri) = action.get(b"URI") {
                    out.push(string(uri));
                }
            }
        }
    }
    out
}

/// Outline titles with their depth, in document order.
pub(super) fn outline(pdf: &Pdf) -> Vec<(usize, String)> {
    fn walk(pdf: &Pdf, id: Option<lopdf::ObjectId>, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = id;
        while let Some(id) = next {
            let d = pdf.get_dictionary(id).unwrap();
            out.push((depth, d.get(b"Title").map(string).unwrap_or_default()));
            walk(
                pdf,
                d.get(b"First").and_then(|o| o.as_reference()).ok(),
                depth + 1,
                out,
            );
            next = d.get(b"Next").and_then(|o| o.as_reference()).ok();
        }
    }
    let root = pdf
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .unwrap();
    let first = pdf
        .get_dictionary(root)
        .unwrap()
        .get(b"First")
        .and_then(|o| o.as_reference())
        .ok();
    let mut out = Vec::new();
    walk(pdf, first, 0, &mut out);
    out
}

#[test]
fn example_memos_have_structure_links_outline_and_metadata() {
    let dir = example();
    build(dir.path(), &[]);
    let memo = dir.path().join("output/memos/antimony-opportunity.pdf");
    let pdf = load(&memo);
    assert!(
        pdf.get_pages().len() >= 4,
        "a real memo has a cover and body pages"
    );

    // Fonts: every one embedded (FontFile2) and subset (ABCDEF+ tag).
    let mut fonts = 0;
    for (_, obj) in pdf.objects.iter() {
        if let Ok(d) = obj.as_dict() {
            if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
                fonts += 1;
                assert!(d.get(b"FontFile2").is_ok(), "font embedded: {d:?}");
                let name = d.get(b"FontName").and_then(|n| n.as_name()).unwrap();
                assert_eq!(
                    name.get(6),
                    Some(&b'+'),
                    "subset tag: {}",
                    String::from_utf8_lossy(name)
                );
                assert!(name[..6].iter().all(u8::is_ascii_uppercase));
            }
        }
    }
    assert!(fonts >= 4, "serif and sans faces are used: {fonts}");

    // Contact card links: tel:, WhatsApp; and the sources' links.
    let links = uris(&pdf);
    assert!(
        links.contains(&"tel:+923331717170".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"https://wa.me/923331717170".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"https://wa.me/923002048048".to_string()),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("https://profit.pakistantoday.com.pk/")),
        "{links:?}"
    );

    // Outline: title first, sections in order, subsections nested.
    let outline = outline(&pdf);
    let titles: Vec<&str> = outline.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        titles[0].starts_with("Antimony: Pakistan"),
        "the memo title comes first: {titles:?}"
    );
    let pos = |t: &str| {
        titles
            .iter()
            .position(|x| x.contains(t))
            .unwrap_or_else(|| panic!("{t} in {titles:?}"))
    };
    assert!(pos("Executive summary") < pos("Deal facts"));
    assert!(pos("Deal facts") < pos("Contact"));
    assert!(pos("Contact") < pos("Important notices"));
    let facts_depth = outline[pos("Deal facts")].0;
    assert!(
        outline
            .iter()
            .any(|(d, t)| *d == facts_depth + 1 && t.contains("USSM")),
        "deals nest under Deal facts: {outline:?}"
    );

    // Metadata from the brief, the date from content (never the clock).
    assert_eq!(info(&pdf, b"Author"), "Shahnawaz Yaqub Bhatti");
    assert!(info(&pdf, b"Title").starts_with("Antimony"));
    assert!(
        info(&pdf, b"Keywords").contains("antimony"),
        "{}",
        info(&pdf, b"Keywords")
    );
    assert!(
        info(&pdf, b"CreationDate").starts_with("D:20251117"),
        "{}",
        info(&pdf, b"CreationDate")
    );
    let lang = pdf
        .catalog()
        .unwrap()
        .get(b"Lang")
        .map(string)
        .unwrap_or_default();
    assert_eq!(lang, "en-US");

    // Text extracts in reading order with the running footer.
    if let Some(text) = pdftotext(&memo, &["-layout"]) {
        assert!(text.contains("Executive summary"));
        assert!(text.contains("Page 2 of"), "footer numbering");
        assert!(!text.contains('\u{FFFD}'), "no unmapped glyphs");
        let a = text.find("Executive summary").unwrap();
        let b = text.find("Important notices").unwrap();
        assert!(a < b, "reading order");
    }
}

#[test]
fn public_memos_are_published_and_confidential_ones_are_not() {
    let dir = example();
    build(dir.path(), &[]);
    let site = dir.path().join("output/site");
    assert!(site.join("memos/antimony-opportunity.pdf").is_file());
    assert!(
        dir.path()
            .join("output/memos/offtake-structuring.pdf")
            .is_file(),
        "the confidential memo is made"
    );
    assert!(
        !site.join("memos/offtake-structuring.pdf").exists(),
        "but never published"
    );
    let page = fs::read_to_string(site.join("briefs/antimony-opportunity/index.html")).unwrap();
    assert!(
        page.contains("memos/antimony-opportunity.pdf"),
        "the brief links its memo"
    );
    let conf = load(&dir.path().join("output/memos/offtake-structuring.pdf"));
    let text = pdftotext(
        &dir.path().join("output/memos/offtake-structuring.pdf"),
        &["-layout"],
    );
    if let Some(t) = text {
        assert!(t.contains("CONFIDENTIAL INVESTOR MEMO"), "cover marks it");
        assert!(
            t.contains("Confidential — not for distribution"),
            "footer marks it"
        );
    }
    assert!(conf.get_pages().len() >= 3);
}

#[test]
fn memos_are_byte_identical_across_builds_and_job_counts() {
    let dir = example();
    build(dir.path(), &["--jobs", "1", "--pdf-only"]);
    let one = snapshot(&dir.path().join("output/memos"));
    // --fresh: set again, not taken from the build before.
    build(dir.path(), &["--jobs", "2", "--pdf-only", "--fresh"]);
    let two = snapshot(&dir.path().join("output/memos"));
    build(dir.path(), &["--pdf-only", "--fresh"]);
    let three = snapshot(&dir.path().join("output/memos"));
    // Four briefs, and the Urdu translation of one; and their keys.
    assert_eq!(one.len(), 6);
    assert!(one.iter().any(|(p, _)| p.ends_with(".keys")));
    assert!(one == two && two == three, "memos differ between builds");
}

/// The typography fixture through the library: ligatures extract, nothing
/// crosses the margins, and the layout matches its snapshot.
#[test]
fn typography_holds_and_layout_matches_snapshot() {
    let dir = fixture("memo-typography");
    let (project, theme, _) =
        orepress::pipeline::load(dir.path(), false, None, None).expect("fixture loads");
    let fonts = orepress::pdf::MemoFonts::load(&theme).unwrap();
    let brief = project.brief("typography").unwrap();
    let doc = orepress::pdf::compose::compose(&project, &theme, &fonts, brief, None).unwrap();

    let [_, mr, _, ml] = theme.config.pdf.margins_mm;
    let mm = 72.0 / 25.4;
    let mut text = String::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(t) = item {
                text.push_str(&t.text());
                text.push('\n');
                if t.rotation == 0.0 {
                    assert!(t.x >= ml * mm - 0.5, "left margin: {} at {}", t.text(), t.x);
                    assert!(
                        t.x + t.width() <= page.width - mr * mm + 0.5,
                        "right margin: {} ends at {}",
                        t.text(),
                        t.x + t.width()
                    );
                }
            }
        }
    }
    assert_eq!(doc.images.len(), 1, "the PNG chart is placed");
    assert!(doc.pages.iter().any(|p| p
        .items
        .iter()
        .any(|i| matches!(i, Item::Image { w, .. } if *w > 100.0))));
    assert!(
        text.contains("Bar chart of five values"),
        "the alt text is its caption"
    );
    for word in ["office", "financial", "affine", "waffle"] {
        assert!(text.contains(word), "{word} reads back through ligatures");
    }
    // The long URL is broken across lines, never drawn past the margin (checked above).
    assert!(!text.lines().any(|l| l.contains("https://example.org/a/very/long/path/that/does/not/fit/on/one/line/of/the/memo/at/all/whatever/happens/next/index.html")));

    let dump = doc.dump();
    let snap = repo().join("tests/snapshots/memo-typography.layout.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&snap, &dump).unwrap();
    }
    let want = fs::read_to_string(&snap).unwrap_or_default();
    assert!(
        want == dump,
        "layout changed; review and run with UPDATE_SNAPSHOTS=1 to accept:\n{}",
        first_difference(&want, &dump)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn extracted_text_matches_the_source_in_reading_order() {
    if !have("pdftotext") {
        return;
    }
    let dir = fixture("memo-typography");
    build(dir.path(), &["--pdf-only"]);
    let text = pdftotext(&dir.path().join("output/memos/typography.pdf"), &[])
        .expect("pdftotext is installed");
    // Undo line-end hyphenation and line breaks, as a reader would.
    let flat = flat(&text.replace("-\n", ""));
    for sentence in [
        "The office of the financial officer reviewed the affluent fjord’s effluent.",
        "A sufficiently difficult paragraph with ligatures: office, financial, affine, offload, waffle.",
        "A quotation that should be set apart from the body text.",
    ] {
        assert!(flat.contains(sentence), "{sentence:?} not in {flat}");
    }
    // The body starts after the cover (whose contents list names sections too).
    let body = &flat[flat.rfind("Executive summary").unwrap()..];
    let order = [
        "First section",
        "A subsection",
        "First item with a link.",
        "Second section",
        "Closing words.",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|s| body.find(s).unwrap_or_else(|| panic!("{s}")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "reading order: {positions:?}"
    );
}

#[test]
fn letter_paper_is_a_setting() {
    let dir = fixture("memo-typography");
    let site = dir.path().join("content/site.yaml");
    let text = fs::read_to_string(&site)
        .unwrap()
        .replace("memo:\n", "memo:\n  paper: letter\n");
    fs::write(&site, text).unwrap();
    build(dir.path(), &["--pdf-only"]);
    let pdf = load(&dir.path().join("output/memos/typography.pdf"));
    for (_, id) in pdf.get_pages() {
        let page = pdf.get_dictionary(id).unwrap();
        let media: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(media, vec![0.0, 0.0, 612.0, 792.0]);
    }
}

/// The prose fixture: every sentence of a table row taller than a page is
/// extracted, the code block keeps its indentation in a monospace font, and
/// no two hyphenated lines follow each other.
#[test]
fn tall_rows_code_and_hyphens_in_the_prose_memo() {
    if !have("pdftotext") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required on CI (apt-get install poppler-utils)"
        );
        return;
    }
    let dir = fixture("memo-prose");
    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/supply-chains.pdf");
    let text = pdftotext(&pdf, &[]).expect("pdftotext is installed");
    // The row's text with the page furniture between its parts left out
    // (running header and footer, the repeated header row).
    let furniture = [
        "Prose", "Test", "TESTFIRM", "Mineral", "supply", "chains", "Route", "Distance", "Typical",
        "transit", "Notes",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "Page" && words.get(i + 2) == Some(&"of") {
            i += 4;
            continue;
        }
        if !furniture.contains(&words[i]) {
            kept.push(words[i]);
        }
        i += 1;
    }
    let flat = kept.join(" ");
    for i in 1..=60 {
        let s = format!("Row sentence {i} records one more observation about the warehouse.");
        assert!(flat.contains(&s), "{s:?} lost");
    }
    let layout = pdftotext(&pdf, &["-layout"]).unwrap();
    assert!(
        layout.contains("    interval_minutes: 15"),
        "code indentation"
    );
    let ends: Vec<bool> = text
        .lines()
        .map(|l| l.ends_with('\u{00AD}') || l.ends_with('-'))
        .collect();
    assert!(
        !ends.windows(2).any(|w| w[0] && w[1]),
        "two hyphenated lines in a row"
    );
}

/// The executive-summary panel: on by default, off per brief
/// (`summary_panel: false`) or per site (`memo: { summary_panel: false }`),
/// with the brief's word over the site's, and left out when the brief
/// opens with its own "Executive summary" heading.
#[test]
fn the_summary_panel_can_be_turned_off() {
    if !have("pdftotext") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required on CI (apt-get install poppler-utils)"
        );
        return;
    }
    let brief_path = "content/briefs/supply-chains.md";
    let body_text = |edit: &dyn Fn(&Path)| -> String {
        let dir = fixture("memo-prose");
        edit(dir.path());
        build(dir.path(), &["--pdf-only"]);
        let pdf = dir.path().join("output/memos/supply-chains.pdf");
        // The body, from page 2 (the cover lists the contents).
        flat(&pdftotext(&pdf, &["-f", "2"]).unwrap())
    };
    let set_front = |dir: &Path, line: &str| {
        let p = dir.join(brief_path);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(
            &p,
            text.replacen("lang: en-GB\n", &format!("lang: en-GB\n{line}\n"), 1),
        )
        .unwrap();
    };
    let set_site = |dir: &Path| {
        let p = dir.join("content/site.yaml");
        let text = fs::read_to_string(&p).unwrap();
        fs::write(
            &p,
            text.replace("memo:\n", "memo:\n  summary_panel: false\n"),
        )
        .unwrap();
    };
    let summary = "A long prose brief on the way minerals move";
    let count = |t: &str| t.matches("Executive summary").count();

    let default = body_text(&|_| {});
    assert_eq!(count(&default), 1, "the panel by default");
    assert!(default.contains(summary));

    let off = body_text(&|d| set_front(d, "summary_panel: false"));
    assert_eq!(count(&off), 0, "summary_panel: false in the brief");
    assert!(!off.contains(summary));

    let site_off = body_text(&set_site);
    assert_eq!(
        count(&site_off),
        0,
        "memo.summary_panel: false in site.yaml"
    );
    let brief_on = body_text(&|d| {
        set_site(d);
        set_front(d, "summary_panel: true");
    });
    assert_eq!(count(&brief_on), 1, "the brief's word over the site's");

    let own = body_text(&|d| {
        let p = d.join(brief_path);
        let text = fs::read_to_string(&p).unwrap();
        let text = text.replacen(
            "---\n## The shape",
            "---\n## Executive summary\n\nOur own words up front.\n\n## The shape",
            1,
        );
        fs::write(&p, text).unwrap();
    });
    assert_eq!(count(&own), 1, "the brief's own heading, no panel");
    assert!(own.contains("Our own words up front.") && !own.contains(summary));
}

/// The prose fixture's typography as `benches/typography.py` measures it:
/// word gaps of justified lines (median 100–115 % of the natural space,
/// 95th percentile at most 150 %, none over 180 %), at most 1.5 hyphens
/// per body page, never two in a row nor at a page's foot, no fragment and
/// no overfull line.
#[test]
fn prose_typography_figures_hold() {
    if !(have("pdftotext") && have("python3")) {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext and python3 are required on CI"
        );
        return;
    }
    let dir = fixture("memo-prose");
    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/supply-chains.pdf");
    let out = std::process::Command::new("python3")
        .arg(repo().join("benches/typography.py"))
        .arg("--json")
        .arg(&pdf)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k} in {r}"));
    assert!(f("body pages") >= 3.0, "{r}");
    assert!((100.0..=115.0).contains(&f("gap median %")), "{r}");
    assert!(f("gap p95 %") <= 150.0, "{r}");
    assert!(f("gap max %") <= 180.0, "{r}");
    assert!(f("hyphens/page") <= 1.5, "{r}");
    for k in ["consecutive", "page-foot", "fragments", "overfull"] {
        assert_eq!(f(k), 0.0, "{k}: {r}");
    }
}

/// A 200-character title: set smaller so the cover keeps the whole
/// contents list, with no title line ending on a word of one or two
/// letters.
#[test]
fn a_long_title_leaves_the_cover_its_contents() {
    if !have("pdftotext") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required on CI (apt-get install poppler-utils)"
        );
        return;
    }
    let dir = fixture("memo-prose");
    let p = dir.path().join("content/briefs/supply-chains.md");
    let title = "Mineral supply chains in a changing world: how ore becomes a product, where \
                 the risks of that long journey lie, and what an investor in a new mine can do \
                 to manage them at each stage of the way to market";
    assert!(title.len() >= 200, "{}", title.len());
    let text = fs::read_to_string(&p).unwrap();
    let old = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    fs::write(&p, text.replacen(old, &format!("title: \"{title}\""), 1)).unwrap();
    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/supply-chains.pdf");
    let cover = pdftotext(&pdf, &["-f", "1", "-l", "1", "-layout"]).unwrap();
    for entry in [
        "Executive summary",
        "1 The shape of a supply chain",
        "8 Outlook",
        "Notes",
        "Contact",
        "Important notices",
    ] {
        assert!(
            cover.contains(entry),
            "{entry:?} missing from the cover:\n{cover}"
        );
    }
    // The title's lines (before the summary) end on longer words.
    for line in cover
        .lines()
        .skip_while(|l| !l.starts_with("Mineral"))
        .take_while(|l| !l.trim().is_empty())
    {
        let last = line.split_whitespace().last().unwrap();
        assert!(
            last.chars().count() > 2,
            "a line ends on {last:?}: {line:?}"
        );
    }
}

/// A JPEG of `w` × `h` pixels that compresses like a photograph: smooth
/// shapes, edges and a little grain.
pub(super) fn photo_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut seed = 0x9E37_79B9u32;
    for y in 0..h {
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let grain = (seed >> 28) as u8;
            let cell = ((x / 97) * 31 + (y / 89) * 17) % 64;
            rgb.extend_from_slice(&[
                (x * 160 / w) as u8 + grain + cell as u8,
                (y * 160 / h) as u8 + grain,
                (200 - cell * 2) as u8 + grain,
            ]);
        }
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode(&rgb, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    jpeg
}

/// A 4000 × 3000 photograph is embedded at 300 ppi at the width it is
/// placed (a memo a fraction of the photo's size); a small picture is
/// embedded byte for byte.
#[test]
fn a_large_photo_is_downsampled_and_a_small_one_kept_as_it_is() {
    let dir = example();
    let assets = dir.path().join("content/assets");
    let photo = photo_jpeg(4000, 3000);
    let small = photo_jpeg(240, 180);
    fs::write(assets.join("photo.jpg"), &photo).unwrap();
    fs::write(assets.join("small.jpg"), &small).unwrap();
    let brief = dir.path().join("content/briefs/offtake-structuring.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        format!(
            "{text}\n\n![A mine site](../assets/photo.jpg)\n\n![A sample](../assets/small.jpg)\n"
        ),
    )
    .unwrap();
    build(dir.path(), &["--pdf-only"]);
    let pdf_path = dir.path().join("output/memos/offtake-structuring.pdf");
    let size = fs::metadata(&pdf_path).unwrap().len() as usize;
    assert!(
        size < photo.len() / 3,
        "memo of {size} bytes for a photo of {}",
        photo.len()
    );

    // Where the layout placed the photo.
    let (project, theme, _) = orepress::pipeline::load(dir.path(), false, None, None).unwrap();
    let fonts = orepress::pdf::MemoFonts::load(&theme).unwrap();
    let b = project.brief("offtake-structuring").unwrap();
    let doc = orepress::pdf::compose::compose(&project, &theme, &fonts, b, None).unwrap();
    let widths: Vec<f32> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Image { w, .. } => Some(*w),
            _ => None,
        })
        .collect();
    let widest = widths.iter().cloned().fold(0.0, f32::max);
    assert!(widest > 200.0, "{widths:?}");

    let pdf = load(&pdf_path);
    let images: Vec<&lopdf::Stream> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .collect();
    assert_eq!(images.len(), 2);
    let width = |s: &lopdf::Stream| s.dict.get(b"Width").unwrap().as_i64().unwrap() as f32;
    let large = images.iter().find(|s| width(s) > 240.0).unwrap();
    assert!(
        width(large) <= 300.0 * widest / 72.0 + 1.0,
        "{} pixels for {widest} pt",
        width(large)
    );
    assert!(width(large) >= 300.0 * widest / 72.0 - 1.0);
    assert!(large.content.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(
        images.iter().any(|s| s.content == small),
        "the small picture is embedded as it is"
    );
}

/// Appends `more` to the minimal fixture's brief `alpha`.
fn append_to_alpha(dir: &Path, more: &str) {
    let brief = dir.join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, format!("{text}{more}")).unwrap();
}

/// The text runs of the memo of `alpha`, as composed, in order.
fn alpha_runs(dir: &Path) -> Vec<orepress::pdf::frame::TextRun> {
    let (project, theme, _) = orepress::pipeline::load(dir, false, None, None).unwrap();
    let fonts = orepress::pdf::MemoFonts::load(&theme).unwrap();
    let b = project.brief("alpha").unwrap();
    let doc = orepress::pdf::compose::compose(&project, &theme, &fonts, b, None).unwrap();
    doc.pages
        .into_iter()
        .flat_map(|p| p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(*run),
            _ => None,
        })
        .collect()
}

/// A note whose only mark is in a heading is in the memo's notes, and its
/// number links to a page of the memo: that link named a place that did
/// not exist, and no memo was written ("link to an unknown place
/// #fnref-1"). The heading shows its mark (it was set as plain text, the
/// mark dropped); the bookmark's title does not.
#[test]
fn a_note_marked_only_in_a_heading_is_set() {
    let dir = fixture("minimal");
    append_to_alpha(
        dir.path(),
        "\n## Risks in the pit[^pit]\n\nText.\n\n[^pit]: Named in a heading only.\n",
    );
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/alpha.pdf");
    if let Some(text) = pdftotext(&path, &[]) {
        assert!(flat(&text).contains("Named in a heading only."), "{text}");
        assert!(flat(&text).contains("Risks in the pit¹"), "{text}");
    }
    let pdf = load(&path);
    let titles: Vec<String> = outline(&pdf).into_iter().map(|(_, t)| t).collect();
    assert!(
        titles.iter().any(|t| t.ends_with("Risks in the pit")),
        "{titles:?}"
    );
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    let mut internal = 0;
    for &page in &pages {
        let Ok(annots) = pdf.get_dictionary(page).unwrap().get(b"Annots") else {
            continue;
        };
        for a in annots.as_array().unwrap() {
            let a = pdf.get_dictionary(a.as_reference().unwrap()).unwrap();
            if let Ok(dest) = a.get(b"Dest") {
                let target = dest.as_array().unwrap()[0].as_reference().unwrap();
                assert!(pages.contains(&target), "a link to {target:?}, not a page");
                internal += 1;
            }
        }
    }
    assert!(internal > 0, "the memo has internal links");
}

/// Markdown the memo set poorly: a note's list, table and code were left
/// out (only its paragraphs were set), a link in a table's header row was
/// drawn in the colour of the row's fill, and a line break the author
/// asked for was a space.
#[test]
fn notes_keep_their_blocks_header_links_show_and_line_breaks_hold() {
    let dir = fixture("minimal");
    let added = "\n| Mine | [Grade](https://example.org/grades) |\n|---|---|\n| Pit | 4% |\n\n\
        First line of the address  \nSecond line of the address.\n\n\
        A claim.[^long]\n\n\
        [^long]: The source, in three parts:\n\n    - the survey of 2019\n    - the assay of 2021\n\n    \
        ```\n    grade = tonnes / ore\n    ```\n";
    append_to_alpha(dir.path(), added);
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/alpha.pdf");
    if let Some(text) = pdftotext(&path, &[]) {
        let flat = flat(&text);
        for part in [
            "the survey of 2019",
            "the assay of 2021",
            "grade = tonnes / ore",
        ] {
            assert!(flat.contains(part), "the note lost `{part}`: {flat}");
        }
        // The break holds: the two lines are two lines.
        assert!(
            text.contains("First line of the address\nSecond line of the address."),
            "{text}"
        );
    }
    // The header row's link is drawn in the header's white, not in the
    // brand colour of the row's fill.
    let grade: Vec<orepress::pdf::frame::Rgb> = alpha_runs(dir.path())
        .iter()
        .filter(|run| run.text() == "Grade")
        .map(|run| run.color)
        .collect();
    assert_eq!(grade, vec![orepress::pdf::frame::Rgb::WHITE], "{grade:?}");
}

/// Every level of a nested list has its mark, drawn with a glyph of the
/// memo's fonts: the third level's `◦` is in none of the theme's fonts,
/// and its items had no mark at all.
#[test]
fn every_level_of_a_list_has_a_drawn_mark() {
    let dir = fixture("minimal");
    append_to_alpha(dir.path(), "\n- one\n  - two\n    - three\n      - four\n");
    let runs = alpha_runs(dir.path());
    // Each item's words, and the mark drawn just left of them.
    let mut marks = Vec::new();
    for word in ["one", "two", "three", "four"] {
        let item = runs.iter().find(|r| r.text() == word).expect(word);
        let mark = runs
            .iter()
            .filter(|r| (r.y - item.y).abs() < 0.5 && r.x < item.x && r.x > item.x - 20.0)
            .min_by(|a, b| (item.x - a.x).total_cmp(&(item.x - b.x)))
            .unwrap_or_else(|| panic!("no mark before `{word}`"));
        assert!(
            mark.glyphs.iter().all(|g| g.id != 0),
            "the mark of `{word}` is not in the font"
        );
        marks.push(mark.text());
    }
    assert_eq!(marks[0], marks[3], "levels cycle: {marks:?}");
    assert!(
        marks[0] != marks[1] && marks[1] != marks[2] && marks[0] != marks[2],
        "{marks:?}"
    );
}

/// A heading that skips levels (`####` under `##`) goes one level below
/// the heading before it: numbered 1.1, not 1.0.1.
#[test]
fn a_skipped_heading_level_is_numbered_without_a_zero() {
    let dir = fixture("minimal");
    append_to_alpha(
        dir.path(),
        "\n## Geology\n\nText.\n\n#### The pit\n\nText.\n\n###### The adit\n\nText.\n",
    );
    let site = dir.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    assert!(!yaml.contains("memo:"), "the fixture has no memo settings");
    fs::write(&site, format!("{yaml}memo:\n  numbered_headings: true\n")).unwrap();
    let lines: Vec<String> = alpha_runs(dir.path()).iter().map(|r| r.text()).collect();
    // Each heading's number is set before its words, an en space between.
    let number = |title: &str| {
        let line = lines
            .iter()
            .find(|l| l.ends_with(&format!("\u{2002}{title}")))
            .unwrap_or_else(|| panic!("no numbered `{title}`: {lines:?}"));
        line.split('\u{2002}').next().unwrap().to_string()
    };
    let g = number("Geology");
    assert!(!g.contains('.'), "{g}");
    assert_eq!(number("The pit"), format!("{g}.1"));
    assert_eq!(number("The adit"), format!("{g}.1.1"));
}

/// A picture placed many times is embedded once (it was embedded once per
/// placement: 3,000 placements of a 3 KB picture made an 18 MB memo), and
/// each placement is still drawn, at the size of the largest.
#[test]
fn a_picture_placed_many_times_is_embedded_once() {
    let dir = example();
    fs::write(
        dir.path().join("content/assets/photo.jpg"),
        photo_jpeg(400, 300),
    )
    .unwrap();
    let brief = dir.path().join("content/briefs/offtake-structuring.md");
    let text = fs::read_to_string(&brief).unwrap();
    let placed = "![A mine site](../assets/photo.jpg)\n\n".repeat(40);
    fs::write(&brief, format!("{text}\n\n{placed}")).unwrap();
    build(dir.path(), &["--pdf-only"]);
    let pdf = load(&dir.path().join("output/memos/offtake-structuring.pdf"));
    let images: Vec<lopdf::ObjectId> = pdf
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream()
                .ok()
                .and_then(|s| s.dict.get(b"Subtype").ok())
                .and_then(|t| t.as_name().ok())
                == Some(b"Image")
        })
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(images.len(), 1, "one image object for one picture");
    // The names the pages' resources give that one object, and how often
    // the pages draw it: 40 times in all.
    let names: std::collections::BTreeSet<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .flat_map(|d| d.iter())
        .filter(|(_, v)| v.as_reference().ok() == Some(images[0]))
        .map(|(k, _)| format!("/{} Do", String::from_utf8_lossy(k)))
        .collect();
    assert!(!names.is_empty(), "no resource names the picture");
    let path = dir.path().join("output/memos/offtake-structuring.pdf");
    let drawn: usize = page_streams(&path)
        .iter()
        .flatten()
        .map(|s| {
            let s = String::from_utf8_lossy(s);
            names
                .iter()
                .map(|n| s.matches(n.as_str()).count())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(drawn, 40, "each placement is drawn");
}

/// Runs orepress with `args` in `dir` and returns whether it succeeded and
/// its peak resident memory in bytes, from the kernel's accounting of that
/// one child (`wait4`), so other tests' processes do not count.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, not Child::wait
fn peak_memory(dir: &Path, args: &[&str]) -> (bool, u64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run orepress");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are
    // to live locals.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4 failed");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (ok, usage.ru_maxrss as u64 * 1024)
}

/// Writes `text` as the brief `alpha`, sets its memo afresh and returns
/// the build's peak memory (asserting that it built).
#[cfg(target_os = "linux")]
fn memo_peak(dir: &Path, text: &str) -> u64 {
    fs::write(dir.join("content/briefs/alpha.md"), text).unwrap();
    let (ok, peak) = peak_memory(dir, &["build", "-q", "--pdf-only", "--fresh"]);
    assert!(ok, "a brief of {} bytes builds", text.len());
    peak
}

/// Asserts that a memo's peak memory grew from `base` to `long` by less
/// than `per_byte` bytes for each of the `bytes` of `what` it was given.
#[cfg(target_os = "linux")]
fn assert_grows_within(what: &str, bytes: usize, base: u64, long: u64, per_byte: u64) {
    let growth = long.saturating_sub(base);
    assert!(
        growth < per_byte * bytes as u64,
        "{what} of {bytes} bytes took {} MB more than a short brief ({} MB)",
        growth >> 20,
        base >> 20
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_long_table_takes_memory_in_proportion_to_its_text() {
    let dir = fixture("minimal");
    let front = "---\ntitle: Lots\nsummary: One long table.\ndate: 2025-11-01\nauthor: ana\n---\n";
    let table = |rows: usize| {
        let mut t = String::from("| Lot | Mine | Tonnes | Grade |\n|---|---|---:|---:|\n");
        for i in 0..rows {
            t.push_str(&format!(
                "| L{i} | Chagai {} | {} | {}.{}% |\n",
                i % 7,
                i * 3 % 997,
                i % 6,
                i % 10
            ));
        }
        t
    };
    let base = memo_peak(dir.path(), &format!("{front}{}", table(3)));
    let text = table(8000);
    let long = memo_peak(dir.path(), &format!("{front}{text}"));
    let memo = dir.path().join("output/memos/alpha.pdf");
    let pdf = load(&memo);
    assert!(pdf.get_pages().len() > 100, "the table fills many pages");
    // Every row is tagged: 8,000 body rows and the header.
    let rows = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"TR".as_slice()))
        .count();
    // The memo's own key–value tables (cover, contact) have a few rows.
    assert!(
        (8001..8020).contains(&rows),
        "{rows} table rows in the structure tree"
    );
    // The structure tree (five elements a row) is packed into compressed
    // object streams: written out as plain objects it made the file 16
    // times the table's text.
    let size = fs::metadata(&memo).unwrap().len();
    assert!(
        size < 8 * text.len() as u64,
        "a {} byte table made a {size} byte memo",
        text.len()
    );
    // About 150 bytes of memory per byte of table (4 KB a row, most of it
    // the laid-out page and its tags); holding every row laid out before
    // pagination and every structure element as a dictionary took about
    // 500, and spare room in every page's and cell's lists 170.
    assert_grows_within("a table", text.len(), base, long, 200);
}

/// Fifty thousand short paragraphs: each is laid out as pagination reaches
/// it and let go of once placed. Laid out all at once before pagination,
/// they took 76 bytes of memory per byte of text (a million took 1.6 GB;
/// now 800 MB).
#[cfg(target_os = "linux")]
#[test]
fn many_short_paragraphs_take_memory_in_proportion_to_their_text() {
    let dir = fixture("minimal");
    let front =
        "---\ntitle: Many\nsummary: Short paragraphs.\ndate: 2025-11-01\nauthor: ana\n---\n";
    let paragraphs = |n: usize| -> String {
        (0..n)
            .map(|i| format!("Paragraph {i} of the filing.\n\n"))
            .collect()
    };
    let base = memo_peak(dir.path(), &format!("{front}{}", paragraphs(3)));
    let text = paragraphs(50_000);
    let long = memo_peak(dir.path(), &format!("{front}{text}"));
    let memo = dir.path().join("output/memos/alpha.pdf");
    let pages = load(&memo).get_pages().len();
    assert!(pages > 1000, "{pages} pages");
    if let Some(t) = pdftotext(&memo, &["-f", "1000", "-l", "1000"]) {
        assert!(t.contains("of the filing."), "page 1000 holds paragraphs");
    }
    // About 41 bytes per byte of text: the laid-out pages and their tags.
    assert_grows_within("paragraphs", text.len(), base, long, 60);
}

/// One paragraph of `bytes` bytes of words, the same every run.
fn long_paragraph(bytes: usize) -> String {
    let words = [
        "antimony",
        "concentrate",
        "smelter",
        "licence",
        "Chagai",
        "tonnes",
        "offtake",
        "shipment",
        "Karachi",
        "assay",
        "stibnite",
        "refinery",
        "grade",
        "price",
    ];
    let mut out = String::with_capacity(bytes + 16);
    let mut i = 7usize;
    while out.len() < bytes {
        i = (i * 31 + 17) % 1009;
        out.push_str(words[i % words.len()]);
        out.push(' ');
    }
    out.push('\n');
    out
}

/// A memo of one very long paragraph takes memory in proportion to its
/// text, a small multiple of it: a laid-out glyph is 8 bytes and its text,
/// page contents are written as bytes (not as an operation object per
/// glyph) and deflated at once, each page's glyphs are let go of once its
/// content is made, and a font's glyph list holds each glyph once.
/// Measured against the same project with a one-line brief, so the fixed
/// cost of fonts and theme does not count.
#[cfg(target_os = "linux")]
#[test]
fn a_long_paragraph_takes_memory_in_proportion_to_its_text() {
    let dir = fixture("minimal");
    let front =
        "---\ntitle: Long\nsummary: One long paragraph.\ndate: 2025-11-01\nauthor: ana\n---\n";
    let base = memo_peak(dir.path(), &format!("{front}A short paragraph.\n"));
    let text = long_paragraph(1 << 20);
    let long = memo_peak(dir.path(), &format!("{front}{text}"));
    let memo = dir.path().join("output/memos/alpha.pdf");
    let pdf = load(&memo);
    assert!(
        pdf.get_pages().len() > 100,
        "the paragraph fills many pages"
    );
    // About 18 bytes per byte of text: 7-byte glyphs and their text, the
    // paragraph as written, parsed and composed, and the page contents.
    // 32-byte glyphs, kept while the content streams were made, took 44;
    // 8-byte ones, with the text copied for bidi and for windows, 21.
    assert_grows_within("a paragraph", text.len(), base, long, 20);
    // The text is all there, to the paragraph's last words.
    if let Some(all) = pdftotext(&memo, &[]) {
        // A word broken at a line's end (its hyphen is a soft hyphen in
        // the text) is whole again.
        let all = flat(&all.replace("\u{ad}\n", "").replace("-\n", ""));
        let words: Vec<&str> = text.split_whitespace().collect();
        let tail = words[words.len() - 4..].join(" ");
        assert!(
            all.contains(&tail),
            "the memo lacks the paragraph's end: {tail}"
        );
        let count = |t: &str, w: &str| t.split_whitespace().filter(|x| *x == w).count();
        assert_eq!(count(&all, "stibnite"), count(&text, "stibnite"));
    }
}

/// A paragraph that is one word of a megabyte (no space to break at: a
/// pasted hash, a run of symbols) is broken between letters in windows,
/// like a long paragraph of words: its memory stays in proportion to its
/// text, and every letter is set.
#[cfg(target_os = "linux")]
#[test]
fn a_paragraph_of_one_long_word_takes_memory_in_proportion_to_its_text() {
    let dir = fixture("minimal");
    let front = "---\ntitle: Word\nsummary: One long word.\ndate: 2025-11-01\nauthor: ana\n---\n";
    let base = memo_peak(dir.path(), &format!("{front}A short paragraph.\n"));
    let word: String = (0..1 << 20)
        .map(|i: u32| char::from(b'a' + (i.wrapping_mul(2_654_435_761) >> 28) as u8))
        .collect();
    let long = memo_peak(dir.path(), &format!("{front}Before {word} after.\n"));
    // About 60 bytes per byte; as one window (the breaker's items and
    // feasible breaks for every letter at once) 130, and 500 for a run of
    // one letter, which was hyphenated as one word.
    assert_grows_within("a word", word.len(), base, long, 100);
    let memo = dir.path().join("output/memos/alpha.pdf");
    assert!(
        load(&memo).get_pages().len() > 100,
        "the word fills many pages"
    );
    if let Some(all) = pdftotext(&memo, &[]) {
        let letters: String = all
            .split("after.")
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_lowercase)
            .collect();
        // Its first and last lines, and a count of one letter over all
        // pages (running headers and footers have no `q`).
        assert!(
            letters.contains(&word[..60]) && letters.contains(&word[word.len() - 60..]),
            "the word's start or end is missing"
        );
        let q = |t: &str| t.matches('q').count();
        assert_eq!(q(&letters), q(&word), "letters are missing");
    }
}

/// A table of empty cells (two bytes of text a cell): a cell with nothing
/// drawn holds no tag, so its memory is its row's share. Each held a tag
/// of its own, about 100 bytes; a check of 8 MB of such a table took
/// 728 MB (336 MB now).
#[cfg(target_os = "linux")]
#[test]
fn a_table_of_empty_cells_takes_memory_in_proportion_to_its_text() {
    let dir = fixture("minimal");
    let front = "---\ntitle: Gaps\nsummary: Empty cells.\ndate: 2025-11-01\nauthor: ana\n---\n";
    let table = |rows: usize| {
        let mut t = format!("|{}\n|{}\n", " a |".repeat(40), "---|".repeat(40));
        let row = format!("|{}\n", " |".repeat(40));
        for _ in 0..rows {
            t.push_str(&row);
        }
        t
    };
    let base = memo_peak(dir.path(), &format!("{front}{}", table(3)));
    let text = table(12_000);
    let long = memo_peak(dir.path(), &format!("{front}{text}"));
    // About 42 bytes per byte of table here (77 with a tag a cell).
    assert_grows_within("a table of empty cells", text.len(), base, long, 60);
}
