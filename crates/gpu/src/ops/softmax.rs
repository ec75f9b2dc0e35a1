//! Row-wise softmax of prediction logits into the probability output (`shaders/softmax.wgsl`).

use super::uniforms::binding::{PROBS, WORK};
use super::{module, Access, Kernel, NN_PRELUDE};
use crate::context::GpuContext;

pub(crate) fn kernel(ctx: &GpuContext, group1: &wgpu::BindGroupLayout) -> Kernel {
    let [u, a, b] = NN_PRELUDE;
    let m = module(
        ctx,
        "softmax",
        &[u, a, b, include_str!("../shaders/softmax.wgsl")],
    );
    Kernel::new(
        ctx,
        &m,
        "softmax_rows",
        &[(WORK, Access::ReadWrite), (PROBS, Access::ReadWrite)],
        &[],
        Some(group1),
    )
}
