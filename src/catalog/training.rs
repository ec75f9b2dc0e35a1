//! Optimisers, learning-rate schedules, class weights, deferred re-weighting and second stages.

use super::{entry, plain, Entry};

pub const OPTIMIZERS: &[Entry] = &[
    entry(
        "adam",
        "Adam",
        "Adaptive per-weight step sizes from running gradient moments (PyTorch semantics).",
        "Kingma & Ba 2015",
        "https://arxiv.org/abs/1412.6980",
    ),
    entry(
        "adamw",
        "AdamW",
        "Adam with weight decay decoupled from the gradient.",
        "Loshchilov & Hutter 2019",
        "https://arxiv.org/abs/1711.05101",
    ),
    plain(
        "sgd",
        "SGD (momentum)",
        "Stochastic gradient descent with heavy-ball or Nesterov momentum.",
    ),
];

pub const LR_SCHEDULES: &[Entry] = &[
    plain("constant", "Constant", "The same learning rate throughout."),
    plain(
        "step",
        "Step decay",
        "Multiplies the rate by γ at each milestone (fractions of the run).",
    ),
    entry(
        "cosine",
        "Cosine",
        "Decays the rate along a half cosine to min_factor × lr.",
        "Loshchilov & Hutter 2017",
        "https://arxiv.org/abs/1608.03983",
    ),
];

pub const CLASS_WEIGHTS: &[Entry] = &[
    plain("uniform", "Uniform", "Every class weighs 1."),
    plain(
        "inverse_frequency",
        "Inverse frequency",
        "w ∝ 1/n, scaled so the weights sum to K.",
    ),
    plain(
        "sklearn_balanced",
        "Balanced (scikit-learn)",
        "w = N / (K · n).",
    ),
    plain("inverse_sqrt", "Inverse square root", "w ∝ n^−1/2."),
    entry(
        "effective_number",
        "Effective number",
        "w ∝ (1 − β)/(1 − β^n): between uniform (β = 0) and inverse frequency (β → 1).",
        "Cui et al. 2019, CVPR",
        "https://arxiv.org/abs/1901.05555",
    ),
];

pub const DRW: Entry = entry(
    "drw",
    "Deferred re-weighting (DRW)",
    "Trains unweighted, then switches class weights on late in the run.",
    "Cao et al. 2019, NeurIPS",
    "https://arxiv.org/abs/1906.07413",
);

pub const SECOND_STAGES: &[Entry] = &[
    entry(
        "classifier_retraining",
        "Classifier re-training (cRT)",
        "Re-initialises the output layer and re-trains it on class-balanced batches.",
        "Kang et al. 2020, ICLR",
        "https://arxiv.org/abs/1910.09217",
    ),
    entry(
        "output_fine_tuning",
        "Two-phase fine-tuning",
        "Fine-tunes only the output layer on the original, imbalanced split at a lower rate.",
        "Buda, Maki & Mazurowski 2018",
        "https://arxiv.org/abs/1710.05381",
    ),
    entry(
        "virtual_feature_calibration",
        "Virtual-feature calibration",
        "Fits a Gaussian to each class's features (tail classes borrow their nearest head classes' covariance), draws class-balanced virtual features and re-trains the output layer on real plus virtual ones.",
        "Yang, Liu & Xu 2021, ICLR",
        "https://arxiv.org/abs/2101.06395",
    ),
    entry(
        "pseudo_labels",
        "Pseudo-labels (semi-supervised)",
        "Withholds a share of each class's training labels as an unlabeled pool, trains on the rest, gives confident pool rows their predicted class and trains the whole network on both.",
        "Yang & Xu 2020, NeurIPS",
        "https://arxiv.org/abs/2006.07529",
    ),
];
