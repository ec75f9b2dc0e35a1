//! Distribution-balanced loss (Wu, Huang, Zhang, Lin & Wang, "Distribution-Balanced Loss for
//! Multi-Label Classification in Long-Tailed Datasets", ECCV 2020, §3.2–3.3): re-balanced
//! weighting plus negative-tolerant regularization (NTR), with the focal term of their code.
//!
//! With `n_j` the positives of label `j` and `N` the training samples, for sample `i`:
//!
//! - re-balancing (eq. 4–5): `r_ij = (1/n_j) / Σ_{k ∈ Y_i} (1/n_k)`, smoothed
//!   `ŵ_ij = α + σ(β·(r_ij − μ))`;
//! - NTR (eq. 6–7): a negative's logit is scaled by λ and its term by 1/λ; a class bias
//!   `ν_j = −ln(N/n_j − 1)·κ/λ` is added to every logit;
//! - focal: `(1 − p_t)^γ` times a `balance_param`.
//!
//! So `ℓ_ij = b·ŵ_ij·(1 − σ(z'))^γ·softplus(−z')` for a positive, `z' = z + ν_j`, and
//! `ℓ_ij = b·(ŵ_ij/λ)·σ(λz')^γ·softplus(λz')` for a negative.
//!
//! Matched to `wutong16/DistributionBalancedLoss`, `mllt/models/losses/resample_loss.py::ResampleLoss`
//! with `reweight_func='rebalance'` and the parameters of the paper's configs
//! (`configs/coco/LT_resnet50_pfc_DB.py`, `configs/voc/LT_resnet50_pfc_DB.py`): `map_param`
//! α = 0.1, β = 10, μ = 0.2 (`gamma` there); `focal` γ = 2, `balance_param` b = 2; `logit_reg`
//! `neg_scale` λ = 2. Those configs pass `init_bias=0.05`, which the loss file does not read (it is
//! the classifier-bias initialisation), so the loss adds no ν there: the default here is κ = 0,
//! and κ > 0 applies the file's `neg_bias` formula. A sample without a (known) positive has
//! `Σ 1/n_k = 0`: the reference divides by zero, `r = inf`, `σ(inf) = 1`; this reproduces that
//! (`ŵ = α + 1`). The weights carry no gradient (they depend on labels only); the focal factor does
//! (the reference's `cls_score.clone()` keeps the graph). The reference's loss is element-wise and
//! reduced by a mean over all entries.

use super::focal_bce::focal_entry;
use super::sigmoid::sigmoid;
use crate::math;

/// Distribution-balanced loss parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DbParams {
    pub map_alpha: f64,
    pub map_beta: f64,
    pub map_mu: f64,
    pub focal_gamma: f64,
    pub balance_param: f64,
    pub neg_scale: f64,
    pub neg_bias: f64,
}

/// `ŵ_ij` for every label of one sample, given which of its entries are known positives.
pub fn rebalance_weights(row_positive: &[bool], positives: &[usize], p: &DbParams) -> Vec<f64> {
    let inv: Vec<f64> = positives.iter().map(|&n| 1.0 / n as f64).collect();
    let repeat: f64 = row_positive
        .iter()
        .zip(&inv)
        .filter(|(&pos, _)| pos)
        .map(|(_, v)| v)
        .sum();
    inv.iter()
        .map(|&f| {
            let r = if repeat == 0.0 {
                f64::INFINITY
            } else {
                f / repeat
            };
            p.map_alpha + sigmoid(p.map_beta * (r - p.map_mu))
        })
        .collect()
}

/// The class bias `ν_j` (0 when κ = 0).
pub fn class_bias(n_positive: usize, n_samples: usize, p: &DbParams) -> f64 {
    if p.neg_bias == 0.0 {
        return 0.0;
    }
    -math::ln(n_samples as f64 / n_positive as f64 - 1.0) * p.neg_bias / p.neg_scale
}

/// Value and derivative of one entry with weight `w = ŵ_ij` and bias `nu = ν_j`.
pub fn db_entry(z: f64, positive: bool, w: f64, nu: f64, p: &DbParams) -> (f64, f64) {
    let z1 = z + nu;
    if positive {
        let (v, d) = focal_entry(z1, true, p.focal_gamma, None);
        (p.balance_param * w * v, p.balance_param * w * d)
    } else {
        let (v, d) = focal_entry(p.neg_scale * z1, false, p.focal_gamma, None);
        // ∂/∂z of f(λz') is λ·f'; the term is weighted by w/λ, so the λ cancels in the gradient.
        (
            p.balance_param * w / p.neg_scale * v,
            p.balance_param * w * d,
        )
    }
}
