//! `imlab run`: trains an experiment headlessly and prints final metrics and history as JSON.

use imlab_engine::{link, Experiment, ExperimentConfig};

use crate::args::Args;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(argv, &["config", "link", "epochs"], &[])?;
    let mut config = match (args.get("config"), args.get("link")) {
        (Some(_), Some(_)) => return Err("give --config or --link, not both".into()),
        (Some(path), None) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read config `{path}`: {e}"))?;
            ExperimentConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        (None, Some(url)) => {
            let fragment = url.split_once('#').map_or(url, |(_, f)| f);
            let parsed = link::parse_fragment(fragment, &ExperimentConfig::default());
            if !parsed.issues.is_empty() {
                let list: Vec<String> = parsed.issues.iter().map(|i| i.to_string()).collect();
                return Err(format!(
                    "the link has problems, so it would not reproduce its numbers:\n  {}",
                    list.join("\n  ")
                ));
            }
            parsed.config
        }
        (None, None) => ExperimentConfig::default(),
    };
    if let Some(epochs) = args.parsed::<usize>("epochs")? {
        config.epochs = epochs;
    }
    let mut exp = Experiment::new(config.clone()).map_err(|e| e.to_string())?;
    exp.train_to_end().map_err(|e| e.to_string())?;
    let snap = exp.snapshot();
    let out = serde_json::json!({
        "config": config,
        "backend": "cpu",
        "final": {
            "step": snap.step,
            "epoch": snap.epoch,
            "train_loss": snap.train_loss,
            "test_loss": snap.test_loss,
            "accuracy": snap.accuracy,
            "balanced_accuracy": snap.balanced_accuracy,
            "confusion_matrix": snap.confusion,
            "per_class": snap.per_class,
            "train_counts": snap.train_counts,
            "resampled_counts": snap.resampled_counts,
            "test_counts": snap.test_counts,
        },
        "history": snap.history,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}
