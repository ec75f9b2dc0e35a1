//! The neural-collapse measures of Papyan, Han & Donoho (PNAS 2020, "Prevalence of neural collapse
//! during the terminal phase of deep learning training", §"Results" and Fig. 2–6) and the
//! minority-collapse angle of Fang, He, Long & Su (PNAS 2021, "Exploring deep neural networks via
//! layer-peeled model: Minority collapse in imbalanced training", §"Minority collapse", Fig. 4), from
//! penultimate-layer features, labels and classifier vectors. `docs/representation.md` gives each
//! formula; the choices below follow the measurement code published with Papyan et al. (the
//! authors' notebook: `Sb` from the centred class means, `svds(Sb, k=C−1)` for the pseudo-inverse,
//! `torch.std` for the coefficients of variation, the mean of `|cos + 1/(C−1)|` as the ETF
//! distance, the squared Frobenius distance of the normalised `W` and `M` for NC3).
//!
//! Choices where the papers are silent or assume balance (all documented in `docs/representation.md`):
//! * Only classes **present** in the rows measured count: `K` below is their number, and the
//!   classifier vectors of absent classes are left out too, so `W` and `M` describe the same classes.
//! * The global mean `μ_G` is the mean of the class means (as in the reference code), not the mean
//!   of all rows: under imbalance the latter sits near the majority and would make the majority's
//!   centred mean short for a reason that has nothing to do with collapse.
//! * `Σ_W` pools every row: `Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ / N` (the reference's).
//! * `Σ_B⁺` keeps the top `min(K−1, d)` eigenpairs of `Σ_B` whose eigenvalue exceeds `1e−10 ·` the
//!   largest (with `μ_G` the mean of the class means, `rank Σ_B ≤ K−1`, so this is `svds(k=K−1)`
//!   unless the means span fewer dimensions, where `svds` would divide by a rounding error).
//! * Standard deviations are the sample ones (`n−1`, `torch.std`'s default); a single value has none.
//!
//! Cost: `O(N d K + K² d + K³)` — `Σ_W` is never formed: `Tr(Σ_W Σ_B⁺) = Σ_j v_jᵀ Σ_W v_j / λ_j`
//! over the kept eigenpairs, and each `v_jᵀ Σ_W v_j` is a mean of squared projections of the rows.
//! The eigenpairs of `Σ_B = M̃ᵀM̃/K` (`d × d`) come from those of the `K × K` Gram matrix `M̃M̃ᵀ/K`.

use super::symmetric_eigen::symmetric_eigen;
use super::CollapseMeasures;

/// Eigenvalues of `Σ_B` below this fraction of the largest are treated as zero.
const RELATIVE_EIGEN_FLOOR: f64 = 1e-10;

/// Which classes count as minority for the minority-collapse angle: those present whose training
/// count is at most half the largest count (`2·n_c ≤ max n`). A step profile with ratio ρ ≥ 2 makes
/// exactly its minority group minority; a balanced or nearly balanced split has none.
pub fn minority_classes(counts: &[usize]) -> Vec<bool> {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts.iter().map(|&n| n > 0 && 2 * n <= max).collect()
}

/// What [`CollapseWorkspace::measure`] reads: `n` rows of `dim` features (row-major), their labels
/// (each below `n_classes`; others are skipped), the `n_classes × dim` classifier vectors (row `c`
/// is class `c`'s), and which classes are minority ([`minority_classes`]).
#[derive(Clone, Copy, Debug)]
pub struct CollapseInput<'a> {
    pub features: &'a [f32],
    pub dim: usize,
    pub labels: &'a [usize],
    pub n_classes: usize,
    pub classifiers: &'a [f32],
    pub minority: &'a [bool],
}

/// Buffers reused from one measurement to the next (the runner measures after every epoch).
#[derive(Clone, Debug, Default)]
pub struct CollapseWorkspace {
    counts: Vec<usize>,
    /// Class means, then (in place) the centred means, `K_all × d`.
    means: Vec<f64>,
    /// Present classes, in index order.
    present: Vec<usize>,
    /// `μ_G`, the mean of the present classes' means.
    global: Vec<f64>,
    /// One row minus its class mean.
    centred_row: Vec<f64>,
    /// Projections of the centred class means' Gram eigenvectors, `r × d`.
    directions: Vec<f64>,
    /// Per kept direction: `Σ_i ((h_i − μ_{y_i})·v_j)²`.
    projected: Vec<f64>,
}

/// [`CollapseWorkspace::measure`] with a fresh workspace.
pub fn collapse_measures(input: &CollapseInput<'_>) -> CollapseMeasures {
    CollapseWorkspace::default().measure(input)
}

