//! Multi-label metrics against scikit-learn 1.9.1 (`tools/fixtures/multilabel_metrics.py`).
//!
//! Every value compares to 1e-12 relative (most are bit-equal: sums follow NumPy's order). An
//! undefined engine score is compared through its reference substitute (`Score::reference`).

use imlab_engine::metrics::{LabelIndicators, Score};
use imlab_engine::multilabel::metrics::{
    coverage_error, label_ranking_average_precision, label_ranking_loss, CurveAverages,
    LabelScores, RankingMetrics, SetMetrics,
};
use serde_json::Value;

const TOL: f64 = 1e-12;

fn load() -> Vec<Value> {
    let path = format!(
        "{}/tests/fixtures/multilabel_metrics.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn expected(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s == "nan" => Some(f64::NAN),
        Value::String(s) if s == "raises" => None,
        other => panic!("not a fixture value: {other}"),
    }
}

fn close(got: Option<f64>, want: Option<f64>, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) if g.is_nan() && w.is_nan() => {}
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= TOL * w.abs().max(1.0),
            "{what}: engine {g}, scikit-learn {w}"
        ),
        (None, None) => {}
        _ => panic!("{what}: engine {got:?}, scikit-learn {want:?}"),
    }
}

fn score(s: &Score, v: &Value, what: &str) {
    close(s.reference(), expected(v), what);
}

fn indicators(v: &Value) -> LabelIndicators {
    let rows = v.as_array().unwrap();
    let l = rows[0].as_array().unwrap().len();
    let bits = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|b| b.as_u64() == Some(1)))
        .collect();
    LabelIndicators::new(bits, l).unwrap()
}

fn scores(v: &Value) -> LabelScores {
    let rows = v.as_array().unwrap();
    let l = rows[0].as_array().unwrap().len();
    let values = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect();
    LabelScores::new(values, l).unwrap()
}

fn curves(c: &CurveAverages, e: &Value, name: &str, tag: &str) {
    for (l, s) in c.per_label.iter().enumerate() {
        score(
            s,
            &e[format!("{name}_per_label")][l],
            &format!("{tag} {name} label {l}"),
        );
    }
    score(
        &c.micro,
        &e[format!("{name}_micro")],
        &format!("{tag} {name} micro"),
    );
    score(
        &c.macro_,
        &e[format!("{name}_macro")],
        &format!("{tag} {name} macro"),
    );
    score(
        &c.weighted,
        &e[format!("{name}_weighted")],
        &format!("{tag} {name} weighted"),
    );
}

#[test]
fn every_multilabel_metric_matches_scikit_learn() {
    let cases = load();
    assert!(cases.len() > 150);
    let mut undefined_seen = 0;
    for e in &cases {
        let tag = e["tag"].as_str().unwrap();
        let (yt, yp, ys) = (
            indicators(&e["y_true"]),
            indicators(&e["y_pred"]),
            scores(&e["y_score"]),
        );
        let m = SetMetrics::compute(&yt, &yp).unwrap();
        score(
            &m.hamming_loss,
            &e["hamming_loss"],
            &format!("{tag} hamming"),
        );
        score(
            &m.subset_accuracy,
            &e["subset_accuracy"],
            &format!("{tag} subset accuracy"),
        );
        for (name, avg) in [
            ("precision", &m.precision),
            ("recall", &m.recall),
            ("f1", &m.f1),
            ("jaccard", &m.jaccard),
        ] {
            score(
                &avg.micro,
                &e[format!("{name}_micro")],
                &format!("{tag} {name} micro"),
            );
            score(
                &avg.macro_,
                &e[format!("{name}_macro")],
                &format!("{tag} {name} macro"),
            );
            score(
                &avg.weighted,
                &e[format!("{name}_weighted")],
                &format!("{tag} {name} weighted"),
            );
            score(
                &avg.samples,
                &e[format!("{name}_samples")],
                &format!("{tag} {name} samples"),
            );
            undefined_seen += [&avg.micro, &avg.macro_, &avg.weighted, &avg.samples]
                .iter()
                .filter(|s| !s.is_defined())
                .count();
        }
        for r in &m.per_label {
            let l = r.label;
            score(
                &r.precision,
                &e["precision_per_label"][l],
                &format!("{tag} precision label {l}"),
            );
            score(
                &r.recall,
                &e["recall_per_label"][l],
                &format!("{tag} recall label {l}"),
            );
            score(&r.f1, &e["f1_per_label"][l], &format!("{tag} f1 label {l}"));
            score(
                &r.jaccard,
                &e["jaccard_per_label"][l],
                &format!("{tag} jaccard label {l}"),
            );
            assert_eq!(
                r.support as u64,
                e["support_per_label"][l].as_u64().unwrap(),
                "{tag} support"
            );
        }
        let r = RankingMetrics::compute(&yt, &ys).unwrap();
        close(
            Some(r.label_ranking_average_precision),
            expected(&e["lrap"]),
            &format!("{tag} lrap"),
        );
        close(
            Some(r.coverage_error),
            expected(&e["coverage_error"]),
            &format!("{tag} coverage"),
        );
        close(
            Some(r.label_ranking_loss),
            expected(&e["ranking_loss"]),
            &format!("{tag} ranking loss"),
        );
        curves(&r.roc_auc, e, "roc_auc", tag);
        curves(&r.average_precision, e, "average_precision", tag);
    }
    // The edge cases must exercise the zero_division path, or this test proves less than it says.
    assert!(
        undefined_seen > 20,
        "only {undefined_seen} undefined averages"
    );
}

#[test]
fn ranking_metrics_refuse_mismatched_shapes() {
    let y = LabelIndicators::new(vec![true, false, false, true], 2).unwrap();
    let s = LabelScores::new(vec![0.1, 0.2, 0.3], 3).unwrap();
    assert!(label_ranking_average_precision(&y, &s).is_err());
    assert!(coverage_error(&y, &s).is_err());
    assert!(label_ranking_loss(&y, &s).is_err());
    assert!(LabelScores::new(vec![0.1, f64::NAN], 2).is_err());
}
