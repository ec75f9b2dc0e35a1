//! Softmax cross-entropy, plain and class-weighted.
//!
//! Plain: `L = (1/N) Σ_i −log softmax(z_i)[y_i]`, PyTorch `F.cross_entropy(reduction='mean')`.
//! Weighted (`weighted_ce`): `L = Σ_i w_{y_i} ℓ_i / D` with the weights of [`ClassWeights`] (§B.1) and
//! the reduction of §B.0 — PyTorch `F.cross_entropy(weight=w)` (torch-mean, the default) or TF1
//! `softmax_cross_entropy(weights=…)` (tf-nonzero, the Class-Balanced-loss reference's softmax branch,
//! Cui et al. CVPR 2019). Golden values: `oracle/golden_losses.json`.

use super::softmax_family::SoftmaxForm;
use super::{ClassWeights, Reduction};
use crate::error::Result;

/// Mean cross-entropy of a batch and its gradient with respect to `logits` (row-major n × k).
pub fn cross_entropy(logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
    let z: Vec<f64> = logits[..y.len() * k]
        .iter()
        .map(|&v| f64::from(v))
        .collect();
    let mut g = vec![0.0f64; z.len()];
    let value = SoftmaxForm::plain(k).value_and_grad(&z, y, k, &mut g);
    for (out, v) in grad.iter_mut().zip(&g) {
        *out = *v as f32;
    }
    value
}

/// `weighted_ce`: class weights from the training counts, then the chosen reduction.
pub fn weighted_ce(
    weights: &ClassWeights,
    reduction: Reduction,
    counts: &[usize],
) -> Result<SoftmaxForm> {
    let w = weights.compute(counts)?;
    Ok(SoftmaxForm::plain(counts.len()).with_weights(w, reduction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_logits_give_log_k() {
        let mut g = vec![0.0; 6];
        let v = cross_entropy(&[0.0; 6], &[0, 2], 3, &mut g);
        assert!((v - 3f64.ln()).abs() < 1e-12);
        assert!((g[0] - (1.0 / 3.0 - 1.0) / 2.0).abs() < 1e-7);
    }
}
