//! The pages of the site: home, briefs, deals, contact (with its vCards),
//! plain pages such as legal notices, and the 404 page — planned as
//! (file, template, context) jobs and rendered through Tera in parallel.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use crate::content::{translated, Brief, Project};
use crate::error::Error;
use crate::markdown;
use crate::output::Artifact;
use crate::present;
use crate::site::feeds::SitemapEntry;
use crate::site::rerender::Partial;
use crate::site::seo::{self, Head};
use crate::site::views::*;
use crate::site::SiteOptions;
use crate::theme::Theme;

mod markup;

use markup::Ctx;

/// A page to render: its file, template and context, and its sitemap entry
/// (none for pages search engines should not list).
pub struct Page {
    pub file: String,
    template: &'static str,
    pub ctx: tera::Context,
    pub sitemap: Option<SitemapEntry>,
    /// The page's site path without its language's prefix (`briefs/x/`):
    /// the same page in another language has the same key.
    pub key: String,
    /// Rendered and handed on as it was planned ([`Now`]); `ctx` is empty.
    pub done: bool,
    /// The slug of the brief whose page this is (its body made it).
    pub owner: Option<String>,
    /// Not rendered: the last render's page stands ([`Partial`]).
    pub kept: bool,
    /// Bytes the page may write beyond [`MAX_PAGE_BYTES`]: four times its
    /// brief's own HTML (a 4 MB table is a 20 MB page, and no template
    /// loop went wrong).
    pub room: usize,
}

/// Pages queued on the planning thread before [`Now`] renders them.
const NOW_BATCH: usize = 64;

/// Renders each page as it is planned and hands it to `sink` (a build's
/// staging folder), so that a site of thousands of pages never holds
/// every page's context or HTML. Only where no later step changes a page:
/// a site in one language, whose pages get no language links and no web
/// font.
pub struct Now<'a> {
    pub tera: &'a tera::Tera,
    pub theme: &'a Theme,
    pub sink: crate::site::Sink<'a>,
    /// Make the page's URLs relative (`relative_urls`).
    pub relative: Option<&'a Urls>,
}

impl Now<'_> {
    fn emit(&self, page: &Page) -> Result<(), Error> {
        let (file, template) = (&page.file, page.template);
        let html = render_page(self.tera, template, &page.ctx, page.room)
            .map_err(|e| self.theme.template_error(e))?;
        let html = match self.relative {
            Some(urls) => crate::site::relative_page(urls, file, &html),
            None => html,
        };
        (self.sink)(Artifact::new(file, html.into_bytes()))
    }
}

/// Every page of the site, and each public brief's HTML (for the feed).
pub struct Plan {
    pub pages: Vec<Page>,
    /// Slug → the brief's rendered Markdown, with root-relative URLs.
    pub brief_html: BTreeMap<String, String>,
}

