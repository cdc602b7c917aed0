//! PDF writing: turns a laid-out [`Document`] into PDF bytes.
//!
//! This is the only module that talks to printpdf. printpdf builds the page
//! content streams, font dictionaries, image XObjects and link annotations;
//! its object graph is then finished here with the lopdf it is built on
//! (nested outline, `/CIDToGIDMap`, Info, XMP, `/Lang`, content-derived `/ID`).
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

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write as _;

use lopdf_printpdf as lo;
use printpdf as pp;
use sha2::{Digest, Sha256};
use skrifa::raw::{FontRef, TableProvider};

use super::frame::{Document, FontFile, ImageData, Item, Outline, Page, Rgb, TextRun};

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
/// Placeholder for the trailer `/ID`, patched with a hash of the file.
const ID_PLACEHOLDER: [u8; 16] = *b"orepress-id-0000";

/// Writes `doc` as a PDF file and returns its bytes.
///
/// The same `Document` always gives the same bytes, whichever thread or
/// process writes it. Errors (never panics) on malformed input: unknown font
/// or image ids, glyph ids beyond the font, non-finite coordinates, etc.
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

pub fn write_pdf(doc: &Document) -> Result<Vec<u8>> {
    validate(doc)?;

    let fonts = plan_fonts(doc)?;
    let mut pdf = pp::PdfDocument::new(&doc.metadata.title);

    for (index, plan) in fonts.iter().enumerate() {
        if let Some(plan) = plan {
            pdf.resources
                .fonts
                .map
                .insert(font_res(index), pp::PdfFont::new(plan.parsed.clone()));
        }
    }
    for (index, image) in doc.images.iter().enumerate() {
        pdf.resources.xobjects.map.insert(
            image_res(index),
            pp::XObject::External(image_xobject(image)?),
        );
    }

    let mut alphas: Vec<u32> = Vec::new();
    for page in &doc.pages {
        let ops = page_ops(page, &fonts, &mut alphas)?;
        let size = pp::Rect::from_wh(pp::Pt(page.width), pp::Pt(page.height));
        pdf.pages.push(pp::PdfPage {
            media_box: size.clone(),
            trim_box: size.clone(),
            crop_box: size,
            ops,
        });
    }
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
    let mut lodoc = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf.to_lopdf_document(&opts, &mut warnings)
    }))
    .map_err(|_| WriteError::new("printpdf failed"))?;
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == pp::PdfParseErrorSeverity::Error)
    {
        return Err(WriteError::new(format!("printpdf: {}", w.msg)));
    }

    finish(&mut lodoc, doc, &fonts)?;
    save(lodoc)
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

// ---------------------------------------------------------------------------
// Validation

fn finite(what: &str, values: &[f32]) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(WriteError::new(format!("{what}: non-finite number")))
    }
}

fn validate(doc: &Document) -> Result<()> {
    if doc.pages.is_empty() {
        return Err(WriteError::new("document has no pages"));
    }
    for (p, page) in doc.pages.iter().enumerate() {
        let side_ok = |s: f32| (1.0..=MAX_PAGE_SIDE).contains(&s);
        if !side_ok(page.width) || !side_ok(page.height) {
            return Err(WriteError::new(format!(
                "page {}: size {} x {} pt out of range",
                p + 1,
                page.width,
                page.height
            )));
        }
        for item in &page.items {
            let what = format!("page {}", p + 1);
            match item {
                Item::Text(run) => {
                    finite(&what, &[run.x, run.y, run.size, run.word_spacing])?;
                    finite(&what, &[run.rotation, run.opacity])?;
                    finite(&what, &[run.color.0, run.color.1, run.color.2])?;
                    if run.font.0 >= doc.fonts.len() {
                        return Err(WriteError::new(format!(
                            "{what}: unknown font {}",
                            run.font.0
                        )));
                    }
                    if run.glyphs.iter().any(|g| !g.advance.is_finite()) {
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
                    finite(&what, &[*x, *y, *w, *h])?;
                    if let Some(c) = fill {
                        finite(&what, &[c.0, c.1, c.2])?;
                    }
                    if let Some((c, width)) = stroke {
                        finite(&what, &[c.0, c.1, c.2, *width])?;
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
                    &what,
                    &[*x1, *y1, *x2, *y2, *width, color.0, color.1, color.2],
                )?,
                Item::Image { x, y, w, h, image } => {
                    finite(&what, &[*x, *y, *w, *h])?;
                    if image.0 >= doc.images.len() {
                        return Err(WriteError::new(format!(
                            "{what}: unknown image {}",
                            image.0
                        )));
                    }
                }
                Item::Link { x, y, w, h, uri } => {
                    finite(&what, &[*x, *y, *w, *h])?;
                    if uri.is_empty() {
                        return Err(WriteError::new(format!("{what}: link without URI")));
                    }
                }
            }
        }
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
    check_outline(&doc.outline, doc.pages.len(), 0)
}

// ---------------------------------------------------------------------------
// Fonts

/// How one font of the document is embedded.
struct FontPlan<'a> {
    /// (glyph id, cluster text) → the CID written in content streams.
    cids: CidTable<'a>,
    /// The text each CID stands for (ToUnicode), indexed by CID.
    cid_text: Vec<&'a str>,
    /// Advance of each CID in 1/1000 em, exactly as printpdf writes `/W`.
    cid_width: Vec<f64>,
    /// For TrueType: the subset glyph id of each CID (`/CIDToGIDMap`).
    /// `None` for CFF fonts, whose CIDs are the subset glyph ids.
    cid_to_gid: Option<Vec<u16>>,
    /// `ABCDEF+Name`, as written to `/BaseFont`.
    base_font: String,
    parsed: pp::ParsedFont,
}

/// (glyph id, cluster text) → CID; a glyph rarely has more than one text.
struct CidTable<'a> {
    by_gid: Vec<Vec<(&'a str, u16)>>,
}

impl<'a> CidTable<'a> {
    fn get(&self, gid: u16, text: &str) -> Option<u16> {
        let texts = self.by_gid.get(gid as usize)?;
        texts.iter().find(|(t, _)| *t == text).map(|&(_, cid)| cid)
    }

    fn insert(&mut self, gid: u16, text: &'a str, cid: u16) {
        if let Some(texts) = self.by_gid.get_mut(gid as usize) {
            texts.push((text, cid));
        }
    }
}

fn plan_fonts(doc: &Document) -> Result<Vec<Option<FontPlan<'_>>>> {
    let mut used: Vec<Vec<(u16, &str)>> = vec![Vec::new(); doc.fonts.len()];
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                if let Some(list) = used.get_mut(run.font.0) {
                    list.extend(run.glyphs.iter().map(|g| (g.id, g.text.as_str())));
                }
            }
        }
    }
    doc.fonts
        .iter()
        .zip(used)
        .enumerate()
        .map(|(index, (font, glyphs))| {
            if glyphs.is_empty() {
                Ok(None)
            } else {
                plan_font(index, font, &glyphs).map(Some)
            }
        })
        .collect()
}

