//! What the screen and the CLI show after some training: metrics on the test split and the history.

use serde::{Deserialize, Serialize};

use crate::metrics::ConfusionMatrix;

/// Per-class scores on the test split; `None` where the score is undefined (0/0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub class: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub support: u64,
}

/// One finished epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: u64,
    pub step: u64,
    /// Mean of the epoch's mini-batch losses.
    pub train_loss: f64,
    pub test_loss: f64,
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    /// Macro-averaged F1 on the test split (older snapshots lack it).
    #[serde(default)]
    pub macro_f1: Option<f64>,
    /// Recall on the test split of the class rarest in the training split (before resampling).
    #[serde(default)]
    pub minority_recall: Option<f64>,
    /// Neural-collapse measures on the training split (original rows); `None` where not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapse: Option<crate::representation::CollapseMeasures>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Optimizer steps done.
    pub step: u64,
    /// Completed epochs.
    pub epoch: u64,
    /// Mean loss of the most recent mini-batches (the current or last epoch).
    pub train_loss: Option<f64>,
    /// Mean cross-entropy on the test split.
    pub test_loss: f64,
    /// Test-split confusion matrix `[truth][pred]`.
    pub confusion: ConfusionMatrix,
    pub per_class: Vec<ClassScores>,
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    /// Macro-averaged F1 over the classes present (`f1_score(average='macro')`); `None`: undefined.
    #[serde(default)]
    pub macro_f1: Option<f64>,
    /// Geometric mean of per-class recalls (imblearn `geometric_mean_score(average='multiclass')`).
    #[serde(default)]
    pub g_mean: Option<f64>,
    /// Matthews correlation coefficient (multi-class R_K); `None` when undefined (constant labels).
    #[serde(default)]
    pub mcc: Option<f64>,
    /// The class with the fewest rows in the training split before resampling (ties: lowest index).
    #[serde(default)]
    pub minority_class: usize,
    /// Confusion matrix of the original training split (before resampling, so synthetic rows are
    /// never counted), under the same decision rule. `None` where it was not computed.
    #[serde(default)]
    pub train_confusion: Option<ConfusionMatrix>,
    /// Class counts of the original training split, of the resampled one, and of the test split.
    pub train_counts: Vec<usize>,
    pub resampled_counts: Vec<usize>,
    pub test_counts: Vec<usize>,
    pub history: Vec<EpochRecord>,
    /// Clean and robust per-class accuracy under `config.robust_eval`'s attack; `None`: not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robust: Option<crate::adversarial::RobustEvaluation>,
    /// Pseudo-labels (second stage `pseudo_labels`), once stage 2 has begun: the pool, how many
    /// rows were accepted, and each class's pseudo-label precision and recall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudo_labels: Option<crate::semi_supervised::PseudoLabelReport>,
}
