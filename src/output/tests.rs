//! Tests of the staging folder, the swap, the digests listing and the
//! output folder's guards.

use super::*;

/// Threads writing into the same new folders at once all succeed: a
/// folder counts as made only once it exists.
#[test]
fn staging_takes_files_from_many_threads() {
    use rayon::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    for round in 0..3 {
        let staging = Staging::begin(&out).unwrap();
        (0..400).into_par_iter().for_each(|i| {
            let path = PathBuf::from(format!("site/d{}/e{}/f{i}.html", i % 7, i % 3));
            staging
                .put(&path, format!("{round} {i}").as_bytes())
                .unwrap();
        });
        staging.finish(&[]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/d5/e0/f390.html")).unwrap(),
            format!("{round} 390")
        );
    }
    // Dropped unfinished, a staging folder leaves nothing behind and the
    // output as it was.
    let staging = Staging::begin(&out).unwrap();
    staging.put(Path::new("site/index.html"), b"half").unwrap();
    drop(staging);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("output")]);
    assert!(out.join("site/d0/e0/f0.html").is_file());
    assert!(!out.join("site/index.html").exists());
}

/// A previous output is removed whole, however deep, and a link in it
/// is removed, not followed: what it names stays.
#[cfg(unix)]
#[test]
fn removing_an_output_removes_links_not_what_they_name() {
    use rayon::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("user");
    fs::create_dir_all(keep.join("inner")).unwrap();
    fs::write(keep.join("inner/notes.txt"), "mine").unwrap();
    let old = dir.path().join("old");
    (0..50).into_par_iter().for_each(|i| {
        let d = old.join(format!("site/b{i}/x"));
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("index.html"), "x").unwrap();
    });
    // Deeper than the levels removed in parallel.
    let deep: PathBuf = (0..40).map(|i| format!("d{i}")).collect();
    fs::create_dir_all(old.join(&deep)).unwrap();
    fs::write(old.join(&deep).join("f"), "x").unwrap();
    std::os::unix::fs::symlink(&keep, old.join("site/link")).unwrap();
    std::os::unix::fs::symlink(&keep, old.join(&deep).join("link")).unwrap();
    remove_tree(&old);
    assert!(!old.exists());
    assert_eq!(
        fs::read_to_string(keep.join("inner/notes.txt")).unwrap(),
        "mine"
    );
}

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
        &[],
    )
    .unwrap();
    write_all(&out, &[Artifact::new("site/index.html", "two")], &[]).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("site/index.html")).unwrap(),
        "two"
    );
    assert!(!out.join("memos/a.pdf").exists(), "stale files are gone");
    // A path that escapes is refused and the output stays.
    assert!(write_all(&out, &[Artifact::new("../evil", "x")], &[]).is_err());
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

/// The digests listing is what tells an unchanged file without reading
/// it: a listing changed by hand to give a file other bytes' digest is
/// believed for the files older than it, and a file changed after the
/// listing is read.
#[cfg(unix)]
#[test]
fn the_digests_listing_vouches_for_files_older_than_itself() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let pages = |a: &str, b: &str| {
        vec![
            Artifact::new("site/a.html", a),
            Artifact::new("site/b.html", b),
            Artifact::new("memos/b.pdf", b),
        ]
    };
    write_all(&out, &pages("aaaa", "bbbb"), &[]).unwrap();
    let listing = fs::read_to_string(out.join(DIGESTS)).unwrap();
    let digest = |t: &str| format!("{:032x}", xxhash_rust::xxh3::xxh3_128(t.as_bytes()));
    assert_eq!(
        listing,
        format!(
            "4 {0} memos/b.pdf\n4 {1} site/a.html\n4 {0} site/b.html\n",
            digest("bbbb"),
            digest("aaaa")
        )
    );
    let ino = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let before = (ino("site/a.html"), ino("site/b.html"));
    // The listing now says a.html holds "AAAA": believed, a.html is not
    // read and keeps its bytes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(
        out.join(DIGESTS),
        listing.replace(&digest("aaaa"), &digest("AAAA")),
    )
    .unwrap();
    write_all(&out, &pages("AAAA", "bbbb"), &[]).unwrap();
    assert_eq!(ino("site/a.html"), before.0);
    assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), "aaaa");
    assert_eq!(ino("site/b.html"), before.1);
    // A file changed after the listing is read and written again.
    fs::write(out.join("site/b.html"), "xxxx").unwrap();
    write_all(&out, &pages("AAAA", "bbbb"), &[]).unwrap();
    assert_ne!(ino("site/b.html"), before.1);
    assert_eq!(fs::read_to_string(out.join("site/b.html")).unwrap(), "bbbb");
    // A part a build keeps is not listed (the next build reads it).
    write_all(&out, &[Artifact::new("memos/b.pdf", "bbbb")], &["site"]).unwrap();
    assert_eq!(
        fs::read_to_string(out.join(DIGESTS)).unwrap(),
        format!("4 {} memos/b.pdf\n", digest("bbbb"))
    );
    // No file may take the listing's name.
    let staging = Staging::begin(&out).unwrap();
    assert!(staging.put(Path::new(DIGESTS), b"x").is_err());
}

