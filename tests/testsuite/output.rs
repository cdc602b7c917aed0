//! Tests of the output folder: a build never writes into the project, its
//! sources or a folder of someone else's files; every build marks its output
//! and replaces it in one step, even when killed; a partial build keeps the
//! part it did not make.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::testsuite::common::*;

/// A temporary folder holding `work/p`, a copy of the minimal project with
/// a `themes/` and a `templates/` folder of its own, and `work/mine`, a
/// folder of the user's files. Returns the folder and the project's path.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("work/p");
    copy_dir(&repo().join("tests/fixtures/minimal"), &project);
    for (folder, file) in [("themes", "notes.txt"), ("templates", "notes.txt")] {
        fs::create_dir_all(project.join(folder)).unwrap();
        fs::write(project.join(folder).join(file), "the user's").unwrap();
    }
    fs::create_dir_all(dir.path().join("work/mine/letters")).unwrap();
    fs::write(dir.path().join("work/mine/letters/ana.txt"), "Dear Ana").unwrap();
    fs::write(dir.path().join("work/mine/todo.txt"), "everything").unwrap();
    (dir, project)
}

/// Runs `orepress build --out <out>` in `project`; asserts that it is
/// refused with exit code 2, a message naming `out` and saying `why`, and
/// that no file under `top` changed (none added, none removed).
fn assert_refused(top: &Path, project: &Path, out: &str, why: &str) {
    let before = snapshot(top);
    let paths = all_paths(top);
    let run = orepress(project, &["build", "--quiet", "--out", out]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "--out {out}: {err}");
    assert!(
        err.contains(&format!("refusing to use `{out}` as the output folder")) && err.contains(why),
        "--out {out}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(snapshot(top) == before, "--out {out} changed files");
    assert_eq!(
        all_paths(top),
        paths,
        "--out {out} added or removed folders"
    );
}

/// Every path (files and folders) under `dir`.
fn all_paths(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        out.push(p.clone());
        if e.file_type().unwrap().is_dir() {
            out.extend(all_paths(&p));
        }
    }
    out.sort();
    out
}

