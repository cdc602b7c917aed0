//! Tests of line breaking: justification, hyphenation and where it is
//! refused, overflow, mixed styles and links, alignment, single lines.

use super::*;
use crate::pdf::frame::{FontId, Rgb};
use crate::pdf::layout::fonts::tests::test_fonts;
use crate::pdf::layout::hyphenate::{chunk_hyphenation, HyphenLang};

pub(crate) const LOREM: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do \
eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis \
nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure \
dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. The \
financial office of the acquisition committee reviewed the transaction thoroughly, \
notwithstanding the extraordinary circumstances surrounding its capitalisation.";

fn spec(align: Align, width: f32, hyphenate: bool) -> BreakSpec {
    BreakSpec {
        align,
        dir: Default::default(),
        first_width: width,
        width,
        hyphenate,
        lang: Default::default(),
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
                assert!(
                    (w - width).abs() < 0.01,
                    "line {i}: {w} vs {width}: {:?}",
                    l.text()
                );
            } else {
                // Never stretched (it may shrink to fit).
                assert!(l.runs[0].word_spacing < 0.01, "{width} {:?}", l.text());
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
        assert!(
            l.text().ends_with('\u{00AD}'),
            "a soft hyphen: {}",
            l.text()
        );
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
        chunk_hyphenation(&set, Default::default(), w, 0..w.len(), &mut out);
        assert!(out.is_empty(), "{w}: {out:?}");
    }
    // A chunk of a URL (UAX 14 breaks after its slashes).
    let url = "see https://dataroom.example.com/deals/financials/accounts.pdf now";
    let at = url.find("financials").unwrap();
    chunk_hyphenation(&set, Default::default(), url, at..at + 11, &mut out);
    assert!(out.is_empty(), "{out:?}");
    chunk_hyphenation(&set, Default::default(), "capitalisation", 0..14, &mut out);
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

fn points(lang: HyphenLang, text: &str) -> Vec<usize> {
    let (set, _ids) = test_fonts();
    let mut out = Vec::new();
    chunk_hyphenation(&set, lang, text, 0..text.len(), &mut out);
    out
}

#[test]
fn hyphenation_follows_the_careful_rules() {
    let gb = HyphenLang::from_tag("en-GB");
    let us = HyphenLang::from_tag("en-US");
    // Six letters or more, three letters kept on each side.
    assert!(points(gb, "metal").is_empty());
    for w in ["programme", "concentrate", "extraordinary", "knowledge"] {
        let p = points(gb, w);
        assert!(p.iter().all(|&b| b >= 3 && w.len() - b >= 3), "{w}: {p:?}");
    }
    // Proper nouns, acronyms, compounds, numbers and addresses are left alone.
    for w in [
        "Pakistan",
        "Processing",
        "listed-company",
        "by-products",
        "640km",
        "ana@example.org",
    ] {
        assert!(points(gb, w).is_empty(), "{w} hyphenated");
    }
    // British and American patterns differ; a language without patterns
    // is not hyphenated.
    assert_ne!(points(gb, "knowledge"), points(us, "knowledge"));
    assert!(points(HyphenLang::from_tag("ur"), "concentrate").is_empty());
    assert!(!points(HyphenLang::from_tag("en"), "concentrate").is_empty());
}

#[test]
fn no_two_hyphens_in_a_row_nor_a_fragment_after_one() {
    let (set, ids) = test_fonts();
    let text = LOREM.repeat(3);
    let spans = vec![Span::new(text.as_str(), ids[0], 10.0, Rgb::BLACK)];
    // Body measures (a very narrow one may need two in a row rather than a
    // line looser than the tolerance).
    for width in [260.0, 320.0, 400.0] {
        let lines = break_lines(&set, &spans, &spec(Align::Justify, width, true)).unwrap();
        for w in lines.windows(2) {
            assert!(
                !(w[0].hyphenated && w[1].hyphenated),
                "two hyphens at {width}"
            );
        }
        // A hyphen before the last line leaves more than a fragment on it.
        let n = lines.len();
        assert!(
            !lines[n - 2].hyphenated
                || f64::from(lines[n - 1].width) >= FRAGMENT * f64::from(width),
            "fragment at {width}"
        );
    }
}

#[test]
fn a_long_url_breaks_ragged_without_a_hyphen() {
    let (set, ids) = test_fonts();
    let text = "See https://data.example.org/reports/annual-statements/mineral-supply.pdf \
                for the full tables of the year, which are long.";
    let spans = vec![Span::new(text, ids[0], 10.0, Rgb::BLACK)];
    let lines = break_lines(&set, &spans, &spec(Align::Justify, 150.0, true)).unwrap();
    assert!(lines.iter().all(|l| !l.hyphenated));
    for l in &lines[..lines.len() - 1] {
        if l.text().contains("example") || l.text().contains("statements") {
            assert!(
                l.runs.iter().all(|r| r.word_spacing <= 0.01),
                "stretched: {:?}",
                l.text()
            );
        }
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(squeeze(&joined(&lines)), squeeze(text));
}

/// A line's text as one span, to set at its natural spacing.
fn plain(l: &LaidLine, font: FontId) -> Vec<Span> {
    vec![Span::new(
        l.text().trim_end_matches('\u{00AD}'),
        font,
        10.0,
        Rgb::BLACK,
    )]
}

/// Letter advances of the lines, in order, without spaces and hyphens.
fn letter_advances(lines: &[LaidLine]) -> Vec<Vec<f32>> {
    lines
        .iter()
        .map(|l| {
            l.runs
                .iter()
                .flat_map(|r| r.glyphs.iter())
                .filter(|g| g.text != " " && g.text != "\u{00AD}")
                .map(|g| g.advance)
                .collect()
        })
        .collect()
}

#[test]
fn loose_lines_take_a_little_letter_spacing() {
    let (set, ids) = test_fonts();
    let text = [LOREM, LOREM].join(" ");
    let spans = vec![Span::new(text.as_str(), ids[0], 10.0, Rgb::BLACK)];
    let space = crate::pdf::layout::shape::text_width(&set, ids[0], 10.0, " ", true).unwrap();
    for width in [290.0, 330.0, 400.0] {
        let justified = break_lines(&set, &spans, &spec(Align::Justify, width, true)).unwrap();
        // The same lines at their natural spacing: the same letters.
        let mut tracked = 0;
        for (i, l) in justified.iter().enumerate() {
            let natural =
                break_lines(&set, &plain(l, ids[0]), &spec(Align::Left, 1e4, false)).unwrap();
            let (a, b) = (
                &letter_advances(&justified[i..=i])[0],
                &letter_advances(&natural)[0],
            );
            assert_eq!(a.len(), b.len(), "{:?}", l.text());
            for (x, y) in a.iter().zip(b) {
                let extra = x - y;
                // At most 0.02 em (a paragraph that needs it), at least
                // -0.004 em.
                assert!(
                    (-0.041..=0.201).contains(&extra),
                    "{extra} in {:?}",
                    l.text()
                );
                tracked += usize::from(extra.abs() > 0.001);
            }
            if i + 1 < justified.len() {
                // Spaces no looser than the tolerance.
                for r in &l.runs {
                    assert!(
                        f64::from(r.word_spacing) <= TOLERANCE * f64::from(space) / 2.0 + 0.01,
                        "{width}: {} in {:?}",
                        r.word_spacing,
                        l.text()
                    );
                }
            } else {
                // The last line is set at its natural spacing.
                assert!(a.iter().zip(b).all(|(x, y)| x <= &(y + 1e-3)));
            }
        }
        assert!(tracked > 0, "no letter spacing at {width}");
        assert_eq!(joined(&justified), text);
    }
}

#[test]
fn ragged_and_joining_text_keeps_its_letters_together() {
    assert!(items::trackable("a") && items::trackable("é") && items::trackable("1"));
    // Arabic script (Urdu), combining marks and spaces are never spaced.
    for t in ["ا", "ب", "\u{0301}", " ", ""] {
        assert!(!items::trackable(t), "{t:?}");
    }
    let (set, ids) = test_fonts();
    let spans = vec![Span::new(LOREM, ids[0], 10.0, Rgb::BLACK)];
    let lines = break_lines(&set, &spans, &spec(Align::Left, 200.0, true)).unwrap();
    for l in &lines {
        let natural = break_lines(&set, &plain(l, ids[0]), &spec(Align::Left, 1e4, false)).unwrap();
        let a = &letter_advances(std::slice::from_ref(l))[0];
        let b = &letter_advances(&natural)[0];
        assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3));
    }
}

