//! Memo structure: cover, executive summary, body from Markdown, data
//! tables, deal facts, contact card with QR code, legal notices, running
//! header and footer, personalisation, bookmarks and metadata. Produces a
//! [`Document`] of positioned pages; knows nothing of PDF syntax.

use std::sync::Arc;

use crate::content::{Brief, Contact, DataTable, Deal, Project};
use crate::error::{Error, Kind};
use crate::markdown::{self, Align as MdAlign, Block as MdBlock, Inline};
use crate::pdf::frame::{Document, FontId, ImageData, ImageId, Item, Metadata, Outline, Page, Rgb};
use crate::pdf::layout::{
    flow, layout_line, measure, paragraph_box, Align, Block, Column, FixedBox, Flowed, FontSet,
    PageSpec, ParaStyle, Span, Table, TableStyle,
};
use crate::present;
use crate::theme::Theme;

const MM: f32 = 72.0 / 25.4;

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
}

impl MemoFonts {
    pub fn load(theme: &Theme) -> Result<MemoFonts, Error> {
        let f = &theme.config.fonts;
        let mut set = FontSet::new();
        let mut add = |name: &str| -> Result<FontId, Error> {
            let data = theme.font(name).ok_or_else(|| {
                Error::in_file(
                    format!("themes/{}/fonts/{name}", theme.config.name),
                    "font file not found",
                )
            })?;
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            set.add(data, stem).map_err(|e| {
                Error::in_file(
                    format!("themes/{}/fonts/{name}", theme.config.name),
                    "cannot use this font",
                )
                .with_cause(e.message)
            })
        };
        Ok(MemoFonts {
            serif: add(&f.body)?,
            serif_bold: add(&f.body_bold)?,
            serif_italic: add(&f.body_italic)?,
            serif_bold_italic: add(&f.body_bold_italic)?,
            sans: add(&f.heading)?,
            sans_bold: add(&f.heading_bold)?,
            sans_italic: add(&f.heading_italic)?,
            set,
        })
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
        present::name_org(&self.name, &self.organization)
    }

    /// "Copy No. 007".
    pub fn copy_label(&self) -> String {
        format!("Copy No. {:03}", self.copy_no)
    }
}

/// Colours and sizes of a memo, from the theme.
struct Style {
    primary: Rgb,
    accent: Rgb,
    text: Rgb,
    muted: Rgb,
    rule: Rgb,
    tint: Rgb,
    body: f32,
    leading: f32,
    page: PageSpec,
    numbered: bool,
}

fn rgb(c: &crate::values::Color) -> Rgb {
    let (r, g, b) = c.rgb();
    Rgb(r, g, b)
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
    MemoLayout::new(project, theme, fonts, brief)?.document(recipient)
}

/// A memo laid out once: the body flowed into pages. Personalised copies
/// share it; only the cover and the page decorations are made per copy.
pub struct MemoLayout<'a> {
    composer: Composer<'a>,
    body: Flowed,
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
        let composer = Composer {
            project,
            fonts,
            style,
            brief,
            images: Default::default(),
            heading_numbers: Default::default(),
        };
        let author = brief
            .author
            .as_deref()
            .and_then(|a| project.contacts.get(a));
        let blocks = composer.body_blocks(author)?;
        let body =
            flow(&blocks, &fonts.set, composer.style.page).map_err(|e| layout_err(e, brief))?;
        Ok(MemoLayout {
            composer,
            body,
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

    /// The memo's pages, personalised when `recipient` is given.
    pub fn document(&self, recipient: Option<&Recipient>) -> Result<Document, Error> {
        let c = &self.composer;
        let (project, brief, fonts) = (c.project, c.brief, c.fonts);
        let mut pages = vec![c.cover(self.author, recipient, &self.body.outline)?];
        pages.extend(self.body.pages.iter().cloned());
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
            subject = format!("Prepared for {} ({}). {subject}", r.label(), r.copy_label());
            keywords.push(format!("Prepared for {}", r.label()));
            keywords.push(r.copy_label());
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
        };
        Ok(Document {
            pages,
            fonts: fonts.set.files(),
            images: c.images.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            outline,
            metadata,
        })
    }
}

/// Flowed pages start at index 0; in the memo the cover comes first.
fn shift_outline(o: &mut Outline) {
    o.page += 1;
    for ch in &mut o.children {
        shift_outline(ch);
    }
}

struct Composer<'a> {
    project: &'a Project,
    fonts: &'a MemoFonts,
    style: Style,
    brief: &'a Brief,
    images: std::sync::Mutex<Vec<Arc<ImageData>>>,
    heading_numbers: std::sync::Mutex<[u32; 6]>,
}

