//! Reading a project's files safely, for every stage that loads: size
//! limits, UTF-8 and control characters reported where they are, paths
//! shown relative to the project, and whether a path (links resolved)
//! stays inside it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{line_col, Error, Kind};

/// Files larger than this are refused: content is hand-written text.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;
/// Assets (images) larger than this are refused.
pub const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;

/// The end of a text read from a file, from a byte offset: a Markdown
/// file's body after its front matter. It shares the text read rather
/// than copying it, so a project's briefs are held once, not twice (10,000
/// briefs: 79 MB less, and as many fewer pages of memory to fault in).
#[derive(Clone)]
pub struct TextTail {
    text: Arc<String>,
    from: usize,
}

impl TextTail {
    /// `text` from byte `from` on (the whole text if `from` is not on a
    /// character's boundary, which a caller never gives).
    pub fn new(text: Arc<String>, from: usize) -> TextTail {
        let from = if text.is_char_boundary(from) { from } else { 0 };
        TextTail { text, from }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.from..).unwrap_or_default()
    }
}

impl std::ops::Deref for TextTail {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for TextTail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Reads a text file, refusing huge files and reporting where UTF-8 breaks.
/// `shown` is the path printed in messages.
pub fn read_text(abs: &Path, shown: &Path) -> Result<String, Error> {
    let io = |e: std::io::Error| Error::io(shown, "read file", &e).with_kind(Kind::Content);
    let too_large = |len: u64| {
        Error::in_file(
            shown,
            format!(
                "file is too large ({len} bytes; orepress reads text files of {} MiB at most)",
                MAX_TEXT_BYTES >> 20
            ),
        )
    };
    // Opened once: its size from the open file, then its bytes.
    let (file, meta) = open_regular_meta(abs).map_err(io)?;
    let bytes = read_within(file, meta.len(), MAX_TEXT_BYTES)
        .map_err(io)?
        .map_err(too_large)?;
    let mut s = match utf16(&bytes) {
        Some(decoded) => decoded.map_err(|(line, col)| {
            Error::at(shown, line, col, "file is not valid UTF-16")
                .with_hint("save the file with UTF-8 encoding")
        })?,
        None => String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = line_col(&prefix, valid);
            Error::at(shown, line, col, "file is not valid UTF-8")
                .with_hint("save the file with UTF-8 encoding")
        })?,
    };
    if s.starts_with('\u{feff}') {
        s.remove(0);
    }
    // Lines ended by a carriage return alone (classic Mac OS) are read as
    // ended by a line feed, byte for byte, so every offset and line number
    // stays the file's (Markdown and YAML take a lone CR as a line end
    // too; a file of such lines had "missing front matter").
    // A file of CRLF lines (saved on Windows) is left as it is, uncopied.
    let lone_cr = |b: &[u8], i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if s.match_indices('\r').any(|(i, _)| lone_cr(s.as_bytes(), i)) {
        let mut bytes = s.into_bytes();
        for i in 0..bytes.len() {
            if lone_cr(&bytes, i) {
                bytes[i] = b'\n';
            }
        }
        // Only ASCII bytes were changed, for ASCII: still UTF-8.
        s = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
    // Web pages, feeds and PDF metadata are XML or close to it:
    // no control character may reach them.
    if let Some(at) = first_control(&s) {
        let (line, col) = line_col(&s, at);
        let c = s[at..].chars().next().unwrap_or_default();
        let (what, hint) = refusal(c);
        return Err(Error::at(
            shown,
            line,
            col,
            format!("{what} U+{:04X} in the text", c as u32),
        )
        .with_hint(hint));
    }
    Ok(s)
}

/// Opens `path` (links followed) for reading when it is a regular file.
/// A named pipe, socket, device or folder is refused at once: reading a
/// pipe that nobody writes to, or a device such as `/dev/zero`, would
/// never end.
pub fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    open_regular_with(path, fs::OpenOptions::new().read(true))
}