#[test]
fn a_very_long_paragraph_is_broken_in_windows_without_seams() {
    let (set, ids) = test_fonts();
    // Some 3,500 words in sentences.
    let text = vec![LOREM; 45].join(" ");
    let words = text.split_whitespace().count();
    assert!(words > 3 * WINDOW_WORDS, "{words}");
    // Windows end after a sentence's end, once WINDOW_WORDS words passed.
    let end = window_end(&text, 0);
    assert!(end < text.len());
    assert!(
        text[..end].trim_end().ends_with('.'),
        "{:?}",
        &text[end - 20..end]
    );
    let n = text[..end].split_whitespace().count();
    assert!((WINDOW_WORDS..WINDOW_MAX_WORDS).contains(&n), "{n}");
    // A short rest is not a window of its own.
    assert_eq!(window_end(&text, text.len() - 5000), text.len());

    let spans = vec![Span::new(text.as_str(), ids[0], 10.0, Rgb::BLACK)];
    let width = 330.0;
    let lines = break_lines(&set, &spans, &spec(Align::Justify, width, true)).unwrap();
    let space = crate::pdf::layout::shape::text_width(&set, ids[0], 10.0, " ", true).unwrap();
    for (i, l) in lines.iter().enumerate() {
        let w = run_widths(l);
        assert!(w <= width + 0.01, "line {i} overfull");
        if i + 1 < lines.len() {
            // Every line but the last is justified: no ragged seam.
            assert!((w - width).abs() < 0.01, "line {i}: {w}: {:?}", l.text());
            assert!(
                l.runs.iter().all(|r| r.word_spacing <= space),
                "line {i} loose: {:?}",
                l.text()
            );
        }
    }
    for w in lines.windows(2) {
        assert!(
            !(w[0].hyphenated && w[1].hyphenated),
            "two hyphens in a row"
        );
    }
    assert_eq!(joined(&lines), text);
    // As many lines as one window would take, give or take one per seam.
    let one = {
        let p = prepare(&set, &spans, &spec(Align::Justify, width, true), false).unwrap();
        knuth_plass(
            &p,
            &spec(Align::Justify, width, true),
            TOLERANCE,
            false,
            true,
        )
        .unwrap()
        .len()
    };
    assert!(lines.len().abs_diff(one) <= 3, "{} vs {one}", lines.len());
}

