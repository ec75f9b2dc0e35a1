//! Properties every metric must have on seeded random inputs (ranges, symmetries, invariances,
//! consistency of the "undefined" flags), independent of the reference fixtures.

use imlab_engine::metrics::{
    average_precision_binary, expected_calibration_error, log_loss, roc_auc_binary, roc_auc_ovo,
    roc_auc_ovr, roc_curve, top_k_accuracy, Average, ConfusionMatrix, KappaWeights, MetricsReport,
    Probabilities, Reason, Score, ECE_BINS,
};
use imlab_engine::rng::Rng;

const CASES: u64 = 300;

fn labels(rng: &mut Rng, n: usize, k: usize, skew: bool) -> Vec<usize> {
    (0..n)
        .map(|_| {
            if skew {
                // Mostly class 0: leaves other classes rare or absent.
                let u = rng.uniform();
                if u < 0.7 {
                    0
                } else {
                    rng.below(k)
                }
            } else {
                rng.below(k)
            }
        })
        .collect()
}

fn in_range(s: &Score, lo: f64, hi: f64, what: &str) {
    if let Some(v) = s.value() {
        assert!(
            (lo - 1e-12..=hi + 1e-12).contains(&v),
            "{what} = {v} outside [{lo}, {hi}]"
        );
    }
}

fn random_predictions(seed: u64) -> (Vec<usize>, Vec<usize>, usize) {
    let mut rng = Rng::stream(seed, "metrics-properties");
    let k = [2, 3, 5, 10][rng.below(4)];
    let n = 1 + rng.below(300);
    let skew = rng.uniform() < 0.5;
    let yt = labels(&mut rng, n, k, skew);
    let mut yp = labels(&mut rng, n, k, skew);
    for (p, &t) in yp.iter_mut().zip(&yt) {
        if rng.uniform() < 0.5 {
            *p = t;
        }
    }
    (yt, yp, k)
}

#[test]
fn scores_stay_in_their_ranges() {
    for seed in 0..CASES {
        let (yt, yp, k) = random_predictions(seed);
        let r = MetricsReport::from_predictions(&yt, &yp, k).unwrap();
        for (name, s) in [
            ("accuracy", &r.accuracy),
            ("balanced accuracy", &r.balanced_accuracy),
            ("macro F1", &r.f1_macro),
            ("weighted F1", &r.f1_weighted),
            ("G-mean", &r.g_mean),
            ("G-mean macro", &r.g_mean_macro),
            ("Jaccard", &r.jaccard_macro),
            ("Hamming", &r.hamming_loss),
        ] {
            in_range(s, 0.0, 1.0, name);
        }
        for (name, s) in [
            ("MCC", &r.mcc),
            ("kappa", &r.cohen_kappa),
            ("linear kappa", &r.cohen_kappa_linear),
            ("quadratic kappa", &r.cohen_kappa_quadratic),
        ] {
            in_range(s, -1.0, 1.0, name);
        }
        for row in &r.classes {
            for s in [
                &row.precision,
                &row.recall,
                &row.f1,
                &row.specificity,
                &row.g_mean,
            ] {
                in_range(s, 0.0, 1.0, "per-class score");
            }
            // IBA = (1 + α·dominance)·G² ≤ 1.1 with α = 0.1.
            in_range(&row.iba, 0.0, 1.1, "IBA");
        }
        // Micro F1 is accuracy; Hamming loss its complement.
        assert_eq!(r.f1_micro.value(), r.accuracy.value());
        let (acc, ham) = (r.accuracy.value().unwrap(), r.hamming_loss.value().unwrap());
        assert!((acc + ham - 1.0).abs() < 1e-15);
    }
}

