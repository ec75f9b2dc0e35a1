//! True-positive, predicted and true counts per label or per sample: the rows of scikit-learn's
//! `multilabel_confusion_matrix` (`samplewise=False` / `True`) that precision, recall, F1 and
//! Jaccard are built from.

use crate::metrics::LabelIndicators;

/// Counts of each part (a label, or a sample).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartCounts {
    pub tp: Vec<usize>,
    /// Predicted positives (`tp + fp`).
    pub predicted: Vec<usize>,
    /// True positives plus false negatives: the support.
    pub truth: Vec<usize>,
}

impl PartCounts {
    /// One part per label.
    pub fn per_label(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Self {
        Self::count(y_true, y_pred, y_true.n_labels, |_, l| l)
    }

    /// One part per sample.
    pub fn per_sample(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Self {
        Self::count(y_true, y_pred, y_true.n_samples, |i, _| i)
    }

    fn count(
        y_true: &LabelIndicators,
        y_pred: &LabelIndicators,
        parts: usize,
        part: impl Fn(usize, usize) -> usize,
    ) -> Self {
        let mut c = PartCounts {
            tp: vec![0; parts],
            predicted: vec![0; parts],
            truth: vec![0; parts],
        };
        for i in 0..y_true.n_samples {
            for l in 0..y_true.n_labels {
                let (t, p) = (y_true.get(i, l), y_pred.get(i, l));
                let k = part(i, l);
                c.tp[k] += usize::from(t && p);
                c.predicted[k] += usize::from(p);
                c.truth[k] += usize::from(t);
            }
        }
        c
    }

    /// All parts pooled into one (average `micro`).
    pub fn pooled(&self) -> (usize, usize, usize) {
        (
            self.tp.iter().sum(),
            self.predicted.iter().sum(),
            self.truth.iter().sum(),
        )
    }
}
