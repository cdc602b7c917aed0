//! Page content streams, written as PDF text as the page is walked: text
//! runs with their CIDs and `/ActualText`, rectangles, lines, images and
//! marked content, skipping repeated graphics state. Link annotations are
//! handed on as [`Link`]s, written as bytes with the structure tree.
//!
//! A content stream is a few bytes per glyph, written once: the document
//! never holds an operation object per glyph.

use std::io::Write as _;

use super::fonts::FontPlan;
use super::{font_res, gs_res, image_res, Result, WriteError};
use crate::pdf::frame::{Anchor, GlyphRef, Item, Node, Page, Rgb, Role, Tag, TextRun};

/// Graphics state already set in the content stream, to skip repeats.
#[derive(Clone, Default)]
struct GState {
    fill: Option<[f32; 3]>,
    stroke: Option<[f32; 3]>,
    line_width: Option<f32>,
    font: Option<(usize, f32)>,
    /// `Tc`, in points.
    char_spacing: f32,
}

/// A content stream being written: each operand is followed by a space,
/// each operator by a newline.
#[derive(Default)]
pub(super) struct Stream {
    bytes: Vec<u8>,
}

impl Stream {
    /// A number to a thousandth (of a point, of a colour channel, of a
    /// thousandth of an em: finer than any device shows), without trailing
    /// zeros and never with an exponent.
    fn num(&mut self, v: f32) {
        let milli = (f64::from(v) * 1000.0).round();
        if milli.is_nan() || milli.abs() >= 1e15 {
            let _ = write!(self.bytes, "{v} ");
            return;
        }
        let milli = milli as i64;
        if milli < 0 {
            self.bytes.push(b'-');
        }
        let abs = milli.unsigned_abs();
        self.integer(abs / 1000);
        let mut frac = abs % 1000;
        if frac != 0 {
            self.bytes.push(b'.');
            let mut div = 100;
            while frac != 0 {
                self.bytes.push(b'0' + (frac / div) as u8);
                frac %= div;
                div /= 10;
            }
        }
        self.bytes.push(b' ');
    }

    /// `v` in decimal digits (what `write!` does, without its formatter).
    fn integer(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes.extend_from_slice(&digits[at..]);
    }

    pub(super) fn nums(&mut self, vs: &[f32]) {
        for &v in vs {
            self.num(v);
        }
    }

