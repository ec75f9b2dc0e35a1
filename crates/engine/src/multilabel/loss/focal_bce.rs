//! Focal loss on sigmoid outputs (Lin, Goyal, Girshick, He & Dollár, "Focal Loss for Dense Object
//! Detection", ICCV 2017, eq. 5), per entry:
//!
//! `ℓ = α_t·(1 − p_t)^γ·BCE(z, y)`, `p_t = σ(z)` for a positive, `1 − σ(z)` for a negative,
//! `α_t = α` for a positive, `1 − α` for a negative (no α: `α_t = 1`).
//!
//! Reference: `torchvision.ops.sigmoid_focal_loss` (its `alpha < 0` disables α). The gradient
//! flows through `(1 − p_t)^γ` as in the reference. γ = 0 without α is BCE.

use super::sigmoid::{pow_focus, sigmoid, softplus};

/// Value and derivative of one entry.
pub fn focal_entry(z: f64, positive: bool, gamma: f64, alpha: Option<f64>) -> (f64, f64) {
    let p = sigmoid(z);
    let (v, d) = if positive {
        // ce = softplus(−z), ∂ce = −(1 − p); w = (1 − p)^γ, ∂w = −γ·p·(1 − p)^γ.
        let ce = softplus(-z);
        let w = pow_focus(1.0 - p, gamma);
        (w * ce, -w * (gamma * p * ce + (1.0 - p)))
    } else {
        let ce = softplus(z);
        let w = pow_focus(p, gamma);
        (w * ce, w * (gamma * (1.0 - p) * ce + p))
    };
    let a = match alpha {
        None => 1.0,
        Some(a) if positive => a,
        Some(a) => 1.0 - a,
    };
    (a * v, a * d)
}
