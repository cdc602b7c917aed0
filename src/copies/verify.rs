//! Which copy a PDF is: its hash looked up in every register, and what the
//! file claims about itself when the hash matches none.

use std::path::{Path, PathBuf};

use super::{read_register, sha256_hex};
use crate::error::{Error, Kind};
use crate::pdf;
use crate::present;

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
                "{}: copy No. {:03} of `{}` (version {}), issued to {} on {}. The file matches the register ({}).",
                file.display(),
                row.copy,
                row.brief,
                row.version,
                present::name_org(&row.recipient, &row.organisation),
                row.issued,
                shown.display()
            ));
        }
        if let (Some(copy), Some(b)) = (claimed_copy, &claimed_brief) {
            if let Some(row) = rows.iter().find(|r| r.copy == copy && &r.brief == b) {
                return Err(Error::in_file(
                    file,
                    format!(
                        "says it is copy No. {copy:03} of `{b}`, issued to {} on {}, but its contents differ from the registered file",
                        present::name_org(&row.recipient, &row.organisation),
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
