//! Embeds the project files `orepress new` writes: the example `content/`,
//! the blank project of `scaffold/blank/` and the deploy files of
//! `scaffold/common/` (GitHub Pages workflow, netlify.toml, .gitignore).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // (folder, output file, whether dot files are part of it)
    for (dir, out, dotfiles) in [
        ("content", "example.rs", false),
        ("scaffold/blank", "blank.rs", false),
        ("scaffold/common", "common.rs", true),
    ] {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&base, dotfiles, &mut files);
        files.sort();
        let mut code = String::from("&[\n");
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            // Paths are written as in the new project: the example's keep
            // their `content/` prefix, the scaffold's are relative to it.
            let strip = if dir == "content" { root } else { &base };
            let rel = f
                .strip_prefix(strip)
                .expect("inside the package")
                .to_string_lossy()
                .replace('\\', "/");
            let _ = writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?}) as &[u8]),",
                f.display().to_string()
            );
        }
        code.push(']');
        std::fs::write(Path::new(&out_dir).join(out), code).expect("write embedded file list");
    }
}

fn collect(dir: &Path, dotfiles: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && (!dotfiles || name == ".DS_Store") {
            continue;
        }
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(&p, dotfiles, out);
        } else {
            out.push(p);
        }
    }
}
