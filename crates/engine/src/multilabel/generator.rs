//! The 2-D multi-label generator: points from a standard normal in the plane, each label a
//! half-plane, with a label-frequency profile, a cardinality, label noise and partial labels.
//!
//! Why half-planes of a standard normal: the projection of `N(0, I₂)` on any unit vector is `N(0, 1)`,
//! so the half-plane `{x : ⟨u_l, x⟩ > t_l}` with `t_l = Φ⁻¹(1 − p_l)` holds exactly the share `p_l`
//! of the distribution. The profile's rates ([`LabelFrequencies`]) are therefore the labels' true
//! frequencies and the expected labels per sample is exactly `Σ p_l` (the cardinality), whatever the
//! overlaps. Label `l`'s normal `u_l` points at angle `π·l/L`: the normals spread over a half-turn and
//! no two are opposite, so every pair of regions overlaps (neighbouring labels more, which gives
//! correlated labels as in real data), and a sample can carry any number of labels, none included.
//!
//! Steps, each from its own stream forked from the one the caller passes (derive it by name:
//! `Rng::stream(seed, MULTILABEL_DATA_STREAM)`), so that turning noise or partial labels on or off
//! never moves a point and turning partial labels on never changes a flip:
//! 1. `features`: `x_i = (z₁, z₂)`, two standard normal draws per sample;
//! 2. the clean labels: entry `(i, l)` positive iff `⟨u_l, x_i⟩ > t_l`;
//! 3. `label_noise`: each entry flips (positive ↔ negative) with probability `flip_rate`; one uniform
//!    is drawn per entry in row-major order whether or not it flips, so for one seed a higher rate
//!    flips a superset of the entries;
//! 4. `unknown`: of each label's positives (after noise), exactly `⌊unknown_fraction · n_pos⌋`,
//!    chosen uniformly, become [`LabelEntry::Unknown`]; negatives are never hidden (partial labels
//!    hide annotations of present labels, Durand et al. CVPR 2019). The floor keeps at least one
//!    known positive per label whenever the label has any, since the fraction is below 1.

use serde::{Deserialize, Serialize};

use super::label_profile::{check_labels, LabelFrequencies};
use super::labels::{LabelEntry, LabelMatrix, MAX_GENERATOR_LABELS};
use super::resample::MultilabelData;
use crate::dataset::{MAX_LABEL_NOISE, MAX_ROWS};
use crate::error::{EngineError, Result};
use crate::math;
use crate::rng::Rng;

/// The name of the stream the generator's draws derive from: `Rng::stream(seed, MULTILABEL_DATA_STREAM)`.
pub const MULTILABEL_DATA_STREAM: &str = "multilabel_data";

/// Largest share of positives that may be hidden (below 1, so every label keeps a known positive).
pub const MAX_UNKNOWN_FRACTION: f64 = 0.95;

/// Settings of the 2-D multi-label generator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelGenerator {
    /// Number of samples, 2 to [`MAX_ROWS`].
    pub n_samples: usize,
    /// Number of labels, 2 to [`MAX_GENERATOR_LABELS`].
    pub n_labels: usize,
    /// How often each label is carried, relative (exponential, step) or absolute (explicit).
    #[serde(default)]
    pub label_frequencies: LabelFrequencies,
    /// Mean labels per sample, for the exponential and step profiles; left out with explicit rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardinality: Option<f64>,
    /// Probability that an entry is flipped (label noise), 0 to [`MAX_LABEL_NOISE`].
    #[serde(default)]
    pub flip_rate: f64,
    /// Share of each label's positives hidden as unknown (partial labels), 0 to [`MAX_UNKNOWN_FRACTION`].
    #[serde(default)]
    pub unknown_fraction: f64,
}

impl Default for MultilabelGenerator {
    fn default() -> Self {
        MultilabelGenerator {
            n_samples: 1000,
            n_labels: 5,
            label_frequencies: LabelFrequencies::default(),
            cardinality: Some(1.5),
            flip_rate: 0.0,
            unknown_fraction: 0.0,
        }
    }
}

