//! Two interleaving half circles, as scikit-learn's `make_moons`, with one count per class.

use super::Dataset;
use crate::{math, rng::Rng};

/// Class 0 is the upper moon `(cos t, sin t)`, class 1 the lower `(1 − cos t, 1 − sin t − 0.5)`, with
/// `t` evenly spaced over `[0, π]` as in `sklearn.datasets.make_moons`; Gaussian noise of standard
/// deviation `noise` is added to every coordinate. Rows are shuffled.
pub fn moons(counts: [usize; 2], noise: f64, rng: &mut Rng) -> Dataset {
    let mut x = Vec::with_capacity(2 * (counts[0] + counts[1]));
    let mut y = Vec::with_capacity(counts[0] + counts[1]);
    for (class, &n) in counts.iter().enumerate() {
        for i in 0..n {
            let t = if n > 1 {
                std::f64::consts::PI * i as f64 / (n - 1) as f64
            } else {
                std::f64::consts::FRAC_PI_2
            };
            let (a, b) = if class == 0 {
                (math::cos(t), math::sin(t))
            } else {
                (1.0 - math::cos(t), 1.0 - math::sin(t) - 0.5)
            };
            x.push(a);
            x.push(b);
            y.push(class);
        }
    }
    for v in x.iter_mut() {
        *v += noise * rng.normal();
    }
    shuffle_rows(Dataset::new(x, y, 2, 2), rng)
}

pub(crate) fn shuffle_rows(d: Dataset, rng: &mut Rng) -> Dataset {
    let perm = rng.permutation(d.len());
    d.select(&perm)
}
