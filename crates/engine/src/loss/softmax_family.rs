//! The softmax loss that cross-entropy, weighted CE, softmax focal, LDAM, logit adjustment, Balanced
//! Softmax and label smoothing are all instances of. Each family's file only chooses the parameters;
//! this computes the value and gradient once, and [`super::GpuLossForm`] hands the same parameters to
//! the GPU kernel.
//!
//! For a row with logits `z` and label `y`, with per-class weights `w`, logit offsets `o`, margins
//! `Δ`, scale `s`, focusing parameter `γ` and smoothing `ε`:
//!
//! ```text
//! u_j = s · (z_j + o_j − [j = y] Δ_y)        p = softmax(u),  q = 1 − p_y = Σ_{j≠y} p_j
//! n_i = w_y (1 − ε) · (−q^γ ln p_y)  +  (ε / K) · Σ_c w_c (−ln p_c)
//! L   = Σ_i n_i / D,   D = Σ_i w_{y_i} (torch-mean) or #{i : w_{y_i} ≠ 0} (tf-nonzero)
//! ```
//!
//! The smoothing term is PyTorch's `cross_entropy(label_smoothing=ε, weight=w)`
//! (`aten/src/ATen/native/LossNLL.cpp`); the focal term is Lin et al.'s `−(1−p_t)^γ log p_t`.
//!
//! Gradient of the focal term with respect to `u`: with `H = γ q^γ p_y ln p_y − q^{γ+1}`,
//! `∂/∂u_y = H` and `∂/∂u_j = −H r_j` for `j ≠ y`, `r_j = p_j / q` (the softmax over the other
//! classes). Written this way nothing divides by `q`, so `γ < 1` needs no clamp (the naive form has
//! `(1−p_t)^{γ−1}`, which is infinite at `p_t = 1`). The smoothing term gives `W p_j − w_j`,
//! `W = Σ_c w_c`. Sums run in ascending index order; transcendentals go through [`crate::math`].

use super::Reduction;
use crate::math;

/// Parameters of one softmax-family loss, built from the training counts (see each family's file).
#[derive(Clone, Debug, PartialEq)]
pub struct SoftmaxForm {
    pub weights: Vec<f64>,
    pub offsets: Vec<f64>,
    pub margins: Vec<f64>,
    pub scale: f64,
    pub gamma: f64,
    pub smoothing: f64,
    pub reduction: Reduction,
}

impl SoftmaxForm {
    /// Plain cross-entropy over `k` classes (mean over the batch).
    pub fn plain(k: usize) -> Self {
        SoftmaxForm {
            weights: vec![1.0; k],
            offsets: vec![0.0; k],
            margins: vec![0.0; k],
            scale: 1.0,
            gamma: 0.0,
            smoothing: 0.0,
            reduction: Reduction::WeightedMean,
        }
    }

    pub fn with_weights(mut self, weights: Vec<f64>, reduction: Reduction) -> Self {
        self.weights = weights;
        self.reduction = reduction;
        self
    }

    pub fn value_and_grad(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        let denom = self.reduction.denominator(&self.weights, y);
        if denom == 0.0 {
            // Every sample has weight zero: nothing to learn from this batch.
            grad[..y.len() * k].iter_mut().for_each(|g| *g = 0.0);
            return 0.0;
        }
        let inv = 1.0 / denom;
        let w_total: f64 = self.weights.iter().sum();
        let eps_k = self.smoothing / k as f64;
        let mut u = vec![0.0f64; k];
        let mut e = vec![0.0f64; k];
        let mut total = 0.0f64;
        for (i, &yi) in y.iter().enumerate() {
            let z = &logits[i * k..(i + 1) * k];
            for j in 0..k {
                let margin = if j == yi { self.margins[j] } else { 0.0 };
                u[j] = self.scale * (z[j] + self.offsets[j] - margin);
            }
            let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum_all = 0.0;
            let mut sum_others = 0.0;
            for j in 0..k {
                // exp(±0) is exactly 1: skipping the call for the largest logit changes no bit.
                let x = u[j] - m;
                e[j] = if x == 0.0 { 1.0 } else { math::exp(x) };
                sum_all += e[j];
                if j != yi {
                    sum_others += e[j];
                }
            }
            // ln Σ e; when y holds the maximum, e_y = 1 and ln(1 + Σ_others) keeps ln p_y accurate
            // for p_y near 1 (focal losses live there).
            let ln_sum = if u[yi] == m {
                math::ln_1p(sum_others)
            } else {
                math::ln(sum_all)
            };
            let lse = m + ln_sum;
            let ln_p = u[yi] - lse;
            // p enters only through γ·…·p·ln p; with γ = 0 that product is ±0 (or NaN) for every
            // p in [0, 1], so any such p gives the same bits and the exp can be skipped.
            let p = if self.gamma == 0.0 {
                0.0
            } else {
                math::exp(ln_p)
            };
            let q = sum_others / sum_all;
            let q_gamma = if self.gamma == 0.0 {
                1.0
            } else {
                math::pow(q, self.gamma)
            };
            let a = self.weights[yi] * (1.0 - self.smoothing);
            let mut n_i = -a * q_gamma * ln_p;
            let h = self.gamma * q_gamma * p * ln_p - q_gamma * q;
            let g = &mut grad[i * k..(i + 1) * k];
            for j in 0..k {
                let p_j = e[j] / sum_all;
                let focal = if j == yi {
                    a * h
                } else if sum_others > 0.0 {
                    -a * h * (e[j] / sum_others)
                } else {
                    0.0
                };
                let mut d = focal;
                if eps_k != 0.0 {
                    n_i += eps_k * self.weights[j] * (lse - u[j]);
                    d += eps_k * (w_total * p_j - self.weights[j]);
                }
                g[j] = d * self.scale * inv;
            }
            total += n_i;
        }
        total * inv
    }
}
