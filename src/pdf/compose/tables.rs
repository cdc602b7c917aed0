//! Tables in the memo: data tables from `data/` with caption and source,
//! deal facts, and the shared table style and Markdown column weights.

use crate::content::{DataTable, Deal};
use crate::markdown::{self, Inline};
use crate::pdf::frame::{Rgb, Role, Tag};
use crate::pdf::layout::{Align, Block, Column, ParaStyle, Span, Table, TableStyle};
use crate::present;

use super::out::Out;
use super::Composer;

impl Composer<'_> {
    pub(super) fn table_style(&self, size: f32) -> TableStyle {
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
            row_headers: false,
            rtl: self.rtl,
        }
    }

    /// A data table under `parent`: its title the table's caption, the
    /// source a paragraph after it.
    pub(super) fn data_table(&self, d: &DataTable, parent: Option<&Tag>, out: &mut Out) {
        let table = self.tag_of(parent, Role::Table);
        let s = &self.style;
        let f = self.fonts;
        let size = s.body - 1.5;
        let mut caption = vec![self.span(d.title.clone(), f.sans_bold, size + 0.5, s.text)];
        if let Some(u) = &d.unit {
            caption.push(self.span(format!(" ({u})"), f.sans, size + 0.5, s.muted));
        }
        out.push(Block::Tag(table.child(self.node(Role::Caption))));
        out.push(Block::para(
            caption,
            ParaStyle {
                align: Align::Left,
                leading: size * 1.5,
                keep_with_next: true,
                space_before: 6.0,
                space_after: 0.0,
                hyphenate: false,
                dir: self.dir(),
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
        out.push(Block::Tag(table));
        out.push(Block::table(Table {
            columns,
            header,
            rows,
            style,
        }));
        let mut source = vec![self.span(
            format!("{}: ", self.t("source")),
            f.sans_italic,
            size - 1.0,
            s.muted,
        )];
        let src = self.span(d.source.clone(), f.sans_italic, size - 1.0, s.muted);
        source.push(match &d.source_url {
            Some(u) => src.with_link(u.0.clone()),
            None => src,
        });
        source.push(self.span(
            format!(
                "{} {}{}",
                self.comma(),
                self.tf("as_of", &[("date", &present::date(d.as_of, &self.labels))]),
                self.t("full_stop")
            ),
            f.sans_italic,
            size - 1.0,
            s.muted,
        ));
        out.push(self.tag(parent, Role::P));
        out.push(Block::para(
            source,
            ParaStyle {
                align: Align::Left,
                leading: (size - 1.0) * 1.4,
                space_after: 12.0,
                hyphenate: false,
                dir: self.dir(),
                ..Default::default()
            },
        ));
    }

    pub(super) fn deal_table(&self, d: &Deal) -> Table {
        let s = &self.style;
        let f = self.fonts;
        let size = s.body - 1.0;
        let mut rows: Vec<(String, Vec<Span>)> = Vec::new();
        let plain = |t: String| vec![self.span(t, f.sans, size, s.text)];
        let l = &self.labels;
        let tr = crate::content::translated(&d.translations, &self.brief.lang);
        rows.push((self.t("status").into(), plain(present::status(d.status, l))));
        if let Some(v) = &d.value {
            let note = tr
                .and_then(|t| t.value_note.as_deref())
                .or(v.note.as_deref());
            rows.push((
                self.t("value").into(),
                plain(present::value_with_note(v, note, l)),
            ));
        }
        if let Some(a) = d.announced {
            rows.push((self.t("announced").into(), plain(present::date(a, l))));
        }
        if !d.parties.is_empty() {
            let t = d
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut s = self.isolate(&p.name);
                    let role = tr
                        .and_then(|t| t.roles.as_ref())
                        .and_then(|r| r.get(i))
                        .unwrap_or(&p.role);
                    if !role.is_empty() {
                        s.push_str(&format!(" — {}", self.isolate(role)));
                    }
                    if let Some(c) = &p.country {
                        // The brackets go inside the isolate: they belong to
                        // the Latin name.
                        s.push_str(&format!(" {}", self.isolate(&format!("({})", c.name()))));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join(&format!("{} ", self.t("semicolon")));
            rows.push((self.t("parties").into(), plain(t)));
        }
        if !d.minerals.is_empty() {
            let minerals = tr.and_then(|t| t.minerals.as_ref()).unwrap_or(&d.minerals);
            rows.push((
                self.t("minerals").into(),
                plain(minerals.join(&format!("{} ", self.comma()))),
            ));
        }
        if let Some(loc) = &d.location {
            let mut loc = loc.clone();
            if let Some(r) = tr.and_then(|t| t.region.clone()) {
                loc.region = r;
            }
            let text = if self.rtl {
                let country = self.isolate(&loc.country.name());
                if loc.region.is_empty() {
                    country
                } else {
                    format!("{}{} {country}", loc.region, self.comma())
                }
            } else {
                present::location(&loc)
            };
            rows.push((self.t("location").into(), plain(text)));
        }
        if !d.sources.is_empty() {
            let mut spans = Vec::new();
            for (i, src) in d.sources.iter().enumerate() {
                if i > 0 {
                    spans.push(self.span(
                        format!("{} ", self.t("semicolon")),
                        f.sans,
                        size,
                        s.text,
                    ));
                }
                spans.push(
                    self.span(self.isolate(&src.title), f.sans, size, s.primary)
                        .with_link(src.url.0.clone()),
                );
                if let Some(date) = src.date.map(|d| present::date(d, l)) {
                    spans.push(self.span(format!("{} {date}", self.comma()), f.sans, size, s.text));
                }
            }
            rows.push((self.t("sources").into(), spans));
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
                row_headers: true,
                rtl: self.rtl,
            },
        }
    }
}

/// A column's share of a Markdown table: its longest cell, bounded.
pub(super) fn column_weight<'a>(
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
