//! Batched prediction with the trainer's current parameters: the forward kernels over consecutive
//! rows in chunks (so a 65,536-point decision grid needs only a chunk-sized workspace), then a
//! row-wise softmax into one probability buffer, all in one submission and one readback.

use std::future::Future;

use crate::context::GpuContext;
use crate::error::{GpuError, Result};
use imlab_engine::model::Head;

use crate::ops::uniforms::{binding, head, table_bytes, InputMode, StepUniform};
use crate::ops::{self, grid_1d, NnStep};
use crate::plan::{u32_of, NetPlan};
use crate::trainer::GpuTrainer;

/// Rows per prediction chunk: a 4-hidden-layer, 256-wide network needs about 12 MiB of workspace.
const CHUNK_ROWS: usize = 4096;

pub(crate) struct Predictor {
    plan: NetPlan,
    capacity: usize,
    points: wgpu::Buffer,
    probs: wgpu::Buffer,
    work: wgpu::Buffer,
    layer_table: wgpu::Buffer,
    step_table: wgpu::Buffer,
    forward: wgpu::BindGroup,
    softmax: wgpu::BindGroup,
    uniforms: wgpu::BindGroup,
}

impl GpuTrainer {
    /// Class probabilities (row-major `n × K`) for `n` rows of `x` (row-major `n × n_features`)
    /// under the current parameters: what `Experiment::predict_proba` computes on the CPU (the
    /// τ-normalised output layer when configured, logits times the loss's prediction scale). Submits at
    /// once; the returned future borrows nothing.
    pub fn predict_proba(
        &mut self,
        x: &[f32],
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>>> + 'static {
        self.predict_member_proba(0, x, n)
    }

    /// [`Self::predict_proba`] with member `m`'s parameters (see [`GpuTrainer::side_by_side`]).
    pub fn predict_member_proba(
        &mut self,
        m: usize,
        x: &[f32],
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>>> + 'static {
        let pending = self.encode_predict(m, x, n);
        async move {
            match pending? {
                None => Ok(Vec::new()),
                Some(rb) => Ok(rb.f32s().await?.into_iter().next().unwrap_or_default()),
            }
        }
    }

