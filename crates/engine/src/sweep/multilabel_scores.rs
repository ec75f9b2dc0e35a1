//! A multi-label sweep run's scores (`task = multilabel`): the columns added to its row, from the
//! test snapshot of `crate::multilabel::MultilabelExperiment` under the config's decision rule
//! (scikit-learn's definitions, `crate::multilabel::metrics`):
//!
//! * `macro_f1` goes in the existing column (F1 averaged over labels, `f1_score(average='macro')`
//!   on indicator matrices); the other multi-class columns stay empty;
//! * `micro_f1`: F1 of the pooled label decisions;
//! * `hamming_loss`: the share of wrong label decisions;
//! * `subset_accuracy`: the share of test samples whose whole label set is right;
//! * `rarest_label_recall`: recall of the label with the fewest positives in the training split
//!   (before resampling), the label a long tail hurts most.

use serde::{Deserialize, Serialize};

use crate::multilabel::MultilabelSnapshot;

/// Names of the multi-label columns, in output order (after the scores and any robust scores).
pub const MULTILABEL_SCORE_NAMES: [&str; 4] = [
    "micro_f1",
    "hamming_loss",
    "subset_accuracy",
    "rarest_label_recall",
];

/// One multi-label run's scores; `None` where undefined.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MultilabelScores {
    pub micro_f1: Option<f64>,
    pub hamming_loss: Option<f64>,
    pub subset_accuracy: Option<f64>,
    pub rarest_label_recall: Option<f64>,
}

impl MultilabelScores {
    pub fn of(s: &MultilabelSnapshot) -> Self {
        MultilabelScores {
            micro_f1: s.metrics.f1.micro.value(),
            hamming_loss: s.metrics.hamming_loss.value(),
            subset_accuracy: s.metrics.subset_accuracy.value(),
            rarest_label_recall: s.rarest_label_recall,
        }
    }

    /// The values in [`MULTILABEL_SCORE_NAMES`] order.
    pub fn values(&self) -> [Option<f64>; 4] {
        [
            self.micro_f1,
            self.hamming_loss,
            self.subset_accuracy,
            self.rarest_label_recall,
        ]
    }

    pub fn from_values(v: [Option<f64>; 4]) -> Self {
        MultilabelScores {
            micro_f1: v[0],
            hamming_loss: v[1],
            subset_accuracy: v[2],
            rarest_label_recall: v[3],
        }
    }
}
