//! What imbalance does inside the network: the penultimate-layer features and the classifier
//! vectors, measured by the neural-collapse statistics (Papyan, Han & Donoho, PNAS 2020) and the
//! minority-collapse angle (Fang, He, Long & Su, PNAS 2021).
//!
//! The features and classifier vectors come from [`crate::model::Mlp::penultimate_features`] and
//! [`crate::model::Mlp::classifier_vectors`].

mod collapse;
mod symmetric_eigen;
mod virtual_features;

pub use collapse::{collapse_measures, minority_classes, CollapseInput, CollapseWorkspace};
pub use symmetric_eigen::{symmetric_eigen, SymmetricEigen};
pub use virtual_features::{calibrate, cholesky, class_gaussians, draw_balanced, ClassGaussian};

use serde::{Deserialize, Serialize};

/// Neural-collapse measures of one model on the (original) training split, after an epoch.
/// `None` where a measure is undefined (fewer than two classes present, a zero norm, no minority
/// pair). Every measure tends to 0 as the network collapses, except the angles, which shrink toward
/// 0 in minority collapse and sit near `arccos(−1/(K−1))` for a simplex ETF.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollapseMeasures {
    /// NC1: `Tr(Σ_W Σ_B⁺) / K`, within-class variability relative to between-class.
    pub nc1: Option<f64>,
    /// NC2 equinorm: coefficient of variation (sd / mean) of the centred class-mean norms.
    pub equinorm_means: Option<f64>,
    /// NC2 equinorm: coefficient of variation of the classifier-vector norms.
    pub equinorm_classifiers: Option<f64>,
    /// NC2 equiangularity: standard deviation of the pairwise cosines of the centred class means.
    pub equiangular_means: Option<f64>,
    /// NC2 equiangularity: standard deviation of the pairwise cosines of the classifier vectors.
    pub equiangular_classifiers: Option<f64>,
    /// NC2: mean `|cos + 1/(K−1)|` over pairs of centred class means (distance to the simplex ETF).
    pub etf_distance_means: Option<f64>,
    /// NC2: mean `|cos + 1/(K−1)|` over pairs of classifier vectors.
    pub etf_distance_classifiers: Option<f64>,
    /// NC3 self-duality: `‖W/‖W‖_F − M/‖M‖_F‖²_F` (rows: classifier vectors, centred class means).
    pub nc3: Option<f64>,
    /// Minority collapse: mean pairwise angle (degrees) between the minority classes' classifier
    /// vectors.
    pub minority_angle_classifiers: Option<f64>,
    /// Minority collapse: mean pairwise angle (degrees) between the minority classes' centred
    /// feature means.
    pub minority_angle_means: Option<f64>,
}
