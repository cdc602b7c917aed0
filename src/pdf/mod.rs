//! Investor memos: composition, layout and PDF writing.

pub mod frame;
pub mod write;

use crate::content::{Brief, Project};
use crate::error::Error;
use crate::theme::Theme;

/// Fonts for memos, parsed once per build.
pub struct MemoFonts;

impl MemoFonts {
    pub fn load(_theme: &Theme) -> Result<MemoFonts, Error> {
        Ok(MemoFonts)
    }
}

/// A recipient of a personalised copy.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub name: String,
    pub organization: String,
    pub copy_no: u32,
}

/// The memo PDF of a brief (personalised when `recipient` is given).
pub fn memo(_p: &Project, _t: &Theme, _f: &MemoFonts, _b: &Brief, _r: Option<&Recipient>) -> Result<Vec<u8>, Error> {
    Ok(Vec::new())
}
