//! The web font of pages in a right-to-left language (Urdu in Nastaliq):
//! the theme's fallback face cut down to the glyphs those pages need,
//! served with a small stylesheet only they link to.
//!
//! The subset keeps glyph ids (so the font's own GSUB and GPOS, which
//! Nastaliq cannot do without, stay valid): glyphs no page text shapes to
//! lose their outlines, and the character map lists only the characters
//! the pages use. (`subsetter`, used for the memos, renumbers glyphs and
//! drops `cmap` and the layout tables: right for PDF, not for a browser.)

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShapePlan, ShaperFont};

use crate::blob::Blob;
use crate::error::Error;
use crate::output::Artifact;
use crate::site::views::{Lang, Urls};
use crate::theme::Theme;

/// Stands in a page for the URL of its language's stylesheet until the
/// pages' text, and so the font, is known.
pub const PLACEHOLDER: &str = "/__orepress_language_stylesheet__.css";

/// The font family name the stylesheet gives the web font.
const FAMILY: &str = "orepress script";

/// Characters of the Arabic script blocks (what the web font is for).
pub fn is_arabic_script(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

const UNICODE_RANGE: &str = "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF";

/// Whether pages in `lang` get a web font: a right-to-left language, and
/// a theme with a fallback face for its script.
pub fn needed(theme: &Theme, lang: &Lang) -> bool {
    !lang.main && crate::i18n::is_rtl(&lang.tag) && !theme.config.fonts.fallbacks.is_empty()
}

/// The visible text of an HTML page (tags left out).
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// For the pages of `lang`: the subset font and its stylesheet, with
/// each page's placeholder replaced by the stylesheet's URL. Nothing for
/// a language that needs no web font.
pub fn serve(
    theme: &Theme,
    lang: &Lang,
    pages: Vec<&mut Artifact>,
    urls: &Urls,
) -> Result<Vec<Artifact>, Error> {
    if !needed(theme, lang) || pages.is_empty() {
        return Ok(Vec::new());
    }
    let file = &theme.config.fonts.fallbacks[0].regular;
    let data = theme
        .font(file)
        .ok_or_else(|| Error::in_file(theme.font_origin(file), "font file not found"))?;
    let mut words: BTreeSet<String> = BTreeSet::new();
    for page in &pages {
        let text = text_of(&String::from_utf8_lossy(&page.bytes));
        for w in text.split(|c: char| !is_arabic_script(c)) {
            if !w.is_empty() {
                words.insert(w.to_string());
            }
        }
    }
    let font = subset(&data, &words).map_err(|e| {
        Error::in_file(
            theme.font_origin(file),
            format!("cannot make the web font: {e}"),
        )
    })?;
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    let font_name = format!("{stem}.{}.ttf", crate::site::fingerprint(&font));
    let css = format!(
        "/* The {family} face for pages in `{lang}`: only the glyphs they use. */\n\
         @font-face {{ font-family: \"{FAMILY}\"; src: url(\"{font_name}\") format(\"truetype\"); font-display: swap; unicode-range: {UNICODE_RANGE}; }}\n\
         :root {{ --sans: \"{FAMILY}\", system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", Arial, sans-serif; --serif: \"{FAMILY}\", \"Noto Serif\", Georgia, serif; }}\n",
        family = stem,
        lang = lang.tag,
    );
    let css_path = format!(
        "static/{}.{}.css",
        lang.tag,
        crate::site::fingerprint(css.as_bytes())
    );
    let css_url = urls.path(&css_path);
    for page in pages {
        let html = String::from_utf8_lossy(&page.bytes).replace(PLACEHOLDER, &css_url);
        page.bytes = html.into_bytes();
    }
    Ok(vec![
        Artifact::new(format!("static/{font_name}"), font),
        Artifact::new(css_path, css.into_bytes()),
    ])
}

/// The glyphs `words` shape to (each word, and each of its characters
/// alone), as a browser shapes them.
fn glyphs_for(data: &Blob, words: &BTreeSet<String>) -> Result<BTreeSet<u16>, String> {
    let blob: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(data.clone());
    let font = harfrust::Font::new(harfrust::font::Blob::from(blob), 0)
        .ok_or_else(|| "not a TrueType/OpenType font".to_string())?;
    let shaper = ShaperFont::new(&font);
    // One plan for every word: made per call, the plan (the font's lookups
    // for the script, compiled) took most of the time.
    let plan = ShapePlan::new(
        &font,
        Direction::RightToLeft,
        Some(Script::ARABIC),
        None,
        &[],
    );
    let mut glyphs = BTreeSet::new();
    let chars: BTreeSet<char> = words.iter().flat_map(|w| w.chars()).collect();
    let singles = chars.iter().map(|c| c.to_string());
    for text in words.iter().cloned().chain(singles) {
        let mut buffer = Buffer::new();
        buffer.push_str(&text);
        buffer.set_direction(Direction::RightToLeft);
        buffer.set_script(Some(Script::ARABIC));
        harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(&plan)))
            .map_err(|e| format!("shaping {text:?}: {e:?}"))?;
        for info in buffer.glyph_infos() {
            glyphs.insert(u16::try_from(info.glyph_id).unwrap_or(0));
        }
    }
    Ok(glyphs)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The font's tables: tag → bytes.
