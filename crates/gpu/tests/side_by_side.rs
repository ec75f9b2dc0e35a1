//! Several trainings side by side in one dispatch (`GpuTrainer::side_by_side`, `SideBySide`) give,
//! for every member, what that run alone gives on the CPU path (`Experiment::train_to_end`): the
//! same step count and epoch history, parameters and per-epoch losses within the parity bounds of
//! `parity.rs` (same arithmetic, so the same rounding argument), the same test predictions.
//!
//! The members differ in seed (so in data and split), in loss (per-row and batch-level losses in one
//! dispatch), in schedule (the DRW switch and the second stage at their own steps), in sampler (so in
//! training-set size and total steps: a member that ends early sits the rest out) and in optimizer
//! settings.

#[path = "common/agreement.rs"]
mod agreement;
mod common;

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::experiment::{DeferredReweighting, SecondStage, SecondStageMethod};
use imlab_engine::loss::{ClassWeights, DiceForm, FocalForm, LossSpec, Reduction};
use imlab_engine::model::Activation;
use imlab_engine::optim::OptimizerSpec;
use imlab_engine::resample::{RandomOverSampler, SamplerSpec, Smote};
use imlab_engine::{Experiment, ExperimentConfig};
use imlab_gpu::{compatible, GpuTrainer, SideBySide, MAX_MEMBERS};
use pollster::block_on;

use agreement::{check_member, rel_max_diff, TOL};
use common::context;

fn blobs3() -> DatasetSpec {
    DatasetSpec {
        generator: Generator::Blobs,
        counts: ClassCounts::Ratio {
            majority: 300,
            ratio: 0.2,
            classes: 3,
        },
        noise: 0.6,
        ..DatasetSpec::default()
    }
}

/// Trains `configs` side by side on the GPU in submissions of `chunk` steps and each alone on the
/// CPU, and compares every member with its CPU run.
fn check_side_by_side(name: &str, configs: &[ExperimentConfig], chunk: usize) {
    let Some(ctx) = context() else { return };
    let runs: Vec<Experiment> = configs
        .iter()
        .map(|c| Experiment::new(c.clone()).expect("config"))
        .collect();
    let mut group = SideBySide::new(&ctx, runs).expect("side by side");
    block_on(group.run_to_end(chunk)).expect("train");
    let (done, total) = group.steps();
    assert_eq!(done, total, "{name}: every member trained to the end");
    for (m, (gpu, cfg)) in group.into_results().into_iter().zip(configs).enumerate() {
        let gpu = gpu.unwrap_or_else(|e| panic!("{name}: member {m} stopped: {e}"));
        let mut cpu = Experiment::new(cfg.clone()).expect("config");
        cpu.train_to_end().expect("cpu");
        eprintln!(
            "{}",
            check_member(&format!("{name} member {m}"), &gpu, &cpu)
        );
    }
}

#[test]
fn seeds_side_by_side_match_each_run_alone_on_the_cpu() {
    let configs: Vec<ExperimentConfig> = (1..=6)
        .map(|seed| ExperimentConfig {
            seed,
            epochs: 12,
            ..ExperimentConfig::default()
        })
        .collect();
    check_side_by_side("six seeds", &configs, 64);
}

#[test]
fn losses_schedules_samplers_and_optimizer_settings_side_by_side() {
    let base = {
        let mut c = ExperimentConfig {
            dataset: blobs3(),
            epochs: 14,
            ..ExperimentConfig::default()
        };
        c.model.activation = Activation::Tanh;
        c
    };
    let with = |f: &dyn Fn(&mut ExperimentConfig)| {
        let mut c = base.clone();
        f(&mut c);
        c
    };
    let configs = vec![
        base.clone(),
        with(&|c| {
            c.loss = LossSpec::WeightedCe {
                weights: ClassWeights::InverseFrequency,
                reduction: Reduction::WeightedMean,
            }
        }),
        with(&|c| {
            c.loss = LossSpec::Focal {
                gamma: 2.0,
                alpha: Some(0.25),
                form: FocalForm::Sigmoid,
                reduction: Reduction::NonzeroWeights,
            }
        }),
        // The DRW switch at its own step.
        with(&|c| {
            c.loss = LossSpec::Ldam {
                max_margin: 0.5,
                scale: 30.0,
                weights: ClassWeights::Uniform,
                reduction: Reduction::WeightedMean,
            };
            c.schedule.drw = Some(DeferredReweighting {
                start_fraction: 0.4,
                ..DeferredReweighting::default()
            });
        }),
        // A batch-level loss beside the per-row ones.
        with(&|c| {
            c.loss = LossSpec::Dice {
                form: DiceForm::BatchSoft,
                alpha: 1.0,
                gamma: 1.0,
            }
        }),
        // cRT: the second stage re-trains the output layer only, from its own boundary on.
        with(&|c| {
            c.epochs = 6;
            c.schedule.second_stage = Some(SecondStage {
                method: SecondStageMethod::ClassifierRetraining,
                epochs: 8,
                lr_factor: None,
                ..Default::default()
            });
        }),
        // More training rows, so more steps: the others sit out its last submissions.
        with(&|c| c.sampler = SamplerSpec::Smote(Smote::default())),
        with(&|c| c.sampler = SamplerSpec::Ros(RandomOverSampler::default())),
        // AdamW beside Adam (one kernel), with another rate.
        with(&|c| {
            c.optimizer = OptimizerSpec::AdamW {
                lr: 0.02,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.05,
            }
        }),
    ];
    check_side_by_side("nine methods", &configs, 50);
}

