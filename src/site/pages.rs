//! The pages of the site: home, briefs, deals, contact (with its vCards),
//! plain pages such as legal notices, and the 404 page — planned as
//! (file, template, context) jobs and rendered through Tera in parallel.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::content::{Brief, ColumnAlign, Contact, DataTable, Project};
use crate::error::Error;
use crate::markdown::{self, escape, HtmlContext};
use crate::output::Artifact;
use crate::present;
use crate::site::feeds::SitemapEntry;
use crate::site::seo::{self, Head};
use crate::site::views::*;
use crate::site::SiteOptions;
use crate::theme::Theme;

/// Markdown of briefs and pages, with data tables and published images.
struct Ctx<'a> {
    project: &'a Project,
    urls: &'a Urls,
    /// Asset path (`assets/map.png`) → its fingerprinted path.
    assets: &'a BTreeMap<String, String>,
}

impl HtmlContext for Ctx<'_> {
    fn data_table(&self, id: &str) -> Option<String> {
        self.project.data.get(id).map(data_table_html)
    }

    fn image_url(&self, src: &str) -> String {
        // Briefs and pages live in content/<kind>/: resolve like validation does.
        match crate::content::validate::asset_key(std::path::Path::new("content/briefs/x.md"), src)
        {
            Some(key) => self
                .assets
                .get(&key)
                .map(|p| self.urls.path(p))
                .unwrap_or_default(),
            None => String::new(),
        }
    }
}

/// A page to render: its file, template and context, and its sitemap entry
/// (none for pages search engines should not list).
pub struct Page {
    file: String,
    template: &'static str,
    ctx: tera::Context,
    pub sitemap: Option<SitemapEntry>,
}

/// Plans every page of the site, in sitemap order.
pub fn plan(
    project: &Project,
    site: &SiteView,
    urls: &Urls,
    assets: &BTreeMap<String, String>,
    opts: &SiteOptions,
) -> Vec<Page> {
    let ctx = Ctx {
        project,
        urls,
        assets,
    };

    // Briefs, rendered once and reused by cards and pages.
    let public: Vec<&Brief> = project.public_briefs().collect();
    let rendered: Vec<markdown::Html> = public
        .par_iter()
        .map(|b| markdown::html(&b.parsed.doc, &ctx))
        .collect();
    let memos: BTreeSet<&str> = opts.memos.iter().map(String::as_str).collect();
    let has_memo = |b: &Brief| memos.contains(b.slug.as_str());
    let cards: Vec<BriefCard> = public
        .iter()
        .zip(&rendered)
        .map(|(b, h)| BriefCard::new(b, project, urls, h.words, has_memo(b)))
        .collect();
    let mut list_cards = cards.clone();
    for t in project.teasers() {
        list_cards.push(BriefCard::new(t, project, urls, 0, false));
    }
    let deals: Vec<DealView> = project
        .deals
        .values()
        .map(|d| DealView::new(d, project, urls))
        .collect();
    let mut deals_by_date = deals.clone();
    deals_by_date.sort_by(|a, b| {
        b.announced
            .cmp(&a.announced)
            .then_with(|| a.title.cmp(&b.title))
    });

    let mut pages = Planner {
        project,
        urls,
        site,
        site_value: tera::Value::from_serializable(site),
        head: Head::new(urls, &site.brand),
        out: Vec::new(),
    };
    pages.home(&list_cards, &deals_by_date);
    pages.briefs(&public, &rendered, &cards, &list_cards, &deals);
    pages.deals(&deals, &deals_by_date);
    pages.contact();
    pages.plain(&ctx);
    pages.not_found();
    pages.out
}

