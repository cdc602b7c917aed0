//! `orepress new`: writes a project embedded in the binary, so it checks
//! and builds at once: a blank one with placeholders (`Your Firm`), or with
//! `--example` the full example; either with the default theme and the
//! deploy files (GitHub Pages workflow, `netlify.toml`).

use std::fs;
use std::path::Path;

use crate::error::{Error, Kind};

/// The example project's `content/` files.
const EXAMPLE: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/example.rs"));

/// The blank project's files (`content/…`), placeholders to replace.
const BLANK: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/blank.rs"));

/// Files every new project gets: `.gitignore`, `.github/workflows/pages.yml`,
/// `netlify.toml`.
const COMMON: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/common.rs"));

/// What `orepress new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A blank project with placeholders.
    Blank,
    /// The full example project.
    Example,
}

/// Creates a project in `dir`; returns the number of files written.
pub fn create(dir: &Path, template: Template) -> Result<usize, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::msg(
            Kind::Io,
            format!(
                "{} already exists and is a file, not a folder",
                dir.display()
            ),
        )
        .with_hint("choose a new folder name"));
    }
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| Error::io(dir, "read folder", &e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::msg(
                Kind::Io,
                format!("{} already exists and is not empty", dir.display()),
            )
            .with_hint("choose a new folder name"));
        }
    }
    let content = match template {
        Template::Blank => BLANK,
        Template::Example => EXAMPLE,
    };
    let theme_files =
        crate::theme::embedded_files().map(|(p, b)| (format!("themes/default/{p}"), b));
    let files = content
        .iter()
        .chain(COMMON)
        .map(|(p, b)| (p.to_string(), *b))
        .chain(theme_files);
    let mut n = 0;
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, "write file", &e))?;
        n += 1;
    }
    Ok(n)
}
