//! Multi-label targets: an `n × L` 0/1 indicator matrix (scikit-learn's "multilabel-indicator").

use serde::{Deserialize, Serialize};

use crate::{EngineError, Result};

/// Which of `n_labels` labels each sample carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelIndicators {
    pub n_samples: usize,
    pub n_labels: usize,
    /// Row-major `bits[i * n_labels + l]`.
    pub bits: Vec<bool>,
}

impl LabelIndicators {
    pub fn new(bits: Vec<bool>, n_labels: usize) -> Result<Self> {
        if n_labels == 0 || !bits.len().is_multiple_of(n_labels) {
            return Err(EngineError::Data(format!(
                "{} indicators do not form rows of {n_labels} labels",
                bits.len()
            )));
        }
        Ok(LabelIndicators {
            n_samples: bits.len() / n_labels,
            n_labels,
            bits,
        })
    }

    pub fn get(&self, i: usize, l: usize) -> bool {
        self.bits[i * self.n_labels + l]
    }

    /// Checks that two matrices have the same shape.
    pub fn check_same_shape(&self, other: &LabelIndicators) -> Result<()> {
        if self.n_samples != other.n_samples || self.n_labels != other.n_labels {
            return Err(EngineError::Data(format!(
                "y_true is {}×{} but y_pred is {}×{}; give one row of labels per sample",
                self.n_samples, self.n_labels, other.n_samples, other.n_labels
            )));
        }
        if self.n_samples == 0 {
            return Err(EngineError::Data("there are no samples".into()));
        }
        Ok(())
    }
}
