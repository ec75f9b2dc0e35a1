//! Training losses (`LossSpec`).

use super::{entry, plain, Entry};

pub const LOSSES: &[Entry] = &[
    plain(
        "ce",
        "Cross-entropy",
        "Plain softmax cross-entropy: every training row counts the same, so the majority dominates.",
    ),
    entry(
        "weighted_ce",
        "Weighted cross-entropy",
        "Cross-entropy with a weight per class (e.g. inverse frequency), so minority errors cost more.",
        "Cui et al. 2019, CVPR (class weights)",
        "https://arxiv.org/abs/1901.05555",
    ),
    entry(
        "focal",
        "Focal loss",
        "Down-weights rows the model already gets right (factor (1 − p)^γ), focusing on hard ones.",
        "Lin et al. 2017, ICCV",
        "https://arxiv.org/abs/1708.02002",
    ),
    entry(
        "cb_focal",
        "Class-balanced focal",
        "Focal loss weighted by the inverse effective number of samples per class, (1 − β)/(1 − β^n).",
        "Cui et al. 2019, CVPR",
        "https://arxiv.org/abs/1901.05555",
    ),
    entry(
        "ldam",
        "LDAM",
        "Cross-entropy with a larger margin for rarer classes (margin ∝ n^−1/4).",
        "Cao et al. 2019, NeurIPS",
        "https://arxiv.org/abs/1906.07413",
    ),
    entry(
        "logit_adjusted",
        "Logit-adjusted loss",
        "Cross-entropy on logits shifted by τ·log(class prior): trains for balanced error.",
        "Menon et al. 2021, ICLR",
        "https://arxiv.org/abs/2007.07314",
    ),
    entry(
        "balanced_softmax",
        "Balanced Softmax",
        "Cross-entropy on logits plus log(class count); logit adjustment with τ = 1.",
        "Ren et al. 2020, NeurIPS",
        "https://arxiv.org/abs/2007.10740",
    ),
    entry(
        "label_smoothing",
        "Label smoothing",
        "Targets mix the true class with a uniform share ε, discouraging over-confident logits.",
        "Szegedy et al. 2016, CVPR",
        "https://arxiv.org/abs/1512.00567",
    ),
    entry(
        "dice",
        "Dice loss",
        "1 − soft Dice (an F1-like overlap) per class; self-adjusting form down-weights easy rows.",
        "Li et al. 2020, ACL",
        "https://arxiv.org/abs/1911.02855",
    ),
    entry(
        "anyloss",
        "AnyLoss",
        "Turns a confusion-matrix metric (F1, balanced accuracy, ...) into a differentiable loss.",
        "Han, Moniz & Chawla 2024",
        "https://arxiv.org/abs/2405.14745",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_loss_has_an_entry() {
        let tags = imlab_engine::tag_names::tag_names::<imlab_engine::loss::LossSpec>("kind");
        assert!(!tags.is_empty());
        for tag in tags.into_iter().filter(|t| *t != "cross_entropy") {
            assert_eq!(
                super::super::find(LOSSES, tag).tag,
                tag,
                "no entry for `{tag}`"
            );
        }
    }
}
