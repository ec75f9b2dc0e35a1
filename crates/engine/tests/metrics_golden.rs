//! The golden example of methods-spec.md §D.1 (`oracle/golden_metrics.json`, copied with its inputs
//! into `fixtures/metrics_golden.json` by `tools/fixtures/metrics.py`).

mod metrics_common;

use imlab_engine::metrics::{
    average_precision_binary, average_precision_per_class, hamming_loss_multilabel,
    jaccard_multilabel, precision_recall_curve, roc_auc_binary, roc_auc_ovr, roc_curve, Average,
    ConfusionMatrix, JaccardAverage, KappaWeights, LabelIndicators, MetricsReport, Probabilities,
    Score,
};
use metrics_common::{floats, load, num, Tally};
use serde_json::Value;

fn golden() -> (Vec<usize>, Vec<usize>, Vec<f64>, Value, Vec<f64>) {
    let g = load("metrics_golden.json");
    let labels = |v: &Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    };
    let flat = |v: &Value| -> Vec<f64> { v.as_array().unwrap().iter().flat_map(floats).collect() };
    (
        labels(&g["y_true"]),
        labels(&g["y_pred"]),
        flat(&g["probabilities"]),
        g["expected"].clone(),
        flat(&g["unnormalised_scores"]),
    )
}

#[test]
fn golden_hard_prediction_metrics() {
    let (yt, yp, _, e, _) = golden();
    let r = MetricsReport::from_predictions(&yt, &yp, 3).unwrap();
    let cm = &r.confusion;
    assert_eq!(cm.counts, vec![6, 1, 0, 0, 2, 1, 1, 0, 1]);
    let mut t = Tally::default();
    let mut s = |what: &str, got: &Score| t.score(what, got, &e[what]);
    s("accuracy_score", &r.accuracy);
    s("balanced_accuracy_score", &r.balanced_accuracy);
    s(
        "balanced_accuracy_score(adjusted=True)",
        &r.balanced_accuracy_adjusted,
    );
    s("f1 macro", &r.f1_macro);
    s("f1 weighted", &r.f1_weighted);
    s("f1 micro", &r.f1_micro);
    s("matthews_corrcoef", &r.mcc);
    s("cohen_kappa_score", &r.cohen_kappa);
    s(
        "cohen_kappa_score(weights='quadratic')",
        &r.cohen_kappa_quadratic,
    );
    s("imblearn geometric_mean_score (multiclass)", &r.g_mean);
    s(
        "imblearn geometric_mean_score(average='macro')",
        &r.g_mean_macro,
    );
    s("multiclass jaccard macro", &r.jaccard_macro);
    s("multiclass hamming_loss (=1-acc)", &r.hamming_loss);
    for (key, pick) in [
        ("precision (average=None)", 0),
        ("recall (average=None)", 1),
        ("f1 (average=None)", 2),
        ("imblearn specificity(average=None)", 3),
        ("imblearn geometric_mean_score(average=None)", 4),
        ("imblearn IBA(alpha=0.1,squared) of gmean(average=None)", 5),
    ] {
        for (c, row) in r.classes.iter().enumerate() {
            let got = [
                &row.precision,
                &row.recall,
                &row.f1,
                &row.specificity,
                &row.g_mean,
                &row.iba,
            ][pick];
            t.score(&format!("{key}[{c}]"), got, &e[key][c]);
        }
    }
    // IBA of the multiclass G-mean: binary ⇒ G² whatever α (methods-spec.md §D).
    let b = ConfusionMatrix::new(&[0, 0, 1, 1, 1], &[0, 1, 1, 1, 0], 2);
    let g = b.g_mean_multiclass(0.0).value().unwrap();
    for alpha in [0.1, 0.5] {
        let iba = b.iba_multiclass(alpha, 0.0).value().unwrap();
        assert!((iba - g * g).abs() < 1e-15);
    }
    assert!(t.bit_identical + 2 >= t.compared, "{t:?}");
}

