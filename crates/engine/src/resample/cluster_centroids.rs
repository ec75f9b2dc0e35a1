//! Cluster centroids (prototype generation): each targeted class is replaced by the centroids of a
//! k-means clustering of its rows, with as many clusters as rows to keep (`soft` voting), or by the
//! row of the class nearest to each centroid (`hard` voting).
//!
//! Reference: imbalanced-learn 0.14.2
//! `under_sampling/_prototype_generation/_cluster_centroids.py` (`ClusterCentroids`, default
//! estimator scikit-learn 1.9 `KMeans`: greedy k-means++ seeding, one initialisation, Lloyd
//! iterations; `methods-spec.md` §A.16). k-means++: D. Arthur, S. Vassilvitskii, "k-means++: the
//! advantages of careful seeding", SODA 2007. The seeding draws come from the workbench's stream, so
//! centroids differ from the reference's; tested: counts equal to the reference's, each centroid is
//! the mean of its members, and members are assigned to their nearest centroid.

use serde::{Deserialize, Serialize};

use super::kmeans::kmeans;
use super::neighbour_vote::{class_rows, gather};
use super::{Origin, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::kneighbors;
use crate::rng::Rng;

/// What replaces a targeted class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Voting {
    /// The centroids themselves (new rows); the reference's `auto` for dense data.
    #[default]
    Soft,
    /// The row of the class nearest to each centroid (original rows).
    Hard,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterCentroids {
    /// Under-sampling strategy: rows (= clusters) each targeted class keeps.
    pub sampling_strategy: SamplingStrategy,
    pub voting: Voting,
    /// Most Lloyd iterations per class (scikit-learn's `KMeans(max_iter=300)`).
    pub max_iter: usize,
}

impl Default for ClusterCentroids {
    fn default() -> Self {
        ClusterCentroids {
            sampling_strategy: SamplingStrategy::Auto,
            voting: Voting::Soft,
            max_iter: 300,
        }
    }
}

/// One k-means cluster of a targeted class.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub class: usize,
    /// Mean of the members.
    pub centroid: Vec<f64>,
    /// Rows of the original data in the cluster, ascending.
    pub members: Vec<usize>,
    /// The row of the class nearest to the centroid (what hard voting keeps).
    pub nearest_row: usize,
}

/// The resampled data and the clusters behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterCentroidsFit {
    pub resampled: Resampled,
    /// Clusters of every targeted class, classes ascending; `Origin::Centroid { cluster }` indexes
    /// this list.
    pub clusters: Vec<Cluster>,
    /// Lloyd iterations run for each targeted class (ascending class order), and whether the
    /// assignment stopped changing before `max_iter`.
    pub iterations: Vec<(usize, usize, bool)>,
}

impl ClusterCentroids {
    pub fn validate(&self) -> Result<()> {
        if self.max_iter == 0 {
            return Err(EngineError::config(
                "max_iter",
                "must be at least 1 (k-means iterations per class)",
            ));
        }
        Ok(())
    }

    pub fn fit(&self, data: &Dataset, rng: &Rng) -> Result<ClusterCentroidsFit> {
        self.validate()?;
        let plan = self
            .sampling_strategy
            .resolve(&data.class_counts(), SamplerFamily::Under)?;
        let d = data.n_features;
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut origin = Vec::new();
        let mut clusters = Vec::new();
        let mut iterations = Vec::new();
        for class in 0..data.n_classes {
            let rows = class_rows(data, class);
            let Some(keep) = plan.targets[class] else {
                for &i in &rows {
                    x.extend_from_slice(data.row(i));
                    y.push(class);
                    origin.push(Origin::Original { index: i });
                }
                continue;
            };
            if keep == 0 {
                return Err(EngineError::config(
                    "sampling_strategy",
                    format!("class {class} would keep 0 rows; cluster centroids needs at least one cluster per targeted class"),
                ));
            }
            let class_x = gather(data, &rows);
            let mut r = rng.fork("cluster_centroids", class as u64);
            let km = kmeans(&class_x, d, keep, self.max_iter, &mut r);
            iterations.push((class, km.iterations, km.converged));
            let nearest = kneighbors(&class_x, &km.centers, d, 1);
            for c in 0..keep {
                let centroid = km.centers[c * d..(c + 1) * d].to_vec();
                let members: Vec<usize> = (0..rows.len())
                    .filter(|&p| km.labels[p] == c)
                    .map(|p| rows[p])
                    .collect();
                let nearest_row = rows[nearest[c]];
                match self.voting {
                    Voting::Soft => {
                        x.extend_from_slice(&centroid);
                        origin.push(Origin::Centroid {
                            cluster: clusters.len(),
                        });
                    }
                    Voting::Hard => {
                        x.extend_from_slice(data.row(nearest_row));
                        origin.push(Origin::Original { index: nearest_row });
                    }
                }
                y.push(class);
                clusters.push(Cluster {
                    class,
                    centroid,
                    members,
                    nearest_row,
                });
            }
        }
        let out = Dataset::new(x, y, d, data.n_classes);
        Ok(ClusterCentroidsFit {
            resampled: Resampled::from_parts(out, origin),
            clusters,
            iterations,
        })
    }

    pub fn fit_resample(&self, data: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        Ok(self.fit(data, rng)?.resampled)
    }
}
