//! ADASYN — He, Bai, Garcia, Li, "ADASYN: Adaptive Synthetic Sampling Approach for Imbalanced
//! Learning", IJCNN 2008. Reference: imbalanced-learn 0.14.2 `over_sampling/_adasyn.py`;
//! methods-spec.md §A.5. Reference-code semantics (spec §F.3): g_i = rint(r̂_i·G) with numpy's
//! round-half-to-even, so the class total may miss G; no d_th threshold; Σr = 0 is an error.
//! Tested in `tests/over_samplers.rs` (r_i and g_i exact, counts, replayed draws, base frequencies).

use serde::{Deserialize, Serialize};

use super::borderline_smote::other_class_counts_in;
use super::smote::{check_k, class_neighbors, too_few};
use super::synthesis::{class_rows, Draw, Growing};
use super::{AdasynWeight, Diagnostics, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::KnnIndex;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Adasyn {
    pub sampling_strategy: SamplingStrategy,
    /// K: neighbours used both to weight rows (whole split) and to interpolate (same class).
    pub n_neighbors: usize,
}

impl Default for Adasyn {
    fn default() -> Self {
        Adasyn {
            sampling_strategy: SamplingStrategy::Auto,
            n_neighbors: 5,
        }
    }
}

/// numpy's `add.reduce` on a contiguous f64 array (pairwise summation with 8 accumulators in blocks
/// of 128), so that r̂_i — and therefore the rint of g_i — agree with the reference to the last bit.
pub fn numpy_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut s = 0.0;
        for &v in a {
            s += v;
        }
        s
    } else if n <= 128 {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let mut i = 8;
        while i < n - (n % 8) {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += a[i + j];
            }
            i += 8;
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[i..] {
            s += v;
        }
        s
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        numpy_sum(&a[..n2]) + numpy_sum(&a[n2..])
    }
}

/// ADASYN's per-row weights for one class: r_i, r̂_i and g_i.
pub fn adasyn_weights(
    other: &[usize],
    k: usize,
    generate: usize,
) -> (Vec<f64>, Vec<f64>, Vec<usize>) {
    let ratio: Vec<f64> = other.iter().map(|&o| o as f64 / k as f64).collect();
    let total = numpy_sum(&ratio);
    let share: Vec<f64> = ratio.iter().map(|&r| r / total).collect();
    let g = share
        .iter()
        .map(|&w| (w * generate as f64).round_ties_even() as usize)
        .collect();
    (ratio, share, g)
}

impl Adasyn {
    pub fn validate(&self) -> Result<()> {
        check_k("n_neighbors", self.n_neighbors)
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let k = self.n_neighbors;
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
                other_class_counts_in(&whole, train, &rows, class, k, "ADASYN", "n_neighbors")?;
            if other.iter().all(|&o| o == 0) {
                return Err(EngineError::Data(format!(
                    "ADASYN: no row of class {class} has a neighbour of another class among its {k} nearest, so there is nothing to weight by; use SMOTE for this data or raise n_neighbors"
                )));
            }
            let (ratio, share, g) = adasyn_weights(&other, k, s);
            let total: usize = g.iter().sum();
            if total == 0 {
                return Err(EngineError::Data(format!(
                    "ADASYN would generate no rows for class {class} after rounding each row's share; ask for more rows"
                )));
            }
            for (j, &i) in rows.iter().enumerate() {
                diag.weights.push(AdasynWeight {
                    index: i,
                    class,
                    ratio: ratio[j],
                    share: share[j],
                    generated: g[j],
                });
            }
            if total != s {
                diag.notes.push(format!(
                    "class {class}: ADASYN rounds each row's share, so it made {total} rows instead of the {s} asked"
                ));
            }
            if rows.len() <= k {
                return Err(too_few("ADASYN", class, rows.len(), k, "n_neighbors"));
            }
            let table = class_neighbors(train, &rows, k);
            let mut r = rng.fork("adasyn", class as u64);
            let mut draws = Vec::with_capacity(total);
            for (j, &gj) in g.iter().enumerate() {
                for _ in 0..gj {
                    draws.push(Draw {
                        base: rows[j],
                        neighbor: table[j * k + r.below(k)],
                        step: 0.0,
                        gap: None,
                    });
                }
            }
            for d in &mut draws {
                d.step = r.uniform();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_sum_is_pairwise() {
        // 0.1 summed 1000 times: numpy gives 100.00000000000001 (measured); a plain loop drifts further.
        let a = vec![0.1; 1000];
        assert_eq!(numpy_sum(&a), 100.00000000000001);
    }

    #[test]
    fn separated_class_is_an_error() {
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut r = Rng::from_seed(0);
        for i in 0..120 {
            let c = usize::from(i >= 100);
            x.push(r.normal() + 10.0 * c as f64);
            x.push(r.normal());
            y.push(c);
        }
        let e = Adasyn::default()
            .apply(&Dataset::new(x, y, 2, 2), &mut Rng::from_seed(1))
            .unwrap_err();
        assert!(e.to_string().contains("use SMOTE"), "{e}");
    }
}
