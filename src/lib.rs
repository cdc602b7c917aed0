//! orepress: Markdown briefs, YAML deal facts and contact cards in; branded
//! investor memos (PDF), personalised copies and a brochure website out.

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
