//! Typographer's quotes and dashes for plain text from front matter.

/// Typographer's quotes and dashes for plain text from front matter (titles,
/// summaries), as Markdown bodies get them from smart punctuation:
/// `Pakistan's "first"` becomes `Pakistan’s “first”`, `--` an en dash.
pub fn smart_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        match c {
            '\'' => out.push(if opening { '‘' } else { '’' }),
            '"' => out.push(if opening { '“' } else { '”' }),
            '-' if chars.peek() == Some(&'-') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    out.push('—');
                } else {
                    out.push('–');
                }
            }
            _ => out.push(c),
        }
        prev = out.chars().last();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::smart_quotes;

    #[test]
    fn quotes_curl_by_position() {
        assert_eq!(smart_quotes("Pakistan's frontier"), "Pakistan’s frontier");
        assert_eq!(
            smart_quotes("the \"first\" batch ('trial')"),
            "the “first” batch (‘trial’)"
        );
        assert_eq!(smart_quotes("2024--2025 a---b"), "2024–2025 a—b");
        assert_eq!(smart_quotes("no quotes"), "no quotes");
    }
}
