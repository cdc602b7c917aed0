//! Integration tests: run the real `orepress` binary on fixture projects.
//! One module per feature under `testsuite/`; see tests/README.md.

mod testsuite;
