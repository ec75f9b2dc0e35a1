//! Cohen's κ (Cohen, "A coefficient of agreement for nominal scales", 1960; weighted form: Cohen,
//! "Weighted kappa", Psychol. Bull. 70, 1968): `κ = 1 − Σ w_ij O_ij / Σ w_ij E_ij` with
//! `E_ij = p_i t_j / N`.
//!
//! Reference: `sklearn.metrics.cohen_kappa_score(weights=None|'linear'|'quadratic')` (scikit-learn
//! 1.9.1), reproduced in its summation order. As there, the matrix covers only the classes present
//! in `y_true` or `y_pred`, and linear / quadratic weights use the distance between *positions in
//! that list*, not between label values: with classes {0, 2} present, 0 and 2 are one step apart.
//! A zero expected disagreement is undefined (reference: NaN, `replace_undefined_by`'s default).

use serde::{Deserialize, Serialize};

use super::score::{Reason, Reference, Score};
use super::summation::pairwise_sum;
use super::ConfusionMatrix;

/// Disagreement weights of Cohen's κ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KappaWeights {
    /// 1 off the diagonal (plain κ).
    Unweighted,
    /// `|i − j|`.
    Linear,
    /// `(i − j)²`.
    Quadratic,
}

impl ConfusionMatrix {
    /// Cohen's κ between truth and prediction.
    pub fn cohen_kappa(&self, weights: KappaWeights) -> Score {
        let (cm, _) = self.compact();
        let m = cm.n_classes;
        let pred: Vec<f64> = (0..m).map(|c| cm.predicted(c) as f64).collect();
        let truth: Vec<f64> = (0..m).map(|c| cm.support(c) as f64).collect();
        let n = pairwise_sum(&pred);
        if n == 0.0 {
            return Score::undefined(Reason::NoSamples, Reference::Nan);
        }
        let w = |i: usize, j: usize| -> f64 {
            let d = i.abs_diff(j) as f64;
            match weights {
                KappaWeights::Unweighted => f64::from(u8::from(i != j)),
                KappaWeights::Linear => d,
                KappaWeights::Quadratic => d * d,
            }
        };
        let mut observed = Vec::with_capacity(m * m);
        let mut expected = Vec::with_capacity(m * m);
        for (i, &pred_i) in pred.iter().enumerate() {
            for (j, &true_j) in truth.iter().enumerate() {
                observed.push(w(i, j) * cm.get(i, j) as f64);
                // sklearn: outer(column sums, row sums) / N, element [i][j] = pred_i · true_j / N.
                expected.push(w(i, j) * (pred_i * true_j / n));
            }
        }
        let den = pairwise_sum(&expected);
        if den == 0.0 {
            return Score::undefined(Reason::NoExpectedDisagreement, Reference::Nan);
        }
        Score::Defined(1.0 - pairwise_sum(&observed) / den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_edge_cases() {
        // methods-spec.md §D: one predicted class → 0.0.
        let cm = ConfusionMatrix::new(&[0, 1, 1, 0], &[1, 1, 1, 1], 2);
        assert_eq!(cm.cohen_kappa(KappaWeights::Unweighted).value(), Some(0.0));
        let same = ConfusionMatrix::new(&[1, 1], &[1, 1], 2);
        let s = same.cohen_kappa(KappaWeights::Quadratic);
        assert_eq!(s.value(), None);
        assert!(s.reference().unwrap().is_nan());
    }

    #[test]
    fn weights_use_positions_among_present_classes() {
        let a = ConfusionMatrix::new(&[0, 2, 2, 0], &[2, 2, 0, 0], 3);
        let b = ConfusionMatrix::new(&[0, 1, 1, 0], &[1, 1, 0, 0], 2);
        assert_eq!(
            a.cohen_kappa(KappaWeights::Quadratic),
            b.cohen_kappa(KappaWeights::Quadratic)
        );
    }
}
