//! Block layout and pagination: paragraphs, lists, tables, images, rules and
//! pre-drawn boxes flowed into pages.
//!
//! Every block is laid out first (paragraphs broken into lines, table cells
//! wrapped, images scaled); pagination then places them top to bottom:
//!
//! * a paragraph line occupies `leading`; a paragraph splits between pages
//!   only where at least two lines stay on each side (no orphan, no widow),
//!   so paragraphs of three lines or fewer never split;
//! * a `keep_with_next` block (a heading) only starts where it fits together
//!   with the start of what follows: two lines of a paragraph (all of a
//!   short one), a table's header and first row, a whole image or box —
//!   chains of headings count together;
//! * table rows never split; the header row is repeated on every page;
//! * vertical space collapses (the larger of space-after and space-before)
//!   and is dropped at the top of a page.
//!
//! Items are emitted in reading order: backgrounds, then lines top to bottom
//! (each line's runs left to right, then its link rectangles), table cells
//! row by row.

use crate::pdf::frame::{ImageId, Item, Outline, Page, Rgb};

use super::fonts::{FontSet, LayoutError};
use super::linebreak::{break_lines, single_line, Align, BreakSpec, LaidLine, Span};

/// How a paragraph is set.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaStyle {
    pub align: Align,
    /// Baseline to baseline.
    pub leading: f32,
    pub indent_left: f32,
    pub indent_right: f32,
    /// Extra indent of the first line (may be negative down to
    /// `-indent_left`).
    pub first_indent: f32,
    pub space_before: f32,
    pub space_after: f32,
    /// Never the last thing on a page: moves with the start of the next block.
    pub keep_with_next: bool,
    pub hyphenate: bool,
    /// A list bullet or number, hung in the left indent: its right edge at
    /// `indent_left - marker_gap`, on the first line's baseline.
    pub marker: Option<Vec<Span>>,
    pub marker_gap: f32,
    /// Makes an outline entry at this level (1 = top) with the text.
    pub outline_level: Option<u8>,
    /// A rule under the last line: colour and thickness; `rule_gap` below
    /// the last line box.
    pub rule_below: Option<(Rgb, f32)>,
    pub rule_gap: f32,
    /// A fill behind the text (code blocks, call-outs), extending `padding`
    /// beyond the indented text on every side.
    pub background: Option<Rgb>,
    pub padding: f32,
    /// A vertical bar at the left edge of the measure (block quotes): colour
    /// and width.
    pub bar: Option<(Rgb, f32)>,
}

