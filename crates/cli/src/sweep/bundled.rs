//! The bundled datasets (`public/data/*.csv`), compiled into the binary as in the app, so that a
//! sweep over a link or preset naming `digits` runs from any directory and gives the browser's rows.

use imlab_engine::dataset::{BundledName, MemorySource};

pub fn files() -> MemorySource {
    let mut files = MemorySource::new();
    for name in BundledName::ALL {
        files.add_bundled(name, text(name).to_string());
    }
    files
}

fn text(name: BundledName) -> &'static str {
    match name {
        BundledName::Digits => include_str!("../../../../public/data/digits.csv"),
        BundledName::BreastCancer => include_str!("../../../../public/data/breast_cancer.csv"),
        BundledName::Wine => include_str!("../../../../public/data/wine.csv"),
        BundledName::Iris => include_str!("../../../../public/data/iris.csv"),
        BundledName::WineQualityRed => {
            include_str!("../../../../public/data/wine_quality_red.csv")
        }
    }
}
