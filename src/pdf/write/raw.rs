//! Objects written straight as bytes, numbered after lopdf's, and the
//! cross-reference table that takes them in.
//!
//! A memo's structure tree has an element per paragraph, list item, table
//! row and cell: hundreds of thousands for a long table. As lopdf objects
//! each costs a kilobyte or two of dictionaries and names; as bytes it
//! costs what it takes in the file. lopdf serialises the rest of the
//! document; [`RawObjects::append_to`] then adds these objects after
//! lopdf's and rewrites the table and trailer that follow them.

use super::{Result, WriteError};

/// Objects numbered `first`, `first + 1`, … as their bytes.
pub(super) struct RawObjects {
    first: u32,
    bytes: Vec<u8>,
    /// Where each object starts in `bytes` (`usize::MAX` until written).
    starts: Vec<usize>,
}

impl RawObjects {
    /// Objects that will be numbered from `first`: one above the highest
    /// number lopdf writes.
    pub(super) fn new(first: u32) -> RawObjects {
        RawObjects {
            first,
            bytes: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// A number for an object written later with [`RawObjects::write`].
    pub(super) fn reserve(&mut self) -> u32 {
        self.starts.push(usize::MAX);
        self.first + self.starts.len() as u32 - 1
    }

    /// Writes object `id` (from [`RawObjects::reserve`]): `body` appends
    /// the object's value.
    pub(super) fn write(&mut self, id: u32, body: impl FnOnce(&mut Vec<u8>)) {
        let Some(slot) = id
            .checked_sub(self.first)
            .and_then(|i| self.starts.get_mut(i as usize))
        else {
            return;
        };
        *slot = self.bytes.len();
        self.bytes
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        body(&mut self.bytes);
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    /// `file`, a whole PDF that lopdf wrote with one cross-reference
    /// subsection (objects 0…first-1), with these objects added after its
    /// objects and the table, `/Size` and `startxref` that follow.
    pub(super) fn append_to(self, mut file: Vec<u8>) -> Result<Vec<u8>> {
        let bad = || WriteError::new("lopdf wrote an unexpected cross-reference table");
        if self.starts.contains(&usize::MAX) {
            return Err(WriteError::new("a structure element was never written"));
        }
        let tail_at = file.len().saturating_sub(64);
        let marker = b"startxref\n";
        let at = file[tail_at..]
            .windows(marker.len())
            .rposition(|w| w == marker)
            .ok_or_else(bad)?
            + tail_at;
        let number: String = file[at + marker.len()..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        let xref_at: usize = number.parse().map_err(|_| bad())?;
        let old = self.first as usize;
        let head = format!("xref\n0 {old}\n");
        let table = file.get(xref_at..).ok_or_else(bad)?;
        if !table.starts_with(head.as_bytes()) {
            return Err(bad());
        }
        let entries_at = xref_at + head.len();
        let trailer_at = entries_at + 20 * old;
        if !file
            .get(trailer_at..)
            .is_some_and(|t| t.starts_with(b"trailer\n"))
        {
            return Err(bad());
        }
        let entries = file[entries_at..trailer_at].to_vec();
        let old_size = format!("/Size {old}");
        let trailer = String::from_utf8_lossy(&file[trailer_at..at]).into_owned();
        let size_at = trailer
            .match_indices(&old_size)
            .find(|(i, _)| !trailer[i + old_size.len()..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| i)
            .ok_or_else(bad)?;
        let total = old + self.starts.len();
        let trailer = format!(
            "{}/Size {total}{}",
            &trailer[..size_at],
            &trailer[size_at + old_size.len()..]
        );

        file.truncate(xref_at);
        let base = file.len();
        file.reserve(self.bytes.len() + 20 * total + trailer.len() + 64);
        file.extend_from_slice(&self.bytes);
        let xref_at = file.len();
        file.extend_from_slice(format!("xref\n0 {total}\n").as_bytes());
        file.extend_from_slice(&entries);
        for start in &self.starts {
            file.extend_from_slice(format!("{:010} 00000 n \n", base + start).as_bytes());
        }
        file.extend_from_slice(trailer.as_bytes());
        file.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF").as_bytes());
        Ok(file)
    }
}

/// Appends a PDF name (`/Name`), escaping bytes outside the regular set.
pub(super) fn name(out: &mut Vec<u8>, name: &str) {
    out.push(b'/');
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

/// Appends a PDF text string: hex bytes, UTF-16BE with BOM when not ASCII.
pub(super) fn text(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut bytes: Vec<u8> = Vec::with_capacity(s.len() * 2 + 2);
    if s.is_ascii() {
        bytes.extend_from_slice(s.as_bytes());
    } else {
        bytes.extend_from_slice(&[0xFE, 0xFF]);
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    }
    out.push(b'<');
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
    out.push(b'>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_are_hex_and_utf16_when_not_ascii() {
        let mut out = Vec::new();
        text(&mut out, "A(b)");
        assert_eq!(out, b"<41286229>");
        out.clear();
        text(&mut out, "é");
        assert_eq!(out, b"<FEFF00E9>");
    }

    #[test]
    fn names_escape_what_a_name_cannot_hold() {
        let mut out = Vec::new();
        name(&mut out, "TH Row#");
        assert_eq!(out, b"/TH#20Row#23");
    }

    #[test]
    fn a_table_that_is_not_lopdfs_is_an_error_not_a_broken_file() {
        let mut raw = RawObjects::new(3);
        let id = raw.reserve();
        raw.write(id, |o| o.extend_from_slice(b"null"));
        assert!(raw.append_to(b"%PDF-1.7\nnot a pdf".to_vec()).is_err());
    }
}
