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

// side_by_side.rs and browser.rs use it; parity.rs compares step by step instead.
#[allow(dead_code)]
/// Checks an experiment trained side by side on the GPU against the same run trained alone on the
/// CPU: the same steps and epoch history, parameters, optimizer state and per-epoch losses within
/// the bounds above, the same test predictions. Returns the measured differences, for the log.
pub fn check_member(
    what: &str,
    gpu: &imlab_engine::Experiment,
    cpu: &imlab_engine::Experiment,
) -> String {
    let (g, c) = (gpu.state(), cpu.state());
    assert_eq!(g.step, c.step, "{what}: steps");
    let dp = rel_max_diff(&g.params, &c.params);
    let ds = rel_max_diff(&g.opt_state, &c.opt_state);
    let (gh, ch) = (gpu.snapshot().history, cpu.snapshot().history);
    assert_eq!(gh.len(), ch.len(), "{what}: epochs recorded");
    let dl = gh
        .iter()
        .zip(&ch)
        .map(|(a, b)| (a.train_loss - b.train_loss).abs())
        .fold(0f64, f64::max)
        / ch[0].train_loss;
    assert!(dp <= TOL, "{what}: parameters differ by {dp:.3e}");
    assert!(
        ds <= STATE_TOL,
        "{what}: optimizer state differs by {ds:.3e}"
    );
    assert!(dl <= TOL, "{what}: epoch losses differ by {dl:.3e}");
    let k = gpu.data.n_classes;
    assert_eq!(
        argmax(&gpu.test_probabilities(), k),
        argmax(&cpu.test_probabilities(), k),
        "{what}: test predictions"
    );
    format!(
        "{what}: {} steps; relative differences: params {dp:.2e}, optimizer state {ds:.2e}, epoch losses {dl:.2e}",
        g.step
    )
}
