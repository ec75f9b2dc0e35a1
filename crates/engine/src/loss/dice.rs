//! Dice losses — Li, Sun, Meng, Liang, Wu, Li, "Dice Loss for Data-imbalanced NLP Tasks", ACL 2020
//! (reference `ShannonAI/dice_loss_for_NLP` `loss/dice_loss.py`), and Milletari et al.'s batch soft
//! Dice (V-Net, 3DV 2016).
//!
//! * `self_adjusting` (default, `methods-spec.md` §B.8 workbench rule): on the softmax probability of
//!   the gold class `p`, `q = (1−p)^α p`, `ℓ = 1 − (2q + γ)/(q + 1 + γ)`, mean over the batch
//!   (the per-example form of the paper; α = 1, γ = 1 as the `fursovia/self-adj-dice` port).
//!   The official code's class-summed, batch-denominator variant is not reproduced (§F #11).
//! * `batch_soft`: `1 − (2 Σ_i p_i t_i + γ)/(Σ_i p_i² + Σ_i t_i + γ)` over the batch, for class 1 when
//!   K = 2 (the binary form) and averaged over the K one-vs-rest classes otherwise (an extension).
//!
//! Gradients go through the softmax: with `g_c = ∂ℓ/∂p_c`, `∂ℓ/∂z_j = p_j (g_j − Σ_c g_c p_c)`. For
//! the self-adjusting form the `(1−p)^{α−1}` factor is folded as in the focal loss (`∂/∂z_y = D`,
//! `∂/∂z_j = −D p_j/(1−p)` for `j ≠ y`), so `α < 1` is safe at `p = 1`.
//! Golden values: `oracle/golden_losses.json` (`self-adjusting DSC …`, `binary soft dice DL …`).

use serde::{Deserialize, Serialize};

use crate::math;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiceForm {
    #[default]
    SelfAdjusting,
    BatchSoft,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DiceLoss {
    pub alpha: f64,
    pub gamma: f64,
    pub form: DiceForm,
}

/// Softmax of one row in f64 (max subtracted); returns the row's probabilities.
pub(crate) fn softmax_row(z: &[f64], out: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for (o, &v) in out.iter_mut().zip(z) {
        *o = math::exp(v - m);
        s += *o;
    }
    for o in out.iter_mut() {
        *o /= s;
    }
}

/// Softmax probabilities of every row (n × k).
pub(crate) fn softmax_rows(logits: &[f64], n: usize, k: usize) -> Vec<f64> {
    let mut p = vec![0.0; n * k];
    for i in 0..n {
        softmax_row(&logits[i * k..(i + 1) * k], &mut p[i * k..(i + 1) * k]);
    }
    p
}

/// Writes `∂ℓ/∂z` into `grad` from `∂ℓ/∂p` (`dp`, n × k) through the softmax.
pub(crate) fn chain_through_softmax(p: &[f64], dp: &[f64], n: usize, k: usize, grad: &mut [f64]) {
    for i in 0..n {
        let row = i * k..(i + 1) * k;
        let inner: f64 = p[row.clone()]
            .iter()
            .zip(&dp[row.clone()])
            .map(|(a, b)| a * b)
            .sum();
        for j in row {
            grad[j] = p[j] * (dp[j] - inner);
        }
    }
}

impl DiceLoss {
    pub fn value_and_grad(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        match self.form {
            DiceForm::SelfAdjusting => self.self_adjusting(logits, y, k, grad),
            DiceForm::BatchSoft => self.batch_soft(logits, y, k, grad),
        }
    }

    fn self_adjusting(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        let n = y.len();
        let inv_n = 1.0 / n as f64;
        let mut p = vec![0.0; k];
        let mut total = 0.0;
        for (i, &yi) in y.iter().enumerate() {
            softmax_row(&logits[i * k..(i + 1) * k], &mut p);
            let pt = p[yi];
            let rest: f64 = (0..k).filter(|&j| j != yi).map(|j| p[j]).sum();
            let rest_a = if self.alpha == 0.0 {
                1.0
            } else {
                math::pow(rest, self.alpha)
            };
            let q = rest_a * pt;
            let den = q + 1.0 + self.gamma;
            total += 1.0 - (2.0 * q + self.gamma) / den;
            let dl_dq = -(2.0 + self.gamma) / (den * den);
            // dq/dz_y = p (1−p)^α ((1−p) − α p); dq/dz_j = −that · p_j/(1−p).
            let d_y = pt * rest_a * (rest - self.alpha * pt);
            for j in 0..k {
                let dq = if j == yi {
                    d_y
                } else if rest > 0.0 {
                    -d_y * p[j] / rest
                } else {
                    0.0
                };
                grad[i * k + j] = dl_dq * dq * inv_n;
            }
        }
        total * inv_n
    }

    fn batch_soft(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        let n = y.len();
        let p = softmax_rows(logits, n, k);
        let classes: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let share = 1.0 / classes.len() as f64;
        let mut dp = vec![0.0; n * k];
        let mut total = 0.0;
        for &c in &classes {
            let (mut inter, mut p2, mut t) = (0.0, 0.0, 0.0);
            for (i, &yi) in y.iter().enumerate() {
                let pc = p[i * k + c];
                let tc = if yi == c { 1.0 } else { 0.0 };
                inter += pc * tc;
                p2 += pc * pc;
                t += tc;
            }
            let num = 2.0 * inter + self.gamma;
            let den = p2 + t + self.gamma;
            total += share * (1.0 - num / den);
            for (i, &yi) in y.iter().enumerate() {
                let pc = p[i * k + c];
                let tc = if yi == c { 1.0 } else { 0.0 };
                dp[i * k + c] = -share * (2.0 * tc * den - num * 2.0 * pc) / (den * den);
            }
        }
        chain_through_softmax(&p, &dp, n, k, grad);
        total
    }
}