    /// A name operand (`/F0`); orepress's own names need no escapes.
    fn name(&mut self, name: &str) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
    }

    fn op(&mut self, op: &str) {
        self.bytes.extend_from_slice(op.as_bytes());
        self.bytes.push(b'\n');
    }

    /// A text string in hexadecimal: PDFDocEncoding when ASCII, else
    /// UTF-16BE with its byte order mark.
    fn text(&mut self, text: &str) {
        self.bytes.push(b'<');
        if text.is_ascii() {
            for b in text.bytes() {
                self.hex_byte(b);
            }
        } else {
            self.hex_byte(0xFE);
            self.hex_byte(0xFF);
            for unit in text.encode_utf16() {
                self.hex_u16(unit);
            }
        }
        self.bytes.push(b'>');
    }

    fn hex_byte(&mut self, b: u8) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.bytes.push(HEX[usize::from(b >> 4)]);
        self.bytes.push(HEX[usize::from(b & 15)]);
    }

    fn hex_u16(&mut self, v: u16) {
        let [hi, lo] = v.to_be_bytes();
        self.hex_byte(hi);
        self.hex_byte(lo);
    }

    /// `[ … ] TJ` of `items`; nothing when there are none.
    fn show(&mut self, items: &[Show]) {
        if items.is_empty() {
            return;
        }
        self.bytes.push(b'[');
        let mut in_string = false;
        for item in items {
            match *item {
                Show::Glyph(cid) => {
                    if !in_string {
                        self.bytes.push(b'<');
                        in_string = true;
                    }
                    self.hex_u16(cid);
                }
                // A zero move is no move: the string goes on.
                Show::Move(0.0) => {}
                Show::Move(by) => {
                    if in_string {
                        self.bytes.push(b'>');
                        in_string = false;
                    }
                    self.num(by);
                }
            }
        }
        if in_string {
            self.bytes.push(b'>');
        }
        if self.bytes.last() == Some(&b' ') {
            self.bytes.pop();
        }
        self.bytes.extend_from_slice(b"] TJ\n");
    }

    /// `<</Key value>>` where every value is a name, an integer or a text
    /// string, then the operator.
    fn marked(&mut self, tag: &str, props: &[(&str, Prop<'_>)]) {
        self.name(tag);
        self.bytes.extend_from_slice(b"<<");
        for (key, value) in props {
            self.bytes.push(b'/');
            self.bytes.extend_from_slice(key.as_bytes());
            self.bytes.push(b' ');
            match value {
                Prop::Name(n) => {
                    self.bytes.push(b'/');
                    self.bytes.extend_from_slice(n.as_bytes());
                }
                Prop::Int(i) => {
                    let _ = write!(self.bytes, "{i}");
                }
                Prop::Text(t) => self.text(t),
            }
        }
        self.bytes.extend_from_slice(b">> BDC\n");
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// An element of a `TJ` array: a glyph's CID, or a move of the pen by
/// −n/1000 em.
#[derive(Clone, Copy)]
enum Show {
    Glyph(u16),
    Move(f32),
}

/// A value in a marked-content property list.
enum Prop<'a> {
    Name(&'a str),
    Int(usize),
    Text(&'a str),
}

/// The CID of each (glyph id, cluster text) pair a content stream draws in
/// one font, and each CID's advance (1/1000 em, as `/W` gives it): a
/// font's plan, or the glyphs a memo's body has used so far.
pub(super) trait Cids {
    fn cid(&self, gid: u16, text: &str) -> Option<u16>;
    fn width(&self, cid: u16) -> f64;
}

impl Cids for FontPlan<'_> {
    fn cid(&self, gid: u16, text: &str) -> Option<u16> {
        self.cids.get(gid, text)
    }

    fn width(&self, cid: u16) -> f64 {
        self.cid_width.get(usize::from(cid)).copied().unwrap_or(0.0)
    }
}

struct PageOps<'a, C> {
    out: Stream,
    height: f32,
    state: GState,
    fonts: &'a [Option<C>],
    files: &'a [std::sync::Arc<crate::pdf::frame::FontFile>],
    /// Reused between runs: the `TJ` items of the run being written.
    items: Vec<Show>,
    /// Reused between runs: the letter spacing of each glyph of a run.
    spacing: Vec<f64>,
    /// Reused between runs: the CID of each glyph of a run.
    cids: Vec<u16>,
}

/// The `Tc` (points, to a thousandth) of a run whose letters are drawn
/// `spacing` (em/1000, by glyph, spaces left out) wider than the font's
/// advances: their median when it is half a unit or more, as on a line
/// justified by letter spacing; else 0 (the differences are kerning).
/// `None` for a run of one letter or none: any spacing will do.
fn letter_spacing(spacing: &mut [f64], size: f32) -> Option<f32> {
    if spacing.len() < 2 {
        return None;
    }
    let mid = spacing.len() / 2;
    let (_, &mut median, _) = spacing.select_nth_unstable_by(mid, f64::total_cmp);
    if median.abs() < 0.5 {
        return Some(0.0);
    }
    Some(((median * f64::from(size)).round() / 1000.0) as f32)
}

fn channel(v: f32) -> f32 {
    v.clamp(0.0, 1.0)
}

fn key(c: Rgb) -> [f32; 3] {
    [channel(c.0), channel(c.1), channel(c.2)]
}

impl<C: Cids> PageOps<'_, C> {
    fn fill(&mut self, c: Rgb) {
        if self.state.fill != Some(key(c)) {
            self.state.fill = Some(key(c));
            self.out.nums(&key(c));
            self.out.op("rg");
        }
    }

    fn stroke(&mut self, c: Rgb, width: f32) {
        if self.state.stroke != Some(key(c)) {
            self.state.stroke = Some(key(c));
            self.out.nums(&key(c));
            self.out.op("RG");
        }
        let width = width.max(0.0);
        if self.state.line_width != Some(width) {
            self.state.line_width = Some(width);
            self.out.num(width);
            self.out.op("w");
        }
    }

    /// Sets `Tc` (points added after every glyph) to `tc`.
    fn char_spacing(&mut self, tc: f32) {
        if self.state.char_spacing != tc {
            self.state.char_spacing = tc;
            self.out.num(tc);
            self.out.op("Tc");
        }
    }

    fn text(&mut self, run: &TextRun, alphas: &mut Vec<u32>) -> Result<()> {
        if run.glyphs.is_empty() || run.size <= 0.0 {
            return Ok(());
        }
        let plan = self
            .fonts
            .get(run.font.0)
            .and_then(Option::as_ref)
            .ok_or_else(|| WriteError::new("text run in a font that was not planned"))?;

        let alpha = (channel(run.opacity) * 1000.0).round() as u32;
        let saved = (alpha < 1000).then(|| self.state.clone());
        if saved.is_some() {
            let index = match alphas.iter().position(|&a| a == alpha) {
                Some(i) => i,
                None => {
                    alphas.push(alpha);
                    alphas.len() - 1
                }
            };
            self.out.op("q");
            self.out.name(&gs_res(index).0);
            self.out.op("gs");
        }

        self.fill(run.color);
        self.out.op("BT");
        if self.state.font != Some((run.font.0, run.size)) {
            self.state.font = Some((run.font.0, run.size));
            self.out.name(&font_res(run.font.0).0);
            self.out.num(run.size);
            self.out.op("Tf");
        }
        let (sin, cos) = run.rotation.to_radians().sin_cos();
        let (sin, cos) = if run.rotation == 0.0 {
            (0.0, 1.0)
        } else {
            (sin, cos)
        };
        self.out
            .nums(&[cos, sin, 0.0 - sin, cos, run.x, self.height - run.y]);
        self.out.op("Tm");

        let mut items = std::mem::take(&mut self.items);
        items.clear();
        let result = if run.is_rtl() {
            let charmap = self
                .files
                .get(run.font.0)
                .and_then(|f| super::fonts::charmap(f));
            self.rtl_run(run, plan, charmap.as_ref(), &mut items)
        } else {
            self.ltr_run(run, plan, &mut items)
        };
        self.items = items;
        result?;
        self.out.op("ET");
        if let Some(saved) = saved {
            self.out.op("Q");
            self.state = saved;
        }
        Ok(())
    }

    /// A left-to-right run. The viewer advances by the `/W` width after
    /// each glyph; a `TJ` number after it corrects the pen to our advance
    /// (kerning, justification) and to the next glyph's x offset (marks).
    /// The pen is tracked in em/1000 so rounding never accumulates;
    /// differences under half a unit (the `/W` rounding) are left out.
    fn ltr_run(&mut self, run: &TextRun, plan: &C, items: &mut Vec<Show>) -> Result<()> {
        let per_em = 1000.0 / run.size as f64;
        let kern_of = |off: f64| {
            if off.abs() < 0.5 {
                0.0
            } else {
                (off * 100.0).round() / 100.0
            }
        };
        let missing = || WriteError::new("glyph missing from font plan");
        // Each glyph looked up once, for the spacing and for the moves.
        let glyphs: Vec<GlyphRef<'_>> = run.glyphs.iter().collect();
        let cids = &mut self.cids;
        cids.clear();
        for g in &glyphs {
            cids.push(plan.cid(g.id, g.text).ok_or_else(missing)?);
        }
        // A justified line spaces its letters evenly: that spacing is one
        // `Tc`, not a number after every glyph.
        let raised = run.glyphs.any_raised();
        let tc = if raised {
            0.0
        } else {
            let spacing = &mut self.spacing;
            spacing.clear();
            for (g, &cid) in glyphs.iter().zip(cids.iter()) {
                if g.text != " " && g.offset.0 == 0.0 {
                    spacing.push(g.advance as f64 * per_em - plan.width(cid));
                }
            }
            letter_spacing(spacing, run.size).unwrap_or(self.state.char_spacing)
        };
        self.char_spacing(tc);
        let tc_em = f64::from(tc) * per_em;
        // `items` holds, for glyph i, its CID at 2i and the move after it
        // at 2i + 1; the move before the first glyph is `lead`.
        let (mut target, mut pen, mut lead) = (0.0f64, 0.0f64, 0.0f64);
        for (g, &cid) in glyphs.iter().zip(self.cids.iter()) {
            let kern = kern_of(pen - (target + f64::from(g.offset.0) * per_em));
            pen -= kern;
            match items.last_mut() {
                Some(Show::Move(prev)) => *prev = kern as f32,
                _ => lead = kern,
            }
            let extra = if g.text == " " { run.word_spacing } else { 0.0 };
            target += (g.advance + extra) as f64 * per_em;
            pen += plan.width(cid) + tc_em;
            items.push(Show::Glyph(cid));
            items.push(Show::Move(0.0));
        }
        let kern = kern_of(pen - target);
        if let Some(Show::Move(last)) = items.last_mut() {
            *last = kern as f32;
        }
        if lead != 0.0 {
            self.out.show(&[Show::Move(lead as f32)]);
        }
        if raised {
            self.complex_run(&glyphs, items);
            return Ok(());
        }
        // A cluster drawn with several glyphs (text on the first, empty on
        // the rest) is wrapped in an /ActualText span, so extraction gives
        // the cluster text and nothing for the extra glyphs.
        let mut start = 0;
        let mut i = 0;
        while i < glyphs.len() {
            let mut end = i + 1;
            while end < glyphs.len() && glyphs[end].text.is_empty() {
                end += 1;
            }
            if end - i > 1 && !glyphs[i].text.is_empty() {
                self.out.show(&items[2 * start..2 * i]);
                self.out
                    .marked("Span", &[("ActualText", Prop::Text(glyphs[i].text))]);
                self.out.show(&items[2 * i..2 * end]);
                self.out.op("EMC");
                start = end;
            }
            i = end;
        }
        self.out.show(&items[2 * start..]);
        Ok(())
    }

    /// A right-to-left run, in two layers. The visible glyphs, in visual
    /// order at their heights (Nastaliq raises letters by up to an em), carry
    /// no text. An invisible layer on the baseline carries the text: one
    /// glyph per character, placed right to left across its cluster, so a
    /// reader's extraction and copy-paste meet the characters in visual
    /// order on one baseline, as they do in any right-to-left PDF, and
    /// reorder them into the words as written.
    fn rtl_run(
        &mut self,
        run: &TextRun,
        plan: &C,
        charmap: Option<&skrifa::charmap::Charmap<'_>>,
        items: &mut Vec<Show>,
    ) -> Result<()> {
        let per_em = 1000.0 / run.size as f64;
        let missing = || WriteError::new("glyph missing from font plan");
        // Both layers place every glyph themselves (and `Tz` would scale
        // a `Tc`).
        self.char_spacing(0.0);
        let mut x = 0.0f64;
        let mut pen = 0.0f64;
        let mut rise = 0.0f32;
        for g in &run.glyphs {
            let cid = plan.cid(g.id, "").ok_or_else(missing)?;
            let at = x + f64::from(g.offset.0) * per_em;
            let extra = if g.text == " " { run.word_spacing } else { 0.0 };
            x += f64::from(g.advance + extra) * per_em;
            if g.offset.1 != rise {
                self.out.show(items);
                items.clear();
                rise = g.offset.1;
                self.out.num(rise);
                self.out.op("Ts");
            }
            let adjust = ((pen - at) * 100.0).round() / 100.0;
            if adjust != 0.0 {
                items.push(Show::Move(adjust as f32));
            }
            pen -= adjust;
            items.push(Show::Glyph(cid));
            pen += plan.width(cid);
        }
        self.out.show(items);
        items.clear();
        if rise != 0.0 {
            self.out.num(0.0);
            self.out.op("Ts");
        }
        let width = x;
        // The text layer: characters in visual order, side by side, scaled
        // to the run's width.
        let mut natural = 0.0f64;
        for g in &run.glyphs {
            for (i, c) in g.text.char_indices().rev() {
                let gid = super::fonts::hidden_gid(charmap, c, g.id);
                let cid = plan
                    .cid(gid, &g.text[i..i + c.len_utf8()])
                    .ok_or_else(missing)?;
                natural += plan.width(cid);
                items.push(Show::Glyph(cid));
            }
        }
        if items.is_empty() || natural <= 0.0 {
            return Ok(());
        }
        // Back to the run's start before scaling (Tz scales TJ numbers too).
        let back = ((pen * 100.0).round() / 100.0) as f32;
        self.out.show(&[Show::Move(back)]);
        self.out.num(3.0);
        self.out.op("Tr");
        self.out
            .num(((width / natural * 100.0 * 100.0).round() / 100.0) as f32);
        self.out.op("Tz");
        self.out.show(items);
        self.out.num(100.0);
        self.out.op("Tz");
        self.out.num(0.0);
        self.out.op("Tr");
        Ok(())
    }

    /// A run with raised or lowered glyphs: the text rise (`Ts`) changes
    /// between glyphs, and each word (glyphs between spaces) is an
    /// `/ActualText` span holding its text, so extraction and copy-paste
    /// give the words as written whatever height their glyphs are drawn at.
    /// `items` are [`PageOps::ltr_run`]'s: CID and move of glyph i at 2i.
    fn complex_run(&mut self, glyphs: &[GlyphRef<'_>], items: &[Show]) {
        let mut rise = 0.0f32;
        let mut i = 0;
        while i < glyphs.len() {
            if glyphs[i].text == " " {
                if rise != 0.0 {
                    rise = 0.0;
                    self.out.num(0.0);
                    self.out.op("Ts");
                }
                self.out.show(&items[2 * i..2 * i + 2]);
                i += 1;
                continue;
            }
            let mut end = i;
            while end < glyphs.len() && glyphs[end].text != " " {
                end += 1;
            }
            let word = &glyphs[i..end];
            let text: String = word.iter().map(|g| g.text).collect();
            self.out
                .marked("Span", &[("ActualText", Prop::Text(&text))]);
            let mut start = i;
            for (k, g) in word.iter().enumerate() {
                if g.offset.1 != rise {
                    self.out.show(&items[2 * start..2 * (i + k)]);
                    start = i + k;
                    rise = g.offset.1;
                    self.out.num(rise);
                    self.out.op("Ts");
                }
            }
            self.out.show(&items[2 * start..2 * end]);
            self.out.op("EMC");
            i = end;
        }
        if rise != 0.0 {
            self.out.num(0.0);
            self.out.op("Ts");
        }
    }
}

/// What a page's marked content and links belong to: the structure
/// element of each MCID (index = MCID), and of each link annotation in the
/// page's `/Annots` order (`None`: an artifact's link).
#[derive(Debug, Clone, Default)]
pub(super) struct PageMarks {
    pub mcids: Vec<Tag>,
    pub annots: Vec<AnnotMark>,
}

/// A link annotation's element (`None`: an artifact's link), the text
/// that describes it (`/Contents`: the linked text, else the URI) and the
/// link itself.
#[derive(Debug, Clone)]
pub(super) struct AnnotMark {
    pub tag: Option<Tag>,
    pub text: String,
    pub link: Link,
}

/// A link annotation: its rectangle in PDF space (left, bottom, right,
/// top) and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Link {
    pub rect: [f32; 4],
    pub target: Target,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    Uri(String),
    /// A named place (`#name` without the `#`), as a content stream
    /// leaves it: [`resolve`] makes it the place.
    Named(String),
    /// A place in the document: page index and the distance from the
    /// page's bottom edge.
    Place {
        page: usize,
        top: f32,
    },
}

/// What an item's content is marked as.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    /// Page furniture: running header and footer, watermark.
    Pagination,
    /// Rules and backgrounds inside the text.
    Layout,
    Element(Tag),
}

