//! The brochure website: builds view structs, renders every page through
//! Tera, and makes the feed, sitemap, vCards and hosting files — all as
//! in-memory artifacts. Confidential briefs never reach any of them.

pub mod assets;
pub mod feeds;
pub mod fonts;
pub mod hosts;
pub mod images;
pub mod pages;
pub mod seo;
pub mod views;

use crate::content::Project;
use crate::error::Error;
use crate::output::Artifact;
use crate::theme::Theme;
use views::Urls;

pub use assets::fingerprint;

/// What the site should link to besides its own pages.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Slugs of public briefs whose memo PDF is published in `memos/`.
    pub memos: Vec<String>,
}

/// Renders the whole site.
pub fn render(
    project: &Project,
    theme: &Theme,
    opts: &SiteOptions,
) -> Result<Vec<Artifact>, Error> {
    let urls = Urls::new(&project.site.base_url);
    let tera = theme.tera()?;
    let assets = assets::publish(project, theme, &urls)?;
    let site = assets.site_view(project, theme, &urls);
    let plan = pages::plan(project, &site, &urls, &assets, opts);
    let sitemap: Vec<feeds::SitemapEntry> = plan
        .pages
        .iter()
        .filter_map(|p| p.sitemap.clone())
        .collect();

    let mut artifacts = assets.artifacts;
    let mut html = pages::render(&tera, theme, plan.pages)?;
    if project.site.relative_urls {
        relative_urls(&mut html, &urls);
    }
    artifacts.extend(html);
    artifacts.extend(pages::vcards(project));
    artifacts.push(feeds::atom(project, &urls, &plan.brief_html));
    artifacts.push(feeds::sitemap(&urls, &sitemap));
    artifacts.extend(hosts::files(&urls));
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(artifacts)
}

/// Makes the links and asset URLs of every page relative to it, so the site
/// works opened from disk. The 404 page is served at any address a visitor
/// mistyped, where no relative URL holds: its URLs become absolute.
fn relative_urls(pages: &mut [Artifact], urls: &Urls) {
    for page in pages {
        let file = page.path.to_string_lossy().replace('\\', "/");
        let html = String::from_utf8_lossy(&page.bytes);
        let rewritten = if file == "404.html" {
            urls.absolute_html(&html, None)
        } else {
            urls.relative_html(&html, &file)
        };
        page.bytes = rewritten.into_bytes();
    }
}
