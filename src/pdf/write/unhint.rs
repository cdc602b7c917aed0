//! TrueType hinting taken out of an embedded font subset.
//!
//! Hinting is bytecode that grid-fits outlines for low-resolution screens:
//! the font programs (`fpgm`, `prep`, `cvt `) and instructions inside each
//! glyph. PDF viewers draw embedded fonts without it (Acrobat, PDFium,
//! pdf.js, Preview, poppler and MuPDF use their own rendering), and the
//! subsetter already drops it for variable fonts. In the default theme's
//! Noto subsets it is half of every font's bytes: 46 KB of an example
//! memo's 90 KB of fonts, written and deflated for every memo and copy.
//!
//! [`strip`] rewrites a subset without it: outlines, metrics and every
//! other table stay byte for byte, glyphs keep their ids. A font it
//! cannot read is returned as it came (the subsetter made it; nothing is
//! lost but bytes).

/// Tables only hinting uses.
const HINTING: [&[u8; 4]; 6] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"];

/// `flags` of a composite glyph component.
const ARG_WORDS: u16 = 0x0001;
const HAVE_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const HAVE_XY_SCALE: u16 = 0x0040;
const HAVE_TWO_BY_TWO: u16 = 0x0080;
const HAVE_INSTRUCTIONS: u16 = 0x0100;

/// `font` without hinting; `font` itself when it has none or cannot be
/// read as TrueType.
pub(super) fn strip(font: Vec<u8>) -> Vec<u8> {
    match unhinted(&font) {
        Some(out) => out,
        None => font,
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

struct Table<'a> {
    tag: [u8; 4],
    data: &'a [u8],
}

fn tables(font: &[u8]) -> Option<Vec<Table<'_>>> {
    let version = u32_at(font, 0)?;
    if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
        return None;
    }
    let count = usize::from(u16_at(font, 4)?);
    (0..count)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag = font.get(rec..rec + 4)?.try_into().ok()?;
            let offset = u32_at(font, rec + 8)? as usize;
            let len = u32_at(font, rec + 12)? as usize;
            let data = font.get(offset..offset.checked_add(len)?)?;
            Some(Table { tag, data })
        })
        .collect()
}

/// `font` as the subsetter should read it, made once a process: without
/// hinting tables (each subset copied them, and [`strip`] dropped them)
/// and without glyph names (`post` version 3; the subsetter read all of a
/// Noto font's 3,700 names for every subset, and no PDF reader uses
/// them). `None` when `font` has neither or cannot be read as TrueType.
pub(super) fn subset_source(font: &[u8]) -> Option<Vec<u8>> {
    let tables = tables(font)?;
    let post = tables.iter().find(|t| &t.tag == b"post")?.data;
    let named = u32_at(post, 0)? == 0x0002_0000 && post.len() >= 32;
    if !named && !tables.iter().any(|t| HINTING.contains(&&t.tag)) {
        return None;
    }
    let mut new_post = post.to_vec();
    if named {
        new_post.truncate(32);
        new_post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    }
    let mut head = tables.iter().find(|t| &t.tag == b"head")?.data.to_vec();
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let mut out: Vec<(&[u8; 4], &[u8])> = tables
        .iter()
        .filter(|t| !HINTING.contains(&&t.tag))
        .map(|t| match &t.tag {
            b"post" => (&t.tag, &new_post[..]),
            b"head" => (&t.tag, &head[..]),
            _ => (&t.tag, t.data),
        })
        .collect();
    Some(assemble(&mut out))
}

