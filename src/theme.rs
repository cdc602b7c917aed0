//! Themes: find templates, static files and fonts in layers (the project's
//! `templates/` → `themes/<name>/` → the default theme embedded in the
//! binary) and build the Tera instance with orepress's filters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::blob::Blob;
use crate::config::{SiteConfig, ThemeConfig};
use crate::error::{Error, Kind};
use crate::files::{read_text, rel};
use crate::i18n::{Labels, Translations};
use crate::values::contrast;
use crate::yaml::from_yaml;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, compiled in so a project without `themes/` builds.
const EMBEDDED: &[(&str, &[u8])] = embed![
    "theme.yaml",
    "templates/base.html",
    "templates/brief_card.html",
    "templates/contact_card.html",
    "templates/deal_facts.html",
    "templates/deals_table.html",
    "templates/index.html",
    "templates/brief.html",
    "templates/briefs.html",
    "templates/deal.html",
    "templates/deals.html",
    "templates/contact.html",
    "templates/page.html",
    "templates/pagination.html",
    "templates/tags.html",
    "templates/tag.html",
    "templates/404.html",
    "static/style.css",
    "static/favicon.svg",
    "fonts/NotoSerif-Regular.ttf",
    "fonts/NotoSerif-Bold.ttf",
    "fonts/NotoSerif-Italic.ttf",
    "fonts/NotoSerif-BoldItalic.ttf",
    "fonts/NotoSans-Regular.ttf",
    "fonts/NotoSans-Bold.ttf",
    "fonts/NotoSans-Italic.ttf",
    "fonts/NotoNastaliqUrdu-Regular.ttf",
    "fonts/NotoNastaliqUrdu-Bold.ttf",
    "fonts/NotoMono-Regular.ttf",
    "fonts/OFL.txt",
    "i18n/en.yaml",
    "i18n/ur.yaml",
];

/// The embedded default theme's files (path relative to the theme folder).
pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    EMBEDDED.iter().copied()
}

/// A template's source and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct Template {
    pub origin: String,
    pub source: String,
}

/// A resolved theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub config: ThemeConfig,
    /// The project's `theme.yaml` as read, to place what is found wrong
    /// in it once the theme's files are known (a font it names).
    config_text: Option<String>,
    /// Template name (`brief.html`) → source.
    pub templates: BTreeMap<String, Template>,
    /// Static files (path under `static/`) → bytes.
    pub static_files: BTreeMap<String, Blob>,
    /// Font files (file name) → bytes: the default theme's borrowed from
    /// the binary, a project's read from its folder.
    pub fonts: BTreeMap<String, Blob>,
    /// Font file name → where it was read from, for messages: a project
    /// file (`themes/corp/fonts/x.ttf`) or `<default theme>/fonts/x.ttf`.
    font_origins: BTreeMap<String, String>,
    /// The theme's folder under `themes/` (`default` for the built-in one).
    folder: String,
    /// Labels per language: the default theme's `i18n/<lang>.yaml`, with a
    /// project's `themes/<name>/i18n/<lang>.yaml` overriding key by key.
    pub i18n: Translations,
}

impl Theme {
    /// Resolves the theme named in `site.yaml` for the project at `root`.
    pub fn load(root: &Path, site: &SiteConfig) -> Result<Theme, Error> {
        Theme::read(root, &site.theme)?.finish(root, site)
    }

