//! Multi-label losses on one logit per label (a sigmoid head), each with its value and its
//! gradient with respect to the logits. One family per file; each file's doc gives the paper's
//! formula and the reference implementation matched.
//!
//! **Unknown entries contribute nothing** (no value, zero gradient): the "ignore unknowns"
//! convention of partial-label learning (Durand, Mehrasa & Mori, "Learning a Deep ConvNet for
//! Multi-label Classification with Partial Labels", CVPR 2019, §3: the loss runs over the
//! observed labels only; Cole et al., "Multi-Label Learning from Single Positive Labels", CVPR
//! 2021, call training on observed entries only the "ignore" baseline).
//!
//! **Reductions** ([`LossReduction`]): the default of each family is its reference's —
//! `MeanOverKnown` (PyTorch's `reduction='mean'` over all `n × L` elements, here over the known
//! ones) for BCE, weighted BCE, class-balanced BCE, focal BCE and the distribution-balanced loss
//! (whose reference reduces its element-wise loss by a mean); `Sum` for the asymmetric loss
//! (`-loss.sum()` in `Alibaba-MIIL/ASL`). `MeanOverSamples` divides the sum by `n`.
//!
//! A [`MultilabelLossConfig`] is validated (typed `EngineError::config` errors naming the key) and
//! built once from the training labels ([`LabelStats`]) into a [`MultilabelLoss`].

pub mod asymmetric;
pub mod bce;
pub mod class_balanced;
pub mod correlation;
pub mod distribution_balanced;
pub mod focal_bce;
pub mod label_stats;
pub mod sigmoid;

pub use correlation::CorrelationPenalty;
pub use label_stats::LabelStats;

use serde::{Deserialize, Serialize};

use asymmetric::{asymmetric_entry, AslParams};
use bce::bce_entry;
use class_balanced::class_balanced_weights;
use distribution_balanced::{class_bias, db_entry, rebalance_weights, DbParams};
use focal_bce::focal_entry;

use crate::multilabel::{LabelEntry, LabelMatrix};
use crate::{EngineError, Result};

/// Per-label positive weights of the weighted BCE.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PosWeight {
    /// `w⁺_j = negatives_j / positives_j` from the training labels (PyTorch's documented choice).
    NegativesOverPositives,
    /// One weight per label.
    Explicit(Vec<f64>),
}

/// The multi-label loss family and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MultilabelLossSpec {
    Bce,
    WeightedBce {
        pos_weight: PosWeight,
    },
    ClassBalancedBce {
        beta: f64,
    },
    FocalBce {
        gamma: f64,
        #[serde(default)]
        alpha: Option<f64>,
    },
    Asymmetric {
        gamma_pos: f64,
        gamma_neg: f64,
        clip: f64,
        eps: f64,
    },
    DistributionBalanced {
        map_alpha: f64,
        map_beta: f64,
        map_mu: f64,
        focal_gamma: f64,
        balance_param: f64,
        neg_scale: f64,
        neg_bias: f64,
    },
}

impl MultilabelLossSpec {
    /// ASL with the reference's defaults (γ⁺ = 1, γ⁻ = 4, m = 0.05, ε = 1e-8).
    pub fn asymmetric_default() -> Self {
        MultilabelLossSpec::Asymmetric {
            gamma_pos: 1.0,
            gamma_neg: 4.0,
            clip: 0.05,
            eps: 1e-8,
        }
    }

    /// DB loss with the paper configs' parameters (see `distribution_balanced`).
    pub fn distribution_balanced_default() -> Self {
        MultilabelLossSpec::DistributionBalanced {
            map_alpha: 0.1,
            map_beta: 10.0,
            map_mu: 0.2,
            focal_gamma: 2.0,
            balance_param: 2.0,
            neg_scale: 2.0,
            neg_bias: 0.0,
        }
    }

    /// The reference's reduction.
    pub fn default_reduction(&self) -> LossReduction {
        match self {
            MultilabelLossSpec::Asymmetric { .. } => LossReduction::Sum,
            _ => LossReduction::MeanOverKnown,
        }
    }
}

/// How entry losses are combined into the batch loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReduction {
    /// Sum over known entries divided by their number.
    MeanOverKnown,
    /// Sum over known entries divided by the number of samples.
    MeanOverSamples,
    /// Sum over known entries.
    Sum,
}

/// The user's choice: a family, an optional reduction (default: the reference's) and the weight
/// of the label-correlation penalty (0: none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelLossConfig {
    pub loss: MultilabelLossSpec,
    #[serde(default)]
    pub reduction: Option<LossReduction>,
    #[serde(default)]
    pub correlation_weight: f64,
}

impl MultilabelLossConfig {
    pub fn new(loss: MultilabelLossSpec) -> Self {
        MultilabelLossConfig {
            loss,
            reduction: None,
            correlation_weight: 0.0,
        }
    }
}

fn check(ok: bool, key: &str, message: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(EngineError::config(key, message))
    }
}

