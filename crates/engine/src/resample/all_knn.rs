//! AllKNN: ENN applied with k = 1, 2, …, n_neighbors in turn, each pass on the previous output,
//! stopping early when a non-minority class falls below the original minority count (unless
//! `allow_minority`) or a class vanishes.
//!
//! Paper: I. Tomek, "An experiment with the edited nearest-neighbor rule", IEEE Trans. SMC 6(6)
//! (1976). Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_selection/_edited_nearest_neighbours.py` (`AllKNN`;
//! `methods-spec.md` §A.11). Kept-index sets are tested equal to the reference's `sample_indices_`.
//!
//! As in the reference, each pass re-resolves `sampling_strategy` on its own input: with
//! `allow_minority`, once a class shrinks below the original minority it becomes the minority for
//! `auto`, and the original minority is cleaned from then on (fixture `c`, k = 5).

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::{check_n_neighbors, EditedNearestNeighbours, KindSel};
use super::repeated_edited_nearest_neighbours::{enn_pass, removed_between, shrink_checks};
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::Result;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AllKnn {
    /// Cleaning strategy, re-resolved on each pass's input (as the reference's inner ENN does).
    pub sampling_strategy: SamplingStrategy,
    /// The largest neighbourhood; passes use 1..=n_neighbors.
    pub n_neighbors: usize,
    pub kind_sel: KindSel,
    /// Do not stop when a non-minority class becomes smaller than the original minority.
    pub allow_minority: bool,
}

impl Default for AllKnn {
    fn default() -> Self {
        AllKnn {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 3,
            kind_sel: KindSel::All,
            allow_minority: false,
        }
    }
}

/// What AllKNN did: the kept rows and the rows removed by the pass with k = 1, 2, ….
#[derive(Clone, Debug, PartialEq)]
pub struct AllKnnOutcome {
    /// Kept rows, grouped by class (ascending), original order inside each class.
    pub kept: Vec<usize>,
    /// `removed_per_pass[k - 1]`: rows (indices into the original data) the pass with k removed.
    pub removed_per_pass: Vec<Vec<usize>>,
}

impl AllKnn {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)
    }

    pub fn run(&self, data: &Dataset) -> Result<AllKnnOutcome> {
        self.validate()?;
        let original = data.class_counts();
        let plan = self
            .sampling_strategy
            .resolve(&original, SamplerFamily::Clean)?;
        let minority = plan.minority();
        let mut current: Vec<usize> = (0..data.len()).collect();
        let mut removed_per_pass = Vec::new();
        for k in 1..=self.n_neighbors {
            let enn = EditedNearestNeighbours {
                sampling_strategy: self.sampling_strategy.clone(),
                n_neighbors: k,
                kind_sel: self.kind_sel,
            };
            let next = enn_pass(data, &current, &enn)?;
            removed_per_pass.push(removed_between(&current, &next));
            let mut counts = vec![0; data.n_classes];
            for &i in &next {
                counts[data.y[i]] += 1;
            }
            let (below_minority, vanished) = shrink_checks(&original, minority, &counts);
            current = next;
            if (below_minority && !self.allow_minority) || vanished {
                break;
            }
        }
        Ok(AllKnnOutcome {
            kept: current,
            removed_per_pass,
        })
    }

    pub fn sample_indices(&self, data: &Dataset) -> Result<Vec<usize>> {
        Ok(self.run(data)?.kept)
    }

    pub fn fit_resample(&self, data: &Dataset) -> Result<Resampled> {
        let kept = self.sample_indices(data)?;
        Ok(Resampled::from_kept(data, &kept))
    }
}
