//! A label-correlation penalty on the outputs (the "hybrid loss" idea: a base loss plus a term
//! that ties labels that co-occur). With the training co-occurrence counts `c_jk` and positives
//! `n_j`, the affinity `A_jk = c_jk / √(n_j n_k)` (cosine similarity of the label columns, j ≠ k)
//! weights a graph-Laplacian smoothness penalty on each sample's probabilities `p = σ(z)`:
//!
//! `R_i = Σ_{j<k} A_jk (p_ij − p_ik)² / Σ_{j<k} A_jk`,
//! `∂R_i/∂z_ij = 2·p_ij(1 − p_ij)·Σ_{k≠j} A_jk (p_ij − p_ik) / Σ_{j<k} A_jk`,
//!
//! added as `λ_c · reduce_i R_i` (the same reduction over samples as the base loss: sum for a
//! summed loss, else the mean). Labels that often appear together are pushed toward similar
//! scores; `λ_c = 0` removes the term. This is the engine's own formulation (Laplacian
//! regularisation of label outputs, as in manifold-regularised multi-label learning), not a port
//! of a reference implementation. It acts on outputs only, so unknown entries do not change it.

use super::label_stats::LabelStats;
use super::sigmoid::sigmoid;

/// The affinity matrix and its normaliser.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationPenalty {
    pub weight: f64,
    n_labels: usize,
    affinity: Vec<f64>,
    total: f64,
}

impl CorrelationPenalty {
    pub fn new(stats: &LabelStats, weight: f64) -> Self {
        let l = stats.n_labels;
        let mut affinity = vec![0.0; l * l];
        let mut total = 0.0;
        for j in 0..l {
            for k in 0..l {
                let (nj, nk) = (stats.positives[j], stats.positives[k]);
                if j != k && nj > 0 && nk > 0 {
                    let a = stats.cooccurrence[j * l + k] as f64 / ((nj * nk) as f64).sqrt();
                    affinity[j * l + k] = a;
                    if j < k {
                        total += a;
                    }
                }
            }
        }
        CorrelationPenalty {
            weight,
            n_labels: l,
            affinity,
            total,
        }
    }

    /// `A_jk`.
    pub fn affinity(&self, j: usize, k: usize) -> f64 {
        self.affinity[j * self.n_labels + k]
    }

    /// `R_i` of one row of logits, adding `scale·∂R_i/∂z` to `grad`.
    pub fn row(&self, logits: &[f64], scale: f64, grad: &mut [f64]) -> f64 {
        if self.total == 0.0 {
            return 0.0;
        }
        let l = self.n_labels;
        let p: Vec<f64> = logits.iter().map(|&z| sigmoid(z)).collect();
        let mut r = 0.0;
        for j in 0..l {
            let mut pull = 0.0;
            for k in 0..l {
                let a = self.affinity[j * l + k];
                if a != 0.0 {
                    let d = p[j] - p[k];
                    pull += a * d;
                    if j < k {
                        r += a * d * d;
                    }
                }
            }
            grad[j] += scale * 2.0 * p[j] * (1.0 - p[j]) * pull / self.total;
        }
        r / self.total
    }
}
