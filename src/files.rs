//! The files an experiment may name besides generated data: the bundled datasets (compiled into the
//! app, so they are there offline and no request leaves the page) and the CSV files the user drops
//! in (kept in memory under their content hash).

use imlab_engine::dataset::{BundledName, MemorySource};

/// A source holding every bundled dataset.
pub fn with_bundled() -> MemorySource {
    let mut files = MemorySource::new();
    for name in BundledName::ALL {
        files.add_bundled(name, bundled_text(name).to_string());
    }
    files
}

fn bundled_text(name: BundledName) -> &'static str {
    match name {
        BundledName::Digits => include_str!("../public/data/digits.csv"),
        BundledName::BreastCancer => include_str!("../public/data/breast_cancer.csv"),
        BundledName::Wine => include_str!("../public/data/wine.csv"),
        BundledName::Iris => include_str!("../public/data/iris.csv"),
        BundledName::WineQualityRed => include_str!("../public/data/wine_quality_red.csv"),
    }
}