fn plan_font<'a>(index: usize, font: &FontFile, glyphs: &[(u16, &'a str)]) -> Result<FontPlan<'a>> {
    let err = |what: &str| WriteError::new(format!("font {}: {what}", font.name));
    let data: &[u8] = &font.data;
    let face = FontRef::from_index(data, 0).map_err(|e| err(&format!("unreadable ({e})")))?;
    let head = face.head().map_err(|_| err("no head table"))?;
    let hhea = face.hhea().map_err(|_| err("no hhea table"))?;
    let hmtx = face.hmtx().map_err(|_| err("no hmtx table"))?;
    let num_glyphs = face.maxp().map_err(|_| err("no maxp table"))?.num_glyphs();
    let weight = face.os2().map(|t| t.us_weight_class()).unwrap_or(0);
    let is_cff = face.glyf().is_err();
    let upm = head.units_per_em();
    if upm == 0 {
        return Err(err("units per em is 0"));
    }

    // Subset: keep the used glyphs (and .notdef), renumbered in id order.
    let unique: BTreeSet<u16> = glyphs.iter().map(|g| g.0).collect();
    if let Some(bad) = unique.iter().find(|&&g| g >= num_glyphs) {
        return Err(err(&format!(
            "glyph id {bad} beyond its {num_glyphs} glyphs"
        )));
    }
    let gids: Vec<u16> = unique.iter().copied().collect();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
    // A malformed font must not take the process down with it.
    let subset = std::panic::catch_unwind(|| subsetter::subset(data, 0, &remapper))
        .map_err(|_| err("subsetter failed"))?
        .map_err(|e| err(&format!("cannot subset ({e})")))?;
    let new_gid = |gid: u16| remapper.get(gid).ok_or_else(|| err("subset lost a glyph"));

    let advance = |gid: u16| hmtx.advance(skrifa::GlyphId::new(gid.into())).unwrap_or(0);

    // CIDs in order of first use. TrueType: one CID per (glyph, text) pair,
    // mapped to glyphs by /CIDToGIDMap. CFF: CID = subset glyph id, and the
    // first non-empty text of a glyph is its ToUnicode text.
    let mut cids = CidTable {
        by_gid: vec![Vec::new(); num_glyphs as usize],
    };
    let mut cid_text: Vec<&'a str> = vec![""];
    let mut cid_src: Vec<u16> = vec![0];
    if is_cff {
        cid_text = vec![""; remapper.num_gids() as usize];
        cid_src = vec![0; cid_text.len()];
        for &(gid, text) in glyphs {
            let cid = new_gid(gid)?;
            let slot = &mut cid_text[cid as usize];
            if slot.is_empty() && !text.is_empty() {
                *slot = text;
            }
            cid_src[cid as usize] = gid;
            if cids.get(gid, text).is_none() {
                cids.insert(gid, text, cid);
            }
        }
    } else {
        for &(gid, text) in glyphs {
            if cids.get(gid, text).is_some() {
                continue;
            }
            let cid = u16::try_from(cid_text.len())
                .map_err(|_| err("more than 65535 distinct glyph/text pairs"))?;
            cids.insert(gid, text, cid);
            cid_text.push(text);
            cid_src.push(gid);
        }
    }

    let scale = |w: u16| (w as f32 * 1000.0 / upm as f32) as i64 as f64;
    let cid_width: Vec<f64> = cid_src.iter().map(|&g| scale(advance(g))).collect();
    let glyph_widths = cid_src
        .iter()
        .enumerate()
        .skip(1)
        .map(|(cid, &g)| (cid as u16, advance(g)))
        .collect();
    let cid_to_gid = if is_cff {
        None
    } else {
        Some(
            cid_src
                .iter()
                .map(|&g| new_gid(g))
                .collect::<Result<Vec<u16>>>()?,
        )
    };

    let base_font = format!(
        "{}+{}",
        subset_tag(index, &font.name, &cid_src, &cid_text),
        pdf_name(&font.name, index)
    );
    let parsed = pp::ParsedFont {
        original_bytes: subset,
        font_index: 0,
        font_name: Some(base_font.clone()),
        codepoint_to_glyph: Default::default(),
        glyph_widths,
        units_per_em: upm,
        font_metrics: pp::FontMetrics {
            ascent: hhea.ascender().to_i16(),
            descent: hhea.descender().to_i16(),
        },
        font_type: if is_cff {
            pp::FontType::OpenTypeCFF(())
        } else {
            pp::FontType::TrueType
        },
        pdf_font_metrics: pp::PdfFontMetricsStub {
            units_per_em: upm,
            x_min: head.x_min(),
            y_min: head.y_min(),
            x_max: head.x_max(),
            y_max: head.y_max(),
            caret_slope_rise: hhea.caret_slope_rise(),
            caret_slope_run: hhea.caret_slope_run(),
            us_weight_class: weight,
        },
    };
    Ok(FontPlan {
        cids,
        cid_text,
        cid_width,
        cid_to_gid,
        base_font,
        parsed,
    })
}

