//! Losses on logits (`methods-spec.md` §B). Each family lives in its own file; a [`LossSpec`] (the
//! user's choice, serialized in links) is built once from the training-set class counts into a
//! [`Loss`], which gives the batch value and the gradient with respect to the logits.
//!
//! Values are computed in f64 from the f32 logits, rows in order, transcendentals through
//! [`crate::math`], so a configuration gives bit-identical numbers on every target.

mod anyloss;
mod class_weights;
mod cross_entropy;
mod dice;
mod focal;
mod label_smoothing;
mod ldam;
mod logit_adjusted;
mod softmax_family;

pub use anyloss::{AnyLoss, AnyLossMetric, SoftConfusion};
pub use class_weights::{ClassWeights, Reduction};
pub use cross_entropy::cross_entropy;
pub use dice::{DiceForm, DiceLoss};
pub use focal::{FocalForm, SigmoidFocalForm};
pub use ldam::ldam_margins;
pub use logit_adjusted::training_prior;
pub use softmax_family::SoftmaxForm;

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::math;

/// The training loss, as the user chose it. `kind` is the stable short name used in links.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum LossSpec {
    /// Plain softmax cross-entropy, mean over the batch.
    #[default]
    #[serde(rename = "ce", alias = "cross_entropy")]
    CrossEntropy,
    /// Class-weighted cross-entropy (§B.1, §B.2 softmax branch).
    #[serde(rename = "weighted_ce")]
    WeightedCe {
        #[serde(default = "default_weighted_ce_weights")]
        weights: ClassWeights,
        #[serde(default)]
        reduction: Reduction,
    },
    /// Focal loss (§B.3). Default reduction: mean over N, not weight-normalised, as the paper.
    #[serde(rename = "focal")]
    Focal {
        #[serde(default = "default_focal_gamma")]
        gamma: f64,
        /// Weight of class 1 (class 0 gets 1 − α); `None` disables the α term.
        #[serde(default)]
        alpha: Option<f64>,
        #[serde(default)]
        form: FocalForm,
        #[serde(default = "default_focal_reduction")]
        reduction: Reduction,
    },
    /// Class-balanced focal loss (§B.2): effective-number weights with β on the focal term.
    #[serde(rename = "cb_focal")]
    CbFocal {
        #[serde(default = "default_cb_beta")]
        beta: f64,
        #[serde(default = "default_cb_gamma")]
        gamma: f64,
        #[serde(default)]
        form: FocalForm,
        #[serde(default)]
        reduction: Reduction,
    },
    /// LDAM (§B.4): margins `∝ n^{-1/4}` with largest `max_margin`, logits scaled by `scale`.
    #[serde(rename = "ldam")]
    Ldam {
        #[serde(default = "default_ldam_margin")]
        max_margin: f64,
        #[serde(default = "default_ldam_scale")]
        scale: f64,
        #[serde(default)]
        weights: ClassWeights,
        #[serde(default)]
        reduction: Reduction,
    },
    /// Logit-adjusted loss (§B.5): CE on `z + τ ln π`.
    #[serde(rename = "logit_adjusted")]
    LogitAdjusted {
        #[serde(default = "one")]
        tau: f64,
    },
    /// Balanced Softmax (§B.6): CE on `z + ln n` (≡ logit-adjusted with τ = 1).
    #[serde(rename = "balanced_softmax")]
    BalancedSoftmax,
    /// Label smoothing (§B.7), PyTorch semantics.
    #[serde(rename = "label_smoothing")]
    LabelSmoothing {
        #[serde(default = "default_smoothing")]
        epsilon: f64,
        #[serde(default)]
        weights: ClassWeights,
        #[serde(default)]
        reduction: Reduction,
    },
    /// Self-adjusting Dice (§B.8) or batch soft Dice.
    #[serde(rename = "dice")]
    Dice {
        #[serde(default = "one")]
        alpha: f64,
        #[serde(default = "one")]
        gamma: f64,
        #[serde(default)]
        form: DiceForm,
    },
    /// AnyLoss (§B.9): a confusion-matrix metric made differentiable.
    #[serde(rename = "anyloss")]
    AnyLoss {
        #[serde(default)]
        metric: AnyLossMetric,
        #[serde(default = "one")]
        beta: f64,
        #[serde(default = "default_amplifier")]
        amplifier: f64,
        #[serde(default = "default_anyloss_eps")]
        eps: f64,
    },
}

