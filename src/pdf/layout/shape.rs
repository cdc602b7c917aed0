//! Shaping with harfrust: kerning and standard ligatures, at one em, cached
//! per (font, ligatures, text) and scaled to the requested size.

use std::sync::Arc;

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShaperFont};

use super::fonts::{features, keep_word, FontSet, LayoutError, UnitGlyph};
use crate::pdf::frame::{FontId, Glyph};

/// Shapes `text` in one font at one em, left to right or, for text at a
/// right-to-left bidi level (`rtl`), right to left: Arabic-script letters
/// join, and mirrored characters (brackets) take their mirror image, as
/// UAX #9 L4 asks. The result is cached, so shaping the same word again is
/// a hash look-up.
pub(crate) fn shape_unit(
    fonts: &FontSet,
    font: FontId,
    text: &str,
    ligatures: bool,
    rtl: bool,
) -> Result<Arc<[UnitGlyph]>, LayoutError> {
    let loaded = fonts.get(font)?;
    let cache = &fonts.shaped[font.0][usize::from(!ligatures) + 2 * usize::from(rtl)];
    if let Some(hit) = cache.lock().map_err(poisoned)?.get(text) {
        return Ok(hit.clone());
    }
    let shaper = ShaperFont::new(&loaded.font);
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    let plan = if rtl {
        let (plan, script) = loaded.rtl_plan();
        buffer.set_direction(Direction::RightToLeft);
        buffer.set_script(Some(script));
        plan
    } else {
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(Some(Script::LATIN));
        loaded.ltr_plan(ligatures)
    };
    let feats = features(ligatures);
    harfrust::shape(
        &shaper,
        &mut buffer,
        ShapeOptions::new().plan(Some(plan)).features(&feats),
    )
    .map_err(|e| LayoutError::new(format!("shaping {text:?} in {}: {e:?}", loaded.name)))?;
    let upem = f32::from(loaded.metrics.units_per_em);
    let mut glyphs: Vec<UnitGlyph> = buffer
        .glyph_infos()
        .iter()
        .zip(buffer.glyph_positions())
        .map(|(info, pos)| UnitGlyph {
            id: u16::try_from(info.glyph_id).unwrap_or(0),
            advance: pos.x_advance as f32 / upem,
            cluster: info.cluster,
            offset: (pos.x_offset as f32 / upem, pos.y_offset as f32 / upem),
        })
        .collect();
    // Right-to-left runs come out in visual order; layout works in logical
    // order (clusters ascending) and lines are put back in visual order by
    // `bidi::reorder` once broken.
    if rtl {
        glyphs.reverse();
    }
    let glyphs: Arc<[UnitGlyph]> = glyphs.into();
    keep_word(&mut *cache.lock().map_err(poisoned)?, text, glyphs.clone());
    Ok(glyphs)
}

/// Whether text at bidi level `level` is shaped right to left: at an odd
/// level, or (text not itemized, level 0) when it holds right-to-left
/// letters.
pub(crate) fn shapes_rtl(level: u8, text: &str) -> bool {
    level % 2 == 1 || crate::pdf::layout::bidi::is_rtl_text(text)
}

fn poisoned<T>(_: T) -> LayoutError {
    LayoutError::new("shaping cache poisoned by an earlier panic")
}

/// The byte range of source text each glyph stands for: the whole cluster on
/// the first glyph of a cluster, an empty range on the others.
pub(crate) fn cluster_ranges(glyphs: &[UnitGlyph], text_len: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(glyphs.len());
    for (i, g) in glyphs.iter().enumerate() {
        if i > 0 && glyphs[i - 1].cluster == g.cluster {
            out.push((g.cluster, g.cluster));
            continue;
        }
        let end = glyphs[i + 1..]
            .iter()
            .map(|n| n.cluster)
            .find(|&c| c > g.cluster)
            .unwrap_or(text_len as u32);
        out.push((g.cluster, end.max(g.cluster)));
    }
    out
}

/// Shapes `text` at `size` points: advances include kerning, ligature glyphs
/// carry their whole cluster text ("ffi"); right to left when it holds
/// right-to-left letters.
pub fn shape(
    fonts: &FontSet,
    font: FontId,
    size: f32,
    text: &str,
    ligatures: bool,
) -> Result<Vec<Glyph>, LayoutError> {
    shape_at(fonts, font, size, text, ligatures, 0)
}

