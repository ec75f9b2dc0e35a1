//! The classifier: activation functions and output heads.

use super::{entry, plain, Entry};

pub const ACTIVATIONS: &[Entry] = &[
    plain("relu", "ReLU", "max(0, x): piecewise-linear boundaries."),
    plain("tanh", "tanh", "Smooth, saturating: smoother boundaries."),
    entry(
        "gelu",
        "GELU",
        "Smooth ReLU (tanh approximation).",
        "Hendrycks & Gimpel 2016",
        "https://arxiv.org/abs/1606.08415",
    ),
    plain(
        "sigmoid",
        "Sigmoid",
        "Logistic function; slow to train in deep nets.",
    ),
];

pub const HEADS: &[Entry] = &[
    plain("linear", "Linear", "Logits = W·h + b."),
    entry(
        "cosine",
        "Cosine",
        "Logits = scale · cos(w_c, h): normalised weights and features, no bias (LDAM's head).",
        "Cao et al. 2019, NeurIPS",
        "https://arxiv.org/abs/1906.07413",
    ),
];
