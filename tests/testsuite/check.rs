//! Tests of orepress's check.

use crate::testsuite::common::*;

#[test]
fn example_checks_clean() {
    let dir = example();
    let out = orepress(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("No problems found"),
        "{}",
        stdout(&out)
    );
    assert!(!dir.path().join("output").exists(), "check writes nothing");
}
