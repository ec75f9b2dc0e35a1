//! Every randomised case written by `tools/fixtures/metrics.py` (scikit-learn 1.9.1 /
//! imbalanced-learn 0.14.2) must be reproduced: values to 1e-12 relative, undefined cases as
//! undefined with the reference's substitute, reference errors as "raises" or `Err`.

mod metrics_common;

use imlab_engine::metrics::{
    average_precision_binary, average_precision_macro, average_precision_per_class,
    expected_calibration_error, hamming_loss_multilabel, jaccard_multilabel, jaccard_per_label,
    log_loss, precision_recall_curve, roc_auc_binary, roc_auc_ovo, roc_auc_ovr, roc_auc_per_class,
    roc_curve, top_k_accuracy, Average, ConfusionMatrix, JaccardAverage, LabelIndicators,
    MetricsReport, Probabilities, Score, ECE_BINS,
};
use metrics_common::{expected, floats, load, num, usizes, Expected, Tally};
use serde_json::Value;

fn cases(name: &str) -> Vec<Value> {
    load(name).as_array().unwrap().clone()
}

fn warned(case: &Value, metric: &str) -> bool {
    case["warned"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str() == Some(metric))
}

#[test]
fn hard_prediction_metrics_match_the_reference() {
    let mut t = Tally::default();
    let all = cases("metrics_labels.json");
    assert!(all.len() >= 200);
    for (ci, case) in all.iter().enumerate() {
        let k = case["k"].as_u64().unwrap() as usize;
        let (yt, yp) = (usizes(&case["y_true"]), usizes(&case["y_pred"]));
        let tag = format!("labels case {ci} ({}, K={k})", case["scenario"]);
        let r = MetricsReport::from_predictions(&yt, &yp, k).unwrap();
        let cm = &r.confusion;
        let want: Vec<u64> = case["confusion"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| usizes(row).into_iter().map(|v| v as u64))
            .collect();
        assert_eq!(cm.counts, want, "{tag} confusion");

        let mut check = |name: &str, got: &Score, key: &str| {
            t.score(&format!("{tag} {name}"), got, &case[key]);
        };
        check("accuracy", &r.accuracy, "accuracy");
        check(
            "balanced accuracy",
            &r.balanced_accuracy,
            "balanced_accuracy",
        );
        check(
            "adjusted balanced accuracy",
            &r.balanced_accuracy_adjusted,
            "balanced_accuracy_adjusted",
        );
        check("macro precision", &r.precision_macro, "precision_macro");
        check(
            "weighted precision",
            &r.precision_weighted,
            "precision_weighted",
        );
        check("macro recall", &r.recall_macro, "recall_macro");
        check("weighted recall", &r.recall_weighted, "recall_weighted");
        check("macro F1", &r.f1_macro, "f1_macro");
        check("weighted F1", &r.f1_weighted, "f1_weighted");
        check("micro F1", &r.f1_micro, "f1_micro");
        check(
            "micro precision",
            &cm.precision_average(Average::Micro),
            "precision_micro",
        );
        check(
            "micro recall",
            &cm.recall_average(Average::Micro),
            "recall_micro",
        );
        check("G-mean", &r.g_mean, "g_mean");
        check(
            "G-mean corrected",
            &cm.g_mean_multiclass(0.001),
            "g_mean_correction",
        );
        check("G-mean macro", &r.g_mean_macro, "g_mean_macro");
        check("IBA multiclass", &r.iba, "iba_multiclass");
        check("MCC", &r.mcc, "mcc");
        check("kappa", &r.cohen_kappa, "kappa");
        check("linear kappa", &r.cohen_kappa_linear, "kappa_linear");
        check(
            "quadratic kappa",
            &r.cohen_kappa_quadratic,
            "kappa_quadratic",
        );
        check("Jaccard macro", &r.jaccard_macro, "jaccard_macro");
        check("Hamming", &r.hamming_loss, "hamming");
        if k == 2 {
            check(
                "binary G-mean",
                r.g_mean_binary.as_ref().unwrap(),
                "g_mean_binary",
            );
        } else {
            assert!(r.g_mean_binary.is_none());
        }
        for (c, row) in r.classes.iter().enumerate() {
            let at = |key: &str| case[key][c].clone();
            for (name, got, key) in [
                ("precision", &row.precision, "precision"),
                ("recall", &row.recall, "recall"),
                ("F1", &row.f1, "f1"),
                ("specificity", &row.specificity, "specificity"),
                ("G-mean", &row.g_mean, "g_mean_per_class"),
                ("IBA", &row.iba, "iba_per_class"),
            ] {
                t.score(&format!("{tag} class {c} {name}"), got, &at(key));
            }
            assert_eq!(row.support, cm.support(c));
        }
        let avg = &r.class_averages;
        for (name, got) in [
            ("pre", &avg.precision),
            ("rec", &avg.recall),
            ("spe", &avg.specificity),
            ("f1", &avg.f1),
            ("geo", &avg.g_mean),
            ("iba", &avg.iba),
        ] {
            t.score(&format!("{tag} avg {name}"), got, &case["report_avg"][name]);
        }
        // Where the reference warns about an ill-defined value, the engine says "undefined".
        for (metric, got) in [
            ("precision_macro", &r.precision_macro),
            ("precision_weighted", &r.precision_weighted),
            ("recall_macro", &r.recall_macro),
            ("g_mean", &r.g_mean),
            ("g_mean_macro", &r.g_mean_macro),
            ("kappa", &r.cohen_kappa),
        ] {
            if warned(case, metric) {
                assert!(
                    !got.is_defined(),
                    "{tag}: reference warns on {metric}, got {got:?}"
                );
            }
        }
    }
    eprintln!("labels: {t:?}");
    assert!(t.compared > 10_000);
}

