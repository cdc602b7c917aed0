//! The brochure website: builds view structs, renders every page through
//! Tera, and makes the feed, sitemap, vCards and hosting files — all as
//! in-memory artifacts. Confidential briefs never reach any of them.

pub mod files;
pub mod views;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::content::{Brief, Project};
use crate::error::Error;
use crate::markdown::{self, HtmlContext};
use crate::output::Artifact;
use crate::theme::Theme;
use crate::values::Date;
use files::{FeedEntry, SitemapEntry};
use views::*;

/// What the site should link to besides its own pages.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Slugs of public briefs whose memo PDF is published in `memos/`.
    pub memos: Vec<String>,
}

struct Ctx<'a> {
    project: &'a Project,
    urls: &'a Urls,
    /// Asset path (`assets/map.png`) → its fingerprinted path.
    assets: &'a BTreeMap<String, String>,
}

impl HtmlContext for Ctx<'_> {
    fn data_table(&self, id: &str) -> Option<String> {
        self.project.data.get(id).map(files::data_table_html)
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

/// Short content hash for fingerprinted file names.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// `dir/name.ext` → `dir/name.<hash>.ext`.
fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{}.{ext}", fingerprint(bytes)),
        _ => format!("{file}.{}", fingerprint(bytes)),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

/// JSON for a `<script type="application/ld+json">`: `<` is escaped so the
/// content can never close the script element.
fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Renders the whole site.
pub fn render(
    project: &Project,
    theme: &Theme,
    opts: &SiteOptions,
) -> Result<Vec<Artifact>, Error> {
    let urls = Urls::new(&project.site.base_url);
    let tera = theme.tera()?;
    let mut artifacts: Vec<Artifact> = Vec::new();

    // Static files and images are fingerprinted, so hosts may cache them
    // for a year (see `_headers`).
    let mut static_urls: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        let bytes: Vec<u8> = if name.ends_with(".css") {
            String::from_utf8_lossy(bytes)
                .replace(
                    "--brand-primary: #12355b",
                    &format!("--brand-primary: {}", theme.config.color("primary").0),
                )
                .replace(
                    "--brand-accent: #b4914b",
                    &format!("--brand-accent: {}", theme.config.color("accent").0),
                )
                .into_bytes()
        } else {
            bytes.as_slice().to_vec()
        };
        let published = fingerprinted(&format!("static/{name}"), &bytes);
        static_urls.insert(name.clone(), urls.path(&published));
        artifacts.push(Artifact::new(&published, bytes));
    }
    // Assets referenced by public briefs and pages, and the share picture,
    // are published (fingerprinted); a confidential brief's images stay
    // private, and unused files are not even read.
    let share_key = project.site.brand.image.as_deref().and_then(|image| {
        crate::content::validate::asset_key(std::path::Path::new("content/site.yaml"), image)
    });
    let mut used: BTreeSet<String> = share_key.iter().cloned().collect();
    for (body, path) in project
        .public_briefs()
        .map(|b| (&b.body, &b.path))
        .chain(project.pages.iter().map(|p| (&p.body, &p.path)))
    {
        for r in markdown::references(body) {
            if let markdown::Reference::Image { src, .. } = r {
                used.extend(crate::content::validate::asset_key(path, &src));
            }
        }
    }
    let mut asset_paths: BTreeMap<String, String> = BTreeMap::new();
    for a in project.assets.iter().filter(|a| used.contains(&a.rel)) {
        let bytes = std::fs::read(&a.abs).map_err(|e| Error::io(&a.abs, "read asset", &e))?;
        let published = fingerprinted(&a.rel, &bytes);
        artifacts.push(Artifact::new(&published, bytes));
        asset_paths.insert(a.rel.clone(), published);
    }
    let css_url = static_urls.get("style.css").cloned().unwrap_or_default();
    let favicon_url = static_urls.get("favicon.svg").cloned().unwrap_or_default();
    let mut site = SiteView::new(project, &urls, css_url, favicon_url);
    site.primary = theme.config.color("primary").0.clone();
    site.accent = theme.config.color("accent").0.clone();
    if let Some(published) = share_key.and_then(|k| asset_paths.get(&k)) {
        site.share_image = urls.abs(published);
        site.share_image_alt = project.site.brand.image_alt.clone();
    }
    let ctx = Ctx {
        project,
        urls: &urls,
        assets: &asset_paths,
    };

    let organization = json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site.brand,
        "url": urls.base,
    });

    // Briefs, rendered once and reused by cards, pages and the feed.
    let public: Vec<&Brief> = project.public_briefs().collect();
    let rendered: Vec<markdown::Html> = public
        .par_iter()
        .map(|b| markdown::to_html(&b.body, &ctx))
        .collect();
    let has_memo = |b: &Brief| opts.memos.iter().any(|s| s == &b.slug);
    let cards: Vec<BriefCard> = public
        .iter()
        .zip(&rendered)
        .map(|(b, h)| BriefCard::new(b, project, &urls, h.words, has_memo(b)))
        .collect();
    let mut list_cards = cards.clone();
    for t in project.teasers() {
        list_cards.push(BriefCard::new(t, project, &urls, 0, false));
    }
    let deals: Vec<DealView> = project
        .deals
        .values()
        .map(|d| DealView::new(d, project, &urls))
        .collect();
    let mut deals_by_date = deals.clone();
    deals_by_date.sort_by(|a, b| {
        b.announced
            .cmp(&a.announced)
            .then_with(|| a.title.cmp(&b.title))
    });
    let figures: Vec<FigureView> = project
        .data
        .values()
        .flat_map(|d| {
            d.figures.iter().map(|f| FigureView {
                value: f.value.clone(),
                label: f.label.clone(),
                source: d.source.clone(),
                source_url: d.source_url.as_ref().map(|u| u.0.clone()),
                as_of: d.as_of.long(),
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

    // Every page is a (path, template, context) job rendered in parallel.
    struct Job {
        path: String,
        template: &'static str,
        ctx: tera::Context,
    }
    let page_ctx = |meta: Meta| {
        let mut c = tera::Context::new();
        c.insert("site", &site);
        c.insert("meta", &meta);
        c
    };
    let meta = |title: &str,
                description: &str,
                path: &str,
                og_type: &str,
                ld: serde_json::Value,
                section: &str| Meta {
        title: title.to_string(),
        description: description.to_string(),
        canonical: urls.abs(path),
        og_type: og_type.to_string(),
        noindex: false,
        json_ld: json_ld(&ld),
        section: if section.is_empty() {
            String::new()
        } else {
            urls.path(section)
        },
    };
    let mut jobs: Vec<Job> = Vec::new();
    let mut sitemap: Vec<SitemapEntry> = Vec::new();
    let newest = project.updated;

    let home_title = if site.tagline.is_empty() {
        site.title.clone()
    } else {
        format!("{} — {}", site.title, site.tagline)
    };
    let mut c = page_ctx(meta(
        &home_title,
        &site.description,
        "",
        "website",
        organization.clone(),
        "",
    ));
    c.insert("briefs", &list_cards);
    c.insert("deals", &deals_by_date);
    c.insert("figures", &figures);
    c.insert("figure_sources", &figure_sources);
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        ctx: c,
    });
    sitemap.push(SitemapEntry {
        path: String::new(),
        lastmod: newest,
    });

    let mut c = page_ctx(meta(
        "Briefs",
        &format!("Investor briefs from {}", site.brand),
        "briefs/",
        "website",
        organization.clone(),
        "briefs/",
    ));
    c.insert("briefs", &list_cards);
    jobs.push(Job {
        path: "briefs/index.html".into(),
        template: "briefs.html",
        ctx: c,
    });
    sitemap.push(SitemapEntry {
        path: "briefs/".into(),
        lastmod: public.first().map_or(newest, |b| b.front.date),
    });

    for (i, (b, html)) in public.iter().zip(&rendered).enumerate() {
        let path = format!("briefs/{}/", b.slug);
        let author = b.author.as_deref().and_then(|a| project.contacts.get(a));
        let ld = json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": b.front.title,
            "description": b.front.summary,
            "datePublished": b.front.date.iso(),
            "inLanguage": b.lang,
            "mainEntityOfPage": urls.abs(&path),
            "author": author.map(|a| json!({"@type": "Person", "name": a.name, "jobTitle": a.title})),
            "publisher": organization,
            "keywords": b.front.tags.join(", "),
        });
        let view = BriefView {
            card: cards[i].clone(),
            html: html.html.clone(),
            toc: html.toc.iter().filter(|t| t.level <= 3).cloned().collect(),
            deals: project
                .deals_of(b)
                .map(|d| DealView::new(d, project, &urls))
                .collect(),
            author: author.map(|a| ContactView::new(a, &urls)),
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
        let mut c = page_ctx(meta(
            &b.front.title,
            &b.front.summary,
            &path,
            "article",
            ld,
            "briefs/",
        ));
        c.insert("brief", &view);
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "brief.html",
            ctx: c,
        });
        sitemap.push(SitemapEntry {
            path,
            lastmod: b.front.date,
        });
    }

    let mut c = page_ctx(meta(
        "Deals",
        "Critical-minerals agreements, with status, parties, value and sources.",
        "deals/",
        "website",
        organization.clone(),
        "deals/",
    ));
    c.insert("deals", &deals_by_date);
    jobs.push(Job {
        path: "deals/index.html".into(),
        template: "deals.html",
        ctx: c,
    });
    sitemap.push(SitemapEntry {
        path: "deals/".into(),
        lastmod: project
            .deals
            .values()
            .filter_map(|d| d.announced)
            .max()
            .unwrap_or(newest),
    });

    for d in &deals {
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
        let mut c = page_ctx(meta(
            &d.title,
            &description,
            &path,
            "article",
            organization.clone(),
            "deals/",
        ));
        c.insert("deal", d);
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "deal.html",
            ctx: c,
        });
        let lastmod = project
            .deals
            .get(&d.id)
            .and_then(|x| x.announced)
            .unwrap_or(newest);
        sitemap.push(SitemapEntry { path, lastmod });
    }

    let contacts: Vec<ContactView> = project
        .contacts
        .values()
        .map(|c| ContactView::new(c, &urls))
        .collect();
    let persons: Vec<serde_json::Value> = project
        .contacts
        .values()
        .map(|c| {
            json!({
                "@type": "Person",
                "name": c.name,
                "jobTitle": c.title,
                "worksFor": {"@type": "Organization", "name": c.organization},
                "email": c.email,
                "telephone": c.phones.first().map(|p| p.e164.clone()),
                "contactPoint": c.phones.iter().map(|p| json!({
                    "@type": "ContactPoint",
                    "telephone": p.e164,
                    "contactType": p.label.clone().unwrap_or_else(|| "sales".into()),
                    "availableLanguage": c.languages,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ld = json!({"@context": "https://schema.org", "@graph": persons});
    let mut c = page_ctx(meta(
        "Contact",
        &format!("Contact {} by phone, WhatsApp or e-mail.", site.brand),
        "contact/",
        "website",
        ld,
        "contact/",
    ));
    c.insert("contacts", &contacts);
    jobs.push(Job {
        path: "contact/index.html".into(),
        template: "contact.html",
        ctx: c,
    });
    sitemap.push(SitemapEntry {
        path: "contact/".into(),
        lastmod: newest,
    });
    for contact in project.contacts.values() {
        artifacts.push(Artifact::new(
            format!("contacts/{}.vcf", contact.id),
            files::vcard(contact),
        ));
    }

    for p in &project.pages {
        let path = format!("{}/", p.slug);
        let html = markdown::to_html(&p.body, &ctx);
        let view = PageView {
            title: p.front.title.clone(),
            html: html.html,
        };
        let mut c = page_ctx(meta(
            &p.front.title,
            &p.front.description,
            &path,
            "website",
            organization.clone(),
            &path,
        ));
        c.insert("page", &view);
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "page.html",
            ctx: c,
        });
        sitemap.push(SitemapEntry {
            path,
            lastmod: newest,
        });
    }

    let mut m = meta(
        "Page not found",
        "",
        "404.html",
        "website",
        organization.clone(),
        "",
    );
    m.noindex = true;
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        ctx: page_ctx(m),
    });

    let pages: Vec<Result<Artifact, Error>> = jobs
        .into_par_iter()
        .map(|job| {
            tera.render(job.template, &job.ctx)
                .map(|html| Artifact::new(job.path, html.into_bytes()))
                .map_err(|e| theme.template_error(e))
        })
        .collect();
    for p in pages {
        artifacts.push(p?);
    }

    let feed: Vec<FeedEntry> = public
        .iter()
        .map(|b| FeedEntry {
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
    let feed_updated = public.first().map_or(newest, |b| b.front.date);
    artifacts.push(Artifact::new(
        "atom.xml",
        files::atom(project, &urls, &feed, feed_updated),
    ));
    artifacts.push(Artifact::new(
        "sitemap.xml",
        files::sitemap(&urls, &sitemap),
    ));
    artifacts.push(Artifact::new("robots.txt", files::robots(&urls)));
    artifacts.push(Artifact::new("_headers", files::headers(&urls)));
    artifacts.push(Artifact::new(".nojekyll", Vec::new()));
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(artifacts)
}

/// Dates for the site never come from the clock.
pub fn build_date(project: &Project) -> Date {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(Date::from_unix)
        .unwrap_or(project.updated)
}
