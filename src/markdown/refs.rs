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
    /// A character reference (`&#1;`) to a character orepress refuses
    /// ([`crate::files::is_refused`]): a control character, U+FFFE or
    /// U+FFFF, which web pages, feeds and PDFs cannot carry, or a
    /// bidirectional override (written raw, the file is refused when it is
    /// read).
    Refused {
        code: u32,
        offset: usize,
    },
    /// An HTML comment (`<!--`) never closed: it would hide the rest of
    /// the text, so it is shown and reported.
    UnclosedComment {
        offset: usize,
    },
    /// A heading of more than [`MAX_HEADING`] characters: a heading names
    /// a section in the contents, the outline and the page's anchors, and
    /// one this long is text that lost its blank line.
    LongHeading {
        chars: usize,
        offset: usize,
    },
    /// `[^label]` left as text: a note mark whose note is not defined
    /// (a misspelt label, a definition left out), shown as written.
    UndefinedNote {
        label: String,
        offset: usize,
    },
}

/// The most characters a heading's text may have (as a brief's title).
pub const MAX_HEADING: usize = 500;

/// The deepest nesting of block quotes, lists, emphasis and links a
/// document may have. Real briefs use a handful of levels; the tree
/// walkers of the site and the memo recurse once a level, so a limit
/// keeps thousands of `>` from exhausting the stack.
pub const MAX_NESTING: usize = 48;

/// The longest paragraph read as a possible data-table placeholder.
const PLACEHOLDER_MAX: usize = 1024;

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

/// References read from parser events one at a time, with the byte range
/// of each event: iterative, so it can stop at a nesting limit the
/// recursive tree builder must not reach, and fed as the events come, so
/// a document's events are never all held at once.
#[derive(Debug, Default)]
pub(super) struct Scanner {
    pub(super) refs: Vec<Reference>,
    /// The paragraph being read: its start, its text and whether it is
    /// plain text only.
    para: Option<(usize, String, bool)>,
    /// An image being read: its index in `refs` and its alt text so far.
    image: Option<(usize, String)>,
    /// A heading being read: its start and its characters so far.
    heading: Option<(usize, usize)>,
    /// Text events that follow one another in the source (the parser
    /// splits `[^x]` into pieces).
    run: Option<TextRun>,
    depth: usize,
    /// Whether the nesting limit was passed: nothing more is read.
    pub(super) too_deep: bool,
}

/// Text read in pieces: where each piece starts in the source and in the
/// text, where the last ends in the source, and the text.
type TextRun = (Vec<(usize, usize)>, usize, String);

impl Scanner {
    /// Looks for note marks left as text in the run of text read so far.
    pub(super) fn end_run(&mut self) {
        let Some((pieces, _, text)) = self.run.take() else {
            return;
        };
        let mut from = 0;
        while let Some(at) = text[from..].find("[^").map(|i| from + i) {
            from = at + 2;
            let rest = &text[at + 2..];
            let Some(close) = rest.find(']') else {
                break;
            };
            let label = &rest[..close];
            if label.is_empty() || label.chars().any(|c| c.is_whitespace() || c == '[') {
                continue;
            }
            // In the source: the piece holding it, from that piece's start.
            let piece = pieces.partition_point(|(_, t)| *t <= at).saturating_sub(1);
            let (start, in_text) = pieces.get(piece).copied().unwrap_or((0, 0));
            self.refs.push(Reference::UndefinedNote {
                label: label.to_string(),
                offset: start + (at - in_text),
            });
        }
    }

    /// Reads the next event; false once the nesting limit is passed (the
    /// event must then not be used).
    pub(super) fn event(&mut self, event: &Event, range: std::ops::Range<usize>) -> bool {
        if self.too_deep {
            return false;
        }
        match event {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    self.refs.push(Reference::TooDeep {
                        offset: range.start,
                    });
                    self.too_deep = true;
                    return false;
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { .. }) => self.heading = Some((range.start, 0)),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, chars)) = self.heading.as_mut() {
                    *chars += t.chars().count();
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((offset, chars)) = self.heading.take() {
                    if chars > MAX_HEADING {
                        self.refs.push(Reference::LongHeading { chars, offset });
                    }
                }
            }
            _ => {}
        }
        match event {
            Event::Text(t) => {
                let joined = self
                    .run
                    .as_ref()
                    .is_some_and(|(_, end, _)| *end == range.start);
                if !joined {
                    self.end_run();
                }
                let (pieces, end, text) = self.run.get_or_insert_with(Default::default);
                // A note mark starts at a `[`: text before the run's
                // first one is not kept, only where the run goes on.
                if !text.is_empty() || t.contains('[') {
                    pieces.push((range.start, text.len()));
                    text.push_str(t);
                }
                *end = range.end;
            }
            _ => self.end_run(),
        }
        let out = &mut self.refs;
        if let Event::Text(t) = event {
            // Every refused character is a control character or lies
            // outside ASCII: printable ASCII text is passed over whole.
            let found = if t.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                None
            } else {
                t.chars().find(|&c| crate::files::is_refused(c))
            };
            if let Some(c) = found {
                out.push(Reference::Refused {
                    code: c as u32,
                    offset: range.start,
                });
            }
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => out.push(Reference::Link {
                url: dest_url.to_string(),
                offset: range.start,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((out.len(), String::new()));
                out.push(Reference::Image {
                    src: dest_url.to_string(),
                    alt: String::new(),
                    offset: range.start,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, text)) = self.image.take() {
                    if let Some(Reference::Image { alt, .. }) = out.get_mut(i) {
                        *alt = text.trim().to_string();
                    }
                }
            }
            Event::Start(Tag::Paragraph) => self.para = Some((range.start, String::new(), true)),
            Event::Text(t) | Event::Code(t) if self.image.is_some() => {
                if let Some((_, alt)) = self.image.as_mut() {
                    alt.push_str(t);
                }
                if let Some((_, _, plain)) = self.para.as_mut() {
                    *plain = false;
                }
            }
            Event::Text(t) => {
                if let Some((_, s, plain)) = self.para.as_mut() {
                    // A placeholder is one short line: a long paragraph's
                    // text is not kept.
                    if s.len() + t.len() > PLACEHOLDER_MAX {
                        *plain = false;
                        *s = String::new();
                    } else if *plain {
                        s.push_str(t);
                        // A placeholder starts with `{{`: a paragraph that
                        // does not is not kept as it goes on.
                        let start = s.trim_start();
                        if !(start.starts_with("{{") || "{{".starts_with(start)) {
                            *plain = false;
                            *s = String::new();
                        }
                    }
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some((start, text, plain)) = self.para.take() {
                    if let Some(id) = data_table_id(&text).filter(|_| plain) {
                        out.push(Reference::DataTable {
                            id: id.to_string(),
                            offset: start,
                        });
                    }
                }
            }
            Event::Start(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => {
                if let Some((_, _, plain)) = self.para.as_mut() {
                    *plain = false;
                }
            }
            _ => {}
        }
        true
    }
}
