//! Taking a class-count profile out of a fixed table (a bundled or uploaded dataset).

use super::Dataset;
use crate::error::{EngineError, Result};
use crate::rng::Rng;

/// Rows to keep so that class `c` has `counts[c]` rows: each class's rows are shuffled with their own
/// stream `rng.fork("subsample", c)` and the first `counts[c]` are kept (the selection rule of the
/// long-tailed CIFAR benchmarks, methods-spec §C.2, with the workbench's generator in place of numpy's).
/// A class's choice therefore depends only on the seed and its own count. Returned ascending, so the
/// kept rows stay in file order.
pub fn subsample_indices(data: &Dataset, counts: &[usize], rng: &Rng) -> Result<Vec<usize>> {
    if counts.len() != data.n_classes {
        return Err(EngineError::config(
            "subsample",
            format!(
                "the profile has {} classes but the data has {}",
                counts.len(),
                data.n_classes
            ),
        ));
    }
    let available = data.class_counts();
    let mut keep = Vec::with_capacity(counts.iter().sum());
    for (class, (&want, &have)) in counts.iter().zip(&available).enumerate() {
        if want > have {
            return Err(EngineError::config(
                "subsample",
                format!("class {class} has {have} rows; the profile asks for {want}. Lower n_max or the majority count"),
            ));
        }
        let mut idx: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == class).collect();
        rng.fork("subsample", class as u64).shuffle(&mut idx);
        keep.extend_from_slice(&idx[..want]);
    }
    keep.sort_unstable();
    Ok(keep)
}
