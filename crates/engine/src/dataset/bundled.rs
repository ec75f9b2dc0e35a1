//! The small real datasets shipped with the app under `public/data/` (provenance and licences in
//! `public/data/README.md`). The engine does not embed them: the app fetches a file, the CLI reads it,
//! and [`parse`] turns its text into a table after checking it is the expected file.

use serde::{Deserialize, Serialize};

use super::csv::{self, CsvOptions, LabelColumn, Table};
use crate::error::{EngineError, Result};

/// A bundled dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundledName {
    /// Optical recognition of handwritten digits (8×8 images), scikit-learn's `load_digits`.
    Digits,
    /// Breast Cancer Wisconsin (Diagnostic), scikit-learn's `load_breast_cancer`.
    BreastCancer,
    /// Wine recognition (three cultivars), scikit-learn's `load_wine`.
    Wine,
    /// Fisher's iris, scikit-learn's `load_iris`.
    Iris,
    /// Red wine quality (Cortez et al. 2009), as shipped in `linfa-datasets` 0.8.1.
    WineQualityRed,
}

impl BundledName {
    pub const ALL: [BundledName; 5] = [
        BundledName::Digits,
        BundledName::BreastCancer,
        BundledName::Wine,
        BundledName::Iris,
        BundledName::WineQualityRed,
    ];

    /// The identifier used in configs and links.
    pub fn name(self) -> &'static str {
        match self {
            BundledName::Digits => "digits",
            BundledName::BreastCancer => "breast_cancer",
            BundledName::Wine => "wine",
            BundledName::Iris => "iris",
            BundledName::WineQualityRed => "wine_quality_red",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == s)
    }

    /// File name under `public/data/`.
    pub fn file_name(self) -> &'static str {
        match self {
            BundledName::Digits => "digits.csv",
            BundledName::BreastCancer => "breast_cancer.csv",
            BundledName::Wine => "wine.csv",
            BundledName::Iris => "iris.csv",
            BundledName::WineQualityRed => "wine_quality_red.csv",
        }
    }

    /// A title for menus.
    pub fn title(self) -> &'static str {
        match self {
            BundledName::Digits => "Handwritten digits (8×8)",
            BundledName::BreastCancer => "Breast cancer (Wisconsin diagnostic)",
            BundledName::Wine => "Wine recognition",
            BundledName::Iris => "Iris",
            BundledName::WineQualityRed => "Red wine quality",
        }
    }

    pub fn rows(self) -> usize {
        self.class_counts().iter().sum()
    }

    pub fn n_features(self) -> usize {
        match self {
            BundledName::Digits => 64,
            BundledName::BreastCancer => 30,
            BundledName::Wine => 13,
            BundledName::Iris => 4,
            BundledName::WineQualityRed => 11,
        }
    }

    /// Rows per class in the shipped file, in class order.
    pub fn class_counts(self) -> &'static [usize] {
        match self {
            BundledName::Digits => &[178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
            BundledName::BreastCancer => &[212, 357],
            BundledName::Wine => &[59, 71, 48],
            BundledName::Iris => &[50, 50, 50],
            BundledName::WineQualityRed => &[10, 53, 681, 638, 199, 18],
        }
    }

    /// Display names of the classes, in class order (scikit-learn's `target_names`; for wine quality
    /// the quality score).
    pub fn class_names(self) -> &'static [&'static str] {
        match self {
            BundledName::Digits => &["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            BundledName::BreastCancer => &["malignant", "benign"],
            BundledName::Wine => &["class_0", "class_1", "class_2"],
            BundledName::Iris => &["setosa", "versicolor", "virginica"],
            BundledName::WineQualityRed => &["3", "4", "5", "6", "7", "8"],
        }
    }

    /// Where the data comes from and under which licence (the full notes are in
    /// `public/data/README.md`).
    pub fn provenance(self) -> &'static str {
        match self {
            BundledName::Digits => "UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak 1998), test part as shipped in scikit-learn 1.9.1; CC BY 4.0",
            BundledName::BreastCancer => "UCI Breast Cancer Wisconsin (Diagnostic) (Wolberg, Street & Mangasarian 1995), as shipped in scikit-learn 1.9.1; CC BY 4.0",
            BundledName::Wine => "UCI Wine (Forina et al. 1988; Aeberhard & Forina 1991), as shipped in scikit-learn 1.9.1; CC BY 4.0",
            BundledName::Iris => "UCI Iris (Fisher 1936), as shipped in scikit-learn 1.9.1; CC BY 4.0",
            BundledName::WineQualityRed => "UCI Wine Quality, red (Cortez et al. 2009), as shipped in linfa-datasets 0.8.1; CC BY 4.0",
        }
    }
}

/// Reads the text of bundled file `name`: label in the last column, features as they are in the file
/// (not standardized). Fails with a message if the text is not that file (wrong shape or class sizes,
/// e.g. a truncated download), so a subsampling profile never runs on the wrong rows.
pub fn parse(name: BundledName, text: &str) -> Result<Table> {
    let mut table = csv::parse(
        text.as_bytes(),
        &CsvOptions {
            label_column: LabelColumn::Last,
            features: None,
            standardize: false,
        },
    )
    .map_err(|e| EngineError::Data(format!("bundled file {}: {e}", name.file_name())))?;
    let counts = table.data.class_counts();
    if table.data.n_features != name.n_features() || counts != name.class_counts() {
        return Err(EngineError::Data(format!(
            "bundled file {} is not the expected data: {} rows × {} features with class sizes {:?}, expected {} × {} with {:?}. Reload the page to fetch it again",
            name.file_name(),
            table.data.len(),
            table.data.n_features,
            counts,
            name.rows(),
            name.n_features(),
            name.class_counts()
        )));
    }
    table.class_names = name.class_names().iter().map(|s| s.to_string()).collect();
    Ok(table)
}
