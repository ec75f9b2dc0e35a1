//! Borderline-SMOTE 1 and 2 — Han, Wang, Mao, "Borderline-SMOTE: A New Over-Sampling Method in
//! Imbalanced Data Sets Learning", ICIC 2005. Reference: imbalanced-learn 0.14.2
//! `over_sampling/_smote/filter.py` (`BorderlineSMOTE`) and `_smote/base.py::_in_danger_noise`;
//! methods-spec.md §A.4. Reference-code semantics: pairs drawn uniformly as in SMOTE, and for
//! Borderline-2 the gap toward an other-class neighbour is λ·μ with μ ~ U[0, 0.5) (spec §F.2).
//! Tested in `tests/over_samplers.rs` (danger/noise sets, counts, replayed draws).

use serde::{Deserialize, Serialize};

use super::smote::{check_k, too_few};
use super::synthesis::{class_rows, draw_pairs, gather, Growing};
use super::{Diagnostics, PointRole, Resampled, RowRole, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::{kneighbors_excluding_first_of, KnnIndex};
use crate::rng::Rng;

/// Borderline-SMOTE-1 interpolates toward same-class neighbours only; -2 toward any neighbour,
/// shortening the step toward other classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BorderlineKind {
    One,
    Two,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BorderlineSmote {
    pub sampling_strategy: SamplingStrategy,
    /// Neighbours to interpolate toward.
    pub k_neighbors: usize,
    /// Neighbours (whole training split) that decide danger / safe / noise.
    pub m_neighbors: usize,
}

impl Default for BorderlineSmote {
    fn default() -> Self {
        BorderlineSmote {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 5,
            m_neighbors: 10,
        }
    }
}

/// For each row in `rows`, how many of its `m` nearest neighbours in the whole training split
/// (`kneighbors(...)[:, 1:]` with m+1) are not of `class`.
pub(crate) fn other_class_counts(
    train: &Dataset,
    rows: &[usize],
    class: usize,
    m: usize,
    method: &str,
    key: &str,
) -> Result<Vec<usize>> {
    let index = KnnIndex::new(&train.x, train.n_features);
    other_class_counts_in(&index, train, rows, class, m, method, key)
}

/// [`other_class_counts`] with a k-NN index over the whole training split built once by the
/// caller (one per sampler call rather than one per class).
pub(crate) fn other_class_counts_in(
    index: &KnnIndex,
    train: &Dataset,
    rows: &[usize],
    class: usize,
    m: usize,
    method: &str,
    key: &str,
) -> Result<Vec<usize>> {
    if train.len() <= m {
        return Err(EngineError::Data(format!(
            "{method} needs more than {key} = {m} rows in the training split, it has {}; lower {key}",
            train.len()
        )));
    }
    let q = gather(train, rows);
    let table = index.query_excluding_first(&q, m);
    Ok(table
        .chunks(m)
        .map(|nb| nb.iter().filter(|&&j| train.y[j] != class).count())
        .collect())
}

impl BorderlineSmote {
    pub fn validate(&self) -> Result<()> {
        check_k("k_neighbors", self.k_neighbors)?;
        check_k("m_neighbors", self.m_neighbors)
    }

    pub fn apply(&self, kind: BorderlineKind, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let (k, m) = (self.k_neighbors, self.m_neighbors);
        let method = match kind {
            BorderlineKind::One => "Borderline-SMOTE-1",
            BorderlineKind::Two => "Borderline-SMOTE-2",
        };
        let extra = (0..plan.current.len()).map(|c| plan.to_generate(c)).sum();
        let mut out = Growing::with_room(train, extra);
        let mut diag = Diagnostics::default();
        let whole = KnnIndex::new(&train.x, train.n_features);
        for class in 0..plan.current.len() {
            let s = plan.to_generate(class);
            if s == 0 {
                continue;
            }
            let rows = class_rows(train, class);
            let other =
                other_class_counts_in(&whole, train, &rows, class, m, method, "m_neighbors")?;
            let mut danger = Vec::new();
            for (&i, &o) in rows.iter().zip(&other) {
                let role = PointRole::classify(o, m);
                if role == PointRole::Danger {
                    danger.push(i);
                }
                diag.roles.push(RowRole {
                    index: i,
                    class,
                    role,
                    other_neighbors: o,
                });
            }
            if danger.is_empty() {
                diag.notes.push(format!(
                    "class {class}: no row is in danger (m/2 ≤ other-class neighbours < m), so {method} generated nothing for it and it stays at {} rows instead of {}",
                    rows.len(),
                    rows.len() + s
                ));
                continue;
            }
            let table = match kind {
                BorderlineKind::One => {
                    if rows.len() <= k {
                        return Err(too_few(method, class, rows.len(), k, "k_neighbors"));
                    }
                    // Neighbours of the danger rows among the class's rows, first column dropped.
                    let xc = gather(train, &rows);
                    let xd = gather(train, &danger);
                    kneighbors_excluding_first_of(&xc, &xd, train.n_features, k)
                        .into_iter()
                        .map(|j| rows[j])
                        .collect::<Vec<_>>()
                }
                BorderlineKind::Two => {
                    if train.len() <= k {
                        return Err(EngineError::Data(format!(
                            "{method} needs more than k_neighbors = {k} rows in the training split, it has {}; lower k_neighbors",
                            train.len()
                        )));
                    }
                    let xd = gather(train, &danger);
                    whole.query_excluding_first(&xd, k)
                }
            };
            let mut r = rng.fork(method, class as u64);
            let mut draws = draw_pairs(&danger, &table, k, s, 1.0, &mut r);
            if kind == BorderlineKind::Two {
                let mut g = rng.fork("borderline2-gap", class as u64);
                for d in draws.iter_mut().filter(|d| train.y[d.neighbor] != class) {
                    d.gap = Some(0.5 * g.uniform());
                }
            }
            out.push_draws(train, class, &draws);
        }
        let (data, origin) = out.into_dataset(train);
        Ok(Resampled {
            data,
            origin,
            diagnostics: diag,
        })
    }
}
