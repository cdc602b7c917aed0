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
use crate::pdf::frame::{FontId, Glyph, TextRun};

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic script).
pub fn is_rtl_char(c: char) -> bool {
    // No letter before Hebrew's block is right-to-left: Latin text needs
    // no table lookup.
    c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
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

/// Whether `c` is a bidi formatting character: an isolate (LRI, RLI, FSI,
/// PDI), an embedding or override, or a directional mark (LRM, RLM, ALM).
/// They steer the levels and are then removed (UAX #9 X9): default
/// ignorable, never drawn and never in the extracted text.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` between a first-strong isolate (FSI … PDI): it keeps its own
/// direction and does not pull its neighbours into it (a Latin title
/// before an Urdu date, a country name in brackets), as `<bdi>` does on
/// the site.
pub fn isolate(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

fn is_strong(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL)
}

/// Spans split by font (first with a glyph: the span's own, then its
/// fallbacks) and bidi level, the paragraph set in `dir`; whether the
/// (first) paragraph is right-to-left. Neutral characters (spaces,
/// punctuation, marks) stay in the font of the character before them when
/// it has them and the level is the same. Levels are resolved over the
/// whole paragraph (brackets paired, N0; isolates, X5a–X6a); bidi
/// formatting characters are then left out ([`is_bidi_control`]).
pub fn itemize<'s>(
    fonts: &FontSet,
    spans: &'s [Span],
    dir: Dir,
) -> (std::borrow::Cow<'s, [Span]>, bool) {
    let simple = dir != Dir::Rtl
        && spans.iter().all(|s| {
            s.text.is_ascii()
                || s.text
                    .chars()
                    .all(|c| !is_rtl_char(c) && fonts.get(s.font).is_ok_and(|f| f.has_char(c)))
        });
    if simple {
        // As they are: a long paragraph's text is not copied.
        return (std::borrow::Cow::Borrowed(spans), false);
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
            if is_bidi_control(c) {
                // It has done its work on the levels.
                continue;
            }
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
                    // Not a clone: that copied the span's whole text
                    // for every run, the square of a mixed paragraph.
                    let mut s = span.restyled(c.to_string());
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
    (std::borrow::Cow::Owned(out), rtl)
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
                run.glyphs.edit(|glyphs| {
                    glyphs.reverse();
                    let mut start = 0;
                    for k in 0..glyphs.len() {
                        if !glyphs[k].text.is_empty() {
                            if k != start {
                                let t = std::mem::take(&mut glyphs[k].text);
                                glyphs[start].text = t;
                            }
                            start = k + 1;
                        }
                    }
                });
            }
            runs.push(run);
            tags.push(tag);
        }
    }
}

