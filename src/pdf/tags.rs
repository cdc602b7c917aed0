//! The logical structure of a memo, independent of PDF syntax: which
//! structure element each positioned item belongs to, or that it is an
//! artifact (page furniture).
//!
//! Compose tags each block it emits with its path from the document root
//! (`Sect` → `L` → `LI` → `LBody`, say); flow carries the tag to the items
//! the block produces, as an [`Item::Tag`] before them on every page they
//! reach. A page starts as artifact: whatever comes before its first tag
//! (decorations) is page furniture. The writer marks each item's content
//! and builds the structure tree by merging the paths in the order the
//! items come: elements with the same path are one element, however many
//! pages or table-row parts it spans.
//!
//! [`Item::Tag`]: crate::pdf::frame::Item::Tag

use std::sync::Arc;

/// A standard structure type (ISO 32000-1, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Sect,
    /// A heading of level 1–6.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell; its `/Scope` is `Column` (`row: false`) or `Row`.
    TH {
        row: bool,
    },
    TD,
    Figure,
    Note,
    Link,
    Caption,
    BlockQuote,
    Code,
    TOC,
    TOCI,
}

impl Role {
    /// The structure type's PDF name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Sect => "Sect",
            Role::H(1) => "H1",
            Role::H(2) => "H2",
            Role::H(3) => "H3",
            Role::H(4) => "H4",
            Role::H(5) => "H5",
            Role::H(_) => "H6",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::THead => "THead",
            Role::TBody => "TBody",
            Role::TR => "TR",
            Role::TH { .. } => "TH",
            Role::TD => "TD",
            Role::Figure => "Figure",
            Role::Note => "Note",
            Role::Link => "Link",
            Role::Caption => "Caption",
            Role::BlockQuote => "BlockQuote",
            Role::Code => "Code",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
        }
    }
}

/// One structure element on a path: its role and a number telling it from
/// its siblings of the same role (compose numbers its elements across the
/// memo; flow numbers table rows and cells by position).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    pub id: u32,
    /// A figure's alternative text.
    pub alt: Option<Box<str>>,
}

impl Node {
    pub fn new(role: Role, id: u32) -> Node {
        Node {
            role,
            id,
            alt: None,
        }
    }

    /// Whether `self` and `other` name the same element (alt text aside).
    pub fn same(&self, other: &Node) -> bool {
        self.role == other.role && self.id == other.id
    }
}

/// What the items after an [`Item::Tag`] belong to.
///
/// [`Item::Tag`]: crate::pdf::frame::Item::Tag
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Tag {
    /// Page furniture: running header and footer, rules, backgrounds,
    /// watermarks, repeated table headers.
    #[default]
    Artifact,
    /// The element at the end of the path from the document root.
    Element(Arc<[Node]>),
}

impl Tag {
    pub fn element(path: Vec<Node>) -> Tag {
        Tag::Element(path.into())
    }

    /// The path of the element (empty for an artifact).
    pub fn path(&self) -> &[Node] {
        match self {
            Tag::Artifact => &[],
            Tag::Element(p) => p,
        }
    }

    /// This element's child `node` (an artifact stays an artifact).
    pub fn child(&self, node: Node) -> Tag {
        match self {
            Tag::Artifact => Tag::Artifact,
            Tag::Element(p) => {
                let mut path = p.to_vec();
                path.push(node);
                Tag::element(path)
            }
        }
    }

    /// The sibling of this element with role `role` and the same number
    /// (a list item's `Lbl` beside its `LBody`).
    pub fn sibling(&self, role: Role) -> Tag {
        match self {
            Tag::Artifact => Tag::Artifact,
            Tag::Element(p) => {
                let mut path = p.to_vec();
                if let Some(last) = path.last_mut() {
                    *last = Node::new(role, last.id);
                }
                Tag::element(path)
            }
        }
    }

    /// The role of the element, if it is one.
    pub fn role(&self) -> Option<Role> {
        self.path().last().map(|n| n.role)
    }
}

/// A named place in the memo (a section's heading, a footnote and its
/// mark) that links may point at: `#name` in an [`Item::Link`]'s URI.
///
/// [`Item::Link`]: crate::pdf::frame::Item::Link
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub name: String,
    /// Zero-based page index.
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
}

/// One element of a structure tree built from tags, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub node: Node,
    pub kids: Vec<Kid>,
    /// Where the latest kid element of each (role, number) is, once there
    /// are many kids (a long table's rows): found without a scan. Boxed,
    /// so that the many elements without one stay small.
    #[allow(clippy::box_collection)]
    index: Option<Box<std::collections::HashMap<(Role, u32), usize>>>,
}

/// Kids an element has before it keeps an index of them.
const INDEXED: usize = 32;

