//! The one place pulldown-cmark is configured. A Markdown text is parsed
//! once ([`parse`]) into a neutral block tree, which the site renders to
//! HTML ([`html`]) and the memo lays out, and the links, images and
//! data-table placeholders it refers to, which validation checks.
//!
//! A data table is placed with a paragraph of its own:
//! `{{ table(data="antimony-prices") }}`.

mod comments;
mod html;
mod refs;
mod smart;
mod tree;

use pulldown_cmark::{Options, Parser};

pub use html::{escape, html, to_html, words, Html, HtmlContext, TocEntry};
pub use refs::{data_table_id, Reference, MAX_HEADING, MAX_NESTING};
pub use smart::smart_quotes;
pub use tree::{footnote_marks, inline_text, to_blocks};

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
    /// Boxed, as an image is: a string and a list would make every
    /// inline 48 bytes, not 32 (a table of a million cells holds a million).
    Link(Box<InlineLink>),
    /// Boxed: rare, and three strings would double every inline's size.
    Image(Box<InlineImage>),
    /// A footnote reference, numbered in order of first reference.
    FootnoteRef(usize),
    SoftBreak,
    HardBreak,
}

/// A link within a text.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineLink {
    pub url: String,
    pub children: Vec<Inline>,
}

/// An image within a text.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineImage {
    pub src: String,
    pub alt: String,
    /// The image's title (`![alt](src "title")`): its caption.
    pub title: String,
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
    /// Boxed, as the image: a block is 56 bytes, not 80 (a long list
    /// holds two blocks an item).
    Table(Box<Table>),
    /// A paragraph holding only an image.
    Image(Box<InlineImage>),
    Rule,
    /// A data table from `content/data/<id>.yaml`.
    DataTable(String),
}

/// A table: its columns' alignment, its header cells and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A document: blocks and footnotes (number, content) in reference order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<(usize, Vec<Block>)>,
}

/// A Markdown text parsed once: the block tree that the site and the memo
/// render, and what it refers to (for validation), from one pass of
/// pulldown-cmark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub doc: Doc,
    pub refs: Vec<Reference>,
    /// The words of `doc`, as [`words`] counts them (for reading time).
    pub words: usize,
}

/// Parses `src` once into its block tree and its references. A text
/// nested past [`MAX_NESTING`] gets an empty tree (its `TooDeep`
/// reference is reported by validation): the tree is built recursively.
pub fn parse(src: &str) -> Parsed {
    let mut scanner = refs::Scanner::default();
    let mut unclosed = Vec::new();
    let parser = Parser::new_ext(src, options()).into_offset_iter();
    let events = comments::without_comments(parser, &mut unclosed)
        .map_while(|(event, range)| scanner.event(&event, range).then_some(event));
    let doc = tree::build(events);
    scanner.end_run();
    // The builder stopped where the nesting limit was passed, before it
    // recursed that deep; what it built of the text is not used.
    let doc = if scanner.too_deep {
        Doc::default()
    } else {
        doc
    };
    let mut refs = scanner.refs;
    // `\[^x]` is a mark written out on purpose, as text.
    refs.retain(|r| {
        !matches!(r, Reference::UndefinedNote { offset, .. }
            if src.get(..*offset).is_some_and(|before| before.ends_with('\\'))
                || src.get(*offset..).is_some_and(|at| at.starts_with('\\')))
    });
    refs.extend(
        unclosed
            .into_iter()
            .map(|offset| Reference::UnclosedComment { offset }),
    );
    let words = words(&doc);
    Parsed { doc, refs, words }
}

/// The ids of every heading of `doc` (in quotes, lists and footnotes
/// too): where a `#id` link of the same text can go.
pub fn heading_ids(doc: &Doc) -> Vec<&str> {
    fn walk<'d>(blocks: &'d [Block], out: &mut Vec<&'d str>) {
        for b in blocks {
            match b {
                Block::Heading { id, .. } => out.push(id),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Block::Quote(inner) => walk(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.blocks, &mut out);
    for (_, blocks) in &doc.footnotes {
        walk(blocks, &mut out);
    }
    out
}

/// Parsed bodies and front matter kept from one load of a project to the
/// next (`serve`, which loads the project again on every save): a body
/// whose text is unchanged is not parsed again, nor a file's front matter.
/// What one load did not use is let go of by the next
/// [`ParseCache::finish_load`].
#[derive(Default)]
pub struct ParseCache {
    /// (kept from the last load, used in this one).
    inner: std::sync::Mutex<(Bodies, Bodies)>,
    files: std::sync::Mutex<(Files, Files)>,
}

/// Parsed bodies by the XXH3-128 and the length of their text (a 128-bit
/// hash: two different texts of one project do not share one).
type Bodies = std::collections::HashMap<(u128, usize), std::sync::Arc<Parsed>>;

/// What a file's text was read into, by its path, the XXH3-128 of the
/// text and the text's length.
type Files = std::collections::HashMap<
    (std::path::PathBuf, u128, usize),
    std::sync::Arc<dyn std::any::Any + Send + Sync>,
>;

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParseCache")
    }
}