/// As [`shape`], for text at bidi level `level` (a span's, set by
/// `bidi::itemize`): right to left at an odd level, brackets mirrored.
pub(crate) fn shape_at(
    fonts: &FontSet,
    font: FontId,
    size: f32,
    text: &str,
    ligatures: bool,
    level: u8,
) -> Result<Vec<Glyph>, LayoutError> {
    let unit = shape_unit(fonts, font, text, ligatures, shapes_rtl(level, text))?;
    let ranges = cluster_ranges(&unit, text.len());
    Ok(unit
        .iter()
        .zip(ranges)
        .map(|(g, (a, b))| Glyph {
            id: g.id,
            advance: g.advance * size,
            text: text.get(a as usize..b as usize).unwrap_or("").into(),
            offset: (g.offset.0 * size, g.offset.1 * size),
        })
        .collect())
}

/// The advance width of `text` at `size` points.
pub fn text_width(
    fonts: &FontSet,
    font: FontId,
    size: f32,
    text: &str,
    ligatures: bool,
) -> Result<f32, LayoutError> {
    width_at(fonts, font, size, text, ligatures, 0)
}

/// As [`text_width`], for text at bidi level `level`.
pub(crate) fn width_at(
    fonts: &FontSet,
    font: FontId,
    size: f32,
    text: &str,
    ligatures: bool,
    level: u8,
) -> Result<f32, LayoutError> {
    Ok(
        shape_unit(fonts, font, text, ligatures, shapes_rtl(level, text))?
            .iter()
            .map(|g| g.advance)
            .sum::<f32>()
            * size,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::fonts::tests::test_fonts;
    use crate::pdf::layout::fonts::CACHED_WORDS;

    fn joined(g: &[Glyph]) -> String {
        g.iter().map(|g| g.text.as_str()).collect()
    }

    #[test]
    fn ligatures_keep_cluster_text() {
        let (set, ids) = test_fonts();
        for word in ["office", "financial", "affluent", "fjord"] {
            let g = shape(&set, ids[0], 10.0, word, true).unwrap();
            assert_eq!(joined(&g), word);
        }
        let office = shape(&set, ids[0], 10.0, "office", true).unwrap();
        assert!(office.len() < 6, "no ligature in NotoSerif: {office:?}");
        assert!(office.iter().any(|g| g.text.len() > 1), "{office:?}");
        let financial = shape(&set, ids[0], 10.0, "financial", true).unwrap();
        assert!(financial.len() < 9, "{financial:?}");
        // Code spans: no ligatures, one glyph per character.
        let plain = shape(&set, ids[0], 10.0, "office", false).unwrap();
        assert_eq!(plain.len(), 6);
        assert_eq!(joined(&plain), "office");
    }

    #[test]
    fn kerning_changes_advances() {
        let (set, ids) = test_fonts();
        let av = text_width(&set, ids[0], 20.0, "AV", true).unwrap();
        let a = text_width(&set, ids[0], 20.0, "A", true).unwrap();
        let v = text_width(&set, ids[0], 20.0, "V", true).unwrap();
        assert!(av < a + v - 0.5, "AV {av} vs A+V {}", a + v);
    }

    #[test]
    fn scales_linearly_and_caches() {
        let (set, ids) = test_fonts();
        let w10 = text_width(&set, ids[1], 10.0, "Investment", true).unwrap();
        let w20 = text_width(&set, ids[1], 20.0, "Investment", true).unwrap();
        assert!((w20 - 2.0 * w10).abs() < 1e-3);
        let a = shape_unit(&set, ids[1], "Investment", true, false).unwrap();
        let b = shape_unit(&set, ids[1], "Investment", true, false).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn multibyte_text_round_trips() {
        let (set, ids) = test_fonts();
        let s = "Zürich — €5 “quoted”";
        let g = shape(&set, ids[0], 10.0, s, true).unwrap();
        assert_eq!(joined(&g), s);
        assert!(g.iter().all(|g| g.id != 0), "missing glyphs: {g:?}");
    }

    #[test]
    fn the_shaping_cache_keeps_a_bounded_number_of_words() {
        let (set, ids) = test_fonts();
        // The figures of a long table: each shaped once, each its own word.
        for n in 0..CACHED_WORDS + 500 {
            let w = text_width(&set, ids[0], 10.0, &format!("{n},{n}"), true).unwrap();
            assert!(w > 0.0);
        }
        let cached = set.shaped[ids[0].0][0].lock().unwrap().len();
        assert_eq!(cached, CACHED_WORDS);
        // A word shaped past the bound is shaped the same.
        let late = format!("{0},{0}", CACHED_WORDS + 10);
        let a = shape(&set, ids[0], 10.0, &late, true).unwrap();
        let b = shape(&set, ids[0], 10.0, &late, true).unwrap();
        assert_eq!(a, b);
    }
}
