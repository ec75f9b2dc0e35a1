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

// ---- combinations: SMOTE then a cleaner (branch `over`) ----
mod smote_enn;
mod smote_tomek;

pub use smote_enn::SmoteEnn;
pub use smote_tomek::SmoteTomek;
// ---- end of the combinations block ----

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
    // ---- under-sampling block (branch `under`) ----
    /// A cluster centroid (cluster centroids, soft voting): `cluster` indexes the clusters that
    /// `cluster_centroids::ClusterCentroids::fit` reports, in ascending class order.
    Centroid { cluster: usize },
}

/// The resampled training set, each row's origin, and what the sampler found out on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Resampled {
    pub data: Dataset,
    pub origin: Vec<Origin>,
    pub diagnostics: Diagnostics,
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
            diagnostics: Diagnostics::default(),
        }
    }

    /// Already-assembled rows and their origins (prototype generation).
    pub fn from_parts(data: Dataset, origin: Vec<Origin>) -> Self {
        debug_assert_eq!(data.len(), origin.len());
        Resampled {
            data,
            origin,
            diagnostics: Diagnostics::default(),
        }
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
    /// SMOTE, then Edited Nearest Neighbours on every class (Batista et al. 2004).
    SmoteEnn(SmoteEnn),
    /// SMOTE, then removal of both ends of every Tomek link (Batista et al. 2003).
    SmoteTomek(SmoteTomek),
    // ---- under-sampling and cleaning (branch `under`) ----
    // Config version 2 gave these the short tags that `name()` and the CLI use; the long tags of
    // version 1 are still read (aliases), and `link::migrate` rewrites them in old links.
    /// Random under-sampling.
    #[serde(rename = "rus", alias = "random_under_sampler")]
    RandomUnderSampler(RandomUnderSampler),
    /// Tomek links removal (Tomek 1976).
    #[serde(rename = "tomek", alias = "tomek_links")]
    TomekLinks(TomekLinks),
    /// Edited Nearest Neighbours (Wilson 1972).
    #[serde(rename = "enn", alias = "edited_nearest_neighbours")]
    EditedNearestNeighbours(EditedNearestNeighbours),
    /// Repeated Edited Nearest Neighbours (Tomek 1976).
    #[serde(rename = "renn", alias = "repeated_edited_nearest_neighbours")]
    RepeatedEditedNearestNeighbours(RepeatedEditedNearestNeighbours),
    /// All k-NN (Tomek 1976).
    #[serde(rename = "allknn", alias = "all_knn")]
    AllKnn(AllKnn),
    /// Condensed Nearest Neighbour (Hart 1968).
    #[serde(rename = "cnn", alias = "condensed_nearest_neighbour")]
    CondensedNearestNeighbour(CondensedNearestNeighbour),
    /// One-Sided Selection (Kubat & Matwin 1997).
    #[serde(rename = "oss", alias = "one_sided_selection")]
    OneSidedSelection(OneSidedSelection),
    /// Neighbourhood Cleaning Rule (Laurikkala 2001).
    #[serde(rename = "ncr", alias = "neighbourhood_cleaning_rule")]
    NeighbourhoodCleaningRule(NeighbourhoodCleaningRule),
    /// NearMiss-1/2/3 (Mani & Zhang 2003); `name()` adds the version: `nearmiss1`.
    #[serde(rename = "nearmiss", alias = "near_miss")]
    NearMiss(NearMiss),
    /// Cluster centroids (prototype generation with k-means).
    ClusterCentroids(ClusterCentroids),
    // ---- end of the under-sampling block ----
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
            SamplerSpec::SmoteEnn(SmoteEnn::default()),
            SamplerSpec::SmoteTomek(SmoteTomek::default()),
            SamplerSpec::RandomUnderSampler(RandomUnderSampler::default()),
            SamplerSpec::TomekLinks(TomekLinks::default()),
            SamplerSpec::EditedNearestNeighbours(EditedNearestNeighbours::default()),
            SamplerSpec::RepeatedEditedNearestNeighbours(RepeatedEditedNearestNeighbours::default()),
            SamplerSpec::AllKnn(AllKnn::default()),
            SamplerSpec::CondensedNearestNeighbour(CondensedNearestNeighbour::default()),
            SamplerSpec::OneSidedSelection(OneSidedSelection::default()),
            SamplerSpec::NeighbourhoodCleaningRule(NeighbourhoodCleaningRule::default()),
            SamplerSpec::NearMiss(NearMiss::default()),
            SamplerSpec::ClusterCentroids(ClusterCentroids::default()),
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
                | SamplerSpec::SvmSmote(_)
                | SamplerSpec::SmoteEnn(_)
                | SamplerSpec::SmoteTomek(_)
                | SamplerSpec::RandomUnderSampler(_)
                | SamplerSpec::TomekLinks(_)
                | SamplerSpec::EditedNearestNeighbours(_)
                | SamplerSpec::RepeatedEditedNearestNeighbours(_)
                | SamplerSpec::AllKnn(_)
                | SamplerSpec::CondensedNearestNeighbour(_)
                | SamplerSpec::OneSidedSelection(_)
                | SamplerSpec::NeighbourhoodCleaningRule(_)
                | SamplerSpec::NearMiss(_)
                | SamplerSpec::ClusterCentroids(_) => {}
            }
        }
        all
    }

    /// Every `kind` this build accepts, in declaration order (read from the serde derive, so a new
    /// variant is listed without editing this).
    /// Aliases kept for reading older configs (see [`SamplerSpec::V1_TAGS`]) are left out.
    pub fn known_names() -> Vec<&'static str> {
        crate::tag_names::tag_names::<SamplerSpec>("kind")
            .into_iter()
            .filter(|n| !SamplerSpec::V1_TAGS.iter().any(|(old, _)| old == n))
            .collect()
    }

    /// Config version 1's `kind` tags that version 2 renamed, with their new tag.
    pub const V1_TAGS: [(&'static str, &'static str); 9] = [
        ("random_under_sampler", "rus"),
        ("tomek_links", "tomek"),
        ("edited_nearest_neighbours", "enn"),
        ("repeated_edited_nearest_neighbours", "renn"),
        ("all_knn", "allknn"),
        ("condensed_nearest_neighbour", "cnn"),
        ("one_sided_selection", "oss"),
        ("neighbourhood_cleaning_rule", "ncr"),
        ("near_miss", "nearmiss"),
    ];

    /// Stable short id: the JSON `kind` (and link value), except NearMiss, whose name carries its
    /// `version` (`nearmiss2`) while its tag is `nearmiss`.
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
            SamplerSpec::SmoteEnn(_) => "smote_enn",
            SamplerSpec::SmoteTomek(_) => "smote_tomek",
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
            | SamplerSpec::SvmSmote(_)
            | SamplerSpec::SmoteEnn(_)
            | SamplerSpec::SmoteTomek(_) => Some(SamplerFamily::Over),
            SamplerSpec::RandomUnderSampler(_)
            | SamplerSpec::NearMiss(_)
            | SamplerSpec::ClusterCentroids(_) => Some(SamplerFamily::Under),
            SamplerSpec::TomekLinks(_)
            | SamplerSpec::EditedNearestNeighbours(_)
            | SamplerSpec::RepeatedEditedNearestNeighbours(_)
            | SamplerSpec::AllKnn(_)
            | SamplerSpec::CondensedNearestNeighbour(_)
            | SamplerSpec::OneSidedSelection(_)
            | SamplerSpec::NeighbourhoodCleaningRule(_) => Some(SamplerFamily::Clean),
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
            SamplerSpec::SmoteEnn(s) => s.validate(),
            SamplerSpec::SmoteTomek(s) => s.validate(),
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
            SamplerSpec::SmoteEnn(s) => s.apply(train, rng),
            SamplerSpec::SmoteTomek(s) => s.apply(train, rng),
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
