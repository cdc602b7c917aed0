//! The memo's body from Markdown: executive summary, headings with
//! numbers, paragraphs, lists, quotes, code, footnotes, notices, and inline
//! text runs.

use crate::content::{Contact, Deal};
use crate::error::Error;
use crate::markdown::{self, Align as MdAlign, Block as MdBlock, Inline};
use crate::pdf::frame::{Node, Rgb, Role, Tag};
use crate::pdf::layout::{
    bind_short_words, note_link, Align, Block, Column, Dir, HyphenLang, ParaStyle, Span, Table,
};

use super::out::Out;
use super::style::Font;
use super::tables::column_weight;
use super::Composer;

impl Composer<'_> {
    /// The defaults with the brief's hyphenation patterns.
    fn base_para(&self) -> ParaStyle {
        ParaStyle {
            lang: HyphenLang::from_tag(&self.brief.lang),
            dir: self.dir(),
            ..Default::default()
        }
    }

    fn para_style(&self) -> ParaStyle {
        ParaStyle {
            align: Align::Justify,
            leading: self.style.leading,
            space_after: self.style.body * 0.7,
            hyphenate: true,
            ..self.base_para()
        }
    }

    /// A heading followed by the marks of the footnotes it cites, each
    /// leading to its note (as in the text; the bookmarks leave them out).
    fn marked_heading(&self, level: u8, text: &str, numbered: bool, marks: &[usize]) -> Block {
        let s = &self.style;
        let f = self.fonts;
        let label = if self.style.numbered && numbered && level <= 3 {
            let idx = (level.saturating_sub(1)) as usize;
            let mut guard = self
                .heading_numbers
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            guard[idx] += 1;
            for n in guard.iter_mut().skip(idx + 1) {
                *n = 0;
            }
            let numbers = *guard;
            drop(guard);
            let nums: Vec<String> = numbers[..=idx].iter().map(|n| n.to_string()).collect();
            format!("{}\u{2002}{text}", nums.join("."))
        } else {
            text.to_string()
        };
        let (font, size, color, before, after) = match level {
            1 => (f.serif_bold, 16.0, s.primary, 20.0, 8.0),
            2 => (f.sans_bold, 11.5, s.primary, 14.0, 5.0),
            _ => (f.sans_bold, 10.0, s.text, 10.0, 3.0),
        };
        let style = ParaStyle {
            align: Align::Left,
            leading: size * 1.3,
            space_before: before,
            space_after: after,
            keep_with_next: true,
            hyphenate: false,
            outline_level: Some(level),
            rule_below: if level == 1 {
                Some((s.accent, 0.8))
            } else {
                None
            },
            rule_gap: 4.0,
            ..self.base_para()
        };
        // No line of a heading ends on a word of one or two letters.
        let mut spans = vec![self.span(bind_short_words(&label), font, size, color)];
        for n in marks {
            spans.push(
                self.span(superscript(*n), font, size, s.accent)
                    .with_link(note_link(*n)),
            );
        }
        Block::para(spans, style)
    }

    /// Whether the body opens with the executive-summary panel: as the
    /// brief's front matter says, else as site.yaml's `memo` says, and
    /// never when the body opens with its own "Executive summary" heading.
    pub(super) fn summary_panel(&self) -> bool {
        let label = self.t("executive_summary");
        let own = self.brief.parsed.doc.blocks.first().is_some_and(|b| {
            matches!(b, MdBlock::Heading { inlines, .. } if {
                let text = markdown::inline_text(inlines);
                let text = text.trim();
                text.eq_ignore_ascii_case("executive summary") || text == label
            })
        });
        !own && self
            .brief
            .front
            .summary_panel
            .unwrap_or(self.project.site.memo.summary_panel)
    }

    /// The memo's level (1 to 3) of a Markdown heading of `level`, `top`
    /// the text's highest: at most one below the heading before it, so a
    /// skipped level (`####` under `##`) is numbered 1.1, not 1.0.1, and
    /// the structure tree has no gap.
    fn section_level(&self, level: u8, top: u8) -> u8 {
        use std::sync::atomic::Ordering;
        let lvl = (level.saturating_sub(top) + 1).min(3);
        let lvl = lvl.min(self.last_level.load(Ordering::Relaxed) + 1);
        self.last_level.store(lvl, Ordering::Relaxed);
        lvl
    }

    /// A heading with its tag: a level-1 heading starts a new section
    /// (`sect`), its heading element inside it.
    fn tagged_heading(
        &self,
        level: u8,
        text: &str,
        numbered: bool,
        sect: &mut Option<Tag>,
        out: &mut Out,
    ) {
        self.tagged_marked_heading(level, text, numbered, &[], sect, out);
    }

    /// [`Composer::tagged_heading`] with the marks of the footnotes the
    /// heading cites.
    fn tagged_marked_heading(
        &self,
        level: u8,
        text: &str,
        numbered: bool,
        marks: &[usize],
        sect: &mut Option<Tag>,
        out: &mut Out,
    ) {
        if level == 1 || sect.is_none() {
            *sect = Some(self.tag_of(None, Role::Sect));
        }
        out.push(self.tag(sect.as_ref(), Role::H(level)));
        out.push(self.marked_heading(level, text, numbered, marks));
    }

    /// A new element with `role` under the element `parent` (the root
    /// when `None`), as a block.
    pub(super) fn tag(&self, parent: Option<&Tag>, role: Role) -> Block {
        Block::Tag(self.tag_of(parent, role))
    }

    /// A new element with `role` under the element `parent` (the root
    /// when `None`): the parent's path is shared, not copied.
    pub(super) fn tag_of(&self, parent: Option<&Tag>, role: Role) -> Tag {
        Tag::under(parent, self.node(role))
    }

    /// The body's blocks, into `out` as they are made.
    pub(super) fn body_blocks(&self, author: Option<&Contact>, out: &mut Out) -> Result<(), Error> {
        let doc = &self.brief.parsed.doc;
        let mut sect: Option<Tag> = None;

        let s = &self.style;
        let f = self.fonts;
        // Executive summary in a tinted panel.
        if self.summary_panel() {
            self.tagged_heading(1, self.t("executive_summary"), false, &mut sect, out);
            out.push(self.tag(sect.as_ref(), Role::P));
            out.push(Block::para(
                vec![self.span(
                    self.brief.front.summary.clone(),
                    f.serif_italic,
                    s.body + 1.0,
                    s.text,
                )],
                ParaStyle {
                    align: Align::Left,
                    leading: (s.body + 1.0) * 1.45,
                    background: Some(s.tint),
                    padding: 10.0,
                    bar: Some((s.accent, 2.5)),
                    indent_left: 12.0,
                    indent_right: 10.0,
                    space_before: 4.0,
                    space_after: 14.0,
                    hyphenate: false,
                    ..self.base_para()
                },
            ));
        }

        // Markdown headings: `##` is a section (level 1 in the memo).
        let top = doc
            .blocks
            .iter()
            .filter_map(|b| {
                if let MdBlock::Heading { level, .. } = b {
                    Some(*level)
                } else {
                    None
                }
            })
            .min()
            .unwrap_or(2);
        for b in &doc.blocks {
            // The flow failed: its error is the memo's.
            if !out.open() {
                return Ok(());
            }
            if let MdBlock::Heading { level, inlines, .. } = b {
                let lvl = self.section_level(*level, top);
                self.tagged_marked_heading(
                    lvl,
                    &markdown::inline_text(inlines),
                    true,
                    &markdown::footnote_marks(inlines),
                    &mut sect,
                    out,
                );
                continue;
            }
            self.md_block(b, top, 0, sect.as_ref(), out)?;
        }

        if !doc.footnotes.is_empty() {
            self.tagged_heading(1, self.t("notes"), false, &mut sect, out);
            for (n, blocks) in &doc.footnotes {
                let note = self.tag_of(sect.as_ref(), Role::Note);
                out.push(Block::Tag(note.clone()));
                out.push(Block::Anchor(format!("fn-{n}")));
                // The note's first paragraph beside its number; what
                // follows (more paragraphs, a list, a table, code) under it,
                // as in the text (they were left out).
                let (first, rest) = match blocks.split_first() {
                    Some((MdBlock::Paragraph(inl), rest)) => (Some(inl), rest),
                    _ => (None, &blocks[..]),
                };
                let spans = first.map_or_else(Vec::new, |inl| {
                    self.inlines(inl, Font::Serif, s.body - 1.5, s.text)
                });
                out.push(Block::para(
                    spans,
                    ParaStyle {
                        align: Align::Justify,
                        leading: (s.body - 1.5) * 1.4,
                        indent_left: 16.0,
                        // The note's number leads back to its mark.
                        marker: Some(vec![self
                            .span(format!("{n}."), f.sans, s.body - 2.0, s.muted)
                            .with_link(format!("#fnref-{n}"))]),
                        marker_gap: 5.0,
                        space_after: 3.0,
                        ..self.base_para()
                    },
                ));
                for b in rest {
                    self.md_block(b, 2, 1, Some(&note), out)?;
                }
            }
        }

        let deals: Vec<&Deal> = self.project.deals_of(self.brief).collect();
        if !deals.is_empty() {
            self.tagged_heading(1, self.t("deal_facts"), false, &mut sect, out);
            for d in deals {
                self.tagged_heading(2, &self.deal_title(d), false, &mut sect, out);
                out.push(self.tag(sect.as_ref(), Role::Table));
                out.push(Block::table(self.deal_table(d)));
            }
        }

        if let Some(a) = author {
            self.tagged_heading(1, self.t("contact"), false, &mut sect, out);
            let card = self.tag_of(sect.as_ref(), Role::P);
            let qr = self.tag_of(sect.as_ref(), Role::Figure);
            out.push(Block::Tag(card.clone()));
            out.push(Block::Fixed(self.contact_card(a, &card, &qr)?));
        }

        let site = &self.project.site;
        let own = site.text(&self.brief.lang).and_then(|t| t.legal.as_ref());
        let notices = site.legal.notices(&self.labels, own);
        if !notices.is_empty() {
            self.tagged_heading(1, self.t("important_notices"), false, &mut sect, out);
            let small = s.body - 2.0;
            for (heading, text) in notices {
                out.push(self.tag(sect.as_ref(), Role::H(2)));
                out.push(Block::para(
                    vec![self.span(heading, f.sans_bold, small + 0.5, s.text)],
                    ParaStyle {
                        align: Align::Left,
                        leading: small * 1.45,
                        keep_with_next: true,
                        space_before: 4.0,
                        space_after: 1.0,
                        hyphenate: false,
                        ..self.base_para()
                    },
                ));
                out.push(self.tag(sect.as_ref(), Role::P));
                out.push(Block::para(
                    vec![self.span(text.trim(), f.serif, small, s.muted)],
                    ParaStyle {
                        align: Align::Justify,
                        leading: small * 1.45,
                        space_after: 4.0,
                        ..self.base_para()
                    },
                ));
            }
        }
        Ok(())
    }

    /// A Markdown block under the structure element `parent`.
    fn md_block(
        &self,
        b: &MdBlock,
        top: u8,
        depth: usize,
        parent: Option<&Tag>,
        out: &mut Out,
    ) -> Result<(), Error> {
        let s_body = self.style.body;
        let text_color = self.style.text;
        match b {
            MdBlock::Heading { level, inlines, .. } => {
                // A heading inside a list or quote.
                let lvl = self.section_level(*level, top);
                out.push(self.tag(parent, Role::H(lvl)));
                out.push(self.marked_heading(
                    lvl,
                    &markdown::inline_text(inlines),
                    true,
                    &markdown::footnote_marks(inlines),
                ));
            }
            MdBlock::Paragraph(inlines) => {
                let spans = self.inlines(inlines, Font::Serif, s_body, text_color);
                let mut st = self.para_style();
                st.indent_left = depth as f32 * 16.0;
                out.push(self.tag(parent, Role::P));
                out.push(Block::para(spans, st));
            }
            MdBlock::List { start, items } => {
                let indent = 16.0 * (depth as f32 + 1.0) + 2.0;
                let list = self.tag_of(parent, Role::L);
                for (i, item) in items.iter().enumerate() {
                    if !out.open() {
                        return Ok(());
                    }
                    let li = self.node(Role::LI);
                    let id = li.id;
                    let body = list.child(li).child(Node::new(Role::LBody, id));
                    let marker = match start {
                        Some(n) => format!("{}.", n + i as u64),
                        // A distinct bullet per level: •, –, · (the
                        // theme's fonts have no ◦, which left the third
                        // level's items without a mark).
                        None => ["\u{2022}", "\u{2013}", "\u{00B7}"][depth % 3].to_string(),
                    };
                    let mut first = true;
                    for inner in item {
                        match inner {
                            MdBlock::Paragraph(inl) => {
                                let spans = self.inlines(inl, Font::Serif, s_body, text_color);
                                let st = ParaStyle {
                                    indent_left: indent,
                                    marker: first.then(|| {
                                        vec![self.span(
                                            marker.clone(),
                                            self.fonts.serif,
                                            s_body,
                                            self.style.accent,
                                        )]
                                    }),
                                    marker_gap: 6.0,
                                    space_after: 3.0,
                                    ..self.para_style()
                                };
                                out.push(Block::Tag(body.clone()));
                                out.push(Block::para(spans, st));
                                first = false;
                            }
                            other => self.md_block(other, top, depth + 1, Some(&body), out)?,
                        }
                    }
                }
                // Space after the whole list, not inside a nested one.
                if depth == 0 {
                    if let Some(Block::Para(_, st)) = out.last_mut() {
                        st.space_after = s_body * 0.7;
                    }
                }
            }
            MdBlock::Quote(inner) => {
                let quote = self.tag_of(parent, Role::BlockQuote);
                for q in inner {
                    if let MdBlock::Paragraph(inl) = q {
                        out.push(self.tag(Some(&quote), Role::P));
                        let spans =
                            self.inlines(inl, Font::SerifItalic, s_body + 0.5, self.style.primary);
                        out.push(Block::para(
                            spans,
                            ParaStyle {
                                align: Align::Left,
                                leading: (s_body + 0.5) * 1.45,
                                indent_left: 18.0 + depth as f32 * 16.0,
                                indent_right: 18.0,
                                bar: Some((self.style.accent, 2.0)),
                                space_before: 4.0,
                                space_after: 10.0,
                                hyphenate: false,
                                ..self.base_para()
                            },
                        ));
                    } else {
                        self.md_block(q, top, depth + 1, Some(&quote), out)?;
                    }
                }
            }
            MdBlock::Code { text, .. } => {
                let size = s_body - 2.0;
                let style = ParaStyle {
                    align: Align::Left,
                    leading: size * 1.4,
                    background: Some(self.style.tint),
                    padding: 6.0,
                    indent_left: 6.0 + depth as f32 * 16.0,
                    indent_right: 6.0,
                    hyphenate: false,
                    // Code reads left to right in any memo.
                    dir: Dir::Ltr,
                    space_before: 4.0,
                    space_after: 10.0,
                    ..self.base_para()
                };
                // Lines are broken to the width flow sets them in.
                let measure = style.inner_width(self.style.page.measure());
                let advance = crate::pdf::layout::measure(
                    &self.fonts.set,
                    &[self.span("0", self.fonts.mono, size, text_color)],
                )
                .map_err(|e| self.err(e))?;
                let spans = vec![self
                    .span(
                        code_lines(text, (measure / advance.max(0.1)) as usize),
                        self.fonts.mono,
                        size,
                        text_color,
                    )
                    .code()];
                out.push(self.tag(parent, Role::Code));
                out.push(Block::para(spans, style));
            }
            MdBlock::Table(table) => {
                let markdown::Table {
                    align,
                    header,
                    rows,
                } = &**table;
                let columns = align
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Column {
                        weight: column_weight(header.get(i), rows.iter().filter_map(|r| r.get(i))),
                        align: match a {
                            MdAlign::Left => Align::Left,
                            MdAlign::Center => Align::Center,
                            MdAlign::Right => Align::Right,
                        },
                    })
                    .collect();
                let size = s_body - 1.5;
                let header = header
                    .iter()
                    .map(|c| self.inlines(c, Font::SansBold, size, Rgb::WHITE))
                    .collect();
                let rows = rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| self.inlines(c, Font::Sans, size, text_color))
                            .collect()
                    })
                    .collect();
                out.push(self.tag(parent, Role::Table));
                out.push(Block::table(Table {
                    columns,
                    header,
                    rows,
                    style: self.table_style(size),
                }));
            }
            // The caption is the image's title, as on the site; else its alt text.
            MdBlock::Image(image) => {
                let markdown::InlineImage { src, alt, title } = &**image;
                let caption = if title.is_empty() { alt } else { title };
                self.image(src, alt, caption, parent, out)?
            }
            MdBlock::Rule => out.push(Block::Rule {
                color: self.style.rule,
                width: 0.6,
                space: 10.0,
            }),
            MdBlock::DataTable(id) => {
                if let Some(d) = self.project.data.get(id) {
                    self.data_table(d, parent, out);
                }
            }
        }
        Ok(())
    }

    pub(super) fn inlines(
        &self,
        inlines: &[Inline],
        font: Font,
        size: f32,
        color: Rgb,
    ) -> Vec<Span> {
        let mut out = Vec::new();
        self.push_inlines(inlines, font, size, color, None, &mut out);
        // A table's cells are all held until it is set: no spare room.
        out.shrink_to_fit();
        out
    }

    fn push_inlines(
        &self,
        inlines: &[Inline],
        font: Font,
        size: f32,
        color: Rgb,
        link: Option<&str>,
        out: &mut Vec<Span>,
    ) {
        let f = self.fonts;
        for i in inlines {
            let mut push = |text: String, font: Font, color: Rgb| {
                let mut sp = self.span(text, font.id(f), size, color);
                if let Some(l) = link {
                    sp = sp.with_link(l);
                }
                out.push(sp);
            };
            match i {
                Inline::Text(t) => push(t.clone(), font, color),
                Inline::Code(t) => {
                    // Unbreakable and never stretched: its spaces are
                    // no-break spaces (the line breaks around it).
                    let mut sp = self
                        .span(t.replace(' ', "\u{00A0}"), f.mono, size * 0.88, color)
                        .code();
                    if let Some(l) = link {
                        sp = sp.with_link(l);
                    }
                    out.push(sp);
                }
                Inline::Strong(c) => self.push_inlines(c, font.bold(), size, color, link, out),
                Inline::Emph(c) => self.push_inlines(c, font.italic(), size, color, link, out),
                Inline::Strike(c) => self.push_inlines(c, font, size, self.muted(color), link, out),
                Inline::Link(l) => {
                    let (url, children) = (&l.url, &l.children);
                    let target = if url.starts_with('#') || !url.contains(':') {
                        None
                    } else {
                        Some(url.as_str())
                    };
                    // On a dark fill (a table's header row) a link keeps
                    // the text's colour: in the brand colour it was the
                    // colour of the fill, and could not be seen.
                    let c = if target.is_some() && color != Rgb::WHITE {
                        self.style.primary
                    } else {
                        color
                    };
                    self.push_inlines(children, font, size, c, target.or(link), out);
                }
                Inline::Image(image) => push(image.alt.clone(), font.italic(), self.muted(color)),
                Inline::FootnoteRef(n) => {
                    // The mark leads to its note.
                    let sp = self
                        .span(superscript(*n), font.id(f), size, self.style.accent)
                        .with_link(note_link(*n));
                    out.push(sp);
                }
                Inline::SoftBreak => push(" ".into(), font, color),
                // A line break the author asked for (two spaces or a
                // backslash at the end of a line), as on the site.
                Inline::HardBreak => push("\n".into(), font, color),
            }
        }
    }
}

/// The text of a code block set line for line in a monospace font: every
/// space a no-break space (indentation and alignment kept, no stretching),
/// a line longer than `columns` characters wrapped, each continuation
/// starting under the line's indentation with a `›` mark.
fn code_lines(text: &str, columns: usize) -> String {
    let columns = columns.max(8);
    let mut out = Vec::new();
    for line in text.trim_end_matches('\n').lines() {
        let line = line.replace('\t', "    ");
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        let cont_indent = (indent + 2).min(columns / 2);
        let mut rest = &chars[..];
        let mut first = true;
        loop {
            let room = if first {
                columns
            } else {
                columns - cont_indent - 2
            };
            let take = rest.len().min(room.max(1));
            let piece: String = rest[..take].iter().collect();
            let piece = if first {
                piece
            } else {
                format!("{}\u{203A} {piece}", " ".repeat(cont_indent))
            };
            out.push(piece.replace(' ', "\u{00A0}"));
            rest = &rest[take..];
            first = false;
            if rest.is_empty() {
                break;
            }
        }
    }
    out.join("\n")
}

/// Footnote numbers as superscript digits (the fonts have them).
fn superscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}
