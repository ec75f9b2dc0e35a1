//! Neighbourhood Cleaning Rule: removes (A1) the rows an ENN with `kind_sel = mode` removes and
//! (A2) the neighbours, from large enough targeted classes, of every minority row that its own
//! k-NN vote misclassifies.
//!
//! Paper: J. Laurikkala, "Improving identification of difficult small classes by balancing class
//! distribution", AIME 2001. Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_selection/_neighbourhood_cleaning_rule.py`
//! (`NeighbourhoodCleaningRule`; `methods-spec.md` §A.14). As in the reference (and unlike the
//! paper), a minority row takes part in its own vote: scikit-learn's `predict` on training rows
//! finds the row itself first. Kept-index sets are tested equal to the reference's
//! `sample_indices_`.

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::{check_n_neighbors, EditedNearestNeighbours, KindSel};
use super::neighbour_vote::{class_rows, gather, too_few_rows, vote};
use super::{removed_rows, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::kneighbors;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NeighbourhoodCleaningRule {
    /// Cleaning strategy: which classes may lose rows (default: all but the minority).
    pub sampling_strategy: SamplingStrategy,
    /// Neighbours for both the ENN step and the minority vote.
    pub n_neighbors: usize,
    /// A targeted class is cleaned near the minority only if it has more than
    /// `threshold_cleaning × n_minority` rows.
    pub threshold_cleaning: f64,
}

impl Default for NeighbourhoodCleaningRule {
    fn default() -> Self {
        NeighbourhoodCleaningRule {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 3,
            threshold_cleaning: 0.5,
        }
    }
}

/// What NCR removed, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NcrOutcome {
    /// Kept rows in original order.
    pub kept: Vec<usize>,
    /// A1: rows the ENN step removed, ascending.
    pub removed_by_enn: Vec<usize>,
    /// A2: neighbours of misclassified minority rows that were removed, ascending.
    pub removed_near_minority: Vec<usize>,
    /// Minority rows misclassified by their k-NN vote, ascending.
    pub misclassified_minority: Vec<usize>,
    /// Classes large enough to be cleaned near the minority.
    pub classes_to_clean: Vec<usize>,
}

impl NeighbourhoodCleaningRule {
    pub fn validate(&self) -> Result<()> {
        check_n_neighbors(self.n_neighbors)?;
        if !(self.threshold_cleaning.is_finite() && self.threshold_cleaning > 0.0) {
            return Err(EngineError::config(
                "threshold_cleaning",
                format!(
                    "must be a positive number (got {}); 0.5 cleans classes larger than half the minority",
                    self.threshold_cleaning
                ),
            ));
        }
        Ok(())
    }

    pub fn run(&self, data: &Dataset) -> Result<NcrOutcome> {
        self.validate()?;
        let k = self.n_neighbors;
        let enn = EditedNearestNeighbours {
            sampling_strategy: self.sampling_strategy.clone(),
            n_neighbors: k,
            kind_sel: KindSel::Mode,
        };
        let removed_by_enn = removed_rows(data.len(), &enn.sample_indices(data)?);

        let counts = data.class_counts();
        let plan = self
            .sampling_strategy
            .resolve(&counts, SamplerFamily::Clean)?;
        let minority = plan.minority();
        let classes_to_clean: Vec<usize> = (0..data.n_classes)
            .filter(|&c| {
                plan.is_targeted(c)
                    && counts[c] as f64 > counts[minority] as f64 * self.threshold_cleaning
            })
            .collect();

        if k + 1 > data.len() {
            return Err(too_few_rows(
                "n_neighbors",
                k + 1,
                data.len(),
                "the training split",
            ));
        }
        // One query of k + 1 neighbours serves both steps: the first k (the row itself first) are
        // the vote; the last k (first dropped) are the neighbours that may be removed.
        let minority_rows = class_rows(data, minority);
        let nn = kneighbors(
            &data.x,
            &gather(data, &minority_rows),
            data.n_features,
            k + 1,
        );
        let mut remove = vec![false; data.len()];
        for &i in &removed_by_enn {
            remove[i] = true;
        }
        let mut near = vec![false; data.len()];
        let mut misclassified_minority = Vec::new();
        for (&i, hood) in minority_rows.iter().zip(nn.chunks(k + 1)) {
            let predicted = vote(hood[..k].iter().map(|&j| data.y[j]), data.n_classes);
            if predicted == minority {
                continue;
            }
            misclassified_minority.push(i);
            for &j in &hood[1..] {
                if classes_to_clean.contains(&data.y[j]) {
                    near[j] = true;
                }
            }
        }
        let removed_near_minority: Vec<usize> = (0..data.len()).filter(|&j| near[j]).collect();
        for &j in &removed_near_minority {
            remove[j] = true;
        }
        Ok(NcrOutcome {
            kept: (0..data.len()).filter(|&i| !remove[i]).collect(),
            removed_by_enn,
            removed_near_minority,
            misclassified_minority,
            classes_to_clean,
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
