//! Models: a multi-layer perceptron (zero hidden layers is softmax regression).

mod activation;
mod features;
mod head;
mod matmul;
mod mlp;

pub use activation::Activation;
pub use head::Head;
pub use mlp::{softmax_in_place, LayerShape, Mlp, MlpWorkspace};

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// Widest hidden layer the UI and links accept.
pub const MAX_WIDTH: usize = 256;
/// Most hidden layers the UI and links accept.
pub const MAX_HIDDEN_LAYERS: usize = 4;

/// The classifier: hidden layer widths (empty = softmax regression) and their activation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// Output layer form; configs without it get the linear head.
    #[serde(default)]
    pub head: Head,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            hidden: vec![16, 16],
            activation: Activation::Relu,
            head: Head::Linear,
        }
    }
}

impl ModelSpec {
    pub fn validate(&self) -> Result<()> {
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return Err(EngineError::config(
                "hidden",
                format!(
                    "at most {MAX_HIDDEN_LAYERS} hidden layers, got {}",
                    self.hidden.len()
                ),
            ));
        }
        if let Some(w) = self.hidden.iter().find(|&&w| w == 0 || w > MAX_WIDTH) {
            return Err(EngineError::config(
                "hidden",
                format!("each hidden layer needs 1 to {MAX_WIDTH} units, got {w}"),
            ));
        }
        if let Head::Cosine { scale } = self.head {
            if !(scale.is_finite() && scale > 0.0 && scale <= 1000.0) {
                return Err(EngineError::config(
                    "head.scale",
                    format!("the cosine head's scale must be in (0, 1000], got {scale}"),
                ));
            }
        }
        Ok(())
    }

    /// Layer widths from input to output.
    pub fn widths(&self, n_features: usize, n_classes: usize) -> Vec<usize> {
        let mut w = Vec::with_capacity(self.hidden.len() + 2);
        w.push(n_features);
        w.extend_from_slice(&self.hidden);
        w.push(n_classes);
        w
    }
}
