//! The structure tree of a tagged memo, built after printpdf has written
//! the pages: `/StructTreeRoot` with the elements in reading order, the
//! `/ParentTree` from each page's MCIDs and each link annotation back to
//! its element, `/MarkInfo`, `/StructParents` and `/Tabs /S` on pages, and
//! link annotations made indirect objects with `/StructParent`,
//! `/Contents` and the print flag.

use lopdf_printpdf as lo;

use super::content::PageMarks;
use super::{text_string, Result, WriteError};
use crate::pdf::frame::{Document, Node, Role};
use crate::pdf::tags::{Element, Kid};

fn lo_err(what: &str) -> impl Fn(lo::Error) -> WriteError + '_ {
    move |e| WriteError::new(format!("{what}: {e}"))
}

/// Builds the structure tree of `doc` from the marks of its pages.
pub(super) fn structure(
    lodoc: &mut lo::Document,
    doc: &Document,
    marks: &[PageMarks],
    page_ids: &[lo::ObjectId],
) -> Result<()> {
    use lo::Object::{Array, Boolean, Integer, Name, Reference};
    let _ = doc;
    // The tree, in reading order: pages in order, each page's marked
    // content in order, then its link annotations (a link's text comes
    // first, so its element already stands where the text is).
    let mut root = Element {
        node: Node::new(Role::Sect, 0),
        kids: Vec::new(),
    };
    let mut annot_ids: Vec<Vec<Option<lo::ObjectId>>> = Vec::with_capacity(marks.len());
    for (page, m) in marks.iter().enumerate() {
        for (mcid, tag) in m.mcids.iter().enumerate() {
            root.add(
                tag.path(),
                Kid::Content {
                    page,
                    mcid: mcid as u32,
                },
            );
        }
        annot_ids.push(annotations(lodoc, page_ids[page], m)?);
        for (index, a) in m.annots.iter().enumerate() {
            if let Some(tag) = &a.tag {
                root.add(tag.path(), Kid::Annot { page, index });
            }
        }
    }

    let tree_root = lodoc.new_object_id();
    let document = lodoc.new_object_id();
    // Page keys 0…n-1 hold MCID arrays; annotation keys follow.
    let mut page_parents: Vec<Vec<lo::Object>> = marks
        .iter()
        .map(|m| vec![lo::Object::Null; m.mcids.len()])
        .collect();
    let mut annot_parents: Vec<(i64, lo::ObjectId)> = Vec::new();
    let mut next_key = marks.len() as i64;
    let mut builder = Builder {
        page_ids,
        annot_ids: &annot_ids,
        page_parents: &mut page_parents,
        annot_parents: &mut annot_parents,
        next_key: &mut next_key,
        notes: 0,
    };
    let kids = root
        .kids
        .iter()
        .map(|k| builder.kid(lodoc, k, document, None))
        .collect::<Result<Vec<_>>>()?;
    lodoc.set_object(
        document,
        lo::Dictionary::from_iter(vec![
            ("Type", Name(b"StructElem".to_vec())),
            ("S", Name(b"Document".to_vec())),
            ("P", Reference(tree_root)),
            ("K", Array(kids)),
        ]),
    );

    let mut nums = Vec::new();
    for (key, parents) in page_parents.into_iter().enumerate() {
        nums.push(Integer(key as i64));
        nums.push(Array(parents));
    }
    for (key, elem) in annot_parents {
        nums.push(Integer(key));
        nums.push(Reference(elem));
    }
    let parent_tree = lodoc.add_object(lo::Dictionary::from_iter(vec![("Nums", Array(nums))]));
    lodoc.set_object(
        tree_root,
        lo::Dictionary::from_iter(vec![
            ("Type", Name(b"StructTreeRoot".to_vec())),
            ("K", Reference(document)),
            ("ParentTree", Reference(parent_tree)),
            ("ParentTreeNextKey", Integer(next_key)),
        ]),
    );

    for (key, &id) in page_ids.iter().enumerate() {
        let page = lodoc.get_dictionary_mut(id).map_err(lo_err("page"))?;
        page.set("StructParents", Integer(key as i64));
        page.set("Tabs", Name(b"S".to_vec()));
    }
    let root_id = lodoc
        .trailer
        .get(b"Root")
        .and_then(lo::Object::as_reference)
        .map_err(lo_err("catalog"))?;
    let catalog = lodoc
        .get_dictionary_mut(root_id)
        .map_err(lo_err("catalog"))?;
    catalog.set("StructTreeRoot", Reference(tree_root));
    catalog.set(
        "MarkInfo",
        lo::Object::Dictionary(lo::Dictionary::from_iter(vec![("Marked", Boolean(true))])),
    );
    Ok(())
}

