//! Hyphenation by the text's language: the embedded pattern dictionaries
//! (en-GB for British English, en-US for other English, and the other
//! languages the `hyphenation` crate has patterns for), hyphenation points
//! of a word (cached in the [`FontSet`]), and which words of a chunk of
//! text may be hyphenated at all.
//!
//! The rules are a careful typesetter's: words of six letters or more, at
//! least three letters before and after the break (TeX's `\lefthyphenmin`
//! and `\righthyphenmin`); never a word with a capital (proper nouns,
//! acronyms), a number, a URL or an e-mail address; a compound is broken
//! only at its own hyphen, never inside one of its parts.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};

use super::fonts::FontSet;

/// Letters a word needs to be hyphenated at all.
pub const MIN_WORD: usize = 6;
/// Longer "words" (a pasted hash, a run of letters) are not hyphenated:
/// the longest dictionary words are a few dozen letters, and the patterns'
/// work and the cache's keys grow with the word.
const MAX_WORD_BYTES: usize = 256;
/// Letters kept before and after a hyphenation point.
pub const LEFT_MIN: usize = 3;
pub const RIGHT_MIN: usize = 3;

/// The hyphenation patterns of a text: a language with patterns, or none
/// (the text is set without hyphenation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HyphenLang(Option<Language>);

impl Default for HyphenLang {
    fn default() -> Self {
        HyphenLang(Some(Language::EnglishUS))
    }
}

impl HyphenLang {
    /// No hyphenation.
    pub const NONE: HyphenLang = HyphenLang(None);

    /// The patterns for a BCP 47 tag (`en-GB`, `en-US`, `en`, `de-CH`…);
    /// [`HyphenLang::NONE`] for a language without patterns.
    pub fn from_tag(tag: &str) -> HyphenLang {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or("");
        let region = parts.find(|p| p.len() == 2).unwrap_or("");
        let lang = match (primary, region) {
            ("en", "gb" | "au" | "nz" | "ie" | "za" | "in" | "pk" | "sg" | "hk" | "ke" | "ng") => {
                Some(Language::EnglishGB)
            }
            ("en", _) => Some(Language::EnglishUS),
            ("de", "ch" | "li") => Some(Language::GermanSwiss),
            ("de", _) => Some(Language::German1996),
            ("fr", _) => Some(Language::French),
            ("es", _) => Some(Language::Spanish),
            ("it", _) => Some(Language::Italian),
            ("pt", _) => Some(Language::Portuguese),
            ("nl", _) => Some(Language::Dutch),
            ("sv", _) => Some(Language::Swedish),
            ("da", _) => Some(Language::Danish),
            ("nb" | "no", _) => Some(Language::NorwegianBokmal),
            ("fi", _) => Some(Language::Finnish),
            ("pl", _) => Some(Language::Polish),
            ("cs", _) => Some(Language::Czech),
            ("tr", _) => Some(Language::Turkish),
            ("ru", _) => Some(Language::Russian),
            _ => None,
        };
        HyphenLang(lang)
    }

    pub fn is_none(self) -> bool {
        self.0.is_none()
    }
}

/// The dictionary of a language, loaded once.
fn dictionary(lang: Language) -> Option<&'static Standard> {
    static DICTS: OnceLock<Mutex<HashMap<Language, Option<&'static Standard>>>> = OnceLock::new();
    let mut dicts = DICTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    *dicts.entry(lang).or_insert_with(|| {
        let mut d = Standard::from_embedded(lang).ok()?;
        d.minima = (LEFT_MIN, RIGHT_MIN);
        Some(&*Box::leak(Box::new(d)))
    })
}

