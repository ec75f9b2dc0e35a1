//! Starting parameters for the variants serde cannot build from their tag alone (they have required
//! fields), keyed by the field that holds the choice and the variant's tag. Everything else starts
//! from the engine's own defaults (see `edit::switch_variant`).

use imlab_engine::multilabel::loss::MultilabelLossSpec;
use imlab_engine::optim::{LrSchedule, OptimizerSpec};
use serde_json::{json, Value};

pub fn for_variant(field: &str, tag: &str) -> Option<Value> {
    match (field, tag) {
        ("optimizer", "adam") => serde_json::to_value(OptimizerSpec::default()).ok(),
        ("optimizer", "adamw") => serde_json::to_value(OptimizerSpec::AdamW {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
        })
        .ok(),
        ("optimizer", "sgd") => serde_json::to_value(OptimizerSpec::Sgd {
            lr: 0.05,
            momentum: 0.9,
            weight_decay: 0.0,
            nesterov: false,
        })
        .ok(),
        ("lr", "step") => serde_json::to_value(LrSchedule::Step {
            milestones: vec![0.5, 0.75],
            gamma: 0.1,
        })
        .ok(),
        // Class sizes: the default data's 500 majority rows, imbalance 10 (Cui et al.'s smallest ρ).
        ("counts" | "subsample", "explicit") => {
            Some(json!({"kind": "explicit", "counts": [500, 50]}))
        }
        ("counts" | "subsample", "ratio") => {
            Some(json!({"kind": "ratio", "majority": 500, "ratio": 0.1, "classes": 2}))
        }
        ("counts" | "subsample", "exponential") => {
            Some(json!({"kind": "exponential", "n_max": 500, "rho": 10.0, "classes": 2}))
        }
        ("counts" | "subsample", "step") => {
            Some(json!({"kind": "step", "n_max": 500, "rho": 10.0, "mu": 0.5, "classes": 2}))
        }
        ("counts" | "subsample", "linear") => {
            Some(json!({"kind": "linear", "n_max": 500, "rho": 10.0, "classes": 2}))
        }
        // Cao et al.'s β for effective-number weights.
        ("weights" | "class_weights", "effective_number") => {
            Some(json!({"scheme": "effective_number", "beta": 0.9999}))
        }
        ("label_noise", "uniform" | "toward_majority") => Some(json!({"kind": tag, "rate": 0.1})),
        ("source", "bundled") => {
            Some(json!({"kind": "bundled", "name": "breast_cancer", "standardize": true}))
        }
        // Multi-label losses with required parameters: the papers' and reference code's values.
        ("loss", "weighted_bce") => {
            Some(json!({"kind": "weighted_bce", "pos_weight": "negatives_over_positives"}))
        }
        ("loss", "class_balanced_bce") => {
            Some(json!({"kind": "class_balanced_bce", "beta": 0.999}))
        }
        ("loss", "focal_bce") => Some(json!({"kind": "focal_bce", "gamma": 2.0})),
        ("loss", "asymmetric") => {
            serde_json::to_value(MultilabelLossSpec::asymmetric_default()).ok()
        }
        ("loss", "distribution_balanced") => {
            serde_json::to_value(MultilabelLossSpec::distribution_balanced_default()).ok()
        }
        ("label_frequencies", "step") => Some(json!({"kind": "step", "rho": 10.0, "mu": 0.4})),
        _ => None,
    }
}
