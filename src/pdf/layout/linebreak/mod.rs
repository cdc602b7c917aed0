//! Paragraph line breaking: Knuth–Plass total fit over a box/glue/penalty
//! list built from mixed-style spans (the list is built in `items`), the
//! greedy fallback, and turning the chosen breaks into laid-out lines.
//!
//! * Break opportunities come from UAX #14 (`unicode-linebreak`); a space
//!   becomes glue, a break without a space (after a hyphen, a slash, a dash)
//!   a penalty; a mandatory break (newline) ends a line ragged.
//! * Hyphenation points (the text's language's patterns) become flagged
//!   penalties whose width is the hyphen glyph; a chosen one appends a
//!   hyphen glyph to the line whose text is a soft hyphen, so extraction
//!   and search find the whole word. The strict passes refuse two
//!   hyphenated lines in a row and a fragment (a last line narrower than
//!   [`FRAGMENT`] of the measure) after a hyphen.
//! * Inside a URL or an e-mail address, breaks after `/`, `.`, `-` and the
//!   like are zero-width and leave their line at natural spacing (ragged).
//! * Passes, until one finds a breaking: lines up to [`TOLERANCE`]
//!   (strict); the same with twice the letter spacing
//!   ([`EMERGENCY_TRACKING`]); any looseness (strict, so a paragraph takes
//!   a loose line rather than two hyphens in a row); the hyphen rules as
//!   demerits; then a break between any two grapheme clusters (a long
//!   URL, a word wider than the measure) and any line that is not
//!   overfull. A greedy pass over the same list is the last resort. No
//!   line is wider than the measure unless one grapheme is.
//! * Justified lines stretch or shrink their spaces through
//!   [`TextRun::word_spacing`], in proportion to each space's stretch, and
//!   their letters a little (at most 0.01 em after a Latin, Greek or
//!   Cyrillic letter, twice that in a paragraph that needs it; 0.004 em
//!   less), as a careful typesetter's letter-spacing limits: a loose line
//!   shares its slack between spaces and letters, so its word gaps stay
//!   near the natural space. Joining scripts (Urdu) are never
//!   letter-spaced. The last line and lines ended by a newline stay at
//!   their natural width.
//!   Ragged alignments (left, centre, right) break against a virtual
//!   right-hand glue of 3 em stretch, so line lengths come out balanced.

mod deferred;
mod items;
#[cfg(test)]
pub(crate) mod tests;
mod window;

use super::fonts::{FontSet, LayoutError};
use super::hyphenate::is_space;
use super::text::{Align, BreakSpec, Dir, LaidLine, LinkBox, Span};
use crate::pdf::frame::{Glyphs, Item, TextRun};
use items::{prepare, KItem, Kind, PGlyph, Prepared};
use window::{slice_spans, window_end, WINDOW_OVERLAP_LINES};
#[cfg(test)]
use window::{WINDOW_MAX_BYTES, WINDOW_MAX_WORDS, WINDOW_WORDS};

pub use deferred::Deferred;
#[cfg(test)]
pub(crate) use deferred::DEFER_FROM;

/// Lines looser than this (stretch ratio) are not accepted in pass 1.
pub const TOLERANCE: f64 = 1.5;
const INF_PENALTY: f64 = 10_000.0;
/// A hyphenation point costs as much as a fairly loose line: a paragraph
/// is hyphenated only where spacing would otherwise suffer.
const HYPHEN_PENALTY: f64 = 150.0;
const EXPLICIT_HYPHEN_PENALTY: f64 = 50.0;
const OTHER_BREAK_PENALTY: f64 = 30.0;
const EMERGENCY_PENALTY: f64 = 5_000.0;
const LINE_PENALTY: f64 = 10.0;
/// TeX's `\doublehyphendemerits` and `\finalhyphendemerits`, as the model;
/// in the strict passes both are refused outright.
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
const ADJ_DEMERITS: f64 = 10_000.0;
/// A paragraph's last line after a hyphen narrower than this share of the
/// measure is a fragment, refused in the strict passes.
const FRAGMENT: f64 = 0.15;
const FIL: f64 = 1.0e7;
/// A paragraph that cannot be set within [`TOLERANCE`] with the usual
/// letter spacing may use this many times as much (TeX's emergency
/// stretch, given to the letters rather than to the spaces).
const EMERGENCY_TRACKING: f64 = 2.0;

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

