//! Where orepress reads and writes, tried as an attacker would: a folder
//! linked to a large tree outside the project, names too long for the
//! files the site makes of them, a register folder that leads elsewhere
//! through a link. Each is one located problem that `check` reports as
//! `build` or `copies` would, and nothing is written where it must not be.

use std::fs;
use std::path::Path;

use crate::testsuite::common::*;

/// The problem lines (not hints or the summary) of a run's error output.
fn problems(err: &str) -> Vec<&str> {
    err.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("error:"))
        .collect()
}

/// A brief of the project at `p`: its file and its slug.
fn a_brief(p: &Path) -> (std::path::PathBuf, String) {
    let file = fs::read_dir(p.join("content/briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|e| e == "md"))
        .expect("the fixture has a brief");
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    (file, slug)
}

#[cfg(unix)]
#[test]
fn a_folder_linked_from_outside_is_one_problem_not_a_listing_of_it() {
    let dir = fixture("minimal");
    let p = dir.path();
    // A tree of thousands of files the user may not even read.
    std::os::unix::fs::symlink("/usr", p.join("content/data/sys")).unwrap();
    let out = orepress(p, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        problems(&err),
        ["content/data/sys: symbolic link points outside the project folder"],
        "{err}"
    );
    // `content/` itself, linked outside.
    fs::remove_file(p.join("content/data/sys")).unwrap();
    fs::rename(p.join("content"), p.join("real-content")).unwrap();
    let far = tempfile::tempdir().unwrap();
    copy_dir(&p.join("real-content"), far.path());
    std::os::unix::fs::symlink(far.path(), p.join("content")).unwrap();
    let out = orepress(p, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        problems(&err).contains(&"content: symbolic link points outside the project folder"),
        "{err}"
    );
}

#[test]
fn names_too_long_for_the_files_made_of_them_are_located_by_check() {
    let dir = fixture("minimal");
    let p = dir.path();
    let (brief, _) = a_brief(p);
    let text = fs::read_to_string(&brief).unwrap();
    let slug = "a".repeat(300);
    fs::write(
        &brief,
        text.replacen("---\n", &format!("---\nslug: {slug}\n"), 1),
    )
    .unwrap();
    let long_asset = format!("content/assets/{}.png", "b".repeat(240));
    fs::write(p.join(&long_asset), b"\x89PNG").unwrap();
    fs::create_dir_all(p.join("themes/default/static")).unwrap();
    let long_static = format!("themes/default/static/{}.css", "c".repeat(248));
    fs::write(p.join(&long_static), "p{}").unwrap();

    let shown = brief.strip_prefix(p).unwrap().display().to_string();
    for args in [&["check"][..], &["build", "--quiet"]] {
        let out = orepress(p, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "{shown}:2:7: slug `aaaaaaaaaaaaaaaaaaaaaaaa…` is 300 characters long (at most 100)"
            )),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!(
                "{long_asset}: file name of 244 bytes (at most 200)"
            )),
            "{args:?}: {err}"
        );
        assert!(!p.join("output").exists(), "{args:?}: nothing built");
    }
    // The theme is read once the content is right.
    fs::write(&brief, &text).unwrap();
    fs::remove_file(p.join(&long_asset)).unwrap();
    let out = orepress(p, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{long_static}: file name of 252 bytes (at most 200)"
        )),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_register_folder_that_leads_elsewhere_is_refused_before_anything_is_written() {
    use std::os::unix::fs::symlink;
    let dir = fixture("minimal");
    let p = dir.path();
    let site = fs::read_to_string(p.join("content/site.yaml")).unwrap();
    let with_register = |name: &str| {
        let kept: String = site
            .lines()
            .take_while(|l| !l.starts_with("copies:"))
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(
            p.join("content/site.yaml"),
            format!("{kept}copies:\n  register_dir: {name}\n"),
        )
        .unwrap();
        kept.lines().count() + 2
    };
    let far = tempfile::tempdir().unwrap();
    for (target, why) in [
        // Not built yet: the link leads nowhere, until the build makes it.
        (
            Path::new("output"),
            "it leads into the project's output/ folder",
        ),
        (
            Path::new("content/briefs"),
            "it leads into the project's content/ folder",
        ),
        (far.path(), "not to a folder inside the project"),
    ] {
        let _ = fs::remove_file(p.join("reg"));
        symlink(target, p.join("reg")).unwrap();
        let line = with_register("reg");
        let out = orepress(p, &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{target:?}: {err}");
        assert!(
            err.contains(&format!("content/site.yaml:{line}:3: register_dir `reg` must be a folder inside the project"))
                && err.contains(why),
            "{target:?}: {err}"
        );
    }
    // A brief's own register folder linked outside: copies refuses it and
    // writes nothing there.
    fs::remove_file(p.join("reg")).unwrap();
    fs::write(p.join("content/site.yaml"), &site).unwrap();
    let (_, slug) = a_brief(p);
    fs::create_dir_all(p.join("copies")).unwrap();
    symlink(far.path(), p.join("copies").join(&slug)).unwrap();
    let out = orepress(p, &["copies", &slug, "--for", "Jane Doe, Acme"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "copies/{slug}: cannot keep copies here: it leads to"
        )),
        "{err}"
    );
    assert_eq!(
        fs::read_dir(far.path()).unwrap().count(),
        0,
        "nothing written outside"
    );
}

/// A folder where the register file belongs is a file-system problem
/// (exit 2, as the README says), not a content one; nothing is written.
#[test]
fn a_folder_in_the_registers_place_is_a_file_system_error() {
    let dir = fixture("minimal");
    let p = dir.path();
    let (_, slug) = a_brief(p);
    let register = p.join("copies").join(&slug).join("register.csv");
    fs::create_dir_all(&register).unwrap();
    let out = orepress(p, &["copies", &slug, "--for", "Jane Doe, Acme"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("copies/{slug}/register.csv: cannot read file")),
        "{err}"
    );
    let pdfs = fs::read_dir(p.join("copies").join(&slug))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(pdfs, 0, "no copy made");
}
