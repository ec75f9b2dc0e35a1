//! Neural-collapse measures against `tools/fixtures/collapse.py` (NumPy, float64, the direct forms
//! with `d × d` matrices and `numpy.linalg.eigh`) and on constructed geometries whose values are
//! known exactly: a simplex ETF and two minority classes sharing a direction.
//!
//! Tolerance: `1e-9` relative (plus `1e-12` absolute for values that are exactly 0 in theory and
//! rounding noise in practice). Both sides read the same f32 numbers and compute in f64; they differ
//! only in summation order and in the eigen-solver (Jacobi on the `K × K` Gram matrix here, LAPACK's
//! `syevd` on `Σ_B` there), each accurate to a few ulps times the condition of the smallest kept
//! eigenvalue — about `1e-13` relative on these cases. `1e-9` leaves room for that and still catches
//! any change of formula (a population instead of a sample sd moves a value by ≥ 5 %, a mean of all
//! rows instead of the mean of the means by far more).

use imlab_engine::representation::{
    collapse_measures, minority_classes, CollapseInput, CollapseMeasures, CollapseWorkspace,
};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/collapse.json");

fn values(m: &CollapseMeasures) -> [(&'static str, Option<f64>); 10] {
    [
        ("nc1", m.nc1),
        ("equinorm_means", m.equinorm_means),
        ("equinorm_classifiers", m.equinorm_classifiers),
        ("equiangular_means", m.equiangular_means),
        ("equiangular_classifiers", m.equiangular_classifiers),
        ("etf_distance_means", m.etf_distance_means),
        ("etf_distance_classifiers", m.etf_distance_classifiers),
        ("nc3", m.nc3),
        ("minority_angle_classifiers", m.minority_angle_classifiers),
        ("minority_angle_means", m.minority_angle_means),
    ]
}

fn f32s(v: &Value) -> Vec<f32> {
    (v.as_array().unwrap().iter())
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[test]
fn measures_match_numpy() {
    let fx: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut ws = CollapseWorkspace::default();
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let features = f32s(&case["features"]);
        let classifiers = f32s(&case["classifiers"]);
        let labels: Vec<usize> = (case["labels"].as_array().unwrap().iter())
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let minority: Vec<bool> = (case["minority"].as_array().unwrap().iter())
            .map(|v| v.as_bool().unwrap())
            .collect();
        let k = case["n_classes"].as_u64().unwrap() as usize;
        let counts: Vec<usize> = (0..k)
            .map(|c| labels.iter().filter(|&&y| y == c).count())
            .collect();
        assert_eq!(minority_classes(&counts), minority, "{name}: minority rule");
        let input = CollapseInput {
            features: &features,
            dim: case["dim"].as_u64().unwrap() as usize,
            labels: &labels,
            n_classes: k,
            classifiers: &classifiers,
            minority: &minority,
        };
        // The workspace is reused across cases of different shapes, as the runner reuses it.
        let got = ws.measure(&input);
        assert_eq!(got, collapse_measures(&input), "{name}: workspace reuse");
        for (key, value) in values(&got) {
            let want = case["expected"][key].as_f64();
            match (value, want) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-9 * b.abs() + 1e-12,
                    "{name} {key}: engine {a} vs numpy {b}"
                ),
                (None, None) => {}
                _ => panic!("{name} {key}: engine {value:?} vs numpy {want:?}"),
            }
        }
    }
}

/// Rows of `per_class` copies of `global + m_c` for each class, and the classifier `W = M̃`.
fn exact_features(means: &[Vec<f64>], global: &[f64], per_class: usize) -> (Vec<f32>, Vec<usize>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    // Interleaved labels, so that nothing depends on rows being grouped by class.
    for _ in 0..per_class {
        for (c, m) in means.iter().enumerate() {
            x.extend(m.iter().zip(global).map(|(a, g)| (a + g) as f32));
            y.push(c);
        }
    }
    (x, y)
}

