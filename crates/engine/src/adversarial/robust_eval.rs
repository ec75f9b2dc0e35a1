//! Robust evaluation: per-class accuracy (recall) on the test split under an attack, beside the clean
//! per-class accuracy, with the disparity measures of both, and the same over a list of budgets ε
//! (the clean and robust per-class curves).
//!
//! The attack maximises the cross-entropy of the true label under the model used for evaluation
//! (τ-normalised where configured, probabilities `softmax(s z)` with the loss's prediction scale);
//! the decision on the adversarial rows is the experiment's decision rule (post-hoc correction
//! included), so the robust and clean numbers differ only by the perturbation. Robust accuracy counts
//! a row correct when its adversarial example is classified correctly (as `torchattacks`' evaluation
//! of the attacked images).
//! Random starts come from the `robust_eval` stream, fresh at each evaluation, so an evaluation is a
//! function of the model and the config.

use serde::{Deserialize, Serialize};

use super::{perturb, AttackSpec, AttackWorkspace, DataRange, Disparity, ScaledCrossEntropy};
use crate::experiment::Experiment;
use crate::metrics::ConfusionMatrix;
use crate::model::{softmax_in_place, Mlp, MlpWorkspace};
use crate::rng::Rng;

/// Clean and robust per-class accuracy on the test split under one attack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RobustEvaluation {
    pub attack: AttackSpec,
    /// Recall of each class on the clean test rows (`None`: class absent from the test split).
    pub clean_recall: Vec<Option<f64>>,
    /// Recall of each class on the adversarial test rows.
    pub robust_recall: Vec<Option<f64>>,
    pub clean_accuracy: Option<f64>,
    pub robust_accuracy: Option<f64>,
    pub clean_balanced_accuracy: Option<f64>,
    pub robust_balanced_accuracy: Option<f64>,
    pub clean_disparity: Disparity,
    pub robust_disparity: Disparity,
}

/// Attacks the rows `x` (labels `y`) of `model` and scores clean and adversarial predictions with
/// `decide` (a row of class probabilities → label). `prediction_scale` multiplies the logits before
/// the softmax (LDAM's s).
#[allow(clippy::too_many_arguments)]
pub fn robust_evaluation(
    model: &Mlp,
    prediction_scale: f64,
    x: &[f32],
    y: &[usize],
    attack: &AttackSpec,
    range: &DataRange,
    rng: &mut Rng,
    decide: &dyn Fn(&[f32]) -> usize,
) -> RobustEvaluation {
    let k = model.n_outputs();
    let n = y.len();
    let objective = ScaledCrossEntropy {
        scale: prediction_scale,
    };
    let mut x_adv = Vec::new();
    perturb(
        model,
        &objective,
        x,
        y,
        attack,
        range,
        rng,
        &mut AttackWorkspace::default(),
        &mut x_adv,
    );
    let confusion = |rows: &[f32]| {
        let mut ws = MlpWorkspace::default();
        let mut z = model.forward(rows, n, &mut ws).to_vec();
        let pred: Vec<usize> = z
            .chunks_mut(k)
            .map(|row| {
                if prediction_scale != 1.0 {
                    row.iter_mut().for_each(|v| *v *= prediction_scale as f32);
                }
                softmax_in_place(row);
                decide(row)
            })
            .collect();
        ConfusionMatrix::new(y, &pred, k)
    };
    let (clean, robust) = (confusion(x), confusion(&x_adv));
    let recalls = |cm: &ConfusionMatrix| (0..k).map(|c| cm.recall(c)).collect::<Vec<_>>();
    let (clean_recall, robust_recall) = (recalls(&clean), recalls(&robust));
    RobustEvaluation {
        attack: attack.clone(),
        clean_disparity: Disparity::of(&clean_recall),
        robust_disparity: Disparity::of(&robust_recall),
        clean_recall,
        robust_recall,
        clean_accuracy: clean.accuracy(),
        robust_accuracy: robust.accuracy(),
        clean_balanced_accuracy: clean.balanced_accuracy(),
        robust_balanced_accuracy: robust.balanced_accuracy(),
    }
}

impl Experiment {
    /// The data range the attacks clip to: the training split's (see [`DataRange`]).
    pub fn attack_range(&self) -> DataRange {
        DataRange::of(&self.train.x_f32(), self.train.n_features)
    }

    /// Robust evaluation of the current model on the test split under `attack`.
    pub fn robust_evaluation(&self, attack: &AttackSpec) -> RobustEvaluation {
        let model = self.evaluation_model();
        let range = self.attack_range();
        let mut rng = Rng::stream(self.config().seed, "robust_eval");
        robust_evaluation(
            &model,
            self.loss().prediction_scale(),
            self.test_x(),
            &self.test.y,
            attack,
            &range,
            &mut rng,
            &|p| self.decide(p),
        )
    }

    /// The ε-sweep: [`Self::robust_evaluation`] at each budget in `epsilons` (the attack's other
    /// settings kept; a PGD step size left at its default follows ε). Each point uses the same
    /// `robust_eval` stream, so the curve's points differ by ε alone.
    /// Every ε must be valid (see [`AttackSpec::validate`]).
    pub fn epsilon_sweep(
        &self,
        attack: &AttackSpec,
        epsilons: &[f64],
    ) -> crate::Result<Vec<RobustEvaluation>> {
        let specs: Vec<AttackSpec> = epsilons
            .iter()
            .map(|&epsilon| AttackSpec {
                epsilon,
                ..attack.clone()
            })
            .collect();
        for s in &specs {
            s.validate("epsilons")?;
        }
        Ok(specs.iter().map(|s| self.robust_evaluation(s)).collect())
    }
}
