//! `imlab bench-resample [--quick] [--python PY --script imblearn_resample.py] [--dir DIR]
//! [--timeout S] [--only NAME]`: times our samplers against imbalanced-learn's on the same data.
//!
//! The datasets are generated once here (Gaussian blobs, fixed seed), written to `--dir` as raw
//! little-endian f64 features and i64 labels, so the Python side reads exactly the same numbers
//! (no decimal round trip). Our time is the median over a few repetitions of
//! [`SamplerSpec::apply`] on data already in memory; the reference's is the median of
//! `fit_resample` alone (measured by `tools/bench/imblearn_resample.py`, each case in a child
//! process killed after `--timeout` seconds). The `check` column compares the outcomes: kept-index
//! sets for the cleaners and NearMiss, per-class output counts for the over-samplers (their draws
//! come from different random generators, so only the counts can agree).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use imlab_engine::dataset::{blobs, circle_centers, Dataset};
use imlab_engine::resample::{
    Adasyn, BorderlineSmote, EditedNearestNeighbours, NearMiss, Origin, Resampled, SamplerSpec,
    Smote, TomekLinks,
};
use imlab_engine::rng::Rng;
use serde_json::{json, Value};

use crate::args::Args;

/// Seed of every benchmark dataset (each dataset draws from its own named stream).
const SEED: u64 = 20_240_601;
/// Our repetitions: up to this many, while their total stays under [`OUR_BUDGET`].
const MAX_REPS: usize = 7;
const OUR_BUDGET: Duration = Duration::from_secs(3);

/// Class structure of a benchmark dataset.
#[derive(Clone, Copy)]
enum Classes {
    /// Two classes, 100 majority rows per minority row.
    Binary100,
    /// Five classes with counts in ratio 81 : 27 : 9 : 3 : 1.
    LongTail5,
}

impl Classes {
    fn counts(self, rows: usize) -> Vec<usize> {
        let weights: &[usize] = match self {
            Classes::Binary100 => &[100, 1],
            Classes::LongTail5 => &[81, 27, 9, 3, 1],
        };
        let total: usize = weights.iter().sum();
        let mut counts: Vec<usize> = weights.iter().map(|w| rows * w / total).collect();
        let assigned: usize = counts.iter().sum();
        counts[0] += rows - assigned;
        counts
    }

    fn label(self) -> &'static str {
        match self {
            Classes::Binary100 => "2 (1:100)",
            Classes::LongTail5 => "5 (81:27:9:3:1)",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Classes::Binary100 => "bin",
            Classes::LongTail5 => "tail5",
        }
    }
}

/// One generated dataset and the name of its files.
struct BenchData {
    name: String,
    classes: Classes,
    data: Dataset,
}

/// Class `c` ~ N(centre_c, I) in `d` dimensions; the centres lie on a circle of radius 1.5 in the
/// first two features (zero elsewhere), so neighbouring classes overlap and every cleaner and
/// ADASYN has borders to work on, while the other features are pure noise (full intrinsic
/// dimension: no index structure gets an easy ride at 20 features).
fn generate(rows: usize, d: usize, classes: Classes) -> BenchData {
    let counts = classes.counts(rows);
    let centers: Vec<Vec<f64>> = circle_centers(counts.len(), 1.5)
        .into_iter()
        .map(|c| {
            let mut v = vec![0.0; d];
            v[0] = c[0];
            if d > 1 {
                v[1] = c[1];
            }
            v
        })
        .collect();
    let name = format!("{}_{rows}x{d}", classes.tag());
    let data = blobs(&counts, &centers, 1.0, &mut Rng::stream(SEED, &name));
    BenchData {
        name,
        classes,
        data,
    }
}

