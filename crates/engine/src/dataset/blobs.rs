//! Isotropic Gaussian blobs, one per class.

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
            for &c in &centers[class][..d] {
                x.push(c + spread * rng.normal());
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
