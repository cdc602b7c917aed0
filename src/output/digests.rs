//! The listing of what a build wrote: each file's path, length and
//! digest, in [`DIGESTS`], by which the next build knows an unchanged file
//! without reading it (see [`Digests`]).

use std::fs;
use std::path::{Path, PathBuf};

/// The file in every output folder that lists each file a build wrote
/// with its length and digest (see [`Digests`]).
pub const DIGESTS: &str = ".orepress-digests";

/// A digests file larger than this is not read (a listing of a million
/// files is about 80 MB); its files are then compared by their bytes.
const DIGESTS_LIMIT: u64 = 256 << 20;

/// The files of a previous output whose bytes are known without reading
/// them: each file a build wrote, by its path, with its length and XXH3-128
/// digest, listed in the output's [`DIGESTS`] file when the build finished.
/// The listing holds for a file whose inode last changed before the
/// listing's did (its ctime): output files are only ever replaced, never
/// changed in place, and a file edited, replaced or restored by hand since
/// has a later ctime, which no program can set back. Such a file is read
/// and compared.
#[derive(Debug, Default)]
pub(super) struct Digests {
    files: std::collections::HashMap<PathBuf, (u64, u128)>,
    /// When the listing's inode last changed, in nanoseconds.
    listed: Option<i128>,
}

impl Digests {
    /// The listing of the output folder `out`; an empty one when it has
    /// none, or it cannot be read. A line that does not parse is left out.
    pub(super) fn read(out: &Path) -> Digests {
        let path = out.join(DIGESTS);
        let Some(listed) = ctime(&path) else {
            return Digests::default();
        };
        let text = match crate::files::open_regular_meta(&path) {
            Ok((file, meta)) => match crate::files::read_within(file, meta.len(), DIGESTS_LIMIT) {
                Ok(Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
                _ => String::new(),
            },
            Err(_) => String::new(),
        };
        let files = text
            .lines()
            .filter_map(|line| {
                let (len, rest) = line.split_once(' ')?;
                let (digest, path) = rest.split_once(' ')?;
                let digest = u128::from_str_radix(digest, 16).ok()?;
                Some((PathBuf::from(path), (len.parse().ok()?, digest)))
            })
            .collect();
        Digests {
            files,
            listed: Some(listed),
        }
    }

    /// Whether the file `old`, at `path` in the output listed, is known to
    /// hold `len` bytes of digest `digest` (`meta` its metadata, as read).
    pub(super) fn vouch(&self, path: &Path, meta: &fs::Metadata, len: u64, digest: u128) -> bool {
        let (Some(listed), Some(&listing)) = (self.listed, self.files.get(path)) else {
            return false;
        };
        listing == (len, digest) && meta.len() == len && ctime_of(meta).is_some_and(|c| c < listed)
    }

    /// The listing of `files` (path, length, digest), in path order. A path
    /// that a line cannot hold (not UTF-8, or with a line break) is left
    /// out: that file is compared by its bytes.
    pub(super) fn text(files: &mut [(PathBuf, u64, u128)]) -> String {
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::new();
        for (path, len, digest) in files.iter() {
            if let Some(p) = path.to_str().filter(|p| !p.contains(['\n', '\r'])) {
                text.push_str(&format!("{len} {digest:032x} {p}\n"));
            }
        }
        text
    }
}

/// When the inode of `path` (not followed) last changed, in nanoseconds;
/// `None` where it is not a file or the system keeps no such time.
fn ctime(path: &Path) -> Option<i128> {
    let meta = fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| ctime_of(&meta)).flatten()
}

/// When the inode that `meta` describes last changed (written, renamed
/// into place, linked), in nanoseconds: no program can set it back.
#[cfg(unix)]
pub fn ctime_of(meta: &fs::Metadata) -> Option<i128> {
    use std::os::unix::fs::MetadataExt;
    Some(i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()))
}

#[cfg(not(unix))]
pub fn ctime_of(_: &fs::Metadata) -> Option<i128> {
    None
}

/// Gives the file `path` a new ctime and nothing else (its permissions set
/// to what they are): a listing dated after everything the build did to
/// the files it lists, the removal of the previous output (which shared
/// the unchanged ones) included.
pub fn date(path: &Path) {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.is_file() {
            let _ = fs::set_permissions(path, meta.permissions());
        }
    }
}
