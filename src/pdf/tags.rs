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
/// An element is its node and a link to its parent's: a table cell's tag
/// shares its row's, so a long table's tags cost a node a cell, not a
/// copy of the whole path.
///
/// [`Item::Tag`]: crate::pdf::frame::Item::Tag
#[derive(Debug, Clone, Default)]
pub enum Tag {
    /// Page furniture: running header and footer, rules, backgrounds,
    /// watermarks, repeated table headers.
    #[default]
    Artifact,
    /// The element at the end of the path from the document root.
    Element(Arc<TagNode>),
}

/// One element of a tag's path, with its parent's (`None` below the root).
#[derive(Debug)]
pub struct TagNode {
    pub node: Node,
    parent: Option<Arc<TagNode>>,
}

/// Tags are equal when their paths are: the same shared node at once, or
/// node by node up to a shared parent (items of one element share it, so a
/// comparison rarely walks the path).
impl PartialEq for Tag {
    fn eq(&self, other: &Tag) -> bool {
        match (self, other) {
            (Tag::Artifact, Tag::Artifact) => true,
            (Tag::Element(a), Tag::Element(b)) => same_path(a, b),
            _ => false,
        }
    }
}

fn same_path(mut a: &Arc<TagNode>, mut b: &Arc<TagNode>) -> bool {
    loop {
        if Arc::ptr_eq(a, b) {
            return true;
        }
        if a.node != b.node {
            return false;
        }
        match (&a.parent, &b.parent) {
            (Some(pa), Some(pb)) => (a, b) = (pa, pb),
            (None, None) => return true,
            _ => return false,
        }
    }
}

impl Tag {
    /// The element at the end of `path` (an artifact when it is empty).
    pub fn element(path: Vec<Node>) -> Tag {
        let mut parent: Option<Arc<TagNode>> = None;
        for node in path {
            parent = Some(Arc::new(TagNode { node, parent }));
        }
        parent.map_or(Tag::Artifact, Tag::Element)
    }

    /// The path of the element from the document root (empty for an
    /// artifact).
    pub fn path(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut at = match self {
            Tag::Artifact => None,
            Tag::Element(n) => Some(n),
        };
        while let Some(n) = at {
            out.push(&n.node);
            at = n.parent.as_ref();
        }
        out.reverse();
        out
    }

    /// The element's own node (`None` for an artifact).
    pub fn last(&self) -> Option<&Node> {
        match self {
            Tag::Artifact => None,
            Tag::Element(n) => Some(&n.node),
        }
    }

    /// This element's child `node` (an artifact stays an artifact).
    pub fn child(&self, node: Node) -> Tag {
        match self {
            Tag::Artifact => Tag::Artifact,
            Tag::Element(p) => Tag::Element(Arc::new(TagNode {
                node,
                parent: Some(p.clone()),
            })),
        }
    }

    /// A new element `node` under `parent`, or at the root when there is
    /// none: the parent's path is shared, not copied (a list item's path
    /// costs its own nodes, however deep the list).
    pub fn under(parent: Option<&Tag>, node: Node) -> Tag {
        match parent {
            Some(p @ Tag::Element(_)) => p.child(node),
            _ => Tag::element(vec![node]),
        }
    }

    /// The sibling of this element with role `role` and the same number
    /// (a list item's `Lbl` beside its `LBody`).
    pub fn sibling(&self, role: Role) -> Tag {
        self.with_node(|n| Node::new(role, n.id))
    }

    /// The same element with its own node changed by `change` (its
    /// alternative text set, say).
    pub fn with_node(&self, change: impl FnOnce(&Node) -> Node) -> Tag {
        match self {
            Tag::Artifact => Tag::Artifact,
            Tag::Element(p) => Tag::Element(Arc::new(TagNode {
                node: change(&p.node),
                parent: p.parent.clone(),
            })),
        }
    }