/// Plans every page of the site, in sitemap order; with `partial`, only
/// what it names (the last render's other pages stand).
#[allow(clippy::too_many_arguments)]
pub fn plan(
    project: &Project,
    site: &SiteView,
    urls: &Urls,
    assets: &crate::site::assets::Assets,
    opts: &SiteOptions,
    lang: &Lang,
    now: Option<&Now<'_>>,
    partial: Option<&Partial>,
) -> Result<Plan, Error> {
    let ctx = Ctx {
        project,
        urls,
        lang,
        assets: &assets.paths,
        variants: &assets.variants,
        links: project.link_index(),
    };

    // Each brief's words (counted when it was parsed), for the cards; its
    // HTML is made with its page.
    let public: Vec<&Brief> = if lang.main {
        project.public_briefs().collect()
    } else {
        project.public_translations(&lang.tag).collect()
    };
    let words: Vec<usize> = public.iter().map(|b| b.parsed.words).collect();
    let memos: BTreeSet<String> = opts.memos.iter().cloned().collect();
    let has_memo = |b: &Brief| memos.contains(&memo_stem(b));
    let cards: Vec<BriefCard> = public
        .par_iter()
        .with_max_len(crate::PAR_LEAF)
        .zip(&words)
        .map(|(b, &w)| BriefCard::new(b, project, urls, w, has_memo(b), lang))
        .collect();
    // The lists show the teasers of briefs to come after the briefs.
    let teasers: Vec<BriefCard> = if lang.main {
        project
            .teasers()
            .map(|t| BriefCard::new(t, project, urls, 0, false, lang))
            .collect()
    } else {
        Vec::new()
    };
    // The public briefs citing each deal, found in one pass over them.
    let mut citing: std::collections::HashMap<&str, Vec<&Brief>> = Default::default();
    for &b in &public {
        for d in &b.front.deals {
            let list = citing.entry(d.as_str()).or_default();
            // A brief that names a deal twice is listed once.
            if !list.last().is_some_and(|last| std::ptr::eq(*last, b)) {
                list.push(b);
            }
        }
    }
    let deals: Vec<DealView> = project
        .deals
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|d| {
            let briefs = citing.get(d.id.as_str()).map_or(&[][..], Vec::as_slice);
            DealView::new(d, briefs, urls, lang)
        })
        .collect();
    // Each deal made into a template value once, shared by the home page,
    // the list of deals, its own page and the pages of the briefs citing
    // it; rendering only some briefs' pages, only the deals they cite.
    let only = partial.map(|p| &p.briefs);
    let cited: Option<HashSet<&str>> = match partial {
        Some(Partial { others: false, .. }) => Some(
            public
                .iter()
                .filter(|b| only.is_some_and(|o| o.contains(b.slug.as_str())))
                .flat_map(|b| b.front.deals.iter().map(String::as_str))
                .collect(),
        ),
        _ => None,
    };
    let deal_values: BTreeMap<&str, tera::Value> = deals
        .par_iter()
        .filter(|d| cited.as_ref().is_none_or(|c| c.contains(d.id.as_str())))
        .map(|d| (d.id.as_str(), tera::Value::from_serializable(d)))
        .collect();

    let mut pages = Planner {
        project,
        urls,
        site,
        lang,
        site_value: tera::Value::from_serializable(site),
        labels_value: tera::Value::from_serializable(lang.labels),
        head: Head::new(urls, &site.brand),
        out: Vec::new(),
        flushed: 0,
        now,
        failed: std::sync::Mutex::new(None),
        partial,
    };
    // The feed carries the main language's briefs' HTML only when it
    // has their full text; otherwise each page takes its brief's HTML.
    let keep_html = lang.main && project.site.feed.full_content;
    if let Some(Partial { others: false, .. }) = partial {
        // The pages of the briefs named, and nothing else.
        let feed_html =
            pages.brief_pages(&public, &ctx, keep_html, &cards, &deal_values, only, false);
        return Ok(Plan {
            pages: pages.out,
            brief_html: feed_html.into_iter().collect(),
        });
    }
    let mut by_date: Vec<&DealView> = deals.iter().collect();
    by_date.sort_by(|a, b| {
        b.announced
            .cmp(&a.announced)
            .then_with(|| a.title.cmp(&b.title))
    });
    let deals_by_date = tera::Value::from(
        by_date
            .iter()
            .filter_map(|d| deal_values.get(d.id.as_str()).cloned())
            .collect::<Vec<_>>(),
    );
    pages.home(&cards, &teasers, &deals_by_date);
    // Cards and deals as template values, made once: a list page, a tag
    // page or a brief's page shares them rather than serialising its own.
    let list_values: Vec<tera::Value> = cards
        .par_iter()
        .chain(&teasers)
        .with_max_len(crate::PAR_LEAF)
        .map(tera::Value::from_serializable)
        .collect();
    let card_values = &list_values[..cards.len()];
    pages.briefs_list(&public, &list_values);
    let feed_html = pages.brief_pages(&public, &ctx, keep_html, &cards, &deal_values, only, true);
    // Tags, plain pages and the 404 page are in the main language.
    if lang.main {
        pages.tags(&public, card_values);
    }
    pages.deals(&deals, &deal_values, &deals_by_date);
    pages.contact();
    if lang.main {
        pages.plain(&ctx);
        pages.not_found();
    }
    pages.flush();
    if let Some(e) = pages.failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    Ok(Plan {
        pages: pages.out,
        brief_html: feed_html.into_iter().collect(),
    })
}

