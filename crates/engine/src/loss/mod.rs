//! Losses on logits. Each family lives in its own file and provides the value and the gradient with
//! respect to the logits for a batch, reduced as `methods-spec.md` §B.0 "torch-mean" unless it says
//! otherwise.

mod cross_entropy;

pub use cross_entropy::cross_entropy;

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The training loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[derive(Default)]
pub enum LossSpec {
    /// Plain softmax cross-entropy, mean over the batch.
    #[default]
    CrossEntropy,
}

impl LossSpec {
    pub fn name(&self) -> &'static str {
        match self {
            LossSpec::CrossEntropy => "ce",
        }
    }

    pub fn validate(&self) -> Result<()> {
        Ok(())
    }

    /// Loss value of the batch, and its gradient with respect to `logits` (row-major n × k) in `grad`.
    pub fn value_and_grad(&self, logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
        match self {
            LossSpec::CrossEntropy => cross_entropy(logits, y, k, grad),
        }
    }
}
