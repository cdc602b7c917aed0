//! The page model shared by layout and writer: a document is pages of
//! positioned items, in points, origin at the top-left corner, y downwards.
//!
//! `pdf::layout` produces a [`Document`]; `pdf::write` turns it into PDF bytes.
//! Nothing here knows about PDF syntax or about Markdown.

use std::sync::Arc;

pub use crate::pdf::tags::{Anchor, Node, Role, Tag};

/// A colour in sRGB, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
    pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

    /// Parses `#rrggbb` (or `rrggbb`); `None` when malformed.
    pub fn from_hex(s: &str) -> Option<Rgb> {
        let s = s.strip_prefix('#').unwrap_or(s);
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let ch = |i: usize| {
            u8::from_str_radix(&s[i..i + 2], 16)
                .ok()
                .map(|v| v as f32 / 255.0)
        };
        Some(Rgb(ch(0)?, ch(2)?, ch(4)?))
    }
}

/// Index of a font in [`Document::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub usize);

/// A font file as loaded from the theme (TrueType outlines).
#[derive(Debug)]
pub struct FontFile {
    /// PostScript-style name without spaces, e.g. `NotoSerif-Regular`.
    pub name: String,
    /// The complete font file; the writer embeds only the glyphs used.
    pub data: crate::blob::Blob,
    /// `data` as the writer subsets it, made by the writer once for all
    /// the memos of a process (`None`: `data` itself).
    pub subset_source: std::sync::OnceLock<Option<Vec<u8>>>,
}

/// One shaped glyph, as shaping makes it and a line's reordering edits it.
/// A [`TextRun`] keeps its glyphs in the compact [`Glyphs`].
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Horizontal advance in points (already scaled by the run's size,
    /// kerning included).
    pub advance: f32,
    /// The source text this glyph stands for (the whole cluster on the first
    /// glyph of a cluster, empty on the others): "ffi" for an ffi ligature.
    pub text: String,
    /// Where the glyph is drawn relative to the pen, in points (x right,
    /// y up): marks and Nastaliq's cascading joins; (0, 0) for most.
    pub offset: (f32, f32),
}

/// A glyph as read from [`Glyphs`]: the fields of [`Glyph`], its text
/// borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphRef<'a> {
    pub id: u16,
    pub advance: f32,
    pub text: &'a str,
    pub offset: (f32, f32),
}

impl GlyphRef<'_> {
    pub fn to_owned(self) -> Glyph {
        Glyph {
            id: self.id,
            advance: self.advance,
            text: self.text.to_string(),
            offset: self.offset,
        }
    }
}

/// The glyphs of a run, kept compactly: a long paragraph holds millions of
/// them until its memo is written. Each glyph is 7 bytes (id, text length,
/// advance); the texts of all of them are one string; offsets are kept
/// only for the glyphs drawn off the pen, and lengths past a slot's range
/// beside the slots.
#[derive(Clone, Default, PartialEq)]
pub struct Glyphs {
    slots: Vec<Slot>,
    text: String,
    /// Only for runs that need it.
    rare: Option<Box<Rare>>,
}

/// What few glyphs have.
#[derive(Clone, Default, PartialEq)]
struct Rare {
    /// (index, offset) of each glyph with a non-zero offset, in order.
    offsets: Vec<(u32, (f32, f32))>,
    /// (index, text length) of each glyph whose text is too long for its
    /// slot, in order.
    long: Vec<(u32, u32)>,
}

/// Packed: 7 bytes, not 8 (its fields are only ever read by value).
#[derive(Clone, Copy, PartialEq)]
#[repr(C, packed)]
struct Slot {
    id: u16,
    /// The text's length in bytes, or [`LONG`].
    len: u8,
    advance: f32,
}

/// A slot's `len` when the length is in [`Glyphs::long`].
const LONG: u8 = u8::MAX;

impl Glyphs {
    pub fn new() -> Glyphs {
        Glyphs::default()
    }

    /// Room for `glyphs` glyphs of `text` bytes of text in all.
    pub fn with_capacity(glyphs: usize, text: usize) -> Glyphs {
        Glyphs {
            slots: Vec::with_capacity(glyphs),
            text: String::with_capacity(text),
            rare: None,
        }
    }

    /// Appends a glyph.
    pub fn push(&mut self, id: u16, advance: f32, text: &str, offset: (f32, f32)) {
        let index = self.slots.len() as u32;
        let len = match u8::try_from(text.len()) {
            Ok(len) if len != LONG => len,
            _ => {
                let rare = self.rare.get_or_insert_with(Box::default);
                rare.long.push((index, text.len() as u32));
                LONG
            }
        };
        // Bit for bit, so that a -0.0 reads back as it was given.
        if offset.0.to_bits() != 0 || offset.1.to_bits() != 0 {
            let rare = self.rare.get_or_insert_with(Box::default);
            rare.offsets.push((index, offset));
        }
        self.text.push_str(text);
        self.slots.push(Slot { id, len, advance });
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn iter(&self) -> GlyphIter<'_> {
        GlyphIter {
            slots: self.slots(),
            rest: &self.text,
            index: 0,
            offsets: self.rare.as_deref().map_or(&[][..], |r| &r.offsets[..]),
        }
    }

