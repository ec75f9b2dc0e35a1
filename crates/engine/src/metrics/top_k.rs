//! Top-k accuracy: the share of samples whose true class is among the k highest scores.
//!
//! Reference: `sklearn.metrics.top_k_accuracy_score(y_true, P, k, labels=range(K))` (scikit-learn
//! 1.9.1) for K ≥ 3. Ties follow the reference's order (`argsort(kind='mergesort')[:, ::-1]`): among
//! equal scores the *higher* class index ranks first. For K = 2 the reference takes a binary path
//! on `P[:, 1]` (`p > 0.5` for k = 1), which differs from this rule only when `p_1 = p_0`.

use super::probabilities::{check_truth, Probabilities};
use super::score::Score;
use crate::{EngineError, Result};

/// Top-`k` accuracy; k ≥ K gives 1.
pub fn top_k_accuracy(y_true: &[usize], probs: &Probabilities, k: usize) -> Result<Score> {
    if k == 0 {
        return Err(EngineError::config("k", "must be at least 1"));
    }
    check_truth(y_true, probs)?;
    let hits = y_true
        .iter()
        .enumerate()
        .filter(|&(i, &y)| {
            let row = probs.row(i);
            let s = row[y];
            let ahead = row
                .iter()
                .enumerate()
                .filter(|&(j, &v)| v > s || (v == s && j > y))
                .count();
            ahead < k
        })
        .count();
    Ok(Score::Defined(hits as f64 / y_true.len() as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_rank_the_higher_class_first() {
        let p = Probabilities::new(&[0.4, 0.3, 0.3], 3).unwrap();
        assert_eq!(top_k_accuracy(&[1], &p, 2).unwrap().value(), Some(0.0));
        assert_eq!(top_k_accuracy(&[2], &p, 2).unwrap().value(), Some(1.0));
        assert_eq!(top_k_accuracy(&[1], &p, 3).unwrap().value(), Some(1.0));
    }
}
