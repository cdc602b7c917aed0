//! What readers and crawlers subscribe to or walk: the Atom feed of public
//! briefs and the sitemap of every indexable page.

use std::collections::BTreeMap;

use crate::content::Project;
use crate::markdown::escape;
use crate::output::Artifact;
use crate::present;
use crate::site::views::Urls;
use crate::values::Date;

/// An entry of the sitemap: a root-relative path and its last change.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Date,
    /// The page in every language (hreflang, absolute URL), itself
    /// included; empty when it has no translation.
    pub alternates: Vec<(String, String)>,
}

/// `sitemap.xml`, entries in the order given.
pub fn sitemap(urls: &Urls, entries: &[SitemapEntry]) -> Artifact {
    let xhtml = if entries.iter().any(|e| !e.alternates.is_empty()) {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    } else {
        ""
    };
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>\n");
    for e in entries {
        let mut links = String::new();
        for (lang, url) in &e.alternates {
            links.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                escape(lang),
                escape(url)
            ));
        }
        s.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n{links}  </url>\n",
            escape(&urls.abs(&e.path)),
            e.lastmod.iso()
        ));
    }
    s.push_str("</urlset>\n");
    Artifact::new("sitemap.xml", s)
}

/// An Atom feed entry.
struct FeedEntry {
    title: String,
    path: String,
    summary: String,
    date: Date,
    author: String,
    categories: Vec<String>,
    /// The brief's full text as HTML, absolute URLs (`feed.full_content`).
    content: Option<String>,
}

/// `atom.xml`: every public brief, newest first; with `feed.full_content`
/// each carries its text (`html`: slug → the brief's HTML).
pub fn atom(project: &Project, urls: &Urls, html: &BTreeMap<String, String>) -> Artifact {
    let full = project.site.feed.full_content;
    let entries: Vec<FeedEntry> = project
        .public_briefs()
        .map(|b| FeedEntry {
            content: html
                .get(&b.slug)
                .filter(|_| full)
                .map(|h| urls.absolute_html(h, Some(&format!("briefs/{}/", b.slug)))),
            title: b.front.title.clone(),
            path: format!("briefs/{}/", b.slug),
            summary: b.front.summary.clone(),
            date: b.front.date,
            author: b
                .author
                .as_deref()
                .and_then(|a| project.contacts.get(a))
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            categories: b.front.tags.clone(),
        })
        .collect();
    let updated = entries.first().map_or(project.updated, |e| e.date);
    Artifact::new("atom.xml", atom_xml(project, urls, &entries, updated))
}

fn atom_xml(project: &Project, urls: &Urls, entries: &[FeedEntry], updated: Date) -> String {
    let site = &project.site;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&site.language)
    ));
    s.push_str(&format!("  <title>{}</title>\n", escape(&site.title)));
    if !site.tagline.is_empty() {
        s.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&site.tagline)
        ));
    }
    s.push_str(&format!("  <id>{}</id>\n", escape(&urls.base)));
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&urls.abs("atom.xml"))
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&urls.base)
    ));
    s.push_str(&format!("  <updated>{}</updated>\n", updated.rfc3339()));
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(present::brand(site))
    ));
    s.push_str("  <generator>orepress</generator>\n");
    // Each entry written into the feed as it goes (writing to a String
    // cannot fail).
    use std::fmt::Write as _;
    for e in entries {
        let url = escape(&urls.abs(&e.path));
        let date = e.date.rfc3339();
        let _ = write!(
            s,
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    \
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    \
             <published>{date}</published>\n    <updated>{date}</updated>\n",
            escape(&e.title)
        );
        if !e.author.is_empty() {
            let _ = writeln!(s, "    <author><name>{}</name></author>", escape(&e.author));
        }
        for c in &e.categories {
            let _ = writeln!(s, "    <category term=\"{}\"/>", escape(c));
        }
        let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        if let Some(content) = &e.content {
            let _ = writeln!(
                s,
                "    <content type=\"html\">{}</content>",
                escape(content)
            );
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
