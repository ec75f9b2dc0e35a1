//! ML-RUS: multi-label random under-sampling (Charte, Rivera, del Jesus & Herrera, Neurocomputing
//! 163, 2015, §4.2, Algorithm 2).
//!
//! `samplesToDelete = ⌊|D|·P/100⌋`. MeanIR is computed once; the majority bags are the samples of
//! each label with `IRLbl ≤ MeanIR`. Round-robin over the bags, one random sample still present is
//! deleted from each; after each deletion the bag's label IRLbl is recomputed on the reduced set
//! and the bag leaves the rotation once `IRLbl ≥ MeanIR` (or when it has no sample left). A sample
//! in several bags is deleted once. Kept rows stay in their input order.

use serde::{Deserialize, Serialize};

use super::{check_percentage, counts, ir_lbl, MultilabelData, MultilabelResampled};
use crate::multilabel::ImbalanceMeasures;
use crate::resample::Origin;
use crate::rng::Rng;
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlRus {
    /// P: deletions as a percentage of the data set's size.
    pub percentage: f64,
}

impl Default for MlRus {
    fn default() -> Self {
        MlRus { percentage: 25.0 }
    }
}

impl MlRus {
    pub fn resample(&self, data: &MultilabelData, rng: &mut Rng) -> Result<MultilabelResampled> {
        check_percentage(self.percentage)?;
        let n = data.n_samples();
        let measures = ImbalanceMeasures::compute(&data.labels)?;
        let mean_ir = measures.mean_ir;
        let mut bags: Vec<usize> = (0..data.labels.n_labels())
            .filter(|&l| measures.ir_lbl[l] <= mean_ir)
            .collect();
        let mut to_delete = (n as f64 * self.percentage / 100.0).floor() as usize;
        let mut present = vec![1usize; n];
        while to_delete > 0 && !bags.is_empty() {
            let mut b = 0;
            while b < bags.len() && to_delete > 0 {
                let label = bags[b];
                let members: Vec<usize> = (0..n)
                    .filter(|&i| present[i] == 1 && data.labels.is_positive(i, label))
                    .collect();
                if members.is_empty() {
                    bags.remove(b);
                    continue;
                }
                present[members[rng.below(members.len())]] = 0;
                to_delete -= 1;
                let c = counts(&data.labels, &present);
                if c[label] == 0 || ir_lbl(&c, label) >= mean_ir {
                    bags.remove(b);
                } else {
                    b += 1;
                }
            }
        }
        let kept: Vec<usize> = (0..n).filter(|&i| present[i] == 1).collect();
        let mut x = Vec::with_capacity(kept.len() * data.n_features);
        for &i in &kept {
            x.extend_from_slice(data.row(i));
        }
        Ok(MultilabelResampled {
            data: MultilabelData::new(x, data.n_features, data.labels.select_rows(&kept))?,
            origins: kept
                .iter()
                .map(|&index| Origin::Original { index })
                .collect(),
            removed: (0..n).filter(|&i| present[i] == 0).collect(),
        })
    }
}
