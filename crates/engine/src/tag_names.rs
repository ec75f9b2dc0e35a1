//! The `kind` names of an internally tagged serde enum, read from the enum's own `Deserialize`
//! implementation, so that a list of methods (for a menu or an error message) can never fall behind
//! the variants that exist.

use std::fmt;

use serde::de::value::MapDeserializer;
use serde::de::{self, DeserializeOwned};

/// An error type that remembers the variant list serde reports for an unknown tag.
#[derive(Debug)]
struct Probe(Option<&'static [&'static str]>);

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tag probe")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe(None)
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        Probe(Some(expected))
    }
}

/// The names `T` accepts in its tag field `tag` (for example `"kind"`), in declaration order.
/// Empty if `T` is not an internally tagged enum with that tag.
///
/// Works by deserializing `{tag: <a name no variant has>}` and keeping the list that serde's
/// derived code passes to `unknown_variant`.
pub fn tag_names<T: DeserializeOwned>(tag: &str) -> Vec<&'static str> {
    let probe = [(tag, "\u{0}no such kind\u{0}")];
    let map = MapDeserializer::<_, Probe>::new(probe.into_iter());
    match T::deserialize(map) {
        Err(Probe(Some(names))) => names.to_vec(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case", tag = "kind")]
    #[allow(dead_code)]
    enum Shape {
        Point,
        Circle { radius: f64 },
        BigSquare(Side),
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Side {
        side: f64,
    }

    #[test]
    fn lists_every_variant_in_order() {
        assert_eq!(
            tag_names::<Shape>("kind"),
            vec!["point", "circle", "big_square"]
        );
    }

    #[test]
    fn other_types_give_nothing() {
        assert!(tag_names::<Shape>("type").is_empty());
        assert!(tag_names::<Side>("kind").is_empty());
    }
}
