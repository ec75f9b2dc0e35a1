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

use imlab_engine::experiment::{SecondStageMethod, TaskKind, TrainState};
use imlab_engine::loss::{AnyLossMetric, GpuOutput, Loss, Reduction};
use imlab_engine::model::{Activation, Head, LayerShape};
use imlab_engine::optim::{OptimizerSpec, StepScalars};
use imlab_engine::Experiment;

use crate::context::GpuContext;
use crate::error::{GpuError, Result};
use crate::ops::uniforms::{binding, head, table_bytes, HyperUniform, InputMode, StepUniform};
use crate::ops::uniforms::{LayerUniform, MAX_CLASSES, MAX_MEMBERS};
use crate::ops::{self, grid_1d, optim, Kernel, NnStep};
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

/// One of the networks a trainer holds (see [`GpuTrainer::side_by_side`]): its loss, trainable range
/// and step count, and where its training rows start in the shared data buffers.
struct Member {
    hyper: HyperUniform,
    /// First row of this member's training set in `x` / `labels`.
    row_base: u32,
    n_train: usize,
    /// Class weights and reduction of the current loss (the per-step denominators).
    loss_weights: Vec<f64>,
    reduction: Reduction,
    /// The loss needs sums over the whole batch (batch soft Dice, AnyLoss): `batch_loss.wgsl`.
    batch_level_loss: bool,
    train_range: Range<usize>,
    opt_floats: usize,
    step: u64,
    /// For each step submitted since the last loss readback: whether this member took it.
    took: Vec<bool>,
}

/// The steps one member takes in a side-by-side submission: `scalars.len()` steps (a prefix of the
/// submission; the member sits the rest out), their batch rows step-major.
pub struct MemberSteps {
    pub batches: Vec<u32>,
    pub scalars: Vec<StepScalars>,
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
    members: Vec<Member>,
    /// Every member's training labels, at its `row_base`.
    labels: Vec<u32>,
    state_per_param: usize,
    n_params: usize,
    batch: usize,
    /// Steps submitted since the last loss readback (each has a loss slot per member).
    pending_steps: usize,
    steps_capacity: usize,
    /// Loss slots, in steps.
    loss_capacity: usize,
    x: wgpu::Buffer,
    y: wgpu::Buffer,
    pub(crate) params: wgpu::Buffer,
    grads: wgpu::Buffer,
    opt_state: wgpu::Buffer,
    work: wgpu::Buffer,
    row_index: wgpu::Buffer,
    losses: wgpu::Buffer,
    layer_table: wgpu::Buffer,
    step_table: wgpu::Buffer,
    pub(crate) hyper: wgpu::Buffer,
    groups: TrainGroups,
    pub(crate) predictor: Option<crate::predict::Predictor>,
    /// Dispatches per step of the last submission (what `encode_step` recorded).
    dispatches_per_step: usize,
}

impl GpuTrainer {
    /// Uploads the experiment's (resampled) training set, its model parameters and optimizer state.
    /// Uploads every stage's training rows (`Experiment::train_x`), and takes the loss and the
    /// trainable range of the experiment's current step.
    pub fn new(ctx: &GpuContext, exp: &Experiment) -> Result<GpuTrainer> {
        Self::side_by_side(ctx, &[exp])
    }

    /// A trainer for several experiments side by side: every optimizer step of all of them is one
    /// dispatch per kernel (the member is the grid's z). They may differ in seed, split, sampler,
    /// loss, schedule and optimizer settings, but share the network's shape, the optimizer family
    /// (Adam/AdamW or SGD), the batch size and the output-layer form; [`compatible`] says whether two
    /// can. At most [`MAX_MEMBERS`].
    pub fn side_by_side(ctx: &GpuContext, exps: &[&Experiment]) -> Result<GpuTrainer> {
        for exp in exps {
            supported(exp)?;
        }
        let setups: Vec<(TrainState, &Experiment)> = exps
            .iter()
            .map(|exp| {
                let spp = exp.config().optimizer.state_per_param();
                let state = TrainState {
                    opt_state: vec![0.0; exp.model().n_params() * spp],
                    ..exp.state()
                };
                (state, *exp)
            })
            .collect();
        let setups: Vec<TrainerSetup<'_>> = setups
            .iter()
            .map(|(state, exp)| setup_of(exp, state))
            .collect();
        let mut t = Self::from_setups(ctx, &setups)?;
        for (m, exp) in exps.iter().enumerate() {
            t.sync_member(m, exp)?;
        }
        Ok(t)
    }

