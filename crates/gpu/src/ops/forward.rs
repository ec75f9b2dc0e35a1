//! Dense-layer forward pass (`shaders/forward.wgsl`): one dispatch per layer, `rows × fan_out`
//! threads, the engine's summation order.

use super::uniforms::binding::{PARAMS, ROW_INDEX, WORK, X};
use super::{module, Access, Kernel, NN_PRELUDE};
use crate::context::GpuContext;

pub(crate) fn kernel(ctx: &GpuContext, group1: &wgpu::BindGroupLayout) -> Kernel {
    let [u, a, b] = NN_PRELUDE;
    let m = module(
        ctx,
        "forward",
        &[u, a, b, include_str!("../shaders/forward.wgsl")],
    );
    Kernel::new(
        ctx,
        &m,
        "forward",
        &[
            (X, Access::Read),
            (ROW_INDEX, Access::Read),
            (PARAMS, Access::Read),
            (WORK, Access::ReadWrite),
        ],
        &[],
        Some(group1),
    )
}

pub(crate) fn threads(rows: usize, fan_out: usize) -> u32 {
    (rows * fan_out) as u32
}
