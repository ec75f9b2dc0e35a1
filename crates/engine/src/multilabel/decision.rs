//! How label probabilities become a predicted label set: one global threshold, one threshold per
//! label, or the `k` most probable labels of each sample.
//!
//! Thresholds are strict (`p > t`), as [`LabelScores::predict`](super::metrics::LabelScores::predict)
//! and scikit-learn's indicator outputs decide. Top-k breaks ties by the lower label index, so a
//! decision never depends on sort stability.

use serde::{Deserialize, Serialize};

use crate::metrics::LabelIndicators;
use crate::{EngineError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DecisionRule {
    /// Label `l` is predicted when `p_l > threshold`.
    Threshold { threshold: f64 },
    /// Label `l` is predicted when `p_l > thresholds[l]` (one per label).
    PerLabelThresholds { thresholds: Vec<f64> },
    /// The `k` labels of highest probability, whatever their values.
    TopK { k: usize },
}

impl Default for DecisionRule {
    fn default() -> Self {
        DecisionRule::Threshold { threshold: 0.5 }
    }
}

fn check_threshold(t: f64, key: &str) -> Result<()> {
    if t.is_finite() && (0.0..=1.0).contains(&t) {
        Ok(())
    } else {
        Err(EngineError::config(
            key,
            format!("a probability threshold must be between 0 and 1, got {t}"),
        ))
    }
}

impl DecisionRule {
    pub fn name(&self) -> &'static str {
        match self {
            DecisionRule::Threshold { .. } => "threshold",
            DecisionRule::PerLabelThresholds { .. } => "per_label_thresholds",
            DecisionRule::TopK { .. } => "top_k",
        }
    }

    /// Checks the rule for `n_labels` labels; keys are under `multilabel.decision`.
    pub fn validate(&self, n_labels: usize) -> Result<()> {
        match self {
            DecisionRule::Threshold { threshold } => {
                check_threshold(*threshold, "multilabel.decision.threshold")
            }
            DecisionRule::PerLabelThresholds { thresholds } => {
                if thresholds.len() != n_labels {
                    return Err(EngineError::config(
                        "multilabel.decision.thresholds",
                        format!(
                            "give one threshold per label: {n_labels} labels but {} thresholds",
                            thresholds.len()
                        ),
                    ));
                }
                thresholds
                    .iter()
                    .try_for_each(|&t| check_threshold(t, "multilabel.decision.thresholds"))
            }
            DecisionRule::TopK { k } => {
                if (1..=n_labels).contains(k) {
                    Ok(())
                } else {
                    Err(EngineError::config(
                        "multilabel.decision.k",
                        format!("k must be 1 to the number of labels ({n_labels}), got {k}"),
                    ))
                }
            }
        }
    }

    /// The predicted label sets of `probs` (`n × n_labels`, row-major). The rule must have been
    /// validated for `n_labels`.
    pub fn decide(&self, probs: &[f64], n_labels: usize) -> LabelIndicators {
        let mut bits = vec![false; probs.len()];
        for (row, out) in probs.chunks(n_labels).zip(bits.chunks_mut(n_labels)) {
            match self {
                DecisionRule::Threshold { threshold } => {
                    for (o, &p) in out.iter_mut().zip(row) {
                        *o = p > *threshold;
                    }
                }
                DecisionRule::PerLabelThresholds { thresholds } => {
                    for ((o, &p), &t) in out.iter_mut().zip(row).zip(thresholds) {
                        *o = p > t;
                    }
                }
                DecisionRule::TopK { k } => {
                    let mut order: Vec<usize> = (0..n_labels).collect();
                    // Highest first; equal probabilities keep the lower index first.
                    order.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
                    for &l in order.iter().take(*k) {
                        out[l] = true;
                    }
                }
            }
        }
        LabelIndicators {
            n_samples: probs.len() / n_labels.max(1),
            n_labels,
            bits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_decides_as_documented() {
        let p = [0.9, 0.5, 0.2, 0.1, 0.3, 0.3];
        let t = DecisionRule::Threshold { threshold: 0.5 }.decide(&p, 3);
        assert_eq!(t.bits, vec![true, false, false, false, false, false]);
        let per = DecisionRule::PerLabelThresholds {
            thresholds: vec![0.95, 0.4, 0.25],
        }
        .decide(&p, 3);
        assert_eq!(per.bits, vec![false, true, false, false, false, true]);
        let top = DecisionRule::TopK { k: 1 }.decide(&p, 3);
        // Row 2 ties 0.3/0.3: the lower index wins.
        assert_eq!(top.bits, vec![true, false, false, false, true, false]);
        assert_eq!(top.n_samples, 2);
    }

    #[test]
    fn bad_rules_name_their_key() {
        let e = DecisionRule::TopK { k: 4 }.validate(3).unwrap_err();
        assert!(e.to_string().contains("multilabel.decision.k"), "{e}");
        let e = DecisionRule::PerLabelThresholds {
            thresholds: vec![0.5; 2],
        }
        .validate(3)
        .unwrap_err();
        assert!(e.to_string().contains("one threshold per label"), "{e}");
        let e = DecisionRule::Threshold { threshold: 1.5 }
            .validate(3)
            .unwrap_err();
        assert!(
            e.to_string().contains("multilabel.decision.threshold"),
            "{e}"
        );
        assert!(DecisionRule::default().validate(2).is_ok());
    }
}
