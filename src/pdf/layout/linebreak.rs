//! Paragraph line breaking: Knuth–Plass total fit over a box/glue/penalty
//! list built from mixed-style spans.
//!
//! * Break opportunities come from UAX #14 (`unicode-linebreak`); a space
//!   becomes glue, a break without a space (after a hyphen, a slash, a dash)
//!   a penalty; a mandatory break (newline) ends a line ragged.
//! * Hyphenation points (en-US patterns) become flagged penalties whose width
//!   is the hyphen glyph; a chosen one appends a "-" glyph to the line.
//! * Pass 1 accepts lines up to [`TOLERANCE`]; when no feasible breaking
//!   exists, pass 2 also allows a break between any two grapheme clusters
//!   (a long URL, a word wider than the measure) and accepts any line that
//!   is not overfull. A greedy pass over the same list is the last resort.
//!   No line is wider than the measure unless one grapheme is.
//! * Justified lines stretch or shrink their spaces through
//!   [`TextRun::word_spacing`], in proportion to each space's stretch; the
//!   last line and lines ended by a newline stay at their natural width.
//!   Ragged alignments (left, centre, right) break against a virtual
//!   right-hand glue of 3 em stretch, so line lengths come out balanced.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::{FontSet, LayoutError};
use super::shape::{cluster_ranges, shape_unit, text_width};
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
}

impl Span {
    pub fn new(text: impl Into<String>, font: FontId, size: f32, color: Rgb) -> Span {
        Span {
            text: text.into(),
            font,
            size,
            color,
            link: None,
            no_ligatures: false,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// How to break one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakSpec {
    pub align: Align,
    /// Width of the first line (after a first-line indent).
    pub first_width: f32,
    /// Width of the other lines.
    pub width: f32,
    pub hyphenate: bool,
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
    /// Above / below the baseline: the largest over the line's fonts.
    pub ascent: f32,
    pub descent: f32,
    /// Ends with a hyphen added at a hyphenation point.
    pub hyphenated: bool,
}

impl LaidLine {
    /// Items for this line with its left edge at `x` and its baseline at
    /// `baseline`: the text runs, then a link rectangle per linked part.
    pub fn place(&self, x: f32, baseline: f32, out: &mut Vec<Item>) {
        for run in &self.runs {
            let mut run = run.clone();
            run.x += x;
            run.y += baseline;
            out.push(Item::Text(run));
        }
        for l in &self.links {
            out.push(Item::Link {
                x: x + l.x,
                y: baseline - self.ascent,
                w: l.w,
                h: self.ascent + self.descent,
                uri: l.uri.clone(),
            });
        }
    }

    /// The line's text.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text()).collect()
    }
}

/// Lines looser than this (stretch ratio) are not accepted in pass 1.
pub const TOLERANCE: f64 = 1.5;
const INF_PENALTY: f64 = 10_000.0;
const HYPHEN_PENALTY: f64 = 50.0;
const EXPLICIT_HYPHEN_PENALTY: f64 = 50.0;
const OTHER_BREAK_PENALTY: f64 = 30.0;
const EMERGENCY_PENALTY: f64 = 5_000.0;
const LINE_PENALTY: f64 = 10.0;
const DOUBLE_HYPHEN_DEMERITS: f64 = 3_000.0;
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
const ADJ_DEMERITS: f64 = 10_000.0;
const FIL: f64 = 1.0e7;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Box,
    Glue,
    Penalty,
}

#[derive(Debug, Clone)]
struct KItem {
    kind: Kind,
    width: f64,
    stretch: f64,
    shrink: f64,
    penalty: f64,
    flagged: bool,
    /// Glyphs drawn for a box or a glue (inside a line), or for a penalty
    /// (at the end of a line: the hyphen).
    glyphs: Range<u32>,
}

impl KItem {
    fn pen(width: f64, penalty: f64, flagged: bool, glyphs: Range<u32>) -> KItem {
        KItem {
            kind: Kind::Penalty,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty,
            flagged,
            glyphs,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct PGlyph {
    id: u16,
    advance: f32,
    span: u32,
    text: (u32, u32),
}

/// A paragraph turned into items.
struct Prepared {
    /// The spans' text concatenated, plus " " and "-" for synthetic glyphs.
    text: String,
    glyphs: Vec<PGlyph>,
    items: Vec<KItem>,
    /// Virtual right-hand stretch of ragged lines.
    ragged_stretch: f64,
}

fn hyphenator() -> Option<&'static Standard> {
    static DICT: OnceLock<Option<Standard>> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut d = Standard::from_embedded(Language::EnglishUS).ok()?;
        d.minima = (2, 3);
        Some(d)
    })
    .as_ref()
}

