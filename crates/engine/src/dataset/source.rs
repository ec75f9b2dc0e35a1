//! Where the bytes of bundled and uploaded datasets come from when a spec is turned into data.

use std::collections::BTreeMap;

use super::bundled::BundledName;
use super::content_hash::content_hash;

/// Supplies file contents that a [`super::DatasetSpec`] names but does not contain.
pub trait DataSource {
    /// The text of a bundled file, if it has been loaded.
    fn bundled_text(&self, name: BundledName) -> Option<&str>;
    /// The bytes of an uploaded file with this content hash, if present.
    fn uploaded_bytes(&self, hash: &str) -> Option<&[u8]>;
}

/// No files at all: enough for generated datasets.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoData;

impl DataSource for NoData {
    fn bundled_text(&self, _: BundledName) -> Option<&str> {
        None
    }
    fn uploaded_bytes(&self, _: &str) -> Option<&[u8]> {
        None
    }
}

/// Files held in memory: what the app has fetched or the user has dropped in.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    bundled: BTreeMap<BundledName, String>,
    uploads: BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add_bundled(&mut self, name: BundledName, text: String) {
        self.bundled.insert(name, text);
    }

    /// Stores an uploaded file under its content hash, which is returned (put it in the spec).
    pub fn add_upload(&mut self, bytes: Vec<u8>) -> String {
        let hash = content_hash(&bytes);
        self.uploads.insert(hash.clone(), bytes);
        hash
    }

    /// Reads every bundled file present in `dir` (the app's `public/data/`); missing files are skipped.
    pub fn with_bundled_dir(mut self, dir: &std::path::Path) -> std::io::Result<Self> {
        for name in BundledName::ALL {
            match std::fs::read_to_string(dir.join(name.file_name())) {
                Ok(text) => self.add_bundled(name, text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self)
    }
}

impl DataSource for MemorySource {
    fn bundled_text(&self, name: BundledName) -> Option<&str> {
        self.bundled.get(&name).map(String::as_str)
    }
    fn uploaded_bytes(&self, hash: &str) -> Option<&[u8]> {
        self.uploads.get(hash).map(Vec::as_slice)
    }
}