/// Six uppercase letters derived from what the subset contains.
fn subset_tag(index: usize, name: &str, gids: &[u16], texts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update((index as u64).to_be_bytes());
    h.update(name.as_bytes());
    for (g, t) in gids.iter().zip(texts) {
        h.update(g.to_be_bytes());
        h.update((t.len() as u64).to_be_bytes());
        h.update(t.as_bytes());
    }
    h.finalize()[..6]
        .iter()
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}

/// A PostScript-style name safe inside a PDF name object.
fn pdf_name(name: &str, index: usize) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(100)
        .collect();
    if clean.is_empty() {
        format!("Font{index}")
    } else {
        clean
    }
}

// ---------------------------------------------------------------------------
// Images

fn image_xobject(image: &ImageData) -> Result<pp::ExternalXObject> {
    use pp::DictItem;
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let int = |v: u32| DictItem::Int(v as i64);
    let base = |w: u32, h: u32, cs: &str| {
        let mut d = std::collections::BTreeMap::new();
        d.insert("Type".to_string(), name("XObject"));
        d.insert("Subtype".to_string(), name("Image"));
        d.insert("Width".to_string(), int(w));
        d.insert("Height".to_string(), int(h));
        d.insert("BitsPerComponent".to_string(), int(8));
        d.insert("ColorSpace".to_string(), name(cs));
        d
    };
    let check_size = |w: u32, h: u32| {
        if w == 0 || h == 0 {
            Err(WriteError::new(format!("image of {w} x {h} pixels")))
        } else {
            Ok(w as usize * h as usize)
        }
    };
    let stream = match image {
        ImageData::Jpeg {
            bytes,
            width,
            height,
            components,
        } => {
            check_size(*width, *height)?;
            let cs = match components {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => "DeviceCMYK",
                n => return Err(WriteError::new(format!("JPEG with {n} components"))),
            };
            let mut dict = base(*width, *height, cs);
            dict.insert("Filter".to_string(), name("DCTDecode"));
            if *components == 4 {
                // Adobe CMYK JPEGs are stored inverted.
                let inv = [1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec();
                dict.insert("Decode".to_string(), DictItem::Array(inv));
            }
            pp::ExternalStream {
                dict,
                content: bytes.to_vec(),
                compress: false,
            }
        }
        ImageData::Rgb8 {
            pixels,
            alpha,
            width,
            height,
        } => {
            let n = check_size(*width, *height)?;
            if pixels.len() != n * 3 {
                return Err(WriteError::new("RGB image data does not match its size"));
            }
            let mut dict = base(*width, *height, "DeviceRGB");
            dict.insert("Filter".to_string(), name("FlateDecode"));
            if let Some(alpha) = alpha {
                if alpha.len() != n {
                    return Err(WriteError::new("alpha channel does not match image size"));
                }
                let mut mask = base(*width, *height, "DeviceGray");
                mask.insert("Filter".to_string(), name("FlateDecode"));
                let smask = pp::ExternalStream {
                    dict: mask,
                    content: deflate(alpha),
                    compress: false,
                };
                dict.insert("SMask".to_string(), DictItem::Stream { stream: smask });
            }
            pp::ExternalStream {
                dict,
                content: deflate(pixels),
                compress: false,
            }
        }
    };
    Ok(pp::ExternalXObject {
        stream,
        width: None,
        height: None,
        dpi: None,
    })
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Page content

/// Graphics state already set in the content stream, to skip repeats.
#[derive(Clone, Default)]
struct GState {
    fill: Option<[f32; 3]>,
    stroke: Option<[f32; 3]>,
    line_width: Option<f32>,
    font: Option<(usize, f32)>,
}

struct PageOps<'a> {
    ops: Vec<pp::Op>,
    height: f32,
    state: GState,
    fonts: &'a [Option<FontPlan<'a>>],
}

fn channel(v: f32) -> f32 {
    v.clamp(0.0, 1.0)
}

fn pp_color(c: Rgb) -> pp::Color {
    pp::Color::Rgb(pp::Rgb::new(channel(c.0), channel(c.1), channel(c.2), None))
}

