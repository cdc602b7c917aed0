//! What the site publishes besides pages that it does not write itself: the
//! theme's static files (CSS with the brand colours), the images of public
//! briefs and pages and the share picture — all fingerprinted.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::content::validate::{asset_key, site_asset_key};
use crate::content::Project;
use crate::error::Error;
use crate::markdown;
use crate::output::Artifact;
use crate::site::views::{SiteView, Urls};
use crate::theme::Theme;

/// Short content hash for fingerprinted file names.
pub fn fingerprint(bytes: &[u8]) -> String {
    crate::values::hex(&Sha256::digest(bytes)[..5])
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

/// The published files and where pages find them.
pub struct Assets {
    pub artifacts: Vec<Artifact>,
    /// Static file name (`style.css`) → its root-relative URL.
    pub static_urls: BTreeMap<String, String>,
    /// Asset path (`assets/map.png`) → its fingerprinted path.
    pub paths: BTreeMap<String, String>,
    /// Asset path of a picture shown in a brief or page → its published
    /// widths, narrowest first.
    pub variants: BTreeMap<String, Vec<crate::site::images::Variant>>,
    /// The record of the pictures' widths ([`crate::site::images::RECORD`]).
    pub pictures: Vec<u8>,
    /// Asset path of the share picture, when one is set.
    share_key: Option<String>,
    /// Asset path of the logo, when one is set.
    logo_key: Option<String>,
}

/// Static files and images are fingerprinted, so hosts may cache them for a
/// year (see `_headers`). Assets referenced by public briefs and pages, and
/// the share picture, are published; a confidential brief's images stay
/// private, and unused files are not even read.
pub fn publish(
    project: &Project,
    theme: &Theme,
    urls: &Urls,
    previous: &crate::site::images::Previous,
) -> Result<Assets, Error> {
    let (mut artifacts, font_faces) = crate::site::fonts::web_fonts(project, theme)?;
    let mut static_urls = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        let bytes: Vec<u8> = if name == "style.css" {
            let mut css = font_faces.clone().into_bytes();
            css.extend(branded_css(bytes, theme));
            css
        } else if name.ends_with(".css") {
            branded_css(bytes, theme)
        } else {
            bytes.to_vec()
        };
        let published = fingerprinted(&format!("static/{name}"), &bytes);
        static_urls.insert(name.clone(), urls.path(&published));
        artifacts.push(Artifact::new(&published, bytes));
    }
    let share_key = site_asset_key(project.site.brand.image.as_deref());
    let logo_key = site_asset_key(project.site.brand.logo.as_deref());
    let used: BTreeSet<String> = share_key.iter().chain(&logo_key).cloned().collect();
    let mut shown: BTreeSet<String> = BTreeSet::new();
    for (refs, path) in project
        .public_briefs()
        .map(|b| (&b.parsed.refs, &b.path))
        .chain(project.pages.iter().map(|p| (&p.parsed.refs, &p.path)))
    {
        for r in refs {
            if let markdown::Reference::Image { src, .. } = r {
                shown.extend(asset_key(path, src));
            }
        }
    }
    let mut paths = BTreeMap::new();
    for a in project.assets.iter().filter(|a| used.contains(&a.rel)) {
        // Read once, when the project was loaded: rendering never touches the disk.
        let published = fingerprinted(&a.rel, &a.bytes);
        artifacts.push(Artifact::new(&published, a.bytes.as_slice()));
        paths.insert(a.rel.clone(), published);
    }
    // Pictures in briefs and pages: a few widths each, made in parallel.
    let made: Vec<_> = {
        use rayon::prelude::*;
        project
            .assets
            .par_iter()
            .with_max_len(1)
            .filter(|a| shown.contains(&a.rel) && a.image.is_some())
            .map(|a| {
                let sha = crate::values::sha256_hex(&a.bytes);
                crate::site::images::variants_reusing(&a.rel, &a.bytes, &sha, previous)
                    .map(|v| (a.rel.clone(), sha, v))
                    .map_err(|m| Error::in_file(format!("content/{}", a.rel), m))
            })
            .collect::<Result<_, _>>()?
    };
    let mut variants = BTreeMap::new();
    let mut shas = BTreeMap::new();
    for (rel, sha, list) in made {
        shas.insert(rel.clone(), sha);
        let mut published = Vec::new();
        for (v, bytes) in list {
            artifacts.push(Artifact::new(&v.path, bytes));
            published.push(v);
        }
        if let Some(widest) = published.last() {
            paths
                .entry(rel.clone())
                .or_insert_with(|| widest.path.clone());
        }
        variants.insert(rel, published);
    }
    let pictures =
        crate::site::images::record(variants.iter().filter_map(|(rel, list)| {
            Some((rel.as_str(), shas.get(rel)?.as_str(), list.as_slice()))
        }));
    Ok(Assets {
        artifacts,
        static_urls,
        paths,
        variants,
        pictures,
        share_key,
        logo_key,
    })
}

/// The theme's CSS, opened by the palette of `theme.yaml` (with the
/// brand colours of `site.yaml` applied) as CSS custom properties: one
/// source of colour for the site and the memos.
fn branded_css(bytes: &[u8], theme: &Theme) -> Vec<u8> {
    let mut css = String::from(":root {");
    for (name, color) in &theme.config.colors {
        let var = match name.as_str() {
            "primary" => "brand-primary",
            "accent" => "brand-accent",
            "background" => "bg",
            other => other,
        };
        css.push_str(&format!(" --{var}: {};", color.0));
    }
    css.push_str(" }\n");
    css.push_str(&String::from_utf8_lossy(bytes));
    css.into_bytes()
}

impl Assets {
    /// Site-wide values for every page, with the stylesheet, icon, colours
    /// and share picture.
    pub fn site_view(
        &self,
        project: &Project,
        theme: &Theme,
        urls: &Urls,
        lang: &crate::site::views::Lang,
    ) -> SiteView {
        let css_url = self
            .static_urls
            .get("style.css")
            .cloned()
            .unwrap_or_default();
        let favicon_url = self
            .static_urls
            .get("favicon.svg")
            .cloned()
            .unwrap_or_default();
        let mut site = SiteView::new(project, urls, css_url, favicon_url, lang);
        site.primary = theme.config.color("primary").0.clone();
        site.accent = theme.config.color("accent").0.clone();
        if let Some(published) = self.logo_key.as_ref().and_then(|k| self.paths.get(k)) {
            site.logo_url = urls.path(published);
        }
        if let Some(published) = self.share_key.as_ref().and_then(|k| self.paths.get(k)) {
            site.share_image = urls.abs(published);
            site.share_image_alt = project.site.brand.image_alt.clone();
        }
        site
    }
}
