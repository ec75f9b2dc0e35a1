//! What the class-aware losses need from the training labels: samples, positives per label and
//! label co-occurrence (known positives only: an unknown entry is not evidence of a label).

use serde::{Deserialize, Serialize};

use crate::multilabel::LabelMatrix;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelStats {
    pub n_samples: usize,
    pub n_labels: usize,
    /// Known positives of each label (`class_freq` in the DB-loss reference).
    pub positives: Vec<usize>,
    /// Known negatives of each label.
    pub negatives: Vec<usize>,
    /// `co[j * L + k]`: samples positive for both `j` and `k` (the diagonal holds `positives`).
    pub cooccurrence: Vec<usize>,
}

impl LabelStats {
    pub fn from_labels(y: &LabelMatrix) -> Self {
        let (n, l) = (y.n_samples(), y.n_labels());
        let mut negatives = vec![0; l];
        let mut co = vec![0; l * l];
        for i in 0..n {
            for j in 0..l {
                negatives[j] += usize::from(y.get(i, j) == crate::multilabel::LabelEntry::Negative);
                if y.is_positive(i, j) {
                    for k in 0..l {
                        co[j * l + k] += usize::from(y.is_positive(i, k));
                    }
                }
            }
        }
        LabelStats {
            n_samples: n,
            n_labels: l,
            positives: (0..l).map(|j| co[j * l + j]).collect(),
            negatives,
            cooccurrence: co,
        }
    }
}
