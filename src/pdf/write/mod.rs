//! PDF writing: turns a laid-out [`Document`] into PDF bytes. This file owns
//! the entry point (`write_pdf`), `WriteError`, validation of the document
//! and `read_info`; `fonts`, `content`, `images` and `finish` do the rest.
//!
//! This is the only module that talks to printpdf. printpdf builds the font
//! dictionaries, image XObjects and the resources the pages share; its
//! object graph is then finished in `finish` with the lopdf it is built on
//! (`/CIDToGIDMap`, Info, XMP, `/Lang`, content-derived `/ID`). Content
//! streams are orepress's own (`content`); the pages, their content, the
//! outline, link annotations and structure tree, which grow with the
//! document, are written as bytes (`raw`), straight into the file.
//!
//! Fonts are subset here with `subsetter` (printpdf only subsets with its
//! heavy `text_layout` feature). Every distinct (glyph id, cluster text) pair
//! of a font gets its own CID; a `/CIDToGIDMap` stream maps the CIDs to the
//! subset's glyphs and printpdf's `/ToUnicode` maps each CID to its exact
//! text, so a ligature extracts as its letters even when the same glyph
//! also stands for other text elsewhere.
//!
//! Output is reproducible: no clock, no randomness, no process-wide state.
//! Every printpdf resource name is chosen here, and the trailer `/ID` is a
//! hash of the file's own bytes.

mod body;
mod content;
mod finish;
mod fonts;
mod ids;
mod images;
mod raw;
mod standard;
mod structure;
#[cfg(test)]
mod tests;
mod tounicode;
mod unhint;

use std::fmt;

use lopdf_printpdf as lo;
use printpdf as pp;

use super::frame::{Document, Item, Outline, Page};

pub use body::{BodyWriter, WrittenBody};
pub use images::{SharedStreams, MAX_PPI};

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    message: String,
}

impl WriteError {
    fn new(message: impl Into<String>) -> Self {
        WriteError {
            message: message.into(),
        }
    }

    /// The human-readable reason.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write PDF: {}", self.message)
    }
}

impl std::error::Error for WriteError {}

type Result<T> = std::result::Result<T, WriteError>;

/// The largest page side PDF viewers accept (200 inches).
const MAX_PAGE_SIDE: f32 = 14_400.0;

/// The Info dictionary of a PDF as text (for `copies --verify`).
pub fn read_info(bytes: &[u8]) -> Result<std::collections::BTreeMap<String, String>> {
    let pdf = lo::Document::load_mem(bytes)
        .map_err(|e| WriteError::new(format!("not a readable PDF: {e}")))?;
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(lo::Object::as_reference)
        .and_then(|r| pdf.get_dictionary(r))
        .map_err(|_| WriteError::new("the PDF has no document information"))?;
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in info.iter() {
        if let lo::Object::String(b, _) = v {
            let text = if b.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = b[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                b.iter().map(|&c| c as char).collect()
            };
            out.insert(String::from_utf8_lossy(k).into_owned(), text);
        }
    }
    Ok(out)
}

/// Writes `doc` as a PDF file and returns its bytes.
///
/// The same `Document` always gives the same bytes, whichever thread or
/// process writes it. Errors (never panics) on malformed input: unknown font
/// or image ids, glyph ids beyond the font, non-finite coordinates, etc.
pub fn write_pdf(doc: Document) -> Result<Vec<u8>> {
    write_pdf_shared(doc, &SharedStreams::default())
}

