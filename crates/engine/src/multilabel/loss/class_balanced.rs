//! Class-balanced weights by the effective number of samples (Cui, Jia, Lin, Song & Belongie,
//! "Class-Balanced Loss Based on Effective Number of Samples", CVPR 2019, eq. 3–4):
//! `E_j = (1 − β^{n_j}) / (1 − β)` for a label with `n_j` positives, weight `w_j ∝ 1 / E_j`,
//! normalised so that `Σ_j w_j = L` (the paper's code: `weights / sum(weights) * no_of_classes`).
//!
//! Multi-label form: `w_j` multiplies every entry (positive and negative) of label `j` of the
//! BCE, as the "by_class" mode of `wutong16/DistributionBalancedLoss`'s `CB_weight`. β = 0 gives
//! `w_j = 1`, plain BCE; β → 1 approaches inverse positive frequency.

use crate::math;

/// Per-label weights; every label needs a positive (checked by the caller).
pub fn class_balanced_weights(positives: &[usize], beta: f64) -> Vec<f64> {
    let raw: Vec<f64> = positives
        .iter()
        .map(|&n| (1.0 - beta) / (1.0 - math::pow(beta, n as f64)))
        .collect();
    let total: f64 = raw.iter().sum();
    raw.iter()
        .map(|w| w / total * positives.len() as f64)
        .collect()
}
