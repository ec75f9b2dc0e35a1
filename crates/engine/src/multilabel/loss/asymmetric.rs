//! Asymmetric loss (Ridnik, Ben-Baruch, Zamir, Noy, Friedman, Protter & Zelnik-Manor, "Asymmetric
//! Loss For Multi-Label Classification", ICCV 2021, eq. 7–8), per entry with `p = σ(z)`:
//!
//! - positive: `L⁺ = −(1 − p)^{γ⁺}·ln(max(p, ε))`;
//! - negative: `p_m = max(p − m, 0)` (the probability margin, "asymmetric clipping"),
//!   `L⁻ = −p_m^{γ⁻}·ln(max(1 − p_m, ε))`.
//!
//! Matched to `Alibaba-MIIL/ASL`, `src/loss_functions/losses.py::AsymmetricLoss` (defaults
//! γ⁻ = 4, γ⁺ = 1, m = `clip` = 0.05, ε = 1e-8): the negative's `1 − p_m` is the reference's
//! `(1 − p + clip).clamp(max=1)`, probabilities are clamped below at ε inside the logarithm (no
//! gradient through a clamp), the focusing weights carry gradient (the reference's
//! `set_grad_enabled(False)` lines are commented out), and the batch loss is the **sum** over
//! entries (`-loss.sum()`). With γ⁺ = γ⁻ = 0 and m = 0 it is BCE (up to the ε clamp).

use super::sigmoid::{pow_focus, pow_focus_derivative, sigmoid};
use crate::math;

/// ASL parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AslParams {
    pub gamma_pos: f64,
    pub gamma_neg: f64,
    pub clip: f64,
    pub eps: f64,
}

/// Value and derivative of one entry.
pub fn asymmetric_entry(z: f64, positive: bool, a: &AslParams) -> (f64, f64) {
    let p = sigmoid(z);
    let dp = p * (1.0 - p);
    if positive {
        let w = pow_focus(1.0 - p, a.gamma_pos);
        let dw = -pow_focus_derivative(1.0 - p, a.gamma_pos) * dp;
        let (log, dlog) = if p > a.eps {
            (math::ln(p), dp / p)
        } else {
            (math::ln(a.eps), 0.0)
        };
        (-w * log, -(dw * log + w * dlog))
    } else {
        // The reference's xs_neg = min(1 − p + m, 1): clamped where p ≤ m, without gradient.
        let raw = 1.0 - p + a.clip;
        let (q, dq) = if a.clip > 0.0 && raw > 1.0 {
            (1.0, 0.0)
        } else {
            (raw, -dp)
        };
        let pm = 1.0 - q;
        let w = pow_focus(pm, a.gamma_neg);
        let dw = if dq == 0.0 {
            0.0
        } else {
            pow_focus_derivative(pm, a.gamma_neg) * (-dq)
        };
        let (log, dlog) = if q > a.eps {
            (math::ln(q), dq / q)
        } else {
            (math::ln(a.eps), 0.0)
        };
        (-w * log, -(dw * log + w * dlog))
    }
}
