//! The sigmoid and softplus on one logit, stable for large |z|, through [`crate::math`] so that
//! values are identical on every target.

use crate::math;

/// `σ(z) = 1 / (1 + e^{−z})`.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + math::exp(-z))
    } else {
        let e = math::exp(z);
        e / (1.0 + e)
    }
}

/// `softplus(x) = ln(1 + e^x)`; `−ln σ(z) = softplus(−z)`, `−ln(1 − σ(z)) = softplus(z)`.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + math::ln_1p(math::exp(-x.abs()))
}

/// `x^γ` with `0^0 = 1` (the focusing weights' convention, as `torch.pow`).
pub fn pow_focus(x: f64, gamma: f64) -> f64 {
    if gamma == 0.0 {
        1.0
    } else {
        math::pow(x, gamma)
    }
}

/// `γ·x^{γ−1}`, the derivative of [`pow_focus`]; 0 at γ = 0 (and at x = 0 for γ > 1).
pub fn pow_focus_derivative(x: f64, gamma: f64) -> f64 {
    if gamma == 0.0 {
        0.0
    } else if x == 0.0 {
        if gamma < 1.0 {
            f64::INFINITY
        } else if gamma == 1.0 {
            1.0
        } else {
            0.0
        }
    } else {
        gamma * math::pow(x, gamma - 1.0)
    }
}