#[cfg(unix)]
#[test]
fn unchanged_files_keep_their_identity_and_changed_ones_are_written() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let build = |pages: &[(&str, &str)]| {
        let pages: Vec<Artifact> = pages.iter().map(|(p, b)| Artifact::new(*p, *b)).collect();
        write_all(&out, &pages, &[]).unwrap();
    };
    let id = |p: &str| {
        let m = fs::metadata(out.join(p)).unwrap();
        (m.ino(), m.mtime_nsec(), m.mtime())
    };
    build(&[
        ("same.html", "same"),
        ("grows.html", "ab"),
        ("shrinks.html", "abc"),
        ("edited.html", "abc"),
    ]);
    let before = [
        id("same.html"),
        id("grows.html"),
        id("shrinks.html"),
        id("edited.html"),
    ];
    // A file changed in the output since the build is not the same.
    fs::write(out.join("edited.html"), "xyz").unwrap();
    build(&[
        ("same.html", "same"),
        ("grows.html", "abc"),
        ("shrinks.html", "ab"),
        ("edited.html", "abc"),
    ]);
    assert_eq!(
        id("same.html"),
        before[0],
        "an unchanged file is the same file"
    );
    for (i, (p, text)) in [
        ("grows.html", "abc"),
        ("shrinks.html", "ab"),
        ("edited.html", "abc"),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(fs::read_to_string(out.join(p)).unwrap(), text, "{p}");
        assert_ne!(id(p).0, before[i + 1].0, "{p} is written anew");
    }
    // Once the previous output is gone, each file has one name again.
    assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1);
}

#[test]
fn personalised_copies_survive_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    write_all(&out, &[Artifact::new("site/index.html", "one")], &[]).unwrap();
    fs::create_dir_all(out.join("copies/brief")).unwrap();
    fs::write(out.join("copies/brief/001-jane.pdf"), "pdf").unwrap();
    write_all(&out, &[Artifact::new("site/index.html", "two")], &[]).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("copies/brief/001-jane.pdf")).unwrap(),
        "pdf"
    );
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_output_has_the_marker_and_only_marked_or_empty_folders_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    write_all(&out, &[Artifact::new("site/index.html", "one")], &[]).unwrap();
    assert!(fs::read_to_string(out.join(MARKER))
        .unwrap()
        .contains("made by orepress"));
    // An empty folder may be used.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    write_all(&empty, &[Artifact::new("a.txt", "a")], &[]).unwrap();
    assert_eq!(files(&empty), [DIGESTS, MARKER, "a.txt"]);
    // Someone else's folder and a file are refused and stay as they were.
    let mine = dir.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "mine").unwrap();
    let err = write_all(&mine, &[Artifact::new("a.txt", "a")], &[]).unwrap_err();
    assert!(err.message.contains("orepress did not make it"), "{err}");
    assert_eq!(files(&mine), ["notes.txt"]);
    let file = dir.path().join("file");
    fs::write(&file, "data").unwrap();
    let err = write_all(&file, &[Artifact::new("a.txt", "a")], &[]).unwrap_err();
    assert!(err.message.contains("it is a file"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "data");
    // No artifact may overwrite the marker.
    assert!(write_all(&out, &[Artifact::new(MARKER, "x")], &[]).is_err());
    assert_eq!(files(dir.path()), ["empty", "file", "mine", "output"]);
}

