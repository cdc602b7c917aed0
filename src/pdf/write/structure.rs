//! The structure tree of a tagged memo, built after the pages' content:
//! `/StructTreeRoot` with the elements in reading order, the `/ParentTree`
//! from each page's MCIDs and each link annotation back to its element,
//! `/MarkInfo`, and the link annotations themselves (`/StructParent`,
//! `/Contents`, the print flag), all written as bytes. The pages (written
//! in `finish`) get `/StructParents` and `/Tabs /S`.

use lopdf_printpdf as lo;

use super::content::{Link, PageMarks, Target};
use super::raw::{self, RawObjects};
use super::{Result, WriteError};
use crate::pdf::frame::{Node, Role};
use crate::pdf::tags::{Kid, Tree};

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
    /// Each link annotation and its description (`/Contents`), in order.
    annots: Vec<(Link, String)>,
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
            annots.push((a.link, a.text));
        }
        self.pages.push(PageLinks {
            mcids: marks.mcids.len() as u32,
            annots,
        });
    }

    /// Called after the last page: the tree takes no more content.
    pub(super) fn close(&mut self) {
        self.tree.close();
    }
}

/// Points the catalog at the structure tree (object `tree_root`, reserved
/// here and written by [`write`]) and marks the document tagged.
pub(super) fn plan(lodoc: &mut lo::Document, raw: &mut RawObjects) -> Result<u32> {
    let tree_root = raw.reserve();
    let catalog = super::catalog_mut(lodoc)?;
    catalog.set("StructTreeRoot", lo::Object::Reference((tree_root, 0)));
    catalog.set(
        "MarkInfo",
        lo::Object::Dictionary(lo::Dictionary::from_iter(vec![(
            "Marked",
            lo::Object::Boolean(true),
        )])),
    );
    Ok(tree_root)
}

/// Writes the structure tree (its root object `tree_root`, from [`plan`])
/// and the link annotations of the pages `page_ids` into `raw`. Returns
/// each page's annotations, for its `/Annots`; a page's `/StructParents`
/// is its index.
pub(super) fn write(
    tagged: Tagged,
    tree_root: u32,
    page_ids: &[u32],
    raw: &mut RawObjects,
) -> Result<Vec<Vec<u32>>> {
    if page_ids.len() != tagged.pages.len() {
        return Err(WriteError::new("pages and their marks differ in number"));
    }
    let annot_ids: Vec<Vec<u32>> = tagged
        .pages
        .iter()
        .map(|links| links.annots.iter().map(|_| raw.reserve()).collect())
        .collect();

    let document = raw.reserve();
    let parent_tree = raw.reserve();
    // Page keys 0…n-1 hold MCID arrays; annotation keys follow.
    let mut page_parents: Vec<Vec<u32>> = tagged
        .pages
        .iter()
        .map(|p| vec![0; p.mcids as usize])
        .collect();
    let Tagged { tree, pages } = tagged;
    let mut annot_keys: Vec<Vec<Option<i64>>> =
        annot_ids.iter().map(|a| vec![None; a.len()]).collect();
    let mut builder = Builder {
        tree: &tree,
        raw: &mut *raw,
        page_ids,
        annot_ids: &annot_ids,
        annot_keys: &mut annot_keys,
        page_parents: &mut page_parents,
        annot_parents: Vec::new(),
        next_key: page_ids.len() as i64,
        notes: 0,
    };
    let mut kids = Vec::new();
    for k in tree.kids(Tree::ROOT) {
        builder.kid(&mut kids, k, document, None)?;
    }
    let Builder {
        annot_parents,
        next_key,
        ..
    } = builder;
    // Written: the tree is let go of before the file is put together (a
    // long table's is a third of the memo's memory).
    drop(tree);
    for (p, links) in pages.iter().enumerate() {
        for (i, (link, text)) in links.annots.iter().enumerate() {
            let key = annot_keys[p][i];
            raw.write(annot_ids[p][i], |o| {
                annotation(o, link, text, page_ids[p], key, page_ids);
            });
        }
    }
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
    Ok(annot_ids)
}

/// A link annotation on page object `page`: its rectangle, no border,
/// printed, described by `text`, its structure parent key, and where it
/// goes (`pages`: the page objects, for a place in the document).
fn annotation(
    o: &mut Vec<u8>,
    link: &Link,
    text: &str,
    page: u32,
    key: Option<i64>,
    pages: &[u32],
) {
    o.extend_from_slice(b"<</Type/Annot/Subtype/Link/Rect[");
    raw::numbers(o, &link.rect);
    o.extend_from_slice(format!("]/Border[0 0 0]/F 4/P {page} 0 R/Contents").as_bytes());
    raw::text(o, text);
    if let Some(key) = key {
        o.extend_from_slice(format!("/StructParent {key}").as_bytes());
    }
    match &link.target {
        Target::Uri(uri) => {
            o.extend_from_slice(b"/A<</S/URI/URI");
            raw::bytes(o, uri.as_bytes());
            o.extend_from_slice(b">>");
        }
        Target::Place { page, top } => {
            o.extend_from_slice(b"/Dest");
            raw::destination(o, pages.get(*page).copied().unwrap_or(0), *top);
        }
        // Resolved before (`content::resolve`); a name is a valid
        // destination all the same.
        Target::Named(name) => {
            o.extend_from_slice(b"/Dest");
            raw::text(o, name);
        }
    }
    o.extend_from_slice(b">>");
}

struct Builder<'a> {
    tree: &'a Tree,
    raw: &'a mut RawObjects,
    page_ids: &'a [u32],
    annot_ids: &'a [Vec<u32>],
    /// The `/StructParent` of each page's each annotation, once known.
    annot_keys: &'a mut [Vec<Option<i64>>],
    /// The element of each page's each MCID (0 until known).
    page_parents: &'a mut [Vec<u32>],
    annot_parents: Vec<(i64, u32)>,
    next_key: i64,
    notes: u32,
}

impl Builder<'_> {
    /// Appends to `out` the `/K` entry of one kid of the element `parent`.
    /// `pg`: the parent's `/Pg`; content on that page is a bare MCID.
    fn kid(&mut self, out: &mut Vec<u8>, kid: Kid, parent: u32, pg: Option<u32>) -> Result<()> {
        if !out.is_empty() {
            out.push(b' ');
        }
        match kid {
            Kid::Element(e) => {
                let id = self.element(e, parent)?;
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
                let (p, i) = (page as usize, index as usize);
                let (Some(&id), Some(slot)) = (
                    self.annot_ids.get(p).and_then(|a| a.get(i)),
                    self.annot_keys.get_mut(p).and_then(|a| a.get_mut(i)),
                ) else {
                    return Err(WriteError::new("link annotation out of range"));
                };
                let key = self.next_key;
                self.next_key += 1;
                self.annot_parents.push((key, parent));
                *slot = Some(key);
                let page = self.page_ids[p];
                out.extend_from_slice(
                    format!("<</Type/OBJR/Pg {page} 0 R/Obj {id} 0 R>>").as_bytes(),
                );
            }
        }
        Ok(())
    }

    /// Writes element `e` (its kids first) and returns its number.
    fn element(&mut self, e: u32, parent: u32) -> Result<u32> {
        let id = self.raw.reserve();
        let tree = self.tree;
        let pg = first_page(tree, e);
        let mut kids = Vec::new();
        for k in tree.kids(e) {
            self.kid(&mut kids, k, id, pg)?;
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