    /// The files of theme `name` over the default theme's, and the
    /// project's `templates/`: what [`Theme::load`] reads before it needs
    /// the rest of `site.yaml`, so it can be read while the content is.
    pub fn read(root: &Path, name: &str) -> Result<Theme, Error> {
        // Translations are merged once, with the project's overrides.
        let mut theme = Theme::embedded_unmerged()?;
        theme.folder = name.to_string();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            let yaml_path = dir.join("theme.yaml");
            if yaml_path.is_file() {
                let shown = rel(root, &yaml_path);
                let text = read_text(&yaml_path, &shown)?;
                theme.config = from_yaml::<ThemeConfig>(&shown, &text, 1)?;
                theme.config_text = Some(text.clone());
                if let Some((key, why)) = theme.config.pdf.problem() {
                    let (line, col) = crate::content::validate::locate(&text, key, None);
                    return Err(Error::at(&shown, line, col, why)
                        .with_hint("the default theme has body_size: 10.5, leading: 1.45, margins_mm: [25, 22, 25, 25]"));
                }
            }
            theme.overlay_dir(root, &dir.join("templates"), Layer::Templates)?;
            theme.overlay_dir(root, &dir.join("static"), Layer::Static)?;
            theme.overlay_dir(root, &dir.join("fonts"), Layer::Fonts)?;
            theme.overlay_dir(root, &dir.join("i18n"), Layer::I18n)?;
        } else if name != "default" {
            return Err(
                Error::in_file("content/site.yaml", format!("theme `{name}` not found")).with_hint(
                    format!(
                        "expected a folder {}, or use `theme: default`",
                        rel(root, &dir).display()
                    ),
                ),
            );
        }
        theme.overlay_dir(root, &root.join("templates"), Layer::Templates)?;
        theme.i18n.merge()?;
        Ok(theme)
    }

    /// A theme [`Theme::read`] for `site`: its brand colours over the
    /// theme's, then checked (colours, fonts, labels).
    pub fn finish(mut self, root: &Path, site: &SiteConfig) -> Result<Theme, Error> {
        if let Some(p) = &site.brand.primary {
            self.config.colors.insert("primary".into(), p.clone());
        }
        if let Some(a) = &site.brand.accent {
            self.config.colors.insert("accent".into(), a.clone());
        }
        self.validate(site)?;
        self.check_labels(root, site)?;
        Ok(self)
    }

    /// The default theme alone.
    pub fn embedded() -> Result<Theme, Error> {
        let mut t = Theme::embedded_unmerged()?;
        t.i18n.merge()?;
        Ok(t)
    }

    /// The default theme, its translations not merged yet.
    fn embedded_unmerged() -> Result<Theme, Error> {
        let mut t = Theme {
            config_text: None,
            config: ThemeConfig {
                name: String::new(),
                colors: BTreeMap::new(),
                fonts: from_yaml(
                    Path::new("<default theme>"),
                    "{body: a, body_bold: a, body_italic: a, body_bold_italic: a, heading: a, heading_bold: a, heading_italic: a}",
                    1,
                )?,
                logo: None,
                pdf: Default::default(),
            },
            templates: BTreeMap::new(),
            static_files: BTreeMap::new(),
            fonts: BTreeMap::new(),
            font_origins: BTreeMap::new(),
            folder: "default".into(),
            i18n: Translations::default(),
        };
        for (path, bytes) in EMBEDDED {
            if *path == "theme.yaml" {
                let text =
                    std::str::from_utf8(bytes).map_err(|e| Error::msg(Kind::Io, e.to_string()))?;
                t.config = from_yaml(Path::new("<default theme>/theme.yaml"), text, 1)?;
            } else if let Some(name) = path.strip_prefix("templates/") {
                let source = String::from_utf8_lossy(bytes).into_owned();
                t.templates.insert(
                    name.to_string(),
                    Template {
                        origin: format!("<default theme>/{path}"),
                        source,
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                t.static_files
                    .insert(name.to_string(), Blob::embedded(bytes));
            } else if let Some(name) = path.strip_prefix("fonts/") {
                t.fonts.insert(name.to_string(), Blob::embedded(bytes));
                t.font_origins
                    .insert(name.to_string(), format!("<default theme>/{path}"));
            } else if let Some(name) = path.strip_prefix("i18n/") {
                let lang = name.trim_end_matches(".yaml");
                let text = String::from_utf8_lossy(bytes).into_owned();
                t.i18n.add(lang, format!("<default theme>/{path}"), text);
            }
        }
        Ok(t)
    }

    fn overlay_dir(&mut self, root: &Path, dir: &Path, layer: Layer) -> Result<(), Error> {
        if !dir.is_dir() {
            return Ok(());
        }
        let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(true)
            .max_depth(8)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| {
                let p = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| rel(root, dir));
                Error::in_file(
                    p,
                    if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.to_string()
                    },
                )
            })?;
            if entry.file_type().is_dir() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if !entry.file_type().is_file() {
                // A named pipe would make every read of it wait for ever.
                let kind = entry
                    .metadata()
                    .map_or("not a file", |m| crate::files::file_kind(&m));
                return Err(Error::in_file(
                    rel(root, entry.path()),
                    format!("is {kind}, not a regular file"),
                )
                .with_hint(
                    "themes and templates hold files only: remove it or replace it with a file",
                ));
            }
            // What themes/ and templates/ publish must come from the
            // project, as under content/: never /etc/passwd through a link.
            if !crate::files::inside(&canon_root, entry.path()) {
                return Err(Error::in_file(
                    rel(root, entry.path()),
                    "symbolic link points outside the project folder",
                ));
            }
            let name = entry
                .path()
                .strip_prefix(dir)
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_default();
            let shown = rel(root, entry.path());
            if let Some(e) = crate::content::read::long_name(&shown) {
                return Err(e);
            }
            match layer {
                Layer::Templates => {
                    let source = read_text(entry.path(), &shown)?;
                    self.templates.insert(
                        name,
                        Template {
                            origin: shown.display().to_string(),
                            source,
                        },
                    );
                }
                Layer::I18n => {
                    let Some(lang) = name.strip_suffix(".yaml") else {
                        continue;
                    };
                    let text = read_text(entry.path(), &shown)?;
                    self.i18n.add(lang, shown.display().to_string(), text);
                }
                Layer::Static | Layer::Fonts => {
                    let map = if layer == Layer::Static {
                        &mut self.static_files
                    } else {
                        &mut self.fonts
                    };
                    // A project's copy of a default file (what `orepress
                    // new` writes) is the file compiled in: keep that, and
                    // the memo keys need not hash it.
                    let default = map.get(&name).filter(|b| b.is_embedded());
                    let (limit, what, hint) = if layer == Layer::Static {
                        (
                            MAX_STATIC_BYTES,
                            "static files",
                            "host large files elsewhere and link to them",
                        )
                    } else {
                        (
                            MAX_FONT_BYTES,
                            "fonts",
                            "use a font file of one face and the scripts the site needs",
                        )
                    };
                    let blob = read_unless_same(entry.path(), default, limit)
                        .map_err(|e| Error::io(&shown, "read file", &e))?
                        .map_err(|len| {
                            Error::in_file(
                                &shown,
                                format!(
                                    "file is too large ({len} bytes; a theme's {what} are \
                                     limited to {} MiB)",
                                    limit >> 20
                                ),
                            )
                            .with_hint(hint)
                        })?;
                    if layer == Layer::Fonts {
                        self.font_origins
                            .insert(name.clone(), shown.display().to_string());
                    }
                    map.insert(name, blob);
                }
            }
        }
        Ok(())
    }

    fn validate(&self, site: &SiteConfig) -> Result<(), Error> {
        let theme_file = PathBuf::from(format!("themes/{}/theme.yaml", site.theme));
        let missing = self.config.missing_colors();
        if !missing.is_empty() {
            // Placed at `colors:`, where they go.
            let (line, col) = self.config_text.as_deref().map_or((0, 0), |text| {
                crate::content::validate::locate(text, "colors", None)
            });
            return Err(Error::at(
                &theme_file,
                line,
                col,
                format!("theme colours missing: {}", missing.join(", ")),
            ));
        }
        let f = &self.config.fonts;
        for file in [
            &f.body,
            &f.body_bold,
            &f.body_italic,
            &f.body_bold_italic,
            &f.heading,
            &f.heading_bold,
            &f.heading_italic,
            &f.mono,
        ]
        .into_iter()
        .chain(
            f.fallbacks
                .iter()
                .flat_map(|fb| std::iter::once(&fb.regular).chain(fb.bold.as_ref())),
        ) {
            if !self.fonts.contains_key(file) {
                let (line, col) = self
                    .config_text
                    .as_deref()
                    .and_then(|text| Some(crate::error::line_col(text, text.find(file.as_str())?)))
                    .unwrap_or((0, 0));
                return Err(Error::at(
                    &theme_file,
                    line,
                    col,
                    format!("font file `{file}` not found in the theme's fonts/"),
                ));
            }
        }
        // Text on the page and on cards, and white on the brand colour,
        // must stay readable: the palette is the site's and the memo's.
        let white = crate::values::Color("#ffffff".into());
        let background = self
            .config
            .colors
            .get("background")
            .cloned()
            .unwrap_or(white.clone());
        let tint = self
            .config
            .colors
            .get("tint")
            .cloned()
            .unwrap_or(background.clone());
        for name in ["primary", "text", "muted"] {
            let c = self.config.color(name);
            let worst = [&white, &background, &tint]
                .into_iter()
                .map(|g| contrast(&c, g))
                .fold(f32::INFINITY, f32::min);
            if worst < 4.5 {
                let (path, key) = if name == "primary" && site.brand.primary.is_some() {
                    (PathBuf::from("content/site.yaml"), "brand.primary")
                } else {
                    (theme_file.clone(), name)
                };
                return Err(Error::in_file(
                    path,
                    format!("colour `{key}` {} is too light: contrast with the page or card background is {worst:.1}:1, at least 4.5:1 is needed", c.0),
                ));
            }
        }
        Ok(())
    }

    /// Checks that the theme has every label in each of the site's
    /// languages, and that every translations file (a project's overrides
    /// included) has every label and no unknown one.
    pub fn check_labels(&self, root: &Path, site: &SiteConfig) -> Result<(), Error> {
        let site_yaml =
            crate::files::read_regular_string(&root.join("content/site.yaml")).unwrap_or_default();
        let mut langs = site.languages();
        langs.extend(self.i18n.files.keys().cloned());
        for lang in langs {
            let key = if site.languages.is_empty() {
                "language"
            } else {
                "languages"
            };
            let used_at = Error::at(
                "content/site.yaml",
                line_of(&site_yaml, key),
                1,
                String::new(),
            );
            self.i18n.check(&lang, &site.theme, &used_at)?;
        }
        Ok(())
    }

    /// The labels of a language (`ur`, `en-US`).
    pub fn labels(&self, lang: &str) -> &Labels {
        self.i18n.labels(lang)
    }

    /// A font file by name.
    pub fn font(&self, name: &str) -> Option<Blob> {
        self.fonts.get(name).cloned()
    }

    /// Where font file `name` was read from, for a message about it: the
    /// project's file, or the default theme's (compiled in) for a font the
    /// project does not override; the theme's `fonts/` folder for a name
    /// it does not have.
    pub fn font_origin(&self, name: &str) -> String {
        self.font_origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("themes/{}/fonts/{name}", self.folder))
    }

    /// A Tera instance holding every template, with orepress's filters.
    pub fn tera(&self) -> Result<tera::Tera, Error> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let pairs: Vec<(&str, &str)> = self
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.source.as_str()))
            .collect();
        tera.add_raw_templates(pairs)
            .map_err(|e| self.template_error(e))?;
        tera.register_function("range", budgeted_range);
        Ok(tera)
    }

    /// A Tera error, naming the template file it came from and, where Tera
    /// gives one (` --> page.html:4:11`), the line and column.
    pub fn template_error(&self, e: tera::Error) -> Error {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push('\n');
            text.push_str(&s.to_string());
            source = s.source();
        }
        let (name, mut line, mut col) = template_location(&text);
        let template = name
            .and_then(|n| self.templates.get_key_value(n))
            .or_else(|| {
                self.templates
                    .iter()
                    .find(|(n, _)| text.contains(n.as_str()))
            });
        if let (0, Some((name, t))) = (line, template) {
            (line, col) = named_place(&text, name, &t.source);
        }
        let origin = template
            .map(|(_, t)| t.origin.clone())
            .unwrap_or_else(|| "templates".into());
        let message = text
            .lines()
            .map(|l| l.trim().trim_start_matches("error: ").trim())
            .find(|l| !l.is_empty())
            .unwrap_or("template error")
            .to_string();
        let mut err = Error::at(origin, line, col, format!("template error: {message}"));
        // Tera's source snippet (`-->`, `4 | ...`) is summed up by the
        // location; other lines are real causes.
        err.causes.extend(
            text.lines()
                .skip(1)
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("-->"))
                .filter(|l| {
                    !l.trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start()
                        .starts_with('|')
                })
                .map(String::from),
        );
        err
    }
}

