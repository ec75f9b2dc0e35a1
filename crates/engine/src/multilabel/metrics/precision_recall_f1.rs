//! Multi-label precision, recall and F1 per label and averaged `micro`, `macro`, `weighted` and
//! `samples`, as `sklearn.metrics.precision_recall_fscore_support` on indicator matrices
//! (scikit-learn 1.9.1, `metrics/_classification.py`).
//!
//! Unlike the multi-class averages, a multi-label average runs over **all** `L` labels (the
//! reference's `labels=None` takes every indicator column). A 0/0 part is [`Score::Undefined`]
//! with the reference's `zero_division='warn'` substitute 0.0; an average with such a part of
//! non-zero weight is undefined with the reference's average as its substitute. `weighted`
//! weights by support; when every label has support 0 the reference's `_nanaverage` falls back to
//! the unweighted mean, and so does this.

use serde::{Deserialize, Serialize};

use super::counts::PartCounts;
use crate::metrics::score::aggregate;
use crate::metrics::summation::{mean, weighted_average};
use crate::metrics::{LabelIndicators, Reason, Score};
use crate::Result;

/// How per-label (or per-sample) scores are combined, scikit-learn's `average` for
/// multi-label targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultilabelAverage {
    /// Pooled counts over every (sample, label) entry.
    Micro,
    /// Unweighted mean over labels.
    Macro,
    /// Mean over labels weighted by support.
    Weighted,
    /// Mean over samples of each sample's score.
    Samples,
}

impl MultilabelAverage {
    pub const ALL: [MultilabelAverage; 4] = [
        MultilabelAverage::Micro,
        MultilabelAverage::Macro,
        MultilabelAverage::Weighted,
        MultilabelAverage::Samples,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MultilabelAverage::Micro => "micro",
            MultilabelAverage::Macro => "macro",
            MultilabelAverage::Weighted => "weighted",
            MultilabelAverage::Samples => "samples",
        }
    }
}

/// Which of the three scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetScore {
    Precision,
    Recall,
    F1,
}

/// The score of one part (a label when `per_sample` is false, else a sample) from its counts.
fn part_score(
    kind: SetScore,
    tp: usize,
    predicted: usize,
    truth: usize,
    index: Vec<usize>,
    per_sample: bool,
) -> Score {
    match kind {
        SetScore::Precision => Score::ratio(tp as f64, predicted as f64, || {
            if per_sample {
                Reason::NoPredictedLabels { samples: index }
            } else {
                Reason::NeverPredicted { classes: index }
            }
        }),
        SetScore::Recall => Score::ratio(tp as f64, truth as f64, || {
            if per_sample {
                Reason::NoTrueLabels { samples: index }
            } else {
                Reason::AbsentFromTruth { classes: index }
            }
        }),
        // The reference's F-score: (1 + β²)·tp / (β²·true + predicted) with β = 1.
        SetScore::F1 => Score::ratio(2.0 * tp as f64, (truth + predicted) as f64, || {
            Reason::NoTrueNorPredicted { indices: index }
        }),
    }
}

/// Per-label scores (`average=None`).
pub fn per_label(
    kind: SetScore,
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
) -> Result<Vec<Score>> {
    y_true.check_same_shape(y_pred)?;
    let c = PartCounts::per_label(y_true, y_pred);
    Ok((0..y_true.n_labels)
        .map(|l| part_score(kind, c.tp[l], c.predicted[l], c.truth[l], vec![l], false))
        .collect())
}

/// An averaged score.
pub fn averaged(
    kind: SetScore,
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
    average: MultilabelAverage,
) -> Result<Score> {
    y_true.check_same_shape(y_pred)?;
    Ok(match average {
        MultilabelAverage::Micro => {
            let (tp, predicted, truth) = PartCounts::per_label(y_true, y_pred).pooled();
            part_score(
                kind,
                tp,
                predicted,
                truth,
                (0..y_true.n_labels).collect(),
                false,
            )
        }
        MultilabelAverage::Macro => {
            let parts = per_label(kind, y_true, y_pred)?;
            aggregate(&parts.iter().collect::<Vec<_>>(), mean)
        }
        MultilabelAverage::Weighted => {
            let c = PartCounts::per_label(y_true, y_pred);
            let parts = per_label(kind, y_true, y_pred)?;
            support_weighted(&parts, &c.truth)
        }
        MultilabelAverage::Samples => {
            let c = PartCounts::per_sample(y_true, y_pred);
            let parts: Vec<Score> = (0..y_true.n_samples)
                .map(|i| part_score(kind, c.tp[i], c.predicted[i], c.truth[i], vec![i], true))
                .collect();
            aggregate(&parts.iter().collect::<Vec<_>>(), mean)
        }
    })
}

