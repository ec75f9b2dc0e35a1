//! The batch-level losses (batch soft Dice, AnyLoss): one workgroup sums over the batch, then one
//! thread per row forms the gradient (`shaders/batch_loss.wgsl`). They run after the loss kernel
//! has written each row's softmax probabilities, in place of the per-row loss reduction.

use super::uniforms::binding::{LABELS, LOSSES, ROW_INDEX, WORK};
use super::{module, Access, Kernel, NN_PRELUDE};
use crate::context::GpuContext;

pub(crate) struct BatchLoss {
    pub(crate) stats: Kernel,
    pub(crate) grad: Kernel,
}

impl BatchLoss {
    pub(crate) fn new(ctx: &GpuContext, group1: &wgpu::BindGroupLayout) -> BatchLoss {
        let [u, a, b] = NN_PRELUDE;
        let m = module(
            ctx,
            "batch_loss",
            &[u, a, b, include_str!("../shaders/batch_loss.wgsl")],
        );
        let rows_and_labels = [
            (ROW_INDEX, Access::Read),
            (WORK, Access::ReadWrite),
            (LABELS, Access::Read),
        ];
        let mut with_losses = rows_and_labels.to_vec();
        with_losses.push((LOSSES, Access::ReadWrite));
        BatchLoss {
            stats: Kernel::new(ctx, &m, "batch_stats", &with_losses, &[], Some(group1)),
            grad: Kernel::new(ctx, &m, "batch_grad", &rows_and_labels, &[], Some(group1)),
        }
    }
}
