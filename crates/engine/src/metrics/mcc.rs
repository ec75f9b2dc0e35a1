//! Matthews correlation coefficient, multi-class form (Gorodkin, "Comparing two K-category
//! assignments by a K-category correlation coefficient", Comput. Biol. Chem. 28, 2004):
//! `(c·s − Σ_k p_k t_k) / sqrt((s² − Σ_k p_k²)(s² − Σ_k t_k²))` with c = trace, s = N, p/t the
//! predicted/true class counts.
//!
//! Reference: `sklearn.metrics.matthews_corrcoef` (scikit-learn 1.9.1), which returns 0.0 when the
//! denominator is 0; here that case is undefined with reference value 0.0. Every intermediate is an
//! integer held exactly in f64 (for N below about 9·10⁷), so the result is bit-identical.

use super::score::{Reason, Reference, Score};
use super::ConfusionMatrix;

impl ConfusionMatrix {
    /// Matthews correlation coefficient (R_K).
    pub fn mcc(&self) -> Score {
        let k = self.n_classes;
        let t: Vec<f64> = (0..k).map(|c| self.support(c) as f64).collect();
        let p: Vec<f64> = (0..k).map(|c| self.predicted(c) as f64).collect();
        let n_correct = self.trace() as f64;
        let n = self.total() as f64;
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        let cov_ytyp = n_correct * n - dot(&t, &p);
        let cov_ypyp = n * n - dot(&p, &p);
        let cov_ytyt = n * n - dot(&t, &t);
        let den = cov_ypyp * cov_ytyt;
        if den == 0.0 {
            let reason = if n == 0.0 {
                Reason::NoSamples
            } else {
                Reason::ConstantLabels
            };
            return Score::undefined(reason, Reference::Value(0.0));
        }
        Score::Defined(cov_ytyp / den.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_prediction_is_undefined_with_sklearn_zero() {
        // methods-spec.md §D: matthews_corrcoef([0,1,1,0],[1,1,1,1]) = 0.0.
        let s = ConfusionMatrix::new(&[0, 1, 1, 0], &[1, 1, 1, 1], 2).mcc();
        assert_eq!(s.value(), None);
        assert_eq!(s.reference(), Some(0.0));
        let perfect = ConfusionMatrix::new(&[0, 1, 2], &[0, 1, 2], 3).mcc();
        assert_eq!(perfect.value(), Some(1.0));
    }
}
