//! Placeholders of the blank project (`orepress new`) left in a site built
//! for a real address.

use super::Validator;
use crate::error::Error;

impl Validator<'_> {
    /// A site built for a real address must not publish the placeholders of
    /// a new project (`Your Firm`, the sample phone number…): a warning for
    /// each placeholder in each file, where it first appears.
    pub fn check_placeholders_left(&mut self) {
        if !is_real_site(&self.site.base_url) {
            return;
        }
        let mut found = Vec::new();
        for (path, text) in self.texts {
            // Comments of YAML files are not published.
            let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            for (marker, what) in PLACEHOLDERS {
                let mut hits = marked_lines(text, marker)
                    .filter(|(_, l, _)| !(yaml && l.trim_start().starts_with('#')));
                let Some((i, line, at)) = hits.next() else {
                    continue;
                };
                let more = hits.count();
                let also = match more {
                    0 => String::new(),
                    1 => " (and once more in this file)".to_string(),
                    n => format!(" (and {n} more times in this file)"),
                };
                found.push(
                    Error::at(
                        path,
                        i + 1,
                        line[..at].chars().count() + 1,
                        format!("placeholder `{marker}` is still here{also}, and the site is built for {}", self.site.base_url),
                    )
                    .with_hint(format!("replace it with {what}"))
                    .warning(),
                );
            }
        }
        for e in found {
            self.push(e);
        }
    }
}

/// Each line of `text` that holds `marker`: its index, its text and where
/// the marker first is in it, as `text.lines()` would find them. One
/// search of the whole text, not one a line: a text without the marker
/// (nearly all) costs one pass.
fn marked_lines<'t>(
    text: &'t str,
    marker: &'t str,
) -> impl Iterator<Item = (usize, &'t str, usize)> + 't {
    let mut from = 0;
    let mut line_no = 0;
    std::iter::from_fn(move || {
        let found = from + text.get(from..)?.find(marker)?;
        let start = text[..found].rfind('\n').map_or(0, |n| n + 1);
        line_no += text[from..start].matches('\n').count();
        let end = text[found..].find('\n').map_or(text.len(), |n| found + n);
        let line = &text[start..end];
        // As `lines()`: a carriage return ends a line only before a newline.
        let line = match line.strip_suffix('\r') {
            Some(l) if end < text.len() => l,
            _ => line,
        };
        from = end;
        Some((line_no, line, found - start))
    })
}

/// Texts the blank project of `orepress new` holds that a real site must
/// not publish, each with what should replace it.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("Your Firm", "your firm's name"),
    ("Your Name", "your name"),
    ("@example.com", "your e-mail address"),
    ("7946 0", "your phone number (the sample one is fictional)"),
    ("Example Buyer", "a real party, or delete the sample deal"),
    ("Replace with", "your source"),
];

/// Whether a site is built for a real address: anything but example.com
/// (.org, .net, and their subdomains), localhost and loopback addresses.
pub fn is_real_site(base_url: &str) -> bool {
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, r)| r)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
    .to_ascii_lowercase();
    let reserved = ["example.com", "example.org", "example.net", "localhost"]
        .iter()
        .any(|r| host == *r || host.ends_with(&format!(".{r}")));
    !(reserved || host.starts_with("127.") || host == "[::1]" || host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_sites_are_those_not_on_example_or_loopback_hosts() {
        for url in [
            "https://example.com/",
            "https://www.example.org/x/",
            "http://localhost:1111/",
            "http://127.0.0.1:8000/",
        ] {
            assert!(!is_real_site(url), "{url}");
        }
        for url in ["https://user.github.io/briefs/", "https://examples.com/"] {
            assert!(is_real_site(url), "{url}");
        }
    }

    #[test]
    fn marked_lines_are_the_lines_that_hold_the_marker() {
        for text in [
            "Your Firm\nx\r\nYour Firm and Your Firm\r\n\nno\nYour Firm",
            "a\nb\nc",
            "",
            "Your Firm",
            "\n\nYour Fir\nm Your Firm\n",
            "Your\nFirm\n\u{e9}\u{e9}Your Firm\r",
        ] {
            let want: Vec<(usize, &str, usize)> = text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| l.find("Your Firm").map(|at| (i, l, at)))
                .collect();
            let got: Vec<_> = marked_lines(text, "Your Firm").collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