#[test]
fn undefined_flags_follow_the_counts() {
    for seed in 0..CASES {
        let (yt, yp, k) = random_predictions(seed);
        let cm = ConfusionMatrix::new(&yt, &yp, k);
        for c in 0..k {
            let present = cm.is_present(c);
            let p = cm.precision_score(c);
            let r = cm.recall_score(c);
            assert_eq!(p.is_defined(), present && cm.predicted(c) > 0);
            assert_eq!(r.is_defined(), present && cm.support(c) > 0);
            // The legacy Option API agrees wherever the class is present.
            if present {
                assert_eq!(cm.precision(c), p.value());
                assert_eq!(cm.recall(c), r.value());
                assert_eq!(cm.f1(c), cm.f1_score(c).value());
                assert_eq!(p.reference(), Some(p.value().unwrap_or(0.0)));
            }
        }
        // Macro precision is defined exactly when every present class was predicted.
        let all_predicted = cm.present_classes().iter().all(|&c| cm.predicted(c) > 0);
        assert_eq!(
            cm.precision_average(Average::Macro).is_defined(),
            all_predicted
        );
        // Balanced accuracy equals macro recall when no class is only predicted.
        let only_predicted = cm.present_classes().iter().any(|&c| cm.support(c) == 0);
        if !only_predicted {
            let ba = cm.balanced_accuracy_score(false).value().unwrap();
            let mr = cm.recall_average(Average::Macro).value().unwrap();
            assert!((ba - mr).abs() < 1e-15);
        } else {
            assert!(matches!(
                cm.recall_average(Average::Macro).reason(),
                Some(Reason::AbsentFromTruth { .. })
            ));
        }
    }
}

#[test]
fn agreement_scores_are_symmetric_and_label_invariant() {
    for seed in 0..CASES {
        let (yt, yp, k) = random_predictions(seed);
        let a = ConfusionMatrix::new(&yt, &yp, k);
        let b = ConfusionMatrix::new(&yp, &yt, k);
        assert_eq!(a.mcc(), b.mcc());
        for w in [
            KappaWeights::Unweighted,
            KappaWeights::Linear,
            KappaWeights::Quadratic,
        ] {
            let (x, y) = (a.cohen_kappa(w), b.cohen_kappa(w));
            match (x.value(), y.value()) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-12),
                (x, y) => assert_eq!(x, y),
            }
        }
        // Relabelling classes (a permutation) changes nothing that ignores label order.
        let mut rng = Rng::stream(seed, "relabel");
        let perm = rng.permutation(k);
        let pt: Vec<usize> = yt.iter().map(|&y| perm[y]).collect();
        let pp: Vec<usize> = yp.iter().map(|&y| perm[y]).collect();
        let c = ConfusionMatrix::new(&pt, &pp, k);
        let close = |x: &Score, y: &Score| match (x.reference(), y.reference()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-12 || (x.is_nan() && y.is_nan()),
            (x, y) => x == y,
        };
        assert!(close(&a.mcc(), &c.mcc()));
        assert!(close(
            &a.cohen_kappa(KappaWeights::Unweighted),
            &c.cohen_kappa(KappaWeights::Unweighted)
        ));
        assert!(close(
            &a.f1_average(Average::Macro),
            &c.f1_average(Average::Macro)
        ));
        assert!(close(&a.g_mean_multiclass(0.0), &c.g_mean_multiclass(0.0)));
        assert!(close(&a.g_mean_macro(), &c.g_mean_macro()));
        assert_eq!(a.accuracy_score(), c.accuracy_score());
        // A perfect prediction scores 1 everywhere it is defined.
        let perfect = ConfusionMatrix::new(&yt, &yt, k);
        for s in [
            perfect.accuracy_score(),
            perfect.balanced_accuracy_score(false),
            perfect.f1_average(Average::Macro),
            perfect.g_mean_multiclass(0.0),
        ] {
            assert_eq!(s.value(), Some(1.0));
        }
        if perfect.present_classes().len() > 1 {
            assert_eq!(perfect.mcc().value(), Some(1.0));
            assert_eq!(
                perfect.cohen_kappa(KappaWeights::Quadratic).value(),
                Some(1.0)
            );
        }
    }
}

fn random_probabilities(rng: &mut Rng, n: usize, k: usize, ties: bool) -> Vec<f64> {
    let mut v = Vec::with_capacity(n * k);
    for _ in 0..n {
        let w: Vec<f64> = (0..k)
            .map(|_| {
                if ties {
                    rng.below(3) as f64 + 1.0
                } else {
                    rng.uniform() + 1e-3
                }
            })
            .collect();
        let s: f64 = w.iter().sum();
        v.extend(w.iter().map(|x| x / s));
    }
    v
}