/// As [`open_regular`], opened with `options` (to write a lock file, say).
pub fn open_regular_with(path: &Path, options: &mut fs::OpenOptions) -> std::io::Result<fs::File> {
    open_regular_meta_with(path, options).map(|(file, _)| file)
}

/// As [`open_regular`], with the file's metadata (taken once, from the open
/// file).
pub fn open_regular_meta(path: &Path) -> std::io::Result<(fs::File, fs::Metadata)> {
    open_regular_meta_with(path, fs::OpenOptions::new().read(true))
}

fn open_regular_meta_with(
    path: &Path,
    options: &mut fs::OpenOptions,
) -> std::io::Result<(fs::File, fs::Metadata)> {
    let not_regular = |meta: &fs::Metadata| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", file_kind(meta)),
        )
    };
    // Without O_NONBLOCK, opening a pipe waits for a writer (or, to
    // write, for a reader).
    #[cfg(target_os = "linux")]
    let file = {
        use std::os::unix::fs::OpenOptionsExt as _;
        options
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)?
    };
    // Elsewhere the kind is looked at before opening as well.
    #[cfg(not(target_os = "linux"))]
    let file = {
        if let Some(meta) = fs::metadata(path).ok().filter(|m| !m.is_file()) {
            return Err(not_regular(&meta));
        }
        options.open(path)?
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    // O_NONBLOCK stays: Linux reads and writes a regular file the same
    // with it.
    Ok((file, meta))
}

/// The bytes of the regular file `path` ([`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let (file, meta) = open_regular_meta(path)?;
    read_open(file, meta.len(), u64::MAX - 1)
}

/// The bytes of the open `file` (`len` long when it was opened), or
/// `Err(length)` for a file over `limit` bytes: not read at all when its
/// length says so, and not read past the limit when it grew while it was
/// read.
pub fn read_within(file: fs::File, len: u64, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    if len > limit {
        return Ok(Err(len));
    }
    let bytes = read_open(file, len, limit)?;
    Ok(if bytes.len() as u64 > limit {
        Err(bytes.len() as u64)
    } else {
        Ok(bytes)
    })
}

/// The bytes of the open `file`, `len` long when it was opened, and at most
/// `limit` + 1 of them (more tells that the file is over `limit`). Read
/// into a buffer of that length at once: no second look at the file's size
/// and position, as `read_to_end` on a file takes (two system calls a file,
/// 20,000 for a 10,000-brief project).
fn read_open(file: fs::File, len: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::with_capacity(len.min(limit) as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of the regular file `path` ([`open_regular`]).
pub fn read_regular_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// What kind of file system entry `meta` is, in words.
pub fn file_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.is_file() {
        "a file"
    } else {
        "not a file"
    }
}

/// What a refused character ([`is_refused`]) is called, and what to do.
pub fn refusal(c: char) -> (&'static str, &'static str) {
    if is_override(c) {
        (
            "bidirectional override",
            "remove it: it shows the text after it in reverse order, so that what a reader sees \
             is not what is written (right-to-left text such as Urdu needs no override)",
        )
    } else if c.is_control() {
        (
            "control character",
            "remove it: web pages, feeds and PDFs cannot carry it",
        )
    } else {
        (
            "noncharacter",
            "remove it: web pages, feeds and PDFs cannot carry it",
        )
    }
}

/// Texts read by an earlier load of this process (`serve`), by file: a
/// file is read again only when the watcher named it since, or its size,
/// modification or change time or inode is not what it was when it was
/// read. Saving one brief of 10,000 reads one file, not 10,000.
#[derive(Default)]
pub struct TextCache {
    /// The texts the last load read, and those this one has read.
    texts: std::sync::Mutex<(Texts, Texts)>,
}

type Texts = std::collections::HashMap<PathBuf, (Stamp, Arc<String>)>;

impl std::fmt::Debug for TextCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TextCache")
    }
}

