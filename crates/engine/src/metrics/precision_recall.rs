//! Precision-recall curve and average precision (the step-wise area, **not** the trapezoid:
//! `AP = Σ_n (R_n − R_{n−1}) P_n`), binary and one-vs-rest macro.
//!
//! Reference: `sklearn.metrics.precision_recall_curve(drop_intermediate=False)` and
//! `average_precision_score` (scikit-learn 1.9.1, `metrics/_ranking.py`), tested against its
//! fixtures. No positives: the reference sets recall to 1 everywhere and returns AP 0.0 with a
//! warning; here the recall is `None` and AP undefined with reference 0.0. Multi-class AP in the
//! reference binarises `y_true` over the classes *present* in it and raises when that does not
//! match the score columns; here the per-class values are still given and the macro average is
//! undefined (reference: raises).

use serde::{Deserialize, Serialize};

use super::probabilities::{check_truth, Probabilities};
use super::score::{aggregate, Reason, Reference, Score};
use super::summation::{mean, pairwise_sum};
use super::threshold_counts::ThresholdCounts;
use crate::Result;

/// Points of a precision-recall curve, decreasing recall, ending at (recall 0, precision 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrCurve {
    /// Precision at each threshold (0 where nothing is predicted positive), then 1.
    pub precision: Vec<f64>,
    /// Recall at each threshold, then 0; `None` when `y_true` has no positive.
    pub recall: Option<Vec<f64>>,
    /// Thresholds, increasing (one fewer than the points).
    pub thresholds: Vec<f64>,
}

/// `precision_recall_curve`; `drop_intermediate` keeps only the first and last point of each run
/// of equal true-positive counts.
pub fn precision_recall_curve(
    y_true: &[bool],
    scores: &[f64],
    drop_intermediate: bool,
) -> Result<PrCurve> {
    let c = ThresholdCounts::new(y_true, scores)?;
    let (mut fps, mut tps, mut thr) = (c.fps, c.tps, c.thresholds);
    if drop_intermediate && fps.len() > 2 {
        let n = tps.len();
        let keep: Vec<usize> = (0..n)
            .filter(|&i| i == 0 || i == n - 1 || tps[i] != tps[i - 1] || tps[i + 1] != tps[i])
            .collect();
        fps = keep.iter().map(|&i| fps[i]).collect();
        tps = keep.iter().map(|&i| tps[i]).collect();
        thr = keep.iter().map(|&i| thr[i]).collect();
    }
    let mut precision: Vec<f64> = tps
        .iter()
        .zip(&fps)
        .rev()
        .map(|(&tp, &fp)| {
            let ps = tp + fp;
            if ps != 0.0 {
                tp / ps
            } else {
                0.0
            }
        })
        .collect();
    precision.push(1.0);
    let total = *tps.last().unwrap_or(&0.0);
    let recall = (total != 0.0).then(|| {
        let mut r: Vec<f64> = tps.iter().rev().map(|&tp| tp / total).collect();
        r.push(0.0);
        r
    });
    thr.reverse();
    Ok(PrCurve {
        precision,
        recall,
        thresholds: thr,
    })
}

/// Binary average precision of positives `y_true[i] == true` ranked by `scores`.
pub fn average_precision_binary(y_true: &[bool], scores: &[f64]) -> Result<Score> {
    let curve = precision_recall_curve(y_true, scores, false)?;
    let Some(recall) = curve.recall else {
        return Ok(Score::undefined(
            Reason::AbsentFromTruth { classes: vec![1] },
            Reference::Value(0.0),
        ));
    };
    let steps: Vec<f64> = recall
        .windows(2)
        .zip(&curve.precision)
        .map(|(r, &p)| (r[1] - r[0]) * p)
        .collect();
    // The reference clips the −0.0 that rounding can produce.
    Ok(Score::Defined(f64::max(0.0, -pairwise_sum(&steps))))
}

/// One-vs-rest AP of every class (truth `y == c`, score column `c`).
pub fn average_precision_per_class(y_true: &[usize], probs: &Probabilities) -> Result<Vec<Score>> {
    check_truth(y_true, probs)?;
    (0..probs.n_classes)
        .map(|c| {
            let truth: Vec<bool> = y_true.iter().map(|&y| y == c).collect();
            let s = average_precision_binary(&truth, &probs.column(c))?;
            Ok(match s {
                Score::Undefined { reference, .. } => {
                    Score::undefined(Reason::AbsentFromTruth { classes: vec![c] }, reference)
                }
                defined => defined,
            })
        })
        .collect()
}

/// `average_precision_score(y_true, P, average='macro')` for multi-class `y_true`.
pub fn average_precision_macro(y_true: &[usize], probs: &Probabilities) -> Result<Score> {
    let per_class = average_precision_per_class(y_true, probs)?;
    let parts: Vec<&Score> = per_class.iter().collect();
    Ok(match aggregate(&parts, mean) {
        Score::Undefined { reason, .. } => Score::undefined(reason, Reference::Raises),
        defined => defined,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sklearn_docstring_example() {
        // precision_recall_curve([0,0,1,1],[0.1,0.4,0.35,0.8]) from scikit-learn's docstring.
        let c = precision_recall_curve(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8], false)
            .unwrap();
        assert_eq!(c.precision, vec![0.5, 2.0 / 3.0, 0.5, 1.0, 1.0]);
        assert_eq!(c.recall.unwrap(), vec![1.0, 1.0, 0.5, 0.5, 0.0]);
        assert_eq!(c.thresholds, vec![0.1, 0.35, 0.4, 0.8]);
    }

    #[test]
    fn no_positives_is_undefined_with_zero_reference() {
        let s = average_precision_binary(&[false, false, false], &[0.2, 0.5, 0.9]).unwrap();
        assert_eq!(s.value(), None);
        assert_eq!(s.reference(), Some(0.0));
    }
}