    /// Each glyph's slot with the length of its text, in order.
    fn slots(&self) -> Slots<'_> {
        Slots {
            slots: self.slots.iter(),
            long: self.rare.as_deref().map_or(&[][..], |r| &r.long[..]),
        }
    }

    /// The glyphs' width: their advances, and `word_spacing` after each
    /// space (summed in order, as over [`Glyphs::iter`], without finding
    /// each glyph's text).
    pub fn width(&self, word_spacing: f32) -> f32 {
        let bytes = self.text.as_bytes();
        let (mut at, mut sum) = (0usize, -0.0f32);
        for (slot, len) in self.slots() {
            let space = len == 1 && bytes.get(at) == Some(&b' ');
            sum += slot.advance + if space { word_spacing } else { 0.0 };
            at += len;
        }
        sum
    }

    /// The glyphs' advances, in order (without their text, which
    /// [`Glyphs::iter`] finds for each).
    pub fn advances(&self) -> impl Iterator<Item = f32> + '_ {
        self.slots.iter().map(|s| s.advance)
    }

    /// Whether any glyph is drawn above or below the baseline.
    pub fn any_raised(&self) -> bool {
        self.rare
            .as_ref()
            .is_some_and(|r| r.offsets.iter().any(|(_, o)| o.1 != 0.0))
    }

    /// Lets `edit` change the glyphs as a list of [`Glyph`]s (reordering,
    /// moving text between them), then stores them compactly again.
    pub fn edit(&mut self, edit: impl FnOnce(&mut Vec<Glyph>)) {
        let mut list: Vec<Glyph> = self.iter().map(GlyphRef::to_owned).collect();
        edit(&mut list);
        *self = list.into();
    }

    pub fn shrink_to_fit(&mut self) {
        self.slots.shrink_to_fit();
        self.text.shrink_to_fit();
        if let Some(rare) = &mut self.rare {
            rare.offsets.shrink_to_fit();
            rare.long.shrink_to_fit();
        }
    }
}

impl<'a> FromIterator<&'a Glyph> for Glyphs {
    fn from_iter<I: IntoIterator<Item = &'a Glyph>>(iter: I) -> Glyphs {
        let mut out = Glyphs::new();
        for g in iter {
            out.push(g.id, g.advance, &g.text, g.offset);
        }
        out
    }
}

impl From<Vec<Glyph>> for Glyphs {
    fn from(list: Vec<Glyph>) -> Glyphs {
        let mut out: Glyphs = list.iter().collect();
        out.shrink_to_fit();
        out
    }
}

impl<'a> IntoIterator for &'a Glyphs {
    type Item = GlyphRef<'a>;
    type IntoIter = GlyphIter<'a>;
    fn into_iter(self) -> GlyphIter<'a> {
        self.iter()
    }
}

impl std::fmt::Debug for Glyphs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The slots of a [`Glyphs`] in order, each with its text's length (a
/// long one's from the rare list).
struct Slots<'a> {
    slots: std::slice::Iter<'a, Slot>,
    /// The entries of `long` still to come.
    long: &'a [(u32, u32)],
}

impl Iterator for Slots<'_> {
    type Item = (Slot, usize);

    fn next(&mut self) -> Option<(Slot, usize)> {
        let slot = *self.slots.next()?;
        if slot.len != LONG {
            return Some((slot, usize::from(slot.len)));
        }
        let (len, rest) = self
            .long
            .split_first()
            .map_or((0, self.long), |(l, r)| (l.1, r));
        self.long = rest;
        Some((slot, len as usize))
    }
}

/// The glyphs of a [`Glyphs`] in order.
pub struct GlyphIter<'a> {
    slots: Slots<'a>,
    /// The text of this glyph and those after it.
    rest: &'a str,
    index: u32,
    /// The entries of `offsets` still to come.
    offsets: &'a [(u32, (f32, f32))],
}

impl<'a> Iterator for GlyphIter<'a> {
    type Item = GlyphRef<'a>;

