//! The structure tree of a tagged memo, built after printpdf has written
//! the pages: `/StructTreeRoot` with the elements in reading order, the
//! `/ParentTree` from each page's MCIDs and each link annotation back to
//! its element, `/MarkInfo`, `/StructParents` and `/Tabs /S` on pages, and
//! link annotations made indirect objects with `/StructParent`,
//! `/Contents` and the print flag.

use lopdf_printpdf as lo;

use super::content::PageMarks;
use super::raw::{self, RawObjects};
use super::{text_string, Result, WriteError};
use crate::pdf::frame::{Node, Role};
use crate::pdf::tags::{Kid, Tree};

fn lo_err(what: &str) -> impl Fn(lo::Error) -> WriteError + '_ {
    move |e| WriteError::new(format!("{what}: {e}"))
}

/// The structure tree, grown page by page as the pages' content is made,
/// so that a page's tags are let go of with its items.
pub(super) struct Tagged {
    /// In reading order: pages in order, each page's marked content in
    /// order, then its link annotations (a link's text comes first, so its
    /// element already stands where the text is).
    tree: Tree,
    pages: Vec<PageLinks>,
}

/// What the tree needs of a page once its content is made.
struct PageLinks {
    /// How many marked-content sequences it has.
    mcids: u32,
    /// The description (`/Contents`) of each link annotation, in order.
    annots: Vec<String>,
}

impl Tagged {
    pub(super) fn new() -> Tagged {
        Tagged {
            tree: Tree::new(Node::new(Role::Sect, 0)),
            pages: Vec::new(),
        }
    }

    /// Adds the next page's marked content and links.
    pub(super) fn add_page(&mut self, marks: PageMarks) {
        let page = self.pages.len() as u32;
        for (mcid, tag) in marks.mcids.iter().enumerate() {
            let mcid = mcid as u32;
            self.tree.add(tag.path(), Kid::Content { page, mcid });
        }
        let mut annots = Vec::with_capacity(marks.annots.len());
        for (index, a) in marks.annots.into_iter().enumerate() {
            if let Some(tag) = &a.tag {
                let index = index as u32;
                self.tree.add(tag.path(), Kid::Annot { page, index });
            }
            annots.push(a.text);
        }
        self.pages.push(PageLinks {
            mcids: marks.mcids.len() as u32,
            annots,
        });
    }
}

/// Makes every page's link annotations indirect objects (before the
/// objects are renumbered; [`structure`] comes after).
pub(super) fn link_annotations(
    lodoc: &mut lo::Document,
    tagged: &Tagged,
    page_ids: &[lo::ObjectId],
) -> Result<()> {
    for (links, &page) in tagged.pages.iter().zip(page_ids) {
        annotations(lodoc, page, &links.annots)?;
    }
    Ok(())
}

