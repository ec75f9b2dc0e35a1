//! Geometric mean of sensitivities (Kubat & Matwin, "Addressing the curse of imbalanced training
//! sets: one-sided selection", ICML 1997; multi-class form of imbalanced-learn) and the index
//! balanced accuracy built on it (García, Mollineda, Sánchez, IbPRIA 2009).
//!
//! Reference: `imblearn.metrics.geometric_mean_score` and `make_index_balanced_accuracy`
//! (imbalanced-learn 0.14.2, `imblearn/metrics/_classification.py`), tested against its fixtures.
//!
//! * `multiclass` (imblearn's default): `exp(mean(ln r_c))` over the classes present in `y_true` or
//!   `y_pred`, each recall `r_c` that is 0 (or 0/0, which imblearn sets to 0) replaced by
//!   `correction`. Predicting a class that is absent from `y_true` therefore zeroes the score.
//! * `macro`: `sqrt(mean_c(sens_c) · mean_c(spec_c))` — the square root of the product of the macro
//!   sensitivity and macro specificity (this is what imblearn computes; it is *not* the mean of the
//!   per-class G-means).
//! * `binary`: `sqrt(sens·spec)` of class 1 in a two-class problem.

use super::score::{aggregate, Reason, Reference, Score};
use super::summation::mean;
use super::ConfusionMatrix;
use crate::math;
use crate::{EngineError, Result};

impl ConfusionMatrix {
    /// imblearn's `geometric_mean_score(average='multiclass', correction=correction)`.
    pub fn g_mean_multiclass(&self, correction: f64) -> Score {
        let recalls: Vec<Score> = self
            .present_classes()
            .into_iter()
            .map(|c| self.recall_score(c))
            .collect();
        let parts: Vec<&Score> = recalls.iter().collect();
        aggregate(&parts, |r| {
            let logs: Vec<f64> = r
                .iter()
                .map(|&v| math::ln(if v == 0.0 { correction } else { v }))
                .collect();
            mean(&logs).map(math::exp)
        })
    }

    /// imblearn's `geometric_mean_score(average='macro')`: `sqrt(macro sens · macro spec)`.
    pub fn g_mean_macro(&self) -> Score {
        let (sens, specs) = self.macro_sensitivity_specificity();
        aggregate(&[&sens, &specs], |v| Some((v[0] * v[1]).sqrt()))
    }

    /// imblearn's `geometric_mean_score(average='binary', pos_label=1)`; needs two classes.
    pub fn g_mean_binary(&self) -> Result<Score> {
        if self.n_classes != 2 {
            return Err(EngineError::config(
                "average",
                format!(
                    "the binary G-mean needs 2 classes, this problem has {}; use multiclass or macro",
                    self.n_classes
                ),
            ));
        }
        if !self.is_present(1) {
            // imblearn returns 0.0 when only the negative label occurs.
            return Ok(Score::undefined(
                Reason::AbsentFromTruth { classes: vec![1] },
                Reference::Value(0.0),
            ));
        }
        Ok(self.g_mean_score(1))
    }

    /// `make_index_balanced_accuracy(alpha, squared=True)(geometric_mean_score)` with the default
    /// multiclass G-mean: `(1 + α·(macro sens − macro spec))·G²`. In a two-class problem macro
    /// sensitivity equals macro specificity, so this is G² whatever α.
    pub fn iba_multiclass(&self, alpha: f64, correction: f64) -> Score {
        let g = self.g_mean_multiclass(correction);
        let (sens, spec) = self.macro_sensitivity_specificity();
        aggregate(&[&g, &sens, &spec], |v| {
            Some((1.0 + alpha * (v[1] - v[2])) * (v[0] * v[0]))
        })
    }

    /// Macro sensitivity and macro specificity over the present classes
    /// (`sensitivity_specificity_support(average='macro')`).
    pub fn macro_sensitivity_specificity(&self) -> (Score, Score) {
        let present = self.present_classes();
        let sens: Vec<Score> = present.iter().map(|&c| self.recall_score(c)).collect();
        let spec: Vec<Score> = present.iter().map(|&c| self.specificity_score(c)).collect();
        (
            aggregate(&sens.iter().collect::<Vec<_>>(), mean),
            aggregate(&spec.iter().collect::<Vec<_>>(), mean),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_edge_cases() {
        // methods-spec.md §D: ([0,0,1,1],[0,2,1,1]) → 0.0 (class 2 only predicted).
        let cm = ConfusionMatrix::new(&[0, 0, 1, 1], &[0, 2, 1, 1], 3);
        let g = cm.g_mean_multiclass(0.0);
        assert_eq!(g.value(), None);
        assert_eq!(g.reference(), Some(0.0));
        // A recall that is truly 0 gives a defined 0, or the correction: 0.1 with 0.001.
        let cm = ConfusionMatrix::new(&[0, 1, 2, 2], &[0, 1, 1, 1], 3);
        assert_eq!(cm.g_mean_multiclass(0.0).value(), Some(0.0));
        let g = cm.g_mean_multiclass(0.001).value().unwrap();
        assert!((g - 0.1).abs() < 1e-15, "{g}");
        assert!(ConfusionMatrix::new(&[0], &[0], 3).g_mean_binary().is_err());
    }
}
