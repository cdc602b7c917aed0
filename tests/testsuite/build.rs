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
