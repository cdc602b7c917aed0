//! orepress: Markdown briefs, YAML deal facts and contact cards in; branded
//! investor memos (PDF), personalised copies and a brochure website out.

/// `println!` that never panics: when stdout is closed (`orepress check |
/// head -1`) the line is lost, not the run.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics on a closed stderr.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` (a progress line, no newline) that never panics.
macro_rules! tell_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut e = std::io::stderr();
        let _ = write!(e, $($arg)*);
        let _ = e.flush();
    }};
}

/// The most items one thread takes at a time from a parallel loop over
/// briefs, files or pages. Rayon otherwise splits a loop into as many
/// pieces as there are threads, and a little more only when a piece is
/// stolen, so one thread could be left with a quarter of 10,000 briefs while
/// the other had nothing to do. Loops over items that each take milliseconds
/// (memos, copies, fonts, pictures) take one at a time.
pub const PAR_LEAF: usize = 16;

mod alloc;
pub mod blob;
pub mod cli;
pub mod config;
pub mod content;
pub mod copies;
pub mod error;
pub mod files;
pub mod i18n;
pub mod image;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod present;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod theme;
pub mod values;
pub mod yaml;