impl Default for ParaStyle {
    fn default() -> Self {
        ParaStyle {
            align: Align::Justify,
            leading: 14.0,
            indent_left: 0.0,
            indent_right: 0.0,
            first_indent: 0.0,
            space_before: 0.0,
            space_after: 6.0,
            keep_with_next: false,
            hyphenate: true,
            marker: None,
            marker_gap: 6.0,
            outline_level: None,
            rule_below: None,
            rule_gap: 3.0,
            background: None,
            padding: 0.0,
            bar: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Share of the table width, relative to the other columns' weights.
    pub weight: f32,
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableStyle {
    pub header_fill: Option<Rgb>,
    /// Rule under the header row: colour, thickness.
    pub header_rule: Option<(Rgb, f32)>,
    /// Rule under each body row.
    pub row_rule: Option<(Rgb, f32)>,
    /// Fill of every second body row.
    pub zebra_fill: Option<Rgb>,
    pub padding_x: f32,
    pub padding_y: f32,
    /// Baseline to baseline inside cells.
    pub leading: f32,
    pub space_before: f32,
    pub space_after: f32,
    /// Start the table on a new page rather than split it, when it fits on
    /// one page (short key–value tables such as deal facts).
    pub keep_together: bool,
}

impl Default for TableStyle {
    fn default() -> Self {
        TableStyle {
            header_fill: None,
            header_rule: Some((Rgb::BLACK, 0.8)),
            row_rule: Some((Rgb(0.8, 0.8, 0.8), 0.4)),
            zebra_fill: None,
            padding_x: 4.0,
            padding_y: 3.0,
            leading: 12.0,
            space_before: 6.0,
            space_after: 8.0,
            keep_together: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    /// One cell per column; empty for no header.
    pub header: Vec<Vec<Span>>,
    pub rows: Vec<Vec<Vec<Span>>>,
    pub style: TableStyle,
}

/// Pre-drawn items kept together, relative to the box's top-left corner,
/// which is placed at the left edge of the measure.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedBox {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    pub space_before: f32,
    pub space_after: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Vec<Span>, ParaStyle),
    Table(Table),
    /// An image of natural size `width` × `height` points, scaled down to the
    /// measure and the page when larger, centred, with an optional caption
    /// kept with it.
    Image {
        id: ImageId,
        width: f32,
        height: f32,
        caption: Option<(Vec<Span>, ParaStyle)>,
        space_before: f32,
        space_after: f32,
    },
    /// A horizontal rule across the measure with `space` above and below.
    Rule {
        color: Rgb,
        width: f32,
        space: f32,
    },
    Space(f32),
    PageBreak,
    Fixed(FixedBox),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSpec {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
}

impl PageSpec {
    pub fn measure(&self) -> f32 {
        self.width - self.margin_left - self.margin_right
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin_bottom
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flowed {
    pub pages: Vec<Page>,
    pub outline: Vec<Outline>,
}

/// A paragraph broken into lines, ready to place.
#[derive(Debug, Clone)]
pub struct ParaLines {
    pub lines: Vec<LaidLine>,
    /// Left edge of each line relative to the measure's left edge.
    pub x: Vec<f32>,
    /// Baseline offset inside a line box of height `leading`.
    pub baseline: f32,
    pub marker: Option<LaidLine>,
    pub style: ParaStyle,
}

impl ParaLines {
    fn height(&self) -> f32 {
        self.pad_top() + self.lines.len() as f32 * self.style.leading + self.tail()
    }

    fn pad_top(&self) -> f32 {
        if self.style.background.is_some() {
            self.style.padding
        } else {
            0.0
        }
    }

    /// Below the last line: padding and the rule.
    fn tail(&self) -> f32 {
        let mut t = self.pad_top();
        if let Some((_, w)) = self.style.rule_below {
            t += self.style.rule_gap + w;
        }
        t
    }

    /// Height needed to start the paragraph on a page without an orphan.
    fn min_start(&self) -> f32 {
        let n = self.lines.len();
        if n <= 3 || self.style.keep_with_next {
            self.height()
        } else {
            self.pad_top() + 2.0 * self.style.leading
        }
    }

    /// Items for lines `range` with the first line box's top at `top` and the
    /// measure's left edge at `left`; `first`/`last`: whether the fragment
    /// starts/ends the paragraph. Returns the height used.
    fn draw(
        &self,
        range: std::ops::Range<usize>,
        left: f32,
        measure: f32,
        top: f32,
        out: &mut Vec<Item>,
    ) -> f32 {
        let first = range.start == 0;
        let last = range.end == self.lines.len();
        let s = &self.style;
        let pad_top = if first { self.pad_top() } else { 0.0 };
        let pad_bottom = if last && s.background.is_some() {
            s.padding
        } else {
            0.0
        };
        let text_h = range.len() as f32 * s.leading;
        let box_h = pad_top + text_h + pad_bottom;
        if let Some(fill) = s.background {
            out.push(Item::Rect {
                x: left + s.indent_left - s.padding,
                y: top,
                w: measure - s.indent_left - s.indent_right + 2.0 * s.padding,
                h: box_h,
                fill: Some(fill),
                stroke: None,
            });
        }
        if let Some((color, w)) = s.bar {
            out.push(Item::Rect {
                x: left,
                y: top,
                w,
                h: box_h,
                fill: Some(color),
                stroke: None,
            });
        }
        let mut y = top + pad_top;
        for i in range {
            let baseline = y + self.baseline;
            if i == 0 {
                if let Some(m) = &self.marker {
                    let right = left + s.indent_left - s.marker_gap;
                    m.place(right - m.width, baseline, out);
                }
            }
            self.lines[i].place(left + self.x[i], baseline, out);
            y += s.leading;
        }
        let mut h = box_h;
        if last {
            if let Some((color, w)) = s.rule_below {
                let ry = top + box_h + s.rule_gap + w / 2.0;
                out.push(Item::Line {
                    x1: left + s.indent_left,
                    y1: ry,
                    x2: left + measure - s.indent_right,
                    y2: ry,
                    width: w,
                    color,
                });
                h += s.rule_gap + w;
            }
        }
        h
    }
}

/// Breaks a paragraph for a measure of `width`: indents, marker and baseline
/// position resolved, for placing inside custom boxes (cover, contact card).
pub fn paragraph_lines(
    fonts: &FontSet,
    spans: &[Span],
    style: &ParaStyle,
    width: f32,
) -> Result<ParaLines, LayoutError> {
    let inner = (width - style.indent_left - style.indent_right).max(0.0);
    let first_indent = style.first_indent.max(-style.indent_left);
    let spec = BreakSpec {
        align: style.align,
        first_width: (inner - first_indent).max(0.0),
        width: inner,
        hyphenate: style.hyphenate,
    };
    let lines = break_lines(fonts, spans, &spec)?;
    let x = (0..lines.len())
        .map(|i| style.indent_left + if i == 0 { first_indent } else { 0.0 })
        .collect();
    let marker = match &style.marker {
        Some(m) if !m.is_empty() => Some(single_line(fonts, m)?),
        _ => None,
    };
    let (mut asc, mut desc) = (0.0f32, 0.0f32);
    for l in lines.iter().chain(marker.iter()) {
        asc = asc.max(l.ascent);
        desc = desc.max(l.descent);
    }
    let baseline = (style.leading - (asc + desc)) / 2.0 + asc;
    Ok(ParaLines {
        lines,
        x,
        baseline,
        marker,
        style: style.clone(),
    })
}

/// Sets a paragraph inside a box whose top-left corner is (`x`, `top`):
/// the items and the height used.
pub fn paragraph_box(
    fonts: &FontSet,
    spans: &[Span],
    style: &ParaStyle,
    x: f32,
    top: f32,
    width: f32,
) -> Result<(Vec<Item>, f32), LayoutError> {
    let p = paragraph_lines(fonts, spans, style, width)?;
    let mut out = Vec::new();
    let h = if p.lines.is_empty() {
        0.0
    } else {
        p.draw(0..p.lines.len(), x, width, top, &mut out)
    };
    Ok((out, h))
}

struct Cell {
    para: ParaLines,
}

struct Row {
    cells: Vec<Cell>,
    height: f32,
}

struct LaidTable<'a> {
    table: &'a Table,
    widths: Vec<f32>,
    header: Option<Row>,
    rows: Vec<Row>,
    /// Height the table needs free to start on a page.
    lead: f32,
}

impl LaidTable<'_> {
    fn header_height(&self) -> f32 {
        self.header.as_ref().map_or(0.0, |h| h.height)
    }

    fn draw_row(
        &self,
        row: &Row,
        header: bool,
        index: usize,
        left: f32,
        top: f32,
        out: &mut Vec<Item>,
    ) {
        let st = &self.table.style;
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
                h: row.height,
                fill: Some(fill),
                stroke: None,
            });
        }
        let mut x = left;
        for (cell, w) in row.cells.iter().zip(&self.widths) {
            if !cell.para.lines.is_empty() {
                cell.para.draw(
                    0..cell.para.lines.len(),
                    x + st.padding_x,
                    w - 2.0 * st.padding_x,
                    top + st.padding_y,
                    out,
                );
            }
            x += w;
        }
        let rule = if header { st.header_rule } else { st.row_rule };
        if let Some((color, w)) = rule {
            let y = top + row.height;
            out.push(Item::Line {
                x1: left,
                y1: y,
                x2: left + width,
                y2: y,
                width: w,
                color,
            });
        }
    }
}

enum Laid<'a> {
    Para(ParaLines),
    Table(LaidTable<'a>),
    /// Unbreakable: drawn by `draw` at (left, top).
    Solid {
        height: f32,
        space_before: f32,
        space_after: f32,
        kind: Solid<'a>,
    },
    Space(f32),
    PageBreak,
}

enum Solid<'a> {
    Image {
        id: ImageId,
        w: f32,
        h: f32,
        caption: Option<Box<ParaLines>>,
        caption_gap: f32,
    },
    Rule {
        color: Rgb,
        width: f32,
    },
    Fixed(&'a FixedBox),
}

fn lay_out<'a>(
    fonts: &FontSet,
    block: &'a Block,
    page: &PageSpec,
) -> Result<Laid<'a>, LayoutError> {
    let measure = page.measure();
    let body = page.bottom() - page.margin_top;
    Ok(match block {
        Block::Para(spans, style) => Laid::Para(paragraph_lines(fonts, spans, style, measure)?),
        Block::Table(t) => {
            let n = t.columns.len().max(1);
            let total: f32 = t.columns.iter().map(|c| c.weight.max(0.0)).sum();
            let weighted: Vec<f32> = (0..n)
                .map(|i| match t.columns.get(i) {
                    Some(c) if total > 0.0 => measure * c.weight.max(0.0) / total,
                    _ => measure / n as f32,
                })
                .collect();
            let st = &t.style;
            let min: Vec<f32> = (0..n)
                .map(|i| {
                    let cells = std::iter::once(&t.header)
                        .chain(&t.rows)
                        .filter_map(|r| r.get(i));
                    Ok(longest_word(fonts, cells)? + 2.0 * t.style.padding_x)
                })
                .collect::<Result<_, LayoutError>>()?;
            let widths = fit_columns(weighted, &min);
            let row = |cells: &[Vec<Span>]| -> Result<Row, LayoutError> {
                let mut out = Vec::with_capacity(n);
                let mut lines = 1usize;
                for (i, w) in widths.iter().enumerate() {
                    let spans = cells.get(i).map(|c| c.as_slice()).unwrap_or(&[]);
                    let style = ParaStyle {
                        align: t.columns.get(i).map_or(Align::Left, |c| c.align),
                        leading: st.leading,
                        hyphenate: false,
                        space_after: 0.0,
                        ..ParaStyle::default()
                    };
                    let para =
                        paragraph_lines(fonts, spans, &style, (w - 2.0 * st.padding_x).max(1.0))?;
                    lines = lines.max(para.lines.len());
                    out.push(Cell { para });
                }
                Ok(Row {
                    cells: out,
                    height: lines as f32 * st.leading + 2.0 * st.padding_y,
                })
            };
            let header = if t.header.is_empty() {
                None
            } else {
                Some(row(&t.header)?)
            };
            let rows = t
                .rows
                .iter()
                .map(|r| row(r))
                .collect::<Result<Vec<_>, _>>()?;
            let header_h = header.as_ref().map_or(0.0, |h| h.height);
            let whole = header_h + rows.iter().map(|r| r.height).sum::<f32>();
            let lead = if t.style.keep_together && whole <= body {
                whole
            } else {
                header_h + rows.first().map_or(0.0, |r| r.height)
            };
            Laid::Table(LaidTable {
                table: t,
                widths,
                header,
                rows,
                lead,
            })
        }
        Block::Image {
            id,
            width,
            height,
            caption,
            space_before,
            space_after,
        } => {
            let caption = match caption {
                Some((spans, style)) => {
                    Some(Box::new(paragraph_lines(fonts, spans, style, measure)?))
                }
                None => None,
            };
            let caption_gap = caption.as_ref().map_or(0.0, |c| c.style.space_before);
            let caption_h = caption.as_ref().map_or(0.0, |c| c.height() + caption_gap);
            let (w0, h0) = (width.max(0.0), height.max(0.0));
            let mut scale = 1.0f32;
            if w0 > measure {
                scale = measure / w0;
            }
            let max_h = (body - caption_h).max(body / 4.0);
            if h0 * scale > max_h && h0 > 0.0 {
                scale = max_h / h0;
            }
            let (w, h) = (w0 * scale, h0 * scale);
            Laid::Solid {
                height: h + caption_h,
                space_before: *space_before,
                space_after: space_after.max(caption.as_ref().map_or(0.0, |c| c.style.space_after)),
                kind: Solid::Image {
                    id: *id,
                    w,
                    h,
                    caption,
                    caption_gap,
                },
            }
        }
        Block::Rule {
            color,
            width,
            space,
        } => Laid::Solid {
            height: *width,
            space_before: *space,
            space_after: *space,
            kind: Solid::Rule {
                color: *color,
                width: *width,
            },
        },
        Block::Space(s) => Laid::Space(*s),
        Block::PageBreak => Laid::PageBreak,
        Block::Fixed(f) => Laid::Solid {
            height: f.height,
            space_before: f.space_before,
            space_after: f.space_after,
            kind: Solid::Fixed(f),
        },
    })
}

