//! `site.yaml` and `theme.yaml`: their structs, defaults and validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::values::{Color, Country};

/// `content/site.yaml`: settings for the whole project.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's and the memos' title.
    pub title: String,
    /// One line under the title.
    #[serde(default)]
    pub tagline: String,
    /// Meta description for the home page.
    #[serde(default)]
    pub description: String,
    /// Where the site is hosted, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// BCP 47 language tag; the default for briefs.
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's languages, the main one (`language`) first, e.g.
    /// `[en, ur]`: pages in the others are published under `/<lang>/`.
    /// Default: the main language alone.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Title, tagline, description, deals text and legal notices in the
    /// other languages: `translations: { ur: { title: … } }`.
    #[serde(default)]
    pub translations: BTreeMap<String, SiteText>,
    /// Theme under `themes/<name>`, or the embedded `default`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Country assumed for phone numbers written without a country code.
    #[serde(default)]
    pub default_country: Option<Country>,
    /// Default contact id: the memos' contact card and the site's contact.
    #[serde(default)]
    pub contact: Option<String>,
    /// The organisation behind the site, and colour overrides.
    #[serde(default)]
    pub brand: Brand,
    /// Legal notices printed in memos and in the site's footer.
    #[serde(default)]
    pub legal: Legal,
    /// Memo settings.
    #[serde(default)]
    pub memo: MemoConfig,
    /// Personalised copies settings.
    #[serde(default)]
    pub copies: CopiesConfig,
    /// Write every link and asset URL of the site relative to its page, so
    /// `output/site/index.html` can be opened from disk (`build --relative`
    /// does the same). Canonical, OpenGraph, feed and sitemap URLs stay
    /// absolute.
    #[serde(default)]
    pub relative_urls: bool,
    /// Briefs per page on the briefs list and on tag pages.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// How many of the latest briefs the home page shows.
    #[serde(default = "default_home_briefs")]
    pub home_briefs: usize,
    /// The text under the title of the deals page.
    #[serde(default = "default_deals_intro")]
    pub deals_intro: String,
    /// Atom feed settings.
    #[serde(default)]
    pub feed: FeedConfig,
    /// A project's own values for its templates, as `site.extra.*`.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The site's words in another language; what is left out stays as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteText {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub tagline: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub deals_intro: Option<String>,
    /// The brand's name in that language's script.
    #[serde(default)]
    pub brand: Option<String>,
    /// The legal notices; a notice left out is shown as written.
    #[serde(default)]
    pub legal: Option<Legal>,
}

impl SiteConfig {
    /// The site's languages, the main one first (`[en]` by default).
    pub fn languages(&self) -> Vec<String> {
        if self.languages.is_empty() {
            vec![crate::i18n::primary(&self.language)]
        } else {
            self.languages.clone()
        }
    }

    /// The other languages: those published under `/<lang>/`.
    pub fn other_languages(&self) -> Vec<String> {
        let main = crate::i18n::primary(&self.language);
        self.languages()
            .into_iter()
            .filter(|l| crate::i18n::primary(l) != main)
            .collect()
    }

    /// The words of the site in language `lang`, if any were given.
    pub fn text(&self, lang: &str) -> Option<&SiteText> {
        crate::i18n::translated(&self.translations, lang)
    }
}

fn default_paginate_by() -> usize {
    10
}

fn default_home_briefs() -> usize {
    6
}

fn default_deals_intro() -> String {
    "Agreements as publicly reported, newest first. A memorandum of understanding records intent and does not bind the parties.".into()
}

/// Atom feed settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Carry each brief's full text in the feed, not only its summary.
    #[serde(default)]
    pub full_content: bool,
}

fn default_language() -> String {
    "en-US".into()
}

fn default_theme() -> String {
    "default".into()
}

/// Brand identity; colours override the theme's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// Organisation name shown on memos and the site.
    #[serde(default)]
    pub name: String,
    /// Main brand colour (`#rrggbb`).
    #[serde(default)]
    pub primary: Option<Color>,
    /// Accent colour (`#rrggbb`).
    #[serde(default)]
    pub accent: Option<Color>,
    /// Picture shown when a page of the site is shared (WhatsApp, LinkedIn,
    /// e-mail previews): a PNG or JPEG under `content/assets/`, ideally
    /// 1200 × 630 px, e.g. `assets/share-card.png`.
    #[serde(default)]
    pub image: Option<String>,
    /// Logo for the site's masthead and the memo cover: an SVG, PNG or JPEG
    /// under `content/assets/`, e.g. `assets/logo.svg` (an SVG logo is shown
    /// on the site; the memo cover shows a PNG or JPEG one, else the name).
    #[serde(default)]
    pub logo: Option<String>,
    /// What the share picture shows, for people who cannot see it.
    #[serde(default)]
    pub image_alt: String,
}

