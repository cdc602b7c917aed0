//! The one place serde_yaml is used: YAML text → typed values, with its
//! errors turned into located [`Error`]s (real line and column, front matter
//! offsets applied, "did you mean" hints, serde's type names in plain words).
//! Nesting deeper than [`MAX_DEPTH`] is refused before parsing, so a file of
//! `[[[[…` is an error at its place, not minutes of work.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{did_you_mean, Error};

mod aliases;
mod nulls;
mod scan;

use nulls::blank_nulls;
pub use scan::MAX_DEPTH;
use scan::{scan, unquoted_colour, Problem};

/// Parses YAML `text` (which starts at line `first_line` of `path`) into `T`,
/// reporting the error's real line and column.
pub fn from_yaml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Error> {
    if let Some(c) = unquoted_colour(text) {
        return Err(Error::at(
            path,
            c.line + first_line - 1,
            c.col,
            format!(
                "`{}` is empty: quote colours, `{}: \"{}\"`",
                c.key_path, c.key, c.colour
            ),
        )
        .with_hint("in YAML an unquoted # starts a comment, so the colour was not read"));
    }
    match scan(text) {
        Some(Problem::Deep(line, col)) => {
            return Err(Error::at(
                path,
                line + first_line - 1,
                col,
                format!("YAML nested more than {MAX_DEPTH} levels deep"),
            )
            .with_hint("no orepress file needs this much nesting: check for unclosed `[` or `{`"))
        }
        Some(Problem::Refused(line, col, c)) => {
            let (what, hint) = crate::files::refusal(c);
            let hint = if crate::files::is_override(c) {
                hint.to_string()
            } else {
                format!("{hint}; write a line break as `\\n` or a tab as `\\t`")
            };
            return Err(Error::at(
                path,
                line + first_line - 1,
                col,
                format!("this escape makes U+{:04X}, a {what}", c as u32),
            )
            .with_hint(hint));
        }
        None => {}
    }
    if let Some((line, col)) = aliases::over_budget(text) {
        return Err(Error::at(
            path,
            line + first_line - 1,
            col,
            format!(
                "YAML aliases here repeat more than {} values in all",
                aliases::budget(text)
            ),
        )
        .with_hint("write the repeated values out, or repeat fewer or smaller ones"));
    }
    let blanked = blank_nulls(text);
    serde_yaml::from_str(blanked.as_deref().unwrap_or(text))
        .map_err(|e| yaml_error(path, text, &e, first_line))
}

/// As [`from_yaml`], but a mapping with keys `T` does not know is read
/// without them, so that every unknown key and the next problem after them
/// are all reported in one run (not one per save). Returns the value when
/// one could be read, and every problem found.
pub fn from_yaml_all<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> (Option<T>, Vec<Error>) {
    let first = match from_yaml::<T>(path, text, first_line) {
        Ok(v) => return (Some(v), Vec::new()),
        Err(e) => e,
    };
    // Text refused before parsing (nesting, control characters) is not
    // parsed again: that is what the refusal spares.
    if scan(text).is_some() || aliases::over_budget(text).is_some() {
        return (None, vec![first]);
    }
    let Ok(serde_yaml::Value::Mapping(mut map)) = serde_yaml::from_str::<serde_yaml::Value>(text)
    else {
        return (None, vec![first]);
    };
    // The key at fault: an unknown one by name, a refused value by the
    // top-level key on its line.
    let at_fault = |e: &Error| -> Option<String> {
        top_level_unknown(&e.message).or_else(|| {
            let line = text.lines().nth(e.line.checked_sub(first_line)?)?;
            let (key, _) = line.split_once(':')?;
            (!key.starts_with([' ', '-', '#']) && !key.is_empty()).then(|| key.trim().to_string())
        })
    };
    let Some(key) = at_fault(&first) else {
        return (None, vec![first]);
    };
    let mut refused = vec![key.clone()];
    let mut problems = vec![first];
    map.remove(key.as_str());
    // Each round takes one key out; a mapping has finitely many.
    for _ in 0..64 {
        let value = serde_yaml::Value::Mapping(map.clone());
        let e = match serde_yaml::from_value::<T>(value) {
            Ok(v) => {
                // Read without the refused values: only unknown keys were
                // wrong, and the value stands.
                let only_unknown = problems
                    .iter()
                    .all(|p| top_level_unknown(&p.message).is_some());
                return (only_unknown.then_some(v), problems);
            }
            Err(e) => e,
        };
        let mut err = yaml_error(path, text, &e, first_line);
        // A key taken out for a refused value now reads as missing: that
        // problem is reported already.
        if refused
            .iter()
            .any(|k| err.message.contains(&format!("missing field `{k}`")))
        {
            return (None, problems);
        }
        let Some(next) = top_level_unknown(&err.message) else {
            // Without a location of its own, a later problem is shown only
            // when it could be placed.
            if e.location().is_none() && refused_value(&err.message).is_none() {
                return (None, problems);
            }
            if let Some(k) = at_fault(&err) {
                map.remove(k.as_str());
                refused.push(k);
                problems.push(err);
                continue;
            }
            problems.push(err);
            return (None, problems);
        };
        if let Some((l, c)) = key_line(text, &next) {
            (err.line, err.col) = (l + first_line - 1, c);
        }
        map.remove(next.as_str());
        problems.push(err);
    }
    (None, problems)
}

