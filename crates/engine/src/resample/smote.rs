//! SMOTE — Chawla, Bowyer, Hall, Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling Technique",
//! JAIR 16:321–357 (2002). Reference: imbalanced-learn 0.14.2 `over_sampling/_smote/base.py`
//! (`SMOTE._fit_resample`, `_make_samples`); methods-spec.md §A.3. Follows the reference code, not the
//! paper: (base, neighbour) pairs are drawn uniformly with replacement (spec §F.1).
//! Tested in `tests/over_samplers.rs` (counts, neighbour tables, replayed draws, draw distribution).

use serde::{Deserialize, Serialize};

use super::synthesis::{class_rows, draw_pairs, gather, Draw, Growing};
use super::{Diagnostics, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::kneighbors_excluding_first;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Smote {
    pub sampling_strategy: SamplingStrategy,
    /// Neighbours (of the same class) to interpolate toward.
    pub k_neighbors: usize,
}

impl Default for Smote {
    fn default() -> Self {
        Smote {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 5,
        }
    }
}

pub(crate) fn check_k(key: &str, k: usize) -> Result<()> {
    if k == 0 {
        return Err(EngineError::config(key, "must be at least 1"));
    }
    Ok(())
}

/// The error for a class too small for its own k-NN (the reference fails with "Expected
/// n_neighbors <= n_samples_fit").
pub(crate) fn too_few(
    method: &str,
    class: usize,
    count: usize,
    k: usize,
    key: &str,
) -> EngineError {
    EngineError::Data(format!(
        "{method} needs at least {key}+1 = {} samples of class {class} in the training split, it has {count}; lower {key} or the ratio",
        k + 1
    ))
}

/// Same-class neighbour table of `rows` (training-split indices, ascending), k per row, as
/// training-split indices: imblearn's `NearestNeighbors(k+1).fit(X_c).kneighbors(X_c)[:, 1:]`.
pub(crate) fn class_neighbors(train: &Dataset, rows: &[usize], k: usize) -> Vec<usize> {
    let xc = gather(train, rows);
    kneighbors_excluding_first(&xc, train.n_features, k)
        .into_iter()
        .map(|j| rows[j])
        .collect()
}

impl Smote {
    pub fn validate(&self) -> Result<()> {
        check_k("k_neighbors", self.k_neighbors)
    }

    /// The draws for one class: `count` pairs among its rows and their k same-class neighbours.
    pub fn draws_for_class(
        &self,
        train: &Dataset,
        class: usize,
        count: usize,
        rng: &mut Rng,
    ) -> Result<Vec<Draw>> {
        let k = self.k_neighbors;
        let rows = class_rows(train, class);
        if rows.len() <= k {
            return Err(too_few("SMOTE", class, rows.len(), k, "k_neighbors"));
        }
        let table = class_neighbors(train, &rows, k);
        Ok(draw_pairs(&rows, &table, k, count, 1.0, rng))
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let extra = (0..plan.current.len()).map(|c| plan.to_generate(c)).sum();
        let mut out = Growing::with_room(train, extra);
        for class in 0..plan.current.len() {
            let s = plan.to_generate(class);
            if s == 0 {
                continue;
            }
            let draws =
                self.draws_for_class(train, class, s, &mut rng.fork("smote", class as u64))?;
            out.push_draws(train, class, &draws);
        }
        let (data, origin) = out.into_dataset(train);
        Ok(Resampled {
            data,
            origin,
            diagnostics: Diagnostics::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_class_is_explained() {
        // methods-spec.md §A.3: n_c = 5, k = 5 fails; k = 4 works.
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut r = Rng::from_seed(0);
        for i in 0..105 {
            x.push(r.normal() + if i >= 100 { 3.0 } else { 0.0 });
            x.push(r.normal());
            y.push(usize::from(i >= 100));
        }
        let train = Dataset::new(x, y, 2, 2);
        let e = Smote::default()
            .apply(&train, &mut Rng::from_seed(1))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "SMOTE needs at least k_neighbors+1 = 6 samples of class 1 in the training split, it has 5; lower k_neighbors or the ratio"
        );
        let ok = Smote {
            k_neighbors: 4,
            ..Default::default()
        }
        .apply(&train, &mut Rng::from_seed(1))
        .unwrap();
        assert_eq!(ok.data.class_counts(), vec![100, 100]);
    }
}
