//! `imlab run`: trains an experiment headlessly and prints final metrics and history as JSON.

use imlab_engine::Experiment;

use crate::args::Args;
use crate::config_source;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(argv, &["config", "link", "epochs"], &[])?;
    let mut config = config_source::load(&args)?;
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