/// Files under a theme's `static/` larger than this are refused, as
/// content assets are.
const MAX_STATIC_BYTES: u64 = crate::files::MAX_ASSET_BYTES;
/// Theme fonts larger than this are refused (a whole CJK face is some 20
/// MB; a 3 GB file was read whole into memory).
const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// The file at `path`; `default` itself when the file has its bytes.
/// Those are compared piece by piece as they are read, so a copy of a
/// default font costs no memory of its size. `Err(length)` for a file
/// over `limit` bytes, which is not read (or, grown while it was, not
/// read further).
fn read_unless_same(
    path: &Path,
    default: Option<&Blob>,
    limit: u64,
) -> std::io::Result<Result<Blob, u64>> {
    use std::io::Read;
    let (mut file, meta) = crate::files::open_regular_meta(path)?;
    let len = meta.len();
    let Some(default) = default.filter(|d| d.len() as u64 == len && len <= limit) else {
        return Ok(crate::files::read_within(file, len, limit)?.map(Blob::from));
    };
    let mut piece = vec![0; 64 << 10];
    let mut at = 0;
    loop {
        let n = match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if default.get(at..at + n) != Some(&piece[..n]) {
            // Another file after all: the same bytes so far, then its own.
            let mut bytes = default[..at].to_vec();
            bytes.extend_from_slice(&piece[..n]);
            let left = (limit + 1).saturating_sub(bytes.len() as u64);
            (&mut file).take(left).read_to_end(&mut bytes)?;
            return Ok(if bytes.len() as u64 > limit {
                Err(bytes.len() as u64)
            } else {
                Ok(Blob::from(bytes))
            });
        }
        at += n;
    }
    Ok(Ok(if at == default.len() {
        default.clone()
    } else {
        Blob::from(default[..at].to_vec())
    }))
}

