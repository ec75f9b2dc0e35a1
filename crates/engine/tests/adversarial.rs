//! Adversarial attacks, adversarial training and robust evaluation (`imlab_engine::adversarial`):
//! closed forms on a linear softmax model, brute-force searches over a grid of perturbations, the
//! ε-ball and data-range constraints over many seeds, and the config's refusals and link keys.

use imlab_engine::adversarial::{
    perturb, AdversarialTrainer, AdversarialTraining, AttackMethod, AttackSpec, AttackWorkspace,
    DataRange, Norm, Objective, ScaledCrossEntropy,
};
use imlab_engine::experiment::DeferredReweighting;
use imlab_engine::link::{parse_fragment, to_fragment};
use imlab_engine::loss::{ClassWeights, LossSpec};
use imlab_engine::model::{Activation, Head, Mlp, ModelSpec};
use imlab_engine::rng::Rng;
use imlab_engine::{EngineError, Experiment, ExperimentConfig};

const CE: ScaledCrossEntropy = ScaledCrossEntropy { scale: 1.0 };

fn model(hidden: Vec<usize>, act: Activation, head: Head, d: usize, k: usize, seed: u64) -> Mlp {
    let spec = ModelSpec {
        hidden,
        activation: act,
        head,
    };
    let mut rng = Rng::from_seed(seed);
    let mut m = Mlp::new(&spec, d, k, &mut rng);
    for p in m.params.iter_mut() {
        *p += 0.3 * rng.normal() as f32;
    }
    m
}

fn loss_of(m: &Mlp, x: &[f32], y: usize) -> f64 {
    let z = m.predict_logits(x, 1);
    let mut g = vec![0.0; z.len()];
    CE.value_and_grad(&z, &[y], z.len(), &mut g)
}

fn attack(method: AttackMethod, norm: Norm, epsilon: f64) -> AttackSpec {
    AttackSpec {
        method,
        norm,
        epsilon,
    }
}

fn pgd(steps: usize, random_start: bool) -> AttackMethod {
    AttackMethod::Pgd {
        steps,
        step_size: None,
        random_start,
    }
}

fn run(m: &Mlp, x: &[f32], y: &[usize], a: &AttackSpec, range: &DataRange, seed: u64) -> Vec<f32> {
    let mut out = Vec::new();
    perturb(
        m,
        &CE,
        x,
        y,
        a,
        range,
        &mut Rng::from_seed(seed),
        &mut AttackWorkspace::default(),
        &mut out,
    );
    out
}

/// Two classes, no hidden layer: the loss grows with `(w_o − w_y)·x`, so the optimal L∞
/// perturbation is `ε sign(w_o − w_y)` and the optimal L2 one `ε (w_o − w_y)/‖w_o − w_y‖`.
#[test]
fn fgsm_and_pgd_reach_the_closed_forms_on_a_linear_model() {
    let d = 3;
    for seed in 0..10 {
        let m = model(vec![], Activation::Relu, Head::Linear, d, 2, seed);
        let mut rng = Rng::from_seed(100 + seed);
        let x: Vec<f32> = (0..4 * d).map(|_| rng.normal() as f32).collect();
        let y = vec![0, 1, 1, 0];
        let range = DataRange::unbounded(d);
        let eps = 0.3f32;
        let w = |k: usize, c: usize| m.params[k * 2 + c];
        let optimum = |norm: Norm| -> Vec<f32> {
            let mut out = x.clone();
            for (i, &yi) in y.iter().enumerate() {
                let g: Vec<f32> = (0..d).map(|k| w(k, 1 - yi) - w(k, yi)).collect();
                let gn = g.iter().map(|v| v * v).sum::<f32>().sqrt();
                for k in 0..d {
                    out[i * d + k] += match norm {
                        Norm::Linf => eps * g[k].signum(),
                        Norm::L2 => eps * g[k] / gn,
                    };
                }
            }
            out
        };
        for norm in [Norm::Linf, Norm::L2] {
            let best = optimum(norm);
            let cases = [
                attack(AttackMethod::Fgsm, norm, eps as f64),
                attack(pgd(10, false), norm, eps as f64),
                attack(
                    AttackMethod::Pgd {
                        steps: 40,
                        step_size: Some(0.5 * eps as f64),
                        random_start: true,
                    },
                    norm,
                    eps as f64,
                ),
            ];
            for a in cases {
                let got = run(&m, &x, &y, &a, &range, seed);
                // The random-start L2 walk approaches the optimum on the sphere geometrically.
                let tol = if a.random_start() && norm == Norm::L2 {
                    1e-3
                } else {
                    1e-5
                };
                for (g, b) in got.iter().zip(&best) {
                    assert!(
                        (g - b).abs() < tol,
                        "{a:?} seed {seed}: {got:?} vs {best:?}"
                    );
                }
            }
        }
    }
}

