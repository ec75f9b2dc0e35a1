//! `GpuTrainer`: the engine's mini-batch training loop (forward with a linear or cosine head, the
//! loss gradient of every loss with a `GpuLossForm`, backward, Adam / AdamW / SGD with or without
//! Nesterov momentum over the trainable range) as compute kernels, with the training data, the
//! parameters and the optimizer state resident on the GPU.
//!
//! [`GpuTrainer::run_steps`] encodes a whole run of steps in one submission: the batch rows of every
//! step go into one index buffer, the per-step optimizer scalars into a step table read through a
//! dynamic uniform offset, so nothing is read back until [`GpuTrainer::read_state`] or
//! [`GpuTrainer::read_losses`] is awaited. The batches and scalars come from the engine
//! (`Experiment::batch_indices`, `OptimizerSpec::scalars`), so both paths see the same schedule.
//!
//! The loss and the trainable range are constant within a submission and re-written between them:
//! [`next_boundary`] says where a run of steps must end (the DRW switch, the second stage), and
//! [`GpuTrainer::run_segment`] cuts runs there. At the stage boundary the engine changes the state
//! (cRT re-initialises the output layer, the optimizer state restarts over the output layer), so the
//! caller adopts the GPU state and then calls [`GpuTrainer::sync`].
//!
//! Unlike the CPU path, a step that produces non-finite numbers is not undone on the GPU;
//! `Experiment::adopt` rejects such a state and keeps the last good CPU one.

use std::future::Future;
use std::ops::Range;

use imlab_engine::experiment::TrainState;
use imlab_engine::loss::{AnyLossMetric, GpuOutput, Loss, Reduction};
use imlab_engine::model::{Activation, Head, LayerShape};
use imlab_engine::optim::{OptimizerSpec, StepScalars};
use imlab_engine::Experiment;

use crate::context::GpuContext;
use crate::error::{GpuError, Result};
use crate::ops::uniforms::{binding, head, table_bytes, HyperUniform, InputMode, StepUniform};
use crate::ops::uniforms::{LayerUniform, MAX_CLASSES};
use crate::ops::{self, dispatch_nn, grid_1d, optim, Kernel};
use crate::plan::{u32_of, NetPlan};

/// The engine's schedule for steps `from .. from + n` (0-based): their batch rows, step-major, and
/// their optimizer scalars (update numbers `from + 1 ..`), ready for [`GpuTrainer::run_steps`].
/// `from` is normally [`GpuTrainer::step`], which runs ahead of `Experiment::step` until the state
/// is adopted.
pub fn schedule(exp: &mut Experiment, from: u64, n: usize) -> (Vec<u32>, Vec<StepScalars>) {
    let end = from + n as u64;
    let batches = (from..end).flat_map(|s| exp.batch_indices(s)).collect();
    let scalars = (from..end).map(|s| exp.step_scalars(s)).collect();
    (batches, scalars)
}

/// The first step after `from` at which the GPU must stop and re-read the experiment: the step the
/// loss changes (deferred re-weighting) or the second stage starts. `None`: no change ahead. A run
/// `from .. b` may be one submission; at `b` re-upload the loss ([`GpuTrainer::run_segment`] does),
/// and at the stage boundary adopt the state and [`GpuTrainer::sync`].
pub fn next_boundary(exp: &Experiment, from: u64) -> Option<u64> {
    let plan = exp.plan();
    let stage = exp.stage_boundary();
    let drw = plan.drw_start.filter(|&d| stage.is_none_or(|s| d < s));
    [drw, stage]
        .into_iter()
        .flatten()
        .filter(|&b| b > from)
        .min()
}

/// Everything a trainer is built from; [`GpuTrainer::new`] takes it from an `Experiment`.
pub struct TrainerSetup<'a> {
    /// Layer shapes and offsets in the flat parameter vector (`Mlp::layers`).
    pub layers: &'a [LayerShape],
    pub activation: Activation,
    pub optimizer: &'a OptimizerSpec,
    pub batch: usize,
    /// Training rows, row-major `n × n_features`.
    pub train_x: &'a [f32],
    pub train_y: &'a [usize],
    pub n_features: usize,
    pub n_classes: usize,
    /// Starting parameters, optimizer state and step count.
    pub state: &'a TrainState,
    /// Output layer form (`Mlp::head`).
    pub head: Head,
    /// τ of the τ-normalised prediction (`ExperimentConfig::tau_normalization`).
    pub tau_normalization: Option<f32>,
    /// Logit factor before the prediction softmax (`Loss::prediction_scale`).
    pub prediction_scale: f32,
}

