//! Accuracy, balanced accuracy and the macro / weighted / micro averages of precision, recall and
//! F1, as `sklearn.metrics.accuracy_score`, `balanced_accuracy_score` and
//! `precision_recall_fscore_support(average=...)` (scikit-learn 1.9.1, `metrics/_classification.py`).
//!
//! Averages run over the classes present in `y_true` or `y_pred` (scikit-learn's `labels=None`).
//! An average is undefined when one of its parts with non-zero weight is; its reference value is the
//! average scikit-learn computes with `zero_division` substitutes (0.0).

use serde::{Deserialize, Serialize};

use super::score::{aggregate, Reason, Reference, Score};
use super::summation::{mean, weighted_average};
use super::ConfusionMatrix;

/// How per-class scores are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Average {
    /// Unweighted mean over present classes.
    Macro,
    /// Mean weighted by support (samples per class in `y_true`).
    Weighted,
    /// From global counts: for single-label data precision = recall = F1 = accuracy.
    Micro,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Precision,
    Recall,
    F1,
}

impl ConfusionMatrix {
    /// `trace(C)/N` (`accuracy_score`).
    pub fn accuracy_score(&self) -> Score {
        let n = self.total();
        if n == 0 {
            return Score::undefined(Reason::NoSamples, Reference::Raises);
        }
        Score::Defined(self.trace() as f64 / n as f64)
    }

    /// Mean recall over the classes present in `y_true` (`balanced_accuracy_score`); classes only in
    /// `y_pred` are ignored, as the reference does (with a warning). `adjusted` rescales so that
    /// chance is 0: `(BA − 1/K)/(1 − 1/K)` with K = classes in `y_true`.
    pub fn balanced_accuracy_score(&self, adjusted: bool) -> Score {
        let recalls: Vec<f64> = (0..self.n_classes)
            .filter(|&c| self.support(c) > 0)
            .map(|c| self.true_positives(c) as f64 / self.support(c) as f64)
            .collect();
        let Some(mut score) = mean(&recalls) else {
            return Score::undefined(Reason::NoSamples, Reference::Raises);
        };
        if adjusted {
            let chance = 1.0 / recalls.len() as f64;
            score -= chance;
            score /= 1.0 - chance;
            if recalls.len() == 1 {
                // NumPy divides by zero here: NaN for a perfect score, −inf otherwise.
                return Score::undefined(Reason::SingleClassInTruth, Reference::from_f64(score));
            }
        }
        Score::Defined(score)
    }

    /// Precision averaged over classes.
    pub fn precision_average(&self, average: Average) -> Score {
        self.averaged(average, Part::Precision)
    }

    /// Recall averaged over classes (macro recall equals balanced accuracy when no class is
    /// predicted that is absent from `y_true`).
    pub fn recall_average(&self, average: Average) -> Score {
        self.averaged(average, Part::Recall)
    }

    /// F1 averaged over classes (`f1_score(average=...)`). Macro F1 is the mean of per-class F1,
    /// not the F1 of macro precision and recall.
    pub fn f1_average(&self, average: Average) -> Score {
        self.averaged(average, Part::F1)
    }

    fn averaged(&self, average: Average, part: Part) -> Score {
        let per_class = match part {
            Part::Precision => Self::precision_score,
            Part::Recall => Self::recall_score,
            Part::F1 => Self::f1_score,
        };
        let present = self.present_classes();
        match average {
            Average::Micro => {
                // tp = trace, pred_sum = true_sum = N over the present classes.
                let n = self.total();
                if n == 0 {
                    return Score::undefined(Reason::NoSamples, Reference::Raises);
                }
                let tp = self.trace() as f64;
                let n = n as f64;
                if part == Part::F1 {
                    // sklearn's F-score from the pooled counts: 2·tp / (true_sum + pred_sum).
                    Score::Defined(2.0 * tp / (n + n))
                } else {
                    Score::Defined(tp / n)
                }
            }
            Average::Macro => {
                let scores: Vec<Score> = present.iter().map(|&c| per_class(self, c)).collect();
                let parts: Vec<&Score> = scores.iter().collect();
                aggregate(&parts, mean)
            }
            Average::Weighted => {
                let scores: Vec<Score> = present
                    .iter()
                    .map(|&c| {
                        let s = per_class(self, c);
                        // Zero support: the part is multiplied by 0 and cannot change the result.
                        if self.support(c) == 0 && !s.is_defined() {
                            Score::Defined(0.0)
                        } else {
                            s
                        }
                    })
                    .collect();
                let weights: Vec<f64> = present.iter().map(|&c| self.support(c) as f64).collect();
                let parts: Vec<&Score> = scores.iter().collect();
                aggregate(&parts, |v| weighted_average(v, &weights))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusted_balanced_accuracy_with_one_class_is_undefined() {
        let cm = ConfusionMatrix::new(&[1, 1, 1], &[1, 0, 1], 2);
        let s = cm.balanced_accuracy_score(true);
        assert_eq!(s.value(), None);
        assert_eq!(s.reference(), Some(f64::NEG_INFINITY));
        let perfect = ConfusionMatrix::new(&[1, 1], &[1, 1], 2);
        assert!(perfect
            .balanced_accuracy_score(true)
            .reference()
            .unwrap()
            .is_nan());
    }

    #[test]
    fn macro_precision_is_undefined_but_keeps_the_reference_mean() {
        let cm = ConfusionMatrix::new(&[0, 1, 2, 2], &[0, 1, 1, 1], 3);
        let s = cm.precision_average(Average::Macro);
        assert_eq!(s.value(), None);
        assert_eq!(s.reference(), Some((1.0 + 1.0 / 3.0 + 0.0) / 3.0));
        assert_eq!(cm.f1_average(Average::Macro).value(), Some(0.5));
        assert_eq!(cm.f1_average(Average::Micro).value(), Some(0.5));
    }
}
