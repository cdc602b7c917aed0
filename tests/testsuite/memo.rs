//! Tests of the memo PDFs.