    /// Members side by side (1 for [`GpuTrainer::new`]).
    pub fn members(&self) -> usize {
        self.members.len()
    }

    /// Takes the experiment's current state, and the loss and trainable range of its current step
    /// (after `Experiment::adopt`, in particular at the stage boundary).
    pub fn sync(&mut self, exp: &Experiment) -> Result<()> {
        self.single()?;
        self.sync_member(0, exp)
    }

    /// [`Self::sync`] for member `m`.
    pub fn sync_member(&mut self, m: usize, exp: &Experiment) -> Result<()> {
        let step = exp.step();
        self.set_member_loss(m, exp.loss_at(step))?;
        self.set_member_trainable(m, exp.trainable_range(step))?;
        self.load_member_state(m, &exp.state())
    }

    /// Runs up to `max_steps` steps of `exp`'s schedule from [`Self::step`], in one submission that
    /// stops at [`next_boundary`], with the loss of those steps. Returns the steps run (0 when the
    /// trainer stands at the stage boundary with stage-1 state: adopt it, then [`Self::sync`]).
    pub fn run_segment(&mut self, exp: &mut Experiment, max_steps: usize) -> Result<usize> {
        self.single()?;
        let Some(plan) = self.member_plan(0, exp, max_steps, u64::MAX)? else {
            return Ok(0);
        };
        let n = plan.scalars.len();
        self.run_side_by_side(&[plan])?;
        Ok(n)
    }

    /// [`Self::run_segment`] for every member, in one submission: member `m` runs up to `max_steps`
    /// steps of `exps[m]`'s schedule, stopping at its [`next_boundary`] and at the end of its run
    /// (`Experiment::plan().total_steps()`). Returns the steps each member ran; a member that ran 0
    /// has finished or stands at its stage boundary (adopt its state, then [`Self::sync_member`]).
    pub fn run_segments(
        &mut self,
        exps: &mut [Experiment],
        max_steps: usize,
    ) -> Result<Vec<usize>> {
        let none = vec![false; exps.len()];
        self.run_segments_except(exps, max_steps, &none)
    }

    /// [`Self::run_segments`], with the members marked in `skip` sitting the submission out.
    pub(crate) fn run_segments_except(
        &mut self,
        exps: &mut [Experiment],
        max_steps: usize,
        skip: &[bool],
    ) -> Result<Vec<usize>> {
        if exps.len() != self.members.len() || skip.len() != exps.len() {
            return Err(GpuError::InvalidInput(format!(
                "{} experiments for {} members",
                exps.len(),
                self.members.len()
            )));
        }
        let mut plans = Vec::with_capacity(exps.len());
        for (m, exp) in exps.iter_mut().enumerate() {
            let end = exp.plan().total_steps();
            let plan = match skip[m] {
                true => None,
                false => self.member_plan(m, exp, max_steps, end)?,
            };
            plans.push(plan.unwrap_or(MemberSteps {
                batches: Vec::new(),
                scalars: Vec::new(),
            }));
        }
        let ran = plans.iter().map(|p| p.scalars.len()).collect();
        self.run_side_by_side(&plans)?;
        Ok(ran)
    }

    /// Member `m`'s next run of steps (at most `max_steps`, up to its next boundary and `end`), with
    /// its loss set; `None` when it has none to run now.
    fn member_plan(
        &mut self,
        m: usize,
        exp: &mut Experiment,
        max_steps: usize,
        end: u64,
    ) -> Result<Option<MemberSteps>> {
        let from = self.members[m].step;
        if exp.trainable_range(from) != self.members[m].train_range || from >= end {
            return Ok(None);
        }
        let limit = next_boundary(exp, from).unwrap_or(u64::MAX).min(end);
        let n = (limit - from).min(max_steps as u64) as usize;
        if n == 0 {
            return Ok(None);
        }
        self.set_member_loss(m, exp.loss_at(from))?;
        let (batches, scalars) = schedule(exp, from, n);
        Ok(Some(MemberSteps { batches, scalars }))
    }

    /// Uses `loss` from the next submission on.
    pub fn set_loss(&mut self, loss: &Loss) -> Result<()> {
        self.single()?;
        self.set_member_loss(0, loss)
    }

