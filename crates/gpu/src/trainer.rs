//! `GpuTrainer`: the engine's mini-batch training loop (forward, softmax cross-entropy gradient,
//! backward, Adam or SGD) as compute kernels, with the training data, the parameters and the
//! optimizer state resident on the GPU.
//!
//! [`GpuTrainer::run_steps`] encodes a whole run of steps in one submission: the batch rows of every
//! step go into one index buffer, the per-step optimizer scalars into a step table read through a
//! dynamic uniform offset, so nothing is read back until [`GpuTrainer::read_state`] or
//! [`GpuTrainer::read_losses`] is awaited. The batches and scalars come from the engine
//! (`Experiment::batch_indices`, `OptimizerSpec::scalars`), so both paths see the same schedule.
//!
//! Unlike the CPU path, a step that produces non-finite numbers is not undone on the GPU;
//! `Experiment::adopt` rejects such a state and keeps the last good CPU one.

use std::future::Future;

use imlab_engine::experiment::TrainState;
use imlab_engine::loss::LossSpec;
use imlab_engine::model::{Activation, Head, LayerShape};
use imlab_engine::optim::{OptimizerSpec, StepScalars};
use imlab_engine::Experiment;

use crate::context::GpuContext;
use crate::error::{GpuError, Result};
use crate::ops::uniforms::{binding, table_bytes, HyperUniform, InputMode, StepUniform};
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
}

pub(crate) struct Kernels {
    pub(crate) forward: Kernel,
    backward: ops::backward::Backward,
    xent: ops::softmax_xent::SoftmaxXent,
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
    pub fn new(ctx: &GpuContext, exp: &Experiment) -> Result<GpuTrainer> {
        supported(exp)?;
        let state = exp.state();
        let model = exp.model();
        Self::from_setup(
            ctx,
            &TrainerSetup {
                layers: &model.layers,
                activation: model.activation,
                optimizer: &exp.config().optimizer,
                batch: exp.batch_size(),
                train_x: exp.train_x(),
                train_y: &exp.resampled.data.y,
                n_features: exp.resampled.data.n_features,
                n_classes: exp.resampled.data.n_classes,
                state: &state,
            },
        )
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
        )?;
        let uniform_layout = ops::uniform_layout(ctx);
        let kernels = Kernels {
            forward: ops::forward::kernel(ctx, &uniform_layout),
            backward: ops::backward::Backward::new(ctx, &uniform_layout),
            xent: ops::softmax_xent::SoftmaxXent::new(ctx, &uniform_layout),
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
        ctx.queue.write_buffer(
            &hyper,
            0,
            bytemuck::bytes_of(&hyper_uniform(s.optimizer, n_params, plan.scratch_off)?),
        );
        let steps_capacity = 64;
        let loss_capacity = 1024;
        let x = ctx.storage_from("train x", s.train_x)?;
        let y = ctx.storage_from("train y", &labels)?;
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
        Ok(GpuTrainer {
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
                _pad1: 0.0,
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
        dispatch_nn(
            pass,
            &k.xent.reduce,
            &g.reduce,
            &g.uniforms,
            lo(last),
            so,
            (1, 1),
        );
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
        let grid = grid_1d(self.n_params as u32);
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

    /// Replaces parameters, optimizer state and step (e.g. after CPU steps or a reset).
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

fn hyper_uniform(
    spec: &OptimizerSpec,
    n_params: usize,
    scratch_off: usize,
) -> Result<HyperUniform> {
    let mut h = HyperUniform {
        n_params: u32_of(n_params)?,
        scratch_off: u32_of(scratch_off)?,
        _p0: 0,
        _p1: 0,
        beta1: 0.0,
        beta2: 0.0,
        eps: 0.0,
        weight_decay: 0.0,
        momentum: 0.0,
        _f0: 0.0,
        _f1: 0.0,
        _f2: 0.0,
        // Plain cross-entropy: weight 1, no logit offset for every class.
        class_terms: [[1.0, 0.0, 0.0, 0.0]; MAX_CLASSES],
    };
    match *spec {
        OptimizerSpec::Adam {
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
        }
        OptimizerSpec::Sgd {
            momentum,
            weight_decay,
            nesterov: false,
            ..
        } => {
            h.momentum = momentum as f32;
            h.weight_decay = weight_decay as f32;
        }
        _ => {
            return Err(GpuError::Unsupported(format!(
                "the {} optimizer",
                spec.name()
            )))
        }
    }
    Ok(h)
}

/// The settings the kernels implement so far; anything else is refused with a reason, so the caller
/// trains on the CPU path instead of getting different numbers.
pub fn supported(exp: &Experiment) -> Result<()> {
    let c = exp.config();
    let no = |what: &str| Err(GpuError::Unsupported(what.to_string()));
    if !matches!(c.loss, LossSpec::CrossEntropy) {
        return no(&format!("the {} loss", c.loss.name()));
    }
    if !matches!(c.model.head, Head::Linear) {
        return no("the cosine classifier head");
    }
    match c.optimizer {
        OptimizerSpec::Adam { .. }
        | OptimizerSpec::Sgd {
            nesterov: false, ..
        } => {}
        _ => return no(&format!("the {} optimizer", c.optimizer.name())),
    }
    if c.schedule.drw.is_some() || c.schedule.second_stage.is_some() {
        return no("deferred re-weighting and two-stage training");
    }
    if c.tau_normalization.is_some() {
        return no("tau-normalization");
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
