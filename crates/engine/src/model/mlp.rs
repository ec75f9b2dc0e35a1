//! Multi-layer perceptron in f32: forward, backward, seeded initialization.
//!
//! Parameter layout (shared with the GPU kernels): for each layer in order, its weights `W` row-major
//! `[fan_in][fan_out]` (`W[k·fan_out + j]`), then its bias `[fan_out]`, all in one flat vector.
//! The output layer is linear or cosine ([`Head`]); the layout is the same for both.
//!
//! Sums run in a fixed order (bias added after the ascending-k dot product) and no platform math is
//! used, so results are bit-identical on every target. `ndarray`'s `dot` is not used because its
//! kernel is chosen by run-time CPU feature detection, which would break that guarantee.

use super::head::{column_norms, cosine_backward, cosine_forward};
use super::matmul::{column_sums, product, transposed_product, Rows};
use super::{Activation, Head, ModelSpec};
use crate::rng::Rng;

/// Where one layer's parameters live in the flat vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerShape {
    pub fan_in: usize,
    pub fan_out: usize,
    pub w_offset: usize,
    pub b_offset: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub layers: Vec<LayerShape>,
    pub activation: Activation,
    pub head: Head,
    pub params: Vec<f32>,
}

/// Per-batch buffers reused across steps (pre-activations and activations of every layer).
#[derive(Clone, Debug, Default)]
pub struct MlpWorkspace {
    z: Vec<Vec<f32>>,
    a: Vec<Vec<f32>>,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
    /// Cosine head: `‖h_i‖` of the batch rows and `‖w_j‖` of the output columns.
    row_norms: Vec<f32>,
    col_norms: Vec<f32>,
    /// Transposed weights `[fan_out][fan_in]` of the layer being back-propagated through.
    wt: Vec<f32>,
}

impl MlpWorkspace {
    /// Activations of layer `layer` (0-based) for the batch last passed to [`Mlp::forward`].
    pub fn hidden_activations(&self, layer: usize) -> &[f32] {
        &self.a[layer]
    }
}

impl Mlp {
    /// Glorot-uniform weights `U(−√(6/(fan_in+fan_out)), +…)` from the `init` stream, zero biases.
    pub fn new(spec: &ModelSpec, n_features: usize, n_classes: usize, rng: &mut Rng) -> Self {
        let widths = spec.widths(n_features, n_classes);
        let mut layers = Vec::with_capacity(widths.len() - 1);
        let mut offset = 0;
        for w in widths.windows(2) {
            let (fan_in, fan_out) = (w[0], w[1]);
            layers.push(LayerShape {
                fan_in,
                fan_out,
                w_offset: offset,
                b_offset: offset + fan_in * fan_out,
            });
            offset += fan_in * fan_out + fan_out;
        }
        let mut params = vec![0.0f32; offset];
        for l in &layers {
            let limit = (6.0 / (l.fan_in + l.fan_out) as f64).sqrt();
            for p in &mut params[l.w_offset..l.b_offset] {
                *p = rng.uniform_range(-limit, limit) as f32;
            }
        }
        Mlp {
            layers,
            activation: spec.activation,
            head: spec.head,
            params,
        }
    }

    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    pub fn n_outputs(&self) -> usize {
        self.layers.last().map_or(0, |l| l.fan_out)
    }

    /// Where the output layer's weights and bias live in `params` (the layer cRT re-trains).
    pub fn output_layer_range(&self) -> std::ops::Range<usize> {
        self.layers
            .last()
            .map_or(0..0, |l| l.w_offset..l.b_offset + l.fan_out)
    }

    /// Re-initialises the output layer as `new` does (Glorot-uniform weights, zero bias) from `rng`;
    /// the classifier re-training stage of Kang et al. (ICLR 2020) starts from this.
    pub fn reinit_output_layer(&mut self, rng: &mut Rng) {
        if let Some(l) = self.layers.last().copied() {
            let limit = (6.0 / (l.fan_in + l.fan_out) as f64).sqrt();
            for p in &mut self.params[l.w_offset..l.b_offset] {
                *p = rng.uniform_range(-limit, limit) as f32;
            }
            self.params[l.b_offset..l.b_offset + l.fan_out].fill(0.0);
        }
    }

