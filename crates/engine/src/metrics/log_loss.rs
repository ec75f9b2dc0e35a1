//! Log-loss (cross-entropy of the predicted probabilities): `−mean_i ln p_{i, y_i}` with
//! probabilities clipped to `[ε, 1 − ε]`, ε = f64 machine epsilon.
//!
//! Reference: `sklearn.metrics.log_loss(y_true, P, labels=range(K))` (scikit-learn 1.9.1), which
//! raises for values outside [0, 1] and only warns when rows do not sum to 1 (it no longer
//! renormalises). f32 inputs are widened to f64 first, so ε is the f64 one (the reference would use
//! f32's ε for an f32 array).

use super::probabilities::{check_truth, Probabilities};
use super::score::Score;
use super::summation::{mean, pairwise_sum};
use crate::math;
use crate::Result;

/// Mean negative log-likelihood of the true class.
pub fn log_loss(y_true: &[usize], probs: &Probabilities) -> Result<Score> {
    check_truth(y_true, probs)?;
    probs.check_unit_interval()?;
    let eps = f64::EPSILON;
    let losses: Vec<f64> = (0..probs.n_samples)
        .map(|i| {
            // xlogy(onehot, clip(p)) summed along the row, in the reference's order.
            let terms: Vec<f64> = probs
                .row(i)
                .iter()
                .enumerate()
                .map(|(c, &p)| {
                    if c == y_true[i] {
                        math::ln(p.clamp(eps, 1.0 - eps))
                    } else {
                        0.0
                    }
                })
                .collect();
            -pairwise_sum(&terms)
        })
        .collect();
    Ok(Score::Defined(mean(&losses).unwrap_or(f64::NAN)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certain_and_wrong_is_clipped() {
        let p = Probabilities::new(&[1.0, 0.0], 2).unwrap();
        let s = log_loss(&[1], &p).unwrap().value().unwrap();
        assert!((s - -math::ln(f64::EPSILON)).abs() < 1e-12);
        assert!(log_loss(&[0], &Probabilities::new(&[1.2, -0.2], 2).unwrap()).is_err());
    }
}
