//! The typed content model: briefs, deals, contacts, pages and data tables,
//! as written in YAML (front matter) and as resolved after loading.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::values::{Country, Currency, Date, Url};
use crate::yaml::Scalar;

/// The references of a brief's front matter, read leniently when the whole
/// front matter could not be read, so that a refused date does not hide an
/// unknown deal in the same file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BriefRefs {
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub deals: Vec<String>,
}

/// Front matter of `content/briefs/*.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefFront {
    /// Title of the brief and its memo.
    pub title: String,
    /// One or two sentences: cards, meta description, memo cover.
    pub summary: String,
    /// Publication date.
    pub date: Date,
    /// Contact id of the author (default: `contact` in site.yaml).
    #[serde(default)]
    pub author: Option<String>,
    /// Ids of the deals the brief discusses.
    #[serde(default)]
    pub deals: Vec<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Confidential briefs never reach the site.
    #[serde(default)]
    pub confidential: bool,
    /// For a confidential brief: show its title and summary (only) on the site.
    #[serde(default)]
    pub teaser: bool,
    /// Drafts are built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Make a PDF memo (default true).
    #[serde(default = "yes")]
    pub pdf: bool,
    /// Language (default from site.yaml).
    #[serde(default)]
    pub lang: Option<String>,
    /// URL and file name (default from the file name).
    #[serde(default)]
    pub slug: Option<String>,
    /// The slug of the brief this one translates (default: from a file
    /// name `<slug>.<lang>.md`). A translation shares the original's slug,
    /// deals and author; it is published at `/<lang>/briefs/<slug>/`.
    #[serde(default)]
    pub translation_of: Option<String>,
    /// Open the memo's body with the "Executive summary" panel (default:
    /// `memo.summary_panel` in site.yaml, itself true). Left out anyway
    /// when the body opens with its own "Executive summary" heading.
    #[serde(default)]
    pub summary_panel: Option<bool>,
}

fn yes() -> bool {
    true
}

/// A brief, loaded.
#[derive(Debug, Clone)]
pub struct Brief {
    pub front: BriefFront,
    pub slug: String,
    /// Path relative to the project root.
    pub path: PathBuf,
    /// Markdown body (the file's text after its front matter).
    pub body: crate::files::TextTail,
    /// Line of the file on which the body starts.
    pub body_line: usize,
    /// The body parsed once, at load: the tree the site and the memo
    /// render, and the links, images and data tables it refers to.
    pub parsed: std::sync::Arc<crate::markdown::Parsed>,
    /// Resolved author contact id.
    pub author: Option<String>,
    pub lang: String,
    /// For a translation, its language as listed in site.yaml `languages`
    /// (`ur`); `None` for a brief in the site's main language.
    pub translation: Option<String>,
}

pub use crate::i18n::translated;

/// A deal's words in another language; what is left out stays as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealText {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// The value's qualifier ("reported").
    #[serde(default)]
    pub value_note: Option<String>,
    /// The region of the location.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub minerals: Option<Vec<String>>,
    /// Each party's role, in the order of `parties`.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

/// A contact card's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactText {
    /// The name as written in that language's script.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    /// Each phone's label, in the order of `phones`.
    #[serde(default)]
    pub phone_labels: Option<Vec<String>>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

/// A data file's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataText {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Each column's label, in the order of `columns`.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// Each key figure's label, in the order of `figures`.
    #[serde(default)]
    pub figures: Option<Vec<String>>,
}

/// A page's title in another language (its link in the footer).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageText {
    #[serde(default)]
    pub title: Option<String>,
}

/// Deal status, from rumour to closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Rumoured,
    Announced,
    Mou,
    Loi,
    Definitive,
    Closed,
    Cancelled,
}

impl Status {
    /// Whether the parties are legally bound.
    pub fn binding(self) -> bool {
        matches!(self, Status::Definitive | Status::Closed)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Rumoured => "Rumoured",
            Status::Announced => "Announced",
            Status::Mou => "Memorandum of understanding",
            Status::Loi => "Letter of intent",
            Status::Definitive => "Definitive agreement",
            Status::Closed => "Closed",
            Status::Cancelled => "Cancelled",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Status::Rumoured => "Rumoured",
            Status::Announced => "Announced",
            Status::Mou => "MoU",
            Status::Loi => "LoI",
            Status::Definitive => "Definitive",
            Status::Closed => "Closed",
            Status::Cancelled => "Cancelled",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Rumoured => "rumoured",
            Status::Announced => "announced",
            Status::Mou => "mou",
            Status::Loi => "loi",
            Status::Definitive => "definitive",
            Status::Closed => "closed",
            Status::Cancelled => "cancelled",
        }
    }
}

/// A party to a deal.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name as reported.
    pub name: String,
    /// Role in the deal (buyer, seller, partner…).
    #[serde(default)]
    pub role: String,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country: Option<Country>,
}

