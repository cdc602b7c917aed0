//! Settings a memo or the site cannot be made with are located in their
//! own file by `check`, as `build` would refuse them: a theme's page style
//! (a body size of 0, a negative leading or margin was reported against a
//! brief that could not be laid out, or made broken memos), a base URL
//! with an impossible port or a `..` in its path.

use std::fs;

use crate::testsuite::common::*;

/// A project made by `orepress new` (kept while the folder is), its
/// folder, its `theme.yaml` and that file's text.
fn scaffold_theme() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let out = orepress(dir.path(), &["new", "p"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = dir.path().join("p");
    let theme = p.join("themes/default/theme.yaml");
    let text = fs::read_to_string(&theme).unwrap();
    (dir, p, theme, text)
}

#[test]
fn a_theme_page_style_no_memo_can_have_is_located_in_theme_yaml() {
    let (_dir, p, theme, text) = scaffold_theme();
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .expect("the scaffold's theme sets it")
            + 1
    };
    for (key, value, says) in [
        (
            "body_size",
            "0",
            "body_size 0 is not a size from 4 to 72 points",
        ),
        (
            "body_size",
            ".nan",
            "body_size NaN is not a size from 4 to 72 points",
        ),
        ("leading", "-5", "leading -5 is not from 0.8 to 4"),
        (
            "margins_mm",
            "[24, -1, 26, 26]",
            "margin -1 mm is not from 0 to 80 mm",
        ),
    ] {
        let changed: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with(&format!("{key}:")) {
                    format!("  {key}: {value}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        fs::write(&theme, changed).unwrap();
        for cmd in ["check", "build"] {
            let out = orepress(&p, &[cmd]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{key}: {value}: {err}");
            assert!(
                err.contains(&format!(
                    "themes/default/theme.yaml:{}:3: {says}",
                    line_of(key)
                )),
                "{key}: {value}: {err}"
            );
        }
    }
    fs::write(&theme, &text).unwrap();
    let out = orepress(&p, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!p.join("output").exists());
}

/// A font `theme.yaml` names that the theme does not have is placed where
/// it is named, and a colour it leaves out at `colors:` (both were given
/// with the file's name alone, no line).
#[test]
fn a_missing_font_or_colour_is_located_in_theme_yaml() {
    let (_dir, p, theme, text) = scaffold_theme();
    let (line, at) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("NotoSerif-Regular.ttf").map(|at| (i + 1, at + 1)))
        .expect("the scaffold's theme names its body font");
    fs::write(
        &theme,
        text.replace("NotoSerif-Regular.ttf", "NotoSerif-Gone.ttf"),
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let out = orepress(&p, &[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!(
                "themes/default/theme.yaml:{line}:{at}: font file `NotoSerif-Gone.ttf` not found"
            )),
            "{err}"
        );
    }
    assert!(!p.join("output").exists());

    // A colour left out: placed at `colors:`, where it goes.
    let colors = text.lines().position(|l| l.starts_with("colors:")).unwrap() + 1;
    let without: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("muted:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&theme, without).unwrap();
    let err = stderr(&orepress(&p, &["check"]));
    assert!(
        err.contains(&format!(
            "themes/default/theme.yaml:{colors}:1: theme colours missing: muted"
        )),
        "{err}"
    );
}

#[test]
fn a_base_url_with_an_impossible_port_or_a_dotted_path_is_refused() {
    let dir = fixture("minimal");
    let p = dir.path();
    let site = fs::read_to_string(p.join("content/site.yaml")).unwrap();
    let line = site
        .lines()
        .position(|l| l.starts_with("base_url:"))
        .expect("the fixture sets base_url")
        + 1;
    for url in ["https://example.org:99999/", "https://example.org/a/../b/"] {
        let out = orepress(p, &["build", "--base-url", url]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(
            err.contains(&format!("--base-url `{url}` is not")),
            "{url}: {err}"
        );
        let changed: String = site
            .lines()
            .map(|l| {
                if l.starts_with("base_url:") {
                    format!("base_url: {url}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        fs::write(p.join("content/site.yaml"), changed).unwrap();
        let out = orepress(p, &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{url}: {err}");
        assert!(
            err.contains(&format!(
                "content/site.yaml:{line}:11: invalid base_url `{url}`"
            )),
            "{url}: {err}"
        );
        fs::write(p.join("content/site.yaml"), &site).unwrap();
    }
    assert!(!p.join("output").exists());
}
