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
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Horizontal advance in points (already scaled by the run's size,
    /// kerning included).
    pub advance: f32,
    /// The source text this glyph stands for (the whole cluster on the first
    /// glyph of a cluster, empty on the others): "ffi" for an ffi ligature.
    pub text: Cluster,
    /// Where the glyph is drawn relative to the pen, in points (x right,
    /// y up): marks and Nastaliq's cascading joins; (0, 0) for most.
    pub offset: (f32, f32),
}

/// The source text of one glyph: a cluster of a few bytes, kept inline so
/// that a page of glyphs costs no allocation per glyph (a long paragraph
/// holds millions of them); longer clusters go to the heap.
#[derive(Clone, PartialEq, Eq)]
pub struct Cluster(ClusterRepr);

/// Clusters of up to this many bytes are stored inline.
const INLINE: usize = 14;

#[derive(Clone, PartialEq, Eq)]
enum ClusterRepr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<Box<str>>),
}

impl Cluster {
    pub fn new(text: &str) -> Cluster {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Cluster(ClusterRepr::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            Cluster(ClusterRepr::Heap(Box::new(text.into())))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever filled from a whole `&str`, so always valid UTF-8.
            ClusterRepr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            ClusterRepr::Heap(s) => s,
        }
    }
}

impl Default for Cluster {
    fn default() -> Cluster {
        Cluster::new("")
    }
}

impl std::ops::Deref for Cluster {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Cluster {
    fn from(text: &str) -> Cluster {
        Cluster::new(text)
    }
}

impl PartialEq<str> for Cluster {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Cluster {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

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
    pub glyphs: Vec<Glyph>,
    /// Rotation in degrees, counter-clockwise around (x, y); 0 for normal text.
    pub rotation: f32,
    /// Fill opacity 0.0–1.0 (1.0 opaque); below 1.0 for watermarks.
    pub opacity: f32,
}

impl TextRun {
    /// The run's width in points, justification included.
    pub fn width(&self) -> f32 {
        self.glyphs
            .iter()
            .map(|g| {
                g.advance
                    + if g.text == " " {
                        self.word_spacing
                    } else {
                        0.0
                    }
            })
            .sum()
    }

    /// The text the run stands for, as a reader would extract it.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
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
    Text(TextRun),
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
#[derive(Debug, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    pub fonts: Vec<Arc<FontFile>>,
    pub images: Vec<Arc<ImageData>>,
    pub outline: Vec<Outline>,
    pub metadata: Metadata,
    /// Named places that `#name` links point at.
    pub anchors: Vec<Anchor>,
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
                    Item::Line { .. } => lines += 1,
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

    #[test]
    fn clusters_keep_their_text_inline_or_on_the_heap() {
        for text in [
            "",
            " ",
            "fi",
            "ffi",
            "é",
            "پاکستان",
            "0123456789abcd",
            "a much longer cluster",
        ] {
            let c = Cluster::new(text);
            assert_eq!(c.as_str(), text);
            assert_eq!(c, text);
            assert_eq!(format!("{c:?}"), format!("{text:?}"));
        }
        assert!(Cluster::default().is_empty());
        assert_ne!(Cluster::new("a"), Cluster::new("b"));
    }

    #[test]
    fn a_glyph_costs_no_allocation_and_few_bytes() {
        // A 900-page paragraph holds millions of glyphs: each must stay
        // small, with its text inline.
        assert!(
            std::mem::size_of::<Glyph>() <= 32,
            "{}",
            std::mem::size_of::<Glyph>()
        );
        assert!(matches!(Cluster::new("ffi").0, ClusterRepr::Inline { .. }));
    }
}
