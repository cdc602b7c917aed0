//! Images in the memo: Markdown images as blocks with captions (the
//! pictures themselves were decoded when the project was loaded).

use std::sync::Arc;

use crate::error::Error;
use crate::pdf::frame::{ImageId, Role, Tag};
use crate::pdf::layout::{Align, Block, ParaStyle};

use super::out::Out;
use super::Composer;

impl Composer<'_> {
    /// The image `src` as a figure under `parent`: its alt text the
    /// alternative description, `caption` (its title, else its alt text)
    /// under it.
    pub(super) fn image(
        &self,
        src: &str,
        alt: &str,
        caption: &str,
        parent: Option<&Tag>,
        out: &mut Out,
    ) -> Result<(), Error> {
        let Some(key) = crate::content::validate::asset_key(&self.brief.path, src) else {
            return Ok(());
        };
        let Some(asset) = self.project.asset(&key) else {
            return Ok(());
        };
        // Read and decoded once, when the project was loaded.
        let Some(data) = asset.image.clone() else {
            return Ok(());
        };
        let (pw, ph) = data.size();
        let (pw, ph) = (pw as f32, ph as f32);
        // Images are taken at 150 dpi; flow scales down to the measure.
        let (w, h) = (pw * 72.0 / 150.0, ph * 72.0 / 150.0);
        let mut images = self.images.lock().unwrap_or_else(|p| p.into_inner());
        // A picture placed again (or the logo placed in the text) is the
        // same image: embedded once, at the size its largest placement
        // needs. The list holds each picture once, so this search is over
        // the few distinct pictures of the memo.
        let id = match images.iter().position(|i| Arc::ptr_eq(i, &data)) {
            Some(at) => ImageId(at),
            None => {
                images.push(data);
                ImageId(images.len() - 1)
            }
        };
        let caption = (!caption.is_empty()).then(|| {
            (
                vec![self.span(
                    caption,
                    self.fonts.sans_italic,
                    self.style.body - 2.0,
                    self.style.muted,
                )],
                ParaStyle {
                    align: Align::Center,
                    leading: (self.style.body - 2.0) * 1.4,
                    hyphenate: false,
                    space_after: 0.0,
                    ..Default::default()
                },
            )
        });
        let mut figure = self.node(Role::Figure);
        figure.alt = Some(if alt.trim().is_empty() {
            "Image".into()
        } else {
            alt.trim().into()
        });
        out.push(Block::Tag(Tag::under(parent, figure)));
        out.push(Block::Image {
            id,
            width: w,
            height: h,
            caption: caption.map(Box::new),
            space_before: 6.0,
            space_after: 12.0,
        });
        Ok(())
    }
}
