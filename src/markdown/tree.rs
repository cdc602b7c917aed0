//! The neutral block tree (headings, paragraphs, lists, quotes, code,
//! tables, images, data tables, footnotes) built from the parser's events.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use super::{data_table_id, Align, Block, Doc, Inline, InlineImage, InlineLink, Table};
use crate::values::{heading_id, is_safe_link};

/// Parses Markdown into the neutral block tree used by memos.
pub fn to_blocks(src: &str) -> Doc {
    super::parse(src).doc
}

/// The block tree of `events`, read as they come: a document's events are
/// never all held at once.
pub(super) fn build<'a>(events: impl Iterator<Item = Event<'a>>) -> Doc {
    let mut b = Builder {
        events: events.peekable(),
        footnote_numbers: HashMap::new(),
        footnotes: Vec::new(),
        ids: Ids::default(),
    };
    let blocks = b.blocks(None);
    let mut footnotes = b.footnotes;
    footnotes.sort_by_key(|(n, _)| *n);
    Doc { blocks, footnotes }
}

struct Builder<'a, I: Iterator<Item = Event<'a>>> {
    events: std::iter::Peekable<I>,
    /// Each footnote label's number, in order of first reference.
    footnote_numbers: HashMap<String, usize>,
    footnotes: Vec<(usize, Vec<Block>)>,
    /// Heading ids given so far, in the whole document (quotes, lists and
    /// footnotes included): an id names one place.
    ids: Ids,
}

impl<'a, I: Iterator<Item = Event<'a>>> Builder<'a, I> {
    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    /// Blocks until the end tag matching `until` (or the end of input).
    fn blocks(&mut self, until: Option<TagEnd>) -> Vec<Block> {
        self.some_blocks(until, usize::MAX)
    }

    /// As [`Builder::blocks`], reading at most `most` events at this
    /// level (each with the events of its block).
    fn some_blocks(&mut self, until: Option<TagEnd>, most: usize) -> Vec<Block> {
        let mut out = Vec::new();
        let mut read = 0;
        while read < most {
            let Some(event) = self.events.next() else {
                break;
            };
            read += 1;
            match event {
                Event::End(end) if Some(end) == until => break,
                Event::Start(Tag::Heading { level, .. }) => {
                    let inlines = self.inlines(TagEnd::Heading(level));
                    let id = self.ids.unique(&heading_id(&inline_text(&inlines)));
                    out.push(Block::Heading {
                        level: heading_level(level),
                        id,
                        inlines,
                    });
                }
                Event::Start(Tag::Paragraph) => {
                    let inlines = self.inlines(TagEnd::Paragraph);
                    out.push(paragraph_block(inlines));
                }
                Event::Start(Tag::List(start)) => {
                    let mut items = Vec::new();
                    while let Some(e) = self.events.next() {
                        match e {
                            Event::Start(Tag::Item) => items.push(self.item_blocks()),
                            Event::End(TagEnd::List(_)) => break,
                            _ => {}
                        }
                    }
                    items.shrink_to_fit();
                    out.push(Block::List { start, items });
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let inner = self.blocks(Some(TagEnd::BlockQuote(None)));
                    out.push(Block::Quote(inner));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => l.into_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let mut text = String::new();
                    for e in self.events.by_ref() {
                        match e {
                            Event::Text(t) => text.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    out.push(Block::Code {
                        lang,
                        text: text.trim_end().to_string(),
                    });
                }
                Event::Start(Tag::Table(align)) => out.push(self.table(&align)),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let n = self.footnote_number(&label);
                    let inner = self.blocks(Some(TagEnd::FootnoteDefinition));
                    self.footnotes.push((n, inner));
                }
                Event::Rule => out.push(Block::Rule),
                Event::Html(h) | Event::InlineHtml(h) => {
                    // Raw HTML is shown as text, never interpreted.
                    let text = h.trim().to_string();
                    if !text.is_empty() {
                        out.push(Block::Paragraph(vec![Inline::Text(text)]));
                    }
                }
                Event::Text(t) => out.push(Block::Paragraph(vec![Inline::Text(t.into_string())])),
                _ => {}
            }
        }
        // A site holds every brief's tree: no spare room.
        out.shrink_to_fit();
        out
    }

    /// A list item: tight items hold bare inlines, loose ones paragraphs.
    fn item_blocks(&mut self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        while let Some(e) = self.events.peek() {
            match e {
                Event::End(TagEnd::Item) => {
                    self.events.next();
                    break;
                }
                Event::Start(Tag::Paragraph)
                | Event::Start(Tag::List(_))
                | Event::Start(Tag::BlockQuote(_))
                | Event::Start(Tag::CodeBlock(_))
                | Event::Start(Tag::Table(_))
                | Event::Start(Tag::Heading { .. })
                | Event::Rule => {
                    if !loose.is_empty() {
                        out.push(Block::Paragraph(std::mem::take(&mut loose)));
                    }
                    let mut one = self.one_block();
                    out.append(&mut one);
                }
                _ => {
                    if let Some(i) = self.inline_event() {
                        loose.push(i);
                    }
                }
            }
        }
        if !loose.is_empty() {
            loose.shrink_to_fit();
            out.push(Block::Paragraph(loose));
        }
        out.shrink_to_fit();
        out
    }

    /// Exactly one block (the events up to the matching end tag).
    fn one_block(&mut self) -> Vec<Block> {
        self.some_blocks(None, 1)
    }

    fn table(&mut self, align: &[Alignment]) -> Block {
        let align = align
            .iter()
            .map(|a| match a {
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
                _ => Align::Left,
            })
            .collect();
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some(e) = self.events.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(TagEnd::TableCell);
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        header.shrink_to_fit();
        for row in &mut rows {
            row.shrink_to_fit();
        }
        rows.shrink_to_fit();
        Block::Table(Box::new(Table {
            align,
            header,
            rows,
        }))
    }

    fn inline_event(&mut self) -> Option<Inline> {
        let e = self.events.next()?;
        Some(match e {
            Event::Text(t) => Inline::Text(t.into_string()),
            Event::Code(t) => Inline::Code(t.into_string()),
            Event::Html(t) | Event::InlineHtml(t) => Inline::Text(t.into_string()),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::FootnoteReference(label) => Inline::FootnoteRef(self.footnote_number(&label)),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines(TagEnd::Strong)),
            Event::Start(Tag::Emphasis) => Inline::Emph(self.inlines(TagEnd::Emphasis)),
            Event::Start(Tag::Strikethrough) => Inline::Strike(self.inlines(TagEnd::Strikethrough)),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let children = self.inlines(TagEnd::Link);
                if is_safe_link(&dest_url) {
                    Inline::Link(Box::new(InlineLink {
                        url: dest_url.into_string(),
                        children,
                    }))
                } else {
                    // An unsafe target keeps its text and loses the link.
                    Inline::Text(inline_text(&children))
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = inline_text(&self.inlines(TagEnd::Image));
                Inline::Image(Box::new(InlineImage {
                    src: dest_url.into_string(),
                    alt,
                    title: title.into_string(),
                }))
            }
            _ => return None,
        })
    }

    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some(e) = self.events.peek() {
            if *e == Event::End(end) {
                self.events.next();
                break;
            }
            if let Some(i) = self.inline_event() {
                out.push(i);
            }
        }
        merge_texts(out)
    }
}

