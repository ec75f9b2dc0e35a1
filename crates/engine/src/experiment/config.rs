//! `ExperimentConfig`: everything that determines an experiment's numbers. The shareable link, the
//! CLI's JSON and the exports are all this type.

use serde::{Deserialize, Serialize};

use crate::adversarial::{AdversarialTraining, AttackSpec};
use crate::dataset::DatasetSpec;
use crate::error::{EngineError, Result};
use crate::loss::LossSpec;
use crate::model::{Head, ModelSpec};
use crate::multilabel::MultilabelSetup;
use crate::optim::OptimizerSpec;
use crate::posthoc::PostHoc;
use crate::resample::SamplerSpec;

use super::schedule::TrainingSchedule;
use super::task::TaskKind;

/// Bumped whenever the meaning of a stored config changes; older versions are migrated on load.
/// Version 2 (from 1): short sampler tags (`rus`, `tomek`, `enn`, ...), see `link::migrate`.
pub const CONFIG_VERSION: u32 = 2;

/// Largest mini-batch accepted.
pub const MAX_BATCH: usize = 4096;
/// Most epochs a headless run accepts.
pub const MAX_EPOCHS: usize = 100_000;

/// Which compute path trains the model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendChoice {
    /// WebGPU (or native wgpu) when an adapter works, else the CPU path.
    #[default]
    Auto,
    /// Always the engine's CPU path (bit-reproducible across machines).
    Cpu,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExperimentConfig {
    pub version: u32,
    /// Root of every random stream (data, split, sampler, init, batches).
    pub seed: u64,
    pub dataset: DatasetSpec,
    /// Fraction of each class held out for evaluation.
    pub test_fraction: f64,
    pub sampler: SamplerSpec,
    pub model: ModelSpec,
    pub loss: LossSpec,
    pub optimizer: OptimizerSpec,
    pub batch_size: usize,
    /// Epochs for a headless run (`imlab run`); the app trains until paused.
    pub epochs: usize,
    /// Binary decision threshold on P(class 1); `None` predicts the arg-max. (Kept for old links;
    /// `posthoc` with `threshold` is the same.)
    pub threshold: Option<f64>,
    pub backend: BackendChoice,
    /// Learning-rate schedule, deferred re-weighting, second stage.
    pub schedule: TrainingSchedule,
    /// Correction of the test scores before deciding (threshold, prior correction, logit adjustment).
    pub posthoc: PostHoc,
    /// τ-normalisation of the output layer at evaluation (Kang et al. 2020); `None`: off.
    pub tau_normalization: Option<f32>,
    /// Adversarial training (`crate::adversarial`); `None`: off. Left out of the JSON when off, so
    /// the JSON (and every sweep id hashed from it) of a config without it is what it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adversarial: Option<AdversarialTraining>,
    /// Robust evaluation of the test split under this attack (snapshot's `robust`); `None`: off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robust_eval: Option<AttackSpec>,
    /// Multi-class (default) or multi-label. Left out of the JSON when multi-class, so every
    /// existing config, link and sweep id is unchanged.
    #[serde(skip_serializing_if = "TaskKind::is_multiclass")]
    pub task: TaskKind,
    /// The multi-label experiment's data, loss, sampler and decision rule (`task = multilabel`;
    /// absent there: the defaults). Left out of the JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multilabel: Option<MultilabelSetup>,
}

impl Default for ExperimentConfig {
    fn default() -> Self {
        ExperimentConfig {
            version: CONFIG_VERSION,
            seed: 42,
            dataset: DatasetSpec::default(),
            test_fraction: 0.3,
            sampler: SamplerSpec::None,
            model: ModelSpec::default(),
            loss: LossSpec::default(),
            optimizer: OptimizerSpec::default(),
            batch_size: 32,
            epochs: 100,
            threshold: None,
            backend: BackendChoice::Auto,
            schedule: TrainingSchedule::default(),
            posthoc: PostHoc::None,
            tau_normalization: None,
            adversarial: None,
            robust_eval: None,
            task: TaskKind::Multiclass,
            multilabel: None,
        }
    }
}

