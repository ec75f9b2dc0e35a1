//! Label smoothing — Szegedy et al., "Rethinking the Inception Architecture for Computer Vision",
//! CVPR 2016. Oracle: PyTorch `F.cross_entropy(..., label_smoothing=ε)`
//! (`aten/src/ATen/native/LossNLL.cpp::cross_entropy_loss_label_smoothing`):
//! `L = (1−ε) NLL_w + (ε/K) Σ_i s_i / D`, `s_i = −Σ_c w_c log p_ic`, `D = Σ_i w_{y_i}`. The target is
//! `(1−ε)·onehot + ε/K` (the ε/K mass also lands on the true class; the `ε/(K−1)` variant is a
//! different loss). Golden values: `oracle/golden_losses.json` (`label smoothing eps=0.1 …`).

use super::softmax_family::SoftmaxForm;
use super::{ClassWeights, Reduction};
use crate::error::Result;

pub fn label_smoothing(
    epsilon: f64,
    weights: &ClassWeights,
    reduction: Reduction,
    counts: &[usize],
) -> Result<SoftmaxForm> {
    let w = weights.compute(counts)?;
    let mut form = SoftmaxForm::plain(counts.len()).with_weights(w, reduction);
    form.smoothing = epsilon;
    Ok(form)
}
