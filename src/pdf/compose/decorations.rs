//! Page decorations added per copy: running header, footer with page
//! numbers, and the recipient's diagonal watermark. The brand and the
//! running text stand at the start (the right in a right-to-left memo).

use crate::error::{Error, Kind};
use crate::pdf::frame::{Item, Page};
use crate::pdf::layout::{layout_line, measure};

use super::style::fit;
use super::{Composer, Recipient};

impl Composer<'_> {
    pub(super) fn decorate(
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
        let brand = self.brand();
        let hy = s.page.margin_top - 24.0;
        items.extend(
            layout_line(
                fs,
                &[self.span(brand.to_uppercase(), f.sans_bold, 7.5, s.primary)],
                left,
                hy,
                mw,
                self.start(),
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
                self.end(),
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
        let page_label = self.tf(
            "page_x_of_y",
            &[
                ("number", &number.to_string()),
                ("total", &total.to_string()),
            ],
        );
        let pw = measure(fs, &[self.span(page_label.clone(), f.sans, 7.5, s.muted)])
            .map_err(|e| self.err(e))?;
        let room = mw - pw - 24.0;
        let start_text = match recipient {
            // The copy number stays whole however long the name: `--verify`
            // reads it from any page taken out of a copy.
            Some(r) => {
                let copy = self.tf("copy_number", &[("number", &format!("{:03}", r.copy_no))]);
                let number = format!(" · {copy}");
                let nw = measure(fs, &[self.span(number.clone(), f.sans, 7.5, s.muted)])
                    .map_err(|e| self.err(e))?;
                let who = self.tf("prepared_for_name", &[("name", &self.isolate(&r.label()))]);
                let who = fit(fs, &who, f.sans, 7.5, room - nw).map_err(|e| self.err(e))?;
                if who.is_empty() {
                    copy
                } else {
                    format!("{who}{number}")
                }
            }
            None if self.brief.front.confidential => {
                fit(fs, self.t("confidential_running"), f.sans, 7.5, room)
                    .map_err(|e| self.err(e))?
            }
            None => fit(fs, &self.site_title(), f.sans, 7.5, room).map_err(|e| self.err(e))?,
        };
        let color = if recipient.is_some() || self.brief.front.confidential {
            s.primary
        } else {
            s.muted
        };
        items.extend(
            layout_line(
                fs,
                &[self.span(start_text, f.sans, 7.5, color)],
                left,
                fy,
                mw,
                self.start(),
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
                self.end(),
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
        page.personal = page.items.len();
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
        Ok(Item::Text(Box::new(run)))
    }
}

/// The title before a colon, for the running header.
fn short_title(title: &str) -> String {
    match title.split_once(':') {
        Some((head, _)) if head.chars().count() >= 12 => head.trim().to_string(),
        _ => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
