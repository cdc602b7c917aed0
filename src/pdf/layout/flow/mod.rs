//! Block layout and pagination: paragraphs, lists, tables, images, rules and
//! pre-drawn boxes flowed into pages.
//!
//! Each block is laid out (paragraphs broken into lines, table cells
//! wrapped, images scaled) as pagination reaches it, which places them top
//! to bottom:
//!
//! * a paragraph line occupies `leading`; a paragraph splits between pages
//!   only where at least two lines stay on each side (no orphan, no widow),
//!   so paragraphs of three lines or fewer never split; a page never ends
//!   on a hyphenated line when a line fewer can end it;
//! * a `keep_with_next` block (a heading) only starts where it fits together
//!   with the start of what follows: two lines of a paragraph (all of a
//!   short one), a table's header and first row, an image at its smallest,
//!   a whole box — chains of headings count together;
//! * an image taller than the room left on a page is scaled down to fit
//!   it, down to [`MIN_SHRINK`] of its height but not below
//!   [`MIN_FIGURE`]; only an image that cannot start there even at that
//!   size moves (with its heading) to the next page;
//! * a table row never splits unless it is taller than a page; then its
//!   cells continue line by line on the next pages; the header row is
//!   repeated on every page;
//! * vertical space collapses (the larger of space-after and space-before)
//!   and is dropped at the top of a page.
//!
//! Items are emitted in reading order: backgrounds, then lines top to bottom
//! (each line's runs left to right, then its link rectangles), table cells
//! row by row.
//!
//! What flow takes and gives is in `blocks`, paragraphs broken into lines
//! in `paragraph`, table cells and column widths in `tables`; this file
//! lays blocks out and paginates them.

mod blocks;
mod paragraph;
mod tables;
#[cfg(test)]
mod tests;

pub use blocks::{Block, Column, FixedBox, Flowed, PageSpec, ParaStyle, Table, TableStyle};
pub use paragraph::{paragraph_box, paragraph_lines, ParaLines};

use crate::pdf::frame::{Anchor, ImageId, Item, Node, Outline, Page, Rgb, Role, Tag};

use super::fonts::{FontSet, LayoutError};
use tables::{fit_columns, LaidTable, Row};

/// Only the few blocks of the look-ahead are laid out at once, so a
/// paragraph is not boxed.
#[allow(clippy::large_enum_variant)]
enum Laid {
    Para(ParaLines),
    Table(LaidTable),
    /// Unbreakable: drawn by `draw` at (left, top).
    Solid {
        height: f32,
        space_before: f32,
        space_after: f32,
        kind: Solid,
    },
    Space(f32),
    PageBreak,
    Tag(Tag),
    Anchor(String),
}

enum Solid {
    Image {
        id: ImageId,
        w: f32,
        h: f32,
        /// The least height it may be scaled down to where room is short.
        min_h: f32,
        caption: Option<Box<ParaLines>>,
        caption_gap: f32,
    },
    Rule {
        color: Rgb,
        width: f32,
    },
    Fixed(FixedBox),
}

