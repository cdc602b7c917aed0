//! Loading a project: walk `content/`, parse every file into typed structs,
//! resolve references and collect every problem. Loading never renders.

pub mod links;
pub mod model;
pub mod read;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::config::SiteConfig;
use crate::error::{Diagnostics, Error, Kind};
use crate::values::{is_slug, Date};

pub use model::*;
use read::{read_text, split_front_matter, stem, Entry};

/// A loaded, validated project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project root (holds `content/`).
    pub root: PathBuf,
    pub site: SiteConfig,
    /// Newest first, then by slug; in the site's main language or any
    /// other not translating a brief.
    pub briefs: Vec<Brief>,
    /// Translations of briefs (`briefs/<slug>.<lang>.md`), newest first.
    pub translations: Vec<Brief>,
    pub deals: BTreeMap<String, Deal>,
    pub contacts: BTreeMap<String, Contact>,
    /// By slug.
    pub pages: Vec<Page>,
    pub data: BTreeMap<String, DataTable>,
    pub assets: Vec<Asset>,
    /// The newest date in the content: the build date used for feeds and
    /// sitemaps unless `SOURCE_DATE_EPOCH` is set.
    pub updated: Date,
    /// Every character beyond ASCII that the content files use: what the
    /// site's web fonts must cover.
    pub chars: BTreeSet<char>,
}

/// What to load.
#[derive(Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// Keep drafts (they are always validated).
    pub drafts: bool,
    /// Bodies parsed by an earlier load, taken when unchanged.
    pub parses: Option<&'a crate::markdown::ParseCache>,
    /// Texts read by an earlier load, taken when their files are unchanged.
    pub texts: Option<&'a crate::files::TextCache>,
}

/// Loads and validates the project at `root`. On success returns the
/// project and any warnings; on failure every problem found.
pub fn load(root: &Path, opts: LoadOptions) -> Result<(Project, Diagnostics), Diagnostics> {
    load_for(root, opts, None)
}