/// Renders the planned pages in parallel; the first template error wins.
pub fn render(tera: &tera::Tera, theme: &Theme, pages: Vec<Page>) -> Result<Vec<Artifact>, Error> {
    pages
        .into_par_iter()
        .map(|page| {
            tera.render(page.template, &page.ctx)
                .map(|html| Artifact::new(page.file, html.into_bytes()))
                .map_err(|e| theme.template_error(e))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

struct Planner<'a> {
    project: &'a Project,
    urls: &'a Urls,
    site: &'a SiteView,
    /// `site` as a template value, made once: every page shares it.
    site_value: tera::Value,
    head: Head<'a>,
    out: Vec<Page>,
}

impl Planner<'_> {
    fn context(&self, meta: Meta) -> tera::Context {
        let mut c = tera::Context::new();
        c.insert_value("site", self.site_value.clone());
        c.insert("meta", &meta);
        c
    }

    fn push(&mut self, file: String, template: &'static str, ctx: tera::Context) {
        self.out.push(Page {
            file,
            template,
            ctx,
            sitemap: None,
        });
    }

    /// A page at site path `path` (`briefs/`, or empty for home), listed in
    /// the sitemap.
    fn push_listed(
        &mut self,
        path: String,
        template: &'static str,
        ctx: tera::Context,
        lastmod: crate::values::Date,
    ) {
        self.out.push(Page {
            file: format!("{path}index.html"),
            template,
            ctx,
            sitemap: Some(SitemapEntry { path, lastmod }),
        });
    }

    fn home(&mut self, list_cards: &[BriefCard], deals_by_date: &[DealView]) {
        let project = self.project;
        let figures: Vec<FigureView> = project
            .public_data()
            .into_values()
            .flat_map(|d| {
                d.figures.iter().map(|f| FigureView {
                    value: f.value.clone(),
                    label: f.label.clone(),
                    source: d.source.clone(),
                    source_url: d.source_url.as_ref().map(|u| u.0.clone()),
                    as_of: present::date(d.as_of),
                })
            })
            .collect();
        // Each source once, in the order first cited, under the figures.
        let mut figure_sources: Vec<SourceView> = Vec::new();
        for f in &figures {
            if !figure_sources.iter().any(|s| s.title == f.source) {
                figure_sources.push(SourceView {
                    title: f.source.clone(),
                    url: f.source_url.clone().unwrap_or_default(),
                    date: None,
                    date_long: Some(f.as_of.clone()),
                });
            }
        }
        let site = self.site;
        let title = if site.tagline.is_empty() {
            site.title.clone()
        } else {
            format!("{} — {}", site.title, site.tagline)
        };
        let meta = self.head.meta(
            &title,
            &site.description,
            "",
            "website",
            &self.head.organization,
            "",
        );
        let mut c = self.context(meta);
        c.insert("briefs", list_cards);
        c.insert("deals", deals_by_date);
        c.insert("figures", &figures);
        c.insert("figure_sources", &figure_sources);
        self.push_listed(String::new(), "index.html", c, project.updated);
    }

    fn briefs(
        &mut self,
        public: &[&Brief],
        rendered: &[markdown::Html],
        cards: &[BriefCard],
        list_cards: &[BriefCard],
        deals: &[DealView],
    ) {
        let (project, urls) = (self.project, self.urls);
        // Each deal's view is made once (it lists the briefs citing the
        // deal: a walk over every brief) and shared by its briefs' pages.
        let deal_views: BTreeMap<&str, &DealView> =
            deals.iter().map(|d| (d.id.as_str(), d)).collect();
        let meta = self.head.meta(
            "Briefs",
            &format!("Investor briefs from {}", self.site.brand),
            "briefs/",
            "website",
            &self.head.organization,
            "briefs/",
        );
        let mut c = self.context(meta);
        c.insert("briefs", list_cards);
        let lastmod = public.first().map_or(project.updated, |b| b.front.date);
        self.push_listed("briefs/".into(), "briefs.html", c, lastmod);

        for (i, (b, html)) in public.iter().zip(rendered).enumerate() {
            let path = format!("briefs/{}/", b.slug);
            let author = b.author.as_deref().and_then(|a| project.contacts.get(a));
            let ld = self.head.article(b, author, &path);
            let view = BriefView {
                card: cards[i].clone(),
                html: html.html.clone(),
                toc: html.toc.iter().filter(|t| t.level <= 3).cloned().collect(),
                deals: project
                    .deals_of(b)
                    .filter_map(|d| deal_views.get(d.id.as_str()).map(|v| (*v).clone()))
                    .collect(),
                author: author.map(|a| ContactView::new(a, urls)),
                // Newer brief first in the list: "previous" is the older one.
                prev: public.get(i + 1).map(|p| Link {
                    title: p.front.title.clone(),
                    url: urls.path(&format!("briefs/{}/", p.slug)),
                }),
                next: i.checked_sub(1).and_then(|j| public.get(j)).map(|p| Link {
                    title: p.front.title.clone(),
                    url: urls.path(&format!("briefs/{}/", p.slug)),
                }),
            };
            let meta = self.head.meta(
                &b.front.title,
                &b.front.summary,
                &path,
                "article",
                &ld,
                "briefs/",
            );
            let mut c = self.context(meta);
            c.insert("brief", &view);
            self.push_listed(path, "brief.html", c, b.front.date);
        }
    }

    fn deals(&mut self, deals: &[DealView], deals_by_date: &[DealView]) {
        let project = self.project;
        let newest = project.updated;
        let meta = self.head.meta(
            "Deals",
            "Critical-minerals agreements, with status, parties, value and sources.",
            "deals/",
            "website",
            &self.head.organization,
            "deals/",
        );
        let mut c = self.context(meta);
        c.insert("deals", deals_by_date);
        let lastmod = project
            .deals
            .values()
            .filter_map(|d| d.announced)
            .max()
            .unwrap_or(newest);
        self.push_listed("deals/".into(), "deals.html", c, lastmod);

        for d in deals {
            let path = format!("deals/{}/", d.id);
            let description = format!(
                "{}: {}{}",
                d.title,
                d.status_label,
                d.value
                    .as_ref()
                    .map(|v| format!(", {v}"))
                    .unwrap_or_default()
            );
            let meta = self.head.meta(
                &d.title,
                &description,
                &path,
                "article",
                &self.head.organization,
                "deals/",
            );
            let mut c = self.context(meta);
            c.insert("deal", d);
            let lastmod = project
                .deals
                .get(&d.id)
                .and_then(|x| x.announced)
                .unwrap_or(newest);
            self.push_listed(path, "deal.html", c, lastmod);
        }
    }

    fn contact(&mut self) {
        let project = self.project;
        let contacts: Vec<ContactView> = project
            .contacts
            .values()
            .map(|c| ContactView::new(c, self.urls))
            .collect();
        let meta = self.head.meta(
            "Contact",
            &format!("Contact {} by phone, WhatsApp or e-mail.", self.site.brand),
            "contact/",
            "website",
            &seo::people(project),
            "contact/",
        );
        let mut c = self.context(meta);
        c.insert("contacts", &contacts);
        self.push_listed("contact/".into(), "contact.html", c, project.updated);
    }

    /// Pages of `content/pages/`: about, legal notices and the like.
    fn plain(&mut self, ctx: &Ctx) {
        let project = self.project;
        for p in &project.pages {
            let path = format!("{}/", p.slug);
            let html = markdown::html(&p.parsed.doc, ctx);
            let view = PageView {
                title: p.front.title.clone(),
                html: html.html,
            };
            let meta = self.head.meta(
                &p.front.title,
                &p.front.description,
                &path,
                "website",
                &self.head.organization,
                &path,
            );
            let mut c = self.context(meta);
            c.insert("page", &view);
            self.push_listed(path, "page.html", c, project.updated);
        }
    }

    fn not_found(&mut self) {
        let mut meta = self.head.meta(
            "Page not found",
            "",
            "404.html",
            "website",
            &self.head.organization,
            "",
        );
        meta.noindex = true;
        let c = self.context(meta);
        self.push("404.html".into(), "404.html", c);
    }
}

/// A vCard for every contact, linked from the contact page.
pub fn vcards(project: &Project) -> Vec<Artifact> {
    project
        .contacts
        .values()
        .map(|c| Artifact::new(format!("contacts/{}.vcf", c.id), vcard(c)))
        .collect()
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
fn vcard(c: &Contact) -> String {
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
fn data_table_html(d: &DataTable) -> String {
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
        s.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            align_class(c.align),
            escape(&c.label)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in d.text_rows() {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = align_class(d.columns[i].align);
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
        present::date(d.as_of)
    ));
    s
}

fn align_class(align: ColumnAlign) -> &'static str {
    match align {
        ColumnAlign::Right => " class=\"num\"",
        ColumnAlign::Center => " class=\"center\"",
        ColumnAlign::Left => "",
    }
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
