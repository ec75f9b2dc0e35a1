//! Virtual-feature calibration (issue 14): the class Gaussians, the tail classes' calibration from
//! their nearest head classes, the moments of the drawn virtual features, and the second stage it
//! drives (body frozen, head re-trained on real plus balanced virtual features, never evaluated).

use imlab_engine::dataset::{ClassCounts, DatasetSpec, Generator};
use imlab_engine::experiment::{SecondStage, SecondStageMethod};
use imlab_engine::model::Head;
use imlab_engine::representation::{calibrate, cholesky, class_gaussians, draw_balanced};
use imlab_engine::rng::Rng;
use imlab_engine::{Experiment, ExperimentConfig};

#[test]
fn class_gaussians_are_the_sample_mean_and_covariance() {
    // Class 0: (0,0), (2,0), (1,3); class 1: (5,5) alone; class 2 absent.
    let x = [0.0f32, 0.0, 2.0, 0.0, 5.0, 5.0, 1.0, 3.0];
    let y = [0, 0, 1, 0];
    let g = class_gaussians(&x, 2, &y, 3);
    let g0 = g[0].as_ref().unwrap();
    assert_eq!(g0.mean, vec![1.0, 1.0]);
    // Centred rows (-1,-1), (1,-1), (0,2); divided by n − 1 = 2.
    assert_eq!(g0.cov, vec![1.0, 0.0, 0.0, 3.0]);
    let g1 = g[1].as_ref().unwrap();
    assert_eq!(g1.mean, vec![5.0, 5.0]);
    assert_eq!(g1.cov, vec![0.0; 4], "one row: no spread of its own");
    assert!(g[2].is_none());
}

#[test]
fn a_tail_class_keeps_its_mean_and_borrows_its_nearest_heads_covariance() {
    let x = [
        // class 0 (head) near the origin, spread along x
        -2.0f32, 0.0, 2.0, 0.0, 0.0, 0.0, //
        // class 1 (head) far away, spread along y
        50.0, -3.0, 50.0, 3.0, 50.0, 0.0, //
        // class 2 (tail) near class 0
        1.0, 1.0, 1.2, 1.0,
    ];
    let y = [0, 0, 0, 1, 1, 1, 2, 2];
    let stats = class_gaussians(&x, 2, &y, 3);
    let tail = [false, false, true];
    let cal = calibrate(&stats, &tail, 1, 0.0);
    assert_eq!(cal[0], stats[0], "head classes unchanged");
    assert_eq!(cal[1], stats[1]);
    let c2 = cal[2].as_ref().unwrap();
    assert_eq!(c2.mean, stats[2].as_ref().unwrap().mean, "own mean");
    assert_eq!(c2.cov, stats[0].as_ref().unwrap().cov, "class 0 is nearest");
    // Two neighbours: the mean of both heads' covariances, plus α·tr/d on the diagonal.
    let cal2 = calibrate(&stats, &tail, 2, 0.5);
    let (a, b) = (
        &stats[0].as_ref().unwrap().cov,
        &stats[1].as_ref().unwrap().cov,
    );
    let mean: Vec<f64> = a.iter().zip(b).map(|(p, q)| (p + q) / 2.0).collect();
    let ridge = 0.5 * (mean[0] + mean[3]) / 2.0;
    let want = [mean[0] + ridge, mean[1], mean[2], mean[3] + ridge];
    for (got, want) in cal2[2].as_ref().unwrap().cov.iter().zip(want) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}

#[test]
fn cholesky_factors_reproduce_the_matrix() {
    let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
    let l = cholesky(&a, 3).unwrap();
    for i in 0..3 {
        for j in 0..3 {
            let v: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
            assert!((v - a[i * 3 + j]).abs() < 1e-12);
        }
        for j in i + 1..3 {
            assert_eq!(l[i * 3 + j], 0.0, "lower triangular");
        }
    }
    // Rank-deficient (a class whose rows lie on a line): a jitter makes it factor.
    assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_some());
    assert!(cholesky(&[f64::NAN, 0.0, 0.0, 1.0], 2).is_none());
}

