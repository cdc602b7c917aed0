//! What static hosts read rather than visitors: `robots.txt`, the `_headers`
//! of Netlify and Cloudflare Pages, and `.nojekyll` for GitHub Pages.

use crate::output::Artifact;
use crate::site::views::Urls;

/// `robots.txt`, `_headers` and `.nojekyll`.
pub fn files(urls: &Urls) -> Vec<Artifact> {
    vec![
        Artifact::new("robots.txt", robots(urls)),
        Artifact::new("_headers", headers(urls)),
        Artifact::new(".nojekyll", Vec::new()),
    ]
}

fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.abs("sitemap.xml")
    )
}

/// Netlify / Cloudflare Pages headers: long cache for fingerprinted files,
/// the right type for vCards, no indexing of the 404 page or of vCards (a
/// phone number belongs on the contact page, not in search results).
fn headers(urls: &Urls) -> String {
    let r = &urls.root;
    format!(
        "{r}static/*\n  Cache-Control: public, max-age=31536000, immutable\n\n\
         {r}contacts/*\n  Content-Type: text/vcard; charset=utf-8\n  Content-Disposition: attachment\n  X-Robots-Tag: noindex\n\n\
         {r}404.html\n  X-Robots-Tag: noindex\n\n\
         {r}*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n"
    )
}
