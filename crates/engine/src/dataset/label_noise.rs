//! Label noise: flipping a fraction of the labels before the train/test split.

use serde::{Deserialize, Serialize};

use super::Dataset;
use crate::error::{EngineError, Result};
use crate::rng::Rng;

/// Largest flip probability accepted; beyond one half the "noise" outweighs the signal.
pub const MAX_LABEL_NOISE: f64 = 0.5;

/// How labels are corrupted. Applied to the whole dataset after it is generated or loaded (and
/// subsampled) and before the split, so noisy labels appear in both training and test rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LabelNoise {
    /// Labels as generated.
    #[default]
    None,
    /// Symmetric noise: each label, with probability `rate`, becomes one of the *other* classes chosen
    /// uniformly.
    Uniform { rate: f64 },
    /// Asymmetric noise: each label of a non-majority class, with probability `rate`, becomes the
    /// majority class (the largest class before flipping; the smallest label on a tie).
    TowardMajority { rate: f64 },
}

impl LabelNoise {
    /// Whether this is [`LabelNoise::None`] (a zero rate is kept as written, so a link round-trips).
    pub fn is_none(&self) -> bool {
        matches!(self, LabelNoise::None)
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            LabelNoise::None => Ok(()),
            LabelNoise::Uniform { rate } | LabelNoise::TowardMajority { rate } => {
                if rate.is_finite() && (0.0..=MAX_LABEL_NOISE).contains(rate) {
                    Ok(())
                } else {
                    Err(EngineError::config(
                        "label_noise.rate",
                        format!("the flip probability must be between 0 and {MAX_LABEL_NOISE}, got {rate}"),
                    ))
                }
            }
        }
    }

    /// Flips labels of `data` in place and returns the flipped rows (ascending). The draws per row are
    /// the same whether or not it flips (uniform: a uniform and a target class; toward majority: a
    /// uniform), in row order, so for one seed a higher rate flips a superset of the rows, to the
    /// same targets. `rng` should be a stream of its own:
    /// [`super::DatasetSpec`] uses `data_rng.fork("label_noise", 0)` taken before any feature is drawn,
    /// so turning label noise on or off never moves a point.
    pub fn apply(&self, data: &mut Dataset, rng: &mut Rng) -> Vec<usize> {
        let mut flipped = Vec::new();
        let k = data.n_classes;
        match *self {
            LabelNoise::None => {}
            LabelNoise::Uniform { rate } => {
                if k < 2 {
                    return flipped;
                }
                for i in 0..data.len() {
                    let u = rng.uniform();
                    let other = rng.below(k - 1);
                    if u < rate {
                        let y = data.y[i];
                        data.y[i] = if other >= y { other + 1 } else { other };
                        flipped.push(i);
                    }
                }
            }
            LabelNoise::TowardMajority { rate } => {
                let counts = data.class_counts();
                let majority = majority_class(&counts);
                for i in 0..data.len() {
                    let u = rng.uniform();
                    if data.y[i] != majority && u < rate {
                        data.y[i] = majority;
                        flipped.push(i);
                    }
                }
            }
        }
        flipped
    }
}

/// The largest class; the smallest label wins a tie (methods-spec §0).
pub fn majority_class(counts: &[usize]) -> usize {
    let mut best = 0;
    for (c, &n) in counts.iter().enumerate() {
        if n > counts[best] {
            best = c;
        }
    }
    best
}
