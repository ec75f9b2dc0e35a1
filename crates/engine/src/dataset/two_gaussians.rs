//! The binary toy problem of Menon et al., "Long-tail learning via logit adjustment", ICLR 2021, §6.1.

use super::{moons::shuffle_rows, Dataset};
use crate::rng::Rng;

/// Share of the positive (minority) class in the paper's setting, `P(y = +1) = 0.05`.
pub const PAPER_POSITIVE_SHARE: f64 = 0.05;

/// `x | y ~ N(y·(1, 1), σ² I)` with `y = −1` as class 0 and `y = +1` as class 1; the paper uses
/// `σ = 1` (pass `spread = 1.0`). Class sizes are fixed by `counts` rather than drawn, so that the
/// realised prior is exactly the asked one (see [`paper_counts`]). Rows are shuffled.
pub fn two_gaussians(counts: [usize; 2], spread: f64, rng: &mut Rng) -> Dataset {
    let total = counts[0] + counts[1];
    let mut x = Vec::with_capacity(2 * total);
    let mut y = Vec::with_capacity(total);
    for (class, &n) in counts.iter().enumerate() {
        let mean = if class == 0 { -1.0 } else { 1.0 };
        for _ in 0..n {
            x.push(mean + spread * rng.normal());
            x.push(mean + spread * rng.normal());
            y.push(class);
        }
    }
    shuffle_rows(Dataset::new(x, y, 2, 2), rng)
}

/// `[n_negative, n_positive]` for `total` samples at the paper's prior: `round(0.05·total)` positives
/// (at least one).
pub fn paper_counts(total: usize) -> [usize; 2] {
    let positives = ((total as f64 * PAPER_POSITIVE_SHARE).round() as usize).clamp(1, total.max(1));
    [total.saturating_sub(positives), positives]
}
