//! Per-label report: precision, recall, F1, Jaccard and support of every label, as
//! `precision_recall_fscore_support(average=None)` and `jaccard_score(average=None)` on indicator
//! matrices (scikit-learn 1.9.1; `classification_report`'s rows for multi-label input).

use serde::{Deserialize, Serialize};

use super::counts::PartCounts;
use super::precision_recall_f1::{per_label, SetScore};
use crate::metrics::{jaccard_per_label, LabelIndicators, Score};
use crate::Result;

/// One label's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelReport {
    pub label: usize,
    pub precision: Score,
    pub recall: Score,
    pub f1: Score,
    pub jaccard: Score,
    /// Samples carrying the label in `y_true`.
    pub support: usize,
    /// Samples predicted to carry it.
    pub predicted: usize,
}

pub fn label_reports(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
) -> Result<Vec<LabelReport>> {
    let p = per_label(SetScore::Precision, y_true, y_pred)?;
    let r = per_label(SetScore::Recall, y_true, y_pred)?;
    let f = per_label(SetScore::F1, y_true, y_pred)?;
    let j = jaccard_per_label(y_true, y_pred)?;
    let c = PartCounts::per_label(y_true, y_pred);
    Ok((0..y_true.n_labels)
        .map(|l| LabelReport {
            label: l,
            precision: p[l].clone(),
            recall: r[l].clone(),
            f1: f[l].clone(),
            jaccard: j[l].clone(),
            support: c.truth[l],
            predicted: c.predicted[l],
        })
        .collect())
}