    fn next(&mut self) -> Option<GlyphRef<'a>> {
        let (slot, len) = self.slots.next()?;
        let index = self.index;
        let (text, rest) = self.rest.split_at_checked(len).unwrap_or((self.rest, ""));
        self.rest = rest;
        let offset = match self.offsets.split_first() {
            Some((&(i, offset), rest)) if i == index => {
                self.offsets = rest;
                offset
            }
            _ => (0.0, 0.0),
        };
        self.index += 1;
        Some(GlyphRef {
            id: slot.id,
            advance: slot.advance,
            text,
            offset,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.slots.size_hint()
    }
}

impl ExactSizeIterator for GlyphIter<'_> {}

/// A line (or part of one) of shaped text in one font, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge of the first glyph.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
    /// Extra space added after every glyph whose `text` is a single space
    /// (justification), in points.
    pub word_spacing: f32,
    pub glyphs: Glyphs,
    /// Rotation in degrees, counter-clockwise around (x, y); 0 for normal text.
    pub rotation: f32,
    /// Fill opacity 0.0–1.0 (1.0 opaque); below 1.0 for watermarks.
    pub opacity: f32,
}

impl TextRun {
    /// The run's width in points, justification included.
    pub fn width(&self) -> f32 {
        self.glyphs.width(self.word_spacing)
    }

    /// The text the run stands for, as a reader would extract it.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text).collect()
    }

    /// Whether the run holds right-to-left letters (without building its
    /// text).
    pub fn is_rtl(&self) -> bool {
        crate::pdf::layout::bidi::is_rtl_text(&self.glyphs.text)
    }
}

/// An image, decoded once when the project is loaded.
pub use crate::image::ImageData;

/// Index of an image in [`Document::images`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageId(pub usize);

/// Something placed on a page. Rectangles are given by their top-left
/// corner, width and height.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Boxed: a page holds many more shapes and tags than lines of text.
    Text(Box<TextRun>),
    /// A filled and/or stroked rectangle.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    /// `count` square dots of side `size`, `step` apart, the first at
    /// (`x`, `y`): a dotted leader, drawn as one dashed line.
    Dots {
        x: f32,
        y: f32,
        size: f32,
        step: f32,
        count: u32,
        color: Rgb,
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: ImageId,
    },
    /// A clickable area linking to a URI (`https:`, `mailto:`, `tel:`), or
    /// to a named place in the memo (`#name`, one of [`Document::anchors`]).
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        uri: String,
    },
    /// The items after this one on the page, up to the next tag, belong to
    /// this structure element (or are artifacts). A page starts as
    /// artifact. See [`crate::pdf::tags`].
    Tag(Tag),
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    /// The first `personal` items are what differs between the numbered
    /// copies of a memo (the watermark, running header and footer; all of
    /// the cover); the rest is the same in every copy, and the writer
    /// makes it a content stream of its own that copies share.
    pub personal: usize,
}

/// An outline (bookmark) entry; children nest under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub title: String,
    /// Zero-based page index.
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
    pub children: Vec<Outline>,
}

/// Document information.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub creator: String,
    /// BCP 47 language tag, e.g. `en-US`.
    pub language: String,
    /// Creation date as (year, month, day); never the clock.
    pub date: (i32, u8, u8),
    /// Extra Info entries (name without spaces, text), e.g. a copy number.
    pub custom: Vec<(String, String)>,
    /// The standard the PDF claims (PDF/A-2, PDF/UA-1).
    pub standard: crate::config::PdfStandard,
}

/// A laid-out document, ready for the writer.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    pub fonts: Vec<Arc<FontFile>>,
    pub images: Vec<Arc<ImageData>>,
    pub outline: Vec<Outline>,
    pub metadata: Metadata,
    /// Named places that `#name` links point at.
    pub anchors: Vec<Anchor>,
    /// The body pages written as they were laid out (a long memo's), whose
    /// items are gone from `pages`: only their personal parts are left.
    pub written: Option<Arc<crate::pdf::write::WrittenBody>>,
}

impl Document {
    /// A text dump of the layout: every page, every line of text with its
    /// position, font and size, every link; counts of shapes. Used for
    /// layout snapshots, so a change in layout shows in review.
    pub fn dump(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            let _ = writeln!(s, "page {} ({:.1} x {:.1})", i + 1, page.width, page.height);
            let (mut rects, mut lines, mut images) = (0, 0, 0);
            for item in &page.items {
                match item {
                    Item::Text(t) => {
                        let font = self.fonts.get(t.font.0).map_or("?", |f| f.name.as_str());
                        let rot = if t.rotation != 0.0 {
                            format!(" rot={:.1}", t.rotation)
                        } else {
                            String::new()
                        };
                        let _ = writeln!(
                            s,
                            "  text {:7.1} {:7.1} w={:6.1} {font} {:.1}{rot} | {}",
                            t.x,
                            t.y,
                            t.width(),
                            t.size,
                            t.text()
                        );
                    }
                    Item::Link { x, y, w, h, uri } => {
                        let _ = writeln!(s, "  link {x:7.1} {y:7.1} {w:6.1}x{h:.1} -> {uri}");
                    }
                    Item::Rect { .. } => rects += 1,
                    Item::Line { .. } | Item::Dots { .. } => lines += 1,
                    Item::Image { .. } => images += 1,
                    Item::Tag(_) => {}
                }
            }
            let _ = writeln!(s, "  ({rects} rects, {lines} rules, {images} images)");
        }
        for o in &self.outline {
            dump_outline(&mut s, o, 0);
        }
        s
    }
}

