//! The only writer: artifacts (path + bytes) go into a staging folder beside
//! the output folder, which replaces the old one only when every write
//! succeeded. On any failure the previous output is left exactly as it was.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Artifact {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Artifact {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// The file in every output folder that says orepress made it. A folder
/// without it is never replaced, unless it is empty.
pub const MARKER: &str = ".orepress-output";

/// What [`MARKER`] says to someone who opens it.
const MARKER_TEXT: &str =
    "This folder is made by orepress and replaced as a whole by every build.\n\
Keep no files of your own in it: the next build deletes them.\n";

/// The file in every output folder that lists each file a build wrote
/// with its length and digest (see [`Digests`]).
pub const DIGESTS: &str = ".orepress-digests";

/// A digests file larger than this is not read (a listing of a million
/// files is about 80 MB); its files are then compared by their bytes.
const DIGESTS_LIMIT: u64 = 256 << 20;

fn sibling(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!(
        "{}{}",
        sibling_prefix(out, tag),
        std::process::id()
    ))
}

/// `.<name>.<tag>-`: the start of the name of a sibling folder.
fn sibling_prefix(out: &Path, tag: &str) -> String {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    format!(".{name}.{tag}-")
}

/// Folders of `output/` that a build carries over instead of replacing:
/// personalised copies that an older orepress wrote into `output/copies/`
/// (today they live in the project's `copies/`, which no build touches) are
/// records and never dropped by a build.
pub const KEPT: &[&str] = &["copies"];

/// `path` made absolute with every symbolic link resolved; a part that
/// does not exist yet is taken as written (below its nearest existing
/// ancestor, `..` removing the part before it).
pub fn resolve(path: &Path) -> Result<PathBuf, Error> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::io(Path::new("."), "read the current folder", &e))?;
        cwd.join(path)
    };
    let parts: Vec<Component> = abs.components().collect();
    for existing in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..existing].iter().collect();
        let Ok(mut resolved) = head.canonicalize() else {
            continue;
        };
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                _ => {}
            }
        }
        return Ok(resolved);
    }
    Ok(abs)
}

/// The project folders an output folder must not be, hold or lie inside,
/// with how they are called in messages.
fn protected(root: &Path, register_dir: &str) -> Result<Vec<(PathBuf, String)>, Error> {
    let mut folders = Vec::new();
    for name in ["content", "themes", "templates", register_dir] {
        let label = format!("the project's {}/ folder", name.trim_end_matches('/'));
        folders.push((resolve(&root.join(name))?, label));
    }
    Ok(folders)
}

/// Why the copy register folder `dir` of the project at `root` may not be
/// used, symbolic links resolved: it must lie inside the project, outside
/// its `output/`, `content/`, `themes/` and `templates/` (a register
/// folder linked to `output/` was written there, and the next build
/// refused that output; one linked outside the project put the copies
/// there). `None` when it may.
pub fn register_place_problem(root: &Path, dir: &Path) -> Result<Option<String>, Error> {
    let project = resolve(root)?;
    let resolved = follow_links(&resolve(dir)?, 0);
    if resolved == project || !resolved.starts_with(&project) {
        return Ok(Some(format!(
            "it leads to {}, not to a folder inside the project",
            resolved.display()
        )));
    }
    for name in ["output", "content", "themes", "templates"] {
        if resolved.starts_with(resolve(&project.join(name))?) {
            return Ok(Some(format!("it leads into the project's {name}/ folder")));
        }
    }
    Ok(None)
}

/// `path` (absolute) with every symbolic link in it followed, a link to
/// what does not exist yet included (`reg -> output` before the first
/// build), which [`resolve`] takes as written.
fn follow_links(path: &Path, depth: usize) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
        let is_link = fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && depth < 32 {
            if let Ok(target) = fs::read_link(&out) {
                out.pop();
                out = follow_links(&out.join(target), depth + 1);
            }
        }
    }
    out
}

/// A refusal to use `out` as the output folder (exit code 2).
fn refuse(out: &Path, why: impl std::fmt::Display) -> Error {
    Error::msg(
        crate::error::Kind::Io,
        format!(
            "refusing to use `{}` as the output folder: {why}",
            out.display()
        ),
    )
}

