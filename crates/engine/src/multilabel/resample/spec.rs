//! The multi-label sampler as a config choice (`multilabel.sampler` of `ExperimentConfig`):
//! none, ML-ROS, ML-RUS or MLSMOTE with their parameters. Applied to the training split only.

use serde::{Deserialize, Serialize};

use super::{check_percentage, MlRos, MlRus, Mlsmote, MultilabelData, MultilabelResampled};
use crate::resample::Origin;
use crate::rng::Rng;
use crate::{EngineError, Result};

/// Name of the sampler's random stream (`Rng::stream(seed, MULTILABEL_SAMPLER_STREAM)`).
pub const MULTILABEL_SAMPLER_STREAM: &str = "multilabel_sampler";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MultilabelSamplerSpec {
    /// Train on the training split as it is.
    #[default]
    None,
    MlRos(MlRos),
    MlRus(MlRus),
    Mlsmote(Mlsmote),
}

impl MultilabelSamplerSpec {
    pub fn name(&self) -> &'static str {
        match self {
            MultilabelSamplerSpec::None => "none",
            MultilabelSamplerSpec::MlRos(_) => "ml_ros",
            MultilabelSamplerSpec::MlRus(_) => "ml_rus",
            MultilabelSamplerSpec::Mlsmote(_) => "mlsmote",
        }
    }

    /// Checks the parameters; keys are under `multilabel.sampler`.
    pub fn validate(&self) -> Result<()> {
        match self {
            MultilabelSamplerSpec::None => Ok(()),
            MultilabelSamplerSpec::MlRos(s) => rekey(check_percentage(s.percentage)),
            MultilabelSamplerSpec::MlRus(s) => rekey(check_percentage(s.percentage)),
            MultilabelSamplerSpec::Mlsmote(s) if s.k_neighbors == 0 => Err(EngineError::config(
                "multilabel.sampler.k_neighbors",
                "k must be at least 1 (the paper uses 5)",
            )),
            MultilabelSamplerSpec::Mlsmote(_) => Ok(()),
        }
    }

    /// The resampled training set (`None`: the input, every row `Original`).
    pub fn apply(&self, data: &MultilabelData, rng: &mut Rng) -> Result<MultilabelResampled> {
        let out = match self {
            MultilabelSamplerSpec::None => Ok(MultilabelResampled {
                data: data.clone(),
                origins: (0..data.n_samples())
                    .map(|index| Origin::Original { index })
                    .collect(),
                removed: Vec::new(),
            }),
            MultilabelSamplerSpec::MlRos(s) => s.resample(data, rng),
            MultilabelSamplerSpec::MlRus(s) => s.resample(data, rng),
            MultilabelSamplerSpec::Mlsmote(s) => s.resample(data, rng),
        };
        rekey(out)
    }
}

/// The samplers name their keys `sampler.*`; in an experiment they live under `multilabel.`.
fn rekey<T>(r: Result<T>) -> Result<T> {
    r.map_err(|e| match e {
        EngineError::InvalidConfig { key, message } if !key.starts_with("multilabel.") => {
            EngineError::InvalidConfig {
                key: format!("multilabel.{key}"),
                message,
            }
        }
        other => other,
    })
}