/// The line of `key:` in `text`, 0 when absent.
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(0, |i| i + 1)
}

/// `(template, line, column)` from a Tera message's ` --> name:L:C` line;
/// line and column are 0 when absent.
fn template_location(text: &str) -> (Option<&str>, usize, usize) {
    for l in text.lines() {
        let Some(place) = l.trim_start().strip_prefix("--> ") else {
            continue;
        };
        let mut parts = place.trim().rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.parse().ok());
        let line = parts.next().and_then(|c| c.parse().ok());
        let name = parts.next();
        if let (Some(name), Some(line), Some(col)) = (name, line, col) {
            return (Some(name), line, col);
        }
    }
    (None, 0, 0)
}

/// Where `source` (the template `own`) names what an error without a
/// place (`text`) quotes: the parent of `Template 'brief.html' is
/// inheriting from 'nope.html', which doesn't exist`, say. (0, 0) when it
/// quotes nothing else the source holds.
fn named_place(text: &str, own: &str, source: &str) -> (usize, usize) {
    let first = text.lines().next().unwrap_or_default();
    let quoted = first.split('\'').skip(1).step_by(2);
    for name in quoted.filter(|n| !n.is_empty() && *n != own) {
        for quote in ['"', '\''] {
            if let Some(at) = source.find(&format!("{quote}{name}{quote}")) {
                return crate::error::line_col(source, at);
            }
        }
    }
    (0, 0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Templates,
    Static,
    Fonts,
    I18n,
}

/// How many numbers `range` may make for one page in all: ten times one
/// call's own limit. A loop over `range(end=100000)` inside another wrote
/// nothing, so the page size limit never stopped it, and ran for hours.
pub const RANGE_BUDGET: usize = 1_000_000;

thread_local! {
    /// What is left of [`RANGE_BUDGET`] for the page this thread renders.
    static RANGE_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(RANGE_BUDGET) };
}

