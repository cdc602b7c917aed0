//! Rendering again only what changed (`serve`, on every save): what the
//! last render of the site was made from, so that the next one renders the
//! pages of the briefs whose bodies changed and takes every other page as
//! it was.
//!
//! A page is made from the project's settings, theme, deals, contacts,
//! data, plain pages, assets and every brief's front matter and reading
//! time (lists, cards, tags, the previous and next brief), and a brief's
//! page from its own body besides. When the first set is unchanged, only the
//! pages of the briefs whose bodies changed differ; else every page is
//! rendered again. Kept to a site in one language, without web fonts and
//! with absolute links: there, a page's HTML is final as rendered.

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
    /// The digest of everything but the briefs' bodies ([`inputs`]).
    inputs: u128,
    /// Each public brief's body digest, by slug.
    bodies: HashMap<String, u128>,
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

/// This render's inputs: the digest of everything but the bodies, and each
/// public brief's body digest.
pub(super) struct Inputs {
    inputs: u128,
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
    let mut h = Xxh3::new();
    let mut text = String::new();
    let mut field = |h: &mut Xxh3, name: &str, value: &dyn std::fmt::Debug| {
        text.clear();
        let _ = write!(text, "{name}\u{0}{value:?}\u{0}");
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    };
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
    for b in project.briefs.iter().chain(&project.translations) {
        field(
            &mut h,
            "brief",
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
    }
    let bodies = project
        .public_briefs()
        .map(|b| (b.slug.clone(), xxh3_128(b.body.as_bytes())))
        .collect();
    Inputs {
        inputs: h.digest128(),
        bodies,
    }
}

impl Inputs {
    /// The briefs whose pages must be made again when the last render was
    /// `last`; `None` when every page must be (more than bodies changed).
    pub(super) fn changed(&self, last: &LastPages) -> Option<HashSet<String>> {
        if last.inputs != self.inputs || last.bodies.len() != self.bodies.len() {
            return None;
        }
        let mut changed = HashSet::new();
        for (slug, digest) in &self.bodies {
            match last.bodies.get(slug) {
                Some(d) if d == digest => {}
                Some(_) => {
                    changed.insert(slug.clone());
                }
                None => return None,
            }
        }
        Some(changed)
    }

    /// The record of a render from these inputs.
    pub(super) fn record(
        self,
        pages: Vec<Recorded>,
        brief_html: BTreeMap<String, String>,
    ) -> LastPages {
        LastPages {
            inputs: self.inputs,
            bodies: self.bodies,
            pages,
            brief_html,
        }
    }
}

/// The site paths of `last`'s pages that a render making the pages of
/// `changed` again takes as they were.
pub(super) fn kept(last: &LastPages, changed: &HashSet<String>) -> Vec<PathBuf> {
    last.pages
        .iter()
        .filter(|p| !p.owner.as_deref().is_some_and(|o| changed.contains(o)))
        .map(|p| PathBuf::from(&p.file))
        .collect()
}
