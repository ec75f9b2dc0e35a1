//! LDAM — Cao, Wei, Gaidon, Arechiga, Ma, "Learning Imbalanced Datasets with Label-Distribution-Aware
//! Margin Loss", NeurIPS 2019. Reference: `kaidic/LDAM-DRW` `losses.py::LDAMLoss`.
//!
//! Margins `Δ_c = C / n_c^{1/4}` with `C` such that `max_c Δ_c = max_margin`; the loss is the
//! (optionally weighted) cross-entropy of `s · (z − Δ_y e_y)`. The margins are meant for cosine
//! logits (`model::Head::Cosine`, the reference's `NormedLinear`); the scale `s` is applied here, in
//! the loss, as in the reference. DRW (deferred re-weighting) is a training-schedule switch
//! (`experiment::TrainingSchedule::drw`) that turns class weights on late in training.
//! Golden values: `oracle/golden_losses.json` (`LDAM margins`, `LDAM loss on Zc=Z/4`).

use super::class_weights::require_all_present;
use super::softmax_family::SoftmaxForm;
use super::{ClassWeights, Reduction};
use crate::error::Result;

/// `Δ_c = max_margin · n_c^{-1/4} / max_j n_j^{-1/4}`.
pub fn ldam_margins(max_margin: f64, counts: &[usize]) -> Result<Vec<f64>> {
    require_all_present(counts, "LDAM margins")?;
    let raw: Vec<f64> = counts
        .iter()
        .map(|&n| 1.0 / (n as f64).sqrt().sqrt())
        .collect();
    let top = raw.iter().copied().fold(0.0, f64::max);
    Ok(raw.iter().map(|m| m * max_margin / top).collect())
}

pub fn ldam(
    max_margin: f64,
    scale: f64,
    weights: &ClassWeights,
    reduction: Reduction,
    counts: &[usize],
) -> Result<SoftmaxForm> {
    let w = weights.compute(counts)?;
    let mut form = SoftmaxForm::plain(counts.len()).with_weights(w, reduction);
    form.margins = ldam_margins(max_margin, counts)?;
    form.scale = scale;
    Ok(form)
}