#[test]
fn short_words_bind_to_the_next() {
    use crate::pdf::layout::text::bind_short_words;
    assert_eq!(
        bind_short_words("Structuring a concentrate offtake of ore in 2025"),
        "Structuring a\u{a0}concentrate offtake of\u{a0}ore in\u{a0}2025"
    );
    // A number does not bind (it is not a word); the last word has nothing
    // to bind to.
    assert_eq!(bind_short_words("Up 12 per cent"), "Up\u{a0}12 per cent");
    assert_eq!(bind_short_words("the end of"), "the end of");
    // A ragged title never ends a line on a bound word.
    let (set, ids) = test_fonts();
    let text =
        bind_short_words("The USSM–FWO agreement: what was signed and what is to come of it");
    let spans = vec![Span::new(text.as_str(), ids[1], 28.0, Rgb::BLACK)];
    for width in [200.0, 260.0, 330.0] {
        let lines = break_lines(&set, &spans, &spec(Align::Left, width, false)).unwrap();
        for l in &lines[..lines.len() - 1] {
            let t = l.text();
            let last = t.split_whitespace().last().unwrap();
            assert!(last.chars().count() > 2, "{width}: {t:?}");
        }
    }
}

#[test]
fn a_word_longer_than_a_window_is_cut_between_clusters_and_set_whole() {
    // A window without a space ends inside the word, never before a
    // combining mark: "é" is "e" and U+0301 here.
    let word = "abcde\u{301}fgh".repeat(20_000);
    let end = window_end(&word, 0);
    assert!(
        (WINDOW_MAX_BYTES..WINDOW_MAX_BYTES + 16).contains(&end),
        "{end}"
    );
    assert!(!word[end..].starts_with('\u{301}'));
    // Words before the long one: the count starts again after a space.
    let text = format!("{} {word}", "few words ".repeat(50));
    let end = window_end(&text, 0);
    assert!(
        end > 500 + WINDOW_MAX_BYTES && end < 500 + WINDOW_MAX_BYTES + 16,
        "{end}"
    );
    // Less than a quarter window after the cut: one window.
    let short = "x".repeat(WINDOW_MAX_BYTES + 100);
    assert_eq!(window_end(&short, 0), short.len());

    // Set in windows, the word comes out whole, every line within the
    // measure, every letter once.
    let (set, ids) = test_fonts();
    let text = "stibnite".repeat(20_000);
    let spans = vec![Span::new(text.as_str(), ids[0], 10.0, Rgb::BLACK)];
    let width = 300.0;
    let lines = break_lines(&set, &spans, &spec(Align::Left, width, true)).unwrap();
    assert!(lines.len() > 200, "{}", lines.len());
    let mut all = String::new();
    for (i, l) in lines.iter().enumerate() {
        assert!(run_widths(l) <= width + 0.01, "line {i} overfull");
        assert!(
            !l.hyphenated,
            "line {i}: a run of letters is not hyphenated"
        );
        for r in &l.runs {
            all.push_str(&r.text());
        }
    }
    assert_eq!(all, text);
}

