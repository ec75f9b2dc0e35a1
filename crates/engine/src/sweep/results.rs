//! A sweep's per-run rows and their files: CSV (one row per run) or JSON, chosen by the extension.
//!
//! Every CSV row carries the sweep id and the number of runs in the whole grid, so that `merge` can
//! check that shard files belong together and say which runs are missing. Numbers are written in
//! the shortest form that reads back to the same f64, so a file read and written again is identical.
//!
//! Runs with robust evaluation (`robust_eval`) add the [`ROBUST_SCORE_NAMES`] columns after the
//! scores, present when any row has robust scores; in JSON a row then has a `robust` object. A row
//! without them (no robust evaluation, or a failed run) leaves those cells empty.
//!
//! Multi-label runs (`task = multilabel`) add the [`MULTILABEL_SCORE_NAMES`] columns after those,
//! the same way (JSON: a `multilabel` object); their macro-F1 is in the `macro_f1` column.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::csv_text;
use super::multilabel_scores::{MultilabelScores, MULTILABEL_SCORE_NAMES};
use super::robust_scores::{RobustScores, ROBUST_SCORE_NAMES};
use super::scores::{Scores, SCORE_NAMES};

/// One run's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub run: usize,
    pub method: String,
    /// Values of the varied settings, in `Results::vary_keys` order.
    pub vary: Vec<String>,
    pub seed: u64,
    pub scores: Scores,
    /// The robust scores, when the run trained to the end with `robust_eval` set.
    pub robust: Option<RobustScores>,
    /// The multi-label scores, when the run was a multi-label one that trained to the end.
    pub multilabel: Option<MultilabelScores>,
    /// Why the run did not finish (a data error, divergence); its scores are then empty.
    pub error: Option<String>,
}

/// The rows of one sweep (or of some of its shards).
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub sweep_id: String,
    pub runs_total: usize,
    pub vary_keys: Vec<String>,
    /// Sorted by `run`.
    pub rows: Vec<Row>,
}

/// The file format, from the file name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn of(path: &str) -> Result<Format, String> {
        match Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            _ => Err(format!("`{path}`: results files end in .csv or .json")),
        }
    }
}

const LEAD: [&str; 4] = ["sweep_id", "run", "runs_total", "method"];

impl Results {
    /// True when some row has robust scores: the file then has the robust columns.
    pub fn has_robust(&self) -> bool {
        self.rows.iter().any(|r| r.robust.is_some())
    }

    /// True when some row has multi-label scores: the file then has the multi-label columns.
    pub fn has_multilabel(&self) -> bool {
        self.rows.iter().any(|r| r.multilabel.is_some())
    }

    /// The CSV header: `sweep_id, run, runs_total, method, <varied keys>, seed, <scores>,
    /// [<robust scores>,] [<multi-label scores>,] error`.
    pub fn header(&self) -> Vec<String> {
        self.header_with(self.has_robust(), self.has_multilabel())
    }

    fn header_with(&self, robust: bool, multilabel: bool) -> Vec<String> {
        let mut h: Vec<String> = LEAD.iter().map(|s| s.to_string()).collect();
        h.extend(self.vary_keys.iter().cloned());
        h.push("seed".into());
        h.extend(SCORE_NAMES.iter().map(|s| s.to_string()));
        if robust {
            h.extend(ROBUST_SCORE_NAMES.iter().map(|s| s.to_string()));
        }
        if multilabel {
            h.extend(MULTILABEL_SCORE_NAMES.iter().map(|s| s.to_string()));
        }
        h.push("error".into());
        h
    }

