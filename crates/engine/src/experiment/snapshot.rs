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
    /// Class counts of the original training split, of the resampled one, and of the test split.
    pub train_counts: Vec<usize>,
    pub resampled_counts: Vec<usize>,
    pub test_counts: Vec<usize>,
    pub history: Vec<EpochRecord>,
}