fn key(c: Rgb) -> [f32; 3] {
    [channel(c.0), channel(c.1), channel(c.2)]
}

impl PageOps<'_> {
    fn fill(&mut self, c: Rgb) {
        if self.state.fill != Some(key(c)) {
            self.state.fill = Some(key(c));
            self.ops.push(pp::Op::SetFillColor { col: pp_color(c) });
        }
    }

    fn stroke(&mut self, c: Rgb, width: f32) {
        if self.state.stroke != Some(key(c)) {
            self.state.stroke = Some(key(c));
            self.ops.push(pp::Op::SetOutlineColor { col: pp_color(c) });
        }
        let width = width.max(0.0);
        if self.state.line_width != Some(width) {
            self.state.line_width = Some(width);
            self.ops
                .push(pp::Op::SetOutlineThickness { pt: pp::Pt(width) });
        }
    }

    fn point(&self, x: f32, y: f32) -> pp::LinePoint {
        pp::LinePoint {
            p: pp::Point {
                x: pp::Pt(x),
                y: pp::Pt(self.height - y),
            },
            bezier: false,
        }
    }

    fn rect(&self, x: f32, y: f32, w: f32, h: f32, mode: pp::PaintMode) -> pp::Op {
        pp::Op::DrawRectangle {
            rectangle: pp::Rect {
                x: pp::Pt(x),
                y: pp::Pt(self.height - y - h),
                width: pp::Pt(w),
                height: pp::Pt(h),
                mode: Some(mode),
                winding_order: None,
            },
        }
    }

    fn show(&mut self, codes: &[pp::Codepoint]) {
        if !codes.is_empty() {
            self.ops.push(pp::Op::ShowText {
                items: vec![pp::TextItem::GlyphIds(codes.to_vec())],
            });
        }
    }

    fn text(&mut self, run: &TextRun, alphas: &mut Vec<u32>) -> Result<()> {
        if run.glyphs.is_empty() || run.size <= 0.0 {
            return Ok(());
        }
        let plan = self
            .fonts
            .get(run.font.0)
            .and_then(Option::as_ref)
            .ok_or_else(|| WriteError::new("text run in a font that was not planned"))?;

        let alpha = (channel(run.opacity) * 1000.0).round() as u32;
        let saved = (alpha < 1000).then(|| self.state.clone());
        if saved.is_some() {
            let index = match alphas.iter().position(|&a| a == alpha) {
                Some(i) => i,
                None => {
                    alphas.push(alpha);
                    alphas.len() - 1
                }
            };
            self.ops.push(pp::Op::SaveGraphicsState);
            self.ops
                .push(pp::Op::LoadGraphicsState { gs: gs_res(index) });
        }

        self.fill(run.color);
        self.ops.push(pp::Op::StartTextSection);
        if self.state.font != Some((run.font.0, run.size)) {
            self.state.font = Some((run.font.0, run.size));
            self.ops.push(pp::Op::SetFont {
                font: pp::PdfFontHandle::External(font_res(run.font.0)),
                size: pp::Pt(run.size),
            });
        }
        let (sin, cos) = run.rotation.to_radians().sin_cos();
        let (sin, cos) = if run.rotation == 0.0 {
            (0.0, 1.0)
        } else {
            (sin, cos)
        };
        self.ops.push(pp::Op::SetTextMatrix {
            matrix: pp::TextMatrix::Raw([cos, sin, 0.0 - sin, cos, run.x, self.height - run.y]),
        });

        // The viewer advances by the /W width after each glyph; a TJ number
        // after it corrects the pen to our advance (kerning, justification).
        // The pen is tracked in em/1000 so rounding never accumulates;
        // differences under half a unit (the /W rounding) are left out.
        let per_em = 1000.0 / run.size as f64;
        let (mut target, mut pen) = (0.0f64, 0.0f64);
        let mut codes = Vec::with_capacity(run.glyphs.len());
        for g in &run.glyphs {
            let cid = plan
                .cids
                .get(g.id, &g.text)
                .ok_or_else(|| WriteError::new("glyph missing from font plan"))?;
            let extra = if g.text == " " { run.word_spacing } else { 0.0 };
            target += (g.advance + extra) as f64 * per_em;
            let width = plan.cid_width[cid as usize];
            let off = pen + width - target;
            let kern = if off.abs() < 0.5 {
                0.0
            } else {
                (off * 100.0).round() / 100.0
            };
            pen += width - kern;
            codes.push(pp::Codepoint {
                gid: cid,
                offset: kern as f32,
                cid: Some(plan.cid_text[cid as usize].to_string()),
            });
        }
        // A cluster drawn with several glyphs (text on the first, empty on
        // the rest) is wrapped in an /ActualText span, so extraction gives
        // the cluster text and nothing for the extra glyphs.
        let mut clusters = Vec::new();
        let mut i = 0;
        while i < codes.len() {
            let mut end = i + 1;
            while end < codes.len() && run.glyphs[end].text.is_empty() {
                end += 1;
            }
            if end - i > 1 && !run.glyphs[i].text.is_empty() {
                clusters.push((i, end));
            }
            i = end;
        }
        if clusters.is_empty() {
            self.ops.push(pp::Op::ShowText {
                items: vec![pp::TextItem::GlyphIds(codes)],
            });
        } else {
            let mut start = 0;
            for (i, end) in clusters {
                self.show(&codes[start..i]);
                self.ops.push(pp::Op::BeginMarkedContentWithProperties {
                    tag: "Span".to_string(),
                    properties: actual_text(&run.glyphs[i].text),
                });
                self.show(&codes[i..end]);
                self.ops.push(pp::Op::EndMarkedContent);
                start = end;
            }
            self.show(&codes[start..]);
        }
        self.ops.push(pp::Op::EndTextSection);

        if let Some(saved) = saved {
            self.ops.push(pp::Op::RestoreGraphicsState);
            self.state = saved;
        }
        Ok(())
    }
}

