//! `imlab run` with `task = multilabel`: a link reproduces the config file's run, and the JSON has
//! `config`, `final` (the multi-label snapshot) and `history`.

mod common;

use std::collections::BTreeMap;

use common::{fails, ok, scratch};
use imlab_engine::experiment::TaskKind;
use imlab_engine::link;
use imlab_engine::multilabel::loss::MultilabelLossSpec;
use imlab_engine::multilabel::resample::{MlRos, MultilabelSamplerSpec};
use imlab_engine::multilabel::{DecisionRule, MultilabelDataSpec, MultilabelSetup};
use imlab_engine::ExperimentConfig;

fn multilabel_config() -> ExperimentConfig {
    let mut setup = MultilabelSetup {
        loss: MultilabelLossSpec::asymmetric_default(),
        sampler: MultilabelSamplerSpec::MlRos(MlRos { percentage: 20.0 }),
        decision: DecisionRule::PerLabelThresholds {
            thresholds: vec![0.5, 0.5, 0.4, 0.3],
        },
        ..Default::default()
    };
    let MultilabelDataSpec::Generator(g) = &mut setup.data;
    g.n_samples = 500;
    g.n_labels = 4;
    g.unknown_fraction = 0.1;
    ExperimentConfig {
        seed: 5,
        epochs: 3,
        task: TaskKind::Multilabel,
        multilabel: Some(setup),
        ..ExperimentConfig::default()
    }
}

#[test]
fn a_multilabel_link_reproduces_the_config_run() {
    let dir = scratch("run_multilabel");
    let config = multilabel_config();
    config.validate().expect("the test config is valid");
    std::fs::write(dir.join("ml.json"), config.to_json()).unwrap();
    let fragment = link::to_fragment(&config, &BTreeMap::new());
    assert!(fragment.contains("task=multilabel"), "{fragment}");
    let url = format!("https://example.org/imbalance-lab/#{fragment}");

    let by_config = ok(&dir, &["run", "--config", "ml.json"]);
    let by_link = ok(&dir, &["run", "--link", &url]);
    assert_eq!(by_link.stdout, by_config.stdout);
    let v: serde_json::Value = serde_json::from_str(&by_link.stdout).unwrap();
    assert_eq!(v["config"]["task"], "multilabel");
    assert_eq!(v["config"]["multilabel"]["loss"]["kind"], "asymmetric");
    let last = &v["final"];
    assert_eq!(last["epoch"], 3);
    assert_eq!(last["test_rows"], 150);
    assert_eq!(last["train_rows"], 350);
    assert!(last["added_rows"].as_u64().unwrap() > 0);
    assert_eq!(last["decision"]["kind"], "per_label_thresholds");
    assert_eq!(last["metrics"]["per_label"].as_array().unwrap().len(), 4);
    for key in ["hamming_loss", "subset_accuracy"] {
        assert!(last["metrics"][key]["defined"].is_number(), "{key}: {last}");
    }
    assert!(last["metrics"]["f1"]["macro"].is_object());
    assert!(last["ranking"]["label_ranking_average_precision"].is_number());
    assert!(last["train_measures"]["mean_ir"].as_f64().unwrap() > 1.0);
    assert!(last.get("history").is_none());
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    for key in [
        "train_loss",
        "test_loss",
        "macro_f1",
        "micro_f1",
        "hamming_loss",
        "subset_accuracy",
    ] {
        assert!(history[2][key].is_number(), "{key}: {}", history[2]);
    }

    // --epochs overrides on both paths alike.
    let one = ok(&dir, &["run", "--link", &fragment, "--epochs", "1"]);
    let one_cfg = ok(&dir, &["run", "--config", "ml.json", "--epochs", "1"]);
    assert_eq!(one.stdout, one_cfg.stdout);
    assert_ne!(one.stdout, by_link.stdout);
}

#[test]
fn multilabel_runs_refuse_what_they_cannot_use() {
    let dir = scratch("run_multilabel_bad");
    fails(
        &dir,
        &["run", "--link", "#v=2&task=multilabel&sampler.kind=smote"],
        &["sampler", "multilabel.sampler"],
    );
    fails(
        &dir,
        &[
            "run",
            "--link",
            "#v=2&task=multilabel&multilabel.decision.kind=top_k&multilabel.decision.k=9",
        ],
        &["multilabel.decision.k"],
    );
    std::fs::write(dir.join("x.csv"), "a,label\n1,0\n").unwrap();
    fails(
        &dir,
        &["run", "--link", "#v=2&task=multilabel", "--data", "x.csv"],
        &["--data"],
    );
}