/// Checks that `out` can be the output folder of the project at `root`
/// (whose copy registers are in `register_dir`) before anything is
/// written: it is not the project folder or a folder holding it, it is not,
/// does not hold and does not lie inside `content/`, `themes/`,
/// `templates/` or the register folder, and [`check_replaceable`] says yes.
/// Paths are compared with symbolic links resolved. Returns `out` resolved.
pub fn check_target(out: &Path, root: &Path, register_dir: &str) -> Result<PathBuf, Error> {
    let resolved = resolve(out)?;
    let project = resolve(root)?;
    if resolved == project {
        return Err(refuse(out, "it is the project folder"));
    }
    if project.starts_with(&resolved) {
        return Err(refuse(
            out,
            format_args!("it holds the project folder {}", project.display()),
        ));
    }
    for (folder, label) in protected(&project, register_dir)? {
        if resolved == folder {
            return Err(refuse(out, format_args!("it is {label}")));
        }
        if resolved.starts_with(&folder) {
            return Err(refuse(out, format_args!("it lies inside {label}")));
        }
        if folder.starts_with(&resolved) {
            return Err(refuse(out, format_args!("it holds {label}")));
        }
    }
    check_replaceable(out, &resolved)?;
    Ok(resolved)
}

/// Checks that the folder at `resolved` (the user's `out`, as typed, is
/// named in messages) may be replaced: it does not exist, is empty, or
/// holds the [`MARKER`] of an earlier build. A file, or a folder of
/// someone else's files, is refused.
pub fn check_replaceable(out: &Path, resolved: &Path) -> Result<(), Error> {
    let meta = match fs::symlink_metadata(resolved) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, "read the output folder", &e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(out, "it is a symbolic link to nothing"));
    }
    if !meta.is_dir() {
        return Err(refuse(
            out,
            "it is a file, not a folder; move it away or choose another --out",
        ));
    }
    if resolved.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries =
        fs::read_dir(resolved).map_err(|e| Error::io(out, "read the output folder", &e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    Err(refuse(
        out,
        format_args!(
            "it is not empty and orepress did not make it (it has no {MARKER} file), \
             so a build would delete files that are not its own; choose another --out"
        ),
    ))
}

/// Makes `out` an output folder for files added to it one by one
/// (personalised copies): creates it with its [`MARKER`] when it does not
/// exist or is empty; refuses it as [`check_replaceable`] does.
pub fn claim(out: &Path) -> Result<PathBuf, Error> {
    let resolved = resolve(out)?;
    check_replaceable(out, &resolved)?;
    fs::create_dir_all(&resolved).map_err(|e| Error::io(out, "create folder", &e))?;
    let marker = resolved.join(MARKER);
    if !marker.is_file() {
        fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io(&marker, "write file", &e))?;
    }
    Ok(resolved)
}

/// Writes every artifact into `out`, replacing its previous content in one
/// atomic step (a rename exchange on Linux; two renames where the file
/// system has none). `out` must not exist, be empty or hold the [`MARKER`]
/// of an earlier build, which every build writes. The folders in [`KEPT`]
/// and in `keep` (the parts a partial build did not make) move over from
/// the previous output unchanged. Staging and old folders left by killed
/// builds are removed first.
pub fn write_all(out: &Path, artifacts: &[Artifact], keep: &[&str]) -> Result<(), Error> {
    let staging = Staging::begin(out)?;
    for a in artifacts {
        staging.put(&a.path, &a.bytes)?;
    }
    staging.finish(keep)
}

/// A new output being written: a staging folder beside the output folder
/// that files go into as they are made, put in the output's place by
/// [`Staging::finish`]. Dropped unfinished (an error anywhere in the
/// build), it is removed and the previous output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Folders already made inside it, by their path's bytes (a path compared component by
    /// component cost 2 % of a 10,000-brief build; a folder spelt two ways
    /// is only made twice, which `create_dir_all` allows).
    made: std::sync::Mutex<std::collections::HashSet<std::ffi::OsString>>,
    /// Whether there was a previous output to take unchanged files from
    /// when the build began (into an empty place, no file is looked for:
    /// 15,000 failed opens for a 10,000-brief site).
    previous: bool,
    /// What the previous output's [`DIGESTS`] say, when it has them.
    digests: Digests,
    /// The length and digest of each file put, for this output's [`DIGESTS`].
    written: std::sync::Mutex<Vec<(PathBuf, u64, u128)>>,
    finished: bool,
}

