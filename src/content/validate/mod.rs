//! Checks that need more than one field or file: references, unique ids and
//! slugs, phone numbers, values. Links and placeholders of Markdown are in
//! `links`, pictures in `assets`, placeholders of a new project left in a
//! real site in `placeholders`. Every problem is collected with the line it
//! is on.

mod assets;
mod lengths;
mod links;
mod phone;
mod placeholders;

use assets::resolve_asset;
pub use assets::{asset_key, named_as_picture, site_asset_key};
pub use placeholders::{is_real_site, PLACEHOLDERS};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use super::check_id;
use super::model::*;
use crate::config::SiteConfig;
use crate::error::{closest, did_you_mean, Diagnostics, Error};
use crate::values::{in_cents, is_base_url, is_slug, shows};

/// Slugs the site uses for its own pages.
/// The largest deal value: past it a figure is a slip of the keyboard (a
/// trillion dollars is a thousandth of it), and past 2^53 ≈ 9 × 10^15 a
/// number read from YAML is no longer whole.
const MAX_AMOUNT: f64 = 1e15;

const RESERVED: &[&str] = &[
    "briefs", "deals", "contact", "contacts", "memos", "assets", "static", "404", "index", "feed",
    "tags", "fonts", "sitemap", "robots", "atom", "en", "ur",
];

/// Ids of deals, contacts and data files whose file could not be read or
/// parsed (by file name): that problem is reported already, so references
/// to them are not reported as unknown too.
#[derive(Debug, Default)]
pub struct Broken {
    pub deals: BTreeSet<String>,
    pub contacts: BTreeSet<String>,
    pub data: BTreeSet<String>,
    /// Briefs, pages, deals and contact cards that could not be read, as
    /// internal links name them (`briefs/x.md`, `deals/y.yaml`): a link to
    /// one does not lead nowhere.
    pub files: BTreeSet<String>,
}

pub struct Validator<'a> {
    /// Shared by the validators of [`Validator::each_brief`].
    pub broken: std::sync::Arc<Broken>,
    root: &'a Path,
    site: &'a SiteConfig,
    texts: &'a std::collections::HashMap<PathBuf, std::sync::Arc<String>>,
    diags: &'a mut Diagnostics,
}

