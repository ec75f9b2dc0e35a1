//! Optimizer updates over the trainable range of the flat parameter vector (`shaders/adam.wgsl`,
//! `shaders/sgd.wgsl`), one thread per parameter; per-step lr and bias corrections come from the step table.

use imlab_engine::optim::OptimizerSpec;

use super::{module, Access, Kernel};
use crate::context::GpuContext;

/// Group-0 bindings of the optimizer shaders.
pub(crate) const PARAMS: u32 = 0;
pub(crate) const GRADS: u32 = 1;
pub(crate) const STATE: u32 = 2;

pub(crate) fn kernel(
    ctx: &GpuContext,
    group1: &wgpu::BindGroupLayout,
    spec: &OptimizerSpec,
) -> Kernel {
    let (name, source) = match spec {
        // AdamW is the Adam kernel with `opt_variant` 1, Nesterov the SGD kernel's.
        OptimizerSpec::Adam { .. } | OptimizerSpec::AdamW { .. } => {
            ("adam", include_str!("../shaders/adam.wgsl"))
        }
        OptimizerSpec::Sgd { .. } => ("sgd", include_str!("../shaders/sgd.wgsl")),
    };
    let m = module(
        ctx,
        name,
        &[include_str!("../shaders/uniforms.wgsl"), source],
    );
    Kernel::new(
        ctx,
        &m,
        name,
        &[
            (PARAMS, Access::ReadWrite),
            (GRADS, Access::Read),
            (STATE, Access::ReadWrite),
        ],
        &[],
        Some(group1),
    )
}
