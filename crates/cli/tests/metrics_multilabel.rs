//! `imlab metrics --multilabel`: output keys and values on scikit-learn's docstring examples, and
//! the error messages for malformed input.

mod common;

use common::{fails, ok, scratch};
use serde_json::Value;

fn run(name: &str, csv: &str, extra: &[&str]) -> Value {
    let dir = scratch(name);
    std::fs::write(dir.join("in.csv"), csv).unwrap();
    let mut args = vec!["metrics", "--multilabel", "--input", "in.csv"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&dir, &args).stdout).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn set_metrics_of_predicted_indicators() {
    // jaccard_score docstring: y_true [[0,1,1],[1,1,0]], y_pred [[1,1,1],[1,0,0]].
    let out = run(
        "ml_set",
        "y_0,y_1,y_2,y_pred_0,y_pred_1,y_pred_2\n0,1,1,1,1,1\n1,1,0,1,0,0\n",
        &[],
    );
    assert_eq!(out["task"], "multilabel");
    assert_eq!(out["n_labels"], 3);
    assert_eq!(out["predictions_from"], "y_pred columns");
    let m = &out["metrics"];
    assert!((f(&m["jaccard"]["samples"]) - 7.0 / 12.0).abs() < 1e-15);
    assert!((f(&m["jaccard"]["macro"]) - 2.0 / 3.0).abs() < 1e-15);
    assert!((f(&m["jaccard"]["micro"]) - 0.6).abs() < 1e-15);
    assert!((f(&m["hamming_loss"]) - 2.0 / 6.0).abs() < 1e-15);
    assert_eq!(f(&m["subset_accuracy"]), 0.0);
    // micro precision: tp 3 of 4 predicted; recall 3 of 4 true.
    assert_eq!(f(&m["precision"]["micro"]), 0.75);
    assert_eq!(f(&m["recall"]["micro"]), 0.75);
    assert_eq!(m["per_label"][1]["support"], 2);
    assert!(m.get("label_ranking_average_precision").is_none());
}

#[test]
fn ranking_metrics_of_scores_and_thresholded_predictions() {
    // label_ranking_average_precision_score docstring: 0.416...
    let out = run(
        "ml_rank",
        "y_0,y_1,y_2,p_0,p_1,p_2\n1,0,0,0.75,0.5,1\n0,0,1,1,0.2,0.1\n",
        &["--threshold", "0.6"],
    );
    let m = &out["metrics"];
    assert!((f(&m["label_ranking_average_precision"]) - 5.0 / 12.0).abs() < 1e-15);
    assert_eq!(f(&m["coverage_error"]), 2.5);
    assert_eq!(f(&m["label_ranking_loss"]), 0.75);
    assert_eq!(out["predictions_from"], "p_l > 0.6");
    // Label 1 is never true: its AUC is null with a note saying scikit-learn returns NaN.
    assert!(m["roc_auc"]["per_label"][1].is_null());
    let note = out["notes"]["roc_auc.per_label[1]"].as_str().unwrap();
    assert!(note.contains("NaN"), "{note}");
    // Thresholded at 0.6: row 0 predicts {0, 2}, row 1 {0}.
    assert_eq!(f(&m["precision"]["micro"]), 1.0 / 3.0);
}

#[test]
fn malformed_input_is_refused_with_a_reason() {
    let dir = scratch("ml_errors");
    let cases = [
        ("nolabels.csv", "a,b\n1,0\n", "no true-label columns"),
        ("nopred.csv", "y_0,y_1\n1,0\n", "no prediction columns"),
        ("gap.csv", "y_0,y_2,p_0\n1,0,0.5\n", "without gaps"),
        ("count.csv", "y_0,y_1,p_0\n1,0,0.5\n", "1 p_ columns but 2"),
        ("cell.csv", "y_0,y_pred_0\n2,1\n", "is not 0 or 1"),
        ("unknown.csv", "y_0,y_pred_0\n?,1\n", "unknown entries"),
        ("score.csv", "y_0,p_0\n1,abc\n", "not a finite number"),
        ("ragged.csv", "y_0,p_0\n1\n", "1 fields, the header has 2"),
        ("empty.csv", "y_0,p_0\n", "no data rows"),
    ];
    for (name, text, needle) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        fails(
            &dir,
            &["metrics", "--multilabel", "--input", name],
            &[needle],
        );
    }
    let many: String = (0..65).map(|l| format!("y_{l},")).collect::<String>() + "p_0\n";
    std::fs::write(dir.join("many.csv"), many).unwrap();
    fails(
        &dir,
        &["metrics", "--multilabel", "--input", "many.csv"],
        &["limit of 64"],
    );
    std::fs::write(dir.join("both.csv"), "y_0,y_pred_0\n1,1\n").unwrap();
    fails(
        &dir,
        &[
            "metrics",
            "--multilabel",
            "--input",
            "both.csv",
            "--threshold",
            "0.3",
        ],
        &["--threshold applies to scores"],
    );
}