/// The drawn virtual features have the calibrated Gaussian's moments. With n = 20 000 draws the
/// sample mean's standard error is σ/√n (≤ 0.016 here) and a sample covariance entry's is about
/// √((σ_i²σ_j² + σ_ij²)/n) (≤ 0.04 here); the bounds are five standard errors, so the test fails
/// only on a real error (a wrong factor, a transposed L, a missing mean), not on chance.
#[test]
fn virtual_features_have_the_calibrated_moments_and_balance_the_classes() {
    let mean = vec![1.0, -2.0, 0.5];
    let cov = vec![4.0, 1.2, -0.8, 1.2, 2.0, 0.3, -0.8, 0.3, 1.0];
    let g = imlab_engine::representation::ClassGaussian {
        mean: mean.clone(),
        cov: cov.clone(),
    };
    let counts = [20_100, 100];
    let gaussians = vec![None, Some(g)];
    let mut rng = Rng::stream(7, "virtual_features");
    let (x, y) = draw_balanced(&gaussians, &counts, &mut rng).unwrap();
    let n = 20_000;
    assert_eq!(
        y,
        vec![1; n],
        "the tail class is topped up to the head's count"
    );
    assert_eq!(x.len(), n * 3);
    let mut m = [0.0f64; 3];
    for row in x.chunks_exact(3) {
        for i in 0..3 {
            m[i] += f64::from(row[i]) / n as f64;
        }
    }
    for i in 0..3 {
        let se = (cov[i * 3 + i] / n as f64).sqrt();
        assert!(
            (m[i] - mean[i]).abs() < 5.0 * se,
            "mean {i}: {} vs {}",
            m[i],
            mean[i]
        );
    }
    for i in 0..3 {
        for j in 0..3 {
            let s: f64 = x
                .chunks_exact(3)
                .map(|r| (f64::from(r[i]) - m[i]) * (f64::from(r[j]) - m[j]))
                .sum::<f64>()
                / (n - 1) as f64;
            let se = ((cov[i * 3 + i] * cov[j * 3 + j] + cov[i * 3 + j].powi(2)) / n as f64).sqrt();
            assert!(
                (s - cov[i * 3 + j]).abs() < 5.0 * se,
                "cov[{i}][{j}]: {s} vs {}",
                cov[i * 3 + j]
            );
        }
    }
    // Same stream, same draws.
    let again =
        draw_balanced(&gaussians, &counts, &mut Rng::stream(7, "virtual_features")).unwrap();
    assert_eq!(again.0, x);
}

fn calibration_config(method: Option<SecondStageMethod>) -> ExperimentConfig {
    let mut cfg = ExperimentConfig {
        epochs: 12,
        batch_size: 32,
        dataset: DatasetSpec {
            generator: Generator::Blobs,
            counts: ClassCounts::Explicit {
                counts: vec![400, 60, 12],
            },
            noise: 1.0,
            ..DatasetSpec::default()
        },
        ..Default::default()
    };
    cfg.model.hidden = vec![16];
    cfg.schedule.second_stage = method.map(|method| SecondStage {
        method,
        epochs: 6,
        lr_factor: None,
        ..Default::default()
    });
    cfg
}

#[test]
fn the_second_stage_freezes_the_body_and_trains_the_head_on_balanced_real_and_virtual_features() {
    let cfg = calibration_config(Some(SecondStageMethod::VirtualFeatureCalibration));
    let mut e = Experiment::new(cfg.clone()).unwrap();
    let boundary = e.stage_boundary().unwrap();
    e.train_steps(boundary).unwrap();
    assert!(
        e.virtual_features().is_none(),
        "nothing drawn before stage 2"
    );
    let before = e.state().params;
    e.train_step().unwrap();
    let after = e.state().params;
    let out = e.model().output_layer_range();
    assert_eq!(before[..out.start], after[..out.start], "body frozen");
    assert_ne!(before[out.clone()], after[out]);
    let (vx, vy) = e.virtual_features().unwrap();
    let d = e.model().feature_dim();
    assert_eq!(vx.len(), vy.len() * d);
    assert!(vx.iter().all(|v| v.is_finite()));
    let counts = e.train.class_counts();
    let max = *counts.iter().max().unwrap();
    for (c, &n) in counts.iter().enumerate() {
        let virtual_n = vy.iter().filter(|&&y| y == c).count();
        assert_eq!(
            n + virtual_n,
            max,
            "class {c}: real + virtual = the largest class"
        );
    }
    e.train_to_end().unwrap();
    let snap = e.snapshot();
    // Virtual features are never evaluated: the test split's size is the split's.
    assert_eq!(
        snap.confusion.counts.iter().sum::<u64>() as usize,
        e.test.len(),
        "only test rows are scored"
    );
    // Reproducible: the same config gives the same numbers.
    let mut again = Experiment::new(cfg).unwrap();
    again.train_to_end().unwrap();
    assert_eq!(again.snapshot().history, snap.history);
}

