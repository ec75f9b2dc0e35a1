//! How GPU results are compared with the CPU path's, shared by the native parity tests
//! (`parity.rs`) and the browser ones (`browser.rs`). Why these bounds: see `parity.rs`.

/// Optimizer steps each training case runs.
#[allow(dead_code)] // parity.rs and browser.rs use it; side_by_side.rs trains to the end.
pub const STEPS: u64 = 200;
/// Parameters and per-step losses, relative to their scale.
pub const TOL: f64 = 1e-4;
/// Optimizer state, relative to its scale.
pub const STATE_TOL: f64 = 1e-3;

/// `max |a − b| / (max |b| + 1e-12)`: the largest difference relative to the reference's scale.
pub fn rel_max_diff(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    let scale = b.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
    let diff = a.iter().zip(b).fold(0f64, |m, (&x, &y)| {
        m.max((f64::from(x) - f64::from(y)).abs())
    });
    diff / (scale + 1e-12)
}

/// The predicted class of each row of `k` probabilities (the first of equal maxima).
pub fn argmax(probs: &[f32], k: usize) -> Vec<usize> {
    probs
        .chunks(k)
        .map(|p| (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b }))
        .collect()
}
