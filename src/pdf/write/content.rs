//! Page content streams as printpdf operations: text runs with their CIDs
//! and `/ActualText`, rectangles, lines, images and links, skipping
//! repeated graphics state.

use lopdf_printpdf as lo;
use printpdf as pp;

use skrifa::raw::FontRef;

use super::fonts::FontPlan;
use super::{font_res, gs_res, image_res, text_string, Result, WriteError};
use crate::pdf::frame::{Anchor, Item, Node, Page, Rgb, Role, Tag, TextRun};

/// Graphics state already set in the content stream, to skip repeats.
#[derive(Clone, Default)]
struct GState {
    fill: Option<[f32; 3]>,
    stroke: Option<[f32; 3]>,
    line_width: Option<f32>,
    font: Option<(usize, f32)>,
}

struct PageOps<'a> {
    ops: Vec<pp::Op>,
    height: f32,
    state: GState,
    fonts: &'a [Option<FontPlan<'a>>],
    files: &'a [std::sync::Arc<crate::pdf::frame::FontFile>],
}

fn channel(v: f32) -> f32 {
    v.clamp(0.0, 1.0)
}

fn pp_color(c: Rgb) -> pp::Color {
    pp::Color::Rgb(pp::Rgb::new(channel(c.0), channel(c.1), channel(c.2), None))
}

fn key(c: Rgb) -> [f32; 3] {
    [channel(c.0), channel(c.1), channel(c.2)]
}

