//! What the setup panel says about each method: a label, a one-line explanation, and where it comes
//! from (a paper, or the reference implementation's page when that is the better source). One file
//! per family; entries are keyed by the engine's serde tag, so a method's entry is found from the
//! `kind` in a link.

pub mod datasets;
pub mod losses;
pub mod models;
pub mod multilabel;
pub mod params;
pub mod robustness;
pub mod samplers;
pub mod training;

/// One choice of a menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The engine's tag (`kind` value), e.g. `smote`.
    pub tag: &'static str,
    /// Shown in the menu.
    pub label: &'static str,
    /// One line on what it does.
    pub about: &'static str,
    /// Short citation and address of the source.
    pub source: Option<Source>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    pub cite: &'static str,
    pub url: &'static str,
}

pub(crate) const fn entry(
    tag: &'static str,
    label: &'static str,
    about: &'static str,
    cite: &'static str,
    url: &'static str,
) -> Entry {
    Entry {
        tag,
        label,
        about,
        source: Some(Source { cite, url }),
    }
}

pub(crate) const fn plain(tag: &'static str, label: &'static str, about: &'static str) -> Entry {
    Entry {
        tag,
        label,
        about,
        source: None,
    }
}

/// The entry for `tag` in `list`, or a bare one naming the tag (a method the catalog does not know
/// yet still gets a menu item).
pub fn find(list: &[Entry], tag: &str) -> Entry {
    list.iter()
        .copied()
        .find(|e| e.tag == tag)
        .unwrap_or(Entry {
            tag: "",
            label: "",
            about: "",
            source: None,
        })
}
