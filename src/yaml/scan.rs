//! The scans before parsing: nesting past [`MAX_DEPTH`] and refused
//! escapes (found in one pass, before the parser's work grows with them),
//! and colours left unquoted.

/// The deepest nesting of lists and mappings orepress reads: its own files
/// need five or six levels.
pub const MAX_DEPTH: usize = 64;

/// What the scan before parsing refuses, at a 1-based line and column.
pub(super) enum Problem {
    Deep(usize, usize),
    Refused(usize, usize, char),
}

/// The character the escape after a `\` in a double-quoted string makes,
/// when orepress refuses it ([`crate::files::is_refused`]): a control
/// character, which no XML file (feed, sitemap, PDF metadata) may carry, a
/// noncharacter or a bidirectional override.
fn refused_escape(rest: &str) -> Option<char> {
    let hex = |n: usize| {
        rest.get(1..1 + n)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let code = match rest.chars().next() {
        Some('0') => Some(0),
        Some('a') => Some(7),
        Some('b') => Some(8),
        Some('e') => Some(0x1B),
        Some('f') => Some(0x0C),
        Some('v') => Some(0x0B),
        Some('N') => Some(0x85),
        Some('x') => hex(2),
        Some('u') => hex(4),
        Some('U') => hex(8),
        _ => None,
    };
    code.and_then(char::from_u32)
        .filter(|&c| crate::files::is_refused(c))
}

/// The first problem found before parsing: nesting past [`MAX_DEPTH`],
/// counting flow brackets (`[`, `{`) and block levels (indentation and
/// `- ` items on one line). Quoted strings and comments are skipped. The
/// parser's own work grows much faster than the text on deep flow nesting,
/// so this runs first, in one pass.
pub(super) fn scan(text: &str) -> Option<Problem> {
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        let mut at_start = quote.is_none() && flow == 0;
        let mut block = 0usize;
        let mut prev = ' ';
        // Counted only for a problem: per character, a long line cost
        // the square of its length.
        let col = |at: usize| line[..at].chars().count() + 1;
        while let Some((at, c)) = chars.next() {
            if let Some(q) = quote {
                if c == q {
                    if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                } else if c == '\\' && q == '"' {
                    if let Some(c) = refused_escape(&line[at + 1..]) {
                        return Some(Problem::Refused(i + 1, col(at), c));
                    }
                    chars.next();
                }
                prev = c;
                continue;
            }
            if at_start {
                match c {
                    ' ' => {
                        block += 1;
                        prev = c;
                        continue;
                    }
                    '-' | '?' | ':' if chars.peek().is_none_or(|&(_, n)| n == ' ') => {
                        block += 2;
                        prev = c;
                        continue;
                    }
                    _ => at_start = false,
                }
            }
            match c {
                '#' if prev == ' ' || at == 0 => break,
                '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',' | ':') || at == 0 => {
                    quote = Some(c)
                }
                '[' | '{' => {
                    flow += 1;
                    if flow > MAX_DEPTH {
                        return Some(Problem::Deep(i + 1, col(at)));
                    }
                }
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
            prev = c;
        }
        // Two columns an indentation level, as YAML is usually written.
        if block / 2 + flow > MAX_DEPTH {
            return Some(Problem::Deep(i + 1, 1));
        }
    }
    None
}

/// A colour written without quotes (`primary: #6a1b4d`): YAML reads the
/// `#` as the start of a comment and the key as empty.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct UnquotedColour {
    pub(super) line: usize,
    pub(super) col: usize,
    /// `brand.primary`
    pub(super) key_path: String,
    pub(super) key: String,
    pub(super) colour: String,
}

