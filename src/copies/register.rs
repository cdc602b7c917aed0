//! The register of copies: an append-only CSV of which copy of which
//! version went to whom, with the file's SHA-256; read back strictly.
//!
//! Each row carries a `chain` value: the SHA-256 of the previous row's
//! chain and this row's fields, so a row edited, inserted or deleted by hand
//! breaks the chain at the first row after it. The highest number issued and
//! the chain after it are also kept in `.last-number` beside the register, so
//! rows removed from the end are caught too and numbers are never reused.
//! Registers written before the chain existed (no `chain` column) are read
//! as legacy rows; the chain starts after them and covers them.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) are written with a leading `'` and read
//! back without it.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{csv_error, sha256_hex};
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
    /// The copy's file, relative to the project root.
    pub file: String,
    pub note: String,
    /// SHA-256 of the previous row's chain and this row's fields; empty for
    /// a row written before registers were chained.
    pub chain: String,
    /// Line in the register (0 for a row not yet written).
    pub line: usize,
}

/// Columns before the register was chained.
const LEGACY_HEADER: [&str; 10] = [
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

const REGISTER_HEADER: [&str; 11] = [
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
    "chain",
];

/// The file beside the register holding the highest number issued.
pub const LAST_NUMBER: &str = ".last-number";

impl RegisterRow {
    fn fields(&self) -> [String; 10] {
        [
            format!("{:03}", self.copy),
            self.recipient.clone(),
            self.organisation.clone(),
            self.email.clone(),
            self.brief.clone(),
            self.version.clone(),
            self.issued.clone(),
            self.sha256.clone(),
            self.file.clone(),
            self.note.clone(),
        ]
    }
}

/// The chain value of a row that follows a row whose chain is `prev`.
fn chain_of(prev: &str, row: &RegisterRow) -> String {
    let mut h = Sha256::new();
    h.update(b"orepress register chain 1\n");
    h.update(prev.as_bytes());
    for f in row.fields() {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    sha256_hex(&h.finalize())
}

/// The chain value after each row (computed through legacy rows too).
fn running_chain(rows: &[RegisterRow]) -> Vec<String> {
    let mut prev = String::new();
    rows.iter()
        .map(|r| {
            prev = chain_of(&prev, r);
            prev.clone()
        })
        .collect()
}

/// Fills in the chain of `rows[from..]`, the rows about to be appended.
pub(super) fn seal(rows: &mut [RegisterRow], from: usize) {
    let chain = running_chain(rows);
    for (row, c) in rows.iter_mut().zip(chain).skip(from) {
        row.chain = c;
    }
}

/// Whether a spreadsheet would treat `cell` as a formula (or as one once a
/// leading `'` is taken off).
fn needs_quote(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => true,
        Some('\'') => needs_quote(&cell[1..]),
        _ => false,
    }
}

/// A cell as written: formulas neutralised with a leading `'` (OWASP).
fn to_cell(value: &str) -> String {
    if needs_quote(value) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// A cell as read: the `'` that [`to_cell`] added taken off.
fn from_cell(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// Reads and checks a register; a register edited into an invalid state is
/// an error naming the line.
pub fn read_register(shown: &Path, text: &str) -> Result<Vec<RegisterRow>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut lines = super::Lines::new(text);
    let legacy = match reader.headers() {
        Ok(h) if h.iter().eq(REGISTER_HEADER.iter().copied()) => false,
        Ok(h) if h.iter().eq(LEGACY_HEADER.iter().copied()) => true,
        Ok(_) => {
            diags.push(
                Error::at(shown, 1, 1, "the register's header row is not orepress's")
                    .with_hint(format!("expected: {}", REGISTER_HEADER.join(","))),
            );
            return Err(diags);
        }
        Err(e) => {
            diags.push(csv_error(shown, &mut lines, &e));
            return Err(diags);
        }
    };
    let mut rows: Vec<RegisterRow> = Vec::new();
    let mut numbers = std::collections::HashSet::new();
    for record in reader.records() {
        let rec = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(shown, &mut lines, &e));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| lines.at(p.byte()));
        let field = |i: usize| {
            let raw = rec.get(i).unwrap_or("");
            if legacy {
                raw.to_string()
            } else {
                from_cell(raw)
            }
        };
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
        if !numbers.insert(copy) {
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
            chain: if legacy { String::new() } else { field(10) },
            line,
        });
    }
    if !diags.has_errors() {
        check_chain(shown, &rows, &mut diags);
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(rows)
}

