//! Paragraphs broken into lines (`ParaLines`): padding, background, bar,
//! marker and rule around them, drawing at a position, and the helpers
//! that set a paragraph inside a custom box.

use crate::pdf::frame::Item;
use crate::pdf::layout::bidi::paragraph_rtl;
use crate::pdf::layout::fonts::{FontSet, LayoutError};
use crate::pdf::layout::linebreak::{break_paragraph, Deferred};
use crate::pdf::layout::{single_line_in, spans_text, BreakSpec, Dir, LaidLine, Span};

use super::ParaStyle;

/// Places line `i` at its left edge `x` and baseline `y`.
type PlaceLine<'a> = dyn FnMut(usize, f32, f32, &mut Vec<Item>) + 'a;

/// A paragraph broken into lines, ready to place.
#[derive(Debug, Clone)]
pub struct ParaLines {
    pub lines: Vec<LaidLine>,
    /// Left edge of each line relative to the measure's left edge.
    pub x: Vec<f32>,
    /// Baseline offset inside a line box of height `leading`.
    pub baseline: f32,
    /// The box of a line with [`LaidLine::ink`] (Nastaliq): its baseline
    /// offset and height, grown from `baseline` and `leading` so that the
    /// tallest and deepest glyphs of the paragraph's such lines clear
    /// each other; other lines keep `leading`.
    pub ink_box: (f32, f32),
    /// Which lines have [`LaidLine::ink`] (kept apart: drawing moves the
    /// lines out).
    pub inked: Vec<bool>,
    pub marker: Option<LaidLine>,
    pub style: ParaStyle,
    /// Right to left: the paragraph is mirrored (see [`ParaStyle::dir`]).
    pub rtl: bool,
    /// A very long paragraph's lines come without their glyphs, set again
    /// from this as they are drawn ([`ParaLines::draw_moving`]).
    pub deferred: Option<Box<Deferred>>,
}

impl ParaLines {
    pub(super) fn height(&self) -> f32 {
        self.pad_top() + self.lines_height(0..self.lines.len()) + self.tail()
    }

    /// The height of line `i`'s box.
    pub(super) fn line_height(&self, i: usize) -> f32 {
        if self.inked.get(i).copied().unwrap_or(false) {
            self.ink_box.1
        } else {
            self.style.leading
        }
    }

    /// The height of lines `range`.
    pub(super) fn lines_height(&self, range: std::ops::Range<usize>) -> f32 {
        let n = range.len();
        let inked = self.inked[range].iter().filter(|&&i| i).count();
        (n - inked) as f32 * self.style.leading + inked as f32 * self.ink_box.1
    }

    /// How many lines from `from` fit in `room` (at least none).
    pub(super) fn lines_fitting(&self, from: usize, room: f32, eps: f32) -> usize {
        let lead = self.style.leading.max(eps);
        if !self.inked[from..].contains(&true) {
            return ((room + eps) / lead).floor().max(0.0) as usize;
        }
        let mut used = 0.0;
        let mut k = 0;
        while from + k < self.inked.len() {
            used += self.line_height(from + k).max(eps);
            if used > room + eps {
                break;
            }
            k += 1;
        }
        k
    }

    /// The indents on the left and on the right of the measure: the start
    /// indent is on the right of a right-to-left paragraph.
    fn insets(&self) -> (f32, f32) {
        let s = &self.style;
        if self.rtl {
            (s.indent_right, s.indent_left)
        } else {
            (s.indent_left, s.indent_right)
        }
    }

    pub(super) fn pad_top(&self) -> f32 {
        if self.style.background.is_some() {
            self.style.padding
        } else {
            0.0
        }
    }

    /// Below the last line: padding and the rule.
    pub(super) fn tail(&self) -> f32 {
        let mut t = self.pad_top();
        if let Some((_, w)) = self.style.rule_below {
            t += self.style.rule_gap + w;
        }
        t
    }

    /// Height needed to start the paragraph on a page without an orphan.
    pub(super) fn min_start(&self) -> f32 {
        let n = self.lines.len();
        if n <= 3 || self.style.keep_with_next {
            self.height()
        } else {
            self.pad_top() + self.lines_height(0..2)
        }
    }

    /// Items for lines `range` with the first line box's top at `top` and the
    /// measure's left edge at `left`; `first`/`last`: whether the fragment
    /// starts/ends the paragraph. Returns the height used.
    pub(super) fn draw(
        &self,
        range: std::ops::Range<usize>,
        left: f32,
        measure: f32,
        top: f32,
        out: &mut Vec<Item>,
    ) -> f32 {
        self.draw_with(
            self.lines.len(),
            range,
            left,
            measure,
            top,
            out,
            &mut |i, x, y, out| self.lines[i].place(x, y, out),
        )
    }

