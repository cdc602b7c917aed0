//! Personalised copies of a memo: one numbered PDF per recipient, and an
//! append-only register (CSV) of which copy went to whom, kept outside
//! `output/` so builds never touch it. Also tells which copy a PDF is.

mod recipients;
mod register;
mod verify;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::content::{Brief, Project};
use crate::error::{did_you_mean, Diagnostics, Error, Kind};
use crate::output::write_file_atomic;
use crate::pdf::{self, compose::MemoLayout, MemoFonts, Recipient};
use crate::present;
use crate::values::Date;
use recipients::norm;
use register::register_csv;

pub use recipients::{read_recipients, RecipientEntry, Recipients};
pub use register::{read_register, RegisterRow};
pub use verify::verify;

/// A CSV problem (recipients file or register) at its line.
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
    /// The issue date from `SOURCE_DATE_EPOCH`, when set; else today.
    pub date: Option<Date>,
}

/// Issue date: the `SOURCE_DATE_EPOCH` date when given, else today (UTC).
fn today(date: Option<Date>) -> String {
    date.unwrap_or_else(|| Date(time::OffsetDateTime::now_utc().date()))
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
    let (project, theme, _) = crate::pipeline::load(&opts.root, true, None, opts.date)?;
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
    let issued = today(opts.date);
    let mut report = Report {
        register: shown_register.clone(),
        ..Default::default()
    };
    let mut new_rows = Vec::new();
    for ((r, copy_no, existing), pdf) in plan.iter().zip(&bytes) {
        let file = format!("{}.pdf", r.file_stem(*copy_no));
        let sha = sha256_hex(pdf);
        write_file_atomic(&copies_dir.join(&file), pdf).map_err(Diagnostics::from)?;
        let who = present::name_org(&r.name, &r.organisation);
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
