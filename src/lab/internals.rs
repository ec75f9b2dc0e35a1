//! What the sampler did to the training split, for drawing on the plane: Borderline-SMOTE's
//! danger / safe / noise rows, SVM-SMOTE's support vectors, ADASYN's per-row weights, KMeans-SMOTE's
//! clusters, and the rows a cleaning or under-sampling method removed (derived from the resampled
//! rows' origins: a training row no resampled row comes from was removed). Indices are rows of the
//! training split, like the engine's `resample::Diagnostics`.

use imlab_engine::resample::{Origin, PointRole, Resampled};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SamplerInternals {
    pub roles: Vec<(usize, PointRole)>,
    /// ADASYN: `(row, r̂)`, its share of the synthetic rows (sums to 1).
    pub weights: Vec<(usize, f64)>,
    pub support_vectors: Vec<usize>,
    /// KMeans-SMOTE: the cluster of every training row, and whether SMOTE ran in it.
    pub cluster_of: Vec<usize>,
    pub kept_clusters: Vec<usize>,
    /// Training rows absent from the resampled set.
    pub removed: Vec<usize>,
    pub notes: Vec<String>,
}

impl SamplerInternals {
    pub fn new(resampled: &Resampled, n_train: usize) -> Self {
        let d = &resampled.diagnostics;
        let mut used = vec![false; n_train];
        let mut any_original = false;
        for o in &resampled.origin {
            let i = match *o {
                Origin::Original { index }
                | Origin::Duplicate { index }
                | Origin::Smoothed { index } => index,
                Origin::Synthetic { base, .. } => base,
                Origin::Centroid { .. } => continue,
            };
            any_original = true;
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        }
        // Prototype generation (cluster centroids) replaces a class wholesale: its rows are
        // "removed" too, which is what it does.
        let removed = if any_original || !resampled.origin.is_empty() {
            (0..n_train).filter(|&i| !used[i]).collect()
        } else {
            Vec::new()
        };
        let mut kept_clusters: Vec<usize> = d
            .clusters
            .iter()
            .filter(|c| c.kept)
            .map(|c| c.cluster)
            .collect();
        kept_clusters.dedup();
        SamplerInternals {
            roles: d.roles.iter().map(|r| (r.index, r.role)).collect(),
            weights: d.weights.iter().map(|w| (w.index, w.share)).collect(),
            support_vectors: d.support_vectors.clone(),
            cluster_of: d.cluster_of.clone(),
            kept_clusters,
            removed,
            notes: d.notes.clone(),
        }
    }

    /// What the overlay shows, in words, for the legend.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.roles.is_empty() {
            let count = |r: PointRole| self.roles.iter().filter(|(_, x)| *x == r).count();
            out.push(format!(
                "danger {} · safe {} · noise {} (rows of the targeted class)",
                count(PointRole::Danger),
                count(PointRole::Safe),
                count(PointRole::Noise)
            ));
        }
        if !self.support_vectors.is_empty() {
            out.push(format!("{} support vectors", self.support_vectors.len()));
        }
        if !self.weights.is_empty() {
            out.push("ADASYN: halo size = share of synthetic rows made from the row".into());
        }
        if !self.cluster_of.is_empty() {
            out.push(format!(
                "k-means: {} clusters used for SMOTE (outlined)",
                self.kept_clusters.len()
            ));
        }
        if !self.removed.is_empty() {
            out.push(format!(
                "{} training rows removed (crossed)",
                self.removed.len()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::{Experiment, ExperimentConfig};

    fn internals(sampler: &str) -> (SamplerInternals, Experiment) {
        let cfg = ExperimentConfig {
            sampler: serde_json::from_str(sampler).unwrap(),
            ..Default::default()
        };
        let e = Experiment::new(cfg).unwrap();
        (SamplerInternals::new(&e.resampled, e.train.len()), e)
    }

    #[test]
    fn no_sampler_no_internals() {
        let (i, _) = internals(r#"{"kind":"none"}"#);
        assert!(i.summary().is_empty(), "{i:?}");
    }

    #[test]
    fn borderline_roles_and_removed_rows_are_read() {
        let (i, e) = internals(r#"{"kind":"borderline1"}"#);
        assert!(!i.roles.is_empty());
        assert!(i.roles.iter().all(|(r, _)| e.train.y[*r] == 1));
        assert!(i.summary()[0].starts_with("danger"));
        let (t, e) = internals(r#"{"kind":"tomek_links"}"#);
        assert!(!t.removed.is_empty());
        assert_eq!(e.resampled.data.len() + t.removed.len(), e.train.len());
        let (a, _) = internals(r#"{"kind":"adasyn"}"#);
        let total: f64 = a.weights.iter().map(|w| w.1).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
}