pub(crate) struct Kernels {
    pub(crate) forward: Kernel,
    backward: ops::backward::Backward,
    xent: ops::softmax_xent::SoftmaxXent,
    batch_loss: ops::batch_loss::BatchLoss,
    optim: Kernel,
    pub(crate) softmax: Kernel,
    pub(crate) uniform_layout: wgpu::BindGroupLayout,
}

/// Bind groups of a training step; rebuilt when the batch buffers grow.
struct TrainGroups {
    forward: wgpu::BindGroup,
    grad_weights: wgpu::BindGroup,
    backprop: wgpu::BindGroup,
    xent: wgpu::BindGroup,
    reduce: wgpu::BindGroup,
    batch_stats: wgpu::BindGroup,
    batch_grad: wgpu::BindGroup,
    optim: wgpu::BindGroup,
    uniforms: wgpu::BindGroup,
}

pub struct GpuTrainer {
    pub(crate) ctx: GpuContext,
    pub(crate) kernels: Kernels,
    pub(crate) layer_stride: u64,
    pub(crate) step_stride: u64,
    pub(crate) n_features: usize,
    pub(crate) n_classes: usize,
    pub(crate) layers: Vec<LayerShape>,
    pub(crate) activation: Activation,
    pub(crate) head: Head,
    pub(crate) tau: Option<f32>,
    hyper_host: HyperUniform,
    labels: Vec<u32>,
    /// Class weights and reduction of the current loss (the per-step denominators).
    loss_weights: Vec<f64>,
    reduction: Reduction,
    /// The loss needs sums over the whole batch (batch soft Dice, AnyLoss): `batch_loss.wgsl`.
    batch_level_loss: bool,
    state_per_param: usize,
    n_params: usize,
    n_train: usize,
    batch: usize,
    step: u64,
    pending_losses: usize,
    steps_capacity: usize,
    loss_capacity: usize,
    x: wgpu::Buffer,
    y: wgpu::Buffer,
    pub(crate) params: wgpu::Buffer,
    grads: wgpu::Buffer,
    opt_state: wgpu::Buffer,
    opt_floats: usize,
    train_range: Range<usize>,
    work: wgpu::Buffer,
    row_index: wgpu::Buffer,
    losses: wgpu::Buffer,
    layer_table: wgpu::Buffer,
    step_table: wgpu::Buffer,
    pub(crate) hyper: wgpu::Buffer,
    groups: TrainGroups,
    pub(crate) predictor: Option<crate::predict::Predictor>,
}

impl GpuTrainer {
    /// Uploads the experiment's (resampled) training set, its model parameters and optimizer state.
    /// Uploads every stage's training rows (`Experiment::train_x`), and takes the loss and the
    /// trainable range of the experiment's current step.
    pub fn new(ctx: &GpuContext, exp: &Experiment) -> Result<GpuTrainer> {
        supported(exp)?;
        let state = exp.state();
        let model = exp.model();
        let mut t = Self::from_setup(
            ctx,
            &TrainerSetup {
                layers: &model.layers,
                activation: model.activation,
                optimizer: &exp.config().optimizer,
                batch: exp.batch_size(),
                train_x: exp.train_x(),
                train_y: exp.train_y(),
                n_features: exp.resampled.data.n_features,
                n_classes: exp.resampled.data.n_classes,
                state: &TrainState {
                    opt_state: vec![
                        0.0;
                        model.n_params() * exp.config().optimizer.state_per_param()
                    ],
                    ..state.clone()
                },
                head: model.head,
                tau_normalization: exp.config().tau_normalization,
                prediction_scale: exp.loss().prediction_scale() as f32,
            },
        )?;
        t.sync(exp)?;
        Ok(t)
    }