/// The most a template may write for one page (the home page of 10,000
/// briefs is 0.5 MB): a loop gone wrong (a list of every brief inside a
/// loop over every brief, say) is stopped there, not left to fill memory
/// and the disk.
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// `template` rendered with `ctx`, refused once it passes
/// [`MAX_PAGE_BYTES`] and `room` bytes more.
pub fn render_page(
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
    room: usize,
) -> Result<String, tera::Error> {
    /// The page's bytes, as Tera writes them, up to the limit.
    struct Capped {
        bytes: Vec<u8>,
        over: bool,
        limit: usize,
    }
    impl std::io::Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.bytes.len() + buf.len() > self.limit {
                self.over = true;
                return Err(std::io::Error::other("page too large"));
            }
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let limit = MAX_PAGE_BYTES.saturating_add(room);
    let mut page = Capped {
        bytes: Vec::with_capacity(16 << 10),
        over: false,
        limit,
    };
    crate::theme::new_page_budget();
    match tera.render_to(template, ctx, &mut page) {
        Err(_) if page.over => Err(tera::Error::message(format!(
            "`{template}` writes more than {} MiB for one page: is a loop inside another?",
            limit >> 20
        ))),
        Err(e) => Err(e),
        Ok(()) => String::from_utf8(page.bytes).map_err(|e| tera::Error::message(e.to_string())),
    }
}

