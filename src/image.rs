//! Images of a project: PNG decoded to RGB (+ alpha), JPEG checked and
//! kept as it is. Each image is decoded once, when the project is loaded,
//! and shared by the site, the memos and their copies; a memo that places
//! an image smaller than its pixels need gets a [`ImageData::downsampled`]
//! copy.

use std::sync::Arc;

/// The most pixels one image may have (a 12,000 × 8,000 photograph).
pub const MAX_PIXELS: u64 = 96_000_000;

/// The most pixels all the images of one project may have together.
pub const MAX_TOTAL_PIXELS: u64 = 400_000_000;

/// An image ready to embed: a JPEG as it is, or decoded RGB pixels.
#[derive(Debug)]
pub enum ImageData {
    /// A JPEG file, embedded as it is (DCT).
    Jpeg {
        bytes: Arc<Vec<u8>>,
        width: u32,
        height: u32,
        /// 1 (grey), 3 (RGB) or 4 (CMYK).
        components: u8,
    },
    /// Decoded 8-bit RGB pixels, with an optional 8-bit alpha channel.
    Rgb8 {
        pixels: Vec<u8>,
        alpha: Option<Vec<u8>>,
        width: u32,
        height: u32,
    },
}

impl ImageData {
    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            ImageData::Jpeg { width, height, .. } | ImageData::Rgb8 { width, height, .. } => {
                (*width, *height)
            }
        }
    }
}

/// JPEG quality of a downsampled photograph: no visible loss in print.
pub const JPEG_QUALITY: u8 = 88;

impl ImageData {
    /// The image resampled to `width` × `height` pixels (Catmull-Rom, as
    /// sharp as Lanczos3 to the eye at print sizes and faster): a JPEG
    /// decoded, resampled and encoded again as a JPEG (grey stays grey,
    /// CMYK becomes RGB); RGB pixels resampled with their alpha, colours
    /// weighted by alpha so transparent pixels do not bleed into the edges.
    pub fn downsampled(&self, width: u32, height: u32) -> Result<ImageData, String> {
        use image::DynamicImage;
        let (width, height) = (width.max(1), height.max(1));
        // `DynamicImage`'s resize is compiled (and optimised) with the
        // `image` crate, not instantiated here.
        let resize = |img: DynamicImage| {
            // Three times the target or more: averaged down to twice its
            // size first (fast), so the filter's work stays small.
            let img = if img.width() >= 3 * width && img.height() >= 3 * height {
                img.thumbnail_exact(2 * width, 2 * height)
            } else {
                img
            };
            img.resize_exact(width, height, image::imageops::FilterType::CatmullRom)
        };
        match self {
            ImageData::Jpeg { bytes, .. } => {
                let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| format!("cannot read this JPEG file: {e}"))?;
                let mut out = Vec::new();
                let mut encoder =
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
                let grey = matches!(img, DynamicImage::ImageLuma8(_));
                // `encode`, not the generic `encode_image`: see `resize`.
                let written = if grey {
                    let small = resize(img).into_luma8();
                    encoder.encode(&small, width, height, image::ExtendedColorType::L8)
                } else {
                    let small = resize(img).into_rgb8();
                    encoder.encode(&small, width, height, image::ExtendedColorType::Rgb8)
                };
                written.map_err(|e| format!("cannot write a smaller copy of this JPEG: {e}"))?;
                Ok(ImageData::Jpeg {
                    bytes: Arc::new(out),
                    width,
                    height,
                    components: if grey { 1 } else { 3 },
                })
            }
            ImageData::Rgb8 {
                pixels,
                alpha,
                width: w,
                height: h,
            } => {
                let bad = || "image data does not match its size".to_string();
                let Some(alpha) = alpha else {
                    let img = image::RgbImage::from_raw(*w, *h, pixels.clone()).ok_or_else(bad)?;
                    return Ok(ImageData::Rgb8 {
                        pixels: resize(DynamicImage::ImageRgb8(img)).into_rgb8().into_raw(),
                        alpha: None,
                        width,
                        height,
                    });
                };
                if alpha.len() * 3 != pixels.len() {
                    return Err(bad());
                }
                // Premultiplied, so a transparent pixel's colour weighs
                // nothing in its neighbours.
                let mut rgba = Vec::with_capacity(alpha.len() * 4);
                for (c, &a) in pixels.chunks_exact(3).zip(alpha) {
                    let pre = |v: u8| ((u16::from(v) * u16::from(a) + 127) / 255) as u8;
                    rgba.extend_from_slice(&[pre(c[0]), pre(c[1]), pre(c[2]), a]);
                }
                let img = image::RgbaImage::from_raw(*w, *h, rgba).ok_or_else(bad)?;
                let small = resize(DynamicImage::ImageRgba8(img))
                    .into_rgba8()
                    .into_raw();
                let mut pixels = Vec::with_capacity(small.len() / 4 * 3);
                let mut alpha = Vec::with_capacity(small.len() / 4);
                for p in small.chunks_exact(4) {
                    let a = p[3];
                    let un = |v: u8| match a {
                        0 => 0,
                        _ => {
                            ((u32::from(v) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8
                        }
                    };
                    pixels.extend_from_slice(&[un(p[0]), un(p[1]), un(p[2])]);
                    alpha.push(a);
                }
                let alpha = alpha.iter().any(|a| *a != 255).then_some(alpha);
                Ok(ImageData::Rgb8 {
                    pixels,
                    alpha,
                    width,
                    height,
                })
            }
        }
    }
}

/// Checks a PNG or JPEG as [`decode`] does, keeping nothing: for a
/// picture that is published as it is and whose pixels no memo needs (the
/// site's share card). A PNG's rows are read one at a time, unexpanded,
/// so its data and checksums are all read in a fraction of the time and
/// memory a decode takes.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg_checked(bytes).map(|_| ());
    }
    if bytes.starts_with(b"\x89PNG") {
        let mut reader = png_reader(std::io::Cursor::new(bytes), png::Transformations::IDENTITY)?;
        let bad = |e: png::DecodingError| format!("cannot read this PNG file: {e}");
        while reader.next_row().map_err(bad)?.is_some() {}
        return reader.finish().map_err(bad);
    }
    Err("not a PNG or JPEG file".into())
}