    pub fn to_csv(&self) -> String {
        let robust = self.has_robust();
        let multilabel = self.has_multilabel();
        let mut out = csv_text::line(&self.header());
        out.push('\n');
        for r in &self.rows {
            let mut cells = vec![
                self.sweep_id.clone(),
                r.run.to_string(),
                self.runs_total.to_string(),
                r.method.clone(),
            ];
            cells.extend(r.vary.iter().cloned());
            cells.push(r.seed.to_string());
            cells.extend(r.scores.values().iter().map(|v| csv_text::opt_number(*v)));
            if robust {
                let values = r.robust.as_ref().map(RobustScores::values);
                cells.extend((values.unwrap_or_default().iter()).map(|v| csv_text::opt_number(*v)));
            }
            if multilabel {
                let values = r.multilabel.as_ref().map(MultilabelScores::values);
                cells.extend((values.unwrap_or_default().iter()).map(|v| csv_text::opt_number(*v)));
            }
            cells.push(r.error.clone().unwrap_or_default());
            out.push_str(&csv_text::line(&cells));
            out.push('\n');
        }
        out
    }

    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut o = serde_json::Map::new();
                o.insert("run".into(), json!(r.run));
                o.insert("method".into(), json!(r.method));
                o.insert("vary".into(), json!(r.vary));
                o.insert("seed".into(), json!(r.seed));
                for (name, v) in SCORE_NAMES.iter().zip(r.scores.values()) {
                    o.insert(name.to_string(), json!(v));
                }
                if let Some(robust) = &r.robust {
                    let m: serde_json::Map<String, Value> = (ROBUST_SCORE_NAMES.iter())
                        .zip(robust.values())
                        .map(|(name, v)| (name.to_string(), json!(v)))
                        .collect();
                    o.insert("robust".into(), Value::Object(m));
                }
                if let Some(ml) = &r.multilabel {
                    let m: serde_json::Map<String, Value> = (MULTILABEL_SCORE_NAMES.iter())
                        .zip(ml.values())
                        .map(|(name, v)| (name.to_string(), json!(v)))
                        .collect();
                    o.insert("multilabel".into(), Value::Object(m));
                }
                o.insert("error".into(), json!(r.error));
                Value::Object(o)
            })
            .collect();
        let doc = json!({
            "sweep_id": self.sweep_id,
            "runs_total": self.runs_total,
            "vary_keys": self.vary_keys,
            "runs": rows,
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
        }
    }

    pub fn parse(text: &str, format: Format) -> Result<Results, String> {
        match format {
            Format::Csv => Self::from_csv(text),
            Format::Json => Self::from_json(text),
        }
    }

    pub fn from_csv(text: &str) -> Result<Results, String> {
        let records = csv_text::records(text)?;
        let (header, body) = records
            .split_first()
            .ok_or("the file is empty; expected the header of a sweep results file")?;
        let n = header.len();
        // Optional blocks sit before `error`, the multi-label one last.
        let m = MULTILABEL_SCORE_NAMES.len();
        let multilabel = n > m
            && header[n - 1 - m..n - 1]
                .iter()
                .eq(MULTILABEL_SCORE_NAMES.iter());
        let before_ml = n - 1 - if multilabel { m } else { 0 };
        let r = ROBUST_SCORE_NAMES.len();
        let robust = before_ml >= r
            && header[before_ml - r..before_ml]
                .iter()
                .eq(ROBUST_SCORE_NAMES.iter());
        let tail =
            SCORE_NAMES.len() + 2 + if robust { r } else { 0 } + if multilabel { m } else { 0 };
        let lead_ok = header.len() >= LEAD.len() + tail
            && header[..LEAD.len()].iter().zip(LEAD).all(|(a, b)| a == b);
        if !lead_ok {
            return Err(format!(
                "not a sweep results file: the header should start with {}",
                LEAD.join(",")
            ));
        }
        let seed_at = n - tail;
        let vary_keys: Vec<String> = header[LEAD.len()..seed_at].to_vec();
        let mut results = Results {
            sweep_id: String::new(),
            runs_total: 0,
            vary_keys,
            rows: Vec::new(),
        };
        if results.header_with(robust, multilabel) != *header {
            return Err(format!(
                "not a sweep results file: unexpected header `{}`",
                header.join(",")
            ));
        }
        for (i, rec) in body.iter().enumerate() {
            let at = format!("data row {}", i + 1);
            if rec.len() != n {
                return Err(format!("{at}: {} fields, the header has {n}", rec.len()));
            }
            let int = |j: usize| -> Result<u64, String> {
                rec[j]
                    .parse::<u64>()
                    .map_err(|_| format!("{at}: {} `{}` is not a whole number", header[j], rec[j]))
            };
            let (id, total) = (rec[0].clone(), int(2)? as usize);
            if i == 0 {
                results.sweep_id = id;
                results.runs_total = total;
            } else if id != results.sweep_id || total != results.runs_total {
                return Err(format!(
                    "{at}: sweep {id} with {total} runs, but the file starts with sweep {} with {} runs",
                    results.sweep_id, results.runs_total
                ));
            }
            let cell = |j: usize| -> Result<Option<f64>, String> {
                if rec[j].is_empty() {
                    return Ok(None);
                }
                rec[j]
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("{at}: {} `{}` is not a number", header[j], rec[j]))
            };
            let mut scores = [None; 6];
            for (k, slot) in scores.iter_mut().enumerate() {
                *slot = cell(seed_at + 1 + k)?;
            }
            // A row whose robust cells are all empty has no robust scores (see the module doc).
            let mut robust_values = [None; 7];
            let mut any_robust = false;
            if robust {
                for (k, slot) in robust_values.iter_mut().enumerate() {
                    *slot = cell(seed_at + 1 + SCORE_NAMES.len() + k)?;
                    any_robust |= slot.is_some();
                }
            }
            let mut ml_values = [None; 4];
            let mut any_ml = false;
            if multilabel {
                let from = seed_at + 1 + SCORE_NAMES.len() + if robust { r } else { 0 };
                for (k, slot) in ml_values.iter_mut().enumerate() {
                    *slot = cell(from + k)?;
                    any_ml |= slot.is_some();
                }
            }
            results.rows.push(Row {
                run: int(1)? as usize,
                method: rec[3].clone(),
                vary: rec[LEAD.len()..seed_at].to_vec(),
                seed: int(seed_at)?,
                scores: Scores::from_values(scores),
                robust: any_robust.then(|| RobustScores::from_values(robust_values)),
                multilabel: any_ml.then(|| MultilabelScores::from_values(ml_values)),
                error: Some(rec[n - 1].clone()).filter(|e| !e.is_empty()),
            });
        }
        Ok(results)
    }

    pub fn from_json(text: &str) -> Result<Results, String> {
        // Scores are read from their text with Rust's exact parser, so values survive the round trip
        // bit for bit.
        #[derive(Deserialize)]
        struct Doc {
            sweep_id: String,
            runs_total: usize,
            vary_keys: Vec<String>,
            runs: Vec<JsonRow>,
        }
        #[derive(Deserialize)]
        struct JsonRow {
            run: usize,
            method: String,
            vary: Vec<String>,
            seed: u64,
            error: Option<String>,
            balanced_accuracy: Option<Box<RawValue>>,
            macro_f1: Option<Box<RawValue>>,
            g_mean: Option<Box<RawValue>>,
            minority_recall: Option<Box<RawValue>>,
            accuracy: Option<Box<RawValue>>,
            auc: Option<Box<RawValue>>,
            #[serde(default)]
            robust: Option<BTreeMap<String, Option<Box<RawValue>>>>,
            #[serde(default)]
            multilabel: Option<BTreeMap<String, Option<Box<RawValue>>>>,
        }
        let doc: Doc =
            serde_json::from_str(text).map_err(|e| format!("not a sweep results file: {e}"))?;
        let mut rows = Vec::with_capacity(doc.runs.len());
        for r in doc.runs {
            if r.vary.len() != doc.vary_keys.len() {
                return Err(format!(
                    "run {}: {} varied values for {} varied keys",
                    r.run,
                    r.vary.len(),
                    doc.vary_keys.len()
                ));
            }
            let raw = [
                &r.balanced_accuracy,
                &r.macro_f1,
                &r.g_mean,
                &r.minority_recall,
                &r.accuracy,
                &r.auc,
            ];
            let mut scores = [None; 6];
            for ((slot, name), raw) in scores.iter_mut().zip(SCORE_NAMES).zip(raw) {
                *slot = number(raw.as_deref(), r.run, name)?;
            }
            let robust = match &r.robust {
                None => None,
                Some(map) => {
                    if let Some(k) = map
                        .keys()
                        .find(|k| !ROBUST_SCORE_NAMES.contains(&k.as_str()))
                    {
                        return Err(format!("run {}: `robust.{k}` is not a robust score", r.run));
                    }
                    let mut values = [None; 7];
                    for (slot, name) in values.iter_mut().zip(ROBUST_SCORE_NAMES) {
                        *slot = number(map.get(name).and_then(Option::as_deref), r.run, name)?;
                    }
                    Some(RobustScores::from_values(values))
                }
            };
            let multilabel = match &r.multilabel {
                None => None,
                Some(map) => {
                    if let Some(k) = map
                        .keys()
                        .find(|k| !MULTILABEL_SCORE_NAMES.contains(&k.as_str()))
                    {
                        return Err(format!(
                            "run {}: `multilabel.{k}` is not a multi-label score",
                            r.run
                        ));
                    }
                    let mut values = [None; 4];
                    for (slot, name) in values.iter_mut().zip(MULTILABEL_SCORE_NAMES) {
                        *slot = number(map.get(name).and_then(Option::as_deref), r.run, name)?;
                    }
                    Some(MultilabelScores::from_values(values))
                }
            };
            rows.push(Row {
                run: r.run,
                method: r.method,
                vary: r.vary,
                seed: r.seed,
                scores: Scores::from_values(scores),
                robust,
                multilabel,
                error: r.error,
            });
        }
        Ok(Results {
            sweep_id: doc.sweep_id,
            runs_total: doc.runs_total,
            vary_keys: doc.vary_keys,
            rows,
        })
    }
}