impl CollapseWorkspace {
    /// Every measure of [`CollapseMeasures`]; a measure is `None` where undefined (fewer than two
    /// classes present, a zero norm, inputs of inconsistent length, a non-finite result).
    pub fn measure(&mut self, input: &CollapseInput<'_>) -> CollapseMeasures {
        let d = input.dim;
        let k_all = input.n_classes;
        let n = input.labels.len();
        if d == 0
            || input.features.len() < n * d
            || input.classifiers.len() != k_all * d
            || input.minority.len() != k_all
        {
            return CollapseMeasures::default();
        }
        self.class_means(input);
        let k = self.present.len();
        if k < 2 {
            return CollapseMeasures::default();
        }
        // Centre on the mean of the present classes' means.
        self.global.clear();
        self.global.resize(d, 0.0);
        for &c in &self.present {
            for (g, m) in self.global.iter_mut().zip(&self.means[c * d..(c + 1) * d]) {
                *g += m / k as f64;
            }
        }
        for &c in &self.present {
            for (m, g) in self.means[c * d..(c + 1) * d].iter_mut().zip(&self.global) {
                *m -= g;
            }
        }
        let nc1 = finite(self.nc1(input));
        let mean_rows: Vec<&[f64]> = (self.present.iter())
            .map(|&c| &self.means[c * d..(c + 1) * d])
            .collect();
        let w_rows: Vec<Vec<f64>> = (self.present.iter())
            .map(|&c| {
                (input.classifiers[c * d..(c + 1) * d].iter())
                    .map(|&v| f64::from(v))
                    .collect()
            })
            .collect();
        let w_refs: Vec<&[f64]> = w_rows.iter().map(Vec::as_slice).collect();
        let minority: Vec<usize> = (0..k)
            .filter(|&i| input.minority[self.present[i]])
            .collect();
        let mean_cos = cosines(&mean_rows);
        let w_cos = cosines(&w_refs);
        let etf = -1.0 / (k as f64 - 1.0);
        CollapseMeasures {
            nc1,
            equinorm_means: finite(coefficient_of_variation(&norms(&mean_rows))),
            equinorm_classifiers: finite(coefficient_of_variation(&norms(&w_refs))),
            equiangular_means: finite(mean_cos.as_deref().and_then(sample_sd)),
            equiangular_classifiers: finite(w_cos.as_deref().and_then(sample_sd)),
            etf_distance_means: finite(mean_cos.as_deref().map(|c| etf_distance(c, etf))),
            etf_distance_classifiers: finite(w_cos.as_deref().map(|c| etf_distance(c, etf))),
            nc3: finite(self_duality(&w_refs, &mean_rows)),
            minority_angle_classifiers: finite(mean_angle(&w_refs, &minority)),
            minority_angle_means: finite(mean_angle(&mean_rows, &minority)),
        }
    }

    /// Counts and (uncentred) means of every class; `present` lists the classes with rows.
    fn class_means(&mut self, input: &CollapseInput<'_>) {
        let (d, k_all) = (input.dim, input.n_classes);
        self.counts.clear();
        self.counts.resize(k_all, 0);
        self.means.clear();
        self.means.resize(k_all * d, 0.0);
        for (row, &y) in input.features.chunks_exact(d).zip(input.labels) {
            if y >= k_all {
                continue;
            }
            self.counts[y] += 1;
            for (m, &v) in self.means[y * d..(y + 1) * d].iter_mut().zip(row) {
                *m += f64::from(v);
            }
        }
        self.present.clear();
        for c in 0..k_all {
            if self.counts[c] > 0 {
                let inv = 1.0 / self.counts[c] as f64;
                self.means[c * d..(c + 1) * d]
                    .iter_mut()
                    .for_each(|m| *m *= inv);
                self.present.push(c);
            }
        }
    }