/// Legal notices; any may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Legal {
    /// Confidentiality notice.
    #[serde(default)]
    pub confidentiality: String,
    /// "Not an offer of securities" notice.
    #[serde(default)]
    pub not_an_offer: String,
    /// Forward-looking statements notice.
    #[serde(default)]
    pub forward_looking: String,
    /// Mineral reporting code statement (JORC, NI 43-101, S-K 1300, or none applies).
    #[serde(default)]
    pub mineral_reporting: String,
}

impl Legal {
    /// The notices that are set, with their headings in the labels'
    /// language, in a fixed order; `own` (the notices in that language)
    /// replaces each notice it gives.
    pub fn notices<'a>(
        &'a self,
        l: &'a crate::i18n::Labels,
        own: Option<&'a Legal>,
    ) -> Vec<(&'a str, &'a str)> {
        let pick = |mine: &'a str, theirs: Option<&'a str>| match theirs {
            Some(t) if !t.trim().is_empty() && !mine.trim().is_empty() => t,
            _ => mine,
        };
        [
            (
                l.get("notice_confidentiality"),
                pick(
                    &self.confidentiality,
                    own.map(|o| o.confidentiality.as_str()),
                ),
            ),
            (
                l.get("notice_not_an_offer"),
                pick(&self.not_an_offer, own.map(|o| o.not_an_offer.as_str())),
            ),
            (
                l.get("notice_forward_looking"),
                pick(
                    &self.forward_looking,
                    own.map(|o| o.forward_looking.as_str()),
                ),
            ),
            (
                l.get("notice_mineral_reporting"),
                pick(
                    &self.mineral_reporting,
                    own.map(|o| o.mineral_reporting.as_str()),
                ),
            ),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .collect()
    }
}

/// Paper sizes for memos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Memo settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MemoConfig {
    /// `a4` (default) or `letter`.
    #[serde(default)]
    pub paper: Paper,
    /// Number headings 1, 1.1, … in memos.
    #[serde(default)]
    pub numbered_headings: bool,
    /// The standard memos claim: `a-2a` (default: tagged PDF/A-2a that
    /// also claims PDF/UA-1), `a-2b` (PDF/A-2b) or `ua-1` (PDF/UA-1 only).
    #[serde(default)]
    pub pdf_standard: PdfStandard,
    /// Open each memo's body with an "Executive summary" panel holding the
    /// brief's `summary` (default true). A brief can say otherwise with
    /// `summary_panel` in its front matter; a brief whose body opens with
    /// its own "Executive summary" heading never gets the panel.
    #[serde(default = "default_summary_panel")]
    pub summary_panel: bool,
}

fn default_summary_panel() -> bool {
    true
}

impl Default for MemoConfig {
    fn default() -> Self {
        MemoConfig {
            paper: Paper::default(),
            numbered_headings: false,
            pdf_standard: PdfStandard::default(),
            summary_panel: default_summary_panel(),
        }
    }
}

/// The standard a memo PDF claims in its metadata. Memos are tagged
/// whichever it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum PdfStandard {
    /// PDF/A-2b: archival, visual appearance.
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-2a: archival and accessible (tagged); also claims PDF/UA-1.
    #[default]
    #[serde(rename = "a-2a")]
    A2a,
    /// PDF/UA-1 only: accessible, no archival claim.
    #[serde(rename = "ua-1")]
    Ua1,
}

impl PdfStandard {
    /// The PDF/A conformance level (`A`, `B`), if PDF/A is claimed.
    pub fn pdfa(self) -> Option<&'static str> {
        match self {
            PdfStandard::A2b => Some("B"),
            PdfStandard::A2a => Some("A"),
            PdfStandard::Ua1 => None,
        }
    }

    /// Whether PDF/UA-1 is claimed.
    pub fn pdfua(self) -> bool {
        matches!(self, PdfStandard::A2a | PdfStandard::Ua1)
    }
}

impl std::str::FromStr for PdfStandard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "a-2b" => Ok(PdfStandard::A2b),
            "a-2a" => Ok(PdfStandard::A2a),
            "ua-1" => Ok(PdfStandard::Ua1),
            _ => Err(format!("unknown PDF standard {s:?}: a-2b, a-2a or ua-1")),
        }
    }
}

/// Personalised copies settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CopiesConfig {
    /// Folder (relative to the project root) holding copy registers; the
    /// build never deletes it.
    #[serde(default = "default_register_dir")]
    pub register_dir: String,
}