fn one() -> f64 {
    1.0
}
fn default_weighted_ce_weights() -> ClassWeights {
    ClassWeights::InverseFrequency
}
fn default_focal_gamma() -> f64 {
    2.0
}
fn default_focal_reduction() -> Reduction {
    Reduction::NonzeroWeights
}
fn default_cb_beta() -> f64 {
    0.9999
}
fn default_cb_gamma() -> f64 {
    1.0
}
fn default_ldam_margin() -> f64 {
    0.5
}
fn default_ldam_scale() -> f64 {
    30.0
}
fn default_smoothing() -> f64 {
    0.1
}
fn default_amplifier() -> f64 {
    73.0
}
fn default_anyloss_eps() -> f64 {
    1e-5
}

/// Every short name, in the order the UI lists them.
pub const LOSS_NAMES: [&str; 10] = [
    "ce",
    "weighted_ce",
    "focal",
    "cb_focal",
    "ldam",
    "logit_adjusted",
    "balanced_softmax",
    "label_smoothing",
    "dice",
    "anyloss",
];

fn check(key: &str, ok: bool, what: &str, v: f64) -> Result<()> {
    if ok && v.is_finite() {
        Ok(())
    } else {
        Err(EngineError::config(key, format!("{what}, got {v}")))
    }
}

impl LossSpec {
    /// The stable short name used in links.
    pub fn name(&self) -> &'static str {
        match self {
            LossSpec::CrossEntropy => "ce",
            LossSpec::WeightedCe { .. } => "weighted_ce",
            LossSpec::Focal { .. } => "focal",
            LossSpec::CbFocal { .. } => "cb_focal",
            LossSpec::Ldam { .. } => "ldam",
            LossSpec::LogitAdjusted { .. } => "logit_adjusted",
            LossSpec::BalancedSoftmax => "balanced_softmax",
            LossSpec::LabelSmoothing { .. } => "label_smoothing",
            LossSpec::Dice { .. } => "dice",
            LossSpec::AnyLoss { .. } => "anyloss",
        }
    }

    /// The default settings of the loss called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        let json = format!("{{\"kind\":\"{name}\"}}");
        serde_json::from_str(&json).ok()
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            LossSpec::CrossEntropy | LossSpec::BalancedSoftmax => Ok(()),
            LossSpec::WeightedCe { weights, .. } => weights.validate(),
            LossSpec::Focal { gamma, alpha, .. } => {
                check_gamma(*gamma)?;
                if let Some(a) = alpha {
                    check("alpha", (0.0..=1.0).contains(a), "α must be in [0, 1]", *a)?;
                }
                Ok(())
            }
            LossSpec::CbFocal { beta, gamma, .. } => {
                check_gamma(*gamma)?;
                ClassWeights::EffectiveNumber { beta: *beta }.validate()
            }
            LossSpec::Ldam {
                max_margin,
                scale,
                weights,
                ..
            } => {
                check(
                    "max_margin",
                    *max_margin > 0.0 && *max_margin <= 10.0,
                    "the largest margin must be in (0, 10]",
                    *max_margin,
                )?;
                check(
                    "scale",
                    *scale > 0.0 && *scale <= 1000.0,
                    "the logit scale s must be in (0, 1000]",
                    *scale,
                )?;
                weights.validate()
            }
            LossSpec::LogitAdjusted { tau } => check(
                "tau",
                (0.0..=10.0).contains(tau),
                "τ must be in [0, 10]",
                *tau,
            ),
            LossSpec::LabelSmoothing {
                epsilon, weights, ..
            } => {
                check(
                    "epsilon",
                    (0.0..1.0).contains(epsilon),
                    "the smoothing ε must be in [0, 1)",
                    *epsilon,
                )?;
                weights.validate()
            }
            LossSpec::Dice { alpha, gamma, .. } => {
                check(
                    "alpha",
                    (0.0..=10.0).contains(alpha),
                    "the Dice α must be in [0, 10]",
                    *alpha,
                )?;
                check(
                    "gamma",
                    *gamma > 0.0 && *gamma <= 100.0,
                    "the Dice smoothing γ must be in (0, 100]",
                    *gamma,
                )
            }
            LossSpec::AnyLoss {
                beta,
                amplifier,
                eps,
                ..
            } => {
                check(
                    "beta",
                    *beta > 0.0 && *beta <= 100.0,
                    "the F-score β must be in (0, 100]",
                    *beta,
                )?;
                check(
                    "amplifier",
                    *amplifier > 0.0 && *amplifier <= 10_000.0,
                    "the amplifier L must be in (0, 10000]",
                    *amplifier,
                )?;
                check(
                    "eps",
                    (0.0..=1.0).contains(eps),
                    "ε must be in [0, 1]",
                    *eps,
                )
            }
        }
    }

    /// Builds the loss for training data with these per-class counts (the resampled training set).
    pub fn build(&self, counts: &[usize]) -> Result<Loss> {
        self.validate()?;
        let k = counts.len();
        if k < 2 {
            return Err(EngineError::config(
                "loss",
                "a classification loss needs at least two classes",
            ));
        }
        let kind = match self {
            LossSpec::CrossEntropy => BuiltLoss::Softmax(SoftmaxForm::plain(k)),
            LossSpec::WeightedCe { weights, reduction } => {
                BuiltLoss::Softmax(cross_entropy::weighted_ce(weights, *reduction, counts)?)
            }
            LossSpec::Focal {
                gamma,
                alpha,
                form,
                reduction,
            } => focal::focal(*gamma, *alpha, *form, *reduction, counts)?.into(),
            LossSpec::CbFocal {
                beta,
                gamma,
                form,
                reduction,
            } => focal::cb_focal(*beta, *gamma, *form, *reduction, counts)?.into(),
            LossSpec::Ldam {
                max_margin,
                scale,
                weights,
                reduction,
            } => BuiltLoss::Softmax(ldam::ldam(
                *max_margin,
                *scale,
                weights,
                *reduction,
                counts,
            )?),
            LossSpec::LogitAdjusted { tau } => {
                BuiltLoss::Softmax(logit_adjusted::logit_adjusted(*tau, counts)?)
            }
            LossSpec::BalancedSoftmax => {
                BuiltLoss::Softmax(logit_adjusted::balanced_softmax(counts)?)
            }
            LossSpec::LabelSmoothing {
                epsilon,
                weights,
                reduction,
            } => BuiltLoss::Softmax(label_smoothing::label_smoothing(
                *epsilon, weights, *reduction, counts,
            )?),
            LossSpec::Dice { alpha, gamma, form } => BuiltLoss::Dice(DiceLoss {
                alpha: *alpha,
                gamma: *gamma,
                form: *form,
            }),
            LossSpec::AnyLoss {
                metric,
                beta,
                amplifier,
                eps,
            } => BuiltLoss::AnyLoss(AnyLoss {
                metric: *metric,
                beta: *beta,
                amplifier: *amplifier,
                eps: *eps,
            }),
        };
        Ok(Loss {
            name: self.name(),
            n_classes: k,
            kind,
        })
    }
}

