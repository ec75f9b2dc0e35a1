//! Support-weighted Jaccard (`jaccard_score(average='weighted')`, scikit-learn 1.9.1), the one
//! average the existing [`crate::metrics::jaccard`] lacks. Weights are the labels' supports; when
//! all are zero the reference averages unweighted, and so does this.

use super::precision_recall_f1::support_weighted;
use crate::metrics::{jaccard_per_label, LabelIndicators, Score};
use crate::Result;

pub fn jaccard_weighted(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Result<Score> {
    let parts = jaccard_per_label(y_true, y_pred)?;
    let support: Vec<usize> = (0..y_true.n_labels)
        .map(|l| (0..y_true.n_samples).filter(|&i| y_true.get(i, l)).count())
        .collect();
    Ok(support_weighted(&parts, &support))
}
