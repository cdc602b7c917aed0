//! Fonts: parsed once, measured once, registered under a [`FontId`].
//!
//! A [`FontSet`] owns every font the memo uses, their vertical metrics and
//! the shaping caches (shaped words and hyphenation points), so shaping the
//! same word twice costs one hash look-up.

use foldhash::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use harfrust::{Feature, ShapePlan, Tag};
use skrifa::raw::types::NameId;

use crate::blob::Blob;
use crate::pdf::frame::{FontFile, FontId, TextRun};

/// An error while loading fonts or laying out text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub message: String,
}

impl LayoutError {
    pub fn new(message: impl Into<String>) -> Self {
        LayoutError {
            message: message.into(),
        }
    }
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LayoutError {}

/// Vertical metrics of a font, as fractions of the em (multiply by the size
/// in points). `descender` is positive below the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FontMetrics {
    pub units_per_em: u16,
    pub ascender: f32,
    pub descender: f32,
    pub line_gap: f32,
    pub cap_height: f32,
    pub x_height: f32,
    /// Underline position (negative: below the baseline) and thickness.
    pub underline_position: f32,
    pub underline_thickness: f32,
}

/// One parsed font with the shaping plans it needs.
pub struct LoadedFont {
    pub name: String,
    pub metrics: FontMetrics,
    pub(crate) file: Arc<FontFile>,
    pub(crate) font: harfrust::Font,
    /// Plans for kern + liga and for kern only (code spans). Plans and ink
    /// tables are made when first needed: a font loaded only to tell which
    /// characters it has (the glyph coverage check) never makes them.
    plan_liga: OnceLock<ShapePlan>,
    plan_plain: OnceLock<ShapePlan>,
    /// Whether the font has Arabic letters: then right-to-left text is
    /// shaped with an Arabic-script plan, and its glyphs' ink is measured.
    arabic: bool,
    /// Right-to-left plan: Arabic-script for fonts with Arabic letters; for
    /// the other fonts a Latin one, since the neutral characters of a
    /// right-to-left run (a bracket, a dash) drawn from a Latin face are
    /// shaped right to left, so that brackets are mirrored (Bidi_Mirrored,
    /// UAX #9 L4).
    plan_rtl: OnceLock<ShapePlan>,
    /// For fonts of a joining script (`arabic`): each glyph's outline top
    /// above and bottom below the baseline, in ems. Nastaliq stacks letters
    /// far above its line, and a line's leading grows with what its glyphs
    /// really reach (see [`FontSet::ink`]).
    ink: OnceLock<Option<Vec<(f32, f32)>>>,
}

impl fmt::Debug for LoadedFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedFont")
            .field("name", &self.name)
            .field("metrics", &self.metrics)
            .finish()
    }
}

pub(crate) fn features(ligatures: bool) -> Vec<Feature> {
    let on = if ligatures { 1 } else { 0 };
    vec![
        Feature::new(Tag::new(b"kern"), 1, ..),
        Feature::new(Tag::new(b"liga"), on, ..),
        Feature::new(Tag::new(b"clig"), on, ..),
        Feature::new(Tag::new(b"dlig"), 0, ..),
        Feature::new(Tag::new(b"calt"), on, ..),
    ]
}

