//! Datasets: the in-memory table, generators, class-count profiles, label noise, bundled and
//! uploaded files, and the train/test split.
//!
//! One generator per file (`moons`, `blobs`, `circles`, `spiral`, `xor`, `checkerboard`,
//! `two_gaussians`); [`DatasetSpec`] (in `spec`) says which data an experiment uses and turns itself
//! into a [`Dataset`].

mod blobs;
pub mod bundled;
mod checkerboard;
mod circles;
mod content_hash;
pub mod csv;
mod edits;
pub mod feature_columns;
mod label_noise;
mod moons;
pub mod profile;
mod source;
mod spec;
mod spiral;
mod split;
mod subsample;
mod two_gaussians;
mod xor;

pub use blobs::{blobs, circle_centers, gaussian_mixture, GaussianComponent};
pub use bundled::BundledName;
pub use checkerboard::checkerboard;
pub use circles::circles;
pub use content_hash::{content_hash, fnv1a64, is_content_hash};
pub use csv::LabelColumn;
pub use edits::{
    round_coordinate, AddedPoint, EditReport, PointEdits, RemovedPoint, EDIT_SIGNIFICANT_DIGITS,
    MAX_EDITS, MAX_EDIT_COORDINATE,
};
pub use feature_columns::ColumnRef;
pub use label_noise::{majority_class, LabelNoise, MAX_LABEL_NOISE};
pub use moons::moons;
pub use source::{DataSource, MemorySource, NoData};
pub use spec::{
    ClassCounts, DataOrigin, DatasetSpec, Generator, LoadedDataset, MAX_CLASSES, MAX_ROWS,
};
pub use spiral::spiral;
pub use split::{stratified_split, Split};
pub use subsample::subsample_indices;
pub use two_gaussians::{paper_counts as menon_paper_counts, two_gaussians};
pub use xor::xor;

/// A labelled table: `x` is row-major `n × n_features`, labels are `0..n_classes`.
///
/// Features are f64 so that samplers can match imbalanced-learn exactly; models convert to f32.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: Vec<f64>,
    pub y: Vec<usize>,
    pub n_features: usize,
    pub n_classes: usize,
}

impl Dataset {
    pub fn new(x: Vec<f64>, y: Vec<usize>, n_features: usize, n_classes: usize) -> Self {
        debug_assert_eq!(x.len(), y.len() * n_features);
        Dataset {
            x,
            y,
            n_features,
            n_classes,
        }
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.n_features..(i + 1) * self.n_features]
    }

    /// Number of samples of each class `0..n_classes`.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut c = vec![0; self.n_classes];
        for &y in &self.y {
            c[y] += 1;
        }
        c
    }

    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let mut x = Vec::with_capacity(indices.len() * self.n_features);
        let mut y = Vec::with_capacity(indices.len());
        for &i in indices {
            x.extend_from_slice(self.row(i));
            y.push(self.y[i]);
        }
        Dataset::new(x, y, self.n_features, self.n_classes)
    }

    /// Features as f32, the models' precision.
    pub fn x_f32(&self) -> Vec<f32> {
        self.x.iter().map(|&v| v as f32).collect()
    }

    /// Per-feature (min, max), for plotting extents.
    pub fn bounds(&self) -> Vec<(f64, f64)> {
        let mut b = vec![(f64::INFINITY, f64::NEG_INFINITY); self.n_features];
        for i in 0..self.len() {
            for (j, &v) in self.row(i).iter().enumerate() {
                b[j].0 = b[j].0.min(v);
                b[j].1 = b[j].1.max(v);
            }
        }
        b
    }
}
