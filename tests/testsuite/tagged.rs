//! Tests of the memo PDFs as files other readers must accept: poppler,
//! qpdf and mutool read them without complaint.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::testsuite::common::*;

/// Whether `tool` is installed; when `CI` is set it must be.
fn need(tool: &str, package: &str) -> bool {
    let ok = have(tool);
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "{tool} is required on CI (apt-get install -y {package})"
    );
    ok
}

/// Runs `tool args… file`; returns (success, stdout, stderr).
fn run(tool: &str, args: &[&str], file: &Path) -> (bool, String, String) {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sets the brief's title in the typography fixture.
fn retitle(dir: &Path, title: &str) {
    let path = dir.join("content/briefs/typography.md");
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    let text = text.replacen(line, &format!("title: \"{title}\""), 1);
    fs::write(&path, text).unwrap();
}

/// A title longer than poppler's 128-byte token buffer: poppler must read
/// the cross-reference table as written, not reconstruct it.
#[test]
fn a_300_character_title_reads_cleanly_in_poppler() {
    if !need("pdfinfo", "poppler-utils") {
        return;
    }
    let dir = fixture("memo-typography");
    let title = "Antimony and tungsten offtake in Balochistan ".repeat(7);
    let title = title.trim_end();
    assert!(title.len() > 300);
    retitle(dir.path(), title);
    build(dir.path(), &["--pdf-only"]);
    let pdf = dir.path().join("output/memos/typography.pdf");
    let (ok, out, err) = run("pdfinfo", &[], &pdf);
    assert!(ok, "{err}");
    assert!(!err.contains("Error") && !err.contains("Warning"), "{err}");
    assert!(out.contains(title), "{out}");
    let (ok, _, err) = run("pdfinfo", &["-f", "1", "-l", "3"], &pdf);
    assert!(ok && err.is_empty(), "{err}");
    if need("qpdf", "qpdf") {
        let (ok, out, err) = run("qpdf", &["--check"], &pdf);
        assert!(ok, "{out}{err}");
    }
}
