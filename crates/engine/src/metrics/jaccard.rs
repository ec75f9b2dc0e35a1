//! Jaccard index `|T ∩ P| / |T ∪ P|` (Jaccard, "The distribution of the flora in the alpine zone",
//! New Phytologist 11, 1912), per sample or per label.
//!
//! Reference: `sklearn.metrics.jaccard_score(average='samples'|'macro'|'micro', zero_division='warn')`
//! (scikit-learn 1.9.1). An empty union is 0/0: undefined here, 0.0 in the reference; an average
//! over parts with an empty union is undefined with the reference's average as substitute.

use serde::{Deserialize, Serialize};

use super::label_indicators::LabelIndicators;
use super::score::{aggregate, Reason, Reference, Score};
use super::summation::mean;
use super::ConfusionMatrix;
use crate::Result;

/// How per-sample / per-label Jaccard indices are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JaccardAverage {
    /// Mean over samples of the per-sample index.
    Samples,
    /// Mean over labels of the per-label index.
    Macro,
    /// Pooled counts over all labels.
    Micro,
}

fn ratio(inter: usize, union: usize, index: usize) -> Score {
    if union == 0 {
        Score::undefined(
            Reason::EmptyUnion {
                indices: vec![index],
            },
            Reference::Value(0.0),
        )
    } else {
        Score::Defined(inter as f64 / union as f64)
    }
}

/// Per-label Jaccard indices (`average=None`).
pub fn jaccard_per_label(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Result<Vec<Score>> {
    y_true.check_same_shape(y_pred)?;
    Ok((0..y_true.n_labels)
        .map(|l| {
            let (mut inter, mut union) = (0, 0);
            for i in 0..y_true.n_samples {
                let (t, p) = (y_true.get(i, l), y_pred.get(i, l));
                inter += usize::from(t && p);
                union += usize::from(t || p);
            }
            ratio(inter, union, l)
        })
        .collect())
}

/// Multi-label Jaccard score.
pub fn jaccard_multilabel(
    y_true: &LabelIndicators,
    y_pred: &LabelIndicators,
    average: JaccardAverage,
) -> Result<Score> {
    y_true.check_same_shape(y_pred)?;
    Ok(match average {
        JaccardAverage::Macro => {
            let parts = jaccard_per_label(y_true, y_pred)?;
            aggregate(&parts.iter().collect::<Vec<_>>(), mean)
        }
        JaccardAverage::Samples => {
            let parts: Vec<Score> = (0..y_true.n_samples)
                .map(|i| {
                    let (mut inter, mut union) = (0, 0);
                    for l in 0..y_true.n_labels {
                        let (t, p) = (y_true.get(i, l), y_pred.get(i, l));
                        inter += usize::from(t && p);
                        union += usize::from(t || p);
                    }
                    ratio(inter, union, i)
                })
                .collect();
            aggregate(&parts.iter().collect::<Vec<_>>(), mean)
        }
        JaccardAverage::Micro => {
            let inter = y_true
                .bits
                .iter()
                .zip(&y_pred.bits)
                .filter(|(&t, &p)| t && p)
                .count();
            let union = y_true
                .bits
                .iter()
                .zip(&y_pred.bits)
                .filter(|(&t, &p)| t || p)
                .count();
            match ratio(inter, union, 0) {
                Score::Undefined { reference, .. } => Score::undefined(
                    Reason::EmptyUnion {
                        indices: (0..y_true.n_labels).collect(),
                    },
                    reference,
                ),
                s => s,
            }
        }
    })
}

impl ConfusionMatrix {
    /// Single-label Jaccard of class `c`: `TP / (TP + FP + FN)`.
    pub fn jaccard_score(&self, c: usize) -> Score {
        if !self.is_present(c) {
            return Score::undefined(Reason::AbsentClass { class: c }, Reference::Omitted);
        }
        let tp = self.true_positives(c) as usize;
        ratio(tp, (self.support(c) + self.predicted(c)) as usize - tp, c)
    }

    /// `jaccard_score(y_true, y_pred, average='macro')` over the present classes.
    pub fn jaccard_macro(&self) -> Score {
        let parts: Vec<Score> = self
            .present_classes()
            .into_iter()
            .map(|c| self.jaccard_score(c))
            .collect();
        aggregate(&parts.iter().collect::<Vec<_>>(), mean)
    }
}