/// The widest unbreakable word in a column's cells (its min-content width).
fn longest_word<'s>(
    fonts: &FontSet,
    cells: impl Iterator<Item = &'s Vec<Span>>,
) -> Result<f32, LayoutError> {
    let mut widest = 0.0f32;
    for spans in cells {
        for span in spans {
            for word in span.text.split_whitespace() {
                let w = super::shape::text_width(
                    fonts,
                    span.font,
                    span.size,
                    word,
                    !span.no_ligatures,
                )?;
                widest = widest.max(w);
            }
        }
    }
    Ok(widest)
}

/// Widens columns narrower than their longest word, taking the width from
/// columns that have room to spare, in proportion to that room — so a word
/// such as "Compliance" is never split across lines in a narrow column.
/// When the words cannot all fit, the widths are left as weighted.
fn fit_columns(mut widths: Vec<f32>, min: &[f32]) -> Vec<f32> {
    let deficit: f32 = widths.iter().zip(min).map(|(w, m)| (m - w).max(0.0)).sum();
    if deficit <= 0.0 {
        return widths;
    }
    let slack: f32 = widths.iter().zip(min).map(|(w, m)| (w - m).max(0.0)).sum();
    if slack < deficit {
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

fn space_before(b: &Laid) -> f32 {
    match b {
        Laid::Para(p) => p.style.space_before,
        Laid::Table(t) => t.table.style.space_before,
        Laid::Solid { space_before, .. } => *space_before,
        _ => 0.0,
    }
}

fn space_after(b: &Laid) -> f32 {
    match b {
        Laid::Para(p) => p.style.space_after,
        Laid::Table(t) => t.table.style.space_after,
        Laid::Solid { space_after, .. } => *space_after,
        _ => 0.0,
    }
}

/// Height a block needs to start on a page (the keep-with-next chain
/// included).
fn lead_height(blocks: &[Laid], i: usize) -> f32 {
    let own = match &blocks[i] {
        Laid::Para(p) => p.min_start(),
        Laid::Table(t) => t.lead,
        Laid::Solid { height, .. } => *height,
        Laid::Space(_) | Laid::PageBreak => 0.0,
    };
    let keep = matches!(&blocks[i], Laid::Para(p) if p.style.keep_with_next && !p.lines.is_empty());
    if keep && i + 1 < blocks.len() {
        let next = &blocks[i + 1];
        if matches!(next, Laid::PageBreak) {
            return own;
        }
        let gap = space_after(&blocks[i]).max(space_before(next));
        own + gap + lead_height(blocks, i + 1)
    } else {
        own
    }
}

struct Pager {
    spec: PageSpec,
    pages: Vec<Page>,
    y: f32,
    empty: bool,
    pending: f32,
}

impl Pager {
    fn top(&self) -> f32 {
        self.spec.margin_top
    }

    fn bottom(&self) -> f32 {
        self.spec.bottom()
    }

    fn left(&self) -> f32 {
        self.spec.margin_left
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.spec.width,
            height: self.spec.height,
            items: Vec::new(),
        });
        self.y = self.top();
        self.empty = true;
        self.pending = 0.0;
    }

    fn out(&mut self) -> &mut Vec<Item> {
        &mut self.pages.last_mut().expect("a page exists").items
    }

    /// The space that will precede the next thing placed here.
    fn gap(&self) -> f32 {
        if self.empty {
            0.0
        } else {
            self.pending
        }
    }

    /// Starts a new page unless `h` (plus pending space) fits on this one.
    fn ensure(&mut self, h: f32) {
        if !self.empty && self.y + self.gap() + h > self.bottom() + 0.01 {
            self.new_page();
        }
    }

    fn commit_space(&mut self) {
        self.y += self.gap();
        self.pending = 0.0;
    }

    fn avail(&self) -> f32 {
        self.bottom() - self.y
    }
}

