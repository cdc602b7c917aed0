//! Font embedding plans: which glyphs of each font are used, one CID per
//! (glyph id, cluster text) pair, the subset made with `subsetter`, the
//! `/CIDToGIDMap` and ToUnicode text of each CID, and subset tags.

use std::collections::BTreeSet;

use printpdf as pp;
use sha2::{Digest, Sha256};
use skrifa::raw::{FontRef, TableProvider};

use super::{Result, WriteError};
use crate::pdf::frame::{Document, FontFile, Item, Page, TextRun};

/// How one font of the document is embedded.
pub(super) struct FontPlan<'a> {
    /// (glyph id, cluster text) → the CID written in content streams.
    pub(super) cids: CidTable<'a>,
    /// The text each CID stands for (ToUnicode), indexed by CID.
    pub(super) cid_text: Vec<&'a str>,
    /// Advance of each CID in 1/1000 em, exactly as printpdf writes `/W`.
    pub(super) cid_width: Vec<f64>,
    /// For TrueType: the subset glyph id of each CID (`/CIDToGIDMap`).
    /// `None` for CFF fonts, whose CIDs are the subset glyph ids.
    pub(super) cid_to_gid: Option<Vec<u16>>,
    /// The CIDs the content streams draw, in no particular order.
    pub(super) drawn: Vec<u16>,
    /// `ABCDEF+Name`, as written to `/BaseFont`.
    pub(super) base_font: String,
    pub(super) parsed: pp::ParsedFont,
}

/// (glyph id, cluster text) → CID; a glyph rarely has more than one text.
pub(super) struct CidTable<'a> {
    by_gid: Vec<Vec<(&'a str, u16)>>,
}

impl<'a> CidTable<'a> {
    pub(super) fn get(&self, gid: u16, text: &str) -> Option<u16> {
        let texts = self.by_gid.get(gid as usize)?;
        texts
            .iter()
            .find(|(t, _)| same(t, text))
            .map(|&(_, cid)| cid)
    }

    fn insert(&mut self, gid: u16, text: &'a str, cid: u16) {
        if let Some(texts) = self.by_gid.get_mut(gid as usize) {
            texts.push((text, cid));
        }
    }
}

/// Whether two glyphs' texts are the same: compared here, byte by byte,
/// as they are a character or two (a call to `memcmp` for each of a memo's
/// glyphs, as `==` makes, cost more than the comparing).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The (glyph, text) pairs of one font in order of first use, each once:
/// a document of millions of glyphs has a few thousand pairs. They are
/// owned, so that the pages can be let go of while the plans are in use.
#[derive(Default, Clone)]
pub(super) struct Used {
    /// For each glyph id, where its texts are in `order`.
    seen: Vec<Vec<u32>>,
    order: Vec<(u16, Box<str>)>,
}

impl Used {
    /// The CID the pair gets in a TrueType font's plan ([`plan_font`]
    /// numbers the pairs in this order after `.notdef`), once added.
    pub(super) fn cid(&self, gid: u16, text: &str) -> Option<u16> {
        let texts = self.seen.get(usize::from(gid))?;
        let k = texts
            .iter()
            .find(|&&k| same(&self.order[k as usize].1, text))?;
        u16::try_from(k + 1).ok()
    }

    /// How many pairs there are.
    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// The glyph id of the `i`th pair.
    pub(super) fn gid(&self, i: usize) -> u16 {
        self.order[i].0
    }

    /// Adds the pairs `run` draws in font `file`.
    pub(super) fn add_run(&mut self, run: &TextRun, file: Option<&FontFile>) {
        for g in &run.glyphs {
            self.add(g.id, g.text);
        }
        // Right-to-left runs draw glyphs without text and carry their
        // text one character a glyph (`content::rtl_run`).
        if run.is_rtl() {
            let charmap = file.and_then(charmap);
            for g in &run.glyphs {
                self.add(g.id, "");
                for (i, c) in g.text.char_indices() {
                    let text = &g.text[i..i + c.len_utf8()];
                    self.add(hidden_gid(charmap.as_ref(), c, g.id), text);
                }
            }
        }
    }

