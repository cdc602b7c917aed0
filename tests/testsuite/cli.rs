//! Tests of the command line itself: help, usage errors and exit codes,
//! `new`, the `check` summary and the `build` flags.

use std::fs;
use std::path::Path;

use crate::testsuite::common::*;

/// Each command, the flags its help must list, and a word of its description.
const COMMANDS: &[(&str, &[&str], &str)] = &[
    (
        "build",
        &[
            "--root <DIR>",
            "--out <DIR>",
            "--base-url <URL>",
            "--drafts",
            "--site-only",
            "--pdf-only",
            "--jobs <N>",
            "--relative",
            "--quiet",
        ],
        "Build the site and every memo",
    ),
    ("check", &["--root <DIR>"], "write nothing"),
    (
        "copies",
        &[
            "--recipients <FILE>",
            "--for <NAME, ORG>",
            "--verify <FILE.pdf>",
            "--root <DIR>",
        ],
        "personalised, numbered copies",
    ),
    ("new", &["<DIR>", "--example"], "new project"),
];

#[test]
fn help_of_each_command_describes_it_and_lists_its_flags() {
    for (command, flags, about) in COMMANDS {
        let out = orepress(Path::new("."), &[command, "--help"]);
        let help = stdout(&out);
        assert!(out.status.success(), "{command} --help: {}", stderr(&out));
        assert!(
            help.contains(&format!("Usage: orepress {command}")),
            "{command}: {help}"
        );
        assert!(
            help.contains(about),
            "{command} help lacks `{about}`:\n{help}"
        );
        for flag in *flags {
            // Every flag is listed with words that say what it does.
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(flag) || l.contains(&format!(", {flag}")))
                .unwrap_or_else(|| panic!("{command} --help does not list {flag}:\n{help}"));
            let said = line[line.find(flag).unwrap() + flag.len()..].trim();
            assert!(
                said.split_whitespace().count() >= 2,
                "{command} {flag} has no description: `{line}`"
            );
        }
        assert!(
            help.lines().all(|l| l.chars().count() <= 100),
            "{command} --help has lines wider than 100 columns:\n{help}"
        );
    }
}