/// Hyphenation points (byte offsets) inside one alphabetic word, cached.
fn hyphenation_points(fonts: &FontSet, word: &str) -> Arc<[usize]> {
    if let Ok(cache) = fonts.hyphens.lock() {
        if let Some(hit) = cache.get(word) {
            return hit.clone();
        }
    }
    let points: Arc<[usize]> = match hyphenator() {
        Some(dict) => {
            let n = word.len();
            dict.hyphenate(word)
                .breaks
                .into_iter()
                .filter(|&b| {
                    word.is_char_boundary(b)
                        && word[..b].chars().count() >= 2
                        && word[b..].chars().count() >= 3
                        && b < n
                })
                .collect()
        }
        None => Arc::from(Vec::new()),
    };
    if let Ok(mut cache) = fonts.hyphens.lock() {
        cache.insert(word.to_string(), points.clone());
    }
    points
}

/// Hyphenation points (absolute byte offsets) in the non-space chunk
/// `text[range]`: words of five letters or more, no digits, no URLs or
/// e-mail addresses, no acronyms or inner capitals.
fn chunk_hyphenation(fonts: &FontSet, text: &str, range: Range<usize>, out: &mut Vec<usize>) {
    let chunk = &text[range.clone()];
    // The whole space-delimited token: a URL is broken by UAX #14 into
    // chunks at its slashes, and none of them may be hyphenated.
    let token_start = text[..range.start].rfind(is_space).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let token_end = text[range.end..]
        .find(is_space)
        .map_or(text.len(), |i| range.end + i);
    let token = &text[token_start..token_end];
    if chunk.chars().any(|c| c.is_ascii_digit())
        || token.contains("://")
        || token.contains('@')
        || token.starts_with("www.")
        || (token.contains('/') && token.contains('.'))
    {
        return;
    }
    let mut start: Option<usize> = None;
    let push_word = |a: usize, b: usize, out: &mut Vec<usize>| {
        let word = &chunk[a..b];
        if word.chars().count() < 5 || word.chars().skip(1).any(|c| c.is_uppercase()) {
            return;
        }
        for p in hyphenation_points(fonts, word).iter() {
            out.push(range.start + a + p);
        }
    };
    for (i, c) in chunk.char_indices() {
        if c.is_alphabetic() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push_word(s, i, out);
        }
    }
    if let Some(s) = start {
        push_word(s, chunk.len(), out);
    }
}

struct Builder<'a> {
    fonts: &'a FontSet,
    spans: &'a [Span],
    starts: Vec<usize>,
    emergency: bool,
    justify: bool,
    p: Prepared,
    space_cache: HashMap<usize, (u16, f32)>,
    hyphen_cache: HashMap<usize, (u16, f32)>,
    space_text: (u32, u32),
    hyphen_text: (u32, u32),
}

impl Builder<'_> {
    fn span_at(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    fn glyph_of(&mut self, span: usize, s: &str, hyphen: bool) -> Result<(u16, f32), LayoutError> {
        let cache = if hyphen {
            &self.hyphen_cache
        } else {
            &self.space_cache
        };
        if let Some(&hit) = cache.get(&span) {
            return Ok(hit);
        }
        let sp = &self.spans[span];
        let unit = shape_unit(self.fonts, sp.font, s, true)?;
        let id = unit.first().map(|g| g.id).unwrap_or(0);
        let adv: f32 = unit.iter().map(|g| g.advance).sum::<f32>() * sp.size;
        let cache = if hyphen {
            &mut self.hyphen_cache
        } else {
            &mut self.space_cache
        };
        cache.insert(span, (id, adv));
        Ok((id, adv))
    }

    fn push_glyph(&mut self, id: u16, advance: f32, span: usize, text: (u32, u32)) -> u32 {
        self.p.glyphs.push(PGlyph {
            id,
            advance,
            span: span as u32,
            text,
        });
        self.p.glyphs.len() as u32
    }

    fn hyphen_penalty(&mut self, span: usize, penalty: f64) -> Result<(), LayoutError> {
        let (id, w) = self.glyph_of(span, "-", true)?;
        let start = self.p.glyphs.len() as u32;
        let end = self.push_glyph(id, w, span, self.hyphen_text);
        self.p
            .items
            .push(KItem::pen(f64::from(w), penalty, true, start..end));
        Ok(())
    }

    fn push_box(&mut self, glyphs: Range<u32>) {
        if glyphs.is_empty() {
            return;
        }
        let width: f64 = self.p.glyphs[glyphs.start as usize..glyphs.end as usize]
            .iter()
            .map(|g| f64::from(g.advance))
            .sum();
        self.p.items.push(KItem {
            kind: Kind::Box,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty: 0.0,
            flagged: false,
            glyphs,
        });
    }

    /// Boxes for `text[range]` (one span), split at hyphenation points and,
    /// in an emergency, at every cluster boundary.
    fn push_piece(
        &mut self,
        span: usize,
        range: Range<usize>,
        hyphens: &[usize],
    ) -> Result<(), LayoutError> {
        let sp = &self.spans[span];
        let piece = &self.p.text[range.clone()];
        let unit = shape_unit(self.fonts, sp.font, piece, !sp.no_ligatures)?;
        let ranges = cluster_ranges(&unit, piece.len());
        let size = sp.size;
        let mut box_start = self.p.glyphs.len() as u32;
        let mut h = hyphens.iter().copied().peekable();
        for (g, (a, b)) in unit.iter().zip(ranges) {
            let abs = range.start + a as usize;
            if a != b && abs > range.start {
                while h.peek().is_some_and(|&p| p < abs) {
                    h.next();
                }
                let at_hyphen = h.peek() == Some(&abs);
                if at_hyphen || self.emergency {
                    let end = self.p.glyphs.len() as u32;
                    self.push_box(box_start..end);
                    if at_hyphen {
                        self.hyphen_penalty(span, HYPHEN_PENALTY)?;
                    } else {
                        self.p
                            .items
                            .push(KItem::pen(0.0, EMERGENCY_PENALTY, false, 0..0));
                    }
                    box_start = self.p.glyphs.len() as u32;
                }
            }
            let text = (
                (range.start + a as usize) as u32,
                (range.start + b as usize) as u32,
            );
            self.push_glyph(g.id, g.advance * size, span, text);
        }
        let end = self.p.glyphs.len() as u32;
        self.push_box(box_start..end);
        Ok(())
    }

    fn push_glue(&mut self, span: usize) -> Result<(), LayoutError> {
        let (id, w) = self.glyph_of(span, " ", false)?;
        let start = self.p.glyphs.len() as u32;
        let end = self.push_glyph(id, w, span, self.space_text);
        let w = f64::from(w);
        let (stretch, shrink) = if self.justify {
            (w / 2.0, w / 3.0)
        } else {
            (0.0, 0.0)
        };
        self.p.items.push(KItem {
            kind: Kind::Glue,
            width: w,
            stretch,
            shrink,
            penalty: 0.0,
            flagged: false,
            glyphs: start..end,
        });
        Ok(())
    }

    fn push_forced_end(&mut self) {
        self.p.items.push(KItem::pen(0.0, INF_PENALTY, false, 0..0));
        self.p.items.push(KItem {
            kind: Kind::Glue,
            width: 0.0,
            stretch: FIL,
            shrink: 0.0,
            penalty: 0.0,
            flagged: false,
            glyphs: 0..0,
        });
        self.p
            .items
            .push(KItem::pen(0.0, -INF_PENALTY, false, 0..0));
    }
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{2028}' | '\u{2029}'
    )
}