fn check_gamma(gamma: f64) -> Result<()> {
    check(
        "gamma",
        (0.0..=10.0).contains(&gamma),
        "the focusing parameter γ must be in [0, 10]",
        gamma,
    )
}

#[derive(Clone, Debug, PartialEq)]
enum BuiltLoss {
    Softmax(SoftmaxForm),
    SigmoidFocal(SigmoidFocalForm),
    Dice(DiceLoss),
    AnyLoss(AnyLoss),
}

impl From<focal::FocalLoss> for BuiltLoss {
    fn from(f: focal::FocalLoss) -> Self {
        match f {
            focal::FocalLoss::Softmax(s) => BuiltLoss::Softmax(s),
            focal::FocalLoss::Sigmoid(s) => BuiltLoss::SigmoidFocal(s),
        }
    }
}

/// A loss built for a training set: evaluates a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Loss {
    name: &'static str,
    n_classes: usize,
    kind: BuiltLoss,
}

/// How the GPU evaluates the loss on the logits in a [`GpuLossForm`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GpuOutput {
    /// Softmax over the classes.
    Softmax,
    /// One sigmoid per class (the sigmoid focal loss).
    Sigmoid,
    /// Self-adjusting Dice on the softmax probability of the gold class, mean over the batch
    /// (`dice.rs`; per row, like the softmax family).
    SelfAdjustingDice { alpha: f32, gamma: f32 },
    /// Batch soft Dice (`dice.rs`): sums over the whole batch, then a per-row gradient.
    BatchSoftDice { gamma: f32 },
    /// AnyLoss (`anyloss.rs`): a soft confusion matrix over the batch, then a per-row gradient.
    AnyLoss {
        metric: AnyLossMetric,
        beta: f32,
        amplifier: f32,
        eps: f32,
    },
}

