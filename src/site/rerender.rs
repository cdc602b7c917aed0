//! Rendering again only what changed (`serve`, on every save): what the
//! last render of the site was made from, so that the next one renders the
//! pages of the briefs whose bodies changed and takes every other page as
//! it was.
//!
//! A page is made from the project's settings, theme, deals, contacts,
//! data, plain pages and assets, and the public briefs' order: when any of
//! these changed, every page is rendered again. A public brief's front
//! matter and reading time (its card) are on the home, deals' and contact
//! pages, on the page of the briefs' list that shows it, on its tags' and
//! deals' pages, on its own page, on its neighbours' (previous and next)
//! and on the pages of the briefs citing a deal it cites (the deal's list
//! of briefs): when a card changed, all of those are rendered again, and
//! the other pages stand. A brief's body is on its own page alone
//! (and in the feed, made again every time). Kept to a site in one
//! language, without web fonts and with absolute links: there, a page's
//! HTML is final as rendered.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::content::Project;
use crate::site::assets::Assets;
use crate::site::feeds::SitemapEntry;
use crate::site::views::SiteView;
use crate::theme::Theme;

/// What the last render of the site was made from, and its pages.
#[derive(Debug, Clone)]
pub struct LastPages {
    inputs: Inputs,
    /// The pages, in the order rendered: file, sitemap entry and the brief
    /// whose page it is.
    pub(super) pages: Vec<Recorded>,
    /// The public briefs' HTML for the feed (when it carries their text).
    pub(super) brief_html: BTreeMap<String, String>,
}

/// A page of the last render.
#[derive(Debug, Clone)]
pub(super) struct Recorded {
    pub(super) file: String,
    pub(super) sitemap: Option<SitemapEntry>,
    pub(super) owner: Option<String>,
}

/// A public brief's card digest, deals and tags.
type Card = (u128, Vec<String>, Vec<String>);

/// What a render is made from ([`inputs`]).
#[derive(Debug, Clone)]
pub(super) struct Inputs {
    /// The digest of everything but the public briefs.
    global: u128,
    /// The public briefs' slugs, in order.
    order: Vec<String>,
    /// Each public brief's card digest (front matter, reading time), the
    /// deals it cites and its tags (as in their pages' paths), by slug.
    cards: HashMap<String, Card>,
    /// Each public brief's body digest, by slug.
    bodies: HashMap<String, u128>,
}

/// The inputs of a render of `project`'s site in its one language.
pub(super) fn inputs(
    project: &Project,
    theme: &Theme,
    site: &SiteView,
    assets: &Assets,
    memos: &[String],
) -> Inputs {
    fn field(h: &mut Xxh3, name: &str, value: &dyn std::fmt::Debug) {
        // Debug writes a NUL in a string as `\0`: the NULs around a value
        // end it unambiguously.
        h.update(name.as_bytes());
        h.update(b"\0");
        hash_debug(h, value);
        h.update(b"\0");
    }
    // What every page depends on, and each public brief's card and body,
    // hashed on both cores.
    let global = || {
        let mut h = Xxh3::new();
        field(&mut h, "site", &project.site);
        field(&mut h, "site view", site);
        field(&mut h, "theme", &theme.config);
        field(&mut h, "templates", &theme.templates);
        field(&mut h, "labels", &theme.i18n);
        field(&mut h, "static", &assets.static_urls);
        field(&mut h, "assets", &assets.paths);
        field(&mut h, "variants", &assets.variants);
        field(&mut h, "memos", &memos);
        field(&mut h, "updated", &project.updated);
        field(&mut h, "deals", &project.deals);
        field(&mut h, "contacts", &project.contacts);
        field(&mut h, "data", &project.data);
        field(&mut h, "pages", &project.pages);
        // Briefs not public (teasers, drafts shown, translations) count whole.
        for b in project
            .briefs
            .iter()
            .filter(|b| b.front.confidential)
            .chain(&project.translations)
        {
            card(&mut h, b);
            field(&mut h, "body", &b.body);
        }
        h.digest128()
    };
    let briefs = || {
        use rayon::prelude::*;
        let public: Vec<&crate::content::Brief> = project.public_briefs().collect();
        public
            .par_iter()
            .with_max_len(crate::PAR_LEAF)
            .map(|b| {
                let mut one = Xxh3::new();
                card(&mut one, b);
                let tags = b
                    .front
                    .tags
                    .iter()
                    .map(|t| crate::values::tag_slug(t))
                    .collect();
                (
                    b.slug.clone(),
                    (one.digest128(), b.front.deals.clone(), tags),
                    xxh3_128(b.body.as_bytes()),
                )
            })
            .collect::<Vec<_>>()
    };
    let (global, briefs) = rayon::join(global, briefs);
    let mut order = Vec::with_capacity(briefs.len());
    let mut cards = HashMap::with_capacity(briefs.len());
    let mut bodies = HashMap::with_capacity(briefs.len());
    for (slug, card, body) in briefs {
        order.push(slug.clone());
        bodies.insert(slug.clone(), body);
        cards.insert(slug, card);
    }
    Inputs {
        global,
        order,
        cards,
        bodies,
    }
}

