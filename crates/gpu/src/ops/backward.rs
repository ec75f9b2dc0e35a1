//! Backward pass of a dense layer (`shaders/backward.wgsl`): parameter gradients
//! (`fan_in × fan_out + fan_out` threads) and the delta of the layer below through its activation
//! (`rows × fan_in` threads).

use super::uniforms::binding::{GRADS, PARAMS, ROW_INDEX, WORK, X};
use super::{module, Access, Kernel, NN_PRELUDE};
use crate::context::GpuContext;

pub(crate) struct Backward {
    pub(crate) grad_weights: Kernel,
    pub(crate) backprop_delta: Kernel,
}

impl Backward {
    pub(crate) fn new(ctx: &GpuContext, group1: &wgpu::BindGroupLayout) -> Backward {
        let [u, a, b] = NN_PRELUDE;
        let m = module(
            ctx,
            "backward",
            &[u, a, b, include_str!("../shaders/backward.wgsl")],
        );
        Backward {
            grad_weights: Kernel::new(
                ctx,
                &m,
                "grad_weights",
                &[
                    (X, Access::Read),
                    (ROW_INDEX, Access::Read),
                    (WORK, Access::ReadWrite),
                    (GRADS, Access::ReadWrite),
                ],
                &[],
                Some(group1),
            ),
            backprop_delta: Kernel::new(
                ctx,
                &m,
                "backprop_delta",
                &[(PARAMS, Access::Read), (WORK, Access::ReadWrite)],
                &[],
                Some(group1),
            ),
        }
    }
}

pub(crate) fn grad_threads(fan_in: usize, fan_out: usize) -> u32 {
    (fan_in * fan_out + fan_out) as u32
}

pub(crate) fn delta_threads(rows: usize, fan_in: usize) -> u32 {
    (rows * fan_in) as u32
}
