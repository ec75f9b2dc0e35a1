//! Per-class (one-vs-rest) scores: the columns `pre rec spe f1 geo iba sup` of imbalanced-learn's
//! `classification_report_imbalanced` (`imblearn/metrics/_classification.py`).
//!
//! Precision / recall / F1 follow `sklearn.metrics.precision_recall_fscore_support(average=None)`;
//! specificity, per-class G-mean `sqrt(sens·spec)` and IBA follow imbalanced-learn's
//! `sensitivity_specificity_support`, `geometric_mean_score(average=None)` and
//! `make_index_balanced_accuracy(alpha, squared=True)` (García, Mollineda, Sánchez, "Index of
//! Balanced Accuracy: A Performance Measure for Skewed Class Distributions", IbPRIA 2009).
//! Tested against scikit-learn 1.9.1 / imbalanced-learn 0.14.2 fixtures (`tests/metrics_fixtures.rs`).
//!
//! A 0/0 is [`Score::Undefined`] whose reference value is scikit-learn's `zero_division` substitute
//! 0.0. A class that occurs in neither `y_true` nor `y_pred` is undefined everywhere and omitted by
//! the reference (`labels=None` keeps only present classes).

use serde::{Deserialize, Serialize};

use super::score::{aggregate, Reason, Reference, Score};
use super::summation::weighted_average;
use super::ConfusionMatrix;

/// IBA's weighting factor α used by `classification_report_imbalanced` (its default).
pub const IBA_ALPHA: f64 = 0.1;

/// One row of the imbalanced classification report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    pub class: usize,
    pub precision: Score,
    pub recall: Score,
    pub specificity: Score,
    pub f1: Score,
    pub g_mean: Score,
    pub iba: Score,
    pub support: u64,
}

/// The report's last line (`avg / total`): support-weighted averages of every column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportAverages {
    pub precision: Score,
    pub recall: Score,
    pub specificity: Score,
    pub f1: Score,
    pub g_mean: Score,
    pub iba: Score,
    pub support: u64,
}

impl ConfusionMatrix {
    fn absent(&self, c: usize) -> Option<Score> {
        (!self.is_present(c))
            .then(|| Score::undefined(Reason::AbsentClass { class: c }, Reference::Omitted))
    }

    /// Precision `TP/(TP+FP)` of class `c`.
    pub fn precision_score(&self, c: usize) -> Score {
        self.absent(c).unwrap_or_else(|| {
            Score::ratio(
                self.true_positives(c) as f64,
                self.predicted(c) as f64,
                || Reason::NeverPredicted { classes: vec![c] },
            )
        })
    }

    /// Recall (sensitivity) `TP/(TP+FN)` of class `c`.
    pub fn recall_score(&self, c: usize) -> Score {
        self.absent(c).unwrap_or_else(|| {
            Score::ratio(
                self.true_positives(c) as f64,
                self.support(c) as f64,
                || Reason::AbsentFromTruth { classes: vec![c] },
            )
        })
    }

    /// F1 `2·TP/(2·TP+FP+FN)` of class `c`, computed as scikit-learn does from counts (not from
    /// rounded precision and recall). Defined for every present class.
    pub fn f1_score(&self, c: usize) -> Score {
        self.absent(c).unwrap_or_else(|| {
            let den = (self.support(c) + self.predicted(c)) as f64;
            Score::ratio(2.0 * self.true_positives(c) as f64, den, || {
                Reason::AbsentClass { class: c }
            })
        })
    }

    /// Specificity `TN/(TN+FP)` of class `c` (one-vs-rest), as imbalanced-learn's
    /// `specificity_score(average=None)`.
    pub fn specificity_score(&self, c: usize) -> Score {
        self.absent(c).unwrap_or_else(|| {
            let tn = self.true_negatives(c);
            Score::ratio(tn as f64, (tn + self.false_positives(c)) as f64, || {
                Reason::NoNegatives { classes: vec![c] }
            })
        })
    }

    /// `sqrt(sensitivity·specificity)` of class `c` (`geometric_mean_score(average=None)`).
    pub fn g_mean_score(&self, c: usize) -> Score {
        let (sen, spe) = (self.recall_score(c), self.specificity_score(c));
        aggregate(&[&sen, &spe], |v| Some((v[0] * v[1]).sqrt()))
    }

