//! Image XObjects: an image is embedded at no more than [`MAX_PPI`] at the
//! largest size it is placed (downsampled when it has more pixels); JPEG
//! passed through (or encoded again when downsampled), RGB samples and
//! alpha masks deflated. Each stream is made once per (image, size) for
//! all the PDFs written with the same [`SharedStreams`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use printpdf as pp;

use super::finish::deflate;
use super::{Result, WriteError};
use crate::pdf::frame::{Document, ImageData, Item};

/// The most pixels per inch an image is embedded with, at its placed size.
pub const MAX_PPI: f32 = 300.0;

/// How far over [`MAX_PPI`] an image may be and still be embedded as it
/// is: resampling a few pixels away would cost a JPEG a generation of
/// quality and save nothing.
const SLACK: f32 = 1.02;

/// An image (its address) at a size (`None`: as it is).
type Key = (usize, Option<(u32, u32)>);

/// One image, at one size: the image is kept so its address (the key)
/// stays its own while the entry lives.
struct Entry {
    _image: Arc<ImageData>,
    stream: Arc<OnceLock<Result<pp::ExternalStream>>>,
}

/// Streams that every PDF of one run (a build's memos, the copies of one
/// memo) shares: each image downsampled and encoded once per size, not
/// once per PDF. Writing with it gives the same bytes as without.
#[derive(Default)]
pub struct SharedStreams {
    images: Mutex<HashMap<Key, Entry>>,
    /// Deflated streams by the 128-bit XXH3 of their bytes (a font subset, the
    /// ICC profile, a body page's content): each copy of a memo would
    /// compress them again. Up to [`DEFLATED_BUDGET`] bytes.
    deflated: Mutex<Deflated>,
}

/// Bytes kept so far, and the deflated streams by the digest of theirs.
type Deflated = (usize, HashMap<(u128, usize), Arc<Vec<u8>>>);

/// Streams shorter than this are compressed each time (cheap, and many).
const DEFLATE_SHARED_MIN: usize = 4096;

/// The most compressed bytes kept for sharing: a build of many memos,
/// whose font subsets all differ, stops keeping them here.
const DEFLATED_BUDGET: usize = 48 << 20;

impl SharedStreams {
    /// `data` deflated by `pack`, or the same bytes deflated earlier by
    /// another PDF of this run.
    pub(super) fn deflated(&self, data: &[u8], pack: impl FnOnce() -> Vec<u8>) -> Arc<Vec<u8>> {
        if data.len() < DEFLATE_SHARED_MIN {
            return Arc::new(pack());
        }
        // A fast hash (SHA-256 took 5 % of a memo's time) with the
        // length: a collision would need equal lengths and equal 128-bit
        // hashes of different streams within one run.
        let key = (xxhash_rust::xxh3::xxh3_128(data), data.len());
        let lock = || self.deflated.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = lock().1.get(&key) {
            return hit.clone();
        }
        let packed = Arc::new(pack());
        let mut cache = lock();
        if cache.0 + packed.len() <= DEFLATED_BUDGET {
            cache.0 += packed.len();
            cache.1.insert(key, packed.clone());
        }
        packed
    }

    /// The stream of `image` at `size` pixels (`None`: as it is), made by
    /// the first caller; the others wait for it and take a copy.
    fn image(
        &self,
        image: &Arc<ImageData>,
        size: Option<(u32, u32)>,
    ) -> Result<pp::ExternalStream> {
        let key = (Arc::as_ptr(image) as usize, size);
        let slot = {
            let mut map = self.images.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key)
                .or_insert_with(|| Entry {
                    _image: image.clone(),
                    stream: Arc::default(),
                })
                .stream
                .clone()
        };
        slot.get_or_init(|| match size {
            Some((w, h)) => image
                .downsampled(w, h)
                .map_err(WriteError::new)
                .and_then(|small| image_stream(&small)),
            None => image_stream(image),
        })
        .clone()
    }

    /// How many image streams were made.
    #[cfg(test)]
    pub(super) fn images(&self) -> usize {
        self.images.lock().map_or(0, |m| m.len())
    }
}

/// Pixel size to embed an image of `pixels` placed at `placed` points
/// (width, height) with: `None` when it has no more than [`MAX_PPI`] (give
/// or take 2 %), else [`MAX_PPI`] on its larger-scaled side.
pub(super) fn embedded_size(pixels: (u32, u32), placed: (f32, f32)) -> Option<(u32, u32)> {
    let (pw, ph) = (pixels.0 as f32, pixels.1 as f32);
    let want = |pt: f32| pt.max(0.0) / 72.0 * MAX_PPI;
    // The larger of the two scales, so neither side falls under MAX_PPI.
    let scale = (want(placed.0) / pw).max(want(placed.1) / ph);
    if scale.is_nan() || scale * SLACK >= 1.0 || pw < 1.0 || ph < 1.0 {
        return None;
    }
    let side = |p: f32| ((p * scale - 0.01).ceil() as u32).clamp(1, p as u32);
    let size = (side(pw), side(ph));
    (size != pixels).then_some(size)
}