#[test]
fn ranking_scores_behave() {
    for seed in 0..CASES {
        let mut rng = Rng::stream(seed, "ranking-properties");
        let k = [2, 3, 5][rng.below(3)];
        let n = 2 + rng.below(200);
        let ties = rng.uniform() < 0.5;
        let y: Vec<usize> = (0..n).map(|_| rng.below(k)).collect();
        let values = random_probabilities(&mut rng, n, k, ties);
        let p = Probabilities::new(&values, k).unwrap();
        // Binary AUC: complement under score negation, invariant under exact rescaling.
        let pos: Vec<bool> = y.iter().map(|&c| c == 0).collect();
        let s = p.column(0);
        let neg: Vec<f64> = s.iter().map(|x| -x).collect();
        let doubled: Vec<f64> = s.iter().map(|x| 2.0 * x).collect();
        let auc = roc_auc_binary(&pos, &s).unwrap();
        if let Some(a) = auc.value() {
            assert!((0.0..=1.0).contains(&a));
            let b = roc_auc_binary(&pos, &neg).unwrap().value().unwrap();
            assert!((a + b - 1.0).abs() < 1e-12, "{a} + {b}");
            assert_eq!(roc_auc_binary(&pos, &doubled).unwrap(), auc);
            let curve = roc_curve(&pos, &s, true).unwrap();
            let (fpr, tpr) = (curve.fpr.unwrap(), curve.tpr.unwrap());
            assert!(fpr.windows(2).all(|w| w[0] <= w[1]));
            assert!(tpr.windows(2).all(|w| w[0] <= w[1]));
            assert_eq!((fpr[0], tpr[0]), (0.0, 0.0));
            assert_eq!((*fpr.last().unwrap(), *tpr.last().unwrap()), (1.0, 1.0));
        } else {
            assert!(pos.iter().all(|&b| b) || pos.iter().all(|&b| !b));
        }
        in_range(&average_precision_binary(&pos, &s).unwrap(), 0.0, 1.0, "AP");
        for avg in [Average::Macro, Average::Weighted] {
            in_range(&roc_auc_ovr(&y, &p, avg).unwrap(), 0.0, 1.0, "OvR AUC");
            in_range(&roc_auc_ovo(&y, &p, avg).unwrap(), 0.0, 1.0, "OvO AUC");
        }
        let mut last = 0.0;
        for kk in 1..=k {
            let t = top_k_accuracy(&y, &p, kk).unwrap().value().unwrap();
            assert!(t >= last);
            last = t;
        }
        assert_eq!(last, 1.0);
        assert!(log_loss(&y, &p).unwrap().value().unwrap() >= 0.0);
        let cal = expected_calibration_error(&y, &p, ECE_BINS).unwrap();
        in_range(&cal.ece, 0.0, 1.0, "ECE");
        assert_eq!(cal.bins.iter().map(|b| b.count).sum::<usize>(), n);
        // Top-label confidence is at least 1/K: bins below it stay empty.
        for b in &cal.bins {
            if b.upper < 1.0 / k as f64 - 1e-12 {
                assert_eq!(b.count, 0);
            }
        }
    }
}

#[test]
fn report_round_trips_through_json() {
    let mut rng = Rng::stream(7, "report-json");
    let y: Vec<usize> = (0..50).map(|_| rng.below(3)).collect();
    let values: Vec<f32> = random_probabilities(&mut rng, 50, 3, true)
        .into_iter()
        .map(|v| v as f32)
        .collect();
    let r = MetricsReport::from_probabilities(&y, &values, None).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let back: MetricsReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    // A threshold needs two classes; binary thresholds move the decisions.
    assert!(MetricsReport::from_probabilities(&y, &values, Some(0.5)).is_err());
    let yb: Vec<usize> = y.iter().map(|&c| usize::from(c == 1)).collect();
    let pb: Vec<f64> = values
        .chunks(3)
        .flat_map(|r| [1.0 - f64::from(r[1]), f64::from(r[1])])
        .collect();
    let low = MetricsReport::from_probabilities(&yb, &pb, Some(0.0)).unwrap();
    assert_eq!(low.confusion.predicted(1), 50);
    assert!(low.g_mean_binary.is_some());
}