/// Renders the planned pages in parallel; the first template error wins.
pub fn render(tera: &tera::Tera, theme: &Theme, pages: Vec<Page>) -> Result<Vec<Artifact>, Error> {
    pages
        .into_par_iter()
        .with_max_len(crate::PAR_LEAF)
        .filter(|page| !page.done)
        .map(|page| {
            render_page(tera, page.template, &page.ctx, page.room)
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
    lang: &'a Lang<'a>,
    /// `site` as a template value, made once: every page shares it.
    site_value: tera::Value,
    /// The labels (`t`) as a template value, made once and shared.
    labels_value: tera::Value,
    head: Head<'a>,
    out: Vec<Page>,
    /// Pages of `out` before this are finished (with [`Now`]).
    flushed: usize,
    now: Option<&'a Now<'a>>,
    /// The first page `now` could not render or hand on.
    failed: std::sync::Mutex<Option<Error>>,
    /// Pages not to render again (their last render stands).
    partial: Option<&'a Partial>,
}

impl Planner<'_> {
    fn context(&self, meta: Meta) -> tera::Context {
        let mut c = tera::Context::new();
        c.insert_value("site", self.site_value.clone());
        c.insert("meta", &meta);
        c.insert_value("t", self.labels_value.clone());
        c.insert("alternates", &Vec::<Alternate>::new());
        c.insert("languages", &Vec::<Alternate>::new());
        c
    }

    fn push(&mut self, file: String, template: &'static str, ctx: tera::Context) {
        self.queue(Page {
            key: file.clone(),
            file,
            template,
            ctx,
            sitemap: None,
            done: false,
            owner: None,
            room: 0,
            kept: false,
        });
    }

    /// Adds a page made on this thread; with [`Now`], pages are rendered
    /// and handed on in parallel batches, so at most a batch of contexts
    /// is held.
    /// Whether the page at `key` is rendered (not kept from the last
    /// render, [`Partial`]).
    fn renders(&self, key: &str) -> bool {
        let per = self.project.site.paginate_by.max(1);
        self.partial.is_none_or(|p| p.renders(key, per))
    }

    fn queue(&mut self, mut page: Page) {
        if !self.renders(&page.key) {
            page.ctx = tera::Context::new();
            page.done = true;
            page.kept = true;
        }
        self.out.push(page);
        if self.out.len() - self.flushed >= NOW_BATCH {
            self.flush();
        }
    }

    /// Renders and hands on the queued pages ([`Now`]), in parallel.
    fn flush(&mut self) {
        let from = self.flushed;
        self.flushed = self.out.len();
        if self.now.is_none() {
            return;
        }
        let mut pages = self.out.split_off(from);
        pages = pages
            .into_par_iter()
            .with_max_len(crate::PAR_LEAF)
            .map(|p| if p.done { p } else { self.finished(p) })
            .collect();
        self.out.extend(pages);
    }

    /// `page`, rendered and handed on now when pages are ([`Now`]).
    fn finished(&self, page: Page) -> Page {
        let Some(now) = self.now else {
            return page;
        };
        if let Err(e) = now.emit(&page) {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
        Page {
            ctx: tera::Context::new(),
            done: true,
            ..page
        }
    }

    /// A page at site path `path` (`briefs/`, or empty for home; without
    /// the language's prefix), listed in the sitemap.
    fn push_listed(
        &mut self,
        key: String,
        template: &'static str,
        ctx: tera::Context,
        lastmod: crate::values::Date,
    ) {
        let page = self.listed_page(key, template, ctx, lastmod);
        self.queue(page);
    }

    /// The page of [`Planner::push_listed`], not yet queued.
    fn listed_page(
        &self,
        key: String,
        template: &'static str,
        ctx: tera::Context,
        lastmod: crate::values::Date,
    ) -> Page {
        let path = self.lang.path(&key);
        Page {
            file: format!("{path}index.html"),
            template,
            ctx,
            sitemap: Some(SitemapEntry {
                path,
                lastmod,
                alternates: Vec::new(),
            }),
            key,
            done: false,
            owner: None,
            room: 0,
            kept: false,
        }
    }

    fn home(&mut self, cards: &[BriefCard], teasers: &[BriefCard], deals_by_date: &tera::Value) {
        let project = self.project;
        let lang = self.lang;
        let figures: Vec<FigureView> = project
            .public_data()
            .into_values()
            .flat_map(|d| {
                let tr = (!lang.main)
                    .then(|| translated(&d.translations, &lang.tag))
                    .flatten();
                d.figures.iter().enumerate().map(move |(i, f)| FigureView {
                    value: f.value.clone(),
                    label: tr
                        .and_then(|t| t.figures.as_ref())
                        .and_then(|l| l.get(i))
                        .unwrap_or(&f.label)
                        .clone(),
                    source: tr
                        .and_then(|t| t.source.clone())
                        .unwrap_or_else(|| d.source.clone()),
                    source_url: d.source_url.as_ref().map(|u| u.0.clone()),
                    as_of: present::date(d.as_of, lang.labels),
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
            &lang.prefix,
            "website",
            &self.head.organization,
            "",
        );
        let mut c = self.context(meta);
        let listed = cards.len() + teasers.len();
        let shown: Vec<&BriefCard> = cards
            .iter()
            .chain(teasers)
            .take(project.site.home_briefs)
            .collect();
        c.insert("briefs", &shown);
        c.insert("more_briefs", &(listed > shown.len()));
        c.insert_value("deals", deals_by_date.clone());
        c.insert("figures", &figures);
        c.insert("figure_sources", &figure_sources);
        self.push_listed(String::new(), "index.html", c, project.updated);
    }

    /// The list of briefs (`briefs/`, in pages).
    fn briefs_list(&mut self, public: &[&Brief], list_cards: &[tera::Value]) {
        let (project, lang) = (self.project, self.lang);
        let lastmod = public.first().map_or(project.updated, |b| b.front.date);
        let description = lang.tf("briefs_description", &[("brand", &self.site.brand)]);
        self.paginated(
            "briefs/",
            lang.t("briefs"),
            &description,
            "briefs.html",
            list_cards,
            lastmod,
            |_| {},
        );
    }

    /// The pages of the briefs of `public` (those in `only`, when given;
    /// with `placeholders`, the others as [`Page::kept`]), made (and with
    /// `now`, rendered) in parallel; with `keep_html`, the HTML of those
    /// made by slug (for the feed).
    #[allow(clippy::too_many_arguments)]
    fn brief_pages(
        &mut self,
        public: &[&Brief],
        ctx: &Ctx<'_>,
        keep_html: bool,
        cards: &[BriefCard],
        deal_views: &BTreeMap<&str, tera::Value>,
        only: Option<&HashSet<String>>,
        placeholders: bool,
    ) -> Vec<(String, String)> {
        let this = &*self;
        let (made, html): (Vec<Page>, Vec<Option<(String, String)>>) = public
            .par_iter()
            .with_max_len(crate::PAR_LEAF)
            .enumerate()
            .filter(|(_, b)| placeholders || only.is_none_or(|o| o.contains(b.slug.as_str())))
            .map(|(i, b)| {
                if only.is_some_and(|o| !o.contains(b.slug.as_str())) {
                    let key = format!("briefs/{}/", b.slug);
                    let mut page =
                        this.listed_page(key, "brief.html", tera::Context::new(), b.front.date);
                    page.owner = Some(b.slug.clone());
                    page.kept = true;
                    page.done = true;
                    return (page, None);
                }
                let mut html = markdown::html(&b.parsed.doc, ctx);
                let body = std::mem::take(&mut html.html);
                let room = body.len().saturating_mul(4);
                let kept = keep_html.then(|| body.clone());
                let (key, c) = this.brief_page(public, i, &html, body, cards, deal_views);
                let mut page = this.listed_page(key, "brief.html", c, b.front.date);
                page.owner = Some(b.slug.clone());
                page.room = room;
                // Finished at once, on this thread.
                (this.finished(page), kept.map(|h| (b.slug.clone(), h)))
            })
            .unzip();
        self.flush();
        self.out.extend(made);
        self.flushed = self.out.len();
        html.into_iter().flatten().collect()
    }

    /// Brief `i` of `public`'s page: its key (`briefs/<slug>/`) and context.
    /// `html` is the brief's rendered Markdown, its HTML taken out as `body`.
    fn brief_page(
        &self,
        public: &[&Brief],
        i: usize,
        html: &markdown::Html,
        body: String,
        cards: &[BriefCard],
        deal_views: &BTreeMap<&str, tera::Value>,
    ) -> (String, tera::Context) {
        let (project, urls, lang) = (self.project, self.urls, self.lang);
        let b = public[i];
        let key = format!("briefs/{}/", b.slug);
        let path = lang.path(&key);
        let author = b.author.as_deref().and_then(|a| project.contacts.get(a));
        let ld = self.head.article(b, author, &path);
        let view = BriefView {
            card: cards[i].clone(),
            html: body,
            toc: html.toc.iter().filter(|t| t.level <= 3).cloned().collect(),
            // Filled below with the deals' shared values.
            deals: Vec::new(),
            author: author.map(|a| ContactView::new(a, urls, lang)),
            // Newer brief first in the list: "previous" is the older one.
            prev: public.get(i + 1).map(|p| Link {
                title: p.front.title.clone(),
                url: urls.path(&lang.path(&format!("briefs/{}/", p.slug))),
            }),
            next: i.checked_sub(1).and_then(|j| public.get(j)).map(|p| Link {
                title: p.front.title.clone(),
                url: urls.path(&lang.path(&format!("briefs/{}/", p.slug))),
            }),
        };
        let meta = self.head.meta(
            &b.front.title,
            &b.front.summary,
            &path,
            "article",
            &ld,
            &lang.path("briefs/"),
        );
        let deals: Vec<tera::Value> = project
            .deals_of(b)
            .filter_map(|d| deal_views.get(d.id.as_str()).cloned())
            .collect();
        let mut brief = tera::Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        brief.insert("deals".into(), tera::Value::from(deals));
        let mut c = self.context(meta);
        c.insert_value("brief", tera::Value::from(brief));
        (key, c)
    }

    /// A list of cards in pages of `paginate_by`: the first at `base`
    /// (`briefs/`), the others at `base/page/N/`, linked by rel=prev/next.
    #[allow(clippy::too_many_arguments)]
    fn paginated(
        &mut self,
        base: &str,
        title: &str,
        description: &str,
        template: &'static str,
        cards: &[tera::Value],
        lastmod: crate::values::Date,
        add: impl Fn(&mut tera::Context),
    ) {
        let per = self.project.site.paginate_by.max(1);
        let chunks: Vec<&[tera::Value]> = if cards.is_empty() {
            vec![&[]]
        } else {
            cards.chunks(per).collect()
        };
        let total = chunks.len();
        let path_of = |n: usize| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}page/{n}/")
            }
        };
        let lang = self.lang;
        let url_of = |n: usize| self.urls.path(&lang.path(&path_of(n)));
        // Every page as a link, made once for the whole list.
        let all = tera::Value::from_serializable(
            &(1..=total)
                .map(|n| Link {
                    title: n.to_string(),
                    url: url_of(n),
                })
                .collect::<Vec<_>>(),
        );
        for (i, chunk) in chunks.into_iter().enumerate() {
            let n = i + 1;
            let path = path_of(n);
            if !self.renders(&path) {
                // Its last render stands: no context to make.
                self.push_listed(path, template, tera::Context::new(), lastmod);
                continue;
            }
            let shown_title = if n == 1 {
                title.to_string()
            } else {
                lang.tf(
                    "title_page_of",
                    &[
                        ("title", title),
                        ("number", &n.to_string()),
                        ("total", &total.to_string()),
                    ],
                )
            };
            let section = lang.path("briefs/");
            let mut meta = self.head.meta(
                &shown_title,
                description,
                &lang.path(&path),
                "website",
                &self.head.organization,
                if base == "briefs/" { &section } else { "" },
            );
            let paginator = Paginator {
                number: n,
                total,
                prev: (n > 1).then(|| url_of(n - 1)),
                next: (n < total).then(|| url_of(n + 1)),
                window: {
                    let shown = Paginator::window(n, total);
                    shown
                        .iter()
                        .enumerate()
                        .map(|(k, &m)| PageLink {
                            title: m.to_string(),
                            url: url_of(m),
                            current: m == n,
                            gap_before: k > 0 && shown[k - 1] + 1 != m,
                        })
                        .collect()
                },
            };
            meta.prev_url = paginator.prev.clone();
            meta.next_url = paginator.next.clone();
            let mut c = self.context(meta);
            // Cards are template values made once, shared by every list.
            c.insert_value("briefs", tera::Value::from(chunk.to_vec()));
            let mut value = tera::Value::from_serializable(&paginator)
                .into_map()
                .unwrap_or_default();
            value.insert("pages".into(), all.clone());
            c.insert_value("paginator", tera::Value::from(value));
            add(&mut c);
            self.push_listed(path, template, c, lastmod);
        }
    }

    /// The tags page and a page (paginated) for each tag of public briefs.
    fn tags(&mut self, public: &[&Brief], cards: &[tera::Value]) {
        let mut by_tag: BTreeMap<String, (String, Vec<tera::Value>, crate::values::Date)> =
            BTreeMap::new();
        for (b, card) in public.iter().zip(cards) {
            for tag in &b.front.tags {
                let entry = by_tag
                    .entry(crate::values::tag_slug(tag))
                    .or_insert_with(|| (tag.clone(), Vec::new(), b.front.date));
                entry.1.push(card.clone());
                entry.2 = entry.2.max(b.front.date);
            }
        }
        if by_tag.is_empty() {
            return;
        }
        let tags: Vec<TagView> = by_tag
            .iter()
            .map(|(slug, (name, cards, _))| TagView {
                name: name.clone(),
                url: self.urls.path(&format!("tags/{slug}/")),
                count: cards.len(),
            })
            .collect();
        let lang = self.lang;
        let meta = self.head.meta(
            lang.t("tags"),
            &lang.tf("tags_description", &[("brand", &self.site.brand)]),
            "tags/",
            "website",
            &self.head.organization,
            "",
        );
        let mut c = self.context(meta);
        c.insert("tags", &tags);
        let newest = by_tag
            .values()
            .map(|t| t.2)
            .max()
            .unwrap_or(self.project.updated);
        self.push_listed("tags/".into(), "tags.html", c, newest);
        for (slug, (name, cards, lastmod)) in by_tag {
            let description = lang.tf("briefs_tagged_description", &[("tag", &name)]);
            let title = lang.tf("briefs_tagged", &[("tag", &name)]);
            let tag = TagView {
                url: self.urls.path(&format!("tags/{slug}/")),
                count: cards.len(),
                name,
            };
            self.paginated(
                &format!("tags/{slug}/"),
                &title,
                &description,
                "tag.html",
                &cards,
                lastmod,
                |c| c.insert("tag", &tag),
            );
        }
    }

    fn deals(
        &mut self,
        deals: &[DealView],
        values: &BTreeMap<&str, tera::Value>,
        deals_by_date: &tera::Value,
    ) {
        let (project, lang) = (self.project, self.lang);
        let newest = project.updated;
        let meta = self.head.meta(
            lang.t("deals"),
            lang.t("deals_description"),
            &lang.path("deals/"),
            "website",
            &self.head.organization,
            &lang.path("deals/"),
        );
        let mut c = self.context(meta);
        c.insert_value("deals", deals_by_date.clone());
        let lastmod = project
            .deals
            .values()
            .filter_map(|d| d.announced)
            .max()
            .unwrap_or(newest);
        self.push_listed("deals/".into(), "deals.html", c, lastmod);

        for d in deals {
            let key = format!("deals/{}/", d.id);
            let lastmod = project
                .deals
                .get(&d.id)
                .and_then(|x| x.announced)
                .unwrap_or(newest);
            if !self.renders(&key) {
                self.push_listed(key, "deal.html", tera::Context::new(), lastmod);
                continue;
            }
            let description = format!(
                "{}: {}{}",
                d.title,
                d.status_label,
                d.value
                    .as_ref()
                    .map(|v| format!("{} {v}", lang.t("comma")))
                    .unwrap_or_default()
            );
            let meta = self.head.meta(
                &d.title,
                &description,
                &lang.path(&key),
                "article",
                &self.head.organization,
                &lang.path("deals/"),
            );
            let mut c = self.context(meta);
            if let Some(v) = values.get(d.id.as_str()) {
                c.insert_value("deal", v.clone());
            }
            self.push_listed(key, "deal.html", c, lastmod);
        }
    }

    fn contact(&mut self) {
        let (project, lang) = (self.project, self.lang);
        let contacts: Vec<ContactView> = project
            .contacts
            .values()
            .map(|c| ContactView::new(c, self.urls, lang))
            .collect();
        let meta = self.head.meta(
            lang.t("contact"),
            &lang.tf("contact_description", &[("brand", &self.site.brand)]),
            &lang.path("contact/"),
            "website",
            &seo::people(project),
            &lang.path("contact/"),
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
            self.lang.t("page_not_found"),
            self.lang.t("not_found_description"),
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
