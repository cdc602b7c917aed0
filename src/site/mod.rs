//! The brochure website: builds view structs, renders every page through
//! Tera, and makes the feed, sitemap, vCards and hosting files — all as
//! in-memory artifacts. Confidential briefs never reach any of them.

pub mod assets;
pub mod feeds;
pub mod fonts;
pub mod hosts;
pub mod images;
pub mod pages;
pub mod rerender;
pub mod seo;
pub mod vcards;
pub mod views;
pub mod webfont;

use crate::content::Project;
use crate::error::Error;
use crate::output::Artifact;
use crate::theme::Theme;
use views::{Alternate, Lang, Urls};

pub use assets::fingerprint;

/// What the site should link to besides its own pages, and what a
/// previous build made that it may take.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions<'a> {
    /// Slugs of public briefs whose memo PDF is published in `memos/`.
    pub memos: Vec<String>,
    /// The pictures' widths a previous build made.
    pub pictures: Option<&'a images::Previous>,
    /// The last render's record (`serve`): the pages whose inputs did not
    /// change since are taken from it ([`Rendered::kept`]).
    pub last: Option<&'a rerender::LastPages>,
}

/// The site's files, and the record of its pictures' widths (written
/// beside the site as [`images::RECORD`]).
pub struct Rendered {
    pub files: Vec<Artifact>,
    pub pictures: Vec<u8>,
    /// What this render was made from, for the next to render only what
    /// changed (a site in one language, without web fonts, with absolute
    /// links; never when pages go to a sink).
    pub record: Option<rerender::LastPages>,
    /// Pages of the last render ([`SiteOptions::last`]) that did not
    /// change: not in `files`, to be taken from that render's files.
    pub kept: Vec<std::path::PathBuf>,
}

/// Where finished pages go as they are made (a build's staging folder).
pub type Sink<'a> = &'a (dyn Fn(Artifact) -> Result<(), Error> + Sync);

/// Renders the whole site. With `sink`, pages that no later step changes
/// go to it as they are rendered and are not among the files returned.
pub fn render(
    project: &Project,
    theme: &Theme,
    opts: &SiteOptions,
    sink: Option<Sink<'_>>,
) -> Result<Rendered, Error> {
    let urls = Urls::new(&project.site.base_url);
    // The templates are parsed while the fonts and pictures are made.
    let none = images::Previous::default();
    let previous = opts.pictures.unwrap_or(&none);
    let (tera, assets) = rayon::join(
        || theme.tera(),
        || assets::publish(project, theme, &urls, previous),
    );
    let (tera, assets) = (tera?, assets?);

    // The main language at the root, every other under `<lang>/`.
    let site_cfg = &project.site;
    let mut langs: Vec<Lang> = vec![Lang {
        tag: site_cfg.language.clone(),
        prefix: String::new(),
        labels: theme.labels(&site_cfg.language),
        main: true,
    }];
    for code in site_cfg.other_languages() {
        langs.push(Lang {
            prefix: format!("{code}/"),
            labels: theme.labels(&code),
            tag: code,
            main: false,
        });
    }
    // One language: no page gets language links or a web font, so each
    // is final as soon as it is rendered.
    let now = match sink {
        Some(sink) if langs.len() == 1 && !webfont::needed(theme, &langs[0]) => Some(pages::Now {
            tera: &tera,
            theme,
            sink,
            relative: project.site.relative_urls.then_some(&urls),
        }),
        _ => None,
    };
    let recordable = sink.is_none()
        && langs.len() == 1
        && !webfont::needed(theme, &langs[0])
        && !project.site.relative_urls;
    let mut plans = Vec::new();
    let mut inputs = None;
    let mut partial = None;
    for lang in &langs {
        let mut site = assets.site_view(project, theme, &urls, lang);
        if webfont::needed(theme, lang) {
            site.lang_css.push(webfont::PLACEHOLDER.to_string());
        }
        if recordable {
            let now = rerender::inputs(project, theme, &site, &assets, &opts.memos);
            partial = opts.last.and_then(|last| now.partial(last));
            inputs = Some(now);
        }
        let plan = pages::plan(
            project,
            &site,
            &urls,
            &assets,
            opts,
            lang,
            now.as_ref(),
            partial.as_ref(),
        )?;
        plans.push(plan);
    }
    // Rendering again in part: the briefs' HTML for the feed is the last
    // render's but for the briefs rendered now.
    let last = opts.last.filter(|_| partial.is_some());
    let mut brief_html = std::mem::take(&mut plans[0].brief_html);
    if let Some(last) = last {
        let mut all = last.brief_html.clone();
        all.extend(brief_html);
        brief_html = all;
    }
    let mut all_pages: Vec<(usize, pages::Page)> = Vec::new();
    for (i, plan) in plans.into_iter().enumerate() {
        all_pages.extend(plan.pages.into_iter().map(|p| (i, p)));
    }
    if langs.len() > 1 {
        link_languages(&mut all_pages, &langs, &urls);
    }
    // The pages in order: the last render's when only briefs' pages were
    // planned, else this render's (the briefs' pages not rendered again
    // planned as kept).
    let (recorded, kept): (Vec<rerender::Recorded>, Vec<std::path::PathBuf>) =
        match (last, &partial) {
            (Some(last), Some(p)) if !p.others => (last.pages.clone(), rerender::kept(last, p)),
            _ if recordable => (
                all_pages
                    .iter()
                    .map(|(_, p)| rerender::Recorded {
                        file: p.file.clone(),
                        sitemap: p.sitemap.clone(),
                        owner: p.owner.clone(),
                    })
                    .collect(),
                all_pages
                    .iter()
                    .filter(|(_, p)| p.kept)
                    .map(|(_, p)| std::path::PathBuf::from(&p.file))
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
    let sitemap: Vec<feeds::SitemapEntry> = if recordable {
        recorded.iter().filter_map(|p| p.sitemap.clone()).collect()
    } else {
        all_pages
            .iter()
            .filter_map(|(_, p)| p.sitemap.clone())
            .collect()
    };
    let page_langs: Vec<usize> = all_pages.iter().map(|(i, _)| *i).collect();
    let mut html = pages::render(
        &tera,
        theme,
        all_pages.into_iter().map(|(_, p)| p).collect(),
    )?;
    let mut artifacts = assets.artifacts;
    let pictures = assets.pictures;
    for (i, lang) in langs.iter().enumerate() {
        let mine: Vec<&mut Artifact> = html
            .iter_mut()
            .zip(&page_langs)
            .filter(|(_, l)| **l == i)
            .map(|(a, _)| a)
            .collect();
        artifacts.extend(webfont::serve(theme, lang, mine, &urls)?);
    }
    if project.site.relative_urls {
        relative_urls(&mut html, &urls);
    }
    artifacts.extend(html);
    artifacts.extend(vcards::vcards(project));
    // The feed and the sitemap (an entry for every brief and page) are
    // written side by side.
    let (atom, sitemap) = rayon::join(
        || feeds::atom(project, &urls, &brief_html),
        || feeds::sitemap(&urls, &sitemap),
    );
    artifacts.push(atom);
    artifacts.push(sitemap);
    let record = inputs.map(|i| i.record(recorded, brief_html));
    artifacts.extend(hosts::files(&urls));
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files: artifacts,
        pictures,
        record,
        kept,
    })
}

