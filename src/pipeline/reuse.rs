//! Memos reused across builds. Each memo of a build is recorded in
//! `memos/.keys` with its key, the SHA-256 of everything it is made from
//! (the brief, the project files every memo reads, the theme and this
//! orepress binary), and the SHA-256 of its bytes. The next build takes a
//! memo whose key is unchanged from the previous output instead of setting
//! it again, after checking its bytes are the ones recorded: by reading
//! them, unless the file is known untouched since that build (see
//! [`Previous::untouched`]); a build then gives the same file a name in
//! the new output without reading or copying it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::xxh3_128;

use crate::content::{Brief, Project};
use crate::theme::Theme;

/// Where the keys are written, relative to the output folder.
pub const KEYS: &str = "memos/.keys";

/// A memo's key and the digest of its bytes, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub key: String,
    /// XXH3-128 of the file's bytes, in hex: it tells a memo file changed
    /// since it was written (not a security measure: whoever can write the
    /// output folder can write the keys file too) at a twentieth of
    /// SHA-256's cost.
    pub digest: String,
}

/// The digest a [`Recorded`] keeps of a memo's bytes.
pub fn file_digest(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Dates the keys of the output `out` after everything a build did to it:
/// removing the previous output (which shared its unchanged memo files)
/// changed those files' ctime after the keys were written. Setting the
/// keys file's permissions to what they are changes nothing but its ctime.
pub fn date_keys(out: &Path) {
    crate::output::date(&out.join(KEYS));
}

/// The memos a previous build recorded, by file stem.
#[derive(Debug, Default)]
pub struct Previous {
    dir: PathBuf,
    memos: BTreeMap<String, Recorded>,
    /// Memos already in memory (`serve` keeps its last render).
    bytes: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
    /// Match keys only and give no bytes (`check`, which writes nothing).
    keys_only: bool,
    /// When the keys file's inode last changed (its ctime, in nanoseconds).
    keys_changed: Option<i128>,
    /// The pictures' widths the previous build made for its site.
    pub pictures: crate::site::images::Previous,
}

/// When a file's inode last changed (written, renamed into place, linked):
/// its ctime, in nanoseconds, and its size. No program can set the ctime;
/// `None` where the system keeps none.
fn changed(path: &Path) -> Option<(i128, u64)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let ctime = crate::output::ctime_of(&meta)?;
    meta.is_file().then_some((ctime, meta.len()))
}

impl Previous {
    /// What the output folder `out` recorded; nothing when it has no keys
    /// or they cannot be read (every memo is then set again).
    pub fn read(out: &Path) -> Previous {
        let memos = crate::files::read_regular_string(&out.join(KEYS))
            .map(|text| parse(&text))
            .unwrap_or_default();
        Previous {
            dir: out.join("memos"),
            memos,
            bytes: BTreeMap::new(),
            keys_only: false,
            keys_changed: changed(&out.join(KEYS)).map(|(ctime, _)| ctime),
            pictures: crate::site::images::Previous::read(out),
        }
    }

    /// For a run that writes nothing: an unchanged memo is known by its
    /// key alone, and [`Previous::take`] gives it back without its bytes.
    pub fn keys_only(mut self) -> Previous {
        self.keys_only = true;
        self
    }

    /// Memos held in memory with their records (`serve`).
    pub fn in_memory(memos: BTreeMap<String, (Recorded, std::sync::Arc<Vec<u8>>)>) -> Previous {
        let mut p = Previous::default();
        for (stem, (rec, bytes)) in memos {
            p.memos.insert(stem.clone(), rec);
            p.bytes.insert(stem, bytes);
        }
        p
    }

    /// The pictures of `self`, taken out, as a `Previous` of their own:
    /// `serve` takes unchanged pictures from the output folder for every
    /// render of its pages, and its memos from its own last render.
    pub fn take_pictures(&mut self) -> Previous {
        Previous {
            pictures: std::mem::take(&mut self.pictures),
            ..Previous::default()
        }
    }