impl ParseCache {
    /// `src` parsed, taken from the cache when it holds the same text.
    pub fn parse(&self, src: &str) -> std::sync::Arc<Parsed> {
        let key = (xxhash_rust::xxh3::xxh3_128(src.as_bytes()), src.len());
        if let Ok(mut guard) = self.inner.lock() {
            let (last, now) = &mut *guard;
            if let Some(p) = now.get(&key) {
                return p.clone();
            }
            if let Some(p) = last.remove(&key) {
                now.insert(key, p.clone());
                return p;
            }
        }
        // Parsed outside the lock: files load in parallel.
        let parsed = std::sync::Arc::new(parse(src));
        if let Ok(mut guard) = self.inner.lock() {
            guard.1.insert(key, parsed.clone());
        }
        parsed
    }

    /// What `read` makes of the file `path` holding `text`, taken from
    /// the cache when the same file held the same text at the last load.
    pub fn file<T: std::any::Any + Send + Sync>(
        &self,
        path: &std::path::Path,
        text: &str,
        read: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let key = (
            path.to_path_buf(),
            xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            text.len(),
        );
        if let Ok(mut guard) = self.files.lock() {
            let (last, now) = &mut *guard;
            let hit = match now.get(&key) {
                Some(v) => Some(v.clone()),
                None => last.remove(&key).inspect(|v| {
                    now.insert(key.clone(), v.clone());
                }),
            };
            if let Some(v) = hit.and_then(|v| v.downcast::<T>().ok()) {
                return v;
            }
        }
        let value = std::sync::Arc::new(read());
        if let Ok(mut guard) = self.files.lock() {
            guard.1.insert(key, value.clone());
        }
        value
    }

    /// Ends a load: what it used is kept for the next, the rest let go of.
    pub fn finish_load(&self) {
        if let Ok(mut guard) = self.inner.lock() {
            let (last, now) = &mut *guard;
            *last = std::mem::take(now);
        }
        if let Ok(mut guard) = self.files.lock() {
            let (last, now) = &mut *guard;
            *last = std::mem::take(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs_of(src: &str) -> Vec<Reference> {
        parse(src).refs
    }

    #[test]
    fn a_block_costs_56_bytes_and_a_list_keeps_no_spare_room() {
        assert_eq!(std::mem::size_of::<Block>(), 56);
        // An inline is a string's size and its tag: a table's every cell
        // holds one, so a link's two fields and an image's three are boxed.
        assert_eq!(std::mem::size_of::<Inline>(), 32);
        // Items nested one in another: each list holds one item, with
        // room for that one only.
        let doc = to_blocks("- a\n  - b\n    - c\n- d\n- e\n");
        let mut lists = Vec::new();
        fn walk<'d>(blocks: &'d [Block], out: &mut Vec<&'d Vec<Vec<Block>>>) {
            for b in blocks {
                if let Block::List { items, .. } = b {
                    out.push(items);
                    items.iter().for_each(|i| walk(i, out));
                }
            }
        }
        walk(&doc.blocks, &mut lists);
        let sizes: Vec<(usize, usize)> = lists.iter().map(|l| (l.len(), l.capacity())).collect();
        assert_eq!(sizes, [(3, 3), (1, 1), (1, 1)]);
    }

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
            matches!(&parsed.doc.blocks[1], Block::Image(image) if image.alt == "A bold \u{201c}chart\u{201d}")
        );
        assert!(matches!(&parsed.refs[1], Reference::Link { url, .. } if url == "https://a.b/"));
        assert!(matches!(&parsed.refs[2], Reference::DataTable { id, .. } if id == "p"));
        // Too deep: a located reference and no tree (the tree builder recurses).
        let deep = parse(&">".repeat(3000));
        assert!(matches!(deep.refs.last(), Some(Reference::TooDeep { .. })));
        assert!(deep.doc.blocks.is_empty());
    }