#[test]
fn a_simplex_etf_is_fully_collapsed() {
    // K = 5 vertices of the simplex ETF, e_c − 1/K, in d = 7 (two spare dimensions), scaled by 2,
    // features offset by a global mean; every row sits exactly on its class mean.
    let (k, d) = (5, 7);
    let means: Vec<Vec<f64>> = (0..k)
        .map(|c| {
            (0..d)
                .map(|j| {
                    if j >= k {
                        0.0
                    } else if j == c {
                        2.0 * (1.0 - 1.0 / k as f64)
                    } else {
                        -2.0 / k as f64
                    }
                })
                .collect()
        })
        .collect();
    let global = vec![0.5, -1.0, 0.25, 2.0, 0.0, 1.0, -0.5];
    let (x, y) = exact_features(&means, &global, 6);
    let w: Vec<f32> = means.iter().flatten().map(|&v| v as f32).collect();
    let minority = vec![false, false, false, true, true];
    let m = collapse_measures(&CollapseInput {
        features: &x,
        dim: d,
        labels: &y,
        n_classes: k,
        classifiers: &w,
        minority: &minority,
    });
    let tiny = 1e-6;
    for (key, v) in values(&m) {
        let v = v.unwrap_or_else(|| panic!("{key} undefined"));
        if key.starts_with("minority_angle") {
            // arccos(−1/(K−1)) = arccos(−1/4) ≈ 104.4775°.
            let want = (-0.25f64).acos().to_degrees();
            assert!((v - want).abs() < 1e-4, "{key}: {v} vs {want}");
        } else {
            assert!(v.abs() < tiny, "{key}: {v}");
        }
    }
    // Sanity: break the ETF (stretch one mean) and NC2 and NC3 leave 0.
    let mut stretched = means.clone();
    stretched[0].iter_mut().for_each(|v| *v *= 1.5);
    let (x2, y2) = exact_features(&stretched, &global, 6);
    let m2 = collapse_measures(&CollapseInput {
        features: &x2,
        dim: d,
        labels: &y2,
        n_classes: k,
        classifiers: &w,
        minority: &minority,
    });
    assert!(m2.equinorm_means.unwrap() > 0.05, "{m2:?}");
    assert!(m2.etf_distance_means.unwrap() > 0.01, "{m2:?}");
    assert!(m2.nc3.unwrap() > 1e-3, "{m2:?}");
    assert!(m2.nc1.unwrap() < tiny, "rows still on their means: {m2:?}");
}

#[test]
fn minority_classes_sharing_a_direction_have_angle_zero() {
    // Centred means: three majority classes, then minority classes 3 and 4 along one direction v
    // (4's twice as long), class 0 chosen so the means sum to 0 (the global mean is the origin).
    let v = [1.0, -2.0, 0.5, 0.0];
    let mut means = [
        vec![0.0; 4],
        vec![3.0, 1.0, 0.0, -1.0],
        vec![-1.0, 2.0, 2.0, 1.0],
        v.to_vec(),
        v.iter().map(|a| 2.0 * a).collect::<Vec<f64>>(),
    ];
    means[0] = (0..4)
        .map(|j| -means[1..].iter().map(|m| m[j]).sum::<f64>())
        .collect();
    let counts = [40, 40, 40, 5, 5];
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (c, &n) in counts.iter().enumerate() {
        for i in 0..n {
            // Symmetric ±0.25 spread on the first axis for the majority: the means stay exact.
            let s = if c < 3 {
                0.25 * (if i % 2 == 0 { 1.0 } else { -1.0 })
            } else {
                0.0
            };
            x.extend(
                means[c]
                    .iter()
                    .enumerate()
                    .map(|(j, &a)| (a + if j == 0 { s } else { 0.0 }) as f32),
            );
            y.push(c);
        }
    }
    let mut w: Vec<f32> = means.iter().flatten().map(|&a| a as f32).collect();
    // Minority classifier 4 along class 3's, a third as long; the majority ones perturbed.
    for j in 0..4 {
        w[4 * 4 + j] = w[3 * 4 + j] / 3.0;
        w[j] += 0.3;
    }
    let minority = minority_classes(&counts);
    assert_eq!(minority, vec![false, false, false, true, true]);
    let m = collapse_measures(&CollapseInput {
        features: &x,
        dim: 4,
        labels: &y,
        n_classes: 5,
        classifiers: &w,
        minority: &minority,
    });
    assert!(m.minority_angle_classifiers.unwrap() < 1e-3, "{m:?}");
    assert!(m.minority_angle_means.unwrap() < 1e-3, "{m:?}");
    // The majority rows have spread: NC1 > 0.
    assert!(m.nc1.unwrap() > 0.0, "{m:?}");
}

#[test]
fn undefined_cases_are_none_not_nan() {
    // One class present: nothing is defined.
    let x = [1.0f32, 2.0, 3.0, 4.0];
    let m = collapse_measures(&CollapseInput {
        features: &x,
        dim: 2,
        labels: &[1, 1],
        n_classes: 3,
        classifiers: &[0.0; 6],
        minority: &[false, false, true],
    });
    assert_eq!(m, CollapseMeasures::default());
    // Zero classifier vectors: the classifier-side measures are undefined, the mean side is not.
    let m = collapse_measures(&CollapseInput {
        features: &x,
        dim: 2,
        labels: &[0, 1],
        n_classes: 2,
        classifiers: &[0.0; 4],
        minority: &[false, false],
    });
    assert!(
        m.equinorm_classifiers.is_none() && m.nc3.is_none() && m.etf_distance_classifiers.is_none()
    );
    assert!(m.equinorm_means.is_some() && m.nc1.is_some());
    // Inconsistent lengths: all None, no panic.
    let m = collapse_measures(&CollapseInput {
        features: &x,
        dim: 2,
        labels: &[0, 1],
        n_classes: 2,
        classifiers: &[1.0; 3],
        minority: &[false, false],
    });
    assert_eq!(m, CollapseMeasures::default());
}

#[test]
fn minority_rule_is_at_most_half_the_largest() {
    assert_eq!(
        minority_classes(&[100, 50, 51, 0, 10]),
        vec![false, true, false, false, true]
    );
    assert_eq!(minority_classes(&[10, 10]), vec![false, false]);
    assert_eq!(minority_classes(&[]), Vec::<bool>::new());
}
