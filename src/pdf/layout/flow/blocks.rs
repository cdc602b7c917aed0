//! What flow takes and gives: blocks (paragraphs with their `ParaStyle`,
//! tables, images, rules, fixed boxes, space), the page's `PageSpec`, and
//! the `Flowed` pages with their outline.

use crate::pdf::frame::{Anchor, ImageId, Item, Outline, Page, Rgb, Tag};
use crate::pdf::layout::{Align, Dir, HyphenLang, Span};

/// How a paragraph is set.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaStyle {
    pub align: Align,
    /// The base direction. A right-to-left paragraph is mirrored: its lines
    /// start at the right, `indent_left` (the start indent, where a marker
    /// hangs) and the bar are measured from the right edge, `indent_right`
    /// from the left.
    pub dir: Dir,
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
    /// The language's hyphenation patterns (none: no hyphenation).
    pub lang: HyphenLang,
    /// A list bullet or number, hung in the start indent: its end edge
    /// `marker_gap` before the text, on the first line's baseline (on
    /// the right of a right-to-left paragraph).
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
    /// A vertical bar at the start edge of the measure (block quotes):
    /// colour and width.
    pub bar: Option<(Rgb, f32)>,
}

impl Default for ParaStyle {
    fn default() -> Self {
        ParaStyle {
            align: Align::Justify,
            dir: Dir::Auto,
            leading: 14.0,
            indent_left: 0.0,
            indent_right: 0.0,
            first_indent: 0.0,
            space_before: 0.0,
            space_after: 6.0,
            keep_with_next: false,
            hyphenate: true,
            lang: HyphenLang::default(),
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

/// The most of the measure a paragraph's indents may take together: a
/// list or quote nested deeper keeps the rest for its text (set no
/// further in) rather than set it past the page's edge.
pub const MAX_INDENT_SHARE: f32 = 2.0 / 3.0;

impl ParaStyle {
    /// The indents, shrunk in proportion so that together they take at
    /// most [`MAX_INDENT_SHARE`] of `measure`.
    pub fn fit_indents(&mut self, measure: f32) {
        let (left, right) = (self.indent_left.max(0.0), self.indent_right.max(0.0));
        let most = measure.max(0.0) * MAX_INDENT_SHARE;
        if left + right > most {
            let k = most / (left + right);
            self.indent_left = left * k;
            self.indent_right = right * k;
        }
    }

    /// The width its lines are set in, in a measure of `measure` (its
    /// indents fitted).
    pub fn inner_width(&self, measure: f32) -> f32 {
        let indents = self.indent_left.max(0.0) + self.indent_right.max(0.0);
        (measure - indents.min(measure.max(0.0) * MAX_INDENT_SHARE)).max(0.0)
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
    /// The first cell of each row heads the row (key–value tables): a
    /// header cell with row scope in the structure.
    pub row_headers: bool,
    /// Right to left: the first column at the right, every cell a
    /// right-to-left paragraph (`Left` alignment then starts at the right).
    pub rtl: bool,
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
            row_headers: false,
            rtl: false,
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
    /// Boxed, as a table and a caption are: a text of many short
    /// paragraphs holds a block (and a tag block) for each until it is
    /// laid out, and the style would make every block 176 bytes, not 40.
    Para(Vec<Span>, Box<ParaStyle>),
    Table(Box<Table>),
    /// An image of natural size `width` × `height` points, scaled down to the
    /// measure and the page when larger, centred, with an optional caption
    /// kept with it.
    Image {
        id: ImageId,
        width: f32,
        height: f32,
        caption: Option<Box<(Vec<Span>, ParaStyle)>>,
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
    /// The blocks that follow belong to this structure element (until the
    /// next tag); takes no room. Flow repeats it at the top of every page
    /// they reach; a table's rows and cells, a list item's label and an
    /// image's caption get their own elements under it.
    Tag(Tag),
    /// Names the place where the next block starts (for `#name` links);
    /// takes no room.
    Anchor(String),
}

impl Block {
    /// A paragraph of `spans` set in `style`.
    pub fn para(spans: Vec<Span>, style: ParaStyle) -> Block {
        Block::Para(spans, Box::new(style))
    }

    pub fn table(table: Table) -> Block {
        Block::Table(Box::new(table))
    }
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

    pub(super) fn bottom(&self) -> f32 {
        self.height - self.margin_bottom
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flowed {
    pub pages: Vec<Page>,
    pub outline: Vec<Outline>,
    /// Where each `Block::Anchor` landed (page index within these pages).
    pub anchors: Vec<Anchor>,
}