    fn encode_predict(
        &mut self,
        m: usize,
        x: &[f32],
        n: usize,
    ) -> Result<Option<crate::context::Readback>> {
        if m >= self.members() {
            return Err(GpuError::InvalidInput(format!(
                "predict: member {m} of {}",
                self.members()
            )));
        }
        if x.len() != n * self.n_features {
            return Err(GpuError::InvalidInput(format!(
                "predict_proba: {n} rows of {} features need {} values, got {}",
                self.n_features,
                n * self.n_features,
                x.len()
            )));
        }
        if n == 0 {
            return Ok(None);
        }
        self.ctx.check()?;
        self.reserve_predict(n)?;
        let Some(p) = self.predictor.as_ref() else {
            return Err(GpuError::InvalidInput("prediction buffers missing".into()));
        };
        let chunks: Vec<StepUniform> = (0..n.div_ceil(CHUNK_ROWS))
            .map(|c| StepUniform {
                row_offset: (c * CHUNK_ROWS) as u32,
                rows: CHUNK_ROWS.min(n - c * CHUNK_ROWS) as u32,
                first_member: m as u32,
                ..StepUniform::default()
            })
            .collect();
        let q = &self.ctx.queue;
        q.write_buffer(&p.points, 0, bytemuck::cast_slice(x));
        q.write_buffer(&p.step_table, 0, &table_bytes(&chunks, self.step_stride));
        let mut encoder = self.ctx.encoder("predict");
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("predict"),
                timestamp_writes: None,
            });
            let lo = |l: usize| (l as u64 * self.layer_stride) as u32;
            let last = self.layers.len() - 1;
            for (c, chunk) in chunks.iter().enumerate() {
                // One member: the dispatch's z = 0 is member `m` (`Step.first_member`).
                let nn = NnStep {
                    uniforms: &p.uniforms,
                    step_offset: (c as u64 * self.step_stride) as u32,
                    members: 1,
                    dispatches: Default::default(),
                };
                let rows = chunk.rows as usize;
                for (l, s) in self.layers.iter().enumerate() {
                    let grid = grid_1d(ops::forward::threads(rows, s.fan_out));
                    nn.dispatch(&mut pass, &self.kernels.forward, &p.forward, lo(l), grid);
                }
                let grid = grid_1d(chunk.rows);
                nn.dispatch(&mut pass, &self.kernels.softmax, &p.softmax, lo(last), grid);
            }
        }
        let bytes = 4 * (n * self.n_classes) as u64;
        Ok(Some(
            self.ctx
                .submit_with_readback(encoder, &[(&p.probs, 0, bytes)]),
        ))
    }

    /// The output layer's form at prediction: the cosine head as trained (τ-normalising its
    /// columns first would not change the normalised columns), else τ-normalised when configured.
    fn prediction_head(&self) -> u32 {
        match (self.head, self.tau) {
            (Head::Cosine { .. }, _) => head::COSINE,
            (Head::Linear, Some(_)) => head::TAU_NORMALIZED,
            (Head::Linear, None) => head::DENSE,
        }
    }

    /// Creates or grows the prediction buffers to hold `n` rows.
    fn reserve_predict(&mut self, n: usize) -> Result<()> {
        if self.predictor.as_ref().is_some_and(|p| p.capacity >= n) {
            return Ok(());
        }
        let old = self.predictor.take();
        let capacity = n.max(old.as_ref().map_or(0, |p| 2 * p.capacity));
        u32_of(capacity * self.n_features.max(self.n_classes))?;
        let ctx = &self.ctx;
        let (plan, work, layer_table) = match old {
            Some(p) => (p.plan, p.work, p.layer_table),
            None => {
                let plan = NetPlan::new(
                    &self.layers,
                    self.activation,
                    self.n_features,
                    CHUNK_ROWS,
                    InputMode::Direct,
                    false,
                    self.prediction_head(),
                )?;
                let work = ctx.storage_zeroed("predict workspace", 4 * plan.work_floats as u64)?;
                let table = ctx.uniform_zeroed(
                    "predict layer table",
                    self.layer_stride * self.layers.len() as u64,
                );
                ctx.queue
                    .write_buffer(&table, 0, &table_bytes(&plan.layers, self.layer_stride));
                (plan, work, table)
            }
        };
        let points = ctx.storage_zeroed("points", 4 * (capacity * self.n_features) as u64)?;
        let probs = ctx.storage_zeroed("probabilities", 4 * (capacity * self.n_classes) as u64)?;
        let step_table = ctx.uniform_zeroed(
            "predict chunk table",
            self.step_stride * capacity.div_ceil(CHUNK_ROWS) as u64,
        );
        self.predictor = Some(Predictor::bind(
            ctx,
            self,
            plan,
            capacity,
            [points, probs, work, layer_table, step_table],
        ));
        Ok(())
    }
}

impl Predictor {
    fn bind(
        ctx: &GpuContext,
        t: &GpuTrainer,
        plan: NetPlan,
        capacity: usize,
        [points, probs, work, layer_table, step_table]: [wgpu::Buffer; 5],
    ) -> Predictor {
        let k = &t.kernels;
        let nn = [
            (binding::X, &points),
            // Prediction reads rows directly; the index binding only needs a valid buffer.
            (binding::ROW_INDEX, &points),
            (binding::PARAMS, &t.params),
            (binding::WORK, &work),
            (binding::PROBS, &probs),
        ];
        let forward = k.forward.bind(ctx, &nn);
        let softmax = k.softmax.bind(ctx, &nn);
        let uniforms =
            ops::uniform_bind_group(ctx, &k.uniform_layout, &layer_table, &step_table, &t.hyper);
        Predictor {
            plan,
            capacity,
            points,
            probs,
            work,
            layer_table,
            step_table,
            forward,
            softmax,
            uniforms,
        }
    }
}
