//! The WebGPU kernels in a real browser (Chromium's WebGPU on SwiftShader, or a hardware adapter):
//! training (one run, and several side by side in one dispatch) and k-NN against the engine's CPU
//! path, with the bounds argued in `tests/parity.rs`.
//!
//! Runs only on wasm32, in Chromium through chromedriver (`webdriver.json` beside Cargo.toml turns
//! WebGPU on): `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p imlab-gpu --target
//! wasm32-unknown-unknown --test browser` (a step of `scripts/test.sh`). Without an adapter the
//! test fails: a browser run that silently skipped the GPU would prove nothing.
#![cfg(target_arch = "wasm32")]

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::loss::{AnyLossMetric, ClassWeights, DiceForm, FocalForm, LossSpec, Reduction};
use imlab_engine::neighbors::kneighbors;
use imlab_engine::optim::OptimizerSpec;
use imlab_engine::resample::{RandomOverSampler, SamplerSpec};
use imlab_engine::rng::Rng;
use imlab_engine::{Experiment, ExperimentConfig};
use imlab_gpu::{GpuContext, GpuNeighbors, GpuTrainer, SideBySide};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/agreement.rs"]
mod agreement;
use agreement::{argmax, check_member, rel_max_diff, STATE_TOL, STEPS, TOL};

async fn context() -> GpuContext {
    match GpuContext::new().await {
        Ok(ctx) => {
            console_log!("WebGPU adapter: {}", ctx.adapter_label());
            ctx
        }
        Err(e) => panic!("no WebGPU adapter in this browser: {e}"),
    }
}

/// Trains `cfg` for 200 steps on the CPU and on WebGPU (runs cut at the experiment's boundaries,
/// adopted and re-synced as the app does) and compares parameters, state, losses and predictions.
async fn check_parity(ctx: &GpuContext, name: &str, cfg: ExperimentConfig) {
    let mut cpu = Experiment::new(cfg.clone()).expect("config");
    let cpu_losses: Vec<f64> = (0..STEPS)
        .map(|_| cpu.train_step().expect("cpu step"))
        .collect();
    let mut gpu = Experiment::new(cfg).expect("config");
    imlab_gpu::supported(&gpu).expect("supported");
    let mut trainer = GpuTrainer::new(ctx, &gpu).expect("trainer");
    let mut gpu_losses = Vec::new();
    while trainer.step() < STEPS {
        let left = (STEPS - trainer.step()) as usize;
        trainer.run_segment(&mut gpu, left.min(64)).expect("run");
        let l = trainer.read_losses().await.expect("losses");
        let state = trainer.read_state().await.expect("state");
        gpu.adopt(state, &l).expect("adopt");
        gpu_losses.extend(l);
        trainer.sync(&gpu).expect("sync");
    }
    let state = trainer.read_state().await.expect("state");
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
    console_log!("{name}: params {dp:.2e}, optimizer state {ds:.2e}, losses {dl:.2e}");
    assert_eq!(gpu_losses.len(), STEPS as usize);
    assert!(dp <= TOL, "{name}: parameters differ by {dp:.3e} relative");
    assert!(
        ds <= STATE_TOL,
        "{name}: optimizer state differs by {ds:.3e}"
    );
    assert!(dl <= TOL, "{name}: losses differ by {dl:.3e} relative");
    let k = gpu.data.n_classes;
    let gpu_probs = trainer
        .predict_proba(gpu.test_x(), gpu.test.len())
        .await
        .expect("predict");
    let dprob = gpu_probs
        .iter()
        .zip(&gpu.test_probabilities())
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(dprob <= 1e-5, "{name}: probabilities differ by {dprob:.3e}");
    assert_eq!(
        argmax(&gpu_probs, k),
        argmax(&cpu.test_probabilities(), k),
        "{name}: test predictions differ"
    );
}

fn blobs(loss: LossSpec, classes: usize) -> ExperimentConfig {
    ExperimentConfig {
        dataset: DatasetSpec {
            generator: Generator::Blobs,
            counts: ClassCounts::Ratio {
                majority: 300,
                ratio: 0.2,
                classes,
            },
            noise: 0.6,
            ..DatasetSpec::default()
        },
        loss,
        ..ExperimentConfig::default()
    }
}

