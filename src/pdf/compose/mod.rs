//! Memo structure: the memo's fonts, its recipient, and the top-level flow
//! that turns a brief into a [`Document`] of positioned pages (cover, body
//! flowed once and shared by every copy, page decorations, bookmarks and
//! metadata). Each part of the memo has its own file; none knows PDF syntax.

mod body;
mod contact;
mod cover;
mod decorations;
mod images;
mod out;
mod style;
mod tables;

use std::sync::Arc;

use crate::content::{Brief, Contact, Project};
use crate::error::Error;
use crate::pdf::frame::{
    Anchor, Document, FontId, ImageData, ImageId, Item, Metadata, Node, Outline, Page, Rgb, Role,
};
use crate::pdf::layout::{flow_each, layout_line, Align, Dir, Flowed, FontSet, PageSpec, Span};
use crate::pdf::write::{BodyWriter, WrittenBody};
use crate::theme::Theme;
use out::Out;

pub use crate::image::decode as decode_image;
pub use contact::qr;
use style::{rgb, Style};

const MM: f32 = 72.0 / 25.4;

/// The body of a brief of more text than this (bytes) is made, laid out
/// and written page by page ([`BodyWriter`]): about a hundred pages.
pub const WRITTEN_BODY_TEXT: usize = 256 * 1024;

/// How many blocks compose may make ahead of the flow laying them out (a
/// long body's): a few pages of short paragraphs.
const BLOCKS_AHEAD: usize = 256;

/// The fonts of a memo, parsed once per build and shared by every memo.
pub struct MemoFonts {
    pub set: FontSet,
    pub serif: FontId,
    pub serif_bold: FontId,
    pub serif_italic: FontId,
    pub serif_bold_italic: FontId,
    pub sans: FontId,
    pub sans_bold: FontId,
    pub sans_italic: FontId,
    pub mono: FontId,
}

impl MemoFonts {
    pub fn load(theme: &Theme) -> Result<MemoFonts, Error> {
        let f = &theme.config.fonts;
        let mut set = FontSet::new();
        let mut add = |name: &str| -> Result<FontId, Error> {
            let data = theme
                .font(name)
                .ok_or_else(|| Error::in_file(theme.font_origin(name), "font file not found"))?;
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            set.add(data, stem).map_err(|e| {
                Error::in_file(theme.font_origin(name), "cannot use this font")
                    .with_cause(e.message)
            })
        };
        let mut fonts = MemoFonts {
            serif: add(&f.body)?,
            serif_bold: add(&f.body_bold)?,
            serif_italic: add(&f.body_italic)?,
            serif_bold_italic: add(&f.body_bold_italic)?,
            sans: add(&f.heading)?,
            sans_bold: add(&f.heading_bold)?,
            sans_italic: add(&f.heading_italic)?,
            mono: add(&f.mono)?,
            set: FontSet::new(),
        };
        // Fallbacks (Urdu in Nastaliq): regular under regular and italic
        // faces, bold under bold ones.
        let (mut regular, mut bold) = (Vec::new(), Vec::new());
        for fb in &f.fallbacks {
            let r = add(&fb.regular)?;
            regular.push(r);
            bold.push(match &fb.bold {
                Some(b) => add(b)?,
                None => r,
            });
        }
        for face in [
            fonts.serif,
            fonts.serif_italic,
            fonts.sans,
            fonts.sans_italic,
        ] {
            set.set_fallbacks(face, regular.clone());
        }
        for face in [fonts.serif_bold, fonts.serif_bold_italic, fonts.sans_bold] {
            set.set_fallbacks(face, bold.clone());
        }
        fonts.set = set;
        Ok(fonts)
    }
}

/// A recipient of a personalised copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub organization: String,
    pub copy_no: u32,
}

impl Recipient {
    /// "Jane Doe, Acme Capital".
    pub fn label(&self) -> String {
        crate::present::name_org(&self.name, &self.organization)
    }

    /// "Copy No. 007".
    pub fn copy_label(&self) -> String {
        format!("Copy No. {:03}", self.copy_no)
    }
}