/// The files of a previous output whose bytes are known without reading
/// them: each file a build wrote, by its path, with its length and XXH3-128
/// digest, listed in the output's [`DIGESTS`] file when the build finished.
/// The listing holds for a file whose inode last changed before the
/// listing's did (its ctime): output files are only ever replaced, never
/// changed in place, and a file edited, replaced or restored by hand since
/// has a later ctime, which no program can set back. Such a file is read
/// and compared.
#[derive(Debug, Default)]
struct Digests {
    files: std::collections::HashMap<PathBuf, (u64, u128)>,
    /// When the listing's inode last changed, in nanoseconds.
    listed: Option<i128>,
}

impl Digests {
    /// The listing of the output folder `out`; an empty one when it has
    /// none, or it cannot be read. A line that does not parse is left out.
    fn read(out: &Path) -> Digests {
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
    fn vouch(&self, path: &Path, meta: &fs::Metadata, len: u64, digest: u128) -> bool {
        let (Some(listed), Some(&listing)) = (self.listed, self.files.get(path)) else {
            return false;
        };
        listing == (len, digest) && meta.len() == len && ctime_of(meta).is_some_and(|c| c < listed)
    }

    /// The listing of `files` (path, length, digest), in path order. A path
    /// that a line cannot hold (not UTF-8, or with a line break) is left
    /// out: that file is compared by its bytes.
    fn text(files: &mut [(PathBuf, u64, u128)]) -> String {
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

impl Staging {
    /// Starts the output `out` (as given by the user), after checking it
    /// may be replaced; removes what killed builds left beside it.
    pub fn begin(out: &Path) -> Result<Staging, Error> {
        let shown = out;
        let out = resolve(out)?;
        check_replaceable(shown, &out)?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
        }
        remove_stale(&out);
        let previous = out.is_dir();
        let digests = if previous {
            Digests::read(&out)
        } else {
            Digests::default()
        };
        let dir = sibling(&out, "staging");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create folder", &e))?;
        Ok(Staging {
            out,
            dir,
            made: Default::default(),
            previous,
            digests,
            written: Default::default(),
            finished: false,
        })
    }

    /// Writes one file, `path` relative to the output folder (which it may
    /// not leave). Safe to call from several threads.
    ///
    /// Where the previous output has the file with the same bytes, the new
    /// output gets a second name for it instead (output files are only ever
    /// replaced, never changed in place). An unchanged page then keeps its
    /// modification time, so tools that upload what is newer (`aws s3
    /// sync`, `rsync`) send only what changed; and a rebuild writes and
    /// removes less (10,000 briefs' site rebuilt unchanged: 5 % less time,
    /// 15 % less system time). On Unix only.
    /// A file edited in the output since is not the same, and is written.
    pub fn put(&self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.put_digest(path, bytes).map(drop)
    }

    /// [`Staging::put`], giving the bytes' digest.
    fn put_digest(&self, path: &Path, bytes: &[u8]) -> Result<u128, Error> {
        let target = self.target(path)?;
        let digest = xxhash_rust::xxh3::xxh3_128(bytes);
        self.record(path, bytes.len(), digest);
        if !self.link_unchanged(path, bytes, digest, &target) {
            fs::write(&target, bytes).map_err(|e| Error::io(&target, "write file", &e))?;
        }
        Ok(digest)
    }

    /// Lists `path` in this output's [`DIGESTS`].
    fn record(&self, path: &Path, len: usize, digest: u128) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((path.to_path_buf(), len as u64, digest));
    }

    /// Gives `target` the previous output's file `path` when that file has
    /// these very bytes (of digest `digest`); whether it did. The previous
    /// output's [`DIGESTS`] tell, without reading the file, when they hold
    /// for it; otherwise it is read and compared. The file linked is
    /// checked to be the one looked at: a build running beside this one
    /// may put another output in place between the two.
    #[cfg(unix)]
    fn link_unchanged(&self, path: &Path, bytes: &[u8], digest: u128, target: &Path) -> bool {
        use std::io::Read;
        use std::os::unix::fs::MetadataExt;
        if !self.previous {
            return false;
        }
        let old = self.out.join(path);
        let len = bytes.len() as u64;
        // A file of another length (most changed pages) is not read.
        let Ok(meta) = fs::symlink_metadata(&old) else {
            return false;
        };
        if !meta.is_file() || meta.len() != len {
            return false;
        }
        if !self.digests.vouch(path, &meta, len, digest) {
            let Ok((mut file, opened)) = crate::files::open_regular_meta(&old) else {
                return false;
            };
            if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) || opened.len() != len {
                return false;
            }
            let mut read = Vec::with_capacity(bytes.len());
            if (&mut file).take(len).read_to_end(&mut read).is_err() || read != bytes {
                return false;
            }
        }
        if fs::hard_link(&old, target).is_err() {
            return false;
        }
        let linked = fs::symlink_metadata(target);
        if linked.is_ok_and(|l| (l.dev(), l.ino()) == (meta.dev(), meta.ino())) {
            return true;
        }
        let _ = fs::remove_file(target);
        false
    }