fn prepare(
    fonts: &FontSet,
    spans: &[Span],
    spec: &BreakSpec,
    emergency: bool,
) -> Result<Prepared, LayoutError> {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(spans.len());
    for s in spans {
        starts.push(text.len());
        text.push_str(&s.text);
    }
    let body_len = text.len();
    text.push_str(" -");
    let base_size = spans.iter().map(|s| s.size).fold(0.0f32, f32::max);
    let mut b = Builder {
        fonts,
        spans,
        starts,
        emergency,
        justify: spec.align == Align::Justify,
        p: Prepared {
            text,
            glyphs: Vec::new(),
            items: Vec::new(),
            ragged_stretch: 3.0 * f64::from(base_size.max(1.0)),
        },
        space_cache: HashMap::new(),
        hyphen_cache: HashMap::new(),
        space_text: (body_len as u32, body_len as u32 + 1),
        hyphen_text: (body_len as u32 + 1, body_len as u32 + 2),
    };
    for s in spans {
        if !(s.size.is_finite() && s.size > 0.0) {
            return Err(LayoutError::new(format!(
                "font size {} for {:?} is not positive",
                s.size, s.text
            )));
        }
        fonts.get(s.font)?;
    }
    let body = &b.p.text[..body_len];
    let lead = body.len() - body.trim_start_matches(is_space).len();
    let opportunities: Vec<(usize, BreakOpportunity)> = linebreaks(body).collect();
    let mut hyphens = Vec::new();
    let mut prev = lead;
    for (pos, opp) in opportunities {
        if pos <= prev {
            continue;
        }
        let chunk = &b.p.text[prev..pos];
        let content_len = chunk.trim_end_matches(is_space).len();
        let content = prev..prev + content_len;
        let has_space = content_len < chunk.len();
        let at_end = pos == body_len;
        if !content.is_empty() {
            if emergency {
                // Break between clusters only inside chunks wider than the
                // narrowest line.
                let mut w = 0.0;
                let mut a = content.start;
                while a < content.end {
                    let span = b.span_at(a);
                    let span_end = b.starts.get(span + 1).copied().unwrap_or(body_len);
                    let e = span_end.min(content.end).max(a + 1);
                    let sp = &spans[span];
                    if let Some(t) = b.p.text.get(a..e) {
                        w += text_width(fonts, sp.font, sp.size, t, !sp.no_ligatures)?;
                    }
                    a = e;
                }
                b.emergency = w > spec.first_width.min(spec.width);
            }
            hyphens.clear();
            if spec.hyphenate {
                chunk_hyphenation(fonts, &b.p.text, content.clone(), &mut hyphens);
            }
            // Split the content at span boundaries.
            let mut a = content.start;
            while a < content.end {
                let span = b.span_at(a);
                let span_end = b.starts.get(span + 1).copied().unwrap_or(body_len);
                let e = span_end.min(content.end);
                if e > a {
                    if a > content.start && hyphens.contains(&a) {
                        b.hyphen_penalty(b.span_at(a - 1), HYPHEN_PENALTY)?;
                    }
                    let hs: Vec<usize> = hyphens
                        .iter()
                        .copied()
                        .filter(|&h| h > a && h < e)
                        .collect();
                    b.push_piece(span, a..e, &hs)?;
                }
                a = e.max(a + 1);
                while !b.p.text.is_char_boundary(a) {
                    a += 1;
                }
            }
        }
        if opp == BreakOpportunity::Mandatory || at_end {
            if !at_end {
                b.push_forced_end();
            }
        } else if has_space {
            let span = b.span_at(content.end);
            b.push_glue(span)?;
        } else if !content.is_empty() {
            let last = b.p.text[content.clone()].chars().next_back();
            let span = b.span_at(content.end - 1);
            match last {
                Some('\u{00AD}') => b.hyphen_penalty(span, HYPHEN_PENALTY)?,
                Some('-' | '\u{2010}' | '\u{2013}') => {
                    b.p.items
                        .push(KItem::pen(0.0, EXPLICIT_HYPHEN_PENALTY, true, 0..0));
                }
                _ => {
                    b.p.items
                        .push(KItem::pen(0.0, OTHER_BREAK_PENALTY, false, 0..0))
                }
            }
        }
        prev = pos;
    }
    b.push_forced_end();
    Ok(b.p)
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Item index of the break (0 for the paragraph start).
    pos: usize,
    /// First item of the line after this break.
    start: usize,
    line: usize,
    fitness: u8,
    demerits: f64,
    flagged: bool,
    prev: Option<usize>,
}