/// Rebuilds the probability matrix as the fixture script did: `W / row sum` or `W / d`.
fn probabilities(case: &Value) -> (usize, Vec<f64>, bool) {
    let k = case["k"].as_u64().unwrap() as usize;
    let denom = case["denominator"].as_u64();
    let mut values = Vec::new();
    for row in case["weights"].as_array().unwrap() {
        let w: Vec<f64> = usizes(row).into_iter().map(|v| v as f64).collect();
        let d = denom.map_or_else(|| w.iter().sum::<f64>(), |d| d as f64);
        values.extend(w.iter().map(|x| x / d));
    }
    (k, values, denom.is_none())
}

#[test]
fn ranking_and_calibration_metrics_match_the_reference() {
    let mut t = Tally::default();
    let all = cases("metrics_scores.json");
    assert!(all.len() >= 200);
    for (ci, case) in all.iter().enumerate() {
        let (k, values, normalised) = probabilities(case);
        let y = usizes(&case["y_true"]);
        let tag = format!(
            "scores case {ci} ({}, K={k}, N={})",
            case["scenario"],
            y.len()
        );
        let p = Probabilities::new(&values, k).unwrap();
        assert_eq!(p.argmax(), usizes(&case["argmax"]), "{tag} argmax");

        let auc = roc_auc_per_class(&y, &p).unwrap();
        let ap = average_precision_per_class(&y, &p).unwrap();
        for c in 0..k {
            t.score(
                &format!("{tag} AUC class {c}"),
                &auc[c],
                &case["roc_auc_per_class"][c],
            );
            t.score(
                &format!("{tag} AP class {c}"),
                &ap[c],
                &case["ap_per_class"][c],
            );
        }
        if k == 2 {
            let pos: Vec<bool> = y.iter().map(|&v| v == 1).collect();
            let col = p.column(1);
            t.score(
                &format!("{tag} binary AUC"),
                &roc_auc_binary(&pos, &col).unwrap(),
                &case["roc_auc_binary"],
            );
            t.score(
                &format!("{tag} binary AP"),
                &average_precision_binary(&pos, &col).unwrap(),
                &case["ap_binary"],
            );
        }
        let multi = [
            ("roc_auc_ovr_macro", true, Average::Macro),
            ("roc_auc_ovr_weighted", true, Average::Weighted),
            ("roc_auc_ovo_macro", false, Average::Macro),
            ("roc_auc_ovo_weighted", false, Average::Weighted),
        ];
        for (key, ovr, average) in multi {
            if case.get(key).is_none() {
                continue;
            }
            let got = if ovr {
                roc_auc_ovr(&y, &p, average)
            } else {
                roc_auc_ovo(&y, &p, average)
            };
            if !normalised {
                assert!(
                    got.is_err(),
                    "{tag} {key}: rows do not sum to 1, expected Err"
                );
                // (K = 2: the reference never reaches its probability check, it takes the binary
                // path, which raises or returns NaN; K ≥ 3: it raises.)
                assert!(
                    k == 2 || matches!(expected(&case[key]), Expected::Raises(_)),
                    "{tag} {key}: {}",
                    case[key]
                );
                continue;
            }
            let got = got.unwrap();
            if k == 2 && expected(&case[key]) == Expected::Nan {
                // One class in y_true: the two-column definition is NaN, the engine undefined.
                assert!(!got.is_defined(), "{tag} {key}");
                continue;
            }
            t.score(&format!("{tag} {key}"), &got, &case[key]);
        }
        if k > 2 {
            let got = average_precision_macro(&y, &p).unwrap();
            t.score(&format!("{tag} macro AP"), &got, &case["ap_macro"]);
            for kk in [1usize, 2, 3, 5] {
                let key = format!("top_{kk}");
                if case.get(&key).is_some() {
                    let got = top_k_accuracy(&y, &p, kk).unwrap();
                    t.score(&format!("{tag} {key}"), &got, &case[&key]);
                }
            }
        }
        t.score(
            &format!("{tag} log-loss"),
            &log_loss(&y, &p).unwrap(),
            &case["log_loss"],
        );
        let cal = expected_calibration_error(&y, &p, ECE_BINS).unwrap();
        t.score(&format!("{tag} ECE"), &cal.ece, &case["ece"]);
        let counts: Vec<usize> = cal.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, usizes(&case["ece_counts"]), "{tag} ECE bin counts");

        // The report gives the same numbers, and refuses scores that are not probabilities.
        let report = MetricsReport::from_probabilities(&y, &values, None);
        if normalised {
            let report = report.unwrap();
            let pm = report.probabilistic.as_ref().unwrap();
            assert_eq!(pm.log_loss, log_loss(&y, &p).unwrap());
            assert_eq!(pm.roc_auc_per_class, auc);
            assert_eq!(pm.calibration, cal);
            let cm = ConfusionMatrix::new(&y, &p.argmax(), k);
            assert_eq!(report.confusion, cm);
        } else {
            assert!(report.is_err(), "{tag}: unnormalised rows must be refused");
        }
    }
    eprintln!("scores: {t:?}");
    assert!(t.compared > 2_000);
}

