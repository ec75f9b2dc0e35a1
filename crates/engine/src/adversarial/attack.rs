//! FGSM and PGD in input space, under an L∞ or L2 budget ε per row, projected onto the ε-ball around
//! the clean row and clipped to the data range ([`DataRange`]).
//!
//! Definitions (matched against `torchattacks` — Harry24k/adversarial-attacks-pytorch,
//! `torchattacks/attacks/fgsm.py`, `pgd.py`, `pgdl2.py` — and Madry et al., ICLR 2018, §2–3):
//! * gradient `g = ∇_x L(f(x'), y)` of the attack's objective (training: the step's training loss;
//!   evaluation: cross-entropy on the true label) at the current point `x'`;
//! * direction `s(g)`: `sign(g)` under L∞ (sign 0 stays 0, as `torch.sign`); `g / (‖g‖₂ + 1e-10)` per
//!   row under L2 (`pgdl2.py`'s `eps_for_division`);
//! * FGSM (Goodfellow et al., ICLR 2015): `x_adv = clip(x + ε s(g(x)))` (under L2 this is the "fast
//!   gradient method" with a unit-L2 direction);
//! * PGD: `x⁰ = x`, or with a random start `x⁰ = clip(x + u)`, `u` uniform in the ε-ball; then, for
//!   each of `steps` steps, `x^{t+1} = clip(x + Π_ε(x^t + α s(g(x^t)) − x))`, `Π_ε` the projection of
//!   the perturbation onto the ball: `clamp(δ, −ε, ε)` under L∞, `δ · min(1, ε/‖δ‖₂)` under L2;
//! * `clip`: per feature to `[min(lo_j, x_j), max(hi_j, x_j)]` (the training split's range, widened
//!   to contain the clean point). Under L∞ this is the exact projection onto the intersection of the
//!   ball and the box; under L2 clipping after the ball's projection can only move each coordinate
//!   toward `x_j` (which lies inside its bounds), so the result stays in the ball.
//!
//! Where we differ from `torchattacks`: (1) the L2 random start is uniform in the ball's volume,
//! radius `ε u^{1/d}` on a Gaussian direction; `pgdl2.py` (commit 27e658c) draws the radius as
//! `ε u`, which crowds starts toward the centre. (2) The L∞ random start is `U(−ε, ε)` per coordinate, as `pgd.py`. (3) The objective may be
//! any training loss of the engine, not only cross-entropy.
//!
//! Random draws (random start only) come from the `rng` the caller passes, rows in order, features in
//! order; the trainer forks it per step from the `adversarial` stream.

use super::{AttackSpec, DataRange, Norm};
use crate::loss::Loss;
use crate::model::{Mlp, MlpWorkspace};
use crate::rng::Rng;

/// What the attack maximises: a batch loss of the logits and its gradient with respect to them.
pub trait Objective {
    /// Batch value of `logits` (row-major `y.len() × k`); writes `∂L/∂logits` into `grad`.
    fn value_and_grad(&self, logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64;
}

impl Objective for Loss {
    fn value_and_grad(&self, logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
        Loss::value_and_grad(self, logits, y, k, grad)
    }
}

/// Mean cross-entropy of `softmax(scale · z)` on the true labels: the evaluation attack's objective
/// (`scale` is the loss's prediction scale, LDAM's s, else 1, so the attack sees the probabilities
/// the model predicts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScaledCrossEntropy {
    pub scale: f64,
}

impl Objective for ScaledCrossEntropy {
    fn value_and_grad(&self, logits: &[f32], y: &[usize], k: usize, grad: &mut [f32]) -> f64 {
        let n = y.len();
        if n == 0 {
            return 0.0;
        }
        let mut total = 0.0;
        let mut u = vec![0.0f64; k];
        for (i, &yi) in y.iter().enumerate() {
            let row = &logits[i * k..(i + 1) * k];
            for (uj, &z) in u.iter_mut().zip(row) {
                *uj = self.scale * f64::from(z);
            }
            let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let s: f64 = u.iter().map(|&v| crate::math::exp(v - m)).sum();
            let log_z = m + crate::math::ln(s);
            total += log_z - u[yi];
            for (j, g) in grad[i * k..(i + 1) * k].iter_mut().enumerate() {
                let p = crate::math::exp(u[j] - log_z);
                let t = if j == yi { 1.0 } else { 0.0 };
                *g = (self.scale * (p - t) / n as f64) as f32;
            }
        }
        total / n as f64
    }
}