/// Directional marks in the text layer of a right-to-left line (runs in
/// visual order, `levels` theirs): a reader's extraction (pdftotext, a
/// viewer's copy) sees only characters and where they stand, and takes a
/// bracket or a dash beside a Latin stretch into that stretch. So a Latin
/// stretch ending in one (`(United States)`) gets a left-to-right mark
/// after it, and a right-to-left run ending in one on the side of a Latin
/// stretch or a number gets a right-to-left mark there: extraction then resolves them
/// as the layout did. The marks are text only (no glyph is drawn for
/// them), as `/ActualText` would carry them.
pub fn mark_for_extraction(runs: &mut [TextRun], levels: &[u8]) {
    let neutral = |c: Option<char>| {
        c.is_some_and(|c| {
            !matches!(
                bidi_class(c),
                BidiClass::L | BidiClass::R | BidiClass::AL | BidiClass::EN | BidiClass::AN
            )
        })
    };
    let even = |i: Option<usize>| i.and_then(|i| levels.get(i)).is_some_and(|l| l % 2 == 0);
    let spoken = |g: &&mut Glyph| !g.text.trim().is_empty();
    for (i, run) in runs.iter_mut().enumerate() {
        let level = levels.get(i).copied().unwrap_or(0);
        if level == 0 {
            continue;
        }
        // A space is a word break to a reader, and a mark beside one would
        // stand alone: marks go on the outermost clusters that are not.
        run.glyphs.edit(|glyphs| {
            if level % 2 == 0 {
                if let Some(g) = glyphs.iter_mut().rev().find(spoken) {
                    if neutral(g.text.chars().next_back()) {
                        g.text.push('\u{200E}');
                    }
                }
                return;
            }
            // A right-to-left run's rightmost cluster is its logically
            // first, and the writer sets its characters in reverse.
            if even(Some(i + 1)) {
                if let Some(g) = glyphs.iter_mut().rev().find(spoken) {
                    if neutral(g.text.chars().next()) {
                        g.text.insert(0, '\u{200F}');
                    }
                }
            }
            if even(i.checked_sub(1)) {
                if let Some(g) = glyphs.iter_mut().find(spoken) {
                    if neutral(g.text.chars().next_back()) {
                        g.text.push('\u{200F}');
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::pdf::frame::{FontId, Rgb};
    use crate::pdf::layout::fonts::tests::{test_fonts, theme_font};
    use crate::pdf::layout::text::{Align, BreakSpec, Dir, Span};
    use crate::pdf::layout::{break_lines, FontSet};

    /// The serif face with Nastaliq as its fallback.
    fn fonts() -> (FontSet, FontId) {
        let (mut set, ids) = test_fonts();
        let nastaliq = set.load(&theme_font("NotoNastaliqUrdu-Regular")).unwrap();
        set.set_fallbacks(ids[0], vec![nastaliq]);
        (set, ids[0])
    }

    /// One right-to-left line of `text`: its glyphs from left to right as
    /// (font, glyph id, text without marks, x).
    fn visual(text: &str) -> Vec<(FontId, u16, String, f32)> {
        let (set, serif) = fonts();
        let spec = BreakSpec {
            align: Align::Justify,
            dir: Dir::Rtl,
            first_width: 400.0,
            width: 400.0,
            hyphenate: false,
            lang: Default::default(),
        };
        let lines = break_lines(&set, &[Span::new(text, serif, 10.0, Rgb::BLACK)], &spec).unwrap();
        assert_eq!(lines.len(), 1);
        let mut out = Vec::new();
        for run in &lines[0].runs {
            let mut x = run.x;
            for g in &run.glyphs {
                let t: String = g
                    .text
                    .chars()
                    .filter(|&c| !super::is_bidi_control(c))
                    .collect();
                out.push((run.font, g.id, t, x));
                x += g.advance;
            }
        }
        for w in out.windows(2) {
            assert!(w[0].3 <= w[1].3 + 0.01, "runs out of visual order: {out:?}");
        }
        out
    }

    fn glyph_of(set: &FontSet, font: FontId, c: char) -> u16 {
        let id = set
            .get(font)
            .unwrap()
            .font
            .charmap()
            .map_unicode(c)
            .unwrap();
        u16::try_from(id.to_u32()).unwrap()
    }

    #[test]
    fn brackets_around_latin_in_a_right_to_left_paragraph_pair_and_mirror() {
        let (set, _) = fonts();
        let g = visual("کمپنی (United States) اور");
        let u = g.iter().position(|g| g.2 == "U").expect("U");
        let s = g.iter().rposition(|g| g.2 == "s").expect("s");
        // Read from the right: کمپنی, "(", United States, ")", اور. The
        // opening bracket stands right of the Latin words and is drawn
        // as ")" (mirrored), the closing one left of them drawn as "(".
        let (left, right) = (&g[u - 1], &g[s + 1]);
        assert_eq!(left.2, ")", "{g:?}");
        assert_eq!(right.2, "(", "{g:?}");
        assert_eq!(left.1, glyph_of(&set, left.0, '('), "{g:?}");
        assert_eq!(right.1, glyph_of(&set, right.0, ')'), "{g:?}");
        let latin: String = g[u..=s].iter().map(|g| g.2.as_str()).collect();
        assert_eq!(latin, "United States");
    }

    #[test]
    fn an_isolated_latin_title_does_not_take_the_number_of_an_urdu_date() {
        let title = "Rare Earth Exchanges";
        let date = "8 ستمبر 2025";
        let position = |g: &[(FontId, u16, String, f32)], t: &str| {
            g.iter()
                .position(|g| g.2 == t)
                .unwrap_or_else(|| panic!("{t}: {g:?}"))
        };
        // Without an isolate the "8" reads with the Latin title before
        // it (UAX #9 W7) and lands right of it; isolated, it stays with
        // its month, between the title and the month.
        let open = visual(&format!("ماخذ: {title}، {date}"));
        assert!(position(&open, "8") > position(&open, "R"), "{open:?}");
        let g = visual(&format!("ماخذ: {}، {date}", super::isolate(title)));
        let eight = position(&g, "8");
        assert!(eight < position(&g, "R"), "{g:?}");
        assert!(position(&g, "ر") < eight, "{g:?}");
        // The isolate's characters are neither drawn nor in the text.
        assert!(g.iter().all(|g| g.1 != 0), "{g:?}");
        let text: String = g.iter().map(|g| g.2.as_str()).collect();
        assert!(text.contains(title), "{text}");
    }
}

#[cfg(test)]
mod itemize_tests {
    use super::itemize;
    use crate::pdf::frame::Rgb;
    use crate::pdf::layout::fonts::tests::{test_fonts, theme_font};
    use crate::pdf::layout::text::{Dir, Span};

    #[test]
    fn a_mixed_paragraph_is_split_by_direction_and_font_keeping_its_style() {
        let (mut set, ids) = test_fonts();
        let nastaliq = set.load(&theme_font("NotoNastaliqUrdu-Regular")).unwrap();
        set.set_fallbacks(ids[0], vec![nastaliq]);
        let text = "اینٹیمنی antimony2025 کی قیمت ".repeat(2000);
        let span = Span::new(text.as_str(), ids[0], 11.5, Rgb(0.1, 0.2, 0.3))
            .with_link("https://example.org/a")
            .code();
        let (out, rtl) = itemize(&set, std::slice::from_ref(&span), Dir::Rtl);
        assert!(rtl);
        // Urdu in Nastaliq at an odd level, the Latin word and number in
        // the serif face at an even one: six runs a repetition or so.
        assert!(out.len() >= 4000, "{} runs", out.len());
        let joined: String = out.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        for s in out.iter() {
            assert_eq!(
                (s.size, s.color, s.link.as_deref(), s.no_ligatures),
                (
                    11.5,
                    Rgb(0.1, 0.2, 0.3),
                    Some("https://example.org/a"),
                    true
                )
            );
            let urdu = s
                .text
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            assert_eq!(s.font == nastaliq, urdu, "{:?}", s.text);
            if s.text.contains("antimony") {
                assert_eq!(s.level % 2, 0, "{:?}", s.text);
            }
            if urdu {
                assert_eq!(s.level % 2, 1, "{:?}", s.text);
            }
        }
    }
}
