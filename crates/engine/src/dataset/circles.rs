//! Concentric circles, one ring per class; with two classes, scikit-learn's `make_circles(factor=0.5)`.

use super::{moons::shuffle_rows, Dataset};
use crate::{math, rng::Rng};

/// Class `c` of `K` lies on the circle of radius `(K − c)/K` (class 0 outside, radius 1), its `n_c`
/// points at angles `i·2π/n_c` as `sklearn.datasets.make_circles` spaces them (`linspace(0, 2π, n,
/// endpoint=False)`); Gaussian noise of standard deviation `noise` is added to every coordinate.
/// Rows are shuffled. With two classes and no noise this is `make_circles(n_samples=(n_0, n_1),
/// factor=0.5, noise=None, shuffle=False)` as a set of points (tested against it).
pub fn circles(counts: &[usize], noise: f64, rng: &mut Rng) -> Dataset {
    let k = counts.len();
    let total: usize = counts.iter().sum();
    let mut x = Vec::with_capacity(2 * total);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        let radius = (k - class) as f64 / k as f64;
        let step = 2.0 * std::f64::consts::PI / n.max(1) as f64;
        for i in 0..n {
            let t = i as f64 * step;
            x.push(radius * math::cos(t));
            x.push(radius * math::sin(t));
            y.push(class);
        }
    }
    for v in x.iter_mut() {
        *v += noise * rng.normal();
    }
    shuffle_rows(Dataset::new(x, y, 2, k), rng)
}
