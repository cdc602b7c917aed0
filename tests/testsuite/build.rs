//! Tests of orepress's build.

use crate::testsuite::common::*;

#[test]
fn example_builds_and_is_reproducible() {
    let dir = example();
    let first = orepress(dir.path(), &["build", "--quiet"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let a = snapshot(&dir.path().join("output"));
    assert!(a.iter().any(|(p, _)| p.ends_with("site/index.html")));
    // --fresh: the memos are set again, not taken from the first build.
    let second = orepress(dir.path(), &["build", "--quiet", "--jobs", "1", "--fresh"]);
    assert!(second.status.success(), "{}", stderr(&second));
    let b = snapshot(&dir.path().join("output"));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between builds", pa.display());
    }
}

#[test]
fn titles_from_yaml_get_typographers_quotes_everywhere() {
    let dir = example();
    let brief = dir.path().join("content/briefs/antimony-opportunity.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    let text = text.replacen(
        "\ntitle: ",
        "\ntitle: \"The \\\"first\\\" lot -- Pakistan's ore\"\nx: ",
        1,
    );
    // Drop the old title line that now follows as `x: ...`.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("x: "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&brief, text).unwrap();
    let out = orepress(dir.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let curly = "The “first” lot – Pakistan’s ore";
    let page = std::fs::read_to_string(
        dir.path()
            .join("output/site/briefs/antimony-opportunity/index.html"),
    )
    .unwrap();
    assert!(page.contains(curly), "site page");
    assert!(!page.contains("Pakistan&#39;s ore") && !page.contains("Pakistan's ore"));
    let feed = std::fs::read_to_string(dir.path().join("output/site/atom.xml")).unwrap();
    assert!(feed.contains(curly), "feed");
    let memo = dir.path().join("output/memos/antimony-opportunity.pdf");
    if let Some(cover) = pdftotext(&memo, &["-l", "1"]) {
        let flat = flat(&cover);
        assert!(flat.contains(curly), "memo cover: {flat}");
    }
}

fn memo_text(dir: &std::path::Path, stem: &str) -> String {
    let path = dir.join(format!("output/memos/{stem}.pdf"));
    let text = pdftotext(&path, &[]).unwrap_or_default();
    flat(&text)
}

/// A build takes a memo from the previous output when nothing it is made
/// of changed, and sets it again when its brief, a deal, the theme or the
/// memo file itself changed.
#[test]
fn unchanged_memos_are_taken_from_the_previous_build() {
    let dir = fixture("minimal");
    let briefs = dir.path().join("content/briefs");
    let alpha = std::fs::read_to_string(briefs.join("alpha.md")).unwrap();
    std::fs::write(
        briefs.join("beta.md"),
        alpha.replace("Alpha brief", "Beta brief"),
    )
    .unwrap();
    let built = |args: &[&str]| {
        let mut all = vec!["build", "--pdf-only"];
        all.extend_from_slice(args);
        let out = orepress(dir.path(), &all);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let memo =
        |stem: &str| std::fs::read(dir.path().join(format!("output/memos/{stem}.pdf"))).unwrap();

    let first = built(&[]);
    assert!(!first.contains("unchanged"), "{first}");
    let (a1, b1) = (memo("alpha"), memo("beta"));
    #[cfg(unix)]
    let inode = |stem: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir.path().join(format!("output/memos/{stem}.pdf")))
            .unwrap()
            .ino()
    };
    #[cfg(unix)]
    let alpha_file = inode("alpha");
    // The keys are written after the memos; on a coarse clock a build as
    // small as this one can write both within one tick (then its memos are
    // read and checked, as below). Rewritten a tick later, as in a build
    // of any size, they date every memo before them.
    let keys = dir.path().join("output/memos/.keys");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&keys, std::fs::read(&keys).unwrap()).unwrap();
    let again = built(&[]);
    assert!(again.contains("2 memos, 2 unchanged"), "{again}");
    assert_eq!(memo("alpha"), a1);
    // Untouched since the last build: the same file, not read or copied.
    #[cfg(unix)]
    assert_eq!(inode("alpha"), alpha_file);

    // One brief edited: its memo is set again with the new words, the
    // other is taken as it was.
    std::fs::write(
        briefs.join("beta.md"),
        alpha
            .replace("Alpha brief", "Beta brief")
            .replace("## Overview", "## Overview\n\nSmelter throughput doubled."),
    )
    .unwrap();
    let edited = built(&[]);
    assert!(edited.contains("2 memos, 1 unchanged"), "{edited}");
    assert_eq!(memo("alpha"), a1);
    assert_ne!(memo("beta"), b1);
    if have("pdftotext") {
        assert!(memo_text(dir.path(), "beta").contains("Smelter throughput doubled."));
    }

    // Another brief's title, or a preview's address: nothing in alpha's
    // memo changed.
    let beta = std::fs::read_to_string(briefs.join("beta.md")).unwrap();
    std::fs::write(
        briefs.join("beta.md"),
        beta.replace("Beta brief", "Beta brief, revised"),
    )
    .unwrap();
    let retitled = built(&[]);
    assert!(retitled.contains("2 memos, 1 unchanged"), "{retitled}");
    assert_eq!(memo("alpha"), a1);
    let preview = built(&["--base-url", "https://preview.example.net/"]);
    assert!(preview.contains("2 memos, 2 unchanged"), "{preview}");
    // The assumption behind it: a memo made for another address is the
    // same file.
    built(&["--fresh", "--base-url", "https://preview.example.net/"]);
    assert_eq!(memo("alpha"), a1);

    // A deal both briefs cite: every memo is set again.
    let deal = dir.path().join("content/deals/ussm-fwo-mou.yaml");
    let text = std::fs::read_to_string(&deal).unwrap();
    std::fs::write(
        &deal,
        text.replace("USSM–FWO critical minerals MoU", "USSM–FWO antimony MoU"),
    )
    .unwrap();
    let dealt = built(&[]);
    assert!(!dealt.contains("unchanged"), "{dealt}");
    if have("pdftotext") {
        assert!(memo_text(dir.path(), "alpha").contains("USSM–FWO antimony MoU"));
    }

    // A memo changed by hand in the output is never passed on.
    let a2 = memo("alpha");
    let path = dir.path().join("output/memos/alpha.pdf");
    let mut tampered = a2.clone();
    tampered.extend_from_slice(b"% edited\n");
    std::fs::write(&path, &tampered).unwrap();
    let after = built(&[]);
    assert!(after.contains("2 memos, 1 unchanged"), "{after}");
    assert_eq!(memo("alpha"), a2);
    // The same size, one byte changed (by hand, later than the build
    // wrote it): its time differs from the one recorded, its bytes are
    // read, and it is set again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut flipped = a2.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    std::fs::write(&path, &flipped).unwrap();
    let after = built(&[]);
    assert!(after.contains("2 memos, 1 unchanged"), "{after}");
    assert_eq!(memo("alpha"), a2);
    // Its time changed, its bytes not (copied back, say): read, found as
    // recorded, and taken.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, &a2).unwrap();
    assert!(built(&[]).contains("2 memos, 2 unchanged"));
    assert_eq!(memo("alpha"), a2);

    // site.yaml: a blank line changes nothing; a brand colour changes
    // every memo; --fresh sets every memo again.
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}\n")).unwrap();
    assert!(built(&[]).contains("2 unchanged"));
    std::fs::write(&site, text.replace("#0f4c45", "#6a1b4d")).unwrap();
    let recoloured = built(&[]);
    assert!(!recoloured.contains("unchanged"), "{recoloured}");
    assert_ne!(memo("alpha"), a2);
    let a2 = memo("alpha");
    let fresh = built(&["--fresh"]);
    assert!(!fresh.contains("unchanged"), "{fresh}");
    assert_eq!(memo("alpha"), a2);
}

