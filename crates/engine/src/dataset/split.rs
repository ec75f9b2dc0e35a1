//! Seeded stratified train/test split.

use super::Dataset;
use crate::error::{EngineError, Result};
use crate::rng::Rng;

/// Index lists into the full dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Each class is shuffled on its own and `round(n_c · test_fraction)` of it goes to the test split,
/// keeping at least one sample of every class on each side (so a 1:10 ratio with few points still
/// leaves the minority in both). Indices are returned in ascending order.
pub fn stratified_split(data: &Dataset, test_fraction: f64, rng: &mut Rng) -> Result<Split> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(EngineError::config(
            "test_fraction",
            format!("must be strictly between 0 and 1, got {test_fraction}"),
        ));
    }
    let mut train = Vec::new();
    let mut test = Vec::new();
    for class in 0..data.n_classes {
        let mut idx: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == class).collect();
        if idx.is_empty() {
            continue;
        }
        if idx.len() < 2 {
            return Err(EngineError::TooFewSamples {
                class,
                count: idx.len(),
                needed: 2,
                what: "a train/test split (one on each side)".into(),
            });
        }
        let mut class_rng = rng.fork("class", class as u64);
        class_rng.shuffle(&mut idx);
        let n_test = ((idx.len() as f64 * test_fraction).round() as usize).clamp(1, idx.len() - 1);
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok(Split { train, test })
}
