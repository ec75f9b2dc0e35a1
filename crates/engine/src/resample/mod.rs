//! Resampling of the training split (`methods-spec.md` §A). Samplers never see the test split.

mod strategy;

pub use strategy::{Plan, SamplerFamily, SamplingStrategy};

// ---- under-sampling and cleaning samplers (branch `under`) ----
pub mod all_knn;
pub mod cluster_centroids;
pub mod condensed_nearest_neighbour;
pub mod edited_nearest_neighbours;
pub mod near_miss;
mod neighbour_vote;
pub mod neighbourhood_cleaning_rule;
pub mod one_sided_selection;
pub mod random_under_sampler;
pub mod repeated_edited_nearest_neighbours;
pub mod tomek_links;

pub use all_knn::AllKnn;
pub use cluster_centroids::{ClusterCentroids, Voting};
pub use condensed_nearest_neighbour::CondensedNearestNeighbour;
pub use edited_nearest_neighbours::{EditedNearestNeighbours, KindSel};
pub use near_miss::{NearMiss, NearMissOutcome};
pub use neighbourhood_cleaning_rule::NeighbourhoodCleaningRule;
pub use one_sided_selection::OneSidedSelection;
pub use random_under_sampler::RandomUnderSampler;
pub use repeated_edited_nearest_neighbours::RepeatedEditedNearestNeighbours;
pub use tomek_links::{TomekLinks, TomekOutcome};
// ---- end of the under-sampling block ----

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
    // ---- under-sampling block (branch `under`) ----
    /// A cluster centroid (cluster centroids, soft voting): `cluster` indexes the clusters that
    /// `cluster_centroids::ClusterCentroids::fit` reports, in ascending class order.
    Centroid { cluster: usize },
}

/// The resampled training set and each row's origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Resampled {
    pub data: Dataset,
    pub origin: Vec<Origin>,
}

// ---- under-sampling block (branch `under`) ----
impl Resampled {
    /// Rows `kept` of `data` (indices into it), in that order, each marked as an original row.
    pub fn from_kept(data: &Dataset, kept: &[usize]) -> Self {
        Resampled {
            data: data.select(kept),
            origin: kept
                .iter()
                .map(|&index| Origin::Original { index })
                .collect(),
        }
    }

    /// Already-assembled rows and their origins (prototype generation).
    pub fn from_parts(data: Dataset, origin: Vec<Origin>) -> Self {
        debug_assert_eq!(data.len(), origin.len());
        Resampled { data, origin }
    }
}

/// Rows of `0..n_rows` that are not in `kept`, ascending: what a cleaning sampler removed.
pub fn removed_rows(n_rows: usize, kept: &[usize]) -> Vec<usize> {
    let mut keep = vec![false; n_rows];
    for &i in kept {
        keep[i] = true;
    }
    (0..n_rows).filter(|&i| !keep[i]).collect()
}
// ---- end of the under-sampling block ----

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
    // ---- under-sampling and cleaning (branch `under`) ----
    RandomUnderSampler(RandomUnderSampler),
    TomekLinks(TomekLinks),
    EditedNearestNeighbours(EditedNearestNeighbours),
    RepeatedEditedNearestNeighbours(RepeatedEditedNearestNeighbours),
    AllKnn(AllKnn),
    CondensedNearestNeighbour(CondensedNearestNeighbour),
    OneSidedSelection(OneSidedSelection),
    NeighbourhoodCleaningRule(NeighbourhoodCleaningRule),
    NearMiss(NearMiss),
    ClusterCentroids(ClusterCentroids),
    // ---- end of the under-sampling block ----
}

impl SamplerSpec {
    pub fn name(&self) -> &'static str {
        match self {
            SamplerSpec::None => "none",
            // ---- under-sampling block (branch `under`) ----
            SamplerSpec::RandomUnderSampler(_) => "rus",
            SamplerSpec::TomekLinks(_) => "tomek",
            SamplerSpec::EditedNearestNeighbours(_) => "enn",
            SamplerSpec::RepeatedEditedNearestNeighbours(_) => "renn",
            SamplerSpec::AllKnn(_) => "allknn",
            SamplerSpec::CondensedNearestNeighbour(_) => "cnn",
            SamplerSpec::OneSidedSelection(_) => "oss",
            SamplerSpec::NeighbourhoodCleaningRule(_) => "ncr",
            SamplerSpec::NearMiss(s) => s.name(),
            SamplerSpec::ClusterCentroids(_) => "cluster_centroids",
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            SamplerSpec::None => Ok(()),
            // ---- under-sampling block (branch `under`) ----
            SamplerSpec::RandomUnderSampler(s) => s.validate(),
            SamplerSpec::TomekLinks(s) => s.validate(),
            SamplerSpec::EditedNearestNeighbours(s) => s.validate(),
            SamplerSpec::RepeatedEditedNearestNeighbours(s) => s.validate(),
            SamplerSpec::AllKnn(s) => s.validate(),
            SamplerSpec::CondensedNearestNeighbour(s) => s.validate(),
            SamplerSpec::OneSidedSelection(s) => s.validate(),
            SamplerSpec::NeighbourhoodCleaningRule(s) => s.validate(),
            SamplerSpec::NearMiss(s) => s.validate(),
            SamplerSpec::ClusterCentroids(s) => s.validate(),
        }
    }

    /// Resamples `train` with draws from `rng` (the experiment's `sampler` stream).
    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        match self {
            SamplerSpec::None => Ok(Resampled::identity(train)),
            // ---- under-sampling block (branch `under`) ----
            SamplerSpec::RandomUnderSampler(s) => s.fit_resample(train, rng),
            SamplerSpec::TomekLinks(s) => s.fit_resample(train),
            SamplerSpec::EditedNearestNeighbours(s) => s.fit_resample(train),
            SamplerSpec::RepeatedEditedNearestNeighbours(s) => s.fit_resample(train),
            SamplerSpec::AllKnn(s) => s.fit_resample(train),
            SamplerSpec::CondensedNearestNeighbour(s) => s.fit_resample(train, rng),
            SamplerSpec::OneSidedSelection(s) => s.fit_resample(train, rng),
            SamplerSpec::NeighbourhoodCleaningRule(s) => s.fit_resample(train),
            SamplerSpec::NearMiss(s) => s.fit_resample(train),
            SamplerSpec::ClusterCentroids(s) => s.fit_resample(train, rng),
        }
    }
}