    /// The role of the element, if it is one.
    pub fn role(&self) -> Option<Role> {
        self.last().map(|n| n.role)
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

/// A structure tree built from tags, in reading order: its elements in one
/// list, each element's kids linked through another.
///
/// A long table has an element per row and cell, hundreds of thousands of
/// them; here each costs its role and number, two links and its entry in
/// the index that merges paths (some 70 bytes), where a tree of elements
/// owning lists of kids cost some 300.
#[derive(Debug, Clone)]
pub struct Tree {
    elements: Chunked<Element>,
    /// The alternative text of the few elements that have one (figures),
    /// by element: kept aside, an element is 20 bytes, not 40.
    alts: foldhash::HashMap<u32, Box<str>>,
    links: Chunked<Link>,
    /// The element of each (parent, role, number) below its parent.
    index: foldhash::HashMap<(u32, Role, u32), u32>,
}

#[derive(Debug, Clone)]
struct Element {
    role: Role,
    id: u32,
    /// The first and last of its kids in `links` ([`NONE`] when none).
    first: u32,
    last: u32,
    /// Its latest kid element ([`NONE`] when none): most paths continue
    /// where the last one went.
    latest: u32,
}

#[derive(Debug, Clone, Copy)]
struct Link {
    kid: Kid,
    next: u32,
}

const NONE: u32 = u32::MAX;

/// A list that grows a chunk at a time: past its first chunk it never
/// moves what it holds, so a long table's tree (a million links) grows
/// with no second copy while it moves and no spare room beyond one chunk,
/// where a `Vec` doubling held up to three times its size at once.
#[derive(Debug, Clone)]
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

/// Items in a chunk: 320 KB of elements, 256 KB of links. The first chunk
/// grows as a `Vec` does, so a small tree stays small.
const CHUNK: usize = 1 << 14;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(item),
            _ => {
                let room = if self.chunks.is_empty() { 4 } else { CHUNK };
                let mut chunk = Vec::with_capacity(room);
                chunk.push(item);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// Lets go of the last chunk's spare room.
    fn shrink_to_fit(&mut self) {
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
    }

    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

/// What an element holds, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kid {
    /// An element of the tree ([`Tree::node`], [`Tree::kids`]).
    Element(u32),
    /// A marked-content sequence: page index and MCID.
    Content { page: u32, mcid: u32 },
    /// An annotation: page index and its position in the page's `/Annots`.
    Annot { page: u32, index: u32 },
}

impl Tree {
    /// The root element.
    pub const ROOT: u32 = 0;

    /// A tree of the root element `root` alone.
    pub fn new(root: Node) -> Tree {
        let mut elements = Chunked::default();
        elements.push(Element {
            role: root.role,
            id: root.id,
            first: NONE,
            last: NONE,
            latest: NONE,
        });
        Tree {
            elements,
            alts: root.alt.map(|a| (Tree::ROOT, a)).into_iter().collect(),
            links: Chunked::default(),
            index: Default::default(),
        }
    }

    /// The number of elements, the root included.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Never: a tree always holds its root.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The node of element `e`.
    pub fn node(&self, e: u32) -> Node {
        let element = &self.elements[e as usize];
        Node {
            role: element.role,
            id: element.id,
            alt: self.alts.get(&e).cloned(),
        }
    }

    /// The kids of element `e`, in order.
    pub fn kids(&self, e: u32) -> impl Iterator<Item = Kid> + '_ {
        let mut at = self.elements[e as usize].first;
        std::iter::from_fn(move || {
            let link = self.links.get(at as usize)?;
            at = link.next;
            Some(link.kid)
        })
    }

    /// Adds `kid` (content or an annotation) to the element at `path`
    /// below the root, creating the elements of the path that do not exist
    /// yet (as the last kids). Elements with the same path are one element,
    /// however far apart their content comes.
    pub fn add<'n>(&mut self, path: impl IntoIterator<Item = &'n Node>, kid: Kid) {
        let mut at = Tree::ROOT;
        for node in path {
            let latest = self.elements[at as usize].latest;
            let same = |e: &Element| e.role == node.role && e.id == node.id;
            let found = if latest != NONE && same(&self.elements[latest as usize]) {
                Some(latest)
            } else {
                self.index.get(&(at, node.role, node.id)).copied()
            };
            let child = match found {
                Some(child) => child,
                None => {
                    let child = self.elements.len() as u32;
                    self.elements.push(Element {
                        role: node.role,
                        id: node.id,
                        first: NONE,
                        last: NONE,
                        latest: NONE,
                    });
                    self.link(at, Kid::Element(child));
                    self.index.insert((at, node.role, node.id), child);
                    child
                }
            };
            self.elements[at as usize].latest = child;
            if let Some(alt) = &node.alt {
                self.alts.entry(child).or_insert_with(|| alt.clone());
            }
            at = child;
        }
        self.link(at, kid);
    }

