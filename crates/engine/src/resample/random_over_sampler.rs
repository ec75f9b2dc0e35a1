//! Random over-sampling, optionally as a smoothed bootstrap (`shrinkage`, ROSE-like: Menardi &
//! Torelli, "Training and assessing classification rules with imbalanced data", DMKD 2014).
//! Reference: imbalanced-learn 0.14.2 `over_sampling/_random_over_sampler.py` (`RandomOverSampler`);
//! methods-spec.md §A.1. Tested in `tests/over_samplers.rs` (counts, replayed bootstrap + noise).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::synthesis::{class_rows, Growing};
use super::{Diagnostics, Origin, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::math;
use crate::rng::Rng;

/// Shrinkage factor h: one for every targeted class, or one per class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shrinkage {
    All(f64),
    PerClass(BTreeMap<usize, f64>),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomOverSampler {
    pub sampling_strategy: SamplingStrategy,
    /// `None`: exact copies. `Some(h)`: copy + N(0, (h·κ·σ_c)²) per feature, with σ_c the class's
    /// population standard deviation and κ = (4 / ((d+2)·N))^{1/(d+4)}, N = all training rows.
    pub shrinkage: Option<Shrinkage>,
}

impl RandomOverSampler {
    pub fn validate(&self) -> Result<()> {
        let bad = |h: f64| !(h.is_finite() && h >= 0.0);
        match &self.shrinkage {
            Some(Shrinkage::All(h)) if bad(*h) => Err(EngineError::config(
                "shrinkage",
                format!("must be a number ≥ 0, got {h}"),
            )),
            Some(Shrinkage::PerClass(m)) => match m.iter().find(|(_, &h)| bad(h)) {
                Some((c, h)) => Err(EngineError::config(
                    "shrinkage",
                    format!("must be a number ≥ 0, got {h} for class {c}"),
                )),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The per-class shrinkage factor, or an error naming the targeted classes left without one.
    fn factor(&self, class: usize) -> Result<Option<f64>> {
        match &self.shrinkage {
            None => Ok(None),
            Some(Shrinkage::All(h)) => Ok(Some(*h)),
            Some(Shrinkage::PerClass(m)) => m.get(&class).copied().map(Some).ok_or_else(|| {
                EngineError::config(
                    "shrinkage",
                    format!("no shrinkage factor for class {class}, which is resampled; give one for every resampled class"),
                )
            }),
        }
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let d = train.n_features;
        let n = train.len() as f64;
        let kappa = math::pow(4.0 / ((d as f64 + 2.0) * n), 1.0 / (d as f64 + 4.0));
        let mut out = Growing::from_original(train);
        for class in 0..plan.current.len() {
            if !plan.is_targeted(class) {
                continue;
            }
            let h = self.factor(class)?;
            let s = plan.to_generate(class);
            if s == 0 {
                continue;
            }
            let rows = class_rows(train, class);
            let mut r = rng.fork("ros", class as u64);
            let picks: Vec<usize> = (0..s).map(|_| rows[r.below(rows.len())]).collect();
            match h {
                None => {
                    for &i in &picks {
                        out.x.extend_from_slice(train.row(i));
                        out.y.push(class);
                        out.origin.push(Origin::Duplicate { index: i });
                    }
                }
                Some(h) => {
                    let sigma = class_std(train, &rows);
                    let scale: Vec<f64> = sigma.iter().map(|&sd| h * kappa * sd).collect();
                    for &i in &picks {
                        let z: Vec<f64> = (0..d).map(|_| r.normal()).collect();
                        smooth(train.row(i), &z, &scale, &mut out.x);
                        out.y.push(class);
                        out.origin.push(Origin::Smoothed { index: i });
                    }
                }
            }
        }
        let (data, origin) = out.into_dataset(train);
        Ok(Resampled {
            data,
            origin,
            diagnostics: Diagnostics::default(),
        })
    }
}

/// `z ⊙ scale + row`, in imblearn's order (`z.dot(diag(scale)) + X[boot]`).
pub fn smooth(row: &[f64], z: &[f64], scale: &[f64], out: &mut Vec<f64>) {
    for ((&x, &zj), &sj) in row.iter().zip(z).zip(scale) {
        out.push(zj * sj + x);
    }
}

/// Per-feature population standard deviation (numpy `np.std`, ddof = 0) of the rows `rows`.
pub fn class_std(train: &Dataset, rows: &[usize]) -> Vec<f64> {
    let d = train.n_features;
    let n = rows.len() as f64;
    let mut mean = vec![0.0; d];
    for &i in rows {
        for (m, v) in mean.iter_mut().zip(train.row(i)) {
            *m += v;
        }
    }
    for m in &mut mean {
        *m /= n;
    }
    let mut var = vec![0.0; d];
    for &i in rows {
        for ((s, v), m) in var.iter_mut().zip(train.row(i)).zip(&mean) {
            let t = v - m;
            *s += t * t;
        }
    }
    var.iter().map(|s| (s / n).sqrt()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_row_class_gives_pure_duplicates_under_shrinkage() {
        let train = Dataset::new(
            vec![0.0, 0.0, 1.0, 1.0, 2.0, 0.5, 5.0, 5.0],
            vec![0, 0, 0, 1],
            2,
            2,
        );
        let ros = RandomOverSampler {
            shrinkage: Some(Shrinkage::All(2.0)),
            ..Default::default()
        };
        let out = ros.apply(&train, &mut Rng::from_seed(1)).unwrap();
        assert_eq!(out.data.class_counts(), vec![3, 3]);
        for i in 4..6 {
            assert_eq!(out.data.row(i), &[5.0, 5.0]);
        }
    }

    #[test]
    fn per_class_shrinkage_must_cover_targets() {
        let train = Dataset::new(vec![0.0, 1.0, 2.0, 3.0], vec![0, 0, 0, 1], 1, 2);
        let ros = RandomOverSampler {
            shrinkage: Some(Shrinkage::PerClass(BTreeMap::from([(0, 1.0)]))),
            ..Default::default()
        };
        let e = ros.apply(&train, &mut Rng::from_seed(1)).unwrap_err();
        assert!(e.to_string().contains("class 1"), "{e}");
        assert!(RandomOverSampler {
            shrinkage: Some(Shrinkage::All(-1.0)),
            ..Default::default()
        }
        .validate()
        .is_err());
    }
}