/// As [`load`], for a site built at `base_url` instead of the `base_url` of
/// site.yaml (already checked to be an http(s) address): links and
/// placeholders are checked for the address the site will have.
pub fn load_for(
    root: &Path,
    opts: LoadOptions,
    base_url: Option<&str>,
) -> Result<(Project, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    if !root.is_dir() {
        // A wrong --root is a usage problem (exit 2), not bad content.
        return Err(Error::msg(
            Kind::Io,
            format!(
                "`{}` is not a folder: give --root a project folder",
                root.display()
            ),
        )
        .into());
    }
    if !root.join("content").is_dir() {
        diags.push(
            Error::in_file(
                "content",
                format!("no `content/` folder in `{}`", root.display()),
            )
                .with_hint("run orepress in a project folder, pass --root, or create one with `orepress new DIR`"),
        );
        return Err(diags);
    }
    // Files are read and parsed in parallel; the results are merged in
    // walk order, so what is kept and what is reported does not depend on
    // the number of threads. Meanwhile, where there are contact cards, the
    // phone number library sets itself up (some milliseconds) for their
    // numbers.
    let phones_ahead = root.join("content/contacts").is_dir();
    let ((walk_problems, loaded), ()) = rayon::join(
        || {
            use rayon::prelude::*;
            let (entries, walk_problems) = read::walk(root);
            let loaded: Vec<Loaded> = entries
                .into_par_iter()
                .with_max_len(crate::PAR_LEAF)
                .map(|entry| load_entry(root, entry, opts))
                .collect();
            if let Some(cache) = opts.parses {
                cache.finish_load();
            }
            if let Some(cache) = opts.texts {
                cache.finish_load();
            }
            (walk_problems, loaded)
        },
        || {
            if phones_ahead {
                validate::prepare_phones();
            }
        },
    );
    diags.extend(walk_problems);

    let mut site: Option<SiteConfig> = None;
    let mut briefs = Vec::new();
    let mut deals = Vec::new();
    let mut contacts = Vec::new();
    let mut pages = Vec::new();
    let mut data = Vec::new();
    let mut assets = Vec::new();
    let mut texts: HashMap<PathBuf, Arc<String>> = HashMap::with_capacity(loaded.len());
    // Ids of files that could not be read: references to them are not
    // reported again as unknown.
    let mut broken = validate::Broken::default();
    let mut broken_refs: Vec<(PathBuf, BriefRefs)> = Vec::new();

    for l in loaded {
        if let Some((path, text)) = l.text {
            texts.insert(path, text);
        }
        diags.extend(l.extra);
        if let Some(e) = l.problem {
            diags.push(e);
        }
        match l.item {
            Item::Nothing => {}
            Item::Asset(a) => assets.push(a),
            Item::Site(s) => site = Some(*s),
            Item::Brief(b) => briefs.push(*b),
            Item::Page(p) => pages.push(*p),
            Item::Deal(d) => deals.push(*d),
            Item::Contact(c) => contacts.push(*c),
            Item::Data(d) => data.push(*d),
            Item::BrokenDeal(path) => {
                broken.deals.insert(stem(&path));
                broken.files.insert(links::content_rel(&path));
            }
            Item::BrokenContact(path) => {
                broken.contacts.insert(stem(&path));
                broken.files.insert(links::content_rel(&path));
            }
            Item::BrokenData(id) => {
                broken.data.insert(id);
            }
            Item::BrokenDoc(path, refs) => {
                broken.files.insert(links::content_rel(&path));
                if let Some(refs) = refs {
                    broken_refs.push((path, refs));
                }
            }
        }
    }

    let site = match site {
        Some(mut s) => {
            if let Some(url) = base_url {
                s.base_url = url.to_string();
            }
            s
        }
        None => {
            // A site file that is there but could not be read (not UTF-8,
            // a named pipe) has its own problem: it is not also missing.
            let said = |p: &Path| p.ends_with("site.yaml") || p.ends_with("site.yml");
            let reported = diags.errors().any(|e| e.path.as_deref().is_some_and(said));
            if !texts.keys().any(|p| said(p)) && !reported {
                diags.push(
                    Error::in_file("content/site.yaml", "missing site settings")
                        .with_hint("create content/site.yaml with at least `title` and `base_url`"),
                );
            }
            diags.sort();
            return Err(diags);
        }
    };

    let mut v = validate::Validator::new(root, &site, &texts, &mut diags);
    v.broken = Arc::new(broken);
    let deals = v.unique("deal id", deals, |d| (d.id.clone(), d.path.clone()));
    let mut contacts = v.unique("contact id", contacts, |c| (c.id.clone(), c.path.clone()));
    let data = v.unique("data id", data, |d| (d.id.clone(), d.path.clone()));
    v.check_site();
    v.check_site_lengths();
    if let Some(id) = &site.contact {
        v.check_contact_ref(Path::new("content/site.yaml"), "contact", id, &contacts);
    }
    validate::prepare_phone_numbers(contacts.values(), &site);
    for c in contacts.values_mut() {
        v.check_contact(c);
        v.check_contact_lengths(c);
    }
    for d in deals.values() {
        v.check_deal(d);
        v.check_deal_lengths(d);
    }
    for d in data.values() {
        v.check_data(d);
        v.check_data_lengths(d);
    }
    let assets_by_rel: BTreeMap<String, Asset> =
        assets.into_iter().map(|a| (a.rel.clone(), a)).collect();
    v.check_share_image(&assets_by_rel);
    v.check_logo(&assets_by_rel);
    v.each_brief(&mut briefs, |v, b| {
        v.check_brief(b, &deals, &contacts, &data, &assets_by_rel);
        v.check_brief_lengths(b);
    });
    for (path, refs) in &broken_refs {
        v.check_broken_brief(path, refs, &deals, &contacts);
    }
    for p in &pages {
        v.check_page_lengths(p);
        v.check_markdown(
            &p.path,
            &p.body,
            &p.parsed,
            p.body_line,
            &data,
            &assets_by_rel,
        );
    }
    let mut translations = v.split_translations(&mut briefs);
    v.check_slugs(&briefs, &pages);
    let links = links::LinkIndex::new(&briefs, &pages, deals.values(), contacts.values());
    v.check_internal_links(&links, &briefs, &pages);
    v.check_internal_links(&links, &translations, &[]);
    v.check_confidential_links(&site.base_url, &links, &briefs, &pages);
    v.check_confidential_links(&site.base_url, &links, &translations, &[]);
    v.check_placeholders_left();
    let mut assets: Vec<Asset> = assets_by_rel.into_values().collect();
    if !diags.has_errors() {
        let all: Vec<&Brief> = briefs.iter().chain(&translations).collect();
        read_assets(&site, &all, &pages, &mut assets, &mut diags);
    }

    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    if !opts.drafts {
        briefs.retain(|b| !b.front.draft);
        translations.retain(|b| !b.front.draft);
        pages.retain(|p| !p.front.draft);
    }
    for list in [&mut briefs, &mut translations] {
        list.sort_by(|a, b| {
            b.front
                .date
                .cmp(&a.front.date)
                .then_with(|| a.slug.cmp(&b.slug))
        });
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    let updated = briefs
        .iter()
        .map(|b| b.front.date)
        .chain(data.values().map(|d| d.as_of))
        .chain(deals.values().filter_map(|d| d.announced))
        .max()
        .unwrap_or(Date(time::Date::MIN));
    let chars = {
        use rayon::prelude::*;
        texts
            .par_iter()
            .map(|(_, t)| t)
            .filter(|t| !t.is_ascii())
            .fold(BTreeSet::new, |mut set, t| {
                set.extend(t.chars().filter(|c| !c.is_ascii()));
                set
            })
            .reduce(BTreeSet::new, |mut a, b| {
                a.extend(b);
                a
            })
    };
    let project = Project {
        chars,
        root: root.to_path_buf(),
        site,
        briefs,
        translations,
        deals,
        contacts,
        pages,
        data,
        assets,
        updated,
    };
    diags.sort();
    Ok((project, diags))
}

/// What one file of `content/` gave: its text (kept for locating problems
/// later), what was parsed from it and the problem that stopped it.
struct Loaded {
    text: Option<(PathBuf, Arc<String>)>,
    item: Item,
    problem: Option<Error>,
    /// Problems found besides: unknown keys read past, so that the next
    /// problem of the same file is reported in the same run.
    extra: Vec<Error>,
}

enum Item {
    Nothing,
    Asset(Asset),
    Site(Box<SiteConfig>),
    Brief(Box<Brief>),
    Page(Box<Page>),
    Deal(Box<Deal>),
    Contact(Box<Contact>),
    Data(Box<DataTable>),
    /// Files that could not be read or parsed: a deal's and a contact
    /// card's path (links name them), a data table's id.
    BrokenDeal(PathBuf),
    BrokenContact(PathBuf),
    BrokenData(String),
    /// A brief or page that could not be read (its path), with what could
    /// be read of a brief's references.
    BrokenDoc(PathBuf, Option<BriefRefs>),
}

/// Reads and parses one file (runs on any thread).
fn load_entry(root: &Path, entry: Entry, opts: LoadOptions<'_>) -> Loaded {
    let parses = opts.parses;
    let parse = |body: &str| match parses {
        Some(cache) => cache.parse(body),
        None => std::sync::Arc::new(crate::markdown::parse(body)),
    };
    let mut out = Loaded {
        text: None,
        item: Item::Nothing,
        problem: None,
        extra: Vec::new(),
    };
    let path = match entry {
        Entry::Asset(path) => {
            let rel = path
                .components()
                .skip(1)
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let abs = root.join(&path);
            match std::fs::metadata(&abs) {
                Ok(m) if m.len() > read::MAX_ASSET_BYTES => {
                    out.problem = Some(Error::in_file(
                        &path,
                        format!(
                            "asset is too large ({} bytes; the limit is {} MiB)",
                            m.len(),
                            read::MAX_ASSET_BYTES >> 20
                        ),
                    ))
                }
                Ok(_) => {
                    out.item = Item::Asset(Asset {
                        rel,
                        abs,
                        bytes: Default::default(),
                        image: None,
                    })
                }
                Err(e) => out.problem = Some(Error::io(&path, "read asset", &e)),
            }
            return out;
        }
        Entry::Site(ref p)
        | Entry::Brief(ref p)
        | Entry::Page(ref p)
        | Entry::Deal(ref p)
        | Entry::Contact(ref p)
        | Entry::Data(ref p) => p.clone(),
    };
    let read = match opts.texts {
        Some(cache) => cache.read(&root.join(&path), &path),
        None => read_text(&root.join(&path), &path).map(Arc::new),
    };
    let text = match read {
        Ok(t) => t,
        Err(e) => {
            out.problem = Some(e);
            out.item = match entry {
                Entry::Deal(_) => Item::BrokenDeal(path.clone()),
                Entry::Contact(_) => Item::BrokenContact(path.clone()),
                Entry::Data(_) => Item::BrokenData(stem(&path)),
                Entry::Brief(_) | Entry::Page(_) => Item::BrokenDoc(path.clone(), None),
                _ => Item::Nothing,
            };
            return out;
        }
    };
    let parsed = match entry {
        Entry::Asset(_) => Ok(Item::Nothing),
        Entry::Site(_) => read_cached(parses, &path, &text, &mut out.extra, |extra| {
            read_all::<SiteConfig>(&path, &text, 1, extra)
        })
        .map(|s| Item::Site(Box::new(s))),
        Entry::Brief(_) => {
            let front = read_cached(parses, &path, &text, &mut out.extra, |extra| {
                parse_markdown::<BriefFront>(&path, &text, extra)
            });
            front.map(|(mut front, body, body_line)| {
                // Two spellings of one tag (`Due Diligence`, `due-diligence`)
                // are one page: the brief lists it once, as first written.
                let mut seen = std::collections::HashSet::new();
                front.tags.retain(|t| {
                    let slug = crate::values::tag_slug(t);
                    slug.is_empty() || seen.insert(slug)
                });
                // `<slug>.<lang>.md`, or `translation_of:`, is a translation.
                let file = stem(&path);
                let (base, suffix) = match file.rsplit_once('.') {
                    Some((b, l)) => (b.to_string(), Some(l.to_string())),
                    None => (file, None),
                };
                let translation = match (&front.translation_of, suffix) {
                    (_, Some(l)) => Some(l),
                    (Some(_), None) => Some(front.lang.clone().unwrap_or_default()),
                    (None, None) => None,
                };
                let slug = front
                    .translation_of
                    .clone()
                    .or_else(|| front.slug.clone())
                    .unwrap_or(base);
                Item::Brief(Box::new(Brief {
                    translation,
                    slug,
                    front,
                    path: path.clone(),
                    parsed: parse(&body),
                    body,
                    body_line,
                    author: None,
                    lang: String::new(),
                }))
            })
        }
        Entry::Page(_) => read_cached(parses, &path, &text, &mut out.extra, |extra| {
            parse_markdown::<PageFront>(&path, &text, extra)
        })
        .map(|(front, body, body_line)| {
            Item::Page(Box::new(Page {
                slug: front.slug.clone().unwrap_or_else(|| stem(&path)),
                front,
                path: path.clone(),
                parsed: parse(&body),
                body,
                body_line,
            }))
        }),
        Entry::Deal(_) => match read_cached(parses, &path, &text, &mut out.extra, |extra| {
            read_all::<Deal>(&path, &text, 1, extra)
        }) {
            Ok(mut d) => {
                if d.id.is_empty() {
                    d.id = stem(&path);
                }
                d.path = path.clone();
                Ok(Item::Deal(Box::new(d)))
            }
            Err(e) => {
                out.item = Item::BrokenDeal(path.clone());
                Err(e)
            }
        },
        Entry::Contact(_) => match read_cached(parses, &path, &text, &mut out.extra, |extra| {
            read_all::<Contact>(&path, &text, 1, extra)
        }) {
            Ok(mut c) => {
                if c.id.is_empty() {
                    c.id = stem(&path);
                }
                c.path = path.clone();
                Ok(Item::Contact(Box::new(c)))
            }
            Err(e) => {
                out.item = Item::BrokenContact(path.clone());
                Err(e)
            }
        },
        Entry::Data(_) => match read_cached(parses, &path, &text, &mut out.extra, |extra| {
            read_all::<DataTable>(&path, &text, 1, extra)
        }) {
            Ok(mut d) => {
                d.id = stem(&path);
                d.path = path.clone();
                Ok(Item::Data(Box::new(d)))
            }
            Err(e) => {
                out.item = Item::BrokenData(stem(&path));
                Err(e)
            }
        },
    };
    match parsed {
        Ok(item) => out.item = item,
        Err(e) => {
            out.problem = Some(e);
            match entry {
                Entry::Brief(_) => {
                    let refs = split_front_matter(&text, &path).ok().and_then(|split| {
                        crate::yaml::from_yaml::<BriefRefs>(&path, split.yaml, split.yaml_line).ok()
                    });
                    out.item = Item::BrokenDoc(path.clone(), refs);
                }
                Entry::Page(_) => out.item = Item::BrokenDoc(path.clone(), None),
                _ => {}
            }
        }
    }
    out.text = Some((path, text));
    out
}

/// What `read` makes of the text of the file `path` (with the problems
/// it finds besides, added to `extra`): taken from `parses` when the file
/// held the same text at the last load (`serve`), not read again.
fn read_cached<T: Clone + Send + Sync + 'static>(
    parses: Option<&crate::markdown::ParseCache>,
    path: &Path,
    text: &str,
    extra: &mut Vec<Error>,
    read: impl FnOnce(&mut Vec<Error>) -> T,
) -> T {
    let run = || {
        let mut found = Vec::new();
        let value = read(&mut found);
        (value, found)
    };
    let (value, found) = match parses {
        Some(cache) => Arc::unwrap_or_clone(cache.file(path, text, run)),
        None => run(),
    };
    extra.extend(found);
    value
}