/// What an element holds, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Kid {
    Element(Element),
    /// A marked-content sequence: page index and MCID.
    Content {
        page: usize,
        mcid: u32,
    },
    /// An annotation: page index and its position in the page's `/Annots`.
    Annot {
        page: usize,
        index: usize,
    },
}

impl Element {
    pub fn new(node: Node) -> Element {
        Element {
            node,
            kids: Vec::new(),
            index: None,
        }
    }

    /// Adds `kid` to the element at `path` below `self`, creating the
    /// elements of the path that do not exist yet (as the last kids).
    pub fn add(&mut self, path: &[Node], kid: Kid) {
        let Some((first, rest)) = path.split_first() else {
            self.kids.push(kid);
            return;
        };
        // Merge with the latest kid naming the same element.
        let i = match self.latest(first) {
            Some(i) => i,
            None => {
                self.kids.push(Kid::Element(Element::new(first.clone())));
                let i = self.kids.len() - 1;
                self.noted(i);
                i
            }
        };
        let Kid::Element(child) = &mut self.kids[i] else {
            unreachable!("the position of an element")
        };
        if child.node.alt.is_none() {
            child.node.alt = first.alt.clone();
        }
        child.add(rest, kid);
    }

    /// The position of the latest kid that is the element `node`.
    fn latest(&self, node: &Node) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(&(node.role, node.id)).copied(),
            None => self
                .kids
                .iter()
                .rposition(|k| matches!(k, Kid::Element(e) if e.node.same(node))),
        }
    }

    /// Notes the kid element just added at `i` in the index, which is made
    /// once there are enough kids to need it.
    fn noted(&mut self, i: usize) {
        let key = |k: &Kid| match k {
            Kid::Element(e) => Some((e.node.role, e.node.id)),
            _ => None,
        };
        match &mut self.index {
            Some(index) => {
                if let Some(k) = key(&self.kids[i]) {
                    index.insert(k, i);
                }
            }
            None if self.kids.len() > INDEXED => {
                // Later kids overwrite earlier ones: the latest wins.
                let index = self
                    .kids
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((key(k)?, i)))
                    .collect();
                self.index = Some(Box::new(index));
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_kids_are_found_by_index_as_by_a_scan() {
        // A table of many rows: each row found again for its later cells,
        // however many rows came before it.
        let table = Node::new(Role::Table, 1);
        let mut root = Element::new(Node::new(Role::Sect, 0));
        for round in 0..2u32 {
            for row in 0..100u32 {
                root.add(
                    &[table.clone(), Node::new(Role::TR, row)],
                    Kid::Content {
                        page: 0,
                        mcid: round * 100 + row,
                    },
                );
            }
        }
        let Kid::Element(t) = &root.kids[0] else {
            panic!("a table")
        };
        assert_eq!(root.kids.len(), 1);
        assert_eq!(t.kids.len(), 100, "one element a row");
        for (row, kid) in t.kids.iter().enumerate() {
            let Kid::Element(tr) = kid else {
                panic!("a row")
            };
            assert_eq!(tr.node.id, row as u32);
            assert_eq!(
                tr.kids,
                [
                    Kid::Content {
                        page: 0,
                        mcid: row as u32
                    },
                    Kid::Content {
                        page: 0,
                        mcid: 100 + row as u32
                    }
                ]
            );
        }
    }

    #[test]
    fn paths_merge_into_one_element_across_pages() {
        let sect = Node::new(Role::Sect, 1);
        let p = Node::new(Role::P, 2);
        let mut root = Element::new(Node::new(Role::Sect, 0));
        root.add(
            &[sect.clone(), p.clone()],
            Kid::Content { page: 0, mcid: 0 },
        );
        root.add(
            &[sect.clone(), p.clone()],
            Kid::Content { page: 1, mcid: 0 },
        );
        root.add(
            &[sect, Node::new(Role::P, 3)],
            Kid::Content { page: 1, mcid: 1 },
        );
        assert_eq!(root.kids.len(), 1);
        let Kid::Element(s) = &root.kids[0] else {
            panic!()
        };
        assert_eq!(s.kids.len(), 2);
        let Kid::Element(first) = &s.kids[0] else {
            panic!()
        };
        assert_eq!(first.kids.len(), 2, "one P on two pages");
    }

    #[test]
    fn list_labels_are_siblings_of_their_bodies() {
        let body = Tag::element(vec![
            Node::new(Role::L, 1),
            Node::new(Role::LI, 2),
            Node::new(Role::LBody, 2),
        ]);
        let lbl = body.sibling(Role::Lbl);
        assert_eq!(lbl.role(), Some(Role::Lbl));
        assert_eq!(lbl.path()[1], Node::new(Role::LI, 2));
    }
}
