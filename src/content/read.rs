//! Reading `content/`: front matter split with real line numbers, and the
//! walk of the folder (symlink loops, links leaving the project).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Error;
pub use crate::files::{inside, read_text, rel, MAX_ASSET_BYTES, MAX_TEXT_BYTES};

/// A Markdown file split at its front matter fences.
#[derive(Debug)]
pub struct Split<'a> {
    /// YAML between the fences.
    pub yaml: &'a str,
    /// Line number of the first YAML line.
    pub yaml_line: usize,
    /// Markdown after the closing fence.
    pub body: &'a str,
    /// Line number of the first body line.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Splits `---\nyaml\n---\nbody`.
pub fn split_front_matter<'a>(text: &'a str, shown: &Path) -> Result<Split<'a>, Error> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end]) {
        return Err(Error::at(shown, 1, 1, "missing front matter")
            .with_hint("start the file with a `---` line, the YAML front matter (title, summary, date…), and another `---` line"));
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if is_fence(&text[offset..end]) {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Error::at(shown, 1, 1, "front matter is not closed")
        .with_hint("end the front matter with a line holding only `---`"))
}

/// A file found under `content/`, classified by its folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Site(PathBuf),
    Brief(PathBuf),
    Deal(PathBuf),
    Contact(PathBuf),
    Page(PathBuf),
    Data(PathBuf),
    Asset(PathBuf),
}

/// Whether the entry at `path` is passed over by the walk: hidden, or an
/// editor's backup (`brief.md~`).
fn hidden(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

/// Walks `content/` (following symlinks, detecting loops), returning the
/// files it knows in a stable order, and problems found on the way. Paths
/// are relative to `root`.
pub fn walk(root: &Path) -> (Vec<Entry>, Vec<Error>) {
    let content = root.join("content");
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // A file may lead outside the project only through a symlink: itself,
    // a folder above it, or `content/`. Only those are resolved.
    let content_real = content
        .canonicalize()
        .is_ok_and(|c| c == canon_root.join("content"));
    let mut linked: Vec<PathBuf> = Vec::new();
    let mut walker = WalkDir::new(&content)
        .follow_links(true)
        .max_depth(12)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let item = match item {
            Ok(i) => i,
            // Hidden entries are not content, whatever they are: an
            // editor's lock link (`.#brief.md`) points nowhere.
            Err(e) if e.path().is_some_and(hidden) => continue,
            Err(e) => {
                let shown = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                let msg = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                problems.push(Error::in_file(shown, msg));
                continue;
            }
        };
        if item.file_type().is_dir() && (item.path_is_symlink() || item.depth() == 0) {
            // A folder linked from outside the project is one problem, not
            // one a file in it (`content/data/p -> /proc` listed 335,910
            // names of the system's files).
            let linked_here = item.depth() > 0 || !content_real;
            if linked_here && !inside(&canon_root, item.path()) {
                problems.push(Error::in_file(
                    rel(root, item.path()),
                    "symbolic link points outside the project folder",
                ));
                walker.skip_current_dir();
                continue;
            }
            if item.depth() > 0 {
                linked.push(item.path().to_path_buf());
            }
        }
        if item.file_type().is_dir() || hidden(item.path()) {
            continue;
        }
        let path = rel(root, item.path());
        if !item.file_type().is_file() {
            // A named pipe would make every read of it wait for ever.
            let kind = item
                .metadata()
                .map_or("not a file", |m| crate::files::file_kind(&m));
            problems.push(
                Error::in_file(path, format!("is {kind}, not a regular file"))
                    .with_hint("content holds files only: remove it or replace it with a file"),
            );
            continue;
        }
        // A symlink (of the file or of a folder above it) may lead
        // outside the project.
        let through_link = !content_real
            || item.path_is_symlink()
            || linked.iter().any(|d| item.path().starts_with(d));
        if through_link && !inside(&canon_root, item.path()) {
            problems.push(Error::in_file(
                path,
                "symbolic link points outside the project folder",
            ));
            continue;
        }
        if let Some(e) = long_name(&path) {
            problems.push(e);
            continue;
        }
        let parts: Vec<String> = path
            .components()
            .skip(1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let ext = item
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let yaml = ext == "yaml" || ext == "yml";
        let entry = match (
            parts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ext.as_str(),
        ) {
            (["site.yaml"], _) | (["site.yml"], _) => Entry::Site(path),
            (["briefs", _], "md") => Entry::Brief(path),
            (["deals", _], _) if yaml => Entry::Deal(path),
            (["contacts", _], _) if yaml => Entry::Contact(path),
            (["pages", _], "md") => Entry::Page(path),
            (["data", _], _) if yaml => Entry::Data(path),
            (["assets", ..], _) => Entry::Asset(path),
            _ => {
                problems.push(
                    Error::in_file(path, "file is not in a place orepress reads; it is ignored")
                        .with_hint("briefs/*.md, deals/*.yaml, contacts/*.yaml, pages/*.md, data/*.yaml, assets/")
                        .warning(),
                );
                continue;
            }
        };
        entries.push(entry);
    }
    (entries, problems)
}

/// The longest file name orepress reads: the site names a picture's
/// sizes and every published file after it, with a width and a
/// fingerprint added (`name-1600.0123456789.jpg`), and file systems refuse
/// names past 255 bytes.
pub const MAX_NAME_BYTES: usize = 200;

/// A located problem when the file name of `path` is past
/// [`MAX_NAME_BYTES`].
pub fn long_name(path: &Path) -> Option<Error> {
    let name = path.file_name()?.len();
    (name > MAX_NAME_BYTES).then(|| {
        Error::in_file(
            path,
            format!("file name of {name} bytes (at most {MAX_NAME_BYTES}): orepress publishes files named after it, with a size and a fingerprint added"),
        )
        .with_hint("give the file a shorter name")
    })
}

/// The file stem as an id/slug.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_lines_are_real() {
        let text = "---\ntitle: x\ndate: 2025-01-01\n---\n\nBody\n";
        let s = split_front_matter(text, Path::new("b.md")).unwrap();
        assert_eq!(s.yaml, "title: x\ndate: 2025-01-01\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body_line, 5);
        assert_eq!(s.body, "\nBody\n");
    }

    #[test]
    fn front_matter_errors() {
        assert!(split_front_matter("title: x\n", Path::new("b.md"))
            .unwrap_err()
            .message
            .contains("missing front matter"));
        assert!(split_front_matter("---\ntitle: x\n", Path::new("b.md"))
            .unwrap_err()
            .message
            .contains("not closed"));
        let crlf = split_front_matter("---\r\ntitle: x\r\n---\r\nBody", Path::new("b.md")).unwrap();
        assert_eq!(crlf.body, "Body");
    }
}
