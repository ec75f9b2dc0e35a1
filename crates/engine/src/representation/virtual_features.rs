//! Virtual-feature calibration: each class's penultimate-feature distribution as a Gaussian, the
//! tail classes' covariance calibrated from their nearest head classes, and a class-balanced set of
//! virtual features drawn from the Gaussians for re-training the classifier head.
//!
//! The calibration rule is the distribution calibration of Yang, Liu & Xu (ICLR 2021, "Free Lunch
//! for Few-shot Learning: Distribution Calibration", Eq. 6–7): the `k` head ("base") classes whose
//! means are nearest (Euclidean) to the tail class's mean lend their covariances,
//! `Σ'_t = (1/k) Σ_{i∈S_t} Σ_i + α`. The representation calibration of RCAL (Zhang et al., ICCV 2023)
//! uses the same idea — tail-class statistics borrowed from head classes, then balanced sampling of
//! virtual features to re-train the classifier. Choices here (documented in
//! `docs/representation.md`):
//! * Tail classes are the minority classes of [`super::minority_classes`] (count at most half the
//!   largest); the other classes are "head" and keep their own statistics.
//! * The tail class keeps its **own mean**: Yang et al. average the mean with the neighbours' because
//!   their novel class has one to five samples; here a tail class has its training rows, and pulling
//!   its mean toward head means would draw virtual tail features inside head regions.
//! * `α` is relative: `α · tr(Σ̄)/d · I` with `Σ̄` the neighbours' mean covariance, so the same `α`
//!   works whatever the scale of the features (Yang et al.'s α = 0.21 is in the units of their
//!   Tukey-transformed features).
//! * Covariances are sample covariances (`n−1`); a class with one row has a zero covariance of its own.
//! * Balance: every present class gets `max n − n_c` virtual features, so real plus virtual counts
//!   are equal. Draws: `μ + L z`, `L` the Cholesky factor, `z` standard normal from the caller's
//!   stream (`Rng::stream(seed, "virtual_features")` in the runner).

use crate::rng::Rng;

/// One class's feature Gaussian: mean (`d`) and covariance (`d × d`, row-major).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassGaussian {
    pub mean: Vec<f64>,
    pub cov: Vec<f64>,
}

/// Mean and sample covariance of each class's rows; `None` for a class without rows.
pub fn class_gaussians(
    features: &[f32],
    dim: usize,
    labels: &[usize],
    n_classes: usize,
) -> Vec<Option<ClassGaussian>> {
    let d = dim;
    let mut counts = vec![0usize; n_classes];
    let mut means = vec![0.0f64; n_classes * d];
    for (row, &y) in features.chunks_exact(d).zip(labels) {
        if y < n_classes {
            counts[y] += 1;
            for (m, &v) in means[y * d..(y + 1) * d].iter_mut().zip(row) {
                *m += f64::from(v);
            }
        }
    }
    for c in 0..n_classes {
        if counts[c] > 0 {
            let inv = 1.0 / counts[c] as f64;
            means[c * d..(c + 1) * d].iter_mut().for_each(|m| *m *= inv);
        }
    }
    let mut covs = vec![0.0f64; n_classes * d * d];
    let mut centred = vec![0.0f64; d];
    for (row, &y) in features.chunks_exact(d).zip(labels) {
        if y >= n_classes {
            continue;
        }
        for i in 0..d {
            centred[i] = f64::from(row[i]) - means[y * d + i];
        }
        let cov = &mut covs[y * d * d..(y + 1) * d * d];
        for i in 0..d {
            for j in 0..=i {
                cov[i * d + j] += centred[i] * centred[j];
            }
        }
    }
    (0..n_classes)
        .map(|c| {
            if counts[c] == 0 {
                return None;
            }
            let denom = counts[c].saturating_sub(1).max(1) as f64;
            let mut cov = covs[c * d * d..(c + 1) * d * d].to_vec();
            for i in 0..d {
                for j in 0..=i {
                    let v = if counts[c] > 1 {
                        cov[i * d + j] / denom
                    } else {
                        0.0
                    };
                    cov[i * d + j] = v;
                    cov[j * d + i] = v;
                }
            }
            Some(ClassGaussian {
                mean: means[c * d..(c + 1) * d].to_vec(),
                cov,
            })
        })
        .collect()
}

