//! Image XObjects: JPEG passed through, RGB samples and alpha masks
//! deflated.

use printpdf as pp;

use super::finish::deflate;
use super::{Result, WriteError};
use crate::pdf::frame::ImageData;

pub(super) fn image_xobject(image: &ImageData) -> Result<pp::ExternalXObject> {
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
    let stream = match image {
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
    };
    Ok(pp::ExternalXObject {
        stream,
        width: None,
        height: None,
        dpi: None,
    })
}