impl Composer<'_> {
    fn span(&self, text: impl Into<String>, font: FontId, size: f32, color: Rgb) -> Span {
        Span::new(text, font, size, color)
    }

    fn err(&self, e: crate::pdf::layout::LayoutError) -> Error {
        layout_err(e, self.brief)
    }

    // ---- cover ---------------------------------------------------------

    fn cover(
        &self,
        author: Option<&Contact>,
        recipient: Option<&Recipient>,
        contents: &[Outline],
    ) -> Result<Page, Error> {
        let s = &self.style;
        let f = self.fonts;
        let fs = &f.set;
        let (w, h) = (s.page.width, s.page.height);
        let left = s.page.margin_left;
        let measure_w = s.page.measure();
        let mut items = Vec::new();
        let site = &self.project.site;
        let brand = present::brand(site);

        // Brand band.
        let band = 150.0;
        items.push(Item::Rect {
            x: 0.0,
            y: 0.0,
            w,
            h: band,
            fill: Some(s.primary),
            stroke: None,
        });
        items.push(Item::Rect {
            x: 0.0,
            y: band,
            w,
            h: 4.0,
            fill: Some(s.accent),
            stroke: None,
        });
        items.extend(
            layout_line(
                fs,
                &[self.span(brand.to_uppercase(), f.sans_bold, 13.0, Rgb::WHITE)],
                left,
                62.0,
                measure_w,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );
        items.extend(
            layout_line(
                fs,
                &[self.span(site.title.clone(), f.sans, 10.0, Rgb(0.85, 0.89, 0.93))],
                left,
                80.0,
                measure_w,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );
        let kind = if self.brief.front.confidential {
            "CONFIDENTIAL INVESTOR MEMO"
        } else {
            "INVESTOR MEMO"
        };
        items.extend(
            layout_line(
                fs,
                &[self.span(kind, f.sans_bold, 9.0, s.accent)],
                left,
                122.0,
                measure_w,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );

        // Title and summary.
        let mut y = band + 64.0;
        let title_style = ParaStyle {
            align: Align::Left,
            leading: 34.0,
            hyphenate: false,
            space_after: 0.0,
            ..Default::default()
        };
        let (title_items, th) = paragraph_box(
            fs,
            &[self.span(
                self.brief.front.title.clone(),
                f.serif_bold,
                28.0,
                s.primary,
            )],
            &title_style,
            left,
            y,
            measure_w * 0.92,
        )
        .map_err(|e| self.err(e))?;
        items.extend(title_items);
        y += th + 14.0;
        items.push(Item::Rect {
            x: left,
            y,
            w: 56.0,
            h: 2.5,
            fill: Some(s.accent),
            stroke: None,
        });
        y += 20.0;
        let summary_style = ParaStyle {
            align: Align::Left,
            leading: 19.0,
            hyphenate: false,
            space_after: 0.0,
            ..Default::default()
        };
        let (sum_items, sh) = paragraph_box(
            fs,
            &[self.span(
                self.brief.front.summary.clone(),
                f.serif_italic,
                13.0,
                s.text,
            )],
            &summary_style,
            left,
            y,
            measure_w * 0.9,
        )
        .map_err(|e| self.err(e))?;
        items.extend(sum_items);
        y += sh + 34.0;

        // Facts about the memo: date, author, deals.
        let mut rows: Vec<(&str, String)> = vec![("Date", present::date(self.brief.front.date))];
        if let Some(a) = author {
            let mut who = a.name.clone();
            if !a.title.is_empty() {
                who.push_str(&format!(", {}", a.title));
            }
            if !a.organization.is_empty() {
                who.push_str(&format!(", {}", a.organization));
            }
            rows.push(("Prepared by", who));
        }
        let deals: Vec<String> = self
            .project
            .deals_of(self.brief)
            .map(|d| d.title.clone())
            .collect();
        if !deals.is_empty() {
            rows.push(("Deals covered", deals.join("; ")));
        }
        let label_w = 92.0;
        let value_style = ParaStyle {
            align: Align::Left,
            leading: 14.0,
            hyphenate: false,
            space_after: 0.0,
            ..Default::default()
        };
        for (label, value) in rows {
            items.push(Item::Line {
                x1: left,
                y1: y,
                x2: left + measure_w,
                y2: y,
                width: 0.5,
                color: s.rule,
            });
            y += 8.0;
            let (vi, vh) = paragraph_box(
                fs,
                &[self.span(value, f.sans, 10.0, s.text)],
                &value_style,
                left + label_w,
                y,
                measure_w - label_w,
            )
            .map_err(|e| self.err(e))?;
            // The label sits on the value's first baseline.
            let first_baseline = vi
                .iter()
                .find_map(|it| {
                    if let Item::Text(t) = it {
                        Some(t.y)
                    } else {
                        None
                    }
                })
                .unwrap_or(y + 10.0);
            items.extend(
                layout_line(
                    fs,
                    &[self.span(label.to_uppercase(), f.sans_bold, 7.5, s.muted)],
                    left,
                    first_baseline,
                    label_w,
                    Align::Left,
                )
                .map_err(|e| self.err(e))?,
            );
            items.extend(vi);
            y += vh.max(14.0) + 6.0;
        }
        items.push(Item::Line {
            x1: left,
            y1: y,
            x2: left + measure_w,
            y2: y,
            width: 0.5,
            color: s.rule,
        });

        // Contents: the memo's sections with their page numbers (the cover
        // is page 1), as far as they fit above the distribution box.
        let reserved = if recipient.is_some() {
            58.0 + 40.0 + 24.0
        } else {
            36.0
        };
        let limit = h - s.page.margin_bottom - reserved;
        if !contents.is_empty() {
            y += 28.0;
            items.extend(
                layout_line(
                    fs,
                    &[self.span("CONTENTS", f.sans_bold, 7.5, s.muted)],
                    left,
                    y,
                    measure_w,
                    Align::Left,
                )
                .map_err(|e| self.err(e))?,
            );
            y += 8.0;
            // One column at full pitch where the list fits, else a tighter
            // pitch, else two columns: the whole list always shows.
            let avail = limit - y;
            let n = contents.len();
            let (cols, pitch) = if 15.0 * n as f32 <= avail {
                (1, 15.0)
            } else if 12.5 * n as f32 <= avail {
                (1, avail / n as f32)
            } else {
                (2, (avail / n.div_ceil(2) as f32).min(15.0))
            };
            let per_col = n.div_ceil(cols);
            let max_rows = (avail / pitch.max(11.0)).floor() as usize;
            let gutter = 24.0;
            let col_w = (measure_w - gutter * (cols - 1) as f32) / cols as f32;
            for (i, entry) in contents.iter().enumerate() {
                let (col, row) = (i / per_col, i % per_col);
                if row >= max_rows {
                    continue;
                }
                let ey = y + (row + 1) as f32 * pitch;
                let ex = left + col as f32 * (col_w + gutter);
                let number = format!("{}", entry.page + 2);
                let nw = measure(fs, &[self.span(number.clone(), f.sans, 9.5, s.muted)])
                    .map_err(|e| self.err(e))?;
                let title = fit(fs, &entry.title, f.sans, 9.5, col_w - nw - 20.0)
                    .map_err(|e| self.err(e))?;
                let tw = measure(fs, &[self.span(title.clone(), f.sans, 9.5, s.text)])
                    .map_err(|e| self.err(e))?;
                items.extend(
                    layout_line(
                        fs,
                        &[self.span(title, f.sans, 9.5, s.text)],
                        ex,
                        ey,
                        col_w,
                        Align::Left,
                    )
                    .map_err(|e| self.err(e))?,
                );
                // A dotted leader between title and page number.
                let (x1, x2) = (ex + tw + 6.0, ex + col_w - nw - 6.0);
                let mut x = x1;
                while x + 1.0 < x2 {
                    items.push(Item::Rect {
                        x,
                        y: ey - 1.2,
                        w: 0.8,
                        h: 0.8,
                        fill: Some(s.rule),
                        stroke: None,
                    });
                    x += 3.5;
                }
                items.extend(
                    layout_line(
                        fs,
                        &[self.span(number, f.sans, 9.5, s.muted)],
                        ex,
                        ey,
                        col_w,
                        Align::Right,
                    )
                    .map_err(|e| self.err(e))?,
                );
            }
        }

        // Distribution box: who this copy is for.
        let box_h = 58.0;
        let box_y = h - s.page.margin_bottom - box_h - 40.0;
        if let Some(r) = recipient {
            items.push(Item::Rect {
                x: left,
                y: box_y,
                w: measure_w,
                h: box_h,
                fill: Some(s.tint),
                stroke: Some((s.rule, 0.6)),
            });
            items.push(Item::Rect {
                x: left,
                y: box_y,
                w: 3.0,
                h: box_h,
                fill: Some(s.accent),
                stroke: None,
            });
            items.extend(
                layout_line(
                    fs,
                    &[self.span("PREPARED FOR", f.sans_bold, 7.5, s.muted)],
                    left + 14.0,
                    box_y + 18.0,
                    200.0,
                    Align::Left,
                )
                .map_err(|e| self.err(e))?,
            );
            items.extend(
                layout_line(
                    fs,
                    &[self.span(r.label(), f.serif_bold, 12.5, s.text)],
                    left + 14.0,
                    box_y + 38.0,
                    measure_w - 140.0,
                    Align::Left,
                )
                .map_err(|e| self.err(e))?,
            );
            items.extend(
                layout_line(
                    fs,
                    &[self.span("COPY NO.", f.sans_bold, 7.5, s.muted)],
                    left,
                    box_y + 18.0,
                    measure_w - 14.0,
                    Align::Right,
                )
                .map_err(|e| self.err(e))?,
            );
            items.extend(
                layout_line(
                    fs,
                    &[self.span(format!("{:03}", r.copy_no), f.sans_bold, 16.0, s.primary)],
                    left,
                    box_y + 40.0,
                    measure_w - 14.0,
                    Align::Right,
                )
                .map_err(|e| self.err(e))?,
            );
        }

        // Foot of the cover: confidentiality line.
        let foot = if self.brief.front.confidential {
            "Confidential. Not for distribution. Not an offer of securities."
        } else {
            "For information only. Not an offer of securities."
        };
        let fy = h - s.page.margin_bottom;
        items.push(Item::Line {
            x1: left,
            y1: fy - 14.0,
            x2: left + measure_w,
            y2: fy - 14.0,
            width: 0.5,
            color: s.rule,
        });
        items.extend(
            layout_line(
                fs,
                &[self.span(foot, f.sans, 8.0, s.muted)],
                left,
                fy,
                measure_w,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );
        items.extend(
            layout_line(
                fs,
                &[self.span(brand, f.sans_bold, 8.0, s.primary)],
                left,
                fy,
                measure_w,
                Align::Right,
            )
            .map_err(|e| self.err(e))?,
        );
        Ok(Page {
            width: w,
            height: h,
            items,
        })
    }

    // ---- running header, footer, watermark ----------------------------

    fn decorate(
        &self,
        page: &mut Page,
        number: usize,
        total: usize,
        recipient: Option<&Recipient>,
    ) -> Result<(), Error> {
        let s = &self.style;
        let f = self.fonts;
        let fs = &f.set;
        let left = s.page.margin_left;
        let mw = s.page.measure();
        let mut items = Vec::new();
        if let Some(r) = recipient {
            items.push(self.watermark(page, r)?);
        }
        let site = &self.project.site;
        let brand = present::brand(site);
        let hy = s.page.margin_top - 24.0;
        items.extend(
            layout_line(
                fs,
                &[self.span(brand.to_uppercase(), f.sans_bold, 7.5, s.primary)],
                left,
                hy,
                mw,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );
        let short = short_title(&self.brief.front.title);
        let brand_w = measure(
            fs,
            &[self.span(brand.to_uppercase(), f.sans_bold, 7.5, s.primary)],
        )
        .map_err(|e| self.err(e))?;
        let title = fit(fs, &short, f.sans, 7.5, mw - brand_w - 24.0).map_err(|e| self.err(e))?;
        items.extend(
            layout_line(
                fs,
                &[self.span(title, f.sans, 7.5, s.muted)],
                left,
                hy,
                mw,
                Align::Right,
            )
            .map_err(|e| self.err(e))?,
        );
        items.push(Item::Line {
            x1: left,
            y1: hy + 6.0,
            x2: left + mw,
            y2: hy + 6.0,
            width: 0.5,
            color: s.rule,
        });

        let fy = s.page.height - s.page.margin_bottom + 30.0;
        items.push(Item::Line {
            x1: left,
            y1: fy - 12.0,
            x2: left + mw,
            y2: fy - 12.0,
            width: 0.5,
            color: s.rule,
        });
        let page_label = format!("Page {number} of {total}");
        let pw = measure(fs, &[self.span(page_label.clone(), f.sans, 7.5, s.muted)])
            .map_err(|e| self.err(e))?;
        let room = mw - pw - 24.0;
        let left_text = match recipient {
            // The copy number stays whole however long the name: `--verify`
            // reads it from any page taken out of a copy.
            Some(r) => {
                let number = format!(" · {}", r.copy_label());
                let nw = measure(fs, &[self.span(number.clone(), f.sans, 7.5, s.muted)])
                    .map_err(|e| self.err(e))?;
                let who = format!("Prepared for {}", r.label());
                let who = fit(fs, &who, f.sans, 7.5, room - nw).map_err(|e| self.err(e))?;
                if who.is_empty() {
                    r.copy_label()
                } else {
                    format!("{who}{number}")
                }
            }
            None if self.brief.front.confidential => {
                fit(fs, "Confidential — not for distribution", f.sans, 7.5, room)
                    .map_err(|e| self.err(e))?
            }
            None => fit(fs, &site.title, f.sans, 7.5, room).map_err(|e| self.err(e))?,
        };
        let color = if recipient.is_some() || self.brief.front.confidential {
            s.primary
        } else {
            s.muted
        };
        items.extend(
            layout_line(
                fs,
                &[self.span(left_text, f.sans, 7.5, color)],
                left,
                fy,
                mw,
                Align::Left,
            )
            .map_err(|e| self.err(e))?,
        );
        items.extend(
            layout_line(
                fs,
                &[self.span(page_label, f.sans, 7.5, s.muted)],
                left,
                fy,
                mw,
                Align::Right,
            )
            .map_err(|e| self.err(e))?,
        );

        // Watermark first so it lies beneath the text; header/footer last.
        let body = std::mem::take(&mut page.items);
        let (mark, rest): (Vec<Item>, Vec<Item>) = items
            .into_iter()
            .partition(|i| matches!(i, Item::Text(t) if t.opacity < 1.0));
        page.items = mark;
        page.items.extend(rest);
        page.items.extend(body);
        Ok(())
    }

    fn watermark(&self, page: &Page, r: &Recipient) -> Result<Item, Error> {
        let f = self.fonts;
        let text = r.label();
        let diag = (page.width.powi(2) + page.height.powi(2)).sqrt();
        let natural = measure(
            &f.set,
            &[self.span(text.clone(), f.sans_bold, 10.0, self.style.primary)],
        )
        .map_err(|e| self.err(e))?;
        let size = (diag * 0.55 / natural * 10.0).clamp(18.0, 54.0);
        let line = crate::pdf::layout::single_line(
            &f.set,
            &[self.span(text, f.sans_bold, size, self.style.primary)],
        )
        .map_err(|e| self.err(e))?;
        let angle = (page.height / page.width).atan();
        let (cx, cy) = (page.width / 2.0, page.height / 2.0);
        let half = line.width / 2.0;
        // Start so that the text's centre sits at the page centre, rising to the right.
        let x = cx - half * angle.cos() + (size * 0.35) * angle.sin();
        let y = cy + half * angle.sin() + (size * 0.35) * angle.cos();
        let mut run = line
            .runs
            .into_iter()
            .next()
            .ok_or_else(|| Error::msg(Kind::Content, "empty watermark"))?;
        run.x = x;
        run.y = y;
        run.rotation = angle.to_degrees();
        run.opacity = 0.07;
        Ok(Item::Text(run))
    }

    // ---- body ----------------------------------------------------------

    fn para_style(&self) -> ParaStyle {
        ParaStyle {
            align: Align::Justify,
            leading: self.style.leading,
            space_after: self.style.body * 0.7,
            hyphenate: true,
            ..Default::default()
        }
    }

    fn heading(&self, level: u8, text: &str, numbered: bool) -> Block {
        let s = &self.style;
        let f = self.fonts;
        let label = if self.style.numbered && numbered && level <= 3 {
            let idx = (level.saturating_sub(1)) as usize;
            let mut guard = self
                .heading_numbers
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            guard[idx] += 1;
            for n in guard.iter_mut().skip(idx + 1) {
                *n = 0;
            }
            let numbers = *guard;
            drop(guard);
            let nums: Vec<String> = numbers[..=idx].iter().map(|n| n.to_string()).collect();
            format!("{}\u{2002}{text}", nums.join("."))
        } else {
            text.to_string()
        };
        let (font, size, color, before, after) = match level {
            1 => (f.serif_bold, 16.0, s.primary, 20.0, 8.0),
            2 => (f.sans_bold, 11.5, s.primary, 14.0, 5.0),
            _ => (f.sans_bold, 10.0, s.text, 10.0, 3.0),
        };
        let style = ParaStyle {
            align: Align::Left,
            leading: size * 1.3,
            space_before: before,
            space_after: after,
            keep_with_next: true,
            hyphenate: false,
            outline_level: Some(level),
            rule_below: if level == 1 {
                Some((s.accent, 0.8))
            } else {
                None
            },
            rule_gap: 4.0,
            ..Default::default()
        };
        Block::Para(vec![self.span(label, font, size, color)], style)
    }

    fn body_blocks(&self, author: Option<&Contact>) -> Result<Vec<Block>, Error> {
        let doc = markdown::to_blocks(&self.brief.body);
        let mut out = Vec::new();

        // Executive summary in a tinted panel.
        out.push(self.heading(1, "Executive summary", false));
        let s = &self.style;
        let f = self.fonts;
        out.push(Block::Para(
            vec![self.span(
                self.brief.front.summary.clone(),
                f.serif_italic,
                s.body + 1.0,
                s.text,
            )],
            ParaStyle {
                align: Align::Left,
                leading: (s.body + 1.0) * 1.45,
                background: Some(s.tint),
                padding: 10.0,
                bar: Some((s.accent, 2.5)),
                indent_left: 12.0,
                indent_right: 10.0,
                space_before: 4.0,
                space_after: 14.0,
                hyphenate: false,
                ..Default::default()
            },
        ));

        // Markdown headings: `##` is a section (level 1 in the memo).
        let top = doc
            .blocks
            .iter()
            .filter_map(|b| {
                if let MdBlock::Heading { level, .. } = b {
                    Some(*level)
                } else {
                    None
                }
            })
            .min()
            .unwrap_or(2);
        for b in &doc.blocks {
            self.md_block(b, top, 0, &mut out)?;
        }

        if !doc.footnotes.is_empty() {
            out.push(self.heading(1, "Notes", false));
            for (n, blocks) in &doc.footnotes {
                let mut spans = Vec::new();
                for b in blocks {
                    if let MdBlock::Paragraph(inl) = b {
                        if !spans.is_empty() {
                            spans.push(self.span(" ", f.serif, s.body - 1.5, s.text));
                        }
                        spans.extend(self.inlines(inl, Font::Serif, s.body - 1.5, s.text));
                    }
                }
                out.push(Block::Para(
                    spans,
                    ParaStyle {
                        align: Align::Justify,
                        leading: (s.body - 1.5) * 1.4,
                        indent_left: 16.0,
                        marker: Some(vec![self.span(
                            format!("{n}."),
                            f.sans,
                            s.body - 2.0,
                            s.muted,
                        )]),
                        marker_gap: 5.0,
                        space_after: 3.0,
                        ..Default::default()
                    },
                ));
            }
        }

        let deals: Vec<&Deal> = self.project.deals_of(self.brief).collect();
        if !deals.is_empty() {
            out.push(self.heading(1, "Deal facts", false));
            for d in deals {
                out.push(self.heading(2, &d.title, false));
                out.push(Block::Table(self.deal_table(d)));
            }
        }

        if let Some(a) = author {
            out.push(self.heading(1, "Contact", false));
            out.push(Block::Fixed(self.contact_card(a)?));
        }

        let notices = self.project.site.legal.notices();
        if !notices.is_empty() {
            out.push(self.heading(1, "Important notices", false));
            let small = s.body - 2.0;
            for (heading, text) in notices {
                out.push(Block::Para(
                    vec![self.span(heading, f.sans_bold, small + 0.5, s.text)],
                    ParaStyle {
                        align: Align::Left,
                        leading: small * 1.45,
                        keep_with_next: true,
                        space_before: 4.0,
                        space_after: 1.0,
                        hyphenate: false,
                        ..Default::default()
                    },
                ));
                out.push(Block::Para(
                    vec![self.span(text.trim(), f.serif, small, s.muted)],
                    ParaStyle {
                        align: Align::Justify,
                        leading: small * 1.45,
                        space_after: 4.0,
                        ..Default::default()
                    },
                ));
            }
        }
        Ok(out)
    }

    fn md_block(
        &self,
        b: &MdBlock,
        top: u8,
        depth: usize,
        out: &mut Vec<Block>,
    ) -> Result<(), Error> {
        let s_body = self.style.body;
        let text_color = self.style.text;
        match b {
            MdBlock::Heading { level, inlines, .. } => {
                let lvl = level.saturating_sub(top) + 1;
                out.push(self.heading(lvl.min(3), &markdown::inline_text(inlines), true));
            }
            MdBlock::Paragraph(inlines) => {
                let spans = self.inlines(inlines, Font::Serif, s_body, text_color);
                let mut st = self.para_style();
                st.indent_left = depth as f32 * 16.0;
                out.push(Block::Para(spans, st));
            }
            MdBlock::List { start, items } => {
                let indent = 16.0 * (depth as f32 + 1.0) + 2.0;
                for (i, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(n) => format!("{}.", n + i as u64),
                        None => if depth == 0 { "•" } else { "–" }.to_string(),
                    };
                    let mut first = true;
                    for inner in item {
                        match inner {
                            MdBlock::Paragraph(inl) => {
                                let spans = self.inlines(inl, Font::Serif, s_body, text_color);
                                let st = ParaStyle {
                                    indent_left: indent,
                                    marker: first.then(|| {
                                        vec![self.span(
                                            marker.clone(),
                                            self.fonts.serif,
                                            s_body,
                                            self.style.accent,
                                        )]
                                    }),
                                    marker_gap: 6.0,
                                    space_after: 3.0,
                                    ..self.para_style()
                                };
                                out.push(Block::Para(spans, st));
                                first = false;
                            }
                            other => self.md_block(other, top, depth + 1, out)?,
                        }
                    }
                }
                if let Some(Block::Para(_, st)) = out.last_mut() {
                    st.space_after = s_body * 0.7;
                }
            }
            MdBlock::Quote(inner) => {
                for q in inner {
                    if let MdBlock::Paragraph(inl) = q {
                        let spans =
                            self.inlines(inl, Font::SerifItalic, s_body + 0.5, self.style.primary);
                        out.push(Block::Para(
                            spans,
                            ParaStyle {
                                align: Align::Left,
                                leading: (s_body + 0.5) * 1.45,
                                indent_left: 18.0 + depth as f32 * 16.0,
                                indent_right: 18.0,
                                bar: Some((self.style.accent, 2.0)),
                                space_before: 4.0,
                                space_after: 10.0,
                                hyphenate: false,
                                ..Default::default()
                            },
                        ));
                    } else {
                        self.md_block(q, top, depth + 1, out)?;
                    }
                }
            }
            MdBlock::Code { text, .. } => {
                let spans = vec![self
                    .span(text.clone(), self.fonts.sans, s_body - 1.5, text_color)
                    .code()];
                out.push(Block::Para(
                    spans,
                    ParaStyle {
                        align: Align::Left,
                        leading: (s_body - 1.5) * 1.4,
                        background: Some(self.style.tint),
                        padding: 6.0,
                        indent_left: 6.0,
                        indent_right: 6.0,
                        hyphenate: false,
                        space_before: 4.0,
                        space_after: 10.0,
                        ..Default::default()
                    },
                ));
            }
            MdBlock::Table {
                align,
                header,
                rows,
            } => {
                let columns = align
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Column {
                        weight: column_weight(header.get(i), rows.iter().filter_map(|r| r.get(i))),
                        align: match a {
                            MdAlign::Left => Align::Left,
                            MdAlign::Center => Align::Center,
                            MdAlign::Right => Align::Right,
                        },
                    })
                    .collect();
                let size = s_body - 1.5;
                let header = header
                    .iter()
                    .map(|c| self.inlines(c, Font::SansBold, size, Rgb::WHITE))
                    .collect();
                let rows = rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| self.inlines(c, Font::Sans, size, text_color))
                            .collect()
                    })
                    .collect();
                out.push(Block::Table(Table {
                    columns,
                    header,
                    rows,
                    style: self.table_style(size),
                }));
            }
            MdBlock::Image { src, alt, .. } => self.image(src, alt, out)?,
            MdBlock::Rule => out.push(Block::Rule {
                color: self.style.rule,
                width: 0.6,
                space: 10.0,
            }),
            MdBlock::DataTable(id) => {
                if let Some(d) = self.project.data.get(id) {
                    self.data_table(d, out);
                }
            }
        }
        Ok(())
    }

    fn table_style(&self, size: f32) -> TableStyle {
        TableStyle {
            header_fill: Some(self.style.primary),
            header_rule: None,
            row_rule: Some((self.style.rule, 0.5)),
            zebra_fill: Some(self.style.tint),
            padding_x: 6.0,
            padding_y: 4.0,
            leading: size * 1.35,
            space_before: 6.0,
            space_after: 12.0,
            keep_together: false,
        }
    }

    fn data_table(&self, d: &DataTable, out: &mut Vec<Block>) {
        let s = &self.style;
        let f = self.fonts;
        let size = s.body - 1.5;
        let mut caption = vec![self.span(d.title.clone(), f.sans_bold, size + 0.5, s.text)];
        if let Some(u) = &d.unit {
            caption.push(self.span(format!(" ({u})"), f.sans, size + 0.5, s.muted));
        }
        out.push(Block::Para(
            caption,
            ParaStyle {
                align: Align::Left,
                leading: size * 1.5,
                keep_with_next: true,
                space_before: 6.0,
                space_after: 0.0,
                hyphenate: false,
                ..Default::default()
            },
        ));
        let rows_text = d.text_rows();
        let columns = d
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| Column {
                weight: (rows_text
                    .iter()
                    .map(|r| r[i].chars().count())
                    .max()
                    .unwrap_or(4)
                    .max(c.label.chars().count()) as f32)
                    .clamp(4.0, 40.0),
                align: match c.align {
                    crate::content::ColumnAlign::Left => Align::Left,
                    crate::content::ColumnAlign::Center => Align::Center,
                    crate::content::ColumnAlign::Right => Align::Right,
                },
            })
            .collect();
        let header = d
            .columns
            .iter()
            .map(|c| vec![self.span(c.label.clone(), f.sans_bold, size, Rgb::WHITE)])
            .collect();
        let rows = rows_text
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| vec![self.span(c, f.sans, size, s.text)])
                    .collect()
            })
            .collect();
        let mut style = self.table_style(size);
        style.space_before = 3.0;
        style.space_after = 2.0;
        out.push(Block::Table(Table {
            columns,
            header,
            rows,
            style,
        }));
        let mut source = vec![self.span("Source: ", f.sans_italic, size - 1.0, s.muted)];
        let src = self.span(d.source.clone(), f.sans_italic, size - 1.0, s.muted);
        source.push(match &d.source_url {
            Some(u) => src.with_link(u.0.clone()),
            None => src,
        });
        source.push(self.span(
            format!(", as of {}.", present::date(d.as_of)),
            f.sans_italic,
            size - 1.0,
            s.muted,
        ));
        out.push(Block::Para(
            source,
            ParaStyle {
                align: Align::Left,
                leading: (size - 1.0) * 1.4,
                space_after: 12.0,
                hyphenate: false,
                ..Default::default()
            },
        ));
    }

    fn deal_table(&self, d: &Deal) -> Table {
        let s = &self.style;
        let f = self.fonts;
        let size = s.body - 1.0;
        let mut rows: Vec<(String, Vec<Span>)> = Vec::new();
        let plain = |t: String| vec![self.span(t, f.sans, size, s.text)];
        rows.push(("Status".into(), plain(present::status(d.status))));
        if let Some(v) = &d.value {
            rows.push(("Value".into(), plain(present::value_with_note(v))));
        }
        if let Some(a) = d.announced {
            rows.push(("Announced".into(), plain(present::date(a))));
        }
        if !d.parties.is_empty() {
            let t = d
                .parties
                .iter()
                .map(|p| {
                    let mut s = p.name.clone();
                    if !p.role.is_empty() {
                        s.push_str(&format!(" — {}", p.role));
                    }
                    if let Some(c) = &p.country {
                        s.push_str(&format!(" ({})", c.name()));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("; ");
            rows.push(("Parties".into(), plain(t)));
        }
        if !d.minerals.is_empty() {
            rows.push(("Minerals".into(), plain(d.minerals.join(", "))));
        }
        if let Some(l) = &d.location {
            rows.push(("Location".into(), plain(present::location(l))));
        }
        if !d.sources.is_empty() {
            let mut spans = Vec::new();
            for (i, src) in d.sources.iter().enumerate() {
                if i > 0 {
                    spans.push(self.span("; ", f.sans, size, s.text));
                }
                spans.push(
                    self.span(src.title.clone(), f.sans, size, s.primary)
                        .with_link(src.url.0.clone()),
                );
                if let Some(date) = src.date.map(present::date) {
                    spans.push(self.span(format!(", {date}"), f.sans, size, s.text));
                }
            }
            rows.push(("Sources".into(), spans));
        }
        Table {
            columns: vec![
                Column {
                    weight: 1.0,
                    align: Align::Left,
                },
                Column {
                    weight: 3.6,
                    align: Align::Left,
                },
            ],
            header: Vec::new(),
            rows: rows
                .into_iter()
                .map(|(label, value)| {
                    vec![
                        vec![self.span(label, f.sans_bold, size - 0.5, s.muted)],
                        value,
                    ]
                })
                .collect(),
            style: TableStyle {
                header_fill: None,
                header_rule: None,
                row_rule: Some((s.rule, 0.5)),
                zebra_fill: None,
                padding_x: 5.0,
                padding_y: 4.5,
                leading: size * 1.4,
                space_before: 2.0,
                space_after: 12.0,
                keep_together: true,
            },
        }
    }

    fn contact_card(&self, c: &Contact) -> Result<FixedBox, Error> {
        let s = &self.style;
        let f = self.fonts;
        let fs = &f.set;
        let w = s.page.measure();
        let pad = 16.0;
        let mut items = Vec::new();
        let mut y = pad;
        // QR code on the right, for the first WhatsApp number (else phone).
        let qr_target = c
            .phones
            .iter()
            .find(|p| p.whatsapp)
            .map(|p| format!("https://wa.me/{}", p.digits()))
            .or_else(|| c.phones.first().map(|p| format!("tel:{}", p.e164)));
        let mut qr_w = 0.0;
        let mut qr_items = Vec::new();
        if let Some(target) = &qr_target {
            let (qi, side) = qr(target, 62.0).map_err(|e| Error::in_file(&c.path, e))?;
            qr_w = side;
            for mut it in qi {
                if let Item::Rect { x, y: ry, .. } = &mut it {
                    *x += w - pad - side;
                    *ry += pad;
                }
                qr_items.push(it);
            }
        }
        let text_w = w - 2.0 * pad - qr_w - 12.0;
        let x = pad;
        let line = |items: &mut Vec<Item>,
                    spans: Vec<Span>,
                    y: &mut f32,
                    lead: f32|
         -> Result<(), Error> {
            items.extend(
                layout_line(fs, &spans, x, *y + lead * 0.8, text_w, Align::Left)
                    .map_err(|e| self.err(e))?,
            );
            *y += lead;
            Ok(())
        };
        line(
            &mut items,
            vec![self.span(c.name.clone(), f.serif_bold, 14.0, s.primary)],
            &mut y,
            19.0,
        )?;
        let mut role = c.title.clone();
        if !c.organization.is_empty() {
            if !role.is_empty() {
                role.push_str(", ");
            }
            role.push_str(&c.organization);
        }
        if !role.is_empty() {
            line(
                &mut items,
                vec![self.span(role, f.sans, 9.5, s.muted)],
                &mut y,
                15.0,
            )?;
        }
        y += 6.0;
        let size = 9.5;
        for p in &c.phones {
            let label = p.label.clone().unwrap_or_else(|| "Phone".into());
            let mut spans = vec![
                self.span(format!("{label}: "), f.sans_bold, size, s.text),
                self.span(p.international.clone(), f.sans, size, s.primary)
                    .with_link(format!("tel:{}", p.e164)),
            ];
            if p.whatsapp {
                spans.push(self.span("   ", f.sans, size, s.text));
                spans.push(
                    self.span("WhatsApp", f.sans_bold, size, Rgb(0.08, 0.45, 0.25))
                        .with_link(format!("https://wa.me/{}", p.digits())),
                );
            }
            line(&mut items, spans, &mut y, 15.0)?;
        }
        if let Some(e) = &c.email {
            line(
                &mut items,
                vec![
                    self.span("E-mail: ", f.sans_bold, size, s.text),
                    self.span(e.clone(), f.sans, size, s.primary)
                        .with_link(format!("mailto:{e}")),
                ],
                &mut y,
                15.0,
            )?;
        }
        if let Some(wsite) = &c.website {
            line(
                &mut items,
                vec![
                    self.span("Web: ", f.sans_bold, size, s.text),
                    self.span(wsite.0.clone(), f.sans, size, s.primary)
                        .with_link(wsite.0.clone()),
                ],
                &mut y,
                15.0,
            )?;
        }
        if !c.languages.is_empty() {
            line(
                &mut items,
                vec![self.span(
                    format!("Languages: {}", c.languages.join(", ")),
                    f.sans,
                    size - 0.5,
                    s.muted,
                )],
                &mut y,
                15.0,
            )?;
        }
        if qr_target.is_some() {
            line(
                &mut items,
                vec![self.span(
                    "Scan the code to message on WhatsApp.",
                    f.sans_italic,
                    size - 1.0,
                    s.muted,
                )],
                &mut y,
                14.0,
            )?;
        }
        let h = (y + pad).max(qr_w + 2.0 * pad);
        let mut all = vec![
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w,
                h,
                fill: Some(Rgb::WHITE),
                stroke: Some((s.rule, 0.8)),
            },
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 3.0,
                h,
                fill: Some(s.accent),
                stroke: None,
            },
        ];
        all.extend(items);
        all.extend(qr_items);
        Ok(FixedBox {
            width: w,
            height: h,
            items: all,
            space_before: 4.0,
            space_after: 14.0,
        })
    }

    fn image(&self, src: &str, alt: &str, out: &mut Vec<Block>) -> Result<(), Error> {
        let Some(key) = crate::content::validate::asset_key(&self.brief.path, src) else {
            return Ok(());
        };
        let Some(asset) = self.project.assets.iter().find(|a| a.rel == key) else {
            return Ok(());
        };
        let bytes =
            std::fs::read(&asset.abs).map_err(|e| Error::io(&asset.abs, "read image", &e))?;
        let data = decode_image(bytes).map_err(|m| Error::in_file(format!("content/{key}"), m))?;
        let (pw, ph) = match &data {
            ImageData::Jpeg { width, height, .. } | ImageData::Rgb8 { width, height, .. } => {
                (*width as f32, *height as f32)
            }
        };
        // Images are taken at 150 dpi; flow scales down to the measure.
        let (w, h) = (pw * 72.0 / 150.0, ph * 72.0 / 150.0);
        let mut images = self.images.lock().unwrap_or_else(|p| p.into_inner());
        let id = ImageId(images.len());
        images.push(Arc::new(data));
        let caption = (!alt.is_empty()).then(|| {
            (
                vec![self.span(
                    alt,
                    self.fonts.sans_italic,
                    self.style.body - 2.0,
                    self.style.muted,
                )],
                ParaStyle {
                    align: Align::Center,
                    leading: (self.style.body - 2.0) * 1.4,
                    hyphenate: false,
                    space_after: 0.0,
                    ..Default::default()
                },
            )
        });
        out.push(Block::Image {
            id,
            width: w,
            height: h,
            caption,
            space_before: 6.0,
            space_after: 12.0,
        });
        Ok(())
    }

    fn inlines(&self, inlines: &[Inline], font: Font, size: f32, color: Rgb) -> Vec<Span> {
        let mut out = Vec::new();
        self.push_inlines(inlines, font, size, color, None, &mut out);
        out
    }

    fn push_inlines(
        &self,
        inlines: &[Inline],
        font: Font,
        size: f32,
        color: Rgb,
        link: Option<&str>,
        out: &mut Vec<Span>,
    ) {
        let f = self.fonts;
        for i in inlines {
            let mut push = |text: String, font: Font, color: Rgb| {
                let mut sp = self.span(text, font.id(f), size, color);
                if let Some(l) = link {
                    sp = sp.with_link(l);
                }
                out.push(sp);
            };
            match i {
                Inline::Text(t) => push(t.clone(), font, color),
                Inline::Code(t) => {
                    let mut sp = self.span(t.clone(), f.sans, size * 0.92, color).code();
                    if let Some(l) = link {
                        sp = sp.with_link(l);
                    }
                    out.push(sp);
                }
                Inline::Strong(c) => self.push_inlines(c, font.bold(), size, color, link, out),
                Inline::Emph(c) => self.push_inlines(c, font.italic(), size, color, link, out),
                Inline::Strike(c) => self.push_inlines(c, font, size, self.style.muted, link, out),
                Inline::Link { url, children } => {
                    let target = if url.starts_with('#') || !url.contains(':') {
                        None
                    } else {
                        Some(url.as_str())
                    };
                    let c = if target.is_some() {
                        self.style.primary
                    } else {
                        color
                    };
                    self.push_inlines(children, font, size, c, target.or(link), out);
                }
                Inline::Image { alt, .. } => push(alt.clone(), font.italic(), self.style.muted),
                Inline::FootnoteRef(n) => {
                    let mut sp = self.span(superscript(*n), font.id(f), size, self.style.accent);
                    sp.link = None;
                    out.push(sp);
                }
                Inline::SoftBreak | Inline::HardBreak => push(" ".into(), font, color),
            }
        }
    }
}

