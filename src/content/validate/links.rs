//! Links, images and placeholders in Markdown bodies; internal links
//! (`@/…`) that must resolve; links from public pages to confidential briefs.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use super::super::links::LinkIndex;
use super::super::model::*;
use super::{known_list, resolve_asset, Validator};
use crate::error::{did_you_mean, Error};
use crate::markdown::{data_table_id, Reference};
use crate::values::{is_safe_link, too_long_url};

/// The links to a missing `#id` in one text that get a "did you mean"
/// hint (each is compared with every heading); later ones get the
/// general hint.
const MAX_ANCHOR_HINTS: usize = 20;

impl Validator<'_> {
    /// Links, images and data tables in a Markdown body starting at
    /// `body_line`, parsed as `parsed`.
    pub fn check_markdown(
        &mut self,
        path: &Path,
        body: &str,
        parsed: &crate::markdown::Parsed,
        body_line: usize,
        data: &BTreeMap<String, DataTable>,
        assets: &BTreeMap<String, Asset>,
    ) {
        // The references come in the text's order: each is located from
        // the one before.
        let mut locator = crate::error::Locator::new(body);
        let mut place = |offset: usize| {
            let (l, c) = locator.locate(offset);
            (l + body_line - 1, c)
        };
        self.check_placeholders(path, body, body_line);
        // Where a `#id` link may go; a link to none of them is compared
        // with every heading for a hint, so only the first few are (20,000
        // such links under 20,000 headings took minutes).
        let headings = crate::markdown::heading_ids(&parsed.doc);
        let known: HashSet<&str> = headings.iter().copied().collect();
        let mut hinted = 0;
        for r in parsed.refs.iter().cloned() {
            match r {
                Reference::Link { url, offset } => {
                    if let Some(msg) = too_long_url("link target", &url) {
                        let (l, c) = place(offset);
                        self.push(
                            Error::at(path, l, c, msg).with_hint("link to a shorter address"),
                        );
                    } else if !is_safe_link(&url) {
                        let (l, c) = place(offset);
                        self.push(
                            Error::at(path, l, c, format!("link target `{url}` is not allowed"))
                                .with_hint(
                                    "links may be https://, http://, mailto:, tel: or relative",
                                ),
                        );
                    } else if let Some(id) = url.strip_prefix('#').filter(|id| {
                        !id.is_empty()
                            && !id.starts_with("fn-")
                            && !id.starts_with("fnref-")
                            && !known.contains(id)
                    }) {
                        // A place in this very text that is not there: the
                        // link goes nowhere on the page and in the memo.
                        let (l, c) = place(offset);
                        let e = Error::at(
                            path,
                            l,
                            c,
                            format!("link to `#{id}`: no heading of this text has that id"),
                        );
                        hinted += 1;
                        let best = (hinted <= MAX_ANCHOR_HINTS)
                            .then(|| did_you_mean(id, headings.iter().copied()))
                            .flatten();
                        let e = match best {
                            Some(best) => e.with_hint(format!("did you mean `#{best}`?")),
                            None => e.with_hint(
                                "a heading's id is its text in lowercase, words joined by hyphens",
                            ),
                        };
                        self.push(e.warning());
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
                Reference::Refused { code, offset } => {
                    let (l, c) = place(offset);
                    let (what, hint) =
                        crate::files::refusal(char::from_u32(code).unwrap_or_default());
                    self.push(
                        Error::at(
                            path,
                            l,
                            c,
                            format!("this character reference makes U+{code:04X}, a {what}"),
                        )
                        .with_hint(hint),
                    );
                }
                Reference::UnclosedComment { offset } => {
                    let (l, c) = place(offset);
                    self.push(
                        Error::at(path, l, c, "HTML comment `<!--` is never closed").with_hint(
                            "end it with `-->`: unclosed, it would hide all the text after it",
                        ),
                    );
                }
                Reference::UndefinedNote { label, offset } => {
                    let (l, c) = place(offset);
                    self.push(
                        Error::at(
                            path,
                            l,
                            c,
                            format!("note mark `[^{label}]` has no note: it is shown as written"),
                        )
                        .with_hint(format!(
                            "define it on a line of its own: `[^{label}]: the note's text`"
                        ))
                        .warning(),
                    );
                }
                Reference::LongHeading { chars, offset } => {
                    let (l, c) = place(offset);
                    self.push(
                        Error::at(
                            path,
                            l,
                            c,
                            format!(
                                "heading of {chars} characters (at most {})",
                                crate::markdown::MAX_HEADING
                            ),
                        )
                        .with_hint(
                            "shorten it; a paragraph with `---` or `===` right under it is a heading too: leave a blank line before a rule",
                        ),
                    );
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
        // Most texts have none: one search instead of a walk of every line.
        if !body.contains("{{") {
            return;
        }
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
            let mut locator = crate::error::Locator::new(body);
            for r in refs {
                let Reference::Link { url, offset } = r else {
                    continue;
                };
                let offset = *offset;
                let unreadable = super::super::links::file_of(url)
                    .is_some_and(|(file, _)| self.broken.files.contains(file));
                if unreadable {
                    // The target's own problem is reported already.
                    continue;
                }
                if let Some(Err(why)) = links.resolve(url) {
                    let (l, c) = locator.locate(offset);
                    self.push(
                        Error::at(path, l + body_line - 1, c, why.message).with_hint(why.hint),
                    );
                }
            }
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
            let mut locator = crate::error::Locator::new(body);
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
                    let (l, c) = locator.locate(offset);
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
}
