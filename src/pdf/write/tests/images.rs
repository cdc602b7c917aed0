//! Pictures in memos: placed no finer than 300 ppi, JPEGs passed through,
//! streams shared between PDFs.

use super::*;

#[test]
fn images_are_embedded_at_no_more_than_300_ppi() {
    use crate::pdf::write::images::embedded_size;
    // 453.5 pt (6.3 in) wide needs 1890 pixels at 300 ppi.
    assert_eq!(
        embedded_size((4000, 3000), (453.5, 340.1)),
        Some((1890, 1418))
    );
    // At or under about 300 ppi: as it is.
    assert_eq!(embedded_size((300, 200), (72.0, 48.0)), None);
    assert_eq!(embedded_size((306, 204), (72.0, 48.0)), None);
    assert_eq!(embedded_size((310, 207), (72.0, 48.0)), Some((300, 201)));
    assert_eq!(embedded_size((200, 100), (453.5, 226.8)), None);
    assert_eq!(embedded_size((600, 400), (72.0, 48.0)), Some((300, 200)));
    // Never below one pixel, whatever the size it is placed at.
    assert_eq!(embedded_size((100, 1), (1.0, 0.01)), Some((5, 1)));
}

/// The stream dictionaries of the image XObjects of `pdf`.
fn image_streams(pdf: &lopdf::Document) -> Vec<&lopdf::Stream> {
    pdf.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .collect()
}

fn int(s: &lopdf::Stream, key: &[u8]) -> i64 {
    s.dict.get(key).and_then(|v| v.as_i64()).unwrap()
}

#[test]
fn a_large_png_placed_small_is_downsampled_with_its_alpha() {
    // 1000 × 1000 pixels placed at 80 pt: 334 pixels at 300 ppi.
    let (w, h) = (1000u32, 1000u32);
    let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
    let alpha: Vec<u8> = (0..w * h).map(|i| (i % w * 255 / w) as u8).collect();
    let mut doc = sample();
    doc.images = vec![Arc::new(ImageData::Rgb8 {
        pixels,
        alpha: Some(alpha),
        width: w,
        height: h,
    })];
    let pdf = load(&write_pdf(doc).unwrap());
    let images = image_streams(&pdf);
    assert_eq!(images.len(), 2, "the picture and its soft mask");
    for s in images {
        assert_eq!((int(s, b"Width"), int(s, b"Height")), (334, 334));
    }
}

#[test]
fn a_large_jpeg_placed_small_stays_a_jpeg_and_a_small_one_is_untouched() {
    let (w, h) = (1200u32, 900u32);
    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            [(x / 5) as u8, (y / 4) as u8, ((x + y) / 8) as u8]
        })
        .collect();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode(&rgb, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let large = Arc::new(crate::image::decode(jpeg.clone()).unwrap());
    let mut doc = sample();
    doc.images = vec![large];
    let place = |doc: &mut Document, width: f32, height: f32| {
        for item in &mut doc.pages[0].items {
            if let Item::Image { w, h, .. } = item {
                (*w, *h) = (width, height);
            }
        }
    };
    place(&mut doc, 80.0, 60.0);
    let pdf = load(&write_pdf(doc.clone()).unwrap());
    let images = image_streams(&pdf);
    assert_eq!(images.len(), 1);
    let s = images[0];
    assert_eq!(
        s.dict.get(b"Filter").and_then(|f| f.as_name()).ok(),
        Some(&b"DCTDecode"[..])
    );
    // 80 pt: 334 pixels wide at 300 ppi, 250 high for a 4:3 picture.
    assert_eq!((int(s, b"Width"), int(s, b"Height")), (334, 250));
    assert!(s.content.starts_with(&[0xFF, 0xD8]) && s.content.len() < jpeg.len() / 4);

    // The same picture placed at 300 pt (1250 pixels at 300 ppi) is
    // embedded byte for byte.
    place(&mut doc, 300.0, 225.0);
    let pdf = load(&write_pdf(doc).unwrap());
    assert_eq!(image_streams(&pdf)[0].content, jpeg);
}

#[test]
fn shared_streams_give_the_same_bytes() {
    let mut doc = sample();
    let big: Vec<u8> = (0..900 * 900 * 3).map(|i| (i % 7 * 30) as u8).collect();
    doc.images = vec![Arc::new(ImageData::Rgb8 {
        pixels: big,
        alpha: None,
        width: 900,
        height: 900,
    })];
    let alone = write_pdf(doc.clone()).unwrap();
    let shared = SharedStreams::default();
    assert_eq!(write_pdf_shared(doc.clone(), &shared).unwrap(), alone);
    assert_eq!(write_pdf_shared(doc.clone(), &shared).unwrap(), alone);
    assert_eq!(shared.images(), 1, "one stream made, then reused");
}