/// As [`write_pdf`], taking image streams from `shared` (made there by the
/// first PDF that needs them): the same bytes, made once for many PDFs.
///
/// The document is taken, not borrowed: each page's items are let go of as
/// soon as its content stream is made, so a memo of a thousand pages never
/// holds its laid-out glyphs and its content streams in full at once.
pub fn write_pdf_shared(mut doc: Document, shared: &SharedStreams) -> Result<Vec<u8>> {
    let places = content::places(&doc.anchors);
    validate(&doc, &places)?;

    let used = fonts::used_glyphs(&doc);
    let fonts = fonts::plan_fonts(&doc.fonts, &used)?;
    let mut pdf = pp::PdfDocument::new(&doc.metadata.title);

    for (index, plan) in fonts.iter().enumerate() {
        if let Some(plan) = plan {
            pdf.resources
                .fonts
                .map
                .insert(font_res(index), pp::PdfFont::new(plan.parsed.clone()));
        }
    }
    for (index, xobject) in images::image_xobjects(&doc, shared)?
        .into_iter()
        .enumerate()
    {
        pdf.resources
            .xobjects
            .map
            .insert(image_res(index), pp::XObject::External(xobject));
    }

    // Taken: a memo written once gives its written pages' streams to the
    // file rather than copying them.
    let mut written = doc.written.take();
    let mut alphas: Vec<u32> = written.as_ref().map_or_else(Vec::new, |w| w.alphas.clone());
    let heights: Vec<f32> = doc.pages.iter().map(|p| p.height).collect();
    let mut tagged = structure::Tagged::new();
    let mut contents = Vec::with_capacity(doc.pages.len());
    let mut z = finish::compressor();
    for index in 0..doc.pages.len() {
        // The page keeps its size (the outline needs it), not its items.
        let page = &mut doc.pages[index];
        let page = Page {
            items: std::mem::take(&mut page.items),
            ..*page
        };
        let (content, mut page_marks) =
            content::page_content(&page, index, &fonts, &doc.fonts, &mut alphas)?;
        // A body page written as it was laid out: what is left of it here
        // is its personal part.
        let body = written
            .as_mut()
            .and_then(|w| WrittenBody::take_page(w, index));
        let mut body_stream = None;
        if let Some(body) = body {
            if !page_marks.mcids.is_empty() && !body.marks.mcids.is_empty() {
                return Err(WriteError::new(format!(
                    "page {}: tagged content beside a written body",
                    index + 1
                )));
            }
            if !body.marks.mcids.is_empty() {
                page_marks.mcids = body.marks.mcids;
            }
            page_marks.annots.extend(body.marks.annots);
            body_stream = Some(body.stream);
        }
        content::resolve(&mut page_marks, &places, &heights, page.height)?;
        let ops = if index == 0 {
            fonts::usage_ops(&fonts)
        } else {
            Vec::new()
        };
        let mut packed = finish::PageContent::pack(content, &mut z, shared);
        if let Some(Some((bytes, deflated))) = body_stream {
            packed.push(bytes, deflated);
        }
        // A page that draws nothing still has its (empty) content stream.
        if packed.is_empty() {
            packed.push(Vec::new(), false);
        }
        contents.push(packed);
        tagged.add_page(page_marks);
        let size = pp::Rect::from_wh(pp::Pt(page.width), pp::Pt(page.height));
        drop(page);
        // printpdf writes the first page only, for its resources (fonts,
        // images, graphics states); `finish` writes every page as bytes.
        if index == 0 {
            pdf.pages.push(pp::PdfPage {
                media_box: size.clone(),
                trim_box: size.clone(),
                crop_box: size,
                ops,
            });
        }
    }
    tagged.close();
    for (index, milli) in alphas.iter().enumerate() {
        let alpha = *milli as f32 / 1000.0;
        let gs = pp::ExtendedGraphicsState::default()
            .with_current_fill_alpha(alpha)
            .with_current_stroke_alpha(alpha);
        pdf.resources.extgstates.map.insert(gs_res(index), gs);
    }

    let opts = pp::PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let lodoc = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf.to_lopdf_document(&opts, &mut warnings)
    }))
    .map_err(|_| WriteError::new("printpdf failed"))?;
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == pp::PdfParseErrorSeverity::Error)
    {
        return Err(WriteError::new(format!("printpdf: {}", w.msg)));
    }

    finish::finish(lodoc, &doc, &fonts, tagged, contents, shared)
}

fn font_res(index: usize) -> pp::FontId {
    pp::FontId(format!("F{index}"))
}

fn image_res(index: usize) -> pp::XObjectId {
    pp::XObjectId(format!("Im{index}"))
}

fn gs_res(index: usize) -> pp::ExtendedGraphicsStateId {
    pp::ExtendedGraphicsStateId(format!("GS{index}"))
}

/// The document's catalog (its trailer's `/Root`), to change.
fn catalog_mut(lodoc: &mut lo::Document) -> Result<&mut lo::Dictionary> {
    let err = |e: lo::Error| WriteError::new(format!("catalog: {e}"));
    let root = lodoc
        .trailer
        .get(b"Root")
        .and_then(lo::Object::as_reference)
        .map_err(err)?;
    lodoc.get_dictionary_mut(root).map_err(err)
}