    /// Takes the experiment's current state, and the loss and trainable range of its current step
    /// (after `Experiment::adopt`, in particular at the stage boundary).
    pub fn sync(&mut self, exp: &Experiment) -> Result<()> {
        let step = exp.step();
        self.set_loss(exp.loss_at(step))?;
        self.set_trainable(exp.trainable_range(step))?;
        self.load_state(&exp.state())
    }

    /// Runs up to `max_steps` steps of `exp`'s schedule from [`Self::step`], in one submission that
    /// stops at [`next_boundary`], with the loss of those steps. Returns the steps run (0 when the
    /// trainer stands at the stage boundary with stage-1 state: adopt it, then [`Self::sync`]).
    pub fn run_segment(&mut self, exp: &mut Experiment, max_steps: usize) -> Result<usize> {
        let from = self.step;
        let range = exp.trainable_range(from);
        if range != self.train_range {
            return Ok(0);
        }
        let n =
            next_boundary(exp, from).map_or(max_steps as u64, |b| (b - from).min(max_steps as u64));
        if n == 0 {
            return Ok(0);
        }
        self.set_loss(exp.loss_at(from))?;
        let (batches, scalars) = schedule(exp, from, n as usize);
        self.run_steps(n as usize, &batches, &scalars)?;
        Ok(n as usize)
    }

    /// Uses `loss` from the next submission on.
    pub fn set_loss(&mut self, loss: &Loss) -> Result<()> {
        let Some(form) = loss.gpu_form() else {
            return Err(GpuError::Unsupported(format!("the {} loss", loss.name())));
        };
        if form.class_weights.len() != self.n_classes {
            return Err(GpuError::InvalidInput(format!(
                "the loss has {} classes, the model {}",
                form.class_weights.len(),
                self.n_classes
            )));
        }
        let h = &mut self.hyper_host;
        (
            h.loss_output,
            h.loss_alpha,
            h.loss_beta,
            h.loss_eps,
            h.loss_metric,
        ) = match form.output {
            GpuOutput::Softmax => (0, 0.0, 0.0, 0.0, 0),
            GpuOutput::Sigmoid => (1, 0.0, 0.0, 0.0, 0),
            GpuOutput::SelfAdjustingDice { alpha, .. } => (2, alpha, 0.0, 0.0, 0),
            GpuOutput::BatchSoftDice { .. } => (3, 0.0, 0.0, 0.0, 0),
            GpuOutput::AnyLoss {
                metric,
                beta,
                amplifier,
                eps,
            } => (4, amplifier, beta, eps, anyloss_metric_code(metric)),
        };
        self.batch_level_loss = form.output.is_batch_level();
        h.has_alpha = u32::from(form.sigmoid_alpha.is_some());
        h.sigmoid_alpha = form.sigmoid_alpha.unwrap_or(0.0);
        h.loss_scale = form.scale;
        h.loss_gamma = match form.output {
            GpuOutput::SelfAdjustingDice { gamma, .. } | GpuOutput::BatchSoftDice { gamma } => {
                gamma
            }
            _ => form.gamma,
        };
        h.loss_smoothing = form.label_smoothing;
        h.w_total = form.class_weights.iter().sum();
        h.class_terms = [[0.0; 4]; MAX_CLASSES];
        for c in 0..self.n_classes {
            h.class_terms[c] = [
                form.class_weights[c],
                form.logit_offsets[c],
                form.margins[c],
                0.0,
            ];
        }
        self.loss_weights = match loss.class_weights() {
            Some(w) => w.to_vec(),
            None => form.class_weights.iter().map(|&w| f64::from(w)).collect(),
        };
        self.reduction = form.reduction;
        self.write_hyper();
        Ok(())
    }

    /// Restricts the optimizer to `range` of the parameters (the output layer in stage 2); the
    /// optimizer state then covers that range only ([`Self::load_state`] takes it).
    pub fn set_trainable(&mut self, range: Range<usize>) -> Result<()> {
        if range.start >= range.end || range.end > self.n_params {
            return Err(GpuError::InvalidInput(format!(
                "trainable range {range:?} is not inside the {} parameters",
                self.n_params
            )));
        }
        self.hyper_host.train_lo = u32_of(range.start)?;
        self.hyper_host.train_hi = u32_of(range.end)?;
        self.opt_floats = range.len() * self.state_per_param;
        self.train_range = range;
        self.write_hyper();
        Ok(())
    }

