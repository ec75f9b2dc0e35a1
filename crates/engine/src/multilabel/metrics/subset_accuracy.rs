//! Subset accuracy (exact match ratio): the share of samples whose predicted label set equals the
//! true one. Reference: `sklearn.metrics.accuracy_score` on indicator matrices (scikit-learn 1.9.1).

use crate::metrics::{LabelIndicators, Score};
use crate::Result;

pub fn subset_accuracy(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Result<Score> {
    y_true.check_same_shape(y_pred)?;
    let l = y_true.n_labels;
    let exact = y_true
        .bits
        .chunks(l)
        .zip(y_pred.bits.chunks(l))
        .filter(|(a, b)| a == b)
        .count();
    Ok(Score::Defined(exact as f64 / y_true.n_samples as f64))
}