impl LoadedFont {
    /// Parses a TrueType/OpenType font. `fallback_name` is used when the font
    /// carries no PostScript name.
    pub fn parse(data: Blob, fallback_name: &str) -> Result<LoadedFont, LayoutError> {
        let blob: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(data.clone());
        let font = harfrust::Font::new(harfrust::font::Blob::from(blob), 0).ok_or_else(|| {
            LayoutError::new(format!("{fallback_name}: not a TrueType/OpenType font"))
        })?;
        let upem = font.units_per_em();
        if upem == 0 {
            return Err(LayoutError::new(format!(
                "{fallback_name}: font has no units per em"
            )));
        }
        if font.charmap().map_unicode('a').is_none() && font.charmap().map_unicode('1').is_none() {
            return Err(LayoutError::new(format!(
                "{fallback_name}: font has no Unicode character map"
            )));
        }
        let u = upem as f32;
        let m = font.metrics();
        let (asc, desc, gap) = match m.h_line() {
            Some(l) => (
                l.ascender.to_f32(),
                l.descender.to_f32(),
                l.line_gap.to_f32(),
            ),
            None => (0.8 * u, -0.2 * u, 0.0),
        };
        let cap = m.cap_height.map(|v| v.to_f32()).unwrap_or(0.7 * u);
        let xh = m.x_height.map(|v| v.to_f32()).unwrap_or(0.5 * u);
        let style = font.style_metrics();
        let (upos, uthick) = style
            .underline
            .map(|d| (d.position.to_f32(), d.thickness.to_f32()))
            .unwrap_or((-0.1 * u, 0.05 * u));
        let metrics = FontMetrics {
            units_per_em: upem,
            ascender: asc / u,
            descender: -desc / u,
            line_gap: gap / u,
            cap_height: cap / u,
            x_height: xh / u,
            underline_position: upos / u,
            underline_thickness: uthick / u,
        };
        let name: String = font
            .names()
            .get(NameId::POSTSCRIPT_NAME)
            .and_then(|n| n.english_or_first())
            .map(|l| l.name().chars().filter(|c| !c.is_whitespace()).collect())
            .filter(|s: &String| !s.is_empty())
            .unwrap_or_else(|| fallback_name.replace(' ', ""));
        let arabic = font.charmap().map_unicode('\u{0627}').is_some();
        Ok(LoadedFont {
            file: Arc::new(FontFile {
                name: name.clone(),
                data,
                subset_source: OnceLock::new(),
            }),
            name,
            metrics,
            font,
            plan_liga: OnceLock::new(),
            plan_plain: OnceLock::new(),
            arabic,
            plan_rtl: OnceLock::new(),
            ink: OnceLock::new(),
        })
    }

    /// The left-to-right plan, with ligatures or without.
    pub(crate) fn ltr_plan(&self, ligatures: bool) -> &ShapePlan {
        let plan = if ligatures {
            &self.plan_liga
        } else {
            &self.plan_plain
        };
        plan.get_or_init(|| {
            ShapePlan::new(
                &self.font,
                harfrust::Direction::LeftToRight,
                Some(harfrust::Script::LATIN),
                None,
                &features(ligatures),
            )
        })
    }

    /// Each glyph's ink, for fonts of a joining script.
    fn ink_table(&self) -> Option<&[(f32, f32)]> {
        if !self.arabic {
            return None;
        }
        self.ink
            .get_or_init(|| glyph_extents(&self.file.data, self.metrics.units_per_em))
            .as_deref()
    }

    /// The font file for [`crate::pdf::frame::Document::fonts`].
    pub fn file(&self) -> Arc<FontFile> {
        self.file.clone()
    }

    /// The plan for text at a right-to-left level: the Arabic-script one
    /// when the font has Arabic letters, else a right-to-left Latin one
    /// (only neutral characters such as brackets reach it); and the script
    /// the buffer must carry for it.
    pub(crate) fn rtl_plan(&self) -> (&ShapePlan, harfrust::Script) {
        let script = if self.arabic {
            harfrust::Script::ARABIC
        } else {
            harfrust::Script::LATIN
        };
        let plan = self.plan_rtl.get_or_init(|| {
            ShapePlan::new(
                &self.font,
                harfrust::Direction::RightToLeft,
                Some(script),
                None,
                &features(true),
            )
        });
        (plan, script)
    }

    /// Whether the font maps the character.
    pub fn has_char(&self, c: char) -> bool {
        self.font.charmap().map_unicode(c).is_some()
    }
}

