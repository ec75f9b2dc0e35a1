//! `imlab run --link` reproduces `imlab run --config` for a link made by the engine's
//! `link::to_fragment`, and refuses a link with problems.

mod common;

use std::collections::BTreeMap;

use common::{fails, ok, scratch};
use imlab_engine::dataset::{ClassCounts, Generator};
use imlab_engine::link;
use imlab_engine::model::Activation;
use imlab_engine::optim::OptimizerSpec;
use imlab_engine::ExperimentConfig;

/// A config that differs from the default in every group a link carries.
fn changed_config() -> ExperimentConfig {
    let mut c = ExperimentConfig {
        seed: 9,
        test_fraction: 0.25,
        batch_size: 16,
        epochs: 3,
        threshold: Some(0.4),
        optimizer: OptimizerSpec::Sgd {
            lr: 0.05,
            momentum: 0.9,
            nesterov: false,
            weight_decay: 1e-4,
        },
        ..ExperimentConfig::default()
    };
    c.model.hidden = vec![8, 4];
    c.model.activation = Activation::Tanh;
    c.dataset.generator = Generator::Circles;
    c.dataset.noise = 0.1;
    c.dataset.counts = ClassCounts::Ratio {
        majority: 300,
        ratio: 0.2,
        classes: 2,
    };
    c
}

#[test]
fn link_and_config_give_the_same_run() {
    let dir = scratch("run_link");
    let config = changed_config();
    config.validate().expect("the test config is valid");
    std::fs::write(dir.join("c.json"), config.to_json()).unwrap();
    let fragment = link::to_fragment(&config, &BTreeMap::new());
    assert!(
        fragment.contains("seed=9") && fragment.contains("optimizer.kind=sgd"),
        "{fragment}"
    );
    let url = format!("https://example.org/imbalance-lab/#{fragment}");

    let by_config = ok(&dir, &["run", "--config", "c.json"]);
    let by_link = ok(&dir, &["run", "--link", &url]);
    assert_eq!(by_link.stdout, by_config.stdout);
    let v: serde_json::Value = serde_json::from_str(&by_link.stdout).unwrap();
    assert_eq!(v["final"]["epoch"], 3);
    assert_eq!(v["config"]["seed"], 9);
    // The run really used the changed settings: circles with 300 + 60 rows, a quarter held out.
    let counts: Vec<u64> = v["final"]["test_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(counts, vec![75, 15]);

    // A bare fragment works too, and so does a different epoch count on both paths.
    let bare = ok(&dir, &["run", "--link", &fragment, "--epochs", "1"]);
    let cfg1 = ok(&dir, &["run", "--config", "c.json", "--epochs", "1"]);
    assert_eq!(bare.stdout, cfg1.stdout);
    assert_ne!(bare.stdout, by_link.stdout);
}

#[test]
fn a_link_with_problems_is_refused() {
    let dir = scratch("run_link_bad");
    fails(
        &dir,
        &["run", "--link", "https://x/#v=1&seed=3&optimizer.lr=banana"],
        &["optimizer.lr", "would not reproduce"],
    );
    fails(
        &dir,
        &["run", "--link", "#v=1&no_such_key=1"],
        &["no_such_key"],
    );
    fails(
        &dir,
        &["run", "--link", "#v=1", "--config", "c.json"],
        &["not both"],
    );
}

/// A CSV file with four numeric features and a label, separable on `a` alone.
fn four_feature_csv() -> String {
    let mut text = String::from("a,b,c,d,label\n");
    for i in 0..60 {
        let class = usize::from(i % 4 == 0);
        let a = class as f64 * 2.0 + (i % 7) as f64 * 0.1;
        text.push_str(&format!(
            "{a:.2},{},{:.2},{},{}\n",
            (i * 37) % 11,
            (i % 5) as f64 * 0.3,
            (i * 13) % 17,
            ["ok", "rare"][class]
        ));
    }
    text
}

/// `imlab run --link URL --data FILE`: a link on an uploaded file names it by content hash and may
/// choose its feature columns (`dataset.source.features`); the CLI honours the choice.
#[test]
fn a_link_on_an_uploaded_file_with_chosen_features() {
    use imlab_engine::dataset::{content_hash, ColumnRef, DataOrigin, LabelColumn};
    let dir = scratch("run_link_features");
    let csv = four_feature_csv();
    std::fs::write(dir.join("mine.csv"), &csv).unwrap();
    let mut config = ExperimentConfig {
        epochs: 2,
        ..ExperimentConfig::default()
    };
    let source = |features: Option<Vec<ColumnRef>>| DataOrigin::Uploaded {
        hash: content_hash(csv.as_bytes()),
        label_column: LabelColumn::Last,
        standardize: true,
        subsample: None,
        features,
    };
    config.dataset.source = source(Some(vec![
        ColumnRef::Name("c".into()),
        ColumnRef::Name("a".into()),
    ]));
    std::fs::write(dir.join("c.json"), config.to_json()).unwrap();
    let fragment = link::to_fragment(&config, &BTreeMap::new());
    assert!(
        fragment.contains("dataset.source.features=[c,a]"),
        "{fragment}"
    );
    let url = format!("https://example.org/#{fragment}");

    let by_link = ok(&dir, &["run", "--link", &url, "--data", "mine.csv"]);
    let by_config = ok(&dir, &["run", "--config", "c.json", "--data", "mine.csv"]);
    assert_eq!(by_link.stdout, by_config.stdout);
    let v: serde_json::Value = serde_json::from_str(&by_link.stdout).unwrap();
    assert_eq!(
        v["config"]["dataset"]["source"]["features"],
        serde_json::json!(["c", "a"])
    );

    // Typed by hand without brackets, the same run.
    let typed = url.replace("features=[c,a]", "features=c,a");
    assert_ne!(typed, url);
    let by_hand = ok(&dir, &["run", "--link", &typed, "--data", "mine.csv"]);
    assert_eq!(by_hand.stdout, by_link.stdout);

    // Every feature (no list) is another experiment: other numbers.
    config.dataset.source = source(None);
    let all = link::to_fragment(&config, &BTreeMap::new());
    assert!(!all.contains("features"), "{all}");
    let every = ok(&dir, &["run", "--link", &all, "--data", "mine.csv"]);
    assert_ne!(every.stdout, by_link.stdout);

    // Without the file, or with a column the file lacks, the run is refused with what to fix.
    fails(&dir, &["run", "--link", &url], &["--data", "fnv1a64-"]);
    let missing = url.replace("features=[c,a]", "features=[c,e]");
    fails(
        &dir,
        &["run", "--link", &missing, "--data", "mine.csv"],
        &["\"e\"", "feature"],
    );
    let label = url.replace("features=[c,a]", "features=[c,label]");
    fails(
        &dir,
        &["run", "--link", &label, "--data", "mine.csv"],
        &["label column"],
    );
}