    /// `Tr(Σ_W Σ_B⁺) / K`, with `self.means` already centred.
    fn nc1(&mut self, input: &CollapseInput<'_>) -> Option<f64> {
        let d = input.dim;
        let k = self.present.len();
        // Gram matrix G = M̃ M̃ᵀ / K of the centred means: its non-zero eigenvalues are Σ_B's.
        let mut gram = vec![0.0; k * k];
        for a in 0..k {
            for b in 0..=a {
                let (ca, cb) = (self.present[a], self.present[b]);
                let g = dot(
                    &self.means[ca * d..(ca + 1) * d],
                    &self.means[cb * d..(cb + 1) * d],
                ) / k as f64;
                gram[a * k + b] = g;
                gram[b * k + a] = g;
            }
        }
        let eig = symmetric_eigen(&gram, k)?;
        let top = *eig.values.first()?;
        if top.is_nan() || top <= 0.0 {
            return None;
        }
        let kept: Vec<usize> = (0..(k - 1).min(d))
            .filter(|&j| eig.values[j] > RELATIVE_EIGEN_FLOOR * top)
            .collect();
        // v_j = M̃ᵀ u_j / √(K λ_j): unit eigenvectors of Σ_B.
        self.directions.clear();
        self.directions.resize(kept.len() * d, 0.0);
        for (r, &j) in kept.iter().enumerate() {
            let scale = 1.0 / (k as f64 * eig.values[j]).sqrt();
            let v = &mut self.directions[r * d..(r + 1) * d];
            for (a, &u) in eig.vectors[j].iter().enumerate() {
                let c = self.present[a];
                for (vi, &m) in v.iter_mut().zip(&self.means[c * d..(c + 1) * d]) {
                    *vi += u * scale * m;
                }
            }
        }
        // h − μ_c = h − (μ̃_c + μ_G), μ̃_c the centred mean kept in `self.means`.
        self.projected.clear();
        self.projected.resize(kept.len(), 0.0);
        self.centred_row.resize(d, 0.0);
        let mut total = 0usize;
        for (row, &y) in input.features.chunks_exact(d).zip(input.labels) {
            if y >= input.n_classes {
                continue;
            }
            total += 1;
            let mean = &self.means[y * d..(y + 1) * d];
            for (i, out) in self.centred_row.iter_mut().enumerate() {
                *out = f64::from(row[i]) - mean[i] - self.global[i];
            }
            for (r, p) in self.projected.iter_mut().enumerate() {
                let t = dot(&self.centred_row, &self.directions[r * d..(r + 1) * d]);
                *p += t * t;
            }
        }
        let trace: f64 = (kept.iter().zip(&self.projected))
            .map(|(&j, &p)| p / total as f64 / eig.values[j])
            .sum();
        Some(trace / k as f64)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norms(rows: &[&[f64]]) -> Vec<f64> {
    rows.iter().map(|r| dot(r, r).sqrt()).collect()
}

fn sample_sd(v: &[f64]) -> Option<f64> {
    if v.len() < 2 {
        return None;
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
    Some((ss / (v.len() - 1) as f64).sqrt())
}

fn coefficient_of_variation(v: &[f64]) -> Option<f64> {
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    if mean.is_nan() || mean <= 0.0 {
        return None;
    }
    Some(sample_sd(v)? / mean)
}

/// Cosines of every unordered pair `a < b` of rows, in `(0,1), (0,2), …, (1,2), …` order; `None`
/// if a row has zero norm.
fn cosines(rows: &[&[f64]]) -> Option<Vec<f64>> {
    let n = norms(rows);
    if n.iter().any(|&x| x.is_nan() || x <= 0.0) {
        return None;
    }
    let mut out = Vec::with_capacity(rows.len() * rows.len().saturating_sub(1) / 2);
    for a in 0..rows.len() {
        for b in a + 1..rows.len() {
            out.push(dot(rows[a], rows[b]) / (n[a] * n[b]));
        }
    }
    Some(out)
}

fn etf_distance(cos: &[f64], target: f64) -> f64 {
    cos.iter().map(|c| (c - target).abs()).sum::<f64>() / cos.len() as f64
}

/// `‖W/‖W‖_F − M̃/‖M̃‖_F‖²_F`.
fn self_duality(w: &[&[f64]], m: &[&[f64]]) -> Option<f64> {
    let wn = norms(w).iter().map(|x| x * x).sum::<f64>().sqrt();
    let mn = norms(m).iter().map(|x| x * x).sum::<f64>().sqrt();
    if wn.is_nan() || mn.is_nan() || wn <= 0.0 || mn <= 0.0 {
        return None;
    }
    let mut s = 0.0;
    for (wr, mr) in w.iter().zip(m) {
        for (a, b) in wr.iter().zip(mr.iter()) {
            let diff = a / wn - b / mn;
            s += diff * diff;
        }
    }
    Some(s)
}

/// Mean pairwise angle (degrees) between the rows `which` (indices into `rows`); `None` for fewer
/// than two rows or a zero norm.
fn mean_angle(rows: &[&[f64]], which: &[usize]) -> Option<f64> {
    if which.len() < 2 {
        return None;
    }
    let picked: Vec<&[f64]> = which.iter().map(|&i| rows[i]).collect();
    let cos = cosines(&picked)?;
    let sum: f64 = cos
        .iter()
        .map(|c| c.clamp(-1.0, 1.0).acos().to_degrees())
        .sum();
    Some(sum / cos.len() as f64)
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}