fn tables(data: &[u8]) -> Option<BTreeMap<[u8; 4], &[u8]>> {
    let n = usize::from(u16_at(data, 4)?);
    let mut out = BTreeMap::new();
    for i in 0..n {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = data.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(data, rec + 8)? as usize;
        let len = u32_at(data, rec + 12)? as usize;
        out.insert(tag, data.get(offset..offset.checked_add(len)?)?);
    }
    Some(out)
}

/// Components of a composite glyph.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || (u16_at(glyph, 0).unwrap_or(0) as i16) >= 0 {
        return out;
    }
    let mut at = 10;
    while let (Some(flags), Some(gid)) = (u16_at(glyph, at), u16_at(glyph, at + 2)) {
        out.push(gid);
        at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        at += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out
}

/// A format 4 `cmap` for `map` (characters of the Basic Multilingual Plane).
fn cmap(map: &BTreeMap<char, u16>) -> Vec<u8> {
    let mut segs: Vec<(u16, u16, u16)> = map
        .iter()
        .filter_map(|(c, g)| {
            let c = u16::try_from(u32::from(*c)).ok()?;
            Some((c, c, g.wrapping_sub(c)))
        })
        .collect();
    segs.push((0xFFFF, 0xFFFF, 1));
    let n = segs.len() as u16;
    let mut pow = 1u16;
    while pow * 2 <= n {
        pow *= 2;
    }
    let mut sub = Vec::new();
    let len = 16 + 8 * usize::from(n);
    for v in [
        4u16,
        len as u16,
        0,
        n * 2,
        pow * 2,
        pow.trailing_zeros() as u16,
        n * 2 - pow * 2,
    ] {
        sub.extend(v.to_be_bytes());
    }
    segs.iter().for_each(|s| sub.extend(s.1.to_be_bytes()));
    sub.extend(0u16.to_be_bytes());
    segs.iter().for_each(|s| sub.extend(s.0.to_be_bytes()));
    segs.iter().for_each(|s| sub.extend(s.2.to_be_bytes()));
    segs.iter().for_each(|_| sub.extend(0u16.to_be_bytes()));
    let mut out = Vec::new();
    for v in [0u16, 1, 3, 1] {
        out.extend(v.to_be_bytes());
    }
    out.extend(12u32.to_be_bytes());
    out.extend(sub);
    out
}

