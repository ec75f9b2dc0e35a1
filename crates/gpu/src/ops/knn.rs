//! Pairwise squared distances and exact top-k (`shaders/knn.wgsl`).

use bytemuck::{Pod, Zeroable};

use super::{module, Access, Kernel};
use crate::context::GpuContext;

/// Most neighbours the top-k kernel keeps per query (`KMAX` in the shader).
pub(crate) const MAX_K: usize = 32;
/// Floats of a workgroup's fit-row tile (`TILE` in the shader); bounds the feature count.
pub(crate) const TILE_FLOATS: usize = 4032;

pub(crate) const FIT: u32 = 0;
pub(crate) const QUERY: u32 = 1;
pub(crate) const OUT_INDEX: u32 = 2;
pub(crate) const OUT_DIST: u32 = 3;
pub(crate) const SHAPE: u32 = 4;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct ShapeUniform {
    pub n_fit: u32,
    pub n_query: u32,
    pub d: u32,
    pub k: u32,
}

pub(crate) struct KnnKernels {
    pub(crate) pairwise: Kernel,
    pub(crate) top_k: Kernel,
}

impl KnnKernels {
    pub(crate) fn new(ctx: &GpuContext) -> KnnKernels {
        let m = module(ctx, "knn", &[include_str!("../shaders/knn.wgsl")]);
        let shape = [wgpu::BindGroupLayoutEntry {
            binding: SHAPE,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: false,
                min_binding_size: wgpu::BufferSize::new(size_of::<ShapeUniform>() as u64),
            },
            count: None,
        }];
        let read = |b| (b, Access::Read);
        KnnKernels {
            pairwise: Kernel::new(
                ctx,
                &m,
                "pairwise",
                &[read(FIT), read(QUERY), (OUT_DIST, Access::ReadWrite)],
                &shape,
                None,
            ),
            top_k: Kernel::new(
                ctx,
                &m,
                "top_k",
                &[
                    read(FIT),
                    read(QUERY),
                    (OUT_INDEX, Access::ReadWrite),
                    (OUT_DIST, Access::ReadWrite),
                ],
                &shape,
                None,
            ),
        }
    }
}
