//! Tests of the memo PDFs as files other readers must accept: poppler,
//! qpdf and mutool read them without complaint.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::testsuite::common::*;

/// Whether `tool` is installed; when `CI` is set it must be.
fn need(tool: &str, package: &str) -> bool {
    let ok = have(tool);
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "{tool} is required on CI (apt-get install -y {package})"
    );
    ok
}

/// Runs `tool args… file`; returns (success, stdout, stderr).
fn run(tool: &str, args: &[&str], file: &Path) -> (bool, String, String) {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sets the brief's title in the typography fixture.
fn retitle(dir: &Path, title: &str) {
    let path = dir.join("content/briefs/typography.md");
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    let text = text.replacen(line, &format!("title: \"{title}\""), 1);
    fs::write(&path, text).unwrap();
}

/// A title longer than poppler's 128-byte token buffer: poppler must read
/// the cross-reference table as written, not reconstruct it.
#[test]
fn a_300_character_title_reads_cleanly_in_poppler() {
    if !need("pdfinfo", "poppler-utils") {
        return;
    }
    let dir = fixture("memo-typography");
    let title = "Antimony and tungsten offtake in Balochistan ".repeat(7);
    let title = title.trim_end();
    assert!(title.len() > 300);
    retitle(dir.path(), title);
    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/typography.pdf");
    let (ok, out, err) = run("pdfinfo", &[], &pdf);
    assert!(ok, "{err}");
    assert!(!err.contains("Error") && !err.contains("Warning"), "{err}");
    assert!(out.contains(title), "{out}");
    let (ok, _, err) = run("pdfinfo", &["-f", "1", "-l", "3"], &pdf);
    assert!(ok && err.is_empty(), "{err}");
    if need("qpdf", "qpdf") {
        let (ok, out, err) = run("qpdf", &["--check"], &pdf);
        assert!(ok, "{out}{err}");
    }
}

/// What the structure tree says, read back with lopdf.
#[derive(Default)]
struct Tree {
    /// Structure types in reading order, with their depth.
    roles: Vec<(usize, String)>,
    /// Marked content in reading order: (page index, MCID).
    content: Vec<(usize, i64)>,
    problems: Vec<String>,
}

fn name_of(o: &lopdf::Object) -> String {
    o.as_name()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn walk(
    pdf: &lopdf::Document,
    id: lopdf::ObjectId,
    depth: usize,
    pages: &[lopdf::ObjectId],
    tree: &mut Tree,
) {
    use lopdf::Object;
    let elem = pdf.get_dictionary(id).unwrap();
    let role = name_of(elem.get(b"S").unwrap());
    tree.roles.push((depth, role.clone()));
    let pg = elem.get(b"Pg").and_then(Object::as_reference).ok();
    let page_of = |r: Option<lopdf::ObjectId>| r.and_then(|r| pages.iter().position(|p| *p == r));
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    let mut objr = false;
    for kid in kids {
        match kid {
            Object::Reference(r) => walk(pdf, r, depth + 1, pages, tree),
            Object::Integer(mcid) => match page_of(pg) {
                Some(p) => tree.content.push((p, mcid)),
                None => tree
                    .problems
                    .push(format!("{role}: MCID {mcid} without /Pg")),
            },
            Object::Dictionary(d) => {
                let page = page_of(d.get(b"Pg").and_then(Object::as_reference).ok().or(pg));
                match d.get(b"Type").map(name_of).as_deref() {
                    Ok("MCR") => {
                        let mcid = d.get(b"MCID").and_then(Object::as_i64).unwrap();
                        tree.content.push((page.expect("MCR page"), mcid));
                    }
                    Ok("OBJR") => {
                        objr = true;
                        let annot = d.get(b"Obj").and_then(Object::as_reference).unwrap();
                        let a = pdf.get_dictionary(annot).unwrap();
                        assert!(a.get(b"StructParent").is_ok(), "annotation /StructParent");
                        assert!(a.get(b"Contents").is_ok(), "annotation /Contents");
                    }
                    other => tree.problems.push(format!("{role}: kid {other:?}")),
                }
            }
            other => tree.problems.push(format!("{role}: kid {other:?}")),
        }
    }
    match role.as_str() {
        "Figure" if elem.get(b"Alt").is_err() => tree.problems.push("Figure without /Alt".into()),
        "TH" => {
            let scope = elem
                .get(b"A")
                .and_then(Object::as_dict)
                .and_then(|a| a.get(b"Scope"))
                .map(name_of);
            if !matches!(scope.as_deref(), Ok("Row" | "Column")) {
                tree.problems.push("TH without /Scope".into());
            }
        }
        "Link" if !objr => tree.problems.push("Link without an OBJR".into()),
        _ => {}
    }
}

/// The text of each marked-content sequence of a page (keyed by MCID, or
/// -1 for artifacts, in order), decoded through the fonts' ToUnicode maps;
/// an `/ActualText` span stands for its glyphs. Also asserts that every
/// glyph, image and path is inside a marked-content sequence.
fn page_content(pdf: &lopdf::Document, page: lopdf::ObjectId) -> Vec<(i64, String)> {
    use lopdf::Object;
    let fonts = pdf.get_page_fonts(page).unwrap();
    let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding> = fonts
        .iter()
        .map(|(k, f)| (k.clone(), f.get_font_encoding(pdf).unwrap()))
        .collect();
    let content = pdf.get_and_decode_page_content(page).unwrap();
    let mut out: Vec<(i64, String)> = Vec::new();
    // Open sequences: (MCID or -1 for artifact, ActualText).
    let mut stack: Vec<(Option<i64>, Option<String>)> = Vec::new();
    let mut font: Option<Vec<u8>> = None;
    let mut clipped_actual = 0;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let tag = name_of(&op.operands[0]);
                let props = op.operands.get(1).and_then(|p| p.as_dict().ok());
                let mcid = props.and_then(|p| p.get(b"MCID").and_then(Object::as_i64).ok());
                let actual = props.and_then(|p| p.get(b"ActualText").ok()).map(|t| {
                    let b = t.as_str().unwrap();
                    let units: Vec<u16> = b[2..]
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                });
                if stack.is_empty() {
                    assert!(
                        tag == "Artifact" || mcid.is_some(),
                        "top-level sequence /{tag} is neither an artifact nor has an MCID"
                    );
                    let key = if tag == "Artifact" { -1 } else { mcid.unwrap() };
                    out.push((key, String::new()));
                    stack.push((Some(key), None));
                } else {
                    assert!(mcid.is_none(), "nested MCID");
                    if let Some(t) = &actual {
                        if clipped_actual == 0 {
                            out.last_mut().unwrap().1.push_str(t);
                        }
                        clipped_actual += 1;
                    }
                    stack.push((None, actual));
                }
            }
            "EMC" => {
                let (_, actual) = stack.pop().expect("EMC without BDC");
                if actual.is_some() {
                    clipped_actual -= 1;
                }
            }
            "Tf" => font = Some(op.operands[0].as_name().unwrap().to_vec()),
            "Tj" | "TJ" | "'" | "\"" | "Do" | "re" | "l" | "m" | "f" | "S" | "B" => {
                assert!(!stack.is_empty(), "{} outside marked content", op.operator);
                if clipped_actual > 0 || !matches!(op.operator.as_str(), "Tj" | "TJ") {
                    continue;
                }
                let enc = &encodings[font.as_ref().expect("a font is set")];
                let strings: Vec<&Object> = match &op.operands[0] {
                    Object::Array(a) => a.iter().collect(),
                    s => vec![s],
                };
                let mut text = String::new();
                for s in strings {
                    if let Object::String(bytes, _) = s {
                        text.push_str(
                            &lopdf::Document::decode_text(enc, bytes).unwrap_or_default(),
                        );
                    }
                }
                // Furniture piece by piece: header and footer lie apart.
                if stack[0].0 == Some(-1) {
                    out.push((-1, text));
                } else {
                    out.last_mut().unwrap().1.push_str(&text);
                }
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unbalanced marked content");
    out
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The example memo's structure tree: every marked-content sequence
/// belongs to one element or is an artifact, the parent tree resolves,
/// headings nest, figures have alt text, header cells a scope, links an
/// annotation; and the tree's text in order is the memo's text less its
/// page furniture.
#[test]
fn example_memo_structure_tree_covers_the_content_in_reading_order() {
    let dir = example();
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/antimony-opportunity.pdf");
    let (roles, _) = check_structure(&path, true);
    for role in [
        "Sect",
        "H1",
        "H2",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "TOC",
        "TOCI",
        "Link",
        "Figure",
        "Note",
        "BlockQuote",
    ] {
        assert!(roles.iter().any(|r| r == role), "no {role} in the tree");
    }
}

/// A personalised copy is tagged like its memo; the recipient's name,
/// copy number and watermark are furniture, never in the tree.
#[test]
fn a_copy_is_tagged_with_its_personalisation_as_artifacts() {
    let dir = example();
    std::fs::write(
        dir.path().join("r.csv"),
        "name,organization\nJane Doe,Acme Capital\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(["copies", "antimony-opportunity", "--recipients", "r.csv"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = dir.path().join("copies/antimony-opportunity");
    let copy = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a copy");
    // Two columns of contents on the cover: pdftotext reads across them.
    let (_, text) = check_structure(&copy, false);
    assert!(text.contains("Executive summary"), "{text}");
    for furniture in ["Jane Doe", "Copy No", "PREPARED FOR"] {
        assert!(!text.contains(furniture), "{furniture} in the tree: {text}");
    }
    if need("pdftotext", "poppler-utils") {
        let all = pdftotext(&copy, &[]).unwrap();
        assert!(all.contains("Jane Doe") && all.contains("Copy No. 001"));
    }
}

/// Rows taller than a page: each row and cell is one element across the
/// pages it spans, and the repeated header row is furniture.
#[test]
fn split_table_rows_stay_one_element() {
    let dir = fixture("memo-prose");
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/supply-chains.pdf");
    let (roles, _) = check_structure(&path, false);
    assert!(roles.iter().any(|r| r == "TD"));
}

/// Checks the structure tree of the memo at `path` (see the test above);
/// with `compare_text`, also that the tree's text is the page text less the
/// furniture (pdftotext reads split table rows page by page, the tree cell
/// by cell). Returns the structure types in the tree and its text.
fn check_structure(path: &Path, compare_text: bool) -> (Vec<String>, String) {
    use lopdf::Object;
    let pdf = lopdf::Document::load(path).unwrap();
    let catalog = pdf.catalog().unwrap();
    let marked = catalog
        .get(b"MarkInfo")
        .and_then(Object::as_dict)
        .and_then(|m| m.get(b"Marked"))
        .and_then(Object::as_bool);
    assert_eq!(marked.ok(), Some(true), "/MarkInfo /Marked true");
    assert!(catalog.get(b"Lang").is_ok());
    let prefs = catalog
        .get(b"ViewerPreferences")
        .and_then(Object::as_dict)
        .unwrap();
    assert_eq!(
        prefs.get(b"DisplayDocTitle").and_then(Object::as_bool).ok(),
        Some(true)
    );
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    for (i, id) in pages.iter().enumerate() {
        let page = pdf.get_dictionary(*id).unwrap();
        assert_eq!(page.get(b"Tabs").map(name_of).ok().as_deref(), Some("S"));
        assert_eq!(
            page.get(b"StructParents").and_then(Object::as_i64).ok(),
            Some(i as i64)
        );
    }

    let root_id = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
        .unwrap();
    let root = pdf.get_dictionary(root_id).unwrap();
    let mut tree = Tree::default();
    match root.get(b"K").unwrap() {
        Object::Reference(r) => walk(&pdf, *r, 0, &pages, &mut tree),
        Object::Array(a) => {
            for k in a {
                walk(&pdf, k.as_reference().unwrap(), 0, &pages, &mut tree);
            }
        }
        other => panic!("/K {other:?}"),
    }
    assert!(tree.problems.is_empty(), "{:?}", tree.problems);
    assert_eq!(tree.roles[0].1, "Document");

    // Headings: the first is H1 and none skips a level.
    let levels: Vec<u32> = tree
        .roles
        .iter()
        .filter_map(|(_, r)| r.strip_prefix('H').and_then(|n| n.parse().ok()))
        .collect();
    assert_eq!(levels.first(), Some(&1));
    let mut previous = 0;
    for l in &levels {
        assert!(*l <= previous + 1, "heading levels skip: {levels:?}");
        previous = *l;
    }

    // Every MCID once in the tree; the parent tree names its element.
    let mut seen = std::collections::BTreeSet::new();
    for c in &tree.content {
        assert!(seen.insert(*c), "MCID {c:?} twice in the tree");
    }
    let parent_tree = root
        .get_deref(b"ParentTree", &pdf)
        .unwrap()
        .as_dict()
        .unwrap();
    let nums = parent_tree.get(b"Nums").and_then(Object::as_array).unwrap();
    let next = root
        .get(b"ParentTreeNextKey")
        .and_then(Object::as_i64)
        .unwrap();
    let mut keys = 0;
    for pair in nums.chunks(2) {
        let key = pair[0].as_i64().unwrap();
        assert!(key < next, "key {key} below /ParentTreeNextKey");
        keys += 1;
        if let Ok(array) = pair[1].as_array() {
            let page = key as usize;
            for (mcid, parent) in array.iter().enumerate() {
                let parent = parent.as_reference().expect("every MCID has a parent");
                assert!(pdf.get_dictionary(parent).is_ok());
                assert!(
                    seen.contains(&(page, mcid as i64)),
                    "MCID {mcid} of page {page} in the tree"
                );
            }
        }
    }
    assert!(keys >= pages.len());

    // Page content: artifacts and tagged sequences only; each MCID is in
    // the tree; the tree's text is the page text less its furniture.
    let mut by_mcid = std::collections::BTreeMap::new();
    let mut artifact_text: Vec<Vec<String>> = Vec::new();
    for (p, id) in pages.iter().enumerate() {
        let mut furniture = Vec::new();
        for (key, text) in page_content(&pdf, *id) {
            if key < 0 {
                furniture.push(text);
            } else {
                assert!(
                    seen.contains(&(p, key)),
                    "MCID {key} of page {p} is in no element"
                );
                by_mcid.insert((p, key), text);
            }
        }
        artifact_text.push(furniture);
    }
    assert_eq!(
        by_mcid.len(),
        seen.len(),
        "every MCID in the tree is on its page"
    );
    let tree_text: String = tree.content.iter().map(|c| by_mcid[c].as_str()).collect();
    let tree_text = tree_text.split_whitespace().collect::<Vec<_>>().join(" ");

    let roles = tree.roles.into_iter().map(|(_, r)| r).collect();
    if !compare_text || !need("pdftotext", "poppler-utils") {
        return (roles, tree_text);
    }
    let mut page_text = String::new();
    for (p, furniture) in artifact_text.iter().enumerate() {
        let n = (p + 1).to_string();
        let text = pdftotext(path, &["-f", &n, "-l", &n]).unwrap();
        let mut text = squeeze(&text);
        for f in furniture {
            let f = squeeze(f);
            if let Some(at) = text.find(&f) {
                text.replace_range(at..at + f.len(), "");
            }
        }
        page_text.push_str(&text);
    }
    let squeezed = squeeze(&tree_text);
    assert!(
        squeezed == page_text,
        "tree text differs from the page text:\n{}",
        first_difference(&squeezed, &page_text)
    );
    (roles, tree_text)
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .chars()
        .zip(b.chars())
        .position(|(x, y)| x != y)
        .unwrap_or(a.chars().count().min(b.chars().count()));
    let around = |s: &str| {
        s.chars()
            .skip(at.saturating_sub(60))
            .take(120)
            .collect::<String>()
    };
    format!("at {at}:\n tree: {}\n text: {}", around(a), around(b))
}

/// The memo as other tools read it: poppler prints its structure tree
/// without complaint, qpdf finds nothing wrong, the XMP packet is XML
/// claiming PDF/A-2a and PDF/UA-1, and the output intent embeds sRGB.
#[test]
fn example_memo_reads_cleanly_and_claims_pdfa() {
    use lopdf::Object;
    let dir = example();
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/antimony-opportunity.pdf");
    if need("pdfinfo", "poppler-utils") {
        let (ok, out, err) = run("pdfinfo", &["-struct-text"], &path);
        assert!(ok, "{err}");
        assert!(
            !err.contains("Syntax Error") && !err.contains("Syntax Warning"),
            "{err}"
        );
        assert!(out.starts_with("Document"), "{out}");
        assert!(out.contains("TOCI") && out.contains("Link"), "{out}");
        let (_, out, _) = run("pdfinfo", &[], &path);
        assert!(out.contains("Tagged:          yes"), "{out}");
    }
    if need("qpdf", "qpdf") {
        let (ok, out, err) = run("qpdf", &["--check"], &path);
        assert!(ok && !out.contains("WARNING"), "{out}{err}");
    }
    let pdf = lopdf::Document::load(&path).unwrap();
    let catalog = pdf.catalog().unwrap();
    let xmp = catalog
        .get_deref(b"Metadata", &pdf)
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    if need("python3", "python3") {
        let file = dir.path().join("xmp.xml");
        std::fs::write(&file, &xmp).unwrap();
        let (ok, _, err) = run(
            "python3",
            &[
                "-c",
                "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])",
            ],
            &file,
        );
        assert!(ok, "the XMP packet is not XML: {err}");
    }
    let intents = catalog
        .get(b"OutputIntents")
        .and_then(Object::as_array)
        .unwrap();
    let intent = pdf
        .get_dictionary(intents[0].as_reference().unwrap())
        .unwrap();
    assert_eq!(
        intent.get(b"S").map(name_of).ok().as_deref(),
        Some("GTS_PDFA1")
    );
    let profile = intent
        .get_deref(b"DestOutputProfile", &pdf)
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(
        profile.dict.get(b"N").and_then(Object::as_i64).ok(),
        Some(3)
    );
    let bytes = profile
        .decompressed_content()
        .unwrap_or_else(|_| profile.content.clone());
    assert_eq!(&bytes[36..40], b"acsp", "an ICC profile");
    assert_eq!(&bytes[16..20], b"RGB ", "an RGB profile");
}

/// `pdf_standard: ua-1` claims PDF/UA only: no PDF/A identification and no
/// output intent; the memo is still tagged.
#[test]
fn pdf_standard_ua_1_drops_the_pdfa_claim() {
    let dir = fixture("memo-typography");
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site)
        .unwrap()
        .replace("memo:\n", "memo:\n  pdf_standard: ua-1\n");
    std::fs::write(&site, text).unwrap();
    build(dir.path(), &["--pdf-only"]);
    let pdf = lopdf::Document::load(dir.path().join("output/memos/typography.pdf")).unwrap();
    let catalog = pdf.catalog().unwrap();
    assert!(catalog.get(b"OutputIntents").is_err());
    assert!(catalog.get(b"StructTreeRoot").is_ok());
    let xmp = catalog
        .get_deref(b"Metadata", &pdf)
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(!xmp.contains("pdfaid") && xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
}

/// Every link of the example memo is on the page that lists it, and each
/// contents entry's link is described (`/Contents`, what a screen
/// reader says) as its title, a space and the number of the page it goes
/// to: "1 In brief 2", not "1 In brief2".
#[test]
fn contents_links_are_described_with_the_page_they_go_to() {
    use lopdf::Object;
    let dir = example();
    build(dir.path(), &["--pdf-only"]);
    let path = dir.path().join("output/memos/antimony-opportunity.pdf");
    let pdf = lopdf::Document::load(&path).unwrap();
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    let (mut entries, mut uris) = (0, 0);
    for &page in &pages {
        let Ok(annots) = pdf.get_dictionary(page).unwrap().get(b"Annots") else {
            continue;
        };
        for a in annots.as_array().unwrap() {
            let a = pdf.get_dictionary(a.as_reference().unwrap()).unwrap();
            assert_eq!(a.get(b"P").unwrap().as_reference().unwrap(), page);
            let text = match a.get(b"Contents").unwrap().as_str().unwrap() {
                [0xFE, 0xFF, utf16 @ ..] => String::from_utf16(
                    &utf16
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect::<Vec<_>>(),
                )
                .unwrap(),
                ascii => String::from_utf8(ascii.to_vec()).unwrap(),
            };
            if let Ok(action) = a.get(b"A") {
                let uri = action.as_dict().unwrap().get(b"URI").unwrap();
                let uri = String::from_utf8(uri.as_str().unwrap().to_vec()).unwrap();
                assert!(
                    ["https://", "mailto:", "tel:"]
                        .iter()
                        .any(|s| uri.starts_with(s)),
                    "{text}: {uri}"
                );
                uris += 1;
                continue;
            }
            let dest = a.get(b"Dest").unwrap().as_array().unwrap();
            let target = dest[0].as_reference().unwrap();
            let number = pages.iter().position(|&p| p == target).unwrap() + 1;
            assert!(matches!(&dest[1], Object::Name(n) if n == b"XYZ"));
            // Numbered headings' entries (a note's marker is a digit too,
            // but a superscript one).
            if text.starts_with(|c: char| c.is_ascii_digit()) && text.contains(' ') {
                assert!(
                    text.ends_with(&format!(" {number}")),
                    "contents entry {text:?} goes to page {number}"
                );
                entries += 1;
            }
        }
    }
    assert!(entries >= 5, "{entries} numbered contents entries");
    assert!(uris >= 5, "{uris} web links");
}