    fn write_hyper(&self) {
        self.ctx
            .queue
            .write_buffer(&self.hyper, 0, bytemuck::bytes_of(&self.hyper_host));
    }

    pub fn from_setup(ctx: &GpuContext, s: &TrainerSetup<'_>) -> Result<GpuTrainer> {
        let n_params = validate(s)?;
        let n_train = s.train_y.len();
        let plan = NetPlan::new(
            s.layers,
            s.activation,
            s.n_features,
            s.batch,
            InputMode::Gathered,
            true,
            head_code(s.head),
        )?;
        let uniform_layout = ops::uniform_layout(ctx);
        let kernels = Kernels {
            forward: ops::forward::kernel(ctx, &uniform_layout),
            backward: ops::backward::Backward::new(ctx, &uniform_layout),
            xent: ops::softmax_xent::SoftmaxXent::new(ctx, &uniform_layout),
            batch_loss: ops::batch_loss::BatchLoss::new(ctx, &uniform_layout),
            optim: optim::kernel(ctx, &uniform_layout, s.optimizer),
            softmax: ops::softmax::kernel(ctx, &uniform_layout),
            uniform_layout,
        };
        let labels: Vec<u32> = s.train_y.iter().map(|&c| c as u32).collect();
        let layer_stride = ctx.uniform_stride(size_of::<LayerUniform>() as u64);
        let step_stride = ctx.uniform_stride(size_of::<StepUniform>() as u64);
        let layer_table = ctx.uniform_zeroed("layer table", layer_stride * s.layers.len() as u64);
        ctx.queue
            .write_buffer(&layer_table, 0, &table_bytes(&plan.layers, layer_stride));
        let hyper = ctx.uniform_zeroed("hyper", size_of::<HyperUniform>() as u64);
        let hyper_host = hyper_uniform(s, n_params, plan.scratch_off)?;
        ctx.queue
            .write_buffer(&hyper, 0, bytemuck::bytes_of(&hyper_host));
        let steps_capacity = 64;
        let loss_capacity = 1024;
        let x = ctx.storage_from("train x", s.train_x)?;
        let y = ctx.storage_from("train y", &labels)?;
        let labels = labels.clone();
        let params = ctx.storage_from("params", &s.state.params)?;
        let grads = ctx.storage_zeroed("grads", 4 * n_params as u64)?;
        let opt_state = ctx.storage_from("optimizer state", &s.state.opt_state)?;
        let work = ctx.storage_zeroed("train workspace", 4 * plan.work_floats as u64)?;
        let row_index = ctx.storage_zeroed("batch rows", 4 * (steps_capacity * s.batch) as u64)?;
        let losses = ctx.storage_zeroed("losses", 4 * loss_capacity as u64)?;
        let step_table = ctx.uniform_zeroed("step table", step_stride * steps_capacity as u64);
        let groups = TrainGroups::new(
            ctx,
            &kernels,
            &x,
            &y,
            &params,
            &grads,
            &opt_state,
            &work,
            &row_index,
            &losses,
            &layer_table,
            &step_table,
            &hyper,
        );
        let k = s.n_classes;
        Ok(GpuTrainer {
            head: s.head,
            tau: s.tau_normalization,
            hyper_host,
            labels,
            loss_weights: vec![1.0; k],
            reduction: Reduction::WeightedMean,
            batch_level_loss: false,
            state_per_param: s.optimizer.state_per_param(),
            train_range: 0..n_params,
            ctx: ctx.clone(),
            kernels,
            layer_stride,
            step_stride,
            n_features: s.n_features,
            n_classes: s.n_classes,
            layers: s.layers.to_vec(),
            activation: s.activation,
            n_params,
            n_train,
            batch: s.batch,
            step: s.state.step,
            pending_losses: 0,
            steps_capacity,
            loss_capacity,
            x,
            y,
            params,
            grads,
            opt_floats: s.state.opt_state.len(),
            opt_state,
            work,
            row_index,
            losses,
            layer_table,
            step_table,
            hyper,
            groups,
            predictor: None,
        })
    }

