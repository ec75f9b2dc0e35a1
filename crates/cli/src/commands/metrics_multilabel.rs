//! `imlab metrics --multilabel --input labels.csv [--threshold T]`: every multi-label metric of a
//! prediction file as JSON.
//!
//! The CSV has a header naming, for L labels (1 ≤ L ≤ 64), the true indicator columns
//! `y_0 … y_{L−1}` (0 or 1) and at least one of
//! - `y_pred_0 … y_pred_{L−1}`: predicted indicators (0 or 1), for the set-based metrics;
//! - `p_0 … p_{L−1}`: per-label scores (probabilities or any finite confidence), for the ranking
//!   metrics (LRAP, coverage error, ranking loss, per-label ROC AUC and AP).
//!
//! Given only scores, the set-based metrics use `p_l > T` (T = `--threshold`, default 0.5: the
//! strict rule of scikit-learn's indicator outputs). Other columns are ignored. Undefined
//! metrics print as `null` with a note under `notes`, as for the multi-class input.

use std::collections::BTreeMap;

use imlab_engine::metrics::LabelIndicators;
use imlab_engine::multilabel::metrics::{LabelScores, RankingMetrics, SetMetrics};
use imlab_engine::multilabel::MAX_LABELS;

use super::metrics::{render, split_line};