/// Writes the structure tree as objects numbered after lopdf's (its
/// objects numbered 1…n without gaps), and points the catalog, pages and
/// link annotations at it.
pub(super) fn structure(lodoc: &mut lo::Document, tagged: &Tagged) -> Result<RawObjects> {
    use lo::Object::{Boolean, Integer, Name, Reference};
    let page_ids: Vec<lo::ObjectId> = lodoc.get_pages().into_values().collect();
    if page_ids.len() != tagged.pages.len() {
        return Err(WriteError::new("pages and their marks differ in number"));
    }
    let mut annot_ids: Vec<Vec<lo::ObjectId>> = Vec::with_capacity(page_ids.len());
    for (&page, links) in page_ids.iter().zip(&tagged.pages) {
        let ids: Vec<lo::ObjectId> = match lodoc
            .get_dictionary(page)
            .map_err(lo_err("page"))?
            .get(b"Annots")
        {
            Ok(lo::Object::Array(a)) => a
                .iter()
                .map(|o| o.as_reference().map_err(lo_err("link annotation")))
                .collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        if ids.len() != links.annots.len() {
            return Err(WriteError::new(
                "printpdf wrote a different number of links",
            ));
        }
        annot_ids.push(ids);
    }

    let mut raw = RawObjects::new(lodoc.max_id + 1);
    let tree_root = raw.reserve();
    let document = raw.reserve();
    let parent_tree = raw.reserve();
    // Page keys 0…n-1 hold MCID arrays; annotation keys follow.
    let mut page_parents: Vec<Vec<u32>> = tagged
        .pages
        .iter()
        .map(|p| vec![0; p.mcids as usize])
        .collect();
    let tree = &tagged.tree;
    let mut builder = Builder {
        tree,
        raw: &mut raw,
        page_ids: page_ids.iter().map(|id| id.0).collect(),
        annot_ids: &annot_ids,
        page_parents: &mut page_parents,
        annot_parents: Vec::new(),
        next_key: page_ids.len() as i64,
        notes: 0,
    };
    let mut kids = Vec::new();
    for k in tree.kids(Tree::ROOT) {
        builder.kid(lodoc, &mut kids, k, document, None)?;
    }
    let Builder {
        annot_parents,
        next_key,
        ..
    } = builder;
    raw.write(document, |o| {
        o.extend_from_slice(format!("<</S/Document/P {tree_root} 0 R/K[").as_bytes());
        o.extend_from_slice(&kids);
        o.extend_from_slice(b"]>>");
    });
    raw.write(parent_tree, |o| {
        o.extend_from_slice(b"<</Nums[");
        for (key, parents) in page_parents.iter().enumerate() {
            o.extend_from_slice(format!("{key}[").as_bytes());
            for (i, p) in parents.iter().enumerate() {
                let sep = if i == 0 { "" } else { " " };
                if *p == 0 {
                    o.extend_from_slice(format!("{sep}null").as_bytes());
                } else {
                    o.extend_from_slice(format!("{sep}{p} 0 R").as_bytes());
                }
            }
            o.extend_from_slice(b"]");
        }
        for (key, elem) in &annot_parents {
            o.extend_from_slice(format!(" {key} {elem} 0 R").as_bytes());
        }
        o.extend_from_slice(b"]>>");
    });
    raw.write(tree_root, |o| {
        o.extend_from_slice(
            format!(
                "<</Type/StructTreeRoot/K {document} 0 R/ParentTree {parent_tree} 0 R\
                 /ParentTreeNextKey {next_key}>>"
            )
            .as_bytes(),
        );
    });

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
    catalog.set("StructTreeRoot", Reference((tree_root, 0)));
    catalog.set(
        "MarkInfo",
        lo::Object::Dictionary(lo::Dictionary::from_iter(vec![("Marked", Boolean(true))])),
    );
    Ok(raw)
}

/// Makes the page's link annotations indirect objects with the print flag
/// and a description.
fn annotations(lodoc: &mut lo::Document, page_id: lo::ObjectId, texts: &[String]) -> Result<()> {
    let annots: Vec<lo::Object> = match lodoc
        .get_dictionary(page_id)
        .map_err(lo_err("page"))?
        .get(b"Annots")
    {
        Ok(lo::Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    if annots.len() != texts.len() {
        return Err(WriteError::new(
            "printpdf wrote a different number of links",
        ));
    }
    let mut refs = Vec::with_capacity(annots.len());
    for (annot, text) in annots.into_iter().zip(texts) {
        let id = match annot {
            lo::Object::Dictionary(mut d) => {
                d.set("F", lo::Object::Integer(4));
                d.set("Contents", text_string(text));
                d.set("P", lo::Object::Reference(page_id));
                lodoc.add_object(d)
            }
            lo::Object::Reference(id) => id,
            _ => return Err(WriteError::new("a link annotation is not a dictionary")),
        };
        refs.push(lo::Object::Reference(id));
    }
    if !refs.is_empty() {
        lodoc
            .get_dictionary_mut(page_id)
            .map_err(lo_err("page"))?
            .set("Annots", lo::Object::Array(refs));
    }
    Ok(())
}

struct Builder<'a> {
    tree: &'a Tree,
    raw: &'a mut RawObjects,
    page_ids: Vec<u32>,
    annot_ids: &'a [Vec<lo::ObjectId>],
    /// The element of each page's each MCID (0 until known).
    page_parents: &'a mut [Vec<u32>],
    annot_parents: Vec<(i64, u32)>,
    next_key: i64,
    notes: u32,
}

impl Builder<'_> {
    /// Appends to `out` the `/K` entry of one kid of the element `parent`.
    /// `pg`: the parent's `/Pg`; content on that page is a bare MCID.
    fn kid(
        &mut self,
        lodoc: &mut lo::Document,
        out: &mut Vec<u8>,
        kid: Kid,
        parent: u32,
        pg: Option<u32>,
    ) -> Result<()> {
        if !out.is_empty() {
            out.push(b' ');
        }
        match kid {
            Kid::Element(e) => {
                let id = self.element(lodoc, e, parent)?;
                out.extend_from_slice(format!("{id} 0 R").as_bytes());
            }
            Kid::Content { page, mcid } => {
                let slot = self
                    .page_parents
                    .get_mut(page as usize)
                    .and_then(|p| p.get_mut(mcid as usize))
                    .ok_or_else(|| WriteError::new("marked content out of range"))?;
                *slot = parent;
                if pg == Some(page) {
                    out.extend_from_slice(mcid.to_string().as_bytes());
                } else {
                    let page = self.page_ids[page as usize];
                    out.extend_from_slice(
                        format!("<</Type/MCR/Pg {page} 0 R/MCID {mcid}>>").as_bytes(),
                    );
                }
            }
            Kid::Annot { page, index } => {
                let id = self
                    .annot_ids
                    .get(page as usize)
                    .and_then(|a| a.get(index as usize))
                    .copied()
                    .ok_or_else(|| WriteError::new("link annotation out of range"))?;
                let key = self.next_key;
                self.next_key += 1;
                self.annot_parents.push((key, parent));
                lodoc
                    .get_dictionary_mut(id)
                    .map_err(lo_err("link annotation"))?
                    .set("StructParent", lo::Object::Integer(key));
                let page = self.page_ids[page as usize];
                out.extend_from_slice(
                    format!("<</Type/OBJR/Pg {page} 0 R/Obj {} 0 R>>", id.0).as_bytes(),
                );
            }
        }
        Ok(())
    }

    /// Writes element `e` (its kids first) and returns its number.
    fn element(&mut self, lodoc: &mut lo::Document, e: u32, parent: u32) -> Result<u32> {
        let id = self.raw.reserve();
        let tree = self.tree;
        let pg = first_page(tree, e);
        let mut kids = Vec::new();
        for k in tree.kids(e) {
            self.kid(lodoc, &mut kids, k, id, pg)?;
        }
        let node = tree.node(e);
        let note = if matches!(node.role, Role::Note) {
            self.notes += 1;
            Some(format!("note-{}", self.notes))
        } else {
            None
        };
        let page = pg.map(|p| self.page_ids[p as usize]);
        self.raw.write(id, |o| {
            o.extend_from_slice(b"<</S");
            raw::name(o, node.role.name());
            o.extend_from_slice(format!("/P {parent} 0 R").as_bytes());
            if let Some(page) = page {
                o.extend_from_slice(format!("/Pg {page} 0 R").as_bytes());
            }
            match node.role {
                Role::TH { row } => {
                    let scope = if row { "Row" } else { "Column" };
                    o.extend_from_slice(format!("/A<</O/Table/Scope/{scope}>>").as_bytes());
                }
                Role::Figure => {
                    o.extend_from_slice(b"/Alt");
                    raw::text(o, node.alt.as_deref().unwrap_or("Figure"));
                }
                _ => {}
            }
            if let Some(note) = &note {
                o.extend_from_slice(b"/ID");
                raw::text(o, note);
            }
            o.extend_from_slice(b"/K[");
            o.extend_from_slice(&kids);
            o.extend_from_slice(b"]>>");
        });
        Ok(id)
    }
}

/// The page of an element's first marked content, if any.
fn first_page(tree: &Tree, e: u32) -> Option<u32> {
    tree.kids(e).find_map(|k| match k {
        Kid::Content { page, .. } | Kid::Annot { page, .. } => Some(page),
        Kid::Element(c) => first_page(tree, c),
    })
}