    /// The previous memo `stem`'s file when it was made from the same
    /// inputs (`key`) and is untouched since, with its record; known
    /// without reading it. A build writes the keys after every memo, and
    /// output files are only ever replaced, never changed in place: a memo
    /// whose inode last changed before the keys file's is the one the keys
    /// record. A memo edited, replaced or restored by hand later has a
    /// later ctime, which no program can set back; it is read and checked
    /// by [`Previous::take`]. Also gives the file's size.
    pub fn untouched(&self, stem: &str, key: &str) -> Option<(PathBuf, Recorded, usize)> {
        let rec = self.memos.get(stem)?;
        if rec.key != key || self.keys_only {
            return None;
        }
        let path = self.dir.join(format!("{stem}.pdf"));
        let (ctime, size) = changed(&path)?;
        (ctime < self.keys_changed?).then(|| (path, rec.clone(), size as usize))
    }

    /// The previous memo `stem` when it was made from the same inputs
    /// (`key`) and its bytes are still the ones recorded, with its record.
    pub fn take(&self, stem: &str, key: &str) -> Option<(Vec<u8>, Recorded)> {
        let rec = self.memos.get(stem)?;
        if rec.key != key {
            return None;
        }
        if self.keys_only {
            return Some((Vec::new(), rec.clone()));
        }
        let bytes = match self.bytes.get(stem) {
            // Held in memory since this process made it: nothing to check.
            Some(b) => return Some((b.as_ref().clone(), rec.clone())),
            None => {
                let path = self.dir.join(format!("{stem}.pdf"));
                // A memo is never near this size; a bigger file is not ours.
                if std::fs::metadata(&path).ok()?.len() > 512 << 20 {
                    return None;
                }
                crate::files::read_regular(&path).ok()?
            }
        };
        (file_digest(&bytes) == rec.digest).then(|| (bytes, rec.clone()))
    }
}

/// `<key> <digest> <stem>` lines; anything else (the SHA-256 digests of
/// earlier versions too) is skipped.
fn parse(text: &str) -> BTreeMap<String, Recorded> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let (key, digest, stem) = (parts.next()?, parts.next()?, parts.next()?);
            let hex = |s: &str, len| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
            (hex(key, 64) && hex(digest, 32) && !stem.is_empty()).then(|| {
                (
                    stem.to_string(),
                    Recorded {
                        key: key.to_string(),
                        digest: digest.to_string(),
                    },
                )
            })
        })
        .collect()
}

/// The keys file for the memos of a build.
pub fn keys_file(memos: &BTreeMap<String, Recorded>) -> Vec<u8> {
    let mut out = String::new();
    for (stem, rec) in memos {
        out.push_str(&format!("{} {} {stem}\n", rec.key, rec.digest));
    }
    out.into_bytes()
}

/// What every memo of the project is made from besides its own brief: the
/// binary, the site settings (but its address: a memo links to no page of
/// the site, so `serve` and a preview build share memos with `build`), the
/// theme, deals, contacts, data and the pictures in use. Other briefs and
/// pages are not: a memo neither lists nor links them. Computed once a
/// build.
pub fn shared_digest(project: &Project, theme: &Theme) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field("orepress", env!("CARGO_PKG_VERSION").as_bytes());
    // The binary itself: a rebuilt orepress (same version, other code)
    // sets every memo again.
    if let Some((len, modified)) = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
    {
        field("exe", format!("{len} {modified:?}").as_bytes());
    }
    let mut site = project.site.clone();
    site.base_url.clear();
    site.relative_urls = false;
    field("site", format!("{site:?}").as_bytes());
    field("theme", format!("{:?}", theme.config).as_bytes());
    // The labels are made from these files alone: their text, not a
    // `Debug` dump of what was made of it (a tenth of the key's cost).
    for (lang, sources) in &theme.i18n.files {
        field("i18n language", lang.as_bytes());
        for source in sources {
            field("i18n origin", source.origin.as_bytes());
            field("i18n text", source.text.as_bytes());
        }
    }
    for (name, bytes) in &theme.fonts {
        field("font", name.as_bytes());
        if bytes.is_embedded() {
            // Bytes of this binary, which the key already covers: their
            // megabytes need no hashing.
            field("embedded font", &(bytes.len() as u64).to_le_bytes());
        } else {
            field("font bytes", &xxh3_128(bytes).to_le_bytes());
        }
    }
    field("deals", format!("{:?}", project.deals).as_bytes());
    field("contacts", format!("{:?}", project.contacts).as_bytes());
    field("data", format!("{:?}", project.data).as_bytes());
    for a in &project.assets {
        field("asset", a.rel.as_bytes());
        field("asset bytes", &xxh3_128(a.bytes.as_slice()).to_le_bytes());
    }
    h.finalize().into()
}

