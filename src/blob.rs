//! The bytes of a theme file: compiled into the binary (the default theme,
//! borrowed where it lies, never copied) or read from the project (shared,
//! read once). Both read as `&[u8]`.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A file's bytes, cheap to clone.
#[derive(Clone)]
pub struct Blob(Kind);

#[derive(Clone)]
enum Kind {
    Embedded(&'static [u8]),
    Owned(Arc<Vec<u8>>),
}

impl Blob {
    /// Bytes compiled into this binary.
    pub const fn embedded(bytes: &'static [u8]) -> Blob {
        Blob(Kind::Embedded(bytes))
    }

    /// Whether the bytes are part of this binary (and so never change
    /// while the binary does not).
    pub fn is_embedded(&self) -> bool {
        matches!(self.0, Kind::Embedded(_))
    }

    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            Kind::Embedded(b) => b,
            Kind::Owned(b) => b,
        }
    }
}

impl Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Blob {
        Blob(Kind::Owned(Arc::new(bytes)))
    }
}

impl From<Arc<Vec<u8>>> for Blob {
    fn from(bytes: Arc<Vec<u8>>) -> Blob {
        Blob(Kind::Owned(bytes))
    }
}

impl PartialEq for Blob {
    fn eq(&self, other: &Blob) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Blob {}

/// The kind and the length, not the bytes (a font is megabytes).
impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_embedded() {
            "embedded"
        } else {
            "read"
        };
        write!(f, "Blob({kind}, {} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_read_as_their_bytes() {
        static BYTES: &[u8] = b"font";
        let e = Blob::embedded(BYTES);
        let o = Blob::from(b"font".to_vec());
        assert!(e.is_embedded() && !o.is_embedded());
        assert_eq!(&*e, b"font");
        assert_eq!(e, o);
        // Borrowed where it lies: no copy.
        assert_eq!(e.as_ptr(), BYTES.as_ptr());
        assert_eq!(format!("{o:?}"), "Blob(read, 4 bytes)");
    }
}
