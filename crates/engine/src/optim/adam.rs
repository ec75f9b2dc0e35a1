//! Adam, exactly as PyTorch's `torch.optim.Adam` (non-amsgrad, L2 `weight_decay` added to the gradient):
//! `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`, `p ← p − lr · (m / b1) / (√(v / b2) + ε)` with
//! `b1 = 1 − β1^t`, `b2 = 1 − β2^t`. The GPU kernel `crates/gpu/src/shaders/adam.wgsl` is the same.
//!
//! AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), as
//! `torch.optim.AdamW`: the decay is applied to the parameter, not the gradient, scaled by the
//! scheduled learning rate — `p ← p · (1 − lr·wd)`, then the Adam step with the raw gradient.

use super::StepScalars;

#[allow(clippy::too_many_arguments)]
pub fn adam_update(
    params: &mut [f32],
    grad: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    s: StepScalars,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
) {
    for i in 0..params.len() {
        let g = grad[i] + weight_decay * params[i];
        m[i] = beta1 * m[i] + (1.0 - beta1) * g;
        v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
        let m_hat = m[i] / s.bias1;
        let v_hat = v[i] / s.bias2;
        params[i] -= s.lr * m_hat / (v_hat.sqrt() + eps);
    }
}

/// AdamW: decoupled weight decay, then Adam without L2.
#[allow(clippy::too_many_arguments)]
pub fn adamw_update(
    params: &mut [f32],
    grad: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    s: StepScalars,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
) {
    let keep = 1.0 - s.lr * weight_decay;
    for p in params.iter_mut() {
        *p *= keep;
    }
    adam_update(params, grad, m, v, s, beta1, beta2, eps, 0.0);
}