#[test]
fn the_project_its_sources_and_a_folder_holding_it_are_refused_as_output() {
    let (dir, project) = workspace();
    let top = dir.path();
    let absolute = project.display().to_string();
    for (out, why) in [
        (".", "it is the project folder"),
        (absolute.as_str(), "it is the project folder"),
        ("content/..", "it is the project folder"),
        ("..", "it holds the project folder"),
        ("../..", "it holds the project folder"),
        ("content", "it is the project's content/ folder"),
        (
            "content/briefs",
            "it lies inside the project's content/ folder",
        ),
        // Not there yet: still inside content/, and not created.
        (
            "content/new/site",
            "it lies inside the project's content/ folder",
        ),
        ("themes", "it is the project's themes/ folder"),
        ("templates", "it is the project's templates/ folder"),
        ("copies", "it is the project's copies/ folder"),
    ] {
        assert_refused(top, &project, out, why);
    }
    assert!(!project.join("content/new").exists());
    assert!(!project.join("copies").exists());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_into_the_project_sources_is_refused_as_output() {
    let (dir, project) = workspace();
    std::os::unix::fs::symlink(project.join("content"), dir.path().join("work/link")).unwrap();
    assert_refused(
        dir.path(),
        &project,
        "../link",
        "it is the project's content/ folder",
    );
    assert_refused(
        dir.path(),
        &project,
        "../link/site",
        "it lies inside the project's content/ folder",
    );
}

#[test]
fn a_folder_of_the_users_files_is_refused_but_an_empty_one_is_used() {
    let (dir, project) = workspace();
    assert_refused(
        dir.path(),
        &project,
        "../mine",
        "it is not empty and orepress did not make it (it has no .orepress-output file)",
    );
    // The default output/, when it holds files orepress did not write.
    fs::create_dir_all(project.join("output/site")).unwrap();
    fs::write(project.join("output/site/index.html"), "hand-made").unwrap();
    let before = snapshot(dir.path());
    let run = orepress(&project, &["build", "--quiet"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("output` as the output folder: it is not empty"),
        "{}",
        stderr(&run)
    );
    assert!(snapshot(dir.path()) == before);

    let empty = dir.path().join("work/empty");
    fs::create_dir(&empty).unwrap();
    build(&project, &["--out", "../empty"]);
    assert!(empty.join("site/index.html").is_file());
    assert!(empty.join(MARKER).is_file());
}

#[test]
fn an_output_that_is_a_file_is_refused_not_moved_away() {
    let (_dir, project) = workspace();
    fs::write(project.join("output"), "my notes, not a folder").unwrap();
    let run = orepress(&project, &["build", "--quiet"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("it is a file, not a folder"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        fs::read(project.join("output")).unwrap(),
        b"my notes, not a folder"
    );
    let hidden: Vec<_> = fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn every_build_marks_its_output_and_replaces_a_marked_one() {
    let dir = fixture("minimal");
    build(dir.path(), &[]);
    let marker = fs::read_to_string(dir.path().join("output").join(MARKER)).unwrap();
    assert!(
        marker.contains("made by orepress") && marker.contains("replaced"),
        "{marker}"
    );
    fs::write(dir.path().join("output/site/stale.html"), "old").unwrap();
    build(dir.path(), &[]);
    assert!(!dir.path().join("output/site/stale.html").exists());
}

/// Replaces the title of the minimal project's brief.
fn retitle(project: &Path, title: &str) {
    let brief = project.join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap();
    let old = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    fs::write(&brief, text.replacen(old, &format!("title: {title}"), 1)).unwrap();
}

#[test]
fn pdf_only_keeps_the_site_and_site_only_keeps_the_memos() {
    let dir = fixture("minimal");
    let out = dir.path().join("output");
    build(dir.path(), &[]);
    let site = snapshot(&out.join("site"));
    let memos = snapshot(&out.join("memos"));
    assert!(!site.is_empty() && !memos.is_empty());

    retitle(dir.path(), "Alpha brief, second edition");
    build(dir.path(), &["--pdf-only"]);
    assert!(
        snapshot(&out.join("site")) == site,
        "--pdf-only changed site/"
    );
    let new_memos = snapshot(&out.join("memos"));
    assert!(new_memos != memos, "--pdf-only did not rebuild the memos");
    assert!(out.join(MARKER).is_file());

    retitle(dir.path(), "Alpha brief, third edition");
    build(dir.path(), &["--site-only"]);
    assert!(
        snapshot(&out.join("memos")) == new_memos,
        "--site-only changed memos/"
    );
    let new_site = snapshot(&out.join("site"));
    assert!(new_site != site, "--site-only did not rebuild the site");
    let index = fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(index.contains("third edition"));
}

/// A small pseudo-random generator (xorshift), seeded from the clock; the
/// seed is printed with every failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

/// The hidden folders orepress keeps beside `output/` while it builds.
fn beside_output(project: &Path) -> Vec<String> {
    fs::read_dir(project)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output."))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_output() {
    const KILLS: usize = 25;
    let dir = example();
    let project = dir.path();
    let brief = project.join("content/briefs/antimony-opportunity.md");
    let first = fs::read_to_string(&brief).unwrap();
    let second = first.replacen(
        "title: \"Antimony: Pakistan's frontier opportunity\"",
        "title: \"Antimony: a second look\"",
        1,
    );
    assert_ne!(first, second);
    let inputs = [first, second];

    fs::write(&brief, &inputs[0]).unwrap();
    build(project, &[]);
    let builds = {
        let one = snapshot(&project.join("output"));
        fs::write(&brief, &inputs[1]).unwrap();
        let started = Instant::now();
        build(project, &[]);
        let took = started.elapsed();
        ([one, snapshot(&project.join("output"))], took)
    };
    let (builds, took) = builds;
    assert!(builds[0] != builds[1], "the two inputs build the same");
    assert!(builds[0].iter().any(|(p, _)| p == Path::new(MARKER)));

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let span = took.as_millis() as u64 + 20;
    let mut left_behind = std::collections::BTreeSet::new();
    let mut new_output = 0;
    for kill in 0..KILLS {
        fs::write(&brief, &inputs[kill % 2]).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_orepress"))
            .args(["build", "--quiet"])
            .current_dir(project)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if kill % 2 == 0 {
            // Anywhere in the build.
            std::thread::sleep(Duration::from_millis(rng.next(span)));
        } else {
            // While it writes and swaps: once its staging folder appears.
            let started = Instant::now();
            while beside_output(project).is_empty()
                && child.try_wait().unwrap().is_none()
                && started.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_micros(100));
            }
            std::thread::sleep(Duration::from_micros(rng.next(2000)));
        }
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&project.join("output"));
        assert!(
            now == builds[0] || now == builds[1],
            "kill {kill} (seed {seed}): output/ is neither build ({} files; the builds have {} and {})",
            now.len(),
            builds[0].len(),
            builds[1].len()
        );
        new_output += usize::from(now == builds[kill % 2]);
        left_behind.extend(beside_output(project));
    }
    // The next build removes what the killed ones left and replaces output/.
    fs::write(&brief, &inputs[0]).unwrap();
    build(project, &[]);
    assert!(snapshot(&project.join("output")) == builds[0]);
    let hidden = beside_output(project);
    assert!(
        hidden.is_empty(),
        "seed {seed}: left beside output/ after a build: {hidden:?}"
    );
    eprintln!(
        "{KILLS} kills (seed {seed}): {new_output} after the new output was in place, {} left folders behind",
        left_behind.len()
    );
}

/// Each file under `dir` with its inode and modification time.
#[cfg(unix)]
fn identities(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    all_paths(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let m = fs::metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            (rel, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_the_files_that_did_not_change_with_their_times() {
    let dir = fixture("minimal");
    let out = dir.path().join("output");
    build(dir.path(), &[]);
    let before = identities(&out);
    let brief = dir.path().join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, format!("{text}\nA sentence added since.\n")).unwrap();
    build(dir.path(), &[]);
    let after = identities(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let page = Path::new("site/briefs/alpha/index.html");
    assert!(fs::read_to_string(out.join(page))
        .unwrap()
        .contains("A sentence added since."));
    assert_ne!(before[page], after[page], "the edited brief's page is new");
    assert_ne!(
        before[Path::new("memos/alpha.pdf")],
        after[Path::new("memos/alpha.pdf")]
    );
    let style = before
        .keys()
        .find(|p| p.starts_with("site/static") && p.extension().is_some_and(|e| e == "css"))
        .expect("a style sheet");
    for kept in [
        Path::new("site/404.html"),
        Path::new("site/about/index.html"),
        Path::new("site/deals/index.html"),
        Path::new("site/robots.txt"),
        style,
    ] {
        assert_eq!(
            before.get(kept),
            after.get(kept),
            "{} did not change, yet it is another file",
            kept.display()
        );
    }
}