/// Font roles inside running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Serif,
    SerifBold,
    SerifItalic,
    SerifBoldItalic,
    Sans,
    SansBold,
    SansItalic,
}

impl Font {
    fn id(self, f: &MemoFonts) -> FontId {
        match self {
            Font::Serif => f.serif,
            Font::SerifBold => f.serif_bold,
            Font::SerifItalic => f.serif_italic,
            Font::SerifBoldItalic => f.serif_bold_italic,
            Font::Sans => f.sans,
            Font::SansBold => f.sans_bold,
            Font::SansItalic => f.sans_italic,
        }
    }

    fn bold(self) -> Font {
        match self {
            Font::Serif => Font::SerifBold,
            Font::SerifItalic | Font::SerifBoldItalic => Font::SerifBoldItalic,
            Font::Sans | Font::SansItalic => Font::SansBold,
            other => other,
        }
    }

    fn italic(self) -> Font {
        match self {
            Font::Serif => Font::SerifItalic,
            Font::SerifBold | Font::SerifBoldItalic => Font::SerifBoldItalic,
            Font::Sans | Font::SansBold => Font::SansItalic,
            other => other,
        }
    }
}

/// Footnote numbers as superscript digits (the fonts have them).
fn superscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// A column's share of a Markdown table: its longest cell, bounded.
fn column_weight<'a>(
    header: Option<&'a Vec<Inline>>,
    cells: impl Iterator<Item = &'a Vec<Inline>>,
) -> f32 {
    let texts: Vec<String> = header
        .into_iter()
        .chain(cells)
        .map(|c| markdown::inline_text(c))
        .collect();
    let longest_word = texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(4);
    let mean =
        texts.iter().map(|t| t.chars().count()).sum::<usize>() as f32 / texts.len().max(1) as f32;
    // A column is never narrower than its longest word (plus padding).
    (mean.min(48.0)).max(longest_word as f32 * 1.25 + 2.0)
}

