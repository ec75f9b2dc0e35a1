//! Expected calibration error with a reliability diagram (Guo, Pleiss, Sun, Weinberger, "On
//! Calibration of Modern Neural Networks", ICML 2017): top-label confidence `max_c p_c`, equal-width
//! bins `(m−1)/M < conf ≤ m/M` (a confidence of 0 joins the first bin),
//! `ECE = Σ_m (|B_m|/N)·|acc(B_m) − conf(B_m)|`.
//!
//! Reference: torchmetrics `MulticlassCalibrationError(n_bins=15, norm='l1')`
//! (`functional/classification/calibration_error.py`, `bucketize(conf, linspace(0,1,M+1)) − 1`); the
//! fixtures use the equivalent NumPy function of `methods-spec.md` §D (edges `np.linspace`, bins by
//! `np.searchsorted(side='left') − 1`). Binary problems use the same top-label form on `[1−p, p]`.

use serde::{Deserialize, Serialize};

use super::probabilities::{check_truth, Probabilities};
use super::score::{Reason, Reference, Score};
use super::summation::pairwise_sum;
use crate::{EngineError, Result};

/// The number of bins of Guo et al. (and of the workbench's reliability diagram).
pub const ECE_BINS: usize = 15;

/// One bar of the reliability diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge (exclusive, except 0 for the first bin).
    pub lower: f64,
    /// Upper edge (inclusive).
    pub upper: f64,
    pub count: usize,
    /// Mean top-label confidence; `None` for an empty bin.
    pub confidence: Option<f64>,
    /// Fraction of the bin whose top label is right; `None` for an empty bin.
    pub accuracy: Option<f64>,
}

/// ECE and the bins it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub ece: Score,
    pub bins: Vec<ReliabilityBin>,
}

/// Bin edges as `np.linspace(0, 1, n_bins + 1)` computes them (`i · (1/n)`, last edge exactly 1).
pub fn bin_edges(n_bins: usize) -> Vec<f64> {
    let step = 1.0 / n_bins as f64;
    let mut edges: Vec<f64> = (0..=n_bins).map(|i| i as f64 * step + 0.0).collect();
    edges[n_bins] = 1.0;
    edges
}

/// Top-label ECE over `n_bins` equal-width bins; the top label is the first maximal column.
pub fn expected_calibration_error(
    y_true: &[usize],
    probs: &Probabilities,
    n_bins: usize,
) -> Result<Calibration> {
    if n_bins == 0 {
        return Err(EngineError::config("n_bins", "must be at least 1"));
    }
    check_truth(y_true, probs)?;
    let edges = bin_edges(n_bins);
    let pred = probs.argmax();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_bins];
    for (i, &top) in pred.iter().enumerate() {
        let conf = probs.get(i, top);
        // searchsorted(side='left'): the number of edges strictly below conf.
        let idx = edges.partition_point(|&e| e < conf);
        let bin = idx.saturating_sub(1).min(n_bins - 1);
        members[bin].push(i);
    }
    let n = probs.n_samples as f64;
    let mut ece = 0.0;
    let mut bins = Vec::with_capacity(n_bins);
    for (m, idx) in members.iter().enumerate() {
        let count = idx.len();
        let (confidence, accuracy) = if count == 0 {
            (None, None)
        } else {
            let confs: Vec<f64> = idx.iter().map(|&i| probs.get(i, pred[i])).collect();
            let hits: Vec<f64> = idx
                .iter()
                .map(|&i| f64::from(u8::from(pred[i] == y_true[i])))
                .collect();
            let conf = pairwise_sum(&confs) / count as f64;
            let acc = pairwise_sum(&hits) / count as f64;
            ece += (count as f64 / n) * (acc - conf).abs();
            (Some(conf), Some(acc))
        };
        bins.push(ReliabilityBin {
            lower: edges[m],
            upper: edges[m + 1],
            count,
            confidence,
            accuracy,
        });
    }
    let ece = if probs.n_samples == 0 {
        Score::undefined(Reason::NoSamples, Reference::Raises)
    } else {
        Score::Defined(ece)
    };
    Ok(Calibration { ece, bins })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfectly_calibrated_bins_give_zero() {
        // Confidence 0.75 in bin (0.733, 0.8]; three of four right.
        let p = Probabilities::new(&[0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25], 2).unwrap();
        let c = expected_calibration_error(&[0, 0, 0, 1], &p, ECE_BINS).unwrap();
        assert_eq!(c.ece.value(), Some(0.0));
        assert_eq!(c.bins[11].count, 4);
        assert_eq!(c.bins.iter().map(|b| b.count).sum::<usize>(), 4);
    }
}
