//! Gaussian blobs, one per class, and their generalisation to one Gaussian mixture per class.

use serde::{Deserialize, Serialize};

use super::{moons::shuffle_rows, Dataset};
use crate::rng::Rng;

/// Class `c` is drawn from `N(centers[c], spread² I)`. Rows are shuffled.
pub fn blobs(counts: &[usize], centers: &[Vec<f64>], spread: f64, rng: &mut Rng) -> Dataset {
    let d = centers.first().map_or(2, |c| c.len());
    let total: usize = counts.iter().sum();
    let mut x = Vec::with_capacity(total * d);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        for _ in 0..n {
            for &m in &centers[class][..d] {
                x.push(m + spread * rng.normal());
            }
            y.push(class);
        }
    }
    shuffle_rows(Dataset::new(x, y, d, counts.len()), rng)
}

/// `k` centres evenly spaced on a circle of radius `r` (the default layout in two dimensions).
pub fn circle_centers(k: usize, r: f64) -> Vec<Vec<f64>> {
    (0..k)
        .map(|c| {
            let a = 2.0 * std::f64::consts::PI * c as f64 / k as f64;
            vec![r * crate::math::cos(a), r * crate::math::sin(a)]
        })
        .collect()
}

/// One isotropic Gaussian of a class's mixture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GaussianComponent {
    pub mean: Vec<f64>,
    /// Standard deviation of every coordinate.
    pub spread: f64,
    /// Relative weight inside its class (need not sum to 1).
    #[serde(default = "unit_weight")]
    pub weight: f64,
}

fn unit_weight() -> f64 {
    1.0
}

/// Class `c` draws each sample from `mixture[c]`: a component chosen with probability proportional to
/// its weight, then `N(mean, spread² I)`. All means share one dimension (checked by the spec's
/// validation). Rows are shuffled.
pub fn gaussian_mixture(
    counts: &[usize],
    mixture: &[Vec<GaussianComponent>],
    rng: &mut Rng,
) -> Dataset {
    let d = mixture
        .first()
        .and_then(|m| m.first())
        .map_or(2, |c| c.mean.len());
    let total: usize = counts.iter().sum();
    let mut x = Vec::with_capacity(total * d);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        let components = &mixture[class];
        let total_weight: f64 = components.iter().map(|c| c.weight).sum();
        for _ in 0..n {
            let component = if components.len() == 1 {
                &components[0]
            } else {
                let mut u = rng.uniform() * total_weight;
                let mut chosen = &components[components.len() - 1];
                for c in components {
                    if u < c.weight {
                        chosen = c;
                        break;
                    }
                    u -= c.weight;
                }
                chosen
            };
            for &m in &component.mean[..d] {
                x.push(m + component.spread * rng.normal());
            }
            y.push(class);
        }
    }
    shuffle_rows(Dataset::new(x, y, d, counts.len()), rng)
}