fn write_data(dir: &Path, b: &BenchData) -> Result<(), String> {
    let x: Vec<u8> = b.data.x.iter().flat_map(|v| v.to_le_bytes()).collect();
    let y: Vec<u8> = b
        .data
        .y
        .iter()
        .flat_map(|&v| (v as i64).to_le_bytes())
        .collect();
    for (ext, bytes) in [("x.f64", x), ("y.i64", y)] {
        let path = dir.join(format!("{}.{ext}", b.name));
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// The methods benchmarked: (name shown and passed to Python, our sampler with the reference's
/// defaults, whether the outcome is a kept-index set).
fn methods() -> Vec<(&'static str, SamplerSpec, bool)> {
    vec![
        ("smote", SamplerSpec::Smote(Smote::default()), false),
        ("adasyn", SamplerSpec::Adasyn(Adasyn::default()), false),
        (
            "borderline1",
            SamplerSpec::Borderline1(BorderlineSmote::default()),
            false,
        ),
        (
            "tomek",
            SamplerSpec::TomekLinks(TomekLinks::default()),
            true,
        ),
        (
            "enn",
            SamplerSpec::EditedNearestNeighbours(EditedNearestNeighbours::default()),
            true,
        ),
        (
            "nearmiss1",
            SamplerSpec::NearMiss(NearMiss::default()),
            true,
        ),
    ]
}

fn median_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Median time of `spec.apply` and its last result.
fn time_ours(spec: &SamplerSpec, data: &Dataset) -> Result<(f64, usize, Resampled), String> {
    let mut times = Vec::new();
    let mut total = Duration::ZERO;
    loop {
        let mut rng = Rng::stream(SEED, "bench-sampler");
        let t = Instant::now();
        let out = spec.apply(data, &mut rng).map_err(|e| e.to_string())?;
        let dt = t.elapsed();
        total += dt;
        times.push(dt.as_secs_f64() * 1e3);
        if times.len() >= MAX_REPS || total >= OUR_BUDGET {
            let reps = times.len();
            return Ok((median_ms(times), reps, out));
        }
    }
}

/// What our run produced, in the form the reference's is reported: sorted kept indices, or
/// per-class output counts.
fn outcome(out: &Resampled, kept_set: bool) -> Value {
    if kept_set {
        let mut kept: Vec<usize> = out
            .origin
            .iter()
            .filter_map(|o| match o {
                Origin::Original { index } => Some(*index),
                _ => None,
            })
            .collect();
        kept.sort_unstable();
        json!(kept)
    } else {
        json!(out.data.class_counts())
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 1.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.3}")
    }
}

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(
        argv,
        &["python", "script", "dir", "timeout", "only", "rows", "json"],
        &["quick"],
    )?;
    let quick = args.has("quick");
    let timeout = args.parsed::<u64>("timeout")?.unwrap_or(120);
    let rows: Vec<usize> = match args.get("rows") {
        Some(list) => list
            .split(',')
            .map(|r| {
                r.trim()
                    .parse()
                    .map_err(|_| format!("--rows: `{r}` is not a row count"))
            })
            .collect::<Result<_, _>>()?,
        None if quick => vec![10_000],
        None => vec![10_000, 100_000],
    };
    let only: Option<Vec<String>> = args
        .get("only")
        .map(|s| s.split(',').map(|m| m.trim().to_string()).collect());
    let methods: Vec<_> = methods()
        .into_iter()
        .filter(|(name, _, _)| only.as_ref().is_none_or(|o| o.iter().any(|m| m == name)))
        .collect();
    if methods.is_empty() {
        return Err(
            "--only matched no method; use smote, adasyn, borderline1, tomek, enn, nearmiss1"
                .into(),
        );
    }
    let dir = match args.get("dir") {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("imlab-bench-resample-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;

    // Generate every dataset once, write it for the reference, list the cases.
    let mut datasets = Vec::new();
    for &n in &rows {
        for d in [2, 20] {
            for classes in [Classes::Binary100, Classes::LongTail5] {
                let b = generate(n, d, classes);
                write_data(&dir, &b)?;
                datasets.push(b);
            }
        }
    }
    let mut cases = Vec::new();
    for b in &datasets {
        for (method, _, _) in &methods {
            cases.push(json!({
                "id": format!("{method}/{}", b.name),
                "method": method,
                "data": b.name,
                "rows": b.data.len(),
                "features": b.data.n_features,
            }));
        }
    }
    let manifest = dir.join("manifest.json");
    std::fs::write(&manifest, json!({ "cases": cases }).to_string())
        .map_err(|e| format!("cannot write `{}`: {e}", manifest.display()))?;

    // Ours first, so that the reference's subprocess does not compete with it for the cores.
    eprintln!(
        "[bench-resample] ours: {} cases, data in {}",
        cases.len(),
        dir.display()
    );
    let mut ours = Vec::new();
    for b in &datasets {
        for (method, spec, kept_set) in &methods {
            let (ms, reps, out) =
                time_ours(spec, &b.data).map_err(|e| format!("{method} on {}: {e}", b.name))?;
            eprintln!("  {method:<12} {:<16} {} ms", b.name, fmt_ms(ms));
            ours.push((ms, reps, outcome(&out, *kept_set)));
        }
    }

    let reference = match args.get("python") {
        Some(py) => Some(run_reference(
            py,
            args.get("script")
                .unwrap_or("tools/bench/imblearn_resample.py"),
            &manifest,
            &dir.join("imblearn.json"),
            timeout,
        )?),
        None => None,
    };

    let mut table = Vec::new();
    let mut record = Vec::new();
    let mut i = 0;
    for b in &datasets {
        for (method, _, _) in &methods {
            let (ms, reps, ref ours_outcome) = ours[i];
            let id = cases[i]["id"].as_str().unwrap_or_default().to_string();
            i += 1;
            let theirs = reference.as_ref().map(|r| &r["cases"][&id]);
            let (ref_ms, ratio, check) = match theirs {
                None => ("-".to_string(), "-".to_string(), "-".to_string()),
                Some(t) if t["status"] == "ok" => {
                    let r = t["ms"].as_f64().unwrap_or(f64::NAN);
                    let same = &t["outcome"] == ours_outcome;
                    (
                        fmt_ms(r),
                        format!("{:.1}x", r / ms),
                        if same { "same" } else { "DIFFERENT" }.to_string(),
                    )
                }
                Some(t) if t["status"] == "timeout" => (
                    format!("> {timeout} s"),
                    format!("> {:.0}x", timeout as f64 * 1e3 / ms),
                    "-".to_string(),
                ),
                Some(t) => (
                    "error".to_string(),
                    "-".to_string(),
                    t["error"]
                        .as_str()
                        .unwrap_or("?")
                        .chars()
                        .take(40)
                        .collect(),
                ),
            };
            record.push(json!({
                "id": id, "ours_ms": ms, "ours_reps": reps, "reference": theirs,
            }));
            table.push([
                method.to_string(),
                b.data.len().to_string(),
                b.data.n_features.to_string(),
                b.classes.label().to_string(),
                fmt_ms(ms),
                ref_ms,
                ratio,
                check,
            ]);
        }
    }
    print_table(
        &[
            "method",
            "rows",
            "features",
            "classes",
            "ours (ms)",
            "imblearn (ms)",
            "ratio",
            "check",
        ],
        &table,
    );
    println!(
        "\nours: median of up to {MAX_REPS} runs of SamplerSpec::apply (data in memory), {} thread(s) available",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if let Some(r) = &reference {
        println!(
            "imblearn: {}; median of fit_resample; {}",
            r["versions"].as_str().unwrap_or("?"),
            r["threads"].as_str().unwrap_or("threads unknown")
        );
    }
    println!("check: kept-index sets (cleaners, NearMiss) or per-class output counts (over-samplers) equal to the reference's");
    if let Some(path) = args.get("json") {
        std::fs::write(
            path,
            serde_json::to_string_pretty(&record).unwrap_or_default(),
        )
        .map_err(|e| format!("cannot write `{path}`: {e}"))?;
    }
    if args.get("dir").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn run_reference(
    python: &str,
    script: &str,
    manifest: &Path,
    out: &Path,
    timeout: u64,
) -> Result<Value, String> {
    eprintln!("[bench-resample] imbalanced-learn via {python} (each case capped at {timeout} s)");
    let status = Command::new(python)
        .arg(script)
        .arg("--manifest")
        .arg(manifest)
        .arg("--out")
        .arg(out)
        .arg("--timeout")
        .arg(timeout.to_string())
        .status()
        .map_err(|e| format!("cannot run `{python} {script}`: {e}"))?;
    if !status.success() {
        return Err(format!("`{python} {script}` failed ({status})"));
    }
    let text = std::fs::read_to_string(out)
        .map_err(|e| format!("cannot read `{}`: {e}", out.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", out.display()))
}

fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut width = header.map(|h| h.chars().count());
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    // Text columns left-aligned, numbers right-aligned.
    let numeric = |c: usize| (1..=2).contains(&c) || (4..=6).contains(&c);
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if numeric(c) {
                    format!("{s:>w$}", w = width[c])
                } else {
                    format!("{s:<w$}", w = width[c])
                }
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    println!(
        "{}",
        width
            .iter()
            .map(|&w| "-".repeat(w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}
