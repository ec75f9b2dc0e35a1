//! Imbalance measures of multi-label data.
//!
//! - Label cardinality `Card = (1/n) Σ_i |Y_i|` and density `Dens = Card / L` (Tsoumakas, Katakis &
//!   Vlahavas, "Mining multi-label data", 2010).
//! - `IRLbl(λ) = max_λ' |{i : λ' ∈ Y_i}| / |{i : λ ∈ Y_i}|`, `MeanIR = (1/L) Σ_λ IRLbl(λ)`,
//!   `MaxIR = max_λ IRLbl(λ)` and `CVIR = σ(IRLbl) / MeanIR` with the sample standard deviation
//!   (`L − 1` in the denominator); Charte, Rivera, del Jesus & Herrera, "Addressing imbalance in
//!   multilabel classification: Measures and random resampling algorithms", Neurocomputing 163,
//!   2015, §3.
//! - SCUMBLE (Charte et al., "Concurrence among imbalanced labels and its influence on multilabel
//!   resampling algorithms", HAIS 2014; and "Dealing with difficult minority labels in imbalanced
//!   multilabel data sets", Neurocomputing 326, 2019): per instance
//!   `SCUMBLE_i = 1 − (Π_{λ∈Y_i} IRLbl(λ))^{1/|Y_i|} / ((1/|Y_i|) Σ_{λ∈Y_i} IRLbl(λ))`, one minus
//!   the geometric over the arithmetic mean of the IRLbl of the labels the instance carries (the
//!   Atkinson index with ε = 1); the data set's SCUMBLE is the mean over all instances, and a label's
//!   SCUMBLE the mean over the instances carrying it (as the `mldr` R package by the same authors
//!   reports them). The product and mean run over the instance's **own** labels (the paper's
//!   `IRLbl_il` over absent labels would make every product 0); an instance with no label has
//!   SCUMBLE 0, one with a single label 0 by the formula.
//!
//! Unknown entries count as not positive (the measures describe the annotated positives). Means are
//! NumPy's (pairwise sums), matching `tools/fixtures/multilabel_metrics.py`'s NumPy computation.

use serde::{Deserialize, Serialize};

use super::labels::{LabelMatrix, LabelMatrixError};
use crate::math;
use crate::metrics::summation::{mean, pairwise_sum};

/// The imbalance measures of a label matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImbalanceMeasures {
    pub n_samples: usize,
    pub n_labels: usize,
    /// Positive samples of each label.
    pub positives: Vec<usize>,
    /// Share of samples carrying each label.
    pub frequency: Vec<f64>,
    pub ir_lbl: Vec<f64>,
    pub mean_ir: f64,
    pub max_ir: f64,
    /// Coefficient of variation of IRLbl; `None` with one label (σ needs two).
    pub cv_ir: Option<f64>,
    pub scumble: f64,
    /// SCUMBLE of each instance.
    pub scumble_per_instance: Vec<f64>,
    /// Mean instance SCUMBLE over the instances carrying each label.
    pub scumble_per_label: Vec<f64>,
    pub cardinality: f64,
    pub density: f64,
}

impl ImbalanceMeasures {
    /// Refuses a matrix without samples or with a label that has no positive (its IRLbl is
    /// infinite).
    pub fn compute(y: &LabelMatrix) -> Result<Self, LabelMatrixError> {
        let (n, l) = (y.n_samples(), y.n_labels());
        if n == 0 {
            return Err(LabelMatrixError::NoSamples);
        }
        let positives = y.positives_per_label();
        if let Some(label) = positives.iter().position(|&c| c == 0) {
            return Err(LabelMatrixError::LabelWithoutPositive { label });
        }
        let frequency: Vec<f64> = positives.iter().map(|&c| c as f64 / n as f64).collect();
        let most = *positives.iter().max().unwrap_or(&1) as f64;
        let ir_lbl: Vec<f64> = positives.iter().map(|&c| most / c as f64).collect();
        let mean_ir = mean(&ir_lbl).unwrap_or(0.0);
        let max_ir = ir_lbl.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let cv_ir = (l > 1).then(|| {
            let sq: Vec<f64> = ir_lbl
                .iter()
                .map(|v| (v - mean_ir) * (v - mean_ir))
                .collect();
            (pairwise_sum(&sq) / (l - 1) as f64).sqrt() / mean_ir
        });
        let scumble_per_instance: Vec<f64> = (0..n)
            .map(|i| {
                let irs: Vec<f64> = (0..l)
                    .filter(|&j| y.is_positive(i, j))
                    .map(|j| ir_lbl[j])
                    .collect();
                if irs.is_empty() {
                    return 0.0;
                }
                let product = irs.iter().product::<f64>();
                let geometric = math::pow(product, 1.0 / irs.len() as f64);
                let arithmetic = pairwise_sum(&irs) / irs.len() as f64;
                1.0 - geometric / arithmetic
            })
            .collect();
        let scumble = mean(&scumble_per_instance).unwrap_or(0.0);
        let scumble_per_label: Vec<f64> = (0..l)
            .map(|j| {
                let v: Vec<f64> = (0..n)
                    .filter(|&i| y.is_positive(i, j))
                    .map(|i| scumble_per_instance[i])
                    .collect();
                mean(&v).unwrap_or(0.0)
            })
            .collect();
        let cardinality = positives.iter().sum::<usize>() as f64 / n as f64;
        Ok(ImbalanceMeasures {
            n_samples: n,
            n_labels: l,
            positives,
            frequency,
            ir_lbl,
            mean_ir,
            max_ir,
            cv_ir,
            scumble,
            scumble_per_instance,
            scumble_per_label,
            cardinality,
            density: cardinality / l as f64,
        })
    }

