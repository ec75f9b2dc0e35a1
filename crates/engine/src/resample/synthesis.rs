//! The SMOTE family's shared step: draw (base, neighbour, step) triples, then place each new row on
//! the segment from its base toward its neighbour. Split into *draws* and a deterministic *apply*
//! ([`synthesize`]) so that imbalanced-learn's own draws can be replayed through the same apply step
//! in tests (methods-spec.md §G.5); the arithmetic follows `imblearn/over_sampling/_smote/base.py`
//! (`_generate_samples`) operation for operation, so a replay is bit-identical.

use super::Origin;
use crate::dataset::Dataset;
use crate::rng::Rng;

/// One synthetic row's recipe. `base` and `neighbor` are row indices of the training split.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    pub base: usize,
    pub neighbor: usize,
    /// λ times the method's step size (1 for interpolation, −out_step for SVM-SMOTE's extrapolation).
    pub step: f64,
    /// Borderline-SMOTE-2 only: μ ~ U[0, 0.5) shrinking the difference toward an other-class neighbour.
    pub gap: Option<f64>,
}

/// `base + step · ((neighbor − base) · gap)`, feature by feature, in imblearn's operation order.
#[inline]
pub fn interpolate(
    base: &[f64],
    neighbor: &[f64],
    step: f64,
    gap: Option<f64>,
    out: &mut Vec<f64>,
) {
    for (&b, &n) in base.iter().zip(neighbor) {
        let mut diff = n - b;
        if let Some(mu) = gap {
            diff *= mu;
        }
        out.push(b + step * diff);
    }
}

/// Appends one row per draw to `x`/`y`/`origin`, all labelled `class`.
pub fn synthesize(
    train: &Dataset,
    class: usize,
    draws: &[Draw],
    x: &mut Vec<f64>,
    y: &mut Vec<usize>,
    origin: &mut Vec<Origin>,
) {
    x.reserve(draws.len() * train.n_features);
    for d in draws {
        interpolate(train.row(d.base), train.row(d.neighbor), d.step, d.gap, x);
        y.push(class);
        origin.push(Origin::Synthetic {
            base: d.base,
            neighbor: d.neighbor,
        });
    }
}

/// SMOTE's draws (imblearn `_make_samples`): `count` (base, neighbour) pairs uniformly with
/// replacement among `bases.len() × k` pairs, then λ ~ U[0,1) per row, times `step_size`.
/// `table` is row-major `bases.len() × k`, holding training-split indices of each base's neighbours.
pub fn draw_pairs(
    bases: &[usize],
    table: &[usize],
    k: usize,
    count: usize,
    step_size: f64,
    rng: &mut Rng,
) -> Vec<Draw> {
    let pairs = bases.len() * k;
    if pairs == 0 {
        return Vec::new();
    }
    let picks: Vec<usize> = (0..count).map(|_| rng.below(pairs)).collect();
    picks
        .into_iter()
        .map(|u| Draw {
            base: bases[u / k],
            neighbor: table[u],
            step: step_size * rng.uniform(),
            gap: None,
        })
        .collect()
}

/// Indices (ascending) of the rows of `class`.
pub fn class_rows(train: &Dataset, class: usize) -> Vec<usize> {
    (0..train.len()).filter(|&i| train.y[i] == class).collect()
}

/// The feature rows at `indices`, contiguous.
pub fn gather(train: &Dataset, indices: &[usize]) -> Vec<f64> {
    let mut x = Vec::with_capacity(indices.len() * train.n_features);
    for &i in indices {
        x.extend_from_slice(train.row(i));
    }
    x
}

/// The training split followed by nothing yet: the start of every over-sampler's output.
pub struct Growing {
    pub x: Vec<f64>,
    pub y: Vec<usize>,
    pub origin: Vec<Origin>,
}

impl Growing {
    pub fn from_original(train: &Dataset) -> Self {
        Self::with_room(train, 0)
    }

    /// The training split, with room for `extra` new rows reserved up front (growing the buffers
    /// later would copy everything again).
    pub fn with_room(train: &Dataset, extra: usize) -> Self {
        let rows = train.len() + extra;
        let mut x = Vec::with_capacity(rows * train.n_features);
        x.extend_from_slice(&train.x);
        let mut y = Vec::with_capacity(rows);
        y.extend_from_slice(&train.y);
        let mut origin = Vec::with_capacity(rows);
        origin.extend((0..train.len()).map(|index| Origin::Original { index }));
        Growing { x, y, origin }
    }

    pub fn push_draws(&mut self, train: &Dataset, class: usize, draws: &[Draw]) {
        synthesize(
            train,
            class,
            draws,
            &mut self.x,
            &mut self.y,
            &mut self.origin,
        );
    }

    pub fn into_dataset(self, train: &Dataset) -> (Dataset, Vec<Origin>) {
        (
            Dataset::new(self.x, self.y, train.n_features, train.n_classes),
            self.origin,
        )
    }
}
