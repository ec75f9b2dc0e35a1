//! GPU against CPU in one run, on the same inputs: training throughput (the engine's step against
//! [`GpuTrainer::run_steps`]), decision-grid prediction latency including upload and readback, and
//! exact k-NN. Native only (it blocks on the GPU and uses wall-clock time); `imlab bench` and
//! `cargo run -p imlab-gpu --example bench` print [`run`]'s table.
//!
//! Timings measured in a debug build (engine at opt-level 0) say little; use an optimized build.

use std::time::Instant;

use imlab_engine::experiment::TrainState;
use imlab_engine::loss::LossSpec;
use imlab_engine::model::{Activation, Mlp, MlpWorkspace, ModelSpec};
use imlab_engine::neighbors::kneighbors;
use imlab_engine::optim::OptimizerSpec;
use imlab_engine::rng::Rng;

use crate::{GpuContext, GpuNeighbors, GpuTrainer, Result, TrainerSetup};

/// Sizes of the benchmark; the defaults are the ones the project reports.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Training rows of the synthetic data sets.
    pub train_rows: usize,
    pub batch: usize,
    pub cpu_steps: usize,
    /// GPU steps, all in one submission.
    pub gpu_steps: usize,
    pub grid_points: usize,
    /// Rows of the k-NN data (each row queries all rows).
    pub knn_rows: usize,
    pub knn_k: usize,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            train_rows: 8192,
            batch: 256,
            cpu_steps: 100,
            gpu_steps: 500,
            grid_points: 65_536,
            knn_rows: 4096,
            knn_k: 5,
        }
    }
}

/// Opens the default adapter and returns the results as a Markdown table.
pub fn run(opts: &BenchOptions) -> Result<String> {
    let ctx = pollster::block_on(GpuContext::new())?;
    run_on(&ctx, opts)
}

pub fn run_on(ctx: &GpuContext, o: &BenchOptions) -> Result<String> {
    let mut rows = Vec::new();
    for (d, hidden, k) in [(2, [32, 32], 2), (20, [64, 64], 5)] {
        let (cpu, gpu) = training(ctx, o, d, &hidden, k)?;
        let name = format!(
            "train {d}-{}-{}-{k}, batch {}",
            hidden[0], hidden[1], o.batch
        );
        rows.push(Row::rate(name, "samples/s", cpu, gpu));
    }
    let (cpu, gpu) = grid_prediction(ctx, o)?;
    rows.push(Row::time(
        format!("predict grid, {} points", o.grid_points),
        cpu,
        gpu,
    ));
    for d in [2, 20] {
        let (cpu, gpu) = knn(ctx, o, d)?;
        let name = format!("k-NN {} rows, {d} features, k={}", o.knn_rows, o.knn_k);
        rows.push(Row::time(name, cpu, gpu));
    }
    let build = if cfg!(debug_assertions) {
        "debug build: timings are not representative"
    } else {
        "optimized build"
    };
    let mut out = format!("GPU: {} ({build})\n\n", ctx.adapter_label());
    out.push_str("| task | CPU | GPU | GPU speed-up |\n|---|---:|---:|---:|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {:.2}x |\n",
            r.name, r.cpu, r.gpu, r.speedup
        ));
    }
    Ok(out)
}

struct Row {
    name: String,
    cpu: String,
    gpu: String,
    speedup: f64,
}

impl Row {
    fn rate(name: String, unit: &str, cpu: f64, gpu: f64) -> Row {
        Row {
            name,
            cpu: format!("{cpu:.0} {unit}"),
            gpu: format!("{gpu:.0} {unit}"),
            speedup: gpu / cpu,
        }
    }

    fn time(name: String, cpu_s: f64, gpu_s: f64) -> Row {
        Row {
            name,
            cpu: format!("{:.2} ms", 1e3 * cpu_s),
            gpu: format!("{:.2} ms", 1e3 * gpu_s),
            speedup: cpu_s / gpu_s,
        }
    }
}

