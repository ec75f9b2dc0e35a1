//! Multi-label imbalance measures against a NumPy computation of their formulas
//! (`tools/fixtures/multilabel_measures.py`), to 1e-12 relative.

use imlab_engine::multilabel::{ImbalanceMeasures, LabelEntry, LabelMatrix};
use serde_json::Value;

fn close(got: f64, want: &Value, what: &str) {
    let w = want.as_f64().unwrap();
    assert!(
        (got - w).abs() <= 1e-12 * w.abs().max(1.0),
        "{what}: engine {got}, NumPy {w}"
    );
}

fn all_close(got: &[f64], want: &Value, what: &str) {
    let w = want.as_array().unwrap();
    assert_eq!(got.len(), w.len(), "{what}");
    for (k, (g, w)) in got.iter().zip(w).enumerate() {
        close(*g, w, &format!("{what}[{k}]"));
    }
}

#[test]
fn measures_match_numpy() {
    let path = format!(
        "{}/tests/fixtures/multilabel_measures.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(cases.len(), 60);
    for (c, e) in cases.iter().enumerate() {
        let rows: Vec<Vec<LabelEntry>> = e["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|b| {
                        if b.as_u64() == Some(1) {
                            LabelEntry::Positive
                        } else {
                            LabelEntry::Negative
                        }
                    })
                    .collect()
            })
            .collect();
        let m = ImbalanceMeasures::compute(&LabelMatrix::from_rows(&rows).unwrap()).unwrap();
        let tag = format!("case {c}");
        let positives: Vec<u64> = m.positives.iter().map(|&p| p as u64).collect();
        let want: Vec<u64> = e["positives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(positives, want, "{tag} positives");
        all_close(&m.frequency, &e["frequency"], &format!("{tag} frequency"));
        all_close(&m.ir_lbl, &e["ir_lbl"], &format!("{tag} IRLbl"));
        close(m.mean_ir, &e["mean_ir"], &format!("{tag} MeanIR"));
        close(m.max_ir, &e["max_ir"], &format!("{tag} MaxIR"));
        close(m.cv_ir.unwrap(), &e["cv_ir"], &format!("{tag} CVIR"));
        close(m.scumble, &e["scumble"], &format!("{tag} SCUMBLE"));
        all_close(
            &m.scumble_per_instance,
            &e["scumble_per_instance"],
            &format!("{tag} SCUMBLE per instance"),
        );
        all_close(
            &m.scumble_per_label,
            &e["scumble_per_label"],
            &format!("{tag} SCUMBLE per label"),
        );
        close(
            m.cardinality,
            &e["cardinality"],
            &format!("{tag} cardinality"),
        );
        close(m.density, &e["density"], &format!("{tag} density"));
    }
}
