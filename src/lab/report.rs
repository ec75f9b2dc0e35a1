//! What `window.imlab.snapshot()` returns: the latest snapshot with the config that produced it,
//! as one JSON document that tests and scripts can read without scraping the page.

use imlab_engine::dataset::EditReport;
use imlab_engine::{ExperimentConfig, Snapshot};
use serde::Serialize;

#[derive(Serialize)]
pub struct Report<'a> {
    pub config: &'a ExperimentConfig,
    /// The backend that trained it ("CPU" or the WebGPU adapter's label).
    pub backend: &'a str,
    /// Per-epoch mean training loss, oldest first (also in `history`).
    pub losses: Vec<f64>,
    /// What the dataset's point edits did: `{removed, unmatched, added}` training rows.
    pub edits: EditReport,
    /// Features the model trains on (after an upload's feature-column choice).
    pub n_features: usize,
    #[serde(flatten)]
    pub snapshot: &'a Snapshot,
}

impl<'a> Report<'a> {
    pub fn new(
        config: &'a ExperimentConfig,
        snapshot: &'a Snapshot,
        backend: &'a str,
        n_features: usize,
    ) -> Self {
        Report {
            config,
            backend,
            n_features,
            losses: snapshot.history.iter().map(|h| h.train_loss).collect(),
            edits: EditReport::default(),
            snapshot,
        }
    }

    pub fn to_json(&self) -> String {
        // Every field is plain data; NaN is the only thing serde_json refuses, and the snapshot's
        // losses are finite by the engine's divergence check. Fall back to an error document.
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::json!({ "error": format!("snapshot could not be serialized: {e}") })
                .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::lab::Lab;

    #[test]
    fn report_has_config_step_losses_and_matrix() {
        let mut lab = Lab::new(imlab_engine::ExperimentConfig::default()).unwrap();
        let steps = lab.experiment().steps_per_epoch() * 2;
        lab.experiment_mut().train_steps(steps).unwrap();
        lab.refresh_cpu();
        let v: serde_json::Value = serde_json::from_str(&lab.report("CPU").to_json()).unwrap();
        assert_eq!(v["step"], steps);
        assert_eq!(v["backend"], "CPU");
        assert_eq!(v["n_features"], 2);
        assert_eq!(v["config"]["seed"], 42);
        assert_eq!(v["losses"].as_array().unwrap().len(), 2);
        assert_eq!(v["confusion"]["n_classes"], 2);
        let cells: u64 = v["confusion"]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum();
        let tests: u64 = v["test_counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum();
        assert_eq!(cells, tests);
        assert_eq!(v["per_class"].as_array().unwrap().len(), 2);
    }
}
