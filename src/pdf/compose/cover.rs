//! The cover page: brand band, title and summary, facts about the memo,
//! contents with page numbers, the distribution box of a personalised copy,
//! and the confidentiality line at the foot. All measurements are points
//! from the top-left corner of the page, as in a left-to-right memo; a
//! right-to-left memo's cover is their mirror image (`Composer::mx`,
//! `Composer::mline`).

use crate::content::Contact;
use crate::error::Error;
use crate::pdf::frame::{ImageId, Item, Node, Outline, Page, Rgb, Role, Tag};
use crate::pdf::layout::{
    bind_short_words, measure, paragraph_box, paragraph_lines, single_line, Align, Dir, ParaStyle,
    Span,
};
use crate::present;

use super::style::fit;
use super::{Composer, Recipient};

// Brand band across the top.
/// Height of the band in the primary colour.
const BAND_H: f32 = 150.0;
/// Height and top of the logo in the brand band.
const LOGO_H: f32 = 40.0;
const LOGO_TOP: f32 = 28.0;
/// Height of the accent stripe under the band.
const STRIPE_H: f32 = 4.0;
/// Baselines in the band: brand name, site title, memo kind.
const BRAND_BASELINE: f32 = 62.0;
const SITE_TITLE_BASELINE: f32 = 80.0;
const KIND_BASELINE: f32 = 122.0;
const BRAND_SIZE: f32 = 13.0;
const SITE_TITLE_SIZE: f32 = 10.0;
const SITE_TITLE_COLOR: Rgb = Rgb(0.85, 0.89, 0.93);
const KIND_SIZE: f32 = 9.0;

// Title and summary.
/// Space between the band and the top of the title.
const TITLE_TOP: f32 = 64.0;
const TITLE_SIZE: f32 = 28.0;
const TITLE_LEADING: f32 = 34.0;
/// Share of the measure the title may use.
const TITLE_MEASURE: f32 = 0.92;
/// A long title is set a size smaller, down to the last, until it takes
/// at most `TITLE_MAX_LINES` lines, so the cover keeps room for the
/// contents; the leading follows the size.
const TITLE_SIZES: [f32; 4] = [TITLE_SIZE, 24.0, 21.0, 18.0];
const TITLE_MAX_LINES: usize = 3;
/// The short accent rule under the title: space above, size, space below.
const TITLE_RULE_GAP: f32 = 14.0;
const TITLE_RULE_W: f32 = 56.0;
const TITLE_RULE_H: f32 = 2.5;
const TITLE_RULE_AFTER: f32 = 20.0;
const SUMMARY_SIZE: f32 = 13.0;
/// Smaller sizes for a summary that leaves the contents no room (Urdu in
/// Nastaliq takes about twice the height of Latin text).
const SUMMARY_SMALLER: [f32; 2] = [11.5, 10.0];
const SUMMARY_LEADING: f32 = 19.0;
/// Share of the measure the summary may use.
const SUMMARY_MEASURE: f32 = 0.9;
const SUMMARY_AFTER: f32 = 34.0;

// Facts: date, author, deals, each between hairlines.
const FACT_LABEL_W: f32 = 92.0;
const FACT_LABEL_SIZE: f32 = 7.5;
const FACT_VALUE_SIZE: f32 = 10.0;
const FACT_LEADING: f32 = 14.0;
/// Space between a hairline and the top of the value below it.
const FACT_PAD: f32 = 8.0;
/// Space under a value before the next hairline.
const FACT_AFTER: f32 = 6.0;
const HAIRLINE: f32 = 0.5;

// Contents.
const CONTENTS_GAP: f32 = 28.0;
const CONTENTS_HEAD_AFTER: f32 = 8.0;
const CONTENTS_SIZE: f32 = 9.5;
/// Distance between entries: full, tightest in one column, and the least
/// used to count the rows that fit.
const CONTENTS_PITCH: f32 = 15.0;
const CONTENTS_TIGHT_PITCH: f32 = 12.5;
const CONTENTS_MIN_PITCH: f32 = 11.0;
const CONTENTS_GUTTER: f32 = 24.0;
/// Room kept for the page number after a title.
const CONTENTS_NUMBER_ROOM: f32 = 20.0;
/// Space either side of the dotted leader; its dots' size and spacing.
const LEADER_GAP: f32 = 6.0;
const LEADER_DOT: f32 = 0.8;
const LEADER_STEP: f32 = 3.5;
const LEADER_RAISE: f32 = 1.2;
/// Room kept above the bottom margin without a distribution box.
const CONTENTS_RESERVE: f32 = 36.0;