/// Gaussian features; the label is the arg-max of `k` fixed random projections.
fn synthetic(n: usize, d: usize, k: usize, rng: &mut Rng) -> (Vec<f32>, Vec<usize>) {
    let proj: Vec<f64> = (0..d * k).map(|_| rng.normal()).collect();
    let x: Vec<f32> = (0..n * d).map(|_| rng.normal() as f32).collect();
    let y = x
        .chunks(d)
        .map(|row| {
            let score = |c: usize| -> f64 {
                row.iter()
                    .enumerate()
                    .map(|(j, &v)| f64::from(v) * proj[j * k + c])
                    .sum()
            };
            (1..k).fold(0, |b, c| if score(c) > score(b) { c } else { b })
        })
        .collect();
    (x, y)
}

/// Samples per second on the CPU path and on the GPU.
fn training(
    ctx: &GpuContext,
    o: &BenchOptions,
    d: usize,
    hidden: &[usize],
    k: usize,
) -> Result<(f64, f64)> {
    let mut rng = Rng::from_seed(2024);
    let (x, y) = synthetic(o.train_rows, d, k, &mut rng);
    let spec = ModelSpec {
        hidden: hidden.to_vec(),
        activation: Activation::Relu,
        ..ModelSpec::default()
    };
    let mut mlp = Mlp::new(&spec, d, k, &mut rng);
    let opt = OptimizerSpec::default();
    let steps = o.cpu_steps.max(o.gpu_steps);
    let per_epoch = o.train_rows / o.batch;
    let batches: Vec<u32> = (0..steps.div_ceil(per_epoch))
        .flat_map(|e| rng.fork("epoch", e as u64).permutation(o.train_rows))
        .map(|i| i as u32)
        .collect::<Vec<_>>()
        .chunks(o.batch)
        .filter(|c| c.len() == o.batch)
        .take(steps)
        .flatten()
        .copied()
        .collect();
    let scalars: Vec<_> = (1..=steps as u64).map(|t| opt.scalars(t)).collect();
    let state = TrainState {
        step: 0,
        params: mlp.params.clone(),
        opt_state: vec![0.0; mlp.n_params() * opt.state_per_param()],
    };
    let mut trainer = GpuTrainer::from_setup(
        ctx,
        &TrainerSetup {
            layers: &mlp.layers,
            activation: mlp.activation,
            optimizer: &opt,
            batch: o.batch,
            train_x: &x,
            train_y: &y,
            n_features: d,
            n_classes: k,
            state: &state,
            head: mlp.head,
            tau_normalization: None,
            prediction_scale: 1.0,
        },
    )?;
    // Warm-up: pipeline compilation and first-use allocation are not what is measured.
    trainer.run_steps(2, &batches[..2 * o.batch], &scalars[..2])?;
    pollster::block_on(trainer.read_losses())?;
    let t = Instant::now();
    trainer.run_steps(o.gpu_steps, &batches[..o.gpu_steps * o.batch], &scalars)?;
    pollster::block_on(trainer.read_losses())?;
    let gpu = (o.gpu_steps * o.batch) as f64 / t.elapsed().as_secs_f64();

    let t = Instant::now();
    cpu_train(
        &mut mlp,
        &opt,
        &x,
        &y,
        d,
        k,
        &batches[..o.cpu_steps * o.batch],
        o.batch,
    );
    let cpu = (o.cpu_steps * o.batch) as f64 / t.elapsed().as_secs_f64();
    Ok((cpu, gpu))
}

