//! The multi-label choices: the task itself, the losses, the samplers and the label-frequency
//! profiles of the generator, keyed by the engine's serde tags under `multilabel.` (the formulas
//! and reference files are in `docs/multilabel.md` and each engine file's header).

use super::{entry, plain, Entry};

pub const TASKS: &[Entry] = &[
    entry(
        "multiclass",
        "one class (multi-class)",
        "Each sample belongs to exactly one class; a softmax over the classes.",
        "scikit-learn: multiclass classification",
        "https://scikit-learn.org/stable/modules/multiclass.html",
    ),
    entry(
        "multilabel",
        "a set of labels (multi-label)",
        "Each sample carries any number of labels that overlap; one sigmoid output per label. Rare labels are the ones a model drops.",
        "Tsoumakas, Katakis & Vlahavas 2010",
        "https://doi.org/10.1007/978-0-387-09823-4_34",
    ),
];

pub const LOSSES: &[Entry] = &[
    entry(
        "bce",
        "Binary cross-entropy",
        "One logistic loss per label, summed over the known entries: every label weighs the same, so rare labels are outvoted.",
        "PyTorch BCEWithLogitsLoss",
        "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
    ),
    entry(
        "weighted_bce",
        "Weighted BCE (positive weights)",
        "BCE with each label's positive term scaled, by default by negatives/positives of the training labels.",
        "PyTorch BCEWithLogitsLoss pos_weight",
        "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
    ),
    entry(
        "class_balanced_bce",
        "Class-balanced BCE",
        "BCE weighted per label by the inverse effective number of its positives, (1 − β)/(1 − βⁿ).",
        "Cui et al., CVPR 2019",
        "https://arxiv.org/abs/1901.05555",
    ),
    entry(
        "focal_bce",
        "Focal BCE",
        "BCE times (1 − p_t)^γ: easy entries, mostly the many easy negatives, count less.",
        "Lin et al., ICCV 2017",
        "https://arxiv.org/abs/1708.02002",
    ),
    entry(
        "asymmetric",
        "Asymmetric loss (ASL)",
        "Separate focusing for positives (γ+) and negatives (γ−), and a probability margin m that discards easy negatives: built for the positive–negative imbalance of multi-label data.",
        "Ridnik et al., ICCV 2021",
        "https://arxiv.org/abs/2009.14119",
    ),
    entry(
        "distribution_balanced",
        "Distribution-balanced loss",
        "Re-balancing weights that account for label co-occurrence when sampling, plus negative-tolerant regularisation of the negatives' logits.",
        "Wu et al., ECCV 2020",
        "https://arxiv.org/abs/2007.09654",
    ),
];

pub const SAMPLERS: &[Entry] = &[
    plain("none", "None", "Train on the training split as it is."),
    entry(
        "ml_ros",
        "ML-ROS (random over-sampling)",
        "Clones samples carrying minority labels (IRLbl above MeanIR) until P% of the data set is added.",
        "Charte et al., Neurocomputing 2015",
        "https://doi.org/10.1016/j.neucom.2014.08.091",
    ),
    entry(
        "ml_rus",
        "ML-RUS (random under-sampling)",
        "Deletes samples carrying majority labels (IRLbl below MeanIR) until P% of the data set is removed.",
        "Charte et al., Neurocomputing 2015",
        "https://doi.org/10.1016/j.neucom.2014.08.091",
    ),
    entry(
        "mlsmote",
        "MLSMOTE",
        "Synthetic samples between a minority label's sample and one of its k neighbours, with a label set voted by the neighbours.",
        "Charte et al., Knowledge-Based Systems 2015",
        "https://doi.org/10.1016/j.knosys.2015.07.019",
    ),
];

pub const LABEL_FREQUENCIES: &[Entry] = &[
    entry(
        "exponential",
        "Exponential long tail",
        "Label l's rate falls as (1/ρ)^(l/(L−1)): the head label ρ times as frequent as the tail label.",
        "Cui et al., CVPR 2019 (long-tailed profile)",
        "https://arxiv.org/abs/1901.05555",
    ),
    entry(
        "step",
        "Step",
        "The last μ·L labels are ρ times rarer than the others.",
        "Buda et al., Neural Networks 2018",
        "https://arxiv.org/abs/1710.05381",
    ),
    plain(
        "explicit",
        "Explicit rates",
        "Each label's probability, given directly (their sum is the cardinality; leave cardinality out).",
    ),
];
