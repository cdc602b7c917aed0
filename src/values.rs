//! Validated scalar values read from YAML: dates, ISO codes, colours, URLs,
//! and the one YAML entry point that turns serde_yaml errors into located
//! [`Error`]s with "did you mean" hints.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{did_you_mean, Error};

/// Parses YAML `text` (which starts at line `first_line` of `path`) into `T`,
/// reporting the error's real line and column.
pub fn from_yaml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Error> {
    serde_yaml::from_str(text).map_err(|e| yaml_error(path, text, &e, first_line))
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

/// serde's words for types ("sequence", "f64", "struct Deal") in the words
/// of someone writing YAML.
fn plain_words(message: &str) -> String {
    let mut m = message
        .replace("invalid type: sequence", "invalid type: list")
        .replace("expected a sequence", "expected a list")
        .replace("invalid type: map", "invalid type: mapping");
    for number in [
        "f64", "f32", "u8", "u16", "u32", "u64", "usize", "i32", "i64",
    ] {
        m = m.replace(&format!("expected {number}"), "expected a number");
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

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        if s.trim().is_empty() {
            return Err("invalid date ``: the date is empty; write it YYYY-MM-DD".into());
        }
        time::Date::parse(s.trim(), &format)
            .map(Date)
            .map_err(|_| format!("invalid date `{s}`: expected a real date written YYYY-MM-DD"))
    }

    pub fn ymd(self) -> (i32, u8, u8) {
        (self.0.year(), self.0.month() as u8, self.0.day())
    }

    /// `2025-09-08`.
    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `2025-09-08T00:00:00Z`, for feeds and sitemaps.
    pub fn rfc3339(self) -> String {
        format!("{}T00:00:00Z", self.iso())
    }

    /// From a Unix timestamp (for `SOURCE_DATE_EPOCH`).
    pub fn from_unix(secs: i64) -> Option<Date> {
        time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .map(|t| Date(t.date()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// An ISO 4217 currency code (`USD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Currency(pub String);

/// Active ISO 4217 codes.
const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

impl Currency {
    /// The symbol used before amounts, e.g. `US$`.
    pub fn symbol(&self) -> &str {
        match self.0.as_str() {
            "USD" => "US$",
            "EUR" => "€",
            "GBP" => "£",
            "PKR" => "Rs",
            "CNY" => "CN¥",
            "JPY" => "¥",
            other => other,
        }
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if CURRENCIES.binary_search(&s.as_str()).is_ok() {
            return Ok(Currency(s));
        }
        let upper = s.to_ascii_uppercase();
        let hint = if CURRENCIES.binary_search(&upper.as_str()).is_ok() {
            format!(" (did you mean `{upper}`?)")
        } else {
            String::new()
        };
        Err(de::Error::custom(format!(
            "invalid currency code `{s}`: expected an ISO 4217 code such as `USD` or `PKR`{hint}"
        )))
    }
}

/// An ISO 3166-1 alpha-2 country code (`PK`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Country(pub String);

/// ISO 3166-1 alpha-2 codes with English short names.
const COUNTRIES: &[(&str, &str)] = &[
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AR", "Argentina"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AZ", "Azerbaijan"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BO", "Bolivia"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CD", "DR Congo"),
    ("CH", "Switzerland"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("EG", "Egypt"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GH", "Ghana"),
    ("GR", "Greece"),
    ("HK", "Hong Kong"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IT", "Italy"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KZ", "Kazakhstan"),
    ("LK", "Sri Lanka"),
    ("LU", "Luxembourg"),
    ("MA", "Morocco"),
    ("MN", "Mongolia"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NG", "Nigeria"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("QA", "Qatar"),
    ("RO", "Romania"),
    ("RU", "Russia"),
    ("SA", "Saudi Arabia"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TR", "Türkiye"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("US", "United States"),
    ("UZ", "Uzbekistan"),
    ("VN", "Vietnam"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

impl Country {
    pub fn name(&self) -> &str {
        COUNTRIES
            .binary_search_by(|(code, _)| code.cmp(&self.0.as_str()))
            .map_or(self.0.as_str(), |i| COUNTRIES[i].1)
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let upper = s.to_ascii_uppercase();
        let known = COUNTRIES
            .binary_search_by(|(code, _)| code.cmp(&upper.as_str()))
            .is_ok();
        if known && upper == s {
            Ok(Country(s))
        } else if known {
            Err(de::Error::custom(format!(
                "invalid country code `{s}` (did you mean `{upper}`?)"
            )))
        } else {
            Err(de::Error::custom(format!(
                "unknown country code `{s}`: expected an ISO 3166-1 alpha-2 code such as `PK` or `US`"
            )))
        }
    }
}

/// A `#rrggbb` colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Color(pub String);

impl Color {
    /// Channels 0.0–1.0.
    pub fn rgb(&self) -> (f32, f32, f32) {
        let ch = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0) as f32 / 255.0;
        (ch(1), ch(3), ch(5))
    }

    /// WCAG relative luminance.
    pub fn luminance(&self) -> f32 {
        let lin = |c: f32| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = self.rgb();
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let ok =
            s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(Color(s.to_ascii_lowercase()))
        } else {
            Err(de::Error::custom(format!(
                "invalid colour `{s}`: expected `#rrggbb`"
            )))
        }
    }
}

/// WCAG contrast ratio between two colours.
pub fn contrast(a: &Color, b: &Color) -> f32 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// An absolute `http(s)` URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Url(pub String);

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if is_web_url(&s) {
            Ok(Url(s))
        } else {
            Err(de::Error::custom(format!(
                "invalid URL `{s}`: expected an absolute http:// or https:// address"
            )))
        }
    }
}

/// True for `http://host...` and `https://host...` with a host and no spaces.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(char::is_whitespace))
}

/// Whether a link target in Markdown is safe to publish: relative links,
/// fragments, http(s), mailto and tel; never `javascript:`, `data:` and the like.
pub fn is_safe_link(url: &str) -> bool {
    let trimmed: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    match trimmed.find(':') {
        None => true,
        Some(i) => {
            let scheme = &trimmed[..i];
            // A colon after a slash, '?' or '#' is part of a relative path, not a scheme.
            if scheme.contains(['/', '?', '#']) {
                return true;
            }
            matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto" | "tel"
            )
        }
    }
}

/// A URL-safe slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        let c = match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'Ä' | 'À' | 'Á' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'ö' | 'ó' | 'ò' | 'ô' | 'Ö' => 'o',
            'ü' | 'ú' | 'ù' | 'û' | 'Ü' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// True when `s` is already a valid slug or id.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_tables_are_sorted_for_binary_search() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn dates_must_be_real() {
        assert!(Date::parse("2025-09-08").is_ok());
        assert!(Date::parse("2025-02-30").is_err());
        assert!(Date::parse("8 Sept 2025").is_err());
    }

    #[test]
    fn unsafe_link_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_link(bad), "{bad}");
        }
        for good in [
            "https://a.b/c",
            "mailto:a@b.c",
            "tel:+92",
            "../x.html",
            "#top",
            "a/b:c",
        ] {
            assert!(is_safe_link(good), "{good}");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Antimony: Pakistan's frontier — 2025!"),
            "antimony-pakistan-s-frontier-2025"
        );
        assert!(is_slug("ussm-fwo-mou"));
        assert!(!is_slug("USSM fwo"));
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

    #[test]
    fn contrast_of_black_on_white_is_21() {
        let c = contrast(&Color("#000000".into()), &Color("#ffffff".into()));
        assert!((c - 21.0).abs() < 0.01);
    }
}