/// The title a heading gives the outline, from its source spans (laid
/// lines are in visual order, which reverses right-to-left titles); a
/// footnote's mark is not part of it.
fn outline_title(spans: &[super::Span]) -> String {
    spans
        .iter()
        .filter(|s| !s.is_note_mark())
        .map(|s| s.text.as_str())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lays out `block`, which is let go of here (a table's composed rows as
/// they are drawn): a long text is never held both composed and laid
/// out. Returns the outline title of a heading.
fn lay_out(
    fonts: &FontSet,
    block: Block,
    page: &PageSpec,
) -> Result<(Laid, Option<String>), LayoutError> {
    let measure = page.measure();
    let body = page.bottom() - page.margin_top;
    let mut title = None;
    let laid = match block {
        Block::Para(spans, mut style) => {
            if style.outline_level.is_some() {
                title = Some(outline_title(&spans));
            }
            style.fit_indents(measure);
            Laid::Para(paragraph::paragraph_lines_with(
                fonts, &spans, &style, measure, true,
            )?)
        }
        Block::Table(t) => {
            let mut t = *t;
            let mut all = std::mem::take(&mut t.rows);
            let min = tables::fit_type(fonts, &mut t, &mut all, measure)?;
            let n = t.columns.len().max(1);
            let total: f32 = t.columns.iter().map(|c| c.weight.max(0.0)).sum();
            let weighted: Vec<f32> = (0..n)
                .map(|i| match t.columns.get(i) {
                    Some(c) if total > 0.0 => measure * c.weight.max(0.0) / total,
                    _ => measure / n as f32,
                })
                .collect();
            let widths = fit_columns(weighted, &min);
            let header = if t.header.is_empty() {
                None
            } else {
                Some(tables::lay_row(fonts, &t, &widths, &t.header)?)
            };
            let header_h = header.as_ref().map_or(0.0, |h| h.height);
            // Rows are laid out as they are drawn; here only as many as
            // the table's lead needs: its first row, or, for a table kept
            // together, rows until it is known not to fit on a page.
            let mut rows = Vec::new();
            let mut whole = header_h;
            for cells in all.iter() {
                let wanted = rows.is_empty() || (t.style.keep_together && whole <= body);
                if !wanted {
                    break;
                }
                let row = tables::lay_row(fonts, &t, &widths, cells)?;
                whole += row.height;
                rows.push(row);
            }
            let all_laid = rows.len() == all.len();
            let lead = if t.style.keep_together && all_laid && whole <= body {
                whole
            } else {
                header_h + rows.first().map_or(0.0, |r: &Row| r.height)
            };
            Laid::Table(LaidTable {
                table: t,
                source: all,
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
            let caption = match caption.as_deref() {
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
            // Room left for a heading above it on the same page: an image
            // never pushes its heading to a page of its own.
            let max_h = (body * 0.8 - caption_h).max(body / 4.0);
            if h0 * scale > max_h && h0 > 0.0 {
                scale = max_h / h0;
            }
            let (w, h) = (w0 * scale, h0 * scale);
            Laid::Solid {
                height: h + caption_h,
                space_before,
                space_after: space_after.max(caption.as_ref().map_or(0.0, |c| c.style.space_after)),
                kind: Solid::Image {
                    id,
                    w,
                    h,
                    min_h: h.min((h * MIN_SHRINK).max(MIN_FIGURE)),
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
            height: width,
            space_before: space,
            space_after: space,
            kind: Solid::Rule { color, width },
        },
        Block::Space(s) => Laid::Space(s),
        Block::PageBreak => Laid::PageBreak,
        Block::Fixed(f) => Laid::Solid {
            height: f.height,
            space_before: f.space_before,
            space_after: f.space_after,
            kind: Solid::Fixed(f),
        },
        Block::Tag(t) => Laid::Tag(t),
        Block::Anchor(a) => Laid::Anchor(a),
    };
    Ok((laid, title))
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
fn lead_height(laid: &mut Window<'_>, i: usize) -> Result<f32, LayoutError> {
    // A chain of blocks kept with the next (headings one after another) is
    // walked in a loop, and only as far as a page: a chain of them taller
    // than a page cannot be kept together, and its first block needs only
    // its own room (a chain of 100,000 headings overflowed the stack,
    // walked the chain again from each heading, and put each heading on a
    // page of its own).
    let page = laid.page.bottom() - laid.page.margin_top;
    let start = i;
    let mut total = 0.0;
    // The first block's own room, once known.
    let mut own = 0.0;
    let mut i = i;
    loop {
        let block = laid.get(i)?;
        total += match block {
            Laid::Para(p) => p.min_start(),
            Laid::Table(t) => t.lead,
            Laid::Solid {
                height,
                kind: Solid::Image { h, min_h, .. },
                ..
            } => height - (h - min_h),
            Laid::Solid { height, .. } => *height,
            Laid::Space(_) | Laid::PageBreak | Laid::Tag(_) | Laid::Anchor(_) => 0.0,
        };
        if i == start {
            own = total;
        }
        let keep = matches!(block, Laid::Para(p) if p.style.keep_with_next && !p.lines.is_empty());
        if !keep {
            return Ok(total);
        }
        if total > page {
            return Ok(own);
        }
        let after = space_after(block);
        // Tags and anchors take no room: the next block is the one after them.
        let mut j = i + 1;
        while laid.has(j)? && matches!(laid.get(j)?, Laid::Tag(_) | Laid::Anchor(_)) {
            j += 1;
        }
        if !laid.has(j)? {
            return Ok(total);
        }
        let next = laid.get(j)?;
        if matches!(next, Laid::PageBreak) {
            return Ok(total);
        }
        total += after.max(space_before(next));
        i = j;
    }
}

/// The blocks being paginated, each laid out when pagination reaches it
/// (or looks ahead to it, from a heading kept with what follows) and let
/// go of once placed: a text of a million short paragraphs never holds
/// all of them laid out at once.
struct Window<'f> {
    /// The blocks not laid out yet, each taken as it is (as compose makes
    /// them, for a long memo).
    blocks: Box<dyn Iterator<Item = Block> + 'f>,
    fonts: &'f FontSet,
    page: &'f PageSpec,
    /// Blocks `first..first + laid.len()`, laid out, each with its outline
    /// title if it is a heading.
    first: usize,
    laid: std::collections::VecDeque<(Laid, Option<String>)>,
}

impl Window<'_> {
    /// Whether there is a block `i` (not yet taken), laying out those up
    /// to it.
    fn has(&mut self, i: usize) -> Result<bool, LayoutError> {
        while self.first + self.laid.len() <= i {
            let Some(next) = self.blocks.next() else {
                return Ok(false);
            };
            self.laid.push_back(lay_out(self.fonts, next, self.page)?);
        }
        Ok(true)
    }

    /// Block `i` (not yet taken), laid out.
    fn get(&mut self, i: usize) -> Result<&Laid, LayoutError> {
        if !self.has(i)? {
            return Err(LayoutError::new("a block was laid out past the last"));
        }
        Ok(&self.laid[i - self.first].0)
    }

    /// Takes block `i`, the next one to place, and its outline title.
    fn take(&mut self, i: usize) -> Result<(Laid, Option<String>), LayoutError> {
        debug_assert_eq!(i, self.first);
        self.get(i)?;
        self.first += 1;
        self.laid
            .pop_front()
            .ok_or_else(|| LayoutError::new("a block was laid out out of order"))
    }
}

/// What is done with each page once it is full (see [`flow_each`]).
pub type PageDone<'h> = &'h mut dyn FnMut(&mut Page) -> Result<(), String>;

struct Pager<'h> {
    spec: PageSpec,
    pages: Vec<Page>,
    /// Called with each page once it is full.
    done: Option<PageDone<'h>>,
    /// What `done` first failed with.
    failed: Option<String>,
    y: f32,
    empty: bool,
    pending: f32,
    /// The structure element being placed, repeated on every new page.
    tag: Tag,
    /// Anchors waiting for the next block to be placed.
    anchors: Vec<String>,
    placed: Vec<Anchor>,
}

impl Pager<'_> {
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
        self.finish_page();
        self.pages.push(Page {
            width: self.spec.width,
            height: self.spec.height,
            items: Vec::new(),
            personal: 0,
        });
        self.y = self.top();
        self.empty = true;
        self.pending = 0.0;
        if self.tag != Tag::Artifact {
            let tag = self.tag.clone();
            self.out().push(Item::Tag(tag));
        }
    }

    /// The last page is full: kept until the memo is written, with no
    /// spare room, or handed to `done`.
    fn finish_page(&mut self) {
        let Some(last) = self.pages.last_mut() else {
            return;
        };
        last.items.shrink_to_fit();
        if let (Some(done), None) = (self.done.as_mut(), &self.failed) {
            if let Err(e) = done(last) {
                self.failed = Some(e);
            }
        }
    }

    fn set_tag(&mut self, tag: Tag) {
        self.out().push(Item::Tag(tag.clone()));
        self.tag = tag;
    }

    /// Switches to `tag` for a part of the current element (a table cell,
    /// a list label) without making it the element repeated on new pages.
    fn part(&mut self, tag: Tag) {
        self.out().push(Item::Tag(tag));
    }

    /// Records the waiting anchors at the current position.
    fn land_anchors(&mut self) {
        let page = self.pages.len() - 1;
        for name in std::mem::take(&mut self.anchors) {
            self.placed.push(Anchor {
                name,
                page,
                y: self.y,
            });
        }
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

/// The share of its height an image may lose to start on a page with less
/// room (rather than leave that page's foot empty).
pub const MIN_SHRINK: f32 = 0.6;

/// No image is scaled below 2 inches high to fit a page (a smaller one is
/// never scaled down).
pub const MIN_FIGURE: f32 = 144.0;

/// Flows blocks into pages.
pub fn flow(blocks: &[Block], fonts: &FontSet, page: PageSpec) -> Result<Flowed, LayoutError> {
    flow_each(blocks.to_vec(), fonts, page, None)
}

/// As [`flow`], handing each page to `done` as soon as it is full (and
/// before the next is started): a long memo's body is written page by
/// page rather than held laid out. An error from `done` ends the flow.
///
/// The blocks are taken as they come, and each let go of once laid out
/// (a table's rows as they are drawn): they may be made while the pages
/// are (see `compose`), never all held at once.
pub fn flow_each(
    blocks: impl IntoIterator<Item = Block>,
    fonts: &FontSet,
    page: PageSpec,
    done: Option<PageDone<'_>>,
) -> Result<Flowed, LayoutError> {
    if !(page.measure() > 0.0 && page.bottom() > page.margin_top) {
        return Err(LayoutError::new(format!(
            "page {}×{} has no room inside its margins",
            page.width, page.height
        )));
    }
    let mut laid = Window {
        blocks: Box::new(blocks.into_iter()),
        fonts,
        page: &page,
        first: 0,
        laid: std::collections::VecDeque::new(),
    };
    let mut pg = Pager {
        spec: page,
        pages: Vec::new(),
        done,
        failed: None,
        y: 0.0,
        empty: true,
        pending: 0.0,
        tag: Tag::Artifact,
        anchors: Vec::new(),
        placed: Vec::new(),
    };
    pg.new_page();
    let measure = page.measure();
    let mut marks: Vec<(u8, String, usize, f32)> = Vec::new();
    let mut next = 0;
    while laid.has(next)? {
        let i = next;
        next += 1;
        let lead = lead_height(&mut laid, i)?;
        let (mut block, title) = laid.take(i)?;
        // A paragraph's lines move onto the page (no copy of a long
        // paragraph's glyphs).
        if let Laid::Para(p) = &mut block {
            if p.lines.is_empty() {
                continue;
            }
            pg.pending = pg.pending.max(p.style.space_before);
            pg.ensure(lead);
            pg.commit_space();
            pg.land_anchors();
            if let Some(level) = p.style.outline_level {
                let title = title.unwrap_or_default();
                marks.push((level, title, pg.pages.len() - 1, pg.y));
            }
            place_para(&mut pg, fonts, p, measure)?;
            pg.pending = p.style.space_after;
            continue;
        }
        // A table's rows are dropped as they are drawn: a long table is
        // never held both laid out and drawn.
        let (rows, source) = match &mut block {
            Laid::Table(t) => (std::mem::take(&mut t.rows), std::mem::take(&mut t.source)),
            _ => Default::default(),
        };
        match &block {
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
            Laid::Tag(t) => pg.set_tag(t.clone()),
            Laid::Anchor(a) => pg.anchors.push(a.to_string()),
            Laid::Para(_) => {}
            Laid::Table(t) => {
                pg.pending = pg.pending.max(t.table.style.space_before);
                pg.ensure(lead);
                pg.commit_space();
                pg.land_anchors();
                // Rows and cells are elements under the table's; a header
                // repeated on a new page is an artifact.
                let table_tag = pg.tag.clone();
                let row_tag = |header: bool, ri: usize, first: bool| -> Tag {
                    if header && !first {
                        return Tag::Artifact;
                    }
                    let group = if header { Role::THead } else { Role::TBody };
                    table_tag
                        .child(Node::new(group, 0))
                        .child(Node::new(Role::TR, ri as u32))
                };
                let mut header_drawn = false;
                let left = pg.left();
                let hh = t.header_height();
                let mut need_header = true;
                let st = &t.table.style;
                let room = |pg: &Pager| {
                    ((pg.avail() - 2.0 * st.padding_y + EPS) / st.leading.max(EPS)).floor() as isize
                };
                let no_rows = source.is_empty();
                let mut laid_rows = rows.into_iter();
                // Each row's composed cells are let go of once it is laid.
                for (ri, cells) in source.into_iter().enumerate() {
                    let row = match laid_rows.next() {
                        Some(row) => row,
                        None => tables::lay_row(fonts, &t.table, &t.widths, &cells)?,
                    };
                    drop(cells);
                    let row = &row;
                    // A row taller than a page is split by lines: its cells
                    // continue on the next page under the repeated header.
                    let tall = row.height > page.bottom() - page.margin_top - hh + EPS;
                    if !need_header
                        && pg.y + row.height > pg.bottom() + EPS
                        && !(tall && room(&pg) >= 2)
                    {
                        pg.new_page();
                        need_header = true;
                    }
                    if tall {
                        let n = row.lines();
                        let mut from = 0;
                        while from < n {
                            if need_header {
                                if let Some(h) = &t.header {
                                    let mut items = Vec::new();
                                    let tag = row_tag(true, 0, !header_drawn);
                                    header_drawn = true;
                                    t.draw_row(h, true, 0, &tag, left, pg.y, &mut items);
                                    pg.out().extend(items);
                                    pg.y += hh;
                                    pg.empty = false;
                                }
                                need_header = false;
                            }
                            let k = (room(&pg).max(1) as usize).min(n - from);
                            let mut items = Vec::new();
                            let used = t.draw_row_lines(
                                row,
                                false,
                                ri,
                                &row_tag(false, ri, true),
                                left,
                                pg.y,
                                from..from + k,
                                &mut items,
                            );
                            pg.out().extend(items);
                            pg.y += used;
                            pg.empty = false;
                            from += k;
                            if from < n {
                                pg.new_page();
                                need_header = true;
                            }
                        }
                        continue;
                    }
                    if need_header {
                        if let Some(h) = &t.header {
                            let top = pg.y;
                            let mut items = Vec::new();
                            let tag = row_tag(true, 0, !header_drawn);
                            header_drawn = true;
                            t.draw_row(h, true, 0, &tag, left, top, &mut items);
                            pg.out().extend(items);
                            pg.y += hh;
                            pg.empty = false;
                        }
                        need_header = false;
                    }
                    let mut items = Vec::new();
                    t.draw_row(
                        row,
                        false,
                        ri,
                        &row_tag(false, ri, true),
                        left,
                        pg.y,
                        &mut items,
                    );
                    pg.out().extend(items);
                    pg.y += row.height;
                    pg.empty = false;
                }
                if no_rows {
                    if let Some(h) = &t.header {
                        let mut items = Vec::new();
                        t.draw_row(h, true, 0, &row_tag(true, 0, true), left, pg.y, &mut items);
                        pg.out().extend(items);
                        pg.y += hh;
                        pg.empty = false;
                    }
                }
                let tag = pg.tag.clone();
                pg.part(tag);
                pg.pending = t.table.style.space_after;
            }
            Laid::Solid {
                height,
                space_before,
                space_after,
                kind,
            } => {
                pg.pending = pg.pending.max(*space_before);
                // An image where room is short: scaled to the room left,
                // when that keeps at least its least height.
                let mut fit = 1.0f32;
                if let Solid::Image { h, min_h, .. } = kind {
                    let room = pg.bottom() - pg.y - pg.gap() - (height - h);
                    if !pg.empty && *h > room + EPS && room + EPS >= *min_h && *h > 0.0 {
                        fit = room.max(0.0) / h;
                    }
                }
                let height = match kind {
                    Solid::Image { h, .. } => height - h * (1.0 - fit),
                    _ => *height,
                };
                pg.ensure(height);
                pg.commit_space();
                pg.land_anchors();
                let (left, top) = (pg.left(), pg.y);
                let mut items = Vec::new();
                match kind {
                    Solid::Image {
                        id,
                        w,
                        h,
                        caption,
                        caption_gap,
                        ..
                    } => {
                        let (w, h) = (w * fit, h * fit);
                        items.push(Item::Image {
                            x: left + (measure - w) / 2.0,
                            y: top,
                            w,
                            h,
                            image: *id,
                        });
                        if let Some(c) = caption {
                            if !c.lines.is_empty() {
                                // The caption beside its figure.
                                if pg.tag.role() == Some(Role::Figure) {
                                    items.push(Item::Tag(pg.tag.sibling(Role::Caption)));
                                }
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
                let tag = pg.tag.clone();
                pg.part(tag);
                pg.y += height;
                pg.empty = false;
                pg.pending = *space_after;
            }
        }
    }
    pg.finish_page();
    if let Some(e) = pg.failed {
        return Err(LayoutError::new(e));
    }
    Ok(Flowed {
        pages: pg.pages,
        outline: build_outline(marks),
        anchors: pg.placed,
    })
}

/// Places a paragraph from the current position, splitting it across pages
/// without orphans or widows.
fn place_para(
    pg: &mut Pager,
    fonts: &FontSet,
    p: &mut ParaLines,
    measure: f32,
) -> Result<(), LayoutError> {
    let n = p.lines.len();
    let mut idx = 0;
    while idx < n {
        let remaining = n - idx;
        let pad = if idx == 0 { p.pad_top() } else { 0.0 };
        let rest_h = pad + p.lines_height(idx..n) + p.tail();
        let k = if rest_h <= pg.avail() + EPS {
            remaining
        } else {
            let fit = p.lines_fitting(idx, pg.avail() - pad, EPS);
            let mut k = fit.min(remaining - 1);
            if remaining - k < 2 {
                k = remaining.saturating_sub(2);
            }
            // Never a hyphen at the foot of a page: one line fewer here.
            if k > 2 && p.lines[idx + k - 1].hyphenated {
                k -= 1;
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
        let h = p.draw_moving(fonts, idx..idx + k, left, measure, top, &mut items)?;
        // A list item's marker is its label, beside its body.
        if let (0, Some(m), Some(Role::LBody)) = (idx, &p.marker, pg.tag.role()) {
            if let Some(at) = items.iter().position(|it| matches!(it, Item::Text(_))) {
                let end = (at + m.runs.len()).min(items.len());
                items.insert(end, Item::Tag(pg.tag.clone()));
                items.insert(at, Item::Tag(pg.tag.sibling(Role::Lbl)));
            }
        }
        pg.out().extend(items);
        pg.y += h;
        pg.empty = false;
        idx += k;
        if idx < n {
            pg.new_page();
        }
    }
    Ok(())
}

fn translate(item: &Item, dx: f32, dy: f32) -> Item {
    let mut it = item.clone();
    match &mut it {
        Item::Text(t) => {
            t.x += dx;
            t.y += dy;
        }
        Item::Rect { x, y, .. }
        | Item::Dots { x, y, .. }
        | Item::Image { x, y, .. }
        | Item::Link { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
        Item::Line { x1, y1, x2, y2, .. } => {
            *x1 += dx;
            *x2 += dx;
            *y1 += dy;
            *y2 += dy;
        }
        Item::Tag(_) => {}
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
