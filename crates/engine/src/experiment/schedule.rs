//! `TrainingSchedule`: how training changes over time — the learning-rate schedule, deferred
//! re-weighting, and an optional second stage that re-trains only the output layer.
//!
//! * Learning rate: [`LrSchedule`] over the `epochs` of the run with `warmup_epochs` of linear
//!   warm-up, applied through [`crate::Experiment::step_scalars`] (the CPU and the GPU use it).
//! * DRW — Cao et al., NeurIPS 2019 (`kaidic/LDAM-DRW` `cifar_train.py`, `--train_rule DRW`): the loss
//!   is unweighted until epoch `round(start_fraction · epochs)`, then uses `weights` (default:
//!   effective number with β = 0.9999, the reference code's choice, `methods-spec.md` §F #8).
//! * Second stage, after the `epochs` of stage 1, `epochs` more that update only the output layer
//!   (fresh optimizer state; the stage's own learning-rate schedule, scaled by `lr_factor`), with
//!   plain cross-entropy:
//!   - `classifier_retraining` — cRT of Kang et al., ICLR 2020 (`facebookresearch/classifier-balancing`
//!     `data/ClassAwareSampler.py`): the output layer is re-initialised and re-trained on class-balanced
//!     batches drawn from the (resampled) training set (see `class_aware.rs`). Default `lr_factor` 1.
//!   - `output_fine_tuning` — Buda et al.'s two-phase training (Neural Networks 2018, §B.11): the
//!     output layer is fine-tuned on the original, imbalanced training split (before resampling),
//!     base learning rate × 0.1 (default `lr_factor`).
//!   - `virtual_feature_calibration` — after stage 1, each class's penultimate features on the
//!     original training split as a Gaussian, the tail classes' covariance borrowed from their
//!     `neighbors` nearest head classes (Yang, Liu & Xu ICLR 2021; RCAL, Zhang et al. ICCV 2023), a
//!     class-balanced set of virtual features drawn from them (`virtual_features` stream), and the
//!     re-initialised output layer trained on real plus virtual feature vectors (the body is frozen,
//!     so the head is trained on features directly). See `representation/virtual_features.rs` and
//!     `docs/representation.md`. Default `lr_factor` 1. CPU only (the GPU path refuses it).
//!   - `pseudo_labels` — semi-supervised (Yang & Xu, NeurIPS 2020): `unlabeled_fraction` of each
//!     class's training rows form an unlabeled pool (stream `unlabeled_pool`); stage 1 trains on the
//!     labeled rest; then the pool rows whose largest probability reaches `confidence` get that
//!     class as pseudo-label and the **whole network** trains on labeled plus pseudo-labelled rows
//!     with the configured loss. Per-class pseudo-label precision in `Snapshot.pseudo_labels`. CPU
//!     only (the GPU path refuses it).

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::loss::ClassWeights;
use crate::optim::LrSchedule;