    #[test]
    fn note_marks_without_a_note_are_found_where_they_are() {
        let src = "A claim[^zz], [^ok], \\[^esc], `[^code]`, [^two words] and [^a][^b].\n\n\
                   *In emphasis[^x]* and [in a link[^y]](https://a.b/).\n\n[^ok]: Defined.\n[^a]: A.\n";
        let found: Vec<(String, &str)> = refs_of(src)
            .into_iter()
            .filter_map(|r| match r {
                Reference::UndefinedNote { label, offset } => Some((label, &src[offset..])),
                _ => None,
            })
            .collect();
        let labels: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["zz", "b", "x", "y"]);
        // Each offset is where its mark starts in the source.
        for (label, at) in &found {
            assert!(at.starts_with(&format!("[^{label}]")), "{label}: {at}");
        }
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
                Block::Table(_) => "table",
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
    fn words_are_counted_in_text_not_in_code_or_images() {
        let doc = "## A *heading* here\n\nText with **strong [link](https://x.org) words** and `code`.[^1]\n\n\
            - one item\n- two *items*\n  > quoted words\n\n| Col A | Col B |\n|---|---|\n| a b | c |\n\n\
            ```\ncode is not counted\n```\n\n![alt words](x.png)\n\n[^1]: A note of five words.\n";
        // Heading 3 + 3 (title and text), paragraph 7 (code is not a
        // word, the full stop is), list and quote 6, table 7, note 5.
        assert_eq!(words(&parse(doc).doc), 31);
        for src in [
            include_str!("../../content/briefs/antimony-opportunity.md"),
            include_str!("../../content/briefs/antimony-opportunity.ur.md"),
        ] {
            let n = words(&parse(src).doc);
            let all = src.split_whitespace().count();
            // Most words are text; headings count twice; markup is not.
            assert!(n > all * 3 / 4 && n < all * 5 / 4, "{n} of {all}");
        }
    }

    #[test]
    fn a_tree_is_small() {
        // A site holds every brief's tree at once.
        assert!(
            std::mem::size_of::<Inline>() <= 48,
            "{}",
            std::mem::size_of::<Inline>()
        );
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let html = |t: &str| words(&parse(t).doc);
        for t in [
            "",
            "one",
            "  two words ",
            "tab\tand\x0bvertical\x0cfeed",
            "a\u{a0}b c",
            "پاکستان کے معدنیات",
            "line one\nline two",
        ] {
            assert_eq!(html(t), t.split_whitespace().count(), "{t:?}");
        }
        // Long texts of every ASCII space, counted in chunks: the same
        // count across the chunks' seams.
        let pieces = [
            "a", "bc", " ", "\t", "\n", "\x0b", "\x0c", "\r", "  ", "word",
        ];
        let mut seed = 12345u32;
        for len in [1usize, 2, 254, 255, 256, 257, 509, 510, 511, 2000] {
            let mut t = String::new();
            while t.len() < len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                t.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            t.truncate(len);
            assert_eq!(html::text_words(&t), t.split_whitespace().count(), "{t:?}");
        }
        let all_words = "ab ".repeat(300);
        assert_eq!(html::text_words(&all_words), 300);
    }