impl<'a> Validator<'a> {
    pub fn new(
        root: &'a Path,
        site: &'a SiteConfig,
        texts: &'a std::collections::HashMap<PathBuf, std::sync::Arc<String>>,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Validator {
            broken: Default::default(),
            root,
            site,
            texts,
            diags,
        }
    }

    /// Runs `check` on every brief on the build's threads, each with a
    /// validator of its own; the problems found are added in the briefs'
    /// order.
    pub fn each_brief(
        &mut self,
        briefs: &mut [Brief],
        check: impl Fn(&mut Validator<'_>, &mut Brief) + Sync,
    ) {
        use rayon::prelude::*;
        let (broken, root, site, texts) = (&self.broken, self.root, self.site, self.texts);
        let found: Vec<Diagnostics> = briefs
            .par_iter_mut()
            .with_max_len(crate::PAR_LEAF)
            .map(|b| {
                let mut diags = Diagnostics::default();
                let mut one = Validator {
                    broken: broken.clone(),
                    root,
                    site,
                    texts,
                    diags: &mut diags,
                };
                check(&mut one, b);
                diags
            })
            .collect();
        for d in found {
            self.diags.extend(d.items);
        }
    }

    /// An error at the line where `key` (and then `value`) appears in `path`.
    fn at(&self, path: &Path, key: &str, value: Option<&str>, message: impl Into<String>) -> Error {
        let (line, col) = self
            .texts
            .get(path)
            .map_or((0, 0), |t| locate(t, key, value));
        Error::at(path, line, col, message)
    }

    /// As [`Self::at`], at `value`'s occurrence `nth` (from 0) after `key`.
    fn at_nth(
        &self,
        path: &Path,
        key: &str,
        value: &str,
        nth: usize,
        message: impl Into<String>,
    ) -> Error {
        let (line, col) = self
            .texts
            .get(path)
            .map_or((0, 0), |t| locate_nth(t, key, Some(value), nth));
        Error::at(path, line, col, message)
    }

    fn push(&mut self, e: Error) {
        self.diags.push(e);
    }

    /// Indexes items by id, reporting invalid and duplicate ids.
    pub fn unique<T>(
        &mut self,
        kind: &str,
        items: Vec<T>,
        key: impl Fn(&T) -> (String, PathBuf),
    ) -> BTreeMap<String, T> {
        let mut out: BTreeMap<String, T> = BTreeMap::new();
        let mut first: BTreeMap<String, PathBuf> = BTreeMap::new();
        // An id taken from a file name belongs to that file: a duplicate is
        // blamed on the file that wrote the same id in an `id:` line.
        let mut items = items;
        items.sort_by_cached_key(|item| {
            let (_, path) = key(item);
            self.texts
                .get(&path)
                .is_some_and(|t| t.lines().any(|l| key_col(l, "id") == Some(0)))
        });
        for item in items {
            let (id, path) = key(&item);
            if let Some(msg) = check_id(kind, &id) {
                let e = self.at(&path, "id", Some(&id), msg);
                self.push(e);
                continue;
            }
            if let Some(prev) = first.get(&id) {
                let e = self
                    .at(&path, "id", Some(&id), format!("duplicate {kind} `{id}`"))
                    .with_hint(format!("`{id}` is already used by {}", prev.display()));
                self.push(e);
                continue;
            }
            first.insert(id.clone(), path);
            out.insert(id, item);
        }
        out
    }

    /// Takes the translations (`briefs/<slug>.<lang>.md`, or
    /// `translation_of:`) out of `briefs`: each must be in one of the
    /// site's other languages and translate a brief that exists, once. A
    /// translation shares its original's deals and author unless it names
    /// its own, and is confidential when the original is.
    pub fn split_translations(&mut self, briefs: &mut Vec<Brief>) -> Vec<Brief> {
        let others = self.site.other_languages();
        let (translations, originals): (Vec<Brief>, Vec<Brief>) = std::mem::take(briefs)
            .into_iter()
            .partition(|b| b.translation.is_some());
        *briefs = originals;
        let mut out: Vec<Brief> = Vec::new();
        for mut t in translations {
            let lang = t.translation.clone().unwrap_or_default();
            let path = t.path.clone();
            let Some(code) = others
                .iter()
                .find(|l| crate::i18n::primary(l) == crate::i18n::primary(&lang))
            else {
                let main = &self.site.language;
                let shown = path.display();
                let (why, hint) = if crate::i18n::primary(main) == crate::i18n::primary(&lang) {
                    let by_name = path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().ends_with(&format!(".{lang}.md")));
                    let fix = if by_name {
                        format!("name it `{}.md`", t.slug)
                    } else {
                        "remove `lang:` and `translation_of:`".to_string()
                    };
                    (
                        format!("the site's own language (`{main}`)"),
                        format!("a brief in the site's language is an original: {fix}"),
                    )
                } else {
                    (
                        "which is not one of the site's other languages".to_string(),
                        format!(
                            "add `{lang}` to `languages:` in content/site.yaml, e.g. `languages: [{}, {lang}]`",
                            crate::i18n::primary(main)
                        ),
                    )
                };
                let message = format!("`{shown}` is a translation into `{lang}`, {why}");
                let e = self
                    .at(&path, "lang", t.front.lang.as_deref(), message)
                    .with_hint(hint);
                self.push(e);
                continue;
            };
            t.translation = Some(code.clone());
            let Some(original) = briefs.iter().find(|b| b.slug == t.slug) else {
                // A brief beside it that could not be read has its own
                // problem, reported already.
                let beside = path.with_file_name(format!("{}.md", t.slug));
                if self
                    .broken
                    .files
                    .contains(&super::links::content_rel(&beside))
                {
                    continue;
                }
                let e = self
                    .at(
                        &path,
                        "translation_of",
                        t.front.translation_of.as_deref(),
                        format!(
                            "`{}` translates the brief `{}`, which does not exist",
                            path.display(),
                            t.slug
                        ),
                    )
                    .with_hint(format!(
                        "name the translation after its brief: briefs/<slug>.{code}.md"
                    ));
                self.push(e);
                continue;
            };
            if t.front.deals.is_empty() {
                t.front.deals = original.front.deals.clone();
            }
            if t.front.author.is_none() {
                t.author = original.author.clone();
            }
            t.front.confidential |= original.front.confidential;
            t.front.draft |= original.front.draft;
            if let Some(prev) = out
                .iter()
                .find(|o| o.slug == t.slug && o.translation == t.translation)
            {
                let e = Error::in_file(
                    &path,
                    format!("a second `{code}` translation of the brief `{}`", t.slug),
                )
                .with_hint(format!("the first is {}", prev.path.display()));
                self.push(e);
                continue;
            }
            out.push(t);
        }
        out
    }

    pub fn check_site(&mut self) {
        let path = PathBuf::from("content/site.yaml");
        let site = self.site;
        for (i, lang) in site.languages.iter().enumerate() {
            let before = site.languages[..i].iter().filter(|l| *l == lang).count();
            if before > 0 {
                let e = self.at_nth(
                    &path,
                    "languages",
                    lang,
                    before,
                    format!("`{lang}` is listed twice in `languages`"),
                );
                self.push(e);
            }
            if !is_language_tag(lang) {
                let e = self.at(
                    &path,
                    "languages",
                    Some(lang),
                    format!("invalid language tag `{lang}`"),
                );
                self.push(e);
            }
        }
        if let Some(first) = site.languages.first() {
            if crate::i18n::primary(first) != crate::i18n::primary(&site.language) {
                let e = self
                    .at(
                        &path,
                        "languages",
                        Some(first),
                        format!(
                            "the first of `languages` is the site's main language, `language: {}`",
                            site.language
                        ),
                    )
                    .with_hint(format!(
                        "list `{}` first",
                        crate::i18n::primary(&site.language)
                    ));
                self.push(e);
            }
        }
        if !is_base_url(&site.base_url) {
            let e = self
                .at(
                    &path,
                    "base_url",
                    Some(&site.base_url),
                    format!("invalid base_url `{}`", site.base_url),
                )
                .with_hint(
                    "an absolute address such as https://user.github.io/repo/, \
                     without ?query, #fragment or user:password@",
                );
            self.push(e);
        }
        if !is_language_tag(&site.language) {
            let e = self
                .at(
                    &path,
                    "language",
                    Some(&site.language),
                    format!("invalid language tag `{}`", site.language),
                )
                .with_hint("a BCP 47 tag such as `en-US`");
            self.push(e);
        }
        // A theme is a folder under themes/ (or the built-in default): its
        // name cannot lead anywhere else.
        let theme_problem = if !is_slug(&site.theme) {
            Some((
                format!("invalid theme name `{}`", site.theme),
                "the name of a folder under themes/, e.g. `default`".to_string(),
            ))
        } else if site.theme != "default" && !self.root.join("themes").join(&site.theme).is_dir() {
            Some((
                format!("theme `{}` not found", site.theme),
                format!(
                    "expected a folder themes/{}, or use `theme: default`",
                    site.theme
                ),
            ))
        } else {
            None
        };
        if let Some((message, hint)) = theme_problem {
            let e = self
                .at(&path, "theme", Some(&site.theme), message)
                .with_hint(hint);
            self.push(e);
        }
        for (key, n) in [
            ("paginate_by", site.paginate_by),
            ("home_briefs", site.home_briefs),
        ] {
            if n == 0 {
                let e = self
                    .at(&path, key, None, format!("`{key}` must be at least 1"))
                    .with_hint(format!("e.g. `{key}: 10`"));
                self.push(e);
            }
        }
        if !shows(&site.title) {
            let e = self.at(&path, "title", None, "the site title is empty");
            self.push(e);
        }
        let reg = Path::new(&site.copies.register_dir);
        let escapes =
            reg.is_absolute() || reg.components().any(|c| matches!(c, Component::ParentDir));
        // `./content` and `.` are `content` and the project folder itself.
        let mut parts = reg.components().filter(|c| !matches!(c, Component::CurDir));
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let taken = match first.as_deref() {
            None => true,
            Some(f) => {
                ["output", "content", "themes", "templates"].contains(&f)
                    || f.starts_with(".output")
            }
        };
        // Written as it should be, it may still lead elsewhere through a
        // symbolic link.
        let linked = || {
            crate::output::register_place_problem(self.root, &self.root.join(reg))
                .ok()
                .flatten()
        };
        let why = if escapes || taken { None } else { linked() };
        if escapes || taken || why.is_some() {
            let why = why.map_or(String::new(), |w| format!(" ({w})"));
            let e = self.at(&path, "register_dir", None, format!("register_dir `{}` must be a folder inside the project, outside output/, content/, themes/ and templates/{why}", site.copies.register_dir));
            self.push(e);
        }
    }

    pub fn check_contact_ref(
        &mut self,
        path: &Path,
        key: &str,
        id: &str,
        contacts: &BTreeMap<String, Contact>,
    ) {
        if !contacts.contains_key(id) && !self.broken.contacts.contains(id) {
            let mut e = self.at(path, key, Some(id), format!("unknown contact `{id}`"));
            e = match did_you_mean(id, contacts.keys().map(String::as_str)) {
                Some(best) => e.with_hint(format!("did you mean `{best}`?")),
                None => e.with_hint(known_list("contacts", contacts.keys())),
            };
            self.push(e);
        }
    }

    pub fn check_contact(&mut self, c: &mut Contact) {
        let country = default_region(self.site);
        for phone in &mut c.phones {
            // Not read as a number (nor echoed whole in the message).
            if phone.number.chars().nth(lengths::MAX_PHONE_CHARS).is_some() {
                let e = self
                    .at(
                        &c.path,
                        "number",
                        Some(&phone.number),
                        format!(
                            "phone number `{}` is longer than {} characters",
                            lengths::start_of(&phone.number, 24),
                            lengths::MAX_PHONE_CHARS
                        ),
                    )
                    .with_hint("one number per entry, with its country code (+92 …)");
                self.push(e);
                continue;
            }
            match normalise_phone(&phone.number, country) {
                Ok((e164, intl)) => {
                    phone.e164 = e164;
                    phone.international = intl;
                }
                Err(why) => {
                    let mut e = self.at(
                        &c.path,
                        "number",
                        Some(&phone.number),
                        format!("phone number `{}` {why}", phone.number),
                    );
                    if country.is_none() && !phone.number.trim_start().starts_with('+') {
                        e = e.with_hint("write it with its country code (+92 …) or set `default_country` in site.yaml");
                    }
                    self.push(e);
                }
            }
        }
        if let Some(email) = &c.email {
            if !is_email(email) {
                let e = self.at(
                    &c.path,
                    "email",
                    Some(email),
                    format!("invalid e-mail address `{email}`"),
                );
                self.push(e);
            }
        }
        if !shows(&c.name) {
            let e = self.at(&c.path, "name", None, "the contact's name is empty");
            self.push(e);
        }
    }

    pub fn check_deal(&mut self, d: &Deal) {
        if let Some(v) = &d.value {
            let msg = match (v.amount, v.min, v.max) {
                (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                    Some("give either `amount` or `min` and `max`, not both")
                }
                (None, None, None) => Some("a value needs `amount`, or `min` and `max`"),
                (None, Some(_), None) | (None, None, Some(_)) => {
                    Some("a range needs both `min` and `max`")
                }
                (None, Some(lo), Some(hi)) if lo > hi => Some("`min` is larger than `max`"),
                (a, lo, hi)
                    if [a, lo, hi]
                        .iter()
                        .flatten()
                        .any(|x| *x < 0.0 || !x.is_finite())
                        || a == Some(0.0)
                        || hi == Some(0.0) =>
                {
                    Some("amounts must be positive numbers")
                }
                (a, lo, hi) if [a, lo, hi].iter().flatten().any(|x| *x > MAX_AMOUNT) => {
                    Some("amount too large: at most 1,000,000,000,000,000 (10^15) in the deal's currency")
                }
                (a, lo, hi)
                    if [a, lo, hi]
                        .iter()
                        .flatten()
                        .any(|x| *x > 0.0 && *x < 0.01) =>
                {
                    Some("amount too small: at least 0.01 in the deal's currency")
                }
                (a, lo, hi)
                    if [a, lo, hi]
                        .iter()
                        .flatten()
                        .any(|x| !in_cents(*x)) =>
                {
                    Some("amounts are written to the cent: two decimals at most")
                }
                _ => None,
            };
            if let Some(msg) = msg {
                let e = self.at(&d.path, "value", None, msg);
                self.push(e);
            }
        }
        if let Some(loc) = &d.location {
            if loc.lat.is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
                let e = self.at(&d.path, "lat", None, "latitude must be between -90 and 90");
                self.push(e);
            }
            if loc.lon.is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
                let e = self.at(
                    &d.path,
                    "lon",
                    None,
                    "longitude must be between -180 and 180",
                );
                self.push(e);
            }
        }
        if d.sources.is_empty() {
            let e = self
                .at(
                    &d.path,
                    "title",
                    None,
                    format!("deal `{}` cites no sources", d.id),
                )
                .warning();
            self.push(e);
        }
    }

    pub fn check_data(&mut self, d: &DataTable) {
        if let Some(msg) = check_id("data id", &d.id) {
            self.push(Error::in_file(&d.path, msg));
        }
        if !d.rows.is_empty() && d.columns.is_empty() {
            let e = self.at(&d.path, "rows", None, "rows are given but no `columns`");
            self.push(e);
        }
        let keys: Vec<&str> = d.columns.iter().map(|c| c.key.as_str()).collect();
        // Without columns every key would be unknown: that is one problem, reported above.
        for row in d.rows.iter().filter(|_| !keys.is_empty()) {
            for key in row.keys() {
                if !keys.contains(&key.as_str()) {
                    let mut e = self.at(
                        &d.path,
                        "rows",
                        Some(&format!("{key}:")),
                        format!("unknown column `{key}` in a row"),
                    );
                    if let Some(best) = did_you_mean(key, keys.iter().copied()) {
                        e = e.with_hint(format!("did you mean `{best}`?"));
                    }
                    self.push(e);
                }
            }
        }
    }

    /// The deals a brief lists: each known, none twice.
    fn check_deal_refs(&mut self, path: &Path, ids: &[String], deals: &BTreeMap<String, Deal>) {
        // Too many is one problem (from the length checks), not one a deal.
        if ids.len() > lengths::MAX_DEALS {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        for id in ids {
            let before = seen.iter().filter(|s| **s == id).count();
            if before > 0 {
                let e = self.at_nth(
                    path,
                    "deals",
                    id,
                    before,
                    format!("deal `{id}` is listed twice"),
                );
                self.push(e);
            }
            seen.push(id);
            if !deals.contains_key(id) && !self.broken.deals.contains(id) {
                let mut e = self.at(path, "deals", Some(id), format!("unknown deal `{id}`"));
                e = match closest(id, deals.keys().map(String::as_str), 3).as_slice() {
                    [] => e.with_hint(known_list("deals", deals.keys())),
                    best => e.with_hint(format!("did you mean {}?", or_list(best))),
                };
                self.push(e);
            }
        }
    }

    /// What can be checked of a brief whose front matter could not be read
    /// (that problem is reported already): its author and deals exist.
    pub fn check_broken_brief(
        &mut self,
        path: &Path,
        refs: &BriefRefs,
        deals: &BTreeMap<String, Deal>,
        contacts: &BTreeMap<String, Contact>,
    ) {
        if let Some(a) = &refs.author {
            self.check_contact_ref(path, "author", a, contacts);
        }
        self.check_deal_refs(path, &refs.deals, deals);
    }

    pub fn check_brief(
        &mut self,
        b: &mut Brief,
        deals: &BTreeMap<String, Deal>,
        contacts: &BTreeMap<String, Contact>,
        data: &BTreeMap<String, DataTable>,
        assets: &BTreeMap<String, Asset>,
    ) {
        let path = b.path.clone();
        if let Some(msg) = check_id("slug", &b.slug) {
            let e = self.at(&path, "slug", Some(&b.slug), msg);
            self.push(e);
        } else if b.slug == "page" {
            let e = self
                .at(
                    &path,
                    "slug",
                    Some(&b.slug),
                    "slug `page` is used by the pages of the briefs list (briefs/page/2/)",
                )
                .with_hint("choose another slug, or rename the file");
            self.push(e);
        }
        if !shows(&b.front.title) {
            let e = self.at(&path, "title", None, "the title is empty");
            self.push(e);
        }
        if !shows(&b.front.summary) {
            let e = self
                .at(&path, "summary", None, "the summary is empty")
                .with_hint("one or two sentences for cards, search results and the memo cover");
            self.push(e);
        }
        match &b.front.author {
            Some(a) => self.check_contact_ref(&path, "author", a, contacts),
            None if self.site.contact.is_none() && !contacts.is_empty() => {
                let e = self
                    .at(
                        &path,
                        "title",
                        None,
                        "no author: set `author` here or `contact` in site.yaml",
                    )
                    .warning();
                self.push(e);
            }
            None => {}
        }
        b.author = b.front.author.clone().or_else(|| self.site.contact.clone());
        self.check_deal_refs(&path, &b.front.deals, deals);
        b.lang = b
            .front
            .lang
            .clone()
            .or_else(|| b.translation.clone())
            .unwrap_or_else(|| self.site.language.clone());
        if let Some(lang) = &b.front.lang {
            if !is_language_tag(lang) {
                let e = self.at(
                    &path,
                    "lang",
                    Some(lang),
                    format!("invalid language tag `{lang}`"),
                );
                self.push(e);
            }
        }
        if b.front.teaser && !b.front.confidential {
            let e = self
                .at(
                    &path,
                    "teaser",
                    None,
                    "`teaser` only applies to confidential briefs",
                )
                .warning();
            self.push(e);
        }
        if !shows(&b.body) {
            let line = self
                .texts
                .get(&path)
                .map_or(0, |t| t.lines().count().max(b.body_line - 1));
            self.push(Error::at(
                &path,
                line,
                1,
                "the brief has no text after its front matter",
            ));
        }
        self.check_markdown(&path, &b.body, &b.parsed, b.body_line, data, assets);
    }

    pub fn check_slugs(&mut self, briefs: &[Brief], pages: &[Page]) {
        let mut seen: BTreeMap<(bool, &str), &Path> = BTreeMap::new();
        for (is_page, slug, path) in briefs
            .iter()
            .map(|b| (false, b.slug.as_str(), b.path.as_path()))
            .chain(
                pages
                    .iter()
                    .map(|p| (true, p.slug.as_str(), p.path.as_path())),
            )
        {
            // Brief slugs are checked with their brief; a page's becomes a
            // folder of the site just the same.
            if is_page {
                if let Some(msg) = check_id("slug", slug) {
                    let e = self.at(path, "slug", Some(slug), msg);
                    self.push(e);
                    continue;
                }
            }
            if is_page && RESERVED.contains(&slug) {
                let e = self
                    .at(
                        path,
                        "slug",
                        Some(slug),
                        format!("slug `{slug}` is used by the site itself"),
                    )
                    .with_hint("choose another slug");
                self.push(e);
            }
            if let Some(prev) = seen.get(&(is_page, slug)) {
                let e = self
                    .at(path, "slug", Some(slug), format!("duplicate slug `{slug}`"))
                    .with_hint(format!("`{slug}` is already used by {}", prev.display()));
                self.push(e);
            } else {
                seen.insert((is_page, slug), path);
            }
        }
    }
}

