//! orepress: Markdown briefs, YAML deal facts and contact cards in; branded
//! investor memos (PDF), personalised copies and a brochure website out.

pub mod pdf;
