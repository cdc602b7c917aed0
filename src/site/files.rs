//! The files every static host expects besides pages: sitemap, robots.txt,
//! Atom feed, `_headers`, `.nojekyll`, and vCards.

use crate::content::{Contact, DataTable, Project};
use crate::markdown::escape;
use crate::site::views::Urls;
use crate::values::Date;

/// An entry of the sitemap: a root-relative path and its last change.
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Date,
}

pub fn sitemap(urls: &Urls, entries: &[SitemapEntry]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        s.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n  </url>\n",
            escape(&urls.abs(&e.path)),
            e.lastmod.iso()
        ));
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.abs("sitemap.xml")
    )
}

/// An Atom feed entry.
pub struct FeedEntry {
    pub title: String,
    pub path: String,
    pub summary: String,
    pub date: Date,
    pub author: String,
    pub categories: Vec<String>,
}

pub fn atom(project: &Project, urls: &Urls, entries: &[FeedEntry], updated: Date) -> String {
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
    let brand = if site.brand.name.is_empty() {
        &site.title
    } else {
        &site.brand.name
    };
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(brand)
    ));
    s.push_str("  <generator>orepress</generator>\n");
    for e in entries {
        let url = urls.abs(&e.path);
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        s.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&url)
        ));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            e.date.rfc3339()
        ));
        s.push_str(&format!("    <updated>{}</updated>\n", e.date.rfc3339()));
        if !e.author.is_empty() {
            s.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(&e.author)
            ));
        }
        for c in &e.categories {
            s.push_str(&format!("    <category term=\"{}\"/>\n", escape(c)));
        }
        s.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// Netlify / Cloudflare Pages headers: long cache for fingerprinted files,
/// the right type for vCards, no indexing of the 404 page or of vCards (a
/// phone number belongs on the contact page, not in search results).
pub fn headers(urls: &Urls) -> String {
    let r = &urls.root;
    format!(
        "{r}static/*\n  Cache-Control: public, max-age=31536000, immutable\n\n\
         {r}contacts/*\n  Content-Type: text/vcard; charset=utf-8\n  Content-Disposition: attachment\n  X-Robots-Tag: noindex\n\n\
         {r}404.html\n  X-Robots-Tag: noindex\n\n\
         {r}*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n"
    )
}

/// Escapes a vCard 3.0 text value.
fn vtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 2425), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// A vCard 3.0 for a contact, UTF-8, CRLF line ends.
pub fn vcard(c: &Contact) -> String {
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:3.0".to_string()];
    let mut words: Vec<&str> = c.name.split_whitespace().collect();
    let family = words.pop().unwrap_or("");
    lines.push(format!(
        "N:{};{};;;",
        vtext(family),
        vtext(&words.join(" "))
    ));
    lines.push(format!("FN:{}", vtext(&c.name)));
    if !c.organization.is_empty() {
        lines.push(format!("ORG:{}", vtext(&c.organization)));
    }
    if !c.title.is_empty() {
        lines.push(format!("TITLE:{}", vtext(&c.title)));
    }
    for (i, p) in c.phones.iter().enumerate() {
        let label = p.label.as_deref().unwrap_or("").to_ascii_lowercase();
        let kind = if label.contains("office") || label.contains("work") {
            "WORK,VOICE"
        } else {
            "CELL,VOICE"
        };
        let pref = if i == 0 { ",PREF" } else { "" };
        lines.push(format!("TEL;TYPE={kind}{pref}:{}", p.e164));
    }
    if let Some(e) = &c.email {
        lines.push(format!("EMAIL;TYPE=INTERNET,PREF:{}", vtext(e)));
    }
    if let Some(w) = &c.website {
        lines.push(format!("URL:{}", w.0));
    }
    if let Some(a) = &c.address {
        lines.push(format!("ADR;TYPE=WORK:;;{};;;;", vtext(a)));
    }
    let whatsapp: Vec<String> = c
        .phones
        .iter()
        .filter(|p| p.whatsapp)
        .map(|p| p.international.clone())
        .collect();
    let mut note = Vec::new();
    if !whatsapp.is_empty() {
        note.push(format!("WhatsApp: {}", whatsapp.join(", ")));
    }
    if !c.languages.is_empty() {
        note.push(format!("Languages: {}", c.languages.join(", ")));
    }
    if !note.is_empty() {
        lines.push(format!("NOTE:{}", vtext(&note.join(". "))));
    }
    lines.push("END:VCARD".to_string());
    lines.iter().map(|l| fold(l)).collect()
}

/// A data table as HTML, with caption and source (all values escaped).
pub fn data_table_html(d: &DataTable) -> String {
    let mut s = String::from("<figure class=\"data-table\"><div class=\"table-wrap\"><table>\n");
    let unit = d
        .unit
        .as_deref()
        .map(|u| format!(" <span class=\"unit\">({})</span>", escape(u)))
        .unwrap_or_default();
    s.push_str(&format!(
        "<caption>{}{unit}</caption>\n<thead><tr>",
        escape(&d.title)
    ));
    for c in &d.columns {
        let class = match c.align {
            crate::content::ColumnAlign::Right => " class=\"num\"",
            crate::content::ColumnAlign::Center => " class=\"center\"",
            crate::content::ColumnAlign::Left => "",
        };
        s.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            escape(&c.label)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in d.text_rows() {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = match d.columns[i].align {
                crate::content::ColumnAlign::Right => " class=\"num\"",
                crate::content::ColumnAlign::Center => " class=\"center\"",
                crate::content::ColumnAlign::Left => "",
            };
            s.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>\n<figcaption class=\"source\">Source: ");
    match &d.source_url {
        Some(u) => s.push_str(&format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            escape(&u.0),
            escape(&d.source)
        )),
        None => s.push_str(&escape(&d.source)),
    }
    s.push_str(&format!(
        ", as of <time datetime=\"{}\">{}</time>.</figcaption></figure>\n",
        d.as_of.iso(),
        d.as_of.long()
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcard_lines_fold_at_75_octets_with_crlf() {
        let long = "x".repeat(200);
        let folded = fold(&format!("NOTE:{long}"));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{}", line.len());
        }
        assert!(folded.ends_with("\r\n"));
    }

    #[test]
    fn vcard_escapes_text() {
        assert_eq!(vtext("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
