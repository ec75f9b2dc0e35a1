//! A sweep run's robust scores: the columns added to its row when the run's config sets
//! `robust_eval`, taken from the test snapshot's robust evaluation (`crate::adversarial`):
//!
//! * `robust_accuracy`, `robust_balanced_accuracy`: accuracy and mean per-class recall on the
//!   attacked test rows;
//! * `robust_worst_class_accuracy`, `robust_recall_gap`: the lowest robust per-class recall and the
//!   max − min gap of the robust recalls (`Disparity`; Xu et al., ICML 2021, report the worst
//!   class);
//! * `robust_minority_recall`: the robust recall of the class with the fewest training rows (as
//!   `minority_recall`, the under-represented class Wang et al. 2022 follow);
//! * `clean_worst_class_accuracy`, `clean_recall_gap`: the same disparity on the clean rows, so that
//!   a row shows how much of the gap the attack opens.
//!
//! Classes absent from the test split are left out of the worst class and the gap.

use serde::{Deserialize, Serialize};

use crate::adversarial::RobustEvaluation;

use super::scores::minority;

/// Names of the robust columns, in output order (after the scores of `SCORE_NAMES`).
pub const ROBUST_SCORE_NAMES: [&str; 7] = [
    "robust_accuracy",
    "robust_balanced_accuracy",
    "robust_worst_class_accuracy",
    "robust_recall_gap",
    "robust_minority_recall",
    "clean_worst_class_accuracy",
    "clean_recall_gap",
];

/// One run's robust scores; `None` where undefined (or the run failed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RobustScores {
    pub robust_accuracy: Option<f64>,
    pub robust_balanced_accuracy: Option<f64>,
    pub robust_worst_class_accuracy: Option<f64>,
    pub robust_recall_gap: Option<f64>,
    pub robust_minority_recall: Option<f64>,
    pub clean_worst_class_accuracy: Option<f64>,
    pub clean_recall_gap: Option<f64>,
}

impl RobustScores {
    /// The scores of robust evaluation `r`; `train_counts`: the training split's class counts
    /// before resampling (which class is the minority).
    pub fn of(r: &RobustEvaluation, train_counts: &[usize]) -> Self {
        RobustScores {
            robust_accuracy: r.robust_accuracy,
            robust_balanced_accuracy: r.robust_balanced_accuracy,
            robust_worst_class_accuracy: r.robust_disparity.worst_accuracy,
            robust_recall_gap: r.robust_disparity.gap,
            robust_minority_recall: minority(train_counts)
                .and_then(|c| r.robust_recall.get(c).copied().flatten()),
            clean_worst_class_accuracy: r.clean_disparity.worst_accuracy,
            clean_recall_gap: r.clean_disparity.gap,
        }
    }

    /// The values in [`ROBUST_SCORE_NAMES`] order.
    pub fn values(&self) -> [Option<f64>; 7] {
        [
            self.robust_accuracy,
            self.robust_balanced_accuracy,
            self.robust_worst_class_accuracy,
            self.robust_recall_gap,
            self.robust_minority_recall,
            self.clean_worst_class_accuracy,
            self.clean_recall_gap,
        ]
    }

    pub fn from_values(v: [Option<f64>; 7]) -> Self {
        RobustScores {
            robust_accuracy: v[0],
            robust_balanced_accuracy: v[1],
            robust_worst_class_accuracy: v[2],
            robust_recall_gap: v[3],
            robust_minority_recall: v[4],
            clean_worst_class_accuracy: v[5],
            clean_recall_gap: v[6],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adversarial::{AttackSpec, Disparity};

    #[test]
    fn columns_come_from_the_evaluation() {
        let clean = vec![Some(0.9), Some(0.6), None];
        let robust = vec![Some(0.7), Some(0.2), None];
        let r = RobustEvaluation {
            attack: AttackSpec::default(),
            clean_disparity: Disparity::of(&clean),
            robust_disparity: Disparity::of(&robust),
            clean_recall: clean,
            robust_recall: robust,
            clean_accuracy: Some(0.85),
            robust_accuracy: Some(0.6),
            clean_balanced_accuracy: Some(0.75),
            robust_balanced_accuracy: Some(0.45),
        };
        // Class 1 has the fewest training rows (class 2 has none and is not a minority).
        let s = RobustScores::of(&r, &[100, 10, 0]);
        assert_eq!(s.robust_accuracy, Some(0.6));
        assert_eq!(s.robust_balanced_accuracy, Some(0.45));
        assert_eq!(s.robust_worst_class_accuracy, Some(0.2));
        assert!((s.robust_recall_gap.unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(s.robust_minority_recall, Some(0.2));
        assert_eq!(s.clean_worst_class_accuracy, Some(0.6));
        assert!((s.clean_recall_gap.unwrap() - 0.3).abs() < 1e-15);
        assert_eq!(RobustScores::from_values(s.values()), s);
        // The minority class absent from the test split: its robust recall is undefined.
        assert_eq!(
            RobustScores::of(&r, &[100, 10, 5]).robust_minority_recall,
            None
        );
    }
}