/// What tells one version of a file from the next without reading it.
#[derive(Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The change time (set by the system on every write, never by a
    /// tool restoring dates), the inode and the device: a file replaced
    /// by another of the same size and date is another file.
    #[cfg(unix)]
    changed: (i64, i64, u64, u64),
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec(), meta.ino(), meta.dev()),
        }
    }
}

impl TextCache {
    /// [`read_text`], taken from the cache when the file is as it was.
    pub fn read(&self, abs: &Path, shown: &Path) -> Result<Arc<String>, Error> {
        // Stamped before it is read: a write in between makes the stamp
        // old, and the file is read again next time.
        let stamp = fs::metadata(abs).ok().map(|m| Stamp::of(&m));
        if let (Some(stamp), Ok(mut guard)) = (&stamp, self.texts.lock()) {
            let (last, now) = &mut *guard;
            if let Some(hit) = now.get(abs).or_else(|| last.get(abs)) {
                if hit.0 == *stamp {
                    let text = hit.1.clone();
                    if let Some(hit) = last.remove(abs) {
                        now.insert(abs.to_path_buf(), hit);
                    }
                    return Ok(text);
                }
            }
        }
        let text = Arc::new(read_text(abs, shown)?);
        if let (Some(stamp), Ok(mut guard)) = (stamp, self.texts.lock()) {
            guard.1.insert(abs.to_path_buf(), (stamp, text.clone()));
        }
        Ok(text)
    }

    /// Reads again whatever is at or under `path` (a file or a folder the
    /// watcher saw change).
    pub fn forget(&self, path: &Path) {
        if let Ok(mut guard) = self.texts.lock() {
            let (last, now) = &mut *guard;
            for texts in [last, now] {
                if texts.remove(path).is_none() {
                    texts.retain(|p, _| !p.starts_with(path));
                }
            }
        }
    }

    /// Reads every file again (the watcher lost track of changes).
    pub fn clear(&self) {
        if let Ok(mut guard) = self.texts.lock() {
            *guard = Default::default();
        }
    }

    /// Ends a load: the texts it read are kept for the next, the others
    /// (files deleted or renamed since) let go of.
    pub fn finish_load(&self) {
        if let Ok(mut guard) = self.texts.lock() {
            let (last, now) = &mut *guard;
            let read = now.len();
            *last = std::mem::replace(now, Texts::with_capacity(read));
        }
    }
}

/// A text saved as UTF-16 with its byte order mark (what Windows calls
/// "Unicode", and spreadsheets' "Unicode text"), decoded; `None` for any
/// other file. A broken surrogate pair is an error at its line and column.
fn utf16(bytes: &[u8]) -> Option<Result<String, (usize, usize)>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        // An odd byte at the end: never a whole character.
        _ => 0xDC00,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                let at = text.len();
                return Some(Err(line_col(&text, at)));
            }
        }
    }
    Some(Ok(text))
}

/// Whether `path`, with every symbolic link resolved, lies inside the
/// project whose canonical root is `canon_root`.
pub fn inside(canon_root: &Path, path: &Path) -> bool {
    path.canonicalize()
        .map(|p| p.starts_with(canon_root))
        .unwrap_or(false)
}

/// `path` relative to `root`, or as it is.
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Where the first refused character ([`is_refused`]) is in `s`: a
/// control character other than tab, line feed and carriage return (what
/// `char::is_control` calls one: U+0000 to U+001F and U+007F to U+009F), a
/// noncharacter XML refuses, or a bidirectional override; found byte by
/// byte.
fn first_control(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    // Most texts have none: a branchless pass (vectorised) over the bytes
    // that could start one says so before any is looked for.
    let maybe = |c: u8| {
        (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
            | (c == 0x7F)
            | (c == 0xC2)
            | (c == 0xEF)
            | (c == 0xE2)
    };
    if !b
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |any, &c| any | maybe(c)))
    {
        return None;
    }
    b.iter().enumerate().position(|(i, &c)| match c {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F | 0x7F => true,
        // U+0080 to U+009F are C2 80 to C2 9F.
        0xC2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        // The noncharacters U+FFFE and U+FFFF (EF BF BE, EF BF BF), which
        // XML does not allow either.
        0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
        // The overrides U+202D and U+202E (E2 80 AD, E2 80 AE).
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xAD | 0xAE)),
        _ => false,
    })
}

