//! The one place pulldown-cmark is configured: Markdown to HTML for the site
//! (`to_html`), to a neutral block tree for memos (`to_blocks`), and a scan of
//! links, images and data-table placeholders for validation (`references`).
//!
//! A data table is placed with a paragraph of its own:
//! `{{ table(data="antimony-prices") }}`.

use std::collections::BTreeMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::values::{is_safe_link, slugify};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        children: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
    },
    /// A footnote reference, numbered in order of first reference.
    FootnoteRef(usize),
    SoftBreak,
    HardBreak,
}

/// Column alignment in tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Block content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        id: String,
        inlines: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Code {
        lang: String,
        text: String,
    },
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A paragraph holding only an image.
    Image {
        src: String,
        alt: String,
        title: String,
    },
    Rule,
    /// A data table from `content/data/<id>.yaml`.
    DataTable(String),
}

/// A document: blocks and footnotes (number, content) in reference order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<(usize, Vec<Block>)>,
}

/// A table-of-contents entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The site's rendering of a Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Html {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub words: usize,
}

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

/// A Markdown text parsed once: the block tree that the site and the memo
/// render, and what it refers to (for validation), from one pass of
/// pulldown-cmark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub doc: Doc,
    pub refs: Vec<Reference>,
}

/// Parses `src` once into its block tree and its references. A text
/// nested past [`MAX_NESTING`] gets an empty tree (its `TooDeep`
/// reference is reported by validation): the tree is built recursively.
pub fn parse(src: &str) -> Parsed {
    let (events, ranges): (Vec<Event>, Vec<std::ops::Range<usize>>) =
        Parser::new_ext(src, options()).into_offset_iter().unzip();
    let refs = scan_references(&events, &ranges);
    let doc = if refs.iter().any(|r| matches!(r, Reference::TooDeep { .. })) {
        Doc::default()
    } else {
        build_doc(&events)
    };
    Parsed { doc, refs }
}

/// Every link, image and data-table placeholder in `src`.
pub fn references(src: &str) -> Vec<Reference> {
    parse(src).refs
}

/// References in parser events, with the byte range of each event; an
/// iterative walk, so it can stop at a nesting limit the recursive tree
/// builder must not reach.
fn scan_references(events: &[Event], ranges: &[std::ops::Range<usize>]) -> Vec<Reference> {
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

/// Parses Markdown into the neutral block tree used by memos.
pub fn to_blocks(src: &str) -> Doc {
    parse(src).doc
}

fn build_doc(events: &[Event]) -> Doc {
    let mut b = Builder {
        events,
        pos: 0,
        footnote_numbers: Vec::new(),
        footnotes: Vec::new(),
    };
    let blocks = b.blocks(None);
    let mut footnotes = b.footnotes;
    footnotes.sort_by_key(|(n, _)| *n);
    Doc { blocks, footnotes }
}

struct Builder<'a> {
    events: &'a [Event<'a>],
    pos: usize,
    footnote_numbers: Vec<String>,
    footnotes: Vec<(usize, Vec<Block>)>,
}

