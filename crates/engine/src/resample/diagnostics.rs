//! What a sampler found out about the training split, for the UI to draw: which rows were in danger,
//! how ADASYN weighted each row, which clusters KMeans-SMOTE used. Row indices always refer to the
//! training split as given to the sampler.

use serde::{Deserialize, Serialize};

/// Borderline-SMOTE's and SVM-SMOTE's reading of a row's m nearest neighbours (Han et al. 2005):
/// with m' of the m neighbours in other classes, noise ⇔ m' = m, danger ⇔ m/2 ≤ m' < m,
/// safe ⇔ m' < m/2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointRole {
    Danger,
    Safe,
    Noise,
}

impl PointRole {
    /// The role of a row with `other` of its `m` neighbours in other classes.
    pub fn classify(other: usize, m: usize) -> PointRole {
        if other == m {
            PointRole::Noise
        } else if 2 * other >= m {
            PointRole::Danger
        } else {
            PointRole::Safe
        }
    }
}

/// The role of one original row of a targeted class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRole {
    pub index: usize,
    pub class: usize,
    pub role: PointRole,
    /// m': how many of its m nearest neighbours (whole training split) are of another class.
    pub other_neighbors: usize,
}

/// ADASYN's weight of one original row of a targeted class (He et al. 2008).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdasynWeight {
    pub index: usize,
    pub class: usize,
    /// r_i = Δ_i / K: share of its K nearest neighbours in other classes.
    pub ratio: f64,
    /// r̂_i = r_i / Σ r.
    pub share: f64,
    /// g_i = rint(r̂_i · G): synthetic rows generated from this row.
    pub generated: usize,
}

/// One k-means cluster as KMeans-SMOTE judged it for one targeted class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterInfo {
    pub class: usize,
    pub cluster: usize,
    /// Rows of the training split in the cluster.
    pub size: usize,
    /// Of which of `class`.
    pub class_rows: usize,
    /// Whether SMOTE was run inside the cluster (class share ≥ threshold and enough rows).
    pub kept: bool,
    /// Sparsity weight among kept clusters (0 when not kept).
    pub weight: f64,
    /// Synthetic rows made in this cluster.
    pub generated: usize,
}

/// Everything a sampler reports besides the data. Empty lists are left out of the JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    /// Borderline-SMOTE: every row of each targeted class. SVM-SMOTE: its support vectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RowRole>,
    /// ADASYN: every row of each targeted class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<AdasynWeight>,
    /// SVM-SMOTE: the support vectors of the fitted SVM (all classes), ascending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub support_vectors: Vec<usize>,
    /// KMeans-SMOTE: the cluster of every training row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_of: Vec<usize>,
    /// KMeans-SMOTE: every non-empty cluster, per targeted class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<ClusterInfo>,
    /// Things the user should know, e.g. a class left short of its target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}
