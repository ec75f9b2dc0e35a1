//! GPU against CPU in one run, on the same inputs: training throughput (the engine's step against
//! [`GpuTrainer::run_steps`]), the throughput of several trainings side by side in one dispatch
//! ([`GpuTrainer::run_side_by_side`]) against the same trainings one after another on the CPU,
//! decision-grid prediction latency including upload and readback, and exact k-NN. Native only (it blocks on the GPU and uses wall-clock time); `imlab bench` and
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

use crate::{GpuContext, GpuError, GpuNeighbors, GpuTrainer, MemberSteps, Result, TrainerSetup};

/// GPU steps per member of the side-by-side rows: at 32 members this is 32 times the samples of
/// one training, so fewer steps than `gpu_steps` keep the run short on a software adapter.
const SIDE_BY_SIDE_STEPS: usize = 200;

/// Sizes of the benchmark; the defaults are the ones the project reports.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Training rows of the synthetic data sets.
    pub train_rows: usize,
    pub batch: usize,
    pub cpu_steps: usize,
    /// GPU steps, all in one submission.
    pub gpu_steps: usize,
    /// Member counts of the side-by-side rows (2-32-32-2 MLP, `batch`), each at most
    /// [`crate::MAX_MEMBERS`]; empty: no such rows.
    pub side_by_side_members: Vec<usize>,
    /// GPU steps of every member in the side-by-side rows, all in one submission. On the CPU each
    /// of the trainings runs `cpu_steps`.
    pub side_by_side_steps: usize,
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
            side_by_side_members: vec![1, 8, 32],
            side_by_side_steps: SIDE_BY_SIDE_STEPS,
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
    let mut per_step = Vec::new();
    let mut dispatches = 0;
    for &m in &o.side_by_side_members {
        let r = side_by_side_training(ctx, o, m)?;
        let name = format!(
            "train 2-32-32-2, batch {}, {m} side by side (CPU: {m} in turn, 1 thread)",
            o.batch
        );
        rows.push(Row::rate(name, "samples/s", r.cpu, r.gpu));
        per_step.push((m, r.gpu_step_s));
        dispatches = r.dispatches_per_step;
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
    if !per_step.is_empty() {
        out.push('\n');
        out.push_str(&side_by_side_notes(&per_step, dispatches));
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
    let batches = batch_rows(&mut rng, o.train_rows, o.batch, steps);
    let scalars: Vec<_> = (1..=steps as u64).map(|t| opt.scalars(t)).collect();
    let state = fresh_state(&mlp, &opt);
    let mut trainer =
        GpuTrainer::from_setup(ctx, &mlp_setup(&mlp, &opt, o.batch, (&x, &y), &state))?;
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

/// `steps` mini-batches of `batch` row indices, step-major: a fresh permutation of the `n` rows
/// each epoch, the last partial batch dropped.
fn batch_rows(rng: &mut Rng, n: usize, batch: usize, steps: usize) -> Vec<u32> {
    let per_epoch = (n / batch).max(1);
    (0..steps.div_ceil(per_epoch))
        .flat_map(|e| rng.fork("epoch", e as u64).permutation(n))
        .map(|i| i as u32)
        .collect::<Vec<_>>()
        .chunks(batch)
        .filter(|c| c.len() == batch)
        .take(steps)
        .flatten()
        .copied()
        .collect()
}

/// One side-by-side row: samples per second summed over the members, and the GPU's wall-clock
/// seconds per step (all members).
struct SideBySideRate {
    cpu: f64,
    gpu: f64,
    gpu_step_s: f64,
    dispatches_per_step: usize,
}

/// `members` trainings of the 2-32-32-2 MLP on the same rows, each with its own initial weights and
/// batch order: on the GPU side by side in one trainer (`side_by_side_steps` steps of every member
/// in one submission, one dispatch per kernel and step for all of them), on the CPU path one after
/// another on one thread (`cpu_steps` each), which is how the engine runs several trainings.
fn side_by_side_training(
    ctx: &GpuContext,
    o: &BenchOptions,
    members: usize,
) -> Result<SideBySideRate> {
    let (d, k) = (2, 2);
    let mut rng = Rng::from_seed(2024);
    let (x, y) = synthetic(o.train_rows, d, k, &mut rng);
    let spec = ModelSpec {
        hidden: vec![32, 32],
        activation: Activation::Relu,
        ..ModelSpec::default()
    };
    let opt = OptimizerSpec::default();
    let steps = o.cpu_steps.max(o.side_by_side_steps);
    let scalars: Vec<_> = (1..=steps as u64).map(|t| opt.scalars(t)).collect();
    let mut runs: Vec<(Mlp, Vec<u32>)> = (0..members)
        .map(|m| {
            let mut r = rng.fork("member", m as u64);
            let mlp = Mlp::new(&spec, d, k, &mut r);
            let batches = batch_rows(&mut r, o.train_rows, o.batch, steps);
            (mlp, batches)
        })
        .collect();
    let states: Vec<TrainState> = runs.iter().map(|(mlp, _)| fresh_state(mlp, &opt)).collect();
    let setups: Vec<TrainerSetup<'_>> = runs
        .iter()
        .zip(&states)
        .map(|((mlp, _), state)| mlp_setup(mlp, &opt, o.batch, (&x, &y), state))
        .collect();
    let mut trainer = GpuTrainer::from_setups(ctx, &setups)?;
    let plans = |n: usize| -> Vec<MemberSteps> {
        runs.iter()
            .map(|(_, batches)| MemberSteps {
                batches: batches[..n * o.batch].to_vec(),
                scalars: scalars[..n].to_vec(),
            })
            .collect()
    };
    // Warm-up, as in `training`.
    trainer.run_side_by_side(&plans(2))?;
    pollster::block_on(trainer.read_member_losses())?;
    let n = o.side_by_side_steps;
    let timed = plans(n);
    let t = Instant::now();
    trainer.run_side_by_side(&timed)?;
    let losses = pollster::block_on(trainer.read_member_losses())?;
    let gpu_s = t.elapsed().as_secs_f64();
    // Every member must have taken every step: a figure for work not done would flatter the GPU.
    for (m, l) in losses.iter().enumerate() {
        if l.len() != n || l.iter().any(|v| !v.is_finite()) {
            return Err(GpuError::Readback(format!(
                "side-by-side member {m} returned {} finite losses for {n} steps",
                l.iter().filter(|v| v.is_finite()).count()
            )));
        }
    }
    let dispatches_per_step = trainer.dispatches_per_step();

    let t = Instant::now();
    for (mlp, batches) in &mut runs {
        let rows = &batches[..o.cpu_steps * o.batch];
        cpu_train(mlp, &opt, &x, &y, d, k, rows, o.batch);
    }
    let cpu_s = t.elapsed().as_secs_f64();
    let samples = |steps: usize| (members * steps * o.batch) as f64;
    Ok(SideBySideRate {
        cpu: samples(o.cpu_steps) / cpu_s,
        gpu: samples(n) / gpu_s,
        gpu_step_s: gpu_s / n as f64,
        dispatches_per_step,
    })
}

/// What the side-by-side rows mean and what bounds them: a straight line through the GPU's seconds
/// per step at the fewest and the most members splits a step into a part paid once whatever the
/// member count (submission, dispatch, each kernel's fixed latency) and a part each member adds
/// (its arithmetic and memory traffic).
fn side_by_side_notes(per_step: &[(usize, f64)], dispatches: usize) -> String {
    let mut out = format!(
        "Side by side: the GPU figure sums the samples/s of M trainings (own initial weights and \
         batch order) held by one trainer, {dispatches} dispatches per step whatever M (the member \
         is the grid's z), so what a step costs once is shared by all M. The CPU figure is the \
         same M trainings one after another on one engine thread (the CPU path trains one run per \
         thread).\n"
    );
    let first = per_step.iter().min_by_key(|p| p.0);
    let last = per_step.iter().max_by_key(|p| p.0);
    let (Some(&(m1, t1)), Some(&(m2, t2))) = (first, last) else {
        return out;
    };
    if m2 == m1 {
        return out;
    }
    let per_member = (t2 - t1) / (m2 - m1) as f64;
    let fixed = t1 - per_member * m1 as f64;
    let us = |s: f64| 1e6 * s;
    out.push_str(&format!(
        "GPU time per step ≈ {:.0} µs + {:.0} µs × M (line through M = {m1} and M = {m2}); ",
        us(fixed),
        us(per_member)
    ));
    let gain = t1 / m1 as f64 / (t2 / m2 as f64);
    if fixed <= 0.0 {
        out.push_str(&format!(
            "no part of a step is shared: the members' arithmetic bounds the figure ({gain:.1}x the \
             samples/s at M = {m2} as at M = {m1}).\n"
        ));
    } else {
        let share = 100.0 * fixed / t1;
        let bound = if share >= 50.0 {
            "a lone training is bound by the per-step overhead and leaves the adapter mostly idle, \
             which side by side fills"
        } else {
            "the members' arithmetic bounds the figure, so more members add little throughput"
        };
        out.push_str(&format!(
            "at M = {m1} the shared part is {share:.0}% of a step: {bound} ({gain:.1}x the \
             samples/s at M = {m2} as at M = {m1}).\n"
        ));
    }
    out
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

/// Step 0 of `mlp`: its initial parameters and a zero optimizer state.
fn fresh_state(mlp: &Mlp, opt: &OptimizerSpec) -> TrainState {
    TrainState {
        step: 0,
        params: mlp.params.clone(),
        opt_state: vec![0.0; mlp.n_params() * opt.state_per_param()],
    }
}

/// The trainer setup of a benchmark network on the rows `(x, y)`, from `state`.
fn mlp_setup<'a>(
    mlp: &'a Mlp,
    opt: &'a OptimizerSpec,
    batch: usize,
    (x, y): (&'a [f32], &'a [usize]),
    state: &'a TrainState,
) -> TrainerSetup<'a> {
    TrainerSetup {
        layers: &mlp.layers,
        activation: mlp.activation,
        optimizer: opt,
        batch,
        train_x: x,
        train_y: y,
        n_features: mlp.layers.first().map_or(0, |l| l.fan_in),
        n_classes: mlp.layers.last().map_or(0, |l| l.fan_out),
        state,
        head: mlp.head,
        tau_normalization: None,
        prediction_scale: 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::side_by_side_notes;

    /// The notes name the bound the measured line implies, not a fixed sentence.
    #[test]
    fn notes_tell_overhead_bound_from_arithmetic_bound() {
        // A hardware GPU: a step costs about the same for 1 and 32 members.
        let idle = side_by_side_notes(&[(1, 200e-6), (8, 207e-6), (32, 231e-6)], 11);
        assert!(idle.contains("11 dispatches per step"), "{idle}");
        assert!(idle.contains("199 µs + 1 µs × M"), "{idle}");
        assert!(idle.contains("per-step overhead"), "{idle}");
        assert!(idle.contains("27.7x the samples/s at M = 32"), "{idle}");
        // A software adapter: every member adds nearly a whole step.
        let busy = side_by_side_notes(&[(32, 46e-3), (1, 1.8e-3)], 11);
        assert!(busy.contains("line through M = 1 and M = 32"), "{busy}");
        assert!(busy.contains("arithmetic bounds"), "{busy}");
        // Costs growing faster than M: nothing is shared.
        let worse = side_by_side_notes(&[(1, 1e-3), (2, 3e-3)], 11);
        assert!(worse.contains("no part of a step is shared"), "{worse}");
        // One member count: no line to draw.
        let one = side_by_side_notes(&[(4, 1e-3)], 11);
        assert!(!one.contains("line through"), "{one}");
    }
}