/// Every glyph's outline top and bottom (positive below the baseline) in
/// ems; `None` when the font's outlines cannot be read.
fn glyph_extents(data: &[u8], upem: u16) -> Option<Vec<(f32, f32)>> {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let font = skrifa::FontRef::new(data).ok()?;
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let u = f32::from(upem);
    Some(
        (0..metrics.glyph_count())
            .map(|g| {
                metrics
                    .bounds(skrifa::GlyphId::new(g))
                    .map_or((0.0, 0.0), |b| (b.y_max / u, -b.y_min / u))
            })
            .collect(),
    )
}

/// Room kept clear above and below a line's tallest outlines, in ems of
/// the text, so stacked letters never touch the line above.
const INK_CLEARANCE: f32 = 0.06;

/// A glyph shaped at one em (advance in ems), with the byte offset of its
/// cluster in the shaped text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct UnitGlyph {
    pub id: u16,
    pub advance: f32,
    pub cluster: u32,
    /// Offset from the pen position in ems (x right, y up): mark placement
    /// and Nastaliq's cascading joins.
    pub offset: (f32, f32),
}

pub(crate) type ShapedCache = HashMap<String, Arc<[UnitGlyph]>>;

/// Hyphenation points by language, then by word (looked up by the word as
/// it is, with no key made for a hit).
pub(crate) type HyphenCache = HashMap<hyphenation::Language, HashMap<String, Arc<[usize]>>>;

/// The most words a shaping or hyphenation cache keeps (a few megabytes):
/// a build's vocabulary fits many times over, while the figures of a long
/// table, each a word of its own and shaped once, are not kept (170,000
/// rows of them held 57 MB).
pub(crate) const CACHED_WORDS: usize = 32_768;

/// Keeps `value` in a shaping or hyphenation cache under `key`, unless the
/// cache holds [`CACHED_WORDS`] words already.
pub(crate) fn keep_word<V>(cache: &mut HashMap<String, V>, key: impl Into<String>, value: V) {
    if cache.len() < CACHED_WORDS {
        cache.insert(key.into(), value);
    }
}

/// The fonts of a document, with shaping and hyphenation caches.
#[derive(Default)]
pub struct FontSet {
    fonts: Vec<LoadedFont>,
    /// Per font: left to right with ligatures on, off; right to left
    /// with ligatures on, off.
    pub(crate) shaped: Vec<[Mutex<ShapedCache>; 4]>,
    #[allow(dead_code)]
    pub(crate) hyphens: Mutex<HyphenCache>,
    /// Per font: the fonts tried, in order, for characters it lacks.
    fallbacks: HashMap<FontId, Vec<FontId>>,
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.fonts.iter()).finish()
    }
}

impl FontSet {
    pub fn new() -> FontSet {
        FontSet::default()
    }

    /// Parses and registers a font; the id indexes [`FontSet::files`].
    pub fn add(
        &mut self,
        data: impl Into<Blob>,
        fallback_name: &str,
    ) -> Result<FontId, LayoutError> {
        let font = LoadedFont::parse(data.into(), fallback_name)?;
        self.fonts.push(font);
        self.shaped.push(Default::default());
        Ok(FontId(self.fonts.len() - 1))
    }

    /// Reads a font file from disk and registers it.
    pub fn load(&mut self, path: &std::path::Path) -> Result<FontId, LayoutError> {
        let data = std::fs::read(path)
            .map_err(|e| LayoutError::new(format!("{}: {e}", path.display())))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.add(data, &stem)
            .map_err(|e| LayoutError::new(format!("{}: {}", path.display(), e.message)))
    }

    /// Sets the fonts tried, in order, for characters `font` cannot draw.
    pub fn set_fallbacks(&mut self, font: FontId, fallbacks: Vec<FontId>) {
        self.fallbacks.insert(font, fallbacks);
    }

