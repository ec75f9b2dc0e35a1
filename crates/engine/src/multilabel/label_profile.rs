//! How often each label of the 2-D multi-label generator is carried: a frequency profile over the
//! labels (label 0 the most frequent) and the label cardinality (mean labels per sample).
//!
//! The shapes mirror the multi-class class-count profiles ([`crate::dataset::profile`]) with
//! probabilities in place of counts: the exponential long tail `w_l = (1/ρ)^(l/(L−1))` (Cui et al.
//! 2019's `n_max·(1/ρ)^(i/(K−1))` divided by `n_max`) and the step profile (Buda et al. 2018; the
//! last `round(µ·L)` labels at `1/ρ` of the others, as the class profile puts its minority last).
//! A shape is scaled so that its rates sum to the cardinality: `p_l = Card · w_l / Σ_k w_k`, so the
//! expected labels per sample is exactly `Card` and `p_0 / p_{L−1} = ρ`.

use serde::{Deserialize, Serialize};

use super::labels::MAX_GENERATOR_LABELS;
use crate::dataset::profile::step_minority_classes;
use crate::error::{EngineError, Result};
use crate::math;

/// Largest head-to-tail ratio `ρ = p_0 / p_{L−1}` accepted.
pub const MAX_LABEL_RHO: f64 = 1e4;

/// The per-label frequency profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LabelFrequencies {
    /// Exponential long tail over the labels, `ρ = p_0 / p_{L−1}`; needs the generator's
    /// `cardinality`.
    Exponential { rho: f64 },
    /// The last `round(µ·L)` labels are carried `ρ` times less often than the others; needs the
    /// generator's `cardinality`.
    Step { rho: f64, mu: f64 },
    /// The probability of each label, as given (one per label, each strictly between 0 and 1). The
    /// cardinality is their sum, so the generator's `cardinality` must be left out.
    Explicit { rates: Vec<f64> },
}

impl Default for LabelFrequencies {
    fn default() -> Self {
        LabelFrequencies::Exponential { rho: 10.0 }
    }
}

impl LabelFrequencies {
    /// The probability of each of the `n_labels` labels. Fails, naming the setting and what to change,
    /// on a bad ratio, fraction, rate or cardinality (including a cardinality that would push the head
    /// label's rate to 1 or beyond).
    pub fn rates(&self, n_labels: usize, cardinality: Option<f64>) -> Result<Vec<f64>> {
        check_labels(n_labels)?;
        let shape: Vec<f64> = match self {
            LabelFrequencies::Explicit { rates } => {
                if rates.len() != n_labels {
                    return Err(EngineError::config(
                        "label_frequencies.rates",
                        format!(
                            "give one rate per label: {n_labels} labels but {} rates",
                            rates.len()
                        ),
                    ));
                }
                if let Some((l, r)) = rates
                    .iter()
                    .enumerate()
                    .find(|(_, r)| !(r.is_finite() && **r > 0.0 && **r < 1.0))
                {
                    return Err(EngineError::config(
                        "label_frequencies.rates",
                        format!(
                            "the rate of label {l} must be strictly between 0 and 1 (0 is a label nobody carries, 1 one everybody carries), got {r}"
                        ),
                    ));
                }
                if let Some(c) = cardinality {
                    let sum: f64 = rates.iter().sum();
                    return Err(EngineError::config(
                        "cardinality",
                        format!(
                            "explicit rates fix the cardinality at their sum ({sum}); remove `cardinality` (got {c}) or use an exponential or step profile"
                        ),
                    ));
                }
                return Ok(rates.clone());
            }
            LabelFrequencies::Exponential { rho } => {
                check_rho(*rho)?;
                let last = (n_labels - 1) as f64;
                (0..n_labels)
                    .map(|l| math::pow(1.0 / rho, l as f64 / last))
                    .collect()
            }
            LabelFrequencies::Step { rho, mu } => {
                check_rho(*rho)?;
                let minority = if mu.is_finite() && *mu > 0.0 && *mu < 1.0 {
                    step_minority_classes(*mu, n_labels)
                } else {
                    0
                };
                if minority < 1 || minority >= n_labels {
                    return Err(EngineError::config(
                        "label_frequencies.mu",
                        format!(
                            "the minority fraction µ must make between 1 and {} of the {n_labels} labels rare (round(µ·L)); got µ = {mu}",
                            n_labels - 1
                        ),
                    ));
                }
                (0..n_labels)
                    .map(|l| {
                        if l >= n_labels - minority {
                            1.0 / rho
                        } else {
                            1.0
                        }
                    })
                    .collect()
            }
        };
        let Some(card) = cardinality else {
            return Err(EngineError::config(
                "cardinality",
                "set the mean number of labels per sample (e.g. 1.5); this profile gives only the labels' relative frequencies",
            ));
        };
        let total: f64 = shape.iter().sum();
        // The head label's rate `card · w_0 / Σw` must stay below 1 (w_0 = 1 is the largest weight).
        let max_card = total / shape[0];
        if !(card.is_finite() && card > 0.0 && card < max_card) {
            return Err(EngineError::config(
                "cardinality",
                format!(
                    "the mean labels per sample must be above 0 and below {max_card:.4} for this profile (there the most frequent label would be on every sample), got {card}; lower it or lower ρ"
                ),
            ));
        }
        Ok(shape.iter().map(|w| card * w / total).collect())
    }
}

