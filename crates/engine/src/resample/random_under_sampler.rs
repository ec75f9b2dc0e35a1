//! Random under-sampling: each targeted class keeps a uniform random subset of its rows.
//!
//! Reference: imbalanced-learn 0.14.2 `under_sampling/_prototype_selection/_random_under_sampler.py`
//! (`RandomUnderSampler`; `methods-spec.md` §A.2). The draw uses the workbench's own stream
//! (one fork per class), so counts match the reference exactly but the chosen rows do not.

use serde::{Deserialize, Serialize};

use super::neighbour_vote::class_rows;
use super::{Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::rng::Rng;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RandomUnderSampler {
    pub sampling_strategy: SamplingStrategy,
    /// Draw with replacement (a kept row may appear several times).
    pub replacement: bool,
}

impl RandomUnderSampler {
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }

    /// Kept rows: classes in ascending order; inside a targeted class, in draw order.
    pub fn sample_indices(&self, data: &Dataset, rng: &mut Rng) -> Result<Vec<usize>> {
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Under)?;
        let mut kept = Vec::with_capacity(data.len());
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            match plan.targets[class] {
                None => kept.extend_from_slice(&rows),
                Some(keep) => {
                    // One fork per class: a class's draw does not depend on the classes before it.
                    let mut r = rng.fork("random_under_sampler", class as u64);
                    if self.replacement {
                        kept.extend((0..keep).map(|_| rows[r.below(rows.len())]));
                    } else {
                        kept.extend(
                            r.choose_distinct(rows.len(), keep)
                                .into_iter()
                                .map(|p| rows[p]),
                        );
                    }
                }
            }
        }
        Ok(kept)
    }

    pub fn fit_resample(&self, data: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let kept = self.sample_indices(data, rng)?;
        Ok(Resampled::from_kept(data, &kept))
    }
}