    /// As [`ParaLines::draw`], moving the lines' glyphs onto the page
    /// rather than copying them: each line is drawn once. A long
    /// paragraph's lines get their glyphs back here.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn draw_moving(
        &mut self,
        fonts: &FontSet,
        range: std::ops::Range<usize>,
        left: f32,
        measure: f32,
        top: f32,
        out: &mut Vec<Item>,
    ) -> Result<f32, LayoutError> {
        if let Some(d) = self.deferred.as_mut() {
            d.restore(fonts, &mut self.lines, range.clone())?;
        }
        let mut lines = std::mem::take(&mut self.lines);
        let h = self.draw_with(
            lines.len(),
            range,
            left,
            measure,
            top,
            out,
            &mut |i, x, y, out| lines[i].place_moving(x, y, out),
        );
        self.lines = lines;
        Ok(h)
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_with(
        &self,
        n: usize,
        range: std::ops::Range<usize>,
        left: f32,
        measure: f32,
        top: f32,
        out: &mut Vec<Item>,
        place: &mut PlaceLine<'_>,
    ) -> f32 {
        let first = range.start == 0;
        let last = range.end == n;
        let s = &self.style;
        let pad_top = if first { self.pad_top() } else { 0.0 };
        let pad_bottom = if last && s.background.is_some() {
            s.padding
        } else {
            0.0
        };
        let text_h = self.lines_height(range.clone());
        let box_h = pad_top + text_h + pad_bottom;
        let (inset_l, inset_r) = self.insets();
        if let Some(fill) = s.background {
            out.push(Item::Rect {
                x: left + inset_l - s.padding,
                y: top,
                w: measure - inset_l - inset_r + 2.0 * s.padding,
                h: box_h,
                fill: Some(fill),
                stroke: None,
            });
        }
        if let Some((color, w)) = s.bar {
            out.push(Item::Rect {
                x: if self.rtl { left + measure - w } else { left },
                y: top,
                w,
                h: box_h,
                fill: Some(color),
                stroke: None,
            });
        }
        let mut y = top + pad_top;
        for i in range {
            let inked = self.inked[i];
            let baseline = y + if inked { self.ink_box.0 } else { self.baseline };
            if i == 0 {
                if let Some(m) = &self.marker {
                    // Hung in the start indent, its end toward the text.
                    let x = if self.rtl {
                        left + measure - s.indent_left + s.marker_gap
                    } else {
                        left + s.indent_left - s.marker_gap - m.width
                    };
                    m.place(x, baseline, out);
                }
            }
            place(i, left + self.x[i], baseline, out);
            y += if inked { self.ink_box.1 } else { s.leading };
        }
        let mut h = box_h;
        if last {
            if let Some((color, w)) = s.rule_below {
                let ry = top + box_h + s.rule_gap + w / 2.0;
                out.push(Item::Line {
                    x1: left + inset_l,
                    y1: ry,
                    x2: left + measure - inset_r,
                    y2: ry,
                    width: w,
                    color,
                });
                h += s.rule_gap + w;
            }
        }
        h
    }
}

/// Breaks a paragraph for a measure of `width`: indents, marker and baseline
/// position resolved, for placing inside custom boxes (cover, contact card).
pub fn paragraph_lines(
    fonts: &FontSet,
    spans: &[Span],
    style: &ParaStyle,
    width: f32,
) -> Result<ParaLines, LayoutError> {
    paragraph_lines_with(fonts, spans, style, width, false)
}

/// As [`paragraph_lines`]; with `defer`, a very long paragraph's lines come
/// without their glyphs until [`ParaLines::draw_moving`] draws them.
pub(super) fn paragraph_lines_with(
    fonts: &FontSet,
    spans: &[Span],
    style: &ParaStyle,
    width: f32,
    defer: bool,
) -> Result<ParaLines, LayoutError> {
    let inner = (width - style.indent_left - style.indent_right).max(0.0);
    let first_indent = style.first_indent.max(-style.indent_left);
    let spec = BreakSpec {
        align: style.align,
        dir: style.dir,
        first_width: (inner - first_indent).max(0.0),
        width: inner,
        hyphenate: style.hyphenate,
        lang: style.lang,
    };
    let (lines, deferred) = break_paragraph(fonts, spans, &spec, defer)?;
    let rtl = paragraph_rtl(style.dir, &spans_text(spans));
    // A right-to-left line is set against the right of its box, which
    // ends the start indent (and the first line's indent) before the
    // measure's right edge: its left edge is the end indent.
    let x = (0..lines.len())
        .map(|i| {
            if rtl {
                style.indent_right
            } else {
                style.indent_left + if i == 0 { first_indent } else { 0.0 }
            }
        })
        .collect();
    let marker = match &style.marker {
        Some(m) if !m.is_empty() => {
            let dir = if rtl { Dir::Rtl } else { style.dir };
            Some(single_line_in(fonts, m, dir)?)
        }
        _ => None,
    };
    let (mut asc, mut desc) = (0.0f32, 0.0f32);
    for l in lines.iter().chain(marker.iter()) {
        asc = asc.max(l.ascent);
        desc = desc.max(l.descent);
    }
    let baseline = (style.leading - (asc + desc)) / 2.0 + asc;
    // Lines of a joining script: room for the tallest glyph above the
    // baseline and the deepest below, from the outlines actually set.
    let (mut top, mut bottom) = (0.0f32, 0.0f32);
    for (a, d) in lines.iter().filter_map(|l| l.ink) {
        top = top.max(a);
        bottom = bottom.max(d);
    }
    let ink_base = baseline.max(top);
    let ink_box = (ink_base, ink_base + (style.leading - baseline).max(bottom));
    let inked = lines.iter().map(|l| l.ink.is_some()).collect();
    Ok(ParaLines {
        inked,
        lines,
        x,
        baseline,
        ink_box,
        marker,
        style: style.clone(),
        rtl,
        deferred: deferred.map(Box::new),
    })
}

/// Sets a paragraph inside a box whose top-left corner is (`x`, `top`):
/// the items and the height used.
pub fn paragraph_box(
    fonts: &FontSet,
    spans: &[Span],
    style: &ParaStyle,
    x: f32,
    top: f32,
    width: f32,
) -> Result<(Vec<Item>, f32), LayoutError> {
    let p = paragraph_lines(fonts, spans, style, width)?;
    let mut out = Vec::new();
    let h = if p.lines.is_empty() {
        0.0
    } else {
        p.draw(0..p.lines.len(), x, width, top, &mut out)
    };
    Ok((out, h))
}