fn unhinted(font: &[u8]) -> Option<Vec<u8>> {
    let tables = tables(font)?;
    let find = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag).map(|t| t.data);
    let (glyf, loca, head, maxp) = (
        find(b"glyf")?,
        find(b"loca")?,
        find(b"head")?,
        find(b"maxp")?,
    );
    let long_loca = match u16_at(head, 50)? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let glyphs = usize::from(u16_at(maxp, 4)?);
    let offset = |i: usize| -> Option<usize> {
        if long_loca {
            Some(u32_at(loca, 4 * i)? as usize)
        } else {
            Some(usize::from(u16_at(loca, 2 * i)?) * 2)
        }
    };

    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut offsets = Vec::with_capacity(glyphs + 1);
    let mut instructions = 0usize;
    for i in 0..glyphs {
        offsets.push(new_glyf.len());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        if end <= start {
            continue;
        }
        instructions += strip_glyph(glyf.get(start..end)?, &mut new_glyf)?;
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    offsets.push(new_glyf.len());
    if instructions == 0 && !tables.iter().any(|t| HINTING.contains(&&t.tag)) {
        return None;
    }

    // Short offsets count words up to 0x1FFFE bytes; past that, long ones.
    let long = new_glyf.len() > 0x1FFFE;
    let mut new_loca = Vec::with_capacity(offsets.len() * if long { 4 } else { 2 });
    for &o in &offsets {
        if long {
            new_loca.extend_from_slice(&u32::try_from(o).ok()?.to_be_bytes());
        } else {
            new_loca.extend_from_slice(&u16::try_from(o / 2).ok()?.to_be_bytes());
        }
    }
    let mut new_head = head.to_vec();
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&u16::from(long).to_be_bytes());
    // checkSumAdjustment is set once the file is whole.
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let mut new_maxp = maxp.to_vec();
    if u32_at(maxp, 0)? == 0x0001_0000 {
        // maxZones 1 (no twilight zone), then twilight points, storage,
        // function and instruction definitions, stack elements and the
        // size of instructions: all nothing.
        new_maxp
            .get_mut(14..16)?
            .copy_from_slice(&1u16.to_be_bytes());
        new_maxp.get_mut(16..28)?.fill(0);
    }

    let mut out: Vec<(&[u8; 4], &[u8])> = Vec::with_capacity(tables.len());
    for t in &tables {
        let data: &[u8] = match &t.tag {
            tag if HINTING.contains(&tag) => continue,
            b"glyf" => &new_glyf,
            b"loca" => &new_loca,
            b"head" => &new_head,
            b"maxp" => &new_maxp,
            _ => t.data,
        };
        out.push((&t.tag, data));
    }
    Some(assemble(&mut out))
}

/// Copies one glyph's description to `out` without its instructions;
/// returns how many bytes of instructions it had.
fn strip_glyph(glyph: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let contours = i16::from_be_bytes(glyph.get(0..2)?.try_into().ok()?);
    if contours >= 0 {
        let at = 10 + 2 * usize::try_from(contours).ok()?;
        let len = usize::from(u16_at(glyph, at)?);
        let rest = glyph.get(at + 2 + len..)?;
        out.extend_from_slice(glyph.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Some(len);
    }
    // A composite: its components as they are, the instructions flag
    // cleared, and the instructions after the last component left out.
    out.extend_from_slice(glyph.get(..10)?);
    let mut at = 10;
    let mut had = false;
    loop {
        let flags = u16_at(glyph, at)?;
        had |= flags & HAVE_INSTRUCTIONS != 0;
        let mut len = 4 + if flags & ARG_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            len += 2;
        } else if flags & HAVE_XY_SCALE != 0 {
            len += 4;
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            len += 8;
        }
        let component = glyph.get(at..at + len)?;
        out.extend_from_slice(&(flags & !HAVE_INSTRUCTIONS).to_be_bytes());
        out.extend_from_slice(component.get(2..)?);
        at += len;
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    let stripped = if had {
        usize::from(u16_at(glyph, at)?)
    } else {
        0
    };
    Some(stripped)
}

/// The sum of `data` as big-endian 32-bit words, the last one padded with
/// zeros. Whole words are read as they are (a copy per word into a padded
/// one took a call to `memmove` for every four bytes of a font).
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let rest = words.remainder();
    let mut sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    if !rest.is_empty() {
        let mut last = [0u8; 4];
        last[..rest.len()].copy_from_slice(rest);
        sum = sum.wrapping_add(u32::from_be_bytes(last));
    }
    sum
}

