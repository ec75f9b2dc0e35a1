//! GPU training matches the engine's CPU path (`Experiment::train_step`).
//!
//! Each case builds the same experiment twice, trains one on the CPU and one on the GPU with the
//! same batches (`Experiment::batch_indices`) and optimizer scalars (`OptimizerSpec::scalars`) for
//! 200 steps, and compares:
//! - parameters: `max |Δp| / max |p| ≤ 1e-4`;
//! - per-step losses: `max_t |Δℓ_t| / ℓ_1 ≤ 1e-4` (relative to the loss scale, the first loss);
//! - optimizer state (Adam's m and v, SGD's velocity): `max |Δ| / max |s| ≤ 1e-3`;
//! - identical argmax predictions on the test split, and GPU probabilities within 1e-5 (absolute)
//!   of the CPU's for the same parameters.
//!
//! Why these bounds: both paths are f32 with the same summation order, so they differ only by
//! rounding: the GPU compiler may fuse a multiply and an add, its `exp`, `log` and `sqrt` and our
//! WGSL `tanh` are within a few ULP of libm's, and the CPU computes the softmax gradient in f64
//! before rounding. That is ~1e-7 relative per step, and training amplifies it: nudging every
//! initial CPU weight by one ULP and training both CPU copies moves the parameters of the deepest
//! case here (tanh 40-33-20-7) by 8e-7 and Adam's m by 2e-5 after 200 steps; the GPU, which
//! rounds differently at every step, measured 2e-7 to 8e-6 on parameters, up to 2e-4 on m (the
//! running mean of gradients that cancel over the batch, hence the looser state bound). The bounds
//! keep a margin over that while any real error (a wrong index, order, formula or scalar) shows up
//! at 1e-2 or more.

mod common;

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::model::Activation;
use imlab_engine::optim::OptimizerSpec;
use imlab_engine::{Experiment, ExperimentConfig};
use imlab_gpu::{schedule, GpuContext, GpuTrainer};
use pollster::block_on;

use common::context;

const STEPS: u64 = 200;
const TOL: f64 = 1e-4;
const STATE_TOL: f64 = 1e-3;

/// Trains `steps` steps on the GPU, split into runs of the given lengths (one submission each).
fn gpu_train(ctx: &GpuContext, exp: &mut Experiment, runs: &[u64]) -> (GpuTrainer, Vec<f64>) {
    let mut trainer = GpuTrainer::new(ctx, exp).expect("trainer");
    for &n in runs {
        let (batches, scalars) = schedule(exp, trainer.step(), n as usize);
        trainer
            .run_steps(n as usize, &batches, &scalars)
            .expect("run_steps");
    }
    let losses = block_on(trainer.read_losses()).expect("losses");
    (trainer, losses)
}

fn argmax(probs: &[f32], k: usize) -> Vec<usize> {
    probs
        .chunks(k)
        .map(|p| (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b }))
        .collect()
}

fn check_parity(name: &str, cfg: ExperimentConfig) {
    let Some(ctx) = context() else { return };
    let mut cpu = Experiment::new(cfg.clone()).expect("config");
    let cpu_losses: Vec<f64> = (0..STEPS)
        .map(|_| cpu.train_step().expect("cpu step"))
        .collect();
    let mut gpu = Experiment::new(cfg).expect("config");
    let (mut trainer, gpu_losses) = gpu_train(&ctx, &mut gpu, &[STEPS]);
    let state = block_on(trainer.read_state()).expect("state");
    let reference = cpu.state();
    assert_eq!(state.step, reference.step);

    let dp = rel_max_diff(&state.params, &reference.params);
    let ds = rel_max_diff(&state.opt_state, &reference.opt_state);
    let dl = gpu_losses
        .iter()
        .zip(&cpu_losses)
        .map(|(g, c)| (g - c).abs())
        .fold(0f64, f64::max)
        / cpu_losses[0];
    eprintln!(
        "{name}: relative differences: params {dp:.2e}, optimizer state {ds:.2e}, losses {dl:.2e}"
    );
    assert_eq!(gpu_losses.len(), STEPS as usize);
    assert!(dp <= TOL, "{name}: parameters differ by {dp:.3e} relative");
    assert!(
        ds <= STATE_TOL,
        "{name}: optimizer state differs by {ds:.3e} relative"
    );
    assert!(dl <= TOL, "{name}: losses differ by {dl:.3e} relative");

    let k = gpu.data.n_classes;
    let n_test = gpu.test.len();
    let gpu_probs = block_on(trainer.predict_proba(gpu.test_x(), n_test)).expect("predict");
    gpu.adopt(state, &gpu_losses).expect("adopt");
    let same_params_cpu = gpu.test_probabilities();
    let dprob = gpu_probs
        .iter()
        .zip(&same_params_cpu)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(dprob <= 1e-5, "{name}: probabilities differ by {dprob:.3e}");
    assert_eq!(
        argmax(&gpu_probs, k),
        argmax(&cpu.test_probabilities(), k),
        "{name}: test predictions differ"
    );
}