fn layout_err(e: crate::pdf::layout::LayoutError, brief: &Brief) -> Error {
    Error::in_file(&brief.path, "cannot lay out the memo").with_cause(e.message)
}

/// Composes the memo of `brief`, personalised when `recipient` is given.
pub fn compose(
    project: &Project,
    theme: &Theme,
    fonts: &MemoFonts,
    brief: &Brief,
    recipient: Option<&Recipient>,
) -> Result<Document, Error> {
    MemoLayout::new(project, theme, fonts, brief)?.into_document(recipient)
}

/// A memo laid out once: the body flowed into pages. Personalised copies
/// share it; only the cover and the page decorations are made per copy.
pub struct MemoLayout<'a> {
    composer: Composer<'a>,
    body: Flowed,
    /// The body pages, written as they were laid out (a long memo's).
    written: Option<Arc<WrittenBody>>,
    author: Option<&'a Contact>,
    /// Keyed by a recipient-independent part of the metadata.
    version: Option<(String, String)>,
}

impl<'a> MemoLayout<'a> {
    pub fn new(
        project: &'a Project,
        theme: &Theme,
        fonts: &'a MemoFonts,
        brief: &'a Brief,
    ) -> Result<MemoLayout<'a>, Error> {
        Self::writing_body(project, theme, fonts, brief, None)
    }

    /// As [`MemoLayout::new`]; the body is made, laid out and written
    /// page by page when `write` says so, or (`None`) when its brief has
    /// more than [`WRITTEN_BODY_TEXT`] of text. The PDF is the same either
    /// way.
    pub fn writing_body(
        project: &'a Project,
        theme: &Theme,
        fonts: &'a MemoFonts,
        brief: &'a Brief,
        write: Option<bool>,
    ) -> Result<MemoLayout<'a>, Error> {
        let cfg = &theme.config;
        let (width, height) = project.site.memo.paper.size();
        let [mt, mr, mb, ml] = cfg.pdf.margins_mm;
        let style = Style {
            primary: rgb(&cfg.color("primary")),
            accent: rgb(&cfg.color("accent")),
            text: rgb(&cfg.color("text")),
            muted: rgb(&cfg.color("muted")),
            rule: rgb(&cfg.color("rule")),
            tint: cfg.colors.get("tint").map_or(Rgb(0.95, 0.96, 0.97), rgb),
            body: cfg.pdf.body_size,
            leading: cfg.pdf.body_size * cfg.pdf.leading,
            page: PageSpec {
                width,
                height,
                margin_top: mt * MM,
                margin_right: mr * MM,
                margin_bottom: mb * MM,
                margin_left: ml * MM,
            },
            numbered: project.site.memo.numbered_headings,
        };
        // The logo (a PNG or JPEG `brand.logo`), registered once for every
        // cover made from this layout.
        let mut images = Vec::new();
        let logo = crate::content::validate::site_asset_key(project.site.brand.logo.as_deref())
            .and_then(|key| project.asset(&key))
            .and_then(|a| a.image.clone())
            .map(|image| {
                images.push(image);
                ImageId(0)
            });
        let composer = Composer {
            project,
            fonts,
            // A brief in a language the theme has no labels for gets the
            // site's.
            labels: if theme.i18n.has(&brief.lang) {
                theme.labels(&brief.lang).clone()
            } else {
                theme.labels(&project.site.language).clone()
            },
            style,
            brief,
            rtl: crate::i18n::is_rtl(&brief.lang),
            images: std::sync::Mutex::new(images),
            last_level: std::sync::atomic::AtomicU8::new(0),
            heading_numbers: Default::default(),
            logo,
            ids: Default::default(),
        };
        let author = brief
            .author
            .as_deref()
            .and_then(|a| project.contacts.get(a));
        let write = write.unwrap_or(brief.body.len() > WRITTEN_BODY_TEXT);
        // The cover is page 0; the body starts on page 1. Its images are
        // counted as compose finds them, before any page shows them.
        let mut writer = write
            .then(|| BodyWriter::new(fonts.set.files(), 1))
            .flatten();
        let streamed = writer.is_some();
        let images = || {
            composer
                .images
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .len()
        };
        let mut done = |page: &mut Page| match writer.as_mut() {
            Some(w) => {
                w.set_images(images());
                w.write(page).map_err(|e| e.message().to_string())
            }
            None => Ok(()),
        };
        let page = composer.style.page;
        let body = if streamed {
            // A long body is laid out and written as compose makes it, on
            // a thread of its own: its blocks are never all made at once.
            let (body, made) = std::thread::scope(|scope| {
                let (to, blocks) = std::sync::mpsc::sync_channel(BLOCKS_AHEAD);
                let making = scope.spawn(|| {
                    let mut out = Out::sent(to);
                    let made = composer.body_blocks(author, &mut out);
                    out.finish();
                    made
                });
                let body = flow_each(blocks, &fonts.set, page, Some(&mut done));
                let made = making
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (body, made)
            });
            made?;
            body
        } else {
            let mut out = Out::kept();
            composer.body_blocks(author, &mut out)?;
            flow_each(out.finish(), &fonts.set, page, Some(&mut done))
        }
        .map_err(|e| layout_err(e, brief))?;
        Ok(MemoLayout {
            composer,
            body,
            written: writer.map(BodyWriter::finish),
            author,
            version: None,
        })
    }

    /// Records the copy's brief and version in the PDF's information, so
    /// `copies --verify` can name a copy even when its bytes were altered.
    pub fn with_version(mut self, brief: &str, version: &str) -> Self {
        self.version = Some((brief.to_string(), version.to_string()));
        self
    }

    /// The memo's pages, personalised when `recipient` is given; the body
    /// pages are copied, so one layout serves every numbered copy.
    pub fn document(&self, recipient: Option<&Recipient>) -> Result<Document, Error> {
        self.assemble(self.body.pages.clone(), recipient)
    }

    /// The memo's pages, taking the body pages rather than copying them:
    /// a memo made once holds its glyphs in memory once.
    pub fn into_document(mut self, recipient: Option<&Recipient>) -> Result<Document, Error> {
        let body = std::mem::take(&mut self.body.pages);
        self.assemble(body, recipient)
    }

    fn assemble(&self, body: Vec<Page>, recipient: Option<&Recipient>) -> Result<Document, Error> {
        let c = &self.composer;
        let (project, brief, fonts) = (c.project, c.brief, c.fonts);
        let anchors = self.anchors(&body);
        let mut pages = vec![c.cover(self.author, recipient, &self.body.outline)?];
        pages.extend(body);
        let total = pages.len();
        for (i, page) in pages.iter_mut().enumerate().skip(1) {
            c.decorate(page, i + 1, total, recipient)?;
        }

        let mut outline = vec![Outline {
            title: brief.front.title.clone(),
            page: 0,
            y: 0.0,
            children: Vec::new(),
        }];
        outline.extend(self.body.outline.iter().cloned().map(|mut o| {
            shift_outline(&mut o);
            o
        }));

        let mut keywords = brief.front.tags.clone();
        for m in project.minerals_of(brief) {
            if !keywords.iter().any(|k| k.eq_ignore_ascii_case(&m)) {
                keywords.push(m);
            }
        }
        let mut subject = brief.front.summary.clone();
        let mut custom = Vec::new();
        if let Some(r) = recipient {
            let copy = c.tf("copy_number", &[("number", &format!("{:03}", r.copy_no))]);
            let who = c.tf("prepared_for_name", &[("name", &r.label())]);
            subject = format!("{who} ({copy}). {subject}");
            keywords.push(who);
            keywords.push(copy);
            custom.push(("OrepressCopy".to_string(), format!("{:03}", r.copy_no)));
            custom.push(("OrepressRecipient".to_string(), r.label()));
        }
        if let Some((b, v)) = &self.version {
            custom.push(("OrepressBrief".to_string(), b.clone()));
            custom.push(("OrepressVersion".to_string(), v.clone()));
        }
        let metadata = Metadata {
            title: brief.front.title.clone(),
            author: self
                .author
                .map_or_else(|| project.site.brand.name.clone(), |a| a.name.clone()),
            subject,
            keywords,
            creator: format!("orepress {}", env!("CARGO_PKG_VERSION")),
            language: brief.lang.clone(),
            date: brief.front.date.ymd(),
            custom,
            standard: project.site.memo.pdf_standard,
        };
        Ok(Document {
            pages,
            fonts: fonts.set.files(),
            images: c.images.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            outline,
            metadata,
            anchors,
            written: self.written.clone(),
        })
    }

    /// The memo's named places (pages counted with the cover): each
    /// contents entry's section (`sec-N`), each footnote (`fn-N`, from
    /// flow) and the first mark that refers to it (`fnref-N`).
    fn anchors(&self, body: &[Page]) -> Vec<Anchor> {
        let mut out: Vec<Anchor> = self
            .body
            .outline
            .iter()
            .enumerate()
            .map(|(i, o)| Anchor {
                name: format!("sec-{i}"),
                page: o.page + 1,
                y: o.y,
            })
            .collect();
        out.extend(self.body.anchors.iter().map(|a| Anchor {
            page: a.page + 1,
            ..a.clone()
        }));
        let mut named: std::collections::HashSet<String> =
            out.iter().map(|a| a.name.clone()).collect();
        for (p, page) in body.iter().enumerate() {
            let links = page.items.iter().filter_map(|item| match item {
                Item::Link { y, uri, .. } => Some((*y, uri.as_str())),
                _ => None,
            });
            let written = self.written.iter().flat_map(|w| w.links(p));
            for (y, uri) in links.chain(written) {
                if let Some(n) = crate::pdf::layout::linked_note(uri) {
                    let name = format!("fnref-{n}");
                    if named.insert(name.clone()) {
                        out.push(Anchor {
                            name,
                            page: p + 1,
                            y: (y - 12.0).max(0.0),
                        });
                    }
                }
            }
        }
        // A note whose mark is not a link (one in a heading, which the
        // memo sets as plain text) leads back to itself: its number's link
        // named a place that did not exist, and the memo was not written.
        let unmarked: Vec<Anchor> = out
            .iter()
            .filter_map(|a| {
                let n = a.name.strip_prefix("fn-")?;
                let name = format!("fnref-{n}");
                (!named.contains(&name)).then(|| Anchor { name, ..a.clone() })
            })
            .collect();
        out.extend(unmarked);
        out
    }
}

