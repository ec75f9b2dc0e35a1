//! The `multilabel` section of `ExperimentConfig` (used when `task = multilabel`): where the data
//! comes from, the loss, the sampler and the decision rule. Everything else (model, optimizer,
//! learning-rate schedule, batch size, epochs, seed, test fraction) is the shared config's.
//!
//! Validation errors are `EngineError::InvalidConfig` with keys under `multilabel.` (e.g.
//! `multilabel.loss.gamma_neg`, `multilabel.data.n_labels`), so a link reader can name them.

use serde::{Deserialize, Serialize};

use super::loss::{LabelStats, LossReduction, MultilabelLossConfig, MultilabelLossSpec};
use super::resample::MultilabelSamplerSpec;
use super::{DecisionRule, LabelEntry, LabelMatrix, MultilabelGenerator};
use crate::{EngineError, Result};

/// Where the multi-label data comes from. Only the 2-D generator for now (CSV import exists in
/// `csv_import` but is not yet a config choice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MultilabelDataSpec {
    Generator(MultilabelGenerator),
}

impl Default for MultilabelDataSpec {
    fn default() -> Self {
        MultilabelDataSpec::Generator(MultilabelGenerator::default())
    }
}

impl MultilabelDataSpec {
    /// Number of labels of the data.
    pub fn n_labels(&self) -> usize {
        match self {
            MultilabelDataSpec::Generator(g) => g.n_labels,
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            MultilabelDataSpec::Generator(g) => g.validate().map(|_| ()).map_err(under("data")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MultilabelSetup {
    pub data: MultilabelDataSpec,
    /// The loss family and its parameters (`kind`: `bce`, `weighted_bce`, `class_balanced_bce`,
    /// `focal_bce`, `asymmetric`, `distribution_balanced`).
    pub loss: MultilabelLossSpec,
    /// How entry losses are combined; absent: the loss's reference reduction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduction: Option<LossReduction>,
    /// Weight of the label-correlation penalty (0: off).
    pub correlation_weight: f64,
    /// Resampling of the training split (ML-ROS, ML-RUS, MLSMOTE); synthetic rows are trained on,
    /// never evaluated.
    pub sampler: MultilabelSamplerSpec,
    /// How probabilities become label sets on the test split.
    pub decision: DecisionRule,
}

impl Default for MultilabelSetup {
    fn default() -> Self {
        MultilabelSetup {
            data: MultilabelDataSpec::default(),
            loss: MultilabelLossSpec::Bce,
            reduction: None,
            correlation_weight: 0.0,
            sampler: MultilabelSamplerSpec::None,
            decision: DecisionRule::default(),
        }
    }
}

impl MultilabelSetup {
    pub fn loss_config(&self) -> MultilabelLossConfig {
        MultilabelLossConfig {
            loss: self.loss.clone(),
            reduction: self.reduction,
            correlation_weight: self.correlation_weight,
        }
    }

    /// Checks every part; keys are under `multilabel.`.
    pub fn validate(&self) -> Result<()> {
        self.data.validate()?;
        let l = self.data.n_labels();
        // The loss checks its parameters when it is built; build it on two rows (one with every
        // label, one with none) so every per-label quantity is defined and only the parameters
        // can fail.
        let rows = [vec![LabelEntry::Positive; l], vec![LabelEntry::Negative; l]];
        let probe = LabelMatrix::from_rows(&rows).map_err(EngineError::from)?;
        self.loss_config()
            .build(&LabelStats::from_labels(&probe))
            .map_err(under(""))?;
        self.sampler.validate()?;
        self.decision.validate(self.data.n_labels())
    }
}

/// Puts a part's error key under `multilabel.<part>.` (`part` empty: directly under `multilabel.`).
pub(crate) fn under(part: &'static str) -> impl Fn(EngineError) -> EngineError {
    move |e| match e {
        EngineError::InvalidConfig { key, message } if !key.starts_with("multilabel.") => {
            let key = if part.is_empty() {
                format!("multilabel.{key}")
            } else {
                format!("multilabel.{part}.{key}")
            };
            EngineError::InvalidConfig { key, message }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(e: EngineError) -> String {
        match e {
            EngineError::InvalidConfig { key, .. } => key,
            other => panic!("not a config error: {other}"),
        }
    }

    #[test]
    fn errors_name_the_key_under_multilabel() {
        let mut s = MultilabelSetup::default();
        assert!(s.validate().is_ok());
        s.loss = MultilabelLossSpec::Asymmetric {
            gamma_pos: 0.0,
            gamma_neg: -1.0,
            clip: 0.05,
            eps: 1e-8,
        };
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.loss.gamma_neg"
        );
        s.loss = MultilabelLossSpec::Bce;
        s.correlation_weight = f64::NAN;
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.loss.correlation_weight"
        );
        s.correlation_weight = 0.1;
        s.loss = MultilabelLossSpec::WeightedBce {
            pos_weight: super::super::loss::PosWeight::Explicit(vec![1.0; 3]),
        };
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.loss.pos_weight"
        );
        s.loss = MultilabelLossSpec::Bce;
        let MultilabelDataSpec::Generator(g) = &mut s.data;
        g.n_labels = 9;
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.data.n_labels"
        );
        s.data = MultilabelDataSpec::default();
        s.sampler =
            MultilabelSamplerSpec::MlRos(super::super::resample::MlRos { percentage: 150.0 });
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.sampler.percentage"
        );
        s.sampler = MultilabelSamplerSpec::Mlsmote(super::super::resample::Mlsmote {
            k_neighbors: 0,
            ..Default::default()
        });
        assert_eq!(
            key_of(s.validate().unwrap_err()),
            "multilabel.sampler.k_neighbors"
        );
        s.sampler = MultilabelSamplerSpec::None;
        s.decision = DecisionRule::TopK { k: 6 };
        assert_eq!(key_of(s.validate().unwrap_err()), "multilabel.decision.k");
    }

    #[test]
    fn json_form_is_tagged_and_short() {
        let s = MultilabelSetup {
            sampler: MultilabelSamplerSpec::MlRos(Default::default()),
            ..Default::default()
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["data"]["kind"], "generator");
        assert_eq!(v["loss"]["kind"], "bce");
        assert_eq!(v["sampler"]["kind"], "ml_ros");
        assert_eq!(v["sampler"]["percentage"], 25.0);
        assert_eq!(v["decision"]["kind"], "threshold");
        assert!(v.get("reduction").is_none());
        let back: MultilabelSetup = serde_json::from_value(v).unwrap();
        assert_eq!(back, s);
        // Sampler parameters take their defaults when left out.
        let short: MultilabelSetup =
            serde_json::from_str(r#"{"sampler":{"kind":"mlsmote"}}"#).unwrap();
        assert_eq!(
            short.sampler,
            MultilabelSamplerSpec::Mlsmote(Default::default())
        );
    }
}
