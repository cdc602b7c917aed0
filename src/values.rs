//! Validated scalar values read from YAML: dates, ISO codes (through the
//! `celes` and `iso_currency` tables), colours, URLs, slugs.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// The earliest year a date may have.
const MIN_YEAR: i32 = 1900;

/// A calendar date written `YYYY-MM-DD`, from [`MIN_YEAR`] to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        if s.trim().is_empty() {
            return Err("invalid date ``: the date is empty; write it YYYY-MM-DD".into());
        }
        let date = time::Date::parse(s.trim(), &format)
            .map_err(|_| format!("invalid date `{s}`: expected a real date written YYYY-MM-DD"))?;
        // A brief's, a deal's or a copy's date is of our times: year 0 or
        // 190 is a slip of the keyboard, and one before 1000 cannot even be
        // written in the XML of sitemaps.
        if date.year() < MIN_YEAR {
            return Err(format!(
                "invalid date `{s}`: the year is before {MIN_YEAR}; write the date YYYY-MM-DD"
            ));
        }
        Ok(Date(date))
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

/// The build date from `SOURCE_DATE_EPOCH` (reproducible builds), when it
/// is set to a Unix time. Read once, by the command line.
pub fn source_date_epoch() -> Option<Date> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(Date::from_unix)
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
        // ISO 4217 lists two codes that are no money: for testing and for
        // "no currency".
        if matches!(s.as_str(), "XTS" | "XXX") {
            return Err(de::Error::custom(format!(
                "invalid currency code `{s}`: ISO 4217's code for {}, not a currency; expected one such as `USD` or `PKR`",
                if s == "XTS" { "testing" } else { "no currency" }
            )));
        }
        if iso_currency::Currency::from_code(&s).is_some() {
            return Ok(Currency(s));
        }
        let upper = s.to_ascii_uppercase();
        let hint = if iso_currency::Currency::from_code(&upper).is_some() {
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

/// Short English names where ISO 3166's official ones are long-winded
/// ("The United States Of America"); every other name comes from the
/// ISO table in `celes`.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("BO", "Bolivia"),
    ("CD", "DR Congo"),
    ("CG", "Congo"),
    ("CZ", "Czechia"),
    ("GB", "United Kingdom"),
    ("IR", "Iran"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("LA", "Laos"),
    ("MD", "Moldova"),
    ("RU", "Russia"),
    ("SY", "Syria"),
    ("TR", "Türkiye"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("US", "United States"),
    ("VE", "Venezuela"),
];

fn iso_country(code: &str) -> Option<celes::Country> {
    (code.len() == 2)
        .then(|| celes::Country::from_alpha2(code).ok())
        .flatten()
}

impl Country {
    /// The country's short English name (`Pakistan`, `United States`).
    pub fn name(&self) -> String {
        if let Ok(i) = SHORT_NAMES.binary_search_by(|(code, _)| code.cmp(&self.0.as_str())) {
            return SHORT_NAMES[i].1.to_string();
        }
        match iso_country(&self.0) {
            Some(c) => {
                let name = c.long_name.strip_prefix("The ").unwrap_or(c.long_name);
                name.split(' ')
                    .map(|w| match w {
                        "Of" | "And" | "The" => w.to_ascii_lowercase(),
                        _ => w.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            None => self.0.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let upper = s.to_ascii_uppercase();
        let known = iso_country(&upper).is_some();
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
        if let Some(msg) = too_long_url("URL", &s) {
            Err(de::Error::custom(msg))
        } else if is_web_url(&s) {
            Ok(Url(s))
        } else {
            Err(de::Error::custom(format!(
                "invalid URL `{s}`: expected an absolute http:// or https:// address"
            )))
        }
    }
}

/// Whether `c` leaves a mark on the page: not a space, nor a character
/// that only steers others (zero-width spaces and joiners, direction
/// marks and isolates, the word joiner, variation selectors, tags, the
/// byte order mark, the soft hyphen, Hangul fillers).
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}'))
}

/// Whether `s` has a character that leaves a mark ([`is_visible`]): a
/// title or name of spaces, zero-width characters or direction marks
/// alone says nothing.
pub fn shows(s: &str) -> bool {
    s.chars().any(is_visible)
}

/// Whether the amount `v` has two decimals at most (as far as an f64
/// tells): amounts are written to the cent.
pub fn in_cents(v: f64) -> bool {
    let cents = v * 100.0;
    (cents - cents.round()).abs() <= (cents.abs() * 1e-15).max(1e-6)
}

/// `bytes` as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes`, in lowercase hexadecimal: registers, memo keys.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(bytes))
}

/// The longest link target or URL accepted (in bytes): far beyond any
/// real address (sitemaps stop at 2,048), and a link is written again on
/// every line it spans, so a 100 KB target would be copied thousands of
/// times into the memo.
pub const MAX_URL: usize = 4096;

/// What is wrong with `url` if it is longer than [`MAX_URL`]: `what`
/// (`URL`, `link target`) and its start.
pub fn too_long_url(what: &str, url: &str) -> Option<String> {
    (url.len() > MAX_URL).then(|| {
        let start: String = url.chars().take(60).collect();
        format!("{what} `{start}…` is longer than {MAX_URL} bytes")
    })
}

/// True for `http://host...` and `https://host...` with a host and no spaces.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(char::is_whitespace))
}

/// True for a web address every page's address can be made from: as
/// [`is_web_url`], with no `?query` or `#fragment` (`https://x/?a=1#b`
/// made pages such as `https://x/?a=1#b/briefs/`) and no user name or
/// password before the host (printed in every page's links).
///
/// Its port, if any, is a number from 1 to 65,535, and its path has no
/// `.` or `..` part (which a browser would resolve to another address).
pub fn is_base_url(s: &str) -> bool {
    let rest = s.split_once("://").map_or("", |(_, rest)| rest);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let port_ok = match authority.rsplit_once(':') {
        // An IPv6 address's colons are inside its brackets.
        Some((host, port)) if !port.contains(']') => {
            !host.is_empty()
                && !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u16>().is_ok_and(|p| p > 0)
        }
        _ => true,
    };
    is_web_url(s)
        && !s.contains(['?', '#'])
        && !authority.contains('@')
        && port_ok
        && !path.split('/').any(|part| part == "." || part == "..")
}

/// Whether a link target in Markdown is safe to publish: relative links,
/// fragments, http(s), mailto and tel; never `javascript:`, `data:` and the like.
pub fn is_safe_link(url: &str) -> bool {
    // Control characters and spaces are dropped before the scheme is read
    // (`java\tscript:` is `javascript:`); a colon is never dropped, so
    // the first one ends the scheme.
    let Some(colon) = url.find(':') else {
        return true;
    };
    let scheme = || {
        url[..colon]
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
    };
    // A colon after a slash, '?' or '#' is part of a relative path, not a scheme.
    if scheme().any(|c| matches!(c, '/' | '?' | '#')) {
        return true;
    }
    ["http", "https", "mailto", "tel"]
        .iter()
        .any(|s| scheme().eq(s.chars()))
}

/// The name of a tag's page (`tags/<this>/`): its [`slugify`]d form, or
/// for a tag written in another script (an Urdu tag) a stable name from a
/// hash of its letters (`t-` and ten hex digits), so that every static
/// host serves it; empty for a tag of neither letters nor digits (`!!!`),
/// which validation refuses.
pub fn tag_slug(tag: &str) -> String {
    let slug = slugify(tag);
    if !slug.is_empty() {
        return slug;
    }
    let letters: String = tag
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        return String::new();
    }
    format!(
        "t-{:010x}",
        xxhash_rust::xxh3::xxh3_64(letters.as_bytes()) >> 24
    )
}

/// A URL-safe slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(s: &str) -> String {
    hyphenated(s, false)
}