/// A JPEG's width, height and components, if it is whole and not too large.
fn jpeg_checked(bytes: &[u8]) -> Result<(u32, u32, u8), String> {
    let (width, height, components) = jpeg_info(bytes).ok_or(
        "cannot read this JPEG file: it has no image size, no image data or no end marker",
    )?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "JPEG image is too large ({width} × {height} pixels)"
        ));
    }
    Ok((width, height, components))
}

/// A PNG reader past the header, for an image that is not too large.
fn png_reader<R: std::io::BufRead + std::io::Seek>(
    bytes: R,
    transformations: png::Transformations,
) -> Result<png::Reader<R>, String> {
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(transformations);
    let reader = decoder
        .read_info()
        .map_err(|e| format!("cannot read this PNG file: {e}"))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!("PNG image is too large ({w} × {h} pixels)"));
    }
    Ok(reader)
}

/// Reads a PNG (decoded to RGB + alpha) or JPEG (kept as it is).
pub fn decode(bytes: Vec<u8>) -> Result<ImageData, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let (width, height, components) = jpeg_checked(&bytes)?;
        return Ok(ImageData::Jpeg {
            bytes: Arc::new(bytes),
            width,
            height,
            components,
        });
    }
    if bytes.starts_with(b"\x89PNG") {
        let mut reader = png_reader(
            std::io::Cursor::new(bytes),
            png::Transformations::EXPAND | png::Transformations::STRIP_16,
        )?;
        let size = reader
            .output_buffer_size()
            .ok_or("PNG image is too large")?;
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

/// Width, height and components from a JPEG's start-of-frame marker, if
/// the file also has scan data and ends with its end-of-image marker (a
/// header alone would embed as a broken picture).
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    let mut size = None;
    while i + 3 < b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let sof = b.get(i + 5..i + 10)?;
            let h = u16::from_be_bytes([sof[0], sof[1]]) as u32;
            let w = u16::from_be_bytes([sof[2], sof[3]]) as u32;
            size = (w > 0 && h > 0).then_some((w, h, sof[4]));
        }
        if marker == 0xDA {
            // Start of scan: entropy-coded data follows, then FFD9.
            let data = b.get(i + 2 + len..)?;
            let ends = b.len() >= 2 && b[b.len() - 2..] == [0xFF, 0xD9]
                || data.windows(2).rev().take(64).any(|w| w == [0xFF, 0xD9]);
            return if data.len() > 2 && ends { size } else { None };
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_size_from_sof_and_refused_without_data() {
        // A minimal SOF0 segment: 8-bit, 3x2 pixels, 3 components.
        let header = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
        ];
        assert_eq!(jpeg_info(&header), None, "a header alone is no picture");
        let mut jpeg = header[..header.len() - 2].to_vec();
        jpeg.extend_from_slice(&[0, 0, 0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 4, 0xFF, 0xD9]);
        assert_eq!(jpeg_info(&jpeg), Some((3, 2, 3)));
        let truncated = &jpeg[..jpeg.len() - 2];
        assert_eq!(jpeg_info(truncated), None, "no end marker");
    }

    #[test]
    fn a_huge_png_is_refused_before_decoding() {
        fn crc(data: &[u8]) -> u32 {
            let mut c = 0xFFFF_FFFFu32;
            for &b in data {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        (c >> 1) ^ 0xEDB8_8320
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        fn chunk(png: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = png.len();
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            let sum = crc(&png[start..]);
            png.extend_from_slice(&sum.to_be_bytes());
        }
        // A 100000 x 100000 picture with no pixel data: refused from its header.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &[]);
        chunk(&mut png, b"IEND", &[]);
        let e = decode(png).unwrap_err();
        assert!(e.contains("too large"), "{e}");
    }

    #[test]
    fn downsampling_keeps_transparent_colours_out_of_the_edges() {
        // Left half transparent red, right half opaque blue.
        let (w, h) = (8u32, 4u32);
        let mut pixels = Vec::new();
        let mut alpha = Vec::new();
        for _ in 0..h {
            for x in 0..w {
                let left = x < w / 2;
                pixels.extend_from_slice(if left { &[255, 0, 0] } else { &[0, 0, 255] });
                alpha.push(if left { 0 } else { 255 });
            }
        }
        let image = ImageData::Rgb8 {
            pixels,
            alpha: Some(alpha),
            width: w,
            height: h,
        };
        let ImageData::Rgb8 {
            pixels,
            alpha,
            width,
            height,
        } = image.downsampled(4, 2).unwrap()
        else {
            panic!("RGB stays RGB");
        };
        assert_eq!((width, height), (4, 2));
        let alpha = alpha.expect("the alpha channel is kept");
        for (c, a) in pixels.chunks_exact(3).zip(&alpha) {
            if *a > 0 {
                assert!(
                    c[0] < 8 && c[2] > 240,
                    "no red in a visible pixel: {c:?} at {a}"
                );
            }
        }
        assert_eq!(alpha[0], 0);
        assert_eq!(alpha[3], 255);
    }

    #[test]
    fn a_downsampled_jpeg_is_a_jpeg_of_the_new_size() {
        let (w, h) = (64u32, 48u32);
        let grey: Vec<u8> = (0..w * h).map(|i| (i % w * 4) as u8).collect();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode(&grey, w, h, image::ExtendedColorType::L8)
            .unwrap();
        let small = decode(jpeg).unwrap().downsampled(16, 12).unwrap();
        let ImageData::Jpeg {
            bytes, components, ..
        } = &small
        else {
            panic!("a JPEG stays a JPEG");
        };
        assert_eq!(
            (small.size(), *components),
            ((16, 12), 1),
            "grey stays grey"
        );
        assert_eq!(decode(bytes.to_vec()).unwrap().size(), (16, 12));
    }
}
