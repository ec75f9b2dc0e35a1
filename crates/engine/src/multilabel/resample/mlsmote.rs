//! MLSMOTE: multi-label synthetic minority over-sampling (Charte, Rivera, del Jesus & Herrera,
//! "MLSMOTE: Approaching imbalanced multilabel learning through synthetic instance generation",
//! Knowledge-Based Systems 89, 2015, Algorithm 1).
//!
//! For each label with `IRLbl > MeanIR` (both computed once, on the input), every sample of that
//! label's bag gets one synthetic sample:
//! 1. its `k` nearest neighbours (Euclidean) **within the bag**; one of them, drawn at random, is
//!    the reference neighbour;
//! 2. features: `x_s + u·(x_n − x_s)`, with `u ~ U(0, 1)` drawn **per feature** as in the paper's
//!    pseudo-code (`offset ← diff · randInInterval(0, 1)` inside the loop over attributes), so the
//!    point lies in the box spanned by the base and the neighbour; [`MlsmoteInterpolation::Segment`]
//!    draws one `u` for all features (SMOTE's segment) instead;
//! 3. labels by [`LabelSetRule`]: `Ranking` (the paper's default) keeps the labels carried by more
//!    than half of the base and its `k` neighbours; `Union` those of any; `Intersection` those of
//!    all.
//!
//! A bag of a single sample has no neighbour and makes nothing. Synthetic rows are appended after
//! the originals, label by label in ascending order, base by base in input order. Their label
//! entries are all known (positive or negative); unknown entries of the inputs count as not
//! positive. Each label's draws come from `rng.fork("mlsmote_label", label)`.

use serde::{Deserialize, Serialize};

use super::{MultilabelData, MultilabelResampled};
use crate::multilabel::{ImbalanceMeasures, LabelEntry};
use crate::resample::Origin;
use crate::rng::Rng;
use crate::{EngineError, Result};

/// How the synthetic sample's label set is formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelSetRule {
    Ranking,
    Union,
    Intersection,
}

/// How features are interpolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MlsmoteInterpolation {
    /// One uniform draw per feature (the paper).
    PerFeature,
    /// One uniform draw per synthetic sample (a point on the segment).
    Segment,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mlsmote {
    pub k_neighbors: usize,
    pub label_set: LabelSetRule,
    pub interpolation: MlsmoteInterpolation,
}

impl Default for Mlsmote {
    fn default() -> Self {
        Mlsmote {
            k_neighbors: 5,
            label_set: LabelSetRule::Ranking,
            interpolation: MlsmoteInterpolation::PerFeature,
        }
    }
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

impl Mlsmote {
    pub fn resample(&self, data: &MultilabelData, rng: &Rng) -> Result<MultilabelResampled> {
        if self.k_neighbors == 0 {
            return Err(EngineError::config(
                "sampler.k_neighbors",
                "k must be at least 1 (the paper uses 5)",
            ));
        }
        let n = data.n_samples();
        let l = data.labels.n_labels();
        let measures = ImbalanceMeasures::compute(&data.labels)?;
        let mut x = data.x.clone();
        let mut labels = data.labels.clone();
        let mut origins: Vec<Origin> = (0..n).map(|index| Origin::Original { index }).collect();
        for label in measures.minority_labels() {
            let mut r = rng.fork("mlsmote_label", label as u64);
            let bag: Vec<usize> = (0..n)
                .filter(|&i| data.labels.is_positive(i, label))
                .collect();
            if bag.len() < 2 {
                continue;
            }
            for &base in &bag {
                let mut others: Vec<(f64, usize)> = bag
                    .iter()
                    .filter(|&&o| o != base)
                    .map(|&o| (squared_distance(data.row(base), data.row(o)), o))
                    .collect();
                // Ties by input order, so that the neighbour set is well defined.
                others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                others.truncate(self.k_neighbors);
                let neighbours: Vec<usize> = others.iter().map(|&(_, o)| o).collect();
                let reference = neighbours[r.below(neighbours.len())];
                let (xs, xn) = (data.row(base), data.row(reference));
                let shared = match self.interpolation {
                    MlsmoteInterpolation::Segment => r.uniform(),
                    MlsmoteInterpolation::PerFeature => 0.0,
                };
                for f in 0..data.n_features {
                    let u = match self.interpolation {
                        MlsmoteInterpolation::PerFeature => r.uniform(),
                        MlsmoteInterpolation::Segment => shared,
                    };
                    x.push(xs[f] + u * (xn[f] - xs[f]));
                }
                let voters = neighbours.len() + 1;
                let row: Vec<LabelEntry> = (0..l)
                    .map(|j| {
                        let votes = usize::from(data.labels.is_positive(base, j))
                            + neighbours
                                .iter()
                                .filter(|&&o| data.labels.is_positive(o, j))
                                .count();
                        let keep = match self.label_set {
                            LabelSetRule::Ranking => 2 * votes > voters,
                            LabelSetRule::Union => votes > 0,
                            LabelSetRule::Intersection => votes == voters,
                        };
                        if keep {
                            LabelEntry::Positive
                        } else {
                            LabelEntry::Negative
                        }
                    })
                    .collect();
                labels.push_row(&row)?;
                origins.push(Origin::Synthetic {
                    base,
                    neighbor: reference,
                });
            }
        }
        Ok(MultilabelResampled {
            data: MultilabelData::new(x, data.n_features, labels)?,
            origins,
            removed: Vec::new(),
        })
    }
}
