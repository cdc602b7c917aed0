//! Limits on the length of front-matter texts: far beyond what a cover, a
//! card or a tag page shows well, and short enough that no step's work
//! grows with them (a 30,000-character title took seconds to fit on the
//! cover; 20,000 tags on one brief made tag pages that each listed all of
//! them, gigabytes in all; a 100 KB tag was a folder name no file system
//! takes).

use std::path::Path;

use super::super::model::*;
use super::{key_col, key_line, Validator};
use crate::error::Error;

/// The longest title (of a brief, page, deal, data table or the site) and
/// contact name, in characters.
pub const MAX_TITLE: usize = 500;
/// The longest summary or page description, in characters.
pub const MAX_SUMMARY: usize = 2000;
/// The most tags a brief may have.
pub const MAX_TAGS: usize = 32;
/// The longest tag, in characters.
pub const MAX_TAG: usize = 64;
/// The most deals a brief may list: each has its facts panel in the memo.
pub const MAX_DEALS: usize = 64;
/// A deal's facts panel is printed on every page and memo citing it, a
/// contact card on every page and memo of its author: lists far beyond
/// what a panel or a card holds multiplied the output (20,000 phones and
/// sources: 21.8 s, 2.3 GB and 421 MB written from 1.9 MB of YAML).
const MAX_PARTIES: usize = 32;
const MAX_MINERALS: usize = 32;
const MAX_SOURCES: usize = 64;
/// Key figures of one data table, all shown on the home page.
const MAX_FIGURES: usize = 32;
const MAX_PHONES: usize = 10;
const MAX_LANGUAGES: usize = 32;
/// The longest deal notes, in characters.
const MAX_NOTES: usize = 5000;
/// The longest phone number, extension included, in characters: the
/// longest real one is some 30; a longer value is not read as a number.
pub(super) const MAX_PHONE_CHARS: usize = 64;

/// The 1-based line and column of `key:`'s occurrence `nth` (from 0) at or
/// after the line of `parent:` (the file's start without one); the parent,
/// or the file's start, when there is no such occurrence.
fn locate_key(text: &str, parent: Option<&str>, key: &str, nth: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let col = |l: &str, b: usize| l[..b].chars().count() + 1;
    let from = match parent {
        Some(p) => match key_line(&lines, p) {
            Some(i) => i,
            None => return (1, 1),
        },
        None => 0,
    };
    let found = lines
        .iter()
        .enumerate()
        .skip(from)
        .filter_map(|(i, l)| key_col(l, key).map(|b| (i + 1, col(l, b))))
        .nth(nth);
    found.unwrap_or_else(|| match parent {
        Some(p) => (
            from + 1,
            key_col(lines[from], p).map_or(1, |b| col(lines[from], b)),
        ),
        None => (1, 1),
    })
}

/// The first entry of a translated list (`list`) that says nothing where
/// the original's entry in its place says something (`original(i)`): a
/// translation may leave blank only what the original leaves blank.
fn blank_entry(list: Option<&Vec<String>>, original: impl Fn(usize) -> bool) -> Option<&str> {
    list?
        .iter()
        .enumerate()
        .find(|(i, s)| !crate::values::shows(s) && original(*i))
        .map(|(_, s)| s.as_str())
}

/// The first `n` characters of a value too long to quote whole, and `…`.
pub(super) fn start_of(value: &str, n: usize) -> String {
    let mut start: String = value.chars().take(n).collect();
    start.push('…');
    start
}

