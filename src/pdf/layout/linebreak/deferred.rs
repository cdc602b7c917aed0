//! The lines of a very long paragraph kept without their glyphs until
//! they are placed. Pagination needs only each line's measures (width,
//! ascent, descent, ink, hyphen); the glyphs of a 7.5 MB paragraph held
//! 60 MB from its breaking to its last page. Each window of the paragraph
//! keeps how it was broken (its pass and its breaks), and its lines are
//! set again from that when the first of them is drawn: the same glyphs
//! as the first time, window by window, so at most a window or two of
//! them is held at once.

use super::{build_lines, slice_spans, BreakSpec, LaidLine, Span};
use crate::pdf::layout::fonts::{FontSet, LayoutError};

use super::items::prepare;

/// A paragraph of more text than this (bytes, about ten windows) keeps
/// its lines without their glyphs until they are placed.
pub(super) const DEFER_BYTES: usize = 64 * 1024;

#[cfg(test)]
thread_local! {
    /// Tests lay the same long paragraph out with and without deferring.
    pub(crate) static DEFER_FROM: std::cell::Cell<usize> = const { std::cell::Cell::new(DEFER_BYTES) };
}

/// Whether a paragraph of `len` bytes of text defers its glyphs.
pub(super) fn defers(len: usize) -> bool {
    #[cfg(test)]
    let from = DEFER_FROM.with(|d| d.get());
    #[cfg(not(test))]
    let from = DEFER_BYTES;
    len > from
}

/// How a window was broken: which pass found its breaks, and the breaks.
#[derive(Debug, Clone)]
pub(super) struct Recipe {
    pub(super) emergency: bool,
    pub(super) track: f64,
    pub(super) breaks: Vec<usize>,
}

/// One window of a paragraph, as it was broken.
#[derive(Debug, Clone)]
pub(super) struct Window {
    /// Its byte range in the paragraph's text.
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) spec: BreakSpec,
    pub(super) recipe: Recipe,
    /// Its lines kept: the paragraph's lines `first..first + keep`.
    pub(super) first: usize,
    pub(super) keep: usize,
    pub(super) restored: bool,
}

/// What sets a long paragraph's lines again: its spans (itemized) and how
/// each window was broken.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub(super) spans: Vec<Span>,
    pub(super) rtl: bool,
    pub(super) windows: Vec<Window>,
}

impl Deferred {
    /// How many windows the paragraph was broken in.
    #[cfg(test)]
    pub fn windows(&self) -> usize {
        self.windows.len()
    }

    /// Gives lines `range` of `lines` their glyphs again (each window's
    /// lines once).
    pub fn restore(
        &mut self,
        fonts: &FontSet,
        lines: &mut [LaidLine],
        range: std::ops::Range<usize>,
    ) -> Result<(), LayoutError> {
        for w in &mut self.windows {
            let end = w.first + w.keep;
            if w.restored || end <= range.start || w.first >= range.end {
                continue;
            }
            let spans = slice_spans(&self.spans, w.from, w.to);
            let mut p = prepare(fonts, &spans, &w.spec, w.recipe.emergency)?;
            p.track = w.recipe.track;
            let set = build_lines(fonts, &spans, &p, &w.spec, &w.recipe.breaks, self.rtl)?;
            if set.len() < w.keep || end > lines.len() {
                return Err(LayoutError::new(
                    "a long paragraph's lines came out differently when set again",
                ));
            }
            for (line, again) in lines[w.first..end].iter_mut().zip(set) {
                line.runs = again.runs;
                line.links = again.links;
            }
            w.restored = true;
        }
        Ok(())
    }
}

/// Lets go of the glyphs of `lines` (their measures stay).
pub(super) fn strip(lines: &mut [LaidLine]) {
    for line in lines {
        line.runs = Vec::new();
        line.links = Vec::new();
    }
}
