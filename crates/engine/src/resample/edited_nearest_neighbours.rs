//! Edited Nearest Neighbours: a row of a targeted class is removed when its k nearest neighbours
//! disagree with its label (`all`: any neighbour of another class; `mode`: the neighbours' most
//! frequent label is another class).
//!
//! Paper: D. L. Wilson, "Asymptotic properties of nearest neighbor rules using edited data", IEEE
//! Trans. SMC 2(3) (1972). Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_selection/_edited_nearest_neighbours.py` (`EditedNearestNeighbours`;
//! `methods-spec.md` §A.9). Kept-index sets are tested equal to the reference's `sample_indices_`.

use serde::{Deserialize, Serialize};

use super::neighbour_vote::{class_rows, gather, too_few_rows, vote};
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::KnnIndex;

/// How the neighbours' labels decide whether a row stays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindSel {
    /// Keep a row only if all k neighbours share its class (removes more).
    #[default]
    All,
    /// Keep a row if the neighbours' most frequent label (ties: smallest label) is its class.
    Mode,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditedNearestNeighbours {
    /// Cleaning strategy: which classes may lose rows (default: all but the minority).
    pub sampling_strategy: SamplingStrategy,
    pub n_neighbors: usize,
    pub kind_sel: KindSel,
}

impl Default for EditedNearestNeighbours {
    fn default() -> Self {
        EditedNearestNeighbours {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 3,
            kind_sel: KindSel::All,
        }
    }
}

pub(crate) fn check_n_neighbors(k: usize) -> Result<()> {
    if k == 0 {
        return Err(EngineError::config(
            "n_neighbors",
            "must be at least 1 (the number of neighbours that judge each row)",
        ));
    }
    Ok(())
}

impl EditedNearestNeighbours {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)
    }

    /// Kept rows grouped by class (ascending), original order inside each class.
    pub fn sample_indices(&self, data: &Dataset) -> Result<Vec<usize>> {
        self.validate()?;
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Clean)?;
        let k = self.n_neighbors;
        if k + 1 > data.len() {
            return Err(too_few_rows(
                "n_neighbors",
                k + 1,
                data.len(),
                "the training split",
            ));
        }
        let mut kept = Vec::with_capacity(data.len());
        let index = KnnIndex::new(&data.x, data.n_features);
        // When most rows are judged (the usual case: all but the minority), one self-join of the
        // whole split scores each pair once for both rows; its rows equal per-class queries.
        let judged: usize = (0..data.n_classes)
            .filter(|&c| plan.is_targeted(c))
            .map(|c| plan.current[c])
            .sum();
        let everyone = (2 * judged >= data.len()).then(|| index.query_self(k + 1));
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            if !plan.is_targeted(class) {
                kept.extend_from_slice(&rows);
                continue;
            }
            // k + 1 neighbours with the first dropped: the reference assumes it is the row itself.
            let nn = match &everyone {
                Some(all) => rows
                    .iter()
                    .flat_map(|&i| all[i * (k + 1)..(i + 1) * (k + 1)].iter().copied())
                    .collect(),
                None => index.query(&gather(data, &rows), k + 1),
            };
            for (&i, hood) in rows.iter().zip(nn.chunks(k + 1)) {
                let labels = hood[1..].iter().map(|&j| data.y[j]);
                let keep = match self.kind_sel {
                    KindSel::All => labels.into_iter().all(|l| l == class),
                    KindSel::Mode => vote(labels, data.n_classes) == class,
                };
                if keep {
                    kept.push(i);
                }
            }
        }
        Ok(kept)
    }

    pub fn fit_resample(&self, data: &Dataset) -> Result<Resampled> {
        let kept = self.sample_indices(data)?;
        Ok(Resampled::from_kept(data, &kept))
    }
}