impl PageOps<'_> {
    fn fill(&mut self, c: Rgb) {
        if self.state.fill != Some(key(c)) {
            self.state.fill = Some(key(c));
            self.ops.push(pp::Op::SetFillColor { col: pp_color(c) });
        }
    }

    fn stroke(&mut self, c: Rgb, width: f32) {
        if self.state.stroke != Some(key(c)) {
            self.state.stroke = Some(key(c));
            self.ops.push(pp::Op::SetOutlineColor { col: pp_color(c) });
        }
        let width = width.max(0.0);
        if self.state.line_width != Some(width) {
            self.state.line_width = Some(width);
            self.ops
                .push(pp::Op::SetOutlineThickness { pt: pp::Pt(width) });
        }
    }

    fn point(&self, x: f32, y: f32) -> pp::LinePoint {
        pp::LinePoint {
            p: pp::Point {
                x: pp::Pt(x),
                y: pp::Pt(self.height - y),
            },
            bezier: false,
        }
    }

    fn rect(&self, x: f32, y: f32, w: f32, h: f32, mode: pp::PaintMode) -> pp::Op {
        pp::Op::DrawRectangle {
            rectangle: pp::Rect {
                x: pp::Pt(x),
                y: pp::Pt(self.height - y - h),
                width: pp::Pt(w),
                height: pp::Pt(h),
                mode: Some(mode),
                winding_order: None,
            },
        }
    }

    fn show(&mut self, codes: &[pp::Codepoint]) {
        if !codes.is_empty() {
            self.ops.push(pp::Op::ShowText {
                items: vec![pp::TextItem::GlyphIds(codes.to_vec())],
            });
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
            self.ops.push(pp::Op::SaveGraphicsState);
            self.ops
                .push(pp::Op::LoadGraphicsState { gs: gs_res(index) });
        }

        self.fill(run.color);
        self.ops.push(pp::Op::StartTextSection);
        if self.state.font != Some((run.font.0, run.size)) {
            self.state.font = Some((run.font.0, run.size));
            self.ops.push(pp::Op::SetFont {
                font: pp::PdfFontHandle::External(font_res(run.font.0)),
                size: pp::Pt(run.size),
            });
        }
        let (sin, cos) = run.rotation.to_radians().sin_cos();
        let (sin, cos) = if run.rotation == 0.0 {
            (0.0, 1.0)
        } else {
            (sin, cos)
        };
        self.ops.push(pp::Op::SetTextMatrix {
            matrix: pp::TextMatrix::Raw([cos, sin, 0.0 - sin, cos, run.x, self.height - run.y]),
        });

        if crate::pdf::layout::bidi::is_rtl_text(&run.text()) {
            let face = self
                .files
                .get(run.font.0)
                .and_then(|f| FontRef::from_index(&f.data, 0).ok());
            self.rtl_run(run, plan, face.as_ref())?;
            self.ops.push(pp::Op::EndTextSection);
            if let Some(saved) = saved {
                self.ops.push(pp::Op::RestoreGraphicsState);
                self.state = saved;
            }
            return Ok(());
        }
        // The viewer advances by the /W width after each glyph; a TJ number
        // after it corrects the pen to our advance (kerning, justification)
        // and to the next glyph's x offset (marks, Nastaliq joins).
        // The pen is tracked in em/1000 so rounding never accumulates;
        // differences under half a unit (the /W rounding) are left out.
        let per_em = 1000.0 / run.size as f64;
        let kern_of = |off: f64| {
            if off.abs() < 0.5 {
                0.0
            } else {
                (off * 100.0).round() / 100.0
            }
        };
        let (mut target, mut pen, mut lead) = (0.0f64, 0.0f64, 0.0f64);
        let mut codes: Vec<pp::Codepoint> = Vec::with_capacity(run.glyphs.len());
        for g in &run.glyphs {
            let cid = plan
                .cids
                .get(g.id, &g.text)
                .ok_or_else(|| WriteError::new("glyph missing from font plan"))?;
            let kern = kern_of(pen - (target + f64::from(g.offset.0) * per_em));
            pen -= kern;
            match codes.last_mut() {
                Some(prev) => prev.offset = kern as f32,
                None => lead = kern,
            }
            let extra = if g.text == " " { run.word_spacing } else { 0.0 };
            target += (g.advance + extra) as f64 * per_em;
            pen += plan.cid_width[cid as usize];
            codes.push(pp::Codepoint {
                gid: cid,
                offset: 0.0,
                // The text of each CID goes into ToUnicode once, when
                // the file is finished: no string per glyph.
                cid: None,
            });
        }
        let kern = kern_of(pen - target);
        if let Some(last) = codes.last_mut() {
            last.offset = kern as f32;
        }
        if lead != 0.0 {
            self.ops.push(pp::Op::ShowText {
                items: vec![pp::TextItem::Offset(lead as f32)],
            });
        }
        if run.glyphs.iter().any(|g| g.offset.1 != 0.0) {
            self.complex_run(run, &codes);
            self.ops.push(pp::Op::EndTextSection);
            if let Some(saved) = saved {
                self.ops.push(pp::Op::RestoreGraphicsState);
                self.state = saved;
            }
            return Ok(());
        }
        // A cluster drawn with several glyphs (text on the first, empty on
        // the rest) is wrapped in an /ActualText span, so extraction gives
        // the cluster text and nothing for the extra glyphs.
        let mut clusters = Vec::new();
        let mut i = 0;
        while i < codes.len() {
            let mut end = i + 1;
            while end < codes.len() && run.glyphs[end].text.is_empty() {
                end += 1;
            }
            if end - i > 1 && !run.glyphs[i].text.is_empty() {
                clusters.push((i, end));
            }
            i = end;
        }
        if clusters.is_empty() {
            self.ops.push(pp::Op::ShowText {
                items: vec![pp::TextItem::GlyphIds(codes)],
            });
        } else {
            let mut start = 0;
            for (i, end) in clusters {
                self.show(&codes[start..i]);
                self.ops.push(pp::Op::BeginMarkedContentWithProperties {
                    tag: "Span".to_string(),
                    properties: actual_text(&run.glyphs[i].text),
                });
                self.show(&codes[i..end]);
                self.ops.push(pp::Op::EndMarkedContent);
                start = end;
            }
            self.show(&codes[start..]);
        }
        self.ops.push(pp::Op::EndTextSection);

        if let Some(saved) = saved {
            self.ops.push(pp::Op::RestoreGraphicsState);
            self.state = saved;
        }
        Ok(())
    }
}

