//! A font's `/ToUnicode` CMap: the text of each CID, for extraction and
//! search. The same bytes as printpdf's `ToUnicodeCMap::to_cmap_string`
//! (its layout: `bfchar` blocks of at most 100 entries, grouped by the
//! CID's high byte, targets in UTF-16BE), written straight into one buffer
//! instead of a formatted string per entry (3 % of a memo's instructions).

/// The CMap of a font named `name` whose CID `i` stands for `texts[i]`
/// (CIDs without text are left out).
pub(super) fn to_unicode_cmap<T: AsRef<str>>(name: &str, texts: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(640 + 20 * texts.len());
    out.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n\n12 dict begin\n\nbegincmap\n\n%!PS-Adobe-3.0 \
          Resource-CMap\n%%DocumentNeededResources: procset CIDInit\n%%IncludeResource: \
          procset CIDInit\n\n/CIDSystemInfo 3 dict dup begin\n/Registry (FontSpecific) \
          def\n/Ordering (",
    );
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b") def\n/Supplement 0 def\nend def\n\n/CMapName /FontSpecific-");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(
        b" def\n/CMapVersion 1 def\n/CMapType 2 def\n/WMode 0 def\n\n1 \
          begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // Entries grouped by their CID's high byte, in CID order within a
    // group (CIDs ascend, so a stable sort by the group keeps that order).
    let mut entries: Vec<(u32, &str)> = texts
        .iter()
        .enumerate()
        .map(|(cid, t)| (cid as u32, t.as_ref()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    entries.sort_by_key(|&(cid, _)| (cid >> 8) & 0xFF);
    for group in entries.chunk_by(|a, b| (a.0 >> 8) & 0xFF == (b.0 >> 8) & 0xFF) {
        for chunk in group.chunks(100) {
            out.extend_from_slice(format!("{} beginbfchar\n", chunk.len()).as_bytes());
            for &(cid, text) in chunk {
                out.push(b'<');
                hex4(&mut out, cid);
                out.extend_from_slice(b"> <");
                let mut units = [0u16; 2];
                for c in text.chars() {
                    for &unit in c.encode_utf16(&mut units).iter() {
                        hex4(&mut out, u32::from(unit));
                    }
                }
                out.extend_from_slice(b">\n");
            }
            out.extend_from_slice(b"endbfchar\n");
        }
    }
    out.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// `v` in upper-case hexadecimal, at least four digits (`{:04X}`).
fn hex4(out: &mut Vec<u8>, v: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if v > 0xFFFF {
        out.extend_from_slice(format!("{v:04X}").as_bytes());
        return;
    }
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((v >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::to_unicode_cmap;

    /// printpdf's CMap of the same texts.
    fn printpdf_cmap(name: &str, texts: &[String]) -> String {
        let mappings = texts
            .iter()
            .enumerate()
            .map(|(cid, t)| (cid as u32, t.chars().map(u32::from).collect()))
            .collect();
        printpdf::ToUnicodeCMap { mappings }.to_cmap_string(name)
    }

    #[test]
    fn the_cmap_has_printpdfs_bytes() {
        // Empty (.notdef and glyphs without text), ligatures, Urdu,
        // characters beyond the BMP, and enough CIDs for several blocks of
        // 100 and high bytes.
        let mut texts: Vec<String> = vec![String::new(), "ffi".into(), "ے".into(), "😀a".into()];
        for i in 0..700u32 {
            let c = char::from_u32(0x41 + (i * 37) % 0x2000).unwrap_or('x');
            texts.push(if i % 9 == 0 {
                String::new()
            } else {
                c.to_string()
            });
        }
        for name in ["F0", "F12"] {
            let ours = to_unicode_cmap(name, &texts);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                printpdf_cmap(name, &texts)
            );
        }
        assert_eq!(
            to_unicode_cmap::<String>("F1", &[]),
            printpdf_cmap("F1", &[]).into_bytes()
        );
    }
}