    /// Index balanced accuracy of class `c`: `(1 + α·(sens − spec))·G²` with the per-class G-mean,
    /// squared as imbalanced-learn does (`np.power(sqrt(sens·spec), 2)`).
    pub fn iba_score(&self, c: usize, alpha: f64) -> Score {
        let (sen, spe) = (self.recall_score(c), self.specificity_score(c));
        aggregate(&[&sen, &spe], |v| {
            let g = (v[0] * v[1]).sqrt();
            Some((1.0 + alpha * (v[0] - v[1])) * (g * g))
        })
    }

    /// Every column of `classification_report_imbalanced` for class `c`.
    pub fn class_report(&self, c: usize, alpha: f64) -> ClassReport {
        ClassReport {
            class: c,
            precision: self.precision_score(c),
            recall: self.recall_score(c),
            specificity: self.specificity_score(c),
            f1: self.f1_score(c),
            g_mean: self.g_mean_score(c),
            iba: self.iba_score(c, alpha),
            support: self.support(c),
        }
    }

    /// Rows for every class `0..K` (absent classes included, marked undefined / omitted).
    pub fn class_reports(&self, alpha: f64) -> Vec<ClassReport> {
        (0..self.n_classes)
            .map(|c| self.class_report(c, alpha))
            .collect()
    }

    /// The `avg / total` line: `np.average(column, weights=support)` over the present classes.
    pub fn report_averages(&self, alpha: f64) -> ReportAverages {
        let rows: Vec<ClassReport> = self
            .present_classes()
            .into_iter()
            .map(|c| self.class_report(c, alpha))
            .collect();
        let weights: Vec<f64> = rows.iter().map(|r| r.support as f64).collect();
        let column = |pick: fn(&ClassReport) -> &Score| {
            // A part with zero support does not affect the average, so its undefinedness does not
            // either (the reference multiplies its substitute by 0).
            let parts: Vec<&Score> = rows
                .iter()
                .zip(&weights)
                .map(|(r, &w)| {
                    let s = pick(r);
                    if w == 0.0 && !s.is_defined() {
                        &ZERO_WEIGHT_PART
                    } else {
                        s
                    }
                })
                .collect();
            aggregate(&parts, |v| weighted_average(v, &weights))
        };
        ReportAverages {
            precision: column(|r| &r.precision),
            recall: column(|r| &r.recall),
            specificity: column(|r| &r.specificity),
            f1: column(|r| &r.f1),
            g_mean: column(|r| &r.g_mean),
            iba: column(|r| &r.iba),
            support: self.total(),
        }
    }
}

/// Stands in for an undefined part whose weight is zero: the reference substitutes 0.0 there.
const ZERO_WEIGHT_PART: Score = Score::Defined(0.0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_division_is_undefined_with_sklearn_substitute() {
        // methods-spec.md §D: precision_score([0,1,2,2],[0,1,1,1], average=None) = [1, 1/3, 0].
        let cm = ConfusionMatrix::new(&[0, 1, 2, 2], &[0, 1, 1, 1], 3);
        assert_eq!(cm.precision_score(0).value(), Some(1.0));
        assert_eq!(cm.precision_score(1).value(), Some(1.0 / 3.0));
        let p2 = cm.precision_score(2);
        assert_eq!(p2.value(), None);
        assert_eq!(p2.reference(), Some(0.0));
        assert_eq!(
            p2.reason(),
            Some(&Reason::NeverPredicted { classes: vec![2] })
        );
        // F1 of class 2 is defined (0): 2·0 / (2 + 0).
        assert_eq!(cm.f1_score(2).value(), Some(0.0));
    }

    #[test]
    fn absent_class_is_omitted() {
        let cm = ConfusionMatrix::new(&[0, 1], &[0, 1], 3);
        assert_eq!(cm.specificity_score(2).reference(), None);
        assert!(matches!(
            cm.f1_score(2),
            Score::Undefined {
                reference: Reference::Omitted,
                ..
            }
        ));
        // The averages run over classes 0 and 1 only.
        assert_eq!(cm.report_averages(IBA_ALPHA).f1.value(), Some(1.0));
    }
}
