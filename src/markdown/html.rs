//! The site's HTML for a parsed document: raw HTML escaped, unsafe links
//! dropped, headings with ids for the table of contents, footnotes with
//! back-links, words counted for reading time.

use std::collections::BTreeMap;

use super::{inline_text, to_blocks, Align, Block, Doc, Inline, InlineImage, Table};

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
}

/// How the site renders pieces Markdown cannot know: data tables and the
/// final URL of an image.
pub trait HtmlContext {
    /// HTML for a data table placeholder (already escaped by the caller).
    fn data_table(&self, id: &str) -> Option<String>;
    /// The URL an image source is published at.
    fn image_url(&self, src: &str) -> String;
    /// The attributes that load an image (`src`, and where the site has
    /// several widths `srcset`, `sizes`, `width` and `height`), escaped.
    fn image_attrs(&self, src: &str) -> String {
        format!("src=\"{}\"", escape(&self.image_url(src)))
    }
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
    Html { html: out, toc }
}

/// The words of `doc`'s text (for reading time): those of its headings
/// (counted twice, as title and as text), paragraphs, lists, quotes,
/// tables and notes, not of code or images. Counted without rendering: a
/// site counts every brief's words for the lists, and renders each
/// brief's HTML only when it makes the brief's page.
pub fn words(doc: &Doc) -> usize {
    fn blocks(list: &[Block]) -> usize {
        list.iter().map(block).sum()
    }
    fn block(b: &Block) -> usize {
        match b {
            // A heading's words count in its title and in its text.
            Block::Heading { inlines: i, .. } => text_words(&inline_text(i)) + inlines(i),
            Block::Paragraph(i) => inlines(i),
            Block::List { items, .. } => items.iter().map(|item| blocks(item)).sum(),
            Block::Quote(inner) => blocks(inner),
            Block::Table(table) => {
                let Table { header, rows, .. } = &**table;
                header.iter().map(|c| inlines(c)).sum::<usize>()
                    + rows.iter().flatten().map(|c| inlines(c)).sum::<usize>()
            }
            Block::Code { .. } | Block::Image(_) | Block::Rule | Block::DataTable(_) => 0,
        }
    }
    fn inlines(list: &[Inline]) -> usize {
        list.iter()
            .map(|i| match i {
                Inline::Text(t) => text_words(t),
                Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => inlines(c),
                Inline::Link(link) => inlines(&link.children),
                _ => 0,
            })
            .sum()
    }
    blocks(&doc.blocks) + doc.footnotes.iter().map(|(_, b)| blocks(b)).sum::<usize>()
}

/// What rendering counts as it goes: how often each note has been cited
/// so far.
#[derive(Default)]
struct Tally {
    citations: BTreeMap<usize, usize>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped as [`escape`] does: the text between the
/// characters to escape is copied in one piece, and 32-byte blocks
/// without one are passed over at once (a branch-free test, vectorised).
pub fn escape_into(out: &mut String, s: &str) {
    fn special(b: u8) -> u8 {
        u8::from(b == b'&')
            | u8::from(b == b'<')
            | u8::from(b == b'>')
            | u8::from(b == b'"')
            | u8::from(b == b'\'')
    }
    const BLOCK: usize = 32;
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes.get(i..i + BLOCK) {
            if block.iter().fold(0, |any, &b| any | special(b)) == 0 {
                i += BLOCK;
                continue;
            }
        }
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => {
                i += 1;
                continue;
            }
        };
        // ASCII bytes: `i` is on a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
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
            escape_into(out, text);
            out.push_str("</code></pre>\n");
        }
        Block::Table(table) => {
            let Table {
                align,
                header,
                rows,
            } = &**table;
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
        Block::Image(image) => {
            let InlineImage { src, alt, title } = &**image;
            out.push_str(&format!(
                "<figure><img {} alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
                ctx.image_attrs(src),
                escape(alt)
            ));
            // The image's title is its caption; without one, its alt text.
            let caption = if title.is_empty() { alt } else { title };
            if !caption.is_empty() {
                out.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
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
            Inline::Text(t) => escape_into(out, t),
            Inline::Code(t) => {
                out.push_str("<code>");
                escape_into(out, t);
                out.push_str("</code>");
            }
            Inline::Strong(c) => wrap(out, "strong", c, ctx, tally),
            Inline::Emph(c) => wrap(out, "em", c, ctx, tally),
            Inline::Strike(c) => wrap(out, "del", c, ctx, tally),
            Inline::Link(link) => {
                let (url, children) = (&link.url, &link.children);
                let external = url.starts_with("http://") || url.starts_with("https://");
                out.push_str("<a href=\"");
                escape_into(out, &ctx.link_url(url));
                out.push('"');
                if external {
                    out.push_str(" rel=\"noopener\"");
                }
                out.push('>');
                html_inlines(children, ctx, out, tally);
                out.push_str("</a>");
            }
            Inline::Image(image) => out.push_str(&format!(
                "<img {} alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
                ctx.image_attrs(&image.src),
                escape(&image.alt)
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

/// The number of words in `t` (as `split_whitespace` counts them): for
/// ASCII text, the places where a space is followed by a non-space,
/// counted without a carried state so that the loop is vectorised.
pub(super) fn text_words(t: &str) -> usize {
    if !t.is_ascii() {
        return t.split_whitespace().count();
    }
    // ASCII whitespace as `split_whitespace` has it: space, \t \n \v \f \r.
    fn space(b: u8) -> u8 {
        u8::from(b == b' ') | u8::from(b.wrapping_sub(b'\t') < 5)
    }
    let b = t.as_bytes();
    let Some(&first) = b.first() else {
        return 0;
    };
    // Byte counts per chunk (at most 255 starts in 255 pairs), summed.
    let mut starts = usize::from(space(first) ^ 1);
    for (a, c) in b.chunks(255).zip(b[1..].chunks(255)) {
        let n: u8 = a
            .iter()
            .zip(c)
            .map(|(&a, &c)| space(a) & (space(c) ^ 1))
            .fold(0u8, u8::wrapping_add);
        starts += usize::from(n);
    }
    starts
}

fn wrap(out: &mut String, tag: &str, c: &[Inline], ctx: &dyn HtmlContext, tally: &mut Tally) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    html_inlines(c, ctx, out, tally);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}