    /// Lets go of what only [`Tree::add`] needs (the index that merges
    /// paths) and of spare room: a tree read from here on holds its
    /// elements and links alone. A long table's index and spare room are
    /// half of its tree.
    pub fn close(&mut self) {
        self.index = Default::default();
        self.elements.shrink_to_fit();
        self.links.shrink_to_fit();
    }

    /// Appends `kid` to element `e`'s kids.
    fn link(&mut self, e: u32, kid: Kid) {
        let new = self.links.len() as u32;
        self.links.push(Link { kid, next: NONE });
        let element = &mut self.elements[e as usize];
        match element.last {
            NONE => element.first = new,
            last => self.links[last as usize].next = new,
        }
        element.last = new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items past the first chunk stay where they were put while the list
    /// grows (nothing is copied), and all read back in order.
    #[test]
    fn a_chunked_list_does_not_move_what_it_holds() {
        let mut list = Chunked::default();
        for i in 0..=CHUNK as u32 {
            list.push(i);
        }
        let second: *const u32 = &list[CHUNK];
        let first: *const u32 = &list[0];
        for i in (CHUNK as u32 + 1)..(2 * CHUNK as u32 + 7) {
            list.push(i);
        }
        assert!(std::ptr::eq(second, &list[CHUNK]), "the second chunk moved");
        assert!(std::ptr::eq(first, &list[0]), "the first chunk moved");
        assert_eq!(list.len(), 2 * CHUNK + 7);
        assert!((0..list.len()).all(|i| list[i] == i as u32 && list.get(i) == Some(&(i as u32))));
        assert_eq!(list.get(list.len()), None);
        list[CHUNK + 1] = 7;
        assert_eq!(list.get(CHUNK + 1), Some(&7));
        list.shrink_to_fit();
        assert_eq!(list.capacity(), list.len());
    }

    #[test]
    fn an_element_costs_20_bytes() {
        assert_eq!(std::mem::size_of::<Element>(), 20);
        assert_eq!(std::mem::size_of::<Link>(), 16);
    }

    /// The kids of `e` that are elements.
    fn elements(tree: &Tree, e: u32) -> Vec<u32> {
        tree.kids(e)
            .filter_map(|k| match k {
                Kid::Element(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_closed_tree_reads_as_before() {
        let table = Node::new(Role::Table, 1);
        let mut tree = Tree::new(Node::new(Role::Sect, 0));
        for row in 0..50u32 {
            for page in 0..2 {
                tree.add(
                    &[table.clone(), Node::new(Role::TR, row)],
                    Kid::Content { page, mcid: row },
                );
            }
        }
        let shape = |tree: &Tree| -> Vec<(u32, Vec<Kid>)> {
            (0..tree.len() as u32)
                .map(|e| (tree.node(e).id, tree.kids(e).collect()))
                .collect()
        };
        let before = shape(&tree);
        tree.close();
        assert_eq!(shape(&tree), before);
        assert!(tree.index.is_empty());
        assert_eq!(tree.links.capacity(), tree.links.len());
        assert_eq!(tree.elements.capacity(), tree.elements.len());
    }

    #[test]
    fn a_row_met_again_after_others_is_the_same_element() {
        // A table of many rows, each row's cells coming in two rounds (a
        // row split across two pages, say): every row is one element,
        // found again however many rows came after it.
        let table = Node::new(Role::Table, 1);
        let mut tree = Tree::new(Node::new(Role::Sect, 0));
        for round in 0..2u32 {
            for row in 0..100u32 {
                tree.add(
                    &[table.clone(), Node::new(Role::TR, row)],
                    Kid::Content {
                        page: round,
                        mcid: row,
                    },
                );
            }
        }
        let top = elements(&tree, Tree::ROOT);
        assert_eq!(top.len(), 1);
        let rows = elements(&tree, top[0]);
        assert_eq!(rows.len(), 100, "one element a row");
        assert_eq!(tree.len(), 102);
        for (row, &tr) in rows.iter().enumerate() {
            assert_eq!(tree.node(tr).role, Role::TR);
            assert_eq!(tree.node(tr).id, row as u32);
            let kids: Vec<Kid> = tree.kids(tr).collect();
            assert_eq!(
                kids,
                [
                    Kid::Content {
                        page: 0,
                        mcid: row as u32
                    },
                    Kid::Content {
                        page: 1,
                        mcid: row as u32
                    }
                ]
            );
        }
    }

    #[test]
    fn paths_merge_into_one_element_across_pages() {
        let sect = Node::new(Role::Sect, 1);
        let p = Node::new(Role::P, 2);
        let mut tree = Tree::new(Node::new(Role::Sect, 0));
        tree.add(
            &[sect.clone(), p.clone()],
            Kid::Content { page: 0, mcid: 0 },
        );
        tree.add(
            &[sect.clone(), p.clone()],
            Kid::Content { page: 1, mcid: 0 },
        );
        tree.add(
            &[sect.clone(), Node::new(Role::P, 3)],
            Kid::Content { page: 1, mcid: 1 },
        );
        // A paragraph of the same number in another section is another.
        tree.add(
            &[Node::new(Role::Sect, 4), p.clone()],
            Kid::Annot { page: 1, index: 0 },
        );
        let top = elements(&tree, Tree::ROOT);
        assert_eq!(top.len(), 2);
        let paragraphs = elements(&tree, top[0]);
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(
            tree.kids(paragraphs[0]).collect::<Vec<_>>(),
            [
                Kid::Content { page: 0, mcid: 0 },
                Kid::Content { page: 1, mcid: 0 }
            ],
            "one P on two pages"
        );
        let other = elements(&tree, top[1]);
        assert_eq!(
            tree.kids(other[0]).collect::<Vec<_>>(),
            [Kid::Annot { page: 1, index: 0 }]
        );
    }

    #[test]
    fn a_figure_keeps_the_first_alternative_text_it_is_given() {
        let mut figure = Node::new(Role::Figure, 7);
        let mut tree = Tree::new(Node::new(Role::Sect, 0));
        tree.add(&[figure.clone()], Kid::Content { page: 0, mcid: 0 });
        figure.alt = Some("Chagai".into());
        tree.add(&[figure.clone()], Kid::Content { page: 0, mcid: 1 });
        figure.alt = Some("other".into());
        tree.add(&[figure], Kid::Content { page: 0, mcid: 2 });
        let top = elements(&tree, Tree::ROOT);
        assert_eq!(top.len(), 1);
        assert_eq!(tree.node(top[0]).alt.as_deref(), Some("Chagai"));
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
        assert_eq!(*lbl.path()[1], Node::new(Role::LI, 2));
        assert_eq!(lbl.path().len(), 3);
        // Tags are equal when their paths are, however they were made.
        let again = Tag::element(vec![
            Node::new(Role::L, 1),
            Node::new(Role::LI, 2),
            Node::new(Role::Lbl, 2),
        ]);
        assert_eq!(lbl, again);
        assert_ne!(lbl, body);
        assert_eq!(body.child(Node::new(Role::P, 9)).path().len(), 4);
        assert_eq!(Tag::element(Vec::new()), Tag::Artifact);
    }
}
