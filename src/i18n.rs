//! Languages and labels: every fixed word of the site and the memos comes
//! from the theme's translations (`i18n/<lang>.yaml`, the default theme's
//! embedded), a project overriding any key in its own theme folder; which
//! languages are right-to-left; dates worded per language.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{closest, Error};
use crate::values::Date;

/// Languages written right to left (by primary subtag).
const RTL: &[&str] = &["ur", "ar", "fa", "ps", "he", "yi", "sd", "ug", "ckb", "dv"];

/// The primary subtag of a BCP 47 tag, lowercased: `en-US` → `en`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// Whether a language is written right to left.
pub fn is_rtl(tag: &str) -> bool {
    RTL.contains(&primary(tag).as_str())
}

/// `rtl` or `ltr`, for HTML's `dir`.
pub fn dir(tag: &str) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}

/// One language's labels: key → text, `{name}` marking a value filled in.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Labels {
    map: BTreeMap<String, String>,
}

impl Labels {
    pub fn new(map: BTreeMap<String, String>) -> Labels {
        Labels { map }
    }

    /// The label `key`. Translations are checked complete when the project
    /// loads (every key of the default theme's `en.yaml`), so a key the
    /// code asks for is there; an unknown one shows as itself.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The label `key` with its `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// A date for readers: `8 September 2025`, `8 ستمبر 2025`.
    pub fn date(&self, d: Date) -> String {
        let month = format!("month_{}", u8::from(d.0.month()));
        self.fmt(
            "date",
            &[
                ("day", &d.0.day().to_string()),
                ("month", self.get(&month)),
                ("year", &d.0.year().to_string()),
            ],
        )
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn extend(&mut self, other: BTreeMap<String, String>) {
        self.map.extend(other);
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A language's translations file as read: where it came from (for
/// errors) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub origin: String,
    pub text: String,
}

/// The translations of a theme: per language (primary subtag) the files
/// that make it, the embedded one first, a project's overrides after.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    pub files: BTreeMap<String, Vec<Source>>,
    merged: BTreeMap<String, Labels>,
}

/// The language every other is checked against.
pub const REFERENCE: &str = "en";

impl Translations {
    /// Adds a translations file for `lang` (later files override earlier).
    /// A file the same as the one it would override (a project's copy of
    /// the default theme's) overrides nothing and is left out.
    pub fn add(&mut self, lang: &str, origin: String, text: String) {
        let sources = self.files.entry(primary(lang)).or_default();
        if sources.last().is_some_and(|s| s.text == text) {
            return;
        }
        sources.push(Source { origin, text });
    }

    /// Parses every file and merges them per language; a file that is not
    /// a map of text is a located error.
    pub fn merge(&mut self) -> Result<(), Error> {
        self.merged.clear();
        for (lang, sources) in &self.files {
            let mut labels = Labels::default();
            for s in sources {
                let map: Option<BTreeMap<String, String>> =
                    crate::yaml::from_yaml(Path::new(&s.origin), &s.text, 1)?;
                labels.extend(map.unwrap_or_default());
            }
            self.merged.insert(lang.clone(), labels);
        }
        Ok(())
    }

    /// Whether the theme has labels for `lang`.
    pub fn has(&self, lang: &str) -> bool {
        self.merged.contains_key(&primary(lang))
    }

    /// The labels of a language (`ur`, `en-US`): its own, else English.
    pub fn labels(&self, lang: &str) -> &Labels {
        static EMPTY: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
        self.merged
            .get(&primary(lang))
            .or_else(|| self.merged.get(REFERENCE))
            .unwrap_or_else(|| EMPTY.get_or_init(Labels::default))
    }

    /// Checks that `lang` has a translations file with every key of the
    /// reference language and no key it does not know; `used_at` is where
    /// the language is asked for (for the error when it has no file).
    pub fn check(&self, lang: &str, theme: &str, used_at: &Error) -> Result<(), Error> {
        let code = primary(lang);
        let (Some(sources), Some(labels)) = (self.files.get(&code), self.merged.get(&code)) else {
            let mut e = used_at.clone();
            e.message = format!("no translations for language `{lang}` in the theme");
            return Err(e.with_hint(format!(
                "add themes/{theme}/i18n/{code}.yaml with every key of the default theme's i18n/en.yaml"
            )));
        };
        let reference = self.labels(REFERENCE);
        let last = sources.last().map(|s| s.origin.as_str()).unwrap_or("");
        let missing: Vec<&str> = reference.keys().filter(|k| !labels.contains(k)).collect();
        if let Some(first) = missing.first() {
            let more = if missing.len() > 1 {
                format!(" (and {} more)", missing.len() - 1)
            } else {
                String::new()
            };
            // A label a project's own English file adds (its templates' own,
            // or a key mistyped there) is placed where it is defined.
            let added = self.files.get(REFERENCE).and_then(|sources| {
                sources
                    .iter()
                    .rev()
                    .filter(|s| !s.origin.starts_with('<'))
                    .find_map(|s| {
                        let lines: Vec<&str> = s.text.lines().collect();
                        crate::content::validate::key_line(&lines, first).map(|i| (s, i + 1))
                    })
            });
            let mut e = match added {
                Some((s, line)) => Error::at(
                    &s.origin,
                    line,
                    1,
                    format!("label `{first}` has no translation for language `{code}`{more}"),
                )
                .with_hint(format!(
                    "add `{first}: …` to themes/{theme}/i18n/{code}.yaml, or correct the key if it is mistyped"
                )),
                None => Error::in_file(
                    last,
                    format!("missing translation `{first}` for language `{code}`{more}"),
                )
                .with_hint(format!(
                    "give every key of the default theme's i18n/en.yaml, e.g. `{first}: {}`",
                    reference.get(first)
                )),
            };
            e.causes
                .extend(missing.iter().skip(1).map(|k| format!("missing `{k}`")));
            return Err(e);
        }
        for s in sources {
            for (i, line) in s.text.lines().enumerate() {
                let Some((key, _)) = line.split_once(':') else {
                    continue;
                };
                if line.starts_with([' ', '#', '-']) || key.contains(' ') {
                    continue;
                }
                if !reference.contains(key) {
                    let known: Vec<&str> = reference.keys().collect();
                    let mut e = Error::at(&s.origin, i + 1, 1, format!("unknown label `{key}`"));
                    if let Some(k) = closest(key, known, 1).first() {
                        e = e.with_hint(format!("did you mean `{k}`?"));
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

/// A translation of a text field (`translations: { ur: { title: … } }`):
/// the entry for language `lang` (by primary subtag).
pub fn translated<'a, T>(map: &'a BTreeMap<String, T>, lang: &str) -> Option<&'a T> {
    let code = primary(lang);
    map.iter().find(|(k, _)| primary(k) == code).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_and_subtags() {
        assert_eq!(primary("en-US"), "en");
        assert!(is_rtl("ur"));
        assert!(is_rtl("ur-PK"));
        assert!(is_rtl("fa"));
        assert!(!is_rtl("en-GB"));
        assert_eq!(dir("ps"), "rtl");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(
                "Page {number} of {total}",
                &[("number", "2"), ("total", "9")]
            ),
            "Page 2 of 9"
        );
    }
}