impl ExperimentConfig {
    /// Checks every field; the error names the offending key and how to fix it.
    pub fn validate(&self) -> Result<()> {
        if self.version != CONFIG_VERSION {
            return Err(EngineError::config(
                "version",
                format!(
                    "this build reads version {CONFIG_VERSION}, got {}",
                    self.version
                ),
            ));
        }
        let counts = self.dataset.validate()?;
        if !(self.test_fraction > 0.0 && self.test_fraction < 1.0) {
            return Err(EngineError::config(
                "test_fraction",
                format!(
                    "must be strictly between 0 and 1, got {}",
                    self.test_fraction
                ),
            ));
        }
        self.sampler.validate()?;
        self.model.validate()?;
        self.loss.validate()?;
        self.optimizer.validate()?;
        if self.batch_size == 0 || self.batch_size > MAX_BATCH {
            return Err(EngineError::config(
                "batch_size",
                format!("must be 1 to {MAX_BATCH}, got {}", self.batch_size),
            ));
        }
        if self.epochs == 0 || self.epochs > MAX_EPOCHS {
            return Err(EngineError::config(
                "epochs",
                format!("must be 1 to {MAX_EPOCHS}, got {}", self.epochs),
            ));
        }
        if let Some(t) = self.threshold {
            if !(0.0..=1.0).contains(&t) {
                return Err(EngineError::config(
                    "threshold",
                    format!("must be between 0 and 1, got {t}"),
                ));
            }
            if counts.len() != 2 {
                return Err(EngineError::config(
                    "threshold",
                    "a decision threshold applies to two classes only",
                ));
            }
        }
        self.schedule.validate()?;
        self.posthoc.validate(counts.len())?;
        if self.threshold.is_some() && self.posthoc != PostHoc::None {
            return Err(EngineError::config(
                "posthoc",
                "set either `threshold` or `posthoc`, not both",
            ));
        }
        if let Some(t) = self.tau_normalization {
            if !(t.is_finite() && (0.0..=10.0).contains(&t)) {
                return Err(EngineError::config(
                    "tau_normalization",
                    format!("τ must be in [0, 10], got {t}"),
                ));
            }
        }
        if self.schedule.drw.is_some()
            && matches!(self.loss, LossSpec::Dice { .. } | LossSpec::AnyLoss { .. })
        {
            return Err(EngineError::config(
                "drw",
                format!(
                    "deferred re-weighting needs a loss with class weights; `{}` has none",
                    self.loss.name()
                ),
            ));
        }
        self.validate_adversarial()?;
        self.validate_task()?;
        let calibrating = self.schedule.second_stage.as_ref().map(|s| s.method)
            == Some(super::schedule::SecondStageMethod::VirtualFeatureCalibration);
        if calibrating && self.model.head != Head::Linear {
            return Err(EngineError::config(
                "second_stage.method",
                "virtual-feature calibration re-trains a linear head on feature vectors; set head.kind=linear or pick another second stage",
            ));
        }
        if calibrating && self.adversarial.is_some() {
            // Its stage 2 trains on feature vectors, some of them drawn, not on inputs: an
            // input-space attack has nothing to perturb there.
            return Err(EngineError::config(
                "second_stage.method",
                "virtual-feature calibration trains its second stage on (virtual) feature vectors, which an input-space attack cannot perturb; turn adversarial training off or pick cRT",
            ));
        }
        if let (LossSpec::Ldam { .. }, Head::Cosine { scale }) = (&self.loss, self.model.head) {
            if scale != 1.0 {
                return Err(EngineError::config(
                    "head.scale",
                    "LDAM scales the cosine logits itself (its `scale` s); keep the cosine head's scale at 1",
                ));
            }
        }
        Ok(())
    }

