//! The ε-ball shown around a hovered point on the decision-boundary plane, and that point's
//! adversarial example under the configured attack.
//!
//! Only where the plane is the model's own two inputs: the marks are then the rows' raw
//! coordinates, which are what the model reads (the grid is evaluated on the same units, on equal
//! scales on both axes), so a ball of radius ε in input space is a square (L∞) or a circle (L2) of
//! radius ε in plane units. On a principal-component plane the ball is a projection of a
//! d-dimensional one and is not drawn.
//!
//! The attack is the robust evaluation's when set (`robust_eval`), else the adversarial training's
//! settings (`adversarial.attack`); in both cases aimed, as the evaluation is, at the cross-entropy
//! of the evaluation model's probabilities on the point's own class. One row, so a hover costs one
//! attack of one row (at most `MAX_STEPS` forward and backward passes of the small network). The
//! random start draws from the `eps_ball` stream, fresh per hover, so the same point under the same
//! model always shows the same example.

use imlab_engine::adversarial::{perturb, AttackSpec, AttackWorkspace, Norm, ScaledCrossEntropy};
use imlab_engine::rng::Rng;
use imlab_engine::Experiment;

/// The attack the picture uses, if robustness is configured at all.
pub fn configured_attack(exp: &Experiment) -> Option<&AttackSpec> {
    let cfg = exp.config();
    cfg.robust_eval
        .as_ref()
        .or(cfg.adversarial.as_ref().map(|a| &a.attack))
}

/// A hovered point, its ball and its adversarial example, in plane (= input) units.
#[derive(Clone, Debug, PartialEq)]
pub struct EpsBall {
    pub x: f64,
    pub y: f64,
    pub epsilon: f64,
    pub norm: Norm,
    pub adv_x: f64,
    pub adv_y: f64,
    /// Decided class (the experiment's decision rule) of the clean point and of its adversarial
    /// example.
    pub clean_class: usize,
    pub adv_class: usize,
}

impl EpsBall {
    /// The tooltip's line about the attack.
    pub fn describe(&self, attack: &AttackSpec) -> String {
        let verdict = if self.adv_class == self.clean_class {
            "prediction holds"
        } else {
            "prediction flipped"
        };
        format!(
            "predicted: class {} clean → class {} adversarial ({} {}, ε = {}) · {verdict}",
            self.clean_class,
            self.adv_class,
            attack.method.name(),
            attack.norm.name(),
            attack.epsilon
        )
    }
}

/// The ball and adversarial example of the point `(x, y)` of class `class`, for a model of two
/// inputs; `None` when the model does not read exactly two inputs or the class is out of range.
pub fn eps_ball(
    exp: &Experiment,
    attack: &AttackSpec,
    x: f64,
    y: f64,
    class: usize,
) -> Option<EpsBall> {
    if exp.data.n_features != 2 || class >= exp.data.n_classes {
        return None;
    }
    let model = exp.evaluation_model();
    let objective = ScaledCrossEntropy {
        scale: exp.loss().prediction_scale(),
    };
    let row = [x as f32, y as f32];
    let mut rng = Rng::stream(exp.config().seed, "eps_ball");
    let mut adv = Vec::with_capacity(2);
    perturb(
        &model,
        &objective,
        &row,
        &[class],
        attack,
        &exp.attack_range(),
        &mut rng,
        &mut AttackWorkspace::default(),
        &mut adv,
    );
    let clean_class = exp.decide(&exp.predict_proba(&row, 1));
    let adv_class = exp.decide(&exp.predict_proba(&adv, 1));
    Some(EpsBall {
        x,
        y,
        epsilon: attack.epsilon,
        norm: attack.norm,
        adv_x: f64::from(adv[0]),
        adv_y: f64::from(adv[1]),
        clean_class,
        adv_class,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::ExperimentConfig;

    fn exp_with(attack: AttackSpec) -> Experiment {
        let cfg = ExperimentConfig {
            robust_eval: Some(attack),
            ..Default::default()
        };
        let mut exp = Experiment::new(cfg).unwrap();
        for _ in 0..300 {
            exp.train_step().unwrap();
        }
        exp
    }

    #[test]
    fn the_example_lies_in_the_ball_and_is_repeatable() {
        for norm in [Norm::Linf, Norm::L2] {
            let attack = AttackSpec {
                norm,
                epsilon: 0.5,
                ..Default::default()
            };
            let exp = exp_with(attack.clone());
            let a = configured_attack(&exp).unwrap().clone();
            assert_eq!(a, attack);
            let row = exp.test.row(0).to_vec();
            let b = eps_ball(&exp, &a, row[0], row[1], exp.test.y[0]).unwrap();
            let (dx, dy) = (b.adv_x - b.x, b.adv_y - b.y);
            let size = match norm {
                Norm::Linf => dx.abs().max(dy.abs()),
                Norm::L2 => (dx * dx + dy * dy).sqrt(),
            };
            assert!(size <= 0.5 + 1e-5, "{norm:?}: {size}");
            assert!(size > 0.0, "the attack moved the point");
            assert_eq!(
                b.clean_class,
                exp.decide(&exp.predict_proba(&[row[0] as f32, row[1] as f32], 1))
            );
            assert_eq!(
                eps_ball(&exp, &a, row[0], row[1], exp.test.y[0]),
                Some(b.clone())
            );
            assert!(b.describe(&a).contains("adversarial"));
        }
    }

    #[test]
    fn near_the_boundary_the_attack_flips_some_predictions() {
        let attack = AttackSpec {
            epsilon: 0.5,
            ..Default::default()
        };
        let exp = exp_with(attack.clone());
        let flipped = (0..exp.test.len())
            .filter_map(|i| {
                let r = exp.test.row(i);
                eps_ball(&exp, &attack, r[0], r[1], exp.test.y[i])
            })
            .filter(|b| b.adv_class != b.clean_class)
            .count();
        assert!(flipped > 0);
    }

    #[test]
    fn no_ball_without_robustness_or_for_more_than_two_inputs() {
        let exp = Experiment::new(ExperimentConfig::default()).unwrap();
        assert!(configured_attack(&exp).is_none());
        let mut cfg = ExperimentConfig::default();
        cfg.dataset.source = imlab_engine::dataset::DataOrigin::Bundled {
            name: imlab_engine::dataset::BundledName::Wine,
            subsample: None,
            standardize: true,
        };
        cfg.robust_eval = Some(AttackSpec::default());
        let wine = Experiment::new_with(cfg, &crate::files::with_bundled()).unwrap();
        assert_eq!(wine.data.n_features, 13);
        assert!(eps_ball(&wine, &AttackSpec::default(), 0.0, 0.0, 0).is_none());
    }
}
