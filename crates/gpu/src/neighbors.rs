//! Exact k-nearest neighbours on the GPU, matching `imlab_engine::neighbors::kneighbors`: Euclidean
//! distance, nearest first, equal distances broken by the lower fit-row index. Distances are summed
//! in f32 (the CPU reference uses f64), so the two agree exactly whenever no two candidate
//! distances of a query are within f32 rounding of each other, and always on data whose squared
//! distances are exact in f32 (small integers), ties included.

use std::future::Future;

use wgpu::util::DeviceExt;

use crate::context::{GpuContext, Readback};
use crate::error::{GpuError, Result};
use crate::ops::knn::{KnnKernels, ShapeUniform, MAX_K, TILE_FLOATS};
use crate::ops::knn::{FIT, OUT_DIST, OUT_INDEX, QUERY, SHAPE};
use crate::ops::{grid_1d, WORKGROUP};

/// Neighbour searches on one device; holds the compiled kernels.
pub struct GpuNeighbors {
    ctx: GpuContext,
    kernels: KnnKernels,
}

/// `k` nearest fit rows of every query row: indices and squared distances, row-major `n_query × k`.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbors {
    pub k: usize,
    pub indices: Vec<u32>,
    pub sq_distances: Vec<f32>,
}

impl GpuNeighbors {
    pub fn new(ctx: &GpuContext) -> GpuNeighbors {
        GpuNeighbors {
            ctx: ctx.clone(),
            kernels: KnnKernels::new(ctx),
        }
    }

    /// The `k ≤ 32` nearest rows of `fit` for each row of `query` (both row-major, `d` columns);
    /// `k` is capped at the number of fit rows, as in the engine.
    pub fn kneighbors(
        &self,
        fit: &[f32],
        query: &[f32],
        d: usize,
        k: usize,
    ) -> impl Future<Output = Result<Neighbors>> + 'static {
        let pending = self.encode_top_k(fit, query, d, k);
        async move {
            let (k, rb) = pending?;
            let Some(rb) = rb else {
                return Ok(Neighbors {
                    k,
                    indices: Vec::new(),
                    sq_distances: Vec::new(),
                });
            };
            let mut parts = rb.bytes().await?.into_iter();
            let indices = bytemuck::pod_collect_to_vec(&parts.next().unwrap_or_default());
            let sq_distances = bytemuck::pod_collect_to_vec(&parts.next().unwrap_or_default());
            Ok(Neighbors {
                k,
                indices,
                sq_distances,
            })
        }
    }

    /// Squared Euclidean distances between every query row and every fit row, row-major
    /// `n_query × n_fit`.
    pub fn pairwise_sq_distances(
        &self,
        fit: &[f32],
        query: &[f32],
        d: usize,
    ) -> impl Future<Output = Result<Vec<f32>>> + 'static {
        let pending = self.encode_pairwise(fit, query, d);
        async move {
            match pending? {
                None => Ok(Vec::new()),
                Some(rb) => Ok(rb.f32s().await?.into_iter().next().unwrap_or_default()),
            }
        }
    }

    fn shape(&self, fit: &[f32], query: &[f32], d: usize, k: usize) -> Result<ShapeUniform> {
        if d == 0 || !fit.len().is_multiple_of(d) || !query.len().is_multiple_of(d) {
            return Err(GpuError::InvalidInput(format!(
                "neighbour search: {} fit and {} query values are not whole rows of {d} features",
                fit.len(),
                query.len()
            )));
        }
        if d > TILE_FLOATS {
            return Err(GpuError::InvalidInput(format!(
                "the GPU neighbour search handles up to {TILE_FLOATS} features, got {d}"
            )));
        }
        let u = |v: usize| crate::plan::u32_of(v);
        Ok(ShapeUniform {
            n_fit: u(fit.len() / d)?,
            n_query: u(query.len() / d)?,
            d: u(d)?,
            k: u(k)?,
        })
    }

    fn inputs(
        &self,
        fit: &[f32],
        query: &[f32],
        shape: &ShapeUniform,
    ) -> Result<[wgpu::Buffer; 3]> {
        let uniform = self
            .ctx
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("knn shape"),
                contents: bytemuck::bytes_of(shape),
                usage: wgpu::BufferUsages::UNIFORM,
            });
        Ok([
            self.ctx.storage_from("fit rows", fit)?,
            self.ctx.storage_from("query rows", query)?,
            uniform,
        ])
    }

    fn encode_top_k(
        &self,
        fit: &[f32],
        query: &[f32],
        d: usize,
        k: usize,
    ) -> Result<(usize, Option<Readback>)> {
        if k > MAX_K {
            return Err(GpuError::InvalidInput(format!(
                "the GPU neighbour search keeps at most {MAX_K} neighbours, asked for {k}"
            )));
        }
        let mut shape = self.shape(fit, query, d, k)?;
        shape.k = shape.k.min(shape.n_fit);
        let k = shape.k as usize;
        let n_out = shape.n_query as u64 * k as u64;
        if n_out == 0 {
            return Ok((k, None));
        }
        self.ctx.check()?;
        let [fit_b, query_b, uniform] = self.inputs(fit, query, &shape)?;
        let index_b = self.ctx.storage_zeroed("knn indices", 4 * n_out)?;
        let dist_b = self.ctx.storage_zeroed("knn distances", 4 * n_out)?;
        let kernel = &self.kernels.top_k;
        let group = kernel.bind(
            &self.ctx,
            &[
                (FIT, &fit_b),
                (QUERY, &query_b),
                (OUT_INDEX, &index_b),
                (OUT_DIST, &dist_b),
                (SHAPE, &uniform),
            ],
        );
        let mut encoder = self.ctx.encoder("knn");
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&kernel.pipeline);
            pass.set_bind_group(0, &group, &[]);
            let (gx, gy) = grid_1d(shape.n_query);
            pass.dispatch_workgroups(gx, gy, 1);
        }
        debug_assert_eq!(WORKGROUP, 64);
        let rb = self.ctx.submit_with_readback(
            encoder,
            &[(&index_b, 0, 4 * n_out), (&dist_b, 0, 4 * n_out)],
        );
        Ok((k, Some(rb)))
    }

    fn encode_pairwise(&self, fit: &[f32], query: &[f32], d: usize) -> Result<Option<Readback>> {
        let shape = self.shape(fit, query, d, 0)?;
        let n_out = shape.n_query as u64 * shape.n_fit as u64;
        if n_out == 0 {
            return Ok(None);
        }
        let (gx, gy) = (shape.n_fit.div_ceil(8), shape.n_query.div_ceil(8));
        if gx > 65_535 || gy > 65_535 {
            return Err(GpuError::InvalidInput(
                "pairwise distances: more than 524,280 rows on one side; use kneighbors instead"
                    .into(),
            ));
        }
        self.ctx.check()?;
        let [fit_b, query_b, uniform] = self.inputs(fit, query, &shape)?;
        let dist_b = self.ctx.storage_zeroed("pairwise distances", 4 * n_out)?;
        let kernel = &self.kernels.pairwise;
        let group = kernel.bind(
            &self.ctx,
            &[
                (FIT, &fit_b),
                (QUERY, &query_b),
                (OUT_DIST, &dist_b),
                (SHAPE, &uniform),
            ],
        );
        let mut encoder = self.ctx.encoder("pairwise");
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&kernel.pipeline);
            pass.set_bind_group(0, &group, &[]);
            pass.dispatch_workgroups(gx, gy, 1);
        }
        Ok(Some(
            self.ctx
                .submit_with_readback(encoder, &[(&dist_b, 0, 4 * n_out)]),
        ))
    }
}
