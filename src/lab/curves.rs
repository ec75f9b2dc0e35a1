//! ROC and precision-recall curves per class (one-vs-rest) and the reliability diagram, all on the
//! test split's raw probabilities (the engine's `metrics::roc`, `metrics::precision_recall`,
//! `metrics::calibration`). The curves do not depend on the decision rule; the operating point on
//! them does, and comes from the snapshot's confusion matrix (see [`operating_point`]).

use imlab_engine::metrics::{
    average_precision_binary, expected_calibration_error, precision_recall_curve,
    roc::roc_auc_binary, roc::roc_curve, ConfusionMatrix, Probabilities, ReliabilityBin, ECE_BINS,
};

/// One class against the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassCurve {
    pub class: usize,
    /// `(false-positive rate, true-positive rate)`, from (0, 0) to (1, 1). Empty when undefined
    /// (the class or its complement is absent from the test split).
    pub roc: Vec<(f64, f64)>,
    pub auc: Option<f64>,
    /// `(recall, precision)`, decreasing recall. Empty when undefined.
    pub pr: Vec<(f64, f64)>,
    pub average_precision: Option<f64>,
    /// Share of the class in the test split: the precision of a random classifier.
    pub prevalence: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curves {
    pub classes: Vec<ClassCurve>,
    pub reliability: Vec<ReliabilityBin>,
    /// Expected calibration error (top label, 15 bins); `None` when undefined.
    pub ece: Option<f64>,
}

impl Curves {
    /// Curves for `labels` (test split) and their `labels.len() × k` probabilities.
    pub fn new(labels: &[usize], probs: &[f32], k: usize) -> Self {
        let n = labels.len();
        if k == 0 || probs.len() != n * k {
            return Curves::default();
        }
        let classes = (0..k)
            .map(|c| {
                let truth: Vec<bool> = labels.iter().map(|&y| y == c).collect();
                let scores: Vec<f64> = probs.chunks(k).map(|r| f64::from(r[c])).collect();
                one_vs_rest(c, &truth, &scores)
            })
            .collect();
        let (reliability, ece) = match Probabilities::new(probs, k)
            .and_then(|p| expected_calibration_error(labels, &p, ECE_BINS))
        {
            Ok(cal) => (cal.bins, cal.ece.value()),
            Err(_) => (Vec::new(), None),
        };
        Curves {
            classes,
            reliability,
            ece,
        }
    }
}

fn one_vs_rest(class: usize, truth: &[bool], scores: &[f64]) -> ClassCurve {
    let positives = truth.iter().filter(|&&t| t).count();
    let prevalence = positives as f64 / truth.len().max(1) as f64;
    let roc = match roc_curve(truth, scores, true) {
        Ok(r) => match (r.fpr, r.tpr) {
            (Some(f), Some(t)) => f.into_iter().zip(t).collect(),
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    let pr = match precision_recall_curve(truth, scores, true) {
        Ok(c) => match c.recall {
            Some(r) => r.into_iter().zip(c.precision).collect(),
            None => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    ClassCurve {
        class,
        auc: roc_auc_binary(truth, scores).ok().and_then(|s| s.value()),
        average_precision: average_precision_binary(truth, scores)
            .ok()
            .and_then(|s| s.value()),
        roc,
        pr,
        prevalence,
    }
}

/// Where the current decision rule sits on one class's curves (`None` where undefined).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OperatingPoint {
    /// `(false-positive rate, true-positive rate)`.
    pub roc: Option<(f64, f64)>,
    /// `(recall, precision)`.
    pub pr: Option<(f64, f64)>,
}

/// The operating point of class `c` (against the rest) from the confusion matrix.
pub fn operating_point(cm: &ConfusionMatrix, c: usize) -> OperatingPoint {
    let tp = cm.true_positives(c) as f64;
    let fp = cm.false_positives(c) as f64;
    let fn_ = cm.false_negatives(c) as f64;
    let tn = cm.true_negatives(c) as f64;
    let tpr = (tp + fn_ > 0.0).then(|| tp / (tp + fn_));
    let fpr = (fp + tn > 0.0).then(|| fp / (fp + tn));
    let precision = (tp + fp > 0.0).then(|| tp / (tp + fp));
    OperatingPoint {
        roc: fpr.zip(tpr),
        pr: tpr.zip(precision),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_scores_give_unit_areas_and_the_point_sits_on_the_curve() {
        let labels = [0, 0, 1, 1, 0];
        let probs = [0.9f32, 0.1, 0.8, 0.2, 0.3, 0.7, 0.1, 0.9, 0.6, 0.4];
        let c = Curves::new(&labels, &probs, 2);
        assert_eq!(c.classes.len(), 2);
        assert_eq!(c.classes[1].auc, Some(1.0));
        assert_eq!(c.classes[1].average_precision, Some(1.0));
        assert_eq!(c.classes[1].roc.first(), Some(&(0.0, 0.0)));
        assert_eq!(c.classes[1].roc.last(), Some(&(1.0, 1.0)));
        assert!((c.classes[1].prevalence - 0.4).abs() < 1e-12);
        assert_eq!(c.reliability.len(), ECE_BINS);
        assert!(c.ece.is_some());
        let cm = ConfusionMatrix::new(&labels, &[0, 0, 1, 1, 0], 2);
        let op = operating_point(&cm, 1);
        assert_eq!(op.roc, Some((0.0, 1.0)));
        assert_eq!(op.pr, Some((1.0, 1.0)));
    }

    #[test]
    fn an_absent_class_is_undefined_not_nan() {
        let labels = [0, 0, 0];
        let probs = [0.9f32, 0.1, 0.8, 0.2, 0.6, 0.4];
        let c = Curves::new(&labels, &probs, 2);
        assert_eq!(c.classes[1].auc, None);
        assert!(c.classes[1].roc.is_empty());
        let cm = ConfusionMatrix::new(&labels, &[0, 0, 1], 2);
        let op = operating_point(&cm, 1);
        assert_eq!(op.roc, None);
        assert_eq!(op.pr, None);
    }
}