struct Sums {
    w: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
}

impl Sums {
    fn new(items: &[KItem]) -> Sums {
        let n = items.len();
        let (mut w, mut y, mut z) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
        );
        let (mut sw, mut sy, mut sz) = (0.0, 0.0, 0.0);
        for it in items {
            w.push(sw);
            y.push(sy);
            z.push(sz);
            if it.kind != Kind::Penalty {
                sw += it.width;
                sy += it.stretch;
                sz += it.shrink;
            }
        }
        w.push(sw);
        y.push(sy);
        z.push(sz);
        Sums { w, y, z }
    }
}

fn is_legal(items: &[KItem], i: usize) -> bool {
    match items[i].kind {
        Kind::Box => false,
        Kind::Glue => i > 0 && items[i - 1].kind == Kind::Box,
        Kind::Penalty => items[i].penalty < INF_PENALTY,
    }
}

/// First item of the line that follows a break at `b`.
fn after_break(items: &[KItem], b: usize) -> usize {
    let mut i = b + 1;
    while i < items.len() {
        match items[i].kind {
            Kind::Box => break,
            Kind::Penalty if items[i].penalty <= -INF_PENALTY => break,
            _ => i += 1,
        }
    }
    i
}

/// Natural width, stretch and shrink of the line `start..b` broken at `b`.
fn line_measure(items: &[KItem], sums: &Sums, start: usize, b: usize) -> (f64, f64, f64) {
    let mut w = sums.w[b] - sums.w[start];
    if items[b].kind == Kind::Penalty {
        w += items[b].width;
    }
    (w, sums.y[b] - sums.y[start], sums.z[b] - sums.z[start])
}

fn ratio(width: f64, natural: f64, stretch: f64, shrink: f64) -> f64 {
    let slack = width - natural;
    if slack.abs() < 1e-9 {
        0.0
    } else if slack > 0.0 {
        if stretch > 0.0 {
            slack / stretch
        } else {
            f64::INFINITY
        }
    } else if shrink > 0.0 {
        slack / shrink
    } else {
        f64::NEG_INFINITY
    }
}