/// The best loss over a grid of perturbations in the ball (2 features).
fn grid_max(m: &Mlp, x: &[f32], y: usize, norm: Norm, eps: f32) -> f64 {
    let steps = 80;
    let mut best = f64::NEG_INFINITY;
    for a in 0..=steps {
        for b in 0..=steps {
            let (u, v) = (
                -eps + 2.0 * eps * a as f32 / steps as f32,
                -eps + 2.0 * eps * b as f32 / steps as f32,
            );
            if norm == Norm::L2 && (u * u + v * v).sqrt() > eps {
                continue;
            }
            best = best.max(loss_of(m, &[x[0] + u, x[1] + v], y));
        }
    }
    // The L2 grid misses most of the circle: add its boundary finely.
    if norm == Norm::L2 {
        for t in 0..720 {
            let th = t as f32 * std::f32::consts::PI / 360.0;
            best = best.max(loss_of(
                m,
                &[x[0] + eps * th.cos(), x[1] + eps * th.sin()],
                y,
            ));
        }
    }
    best
}

#[test]
fn attacks_match_a_brute_force_search() {
    let cases = [
        (vec![], Activation::Relu, "linear"),
        (vec![4], Activation::Tanh, "tiny mlp"),
    ];
    for (hidden, act, what) in cases {
        for seed in 0..6 {
            let m = model(hidden.clone(), act, Head::Linear, 2, 3, seed);
            let mut rng = Rng::from_seed(7 + seed);
            let x = [rng.normal() as f32, rng.normal() as f32];
            let y = (seed % 3) as usize;
            for norm in [Norm::Linf, Norm::L2] {
                let eps = 0.25f32;
                let brute = grid_max(&m, &x, y, norm, eps);
                let a = attack(
                    AttackMethod::Pgd {
                        steps: 100,
                        step_size: Some(eps as f64 / 10.0),
                        random_start: false,
                    },
                    norm,
                    eps as f64,
                );
                let adv = run(&m, &x, &[y], &a, &DataRange::unbounded(2), seed);
                let got = loss_of(&m, &adv, y);
                assert!(
                    got >= brute - 1e-3 * brute.abs().max(1.0),
                    "{what} seed {seed} {norm:?}: PGD loss {got} below the grid's {brute}"
                );
                if hidden.is_empty() {
                    // Linear model (3 classes: the loss is convex in x, the maximum on the boundary)
                    // FGSM is not optimal in general with three classes; with a linear model
                    // PGD must be, up to the grid's resolution.
                    assert!(got <= brute + 1e-2 * brute.abs().max(1.0));
                }
            }
        }
    }
}

