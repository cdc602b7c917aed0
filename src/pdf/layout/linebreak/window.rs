//! The windows a long paragraph is broken in: where each ends (after a
//! sentence, a space or, in a very long word, a cluster), and the spans
//! of one window.

use super::{is_space, Span};

/// Paragraphs are broken in windows of about this many words (ending at a
/// sentence's end), so that the breaker's memory and time stay in
/// proportion to a window, not to a very long paragraph. Each window's
/// last lines are set again with the next one, so the seams do not show.
pub(super) const WINDOW_WORDS: usize = 1000;
/// Without a sentence's end, a window ends at a space after this many words.
pub(super) const WINDOW_MAX_WORDS: usize = 2000;
/// Lines at a window's end set again with the next window: enough for a
/// hard passage just after a seam to find a feasible breaking.
pub(super) const WINDOW_OVERLAP_LINES: usize = 10;

/// Without a space for this many bytes (a very long word, URL or run of
/// symbols), a window ends inside the word, before a character that
/// starts a cluster: normal text reaches [`WINDOW_MAX_WORDS`] long before.
pub(super) const WINDOW_MAX_BYTES: usize = 64 * 1024;

/// The end (a byte offset of `text`) of the window that starts at
/// `from`: after the space that follows a sentence's end once
/// [`WINDOW_WORDS`] words have passed, after any space once
/// [`WINDOW_MAX_WORDS`] have, inside a word once [`WINDOW_MAX_BYTES`]
/// have passed without a space, or the end of the text. A paragraph with
/// less than two windows' worth of words (or bytes) after `from` is one
/// window.
pub(super) fn window_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    // Cheap upper bound: no more words than bytes / 2.
    if rest.len() < 2 * WINDOW_WORDS {
        return text.len();
    }
    let mut words = 0;
    let mut prev: Option<char> = None;
    let mut before_prev: Option<char> = None;
    let mut candidate = None;
    let mut last_space = 0;
    for (i, c) in rest.char_indices() {
        if is_space(c) {
            last_space = i;
        }
        if is_space(c) && prev.is_some_and(|p| !is_space(p)) {
            words += 1;
            let sentence_end = prev.is_some_and(|p| {
                matches!(p, '.' | '!' | '?' | '\u{06D4}' | '\u{3002}' | '\u{0964}')
                    || (matches!(p, '"' | '\u{201D}' | '\u{2019}' | ')')
                        && before_prev.is_some_and(|b| matches!(b, '.' | '!' | '?')))
            });
            let at = from + i + c.len_utf8();
            if (words >= WINDOW_WORDS && sentence_end) || words >= WINDOW_MAX_WORDS {
                candidate = Some((at, false));
                break;
            }
        }
        if i - last_space >= WINDOW_MAX_BYTES && starts_cluster(c, prev) {
            candidate = Some((from + i, true));
            break;
        }
        before_prev = prev;
        prev = Some(c);
    }
    match candidate {
        // Only when at least a window's worth of words (or of a word)
        // follows.
        Some((at, false)) if text[at..].split_whitespace().nth(WINDOW_WORDS).is_some() => at,
        Some((at, true)) if text.len() - at >= WINDOW_MAX_BYTES / 4 => at,
        _ => text.len(),
    }
}

/// Whether a window may end before `c` (after `prev`) inside a word: not
/// before a combining mark or after a joiner, so no cluster is split.
fn starts_cluster(c: char, prev: Option<char>) -> bool {
    use unicode_linebreak::{break_property, BreakClass};
    let joins = |c: char| {
        matches!(
            break_property(c as u32),
            BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner
        )
    };
    !joins(c) && prev != Some('\u{200D}') && !is_space(c)
}

/// The spans' text from byte `a` to byte `b` of their concatenation.
pub(super) fn slice_spans(spans: &[Span], a: usize, b: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in spans {
        let (s0, s1) = (at, at + s.text.len());
        at = s1;
        let (x, y) = (a.max(s0), b.min(s1));
        if x < y {
            out.push(Span {
                text: s.text[x - s0..y - s0].to_string(),
                font: s.font,
                size: s.size,
                color: s.color,
                link: s.link.clone(),
                no_ligatures: s.no_ligatures,
                level: s.level,
            });
        }
    }
    out
}