    /// Steps taken so far (including those of the starting state).
    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn batch_size(&self) -> usize {
        self.batch
    }

    /// Encodes and submits `n` training steps in one submission. `batches` holds the `n × batch`
    /// training-row indices (step-major), `scalars` the optimizer scalars of each step (for steps
    /// `step()+1 … step()+n`). Returns without waiting for the GPU.
    pub fn run_steps(&mut self, n: usize, batches: &[u32], scalars: &[StepScalars]) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.check_batches(n, batches, scalars)?;
        self.ctx.check()?;
        let mut encoder = self.ctx.encoder("train steps");
        self.reserve(n, &mut encoder)?;
        let steps: Vec<StepUniform> = scalars[..n]
            .iter()
            .enumerate()
            .map(|(s, sc)| StepUniform {
                row_offset: (s * self.batch) as u32,
                rows: self.batch as u32,
                loss_slot: (self.pending_losses + s) as u32,
                _pad0: 0,
                lr: sc.lr,
                bias1: sc.bias1,
                bias2: sc.bias2,
                inv_denom: self.inv_denom(&batches[s * self.batch..(s + 1) * self.batch]),
            })
            .collect();
        let q = &self.ctx.queue;
        q.write_buffer(&self.row_index, 0, bytemuck::cast_slice(batches));
        q.write_buffer(&self.step_table, 0, &table_bytes(&steps, self.step_stride));
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("train steps"),
                timestamp_writes: None,
            });
            for s in 0..n {
                self.encode_step(&mut pass, (s as u64 * self.step_stride) as u32);
            }
        }
        self.ctx.submit(encoder);
        self.step += n as u64;
        self.pending_losses += n;
        Ok(())
    }

    /// 1 / D for a batch under the current loss's reduction, in f64 as the engine (0 if D = 0).
    fn inv_denom(&self, rows: &[u32]) -> f32 {
        let w = &self.loss_weights;
        let d: f64 = match self.reduction {
            Reduction::WeightedMean => rows
                .iter()
                .map(|&r| w[self.labels[r as usize] as usize])
                .sum(),
            Reduction::NonzeroWeights => rows
                .iter()
                .filter(|&&r| w[self.labels[r as usize] as usize] != 0.0)
                .count() as f64,
        };
        if d == 0.0 {
            0.0
        } else {
            (1.0 / d) as f32
        }
    }

    fn encode_step(&self, pass: &mut wgpu::ComputePass<'_>, so: u32) {
        let g = &self.groups;
        let k = &self.kernels;
        let lo = |l: usize| (l as u64 * self.layer_stride) as u32;
        let rows = self.batch;
        let last = self.layers.len() - 1;
        for (l, s) in self.layers.iter().enumerate() {
            let grid = grid_1d(ops::forward::threads(rows, s.fan_out));
            dispatch_nn(pass, &k.forward, &g.forward, &g.uniforms, lo(l), so, grid);
        }
        let grid = grid_1d(rows as u32);
        dispatch_nn(pass, &k.xent.grad, &g.xent, &g.uniforms, lo(last), so, grid);
        if self.batch_level_loss {
            let bl = &k.batch_loss;
            dispatch_nn(
                pass,
                &bl.stats,
                &g.batch_stats,
                &g.uniforms,
                lo(last),
                so,
                (1, 1),
            );
            dispatch_nn(
                pass,
                &bl.grad,
                &g.batch_grad,
                &g.uniforms,
                lo(last),
                so,
                grid,
            );
        } else {
            let reduce = &k.xent.reduce;
            dispatch_nn(pass, reduce, &g.reduce, &g.uniforms, lo(last), so, (1, 1));
        }
        for (l, s) in self.layers.iter().enumerate().rev() {
            let grid = grid_1d(ops::backward::grad_threads(s.fan_in, s.fan_out));
            let gw = &k.backward.grad_weights;
            dispatch_nn(pass, gw, &g.grad_weights, &g.uniforms, lo(l), so, grid);
            if l > 0 {
                let grid = grid_1d(ops::backward::delta_threads(rows, s.fan_in));
                let bd = &k.backward.backprop_delta;
                dispatch_nn(pass, bd, &g.backprop, &g.uniforms, lo(l), so, grid);
            }
        }
        let grid = grid_1d(self.train_range.len() as u32);
        dispatch_nn(pass, &k.optim, &g.optim, &g.uniforms, 0, so, grid);
    }

    fn check_batches(&self, n: usize, batches: &[u32], scalars: &[StepScalars]) -> Result<()> {
        if batches.len() != n * self.batch || scalars.len() < n {
            return Err(GpuError::InvalidInput(format!(
                "run_steps({n}) needs {} batch indices and {n} step scalars, got {} and {}",
                n * self.batch,
                batches.len(),
                scalars.len()
            )));
        }
        if let Some(bad) = batches.iter().find(|&&i| i as usize >= self.n_train) {
            return Err(GpuError::InvalidInput(format!(
                "batch row {bad} is outside the {} training rows",
                self.n_train
            )));
        }
        Ok(())
    }

    /// Grows the per-step buffers to hold `n` more steps (keeping unread losses).
    fn reserve(&mut self, n: usize, encoder: &mut wgpu::CommandEncoder) -> Result<()> {
        let mut rebuild = false;
        if n > self.steps_capacity {
            let cap = n.max(2 * self.steps_capacity);
            u32_of(cap * self.batch)?;
            self.row_index = self
                .ctx
                .storage_zeroed("batch rows", 4 * (cap * self.batch) as u64)?;
            self.step_table = self
                .ctx
                .uniform_zeroed("step table", self.step_stride * cap as u64);
            self.steps_capacity = cap;
            rebuild = true;
        }
        let needed = self.pending_losses + n;
        if needed > self.loss_capacity {
            let cap = needed.max(2 * self.loss_capacity);
            let grown = self.ctx.storage_zeroed("losses", 4 * cap as u64)?;
            if self.pending_losses > 0 {
                let bytes = 4 * self.pending_losses as u64;
                encoder.copy_buffer_to_buffer(
                    &self.losses,
                    0,
                    &grown,
                    0,
                    bytes.next_multiple_of(4),
                );
            }
            self.losses = grown;
            self.loss_capacity = cap;
            rebuild = true;
        }
        if rebuild {
            self.groups = TrainGroups::new(
                &self.ctx,
                &self.kernels,
                &self.x,
                &self.y,
                &self.params,
                &self.grads,
                &self.opt_state,
                &self.work,
                &self.row_index,
                &self.losses,
                &self.layer_table,
                &self.step_table,
                &self.hyper,
            );
        }
        Ok(())
    }

    /// Parameters, optimizer state and step count, as the engine's `Experiment::adopt` takes them.
    /// The returned future borrows nothing, so the trainer stays usable while it is awaited.
    pub fn read_state(&self) -> impl Future<Output = Result<TrainState>> + 'static {
        let rb = self.ctx.submit_with_readback(
            self.ctx.encoder("read state"),
            &[
                (&self.params, 0, 4 * self.n_params as u64),
                (&self.opt_state, 0, 4 * self.opt_floats as u64),
            ],
        );
        let step = self.step;
        async move {
            let mut parts = rb.f32s().await?.into_iter();
            let params = parts.next().unwrap_or_default();
            let opt_state = parts.next().unwrap_or_default();
            Ok(TrainState {
                step,
                params,
                opt_state,
            })
        }
    }

    /// Mean mini-batch loss of every step run since the last call, in step order.
    pub fn read_losses(&mut self) -> impl Future<Output = Result<Vec<f64>>> + 'static {
        let n = std::mem::take(&mut self.pending_losses);
        let rb = self.ctx.submit_with_readback(
            self.ctx.encoder("read losses"),
            &[(&self.losses, 0, 4 * n as u64)],
        );
        async move {
            let v = rb.f32s().await?.into_iter().next().unwrap_or_default();
            Ok(v.into_iter().map(f64::from).collect())
        }
    }

    /// Replaces parameters, optimizer state and step (e.g. after CPU steps or a reset). The
    /// optimizer state covers the trainable range ([`Self::set_trainable`]).
    pub fn load_state(&mut self, state: &TrainState) -> Result<()> {
        if state.params.len() != self.n_params || state.opt_state.len() != self.opt_floats {
            return Err(GpuError::InvalidInput(format!(
                "state has {} parameters and {} optimizer values; this trainer needs {} and {}",
                state.params.len(),
                state.opt_state.len(),
                self.n_params,
                self.opt_floats
            )));
        }
        let q = &self.ctx.queue;
        q.write_buffer(&self.params, 0, bytemuck::cast_slice(&state.params));
        if !state.opt_state.is_empty() {
            q.write_buffer(&self.opt_state, 0, bytemuck::cast_slice(&state.opt_state));
        }
        self.step = state.step;
        Ok(())
    }
}

