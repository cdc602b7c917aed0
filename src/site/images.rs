//! Pictures for the web: each image a brief or page shows is published in
//! a few widths (480, 960 and 1600 pixels, never wider than the original)
//! for `srcset`, photographs re-encoded as JPEG at quality 82, so phones
//! load what they can show and no original is published larger than
//! needed.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

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

/// Where a build records the widths it made of each picture, relative to
/// the output folder (beside `site/`, so never published).
pub const RECORD: &str = ".pictures";

/// The widths a previous build made, by picture (asset path and the
/// SHA-256 of its bytes): a picture that has not changed is read back from
/// that build's site instead of being decoded, resized and encoded again.
#[derive(Debug, Default)]
pub struct Previous {
    site: PathBuf,
    made: HashMap<(String, String), Vec<Variant>>,
}

impl Previous {
    /// What the output folder `out` recorded; nothing when it recorded
    /// nothing readable (every picture is then made again).
    pub fn read(out: &Path) -> Previous {
        let mut made: HashMap<(String, String), Vec<Variant>> = HashMap::new();
        let text = crate::files::read_regular_string(&out.join(RECORD)).unwrap_or_default();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let [sha, width, height, path, rel] = f[..] else {
                continue;
            };
            let (Ok(width), Ok(height)) = (width.parse(), height.parse()) else {
                continue;
            };
            made.entry((rel.to_string(), sha.to_string()))
                .or_default()
                .push(Variant {
                    width,
                    height,
                    path: path.to_string(),
                });
        }
        Previous {
            site: out.join("site"),
            made,
        }
    }

    /// The widths of the picture `rel` whose bytes have the SHA-256 `sha`,
    /// with their bytes read back, when the previous build made them and
    /// each file is still what its fingerprinted name says.
    fn take(&self, rel: &str, sha: &str) -> Option<Vec<(Variant, Vec<u8>)>> {
        let list = self.made.get(&(rel.to_string(), sha.to_string()))?;
        let mut out = Vec::with_capacity(list.len());
        for v in list {
            let named = v.path.rsplit('.').nth(1)?;
            if v.path
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
            {
                return None;
            }
            let bytes = crate::files::read_regular(&self.site.join(&v.path)).ok()?;
            if super::assets::fingerprint(&bytes) != named {
                return None;
            }
            out.push((v.clone(), bytes));
        }
        (!out.is_empty()).then_some(out)
    }
}

/// The widths of the picture at `rel` with the SHA-256 `sha`: taken from
/// `previous` when it made them from the same bytes, else made.
pub fn variants_reusing(
    rel: &str,
    bytes: &[u8],
    sha: &str,
    previous: &Previous,
) -> Result<Vec<(Variant, Vec<u8>)>, String> {
    match previous.take(rel, sha) {
        Some(made) => Ok(made),
        None => variants(rel, bytes),
    }
}

/// The record of the pictures made (`(asset path, SHA-256, widths)`):
/// `<sha256>\t<width>\t<height>\t<site path>\t<asset path>` lines.
pub fn record<'a>(made: impl Iterator<Item = (&'a str, &'a str, &'a [Variant])>) -> Vec<u8> {
    let mut out = String::new();
    for (rel, sha, list) in made {
        if rel.contains(['\t', '\n']) {
            continue;
        }
        for v in list {
            out.push_str(&format!(
                "{sha}\t{}\t{}\t{}\t{rel}\n",
                v.width, v.height, v.path
            ));
        }
    }
    out.into_bytes()
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
