//! Personalised copies of a memo: one numbered PDF per recipient, and an
//! append-only register (CSV) of which copy went to whom, kept outside
//! `output/` so builds never touch it. Also tells which copy a PDF is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::content::{Brief, Project};
use crate::error::{did_you_mean, Diagnostics, Error, Kind};
use crate::output::write_file_atomic;
use crate::pdf::{self, compose::MemoLayout, MemoFonts, Recipient};
use crate::values::{slugify, Date};

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
    fn file_stem(&self, copy_no: u32) -> String {
        let mut slug = slugify(&format!("{} {}", self.name, self.organisation));
        slug.truncate(60);
        format!("{copy_no:03}-{}", slug.trim_end_matches('-'))
    }
}

fn norm(s: &str) -> String {
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
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &list {
        if r.name.trim().is_empty() {
            diags.push(Error::at(shown, r.line, 1, "recipient has no name"));
            continue;
        }
        if let Some(first) = seen.get(&r.key()) {
            let who = if r.organisation.is_empty() {
                r.name.clone()
            } else {
                format!("{}, {}", r.name, r.organisation)
            };
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
        r.name = r.name.trim().to_string();
        r.organisation = r.organisation.trim().to_string();
    }
    Ok(list)
}

fn read_csv_recipients(shown: &Path, text: &str, diags: &mut Diagnostics) -> Vec<RecipientEntry> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(csv_error(shown, &e));
            return Vec::new();
        }
    };
    let known = ["name", "organisation", "organization", "email", "note"];
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.to_ascii_lowercase();
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
                let line = rec.position().map_or(0, |p| p.line() as usize);
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
            Err(e) => diags.push(csv_error(shown, &e)),
        }
    }
    out
}

fn csv_error(shown: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "file is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Error::at(shown, line, 1, message)
}

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

