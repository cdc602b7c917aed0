//! What a Markdown text refers to (links, images with their alt text,
//! data-table placeholders), read from the parser's events in one
//! iterative pass that stops at the nesting limit.

use pulldown_cmark::{Event, Tag, TagEnd};

/// What a Markdown text refers to, with byte offsets for error messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    Link {
        url: String,
        offset: usize,
    },
    Image {
        src: String,
        alt: String,
        offset: usize,
    },
    DataTable {
        id: String,
        offset: usize,
    },
    /// Block quotes, lists, emphasis or links nested deeper than
    /// [`MAX_NESTING`]; nothing after it is read.
    TooDeep {
        offset: usize,
    },
}

/// The deepest nesting of block quotes, lists, emphasis and links a
/// document may have. Real briefs use a handful of levels; the tree
/// walkers of the site and the memo recurse once a level, so a limit
/// keeps thousands of `>` from exhausting the stack.
pub const MAX_NESTING: usize = 48;

/// If a paragraph's text is exactly a data-table placeholder, its id.
pub fn data_table_id(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let args = inner
        .strip_prefix("table")?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let value = args
        .trim()
        .strip_prefix("data")?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    // Smart punctuation may have curled the quotes.
    let open = value.chars().next()?;
    let close = match open {
        '"' => '"',
        '\'' => '\'',
        '\u{201c}' => '\u{201d}',
        '\u{2018}' => '\u{2019}',
        _ => return None,
    };
    value[open.len_utf8()..].strip_suffix(close)
}

/// References in parser events, with the byte range of each event; an
/// iterative walk, so it can stop at a nesting limit the recursive tree
/// builder must not reach.
pub(super) fn scan(events: &[Event], ranges: &[std::ops::Range<usize>]) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut para: Option<(usize, String, bool)> = None;
    // An image being read: its index in `out` and its alt text so far.
    let mut image: Option<(usize, String)> = None;
    let mut depth = 0usize;
    for (event, range) in events.iter().zip(ranges) {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    out.push(Reference::TooDeep {
                        offset: range.start,
                    });
                    return out;
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => out.push(Reference::Link {
                url: dest_url.to_string(),
                offset: range.start,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((out.len(), String::new()));
                out.push(Reference::Image {
                    src: dest_url.to_string(),
                    alt: String::new(),
                    offset: range.start,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, text)) = image.take() {
                    if let Some(Reference::Image { alt, .. }) = out.get_mut(i) {
                        *alt = text.trim().to_string();
                    }
                }
            }
            Event::Start(Tag::Paragraph) => para = Some((range.start, String::new(), true)),
            Event::Text(t) | Event::Code(t) if image.is_some() => {
                if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(t);
                }
                if let Some((_, _, plain)) = para.as_mut() {
                    *plain = false;
                }
            }
            Event::Text(t) => {
                if let Some((_, s, _)) = para.as_mut() {
                    s.push_str(t);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some((start, text, plain)) = para.take() {
                    if let Some(id) = data_table_id(&text).filter(|_| plain) {
                        out.push(Reference::DataTable {
                            id: id.to_string(),
                            offset: start,
                        });
                    }
                }
            }
            Event::Start(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => {
                if let Some((_, _, plain)) = para.as_mut() {
                    *plain = false;
                }
            }
            _ => {}
        }
    }
    out
}
