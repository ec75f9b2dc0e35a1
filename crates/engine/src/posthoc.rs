//! Post-hoc corrections of a trained model's scores: no retraining, applied to stored probabilities.
//!
//! * `threshold` — binary decision `P(class 1) ≥ t`.
//! * `prior_correction` — Buda, Maki, Mazurowski, "A systematic study of the class imbalance problem
//!   in convolutional neural networks", Neural Networks 106 (2018): `ŷ = argmax_c p_c / π_c`, with
//!   `π` the class prior of the training split **before** resampling (`methods-spec.md` §B.11, §F #16).
//! * `logit_adjustment` — Menon et al., "Long-tail learning via logit adjustment", ICLR 2021
//!   (`google-research/logit_adjustment`): `ŷ = argmax_c f_c − τ ln π_c`. On probabilities
//!   `ln p_c = f_c − const`, so the decision is the same computed from `p`; τ = 1 is prior correction.
//!
//! The adjusted scores are renormalised into a probability row (`p_c π_c^{−τ} / Σ`), which is what the
//! confusion matrix and thresholded metrics see. Per-class ROC AUC is unchanged by the monotone
//! rescaling only within a class; compute AUC on the original probabilities (§B.11).
//! Do not stack `logit_adjustment` on a model trained with the logit-adjusted loss (Menon §5.3).

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::math;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PostHoc {
    /// Arg-max of the model's probabilities.
    #[default]
    None,
    /// Two classes: predict class 1 when `P(class 1) ≥ threshold`.
    Threshold { threshold: f64 },
    /// Divide by the training prior (Buda et al. 2018).
    PriorCorrection,
    /// Subtract `τ ln π` from the logits (Menon et al. 2021).
    LogitAdjustment { tau: f64 },
}

