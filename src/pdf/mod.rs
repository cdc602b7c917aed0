//! Investor memos: `compose` (memo structure) → `layout` (fonts, shaping,
//! line breaking, pagination) → `write` (the only printpdf user).

pub mod compose;
pub mod coverage;
pub mod frame;
pub mod layout;
pub mod tags;
pub mod write;

use crate::content::{Brief, Project};
use crate::error::Error;
use crate::theme::Theme;

pub use compose::{MemoFonts, Recipient};

/// The memo PDF of a brief (personalised when `recipient` is given); its
/// image streams are made once in `shared` for every memo of the build.
pub fn memo(
    project: &Project,
    theme: &Theme,
    fonts: &MemoFonts,
    shared: &write::SharedStreams,
    brief: &Brief,
    recipient: Option<&Recipient>,
) -> Result<Vec<u8>, Error> {
    let doc = compose::compose(project, theme, fonts, brief, recipient)?;
    write::write_pdf_shared(doc, shared).map_err(|e| {
        Error::in_file(&brief.path, "cannot write the memo PDF").with_cause(e.to_string())
    })
}
