//! Personalised copies of a memo: one numbered PDF per recipient, and an
//! append-only register (CSV) of which copy went to whom, kept outside
//! `output/` so builds never touch it. Also tells which copy a PDF is.

mod choose;
mod recipients;
mod register;
mod verify;

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::content::{Brief, Project};
use crate::error::{Diagnostics, Error, Kind};
use crate::output::write_file_atomic;
use crate::pdf::{self, compose::MemoLayout, MemoFonts, Recipient};
use crate::present;
use crate::values::sha256_hex;
use crate::values::Date;
use recipients::norm;
use register::register_csv;

pub use recipients::{read_recipients, RecipientEntry, Recipients};
pub use register::{read_register, RegisterRow};
pub use verify::verify;

/// Lines of a CSV file's records by byte offset, counted forward from the
/// last one asked for. The csv crate's own line numbers are one short for
/// every row after a `\r\n` (as Excel writes), so the bytes are counted.
pub(super) struct Lines<'a> {
    text: &'a str,
    byte: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record that starts at byte `at`: after a
    /// `\r\n`, the csv crate starts the next record at its `\n`.
    pub(super) fn at(&mut self, at: u64) -> usize {
        let mut at = (at as usize).min(self.text.len());
        while matches!(self.text.as_bytes().get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        if at < self.byte {
            (self.byte, self.line) = (0, 1);
        }
        let newlines = self.text.as_bytes()[self.byte..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        (self.byte, self.line) = (at, self.line + newlines);
        self.line
    }
}

/// A CSV problem (recipients file or register) at its line.
fn csv_error(shown: &Path, lines: &mut Lines, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| lines.at(p.byte()));
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
        let bytes = crate::files::read_regular(&project.root.join(&f))
            .map_err(|e| Error::io(&f, "read file", &e))?;
        h.update(f.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(&bytes);
    }
    Ok(crate::values::hex(&h.finalize()[..6]))
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
    pub brief: String,
    /// The translation to copy (`ur`), when not the brief as written.
    pub lang: Option<String>,
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
    // `key`: the register's name, `<slug>` or `<slug>.<lang>`.
    let (brief, key) =
        choose::choose(&project, &opts.brief, opts.lang.as_deref()).map_err(Diagnostics::from)?;
    if !brief.front.pdf {
        return Err(Diagnostics::from(Error::in_file(
            &brief.path,
            "this brief has `pdf: false`, so it has no memo to copy",
        )));
    }
    let recipients = match &opts.recipients {
        Recipients::File(path) => {
            // A file that is not there is a usage error (exit 2), not a
            // problem in its content.
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() => {}
                Ok(_) => {
                    let mut e = Error::in_file(
                        path,
                        "is not a file: --recipients needs a CSV or YAML file",
                    );
                    e.kind = Kind::Io;
                    return Err(Diagnostics::from(e));
                }
                Err(e) => {
                    return Err(Diagnostics::from(Error::io(
                        path,
                        "read the recipients file",
                        &e,
                    )))
                }
            }
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
            let one = RecipientEntry {
                name: recipients::one_line(name),
                organisation: recipients::one_line(org),
                email: String::new(),
                note: String::new(),
                line: 0,
            };
            if let Some(e) = recipients::too_long(&one) {
                return Err(Diagnostics::from(Error::msg(
                    Kind::Io,
                    format!("--for: {e}"),
                )));
            }
            vec![one]
        }
    };

    let shown_dir = Path::new(&project.site.copies.register_dir).join(&key);
    let dir = opts.root.join(&shown_dir);
    let register_path = dir.join("register.csv");
    let shown_register = shown_dir.join("register.csv");
    // The brief's own folder may be a link too.
    let refuse_place = |why: String| {
        Diagnostics::from(
            Error::in_file(&shown_dir, format!("cannot keep copies here: {why}"))
                .with_hint("make it a plain folder inside the project"),
        )
    };
    if let Some(why) =
        crate::output::register_place_problem(&opts.root, &dir).map_err(Diagnostics::from)?
    {
        return Err(refuse_place(why));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Diagnostics::from(Error::io(&shown_dir, "create folder", &e)))?;
    // One writer at a time, for the whole run: the register is read again
    // under the lock, so a run that waited sees what the other one wrote.
    let _lock = lock(&dir, &shown_dir).map_err(Diagnostics::from)?;
    // Anything there but a file is read (and refused) as the register.
    let register_exists = register_path.exists();
    let mut rows = if register_exists {
        // The register is a record on disk, not content: anything wrong
        // with reading it (a folder in its place) is a file-system error.
        let text =
            crate::content::read::read_text(&register_path, &shown_register).map_err(|mut e| {
                e.kind = Kind::Io;
                Diagnostics::from(e)
            })?;
        read_register(&shown_register, &text)?
    } else {
        Vec::new()
    };
    let highest = register::highest_issued(&dir, &shown_dir, &rows, register_exists)
        .map_err(Diagnostics::from)?;
    finish_interrupted(&dir, &shown_dir, &rows).map_err(Diagnostics::from)?;
    let mut report = Report {
        register: shown_register.clone(),
        ..Default::default()
    };
    let legacy_dir = opts.root.join("output").join("copies").join(&key);
    adopt_legacy_copies(&dir, &shown_dir, &legacy_dir, &rows, &mut report)?;
    let version = version(&project, brief).map_err(Diagnostics::from)?;

    // Numbers: the same recipient and version keeps its number; a new copy
    // gets the next number ever issued, never one used before.
    let mut next = highest + 1;
    // The first row of this version for each recipient, found by key (a
    // search of every row for each recipient took minutes for thousands).
    let mut issued: HashMap<(String, String), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.version == version {
            issued
                .entry((norm(&row.recipient), norm(&row.organisation)))
                .or_insert(i);
        }
    }
    let mut plan: Vec<(RecipientEntry, u32, Option<usize>)> = Vec::new();
    for r in recipients {
        let existing = issued.get(&(norm(&r.name), norm(&r.organisation))).copied();
        match existing {
            Some(i) => plan.push((r, rows[i].copy, Some(i))),
            None => {
                plan.push((r, next, None));
                next += 1;
            }
        }
    }

    // A new copy never replaces a file the register does not name: found
    // before any copy is made.
    for (r, copy_no, existing) in &plan {
        let name = file_name(r, *copy_no, None);
        if existing.is_none() && dir.join(&name).exists() {
            return Err(Diagnostics::from(
                Error::in_file(
                    shown_dir.join(&name),
                    "already exists, but no register row names it; it is not overwritten",
                )
                .with_hint("move it away if it is not a copy that was sent"),
            ));
        }
    }

    // Lay out once and make the image streams once; personalise and write
    // per copy, in parallel. Each copy goes to disk (under a temporary
    // name) as soon as it is made: a run holds a few copies in memory, not
    // all of them.
    let fonts = MemoFonts::load(&theme).map_err(Diagnostics::from)?;
    let layout = MemoLayout::new(&project, &theme, &fonts, brief)
        .map_err(Diagnostics::from)?
        .with_version(&key, &version);
    let shared = pdf::write::SharedStreams::default();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let made: Vec<Result<Made, Diagnostics>> = plan
        .par_iter()
        .with_max_len(1)
        .map(|(r, copy_no, existing)| {
            let recipient = Recipient {
                name: r.name.clone(),
                organization: r.organisation.clone(),
                copy_no: *copy_no,
            };
            let doc = layout.document(Some(&recipient))?;
            let pdf = pdf::write::write_pdf_shared(doc, &shared).map_err(|e| {
                Error::in_file(&brief.path, "cannot write the copy").with_cause(e.to_string())
            })?;
            let made = settle(
                &dir,
                &shown_dir,
                r,
                *copy_no,
                existing.map(|i| &rows[i]),
                &pdf,
            );
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n, plan.len());
            made
        })
        .collect();
    if made.iter().any(Result::is_err) {
        for m in made.iter().flatten() {
            if let Some((partial, _)) = &m.pending {
                let _ = std::fs::remove_file(partial);
            }
        }
        let first = made.into_iter().find_map(Result::err);
        return Err(
            first.unwrap_or_else(|| Diagnostics::from(Error::msg(Kind::Io, "copies failed")))
        );
    }

    let issued = today(opts.date);
    let mut new_rows = Vec::new();
    // Files written under a temporary name, renamed into place only once
    // the register holds their rows: a run stopped at any point leaves no
    // numbered PDF that the register does not list.
    let mut pending: Vec<(PathBuf, PathBuf)> = Vec::new();
    for ((r, copy_no, existing), made) in plan.iter().zip(made.into_iter().flatten()) {
        let who = present::name_org(&r.name, &r.organisation);
        pending.extend(made.pending);
        match existing {
            None => {
                report
                    .lines
                    .push(format!("Copy {copy_no:03}  {who}  (new)"));
                new_rows.push(RegisterRow {
                    copy: *copy_no,
                    recipient: r.name.clone(),
                    organisation: r.organisation.clone(),
                    email: r.email.clone(),
                    brief: key.clone(),
                    version: version.clone(),
                    issued: issued.clone(),
                    sha256: made.sha256,
                    file: shown_dir
                        .join(&made.name)
                        .to_string_lossy()
                        .replace('\\', "/"),
                    note: r.note.clone(),
                    chain: String::new(),
                    line: 0,
                });
            }
            Some(i) => report.lines.push(format!(
                "Copy {copy_no:03}  {who}  (already issued {}; {})",
                rows[*i].issued, made.said
            )),
        }
    }
    report.new_rows = new_rows.len();
    if !new_rows.is_empty() {
        let from = rows.len();
        rows.extend(new_rows);
        register::seal(&mut rows, from);
        let csv = register_csv(&rows).map_err(Diagnostics::from)?;
        write_file_atomic(&register_path, &csv).map_err(Diagnostics::from)?;
    }
    // Then the highest number issued, in a second place.
    if let Some(text) = register::last_number_text(&rows) {
        let path = dir.join(register::LAST_NUMBER);
        if crate::files::read_regular_string(&path).ok().as_deref() != Some(text.as_str()) {
            write_file_atomic(&path, text.as_bytes()).map_err(Diagnostics::from)?;
        }
    }
    for (partial, target) in pending {
        std::fs::rename(&partial, &target).map_err(|e| {
            Diagnostics::from(Error::io(
                &shown_dir.join(target.file_name().unwrap_or_default()),
                "move the copy into place",
                &e,
            ))
        })?;
    }
    Ok(report)
}

