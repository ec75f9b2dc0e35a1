//! SVM-SMOTE — Nguyen, Cooper, Kamei, "Borderline over-sampling for imbalanced data
//! classification", IJKESDP 3(1), 2011. Reference: imbalanced-learn 0.14.2
//! `over_sampling/_smote/filter.py` (`SVMSMOTE`, default `SVC(gamma='scale')`); methods-spec.md §A.6.
//! Reference-code semantics (spec §F.4): with no danger (or no safe) support vectors only the other
//! part is generated and the class ends short of its target (reported in the diagnostics notes).
//! Tested in `tests/over_samplers.rs` (support vectors vs scikit-learn, counts, geometry).

use serde::{Deserialize, Serialize};

use super::borderline_smote::other_class_counts;
use super::rbf_svc::{gamma_scale, support_vectors};
use super::smote::{check_k, too_few};
use super::synthesis::{class_rows, draw_pairs, gather, Growing};
use super::{Diagnostics, PointRole, Resampled, RowRole, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::math;
use crate::neighbors::kneighbors_excluding_first_of;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SvmSmote {
    pub sampling_strategy: SamplingStrategy,
    /// Same-class neighbours to interpolate toward / extrapolate away from.
    pub k_neighbors: usize,
    /// Neighbours (whole split) that decide noise / danger / safe.
    pub m_neighbors: usize,
    /// Extrapolation step for safe support vectors: x = sv − λ·out_step·(nn − sv).
    pub out_step: f64,
    /// The SVM's C (RBF kernel, gamma = 'scale').
    pub svm_c: f64,
}

impl Default for SvmSmote {
    fn default() -> Self {
        SvmSmote {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 5,
            m_neighbors: 10,
            out_step: 0.5,
            svm_c: 1.0,
        }
    }
}

/// Gamma(shape ≥ 1) by Marsaglia & Tsang (2000).
fn gamma_draw(shape: f64, rng: &mut Rng) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = rng.normal();
        let v = 1.0 + c * z;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.uniform();
        if u > 0.0 && math::ln(u) < 0.5 * z * z + d - d * v + d * math::ln(v) {
            return d * v;
        }
    }
}

/// Beta(a, b) as G_a / (G_a + G_b).
pub fn beta_draw(a: f64, b: f64, rng: &mut Rng) -> f64 {
    let x = gamma_draw(a, rng);
    let y = gamma_draw(b, rng);
    x / (x + y)
}

