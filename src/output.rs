//! The only writer: artifacts (path + bytes) go into a staging folder beside
//! the output folder, which replaces the old one only when every write
//! succeeded. On any failure the previous output is left exactly as it was.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

mod digests;

use digests::Digests;
pub use digests::{ctime_of, date, DIGESTS};

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
mod tests;