/// Gives every page its versions in the other languages: the `hreflang`
/// alternates of its head and its sitemap entry (only where the same page
/// exists in another language, with `x-default` the main language's), and
/// the language switch of the masthead (to the same page, else that
/// language's home page).
fn link_languages(pages: &mut [(usize, pages::Page)], langs: &[Lang], urls: &Urls) {
    use std::collections::BTreeMap;
    let mut by_key: BTreeMap<String, BTreeMap<usize, String>> = BTreeMap::new();
    for (i, p) in pages.iter() {
        if let Some(s) = &p.sitemap {
            by_key
                .entry(p.key.clone())
                .or_default()
                .insert(*i, s.path.clone());
        }
    }
    let alt = |i: usize, path: &str, current: bool| Alternate {
        hreflang: langs[i].tag.clone(),
        name: langs[i].labels.get("language_name").to_string(),
        url: urls.path(path),
        abs: urls.abs(path),
        dir: crate::i18n::dir(&langs[i].tag).to_string(),
        current,
    };
    for (i, p) in pages.iter_mut() {
        if p.sitemap.is_none() {
            continue;
        }
        let versions = by_key.get(&p.key).cloned().unwrap_or_default();
        let switch: Vec<Alternate> = (0..langs.len())
            .map(|j| match versions.get(&j) {
                Some(path) => alt(j, path, j == *i),
                None => alt(j, &langs[j].prefix, false),
            })
            .collect();
        let mut alternates = Vec::new();
        if versions.len() > 1 {
            alternates = versions
                .iter()
                .map(|(j, path)| alt(*j, path, j == i))
                .collect();
            if let Some(main) = versions.get(&0) {
                let mut x = alt(0, main, false);
                x.hreflang = "x-default".into();
                alternates.push(x);
            }
        }
        if let Some(s) = &mut p.sitemap {
            s.alternates = alternates
                .iter()
                .map(|a| (a.hreflang.clone(), a.abs.clone()))
                .collect();
        }
        p.ctx.insert("alternates", &alternates);
        p.ctx.insert("languages", &switch);
    }
}

/// Makes the links and asset URLs of every page relative to it, so the site
/// works opened from disk. The 404 page is served at any address a visitor
/// mistyped, where no relative URL holds: its URLs become absolute.
fn relative_urls(pages: &mut [Artifact], urls: &Urls) {
    for page in pages {
        let file = page.path.to_string_lossy().replace('\\', "/");
        let html = String::from_utf8_lossy(&page.bytes);
        page.bytes = relative_page(urls, &file, &html).into_bytes();
    }
}

/// The page `file`'s HTML with relative URLs (absolute for the 404 page).
fn relative_page(urls: &Urls, file: &str, html: &str) -> String {
    if file == "404.html" {
        urls.absolute_html(html, None)
    } else {
        urls.relative_html(html, file)
    }
}
