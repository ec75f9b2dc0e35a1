//! `imlab merge`: combines the files of a sharded sweep into one, checking that they belong to the
//! same sweep (same sweep id, runs total and columns) and that no run appears twice, then prints the
//! same summary as `imlab sweep`.

use crate::args::Args;
use crate::sweep::results::{Format, Results};
use crate::sweep::summary;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse_with_positional(argv, &["output"], &[])?;
    let output = args
        .get("output")
        .ok_or("--output all.csv (or .json) is required")?;
    let out_format = Format::of(output)?;
    let inputs = args.positional();
    if inputs.is_empty() {
        return Err(
            "give the shard files to merge: imlab merge a.csv b.csv ... --output all.csv".into(),
        );
    }
    let mut merged: Option<(String, Results)> = None;
    let mut owner: std::collections::BTreeMap<usize, String> = Default::default();
    for path in inputs {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let part = Results::parse(&text, Format::of(path)?).map_err(|e| format!("{path}: {e}"))?;
        for r in &part.rows {
            if let Some(first) = owner.insert(r.run, path.clone()) {
                return Err(format!("run {} appears in both `{first}` and `{path}`; each run must come from one shard", r.run));
            }
        }
        match &mut merged {
            None => merged = Some((path.clone(), part)),
            Some((first, all)) => {
                if part.vary_keys != all.vary_keys {
                    return Err(format!(
                        "`{path}` has the columns of a different sweep (varied: {}) than `{first}` (varied: {})",
                        part.vary_keys.join(", "),
                        all.vary_keys.join(", ")
                    ));
                }
                // A CSV shard without rows carries no sweep id; it can only be checked by its columns.
                if part.sweep_id.is_empty() {
                    continue;
                }
                if all.sweep_id.is_empty() {
                    *first = path.clone();
                    all.sweep_id = part.sweep_id.clone();
                    all.runs_total = part.runs_total;
                }
                if part.sweep_id != all.sweep_id || part.runs_total != all.runs_total {
                    return Err(format!(
                        "`{path}` is from sweep {} ({} runs) but `{first}` is from sweep {} ({} runs); only shards of one sweep can be merged",
                        part.sweep_id, part.runs_total, all.sweep_id, all.runs_total
                    ));
                }
                all.rows.extend(part.rows);
            }
        }
    }
    let (_, mut all) = merged.ok_or("nothing to merge")?;
    all.rows.sort_by_key(|r| r.run);
    if let Some(r) = all.rows.iter().find(|r| r.run >= all.runs_total) {
        return Err(format!(
            "run {} is outside the sweep's {} runs; the file was edited or damaged",
            r.run, all.runs_total
        ));
    }
    let missing: Vec<String> = (0..all.runs_total)
        .filter(|i| !owner.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(20).cloned().collect();
        eprintln!(
            "imlab: warning: {} of {} runs are missing (runs {}{}); is a shard missing?",
            missing.len(),
            all.runs_total,
            shown.join(", "),
            if missing.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        );
    }
    std::fs::write(output, all.render(out_format))
        .map_err(|e| format!("cannot write `{output}`: {e}"))?;
    print!("{}", summary::table(&all));
    println!("merged {} file(s) into {output}", inputs.len());
    Ok(())
}
