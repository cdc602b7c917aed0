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

/// `text`, shortened with an ellipsis to fit `width`.
pub(super) fn fit(
    fs: &FontSet,
    text: &str,
    font: FontId,
    size: f32,
    width: f32,
) -> Result<String, crate::pdf::layout::LayoutError> {
    let span = |t: &str| Span::new(t, font, size, Rgb::BLACK);
    if measure(fs, &[span(text)])? <= width {
        return Ok(text.to_string());
    }
    let mut words: Vec<&str> = text.split(' ').collect();
    while words.len() > 1 {
        words.pop();
        let t = format!(
            "{}…",
            words.join(" ").trim_end_matches([',', ';', ':', '·', ' '])
        );
        if measure(fs, &[span(&t)])? <= width {
            return Ok(t);
        }
    }
    Ok(String::new())
}
