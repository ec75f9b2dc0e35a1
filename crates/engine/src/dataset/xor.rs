//! The XOR pattern: two classes on opposite quadrant pairs.

use super::{moons::shuffle_rows, Dataset};
use crate::rng::Rng;

/// Class 0 fills the quadrants (+,+) and (−,−) of `[−1, 1]²`, class 1 the quadrants (+,−) and (−,+):
/// the label is `(x > 0) XOR (y > 0)`. Each class alternates between its two quadrants so they hold
/// equal shares, and each point is uniform inside its unit quadrant; Gaussian noise of standard
/// deviation `noise` is then added to every coordinate. Rows are shuffled.
pub fn xor(counts: [usize; 2], noise: f64, rng: &mut Rng) -> Dataset {
    let total = counts[0] + counts[1];
    let mut x = Vec::with_capacity(2 * total);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        for i in 0..n {
            let (sx, sy) = match (class, i % 2) {
                (0, 0) => (1.0, 1.0),
                (0, _) => (-1.0, -1.0),
                (_, 0) => (1.0, -1.0),
                _ => (-1.0, 1.0),
            };
            let u = rng.uniform();
            let v = rng.uniform();
            x.push(sx * u);
            x.push(sy * v);
            y.push(class);
        }
    }
    for v in x.iter_mut() {
        *v += noise * rng.normal();
    }
    shuffle_rows(Dataset::new(x, y, 2, 2), rng)
}
