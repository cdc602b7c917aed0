//! The site's web fonts: the theme's faces (the memo's), subset to the
//! characters the content uses and served as TrueType with
//! `font-display: swap`, so the site and the memos read alike.

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use skrifa::MetadataProvider;

use crate::content::Project;
use crate::error::Error;
use crate::output::Artifact;
use crate::theme::Theme;

/// Families the stylesheet names first in `--serif` and `--sans`.
pub const SERIF: &str = "Theme Serif";
pub const SANS: &str = "Theme Sans";

/// Characters every page may show besides the content's own: ASCII,
/// Latin-1, punctuation, the currency signs and the arrows of the
/// templates.
fn base_chars() -> impl Iterator<Item = char> {
    [
        (0x20u32, 0x7e),
        (0xa0, 0xff),
        (0x2010, 0x2027),
        (0x2030, 0x203a),
        (0x20ac, 0x20ac),
        (0x20a8, 0x20a8),
        (0x2190, 0x2193),
        (0x21a9, 0x21a9),
        (0x2212, 0x2212),
        (0x25b8, 0x25be),
    ]
    .into_iter()
    .flat_map(|(a, b)| (a..=b).filter_map(char::from_u32))
}

/// One face: its family, weight, style and theme font file.
struct Face<'a> {
    family: &'static str,
    weight: u16,
    italic: bool,
    file: &'a str,
}

/// The subset font files (under `static/fonts/`) and the `@font-face`
/// rules that load them, with URLs relative to the stylesheet.
pub fn web_fonts(project: &Project, theme: &Theme) -> Result<(Vec<Artifact>, String), Error> {
    let f = &theme.config.fonts;
    let faces = [
        Face {
            family: SERIF,
            weight: 400,
            italic: false,
            file: &f.body,
        },
        Face {
            family: SERIF,
            weight: 700,
            italic: false,
            file: &f.body_bold,
        },
        Face {
            family: SERIF,
            weight: 400,
            italic: true,
            file: &f.body_italic,
        },
        Face {
            family: SANS,
            weight: 400,
            italic: false,
            file: &f.heading,
        },
        Face {
            family: SANS,
            weight: 700,
            italic: false,
            file: &f.heading_bold,
        },
        Face {
            family: SANS,
            weight: 400,
            italic: true,
            file: &f.heading_italic,
        },
    ];
    let chars: BTreeSet<char> = base_chars().chain(project.chars.iter().copied()).collect();
    // The faces are subset in parallel, and kept in their order.
    let subsets: Vec<Option<Result<Vec<u8>, Error>>> = {
        use rayon::prelude::*;
        faces
            .par_iter()
            .with_max_len(1)
            .map(|face| {
                let data = theme.font(face.file)?;
                Some(
                    subset_font(&data, &chars)
                        .map_err(|m| Error::in_file(theme.font_origin(face.file), m)),
                )
            })
            .collect()
    };
    let mut artifacts = Vec::new();
    let mut css = String::new();
    for (face, bytes) in faces.iter().zip(subsets) {
        let Some(bytes) = bytes else {
            continue;
        };
        let bytes = bytes?;
        let stem = face.file.rsplit_once('.').map_or(face.file, |(s, _)| s);
        let name = format!(
            "fonts/{stem}.{}.ttf",
            crate::site::assets::fingerprint(&bytes)
        );
        css.push_str(&format!(
            "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; font-display: swap; src: url(\"{name}\") format(\"truetype\"); }}\n",
            face.family,
            face.weight,
            if face.italic { "italic" } else { "normal" },
        ));
        artifacts.push(Artifact::new(format!("static/{name}"), bytes));
    }
    Ok((artifacts, css))
}

/// `data` reduced to the glyphs of `chars` (and their composite parts),
/// keeping a cmap so browsers can use it.
fn subset_font(data: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let font = skrifa::FontRef::new(data).map_err(|e| format!("cannot read this font: {e}"))?;
    let charmap = font.charmap();
    let mut glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| charmap.map(*c))
        .filter_map(|g| u16::try_from(g.to_u32()).ok())
        .collect();
    glyphs.remove(&0);
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let scope = ReadScope::new(data);
    let file = scope
        .read::<FontData<'_>>()
        .map_err(|e| format!("cannot read this font: {e}"))?;
    let provider = file
        .table_provider(0)
        .map_err(|e| format!("cannot read this font: {e}"))?;
    subset(
        &provider,
        &ids,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| format!("cannot subset this font for the web: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars_found(data: &[u8]) -> Vec<(u32, u32)> {
        let font = skrifa::FontRef::new(data).unwrap();
        font.charmap()
            .mappings()
            .map(|(c, g)| (c, g.to_u32()))
            .collect()
    }

    #[test]
    fn a_subset_keeps_the_characters_asked_for_and_drops_the_rest() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/fonts/NotoSerif-Regular.ttf"
        ))
        .unwrap();
        let chars: BTreeSet<char> = "Antimony – Pakistan’s ore".chars().collect();
        let small = subset_font(&data, &chars).unwrap();
        assert!(
            small.len() * 10 < data.len(),
            "{} of {}",
            small.len(),
            data.len()
        );
        let font = skrifa::FontRef::new(&small).unwrap();
        let map = font.charmap();
        for c in chars {
            assert!(
                map.map(c).is_some_and(|g| g.to_u32() != 0),
                "{c:?} missing: {:?}",
                chars_found(&small)
            );
        }
        assert!(map.map('Z').is_none(), "Z was not asked for");
    }
}