    fn add(&mut self, gid: u16, text: &str) {
        let i = usize::from(gid);
        let Used { seen, order } = self;
        if i >= seen.len() {
            seen.resize_with(i + 1, Vec::new);
        }
        let texts = &mut seen[i];
        if !texts.iter().any(|&k| same(&order[k as usize].1, text)) {
            texts.push(order.len() as u32);
            order.push((gid, text.into()));
        }
    }
}

/// The (glyph, text) pairs each font of `doc` draws: first those of the
/// body written while it was laid out, when it was.
pub(super) fn used_glyphs(doc: &Document) -> Vec<Used> {
    let mut used: Vec<Used> = match &doc.written {
        Some(w) => w.used.clone(),
        None => Vec::new(),
    };
    used.resize_with(doc.fonts.len(), Used::default);
    // CIDs go first to the glyphs every numbered copy shares, then to the
    // personal ones (recipient, page furniture): the shared streams of two
    // copies are then the same bytes.
    let split = |p: &Page| p.personal.min(p.items.len());
    let shared = doc.pages.iter().flat_map(|p| &p.items[split(p)..]);
    let personal = doc.pages.iter().flat_map(|p| &p.items[..split(p)]);
    add_items(&mut used, shared.chain(personal), &doc.fonts);
    used
}

/// Adds the pairs the text runs of `items` draw to their fonts' lists.
pub(super) fn add_items<'i>(
    used: &mut [Used],
    items: impl IntoIterator<Item = &'i Item>,
    files: &[std::sync::Arc<FontFile>],
) {
    for item in items {
        if let Item::Text(run) = item {
            if let Some(list) = used.get_mut(run.font.0) {
                list.add_run(run, files.get(run.font.0).map(|f| &**f));
            }
        }
    }
}

/// The embedding plan of each font that `used` draws from.
pub(super) fn plan_fonts<'u>(
    fonts: &[std::sync::Arc<FontFile>],
    used: &'u [Used],
) -> Result<Vec<Option<FontPlan<'u>>>> {
    fonts
        .iter()
        .zip(used)
        .enumerate()
        .map(|(index, (font, used))| {
            if used.order.is_empty() {
                Ok(None)
            } else {
                let glyphs: Vec<(u16, &str)> = used.order.iter().map(|(g, t)| (*g, &**t)).collect();
                plan_font(index, font, &glyphs).map(Some)
            }
        })
        .collect()
}

/// Operations that show the CIDs each font's content streams draw, for
/// printpdf: it writes a font's widths (`/W`) for the glyphs it sees
/// shown. They go on the first page, whose content stream orepress then
/// replaces with its own ([`super::content::page_content`]).
///
/// A TrueType font shows one CID alone: its `/W` (and `/ToUnicode`) are
/// written afterwards from the plan ([`widths_array`]), which spares
/// printpdf a text map and a width table per font per memo (4 % of a memo's
/// instructions). A CFF font's CIDs are printpdf's to number: all shown.
pub(super) fn usage_ops(fonts: &[Option<FontPlan<'_>>]) -> Vec<pp::Op> {
    let mut ops = vec![pp::Op::StartTextSection];
    for (index, plan) in fonts.iter().enumerate() {
        let Some(plan) = plan else { continue };
        ops.push(pp::Op::SetFont {
            font: pp::PdfFontHandle::External(super::font_res(index)),
            size: pp::Pt(10.0),
        });
        let shown = if plan.cid_to_gid.is_some() {
            &plan.drawn[..plan.drawn.len().min(1)]
        } else {
            &plan.drawn[..]
        };
        let codes = shown
            .iter()
            .map(|&cid| pp::Codepoint {
                gid: cid,
                offset: 0.0,
                cid: None,
            })
            .collect();
        ops.push(pp::Op::ShowText {
            items: vec![pp::TextItem::GlyphIds(codes)],
        });
    }
    ops.push(pp::Op::EndTextSection);
    ops
}

/// The character map of `file`'s font: where a right-to-left run's
/// characters find the glyphs that carry their text ([`hidden_gid`]).
pub(super) fn charmap(file: &FontFile) -> Option<skrifa::charmap::Charmap<'_>> {
    use skrifa::MetadataProvider;
    FontRef::from_index(&file.data, 0).ok().map(|f| f.charmap())
}

