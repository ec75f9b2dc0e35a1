//! The text of each export: the results as JSON, the per-epoch metrics as CSV, and the test-split
//! predictions as CSV. Plain functions of the experiment (tested natively); the Export panel
//! (`components/export.rs`) hands them to `download`.

use imlab_engine::experiment::EpochRecord;
use imlab_engine::link::to_fragment;
use imlab_engine::{Experiment, ExperimentConfig, Snapshot};
use serde_json::{json, Value};

/// Marks the JSON document so a reader can tell what it is and which layout it has.
pub const RESULTS_FORMAT: &str = "imbalance-lab-results";
pub const RESULTS_VERSION: u32 = 1;

/// Config, final test-split results and per-epoch history in one JSON document. `config` reads
/// back with `ExperimentConfig::from_json`; `link` is the same experiment as a URL fragment.
pub fn results_json(config: &ExperimentConfig, snapshot: &Snapshot, backend: &str) -> String {
    let mut last = serde_json::to_value(snapshot).unwrap_or(Value::Null);
    let history = last
        .as_object_mut()
        .and_then(|m| m.remove("history"))
        .unwrap_or(Value::Array(Vec::new()));
    let doc = json!({
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "config": config,
        "link": format!("#{}", to_fragment(config, &Default::default())),
        "backend": backend,
        "final": last,
        "history": history,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// One row per finished epoch. An undefined score (no test row of a class) is an empty cell.
pub fn metrics_csv(history: &[EpochRecord]) -> String {
    let mut out = String::from("epoch,step,train_loss,test_loss,accuracy,balanced_accuracy\n");
    for h in history {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            h.epoch,
            h.step,
            h.train_loss,
            h.test_loss,
            optional(h.accuracy),
            optional(h.balanced_accuracy)
        ));
    }
    out
}

/// One row per test-split row: its position in the test split, the true class, the class decided
/// (after any post-hoc correction), and the model's probability of each class.
pub fn predictions_csv(exp: &Experiment) -> String {
    let k = exp.test.n_classes;
    let mut out = String::from("row,true_class,predicted_class");
    for c in 0..k {
        out.push_str(&format!(",p_{c}"));
    }
    out.push('\n');
    let probs = exp.test_probabilities();
    for (i, (p, &truth)) in probs.chunks(k.max(1)).zip(&exp.test.y).enumerate() {
        out.push_str(&format!("{i},{truth},{}", exp.decide(p)));
        for v in p {
            out.push_str(&format!(",{v}"));
        }
        out.push('\n');
    }
    out
}

/// The data the experiment uses, one row per point, features as the model sees them (after any
/// standardization): the training set the model trains on (the sampler's output, `set` = `train`),
/// the training rows an under-sampler removed (`removed`) and the test split (`test`). For a
/// training row, `origin` says what it is (`original`, `duplicate`, `smoothed`, `synthetic`,
/// `centroid`), `train_row` the training-split row it is, copies, smooths or starts from, and
/// `neighbor_row` a SMOTE point's neighbour; a test row's `train_row` is empty.
pub fn data_csv(exp: &Experiment) -> String {
    use imlab_engine::resample::Origin;
    let d = exp.test.n_features;
    let mut out = String::from("set,origin,train_row,neighbor_row,label");
    for j in 0..d {
        out.push_str(&format!(",x{j}"));
    }
    out.push('\n');
    let mut row =
        |set: &str, origin: &str, from: Option<usize>, to: Option<usize>, y: usize, x: &[f64]| {
            let cell = |v: Option<usize>| v.map(|i| i.to_string()).unwrap_or_default();
            out.push_str(&format!("{set},{origin},{},{},{y}", cell(from), cell(to)));
            for v in x {
                out.push_str(&format!(",{v}"));
            }
            out.push('\n');
        };
    let resampled = &exp.resampled.data;
    let mut kept = vec![false; exp.train.len()];
    for (i, o) in exp.resampled.origin.iter().enumerate() {
        let (origin, from, to) = match *o {
            Origin::Original { index } => {
                if let Some(k) = kept.get_mut(index) {
                    *k = true;
                }
                ("original", Some(index), None)
            }
            Origin::Duplicate { index } => ("duplicate", Some(index), None),
            Origin::Smoothed { index } => ("smoothed", Some(index), None),
            Origin::Synthetic { base, neighbor } => ("synthetic", Some(base), Some(neighbor)),
            Origin::Centroid { .. } => ("centroid", None, None),
        };
        row(
            "train",
            origin,
            from,
            to,
            resampled.y[i],
            &resampled.x[i * d..(i + 1) * d],
        );
    }
    for (i, _) in kept.iter().enumerate().filter(|(_, k)| !**k) {
        row(
            "removed",
            "original",
            Some(i),
            None,
            exp.train.y[i],
            &exp.train.x[i * d..(i + 1) * d],
        );
    }
    for (i, &y) in exp.test.y.iter().enumerate() {
        row(
            "test",
            "original",
            None,
            None,
            y,
            &exp.test.x[i * d..(i + 1) * d],
        );
    }
    out
}

fn optional(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Lab;

    fn trained(epochs: u64) -> Lab {
        let mut lab = Lab::new(ExperimentConfig::default()).unwrap();
        let steps = lab.experiment().steps_per_epoch() * epochs;
        lab.experiment_mut().train_steps(steps).unwrap();
        lab.refresh_cpu();
        lab
    }

    #[test]
    fn results_json_round_trips_the_config_and_has_every_epoch() {
        let lab = trained(3);
        let text = results_json(lab.config(), lab.snapshot(), "CPU");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], RESULTS_FORMAT);
        let config = ExperimentConfig::from_json(&v["config"].to_string()).unwrap();
        assert_eq!(&config, lab.config());
        assert_eq!(v["history"].as_array().unwrap().len(), 3);
        assert_eq!(v["final"]["step"], lab.snapshot().step);
        assert!(v["final"].get("history").is_none());
        let link = v["link"].as_str().unwrap();
        let back = imlab_engine::link::parse_fragment(link, &ExperimentConfig::default());
        assert_eq!(&back.config, lab.config());
    }

    #[test]
    fn data_csv_has_the_training_set_the_model_sees_the_removed_rows_and_the_test_split() {
        let count = |text: &str, set: &str, origin: &str| {
            text.lines()
                .filter(|l| l.starts_with(&format!("{set},{origin},")))
                .count()
        };
        // SMOTE: every training row kept, the synthetic rows on top, each from a row to a neighbour.
        let smote = ExperimentConfig {
            sampler: imlab_engine::resample::SamplerSpec::Smote(Default::default()),
            ..ExperimentConfig::default()
        };
        let lab = Lab::new(smote).unwrap();
        let exp = lab.experiment();
        let text = data_csv(exp);
        assert!(text.starts_with("set,origin,train_row,neighbor_row,label,x0,x1\n"));
        assert_eq!(count(&text, "train", "original"), exp.train.len());
        let synthetic = exp.resampled.data.len() - exp.train.len();
        assert!(synthetic > 0);
        assert_eq!(count(&text, "train", "synthetic"), synthetic);
        assert_eq!(count(&text, "removed", "original"), 0);
        assert_eq!(count(&text, "test", "original"), exp.test.len());
        let first_synthetic = text
            .lines()
            .find(|l| l.starts_with("train,synthetic,"))
            .unwrap();
        let cells: Vec<&str> = first_synthetic.split(',').collect();
        assert!(cells[2].parse::<usize>().is_ok() && cells[3].parse::<usize>().is_ok());
        // Random under-sampling: the removed rows are listed, and kept + removed = the training split.
        let rus = ExperimentConfig {
            sampler: imlab_engine::resample::SamplerSpec::RandomUnderSampler(Default::default()),
            ..ExperimentConfig::default()
        };
        let lab = Lab::new(rus).unwrap();
        let exp = lab.experiment();
        let text = data_csv(exp);
        let (kept, removed) = (
            count(&text, "train", "original"),
            count(&text, "removed", "original"),
        );
        assert!(removed > 0);
        assert_eq!(kept, exp.resampled.data.len());
        assert_eq!(kept + removed, exp.train.len());
        // The values are the model's inputs, to the last digit.
        let line = text.lines().find(|l| l.starts_with("test,")).unwrap();
        let x0: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
        assert_eq!(x0, exp.test.x[0]);
    }

    #[test]
    fn metrics_csv_has_a_row_per_epoch() {
        let lab = trained(2);
        let text = metrics_csv(&lab.snapshot().history);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("1,"));
        assert_eq!(lines[2].split(',').count(), 6);
    }

    #[test]
    fn predictions_csv_has_a_row_per_test_row_and_matches_the_confusion_matrix() {
        let lab = trained(2);
        let exp = lab.experiment();
        let text = predictions_csv(exp);
        let rows: Vec<Vec<&str>> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect())
            .collect();
        assert_eq!(rows.len(), exp.test.len());
        let k = exp.test.n_classes;
        let mut counts = vec![0u64; k * k];
        for r in &rows {
            assert_eq!(r.len(), 3 + k);
            let t: usize = r[1].parse().unwrap();
            let p: usize = r[2].parse().unwrap();
            counts[t * k + p] += 1;
            let sum: f64 = r[3..].iter().map(|v| v.parse::<f64>().unwrap()).sum();
            assert!((sum - 1.0).abs() < 1e-4);
        }
        let cm = &lab.snapshot().confusion;
        for t in 0..k {
            for p in 0..k {
                assert_eq!(counts[t * k + p], cm.get(t, p), "cell {t},{p}");
            }
        }
    }
}