/// The mark of each item of a page: its tag, except that rules and
/// backgrounds are artifacts (unless they draw a figure, a QR code), and
/// that text under a link's rectangle belongs to a `Link` element of its
/// own, which holds the annotation too.
fn marks(page: &Page, index: usize) -> Vec<Option<Mark>> {
    let mut tags: Vec<Option<Tag>> = Vec::with_capacity(page.items.len());
    let mut tag = Tag::Artifact;
    for item in &page.items {
        if let Item::Tag(t) = item {
            tag = t.clone();
            tags.push(None);
        } else {
            tags.push(Some(tag.clone()));
        }
    }
    for (j, item) in page.items.iter().enumerate() {
        let (Item::Link { x, y, w, h, .. }, Some(t @ Tag::Element(_))) = (item, tags[j].clone())
        else {
            continue;
        };
        let link = t.child(Node::new(Role::Link, ((index as u32) << 16) | j as u32));
        let inside = |r: &TextRun| {
            let (a, b) = (r.x, r.x + r.width());
            r.y >= *y - 0.5 && r.y <= y + h + 0.5 && a >= x - 0.5 && b <= x + w + 0.5 && b > a
        };
        // Back over the runs of the link's line (flow puts a line's links
        // after its runs).
        for k in (0..j).rev() {
            match &page.items[k] {
                Item::Tag(_) => break,
                Item::Text(r) if r.y < *y - 0.5 => break,
                Item::Text(r) if tags[k].as_ref() == Some(&t) && inside(r) => {
                    tags[k] = Some(link.clone());
                }
                _ => {}
            }
        }
        tags[j] = Some(link);
    }
    page.items
        .iter()
        .zip(tags)
        .map(|(item, tag)| {
            let tag = tag?;
            Some(match (item, tag) {
                (_, Tag::Artifact) => Mark::Pagination,
                (Item::Rect { .. } | Item::Line { .. } | Item::Dots { .. }, t)
                    if t.role() != Some(Role::Figure) =>
                {
                    Mark::Layout
                }
                (_, t) => Mark::Element(t),
            })
        })
        .collect()
}