impl Default for CopiesConfig {
    fn default() -> Self {
        CopiesConfig {
            register_dir: default_register_dir(),
        }
    }
}

fn default_register_dir() -> String {
    "copies".into()
}

/// `themes/<name>/theme.yaml`: the brand look of site and memos.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// Theme name.
    pub name: String,
    /// Named colours: at least `primary`, `accent`, `text`, `muted`, `background`, `rule`.
    pub colors: BTreeMap<String, Color>,
    /// Font files (under the theme's `fonts/`) for memos.
    pub fonts: ThemeFonts,
    /// Logo under the theme's `static/`, used on the site (SVG or PNG).
    #[serde(default)]
    pub logo: Option<String>,
    /// Page style for memos.
    #[serde(default)]
    pub pdf: PdfStyle,
}

/// Font files for memos; each a TrueType file in the theme's `fonts/`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFonts {
    /// Body text.
    pub body: String,
    /// Body bold.
    pub body_bold: String,
    /// Body italic.
    pub body_italic: String,
    /// Body bold italic.
    pub body_bold_italic: String,
    /// Headings, tables, header and footer.
    pub heading: String,
    /// Bold headings.
    pub heading_bold: String,
    /// Italic sans (captions, notes).
    pub heading_italic: String,
    /// Monospace: code blocks and inline code.
    #[serde(default = "default_mono")]
    pub mono: String,
    /// Fonts tried in order, per character cluster, for text the faces
    /// above cannot draw (Urdu in Nastaliq, Arabic in Naskh).
    #[serde(default)]
    pub fallbacks: Vec<FallbackFont>,
}

fn default_mono() -> String {
    "NotoMono-Regular.ttf".to_string()
}

/// A fallback font of the theme: the script it is meant for (a note for
/// readers; the choice is by glyph coverage), its regular and bold files.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FallbackFont {
    /// e.g. `arabic` (Urdu, Persian, Arabic).
    #[serde(default)]
    pub script: Option<String>,
    /// Used under regular and italic faces.
    pub regular: String,
    /// Used under bold faces (default: `regular`).
    #[serde(default)]
    pub bold: Option<String>,
}

/// Memo page style.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PdfStyle {
    /// Body text size in points.
    #[serde(default = "default_body_size")]
    pub body_size: f32,
    /// Baseline-to-baseline distance as a multiple of the body size.
    #[serde(default = "default_leading")]
    pub leading: f32,
    /// Margins in millimetres: top, right, bottom, left.
    #[serde(default = "default_margins")]
    pub margins_mm: [f32; 4],
}

impl PdfStyle {
    /// The first setting a memo cannot be set with, and why: a body size
    /// from 4 to 72 points, a leading from 0.8 to 4 times it, margins from
    /// 0 to 80 mm (a size of 0 or a negative leading made broken memos or
    /// an error about the brief being laid out).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let within = |v: f32, lo: f32, hi: f32| v.is_finite() && (lo..=hi).contains(&v);
        if !within(self.body_size, 4.0, 72.0) {
            return Some((
                "body_size",
                format!(
                    "body_size {} is not a size from 4 to 72 points",
                    self.body_size
                ),
            ));
        }
        if !within(self.leading, 0.8, 4.0) {
            return Some((
                "leading",
                format!(
                    "leading {} is not from 0.8 to 4 (times the body size)",
                    self.leading
                ),
            ));
        }
        if let Some(m) = self.margins_mm.iter().find(|&&m| !within(m, 0.0, 80.0)) {
            return Some((
                "margins_mm",
                format!("margin {m} mm is not from 0 to 80 mm"),
            ));
        }
        None
    }
}

impl Default for PdfStyle {
    fn default() -> Self {
        PdfStyle {
            body_size: default_body_size(),
            leading: default_leading(),
            margins_mm: default_margins(),
        }
    }
}

fn default_body_size() -> f32 {
    10.5
}

fn default_leading() -> f32 {
    1.45
}

fn default_margins() -> [f32; 4] {
    [25.0, 22.0, 25.0, 25.0]
}

/// Colour names every theme must define.
pub const REQUIRED_COLORS: &[&str] = &["primary", "accent", "text", "muted", "background", "rule"];

impl ThemeConfig {
    /// A theme colour; themes are validated to have the required ones.
    pub fn color(&self, name: &str) -> Color {
        self.colors
            .get(name)
            .cloned()
            .unwrap_or_else(|| Color("#000000".into()))
    }

    /// Missing required colours.
    pub fn missing_colors(&self) -> Vec<&'static str> {
        REQUIRED_COLORS
            .iter()
            .copied()
            .filter(|c| !self.colors.contains_key(*c))
            .collect()
    }
}
