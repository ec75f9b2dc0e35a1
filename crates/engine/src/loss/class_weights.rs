//! Per-class loss weights from training-set class counts (`methods-spec.md` §B.1).
//!
//! | scheme | `w_c` before normalisation | normalisation |
//! |---|---|---|
//! | `uniform` | 1 | none |
//! | `inverse_frequency` | `1 / n_c` | `Σ_c w_c = K` |
//! | `sklearn_balanced` | `N / (K · n_c)` | none (`Σ_c n_c w_c = N`), as scikit-learn's `compute_class_weight('balanced')` |
//! | `inverse_sqrt` | `n_c^{-1/2}` | `Σ_c w_c = K` |
//! | `effective_number` | `(1 − β) / (1 − β^{n_c})` (Cui et al., CVPR 2019) | `Σ_c w_c = K` |
//!
//! The effective-number weights are those of `richardaecn/class-balanced-loss` `src/cifar_main.py` and
//! `kaidic/LDAM-DRW` `cifar_train.py` (DRW). Tested against `oracle/golden_losses.json`.
//! Under the torch-mean reduction any global rescaling of `w` cancels; under tf-nonzero it does not,
//! which is why the normalisation is part of the scheme.

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::math;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum ClassWeights {
    /// Every class weighs 1.
    #[default]
    Uniform,
    /// `w_c ∝ 1/n_c`, `Σ w = K`.
    InverseFrequency,
    /// scikit-learn's `'balanced'`: `w_c = N / (K n_c)`.
    SklearnBalanced,
    /// `w_c ∝ n_c^{-1/2}`, `Σ w = K`.
    InverseSqrt,
    /// `w_c ∝ (1 − β)/(1 − β^{n_c})`, `Σ w = K`; β = 0 is uniform, β → 1 inverse frequency.
    EffectiveNumber { beta: f64 },
}

impl ClassWeights {
    pub fn name(&self) -> &'static str {
        match self {
            ClassWeights::Uniform => "uniform",
            ClassWeights::InverseFrequency => "inverse_frequency",
            ClassWeights::SklearnBalanced => "sklearn_balanced",
            ClassWeights::InverseSqrt => "inverse_sqrt",
            ClassWeights::EffectiveNumber { .. } => "effective_number",
        }
    }

    pub fn is_uniform(&self) -> bool {
        matches!(self, ClassWeights::Uniform)
    }

    pub fn validate(&self) -> Result<()> {
        if let ClassWeights::EffectiveNumber { beta } = self {
            if !(0.0..1.0).contains(beta) {
                return Err(EngineError::config(
                    "beta",
                    format!("the effective-number β must be in [0, 1), got {beta}"),
                ));
            }
        }
        Ok(())
    }

    /// The weight of every class given the training counts. Every class needs at least one sample
    /// unless the weights are uniform (an absent class would get an infinite weight).
    pub fn compute(&self, counts: &[usize]) -> Result<Vec<f64>> {
        self.validate()?;
        let k = counts.len();
        if self.is_uniform() {
            return Ok(vec![1.0; k]);
        }
        require_all_present(counts, "class weights")?;
        let raw: Vec<f64> = match self {
            ClassWeights::Uniform => unreachable!("handled above"),
            ClassWeights::InverseFrequency => counts.iter().map(|&n| 1.0 / n as f64).collect(),
            ClassWeights::SklearnBalanced => {
                let total: usize = counts.iter().sum();
                return Ok(counts
                    .iter()
                    .map(|&n| total as f64 / (k as f64 * n as f64))
                    .collect());
            }
            ClassWeights::InverseSqrt => counts.iter().map(|&n| 1.0 / (n as f64).sqrt()).collect(),
            ClassWeights::EffectiveNumber { beta } => counts
                .iter()
                .map(|&n| (1.0 - beta) / (1.0 - math::pow(*beta, n as f64)))
                .collect(),
        };
        let sum: f64 = raw.iter().sum();
        Ok(raw.iter().map(|w| w / sum * k as f64).collect())
    }
}

/// Errors unless every class has at least one training sample.
pub(crate) fn require_all_present(counts: &[usize], what: &str) -> Result<()> {
    if let Some(class) = counts.iter().position(|&n| n == 0) {
        return Err(EngineError::TooFewSamples {
            class,
            count: 0,
            needed: 1,
            what: what.to_string(),
        });
    }
    Ok(())
}

/// How per-sample losses `w_{y_i} ℓ_i` are reduced over a batch (`methods-spec.md` §B.0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    /// PyTorch `F.cross_entropy(weight=w, reduction='mean')`: `Σ_i w_{y_i} ℓ_i / Σ_i w_{y_i}`.
    #[default]
    #[serde(rename = "mean")]
    WeightedMean,
    /// TF1 `SUM_BY_NONZERO_WEIGHTS`: `Σ_i w_{y_i} ℓ_i / #{i : w_{y_i} ≠ 0}` (the Class-Balanced-loss
    /// reference; = N for positive weights, so the weight scale changes the effective step size).
    #[serde(rename = "tf_nonzero")]
    NonzeroWeights,
}

impl Reduction {
    pub fn name(self) -> &'static str {
        match self {
            Reduction::WeightedMean => "mean",
            Reduction::NonzeroWeights => "tf_nonzero",
        }
    }

    /// The denominator for a batch with labels `y` and class weights `w`.
    pub fn denominator(self, w: &[f64], y: &[usize]) -> f64 {
        match self {
            Reduction::WeightedMean => y.iter().map(|&c| w[c]).sum(),
            Reduction::NonzeroWeights => y.iter().filter(|&&c| w[c] != 0.0).count() as f64,
        }
    }
}
