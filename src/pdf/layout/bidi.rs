//! Mixed scripts and directions: spans split per character cluster by the
//! first font that can draw it (the theme's `fallbacks`) and by bidi level
//! (UAX #9, `unicode-bidi`), and broken lines put back in visual order.
//!
//! Layout works in logical order throughout (right-to-left runs are shaped
//! right-to-left and their glyphs kept in logical order); [`reorder`] turns a
//! line's runs into visual order once it is broken. A character no font can
//! draw is left out, never drawn as `.notdef`: `check` and `build` report it
//! from the source (`pdf::coverage`).

use unicode_bidi::{bidi_class, BidiClass, BidiInfo};

use super::fonts::FontSet;
use super::text::{Dir, Span};
use crate::pdf::frame::{FontId, TextRun};

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic script).
pub fn is_rtl_char(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether `text` holds right-to-left letters (it is then shaped RTL).
pub fn is_rtl_text(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_rtl_char)
}

/// The direction of text by its first strong character (UAX #9 P2–P3).
pub fn base_rtl(text: &str) -> bool {
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::L => return false,
            BidiClass::R | BidiClass::AL => return true,
            _ => {}
        }
    }
    false
}

/// Whether a paragraph of `text` set in `dir` is right-to-left: as set,
/// else by its first strong character before any paragraph separator, a
/// `+` before a digit (a phone number) counting as a Latin letter, as
/// [`itemize`] resolves it.
pub fn paragraph_rtl(dir: Dir, text: &str) -> bool {
    match dir {
        Dir::Rtl => true,
        Dir::Ltr => false,
        Dir::Auto => {
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '+' && chars.peek().is_some_and(char::is_ascii_digit) {
                    return false;
                }
                match bidi_class(c) {
                    BidiClass::L => return false,
                    BidiClass::R | BidiClass::AL => return true,
                    BidiClass::B => return false,
                    _ => {}
                }
            }
            false
        }
    }
}

fn is_strong(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL)
}

/// Spans split by font (first with a glyph: the span's own, then its
/// fallbacks) and bidi level, the paragraph set in `dir`; whether the
/// (first) paragraph is right-to-left. Neutral characters (spaces,
/// punctuation, marks) stay in the font of the character before them when
/// it has them and the level is the same.
pub fn itemize(fonts: &FontSet, spans: &[Span], dir: Dir) -> (Vec<Span>, bool) {
    let simple = dir != Dir::Rtl
        && spans.iter().all(|s| {
            s.text.is_ascii()
                || s.text
                    .chars()
                    .all(|c| !is_rtl_char(c) && fonts.get(s.font).is_ok_and(|f| f.has_char(c)))
        });
    if simple {
        return (spans.to_vec(), false);
    }
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    // A phone number in international form (+92 333 …) reads left to right
    // as a whole: its `+` counts as a Latin letter for the levels.
    let bytes = text.as_bytes();
    let for_levels: String = text
        .char_indices()
        .map(|(i, c)| {
            if c == '+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                'a'
            } else {
                c
            }
        })
        .collect();
    let info = BidiInfo::new(
        &for_levels,
        match dir {
            Dir::Auto => None,
            Dir::Ltr => Some(unicode_bidi::Level::ltr()),
            Dir::Rtl => Some(unicode_bidi::Level::rtl()),
        },
    );
    let rtl = info.paragraphs.first().is_some_and(|p| p.level.is_rtl());
    let mut out: Vec<Span> = Vec::with_capacity(spans.len() * 2);
    let mut offset = 0;
    for span in spans {
        if span.text.is_empty() {
            out.push(span.clone());
            continue;
        }
        let mut cur: Option<Span> = None;
        let mut prev: Option<(FontId, u8)> = None;
        for (i, c) in span.text.char_indices() {
            let level = info.levels.get(offset + i).map_or(0, |l| l.number());
            let keep = prev.filter(|&(f, l)| {
                !is_strong(c)
                    && l == level
                    && (c.is_control() || fonts.get(f).is_ok_and(|f| f.has_char(c)))
            });
            let font = match keep {
                Some((f, _)) => f,
                None if c.is_control() => prev.map_or(span.font, |p| p.0),
                None => match fonts.font_for(span.font, c) {
                    Some(f) => f,
                    // No font can draw it: left out (reported by `check`).
                    None => continue,
                },
            };
            prev = Some((font, level));
            match &mut cur {
                Some(s) if s.font == font && s.level == level => s.text.push(c),
                _ => {
                    if let Some(s) = cur.take() {
                        out.push(s);
                    }
                    let mut s = span.clone();
                    s.text = c.to_string();
                    s.font = font;
                    s.level = level;
                    cur = Some(s);
                }
            }
        }
        if let Some(s) = cur {
            out.push(s);
        }
        offset += span.text.len();
    }
    (out, rtl)
}

/// Puts a line's runs (in logical order, each from one span) into visual
/// order (UAX #9 L2) and the glyphs of right-to-left runs with them; the
/// text of a multi-glyph cluster moves to its first glyph in visual order.
/// `levels[i]` is the bidi level of `runs[i]`; `tags` follow their runs.
pub fn reorder<T>(runs: &mut Vec<TextRun>, tags: &mut Vec<T>, levels: &[u8]) {
    let n = runs.len();
    if n == 0 || levels.iter().all(|&l| l == 0) {
        return;
    }
    let max = levels.iter().copied().max().unwrap_or(0);
    let min = levels.iter().copied().min().unwrap_or(0);
    let lowest_odd = if min % 2 == 1 { min } else { min + 1 };
    let mut order: Vec<usize> = (0..n).collect();
    for level in (lowest_odd..=max).rev() {
        let mut i = 0;
        while i < n {
            if levels[order[i]] >= level {
                let mut j = i;
                while j < n && levels[order[j]] >= level {
                    j += 1;
                }
                order[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
    }
    let mut old_runs: Vec<Option<TextRun>> = runs.drain(..).map(Some).collect();
    let mut old_tags: Vec<Option<T>> = tags.drain(..).map(Some).collect();
    for &i in &order {
        if let (Some(mut run), Some(tag)) = (old_runs[i].take(), old_tags[i].take()) {
            if levels[i] % 2 == 1 {
                run.glyphs.reverse();
                let mut start = 0;
                for k in 0..run.glyphs.len() {
                    if !run.glyphs[k].text.is_empty() {
                        if k != start {
                            let t = std::mem::take(&mut run.glyphs[k].text);
                            run.glyphs[start].text = t;
                        }
                        start = k + 1;
                    }
                }
            }
            runs.push(run);
            tags.push(tag);
        }
    }
}