fn dump_outline(s: &mut String, o: &Outline, depth: usize) {
    use std::fmt::Write as _;
    let _ = writeln!(
        s,
        "outline {}{} (page {})",
        "  ".repeat(depth),
        o.title,
        o.page + 1
    );
    for c in &o.children {
        dump_outline(s, c, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(id: u16, text: &str, offset: (f32, f32)) -> Glyph {
        Glyph {
            id,
            advance: f32::from(id) / 4.0,
            text: text.to_string(),
            offset,
        }
    }

    #[test]
    fn glyphs_read_back_as_they_were_stored() {
        let long = "\u{301}".repeat(40_000);
        let list = vec![
            glyph(1, "f", (0.0, 0.0)),
            glyph(2, "ffi", (0.0, 0.0)),
            glyph(3, "", (1.5, -2.0)),
            glyph(4, "پاکستان", (0.0, 3.25)),
            glyph(5, &long, (0.0, 0.0)),
            glyph(6, "", (-0.0, 0.0)),
            glyph(7, &long, (0.5, 0.0)),
            glyph(8, " ", (0.0, 0.0)),
            // Either side of the longest text a slot holds itself.
            glyph(9, &"a".repeat(254), (0.0, 0.0)),
            glyph(10, &"b".repeat(255), (0.0, 0.0)),
            glyph(11, &"c".repeat(300), (0.0, 0.0)),
            glyph(12, "d", (0.0, 0.0)),
        ];
        let glyphs = Glyphs::from(list.clone());
        assert_eq!(glyphs.len(), list.len());
        assert_eq!(glyphs.iter().len(), list.len());
        let back: Vec<Glyph> = glyphs.iter().map(GlyphRef::to_owned).collect();
        assert_eq!(back, list);
        // The width adds the word spacing after the one space, long texts
        // passed over in step.
        let spaced = |ws: f32| -> f32 {
            list.iter()
                .map(|g| g.advance + if g.text == " " { ws } else { 0.0 })
                .sum()
        };
        for ws in [0.0, 0.75, -1.5] {
            assert_eq!(glyphs.width(ws).to_bits(), spaced(ws).to_bits(), "{ws}");
        }
        assert_eq!(glyphs.width(1.0), spaced(0.0) + 1.0);
        // A negative zero stays one.
        assert!(back[5].offset.0.is_sign_negative());
        assert_eq!(glyphs.rare.as_ref().unwrap().long.len(), 4);
        assert!(glyphs.any_raised());
        assert!(!Glyphs::from(vec![glyph(1, "a", (2.0, 0.0))]).any_raised());
        let one = Glyphs::from(vec![glyph(9, "x", (0.0, 0.0))]);
        assert_eq!(format!("{one:?}").matches("GlyphRef").count(), 1);
    }

    #[test]
    fn glyphs_are_edited_as_a_list() {
        let mut glyphs = Glyphs::from(vec![
            glyph(1, "ab", (0.0, 0.0)),
            glyph(2, "", (0.0, 1.0)),
            glyph(3, "c", (0.0, 0.0)),
        ]);
        glyphs.edit(|list| {
            list.reverse();
            list[0].text.push('!');
        });
        let texts: Vec<(u16, &str, (f32, f32))> =
            glyphs.iter().map(|g| (g.id, g.text, g.offset)).collect();
        assert_eq!(
            texts,
            [
                (3, "c!", (0.0, 0.0)),
                (2, "", (0.0, 1.0)),
                (1, "ab", (0.0, 0.0))
            ]
        );
    }

    #[test]
    fn a_glyph_costs_few_bytes() {
        // A 900-page paragraph holds millions of glyphs: each is a slot of
        // 7 bytes and its text, with no allocation of its own.
        assert_eq!(std::mem::size_of::<Slot>(), 7);
        let mut glyphs = Glyphs::new();
        for i in 0..10_000u16 {
            glyphs.push(i, 5.0, if i % 6 == 5 { " " } else { "e" }, (0.0, 0.0));
        }
        glyphs.shrink_to_fit();
        assert!(glyphs.rare.is_none());
        let bytes = glyphs.slots.capacity() * std::mem::size_of::<Slot>() + glyphs.text.capacity();
        assert!(bytes <= 8 * 10_000, "{bytes} bytes for 10,000 glyphs");
    }
}
