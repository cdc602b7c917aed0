//! Internal links: `[text](@/briefs/antimony-opportunity.md)` names the file
//! of a brief, deal, page or contact (relative to `content/`, as Zola's `@/`
//! does) and becomes the address of its page. [`LinkIndex::resolve`] is the
//! one resolution, for the site (`site/pages`), for validation, and for
//! memos to call.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Brief, Contact, Deal, Page, Project};
use crate::error::closest;

/// The prefix of an internal link.
pub const PREFIX: &str = "@/";

/// Where an internal link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Site path without the base path, e.g. `briefs/antimony-opportunity/`,
    /// with the link's `#fragment` when it has one.
    pub path: String,
    /// The slug of the brief, when the link names a confidential one (whose
    /// page does not exist).
    pub confidential_brief: Option<String>,
}

/// Why an internal link does not resolve, and the file probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub message: String,
    pub hint: String,
}

/// Every file an internal link may name (`briefs/x.md`, relative to
/// `content/`) and the page it becomes.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    targets: BTreeMap<String, (String, Option<String>)>,
}

/// `content/briefs/x.md` → `briefs/x.md`.
pub(crate) fn content_rel(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The file an internal link names (`briefs/x.md`) and its fragment;
/// `None` when `url` is not an internal (`@/`) link.
pub fn file_of(url: &str) -> Option<(&str, Option<&str>)> {
    let file = url.strip_prefix(PREFIX)?;
    let (file, fragment) = match file.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (file, None),
    };
    Some((file.trim_start_matches('/'), fragment))
}

impl LinkIndex {
    pub fn new<'a>(
        briefs: impl IntoIterator<Item = &'a Brief>,
        pages: impl IntoIterator<Item = &'a Page>,
        deals: impl IntoIterator<Item = &'a Deal>,
        contacts: impl IntoIterator<Item = &'a Contact>,
    ) -> LinkIndex {
        let mut targets = BTreeMap::new();
        for b in briefs {
            let secret = b.front.confidential.then(|| b.slug.clone());
            targets.insert(
                content_rel(&b.path),
                (format!("briefs/{}/", b.slug), secret),
            );
        }
        for p in pages {
            targets.insert(content_rel(&p.path), (format!("{}/", p.slug), None));
        }
        for d in deals {
            targets.insert(content_rel(&d.path), (format!("deals/{}/", d.id), None));
        }
        for c in contacts {
            // The contact page holds every card; each is anchored by its id.
            targets.insert(
                content_rel(&c.path),
                (format!("contact/#contact-{}", c.id), None),
            );
        }
        LinkIndex { targets }
    }

    /// For a link `url`: `None` when it is not an internal (`@/`) link,
    /// else where it leads or why it leads nowhere.
    pub fn resolve(&self, url: &str) -> Option<Result<Target, Unresolved>> {
        let (file, fragment) = file_of(url)?;
        Some(match self.targets.get(file) {
            Some((path, secret)) => {
                let path = match fragment {
                    // A contact's path has its own fragment already.
                    Some(frag) if !path.contains('#') => format!("{path}#{frag}"),
                    _ => path.clone(),
                };
                Ok(Target {
                    path,
                    confidential_brief: secret.clone(),
                })
            }
            None => {
                let near = closest(file, self.targets.keys().map(String::as_str), 1);
                let hint = match near.first() {
                    Some(best) => format!("did you mean `@/{best}`?"),
                    None if self.targets.is_empty() => {
                        "there is nothing to link to yet".to_string()
                    }
                    None => "name a file under content/, e.g. `@/briefs/<file>.md`, `@/deals/<file>.yaml`, `@/pages/<file>.md` or `@/contacts/<file>.yaml`".to_string(),
                };
                Err(Unresolved {
                    message: format!(
                        "internal link `{url}` leads nowhere: there is no content/{file}"
                    ),
                    hint,
                })
            }
        })
    }
}

impl Project {
    /// The internal links of this project (drafts included when loaded).
    pub fn link_index(&self) -> LinkIndex {
        LinkIndex::new(
            &self.briefs,
            &self.pages,
            self.deals.values(),
            self.contacts.values(),
        )
    }
}

/// Resolves a link written in a brief or page for a reader of `project`:
/// an internal link (`@/briefs/x.md`) becomes its site path without the base
/// path (`briefs/x/`); `None` for any other link or one that does not
/// resolve (validation has reported it). Memos can call this to turn
/// internal links into addresses on the published site.
pub fn resolve_internal_link(index: &LinkIndex, url: &str) -> Option<String> {
    match index.resolve(url)? {
        Ok(t) if t.confidential_brief.is_none() => Some(t.path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut targets = BTreeMap::new();
        targets.insert(
            "briefs/antimony-opportunity.md".to_string(),
            ("briefs/antimony/".to_string(), None),
        );
        targets.insert(
            "briefs/secret.md".to_string(),
            ("briefs/secret/".to_string(), Some("secret".to_string())),
        );
        LinkIndex { targets }
    }

    #[test]
    fn internal_links_resolve_to_slugs_with_fragments() {
        let i = index();
        assert_eq!(i.resolve("https://x.y/"), None);
        let t = i
            .resolve("@/briefs/antimony-opportunity.md#prices")
            .unwrap()
            .unwrap();
        assert_eq!(t.path, "briefs/antimony/#prices");
        assert_eq!(
            resolve_internal_link(&i, "@/briefs/antimony-opportunity.md").as_deref(),
            Some("briefs/antimony/")
        );
        assert_eq!(resolve_internal_link(&i, "@/briefs/secret.md"), None);
        let e = i
            .resolve("@/briefs/antimony-oportunity.md")
            .unwrap()
            .unwrap_err();
        assert!(e.hint.contains("@/briefs/antimony-opportunity.md"), "{e:?}");
    }
}