/// The text of a link (its annotation's `/Contents`): the runs of the
/// page marked as its element `own`, a space between runs that stand
/// apart (a contents entry's title and its page number), none between the
/// parts of a word set in two styles.
fn link_text(page: &Page, marks: &[Option<Mark>], own: &Tag) -> String {
    let mut text = String::new();
    let mut last: Option<(f32, f32, f32)> = None;
    for (item, mark) in page.items.iter().zip(marks) {
        let (Item::Text(r), Some(Mark::Element(t))) = (item, mark) else {
            continue;
        };
        if t != own {
            continue;
        }
        let (start, end) = (r.x, r.x + r.width());
        if let Some((y, prev_start, prev_end)) = last {
            // Touching on either side: right-to-left runs go leftwards.
            let touching = (start - prev_end).abs() <= 0.5 || (end - prev_start).abs() <= 0.5;
            let apart = (r.y - y).abs() > 0.5 || !touching;
            if apart && !text.ends_with(char::is_whitespace) {
                text.push(' ');
            }
        }
        text.push_str(&r.text());
        last = Some((r.y, start, end));
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<C> PageOps<'_, C> {
    /// Ends the open marked-content sequence, if any.
    fn end_mark(&mut self, open: &mut Option<Mark>) {
        if open.take().is_some() {
            self.out.op("EMC");
        }
    }

    /// Opens a marked-content sequence for `mark` unless it is open.
    fn begin_mark(&mut self, mark: &Mark, open: &mut Option<Mark>, marks: &mut PageMarks) {
        if open.as_ref() == Some(mark) {
            return;
        }
        self.end_mark(open);
        match mark {
            Mark::Pagination => self
                .out
                .marked("Artifact", &[("Type", Prop::Name("Pagination"))]),
            Mark::Layout => self
                .out
                .marked("Artifact", &[("Type", Prop::Name("Layout"))]),
            Mark::Element(t) => {
                let mcid = marks.mcids.len();
                marks.mcids.push(t.clone());
                let role = t.role().map_or("Span", |r| r.name());
                self.out.marked(role, &[("MCID", Prop::Int(mcid))]);
            }
        }
        *open = Some(mark.clone());
    }
}

/// Makes the `#name` links of `marks` go to their places; `heights` are
/// the pages' heights (`own` that of the links' page).
pub(super) fn resolve(
    marks: &mut PageMarks,
    places: &Places<'_>,
    heights: &[f32],
    own: f32,
) -> Result<()> {
    for annot in &mut marks.annots {
        if let Target::Named(name) = &annot.link.target {
            let a = places
                .get(name.as_str())
                .ok_or_else(|| WriteError::new(format!("link to an unknown place: #{name}")))?;
            let top = heights.get(a.page).copied().unwrap_or(own) - a.y;
            annot.link.target = Target::Place { page: a.page, top };
        }
    }
    Ok(())
}

/// A document's named places by name (the first of a name): a memo of
/// 20,000 cross-references looked each up in a list of 20,000 places.
pub(super) type Places<'a> = std::collections::HashMap<&'a str, &'a Anchor>;

/// The places of `anchors`, for [`page_content`].
pub(super) fn places(anchors: &[Anchor]) -> Places<'_> {
    let mut map = Places::with_capacity(anchors.len());
    for a in anchors {
        map.entry(a.name.as_str()).or_insert(a);
    }
    map
}

