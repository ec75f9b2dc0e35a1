//! The network seen from inside: the penultimate-layer features `h(x)` (the input of the output
//! layer) and the classifier vectors `w_c` (the output layer's columns). The neural-collapse
//! measures, the feature-space view and the representation-level remedies all read these.

use super::{Mlp, MlpWorkspace};

impl Mlp {
    /// Width of the penultimate layer: the last hidden width, or the input width without hidden
    /// layers (softmax regression's "features" are the inputs).
    pub fn feature_dim(&self) -> usize {
        self.layers.last().map_or(0, |l| l.fan_in)
    }

    /// Penultimate-layer features of `n` rows of `x`, row-major `n × feature_dim()`: the activations
    /// the output layer reads (after the hidden activation function).
    pub fn penultimate_features(&self, x: &[f32], n: usize) -> Vec<f32> {
        let mut ws = MlpWorkspace::default();
        self.penultimate_features_with(x, n, &mut ws)
    }

    /// As [`Self::penultimate_features`], reusing `ws` across calls.
    pub fn penultimate_features_with(
        &self,
        x: &[f32],
        n: usize,
        ws: &mut MlpWorkspace,
    ) -> Vec<f32> {
        if self.layers.len() < 2 {
            return x[..n * self.feature_dim()].to_vec();
        }
        self.forward(x, n, ws);
        ws.hidden_activations(self.layers.len() - 2).to_vec()
    }

    /// As [`Self::penultimate_features_with`], without copying: the features are read in place
    /// (from `ws`, or `x` itself without hidden layers).
    pub fn penultimate_features_in<'a>(
        &self,
        x: &'a [f32],
        n: usize,
        ws: &'a mut MlpWorkspace,
    ) -> &'a [f32] {
        if self.layers.len() < 2 {
            return &x[..n * self.feature_dim()];
        }
        self.forward(x, n, ws);
        ws.hidden_activations(self.layers.len() - 2)
    }

    /// Classifier vectors, row-major `K × feature_dim()` (row `c` is class `c`'s weight vector,
    /// the output layer's column `c`), and the output biases. With the linear head the logits are
    /// `h·w_c + b_c`; with the cosine head `s·cos(h, w_c)` (the bias unused).
    pub fn classifier_vectors(&self) -> (Vec<f32>, Vec<f32>) {
        let Some(l) = self.layers.last().copied() else {
            return (Vec::new(), Vec::new());
        };
        let w = &self.params[l.w_offset..l.b_offset];
        let mut out = vec![0.0f32; l.fan_out * l.fan_in];
        for (k, row) in w.chunks_exact(l.fan_out).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                out[c * l.fan_in + k] = v;
            }
        }
        let bias = self.params[l.b_offset..l.b_offset + l.fan_out].to_vec();
        (out, bias)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Activation, Head, Mlp, ModelSpec};
    use crate::rng::Rng;

    fn model(hidden: Vec<usize>) -> Mlp {
        let spec = ModelSpec {
            hidden,
            activation: Activation::Tanh,
            head: Head::Linear,
        };
        Mlp::new(&spec, 3, 4, &mut Rng::stream(7, "init"))
    }

    #[test]
    fn logits_are_features_times_classifier_vectors_plus_bias() {
        for hidden in [vec![], vec![5], vec![6, 5]] {
            let m = model(hidden);
            let x: Vec<f32> = (0..6).map(|i| (i as f32 * 0.37).sin()).collect();
            let h = m.penultimate_features(&x, 2);
            let mut ws = crate::model::MlpWorkspace::default();
            assert_eq!(m.penultimate_features_in(&x, 2, &mut ws), &h[..]);
            let d = m.feature_dim();
            assert_eq!(h.len(), 2 * d);
            let (w, b) = m.classifier_vectors();
            let logits = m.predict_logits(&x, 2);
            for i in 0..2 {
                for c in 0..4 {
                    let z: f32 = (0..d).map(|k| h[i * d + k] * w[c * d + k]).sum::<f32>() + b[c];
                    assert!(
                        (z - logits[i * 4 + c]).abs() < 1e-5,
                        "{z} vs {}",
                        logits[i * 4 + c]
                    );
                }
            }
        }
    }
}
