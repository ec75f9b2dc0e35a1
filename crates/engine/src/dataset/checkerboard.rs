//! A checkerboard of unit cells coloured by class.

use super::{moons::shuffle_rows, Dataset};
use crate::rng::Rng;

/// The board has `g = max(4, K)` unit cells per side, centred on the origin; cell `(i, j)` belongs to
/// class `(i + j) mod K` (two classes give the usual black/white board, and `g ≥ K` gives every class a
/// cell). A class's points go round its cells in row-major order, uniform inside each cell; Gaussian
/// noise of standard deviation `noise` is then added to every coordinate. Rows are shuffled.
pub fn checkerboard(counts: &[usize], noise: f64, rng: &mut Rng) -> Dataset {
    let k = counts.len();
    let g = board_side(k);
    let half = g as f64 / 2.0;
    let total: usize = counts.iter().sum();
    let mut x = Vec::with_capacity(2 * total);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        let cells: Vec<(usize, usize)> = (0..g)
            .flat_map(|i| (0..g).map(move |j| (i, j)))
            .filter(|&(i, j)| (i + j) % k == class)
            .collect();
        for s in 0..n {
            let (i, j) = cells[s % cells.len()];
            let u = rng.uniform();
            let v = rng.uniform();
            x.push(j as f64 + u - half);
            x.push(i as f64 + v - half);
            y.push(class);
        }
    }
    for v in x.iter_mut() {
        *v += noise * rng.normal();
    }
    shuffle_rows(Dataset::new(x, y, 2, k), rng)
}

/// Cells per side of the board for `k` classes.
pub fn board_side(k: usize) -> usize {
    k.max(4)
}
