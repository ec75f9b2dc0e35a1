//! Multi-label losses: golden values from NumPy implementations of the references
//! (`tools/fixtures/multilabel_losses.py`), finite-difference gradients, the identities that tie
//! the families together, the "ignore unknowns" convention and the typed validation errors.

use imlab_engine::multilabel::loss::{
    LabelStats, LossReduction, MultilabelLossConfig, MultilabelLossSpec, PosWeight,
};
use imlab_engine::multilabel::{LabelEntry, LabelMatrix};
use imlab_engine::EngineError;
use serde_json::Value;

fn load() -> Vec<Value> {
    let path = format!(
        "{}/tests/fixtures/multilabel_losses.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> LabelMatrix {
    let rows: Vec<Vec<LabelEntry>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|e| match e.as_u64() {
                    Some(1) => LabelEntry::Positive,
                    Some(0) => LabelEntry::Negative,
                    _ => LabelEntry::Unknown,
                })
                .collect()
        })
        .collect();
    LabelMatrix::from_rows(&rows).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect()
}

/// Central differences against the analytic gradient, relative to the gradient's scale.
fn check_gradient(
    loss: &imlab_engine::multilabel::loss::MultilabelLoss,
    z: &[f64],
    y: &LabelMatrix,
    tag: &str,
) {
    let mut g = vec![0.0; z.len()];
    loss.value_and_grad(z, y, &mut g).unwrap();
    let scale = g.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-3);
    let mut scratch = vec![0.0; z.len()];
    for k in 0..z.len() {
        let h = 1e-6;
        let (mut zp, mut zm) = (z.to_vec(), z.to_vec());
        zp[k] += h;
        zm[k] -= h;
        let fp = loss.value_and_grad(&zp, y, &mut scratch).unwrap();
        let fm = loss.value_and_grad(&zm, y, &mut scratch).unwrap();
        let fd = (fp - fm) / (2.0 * h);
        assert!(
            (fd - g[k]).abs() <= 1e-6 * scale,
            "{tag}: entry {k}: analytic {} vs finite difference {fd}",
            g[k]
        );
    }
}