#[test]
fn pgd_never_leaves_the_ball_or_the_data_range() {
    for seed in 0..60u64 {
        let mut rng = Rng::from_seed(seed);
        let d = 1 + (seed % 4) as usize;
        let act = Activation::ALL[(seed % 4) as usize];
        let head = if seed % 2 == 0 {
            Head::Linear
        } else {
            Head::Cosine { scale: 5.0 }
        };
        let m = model(vec![6], act, head, d, 3, seed);
        let train: Vec<f32> = (0..20 * d).map(|_| rng.normal() as f32).collect();
        let range = DataRange::of(&train, d);
        // Test rows partly outside the training range.
        let x: Vec<f32> = (0..8 * d).map(|_| 1.5 * rng.normal() as f32).collect();
        let y: Vec<usize> = (0..8).map(|i| i % 3).collect();
        let eps = 0.05 + rng.uniform() * 1.5;
        for norm in [Norm::Linf, Norm::L2] {
            for method in [AttackMethod::Fgsm, pgd(7, true), pgd(3, false)] {
                let a = attack(method, norm, eps);
                let adv = run(&m, &x, &y, &a, &range, seed);
                for (row, x0) in adv.chunks(d).zip(x.chunks(d)) {
                    let dist = match norm {
                        Norm::Linf => row
                            .iter()
                            .zip(x0)
                            .map(|(a, b)| f64::from((a - b).abs()))
                            .fold(0.0, f64::max),
                        Norm::L2 => row
                            .iter()
                            .zip(x0)
                            .map(|(a, b)| f64::from(a - b).powi(2))
                            .sum::<f64>()
                            .sqrt(),
                    };
                    assert!(
                        dist <= eps * (1.0 + 1e-6) + 1e-6,
                        "seed {seed}: {dist} > {eps}"
                    );
                    for (j, (&v, &c)) in row.iter().zip(x0).enumerate() {
                        let (lo, hi) = range.bounds(j, c);
                        assert!(v >= lo && v <= hi, "seed {seed}: {v} outside [{lo}, {hi}]");
                    }
                }
            }
        }
    }
}

#[test]
fn random_starts_come_from_the_adversarial_stream_forked_by_step() {
    let m = model(vec![5], Activation::Tanh, Head::Linear, 2, 2, 3);
    let mut rng = Rng::from_seed(1);
    let x: Vec<f32> = (0..16).map(|_| rng.normal() as f32).collect();
    let y = vec![0, 1, 0, 1, 1, 1, 0, 0];
    let spec = AdversarialTraining {
        attack: attack(pgd(2, true), Norm::L2, 0.4),
        ..Default::default()
    };
    let loss = LossSpec::CrossEntropy.build(&[4, 4]).unwrap();
    let mut trainer = AdversarialTrainer::new(&spec, &x, 2, &[4, 4], 42).unwrap();
    let mut ws = Default::default();
    let mut grad = vec![0.0; m.n_params()];
    trainer
        .value_and_grad(&m, &loss, &x, &y, 5, &mut ws, &mut grad)
        .unwrap();
    let mut expected = Vec::new();
    perturb(
        &m,
        &loss,
        &x,
        &y,
        &spec.attack,
        &DataRange::of(&x, 2),
        &mut Rng::stream(42, "adversarial").fork("step", 5),
        &mut AttackWorkspace::default(),
        &mut expected,
    );
    assert_eq!(trainer.last_adversarial_batch(), &expected[..]);
    // Another step draws another start.
    trainer
        .value_and_grad(&m, &loss, &x, &y, 6, &mut ws, &mut grad)
        .unwrap();
    assert_ne!(trainer.last_adversarial_batch(), &expected[..]);
}