/// The property list `<< /ActualText (text) >>`.
fn actual_text(text: &str) -> pp::DictItem {
    let data = match text_string(text) {
        lo::Object::String(data, _) => data,
        _ => Vec::new(),
    };
    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "ActualText".to_string(),
        pp::DictItem::String {
            data,
            literal: false,
        },
    );
    pp::DictItem::Dict { map }
}

fn page_ops<'a>(
    page: &Page,
    fonts: &'a [Option<FontPlan<'a>>],
    alphas: &mut Vec<u32>,
) -> Result<Vec<pp::Op>> {
    let mut out = PageOps {
        ops: Vec::with_capacity(page.items.len() * 6),
        height: page.height,
        state: GState::default(),
        fonts,
    };
    for item in &page.items {
        match item {
            Item::Text(run) => out.text(run, alphas)?,
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => pp::PaintMode::FillStroke,
                    (Some(_), None) => pp::PaintMode::Fill,
                    (None, Some(_)) => pp::PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(c) = fill {
                    out.fill(*c);
                }
                if let Some((c, width)) = stroke {
                    out.stroke(*c, *width);
                }
                let op = out.rect(*x, *y, *w, *h, mode);
                out.ops.push(op);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                out.stroke(*color, *width);
                let line = pp::Line {
                    points: vec![out.point(*x1, *y1), out.point(*x2, *y2)],
                    is_closed: false,
                };
                out.ops.push(pp::Op::DrawLine { line });
            }
            Item::Image { x, y, w, h, image } => {
                let bottom = page.height - y - h;
                out.ops.push(pp::Op::SaveGraphicsState);
                out.ops.push(pp::Op::SetTransformationMatrix {
                    matrix: pp::CurTransMat::Raw([*w, 0.0, 0.0, *h, *x, bottom]),
                });
                out.ops.push(pp::Op::UseXobject {
                    id: image_res(image.0),
                    transform: pp::XObjectTransform {
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
                out.ops.push(pp::Op::RestoreGraphicsState);
            }
            Item::Link { x, y, w, h, uri } => {
                let rect = pp::Rect::from_xywh(
                    pp::Pt(*x),
                    pp::Pt(page.height - y - h),
                    pp::Pt(*w),
                    pp::Pt(*h),
                );
                let link = pp::LinkAnnotation::new(
                    rect,
                    pp::Actions::Uri(uri.clone()),
                    Some(pp::BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(pp::ColorArray::Transparent),
                    None,
                );
                out.ops.push(pp::Op::LinkAnnotation { link });
            }
        }
    }
    Ok(out.ops)
}

// ---------------------------------------------------------------------------
// Finishing printpdf's object graph

fn lo_err(what: &str) -> impl Fn(lo::Error) -> WriteError + '_ {
    move |e| WriteError::new(format!("{what}: {e}"))
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

fn valid_date(date: (i32, u8, u8)) -> Option<(i32, u8, u8)> {
    let (y, m, d) = date;
    ((0..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(date)
}

fn finish(lodoc: &mut lo::Document, doc: &Document, fonts: &[Option<FontPlan<'_>>]) -> Result<()> {
    use lo::Object::{Array, Dictionary, Integer, Name, Reference};

    lodoc.version = "1.7".to_string();
    let page_ids: Vec<lo::ObjectId> = lodoc.get_pages().into_values().collect();
    if page_ids.len() != doc.pages.len() {
        return Err(WriteError::new(
            "printpdf wrote a different number of pages",
        ));
    }

    // Fonts: point each TrueType CIDFont at its CIDToGIDMap.
    let font_dict_id = {
        let page = lodoc.get_dictionary(page_ids[0]).map_err(lo_err("page"))?;
        let res = page
            .get(b"Resources")
            .and_then(lo::Object::as_reference)
            .map_err(lo_err("page resources"))?;
        lodoc
            .get_dictionary(res)
            .and_then(|d| d.get(b"Font"))
            .and_then(lo::Object::as_reference)
            .map_err(lo_err("font resources"))?
    };
    for (index, plan) in fonts.iter().enumerate() {
        let Some(plan) = plan else { continue };
        let Some(map) = &plan.cid_to_gid else {
            continue;
        };
        let type0 = lodoc
            .get_dictionary(font_dict_id)
            .and_then(|d| d.get(font_res(index).0.as_bytes()))
            .and_then(lo::Object::as_reference)
            .map_err(lo_err("font"))?;
        let bytes: Vec<u8> = map.iter().flat_map(|g| g.to_be_bytes()).collect();
        let map_id = lodoc.add_object(lo::Stream::new(lo::Dictionary::new(), bytes));
        let descendant = lodoc
            .get_dictionary_mut(type0)
            .and_then(|d| d.get_mut(b"DescendantFonts"))
            .and_then(lo::Object::as_array_mut)
            .map_err(lo_err("font"))?
            .first_mut()
            .and_then(|o| o.as_dict_mut().ok())
            .ok_or_else(|| WriteError::new("font without descendant"))?;
        if descendant
            .get(b"BaseFont")
            .and_then(lo::Object::as_name)
            .ok()
            != Some(plan.base_font.as_bytes())
        {
            return Err(WriteError::new("font resources out of order"));
        }
        descendant.set("CIDToGIDMap", Reference(map_id));
    }

    // Info dictionary: exactly our fields, dates from the metadata.
    let m = &doc.metadata;
    let mut info = lo::Dictionary::new();
    for (k, v) in [
        ("Title", &m.title),
        ("Author", &m.author),
        ("Subject", &m.subject),
        ("Creator", &m.creator),
    ] {
        if !v.is_empty() {
            info.set(k, text_string(v));
        }
    }
    if !m.keywords.is_empty() {
        info.set("Keywords", text_string(&m.keywords.join(", ")));
    }
    info.set("Producer", text_string("orepress"));
    for (k, v) in &m.custom {
        if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric()) {
            info.set(k.as_bytes().to_vec(), text_string(v));
        }
    }
    let date = valid_date(m.date);
    if let Some((y, mo, d)) = date {
        let stamp = format!("D:{y:04}{mo:02}{d:02}000000Z");
        info.set("CreationDate", text_string(&stamp));
        info.set("ModDate", text_string(&stamp));
    }
    let info_id = lodoc.add_object(info);
    if let Ok(old) = lodoc
        .trailer
        .get(b"Info")
        .and_then(lo::Object::as_reference)
    {
        lodoc.objects.remove(&old);
    }
    lodoc.trailer.set("Info", Reference(info_id));

    // XMP, kept uncompressed so tools can read it.
    let mut xmp = lo::Stream::new(
        lo::Dictionary::from_iter(vec![
            ("Type", Name(b"Metadata".to_vec())),
            ("Subtype", Name(b"XML".to_vec())),
        ]),
        xmp_packet(doc, date).into_bytes(),
    );
    xmp.allows_compression = false;
    let xmp_id = lodoc.add_object(xmp);

    // Outline tree.
    let outline_root = if doc.outline.is_empty() {
        None
    } else {
        let root = lodoc.new_object_id();
        let (first, last, count) = add_outline_level(lodoc, &doc.outline, root, doc, &page_ids);
        lodoc.set_object(
            root,
            lo::Dictionary::from_iter(vec![
                ("Type", Name(b"Outlines".to_vec())),
                ("First", Reference(first)),
                ("Last", Reference(last)),
                ("Count", Integer(count)),
            ]),
        );
        Some(root)
    };

    let root = lodoc
        .trailer
        .get(b"Root")
        .and_then(lo::Object::as_reference)
        .map_err(lo_err("catalog"))?;
    let catalog = lodoc.get_dictionary_mut(root).map_err(lo_err("catalog"))?;
    if !m.language.is_empty() {
        catalog.set("Lang", text_string(&m.language));
    }
    catalog.set("Metadata", Reference(xmp_id));
    catalog.set(
        "ViewerPreferences",
        Dictionary(lo::Dictionary::from_iter(vec![(
            "DisplayDocTitle",
            lo::Object::Boolean(true),
        )])),
    );
    match outline_root {
        Some(id) => {
            catalog.set("Outlines", Reference(id));
            catalog.set("PageMode", Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Name(b"UseNone".to_vec()));
        }
    }

    // Pages: drop empty annotation arrays and the boxes equal to the MediaBox.
    for &id in &page_ids {
        let page = lodoc.get_dictionary_mut(id).map_err(lo_err("page"))?;
        if page
            .get(b"Annots")
            .and_then(lo::Object::as_array)
            .is_ok_and(Vec::is_empty)
        {
            page.remove(b"Annots");
        }
        page.remove(b"TrimBox");
        page.remove(b"CropBox");
    }

    // Compress every stream that is not already encoded.
    for object in lodoc.objects.values_mut() {
        if let lo::Object::Stream(stream) = object {
            if stream.allows_compression && stream.dict.get(b"Filter").is_err() {
                let packed = deflate(&stream.content);
                if packed.len() < stream.content.len() {
                    stream.dict.set("Filter", Name(b"FlateDecode".to_vec()));
                    stream.set_content(packed);
                }
            }
        }
    }

    let id = lo::Object::String(ID_PLACEHOLDER.to_vec(), lo::StringFormat::Hexadecimal);
    lodoc.trailer.set("ID", Array(vec![id.clone(), id]));
    Ok(())
}

/// Adds one level of outline entries under `parent`; returns the first and
/// last entry and the number of entries in the level and all below it.
fn add_outline_level(
    lodoc: &mut lo::Document,
    entries: &[Outline],
    parent: lo::ObjectId,
    doc: &Document,
    page_ids: &[lo::ObjectId],
) -> (lo::ObjectId, lo::ObjectId, i64) {
    use lo::Object::{Integer, Name, Null, Real, Reference};
    let ids: Vec<lo::ObjectId> = entries.iter().map(|_| lodoc.new_object_id()).collect();
    let mut total = 0;
    for (i, entry) in entries.iter().enumerate() {
        let top = doc.pages[entry.page].height - entry.y;
        let mut dict = lo::Dictionary::from_iter(vec![
            ("Title", text_string(&entry.title)),
            ("Parent", Reference(parent)),
            (
                "Dest",
                lo::Object::Array(vec![
                    Reference(page_ids[entry.page]),
                    Name(b"XYZ".to_vec()),
                    Real(0.0),
                    Real(top),
                    Null,
                ]),
            ),
        ]);
        if i > 0 {
            dict.set("Prev", Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            dict.set("Next", Reference(*next));
        }
        total += 1;
        if !entry.children.is_empty() {
            let (first, last, count) =
                add_outline_level(lodoc, &entry.children, ids[i], doc, page_ids);
            dict.set("First", Reference(first));
            dict.set("Last", Reference(last));
            dict.set("Count", Integer(count));
            total += count;
        }
        lodoc.set_object(ids[i], dict);
    }
    (ids[0], ids[ids.len() - 1], total)
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn xmp_packet(doc: &Document, date: Option<(i32, u8, u8)>) -> String {
    let m = &doc.metadata;
    let e = |s: &str| xml_escape(s);
    let lang = if m.language.is_empty() {
        "x-default".to_string()
    } else {
        e(&m.language)
    };
    let mut body = String::new();
    body.push_str(&format!(
        "<dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        e(&m.title)
    ));
    if !m.author.is_empty() {
        body.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            e(&m.author)
        ));
    }
    if !m.subject.is_empty() {
        body.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            e(&m.subject)
        ));
    }
    if !m.language.is_empty() {
        body.push_str(&format!(
            "<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n"
        ));
    }
    if !m.keywords.is_empty() {
        body.push_str(&format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            e(&m.keywords.join(", "))
        ));
    }
    body.push_str("<pdf:Producer>orepress</pdf:Producer>\n");
    if !m.creator.is_empty() {
        body.push_str(&format!(
            "<xmp:CreatorTool>{}</xmp:CreatorTool>\n",
            e(&m.creator)
        ));
    }
    if let Some((y, mo, d)) = date {
        let iso = format!("{y:04}-{mo:02}-{d:02}");
        body.push_str(&format!(
            "<xmp:CreateDate>{iso}</xmp:CreateDate>\n<xmp:ModifyDate>{iso}</xmp:ModifyDate>\n<xmp:MetadataDate>{iso}</xmp:MetadataDate>\n"
        ));
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n\
         {body}</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>"
    )
}

/// Serialises and patches the trailer `/ID` with a hash of the bytes.
fn save(mut lodoc: lo::Document) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    lodoc
        .save_to(&mut bytes)
        .map_err(|e| WriteError::new(format!("serialising: {e}")))?;
    let placeholder: String = ID_PLACEHOLDER.iter().map(|b| format!("{b:02X}")).collect();
    let digest = Sha256::digest(&bytes);
    let id: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
    let tail_start = bytes.len().saturating_sub(4096);
    let mut patched = 0;
    let mut at = tail_start;
    while let Some(pos) = find(&bytes[at..], placeholder.as_bytes()) {
        let start = at + pos;
        bytes[start..start + id.len()].copy_from_slice(id.as_bytes());
        at = start + id.len();
        patched += 1;
    }
    if patched != 2 {
        return Err(WriteError::new("could not place the document /ID"));
    }
    Ok(bytes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::frame::{FontId, Glyph, ImageId, Metadata};
    use skrifa::prelude::{LocationRef, Size};
    use skrifa::MetadataProvider;
    use std::sync::Arc;

    fn noto() -> Arc<FontFile> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/fonts/NotoSerif-Regular.ttf"
        );
        Arc::new(FontFile {
            name: "NotoSerif-Regular".to_string(),
            data: Arc::new(std::fs::read(path).expect("theme font")),
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
            text: "fi".to_string(),
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
            glyphs,
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
        first[0].text = "fi".to_string();
        profit.extend(first);
        profit.extend(glyphs(f, "rst", 12.0));

        // "Café" with a decomposed é: the cluster text sits on the base
        // glyph, the combining accent is a continuation glyph.
        let mut cafe = glyphs(f, "Cafe\u{301}", 14.0);
        cafe[3].text = "é".to_string();
        cafe[4].text = String::new();
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
            items: vec![
                Item::Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 595.28,
                    h: 60.0,
                    fill: Some(Rgb(0.05, 0.2, 0.4)),
                    stroke: None,
                },
                Item::Text(run(
                    f,
                    72.0,
                    110.0,
                    20.0,
                    glyphs(f, "Investor Memo – Übersicht", 20.0),
                )),
                Item::Text(run(f, 72.0, 135.0, 12.0, profit)),
                Item::Text(justified),
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
                Item::Text(run(
                    f,
                    72.0,
                    300.0,
                    10.0,
                    glyphs(f, "Call +41 44 000 00 00", 10.0),
                )),
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
                Item::Text(watermark),
            ],
        };
        let page2 = Page {
            width: 595.28,
            height: 841.89,
            items: vec![
                Item::Text(run(f, 72.0, 100.0, 14.0, glyphs(f, "Appendix", 14.0))),
                Item::Text(run(f, 72.0, 130.0, 14.0, cafe)),
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
            },
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
        let pdf = load(&write_pdf(&sample()).unwrap());
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

    #[test]
    fn fonts_are_embedded_subset_cid_truetype() {
        let pdf = load(&write_pdf(&sample()).unwrap());
        let mut type0 = 0;
        for obj in pdf.objects.values() {
            let Ok(dict) = obj.as_dict() else { continue };
            if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"Font") {
                continue;
            }
            let subtype = dict.get(b"Subtype").unwrap().as_name().unwrap();
            assert_ne!(subtype, b"Type1", "no base-14 or Type1 fonts");
            if subtype != b"Type0" {
                continue;
            }
            type0 += 1;
            assert_eq!(
                dict.get(b"Encoding").unwrap().as_name().unwrap(),
                b"Identity-H"
            );
            let base =
                std::str::from_utf8(dict.get(b"BaseFont").unwrap().as_name().unwrap()).unwrap();
            let (tag, name) = base.split_once('+').expect("subset tag");
            assert_eq!(tag.len(), 6);
            assert!(tag.bytes().all(|b| b.is_ascii_uppercase()), "{base}");
            assert_eq!(name, "NotoSerif-Regular");
            let desc = &dict.get(b"DescendantFonts").unwrap().as_array().unwrap()[0];
            let desc = desc.as_dict().unwrap();
            assert_eq!(
                desc.get(b"Subtype").unwrap().as_name().unwrap(),
                b"CIDFontType2"
            );
            let map = desc.get(b"CIDToGIDMap").unwrap().as_reference().unwrap();
            assert!(pdf.get_object(map).unwrap().as_stream().is_ok());
            let fd = desc
                .get_deref(b"FontDescriptor", &pdf)
                .unwrap()
                .as_dict()
                .unwrap();
            assert_eq!(
                fd.get(b"FontName").unwrap().as_name().unwrap(),
                base.as_bytes()
            );
            let file = fd
                .get_deref(b"FontFile2", &pdf)
                .unwrap()
                .as_stream()
                .unwrap();
            let program = file.decompressed_content().unwrap();
            assert!(program.len() < 60_000, "subset is small: {}", program.len());
            assert!(dict.get(b"ToUnicode").is_ok());
        }
        assert_eq!(type0, 1);
    }

    #[test]
    fn links_keep_uris_and_have_no_border() {
        let pdf = load(&write_pdf(&sample()).unwrap());
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
        let pdf = load(&write_pdf(&sample()).unwrap());
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
        let pdf = load(&write_pdf(&sample()).unwrap());
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
        let info = read_info(&write_pdf(&sample()).unwrap()).unwrap();
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
        assert!(xmp.contains("<xmp:CreateDate>2025-03-14</xmp:CreateDate>"));
        assert!(xmp.contains("<pdf:Producer>orepress</pdf:Producer>"));
        let id = pdf.trailer.get(b"ID").unwrap().as_array().unwrap();
        assert_eq!(id.len(), 2);
        assert_eq!(id[0].as_str().unwrap().len(), 16);
    }

    #[test]
    fn same_document_same_bytes_across_threads() {
        let doc = Arc::new(sample());
        let reference = write_pdf(&doc).unwrap();
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let doc = Arc::clone(&doc);
                std::thread::spawn(move || write_pdf(&doc).unwrap())
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap() == reference, "thread output differs");
        }
        // The /ID follows the content.
        let mut other = sample();
        other.metadata.title.push('!');
        let other = write_pdf(&other).unwrap();
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
        let pdf = load(&write_pdf(&doc).unwrap());
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
        assert!(write_pdf(&Document::default()).is_err());

        let mut doc = sample();
        if let Item::Text(run) = &mut doc.pages[0].items[1] {
            run.font = FontId(7);
        }
        assert!(write_pdf(&doc)
            .unwrap_err()
            .message()
            .contains("unknown font"));

        let mut doc = sample();
        if let Item::Text(run) = &mut doc.pages[0].items[1] {
            run.glyphs[0].id = 60_000;
        }
        assert!(write_pdf(&doc).unwrap_err().message().contains("glyph id"));

        let mut doc = sample();
        if let Item::Text(run) = &mut doc.pages[0].items[1] {
            run.x = f32::NAN;
        }
        assert!(write_pdf(&doc).is_err());

        let mut doc = sample();
        doc.outline[0].children[0].page = 9;
        assert!(write_pdf(&doc).is_err());

        let mut doc = sample();
        doc.pages[1].width = 0.0;
        assert!(write_pdf(&doc).is_err());

        let mut doc = sample();
        doc.images = vec![];
        assert!(write_pdf(&doc).is_err());

        let mut doc = sample();
        doc.fonts = vec![Arc::new(FontFile {
            name: "Broken".to_string(),
            data: Arc::new(vec![0, 1, 0, 0, 9, 9]),
        })];
        assert!(write_pdf(&doc).is_err());

        // Odd but valid: no metadata, no outline, an unused font, empty runs.
        let mut doc = sample();
        doc.metadata = Metadata::default();
        doc.outline.clear();
        doc.fonts.push(noto());
        doc.pages[1]
            .items
            .push(Item::Text(run(&noto(), 0.0, 0.0, 12.0, vec![])));
        let pdf = load(&write_pdf(&doc).unwrap());
        assert!(pdf.catalog().unwrap().get(b"Outlines").is_err());
    }

    fn tool(name: &str) -> bool {
        std::process::Command::new(name).arg("-v").output().is_ok()
    }

    #[test]
    fn external_tools_accept_the_output() {
        if !(tool("qpdf") && tool("pdffonts") && tool("pdftotext")) {
            eprintln!("qpdf/pdffonts/pdftotext not installed; skipped");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memo.pdf");
        std::fs::write(&path, write_pdf(&sample()).unwrap()).unwrap();
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
}
