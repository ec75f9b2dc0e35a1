//! Multi-label resampling driven by the imbalance measures (Charte et al.): random over- and
//! under-sampling of the labels' bags (ML-ROS, ML-RUS) and MLSMOTE. Each returns the new
//! training set with every row's [`Origin`](crate::resample::Origin) (the multi-class samplers'
//! type: `Original`, `Duplicate`, `Synthetic { base, neighbor }`), plus the rows an
//! under-sampler removed. Random draws come from the stream the caller passes (derive it by name:
//! `Rng::stream(seed, "multilabel_sampler")`).
//!
//! No Python reference is used: scikit-multilearn (and its -ng fork) has no ML-ROS, ML-RUS or
//! MLSMOTE, and no other PyPI package was found; the tests check the algorithms' invariants.

pub mod ml_ros;
pub mod ml_rus;
pub mod mlsmote;
pub mod spec;

pub use ml_ros::MlRos;
pub use ml_rus::MlRus;
pub use mlsmote::{LabelSetRule, Mlsmote, MlsmoteInterpolation};
pub use spec::{MultilabelSamplerSpec, MULTILABEL_SAMPLER_STREAM};

use serde::{Deserialize, Serialize};

use super::labels::LabelMatrix;
use crate::resample::Origin;
use crate::{EngineError, Result};

/// A multi-label training set: `n × d` row-major features and its label matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelData {
    pub x: Vec<f64>,
    pub n_features: usize,
    pub labels: LabelMatrix,
}

impl MultilabelData {
    pub fn new(x: Vec<f64>, n_features: usize, labels: LabelMatrix) -> Result<Self> {
        if n_features == 0 || x.len() != labels.n_samples() * n_features {
            return Err(EngineError::Data(format!(
                "{} feature values do not form {} rows of {n_features} features",
                x.len(),
                labels.n_samples()
            )));
        }
        if let Some(p) = x.iter().position(|v| !v.is_finite()) {
            return Err(EngineError::Data(format!(
                "feature {} of row {} is {}; features must be finite",
                p % n_features,
                p / n_features,
                x[p]
            )));
        }
        Ok(MultilabelData {
            x,
            n_features,
            labels,
        })
    }

    pub fn n_samples(&self) -> usize {
        self.labels.n_samples()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.n_features..(i + 1) * self.n_features]
    }
}

/// The result of a multi-label sampler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelResampled {
    pub data: MultilabelData,
    /// One per row of `data`; indices refer to the input rows.
    pub origins: Vec<Origin>,
    /// Input rows removed (ML-RUS), ascending.
    pub removed: Vec<usize>,
}

/// Checks a percentage `P` of the data set's size.
pub(crate) fn check_percentage(p: f64) -> Result<()> {
    if p.is_finite() && p > 0.0 && p < 100.0 {
        Ok(())
    } else {
        Err(EngineError::config(
            "sampler.percentage",
            "P must be in (0, 100): the share of the data set to clone or delete (the paper uses 10 to 40)",
        ))
    }
}

/// Positive counts of each label over the rows `active` says are present.
pub(crate) fn counts(labels: &LabelMatrix, multiplicity: &[usize]) -> Vec<usize> {
    let mut c = vec![0; labels.n_labels()];
    for (i, &m) in multiplicity.iter().enumerate() {
        if m > 0 {
            for (j, cj) in c.iter_mut().enumerate() {
                if labels.is_positive(i, j) {
                    *cj += m;
                }
            }
        }
    }
    c
}

/// `IRLbl(label)` from counts (infinite for a label without positives).
pub(crate) fn ir_lbl(counts: &[usize], label: usize) -> f64 {
    let most = counts.iter().copied().max().unwrap_or(0) as f64;
    most / counts[label] as f64
}