    /// Elsewhere a file's identity cannot be compared: every file is
    /// written.
    #[cfg(not(unix))]
    fn link_unchanged(&self, _: &Path, _: &[u8], _: u128, _: &Path) -> bool {
        false
    }

    /// Writes `bytes` under each of `paths`: the first written, the others
    /// second names for it (copies where the file system has none).
    pub fn put_all(&self, paths: &[PathBuf], bytes: &[u8]) -> Result<(), Error> {
        let Some((first, rest)) = paths.split_first() else {
            return Ok(());
        };
        let digest = self.put_digest(first, bytes)?;
        self.link(&self.dir.join(first), rest, Some((bytes.len(), digest)))
    }

    /// Gives the existing file `from` (in the previous output, say) the
    /// names `paths` in this one: hard links, or copies where the file
    /// system has none. Output files are only ever replaced, never changed
    /// in place, so a shared file is never changed under another name.
    /// `known`: the file's length and digest, when known, for the
    /// output's [`DIGESTS`].
    pub fn link(
        &self,
        from: &Path,
        paths: &[PathBuf],
        known: Option<(usize, u128)>,
    ) -> Result<(), Error> {
        for path in paths {
            let target = self.target(path)?;
            if let Some((len, digest)) = known {
                self.record(path, len, digest);
            }
            if fs::hard_link(from, &target).is_err() {
                fs::copy(from, &target).map_err(|e| Error::io(&target, "copy file", &e))?;
            }
        }
        Ok(())
    }

    /// The place in the staging folder of `path`, which may not leave it,
    /// its folder made.
    fn target(&self, path: &Path) -> Result<PathBuf, Error> {
        let bad = path.is_absolute()
            || path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
            || path == Path::new(MARKER)
            || path == Path::new(DIGESTS);
        if bad {
            return Err(Error::msg(
                crate::error::Kind::Io,
                format!(
                    "refusing to write outside the output folder: {}",
                    path.display()
                ),
            ));
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let made = || self.made.lock().unwrap_or_else(|p| p.into_inner());
            // Marked made only once it is: a thread that finds it marked
            // may write into it at once (two threads may both make it).
            if !made().contains(parent.as_os_str()) {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
                made().insert(parent.as_os_str().to_os_string());
            }
        }
        Ok(target)
    }

    /// Marks the new output as orepress's, carries over the folders of the
    /// previous one that a build keeps (`keep`: a part this build did not
    /// make) and puts it in the output's place.
    pub fn finish(mut self, keep: &[&str]) -> Result<(), Error> {
        let marker = self.dir.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io(&marker, "write file", &e))?;
        self.keep(KEPT)?;
        self.keep(keep)?;
        let listing = self.dir.join(DIGESTS);
        let mut written = std::mem::take(self.written.get_mut().unwrap_or_else(|p| p.into_inner()));
        fs::write(&listing, Digests::text(&mut written))
            .map_err(|e| Error::io(&listing, "write file", &e))?;
        drop(written);
        swap(&self.dir, &self.out, true)?;
        self.finished = true;
        date(&self.out.join(DIGESTS));
        Ok(())
    }
}

