//! Resampling of the training split (`methods-spec.md` §A). Samplers never see the test split.

mod strategy;

pub use strategy::{Plan, SamplerFamily, SamplingStrategy};

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::Result;
use crate::rng::Rng;

/// Where a row of the resampled training set came from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    /// Row `index` of the training split as given to the sampler.
    Original { index: usize },
    /// Generated between training rows `base` and `neighbor`.
    Synthetic { base: usize, neighbor: usize },
}

/// The resampled training set and each row's origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Resampled {
    pub data: Dataset,
    pub origin: Vec<Origin>,
}

impl Resampled {
    /// The training split unchanged.
    pub fn identity(data: &Dataset) -> Self {
        Resampled {
            origin: (0..data.len())
                .map(|index| Origin::Original { index })
                .collect(),
            data: data.clone(),
        }
    }
}

/// The resampling method applied to the training split.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SamplerSpec {
    /// No resampling.
    #[default]
    None,
}

impl SamplerSpec {
    /// Every `kind` this build accepts, in declaration order (read from the serde derive, so a new
    /// variant is listed without editing this).
    pub fn known_names() -> Vec<&'static str> {
        crate::tag_names::tag_names::<SamplerSpec>("kind")
    }

    pub fn name(&self) -> &'static str {
        match self {
            SamplerSpec::None => "none",
        }
    }

    pub fn validate(&self) -> Result<()> {
        Ok(())
    }

    /// Resamples `train` with draws from `rng` (the experiment's `sampler` stream).
    pub fn apply(&self, train: &Dataset, _rng: &mut Rng) -> Result<Resampled> {
        match self {
            SamplerSpec::None => Ok(Resampled::identity(train)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_match_name() {
        let names = SamplerSpec::known_names();
        assert!(names.contains(&SamplerSpec::None.name()), "{names:?}");
        for n in names {
            let spec = serde_json::from_value::<SamplerSpec>(serde_json::json!({ "kind": n }));
            assert!(spec.is_ok(), "{n}: {spec:?}");
        }
    }
}
