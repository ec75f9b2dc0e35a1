//! ROC curve and the area under it: binary, one-vs-rest (Provost & Domingos, "Well-trained PETs:
//! improving probability estimation trees", 2000, for the prevalence-weighted average) and
//! one-vs-one (Hand & Till, "A simple generalisation of the area under the ROC curve for multiple
//! class classification problems", Machine Learning 45, 2001).
//!
//! Reference: `sklearn.metrics.roc_curve(drop_intermediate=True)` and `roc_auc_score` (scikit-learn
//! 1.9.1, `metrics/_ranking.py`), tested against its fixtures. The area is the trapezoid rule over
//! the curve, i.e. the Mann–Whitney statistic with ties counted ½.
//!
//! Undefined cases: one class in `y_true` (reference: NaN with a warning); for the multi-class
//! averages a class absent from `y_true` (reference: `ValueError`). Multi-class averages need rows
//! that sum to 1 (an error here, a `ValueError` in the reference). With K = 2 the reference's
//! `roc_auc_score` only takes the binary path (scores `P[:, 1]`); the one-vs-rest / one-vs-one
//! values here are then the same definitions applied to both columns.

use serde::{Deserialize, Serialize};

use super::averages::Average;
use super::probabilities::{check_truth, Probabilities};
use super::score::{aggregate, Reason, Reference, Score};
use super::summation::{mean, pairwise_sum, weighted_average};
use super::threshold_counts::ThresholdCounts;
use crate::{EngineError, Result};

/// Points of a ROC curve, lowest false-positive rate first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    /// False-positive rates; `None` when there are no negatives (the reference returns NaNs).
    pub fpr: Option<Vec<f64>>,
    /// True-positive rates; `None` when there are no positives (the reference returns NaNs).
    pub tpr: Option<Vec<f64>>,
    /// Thresholds; the first is +∞ (the curve starts at (0, 0)). JSON has no infinity: it is
    /// written as null and read back as +∞.
    #[serde(deserialize_with = "null_as_infinity")]
    pub thresholds: Vec<f64>,
}

fn null_as_infinity<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<f64>, D::Error> {
    let v: Vec<Option<f64>> = Vec::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
}

/// `roc_curve`: with `drop_intermediate`, points collinear with their neighbours are dropped
/// (they never change the area).
pub fn roc_curve(y_true: &[bool], scores: &[f64], drop_intermediate: bool) -> Result<RocCurve> {
    let c = ThresholdCounts::new(y_true, scores)?;
    let (mut fps, mut tps, mut thr) = (c.fps, c.tps, c.thresholds);
    if drop_intermediate && fps.len() > 2 {
        let corner = |v: &[f64], i: usize| (v[i + 1] - v[i]) - (v[i] - v[i - 1]) != 0.0;
        let keep: Vec<usize> = (0..fps.len())
            .filter(|&i| i == 0 || i == fps.len() - 1 || corner(&fps, i) || corner(&tps, i))
            .collect();
        fps = keep.iter().map(|&i| fps[i]).collect();
        tps = keep.iter().map(|&i| tps[i]).collect();
        thr = keep.iter().map(|&i| thr[i]).collect();
    }
    fps.insert(0, 0.0);
    tps.insert(0, 0.0);
    thr.insert(0, f64::INFINITY);
    let rate = |v: &[f64]| {
        let last = *v.last().unwrap_or(&0.0);
        (last > 0.0).then(|| v.iter().map(|x| x / last).collect::<Vec<f64>>())
    };
    Ok(RocCurve {
        fpr: rate(&fps),
        tpr: rate(&tps),
        thresholds: thr,
    })
}

/// `np.trapezoid(y, x)` with `sklearn.metrics.auc`'s direction rule.
pub fn trapezoid_area(x: &[f64], y: &[f64]) -> Result<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return Err(EngineError::Data(
            "an area needs at least 2 points with matching x and y".into(),
        ));
    }
    let dx: Vec<f64> = x.windows(2).map(|w| w[1] - w[0]).collect();
    let direction = if dx.iter().any(|&d| d < 0.0) {
        if dx.iter().all(|&d| d <= 0.0) {
            -1.0
        } else {
            return Err(EngineError::Data(
                "x is neither increasing nor decreasing".into(),
            ));
        }
    } else {
        1.0
    };
    let parts: Vec<f64> = dx
        .iter()
        .zip(y.windows(2))
        .map(|(d, w)| d * (w[1] + w[0]) / 2.0)
        .collect();
    Ok(direction * pairwise_sum(&parts))
}

/// Binary ROC AUC of positives `y_true[i] == true` ranked by `scores`.
pub fn roc_auc_binary(y_true: &[bool], scores: &[f64]) -> Result<Score> {
    let curve = roc_curve(y_true, scores, true)?;
    match (&curve.fpr, &curve.tpr) {
        (Some(fpr), Some(tpr)) => Ok(Score::Defined(trapezoid_area(fpr, tpr)?)),
        _ => Ok(Score::undefined(Reason::SingleClassInTruth, Reference::Nan)),
    }
}