/// Copies that an earlier orepress wrote into `output/copies/<brief>/` (which
/// `build` replaces) are copied, unchanged, into the register's folder.
fn adopt_legacy_copies(
    dir: &Path,
    shown: &Path,
    legacy_dir: &Path,
    rows: &[RegisterRow],
    report: &mut Report,
) -> Result<(), Diagnostics> {
    for row in rows {
        let Some(name) = Path::new(&row.file).file_name() else {
            continue;
        };
        let name = name.to_string_lossy();
        let target = dir.join(&*name);
        if target.exists() {
            continue;
        }
        let Ok(old) = crate::files::read_regular(&legacy_dir.join(&*name)) else {
            continue;
        };
        if sha256_hex(&old) != row.sha256 {
            continue;
        }
        let partial = write_partial(dir, shown, &name, &old)?;
        std::fs::rename(&partial, &target).map_err(|e| {
            Diagnostics::from(Error::io(
                &shown.join(&*name),
                "move the copy into place",
                &e,
            ))
        })?;
        report.lines.push(format!(
            "Copy {:03}  {}  (issued {}; carried over from output/copies/ to {})",
            row.copy,
            present::name_org(&row.recipient, &row.organisation),
            row.issued,
            shown.join(&*name).display()
        ));
    }
    Ok(())
}

