//! Per-label ROC AUC and average precision, with their `macro`, `micro` and `weighted` averages,
//! as `sklearn.metrics.roc_auc_score` / `average_precision_score` on indicator matrices
//! (scikit-learn 1.9.1, `metrics/_base.py::_average_binary_score`). Each label is the binary
//! problem "carries the label or not" ranked by its score column, computed by the engine's binary
//! [`roc_auc_binary`] and [`average_precision_binary`].
//!
//! Undefined: a label whose column holds one class has no ROC AUC (reference NaN, so a macro
//! average with it is NaN); a label without positives has no AP (reference 0.0). `micro` pools
//! every entry (row-major ravel, as the reference). `weighted` weights by support, forces parts of
//! weight 0 to 0 as the reference does, and returns the reference's 0.0 when every support is 0.

use serde::{Deserialize, Serialize};

use super::label_scores::LabelScores;
use super::precision_recall_f1::MultilabelAverage;
use crate::metrics::score::aggregate;
use crate::metrics::summation::{mean, weighted_average};
use crate::metrics::{
    average_precision_binary, roc_auc_binary, LabelIndicators, Reason, Reference, Score,
};
use crate::{EngineError, Result};

/// Which ranking curve's area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveScore {
    RocAuc,
    AveragePrecision,
}

fn binary(kind: CurveScore, truth: &[bool], scores: &[f64]) -> Result<Score> {
    match kind {
        CurveScore::RocAuc => roc_auc_binary(truth, scores),
        CurveScore::AveragePrecision => average_precision_binary(truth, scores),
    }
}

/// Per-label areas (`average=None`).
pub fn per_label(
    kind: CurveScore,
    y_true: &LabelIndicators,
    scores: &LabelScores,
) -> Result<Vec<Score>> {
    scores.check_against(y_true)?;
    (0..y_true.n_labels)
        .map(|l| {
            let truth: Vec<bool> = (0..y_true.n_samples).map(|i| y_true.get(i, l)).collect();
            Ok(match binary(kind, &truth, &scores.column(l))? {
                Score::Undefined { reference, .. } => {
                    let reason = if truth.iter().any(|&t| t) {
                        Reason::NoNegatives { classes: vec![l] }
                    } else {
                        Reason::AbsentFromTruth { classes: vec![l] }
                    };
                    Score::undefined(reason, reference)
                }
                defined => defined,
            })
        })
        .collect()
}

/// An averaged area; `samples` is not offered (use the per-label values).
pub fn averaged(
    kind: CurveScore,
    y_true: &LabelIndicators,
    scores: &LabelScores,
    average: MultilabelAverage,
) -> Result<Score> {
    scores.check_against(y_true)?;
    match average {
        MultilabelAverage::Micro => binary(kind, &y_true.bits, &scores.values),
        MultilabelAverage::Macro => {
            let parts = per_label(kind, y_true, scores)?;
            Ok(aggregate(&parts.iter().collect::<Vec<_>>(), mean))
        }
        MultilabelAverage::Weighted => {
            let support: Vec<f64> = (0..y_true.n_labels)
                .map(|l| (0..y_true.n_samples).filter(|&i| y_true.get(i, l)).count() as f64)
                .collect();
            if support.iter().all(|&w| w == 0.0) {
                return Ok(Score::undefined(
                    Reason::AbsentFromTruth {
                        classes: (0..y_true.n_labels).collect(),
                    },
                    Reference::Value(0.0),
                ));
            }
            let parts: Vec<Score> = per_label(kind, y_true, scores)?
                .into_iter()
                .zip(&support)
                .map(|(s, &w)| if w == 0.0 { Score::Defined(0.0) } else { s })
                .collect();
            Ok(aggregate(&parts.iter().collect::<Vec<_>>(), |v| {
                weighted_average(v, &support)
            }))
        }
        MultilabelAverage::Samples => Err(EngineError::config(
            "average",
            "the samples average of ROC AUC / AP is not offered; use micro, macro or weighted",
        )),
    }
}