/// The first block-mapping key whose value is only a comment that looks
/// like a colour (`#rgb` or `#rrggbb`). Keys are followed by indentation,
/// so the message names the whole path (`brand.primary`); block scalars
/// (`>-`, `|`) are text and skipped.
pub(super) fn unquoted_colour(text: &str) -> Option<UnquotedColour> {
    let mut parents: Vec<(usize, String)> = Vec::new();
    let mut scalar_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if let Some(min) = scalar_indent {
            if body.is_empty() || indent > min {
                continue;
            }
            scalar_indent = None;
        }
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        // `- key: value` opens a mapping two columns further in.
        let (indent, body) = match body.strip_prefix("- ") {
            Some(rest) => (indent + 2, rest.trim_start()),
            None => (indent, body),
        };
        let Some((key, rest)) = body.split_once(':') else {
            continue;
        };
        let simple = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !simple || !(rest.is_empty() || rest.starts_with(' ')) {
            continue;
        }
        while parents.last().is_some_and(|(d, _)| *d >= indent) {
            parents.pop();
        }
        let value = rest.trim();
        if let Some(comment) = value.strip_prefix('#') {
            let hex: String = comment
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect();
            let after = comment[hex.len()..].chars().next();
            if matches!(hex.len(), 3 | 6) && after.is_none_or(char::is_whitespace) {
                let col = line.len() - rest.trim_start().len() + 1;
                let mut key_path: Vec<&str> = parents.iter().map(|(_, k)| k.as_str()).collect();
                key_path.push(key);
                return Some(UnquotedColour {
                    line: i + 1,
                    col,
                    key_path: key_path.join("."),
                    key: key.to_string(),
                    colour: format!("#{hex}"),
                });
            }
            parents.push((indent, key.to_string()));
        } else if value.is_empty() {
            parents.push((indent, key.to_string()));
        } else if matches!(value.chars().next(), Some('>' | '|')) {
            scalar_indent = Some(indent);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::from_yaml;
    use std::path::Path;

    #[test]
    fn deep_nesting_is_refused_at_its_place_before_parsing() {
        let p = Path::new("x.yaml");
        let deep = format!("a: 1\nb: {}", "[".repeat(1_000_000));
        let e = from_yaml::<serde_yaml::Value>(p, &deep, 3).unwrap_err();
        assert_eq!((e.line, e.col), (4, 4 + MAX_DEPTH), "{e}");
        let dashes = format!("x:\n{}1\n", "- ".repeat(3000));
        let e = from_yaml::<serde_yaml::Value>(p, &dashes, 1).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let indented: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i * 2)))
            .collect();
        assert!(from_yaml::<serde_yaml::Value>(p, &indented, 1).is_err());
        let e = from_yaml::<serde_yaml::Value>(p, "a: 1\nb: \"x\\u0001y\"\n", 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 6), "{e}");
        for bad in [
            "\\0",
            "\\x1f",
            "\\u007F",
            "\\U00000085",
            "\\e",
            "\\uFFFE",
            "\\uffff",
            "\\u202E",
            "\\u202d",
        ] {
            let text = format!("b: \"x{bad}\"\n");
            assert!(
                from_yaml::<serde_yaml::Value>(p, &text, 1).is_err(),
                "{bad}"
            );
        }
        // Embeddings, isolates and marks, which right-to-left text carries.
        for good in [
            "\\n",
            "\\t",
            "\\u00e9",
            "\\\\u0001",
            "\\\"",
            "\\u202B",
            "\\u202C",
            "\\u2067",
            "\\u2069",
            "\\u200F",
        ] {
            let text = format!("b: \"x{good}\"\n");
            assert!(
                from_yaml::<serde_yaml::Value>(p, &text, 1).is_ok(),
                "{good}"
            );
        }
        // Brackets in quotes and comments are text, and ordinary nesting is fine.
        let fine = format!(
            "a: \"{0}\"\nb: '{0}' # {0}\nc: [[1, 2], {{d: [3]}}]\n",
            "[".repeat(500)
        );
        assert!(from_yaml::<serde_yaml::Value>(p, &fine, 1).is_ok());
    }

    /// A key given twice is reported where it is given the second time,
    /// in a top-level mapping and in a list item's, not where its mapping
    /// starts.
    #[test]
    fn an_unquoted_colour_is_found_with_its_key_path() {
        let text = "title: T\nlegal:\n  note: >-\n    primary: #123456 in text\nbrand:\n  name: X\n  primary: #6a1b4d\n";
        let c = unquoted_colour(text).unwrap();
        assert_eq!((c.line, c.col), (7, 12));
        assert_eq!(c.key_path, "brand.primary");
        assert_eq!(c.colour, "#6a1b4d");
        assert_eq!(unquoted_colour("primary: \"#6a1b4d\"\n"), None);
        assert_eq!(unquoted_colour("title: Issue #12 # a comment\n"), None);
        assert_eq!(
            unquoted_colour("colors:\n  - text: #abc\n").map(|c| c.key_path),
            Some("colors.text".into())
        );
    }
}