#[test]
fn top_level_help_lists_every_command() {
    let out = orepress(Path::new("."), &["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(help.starts_with("Branded investor memos"), "{help}");
    for (command, _, _) in COMMANDS {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "--help does not list `{command}`:\n{help}"
        );
    }
}

#[test]
fn usage_errors_exit_2_with_clap_messages() {
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (
            &["build", "--frob"][..],
            "unexpected argument '--frob' found",
        ),
        (
            &["check", "--drafts"][..],
            "unexpected argument '--drafts' found",
        ),
        (
            &["build", "--jobs", "0"][..],
            "invalid value '0' for '--jobs <N>'",
        ),
        (
            &["build", "--jobs", "5000"][..],
            "invalid value '5000' for '--jobs <N>': 5000 is not in 1..=256",
        ),
        (
            &["build", "--site-only", "--pdf-only"][..],
            "cannot be used with",
        ),
        (&["new"][..], "required arguments were not provided"),
        (&[][..], "Usage: orepress <COMMAND>"),
    ] {
        let out = orepress(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn new_writes_a_project_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = orepress(dir.path(), &["new", "my-briefs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Created a new orepress project in my-briefs"));
    let project = dir.path().join("my-briefs");
    for file in [
        "content/site.yaml",
        "themes/default/theme.yaml",
        ".gitignore",
    ] {
        assert!(project.join(file).is_file(), "new did not write {file}");
    }
    let briefs = fs::read_dir(project.join("content/briefs"))
        .unwrap()
        .count();
    assert!(briefs >= 1, "the new project has no briefs");

    let check = orepress(&project, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).starts_with("No problems found"));
    let build = orepress(&project, &["build", "--quiet"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(project.join("output/site/index.html").is_file());
    let memos = fs::read_dir(project.join("output/memos")).unwrap().count();
    assert!(memos >= 1, "no memos built");
}

#[test]
fn new_into_an_empty_folder_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let out = orepress(dir.path(), &["new", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("content/site.yaml").is_file());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("taken");
    fs::create_dir(&project).unwrap();
    fs::write(project.join("notes.txt"), "mine").unwrap();
    let out = orepress(dir.path(), &["new", "taken"]);
    // Not a content problem: the folder given on the command line is
    // unusable, so this is a usage error (exit code 2, see README).
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("taken already exists and is not empty"),
        "{}",
        stderr(&out)
    );
    let left: Vec<_> = snapshot(&project);
    assert_eq!(left.len(), 1, "new wrote into a non-empty folder: {left:?}");
    assert_eq!(fs::read(project.join("notes.txt")).unwrap(), b"mine");
    // A file of that name is named as one, and left as it is.
    fs::write(dir.path().join("plan.txt"), "mine").unwrap();
    let out = orepress(dir.path(), &["new", "plan.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("plan.txt already exists and is a file, not a folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(dir.path().join("plan.txt")).unwrap(), b"mine");
}

#[test]
fn check_on_the_example_prints_one_line_and_exits_0() {
    let dir = example();
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("No problems found"), "{text}");
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn check_and_build_take_root_and_out_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/minimal"),
        &dir.path().join("p"),
    );
    let check = orepress(dir.path(), &["check", "--root", "p"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let build = orepress(
        dir.path(),
        &["build", "--quiet", "--root", "p", "--out", "elsewhere"],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(stdout(&build), "", "--quiet prints nothing");
    assert!(dir.path().join("elsewhere/site/index.html").is_file());
    assert!(!dir.path().join("p/output").exists());
    // Problems are still printed relative to the project.
    fs::write(
        dir.path().join("p/content/pages/about.md"),
        "no front matter\n",
    )
    .unwrap();
    let check = orepress(dir.path(), &["check", "--root", "p"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).starts_with("content/pages/about.md:1:1: missing front matter"),
        "{}",
        stderr(&check)
    );
}

/// A --root that does not exist, or is a file, is a usage problem: exit 2
/// from every command that reads a project, with the path named.
#[test]
fn a_root_that_is_not_a_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file"), "x").unwrap();
    for root in ["missing", "file"] {
        for args in [
            &["check", "--root", root][..],
            &["build", "--root", root],
            &["copies", "x", "--for", "A, B", "--root", root],
        ] {
            let out = orepress(dir.path(), args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains(&format!("`{root}` is not a folder")),
                "{args:?}: {err}"
            );
        }
    }
}

/// Text files of a built site, by path.
fn site_texts(out: &Path) -> Vec<(String, String)> {
    snapshot(&out.join("site"))
        .into_iter()
        .filter_map(|(p, b)| Some((p.display().to_string(), String::from_utf8(b).ok()?)))
        .collect()
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let dir = fixture("minimal");
    let plain = orepress(dir.path(), &["build", "--quiet", "--out", "plain"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let sitemap = fs::read_to_string(dir.path().join("plain/site/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://example.org/minimal/"),
        "{sitemap}"
    );

    let preview = "https://preview.example.net/pr-7/";
    let out = orepress(
        dir.path(),
        &[
            "build",
            "--quiet",
            "--out",
            "preview",
            "--base-url",
            preview,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let texts = site_texts(&dir.path().join("preview"));
    let sitemap = &texts.iter().find(|(p, _)| p == "sitemap.xml").unwrap().1;
    assert!(sitemap.contains(preview), "{sitemap}");
    for (path, text) in &texts {
        assert!(
            !text.contains("example.org/minimal"),
            "{path} still uses base_url from site.yaml"
        );
    }
}

#[test]
fn a_bad_base_url_flag_is_a_usage_error_and_writes_nothing() {
    let dir = fixture("minimal");
    fs::create_dir_all(dir.path().join("output/site")).unwrap();
    fs::write(dir.path().join("output/site/index.html"), "previous").unwrap();
    fs::write(dir.path().join("output").join(MARKER), "made by orepress").unwrap();
    let before = snapshot(&dir.path().join("output"));
    for url in [
        "ftp://example.org/",
        "https://example.org/?preview=1",
        "https://deploy:s3cret@example.org/",
    ] {
        let out = orepress(dir.path(), &["build", "--base-url", url]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "--base-url `{url}` is not an absolute http(s) address"
            )),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot(&dir.path().join("output")), before);
    }
}

#[test]
fn readme_starts_with_what_a_consultant_does_then_how_to_develop() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let at = |s: &str| {
        readme
            .find(s)
            .unwrap_or_else(|| panic!("README lacks `{s}`"))
    };
    let steps = [
        "## From download to published site",
        "orepress new my-briefs",
        "orepress serve",
        "orepress build",
        "**GitHub Pages** (`.github/workflows/pages.yml`)",
        "**Netlify** (`netlify.toml`)",
    ];
    for pair in steps.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    let dev = at("## Developing orepress");
    assert!(at(steps[0]) < dev);
    let tail = &readme[dev..];
    assert!(tail.contains("    cargo run --release -- build\n"));
    assert!(tail.contains("    cargo test\n"));
}

/// The binary allocates with jemalloc, set up as `src/alloc.rs` says (one
/// arena, pages returned after 100 ms by a background thread): its
/// settings, read back from jemalloc's own report at exit. A setting the
/// linker dropped, or another allocator, fails this.
#[cfg(all(target_os = "linux", not(target_env = "msvc")))]
#[test]
fn the_binary_allocates_with_jemalloc_as_configured() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orepress"))
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("run orepress");
    assert!(out.status.success());
    let report = String::from_utf8_lossy(&out.stderr);
    for setting in [
        "opt.narenas: 1\n",
        "opt.background_thread: true",
        "opt.dirty_decay_ms: 100 ",
        "opt.muzzy_decay_ms: 0 ",
    ] {
        assert!(report.contains(setting), "no {setting:?} in:\n{report}");
    }
}

/// Runs orepress with `args` in `dir`, its stdout and stderr a pipe that
/// nobody reads (closed before it starts, as `orepress … | head -0`).
fn run_into_closed_pipe(dir: &Path, args: &[&str]) -> std::process::ExitStatus {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(args)
        .current_dir(dir)
        .stdout(writer.try_clone().expect("clone pipe"))
        .stderr(writer)
        .status()
        .expect("run orepress")
}

#[test]
fn a_closed_stdout_or_stderr_never_panics_and_keeps_the_exit_code() {
    let p = example();
    fs::create_dir(p.path().join("mine")).unwrap();
    fs::write(p.path().join("mine/notes.txt"), "mine").unwrap();
    // Each command prints to stdout or stderr; a write that fails must not
    // turn into a panic (exit 101) or lose the command's own result.
    let cases: &[(&[&str], i32)] = &[
        (&["check"], 0),
        (&["build", "--site-only"], 0),
        (&["build", "--out", "mine"], 2),
        (&["build", "--out", "content"], 2),
        (
            &[
                "copies",
                "antimony-opportunity",
                "--for",
                "Ayesha Khan, Indus Capital",
            ],
            0,
        ),
        (&["copies", "--verify", "missing.pdf"], 2),
        (&["copies", "antimony-opportunity"], 2),
        (&["new", "fresh"], 0),
    ];
    for (args, code) in cases {
        let status = run_into_closed_pipe(p.path(), args);
        assert_eq!(status.code(), Some(*code), "orepress {args:?}: {status}");
    }
    assert!(p.path().join("output/site/index.html").is_file());
    assert_eq!(
        fs::read_to_string(p.path().join("mine/notes.txt")).unwrap(),
        "mine"
    );
    assert!(p.path().join("fresh/content/site.yaml").is_file());
}