fn checksum(b: &[u8]) -> u32 {
    b.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// The font `data` with only the glyphs `words` need (ids kept) and a
/// character map of their characters.
pub fn subset(data: &Blob, words: &BTreeSet<String>) -> Result<Vec<u8>, String> {
    let bad = || "malformed font".to_string();
    let t = tables(data).ok_or_else(bad)?;
    let (head, loca, glyf, maxp) = (
        *t.get(b"head").ok_or_else(bad)?,
        *t.get(b"loca").ok_or_else(bad)?,
        *t.get(b"glyf").ok_or_else(bad)?,
        *t.get(b"maxp").ok_or_else(bad)?,
    );
    let glyph_count = usize::from(u16_at(maxp, 4).ok_or_else(bad)?);
    let long = u16_at(head, 50).ok_or_else(bad)? == 1;
    let offset = |g: usize| -> Option<usize> {
        if long {
            u32_at(loca, 4 * g).map(|v| v as usize)
        } else {
            u16_at(loca, 2 * g).map(|v| usize::from(v) * 2)
        }
    };
    let glyph = |g: usize| -> Option<&[u8]> { glyf.get(offset(g)?..offset(g + 1)?) };

    let mut keep = glyphs_for(data, words)?;
    keep.insert(0);
    let chars: BTreeSet<char> = words.iter().flat_map(|w| w.chars()).collect();
    let font = skrifa::FontRef::new(data).map_err(|e| e.to_string())?;
    let charmap = skrifa::MetadataProvider::charmap(&font);
    let mut map = BTreeMap::new();
    for c in chars {
        if let Some(g) = charmap.map(c) {
            let g = u16::try_from(g.to_u32()).unwrap_or(0);
            map.insert(c, g);
            keep.insert(g);
        }
    }
    // Composite glyphs need their parts.
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        for part in components(glyph(usize::from(g)).unwrap_or(&[])) {
            if keep.insert(part) {
                todo.push(part);
            }
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyph_count + 1));
    for g in 0..glyph_count {
        new_loca.extend((new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&(g as u16)) {
            new_glyf.extend_from_slice(glyph(g).ok_or_else(bad)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend((new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head[8..12].copy_from_slice(&[0; 4]);
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());

    let mut out_tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for (tag, bytes) in &t {
        // Tables of per-glyph device data and signatures no longer hold.
        if matches!(tag, b"DSIG" | b"hdmx" | b"LTSH" | b"VDMX") {
            continue;
        }
        out_tables.insert(*tag, bytes.to_vec());
    }
    out_tables.insert(*b"glyf", new_glyf);
    out_tables.insert(*b"loca", new_loca);
    out_tables.insert(*b"head", new_head);
    out_tables.insert(*b"cmap", cmap(&map));

    let n = out_tables.len() as u16;
    let mut pow = 1u16;
    while pow * 2 <= n {
        pow *= 2;
    }
    let mut out = Vec::new();
    out.extend(0x0001_0000u32.to_be_bytes());
    for v in [n, pow * 16, pow.trailing_zeros() as u16, n * 16 - pow * 16] {
        out.extend(v.to_be_bytes());
    }
    let mut at = 12 + 16 * out_tables.len();
    let mut body = Vec::new();
    let mut head_at = 0;
    for (tag, bytes) in &out_tables {
        out.extend(tag);
        out.extend(checksum(bytes).to_be_bytes());
        out.extend((at as u32).to_be_bytes());
        out.extend((bytes.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = at;
        }
        body.extend(bytes);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 12 + 16 * out_tables.len() + body.len();
    }
    out.extend(body);
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::MetadataProvider;

    #[test]
    fn the_subset_maps_the_words_characters_and_keeps_fewer_outlines() {
        let theme = Theme::embedded().unwrap();
        let data = theme.font("NotoNastaliqUrdu-Regular.ttf").unwrap();
        let words: BTreeSet<String> = ["پاکستان", "معدنیات", "۔"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let font = subset(&data, &words).unwrap();
        assert!(font.len() < data.len());
        let f = skrifa::FontRef::new(&font).unwrap();
        for c in "پاکستانمعدنیات۔".chars() {
            assert!(f.charmap().map(c).is_some(), "{c}");
        }
        assert!(f.charmap().map('ژ').is_none());
        assert_eq!(text_of("<p lang=\"ur\">سلام</p>"), " سلام ");
    }
}
