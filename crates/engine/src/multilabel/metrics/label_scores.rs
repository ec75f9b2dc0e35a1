//! Real-valued scores of every label for every sample (`y_score` of scikit-learn's ranking metrics:
//! probabilities, logits or any monotone confidence), row-major.

use serde::{Deserialize, Serialize};

use crate::metrics::LabelIndicators;
use crate::{EngineError, Result};

/// `n × L` label scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelScores {
    pub n_samples: usize,
    pub n_labels: usize,
    /// Row-major `values[i * n_labels + l]`.
    pub values: Vec<f64>,
}

impl LabelScores {
    /// Refuses ragged input and non-finite scores (a NaN would make every ranking meaningless).
    pub fn new(values: Vec<f64>, n_labels: usize) -> Result<Self> {
        if n_labels == 0 || !values.len().is_multiple_of(n_labels) {
            return Err(EngineError::Data(format!(
                "{} scores do not form rows of {n_labels} labels",
                values.len()
            )));
        }
        if let Some(p) = values.iter().position(|v| !v.is_finite()) {
            return Err(EngineError::Data(format!(
                "score of sample {} label {} is {}; scores must be finite numbers",
                p / n_labels,
                p % n_labels,
                values[p]
            )));
        }
        Ok(LabelScores {
            n_samples: values.len() / n_labels,
            n_labels,
            values,
        })
    }

    pub fn get(&self, i: usize, l: usize) -> f64 {
        self.values[i * self.n_labels + l]
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.n_labels..(i + 1) * self.n_labels]
    }

    pub fn column(&self, l: usize) -> Vec<f64> {
        (0..self.n_samples).map(|i| self.get(i, l)).collect()
    }

    /// Hard predictions `score > threshold` (scikit-learn's `LabelBinarizer` / `MLPClassifier`
    /// rule for indicator outputs: strictly greater).
    pub fn predict(&self, threshold: f64) -> LabelIndicators {
        LabelIndicators {
            n_samples: self.n_samples,
            n_labels: self.n_labels,
            bits: self.values.iter().map(|&v| v > threshold).collect(),
        }
    }

    /// Checks the shape against the true labels (and that there are samples).
    pub fn check_against(&self, y_true: &LabelIndicators) -> Result<()> {
        if self.n_samples != y_true.n_samples || self.n_labels != y_true.n_labels {
            return Err(EngineError::Data(format!(
                "y_true is {}×{} but the scores are {}×{}; give one score per label and sample",
                y_true.n_samples, y_true.n_labels, self.n_samples, self.n_labels
            )));
        }
        if self.n_samples == 0 {
            return Err(EngineError::Data("there are no samples".into()));
        }
        Ok(())
    }
}
