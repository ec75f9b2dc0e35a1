//! Data: generators, class-count profiles, label noise, bundled files.

use super::{entry, plain, Entry};

pub const GENERATORS: &[Entry] = &[
    plain(
        "moons",
        "Two moons",
        "Two interleaving half circles (two classes).",
    ),
    plain(
        "blobs",
        "Blobs",
        "One Gaussian blob per class, centres on a circle.",
    ),
    plain("circles", "Circles", "Concentric rings, one per class."),
    plain(
        "spiral",
        "Spiral",
        "Interleaved spiral arms, one per class.",
    ),
    plain(
        "xor",
        "XOR",
        "Four quadrants, diagonal ones share a class (two classes).",
    ),
    plain(
        "checkerboard",
        "Checkerboard",
        "A grid of squares, classes in turn.",
    ),
    entry(
        "two_gaussians",
        "Two Gaussians",
        "Two overlapping Gaussians: the setting where the Bayes-optimal rule is known.",
        "Menon et al. 2021, §6.1",
        "https://arxiv.org/abs/2007.07314",
    ),
];

pub const PROFILES: &[Entry] = &[
    plain(
        "ratio",
        "Ratio",
        "One majority class of `majority` rows; every other class has ratio × majority rows.",
    ),
    entry(
        "exponential",
        "Exponential (long tail)",
        "Class i has n_max · ρ^(−i/(K−1)) rows: a long tail with imbalance factor ρ.",
        "Cui et al. 2019; Cao et al. 2019",
        "https://arxiv.org/abs/1901.05555",
    ),
    entry(
        "step",
        "Step",
        "A fraction μ of the classes are minority with n_max/ρ rows; the rest have n_max.",
        "Buda, Maki & Mazurowski 2018",
        "https://arxiv.org/abs/1710.05381",
    ),
    entry(
        "linear",
        "Linear",
        "Class sizes fall linearly from n_max to n_max/ρ.",
        "Buda, Maki & Mazurowski 2018",
        "https://arxiv.org/abs/1710.05381",
    ),
    plain(
        "explicit",
        "Explicit counts",
        "The number of rows of each class, listed.",
    ),
];

pub const LABEL_NOISE: &[Entry] = &[
    plain("none", "None", "Labels as generated."),
    plain(
        "uniform",
        "Uniform flips",
        "Each label becomes another class with probability `rate`.",
    ),
    plain(
        "toward_majority",
        "Flips toward the majority",
        "Each minority label becomes the majority class with probability `rate` (asymmetric noise).",
    ),
];

/// `dataset.source`: generated, or a bundled file (uploaded files are the data panel's business).
pub const SOURCES: &[Entry] = &[
    plain(
        "generated",
        "Generated",
        "Synthetic 2-D data from the generator below.",
    ),
    plain(
        "bundled",
        "Bundled file",
        "A real dataset shipped with the app.",
    ),
    plain("uploaded", "Uploaded file", "A CSV file you supplied."),
];