/// Gets the phone number metadata ready, as [`normalise_phone`] would on
/// first use; done ahead on another thread while the project's files are
/// read.
pub fn prepare_phones() {
    phone::prepare();
}

/// Sets phone numbers up for reading all the given contact cards' numbers.
pub fn prepare_phone_numbers<'a>(
    contacts: impl IntoIterator<Item = &'a Contact>,
    site: &SiteConfig,
) {
    phone::prepare_for(
        contacts
            .into_iter()
            .flat_map(|c| c.phones.iter().map(|p| p.number.as_str())),
        default_region(site),
    );
}

fn default_region(site: &SiteConfig) -> Option<rlibphonenumber::Region> {
    site.default_country
        .as_ref()
        .and_then(|c| c.0.parse::<rlibphonenumber::Region>().ok())
}

/// Normalises a phone number to E.164, and an international display form.
pub fn normalise_phone(
    number: &str,
    country: Option<rlibphonenumber::Region>,
) -> Result<(String, String), String> {
    phone::normalise(number, country)
}

/// An address a `mailto:` link can carry as it is: one `@`, a local part
/// without characters that end or change the link (`?` starts its
/// headers), and a host of letters, digits and hyphens in dotted labels.
pub fn is_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    !user.is_empty()
        && !user.starts_with('.')
        && !user.ends_with('.')
        && !user.contains("..")
        && !user.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '@' | '<'
                        | '>'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '\\'
                        | ','
                        | ';'
                        | ':'
                        | '"'
                        | '?'
                        | '/'
                        | '#'
                )
        })
        && host.contains('.')
        && host.split('.').all(label_ok)
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn known_list<'k>(what: &str, keys: impl Iterator<Item = &'k String>) -> String {
    let list: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
    if list.is_empty() {
        format!("there are no {what}")
    } else {
        format!("known {what}: {}", list.join(", "))
    }
}