#[test]
fn the_mixed_gradient_is_the_weighted_sum_of_clean_and_adversarial_gradients() {
    let m = model(vec![4], Activation::Gelu, Head::Linear, 2, 2, 8);
    let mut rng = Rng::from_seed(2);
    let x: Vec<f32> = (0..12).map(|_| rng.normal() as f32).collect();
    let y = vec![0, 1, 0, 0, 1, 0];
    let loss = LossSpec::CrossEntropy.build(&[4, 2]).unwrap();
    let grad_of = |lambda: f64, weights: Option<ClassWeights>| {
        let spec = AdversarialTraining {
            attack: attack(AttackMethod::Fgsm, Norm::Linf, 0.2),
            adversarial_weight: lambda,
            class_weights: weights,
        };
        let mut t = AdversarialTrainer::new(&spec, &x, 2, &[4, 2], 1).unwrap();
        let mut g = vec![0.0; m.n_params()];
        let v = t
            .value_and_grad(&m, &loss, &x, &y, 0, &mut Default::default(), &mut g)
            .unwrap();
        (v, g, t.last_adversarial_batch().to_vec())
    };
    let (v_adv, g_adv, x_adv) = grad_of(1.0, None);
    let (v_mix, g_mix, _) = grad_of(0.25, None);
    // The clean loss and gradient, by hand.
    let mut ws = Default::default();
    let z = m.forward(&x, 6, &mut ws).to_vec();
    let mut dz = vec![0.0; 12];
    let v_clean = loss.value_and_grad(&z, &y, 2, &mut dz);
    let mut g_clean = vec![0.0; m.n_params()];
    m.backward(&x, 6, &dz, &mut ws, &mut g_clean);
    assert!((v_mix - (0.75 * v_clean + 0.25 * v_adv)).abs() < 1e-12);
    for ((gm, gc), ga) in g_mix.iter().zip(&g_clean).zip(&g_adv) {
        assert!((gm - (0.75 * gc + 0.25 * ga)).abs() < 1e-6);
    }
    assert!(
        v_adv > v_clean,
        "the attack raises the loss: {v_adv} vs {v_clean}"
    );
    // Reweighting: the same adversarial rows, the loss weighted by class (inverse frequency, Σw = K).
    let (v_w, _, x_adv_w) = grad_of(1.0, Some(ClassWeights::InverseFrequency));
    assert_eq!(x_adv, x_adv_w);
    let weighted = LossSpec::WeightedCe {
        weights: ClassWeights::InverseFrequency,
        reduction: Default::default(),
    }
    .build(&[4, 2])
    .unwrap();
    let z = m.predict_logits(&x_adv, 6);
    let mut g = vec![0.0; 12];
    assert!((v_w - weighted.value_and_grad(&z, &y, 2, &mut g)).abs() < 1e-12);
}

fn small_adv() -> ExperimentConfig {
    ExperimentConfig {
        epochs: 8,
        model: ModelSpec {
            hidden: vec![8],
            ..Default::default()
        },
        adversarial: Some(AdversarialTraining {
            attack: attack(pgd(3, true), Norm::Linf, 0.15),
            ..Default::default()
        }),
        robust_eval: Some(attack(pgd(5, true), Norm::Linf, 0.15)),
        ..Default::default()
    }
}

#[test]
fn adversarial_training_is_deterministic_and_buys_robustness() {
    let cfg = small_adv();
    let mut a = Experiment::new(cfg.clone()).unwrap();
    let mut b = Experiment::new(cfg.clone()).unwrap();
    a.train_to_end().unwrap();
    b.train_to_end().unwrap();
    assert_eq!(a.state(), b.state());
    let clean_cfg = ExperimentConfig {
        adversarial: None,
        ..cfg
    };
    let mut c = Experiment::new(clean_cfg).unwrap();
    c.train_to_end().unwrap();
    assert_ne!(a.state().params, c.state().params);
    let (ra, rc) = (a.snapshot().robust.unwrap(), c.snapshot().robust.unwrap());
    assert!(
        ra.robust_accuracy.unwrap() >= rc.robust_accuracy.unwrap() - 0.02,
        "adversarial {ra:?} vs clean {rc:?}"
    );
    for r in [&ra, &rc] {
        assert!(r.robust_accuracy.unwrap() <= r.clean_accuracy.unwrap() + 1e-9);
        assert_eq!(r.clean_recall.len(), 2);
        assert_eq!(
            r.robust_disparity.worst_accuracy,
            r.robust_recall.iter().flatten().copied().reduce(f64::min)
        );
    }
}

