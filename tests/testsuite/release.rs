//! The release workflow, checked as far as it can be here: it parses, it
//! builds every system a consultant may use, each from the lock file, and
//! it publishes checksums; and the binary reports its version.

use crate::testsuite::common::*;

#[test]
fn release_workflow_builds_every_target_with_checksums() {
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("release.yml parses");
    let on = &doc["on"]["push"]["tags"];
    assert_eq!(on[0].as_str(), Some("v*"), "runs on version tags");
    let include = doc["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a build matrix");
    let targets: Vec<&str> = include
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    for want in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&want), "{want} is not built: {targets:?}");
    }
    let steps: Vec<String> = doc["jobs"]["build"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    assert!(steps
        .iter()
        .any(|r| r.contains("cargo build --release --locked --target")));
    assert!(steps.iter().any(|r| r.contains("--version")));
    assert!(steps.iter().any(|r| r.contains("sha256")));
    let publish = doc["jobs"]["release"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(publish.contains("SHA256SUMS") && publish.contains("gh release create"));
}

/// The deploy files `orepress new` writes download the Linux archive by
/// name: the release must publish exactly that name.
#[test]
fn deploy_files_download_an_archive_the_release_publishes() {
    let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    assert!(release.contains("name=orepress-${{ matrix.target }}"));
    assert!(release
        .contains("{ target: x86_64-unknown-linux-musl, os: ubuntu-latest, archive: tar.gz }"));
    for file in [
        "scaffold/common/.github/workflows/pages.yml",
        "scaffold/common/netlify.toml",
    ] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        assert!(
            text.contains("/download/orepress-x86_64-unknown-linux-musl.tar.gz"),
            "{file} downloads an archive the release does not publish"
        );
    }
}

#[test]
fn the_binary_reports_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = orepress(dir.path(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!("orepress {}", env!("CARGO_PKG_VERSION"))
    );
}