// Distribution box (personalised copies).
const BOX_H: f32 = 58.0;
/// Space between the box and the bottom margin.
const BOX_BOTTOM: f32 = 40.0;
/// Space kept between the contents and the box.
const BOX_CLEARANCE: f32 = 24.0;
const BOX_STROKE: f32 = 0.6;
const BOX_BAR_W: f32 = 3.0;
const BOX_INSET: f32 = 14.0;
const BOX_LABEL_BASELINE: f32 = 18.0;
const BOX_NAME_BASELINE: f32 = 38.0;
const BOX_NUMBER_BASELINE: f32 = 40.0;
const BOX_LABEL_W: f32 = 200.0;
/// Room kept on the right of the recipient's name for the copy number.
const BOX_NUMBER_ROOM: f32 = 140.0;
const BOX_LABEL_SIZE: f32 = 7.5;
const BOX_NAME_SIZE: f32 = 12.5;
const BOX_NUMBER_SIZE: f32 = 16.0;

// Foot.
/// The hairline above the confidentiality line, above its baseline.
const FOOT_RULE_RAISE: f32 = 14.0;
const FOOT_SIZE: f32 = 8.0;

/// The cover's structure elements: one section, numbered apart from the
/// body's (the cover is made per copy, the body once).
struct CoverTags {
    sect: Vec<Node>,
    next: u32,
}

impl CoverTags {
    fn new() -> CoverTags {
        CoverTags {
            sect: vec![Node::new(Role::Sect, 0x4000_0000)],
            next: 0x4000_0000,
        }
    }

    fn node(&mut self, role: Role) -> Node {
        self.next += 1;
        Node::new(role, self.next)
    }

    /// A new element with `role` in the cover's section, as an item.
    fn item(&mut self, role: Role) -> Item {
        let mut path = self.sect.clone();
        path.push(self.node(role));
        Item::Tag(Tag::element(path))
    }
}

/// A paragraph set from its start (left-aligned, or right-aligned right
/// to left) without hyphenation or space after.
fn plain(leading: f32, dir: Dir) -> ParaStyle {
    ParaStyle {
        align: Align::Left,
        dir,
        leading,
        hyphenate: false,
        space_after: 0.0,
        ..Default::default()
    }
}

fn hairline(left: f32, width: f32, y: f32, color: Rgb) -> Item {
    Item::Line {
        x1: left,
        y1: y,
        x2: left + width,
        y2: y,
        width: HAIRLINE,
        color,
    }
}

