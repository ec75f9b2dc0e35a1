//! `imlab run` for a config with `task = multilabel`: trains a `MultilabelExperiment` on the CPU
//! and prints `config`, `backend`, `final` (the multi-label snapshot: every set-based and ranking
//! metric of the test split under the decision rule, the per-label report, the imbalance measures
//! of the training split before and after the sampler) and the per-epoch `history`.

use imlab_engine::multilabel::MultilabelExperiment;
use imlab_engine::ExperimentConfig;

pub fn run(config: ExperimentConfig) -> Result<(), String> {
    let mut exp = MultilabelExperiment::new(config.clone()).map_err(|e| e.to_string())?;
    exp.train_to_end().map_err(|e| e.to_string())?;
    let snap = exp.snapshot().map_err(|e| e.to_string())?;
    let mut last = serde_json::to_value(&snap).map_err(|e| e.to_string())?;
    let history = last
        .as_object_mut()
        .and_then(|m| m.remove("history"))
        .unwrap_or_default();
    let out = serde_json::json!({
        "config": config,
        "backend": "cpu",
        "final": last,
        "history": history,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}