/// The calibrated Gaussians: head classes (not `tail`) unchanged; each tail class keeps its mean and
/// takes the mean covariance of its `neighbors` nearest head classes plus `alpha · tr/d · I`.
/// Without head classes a tail class keeps its own covariance (plus the same ridge).
pub fn calibrate(
    stats: &[Option<ClassGaussian>],
    tail: &[bool],
    neighbors: usize,
    alpha: f64,
) -> Vec<Option<ClassGaussian>> {
    let heads: Vec<usize> = (0..stats.len())
        .filter(|&c| stats[c].is_some() && !tail[c])
        .collect();
    stats
        .iter()
        .enumerate()
        .map(|(c, s)| {
            let s = s.as_ref()?;
            if !tail[c] {
                return Some(s.clone());
            }
            let d = s.mean.len();
            let mut by_distance: Vec<(f64, usize)> = (heads.iter())
                .map(|&h| {
                    let m = &stats[h].as_ref().expect("head present").mean;
                    let dist: f64 = m.iter().zip(&s.mean).map(|(a, b)| (a - b) * (a - b)).sum();
                    (dist, h)
                })
                .collect();
            // Nearest first; ties by class index, so the choice is deterministic.
            by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let chosen: Vec<usize> = by_distance.iter().take(neighbors).map(|p| p.1).collect();
            let mut cov = if chosen.is_empty() {
                s.cov.clone()
            } else {
                let mut acc = vec![0.0; d * d];
                for &h in &chosen {
                    let hc = &stats[h].as_ref().expect("head present").cov;
                    acc.iter_mut().zip(hc).for_each(|(a, v)| *a += v);
                }
                acc.iter_mut().for_each(|a| *a /= chosen.len() as f64);
                acc
            };
            let trace: f64 = (0..d).map(|i| cov[i * d + i]).sum();
            let ridge = alpha * (trace / d as f64).max(f64::MIN_POSITIVE);
            for i in 0..d {
                cov[i * d + i] += ridge;
            }
            Some(ClassGaussian {
                mean: s.mean.clone(),
                cov,
            })
        })
        .collect()
}

/// Cholesky factor `L` (`L Lᵀ = a`, lower triangular, row-major) of a symmetric `d × d` matrix; a
/// tiny diagonal jitter is added where `a` is only positive semi-definite (a class whose rows span
/// fewer than `d` dimensions). `None` if not even that works (non-finite entries).
pub fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let scale = (0..d)
        .map(|i| a[i * d + i].abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    for jitter in [0.0, 1e-12, 1e-9, 1e-6] {
        let mut l = vec![0.0; d * d];
        let mut ok = true;
        'outer: for i in 0..d {
            for j in 0..=i {
                let mut s = a[i * d + j] + if i == j { jitter * scale } else { 0.0 };
                for k in 0..j {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if i == j {
                    if !(s.is_finite() && s > 0.0) {
                        ok = false;
                        break 'outer;
                    }
                    l[i * d + i] = s.sqrt();
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        if ok {
            return Some(l);
        }
    }
    None
}

/// A class-balanced set of virtual features: class `c` gets `max counts − counts[c]` draws from
/// `gaussians[c]` (classes without a Gaussian get none). Rows `n × d` as f32 and their labels,
/// classes in index order. `None` if a covariance has no Cholesky factor.
pub fn draw_balanced(
    gaussians: &[Option<ClassGaussian>],
    counts: &[usize],
    rng: &mut Rng,
) -> Option<(Vec<f32>, Vec<usize>)> {
    let max = counts.iter().copied().max().unwrap_or(0);
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (c, g) in gaussians.iter().enumerate() {
        let Some(g) = g else { continue };
        let n = max - counts[c];
        if n == 0 {
            continue;
        }
        let d = g.mean.len();
        let l = cholesky(&g.cov, d)?;
        let mut z = vec![0.0; d];
        for _ in 0..n {
            z.iter_mut().for_each(|v| *v = rng.normal());
            for i in 0..d {
                let s: f64 = (0..=i).map(|k| l[i * d + k] * z[k]).sum();
                x.push((g.mean[i] + s) as f32);
            }
            y.push(c);
        }
    }
    Some((x, y))
}