/// `items` with neighbouring texts joined (smart punctuation splits a
/// text into several), kept with no spare room.
fn merge_texts(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(items.len());
    let mut merged = false;
    for i in items {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => {
                a.push_str(&b);
                merged = true;
            }
            (_, i) => out.push(i),
        }
    }
    if merged {
        for i in &mut out {
            if let Inline::Text(t) = i {
                t.shrink_to_fit();
            }
        }
    }
    out.shrink_to_fit();
    out
}

fn paragraph_block(mut inlines: Vec<Inline>) -> Block {
    if let [Inline::Image(_)] = inlines.as_slice() {
        if let Some(Inline::Image(image)) = inlines.pop() {
            return Block::Image(image);
        }
    }
    if let Some(id) = plain_paragraph(&inlines).as_deref().and_then(data_table_id) {
        return Block::DataTable(id.to_string());
    }
    Block::Paragraph(inlines)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Unique ids from heading texts: `risks`, then `risks-2`, `risks-3`…
/// in time linear in the headings (20,000 headings of one text once took
/// the cube of that).
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    /// The last number tried for each base.
    tried: HashMap<String, usize>,
}

impl Ids {
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.tried.entry(base.to_string()).or_insert(1);
        loop {
            *n += 1;
            let id = format!("{base}-{n}");
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The plain text of inlines (for ids, alt text and bookmarks).
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => s.push_str(&inline_text(c)),
            Inline::Link(link) => s.push_str(&inline_text(&link.children)),
            Inline::Image(image) => s.push_str(&image.alt),
            Inline::SoftBreak | Inline::HardBreak => s.push(' '),
            Inline::FootnoteRef(_) => {}
        }
    }
    s
}

/// The numbers of the footnotes that `inlines` mark, in order (a heading's
/// marks, which [`inline_text`] leaves out).
pub fn footnote_marks(inlines: &[Inline]) -> Vec<usize> {
    let mut marks = Vec::new();
    for i in inlines {
        match i {
            Inline::FootnoteRef(n) => marks.push(*n),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => {
                marks.extend(footnote_marks(c))
            }
            Inline::Link(link) => marks.extend(footnote_marks(&link.children)),
            _ => {}
        }
    }
    marks
}

/// The text of a paragraph if it is one plain text line (for placeholders).
fn plain_paragraph(inlines: &[Inline]) -> Option<String> {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}