    /// [`Self::set_loss`] for member `m`.
    pub fn set_member_loss(&mut self, m: usize, loss: &Loss) -> Result<()> {
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
        let n_classes = self.n_classes;
        let member = self.member_mut(m)?;
        let h = &mut member.hyper;
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
        for c in 0..n_classes {
            h.class_terms[c] = [
                form.class_weights[c],
                form.logit_offsets[c],
                form.margins[c],
                0.0,
            ];
        }
        member.batch_level_loss = form.output.is_batch_level();
        member.loss_weights = match loss.class_weights() {
            Some(w) => w.to_vec(),
            None => form.class_weights.iter().map(|&w| f64::from(w)).collect(),
        };
        member.reduction = form.reduction;
        self.write_hyper(m);
        Ok(())
    }

    /// Restricts the optimizer to `range` of the parameters (the output layer in stage 2); the
    /// optimizer state then covers that range only ([`Self::load_state`] takes it).
    pub fn set_trainable(&mut self, range: Range<usize>) -> Result<()> {
        self.single()?;
        self.set_member_trainable(0, range)
    }

    /// [`Self::set_trainable`] for member `m`.
    pub fn set_member_trainable(&mut self, m: usize, range: Range<usize>) -> Result<()> {
        if range.start >= range.end || range.end > self.n_params {
            return Err(GpuError::InvalidInput(format!(
                "trainable range {range:?} is not inside the {} parameters",
                self.n_params
            )));
        }
        let spp = self.state_per_param;
        let member = self.member_mut(m)?;
        member.hyper.train_lo = u32_of(range.start)?;
        member.hyper.train_hi = u32_of(range.end)?;
        member.opt_floats = range.len() * spp;
        member.train_range = range;
        self.write_hyper(m);
        Ok(())
    }

    fn write_hyper(&self, m: usize) {
        let offset = (m * size_of::<HyperUniform>()) as u64;
        self.ctx.queue.write_buffer(
            &self.hyper,
            offset,
            bytemuck::bytes_of(&self.members[m].hyper),
        );
    }

    fn member_mut(&mut self, m: usize) -> Result<&mut Member> {
        let n = self.members.len();
        self.members
            .get_mut(m)
            .ok_or_else(|| GpuError::InvalidInput(format!("member {m} of {n}")))
    }

    /// The one-experiment methods need a trainer of one member.
    fn single(&self) -> Result<()> {
        if self.members.len() == 1 {
            Ok(())
        } else {
            Err(GpuError::InvalidInput(format!(
                "this trainer holds {} members side by side; use the per-member methods",
                self.members.len()
            )))
        }
    }

    pub fn from_setup(ctx: &GpuContext, s: &TrainerSetup<'_>) -> Result<GpuTrainer> {
        Self::from_setups(ctx, std::slice::from_ref(s))
    }

