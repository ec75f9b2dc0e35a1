//! The per-run scores of a sweep, from the test split's confusion matrix and class probabilities.
//!
//! Definitions follow the references named in `methods-spec.md` §D, and are tested against them
//! (`tests/fixtures/sweep_scores.json`, written by `tools/fixtures/cli_sweep_scores.py`):
//! * balanced accuracy: `sklearn.metrics.balanced_accuracy_score`;
//! * macro-F1: `f1_score(average='macro')`, over the classes in the truth or the prediction, a class
//!   never predicted counting 0;
//! * G-mean: `imblearn.metrics.geometric_mean_score` with its defaults (multiclass: the geometric mean
//!   of per-class recalls over the classes in the truth or the prediction, computed as
//!   `exp(mean(ln recall))` as scipy's `gmean`; a recall of 0 makes it 0);
//! * minority recall: recall of the class with the fewest training rows (before resampling; the
//!   smallest label on a tie);
//! * AUC: binary ROC AUC of P(class 1) by the Mann–Whitney statistic (ties count ½), which equals
//!   `roc_auc_score`; with more classes the one-vs-rest macro average (`multi_class='ovr'`).
//!   Undefined (`None`) when a class is missing from the truth.

use crate::math;
use crate::metrics::ConfusionMatrix;
use serde::{Deserialize, Serialize};

/// Names of the score columns, in output order.
pub const SCORE_NAMES: [&str; 6] = [
    "balanced_accuracy",
    "macro_f1",
    "g_mean",
    "minority_recall",
    "accuracy",
    "auc",
];

/// One run's scores; `None` where a score is undefined.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub balanced_accuracy: Option<f64>,
    pub macro_f1: Option<f64>,
    pub g_mean: Option<f64>,
    pub minority_recall: Option<f64>,
    pub accuracy: Option<f64>,
    pub auc: Option<f64>,
}

impl Scores {
    /// The scores of a run: `cm` on the test split, `y_true` and row-major `probs` (n × K), and the
    /// class counts of the training split before resampling.
    pub fn compute(
        cm: &ConfusionMatrix,
        y_true: &[usize],
        probs: &[f32],
        train_counts: &[usize],
    ) -> Self {
        Scores {
            balanced_accuracy: cm.balanced_accuracy(),
            macro_f1: macro_f1(cm),
            g_mean: g_mean(cm),
            minority_recall: minority(train_counts).and_then(|c| cm.recall(c)),
            accuracy: cm.accuracy(),
            auc: auc(y_true, probs, cm.n_classes),
        }
    }

    /// The values in [`SCORE_NAMES`] order.
    pub fn values(&self) -> [Option<f64>; 6] {
        [
            self.balanced_accuracy,
            self.macro_f1,
            self.g_mean,
            self.minority_recall,
            self.accuracy,
            self.auc,
        ]
    }

    pub fn from_values(v: [Option<f64>; 6]) -> Self {
        Scores {
            balanced_accuracy: v[0],
            macro_f1: v[1],
            g_mean: v[2],
            minority_recall: v[3],
            accuracy: v[4],
            auc: v[5],
        }
    }
}

/// Classes in the truth or the prediction (scikit-learn's `labels=None`).
fn labels(cm: &ConfusionMatrix) -> Vec<usize> {
    (0..cm.n_classes)
        .filter(|&c| cm.support(c) > 0 || cm.predicted(c) > 0)
        .collect()
}

fn macro_f1(cm: &ConfusionMatrix) -> Option<f64> {
    let l = labels(cm);
    (!l.is_empty())
        .then(|| l.iter().map(|&c| cm.f1(c).unwrap_or(0.0)).sum::<f64>() / l.len() as f64)
}

fn g_mean(cm: &ConfusionMatrix) -> Option<f64> {
    let l = labels(cm);
    if l.is_empty() {
        return None;
    }
    let recalls: Vec<f64> = l.iter().map(|&c| cm.recall(c).unwrap_or(0.0)).collect();
    if recalls.contains(&0.0) {
        return Some(0.0);
    }
    let mean_log = recalls.iter().map(|&r| math::ln(r)).sum::<f64>() / recalls.len() as f64;
    Some(math::exp(mean_log))
}

/// The class with the fewest rows among those present; the smallest label on a tie.
pub fn minority(counts: &[usize]) -> Option<usize> {
    (0..counts.len())
        .filter(|&c| counts[c] > 0)
        .min_by_key(|&c| (counts[c], c))
}