/// Front matter and body of a Markdown file; the body is the end of
/// `text`, shared rather than copied.
fn parse_markdown<T: DeserializeOwned>(
    path: &Path,
    text: &Arc<String>,
    extra: &mut Vec<Error>,
) -> Result<(T, crate::files::TextTail, usize), Error> {
    let split = split_front_matter(text, path)?;
    if split.yaml.trim().is_empty() {
        return Err(
            Error::at(path, 1, 1, "front matter is empty").with_hint("give at least `title`")
        );
    }
    let front = read_all::<T>(path, split.yaml, split.yaml_line, extra)?;
    let body = crate::files::TextTail::new(text.clone(), text.len() - split.body.len());
    Ok((front, body, split.body_line))
}

/// Reads YAML into `T` past unknown keys: the value when it could be read
/// (its problems go to `extra`), else the first problem (the others to
/// `extra`).
fn read_all<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
    extra: &mut Vec<Error>,
) -> Result<T, Error> {
    let (value, problems) = crate::yaml::from_yaml_all::<T>(path, text, first_line);
    let mut problems = problems.into_iter();
    match value {
        Some(v) => {
            extra.extend(problems);
            Ok(v)
        }
        None => {
            let first = problems
                .next()
                .unwrap_or_else(|| Error::in_file(path, "cannot read this file"));
            extra.extend(problems);
            Err(first)
        }
    }
}

