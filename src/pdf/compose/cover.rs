//! The cover page: brand band, title and summary, facts about the memo,
//! contents with page numbers, the distribution box of a personalised copy,
//! and the confidentiality line at the foot. All measurements are points
//! from the top-left corner of the page.

use crate::content::Contact;
use crate::error::Error;
use crate::pdf::frame::{Item, Outline, Page, Rgb};
use crate::pdf::layout::{
    bind_short_words, measure, paragraph_box, paragraph_lines, Align, ParaStyle, Span,
};
use crate::present;

use super::style::fit;
use super::{Composer, Recipient};

// Brand band across the top.
/// Height of the band in the primary colour.
const BAND_H: f32 = 150.0;
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

/// A left-aligned paragraph without hyphenation or space after.
fn plain(leading: f32) -> ParaStyle {
    ParaStyle {
        align: Align::Left,
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
        let mut items = Vec::new();
        self.cover_band(&brand, &mut items)?;
        let y = self.cover_title(BAND_H + TITLE_TOP, &mut items)?;
        let mut y = self.cover_facts(author, y, &mut items)?;
        // Contents: the memo's sections with their page numbers (the cover
        // is page 1), as far as they fit above the distribution box.
        let reserved = if recipient.is_some() {
            BOX_H + BOX_BOTTOM + BOX_CLEARANCE
        } else {
            CONTENTS_RESERVE
        };
        let limit = s.page.height - s.page.margin_bottom - reserved;
        if !contents.is_empty() {
            y += CONTENTS_GAP;
            self.cover_contents(contents, y, limit, &mut items)?;
        }
        if let Some(r) = recipient {
            self.cover_distribution(r, &mut items)?;
        }
        self.cover_foot(&brand, &mut items)?;
        Ok(Page {
            width: s.page.width,
            height: s.page.height,
            items,
        })
    }

    /// The brand band: brand, site title and the kind of memo.
    fn cover_band(&self, brand: &str, items: &mut Vec<Item>) -> Result<(), Error> {
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
        self.line(items, brand, left, BRAND_BASELINE, measure_w, Align::Left)?;
        let title = self.span(
            self.project.site.title.clone(),
            f.sans,
            SITE_TITLE_SIZE,
            SITE_TITLE_COLOR,
        );
        self.line(
            items,
            title,
            left,
            SITE_TITLE_BASELINE,
            measure_w,
            Align::Left,
        )?;
        let kind = if self.brief.front.confidential {
            "CONFIDENTIAL INVESTOR MEMO"
        } else {
            "INVESTOR MEMO"
        };
        let kind = self.span(kind, f.sans_bold, KIND_SIZE, s.accent);
        self.line(items, kind, left, KIND_BASELINE, measure_w, Align::Left)
    }

    /// Title, accent rule and summary from `y` down; returns the y below.
    fn cover_title(&self, mut y: f32, items: &mut Vec<Item>) -> Result<f32, Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let (title, style, width) = self.cover_title_fit(measure_w * TITLE_MEASURE)?;
        let (title_items, th) =
            paragraph_box(&f.set, &[title], &style, left, y, width).map_err(|e| self.err(e))?;
        items.extend(title_items);
        y += th + TITLE_RULE_GAP;
        items.push(Item::Rect {
            x: left,
            y,
            w: TITLE_RULE_W,
            h: TITLE_RULE_H,
            fill: Some(s.accent),
            stroke: None,
        });
        y += TITLE_RULE_AFTER;
        let summary = self.span(
            self.brief.front.summary.clone(),
            f.serif_italic,
            SUMMARY_SIZE,
            s.text,
        );
        let (sum_items, sh) = paragraph_box(
            &f.set,
            &[summary],
            &plain(SUMMARY_LEADING),
            left,
            y,
            measure_w * SUMMARY_MEASURE,
        )
        .map_err(|e| self.err(e))?;
        items.extend(sum_items);
        y += sh + SUMMARY_AFTER;
        Ok(y)
    }

    /// The title's span, style and measure: short words bound to the next,
    /// the largest size at which it takes at most [`TITLE_MAX_LINES`]
    /// lines, and the narrowest measure that keeps its number of lines, so
    /// they come out of near-equal length.
    fn cover_title_fit(&self, full: f32) -> Result<(Span, ParaStyle, f32), Error> {
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
        for size in TITLE_SIZES {
            let span = self.span(text.clone(), f.serif_bold, size, s.primary);
            let style = plain(TITLE_LEADING * size / TITLE_SIZE);
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
        items: &mut Vec<Item>,
    ) -> Result<f32, Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
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
        let value_style = plain(FACT_LEADING);
        for (label, value) in rows {
            items.push(hairline(left, measure_w, y, s.rule));
            y += FACT_PAD;
            let (vi, vh) = paragraph_box(
                &f.set,
                &[self.span(value, f.sans, FACT_VALUE_SIZE, s.text)],
                &value_style,
                left + FACT_LABEL_W,
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
            self.line(
                items,
                label,
                left,
                first_baseline,
                FACT_LABEL_W,
                Align::Left,
            )?;
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
        items: &mut Vec<Item>,
    ) -> Result<(), Error> {
        let (s, f) = (&self.style, self.fonts);
        let fs = &f.set;
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let head = self.span("CONTENTS", f.sans_bold, FACT_LABEL_SIZE, s.muted);
        self.line(items, head, left, y, measure_w, Align::Left)?;
        y += CONTENTS_HEAD_AFTER;
        let avail = limit - y;
        let n = contents.len();
        let (cols, pitch) = if CONTENTS_PITCH * n as f32 <= avail {
            (1, CONTENTS_PITCH)
        } else if CONTENTS_TIGHT_PITCH * n as f32 <= avail {
            (1, avail / n as f32)
        } else {
            (2, (avail / n.div_ceil(2) as f32).min(CONTENTS_PITCH))
        };
        let per_col = n.div_ceil(cols);
        let max_rows = (avail / pitch.max(CONTENTS_MIN_PITCH)).floor() as usize;
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
            self.line(items, title, ex, ey, col_w, Align::Left)?;
            // A dotted leader between title and page number.
            let (x1, x2) = (ex + tw + LEADER_GAP, ex + col_w - nw - LEADER_GAP);
            let mut x = x1;
            while x + 1.0 < x2 {
                items.push(Item::Rect {
                    x,
                    y: ey - LEADER_RAISE,
                    w: LEADER_DOT,
                    h: LEADER_DOT,
                    fill: Some(s.rule),
                    stroke: None,
                });
                x += LEADER_STEP;
            }
            let number = self.span(number, f.sans, CONTENTS_SIZE, s.muted);
            self.line(items, number, ex, ey, col_w, Align::Right)?;
        }
        Ok(())
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
            x: left,
            y: box_y,
            w: BOX_BAR_W,
            h: BOX_H,
            fill: Some(s.accent),
            stroke: None,
        });
        let label = self.span("PREPARED FOR", f.sans_bold, BOX_LABEL_SIZE, s.muted);
        self.line(
            items,
            label,
            left + BOX_INSET,
            box_y + BOX_LABEL_BASELINE,
            BOX_LABEL_W,
            Align::Left,
        )?;
        let name = self.span(r.label(), f.serif_bold, BOX_NAME_SIZE, s.text);
        self.line(
            items,
            name,
            left + BOX_INSET,
            box_y + BOX_NAME_BASELINE,
            measure_w - BOX_NUMBER_ROOM,
            Align::Left,
        )?;
        let label = self.span("COPY NO.", f.sans_bold, BOX_LABEL_SIZE, s.muted);
        self.line(
            items,
            label,
            left,
            box_y + BOX_LABEL_BASELINE,
            measure_w - BOX_INSET,
            Align::Right,
        )?;
        let number = format!("{:03}", r.copy_no);
        let number = self.span(number, f.sans_bold, BOX_NUMBER_SIZE, s.primary);
        self.line(
            items,
            number,
            left,
            box_y + BOX_NUMBER_BASELINE,
            measure_w - BOX_INSET,
            Align::Right,
        )
    }

    /// Foot of the cover: confidentiality line and brand.
    fn cover_foot(&self, brand: &str, items: &mut Vec<Item>) -> Result<(), Error> {
        let (s, f) = (&self.style, self.fonts);
        let (left, measure_w) = (s.page.margin_left, s.page.measure());
        let foot = if self.brief.front.confidential {
            "Confidential. Not for distribution. Not an offer of securities."
        } else {
            "For information only. Not an offer of securities."
        };
        let fy = s.page.height - s.page.margin_bottom;
        items.push(hairline(left, measure_w, fy - FOOT_RULE_RAISE, s.rule));
        let foot = self.span(foot, f.sans, FOOT_SIZE, s.muted);
        self.line(items, foot, left, fy, measure_w, Align::Left)?;
        let brand = self.span(brand, f.sans_bold, FOOT_SIZE, s.primary);
        self.line(items, brand, left, fy, measure_w, Align::Right)
    }
}