    /// The multi-label section, and the multi-class options a multi-label experiment refuses (they
    /// act on a softmax over classes, which it does not have).
    fn validate_task(&self) -> Result<()> {
        if self.task == TaskKind::Multiclass {
            if self.multilabel.is_some() {
                return Err(EngineError::config(
                    "multilabel",
                    "the multi-label section needs task=multilabel; set it, or remove the section",
                ));
            }
            return Ok(());
        }
        self.multilabel_setup().validate()?;
        let refuse = |key: &str, why: &str| Err(EngineError::config(key, why.to_string()));
        if self.dataset != DatasetSpec::default() {
            return refuse(
                "dataset",
                "a multi-label experiment reads its data from `multilabel.data`; leave `dataset` at its default",
            );
        }
        if self.sampler != SamplerSpec::None {
            return refuse(
                "sampler",
                "the multi-class samplers balance classes, not label sets; use `multilabel.sampler` (ml_ros, ml_rus, mlsmote)",
            );
        }
        if self.loss != LossSpec::default() {
            return refuse(
                "loss",
                "the multi-class losses act on a softmax over classes; use `multilabel.loss` (bce, asymmetric, ...)",
            );
        }
        if self.threshold.is_some() || self.posthoc != PostHoc::None {
            let key = if self.threshold.is_some() {
                "threshold"
            } else {
                "posthoc"
            };
            return refuse(
                key,
                "the multi-class decision rules pick one class; use `multilabel.decision` (threshold, per_label_thresholds, top_k)",
            );
        }
        if self.tau_normalization.is_some() {
            return refuse(
                "tau_normalization",
                "τ-normalisation rescales class weight vectors of a softmax head; it is not implemented for sigmoid outputs",
            );
        }
        if self.schedule.drw.is_some() {
            return refuse(
                "drw",
                "deferred re-weighting switches multi-class class weights; the multi-label losses take their per-label weights from `multilabel.loss`",
            );
        }
        if self.schedule.second_stage.is_some() {
            return refuse(
                "second_stage",
                "the two-stage methods (cRT, fine-tuning, calibration) re-balance classes; they are not implemented for multi-label",
            );
        }
        if self.adversarial.is_some() || self.robust_eval.is_some() {
            let key = if self.adversarial.is_some() {
                "adversarial"
            } else {
                "robust_eval"
            };
            return refuse(
                key,
                "adversarial training and robust evaluation attack a multi-class loss; they are not implemented for multi-label",
            );
        }
        if self.model.head != Head::Linear {
            return refuse(
                "head.kind",
                "a multi-label model reads each output through a sigmoid; use the linear head",
            );
        }
        Ok(())
    }

    /// The multi-label section in force: the configured one, or the defaults.
    pub fn multilabel_setup(&self) -> MultilabelSetup {
        self.multilabel.clone().unwrap_or_default()
    }

    /// The adversarial options and the combinations they refuse (`docs/adversarial.md`).
    fn validate_adversarial(&self) -> Result<()> {
        if let Some(r) = &self.robust_eval {
            r.validate("robust_eval")?;
        }
        let Some(a) = &self.adversarial else {
            return Ok(());
        };
        a.validate()?;
        if a.class_weights.is_some() {
            if matches!(self.loss, LossSpec::Dice { .. } | LossSpec::AnyLoss { .. }) {
                return Err(EngineError::config(
                    "adversarial.class_weights",
                    format!(
                        "reweighting the adversarial loss needs a loss with class weights; `{}` has none (use e.g. `ce`)",
                        self.loss.name()
                    ),
                ));
            }
            if self.schedule.drw.is_some() {
                return Err(EngineError::config(
                    "adversarial.class_weights",
                    "deferred re-weighting already sets the class weights of the loss; set either `drw` or `adversarial.class_weights`, not both",
                ));
            }
        }
        Ok(())
    }

    /// Values for the sections left out of the JSON when off (`adversarial`, `robust_eval`,
    /// `task`, `multilabel`): the link reader's template for their keys.
    pub fn optional_sections() -> serde_json::Value {
        serde_json::json!({
            "adversarial": AdversarialTraining {
                class_weights: Some(crate::loss::ClassWeights::Uniform),
                ..AdversarialTraining::default()
            },
            "robust_eval": AttackSpec::default(),
            "task": TaskKind::Multiclass,
            "multilabel": MultilabelSetup::default(),
        })
    }

    /// The values of those sections when a link turns one on with only some of its keys: the
    /// serde defaults (no class reweighting), so the keys left out take their documented defaults.
    pub fn optional_section_defaults() -> serde_json::Value {
        serde_json::json!({
            "adversarial": AdversarialTraining::default(),
            "robust_eval": AttackSpec::default(),
            "task": TaskKind::Multiclass,
            "multilabel": MultilabelSetup::default(),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("config serializes")
    }

    pub fn from_json(s: &str) -> Result<Self> {
        let mut value: serde_json::Value =
            serde_json::from_str(s).map_err(|e| EngineError::config("json", e.to_string()))?;
        crate::link::migrate_json(&mut value).map_err(|e| EngineError::config("version", e))?;
        let c: ExperimentConfig = serde_json::from_value(value)
            .map_err(|e| EngineError::config("json", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }
}
