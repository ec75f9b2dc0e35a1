//! Where a network's per-batch numbers live in the workspace buffer, as the layer table the kernels
//! read. For each layer, in order: pre-activations `z`, activations `a` and (training only) deltas
//! `δ`, each `rows × fan_out` row-major; then `max(rows, 2 · MAX_CLASSES)` floats of loss scratch,
//! then the cosine head's `rows` row norms, `fan_out` column norms and `fan_in × fan_out` normalised
//! weights.

use imlab_engine::model::{Activation, LayerShape};

use crate::error::{GpuError, Result};
use crate::ops::uniforms::{InputMode, LayerUniform, MAX_CLASSES};

pub(crate) struct NetPlan {
    pub(crate) layers: Vec<LayerUniform>,
    /// Floats the workspace needs.
    pub(crate) work_floats: usize,
    /// Start of the per-row loss scratch.
    pub(crate) scratch_off: usize,
}

impl NetPlan {
    /// Plan for batches of up to `rows` rows; `first` says how the first layer reads its input.
    pub(crate) fn new(
        shapes: &[LayerShape],
        activation: Activation,
        n_features: usize,
        rows: usize,
        first: InputMode,
        with_deltas: bool,
        last_head: u32,
    ) -> Result<NetPlan> {
        let mut layers: Vec<LayerUniform> = Vec::with_capacity(shapes.len());
        let mut off = 0usize;
        for (li, s) in shapes.iter().enumerate() {
            let block = rows * s.fan_out;
            let z_off = off;
            let a_off = z_off + block;
            let d_off = a_off + block;
            off = if with_deltas { d_off + block } else { d_off };
            let prev = li.checked_sub(1).map(|p| layers[p]);
            layers.push(LayerUniform {
                fan_in: u32_of(s.fan_in)?,
                fan_out: u32_of(s.fan_out)?,
                w_off: u32_of(s.w_offset)?,
                b_off: u32_of(s.b_offset)?,
                in_off: prev.map_or(0, |p| p.a_off),
                z_off: u32_of(z_off)?,
                a_off: u32_of(a_off)?,
                d_off: u32_of(d_off)?,
                prev_z_off: prev.map_or(0, |p| p.z_off),
                prev_a_off: prev.map_or(0, |p| p.a_off),
                prev_d_off: prev.map_or(0, |p| p.d_off),
                act: activation.code(),
                apply_act: u32::from(li + 1 < shapes.len()),
                input_mode: if li == 0 {
                    first as u32
                } else {
                    InputMode::Workspace as u32
                },
                n_features: u32_of(n_features)?,
                head: if li + 1 == shapes.len() { last_head } else { 0 },
                row_norm_off: 0,
                col_norm_off: 0,
                w_hat_off: 0,
                _p1: 0,
            });
        }
        let scratch_off = off;
        // The batch-level losses keep two coefficients per class here instead of per-row numerators.
        let scratch_len = rows.max(2 * MAX_CLASSES);
        let row_norm_off = u32_of(off + scratch_len)?;
        let col_norm_off = off + scratch_len + rows;
        let (fan_in, fan_out) = shapes.last().map_or((0, 0), |s| (s.fan_in, s.fan_out));
        let w_hat_off = col_norm_off + fan_out;
        if let Some(last) = layers.last_mut() {
            last.row_norm_off = row_norm_off;
            last.col_norm_off = u32_of(col_norm_off)?;
            last.w_hat_off = u32_of(w_hat_off)?;
        }
        let work_floats = w_hat_off + fan_in * fan_out;
        u32_of(work_floats)?;
        Ok(NetPlan {
            layers,
            work_floats,
            scratch_off,
        })
    }
}

pub(crate) fn u32_of(v: usize) -> Result<u32> {
    u32::try_from(v).map_err(|_| {
        GpuError::InvalidInput(format!(
            "{v} elements exceed what one GPU buffer can index; use less data or the CPU backend"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_chain_through_the_workspace() {
        let shapes = [
            LayerShape {
                fan_in: 2,
                fan_out: 3,
                w_offset: 0,
                b_offset: 6,
            },
            LayerShape {
                fan_in: 3,
                fan_out: 2,
                w_offset: 9,
                b_offset: 15,
            },
        ];
        let p = NetPlan::new(
            &shapes,
            Activation::Tanh,
            2,
            4,
            InputMode::Gathered,
            true,
            0,
        )
        .unwrap();
        let (l0, l1) = (p.layers[0], p.layers[1]);
        assert_eq!((l0.z_off, l0.a_off, l0.d_off), (0, 12, 24));
        assert_eq!((l1.z_off, l1.a_off, l1.d_off), (36, 44, 52));
        assert_eq!((l1.in_off, l1.prev_z_off, l1.prev_d_off), (12, 0, 24));
        assert_eq!((l0.apply_act, l1.apply_act), (1, 0));
        assert_eq!((l0.input_mode, l1.input_mode), (1, 0));
        // Loss scratch: max(4 rows, 2 · 10 classes) = 20 floats.
        assert_eq!((p.scratch_off, p.work_floats), (60, 92));
        assert_eq!((l1.row_norm_off, l1.col_norm_off), (80, 84));
    }
}
