//! The user's choices: which attack, under which norm and budget, and how adversarial training mixes
//! and weighs its loss. Serde types inside [`crate::ExperimentConfig`], so links carry them.

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::loss::ClassWeights;

/// Largest budget ε accepted (the generated datasets span a few units per feature).
pub const MAX_EPSILON: f64 = 10.0;
/// Most PGD steps accepted (each costs a forward and a backward pass over the batch).
pub const MAX_STEPS: usize = 100;

/// The norm of the perturbation budget `‖δ‖ ≤ ε`, per row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Norm {
    #[default]
    Linf,
    L2,
}

impl Norm {
    pub fn name(self) -> &'static str {
        match self {
            Norm::Linf => "linf",
            Norm::L2 => "l2",
        }
    }
}

/// How the perturbation is found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AttackMethod {
    /// One step of size ε along the gradient's sign (L∞) or unit direction (L2): Goodfellow, Shlens
    /// & Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015.
    Fgsm,
    /// Projected gradient ascent: Madry et al., "Towards Deep Learning Models Resistant to Adversarial
    /// Attacks", ICLR 2018.
    Pgd {
        #[serde(default = "default_steps")]
        steps: usize,
        /// Step size α; `None`: `2.5 ε / steps` (Madry et al.'s choice, so that the walk can cross
        /// the ball and back).
        #[serde(default)]
        step_size: Option<f64>,
        /// Start at a point drawn uniformly in the ε-ball (clipped to the data range) instead of at x.
        #[serde(default = "yes")]
        random_start: bool,
    },
}

fn default_steps() -> usize {
    10
}
fn yes() -> bool {
    true
}

impl Default for AttackMethod {
    fn default() -> Self {
        AttackMethod::Pgd {
            steps: default_steps(),
            step_size: None,
            random_start: true,
        }
    }
}

impl AttackMethod {
    pub fn name(&self) -> &'static str {
        match self {
            AttackMethod::Fgsm => "fgsm",
            AttackMethod::Pgd { .. } => "pgd",
        }
    }
}

/// One attack: method, norm and budget ε.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttackSpec {
    #[serde(default)]
    pub method: AttackMethod,
    #[serde(default)]
    pub norm: Norm,
    #[serde(default = "default_epsilon")]
    pub epsilon: f64,
}

fn default_epsilon() -> f64 {
    0.1
}

impl Default for AttackSpec {
    fn default() -> Self {
        AttackSpec {
            method: AttackMethod::default(),
            norm: Norm::default(),
            epsilon: default_epsilon(),
        }
    }
}

impl AttackSpec {
    /// The step size α of every step: ε for FGSM, the configured or default α for PGD.
    pub fn step_size(&self) -> f64 {
        match self.method {
            AttackMethod::Fgsm => self.epsilon,
            AttackMethod::Pgd {
                steps, step_size, ..
            } => step_size.unwrap_or(2.5 * self.epsilon / steps.max(1) as f64),
        }
    }

    /// Gradient steps taken (1 for FGSM).
    pub fn steps(&self) -> usize {
        match self.method {
            AttackMethod::Fgsm => 1,
            AttackMethod::Pgd { steps, .. } => steps,
        }
    }

    pub fn random_start(&self) -> bool {
        matches!(
            self.method,
            AttackMethod::Pgd {
                random_start: true,
                ..
            }
        )
    }

    /// `prefix` names the config key in errors (`adversarial.attack` or `robust_eval`).
    pub fn validate(&self, prefix: &str) -> Result<()> {
        if !(self.epsilon.is_finite() && self.epsilon > 0.0 && self.epsilon <= MAX_EPSILON) {
            return Err(EngineError::config(
                &format!("{prefix}.epsilon"),
                format!(
                    "the budget ε must be in (0, {MAX_EPSILON}], got {}",
                    self.epsilon
                ),
            ));
        }
        if let AttackMethod::Pgd {
            steps, step_size, ..
        } = self.method
        {
            if steps == 0 || steps > MAX_STEPS {
                return Err(EngineError::config(
                    &format!("{prefix}.method.steps"),
                    format!("PGD needs 1 to {MAX_STEPS} steps, got {steps}"),
                ));
            }
            if let Some(a) = step_size {
                if !(a.is_finite() && a > 0.0 && a <= MAX_EPSILON) {
                    return Err(EngineError::config(
                        &format!("{prefix}.method.step_size"),
                        format!("the step size α must be in (0, {MAX_EPSILON}], got {a}"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Adversarial training: each step's loss is `(1 − λ) L(x) + λ L_w(x_adv)`, `x_adv` the attack on
/// the step's (resampled) batch under the current model, `L` the configured loss of that step and
/// `L_w` the same loss with its class weights replaced by `class_weights` when set (reweighted
/// adversarial training). λ = 1 is Madry et al.'s pure adversarial training; λ = ½ is Goodfellow et
/// al.'s mixed objective (their α = 0.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdversarialTraining {
    #[serde(default)]
    pub attack: AttackSpec,
    /// λ, the weight of the adversarial term, in (0, 1].
    #[serde(default = "one")]
    pub adversarial_weight: f64,
    /// Class weights inside the adversarial term (Wang et al., "Imbalanced Adversarial Training with
    /// Reweighting", 2022): `Σ_i w_{y_i} max_δ ℓ(x_i + δ, y_i)`. `None`: the loss's own weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_weights: Option<ClassWeights>,
}

fn one() -> f64 {
    1.0
}

impl Default for AdversarialTraining {
    fn default() -> Self {
        AdversarialTraining {
            attack: AttackSpec::default(),
            adversarial_weight: 1.0,
            class_weights: None,
        }
    }
}

impl AdversarialTraining {
    pub fn validate(&self) -> Result<()> {
        self.attack.validate("adversarial.attack")?;
        let l = self.adversarial_weight;
        if !(l.is_finite() && l > 0.0 && l <= 1.0) {
            return Err(EngineError::config(
                "adversarial.adversarial_weight",
                format!("the adversarial weight λ must be in (0, 1] (1: adversarial examples only), got {l}"),
            ));
        }
        if let Some(w) = &self.class_weights {
            w.validate()?;
        }
        Ok(())
    }
}
