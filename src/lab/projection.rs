//! How rows with more than two features reach the plane: their first two principal components.
//!
//! Features are standardised first (zero mean, unit variance; a constant feature is left at 0), so
//! a feature measured in large units does not take the picture over. The components are the two
//! leading eigenvectors of the correlation matrix, found by power iteration with deflation; each is
//! signed so its largest entry is positive, which keeps the picture from flipping between runs.
//! The model's decision boundary lives in the full feature space and is not drawn on this plane.

use imlab_engine::dataset::Dataset;

/// Power-iteration rounds: the 2-D picture needs only a rough direction.
const ITERATIONS: usize = 200;

/// A linear map from the feature space to the plane.
#[derive(Clone, Debug, PartialEq)]
pub enum Plane {
    /// Two features: drawn as they are.
    Features,
    /// More (or fewer) than two: first two principal components of the standardised features.
    Pca {
        mean: Vec<f64>,
        scale: Vec<f64>,
        axes: [Vec<f64>; 2],
        /// Share of the total variance each component explains.
        explained: [f64; 2],
    },
}

impl Plane {
    pub fn for_data(data: &Dataset) -> Plane {
        if data.n_features == 2 {
            return Plane::Features;
        }
        pca(data)
    }

    /// Whether the model's decision boundary can be drawn (only on the model's own two features).
    pub fn shows_boundary(&self) -> bool {
        matches!(self, Plane::Features)
    }

    /// The row's position on the plane.
    pub fn project(&self, row: &[f64]) -> (f64, f64) {
        match self {
            Plane::Features => (
                row.first().copied().unwrap_or(0.0),
                row.get(1).copied().unwrap_or(0.0),
            ),
            Plane::Pca {
                mean, scale, axes, ..
            } => {
                let coord = |axis: &[f64]| {
                    row.iter()
                        .zip(mean)
                        .zip(scale)
                        .zip(axis)
                        .map(|(((v, m), s), a)| (v - m) / s * a)
                        .sum::<f64>()
                };
                (coord(&axes[0]), coord(&axes[1]))
            }
        }
    }
}

fn pca(data: &Dataset) -> Plane {
    let d = data.n_features.max(1);
    let n = data.len().max(1);
    let mut mean = vec![0.0; d];
    for i in 0..data.len() {
        for (m, v) in mean.iter_mut().zip(data.row(i)) {
            *m += v / n as f64;
        }
    }
    let mut scale = vec![0.0; d];
    for i in 0..data.len() {
        for ((s, v), m) in scale.iter_mut().zip(data.row(i)).zip(&mean) {
            *s += (v - m) * (v - m) / n as f64;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-24 { s.sqrt() } else { f64::INFINITY };
    }
    // Correlation matrix (standardised covariance).
    let mut cov = vec![0.0; d * d];
    let mut z = vec![0.0; d];
    for i in 0..data.len() {
        for (k, ((v, m), s)) in data.row(i).iter().zip(&mean).zip(&scale).enumerate() {
            z[k] = (v - m) / s;
        }
        for (a, &za) in z.iter().enumerate() {
            for (b, &zb) in z.iter().enumerate().skip(a) {
                cov[a * d + b] += za * zb / n as f64;
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            cov[a * d + b] = cov[b * d + a];
        }
    }
    let total: f64 = (0..d).map(|a| cov[a * d + a]).sum::<f64>().max(1e-300);
    let (first, l1) = leading_axis(&cov, d, None);
    let (second, l2) = leading_axis(&cov, d, Some((&first, l1)));
    Plane::Pca {
        mean,
        scale,
        axes: [first, second],
        explained: [l1 / total, l2 / total],
    }
}

/// Leading eigenvector and eigenvalue of the symmetric `cov`, after removing `deflate`'s direction.
fn leading_axis(cov: &[f64], d: usize, deflate: Option<(&[f64], f64)>) -> (Vec<f64>, f64) {
    let apply = |v: &[f64]| -> Vec<f64> {
        let mut out: Vec<f64> = (0..d)
            .map(|a| (0..d).map(|b| cov[a * d + b] * v[b]).sum())
            .collect();
        if let Some((u, l)) = deflate {
            let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
            for (o, ui) in out.iter_mut().zip(u) {
                *o -= l * dot * ui;
            }
        }
        out
    };
    // A fixed, non-symmetric start so no eigenvector is orthogonal to it by construction.
    let mut v: Vec<f64> = (0..d).map(|i| 1.0 + i as f64 / d as f64).collect();
    normalise(&mut v);
    let mut lambda = 0.0;
    for _ in 0..ITERATIONS {
        let mut w = apply(&v);
        lambda = w.iter().zip(&v).map(|(a, b)| a * b).sum();
        if normalise(&mut w) == 0.0 {
            break;
        }
        v = w;
    }
    // Sign convention: the largest-magnitude entry is positive.
    let big = v
        .iter()
        .copied()
        .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    (v, lambda.max(0.0))
}

fn normalise(v: &mut [f64]) -> f64 {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
        norm
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(x: Vec<f64>, d: usize) -> Dataset {
        let n = x.len() / d;
        Dataset::new(x, vec![0; n], d, 1)
    }

    #[test]
    fn two_features_are_drawn_as_they_are() {
        let data = dataset(vec![1.0, 2.0, 3.0, 4.0], 2);
        let p = Plane::for_data(&data);
        assert!(p.shows_boundary());
        assert_eq!(p.project(&[1.0, 2.0]), (1.0, 2.0));
    }

    #[test]
    fn the_first_component_follows_the_correlated_features() {
        // Features 0 and 1 move together; feature 2 is independent noise-like.
        let mut x = Vec::new();
        for i in 0..50 {
            let t = i as f64 / 10.0;
            let w = if i % 2 == 0 { 1.0 } else { -1.0 };
            x.extend_from_slice(&[t, 2.0 * t + 1.0, w]);
        }
        let p = Plane::for_data(&dataset(x, 3));
        let Plane::Pca {
            axes, explained, ..
        } = &p
        else {
            panic!("expected PCA");
        };
        assert!(!p.shows_boundary());
        assert!((axes[0][0] - axes[0][1]).abs() < 1e-6, "{axes:?}");
        // Feature 2 is nearly uncorrelated with t: it barely enters the first axis.
        assert!(axes[0][2].abs() < 0.1, "{axes:?}");
        assert!(
            explained[0] > 0.6 && explained[0] + explained[1] > 0.99,
            "{explained:?}"
        );
        let (a, _) = p.project(&[0.0, 1.0, 1.0]);
        let (b, _) = p.project(&[4.9, 10.8, 1.0]);
        assert!(b > a, "larger t lies further along the first axis");
        assert!(a.is_finite());
    }
}
