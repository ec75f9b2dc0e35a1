//! Adversarial training and robust evaluation (issue 15): the attacks and the two optional sections.

use super::{entry, plain, Entry};

pub const ADVERSARIAL: Entry = entry(
    "adversarial",
    "Adversarial training",
    "Trains on inputs perturbed within ε to raise the loss (mixed with the clean loss by the weight); class weights inside the adversarial loss are the reweighting remedy.",
    "Madry et al. 2018, ICLR",
    "https://arxiv.org/abs/1706.06083",
);

pub const REWEIGHTING: Entry = entry(
    "class_weights",
    "Class weights in the adversarial term",
    "Weights each row's adversarial loss by its class (the clean term keeps the loss's own weights): the rare classes, whose robustness suffers most, count more.",
    "Wang et al. 2022, Imbalanced Adversarial Training with Reweighting",
    "https://arxiv.org/abs/2107.13639",
);

pub const ROBUST_EVAL: Entry = plain(
    "robust_eval",
    "Robust evaluation",
    "Attacks every test row within ε and reports clean and robust recall per class, with the gap between classes (the disparity panel).",
);

pub const ATTACKS: &[Entry] = &[
    entry(
        "fgsm",
        "FGSM (one step)",
        "One step of size ε along the sign of the input gradient (L∞) or its direction (L2).",
        "Goodfellow, Shlens & Szegedy 2015, ICLR",
        "https://arxiv.org/abs/1412.6572",
    ),
    entry(
        "pgd",
        "PGD (projected gradient ascent)",
        "Several gradient steps from a random start, each projected back into the ε-ball and the data range.",
        "Madry et al. 2018, ICLR",
        "https://arxiv.org/abs/1706.06083",
    ),
];