#[test]
fn sgd_members_side_by_side() {
    let configs: Vec<ExperimentConfig> = [0.05, 0.1]
        .into_iter()
        .zip([false, true])
        .map(|(lr, nesterov)| ExperimentConfig {
            epochs: 10,
            optimizer: OptimizerSpec::Sgd {
                lr,
                momentum: 0.9,
                nesterov,
                weight_decay: 1e-3,
            },
            ..ExperimentConfig::default()
        })
        .collect();
    check_side_by_side("sgd heavy-ball and nesterov", &configs, 1000);
}

/// A member that diverges stops with the engine's message; the others finish as they would alone.
#[test]
fn a_diverging_member_stops_alone() {
    let Some(ctx) = context() else { return };
    let sgd = |lr: f64, momentum: f64| {
        let mut c = ExperimentConfig {
            epochs: 8,
            optimizer: OptimizerSpec::Sgd {
                lr,
                momentum,
                nesterov: false,
                weight_decay: 0.0,
            },
            ..ExperimentConfig::default()
        };
        c.model.hidden = vec![64, 64, 64];
        c.model.activation = Activation::Gelu;
        c
    };
    // The robustness e2e test's diverging setting.
    let (bad, sane) = (sgd(10.0, 0.99), sgd(0.05, 0.9));
    let mut cpu_bad = Experiment::new(bad.clone()).expect("config");
    assert!(cpu_bad.train_to_end().is_err(), "the CPU path diverges too");
    let runs = vec![
        Experiment::new(bad).expect("config"),
        Experiment::new(sane.clone()).expect("config"),
    ];
    let mut group = SideBySide::new(&ctx, runs).expect("side by side");
    block_on(group.run_to_end(16)).expect("train");
    let mut results = group.into_results().into_iter();
    let Some(Err(err)) = results.next() else {
        panic!("the bad member should stop");
    };
    assert!(err.contains("learning rate"), "message: {err}");
    let ok = results.next().unwrap().expect("the sane member finishes");
    let mut cpu = Experiment::new(sane).expect("config");
    cpu.train_to_end().expect("cpu");
    let dp = rel_max_diff(&ok.state().params, &cpu.state().params);
    assert!(dp <= TOL, "the sane member's parameters differ by {dp:.3e}");
}

#[test]
fn runs_that_cannot_share_a_dispatch_are_refused_with_the_reason() {
    let adam = Experiment::new(ExperimentConfig::default()).expect("config");
    let sgd = Experiment::new(ExperimentConfig {
        optimizer: OptimizerSpec::Sgd {
            lr: 0.05,
            momentum: 0.9,
            nesterov: false,
            weight_decay: 0.0,
        },
        ..ExperimentConfig::default()
    })
    .expect("config");
    let mut wide = ExperimentConfig::default();
    wide.model.hidden = vec![32, 32];
    let wide = Experiment::new(wide).expect("config");
    assert!(compatible(&adam, &adam).is_none());
    assert!(compatible(&adam, &sgd).unwrap().contains("SGD"));
    assert!(compatible(&adam, &wide).unwrap().contains("layers"));
    let Some(ctx) = context() else { return };
    let err = GpuTrainer::side_by_side(&ctx, &[&adam, &sgd])
        .err()
        .expect("refused");
    assert!(err.to_string().contains("SGD"), "{err}");
    let many: Vec<&Experiment> = std::iter::repeat_n(&adam, MAX_MEMBERS + 1).collect();
    let err = GpuTrainer::side_by_side(&ctx, &many)
        .err()
        .expect("refused");
    assert!(err.to_string().contains(&MAX_MEMBERS.to_string()), "{err}");
}
