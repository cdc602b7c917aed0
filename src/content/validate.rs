//! Checks that need more than one field or file: references, unique ids and
//! slugs, phone numbers, values, links and images in Markdown. Every problem
//! is collected with the line it is on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use super::check_id;
use super::links::LinkIndex;
use super::model::*;
use crate::config::SiteConfig;
use crate::error::{closest, did_you_mean, line_col, Diagnostics, Error};
use crate::markdown::{data_table_id, Reference};
use crate::values::{is_safe_link, is_slug, is_web_url};

/// Slugs the site uses for its own pages.
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
}

pub struct Validator<'a> {
    pub broken: Broken,
    root: &'a Path,
    site: &'a SiteConfig,
    texts: &'a BTreeMap<PathBuf, String>,
    diags: &'a mut Diagnostics,
}

impl<'a> Validator<'a> {
    pub fn new(
        root: &'a Path,
        site: &'a SiteConfig,
        texts: &'a BTreeMap<PathBuf, String>,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Validator {
            broken: Broken::default(),
            root,
            site,
            texts,
            diags,
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

    /// The picture shown when a page is shared must be a PNG or JPEG
    /// published from content/assets/.
    /// The logo (`brand.logo`): an SVG, PNG or JPEG under `content/assets/`;
    /// an SVG must be a picture, not a page with scripts.
    pub fn check_logo(&mut self, assets: &BTreeMap<String, Asset>) {
        let Some(logo) = &self.site.brand.logo else {
            return;
        };
        let path = Path::new("content/site.yaml");
        let svg = logo.to_ascii_lowercase().ends_with(".svg");
        let problem = if svg {
            match asset_key(path, logo).and_then(|k| assets.get(&k).map(|a| (k, a))) {
                None => resolve_asset(self.root, path, logo, assets)
                    .err()
                    .filter(|m| !m.contains("not a PNG or JPEG"))
                    .or_else(|| Some(format!("logo `{logo}` does not exist"))),
                Some((_, a)) => match std::fs::read_to_string(&a.abs) {
                    Ok(text) => {
                        let lower = text.to_ascii_lowercase();
                        if !lower.contains("<svg") {
                            Some(format!("logo `{logo}` is not an SVG file"))
                        } else if lower.contains("<script")
                            || lower.contains("javascript:")
                            || has_event_attribute(&lower)
                        {
                            Some(format!(
                                "logo `{logo}` holds scripts; a logo must be a plain picture"
                            ))
                        } else {
                            None
                        }
                    }
                    Err(e) => Some(format!("cannot read logo `{logo}`: {e}")),
                },
            }
        } else {
            resolve_asset(self.root, path, logo, assets).err()
        };
        if let Some(message) = problem {
            let e = self.at(path, "logo", Some(logo), message).with_hint(
                "an SVG, PNG or JPEG under content/assets/, e.g. `logo: assets/logo.svg`",
            );
            self.push(e);
        }
    }

    pub fn check_share_image(&mut self, assets: &BTreeMap<String, Asset>) {
        let Some(image) = &self.site.brand.image else {
            return;
        };
        let path = Path::new("content/site.yaml");
        if let Err(message) = resolve_asset(self.root, path, image, assets) {
            let e = self.at(path, "image", Some(image), message).with_hint(
                "a PNG or JPEG under content/assets/, e.g. `image: assets/share-card.png`",
            );
            self.push(e);
        }
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
                let e = self
                    .at(
                        &path,
                        "lang",
                        t.front.lang.as_deref(),
                        format!(
                            "`{}` is a translation into `{lang}`, which is not one of the site's other languages",
                            path.display()
                        ),
                    )
                    .with_hint(format!(
                        "add `{lang}` to `languages:` in content/site.yaml, e.g. `languages: [{}, {lang}]`",
                        crate::i18n::primary(&self.site.language)
                    ));
                self.push(e);
                continue;
            };
            t.translation = Some(code.clone());
            let Some(original) = briefs.iter().find(|b| b.slug == t.slug) else {
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
        for lang in &site.languages {
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
        if !is_web_url(&site.base_url) {
            let e = self
                .at(
                    &path,
                    "base_url",
                    Some(&site.base_url),
                    format!("invalid base_url `{}`", site.base_url),
                )
                .with_hint("an absolute address such as https://user.github.io/repo/");
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
        if site.title.trim().is_empty() {
            let e = self.at(&path, "title", None, "the site title is empty");
            self.push(e);
        }
        let reg = Path::new(&site.copies.register_dir);
        let escapes =
            reg.is_absolute() || reg.components().any(|c| matches!(c, Component::ParentDir));
        if escapes
            || reg.starts_with("output")
            || reg.starts_with("content")
            || site.copies.register_dir.is_empty()
        {
            let e = self.at(&path, "register_dir", None, format!("register_dir `{}` must be a folder inside the project, outside output/ and content/", site.copies.register_dir));
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
        let country = self
            .site
            .default_country
            .as_ref()
            .and_then(|c| c.0.parse::<rlibphonenumber::Region>().ok());
        for phone in &mut c.phones {
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
        if c.name.trim().is_empty() {
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
                        .any(|x| *x < 0.0 || !x.is_finite()) =>
                {
                    Some("amounts must be positive numbers")
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
        if b.front.title.trim().is_empty() {
            let e = self.at(&path, "title", None, "the title is empty");
            self.push(e);
        }
        if b.front.summary.trim().is_empty() {
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
        let mut seen: Vec<&str> = Vec::new();
        for id in &b.front.deals {
            if seen.contains(&id.as_str()) {
                let e = self.at(
                    &path,
                    "deals",
                    Some(id),
                    format!("deal `{id}` is listed twice"),
                );
                self.push(e);
            }
            seen.push(id);
            if !deals.contains_key(id) && !self.broken.deals.contains(id) {
                let mut e = self.at(&path, "deals", Some(id), format!("unknown deal `{id}`"));
                e = match closest(id, deals.keys().map(String::as_str), 3).as_slice() {
                    [] => e.with_hint(known_list("deals", deals.keys())),
                    best => e.with_hint(format!("did you mean {}?", or_list(best))),
                };
                self.push(e);
            }
        }
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
        if b.body.trim().is_empty() {
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
        let (body, refs) = (b.body.clone(), b.parsed.refs.clone());
        self.check_markdown(&path, &body, &refs, b.body_line, data, assets);
    }

    /// Links, images and data tables in a Markdown body starting at `body_line`.
    pub fn check_markdown(
        &mut self,
        path: &Path,
        body: &str,
        refs: &[Reference],
        body_line: usize,
        data: &BTreeMap<String, DataTable>,
        assets: &BTreeMap<String, Asset>,
    ) {
        let place = |offset: usize| {
            let (l, c) = line_col(body, offset);
            (l + body_line - 1, c)
        };
        self.check_placeholders(path, body, body_line);
        for r in refs.iter().cloned() {
            match r {
                Reference::Link { url, offset } => {
                    if !is_safe_link(&url) {
                        let (l, c) = place(offset);
                        self.push(
                            Error::at(path, l, c, format!("link target `{url}` is not allowed"))
                                .with_hint(
                                    "links may be https://, http://, mailto:, tel: or relative",
                                ),
                        );
                    }
                }
                Reference::Image { src, alt, offset } => {
                    let (l, c) = place(offset);
                    if alt.is_empty() {
                        self.push(
                            Error::at(path, l, c, format!("image `{src}` has no alt text"))
                                .with_hint(
                                    "describe the image: ![A map of the deposits](assets/map.png)",
                                )
                                .warning(),
                        );
                    }
                    if let Err(msg) = resolve_asset(self.root, path, &src, assets) {
                        self.push(Error::at(path, l, c, msg));
                    }
                }
                Reference::TooDeep { offset } => {
                    let (l, c) = place(offset);
                    self.push(
                        Error::at(
                            path,
                            l,
                            c,
                            format!(
                                "Markdown nested more than {} levels deep",
                                crate::markdown::MAX_NESTING
                            ),
                        )
                        .with_hint("block quotes, lists, emphasis and links nest at most this far"),
                    );
                }
                Reference::DataTable { id, offset } => {
                    if !data.contains_key(&id) && !self.broken.data.contains(&id) {
                        let (l, c) = place(offset);
                        let mut e = Error::at(path, l, c, format!("unknown data table `{id}`"));
                        e = match did_you_mean(&id, data.keys().map(String::as_str)) {
                            Some(best) => e.with_hint(format!("did you mean `{best}`?")),
                            None => e.with_hint(known_list("data files", data.keys())),
                        };
                        self.push(e);
                    }
                }
            }
        }
    }

    /// A line that looks like a placeholder (`{{ … }}`) but is not one
    /// orepress knows would be published as it is: refuse it.
    fn check_placeholders(&mut self, path: &Path, body: &str, body_line: usize) {
        let mut fence: Option<&str> = None;
        for (i, line) in body.lines().enumerate() {
            let trimmed = line.trim();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            match (fence, marker) {
                (None, Some(m)) => fence = Some(m),
                (Some(open), Some(m)) if open == m => fence = None,
                _ => {}
            }
            if fence.is_some() || marker.is_some() {
                continue;
            }
            if trimmed.starts_with("{{")
                && trimmed.ends_with("}}")
                && data_table_id(trimmed).is_none()
            {
                let col = line[..line.find("{{").unwrap_or(0)].chars().count() + 1;
                self.push(
                    Error::at(
                        path,
                        body_line + i,
                        col,
                        format!("`{trimmed}` is not a placeholder orepress knows"),
                    )
                    .with_hint("a data table is placed with {{ table(data=\"ID\") }}, ID being a file in content/data/"),
                );
            }
        }
    }

    /// Every internal link (`@/briefs/x.md`) in briefs and pages, drafts and
    /// confidential briefs included, must name a file that exists.
    pub fn check_internal_links(&mut self, links: &LinkIndex, briefs: &[Brief], pages: &[Page]) {
        let docs = briefs
            .iter()
            .map(|b| (&b.path, &b.body, &b.parsed.refs, b.body_line))
            .chain(
                pages
                    .iter()
                    .map(|p| (&p.path, &p.body, &p.parsed.refs, p.body_line)),
            );
        for (path, body, refs, body_line) in docs {
            for r in refs {
                let Reference::Link { url, offset } = r else {
                    continue;
                };
                let offset = *offset;
                if let Some(Err(why)) = links.resolve(url) {
                    let (l, c) = line_col(body, offset);
                    self.push(
                        Error::at(path, l + body_line - 1, c, why.message).with_hint(why.hint),
                    );
                }
            }
        }
    }

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
                let mut hits = text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !(yaml && l.trim_start().starts_with('#')))
                    .filter_map(|(i, l)| l.find(marker).map(|at| (i, l, at)));
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

    /// A public brief or page must not link to a confidential brief's page
    /// or memo: the link would publish its address, and the page is not
    /// there. Links are resolved against the linking page's own URL, or
    /// for internal links (`@/briefs/x.md`) by the file they name.
    pub fn check_confidential_links(
        &mut self,
        base_url: &str,
        links: &LinkIndex,
        briefs: &[Brief],
        pages: &[Page],
    ) {
        let secret: BTreeSet<&str> = briefs
            .iter()
            .filter(|b| b.front.confidential)
            .map(|b| b.slug.as_str())
            .collect();
        if secret.is_empty() {
            return;
        }
        let base_path = base_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("/");
        let docs = briefs
            .iter()
            .filter(|b| !b.front.confidential && !b.front.draft)
            .map(|b| {
                (
                    format!("/briefs/{}/", b.slug),
                    &b.path,
                    &b.body,
                    &b.parsed.refs,
                    b.body_line,
                )
            })
            .chain(pages.iter().map(|p| {
                (
                    format!("/{}/", p.slug),
                    &p.path,
                    &p.body,
                    &p.parsed.refs,
                    p.body_line,
                )
            }));
        for (own, path, body, refs, body_line) in docs {
            for r in refs.iter().cloned() {
                let Reference::Link { url, offset } = r else {
                    continue;
                };
                let internal = match links.resolve(&url) {
                    Some(Ok(t)) => Some(t.path),
                    Some(Err(_)) => continue,
                    None => None,
                };
                let Some(target) = internal
                    .map(|p| p.trim_end_matches('/').to_string())
                    .or_else(|| site_path(base_url, base_path, &own, &url))
                else {
                    continue;
                };
                let slug = target
                    .strip_prefix("briefs/")
                    .map(|t| t.split('/').next().unwrap_or(""))
                    .or_else(|| {
                        target
                            .strip_prefix("memos/")
                            .and_then(|t| t.strip_suffix(".pdf"))
                    });
                if let Some(slug) = slug.filter(|s| secret.contains(s)) {
                    let (l, c) = line_col(body, offset);
                    self.push(
                        Error::at(
                            path,
                            l + body_line - 1,
                            c,
                            format!(
                                "link to the confidential brief `{slug}`, which is not published"
                            ),
                        )
                        .with_hint(
                            "remove the link, or publish the brief with `confidential: false`",
                        ),
                    );
                }
            }
        }
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

/// Where an image source points, relative to `content/`: `/assets/x.png` is
/// rooted at `content/`, anything else is relative to the Markdown file.
pub fn asset_key(md_path: &Path, src: &str) -> Option<String> {
    if src.contains("://") || src.starts_with("//") {
        return None;
    }
    let src = src.split(['?', '#']).next().unwrap_or(src);
    let base: PathBuf = if let Some(abs) = src.strip_prefix('/') {
        PathBuf::from(abs)
    } else {
        // md_path is content/<kind>/<file>.md
        let dir = md_path
            .parent()
            .and_then(|p| p.strip_prefix("content").ok())
            .unwrap_or(Path::new(""));
        dir.join(src)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in base.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                // Leaving content/ is leaving the project's published files.
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Whether markup carries an event handler attribute (`onload=`, …).
fn has_event_attribute(lower: &str) -> bool {
    lower.match_indices("on").any(|(i, _)| {
        let before = lower[..i].chars().last();
        let name: String = lower[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        before.is_some_and(|c| c.is_whitespace() || c == '/')
            && !name.is_empty()
            && lower[i + 2 + name.len()..].trim_start().starts_with('=')
    })
}

fn resolve_asset(
    root: &Path,
    md_path: &Path,
    src: &str,
    assets: &BTreeMap<String, Asset>,
) -> Result<(), String> {
    if src.trim().is_empty() {
        return Err("image has no file: write ![description](../assets/file.png)".into());
    }
    if src.contains("://") || src.starts_with("//") {
        return Err(format!("image `{src}` is remote; put images in content/assets/ so memos and the site work offline"));
    }
    let Some(key) = asset_key(md_path, src) else {
        return Err(format!(
            "image `{src}` points outside the project's content folder"
        ));
    };
    if !key.starts_with("assets/") {
        return Err(format!("image `{src}` must be inside content/assets/"));
    }
    if assets.contains_key(&key) {
        let ext = key.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if !matches!(ext.as_str(), "png" | "jpg" | "jpeg") {
            return Err(format!("image `{src}` is not a PNG or JPEG file"));
        }
        return Ok(());
    }
    let on_disk = root.join("content").join(&key);
    if on_disk.exists() {
        Err(format!("image `{src}` points outside the project folder"))
    } else {
        Err(format!(
            "image `{src}` does not exist (looked for content/{key})"
        ))
    }
}

/// Normalises a phone number to E.164, and an international display form.
///
/// rlibphonenumber loads its metadata per region on first use, so a
/// process with a few contact cards does not build the regular
/// expressions of every country (what took `phonenumber` some 50 ms).
pub fn normalise_phone(
    number: &str,
    country: Option<rlibphonenumber::Region>,
) -> Result<(String, String), String> {
    use rlibphonenumber::{PhoneNumberFormat, PHONE_NUMBER_UTIL};
    let parsed = PHONE_NUMBER_UTIL
        .parse(number, country)
        .map_err(|_| "cannot be read as a phone number".to_string())?;
    if !PHONE_NUMBER_UTIL.is_valid_number(&parsed) {
        return Err(
            "is not a valid number (check the country code and the number of digits)".into(),
        );
    }
    let e164 = parsed.format_as(PhoneNumberFormat::E164).into_owned();
    let intl = parsed
        .format_as(PhoneNumberFormat::International)
        .into_owned();
    Ok((e164, intl))
}

fn is_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
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
    let lines: Vec<&str> = text.lines().collect();
    let key_line = lines.iter().position(|l| key_col(l, key).is_some());
    // Without its key the value could be anywhere (an id in an e-mail address).
    if let (Some(v), Some(from)) = (value.filter(|v| !v.is_empty()), key_line) {
        for (i, l) in lines.iter().enumerate().skip(from) {
            if let Some(byte) = token_col(l, v) {
                return (i + 1, l[..byte].chars().count() + 1);
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

/// The site path (no leading `/`, no query) a link in the page at `own`
/// (e.g. `/briefs/a/`) leads to, if it stays on the site.
fn site_path(base_url: &str, base_path: &str, own: &str, url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let absolute = if let Some(rest) = url.strip_prefix(base_url.trim_end_matches('/')) {
        format!("/{}", rest.trim_start_matches('/'))
    } else if url.contains(':') || url.starts_with("//") {
        return None;
    } else if let Some(rooted) = url.strip_prefix('/') {
        // A root-relative link may or may not carry the base path.
        let rooted = format!("/{rooted}");
        match rooted.strip_prefix(base_path.trim_end_matches('/')) {
            Some(rest) if base_path != "/" && rest.starts_with('/') => rest.to_string(),
            _ => rooted,
        }
    } else if url.is_empty() {
        return None;
    } else {
        format!("{own}{url}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let decoded = percent_encoding::percent_decode_str(&parts.join("/"))
        .decode_utf8_lossy()
        .into_owned();
    Some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_the_linking_page() {
        let base = "https://example.org/minerals/";
        let bp = "/minerals/";
        let at = |url| site_path(base, bp, "/briefs/a/", url);
        assert_eq!(at("../b/").as_deref(), Some("briefs/b"));
        assert_eq!(
            at("../../briefs/b/index.html").as_deref(),
            Some("briefs/b/index.html")
        );
        assert_eq!(at("/minerals/briefs/b/").as_deref(), Some("briefs/b"));
        assert_eq!(at("/briefs/b").as_deref(), Some("briefs/b"));
        assert_eq!(
            at("https://example.org/minerals/memos/b.pdf").as_deref(),
            Some("memos/b.pdf")
        );
        assert_eq!(at("https://other.org/briefs/b/"), None);
        assert_eq!(at("mailto:x@y.z"), None);
        assert_eq!(at("#top"), None);
    }

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
    fn locate_finds_values_after_their_key() {
        let text = "title: ussm\ndeals: [ussm-fwo, ussm]\n";
        assert_eq!(locate(text, "deals", Some("ussm")), (2, 19));
        assert_eq!(locate(text, "deals", None), (2, 1));
        let block = "deals:\n  - a\n  - bad\n";
        assert_eq!(locate(block, "deals", Some("bad")), (3, 5));
    }

    #[test]
    fn phones_normalise_to_e164() {
        let pk = "PK".parse::<rlibphonenumber::Region>().ok();
        // (input, E.164, international form); the same results
        // `phonenumber` 0.3.10 gave.
        for (input, e164, intl) in [
            ("+92 333 1717170", "+923331717170", "+92 333 1717170"),
            ("0333 1717170", "+923331717170", "+92 333 1717170"),
            ("0092-300-2048048", "+923002048048", "+92 300 2048048"),
            ("0300-1234567", "+923001234567", "+92 300 1234567"),
            ("03001234567", "+923001234567", "+92 300 1234567"),
            // Pakistani landlines: Islamabad, Lahore, a Karachi UAN.
            ("051 2345678", "+92512345678", "+92 51 2345678"),
            ("+92 51 2345678", "+92512345678", "+92 51 2345678"),
            ("042 35761234", "+924235761234", "+92 42 35761234"),
            ("+92 42 35761234", "+924235761234", "+92 42 35761234"),
            (
                "0092 21 111 222 333",
                "+9221111222333",
                "+92 21 111 222 333",
            ),
            // US and UK numbers.
            ("+1 (202) 555-0143", "+12025550143", "+1 202-555-0143"),
            ("+1 212 555 1234", "+12125551234", "+1 212-555-1234"),
            ("+1 650 253 0000", "+16502530000", "+1 650-253-0000"),
            ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
            // An extension is kept in the display form, not in E.164.
            (
                "+1 415-555-2671 ext. 123",
                "+14155552671",
                "+1 415-555-2671 ext. 123",
            ),
            (
                "+92 51 2345678 x 45",
                "+92512345678",
                "+92 51 2345678 ext. 45",
            ),
        ] {
            let got = normalise_phone(input, pk).unwrap();
            assert_eq!((got.0.as_str(), got.1.as_str()), (e164, intl), "{input}");
        }
        for bad in [
            "12345",
            "call me",
            "+92 333 171717",
            "+92 333 17171700",
            "+1 (123) 456-7890",
            // A US number written nationally reads as Pakistani.
            "(202) 555-0143",
        ] {
            assert!(normalise_phone(bad, pk).is_err(), "{bad}");
        }
        // Without a default country a national number cannot be read.
        assert!(normalise_phone("0333 1717170", None).is_err());
        assert!(normalise_phone("+92 333 1717170", None).is_ok());
    }

    #[test]
    fn asset_paths_stay_in_content() {
        let md = Path::new("content/briefs/a.md");
        assert_eq!(
            asset_key(md, "../assets/map.png").as_deref(),
            Some("assets/map.png")
        );
        assert_eq!(
            asset_key(md, "/assets/map.png").as_deref(),
            Some("assets/map.png")
        );
        assert_eq!(asset_key(md, "../../../etc/passwd"), None);
    }
}