pub(super) fn check_labels(n_labels: usize) -> Result<()> {
    if (2..=MAX_GENERATOR_LABELS).contains(&n_labels) {
        Ok(())
    } else {
        Err(EngineError::config(
            "n_labels",
            format!("the generator makes 2 to {MAX_GENERATOR_LABELS} labels, got {n_labels}"),
        ))
    }
}

fn check_rho(rho: f64) -> Result<()> {
    if rho.is_finite() && (1.0..=MAX_LABEL_RHO).contains(&rho) {
        Ok(())
    } else {
        Err(EngineError::config(
            "label_frequencies.rho",
            format!(
                "the ratio ρ of the most to the least frequent label must be between 1 and {MAX_LABEL_RHO}, got {rho}"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(e: EngineError) -> String {
        match e {
            EngineError::InvalidConfig { key, .. } => key,
            other => panic!("not a config error: {other}"),
        }
    }

    #[test]
    fn exponential_rates_sum_to_the_cardinality_with_the_ratio() {
        let p = LabelFrequencies::Exponential { rho: 8.0 }
            .rates(4, Some(1.2))
            .unwrap();
        assert!((p.iter().sum::<f64>() - 1.2).abs() < 1e-12);
        assert!((p[0] / p[3] - 8.0).abs() < 1e-9);
        // (1/8)^(1/3) = 1/2: each label half as frequent as the one before.
        assert!((p[0] / p[1] - 2.0).abs() < 1e-9);
    }

    #[test]
    fn step_puts_the_rare_labels_last() {
        let p = LabelFrequencies::Step { rho: 4.0, mu: 0.5 }
            .rates(4, Some(1.0))
            .unwrap();
        assert!((p[0] - 0.4).abs() < 1e-12 && (p[1] - 0.4).abs() < 1e-12);
        assert!((p[2] - 0.1).abs() < 1e-12 && (p[3] - 0.1).abs() < 1e-12);
    }

    #[test]
    fn bad_profiles_name_the_setting() {
        let exp = LabelFrequencies::Exponential { rho: 10.0 };
        assert_eq!(key(exp.rates(1, Some(1.0)).unwrap_err()), "n_labels");
        assert_eq!(key(exp.rates(9, Some(1.0)).unwrap_err()), "n_labels");
        assert_eq!(key(exp.rates(3, None).unwrap_err()), "cardinality");
        assert_eq!(key(exp.rates(3, Some(0.0)).unwrap_err()), "cardinality");
        assert_eq!(
            key(exp.rates(3, Some(f64::NAN)).unwrap_err()),
            "cardinality"
        );
        // Σw/w_0 for ρ = 10, L = 3 is 1 + 10^-0.5 + 0.1 ≈ 1.416: 1.5 would need p_0 > 1.
        let e = exp.rates(3, Some(1.5)).unwrap_err();
        assert!(e.to_string().contains("below 1.4162"), "{e}");
        for rho in [0.5, f64::INFINITY, 1e5] {
            let e = LabelFrequencies::Exponential { rho }.rates(3, Some(1.0));
            assert_eq!(key(e.unwrap_err()), "label_frequencies.rho");
        }
        for mu in [0.0, 0.1, 1.0] {
            let e = LabelFrequencies::Step { rho: 2.0, mu }.rates(4, Some(1.0));
            assert_eq!(key(e.unwrap_err()), "label_frequencies.mu");
        }
        for rates in [vec![0.5, 1.0], vec![0.0, 0.5], vec![-0.1, 0.5], vec![0.5]] {
            let e = LabelFrequencies::Explicit { rates }.rates(2, None);
            assert_eq!(key(e.unwrap_err()), "label_frequencies.rates");
        }
        let explicit = LabelFrequencies::Explicit {
            rates: vec![0.5, 0.2],
        };
        assert_eq!(
            key(explicit.rates(2, Some(0.7)).unwrap_err()),
            "cardinality"
        );
        assert_eq!(explicit.rates(2, None).unwrap(), vec![0.5, 0.2]);
    }
}
