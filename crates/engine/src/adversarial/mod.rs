//! Adversarial robustness under class imbalance: input-space attacks (FGSM, PGD under an L∞ or L2
//! budget), adversarial training mixed with the clean loss and optionally reweighted by class, robust
//! evaluation per class, and the disparity between classes' accuracies. `docs/adversarial.md` gives
//! every formula, its paper and the reference file matched.

mod attack;
mod data_range;
mod disparity;
mod robust_eval;
mod spec;
mod training;

pub use attack::{perturb, AttackWorkspace, Objective, ScaledCrossEntropy};
pub use data_range::DataRange;
pub use disparity::Disparity;
pub use robust_eval::{robust_evaluation, RobustEvaluation};
pub use spec::{AdversarialTraining, AttackMethod, AttackSpec, Norm, MAX_EPSILON, MAX_STEPS};
pub use training::AdversarialTrainer;
