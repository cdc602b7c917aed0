//! A paragraph turned into Knuth–Plass items: boxes, glues and penalties
//! built from shaped spans, with UAX #14 break opportunities, hyphenation
//! points, and synthetic space and hyphen glyphs.

use foldhash::HashMap;
use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::{
    EMERGENCY_PENALTY, EXPLICIT_HYPHEN_PENALTY, FIL, HYPHEN_PENALTY, INF_PENALTY,
    OTHER_BREAK_PENALTY,
};
use crate::pdf::layout::fonts::{FontSet, LayoutError};
use crate::pdf::layout::hyphenate::{
    is_space, judge_token, token_range, words_hyphenation, TokenKind,
};
use crate::pdf::layout::shape::{cluster_ranges, shape_unit, shapes_rtl, width_at};
use crate::pdf::layout::text::{Align, BreakSpec, Span};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Box,
    Glue,
    Penalty,
}

#[derive(Debug, Clone)]
pub(super) struct KItem {
    pub(super) kind: Kind,
    pub(super) width: f64,
    pub(super) stretch: f64,
    pub(super) shrink: f64,
    pub(super) penalty: f64,
    pub(super) flagged: bool,
    /// A break inside a URL or an address: the line it ends is set at its
    /// natural spacing (ragged), not stretched.
    pub(super) ragged: bool,
    /// Glyphs drawn for a box or a glue (inside a line), or for a penalty
    /// (at the end of a line: the hyphen).
    pub(super) glyphs: Range<u32>,
}

impl KItem {
    pub(super) fn pen(width: f64, penalty: f64, flagged: bool, glyphs: Range<u32>) -> KItem {
        KItem {
            kind: Kind::Penalty,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty,
            flagged,
            ragged: false,
            glyphs,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct PGlyph {
    pub(super) id: u16,
    pub(super) advance: f32,
    pub(super) span: u32,
    pub(super) text: (u32, u32),
    /// Offset from the pen in points (x right, y up).
    pub(super) offset: (f32, f32),
    /// Letter spacing may follow the glyph (justified text in a script
    /// whose letters do not join).
    pub(super) tracked: bool,
}

/// Letter spacing a justified line may add after each letter, in em, when
/// its spaces alone would be loose; and what it may take away.
pub(super) const TRACKING_STRETCH: f64 = 0.01;
pub(super) const TRACKING_SHRINK: f64 = 0.004;

/// Whether letter spacing suits the text of a glyph: Latin, Greek,
/// Cyrillic, digits and punctuation, not the joining scripts (Arabic,
/// Nastaliq Urdu, Syriac) nor combining marks, nor spaces.
pub(super) fn trackable(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            let u = c as u32;
            !c.is_whitespace()
                && (u < 0x0590 || (0x1E00..0x2070).contains(&u))
                && !(0x0300..0x0370).contains(&u)
        })
}

/// A paragraph turned into items.
pub(super) struct Prepared {
    /// The spans' text concatenated, plus " " and "-" for synthetic glyphs.
    pub(super) text: String,
    pub(super) glyphs: Vec<PGlyph>,
    pub(super) items: Vec<KItem>,
    /// Virtual right-hand stretch of ragged lines.
    pub(super) ragged_stretch: f64,
    /// How much of the letter spacing's stretch the pass allows (1, or
    /// more for a paragraph that cannot be set well otherwise).
    pub(super) track: f64,
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
        let unit = shape_unit(self.fonts, sp.font, s, true, shapes_rtl(sp.level, s))?;
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
            offset: (0.0, 0.0),
            tracked: false,
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
        let (mut width, mut em) = (0.0, 0.0);
        for g in &self.p.glyphs[glyphs.start as usize..glyphs.end as usize] {
            width += f64::from(g.advance);
            if g.tracked {
                em += f64::from(self.spans[g.span as usize].size);
            }
        }
        self.p.items.push(KItem {
            kind: Kind::Box,
            width,
            stretch: em * TRACKING_STRETCH,
            shrink: em * TRACKING_SHRINK,
            penalty: 0.0,
            flagged: false,
            ragged: false,
            glyphs,
        });
    }

    /// A zero-width break inside a URL: the line it ends stays ragged.
    fn address_break(&mut self) {
        let mut k = KItem::pen(0.0, OTHER_BREAK_PENALTY, false, 0..0);
        k.ragged = true;
        self.p.items.push(k);
    }

