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
    serde_yaml::from_str(text).map_err(|e| yaml_error(path, &e, first_line))
}

fn yaml_error(path: &Path, e: &serde_yaml::Error, first_line: usize) -> Error {
    let (line, col) = e.location().map_or((first_line.max(1), 1), |l| {
        (l.line() + first_line - 1, l.column())
    });
    let mut message = e.to_string();
    // serde_yaml appends its own location; ours is in front already.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut err = Error::at(path, line, col, message.clone());
    if let Some(hint) = unknown_field_hint(&message) {
        err = err.with_hint(hint);
    }
    err
}

/// "unknown field `valu`, expected one of `amount`, `min`" → "did you mean `amount`?"
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    match did_you_mean(word, expected.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !expected.is_empty() => Some(format!(
            "expected one of {}",
            expected
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => None,
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
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

    /// `8 September 2025`.
    pub fn long(self) -> String {
        format!("{} {} {}", self.0.day(), self.0.month(), self.0.year())
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
        assert_eq!(
            Date::parse("2025-09-08").unwrap().long(),
            "8 September 2025"
        );
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
    fn contrast_of_black_on_white_is_21() {
        let c = contrast(&Color("#000000".into()), &Color("#ffffff".into()));
        assert!((c - 21.0).abs() < 0.01);
    }
}
