//! en-US hyphenation: the embedded pattern dictionary, hyphenation points
//! of a word (cached in the [`FontSet`]), and which words of a chunk of text
//! may be hyphenated at all.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};

use super::fonts::FontSet;

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
pub(super) fn chunk_hyphenation(
    fonts: &FontSet,
    text: &str,
    range: Range<usize>,
    out: &mut Vec<usize>,
) {
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

/// Whitespace that separates words.
pub(super) fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{2028}' | '\u{2029}'
    )
}