fn auc(y_true: &[usize], probs: &[f32], k: usize) -> Option<f64> {
    if k < 2 || probs.len() != y_true.len() * k {
        return None;
    }
    let column = |c: usize| -> Vec<f64> {
        probs
            .iter()
            .skip(c)
            .step_by(k)
            .map(|&p| f64::from(p))
            .collect()
    };
    if k == 2 {
        let positive: Vec<bool> = y_true.iter().map(|&y| y == 1).collect();
        return auc_binary(&positive, &column(1));
    }
    let mut sum = 0.0;
    for c in 0..k {
        let positive: Vec<bool> = y_true.iter().map(|&y| y == c).collect();
        sum += auc_binary(&positive, &column(c))?;
    }
    Some(sum / k as f64)
}

/// ROC AUC as the Mann–Whitney statistic: `(R₊ − n₊(n₊+1)/2) / (n₊ n₋)` with `R₊` the sum of the
/// positives' mid-ranks (tied scores share the mean of their ranks, which counts a tie as ½).
/// `None` without positives or without negatives.
pub fn auc_binary(positive: &[bool], score: &[f64]) -> Option<f64> {
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[a].total_cmp(&score[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their mean.
        let mid = (i + j + 2) as f64 / 2.0;
        let pos_in_block = order[i..=j].iter().filter(|&&r| positive[r]).count();
        rank_sum += mid * pos_in_block as f64;
        i = j + 1;
    }
    let np = n_pos as f64;
    Some((rank_sum - np * (np + 1.0) / 2.0) / (np * n_neg as f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn close(a: Option<f64>, b: &Value, what: &str, i: usize) {
        match (a, b.as_f64()) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-12, "case {i} {what}: {a} vs {b}"),
            (None, None) => {}
            _ => panic!("case {i} {what}: {a:?} vs {b}"),
        }
    }

    #[test]
    fn scores_match_scikit_learn_and_imbalanced_learn() {
        let fixture: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/sweep_scores.json")).unwrap();
        let cases = fixture["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 60);
        for (i, c) in cases.iter().enumerate() {
            let k = c["k"].as_u64().unwrap() as usize;
            let ints = |key: &str| -> Vec<usize> {
                c[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
                    .collect()
            };
            let (t, p) = (ints("y_true"), ints("y_pred"));
            let probs: Vec<f32> = c["proba"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
                .collect();
            let cm = ConfusionMatrix::new(&t, &p, k);
            let s = Scores::compute(&cm, &t, &probs, &vec![1; k]);
            close(
                s.balanced_accuracy,
                &c["balanced_accuracy"],
                "balanced accuracy",
                i,
            );
            close(s.macro_f1, &c["macro_f1"], "macro-F1", i);
            close(s.g_mean, &c["g_mean"], "G-mean", i);
            close(s.accuracy, &c["accuracy"], "accuracy", i);
            close(s.auc, &c["auc"], "AUC", i);
        }
    }

    // methods-spec.md §D.1 golden example (scikit-learn 1.9.1).
    #[test]
    fn golden_example() {
        let t = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 0];
        let p = [0, 0, 0, 0, 1, 0, 1, 2, 1, 2, 0, 0];
        let probs: [f32; 36] = [
            0.7992, 0.1743, 0.0265, 0.2632, 0.3472, 0.3896, 0.4866, 0.2942, 0.2192, 0.6522, 0.3466,
            0.0012, 0.6563, 0.0151, 0.3286, 0.3558, 0.3959, 0.2483, 0.2219, 0.7571, 0.0210, 0.0609,
            0.6222, 0.3169, 0.2370, 0.3789, 0.3841, 0.3363, 0.2350, 0.4287, 0.3798, 0.2146, 0.4056,
            0.6126, 0.2435, 0.1439,
        ];
        let cm = ConfusionMatrix::new(&t, &p, 3);
        let s = Scores::compute(&cm, &t, &probs, &[50, 10, 20]);
        assert!((s.macro_f1.unwrap() - 0.674603175).abs() < 1e-9);
        assert!((s.g_mean.unwrap() - 0.658633756).abs() < 1e-9);
        assert!((s.auc.unwrap() - 0.959082892).abs() < 1e-9);
        // Minority by training counts is class 1, whose test recall is 2/3.
        assert!((s.minority_recall.unwrap() - 2.0 / 3.0).abs() < 1e-15);
        let positive: Vec<bool> = t.iter().map(|&y| y == 1).collect();
        let col1: Vec<f64> = probs
            .iter()
            .skip(1)
            .step_by(3)
            .map(|&v| f64::from(v))
            .collect();
        assert!((auc_binary(&positive, &col1).unwrap() - 0.962962963).abs() < 1e-9);
    }

    #[test]
    fn auc_counts_ties_as_half_and_needs_both_classes() {
        assert_eq!(auc_binary(&[true, false], &[0.5, 0.5]), Some(0.5));
        assert_eq!(auc_binary(&[true, false], &[0.9, 0.1]), Some(1.0));
        assert_eq!(auc_binary(&[true, true], &[0.9, 0.1]), None);
        assert_eq!(minority(&[5, 0, 3, 3]), Some(2));
    }
}
