//! A validated `n × K` matrix of class scores (row-major), the input of every ranking and
//! calibration metric, and the rules that turn it into hard predictions.

use serde::{Deserialize, Serialize};

use super::summation::pairwise_sum;
use crate::{EngineError, Result};

/// Class scores, one row per sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probabilities {
    pub n_samples: usize,
    pub n_classes: usize,
    /// Row-major `values[i * n_classes + c]`.
    pub values: Vec<f64>,
}

impl Probabilities {
    /// Scores from f32 or f64 values; every value must be finite.
    pub fn new<T: Copy + Into<f64>>(values: &[T], n_classes: usize) -> Result<Self> {
        if n_classes == 0 || !values.len().is_multiple_of(n_classes) {
            return Err(EngineError::Data(format!(
                "{} scores do not form rows of {n_classes} classes",
                values.len()
            )));
        }
        let values: Vec<f64> = values.iter().map(|&v| v.into()).collect();
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(EngineError::Data(format!(
                "score of sample {} class {} is {}; scores must be finite numbers",
                i / n_classes,
                i % n_classes,
                values[i]
            )));
        }
        Ok(Probabilities {
            n_samples: values.len() / n_classes,
            n_classes,
            values,
        })
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.n_classes..(i + 1) * self.n_classes]
    }

    pub fn get(&self, i: usize, c: usize) -> f64 {
        self.values[i * self.n_classes + c]
    }

    pub fn column(&self, c: usize) -> Vec<f64> {
        (0..self.n_samples).map(|i| self.get(i, c)).collect()
    }

    /// Checks that every value lies in [0, 1] (`log_loss` raises otherwise).
    pub fn check_unit_interval(&self) -> Result<()> {
        match self.values.iter().position(|v| !(0.0..=1.0).contains(v)) {
            Some(i) => Err(EngineError::Data(format!(
                "probability of sample {} class {} is {}; probabilities must lie in [0, 1]",
                i / self.n_classes,
                i % self.n_classes,
                self.values[i]
            ))),
            None => Ok(()),
        }
    }

    /// Checks that rows sum to 1 within `np.allclose(1, row_sums)` (rtol 1e-5, atol 1e-8), the test
    /// `roc_auc_score(multi_class=...)` applies before it raises "Target scores need to be
    /// probabilities".
    pub fn check_rows_sum_to_one(&self) -> Result<()> {
        for i in 0..self.n_samples {
            let s = pairwise_sum(self.row(i));
            if (1.0 - s).abs() > 1e-8 + 1e-5 * s.abs() {
                return Err(EngineError::Data(format!(
                    "the scores of sample {i} sum to {s}, not 1; one-vs-rest / one-vs-one ROC AUC \
                     needs probabilities (apply softmax first)"
                )));
            }
        }
        Ok(())
    }

    /// The class with the highest score; ties go to the lowest class (`np.argmax`).
    pub fn argmax(&self) -> Vec<usize> {
        (0..self.n_samples)
            .map(|i| {
                let row = self.row(i);
                let mut best = 0;
                for (c, &v) in row.iter().enumerate() {
                    if v > row[best] {
                        best = c;
                    }
                }
                best
            })
            .collect()
    }

    /// Binary decision at `threshold`: class 1 where `p_1 >= threshold` (scikit-learn's
    /// `FixedThresholdClassifier` rule). Needs two columns.
    pub fn threshold(&self, threshold: f64) -> Result<Vec<usize>> {
        if self.n_classes != 2 {
            return Err(EngineError::config(
                "threshold",
                format!(
                    "a decision threshold needs 2 classes, the scores have {}; leave it unset to \
                     predict the most probable class",
                    self.n_classes
                ),
            ));
        }
        if !threshold.is_finite() {
            return Err(EngineError::config("threshold", "must be a finite number"));
        }
        Ok((0..self.n_samples)
            .map(|i| usize::from(self.get(i, 1) >= threshold))
            .collect())
    }
}

/// Checks `y_true` against the score matrix: one label per row, labels below K.
pub(crate) fn check_truth(y_true: &[usize], probs: &Probabilities) -> Result<()> {
    if y_true.len() != probs.n_samples {
        return Err(EngineError::Data(format!(
            "y_true has {} labels but the scores have {} rows",
            y_true.len(),
            probs.n_samples
        )));
    }
    if y_true.is_empty() {
        return Err(EngineError::Data("there are no samples".into()));
    }
    if let Some(i) = y_true.iter().position(|&y| y >= probs.n_classes) {
        return Err(EngineError::Data(format!(
            "y_true[{i}] = {} but the scores have only {} columns",
            y_true[i], probs.n_classes
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_and_decisions() {
        let p = Probabilities::new(&[0.5f32, 0.5, 0.2, 0.8], 2).unwrap();
        assert_eq!(p.argmax(), vec![0, 1]);
        assert_eq!(p.threshold(0.5).unwrap(), vec![1, 1]);
        assert!(p.check_rows_sum_to_one().is_ok());
        assert!(Probabilities::new(&[0.5, f64::NAN], 2).is_err());
        assert!(Probabilities::new(&[0.5, 0.5, 0.5], 2).is_err());
        let bad = Probabilities::new(&[0.5, 0.6], 2).unwrap();
        assert!(bad.check_rows_sum_to_one().is_err());
        assert!(Probabilities::new(&[1.5, -0.5], 2)
            .unwrap()
            .check_unit_interval()
            .is_err());
    }
}
