//! orepress's own layout engine: fonts, shaping, line breaking, hyphenation
//! and pagination into [`crate::pdf::frame`] pages. Knows nothing of PDF.

pub mod flow;
pub mod fonts;
pub mod linebreak;
pub mod shape;

pub use flow::{
    flow, paragraph_box, paragraph_lines, Block, Column, FixedBox, Flowed, PageSpec, ParaLines,
    ParaStyle, Table, TableStyle,
};
pub use fonts::{FontMetrics, FontSet, LayoutError, LoadedFont};
pub use linebreak::{
    break_lines, layout_line, measure, single_line, spans_text, Align, BreakSpec, LaidLine,
    LinkBox, Span,
};
pub use shape::{shape, text_width};
