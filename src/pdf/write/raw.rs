//! Objects written straight as bytes, numbered after lopdf's, packed into
//! compressed object streams, and the cross-reference stream that takes
//! them in with lopdf's objects.
//!
//! What grows with the document is written here: the pages and their
//! content streams, the structure tree (an element per paragraph, list
//! item, table row and cell: hundreds of thousands for a long table), link
//! annotations and the outline. As lopdf objects each costs a kilobyte or
//! two of dictionaries and names; as bytes it costs what it takes in the
//! file, and packed a hundred to a deflated object stream (PDF 1.5) about
//! a fifth of that: a memo of a 20,000-row table is 2 MB, not 11. lopdf
//! serialises the rest of the document (fonts, images, the catalog) first;
//! [`RawObjects::start`] takes that file, replaces its cross-reference
//! table and trailer, and these objects are then written straight into it,
//! each let go of as it is; [`RawObjects::finish`] ends it with one
//! cross-reference stream (object streams need one).

use super::finish::{deflate_with, Compressor};
use super::{Result, WriteError};

/// Objects numbered `first`, `first + 1`, …: packed into object streams
/// as they are written, or written whole (streams), straight into the
/// file once lopdf's part of it is there ([`RawObjects::start`]).
pub(super) struct RawObjects {
    first: u32,
    /// Where each object is.
    places: Vec<Place>,
    /// The file from [`RawObjects::start`] on, its objects at their
    /// offsets; before, objects written early, moved into it there.
    bytes: Vec<u8>,
    /// lopdf's part of the file, once [`RawObjects::start`] took it: its
    /// cross-reference entries (7 bytes each, as the stream has them) and
    /// its trailer's entries but `/Size`.
    lopdfs: Option<(Vec<u8>, String)>,
    /// The objects written since the last object stream: each one's number
    /// and where it starts in `body`.
    pack: Vec<(u32, usize)>,
    body: Vec<u8>,
    z: Compressor,
}

/// Where an object is; 8 bytes, as a long table's memo has a million.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// Reserved, not written yet.
    Unwritten,
    /// Object stream number `stream`, its `index`th object.
    Packed { stream: u32, index: u8 },
    /// At this offset in `bytes` (saturated: a file of 4 GB is refused
    /// when it is finished).
    At(u32),
}

/// Objects in one object stream (as qpdf and most writers pack them).
const PACK: usize = 100;

impl RawObjects {
    /// Objects that will be numbered from `first`: one above the highest
    /// number lopdf writes.
    pub(super) fn new(first: u32) -> RawObjects {
        RawObjects {
            first,
            places: Vec::new(),
            bytes: Vec::new(),
            lopdfs: None,
            pack: Vec::new(),
            body: Vec::new(),
            z: super::finish::compressor(),
        }
    }

    /// A number for an object written later with [`RawObjects::write`].
    pub(super) fn reserve(&mut self) -> u32 {
        self.places.push(Place::Unwritten);
        self.first + self.places.len() as u32 - 1
    }

    /// Whether `id` is reserved and not written yet (an object is written
    /// once).
    fn unwritten(&self, id: u32) -> bool {
        id.checked_sub(self.first)
            .and_then(|i| self.places.get(i as usize))
            .is_some_and(|p| *p == Place::Unwritten)
    }

    /// Writes object `id` (from [`RawObjects::reserve`]): `body` appends
    /// the object's value. An object is written once; its value holds no
    /// stream.
    pub(super) fn write(&mut self, id: u32, body: impl FnOnce(&mut Vec<u8>)) {
        if !self.unwritten(id) {
            return;
        }
        if !self.body.is_empty() {
            self.body.push(b'\n');
        }
        self.pack.push((id, self.body.len()));
        body(&mut self.body);
        let index = self.pack.len() as u8 - 1;
        self.places[(id - self.first) as usize] = Place::Packed { stream: 0, index };
        if self.pack.len() == PACK {
            self.seal();
        }
    }