impl SvmSmote {
    pub fn validate(&self) -> Result<()> {
        check_k("k_neighbors", self.k_neighbors)?;
        check_k("m_neighbors", self.m_neighbors)?;
        if !(self.out_step.is_finite() && self.out_step >= 0.0) {
            return Err(EngineError::config("out_step", "must be a number ≥ 0"));
        }
        if !(self.svm_c.is_finite() && self.svm_c > 0.0) {
            return Err(EngineError::config("svm_c", "must be a number > 0"));
        }
        Ok(())
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let (k, m) = (self.k_neighbors, self.m_neighbors);
        let mut out = Growing::from_original(train);
        let mut diag = Diagnostics::default();
        let mut svs: Option<Vec<usize>> = None;
        for class in 0..plan.current.len() {
            let s = plan.to_generate(class);
            if s == 0 {
                continue;
            }
            let all_svs = svs.get_or_insert_with(|| {
                support_vectors(train, self.svm_c, gamma_scale(train), 1e-3)
            });
            let class_svs: Vec<usize> = all_svs
                .iter()
                .copied()
                .filter(|&i| train.y[i] == class)
                .collect();
            let other =
                other_class_counts(train, &class_svs, class, m, "SVM-SMOTE", "m_neighbors")?;
            let (mut danger, mut safe) = (Vec::new(), Vec::new());
            for (&i, &o) in class_svs.iter().zip(&other) {
                let role = PointRole::classify(o, m);
                match role {
                    PointRole::Danger => danger.push(i),
                    PointRole::Safe => safe.push(i),
                    PointRole::Noise => {}
                }
                diag.roles.push(RowRole {
                    index: i,
                    class,
                    role,
                    other_neighbors: o,
                });
            }
            if danger.is_empty() && safe.is_empty() {
                return Err(EngineError::Data(format!(
                    "SVM-SMOTE: every support vector of class {class} is noise (all its {m} nearest neighbours are of other classes); SVM-SMOTE does not suit this data, try another SMOTE variant"
                )));
            }
            let rows = class_rows(train, class);
            if rows.len() <= k {
                return Err(too_few("SVM-SMOTE", class, rows.len(), k, "k_neighbors"));
            }
            let xc = gather(train, &rows);
            let table = |bases: &[usize]| -> Vec<usize> {
                kneighbors_excluding_first_of(&xc, &gather(train, bases), train.n_features, k)
                    .into_iter()
                    .map(|j| rows[j])
                    .collect()
            };
            let mut r = rng.fork("svm-smote", class as u64);
            let f = beta_draw(10.0, 10.0, &mut r);
            let n1 = (f * (s + 1) as f64) as usize;
            let n2 = s - n1.min(s);
            let mut made = 0;
            if !danger.is_empty() {
                let draws = draw_pairs(&danger, &table(&danger), k, n1, 1.0, &mut r);
                made += draws.len();
                out.push_draws(train, class, &draws);
            }
            if !safe.is_empty() {
                let draws = draw_pairs(&safe, &table(&safe), k, n2, -self.out_step, &mut r);
                made += draws.len();
                out.push_draws(train, class, &draws);
            }
            if made != s {
                let missing = if danger.is_empty() { "danger" } else { "safe" };
                diag.notes.push(format!(
                    "class {class}: no {missing} support vector, so SVM-SMOTE made {made} rows instead of {s} (as the reference does)"
                ));
            }
        }
        diag.support_vectors = svs.unwrap_or_default();
        let (data, origin) = out.into_dataset(train);
        Ok(Resampled {
            data,
            origin,
            diagnostics: diag,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// I_x(a, b) for whole a and b: P(Binomial(a + b − 1, x) ≥ a).
    fn beta_cdf_whole(x: f64, a: u32, b: u32) -> f64 {
        let n = a + b - 1;
        let mut choose = 1.0_f64;
        let mut total = 0.0;
        for j in 0..=n {
            if j > 0 {
                choose *= f64::from(n - j + 1) / f64::from(j);
            }
            if j >= a {
                total += choose * x.powi(j as i32) * (1.0 - x).powi((n - j) as i32);
            }
        }
        total
    }

    /// The split between interpolated and extrapolated rows follows imblearn's fraction ~ Beta(10, 10)
    /// (numpy's draw cannot be matched, §G.5): Kolmogorov–Smirnov over 10⁵ draws at p = 0.001.
    #[test]
    fn fraction_draws_follow_beta_10_10() {
        let mut rng = Rng::stream(11, "beta-test");
        let n = 100_000;
        let mut v: Vec<f64> = (0..n).map(|_| beta_draw(10.0, 10.0, &mut rng)).collect();
        v.sort_by(f64::total_cmp);
        let d = v
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = beta_cdf_whole(x, 10, 10);
                (f - i as f64 / n as f64)
                    .abs()
                    .max((f - (i + 1) as f64 / n as f64).abs())
            })
            .fold(0.0, f64::max);
        let critical = 1.949 / (n as f64).sqrt();
        assert!(d < critical, "KS distance {d:.5} ≥ {critical:.5}");
        // The statistic must notice a wrong law: Beta(9, 11) is far off.
        let mut rng = Rng::stream(11, "beta-test");
        let mut w: Vec<f64> = (0..n).map(|_| beta_draw(9.0, 11.0, &mut rng)).collect();
        w.sort_by(f64::total_cmp);
        let d_wrong = w
            .iter()
            .enumerate()
            .map(|(i, &x)| (beta_cdf_whole(x, 10, 10) - i as f64 / n as f64).abs())
            .fold(0.0, f64::max);
        assert!(d_wrong > 10.0 * critical, "{d_wrong}");
    }
}