/// Page `index`'s content streams that draw something (its personal part
/// and the part every copy shares, when it has both), its link annotations (for printpdf,
/// which writes them into `/Annots`; `#name` links left to [`resolve`])
/// and what its marked content belongs to.
pub(super) fn page_content<'a, C: Cids>(
    page: &Page,
    index: usize,
    fonts: &'a [Option<C>],
    files: &'a [std::sync::Arc<crate::pdf::frame::FontFile>],
    alphas: &mut Vec<u32>,
) -> Result<(Vec<Stream>, PageMarks)> {
    let mut out = PageOps {
        out: Stream {
            bytes: Vec::with_capacity(page.items.len() * 48),
        },
        height: page.height,
        state: GState::default(),
        fonts,
        files,
        items: Vec::new(),
        spacing: Vec::new(),
        cids: Vec::new(),
    };
    let mut marked = PageMarks::default();
    let mut open: Option<Mark> = None;
    let item_marks = marks(page, index);
    let mut parts = Vec::with_capacity(2);
    for (i, (item, mark)) in page.items.iter().zip(&item_marks).enumerate() {
        // What every copy shares is a stream of its own, which starts from
        // the default graphics state, whatever the personal part set.
        if i == page.personal && i > 0 {
            out.end_mark(&mut open);
            parts.push(std::mem::take(&mut out.out));
            out.state = GState::default();
        }
        match (item, mark) {
            (Item::Link { x, y, w, h, uri }, m) => {
                let tag = match m {
                    Some(Mark::Element(t)) => Some(t.clone()),
                    _ => None,
                };
                let text = tag
                    .as_ref()
                    .map(|own| link_text(page, &item_marks, own))
                    .unwrap_or_default();
                let target = match uri.strip_prefix('#') {
                    Some(name) => Target::Named(name.to_string()),
                    None => Target::Uri(uri.clone()),
                };
                let bottom = page.height - y - h;
                marked.annots.push(AnnotMark {
                    tag,
                    text: if text.is_empty() { uri.clone() } else { text },
                    link: Link {
                        rect: [*x, bottom, x + w, bottom + h],
                        target,
                    },
                });
            }
            (
                Item::Rect {
                    fill: None,
                    stroke: None,
                    ..
                },
                _,
            )
            | (Item::Tag(_), _) => {}
            (_, Some(m)) => out.begin_mark(m, &mut open, &mut marked),
            (_, None) => {}
        }
        match item {
            Item::Text(run) => out.text(run, alphas)?,
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let paint = match (fill, stroke) {
                    (Some(_), Some(_)) => "B",
                    (Some(_), None) => "f",
                    (None, Some(_)) => "S",
                    (None, None) => continue,
                };
                if let Some(c) = fill {
                    out.fill(*c);
                }
                if let Some((c, width)) = stroke {
                    out.stroke(*c, *width);
                }
                out.out.nums(&[*x, page.height - y - h, *w, *h]);
                out.out.op("re");
                out.out.op(paint);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                out.stroke(*color, *width);
                out.out.nums(&[*x1, page.height - y1]);
                out.out.op("m");
                out.out.nums(&[*x2, page.height - y2]);
                out.out.op("l");
                out.out.op("S");
            }
            Item::Dots {
                x,
                y,
                size,
                step,
                count,
                color,
            } => {
                if *count == 0 {
                    continue;
                }
                // A line as thick as a dot, dashed dot-on, gap-off from its
                // start (butt caps: square dots), on the dots' middle.
                out.stroke(*color, *size);
                out.out.bytes.push(b'[');
                out.out.nums(&[*size, step - size]);
                out.out.bytes.extend_from_slice(b"] 0 d\n");
                let mid = page.height - y - size / 2.0;
                let end = x + (*count - 1) as f32 * step + size;
                out.out.nums(&[*x, mid]);
                out.out.op("m");
                out.out.nums(&[end, mid]);
                out.out.op("l");
                out.out.op("S");
                out.out.bytes.extend_from_slice(b"[] 0 d\n");
            }
            Item::Image { x, y, w, h, image } => {
                out.out.op("q");
                out.out.nums(&[*w, 0.0, 0.0, *h, *x, page.height - y - h]);
                out.out.op("cm");
                out.out.name(&image_res(image.0).0);
                out.out.op("Do");
                out.out.op("Q");
            }
            Item::Tag(_) | Item::Link { .. } => {}
        }
    }
    out.end_mark(&mut open);
    parts.push(out.out);
    parts.retain(|p| !p.bytes.is_empty());
    Ok((parts, marked))
}