/// The key of `brief`'s memo: the shared digest and the brief itself (a
/// translation's front matter holds the deals it shares with its
/// original).
pub fn memo_key(shared: &[u8; 32], brief: &Brief) -> String {
    let mut h = Sha256::new();
    h.update(shared);
    let front = format!("{:?}", brief.front);
    for part in [
        brief.path.to_string_lossy().as_bytes(),
        brief.slug.as_bytes(),
        brief.translation.as_deref().unwrap_or("").as_bytes(),
        brief.lang.as_bytes(),
        brief.author.as_deref().unwrap_or("").as_bytes(),
        front.as_bytes(),
        brief.body.as_bytes(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    crate::values::hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_and_malformed_lines_are_skipped() {
        let rec = |k: char, s: char| Recorded {
            key: k.to_string().repeat(64),
            digest: s.to_string().repeat(32),
        };
        let mut memos = BTreeMap::new();
        memos.insert("alpha".to_string(), rec('a', 'b'));
        memos.insert("beta.ur".to_string(), rec('c', 'd'));
        let text = String::from_utf8(keys_file(&memos)).unwrap();
        assert_eq!(parse(&text), memos);
        // The last line as an earlier orepress wrote it (a SHA-256): the
        // memo is made again.
        let noisy = format!(
            "{text}garbage\nzz {} x\n{} {}\n{} {} gamma\n",
            "0".repeat(64),
            "e".repeat(64),
            "f".repeat(64),
            "1".repeat(64),
            "2".repeat(64),
        );
        assert_eq!(parse(&noisy), memos);
    }

    #[test]
    fn a_memo_is_taken_only_with_its_key_and_its_recorded_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("memos")).unwrap();
        let pdf = b"%PDF-1.7 memo".to_vec();
        std::fs::write(dir.path().join("memos/alpha.pdf"), &pdf).unwrap();
        let mut memos = BTreeMap::new();
        let key = "1".repeat(64);
        memos.insert(
            "alpha".to_string(),
            Recorded {
                key: key.clone(),
                digest: file_digest(&pdf),
            },
        );
        // Written after the memo: the memo is known untouched.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join(KEYS), keys_file(&memos)).unwrap();
        let prev = Previous::read(dir.path());
        #[cfg(unix)]
        {
            let (path, _, size) = prev.untouched("alpha", &key).unwrap();
            assert_eq!(path, dir.path().join("memos/alpha.pdf"));
            assert_eq!(size, pdf.len());
            assert!(prev.untouched("alpha", &"2".repeat(64)).is_none());
        }
        let (bytes, rec) = prev.take("alpha", &key).unwrap();
        assert_eq!(bytes, pdf);
        assert_eq!(rec.digest, file_digest(&pdf));
        assert_eq!(prev.take("alpha", &"2".repeat(64)), None);
        assert_eq!(prev.take("beta", &key), None);
        // A memo changed by hand is set again, never passed on: it changed
        // after the keys, and its bytes differ.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("memos/alpha.pdf"), b"%PDF-1.7 edited").unwrap();
        assert!(prev.untouched("alpha", &key).is_none());
        assert_eq!(prev.take("alpha", &key), None);
        // `check` matches keys only: no bytes are read (the file may be
        // gone), and another key is still no match.
        std::fs::remove_file(dir.path().join("memos/alpha.pdf")).unwrap();
        let keys = Previous::read(dir.path()).keys_only();
        let (bytes, rec) = keys.take("alpha", &key).unwrap();
        assert!(bytes.is_empty());
        assert_eq!(rec.digest, file_digest(&pdf));
        assert!(keys.take("alpha", &"2".repeat(64)).is_none());
    }
}