const EPS: f32 = 0.01;

/// Flows blocks into pages.
pub fn flow(blocks: &[Block], fonts: &FontSet, page: PageSpec) -> Result<Flowed, LayoutError> {
    if !(page.measure() > 0.0 && page.bottom() > page.margin_top) {
        return Err(LayoutError::new(format!(
            "page {}×{} has no room inside its margins",
            page.width, page.height
        )));
    }
    let laid = blocks
        .iter()
        .map(|b| lay_out(fonts, b, &page))
        .collect::<Result<Vec<_>, _>>()?;
    let mut pg = Pager {
        spec: page,
        pages: Vec::new(),
        y: 0.0,
        empty: true,
        pending: 0.0,
    };
    pg.new_page();
    let measure = page.measure();
    let mut marks: Vec<(u8, String, usize, f32)> = Vec::new();
    for (i, block) in laid.iter().enumerate() {
        match block {
            Laid::Space(s) => {
                if !pg.empty {
                    pg.pending += s;
                }
            }
            Laid::PageBreak => {
                if !pg.empty {
                    pg.new_page();
                }
            }
            Laid::Para(p) => {
                if p.lines.is_empty() {
                    continue;
                }
                pg.pending = pg.pending.max(p.style.space_before);
                pg.ensure(lead_height(&laid, i));
                pg.commit_space();
                if let Some(level) = p.style.outline_level {
                    let title = p
                        .lines
                        .iter()
                        .map(|l| {
                            let mut t = l.text();
                            if l.hyphenated {
                                t.pop();
                            } else {
                                t.push(' ');
                            }
                            t
                        })
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    marks.push((level, title, pg.pages.len() - 1, pg.y));
                }
                place_para(&mut pg, p, measure);
                pg.pending = p.style.space_after;
            }
            Laid::Table(t) => {
                pg.pending = pg.pending.max(t.table.style.space_before);
                pg.ensure(lead_height(&laid, i));
                pg.commit_space();
                let left = pg.left();
                let hh = t.header_height();
                let mut need_header = true;
                for (ri, row) in t.rows.iter().enumerate() {
                    if !need_header && pg.y + row.height > pg.bottom() + EPS {
                        pg.new_page();
                        need_header = true;
                    }
                    if need_header {
                        if let Some(h) = &t.header {
                            let top = pg.y;
                            let mut items = Vec::new();
                            t.draw_row(h, true, 0, left, top, &mut items);
                            pg.out().extend(items);
                            pg.y += hh;
                            pg.empty = false;
                        }
                        need_header = false;
                    }
                    let mut items = Vec::new();
                    t.draw_row(row, false, ri, left, pg.y, &mut items);
                    pg.out().extend(items);
                    pg.y += row.height;
                    pg.empty = false;
                }
                if t.rows.is_empty() {
                    if let Some(h) = &t.header {
                        let mut items = Vec::new();
                        t.draw_row(h, true, 0, left, pg.y, &mut items);
                        pg.out().extend(items);
                        pg.y += hh;
                        pg.empty = false;
                    }
                }
                pg.pending = t.table.style.space_after;
            }
            Laid::Solid {
                height,
                space_before,
                space_after,
                kind,
            } => {
                pg.pending = pg.pending.max(*space_before);
                pg.ensure(*height);
                pg.commit_space();
                let (left, top) = (pg.left(), pg.y);
                let mut items = Vec::new();
                match kind {
                    Solid::Image {
                        id,
                        w,
                        h,
                        caption,
                        caption_gap,
                    } => {
                        items.push(Item::Image {
                            x: left + (measure - w) / 2.0,
                            y: top,
                            w: *w,
                            h: *h,
                            image: *id,
                        });
                        if let Some(c) = caption {
                            if !c.lines.is_empty() {
                                c.draw(
                                    0..c.lines.len(),
                                    left,
                                    measure,
                                    top + h + caption_gap,
                                    &mut items,
                                );
                            }
                        }
                    }
                    Solid::Rule { color, width } => items.push(Item::Line {
                        x1: left,
                        y1: top + width / 2.0,
                        x2: left + measure,
                        y2: top + width / 2.0,
                        width: *width,
                        color: *color,
                    }),
                    Solid::Fixed(f) => {
                        items.extend(f.items.iter().map(|it| translate(it, left, top)));
                    }
                }
                pg.out().extend(items);
                pg.y += height;
                pg.empty = false;
                pg.pending = *space_after;
            }
        }
    }
    Ok(Flowed {
        pages: pg.pages,
        outline: build_outline(marks),
    })
}

