//! `imlab sweep` and `imlab merge`: the same rows whole, sharded or on any number of threads; the
//! scores agree with `imlab run`; the summary agrees with the rows; bad grids and foreign or
//! duplicate shards are refused.

mod common;

use common::{cells, fails, ok, read, scratch};
use std::path::Path;

/// 2 methods × 2 learning rates × 3 seeds = 12 short runs.
const GRID: [&str; 10] = [
    "sweep",
    "--methods",
    "baseline,small:model.hidden=[4]",
    "--vary",
    "optimizer.lr=0.01,0.05",
    "--seeds",
    "3..6",
    "--epochs",
    "2",
    "--quiet",
];

fn sweep(dir: &Path, extra: &[&str]) -> common::Outcome {
    let mut args: Vec<&str> = GRID.to_vec();
    args.extend_from_slice(extra);
    ok(dir, &args)
}

#[test]
fn whole_sharded_and_threaded_runs_give_identical_files() {
    let dir = scratch("sweep_identical");
    sweep(&dir, &["--threads", "1", "--output", "whole.csv"]);
    sweep(&dir, &["--threads", "3", "--output", "threads.csv"]);
    assert_eq!(read(&dir, "whole.csv"), read(&dir, "threads.csv"));
    for i in 0..3 {
        let (shard, out) = (format!("{i}/3"), format!("shard{i}.csv"));
        sweep(
            &dir,
            &["--threads", "2", "--shard", &shard, "--output", &out],
        );
        let rows = cells(&read(&dir, &out));
        assert_eq!(rows.len(), 1 + 4, "shard {i} has a third of the runs");
        assert!(rows[1..]
            .iter()
            .all(|r| r[1].parse::<usize>().unwrap() % 3 == i));
    }
    // Merged in any order, the shards are the whole sweep, byte for byte.
    let m = ok(
        &dir,
        &[
            "merge",
            "shard2.csv",
            "shard0.csv",
            "shard1.csv",
            "--output",
            "merged.csv",
        ],
    );
    assert_eq!(read(&dir, "merged.csv"), read(&dir, "whole.csv"));
    assert!(m.stderr.is_empty(), "{}", m.stderr);

    let whole = read(&dir, "whole.csv");
    let rows = cells(&whole);
    assert_eq!(
        rows[0],
        [
            "sweep_id",
            "run",
            "runs_total",
            "method",
            "optimizer.lr",
            "seed",
            "balanced_accuracy",
            "macro_f1",
            "g_mean",
            "minority_recall",
            "accuracy",
            "auc",
            "error"
        ]
    );
    assert_eq!(rows.len(), 13);
    let order: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[3].as_str(), r[4].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(order[0], ("baseline", "0.01", "3"));
    assert_eq!(order[2], ("baseline", "0.01", "5"));
    assert_eq!(order[3], ("baseline", "0.05", "3"));
    assert_eq!(order[6], ("small", "0.01", "3"));
    for r in &rows[1..] {
        assert_eq!(r[2], "12");
        assert_eq!(r[12], "", "no run fails: {r:?}");
        for v in &r[6..12] {
            let v: f64 = v.parse().unwrap_or_else(|_| panic!("score `{v}` in {r:?}"));
            assert!((0.0..=1.0).contains(&v), "{r:?}");
        }
    }
    // Different seeds give different runs (the seed reaches the data, split and weights).
    assert_ne!(rows[1][6..12], rows[2][6..12]);
}

#[test]
fn json_results_merge_exactly_and_convert_to_csv() {
    let dir = scratch("sweep_json");
    sweep(&dir, &["--output", "whole.json"]);
    sweep(&dir, &["--output", "whole.csv"]);
    sweep(&dir, &["--shard", "0/2", "--output", "a.json"]);
    sweep(&dir, &["--shard", "1/2", "--output", "b.csv"]);
    ok(&dir, &["merge", "a.json", "b.csv", "--output", "all.json"]);
    assert_eq!(read(&dir, "all.json"), read(&dir, "whole.json"));
    ok(&dir, &["merge", "whole.json", "--output", "again.csv"]);
    assert_eq!(read(&dir, "again.csv"), read(&dir, "whole.csv"));
    let doc: serde_json::Value = serde_json::from_str(&read(&dir, "whole.json")).unwrap();
    assert_eq!(doc["runs_total"], 12);
    assert_eq!(doc["runs"].as_array().unwrap().len(), 12);
    assert_eq!(doc["vary_keys"][0], "optimizer.lr");
}

