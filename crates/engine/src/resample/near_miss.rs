//! NearMiss 1/2/3: keep the rows of each targeted class that score best by their distances to the
//! minority class.
//!
//! * NearMiss-1: sum of distances to the k **nearest** minority rows; keep the smallest.
//! * NearMiss-2: sum of distances to the k **farthest** minority rows; keep the smallest.
//! * NearMiss-3: short-list the `n_neighbors_ver3` nearest rows of the class around every minority
//!   row, score them as NearMiss-1 does, keep the **largest**; may keep fewer than asked.
//!
//! Paper: I. Mani, J. Zhang, "kNN approach to unbalanced data distributions: a case study involving
//! information extraction", ICML Workshop on Learning from Imbalanced Datasets (2003). Reference:
//! imbalanced-learn 0.14.2 `under_sampling/_prototype_selection/_nearmiss.py` (`NearMiss`;
//! `methods-spec.md` §A.15). Kept-index sets are tested equal to the reference's `sample_indices_`.

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::check_n_neighbors;
use super::neighbour_vote::{class_rows, gather, too_few_rows};
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::{kneighbors, KnnIndex};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NearMiss {
    /// Under-sampling strategy: rows each targeted class keeps (default: as many as the minority).
    pub sampling_strategy: SamplingStrategy,
    /// 1, 2 or 3.
    pub version: u8,
    /// Minority rows each score is measured against.
    pub n_neighbors: usize,
    /// NearMiss-3 only: rows of the class short-listed around each minority row.
    pub n_neighbors_ver3: usize,
}

impl Default for NearMiss {
    fn default() -> Self {
        NearMiss {
            sampling_strategy: SamplingStrategy::Auto,
            version: 1,
            n_neighbors: 3,
            n_neighbors_ver3: 3,
        }
    }
}

/// Euclidean distance of two rows (the reference's `NearestNeighbors` distance).
fn distance(q: &[f64], r: &[f64]) -> f64 {
    q.iter()
        .zip(r)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

/// Distances from `q` to every row of `set` (row-major), ascending.
fn sorted_distances(q: &[f64], set: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = set.chunks_exact(q.len()).map(|r| distance(q, r)).collect();
    d.sort_unstable_by(f64::total_cmp);
    d
}

/// What NearMiss did.
#[derive(Clone, Debug, PartialEq)]
pub struct NearMissOutcome {
    /// Kept rows: classes in ascending order; inside a targeted class, best score first.
    pub kept: Vec<usize>,
    /// `(class, asked, kept)` for every targeted class that kept fewer rows than asked (NearMiss-3
    /// when its short-list is smaller than the target; the reference only warns).
    pub shortfalls: Vec<(usize, usize, usize)>,
}

impl NearMiss {
    /// The short id used in links: `nearmiss1`, `nearmiss2` or `nearmiss3`.
    pub fn name(&self) -> &'static str {
        match self.version {
            2 => "nearmiss2",
            3 => "nearmiss3",
            _ => "nearmiss1",
        }
    }

    pub fn validate(&self) -> Result<()> {
        if !(1..=3).contains(&self.version) {
            return Err(EngineError::config(
                "version",
                format!("NearMiss has versions 1, 2 and 3 (got {})", self.version),
            ));
        }
        check_n_neighbors(self.n_neighbors)?;
        if self.n_neighbors_ver3 == 0 {
            return Err(EngineError::config(
                "n_neighbors_ver3",
                "must be at least 1 (rows short-listed around each minority row)",
            ));
        }
        Ok(())
    }

    /// Kept rows: classes in ascending order; inside a targeted class, best score first.
    pub fn sample_indices(&self, data: &Dataset) -> Result<Vec<usize>> {
        Ok(self.run(data)?.kept)
    }

    pub fn run(&self, data: &Dataset) -> Result<NearMissOutcome> {
        self.validate()?;
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Under)?;
        let minority = plan.minority();
        let minority_rows = class_rows(data, minority);
        let minority_x = gather(data, &minority_rows);
        let n_min = minority_rows.len();
        let k = self.n_neighbors;
        // The reference fits its k-NN on the minority rows: asking for more is an error there,
        // except NearMiss-2, which queries all minority rows and sums the last k of them.
        if self.version != 2 && k > n_min {
            return Err(too_few_rows("n_neighbors", k, n_min, "the minority class"));
        }
        // NearMiss-1/-3 only need the k nearest minority rows: their distances, ascending, are
        // the first k of the full sorted list (same values, same summation order), so a k-NN
        // query replaces sorting every distance. NearMiss-2 needs the farthest: full sort.
        let nearest = (self.version != 2).then(|| KnnIndex::new(&minority_x, data.n_features));
        let d = data.n_features;
        let scores_of = |rows: &[usize]| -> Vec<f64> {
            match &nearest {
                Some(index) => {
                    let nn = index.query(&gather(data, rows), k);
                    rows.iter()
                        .zip(nn.chunks_exact(k))
                        .map(|(&r, hood)| {
                            let q = data.row(r);
                            hood.iter()
                                .map(|&j| distance(q, &minority_x[j * d..(j + 1) * d]))
                                .sum()
                        })
                        .collect()
                }
                None => rows
                    .iter()
                    .map(|&r| {
                        let dist = sorted_distances(data.row(r), &minority_x);
                        dist[dist.len().saturating_sub(k)..].iter().sum()
                    })
                    .collect(),
            }
        };
        let mut kept = Vec::new();
        let mut shortfalls = Vec::new();
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            let Some(keep) = plan.targets[class] else {
                kept.extend_from_slice(&rows);
                continue;
            };
            // Candidates as positions inside the class.
            let candidates: Vec<usize> = if self.version == 3 {
                let k3 = self.n_neighbors_ver3;
                if k3 > rows.len() {
                    return Err(too_few_rows(
                        "n_neighbors_ver3",
                        k3,
                        rows.len(),
                        &format!("class {class}"),
                    ));
                }
                let nn = kneighbors(&gather(data, &rows), &minority_x, data.n_features, k3);
                let mut short = nn;
                short.sort_unstable();
                short.dedup();
                short
            } else {
                (0..rows.len()).collect()
            };
            let candidate_rows: Vec<usize> = candidates.iter().map(|&p| rows[p]).collect();
            let scores = scores_of(&candidate_rows);
            let mut order: Vec<usize> = (0..candidates.len()).collect();
            // Stable sorts: equal scores keep the original order, as Python's `sorted` does.
            if self.version == 3 {
                order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
            } else {
                order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
            }
            if candidates.len() < keep {
                shortfalls.push((class, keep, candidates.len()));
            }
            kept.extend(order.into_iter().take(keep).map(|o| rows[candidates[o]]));
        }
        Ok(NearMissOutcome { kept, shortfalls })
    }

    pub fn fit_resample(&self, data: &Dataset) -> Result<Resampled> {
        let kept = self.sample_indices(data)?;
        Ok(Resampled::from_kept(data, &kept))
    }
}