/// A memo's key covers the theme's fonts: a project's copy of a default
/// font (what `orepress new` writes) is that font and keeps the memos;
/// another font under the same name sets every memo again.
#[test]
fn a_changed_theme_font_sets_memos_again() {
    let dir = fixture("minimal");
    let built = || {
        let out = orepress(dir.path(), &["build", "--pdf-only"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let first = built();
    assert!(!first.contains("unchanged"), "{first}");
    let fonts = dir.path().join("themes/default/fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let default = repo().join("themes/default/fonts");
    let copy = |from: &str, to: &str| {
        std::fs::copy(default.join(from), fonts.join(to)).unwrap();
    };
    copy("NotoSerif-Regular.ttf", "NotoSerif-Regular.ttf");
    let copied = built();
    assert!(copied.contains("1 unchanged"), "{copied}");
    copy("NotoSerif-Italic.ttf", "NotoSerif-Regular.ttf");
    let changed = built();
    assert!(!changed.contains("unchanged"), "{changed}");
    assert!(built().contains("1 unchanged"));
    // The theme's labels, too: a project's word for a label sets every
    // memo again, and the memo says it.
    let i18n = dir.path().join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(
        i18n.join("en.yaml"),
        "executive_summary: Summary at a glance\n",
    )
    .unwrap();
    let relabelled = built();
    assert!(!relabelled.contains("unchanged"), "{relabelled}");
    if have("pdftotext") {
        assert!(memo_text(dir.path(), "alpha").contains("Summary at a glance"));
    }
    assert!(built().contains("1 unchanged"));
    // The same file with other words.
    std::fs::write(i18n.join("en.yaml"), "executive_summary: At a glance\n").unwrap();
    let reworded = built();
    assert!(!reworded.contains("unchanged"), "{reworded}");
    if have("pdftotext") {
        assert!(memo_text(dir.path(), "alpha").contains("At a glance"));
    }
}

/// A writer's HTML comments (`<!-- confirm with the client -->`) are hidden
/// as in every Markdown renderer: inline, as a block, inside an HTML
/// block; never on a page, in a feed or in a memo. Raw HTML around them
/// is still shown as text.
#[test]
fn html_comments_reach_no_page_feed_or_memo() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let mut text = std::fs::read_to_string(&brief).unwrap();
    text.push_str(concat!(
        "\nBefore <!-- ZQXNOTEONE inline --> after the inline note.\n",
        "\n<!-- ZQXNOTETWO: a block\nover two lines -->\n",
        "\n<div>\n<!-- ZQXNOTETHREE --> visible raw tail\n</div>\n",
        "\nA sentence <!-- ZQXNOTEFOUR\nspanning lines --> ends here.\n",
        "\n- an item <!-- ZQXNOTEFIVE -->\n",
    ));
    std::fs::write(&brief, text).unwrap();
    let out = orepress(dir.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (path, bytes) in snapshot(&dir.path().join("output")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("ZQX"), "{} shows a comment", path.display());
    }
    let page =
        std::fs::read_to_string(dir.path().join("output/site/briefs/alpha/index.html")).unwrap();
    for kept in [
        "after the inline note.",
        "visible raw tail",
        "&lt;div&gt;",
        "ends here.",
        "an item",
    ] {
        assert!(page.contains(kept), "page lost {kept:?}");
    }
    let memo = memo_text(dir.path(), "alpha");
    assert!(!memo.contains("ZQX"), "memo shows a comment: {memo}");
    for kept in [
        "after the inline note.",
        "visible raw tail",
        "ends here.",
        "an item",
    ] {
        assert!(memo.contains(kept), "memo lost {kept:?}: {memo}");
    }
}

/// A comment never closed (`<!-- TODO` and no `-->`) would take in the
/// rest of the brief as one HTML block; hidden, the memo would silently
/// end there. It is an error at the comment, from check and build alike.
#[test]
fn an_unclosed_html_comment_is_an_error_not_a_silent_cut() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let mut text = std::fs::read_to_string(&brief).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("\n<!-- TODO confirm the price\n\nEverything after this.\n");
    std::fs::write(&brief, text).unwrap();
    for command in ["check", "build"] {
        let out = orepress(dir.path(), &[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "content/briefs/alpha.md:{line}:1: HTML comment `<!--` is never closed"
            )),
            "{command}: {}",
            stderr(&out)
        );
    }
    assert!(!dir.path().join("output").exists());
}