/// Makes the page's link annotations indirect objects with the print flag
/// and a description; returns their ids in `/Annots` order.
fn annotations(
    lodoc: &mut lo::Document,
    page_id: lo::ObjectId,
    marks: &PageMarks,
) -> Result<Vec<Option<lo::ObjectId>>> {
    let annots: Vec<lo::Object> = match lodoc
        .get_dictionary(page_id)
        .map_err(lo_err("page"))?
        .get(b"Annots")
    {
        Ok(lo::Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    if annots.len() != marks.annots.len() {
        return Err(WriteError::new(
            "printpdf wrote a different number of links",
        ));
    }
    let mut ids = Vec::with_capacity(annots.len());
    let mut refs = Vec::with_capacity(annots.len());
    for (annot, mark) in annots.into_iter().zip(&marks.annots) {
        let id = match annot {
            lo::Object::Dictionary(mut d) => {
                d.set("F", lo::Object::Integer(4));
                d.set("Contents", text_string(&mark.text));
                d.set("P", lo::Object::Reference(page_id));
                lodoc.add_object(d)
            }
            lo::Object::Reference(id) => id,
            _ => return Err(WriteError::new("a link annotation is not a dictionary")),
        };
        ids.push(Some(id));
        refs.push(lo::Object::Reference(id));
    }
    if !refs.is_empty() {
        lodoc
            .get_dictionary_mut(page_id)
            .map_err(lo_err("page"))?
            .set("Annots", lo::Object::Array(refs));
    }
    Ok(ids)
}

struct Builder<'a> {
    page_ids: &'a [lo::ObjectId],
    annot_ids: &'a [Vec<Option<lo::ObjectId>>],
    page_parents: &'a mut [Vec<lo::Object>],
    annot_parents: &'a mut Vec<(i64, lo::ObjectId)>,
    next_key: &'a mut i64,
    notes: u32,
}

impl Builder<'_> {
    /// The `/K` entry of one kid of the element `parent`.
    /// `pg`: the parent's `/Pg`; content on that page is a bare MCID.
    fn kid(
        &mut self,
        lodoc: &mut lo::Document,
        kid: &Kid,
        parent: lo::ObjectId,
        pg: Option<usize>,
    ) -> Result<lo::Object> {
        use lo::Object::{Dictionary, Integer, Name, Reference};
        Ok(match kid {
            Kid::Element(e) => Reference(self.element(lodoc, e, parent)?),
            Kid::Content { page, mcid } => {
                let slot = self
                    .page_parents
                    .get_mut(*page)
                    .and_then(|p| p.get_mut(*mcid as usize))
                    .ok_or_else(|| WriteError::new("marked content out of range"))?;
                *slot = Reference(parent);
                if pg == Some(*page) {
                    return Ok(Integer(i64::from(*mcid)));
                }
                Dictionary(lo::Dictionary::from_iter(vec![
                    ("Type", Name(b"MCR".to_vec())),
                    ("Pg", Reference(self.page_ids[*page])),
                    ("MCID", Integer(i64::from(*mcid))),
                ]))
            }
            Kid::Annot { page, index } => {
                let id = self
                    .annot_ids
                    .get(*page)
                    .and_then(|a| a.get(*index))
                    .copied()
                    .flatten()
                    .ok_or_else(|| WriteError::new("link annotation out of range"))?;
                let key = *self.next_key;
                *self.next_key += 1;
                self.annot_parents.push((key, parent));
                lodoc
                    .get_dictionary_mut(id)
                    .map_err(lo_err("link annotation"))?
                    .set("StructParent", Integer(key));
                Dictionary(lo::Dictionary::from_iter(vec![
                    ("Type", Name(b"OBJR".to_vec())),
                    ("Pg", Reference(self.page_ids[*page])),
                    ("Obj", Reference(id)),
                ]))
            }
        })
    }

    fn element(
        &mut self,
        lodoc: &mut lo::Document,
        e: &Element,
        parent: lo::ObjectId,
    ) -> Result<lo::ObjectId> {
        use lo::Object::{Array, Dictionary, Name, Reference};
        let id = lodoc.new_object_id();
        let pg = first_page(e);
        let kids = e
            .kids
            .iter()
            .map(|k| self.kid(lodoc, k, id, pg))
            .collect::<Result<Vec<_>>>()?;
        let mut dict = lo::Dictionary::from_iter(vec![
            ("Type", Name(b"StructElem".to_vec())),
            ("S", Name(e.node.role.name().as_bytes().to_vec())),
            ("P", Reference(parent)),
            ("K", Array(kids)),
        ]);
        if let Some(page) = pg {
            dict.set("Pg", Reference(self.page_ids[page]));
        }
        match e.node.role {
            Role::TH { row } => {
                let scope: &[u8] = if row { b"Row" } else { b"Column" };
                dict.set(
                    "A",
                    Dictionary(lo::Dictionary::from_iter(vec![
                        ("O", Name(b"Table".to_vec())),
                        ("Scope", Name(scope.to_vec())),
                    ])),
                );
            }
            Role::Figure => {
                let alt = e.node.alt.as_deref().unwrap_or("Figure");
                dict.set("Alt", text_string(alt));
            }
            Role::Note => {
                self.notes += 1;
                dict.set("ID", text_string(&format!("note-{}", self.notes)));
            }
            _ => {}
        }
        lodoc.set_object(id, dict);
        Ok(id)
    }
}

/// The page of an element's first marked content, if any.
fn first_page(e: &Element) -> Option<usize> {
    e.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } | Kid::Annot { page, .. } => Some(*page),
        Kid::Element(c) => first_page(c),
    })
}