/// The first break in the chain, at its line.
fn check_chain(shown: &Path, rows: &[RegisterRow], diags: &mut Diagnostics) {
    let expected = running_chain(rows);
    let mut chained = false;
    for (row, want) in rows.iter().zip(&expected) {
        if row.chain.is_empty() {
            if chained {
                diags.push(
                    Error::at(
                        shown,
                        row.line,
                        1,
                        format!("copy {:03} has no chain value, but rows before it do: the register was edited by hand", row.copy),
                    )
                    .with_hint(RESTORE),
                );
                return;
            }
            continue;
        }
        chained = true;
        if &row.chain != want {
            diags.push(
                Error::at(
                    shown,
                    row.line,
                    1,
                    format!(
                        "copy {:03}: the register's chain breaks here: this row, or a row before it, was edited, inserted or deleted after it was written",
                        row.copy
                    ),
                )
                .with_hint(RESTORE),
            );
            return;
        }
    }
}

const RESTORE: &str = "the register is a record of what was sent: restore it from a backup; orepress issues no copies from a register it cannot trust";

/// The highest copy number the register records (its rows, or
/// `.last-number` beside it), after checking that no rows were removed from
/// its end. `dir` is the register's folder, `shown` the same relative to
/// the project.
pub(super) fn highest_issued(
    dir: &Path,
    shown: &Path,
    rows: &[RegisterRow],
    register_exists: bool,
) -> Result<u32, Error> {
    let shown_last = shown.join(LAST_NUMBER);
    let shown_register = shown.join("register.csv");
    let max_row = rows.iter().map(|r| r.copy).max().unwrap_or(0);
    let text = match crate::files::read_regular_string(&dir.join(LAST_NUMBER)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A legacy register (or none yet) has no `.last-number`; a chained
            // one always has.
            return match rows.iter().find(|r| !r.chain.is_empty()) {
                Some(_) => Err(Error::in_file(
                    &shown_last,
                    "is missing, but the register is chained: the highest copy number issued cannot be confirmed",
                )
                .with_hint(RESTORE)),
                None => Ok(max_row),
            };
        }
        Err(e) => return Err(Error::io(&shown_last, "read file", &e)),
    };
    let mut words = text.split_whitespace();
    let (Some(n), Some(chain), None) = (
        words.next().and_then(|n| n.parse::<u32>().ok()),
        words.next(),
        words.next(),
    ) else {
        return Err(Error::at(
            &shown_last,
            1,
            1,
            "is not `NNN <chain>` as orepress writes it",
        )
        .with_hint(RESTORE));
    };
    if !register_exists {
        return Err(Error::in_file(
            &shown_register,
            format!(
                "is missing, but copies up to No. {n:03} were issued ({})",
                shown_last.display()
            ),
        )
        .with_hint(RESTORE));
    }
    let running = running_chain(rows);
    // `.last-number` is written just after the register: it names the last
    // row, or (after an interrupted run) an earlier one.
    let found = rows
        .iter()
        .zip(&running)
        .any(|(r, c)| r.copy == n && c == chain);
    if !found {
        let line = rows.last().map_or(1, |r| r.line);
        return Err(Error::at(
            &shown_register,
            line,
            1,
            format!(
                "copy No. {n:03} was issued (per {}), but the register does not hold it as it was written: rows were removed from its end, or edited",
                shown_last.display()
            ),
        )
        .with_hint(RESTORE));
    }
    Ok(n.max(max_row))
}

/// The text of `.last-number` after `rows`.
pub(super) fn last_number_text(rows: &[RegisterRow]) -> Option<String> {
    let last = rows.last()?;
    let chain = running_chain(rows).pop()?;
    Some(format!("{:03} {chain}\n", last.copy))
}