/// The key of an "unknown field" message about the top-level mapping.
fn top_level_unknown(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// The 1-based line and column of top-level `key:` in `text`.
fn key_line(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| (i + 1, 1))
}

fn yaml_error(path: &Path, text: &str, e: &serde_yaml::Error, first_line: usize) -> Error {
    let (mut line, mut col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let full = e.to_string();
    // serde_yaml appends its own location; ours is in front already.
    let (message, rest) = match full
        .find(" at line ")
        .or_else(|| full.find(" at position "))
    {
        Some(i) => (full[..i].to_string(), &full[i..]),
        None => (full.clone(), ""),
    };
    let message = plain_words(&message);
    // A value one of our types refused (a date, a URL, a code) is placed by
    // serde_yaml at the start of the mapping that holds it: move to the value.
    if let Some(value) = refused_value(&message) {
        let found = if value.is_empty() {
            find_empty_value_after(text, line)
        } else {
            find_value_after(text, line, col, value)
        };
        if let Some((l, c)) = found {
            (line, col) = (l, c);
        }
    }
    // A key given twice is placed at the start of its mapping: move to the
    // second time it is given.
    if let Some(key) = message
        .split_once("duplicate field `")
        .and_then(|(_, m)| m.split_once('`'))
        .map(|(key, _)| key)
    {
        if let Some(l) = second_key_line(text, line, col, key) {
            line = l;
        }
    }
    // At the end of the text libyaml points past the last line (a line that
    // may not exist, or the front matter's closing fence): the mistake is at
    // the end of the last line with something on it.
    let lines: Vec<&str> = text.lines().collect();
    if let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) {
        if line > last + 1 {
            line = last + 1;
            col = lines[last].trim_end().chars().count() + 1;
        }
    }
    let mut err = Error::at(path, line + first_line - 1, col, message.clone());
    let tab = lines
        .get(line.saturating_sub(1))
        .and_then(|l| l.chars().nth(col.saturating_sub(1)))
        == Some('\t');
    if let Some(hint) = unknown_field_hint(&message) {
        err = err.with_hint(hint);
    } else if let Some(hint) = missing_field_hint(&message) {
        err = err.with_hint(hint);
    } else if tab {
        err = err.with_hint("YAML does not allow tabs here: indent with spaces");
    } else if let Some(hint) = syntax_context_hint(rest, first_line) {
        err = err.with_hint(hint);
    }
    err
}

/// The line (1-based) where `key` is given a second time in the block
/// mapping that starts at `line`:`col`: the keys of that mapping start in
/// its column.
fn second_key_line(text: &str, line: usize, col: usize, key: &str) -> Option<usize> {
    let at_key = |l: &str| {
        let rest = l.get(col.checked_sub(1)?..)?;
        let rest = rest.strip_prefix(key)?;
        let indent_ok = l[..col - 1].chars().all(|c| c == ' ' || c == '-');
        (indent_ok && rest.trim_start().starts_with(':')).then_some(())
    };
    text.lines()
        .enumerate()
        .skip(line.checked_sub(1)?)
        .filter(|(_, l)| at_key(l).is_some())
        .nth(1)
        .map(|(i, _)| i + 1)
}

