//! Confusion matrix indexed `[truth][pred]`, as `sklearn.metrics.confusion_matrix`, and the scores
//! derived from it.

use serde::{Deserialize, Serialize};

use crate::{EngineError, Result};

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

    /// Like [`ConfusionMatrix::new`], for user input: checks lengths and label range.
    pub fn try_new(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<Self> {
        if y_true.len() != y_pred.len() {
            return Err(EngineError::Data(format!(
                "y_true has {} labels but y_pred has {}; give one prediction per sample",
                y_true.len(),
                y_pred.len()
            )));
        }
        if n_classes == 0 {
            return Err(EngineError::config("n_classes", "must be at least 1"));
        }
        check_labels("y_true", y_true, n_classes)?;
        check_labels("y_pred", y_pred, n_classes)?;
        Ok(Self::new(y_true, y_pred, n_classes))
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

    /// `C[c][c]`.
    pub fn true_positives(&self, c: usize) -> u64 {
        self.get(c, c)
    }

    /// Samples predicted `c` whose truth is another class.
    pub fn false_positives(&self, c: usize) -> u64 {
        self.predicted(c) - self.get(c, c)
    }

    /// Samples of class `c` predicted as another class.
    pub fn false_negatives(&self, c: usize) -> u64 {
        self.support(c) - self.get(c, c)
    }

    /// Samples neither of class `c` nor predicted `c` (one-vs-rest).
    pub fn true_negatives(&self, c: usize) -> u64 {
        self.total() + self.get(c, c) - self.support(c) - self.predicted(c)
    }

    /// `trace(C)`.
    pub fn trace(&self) -> u64 {
        (0..self.n_classes).map(|c| self.get(c, c)).sum()
    }

    /// Whether class `c` occurs in the truth or the predictions. scikit-learn's `labels=None`
    /// (`unique_labels(y_true, y_pred)`) keeps exactly these classes, so every average over classes
    /// in this module runs over them.
    pub fn is_present(&self, c: usize) -> bool {
        self.support(c) > 0 || self.predicted(c) > 0
    }

    /// The classes that occur in the truth or the predictions, ascending.
    pub fn present_classes(&self) -> Vec<usize> {
        (0..self.n_classes)
            .filter(|&c| self.is_present(c))
            .collect()
    }

    /// The matrix restricted to the present classes (what `sklearn.metrics.confusion_matrix`
    /// returns with `labels=None`), with the kept class ids.
    pub fn compact(&self) -> (ConfusionMatrix, Vec<usize>) {
        let kept = self.present_classes();
        let m = kept.len();
        let mut counts = vec![0u64; m * m];
        for (i, &t) in kept.iter().enumerate() {
            for (j, &p) in kept.iter().enumerate() {
                counts[i * m + j] = self.get(t, p);
            }
        }
        (
            ConfusionMatrix {
                n_classes: m,
                counts,
            },
            kept,
        )
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

fn check_labels(name: &str, labels: &[usize], n_classes: usize) -> Result<()> {
    match labels.iter().position(|&l| l >= n_classes) {
        Some(i) => Err(EngineError::Data(format!(
            "{name}[{i}] = {} but there are only {n_classes} classes (labels 0..{})",
            labels[i],
            n_classes - 1
        ))),
        None => Ok(()),
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

    #[test]
    fn one_vs_rest_counts_and_compaction() {
        let cm = ConfusionMatrix::new(&[0, 0, 2, 2], &[0, 2, 2, 2], 4);
        assert_eq!(cm.present_classes(), vec![0, 2]);
        assert_eq!(
            (
                cm.true_positives(2),
                cm.false_positives(2),
                cm.false_negatives(2),
                cm.true_negatives(2)
            ),
            (2, 1, 0, 1)
        );
        let (small, kept) = cm.compact();
        assert_eq!(kept, vec![0, 2]);
        assert_eq!(small.counts, vec![1, 1, 0, 2]);
        assert!(ConfusionMatrix::try_new(&[0, 4], &[0, 1], 4).is_err());
        assert!(ConfusionMatrix::try_new(&[0], &[0, 1], 4).is_err());
    }
}
