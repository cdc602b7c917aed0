//! orepress's own layout engine: fonts, shaping, line breaking, hyphenation
//! and pagination into [`crate::pdf::frame`] pages. Knows nothing of PDF.

pub mod bidi;
pub mod flow;
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod shape;
pub mod text;

pub use flow::{
    flow, flow_each, paragraph_box, paragraph_lines, Block, Column, FixedBox, Flowed, PageSpec,
    ParaLines, ParaStyle, Table, TableStyle,
};
pub use fonts::{FontMetrics, FontSet, LayoutError, LoadedFont};
pub use hyphenate::HyphenLang;
pub use linebreak::{break_lines, layout_line, measure, single_line, single_line_in};
pub use shape::{shape, text_width};
pub use text::{
    bind_short_words, linked_note, note_link, spans_text, Align, BreakSpec, Dir, LaidLine, LinkBox,
    Span,
};