/// A TrueType file of `tables`, sorted by tag, each on a 4-byte boundary,
/// with its checksums and `head`'s checkSumAdjustment.
fn assemble(tables: &mut [(&[u8; 4], &[u8])]) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| **tag);
    let count = tables.len() as u16;
    let power = if count == 0 {
        0
    } else {
        15 - count.leading_zeros() as u16
    };
    let search = (1u16 << power) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&search.to_be_bytes());
    out.extend_from_slice(&power.to_be_bytes());
    out.extend_from_slice(&(count * 16 - search).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables.iter() {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables.iter() {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::outline::{DrawSettings, OutlinePen};

    #[test]
    fn a_checksum_pads_the_last_word_with_zeros() {
        assert_eq!(checksum(&[]), 0);
        assert_eq!(checksum(&[0, 0, 1, 2]), 0x0102);
        assert_eq!(checksum(&[0, 0, 1, 2, 3]), 0x0102 + 0x0300_0000);
        assert_eq!(
            checksum(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2, 1, 1]),
            1 + 0x0101_0000
        );
    }
    use skrifa::prelude::{LocationRef, Size};
    use skrifa::raw::{FontRef, TableProvider};
    use skrifa::{GlyphId, MetadataProvider};

    /// Every drawing command of a glyph, as text.
    #[derive(Default)]
    struct Path(String);

    impl OutlinePen for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x} {y}");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x} {y}");
        }
        fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
            self.0 += &format!("Q{a} {b} {x} {y}");
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0 += &format!("C{a} {b} {c} {d} {x} {y}");
        }
        fn close(&mut self) {
            self.0 += "Z";
        }
    }

    fn paths(font: &[u8]) -> Vec<String> {
        let face = FontRef::new(font).unwrap();
        let outlines = face.outline_glyphs();
        let count = face.maxp().unwrap().num_glyphs();
        (0..count)
            .map(|g| {
                let mut pen = Path::default();
                if let Some(glyph) = outlines.get(GlyphId::new(g.into())) {
                    let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                    glyph.draw(settings, &mut pen).unwrap();
                }
                pen.0
            })
            .collect()
    }

    fn theme_font(name: &str) -> Vec<u8> {
        let path = format!("{}/themes/default/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).unwrap()
    }

    fn subset(font: &[u8], text: &str) -> Vec<u8> {
        let face = FontRef::new(font).unwrap();
        let map = face.charmap();
        let mut gids: Vec<u16> = text
            .chars()
            .filter_map(|c| map.map(c))
            .map(|g| g.to_u32() as u16)
            .collect();
        gids.sort();
        gids.dedup();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
        subsetter::subset(font, 0, &remapper).unwrap()
    }

    #[test]
    fn outlines_and_metrics_stay_and_hinting_goes() {
        // Latin with accented (composite) letters, and Nastaliq.
        for (name, text) in [
            (
                "NotoSerif-Regular.ttf",
                "Antimony ore: Gilgit-Baltistan, Ünal, Çelik, Ōsaka ﬁ 0123",
            ),
            ("NotoSans-Bold.ttf", "Résumé à la carte — ÀÉÎÕÜ ǅ"),
            ("NotoNastaliqUrdu-Regular.ttf", "پاکستان میں اینٹیمنی"),
        ] {
            let hinted = subset(&theme_font(name), text);
            let plain = strip(hinted.clone());
            assert!(
                plain.len() * 10 < hinted.len() * 8,
                "{name}: {} -> {} bytes",
                hinted.len(),
                plain.len()
            );
            assert_eq!(paths(&plain), paths(&hinted), "{name}: outlines changed");
            let (a, b) = (
                FontRef::new(&hinted).unwrap(),
                FontRef::new(&plain).unwrap(),
            );
            assert!(
                b.fpgm().is_err() && b.prep().is_err() && b.cvt().is_err(),
                "{name}"
            );
            assert_eq!(
                b.hmtx().unwrap().offset_data().as_bytes(),
                a.hmtx().unwrap().offset_data().as_bytes()
            );
            assert_eq!(
                b.maxp().unwrap().num_glyphs(),
                a.maxp().unwrap().num_glyphs()
            );
            assert_eq!(b.maxp().unwrap().max_size_of_instructions(), Some(0));
            // No glyph keeps instructions.
            let glyf = b.glyf().unwrap();
            let loca = b.loca(None).unwrap();
            let mut composites = 0;
            for g in 0..b.maxp().unwrap().num_glyphs() {
                use skrifa::raw::tables::glyf::Glyph;
                match loca.get_glyf(GlyphId::new(g.into()), &glyf).unwrap() {
                    Some(Glyph::Simple(s)) => assert!(s.instructions().is_empty()),
                    Some(Glyph::Composite(c)) => {
                        composites += 1;
                        assert!(c.instructions().unwrap_or(&[]).is_empty());
                    }
                    None => {}
                }
            }
            // Accented Latin letters are composites in Noto.
            assert!(
                composites > 0 || name.contains("Nastaliq"),
                "{name}: no composite glyph tried"
            );
            // The whole file sums to the magic number; each table to its entry.
            assert_eq!(checksum(&plain), 0xB1B0_AFBA, "{name}");
            let count = usize::from(u16_at(&plain, 4).unwrap());
            for i in 0..count {
                let rec = 12 + 16 * i;
                let (off, len) = (
                    u32_at(&plain, rec + 8).unwrap() as usize,
                    u32_at(&plain, rec + 12).unwrap() as usize,
                );
                assert_eq!(off % 4, 0);
                if &plain[rec..rec + 4] != b"head" {
                    assert_eq!(
                        checksum(&plain[off..off + len]),
                        u32_at(&plain, rec + 4).unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn a_subset_of_the_prepared_source_differs_only_in_glyph_names() {
        for (name, text) in [
            (
                "NotoSerif-Regular.ttf",
                "Antimony ore: \u{dc}nal, \u{c7}elik \u{fb01} 0123",
            ),
            (
                "NotoNastaliqUrdu-Bold.ttf",
                "\u{67e}\u{627}\u{6a9}\u{633}\u{62a}\u{627}\u{646}",
            ),
        ] {
            let font = theme_font(name);
            let source = subset_source(&font).expect("a Noto font has names and hinting");
            let s = FontRef::new(&source).unwrap();
            assert_eq!(
                s.post().unwrap().version(),
                skrifa::raw::types::Version16Dot16::VERSION_3_0
            );
            assert!(
                s.fpgm().is_err() && s.prep().is_err() && s.cvt().is_err(),
                "{name}"
            );
            assert_eq!(
                subset_source(&source),
                None,
                "{name}: nothing left to take out"
            );
            let (old, new) = (strip(subset(&font, text)), strip(subset(&source, text)));
            let (a, b) = (FontRef::new(&old).unwrap(), FontRef::new(&new).unwrap());
            let tags = |f: &FontRef| -> Vec<_> {
                f.table_directory
                    .table_records()
                    .iter()
                    .map(|r| r.tag())
                    .collect()
            };
            assert_eq!(tags(&a), tags(&b), "{name}");
            for tag in tags(&a) {
                let (x, y) = (a.table_data(tag).unwrap(), b.table_data(tag).unwrap());
                if tag == skrifa::raw::types::Tag::new(b"post") {
                    // The header stays (italic angle, underline, pitch).
                    assert_eq!(&y.as_bytes()[4..32], &x.as_bytes()[4..32], "{name}");
                    assert!(y.len() == 32 && x.len() > 32, "{name}");
                } else if tag != skrifa::raw::types::Tag::new(b"head") {
                    assert_eq!(x.as_bytes(), y.as_bytes(), "{name}: {tag}");
                }
            }
            assert_eq!(paths(&new), paths(&old), "{name}");
        }
        assert_eq!(subset_source(b"not a font"), None);
    }

    #[test]
    fn what_it_cannot_read_or_need_not_change_comes_back_as_it_was() {
        for junk in [Vec::new(), b"not a font".to_vec(), vec![0, 1, 0, 0, 0, 9]] {
            assert_eq!(strip(junk.clone()), junk);
        }
        let hinted = subset(&theme_font("NotoSerif-Regular.ttf"), "abc");
        let plain = strip(hinted);
        assert_eq!(strip(plain.clone()), plain, "nothing left to take out");
        // Cut short anywhere: never a panic, the bytes come back.
        for cut in (0..plain.len()).step_by(97) {
            let short = plain[..cut].to_vec();
            assert_eq!(strip(short.clone()), short);
        }
    }
}
