//! Plain nulls (`~`, `null`) where a text is read: made empty before
//! serde_yaml reads the text, wherever YAML reads the same.

/// YAML's plain words for null.
const NULLS: [&str; 4] = ["~", "null", "Null", "NULL"];

/// `text` with every plain null written as a block value (`key: ~`,
/// `key: null`, `- NULL`) made an empty value, the same length; `None`
/// when it has none. YAML reads both as null, but serde_yaml gives a text
/// field the word itself: `title: ~` would publish a brief titled "~".
/// Empty, it is the empty text that every required field refuses at its
/// line. Block scalars (`>-`, `|`) are text and left as they are, and so
/// is every null whose blanking YAML could read otherwise (a value going
/// on below, a quoted text or flow collection over several lines, a
/// sequence's null item).
pub(super) fn blank_nulls(text: &str) -> Option<String> {
    if !NULLS.iter().any(|n| text.contains(n)) {
        return None;
    }
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    // A block null waits for the next line: one indented deeper would
    // continue it (`title: ~` over `  Antimony` is the text "~ Antimony").
    let mut pending: Option<(usize, usize)> = None;
    // Lines indented deeper than this continue the value above (a scalar
    // over several lines, a flow collection, a block scalar): left alone.
    let mut deeper_than: Option<isize> = None;
    // A quoted text or flow collection that goes on to the next line:
    // its lines are read only to find where it ends.
    let mut open: Option<Open> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if let Some(state) = open.as_mut() {
            if !state.read(line) {
                open = None;
            }
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let mut body = &line[indent..];
        // Blank and comment lines change nothing.
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if deeper_than.is_some_and(|min| indent as isize > min) {
            pending = None;
            continue;
        }
        deeper_than = None;
        blanks.extend(pending.take());
        let mut at = indent;
        while let Some(rest) = body.strip_prefix("- ") {
            let rest_trimmed = rest.trim_start_matches(' ');
            at += body.len() - rest_trimmed.len();
            body = rest_trimmed;
        }
        let (value_at, key_at) = match body.split_once(':') {
            Some((key, rest))
                if !key.starts_with([
                    '"', '\'', '#', '[', '{', '>', '|', '&', '*', '!', '%', '@', '`',
                ]) && !key.contains(" #")
                    && (rest.is_empty() || rest.starts_with(' ')) =>
            {
                (at + key.len() + 1, Some(at))
            }
            _ if at > indent => (at, None),
            _ => {
                // Text that is not a key or an item (a document that is
                // one scalar): it may go on at any indentation, to the end.
                deeper_than = Some(-1);
                continue;
            }
        };
        let value = &line[value_at..];
        let trimmed = value.trim_start_matches(' ');
        let word = trimmed.split(" #").next().unwrap_or("").trim_end();
        if word.is_empty() {
            // `key:` opens a block below it.
            continue;
        }
        let block_scalar = word.starts_with(['>', '|']);
        deeper_than = Some(match key_at {
            Some(key) if !block_scalar => key,
            _ => indent,
        } as isize);
        let from = start + value_at + (value.len() - trimmed.len());
        // Only spaces between the word and a comment or the line's end
        // (tabs there are not YAML's to skip everywhere).
        let tail = trimmed[word.len()..].trim_start_matches(' ');
        if NULLS.contains(&word) && (tail.is_empty() || tail.starts_with('#')) {
            pending = Some((from, word.len()));
            continue;
        }
        let mut state = Open::default();
        if !state.read(trimmed) {
            // A flow collection or quoted text closed on its line.
            if trimmed.starts_with(['[', '{']) {
                // A null inside a flow collection ends at its `,`, `]` or `}`.
                let nulls = flow_nulls(trimmed).into_iter();
                blanks.extend(nulls.map(|(at, len)| (from + at, len)));
            }
        } else {
            open = Some(state);
        }
    }
    blanks.extend(pending);
    if blanks.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for (at, len) in blanks {
        out[at..at + len].fill(b' ');
    }
    // Only ASCII letters were replaced, by ASCII spaces.
    String::from_utf8(out).ok()
}

/// Where a value being read stands at a line's end: inside a quoted text
/// (`"` or `'`), and how deep in flow collections.
#[derive(Default)]
struct Open {
    quote: Option<u8>,
    depth: usize,
    /// The last byte outside quotes and spaces: a quote opens a quoted
    /// text only where a value starts (`I'd` in plain text is a letter).
    last: Option<u8>,
}

impl Open {
    /// Reads `s` from this state on: whether a quoted text or a flow
    /// collection is still open at its end. A value that starts as plain
    /// text is never open.
    fn read(&mut self, s: &str) -> bool {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => {
                    // `''` inside single quotes is one quote, not the end.
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        self.quote = None;
                        self.last = Some(b);
                    }
                }
                Some(_) => {}
                None => match b {
                    b'"' | b'\''
                        if self.last.is_none()
                            || (self.depth > 0
                                && matches!(self.last, Some(b'[' | b'{' | b',' | b':'))) =>
                    {
                        self.quote = Some(b)
                    }
                    b'#' if i > 0 && bytes[i - 1] == b' ' => break,
                    b'[' | b'{' if self.last.is_none() || self.depth > 0 => {
                        self.depth += 1;
                        self.last = Some(b);
                    }
                    b']' | b'}' if self.depth > 0 => {
                        self.depth -= 1;
                        self.last = Some(b);
                    }
                    b' ' | b'\t' => {}
                    _ if self.last.is_none() && self.depth == 0 => return false,
                    _ => self.last = Some(b),
                },
            }
            i += 1;
        }
        self.quote.is_some() || self.depth > 0
    }
}

