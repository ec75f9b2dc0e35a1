//! Semi-supervised learning under imbalance: an unlabeled pool, pseudo-labelled by the model trained
//! on the labeled rows, then trained on with them (Yang & Xu, NeurIPS 2020, "Rethinking the value of
//! labels for improving class-imbalanced learning", §3: pseudo-labels from a base classifier,
//! then training on labeled plus pseudo-labelled data). See `docs/representation.md`.

mod pseudo_labels;

pub use pseudo_labels::{pseudo_label, withhold_pool, PseudoLabelClass, PseudoLabelReport};
