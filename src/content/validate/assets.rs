//! Pictures named in content: a Markdown image, the share picture and the
//! logo resolve to a file under `content/assets/` of a kind orepress reads.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::super::model::Asset;
use super::Validator;

impl Validator<'_> {
    /// The picture shown when a page is shared must be a PNG or JPEG
    /// published from content/assets/.
    /// The logo (`brand.logo`): an SVG, PNG or JPEG under `content/assets/`;
    /// an SVG must be a picture, not a page with scripts.
    pub fn check_logo(&mut self, assets: &BTreeMap<String, Asset>) {
        let Some(logo) = &self.site.brand.logo else {
            return;
        };
        let path = Path::new("content/site.yaml");
        let svg = logo.to_ascii_lowercase().ends_with(".svg");
        let problem = if svg {
            match asset_key(path, logo).and_then(|k| assets.get(&k).map(|a| (k, a))) {
                None => resolve_asset(self.root, path, logo, assets)
                    .err()
                    .filter(|m| !m.contains("not a PNG or JPEG"))
                    .or_else(|| Some(format!("logo `{logo}` does not exist"))),
                Some((_, a)) => match crate::files::read_regular_string(&a.abs) {
                    Ok(text) => {
                        let lower = text.to_ascii_lowercase();
                        if !lower.contains("<svg") {
                            Some(format!("logo `{logo}` is not an SVG file"))
                        } else if lower.contains("<script")
                            || lower.contains("javascript:")
                            || has_event_attribute(&lower)
                        {
                            Some(format!(
                                "logo `{logo}` holds scripts; a logo must be a plain picture"
                            ))
                        } else {
                            None
                        }
                    }
                    Err(e) => Some(format!("cannot read logo `{logo}`: {e}")),
                },
            }
        } else {
            resolve_asset(self.root, path, logo, assets).err()
        };
        if let Some(message) = problem {
            let e = self.at(path, "logo", Some(logo), message).with_hint(
                "an SVG, PNG or JPEG under content/assets/, e.g. `logo: assets/logo.svg`",
            );
            self.push(e);
        }
    }

    pub fn check_share_image(&mut self, assets: &BTreeMap<String, Asset>) {
        let Some(image) = &self.site.brand.image else {
            return;
        };
        let path = Path::new("content/site.yaml");
        if let Err(message) = resolve_asset(self.root, path, image, assets) {
            let e = self.at(path, "image", Some(image), message).with_hint(
                "a PNG or JPEG under content/assets/, e.g. `image: assets/share-card.png`",
            );
            self.push(e);
        }
    }
}

/// The asset a picture setting of `site.yaml` (`brand.logo`,
/// `brand.image`) names, as [`asset_key`] resolves it.
pub fn site_asset_key(setting: Option<&str>) -> Option<String> {
    setting.and_then(|s| asset_key(Path::new("content/site.yaml"), s))
}

/// Where an image source points, relative to `content/`: `/assets/x.png` is
/// rooted at `content/`, anything else is relative to the Markdown file.
pub fn asset_key(md_path: &Path, src: &str) -> Option<String> {
    if src.contains("://") || src.starts_with("//") {
        return None;
    }
    let src = src.split(['?', '#']).next().unwrap_or(src);
    let base: PathBuf = if let Some(abs) = src.strip_prefix('/') {
        PathBuf::from(abs)
    } else {
        // md_path is content/<kind>/<file>.md
        let dir = md_path
            .parent()
            .and_then(|p| p.strip_prefix("content").ok())
            .unwrap_or(Path::new(""));
        dir.join(src)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in base.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                // Leaving content/ is leaving the project's published files.
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Whether markup carries an event handler attribute (`onload=`, …).
fn has_event_attribute(lower: &str) -> bool {
    lower.match_indices("on").any(|(i, _)| {
        let before = lower[..i].chars().last();
        let name: String = lower[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        before.is_some_and(|c| c.is_whitespace() || c == '/')
            && !name.is_empty()
            && lower[i + 2 + name.len()..].trim_start().starts_with('=')
    })
}

/// Whether an asset's name says it is a picture orepress places: PNG or
/// JPEG, by its extension.
pub fn named_as_picture(rel: &str) -> bool {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "png" | "jpg" | "jpeg")
}

pub(super) fn resolve_asset(
    root: &Path,
    md_path: &Path,
    src: &str,
    assets: &BTreeMap<String, Asset>,
) -> Result<(), String> {
    if src.trim().is_empty() {
        return Err("image has no file: write ![description](../assets/file.png)".into());
    }
    if src.contains("://") || src.starts_with("//") {
        return Err(format!("image `{src}` is remote; put images in content/assets/ so memos and the site work offline"));
    }
    let Some(key) = asset_key(md_path, src) else {
        return Err(format!(
            "image `{src}` points outside the project's content folder"
        ));
    };
    if !key.starts_with("assets/") {
        // `assets/map.png` written in a brief means content/briefs/assets/:
        // say how to name the picture that is there.
        let name = src.rsplit('/').next().unwrap_or(src);
        let from = md_path
            .parent()
            .and_then(|p| p.strip_prefix("content").ok())
            .map_or(0, |p| p.components().count());
        if assets.contains_key(&format!("assets/{name}")) {
            return Err(format!(
                "image `{src}` must be inside content/assets/: write `{}assets/{name}` (a path is read from the file's own folder)",
                "../".repeat(from)
            ));
        }
        return Err(format!("image `{src}` must be inside content/assets/"));
    }
    if assets.contains_key(&key) {
        if !named_as_picture(&key) {
            return Err(format!("image `{src}` is not a PNG or JPEG file"));
        }
        return Ok(());
    }
    let on_disk = root.join("content").join(&key);
    if on_disk.exists() {
        Err(format!("image `{src}` points outside the project folder"))
    } else {
        Err(format!(
            "image `{src}` does not exist (looked for content/{key})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_paths_stay_in_content() {
        let md = Path::new("content/briefs/a.md");
        assert_eq!(
            asset_key(md, "../assets/map.png").as_deref(),
            Some("assets/map.png")
        );
        assert_eq!(
            asset_key(md, "/assets/map.png").as_deref(),
            Some("assets/map.png")
        );
        assert_eq!(asset_key(md, "../../../etc/passwd"), None);
    }
}
