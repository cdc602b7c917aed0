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

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Folders of `output/` that a build carries over instead of replacing:
/// personalised copies are made by `orepress copies`, not by `build`.
pub const KEPT: &[&str] = &["copies"];

/// Writes every artifact into `out`, replacing its previous content
/// atomically (as far as the file system allows: two renames). The
/// folders in [`KEPT`] move over from the previous output unchanged.
pub fn write_all(out: &Path, artifacts: &[Artifact]) -> Result<(), Error> {
    for a in artifacts {
        let bad = a.path.is_absolute()
            || a.path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)));
        if bad {
            return Err(Error::msg(
                crate::error::Kind::Io,
                format!(
                    "refusing to write outside the output folder: {}",
                    a.path.display()
                ),
            ));
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
    }
    let staging = sibling(out, "staging");
    let _ = fs::remove_dir_all(&staging);
    let result = write_tree(&staging, artifacts).and_then(|()| {
        for kept in KEPT {
            let old = out.join(kept);
            if old.is_dir() {
                copy_tree(&old, &staging.join(kept))?;
            }
        }
        swap(&staging, out)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(dir: &Path, artifacts: &[Artifact]) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create folder", &e))?;
    let mut made: std::collections::BTreeSet<PathBuf> = Default::default();
    for a in artifacts {
        let path = dir.join(&a.path);
        if let Some(parent) = path.parent() {
            if made.insert(parent.to_path_buf()) {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
            }
        }
        fs::write(&path, &a.bytes).map_err(|e| Error::io(&path, "write file", &e))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    fs::create_dir_all(to).map_err(|e| Error::io(to, "create folder", &e))?;
    for entry in fs::read_dir(from).map_err(|e| Error::io(from, "read folder", &e))? {
        let entry = entry.map_err(|e| Error::io(from, "read folder", &e))?;
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| Error::io(&entry.path(), "read file type", &e))?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).map_err(|e| Error::io(&target, "copy file", &e))?;
        }
    }
    Ok(())
}

fn swap(staging: &Path, out: &Path) -> Result<(), Error> {
    let old = sibling(out, "old");
    let _ = fs::remove_dir_all(&old);
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| Error::io(out, "move the previous output aside", &e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(Error::io(out, "move the new output into place", &e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
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
        )
        .unwrap();
        write_all(&out, &[Artifact::new("site/index.html", "two")]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("memos/a.pdf").exists(), "stale files are gone");
        // A path that escapes is refused and the output stays.
        assert!(write_all(&out, &[Artifact::new("../evil", "x")]).is_err());
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

    #[test]
    fn personalised_copies_survive_a_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_all(&out, &[Artifact::new("site/index.html", "one")]).unwrap();
        fs::create_dir_all(out.join("copies/brief")).unwrap();
        fs::write(out.join("copies/brief/001-jane.pdf"), "pdf").unwrap();
        write_all(&out, &[Artifact::new("site/index.html", "two")]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("copies/brief/001-jane.pdf")).unwrap(),
            "pdf"
        );
    }
}