pub fn main(path: &str, text: &str, threshold: Option<f64>) -> Result<(), String> {
    let parsed = parse_csv(text).map_err(|e| format!("{path}: {e}"))?;
    let (pred, from) = match (&parsed.y_pred, &parsed.scores) {
        (Some(p), _) => {
            if threshold.is_some() {
                return Err(format!(
                    "{path}: --threshold applies to scores, but the file has y_pred_ columns; \
                     drop --threshold or the y_pred_ columns"
                ));
            }
            (p.clone(), "y_pred columns".to_string())
        }
        (None, Some(s)) => {
            let t = threshold.unwrap_or(0.5);
            (s.predict(t), format!("p_l > {t}"))
        }
        (None, None) => unreachable!("parse_csv requires predictions or scores"),
    };
    let set = SetMetrics::compute(&parsed.y_true, &pred).map_err(|e| format!("{path}: {e}"))?;
    let ranking = parsed
        .scores
        .as_ref()
        .map(|s| RankingMetrics::compute(&parsed.y_true, s))
        .transpose()
        .map_err(|e| format!("{path}: {e}"))?;
    let mut notes = BTreeMap::new();
    let mut metrics = render(
        serde_json::to_value(&set).map_err(|e| e.to_string())?,
        "",
        &mut notes,
    );
    if let Some(r) = ranking {
        let r = render(
            serde_json::to_value(&r).map_err(|e| e.to_string())?,
            "",
            &mut notes,
        );
        if let (Some(m), serde_json::Value::Object(r)) = (metrics.as_object_mut(), r) {
            m.extend(r);
        }
    }
    let out = serde_json::json!({
        "input": path,
        "task": "multilabel",
        "n_samples": parsed.y_true.n_samples,
        "n_labels": parsed.y_true.n_labels,
        "predictions_from": from,
        "metrics": metrics,
        "notes": notes,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// What the file holds.
#[derive(Debug)]
struct Parsed {
    y_true: LabelIndicators,
    y_pred: Option<LabelIndicators>,
    scores: Option<LabelScores>,
}

/// Columns `prefix0, prefix1, …` without gaps; a higher-numbered one beyond a gap is an error.
fn numbered(header: &[&str], prefix: &str) -> Result<Vec<usize>, String> {
    let mut cols = Vec::new();
    while let Some(c) = header
        .iter()
        .position(|h| *h == format!("{prefix}{}", cols.len()))
    {
        cols.push(c);
    }
    if let Some(stray) = header.iter().find(|h| {
        h.strip_prefix(prefix)
            .and_then(|d| d.parse::<usize>().ok())
            .is_some_and(|d| d >= cols.len())
    }) {
        return Err(format!(
            "column `{stray}` without all of {prefix}0..{prefix}{}: label columns must be \
             numbered from 0 without gaps",
            cols.len()
        ));
    }
    Ok(cols)
}

fn parse_csv(text: &str) -> Result<Parsed, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or("the file is empty; expected a header line")?;
    let header = split_line(header.trim_start_matches('\u{feff}'));
    let truth = numbered(&header, "y_")?;
    let pred = numbered(&header, "y_pred_")?;
    let score = numbered(&header, "p_")?;
    let l = truth.len();
    if l == 0 {
        return Err(format!(
            "no true-label columns in the header ({}); name them y_0, y_1, … (one per label)",
            header.join(", ")
        ));
    }
    if l > MAX_LABELS {
        return Err(format!(
            "{l} labels is more than the limit of {MAX_LABELS}; merge or drop rare labels"
        ));
    }
    for (cols, name) in [(&pred, "y_pred_"), (&score, "p_")] {
        if !cols.is_empty() && cols.len() != l {
            return Err(format!(
                "{} {name} columns but {l} true-label columns y_0..y_{}; give one per label",
                cols.len(),
                l - 1
            ));
        }
    }
    if pred.is_empty() && score.is_empty() {
        return Err(format!(
            "no prediction columns: add y_pred_0..y_pred_{0} (0/1) or p_0..p_{0} (scores)",
            l - 1
        ));
    }
    let indicator = |field: &str, line: usize, col: &str| -> Result<bool, String> {
        match field {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(format!(
                "line {line}: {col} = `{field}` is not 0 or 1 (unknown entries are not accepted \
                 by the metrics: annotate them)"
            )),
        }
    };
    let (mut yt, mut yp, mut ys) = (Vec::new(), Vec::new(), Vec::new());
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
        for (j, &c) in truth.iter().enumerate() {
            yt.push(indicator(fields[c], line_no, &format!("y_{j}"))?);
        }
        for (j, &c) in pred.iter().enumerate() {
            yp.push(indicator(fields[c], line_no, &format!("y_pred_{j}"))?);
        }
        for (j, &c) in score.iter().enumerate() {
            let v: f64 = fields[c]
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "line {line_no}: p_{j} = `{}` is not a finite number",
                        fields[c]
                    )
                })?;
            ys.push(v);
        }
    }
    if yt.is_empty() {
        return Err("no data rows after the header".into());
    }
    let e = |e: imlab_engine::EngineError| e.to_string();
    Ok(Parsed {
        y_true: LabelIndicators::new(yt, l).map_err(e)?,
        y_pred: (!pred.is_empty())
            .then(|| LabelIndicators::new(yp, l))
            .transpose()
            .map_err(e)?,
        scores: (!score.is_empty())
            .then(|| LabelScores::new(ys, l))
            .transpose()
            .map_err(e)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_and_checked() {
        let p = parse_csv("y_0,y_1,p_0,p_1,note\n1,0,0.9,0.2,a\n0,1,0.3,0.8,b\n").unwrap();
        assert_eq!(p.y_true.bits, vec![true, false, false, true]);
        assert!(p.y_pred.is_none());
        assert_eq!(p.scores.unwrap().values, vec![0.9, 0.2, 0.3, 0.8]);
        assert!(parse_csv("y_0,y_2,y_pred_0\n1,0,1\n")
            .unwrap_err()
            .contains("without gaps"));
        assert!(parse_csv("y_0,y_1,y_pred_0\n1,0,1\n")
            .unwrap_err()
            .contains("1 y_pred_ columns but 2"));
        assert!(parse_csv("y_0,y_1\n1,0\n")
            .unwrap_err()
            .contains("no prediction columns"));
        assert!(parse_csv("y_0,y_pred_0\n?,1\n")
            .unwrap_err()
            .contains("not 0 or 1"));
        assert!(parse_csv("y_0,p_0\n1,nan\n")
            .unwrap_err()
            .contains("finite"));
    }
}