#[test]
fn golden_values_and_gradients_match() {
    let cases = load();
    assert_eq!(cases.len(), 132);
    for (c, e) in cases.iter().enumerate() {
        let config: MultilabelLossConfig = serde_json::from_value(e["config"].clone()).unwrap();
        let stats = LabelStats::from_labels(&matrix(&e["train"]));
        let loss = config.build(&stats).unwrap();
        let (z, y) = (floats(&e["logits"]), matrix(&e["targets"]));
        let mut g = vec![0.0; z.len()];
        let v = loss.value_and_grad(&z, &y, &mut g).unwrap();
        let want = e["value"].as_f64().unwrap();
        let tag = format!("case {c} {:?}", config.loss);
        // 1e-12 relative: the NumPy forms differ from the engine's stable ones (log σ via
        // softplus, torch's pos_weight expression) by a few ulps per entry.
        assert!(
            (v - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{tag}: engine {v}, NumPy {want}"
        );
        for (k, entry) in y.entries().iter().enumerate() {
            if !entry.is_known() && config.correlation_weight == 0.0 {
                assert_eq!(g[k], 0.0, "{tag}: unknown entry {k} has a gradient");
            }
        }
        check_gradient(&loss, &z, &y, &tag);
    }
}

fn sample() -> (LabelMatrix, Vec<f64>, LabelStats) {
    use LabelEntry::{Negative as N, Positive as P, Unknown as U};
    let y = LabelMatrix::from_rows(&[
        vec![P, N, N, U],
        vec![N, P, N, P],
        vec![P, P, U, N],
        vec![N, N, P, N],
    ])
    .unwrap();
    let z = vec![
        1.3, -0.4, 2.2, -3.1, 0.0, 0.7, -1.5, 4.0, -2.6, 0.9, 0.3, -0.8, 1.1, -2.0, 0.45, 2.7,
    ];
    let train = LabelMatrix::from_rows(&[
        vec![P, N, N, P],
        vec![P, P, N, N],
        vec![P, N, P, N],
        vec![N, N, N, P],
        vec![P, N, N, N],
    ])
    .unwrap();
    (y, z, LabelStats::from_labels(&train))
}

fn value(spec: MultilabelLossSpec, reduction: Option<LossReduction>) -> f64 {
    let (y, z, stats) = sample();
    let config = MultilabelLossConfig {
        loss: spec,
        reduction,
        correlation_weight: 0.0,
    };
    let mut g = vec![0.0; z.len()];
    config
        .build(&stats)
        .unwrap()
        .value_and_grad(&z, &y, &mut g)
        .unwrap()
}

#[test]
fn identities_tie_the_families_to_bce() {
    let mean = Some(LossReduction::MeanOverKnown);
    let bce = value(MultilabelLossSpec::Bce, mean);
    let close = |a: f64, what: &str| assert!((a - bce).abs() < 1e-12, "{what}: {a} vs BCE {bce}");
    close(
        value(
            MultilabelLossSpec::FocalBce {
                gamma: 0.0,
                alpha: None,
            },
            mean,
        ),
        "focal γ=0",
    );
    close(
        value(
            MultilabelLossSpec::Asymmetric {
                gamma_pos: 0.0,
                gamma_neg: 0.0,
                clip: 0.0,
                eps: 1e-8,
            },
            mean,
        ),
        "ASL γ+=γ−=0, m=0",
    );
    close(
        value(MultilabelLossSpec::ClassBalancedBce { beta: 0.0 }, mean),
        "CB-BCE β=0",
    );
    close(
        value(
            MultilabelLossSpec::WeightedBce {
                pos_weight: PosWeight::Explicit(vec![1.0; 4]),
            },
            mean,
        ),
        "pos_weight 1",
    );
    // ASL with γ−=γ+=0 and a margin differs from BCE only on negatives.
    let asl_m = value(
        MultilabelLossSpec::Asymmetric {
            gamma_pos: 0.0,
            gamma_neg: 0.0,
            clip: 0.05,
            eps: 1e-8,
        },
        mean,
    );
    assert!(asl_m < bce);
    // Focal with γ = 2 down-weights every entry: strictly below BCE.
    assert!(
        value(
            MultilabelLossSpec::FocalBce {
                gamma: 2.0,
                alpha: None
            },
            mean
        ) < bce
    );
    // ASL's default reduction is the reference's sum: n_known times the mean.
    let asl = MultilabelLossSpec::asymmetric_default();
    let known = sample().0.entries().iter().filter(|e| e.is_known()).count() as f64;
    let s = value(asl.clone(), None);
    assert!((s - known * value(asl, mean)).abs() < 1e-12);
}

#[test]
fn unknown_entries_contribute_nothing() {
    let (y, z, stats) = sample();
    for spec in [
        MultilabelLossSpec::Bce,
        MultilabelLossSpec::asymmetric_default(),
        MultilabelLossSpec::distribution_balanced_default(),
    ] {
        let loss = MultilabelLossConfig {
            loss: spec.clone(),
            reduction: Some(LossReduction::Sum),
            correlation_weight: 0.0,
        }
        .build(&stats)
        .unwrap();
        let mut g = vec![0.0; z.len()];
        let v = loss.value_and_grad(&z, &y, &mut g).unwrap();
        // Moving an unknown entry's logit changes nothing.
        let mut z2 = z.clone();
        z2[3] += 5.0;
        z2[10] -= 7.0;
        let v2 = loss.value_and_grad(&z2, &y, &mut g).unwrap();
        assert_eq!(v, v2, "{spec:?}");
        assert_eq!((g[3], g[10]), (0.0, 0.0));
    }
}

#[test]
fn correlation_penalty_pulls_co_occurring_labels_together() {
    let (y, z, stats) = sample();
    let with = |w: f64| {
        let loss = MultilabelLossConfig {
            loss: MultilabelLossSpec::Bce,
            reduction: None,
            correlation_weight: w,
        }
        .build(&stats)
        .unwrap();
        let mut g = vec![0.0; z.len()];
        let v = loss.value_and_grad(&z, &y, &mut g).unwrap();
        check_gradient(&loss, &z, &y, "correlation");
        v
    };
    let (a, b) = (with(0.0), with(0.5));
    assert!(b > a, "a positive penalty adds to the loss: {b} vs {a}");
    // Equal logits on every label: no disagreement, no penalty.
    let flat = vec![0.3; 16];
    let loss = MultilabelLossConfig {
        loss: MultilabelLossSpec::Bce,
        reduction: None,
        correlation_weight: 0.5,
    }
    .build(&stats)
    .unwrap();
    let base = MultilabelLossConfig::new(MultilabelLossSpec::Bce)
        .build(&stats)
        .unwrap();
    let mut g = vec![0.0; 16];
    assert_eq!(
        loss.value_and_grad(&flat, &y, &mut g).unwrap(),
        base.value_and_grad(&flat, &y, &mut g).unwrap()
    );
}

#[test]
fn bad_parameters_name_their_key() {
    let (_, _, stats) = sample();
    let key = |spec: MultilabelLossSpec| match MultilabelLossConfig::new(spec).build(&stats) {
        Err(EngineError::InvalidConfig { key, .. }) => key,
        other => panic!("expected a config error, got {other:?}"),
    };
    assert_eq!(
        key(MultilabelLossSpec::ClassBalancedBce { beta: 1.0 }),
        "loss.beta"
    );
    assert_eq!(
        key(MultilabelLossSpec::FocalBce {
            gamma: f64::NAN,
            alpha: None
        }),
        "loss.gamma"
    );
    assert_eq!(
        key(MultilabelLossSpec::Asymmetric {
            gamma_pos: 1.0,
            gamma_neg: 4.0,
            clip: 1.5,
            eps: 1e-8
        }),
        "loss.clip"
    );
    assert_eq!(
        key(MultilabelLossSpec::WeightedBce {
            pos_weight: PosWeight::Explicit(vec![1.0; 3])
        }),
        "loss.pos_weight"
    );
    let mut bad = MultilabelLossConfig::new(MultilabelLossSpec::Bce);
    bad.correlation_weight = -1.0;
    assert!(matches!(
        bad.build(&stats),
        Err(EngineError::InvalidConfig { key, .. }) if key == "loss.correlation_weight"
    ));
    // A label without positives cannot have class-balanced weights.
    let no_pos =
        LabelMatrix::from_rows(&[vec![LabelEntry::Positive, LabelEntry::Negative]]).unwrap();
    let e = MultilabelLossConfig::new(MultilabelLossSpec::ClassBalancedBce { beta: 0.9 })
        .build(&LabelStats::from_labels(&no_pos))
        .unwrap_err();
    assert!(e.to_string().contains("label 1 has no positive"), "{e}");
    // NaN logits are refused, not propagated.
    let (y, mut z, stats) = sample();
    z[0] = f64::NAN;
    let loss = MultilabelLossConfig::new(MultilabelLossSpec::Bce)
        .build(&stats)
        .unwrap();
    assert!(loss.value_and_grad(&z, &y, &mut [0.0; 16]).is_err());
}