/// Prefix sums over the items: width, and the stretch and shrink of glue
/// (spaces) and of boxes (letter spacing) apart.
struct Sums {
    w: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
    by: Vec<f64>,
    bz: Vec<f64>,
}

/// A line's natural width with its spaces' and its letters' stretch and
/// shrink.
#[derive(Debug, Clone, Copy)]
struct Fit {
    natural: f64,
    stretch: f64,
    shrink: f64,
    box_stretch: f64,
    box_shrink: f64,
}

impl Sums {
    fn new(p: &Prepared) -> Sums {
        let items = &p.items;
        let n = items.len() + 1;
        let mut s = Sums {
            w: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            z: Vec::with_capacity(n),
            by: Vec::with_capacity(n),
            bz: Vec::with_capacity(n),
        };
        let (mut sw, mut sy, mut sz, mut sby, mut sbz) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for it in items {
            s.w.push(sw);
            s.y.push(sy);
            s.z.push(sz);
            s.by.push(sby);
            s.bz.push(sbz);
            match it.kind {
                Kind::Glue => {
                    sy += it.stretch;
                    sz += it.shrink;
                }
                Kind::Box => {
                    sby += it.stretch * p.track;
                    sbz += it.shrink;
                }
                Kind::Penalty => continue,
            }
            sw += it.width;
        }
        s.w.push(sw);
        s.y.push(sy);
        s.z.push(sz);
        s.by.push(sby);
        s.bz.push(sbz);
        s
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
fn line_measure(items: &[KItem], sums: &Sums, start: usize, b: usize) -> Fit {
    let mut w = sums.w[b] - sums.w[start];
    if items[b].kind == Kind::Penalty {
        w += items[b].width;
    }
    Fit {
        natural: w,
        stretch: sums.y[b] - sums.y[start],
        shrink: sums.z[b] - sums.z[start],
        box_stretch: sums.by[b] - sums.by[start],
        box_shrink: sums.bz[b] - sums.bz[start],
    }
}

/// The adjustment ratios of a line set to `width`: of its spaces (what
/// decides how loose the line is) and of its letter spacing. Spaces and
/// letters share the slack in proportion to their stretch (or shrink)
/// until the letters reach their limit (ratio ±1); the spaces take the
/// rest.
fn ratios(width: f64, f: &Fit) -> (f64, f64) {
    let slack = width - f.natural;
    if slack.abs() < 1e-9 {
        return (0.0, 0.0);
    }
    let (glue, boxes) = if slack > 0.0 {
        (f.stretch, f.box_stretch)
    } else {
        (f.shrink, f.box_shrink)
    };
    let total = glue + boxes;
    let limit = slack.signum();
    if total <= 0.0 {
        (limit * f64::INFINITY, 0.0)
    } else if slack.abs() <= total {
        (slack / total, slack / total)
    } else if glue > 0.0 {
        (limit + (slack - limit * boxes - limit * glue) / glue, limit)
    } else {
        (limit * f64::INFINITY, limit)
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
///
/// `strict`: two hyphenated lines in a row and a hyphen on the last line
/// but one (leaving a fragment alone on the last line) are not feasible.
fn knuth_plass(
    p: &Prepared,
    spec: &BreakSpec,
    tolerance: f64,
    ragged: bool,
    strict: bool,
) -> Option<Vec<usize>> {
    let items = &p.items;
    let sums = Sums::new(p);
    let extra = if ragged { p.ragged_stretch } else { 0.0 };
    // Feasible breaks come a few to a line, a line some dozens of items.
    let mut nodes = Vec::with_capacity(items.len() / 4 + 8);
    nodes.push(Node {
        pos: 0,
        start: 0,
        line: 0,
        fitness: 1,
        demerits: 0.0,
        flagged: false,
        prev: None,
    });
    let mut active: Vec<usize> = Vec::with_capacity(32);
    active.push(0);
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
            let mut line = line_measure(items, &sums, a.start, b);
            let width = f64::from(if a.line == 0 {
                spec.first_width
            } else {
                spec.width
            });
            line.stretch += if it.ragged { p.ragged_stretch } else { extra };
            let (r, _) = ratios(width, &line);
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
            // A short last line after a hyphen is a fragment; a long one
            // only costs demerits.
            let fragment = b == last && line.natural < FRAGMENT * width;
            if strict && a.flagged && (flagged || fragment) {
                continue;
            }
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
        if is_emergency(items, b) {
            prune_emergency(&mut active, &nodes, items);
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

/// At most this many active breaks inside words too wide for a line.
///
/// Such a word may break between any two characters: every one of a line's
/// worth of them stays active, and each later break is measured against
/// each (a megabyte-long word took 3.4 s a megabyte). The lines inside the
/// word all cost the same (no glue to stretch), so the breaks that matter
/// are the cheapest and, among equals, the latest (the fullest lines).
const MAX_EMERGENCY_ACTIVE: usize = 8;

/// Whether item `b` is a break inside a word too wide for a line.
fn is_emergency(items: &[KItem], b: usize) -> bool {
    let it = &items[b];
    it.kind == Kind::Penalty && it.penalty == EMERGENCY_PENALTY && !it.flagged
}

/// Keeps the [`MAX_EMERGENCY_ACTIVE`] best of the active breaks inside too
/// wide words (fewest demerits, then latest), and every other active break.
fn prune_emergency(active: &mut Vec<usize>, nodes: &[Node], items: &[KItem]) {
    let inside = |n: usize| nodes[n].pos != 0 && is_emergency(items, nodes[n].pos);
    if active.iter().filter(|&&n| inside(n)).count() <= MAX_EMERGENCY_ACTIVE {
        return;
    }
    let mut ranked: Vec<usize> = active.iter().copied().filter(|&n| inside(n)).collect();
    ranked.sort_by(|&x, &y| {
        let (x, y) = (&nodes[x], &nodes[y]);
        x.demerits.total_cmp(&y.demerits).then(y.pos.cmp(&x.pos))
    });
    ranked.truncate(MAX_EMERGENCY_ACTIVE);
    active.retain(|n| !inside(*n) || ranked.contains(n));
}

/// Greedy breaking that never fails: the longest line that fits at every
/// step; a single unbreakable piece wider than the measure gets a line of
/// its own.
fn greedy(p: &Prepared, spec: &BreakSpec) -> Vec<usize> {
    let items = &p.items;
    let sums = Sums::new(p);
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
        let f = line_measure(items, &sums, start, b);
        let forced = items[b].penalty <= -INF_PENALTY && items[b].kind == Kind::Penalty;
        if f.natural - f.shrink - f.box_shrink <= width + 1e-9 {
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
    rtl: bool,
) -> Result<Vec<LaidLine>, LayoutError> {
    let items = &p.items;
    let sums = Sums::new(p);
    let mut metrics = Vec::with_capacity(spans.len());
    for s in spans {
        let m = fonts.metrics(s.font)?;
        // A joining script's lines are spaced by their glyphs (`ink`).
        metrics.push(if fonts.measures_ink(s.font) {
            (0.0, 0.0)
        } else {
            (m.ascender * s.size, m.descender * s.size)
        });
    }
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for (li, &b) in breaks.iter().enumerate() {
        let width = if li == 0 {
            spec.first_width
        } else {
            spec.width
        };
        let (r, rb) = if spec.align == Align::Justify {
            let (r, rb) = ratios(f64::from(width), &line_measure(items, &sums, start, b));
            // A line ended inside a URL keeps its natural spacing.
            let (r, rb) = if items[b].ragged {
                (r.min(0.0), rb.min(0.0))
            } else {
                (r, rb)
            };
            if r.is_finite() {
                (r.max(-1.0), rb.max(-1.0))
            } else {
                (0.0, 0.0)
            }
        } else {
            (0.0, 0.0)
        };
        // The glyphs and text bytes of the line still to come: a run is
        // made with room for them (most lines are one run), not grown glyph
        // by glyph.
        let brk = &items[b];
        let line_items = items[start..b.min(items.len())]
            .iter()
            .filter(|it| it.kind != Kind::Penalty)
            .chain((brk.kind == Kind::Penalty).then_some(brk));
        let (mut glyphs_left, mut text_left) = (0usize, 0usize);
        for it in line_items {
            let glyphs = &p.glyphs[it.glyphs.start as usize..it.glyphs.end as usize];
            glyphs_left += glyphs.len();
            text_left += if it.kind == Kind::Glue {
                glyphs.len()
            } else {
                glyphs.iter().map(|g| (g.text.1 - g.text.0) as usize).sum()
            };
        }
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
                    glyphs: Glyphs::with_capacity(glyphs_left, text_left),
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
            // Letter spacing after a letter of a box (not the hyphen).
            let track = if g.tracked && glue.is_none() {
                let per_em = if rb > 0.0 {
                    items::TRACKING_STRETCH * p.track
                } else {
                    items::TRACKING_SHRINK
                };
                (rb * per_em * f64::from(sp.size)) as f32
            } else {
                0.0
            };
            let text = if glue.is_some() {
                " "
            } else {
                &p.text[g.text.0 as usize..g.text.1 as usize]
            };
            glyphs_left = glyphs_left.saturating_sub(1);
            text_left = text_left.saturating_sub(text.len());
            run.glyphs.push(g.id, g.advance + track, text, g.offset);
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
        if brk.kind == Kind::Penalty && !brk.glyphs.is_empty() {
            hyphenated = true;
            for g in &p.glyphs[brk.glyphs.start as usize..brk.glyphs.end as usize] {
                push(g, None, &mut runs);
            }
        }
        let levels: Vec<u8> = run_spans.iter().map(|&s| spans[s].level).collect();
        super::bidi::reorder(&mut runs, &mut run_spans, &levels);
        if rtl {
            let levels: Vec<u8> = run_spans.iter().map(|&s| spans[s].level).collect();
            super::bidi::mark_for_extraction(&mut runs, &levels);
        }
        // A line is kept until its memo is written: no spare room.
        runs.shrink_to_fit();
        for run in &mut runs {
            run.glyphs.shrink_to_fit();
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
            // Right-to-left paragraphs start at the right.
            Align::Justify | Align::Left if rtl => (width - x).max(0.0),
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
        let ink = line_ink(fonts, &runs);
        lines.push(LaidLine {
            runs,
            links,
            width: x,
            ascent,
            descent,
            ink,
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
    Ok(break_paragraph(fonts, spans, spec, false)?.0)
}

/// As [`break_lines`]; when `defer` and the paragraph is very long, its
/// lines come without their glyphs, which the [`Deferred`] sets again as
/// they are placed.
pub fn break_paragraph(
    fonts: &FontSet,
    spans: &[Span],
    spec: &BreakSpec,
    defer: bool,
) -> Result<(Vec<LaidLine>, Option<Deferred>), LayoutError> {
    if spans
        .iter()
        .all(|s| s.text.trim_matches(is_space).is_empty())
    {
        return Ok((Vec::new(), None));
    }
    let spec = BreakSpec {
        first_width: spec.first_width.max(0.0),
        width: spec.width.max(0.0),
        ..*spec
    };
    let (spans, rtl) = super::bidi::itemize(fonts, spans, spec.dir);
    let spans = &spans[..];
    // Right-to-left text breaks at spaces only: no hyphenation.
    let spec = BreakSpec {
        hyphenate: spec.hyphenate && !rtl,
        ..spec
    };
    // One span (a paragraph in one style) is its own text.
    let text: std::borrow::Cow<str> = match spans {
        [one] => std::borrow::Cow::Borrowed(&one.text),
        _ => spans.iter().map(|s| s.text.as_str()).collect(),
    };
    let mut out = Vec::new();
    let mut deferred = (defer && deferred::defers(text.len())).then(|| Deferred {
        spans: spans.to_vec(),
        rtl,
        windows: Vec::new(),
    });
    let mut pos = 0;
    loop {
        // A window of the paragraph from `pos`: the whole rest of it, or
        // some WINDOW_WORDS words up to a sentence's end.
        let end = window_end(&text, pos);
        let window = slice_spans(spans, pos, end);
        let wspec = if pos == 0 {
            spec
        } else {
            BreakSpec {
                first_width: spec.width,
                ..spec
            }
        };
        let (mut lines, starts, recipe) = break_window(fonts, &window, &wspec, rtl)?;
        let from = pos;
        let mut keep_window = |lines: &mut Vec<LaidLine>, keep: usize, first: usize| {
            if let Some(d) = deferred.as_mut() {
                deferred::strip(lines);
                d.windows.push(deferred::Window {
                    from,
                    to: end,
                    spec: wspec,
                    recipe: recipe.clone(),
                    first,
                    keep,
                    restored: false,
                });
            }
        };
        if end >= text.len() {
            let n = lines.len();
            keep_window(&mut lines, n, out.len());
            out.append(&mut lines);
            // Kept until the paragraph is placed: no spare room.
            out.shrink_to_fit();
            return Ok((out, deferred));
        }
        // The window's last lines are set again with the next window (they
        // were broken as if the paragraph ended there), and a kept line
        // does not end in a hyphen, so that the next window's first line
        // may take one.
        let mut keep = lines.len().saturating_sub(WINDOW_OVERLAP_LINES);
        while keep > 0 && lines[keep - 1].hyphenated {
            keep -= 1;
        }
        if keep == 0 {
            keep = lines.len();
            pos = end;
        } else {
            pos += starts[keep];
        }
        lines.truncate(keep);
        keep_window(&mut lines, keep, out.len());
        out.append(&mut lines);
    }
}

/// Breaks one window of a paragraph (itemized spans): its lines, and the
/// byte offset in the window's text at which each line starts.
fn break_window(
    fonts: &FontSet,
    spans: &[Span],
    spec: &BreakSpec,
    rtl: bool,
) -> Result<(Vec<LaidLine>, Vec<usize>, deferred::Recipe), LayoutError> {
    let ragged = spec.align != Align::Justify;
    // The lines of the breaks found, where they start and how they were found.
    let set = |p: &Prepared, recipe: deferred::Recipe| {
        let lines = build_lines(fonts, spans, p, spec, &recipe.breaks, rtl)?;
        Ok((lines, line_starts(p, &recipe.breaks), recipe))
    };
    let mut p = prepare(fonts, spans, spec, false)?;
    let em = EMERGENCY_TRACKING;
    for (tolerance, strict, track) in [
        (TOLERANCE, true, 1.0),
        (TOLERANCE, true, em),
        (f64::INFINITY, true, em),
        (f64::INFINITY, false, em),
    ] {
        p.track = track;
        if let Some(breaks) = knuth_plass(&p, spec, tolerance, ragged, strict) {
            let recipe = deferred::Recipe {
                emergency: false,
                track,
                breaks,
            };
            return set(&p, recipe);
        }
    }
    let mut p = prepare(fonts, spans, spec, true)?;
    p.track = em;
    let breaks =
        knuth_plass(&p, spec, f64::INFINITY, ragged, false).unwrap_or_else(|| greedy(&p, spec));
    let recipe = deferred::Recipe {
        emergency: true,
        track: em,
        breaks,
    };
    set(&p, recipe)
}

/// Where each line starts in the text: the first character of its first
/// box.
fn line_starts(p: &Prepared, breaks: &[usize]) -> Vec<usize> {
    let body_len = p.text.len() - " \u{00AD}".len();
    let mut starts = vec![0];
    for &b in &breaks[..breaks.len().saturating_sub(1)] {
        let start = after_break(&p.items, b);
        let at = p.items[start..]
            .iter()
            .find(|it| it.kind == Kind::Box && !it.glyphs.is_empty())
            .and_then(|it| {
                // Right-to-left glyphs come in visual order.
                p.glyphs[it.glyphs.start as usize..it.glyphs.end as usize]
                    .iter()
                    .map(|g| g.text.0 as usize)
                    .min()
            })
            .unwrap_or(body_len);
        starts.push(at);
    }
    starts
}

/// Natural width of spans set on one line.
pub fn measure(fonts: &FontSet, spans: &[Span]) -> Result<f32, LayoutError> {
    let (spans, _) = super::bidi::itemize(fonts, spans, Dir::Auto);
    let mut w = 0.0;
    for s in spans.iter() {
        w += super::shape::width_at(fonts, s.font, s.size, &s.text, !s.no_ligatures, s.level)?;
    }
    Ok(w)
}

/// Spans set on a single line at their natural width (no breaking), with the
/// line's left edge at 0 and the baseline at 0: for running headers, page
/// numbers and titles placed at exact positions.
pub fn single_line(fonts: &FontSet, spans: &[Span]) -> Result<LaidLine, LayoutError> {
    single_line_in(fonts, spans, Dir::Auto)
}

/// As [`single_line`], the spans set as a paragraph in `dir` (a list
/// marker of a right-to-left item: "1." reads ".1" from the left).
pub fn single_line_in(fonts: &FontSet, spans: &[Span], dir: Dir) -> Result<LaidLine, LayoutError> {
    let (spans, rtl) = super::bidi::itemize(fonts, spans, dir);
    let mut shaped = Vec::with_capacity(spans.len());
    let mut levels = Vec::with_capacity(spans.len());
    for s in spans.iter() {
        let glyphs =
            super::shape::shape_at(fonts, s.font, s.size, &s.text, !s.no_ligatures, s.level)?;
        shaped.push(TextRun {
            x: 0.0,
            y: 0.0,
            font: s.font,
            size: s.size,
            color: s.color,
            word_spacing: 0.0,
            glyphs: glyphs.into(),
            rotation: 0.0,
            opacity: 1.0,
        });
        levels.push(s.level);
    }
    let mut order: Vec<&Span> = spans.iter().collect();
    super::bidi::reorder(&mut shaped, &mut order, &levels);
    if rtl {
        let levels: Vec<u8> = order.iter().map(|s| s.level).collect();
        super::bidi::mark_for_extraction(&mut shaped, &levels);
    }
    let mut runs = Vec::new();
    let mut links: Vec<LinkBox> = Vec::new();
    let (mut x, mut ascent, mut descent) = (0.0f32, 0.0f32, 0.0f32);
    for (s, shaped) in order.into_iter().zip(shaped) {
        if !fonts.measures_ink(s.font) {
            let m = fonts.metrics(s.font)?;
            ascent = ascent.max(m.ascender * s.size);
            descent = descent.max(m.descender * s.size);
        }
        let run = TextRun { x, ..shaped };
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
    let ink = line_ink(fonts, &runs);
    Ok(LaidLine {
        runs,
        links,
        width: x,
        ascent,
        descent,
        ink,
        hyphenated: false,
    })
}

/// How far a line's joining-script glyphs reach above and below its
/// baseline (`LaidLine::ink`).
fn line_ink(fonts: &FontSet, runs: &[TextRun]) -> Option<(f32, f32)> {
    runs.iter()
        .filter_map(|r| fonts.ink(r))
        .reduce(|(a, d), (a2, d2)| (a.max(a2), d.max(d2)))
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
    let mut out = Vec::new();
    single_line(fonts, spans)?.place_aligned(x, baseline, width, align, &mut out);
    Ok(out)
}
