//! A long memo's body written while flow lays it out: each page's content
//! stream is made and deflated as soon as the page is full, and its laid
//! out glyphs let go of, so a memo of thousands of pages never holds all
//! of them at once (a 7.5 MB table held 250 MB of them).
//!
//! What is written is what [`super::write_pdf_shared`] would have made of
//! the same pages: CIDs are given in order of first use, the body's
//! first, as the writer gives them; the streams, marks and links are made
//! by the same code. The PDF is the same, byte for byte. Only TrueType
//! fonts can be written this way (a CFF font's CIDs are its subset's glyph
//! ids, known only once every glyph is); with any other font the body is
//! laid out and written whole, as a short memo's is.

use std::sync::Arc;

use skrifa::raw::FontRef;

use super::content::{self, Cids, PageMarks};
use super::finish::{self, Compressor};
use super::fonts::{self, Used};
use super::Result;
use crate::pdf::frame::{FontFile, Item, Page};

/// The body pages written so far, and the glyphs they draw.
#[derive(Default)]
pub struct WrittenBody {
    /// The (glyph, text) pairs of each font, in order of first use.
    pub(super) used: Vec<Used>,
    /// The `/W` width of each CID of each font (index: CID; 0 is
    /// `.notdef`).
    widths: Vec<Vec<f64>>,
    /// Fill opacities in thousandths, in order of first use (the
    /// document's `/GS` resources start with them).
    pub(super) alphas: Vec<u32>,
    /// The document's index of the first body page (after the cover).
    pub(super) first: usize,
    pub(super) pages: Vec<WrittenPage>,
}

impl std::fmt::Debug for WrittenBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WrittenBody {{ {} pages }}", self.pages.len())
    }
}

/// One body page, written.
#[derive(Clone, Default)]
pub(super) struct WrittenPage {
    /// Its content stream and whether it is deflated; `None` when empty.
    pub(super) stream: Option<(Vec<u8>, bool)>,
    /// What its marked content and links belong to; `#name` links are
    /// left to the writer, which knows where every place is.
    pub(super) marks: PageMarks,
    /// The size each image is drawn at: (index, width, height).
    pub(super) images: Vec<(usize, f32, f32)>,
    /// Each `#name` link's top and target, in order.
    links: Vec<(f32, String)>,
}

impl WrittenBody {
    /// The written page of the document's page `index`, if it is one:
    /// taken from `body` when nothing else holds it (a memo written once),
    /// else copied (each numbered copy of one layout).
    pub(super) fn take_page(body: &mut Arc<WrittenBody>, index: usize) -> Option<WrittenPage> {
        let i = index.checked_sub(body.first)?;
        match Arc::get_mut(body) {
            Some(own) => own.pages.get_mut(i).map(std::mem::take),
            None => body.pages.get(i).cloned(),
        }
    }

    /// Each `#name` link of body page `page` (counted from the first body
    /// page): its top and its target.
    pub fn links(&self, page: usize) -> impl Iterator<Item = (f32, &str)> {
        self.pages
            .get(page)
            .into_iter()
            .flat_map(|p| p.links.iter().map(|(y, uri)| (*y, uri.as_str())))
    }

    /// How many body pages are written.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Writes body pages as flow finishes them.
pub struct BodyWriter {
    files: Vec<Arc<FontFile>>,
    /// How many images the document has (a page's may not name more).
    images: usize,
    z: Compressor,
    body: WrittenBody,
}

/// A font's CIDs as the body has given them so far.
struct UsedCids<'a> {
    used: &'a Used,
    widths: &'a [f64],
}

impl Cids for UsedCids<'_> {
    fn cid(&self, gid: u16, text: &str) -> Option<u16> {
        self.used.cid(gid, text)
    }

    fn width(&self, cid: u16) -> f64 {
        self.widths.get(usize::from(cid)).copied().unwrap_or(0.0)
    }
}

impl BodyWriter {
    /// A writer for the body of a document with fonts `files`, whose body
    /// starts at page `first` (its images are given as they come, by
    /// [`BodyWriter::set_images`]); `None` when a font is not TrueType.
    pub fn new(files: Vec<Arc<FontFile>>, first: usize) -> Option<BodyWriter> {
        if !files.iter().all(|f| fonts::is_truetype(f)) {
            return None;
        }
        let n = files.len();
        Some(BodyWriter {
            files,
            images: 0,
            z: finish::compressor(),
            body: WrittenBody {
                used: vec![Used::default(); n],
                widths: vec![Vec::new(); n],
                first,
                ..WrittenBody::default()
            },
        })
    }

    /// The document has `images` images so far (a page written next may
    /// show any of them).
    pub fn set_images(&mut self, images: usize) {
        self.images = images;
    }

    /// Writes `page`, a body page as flow made it (nothing personal on
    /// it yet), and lets go of its items.
    pub fn write(&mut self, page: &mut Page) -> Result<()> {
        let index = self.body.first + self.body.pages.len();
        super::validate_page(
            &format!("page {}", index + 1),
            page,
            self.files.len(),
            self.images,
            None,
        )?;
        let WrittenBody {
            used,
            widths,
            alphas,
            pages,
            ..
        } = &mut self.body;
        fonts::add_items(used, &page.items, &self.files);
        // The widths of the CIDs just given (`.notdef` first).
        for ((list, w), file) in used.iter().zip(widths.iter_mut()).zip(&self.files) {
            if w.len() > list.len() {
                continue;
            }
            let Ok(face) = FontRef::from_index(&file.data, 0) else {
                continue;
            };
            // CID 0 is `.notdef` (glyph 0), CID n the nth pair's glyph.
            let gids = (w.len()..=list.len()).map(|cid| match cid {
                0 => 0,
                cid => list.gid(cid - 1),
            });
            fonts::push_widths(&face, gids, w);
        }
        let cids: Vec<Option<UsedCids<'_>>> = used
            .iter()
            .zip(widths.iter())
            .map(|(used, widths)| {
                (used.len() > 0).then_some(UsedCids {
                    used,
                    widths: widths.as_slice(),
                })
            })
            .collect();
        let (streams, marks) = content::page_content(page, index, &cids, &self.files, alphas)?;
        // Nothing personal on the page: one stream at most.
        let stream = streams
            .into_iter()
            .next()
            .map(|s| finish::pack(s.into_bytes(), &mut self.z, None));
        let mut images = Vec::new();
        let mut links = Vec::new();
        for item in &page.items {
            match item {
                Item::Image { w, h, image, .. } => images.push((image.0, w.abs(), h.abs())),
                Item::Link { y, uri, .. } if uri.starts_with('#') => links.push((*y, uri.clone())),
                _ => {}
            }
        }
        pages.push(WrittenPage {
            stream,
            marks,
            images,
            links,
        });
        page.items = Vec::new();
        Ok(())
    }

    /// The pages written.
    pub fn finish(self) -> Arc<WrittenBody> {
        Arc::new(self.body)
    }
}