#[cfg(test)]
mod tests {
    use super::{Show, Stream};

    fn written(f: impl FnOnce(&mut Stream)) -> String {
        let mut s = Stream::default();
        f(&mut s);
        String::from_utf8(s.into_bytes()).unwrap()
    }

    #[test]
    fn numbers_are_written_to_a_thousandth_without_trailing_zeros() {
        let cases: &[(f32, &str)] = &[
            (0.0, "0 "),
            (-0.0, "0 "),
            (-0.0001, "0 "),
            (1.0, "1 "),
            (-12.5, "-12.5 "),
            (841.89, "841.89 "),
            (73.70079, "73.701 "),
            (0.05882353, "0.059 "),
            (0.0005, "0.001 "),
            (-0.03, "-0.03 "),
            (1e20, "100000000000000000000 "),
        ];
        for &(v, want) in cases {
            assert_eq!(written(|s| s.num(v)), want, "{v}");
        }
    }

    #[test]
    fn glyphs_between_zero_moves_share_one_string() {
        let items = [
            Show::Move(-3.5),
            Show::Glyph(1),
            Show::Move(0.0),
            Show::Glyph(0x2A),
            Show::Move(12.0),
            Show::Glyph(0xFFFF),
            Show::Move(0.0),
        ];
        assert_eq!(
            written(|s| s.show(&items)),
            "[-3.5 <0001002A>12 <FFFF>] TJ\n"
        );
        assert_eq!(written(|s| s.show(&[])), "");
        assert_eq!(written(|s| s.show(&[Show::Move(0.0)])), "[] TJ\n");
    }

    #[test]
    fn property_lists_hold_text_as_hexadecimal_strings() {
        assert_eq!(
            written(|s| s.marked("Span", &[("ActualText", super::Prop::Text("ﬁ (x)"))])),
            "/Span <</ActualText <FEFFFB010020002800780029>>> BDC\n"
        );
        assert_eq!(
            written(|s| s.marked("P", &[("MCID", super::Prop::Int(7))])),
            "/P <</MCID 7>> BDC\n"
        );
    }
}
