//! Label-ranking metrics: how well each sample's scores rank its true labels above its others.
//!
//! Reference: `sklearn.metrics.label_ranking_average_precision_score`, `coverage_error` and
//! `label_ranking_loss` (scikit-learn 1.9.1, `metrics/_ranking.py`; definitions from Tsoumakas,
//! Katakis & Vlahavas, "Mining multi-label data", Data Mining and Knowledge Discovery Handbook,
//! 2010). Ties are counted as the reference does: a tie with a true label counts against it
//! (rank "max"), and in the ranking loss a tied (true, false) pair is a wrong pair. A sample with
//! no true label or only true labels scores 1 in LRAP and 0 in the ranking loss; in the coverage
//! error it counts 0.

use super::label_scores::LabelScores;
use crate::metrics::summation::{mean, pairwise_sum};
use crate::metrics::LabelIndicators;
use crate::Result;

/// Label-ranking average precision: mean over samples of
/// `(1/|Y_i|) Σ_{j∈Y_i} |{k∈Y_i : s_k ≥ s_j}| / |{k : s_k ≥ s_j}|`.
pub fn label_ranking_average_precision(
    y_true: &LabelIndicators,
    scores: &LabelScores,
) -> Result<f64> {
    scores.check_against(y_true)?;
    let l = y_true.n_labels;
    // The reference adds the per-sample values one by one in a Python loop.
    let mut out = 0.0;
    for i in 0..y_true.n_samples {
        let s = scores.row(i);
        let relevant: Vec<usize> = (0..l).filter(|&j| y_true.get(i, j)).collect();
        let aux = if relevant.is_empty() || relevant.len() == l {
            1.0
        } else {
            let ratios: Vec<f64> = relevant
                .iter()
                .map(|&j| {
                    let rank = s.iter().filter(|&&v| v >= s[j]).count();
                    let above = relevant.iter().filter(|&&k| s[k] >= s[j]).count();
                    above as f64 / rank as f64
                })
                .collect();
            pairwise_sum(&ratios) / ratios.len() as f64
        };
        out += aux;
    }
    Ok(out / y_true.n_samples as f64)
}

/// Coverage error: mean over samples of how many labels score at least the lowest-scored true
/// label (how far down the ranking one must go to cover every true label).
pub fn coverage_error(y_true: &LabelIndicators, scores: &LabelScores) -> Result<f64> {
    scores.check_against(y_true)?;
    let l = y_true.n_labels;
    let per_sample: Vec<f64> = (0..y_true.n_samples)
        .map(|i| {
            let s = scores.row(i);
            let lowest = (0..l)
                .filter(|&j| y_true.get(i, j))
                .map(|j| s[j])
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
            lowest.map_or(0.0, |m| s.iter().filter(|&&v| v >= m).count() as f64)
        })
        .collect();
    Ok(mean(&per_sample).unwrap_or(0.0))
}

/// Ranking loss: mean over samples of the share of (true, false) label pairs ordered wrongly
/// (the false label scores at least as high as the true one).
pub fn label_ranking_loss(y_true: &LabelIndicators, scores: &LabelScores) -> Result<f64> {
    scores.check_against(y_true)?;
    let l = y_true.n_labels;
    let per_sample: Vec<f64> = (0..y_true.n_samples)
        .map(|i| {
            let s = scores.row(i);
            let n_pos = (0..l).filter(|&j| y_true.get(i, j)).count();
            if n_pos == 0 || n_pos == l {
                return 0.0;
            }
            let mut wrong = 0usize;
            for r in (0..l).filter(|&j| y_true.get(i, j)) {
                wrong += (0..l)
                    .filter(|&k| !y_true.get(i, k) && s[k] >= s[r])
                    .count();
            }
            wrong as f64 / ((l - n_pos) * n_pos) as f64
        })
        .collect();
    Ok(mean(&per_sample).unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scikit_learn_docstring_examples() {
        // label_ranking_average_precision_score([[1,0,0],[0,0,1]], [[0.75,0.5,1],[1,0.2,0.1]]) = 0.416…
        let y = LabelIndicators::new(vec![true, false, false, false, false, true], 3).unwrap();
        let s = LabelScores::new(vec![0.75, 0.5, 1.0, 1.0, 0.2, 0.1], 3).unwrap();
        let lrap = label_ranking_average_precision(&y, &s).unwrap();
        assert!((lrap - 5.0 / 12.0).abs() < 1e-15);
        // Coverage: row 0 needs 2 labels, row 1 all 3.
        assert_eq!(coverage_error(&y, &s).unwrap(), 2.5);
        // Ranking loss: row 0 one of 2 pairs wrong; row 1 both pairs wrong.
        assert_eq!(label_ranking_loss(&y, &s).unwrap(), 0.75);
    }

    #[test]
    fn ties_count_against_the_true_label() {
        let y = LabelIndicators::new(vec![true, false], 2).unwrap();
        let s = LabelScores::new(vec![0.5, 0.5], 2).unwrap();
        assert_eq!(label_ranking_average_precision(&y, &s).unwrap(), 0.5);
        assert_eq!(label_ranking_loss(&y, &s).unwrap(), 1.0);
        assert_eq!(coverage_error(&y, &s).unwrap(), 2.0);
    }
}