/// A heading's id: as [`slugify`] for Latin text, and the letters and
/// digits of every other script kept (lowercased where the script has
/// case), so that a heading in Urdu has an id in Urdu that a link can name
/// (`[…](#پاکستان-میں-اینٹیمنی)`), as GitHub makes them. Combining marks
/// and joiners are part of their word: dropped, never a hyphen.
pub fn heading_id(s: &str) -> String {
    hyphenated(s, true)
}

fn hyphenated(s: &str, any_script: bool) -> String {
    use unicode_linebreak::{break_property, BreakClass};
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
        // Part of its word, never a hyphen: Arabic-script vowel marks,
        // written or left out at will (a link names the word without
        // them), and the marks and joiners that are not letters (U+200C,
        // the non-joiner Urdu writes inside compounds, among them).
        let vowel_mark = matches!(
            c,
            '\u{610}'..='\u{61A}' | '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{6D6}'..='\u{6ED}'
        );
        let joined = vowel_mark
            || !c.is_alphanumeric()
                && matches!(
                    break_property(c as u32),
                    BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner
                );
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if any_script && joined {
            continue;
        } else if any_script && !c.is_ascii() && c.is_alphanumeric() {
            out.extend(c.to_lowercase());
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
    use std::path::Path;

    #[test]
    fn a_text_shows_when_it_has_a_mark_on_the_page() {
        for blank in [
            "",
            "  \t\n",
            "\u{200B}\u{200E}",
            "\u{2060}\u{FEFF}\u{00AD}",
            "\u{FE0F}\u{3164}",
        ] {
            assert!(!shows(blank), "{blank:?}");
        }
        for text in ["a", " ~ ", "اینٹیمنی", "\u{200C}ی", "0"] {
            assert!(shows(text), "{text:?}");
        }
    }

    #[test]
    fn heading_ids_keep_every_script_and_fold_latin_as_slugs_do() {
        for text in [
            "Risks & rewards",
            "Why Pakistan, why now?",
            "Año 2025: über-grade ore",
        ] {
            assert_eq!(heading_id(text), slugify(text), "{text}");
        }
        assert_eq!(heading_id("خطرات"), "خطرات");
        assert_eq!(
            heading_id("پاکستان ہی کیوں، اور ابھی کیوں"),
            "پاکستان-ہی-کیوں-اور-ابھی-کیوں"
        );
        // Vowel marks and the non-joiner belong to their word.
        assert_eq!(
            heading_id("مَعدنیات\u{200C}کی"),
            "معدنیات\u{200C}کی".replace('\u{200C}', "")
        );
        assert_eq!(heading_id("Café ۲۰۲۵ Ελλάδα"), "cafe-۲۰۲۵-ελλάδα");
        assert_eq!(heading_id("🙂 …"), "");
    }

    #[test]
    fn a_base_url_is_one_every_address_can_be_made_from() {
        for good in [
            "https://example.org/",
            "http://localhost:8080/sub/path",
            "https://user.github.io/repo/",
            // An @ in the path is not a user name.
            "https://example.org/@firm/",
            "https://example.org:8443/a.b/",
            "http://[::1]:1111/",
            "http://[::1]/",
        ] {
            assert!(is_base_url(good), "{good}");
        }
        for bad in [
            "https://example.org/?a=1",
            "https://example.org/#top",
            "https://deploy:pw@example.org/",
            "https://me@example.org",
            "ftp://example.org/",
            "example.org/",
            "https://example.org:99999/",
            "https://example.org:0/",
            "https://example.org:/",
            "https://example.org:8o/",
            "https://example.org/a/../b/",
            "https://example.org/./",
        ] {
            assert!(!is_base_url(bad), "{bad}");
        }
    }

    #[test]
    fn short_names_are_sorted_for_binary_search() {
        assert!(SHORT_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SHORT_NAMES.iter().all(|(c, _)| iso_country(c).is_some()));
    }

    fn country(code: &str) -> Result<Country, String> {
        crate::yaml::from_yaml::<Country>(Path::new("x.yaml"), code, 1).map_err(|e| e.to_string())
    }

    fn currency(code: &str) -> Result<Currency, String> {
        crate::yaml::from_yaml::<Currency>(Path::new("x.yaml"), code, 1).map_err(|e| e.to_string())
    }

    #[test]
    fn every_iso_country_is_known() {
        // Codes a hand-kept table once refused.
        for (code, name) in [
            ("IS", "Iceland"),
            ("PK", "Pakistan"),
            ("US", "United States"),
            ("BT", "Bhutan"),
            ("FJ", "Fiji"),
            ("CI", "Côte d'Ivoire"),
        ] {
            let c = country(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            if code != "CI" {
                assert_eq!(c.name(), name);
            }
        }
        assert!(country("XX")
            .unwrap_err()
            .contains("unknown country code `XX`"));
        assert!(country("pk").unwrap_err().contains("did you mean `PK`?"));
        assert!(country("PAK").is_err());
    }

    #[test]
    fn every_iso_currency_is_known() {
        for code in ["USD", "PKR", "ISK", "XCG", "ZWG", "SLE", "BTN"] {
            assert!(currency(code).is_ok(), "{code}");
        }
        assert!(currency("XYZ").is_err());
        assert!(currency("usd").unwrap_err().contains("did you mean `USD`?"));
        assert!(currency("XTS").unwrap_err().contains("code for testing"));
        assert!(currency("XXX").unwrap_err().contains("no currency"));
        assert!(currency("XAU").is_ok(), "gold is priced in it");
    }

    #[test]
    fn every_tag_with_a_letter_names_its_own_page() {
        assert_eq!(tag_slug("Due Diligence"), "due-diligence");
        assert_eq!(tag_slug("due-diligence"), "due-diligence");
        // Another script: a stable ASCII name, one per tag.
        let urdu = tag_slug("اینٹیمنی");
        assert!(urdu.starts_with("t-") && urdu.len() == 12, "{urdu}");
        assert!(urdu[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(tag_slug("اینٹیمنی"), urdu);
        assert_ne!(tag_slug("تانبا"), urdu);
        // Neither letters nor digits: nothing, which validation refuses.
        for none in ["!!!", "..", "  ", "—"] {
            assert_eq!(tag_slug(none), "", "{none}");
        }
    }

    #[test]
    fn dates_must_be_real() {
        assert!(Date::parse("2025-09-08").is_ok());
        assert!(Date::parse("2025-02-30").is_err());
        assert!(Date::parse("1900-01-01").is_ok());
        for early in ["0000-01-01", "0190-05-01", "1899-12-31"] {
            let e = Date::parse(early).unwrap_err();
            assert!(e.contains("before 1900"), "{e}");
        }
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
            "\u{0}javascript:x",
            "java script :x",
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
            "HTTPS://a.b/c",
            "?q=a:b",
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
    fn contrast_of_black_on_white_is_21() {
        let c = contrast(&Color("#000000".into()), &Color("#ffffff".into()));
        assert!((c - 21.0).abs() < 0.01);
    }
}
