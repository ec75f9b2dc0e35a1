//! One-Sided Selection: for each targeted class, keep a few random seed rows plus every row that a
//! k-NN fitted once on (minority ∪ seeds) misclassifies; then remove the targeted members of the
//! Tomek links of what remains.
//!
//! Paper: M. Kubat, S. Matwin, "Addressing the curse of imbalanced training sets: one-sided
//! selection", ICML 1997. Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_selection/_one_sided_selection.py` (`OneSidedSelection`;
//! `methods-spec.md` §A.13). Kept-index sets are tested equal to the reference's `sample_indices_`
//! given the same seed rows. Seeds are distinct here (the reference may draw a row twice and then
//! keeps it twice); when the reference's seeds are distinct the results are identical.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::condensed_nearest_neighbour::{check_seeds, draw_seeds};
use super::edited_nearest_neighbours::check_n_neighbors;
use super::neighbour_vote::{class_rows, knn_predict};
use super::tomek_links::TomekLinks;
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OneSidedSelection {
    /// Cleaning strategy: which classes are reduced (default: all but the minority).
    pub sampling_strategy: SamplingStrategy,
    /// Neighbours of the k-NN classifier (the reference's `None` is 1).
    pub n_neighbors: usize,
    /// Random seed rows of each targeted class (`n_seeds_S`).
    pub n_seeds_s: usize,
}

impl Default for OneSidedSelection {
    fn default() -> Self {
        OneSidedSelection {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 1,
            n_seeds_s: 1,
        }
    }
}

/// What OSS did.
#[derive(Clone, Debug, PartialEq)]
pub struct OssOutcome {
    /// Kept rows: classes in ascending order; inside a targeted class, seeds then misclassified rows.
    pub kept: Vec<usize>,
    pub seeds: BTreeMap<usize, Vec<usize>>,
    /// Rows of targeted classes dropped by the k-NN step (classified correctly), ascending.
    pub removed_by_selection: Vec<usize>,
    /// Tomek links among the selected rows, as pairs of rows of the original data (smaller first).
    pub tomek_links: Vec<(usize, usize)>,
    /// Rows removed by the Tomek step, ascending.
    pub removed_by_tomek: Vec<usize>,
}

impl OneSidedSelection {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)?;
        if self.n_seeds_s == 0 {
            return Err(EngineError::config(
                "n_seeds_s",
                "must be at least 1 (seed rows of each reduced class)",
            ));
        }
        Ok(())
    }

    /// Runs OSS with distinct seeds drawn from `rng`.
    pub fn run(&self, data: &Dataset, rng: &Rng) -> Result<OssOutcome> {
        self.validate()?;
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Clean)?;
        let seeds = draw_seeds(
            data,
            &plan,
            self.n_seeds_s,
            false,
            rng,
            "one_sided_selection",
        );
        self.run_with_seeds(data, &seeds)
    }

    /// Runs OSS from the given seed rows (class → rows of that class; repeats are ignored).
    pub fn run_with_seeds(
        &self,
        data: &Dataset,
        seeds: &BTreeMap<usize, Vec<usize>>,
    ) -> Result<OssOutcome> {
        self.validate()?;
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Clean)?;
        check_seeds(data, &plan, seeds)?;
        let minority_rows = class_rows(data, plan.minority());
        let mut selected = Vec::with_capacity(data.len());
        let mut removed_by_selection = Vec::new();
        let mut targeted = Vec::new();
        let mut used_seeds = BTreeMap::new();
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            if !plan.is_targeted(class) {
                selected.extend_from_slice(&rows);
                continue;
            }
            targeted.push(class);
            let mut class_seeds: Vec<usize> = Vec::new();
            for &s in &seeds[&class] {
                if !class_seeds.contains(&s) {
                    class_seeds.push(s);
                }
            }
            // The reference fits on minority ++ seeds even when the class is the minority itself.
            let mut fit = minority_rows.clone();
            fit.extend_from_slice(&class_seeds);
            let rest: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|i| !class_seeds.contains(i))
                .collect();
            let predicted = knn_predict(data, &fit, &rest, self.n_neighbors)?;
            selected.extend_from_slice(&class_seeds);
            for (&i, &p) in rest.iter().zip(&predicted) {
                if p != class {
                    selected.push(i);
                } else {
                    removed_by_selection.push(i);
                }
            }
            used_seeds.insert(class, class_seeds);
        }
        removed_by_selection.sort_unstable();

        let sub = data.select(&selected);
        let tomek = TomekLinks {
            sampling_strategy: SamplingStrategy::Classes(targeted),
        };
        let cleaned = tomek.run(&sub)?;
        let kept: Vec<usize> = cleaned.kept.iter().map(|&i| selected[i]).collect();
        let mut removed_by_tomek: Vec<usize> =
            cleaned.removed.iter().map(|&i| selected[i]).collect();
        removed_by_tomek.sort_unstable();
        let tomek_links = cleaned
            .links
            .iter()
            .map(|&(a, b)| (selected[a].min(selected[b]), selected[a].max(selected[b])))
            .collect();
        Ok(OssOutcome {
            kept,
            seeds: used_seeds,
            removed_by_selection,
            tomek_links,
            removed_by_tomek,
        })
    }

    pub fn fit_resample(&self, data: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let kept = self.run(data, rng)?.kept;
        Ok(Resampled::from_kept(data, &kept))
    }
}
