//! Rust mirrors of the uniform structs in `shaders/uniforms.wgsl` (same field order; 16-byte
//! multiples so the WGSL layout rules add no hidden padding).

use bytemuck::{Pod, Zeroable};

/// Most classes the loss kernel's per-class table holds (the engine's blobs allow 2 to 10).
pub(crate) const MAX_CLASSES: usize = 10;

/// Most networks trained side by side in one dispatch (`MAX_MEMBERS` in the shaders): the step's
/// `takes_mask` is one u32, and 32 `Hyper` entries (8.5 KiB) fit the 16 KiB uniform binding every
/// adapter offers.
pub const MAX_MEMBERS: usize = 32;

/// Binding numbers of the network storage buffers (`shaders/nn_buffers.wgsl`).
pub(crate) mod binding {
    pub(crate) const X: u32 = 0;
    pub(crate) const ROW_INDEX: u32 = 1;
    pub(crate) const PARAMS: u32 = 2;
    pub(crate) const WORK: u32 = 3;
    pub(crate) const GRADS: u32 = 4;
    pub(crate) const LABELS: u32 = 5;
    pub(crate) const LOSSES: u32 = 6;
    pub(crate) const PROBS: u32 = 7;
}

/// How a layer's kernel finds its input rows (`Layer.input_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum InputMode {
    /// The previous layer's activations in the workspace.
    Workspace = 0,
    /// Training rows gathered through the batch index buffer.
    Gathered = 1,
    /// Consecutive data rows from the step's `row_offset` (prediction).
    Direct = 2,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct LayerUniform {
    pub fan_in: u32,
    pub fan_out: u32,
    pub w_off: u32,
    pub b_off: u32,
    pub in_off: u32,
    pub z_off: u32,
    pub a_off: u32,
    pub d_off: u32,
    pub prev_z_off: u32,
    pub prev_a_off: u32,
    pub prev_d_off: u32,
    pub act: u32,
    pub apply_act: u32,
    pub input_mode: u32,
    pub n_features: u32,
    pub head: u32,
    pub row_norm_off: u32,
    pub col_norm_off: u32,
    pub w_hat_off: u32,
    pub _p1: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub(crate) struct StepUniform {
    pub row_offset: u32,
    pub rows: u32,
    pub loss_slot: u32,
    /// Bit m: member m updates its parameters at this step.
    pub takes_mask: u32,
    pub first_member: u32,
    pub _p: [u32; 3],
    /// Per member: `[lr, 1 − β1^t, 1 − β2^t, 1 / D]`.
    pub scalars: [[f32; 4]; MAX_MEMBERS],
}

impl Default for StepUniform {
    fn default() -> Self {
        Self::zeroed()
    }
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub(crate) struct HyperUniform {
    pub n_params: u32,
    pub scratch_off: u32,
    /// Members side by side, and each one's workspace and optimizer-state floats.
    pub members: u32,
    pub work_floats: u32,
    pub state_floats: u32,
    pub _h: [u32; 5],
    pub loss_output: u32,
    pub has_alpha: u32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    pub weight_decay: f32,
    pub momentum: f32,
    pub loss_scale: f32,
    pub loss_gamma: f32,
    pub loss_smoothing: f32,
    pub sigmoid_alpha: f32,
    pub w_total: f32,
    pub opt_variant: u32,
    pub loss_metric: u32,
    pub train_lo: u32,
    pub train_hi: u32,
    pub head_scale: f32,
    pub tau: f32,
    pub pred_scale: f32,
    pub loss_alpha: f32,
    pub loss_beta: f32,
    pub loss_eps: f32,
    /// Per class: `[loss weight, logit offset, margin, 0]`.
    pub class_terms: [[f32; 4]; MAX_CLASSES],
}

/// Output-layer forms (`Layer.head`).
pub(crate) mod head {
    pub(crate) const DENSE: u32 = 0;
    pub(crate) const COSINE: u32 = 1;
    pub(crate) const TAU_NORMALIZED: u32 = 2;
}

/// Writes `entries` into a table whose entries sit `stride` bytes apart (dynamic-offset uniforms).
pub(crate) fn table_bytes<T: Pod>(entries: &[T], stride: u64) -> Vec<u8> {
    let stride = stride as usize;
    let mut out = vec![0u8; entries.len().max(1) * stride];
    for (i, e) in entries.iter().enumerate() {
        let b = bytemuck::bytes_of(e);
        out[i * stride..i * stride + b.len()].copy_from_slice(b);
    }
    out
}

// The WGSL layout rules: `Hyper.class_terms` (vec4) starts at a 16-byte boundary, array strides are
// 16-byte multiples, and the per-member tables fit the 16 KiB uniform binding of downlevel adapters.
const _: () = assert!(std::mem::offset_of!(HyperUniform, class_terms).is_multiple_of(16));
const _: () = assert!(size_of::<HyperUniform>().is_multiple_of(16));
const _: () = assert!(size_of::<HyperUniform>() * MAX_MEMBERS <= 16384);
const _: () = assert!(std::mem::offset_of!(StepUniform, scalars).is_multiple_of(16));
const _: () = assert!(size_of::<StepUniform>() <= 16384);
