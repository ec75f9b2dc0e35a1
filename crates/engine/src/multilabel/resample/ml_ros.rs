//! ML-ROS: multi-label random over-sampling (Charte, Rivera, del Jesus & Herrera, "Addressing
//! imbalance in multilabel classification: Measures and random resampling algorithms",
//! Neurocomputing 163, 2015, §4.1, Algorithm 1).
//!
//! `samplesToClone = ⌊|D|·P/100⌋`. MeanIR is computed once; the minority bags are the samples of
//! each label with `IRLbl > MeanIR`. Round-robin over the bags, one random sample of each bag is
//! cloned; after each clone the bag's label IRLbl is recomputed on the grown set and the bag leaves
//! the rotation once `IRLbl ≤ MeanIR`. It stops when `samplesToClone` clones are made or no bag
//! is left (the paper's loop would not end there). Clones copy every entry, unknowns included.

use serde::{Deserialize, Serialize};

use super::{check_percentage, counts, ir_lbl, MultilabelData, MultilabelResampled};
use crate::multilabel::ImbalanceMeasures;
use crate::resample::Origin;
use crate::rng::Rng;
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlRos {
    /// P: clones as a percentage of the data set's size.
    pub percentage: f64,
}

impl Default for MlRos {
    fn default() -> Self {
        MlRos { percentage: 25.0 }
    }
}

impl MlRos {
    pub fn resample(&self, data: &MultilabelData, rng: &mut Rng) -> Result<MultilabelResampled> {
        check_percentage(self.percentage)?;
        let n = data.n_samples();
        let measures = ImbalanceMeasures::compute(&data.labels)?;
        let mean_ir = measures.mean_ir;
        let mut bags: Vec<(usize, Vec<usize>)> = measures
            .minority_labels()
            .into_iter()
            .map(|l| {
                (
                    l,
                    (0..n).filter(|&i| data.labels.is_positive(i, l)).collect(),
                )
            })
            .collect();
        let mut to_clone = (n as f64 * self.percentage / 100.0).floor() as usize;
        let mut multiplicity = vec![1usize; n];
        let mut clones = Vec::new();
        while to_clone > 0 && !bags.is_empty() {
            let mut b = 0;
            while b < bags.len() && to_clone > 0 {
                let (label, bag) = &bags[b];
                let pick = bag[rng.below(bag.len())];
                multiplicity[pick] += 1;
                clones.push(pick);
                to_clone -= 1;
                if ir_lbl(&counts(&data.labels, &multiplicity), *label) <= mean_ir {
                    bags.remove(b);
                } else {
                    b += 1;
                }
            }
        }
        let mut x = data.x.clone();
        let mut labels = data.labels.clone();
        let mut origins: Vec<Origin> = (0..n).map(|index| Origin::Original { index }).collect();
        for &c in &clones {
            x.extend_from_slice(data.row(c));
            labels.push_row(data.labels.row(c))?;
            origins.push(Origin::Duplicate { index: c });
        }
        Ok(MultilabelResampled {
            data: MultilabelData::new(x, data.n_features, labels)?,
            origins,
            removed: Vec::new(),
        })
    }
}