#[test]
fn calibration_raises_the_tail_recall_over_plain_training() {
    // Mean over seeds of the smallest class's test recall, plain ERM vs ERM + virtual-feature
    // calibration (same stage-1 training, then 6 head epochs on balanced features).
    let mut plain = 0.0;
    let mut calibrated = 0.0;
    let seeds = [1u64, 2, 3, 4];
    for &seed in &seeds {
        for (method, acc) in [
            (None, &mut plain),
            (
                Some(SecondStageMethod::VirtualFeatureCalibration),
                &mut calibrated,
            ),
        ] {
            let mut cfg = calibration_config(method);
            cfg.seed = seed;
            if method.is_none() {
                cfg.epochs = 18; // the same number of epochs in all
            }
            let mut e = Experiment::new(cfg).unwrap();
            e.train_to_end().unwrap();
            *acc += e.snapshot().per_class[2].recall.unwrap_or(0.0) / seeds.len() as f64;
        }
    }
    eprintln!(
        "tail recall over {} seeds: plain {plain:.3}, calibrated {calibrated:.3}",
        seeds.len()
    );
    assert!(
        calibrated > plain + 0.05,
        "tail recall: calibrated {calibrated:.3} vs plain {plain:.3}"
    );
}

#[test]
fn calibration_needs_a_linear_head_and_its_own_keys() {
    let mut cfg = calibration_config(Some(SecondStageMethod::VirtualFeatureCalibration));
    cfg.model.head = Head::Cosine { scale: 10.0 };
    let e = cfg.validate().unwrap_err().to_string();
    assert!(
        e.contains("second_stage.method") && e.contains("linear"),
        "{e}"
    );

    let mut cfg = calibration_config(Some(SecondStageMethod::ClassifierRetraining));
    cfg.schedule.second_stage.as_mut().unwrap().alpha = Some(0.2);
    let e = cfg.validate().unwrap_err().to_string();
    assert!(e.contains("second_stage.alpha"), "{e}");

    for (k, a) in [(Some(0), None), (None, Some(-1.0)), (None, Some(f64::NAN))] {
        let mut cfg = calibration_config(Some(SecondStageMethod::VirtualFeatureCalibration));
        let s = cfg.schedule.second_stage.as_mut().unwrap();
        s.neighbors = k;
        s.alpha = a;
        assert!(Experiment::new(cfg).is_err(), "{k:?} {a:?}");
    }
}

#[test]
fn calibration_round_trips_through_json_and_links() {
    let mut cfg = calibration_config(Some(SecondStageMethod::VirtualFeatureCalibration));
    let s = cfg.schedule.second_stage.as_mut().unwrap();
    s.neighbors = Some(3);
    s.alpha = Some(0.5);
    let back = ExperimentConfig::from_json(&cfg.to_json()).unwrap();
    assert_eq!(back, cfg);
    let link = imlab_engine::link::to_fragment(&cfg, &Default::default());
    assert!(link.contains("virtual_feature_calibration"), "{link}");
    let parsed = imlab_engine::link::parse_fragment(&link, &ExperimentConfig::default());
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.config, cfg);
}

#[test]
fn calibration_refuses_adversarial_training() {
    let mut cfg = calibration_config(Some(SecondStageMethod::VirtualFeatureCalibration));
    cfg.adversarial = Some(Default::default());
    let e = cfg.validate().unwrap_err().to_string();
    assert!(e.contains("input-space attack"), "{e}");
}
