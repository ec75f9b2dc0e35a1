//! `imlab metrics --input preds.csv [--threshold T] [--classes K]`: every metric of a prediction
//! file as JSON.
//!
//! The CSV has a header with `y_true` and either `y_pred` (hard predictions) or `p_0 … p_{K−1}`
//! (class probabilities, rows summing to 1). Undefined metrics print as `null`, with a note under
//! `notes` (keyed by the metric's JSON path) saying why and what scikit-learn returns instead.

use std::collections::BTreeMap;

use imlab_engine::metrics::{MetricsReport, Reference, Score};
use serde_json::{Map, Value};

use crate::args::Args;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(argv, &["input", "threshold", "classes"], &["multilabel"])?;
    let path = args
        .get("input")
        .ok_or("--input is required: a CSV with y_true and y_pred or p_0..p_{K-1}")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let threshold = args.parsed::<f64>("threshold")?;
    let classes = args.parsed::<usize>("classes")?;
    if args.has("multilabel") {
        if classes.is_some() {
            return Err(
                "--classes is for multi-class input; with --multilabel the label count is the \
                 number of y_ columns"
                    .into(),
            );
        }
        return super::metrics_multilabel::main(path, &text, threshold);
    }
    let report = report_from_csv(&text, threshold, classes).map_err(|e| format!("{path}: {e}"))?;
    let mut notes = BTreeMap::new();
    let metrics = render(
        serde_json::to_value(&report).map_err(|e| e.to_string())?,
        "",
        &mut notes,
    );
    let out = serde_json::json!({
        "input": path,
        "n_samples": report.n_samples,
        "n_classes": report.n_classes,
        "metrics": metrics,
        "notes": notes,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// What the CSV holds after parsing.
#[derive(Debug, PartialEq)]
enum Columns {
    Predictions(Vec<usize>),
    Probabilities { k: usize, values: Vec<f64> },
}

fn report_from_csv(
    text: &str,
    threshold: Option<f64>,
    classes: Option<usize>,
) -> Result<MetricsReport, String> {
    let (y_true, cols) = parse_csv(text)?;
    match cols {
        Columns::Predictions(y_pred) => {
            if threshold.is_some() {
                return Err("--threshold needs probability columns p_0, p_1".into());
            }
            let seen = y_true.iter().chain(&y_pred).max().map_or(0, |m| m + 1);
            let k = match classes {
                Some(k) if k < seen => {
                    return Err(format!(
                        "--classes {k} but the file has label {}; labels must be below K",
                        seen - 1
                    ))
                }
                Some(k) => k,
                None => seen.max(2),
            };
            MetricsReport::from_predictions(&y_true, &y_pred, k).map_err(|e| e.to_string())
        }
        Columns::Probabilities { k, values } => {
            if classes.is_some_and(|c| c != k) {
                return Err(format!(
                    "--classes disagrees with the {k} probability columns"
                ));
            }
            MetricsReport::from_probabilities(&y_true, &values, threshold)
                .map_err(|e| e.to_string())
        }
    }
}

pub(super) fn split_line(line: &str) -> Vec<&str> {
    line.split(',')
        .map(|f| f.trim().trim_matches('"').trim())
        .collect()
}

/// A tiny CSV reader for numeric files: comma separated, optional double quotes around a field,
/// no embedded commas. Blank lines are skipped.
fn parse_csv(text: &str) -> Result<(Vec<usize>, Columns), String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or("the file is empty; expected a header line")?;
    let header = split_line(header.trim_start_matches('\u{feff}'));
    let find = |name: &str| header.iter().position(|h| *h == name);
    let y_true_col = find("y_true").ok_or_else(|| {
        format!(
            "no `y_true` column in the header ({}); name the true-label column y_true",
            header.join(", ")
        )
    })?;
    let y_pred_col = find("y_pred");
    let mut p_cols = Vec::new();
    while let Some(c) = find(&format!("p_{}", p_cols.len())) {
        p_cols.push(c);
    }
    if let Some(stray) = header.iter().find(|h| {
        h.strip_prefix("p_")
            .and_then(|d| d.parse::<usize>().ok())
            .is_some_and(|d| d >= p_cols.len())
    }) {
        return Err(format!(
            "column `{stray}` without all of p_0..p_{}: probability columns must be numbered \
             from 0 without gaps",
            p_cols.len()
        ));
    }
    match (y_pred_col.is_some(), p_cols.len()) {
        (true, n) if n > 0 => {
            return Err("give either y_pred or p_0..p_{K-1}, not both".into());
        }
        (false, 0) => {
            return Err(
                "no prediction columns: add y_pred (labels) or p_0..p_{K-1} (probabilities)".into(),
            )
        }
        (false, 1) => {
            return Err("only p_0: probabilities need one column per class (p_0, p_1, ...)".into())
        }
        _ => {}
    }
    let label = |field: &str, line: usize, col: &str| -> Result<usize, String> {
        field.parse::<usize>().map_err(|_| {
            format!("line {line}: {col} = `{field}` is not a class label (0, 1, 2, ...)")
        })
    };
    let mut y_true = Vec::new();
    let mut y_pred = Vec::new();
    let mut values = Vec::new();
    for (i, line) in lines {
        let line_no = i + 1;
        let fields = split_line(line);
        if fields.len() != header.len() {
            return Err(format!(
                "line {line_no}: {} fields, the header has {}",
                fields.len(),
                header.len()
            ));
        }
        y_true.push(label(fields[y_true_col], line_no, "y_true")?);
        if let Some(c) = y_pred_col {
            y_pred.push(label(fields[c], line_no, "y_pred")?);
        } else {
            let mut sum = 0.0;
            for (j, &c) in p_cols.iter().enumerate() {
                let v: f64 = fields[c].parse().map_err(|_| {
                    format!("line {line_no}: p_{j} = `{}` is not a number", fields[c])
                })?;
                if !(0.0..=1.0).contains(&v) {
                    return Err(format!(
                        "line {line_no}: p_{j} = {v} is not a probability in [0, 1]"
                    ));
                }
                sum += v;
                values.push(v);
            }
            // The tolerance of np.allclose, as the engine applies it.
            if (1.0 - sum).abs() > 1e-8 + 1e-5 * sum.abs() {
                return Err(format!(
                    "line {line_no}: probabilities sum to {sum}, not 1 (normalise each row)"
                ));
            }
            if *y_true.last().unwrap_or(&0) >= p_cols.len() {
                return Err(format!(
                    "line {line_no}: y_true = {} but there are only {} probability columns",
                    y_true[y_true.len() - 1],
                    p_cols.len()
                ));
            }
        }
    }
    if y_true.is_empty() {
        return Err("no data rows after the header".into());
    }
    Ok((
        y_true,
        if y_pred_col.is_some() {
            Columns::Predictions(y_pred)
        } else {
            Columns::Probabilities {
                k: p_cols.len(),
                values,
            }
        },
    ))
}

fn describe(reference: &Reference) -> String {
    match reference {
        Reference::Value(v) => format!("scikit-learn returns {v}"),
        Reference::Nan => "scikit-learn returns NaN".into(),
        Reference::Infinite { negative } => {
            format!(
                "scikit-learn returns {}inf",
                if *negative { "-" } else { "" }
            )
        }
        Reference::Raises => "scikit-learn raises an error".into(),
        Reference::Omitted => "scikit-learn leaves this class out".into(),
    }
}

/// Replaces every serialised [`Score`] by its number, or by null with a note.
pub(super) fn render(v: Value, path: &str, notes: &mut BTreeMap<String, String>) -> Value {
    match v {
        Value::Object(map) => {
            if map.len() == 1 && (map.contains_key("defined") || map.contains_key("undefined")) {
                if let Ok(score) = serde_json::from_value::<Score>(Value::Object(map.clone())) {
                    return match score {
                        Score::Defined(x) => serde_json::json!(x),
                        Score::Undefined { reason, reference } => {
                            notes.insert(
                                path.to_string(),
                                format!("undefined: {reason}; {}", describe(&reference)),
                            );
                            Value::Null
                        }
                    };
                }
            }
            let out: Map<String, Value> = map
                .into_iter()
                .map(|(k, v)| {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    (k, render(v, &p, notes))
                })
                .collect();
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| render(v, &format!("{path}[{i}]"), notes))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_predictions_with_notes() {
        let r = report_from_csv("y_true,y_pred\n0,0\n1,1\n2,1\n", None, None).unwrap();
        let mut notes = BTreeMap::new();
        let v = render(serde_json::to_value(&r).unwrap(), "", &mut notes);
        assert_eq!(v["accuracy"], serde_json::json!(2.0 / 3.0));
        // Class 2 never predicted: its precision is null with a note.
        assert_eq!(v["classes"][2]["precision"], Value::Null);
        assert!(notes["classes[2].precision"].contains("never predicted"));
        assert!(notes["classes[2].precision"].contains("returns 0"));
    }

    #[test]
    fn probabilities_give_ranking_metrics() {
        let csv = "\u{feff}p_0, p_1 ,y_true\n0.9,0.1,0\n0.2,0.8,1\n\n0.6,0.4,1\n";
        let r = report_from_csv(csv, None, None).unwrap();
        let p = r.probabilistic.unwrap();
        assert_eq!(p.roc_auc.unwrap().value(), Some(1.0));
        assert_eq!(r.confusion.counts, vec![1, 0, 1, 1]);
        let r = report_from_csv(csv, Some(0.3), None).unwrap();
        assert_eq!(r.confusion.counts, vec![1, 0, 0, 2]);
    }

    #[test]
    fn bad_files_are_explained() {
        let err = |csv: &str| report_from_csv(csv, None, None).unwrap_err();
        assert!(err("").contains("empty"));
        assert!(err("label,y_pred\n0,1\n").contains("y_true"));
        assert!(err("y_true\n0\n").contains("no prediction columns"));
        assert!(err("y_true,y_pred\n0,x\n").contains("line 2"));
        assert!(err("y_true,y_pred\n0,-1\n").contains("not a class label"));
        assert!(err("y_true,y_pred\n0\n").contains("fields"));
        assert!(err("y_true,y_pred\n").contains("no data rows"));
        assert!(err("y_true,p_0,p_1\n0,0.5,0.6\n").contains("sum to"));
        assert!(err("y_true,p_0,p_1\n0,1.5,-0.5\n").contains("[0, 1]"));
        assert!(err("y_true,p_0,p_2\n0,0.5,0.5\n").contains("without gaps"));
        assert!(err("y_true,p_0,p_1\n2,0.5,0.5\n").contains("only 2"));
        assert!(err("y_true,y_pred,p_0,p_1\n0,0,0.5,0.5\n").contains("not both"));
        assert!(report_from_csv("y_true,y_pred\n0,1\n", Some(0.5), None).is_err());
        assert!(report_from_csv("y_true,y_pred\n0,3\n", None, Some(2)).is_err());
    }
}