/// Takes the register folder's lock (`.lock`), waiting for another run to
/// finish; released when the returned file is dropped (or the process ends,
/// however it ends).
fn lock(dir: &Path, shown: &Path) -> Result<std::fs::File, Error> {
    let shown_lock = shown.join(".lock");
    let path = dir.join(".lock");
    // Opened without waiting, a named pipe with no reader fails with an
    // error that names no pipe: looked at first.
    if let Some(meta) = std::fs::metadata(&path).ok().filter(|m| !m.is_file()) {
        let mut e = Error::in_file(
            &shown_lock,
            format!("is {}, not a regular file", crate::files::file_kind(&meta)),
        )
        .with_hint("remove it: orepress makes its lock file again");
        e.kind = Kind::Io;
        return Err(e);
    }
    let file = crate::files::open_regular_with(
        &path,
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true),
    )
    .map_err(|e| Error::io(&shown_lock, "open the lock file", &e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            tell!(
                "Waiting for another `orepress copies` run to finish with {}",
                shown.display()
            );
            file.lock()
                .map_err(|e| Error::io(&shown_lock, "lock", &e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(Error::io(&shown_lock, "lock", &e));
        }
    }
    Ok(file)
}

/// Suffix of a copy written but not yet registered.
const PARTIAL: &str = ".partial";

/// A copy made and on disk: its file name, the SHA-256 of its bytes, the temporary file
/// to move into place once the register holds its row (and where), and,
/// for a copy issued before, what became of it.
struct Made {
    /// The copy's file name in the register folder.
    name: String,
    sha256: String,
    pending: Option<(PathBuf, PathBuf)>,
    said: String,
}

/// Puts copy `copy_no`'s bytes `pdf` where they go: a new copy to a
/// temporary file; a copy issued before (its register `row`) is compared
/// with the file that was sent, which is never replaced, and restored when
/// it is missing and this run made the same bytes.
fn settle(
    dir: &Path,
    shown_dir: &Path,
    r: &RecipientEntry,
    copy_no: u32,
    row: Option<&RegisterRow>,
    pdf: &[u8],
) -> Result<Made, Diagnostics> {
    let sha256 = sha256_hex(pdf);
    let name = file_name(r, copy_no, row);
    let Some(row) = row else {
        let partial = write_partial(dir, shown_dir, &name, pdf)?;
        return Ok(Made {
            pending: Some((partial, dir.join(&name))),
            name,
            sha256,
            said: String::new(),
        });
    };
    let target = dir.join(&name);
    let shown_file = shown_dir.join(&name);
    let mut pending = None;
    let said = match crate::files::read_regular(&target) {
        Ok(on_disk) if on_disk == pdf => "unchanged".to_string(),
        Ok(_) => format!(
            "this run's file differs (spelling, theme or orepress version): {} is kept as it was sent",
            shown_file.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if sha256 == row.sha256 {
                pending = Some((write_partial(dir, shown_dir, &name, pdf)?, target));
                format!("{} was missing; restored byte-identical", shown_file.display())
            } else {
                format!(
                    "{} is missing and this run's file differs from the one sent: nothing written",
                    shown_file.display()
                )
            }
        }
        Err(e) => return Err(Diagnostics::from(Error::io(&shown_file, "read file", &e))),
    };
    Ok(Made {
        name,
        sha256,
        pending,
        said,
    })
}

/// The file name of copy `copy_no` for `r`: the one its register `row`
/// gives, else `<number>-<name>-<organisation>.pdf`.
fn file_name(r: &RecipientEntry, copy_no: u32, row: Option<&RegisterRow>) -> String {
    row.and_then(|row| Path::new(&row.file).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.pdf", r.file_stem(copy_no)))
}

/// Writes a copy as `.<name>.partial` beside where it belongs.
fn write_partial(
    dir: &Path,
    shown: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, Diagnostics> {
    let path = dir.join(format!(".{name}{PARTIAL}"));
    let written = std::fs::File::create(&path).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    written.map_err(|e| Diagnostics::from(Error::io(&shown.join(name), "write file", &e)))?;
    Ok(path)
}

/// Finishes what a run stopped part-way left: a copy whose register row was
/// written is moved into place; anything else unfinished is removed.
fn finish_interrupted(dir: &Path, shown: &Path, rows: &[RegisterRow]) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(shown, "read folder", &e))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix('.') else {
            continue;
        };
        let path = entry.path();
        if let Some(name) = rest.strip_suffix(PARTIAL) {
            let target = dir.join(name);
            let registered = rows.iter().any(|r| {
                Path::new(&r.file).file_name() == Some(std::ffi::OsStr::new(name))
                    && crate::files::read_regular(&path).is_ok_and(|b| sha256_hex(&b) == r.sha256)
            });
            if registered && !target.exists() {
                std::fs::rename(&path, &target)
                    .map_err(|e| Error::io(&shown.join(name), "move the copy into place", &e))?;
            } else {
                let _ = std::fs::remove_file(&path);
            }
        } else if rest.contains(".tmp-") {
            // A register or `.last-number` write that never reached its rename.
            let _ = std::fs::remove_file(&path);
        }
    }
    Ok(())
}