fn register_csv(rows: &[RegisterRow]) -> Result<Vec<u8>, Error> {
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

/// The version of a brief: a hash of its file and the files of its deals.
pub fn version(project: &Project, brief: &Brief) -> Result<String, Error> {
    let mut h = Sha256::new();
    let mut files = vec![brief.path.clone()];
    files.extend(project.deals_of(brief).map(|d| d.path.clone()));
    for f in files {
        let bytes =
            std::fs::read(project.root.join(&f)).map_err(|e| Error::io(&f, "read file", &e))?;
        h.update(f.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(&bytes);
    }
    Ok(h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a `copies` run did, one line per copy.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub lines: Vec<String>,
    pub new_rows: usize,
    pub register: PathBuf,
}

/// Settings of a `copies` run.
#[derive(Debug, Clone)]
pub struct CopiesOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub brief: String,
    pub recipients: Recipients,
}

/// Issue date: `SOURCE_DATE_EPOCH` when set, else today (UTC).
fn today() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(Date::from_unix)
        .unwrap_or_else(|| Date(time::OffsetDateTime::now_utc().date()))
        .iso()
}

/// Makes the copies and appends to the register.
pub fn make(opts: &CopiesOptions) -> Result<Report, Diagnostics> {
    make_with_progress(opts, &|_, _| {})
}

/// As [`make`], calling `progress(done, total)` as each copy is typeset
/// (from several threads; `done` counts up to `total`).
pub fn make_with_progress(
    opts: &CopiesOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Report, Diagnostics> {
    let (project, theme, _) = crate::pipeline::load(&opts.root, true, None, None)?;
    let Some(brief) = project.brief(&opts.brief) else {
        let mut e = Error::msg(Kind::Content, format!("unknown brief `{}`", opts.brief));
        let slugs: Vec<&str> = project.briefs.iter().map(|b| b.slug.as_str()).collect();
        e = match did_you_mean(&opts.brief, slugs.iter().copied()) {
            Some(best) => e.with_hint(format!("did you mean `{best}`?")),
            None => e.with_hint(format!("briefs: {}", slugs.join(", "))),
        };
        return Err(Diagnostics::from(e));
    };
    if !brief.front.pdf {
        return Err(Diagnostics::from(Error::in_file(
            &brief.path,
            "this brief has `pdf: false`, so it has no memo to copy",
        )));
    }
    let recipients = match &opts.recipients {
        Recipients::File(path) => {
            let text = crate::content::read::read_text(path, path).map_err(Diagnostics::from)?;
            read_recipients(path, &text)?
        }
        Recipients::One(s) => {
            let (name, org) = s.split_once(',').unwrap_or((s.as_str(), ""));
            if name.trim().is_empty() {
                return Err(Diagnostics::from(Error::msg(
                    Kind::Io,
                    "--for needs a name: --for \"Jane Doe, Acme Capital\"",
                )));
            }
            vec![RecipientEntry {
                name: name.trim().to_string(),
                organisation: org.trim().to_string(),
                email: String::new(),
                note: String::new(),
                line: 0,
            }]
        }
    };

    // The output folder is checked before the copies are typeset.
    crate::output::check_target(&opts.out, &opts.root, &project.site.copies.register_dir)
        .map_err(Diagnostics::from)?;
    let register_dir = opts
        .root
        .join(&project.site.copies.register_dir)
        .join(&brief.slug);
    let register_path = register_dir.join("register.csv");
    let shown_register = Path::new(&project.site.copies.register_dir)
        .join(&brief.slug)
        .join("register.csv");
    let mut rows = if register_path.is_file() {
        let text = crate::content::read::read_text(&register_path, &shown_register)
            .map_err(Diagnostics::from)?;
        read_register(&shown_register, &text)?
    } else {
        Vec::new()
    };
    let version = version(&project, brief).map_err(Diagnostics::from)?;

    // Numbers: the same recipient and version keeps its number.
    let mut next = rows.iter().map(|r| r.copy).max().unwrap_or(0) + 1;
    let mut plan: Vec<(RecipientEntry, u32, Option<usize>)> = Vec::new();
    for r in recipients {
        let existing = rows.iter().position(|row| {
            row.version == version
                && norm(&row.recipient) == norm(&r.name)
                && norm(&row.organisation) == norm(&r.organisation)
        });
        match existing {
            Some(i) => plan.push((r, rows[i].copy, Some(i))),
            None => {
                plan.push((r, next, None));
                next += 1;
            }
        }
    }

    // Lay out once; personalise per copy, in parallel.
    let fonts = MemoFonts::load(&theme).map_err(Diagnostics::from)?;
    let layout = MemoLayout::new(&project, &theme, &fonts, brief)
        .map_err(Diagnostics::from)?
        .with_version(&brief.slug, &version);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let made: Vec<Result<Vec<u8>, Error>> = plan
        .par_iter()
        .map(|(r, copy_no, _)| {
            let finished = |result| {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, plan.len());
                result
            };
            let recipient = Recipient {
                name: r.name.clone(),
                organization: r.organisation.clone(),
                copy_no: *copy_no,
            };
            let doc = layout.document(Some(&recipient))?;
            finished(pdf::write::write_pdf(&doc).map_err(|e| {
                Error::in_file(&brief.path, "cannot write the copy").with_cause(e.to_string())
            }))
        })
        .collect();
    let mut bytes = Vec::with_capacity(made.len());
    for m in made {
        bytes.push(m.map_err(Diagnostics::from)?);
    }

    let out = crate::output::claim(&opts.out).map_err(Diagnostics::from)?;
    let copies_dir = out.join("copies").join(&brief.slug);
    let issued = today();
    let mut report = Report {
        register: shown_register.clone(),
        ..Default::default()
    };
    let mut new_rows = Vec::new();
    for ((r, copy_no, existing), pdf) in plan.iter().zip(&bytes) {
        let file = format!("{}.pdf", r.file_stem(*copy_no));
        let sha = sha256_hex(pdf);
        write_file_atomic(&copies_dir.join(&file), pdf).map_err(Diagnostics::from)?;
        let who = if r.organisation.is_empty() {
            r.name.clone()
        } else {
            format!("{}, {}", r.name, r.organisation)
        };
        match existing {
            Some(i) if rows[*i].sha256 == sha => {
                report.lines.push(format!(
                    "Copy {copy_no:03}  {who}  (already issued {}, unchanged)",
                    rows[*i].issued
                ));
            }
            Some(i) => {
                // Same content, different bytes (orepress or theme changed):
                // the register keeps what was sent; say so.
                report.lines.push(format!(
                    "Copy {copy_no:03}  {who}  (re-made; differs from the file issued {} — the register keeps the original hash)",
                    rows[*i].issued
                ));
            }
            None => {
                report
                    .lines
                    .push(format!("Copy {copy_no:03}  {who}  (new)"));
                new_rows.push(RegisterRow {
                    copy: *copy_no,
                    recipient: r.name.clone(),
                    organisation: r.organisation.clone(),
                    email: r.email.clone(),
                    brief: brief.slug.clone(),
                    version: version.clone(),
                    issued: issued.clone(),
                    sha256: sha,
                    file: format!("copies/{}/{file}", brief.slug),
                    note: r.note.clone(),
                });
            }
        }
    }
    report.new_rows = new_rows.len();
    if !new_rows.is_empty() {
        rows.extend(new_rows);
        let csv = register_csv(&rows).map_err(Diagnostics::from)?;
        write_file_atomic(&register_path, &csv).map_err(Diagnostics::from)?;
    }
    Ok(report)
}

/// Tells which registered copy a PDF is. `Ok` when its bytes match a
/// register entry; `Err` with what is known otherwise.
pub fn verify(root: &Path, file: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, "read file", &e))?;
    let sha = sha256_hex(&bytes);
    let (project, _) = crate::content::load(root, crate::content::LoadOptions { drafts: true })
        .map_err(|d| {
            d.errors()
                .next()
                .cloned()
                .unwrap_or_else(|| Error::msg(Kind::Content, "the project does not load"))
        })?;
    let base = root.join(&project.site.copies.register_dir);
    let mut registers: Vec<PathBuf> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&base) {
        for e in entries.flatten() {
            let p = e.path().join("register.csv");
            if p.is_file() {
                registers.push(p);
            }
        }
    }
    registers.sort();
    let info = pdf::write::read_info(&bytes).ok();
    let claimed_copy = info
        .as_ref()
        .and_then(|i| i.get("OrepressCopy"))
        .and_then(|c| c.parse::<u32>().ok());
    let claimed_brief = info.as_ref().and_then(|i| i.get("OrepressBrief")).cloned();
    for reg in &registers {
        let shown = reg.strip_prefix(root).unwrap_or(reg).to_path_buf();
        let text = crate::content::read::read_text(reg, &shown)?;
        let rows = read_register(&shown, &text).map_err(|d| {
            d.items
                .into_iter()
                .next()
                .unwrap_or_else(|| Error::in_file(&shown, "invalid register"))
        })?;
        if let Some(row) = rows.iter().find(|r| r.sha256 == sha) {
            return Ok(format!(
                "{}: copy No. {:03} of `{}` (version {}), issued to {}{} on {}. The file matches the register ({}).",
                file.display(),
                row.copy,
                row.brief,
                row.version,
                row.recipient,
                if row.organisation.is_empty() { String::new() } else { format!(", {}", row.organisation) },
                row.issued,
                shown.display()
            ));
        }
        if let (Some(copy), Some(b)) = (claimed_copy, &claimed_brief) {
            if let Some(row) = rows.iter().find(|r| r.copy == copy && &r.brief == b) {
                return Err(Error::in_file(
                    file,
                    format!(
                        "says it is copy No. {copy:03} of `{b}`, issued to {}{} on {}, but its contents differ from the registered file",
                        row.recipient,
                        if row.organisation.is_empty() { String::new() } else { format!(", {}", row.organisation) },
                        row.issued
                    ),
                )
                .with_hint("the file was altered after it was issued, or it is not the file that was sent"));
            }
        }
    }
    let mut e = Error::in_file(file, "is not a registered copy");
    if let Some(copy) = claimed_copy {
        e = e.with_hint(format!(
            "it says it is copy No. {copy:03}{}, but no register lists it",
            claimed_brief
                .map(|b| format!(" of `{b}`"))
                .unwrap_or_default()
        ));
    }
    Err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

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
