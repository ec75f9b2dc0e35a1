//! Condensed Nearest Neighbour: for each targeted class, start from the minority rows plus a few
//! random seed rows of the class, visit the class's rows once in order, and add every row the k-NN
//! on the current set misclassifies. The class keeps what was added (a "consistent" subset).
//!
//! Paper: P. Hart, "The condensed nearest neighbor rule", IEEE Trans. IT 14(3) (1968); Hart repeats
//! passes until nothing changes, the reference does one pass, and so does the workbench. Reference:
//! imbalanced-learn 0.14.2 `under_sampling/_prototype_selection/_condensed_nearest_neighbour.py`
//! (`CondensedNearestNeighbour`; `methods-spec.md` §A.12, §F row 6).
//!
//! Two skip rules: by default a row is skipped when it is already in the set or currently classified
//! correctly (Hart's intent; tested against a Python re-implementation in the fixture script). With
//! `imblearn_compat` the reference's test is reproduced: it compares the row's position inside its
//! class with the *global* indices of the rows already chosen, so a row is also skipped whenever its
//! position happens to equal one of those indices (tested equal to the reference's
//! `sample_indices_` given the same seed rows). In compat mode the seeds are drawn with replacement
//! (as `randint`) and the whole minority class is reduced to its seeds when it is targeted.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::check_n_neighbors;
use super::neighbour_vote::{class_rows, gather, too_few_rows, vote};
use super::{Plan, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::kneighbors;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CondensedNearestNeighbour {
    /// Cleaning strategy: which classes are condensed (default: all but the minority).
    pub sampling_strategy: SamplingStrategy,
    /// Neighbours of the k-NN classifier (the reference's `None` is 1).
    pub n_neighbors: usize,
    /// Random seed rows of each targeted class that start the set (`n_seeds_S`).
    pub n_seeds_s: usize,
    /// Reproduce the reference's mixed-index skip test (see the module documentation).
    pub imblearn_compat: bool,
}

impl Default for CondensedNearestNeighbour {
    fn default() -> Self {
        CondensedNearestNeighbour {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 1,
            n_seeds_s: 1,
            imblearn_compat: false,
        }
    }
}

/// Checks `seeds` (class → rows) against the plan: each targeted class needs at least one seed
/// row of its own class.
pub(crate) fn check_seeds(
    data: &Dataset,
    plan: &Plan,
    seeds: &BTreeMap<usize, Vec<usize>>,
) -> Result<()> {
    for class in 0..data.n_classes {
        if !plan.is_targeted(class) {
            continue;
        }
        let rows = seeds.get(&class).map(Vec::as_slice).unwrap_or(&[]);
        if rows.is_empty() {
            return Err(EngineError::config(
                "seeds",
                format!("class {class} is targeted but has no seed row"),
            ));
        }
        if let Some(&bad) = rows
            .iter()
            .find(|&&i| i >= data.len() || data.y[i] != class)
        {
            return Err(EngineError::config(
                "seeds",
                format!("seed row {bad} is not a row of class {class}"),
            ));
        }
    }
    Ok(())
}

/// Draws `n_seeds` seed rows for each targeted class, one fork of `rng` per class. With
/// `with_replacement` a row may be drawn twice (the reference's `randint`); otherwise the seeds are
/// distinct (at most the class size).
pub(crate) fn draw_seeds(
    data: &Dataset,
    plan: &Plan,
    n_seeds: usize,
    with_replacement: bool,
    rng: &Rng,
    stream: &str,
) -> BTreeMap<usize, Vec<usize>> {
    let mut seeds = BTreeMap::new();
    for class in 0..data.n_classes {
        if !plan.is_targeted(class) {
            continue;
        }
        let rows = class_rows(data, class);
        let mut r = rng.fork(stream, class as u64);
        let picks: Vec<usize> = if with_replacement {
            (0..n_seeds).map(|_| rows[r.below(rows.len())]).collect()
        } else {
            r.choose_distinct(rows.len(), n_seeds)
                .into_iter()
                .map(|p| rows[p])
                .collect()
        };
        seeds.insert(class, picks);
    }
    seeds
}

/// A growing k-NN reference set.
struct Condensed<'a> {
    data: &'a Dataset,
    rows: Vec<usize>,
    x: Vec<f64>,
    k: usize,
}

impl<'a> Condensed<'a> {
    fn new(data: &'a Dataset, rows: Vec<usize>, k: usize) -> Self {
        let x = gather(data, &rows);
        Condensed { data, rows, x, k }
    }

    fn push(&mut self, row: usize) {
        self.rows.push(row);
        self.x.extend_from_slice(self.data.row(row));
    }

