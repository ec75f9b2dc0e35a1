//! Tomek links: two rows of different classes that are each other's nearest neighbour. Removing
//! the targeted member of every link cleans the class border.
//!
//! Paper: I. Tomek, "Two modifications of CNN", IEEE Trans. SMC 6 (1976). Reference:
//! imbalanced-learn 0.14.2 `under_sampling/_prototype_selection/_tomek_links.py` (`TomekLinks`;
//! `methods-spec.md` §A.8). Kept-index sets are tested equal to the reference's `sample_indices_`.

use serde::{Deserialize, Serialize};

use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::neighbors::kneighbors_excluding_first;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TomekLinks {
    /// Cleaning strategy: which classes lose their end of a link (default: all but the minority).
    pub sampling_strategy: SamplingStrategy,
}

/// Nearest neighbour of every row (2-NN, first column dropped, as the reference does).
pub(crate) fn nearest(data: &Dataset) -> Vec<usize> {
    kneighbors_excluding_first(&data.x, data.n_features, 1)
}

fn in_link(data: &Dataset, nn: &[usize], i: usize) -> bool {
    let j = nn[i];
    data.y[j] != data.y[i] && nn[j] == i
}

/// Every Tomek link as a pair `(i, j)` with `i < j`, ascending by `i`: what the UI draws.
pub fn links(data: &Dataset) -> Vec<(usize, usize)> {
    if data.len() < 2 {
        return Vec::new();
    }
    links_from(data, &nearest(data))
}

pub(crate) fn links_from(data: &Dataset, nn: &[usize]) -> Vec<(usize, usize)> {
    (0..data.len())
        .filter(|&i| i < nn[i] && in_link(data, nn, i))
        .map(|i| (i, nn[i]))
        .collect()
}

/// What Tomek links did: every link found and the rows removed.
#[derive(Clone, Debug, PartialEq)]
pub struct TomekOutcome {
    /// Kept rows in original order.
    pub kept: Vec<usize>,
    /// Every link `(i, j)`, `i < j`, whether or not its ends were targeted.
    pub links: Vec<(usize, usize)>,
    /// Removed rows (targeted ends of links), ascending.
    pub removed: Vec<usize>,
}

impl TomekLinks {
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }

    pub fn run(&self, data: &Dataset) -> Result<TomekOutcome> {
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Clean)?;
        let nn = nearest(data);
        let (mut kept, mut removed) = (Vec::with_capacity(data.len()), Vec::new());
        for i in 0..data.len() {
            if plan.is_targeted(data.y[i]) && in_link(data, &nn, i) {
                removed.push(i);
            } else {
                kept.push(i);
            }
        }
        Ok(TomekOutcome {
            kept,
            links: links_from(data, &nn),
            removed,
        })
    }

    /// Kept rows in original order: every row except targeted members of a link.
    pub fn sample_indices(&self, data: &Dataset) -> Result<Vec<usize>> {
        Ok(self.run(data)?.kept)
    }

    pub fn fit_resample(&self, data: &Dataset) -> Result<Resampled> {
        let kept = self.sample_indices(data)?;
        Ok(Resampled::from_kept(data, &kept))
    }
}