/// The XObject of every image of `doc`, in order, each at the size its
/// largest placement needs.
pub(super) fn image_xobjects(
    doc: &Document,
    shared: &SharedStreams,
) -> Result<Vec<pp::ExternalXObject>> {
    let mut placed: Vec<Option<(f32, f32)>> = vec![None; doc.images.len()];
    let mut place = |image: usize, w: f32, h: f32| {
        if let Some(p) = placed.get_mut(image) {
            let (mw, mh) = p.unwrap_or((0.0, 0.0));
            *p = Some((mw.max(w), mh.max(h)));
        }
    };
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Image { w, h, image, .. } = item {
                place(image.0, w.abs(), h.abs());
            }
        }
    }
    for page in doc.written.iter().flat_map(|w| &w.pages) {
        for &(image, w, h) in &page.images {
            place(image, w, h);
        }
    }
    doc.images
        .iter()
        .zip(placed)
        .map(|(image, placed)| {
            let size = placed.and_then(|p| embedded_size(image.size(), p));
            Ok(pp::ExternalXObject {
                stream: shared.image(image, size)?,
                width: None,
                height: None,
                dpi: None,
            })
        })
        .collect()
}

fn image_stream(image: &ImageData) -> Result<pp::ExternalStream> {
    use pp::DictItem;
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let int = |v: u32| DictItem::Int(v as i64);
    let base = |w: u32, h: u32, cs: &str| {
        let mut d = std::collections::BTreeMap::new();
        d.insert("Type".to_string(), name("XObject"));
        d.insert("Subtype".to_string(), name("Image"));
        d.insert("Width".to_string(), int(w));
        d.insert("Height".to_string(), int(h));
        d.insert("BitsPerComponent".to_string(), int(8));
        d.insert("ColorSpace".to_string(), name(cs));
        d
    };
    let check_size = |w: u32, h: u32| {
        if w == 0 || h == 0 {
            Err(WriteError::new(format!("image of {w} x {h} pixels")))
        } else {
            Ok(w as usize * h as usize)
        }
    };
    Ok(match image {
        ImageData::Jpeg {
            bytes,
            width,
            height,
            components,
        } => {
            check_size(*width, *height)?;
            let cs = match components {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => "DeviceCMYK",
                n => return Err(WriteError::new(format!("JPEG with {n} components"))),
            };
            let mut dict = base(*width, *height, cs);
            dict.insert("Filter".to_string(), name("DCTDecode"));
            if *components == 4 {
                // Adobe CMYK JPEGs are stored inverted.
                let inv = [1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec();
                dict.insert("Decode".to_string(), DictItem::Array(inv));
            }
            pp::ExternalStream {
                dict,
                content: bytes.to_vec(),
                compress: false,
            }
        }
        ImageData::Rgb8 {
            pixels,
            alpha,
            width,
            height,
        } => {
            let n = check_size(*width, *height)?;
            if pixels.len() != n * 3 {
                return Err(WriteError::new("RGB image data does not match its size"));
            }
            let mut dict = base(*width, *height, "DeviceRGB");
            dict.insert("Filter".to_string(), name("FlateDecode"));
            if let Some(alpha) = alpha {
                if alpha.len() != n {
                    return Err(WriteError::new("alpha channel does not match image size"));
                }
                let mut mask = base(*width, *height, "DeviceGray");
                mask.insert("Filter".to_string(), name("FlateDecode"));
                let smask = pp::ExternalStream {
                    dict: mask,
                    content: deflate(alpha),
                    compress: false,
                };
                dict.insert("SMask".to_string(), DictItem::Stream { stream: smask });
            }
            pp::ExternalStream {
                dict,
                content: deflate(pixels),
                compress: false,
            }
        }
    })
}

#[cfg(test)]
mod shared_tests {
    use super::*;

    #[test]
    fn a_stream_deflated_by_one_pdf_is_not_deflated_again_by_the_next() {
        let shared = SharedStreams::default();
        let data = vec![7u8; DEFLATE_SHARED_MIN * 2];
        let calls = std::cell::Cell::new(0);
        let pack = || {
            calls.set(calls.get() + 1);
            deflate(&data)
        };
        let first = shared.deflated(&data, pack);
        let second = shared.deflated(&data, pack);
        assert_eq!(calls.get(), 1);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(*first, deflate(&data));
        // Short streams are deflated each time; other bytes are not a hit.
        let short = vec![7u8; 100];
        shared.deflated(&short, pack);
        shared.deflated(&short, pack);
        assert_eq!(calls.get(), 3);
        let other = vec![8u8; DEFLATE_SHARED_MIN * 2];
        assert_ne!(*shared.deflated(&other, || deflate(&other)), *first);
    }
}
