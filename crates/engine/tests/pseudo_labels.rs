//! Pseudo-labels (issue 14): the unlabeled pool withheld from the training split, stage 1 on the
//! labeled rows only, confident pool rows joining with their pseudo-labels, the whole network trained
//! in stage 2, the per-class report against the withheld labels, and determinism.

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::experiment::{SecondStage, SecondStageMethod};
use imlab_engine::{Experiment, ExperimentConfig};

fn config(method: Option<SecondStageMethod>) -> ExperimentConfig {
    let mut cfg = ExperimentConfig {
        epochs: 10,
        batch_size: 32,
        dataset: DatasetSpec {
            generator: Generator::Blobs,
            counts: ClassCounts::Explicit {
                counts: vec![400, 80, 30],
            },
            noise: 1.0,
            ..DatasetSpec::default()
        },
        ..Default::default()
    };
    cfg.model.hidden = vec![16];
    cfg.schedule.second_stage = method.map(|method| SecondStage {
        method,
        epochs: 5,
        lr_factor: None,
        ..Default::default()
    });
    cfg
}

#[test]
fn the_pool_is_withheld_and_pseudo_labels_join_stage_two() {
    let cfg = config(Some(SecondStageMethod::PseudoLabels));
    let plain = Experiment::new(config(None)).unwrap();
    let mut e = Experiment::new(cfg.clone()).unwrap();
    // Half of each class's training rows are the pool; the test split is untouched.
    let full = plain.train.class_counts();
    let labeled = e.train.class_counts();
    let pool = e.pool.class_counts();
    for c in 0..3 {
        assert_eq!(labeled[c] + pool[c], full[c], "class {c}");
        assert_eq!(pool[c], (full[c] as f64 * 0.5).round() as usize);
    }
    assert_eq!(e.test.class_counts(), plain.test.class_counts());

    let boundary = e.stage_boundary().unwrap();
    e.train_steps(boundary).unwrap();
    assert!(
        e.pseudo_labels().is_none(),
        "nothing labelled before stage 2"
    );
    let rows_before = e.train_y().len();
    let before = e.state().params;
    e.train_step().unwrap();
    let after = e.state().params;
    let out = e.model().output_layer_range();
    assert_ne!(
        before[..out.start],
        after[..out.start],
        "the whole network trains in stage 2"
    );
    let report = e.pseudo_labels().unwrap().clone();
    assert_eq!(report.pool_size, e.pool.len());
    assert_eq!(e.train_y().len(), rows_before + report.accepted);
    assert!(report.accepted > 0 && report.accepted <= report.pool_size);
    let assigned: usize = report.per_class.iter().map(|c| c.assigned).sum();
    assert_eq!(assigned, report.accepted);
    for (c, r) in report.per_class.iter().enumerate() {
        assert_eq!(r.in_pool, pool[c]);
        assert!(r.correct <= r.assigned && r.correct <= r.in_pool);
    }
    e.train_to_end().unwrap();
    let snap = e.snapshot();
    assert_eq!(snap.epoch, 15);
    assert_eq!(
        snap.pseudo_labels.as_ref(),
        Some(&report),
        "the snapshot carries the report"
    );
    // Reproducible.
    let mut again = Experiment::new(cfg).unwrap();
    again.train_to_end().unwrap();
    assert_eq!(again.snapshot().history, snap.history);
    assert_eq!(again.snapshot().pseudo_labels, snap.pseudo_labels);
}

/// Under imbalance the base classifier's pseudo-labels favour the head: the majority class's
/// pseudo-labels are the most precise and the rarest class gets back a smaller share of its pool
/// rows than the majority (Yang & Xu 2020, §3.1), summed over seeds.
#[test]
fn pseudo_labels_inherit_the_head_bias() {
    let (mut head_recall, mut tail_recall) = (0.0, 0.0);
    for seed in 0..4u64 {
        let mut cfg = config(Some(SecondStageMethod::PseudoLabels));
        cfg.seed = seed;
        let mut e = Experiment::new(cfg).unwrap();
        e.train_steps(e.stage_boundary().unwrap() + 1).unwrap();
        let r = e.pseudo_labels().unwrap();
        head_recall += r.per_class[0].recall.unwrap_or(0.0) / 4.0;
        tail_recall += r.per_class[2].recall.unwrap_or(0.0) / 4.0;
    }
    eprintln!(
        "share of the pool given back its class: head {head_recall:.3}, tail {tail_recall:.3}"
    );
    assert!(
        head_recall > tail_recall,
        "head {head_recall:.3} vs tail {tail_recall:.3}"
    );
}

#[test]
fn pseudo_label_keys_are_validated_and_round_trip() {
    let mut cfg = config(Some(SecondStageMethod::PseudoLabels));
    let s = cfg.schedule.second_stage.as_mut().unwrap();
    s.unlabeled_fraction = Some(0.3);
    s.confidence = Some(0.8);
    let link = imlab_engine::link::to_fragment(&cfg, &Default::default());
    assert!(
        link.contains("pseudo_labels") && link.contains("unlabeled_fraction=0.3"),
        "{link}"
    );
    let parsed = imlab_engine::link::parse_fragment(&link, &ExperimentConfig::default());
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.config, cfg);

    for (f, c) in [
        (Some(0.0), None),
        (Some(0.95), None),
        (None, Some(1.0)),
        (None, Some(f64::NAN)),
    ] {
        let mut cfg = config(Some(SecondStageMethod::PseudoLabels));
        let s = cfg.schedule.second_stage.as_mut().unwrap();
        s.unlabeled_fraction = f;
        s.confidence = c;
        assert!(cfg.validate().is_err(), "{f:?} {c:?}");
    }
    let mut cfg = config(Some(SecondStageMethod::ClassifierRetraining));
    cfg.schedule.second_stage.as_mut().unwrap().confidence = Some(0.9);
    let e = cfg.validate().unwrap_err().to_string();
    assert!(
        e.contains("second_stage.confidence") && e.contains("pseudo_labels"),
        "{e}"
    );
}