/// Buffers reused across attacks (the attack's own forward pass, logits gradient, input gradient).
#[derive(Clone, Debug, Default)]
pub struct AttackWorkspace {
    ws: MlpWorkspace,
    dlogits: Vec<f32>,
    dx: Vec<f32>,
}

/// The adversarial rows of `x` (row-major `y.len() × d`) into `out`. `rng` is used only for PGD's
/// random start.
#[allow(clippy::too_many_arguments)]
pub fn perturb(
    model: &Mlp,
    objective: &dyn Objective,
    x: &[f32],
    y: &[usize],
    attack: &AttackSpec,
    range: &DataRange,
    rng: &mut Rng,
    work: &mut AttackWorkspace,
    out: &mut Vec<f32>,
) {
    let n = y.len();
    let d = range.n_features();
    let eps = attack.epsilon as f32;
    out.clear();
    out.extend_from_slice(&x[..n * d]);
    if attack.random_start() {
        random_start(x, d, attack.norm, eps, range, rng, out);
    }
    let alpha = attack.step_size() as f32;
    let k = model.n_outputs();
    for _ in 0..attack.steps() {
        let logits = model.forward(out, n, &mut work.ws);
        work.dlogits.resize(n * k, 0.0);
        objective.value_and_grad(logits, y, k, &mut work.dlogits);
        model.input_gradient(out, n, &work.dlogits, &mut work.ws, &mut work.dx);
        for ((xa, x0), g) in out
            .chunks_exact_mut(d)
            .zip(x.chunks_exact(d))
            .zip(work.dx.chunks_exact(d))
        {
            ascend(xa, g, attack.norm, alpha);
            project(xa, x0, attack.norm, eps, range);
        }
    }
}

/// `x' += α s(g)` for one row.
fn ascend(xa: &mut [f32], g: &[f32], norm: Norm, alpha: f32) {
    match norm {
        Norm::Linf => {
            for (v, &gj) in xa.iter_mut().zip(g) {
                *v += alpha * sign(gj);
            }
        }
        Norm::L2 => {
            let gn = l2(g) + 1e-10;
            for (v, &gj) in xa.iter_mut().zip(g) {
                *v += (f64::from(alpha) * f64::from(gj) / gn) as f32;
            }
        }
    }
}

/// Moves the row `xa` back onto the ε-ball around `x0`, then clips it to the data range.
fn project(xa: &mut [f32], x0: &[f32], norm: Norm, eps: f32, range: &DataRange) {
    match norm {
        Norm::Linf => {
            for (v, &c) in xa.iter_mut().zip(x0) {
                *v = c + (*v - c).clamp(-eps, eps);
            }
        }
        Norm::L2 => {
            let dn = xa
                .iter()
                .zip(x0)
                .map(|(&v, &c)| f64::from(v - c) * f64::from(v - c))
                .sum::<f64>()
                .sqrt();
            if dn > f64::from(eps) {
                let factor = f64::from(eps) / dn;
                for (v, &c) in xa.iter_mut().zip(x0) {
                    *v = c + (f64::from(*v - c) * factor) as f32;
                }
            }
        }
    }
    clip(xa, x0, range);
}

fn clip(xa: &mut [f32], x0: &[f32], range: &DataRange) {
    for (j, (v, &c)) in xa.iter_mut().zip(x0).enumerate() {
        let (lo, hi) = range.bounds(j, c);
        *v = v.clamp(lo, hi);
    }
}

/// PGD's start: `x + u`, `u` uniform in the ε-ball, clipped (and, under L2, kept inside the ball,
/// which rounding could leave by an ulp).
fn random_start(
    x: &[f32],
    d: usize,
    norm: Norm,
    eps: f32,
    range: &DataRange,
    rng: &mut Rng,
    out: &mut [f32],
) {
    for (xa, x0) in out.chunks_exact_mut(d).zip(x.chunks_exact(d)) {
        match norm {
            Norm::Linf => {
                for (v, &c) in xa.iter_mut().zip(x0) {
                    *v = c + rng.uniform_range(-f64::from(eps), f64::from(eps)) as f32;
                }
            }
            Norm::L2 => {
                let dir: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
                let dn = dir.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-300);
                let r = f64::from(eps) * crate::math::pow(rng.uniform(), 1.0 / d as f64);
                for ((v, &c), u) in xa.iter_mut().zip(x0).zip(&dir) {
                    *v = c + (u / dn * r) as f32;
                }
            }
        }
        project(xa, x0, norm, eps, range);
    }
}

#[inline]
fn sign(v: f32) -> f32 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

fn l2(v: &[f32]) -> f64 {
    v.iter()
        .map(|&a| f64::from(a) * f64::from(a))
        .sum::<f64>()
        .sqrt()
}