/// Places a paragraph from the current position, splitting it across pages
/// without orphans or widows.
fn place_para(pg: &mut Pager, p: &ParaLines, measure: f32) {
    let n = p.lines.len();
    let lead = p.style.leading.max(EPS);
    let mut idx = 0;
    while idx < n {
        let remaining = n - idx;
        let pad = if idx == 0 { p.pad_top() } else { 0.0 };
        let rest_h = pad + remaining as f32 * lead + p.tail();
        let k = if rest_h <= pg.avail() + EPS {
            remaining
        } else {
            let fit = ((pg.avail() - pad + EPS) / lead).floor().max(0.0) as usize;
            let mut k = fit.min(remaining - 1);
            if remaining - k < 2 {
                k = remaining.saturating_sub(2);
            }
            if k < 2 {
                k = 0;
            }
            if k == 0 && pg.empty {
                // The page cannot hold two lines: progress regardless.
                fit.clamp(1, remaining)
            } else {
                k
            }
        };
        if k == 0 {
            pg.new_page();
            continue;
        }
        let (left, top) = (pg.left(), pg.y);
        let mut items = Vec::new();
        let h = p.draw(idx..idx + k, left, measure, top, &mut items);
        pg.out().extend(items);
        pg.y += h;
        pg.empty = false;
        idx += k;
        if idx < n {
            pg.new_page();
        }
    }
}

