//! Interleaved spiral arms, one per class.

use super::{moons::shuffle_rows, Dataset};
use crate::{math, rng::Rng};

/// Class `c` of `K` is an arm that turns once around the origin: its `i`-th of `n_c` points has
/// `t = i/(n_c − 1)`, radius `0.1 + 0.9·t` and angle `2π·(c/K + t)`, so the arms start evenly spaced
/// and never cross. Gaussian noise of standard deviation `noise` is added to every coordinate. Rows are
/// shuffled. (A workbench shape; no reference implementation.)
pub fn spiral(counts: &[usize], noise: f64, rng: &mut Rng) -> Dataset {
    let k = counts.len();
    let total: usize = counts.iter().sum();
    let mut x = Vec::with_capacity(2 * total);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        let offset = class as f64 / k as f64;
        for i in 0..n {
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            };
            let radius = 0.1 + 0.9 * t;
            let angle = 2.0 * std::f64::consts::PI * (offset + t);
            x.push(radius * math::cos(angle));
            x.push(radius * math::sin(angle));
            y.push(class);
        }
    }
    for v in x.iter_mut() {
        *v += noise * rng.normal();
    }
    shuffle_rows(Dataset::new(x, y, 2, k), rng)
}