    /// Sets every output bias to `b` (prior initialisation of the sigmoid focal losses).
    pub fn set_output_bias(&mut self, b: f32) {
        if let Some(l) = self.layers.last().copied() {
            self.params[l.b_offset..l.b_offset + l.fan_out].fill(b);
        }
    }

    /// τ-normalisation (Kang et al., "Decoupling Representation and Classifier for Long-Tailed
    /// Recognition", ICLR 2020; `facebookresearch/classifier-balancing` `tau_norm.py`): each class's
    /// output weights become `w_j / ‖w_j‖^τ` and the bias is dropped. τ = 0 keeps the weights (bias
    /// still dropped); τ = 1 gives unit-norm weights. A post-hoc transform: returns a new model.
    pub fn tau_normalized(&self, tau: f32) -> Mlp {
        let mut m = self.clone();
        if let Some(l) = m.layers.last().copied() {
            let norms = column_norms(&m.params[l.w_offset..l.b_offset], &l);
            let factors: Vec<f32> = norms
                .iter()
                .map(|&nj| 1.0 / crate::math::powf(nj, tau))
                .collect();
            for k in 0..l.fan_in {
                let row =
                    &mut m.params[l.w_offset + k * l.fan_out..l.w_offset + (k + 1) * l.fan_out];
                for (w, f) in row.iter_mut().zip(&factors) {
                    *w *= f;
                }
            }
            m.params[l.b_offset..l.b_offset + l.fan_out].fill(0.0);
        }
        m
    }

