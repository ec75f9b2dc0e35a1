//! The training timetable of `Experiment`: learning-rate schedules, the DRW switch, cRT and two-phase
//! second stages, post-hoc corrections, τ-normalisation, and the contract the GPU driver follows
//! (replaying it through the public API reproduces the CPU run bit for bit).

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::experiment::{
    DeferredReweighting, SecondStage, SecondStageMethod, TrainState, TrainingSchedule,
};
use imlab_engine::loss::{ClassWeights, LossSpec, LOSS_NAMES};
use imlab_engine::model::Head;
use imlab_engine::optim::{LrSchedule, OptimizerSpec};
use imlab_engine::posthoc::PostHoc;
use imlab_engine::{Experiment, ExperimentConfig};

fn small() -> ExperimentConfig {
    ExperimentConfig {
        epochs: 6,
        batch_size: 32,
        model: imlab_engine::model::ModelSpec {
            hidden: vec![8],
            ..Default::default()
        },
        ..Default::default()
    }
}

fn three_class_tail() -> DatasetSpec {
    DatasetSpec {
        generator: Generator::Blobs,
        counts: ClassCounts::Explicit {
            counts: vec![400, 60, 20],
        },
        noise: 0.8,
        ..DatasetSpec::default()
    }
}

#[test]
fn old_configs_without_the_new_fields_still_load() {
    let mut v: serde_json::Value =
        serde_json::from_str(&ExperimentConfig::default().to_json()).unwrap();
    let obj = v.as_object_mut().unwrap();
    for key in ["schedule", "posthoc", "tau_normalization"] {
        obj.remove(key);
    }
    obj["loss"] = serde_json::json!({"kind": "cross_entropy"});
    obj["model"].as_object_mut().unwrap().remove("head");
    let c = ExperimentConfig::from_json(&v.to_string()).unwrap();
    assert_eq!(c, ExperimentConfig::default());
}

#[test]
fn every_loss_trains_a_few_steps() {
    for name in LOSS_NAMES {
        let mut cfg = small();
        cfg.dataset = three_class_tail();
        cfg.loss = LossSpec::from_name(name).unwrap();
        if name == "anyloss" || name == "dice" {
            cfg.batch_size = 64;
        }
        let mut e = Experiment::new(cfg).unwrap_or_else(|err| panic!("{name}: {err}"));
        let first = e.train_step().unwrap();
        e.train_steps(60)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let s = e.snapshot();
        assert!(
            first.is_finite() && s.train_loss.unwrap().is_finite(),
            "{name}"
        );
    }
}

#[test]
fn drw_switches_the_class_weights_at_the_set_epoch() {
    let mut cfg = small();
    cfg.dataset = three_class_tail();
    cfg.loss = LossSpec::Ldam {
        max_margin: 0.5,
        scale: 30.0,
        weights: ClassWeights::Uniform,
        reduction: Default::default(),
    };
    cfg.model.head = Head::Cosine { scale: 1.0 };
    cfg.schedule.drw = Some(DeferredReweighting {
        start_fraction: 0.5,
        weights: ClassWeights::EffectiveNumber { beta: 0.999 },
    });
    let e = Experiment::new(cfg).unwrap();
    let start = 3 * e.steps_per_epoch();
    assert_eq!(e.plan().drw_start, Some(start));
    assert_eq!(
        e.loss_at(start - 1).class_weights().unwrap(),
        &[1.0, 1.0, 1.0]
    );
    let counts = e.resampled.data.class_counts();
    let want = ClassWeights::EffectiveNumber { beta: 0.999 }
        .compute(&counts)
        .unwrap();
    assert_eq!(e.loss_at(start).class_weights().unwrap(), &want[..]);
    // The margins stay: only the weights change.
    let (a, b) = (
        e.loss_at(0).gpu_form().unwrap(),
        e.loss_at(start).gpu_form().unwrap(),
    );
    assert_eq!(a.margins, b.margins);
    assert_ne!(a.class_weights, b.class_weights);
}

#[test]
fn drw_needs_a_weighted_loss() {
    let mut cfg = small();
    cfg.loss = LossSpec::from_name("dice").unwrap();
    cfg.schedule.drw = Some(DeferredReweighting::default());
    assert!(cfg.validate().is_err());
}

