//! Who gets copies: recipients files (YAML list or CSV with a header row),
//! checked for missing names and duplicates, each problem at its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::csv_error;
use crate::error::{did_you_mean, Diagnostics, Error};
use crate::present;
use crate::values::slugify;

/// A recipient as listed in a recipients file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientEntry {
    /// Full name.
    pub name: String,
    /// Organisation (also spelled `organization`).
    #[serde(default, alias = "organization")]
    pub organisation: String,
    /// E-mail address, for the register.
    #[serde(default)]
    pub email: String,
    /// Free note, for the register.
    #[serde(default)]
    pub note: String,
    /// Line in the recipients file.
    #[serde(skip)]
    pub line: usize,
}

impl RecipientEntry {
    fn key(&self) -> (String, String) {
        (norm(&self.name), norm(&self.organisation))
    }

    /// `007-jane-doe-acme-capital`.
    pub(super) fn file_stem(&self, copy_no: u32) -> String {
        let mut slug = slugify(&format!("{} {}", self.name, self.organisation));
        slug.truncate(60);
        format!("{copy_no:03}-{}", slug.trim_end_matches('-'))
    }
}

pub(super) fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Who gets copies: a file of recipients, or one given on the command line.
#[derive(Debug, Clone)]
pub enum Recipients {
    File(PathBuf),
    /// "Name, Organisation".
    One(String),
}