/// Adds `value`'s Debug text to `h` through a small buffer, never holding
/// it whole (the inputs of a site of 10,000 briefs are megabytes of it)
/// nor hashing it in the many small pieces Debug writes.
fn hash_debug(h: &mut Xxh3, value: &dyn std::fmt::Debug) {
    struct Hashing<'a> {
        h: &'a mut Xxh3,
        buf: Vec<u8>,
    }
    impl std::fmt::Write for Hashing<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if self.buf.len() + s.len() > self.buf.capacity() {
                self.h.update(&self.buf);
                self.buf.clear();
            }
            if s.len() > self.buf.capacity() {
                self.h.update(s.as_bytes());
            } else {
                self.buf.extend_from_slice(s.as_bytes());
            }
            Ok(())
        }
    }
    let mut w = Hashing {
        h,
        buf: Vec::with_capacity(4096),
    };
    let _ = write!(w, "{value:?}");
    w.h.update(&w.buf);
}

/// Adds what `b`'s card is made from to `h`.
fn card(h: &mut Xxh3, b: &crate::content::Brief) {
    hash_debug(
        h,
        &(
            &b.path,
            &b.slug,
            &b.lang,
            &b.translation,
            &b.author,
            &b.front,
            crate::site::views::reading_minutes(b.parsed.words),
        ),
    );
    h.update(b"\0");
}

impl Inputs {
    /// What to render after `last`: `None` when every page must be.
    pub(super) fn partial(&self, last: &LastPages) -> Option<Partial> {
        let was = &last.inputs;
        if was.global != self.global || was.order != self.order {
            return None;
        }
        let mut briefs = HashSet::new();
        let mut deals: HashSet<String> = HashSet::new();
        let mut tags: HashSet<String> = HashSet::new();
        let mut cards = Vec::new();
        for (i, slug) in self.order.iter().enumerate() {
            let (card, cited, tagged) = self.cards.get(slug)?;
            let (old_card, old_cited, old_tagged) = was.cards.get(slug)?;
            if card != old_card {
                // On the lists, its page and its neighbours', and the
                // pages of the briefs citing its deals, then or now.
                cards.push(i);
                briefs.insert(slug.clone());
                for j in [i.wrapping_sub(1), i + 1] {
                    if let Some(n) = self.order.get(j) {
                        briefs.insert(n.clone());
                    }
                }
                deals.extend(cited.iter().chain(old_cited).cloned());
                tags.extend(tagged.iter().chain(old_tagged).cloned());
            }
            if self.bodies.get(slug) != was.bodies.get(slug) {
                briefs.insert(slug.clone());
            }
        }
        if !deals.is_empty() {
            for (slug, (_, cited, _)) in &self.cards {
                if cited.iter().any(|d| deals.contains(d)) {
                    briefs.insert(slug.clone());
                }
            }
        }
        Some(Partial {
            briefs,
            others: !cards.is_empty(),
            cards,
            tags,
            deals,
        })
    }

    /// The record of a render from these inputs.
    pub(super) fn record(
        self,
        pages: Vec<Recorded>,
        brief_html: BTreeMap<String, String>,
    ) -> LastPages {
        LastPages {
            inputs: self,
            pages,
            brief_html,
        }
    }
}

/// The site paths of `last`'s pages that a render of `partial` (not
/// planning the pages other than the briefs') takes as they were.
pub(super) fn kept(last: &LastPages, partial: &Partial) -> Vec<PathBuf> {
    last.pages
        .iter()
        .filter(|p| {
            !p.owner
                .as_deref()
                .is_some_and(|o| partial.briefs.contains(o))
        })
        .map(|p| PathBuf::from(&p.file))
        .collect()
}

/// What to render of a site rendered before.
pub struct Partial {
    /// The briefs whose pages are rendered; the others' stand.
    pub briefs: HashSet<String>,
    /// The other pages are planned (else only the briefs'), and rendered
    /// but for the lists' pages that show none of these cards.
    pub others: bool,
    /// Where the briefs whose cards changed are in the order.
    pub cards: Vec<usize>,
    /// The tags (as in their pages' paths) and deals those cards are on,
    /// before and now: their pages are rendered.
    pub tags: HashSet<String>,
    pub deals: HashSet<String>,
}

impl Partial {
    /// Whether the page at `key` (not a brief's) is rendered again, the
    /// briefs' list showing `per` cards a page: the lists' pages that show
    /// a changed card, the pages of its tags and deals, and every page
    /// that is not a list of briefs, of one tag's or one deal's.
    pub(super) fn renders(&self, key: &str, per: usize) -> bool {
        if let Some(rest) = key.strip_prefix("briefs/") {
            let number = match rest {
                "" => Some(1),
                _ => rest
                    .strip_prefix("page/")
                    .and_then(|r| r.strip_suffix('/'))
                    .and_then(|n| n.parse::<usize>().ok()),
            };
            return match number {
                Some(n) => self.cards.iter().any(|i| i / per + 1 == n),
                None => true,
            };
        }
        if let Some(rest) = key.strip_prefix("tags/").filter(|r| !r.is_empty()) {
            let tag = rest.split('/').next().unwrap_or_default();
            return self.tags.contains(tag);
        }
        if let Some(rest) = key.strip_prefix("deals/").filter(|r| !r.is_empty()) {
            return self.deals.contains(rest.trim_end_matches('/'));
        }
        true
    }
}
