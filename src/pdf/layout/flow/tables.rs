//! Tables laid out for pagination: cells broken into lines, rows with
//! their heights, drawing a row, and column widths that never split a word.

use crate::pdf::frame::{Item, Node, Role, Tag};
use crate::pdf::layout::fonts::{FontSet, LayoutError};
use crate::pdf::layout::{shape, Align, Dir, Span};

use super::{paragraph_lines, ParaLines, ParaStyle, Table};

pub(super) struct Cell {
    pub(super) para: ParaLines,
}

pub(super) struct Row {
    pub(super) cells: Vec<Cell>,
    pub(super) height: f32,
}

impl Row {
    /// Lines of the row's tallest cell.
    pub(super) fn lines(&self) -> usize {
        self.cells
            .iter()
            .map(|c| c.para.lines.len())
            .max()
            .unwrap_or(0)
    }
}

/// Lays out one row of `t` (its cells' lines and its height) in columns
/// `widths` wide.
pub(super) fn lay_row(
    fonts: &FontSet,
    t: &Table,
    widths: &[f32],
    cells: &[Vec<Span>],
) -> Result<Row, LayoutError> {
    let st = &t.style;
    let mut out = Vec::with_capacity(widths.len());
    let mut lines = 1usize;
    // Cells with Nastaliq lines are taller than their count.
    let mut text_h = 0.0f32;
    for (i, w) in widths.iter().enumerate() {
        let spans = cells.get(i).map(|c| c.as_slice()).unwrap_or(&[]);
        let style = ParaStyle {
            align: t.columns.get(i).map_or(Align::Left, |c| c.align),
            dir: if st.rtl { Dir::Rtl } else { Dir::Auto },
            leading: st.leading,
            hyphenate: false,
            space_after: 0.0,
            ..ParaStyle::default()
        };
        let para = paragraph_lines(fonts, spans, &style, (w - 2.0 * st.padding_x).max(1.0))?;
        lines = lines.max(para.lines.len());
        text_h = text_h.max(para.lines_height(0..para.lines.len()));
        out.push(Cell { para });
    }
    Ok(Row {
        cells: out,
        height: (lines as f32 * st.leading).max(text_h) + 2.0 * st.padding_y,
    })
}

pub(super) struct LaidTable {
    /// The table, its rows taken out into `source`.
    pub(super) table: Table,
    /// Its rows, composed: let go of one by one as they are drawn.
    pub(super) source: Vec<Vec<Vec<Span>>>,
    pub(super) widths: Vec<f32>,
    pub(super) header: Option<Row>,
    /// The first rows, laid out for the lead; the others are laid out as
    /// they are drawn.
    pub(super) rows: Vec<Row>,
    /// Height the table needs free to start on a page.
    pub(super) lead: f32,
}

impl LaidTable {
    pub(super) fn header_height(&self) -> f32 {
        self.header.as_ref().map_or(0.0, |h| h.height)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn draw_row(
        &self,
        row: &Row,
        header: bool,
        index: usize,
        tag: &Tag,
        left: f32,
        top: f32,
        out: &mut Vec<Item>,
    ) {
        self.draw_row_lines(row, header, index, tag, left, top, 0..row.lines(), out);
    }

    /// Lines `lines` of every cell of a row (a row taller than a page is
    /// drawn in parts, one per page); returns the height used. `tag` is the
    /// row's element (`TR`); each cell is a `TH` or `TD` under it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn draw_row_lines(
        &self,
        row: &Row,
        header: bool,
        index: usize,
        tag: &Tag,
        left: f32,
        top: f32,
        lines: std::ops::Range<usize>,
        out: &mut Vec<Item>,
    ) -> f32 {
        let st = &self.table.style;
        let text_h = row
            .cells
            .iter()
            .map(|c| {
                let n = c.para.lines.len();
                c.para.lines_height(lines.start.min(n)..lines.end.min(n))
            })
            .fold(lines.len() as f32 * st.leading, f32::max);
        let height = text_h + 2.0 * st.padding_y;
        let width: f32 = self.widths.iter().sum();
        let fill = if header {
            st.header_fill
        } else if index % 2 == 1 {
            st.zebra_fill
        } else {
            None
        };
        if let Some(fill) = fill {
            out.push(Item::Rect {
                x: left,
                y: top,
                w: width,
                h: height,
                fill: Some(fill),
                stroke: None,
            });
        }
        // Columns run from the start edge: from the right when right to left.
        let mut x = if st.rtl { left + width } else { left };
        for (col, (cell, w)) in row.cells.iter().zip(&self.widths).enumerate() {
            if st.rtl {
                x -= w;
            }
            let n = cell.para.lines.len();
            let part = lines.start.min(n)..lines.end.min(n);
            let role = if header {
                Role::TH { row: false }
            } else if col == 0 && st.row_headers {
                Role::TH { row: true }
            } else {
                Role::TD
            };
            // A cell with nothing drawn here gets no tag: an element is
            // made only for content under it, and a table of millions of
            // empty cells held a tag for each (100 bytes a cell).
            if !part.is_empty() {
                out.push(Item::Tag(tag.child(Node::new(role, col as u32))));
                cell.para.draw(
                    part,
                    x + st.padding_x,
                    w - 2.0 * st.padding_x,
                    top + st.padding_y,
                    out,
                );
            }
            if !st.rtl {
                x += w;
            }
        }
        let rule = if header { st.header_rule } else { st.row_rule };
        if let Some((color, w)) = rule {
            let y = top + height;
            out.push(Item::Line {
                x1: left,
                y1: y,
                x2: left + width,
                y2: y,
                width: w,
                color,
            });
        }
        height
    }
}