    fn predict(&self, row: usize) -> Result<usize> {
        if self.k > self.rows.len() {
            return Err(too_few_rows(
                "n_neighbors",
                self.k,
                self.rows.len(),
                "the condensed set",
            ));
        }
        let nn = kneighbors(&self.x, self.data.row(row), self.data.n_features, self.k);
        Ok(vote(
            nn.iter().map(|&j| self.data.y[self.rows[j]]),
            self.data.n_classes,
        ))
    }
}

/// What CNN did: the kept rows and the seeds that started each class.
#[derive(Clone, Debug, PartialEq)]
pub struct CnnOutcome {
    /// Kept rows: classes in ascending order; inside a condensed class, seeds then additions.
    /// In compat mode a row may appear twice, as in the reference.
    pub kept: Vec<usize>,
    pub seeds: BTreeMap<usize, Vec<usize>>,
}

impl CondensedNearestNeighbour {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)?;
        if self.n_seeds_s == 0 {
            return Err(EngineError::config(
                "n_seeds_s",
                "must be at least 1 (seed rows that start each condensed class)",
            ));
        }
        Ok(())
    }

    fn plan(&self, data: &Dataset) -> Result<Plan> {
        self.validate()?;
        self.sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Clean)
    }

    /// Runs CNN with seeds drawn from `rng`.
    pub fn run(&self, data: &Dataset, rng: &Rng) -> Result<CnnOutcome> {
        let plan = self.plan(data)?;
        let seeds = draw_seeds(
            data,
            &plan,
            self.n_seeds_s,
            self.imblearn_compat,
            rng,
            "condensed_nearest_neighbour",
        );
        self.run_with_seeds(data, &seeds)
    }

    /// Runs CNN from the given seed rows (class → rows of that class), e.g. the rows the reference
    /// draws for a given `random_state`.
    pub fn run_with_seeds(
        &self,
        data: &Dataset,
        seeds: &BTreeMap<usize, Vec<usize>>,
    ) -> Result<CnnOutcome> {
        let plan = self.plan(data)?;
        check_seeds(data, &plan, seeds)?;
        let minority_rows = class_rows(data, plan.minority());
        let mut kept = Vec::new();
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            if !plan.is_targeted(class) {
                kept.extend_from_slice(&rows);
                continue;
            }
            let class_seeds = &seeds[&class];
            if self.imblearn_compat {
                kept.extend(self.condense_compat(data, &minority_rows, &rows, class_seeds)?);
            } else {
                kept.extend(self.condense(data, &minority_rows, &rows, class_seeds, class)?);
            }
        }
        Ok(CnnOutcome {
            kept,
            seeds: seeds.clone(),
        })
    }

    /// Hart's intent in one pass: skip rows in the set or classified correctly; keep set ∩ class.
    fn condense(
        &self,
        data: &Dataset,
        minority_rows: &[usize],
        rows: &[usize],
        seeds: &[usize],
        class: usize,
    ) -> Result<Vec<usize>> {
        let mut in_set: HashSet<usize> = minority_rows.iter().copied().collect();
        let mut set = Condensed::new(data, minority_rows.to_vec(), self.n_neighbors);
        for &s in seeds {
            if in_set.insert(s) {
                set.push(s);
            }
        }
        for &i in rows {
            if in_set.contains(&i) {
                continue;
            }
            if set.predict(i)? != class {
                in_set.insert(i);
                set.push(i);
            }
        }
        Ok(set
            .rows
            .iter()
            .copied()
            .filter(|&i| data.y[i] == class)
            .collect())
    }

    /// The reference's loop: a row is skipped iff its *position in the class* equals the global
    /// index of a row already chosen (rows classified correctly are skipped there too, which is the
    /// same as predicting them and adding nothing). Keeps the seeds and additions, duplicates and all.
    fn condense_compat(
        &self,
        data: &Dataset,
        minority_rows: &[usize],
        rows: &[usize],
        seeds: &[usize],
    ) -> Result<Vec<usize>> {
        let class = data.y[seeds[0]];
        let mut chosen: Vec<usize> = seeds.to_vec();
        let mut chosen_set: HashSet<usize> = seeds.iter().copied().collect();
        let mut fit = minority_rows.to_vec();
        fit.extend_from_slice(seeds);
        let mut set = Condensed::new(data, fit, self.n_neighbors);
        for (position, &i) in rows.iter().enumerate() {
            if chosen_set.contains(&position) {
                continue;
            }
            if set.predict(i)? != class {
                chosen.push(i);
                chosen_set.insert(i);
                set.push(i);
            }
        }
        Ok(chosen)
    }

    pub fn fit_resample(&self, data: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let kept = self.run(data, rng)?.kept;
        Ok(Resampled::from_kept(data, &kept))
    }
}