impl Staging {
    /// Carries over the folders and files `parts` of the previous output (a
    /// part this build does not make), as second names for the same files. A build
    /// does it before it writes (see `pipeline::build`): a memo's keys are
    /// then newer than every memo file, the previous ones included.
    ///
    /// A part kept is not listed in the new output's [`DIGESTS`] (whether
    /// the previous listing still holds for a file depends on when its
    /// inode last changed, to the clock's tick): the next build reads and
    /// compares those files.
    pub fn keep(&self, parts: &[&str]) -> Result<(), Error> {
        for kept in parts {
            let old = self.out.join(kept);
            let new = self.dir.join(kept);
            if new.exists() {
                continue;
            }
            let meta = fs::symlink_metadata(&old);
            if meta.as_ref().is_ok_and(|m| m.is_dir()) {
                copy_tree(&old, &new)?;
            } else if meta.is_ok_and(|m| m.is_file()) {
                self.link(&old, &[PathBuf::from(kept)], None)?;
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes the staging and old folders beside `out` that builds killed
/// before they finished left behind (only those whose process is gone: a
/// build running beside this one keeps its own). When the previous output
/// was moved aside and never replaced, it is put back first.
fn remove_stale(out: &Path) {
    let Some(parent) = out.parent() else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tags = [
        (sibling_prefix(out, "old"), true),
        (sibling_prefix(out, "staging"), false),
    ];
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        for (prefix, old) in &tags {
            let Some(pid) = name.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            if pid != std::process::id() && !process_alive(pid) {
                stale.push((entry.path(), *old));
            }
        }
    }
    // Old folders first: one may be the only complete output there is.
    stale.sort_by_key(|(_, old)| !old);
    for (path, old) in stale {
        if old && !out.exists() && path.join(MARKER).is_file() && fs::rename(&path, out).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// Whether process `pid` is running. Only Linux is asked (through /proc);
/// elsewhere every process counts as running, so nothing is removed.
fn process_alive(pid: u32) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // A zombie (state Z, after the last `)`) has finished.
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}
/// Copies the folder `from` to `to` (hard links where it can).
fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    fs::create_dir_all(to).map_err(|e| Error::io(to, "create folder", &e))?;
    let mut entries = fs::read_dir(from)
        .map_err(|e| Error::io(from, "read folder", &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::io(from, "read folder", &e))?;
    // Hidden files (a memo folder's keys) last: newer than what they list.
    entries.sort_by_key(|e| {
        (
            e.file_name().to_string_lossy().starts_with('.'),
            e.file_name(),
        )
    });
    for entry in entries {
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| Error::io(&entry.path(), "read file type", &e))?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            // A second name for the same file where the file system allows
            // (output files are only ever replaced, never changed in place):
            // the part a partial build keeps costs no copying.
            if fs::hard_link(entry.path(), &target).is_err() {
                fs::copy(entry.path(), &target).map_err(|e| Error::io(&target, "copy file", &e))?;
            }
        }
    }
    Ok(())
}

/// Puts `staging` in the place of `out`. An existing `out` is exchanged
/// with it in one step where the system can (`exchange`), so `out` is at
/// every moment the complete old or the complete new output; elsewhere it
/// is moved aside first and a killed build leaves it beside, where the next
/// build puts it back ([`remove_stale`]).
fn swap(staging: &Path, out: &Path, exchange: bool) -> Result<(), Error> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(staging, out)
            .map_err(|e| Error::io(out, "move the new output into place", &e));
    }
    if exchange && exchange_folders(staging, out)? {
        // `staging` now holds the previous output.
        remove_tree(staging);
        return Ok(());
    }
    let old = sibling(out, "old");
    let _ = fs::remove_dir_all(&old);
    fs::rename(out, &old).map_err(|e| Error::io(out, "move the previous output aside", &e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(Error::io(out, "move the new output into place", &e));
    }
    remove_tree(&old);
    Ok(())
}

/// Removes the folder `dir` with everything in it, as `remove_dir_all`
/// does, its subfolders on the build's threads: a previous output of
/// thousands of pages is mostly the kernel's work of unlinking, and that
/// work is spread over the cores (1,000 briefs' site: 39 ms on one core).
/// Below a few levels (deeper than any output orepress writes) it is left
/// to `remove_dir_all`, so a deep folder a user put there costs no stack.
fn remove_tree(dir: &Path) {
    fn remove(dir: &Path, depth: usize) {
        use rayon::prelude::*;
        let entries: Vec<_> = match fs::read_dir(dir) {
            Ok(entries) if depth < 4 => entries.flatten().collect(),
            _ => {
                let _ = fs::remove_dir_all(dir);
                return;
            }
        };
        entries.par_iter().for_each(|entry| {
            // Not followed: a link is removed, not what it names.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove(&entry.path(), depth + 1);
            } else {
                let _ = fs::remove_file(entry.path());
            }
        });
        // Empty now, but for anything the loop could not remove: that is
        // tried once more.
        if fs::remove_dir(dir).is_err() {
            let _ = fs::remove_dir_all(dir);
        }
    }
    remove(dir, 0);
}

