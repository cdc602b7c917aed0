//! Tests of orepress's build.

use crate::testsuite::common::*;

#[test]
fn example_builds_and_is_reproducible() {
    let dir = example();
    let first = orepress(dir.path(), &["build", "--quiet"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let a = snapshot(&dir.path().join("output"));
    assert!(a.iter().any(|(p, _)| p.ends_with("site/index.html")));
    let second = orepress(dir.path(), &["build", "--quiet", "--jobs", "1"]);
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
