//! Which copy a PDF is: its hash looked up in every register; when the hash
//! matches none, what the file says about itself — its metadata, and the
//! copy number and recipient in the footer of its pages, which survive
//! extracting pages or re-saving the file.

use std::path::{Path, PathBuf};

use lopdf_printpdf as lo;

use super::{read_register, sha256_hex, RegisterRow};
use crate::error::{Error, Kind};
use crate::pdf;
use crate::present;

/// The largest file `--verify` reads: a memo is a few MiB at most.
pub const MAX_PDF_BYTES: u64 = 64 << 20;

/// The most text a page's content may decompress to while looking for its
/// footer.
const MAX_PAGE_CONTENT: usize = 16 << 20;

/// Reads the file to verify: at most [`MAX_PDF_BYTES`]; a missing file or a
/// folder is a usage error.
fn read_pdf(file: &Path) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(file).map_err(|e| Error::io(file, "read file", &e))?;
    let usage = |message: &str| {
        let mut e = Error::in_file(file, message);
        e.kind = Kind::Io;
        e
    };
    if meta.is_dir() {
        return Err(usage("is a folder: --verify needs a PDF file"));
    }
    if !meta.is_file() {
        return Err(usage("is not a regular file: --verify needs a PDF file"));
    }
    let too_big = || {
        Error::in_file(
            file,
            format!(
                "is larger than {} MiB, so it is not a copy made by orepress (a memo is a few MiB); not read",
                MAX_PDF_BYTES >> 20
            ),
        )
    };
    crate::files::open_regular_meta(file)
        .and_then(|(f, meta)| crate::files::read_within(f, meta.len(), MAX_PDF_BYTES))
        .map_err(|e| Error::io(file, "read file", &e))?
        .map_err(|_| too_big())
}

/// What the pages of a PDF say in their footers: the copy numbers found
/// after any of `labels` (the copy label of each language without its
/// number and white space: "CopyNo.", "نسخہنمبر") and all the text,
/// without white space, to look for recipients' names in.
fn footer_claims(bytes: &[u8], labels: &[String]) -> (Vec<u32>, String) {
    let Ok(doc) = lo::Document::load_mem(bytes) else {
        return (Vec::new(), String::new());
    };
    let mut text = String::new();
    for page in doc.get_pages().keys() {
        if let Ok(t) = doc.extract_text_with_limit(&[*page], MAX_PAGE_CONTENT) {
            text.push_str(&squeezed(&t));
        }
    }
    (copy_numbers(&text, labels), text)
}

