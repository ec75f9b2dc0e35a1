//! Confusion matrix indexed `[truth][pred]`, as `sklearn.metrics.confusion_matrix`, and the scores
//! derived from it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    pub n_classes: usize,
    /// Row-major `counts[truth * n_classes + pred]`.
    pub counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// Counts over classes `0..n_classes`. Labels outside that range are a caller bug.
    pub fn new(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Self {
        let mut counts = vec![0u64; n_classes * n_classes];
        for (&t, &p) in y_true.iter().zip(y_pred) {
            counts[t * n_classes + p] += 1;
        }
        ConfusionMatrix { n_classes, counts }
    }

    pub fn get(&self, truth: usize, pred: usize) -> u64 {
        self.counts[truth * self.n_classes + pred]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Samples whose truth is `c` (row sum).
    pub fn support(&self, c: usize) -> u64 {
        (0..self.n_classes).map(|p| self.get(c, p)).sum()
    }

    /// Samples predicted as `c` (column sum).
    pub fn predicted(&self, c: usize) -> u64 {
        (0..self.n_classes).map(|t| self.get(t, c)).sum()
    }

    /// `trace / N`; `None` on an empty matrix.
    pub fn accuracy(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (0..self.n_classes).map(|c| self.get(c, c)).sum::<u64>() as f64 / n as f64)
    }

    /// Recall of class `c`; `None` when `c` is absent from the truth.
    pub fn recall(&self, c: usize) -> Option<f64> {
        let s = self.support(c);
        (s > 0).then(|| self.get(c, c) as f64 / s as f64)
    }

    /// Precision of class `c`; `None` when nothing was predicted as `c`.
    pub fn precision(&self, c: usize) -> Option<f64> {
        let s = self.predicted(c);
        (s > 0).then(|| self.get(c, c) as f64 / s as f64)
    }

    /// F1 of class `c`; `None` when precision or recall is undefined or both are 0.
    pub fn f1(&self, c: usize) -> Option<f64> {
        let tp = self.get(c, c) as f64;
        let denom = (self.support(c) + self.predicted(c)) as f64;
        (denom > 0.0).then(|| 2.0 * tp / denom)
    }

    /// Mean recall over classes present in the truth (`sklearn.metrics.balanced_accuracy_score`).
    pub fn balanced_accuracy(&self) -> Option<f64> {
        let recalls: Vec<f64> = (0..self.n_classes).filter_map(|c| self.recall(c)).collect();
        (!recalls.is_empty()).then(|| recalls.iter().sum::<f64>() / recalls.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from scikit-learn 1.9.1 (methods-spec.md §D.1 golden example).
    #[test]
    fn golden_example() {
        let t = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 0];
        let p = [0, 0, 0, 0, 1, 0, 1, 2, 1, 2, 0, 0];
        let cm = ConfusionMatrix::new(&t, &p, 3);
        assert_eq!(cm.counts, vec![6, 1, 0, 0, 2, 1, 1, 0, 1]);
        assert!((cm.accuracy().unwrap() - 0.75).abs() < 1e-12);
        assert!((cm.balanced_accuracy().unwrap() - 0.674603175).abs() < 1e-9);
        assert!((cm.f1(0).unwrap() - 0.857142857).abs() < 1e-9);
    }

    #[test]
    fn absent_class_in_prediction_only_is_ignored_by_balanced_accuracy() {
        let cm = ConfusionMatrix::new(&[0, 0, 1, 1], &[0, 2, 1, 1], 3);
        assert!((cm.balanced_accuracy().unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(cm.recall(2), None);
    }
}
