//! Glyph coverage: every character a memo would print must have a glyph in
//! the theme's memo fonts (faces or `fallbacks`); one that has none is a
//! located warning (an error with `--strict`), never a silent box.

use std::path::Path;

use crate::content::Project;
use crate::error::Error;
use crate::theme::Theme;

use super::compose::MemoFonts;

/// Warnings for characters of memo sources no memo font can draw, at their
/// line and column in the source file.
pub fn missing_glyphs(root: &Path, project: &Project, theme: &Theme) -> Vec<Error> {
    let Ok(fonts) = MemoFonts::load(theme) else {
        // A broken font is reported where the memo is laid out.
        return Vec::new();
    };
    let faces = [fonts.serif, fonts.serif_bold, fonts.sans, fonts.sans_bold];
    let drawable = |c: char| faces.iter().any(|&f| fonts.set.font_for(f, c).is_some());
    // Most projects use no character their fonts lack: then no file is
    // read again to find where one is.
    if project
        .chars
        .iter()
        .all(|&c| c.is_control() || c.is_whitespace() || is_invisible(c) || drawable(c))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for brief in project
        .briefs
        .iter()
        .chain(&project.translations)
        .filter(|b| b.front.pdf)
    {
        let Ok(source) = std::fs::read_to_string(root.join(&brief.path)) else {
            continue;
        };
        for (l, line) in source.lines().enumerate() {
            if line.is_ascii() {
                continue;
            }
            for (col, c) in line.chars().enumerate() {
                if c.is_ascii() || c.is_control() || c.is_whitespace() || is_invisible(c) {
                    continue;
                }
                if !drawable(c) {
                    out.push(
                        Error::at(
                            &brief.path,
                            l + 1,
                            col + 1,
                            format!(
                                "`{c}` (U+{:04X}) has no glyph in the memo's fonts; add a font with it to the theme's `fallbacks`",
                                u32::from(c)
                            ),
                        )
                        .warning(),
                    );
                }
            }
        }
    }
    out
}

/// Format characters that draw nothing (joiners, bidi marks).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}