/// The title before a colon, for the running header.
fn short_title(title: &str) -> String {
    match title.split_once(':') {
        Some((head, _)) if head.chars().count() >= 12 => head.trim().to_string(),
        _ => title.to_string(),
    }
}

/// `text`, shortened with an ellipsis to fit `width`.
fn fit(
    fs: &FontSet,
    text: &str,
    font: FontId,
    size: f32,
    width: f32,
) -> Result<String, crate::pdf::layout::LayoutError> {
    let span = |t: &str| Span::new(t, font, size, Rgb::BLACK);
    if measure(fs, &[span(text)])? <= width {
        return Ok(text.to_string());
    }
    let mut words: Vec<&str> = text.split(' ').collect();
    while words.len() > 1 {
        words.pop();
        let t = format!(
            "{}…",
            words.join(" ").trim_end_matches([',', ';', ':', '·', ' '])
        );
        if measure(fs, &[span(&t)])? <= width {
            return Ok(t);
        }
    }
    Ok(String::new())
}

/// A QR code as filled squares with a 4-module quiet zone, `side` points
/// wide in all (quiet zone included); returns items at (0, 0) and the side.
pub fn qr(data: &str, symbol: f32) -> Result<(Vec<Item>, f32), String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code: {e}"))?;
    let n = code.width();
    let module = symbol / n as f32;
    let quiet = 4.0 * module;
    let side = symbol + 2.0 * quiet;
    let colors = code.to_colors();
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        w: side,
        h: side,
        fill: Some(Rgb::WHITE),
        stroke: None,
    }];
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                items.push(Item::Rect {
                    x: quiet + start as f32 * module,
                    y: quiet + row as f32 * module,
                    w: (col - start) as f32 * module,
                    h: module,
                    fill: Some(Rgb::BLACK),
                    stroke: None,
                });
            } else {
                col += 1;
            }
        }
    }
    Ok((items, side))
}