impl Composer<'_> {
    pub(super) fn cover(
        &self,
        author: Option<&Contact>,
        recipient: Option<&Recipient>,
        contents: &[Outline],
    ) -> Result<Page, Error> {
        let s = &self.style;
        let brand = self.brand();
        // Contents: the memo's sections with their page numbers (the cover
        // is page 1), as far as they fit above the distribution box.
        let reserved = if recipient.is_some() {
            BOX_H + BOX_BOTTOM + BOX_CLEARANCE
        } else {
            CONTENTS_RESERVE
        };
        let limit = s.page.height - s.page.margin_bottom - reserved;
        // The summary is set smaller when the whole contents would not fit
        // in two columns below it.
        let pitch = self.contents_min_pitch(contents)?;
        let need = CONTENTS_GAP + CONTENTS_HEAD_AFTER + contents.len().div_ceil(2) as f32 * pitch;
        // Then, still short of room, the title is set smaller too; last,
        // when the summary opens the memo's first page anyway (the
        // executive-summary panel), the cover leaves it out.
        let mut sizes = std::iter::once((TITLE_SIZE, Some(SUMMARY_SIZE)))
            .chain(SUMMARY_SMALLER.map(|s| (TITLE_SIZE, Some(s))))
            .chain(
                TITLE_SIZES[1..]
                    .iter()
                    .map(|&t| (t, Some(SUMMARY_SMALLER[1]))),
            )
            .chain(
                self.summary_panel()
                    .then_some((TITLE_SIZES[TITLE_SIZES.len() - 1], None)),
            )
            .peekable();
        let (mut items, mut tags, mut y);
        loop {
            let (title_max, size) = sizes.next().unwrap_or((TITLE_SIZE, Some(SUMMARY_SIZE)));
            items = Vec::new();
            tags = CoverTags::new();
            self.cover_band(&brand, &mut tags, &mut items)?;
            y = self.cover_title(BAND_H + TITLE_TOP, title_max, size, &mut tags, &mut items)?;
            y = self.cover_facts(author, y, &mut tags, &mut items)?;
            if contents.is_empty() || y + need <= limit || sizes.peek().is_none() {
                break;
            }
        }
        if !contents.is_empty() {
            y += CONTENTS_GAP;
            self.cover_contents(contents, y, limit, &mut tags, &mut items)?;
        }
        if let Some(r) = recipient {
            // The personalisation is page furniture.
            items.push(Item::Tag(Tag::Artifact));
            self.cover_distribution(r, &mut items)?;
        }
        self.cover_foot(&brand, &mut tags, &mut items)?;
        Ok(Page {
            width: s.page.width,
            height: s.page.height,
            personal: items.len(),
            items,
        })
    }

    /// The brand band: brand, site title and the kind of memo.
    fn cover_band(
        &self,
        brand: &str,
        tags: &mut CoverTags,
        items: &mut Vec<Item>,
    ) -> Result<(), Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        items.push(Item::Rect {
            x: 0.0,
            y: 0.0,
            w: s.page.width,
            h: BAND_H,
            fill: Some(s.primary),
            stroke: None,
        });
        items.push(Item::Rect {
            x: 0.0,
            y: BAND_H,
            w: s.page.width,
            h: STRIPE_H,
            fill: Some(s.accent),
            stroke: None,
        });
        let brand = self.span(brand.to_uppercase(), f.sans_bold, BRAND_SIZE, Rgb::WHITE);
        items.push(tags.item(Role::P));
        self.mline(items, brand, left, BRAND_BASELINE, measure_w, Align::Left)?;
        if let Some(logo) = self.logo {
            // The brand name is said in text beside it: the logo is decoration.
            items.push(Item::Tag(Tag::Artifact));
            self.cover_logo(logo, items);
        }
        items.push(tags.item(Role::P));
        let title = self.span(self.site_title(), f.sans, SITE_TITLE_SIZE, SITE_TITLE_COLOR);
        self.mline(
            items,
            title,
            left,
            SITE_TITLE_BASELINE,
            measure_w,
            Align::Left,
        )?;
        let kind = if self.brief.front.confidential {
            self.t("confidential_investor_memo")
        } else {
            self.t("investor_memo")
        };
        let kind = self.span(kind.to_uppercase(), f.sans_bold, KIND_SIZE, s.accent);
        items.push(tags.item(Role::P));
        self.mline(items, kind, left, KIND_BASELINE, measure_w, Align::Left)
    }

    /// The logo at the band's top right, at most `LOGO_H` high and a third
    /// of the measure wide, its proportions kept.
    fn cover_logo(&self, logo: ImageId, items: &mut Vec<Item>) {
        let s = &self.style;
        let (pw, ph) = {
            let images = self.images.lock().unwrap_or_else(|p| p.into_inner());
            match images.get(logo.0) {
                Some(i) => i.size(),
                None => return,
            }
        };
        if pw == 0 || ph == 0 {
            return;
        }
        let ratio = pw as f32 / ph as f32;
        let mut h = LOGO_H;
        let mut w = h * ratio;
        let max_w = s.page.measure() / 3.0;
        if w > max_w {
            w = max_w;
            h = w / ratio;
        }
        items.push(Item::Image {
            x: self.mx(s.page.width - s.page.margin_right - w, w),
            y: LOGO_TOP,
            w,
            h,
            image: logo,
        });
    }

    /// Title, accent rule and summary (none when `summary_size` is `None`)
    /// from `y` down; returns the y below.
    fn cover_title(
        &self,
        mut y: f32,
        title_max: f32,
        summary_size: Option<f32>,
        tags: &mut CoverTags,
        items: &mut Vec<Item>,
    ) -> Result<f32, Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let (title, style, width) = self.cover_title_fit(measure_w * TITLE_MEASURE, title_max)?;
        let (title_items, th) =
            paragraph_box(&f.set, &[title], &style, self.mx(left, width), y, width)
                .map_err(|e| self.err(e))?;
        items.push(tags.item(Role::H(1)));
        items.extend(title_items);
        y += th + TITLE_RULE_GAP;
        items.push(Item::Rect {
            x: self.mx(left, TITLE_RULE_W),
            y,
            w: TITLE_RULE_W,
            h: TITLE_RULE_H,
            fill: Some(s.accent),
            stroke: None,
        });
        y += TITLE_RULE_AFTER;
        let Some(summary_size) = summary_size else {
            return Ok(y + SUMMARY_AFTER - TITLE_RULE_AFTER);
        };
        let summary = self.span(
            self.brief.front.summary.clone(),
            f.serif_italic,
            summary_size,
            s.text,
        );
        let (sum_items, sh) = paragraph_box(
            &f.set,
            &[summary],
            &plain(SUMMARY_LEADING * summary_size / SUMMARY_SIZE, self.dir()),
            self.mx(left, measure_w * SUMMARY_MEASURE),
            y,
            measure_w * SUMMARY_MEASURE,
        )
        .map_err(|e| self.err(e))?;
        items.push(tags.item(Role::P));
        items.extend(sum_items);
        y += sh + SUMMARY_AFTER;
        Ok(y)
    }

    /// The title's span, style and measure: short words bound to the next,
    /// the largest size at which it takes at most [`TITLE_MAX_LINES`]
    /// lines, and the narrowest measure that keeps its number of lines, so
    /// they come out of near-equal length.
    fn cover_title_fit(&self, full: f32, max: f32) -> Result<(Span, ParaStyle, f32), Error> {
        let (s, f) = (&self.style, self.fonts);
        let text = bind_short_words(&self.brief.front.title);
        let lines = |span: &Span, style: &ParaStyle, w: f32| -> Result<usize, Error> {
            Ok(
                paragraph_lines(&f.set, std::slice::from_ref(span), style, w)
                    .map_err(|e| self.err(e))?
                    .lines
                    .len(),
            )
        };
        let mut fit = None;
        for size in TITLE_SIZES.into_iter().filter(|&t| t <= max) {
            let span = self.span(text.clone(), f.serif_bold, size, s.primary);
            let style = plain(TITLE_LEADING * size / TITLE_SIZE, self.dir());
            let n = lines(&span, &style, full)?;
            fit = Some((span, style, n));
            if n <= TITLE_MAX_LINES {
                break;
            }
        }
        let (span, style, n) = fit.expect("at least one title size");
        let (mut lo, mut hi) = (full * 0.4, full);
        if n > 1 {
            for _ in 0..12 {
                let mid = (lo + hi) / 2.0;
                if lines(&span, &style, mid)? <= n {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
        }
        Ok((span, style, hi))
    }

    /// Facts about the memo (date, author, deals) between hairlines, from
    /// `y` down; returns the y of the last hairline.
    fn cover_facts(
        &self,
        author: Option<&Contact>,
        mut y: f32,
        tags: &mut CoverTags,
        items: &mut Vec<Item>,
    ) -> Result<f32, Error> {
        // A table of rows headed by their labels.
        let mut table = tags.sect.clone();
        table.push(tags.node(Role::Table));
        table.push(Node::new(Role::TBody, 0));
        let table = Tag::element(table);
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let mut rows: Vec<(&str, String)> = vec![(
            self.t("memo_date"),
            present::date(self.brief.front.date, &self.labels),
        )];
        if let Some(a) = author {
            let (name, title, org) = self.contact_words(a);
            let mut who = name;
            let comma = self.comma();
            if !title.is_empty() {
                who.push_str(&format!("{comma} {title}"));
            }
            if !org.is_empty() {
                who.push_str(&format!("{comma} {org}"));
            }
            rows.push((self.t("prepared_by"), who));
        }
        let deals: Vec<String> = self
            .project
            .deals_of(self.brief)
            .map(|d| self.deal_title(d))
            .collect();
        if !deals.is_empty() {
            let semicolon = format!("{} ", self.t("semicolon"));
            rows.push((self.t("deals_covered"), deals.join(&semicolon)));
        }
        let value_style = plain(FACT_LEADING, self.dir());
        for (i, (label, value)) in rows.into_iter().enumerate() {
            let row = table.child(Node::new(Role::TR, i as u32));
            items.push(hairline(left, measure_w, y, s.rule));
            y += FACT_PAD;
            let (vi, vh) = paragraph_box(
                &f.set,
                &[self.span(value, f.sans, FACT_VALUE_SIZE, s.text)],
                &value_style,
                self.mx(left + FACT_LABEL_W, measure_w - FACT_LABEL_W),
                y,
                measure_w - FACT_LABEL_W,
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
                .unwrap_or(y + FACT_VALUE_SIZE);
            let label = self.span(label.to_uppercase(), f.sans_bold, FACT_LABEL_SIZE, s.muted);
            items.push(Item::Tag(row.child(Node::new(Role::TH { row: true }, 0))));
            self.mline(
                items,
                label,
                left,
                first_baseline,
                FACT_LABEL_W,
                Align::Left,
            )?;
            items.push(Item::Tag(row.child(Node::new(Role::TD, 1))));
            items.extend(vi);
            y += vh.max(FACT_LEADING) + FACT_AFTER;
        }
        items.push(hairline(left, measure_w, y, s.rule));
        Ok(y)
    }

    /// The contents from heading baseline `y` to `limit`: one column at
    /// full pitch where the list fits, else a tighter pitch, else two
    /// columns, so that the whole list always shows.
    fn cover_contents(
        &self,
        contents: &[Outline],
        mut y: f32,
        limit: f32,
        tags: &mut CoverTags,
        items: &mut Vec<Item>,
    ) -> Result<(), Error> {
        let mut toc = tags.sect.clone();
        toc.push(tags.node(Role::TOC));
        let (s, f) = (&self.style, self.fonts);
        let fs = &f.set;
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let head = self.span(
            self.t("contents").to_uppercase(),
            f.sans_bold,
            FACT_LABEL_SIZE,
            s.muted,
        );
        items.push(tags.item(Role::P));
        self.mline(items, head, left, y, measure_w, Align::Left)?;
        y += CONTENTS_HEAD_AFTER;
        let avail = limit - y;
        let n = contents.len();
        // Entries in Nastaliq need more than Latin ones: never less than
        // their glyphs reach.
        let least = self.contents_min_pitch(contents)?;
        let (full, tight) = (CONTENTS_PITCH.max(least), CONTENTS_TIGHT_PITCH.max(least));
        let (cols, pitch) = if full * n as f32 <= avail {
            (1, full)
        } else if tight * n as f32 <= avail {
            (1, avail / n as f32)
        } else {
            (2, (avail / n.div_ceil(2) as f32).min(full))
        };
        // Entries never overlap: those that find no room are left out.
        let pitch = pitch.max(least);
        let per_col = n.div_ceil(cols);
        let max_rows = (avail / pitch).floor() as usize;
        let col_w = (measure_w - CONTENTS_GUTTER * (cols - 1) as f32) / cols as f32;
        for (i, entry) in contents.iter().enumerate() {
            let (col, row) = (i / per_col, i % per_col);
            if row >= max_rows {
                continue;
            }
            let ey = y + (row + 1) as f32 * pitch;
            let ex = left + col as f32 * (col_w + CONTENTS_GUTTER);
            let number = format!("{}", entry.page + 2);
            let nw = measure(
                fs,
                &[self.span(number.clone(), f.sans, CONTENTS_SIZE, s.muted)],
            )
            .map_err(|e| self.err(e))?;
            let title = fit(
                fs,
                &entry.title,
                f.sans,
                CONTENTS_SIZE,
                col_w - nw - CONTENTS_NUMBER_ROOM,
            )
            .map_err(|e| self.err(e))?;
            let tw = measure(
                fs,
                &[self.span(title.clone(), f.sans, CONTENTS_SIZE, s.text)],
            )
            .map_err(|e| self.err(e))?;
            let title = self.span(title, f.sans, CONTENTS_SIZE, s.text);
            let mut entry_path = toc.clone();
            entry_path.push(Node::new(Role::TOCI, i as u32));
            items.push(Item::Tag(Tag::element(entry_path)));
            self.mline(items, title, ex, ey, col_w, Align::Left)?;
            // A dotted leader between title and page number, from the
            // title's end (leftwards in a right-to-left memo).
            let (x1, x2) = (ex + tw + LEADER_GAP, ex + col_w - nw - LEADER_GAP);
            let count = if x1 + 1.0 < x2 {
                ((x2 - 1.0 - x1) / LEADER_STEP).ceil() as u32
            } else {
                0
            };
            if count > 0 {
                // The dots' set is symmetric: mirrored, its leftmost dot is
                // the mirror of the last.
                let last = x1 + (count - 1) as f32 * LEADER_STEP;
                items.push(Item::Dots {
                    x: self.mx(x1, LEADER_DOT).min(self.mx(last, LEADER_DOT)),
                    y: ey - LEADER_RAISE,
                    size: LEADER_DOT,
                    step: LEADER_STEP,
                    count,
                    color: s.rule,
                });
            }
            let number = self.span(number, f.sans, CONTENTS_SIZE, s.muted);
            self.mline(items, number, ex, ey, col_w, Align::Right)?;
            // The whole entry leads to its section.
            items.push(Item::Link {
                x: self.mx(ex, col_w),
                y: ey - CONTENTS_SIZE,
                w: col_w,
                h: CONTENTS_SIZE * 1.3,
                uri: format!("#sec-{i}"),
            });
        }
        Ok(())
    }

    /// The least distance between contents entries: [`CONTENTS_MIN_PITCH`],
    /// or what the entries' glyphs reach above and below their baselines
    /// when that is more (Nastaliq).
    fn contents_min_pitch(&self, contents: &[Outline]) -> Result<f32, Error> {
        let f = self.fonts;
        let mut pitch = CONTENTS_MIN_PITCH;
        for entry in contents {
            let span = self.span(entry.title.clone(), f.sans, CONTENTS_SIZE, self.style.text);
            let line = single_line(&f.set, &[span]).map_err(|e| self.err(e))?;
            if let Some((a, d)) = line.ink {
                pitch = pitch.max(a + d);
            }
        }
        Ok(pitch)
    }

    /// The distribution box: who this copy is for, and its number.
    fn cover_distribution(&self, r: &Recipient, items: &mut Vec<Item>) -> Result<(), Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let box_y = s.page.height - s.page.margin_bottom - BOX_H - BOX_BOTTOM;
        items.push(Item::Rect {
            x: left,
            y: box_y,
            w: measure_w,
            h: BOX_H,
            fill: Some(s.tint),
            stroke: Some((s.rule, BOX_STROKE)),
        });
        items.push(Item::Rect {
            x: self.mx(left, BOX_BAR_W),
            y: box_y,
            w: BOX_BAR_W,
            h: BOX_H,
            fill: Some(s.accent),
            stroke: None,
        });
        let label = self.span(
            self.t("prepared_for").to_uppercase(),
            f.sans_bold,
            BOX_LABEL_SIZE,
            s.muted,
        );
        self.mline(
            items,
            label,
            left + BOX_INSET,
            box_y + BOX_LABEL_BASELINE,
            BOX_LABEL_W,
            Align::Left,
        )?;
        let name = self.span(r.label(), f.serif_bold, BOX_NAME_SIZE, s.text);
        self.mline(
            items,
            name,
            left + BOX_INSET,
            box_y + BOX_NAME_BASELINE,
            measure_w - BOX_NUMBER_ROOM,
            Align::Left,
        )?;
        let label = self.span(
            self.t("copy_no").to_uppercase(),
            f.sans_bold,
            BOX_LABEL_SIZE,
            s.muted,
        );
        self.mline(
            items,
            label,
            left,
            box_y + BOX_LABEL_BASELINE,
            measure_w - BOX_INSET,
            Align::Right,
        )?;
        let number = format!("{:03}", r.copy_no);
        let number = self.span(number, f.sans_bold, BOX_NUMBER_SIZE, s.primary);
        self.mline(
            items,
            number,
            left,
            box_y + BOX_NUMBER_BASELINE,
            measure_w - BOX_INSET,
            Align::Right,
        )
    }

    /// Foot of the cover: confidentiality line and brand.
    fn cover_foot(
        &self,
        brand: &str,
        tags: &mut CoverTags,
        items: &mut Vec<Item>,
    ) -> Result<(), Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let foot = if self.brief.front.confidential {
            self.t("confidential_not_for_distribution")
        } else {
            self.t("for_information_only")
        };
        let fy = s.page.height - s.page.margin_bottom;
        items.push(hairline(left, measure_w, fy - FOOT_RULE_RAISE, s.rule));
        let foot = self.span(foot, f.sans, FOOT_SIZE, s.muted);
        items.push(tags.item(Role::P));
        self.mline(items, foot, left, fy, measure_w, Align::Left)?;
        let brand = self.span(brand, f.sans_bold, FOOT_SIZE, s.primary);
        items.push(tags.item(Role::P));
        self.mline(items, brand, left, fy, measure_w, Align::Right)
    }
}