/// A sweep run's scores are those of `imlab run` on the same config and seed.
#[test]
fn sweep_scores_agree_with_imlab_run() {
    let dir = scratch("sweep_vs_run");
    ok(
        &dir,
        &[
            "sweep",
            "--methods",
            "baseline",
            "--seeds",
            "7,11",
            "--epochs",
            "3",
            "--quiet",
            "--output",
            "r.csv",
        ],
    );
    let rows = cells(&read(&dir, "r.csv"));
    for row in &rows[1..] {
        let seed = &row[4];
        let config = format!("{{\"seed\": {seed}, \"epochs\": 3}}");
        std::fs::write(dir.join("c.json"), config).unwrap();
        let out = ok(&dir, &["run", "--config", "c.json"]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let fin = &v["final"];
        let same = |name: &str, got: &str, want: &serde_json::Value| {
            let got: f64 = got.parse().unwrap();
            // serde_json's default float reader may land one ulp off; the CSV is read exactly.
            let want = want.as_f64().unwrap();
            assert!(
                (got - want).abs() <= 2.0 * f64::EPSILON * want.abs(),
                "seed {seed} {name}: {got} vs {want}"
            );
        };
        same("balanced accuracy", &row[5], &fin["balanced_accuracy"]);
        same("accuracy", &row[9], &fin["accuracy"]);
        // The default data's minority is class 1 (50 of 550 rows).
        same("minority recall", &row[8], &fin["per_class"][1]["recall"]);
        let f1: Vec<f64> = fin["per_class"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["f1"].as_f64().unwrap())
            .collect();
        let macro_f1: f64 = row[6].parse().unwrap();
        assert!(
            (macro_f1 - f1.iter().sum::<f64>() / 2.0).abs() < 1e-15,
            "seed {seed}"
        );
        let recalls: Vec<f64> = fin["per_class"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["recall"].as_f64().unwrap())
            .collect();
        let g: f64 = row[7].parse().unwrap();
        assert!(
            (g - (recalls[0] * recalls[1]).sqrt()).abs() < 1e-12,
            "seed {seed}"
        );
    }
}

/// The printed means and intervals are those of the rows in the file.
#[test]
fn summary_matches_the_rows() {
    let dir = scratch("sweep_summary");
    let o = sweep(&dir, &["--output", "r.csv"]);
    let rows = cells(&read(&dir, "r.csv"));
    let ba: Vec<f64> = rows[1..4].iter().map(|r| r[6].parse().unwrap()).collect();
    let mean = ba.iter().sum::<f64>() / 3.0;
    let sd = (ba.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    // t(0.975, 2) = 4.302652729749462 (scipy).
    let half = 4.302652729749462 * sd / 3f64.sqrt();
    let line = o
        .stdout
        .lines()
        .find(|l| l.starts_with("baseline") && l.contains("0.01"))
        .unwrap_or_else(|| panic!("{}", o.stdout));
    let expect = format!(
        "3  {mean:.4}  {sd:.4}  [{:.4}, {:.4}]",
        mean - half,
        mean + half
    );
    assert!(
        line.contains("balanced_accuracy") && line.ends_with(&expect),
        "{line}\nwant …{expect}"
    );
    assert!(
        o.stdout
            .starts_with(&format!("sweep {}: 12 of 12 runs\n", rows[1][0])),
        "{}",
        o.stdout
    );
    // 4 groups × 6 scores, a title, a header and the closing line.
    assert_eq!(o.stdout.lines().count(), 4 * 6 + 3, "{}", o.stdout);
    let m = ok(&dir, &["merge", "r.csv", "--output", "m.csv"]);
    assert_eq!(
        m.stdout.lines().take(26).collect::<Vec<_>>(),
        o.stdout.lines().take(26).collect::<Vec<_>>()
    );
}

#[test]
fn merge_refuses_duplicates_and_other_sweeps() {
    let dir = scratch("merge_errors");
    sweep(&dir, &["--shard", "0/2", "--output", "a.csv"]);
    sweep(&dir, &["--shard", "1/2", "--output", "b.csv"]);
    let other = [
        "sweep",
        "--methods",
        "baseline",
        "--vary",
        "optimizer.lr=0.01,0.05",
        "--seeds",
        "2",
        "--epochs",
        "2",
        "--quiet",
        "--shard",
        "1/2",
        "--output",
        "other.csv",
    ];
    ok(&dir, &other);
    let mut no_vary = other.to_vec();
    no_vary.drain(3..5);
    if let Some(last) = no_vary.last_mut() {
        *last = "novary.csv";
    }
    ok(&dir, &no_vary);
    std::fs::write(dir.join("foreign.csv"), "a,b\n1,2\n").unwrap();

    fails(
        &dir,
        &["merge", "a.csv", "a.csv", "--output", "m.csv"],
        &["run 0 appears in both `a.csv` and `a.csv`"],
    );
    fails(
        &dir,
        &["merge", "a.csv", "other.csv", "--output", "m.csv"],
        &["`other.csv` is from sweep", "only shards of one sweep"],
    );
    fails(
        &dir,
        &["merge", "a.csv", "novary.csv", "--output", "m.csv"],
        &["different sweep", "optimizer.lr"],
    );
    fails(
        &dir,
        &["merge", "a.csv", "foreign.csv", "--output", "m.csv"],
        &["foreign.csv", "not a sweep results file"],
    );
    fails(
        &dir,
        &["merge", "a.csv", "missing.csv", "--output", "m.csv"],
        &["cannot read `missing.csv`"],
    );
    fails(
        &dir,
        &["merge", "--output", "m.csv"],
        &["give the shard files"],
    );
    fails(&dir, &["merge", "a.csv", "b.csv"], &["--output"]);
    fails(
        &dir,
        &["merge", "a.csv", "b.csv", "--output", "m.txt"],
        &[".csv or .json"],
    );
    assert!(!dir.join("m.csv").exists());

    // A missing shard is allowed but reported.
    let partial = ok(&dir, &["merge", "a.csv", "--output", "m.csv"]);
    assert!(
        partial
            .stderr
            .contains("6 of 12 runs are missing (runs 1, 3, 5, 7, 9, 11)"),
        "{}",
        partial.stderr
    );
}

#[test]
fn bad_grids_are_explained_before_anything_runs() {
    let dir = scratch("sweep_errors");
    let run = |extra: &[&str], needles: &[&str]| {
        let mut a = vec!["sweep", "--output", "r.csv", "--epochs", "1"];
        a.extend_from_slice(extra);
        fails(&dir, &a, needles);
    };
    run(&["--methods", "baseline"], &["--seeds is required"]);
    run(&["--seeds", "2"], &["--methods is required"]);
    run(
        &["--methods", "no_such_method", "--seeds", "2"],
        &["unknown method `no_such_method`", "none"],
    );
    run(
        &["--methods", "optimizer.learning_rate=0.1", "--seeds", "2"],
        &["optimizer.learning_rate", "not a setting"],
    );
    run(
        &["--methods", "wat=1", "--seeds", "2"],
        &["`wat`", "unknown setting"],
    );
    run(
        &[
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--vary",
            "batch_size=16,0",
        ],
        &["batch_size=0", "batch_size"],
    );
    run(
        &[
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--vary",
            "seed=1,2",
        ],
        &["--seeds"],
    );
    run(
        &[
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--vary",
            "batch_size",
        ],
        &["KEY=v1,v2"],
    );
    run(
        &["--methods", "baseline,baseline", "--seeds", "2"],
        &["listed twice"],
    );
    run(&["--methods", "baseline", "--seeds", "5..5"], &["no seeds"]);
    run(
        &["--methods", "baseline", "--seeds", "two"],
        &["--seeds `two`"],
    );
    run(
        &["--methods", "baseline", "--seeds", "2", "--shard", "2/2"],
        &["--shard `2/2`"],
    );
    run(
        &["--methods", "baseline", "--seeds", "2", "--threads", "0"],
        &["--threads"],
    );
    run(
        &[
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--link",
            "#v=1&batch_size=0",
        ],
        &["link has problems", "batch_size"],
    );
    run(
        &[
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--config",
            "missing.json",
        ],
        &["cannot read config"],
    );
    fails(
        &dir,
        &[
            "sweep",
            "--methods",
            "baseline",
            "--seeds",
            "2",
            "--output",
            "r.tsv",
        ],
        &[".csv or .json"],
    );
    assert!(
        !dir.join("r.csv").exists(),
        "nothing is written for a bad grid"
    );
}

/// A run that fails (here: training diverges) is recorded with its error, not fatal to the sweep.
#[test]
fn failed_runs_are_recorded() {
    let dir = scratch("sweep_failed");
    let o = ok(
        &dir,
        &["sweep", "--methods", "blowup:optimizer.kind=sgd&optimizer.lr=10&optimizer.momentum=0.99&optimizer.weight_decay=0&model.hidden=[256,256,256,256]&model.activation=gelu", "--seeds", "1", "--epochs", "5", "--output", "r.csv"],
    );
    let text = read(&dir, "r.csv");
    assert!(text.contains("diverged"), "{text}");
    assert!(
        o.stdout.contains("1 failed") && o.stdout.contains("failed: blowup run 0 (seed 0)"),
        "{}",
        o.stdout
    );
}

/// `--preset` runs a paper preset's grid (the browser's Sweep panel runs the same one); its seeds and
/// epochs can be changed, nothing else.
#[test]
fn presets_run_their_grid_and_refuse_other_settings() {
    let dir = scratch("sweep_preset");
    ok(
        &dir,
        &[
            "sweep",
            "--preset",
            "menon-two-gaussians",
            "--seeds",
            "2",
            "--epochs",
            "1",
            "--quiet",
            "--output",
            "p.csv",
        ],
    );
    let rows = cells(&read(&dir, "p.csv"));
    assert_eq!(rows.len(), 1 + 5 * 2, "5 methods × 2 seeds");
    let methods: Vec<&str> = rows[1..].iter().step_by(2).map(|r| r[3].as_str()).collect();
    assert_eq!(
        methods,
        [
            "baseline",
            "logit_adjusted",
            "posthoc_la",
            "weighted_ce",
            "ldam"
        ]
    );
    assert!(rows[1..].iter().all(|r| r.last().unwrap().is_empty()));
    let base = ["sweep", "--output", "r.csv", "--preset"];
    let run = |extra: &[&str], needles: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        fails(&dir, &a, needles);
    };
    run(
        &["no-such"],
        &["unknown preset `no-such`", "buda-step-digits"],
    );
    run(
        &["longtail-digits", "--methods", "baseline"],
        &["leave out --methods"],
    );
}

/// `--gpu` trains the same grid side by side on the GPU (lavapipe in CI): the same runs in the same
/// order, the same confusion-based scores (the GPU parity bounds keep the test predictions equal)
/// and AUC within 1e-4. Two network shapes and two learning rates make several groups. Without a
/// GPU the test fails, unless `IMLAB_ALLOW_NO_GPU=1` (as the GPU crate's tests).
#[test]
fn gpu_sweep_has_the_cpu_rows_within_the_parity_bounds() {
    let dir = scratch("sweep_gpu");
    sweep(&dir, &["--output", "cpu.csv"]);
    let mut args: Vec<&str> = GRID.to_vec();
    args.extend_from_slice(&["--gpu", "--output", "gpu.csv"]);
    let o = common::imlab(&dir, &args);
    if !o.ok && std::env::var("IMLAB_ALLOW_NO_GPU").as_deref() == Ok("1") {
        eprintln!("IMLAB_ALLOW_NO_GPU=1: skipping ({})", o.stderr.trim());
        return;
    }
    assert!(o.ok, "imlab sweep --gpu failed:\n{}", o.stderr);
    let (cpu, gpu) = (cells(&read(&dir, "cpu.csv")), cells(&read(&dir, "gpu.csv")));
    assert_eq!(gpu[0], cpu[0], "same columns");
    assert_eq!(gpu.len(), cpu.len(), "same runs");
    let col = |name: &str| cpu[0].iter().position(|h| h == name).unwrap();
    let scores = col("seed") + 1..col("error");
    for (g, c) in gpu[1..].iter().zip(&cpu[1..]) {
        for name in ["sweep_id", "run", "method", "optimizer.lr", "seed", "error"] {
            assert_eq!(g[col(name)], c[col(name)], "{name} of run {}", c[1]);
        }
        for j in scores.clone() {
            let (a, b): (f64, f64) = (g[j].parse().unwrap(), c[j].parse().unwrap());
            let tol = if cpu[0][j] == "auc" { 1e-4 } else { 1e-9 };
            assert!(
                (a - b).abs() <= tol,
                "run {} {}: GPU {a}, CPU {b}",
                c[1],
                cpu[0][j]
            );
        }
    }
}

/// A base with robust evaluation adds the robust columns (after the six scores, before `error`);
/// adversarial methods are link settings; the `adversarial-disparity` preset runs its five methods;
/// shards merge back to the whole file, robust columns included.
#[test]
fn robust_columns_and_the_adversarial_preset() {
    let dir = scratch("sweep_robust");
    let base = "#v=2&model.hidden=[8]&robust_eval.method.steps=3&robust_eval.epsilon=0.3";
    let grid = |extra: &[&str]| {
        let mut a = vec![
            "sweep",
            "--link",
            base,
            "--methods",
            "erm:baseline",
            "--method",
            "at:adversarial.attack.method.steps=2&adversarial.attack.epsilon=0.3",
            "--method",
            "rat:adversarial.attack.method.steps=2&adversarial.attack.epsilon=0.3&adversarial.class_weights.scheme=inverse_frequency",
            "--seeds",
            "2",
            "--epochs",
            "2",
            "--quiet",
        ];
        a.extend_from_slice(extra);
        ok(&dir, &a)
    };
    let o = grid(&["--output", "r.csv"]);
    let rows = cells(&read(&dir, "r.csv"));
    let head: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    assert_eq!(
        head[10..],
        [
            "auc",
            "robust_accuracy",
            "robust_balanced_accuracy",
            "robust_worst_class_accuracy",
            "robust_recall_gap",
            "robust_minority_recall",
            "clean_worst_class_accuracy",
            "clean_recall_gap",
            "error"
        ]
    );
    assert_eq!(rows.len(), 1 + 3 * 2);
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    for r in &rows[1..] {
        let v = |name: &str| -> f64 { r[col(name)].parse().unwrap() };
        assert_eq!(r[col("error")], "", "{r:?}");
        assert!(v("robust_accuracy") <= 1.0 && v("robust_worst_class_accuracy") >= 0.0);
        assert!(v("robust_worst_class_accuracy") <= v("robust_balanced_accuracy"));
        assert!(v("clean_worst_class_accuracy") <= v("balanced_accuracy"));
        // Two classes: the gap is twice the distance of the worst class from the mean recall.
        let gap = 2.0 * (v("robust_balanced_accuracy") - v("robust_worst_class_accuracy"));
        assert!((v("robust_recall_gap") - gap).abs() < 1e-12, "{r:?}");
    }
    // Adversarial training changed the runs (same seeds, other models).
    assert_ne!(rows[1][5..18], rows[3][5..18]);
    assert_ne!(rows[3][5..18], rows[5][5..18]);
    assert!(
        o.stdout.contains("robust_worst_class_accuracy"),
        "{}",
        o.stdout
    );
    // 3 groups × (6 + 7) lines, a title, a header and the closing line.
    assert_eq!(o.stdout.lines().count(), 3 * 13 + 3, "{}", o.stdout);

    // Shards and JSON keep the robust columns exactly.
    grid(&["--shard", "0/2", "--output", "a.json"]);
    grid(&["--shard", "1/2", "--output", "b.csv"]);
    ok(&dir, &["merge", "a.json", "b.csv", "--output", "m.csv"]);
    assert_eq!(read(&dir, "m.csv"), read(&dir, "r.csv"));
    let doc: serde_json::Value = serde_json::from_str(&read(&dir, "a.json")).unwrap();
    assert!(doc["runs"][0]["robust"]["robust_balanced_accuracy"].is_number());

    // A sweep without robust evaluation has no robust column.
    ok(
        &dir,
        &[
            "sweep",
            "--methods",
            "baseline",
            "--seeds",
            "1",
            "--epochs",
            "1",
            "--quiet",
            "--output",
            "p.csv",
        ],
    );
    assert!(!read(&dir, "p.csv").contains("robust"));

    // The preset: five methods, robust columns, every run finished.
    ok(
        &dir,
        &[
            "sweep",
            "--preset",
            "adversarial-disparity",
            "--seeds",
            "1",
            "--epochs",
            "2",
            "--quiet",
            "--output",
            "adv.csv",
        ],
    );
    let rows = cells(&read(&dir, "adv.csv"));
    let methods: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        methods,
        [
            "erm",
            "reweighted_erm",
            "at",
            "reweighted_at",
            "at_balanced_softmax"
        ]
    );
    assert_eq!(rows[0].len(), head.len());
    assert!(rows[1..]
        .iter()
        .all(|r| r.last().unwrap().is_empty() && !r[head.len() - 2].is_empty()));
}