/// Reads a PNG (decoded to RGB + alpha) or JPEG (kept as it is).
pub fn decode_image(bytes: Vec<u8>) -> Result<ImageData, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let (width, height, components) = jpeg_info(&bytes).ok_or("cannot read this JPEG file")?;
        return Ok(ImageData::Jpeg {
            bytes: Arc::new(bytes),
            width,
            height,
            components,
        });
    }
    if bytes.starts_with(b"\x89PNG") {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder
            .read_info()
            .map_err(|e| format!("cannot read this PNG file: {e}"))?;
        let size = reader
            .output_buffer_size()
            .ok_or("PNG image is too large")?;
        if size > 200_000_000 {
            return Err("PNG image is too large".into());
        }
        let mut buf = vec![0; size];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| format!("cannot read this PNG file: {e}"))?;
        let (w, h) = (info.width, info.height);
        let px = (w * h) as usize;
        let mut pixels = Vec::with_capacity(px * 3);
        let mut alpha = Vec::new();
        let data = &buf[..info.buffer_size()];
        match info.color_type {
            png::ColorType::Rgb => pixels.extend_from_slice(data),
            png::ColorType::Rgba => {
                for c in data.chunks_exact(4) {
                    pixels.extend_from_slice(&c[..3]);
                    alpha.push(c[3]);
                }
            }
            png::ColorType::Grayscale => {
                for g in data {
                    pixels.extend_from_slice(&[*g, *g, *g]);
                }
            }
            png::ColorType::GrayscaleAlpha => {
                for c in data.chunks_exact(2) {
                    pixels.extend_from_slice(&[c[0], c[0], c[0]]);
                    alpha.push(c[1]);
                }
            }
            png::ColorType::Indexed => return Err("indexed PNG could not be expanded".into()),
        }
        let alpha = (!alpha.is_empty() && alpha.iter().any(|a| *a != 255)).then_some(alpha);
        return Ok(ImageData::Rgb8 {
            pixels,
            alpha,
            width: w,
            height: h,
        });
    }
    Err("not a PNG or JPEG file".into())
}