/// serde's words for types ("sequence", "f64", "struct Deal") in the words
/// of someone writing YAML.
fn plain_words(message: &str) -> String {
    let mut m = message
        .replace("invalid type: sequence", "invalid type: list")
        .replace("expected a sequence", "expected a list")
        .replace("invalid type: map", "invalid type: mapping");
    // A whole number past 64 bits: serde_yaml reads it as u128 and no
    // type takes that.
    if let Some(i) = m.find(" as u128, expected ") {
        m.truncate(i);
        m = m.replace("invalid type: integer", "number");
        m.push_str(" is too large to read: write it as text in quotes");
    }
    for number in [
        "f64", "f32", "u8", "u16", "u32", "u64", "usize", "i32", "i64",
    ] {
        m = m.replace(&format!("expected {number}"), "expected a number");
    }
    // `0x10`, `0o20`: YAML reads them as whole numbers that no decimal
    // field takes ("invalid type: integer `16`, expected a number").
    if m.contains("invalid type: integer") && m.ends_with("expected a number") {
        m.push_str(": write it in decimal digits, not as 0x… or 0o…");
    }
    // `1e400`: a number past f64's range, which YAML then reads as text.
    let string = "invalid type: string \"";
    if let Some(at) = m.find(string).filter(|_| m.ends_with("expected a number")) {
        let value = m[at + string.len()..].split('"').next().unwrap_or("");
        if value.parse::<f64>().is_ok_and(f64::is_infinite) {
            m = format!("{}number `{value}` is too large to read", &m[..at]);
        }
    }
    if let Some(i) = m.find("expected struct ") {
        m.truncate(i);
        m.push_str("expected `key: value` lines");
    }
    m
}

/// Messages of the value types in this module, which quote the refused value.
const REFUSED: &[&str] = &[
    "invalid date `",
    "invalid URL `",
    "invalid currency code `",
    "invalid country code `",
    "unknown country code `",
    "invalid colour `",
    "invalid number `",
];

/// The value quoted in a message from one of this module's types.
fn refused_value(message: &str) -> Option<&str> {
    REFUSED.iter().find_map(|prefix| {
        let i = message.find(prefix)?;
        let rest = &message[i + prefix.len()..];
        rest.find('`').map(|end| &rest[..end])
    })
}

/// The first `key:` at or after `line` whose value is empty (`key:`,
/// `key: ""`), skipping keys that open a nested block: where serde_yaml
/// refused an empty scalar. 1-based (line, column of the key).
fn find_empty_value_after(text: &str, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for i in line.saturating_sub(1)..lines.len() {
        let l = lines[i];
        let start = indent(l);
        let item = l[start..].strip_prefix("- ").map_or(start, |_| start + 2);
        let Some((key, value)) = l[item..].split_once(':') else {
            continue;
        };
        let plain_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let value = value.split(" #").next().unwrap_or("").trim();
        if !plain_key || !matches!(value, "" | "\"\"" | "''" | "~" | "null") {
            continue;
        }
        let opens_block = lines[i + 1..]
            .iter()
            .find(|n| !n.trim().is_empty())
            .is_some_and(|n| {
                indent(n) > item || (indent(n) == item && n.trim_start().starts_with("- "))
            });
        if !opens_block {
            return Some((i + 1, l[..item].chars().count() + 1));
        }
    }
    None
}

/// The 1-based (line, column) of the first `value`, as a whole token, at or
/// after (`line`, `col`) in `text`.
fn find_value_after(text: &str, line: usize, col: usize, value: &str) -> Option<(usize, usize)> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let from = text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let mut at = from;
    while let Some(i) = text[at..].find(value) {
        let start = at + i;
        let end = start + value.len();
        if !word(text[..start].chars().next_back()) && !word(text[end..].chars().next()) {
            return Some(crate::error::line_col(text, start));
        }
        at = end;
    }
    None
}

/// libyaml's context (", while parsing a flow sequence at line 6 column 11")
/// as a hint with the file's real line number.
fn syntax_context_hint(rest: &str, first_line: usize) -> Option<String> {
    let context = &rest[rest.find(", ")? + 2..];
    // Without a place of its own ("while parsing a flow node") the context
    // says nothing the message does not.
    let (what, place) = context.rsplit_once(" at line ")?;
    let (l, c) = place.split_once(" column ")?;
    let (l, c) = (
        l.trim().parse::<usize>().ok()?,
        c.trim().parse::<usize>().ok()?,
    );
    Some(format!(
        "{what} that starts at line {}, column {c}",
        l + first_line - 1
    ))
}

/// "value: missing field `currency`" → "add `currency` to `value`".
fn missing_field_hint(message: &str) -> Option<String> {
    let (place, rest) = match message.split_once(": missing field `") {
        Some((place, rest)) => (Some(place), rest),
        None => (None, message.strip_prefix("missing field `")?),
    };
    let field = &rest[..rest.find('`')?];
    Some(match place {
        Some(place) => format!("`{field}` is required: add it to `{place}`"),
        None => format!("`{field}` is required: add a line `{field}: …`"),
    })
}