/// The plain nulls (offset, length) that are a mapping's values in a flow
/// collection written on one line (`{ name: ~, role: buyer }`): a null
/// word right after `: ` and before `,`, `]` or `}`. Quoted text is
/// skipped.
fn flow_nulls(flow: &str) -> Vec<(usize, usize)> {
    let bytes = flow.as_bytes();
    let mut found = Vec::new();
    // The open collections, innermost last: `[` or `{`.
    let mut open: Vec<u8> = Vec::new();
    let mut quote: Option<u8> = None;
    // The last byte outside quotes and spaces: where a value may start.
    let mut last: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                    last = Some(b);
                }
            }
            Some(_) => {}
            None => {
                // A mapping's value starts after `: `. (A null item of a
                // sequence is not blanked: `[~]` has one item, `[ ]` none.)
                let value_starts = last == Some(b':');
                match b {
                    b' ' | b'\t' => {
                        i += 1;
                        continue;
                    }
                    b'"' | b'\'' if matches!(last, Some(b':' | b'[' | b'{' | b',')) => {
                        quote = Some(b)
                    }
                    b'#' if i > 0 && bytes[i - 1] == b' ' => break,
                    b'[' | b'{' => open.push(b),
                    b']' | b'}' => {
                        open.pop();
                        if open.is_empty() {
                            // What follows the collection is not in it.
                            break;
                        }
                    }
                    _ if value_starts && bytes[i - 1] == b' ' => {
                        let word_end = flow[i..]
                            .find([',', ']', '}'])
                            .map_or(flow.len(), |e| i + e);
                        let word = flow[i..word_end].trim_end_matches(' ');
                        if word_end < flow.len() && NULLS.contains(&word) {
                            found.push((i, word.len()));
                        }
                    }
                    _ => {}
                }
                last = Some(b);
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::from_yaml;
    use std::path::Path;

    #[test]
    fn plain_nulls_are_empty_text_not_the_word() {
        #[derive(Debug, serde::Deserialize)]
        struct Front {
            title: String,
            summary: Option<String>,
            tags: Vec<String>,
            note: String,
        }
        let p = Path::new("b.md");
        let text = "title: ~\nsummary: null # none\ntags:\n  - NULL\n  - \"~\"\n  - a~b\nnote: |\n  key: null\n  ~\n";
        let f: Front = from_yaml(p, text, 2).unwrap();
        assert_eq!(f.title, "");
        assert_eq!(f.summary, None);
        assert_eq!(f.tags, ["", "~", "a~b"]);
        assert_eq!(f.note, "key: null\n~\n");
        // Same length, so every later error keeps its line and column.
        let blanked = blank_nulls(text).unwrap();
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.starts_with("title:  \nsummary:      # none\n"));
        assert_eq!(
            blank_nulls("title: Null hypothesis\nurl: https://a.b/~x\n"),
            None
        );
        assert_eq!(blank_nulls("a: b\n"), None);
        assert_eq!(
            blank_nulls("list:\n- - ~\n- x: null\r\n").as_deref(),
            Some("list:\n- -  \n- x:     \r\n")
        );
        // A mapping's values in flow collections on one line; a sequence's
        // items keep their count, quoted text is left alone.
        assert_eq!(
            blank_nulls("- { name: ~, role: buyer }\nv: [a, null ,NULL]\n").as_deref(),
            Some("- { name:  , role: buyer }\nv: [a, null ,NULL]\n")
        );
        assert_eq!(
            blank_nulls("p: { name: \"~, ~\", note: 'a: ~}' } # {a: ~}\n"),
            None
        );
        assert_eq!(blank_nulls("p: {name: null hypothesis, x: ~y}\n"), None);
        // What YAML reads as more than a null stays as it is: a text that
        // goes on below, a quoted text or a flow collection over several
        // lines, a sequence's null item, a tab before a comment.
        for same in [
            "title: ~\n  Antimony\n",
            "note: \"a\n  key: ~\"\n",
            "a: [x,\n  {b: ~}]\n",
            "v: [~, null]\n",
            "- null\t # c\n",
            ">-\n  key: ~\n",
            "- a # b: ~\n",
        ] {
            assert_eq!(blank_nulls(same), None, "{same:?}");
        }
        assert_eq!(
            blank_nulls("- {a: ~}: null,\n").as_deref(),
            Some("- {a:  }: null,\n")
        );
    }

    #[test]
    fn blanking_nulls_never_panics_and_only_blanks_null_words() {
        // Random YAML-like text from the pieces the scan looks at,
        // multibyte ones among them.
        let pieces = [
            "a",
            "b:",
            ": ",
            "~",
            "null",
            "NULL",
            "- ",
            "{",
            "}",
            "[",
            "]",
            ", ",
            "\"",
            "'",
            " #",
            "|",
            ">-",
            "\n",
            "\r\n",
            "  ",
            "\t",
            "é",
            "ی",
            "key: ~\n",
            "- ~\n",
            "{ a: ~, b: null }",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut blanked = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(20) {
                text.push_str(pieces[next(pieces.len())]);
            }
            let Some(out) = blank_nulls(&text) else {
                continue;
            };
            blanked += 1;
            assert_eq!(out.len(), text.len(), "{text:?}");
            for (a, b) in text.chars().zip(out.chars()) {
                assert!(
                    a == b || (b == ' ' && "~nulNUL".contains(a)),
                    "{text:?} -> {out:?}"
                );
            }
            // YAML reads the same: a null is a null, empty or spelled.
            if let Ok(before) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
                let after = serde_yaml::from_str::<serde_yaml::Value>(&out);
                assert_eq!(after.ok(), Some(before), "{text:?} -> {out:?}");
            }
        }
        assert!(blanked > 300, "only {blanked} texts had a null blanked");
    }
}