/// Width, height and components from a JPEG's start-of-frame marker.
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            let comps = b[i + 9];
            return (w > 0 && h > 0).then_some((w, h, comps));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_has_a_four_module_quiet_zone_and_is_at_least_15mm() {
        let (items, side) = qr("https://wa.me/923331717170", 62.0).unwrap();
        assert!(side >= 15.0 * MM, "{side}");
        let n = qrcode::QrCode::new(b"https://wa.me/923331717170")
            .map(|c| c.width())
            .unwrap_or(25);
        let module = 62.0 / n as f32;
        for it in &items[1..] {
            if let Item::Rect { x, y, w, h, .. } = it {
                assert!(*x >= 4.0 * module - 0.01 && *y >= 4.0 * module - 0.01);
                assert!(x + w <= side - 4.0 * module + 0.01 && y + h <= side - 4.0 * module + 0.01);
            }
        }
    }

    #[test]
    fn short_titles_cut_at_a_colon() {
        assert_eq!(
            short_title("Antimony: Pakistan's frontier opportunity"),
            "Antimony: Pakistan's frontier opportunity"
        );
        assert_eq!(
            short_title("The USSM–FWO agreement: what was signed"),
            "The USSM–FWO agreement"
        );
    }

    #[test]
    fn jpeg_size_from_sof() {
        // A minimal SOF0 segment: 8-bit, 3x2 pixels, 3 components.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
        ];
        assert_eq!(jpeg_info(&jpeg), Some((3, 2, 3)));
    }
}