/// Hyphenation points (byte offsets) inside one alphabetic word, cached.
fn hyphenation_points(fonts: &FontSet, lang: Language, word: &str) -> Arc<[usize]> {
    // Looked up by the word as it is: no key is made for a hit.
    if let Ok(cache) = fonts.hyphens.lock() {
        if let Some(hit) = cache.get(&lang).and_then(|words| words.get(word)) {
            return hit.clone();
        }
    }
    let points: Arc<[usize]> = match dictionary(lang) {
        Some(dict) => {
            let n = word.len();
            let lower = word.to_lowercase();
            let breaks = if lower.len() == n {
                dict.hyphenate(&lower).breaks
            } else {
                dict.hyphenate(word).breaks
            };
            breaks
                .into_iter()
                .filter(|&b| {
                    b < n
                        && word.is_char_boundary(b)
                        && word[..b].chars().count() >= LEFT_MIN
                        && word[b..].chars().count() >= RIGHT_MIN
                })
                .collect()
        }
        None => Arc::from(Vec::new()),
    };
    if let Ok(mut cache) = fonts.hyphens.lock() {
        super::fonts::keep_word(cache.entry(lang).or_default(), word, points.clone());
    }
    points
}

/// What a space-delimited token allows, judged once for all its chunks.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct TokenKind {
    /// A URL, a host name or an e-mail address: broken after its
    /// punctuation, never hyphenated.
    pub address: bool,
    /// Whether its words may be hyphenated: not a number, an address or a
    /// compound (broken at its own hyphen, never inside a part).
    pub hyphenate: bool,
}

/// The kind of `token` (see [`token_range`]).
pub(super) fn judge_token(token: &str) -> TokenKind {
    let address = is_address(token);
    TokenKind {
        address,
        hyphenate: !(address
            || token.chars().any(|c| c.is_ascii_digit())
            || token
                .trim_matches(|c: char| !c.is_alphanumeric())
                .contains(['-', '\u{2010}', '\u{2011}', '/'])),
    }
}

/// Hyphenation points (absolute byte offsets) in the non-space chunk
/// `text[range]` for `lang`: see the module's rules.
#[cfg(test)]
pub(super) fn chunk_hyphenation(
    fonts: &FontSet,
    lang: HyphenLang,
    text: &str,
    range: Range<usize>,
    out: &mut Vec<usize>,
) {
    let kind = judge_token(&text[token_range(text, range.clone())]);
    words_hyphenation(fonts, lang, text, range, kind, out);
}

/// As [`chunk_hyphenation`], for a chunk of a token of `kind`.
pub(super) fn words_hyphenation(
    fonts: &FontSet,
    lang: HyphenLang,
    text: &str,
    range: Range<usize>,
    kind: TokenKind,
    out: &mut Vec<usize>,
) {
    let Some(lang) = lang.0 else {
        return;
    };
    if !kind.hyphenate {
        return;
    }
    let chunk = &text[range.clone()];
    let mut start: Option<usize> = None;
    let push_word = |a: usize, b: usize, out: &mut Vec<usize>| {
        let word = &chunk[a..b];
        if word.chars().count() < MIN_WORD
            || word.len() > MAX_WORD_BYTES
            || word.chars().any(char::is_uppercase)
        {
            return;
        }
        for p in hyphenation_points(fonts, lang, word).iter() {
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

/// The whole space-delimited token around `text[range]`: a URL is broken
/// by UAX #14 into chunks at its slashes, and is judged as one token.
pub(super) fn token_range(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind(is_space).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[range.end..]
        .find(is_space)
        .map_or(text.len(), |i| range.end + i);
    start..end
}

/// A URL, a host name or an e-mail address.
pub(super) fn is_address(token: &str) -> bool {
    let t = token.trim_start_matches(['(', '[', '<', '"', '\u{201C}', '\u{2018}']);
    t.contains("://")
        || t.starts_with("www.")
        || t.starts_with("mailto:")
        || (t.contains('@') && t.contains('.'))
        || (t.contains('/') && t.contains('.') && !t.contains(' '))
}

/// Whitespace that separates words.
pub(super) fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{2028}' | '\u{2029}'
    )
}
