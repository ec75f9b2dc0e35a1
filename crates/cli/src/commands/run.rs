//! `imlab run`: trains an experiment headlessly and prints final metrics and history as JSON.

use imlab_engine::adversarial::RobustEvaluation;
use imlab_engine::dataset::{DataOrigin, DataSource, MemorySource};
use imlab_engine::experiment::TaskKind;
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
    if config.task == TaskKind::Multilabel {
        if !args.all("data").is_empty() {
            return Err(
                "a multi-label experiment reads its data from `multilabel.data` (the generator); --data is not used, leave it out"
                    .into(),
            );
        }
        return super::run_multilabel::run(config);
    }
    let files = data_files(&args, &config.dataset.source)?;
    let mut exp = Experiment::new_with(config.clone(), &files).map_err(|e| e.to_string())?;
    exp.train_to_end().map_err(|e| e.to_string())?;
    let snap = exp.snapshot();
    let mut out = serde_json::json!({
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
    // Robust evaluation (`robust_eval` set): clean and robust per-class accuracy and their
    // disparity measures, an addition to `final` (absent otherwise, so other runs print as before).
    // Pseudo-labels (second stage `pseudo_labels`): the pool, the accepted rows and each class's
    // pseudo-label precision and recall against the withheld labels.
    if let Some(report) = &snap.pseudo_labels {
        out["final"]["pseudo_labels"] = serde_json::to_value(report).expect("report serializes");
    }
    if let Some(robust) = &snap.robust {
        out["final"]["robust"] = robust_json(robust, &snap.train_counts);
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// The robust evaluation as the engine reports it (attack, per-class recalls, accuracies, the
/// disparity measures of clean and robust recalls), plus a per-class table pairing the two recalls
/// with the class's training count, so a reader sees which classes lose most under the attack.
fn robust_json(r: &RobustEvaluation, train_counts: &[usize]) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    let per_class: Vec<serde_json::Value> = (r.clean_recall.iter().zip(&r.robust_recall))
        .enumerate()
        .map(|(c, (clean, robust))| {
            serde_json::json!({
                "class": c,
                "train_count": train_counts.get(c),
                "clean_accuracy": clean,
                "robust_accuracy": robust,
            })
        })
        .collect();
    v["per_class"] = serde_json::Value::Array(per_class);
    v
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