/// The engine's training step (as `Experiment::train_step`) over the given batches.
#[allow(clippy::too_many_arguments)]
fn cpu_train(
    mlp: &mut Mlp,
    opt: &OptimizerSpec,
    x: &[f32],
    y: &[usize],
    d: usize,
    k: usize,
    batches: &[u32],
    batch: usize,
) {
    let mut ws = MlpWorkspace::default();
    let mut grad = vec![0.0; mlp.n_params()];
    let mut state = vec![0.0; mlp.n_params() * opt.state_per_param()];
    let mut dlogits = vec![0.0; batch * k];
    let (mut xb, mut yb) = (Vec::new(), Vec::new());
    let mut counts = vec![0usize; k];
    for &c in y {
        counts[c] += 1;
    }
    let Ok(loss) = LossSpec::CrossEntropy.build(&counts) else {
        return;
    };
    for (t, rows) in batches.chunks(batch).enumerate() {
        xb.clear();
        yb.clear();
        for &i in rows {
            let i = i as usize;
            xb.extend_from_slice(&x[i * d..(i + 1) * d]);
            yb.push(y[i]);
        }
        let logits = mlp.forward(&xb, batch, &mut ws);
        loss.value_and_grad(logits, &yb, k, &mut dlogits);
        mlp.backward(&xb, batch, &dlogits, &mut ws, &mut grad);
        opt.update(&mut mlp.params, &grad, &mut state, t as u64 + 1);
    }
}

/// Seconds for the class probabilities of a square grid, CPU and GPU (upload and readback included).
fn grid_prediction(ctx: &GpuContext, o: &BenchOptions) -> Result<(f64, f64)> {
    let mut rng = Rng::from_seed(7);
    let (x, y) = synthetic(1024, 2, 2, &mut rng);
    let spec = ModelSpec {
        hidden: vec![32, 32],
        activation: Activation::Relu,
        ..ModelSpec::default()
    };
    let mlp = Mlp::new(&spec, 2, 2, &mut rng);
    let opt = OptimizerSpec::default();
    let state = TrainState {
        step: 0,
        params: mlp.params.clone(),
        opt_state: vec![0.0; 2 * mlp.n_params()],
    };
    let mut trainer = GpuTrainer::from_setup(
        ctx,
        &TrainerSetup {
            layers: &mlp.layers,
            activation: mlp.activation,
            optimizer: &opt,
            batch: 32,
            train_x: &x,
            train_y: &y,
            n_features: 2,
            n_classes: 2,
            state: &state,
            head: mlp.head,
            tau_normalization: None,
            prediction_scale: 1.0,
        },
    )?;
    let n = o.grid_points;
    let side = (n as f64).sqrt().ceil() as usize;
    let grid: Vec<f32> = (0..n)
        .flat_map(|i| {
            [
                (i % side) as f32 / side as f32 * 4.0 - 2.0,
                (i / side) as f32 / side as f32 * 4.0 - 2.0,
            ]
        })
        .collect();
    pollster::block_on(trainer.predict_proba(&grid, n))?;
    let t = Instant::now();
    pollster::block_on(trainer.predict_proba(&grid, n))?;
    let gpu = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let probs = mlp.predict_proba(&grid, n);
    let cpu = t.elapsed().as_secs_f64();
    std::hint::black_box(probs);
    Ok((cpu, gpu))
}

/// Seconds for all rows' k nearest rows, CPU (`neighbors::kneighbors`) and GPU.
fn knn(ctx: &GpuContext, o: &BenchOptions, d: usize) -> Result<(f64, f64)> {
    let mut rng = Rng::from_seed(99);
    let x: Vec<f32> = (0..o.knn_rows * d).map(|_| rng.normal() as f32).collect();
    let nn = GpuNeighbors::new(ctx);
    pollster::block_on(nn.kneighbors(&x[..d * 64], &x[..d], d, 1))?;
    let t = Instant::now();
    pollster::block_on(nn.kneighbors(&x, &x, d, o.knn_k))?;
    let gpu = t.elapsed().as_secs_f64();
    let x64: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    let t = Instant::now();
    std::hint::black_box(kneighbors(&x64, &x64, d, o.knn_k));
    let cpu = t.elapsed().as_secs_f64();
    Ok((cpu, gpu))
}