impl Builder<'_> {
    fn footnote_number(&mut self, label: &str) -> usize {
        match self.footnote_numbers.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnote_numbers.push(label.to_string());
                self.footnote_numbers.len()
            }
        }
    }

    /// Blocks until the end tag matching `until` (or the end of input).
    fn blocks(&mut self, until: Option<TagEnd>) -> Vec<Block> {
        let mut out = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        while self.pos < self.events.len() {
            let event = self.events[self.pos].clone();
            self.pos += 1;
            match event {
                Event::End(end) if Some(end) == until => break,
                Event::Start(Tag::Heading { level, .. }) => {
                    let inlines = self.inlines(TagEnd::Heading(level));
                    let id = unique_id(&mut ids, &slugify(&inline_text(&inlines)));
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
                    while self.pos < self.events.len() {
                        match &self.events[self.pos] {
                            Event::Start(Tag::Item) => {
                                self.pos += 1;
                                items.push(self.item_blocks());
                            }
                            Event::End(TagEnd::List(_)) => {
                                self.pos += 1;
                                break;
                            }
                            _ => self.pos += 1,
                        }
                    }
                    out.push(Block::List { start, items });
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let inner = self.blocks(Some(TagEnd::BlockQuote(None)));
                    out.push(Block::Quote(inner));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => l.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let mut text = String::new();
                    while self.pos < self.events.len() {
                        let e = &self.events[self.pos];
                        self.pos += 1;
                        match e {
                            Event::Text(t) => text.push_str(t),
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
                Event::Text(t) => out.push(Block::Paragraph(vec![Inline::Text(t.to_string())])),
                _ => {}
            }
        }
        out
    }

    /// A list item: tight items hold bare inlines, loose ones paragraphs.
    fn item_blocks(&mut self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        while self.pos < self.events.len() {
            match &self.events[self.pos] {
                Event::End(TagEnd::Item) => {
                    self.pos += 1;
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
            out.push(Block::Paragraph(loose));
        }
        out
    }

    /// Exactly one block (the events up to the matching end tag).
    fn one_block(&mut self) -> Vec<Block> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut end = start;
        for (i, e) in self.events[start..].iter().enumerate() {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            if depth == 0 {
                end = start + i + 1;
                break;
            }
        }
        let mut sub = Builder {
            events: &self.events[start..end],
            pos: 0,
            footnote_numbers: std::mem::take(&mut self.footnote_numbers),
            footnotes: Vec::new(),
        };
        let blocks = sub.blocks(None);
        self.footnote_numbers = sub.footnote_numbers;
        self.footnotes.extend(sub.footnotes);
        self.pos = end;
        blocks
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
        while self.pos < self.events.len() {
            let e = self.events[self.pos].clone();
            self.pos += 1;
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
        Block::Table {
            align,
            header,
            rows,
        }
    }

    fn inline_event(&mut self) -> Option<Inline> {
        let e = self.events.get(self.pos)?.clone();
        self.pos += 1;
        Some(match e {
            Event::Text(t) => Inline::Text(t.to_string()),
            Event::Code(t) => Inline::Code(t.to_string()),
            Event::Html(t) | Event::InlineHtml(t) => Inline::Text(t.to_string()),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::FootnoteReference(label) => Inline::FootnoteRef(self.footnote_number(&label)),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines(TagEnd::Strong)),
            Event::Start(Tag::Emphasis) => Inline::Emph(self.inlines(TagEnd::Emphasis)),
            Event::Start(Tag::Strikethrough) => Inline::Strike(self.inlines(TagEnd::Strikethrough)),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let children = self.inlines(TagEnd::Link);
                if is_safe_link(&dest_url) {
                    Inline::Link {
                        url: dest_url.to_string(),
                        children,
                    }
                } else {
                    // An unsafe target keeps its text and loses the link.
                    Inline::Text(inline_text(&children))
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = inline_text(&self.inlines(TagEnd::Image));
                Inline::Image {
                    src: dest_url.to_string(),
                    alt,
                }
            }
            _ => return None,
        })
    }

    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        while self.pos < self.events.len() {
            if self.events[self.pos] == Event::End(end) {
                self.pos += 1;
                break;
            }
            if let Some(i) = self.inline_event() {
                out.push(i);
            }
        }
        merge_texts(out)
    }
}

fn merge_texts(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(items.len());
    for i in items {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (_, i) => out.push(i),
        }
    }
    out
}

fn paragraph_block(inlines: Vec<Inline>) -> Block {
    if let [Inline::Image { src, alt }] = inlines.as_slice() {
        return Block::Image {
            src: src.clone(),
            alt: alt.clone(),
            title: String::new(),
        };
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

fn unique_id(seen: &mut Vec<String>, base: &str) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while seen.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    seen.push(id.clone());
    id
}

/// The plain text of inlines (for ids, alt text and bookmarks).
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => s.push_str(&inline_text(c)),
            Inline::Link { children, .. } => s.push_str(&inline_text(children)),
            Inline::Image { alt, .. } => s.push_str(alt),
            Inline::SoftBreak | Inline::HardBreak => s.push(' '),
            Inline::FootnoteRef(_) => {}
        }
    }
    s
}

/// How the site renders pieces Markdown cannot know: data tables and the
/// final URL of an image.
pub trait HtmlContext {
    /// HTML for a data table placeholder (already escaped by the caller).
    fn data_table(&self, id: &str) -> Option<String>;
    /// The URL an image source is published at.
    fn image_url(&self, src: &str) -> String;
    /// The URL a link is published with: internal links (`@/briefs/x.md`)
    /// and root-relative ones become the site's addresses. Unchanged by
    /// default.
    fn link_url(&self, url: &str) -> String {
        url.to_string()
    }
}

/// Renders Markdown to HTML for the site. Raw HTML in the source is escaped,
/// unsafe link targets are dropped, headings get ids (for the table of
/// contents) and headings shift down one level when `shift_headings` so the
/// page title stays the only `h1`.
pub fn to_html(src: &str, ctx: &dyn HtmlContext) -> Html {
    html(&to_blocks(src), ctx)
}

