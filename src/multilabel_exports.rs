//! The exports of a multi-label experiment, beside the multi-class ones (`exports.rs`) and with
//! the same layout ideas: the results as JSON (format `imbalance-lab-results`, `task:
//! multilabel`), the per-epoch metrics, the test-split predictions and the data as CSV. Plain
//! functions, tested natively.

use imlab_engine::link::to_fragment;
use imlab_engine::multilabel::{LabelEntry, MultilabelEpochRecord, MultilabelExperiment};
use imlab_engine::resample::Origin;
use imlab_engine::ExperimentConfig;
use serde_json::{json, Value};

use crate::exports::{RESULTS_FORMAT, RESULTS_VERSION};
use crate::lab::{label_name, MultilabelView};

/// Config, link, final snapshot (with the co-occurrence matrices) and history in one document.
pub fn results_json(config: &ExperimentConfig, view: &MultilabelView, backend: &str) -> String {
    let mut last = serde_json::to_value(&view.snapshot).unwrap_or(Value::Null);
    let history = last
        .as_object_mut()
        .and_then(|m| m.remove("history"))
        .unwrap_or(Value::Array(Vec::new()));
    let doc = json!({
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "task": "multilabel",
        "config": config,
        "link": format!("#{}", to_fragment(config, &Default::default())),
        "backend": backend,
        "final": last,
        "cooccurrence_true": view.cooccurrence_true,
        "cooccurrence_predicted": view.cooccurrence_predicted,
        "history": history,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn optional(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// One row per finished epoch; an undefined score is an empty cell.
pub fn metrics_csv(history: &[MultilabelEpochRecord]) -> String {
    let mut out = String::from(
        "epoch,step,train_loss,test_loss,macro_f1,micro_f1,hamming_loss,subset_accuracy,rarest_label_recall\n",
    );
    for h in history {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            h.epoch,
            h.step,
            h.train_loss,
            h.test_loss,
            optional(h.macro_f1),
            optional(h.micro_f1),
            optional(h.hamming_loss),
            optional(h.subset_accuracy),
            optional(h.rarest_label_recall),
        ));
    }
    out
}

/// One row per test row: its position, then per label the true 0/1, the decided 0/1 and the
/// probability (`true_A,pred_A,p_A,…`).
pub fn predictions_csv(exp: &MultilabelExperiment) -> String {
    let l = exp.n_labels();
    let mut out = String::from("row");
    for j in 0..l {
        let n = label_name(j);
        out.push_str(&format!(",true_{n},pred_{n},p_{n}"));
    }
    out.push('\n');
    let probs = exp.test_probabilities();
    let decided = exp.decide(&probs);
    let truth = exp.test_truth();
    for i in 0..truth.n_samples {
        out.push_str(&i.to_string());
        for j in 0..l {
            let k = i * l + j;
            out.push_str(&format!(
                ",{},{},{}",
                u8::from(truth.bits[k]),
                u8::from(decided.bits[k]),
                probs[k]
            ));
        }
        out.push('\n');
    }
    out
}

/// The rows the model trains on (after the sampler; `origin` says original, duplicate or
/// synthetic, with unknown entries as `?`), then the test split (its complete labels).
pub fn data_csv(exp: &MultilabelExperiment) -> String {
    let l = exp.n_labels();
    let res = &exp.resampled.data;
    let d = res.n_features;
    let mut out = String::from("split,origin");
    for f in 0..d {
        out.push_str(&format!(",x{f}"));
    }
    for j in 0..l {
        out.push_str(&format!(",{}", label_name(j)));
    }
    out.push('\n');
    let cell = |e: LabelEntry| match e {
        LabelEntry::Positive => "1",
        LabelEntry::Negative => "0",
        LabelEntry::Unknown => "?",
    };
    for (i, origin) in exp.resampled.origins.iter().enumerate() {
        let o = match origin {
            Origin::Original { .. } => "original",
            Origin::Duplicate { .. } => "duplicate",
            _ => "synthetic",
        };
        out.push_str(&format!("train,{o}"));
        for v in &res.x[i * d..(i + 1) * d] {
            out.push_str(&format!(",{v}"));
        }
        for &e in res.labels.row(i) {
            out.push_str(&format!(",{}", cell(e)));
        }
        out.push('\n');
    }
    let test = &exp.test;
    for i in 0..test.n_samples() {
        out.push_str("test,original");
        for v in &test.x[i * d..(i + 1) * d] {
            out.push_str(&format!(",{v}"));
        }
        for &e in test.labels.row(i) {
            out.push_str(&format!(",{}", cell(e)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{MultilabelLab, StepBudget};
    use imlab_engine::experiment::TaskKind;

    #[test]
    fn every_export_reads_back() {
        let mut c = ExperimentConfig::default().switched_to(TaskKind::Multilabel);
        c.epochs = 2;
        let mut lab = MultilabelLab::new(c).unwrap();
        lab.train_cpu(StepBudget::new(u64::MAX, 1e18), &mut || 0.0)
            .unwrap();
        lab.refresh().unwrap();
        let doc: Value =
            serde_json::from_str(&results_json(lab.config(), lab.view(), "CPU")).unwrap();
        assert_eq!(doc["task"], "multilabel");
        assert_eq!(doc["history"].as_array().unwrap().len(), 2);
        let back = ExperimentConfig::from_json(&doc["config"].to_string()).unwrap();
        assert_eq!(&back, lab.config());
        let metrics = metrics_csv(&lab.view().snapshot.history);
        assert_eq!(metrics.lines().count(), 3);
        let exp = lab.experiment();
        let preds = predictions_csv(exp);
        assert_eq!(preds.lines().count(), 1 + exp.test.n_samples());
        assert_eq!(
            preds.lines().next().unwrap().split(',').count(),
            1 + 3 * exp.n_labels()
        );
        let data = data_csv(exp);
        assert_eq!(
            data.lines().count(),
            1 + exp.resampled.data.n_samples() + exp.test.n_samples()
        );
    }
}