/// Label `l`'s region `{x : normal · x > offset}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HalfPlane {
    /// Unit normal pointing into the region.
    pub normal: [f64; 2],
    /// Signed distance of the boundary from the origin, `Φ⁻¹(1 − p_l)`.
    pub offset: f64,
}

impl HalfPlane {
    pub fn contains(&self, x: &[f64]) -> bool {
        self.normal[0] * x[0] + self.normal[1] * x[1] > self.offset
    }
}

/// A generated data set, with the stages before noise and before hiding kept for display and checks.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedMultilabel {
    /// Features (2 per sample) and the observed labels (noisy, with unknowns).
    pub data: MultilabelData,
    /// Labels as the regions give them.
    pub clean: LabelMatrix,
    /// Labels after noise, before any positive was hidden.
    pub noisy: LabelMatrix,
    /// Each label's probability (the profile's rates).
    pub rates: Vec<f64>,
    pub regions: Vec<HalfPlane>,
}

impl GeneratedMultilabel {
    /// Entries the noise flipped.
    pub fn flipped(&self) -> usize {
        count_differences(&self.clean, &self.noisy)
    }
}

impl MultilabelGenerator {
    /// Checks every setting and returns each label's rate.
    pub fn validate(&self) -> Result<Vec<f64>> {
        if !(2..=MAX_ROWS).contains(&self.n_samples) {
            return Err(EngineError::config(
                "n_samples",
                format!("must be 2 to {MAX_ROWS}, got {}", self.n_samples),
            ));
        }
        check_labels(self.n_labels)?;
        let rates = self
            .label_frequencies
            .rates(self.n_labels, self.cardinality)?;
        let q = self.flip_rate;
        if !(q.is_finite() && (0.0..=MAX_LABEL_NOISE).contains(&q)) {
            return Err(EngineError::config(
                "flip_rate",
                format!("the flip probability must be between 0 and {MAX_LABEL_NOISE}, got {q}"),
            ));
        }
        let f = self.unknown_fraction;
        if !(f.is_finite() && (0.0..=MAX_UNKNOWN_FRACTION).contains(&f)) {
            return Err(EngineError::config(
                "unknown_fraction",
                format!(
                    "the share of positives hidden as unknown must be between 0 and {MAX_UNKNOWN_FRACTION} (hiding all leaves nothing to learn), got {f}"
                ),
            ));
        }
        Ok(rates)
    }

    /// Each label's region (after validation).
    pub fn regions(&self) -> Result<Vec<HalfPlane>> {
        let rates = self.validate()?;
        Ok(regions_for(&rates))
    }

    /// Generates the data set from `rng` (see the module doc for the streams). Fails on a bad
    /// setting, or when a label ends up with no known positive (too few samples for its rate).
    pub fn generate(&self, rng: &Rng) -> Result<GeneratedMultilabel> {
        let rates = self.validate()?;
        let regions = regions_for(&rates);
        let (n, l_count) = (self.n_samples, self.n_labels);

        let mut features = rng.fork("features", 0);
        let mut x = Vec::with_capacity(2 * n);
        for _ in 0..2 * n {
            x.push(features.normal());
        }

        let mut entries = Vec::with_capacity(n * l_count);
        for i in 0..n {
            let xi = &x[2 * i..2 * i + 2];
            entries.extend(regions.iter().map(|r| {
                if r.contains(xi) {
                    LabelEntry::Positive
                } else {
                    LabelEntry::Negative
                }
            }));
        }
        let clean = LabelMatrix::new(entries.clone(), l_count, MAX_GENERATOR_LABELS)?;

        let mut noise = rng.fork("label_noise", 0);
        if self.flip_rate > 0.0 {
            for e in &mut entries {
                if noise.uniform() < self.flip_rate {
                    *e = match *e {
                        LabelEntry::Positive => LabelEntry::Negative,
                        _ => LabelEntry::Positive,
                    };
                }
            }
        }
        let noisy = LabelMatrix::new(entries.clone(), l_count, MAX_GENERATOR_LABELS)?;

        if self.unknown_fraction > 0.0 {
            let hiding = rng.fork("unknown", 0);
            for l in 0..l_count {
                let mut positives: Vec<usize> =
                    (0..n).filter(|&i| noisy.is_positive(i, l)).collect();
                let k = (self.unknown_fraction * positives.len() as f64).floor() as usize;
                // A partial Fisher–Yates draw: the first `k` of a uniform permutation; one fork per
                // label so that a label's choice does not depend on the others' sizes.
                let mut r = hiding.fork("label", l as u64);
                for j in 0..k {
                    let pick = j + r.below(positives.len() - j);
                    positives.swap(j, pick);
                    entries[positives[j] * l_count + l] = LabelEntry::Unknown;
                }
            }
        }
        let labels = LabelMatrix::new(entries, l_count, MAX_GENERATOR_LABELS)?;
        if let Some(l) = labels.positives_per_label().iter().position(|&c| c == 0) {
            return Err(EngineError::Data(format!(
                "label {l} (rate {:.4}) got no known positive among {n} samples; raise n_samples, the label's rate or the cardinality",
                rates[l]
            )));
        }
        Ok(GeneratedMultilabel {
            data: MultilabelData::new(x, 2, labels)?,
            clean,
            noisy,
            rates,
            regions,
        })
    }
}