impl PostHoc {
    pub fn name(&self) -> &'static str {
        match self {
            PostHoc::None => "none",
            PostHoc::Threshold { .. } => "threshold",
            PostHoc::PriorCorrection => "prior_correction",
            PostHoc::LogitAdjustment { .. } => "logit_adjustment",
        }
    }

    /// Checks the settings for a problem with `n_classes` classes.
    pub fn validate(&self, n_classes: usize) -> Result<()> {
        match self {
            PostHoc::None | PostHoc::PriorCorrection => Ok(()),
            PostHoc::Threshold { threshold } => {
                if !(0.0..=1.0).contains(threshold) {
                    return Err(EngineError::config(
                        "posthoc.threshold",
                        format!("must be between 0 and 1, got {threshold}"),
                    ));
                }
                if n_classes != 2 {
                    return Err(EngineError::config(
                        "posthoc.threshold",
                        "a decision threshold applies to two classes only",
                    ));
                }
                Ok(())
            }
            PostHoc::LogitAdjustment { tau } => {
                if !(tau.is_finite() && (0.0..=10.0).contains(tau)) {
                    return Err(EngineError::config(
                        "posthoc.tau",
                        format!("τ must be in [0, 10], got {tau}"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// The exponent τ of the prior this correction divides by (0 for none and threshold).
    fn tau(&self) -> f64 {
        match self {
            PostHoc::None | PostHoc::Threshold { .. } => 0.0,
            PostHoc::PriorCorrection => 1.0,
            PostHoc::LogitAdjustment { tau } => *tau,
        }
    }

    /// Adjusted logits `z_c − τ ln π_c` (for scores kept as logits).
    pub fn adjust_logits(&self, logits: &[f64], prior: &[f64]) -> Vec<f64> {
        let tau = self.tau();
        logits
            .iter()
            .zip(prior)
            .map(|(&z, &p)| z - tau * math::ln(p))
            .collect()
    }

    /// Adjusted probability row `p_c π_c^{−τ} / Σ_j p_j π_j^{−τ}`, computed in the log domain.
    /// `prior` must be positive (every class present in the training split).
    pub fn adjust_probabilities(&self, probs: &[f32], prior: &[f64]) -> Vec<f64> {
        let tau = self.tau();
        if tau == 0.0 {
            return probs.iter().map(|&p| f64::from(p)).collect();
        }
        let scores: Vec<f64> = probs
            .iter()
            .zip(prior)
            .map(|(&p, &pi)| {
                let p = f64::from(p);
                if p > 0.0 {
                    math::ln(p) - tau * math::ln(pi)
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();
        let m = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = scores.iter().map(|&s| math::exp(s - m)).collect();
        let total: f64 = e.iter().sum();
        e.iter().map(|v| v / total).collect()
    }

    /// The predicted class for one probability row (ties go to the lower class).
    pub fn decide(&self, probs: &[f32], prior: &[f64]) -> usize {
        if let (PostHoc::Threshold { threshold }, 2) = (self, probs.len()) {
            return usize::from(f64::from(probs[1]) >= *threshold);
        }
        argmax(&self.adjust_probabilities(probs, prior))
    }
}

/// Index of the first maximum.
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (c, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = c;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `oracle/golden_losses.json`: argmax(z) = [0,1,0,2], argmax(z − ln π) = [2,2,2,2], n = [50,10,2].
    #[test]
    fn golden_post_hoc_logit_adjustment() {
        let z = [
            [2.0, 0.5, -1.0],
            [0.2, 1.5, 0.3],
            [1.0, 0.8, 0.9],
            [-0.5, 0.0, 2.5],
        ];
        let prior: Vec<f64> = [50.0, 10.0, 2.0].iter().map(|n| n / 62.0).collect();
        let la = PostHoc::LogitAdjustment { tau: 1.0 };
        let mut plain = vec![];
        let mut adjusted = vec![];
        let mut corrected = vec![];
        for row in &z {
            plain.push(PostHoc::None.decide(&softmax32(row), &prior));
            adjusted.push(argmax(&la.adjust_logits(row, &prior)));
            corrected.push(PostHoc::PriorCorrection.decide(&softmax32(row), &prior));
        }
        assert_eq!(plain, vec![0, 1, 0, 2]);
        assert_eq!(adjusted, vec![2, 2, 2, 2]);
        assert_eq!(corrected, adjusted);
    }

    fn softmax32(z: &[f64]) -> Vec<f32> {
        let s: f64 = z.iter().map(|v| v.exp()).sum();
        z.iter().map(|v| (v.exp() / s) as f32).collect()
    }

    #[test]
    fn adjusted_rows_are_probabilities_and_tau_zero_is_identity() {
        let p = [0.7f32, 0.2, 0.1];
        let prior = [0.8, 0.15, 0.05];
        let q = PostHoc::PriorCorrection.adjust_probabilities(&p, &prior);
        assert!((q.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // p/π = [0.875, 1.333, 2.0] → normalised.
        let t = 0.875 + 0.2 / 0.15 + 2.0;
        assert!((q[2] - 2.0 / t).abs() < 1e-6);
        let id = PostHoc::LogitAdjustment { tau: 0.0 }.adjust_probabilities(&p, &prior);
        assert_eq!(id, vec![0.7f32 as f64, 0.2f32 as f64, 0.1f32 as f64]);
    }

    #[test]
    fn threshold_is_binary_and_validated() {
        let t = PostHoc::Threshold { threshold: 0.3 };
        assert_eq!(t.decide(&[0.65, 0.35], &[0.9, 0.1]), 1);
        assert_eq!(t.decide(&[0.75, 0.25], &[0.9, 0.1]), 0);
        assert!(t.validate(2).is_ok());
        assert!(t.validate(3).is_err());
        assert!(PostHoc::Threshold { threshold: 1.5 }.validate(2).is_err());
        assert!(PostHoc::LogitAdjustment { tau: -1.0 }.validate(2).is_err());
    }
}
