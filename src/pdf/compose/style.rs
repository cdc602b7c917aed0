//! The memo's look: colours and sizes from the theme (`Style`), font roles
//! in running text (`Font`), and fitting a line to a width with an ellipsis.

use crate::pdf::frame::{FontId, Rgb};
use crate::pdf::layout::{measure, FontSet, PageSpec, Span};

use super::MemoFonts;

/// Colours and sizes of a memo, from the theme.
pub(super) struct Style {
    pub(super) primary: Rgb,
    pub(super) accent: Rgb,
    pub(super) text: Rgb,
    pub(super) muted: Rgb,
    pub(super) rule: Rgb,
    pub(super) tint: Rgb,
    pub(super) body: f32,
    pub(super) leading: f32,
    pub(super) page: PageSpec,
    pub(super) numbered: bool,
}

/// A theme colour as a page colour.
pub(super) fn rgb(c: &crate::values::Color) -> Rgb {
    let (r, g, b) = c.rgb();
    Rgb(r, g, b)
}

/// Font roles inside running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Font {
    Serif,
    SerifBold,
    SerifItalic,
    SerifBoldItalic,
    Sans,
    SansBold,
    SansItalic,
}

impl Font {
    pub(super) fn id(self, f: &MemoFonts) -> FontId {
        match self {
            Font::Serif => f.serif,
            Font::SerifBold => f.serif_bold,
            Font::SerifItalic => f.serif_italic,
            Font::SerifBoldItalic => f.serif_bold_italic,
            Font::Sans => f.sans,
            Font::SansBold => f.sans_bold,
            Font::SansItalic => f.sans_italic,
        }
    }

    pub(super) fn bold(self) -> Font {
        match self {
            Font::Serif => Font::SerifBold,
            Font::SerifItalic | Font::SerifBoldItalic => Font::SerifBoldItalic,
            Font::Sans | Font::SansItalic => Font::SansBold,
            other => other,
        }
    }

    pub(super) fn italic(self) -> Font {
        match self {
            Font::Serif => Font::SerifItalic,
            Font::SerifBold | Font::SerifBoldItalic => Font::SerifBoldItalic,
            Font::Sans | Font::SansBold => Font::SansItalic,
            other => other,
        }
    }
}

/// `text`, shortened with an ellipsis to fit `width`: the most words
/// that fit with it, found by bisection (a title of thousands of words
/// is measured a dozen times, not once per word).
pub(super) fn fit(
    fs: &FontSet,
    text: &str,
    font: FontId,
    size: f32,
    width: f32,
) -> Result<String, crate::pdf::layout::LayoutError> {
    let span = |t: &str| Span::new(t, font, size, Rgb::BLACK);
    let shortened = |words: &[&str]| {
        format!(
            "{}…",
            words.join(" ").trim_end_matches([',', ';', ':', '·', ' '])
        )
    };
    // Words beyond what could fit at a hair's width each are never tried.
    let most = (width.max(0.0) / (size * 0.05).max(0.01)) as usize + 1;
    let words: Vec<&str> = text.split(' ').take(most.saturating_add(1)).collect();
    if words.len() <= most && measure(fs, &[span(text)])? <= width {
        return Ok(text.to_string());
    }
    // Invariant: `fits` words fit (0 always does: nothing is shown), and
    // `over` words do not.
    let (mut fits, mut over) = (0, words.len().min(most + 1));
    while over - fits > 1 {
        let mid = fits + (over - fits) / 2;
        if measure(fs, &[span(&shortened(&words[..mid]))])? <= width {
            fits = mid;
        } else {
            over = mid;
        }
    }
    Ok(if fits == 0 {
        String::new()
    } else {
        shortened(&words[..fits])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::fonts::tests::test_fonts;

    #[test]
    fn fit_keeps_the_most_words_that_fit_with_an_ellipsis() {
        let (fs, ids) = test_fonts();
        let sans = ids[3];
        let width = |t: &str| measure(&fs, &[Span::new(t, sans, 10.0, Rgb::BLACK)]).unwrap();
        let text = "Antimony offtake terms for US buyers, with the export licence";
        assert_eq!(fit(&fs, text, sans, 10.0, width(text)).unwrap(), text);
        // Room for exactly "… for US buyers…": the comma goes, the
        // ellipsis comes; one point less keeps a word fewer.
        let room = width("Antimony offtake terms for US buyers…");
        let got = fit(&fs, text, sans, 10.0, room).unwrap();
        assert_eq!(got, "Antimony offtake terms for US buyers…");
        let got = fit(&fs, text, sans, 10.0, room - 1.0).unwrap();
        assert_eq!(got, "Antimony offtake terms for US…");
        assert_eq!(fit(&fs, text, sans, 10.0, 3.0).unwrap(), "");
    }

    #[test]
    fn fit_of_a_title_of_many_thousand_words_measures_a_line_not_the_title() {
        let (fs, ids) = test_fonts();
        let text = "word ".repeat(200_000);
        // Word by word this took minutes and gigabytes; it must still be
        // a line's worth of words.
        let got = fit(&fs, &text, ids[3], 7.5, 300.0).unwrap();
        assert!(got.ends_with('…') && got.starts_with("word word"), "{got}");
        let kept = got.split(' ').count();
        assert!((8..40).contains(&kept), "{kept} words kept");
        let w = measure(&fs, &[Span::new(&got, ids[3], 7.5, Rgb::BLACK)]).unwrap();
        assert!(w <= 300.0, "{w}");
        let one_more = format!("{} word…", got.trim_end_matches('…'));
        let w = measure(&fs, &[Span::new(&one_more, ids[3], 7.5, Rgb::BLACK)]).unwrap();
        assert!(w > 300.0, "{w}: a word more would have fitted");
    }
}