fn finite_nonneg(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

#[derive(Clone, Debug, PartialEq)]
enum Built {
    /// BCE with one positive weight and one entry weight per label (plain BCE: all 1).
    Weighted {
        pos: Vec<f64>,
        entry: Vec<f64>,
    },
    Focal {
        gamma: f64,
        alpha: Option<f64>,
    },
    Asymmetric(AslParams),
    Db {
        p: DbParams,
        positives: Vec<usize>,
        bias: Vec<f64>,
    },
}

/// A loss ready to evaluate on batches.
#[derive(Clone, Debug, PartialEq)]
pub struct MultilabelLoss {
    n_labels: usize,
    built: Built,
    reduction: LossReduction,
    correlation: Option<CorrelationPenalty>,
}

impl MultilabelLossConfig {
    /// Validates the parameters and derives the per-label quantities from the training labels.
    pub fn build(&self, stats: &LabelStats) -> Result<MultilabelLoss> {
        let l = stats.n_labels;
        let no_positive = stats.positives.iter().position(|&c| c == 0);
        let need_positives = |what: &str| -> Result<()> {
            match no_positive {
                Some(j) => Err(EngineError::config(
                    "loss",
                    format!("label {j} has no positive in the training split; {what} needs one per label"),
                )),
                None => Ok(()),
            }
        };
        let built = match &self.loss {
            MultilabelLossSpec::Bce => Built::Weighted {
                pos: vec![1.0; l],
                entry: vec![1.0; l],
            },
            MultilabelLossSpec::WeightedBce { pos_weight } => {
                let pos = match pos_weight {
                    PosWeight::NegativesOverPositives => {
                        need_positives("pos_weight = negatives / positives")?;
                        (0..l)
                            .map(|j| stats.negatives[j] as f64 / stats.positives[j] as f64)
                            .collect()
                    }
                    PosWeight::Explicit(w) => {
                        check(
                            w.len() == l,
                            "loss.pos_weight",
                            &format!("give {l} weights, one per label (got {})", w.len()),
                        )?;
                        check(
                            w.iter().all(|&v| finite_nonneg(v)),
                            "loss.pos_weight",
                            "weights must be finite and ≥ 0",
                        )?;
                        w.clone()
                    }
                };
                Built::Weighted {
                    pos,
                    entry: vec![1.0; l],
                }
            }
            MultilabelLossSpec::ClassBalancedBce { beta } => {
                check(
                    beta.is_finite() && (0.0..1.0).contains(beta),
                    "loss.beta",
                    "β must be in [0, 1) (0: plain BCE; 0.999: close to inverse frequency)",
                )?;
                need_positives("the class-balanced weight")?;
                Built::Weighted {
                    pos: vec![1.0; l],
                    entry: class_balanced_weights(&stats.positives, *beta),
                }
            }
            MultilabelLossSpec::FocalBce { gamma, alpha } => {
                check(
                    finite_nonneg(*gamma),
                    "loss.gamma",
                    "γ must be finite and ≥ 0",
                )?;
                check(
                    alpha.is_none_or(|a| a.is_finite() && (0.0..=1.0).contains(&a)),
                    "loss.alpha",
                    "α must be in [0, 1] (or absent)",
                )?;
                Built::Focal {
                    gamma: *gamma,
                    alpha: *alpha,
                }
            }
            MultilabelLossSpec::Asymmetric {
                gamma_pos,
                gamma_neg,
                clip,
                eps,
            } => {
                check(
                    finite_nonneg(*gamma_pos),
                    "loss.gamma_pos",
                    "γ⁺ must be finite and ≥ 0",
                )?;
                check(
                    finite_nonneg(*gamma_neg),
                    "loss.gamma_neg",
                    "γ⁻ must be finite and ≥ 0",
                )?;
                check(
                    clip.is_finite() && (0.0..1.0).contains(clip),
                    "loss.clip",
                    "the probability margin m must be in [0, 1)",
                )?;
                check(
                    eps.is_finite() && *eps > 0.0 && *eps < 0.5,
                    "loss.eps",
                    "ε must be in (0, 0.5)",
                )?;
                Built::Asymmetric(AslParams {
                    gamma_pos: *gamma_pos,
                    gamma_neg: *gamma_neg,
                    clip: *clip,
                    eps: *eps,
                })
            }
            MultilabelLossSpec::DistributionBalanced {
                map_alpha,
                map_beta,
                map_mu,
                focal_gamma,
                balance_param,
                neg_scale,
                neg_bias,
            } => {
                check(
                    finite_nonneg(*map_alpha),
                    "loss.map_alpha",
                    "α must be finite and ≥ 0",
                )?;
                check(map_beta.is_finite(), "loss.map_beta", "β must be finite")?;
                check(map_mu.is_finite(), "loss.map_mu", "μ must be finite")?;
                check(
                    finite_nonneg(*focal_gamma),
                    "loss.focal_gamma",
                    "γ must be finite and ≥ 0",
                )?;
                check(
                    balance_param.is_finite() && *balance_param > 0.0,
                    "loss.balance_param",
                    "must be finite and > 0",
                )?;
                check(
                    neg_scale.is_finite() && *neg_scale > 0.0,
                    "loss.neg_scale",
                    "λ must be finite and > 0",
                )?;
                check(
                    finite_nonneg(*neg_bias),
                    "loss.neg_bias",
                    "κ must be finite and ≥ 0",
                )?;
                need_positives("the re-balanced weight")?;
                let p = DbParams {
                    map_alpha: *map_alpha,
                    map_beta: *map_beta,
                    map_mu: *map_mu,
                    focal_gamma: *focal_gamma,
                    balance_param: *balance_param,
                    neg_scale: *neg_scale,
                    neg_bias: *neg_bias,
                };
                if *neg_bias > 0.0 {
                    if let Some(j) = stats.positives.iter().position(|&c| c >= stats.n_samples) {
                        return Err(EngineError::config(
                            "loss.neg_bias",
                            format!("label {j} is on every sample, so its class bias −ln(N/n − 1) is infinite; set κ = 0"),
                        ));
                    }
                }
                Built::Db {
                    p,
                    positives: stats.positives.clone(),
                    bias: stats
                        .positives
                        .iter()
                        .map(|&n| class_bias(n, stats.n_samples, &p))
                        .collect(),
                }
            }
        };
        check(
            finite_nonneg(self.correlation_weight),
            "loss.correlation_weight",
            "the label-correlation weight must be finite and ≥ 0 (0: no penalty)",
        )?;
        Ok(MultilabelLoss {
            n_labels: l,
            built,
            reduction: self.reduction.unwrap_or(self.loss.default_reduction()),
            correlation: (self.correlation_weight > 0.0)
                .then(|| CorrelationPenalty::new(stats, self.correlation_weight)),
        })
    }
}

impl MultilabelLoss {
    pub fn reduction(&self) -> LossReduction {
        self.reduction
    }

    /// The batch loss of `logits` (`n × L`, row-major) against `targets`, writing its gradient with
    /// respect to the logits into `grad` (overwritten). Unknown entries add nothing.
    pub fn value_and_grad(
        &self,
        logits: &[f64],
        targets: &LabelMatrix,
        grad: &mut [f64],
    ) -> Result<f64> {
        let (n, l) = (targets.n_samples(), self.n_labels);
        if targets.n_labels() != l || logits.len() != n * l || grad.len() != n * l {
            return Err(EngineError::Data(format!(
                "the loss was built for {l} labels; got {} logits, {} gradient slots and {}×{} targets",
                logits.len(),
                grad.len(),
                n,
                targets.n_labels()
            )));
        }
        if let Some(p) = logits.iter().position(|z| !z.is_finite()) {
            return Err(EngineError::Data(format!(
                "logit of sample {} label {} is {}; lower the learning rate and reset",
                p / l,
                p % l,
                logits[p]
            )));
        }
        let known = targets.entries().iter().filter(|e| e.is_known()).count();
        let (scale, sample_scale) = match self.reduction {
            LossReduction::MeanOverKnown => (
                if known == 0 { 0.0 } else { 1.0 / known as f64 },
                if n == 0 { 0.0 } else { 1.0 / n as f64 },
            ),
            LossReduction::MeanOverSamples => {
                let s = if n == 0 { 0.0 } else { 1.0 / n as f64 };
                (s, s)
            }
            LossReduction::Sum => (1.0, 1.0),
        };
        let (mut total, mut penalty) = (0.0, 0.0);
        for i in 0..n {
            let row = targets.row(i);
            let z = &logits[i * l..(i + 1) * l];
            let g = &mut grad[i * l..(i + 1) * l];
            let db_w = match &self.built {
                Built::Db { p, positives, .. } => {
                    let pos: Vec<bool> = row.iter().map(|&e| e == LabelEntry::Positive).collect();
                    Some(rebalance_weights(&pos, positives, p))
                }
                _ => None,
            };
            let mut row_sum = 0.0;
            for j in 0..l {
                let positive = match row[j] {
                    LabelEntry::Unknown => {
                        g[j] = 0.0;
                        continue;
                    }
                    e => e == LabelEntry::Positive,
                };
                let (v, d) = match &self.built {
                    Built::Weighted { pos, entry } => {
                        let (v, d) = bce_entry(z[j], positive, pos[j]);
                        (entry[j] * v, entry[j] * d)
                    }
                    Built::Focal { gamma, alpha } => focal_entry(z[j], positive, *gamma, *alpha),
                    Built::Asymmetric(a) => asymmetric_entry(z[j], positive, a),
                    Built::Db { p, bias, .. } => {
                        let w = db_w.as_ref().map_or(1.0, |w| w[j]);
                        db_entry(z[j], positive, w, bias[j], p)
                    }
                };
                row_sum += v;
                g[j] = d * scale;
            }
            total += row_sum;
            if let Some(c) = &self.correlation {
                penalty += c.row(z, c.weight * sample_scale, g);
            }
        }
        let weight = self.correlation.as_ref().map_or(0.0, |c| c.weight);
        Ok(total * scale + weight * penalty * sample_scale)
    }
}