/// One glyph drawn by [`PageOps::rtl_run`]: where its origin goes (em/1000
/// from the run's start) and its text rise in points.
struct Placed {
    cid: u16,
    x: f64,
    rise: f32,
}

impl PageOps<'_> {
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
        plan: &FontPlan<'_>,
        face: Option<&FontRef<'_>>,
    ) -> Result<()> {
        let per_em = 1000.0 / run.size as f64;
        let missing = || WriteError::new("glyph missing from font plan");
        let mut placed: Vec<Placed> = Vec::with_capacity(run.glyphs.len());
        let mut x = 0.0f64;
        for g in &run.glyphs {
            placed.push(Placed {
                cid: plan.cids.get(g.id, "").ok_or_else(missing)?,
                x: x + f64::from(g.offset.0) * per_em,
                rise: g.offset.1,
            });
            let extra = if g.text == " " { run.word_spacing } else { 0.0 };
            x += f64::from(g.advance + extra) * per_em;
        }
        let width = x;
        let mut pen = 0.0f64;
        let mut rise = 0.0f32;
        for p in placed {
            if p.rise != rise {
                rise = p.rise;
                self.ops.push(pp::Op::SetLineOffset { multiplier: rise });
            }
            let adjust = ((pen - p.x) * 100.0).round() / 100.0;
            let mut items = Vec::with_capacity(2);
            if adjust != 0.0 {
                items.push(pp::TextItem::Offset(adjust as f32));
            }
            pen -= adjust;
            items.push(pp::TextItem::GlyphIds(vec![pp::Codepoint {
                gid: p.cid,
                offset: 0.0,
                cid: None,
            }]));
            pen += plan.cid_width[p.cid as usize];
            self.ops.push(pp::Op::ShowText { items });
        }
        if rise != 0.0 {
            self.ops.push(pp::Op::SetLineOffset { multiplier: 0.0 });
        }
        // The text layer: characters in visual order, side by side, scaled
        // to the run's width.
        let mut codes = Vec::new();
        let mut natural = 0.0f64;
        for g in &run.glyphs {
            for (i, c) in g.text.char_indices().rev() {
                let gid = super::fonts::hidden_gid(face, c, g.id);
                let cid = plan
                    .cids
                    .get(gid, &g.text[i..i + c.len_utf8()])
                    .ok_or_else(missing)?;
                natural += plan.cid_width[cid as usize];
                codes.push(pp::Codepoint {
                    gid: cid,
                    offset: 0.0,
                    // The text of each CID goes into ToUnicode once, when
                    // the file is finished: no string per glyph.
                    cid: None,
                });
            }
        }
        if codes.is_empty() || natural <= 0.0 {
            return Ok(());
        }
        // Back to the run's start before scaling (Tz scales TJ numbers too).
        let back = ((pen * 100.0).round() / 100.0) as f32;
        self.ops.push(pp::Op::ShowText {
            items: vec![pp::TextItem::Offset(back)],
        });
        self.ops.push(pp::Op::SetTextRenderingMode {
            mode: pp::TextRenderingMode::Invisible,
        });
        self.ops.push(pp::Op::SetHorizontalScaling {
            percent: ((width / natural * 100.0 * 100.0).round() / 100.0) as f32,
        });
        self.ops.push(pp::Op::ShowText {
            items: vec![pp::TextItem::GlyphIds(codes)],
        });
        self.ops
            .push(pp::Op::SetHorizontalScaling { percent: 100.0 });
        self.ops.push(pp::Op::SetTextRenderingMode {
            mode: pp::TextRenderingMode::Fill,
        });
        Ok(())
    }

    /// A run with raised or lowered glyphs:
    /// the text rise (`Ts`) changes between glyphs, and each word (glyphs
    /// between spaces) is an `/ActualText` span holding its text in logical
    /// order, so extraction and copy-paste give the words as written
    /// whatever order and height their glyphs are drawn in.
    fn complex_run(&mut self, run: &TextRun, codes: &[pp::Codepoint]) {
        let rtl = false;
        let mut rise = 0.0f32;
        let mut i = 0;
        while i < codes.len() {
            if run.glyphs[i].text == " " {
                if rise != 0.0 {
                    rise = 0.0;
                    self.ops.push(pp::Op::SetLineOffset { multiplier: 0.0 });
                }
                self.show(&codes[i..i + 1]);
                i += 1;
                continue;
            }
            let mut end = i;
            while end < codes.len() && run.glyphs[end].text != " " {
                end += 1;
            }
            let word = &run.glyphs[i..end];
            // Glyphs are in visual order; a right-to-left word's clusters
            // read from the last to the first.
            let text: String = if rtl {
                word.iter().rev().map(|g| g.text.as_str()).collect()
            } else {
                word.iter().map(|g| g.text.as_str()).collect()
            };
            self.ops.push(pp::Op::BeginMarkedContentWithProperties {
                tag: "Span".to_string(),
                properties: actual_text(&text),
            });
            let mut start = i;
            for (k, g) in word.iter().enumerate() {
                if g.offset.1 != rise {
                    self.show(&codes[start..i + k]);
                    start = i + k;
                    rise = g.offset.1;
                    self.ops.push(pp::Op::SetLineOffset { multiplier: rise });
                }
            }
            self.show(&codes[start..end]);
            self.ops.push(pp::Op::EndMarkedContent);
            i = end;
        }
        if rise != 0.0 {
            self.ops.push(pp::Op::SetLineOffset { multiplier: 0.0 });
        }
    }
}