    /// Writes stream object `id` (from [`RawObjects::reserve`]) whole, not
    /// packed: `dict` the entries of its dictionary but `/Length`, `data`
    /// its bytes as they are (already encoded). `data` is let go of at
    /// once: a page's content is then only in the file.
    pub(super) fn write_stream(&mut self, id: u32, dict: &[u8], data: Vec<u8>) {
        if !self.unwritten(id) {
            return;
        }
        let at = self.offset();
        self.places[(id - self.first) as usize] = Place::At(at);
        self.bytes
            .extend_from_slice(format!("{id} 0 obj\n<<").as_bytes());
        self.bytes.extend_from_slice(dict);
        self.bytes
            .extend_from_slice(format!("/Length {}>>stream\n", data.len()).as_bytes());
        self.bytes.extend_from_slice(&data);
        drop(data);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Where the next object written whole starts.
    fn offset(&self) -> u32 {
        u32::try_from(self.bytes.len()).unwrap_or(u32::MAX)
    }

    /// Writes the objects since the last object stream as one more.
    fn seal(&mut self) {
        if self.pack.is_empty() {
            return;
        }
        let stream = self.reserve();
        let count = self.pack.len();
        let mut data = Vec::with_capacity(self.pack.len() * 12 + self.body.len());
        for (i, (id, at)) in self.pack.iter().enumerate() {
            if i > 0 {
                data.push(b' ');
            }
            data.extend_from_slice(format!("{id} {at}").as_bytes());
        }
        data.push(b'\n');
        let first = data.len();
        data.extend_from_slice(&self.body);
        let packed = deflate_with(&mut self.z, &data);
        for (id, _) in self.pack.drain(..) {
            if let Some(Place::Packed { stream: s, .. }) =
                self.places.get_mut((id - self.first) as usize)
            {
                *s = stream;
            }
        }
        self.body.clear();
        self.places[(stream - self.first) as usize] = Place::At(self.offset());
        self.bytes.extend_from_slice(
            format!(
                "{stream} 0 obj\n<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>\
                 stream\n",
                count,
                packed.len()
            )
            .as_bytes(),
        );
        self.bytes.extend_from_slice(&packed);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Takes `file`, a whole PDF that lopdf wrote with one cross-reference
    /// subsection (objects 0…first-1): its table and trailer are taken
    /// off, and the objects written from here on go straight after its
    /// objects (those written before are moved there now).
    /// [`RawObjects::finish`] then ends the file with one cross-reference
    /// stream for them all.
    pub(super) fn start(&mut self, mut file: Vec<u8>) -> Result<()> {
        let bad = || WriteError::new("lopdf wrote an unexpected cross-reference table");
        if self.lopdfs.is_some() {
            return Err(WriteError::new("the file was started twice"));
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
        let dict = file
            .get(trailer_at..at)
            .and_then(|t| t.strip_prefix(b"trailer\n"))
            .map(|t| String::from_utf8_lossy(t).trim().to_string())
            .ok_or_else(bad)?;
        let dict = dict
            .strip_prefix("<<")
            .and_then(|d| d.strip_suffix(">>"))
            .ok_or_else(bad)?;
        let old_size = format!("/Size {old}");
        let size_at = dict
            .match_indices(&old_size)
            .find(|(i, _)| !dict[i + old_size.len()..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| i)
            .ok_or_else(bad)?;
        let rest = format!("{}{}", &dict[..size_at], &dict[size_at + old_size.len()..]);
        let mut entries = Vec::with_capacity(7 * old);
        for line in file[entries_at..trailer_at].chunks(20) {
            let text = std::str::from_utf8(line).map_err(|_| bad())?;
            let offset: usize = text
                .get(..10)
                .and_then(|t| t.parse().ok())
                .ok_or_else(bad)?;
            let generation: u16 = text
                .get(11..16)
                .and_then(|t| t.parse().ok())
                .ok_or_else(bad)?;
            let kind = match text.as_bytes().get(17) {
                Some(b'n') => 1,
                Some(b'f') => 0,
                _ => return Err(bad()),
            };
            entry(&mut entries, kind, offset, generation);
        }
        file.truncate(xref_at);
        // Objects written before: after lopdf's, their offsets moved.
        let base = u32::try_from(file.len()).unwrap_or(u32::MAX);
        for place in &mut self.places {
            if let Place::At(offset) = place {
                *offset = offset.saturating_add(base);
            }
        }
        file.append(&mut self.bytes);
        self.bytes = file;
        self.lopdfs = Some((entries, rest));
        Ok(())
    }

    /// Ends the file of [`RawObjects::start`] with the cross-reference
    /// stream of all its objects. Returns the file and where the stream's
    /// dictionary (which holds the trailer's entries, `/ID` among them)
    /// starts.
    pub(super) fn finish(mut self) -> Result<(Vec<u8>, usize)> {
        self.seal();
        let Some((mut entries, rest)) = self.lopdfs.take() else {
            return Err(WriteError::new("the file was never started"));
        };
        if self.places.contains(&Place::Unwritten) {
            return Err(WriteError::new("an object was never written"));
        }
        // Entries of 7 bytes: type, offset or object stream, generation
        // or index.
        let xref = self.reserve();
        let old = self.first as usize;
        let total = old + self.places.len();
        let stream_at = self.bytes.len();
        if u32::try_from(stream_at).is_err() {
            return Err(WriteError::new("the PDF would be larger than 4 GB"));
        }
        entries.reserve(7 * self.places.len());
        for (i, place) in self.places.iter().enumerate() {
            match *place {
                Place::Packed { stream, index } => {
                    entry(&mut entries, 2, stream as usize, u16::from(index))
                }
                Place::At(offset) => entry(&mut entries, 1, offset as usize, 0),
                Place::Unwritten if i + 1 == self.places.len() => {
                    entry(&mut entries, 1, stream_at, 0)
                }
                Place::Unwritten => return Err(WriteError::new("an object was never written")),
            }
        }
        let packed = deflate_with(&mut self.z, &entries);
        let mut file = self.bytes;
        file.reserve(packed.len() + rest.len() + 160);
        file.extend_from_slice(format!("{xref} 0 obj\n").as_bytes());
        let dict_at = file.len();
        file.extend_from_slice(
            format!(
                "<</Type/XRef/Size {total}/W[1 4 2]/Filter/FlateDecode/Length {}{rest}>>stream\n",
                packed.len()
            )
            .as_bytes(),
        );
        file.extend_from_slice(&packed);
        file.extend_from_slice(
            format!("\nendstream\nendobj\nstartxref\n{stream_at}\n%%EOF").as_bytes(),
        );
        Ok((file, dict_at))
    }

    /// [`RawObjects::start`] and [`RawObjects::finish`] at once: `file`
    /// with these objects after lopdf's.
    #[cfg(test)]
    pub(super) fn append_to(mut self, file: Vec<u8>) -> Result<(Vec<u8>, usize)> {
        self.start(file)?;
        self.finish()
    }
}

/// Appends a cross-reference stream entry of 7 bytes: type, offset or
/// object stream, generation or index.
fn entry(entries: &mut Vec<u8>, kind: u8, field: usize, last: u16) {
    entries.push(kind);
    entries.extend_from_slice(&(field as u32).to_be_bytes());
    entries.extend_from_slice(&last.to_be_bytes());
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

/// Appends numbers, a space between them, as content streams write them
/// (to a thousandth, no exponent).
pub(super) fn numbers(out: &mut Vec<u8>, values: &[f32]) {
    let mut s = super::content::Stream::default();
    s.nums(values);
    out.extend_from_slice(s.into_bytes().trim_ascii_end());
}

/// Appends a destination: page object `page`, scrolled so that `top`
/// (from the page's bottom edge) is at the top of the window.
pub(super) fn destination(out: &mut Vec<u8>, page: u32, top: f32) {
    out.extend_from_slice(format!("[{page} 0 R/XYZ 0 ").as_bytes());
    numbers(out, &[top]);
    out.extend_from_slice(b" null]");
}

/// Appends a PDF byte string (a URI): literal, with `(`, `)` and `\\`
/// escaped and bytes outside printable ASCII in octal.
pub(super) fn bytes(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'(');
    for &b in s {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0x20..=0x7E => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_strings_escape_delimiters_and_non_ascii() {
        let mut out = Vec::new();
        bytes(&mut out, "a(b)\\c é\n".as_bytes());
        assert_eq!(out, b"(a\\(b\\)\\\\c \\303\\251\\012)".to_vec());
    }

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

    #[test]
    fn packed_objects_read_back_whole_with_lopdfs_own() {
        use lopdf_printpdf as lo;
        // A small document as lopdf writes it: a catalog, its pages, an Info.
        let mut doc = lo::Document::with_version("1.7");
        // As printpdf has it write.
        doc.reference_table.cross_reference_type = lo::xref::XrefType::CrossReferenceTable;
        let pages = doc.new_object_id();
        doc.objects.insert(
            pages,
            lo::Object::Dictionary(lo::dictionary! {
                "Type" => "Pages", "Kids" => vec![], "Count" => 0
            }),
        );
        let catalog = doc.add_object(lo::dictionary! {
            "Type" => "Catalog", "Pages" => pages
        });
        let info = doc.add_object(lo::dictionary! { "Title" => lo::Object::string_literal("T") });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let mut lopdfs = Vec::new();
        doc.save_to(&mut lopdfs).unwrap();

        // 250 objects (three object streams), numbered from 4, reserved
        // first and written last to first, each naming the one before it.
        let mut raw = RawObjects::new(doc.max_id + 1);
        let ids: Vec<u32> = (0..250).map(|_| raw.reserve()).collect();
        for (i, &id) in ids.iter().enumerate().rev() {
            raw.write(id, |o| {
                o.extend_from_slice(
                    format!("<</N {i}/Prev {} 0 R>>", ids[i.saturating_sub(1)]).as_bytes(),
                )
            });
        }
        let (file, dict_at) = raw.append_to(lopdfs).unwrap();
        assert!(file[dict_at..].starts_with(b"<</Type/XRef/Size 258/W[1 4 2]"));
        assert!(file.ends_with(b"%%EOF"));

        let read = lopdf::Document::load_mem(&file).unwrap();
        let title = read.trailer.get(b"Info").unwrap().as_reference().unwrap();
        assert_eq!(
            read.get_dictionary(title)
                .unwrap()
                .get(b"Title")
                .unwrap()
                .as_str()
                .unwrap(),
            b"T"
        );
        for (i, &id) in ids.iter().enumerate() {
            let d = read.get_dictionary((id, 0)).unwrap();
            assert_eq!(d.get(b"N").unwrap().as_i64().unwrap(), i as i64);
            let prev = d.get(b"Prev").unwrap().as_reference().unwrap();
            assert_eq!(prev.0, ids[i.saturating_sub(1)]);
        }
        // None of them is written out as a plain object.
        let text = String::from_utf8_lossy(&file);
        assert_eq!(text.matches("/Type/ObjStm").count(), 3);
        assert!(!text.contains("/Prev "), "an object left unpacked");
    }
}