fn regions_for(rates: &[f64]) -> Vec<HalfPlane> {
    let l_count = rates.len() as f64;
    rates
        .iter()
        .enumerate()
        .map(|(l, &p)| {
            let angle = std::f64::consts::PI * l as f64 / l_count;
            HalfPlane {
                normal: [math::cos(angle), math::sin(angle)],
                offset: normal_quantile(1.0 - p),
            }
        })
        .collect()
}

/// The standard normal CDF, `Φ(t) = erfc(−t/√2) / 2`.
pub fn normal_cdf(t: f64) -> f64 {
    0.5 * math::erfc(-t / std::f64::consts::SQRT_2)
}

/// `Φ⁻¹(q)` for `q` in (0, 1), by bisection on [`normal_cdf`]: slower than a rational approximation
/// but as exact as `erfc` and the same bits on every target (it runs once per label).
pub fn normal_quantile(q: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if normal_cdf(mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

fn count_differences(a: &LabelMatrix, b: &LabelMatrix) -> usize {
    a.entries()
        .iter()
        .zip(b.entries())
        .filter(|(x, y)| x != y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(n: usize) -> MultilabelGenerator {
        MultilabelGenerator {
            n_samples: n,
            ..MultilabelGenerator::default()
        }
    }

    fn stream() -> Rng {
        Rng::stream(7, MULTILABEL_DATA_STREAM)
    }

    fn key(e: EngineError) -> String {
        match e {
            EngineError::InvalidConfig { key, .. } => key,
            other => panic!("not a config error: {other}"),
        }
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        // Reference values of scipy.stats.norm.ppf.
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((normal_quantile(0.5)).abs() < 1e-15);
        assert!((normal_quantile(1e-4) + 3.719_016_485_455_680_4).abs() < 1e-10);
    }

    #[test]
    fn same_stream_same_data_and_other_seed_other_data() {
        let g = MultilabelGenerator {
            flip_rate: 0.1,
            unknown_fraction: 0.3,
            ..gen(500)
        };
        let a = g.generate(&stream()).unwrap();
        assert_eq!(a, g.generate(&stream()).unwrap());
        let b = g.generate(&Rng::stream(8, MULTILABEL_DATA_STREAM)).unwrap();
        assert_ne!(a.data.x, b.data.x);
    }

    /// Label `l`'s realised frequency over `n` samples is Binomial(n, p_l)/n with standard deviation
    /// `σ = √(p_l(1−p_l)/n)`; a correct generator lands within 4.5σ (a two-sided chance of about 7e-6
    /// per label of failing by bad luck). The seed is fixed, so the test is deterministic; the
    /// tolerance is what says it would pass for any seed.
    #[test]
    fn label_frequencies_follow_the_profile() {
        let n = 40_000;
        for (profile, card) in [
            (LabelFrequencies::Exponential { rho: 20.0 }, Some(1.2)),
            (LabelFrequencies::Step { rho: 5.0, mu: 0.4 }, Some(2.0)),
            (
                LabelFrequencies::Explicit {
                    rates: vec![0.6, 0.05, 0.3],
                },
                None,
            ),
        ] {
            let g = MultilabelGenerator {
                n_samples: n,
                n_labels: if card.is_none() { 3 } else { 5 },
                label_frequencies: profile,
                cardinality: card,
                ..gen(n)
            };
            let out = g.generate(&stream()).unwrap();
            let pos = out.clean.positives_per_label();
            for (l, &p) in out.rates.iter().enumerate() {
                let realised = pos[l] as f64 / n as f64;
                let sigma = (p * (1.0 - p) / n as f64).sqrt();
                assert!(
                    (realised - p).abs() < 4.5 * sigma,
                    "label {l}: {realised} vs {p} (σ {sigma})"
                );
            }
        }
    }

    /// The sample mean of the labels per sample is within 4.5 standard errors (measured from the
    /// sample) of the target cardinality; there is no independence to assume across labels.
    #[test]
    fn cardinality_is_near_the_target_and_regions_overlap() {
        let n = 40_000;
        let g = MultilabelGenerator {
            n_labels: 8,
            cardinality: Some(2.5),
            label_frequencies: LabelFrequencies::Exponential { rho: 10.0 },
            ..gen(n)
        };
        let out = g.generate(&stream()).unwrap();
        let sizes: Vec<f64> = (0..n)
            .map(|i| (0..8).filter(|&l| out.clean.is_positive(i, l)).count() as f64)
            .collect();
        let mean = sizes.iter().sum::<f64>() / n as f64;
        let var = sizes.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let se = (var / n as f64).sqrt();
        assert!((mean - 2.5).abs() < 4.5 * se, "{mean} vs 2.5 (se {se})");
        // Every pair of labels co-occurs somewhere, and some samples carry none.
        for a in 0..8 {
            for b in a + 1..8 {
                assert!(
                    (0..n).any(|i| out.clean.is_positive(i, a) && out.clean.is_positive(i, b)),
                    "labels {a} and {b} never co-occur"
                );
            }
        }
        assert!(sizes.contains(&0.0));
    }

    /// Flips are Binomial(n·L, q): within 4.5σ of `q`; noise never moves a point.
    #[test]
    fn noise_flips_at_the_rate_and_moves_no_point() {
        let n = 20_000;
        let q = 0.15;
        let noisy = MultilabelGenerator {
            flip_rate: q,
            ..gen(n)
        }
        .generate(&stream())
        .unwrap();
        let clean = gen(n).generate(&stream()).unwrap();
        assert_eq!(noisy.data.x, clean.data.x);
        assert_eq!(noisy.clean, clean.clean);
        assert_eq!(clean.flipped(), 0);
        let entries = (n * 5) as f64;
        let rate = noisy.flipped() as f64 / entries;
        let sigma = (q * (1.0 - q) / entries).sqrt();
        assert!((rate - q).abs() < 4.5 * sigma, "{rate} vs {q}");
        // A higher rate flips a superset of the entries.
        let more = MultilabelGenerator {
            flip_rate: 0.3,
            ..gen(n)
        }
        .generate(&stream())
        .unwrap();
        for (j, (c, e)) in clean
            .clean
            .entries()
            .iter()
            .zip(noisy.noisy.entries())
            .enumerate()
        {
            if c != e {
                assert_ne!(more.noisy.entries()[j], *c);
            }
        }
    }

    #[test]
    fn partial_labels_hide_exactly_the_fraction_of_positives_only() {
        let n = 3000;
        let f = 0.4;
        let g = MultilabelGenerator {
            flip_rate: 0.05,
            unknown_fraction: f,
            ..gen(n)
        };
        let out = g.generate(&stream()).unwrap();
        let without = MultilabelGenerator {
            unknown_fraction: 0.0,
            ..g.clone()
        }
        .generate(&stream())
        .unwrap();
        assert_eq!(out.noisy, without.noisy);
        let labels = &out.data.labels;
        let noisy_pos = out.noisy.positives_per_label();
        for (l, &p) in noisy_pos.iter().enumerate() {
            let hidden = (0..n)
                .filter(|&i| labels.get(i, l) == LabelEntry::Unknown)
                .count();
            assert_eq!(hidden, (f * p as f64).floor() as usize, "label {l}");
        }
        for i in 0..n {
            for l in 0..5 {
                match labels.get(i, l) {
                    LabelEntry::Unknown => assert!(out.noisy.is_positive(i, l)),
                    e => assert_eq!(e, out.noisy.get(i, l)),
                }
            }
        }
        assert_eq!(labels.validate_for_training(), Ok(()));
    }

    #[test]
    fn bad_settings_name_what_to_change() {
        let base = gen(100);
        let cases: Vec<(MultilabelGenerator, &str)> = vec![
            (
                MultilabelGenerator {
                    n_labels: 0,
                    ..base.clone()
                },
                "n_labels",
            ),
            (
                MultilabelGenerator {
                    n_labels: 1,
                    ..base.clone()
                },
                "n_labels",
            ),
            (
                MultilabelGenerator {
                    n_labels: 9,
                    ..base.clone()
                },
                "n_labels",
            ),
            (
                MultilabelGenerator {
                    n_samples: 1,
                    ..base.clone()
                },
                "n_samples",
            ),
            (
                MultilabelGenerator {
                    n_samples: MAX_ROWS + 1,
                    ..base.clone()
                },
                "n_samples",
            ),
            (
                MultilabelGenerator {
                    flip_rate: -0.1,
                    ..base.clone()
                },
                "flip_rate",
            ),
            (
                MultilabelGenerator {
                    flip_rate: 0.6,
                    ..base.clone()
                },
                "flip_rate",
            ),
            (
                MultilabelGenerator {
                    flip_rate: f64::NAN,
                    ..base.clone()
                },
                "flip_rate",
            ),
            (
                MultilabelGenerator {
                    unknown_fraction: 1.0,
                    ..base.clone()
                },
                "unknown_fraction",
            ),
            (
                MultilabelGenerator {
                    unknown_fraction: -0.5,
                    ..base.clone()
                },
                "unknown_fraction",
            ),
            (
                MultilabelGenerator {
                    cardinality: None,
                    ..base.clone()
                },
                "cardinality",
            ),
            (
                MultilabelGenerator {
                    n_labels: 2,
                    label_frequencies: LabelFrequencies::Explicit {
                        rates: vec![0.5, 1.5],
                    },
                    cardinality: None,
                    ..base.clone()
                },
                "label_frequencies.rates",
            ),
        ];
        for (g, want) in cases {
            assert_eq!(key(g.generate(&stream()).unwrap_err()), want, "{g:?}");
        }
        // A rate too small for the sample size is reported, not returned as an unlearnable label.
        let tiny = MultilabelGenerator {
            n_samples: 10,
            n_labels: 2,
            label_frequencies: LabelFrequencies::Explicit {
                rates: vec![0.5, 1e-9],
            },
            cardinality: None,
            ..base
        };
        let e = tiny.generate(&stream()).unwrap_err();
        assert!(e.to_string().contains("label 1") && e.to_string().contains("raise n_samples"));
    }

    #[test]
    fn config_round_trips_through_json() {
        let g = MultilabelGenerator {
            label_frequencies: LabelFrequencies::Step { rho: 3.0, mu: 0.5 },
            flip_rate: 0.1,
            unknown_fraction: 0.2,
            ..gen(300)
        };
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.contains("\"kind\":\"step\""), "{json}");
        assert_eq!(
            serde_json::from_str::<MultilabelGenerator>(&json).unwrap(),
            g
        );
        let minimal: MultilabelGenerator =
            serde_json::from_str(r#"{"n_samples":50,"n_labels":3,"cardinality":1.0}"#).unwrap();
        assert_eq!(minimal.flip_rate, 0.0);
        assert_eq!(minimal.label_frequencies, LabelFrequencies::default());
    }
}
