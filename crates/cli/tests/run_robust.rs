//! `imlab run` with adversarial training and robust evaluation: a link carrying the `adversarial.*`
//! and `robust_eval.*` keys reproduces the config file's run, the robust metrics are reported under
//! `final.robust` and agree with each other, and bad adversarial keys are refused by name.

mod common;

use std::collections::BTreeMap;

use common::{fails, ok, scratch};
use imlab_engine::adversarial::{AdversarialTraining, AttackMethod, AttackSpec, Norm};
use imlab_engine::link;
use imlab_engine::loss::ClassWeights;
use imlab_engine::ExperimentConfig;

fn robust_config() -> ExperimentConfig {
    let mut c = ExperimentConfig {
        epochs: 2,
        adversarial: Some(AdversarialTraining {
            attack: AttackSpec {
                method: AttackMethod::Pgd {
                    steps: 3,
                    step_size: None,
                    random_start: true,
                },
                norm: Norm::Linf,
                epsilon: 0.2,
            },
            adversarial_weight: 0.5,
            class_weights: Some(ClassWeights::InverseFrequency),
        }),
        robust_eval: Some(AttackSpec {
            method: AttackMethod::Pgd {
                steps: 5,
                step_size: None,
                random_start: true,
            },
            norm: Norm::L2,
            epsilon: 0.3,
        }),
        ..ExperimentConfig::default()
    };
    c.model.hidden = vec![8];
    c
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn adversarial_link_reproduces_the_config_and_reports_robust_metrics() {
    let dir = scratch("run_robust");
    let config = robust_config();
    config.validate().expect("the test config is valid");
    std::fs::write(dir.join("c.json"), config.to_json()).unwrap();
    let fragment = link::to_fragment(&config, &BTreeMap::new());
    for key in [
        "adversarial.attack.epsilon=0.2",
        "adversarial.adversarial_weight=0.5",
        "adversarial.class_weights.scheme=inverse_frequency",
        "robust_eval.norm=l2",
        "robust_eval.epsilon=0.3",
    ] {
        assert!(fragment.contains(key), "{key} in {fragment}");
    }
    let by_config = ok(&dir, &["run", "--config", "c.json"]);
    let by_link = ok(&dir, &["run", "--link", &format!("https://x/#{fragment}")]);
    assert_eq!(by_link.stdout, by_config.stdout);

    let v: serde_json::Value = serde_json::from_str(&by_link.stdout).unwrap();
    assert_eq!(v["config"]["adversarial"]["attack"]["method"]["steps"], 3);
    let r = &v["final"]["robust"];
    assert_eq!(r["attack"]["norm"], "l2");
    assert_eq!(r["attack"]["epsilon"], 0.3);
    // Clean recalls are the run's own per-class recalls: the robust evaluation scores the same model
    // with the same decision rule.
    let per_class = v["final"]["per_class"].as_array().unwrap();
    let clean: Vec<f64> = r["clean_recall"]
        .as_array()
        .unwrap()
        .iter()
        .map(f)
        .collect();
    let robust: Vec<f64> = r["robust_recall"]
        .as_array()
        .unwrap()
        .iter()
        .map(f)
        .collect();
    assert_eq!(clean.len(), 2);
    for (c, pc) in per_class.iter().enumerate() {
        assert_eq!(clean[c], f(&pc["recall"]), "class {c}");
        // (Not a law: PGD's last iterate could flip a wrong row right; on this run it does not.)
        assert!(robust[c] <= clean[c] + 1e-12, "{r}");
        let row = &r["per_class"][c];
        assert_eq!(row["class"], c);
        assert_eq!(f(&row["clean_accuracy"]), clean[c]);
        assert_eq!(f(&row["robust_accuracy"]), robust[c]);
        assert_eq!(row["train_count"], v["final"]["train_counts"][c]);
    }
    assert_eq!(f(&r["clean_accuracy"]), f(&v["final"]["accuracy"]));
    assert_eq!(
        f(&r["clean_balanced_accuracy"]),
        f(&v["final"]["balanced_accuracy"])
    );
    // The disparity measures are those of the reported recalls.
    for (d, rec) in [
        (&r["clean_disparity"], &clean),
        (&r["robust_disparity"], &robust),
    ] {
        let (lo, hi) = (rec[0].min(rec[1]), rec[0].max(rec[1]));
        assert!((f(&d["gap"]) - (hi - lo)).abs() < 1e-15, "{d}");
        assert_eq!(f(&d["worst_accuracy"]), lo);
        assert!((f(&d["std_dev"]) - (hi - lo) / 2.0).abs() < 1e-15, "{d}");
        if hi > 0.0 {
            assert!((f(&d["ratio"]) - lo / hi).abs() < 1e-15, "{d}");
        }
        let worst = d["worst_class"].as_u64().unwrap() as usize;
        assert_eq!(rec[worst], lo);
    }
    let mean = (robust[0] + robust[1]) / 2.0;
    assert!((f(&r["robust_balanced_accuracy"]) - mean).abs() < 1e-15);

    // Adversarial training changed the model: the same link without it is another run.
    let mut clean_cfg = config.clone();
    clean_cfg.adversarial = None;
    let clean_link = link::to_fragment(&clean_cfg, &BTreeMap::new());
    assert!(!clean_link.contains("adversarial."), "{clean_link}");
    let clean_run = ok(&dir, &["run", "--link", &clean_link]);
    assert_ne!(clean_run.stdout, by_link.stdout);
    // Without `robust_eval` nothing robust is printed.
    let plain = ok(&dir, &["run", "--epochs", "1"]);
    let p: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert!(p["final"].get("robust").is_none());
    assert!(!plain.stdout.contains("robust"));
}

/// Keys typed by hand (a section left out of the default config's JSON still takes keys), and
/// bad values refused with the key to fix.
#[test]
fn hand_typed_adversarial_keys_and_bad_values() {
    let dir = scratch("run_robust_typed");
    let typed = "#v=2&epochs=1&model.hidden=[8]&adversarial.attack.method.kind=fgsm\
                 &adversarial.attack.epsilon=0.25&robust_eval.method.kind=pgd\
                 &robust_eval.method.steps=4&robust_eval.epsilon=0.25";
    let out = ok(&dir, &["run", "--link", typed]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let adv = &v["config"]["adversarial"];
    assert_eq!(adv["attack"]["method"]["kind"], "fgsm");
    assert_eq!(adv["attack"]["epsilon"], 0.25);
    assert_eq!(adv["adversarial_weight"], 1.0);
    assert!(adv.get("class_weights").is_none(), "{adv}");
    assert_eq!(v["final"]["robust"]["attack"]["method"]["steps"], 4);

    fails(
        &dir,
        &["run", "--link", "#v=2&robust_eval.epsilon=0"],
        &["robust_eval.epsilon", "would not reproduce"],
    );
    fails(
        &dir,
        &["run", "--link", "#v=2&adversarial.adversarial_weight=1.5"],
        &["adversarial.adversarial_weight"],
    );
    fails(
        &dir,
        &["run", "--link", "#v=2&adversarial.attack.method.steps=0"],
        &["adversarial.attack.method.steps"],
    );
    fails(
        &dir,
        &["run", "--link", "#v=2&adversarial.atack.epsilon=0.1"],
        &["adversarial.atack.epsilon"],
    );
    fails(
        &dir,
        &[
            "run",
            "--link",
            "#v=2&loss.kind=dice&adversarial.class_weights.scheme=inverse_frequency",
        ],
        &["adversarial.class_weights"],
    );
}