/// The property list `<< /ActualText (text) >>`.
fn actual_text(text: &str) -> pp::DictItem {
    let data = match text_string(text) {
        lo::Object::String(data, _) => data,
        _ => Vec::new(),
    };
    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "ActualText".to_string(),
        pp::DictItem::String {
            data,
            literal: false,
        },
    );
    pp::DictItem::Dict { map }
}

/// What a page's marked content and links belong to: the structure
/// element of each MCID (index = MCID), and of each link annotation in the
/// page's `/Annots` order (`None`: an artifact's link).
#[derive(Debug, Default)]
pub(super) struct PageMarks {
    pub mcids: Vec<Tag>,
    pub annots: Vec<AnnotMark>,
}

/// A link annotation's element (`None`: an artifact's link) and the text
/// that describes it (`/Contents`): the linked text, else the URI.
#[derive(Debug)]
pub(super) struct AnnotMark {
    pub tag: Option<Tag>,
    pub text: String,
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
                (Item::Rect { .. } | Item::Line { .. }, t) if t.role() != Some(Role::Figure) => {
                    Mark::Layout
                }
                (_, t) => Mark::Element(t),
            })
        })
        .collect()
}

impl PageOps<'_> {
    /// Ends the open marked-content sequence, if any.
    fn end_mark(&mut self, open: &mut Option<Mark>) {
        if open.take().is_some() {
            self.ops.push(pp::Op::EndMarkedContent);
        }
    }

    /// Opens a marked-content sequence for `mark` unless it is open.
    fn begin_mark(&mut self, mark: &Mark, open: &mut Option<Mark>, marks: &mut PageMarks) {
        if open.as_ref() == Some(mark) {
            return;
        }
        self.end_mark(open);
        let name = |n: &str| pp::DictItem::Name(n.as_bytes().to_vec());
        let (tag, props) = match mark {
            Mark::Pagination | Mark::Layout => {
                let kind = if *mark == Mark::Pagination {
                    "Pagination"
                } else {
                    "Layout"
                };
                let mut map = std::collections::BTreeMap::new();
                map.insert("Type".to_string(), name(kind));
                ("Artifact".to_string(), map)
            }
            Mark::Element(t) => {
                let mut map = std::collections::BTreeMap::new();
                map.insert(
                    "MCID".to_string(),
                    pp::DictItem::Int(marks.mcids.len() as i64),
                );
                marks.mcids.push(t.clone());
                (t.role().map_or("Span", |r| r.name()).to_string(), map)
            }
        };
        self.ops.push(pp::Op::BeginMarkedContentWithProperties {
            tag,
            properties: pp::DictItem::Dict { map: props },
        });
        *open = Some(mark.clone());
    }
}

