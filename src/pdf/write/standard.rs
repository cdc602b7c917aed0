//! What PDF/A-2 and PDF/UA-1 ask of a memo beyond tagging: the output
//! intent with its embedded sRGB profile (PDF/A), and the identification
//! schemas in the XMP packet (`pdfaid`, `pdfuaid`).

use lopdf_printpdf as lo;

use super::{text_string, Result};
use crate::pdf::frame::Metadata;

/// The sRGB ICC profile (v2, zlib licence; see `assets/icc/README.md`).
const SRGB: &[u8] = include_bytes!("../../../assets/icc/sRGB.icc");

/// Adds `/OutputIntents` with the sRGB profile when PDF/A is claimed.
pub(super) fn output_intent(lodoc: &mut lo::Document, m: &Metadata) -> Result<()> {
    use lo::Object::{Array, Integer, Name, Reference};
    if m.standard.pdfa().is_none() {
        return Ok(());
    }
    let profile = lodoc.add_object(lo::Stream::new(
        lo::Dictionary::from_iter(vec![("N", Integer(3))]),
        SRGB.to_vec(),
    ));
    let intent = lodoc.add_object(lo::Dictionary::from_iter(vec![
        ("Type", Name(b"OutputIntent".to_vec())),
        ("S", Name(b"GTS_PDFA1".to_vec())),
        (
            "OutputConditionIdentifier",
            text_string("sRGB IEC61966-2.1"),
        ),
        ("Info", text_string("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Reference(profile)),
    ]));
    super::catalog_mut(lodoc)?.set("OutputIntents", Array(vec![Reference(intent)]));
    Ok(())
}

/// The XMP description of the claimed standards (empty when none).
pub(super) fn xmp_ids(m: &Metadata) -> String {
    let mut out = String::new();
    if let Some(level) = m.standard.pdfa() {
        out.push_str(&format!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
             <pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>{level}</pdfaid:conformance>\n\
             </rdf:Description>\n"
        ));
    }
    if m.standard.pdfua() {
        out.push_str(
            "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
             <pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n",
        );
    }
    out
}
