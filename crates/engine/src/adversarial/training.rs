//! One adversarial-training step's loss and parameter gradient:
//! `L_step = (1 − λ) L(f(x), y) + λ L_w(f(x_adv), y)` and
//! `∇θ L_step = (1 − λ) ∇θ L(x) + λ ∇θ L_w(x_adv)`, where `x` is the step's batch (the resampled
//! rows the sampler and the schedule chose), `x_adv = perturb(x)` under the current parameters with
//! the step's loss `L` as the attack's objective (Madry et al. 2018: the inner maximisation uses the
//! training loss), and `L_w` is `L` with its class weights replaced by the reweighting's (when
//! configured).
//!
//! Reweighted adversarial training (Wang et al., "Imbalanced Adversarial Training with Reweighting",
//! arXiv 2107.13639, 2022, eq. of the reweighted objective): `min_θ Σ_i w_{y_i} max_{‖δ_i‖≤ε}
//! ℓ(f(x_i + δ_i), y_i)`. The weight sits outside the inner maximum; for a per-row loss a positive
//! row weight does not move the row's maximiser, so the attack uses `L` and only the outer loss
//! carries `w` (the sign and unit-L2 directions of the attack are also invariant to it).
//!
//! Batch-level losses (batch soft Dice, AnyLoss) couple the rows: their attack maximises the batch
//! loss jointly over every row's perturbation, each row in its own ball (the input gradient of a
//! batch loss is well defined); they have no class weights, so reweighting them is refused at
//! validation.
//!
//! Random starts: the `adversarial` stream, forked by step (`fork("step", step)`), so a step's
//! perturbation depends on the seed and the step only.

use super::{perturb, AdversarialTraining, AttackWorkspace, DataRange};
use crate::error::Result;
use crate::loss::Loss;
use crate::model::{Mlp, MlpWorkspace};
use crate::rng::Rng;

/// Adversarial training's state across steps: the spec, the data range, the random stream, the
/// class weights of the adversarial term and buffers.
#[derive(Clone, Debug)]
pub struct AdversarialTrainer {
    spec: AdversarialTraining,
    range: DataRange,
    rng: Rng,
    weights: Option<Vec<f64>>,
    work: AttackWorkspace,
    x_adv: Vec<f32>,
    dlogits: Vec<f32>,
    grad_adv: Vec<f32>,
}

impl AdversarialTrainer {
    /// `train_x`: the training split before resampling (its range, see [`DataRange`]); `counts`: the
    /// class counts the loss was built from (the resampled training set), for the class weights.
    pub fn new(
        spec: &AdversarialTraining,
        train_x: &[f32],
        n_features: usize,
        counts: &[usize],
        seed: u64,
    ) -> Result<Self> {
        spec.validate()?;
        let weights = match &spec.class_weights {
            Some(w) => Some(w.compute(counts)?),
            None => None,
        };
        Ok(AdversarialTrainer {
            spec: spec.clone(),
            range: DataRange::of(train_x, n_features),
            rng: Rng::stream(seed, "adversarial"),
            weights,
            work: AttackWorkspace::default(),
            x_adv: Vec::new(),
            dlogits: Vec::new(),
            grad_adv: Vec::new(),
        })
    }

    pub fn spec(&self) -> &AdversarialTraining {
        &self.spec
    }

    pub fn range(&self) -> &DataRange {
        &self.range
    }

    /// The loss of the adversarial term: `loss` with the reweighting's class weights, if any.
    pub fn adversarial_loss(&self, loss: &Loss) -> Result<Loss> {
        match &self.weights {
            Some(w) => loss.reweighted(w),
            None => Ok(loss.clone()),
        }
    }

    /// The mixed loss of step `step` on the batch `x`, `y` and its parameter gradient in `grad`
    /// (`ws` is the model's workspace, left holding the adversarial forward pass).
    #[allow(clippy::too_many_arguments)]
    pub fn value_and_grad(
        &mut self,
        model: &Mlp,
        loss: &Loss,
        x: &[f32],
        y: &[usize],
        step: u64,
        ws: &mut MlpWorkspace,
        grad: &mut [f32],
    ) -> Result<f64> {
        let n = y.len();
        let k = model.n_outputs();
        let lambda = self.spec.adversarial_weight;
        let mut rng = self.rng.fork("step", step);
        perturb(
            model,
            loss,
            x,
            y,
            &self.spec.attack,
            &self.range,
            &mut rng,
            &mut self.work,
            &mut self.x_adv,
        );
        let adv_loss = self.adversarial_loss(loss)?;
        self.dlogits.resize(n * k, 0.0);
        let mut clean_value = 0.0;
        if lambda < 1.0 {
            let logits = model.forward(x, n, ws);
            clean_value = loss.value_and_grad(logits, y, k, &mut self.dlogits);
            model.backward(x, n, &self.dlogits, ws, grad);
        }
        let logits = model.forward(&self.x_adv, n, ws);
        let adv_value = adv_loss.value_and_grad(logits, y, k, &mut self.dlogits);
        if lambda < 1.0 {
            self.grad_adv.resize(grad.len(), 0.0);
            model.backward(&self.x_adv, n, &self.dlogits, ws, &mut self.grad_adv);
            let (a, b) = ((1.0 - lambda) as f32, lambda as f32);
            for (g, &ga) in grad.iter_mut().zip(&self.grad_adv) {
                *g = a * *g + b * ga;
            }
            Ok((1.0 - lambda) * clean_value + lambda * adv_value)
        } else {
            model.backward(&self.x_adv, n, &self.dlogits, ws, grad);
            Ok(adv_value)
        }
    }

    /// The adversarial rows of the last step (for views and tests).
    pub fn last_adversarial_batch(&self) -> &[f32] {
        &self.x_adv
    }
}