use super::config::MAX_EPOCHS;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingSchedule {
    pub lr: LrSchedule,
    pub warmup_epochs: usize,
    pub drw: Option<DeferredReweighting>,
    pub second_stage: Option<SecondStage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeferredReweighting {
    /// Fraction of the run's epochs after which the weights switch on (0.8 = epoch 160 of 200).
    pub start_fraction: f64,
    pub weights: ClassWeights,
}

impl Default for DeferredReweighting {
    fn default() -> Self {
        DeferredReweighting {
            start_fraction: 0.8,
            weights: ClassWeights::EffectiveNumber { beta: 0.9999 },
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondStageMethod {
    /// Kang et al.'s cRT: re-initialised output layer, class-balanced batches.
    #[default]
    ClassifierRetraining,
    /// Buda et al.'s phase 2: output layer fine-tuned on the original training split.
    OutputFineTuning,
    /// Output layer re-trained on real plus class-balanced virtual features drawn from calibrated
    /// class Gaussians (Yang et al. 2021; RCAL, Zhang et al. 2023).
    VirtualFeatureCalibration,
    /// Semi-supervised: a share of the training split is an unlabeled pool; stage 1 trains on the
    /// labeled rest, the pool is pseudo-labelled (confidence threshold) and the whole network
    /// trains on labeled plus pseudo-labelled rows (Yang & Xu, NeurIPS 2020).
    PseudoLabels,
}

impl SecondStageMethod {
    pub fn name(self) -> &'static str {
        match self {
            SecondStageMethod::ClassifierRetraining => "crt",
            SecondStageMethod::OutputFineTuning => "two_phase",
            SecondStageMethod::VirtualFeatureCalibration => "vfc",
            SecondStageMethod::PseudoLabels => "pseudo_labels",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecondStage {
    pub method: SecondStageMethod,
    pub epochs: usize,
    /// Multiplies the base learning rate; `None`: 1 for cRT and virtual-feature calibration, 0.1
    /// for two-phase training.
    pub lr_factor: Option<f64>,
    /// Virtual-feature calibration: how many nearest head classes lend a tail class their
    /// covariance; `None`: [`DEFAULT_CALIBRATION_NEIGHBORS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbors: Option<usize>,
    /// Virtual-feature calibration: ridge `α` added to a tail class's calibrated covariance, relative
    /// to its mean variance (`α·tr(Σ)/d·I`); `None`: [`DEFAULT_CALIBRATION_ALPHA`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// Pseudo-labels: share of each class's training rows whose labels are withheld (the unlabeled
    /// pool); `None`: [`DEFAULT_UNLABELED_FRACTION`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlabeled_fraction: Option<f64>,
    /// Pseudo-labels: a pool row is pseudo-labelled when its largest class probability reaches
    /// this; `None`: [`DEFAULT_PSEUDO_CONFIDENCE`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// Yang et al. 2021 borrow from the k = 2 nearest base classes.
pub const DEFAULT_CALIBRATION_NEIGHBORS: usize = 2;
/// Yang et al.'s α = 0.21 in their feature units; here relative to the class's variance.
pub const DEFAULT_CALIBRATION_ALPHA: f64 = 0.2;
/// Half of the training split unlabeled.
pub const DEFAULT_UNLABELED_FRACTION: f64 = 0.5;
/// A common confidence threshold for hard pseudo-labels (e.g. FixMatch's 0.95 is stricter; the
/// small networks here are less confident).
pub const DEFAULT_PSEUDO_CONFIDENCE: f64 = 0.9;
/// Most neighbours a tail class may borrow from.
pub const MAX_CALIBRATION_NEIGHBORS: usize = 100;

impl Default for SecondStage {
    fn default() -> Self {
        SecondStage {
            method: SecondStageMethod::ClassifierRetraining,
            epochs: 10,
            lr_factor: None,
            neighbors: None,
            alpha: None,
            unlabeled_fraction: None,
            confidence: None,
        }
    }
}

impl SecondStage {
    pub fn lr_factor(&self) -> f64 {
        self.lr_factor.unwrap_or(match self.method {
            SecondStageMethod::ClassifierRetraining
            | SecondStageMethod::VirtualFeatureCalibration
            | SecondStageMethod::PseudoLabels => 1.0,
            SecondStageMethod::OutputFineTuning => 0.1,
        })
    }

    pub fn neighbors(&self) -> usize {
        self.neighbors.unwrap_or(DEFAULT_CALIBRATION_NEIGHBORS)
    }

    pub fn alpha(&self) -> f64 {
        self.alpha.unwrap_or(DEFAULT_CALIBRATION_ALPHA)
    }

    pub fn unlabeled_fraction(&self) -> f64 {
        self.unlabeled_fraction
            .unwrap_or(DEFAULT_UNLABELED_FRACTION)
    }

    pub fn confidence(&self) -> f64 {
        self.confidence.unwrap_or(DEFAULT_PSEUDO_CONFIDENCE)
    }
}

impl TrainingSchedule {
    pub fn validate(&self) -> Result<()> {
        self.lr.validate()?;
        if self.warmup_epochs > MAX_EPOCHS {
            return Err(EngineError::config(
                "warmup_epochs",
                format!("at most {MAX_EPOCHS}, got {}", self.warmup_epochs),
            ));
        }
        if let Some(d) = &self.drw {
            if !(d.start_fraction > 0.0 && d.start_fraction <= 1.0) {
                return Err(EngineError::config(
                    "drw.start_fraction",
                    format!(
                        "the re-weighting starts at a fraction of the run in (0, 1], got {}",
                        d.start_fraction
                    ),
                ));
            }
            d.weights.validate()?;
        }
        if let Some(s) = &self.second_stage {
            if s.epochs == 0 || s.epochs > MAX_EPOCHS {
                return Err(EngineError::config(
                    "second_stage.epochs",
                    format!("must be 1 to {MAX_EPOCHS}, got {}", s.epochs),
                ));
            }
            let f = s.lr_factor();
            if !(f.is_finite() && f > 0.0 && f <= 100.0) {
                return Err(EngineError::config(
                    "second_stage.lr_factor",
                    format!("must be in (0, 100], got {f}"),
                ));
            }
            let calibrating = s.method == SecondStageMethod::VirtualFeatureCalibration;
            if !calibrating && (s.neighbors.is_some() || s.alpha.is_some()) {
                let key = if s.neighbors.is_some() {
                    "neighbors"
                } else {
                    "alpha"
                };
                return Err(EngineError::config(
                    &format!("second_stage.{key}"),
                    format!(
                        "`{key}` belongs to virtual-feature calibration; set \
                         second_stage.method=virtual_feature_calibration or remove it"
                    ),
                ));
            }
            let pseudo = s.method == SecondStageMethod::PseudoLabels;
            if !pseudo && (s.unlabeled_fraction.is_some() || s.confidence.is_some()) {
                let key = if s.unlabeled_fraction.is_some() {
                    "unlabeled_fraction"
                } else {
                    "confidence"
                };
                return Err(EngineError::config(
                    &format!("second_stage.{key}"),
                    format!(
                        "`{key}` belongs to pseudo-labels; set \
                         second_stage.method=pseudo_labels or remove it"
                    ),
                ));
            }
            let f = s.unlabeled_fraction();
            if !(f.is_finite() && f > 0.0 && f <= 0.9) {
                return Err(EngineError::config(
                    "second_stage.unlabeled_fraction",
                    format!(
                        "the unlabeled share of the training split must be in (0, 0.9], got {f}"
                    ),
                ));
            }
            let c = s.confidence();
            if !(c.is_finite() && c > 0.0 && c < 1.0) {
                return Err(EngineError::config(
                    "second_stage.confidence",
                    format!("the pseudo-label confidence threshold must be in (0, 1), got {c}"),
                ));
            }
            let k = s.neighbors();
            if k == 0 || k > MAX_CALIBRATION_NEIGHBORS {
                return Err(EngineError::config(
                    "second_stage.neighbors",
                    format!("a tail class borrows from 1 to {MAX_CALIBRATION_NEIGHBORS} head classes, got {k}"),
                ));
            }
            let a = s.alpha();
            if !(a.is_finite() && (0.0..=10.0).contains(&a)) {
                return Err(EngineError::config(
                    "second_stage.alpha",
                    format!("the covariance ridge α must be in [0, 10], got {a}"),
                ));
            }
        }
        Ok(())
    }
}
