//! orepress's own layout engine: fonts, shaping, line breaking, hyphenation
//! and pagination into [`crate::pdf::frame`] pages. Knows nothing of PDF.

pub mod fonts;
pub mod shape;

pub use fonts::{FontMetrics, FontSet, LayoutError, LoadedFont};
pub use shape::{shape, text_width};
