//! `orepress new`: writes the example project (content and default theme)
//! embedded in the binary, so it builds at once.

use std::fs;
use std::path::Path;

use crate::error::{Error, Kind};

/// The example project's `content/` files.
const EXAMPLE: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/example.rs"));

/// Creates a project in `dir`; returns the number of files written.
pub fn create(dir: &Path) -> Result<usize, Error> {
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
    let mut n = 0;
    let theme_files =
        crate::theme::embedded_files().map(|(p, b)| (format!("themes/default/{p}"), b));
    let files = EXAMPLE
        .iter()
        .map(|(p, b)| (p.to_string(), *b))
        .chain(theme_files);
    for (rel, bytes) in files.chain(std::iter::once((
        ".gitignore".to_string(),
        b"output/\n".as_slice(),
    ))) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", &e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, "write file", &e))?;
        n += 1;
    }
    Ok(n)
}
