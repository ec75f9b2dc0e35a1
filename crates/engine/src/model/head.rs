//! The output layer's form.
//!
//! * `linear`: `z = h W + b` (the MLP's usual last layer).
//! * `cosine`: `z_j = s · ⟨h/‖h‖, w_j/‖w_j‖⟩`, no bias — `NormedLinear` of `kaidic/LDAM-DRW`
//!   (`models/resnet_cifar.py`), used with the LDAM loss (Cao et al., NeurIPS 2019). Norms are
//!   `max(‖·‖, 1e-12)` as `torch.nn.functional.normalize`. The bias stays in the flat parameter vector
//!   (so the layout is the same for both heads) but is unused and receives no gradient.
//!   The LDAM reference multiplies by s inside the loss, so with `ldam` keep the head's `scale` at 1;
//!   with other losses a scale of 16–30 lets the softmax become confident.
//!
//! Gradients, with `ĥ = h/‖h‖`, `ŵ_j = w_j/‖w_j‖`, `c_j = ĥ·ŵ_j`, `g_j = s ∂L/∂z_j`:
//! `∂L/∂w_j = g_j (ĥ − c_j ŵ_j)/‖w_j‖`, `∂L/∂h = Σ_j g_j (ŵ_j − c_j ĥ)/‖h‖`.

use serde::{Deserialize, Serialize};

use super::LayerShape;

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Head {
    #[default]
    Linear,
    Cosine {
        #[serde(default = "one")]
        scale: f32,
    },
}

fn one() -> f32 {
    1.0
}

const NORM_EPS: f32 = 1e-12;

impl Head {
    pub fn name(self) -> &'static str {
        match self {
            Head::Linear => "linear",
            Head::Cosine { .. } => "cosine",
        }
    }
}

/// `‖w_j‖` for every output column of the layer's weights `w` (`[fan_in][fan_out]`).
pub fn column_norms(w: &[f32], l: &LayerShape) -> Vec<f32> {
    let mut sq = vec![0.0f32; l.fan_out];
    for k in 0..l.fan_in {
        for (s, &v) in sq.iter_mut().zip(&w[k * l.fan_out..(k + 1) * l.fan_out]) {
            *s += v * v;
        }
    }
    sq.iter().map(|s| s.sqrt().max(NORM_EPS)).collect()
}

/// Cosine logits of `n` rows of `input`; also returns the row norms and column norms for backward.
#[allow(clippy::too_many_arguments)]
pub fn cosine_forward(
    input: &[f32],
    n: usize,
    w: &[f32],
    l: &LayerShape,
    scale: f32,
    out: &mut [f32],
    row_norms: &mut Vec<f32>,
    col_norms: &mut Vec<f32>,
) {
    *col_norms = column_norms(w, l);
    row_norms.clear();
    for i in 0..n {
        let row = &input[i * l.fan_in..(i + 1) * l.fan_in];
        let hn = row.iter().map(|v| v * v).sum::<f32>().sqrt().max(NORM_EPS);
        row_norms.push(hn);
        let o = &mut out[i * l.fan_out..(i + 1) * l.fan_out];
        o.iter_mut().for_each(|v| *v = 0.0);
        for (k, &xk) in row.iter().enumerate() {
            for (oj, &wkj) in o.iter_mut().zip(&w[k * l.fan_out..(k + 1) * l.fan_out]) {
                *oj += xk * wkj;
            }
        }
        for (oj, &wn) in o.iter_mut().zip(col_norms.iter()) {
            *oj = scale * (*oj / (hn * wn));
        }
    }
}

/// Adds the weight gradient to `gw` and writes `∂L/∂h` (n × fan_in) into `dh` when given.
#[allow(clippy::too_many_arguments)]
pub fn cosine_backward(
    input: &[f32],
    n: usize,
    w: &[f32],
    l: &LayerShape,
    scale: f32,
    logits: &[f32],
    dlogits: &[f32],
    row_norms: &[f32],
    col_norms: &[f32],
    gw: &mut [f32],
    mut dh: Option<&mut [f32]>,
) {
    let fo = l.fan_out;
    let mut g = vec![0.0f32; fo];
    let mut c = vec![0.0f32; fo];
    for i in 0..n {
        let row = &input[i * l.fan_in..(i + 1) * l.fan_in];
        let hn = row_norms[i];
        for j in 0..fo {
            g[j] = scale * dlogits[i * fo + j];
            c[j] = logits[i * fo + j] / scale;
        }
        for (k, &hk) in row.iter().enumerate() {
            let h_hat = hk / hn;
            let wk = &w[k * fo..(k + 1) * fo];
            let gk = &mut gw[k * fo..(k + 1) * fo];
            let mut dhk = 0.0f32;
            for j in 0..fo {
                let w_hat = wk[j] / col_norms[j];
                gk[j] += g[j] * (h_hat - c[j] * w_hat) / col_norms[j];
                dhk += g[j] * (w_hat - c[j] * h_hat);
            }
            if let Some(d) = dh.as_deref_mut() {
                d[i * l.fan_in + k] = dhk / hn;
            }
        }
    }
}