    /// Logits for `n` rows of `x` (row-major, f32); keeps the intermediates in `ws` for `backward`.
    pub fn forward<'w>(&self, x: &[f32], n: usize, ws: &'w mut MlpWorkspace) -> &'w [f32] {
        let depth = self.layers.len();
        ws.z.resize(depth, Vec::new());
        ws.a.resize(depth, Vec::new());
        for (li, l) in self.layers.iter().enumerate() {
            let (before, after) = ws.a.split_at_mut(li);
            let input: &[f32] = if li == 0 { x } else { &before[li - 1] };
            let z = &mut ws.z[li];
            // Every element is overwritten below: resizing (a no-op from the second batch of the same
            // size on) is all the preparation needed.
            z.resize(n * l.fan_out, 0.0);
            let w = &self.params[l.w_offset..l.b_offset];
            let b = &self.params[l.b_offset..l.b_offset + l.fan_out];
            if let (Head::Cosine { scale }, true) = (self.head, li + 1 == depth) {
                cosine_forward(
                    input,
                    n,
                    w,
                    l,
                    scale,
                    z,
                    &mut ws.row_norms,
                    &mut ws.col_norms,
                );
                after[0].clear();
                after[0].extend_from_slice(z);
                continue;
            }
            let a = &mut after[0];
            a.resize(n * l.fan_out, 0.0);
            let last = li + 1 == depth;
            let (input, w) = (Rows::new(input, l.fan_in), Rows::new(w, l.fan_out));
            match (last, self.activation) {
                (true, _) => dense_forward(input, w, b, n, *l, Some(z), a, |v| v),
                // The derivative of ReLU needs only the sign of `a` (a > 0 ⇔ z > 0, NaN included:
                // max(NaN, 0) is 0), so z is not stored.
                (false, Activation::Relu) => {
                    dense_forward(input, w, b, n, *l, None, a, |v| v.max(0.0))
                }
                (false, act) => dense_forward(input, w, b, n, *l, Some(z), a, |v| act.apply(v)),
            }
        }
        &ws.a[depth - 1]
    }

    /// Gradient of the loss with respect to every parameter, given `dlogits` (n × outputs) for the
    /// batch last passed to `forward`. Writes into `grad` (same layout as `params`).
    pub fn backward(
        &self,
        x: &[f32],
        n: usize,
        dlogits: &[f32],
        ws: &mut MlpWorkspace,
        grad: &mut [f32],
    ) {
        grad.iter_mut().for_each(|g| *g = 0.0);
        ws.delta.clear();
        ws.delta.extend_from_slice(dlogits);
        let depth = self.layers.len();
        for li in (0..depth).rev() {
            let l = self.layers[li];
            let input: &[f32] = if li == 0 { x } else { &ws.a[li - 1] };
            let (gw, gb) =
                grad[l.w_offset..l.b_offset + l.fan_out].split_at_mut(l.fan_in * l.fan_out);
            if let (Head::Cosine { scale }, true) = (self.head, li + 1 == depth) {
                let w = &self.params[l.w_offset..l.b_offset];
                ws.delta_prev.clear();
                ws.delta_prev.resize(n * l.fan_in, 0.0);
                let dh = if li == 0 {
                    None
                } else {
                    Some(&mut ws.delta_prev[..])
                };
                cosine_backward(
                    input,
                    n,
                    w,
                    &l,
                    scale,
                    &ws.a[li],
                    &ws.delta,
                    &ws.row_norms,
                    &ws.col_norms,
                    gw,
                    dh,
                );
                if li == 0 {
                    break;
                }
                let a_prev = &ws.a[li - 1];
                if self.activation == Activation::Relu {
                    for (d, &a) in ws.delta_prev.iter_mut().zip(a_prev) {
                        *d *= if a > 0.0 { 1.0 } else { 0.0 };
                    }
                } else {
                    let z_prev = &ws.z[li - 1];
                    for (idx, d) in ws.delta_prev.iter_mut().enumerate() {
                        *d *= self.activation.derivative(z_prev[idx], a_prev[idx]);
                    }
                }
                std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
                continue;
            }
            let (input, delta) = (Rows::new(input, l.fan_in), Rows::new(&ws.delta, l.fan_out));
            weight_gradient(input, delta, n, &l, gw);
            column_sums(delta, l.fan_out, n, gb);
            if li == 0 {
                break;
            }
            // δ_prev[i][k] = Σ_j δ[i][j] W[k][j]: with Wᵀ at hand this is a product whose rows run
            // along k, so neighbouring k share SIMD lanes and each sum keeps its ascending-j order.
            let w = &self.params[l.w_offset..l.b_offset];
            ws.wt.resize(l.fan_in * l.fan_out, 0.0);
            for (k, wk) in w.chunks_exact(l.fan_out).enumerate() {
                for (j, &v) in wk.iter().enumerate() {
                    ws.wt[j * l.fan_in + k] = v;
                }
            }
            ws.delta_prev.resize(n * l.fan_in, 0.0);
            let (z_prev, a_prev) = (&ws.z[li - 1], &ws.a[li - 1]);
            let dprev = &mut ws.delta_prev;
            let wt = Rows::new(&ws.wt, l.fan_in);
            let fi = l.fan_in;
            match self.activation {
                // ReLU layers keep only `a` (see `forward`): a > 0 exactly when z > 0.
                Activation::Relu => product(delta, wt, n, fi, l.fan_out, &mut |i, k0, v| {
                    let at = i * fi + k0;
                    let out = dprev[at..at + v.len()].iter_mut().zip(&a_prev[at..]);
                    for ((d, &a), &s) in out.zip(v) {
                        *d = s * if a > 0.0 { 1.0 } else { 0.0 };
                    }
                }),
                act => product(delta, wt, n, fi, l.fan_out, &mut |i, k0, v| {
                    let at = i * fi + k0;
                    let out = dprev[at..at + v.len()].iter_mut().zip(&z_prev[at..]);
                    for (((d, &z), &a), &s) in out.zip(&a_prev[at..]).zip(v) {
                        *d = s * act.derivative(z, a);
                    }
                }),
            }
            std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
        }
    }

    /// Gradient of the loss with respect to the inputs, `∂L/∂x` (n × fan_in of layer 0, row-major, into
    /// `dx`), given `dlogits` for the batch `x` last passed to [`Self::forward`] with `ws`. The adversarial
    /// attacks (`crate::adversarial`) need it; [`Self::backward`] stops at layer 0 and stays as it was,
    /// so the parameter gradient keeps its bit-exact order and speed. No parameter gradient is formed
    /// here except the cosine head's, which [`cosine_backward`] computes alongside `∂L/∂h` (into a
    /// scratch buffer that is thrown away). Sums run in ascending order over the layer's outputs.
    pub fn input_gradient(
        &self,
        x: &[f32],
        n: usize,
        dlogits: &[f32],
        ws: &mut MlpWorkspace,
        dx: &mut Vec<f32>,
    ) {
        let depth = self.layers.len();
        ws.delta.clear();
        ws.delta.extend_from_slice(&dlogits[..n * self.n_outputs()]);
        for li in (0..depth).rev() {
            let l = self.layers[li];
            let w = &self.params[l.w_offset..l.b_offset];
            ws.delta_prev.clear();
            ws.delta_prev.resize(n * l.fan_in, 0.0);
            if let (Head::Cosine { scale }, true) = (self.head, li + 1 == depth) {
                let input: &[f32] = if li == 0 { x } else { &ws.a[li - 1] };
                ws.wt.clear();
                ws.wt.resize(l.fan_in * l.fan_out, 0.0);
                cosine_backward(
                    input,
                    n,
                    w,
                    &l,
                    scale,
                    &ws.a[li],
                    &ws.delta,
                    &ws.row_norms,
                    &ws.col_norms,
                    &mut ws.wt,
                    Some(&mut ws.delta_prev[..]),
                );
            } else {
                for (drow, dprev) in ws
                    .delta
                    .chunks_exact(l.fan_out)
                    .zip(ws.delta_prev.chunks_exact_mut(l.fan_in))
                {
                    for (dk, wk) in dprev.iter_mut().zip(w.chunks_exact(l.fan_out)) {
                        *dk = drow.iter().zip(wk).fold(0.0f32, |s, (&d, &wv)| s + d * wv);
                    }
                }
            }
            if li > 0 {
                let (z_prev, a_prev) = (&ws.z[li - 1], &ws.a[li - 1]);
                for (idx, d) in ws.delta_prev.iter_mut().enumerate() {
                    // ReLU layers keep only `a` (see `forward`): a > 0 exactly when z > 0.
                    *d *= match self.activation {
                        Activation::Relu => f32::from(u8::from(a_prev[idx] > 0.0)),
                        act => act.derivative(z_prev[idx], a_prev[idx]),
                    };
                }
            }
            std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
        }
        dx.clear();
        dx.extend_from_slice(&ws.delta);
    }

    /// Logits for `n` rows, row-major `n × K`.
    pub fn predict_logits(&self, x: &[f32], n: usize) -> Vec<f32> {
        let mut ws = MlpWorkspace::default();
        self.forward(x, n, &mut ws).to_vec()
    }

    /// Class probabilities (softmax of the logits) for `n` rows, row-major `n × K`.
    pub fn predict_proba(&self, x: &[f32], n: usize) -> Vec<f32> {
        let mut ws = MlpWorkspace::default();
        let mut out = self.forward(x, n, &mut ws).to_vec();
        let k = self.n_outputs();
        for row in out.chunks_mut(k) {
            softmax_in_place(row);
        }
        out
    }
}

