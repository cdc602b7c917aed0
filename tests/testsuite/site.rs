//! Tests of orepress's site.

use crate::testsuite::common::*;

#[test]
fn home_page_shows_title_briefs_and_contact() {
    let dir = example();
    let out = orepress(dir.path(), &["build", "--quiet", "--site-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = std::fs::read_to_string(dir.path().join("output/site/index.html")).unwrap();
    assert!(home.contains("<h1>Pakistan Critical Minerals</h1>"));
    assert!(home.contains("href=\"/pakistan-minerals/briefs/antimony-opportunity/\""));
    assert!(home.contains("href=\"https://wa.me/923331717170\""));
    assert!(home.contains("href=\"tel:+923331717170\""));
}