    /// A trainer of `setups.len()` members side by side (1 to [`MAX_MEMBERS`]); they must share the
    /// network's shape, the optimizer family, the batch size and the output-layer form.
    pub fn from_setups(ctx: &GpuContext, setups: &[TrainerSetup<'_>]) -> Result<GpuTrainer> {
        let Some(s) = setups.first() else {
            return Err(GpuError::InvalidInput("no experiments to train".into()));
        };
        if setups.len() > MAX_MEMBERS {
            return Err(GpuError::InvalidInput(format!(
                "{} trainings side by side; at most {MAX_MEMBERS} share a dispatch",
                setups.len()
            )));
        }
        let n_params = validate(s)?;
        for (m, other) in setups.iter().enumerate().skip(1) {
            validate(other)?;
            if let Some(why) = setup_mismatch(s, other) {
                return Err(GpuError::InvalidInput(format!(
                    "member {m} cannot train side by side with member 0: {why}"
                )));
            }
        }
        let members_n = setups.len();
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
        let spp = s.optimizer.state_per_param();
        let state_floats = n_params * spp;
        // Members with the same training set (the same split and sampler) share its rows.
        let mut x: Vec<f32> = Vec::new();
        let mut labels: Vec<u32> = Vec::new();
        let mut members = Vec::with_capacity(members_n);
        let mut params = Vec::with_capacity(members_n * n_params);
        let mut opt_state = vec![0.0f32; members_n * state_floats.max(1)];
        for (m, st) in setups.iter().enumerate() {
            let shared = setups[..m]
                .iter()
                .zip(&members)
                .find(|(o, _): &(&TrainerSetup<'_>, &Member)| {
                    o.train_y == st.train_y && o.train_x == st.train_x
                })
                .map(|(_, mem)| mem.row_base);
            let row_base = match shared {
                Some(b) => b,
                None => {
                    let b = u32_of(labels.len())?;
                    x.extend_from_slice(st.train_x);
                    labels.extend(st.train_y.iter().map(|&c| c as u32));
                    b
                }
            };
            let mut hyper = hyper_uniform(st, n_params, plan.scratch_off)?;
            hyper.members = members_n as u32;
            hyper.work_floats = u32_of(plan.work_floats)?;
            hyper.state_floats = u32_of(state_floats)?;
            params.extend_from_slice(&st.state.params);
            opt_state[m * state_floats..m * state_floats + st.state.opt_state.len()]
                .copy_from_slice(&st.state.opt_state);
            members.push(Member {
                hyper,
                row_base,
                n_train: st.train_y.len(),
                loss_weights: vec![1.0; st.n_classes],
                reduction: Reduction::WeightedMean,
                batch_level_loss: false,
                train_range: 0..n_params,
                opt_floats: st.state.opt_state.len(),
                step: st.state.step,
                took: Vec::new(),
            });
        }
        u32_of(x.len())?;
        u32_of(members_n * plan.work_floats)?;
        u32_of(members_n * state_floats)?;
        let layer_stride = ctx.uniform_stride(size_of::<LayerUniform>() as u64);
        let step_stride = ctx.uniform_stride(size_of::<StepUniform>() as u64);
        let layer_table = ctx.uniform_zeroed("layer table", layer_stride * s.layers.len() as u64);
        ctx.queue
            .write_buffer(&layer_table, 0, &table_bytes(&plan.layers, layer_stride));
        let hyper = ctx.uniform_zeroed("hyper", (size_of::<HyperUniform>() * MAX_MEMBERS) as u64);
        let hypers: Vec<HyperUniform> = members.iter().map(|m| m.hyper).collect();
        ctx.queue
            .write_buffer(&hyper, 0, bytemuck::cast_slice(&hypers));
        let steps_capacity = 64;
        let loss_capacity = 1024;
        let rows_per_step = members_n * s.batch;
        let x = ctx.storage_from("train x", &x)?;
        let y = ctx.storage_from("train y", &labels)?;
        let params = ctx.storage_from("params", &params)?;
        let grads = ctx.storage_zeroed("grads", 4 * (members_n * n_params) as u64)?;
        let opt_state = ctx.storage_from("optimizer state", &opt_state)?;
        let work =
            ctx.storage_zeroed("train workspace", 4 * (members_n * plan.work_floats) as u64)?;
        let row_index =
            ctx.storage_zeroed("batch rows", 4 * (steps_capacity * rows_per_step) as u64)?;
        let losses = ctx.storage_zeroed("losses", 4 * (loss_capacity * members_n) as u64)?;
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
            head: s.head,
            tau: s.tau_normalization,
            members,
            labels,
            state_per_param: spp,
            ctx: ctx.clone(),
            kernels,
            layer_stride,
            step_stride,
            n_features: s.n_features,
            n_classes: s.n_classes,
            layers: s.layers.to_vec(),
            activation: s.activation,
            n_params,
            batch: s.batch,
            pending_steps: 0,
            steps_capacity,
            loss_capacity,
            x,
            y,
            params,
            grads,
            opt_state,
            work,
            row_index,
            losses,
            layer_table,
            step_table,
            hyper,
            groups,
            predictor: None,
            dispatches_per_step: 0,
        })
    }

    /// Steps taken so far (including those of the starting state).
    pub fn step(&self) -> u64 {
        self.members[0].step
    }

    /// The parameters member `m`'s optimizer updates ([`Self::set_member_trainable`]).
    pub fn member_trainable(&self, m: usize) -> Range<usize> {
        self.members
            .get(m)
            .map_or(0..0, |mem| mem.train_range.clone())
    }

    /// [`Self::step`] of member `m`.
    pub fn member_step(&self, m: usize) -> u64 {
        self.members.get(m).map_or(0, |mem| mem.step)
    }

    pub fn batch_size(&self) -> usize {
        self.batch
    }

    /// Encodes and submits `n` training steps in one submission. `batches` holds the `n × batch`
    /// training-row indices (step-major), `scalars` the optimizer scalars of each step (for steps
    /// `step()+1 … step()+n`). Returns without waiting for the GPU.
    pub fn run_steps(&mut self, n: usize, batches: &[u32], scalars: &[StepScalars]) -> Result<()> {
        self.single()?;
        if batches.len() != n * self.batch || scalars.len() < n {
            return Err(GpuError::InvalidInput(format!(
                "run_steps({n}) needs {} batch indices and {n} step scalars, got {} and {}",
                n * self.batch,
                batches.len(),
                scalars.len()
            )));
        }
        self.run_side_by_side(&[MemberSteps {
            batches: batches.to_vec(),
            scalars: scalars[..n].to_vec(),
        }])
    }

    /// Encodes and submits one run of steps for every member, in one submission: as many steps as
    /// the longest member's plan, each one dispatch per kernel for all members; a member takes the
    /// first `plans[m].scalars.len()` of them and sits the rest out. Returns without waiting.
    pub fn run_side_by_side(&mut self, plans: &[MemberSteps]) -> Result<()> {
        let m_n = self.members.len();
        if plans.len() != m_n {
            return Err(GpuError::InvalidInput(format!(
                "{} step plans for {m_n} members",
                plans.len()
            )));
        }
        let n = plans.iter().map(|p| p.scalars.len()).max().unwrap_or(0);
        if n == 0 {
            return Ok(());
        }
        for (m, p) in plans.iter().enumerate() {
            self.check_batches(m, p)?;
        }
        self.ctx.check()?;
        let mut encoder = self.ctx.encoder("train steps");
        self.reserve(n, &mut encoder)?;
        let b = self.batch;
        let mut rows = Vec::with_capacity(n * m_n * b);
        let mut steps = Vec::with_capacity(n);
        for s in 0..n {
            let mut step = StepUniform {
                row_offset: u32_of(s * m_n * b)?,
                rows: b as u32,
                loss_slot: (self.pending_steps + s) as u32,
                ..StepUniform::default()
            };
            for (m, p) in plans.iter().enumerate() {
                let base = self.members[m].row_base;
                match p.scalars.get(s) {
                    Some(sc) => {
                        let batch = &p.batches[s * b..(s + 1) * b];
                        rows.extend(batch.iter().map(|&r| base + r));
                        step.takes_mask |= 1 << m;
                        step.scalars[m] = [sc.lr, sc.bias1, sc.bias2, self.inv_denom(m, batch)];
                    }
                    // Sits this step out: any valid rows, no update.
                    None => rows.extend(std::iter::repeat_n(base, b)),
                }
            }
            steps.push(step);
        }
        let q = &self.ctx.queue;
        q.write_buffer(&self.row_index, 0, bytemuck::cast_slice(&rows));
        q.write_buffer(&self.step_table, 0, &table_bytes(&steps, self.step_stride));
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("train steps"),
                timestamp_writes: None,
            });
            for s in 0..n {
                self.dispatches_per_step =
                    self.encode_step(&mut pass, (s as u64 * self.step_stride) as u32);
            }
        }
        self.ctx.submit(encoder);
        self.pending_steps += n;
        for (member, p) in self.members.iter_mut().zip(plans) {
            let k = p.scalars.len();
            member.step += k as u64;
            member.took.extend((0..n).map(|s| s < k));
        }
        Ok(())
    }

    /// 1 / D for member `m`'s batch under its loss's reduction, in f64 as the engine (0 if D = 0).
    fn inv_denom(&self, m: usize, rows: &[u32]) -> f32 {
        let member = &self.members[m];
        let w = &member.loss_weights;
        let label = |r: u32| self.labels[(member.row_base + r) as usize] as usize;
        let d: f64 = match member.reduction {
            Reduction::WeightedMean => rows.iter().map(|&r| w[label(r)]).sum(),
            Reduction::NonzeroWeights => {
                rows.iter().filter(|&&r| w[label(r)] != 0.0).count() as f64
            }
        };
        if d == 0.0 {
            0.0
        } else {
            (1.0 / d) as f32
        }
    }

    /// Records one step's dispatches for every member; returns how many.
    fn encode_step(&self, pass: &mut wgpu::ComputePass<'_>, so: u32) -> usize {
        let g = &self.groups;
        let k = &self.kernels;
        let nn = NnStep {
            uniforms: &g.uniforms,
            step_offset: so,
            members: self.members.len() as u32,
            dispatches: Default::default(),
        };
        let lo = |l: usize| (l as u64 * self.layer_stride) as u32;
        let rows = self.batch;
        let last = self.layers.len() - 1;
        for (l, s) in self.layers.iter().enumerate() {
            let grid = grid_1d(ops::forward::threads(rows, s.fan_out));
            nn.dispatch(pass, &k.forward, &g.forward, lo(l), grid);
        }
        let grid = grid_1d(rows as u32);
        nn.dispatch(pass, &k.xent.grad, &g.xent, lo(last), grid);
        // Members with batch-level losses and members with per-row ones may share a dispatch: each
        // kernel below leaves the other kind's members alone.
        if self.members.iter().any(|m| m.batch_level_loss) {
            let bl = &k.batch_loss;
            nn.dispatch(pass, &bl.stats, &g.batch_stats, lo(last), (1, 1));
            nn.dispatch(pass, &bl.grad, &g.batch_grad, lo(last), grid);
        }
        if self.members.iter().any(|m| !m.batch_level_loss) {
            nn.dispatch(pass, &k.xent.reduce, &g.reduce, lo(last), (1, 1));
        }
        for (l, s) in self.layers.iter().enumerate().rev() {
            let grid = grid_1d(ops::backward::grad_threads(s.fan_in, s.fan_out));
            let gw = &k.backward.grad_weights;
            nn.dispatch(pass, gw, &g.grad_weights, lo(l), grid);
            if l > 0 {
                let grid = grid_1d(ops::backward::delta_threads(rows, s.fan_in));
                let bd = &k.backward.backprop_delta;
                nn.dispatch(pass, bd, &g.backprop, lo(l), grid);
            }
        }
        let widest = self.members.iter().map(|m| m.train_range.len()).max();
        let grid = grid_1d(widest.unwrap_or(0) as u32);
        nn.dispatch(pass, &k.optim, &g.optim, 0, grid);
        nn.dispatches.get()
    }

    /// Dispatches the last submission recorded per step, for all members together (the
    /// benchmark's notes).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn dispatches_per_step(&self) -> usize {
        self.dispatches_per_step
    }

    fn check_batches(&self, m: usize, p: &MemberSteps) -> Result<()> {
        let member = &self.members[m];
        if p.batches.len() != p.scalars.len() * self.batch {
            return Err(GpuError::InvalidInput(format!(
                "member {m}: {} steps need {} batch indices, got {}",
                p.scalars.len(),
                p.scalars.len() * self.batch,
                p.batches.len()
            )));
        }
        if let Some(bad) = p.batches.iter().find(|&&i| i as usize >= member.n_train) {
            return Err(GpuError::InvalidInput(format!(
                "batch row {bad} is outside the {} training rows",
                member.n_train
            )));
        }
        Ok(())
    }

    /// Grows the per-step buffers to hold `n` more steps (keeping unread losses).
    fn reserve(&mut self, n: usize, encoder: &mut wgpu::CommandEncoder) -> Result<()> {
        let m_n = self.members.len();
        let mut rebuild = false;
        if n > self.steps_capacity {
            let cap = n.max(2 * self.steps_capacity);
            u32_of(cap * m_n * self.batch)?;
            self.row_index = self
                .ctx
                .storage_zeroed("batch rows", 4 * (cap * m_n * self.batch) as u64)?;
            self.step_table = self
                .ctx
                .uniform_zeroed("step table", self.step_stride * cap as u64);
            self.steps_capacity = cap;
            rebuild = true;
        }
        let needed = self.pending_steps + n;
        if needed > self.loss_capacity {
            let cap = needed.max(2 * self.loss_capacity);
            let grown = self.ctx.storage_zeroed("losses", 4 * (cap * m_n) as u64)?;
            if self.pending_steps > 0 {
                let bytes = 4 * (self.pending_steps * m_n) as u64;
                encoder.copy_buffer_to_buffer(&self.losses, 0, &grown, 0, bytes);
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
        let all = self.read_states();
        async move {
            all.await?
                .into_iter()
                .next()
                .ok_or_else(|| GpuError::Readback("no state came back".into()))
        }
    }

    /// [`Self::read_state`] of every member, in one readback.
    pub fn read_states(&self) -> impl Future<Output = Result<Vec<TrainState>>> + 'static {
        let state_floats = self.n_params * self.state_per_param;
        let mut ranges = Vec::with_capacity(2 * self.members.len());
        for (m, member) in self.members.iter().enumerate() {
            ranges.push((
                &self.params,
                4 * (m * self.n_params) as u64,
                4 * self.n_params as u64,
            ));
            ranges.push((
                &self.opt_state,
                4 * (m * state_floats) as u64,
                4 * member.opt_floats as u64,
            ));
        }
        let rb = self
            .ctx
            .submit_with_readback(self.ctx.encoder("read state"), &ranges);
        let steps: Vec<u64> = self.members.iter().map(|m| m.step).collect();
        async move {
            let mut parts = rb.f32s().await?.into_iter();
            Ok(steps
                .into_iter()
                .map(|step| TrainState {
                    step,
                    params: parts.next().unwrap_or_default(),
                    opt_state: parts.next().unwrap_or_default(),
                })
                .collect())
        }
    }

    /// Mean mini-batch loss of every step run since the last call, in step order.
    pub fn read_losses(&mut self) -> impl Future<Output = Result<Vec<f64>>> + 'static {
        let all = self.read_member_losses();
        async move { Ok(all.await?.into_iter().next().unwrap_or_default()) }
    }

    /// [`Self::read_losses`] of every member (each has the losses of the steps it took).
    pub fn read_member_losses(&mut self) -> impl Future<Output = Result<Vec<Vec<f64>>>> + 'static {
        let n = std::mem::take(&mut self.pending_steps);
        let m_n = self.members.len();
        let took: Vec<Vec<bool>> = self
            .members
            .iter_mut()
            .map(|m| std::mem::take(&mut m.took))
            .collect();
        let rb = self.ctx.submit_with_readback(
            self.ctx.encoder("read losses"),
            &[(&self.losses, 0, 4 * (n * m_n) as u64)],
        );
        async move {
            let v = rb.f32s().await?.into_iter().next().unwrap_or_default();
            Ok(took
                .iter()
                .enumerate()
                .map(|(m, took)| {
                    (0..n)
                        .filter(|&s| took.get(s).copied().unwrap_or(false))
                        .filter_map(|s| v.get(s * m_n + m).map(|&l| f64::from(l)))
                        .collect()
                })
                .collect())
        }
    }

    /// Replaces parameters, optimizer state and step (e.g. after CPU steps or a reset). The
    /// optimizer state covers the trainable range ([`Self::set_trainable`]).
    pub fn load_state(&mut self, state: &TrainState) -> Result<()> {
        self.single()?;
        self.load_member_state(0, state)
    }

    /// [`Self::load_state`] for member `m`.
    pub fn load_member_state(&mut self, m: usize, state: &TrainState) -> Result<()> {
        let (n_params, state_floats) = (self.n_params, self.n_params * self.state_per_param);
        let member = self.member_mut(m)?;
        if state.params.len() != n_params || state.opt_state.len() != member.opt_floats {
            return Err(GpuError::InvalidInput(format!(
                "state has {} parameters and {} optimizer values; this trainer needs {} and {}",
                state.params.len(),
                state.opt_state.len(),
                n_params,
                member.opt_floats
            )));
        }
        member.step = state.step;
        let q = &self.ctx.queue;
        let p0 = 4 * (m * n_params) as u64;
        q.write_buffer(&self.params, p0, bytemuck::cast_slice(&state.params));
        if !state.opt_state.is_empty() {
            let s0 = 4 * (m * state_floats) as u64;
            q.write_buffer(&self.opt_state, s0, bytemuck::cast_slice(&state.opt_state));
        }
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
        // Set by `from_setups`, which knows the members.
        members: 1,
        work_floats: 0,
        state_floats: 0,
        _h: [0; 5],
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
    if exp.config().task == TaskKind::Multilabel {
        // The engine's `Experiment` refuses multi-label configs already; this keeps the GPU from
        // ever training a softmax on one should that change.
        return Err(GpuError::Unsupported(
            "multi-label training (sigmoid outputs and the multi-label losses have no GPU kernels)"
                .into(),
        ));
    }
    let k = exp.data.n_classes;
    if k > MAX_CLASSES {
        return Err(GpuError::Unsupported(format!(
            "training with {k} classes (the GPU kernels hold at most {MAX_CLASSES})"
        )));
    }
    if let Some(a) = &exp.config().adversarial {
        // The kernels have no input-gradient pass: the attack and the mixed loss are CPU-only.
        return Err(GpuError::Unsupported(format!(
            "adversarial training ({} under {}, ε = {}): the GPU kernels have no input-gradient pass",
            a.attack.method.name(),
            a.attack.norm.name(),
            a.attack.epsilon
        )));
    }
    if exp.plan().second.map(|s| s.method) == Some(SecondStageMethod::PseudoLabels) {
        return Err(GpuError::Unsupported(
            "pseudo-labels (the pool is labelled between the stages and the training rows grow, \
             which the GPU buffers, sized once, do not follow)"
                .into(),
        ));
    }
    if exp.plan().second.map(|s| s.method) == Some(SecondStageMethod::VirtualFeatureCalibration) {
        return Err(GpuError::Unsupported(
            "virtual-feature calibration (its second stage trains the output layer on feature \
             vectors, some of them virtual, which the GPU kernels do not read)"
                .into(),
        ));
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

/// What [`GpuTrainer::new`] builds a trainer from: the experiment with `state` (its parameters and
/// step, and optimizer state over all parameters).
fn setup_of<'a>(exp: &'a Experiment, state: &'a TrainState) -> TrainerSetup<'a> {
    let model = exp.model();
    TrainerSetup {
        layers: &model.layers,
        activation: model.activation,
        optimizer: &exp.config().optimizer,
        batch: exp.batch_size(),
        train_x: exp.train_x(),
        train_y: exp.train_y(),
        n_features: exp.resampled.data.n_features,
        n_classes: exp.resampled.data.n_classes,
        state,
        head: model.head,
        tau_normalization: exp.config().tau_normalization,
        prediction_scale: exp.loss().prediction_scale() as f32,
    }
}

/// Why two setups cannot share a dispatch (`None`: they can). The kernels, the layer table and the
/// batch buffers are shared, so everything they are built from must agree.
fn setup_mismatch(a: &TrainerSetup<'_>, b: &TrainerSetup<'_>) -> Option<String> {
    let same_family = |o: &OptimizerSpec| matches!(o, OptimizerSpec::Sgd { .. });
    let checks = [
        (a.layers == b.layers, "the network's layers differ"),
        (a.activation == b.activation, "the activations differ"),
        (
            same_family(a.optimizer) == same_family(b.optimizer),
            "one trains with SGD, the other with Adam",
        ),
        (a.batch == b.batch, "the batch sizes differ"),
        (
            a.n_features == b.n_features && a.n_classes == b.n_classes,
            "the data's features or classes differ",
        ),
        (
            std::mem::discriminant(&a.head) == std::mem::discriminant(&b.head),
            "the output layers differ (cosine and linear)",
        ),
        (
            a.tau_normalization.is_some() == b.tau_normalization.is_some(),
            "one predicts with τ-normalisation, the other without",
        ),
    ];
    checks
        .iter()
        .find(|(ok, _)| !ok)
        .map(|(_, why)| why.to_string())
}

/// Whether two experiments can train side by side in one [`GpuTrainer`] (`None`), or why not.
pub fn compatible(a: &Experiment, b: &Experiment) -> Option<String> {
    let (sa, sb) = (a.state(), b.state());
    setup_mismatch(&setup_of(a, &sa), &setup_of(b, &sb))
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

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::adversarial::AdversarialTraining;
    use imlab_engine::ExperimentConfig;

    #[test]
    fn adversarial_training_is_refused_with_its_reason() {
        let clean = Experiment::new(ExperimentConfig::default()).unwrap();
        assert!(supported(&clean).is_ok());
        let adv = Experiment::new(ExperimentConfig {
            adversarial: Some(AdversarialTraining::default()),
            ..Default::default()
        })
        .unwrap();
        match supported(&adv) {
            Err(GpuError::Unsupported(why)) => {
                assert!(why.contains("adversarial training"), "{why}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
