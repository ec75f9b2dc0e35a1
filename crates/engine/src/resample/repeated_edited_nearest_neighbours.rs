//! Repeated Edited Nearest Neighbours: ENN applied again and again to its own output until nothing
//! changes, a class shrinks below the original minority count, a class vanishes, or `max_iter`.
//!
//! Paper: I. Tomek, "An experiment with the edited nearest-neighbor rule", IEEE Trans. SMC 6(6)
//! (1976). Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_selection/_edited_nearest_neighbours.py`
//! (`RepeatedEditedNearestNeighbours`; `methods-spec.md` §A.10). Kept-index sets and `n_iter_` are
//! tested equal to the reference's.

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::{check_n_neighbors, EditedNearestNeighbours, KindSel};
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepeatedEditedNearestNeighbours {
    /// Cleaning strategy, re-resolved on each pass's input (as the reference's inner ENN does).
    pub sampling_strategy: SamplingStrategy,
    pub n_neighbors: usize,
    pub max_iter: usize,
    pub kind_sel: KindSel,
}

impl Default for RepeatedEditedNearestNeighbours {
    fn default() -> Self {
        RepeatedEditedNearestNeighbours {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 3,
            max_iter: 100,
            kind_sel: KindSel::All,
        }
    }
}

/// What RENN did: the kept rows, how many passes ran, and the rows each pass removed.
#[derive(Clone, Debug, PartialEq)]
pub struct RennOutcome {
    /// Kept rows, grouped by class (ascending), original order inside each class.
    pub kept: Vec<usize>,
    /// Passes applied (the reference's `n_iter_`).
    pub n_iter: usize,
    /// Rows (indices into the original data) removed by each pass, ascending.
    pub removed_per_pass: Vec<Vec<usize>>,
}

/// The stopping rule shared by RENN and AllKNN: after a pass, does a non-minority class hold fewer
/// rows than the original minority, and has a class vanished?
pub(crate) fn shrink_checks(
    original: &[usize],
    minority: usize,
    current: &[usize],
) -> (bool, bool) {
    let below_minority = (0..current.len())
        .any(|c| c != minority && current[c] > 0 && current[c] < original[minority]);
    let present = |v: &[usize]| v.iter().filter(|&&n| n > 0).count();
    (below_minority, present(current) < present(original))
}

/// One ENN pass on the rows `current` of `data`; returns the kept rows as indices into `data`.
pub(crate) fn enn_pass(
    data: &Dataset,
    current: &[usize],
    enn: &EditedNearestNeighbours,
) -> Result<Vec<usize>> {
    let local = enn.sample_indices(&data.select(current))?;
    Ok(local.into_iter().map(|i| current[i]).collect())
}

pub(crate) fn removed_between(before: &[usize], after: &[usize]) -> Vec<usize> {
    let mut a = after.to_vec();
    a.sort_unstable();
    let mut r: Vec<usize> = before
        .iter()
        .copied()
        .filter(|i| a.binary_search(i).is_err())
        .collect();
    r.sort_unstable();
    r
}

impl RepeatedEditedNearestNeighbours {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)?;
        if self.max_iter == 0 {
            return Err(EngineError::config(
                "max_iter",
                "must be at least 1 (the largest number of ENN passes)",
            ));
        }
        Ok(())
    }

    pub fn run(&self, data: &Dataset) -> Result<RennOutcome> {
        self.validate()?;
        let original = data.class_counts();
        // Resolving here also rejects strategies a cleaning sampler cannot take.
        let plan = self
            .sampling_strategy
            .resolve(&original, SamplerFamily::Clean)?;
        let minority = plan.minority();
        let enn = EditedNearestNeighbours {
            sampling_strategy: self.sampling_strategy.clone(),
            n_neighbors: self.n_neighbors,
            kind_sel: self.kind_sel,
        };
        let mut current: Vec<usize> = (0..data.len()).collect();
        let mut removed_per_pass = Vec::new();
        let mut n_iter = 0;
        for _ in 0..self.max_iter {
            n_iter += 1;
            let next = enn_pass(data, &current, &enn)?;
            let converged = next.len() == current.len();
            removed_per_pass.push(removed_between(&current, &next));
            let mut counts = vec![0; data.n_classes];
            for &i in &next {
                counts[data.y[i]] += 1;
            }
            let (below_minority, vanished) = shrink_checks(&original, minority, &counts);
            current = next;
            if converged || below_minority || vanished {
                break;
            }
        }
        Ok(RennOutcome {
            kept: current,
            n_iter,
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