impl TrainGroups {
    #[allow(clippy::too_many_arguments)]
    fn new(
        ctx: &GpuContext,
        k: &Kernels,
        x: &wgpu::Buffer,
        y: &wgpu::Buffer,
        params: &wgpu::Buffer,
        grads: &wgpu::Buffer,
        opt_state: &wgpu::Buffer,
        work: &wgpu::Buffer,
        row_index: &wgpu::Buffer,
        losses: &wgpu::Buffer,
        layer_table: &wgpu::Buffer,
        step_table: &wgpu::Buffer,
        hyper: &wgpu::Buffer,
    ) -> TrainGroups {
        let nn = [
            (binding::X, x),
            (binding::ROW_INDEX, row_index),
            (binding::PARAMS, params),
            (binding::WORK, work),
            (binding::GRADS, grads),
            (binding::LABELS, y),
            (binding::LOSSES, losses),
        ];
        TrainGroups {
            forward: k.forward.bind(ctx, &nn),
            grad_weights: k.backward.grad_weights.bind(ctx, &nn),
            backprop: k.backward.backprop_delta.bind(ctx, &nn),
            xent: k.xent.grad.bind(ctx, &nn),
            reduce: k.xent.reduce.bind(ctx, &nn),
            batch_stats: k.batch_loss.stats.bind(ctx, &nn),
            batch_grad: k.batch_loss.grad.bind(ctx, &nn),
            optim: k.optim.bind(
                ctx,
                &[
                    (optim::PARAMS, params),
                    (optim::GRADS, grads),
                    (optim::STATE, opt_state),
                ],
            ),
            uniforms: ops::uniform_bind_group(
                ctx,
                &k.uniform_layout,
                layer_table,
                step_table,
                hyper,
            ),
        }
    }
}