/// The copy numbers in `text` (white space removed): the digits after a
/// label as written, or, where a right-to-left footer came out in visual
/// order, before the label's letters reversed ("001ربمنہخسن").
fn copy_numbers(text: &str, labels: &[String]) -> Vec<u32> {
    let mut numbers = Vec::new();
    let mut found = |digits: String| {
        if let Ok(n) = digits.parse::<u32>() {
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
    };
    for label in labels.iter().filter(|l| !l.is_empty()) {
        for (at, _) in text.match_indices(label.as_str()) {
            found(
                text[at + label.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect(),
            );
        }
        let back: String = label.chars().rev().collect();
        for (at, _) in text.match_indices(back.as_str()) {
            let before: Vec<char> = text[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            found(before.into_iter().rev().collect());
        }
    }
    numbers
}

/// The copy labels of every language of the theme, as [`footer_claims`]
/// looks for them; English when the theme cannot be read.
fn copy_labels(root: &Path, project: &crate::content::Project) -> Vec<String> {
    let mut labels = vec!["CopyNo.".to_string()];
    if let Ok(theme) = crate::theme::Theme::load(root, &project.site) {
        for lang in project.site.languages() {
            let template = theme.i18n.labels(&lang).get("copy_number");
            let label = squeezed(template.split("{number}").next().unwrap_or_default());
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
    }
    labels
}

/// `s` without white space and without the invisible marks that steer
/// the direction of text (LRM, RLM, ALM, embeddings and isolates), and
/// without the replacement characters of glyphs that extract as nothing.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !c.is_whitespace() && !pdf::layout::bidi::is_bidi_control(c) && c != '\u{FFFD}'
        })
        .collect()
}

/// "copy No. 007 of `brief`, issued to Jane Doe, Acme on 2025-12-01".
fn describe(row: &RegisterRow) -> String {
    format!(
        "copy No. {:03} of `{}` (version {}), issued to {} on {}",
        row.copy,
        row.brief,
        row.version,
        present::name_org(&row.recipient, &row.organisation),
        row.issued
    )
}

/// Tells which registered copy a PDF is. `Ok` when its bytes match a
/// register entry; `Err` with what is known otherwise.
pub fn verify(root: &Path, file: &Path) -> Result<String, Error> {
    let bytes = read_pdf(file)?;
    let sha = sha256_hex(&bytes);
    let (project, _) = crate::content::load(
        root,
        crate::content::LoadOptions {
            drafts: true,
            ..Default::default()
        },
    )
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
    let mut all: Vec<(PathBuf, RegisterRow)> = Vec::new();
    for reg in &registers {
        let shown = reg.strip_prefix(root).unwrap_or(reg).to_path_buf();
        let text = crate::content::read::read_text(reg, &shown)?;
        let rows = read_register(&shown, &text).map_err(|d| {
            d.items
                .into_iter()
                .next()
                .unwrap_or_else(|| Error::in_file(&shown, "invalid register"))
        })?;
        all.extend(rows.into_iter().map(|r| (shown.clone(), r)));
    }
    if let Some((shown, row)) = all.iter().find(|(_, r)| r.sha256 == sha) {
        return Ok(format!(
            "{}: {}. The file matches the register ({}).",
            file.display(),
            describe(row),
            shown.display()
        ));
    }

    // Not the file that was issued: what does it say it is?
    let info = pdf::write::read_info(&bytes).ok();
    let claimed_copy = info
        .as_ref()
        .and_then(|i| i.get("OrepressCopy"))
        .and_then(|c| c.parse::<u32>().ok());
    let claimed_brief = info.as_ref().and_then(|i| i.get("OrepressBrief")).cloned();
    let differs = "but the file differs from what was issued";
    if let (Some(copy), Some(b)) = (claimed_copy, &claimed_brief) {
        if let Some((_, row)) = all.iter().find(|(_, r)| r.copy == copy && &r.brief == b) {
            return Err(
                Error::in_file(file, format!("says it is {}, {differs}", describe(row))).with_hint(
                    "the file was altered after it was issued, or it is not the file that was sent",
                ),
            );
        }
    }
    let (numbers, text) = footer_claims(&bytes, &copy_labels(root, &project));
    let mut candidates: Vec<&RegisterRow> = all
        .iter()
        .map(|(_, r)| r)
        .filter(|r| numbers.contains(&r.copy))
        .filter(|r| claimed_brief.as_ref().is_none_or(|b| &r.brief == b))
        .collect();
    // Copy numbers count per brief: the recipient named beside the number
    // tells which brief's copy it is.
    let named: Vec<&RegisterRow> = candidates
        .iter()
        .copied()
        .filter(|r| text.contains(&squeezed(&present::name_org(&r.recipient, &r.organisation))))
        .collect();
    if !named.is_empty() {
        candidates = named;
    }
    let from_pages = "identified from the copy number and recipient printed on its pages; pages may have been extracted from the copy, or the file re-saved or altered";
    match candidates.as_slice() {
        [row] => Err(Error::in_file(
            file,
            format!("this looks like {}, {differs}", describe(row)),
        )
        .with_hint(from_pages)),
        [] => {
            let mut e = Error::in_file(file, "is not a registered copy");
            let claimed = claimed_copy.or_else(|| numbers.first().copied());
            if let Some(copy) = claimed {
                e = e.with_hint(format!(
                    "it says it is copy No. {copy:03}{}, but no register lists it",
                    claimed_brief
                        .map(|b| format!(" of `{b}`"))
                        .unwrap_or_default()
                ));
            }
            Err(e)
        }
        many => Err(Error::in_file(
            file,
            format!(
                "this looks like one of {} registered copies, {differs}: {}",
                many.len(),
                many.iter()
                    .map(|r| describe(r))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )
        .with_hint(from_pages)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_numbers_are_read_in_reading_and_in_visual_order() {
        let labels = vec!["CopyNo.".to_string(), squeezed("نسخہ نمبر")];
        assert_eq!(copy_numbers("Preparedfor·CopyNo.007Page2", &labels), [7]);
        // Visual order: the number, then the label's letters reversed; the
        // number is not read backwards as 100.
        let visual = format!(
            "Mir·001{}·صفحہ3",
            "نسخہنمبر".chars().rev().collect::<String>()
        );
        assert_eq!(copy_numbers(&visual, &labels), [1]);
        assert_eq!(copy_numbers("نسخہنمبر012", &labels), [12]);
        assert!(copy_numbers("Page3of7", &labels).is_empty());
        assert_eq!(
            squeezed("\u{2067}نسخہ نمبر\u{2069} \u{200F}0\u{FFFD}01"),
            "نسخہنمبر001"
        );
    }
}
