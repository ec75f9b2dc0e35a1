//! Resampling of the training split (`methods-spec.md` §A). Samplers never see the test split.
//!
//! Every sampler resolves its `sampling_strategy` once into a [`Plan`] of final per-class counts and
//! then does only its own work. Over-samplers return the original rows first (original order), then
//! the new rows class by class in ascending class order, as imbalanced-learn does.

mod adasyn;
mod borderline_smote;
mod diagnostics;
pub mod kmeans;
mod kmeans_smote;
mod random_over_sampler;
pub mod rbf_svc;
mod smote;
mod strategy;
mod svm_smote;
pub mod synthesis;

pub use adasyn::Adasyn;
pub use borderline_smote::{BorderlineKind, BorderlineSmote};
pub use diagnostics::{AdasynWeight, ClusterInfo, Diagnostics, PointRole, RowRole};
pub use kmeans_smote::KMeansSmote;
pub use random_over_sampler::{class_std, smooth, RandomOverSampler, Shrinkage};
pub use smote::Smote;
pub use strategy::{Plan, SamplerFamily, SamplingStrategy};
pub use svm_smote::SvmSmote;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::Result;
use crate::rng::Rng;

/// Where a row of the resampled training set came from. Indices refer to the training split as
/// given to the sampler.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    /// Row `index` of the training split, kept.
    Original { index: usize },
    /// An exact copy of row `index` (random over-sampling).
    Duplicate { index: usize },
    /// Row `index` plus Gaussian noise (random over-sampling with shrinkage: smoothed bootstrap).
    Smoothed { index: usize },
    /// Generated on the line from row `base` toward row `neighbor` (SMOTE family).
    Synthetic { base: usize, neighbor: usize },
}

/// The resampled training set, each row's origin, and what the sampler found out on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Resampled {
    pub data: Dataset,
    pub origin: Vec<Origin>,
    pub diagnostics: Diagnostics,
}

impl Resampled {
    /// The training split unchanged.
    pub fn identity(data: &Dataset) -> Self {
        Resampled {
            origin: (0..data.len())
                .map(|index| Origin::Original { index })
                .collect(),
            data: data.clone(),
            diagnostics: Diagnostics::default(),
        }
    }
}

/// The resampling method applied to the training split. `kind` in JSON is [`SamplerSpec::name`];
/// omitted parameters take imbalanced-learn's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SamplerSpec {
    /// No resampling.
    #[default]
    None,
    /// ADASYN (He et al. 2008).
    Adasyn(Adasyn),
    /// Borderline-SMOTE-1 (Han et al. 2005).
    Borderline1(BorderlineSmote),
    /// Borderline-SMOTE-2 (Han et al. 2005).
    Borderline2(BorderlineSmote),
    /// KMeans-SMOTE (Last et al. 2017), experimental.
    KmeansSmote(KMeansSmote),
    /// Random over-sampling, optionally smoothed (shrinkage).
    Ros(RandomOverSampler),
    /// SMOTE (Chawla et al. 2002).
    Smote(Smote),
    /// SVM-SMOTE (Nguyen et al. 2011).
    SvmSmote(SvmSmote),
}

impl SamplerSpec {
    /// One instance of every method with the reference's defaults (the menu, and what the contract
    /// tests in `tests/sampler_contract.rs` run over).
    pub fn catalog() -> Vec<SamplerSpec> {
        let all = vec![
            SamplerSpec::None,
            SamplerSpec::Adasyn(Adasyn::default()),
            SamplerSpec::Borderline1(BorderlineSmote::default()),
            SamplerSpec::Borderline2(BorderlineSmote::default()),
            SamplerSpec::KmeansSmote(KMeansSmote::default()),
            SamplerSpec::Ros(RandomOverSampler::default()),
            SamplerSpec::Smote(Smote::default()),
            SamplerSpec::SvmSmote(SvmSmote::default()),
        ];
        // Adding a variant breaks this match: list the new method above as well.
        for s in &all {
            match s {
                SamplerSpec::None
                | SamplerSpec::Adasyn(_)
                | SamplerSpec::Borderline1(_)
                | SamplerSpec::Borderline2(_)
                | SamplerSpec::KmeansSmote(_)
                | SamplerSpec::Ros(_)
                | SamplerSpec::Smote(_)
                | SamplerSpec::SvmSmote(_) => {}
            }
        }
        all
    }

    /// Stable short id, used in links and as the JSON `kind`.
    pub fn name(&self) -> &'static str {
        match self {
            SamplerSpec::None => "none",
            SamplerSpec::Adasyn(_) => "adasyn",
            SamplerSpec::Borderline1(_) => "borderline1",
            SamplerSpec::Borderline2(_) => "borderline2",
            SamplerSpec::KmeansSmote(_) => "kmeans_smote",
            SamplerSpec::Ros(_) => "ros",
            SamplerSpec::Smote(_) => "smote",
            SamplerSpec::SvmSmote(_) => "svm_smote",
        }
    }

    /// Over (adds rows), Under (removes down to a count) or Clean (removes by a rule); `None` for
    /// no resampling.
    pub fn family(&self) -> Option<SamplerFamily> {
        match self {
            SamplerSpec::None => None,
            SamplerSpec::Adasyn(_)
            | SamplerSpec::Borderline1(_)
            | SamplerSpec::Borderline2(_)
            | SamplerSpec::KmeansSmote(_)
            | SamplerSpec::Ros(_)
            | SamplerSpec::Smote(_)
            | SamplerSpec::SvmSmote(_) => Some(SamplerFamily::Over),
        }
    }

    /// Checks the parameters that do not depend on the data.
    pub fn validate(&self) -> Result<()> {
        match self {
            SamplerSpec::None => Ok(()),
            SamplerSpec::Adasyn(s) => s.validate(),
            SamplerSpec::Borderline1(s) | SamplerSpec::Borderline2(s) => s.validate(),
            SamplerSpec::KmeansSmote(s) => s.validate(),
            SamplerSpec::Ros(s) => s.validate(),
            SamplerSpec::Smote(s) => s.validate(),
            SamplerSpec::SvmSmote(s) => s.validate(),
        }
    }

    /// Resamples `train` with draws from `rng` (the experiment's `sampler` stream).
    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        self.validate()?;
        match self {
            SamplerSpec::None => Ok(Resampled::identity(train)),
            SamplerSpec::Adasyn(s) => s.apply(train, rng),
            SamplerSpec::Borderline1(s) => s.apply(BorderlineKind::One, train, rng),
            SamplerSpec::Borderline2(s) => s.apply(BorderlineKind::Two, train, rng),
            SamplerSpec::KmeansSmote(s) => s.apply(train, rng),
            SamplerSpec::Ros(s) => s.apply(train, rng),
            SamplerSpec::Smote(s) => s.apply(train, rng),
            SamplerSpec::SvmSmote(s) => s.apply(train, rng),
        }
    }
}
