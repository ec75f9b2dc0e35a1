//! The data range the attacks clip to: per-feature minimum and maximum of the training split (after
//! point edits, before resampling; a resampler's synthetic rows lie between training rows and do not
//! widen it). Image attacks clip to the pixel range [0, 1] (`torchattacks`' `clamp(0, 1)`); tabular
//! and 2-D data have no such range, and this is its analogue: an adversarial example never leaves the
//! box the training data span. A point already outside the box (a test row beyond the training
//! extremes) keeps its own coordinate as the bound on that side, so the clean point is always
//! feasible and the ε-ball and the box always intersect.

/// Per-feature `[lo, hi]`.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRange {
    pub lo: Vec<f32>,
    pub hi: Vec<f32>,
}

impl DataRange {
    /// The range of `x` (row-major, `d` columns). With no rows every bound is infinite (no clipping).
    pub fn of(x: &[f32], d: usize) -> Self {
        let mut lo = vec![f32::INFINITY; d];
        let mut hi = vec![f32::NEG_INFINITY; d];
        for row in x.chunks_exact(d.max(1)) {
            for (j, &v) in row.iter().enumerate() {
                lo[j] = lo[j].min(v);
                hi[j] = hi[j].max(v);
            }
        }
        if x.is_empty() {
            lo.fill(f32::NEG_INFINITY);
            hi.fill(f32::INFINITY);
        }
        DataRange { lo, hi }
    }

    /// No clipping (every bound infinite): for tests of the unconstrained closed forms.
    pub fn unbounded(d: usize) -> Self {
        DataRange {
            lo: vec![f32::NEG_INFINITY; d],
            hi: vec![f32::INFINITY; d],
        }
    }

    pub fn n_features(&self) -> usize {
        self.lo.len()
    }

    /// Bounds of feature `j` for a perturbation of the clean value `x0`.
    #[inline]
    pub fn bounds(&self, j: usize, x0: f32) -> (f32, f32) {
        (self.lo[j].min(x0), self.hi[j].max(x0))
    }
}