/// Parses a recipients file (YAML list or CSV with a header row).
pub fn read_recipients(shown: &Path, text: &str) -> Result<Vec<RecipientEntry>, Diagnostics> {
    let mut diags = Diagnostics::default();
    if text.trim().is_empty() {
        diags.push(
            Error::at(shown, 1, 1, "no recipients in this file: it is empty").with_hint(
                "CSV: a header row `name,organisation,email,note`, then one recipient a line",
            ),
        );
        return Err(diags);
    }
    let ext = shown
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut list = if ext == "csv" {
        read_csv_recipients(shown, text, &mut diags)
    } else {
        match crate::yaml::from_yaml::<Vec<RecipientEntry>>(shown, text, 1) {
            Ok(mut l) => {
                // Line of each entry: the n-th "- " at the start of a line.
                let starts: Vec<usize> = text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
                    .map(|(i, _)| i + 1)
                    .collect();
                for (i, r) in l.iter_mut().enumerate() {
                    r.line = starts.get(i).copied().unwrap_or(1);
                }
                l
            }
            Err(e) => {
                diags.push(e.with_hint("a YAML list: - { name: Jane Doe, organisation: Acme Capital, email: jane@acme.com }"));
                return Err(diags);
            }
        }
    };
    if list.is_empty() && !diags.has_errors() {
        diags.push(
            Error::at(shown, 1, 1, "no recipients in this file")
                .with_hint("list at least one recipient with a `name`"),
        );
    }
    // A file of the wrong list (a whole customer base) would write copies
    // until the disk is full: each is a full memo.
    if let Some(r) = list.get(MAX_RECIPIENTS) {
        diags.push(
            Error::at(
                shown,
                r.line,
                1,
                format!(
                    "{} recipients; one run makes at most {} copies",
                    present::group_thousands(list.len() as f64),
                    present::group_thousands(MAX_RECIPIENTS as f64)
                ),
            )
            .with_hint(format!(
                "split the list into files of at most {} recipients and run `orepress copies` \
                 once for each: numbers carry on from one run to the next",
                present::group_thousands(MAX_RECIPIENTS as f64)
            )),
        );
        return Err(diags);
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &list {
        if r.name.trim().is_empty() {
            diags.push(Error::at(shown, r.line, 1, "recipient has no name"));
            continue;
        }
        if let Some(e) = too_long(r) {
            diags.push(Error::at(shown, r.line, 1, e));
            continue;
        }
        if let Some(first) = seen.get(&r.key()) {
            let who = present::name_org(&r.name, &r.organisation);
            diags.push(
                Error::at(shown, r.line, 1, format!("duplicate recipient `{who}`"))
                    .with_hint(format!("already listed on line {first}")),
            );
        } else {
            seen.insert(r.key(), r.line);
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    for r in &mut list {
        r.name = one_line(&r.name);
        r.organisation = one_line(&r.organisation);
    }
    Ok(list)
}

/// The longest recipient name or organisation, in characters: printed on
/// every page of a copy and in the register, as on a business card.
pub const MAX_RECIPIENT: usize = 200;
/// Recipients one run makes copies for (a copy is a whole memo, some
/// 80 KB: 10,000 are 800 MB).
pub const MAX_RECIPIENTS: usize = 10_000;
/// The longest e-mail address (RFC 5321's path limit) and note.
const MAX_EMAIL: usize = 254;
const MAX_NOTE: usize = 2000;

/// What is wrong with `r`'s name and organisation, printed on every page
/// of a copy: none to be seen (only spaces or invisible characters, such
/// as U+200B), or a control character other than a line break or tab;
/// else what is too long in `r`, or an email that is not one, if anything.
pub(super) fn too_long(r: &RecipientEntry) -> Option<String> {
    if !crate::values::shows(&r.name) {
        return Some("the recipient's name has no visible letter".into());
    }
    for (what, v) in [("name", &r.name), ("organisation", &r.organisation)] {
        // A line break or tab (a cell written on two lines in a
        // spreadsheet) is a space once read; other controls are refused.
        if let Some(c) = v.chars().find(|c| c.is_control() && !c.is_whitespace()) {
            return Some(format!(
                "the recipient's {what} holds the control character U+{:04X}",
                c as u32
            ));
        }
    }
    let long = [
        ("name", &r.name, MAX_RECIPIENT),
        ("organisation", &r.organisation, MAX_RECIPIENT),
        ("email", &r.email, MAX_EMAIL),
        ("note", &r.note, MAX_NOTE),
    ]
    .into_iter()
    .find(|(_, v, most)| v.trim().chars().nth(*most).is_some())
    .map(|(what, v, most)| {
        format!(
            "the recipient's {what} is {} characters long; at most {most} are allowed",
            v.trim().chars().count()
        )
    });
    // The register is the record of who got which copy: an address in it
    // is one (a contact card's rule), or the cell is left empty.
    let email = r.email.trim();
    long.or_else(|| {
        (!email.is_empty() && !crate::content::validate::is_email(email)).then(|| {
            format!(
                "the recipient's email `{}` is not an e-mail address (leave the cell empty when there is none)",
                email
            )
        })
    })
}

/// `s` on one line: each run of spaces, tabs and line breaks one space,
/// none at the ends (a name is printed on one line of every page).
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character between a CSV file's columns, read off its header row:
/// a comma, or what spreadsheets save instead where the comma is the
/// decimal sign (`;`) or for "Unicode text" (a tab), when the header has
/// no comma.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        return b',';
    }
    let (semicolons, tabs) = (header.matches(';').count(), header.matches('\t').count());
    match (semicolons, tabs) {
        (0, 0) => b',',
        (s, t) if s >= t => b';',
        _ => b'\t',
    }
}

/// A header as written (`E-mail`, `Organisation `) in the form matched
/// against the known columns (`email`, `organisation`).
fn column_name(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect::<String>()
        .to_lowercase()
}

fn read_csv_recipients(shown: &Path, text: &str, diags: &mut Diagnostics) -> Vec<RecipientEntry> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = super::Lines::new(text);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(csv_error(shown, &mut lines, &e));
            return Vec::new();
        }
    };
    let known = ["name", "organisation", "organization", "email", "note"];
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = column_name(h);
        if !known.contains(&h.as_str()) {
            let mut e = Error::at(shown, 1, 1, format!("unknown column `{h}`"));
            if let Some(best) = did_you_mean(&h, known) {
                e = e.with_hint(format!("did you mean `{best}`?"));
            } else {
                e = e.with_hint("columns: name, organisation, email, note");
            }
            diags.push(e);
        }
        columns.push((i, h));
    }
    if !columns.iter().any(|(_, h)| h == "name") {
        diags.push(
            Error::at(shown, 1, 1, "the header row has no `name` column")
                .with_hint("first line: name,organisation,email,note"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for record in reader.records() {
        match record {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| lines.at(p.byte()));
                let get = |names: &[&str]| -> String {
                    columns
                        .iter()
                        .find(|(_, h)| names.contains(&h.as_str()))
                        .and_then(|(i, _)| rec.get(*i))
                        .unwrap_or("")
                        .to_string()
                };
                if rec.iter().all(str::is_empty) {
                    continue;
                }
                out.push(RecipientEntry {
                    name: get(&["name"]),
                    organisation: get(&["organisation", "organization"]),
                    email: get(&["email"]),
                    note: get(&["note"]),
                    line,
                });
            }
            Err(e) => diags.push(csv_error(shown, &mut lines, &e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 300,000 recipients (a wrong file) wrote 80 KB copies until killed:
    /// 3.2 GB in a minute, towards 24 GB.
    #[test]
    fn a_run_copies_for_at_most_ten_thousand_recipients() {
        let list = |n: usize| -> String {
            std::iter::once("name,organisation\n".to_string())
                .chain((0..n).map(|i| format!("Reader {i},Fund\n")))
                .collect()
        };
        let most = read_recipients(Path::new("r.csv"), &list(MAX_RECIPIENTS)).unwrap();
        assert_eq!(most.len(), MAX_RECIPIENTS);
        let err = read_recipients(Path::new("r.csv"), &list(MAX_RECIPIENTS + 1)).unwrap_err();
        let e = err.errors().next().unwrap().to_string();
        assert!(
            e.starts_with("r.csv:10002:1: 10,001 recipients; one run makes at most 10,000 copies"),
            "{e}"
        );
        assert!(e.contains("split the list"), "{e}");
        let yaml: String = (0..=MAX_RECIPIENTS)
            .map(|i| format!("- {{ name: Reader {i} }}\n"))
            .collect();
        let err = read_recipients(Path::new("r.yaml"), &yaml).unwrap_err();
        let e = err.errors().next().unwrap().to_string();
        assert!(e.starts_with("r.yaml:10001:1: 10,001 recipients"), "{e}");
    }

    #[test]
    fn recipients_from_yaml_and_csv_with_lines() {
        let yaml = "- name: Jane Doe\n  organisation: Acme\n- { name: Li Wei, organization: Delta Fund, email: li@delta.example }\n";
        let list = read_recipients(Path::new("r.yaml"), yaml).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[1].line, list[1].organisation.as_str()),
            (3, "Delta Fund")
        );
        let csv =
            "name,organisation,email\nJane Doe,Acme,jane@acme.example\n\"Smith, John\",Beta,\n";
        let list = read_recipients(Path::new("r.csv"), csv).unwrap();
        assert_eq!(list[1].name, "Smith, John");
        assert_eq!(list[1].line, 3);
    }

    #[test]
    fn same_name_at_two_organisations_is_two_recipients_but_duplicates_fail() {
        let ok = "name,organisation\nJane Doe,Acme\nJane Doe,Beta\n";
        assert_eq!(read_recipients(Path::new("r.csv"), ok).unwrap().len(), 2);
        let dup = "name,organisation\nJane Doe,Acme\njane  doe,ACME\n";
        let err = read_recipients(Path::new("r.csv"), dup).unwrap_err();
        assert_eq!(err.items[0].line, 3);
        assert!(err.items[0].message.contains("duplicate recipient"));
    }

    #[test]
    fn malformed_recipients_name_the_line() {
        let err = read_recipients(Path::new("r.csv"), "name,organisation\nJane,Acme,extra\n")
            .unwrap_err();
        assert_eq!(err.items[0].line, 2);
        let err =
            read_recipients(Path::new("r.csv"), "nmae,organisation\nJane,Acme\n").unwrap_err();
        assert!(err
            .items
            .iter()
            .any(|e| e.hint.as_deref() == Some("did you mean `name`?")));
        let err = read_recipients(Path::new("r.yaml"), "[]").unwrap_err();
        assert!(err.items[0].message.contains("no recipients"));
    }

    /// An address in the register is one, or the cell is empty: a phone
    /// number or `n/a` in the email column is refused at its line.
    #[test]
    fn an_email_that_is_not_one_is_refused_at_its_line() {
        let csv = "name,organisation,email\nJane Doe,Acme,+1 202 555 0143\nLi Wei,Delta,\nAna,Beta,n/a\nBo,Gamma,bo@gamma.example\n";
        let err = read_recipients(Path::new("r.csv"), csv).unwrap_err();
        let found: Vec<(usize, &str)> = err
            .items
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "the recipient's email `+1 202 555 0143` is not an e-mail address (leave the cell empty when there is none)"),
                (4, "the recipient's email `n/a` is not an e-mail address (leave the cell empty when there is none)"),
            ]
        );
        let yaml = "- { name: Jane Doe, email: ~ }\n- { name: Li Wei, email: li@delta.example }\n";
        assert_eq!(read_recipients(Path::new("r.yaml"), yaml).unwrap().len(), 2);
    }

    #[test]
    fn spreadsheet_exports_are_read_as_saved() {
        // Semicolons (a spreadsheet where the comma is the decimal sign),
        // tabs ("Unicode text"), headers as people write them.
        for text in [
            "Name;Organisation;E-mail\nJane Doe;Acme, Inc.;jane@acme.example\n\"Li; Wei\";Delta;\n",
            "Name\tOrganization\tE-Mail\nJane Doe\tAcme, Inc.\tjane@acme.example\nLi; Wei\tDelta\t\n",
            "NAME,organisation ,Email\nJane Doe,\"Acme, Inc.\",jane@acme.example\nLi; Wei,Delta,\n",
        ] {
            let list = read_recipients(Path::new("r.csv"), text).unwrap();
            let got: Vec<_> = list
                .iter()
                .map(|r| (r.name.as_str(), r.organisation.as_str(), r.email.as_str(), r.line))
                .collect();
            assert_eq!(
                got,
                [
                    ("Jane Doe", "Acme, Inc.", "jane@acme.example", 2),
                    ("Li; Wei", "Delta", "", 3)
                ],
                "{text:?}"
            );
        }
        // A one-column file is a list of names.
        let list = read_recipients(Path::new("r.csv"), "name\nJane Doe\n").unwrap();
        assert_eq!(list[0].name, "Jane Doe");
    }
}
