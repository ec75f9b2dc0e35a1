//! `imlab run`: trains an experiment headlessly and prints final metrics and history as JSON.

use imlab_engine::dataset::{DataOrigin, DataSource, MemorySource};
use imlab_engine::Experiment;

use crate::args::Args;
use crate::config_source;
use crate::sweep::bundled;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(argv, &["config", "link", "epochs", "data"], &[])?;
    let mut config = config_source::load(&args)?;
    if let Some(epochs) = args.parsed::<usize>("epochs")? {
        config.epochs = epochs;
    }
    let files = data_files(&args, &config.dataset.source)?;
    let mut exp = Experiment::new_with(config.clone(), &files).map_err(|e| e.to_string())?;
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

/// The bundled datasets plus every `--data FILE` (an uploaded CSV file, named by its content hash as
/// in the app). An experiment naming an upload that no `--data` file matches is refused here, with
/// the hash to look for.
fn data_files(args: &Args, source: &DataOrigin) -> Result<MemorySource, String> {
    let mut files = bundled::files();
    for path in args.all("data") {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read --data `{path}`: {e}"))?;
        files.add_upload(bytes);
    }
    if let DataOrigin::Uploaded { hash, .. } = source {
        if files.uploaded_bytes(hash).is_none() {
            return Err(format!(
                "the experiment trains on an uploaded CSV file with content hash {hash}; pass that file with --data FILE{}",
                if args.all("data").is_empty() {
                    String::new()
                } else {
                    " (none of the files given has this hash: it is a different file)".into()
                }
            ));
        }
    }
    Ok(files)
}