/// One case per loss kernel path: softmax family (plain, weighted, focal, logit-adjusted), sigmoid
/// focal, per-row Dice, and the batch-level Dice and AnyLoss.
#[wasm_bindgen_test]
async fn training_matches_the_cpu_path() {
    let ctx = context().await;
    check_parity(
        &ctx,
        "default (moons, relu, adam)",
        ExperimentConfig::default(),
    )
    .await;
    let weighted = LossSpec::WeightedCe {
        weights: ClassWeights::InverseFrequency,
        reduction: Reduction::WeightedMean,
    };
    check_parity(&ctx, "weighted ce, 3 classes", blobs(weighted, 3)).await;
    let focal = LossSpec::from_name("focal").expect("focal");
    check_parity(&ctx, "focal, 3 classes", blobs(focal, 3)).await;
    let sigmoid_focal = LossSpec::Focal {
        gamma: 2.0,
        alpha: Some(0.25),
        form: FocalForm::Sigmoid,
        reduction: Reduction::WeightedMean,
    };
    check_parity(&ctx, "sigmoid focal, 2 classes", blobs(sigmoid_focal, 2)).await;
    let la = LossSpec::from_name("logit_adjusted").expect("logit_adjusted");
    check_parity(&ctx, "logit-adjusted, 4 classes", blobs(la, 4)).await;
    for form in [DiceForm::SelfAdjusting, DiceForm::BatchSoft] {
        let dice = LossSpec::Dice {
            alpha: 1.0,
            gamma: 1.0,
            form,
        };
        check_parity(&ctx, &format!("dice {form:?}, 3 classes"), blobs(dice, 3)).await;
    }
    let anyloss = LossSpec::AnyLoss {
        metric: AnyLossMetric::GMean,
        beta: 1.0,
        amplifier: 10.0,
        eps: 1e-5,
    };
    let mut cfg = blobs(anyloss, 2);
    cfg.optimizer = OptimizerSpec::Sgd {
        lr: 0.1,
        momentum: 0.9,
        nesterov: false,
        weight_decay: 0.0,
    };
    check_parity(&ctx, "anyloss g-mean L=10, sgd", cfg).await;
}

/// Several runs side by side in one dispatch (`SideBySide`, as a sweep trains on WebGPU): every
/// member ends where the same run alone ends on the CPU path (`Experiment::train_to_end`), within
/// the bounds of `tests/side_by_side.rs` (its native twin). Three seeds (so three data sets and
/// splits) with cross-entropy beside one with the batch-level soft Dice on over-sampled rows, so
/// per-row and batch-level loss kernels share each dispatch and the longer member trains alone
/// at the end; submissions of 40 steps cut epochs in the middle.
#[wasm_bindgen_test]
async fn side_by_side_members_match_each_run_alone_on_the_cpu() {
    let ctx = context().await;
    let run = |seed: u64, loss: LossSpec| ExperimentConfig {
        seed,
        epochs: 12,
        loss,
        ..ExperimentConfig::default()
    };
    let dice = LossSpec::Dice {
        alpha: 1.0,
        gamma: 1.0,
        form: DiceForm::BatchSoft,
    };
    let mut configs: Vec<ExperimentConfig> = (1..=3)
        .map(|seed| run(seed, LossSpec::CrossEntropy))
        .collect();
    let mut oversampled = run(4, dice);
    oversampled.sampler = SamplerSpec::Ros(RandomOverSampler::default());
    configs.push(oversampled);
    let runs: Vec<Experiment> = configs
        .iter()
        .map(|c| Experiment::new(c.clone()).expect("config"))
        .collect();
    let mut group = SideBySide::new(&ctx, runs).expect("side by side");
    group.run_to_end(40).await.expect("train");
    let (done, total) = group.steps();
    assert_eq!(done, total, "every member trained to the end");
    for (m, (gpu, cfg)) in group.into_results().into_iter().zip(&configs).enumerate() {
        let gpu = gpu.unwrap_or_else(|e| panic!("member {m} stopped: {e}"));
        let mut cpu = Experiment::new(cfg.clone()).expect("config");
        cpu.train_to_end().expect("cpu");
        let what = format!("side by side member {m} ({})", cfg.loss.name());
        console_log!("{}", check_member(&what, &gpu, &cpu));
    }
}

/// Exact k-NN on small-integer coordinates (every distance exact in f32): the same indices as the
/// CPU, ties included.
#[wasm_bindgen_test]
async fn knn_matches_the_cpu_path_exactly() {
    let ctx = context().await;
    let nn = GpuNeighbors::new(&ctx);
    let mut rng = Rng::from_seed(7);
    for (n_fit, n_query, d, range) in [(300, 200, 2, 6), (501, 130, 20, 4)] {
        let fit: Vec<f32> = (0..n_fit * d).map(|_| rng.below(range) as f32).collect();
        let query: Vec<f32> = (0..n_query * d).map(|_| rng.below(range) as f32).collect();
        let to64 = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>();
        for k in [1, 5, 32] {
            let gpu = nn.kneighbors(&fit, &query, d, k).await.expect("gpu knn");
            let cpu = kneighbors(&to64(&fit), &to64(&query), d, k);
            let gpu_idx: Vec<usize> = gpu.indices.iter().map(|&i| i as usize).collect();
            assert_eq!(gpu_idx, cpu, "n_fit {n_fit}, d {d}, range {range}, k {k}");
        }
    }
}