    /// Labels whose IRLbl exceeds MeanIR: the minority labels of ML-ROS, ML-RUS and MLSMOTE.
    pub fn minority_labels(&self) -> Vec<usize> {
        (0..self.n_labels)
            .filter(|&j| self.ir_lbl[j] > self.mean_ir)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multilabel::LabelEntry::{Negative as N, Positive as P, Unknown as U};

    #[test]
    fn hand_worked_case() {
        // Label counts 3, 1, 2 over four samples.
        let y =
            LabelMatrix::from_rows(&[vec![P, P, N], vec![P, N, P], vec![P, N, P], vec![N, N, N]])
                .unwrap();
        let m = ImbalanceMeasures::compute(&y).unwrap();
        assert_eq!(m.positives, vec![3, 1, 2]);
        assert_eq!(m.frequency, vec![0.75, 0.25, 0.5]);
        assert_eq!(m.ir_lbl, vec![1.0, 3.0, 1.5]);
        assert_eq!(m.mean_ir, 5.5 / 3.0);
        assert_eq!(m.max_ir, 3.0);
        assert_eq!(m.cardinality, 1.5);
        assert_eq!(m.density, 0.5);
        // Row 0: IRLbl {1, 3}: 1 − √3 / 2; rows 1, 2: {1, 1.5}: 1 − √1.5 / 1.25; row 3: 0.
        let s0 = 1.0 - 3f64.sqrt() / 2.0;
        let s1 = 1.0 - 1.5f64.sqrt() / 1.25;
        assert!((m.scumble_per_instance[0] - s0).abs() < 1e-15);
        assert!((m.scumble_per_instance[1] - s1).abs() < 1e-15);
        assert_eq!(m.scumble_per_instance[3], 0.0);
        assert!((m.scumble - (s0 + 2.0 * s1) / 4.0).abs() < 1e-15);
        assert!((m.scumble_per_label[1] - s0).abs() < 1e-15);
        assert_eq!(m.minority_labels(), vec![1]);
        let sd = (((1.0f64 - m.mean_ir).powi(2)
            + (3.0 - m.mean_ir).powi(2)
            + (1.5 - m.mean_ir).powi(2))
            / 2.0)
            .sqrt();
        assert!((m.cv_ir.unwrap() - sd / m.mean_ir).abs() < 1e-15);
    }

    #[test]
    fn balanced_labels_have_unit_ir_and_zero_scumble() {
        let y = LabelMatrix::from_rows(&[vec![P, P], vec![P, P], vec![N, U]]).unwrap();
        let m = ImbalanceMeasures::compute(&y).unwrap();
        assert_eq!(m.ir_lbl, vec![1.0, 1.0]);
        assert_eq!(m.scumble, 0.0);
        assert_eq!(m.cv_ir, Some(0.0));
        assert!(m.minority_labels().is_empty());
    }

    #[test]
    fn a_label_without_positives_is_refused() {
        let y = LabelMatrix::from_rows(&[vec![P, N], vec![P, U]]).unwrap();
        assert_eq!(
            ImbalanceMeasures::compute(&y),
            Err(LabelMatrixError::LabelWithoutPositive { label: 1 })
        );
    }
}
