//! How rows with more than two features reach the plane: their first two principal components.
//!
//! Features are standardised first (zero mean, unit variance; a constant feature is left at 0), so
//! a feature measured in large units does not take the picture over. The components are the two
//! leading eigenvectors of the correlation matrix (`super::pca`); each is signed so its largest
//! entry is positive, which keeps the picture from flipping between runs.
//! The model's decision boundary lives in the full feature space and is not drawn on this plane.

use imlab_engine::dataset::Dataset;

use super::pca::{principal_plane, signed};

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
    // Standardised rows: their covariance is the correlation matrix.
    let mut z = Vec::with_capacity(data.len() * d);
    for i in 0..data.len() {
        z.extend(
            data.row(i)
                .iter()
                .zip(&mean)
                .zip(&scale)
                .map(|((v, m), s)| (v - m) / s),
        );
    }
    let found = principal_plane(&z, data.len(), d, None, ITERATIONS);
    let explained = found.explained();
    let [mut first, mut second] = found.axes;
    signed(&mut first);
    signed(&mut second);
    Plane::Pca {
        mean,
        scale,
        axes: [first, second],
        explained,
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