pub(super) fn register_csv(rows: &[RegisterRow]) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::msg(Kind::Io, format!("cannot write the register: {e}"));
    w.write_record(REGISTER_HEADER).map_err(io)?;
    for r in rows {
        let mut cells: Vec<String> = r.fields().iter().map(|f| to_cell(f)).collect();
        cells.push(r.chain.clone());
        w.write_record(cells).map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Error::msg(Kind::Io, format!("cannot write the register: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(copy: u32) -> RegisterRow {
        RegisterRow {
            copy,
            recipient: "Jane Doe".into(),
            organisation: "Acme, Inc.".into(),
            email: String::new(),
            brief: "b".into(),
            version: "abc".into(),
            issued: "2025-11-20".into(),
            sha256: "a".repeat(64),
            file: format!("copies/b/{copy:03}-jane-doe-acme-inc.pdf"),
            note: String::new(),
            chain: String::new(),
            line: 0,
        }
    }

    fn written(rows: &mut [RegisterRow]) -> String {
        seal(rows, 0);
        for (i, r) in rows.iter_mut().enumerate() {
            r.line = i + 2;
        }
        String::from_utf8(register_csv(rows).unwrap()).unwrap()
    }

    #[test]
    fn register_round_trips_and_rejects_hand_edits() {
        let mut rows = vec![row(7)];
        let text = written(&mut rows);
        assert_eq!(read_register(Path::new("reg.csv"), &text).unwrap(), rows);
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

    #[test]
    fn the_chain_finds_an_edited_or_deleted_row() {
        let mut rows = vec![row(1), row(2), row(3)];
        let text = written(&mut rows);
        let lines: Vec<&str> = text.lines().collect();
        let edited = format!(
            "{}\n{}\n{}\n{}\n",
            lines[0],
            lines[1],
            lines[2].replace("Acme, Inc.", "Acme, Ltd."),
            lines[3]
        );
        let err = read_register(Path::new("reg.csv"), &edited).unwrap_err();
        assert_eq!(err.items[0].line, 3, "{}", err.items[0]);
        assert!(err.items[0].message.contains("chain breaks"));
        let deleted = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]);
        let err = read_register(Path::new("reg.csv"), &deleted).unwrap_err();
        assert_eq!(err.items[0].line, 3);
    }

    #[test]
    fn a_legacy_register_is_read_and_the_chain_starts_after_it() {
        let legacy = format!(
            "{}\n001,Jane Doe,Acme,,b,abc,2025-11-20,{},copies/b/001-jane-doe-acme.pdf,\n",
            LEGACY_HEADER.join(","),
            "a".repeat(64)
        );
        let mut rows = read_register(Path::new("reg.csv"), &legacy).unwrap();
        assert_eq!(rows[0].chain, "");
        rows.push(row(2));
        seal(&mut rows, 1);
        let text = String::from_utf8(register_csv(&rows).unwrap()).unwrap();
        let back = read_register(Path::new("reg.csv"), &text).unwrap();
        assert_eq!(back[0].chain, "");
        assert_eq!(back[1].chain, rows[1].chain);
        // Editing the legacy row now breaks the chain of the row after it.
        let edited = text.replacen("Jane Doe", "John Doe", 1);
        let err = read_register(Path::new("reg.csv"), &edited).unwrap_err();
        assert_eq!(err.items[0].line, 3);
    }

    #[test]
    fn formulas_are_neutralised_and_read_back_unchanged() {
        for value in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "-Acme",
            "+1",
            "@SUM(A1)",
            "\tx",
            "'=x",
            "''-x",
            "'plain",
            "O'Brien",
            "plain",
        ] {
            let cell = to_cell(value);
            assert!(
                !matches!(
                    cell.chars().next(),
                    Some('=' | '+' | '-' | '@' | '\t' | '\r')
                ),
                "{cell:?}"
            );
            assert_eq!(from_cell(&cell), value);
        }
        let mut r = row(1);
        r.recipient = "=HYPERLINK(\"http://x\",\"y\")".into();
        r.organisation = "-Acme".into();
        let mut rows = vec![r];
        let text = written(&mut rows);
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-Acme,"));
        assert_eq!(read_register(Path::new("reg.csv"), &text).unwrap(), rows);
    }
}