/// Reads every asset something refers to, once, in parallel, and decodes
/// the pictures whose pixels are used (the share card is only checked):
/// the site and the memos take them from the project and never touch the
/// disk. Decoded pictures share a total pixel budget.
fn read_assets(
    site: &SiteConfig,
    briefs: &[&Brief],
    pages: &[Page],
    assets: &mut [Asset],
    diags: &mut Diagnostics,
) {
    use rayon::prelude::*;
    // Pictures whose pixels a memo or the site's picture sizes need: the
    // logo and those in texts. The share card is published as it is, so
    // it is only checked (unless a text shows it too).
    let mut pixels: BTreeSet<String> = BTreeSet::new();
    pixels.extend(validate::site_asset_key(site.brand.logo.as_deref()));
    let docs = briefs
        .iter()
        .map(|b| (&b.path, &b.parsed))
        .chain(pages.iter().map(|p| (&p.path, &p.parsed)));
    for (path, parsed) in docs {
        for r in &parsed.refs {
            if let crate::markdown::Reference::Image { src, .. } = r {
                pixels.extend(validate::asset_key(path, src));
            }
        }
    }
    let share = validate::site_asset_key(site.brand.image.as_deref());
    let used = |rel: &String| pixels.contains(rel) || share.as_ref() == Some(rel);
    let problems: Vec<Error> = assets
        .par_iter_mut()
        .with_max_len(1)
        .filter(|a| used(&a.rel))
        .filter_map(|a| {
            let shown = PathBuf::from("content").join(&a.rel);
            let bytes = match crate::files::read_regular(&a.abs) {
                Ok(b) => b,
                Err(e) => {
                    return Some(Error::io(&shown, "read asset", &e).with_kind(Kind::Content))
                }
            };
            let picture = bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8]);
            if !picture && validate::named_as_picture(&a.rel) {
                // Published as it was, it became an empty <img> on the
                // site and nothing in the memo.
                return Some(Error::in_file(
                    shown,
                    if bytes.is_empty() {
                        "this picture is an empty file".to_string()
                    } else {
                        "this file is named as a picture but is not a PNG or JPEG image".to_string()
                    },
                ));
            }
            if picture && pixels.contains(&a.rel) {
                match crate::image::decode(bytes.clone()) {
                    Ok(image) => a.image = Some(Arc::new(image)),
                    Err(m) => return Some(Error::in_file(shown, m)),
                }
            } else if picture {
                if let Err(m) = crate::image::check(&bytes) {
                    return Some(Error::in_file(shown, m));
                }
            }
            a.bytes = Arc::new(bytes);
            None
        })
        .collect();
    diags.extend(problems);
    let total: u64 = assets
        .iter()
        .filter_map(|a| a.image.as_ref())
        .map(|i| {
            let (w, h) = i.size();
            u64::from(w) * u64::from(h)
        })
        .sum();
    if total > crate::image::MAX_TOTAL_PIXELS {
        diags.push(Error::in_file(
            "content/assets",
            format!(
                "the pictures in use have {} million pixels together; the limit is {} million",
                total / 1_000_000,
                crate::image::MAX_TOTAL_PIXELS / 1_000_000
            ),
        ).with_hint("scale large photographs down: 2,000 pixels across is plenty for a memo or a web page"));
    }
}

