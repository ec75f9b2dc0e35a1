//! KMeans-SMOTE (experimental) — Last, Douzas, Bacao, "Oversampling for Imbalanced Learning Based on
//! K-Means and SMOTE", arXiv:1711.00837 (2017); Information Sciences 465 (2018). Reference:
//! imbalanced-learn 0.14.2 `over_sampling/_smote/cluster.py` (`KMeansSMOTE`); methods-spec.md §A.7.
//! imblearn semantics for the threshold ('auto': s_c / Σ s / 2) and the density exponent ('auto':
//! 0.16·log_1.6(n')^1.8, n' = class rows in the cluster), spec §F.5. The clustering differs: the
//! reference uses scikit-learn's MiniBatchKMeans (numpy draws); here Lloyd's k-means from a greedy
//! k-means++ start on the engine's stream ([`super::kmeans`]), so clusters — and therefore whether
//! any cluster passes the threshold — can differ from the reference on the same data. Tested by
//! invariants in `tests/over_samplers.rs` (per-cluster allocation = ceil(s·w), rows stay in their
//! cluster's class rows).

use serde::{Deserialize, Serialize};

use super::kmeans::kmeans;
use super::smote::{check_k, class_neighbors, too_few};
use super::synthesis::{draw_pairs, Growing};
use super::{ClusterInfo, Diagnostics, Resampled, SamplerFamily, SamplingStrategy};
use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::math;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KMeansSmote {
    pub sampling_strategy: SamplingStrategy,
    /// SMOTE's neighbours inside a cluster.
    pub k_neighbors: usize,
    /// k-means clusters over the whole training split.
    pub n_clusters: usize,
    /// Least share of the class in a cluster for SMOTE to run there; `None` = 'auto'.
    pub cluster_balance_threshold: Option<f64>,
    /// Exponent of the mean distance in the sparsity; `None` = 'auto'.
    pub density_exponent: Option<f64>,
    /// Lloyd iterations at most.
    pub max_iter: usize,
}

impl Default for KMeansSmote {
    fn default() -> Self {
        KMeansSmote {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 2,
            n_clusters: 8,
            cluster_balance_threshold: None,
            density_exponent: None,
            max_iter: 100,
        }
    }
}

/// Mean pairwise Euclidean distance (off-diagonal) raised to the density exponent, over n'.
pub fn cluster_sparsity(x: &[f64], d: usize, exponent: Option<f64>) -> f64 {
    let n = x.len() / d;
    let mut total = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let s: f64 = (0..d).map(|f| (x[i * d + f] - x[j * d + f]).powi(2)).sum();
                total += s.sqrt();
            }
        }
    }
    let mean = total / (n * n - n) as f64;
    let e = exponent.unwrap_or_else(|| 0.16 * math::pow(math::ln(n as f64) / math::ln(1.6), 1.8));
    math::pow(mean, e) / n as f64
}

impl KMeansSmote {
    pub fn validate(&self) -> Result<()> {
        check_k("k_neighbors", self.k_neighbors)?;
        check_k("n_clusters", self.n_clusters)?;
        check_k("max_iter", self.max_iter)?;
        if let Some(t) = self.cluster_balance_threshold {
            if !t.is_finite() {
                return Err(EngineError::config(
                    "cluster_balance_threshold",
                    "must be a number",
                ));
            }
        }
        if let Some(e) = self.density_exponent {
            if !e.is_finite() {
                return Err(EngineError::config("density_exponent", "must be a number"));
            }
        }
        Ok(())
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let plan = self
            .sampling_strategy
            .resolve(&train.class_counts(), SamplerFamily::Over)?;
        let d = train.n_features;
        let k = self.k_neighbors;
        let fit = kmeans(
            &train.x,
            d,
            self.n_clusters,
            self.max_iter,
            &mut rng.fork("kmeans", 0),
        );
        let n_clusters = fit.centers.len() / d.max(1);
        let total: usize = (0..plan.current.len()).map(|c| plan.to_generate(c)).sum();
        let mut members = vec![Vec::new(); n_clusters];
        for (i, &l) in fit.labels.iter().enumerate() {
            members[l].push(i);
        }
        let mut out = Growing::from_original(train);
        let mut diag = Diagnostics {
            cluster_of: fit.labels.clone(),
            ..Default::default()
        };
        for class in 0..plan.current.len() {
            let s = plan.to_generate(class);
            if s == 0 {
                continue;
            }
            let threshold = if self.n_clusters == 1 {
                f64::NEG_INFINITY
            } else {
                self.cluster_balance_threshold
                    .unwrap_or(s as f64 / total as f64 / 2.0)
            };
            let mut kept = Vec::new();
            let first_info = diag.clusters.len();
            for (cl, rows) in members.iter().enumerate() {
                if rows.is_empty() {
                    continue;
                }
                let own: Vec<usize> = rows
                    .iter()
                    .copied()
                    .filter(|&i| train.y[i] == class)
                    .collect();
                let share = own.len() as f64 / rows.len() as f64;
                let ok = share >= threshold && share * rows.len() as f64 >= (k + 1) as f64;
                diag.clusters.push(ClusterInfo {
                    class,
                    cluster: cl,
                    size: rows.len(),
                    class_rows: own.len(),
                    kept: ok,
                    weight: 0.0,
                    generated: 0,
                });
                if ok {
                    let xs = super::synthesis::gather(train, &own);
                    kept.push((
                        diag.clusters.len() - 1,
                        own,
                        cluster_sparsity(&xs, d, self.density_exponent),
                    ));
                }
            }
            if kept.is_empty() {
                return Err(EngineError::Data(format!(
                    "KMeans-SMOTE found no cluster with enough samples of class {class} (share ≥ {threshold:.3} and at least k_neighbors+1 = {} rows); lower cluster_balance_threshold, change n_clusters or use SMOTE",
                    k + 1
                )));
            }
            let sum: f64 = kept.iter().map(|k| k.2).sum();
            let equal = !(sum.is_finite() && sum > 0.0);
            if equal {
                diag.notes.push(format!(
                    "class {class}: every kept cluster has zero spread, so they share the new rows equally"
                ));
            }
            let mut made = 0;
            for (info, own, sparsity) in &kept {
                let w = if equal {
                    1.0 / kept.len() as f64
                } else {
                    sparsity / sum
                };
                let count = (s as f64 * w).ceil() as usize;
                if own.len() <= k {
                    return Err(too_few("KMeans-SMOTE", class, own.len(), k, "k_neighbors"));
                }
                let table = class_neighbors(train, own, k);
                let mut r = rng.fork(
                    "kmeans-smote",
                    (class * n_clusters + diag.clusters[*info].cluster) as u64,
                );
                let draws = draw_pairs(own, &table, k, count, 1.0, &mut r);
                out.push_draws(train, class, &draws);
                diag.clusters[*info].weight = w;
                diag.clusters[*info].generated = count;
                made += count;
            }
            debug_assert!(diag.clusters[first_info..].iter().all(|c| c.class == class));
            if made != s {
                diag.notes.push(format!(
                    "class {class}: KMeans-SMOTE rounds each cluster's share up, so it made {made} rows instead of the {s} asked"
                ));
            }
        }
        let (data, origin) = out.into_dataset(train);
        Ok(Resampled {
            data,
            origin,
            diagnostics: diag,
        })
    }
}