fn blobs(classes: usize) -> DatasetSpec {
    DatasetSpec {
        generator: Generator::Blobs,
        counts: ClassCounts::Ratio {
            majority: 300,
            ratio: 0.2,
            classes,
        },
        noise: 0.6,
        ..DatasetSpec::default()
    }
}

#[test]
fn default_experiment_relu_adam() {
    check_parity(
        "default (moons, relu 16-16, adam)",
        ExperimentConfig::default(),
    );
}

#[test]
fn tanh_model() {
    let mut cfg = ExperimentConfig::default();
    cfg.model.activation = Activation::Tanh;
    cfg.model.hidden = vec![32, 8];
    check_parity("tanh 32-8", cfg);
}

#[test]
fn gelu_model() {
    let mut cfg = ExperimentConfig::default();
    cfg.model.activation = Activation::Gelu;
    check_parity("gelu 16-16", cfg);
}

#[test]
fn sgd_momentum_weight_decay() {
    let cfg = ExperimentConfig {
        optimizer: OptimizerSpec::Sgd {
            lr: 0.05,
            momentum: 0.9,
            nesterov: false,
            weight_decay: 1e-3,
        },
        ..ExperimentConfig::default()
    };
    check_parity("sgd momentum 0.9, wd 1e-3", cfg);
}

#[test]
fn three_class_blobs_sigmoid() {
    let mut cfg = ExperimentConfig {
        dataset: blobs(3),
        ..ExperimentConfig::default()
    };
    cfg.model.activation = Activation::Sigmoid;
    cfg.model.hidden = vec![24, 12, 6];
    check_parity("blobs 3 classes, sigmoid 24-12-6", cfg);
}

#[test]
fn softmax_regression_and_four_hidden_layers() {
    let mut cfg = ExperimentConfig {
        dataset: blobs(5),
        ..ExperimentConfig::default()
    };
    cfg.model.hidden = vec![];
    check_parity("blobs 5 classes, softmax regression", cfg.clone());
    cfg.model.hidden = vec![40, 33, 20, 7];
    cfg.model.activation = Activation::Tanh;
    cfg.batch_size = 100;
    check_parity("blobs 5 classes, tanh 40-33-20-7, batch 100", cfg);
}

/// Splitting a run into several submissions changes nothing: the step table and the loss slots
/// carry over exactly (bit-identical on the same device).
#[test]
fn runs_split_across_submissions_are_identical() {
    let Some(ctx) = context() else { return };
    let cfg = ExperimentConfig::default();
    let mut a = Experiment::new(cfg.clone()).expect("config");
    let mut b = Experiment::new(cfg).expect("config");
    let (ta, la) = gpu_train(&ctx, &mut a, &[STEPS]);
    // 70 > the initial step capacity (64), so the batch buffers are regrown midway.
    let (tb, lb) = gpu_train(&ctx, &mut b, &[1, 29, 70, 100]);
    assert_eq!(la, lb);
    let sa = block_on(ta.read_state()).expect("state");
    let sb = block_on(tb.read_state()).expect("state");
    assert_eq!(sa, sb);
}

/// A decision grid larger than one prediction chunk (4096 rows) matches the CPU's probabilities.
#[test]
fn grid_prediction_matches_cpu() {
    let Some(ctx) = context() else { return };
    let mut exp = Experiment::new(ExperimentConfig::default()).expect("config");
    exp.train_steps(50).expect("train");
    let trainer = GpuTrainer::new(&ctx, &exp);
    let mut trainer = trainer.expect("trainer");
    let side = 128;
    let grid: Vec<f32> = (0..side * side)
        .flat_map(|i| {
            let (r, c) = (i / side, i % side);
            [-2.0 + 4.5 * c as f32 / 127.0, -1.5 + 3.0 * r as f32 / 127.0]
        })
        .collect();
    let gpu = block_on(trainer.predict_proba(&grid, side * side)).expect("predict");
    let cpu = exp.model().predict_proba(&grid, side * side);
    let d = gpu
        .iter()
        .zip(&cpu)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(d <= 1e-5, "grid probabilities differ by {d:.3e}");
    assert_eq!(argmax(&gpu, 2), argmax(&cpu, 2));
}

#[test]
fn bad_batches_are_rejected_not_run() {
    let Some(ctx) = context() else { return };
    let exp = Experiment::new(ExperimentConfig::default()).expect("config");
    let mut trainer = GpuTrainer::new(&ctx, &exp).expect("trainer");
    let s = exp.config().optimizer.scalars(1);
    let b = exp.batch_size();
    assert!(trainer.run_steps(1, &vec![0; b - 1], &[s]).is_err());
    let too_far = exp.train_x().len() as u32;
    assert!(trainer.run_steps(1, &vec![too_far; b], &[s]).is_err());
    assert_eq!(trainer.step(), 0);
}

/// `max |a − b| / (max |b| + 1e-12)`: the largest difference relative to the reference's scale.
pub fn rel_max_diff(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    let scale = b.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
    let diff = a.iter().zip(b).fold(0f64, |m, (&x, &y)| {
        m.max((f64::from(x) - f64::from(y)).abs())
    });
    diff / (scale + 1e-12)
}