fn check_curve(t: &mut Tally, tag: &str, got: Option<&Vec<f64>>, want: &Value) {
    let want = floats(want);
    match got {
        Some(got) => {
            assert_eq!(got.len(), want.len(), "{tag}: {got:?} vs {want:?}");
            for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
                t.number(&format!("{tag}[{i}]"), g, w);
            }
        }
        // Undefined rates: the reference returns NaNs (ROC) or ones then 0 (PR recall).
        None => assert!(
            want.iter().all(|v| v.is_nan()) || want[..want.len() - 1].iter().all(|&v| v == 1.0),
            "{tag}: undefined but reference has {want:?}"
        ),
    }
}

#[test]
fn binary_curves_match_the_reference() {
    let mut t = Tally::default();
    let all = cases("metrics_curves.json");
    assert!(all.len() >= 200);
    for (ci, case) in all.iter().enumerate() {
        let y: Vec<bool> = usizes(&case["y_true"]).iter().map(|&v| v == 1).collect();
        let (offset, d) = (
            case["offset"].as_i64().unwrap(),
            case["d"].as_i64().unwrap(),
        );
        let s: Vec<f64> = case["w"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w.as_i64().unwrap() - offset) as f64 / d as f64)
            .collect();
        let tag = format!("curve case {ci} (N={})", y.len());
        for drop in [true, false] {
            let suffix = if drop { "drop" } else { "all" };
            let roc = roc_curve(&y, &s, drop).unwrap();
            let want = &case[format!("roc_{suffix}")];
            check_curve(
                &mut t,
                &format!("{tag} fpr {suffix}"),
                roc.fpr.as_ref(),
                &want[0],
            );
            check_curve(
                &mut t,
                &format!("{tag} tpr {suffix}"),
                roc.tpr.as_ref(),
                &want[1],
            );
            check_curve(
                &mut t,
                &format!("{tag} roc thresholds {suffix}"),
                Some(&roc.thresholds),
                &want[2],
            );
            let pr = precision_recall_curve(&y, &s, drop).unwrap();
            let want = &case[format!("pr_{suffix}")];
            check_curve(
                &mut t,
                &format!("{tag} precision {suffix}"),
                Some(&pr.precision),
                &want[0],
            );
            check_curve(
                &mut t,
                &format!("{tag} recall {suffix}"),
                pr.recall.as_ref(),
                &want[1],
            );
            check_curve(
                &mut t,
                &format!("{tag} pr thresholds {suffix}"),
                Some(&pr.thresholds),
                &want[2],
            );
        }
        t.score(
            &format!("{tag} AUC"),
            &roc_auc_binary(&y, &s).unwrap(),
            &case["roc_auc"],
        );
        t.score(
            &format!("{tag} AP"),
            &average_precision_binary(&y, &s).unwrap(),
            &case["ap"],
        );
    }
    eprintln!("curves: {t:?}");
    assert!(t.compared > 10_000);
}

