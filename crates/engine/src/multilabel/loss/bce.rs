//! Binary cross-entropy on one sigmoid output per label, with an optional positive weight:
//!
//! `ℓ(z, y) = −[w⁺·y·ln σ(z) + (1 − y)·ln(1 − σ(z))] = w⁺·y·softplus(−z) + (1 − y)·softplus(z)`,
//! `∂ℓ/∂z = −w⁺·y·(1 − σ(z)) + (1 − y)·σ(z)`.
//!
//! Reference: `torch.nn.BCEWithLogitsLoss(weight, pos_weight)` (PyTorch `binary_cross_entropy_with_logits`):
//! `pos_weight` multiplies the positive term of each label, `weight` the whole entry. With
//! `w⁺ = 1` this is plain BCE.

use super::sigmoid::{sigmoid, softplus};

/// Value and derivative of one entry.
pub fn bce_entry(z: f64, positive: bool, pos_weight: f64) -> (f64, f64) {
    if positive {
        (pos_weight * softplus(-z), -pos_weight * (1.0 - sigmoid(z)))
    } else {
        (softplus(z), sigmoid(z))
    }
}