/// Renders a parsed document to HTML for the site (see [`to_html`]).
pub fn html(doc: &Doc, ctx: &dyn HtmlContext) -> Html {
    let mut out = String::with_capacity(4096);
    let mut toc = Vec::new();
    let mut tally = Tally::default();
    for b in &doc.blocks {
        html_block(b, ctx, &mut out, &mut toc, &mut tally);
    }
    if !doc.footnotes.is_empty() {
        out.push_str("<section class=\"footnotes\" aria-label=\"Notes\"><ol>\n");
        for (n, blocks) in &doc.footnotes {
            out.push_str(&format!("<li id=\"fn-{n}\">"));
            let mut note = String::new();
            for b in blocks {
                html_block(b, ctx, &mut note, &mut Vec::new(), &mut tally);
            }
            // The back link ends the note's last paragraph, not a line of its own.
            let back = format!(
                " <a href=\"#fnref-{n}\" class=\"footnote-back\" aria-label=\"Back to text\">↩</a>"
            );
            match note.strip_suffix("</p>\n") {
                Some(text) => {
                    out.push_str(text);
                    out.push_str(&back);
                    out.push_str("</p>");
                }
                None => {
                    out.push_str(&note);
                    out.push_str(&back);
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol></section>\n");
    }
    Html {
        html: out,
        toc,
        words: tally.words,
    }
}

/// What rendering counts as it goes: words (for reading time) and how
/// often each note has been cited so far.
#[derive(Default)]
struct Tally {
    words: usize,
    citations: BTreeMap<usize, usize>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_block(
    b: &Block,
    ctx: &dyn HtmlContext,
    out: &mut String,
    toc: &mut Vec<TocEntry>,
    tally: &mut Tally,
) {
    match b {
        Block::Heading { level, id, inlines } => {
            // The page title is the h1; Markdown headings start at h2.
            let level = (*level).clamp(2, 6);
            let title = inline_text(inlines);
            tally.words += title.split_whitespace().count();
            toc.push(TocEntry {
                level,
                id: id.clone(),
                title,
            });
            out.push_str(&format!("<h{level} id=\"{}\">", escape(id)));
            html_inlines(inlines, ctx, out, tally);
            out.push_str(&format!("</h{level}>\n"));
        }
        Block::Paragraph(inlines) => {
            out.push_str("<p>");
            html_inlines(inlines, ctx, out, tally);
            out.push_str("</p>\n");
        }
        Block::List { start, items } => {
            match start {
                Some(1) => out.push_str("<ol>\n"),
                Some(n) => out.push_str(&format!("<ol start=\"{n}\">\n")),
                None => out.push_str("<ul>\n"),
            }
            for item in items {
                out.push_str("<li>");
                // Tight items: a lone paragraph is written without <p>.
                if let [Block::Paragraph(inlines), rest @ ..] = item.as_slice() {
                    html_inlines(inlines, ctx, out, tally);
                    for b in rest {
                        html_block(b, ctx, out, toc, tally);
                    }
                } else {
                    for b in item {
                        html_block(b, ctx, out, toc, tally);
                    }
                }
                out.push_str("</li>\n");
            }
            out.push_str(if start.is_some() {
                "</ol>\n"
            } else {
                "</ul>\n"
            });
        }
        Block::Quote(inner) => {
            out.push_str("<blockquote>\n");
            for b in inner {
                html_block(b, ctx, out, toc, tally);
            }
            out.push_str("</blockquote>\n");
        }
        Block::Code { lang, text } => {
            if lang.is_empty() {
                out.push_str("<pre><code>");
            } else {
                out.push_str(&format!("<pre><code class=\"language-{}\">", escape(lang)));
            }
            out.push_str(&escape(text));
            out.push_str("</code></pre>\n");
        }
        Block::Table {
            align,
            header,
            rows,
        } => {
            // A wide table scrolls in its wrapper, which keyboard users
            // can focus to scroll.
            let label: Vec<String> = header.iter().map(|c| inline_text(c)).collect();
            out.push_str(&format!(
                "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table: {}\"><table>\n<thead><tr>",
                escape(&label.join(", "))
            ));
            for (i, cell) in header.iter().enumerate() {
                out.push_str(&format!("<th scope=\"col\"{}>", align_attr(align.get(i))));
                html_inlines(cell, ctx, out, tally);
                out.push_str("</th>");
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    out.push_str(&format!("<td{}>", align_attr(align.get(i))));
                    html_inlines(cell, ctx, out, tally);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
        Block::Image { src, alt, .. } => {
            out.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                escape(&ctx.image_url(src)),
                escape(alt)
            ));
            if !alt.is_empty() {
                out.push_str(&format!("<figcaption>{}</figcaption>", escape(alt)));
            }
            out.push_str("</figure>\n");
        }
        Block::Rule => out.push_str("<hr>\n"),
        Block::DataTable(id) => {
            if let Some(html) = ctx.data_table(id) {
                out.push_str(&html);
            }
        }
    }
}

fn align_attr(a: Option<&Align>) -> &'static str {
    match a {
        Some(Align::Center) => " class=\"center\"",
        Some(Align::Right) => " class=\"num\"",
        _ => "",
    }
}

fn html_inlines(inlines: &[Inline], ctx: &dyn HtmlContext, out: &mut String, tally: &mut Tally) {
    for i in inlines {
        match i {
            Inline::Text(t) => {
                tally.words += t.split_whitespace().count();
                out.push_str(&escape(t));
            }
            Inline::Code(t) => {
                out.push_str("<code>");
                out.push_str(&escape(t));
                out.push_str("</code>");
            }
            Inline::Strong(c) => wrap(out, "strong", c, ctx, tally),
            Inline::Emph(c) => wrap(out, "em", c, ctx, tally),
            Inline::Strike(c) => wrap(out, "del", c, ctx, tally),
            Inline::Link { url, children } => {
                let external = url.starts_with("http://") || url.starts_with("https://");
                out.push_str(&format!("<a href=\"{}\"", escape(&ctx.link_url(url))));
                if external {
                    out.push_str(" rel=\"noopener\"");
                }
                out.push('>');
                html_inlines(children, ctx, out, tally);
                out.push_str("</a>");
            }
            Inline::Image { src, alt } => out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                escape(&ctx.image_url(src)),
                escape(alt)
            )),
            Inline::FootnoteRef(n) => {
                // A note cited twice gets `fnref-1`, then `fnref-1-2`: ids
                // are unique in a page; the back link goes to the first.
                let k = tally.citations.entry(*n).or_insert(0);
                *k += 1;
                let id = if *k == 1 {
                    format!("fnref-{n}")
                } else {
                    format!("fnref-{n}-{k}")
                };
                out.push_str(&format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\" aria-label=\"Note {n}\">{n}</a></sup>"
                ));
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br>\n"),
        }
    }
}

fn wrap(out: &mut String, tag: &str, c: &[Inline], ctx: &dyn HtmlContext, tally: &mut Tally) {
    out.push_str(&format!("<{tag}>"));
    html_inlines(c, ctx, out, tally);
    out.push_str(&format!("</{tag}>"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_gives_the_tree_and_the_references() {
        let src =
            "# T\n\n![A *bold* \"chart\"](a.png)\n\n[x](https://a.b/)\n\n{{ table(data=\"p\") }}\n";
        let parsed = parse(src);
        assert_eq!(parsed.doc, to_blocks(src));
        // Alt text is read from the tree (emphasis marks gone, quotes
        // typeset), as the site and the memo show it.
        assert!(
            matches!(&parsed.refs[0], Reference::Image { alt, src, .. } if alt == "A bold \u{201c}chart\u{201d}" && src == "a.png")
        );
        assert!(
            matches!(&parsed.doc.blocks[1], Block::Image { alt, .. } if alt == "A bold \u{201c}chart\u{201d}")
        );
        assert!(matches!(&parsed.refs[1], Reference::Link { url, .. } if url == "https://a.b/"));
        assert!(matches!(&parsed.refs[2], Reference::DataTable { id, .. } if id == "p"));
        // Too deep: a located reference and no tree (the tree builder recurses).
        let deep = parse(&">".repeat(3000));
        assert!(matches!(deep.refs.last(), Some(Reference::TooDeep { .. })));
        assert!(deep.doc.blocks.is_empty());
    }

    struct NoCtx;
    impl HtmlContext for NoCtx {
        fn data_table(&self, id: &str) -> Option<String> {
            Some(format!("<table data-id=\"{id}\"></table>"))
        }
        fn image_url(&self, src: &str) -> String {
            format!("/x/{src}")
        }
    }

    #[test]
    fn placeholder_syntax() {
        assert_eq!(
            data_table_id("{{ table(data=\"prices\") }}"),
            Some("prices")
        );
        assert_eq!(data_table_id("{{table(data='prices')}}"), Some("prices"));
        assert_eq!(
            data_table_id("{{ table(data=\u{201c}prices\u{201d}) }}"),
            Some("prices")
        );
        assert_eq!(data_table_id("{{ chart(data=\"prices\") }}"), None);
        assert_eq!(data_table_id("see {{ table(data=\"p\") }}"), None);
    }

    #[test]
    fn blocks_cover_the_markdown_we_use() {
        let doc = to_blocks(
            "## Intro\n\nText with **bold** and a [link](https://a.b).[^n]\n\n- one\n  - nested\n- two\n\n1. first\n2. second\n\n> quoted\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n{{ table(data=\"prices\") }}\n\n---\n\n[^n]: A note.\n",
        );
        let kinds: Vec<&str> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { .. } => "h",
                Block::Paragraph(_) => "p",
                Block::List { start: None, .. } => "ul",
                Block::List { .. } => "ol",
                Block::Quote(_) => "quote",
                Block::Table { .. } => "table",
                Block::DataTable(_) => "data",
                Block::Rule => "hr",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            ["h", "p", "ul", "ol", "quote", "table", "data", "hr"]
        );
        assert_eq!(doc.footnotes.len(), 1);
        let Block::List { items, .. } = &doc.blocks[2] else {
            panic!()
        };
        assert!(
            matches!(items[0].last(), Some(Block::List { .. })),
            "nested list kept: {:?}",
            items[0]
        );
    }

    #[test]
    fn footnote_back_link_ends_the_notes_paragraph() {
        let html = to_html("a[^1]\n\n[^1]: The note.\n", &NoCtx).html;
        assert!(
            html.contains("<li id=\"fn-1\"><p>The note. <a href=\"#fnref-1\""),
            "{html}"
        );
        assert!(html.contains("↩</a></p></li>"), "{html}");
    }

    #[test]
    fn footnote_cited_twice_gets_unique_ref_ids() {
        let html = to_html("a[^1] b[^1]\n\n[^1]: note\n", &NoCtx).html;
        assert!(html.contains("id=\"fnref-1\""), "{html}");
        assert!(html.contains("id=\"fnref-1-2\""), "{html}");
    }

    #[test]
    fn html_escapes_raw_html_and_drops_javascript_links() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b>\n",
            &NoCtx,
        )
        .html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn html_headings_get_ids_and_toc() {
        let h = to_html("## Why now\n\ntext\n\n### Prices\n\n## Why now\n", &NoCtx);
        assert!(h.html.contains("<h2 id=\"why-now\">Why now</h2>"));
        assert!(h.html.contains("<h2 id=\"why-now-2\">"));
        assert_eq!(h.toc.len(), 3);
        assert_eq!(h.toc[1].level, 3);
    }

    #[test]
    fn references_find_links_images_and_tables_with_offsets() {
        let src = "Intro [a](https://x.y).\n\n![Map](assets/map.png)\n\n{{ table(data=\"p\") }}\n";
        let refs = references(src);
        assert_eq!(refs.len(), 3);
        assert!(
            matches!(&refs[1], Reference::Image { src, alt, .. } if src == "assets/map.png" && alt == "Map")
        );
        assert!(
            matches!(&refs[2], Reference::DataTable { id, offset } if id == "p" && *offset == src.find("{{").unwrap())
        );
    }
}

/// Typographer's quotes and dashes for plain text from front matter (titles,
/// summaries), as Markdown bodies get them from smart punctuation:
/// `Pakistan's "first"` becomes `Pakistan’s “first”`, `--` an en dash.
pub fn smart_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        match c {
            '\'' => out.push(if opening { '‘' } else { '’' }),
            '"' => out.push(if opening { '“' } else { '”' }),
            '-' if chars.peek() == Some(&'-') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    out.push('—');
                } else {
                    out.push('–');
                }
            }
            _ => out.push(c),
        }
        prev = out.chars().last();
    }
    out
}

#[cfg(test)]
mod smart_quote_tests {
    use super::smart_quotes;

    #[test]
    fn quotes_curl_by_position() {
        assert_eq!(smart_quotes("Pakistan's frontier"), "Pakistan’s frontier");
        assert_eq!(
            smart_quotes("the \"first\" batch ('trial')"),
            "the “first” batch (‘trial’)"
        );
        assert_eq!(smart_quotes("2024--2025 a---b"), "2024–2025 a—b");
        assert_eq!(smart_quotes("no quotes"), "no quotes");
    }
}