/// Flowed pages start at index 0; in the memo the cover comes first.
fn shift_outline(o: &mut Outline) {
    o.page += 1;
    for ch in &mut o.children {
        shift_outline(ch);
    }
}

/// Builds the parts of one memo; its methods live in the files of this
/// module, one file per part.
struct Composer<'a> {
    project: &'a Project,
    fonts: &'a MemoFonts,
    /// The fixed words of the memo, in the brief's language.
    labels: crate::i18n::Labels,
    style: Style,
    brief: &'a Brief,
    /// The brief's language is written right to left: the memo is mirrored.
    rtl: bool,
    images: std::sync::Mutex<Vec<Arc<ImageData>>>,
    /// The level of the last section heading of the text (0 before the
    /// first): a heading goes at most one level below it. The body is made
    /// once per composer, as its heading numbers are counted.
    last_level: std::sync::atomic::AtomicU8,
    /// The brand's logo among `images`, when it is a PNG or JPEG.
    logo: Option<ImageId>,
    heading_numbers: std::sync::Mutex<[u32; 6]>,
    /// Numbers of the body's structure elements.
    ids: std::sync::atomic::AtomicU32,
}

impl Composer<'_> {
    /// The base direction of the memo's paragraphs.
    fn dir(&self) -> Dir {
        if self.rtl {
            Dir::Rtl
        } else {
            Dir::Auto
        }
    }

    /// Where a line starts: at the right in a right-to-left memo.
    fn start(&self) -> Align {
        if self.rtl {
            Align::Right
        } else {
            Align::Left
        }
    }

    /// Where a line ends: the other side from [`Composer::start`].
    fn end(&self) -> Align {
        if self.rtl {
            Align::Left
        } else {
            Align::Right
        }
    }

    /// The left edge of a box `w` wide whose left edge would be at `x` in a
    /// left-to-right memo: mirrored across the measure in a right-to-left
    /// one, so what stands at the left margin stands at the right.
    fn mx(&self, x: f32, w: f32) -> f32 {
        if self.rtl {
            let p = &self.style.page;
            2.0 * p.margin_left + p.measure() - x - w
        } else {
            x
        }
    }

    fn span(&self, text: impl Into<String>, font: FontId, size: f32, color: Rgb) -> Span {
        Span::new(text, font, size, color)
    }

    /// The colour of secondary text (struck out, an image's alt text)
    /// among text of `color`: the muted grey, but on a dark fill (white
    /// text, a table's header row) the text's own colour.
    fn muted(&self, color: Rgb) -> Rgb {
        if color == Rgb::WHITE {
            color
        } else {
            self.style.muted
        }
    }

    /// A new structure element of the body.
    fn node(&self, role: Role) -> Node {
        Node::new(
            role,
            self.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        )
    }

    fn err(&self, e: crate::pdf::layout::LayoutError) -> Error {
        layout_err(e, self.brief)
    }

    /// The brand's name, or the site's title when there is none (as the
    /// site writes it in the brief's language).
    fn brand(&self) -> String {
        let site = &self.project.site;
        site.text(&self.brief.lang)
            .and_then(|t| t.brand.clone())
            .unwrap_or_else(|| crate::present::brand(site).to_string())
    }

    /// The site's title in the brief's language.
    fn site_title(&self) -> String {
        let site = &self.project.site;
        site.text(&self.brief.lang)
            .and_then(|t| t.title.clone())
            .unwrap_or_else(|| site.title.clone())
    }

    /// A fixed label in the brief's language.
    fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.labels.get(key)
    }

    /// A label with its `{name}` placeholders filled in.
    fn tf(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.labels.fmt(key, values)
    }

    /// Data written in any script (a name, a source's title, a country)
    /// set among the memo's own words: in a right-to-left memo it is
    /// isolated (FSI … PDI, as `<bdi>` on the site), so that a Latin title
    /// keeps its brackets and does not take the number of an Urdu date
    /// beside it; unchanged in a left-to-right memo.
    fn isolate(&self, text: &str) -> String {
        if self.rtl {
            crate::pdf::layout::bidi::isolate(text)
        } else {
            text.to_string()
        }
    }

    /// The comma of the brief's language.
    fn comma(&self) -> &str {
        self.t("comma")
    }

    /// A contact's name, title and organisation in the brief's language.
    fn contact_words(&self, c: &Contact) -> (String, String, String) {
        let tr = crate::content::translated(&c.translations, &self.brief.lang);
        let pick = |own: Option<&String>, base: &String| own.unwrap_or(base).clone();
        (
            pick(tr.and_then(|t| t.name.as_ref()), &c.name),
            pick(tr.and_then(|t| t.title.as_ref()), &c.title),
            pick(tr.and_then(|t| t.organization.as_ref()), &c.organization),
        )
    }

    /// A deal's title in the brief's language.
    fn deal_title(&self, d: &crate::content::Deal) -> String {
        crate::content::translated(&d.translations, &self.brief.lang)
            .and_then(|t| t.title.clone())
            .unwrap_or_else(|| d.title.clone())
    }

    /// As [`Composer::line`], placed as in a left-to-right memo and
    /// mirrored in a right-to-left one: the box `[x, x + width]` across the
    /// measure, and left and right alignment swapped.
    fn mline(
        &self,
        items: &mut Vec<Item>,
        span: Span,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> Result<(), Error> {
        let align = match align {
            Align::Left | Align::Justify => self.start(),
            Align::Right => self.end(),
            Align::Center => Align::Center,
        };
        self.line(items, span, self.mx(x, width), y, width, align)
    }

    /// One line of a single span at (`x`, baseline `y`), appended to `items`.
    fn line(
        &self,
        items: &mut Vec<Item>,
        span: Span,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> Result<(), Error> {
        let line =
            layout_line(&self.fonts.set, &[span], x, y, width, align).map_err(|e| self.err(e))?;
        items.extend(line);
        Ok(())
    }
}