/// A score read from its JSON text with Rust's exact parser (`null` or absent: `None`).
fn number(raw: Option<&RawValue>, run: usize, name: &str) -> Result<Option<f64>, String> {
    raw.map(RawValue::get)
        .filter(|v| *v != "null")
        .map(|v| {
            v.parse::<f64>()
                .map_err(|_| format!("run {run}: {name} `{v}` is not a number"))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Results {
        Results {
            sweep_id: "00ff".into(),
            runs_total: 4,
            vary_keys: vec!["model.hidden".into()],
            rows: vec![
                Row {
                    run: 1,
                    method: "a,b".into(),
                    vary: vec!["[4,4]".into()],
                    seed: 7,
                    scores: Scores::from_values([
                        Some(0.1 + 0.2),
                        None,
                        Some(1e-7),
                        Some(1.0),
                        Some(2.0 / 3.0),
                        None,
                    ]),
                    robust: None,
                    multilabel: None,
                    error: None,
                },
                Row {
                    run: 3,
                    method: "x".into(),
                    vary: vec!["[8]".into()],
                    seed: 8,
                    scores: Scores::default(),
                    robust: None,
                    multilabel: None,
                    error: Some("training diverged, \"badly\"".into()),
                },
            ],
        }
    }

    #[test]
    fn both_formats_round_trip_exactly() {
        let r = sample();
        assert_eq!(Results::from_csv(&r.to_csv()).unwrap(), r);
        assert_eq!(Results::from_json(&r.to_json()).unwrap(), r);
        assert_eq!(Results::from_csv(&r.to_csv()).unwrap().to_csv(), r.to_csv());
    }

    /// Robust columns appear when a row has robust scores; rows without them (another method, a
    /// failed run) leave the cells empty; both formats read back exactly.
    #[test]
    fn robust_columns_round_trip() {
        let mut r = sample();
        assert!(!r.to_csv().contains("robust"));
        r.rows.push(Row {
            run: 2,
            method: "adv".into(),
            vary: vec!["[4,4]".into()],
            seed: 7,
            scores: Scores::from_values([Some(0.5); 6]),
            robust: Some(RobustScores::from_values([
                Some(0.6875),
                Some(0.25),
                None,
                Some(1.0 / 3.0),
                Some(0.0),
                Some(0.5),
                Some(1e-9),
            ])),
            multilabel: None,
            error: None,
        });
        r.rows.sort_by_key(|row| row.run);
        let csv = r.to_csv();
        let header = r.header();
        assert_eq!(header.len(), 4 + 1 + 1 + 6 + 7 + 1);
        assert_eq!(header[12], "robust_accuracy");
        assert_eq!(header[18], "clean_recall_gap");
        assert_eq!(header[19], "error");
        assert!(csv.lines().nth(1).unwrap().contains(",,,,,,,"), "{csv}");
        assert_eq!(Results::from_csv(&csv).unwrap(), r);
        assert_eq!(Results::from_json(&r.to_json()).unwrap(), r);
        let doc: Value = serde_json::from_str(&r.to_json()).unwrap();
        assert!(doc["runs"][0].get("robust").is_none());
        assert_eq!(doc["runs"][1]["robust"]["robust_balanced_accuracy"], 0.25);
        assert!(doc["runs"][1]["robust"]["robust_worst_class_accuracy"].is_null());
        // A robust score that is not a number, or a key that is not a robust score, is refused.
        let bad = csv.replace("0.6875", "x");
        assert!(Results::from_csv(&bad)
            .unwrap_err()
            .contains("robust_accuracy"));
        let bad = r.to_json().replace("\"clean_recall_gap\"", "\"clean_gap\"");
        assert!(Results::from_json(&bad)
            .unwrap_err()
            .contains("robust.clean_gap"));
    }

    /// Multi-label columns come after the robust ones (both may appear in one file: different
    /// methods), rows without them leave the cells empty, both formats read back exactly.
    #[test]
    fn multilabel_columns_round_trip() {
        let mut r = sample();
        assert!(!r.to_csv().contains("subset_accuracy"));
        r.rows.push(Row {
            run: 2,
            method: "asl".into(),
            vary: vec!["[4,4]".into()],
            seed: 7,
            scores: Scores {
                macro_f1: Some(0.75),
                ..Scores::default()
            },
            robust: None,
            multilabel: Some(MultilabelScores::from_values([
                Some(0.8125),
                Some(0.0625),
                None,
                Some(1.0 / 3.0),
            ])),
            error: None,
        });
        r.rows.sort_by_key(|row| row.run);
        let header = r.header();
        assert_eq!(header.len(), 4 + 1 + 1 + 6 + 4 + 1);
        assert_eq!(header[12], "micro_f1");
        assert_eq!(header[15], "rarest_label_recall");
        assert_eq!(Results::from_csv(&r.to_csv()).unwrap(), r);
        assert_eq!(Results::from_json(&r.to_json()).unwrap(), r);
        let doc: Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(doc["runs"][1]["multilabel"]["hamming_loss"], 0.0625);
        assert!(doc["runs"][0].get("multilabel").is_none());
        // With a robust row too: both blocks, robust first.
        r.rows[0].robust = Some(RobustScores::from_values([Some(0.5); 7]));
        let header = r.header();
        assert_eq!(header[12], "robust_accuracy");
        assert_eq!(header[19], "micro_f1");
        assert_eq!(Results::from_csv(&r.to_csv()).unwrap(), r);
        assert_eq!(Results::from_json(&r.to_json()).unwrap(), r);
        let bad = r.to_json().replace("\"subset_accuracy\"", "\"subset\"");
        assert!(Results::from_json(&bad)
            .unwrap_err()
            .contains("multilabel.subset"));
    }

    #[test]
    fn foreign_files_are_refused() {
        assert!(Results::from_csv("a,b\n1,2\n").is_err());
        assert!(Results::from_json("{}").is_err());
        assert!(Format::of("x.txt").is_err());
        assert_eq!(Format::of("x.JSON"), Ok(Format::Json));
    }
}