    #[test]
    fn escaping_replaces_the_five_characters_and_keeps_the_rest() {
        use super::html::escape;
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("&پاکستان<"), "&amp;پاکستان&lt;");
        assert_eq!(escape("ü>é"), "ü&gt;é");
        // Long texts, their characters to escape in and across the blocks
        // passed over whole: as escaping one character at a time does.
        let one_by_one = |t: &str| -> String {
            t.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let pieces = ["abc", "&", "<", ">", "\"", "'", "پاک", " plain text ", "é"];
        let mut seed = 7u32;
        for len in [31usize, 32, 33, 63, 64, 65, 100, 1000] {
            let mut t = String::new();
            while t.len() < len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let p = (seed >> 16) as usize % pieces.len();
                // Mostly plain text, so that whole blocks are passed over.
                t.push_str(if seed.is_multiple_of(5) {
                    pieces[p]
                } else {
                    "x"
                });
            }
            assert_eq!(escape(&t), one_by_one(&t), "{t:?}");
        }
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
        let refs = refs_of(src);
        assert_eq!(refs.len(), 3);
        assert!(
            matches!(&refs[1], Reference::Image { src, alt, .. } if src == "assets/map.png" && alt == "Map")
        );
        assert!(
            matches!(&refs[2], Reference::DataTable { id, offset } if id == "p" && *offset == src.find("{{").unwrap())
        );
    }

    #[test]
    fn what_text_is_passed_over_cannot_hold_a_reference() {
        // Placeholders written with escaped or spaced braces, one after
        // text (not a placeholder), a long plain paragraph before one.
        let src = format!(
            "\\{{\\{{ table(data=\"a\") }}}}\n\n   {{{{ table(data=\"b\") }}}}\n\n\
             Intro {{{{ table(data=\"c\") }}}}\n\n{}\n\n{{{{ table(data='d') }}}}\n",
            "word ".repeat(400)
        );
        let ids: Vec<String> = refs_of(&src)
            .into_iter()
            .filter_map(|r| match r {
                Reference::DataTable { id, .. } => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["a", "b", "d"]);
        // A note mark after a long run of text, and one split by an escape.
        let src = format!("{} and [^late] then \\*[^split].\n", "text ".repeat(300));
        let labels: Vec<(String, usize)> = refs_of(&src)
            .into_iter()
            .filter_map(|r| match r {
                Reference::UndefinedNote { label, offset } => Some((label, offset)),
                _ => None,
            })
            .collect();
        assert_eq!(
            labels,
            [
                ("late".to_string(), src.find("[^late]").unwrap()),
                ("split".to_string(), src.find("[^split]").unwrap())
            ]
        );
        // Refused characters written as references in otherwise plain text.
        for (src, code) in [("Plain &#1; text", 1), ("Plain &#x202E; text", 0x202e)] {
            assert!(
                refs_of(src)
                    .iter()
                    .any(|r| matches!(r, Reference::Refused { code: c, .. } if *c == code)),
                "{src}"
            );
        }
        assert!(refs_of("Plain text, tab\there.").is_empty());
    }

    #[test]
    fn a_cache_parses_a_text_once_and_forgets_what_a_load_left_unused() {
        let cache = ParseCache::default();
        let a = cache.parse("# One\n\nText.");
        let again = cache.parse("# One\n\nText.");
        assert!(std::sync::Arc::ptr_eq(&a, &again));
        assert_eq!(*a, parse("# One\n\nText."));
        let b = cache.parse("Other *text*.");
        cache.finish_load();
        // The next load finds both; a load that uses only one keeps only it.
        assert!(std::sync::Arc::ptr_eq(&a, &cache.parse("# One\n\nText.")));
        cache.finish_load();
        assert!(std::sync::Arc::ptr_eq(&a, &cache.parse("# One\n\nText.")));
        assert!(!std::sync::Arc::ptr_eq(&b, &cache.parse("Other *text*.")));
        assert_eq!(*cache.parse("Other *text*."), *b);
    }

    #[test]
    fn a_cache_reads_a_file_again_when_its_text_or_path_differs() {
        use std::path::Path;
        let cache = ParseCache::default();
        let reads = std::cell::Cell::new(0);
        let read = |text: &str| {
            reads.set(reads.get() + 1);
            text.to_uppercase()
        };
        let a = Path::new("content/briefs/a.md");
        let first = cache.file(a, "title: x", || read("title: x"));
        cache.finish_load();
        let same = cache.file(a, "title: x", || read("title: x"));
        assert!(std::sync::Arc::ptr_eq(&first, &same));
        assert_eq!(reads.get(), 1);
        // Another text, another file with the same text, another type.
        assert_eq!(*cache.file(a, "title: y", || read("title: y")), "TITLE: Y");
        let b = Path::new("content/briefs/b.md");
        assert_eq!(*cache.file(b, "title: x", || read("title: x")), "TITLE: X");
        assert_eq!(reads.get(), 3);
        assert_eq!(*cache.file(a, "title: x", || 7usize), 7);
        // Two loads that do not use an entry let go of it.
        cache.finish_load();
        cache.finish_load();
        assert_eq!(*cache.file(b, "title: x", || read("title: x")), "TITLE: X");
        assert_eq!(reads.get(), 4);
    }
}