/// One dense layer forward: `z = x·W + b` (bias added after the ascending-k sum), `a = f(z)`.
#[allow(clippy::too_many_arguments)]
fn dense_forward(
    x: Rows,
    w: Rows,
    b: &[f32],
    n: usize,
    l: LayerShape,
    z: Option<&mut [f32]>,
    a: &mut [f32],
    f: impl Fn(f32) -> f32,
) {
    let fo = l.fan_out;
    match z {
        Some(z) => product(x, w, n, fo, l.fan_in, &mut |i, j0, v| {
            let at = i * fo + j0;
            let (z, a) = (&mut z[at..at + v.len()], &mut a[at..at + v.len()]);
            for (((z, a), &s), &bj) in z.iter_mut().zip(a).zip(v).zip(&b[j0..]) {
                *z = s + bj;
                *a = f(*z);
            }
        }),
        None => product(x, w, n, fo, l.fan_in, &mut |i, j0, v| {
            let at = i * fo + j0;
            for ((a, &s), &bj) in a[at..at + v.len()].iter_mut().zip(v).zip(&b[j0..]) {
                *a = f(s + bj);
            }
        }),
    }
}

/// `∂L/∂W[k][j] = Σ_i x[i][k] δ[i][j]`, ascending i, into `gw` (`[fan_in][fan_out]`). The tile runs
/// along the wider of the two dimensions so that narrow layers (two outputs) still fill SIMD lanes.
fn weight_gradient(x: Rows, delta: Rows, n: usize, l: &LayerShape, gw: &mut [f32]) {
    let (fi, fo) = (l.fan_in, l.fan_out);
    if fo >= 8 || fo >= fi {
        transposed_product(x, delta, fi, fo, n, &mut |k, j0, v| {
            gw[k * fo + j0..k * fo + j0 + v.len()].copy_from_slice(v);
        });
    } else {
        transposed_product(delta, x, fo, fi, n, &mut |j, k0, v| {
            for (c, &s) in v.iter().enumerate() {
                gw[(k0 + c) * fo + j] = s;
            }
        });
    }
}

