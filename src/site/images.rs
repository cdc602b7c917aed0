//! Pictures for the web: each image a brief or page shows is published in
//! a few widths (480, 960 and 1600 pixels, never wider than the original)
//! for `srcset`, photographs re-encoded as JPEG at quality 82, so phones
//! load what they can show and no original is published larger than
//! needed.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};

/// Widths offered in `srcset`; the widest variant is at most the last.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// One published width of a picture.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site path, fingerprinted (`assets/map-960.1a2b3c4d5e.jpg`).
    pub path: String,
}

/// The widths of the picture at `rel` (e.g. `assets/map.jpg`) with their
/// bytes, narrowest first. A picture at most 1600 pixels wide keeps its
/// original file as its widest variant.
pub fn variants(rel: &str, bytes: &[u8]) -> Result<Vec<(Variant, Vec<u8>)>, String> {
    let format =
        image::guess_format(bytes).map_err(|e| format!("cannot read this picture: {e}"))?;
    let img = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| format!("cannot read this picture: {e}"))?;
    let (w, h) = (img.width(), img.height());
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, "png"));
    let widest = WIDTHS[WIDTHS.len() - 1];
    let mut out = Vec::new();
    for &target in WIDTHS.iter().filter(|&&t| t < w.min(widest)) {
        out.push(encode(&img, format, target, stem, ext)?);
    }
    if w <= widest {
        let path = format!("{stem}-{w}.{}.{ext}", super::assets::fingerprint(bytes));
        out.push((
            Variant {
                width: w,
                height: h,
                path,
            },
            bytes.to_vec(),
        ));
    } else {
        out.push(encode(&img, format, widest, stem, ext)?);
    }
    Ok(out)
}

fn encode(
    img: &DynamicImage,
    format: ImageFormat,
    width: u32,
    stem: &str,
    ext: &str,
) -> Result<(Variant, Vec<u8>), String> {
    let height = ((u64::from(img.height()) * u64::from(width) + u64::from(img.width()) / 2)
        / u64::from(img.width()))
    .max(1) as u32;
    let small = img.resize_exact(width, height, FilterType::Lanczos3);
    let mut bytes = Vec::new();
    if format == ImageFormat::Jpeg {
        JpegEncoder::new_with_quality(&mut bytes, 82)
            .encode_image(&small.to_rgb8())
            .map_err(|e| format!("cannot write a smaller copy of this picture: {e}"))?;
    } else {
        small
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|e| format!("cannot write a smaller copy of this picture: {e}"))?;
    }
    let path = format!(
        "{stem}-{width}.{}.{ext}",
        super::assets::fingerprint(&bytes)
    );
    Ok((
        Variant {
            width,
            height,
            path,
        },
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn widths_never_exceed_the_original_or_1600() {
        let small = variants("assets/a.png", &png(700, 350)).unwrap();
        let widths: Vec<u32> = small.iter().map(|(v, _)| v.width).collect();
        assert_eq!(widths, [480, 700]);
        assert_eq!(small[0].0.height, 240);
        assert!(small[1].0.path.starts_with("assets/a-700."));
        let large = variants("assets/b.png", &png(3000, 1500)).unwrap();
        let widths: Vec<u32> = large.iter().map(|(v, _)| v.width).collect();
        assert_eq!(widths, [480, 960, 1600]);
        assert_eq!(large[2].0.height, 800);
        let decoded = image::load_from_memory(&large[2].1).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (1600, 800));
    }
}
