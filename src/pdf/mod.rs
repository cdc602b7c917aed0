//! Investor memos: composition, layout and PDF writing.

pub mod frame;
pub mod layout;