/// Whether `c` is a bidirectional override (U+202D, U+202E): it makes the
/// text after it show in the order it forces, not the order it is written
/// in, and can make a figure or a name read as another. Embeddings,
/// isolates and marks, which right-to-left text pasted from a word
/// processor carries, are not refused.
pub fn is_override(c: char) -> bool {
    matches!(c, '\u{202D}' | '\u{202E}')
}

/// Whether orepress refuses `c` in any text: [`is_unwritable`] or
/// [`is_override`].
pub fn is_refused(c: char) -> bool {
    is_unwritable(c) || is_override(c)
}

/// Whether web pages, feeds and PDF metadata cannot carry `c`: a control
/// character other than tab and line ends, or the noncharacters U+FFFE
/// and U+FFFF (XML allows neither).
pub fn is_unwritable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::{
        first_control, is_refused, read_open, read_text, read_within, TextCache, TextTail,
    };
    use std::path::Path;
    use std::sync::Arc;

    #[test]
    fn a_text_tail_shares_the_text_it_ends() {
        let text = Arc::new("---\ntitle: Sb\n---\nAntimony — Sb\n".to_string());
        let body = TextTail::new(text.clone(), 18);
        assert_eq!(&*body, "Antimony — Sb\n");
        assert_eq!(Arc::strong_count(&text), 2, "shared, not copied");
        // Inside `—` (three bytes): never a panic, the whole text.
        let inside = text.find('—').unwrap() + 1;
        assert_eq!(&*TextTail::new(text.clone(), inside), text.as_str());
        assert_eq!(&*TextTail::new(text.clone(), text.len()), "");
        assert_eq!(&*TextTail::new(text.clone(), text.len() + 1), text.as_str());
        assert_eq!(format!("{body:?}"), "\"Antimony — Sb\\n\"");
    }

    #[test]
    fn an_open_file_is_read_whole_or_up_to_one_past_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "0123456789").unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        // Its length when opened, more or less than it has now.
        assert_eq!(read_open(open(), 10, 100).unwrap(), b"0123456789");
        assert_eq!(read_open(open(), 2, 100).unwrap(), b"0123456789");
        assert_eq!(read_open(open(), 40, 100).unwrap(), b"0123456789");
        // A file over the limit (grown since its size was looked at) is
        // read one byte past it, no further.
        assert_eq!(read_open(open(), 4, 4).unwrap(), b"01234");
        assert_eq!(read_open(open(), 10, 0).unwrap(), b"0");
        // Within a limit: the bytes; over it by the length given, unread;
        // grown past it since, its length so far.
        assert_eq!(
            read_within(open(), 10, 10).unwrap(),
            Ok(b"0123456789".to_vec())
        );
        assert_eq!(read_within(open(), 11, 10).unwrap(), Err(11));
        assert_eq!(read_within(open(), 4, 6).unwrap(), Err(7));
    }

    /// Writes `text` to `path` keeping the file's modification time, as a
    /// save in the same clock tick would.
    fn overwrite_keeping_date(path: &Path, text: &str) {
        let was = std::fs::metadata(path).unwrap().modified().unwrap();
        std::fs::write(path, text).unwrap();
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(was).unwrap();
    }

    #[test]
    fn cached_texts_are_read_again_once_their_file_changes_or_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("briefs");
        std::fs::create_dir(&sub).unwrap();
        let a = sub.join("a.md");
        let b = dir.path().join("b.md");
        std::fs::write(&a, "first").unwrap();
        std::fs::write(&b, "other").unwrap();
        let cache = TextCache::default();
        let read = |p: &Path| cache.read(p, Path::new("shown")).unwrap();
        let first = read(&a);
        assert_eq!(*first, "first");
        // Unchanged: the same text, not read again.
        assert!(Arc::ptr_eq(&first, &read(&a)));
        cache.finish_load();
        assert!(Arc::ptr_eq(&first, &read(&a)), "kept from the last load");
        // Another size: read again, with no word from the watcher.
        std::fs::write(&a, "second!").unwrap();
        assert_eq!(*read(&a), "second!");
        // The same size and modification time: whatever the stamp says,
        // the watcher naming the file, or a folder above it, has it read.
        let before = read(&a);
        overwrite_keeping_date(&a, "third!!");
        cache.forget(&a);
        assert_eq!(*read(&a), "third!!");
        overwrite_keeping_date(&a, "fourth!");
        let other = read(&b);
        cache.forget(&sub);
        assert_eq!(*read(&a), "fourth!");
        assert!(Arc::ptr_eq(&other, &read(&b)), "a file beside it is kept");
        assert!(!Arc::ptr_eq(&before, &read(&a)));
        cache.clear();
        assert!(!Arc::ptr_eq(&other, &read(&b)), "clear reads all again");
        // A file gone is an error, not its last text.
        std::fs::remove_file(&b).unwrap();
        assert!(cache.read(&b, Path::new("shown")).is_err());
    }

    #[test]
    fn a_load_keeps_only_the_texts_it_read() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        let cache = TextCache::default();
        let read = |p: &Path| cache.read(p, Path::new("shown")).unwrap();
        let (first_a, first_b) = (read(&a), read(&b));
        cache.finish_load();
        // The next load reads `a` alone (`b` was renamed away, say).
        assert!(Arc::ptr_eq(&first_a, &read(&a)));
        cache.finish_load();
        assert!(Arc::ptr_eq(&first_a, &read(&a)));
        assert!(!Arc::ptr_eq(&first_b, &read(&b)), "let go of");
    }

    #[test]
    fn control_characters_and_xml_noncharacters_are_found() {
        let by_char = |s: &str| s.find(is_refused);
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("aé{c}"), format!("\t\n\r{c}پ")] {
                assert_eq!(first_control(&s), by_char(&s), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(first_control("plain\ttext\r\n"), None);
    }

    #[test]
    fn lines_ended_by_a_carriage_return_alone_are_read_as_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mac.md");
        std::fs::write(&path, "---\rtitle: Ré\r---\r\rBody\r\nend\r").unwrap();
        let text = read_text(&path, Path::new("mac.md")).unwrap();
        // The same length: offsets and line numbers are the file's.
        assert_eq!(text, "---\ntitle: Ré\n---\n\nBody\r\nend\n");
    }

    #[test]
    fn utf16_with_its_mark_is_read_and_broken_utf16_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let text = "name\torganisation\nZoë Ahmed\tپاکستان فنڈ 📈\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (name, bytes) in [("le.csv", le), ("be.csv", be)] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(read_text(&path, Path::new(name)).unwrap(), text);
        }
        // A lone high surrogate on line 2, after two characters.
        let mut bad = vec![0xFF, 0xFE];
        for unit in "a\nbc".encode_utf16().chain([0xD800, 0x41]) {
            bad.extend(unit.to_le_bytes());
        }
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, bad).unwrap();
        let e = read_text(&path, Path::new("bad.csv")).unwrap_err();
        assert_eq!((e.line, e.col), (2, 3), "{}", e.message);
        assert!(e.message.contains("not valid UTF-16"));
        // Control characters are refused in UTF-16 as in UTF-8.
        let ctl: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ok\u{7}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(&path, ctl).unwrap();
        let e = read_text(&path, Path::new("bad.csv")).unwrap_err();
        assert!(
            e.message.contains("control character U+0007"),
            "{}",
            e.message
        );
        // Without the mark, UTF-16 is not guessed at.
        std::fs::write(&path, b"a\x00b\x00\xff").unwrap();
        let e = read_text(&path, Path::new("bad.csv")).unwrap_err();
        assert!(e.message.contains("control character") || e.message.contains("UTF-8"));
    }
}
