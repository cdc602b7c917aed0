//! Images in the memo: Markdown images as blocks with captions, and
//! decoding PNG and JPEG files into [`ImageData`].

use std::sync::Arc;

use crate::error::Error;
use crate::pdf::frame::{ImageData, ImageId};
use crate::pdf::layout::{Align, Block, ParaStyle};

use super::Composer;

impl Composer<'_> {
    pub(super) fn image(&self, src: &str, alt: &str, out: &mut Vec<Block>) -> Result<(), Error> {
        let Some(key) = crate::content::validate::asset_key(&self.brief.path, src) else {
            return Ok(());
        };
        let Some(asset) = self.project.assets.iter().find(|a| a.rel == key) else {
            return Ok(());
        };
        let bytes =
            std::fs::read(&asset.abs).map_err(|e| Error::io(&asset.abs, "read image", &e))?;
        let data = decode_image(bytes).map_err(|m| Error::in_file(format!("content/{key}"), m))?;
        let (pw, ph) = match &data {
            ImageData::Jpeg { width, height, .. } | ImageData::Rgb8 { width, height, .. } => {
                (*width as f32, *height as f32)
            }
        };
        // Images are taken at 150 dpi; flow scales down to the measure.
        let (w, h) = (pw * 72.0 / 150.0, ph * 72.0 / 150.0);
        let mut images = self.images.lock().unwrap_or_else(|p| p.into_inner());
        let id = ImageId(images.len());
        images.push(Arc::new(data));
        let caption = (!alt.is_empty()).then(|| {
            (
                vec![self.span(
                    alt,
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
        out.push(Block::Image {
            id,
            width: w,
            height: h,
            caption,
            space_before: 6.0,
            space_after: 12.0,
        });
        Ok(())
    }
}

/// Reads a PNG (decoded to RGB + alpha) or JPEG (kept as it is).
pub fn decode_image(bytes: Vec<u8>) -> Result<ImageData, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let (width, height, components) = jpeg_info(&bytes).ok_or("cannot read this JPEG file")?;
        return Ok(ImageData::Jpeg {
            bytes: Arc::new(bytes),
            width,
            height,
            components,
        });
    }
    if bytes.starts_with(b"\x89PNG") {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder
            .read_info()
            .map_err(|e| format!("cannot read this PNG file: {e}"))?;
        let size = reader
            .output_buffer_size()
            .ok_or("PNG image is too large")?;
        if size > 200_000_000 {
            return Err("PNG image is too large".into());
        }
        let mut buf = vec![0; size];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| format!("cannot read this PNG file: {e}"))?;
        let (w, h) = (info.width, info.height);
        let px = (w * h) as usize;
        let mut pixels = Vec::with_capacity(px * 3);
        let mut alpha = Vec::new();
        let data = &buf[..info.buffer_size()];
        match info.color_type {
            png::ColorType::Rgb => pixels.extend_from_slice(data),
            png::ColorType::Rgba => {
                for c in data.chunks_exact(4) {
                    pixels.extend_from_slice(&c[..3]);
                    alpha.push(c[3]);
                }
            }
            png::ColorType::Grayscale => {
                for g in data {
                    pixels.extend_from_slice(&[*g, *g, *g]);
                }
            }
            png::ColorType::GrayscaleAlpha => {
                for c in data.chunks_exact(2) {
                    pixels.extend_from_slice(&[c[0], c[0], c[0]]);
                    alpha.push(c[1]);
                }
            }
            png::ColorType::Indexed => return Err("indexed PNG could not be expanded".into()),
        }
        let alpha = (!alpha.is_empty() && alpha.iter().any(|a| *a != 255)).then_some(alpha);
        return Ok(ImageData::Rgb8 {
            pixels,
            alpha,
            width: w,
            height: h,
        });
    }
    Err("not a PNG or JPEG file".into())
}

/// Width, height and components from a JPEG's start-of-frame marker.
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            let comps = b[i + 9];
            return (w > 0 && h > 0).then_some((w, h, comps));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_size_from_sof() {
        // A minimal SOF0 segment: 8-bit, 3x2 pixels, 3 components.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
        ];
        assert_eq!(jpeg_info(&jpeg), Some((3, 2, 3)));
    }
}
