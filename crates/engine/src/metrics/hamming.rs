//! Hamming loss: the fraction of wrong labels.
//!
//! Reference: `sklearn.metrics.hamming_loss` (scikit-learn 1.9.1): multi-label, mismatches over
//! N × L entries; single-label multi-class, 1 − accuracy (computed as the mismatch share, which is
//! the same number the reference's `_average(y_true != y_pred)` gives).

use super::label_indicators::LabelIndicators;
use super::score::{Reason, Reference, Score};
use super::ConfusionMatrix;
use crate::Result;

/// Multi-label Hamming loss.
pub fn hamming_loss_multilabel(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
) -> Result<Score> {
    y_true.check_same_shape(y_pred)?;
    let wrong = y_true
        .bits
        .iter()
        .zip(&y_pred.bits)
        .filter(|(a, b)| a != b)
        .count();
    Ok(Score::Defined(
        wrong as f64 / (y_true.n_samples * y_true.n_labels) as f64,
    ))
}

impl ConfusionMatrix {
    /// Single-label Hamming loss: the share of wrong predictions.
    pub fn hamming_loss(&self) -> Score {
        let n = self.total();
        if n == 0 {
            return Score::undefined(Reason::NoSamples, Reference::Raises);
        }
        Score::Defined((n - self.trace()) as f64 / n as f64)
    }
}