impl GpuOutput {
    /// True for the forms whose gradient needs sums over the whole batch first.
    pub fn is_batch_level(&self) -> bool {
        matches!(
            self,
            GpuOutput::BatchSoftDice { .. } | GpuOutput::AnyLoss { .. }
        )
    }
}

/// A built loss written as numbers a GPU kernel can apply (f32, one entry per class).
///
/// **Softmax** (`ce`, `weighted_ce`, softmax `focal`/`cb_focal`, `ldam`, `logit_adjusted`,
/// `balanced_softmax`, `label_smoothing`): for row `i` with label `y`,
/// `u_j = scale · (z_j + logit_offsets[j] − [j = y] · margins[y])`, `p = softmax(u)`,
/// `q = 1 − p_y`, numerator
/// `n_i = class_weights[y] (1 − ε) (−q^γ ln p_y) + (ε/K) Σ_c class_weights[c] (−ln p_c)`
/// with `ε = label_smoothing`, `γ = gamma`; the batch loss is `Σ_i n_i / D` with `D` from
/// `reduction` ([`Reduction::denominator`]). Gradient: see `loss/softmax_family.rs`.
///
/// **Sigmoid** (sigmoid `focal`/`cb_focal`): `ℓ_i = Σ_j class_weights[y] α_t (1−p_t)^γ (−ln p_t)`
/// with `p_t = σ(±z_ij)` (+ for `j = y`), `α_t = sigmoid_alpha` for `j = y`, `1 − sigmoid_alpha`
/// otherwise, or 1 when `sigmoid_alpha` is `None`; offsets, margins and smoothing are unused (0) and
/// `scale` is 1. The batch loss is `Σ_i ℓ_i / D`.
///
/// **Dice, AnyLoss**: the parameters travel in `output`; class weights are 1, offsets, margins and
/// smoothing 0, and `reduction` is `WeightedMean`, so `D` is the batch size (the self-adjusting
/// Dice's mean; the batch-level forms ignore `D`).
#[derive(Clone, Debug, PartialEq)]
pub struct GpuLossForm {
    pub output: GpuOutput,
    pub class_weights: Vec<f32>,
    pub logit_offsets: Vec<f32>,
    pub margins: Vec<f32>,
    pub scale: f32,
    pub gamma: f32,
    pub label_smoothing: f32,
    pub sigmoid_alpha: Option<f32>,
    pub reduction: Reduction,
}

fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

impl Loss {
    /// The short name of the spec it was built from.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Batch loss of `logits` (row-major n × k, n = `y.len()`) and its gradient in `grad` (f32 API
    /// of the training loop; computed in f64).
    pub fn value_and_grad(&self, logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
        let n = y.len();
        let z: Vec<f64> = logits[..n * k].iter().map(|&v| f64::from(v)).collect();
        let mut g = vec![0.0f64; n * k];
        let value = self.value_and_grad_f64(&z, y, k, &mut g);
        for (out, v) in grad[..n * k].iter_mut().zip(&g) {
            *out = *v as f32;
        }
        value
    }

    /// The same in f64 throughout (tests check it against finite differences).
    pub fn value_and_grad_f64(
        &self,
        logits: &[f64],
        y: &[usize],
        k: usize,
        grad: &mut [f64],
    ) -> f64 {
        debug_assert_eq!(k, self.n_classes);
        if y.is_empty() {
            return 0.0;
        }
        match &self.kind {
            BuiltLoss::Softmax(f) => f.value_and_grad(logits, y, k, grad),
            BuiltLoss::SigmoidFocal(f) => f.value_and_grad(logits, y, k, grad),
            BuiltLoss::Dice(f) => f.value_and_grad(logits, y, k, grad),
            BuiltLoss::AnyLoss(f) => f.value_and_grad(logits, y, k, grad),
        }
    }

