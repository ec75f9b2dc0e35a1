//! Softmax cross-entropy gradient on the logits and the step's mean loss
//! (`shaders/softmax_xent.wgsl`). Per-class weights and logit offsets live in the hyper uniform
//! (identity for plain cross-entropy) so weighted and logit-adjusted losses reuse the kernel.

use super::uniforms::binding::{LABELS, LOSSES, ROW_INDEX, WORK};
use super::{module, Access, Kernel, NN_PRELUDE};
use crate::context::GpuContext;

pub(crate) struct SoftmaxXent {
    pub(crate) grad: Kernel,
    pub(crate) reduce: Kernel,
}

impl SoftmaxXent {
    pub(crate) fn new(ctx: &GpuContext, group1: &wgpu::BindGroupLayout) -> SoftmaxXent {
        let [u, a, b] = NN_PRELUDE;
        let m = module(
            ctx,
            "softmax_xent",
            &[u, a, b, include_str!("../shaders/softmax_xent.wgsl")],
        );
        SoftmaxXent {
            grad: Kernel::new(
                ctx,
                &m,
                "xent_grad",
                &[
                    (ROW_INDEX, Access::Read),
                    (WORK, Access::ReadWrite),
                    (LABELS, Access::Read),
                ],
                &[],
                Some(group1),
            ),
            reduce: Kernel::new(
                ctx,
                &m,
                "loss_reduce",
                &[(WORK, Access::ReadWrite), (LOSSES, Access::ReadWrite)],
                &[],
                Some(group1),
            ),
        }
    }
}
