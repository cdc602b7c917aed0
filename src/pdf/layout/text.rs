//! Styled text for line breaking and its result: `Span` (a run of text in
//! one style), `Align`, `BreakSpec`, and laid-out lines (`LaidLine`,
//! `LinkBox`) ready to place on a page.

use super::hyphenate::HyphenLang;
use crate::pdf::frame::{FontId, Item, Rgb, TextRun};

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
    /// A URI: the span's glyphs become clickable on every line they reach.
    pub link: Option<String>,
    /// Code and monospace: no ligatures.
    pub no_ligatures: bool,
    /// Bidi embedding level (UAX #9): even left-to-right, odd right-to-left.
    /// Set by `bidi::itemize`; 0 on spans made by callers.
    pub level: u8,
}

/// The link of a footnote's mark to note `n`, whose place in the memo is
/// `fn-N`.
pub fn note_link(n: usize) -> String {
    format!("#fn-{n}")
}

/// The number of the note a [`note_link`] leads to.
pub fn linked_note(link: &str) -> Option<&str> {
    link.strip_prefix("#fn-")
}

impl Span {
    /// Whether the span is a footnote's mark (its link a [`note_link`]).
    pub fn is_note_mark(&self) -> bool {
        self.link.as_deref().and_then(linked_note).is_some()
    }

    pub fn new(text: impl Into<String>, font: FontId, size: f32, color: Rgb) -> Span {
        Span {
            text: text.into(),
            font,
            size,
            color,
            link: None,
            no_ligatures: false,
            level: 0,
        }
    }

    /// A span in this one's style with `text` (its own text is not
    /// copied: a paragraph's span can be a megabyte).
    pub fn restyled(&self, text: String) -> Span {
        Span {
            text,
            font: self.font,
            size: self.size,
            color: self.color,
            link: self.link.clone(),
            no_ligatures: self.no_ligatures,
            level: self.level,
        }
    }

    pub fn with_link(mut self, uri: impl Into<String>) -> Span {
        self.link = Some(uri.into());
        self
    }

    pub fn code(mut self) -> Span {
        self.no_ligatures = true;
        self
    }
}

/// The text of spans, as a reader would extract it.
pub fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// A display line's text (a title, a heading) with each word of one or
/// two letters ("a", "of", "in", "to") bound to the word after it by a
/// no-break space, so that no line ends on one where another break exists.
pub fn bind_short_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_len = 0;
    let mut letters = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next_is_word = chars.peek().is_some_and(|n| !n.is_whitespace());
            if (1..=2).contains(&word_len) && letters && next_is_word {
                out.push('\u{00A0}');
            } else {
                out.push(c);
            }
            word_len = 0;
            letters = true;
        } else {
            word_len += 1;
            letters &= c.is_alphabetic();
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// A paragraph's base direction (UAX #9): from its first strong letter,
/// or set, as a right-to-left brief sets every paragraph right to left so
/// that one opening with a Latin name still starts at the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dir {
    #[default]
    Auto,
    Ltr,
    Rtl,
}

/// How to break one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakSpec {
    pub align: Align,
    /// The paragraph's base direction; a right-to-left paragraph starts at
    /// the right (`Left` and `Justify` then mean "from the start").
    pub dir: Dir,
    /// Width of the first line (after a first-line indent).
    pub first_width: f32,
    /// Width of the other lines.
    pub width: f32,
    pub hyphenate: bool,
    /// Whose hyphenation patterns.
    pub lang: HyphenLang,
}

/// A clickable part of a line, relative to the line's left edge.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkBox {
    pub x: f32,
    pub w: f32,
    pub uri: String,
}

/// One laid-out line: runs relative to the line's left edge (alignment
/// offset included) with the baseline at y = 0.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidLine {
    pub runs: Vec<TextRun>,
    pub links: Vec<LinkBox>,
    /// Drawn width, justification included.
    pub width: f32,
    /// Above / below the baseline: the largest over the line's fonts,
    /// those of [`LaidLine::ink`] left out.
    pub ascent: f32,
    pub descent: f32,
    /// How far the glyphs of a joining script (Urdu in Nastaliq) reach
    /// above and below the baseline, clearance included; `None` for a line
    /// without them. Such a line is spaced by this rather than by its
    /// fonts' metrics.
    pub ink: Option<(f32, f32)>,
    /// Ends with a hyphen added at a hyphenation point.
    pub hyphenated: bool,
}

impl LaidLine {
    /// Items for this line with its left edge at `x` and its baseline at
    /// `baseline`: the text runs, then a link rectangle per linked part.
    /// [`LaidLine::place`] in the box `[x, x + width]`, aligned as `align`
    /// (justified: as left).
    pub fn place_aligned(
        &self,
        x: f32,
        baseline: f32,
        width: f32,
        align: super::Align,
        out: &mut Vec<Item>,
    ) {
        let dx = match align {
            super::Align::Justify | super::Align::Left => 0.0,
            super::Align::Center => (width - self.width) / 2.0,
            super::Align::Right => width - self.width,
        };
        self.place(x + dx, baseline, out);
    }

    pub fn place(&self, x: f32, baseline: f32, out: &mut Vec<Item>) {
        for run in &self.runs {
            let mut run = run.clone();
            run.x += x;
            run.y += baseline;
            out.push(Item::Text(Box::new(run)));
        }
        let (above, below) = match self.ink {
            Some((a, d)) => (self.ascent.max(a), self.descent.max(d)),
            None => (self.ascent, self.descent),
        };
        for l in &self.links {
            out.push(Item::Link {
                x: x + l.x,
                y: baseline - above,
                w: l.w,
                h: above + below,
                uri: l.uri.clone(),
            });
        }
    }

    /// As [`LaidLine::place`], moving the runs out of the line (left
    /// empty) instead of copying them.
    pub fn place_moving(&mut self, x: f32, baseline: f32, out: &mut Vec<Item>) {
        let links = std::mem::take(&mut self.links);
        for mut run in std::mem::take(&mut self.runs) {
            run.x += x;
            run.y += baseline;
            out.push(Item::Text(Box::new(run)));
        }
        let line = LaidLine {
            links,
            ..self.clone()
        };
        line.place(x, baseline, out);
    }

    /// The line's text.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text()).collect()
    }
}
