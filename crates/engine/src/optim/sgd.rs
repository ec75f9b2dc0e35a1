//! SGD with momentum as PyTorch `torch.optim.SGD` (dampening 0):
//! `g ← g + wd·p`, `b ← μ b + g` (b = g at the first step, which μ·0 + g gives), then
//! `p ← p − lr · b`, or with Nesterov momentum `p ← p − lr · (g + μ b)`.

pub fn sgd_update(
    params: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
    weight_decay: f32,
) {
    for i in 0..params.len() {
        let g = grad[i] + weight_decay * params[i];
        velocity[i] = momentum * velocity[i] + g;
        params[i] -= lr * velocity[i];
    }
}

/// Nesterov variant (`torch.optim.SGD(nesterov=True)`).
pub fn sgd_nesterov_update(
    params: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
    weight_decay: f32,
) {
    for i in 0..params.len() {
        let g = grad[i] + weight_decay * params[i];
        velocity[i] = momentum * velocity[i] + g;
        params[i] -= lr * (g + momentum * velocity[i]);
    }
}
