//! True/false positive counts at every distinct score, the basis of the ROC and precision-recall
//! curves. Reference: `sklearn.metrics.confusion_matrix_at_thresholds` (formerly
//! `_binary_clf_curve`, scikit-learn 1.9.1 `metrics/_ranking.py`): scores sorted in decreasing
//! order, one threshold per distinct score, tied scores counted together.

use crate::{EngineError, Result};

/// Counts at each distinct threshold, highest threshold first.
#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdCounts {
    /// Distinct scores, decreasing.
    pub thresholds: Vec<f64>,
    /// Positives with score ≥ threshold (exact integers held as f64, as in the reference).
    pub tps: Vec<f64>,
    /// Negatives with score ≥ threshold.
    pub fps: Vec<f64>,
}

/// Checks a binary ranking input: same length, non-empty, finite scores.
pub(crate) fn check_binary_input(y_true: &[bool], scores: &[f64]) -> Result<()> {
    if y_true.len() != scores.len() {
        return Err(EngineError::Data(format!(
            "y_true has {} labels but there are {} scores",
            y_true.len(),
            scores.len()
        )));
    }
    if y_true.is_empty() {
        return Err(EngineError::Data("there are no samples".into()));
    }
    if let Some(i) = scores.iter().position(|s| !s.is_finite()) {
        return Err(EngineError::Data(format!(
            "score {i} is {}; scores must be finite numbers",
            scores[i]
        )));
    }
    Ok(())
}

impl ThresholdCounts {
    /// Counts for positives `y_true[i] == true` ranked by `scores`.
    pub fn new(y_true: &[bool], scores: &[f64]) -> Result<Self> {
        check_binary_input(y_true, scores)?;
        let mut order: Vec<usize> = (0..scores.len()).collect();
        // Finite scores were checked, so partial_cmp is total here; -0.0 and 0.0 tie, as in NumPy.
        order.sort_by(|&a, &b| {
            scores[b]
                .partial_cmp(&scores[a])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut thresholds = Vec::new();
        let mut tps = Vec::new();
        let mut fps = Vec::new();
        let mut tp = 0u64;
        for (rank, &i) in order.iter().enumerate() {
            tp += u64::from(y_true[i]);
            let last_of_group = order
                .get(rank + 1)
                .is_none_or(|&next| scores[next] != scores[i]);
            if last_of_group {
                thresholds.push(scores[i]);
                tps.push(tp as f64);
                fps.push((rank as u64 + 1 - tp) as f64);
            }
        }
        Ok(ThresholdCounts {
            thresholds,
            tps,
            fps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_threshold() {
        let c = ThresholdCounts::new(&[false, true, false, true], &[0.5, 0.5, 0.5, 0.9]).unwrap();
        assert_eq!(c.thresholds, vec![0.9, 0.5]);
        assert_eq!(c.tps, vec![1.0, 2.0]);
        assert_eq!(c.fps, vec![0.0, 2.0]);
    }
}
