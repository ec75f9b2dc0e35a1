//! Softmax cross-entropy, `L = (1/n) Σ_i −log softmax(z_i)[y_i]`; `∂L/∂z_i = (p_i − e_{y_i}) / n`.
//! Reference: PyTorch `F.cross_entropy(reduction='mean')`.

use crate::math;

pub fn cross_entropy(logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
    let n = y.len();
    let inv_n = 1.0 / n as f64;
    let mut total = 0.0f64;
    for (i, &yi) in y.iter().enumerate() {
        let z = &logits[i * k..(i + 1) * k];
        let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let sum: f64 = z.iter().map(|&v| math::exp(v as f64 - m)).sum();
        let log_sum = math::ln(sum) + m;
        total += log_sum - z[yi] as f64;
        let g = &mut grad[i * k..(i + 1) * k];
        for (j, gj) in g.iter_mut().enumerate() {
            let p = math::exp(z[j] as f64 - log_sum);
            let t = if j == yi { 1.0 } else { 0.0 };
            *gj = ((p - t) * inv_n) as f32;
        }
    }
    total * inv_n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_logits_give_log_k() {
        let mut g = vec![0.0; 6];
        let v = cross_entropy(&[0.0; 6], &[0, 2], 3, &mut g);
        assert!((v - 3f64.ln()).abs() < 1e-12);
        assert!((g[0] - (1.0 / 3.0 - 1.0) / 2.0).abs() < 1e-7);
    }
}