/// A PDF text string: literal when ASCII, else UTF-16BE with BOM.
fn text_string(s: &str) -> lo::Object {
    if s.is_ascii() {
        lo::Object::String(s.as_bytes().to_vec(), lo::StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        lo::Object::String(bytes, lo::StringFormat::Hexadecimal)
    }
}

fn finite(what: &str, values: &[f32]) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(WriteError::new(format!("{what}: non-finite number")))
    }
}

/// Checks `doc` (whose named places are `places`) before any of it is
/// written.
fn validate(doc: &Document, places: &content::Places<'_>) -> Result<()> {
    if doc.pages.is_empty() {
        return Err(WriteError::new("document has no pages"));
    }
    for (p, page) in doc.pages.iter().enumerate() {
        let what = format!("page {}", p + 1);
        validate_page(&what, page, doc.fonts.len(), doc.images.len(), Some(places))?;
    }
    fn check_outline(entries: &[Outline], pages: usize, depth: usize) -> Result<()> {
        if depth > 64 {
            return Err(WriteError::new("outline nested too deeply"));
        }
        for e in entries {
            if e.page >= pages {
                return Err(WriteError::new(format!(
                    "outline entry {:?} points at page {} of {}",
                    e.title,
                    e.page + 1,
                    pages
                )));
            }
            finite("outline", &[e.y])?;
            check_outline(&e.children, pages, depth + 1)?;
        }
        Ok(())
    }
    for a in &doc.anchors {
        if a.page >= doc.pages.len() {
            return Err(WriteError::new(format!(
                "place {:?} is on page {} of {}",
                a.name,
                a.page + 1,
                doc.pages.len()
            )));
        }
        finite("place", &[a.y])?;
    }
    check_outline(&doc.outline, doc.pages.len(), 0)
}

/// Checks page `what` of a document with `fonts` fonts and `images`
/// images; its `#name` links against `places` when they are known (a body
/// page written as it is laid out has its links checked when the places
/// are).
pub(super) fn validate_page(
    what: &str,
    page: &Page,
    fonts: usize,
    images: usize,
    places: Option<&content::Places<'_>>,
) -> Result<()> {
    let side_ok = |s: f32| (1.0..=MAX_PAGE_SIDE).contains(&s);
    if !side_ok(page.width) || !side_ok(page.height) {
        return Err(WriteError::new(format!(
            "{what}: size {} x {} pt out of range",
            page.width, page.height
        )));
    }
    for item in &page.items {
        match item {
            Item::Text(run) => {
                finite(what, &[run.x, run.y, run.size, run.word_spacing])?;
                finite(what, &[run.rotation, run.opacity])?;
                finite(what, &[run.color.0, run.color.1, run.color.2])?;
                if run.font.0 >= fonts {
                    return Err(WriteError::new(format!(
                        "{what}: unknown font {}",
                        run.font.0
                    )));
                }
                if run.glyphs.advances().any(|a| !a.is_finite()) {
                    return Err(WriteError::new(format!("{what}: non-finite advance")));
                }
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                finite(what, &[*x, *y, *w, *h])?;
                if let Some(c) = fill {
                    finite(what, &[c.0, c.1, c.2])?;
                }
                if let Some((c, width)) = stroke {
                    finite(what, &[c.0, c.1, c.2, *width])?;
                }
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => finite(
                what,
                &[*x1, *y1, *x2, *y2, *width, color.0, color.1, color.2],
            )?,
            Item::Dots {
                x,
                y,
                size,
                step,
                color,
                ..
            } => finite(what, &[*x, *y, *size, *step, color.0, color.1, color.2])?,
            Item::Image { x, y, w, h, image } => {
                finite(what, &[*x, *y, *w, *h])?;
                if image.0 >= images {
                    return Err(WriteError::new(format!(
                        "{what}: unknown image {}",
                        image.0
                    )));
                }
            }
            Item::Link { x, y, w, h, uri } => {
                finite(what, &[*x, *y, *w, *h])?;
                if uri.is_empty() {
                    return Err(WriteError::new(format!("{what}: link without URI")));
                }
                if let Some(name) = uri.strip_prefix('#') {
                    if places.is_some_and(|p| !p.contains_key(name)) {
                        return Err(WriteError::new(format!(
                            "{what}: link to an unknown place {uri}"
                        )));
                    }
                }
            }
            Item::Tag(_) => {}
        }
    }
    Ok(())
}