/// Gives the page about to be rendered on this thread its whole
/// [`RANGE_BUDGET`].
pub fn new_page_budget() {
    RANGE_LEFT.with(|c| c.set(RANGE_BUDGET));
}

/// Tera's `range` (`start`, `end`, `step_by`), counted against the page's
/// [`RANGE_BUDGET`].
fn budgeted_range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("`range` was called with `step_by=0`"));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "`range` was called with a `start` greater than its `end`",
        ));
    }
    let overflow = || tera::Error::message("`range` was called with numbers too large");
    let len = if (step > 0) == (start <= end) {
        let span = end.abs_diff(start);
        let step = step.unsigned_abs();
        span.checked_add(step - 1).ok_or_else(overflow)? / step
    } else {
        0
    };
    let left = RANGE_LEFT.with(|c| c.get());
    if len > left as u128 {
        return Err(tera::Error::message(format!(
            "`range` would make more than {RANGE_BUDGET} numbers for one page in all: is a loop inside another?"
        )));
    }
    let len = len as usize;
    RANGE_LEFT.with(|c| c.set(left - len));
    (0..len as i128)
        .map(|i| {
            i.checked_mul(step)
                .and_then(|d| start.checked_add(d))
                .ok_or_else(overflow)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_of_a_default_file_is_the_default_itself() {
        static DEFAULT: std::sync::LazyLock<Vec<u8>> =
            std::sync::LazyLock::new(|| (0..200_000u32).map(|i| (i % 251) as u8).collect());
        let default = Blob::embedded(DEFAULT.as_slice());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("font.ttf");
        let read = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            read_unless_same(&path, Some(&default), 1 << 20)
                .unwrap()
                .unwrap()
        };
        let same = read(&DEFAULT);
        assert!(same.is_embedded() && same.as_ptr() == DEFAULT.as_ptr());
        // Different past the first pieces read, shorter, longer: its own bytes.
        let mut other = DEFAULT.clone();
        other[150_000] ^= 1;
        for bytes in [
            &other[..],
            &DEFAULT[..1000],
            &[&DEFAULT[..], b"x"].concat()[..],
        ] {
            let got = read(bytes);
            assert!(!got.is_embedded());
            assert_eq!(&*got, bytes);
        }
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(&*read_unless_same(&path, None, 3).unwrap().unwrap(), b"abc");
        // Over the limit: its length, the file not read (or, the same as
        // the default so far and then longer, not read further).
        assert_eq!(read_unless_same(&path, None, 2).unwrap().err(), Some(3));
        assert_eq!(
            read_unless_same(&path, Some(&default), 2).unwrap().err(),
            Some(3)
        );
    }

    #[test]
    fn template_location_is_read_from_the_arrow_line() {
        let text = "error: Unknown filter `x`\n --> page.html:4:11\n  |\n";
        assert_eq!(template_location(text), (Some("page.html"), 4, 11));
        assert_eq!(template_location("no place"), (None, 0, 0));
    }

    #[test]
    fn an_error_without_a_place_is_placed_where_the_template_names_it() {
        let text = "Template 'brief.html' is inheriting from 'nope.html', which doesn't exist";
        let source = "{# brief #}\n  {% extends \"nope.html\" %}\n";
        assert_eq!(named_place(text, "brief.html", source), (2, 14));
        // Its own name, or a name the source does not hold: no place.
        assert_eq!(
            named_place("Template 'brief.html' failed", "brief.html", source),
            (0, 0)
        );
        assert_eq!(named_place(text, "brief.html", "{% extends x %}"), (0, 0));
    }
}