#[test]
fn multilabel_metrics_match_the_reference() {
    let mut t = Tally::default();
    let all = cases("metrics_multilabel.json");
    assert!(all.len() >= 200);
    for (ci, case) in all.iter().enumerate() {
        let l = case["n_labels"].as_u64().unwrap() as usize;
        let bits = |v: &Value| -> Vec<bool> {
            v.as_array()
                .unwrap()
                .iter()
                .flat_map(|row| usizes(row).into_iter().map(|b| b == 1))
                .collect()
        };
        let yt = LabelIndicators::new(bits(&case["y_true"]), l).unwrap();
        let yp = LabelIndicators::new(bits(&case["y_pred"]), l).unwrap();
        let tag = format!("multilabel case {ci} ({}×{l})", yt.n_samples);
        t.score(
            &format!("{tag} Hamming"),
            &hamming_loss_multilabel(&yt, &yp).unwrap(),
            &case["hamming"],
        );
        for (key, average) in [
            ("jaccard_samples", JaccardAverage::Samples),
            ("jaccard_macro", JaccardAverage::Macro),
            ("jaccard_micro", JaccardAverage::Micro),
        ] {
            let got = jaccard_multilabel(&yt, &yp, average).unwrap();
            t.score(&format!("{tag} {key}"), &got, &case[key]);
        }
        for (c, got) in jaccard_per_label(&yt, &yp).unwrap().iter().enumerate() {
            t.score(
                &format!("{tag} Jaccard label {c}"),
                got,
                &case["jaccard_per_label"][c],
            );
        }
        let _ = num(&case["hamming"]);
    }
    eprintln!("multilabel: {t:?}");
    assert!(t.compared > 1_000);
}
