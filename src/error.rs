//! The one error type: a problem with a place (path, line, column), a
//! message, an optional hint and the chain of causes, plus how severe it is.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of failure an [`Error`] is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad content: a file the user wrote is wrong (exit code 1).
    Content,
    /// Reading or writing files failed, or the command line was wrong (exit code 2).
    Io,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem found by orepress, located where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub severity: Severity,
    /// The file at fault, relative to the project root where possible.
    pub path: Option<PathBuf>,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// A suggestion ("did you mean `value`?").
    pub hint: Option<String>,
    /// Underlying causes, outermost first.
    pub causes: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A content error at a place in a file.
    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind: Kind::Content,
            severity: Severity::Error,
            path: Some(path.into()),
            line,
            col,
            message: message.into(),
            hint: None,
            causes: Vec::new(),
        }
    }

    /// A content error about a whole file.
    pub fn in_file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }

    /// An I/O failure on a path.
    pub fn io(path: &Path, what: &str, err: &std::io::Error) -> Self {
        Error {
            kind: Kind::Io,
            severity: Severity::Error,
            path: Some(path.to_path_buf()),
            line: 0,
            col: 0,
            message: format!("cannot {what}"),
            hint: None,
            causes: vec![err.to_string()],
        }
    }

    /// A failure with no file to point at.
    pub fn msg(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            severity: Severity::Error,
            path: None,
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            causes: Vec::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// The same problem, counted as `kind` (for the exit code).
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Moves the location down by `lines` (front matter starts after its fence).
    pub fn shifted(mut self, lines: usize) -> Self {
        if self.line > 0 {
            self.line += lines;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            shown(f, &path.to_string_lossy(), false)?;
            if self.line > 0 {
                write!(f, ":{}", self.line)?;
                if self.col > 0 {
                    write!(f, ":{}", self.col)?;
                }
            }
            write!(f, ": ")?;
        }
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        shown(f, &self.message, false)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: ")?;
            shown(f, hint, false)?;
        }
        for cause in &self.causes {
            write!(f, "\n  caused by: ")?;
            // A template engine's cause may quote lines of a template.
            shown(f, cause, true)?;
        }
        Ok(())
    }
}

/// Writes `text` with its control characters and bidirectional overrides
/// escaped (`\n`, `\u{1b}`), but for line feeds when `lines`: a file
/// named `a<LF>b.md` gives one line of message, not two, and a name
/// holding a terminal's escape sequence is shown, not obeyed.
fn shown(f: &mut fmt::Formatter<'_>, text: &str, lines: bool) -> fmt::Result {
    let escaped =
        |c: char| (c.is_control() && !(lines && c == '\n')) || crate::files::is_override(c);
    if !text.contains(escaped) {
        return f.write_str(text);
    }
    for c in text.chars() {
        if escaped(c) {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

impl std::error::Error for Error {}

/// Every problem found in one run, errors and warnings, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Error>,
}

/// One problem on its own.
impl From<Error> for Diagnostics {
    fn from(e: Error) -> Diagnostics {
        Diagnostics { items: vec![e] }
    }
}

impl Diagnostics {
    pub fn push(&mut self, e: Error) {
        self.items.push(e);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Error>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Error::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        self.items.iter().filter(|e| e.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Error> {
        self.items.iter().filter(|e| !e.is_error())
    }

    /// Prints every diagnostic to stderr as `path:line:col: message`
    /// (an error with no file as `error: message`).
    pub fn print(&self) {
        use std::io::Write;
        let stderr = std::io::stderr();
        let mut w = stderr.lock();
        for d in &self.items {
            let _ = if d.path.is_none() && d.is_error() {
                writeln!(w, "error: {d}")
            } else {
                writeln!(w, "{d}")
            };
        }
    }

    /// Sorts by path, then line and column, so output never depends on
    /// the order files were visited or checks ran.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
        self.items.dedup();
    }
}

/// Turns a byte offset in `text` into a 1-based (line, column); the column
/// counts characters, not bytes.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    Locator::new(text).locate(offset)
}

/// [`line_col`] for many offsets of one text, each found from the one
/// before when they come in order (as a text's problems do): thousands of
/// problems on one long line cost one pass over it, not one each. An
/// offset before the last one is found from the start again.
pub struct Locator<'a> {
    text: &'a str,
    /// The last offset located, its line, where its line starts and its
    /// column.
    at: usize,
    line: usize,
    line_start: usize,
    col: usize,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            at: 0,
            line: 1,
            line_start: 0,
            col: 1,
        }
    }

    /// The line and column (both 1-based, the column in characters) of
    /// byte `offset`, as [`line_col`] gives them.
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.at {
            *self = Locator::new(self.text);
        }
        let between = &self.text[self.at..offset];
        match between.rfind('\n') {
            Some(last) => {
                self.line += between.matches('\n').count();
                self.line_start = self.at + last + 1;
                self.col = self.text[self.line_start..offset].chars().count() + 1;
            }
            None => self.col += between.chars().count(),
        }
        self.at = offset;
        (self.line, self.col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest known name to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest(word, known, 1).pop()
}

/// Up to `n` known names close to `word`, closest first.
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locator_finds_each_offset_as_from_the_start_in_and_out_of_order() {
        let text = "ab\nçd پا\n\nx\u{1F600}y\nend";
        // From the start for each offset, by counting what comes before.
        let fresh = |o: usize| {
            let mut o = o.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let before = &text[..o];
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (
                before.matches('\n').count() + 1,
                before[start..].chars().count() + 1,
            )
        };
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let mut loc = Locator::new(text);
        for &o in offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain([3, 9, 1, 20].iter())
        {
            assert_eq!(loc.locate(o), fresh(o), "offset {o}");
        }
    }

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let text = "ab\ncd–e\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // byte offset of 'e' is after a 3-byte dash: column 4 in characters
        let e = text.find('e').unwrap();
        assert_eq!(line_col(text, e), (2, 4));
    }

    #[test]
    fn display_is_path_line_col_message() {
        let e = Error::at("content/deals/x.yaml", 3, 7, "unknown field `valu`")
            .with_hint("did you mean `value`?");
        assert_eq!(
            e.to_string(),
            "content/deals/x.yaml:3:7: unknown field `valu`\n  hint: did you mean `value`?"
        );
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(
            did_you_mean("valu", ["title", "value", "notes"]),
            Some("value")
        );
        assert_eq!(did_you_mean("zzz", ["title", "value"]), None);
    }

    #[test]
    fn closest_lists_near_names_best_first() {
        let known = ["ussm-fwo-mou", "ussm-fwo-loi", "nlc-mota-mou"];
        assert_eq!(
            closest("ussm-fwo-mo", known, 3),
            ["ussm-fwo-mou", "ussm-fwo-loi"]
        );
        assert_eq!(closest("ussm-fwo-mo", known, 1), ["ussm-fwo-mou"]);
        assert!(closest("zzz", known, 3).is_empty());
    }
}
