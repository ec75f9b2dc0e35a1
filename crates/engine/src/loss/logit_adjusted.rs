//! Logit-adjusted loss and Balanced Softmax: cross-entropy on `z + o` with per-class offsets `o` from
//! the training prior; predictions use the plain `argmax z`.
//!
//! * Logit adjustment — Menon et al., "Long-tail learning via logit adjustment", ICLR 2021:
//!   `o_c = τ ln π_c`, `π_c = n_c / N` (reference `google-research/logit_adjustment/utils.py`
//!   `build_loss_fn` adds `log(π^τ + 1e-12)`; the workbench adds no ε and rejects absent classes,
//!   `methods-spec.md` §F #13).
//! * Balanced Softmax — Ren et al., NeurIPS 2020 (`BalancedMetaSoftmax-Classification`
//!   `loss/BalancedSoftmaxLoss.py`): `o_c = ln n_c`. It equals logit adjustment with τ = 1 (the
//!   constant `ln N` cancels in the softmax); both names are offered, as the spec asks.
//!
//! Golden values: `oracle/golden_losses.json` (`logit-adjusted CE tau=…`, `balanced softmax`).

use super::class_weights::require_all_present;
use super::softmax_family::SoftmaxForm;
use crate::error::Result;
use crate::math;

/// Training prior `π_c = n_c / N`; every class must be present.
pub fn training_prior(counts: &[usize]) -> Result<Vec<f64>> {
    require_all_present(counts, "the class prior")?;
    let total: usize = counts.iter().sum();
    Ok(counts.iter().map(|&n| n as f64 / total as f64).collect())
}

pub fn logit_adjusted(tau: f64, counts: &[usize]) -> Result<SoftmaxForm> {
    let prior = training_prior(counts)?;
    let mut form = SoftmaxForm::plain(counts.len());
    form.offsets = prior.iter().map(|&p| tau * math::ln(p)).collect();
    Ok(form)
}

pub fn balanced_softmax(counts: &[usize]) -> Result<SoftmaxForm> {
    require_all_present(counts, "Balanced Softmax")?;
    let mut form = SoftmaxForm::plain(counts.len());
    form.offsets = counts.iter().map(|&n| math::ln(n as f64)).collect();
    Ok(form)
}
