//! The summary of a sweep printed after it runs (and after `merge`): per method and varied values,
//! each score's mean, sample standard deviation and 95 % t interval over seeds, as an aligned table.
//! Groups with robust scores (`robust_eval`) add one line per robust score after the six scores.
//! Multi-label groups (`task = multilabel`) show `macro_f1` and one line per multi-label score
//! (the other multi-class scores are empty for them).

use super::multilabel_scores::MULTILABEL_SCORE_NAMES;
use super::results::Results;
use super::robust_scores::ROBUST_SCORE_NAMES;
use super::scores::SCORE_NAMES;
use super::stats::{summarize, Summary};

/// One group of runs: the same method and varied values, different seeds.
pub struct Group {
    pub method: String,
    pub vary: Vec<String>,
    pub failed: Vec<String>,
    /// One summary per score, in `SCORE_NAMES` order.
    pub scores: Vec<Summary>,
    /// One summary per robust score, in `ROBUST_SCORE_NAMES` order; empty when no run of the group
    /// has robust scores.
    pub robust: Vec<Summary>,
    /// One summary per multi-label score, in `MULTILABEL_SCORE_NAMES` order; empty when no run of
    /// the group has multi-label scores.
    pub multilabel: Vec<Summary>,
}

/// Groups in the order their first run appears.
pub fn groups(results: &Results) -> Vec<Group> {
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for r in &results.rows {
        let key = (r.method.clone(), r.vary.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|(method, vary)| {
            let rows: Vec<_> = results
                .rows
                .iter()
                .filter(|r| r.method == method && r.vary == vary)
                .collect();
            let scores = (0..SCORE_NAMES.len())
                .map(|k| {
                    let values: Vec<f64> = rows
                        .iter()
                        .filter(|r| r.error.is_none())
                        .filter_map(|r| r.scores.values()[k])
                        .collect();
                    summarize(&values)
                })
                .collect();
            let with_robust: Vec<_> = (rows.iter())
                .filter(|r| r.error.is_none())
                .filter_map(|r| r.robust.as_ref())
                .collect();
            let robust = if rows.iter().any(|r| r.robust.is_some()) {
                (0..ROBUST_SCORE_NAMES.len())
                    .map(|k| {
                        let values: Vec<f64> =
                            with_robust.iter().filter_map(|r| r.values()[k]).collect();
                        summarize(&values)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let with_ml: Vec<_> = (rows.iter())
                .filter(|r| r.error.is_none())
                .filter_map(|r| r.multilabel.as_ref())
                .collect();
            let multilabel = if rows.iter().any(|r| r.multilabel.is_some()) {
                (0..MULTILABEL_SCORE_NAMES.len())
                    .map(|k| {
                        let values: Vec<f64> =
                            with_ml.iter().filter_map(|r| r.values()[k]).collect();
                        summarize(&values)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Group {
                failed: rows
                    .iter()
                    .filter_map(|r| {
                        r.error
                            .as_ref()
                            .map(|e| format!("run {} (seed {}): {e}", r.run, r.seed))
                    })
                    .collect(),
                method,
                vary,
                scores,
                robust,
                multilabel,
            }
        })
        .collect()
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

/// The table as text, one line per group and score, columns padded to line up.
pub fn table(results: &Results) -> String {
    let mut head: Vec<String> = vec!["method".into()];
    head.extend(results.vary_keys.iter().cloned());
    head.extend(["score", "n", "mean", "sd", "95% CI"].map(String::from));
    let mut lines: Vec<Vec<String>> = vec![head];
    let groups = groups(results);
    for g in &groups {
        // A multi-label group has only the macro-F1 of the multi-class scores.
        let shown: Vec<(&str, &Summary)> = if g.multilabel.is_empty() {
            SCORE_NAMES.iter().copied().zip(&g.scores).collect()
        } else {
            vec![("macro_f1", &g.scores[1])]
        };
        let rows = shown
            .into_iter()
            .chain(ROBUST_SCORE_NAMES.iter().copied().zip(&g.robust))
            .chain(MULTILABEL_SCORE_NAMES.iter().copied().zip(&g.multilabel));
        for (k, (name, s)) in rows.enumerate() {
            let mut cells: Vec<String> = if k == 0 {
                let mut c = vec![g.method.clone()];
                c.extend(g.vary.iter().cloned());
                c
            } else {
                vec![String::new(); 1 + g.vary.len()]
            };
            cells.push(name.to_string());
            cells.push(s.n.to_string());
            cells.push(num(s.mean));
            cells.push(num(s.sd));
            cells.push(match s.interval {
                Some((lo, hi)) => format!("[{lo:.4}, {hi:.4}]"),
                None => "-".into(),
            });
            lines.push(cells);
        }
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|j| {
            lines
                .iter()
                .map(|l| l[j].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric_from = 2 + results.vary_keys.len();
    let mut out = String::new();
    let done = results.rows.len();
    let failed: usize = groups.iter().map(|g| g.failed.len()).sum();
    out.push_str(&format!(
        "sweep {}: {done} of {} runs{}\n",
        results.sweep_id,
        results.runs_total,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    ));
    for l in &lines {
        let cells: Vec<String> = l
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(j, (c, &w))| {
                if j >= numeric_from && j < l.len() - 1 {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for g in &groups {
        for f in &g.failed {
            out.push_str(&format!("failed: {} {}\n", g.method, f));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::results::Row;
    use crate::sweep::scores::Scores;

    #[test]
    fn groups_and_aligns() {
        let row = |run, method: &str, seed, ba| Row {
            run,
            method: method.into(),
            vary: vec![],
            seed,
            scores: Scores {
                balanced_accuracy: Some(ba),
                ..Scores::default()
            },
            robust: None,
            multilabel: None,
            error: None,
        };
        let mut failed = row(3, "b", 1, 0.0);
        failed.error = Some("diverged".into());
        let r = Results {
            sweep_id: "ab".into(),
            runs_total: 4,
            vary_keys: vec![],
            rows: vec![
                row(0, "a", 0, 0.5),
                row(1, "a", 1, 0.7),
                row(2, "b", 0, 0.9),
                failed,
            ],
        };
        let g = groups(&r);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].scores[0].mean, Some(0.6));
        assert_eq!(g[1].scores[0].n, 1);
        assert_eq!(g[1].failed.len(), 1);
        let t = table(&r);
        assert!(t.starts_with("sweep ab: 4 of 4 runs, 1 failed\n"), "{t}");
        let widths: Vec<usize> = t
            .lines()
            .skip(1)
            .take(3)
            .map(|l| {
                l.find("score")
                    .or_else(|| l.find("balanced"))
                    .or_else(|| l.find("macro"))
                    .unwrap()
            })
            .collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{t}");
        assert!(t.contains("0.6000"), "{t}");
        assert!(t.contains("failed: b run 3 (seed 1): diverged"), "{t}");
    }

    #[test]
    fn robust_scores_add_lines_to_their_groups_only() {
        use crate::sweep::robust_scores::RobustScores;
        let row = |run, method: &str, robust: Option<f64>| Row {
            run,
            method: method.into(),
            vary: vec![],
            seed: run as u64,
            scores: Scores::default(),
            robust: robust.map(|v| RobustScores {
                robust_balanced_accuracy: Some(v),
                ..RobustScores::default()
            }),
            multilabel: None,
            error: None,
        };
        let r = Results {
            sweep_id: "cd".into(),
            runs_total: 4,
            vary_keys: vec![],
            rows: vec![
                row(0, "clean", None),
                row(1, "clean", None),
                row(2, "adv", Some(0.25)),
                row(3, "adv", Some(0.75)),
            ],
        };
        let g = groups(&r);
        assert!(g[0].robust.is_empty());
        assert_eq!(g[1].robust.len(), ROBUST_SCORE_NAMES.len());
        assert_eq!(g[1].robust[1].mean, Some(0.5));
        assert_eq!(g[1].robust[1].n, 2);
        assert_eq!(g[1].robust[0].n, 0);
        let t = table(&r);
        // Title, header, 6 lines for `clean`, 6 + 7 for `adv`.
        assert_eq!(t.lines().count(), 2 + 6 + 13, "{t}");
        let line = t
            .lines()
            .find(|l| l.contains("robust_balanced_accuracy"))
            .unwrap();
        assert!(line.contains("2  0.5000  0.3536"), "{line}");
    }

    #[test]
    fn multilabel_groups_show_macro_f1_and_their_scores() {
        use crate::sweep::multilabel_scores::MultilabelScores;
        let row = |run, method: &str, ml: Option<f64>| Row {
            run,
            method: method.into(),
            vary: vec![],
            seed: run as u64,
            scores: Scores {
                macro_f1: Some(0.5),
                ..Scores::default()
            },
            robust: None,
            multilabel: ml.map(|v| MultilabelScores {
                subset_accuracy: Some(v),
                ..MultilabelScores::default()
            }),
            error: None,
        };
        let r = Results {
            sweep_id: "ef".into(),
            runs_total: 3,
            vary_keys: vec![],
            rows: vec![
                row(0, "mc", None),
                row(1, "ml", Some(0.2)),
                row(2, "ml", Some(0.4)),
            ],
        };
        let g = groups(&r);
        assert!(g[0].multilabel.is_empty());
        assert_eq!(g[1].multilabel[2].n, 2);
        let t = table(&r);
        // Title, header, 6 lines for `mc`, 1 + 4 for `ml`.
        assert_eq!(t.lines().count(), 2 + 6 + 5, "{t}");
        let line = t.lines().find(|l| l.contains("subset_accuracy")).unwrap();
        assert!(line.contains("2  0.3000"), "{line}");
    }
}