/// The widest unbreakable word in a column's cells (its min-content width).
pub(super) fn longest_word<'s>(
    fonts: &FontSet,
    cells: impl Iterator<Item = &'s Vec<Span>>,
) -> Result<f32, LayoutError> {
    let mut widest = 0.0f32;
    for spans in cells {
        for span in spans {
            for word in span.text.split_whitespace() {
                let w = shape::text_width(fonts, span.font, span.size, word, !span.no_ligatures)?;
                widest = widest.max(w);
            }
        }
    }
    Ok(widest)
}

/// The smallest type a table is set in to fit its words: 6 pt, as in the
/// notes of printed financial statements.
pub(super) const MIN_TABLE_SIZE: f32 = 6.0;

/// The least side padding of a cell, in points, when a table's words do
/// not fit at the padding it asked for.
/// Half of 3 pt between columns: figures aligned right stay apart.
pub(super) const MIN_CELL_PADDING: f32 = 1.5;

/// Points added to a column's longest word (see [`fit_type`]).
const WORD_SLACK: f32 = 0.1;

/// A word longer than this share of the measure (a long address, say)
/// breaks across lines rather than make its whole table smaller.
const LONG_WORD_SHARE: f32 = 0.3;

/// Makes room for the words of a table of many columns, `t` with its rows
/// `rows`, across `measure`, and gives each column's least width (its
/// longest word, up to [`LONG_WORD_SHARE`] of the measure, and padding).
/// Where the longest words of all the columns side by side (with the
/// cells' padding) are wider than the measure, the table's type, header and
/// rows alike, is set smaller with its padding and leading until they fit,
/// but not below [`MIN_TABLE_SIZE`]; there, the side padding alone narrows
/// further, to [`MIN_CELL_PADDING`]: a table of fourteen columns of figures
/// stays a table of figures, not of one or two letters a line. Only where
/// even that is not enough do words break.
pub(super) fn fit_type(
    fonts: &FontSet,
    t: &mut Table,
    rows: &mut [Vec<Vec<Span>>],
    measure: f32,
) -> Result<Vec<f32>, LayoutError> {
    let n = t.columns.len().max(1);
    let mut words = Vec::with_capacity(n);
    for i in 0..n {
        let cells = std::iter::once(&t.header)
            .chain(rows.iter())
            .filter_map(|r| r.get(i));
        // A little over: a word measured as it is set again in its line
        // may come out a hair wider.
        words.push(longest_word(fonts, cells)? + WORD_SLACK);
    }
    let st = &mut t.style;
    let pads = 2.0 * n as f32;
    // Words no table could fit are left to break.
    let wanted: f32 = words.iter().map(|w| w.min(measure * LONG_WORD_SHARE)).sum();
    if wanted + pads * st.padding_x > measure {
        let largest = std::iter::once(&t.header)
            .chain(rows.iter())
            .flatten()
            .flatten()
            .map(|s| s.size)
            .fold(0.0f32, f32::max);
        let least = if largest > 0.0 {
            (MIN_TABLE_SIZE / largest).min(1.0)
        } else {
            1.0
        };
        // Type and padding smaller alike, the gutters staying in
        // proportion to the type; at the least size, the padding alone
        // narrows further.
        let scale = (measure / (wanted + pads * st.padding_x)).clamp(least, 1.0);
        let mut pad = st.padding_x * scale;
        if wanted * scale + pads * pad > measure {
            pad = ((measure - wanted * scale) / pads).max(MIN_CELL_PADDING.min(pad));
        }
        st.padding_x = pad;
        if scale < 1.0 {
            for span in std::iter::once(&mut t.header)
                .chain(rows.iter_mut())
                .flatten()
                .flatten()
            {
                span.size *= scale;
            }
            st.leading *= scale;
            st.padding_y *= scale;
            for w in &mut words {
                *w *= scale;
            }
        }
    }
    Ok(words
        .iter()
        .map(|w| w.min(measure * LONG_WORD_SHARE) + 2.0 * st.padding_x)
        .collect())
}

/// Widens columns narrower than their longest word, taking the width from
/// columns that have room to spare, in proportion to that room — so a word
/// such as "Compliance" is never split across lines in a narrow column.
/// When the words cannot all fit, the widths are left as weighted.
pub(super) fn fit_columns(mut widths: Vec<f32>, min: &[f32]) -> Vec<f32> {
    let deficit: f32 = widths.iter().zip(min).map(|(w, m)| (m - w).max(0.0)).sum();
    if deficit <= 0.0 {
        return widths;
    }
    let slack: f32 = widths.iter().zip(min).map(|(w, m)| (w - m).max(0.0)).sum();
    // Words that fit the measure to a hair (as `fit_type` sets them) fit.
    if slack < deficit - 0.01 {
        return widths;
    }
    for (w, m) in widths.iter_mut().zip(min) {
        if *w < *m {
            *w = *m;
        } else {
            *w -= (*w - m) / slack * deficit;
        }
    }
    widths
}