    /// The per-class parameters for the GPU kernel, where the loss has that form.
    pub fn gpu_form(&self) -> Option<GpuLossForm> {
        match &self.kind {
            BuiltLoss::Softmax(f) => Some(GpuLossForm {
                output: GpuOutput::Softmax,
                class_weights: to_f32(&f.weights),
                logit_offsets: to_f32(&f.offsets),
                margins: to_f32(&f.margins),
                scale: f.scale as f32,
                gamma: f.gamma as f32,
                label_smoothing: f.smoothing as f32,
                sigmoid_alpha: None,
                reduction: f.reduction,
            }),
            BuiltLoss::SigmoidFocal(f) => Some(GpuLossForm {
                output: GpuOutput::Sigmoid,
                class_weights: to_f32(&f.weights),
                logit_offsets: vec![0.0; self.n_classes],
                margins: vec![0.0; self.n_classes],
                scale: 1.0,
                gamma: f.gamma as f32,
                label_smoothing: 0.0,
                sigmoid_alpha: f.alpha.map(|a| a as f32),
                reduction: f.reduction,
            }),
            BuiltLoss::Dice(d) => Some(self.batch_form(match d.form {
                DiceForm::SelfAdjusting => GpuOutput::SelfAdjustingDice {
                    alpha: d.alpha as f32,
                    gamma: d.gamma as f32,
                },
                DiceForm::BatchSoft => GpuOutput::BatchSoftDice {
                    gamma: d.gamma as f32,
                },
            })),
            BuiltLoss::AnyLoss(a) => Some(self.batch_form(GpuOutput::AnyLoss {
                metric: a.metric,
                beta: a.beta as f32,
                amplifier: a.amplifier as f32,
                eps: a.eps as f32,
            })),
        }
    }

    /// The GPU form of a loss without class weights, offsets or margins.
    fn batch_form(&self, output: GpuOutput) -> GpuLossForm {
        GpuLossForm {
            output,
            class_weights: vec![1.0; self.n_classes],
            logit_offsets: vec![0.0; self.n_classes],
            margins: vec![0.0; self.n_classes],
            scale: 1.0,
            gamma: 0.0,
            label_smoothing: 0.0,
            sigmoid_alpha: None,
            reduction: Reduction::WeightedMean,
        }
    }

    /// The per-class weights the loss applies, where it has them.
    pub fn class_weights(&self) -> Option<&[f64]> {
        match &self.kind {
            BuiltLoss::Softmax(f) => Some(&f.weights),
            BuiltLoss::SigmoidFocal(f) => Some(&f.weights),
            BuiltLoss::Dice(_) | BuiltLoss::AnyLoss(_) => None,
        }
    }

    /// The same loss with its class weights replaced by `weights` (deferred re-weighting, DRW).
    /// Dice and AnyLoss have no class weights and return an error naming the loss.
    pub fn reweighted(&self, weights: &[f64]) -> Result<Loss> {
        if weights.len() != self.n_classes {
            return Err(EngineError::config(
                "drw",
                format!(
                    "{} class weights given for {} classes",
                    weights.len(),
                    self.n_classes
                ),
            ));
        }
        let mut out = self.clone();
        match &mut out.kind {
            BuiltLoss::Softmax(f) => f.weights = weights.to_vec(),
            BuiltLoss::SigmoidFocal(f) => f.weights = weights.to_vec(),
            BuiltLoss::Dice(_) | BuiltLoss::AnyLoss(_) => {
                return Err(EngineError::config(
                    "drw",
                    format!(
                        "deferred re-weighting needs a loss with class weights; `{}` has none",
                        self.name
                    ),
                ))
            }
        }
        Ok(out)
    }

    /// Factor the logits are multiplied by to form probabilities at prediction time: LDAM trains
    /// `softmax(s · z)`, so its probabilities are that (argmax is unaffected); 1 for every other loss.
    pub fn prediction_scale(&self) -> f64 {
        match (&self.kind, self.name) {
            (BuiltLoss::Softmax(f), "ldam") => f.scale,
            _ => 1.0,
        }
    }

    /// Initial output-layer bias, where the loss's reference sets one: the sigmoid focal losses start
    /// every class at prior 1/K, bias `−ln(K − 1)` (Cui et al. `src/model_base.py`; Lin et al. §4.1).
    pub fn output_bias_init(&self) -> Option<f64> {
        match &self.kind {
            BuiltLoss::SigmoidFocal(_) => Some(-math::ln((self.n_classes - 1) as f64)),
            _ => None,
        }
    }
}