    /// The fonts tried for characters `font` cannot draw.
    pub fn fallbacks(&self, font: FontId) -> &[FontId] {
        self.fallbacks.get(&font).map_or(&[], Vec::as_slice)
    }

    /// The first of `font` and its fallbacks that maps `c`.
    pub fn font_for(&self, font: FontId, c: char) -> Option<FontId> {
        std::iter::once(font)
            .chain(self.fallbacks(font).iter().copied())
            .find(|&f| self.fonts.get(f.0).is_some_and(|l| l.has_char(c)))
    }

    pub fn get(&self, id: FontId) -> Result<&LoadedFont, LayoutError> {
        self.fonts
            .get(id.0)
            .ok_or_else(|| LayoutError::new(format!("unknown font id {}", id.0)))
    }

    pub fn len(&self) -> usize {
        self.fonts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }

    /// The font files in id order, for [`crate::pdf::frame::Document::fonts`].
    pub fn files(&self) -> Vec<Arc<FontFile>> {
        self.fonts.iter().map(|f| f.file()).collect()
    }

    pub fn metrics(&self, id: FontId) -> Result<FontMetrics, LayoutError> {
        Ok(self.get(id)?.metrics)
    }

    /// Whether lines in `id` are spaced by what their glyphs reach
    /// ([`FontSet::ink`]) rather than by the font's line metrics.
    pub fn measures_ink(&self, id: FontId) -> bool {
        self.fonts
            .get(id.0)
            .is_some_and(|f| f.ink_table().is_some())
    }

    /// How far the glyphs of `run` reach above and below its baseline (y
    /// offsets included, clearance added), in points, when its font is one
    /// of a joining script; `None` for other fonts.
    pub fn ink(&self, run: &TextRun) -> Option<(f32, f32)> {
        let table = self.fonts.get(run.font.0)?.ink_table()?;
        let (mut top, mut bottom) = (0.0f32, 0.0f32);
        for g in &run.glyphs {
            let (t, b) = table.get(usize::from(g.id)).copied().unwrap_or((0.0, 0.0));
            top = top.max(t * run.size + g.offset.1);
            bottom = bottom.max(b * run.size - g.offset.1);
        }
        let clear = INK_CLEARANCE * run.size;
        Some((top + clear, bottom + clear))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn theme_font(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/fonts")
            .join(format!("{name}.ttf"))
    }

    /// Serif regular, bold, italic, sans regular.
    pub(crate) fn test_fonts() -> (FontSet, [FontId; 4]) {
        let mut set = FontSet::new();
        let ids = [
            "NotoSerif-Regular",
            "NotoSerif-Bold",
            "NotoSerif-Italic",
            "NotoSans-Regular",
        ]
        .map(|n| set.load(&theme_font(n)).unwrap());
        (set, ids)
    }

    #[test]
    fn loads_metrics_and_names() {
        let (set, ids) = test_fonts();
        let f = set.get(ids[0]).unwrap();
        assert_eq!(f.name, "NotoSerif-Regular");
        let m = f.metrics;
        assert!(m.ascender > 0.7 && m.ascender < 1.3, "{m:?}");
        assert!(m.descender > 0.1 && m.descender < 0.5, "{m:?}");
        assert!(m.cap_height > 0.6 && m.cap_height < 0.8, "{m:?}");
        assert!(m.x_height > 0.4 && m.x_height < 0.6, "{m:?}");
        assert_eq!(set.files().len(), 4);
        assert_eq!(set.files()[1].name, "NotoSerif-Bold");
    }

    #[test]
    fn bad_font_is_an_error() {
        let mut set = FontSet::new();
        let err = set
            .add(Arc::new(b"not a font".to_vec()), "Broken")
            .unwrap_err();
        assert!(err.message.contains("Broken"), "{err}");
        assert!(set.get(FontId(3)).is_err());
        assert!(set
            .load(std::path::Path::new("/nonexistent/x.ttf"))
            .is_err());
    }
}