#[test]
fn golden_probability_metrics() {
    let (yt, _, probs, e, unnormalised) = golden();
    let r = MetricsReport::from_probabilities(&yt, &probs, None).unwrap();
    let pm = r.probabilistic.as_ref().unwrap();
    let mut t = Tally::default();
    t.score(
        "ovr macro",
        &pm.roc_auc_ovr_macro,
        &e["roc_auc_score ovr macro"],
    );
    t.score(
        "ovr weighted",
        &pm.roc_auc_ovr_weighted,
        &e["roc_auc_score ovr weighted"],
    );
    t.score(
        "ovo macro",
        &pm.roc_auc_ovo_macro,
        &e["roc_auc_score ovo macro"],
    );
    t.score(
        "AP macro",
        &pm.average_precision_macro,
        &e["average_precision_score macro (multiclass)"],
    );
    for c in 0..3 {
        t.score(
            "AP class",
            &pm.average_precision_per_class[c],
            &e["average_precision_score average=None"][c],
        );
    }
    t.score("log_loss", &pm.log_loss, &e["log_loss"]);
    let top2 = pm.top_k_accuracy.iter().find(|x| x.k == 2).unwrap();
    t.score("top-2", &top2.accuracy, &e["top_k_accuracy_score k=2"]);
    t.score(
        "ECE",
        &pm.calibration.ece,
        &e["ECE (15 bins, top-label, l1)"],
    );
    // The report's decisions are the most probable class (the golden y_pred is hand-made, not
    // the argmax).
    let p = Probabilities::new(&probs, 3).unwrap();
    assert_eq!(r.confusion, ConfusionMatrix::new(&yt, &p.argmax(), 3));

    // Binary: class 1 vs rest with score P[:, 1].
    let yb: Vec<bool> = yt.iter().map(|&y| y == 1).collect();
    let sb = p.column(1);
    t.score(
        "binary AUC",
        &roc_auc_binary(&yb, &sb).unwrap(),
        &e["binary roc_auc_score"],
    );
    t.score(
        "binary AP",
        &average_precision_binary(&yb, &sb).unwrap(),
        &e["binary average_precision_score"],
    );
    assert_eq!(
        average_precision_per_class(&yt, &p).unwrap()[1],
        average_precision_binary(&yb, &sb).unwrap()
    );
    // The curves are stored rounded to 4 decimals.
    let roc = roc_curve(&yb, &sb, true).unwrap();
    let near = |got: &[f64], key: &str| {
        let want = floats(&e[key]);
        assert_eq!(got.len(), want.len(), "{key}");
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 5e-5, "{key}: {got:?} vs {want:?}");
        }
    };
    near(roc.fpr.as_ref().unwrap(), "binary roc_curve fpr");
    near(roc.tpr.as_ref().unwrap(), "binary roc_curve tpr");
    assert_eq!(roc.thresholds[0], num(&e["binary roc_curve thr[0]"]));
    let pr = precision_recall_curve(&yb, &sb, false).unwrap();
    near(&pr.precision, "binary precision_recall_curve precision");
    near(
        pr.recall.as_ref().unwrap(),
        "binary precision_recall_curve recall",
    );
    // Binary G-mean of the 0.5 decision.
    let pred: Vec<usize> = sb.iter().map(|&s| usize::from(s > 0.5)).collect();
    let truth: Vec<usize> = yb.iter().map(|&b| usize::from(b)).collect();
    let cm = ConfusionMatrix::new(&truth, &pred, 2);
    t.score(
        "binary gmean multiclass",
        &cm.g_mean_multiclass(0.0),
        &e["binary gmean (imblearn, binary y, default average='multiclass')"],
    );
    t.score(
        "binary gmean binary",
        &cm.g_mean_binary().unwrap(),
        &e["binary gmean average='binary'"],
    );
    // The trapezoid over the PR curve is a different number from AP (0.9028 vs 0.9167).
    let recall = pr.recall.unwrap();
    let trapezoid = imlab_engine::metrics::roc::trapezoid_area(&recall, &pr.precision).unwrap();
    assert!((trapezoid - num(&e["binary auc(PR curve trapezoid) [NOT AP]"])).abs() < 1e-12);
    // Rows that do not sum to 1 are refused, as the reference raises.
    let s = Probabilities::new(&unnormalised, 3).unwrap();
    assert!(roc_auc_ovr(&yt, &s, Average::Macro).is_err());
    assert!(MetricsReport::from_probabilities(&yt, &unnormalised, None).is_err());
}

#[test]
fn golden_edge_cases() {
    let (_, _, _, e, _) = golden();
    let mut t = Tally::default();
    let cm = ConfusionMatrix::new(&[0, 1, 2, 2], &[0, 1, 1, 1], 3);
    let key = "EDGE precision when class 2 never predicted (zero_division='warn')";
    for c in 0..3 {
        t.score(key, &cm.precision_score(c), &e[key][c]);
    }
    assert!(!cm.precision_score(2).is_defined());
    t.score(
        "f1 macro",
        &cm.f1_average(Average::Macro),
        &e["EDGE f1 macro same"],
    );
    t.score(
        "gmean 0",
        &cm.g_mean_multiclass(0.0),
        &e["EDGE gmean with a zero recall (correction=0)"],
    );
    t.score(
        "gmean corrected",
        &cm.g_mean_multiclass(0.001),
        &e["EDGE gmean with a zero recall (correction=0.001)"],
    );
    let one = ConfusionMatrix::new(&[0, 1, 1, 0], &[1, 1, 1, 1], 2);
    t.score("mcc", &one.mcc(), &e["EDGE mcc all predicted one class"]);
    assert!(!one.mcc().is_defined());
    t.score(
        "kappa",
        &one.cohen_kappa(KappaWeights::Unweighted),
        &e["EDGE kappa all predicted one class"],
    );
    let ba = ConfusionMatrix::new(&[0, 0, 1, 1], &[0, 2, 1, 1], 3);
    t.score(
        "ba",
        &ba.balanced_accuracy_score(false),
        &e["EDGE balanced_acc y_pred has class absent from y_true"],
    );
    t.score(
        "auc one class",
        &roc_auc_binary(&[true, true, true], &[0.2, 0.5, 0.9]).unwrap(),
        &e["EDGE roc_auc one class only in y_true"],
    );
    t.score(
        "AP no positives",
        &average_precision_binary(&[false, false, false], &[0.2, 0.5, 0.9]).unwrap(),
        &e["EDGE AP no positives"],
    );
    t.score(
        "ties",
        &roc_auc_binary(&[false, true, false, true], &[0.5, 0.5, 0.5, 0.9]).unwrap(),
        &e["EDGE ties roc_auc"],
    );
    let yt = LabelIndicators::new(
        [1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1]
            .map(|b| b == 1)
            .to_vec(),
        3,
    )
    .unwrap();
    let yp = LabelIndicators::new(
        [1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1]
            .map(|b| b == 1)
            .to_vec(),
        3,
    )
    .unwrap();
    t.score(
        "hamming",
        &hamming_loss_multilabel(&yt, &yp).unwrap(),
        &e["multilabel hamming_loss"],
    );
    for (avg, key) in [
        (JaccardAverage::Samples, "multilabel jaccard samples"),
        (JaccardAverage::Macro, "multilabel jaccard macro"),
        (JaccardAverage::Micro, "multilabel jaccard micro"),
    ] {
        t.score(key, &jaccard_multilabel(&yt, &yp, avg).unwrap(), &e[key]);
    }
    assert_eq!(t.compared, t.bit_identical, "{t:?}");
}