/// A deal's value: an amount, or a range.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// Reported amount, in units of the currency.
    #[serde(default)]
    pub amount: Option<f64>,
    /// Lower end of a range.
    #[serde(default)]
    pub min: Option<f64>,
    /// Upper end of a range.
    #[serde(default)]
    pub max: Option<f64>,
    /// ISO 4217 currency code.
    pub currency: Currency,
    /// Qualifier ("reported", "approximate").
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a deal's project is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Region or province.
    #[serde(default)]
    pub region: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Country,
    /// Latitude in degrees.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude in degrees.
    #[serde(default)]
    pub lon: Option<f64>,
}

/// A public source for a deal.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Publication and headline.
    pub title: String,
    /// Address of the report.
    pub url: Url,
    /// Date of the report.
    #[serde(default)]
    pub date: Option<Date>,
}

/// `content/deals/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// Id (default from the file name).
    #[serde(default)]
    pub id: String,
    /// Short title.
    pub title: String,
    /// Stage of the deal.
    pub status: Status,
    /// Date announced.
    #[serde(default)]
    pub announced: Option<Date>,
    /// Parties.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// Minerals concerned.
    #[serde(default)]
    pub minerals: Vec<String>,
    /// Value as reported.
    #[serde(default)]
    pub value: Option<Value>,
    /// Location.
    #[serde(default)]
    pub location: Option<Location>,
    /// Public sources.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Free notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Title and other words in the site's other languages.
    #[serde(default)]
    pub translations: BTreeMap<String, DealText>,
    /// Path relative to the project root (set by the loader).
    #[serde(skip)]
    pub path: PathBuf,
}

/// A phone number on a contact card.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// As written (any common form).
    pub number: String,
    /// Label ("Mobile", "Office").
    #[serde(default)]
    pub label: Option<String>,
    /// Reachable on WhatsApp.
    #[serde(default)]
    pub whatsapp: bool,
    /// E.164 form, set by validation.
    #[serde(skip)]
    pub e164: String,
    /// International form for display (`+92 333 1717170`), set by validation.
    #[serde(skip)]
    pub international: String,
}

impl Phone {
    /// Digits of the E.164 form (for wa.me links).
    pub fn digits(&self) -> String {
        self.e164.chars().filter(char::is_ascii_digit).collect()
    }
}

/// `content/contacts/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Id (default from the file name).
    #[serde(default)]
    pub id: String,
    /// Full name.
    pub name: String,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Organisation.
    #[serde(default)]
    pub organization: String,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<Url>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Languages spoken.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Title, organisation and labels in the site's other languages.
    #[serde(default)]
    pub translations: BTreeMap<String, ContactText>,
    /// Path relative to the project root (set by the loader).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Front matter of `content/pages/*.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// Page title.
    pub title: String,
    /// Meta description.
    #[serde(default)]
    pub description: String,
    /// URL (default from the file name).
    #[serde(default)]
    pub slug: Option<String>,
    /// Built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The title in the site's other languages.
    #[serde(default)]
    pub translations: BTreeMap<String, PageText>,
}

/// A plain page, loaded.
#[derive(Debug, Clone)]
pub struct Page {
    pub front: PageFront,
    pub slug: String,
    pub path: PathBuf,
    pub body: crate::files::TextTail,
    pub body_line: usize,
    /// The body parsed once, at load.
    pub parsed: std::sync::Arc<crate::markdown::Parsed>,
}

/// Alignment of a data column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnAlign {
    #[default]
    Left,
    Center,
    Right,
}

/// A column of a data table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Key in each row.
    pub key: String,
    /// Header label.
    pub label: String,
    /// Alignment (numbers: right).
    #[serde(default)]
    pub align: ColumnAlign,
}

/// A key figure for the home page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The figure as shown ("48 %").
    pub value: String,
    /// What it measures.
    pub label: String,
}

/// `content/data/*.yaml`: a sourced table, and optionally key figures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTable {
    /// Table caption.
    pub title: String,
    /// Where the figures come from.
    pub source: String,
    /// Link to the source.
    #[serde(default)]
    pub source_url: Option<Url>,
    /// Date the figures are valid for.
    pub as_of: Date,
    /// Unit of the values.
    #[serde(default)]
    pub unit: Option<String>,
    /// Columns, in order.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// Rows: column key → cell.
    #[serde(default)]
    pub rows: Vec<BTreeMap<String, Scalar>>,
    /// Key figures for the home page.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Title, source and labels in the site's other languages.
    #[serde(default)]
    pub translations: BTreeMap<String, DataText>,
    /// Id (the file name).
    #[serde(skip)]
    pub id: String,
    /// Path relative to the project root.
    #[serde(skip)]
    pub path: PathBuf,
}

impl DataTable {
    /// A cell as text ("" when absent).
    pub fn cell(row: &BTreeMap<String, Scalar>, key: &str) -> String {
        row.get(key).map(Scalar::text).unwrap_or_default()
    }

    /// The rows as text, in column order.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| self.columns.iter().map(|c| Self::cell(r, &c.key)).collect())
            .collect()
    }
}

/// An asset file under `content/assets/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/` (e.g. `assets/map.png`), with `/`.
    pub rel: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// The file's bytes, read once at load for assets that are used
    /// (empty for an asset nothing refers to).
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// The picture, decoded once at load (PNG and JPEG assets in use).
    pub image: Option<std::sync::Arc<crate::image::ImageData>>,
}