/// The glyph that carries a character in the invisible text layer of a
/// right-to-left run: the font's own glyph for it, else `fallback`. A
/// directional mark takes `fallback` (the glyph of its cluster), so that it
/// has a width and stands inside its run in the text layer, not on the
/// edge where the next run's first letter begins.
pub(super) fn hidden_gid(
    charmap: Option<&skrifa::charmap::Charmap<'_>>,
    c: char,
    fallback: u16,
) -> u16 {
    if crate::pdf::layout::bidi::is_bidi_control(c) {
        return fallback;
    }
    charmap
        .and_then(|m| m.map(c))
        .and_then(|g| u16::try_from(g.to_u32()).ok())
        .filter(|&g| g != 0)
        .unwrap_or(fallback)
}

fn plan_font<'a>(index: usize, font: &FontFile, glyphs: &[(u16, &'a str)]) -> Result<FontPlan<'a>> {
    let err = |what: &str| WriteError::new(format!("font {}: {what}", font.name));
    let data: &[u8] = &font.data;
    let source = font
        .subset_source
        .get_or_init(|| super::unhint::subset_source(data));
    let source: &[u8] = source.as_deref().unwrap_or(data);
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
    let subset = std::panic::catch_unwind(|| subsetter::subset(source, 0, &remapper))
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

    let cid_width: Vec<f64> = cid_src.iter().map(|&g| em_width(advance(g), upm)).collect();
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

    let drawn: Vec<u16> = if is_cff {
        unique.iter().map(|&g| new_gid(g)).collect::<Result<_>>()?
    } else {
        (1..cid_text.len()).map(|cid| cid as u16).collect()
    };
    let base_font = format!(
        "{}+{}",
        subset_tag(index, &font.name, &cid_src, &cid_text),
        pdf_name(&font.name, index)
    );
    let parsed = pp::ParsedFont {
        original_bytes: super::unhint::strip(subset),
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
        drawn,
        base_font,
        parsed,
    })
}

/// The `/W` array of the CIDs `plan` draws, as printpdf writes it: runs
/// of consecutive CIDs, each its first CID and the list of their widths.
pub(super) fn widths_array(plan: &FontPlan<'_>) -> Vec<lopdf_printpdf::Object> {
    use lopdf_printpdf::Object;
    let mut cids = plan.drawn.clone();
    cids.sort_unstable();
    cids.dedup();
    let width = |cid: u16| {
        plan.cid_width
            .get(usize::from(cid))
            .map_or(0, |&w| w as i64)
    };
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut first = 0u16;
    for (i, &cid) in cids.iter().enumerate() {
        if i > 0 && cids[i - 1].checked_add(1) != Some(cid) {
            out.push(Object::Integer(i64::from(first)));
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            first = cid;
        }
        run.push(Object::Integer(width(cid)));
    }
    if !run.is_empty() {
        out.push(Object::Integer(i64::from(first)));
        out.push(Object::Array(run));
    }
    out
}

/// An advance of `units` (of `upm` to the em) in 1/1000 em, exactly as
/// printpdf writes it in `/W`.
fn em_width(units: u16, upm: u16) -> f64 {
    (f32::from(units) * 1000.0 / f32::from(upm)) as i64 as f64
}

/// Appends the `/W` width of each glyph of `gids` in `face` to `out` (0
/// for a font without metrics, which its plan refuses).
pub(super) fn push_widths(
    face: &FontRef<'_>,
    gids: impl IntoIterator<Item = u16>,
    out: &mut Vec<f64>,
) {
    let metrics = face.head().ok().zip(face.hmtx().ok());
    for gid in gids {
        out.push(match &metrics {
            Some((head, hmtx)) if head.units_per_em() != 0 => em_width(
                hmtx.advance(skrifa::GlyphId::new(gid.into())).unwrap_or(0),
                head.units_per_em(),
            ),
            _ => 0.0,
        });
    }
}

/// Whether `font` has TrueType outlines: CIDs are then given to glyphs
/// in order of use, which a body written while it is laid out needs (a
/// CFF font's CIDs are its subset's glyph ids, known only at the end).
pub(super) fn is_truetype(font: &FontFile) -> bool {
    FontRef::from_index(&font.data, 0).is_ok_and(|f| f.glyf().is_ok())
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
