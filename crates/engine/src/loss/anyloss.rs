//! AnyLoss — Han, Moniz, Chawla, "AnyLoss: Transforming Classification Metrics into Loss Functions",
//! 2024 (arXiv:2405.14745). Reference: `doheonhan/anyloss` `AnyLoss - Code.ipynb` and
//! `doheonhan/anyloss_extension` `AnyLoss_Code.ipynb`.
//!
//! The probability `p` is amplified, `A = 1/(1 + e^{−L(p − ½)})` (L = 73, the reference default), and
//! a soft confusion matrix is built over the batch: `TP = Σ y A`, `FN = Σ y (1−A)`, `FP = Σ (1−y) A`,
//! `TN = Σ (1−y)(1−A)`. Losses: accuracy `1 − (TP+TN)/N`; F_β `1 − (1+β²)TP/(β²·P + ΣA + ε)`;
//! G-mean `1 − √(TPR·TNR)`; balanced accuracy `1 − (TPR+TNR)/2`, with `TPR = TP/(P + ε)`,
//! `TNR = TN/(N − P + ε)`, `P = Σ y`. Workbench rules (`methods-spec.md` §F #12): N is the batch size and
//! the G-mean keeps its square root; ε (default 1e-5, as the extension) guards batches without
//! positives or negatives. For K = 2, `p` is the softmax probability of class 1 (= σ(z₁ − z₀)); for
//! K > 2 the loss is the mean over the K one-vs-rest problems (an extension, labelled so in the UI).
//! Where `√(TPR·TNR) = 0` the G-mean gradient is taken as 0.
//! Golden values: `oracle/golden_losses.json` (`AnyLoss …`, with ε = 0 as the notebook).

use serde::{Deserialize, Serialize};

use super::dice::{chain_through_softmax, softmax_rows};
use crate::math;

/// The metric AnyLoss turns into a loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyLossMetric {
    Accuracy,
    /// F_β with the `beta` of the loss spec (β = 1: F1).
    #[default]
    FBeta,
    GMean,
    BalancedAccuracy,
}

impl AnyLossMetric {
    pub fn name(self) -> &'static str {
        match self {
            AnyLossMetric::Accuracy => "accuracy",
            AnyLossMetric::FBeta => "f_beta",
            AnyLossMetric::GMean => "g_mean",
            AnyLossMetric::BalancedAccuracy => "balanced_accuracy",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnyLoss {
    pub metric: AnyLossMetric,
    pub beta: f64,
    pub amplifier: f64,
    pub eps: f64,
}

/// The soft confusion matrix of one one-vs-rest problem.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SoftConfusion {
    pub tp: f64,
    pub fn_: f64,
    pub fp: f64,
    pub tn: f64,
}

impl AnyLoss {
    /// `A(p)`.
    pub fn amplify(&self, p: f64) -> f64 {
        1.0 / (1.0 + math::exp(-self.amplifier * (p - 0.5)))
    }

    /// Soft confusion matrix of class `c` against the rest, from probabilities `p` (n × k).
    pub fn confusion(&self, p: &[f64], y: &[usize], k: usize, c: usize) -> SoftConfusion {
        let (mut tp, mut pos, mut sum_a) = (0.0, 0.0, 0.0);
        for (i, &yi) in y.iter().enumerate() {
            let a = self.amplify(p[i * k + c]);
            sum_a += a;
            if yi == c {
                tp += a;
                pos += 1.0;
            }
        }
        let neg = y.len() as f64 - pos;
        SoftConfusion {
            tp,
            fn_: pos - tp,
            fp: sum_a - tp,
            tn: neg - (sum_a - tp),
        }
    }

    /// Loss and its partial derivatives with respect to TP and ΣA, given P (positives) and N.
    fn metric_loss(&self, tp: f64, sum_a: f64, pos: f64, n: f64) -> (f64, f64, f64) {
        let neg = n - pos;
        let tn = neg - sum_a + tp;
        match self.metric {
            AnyLossMetric::Accuracy => (1.0 - (tp + tn) / n, -2.0 / n, 1.0 / n),
            AnyLossMetric::FBeta => {
                let b2 = self.beta * self.beta;
                let den = b2 * pos + sum_a + self.eps;
                let v = 1.0 - (1.0 + b2) * tp / den;
                (v, -(1.0 + b2) / den, (1.0 + b2) * tp / (den * den))
            }
            AnyLossMetric::BalancedAccuracy | AnyLossMetric::GMean => {
                let (dp, dn) = (pos + self.eps, neg + self.eps);
                let (tpr, tnr) = (tp / dp, tn / dn);
                // ∂TPR/∂TP = 1/dp, ∂TNR/∂TP = 1/dn, ∂TNR/∂ΣA = −1/dn.
                if self.metric == AnyLossMetric::BalancedAccuracy {
                    (
                        1.0 - 0.5 * (tpr + tnr),
                        -0.5 * (1.0 / dp + 1.0 / dn),
                        0.5 / dn,
                    )
                } else {
                    let root = (tpr * tnr).sqrt();
                    if root == 0.0 {
                        return (1.0, 0.0, 0.0);
                    }
                    let d_tp = -(tnr / dp + tpr / dn) / (2.0 * root);
                    let d_sa = (tpr / dn) / (2.0 * root);
                    (1.0 - root, d_tp, d_sa)
                }
            }
        }
    }

    pub fn value_and_grad(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        let n = y.len();
        let p = softmax_rows(logits, n, k);
        let classes: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let share = 1.0 / classes.len() as f64;
        let mut dp = vec![0.0; n * k];
        let mut total = 0.0;
        for &c in &classes {
            let (mut tp, mut sum_a) = (0.0, 0.0);
            for (i, &yi) in y.iter().enumerate() {
                let a = self.amplify(p[i * k + c]);
                sum_a += a;
                if yi == c {
                    tp += a;
                }
            }
            let pos = y.iter().filter(|&&yi| yi == c).count() as f64;
            let (v, d_tp, d_sa) = self.metric_loss(tp, sum_a, pos, n as f64);
            total += share * v;
            for (i, &yi) in y.iter().enumerate() {
                let a = self.amplify(p[i * k + c]);
                let t = if yi == c { 1.0 } else { 0.0 };
                let da_dp = self.amplifier * a * (1.0 - a);
                dp[i * k + c] = share * (d_tp * t + d_sa) * da_dp;
            }
        }
        chain_through_softmax(&p, &dp, n, k, grad);
        total
    }
}