/// The (line, column) of `value` at or after the first line holding `key:`;
/// the key itself when the value is not found; (1, 1) when neither is.
pub fn locate(text: &str, key: &str, value: Option<&str>) -> (usize, usize) {
    locate_nth(text, key, value, 0)
}

/// As [`locate`], at the value's occurrence `nth` (from 0) after its key:
/// a value listed twice is placed where it is repeated.
pub fn locate_nth(text: &str, key: &str, value: Option<&str>, nth: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let key_line = key_line(&lines, key);
    // Without its key the value could be anywhere (an id in an e-mail address).
    if let (Some(v), Some(from)) = (value.filter(|v| !v.is_empty()), key_line) {
        let mut seen = 0;
        for (i, l) in lines.iter().enumerate().skip(from) {
            let mut start = 0;
            while let Some(byte) = token_col(&l[start..], v).map(|b| start + b) {
                if seen == nth {
                    return (i + 1, l[..byte].chars().count() + 1);
                }
                seen += 1;
                start = byte + v.len();
            }
        }
    }
    match key_line {
        Some(i) => (
            i + 1,
            key_col(lines[i], key).map_or(1, |b| lines[i][..b].chars().count() + 1),
        ),
        None => (1, 1),
    }
}

/// The line (from 0) of `key:`: the first at the start of a line (a top-level key,
/// not the same key in `translations:` above it), else the first anywhere.
pub fn key_line(lines: &[&str], key: &str) -> Option<usize> {
    lines
        .iter()
        .position(|l| key_col(l, key) == Some(0))
        .or_else(|| lines.iter().position(|l| key_col(l, key).is_some()))
}

fn key_col(line: &str, key: &str) -> Option<usize> {
    let pat = format!("{key}:");
    let mut from = 0;
    while let Some(i) = line[from..].find(&pat) {
        let at = from + i;
        let before = line[..at].chars().last();
        if before.is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '-') {
            return Some(at);
        }
        from = at + pat.len();
    }
    None
}

fn token_col(line: &str, token: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find(token) {
        let at = from + i;
        let before = line[..at].chars().last();
        let after = line[at + token.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + token.len();
    }
    None
}

#[cfg(test)]
mod tests;