/// Exchanges two folders atomically (`renameat2(RENAME_EXCHANGE)`);
/// `Ok(false)` when the kernel or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange_folders(a: &Path, b: &Path) -> Result<bool, Error> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP].contains(&e) => Ok(false),
        Err(e) => Err(Error::io(b, "swap in the new output", &e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange_folders(_: &Path, _: &Path) -> Result<bool, Error> {
    Ok(false)
}

/// Writes one file atomically (temporary file, then rename): for files kept
/// outside `output/`, such as copy registers.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
    }
    let tmp = sibling(path, "tmp");
    let mut f = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, "create file", &e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(&tmp, "write file", &e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, "replace file", &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Threads writing into the same new folders at once all succeed: a
    /// folder counts as made only once it exists.
    #[test]
    fn staging_takes_files_from_many_threads() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        for round in 0..3 {
            let staging = Staging::begin(&out).unwrap();
            (0..400).into_par_iter().for_each(|i| {
                let path = PathBuf::from(format!("site/d{}/e{}/f{i}.html", i % 7, i % 3));
                staging
                    .put(&path, format!("{round} {i}").as_bytes())
                    .unwrap();
            });
            staging.finish(&[]).unwrap();
            assert_eq!(
                fs::read_to_string(out.join("site/d5/e0/f390.html")).unwrap(),
                format!("{round} 390")
            );
        }
        // Dropped unfinished, a staging folder leaves nothing behind and the
        // output as it was.
        let staging = Staging::begin(&out).unwrap();
        staging.put(Path::new("site/index.html"), b"half").unwrap();
        drop(staging);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("output")]);
        assert!(out.join("site/d0/e0/f0.html").is_file());
        assert!(!out.join("site/index.html").exists());
    }

    /// A previous output is removed whole, however deep, and a link in it
    /// is removed, not followed: what it names stays.
    #[cfg(unix)]
    #[test]
    fn removing_an_output_removes_links_not_what_they_name() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("user");
        fs::create_dir_all(keep.join("inner")).unwrap();
        fs::write(keep.join("inner/notes.txt"), "mine").unwrap();
        let old = dir.path().join("old");
        (0..50).into_par_iter().for_each(|i| {
            let d = old.join(format!("site/b{i}/x"));
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join("index.html"), "x").unwrap();
        });
        // Deeper than the levels removed in parallel.
        let deep: PathBuf = (0..40).map(|i| format!("d{i}")).collect();
        fs::create_dir_all(old.join(&deep)).unwrap();
        fs::write(old.join(&deep).join("f"), "x").unwrap();
        std::os::unix::fs::symlink(&keep, old.join("site/link")).unwrap();
        std::os::unix::fs::symlink(&keep, old.join(&deep).join("link")).unwrap();
        remove_tree(&old);
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(keep.join("inner/notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn replaces_output_and_keeps_it_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_all(
            &out,
            &[
                Artifact::new("site/index.html", "one"),
                Artifact::new("memos/a.pdf", "pdf"),
            ],
            &[],
        )
        .unwrap();
        write_all(&out, &[Artifact::new("site/index.html", "two")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("memos/a.pdf").exists(), "stale files are gone");
        // A path that escapes is refused and the output stays.
        assert!(write_all(&out, &[Artifact::new("../evil", "x")], &[]).is_err());
        assert_eq!(
            fs::read_to_string(out.join("site/index.html")).unwrap(),
            "two"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left: {leftovers:?}");
    }

    /// The digests listing is what tells an unchanged file without reading
    /// it: a listing changed by hand to give a file other bytes' digest is
    /// believed for the files older than it, and a file changed after the
    /// listing is read.
    #[cfg(unix)]
    #[test]
    fn the_digests_listing_vouches_for_files_older_than_itself() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let pages = |a: &str, b: &str| {
            vec![
                Artifact::new("site/a.html", a),
                Artifact::new("site/b.html", b),
                Artifact::new("memos/b.pdf", b),
            ]
        };
        write_all(&out, &pages("aaaa", "bbbb"), &[]).unwrap();
        let listing = fs::read_to_string(out.join(DIGESTS)).unwrap();
        let digest = |t: &str| format!("{:032x}", xxhash_rust::xxh3::xxh3_128(t.as_bytes()));
        assert_eq!(
            listing,
            format!(
                "4 {0} memos/b.pdf\n4 {1} site/a.html\n4 {0} site/b.html\n",
                digest("bbbb"),
                digest("aaaa")
            )
        );
        let ino = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let before = (ino("site/a.html"), ino("site/b.html"));
        // The listing now says a.html holds "AAAA": believed, a.html is not
        // read and keeps its bytes.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(
            out.join(DIGESTS),
            listing.replace(&digest("aaaa"), &digest("AAAA")),
        )
        .unwrap();
        write_all(&out, &pages("AAAA", "bbbb"), &[]).unwrap();
        assert_eq!(ino("site/a.html"), before.0);
        assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), "aaaa");
        assert_eq!(ino("site/b.html"), before.1);
        // A file changed after the listing is read and written again.
        fs::write(out.join("site/b.html"), "xxxx").unwrap();
        write_all(&out, &pages("AAAA", "bbbb"), &[]).unwrap();
        assert_ne!(ino("site/b.html"), before.1);
        assert_eq!(fs::read_to_string(out.join("site/b.html")).unwrap(), "bbbb");
        // A part a build keeps is not listed (the next build reads it).
        write_all(&out, &[Artifact::new("memos/b.pdf", "bbbb")], &["site"]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join(DIGESTS)).unwrap(),
            format!("4 {} memos/b.pdf\n", digest("bbbb"))
        );
        // No file may take the listing's name.
        let staging = Staging::begin(&out).unwrap();
        assert!(staging.put(Path::new(DIGESTS), b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_keep_their_identity_and_changed_ones_are_written() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let build = |pages: &[(&str, &str)]| {
            let pages: Vec<Artifact> = pages.iter().map(|(p, b)| Artifact::new(*p, *b)).collect();
            write_all(&out, &pages, &[]).unwrap();
        };
        let id = |p: &str| {
            let m = fs::metadata(out.join(p)).unwrap();
            (m.ino(), m.mtime_nsec(), m.mtime())
        };
        build(&[
            ("same.html", "same"),
            ("grows.html", "ab"),
            ("shrinks.html", "abc"),
            ("edited.html", "abc"),
        ]);
        let before = [
            id("same.html"),
            id("grows.html"),
            id("shrinks.html"),
            id("edited.html"),
        ];
        // A file changed in the output since the build is not the same.
        fs::write(out.join("edited.html"), "xyz").unwrap();
        build(&[
            ("same.html", "same"),
            ("grows.html", "abc"),
            ("shrinks.html", "ab"),
            ("edited.html", "abc"),
        ]);
        assert_eq!(
            id("same.html"),
            before[0],
            "an unchanged file is the same file"
        );
        for (i, (p, text)) in [
            ("grows.html", "abc"),
            ("shrinks.html", "ab"),
            ("edited.html", "abc"),
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(fs::read_to_string(out.join(p)).unwrap(), text, "{p}");
            assert_ne!(id(p).0, before[i + 1].0, "{p} is written anew");
        }
        // Once the previous output is gone, each file has one name again.
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1);
    }

    #[test]
    fn personalised_copies_survive_a_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_all(&out, &[Artifact::new("site/index.html", "one")], &[]).unwrap();
        fs::create_dir_all(out.join("copies/brief")).unwrap();
        fs::write(out.join("copies/brief/001-jane.pdf"), "pdf").unwrap();
        write_all(&out, &[Artifact::new("site/index.html", "two")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("copies/brief/001-jane.pdf")).unwrap(),
            "pdf"
        );
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_output_has_the_marker_and_only_marked_or_empty_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_all(&out, &[Artifact::new("site/index.html", "one")], &[]).unwrap();
        assert!(fs::read_to_string(out.join(MARKER))
            .unwrap()
            .contains("made by orepress"));
        // An empty folder may be used.
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write_all(&empty, &[Artifact::new("a.txt", "a")], &[]).unwrap();
        assert_eq!(files(&empty), [DIGESTS, MARKER, "a.txt"]);
        // Someone else's folder and a file are refused and stay as they were.
        let mine = dir.path().join("mine");
        fs::create_dir(&mine).unwrap();
        fs::write(mine.join("notes.txt"), "mine").unwrap();
        let err = write_all(&mine, &[Artifact::new("a.txt", "a")], &[]).unwrap_err();
        assert!(err.message.contains("orepress did not make it"), "{err}");
        assert_eq!(files(&mine), ["notes.txt"]);
        let file = dir.path().join("file");
        fs::write(&file, "data").unwrap();
        let err = write_all(&file, &[Artifact::new("a.txt", "a")], &[]).unwrap_err();
        assert!(err.message.contains("it is a file"), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "data");
        // No artifact may overwrite the marker.
        assert!(write_all(&out, &[Artifact::new(MARKER, "x")], &[]).is_err());
        assert_eq!(files(dir.path()), ["empty", "file", "mine", "output"]);
    }

    #[test]
    fn parts_not_built_are_carried_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let both = [
            Artifact::new("site/index.html", "one"),
            Artifact::new("memos/a.pdf", "pdf one"),
        ];
        write_all(&out, &both, &[]).unwrap();
        write_all(&out, &[Artifact::new("memos/a.pdf", "pdf two")], &["site"]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/index.html")).unwrap(),
            "one"
        );
        assert_eq!(
            fs::read_to_string(out.join("memos/a.pdf")).unwrap(),
            "pdf two"
        );
    }

    #[test]
    fn the_two_rename_fallback_replaces_and_a_killed_one_is_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_all(&out, &[Artifact::new("a.txt", "one")], &[]).unwrap();
        let staging = dir.path().join("new");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("a.txt"), "two").unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        swap(&staging, &out, false).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
        assert_eq!(files(dir.path()), ["output"]);

        // A build killed between the two renames (pid 0 is never a build):
        // the next one puts the previous output back, then replaces it.
        let old = dir.path().join(".output.old-0");
        fs::rename(&out, &old).unwrap();
        fs::create_dir(dir.path().join(".output.staging-0")).unwrap();
        remove_stale(&out);
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
        assert_eq!(files(dir.path()), ["output"]);
    }

    #[test]
    fn stale_folders_of_running_builds_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let running = format!(".output.staging-{}", std::process::id());
        let gone = ".output.staging-0";
        let other = ".outputs.staging-0";
        for name in [running.as_str(), gone, other] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        remove_stale(&out);
        let mut want = vec![running, other.to_string()];
        want.sort();
        assert_eq!(files(dir.path()), want);
    }

    #[test]
    fn the_project_and_its_sources_are_refused_as_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        for sub in ["content/briefs", "themes", "copies"] {
            fs::create_dir_all(root.join(sub)).unwrap();
        }
        let check = |out: &Path| check_target(out, &root, "copies").map_err(|e| e.message);
        for (out, says) in [
            (root.clone(), "it is the project folder"),
            (root.join("content/.."), "it is the project folder"),
            (dir.path().to_path_buf(), "it holds the project folder"),
            (root.join("content"), "it is the project's content/ folder"),
            (
                root.join("content/briefs/x"),
                "inside the project's content/",
            ),
            (root.join("new/../themes/a"), "inside the project's themes/"),
            (root.join("templates"), "it is the project's templates/"),
            (root.join("copies/o"), "inside the project's copies/"),
        ] {
            let err = check(&out).unwrap_err();
            assert!(err.contains(says), "{}: {err}", out.display());
        }
        assert_eq!(
            check(&root.join("output")).unwrap(),
            resolve(&root).unwrap().join("output")
        );
        assert!(check(&dir.path().join("elsewhere/out")).is_ok());
        // A register folder inside the output would be deleted by a build.
        let err = check_target(&root.join("records"), &root, "records/registers").unwrap_err();
        assert!(
            err.message
                .contains("it holds the project's records/registers/"),
            "{err}"
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
            assert!(check(&link)
                .unwrap_err()
                .contains("it is the project's content/"));
            assert!(check(&link.join("x/y"))
                .unwrap_err()
                .contains("inside the project's content/"));
        }
    }
}
