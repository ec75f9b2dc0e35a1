//! Focal loss and class-balanced focal loss.
//!
//! * Focal — Lin, Goyal, Girshick, He, Dollár, "Focal Loss for Dense Object Detection", ICCV 2017.
//!   Softmax form (multi-class, as `kaidic/LDAM-DRW` `losses.py::FocalLoss` but with the true `p_t`,
//!   `methods-spec.md` §F #9): `ℓ = −α_y (1−p_y)^γ log p_y`. Sigmoid form (one sigmoid per class,
//!   as `torchvision.ops.sigmoid_focal_loss`): `ℓ_i = Σ_j α_t (1−p_t)^γ BCE(z_ij, 1[j=y_i])`,
//!   `α_t = α` for the target and `1−α` otherwise. `α` unset disables the α term.
//! * Class-balanced focal — Cui, Jia, Lin, Song, Belongie, CVPR 2019 (`richardaecn/class-balanced-loss`
//!   `src/cifar_main.py::focal_loss`): the sample's effective-number weight `w_{y_i}` (β) replaces α.
//!
//! The sigmoid form sums over the K sigmoid terms and divides by the reduction's denominator (N for
//! tf-nonzero, the Class-Balanced reference's "sum / number of positives"); torchvision's
//! `reduction='mean'` divides by N·K instead, i.e. it is this value over K. Its modulator is computed
//! as `exp(−γ softplus(v))`, `v = ±z`, which stays finite for any logit.
//! Golden values: `oracle/golden_losses.json` (`softmax focal gamma=…`, `true alpha-weighted`,
//! `sigmoid focal …`).

use serde::{Deserialize, Serialize};

use super::softmax_family::SoftmaxForm;
use super::{ClassWeights, Reduction};
use crate::error::{EngineError, Result};
use crate::math;

/// Softmax over the classes, or one independent sigmoid per class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FocalForm {
    #[default]
    Softmax,
    Sigmoid,
}

/// Parameters of the sigmoid focal loss (`w` per class, applied to every term of a sample).
#[derive(Clone, Debug, PartialEq)]
pub struct SigmoidFocalForm {
    pub weights: Vec<f64>,
    pub alpha: Option<f64>,
    pub gamma: f64,
    pub reduction: Reduction,
}

/// `focal`: softmax form with α as class weights `[1−α, α]` (two classes only), or the sigmoid form.
pub fn focal(
    gamma: f64,
    alpha: Option<f64>,
    form: FocalForm,
    reduction: Reduction,
    counts: &[usize],
) -> Result<FocalLoss> {
    let k = counts.len();
    match form {
        FocalForm::Softmax => {
            let weights =
                match alpha {
                    None => vec![1.0; k],
                    Some(a) if k == 2 => vec![1.0 - a, a],
                    Some(_) => return Err(EngineError::config(
                        "alpha",
                        "the softmax focal loss takes α for two classes only (α weighs class 1, \
                         1−α class 0); use cb_focal or the sigmoid form for more classes",
                    )),
                };
            let mut f = SoftmaxForm::plain(k).with_weights(weights, reduction);
            f.gamma = gamma;
            Ok(FocalLoss::Softmax(f))
        }
        FocalForm::Sigmoid => Ok(FocalLoss::Sigmoid(SigmoidFocalForm {
            weights: vec![1.0; k],
            alpha,
            gamma,
            reduction,
        })),
    }
}

/// `cb_focal`: effective-number weights (β) on the focal term.
pub fn cb_focal(
    beta: f64,
    gamma: f64,
    form: FocalForm,
    reduction: Reduction,
    counts: &[usize],
) -> Result<FocalLoss> {
    let w = ClassWeights::EffectiveNumber { beta }.compute(counts)?;
    Ok(match form {
        FocalForm::Softmax => {
            let mut f = SoftmaxForm::plain(counts.len()).with_weights(w, reduction);
            f.gamma = gamma;
            FocalLoss::Softmax(f)
        }
        FocalForm::Sigmoid => FocalLoss::Sigmoid(SigmoidFocalForm {
            weights: w,
            alpha: None,
            gamma,
            reduction,
        }),
    })
}

pub enum FocalLoss {
    Softmax(SoftmaxForm),
    Sigmoid(SigmoidFocalForm),
}

/// `ln(1 + e^x)` without overflow.
pub(crate) fn softplus(x: f64) -> f64 {
    x.max(0.0) + math::ln_1p(math::exp(-x.abs()))
}

impl SigmoidFocalForm {
    pub fn value_and_grad(&self, logits: &[f64], y: &[usize], k: usize, grad: &mut [f64]) -> f64 {
        let denom = self.reduction.denominator(&self.weights, y);
        if denom == 0.0 {
            grad[..y.len() * k].iter_mut().for_each(|g| *g = 0.0);
            return 0.0;
        }
        let inv = 1.0 / denom;
        let mut total = 0.0;
        for (i, &yi) in y.iter().enumerate() {
            let w = self.weights[yi];
            for j in 0..k {
                let z = logits[i * k + j];
                let target = j == yi;
                // v = z for the target class, −z otherwise: p_t = σ(v).
                let (v, sign) = if target { (z, 1.0) } else { (-z, -1.0) };
                let alpha_t = match self.alpha {
                    None => 1.0,
                    Some(a) if target => a,
                    Some(a) => 1.0 - a,
                };
                let nll = softplus(-v); // −ln p_t
                let one_minus_pt = math::exp(-softplus(v)); // σ(−v)
                let modulator = if self.gamma == 0.0 {
                    1.0
                } else {
                    math::exp(-self.gamma * softplus(v))
                };
                let pt = math::exp(-nll);
                let weight = w * alpha_t;
                total += weight * modulator * nll;
                // d/dv [σ(−v)^γ softplus(−v)] = −σ(−v)^γ (γ σ(v) softplus(−v) + σ(−v)).
                let dv = -modulator * (self.gamma * pt * nll + one_minus_pt);
                grad[i * k + j] = weight * sign * dv * inv;
            }
        }
        total * inv
    }
}