#[test]
fn parts_not_built_are_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let both = [
        Artifact::new("site/index.html", "one"),
        Artifact::new("memos/a.pdf", "pdf one"),
    ];
    write_all(&out, &both, &[]).unwrap();
    write_all(&out, &[Artifact::new("memos/a.pdf", "pdf two")], &["site"]).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("site/index.html")).unwrap(),
        "one"
    );
    assert_eq!(
        fs::read_to_string(out.join("memos/a.pdf")).unwrap(),
        "pdf two"
    );
}

#[test]
fn the_two_rename_fallback_replaces_and_a_killed_one_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    write_all(&out, &[Artifact::new("a.txt", "one")], &[]).unwrap();
    let staging = dir.path().join("new");
    fs::create_dir(&staging).unwrap();
    fs::write(staging.join("a.txt"), "two").unwrap();
    fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
    swap(&staging, &out, false).unwrap();
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
    assert_eq!(files(dir.path()), ["output"]);

    // A build killed between the two renames (pid 0 is never a build):
    // the next one puts the previous output back, then replaces it.
    let old = dir.path().join(".output.old-0");
    fs::rename(&out, &old).unwrap();
    fs::create_dir(dir.path().join(".output.staging-0")).unwrap();
    remove_stale(&out);
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
    assert_eq!(files(dir.path()), ["output"]);
}

#[test]
fn stale_folders_of_running_builds_stay() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let running = format!(".output.staging-{}", std::process::id());
    let gone = ".output.staging-0";
    let other = ".outputs.staging-0";
    for name in [running.as_str(), gone, other] {
        fs::create_dir(dir.path().join(name)).unwrap();
    }
    remove_stale(&out);
    let mut want = vec![running, other.to_string()];
    want.sort();
    assert_eq!(files(dir.path()), want);
}

#[test]
fn the_project_and_its_sources_are_refused_as_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    for sub in ["content/briefs", "themes", "copies"] {
        fs::create_dir_all(root.join(sub)).unwrap();
    }
    let check = |out: &Path| check_target(out, &root, "copies").map_err(|e| e.message);
    for (out, says) in [
        (root.clone(), "it is the project folder"),
        (root.join("content/.."), "it is the project folder"),
        (dir.path().to_path_buf(), "it holds the project folder"),
        (root.join("content"), "it is the project's content/ folder"),
        (
            root.join("content/briefs/x"),
            "inside the project's content/",
        ),
        (root.join("new/../themes/a"), "inside the project's themes/"),
        (root.join("templates"), "it is the project's templates/"),
        (root.join("copies/o"), "inside the project's copies/"),
    ] {
        let err = check(&out).unwrap_err();
        assert!(err.contains(says), "{}: {err}", out.display());
    }
    assert_eq!(
        check(&root.join("output")).unwrap(),
        resolve(&root).unwrap().join("output")
    );
    assert!(check(&dir.path().join("elsewhere/out")).is_ok());
    // A register folder inside the output would be deleted by a build.
    let err = check_target(&root.join("records"), &root, "records/registers").unwrap_err();
    assert!(
        err.message
            .contains("it holds the project's records/registers/"),
        "{err}"
    );
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        assert!(check(&link)
            .unwrap_err()
            .contains("it is the project's content/"));
        assert!(check(&link.join("x/y"))
            .unwrap_err()
            .contains("inside the project's content/"));
    }
}
