//! The register of copies: an append-only CSV of which copy of which
//! version went to whom, with the file's SHA-256; read back strictly.

use std::path::Path;

use super::csv_error;
use crate::error::{Diagnostics, Error, Kind};
use crate::values::Date;

/// One row of a copy register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub copy: u32,
    pub recipient: String,
    pub organisation: String,
    pub email: String,
    pub brief: String,
    pub version: String,
    pub issued: String,
    pub sha256: String,
    pub file: String,
    pub note: String,
}

const REGISTER_HEADER: [&str; 10] = [
    "copy",
    "recipient",
    "organisation",
    "email",
    "brief",
    "version",
    "issued",
    "sha256",
    "file",
    "note",
];

/// Reads and checks a register; a register edited into an invalid state is
/// an error naming the line.
pub fn read_register(shown: &Path, text: &str) -> Result<Vec<RegisterRow>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().eq(REGISTER_HEADER.iter().copied()) => {}
        Ok(_) => {
            diags.push(
                Error::at(shown, 1, 1, "the register's header row is not orepress's")
                    .with_hint(format!("expected: {}", REGISTER_HEADER.join(","))),
            );
            return Err(diags);
        }
        Err(e) => {
            diags.push(csv_error(shown, &e));
            return Err(diags);
        }
    }
    let mut rows: Vec<RegisterRow> = Vec::new();
    for record in reader.records() {
        let rec = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(shown, &e));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| rec.get(i).unwrap_or("").to_string();
        let copy = match field(0).parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                diags.push(Error::at(
                    shown,
                    line,
                    1,
                    format!("copy number `{}` is not a positive number", field(0)),
                ));
                continue;
            }
        };
        let sha = field(7);
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            diags.push(Error::at(
                shown,
                line,
                1,
                format!("copy {copy:03}: `{sha}` is not a SHA-256 hash"),
            ));
        }
        if Date::parse(&field(6)).is_err() {
            diags.push(Error::at(
                shown,
                line,
                1,
                format!(
                    "copy {copy:03}: issue date `{}` is not YYYY-MM-DD",
                    field(6)
                ),
            ));
        }
        if field(1).is_empty() {
            diags.push(Error::at(
                shown,
                line,
                1,
                format!("copy {copy:03} has no recipient"),
            ));
        }
        if rows.iter().any(|r| r.copy == copy) {
            diags.push(Error::at(
                shown,
                line,
                1,
                format!("copy number {copy:03} appears twice"),
            ));
        }
        rows.push(RegisterRow {
            copy,
            recipient: field(1),
            organisation: field(2),
            email: field(3),
            brief: field(4),
            version: field(5),
            issued: field(6),
            sha256: sha,
            file: field(8),
            note: field(9),
        });
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(rows)
}

pub(super) fn register_csv(rows: &[RegisterRow]) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::msg(Kind::Io, format!("cannot write the register: {e}"));
    w.write_record(REGISTER_HEADER).map_err(io)?;
    for r in rows {
        w.write_record([
            format!("{:03}", r.copy),
            r.recipient.clone(),
            r.organisation.clone(),
            r.email.clone(),
            r.brief.clone(),
            r.version.clone(),
            r.issued.clone(),
            r.sha256.clone(),
            r.file.clone(),
            r.note.clone(),
        ])
        .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Error::msg(Kind::Io, format!("cannot write the register: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_round_trips_and_rejects_hand_edits() {
        let row = RegisterRow {
            copy: 7,
            recipient: "Jane Doe".into(),
            organisation: "Acme, Inc.".into(),
            email: String::new(),
            brief: "b".into(),
            version: "abc".into(),
            issued: "2025-11-20".into(),
            sha256: "a".repeat(64),
            file: "copies/b/007-jane-doe-acme-inc.pdf".into(),
            note: String::new(),
        };
        let bytes = register_csv(std::slice::from_ref(&row)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            read_register(Path::new("reg.csv"), &text).unwrap(),
            vec![row]
        );
        let broken = text.replace("007", "seven");
        let err = read_register(Path::new("reg.csv"), &broken).unwrap_err();
        assert_eq!(err.items[0].line, 2);
        let dup = format!("{text}{}", text.lines().nth(1).unwrap());
        assert!(
            read_register(Path::new("reg.csv"), &dup).unwrap_err().items[0]
                .message
                .contains("appears twice")
        );
    }
}