/// Support-weighted mean of per-label scores; an undefined part of zero weight cannot change the
/// result and is taken as 0. All weights zero: the unweighted mean (the reference's fallback).
pub(crate) fn support_weighted(parts: &[Score], support: &[usize]) -> Score {
    if support.iter().all(|&s| s == 0) {
        return aggregate(&parts.iter().collect::<Vec<_>>(), mean);
    }
    let parts: Vec<Score> = parts
        .iter()
        .zip(support)
        .map(|(s, &w)| {
            if w == 0 && !s.is_defined() {
                Score::Defined(0.0)
            } else {
                s.clone()
            }
        })
        .collect();
    let weights: Vec<f64> = support.iter().map(|&w| w as f64).collect();
    aggregate(&parts.iter().collect::<Vec<_>>(), |v| {
        weighted_average(v, &weights)
    })
}

pub fn precision(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
    average: MultilabelAverage,
) -> Result<Score> {
    averaged(SetScore::Precision, y_true, y_pred, average)
}

pub fn recall(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
    average: MultilabelAverage,
) -> Result<Score> {
    averaged(SetScore::Recall, y_true, y_pred, average)
}

pub fn f1(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
    average: MultilabelAverage,
) -> Result<Score> {
    averaged(SetScore::F1, y_true, y_pred, average)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(rows: &[&[u8]]) -> LabelIndicators {
        let l = rows[0].len();
        LabelIndicators::new(rows.concat().iter().map(|&b| b == 1).collect(), l).unwrap()
    }

    #[test]
    fn hand_worked_case() {
        // Labels: 0 tp=1 pred=2 true=1; 1 tp=1 pred=1 true=2; 2 never true nor predicted.
        let t = ind(&[&[1, 1, 0], &[0, 1, 0]]);
        let p = ind(&[&[1, 1, 0], &[1, 0, 0]]);
        let pr = per_label(SetScore::Precision, &t, &p).unwrap();
        assert_eq!(pr[0].value(), Some(0.5));
        assert_eq!(pr[1].value(), Some(1.0));
        assert_eq!(pr[2].value(), None);
        assert_eq!(pr[2].reference(), Some(0.0));
        let micro = precision(&t, &p, MultilabelAverage::Micro).unwrap();
        assert_eq!(micro.value(), Some(2.0 / 3.0));
        let macro_ = precision(&t, &p, MultilabelAverage::Macro).unwrap();
        assert_eq!(macro_.value(), None);
        assert_eq!(macro_.reference(), Some(0.5));
        // Weighted: label 2 has support 0, so its 0/0 cannot matter.
        let w = precision(&t, &p, MultilabelAverage::Weighted).unwrap();
        assert_eq!(w.value(), Some((0.5 * 1.0 + 1.0 * 2.0) / 3.0));
        // Samples: row 0 P=1 R=1; row 1 P=0 R=0.
        assert_eq!(
            f1(&t, &p, MultilabelAverage::Samples).unwrap().value(),
            Some(0.5)
        );
    }

    #[test]
    fn empty_rows_make_the_samples_average_undefined() {
        let t = ind(&[&[0, 0], &[1, 0]]);
        let p = ind(&[&[0, 0], &[1, 0]]);
        let s = precision(&t, &p, MultilabelAverage::Samples).unwrap();
        assert_eq!(
            s.reason(),
            Some(&Reason::NoPredictedLabels { samples: vec![0] })
        );
        assert_eq!(s.reference(), Some(0.5));
    }
}