/// The operations of page `index` and what its marked content belongs to.
/// `#name` links go to their anchor; `heights` are the pages' heights.
#[allow(clippy::too_many_arguments)]
pub(super) fn page_ops<'a>(
    page: &Page,
    index: usize,
    anchors: &[Anchor],
    heights: &[f32],
    fonts: &'a [Option<FontPlan<'a>>],
    files: &'a [std::sync::Arc<crate::pdf::frame::FontFile>],
    alphas: &mut Vec<u32>,
) -> Result<(Vec<pp::Op>, PageMarks)> {
    let mut out = PageOps {
        ops: Vec::with_capacity(page.items.len() * 6),
        height: page.height,
        state: GState::default(),
        fonts,
        files,
    };
    let mut marked = PageMarks::default();
    let mut open: Option<Mark> = None;
    let item_marks = marks(page, index);
    for (item, mark) in page.items.iter().zip(&item_marks) {
        match (item, mark) {
            (Item::Link { uri, .. }, m) => {
                let tag = match m {
                    Some(Mark::Element(t)) => Some(t.clone()),
                    _ => None,
                };
                let text: String = page
                    .items
                    .iter()
                    .zip(&item_marks)
                    .filter_map(|(it, mk)| match (it, mk, &tag) {
                        (Item::Text(r), Some(Mark::Element(t)), Some(own)) if t == own => {
                            Some(r.text())
                        }
                        _ => None,
                    })
                    .collect();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                marked.annots.push(AnnotMark {
                    tag,
                    text: if text.is_empty() { uri.clone() } else { text },
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
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => pp::PaintMode::FillStroke,
                    (Some(_), None) => pp::PaintMode::Fill,
                    (None, Some(_)) => pp::PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(c) = fill {
                    out.fill(*c);
                }
                if let Some((c, width)) = stroke {
                    out.stroke(*c, *width);
                }
                let op = out.rect(*x, *y, *w, *h, mode);
                out.ops.push(op);
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
                let line = pp::Line {
                    points: vec![out.point(*x1, *y1), out.point(*x2, *y2)],
                    is_closed: false,
                };
                out.ops.push(pp::Op::DrawLine { line });
            }
            Item::Image { x, y, w, h, image } => {
                let bottom = page.height - y - h;
                out.ops.push(pp::Op::SaveGraphicsState);
                out.ops.push(pp::Op::SetTransformationMatrix {
                    matrix: pp::CurTransMat::Raw([*w, 0.0, 0.0, *h, *x, bottom]),
                });
                out.ops.push(pp::Op::UseXobject {
                    id: image_res(image.0),
                    transform: pp::XObjectTransform {
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
                out.ops.push(pp::Op::RestoreGraphicsState);
            }
            Item::Tag(_) => {}
            Item::Link { x, y, w, h, uri } => {
                let rect = pp::Rect::from_xywh(
                    pp::Pt(*x),
                    pp::Pt(page.height - y - h),
                    pp::Pt(*w),
                    pp::Pt(*h),
                );
                let action = match uri.strip_prefix('#') {
                    Some(name) => {
                        let a = anchors.iter().find(|a| a.name == name).ok_or_else(|| {
                            WriteError::new(format!("link to an unknown place: {uri}"))
                        })?;
                        let top = heights.get(a.page).copied().unwrap_or(page.height) - a.y;
                        pp::Actions::Goto(pp::Destination::Xyz {
                            page: a.page + 1,
                            left: Some(0.0),
                            top: Some(top),
                            zoom: None,
                        })
                    }
                    None => pp::Actions::Uri(uri.clone()),
                };
                let link = pp::LinkAnnotation::new(
                    rect,
                    action,
                    Some(pp::BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(pp::ColorArray::Transparent),
                    None,
                );
                out.ops.push(pp::Op::LinkAnnotation { link });
            }
        }
    }
    out.end_mark(&mut open);
    Ok((out.ops, marked))
}