#[test]
fn epsilon_sweep_starts_at_the_clean_accuracy() {
    let mut e = Experiment::new(small_adv()).unwrap();
    e.train_steps(40).unwrap();
    let a = attack(pgd(5, false), Norm::L2, 0.1);
    let curve = e.epsilon_sweep(&a, &[1e-6, 0.1, 0.3, 0.6]).unwrap();
    assert_eq!(curve.len(), 4);
    assert_eq!(curve[0].robust_recall, curve[0].clean_recall);
    assert!(curve[3].robust_accuracy.unwrap() <= curve[0].robust_accuracy.unwrap());
    assert!(matches!(
        e.epsilon_sweep(&a, &[0.0]),
        Err(EngineError::InvalidConfig { .. })
    ));
}

#[test]
fn configs_without_the_options_keep_their_json_and_links() {
    let json = ExperimentConfig::default().to_json();
    assert!(!json.contains("adversarial") && !json.contains("robust_eval"));
    let cfg = ExperimentConfig {
        adversarial: Some(AdversarialTraining {
            attack: attack(pgd(7, true), Norm::L2, 0.3),
            adversarial_weight: 0.5,
            class_weights: Some(ClassWeights::InverseFrequency),
        }),
        robust_eval: Some(attack(AttackMethod::Fgsm, Norm::Linf, 0.2)),
        ..Default::default()
    };
    let f = to_fragment(&cfg, &Default::default());
    assert!(f.contains("adversarial.attack.epsilon=0.3"), "{f}");
    assert!(f.contains("robust_eval.method.kind=fgsm"), "{f}");
    let back = parse_fragment(&f, &ExperimentConfig::default());
    assert!(back.issues.is_empty(), "{:?}", back.issues);
    assert_eq!(back.config, cfg);
    assert_eq!(ExperimentConfig::from_json(&cfg.to_json()).unwrap(), cfg);
}

#[test]
fn meaningless_combinations_are_refused_with_the_key() {
    let key_of = |cfg: ExperimentConfig| match cfg.validate() {
        Err(EngineError::InvalidConfig { key, .. }) => key,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let reweighted = AdversarialTraining {
        class_weights: Some(ClassWeights::InverseFrequency),
        ..Default::default()
    };
    let mut cfg = ExperimentConfig {
        adversarial: Some(reweighted.clone()),
        loss: LossSpec::from_name("dice").unwrap(),
        ..Default::default()
    };
    assert_eq!(key_of(cfg.clone()), "adversarial.class_weights");
    cfg.loss = LossSpec::CrossEntropy;
    cfg.schedule.drw = Some(DeferredReweighting::default());
    assert_eq!(key_of(cfg.clone()), "adversarial.class_weights");
    let mut bad = AdversarialTraining::default();
    bad.attack.epsilon = 0.0;
    let cfg = ExperimentConfig {
        adversarial: Some(bad),
        ..Default::default()
    };
    assert_eq!(key_of(cfg), "adversarial.attack.epsilon");
    let cfg = ExperimentConfig {
        adversarial: Some(AdversarialTraining {
            adversarial_weight: 0.0,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(key_of(cfg), "adversarial.adversarial_weight");
    let cfg = ExperimentConfig {
        robust_eval: Some(attack(pgd(0, true), Norm::Linf, 0.1)),
        ..Default::default()
    };
    assert_eq!(key_of(cfg), "robust_eval.method.steps");
    // Batch-level losses train adversarially (their input gradient is defined), unweighted.
    for name in ["dice", "anyloss"] {
        let cfg = ExperimentConfig {
            epochs: 2,
            batch_size: 64,
            loss: LossSpec::from_name(name).unwrap(),
            adversarial: Some(AdversarialTraining::default()),
            ..Default::default()
        };
        Experiment::new(cfg).unwrap().train_to_end().unwrap();
    }
}