fn translate(item: &Item, dx: f32, dy: f32) -> Item {
    let mut it = item.clone();
    match &mut it {
        Item::Text(t) => {
            t.x += dx;
            t.y += dy;
        }
        Item::Rect { x, y, .. } | Item::Image { x, y, .. } | Item::Link { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
        Item::Line { x1, y1, x2, y2, .. } => {
            *x1 += dx;
            *x2 += dx;
            *y1 += dy;
            *y2 += dy;
        }
    }
    it
}

/// Nests (level, title, page, y) marks: each entry goes under the latest
/// entry of a lower level.
fn build_outline(marks: Vec<(u8, String, usize, f32)>) -> Vec<Outline> {
    fn build(
        marks: &[(u8, String, usize, f32)],
        i: &mut usize,
        parent: Option<u8>,
    ) -> Vec<Outline> {
        let mut out = Vec::new();
        while let Some((level, title, page, y)) = marks.get(*i) {
            if parent.is_some_and(|p| *level <= p) {
                break;
            }
            *i += 1;
            let children = build(marks, i, Some(*level));
            out.push(Outline {
                title: title.clone(),
                page: *page,
                y: *y,
                children,
            });
        }
        out
    }
    build(&marks, &mut 0, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::frame::{FontId, TextRun};
    use crate::pdf::layout::fonts::tests::test_fonts;
    use crate::pdf::layout::linebreak::tests::LOREM;

    const PAGE: PageSpec = PageSpec {
        width: 200.0,
        height: 200.0,
        margin_top: 20.0,
        margin_bottom: 20.0,
        margin_left: 20.0,
        margin_right: 20.0,
    };

    /// 160 pt of body at 12 pt leading: 13 lines a page.
    fn style() -> ParaStyle {
        ParaStyle {
            align: Align::Left,
            leading: 12.0,
            space_after: 0.0,
            hyphenate: false,
            ..ParaStyle::default()
        }
    }

    /// A paragraph of `n` short lines named `{tag}1`…`{tag}n`.
    fn lines(font: FontId, tag: &str, n: usize) -> Block {
        let text: Vec<String> = (1..=n).map(|i| format!("{tag}{i}")).collect();
        Block::Para(
            vec![Span::new(text.join("\n"), font, 9.0, Rgb::BLACK)],
            style(),
        )
    }

    fn heading(font: FontId, text: &str, level: u8) -> Block {
        Block::Para(
            vec![Span::new(text, font, 10.0, Rgb::BLACK)],
            ParaStyle {
                keep_with_next: true,
                outline_level: Some(level),
                ..style()
            },
        )
    }

    /// Text lines of each page, merged by baseline, in emission order.
    fn page_lines(f: &Flowed) -> Vec<Vec<String>> {
        f.pages
            .iter()
            .map(|p| {
                let mut out: Vec<(f32, String)> = Vec::new();
                for it in &p.items {
                    if let Item::Text(t) = it {
                        match out.last_mut() {
                            Some((y, s)) if (*y - t.y).abs() < 0.01 => s.push_str(&t.text()),
                            _ => out.push((t.y, t.text())),
                        }
                    }
                }
                out.into_iter().map(|(_, s)| s).collect()
            })
            .collect()
    }

    fn tagged(page: &[String], tag: &str) -> usize {
        page.iter()
            .filter(|l| l.starts_with(tag) && l[tag.len()..].chars().all(|c| c.is_ascii_digit()))
            .count()
    }

    fn check_inside(f: &Flowed) {
        for p in &f.pages {
            for it in &p.items {
                if let Item::Text(t) = it {
                    assert!(t.x >= PAGE.margin_left - 0.01, "{t:?}");
                    assert!(
                        t.x + t.width() <= PAGE.width - PAGE.margin_right + 0.01,
                        "{t:?}"
                    );
                    assert!(t.y <= PAGE.height - PAGE.margin_bottom && t.y >= PAGE.margin_top);
                }
            }
        }
    }

    #[test]
    fn no_orphan_moves_paragraph_to_next_page() {
        let (set, ids) = test_fonts();
        let f = flow(&[lines(ids[0], "A", 12), lines(ids[0], "B", 5)], &set, PAGE).unwrap();
        let p = page_lines(&f);
        assert_eq!(p.len(), 2);
        assert_eq!(tagged(&p[0], "B"), 0, "{p:?}");
        assert_eq!(tagged(&p[1], "B"), 5);
        check_inside(&f);
    }

    #[test]
    fn no_widow_takes_a_line_along() {
        let (set, ids) = test_fonts();
        // 3 lines left for a 4-line paragraph: 2 + 2, not 3 + 1.
        let f = flow(&[lines(ids[0], "A", 10), lines(ids[0], "B", 4)], &set, PAGE).unwrap();
        let p = page_lines(&f);
        assert_eq!((tagged(&p[0], "B"), tagged(&p[1], "B")), (2, 2), "{p:?}");
        assert_eq!(p[1][0], "B3");
        // A 3-line paragraph with 2 lines left moves whole.
        let f = flow(&[lines(ids[0], "A", 11), lines(ids[0], "B", 3)], &set, PAGE).unwrap();
        let p = page_lines(&f);
        assert_eq!((tagged(&p[0], "B"), tagged(&p[1], "B")), (0, 3), "{p:?}");
        // A long paragraph over several pages: never one line alone.
        let f = flow(&[lines(ids[0], "A", 6), lines(ids[0], "B", 28)], &set, PAGE).unwrap();
        for page in page_lines(&f) {
            let b = tagged(&page, "B");
            assert!(b == 0 || b >= 2, "{page:?}");
        }
    }

    #[test]
    fn heading_keeps_with_next_block() {
        let (set, ids) = test_fonts();
        // Two lines left: the heading and one body line would fit, but the
        // body may not leave an orphan, so the heading moves.
        let blocks = [
            lines(ids[0], "A", 11),
            heading(ids[1], "Heading", 1),
            lines(ids[0], "B", 6),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        let p = page_lines(&f);
        assert_eq!(p[0].last().unwrap(), "A11", "{p:?}");
        assert_eq!(p[1][0], "Heading");
        assert_eq!(p[1][1], "B1");
        // Three lines left: heading + two lines fit.
        let blocks = [
            lines(ids[0], "A", 10),
            heading(ids[1], "Heading", 1),
            lines(ids[0], "B", 6),
        ];
        let p = page_lines(&flow(&blocks, &set, PAGE).unwrap());
        assert_eq!(&p[0][10..], ["Heading", "B1", "B2"], "{p:?}");
        // A chain of headings moves together.
        let blocks = [
            lines(ids[0], "A", 10),
            heading(ids[1], "Part", 1),
            heading(ids[1], "Section", 2),
            lines(ids[0], "B", 6),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        let p = page_lines(&f);
        assert_eq!(p[0].last().unwrap(), "A10", "{p:?}");
        assert_eq!(&p[1][..3], ["Part", "Section", "B1"]);
        assert_eq!(f.outline[0].page, 1);
        assert_eq!(f.outline[0].children[0].title, "Section");
    }

    fn table(font: FontId, rows: usize) -> Block {
        let cell = |s: String| vec![Span::new(s, font, 8.0, Rgb::BLACK)];
        Block::Table(Table {
            columns: vec![
                Column {
                    weight: 1.0,
                    align: Align::Left,
                },
                Column {
                    weight: 2.0,
                    align: Align::Right,
                },
            ],
            header: vec![cell("Item".into()), cell("Amount".into())],
            rows: (0..rows)
                .map(|i| {
                    let long = if i % 3 == 0 {
                        format!("R{i} spans several wrapped lines of cell text here")
                    } else {
                        format!("R{i} short")
                    };
                    vec![cell(format!("Row{i}")), cell(long)]
                })
                .collect(),
            style: TableStyle {
                header_fill: Some(Rgb(0.9, 0.9, 0.9)),
                zebra_fill: Some(Rgb(0.97, 0.97, 0.97)),
                ..TableStyle::default()
            },
        })
    }

    #[test]
    fn keep_together_tables_move_whole_to_the_next_page() {
        let (set, ids) = test_fonts();
        let rows_on = |keep: bool| {
            let mut t = table(ids[3], 4);
            if let Block::Table(t) = &mut t {
                t.style.keep_together = keep;
            }
            let f = flow(&[lines(ids[0], "A", 8), t], &set, PAGE).unwrap();
            check_inside(&f);
            page_lines(&f)
                .iter()
                .map(|p| p.iter().filter(|l| l.starts_with("Row")).count())
                .collect::<Vec<_>>()
        };
        // Split by default: the first rows start at the foot of page 1 ...
        let split = rows_on(false);
        assert!(split[0] > 0 && split[1] > 0, "{split:?}");
        // ... kept together, all four rows move to page 2.
        assert_eq!(rows_on(true), [0, 4]);
    }

    #[test]
    fn narrow_columns_widen_to_their_longest_word() {
        // The first column needs 30 for its longest word: it takes the
        // width from the column with room to spare.
        assert_eq!(fit_columns(vec![10.0, 90.0], &[30.0, 20.0]), [30.0, 70.0]);
        // Room is taken in proportion to each column's spare width.
        assert_eq!(
            fit_columns(vec![10.0, 50.0, 40.0], &[20.0, 10.0, 40.0]),
            [20.0, 40.0, 40.0]
        );
        // When the words cannot all fit, the weighted widths stand.
        assert_eq!(fit_columns(vec![10.0, 20.0], &[25.0, 15.0]), [10.0, 20.0]);
    }

    #[test]
    fn words_in_table_cells_are_not_split() {
        let (set, ids) = test_fonts();
        let cell = |s: &str| vec![Span::new(s, ids[3], 8.0, Rgb::BLACK)];
        let t = Block::Table(Table {
            columns: vec![
                Column {
                    weight: 1.0,
                    align: Align::Left,
                },
                Column {
                    weight: 9.0,
                    align: Align::Left,
                },
            ],
            header: Vec::new(),
            rows: vec![vec![cell("Compliance"), cell("short")]],
            style: TableStyle::default(),
        });
        let p = page_lines(&flow(&[t], &set, PAGE).unwrap());
        // One line: the word whole, the second cell beside it.
        assert_eq!(p[0], ["Complianceshort"]);
    }

    #[test]
    fn table_rows_stay_whole_and_header_repeats() {
        let (set, ids) = test_fonts();
        let f = flow(&[lines(ids[0], "A", 5), table(ids[3], 30)], &set, PAGE).unwrap();
        assert!(f.pages.len() >= 3);
        check_inside(&f);
        let mut seen = vec![0; 30];
        for (pi, page) in f.pages.iter().enumerate() {
            // Header first on every page the table reaches.
            let texts: Vec<&TextRun> = page
                .items
                .iter()
                .filter_map(|it| match it {
                    Item::Text(t) => Some(t),
                    _ => None,
                })
                .collect();
            let first_table = texts
                .iter()
                .position(|t| !t.text().starts_with('A'))
                .unwrap();
            assert_eq!(texts[first_table].text(), "Item", "page {pi}");
            // Every row's lines lie on one page: its "R{i}" line is on the
            // same page as its "Row{i}" cell.
            for (i, seen) in seen.iter_mut().enumerate() {
                let name = texts.iter().any(|t| t.text() == format!("Row{i}"));
                let body = texts
                    .iter()
                    .any(|t| t.text().starts_with(&format!("R{i} ")));
                assert_eq!(name, body, "row {i} split on page {pi}");
                if name {
                    *seen += 1;
                }
            }
            // Reading order: baselines never go up (cells of one row share
            // their first baseline; a wrapped cell's later lines come before
            // the next row).
            let mut prev_row_top = 0.0;
            for t in &texts {
                if t.text().starts_with("Row") {
                    assert!(t.y > prev_row_top);
                    prev_row_top = t.y;
                }
            }
        }
        assert!(seen.iter().all(|&s| s == 1), "{seen:?}");
        // Cell text sits inside its column.
        let page = &f.pages[1];
        for it in &page.items {
            if let Item::Text(t) = it {
                if t.text().starts_with("Row") {
                    assert!(t.x + t.width() <= 20.0 + 160.0 / 3.0);
                }
            }
        }
    }

    #[test]
    fn nested_list_markers_hang_in_the_indent() {
        let (set, ids) = test_fonts();
        let item = |marker: &str, indent: f32, text: &str| {
            Block::Para(
                vec![Span::new(text, ids[0], 9.0, Rgb::BLACK)],
                ParaStyle {
                    indent_left: indent,
                    marker: Some(vec![Span::new(marker, ids[0], 9.0, Rgb::BLACK)]),
                    ..style()
                },
            )
        };
        let blocks = [
            item(
                "•",
                14.0,
                "First level item whose text wraps onto a second line neatly",
            ),
            item(
                "–",
                28.0,
                "Second level item that also wraps onto another line",
            ),
            item("10.", 28.0, "Numbered"),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        let texts: Vec<&TextRun> = f.pages[0]
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        for (marker, indent) in [("•", 14.0), ("–", 28.0), ("10.", 28.0)] {
            let m = texts.iter().find(|t| t.text() == marker).unwrap();
            assert!((m.x + m.width() - (20.0 + indent - 6.0)).abs() < 0.01);
            let next = texts
                .iter()
                .find(|t| t.y == m.y && t.text() != marker)
                .unwrap();
            assert!((next.x - (20.0 + indent)).abs() < 0.01);
        }
        // Wrapped lines align with the text, not the marker.
        assert!(texts.iter().filter(|t| (t.x - 34.0).abs() < 0.01).count() >= 2);
        check_inside(&f);
    }

    #[test]
    fn links_cover_each_line_fragment() {
        let (set, ids) = test_fonts();
        let spans = vec![
            Span::new("Read the ", ids[0], 9.0, Rgb::BLACK),
            Span::new(
                "full data room index and the audited accounts",
                ids[0],
                9.0,
                Rgb::BLACK,
            )
            .with_link("https://example.com/room"),
            Span::new(" before the call.", ids[0], 9.0, Rgb::BLACK),
        ];
        let f = flow(&[Block::Para(spans, style())], &set, PAGE).unwrap();
        let links: Vec<_> = f.pages[0]
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Link { x, y, w, h, uri } => Some((*x, *y, *w, *h, uri.clone())),
                _ => None,
            })
            .collect();
        assert!(links.len() >= 2, "{links:?}");
        for (x, y, w, h, uri) in &links {
            assert_eq!(uri, "https://example.com/room");
            assert!(*x >= 20.0 - 0.01 && x + w <= 180.01 && *h > 5.0 && *y >= 19.0);
        }
        assert!(links[1].1 > links[0].1);
    }

    #[test]
    fn outline_nests_by_level_in_order() {
        let (set, ids) = test_fonts();
        let blocks = [
            heading(ids[1], "Summary", 1),
            lines(ids[0], "A", 3),
            heading(ids[1], "Market", 2),
            lines(ids[0], "B", 3),
            heading(ids[1], "Risks", 2),
            lines(ids[0], "C", 10),
            heading(ids[1], "Terms", 1),
            heading(ids[1], "Fees and carried interest", 3),
            lines(ids[0], "D", 3),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        let o = &f.outline;
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].title, "Summary");
        assert_eq!((o[0].page, o[0].y), (0, 20.0));
        let kids: Vec<&str> = o[0].children.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(kids, ["Market", "Risks"]);
        assert!(o[0].children[0].y < o[0].children[1].y);
        assert_eq!(o[1].title, "Terms");
        assert_eq!(o[1].page, 1);
        assert_eq!(o[1].children[0].title, "Fees and carried interest");
    }

    #[test]
    fn spaces_breaks_rules_images_and_boxes() {
        let (set, ids) = test_fonts();
        let fixed = FixedBox {
            width: 100.0,
            height: 50.0,
            items: vec![Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 100.0,
                h: 50.0,
                fill: Some(Rgb::BLACK),
                stroke: None,
            }],
            space_before: 0.0,
            space_after: 0.0,
        };
        let blocks = [
            Block::Space(30.0),
            lines(ids[0], "A", 2),
            Block::Rule {
                color: Rgb::BLACK,
                width: 1.0,
                space: 4.0,
            },
            Block::PageBreak,
            Block::Image {
                id: ImageId(0),
                width: 400.0,
                height: 200.0,
                caption: Some((
                    vec![Span::new("Figure 1", ids[2], 8.0, Rgb::BLACK)],
                    style(),
                )),
                space_before: 0.0,
                space_after: 6.0,
            },
            lines(ids[0], "B", 4),
            Block::Fixed(fixed),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        assert_eq!(f.pages.len(), 3);
        // Space at the top of a page is dropped.
        match &f.pages[0].items[0] {
            Item::Text(t) => assert!(t.y < 20.0 + 12.0),
            other => panic!("{other:?}"),
        }
        assert!(f.pages[0]
            .items
            .iter()
            .any(|i| matches!(i, Item::Line { .. })));
        match &f.pages[1].items[0] {
            Item::Image { x, y, w, h, .. } => {
                assert_eq!((*x, *y, *w, *h), (20.0, 20.0, 160.0, 80.0));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(page_lines(&f)[1][0], "Figure 1");
        // The box did not fit after B and moved whole.
        match &f.pages[2].items[0] {
            Item::Rect { x, y, .. } => assert_eq!((*x, *y), (20.0, 20.0)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn justified_body_and_background_blocks() {
        let (set, ids) = test_fonts();
        let body = ParaStyle {
            align: Align::Justify,
            hyphenate: true,
            first_indent: 10.0,
            ..style()
        };
        let code = ParaStyle {
            align: Align::Left,
            background: Some(Rgb(0.95, 0.95, 0.95)),
            padding: 4.0,
            indent_left: 4.0,
            indent_right: 4.0,
            hyphenate: false,
            ..style()
        };
        let blocks = [
            Block::Para(vec![Span::new(LOREM, ids[0], 9.0, Rgb::BLACK)], body),
            Block::Para(
                vec![Span::new("let office = fees.iter().sum();", ids[3], 8.0, Rgb::BLACK).code()],
                code,
            ),
        ];
        let f = flow(&blocks, &set, PAGE).unwrap();
        check_inside(&f);
        let rects = f
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, Item::Rect { .. }));
        assert!(rects.count() >= 1);
        let all: String = page_lines(&f).concat().concat();
        assert!(all.contains("office = fees"));
    }

    #[test]
    fn paragraph_box_for_custom_layouts() {
        let (set, ids) = test_fonts();
        let spans = vec![Span::new(LOREM, ids[0], 9.0, Rgb::BLACK)];
        let (items, h) = paragraph_box(&set, &spans, &style(), 300.0, 100.0, 120.0).unwrap();
        assert!(h > 50.0);
        for it in &items {
            if let Item::Text(t) = it {
                assert!(
                    t.x >= 300.0 && t.x + t.width() <= 420.01 && t.y > 100.0 && t.y < 100.0 + h
                );
            }
        }
        assert!(flow(&[], &set, PAGE).unwrap().pages.len() == 1);
        let bad = PageSpec {
            margin_left: 150.0,
            margin_right: 60.0,
            ..PAGE
        };
        assert!(flow(&[], &set, bad).is_err());
    }
}