impl Validator<'_> {
    /// An error at `key` when its list has more than `most` entries,
    /// worded by `message` from the count.
    fn check_count_as(
        &mut self,
        path: &Path,
        key: &str,
        (count, most): (usize, usize),
        message: impl FnOnce(usize) -> String,
        hint: &str,
    ) {
        if count > most {
            let e = self.at(path, key, None, message(count)).with_hint(hint);
            self.push(e);
        }
    }

    /// An error at `key` when its list has more than `most` entries.
    fn check_count(&mut self, path: &Path, key: &str, count: usize, most: usize, hint: &str) {
        let message = |n| format!("`{key}` lists {n} entries; at most {most} are allowed");
        self.check_count_as(path, key, (count, most), message, hint);
    }

    /// An error at `key` when `value` has more than `most` characters.
    fn check_length(&mut self, path: &Path, key: &str, value: &str, most: usize, hint: &str) {
        // Counting stops one past the limit: a huge value costs no more.
        if value.chars().nth(most).is_none() {
            return;
        }
        let e = self
            .at(
                path,
                key,
                None,
                format!(
                    "`{key}` is {} characters long; at most {most} are allowed",
                    value.chars().count()
                ),
            )
            .with_hint(hint);
        self.push(e);
    }

    pub fn check_brief_lengths(&mut self, b: &Brief) {
        let path = b.path.as_path();
        self.check_length(path, "title", &b.front.title, MAX_TITLE, TITLE_HINT);
        self.check_length(
            path,
            "summary",
            &b.front.summary,
            MAX_SUMMARY,
            "one or two sentences for cards, search results and the memo cover",
        );
        self.check_count_as(
            path,
            "deals",
            (b.front.deals.len(), MAX_DEALS),
            |n| format!("{n} deals; a brief may list at most {MAX_DEALS}"),
            "list the deals the brief discusses; the deals page lists them all",
        );
        let tags = &b.front.tags;
        self.check_count_as(
            path,
            "tags",
            (tags.len(), MAX_TAGS),
            |n| format!("{n} tags; a brief may have at most {MAX_TAGS}"),
            "keep the few that readers browse by",
        );
        for tag in tags
            .iter()
            .filter(|t| crate::values::tag_slug(t).is_empty())
        {
            let e = self
                .at(
                    path,
                    "tags",
                    Some(tag),
                    format!("tag `{tag}` has no letter or digit to name its page"),
                )
                .with_hint("a tag is a word or two, in any script");
            self.push(e);
        }
        for tag in tags.iter().filter(|t| t.chars().nth(MAX_TAG).is_some()) {
            let e = self
                .at(
                    path,
                    "tags",
                    Some(tag),
                    format!(
                        "tag `{}` is longer than {MAX_TAG} characters",
                        start_of(tag, 40)
                    ),
                )
                .with_hint("a tag is a word or two: it names a page of the site");
            self.push(e);
        }
    }

    /// An error when `value`, a text that must say something, is empty or
    /// shows nothing (spaces, zero-width characters; YAML's `~` and `""`),
    /// located at `key`'s occurrence `nth` after the line of `parent`.
    fn check_present(
        &mut self,
        path: &Path,
        at: (Option<&str>, &str, usize),
        value: &str,
        what: &str,
    ) {
        if crate::values::shows(value) {
            return;
        }
        let (parent, key, nth) = at;
        let (line, col) = self
            .texts
            .get(path)
            .map_or((0, 0), |t| locate_key(t, parent, key, nth));
        self.push(Error::at(path, line, col, format!("{what} is empty")));
    }

    /// [`Self::check_translated`] for the text `field` of each of the
    /// translations `tr`.
    fn check_translated_by<T>(
        &mut self,
        path: &Path,
        tr: &std::collections::BTreeMap<String, T>,
        key: &str,
        field: fn(&T) -> Option<&str>,
        what: &str,
    ) {
        self.check_translated(path, key, tr.iter().map(|(l, t)| (l, field(t))), what);
    }

    /// [`Self::check_translated`] for the first entry of the list `list`
    /// of each of the translations `tr` that says nothing where the
    /// original's entry in its place says something (`original`).
    fn check_translated_list<T>(
        &mut self,
        path: &Path,
        tr: &std::collections::BTreeMap<String, T>,
        key: &str,
        list: fn(&T) -> Option<&Vec<String>>,
        original: impl Fn(usize) -> bool,
        what: &str,
    ) {
        let blanks = tr.iter().map(|(l, t)| (l, blank_entry(list(t), &original)));
        self.check_translated(path, key, blanks, what);
    }

    /// An error for each entry of the list `key` (the first `max`) that
    /// says nothing, located at the list.
    fn check_entries(&mut self, path: &Path, key: &str, list: &[String], max: usize) {
        for (i, entry) in list.iter().enumerate().take(max) {
            if !crate::values::shows(entry) {
                let what = format!("entry {} of `{key}`", i + 1);
                self.check_present(path, (None, key, 0), entry, &what);
            }
        }
    }

    /// An error for each translation (`translations:`, by language) whose
    /// text for `key` is given but says nothing: the original's text would
    /// be replaced by an empty one. Left out, the original's is used.
    fn check_translated<'t>(
        &mut self,
        path: &Path,
        key: &str,
        texts: impl Iterator<Item = (&'t String, Option<&'t str>)>,
        what: &str,
    ) {
        for (lang, value) in texts {
            let Some(value) = value else { continue };
            if crate::values::shows(value) {
                continue;
            }
            let (line, col) = self
                .texts
                .get(path)
                .map_or((0, 0), |t| locate_key(t, Some(lang), key, 0));
            let e = Error::at(
                path,
                line,
                col,
                format!("the `{lang}` translation of {what} is empty"),
            )
            .with_hint(format!(
                "write it, or leave `{key}` out of `{lang}` to show the original's"
            ));
            self.push(e);
        }
    }

    pub fn check_page_lengths(&mut self, p: &Page) {
        let path = p.path.as_path();
        self.check_present(path, (None, "title", 0), &p.front.title, "the page's title");
        let titles = p.front.translations.iter();
        let titles = titles.map(|(lang, t)| (lang, t.title.as_deref()));
        self.check_translated(path, "title", titles, "the page's title");
        self.check_length(path, "title", &p.front.title, MAX_TITLE, TITLE_HINT);
        self.check_length(
            path,
            "description",
            &p.front.description,
            MAX_SUMMARY,
            "a sentence or two for search results",
        );
    }

    pub fn check_deal_lengths(&mut self, d: &Deal) {
        let path = d.path.as_path();
        self.check_present(path, (None, "title", 0), &d.title, "the deal's title");
        let titles = d.translations.iter().map(|(l, t)| (l, t.title.as_deref()));
        self.check_translated(path, "title", titles, "the deal's title");
        let tr = &d.translations;
        let notes = "the deal's notes";
        self.check_translated_by(path, tr, "notes", |t| t.notes.as_deref(), notes);
        let value_note = "the value's note";
        self.check_translated_by(
            path,
            tr,
            "value_note",
            |t| t.value_note.as_deref(),
            value_note,
        );
        let region = "the location's region";
        self.check_translated_by(path, tr, "region", |t| t.region.as_deref(), region);
        let shows = |s: Option<&String>| s.is_some_and(|s| crate::values::shows(s));
        let mineral = |i: usize| shows(d.minerals.get(i));
        self.check_translated_list(
            path,
            tr,
            "minerals",
            |t| t.minerals.as_ref(),
            mineral,
            "a mineral",
        );
        let role = |i: usize| shows(d.parties.get(i).map(|p| &p.role));
        self.check_translated_list(
            path,
            tr,
            "roles",
            |t| t.roles.as_ref(),
            role,
            "a party's role",
        );
        self.check_entries(path, "minerals", &d.minerals, MAX_MINERALS);
        for (i, party) in d.parties.iter().enumerate().take(MAX_PARTIES) {
            let at = (Some("parties"), "name", i);
            self.check_present(path, at, &party.name, "a party's name");
        }
        for (i, source) in d.sources.iter().enumerate().take(MAX_SOURCES) {
            let at = (Some("sources"), "title", i);
            self.check_present(path, at, &source.title, "a source's title");
        }
        self.check_length(path, "title", &d.title, MAX_TITLE, TITLE_HINT);
        let panel = "a deal's facts panel shows the main ones: name the rest in `notes`";
        self.check_count(path, "parties", d.parties.len(), MAX_PARTIES, panel);
        self.check_count(path, "minerals", d.minerals.len(), MAX_MINERALS, panel);
        self.check_count(
            path,
            "sources",
            d.sources.len(),
            MAX_SOURCES,
            "cite the sources that establish the facts",
        );
        if let Some(notes) = &d.notes {
            self.check_length(
                path,
                "notes",
                notes,
                MAX_NOTES,
                "a deal's notes are a paragraph or two: write more in a brief",
            );
        }
    }

    pub fn check_contact_lengths(&mut self, c: &Contact) {
        let path = c.path.as_path();
        let names = c.translations.iter().map(|(l, t)| (l, t.name.as_deref()));
        self.check_translated(path, "name", names, "the contact's name");
        let tr = &c.translations;
        let title = "the contact's title";
        self.check_translated_by(path, tr, "title", |t| t.title.as_deref(), title);
        let org = "the contact's organization";
        self.check_translated_by(path, tr, "organization", |t| t.organization.as_deref(), org);
        let shows = |s: Option<&String>| s.is_some_and(|s| crate::values::shows(s));
        let label = |i: usize| shows(c.phones.get(i).and_then(|p| p.label.as_ref()));
        let what = "a phone's label";
        self.check_translated_list(
            path,
            tr,
            "phone_labels",
            |t| t.phone_labels.as_ref(),
            label,
            what,
        );
        let language = |i: usize| shows(c.languages.get(i));
        self.check_translated_list(
            path,
            tr,
            "languages",
            |t| t.languages.as_ref(),
            language,
            "a language",
        );
        for (i, phone) in c.phones.iter().enumerate().take(MAX_PHONES) {
            if let Some(label) = &phone.label {
                let at = (Some("phones"), "label", i);
                self.check_present(path, at, label, "a phone's label");
            }
        }
        self.check_entries(path, "languages", &c.languages, MAX_LANGUAGES);
        for (key, value) in [
            ("name", &c.name),
            ("title", &c.title),
            ("organization", &c.organization),
        ] {
            self.check_length(path, key, value, MAX_TITLE, "as printed on a business card");
        }
        let card = "as printed on a business card";
        self.check_count(path, "phones", c.phones.len(), MAX_PHONES, card);
        self.check_count(path, "languages", c.languages.len(), MAX_LANGUAGES, card);
    }

    pub fn check_data_lengths(&mut self, d: &DataTable) {
        let path = d.path.as_path();
        self.check_present(path, (None, "title", 0), &d.title, "the table's title");
        self.check_present(path, (None, "source", 0), &d.source, "the table's source");
        let titles = d.translations.iter().map(|(l, t)| (l, t.title.as_deref()));
        self.check_translated(path, "title", titles, "the table's title");
        let sources = d.translations.iter().map(|(l, t)| (l, t.source.as_deref()));
        self.check_translated(path, "source", sources, "the table's source");
        for (i, column) in d.columns.iter().enumerate() {
            let at = (Some("columns"), "label", i);
            self.check_present(path, at, &column.label, "a column's label");
        }
        let columns = d.translations.iter().map(|(l, t)| {
            let original = |i: usize| {
                d.columns
                    .get(i)
                    .is_some_and(|c| crate::values::shows(&c.label))
            };
            (l, blank_entry(t.columns.as_ref(), original))
        });
        self.check_translated(path, "columns", columns, "a column's label");
        // A key figure's label: the first that says nothing, in each.
        let labels = d.translations.iter().map(|(l, t)| {
            let figures = t.figures.as_deref().unwrap_or_default();
            (
                l,
                figures
                    .iter()
                    .find(|f| !crate::values::shows(f))
                    .map(String::as_str),
            )
        });
        self.check_translated(path, "figures", labels, "a key figure's label");
        let band =
            "the home page shows every key figure in one band: keep the ones that matter most";
        self.check_count(path, "figures", d.figures.len(), MAX_FIGURES, band);
        for (i, figure) in d.figures.iter().enumerate().take(MAX_FIGURES) {
            let value = (Some("figures"), "value", i);
            self.check_present(path, value, &figure.value, "a key figure's value");
            let label = (Some("figures"), "label", i);
            self.check_present(path, label, &figure.label, "a key figure's label");
        }
        self.check_length(path, "title", &d.title, MAX_TITLE, TITLE_HINT);
    }

    pub fn check_site_lengths(&mut self) {
        let site = self.site;
        let path = Path::new("content/site.yaml");
        self.check_length(path, "title", &site.title, MAX_TITLE, TITLE_HINT);
    }
}

const TITLE_HINT: &str = "a title fits on a line or two of a cover: move the rest into the text";