fn fitness(r: f64) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// Knuth–Plass: the break item indices (the last is the final penalty), or
/// `None` when no feasible breaking exists at this tolerance.
fn knuth_plass(p: &Prepared, spec: &BreakSpec, tolerance: f64, ragged: bool) -> Option<Vec<usize>> {
    let items = &p.items;
    let sums = Sums::new(items);
    let extra = if ragged { p.ragged_stretch } else { 0.0 };
    let mut nodes = vec![Node {
        pos: 0,
        start: 0,
        line: 0,
        fitness: 1,
        demerits: 0.0,
        flagged: false,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    let last = items.len() - 1;
    for b in 0..items.len() {
        if !is_legal(items, b) {
            continue;
        }
        let it = &items[b];
        let forced = it.kind == Kind::Penalty && it.penalty <= -INF_PENALTY;
        let mut best: [Option<(f64, usize)>; 4] = [None; 4];
        let mut k = 0;
        while k < active.len() {
            let ai = active[k];
            let a = nodes[ai];
            let (nat, st, sh) = line_measure(items, &sums, a.start, b);
            let width = f64::from(if a.line == 0 {
                spec.first_width
            } else {
                spec.width
            });
            let r = ratio(width, nat, st + extra, sh);
            if r < -1.0 || forced {
                active.swap_remove(k);
            } else {
                k += 1;
            }
            if r < -1.0 || r > tolerance {
                continue;
            }
            // Uncapped, so that a looser line always costs more in the
            // emergency passes; a line without glue counts as very loose.
            let badness = if r.is_finite() {
                100.0 * r.abs().powi(3)
            } else {
                1.0e6
            };
            let pen = if it.kind == Kind::Penalty {
                it.penalty
            } else {
                0.0
            };
            let base = (LINE_PENALTY + badness).powi(2);
            let mut d = if pen >= 0.0 {
                base + pen * pen
            } else if pen > -INF_PENALTY {
                base - pen * pen
            } else {
                base
            };
            let flagged = it.kind == Kind::Penalty && it.flagged;
            if flagged && a.flagged {
                d += DOUBLE_HYPHEN_DEMERITS;
            }
            if b == last && a.flagged {
                d += FINAL_HYPHEN_DEMERITS;
            }
            // The last line is as loose as it likes.
            let fit = if b == last { 1 } else { fitness(r) };
            if a.pos != 0 && fit.abs_diff(a.fitness) > 1 {
                d += ADJ_DEMERITS;
            }
            d += a.demerits;
            let slot = &mut best[fit as usize];
            if slot.is_none_or(|(bd, _)| d < bd) {
                *slot = Some((d, ai));
            }
        }
        let min = best
            .iter()
            .flatten()
            .map(|&(d, _)| d)
            .fold(f64::INFINITY, f64::min);
        let start = after_break(items, b);
        for (fit, slot) in best.iter().enumerate() {
            if let Some((d, prev)) = *slot {
                if d <= min + ADJ_DEMERITS {
                    nodes.push(Node {
                        pos: b,
                        start,
                        line: nodes[prev].line + 1,
                        fitness: fit as u8,
                        demerits: d,
                        flagged: items[b].kind == Kind::Penalty && items[b].flagged,
                        prev: Some(prev),
                    });
                    active.push(nodes.len() - 1);
                }
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let best = active
        .iter()
        .copied()
        .filter(|&n| nodes[n].pos == last)
        .min_by(|&x, &y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
    let mut breaks = Vec::new();
    let mut n = Some(best);
    while let Some(i) = n {
        if nodes[i].prev.is_some() {
            breaks.push(nodes[i].pos);
        }
        n = nodes[i].prev;
    }
    breaks.reverse();
    Some(breaks)
}

/// Greedy breaking that never fails: the longest line that fits at every
/// step; a single unbreakable piece wider than the measure gets a line of
/// its own.
fn greedy(p: &Prepared, spec: &BreakSpec) -> Vec<usize> {
    let items = &p.items;
    let sums = Sums::new(items);
    let mut breaks = Vec::new();
    let mut start = 0;
    let mut last_fit: Option<usize> = None;
    let mut b = 0;
    while b < items.len() {
        if !is_legal(items, b) {
            b += 1;
            continue;
        }
        let width = f64::from(if breaks.is_empty() {
            spec.first_width
        } else {
            spec.width
        });
        let (nat, _, sh) = line_measure(items, &sums, start, b);
        let forced = items[b].penalty <= -INF_PENALTY && items[b].kind == Kind::Penalty;
        if nat - sh <= width + 1e-9 {
            if forced {
                breaks.push(b);
                start = after_break(items, b);
                last_fit = None;
            } else {
                last_fit = Some(b);
            }
            b += 1;
        } else if let Some(lf) = last_fit.filter(|&lf| lf >= start) {
            breaks.push(lf);
            start = after_break(items, lf);
            last_fit = None;
            b = start;
        } else {
            breaks.push(b);
            start = after_break(items, b);
            b += 1;
        }
    }
    if breaks.last() != Some(&(items.len() - 1)) {
        breaks.push(items.len() - 1);
    }
    breaks
}

fn build_lines(
    fonts: &FontSet,
    spans: &[Span],
    p: &Prepared,
    spec: &BreakSpec,
    breaks: &[usize],
) -> Result<Vec<LaidLine>, LayoutError> {
    let items = &p.items;
    let sums = Sums::new(items);
    let mut metrics = Vec::with_capacity(spans.len());
    for s in spans {
        let m = fonts.metrics(s.font)?;
        metrics.push((m.ascender * s.size, m.descender * s.size));
    }
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for (li, &b) in breaks.iter().enumerate() {
        let width = if li == 0 {
            spec.first_width
        } else {
            spec.width
        };
        let (nat, st, sh) = line_measure(items, &sums, start, b);
        let r = if spec.align == Align::Justify {
            let r = ratio(f64::from(width), nat, st, sh);
            if r.is_finite() {
                r.max(-1.0)
            } else {
                0.0
            }
        } else {
            0.0
        };
        // Glyph indices of the line in order, with glue flags.
        let mut runs: Vec<TextRun> = Vec::new();
        let mut run_spans: Vec<usize> = Vec::new();
        let mut hyphenated = false;
        let mut push = |g: &PGlyph, glue: Option<&KItem>, runs: &mut Vec<TextRun>| {
            let span = g.span as usize;
            let sp = &spans[span];
            if run_spans.last() != Some(&span) {
                run_spans.push(span);
                runs.push(TextRun {
                    x: 0.0,
                    y: 0.0,
                    font: sp.font,
                    size: sp.size,
                    color: sp.color,
                    word_spacing: 0.0,
                    glyphs: Vec::new(),
                    rotation: 0.0,
                    opacity: 1.0,
                });
            }
            let run = runs.last_mut().expect("run pushed above");
            if let Some(glue) = glue {
                let extra = if r > 0.0 {
                    r * glue.stretch
                } else {
                    r * glue.shrink
                };
                run.word_spacing = extra as f32;
            }
            run.glyphs.push(crate::pdf::frame::Glyph {
                id: g.id,
                advance: g.advance,
                text: if glue.is_some() {
                    " ".to_string()
                } else {
                    p.text[g.text.0 as usize..g.text.1 as usize].to_string()
                },
            });
        };
        for it in &items[start..b.min(items.len())] {
            match it.kind {
                Kind::Box => {
                    for g in &p.glyphs[it.glyphs.start as usize..it.glyphs.end as usize] {
                        push(g, None, &mut runs);
                    }
                }
                Kind::Glue => {
                    for g in &p.glyphs[it.glyphs.start as usize..it.glyphs.end as usize] {
                        push(g, Some(it), &mut runs);
                    }
                }
                Kind::Penalty => {}
            }
        }
        let brk = &items[b];
        if brk.kind == Kind::Penalty && !brk.glyphs.is_empty() {
            hyphenated = true;
            for g in &p.glyphs[brk.glyphs.start as usize..brk.glyphs.end as usize] {
                push(g, None, &mut runs);
            }
        }
        // Position runs and collect links.
        let mut x = 0.0f32;
        let mut ascent = 0.0f32;
        let mut descent = 0.0f32;
        let mut links: Vec<LinkBox> = Vec::new();
        for (run, &span) in runs.iter_mut().zip(&run_spans) {
            run.x = x;
            let w = run.width();
            let (a, d) = metrics[span];
            ascent = ascent.max(a);
            descent = descent.max(d);
            if let Some(uri) = &spans[span].link {
                match links.last_mut() {
                    Some(l) if &l.uri == uri && (l.x + l.w - x).abs() < 0.01 => l.w += w,
                    _ => links.push(LinkBox {
                        x,
                        w,
                        uri: uri.clone(),
                    }),
                }
            }
            x += w;
        }
        if runs.is_empty() {
            for &(a, d) in &metrics {
                ascent = ascent.max(a);
                descent = descent.max(d);
            }
        }
        let shift = match spec.align {
            Align::Justify | Align::Left => 0.0,
            Align::Center => ((width - x) / 2.0).max(0.0),
            Align::Right => (width - x).max(0.0),
        };
        if shift != 0.0 {
            for run in &mut runs {
                run.x += shift;
            }
            for l in &mut links {
                l.x += shift;
            }
        }
        lines.push(LaidLine {
            runs,
            links,
            width: x,
            ascent,
            descent,
            hyphenated,
        });
        start = after_break(items, b);
    }
    Ok(lines)
}

/// Breaks spans into lines. An empty paragraph gives no lines.
pub fn break_lines(
    fonts: &FontSet,
    spans: &[Span],
    spec: &BreakSpec,
) -> Result<Vec<LaidLine>, LayoutError> {
    if spans
        .iter()
        .all(|s| s.text.trim_matches(is_space).is_empty())
    {
        return Ok(Vec::new());
    }
    let spec = BreakSpec {
        first_width: spec.first_width.max(0.0),
        width: spec.width.max(0.0),
        ..*spec
    };
    let ragged = spec.align != Align::Justify;
    let p = prepare(fonts, spans, &spec, false)?;
    for tolerance in [TOLERANCE, f64::INFINITY] {
        if let Some(breaks) = knuth_plass(&p, &spec, tolerance, ragged) {
            return build_lines(fonts, spans, &p, &spec, &breaks);
        }
    }
    let p = prepare(fonts, spans, &spec, true)?;
    let breaks = knuth_plass(&p, &spec, f64::INFINITY, ragged).unwrap_or_else(|| greedy(&p, &spec));
    build_lines(fonts, spans, &p, &spec, &breaks)
}

/// Natural width of spans set on one line.
pub fn measure(fonts: &FontSet, spans: &[Span]) -> Result<f32, LayoutError> {
    let mut w = 0.0;
    for s in spans {
        w += super::shape::text_width(fonts, s.font, s.size, &s.text, !s.no_ligatures)?;
    }
    Ok(w)
}

/// Spans set on a single line at their natural width (no breaking), with the
/// line's left edge at 0 and the baseline at 0: for running headers, page
/// numbers and titles placed at exact positions.
pub fn single_line(fonts: &FontSet, spans: &[Span]) -> Result<LaidLine, LayoutError> {
    let mut runs = Vec::new();
    let mut links: Vec<LinkBox> = Vec::new();
    let (mut x, mut ascent, mut descent) = (0.0f32, 0.0f32, 0.0f32);
    for s in spans {
        let m = fonts.metrics(s.font)?;
        ascent = ascent.max(m.ascender * s.size);
        descent = descent.max(m.descender * s.size);
        let glyphs = super::shape::shape(fonts, s.font, s.size, &s.text, !s.no_ligatures)?;
        let run = TextRun {
            x,
            y: 0.0,
            font: s.font,
            size: s.size,
            color: s.color,
            word_spacing: 0.0,
            glyphs,
            rotation: 0.0,
            opacity: 1.0,
        };
        let w = run.width();
        if let Some(uri) = &s.link {
            links.push(LinkBox {
                x,
                w,
                uri: uri.clone(),
            });
        }
        x += w;
        if !run.glyphs.is_empty() {
            runs.push(run);
        }
    }
    Ok(LaidLine {
        runs,
        links,
        width: x,
        ascent,
        descent,
        hyphenated: false,
    })
}

/// Places spans on one line aligned within `[x, x + width]` (`Justify`
/// counts as left) with the baseline at `baseline`.
pub fn layout_line(
    fonts: &FontSet,
    spans: &[Span],
    x: f32,
    baseline: f32,
    width: f32,
    align: Align,
) -> Result<Vec<Item>, LayoutError> {
    let line = single_line(fonts, spans)?;
    let dx = match align {
        Align::Justify | Align::Left => 0.0,
        Align::Center => (width - line.width) / 2.0,
        Align::Right => width - line.width,
    };
    let mut out = Vec::new();
    line.place(x + dx, baseline, &mut out);
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pdf::layout::fonts::tests::test_fonts;

    pub(crate) const LOREM: &str =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do \
eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis \
nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure \
dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. The \
financial office of the acquisition committee reviewed the transaction thoroughly, \
notwithstanding the extraordinary circumstances surrounding its capitalisation.";

    fn spec(align: Align, width: f32, hyphenate: bool) -> BreakSpec {
        BreakSpec {
            align,
            first_width: width,
            width,
            hyphenate,
        }
    }

    fn joined(lines: &[LaidLine]) -> String {
        let mut s = String::new();
        let mut glue = false;
        for l in lines {
            let mut t = l.text();
            if glue && !s.ends_with('-') && !s.ends_with('/') {
                s.push(' ');
            }
            glue = !l.hyphenated;
            if l.hyphenated {
                t.pop();
            }
            s.push_str(&t);
        }
        s
    }

    fn run_widths(l: &LaidLine) -> f32 {
        l.runs.iter().map(|r| r.width()).sum()
    }

    /// A simple deterministic pseudo-random generator.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new(LOREM, ids[0], 10.0, Rgb::BLACK)];
        for width in [180.0, 240.0, 320.0] {
            let lines = break_lines(&set, &spans, &spec(Align::Justify, width, true)).unwrap();
            assert!(lines.len() > 3);
            for (i, l) in lines.iter().enumerate() {
                let w = run_widths(l);
                assert!(w <= width + 0.01, "line {i} is {w} > {width}");
                if i + 1 < lines.len() {
                    assert!((w - width).abs() < 0.01, "line {i}: {w} vs {width}");
                } else {
                    assert!(l.runs[0].word_spacing.abs() < 0.01);
                }
                assert!((l.width - w).abs() < 0.01);
            }
            // Text survives breaking (hyphens removed, spaces restored).
            assert_eq!(joined(&lines), LOREM);
        }
    }

    #[test]
    fn narrow_measures_hyphenate() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new(LOREM, ids[0], 10.0, Rgb::BLACK)];
        let lines = break_lines(&set, &spans, &spec(Align::Justify, 110.0, true)).unwrap();
        assert!(
            lines.iter().any(|l| l.hyphenated),
            "no hyphenation at 110pt"
        );
        for l in lines.iter().filter(|l| l.hyphenated) {
            assert!(l.text().ends_with('-'));
        }
        let plain = break_lines(&set, &spans, &spec(Align::Justify, 110.0, false)).unwrap();
        assert!(plain.iter().all(|l| !l.hyphenated));
        assert_eq!(joined(&lines), LOREM);
    }

    #[test]
    fn no_hyphenation_of_acronyms_numbers_urls() {
        let (set, _ids) = test_fonts();
        let mut out = Vec::new();
        for w in [
            "EBITDA",
            "MacDonald",
            "2024financial",
            "https://investment.example",
        ] {
            out.clear();
            chunk_hyphenation(&set, w, 0..w.len(), &mut out);
            assert!(out.is_empty(), "{w}: {out:?}");
        }
        // A chunk of a URL (UAX 14 breaks after its slashes).
        let url = "see https://dataroom.example.com/deals/financials/accounts.pdf now";
        let at = url.find("financials").unwrap();
        chunk_hyphenation(&set, url, at..at + 11, &mut out);
        assert!(out.is_empty(), "{out:?}");
        chunk_hyphenation(&set, "capitalisation", 0..14, &mut out);
        assert!(!out.is_empty());
        assert!(out.iter().all(|&p| (2..=11).contains(&p)), "{out:?}");
    }

    #[test]
    fn no_line_overflows_with_long_words_and_urls() {
        let (set, ids) = test_fonts();
        let mut seed = 7u64;
        let mut text = String::new();
        for i in 0..400 {
            let len = if lcg(&mut seed).is_multiple_of(13) {
                20 + lcg(&mut seed) % 25
            } else {
                1 + lcg(&mut seed) % 9
            };
            for _ in 0..len {
                text.push((b'a' + (lcg(&mut seed) % 26) as u8) as char);
            }
            text.push(' ');
            if i == 150 {
                text.push_str("https://deals.example.com/");
                text.push_str(&"x".repeat(94));
                text.push(' ');
            }
        }
        let url = Span::new("https://data.example.org/", ids[3], 9.0, Rgb::BLACK)
            .with_link("https://data.example.org/");
        let spans = vec![
            Span::new(text.trim_end(), ids[0], 10.0, Rgb::BLACK),
            Span::new(" see ", ids[2], 10.0, Rgb::BLACK),
            url,
            Span::new(" bold end", ids[1], 10.0, Rgb::BLACK),
        ];
        for (align, width) in [
            (Align::Justify, 150.0),
            (Align::Justify, 60.0),
            (Align::Left, 90.0),
            (Align::Center, 200.0),
            (Align::Right, 35.0),
        ] {
            let lines = break_lines(&set, &spans, &spec(align, width, true)).unwrap();
            for (i, l) in lines.iter().enumerate() {
                let w = run_widths(l);
                assert!(w <= width + 0.01, "{align:?} line {i}: {w} > {width}");
                for r in &l.runs {
                    assert!(r.x >= -0.01 && r.x + r.width() <= width + 0.01);
                }
            }
            let all: String = lines.iter().map(|l| l.text()).collect();
            assert!(all.contains("xxxxxxxx"));
            assert!(lines.iter().any(|l| !l.links.is_empty()));
        }
    }

    #[test]
    fn mixed_styles_make_runs_and_links() {
        let (set, ids) = test_fonts();
        let spans = vec![
            Span::new("Plain text with ", ids[0], 10.0, Rgb::BLACK),
            Span::new("bold words", ids[1], 10.0, Rgb::BLACK),
            Span::new(" and a ", ids[0], 10.0, Rgb::BLACK),
            Span::new(
                "link that wraps over lines",
                ids[0],
                10.0,
                Rgb(0.0, 0.0, 1.0),
            )
            .with_link("https://example.com"),
            Span::new(
                " then more plain text to finish the paragraph off.",
                ids[0],
                10.0,
                Rgb::BLACK,
            ),
        ];
        let lines = break_lines(&set, &spans, &spec(Align::Justify, 120.0, false)).unwrap();
        let links: Vec<_> = lines.iter().flat_map(|l| l.links.iter()).collect();
        assert!(links.len() >= 2, "link should span lines: {lines:#?}");
        assert!(links
            .iter()
            .all(|l| l.uri == "https://example.com" && l.w > 0.0));
        assert!(lines[0].runs.iter().any(|r| r.font == ids[1]));
        assert_eq!(
            joined(&lines),
            "Plain text with bold words and a link that wraps over lines then more plain text to finish the paragraph off."
        );
    }

    #[test]
    fn alignment_and_newlines() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new(
            "Short title\nsecond line",
            ids[1],
            14.0,
            Rgb::BLACK,
        )];
        let lines = break_lines(&set, &spans, &spec(Align::Center, 300.0, false)).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "Short title");
        let l = &lines[0];
        assert!((l.runs[0].x - (300.0 - l.width) / 2.0).abs() < 0.01);
        let right = break_lines(&set, &spans, &spec(Align::Right, 300.0, false)).unwrap();
        assert!((right[1].runs[0].x + right[1].width - 300.0).abs() < 0.01);
        assert!(break_lines(&set, &[], &spec(Align::Left, 100.0, false))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn single_lines_and_measure() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new("Page 3 of 12", ids[3], 8.0, Rgb::BLACK)];
        let w = measure(&set, &spans).unwrap();
        let items = layout_line(&set, &spans, 50.0, 30.0, 200.0, Align::Right).unwrap();
        match &items[0] {
            Item::Text(t) => {
                assert!((t.x + t.width() - 250.0).abs() < 0.01);
                assert!((t.width() - w).abs() < 0.01);
                assert_eq!(t.y, 30.0);
                assert_eq!(t.text(), "Page 3 of 12");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_size_is_an_error() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new("text", ids[0], 0.0, Rgb::BLACK)];
        assert!(break_lines(&set, &spans, &spec(Align::Left, 100.0, false)).is_err());
        let spans = vec![Span::new("text", FontId(99), 10.0, Rgb::BLACK)];
        assert!(break_lines(&set, &spans, &spec(Align::Left, 100.0, false)).is_err());
    }
}