/// `Hyper.loss_metric` of `shaders/uniforms.wgsl`.
fn anyloss_metric_code(m: AnyLossMetric) -> u32 {
    match m {
        AnyLossMetric::Accuracy => 0,
        AnyLossMetric::FBeta => 1,
        AnyLossMetric::GMean => 2,
        AnyLossMetric::BalancedAccuracy => 3,
    }
}

fn head_code(h: Head) -> u32 {
    match h {
        Head::Linear => head::DENSE,
        Head::Cosine { .. } => head::COSINE,
    }
}

fn hyper_uniform(
    s: &TrainerSetup<'_>,
    n_params: usize,
    scratch_off: usize,
) -> Result<HyperUniform> {
    let mut h = HyperUniform {
        n_params: u32_of(n_params)?,
        scratch_off: u32_of(scratch_off)?,
        loss_output: 0,
        has_alpha: 0,
        beta1: 0.0,
        beta2: 0.0,
        eps: 0.0,
        weight_decay: 0.0,
        momentum: 0.0,
        loss_scale: 1.0,
        loss_gamma: 0.0,
        loss_smoothing: 0.0,
        sigmoid_alpha: 0.0,
        w_total: s.n_classes as f32,
        opt_variant: 0,
        loss_metric: 0,
        train_lo: 0,
        train_hi: u32_of(n_params)?,
        head_scale: match s.head {
            Head::Cosine { scale } => scale,
            Head::Linear => 1.0,
        },
        tau: s.tau_normalization.unwrap_or(0.0),
        pred_scale: s.prediction_scale,
        loss_alpha: 0.0,
        loss_beta: 0.0,
        loss_eps: 0.0,
        // Plain cross-entropy until `set_loss`: weight 1, no offset or margin for every class.
        class_terms: [[1.0, 0.0, 0.0, 0.0]; MAX_CLASSES],
    };
    match *s.optimizer {
        OptimizerSpec::Adam {
            beta1,
            beta2,
            eps,
            weight_decay,
            ..
        }
        | OptimizerSpec::AdamW {
            beta1,
            beta2,
            eps,
            weight_decay,
            ..
        } => {
            h.beta1 = beta1 as f32;
            h.beta2 = beta2 as f32;
            h.eps = eps as f32;
            h.weight_decay = weight_decay as f32;
            h.opt_variant = u32::from(matches!(s.optimizer, OptimizerSpec::AdamW { .. }));
        }
        OptimizerSpec::Sgd {
            momentum,
            weight_decay,
            nesterov,
            ..
        } => {
            h.momentum = momentum as f32;
            h.weight_decay = weight_decay as f32;
            h.opt_variant = u32::from(nesterov);
        }
    }
    Ok(h)
}