#[test]
fn lines_inside_a_word_too_wide_for_them_are_filled() {
    // Only the best few breaks inside such a word stay active: the lines
    // inside it still take as many letters as fit.
    let (set, ids) = test_fonts();
    let word = "stibnite".repeat(400);
    let widest = "stibne"
        .chars()
        .map(|c| {
            let s = c.to_string();
            measure(&set, &[Span::new(s.as_str(), ids[0], 10.0, Rgb::BLACK)]).unwrap()
        })
        .fold(0.0f32, f32::max);
    for (align, width) in [(Align::Justify, 300.0), (Align::Left, 45.0)] {
        let text = format!("Before the word comes a sentence. {word} And after it, another.");
        let spans = vec![Span::new(text.as_str(), ids[0], 10.0, Rgb::BLACK)];
        let lines = break_lines(&set, &spans, &spec(align, width, true)).unwrap();
        let inside: Vec<&LaidLine> = lines
            .iter()
            .filter(|l| {
                let t = l.text();
                !t.contains(' ') && t.len() > 3 && word.contains(t.as_str())
            })
            .collect();
        assert!(inside.len() > 10, "{align:?}: {} lines", inside.len());
        // The word's last line may be short; every other is full.
        for l in &inside[..inside.len() - 1] {
            let w = run_widths(l);
            assert!(
                w <= width + 0.01 && w > width - widest,
                "{align:?}: {w} of {width} ({})",
                l.text()
            );
        }
        let all: String = lines.iter().map(|l| l.text()).collect();
        assert!(all.contains(&word), "{align:?}: the word is set whole");
    }
}