    /// Boxes for `text[range]` (one span), split at break points (a
    /// hyphenation point, `true`, or a break inside an address, `false`)
    /// and, in an emergency, at every cluster boundary.
    fn push_piece(
        &mut self,
        span: usize,
        range: Range<usize>,
        hyphens: &[(usize, bool)],
    ) -> Result<(), LayoutError> {
        let sp = &self.spans[span];
        let piece = &self.p.text[range.clone()];
        let unit = shape_unit(
            self.fonts,
            sp.font,
            piece,
            !sp.no_ligatures,
            shapes_rtl(sp.level, piece),
        )?;
        let ranges = cluster_ranges(&unit, piece.len());
        let size = sp.size;
        let mut box_start = self.p.glyphs.len() as u32;
        let mut h = hyphens.iter().copied().peekable();
        for (g, (a, b)) in unit.iter().zip(ranges) {
            let abs = range.start + a as usize;
            if a != b && abs > range.start {
                while h.peek().is_some_and(|&(p, _)| p < abs) {
                    h.next();
                }
                let at = h.peek().filter(|&&(p, _)| p == abs).map(|&(_, hy)| hy);
                if at.is_some() || self.emergency {
                    let end = self.p.glyphs.len() as u32;
                    self.push_box(box_start..end);
                    if at == Some(true) {
                        self.hyphen_penalty(span, HYPHEN_PENALTY)?;
                    } else if at == Some(false) {
                        self.address_break();
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
            let n = self.push_glyph(g.id, g.advance * size, span, text);
            let tracked = self.justify && trackable(&self.p.text[text.0 as usize..text.1 as usize]);
            let pg = &mut self.p.glyphs[n as usize - 1];
            pg.offset = (g.offset.0 * size, g.offset.1 * size);
            pg.tracked = tracked;
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
            ragged: false,
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
            ragged: false,
            glyphs: 0..0,
        });
        self.p
            .items
            .push(KItem::pen(0.0, -INF_PENALTY, false, 0..0));
    }
}

pub(super) fn prepare(
    fonts: &FontSet,
    spans: &[Span],
    spec: &BreakSpec,
    emergency: bool,
) -> Result<Prepared, LayoutError> {
    // Sized once from the text (most glyphs stand for a byte or more of it;
    // the words and spaces each make a few items), not grown by doubling.
    let mut text = String::with_capacity(spans.iter().map(|s| s.text.len()).sum::<usize>() + 3);
    let mut starts = Vec::with_capacity(spans.len());
    for s in spans {
        starts.push(text.len());
        text.push_str(&s.text);
    }
    let body_len = text.len();
    // The synthetic glyphs' text: a space, and a soft hyphen for the
    // hyphen drawn at a hyphenation point (extraction and search find the
    // whole word).
    text.push_str(" \u{00AD}");
    let base_size = spans.iter().map(|s| s.size).fold(0.0f32, f32::max);
    let mut b = Builder {
        fonts,
        spans,
        starts,
        emergency,
        justify: spec.align == Align::Justify,
        p: Prepared {
            glyphs: Vec::with_capacity(text.len()),
            text,
            items: Vec::new(),
            ragged_stretch: 3.0 * f64::from(base_size.max(1.0)),
            track: 1.0,
        },
        space_cache: HashMap::default(),
        hyphen_cache: HashMap::default(),
        space_text: (body_len as u32, body_len as u32 + 1),
        hyphen_text: (body_len as u32 + 1, body_len as u32 + 3),
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
    b.p.items.reserve(3 * opportunities.len() + 4);
    let mut hyphens = Vec::new();
    let mut points = Vec::new();
    let mut prev = lead;
    let mut token = (0..0, TokenKind::default());
    for (pos, opp) in opportunities {
        if pos <= prev {
            continue;
        }
        let chunk = &b.p.text[prev..pos];
        let content_len = chunk.trim_end_matches(is_space).len();
        let content = prev..prev + content_len;
        let has_space = content_len < chunk.len();
        let at_end = pos == body_len;
        // Chunks come in order, many to a token (a URL, or a run of
        // symbols broken after each): the token is judged once.
        if !(token.0.start <= content.start && content.end <= token.0.end) {
            let range = token_range(&b.p.text[..body_len], content.clone());
            token = (range.clone(), judge_token(&b.p.text[range]));
        }
        let in_address = !content.is_empty() && token.1.address;
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
                        w += width_at(fonts, sp.font, sp.size, t, !sp.no_ligatures, sp.level)?;
                    }
                    a = e;
                }
                b.emergency = w > spec.first_width.min(spec.width);
            }
            hyphens.clear();
            if in_address {
                // After `.`, `-`, `_`, `?`, `&`, `=`, `#` inside the chunk
                // (UAX #14 already breaks after `/`), never at its ends.
                let chunk = &b.p.text[content.clone()];
                for (i, c) in chunk.char_indices() {
                    let at = content.start + i + c.len_utf8();
                    if matches!(c, '.' | '-' | '_' | '?' | '&' | '=' | '#' | ',')
                        && at < content.end
                        && chunk[i + c.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric)
                    {
                        hyphens.push((at, false));
                    }
                }
            } else if spec.hyphenate {
                points.clear();
                words_hyphenation(
                    fonts,
                    spec.lang,
                    &b.p.text,
                    content.clone(),
                    token.1,
                    &mut points,
                );
                hyphens.extend(points.iter().map(|&p| (p, true)));
            }
            debug_assert!(hyphens.windows(2).all(|w| w[0].0 < w[1].0));
            // Split the content at span boundaries.
            let mut a = content.start;
            while a < content.end {
                let span = b.span_at(a);
                let span_end = b.starts.get(span + 1).copied().unwrap_or(body_len);
                let e = span_end.min(content.end);
                if e > a {
                    if a > content.start {
                        match hyphens.iter().find(|&&(p, _)| p == a) {
                            Some((_, true)) => {
                                b.hyphen_penalty(b.span_at(a - 1), HYPHEN_PENALTY)?
                            }
                            Some((_, false)) => b.address_break(),
                            None => {}
                        }
                    }
                    // In order: the points strictly inside this piece.
                    let from = hyphens.partition_point(|&(h, _)| h <= a);
                    let to = hyphens.partition_point(|&(h, _)| h < e);
                    b.push_piece(span, a..e, &hyphens[from..to.max(from)])?;
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
                _ if in_address => b.address_break(),
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