/// Numerically stable softmax of one row (max subtracted), in f32 with the engine's `expf`.
pub fn softmax_in_place(row: &mut [f32]) {
    let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut s = 0.0f32;
    for v in row.iter_mut() {
        *v = crate::math::expf(*v - m);
        s += *v;
    }
    for v in row.iter_mut() {
        *v /= s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ce(m: &Mlp, x: &[f32], y: &[usize]) -> f64 {
        let p = m.predict_proba(x, y.len());
        let k = m.n_outputs();
        y.iter()
            .enumerate()
            .map(|(i, &c)| -(p[i * k + c] as f64).ln())
            .sum::<f64>()
            / y.len() as f64
    }

    #[test]
    fn backward_matches_finite_differences() {
        let heads = [Head::Linear, Head::Cosine { scale: 3.0 }];
        let cases = Activation::ALL
            .into_iter()
            .flat_map(|a| heads.map(|h| (a, h, vec![5, 4])))
            .chain(heads.map(|h| (Activation::Relu, h, vec![])));
        for (act, head, hidden) in cases {
            let spec = ModelSpec {
                hidden,
                activation: act,
                head,
            };
            let mut rng = Rng::from_seed(4);
            let mut m = Mlp::new(&spec, 3, 3, &mut rng);
            for p in m.params.iter_mut() {
                *p += 0.05 * rng.normal() as f32;
            }
            let x: Vec<f32> = (0..12).map(|_| rng.normal() as f32).collect();
            let y = vec![0, 2, 1, 2];
            let mut ws = MlpWorkspace::default();
            let logits = m.forward(&x, 4, &mut ws).to_vec();
            let mut d = logits.clone();
            for (i, row) in d.chunks_mut(3).enumerate() {
                softmax_in_place(row);
                row[y[i]] -= 1.0;
                row.iter_mut().for_each(|v| *v /= 4.0);
            }
            let mut g = vec![0.0; m.n_params()];
            m.backward(&x, 4, &d, &mut ws, &mut g);
            for pi in (0..m.n_params()).step_by(3) {
                let h = 1e-3f32;
                let orig = m.params[pi];
                m.params[pi] = orig + h;
                let up = ce(&m, &x, &y);
                m.params[pi] = orig - h;
                let down = ce(&m, &x, &y);
                m.params[pi] = orig;
                let num = (up - down) / (2.0 * h as f64);
                assert!(
                    (num - g[pi] as f64).abs() < 2e-3 + 2e-2 * num.abs(),
                    "{act:?} {head:?} param {pi}: numeric {num}, analytic {}",
                    g[pi]
                );
            }
        }
    }

    #[test]
    fn input_gradient_matches_finite_differences() {
        let heads = [Head::Linear, Head::Cosine { scale: 3.0 }];
        let cases = Activation::ALL
            .into_iter()
            .flat_map(|a| heads.map(|h| (a, h, vec![5, 4])))
            .chain(
                Activation::ALL
                    .into_iter()
                    .flat_map(|a| heads.map(|h| (a, h, vec![6]))),
            )
            .chain(heads.map(|h| (Activation::Relu, h, vec![])));
        for (act, head, hidden) in cases {
            let spec = ModelSpec {
                hidden: hidden.clone(),
                activation: act,
                head,
            };
            let mut rng = Rng::from_seed(11);
            let mut m = Mlp::new(&spec, 3, 3, &mut rng);
            for p in m.params.iter_mut() {
                *p += 0.05 * rng.normal() as f32;
            }
            let mut x: Vec<f32> = (0..12).map(|_| rng.normal() as f32).collect();
            let y = vec![0, 2, 1, 2];
            let mut ws = MlpWorkspace::default();
            let logits = m.forward(&x, 4, &mut ws).to_vec();
            let mut d = logits.clone();
            for (i, row) in d.chunks_mut(3).enumerate() {
                softmax_in_place(row);
                row[y[i]] -= 1.0;
                row.iter_mut().for_each(|v| *v /= 4.0);
            }
            let params_before = m.params.clone();
            let mut dx = Vec::new();
            m.input_gradient(&x, 4, &d, &mut ws, &mut dx);
            assert_eq!(dx.len(), x.len());
            assert_eq!(m.params, params_before);
            // The parameter gradient from the same workspace is unchanged by the input gradient.
            let mut g_after = vec![0.0; m.n_params()];
            m.backward(&x, 4, &d, &mut ws, &mut g_after);
            let mut ws2 = MlpWorkspace::default();
            m.forward(&x, 4, &mut ws2);
            let mut g_clean = vec![0.0; m.n_params()];
            m.backward(&x, 4, &d, &mut ws2, &mut g_clean);
            assert_eq!(g_after, g_clean, "{act:?} {head:?} {hidden:?}");
            for xi in 0..x.len() {
                let h = 1e-3f32;
                let orig = x[xi];
                x[xi] = orig + h;
                let up = ce(&m, &x, &y);
                x[xi] = orig - h;
                let down = ce(&m, &x, &y);
                x[xi] = orig;
                let num = (up - down) / (2.0 * h as f64);
                assert!(
                    (num - dx[xi] as f64).abs() < 2e-3 + 2e-2 * num.abs(),
                    "{act:?} {head:?} {hidden:?} input {xi}: numeric {num}, analytic {}",
                    dx[xi]
                );
            }
        }
    }

    #[test]
    fn tau_normalization_scales_columns_and_drops_the_bias() {
        let spec = ModelSpec {
            hidden: vec![3],
            activation: Activation::Tanh,
            head: Head::Linear,
        };
        let mut m = Mlp::new(&spec, 2, 4, &mut Rng::from_seed(9));
        m.set_output_bias(0.5);
        let l = *m.layers.last().unwrap();
        let before = column_norms(&m.params[l.w_offset..l.b_offset], &l);
        let unit = m.tau_normalized(1.0);
        let after = column_norms(&unit.params[l.w_offset..l.b_offset], &l);
        for n in after {
            assert!((n - 1.0).abs() < 1e-6);
        }
        assert!(unit.params[l.b_offset..].iter().all(|&b| b == 0.0));
        // τ = 0.5: ‖w_j‖ becomes ‖w_j‖^{1/2}.
        let half = m.tau_normalized(0.5);
        let got = column_norms(&half.params[l.w_offset..l.b_offset], &l);
        for (g, b) in got.iter().zip(&before) {
            assert!((g - b.sqrt()).abs() < 1e-6);
        }
        // Hidden layers are untouched.
        assert_eq!(half.params[..l.w_offset], m.params[..l.w_offset]);
    }

    #[test]
    fn cosine_logits_are_scaled_cosines() {
        let spec = ModelSpec {
            hidden: vec![],
            activation: Activation::Relu,
            head: Head::Cosine { scale: 2.0 },
        };
        let m = Mlp::new(&spec, 3, 2, &mut Rng::from_seed(3));
        let x = [1.0f32, -2.0, 0.5];
        let mut ws = MlpWorkspace::default();
        let z = m.forward(&x, 1, &mut ws).to_vec();
        for (j, zj) in z.iter().enumerate() {
            let w: Vec<f32> = (0..3).map(|k| m.params[k * 2 + j]).collect();
            let dot: f32 = w.iter().zip(&x).map(|(a, b)| a * b).sum();
            let nw = w.iter().map(|v| v * v).sum::<f32>().sqrt();
            let nx = x.iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((zj - 2.0 * dot / (nw * nx)).abs() < 1e-6);
        }
    }
}