/// One-vs-rest AUC of every class `c` (truth `y == c`, score column `c`). A class absent from
/// `y_true` (or holding every sample) is undefined with reference NaN, as the binary score.
pub fn roc_auc_per_class(y_true: &[usize], probs: &Probabilities) -> Result<Vec<Score>> {
    check_truth(y_true, probs)?;
    (0..probs.n_classes)
        .map(|c| {
            let truth: Vec<bool> = y_true.iter().map(|&y| y == c).collect();
            let s = roc_auc_binary(&truth, &probs.column(c))?;
            Ok(match s {
                Score::Undefined { reference, .. } => {
                    let reason = if truth.iter().any(|&t| t) {
                        Reason::NoNegatives { classes: vec![c] }
                    } else {
                        Reason::AbsentFromTruth { classes: vec![c] }
                    };
                    Score::undefined(reason, reference)
                }
                defined => defined,
            })
        })
        .collect()
}

fn absent_classes(y_true: &[usize], k: usize) -> Vec<usize> {
    (0..k).filter(|c| !y_true.contains(c)).collect()
}

/// `roc_auc_score(multi_class='ovr', average=macro|weighted)`. Micro is not offered.
pub fn roc_auc_ovr(y_true: &[usize], probs: &Probabilities, average: Average) -> Result<Score> {
    if average == Average::Micro {
        return Err(EngineError::config(
            "average",
            "one-vs-rest ROC AUC supports macro and weighted",
        ));
    }
    probs.check_rows_sum_to_one()?;
    let per_class = roc_auc_per_class(y_true, probs)?;
    let absent = absent_classes(y_true, probs.n_classes);
    if !absent.is_empty() {
        return Ok(Score::undefined(
            Reason::AbsentFromTruth { classes: absent },
            Reference::Raises,
        ));
    }
    let parts: Vec<&Score> = per_class.iter().collect();
    Ok(match average {
        Average::Weighted => {
            let weights: Vec<f64> = (0..probs.n_classes)
                .map(|c| y_true.iter().filter(|&&y| y == c).count() as f64)
                .collect();
            aggregate(&parts, |v| weighted_average(v, &weights))
        }
        _ => aggregate(&parts, mean),
    })
}

/// `roc_auc_score(multi_class='ovo', average=macro|weighted)`: Hand & Till's M, the mean over
/// class pairs (a, b) of `(AUC(a | a,b) + AUC(b | a,b)) / 2` on the samples of the pair; weighted by
/// the pair's share of samples with `Weighted`.
pub fn roc_auc_ovo(y_true: &[usize], probs: &Probabilities, average: Average) -> Result<Score> {
    if average == Average::Micro {
        return Err(EngineError::config(
            "average",
            "one-vs-one ROC AUC supports macro and weighted",
        ));
    }
    check_truth(y_true, probs)?;
    probs.check_rows_sum_to_one()?;
    let absent = absent_classes(y_true, probs.n_classes);
    if !absent.is_empty() {
        return Ok(Score::undefined(
            Reason::AbsentFromTruth { classes: absent },
            Reference::Raises,
        ));
    }
    let k = probs.n_classes;
    let mut pair_scores = Vec::new();
    let mut prevalence = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let idx: Vec<usize> = (0..y_true.len())
                .filter(|&i| y_true[i] == a || y_true[i] == b)
                .collect();
            let a_true: Vec<bool> = idx.iter().map(|&i| y_true[i] == a).collect();
            let b_true: Vec<bool> = idx.iter().map(|&i| y_true[i] == b).collect();
            let a_scores: Vec<f64> = idx.iter().map(|&i| probs.get(i, a)).collect();
            let b_scores: Vec<f64> = idx.iter().map(|&i| probs.get(i, b)).collect();
            let sa = roc_auc_binary(&a_true, &a_scores)?;
            let sb = roc_auc_binary(&b_true, &b_scores)?;
            // Both classes occur in the pair, so both areas are defined.
            let (Some(sa), Some(sb)) = (sa.value(), sb.value()) else {
                return Ok(Score::undefined(
                    Reason::SingleClassInTruth,
                    Reference::Raises,
                ));
            };
            pair_scores.push((sa + sb) / 2.0);
            prevalence.push(idx.len() as f64 / y_true.len() as f64);
        }
    }
    let value = match average {
        Average::Weighted => weighted_average(&pair_scores, &prevalence),
        _ => mean(&pair_scores),
    };
    Ok(value.map_or(
        Score::undefined(Reason::SingleClassInTruth, Reference::Raises),
        Score::Defined,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_edge_cases() {
        // methods-spec.md §D: ties count ½ → 0.75; one class in y_true → NaN in the reference.
        let s = roc_auc_binary(&[false, true, false, true], &[0.5, 0.5, 0.5, 0.9]).unwrap();
        assert_eq!(s.value(), Some(0.75));
        let s = roc_auc_binary(&[true, true, true], &[0.2, 0.5, 0.9]).unwrap();
        assert_eq!(s.value(), None);
        assert!(s.reference().unwrap().is_nan());
    }

    #[test]
    fn curve_starts_at_origin_with_infinite_threshold() {
        let c = roc_curve(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8], true).unwrap();
        assert_eq!(c.thresholds[0], f64::INFINITY);
        assert_eq!(c.fpr.unwrap(), vec![0.0, 0.0, 0.5, 0.5, 1.0]);
        assert_eq!(c.tpr.unwrap(), vec![0.0, 0.5, 0.5, 1.0, 1.0]);
    }
}