impl Project {
    /// Briefs that may appear on the site (public ones).
    pub fn public_briefs(&self) -> impl Iterator<Item = &Brief> {
        self.briefs.iter().filter(|b| !b.front.confidential)
    }

    /// Confidential briefs whose title and summary may be shown.
    pub fn teasers(&self) -> impl Iterator<Item = &Brief> {
        self.briefs
            .iter()
            .filter(|b| b.front.confidential && b.front.teaser)
    }

    /// Data files the site may show: every one but those used only by
    /// confidential briefs (their key figures would tell what the brief
    /// is about).
    pub fn public_data(&self) -> BTreeMap<&str, &DataTable> {
        let uses = |parsed: &crate::markdown::Parsed| -> Vec<String> {
            parsed
                .refs
                .iter()
                .filter_map(|r| match r {
                    crate::markdown::Reference::DataTable { id, .. } => Some(id.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut public: BTreeSet<String> = BTreeSet::new();
        let mut secret: BTreeSet<String> = BTreeSet::new();
        for b in &self.briefs {
            let set = if b.front.confidential {
                &mut secret
            } else {
                &mut public
            };
            set.extend(uses(&b.parsed));
        }
        for p in &self.pages {
            public.extend(uses(&p.parsed));
        }
        self.data
            .iter()
            .filter(|(id, _)| public.contains(*id) || !secret.contains(*id))
            .map(|(id, d)| (id.as_str(), d))
            .collect()
    }

    /// The asset at `key` (`assets/map.png`).
    pub fn asset(&self, key: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.rel == key)
    }

    pub fn brief(&self, slug: &str) -> Option<&Brief> {
        self.briefs.iter().find(|b| b.slug == slug)
    }

    /// The translations of `slug` (each with its language).
    pub fn translations_of<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Brief> {
        self.translations.iter().filter(move |t| t.slug == slug)
    }

    /// The public translations into `lang`, newest first.
    pub fn public_translations<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Brief> {
        self.translations
            .iter()
            .filter(move |t| !t.front.confidential && t.translation.as_deref() == Some(lang))
    }

    /// The brief of `slug` in `lang`: its translation, or (for the main
    /// language) the brief itself.
    pub fn brief_in<'a>(&'a self, slug: &str, lang: Option<&str>) -> Option<&'a Brief> {
        match lang {
            None => self.brief(slug),
            Some(l) => self
                .translations
                .iter()
                .find(|t| t.slug == slug && t.translation.as_deref() == Some(l)),
        }
    }

    /// The default contact (site.yaml `contact`), or the first one.
    pub fn default_contact(&self) -> Option<&Contact> {
        self.site
            .contact
            .as_deref()
            .and_then(|id| self.contacts.get(id))
            .or_else(|| self.contacts.values().next())
    }

    /// Deals a brief references, in the brief's order.
    pub fn deals_of<'a>(&'a self, brief: &'a Brief) -> impl Iterator<Item = &'a Deal> {
        brief.front.deals.iter().filter_map(|id| self.deals.get(id))
    }

    /// Minerals of a brief: from its deals, then its tags, deduplicated.
    pub fn minerals_of(&self, brief: &Brief) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in self.deals_of(brief) {
            for m in &d.minerals {
                if !out.iter().any(|o| o.eq_ignore_ascii_case(m)) {
                    out.push(m.clone());
                }
            }
        }
        out
    }
}

/// The longest id or slug: it names a folder of the site, a memo and the
/// copies made of it (`copies/<slug>/NNN-<recipient>.pdf`), and file
/// systems refuse names past 255 bytes.
pub(crate) const MAX_ID_BYTES: usize = 100;

/// Ids and slugs must be plain: lowercase letters, digits and hyphens.
pub(crate) fn check_id(kind: &str, id: &str) -> Option<String> {
    if id.len() > MAX_ID_BYTES && is_slug(id) {
        let start: String = id.chars().take(24).collect();
        return Some(format!(
            "{kind} `{start}…` is {} characters long (at most {MAX_ID_BYTES}): it names files and folders of the output",
            id.chars().count()
        ));
    }
    (!is_slug(id)).then(|| {
        let like = crate::values::slugify(id);
        let example = if like.is_empty() {
            // Nothing Latin to keep (a file named in Urdu, say).
            let key = if kind == "slug" { "slug" } else { "id" };
            format!("name the file in Latin letters, or set `{key}:` in it")
        } else {
            format!("e.g. `{like}`")
        };
        format!("{kind} `{id}` is not a valid id: use lowercase letters, digits and hyphens ({example})")
    })
}
