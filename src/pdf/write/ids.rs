//! Object numbers without gaps.
//!
//! lopdf writes one cross-reference subsection per run of consecutive object
//! numbers, so an object dropped while finishing (printpdf's Info, say)
//! leaves a number that is in no subsection. The file is still valid, but
//! poppler trips over it: when a string is longer than its lexer's 128-byte
//! buffer (a long `/Title`), it asks which object the read position falls in
//! and walks every xref entry; the missing one makes it re-read the table,
//! give up and reconstruct ("Couldn't find trailer dictionary", "Invalid
//! XRef entry 0"). Renumbering the objects 1…n before saving leaves no gap.

use std::collections::BTreeMap;

use lopdf_printpdf as lo;

/// Renumbers the objects 1…n (generation 0) in their current order and
/// rewrites every reference, the trailer's included. Returns each object's
/// new number by its old.
pub(super) fn close_gaps(lodoc: &mut lo::Document) -> BTreeMap<lo::ObjectId, lo::ObjectId> {
    let map: BTreeMap<lo::ObjectId, lo::ObjectId> = lodoc
        .objects
        .keys()
        .enumerate()
        .map(|(i, &old)| (old, (i as u32 + 1, 0)))
        .collect();
    if map.iter().all(|(old, new)| old == new) {
        lodoc.max_id = map.len() as u32;
        return map;
    }
    let objects = std::mem::take(&mut lodoc.objects);
    for (old, mut object) in objects {
        remap(&mut object, &map);
        lodoc.objects.insert(map[&old], object);
    }
    for (_, value) in lodoc.trailer.iter_mut() {
        remap(value, &map);
    }
    lodoc.max_id = map.len() as u32;
    map
}

fn remap(object: &mut lo::Object, map: &BTreeMap<lo::ObjectId, lo::ObjectId>) {
    match object {
        // A reference to nothing reads as null; it becomes null, so it
        // cannot come to name another object.
        lo::Object::Reference(id) => match map.get(id) {
            Some(new) => *id = *new,
            None => *object = lo::Object::Null,
        },
        lo::Object::Array(items) => items.iter_mut().for_each(|o| remap(o, map)),
        lo::Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, o)| remap(o, map)),
        lo::Object::Stream(stream) => stream.dict.iter_mut().for_each(|(_, o)| remap(o, map)),
        _ => {}
    }
}