/// "unknown field `valu`, expected one of `amount`, `min`" → "did you mean `amount`?"
fn unknown_field_hint(message: &str) -> Option<String> {
    // Nested fields come with their place in front: "value: unknown field …".
    let at = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| i + p.len()))?;
    let rest = &message[at..];
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    // The message lists what is expected already; only a likely typo adds something.
    did_you_mean(word, expected.iter().copied()).map(|best| format!("did you mean `{best}`?"))
}

/// A scalar cell of a data table: text, a number as written, a truth
/// value, or nothing (`~`, or no value). A list or mapping (`[12000,
/// 12400]` is a list in YAML) and the special floats `.nan` and `.inf` are
/// errors at the cell, not an empty or a `.nan` cell on the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Text(String),
    Number(String),
    Bool(bool),
    Empty,
}

impl Scalar {
    /// The cell as text ("" when empty).
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(s) | Scalar::Number(s) => s.clone(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Empty => String::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let quote = "; put it in quotes to show it as text";
        Ok(match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) => Scalar::Text(s),
            serde_yaml::Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
                return Err(D::Error::custom(format!(
                    "invalid number `{n}`: not a number a reader can use{quote}"
                )))
            }
            serde_yaml::Value::Number(n) => Scalar::Number(n.to_string()),
            serde_yaml::Value::Bool(b) => Scalar::Bool(b),
            serde_yaml::Value::Null => Scalar::Empty,
            serde_yaml::Value::Sequence(_) => {
                return Err(D::Error::custom(format!(
                    "a table cell holds text or a number, not a list (`[...]` is a list in YAML){quote}"
                )))
            }
            serde_yaml::Value::Mapping(_) => {
                return Err(D::Error::custom(format!(
                    "a table cell holds text or a number, not a mapping (`{{...}}` or `key: value` is one in YAML){quote}"
                )))
            }
            serde_yaml::Value::Tagged(t) => {
                return Err(D::Error::custom(format!(
                    "a table cell holds text or a number, not a value tagged `{}`{quote}",
                    t.tag
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{Date, Url};
    use std::collections::BTreeMap;

    #[test]
    fn a_hexadecimal_amount_is_refused_in_plain_words() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Value {
            amount: f64,
        }
        let p = Path::new("d.yaml");
        let e = from_yaml::<Value>(p, "amount: 0x10\n", 1).unwrap_err();
        assert!(e.message.contains("write it in decimal digits"), "{e}");
        assert_eq!((e.line, e.col), (1, 9), "{e}");
        assert_eq!(
            from_yaml::<Value>(p, "amount: 16\n", 1).unwrap().amount,
            16.0
        );
        let e = from_yaml::<Value>(p, "amount: 1e400\n", 1).unwrap_err();
        assert!(
            e.message.ends_with("number `1e400` is too large to read"),
            "{e}"
        );
        assert_eq!((e.line, e.col), (1, 9), "{e}");
    }

    #[test]
    fn table_cells_are_scalars_or_located_errors() {
        let p = Path::new("d.yaml");
        let cells = |text: &str| from_yaml::<BTreeMap<String, Scalar>>(p, text, 1);
        let ok = cells("a: text\nb: 12.50\nc: true\nd: ~\ne:\nf: '[1, 2]'\n").unwrap();
        assert_eq!(ok["a"], Scalar::Text("text".into()));
        assert_eq!(ok["b"], Scalar::Number("12.5".into()));
        assert_eq!(ok["c"], Scalar::Bool(true));
        assert_eq!((&ok["d"], &ok["e"]), (&Scalar::Empty, &Scalar::Empty));
        assert_eq!(ok["f"], Scalar::Text("[1, 2]".into()));
        for (text, want) in [
            ("a: 1\nb: [1, 2]\n", "not a list"),
            ("a: 1\nb:\n  - 1\n", "not a list"),
            ("a: 1\nb: {x: 1}\n", "not a mapping"),
            ("a: 1\nb: !thing x\n", "tagged `!thing`"),
            ("a: 1\nb: .nan\n", "invalid number `.nan`"),
            ("a: 1\nb: -.inf\n", "invalid number `-.inf`"),
            (
                "a: 1\nb: 100000000000000000000000\n",
                "is too large to read",
            ),
        ] {
            let e = cells(text).unwrap_err();
            assert!(e.message.contains(want), "{text:?}: {e}");
            assert!(e.line >= 1 && e.col >= 1, "{text:?}: {e}");
        }
        // Where the value is quoted, the error points at it.
        let e = cells("a: 1\nb: .nan\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 4), "{e}");
    }

    #[test]
    fn a_key_given_twice_is_placed_at_its_second_time() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Party {
            name: String,
            role: Option<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Deal {
            title: String,
            parties: Vec<Party>,
        }
        let p = Path::new("d.yaml");
        let text = "title: A\nparties:\n  - name: A\n  - name: B\n    role: x\n    name: C\n";
        let e = from_yaml::<Deal>(p, text, 1).unwrap_err();
        assert!(e.message.contains("duplicate field `name`"), "{e}");
        assert_eq!((e.line, e.col), (6, 5), "{e}");
        let text = "title: A\nparties: []\ntitle: B\n";
        let e = from_yaml::<Deal>(p, text, 10).unwrap_err();
        assert!(e.message.contains("duplicate field `title`"), "{e}");
        assert_eq!((e.line, e.col), (12, 1), "{e}");
    }

    #[test]
    fn unknown_field_gets_a_hint() {
        let m = "unknown field `valu`, expected one of `title`, `value`, `notes`";
        assert_eq!(
            unknown_field_hint(m).as_deref(),
            Some("did you mean `value`?")
        );
    }

    #[test]
    fn unknown_field_in_a_nested_mapping_gets_a_hint() {
        let m = "value: unknown field `amonut`, expected one of `amount`, `min`";
        assert_eq!(
            unknown_field_hint(m).as_deref(),
            Some("did you mean `amount`?")
        );
        // No likely typo: the message lists the choices already.
        assert_eq!(
            unknown_field_hint("unknown variant `x`, expected `a` or `b`"),
            None
        );
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Dated {
        title: String,
        source: Option<Sourced>,
        date: Date,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Sourced {
        url: Url,
        date: Date,
    }

    #[test]
    fn a_refused_value_is_located_at_the_value_not_its_mapping() {
        let p = Path::new("x.yaml");
        let text = "title: t\nsource:\n  url: https://a.b/\n  date: 2025-09-31\ndate: 2025-09-31\n";
        let e = from_yaml::<Dated>(p, text, 1).unwrap_err();
        assert_eq!((e.line, e.col), (4, 9), "{e}");
        let text = "title: t\ndate: 2025-02-30\n";
        let e = from_yaml::<Dated>(p, text, 5).unwrap_err();
        assert_eq!(
            (e.line, e.col),
            (6, 7),
            "front matter lines are shifted: {e}"
        );
        let text =
            "title: t\nsource: { url: \"javascript:x\", date: 2025-01-01 }\ndate: 2025-01-01\n";
        let e = from_yaml::<Dated>(p, text, 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 17), "{e}");
    }

    #[test]
    fn an_empty_refused_value_is_located_at_its_key() {
        let p = Path::new("x.yaml");
        let text = "title: t\nsource:\n  url: https://a.b/\n  date:\ndate: 2025-01-01\n";
        let e = from_yaml::<Dated>(p, text, 1).unwrap_err();
        assert_eq!((e.line, e.col), (4, 3), "{e}");
        let text = "title: t\ndate: \"\"\n";
        let e = from_yaml::<Dated>(p, text, 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 1), "{e}");
    }

    #[test]
    fn syntax_errors_name_where_the_unclosed_thing_starts() {
        let p = Path::new("x.yaml");
        let e = from_yaml::<Dated>(p, "date: 2025-01-01\nsource: { url: https://a.b/\n", 3)
            .unwrap_err();
        // At the end of the text: the end of the last line, not past it.
        assert_eq!((e.line, e.col), (4, 28), "{e}");
        assert_eq!(
            e.hint.as_deref(),
            Some("while parsing a flow mapping that starts at line 4, column 9")
        );
        let e = from_yaml::<Dated>(p, "title: a\n\tdate: 2025-01-01\n", 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 1), "{e}");
        assert!(e.hint.unwrap().contains("tabs"));
    }

    #[test]
    fn missing_fields_say_where_to_add_them() {
        assert_eq!(
            missing_field_hint("missing field `title`").as_deref(),
            Some("`title` is required: add a line `title: …`")
        );
        assert_eq!(
            missing_field_hint("value: missing field `currency`").as_deref(),
            Some("`currency` is required: add it to `value`")
        );
        assert_eq!(missing_field_hint("invalid type: map"), None);
    }

    #[test]
    fn type_names_are_said_in_plain_words() {
        assert_eq!(
            plain_words("value.amount: invalid type: string \"lots\", expected f64"),
            "value.amount: invalid type: string \"lots\", expected a number"
        );
        assert_eq!(
            plain_words("invalid type: sequence, expected struct Deal"),
            "invalid type: list, expected `key: value` lines"
        );
    }
}