#[test]
fn learning_rate_follows_the_schedule() {
    let mut cfg = small();
    cfg.optimizer = OptimizerSpec::from_name("sgd").unwrap();
    cfg.schedule.lr = LrSchedule::Step {
        milestones: vec![0.5],
        gamma: 0.1,
    };
    cfg.schedule.warmup_epochs = 2;
    let e = Experiment::new(cfg).unwrap();
    let spe = e.steps_per_epoch();
    assert_eq!(e.step_scalars(0).lr, 0.005);
    assert_eq!(e.step_scalars(spe).lr, 0.01);
    assert_eq!(e.step_scalars(3 * spe - 1).lr, 0.01);
    assert_eq!(e.step_scalars(3 * spe).lr, 0.001);
}

fn second_stage_config(method: SecondStageMethod) -> ExperimentConfig {
    let mut cfg = small();
    cfg.dataset = three_class_tail();
    cfg.epochs = 3;
    cfg.schedule.second_stage = Some(SecondStage {
        method,
        epochs: 2,
        lr_factor: None,
        ..Default::default()
    });
    cfg
}

#[test]
fn classifier_retraining_freezes_the_body_and_balances_batches() {
    let mut e =
        Experiment::new(second_stage_config(SecondStageMethod::ClassifierRetraining)).unwrap();
    let boundary = e.stage_boundary().unwrap();
    e.train_steps(boundary).unwrap();
    let before = e.state().params;
    let out = e.model().output_layer_range();
    e.train_step().unwrap();
    let after = e.state().params;
    assert_eq!(
        before[..out.start],
        after[..out.start],
        "body must stay frozen"
    );
    assert_ne!(before[out.clone()], after[out.clone()]);
    assert_eq!(e.state().opt_state.len(), out.len() * 2);
    // Class-balanced rows: over the stage, each class supplies about a third of the rows.
    let plan = e.plan().second.unwrap();
    let mut counts = [0usize; 3];
    for s in boundary..boundary + plan.steps_per_epoch {
        for r in e.batch_indices(s) {
            counts[e.train_y()[r as usize]] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    for c in counts {
        assert!(
            (c as f64 / total as f64 - 1.0 / 3.0).abs() < 0.05,
            "{counts:?}"
        );
    }
    e.train_to_end().unwrap();
    assert_eq!(e.snapshot().epoch, 5);
    assert_eq!(e.snapshot().history.len(), 5);
}

#[test]
fn two_phase_fine_tunes_on_the_original_rows_at_a_tenth_of_the_rate() {
    let mut e = Experiment::new(second_stage_config(SecondStageMethod::OutputFineTuning)).unwrap();
    let boundary = e.stage_boundary().unwrap();
    let n_res = e.resampled.data.len();
    assert_eq!(e.train_y().len(), n_res + e.train.len());
    for r in e.batch_indices(boundary) {
        assert!(r as usize >= n_res);
    }
    assert!(e
        .batch_indices(boundary - 1)
        .iter()
        .all(|&r| (r as usize) < n_res));
    let base = e.step_scalars(0).lr;
    assert!((e.step_scalars(boundary).lr - 0.1 * base).abs() < 1e-9);
    e.train_to_end().unwrap();
}

/// What the GPU driver does, done on the CPU through the public API only: rows from
/// `batch_indices`, loss from `loss_at`, scalars from `step_scalars`, update restricted to
/// `trainable_range`, state handed back through `adopt` at each epoch end and re-read after it.
#[test]
fn replaying_the_public_contract_reproduces_the_cpu_run() {
    let mut cfg = second_stage_config(SecondStageMethod::ClassifierRetraining);
    cfg.loss = LossSpec::from_name("ldam").unwrap();
    cfg.model.head = Head::Cosine { scale: 1.0 };
    cfg.optimizer = OptimizerSpec::Sgd {
        lr: 0.05,
        momentum: 0.9,
        weight_decay: 1e-4,
        nesterov: true,
    };
    cfg.schedule.lr = LrSchedule::Cosine { min_factor: 0.0 };
    cfg.schedule.warmup_epochs = 1;
    cfg.schedule.drw = Some(DeferredReweighting::default());
    let mut reference = Experiment::new(cfg.clone()).unwrap();
    reference.train_to_end().unwrap();

    let mut e = Experiment::new(cfg).unwrap();
    let total = e.plan().total_steps();
    let d = e.resampled.data.n_features;
    let k = e.model().n_outputs();
    while e.step() < total {
        let mut state: TrainState = e.state();
        let mut model = e.model().clone();
        let stop = match e.stage_boundary() {
            Some(b) if state.step < b => b,
            _ => total,
        };
        let mut losses = vec![];
        let mut ws = Default::default();
        let mut dz = vec![0.0f32; e.batch_size() * k];
        let mut grad = vec![0.0f32; model.n_params()];
        while state.step < stop {
            let rows = e.batch_indices(state.step);
            let xb: Vec<f32> = rows
                .iter()
                .flat_map(|&r| e.train_x()[r as usize * d..(r as usize + 1) * d].to_vec())
                .collect();
            let yb: Vec<usize> = rows.iter().map(|&r| e.train_y()[r as usize]).collect();
            model.params.clone_from(&state.params);
            let logits = model.forward(&xb, yb.len(), &mut ws).to_vec();
            losses.push(
                e.loss_at(state.step)
                    .value_and_grad(&logits, &yb, k, &mut dz),
            );
            model.backward(&xb, yb.len(), &dz, &mut ws, &mut grad);
            let range = e.trainable_range(state.step);
            e.config().optimizer.update_with(
                &mut state.params[range.clone()],
                &grad[range],
                &mut state.opt_state,
                e.step_scalars(state.step),
            );
            state.step += 1;
            // Hand back at every epoch end, so the per-epoch history is evaluated at the same state.
            if e.plan().ends_epoch(state.step) {
                break;
            }
        }
        e.adopt(state, &losses).unwrap();
    }
    assert_eq!(e.state(), reference.state());
    assert_eq!(e.snapshot(), reference.snapshot());
}

#[test]
fn posthoc_prior_correction_raises_minority_recall() {
    let mut cfg = small();
    cfg.epochs = 20;
    cfg.dataset = three_class_tail();
    let mut plain = Experiment::new(cfg.clone()).unwrap();
    plain.train_to_end().unwrap();
    cfg.posthoc = PostHoc::PriorCorrection;
    let mut corrected = Experiment::new(cfg).unwrap();
    corrected.train_to_end().unwrap();
    // Same training (post-hoc does not touch it), different decisions.
    assert_eq!(plain.state(), corrected.state());
    let (a, b) = (plain.snapshot(), corrected.snapshot());
    let minority_recall = |s: &imlab_engine::Snapshot| {
        s.per_class[1].recall.unwrap() + s.per_class[2].recall.unwrap()
    };
    assert_ne!(
        a.confusion, b.confusion,
        "the correction must change some decisions"
    );
    assert!(minority_recall(&b) >= minority_recall(&a), "{a:?}\n{b:?}");
    assert!(b.balanced_accuracy.unwrap() >= a.balanced_accuracy.unwrap() - 1e-12);
}

#[test]
fn tau_normalization_changes_only_evaluation() {
    let mut cfg = small();
    cfg.dataset = three_class_tail();
    cfg.optimizer = OptimizerSpec::from_name("sgd").unwrap();
    let mut a = Experiment::new(cfg.clone()).unwrap();
    a.train_steps(100).unwrap();
    cfg.tau_normalization = Some(1.0);
    let mut b = Experiment::new(cfg).unwrap();
    b.train_steps(100).unwrap();
    assert_eq!(a.state(), b.state());
    assert_ne!(a.test_probabilities(), b.test_probabilities());
    let m = b.evaluation_model();
    let out = m.output_layer_range();
    assert!(m.params[out.end - 3..out.end].iter().all(|&v| v == 0.0));
}

#[test]
fn conflicting_or_bad_settings_are_rejected() {
    let mut cfg = small();
    cfg.threshold = Some(0.3);
    cfg.posthoc = PostHoc::PriorCorrection;
    assert!(cfg.validate().is_err());
    let mut cfg = small();
    cfg.loss = LossSpec::from_name("ldam").unwrap();
    cfg.model.head = Head::Cosine { scale: 30.0 };
    assert!(cfg.validate().is_err());
    let mut cfg = small();
    cfg.schedule = TrainingSchedule {
        second_stage: Some(SecondStage {
            epochs: 0,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert!(cfg.validate().is_err());
}