/// The settings the kernels implement so far; anything else is refused with a reason, so the caller
/// trains on the CPU path instead of getting different numbers.
pub fn supported(exp: &Experiment) -> Result<()> {
    let k = exp.data.n_classes;
    if k > MAX_CLASSES {
        return Err(GpuError::Unsupported(format!(
            "training with {k} classes (the GPU kernels hold at most {MAX_CLASSES})"
        )));
    }
    let mut steps = vec![0];
    steps.extend(exp.plan().drw_start);
    steps.extend(exp.stage_boundary());
    for s in steps {
        let loss = exp.loss_at(s);
        if loss.gpu_form().is_none() {
            return Err(GpuError::Unsupported(format!("the {} loss", loss.name())));
        }
    }
    Ok(())
}

/// Checks the setup's shapes; returns the parameter count.
fn validate(s: &TrainerSetup<'_>) -> Result<usize> {
    let bad = |m: String| Err(GpuError::InvalidInput(m));
    let Some(last) = s.layers.last() else {
        return bad("the model has no layers".into());
    };
    if s.n_classes < 2 || s.n_classes > MAX_CLASSES || last.fan_out != s.n_classes {
        return bad(format!(
            "the GPU trainer handles 2 to {MAX_CLASSES} classes; the model has {} outputs for {} classes",
            last.fan_out, s.n_classes
        ));
    }
    if s.layers[0].fan_in != s.n_features {
        return bad(format!(
            "the model expects {} features, the data has {}",
            s.layers[0].fan_in, s.n_features
        ));
    }
    let n = s.train_y.len();
    if n == 0 || s.train_x.len() != n * s.n_features {
        return bad(format!(
            "training data: {} labels but {} feature values for {} features",
            n,
            s.train_x.len(),
            s.n_features
        ));
    }
    if let Some(c) = s.train_y.iter().find(|&&c| c >= s.n_classes) {
        return bad(format!(
            "label {c} is not below the {} classes",
            s.n_classes
        ));
    }
    if s.batch == 0 || s.batch > n {
        return bad(format!(
            "batch size {} must be 1 to {n} (training rows)",
            s.batch
        ));
    }
    let mut offset = 0;
    for (l, shape) in s.layers.iter().enumerate() {
        let chained = l == 0 || s.layers[l - 1].fan_out == shape.fan_in;
        if !chained
            || shape.w_offset != offset
            || shape.b_offset != offset + shape.fan_in * shape.fan_out
        {
            return bad(format!(
                "layer {l} does not follow the engine's parameter layout; rebuild the model"
            ));
        }
        offset = shape.b_offset + shape.fan_out;
    }
    let n_params = offset;
    if s.state.params.len() != n_params
        || s.state.opt_state.len() != n_params * s.optimizer.state_per_param()
    {
        return bad(format!(
            "state has {} parameters and {} optimizer values; the model needs {n_params} and {}",
            s.state.params.len(),
            s.state.opt_state.len(),
            n_params * s.optimizer.state_per_param()
        ));
    }
    Ok(n_params)
}
