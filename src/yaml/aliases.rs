//! Aliases (`*name`) that repeat more than a file holds.
//!
//! serde_yaml bounds how often aliases are followed, not how much each
//! one repeats: 50,000 aliases of one 300-entry mapping (450 KB of text)
//! made fifteen million values, 6 GB, before anything could be checked.
//! A text with an alias is first walked without keeping anything, counting
//! the values it expands to, and refused past a budget proportional to
//! its size.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// The values a text may expand to: what its own text could hold (a value
/// takes two bytes or more), and as much again, plus room for small files
/// that repeat a block a few times.
pub(super) fn budget(text: &str) -> usize {
    100_000 + text.len()
}

/// Where the first alias is (line, column, 1-based) when `text` expands to
/// more than [`budget`] values; `None` when it does not, has no alias, or
/// does not parse (the parser reports that).
pub(super) fn over_budget(text: &str) -> Option<(usize, usize)> {
    let first = first_alias(text)?;
    let left = Cell::new(budget(text));
    let walked = Count(&left).deserialize(serde_yaml::Deserializer::from_str(text));
    match walked {
        // serde_yaml puts the path before the message (`l[193]: …`).
        Err(e) if e.to_string().contains(OVER) => Some(first),
        _ => None,
    }
}

const OVER: &str = "aliases expand past the budget";

/// The first `*name` that stands where a value does (after a space,
/// `[`, `{`, `,` or at a line's start), outside comments. Quoted text is
/// not told apart: a `*` there only costs the walk.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let mut prev = ' ';
        for (at, c) in line.char_indices() {
            if c == '#' && prev == ' ' {
                break;
            }
            if c == '*'
                && matches!(prev, ' ' | '[' | '{' | ',' | '\t')
                && line[at + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace() && !matches!(n, ',' | ']' | '}'))
            {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
            prev = c;
        }
    }
    None
}

/// Walks one value, counting it and everything in it against `left`.
struct Count<'a>(&'a Cell<usize>);

impl Count<'_> {
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.0.get().checked_sub(1) {
            Some(n) => {
                self.0.set(n);
                Ok(())
            }
            None => Err(E::custom(OVER)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! scalars {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<(), E> {
            self.take()
        })*
    };
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128,
        visit_u128: u128, visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.take()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.take()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.take()?;
        Count(self.0).deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.take()?;
        Count(self.0).deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.take()?;
        while seq.next_element_seed(Count(self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.take()?;
        while map.next_key_seed(Count(self.0))?.is_some() {
            map.next_value_seed(Count(self.0))?;
        }
        Ok(())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then its value.
        self.take()?;
        let ((), variant) = data.variant_seed(Count(self.0))?;
        variant.newtype_variant_seed(Count(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bomb_is_refused_at_its_first_alias_and_ordinary_aliases_pass() {
        let map: Vec<String> = (0..300).map(|i| format!("k{i}: v")).collect();
        let mut bomb = format!("title: x\nr: &r {{{}}}\nl:\n", map.join(", "));
        for _ in 0..2_000 {
            bomb.push_str("  - *r\n");
        }
        assert_eq!(over_budget(&bomb), Some((4, 5)));

        let ordinary = "base: &b {a: 1, b: 2}\nx: *b\ny: [*b, *b]\nz: '*not an alias'\n";
        assert_eq!(over_budget(ordinary), None);
        assert_eq!(first_alias(ordinary), Some((2, 4)));
        // No alias: no walk at all; a comment's star is none.
        assert_eq!(first_alias("a: 2 * 3\n# *x\nb: c*d\n"), None);
        // Aliases within what an alias repeats count as expanded, under
        // serde_yaml's own limit on following aliases.
        let cells: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
        let nested = format!(
            "a0: &a0 [{}]\na1: &a1 [{}]\nl: [{}]\n",
            cells.join(", "),
            vec!["*a0"; 20].join(", "),
            vec!["*a1"; 30].join(", ")
        );
        assert!(serde_yaml::from_str::<serde_yaml::Value>(&nested).is_ok());
        assert_eq!(over_budget(&nested), Some((2, 10)));
    }
}
