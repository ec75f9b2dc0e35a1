//! `imlab bench train`: times the engine's CPU training path (`Experiment::train_step`, one thread) on
//! moons 1:10 with an MLP 2→32→32→2 (ReLU), Adam, cross-entropy, and prints the result as JSON.
//! `scripts/bench-train.sh` runs it beside scikit-learn's `MLPClassifier` on the same rows
//! (`--data-out`) and prints the comparison table.
//!
//! `--multilabel` times the multi-label path instead (`MultilabelExperiment`, 5 labels, one sigmoid
//! each, BCE; `--data-out` then writes `x0,x1,y_0,…,y_4`, which `MLPClassifier` fits as indicator
//! targets).
//!
//! `--adversarial fgsm|pgd-N` times adversarial training instead (`crate::adversarial` of the engine:
//! L∞, ε = 0.1, random start, λ = 1): each step then adds N forward and input-gradient passes over
//! the batch for the attack, so the rate falls to roughly 1/(N + 1) of clean training's.

use std::time::Instant;

use imlab_engine::adversarial::{AdversarialTraining, AttackMethod, AttackSpec, Norm, MAX_STEPS};
use imlab_engine::experiment::{MAX_BATCH, MAX_EPOCHS};
use imlab_engine::Experiment;

use crate::args::Args;

use imlab_engine::experiment::{
    training_benchmark as bench_config, BENCH_TEST_FRACTION as TEST_FRACTION,
};
/// Largest dataset the engine generates (`dataset::MAX_ROWS`), training and test rows together.
const MAX_TOTAL_ROWS: usize = 200_000;

const USAGE: &str = "usage: imlab bench train [--rows N] [--epochs E] [--batch B] [--repeat R] [--adversarial fgsm|pgd-N | --multilabel] [--data-out FILE.csv]";

pub fn main(argv: &[String]) -> Result<(), String> {
    match argv.split_first() {
        Some((what, rest)) if what == "train" => train(rest),
        _ => Err(USAGE.into()),
    }
}

fn train(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(
        argv,
        &[
            "rows",
            "epochs",
            "batch",
            "repeat",
            "data-out",
            "adversarial",
        ],
        &["multilabel"],
    )?;
    let rows = args.parsed::<usize>("rows")?.unwrap_or(100_000);
    let epochs = args.parsed::<usize>("epochs")?.unwrap_or(5);
    let batch = args.parsed::<usize>("batch")?.unwrap_or(256);
    let repeat = args.parsed::<usize>("repeat")?.unwrap_or(3);
    if !(1..=MAX_EPOCHS).contains(&epochs) {
        return Err(format!("--epochs must be 1 to {MAX_EPOCHS}, got {epochs}"));
    }
    if !(1..=MAX_BATCH).contains(&batch) {
        return Err(format!("--batch must be 1 to {MAX_BATCH}, got {batch}"));
    }
    if !(1..=100).contains(&repeat) {
        return Err(format!("--repeat must be 1 to 100, got {repeat}"));
    }
    let total = (rows as f64 / (1.0 - TEST_FRACTION)).ceil() as usize;
    if rows < batch || total > MAX_TOTAL_ROWS {
        return Err(format!(
            "--rows must be at least the batch size ({batch}) and at most {} (the engine generates \
             at most {MAX_TOTAL_ROWS} rows with the test split), got {rows}",
            (MAX_TOTAL_ROWS as f64 * (1.0 - TEST_FRACTION)) as usize
        ));
    }
    if args.has("multilabel") {
        if args.get("adversarial").is_some() {
            return Err(
                "--adversarial times multi-class training; leave it out with --multilabel".into(),
            );
        }
        return train_multilabel(&args, total, epochs, batch, repeat);
    }
    let mut config = bench_config(total, epochs, batch);
    let adversarial = args.get("adversarial").map(parse_adversarial).transpose()?;
    config.adversarial = adversarial.clone();

    let (exp, seconds, cpu_seconds) = time_runs(
        repeat,
        || Experiment::new(config.clone()).map_err(|e| e.to_string()),
        |e| e.train_to_end().map_err(|e| e.to_string()),
    )?;
    if let Some(path) = args.get("data-out") {
        write_rows(path, exp.train_x(), exp.train_y(), exp.train.n_features)?;
    }
    let steps = exp.step();
    let samples = steps as usize * exp.batch_size();
    let (best, median) = best_and_median(&seconds);
    let cpu_best = cpu_seconds.iter().copied().min_by(f64::total_cmp);
    let snap = exp.snapshot();
    let mut out = serde_json::json!({
        "implementation": "imlab native CPU (Experiment::train_step, 1 thread)",
        "train_rows": exp.train.len(),
        "epochs": epochs,
        "batch": exp.batch_size(),
        "steps": steps,
        "samples_processed": samples,
        "seconds": seconds,
        "best_s": best,
        "median_s": median,
        "samples_epochs_per_s_best": samples as f64 / best,
        "samples_epochs_per_s_median": samples as f64 / median,
        "cpu_seconds": cpu_seconds,
        "cpu_best_s": cpu_best,
        "samples_epochs_per_cpu_s_best": cpu_best.map(|c| samples as f64 / c),
        "final_train_loss": snap.train_loss,
        "test_accuracy": snap.accuracy,
        "test_balanced_accuracy": snap.balanced_accuracy,
    });
    // Only with --adversarial, so clean runs print what they printed before.
    if let Some(a) = &adversarial {
        out["adversarial"] = serde_json::json!({
            "attack": a.attack.method.name(),
            "steps": a.attack.steps(),
            "norm": a.attack.norm.name(),
            "epsilon": a.attack.epsilon,
        });
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Builds and trains `repeat` experiments, timing only the training (data generation, split and
/// initialisation are set-up, outside the timer); returns the last experiment with the wall and
/// thread-CPU seconds of each run.
fn time_runs<E>(
    repeat: usize,
    build: impl Fn() -> Result<E, String>,
    train: impl Fn(&mut E) -> Result<(), String>,
) -> Result<(E, Vec<f64>, Vec<f64>), String> {
    let mut seconds = Vec::with_capacity(repeat);
    let mut cpu_seconds = Vec::with_capacity(repeat);
    let mut outcome = None;
    for _ in 0..repeat.max(1) {
        let mut exp = build()?;
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        train(&mut exp)?;
        seconds.push(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
            cpu_seconds.push(b - a);
        }
        outcome = Some(exp);
    }
    Ok((outcome.expect("at least one run"), seconds, cpu_seconds))
}

/// Median and best of the timed repetitions.
fn best_and_median(seconds: &[f64]) -> (f64, f64) {
    let mut sorted = seconds.to_vec();
    sorted.sort_by(f64::total_cmp);
    (sorted[0], sorted[sorted.len() / 2])
}

/// `--multilabel`: the same timing of `MultilabelExperiment::train_step` on the multi-label
/// benchmark (`multilabel_training_benchmark`: 5 labels, one sigmoid each, BCE).
fn train_multilabel(
    args: &Args,
    total: usize,
    epochs: usize,
    batch: usize,
    repeat: usize,
) -> Result<(), String> {
    use imlab_engine::experiment::multilabel_training_benchmark;
    use imlab_engine::multilabel::MultilabelExperiment;
    let config = multilabel_training_benchmark(total, epochs, batch);
    let (exp, seconds, cpu_seconds) = time_runs(
        repeat,
        || MultilabelExperiment::new(config.clone()).map_err(|e| e.to_string()),
        |e| e.train_to_end().map_err(|e| e.to_string()),
    )?;
    let train = &exp.resampled.data;
    if let Some(path) = args.get("data-out") {
        let x: Vec<f32> = train.x.iter().map(|&v| v as f32).collect();
        let y = train.labels.to_indicators().map_err(|e| e.to_string())?;
        write_indicator_rows(path, &x, &y.bits, train.n_features, y.n_labels)?;
    }
    let steps = exp.step();
    let samples = steps as usize * exp.batch_size();
    let (best, median) = best_and_median(&seconds);
    let cpu_best = cpu_seconds.iter().copied().min_by(f64::total_cmp);
    let snap = exp.snapshot().map_err(|e| e.to_string())?;
    let out = serde_json::json!({
        "implementation": format!("imlab native CPU (MultilabelExperiment::train_step, 1 thread, {} labels)", exp.n_labels()),
        "task": "multilabel",
        "labels": exp.n_labels(),
        "train_rows": train.n_samples(),
        "epochs": epochs,
        "batch": exp.batch_size(),
        "steps": steps,
        "samples_processed": samples,
        "seconds": seconds,
        "best_s": best,
        "median_s": median,
        "samples_epochs_per_s_best": samples as f64 / best,
        "samples_epochs_per_s_median": samples as f64 / median,
        "cpu_seconds": cpu_seconds,
        "cpu_best_s": cpu_best,
        "samples_epochs_per_cpu_s_best": cpu_best.map(|c| samples as f64 / c),
        "final_train_loss": snap.train_loss,
        "test_micro_f1": snap.metrics.f1.micro.value(),
        "test_macro_f1": snap.metrics.f1.macro_.value(),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Multi-label training rows as CSV (`x0,…,y_0,…`, 0/1 indicators).
fn write_indicator_rows(
    path: &str,
    x: &[f32],
    bits: &[bool],
    d: usize,
    l: usize,
) -> Result<(), String> {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bits.len() * 4 + x.len() * 12);
    let mut header: Vec<String> = (0..d).map(|j| format!("x{j}")).collect();
    header.extend((0..l).map(|j| format!("y_{j}")));
    let _ = writeln!(text, "{}", header.join(","));
    for (row, labels) in x.chunks_exact(d).zip(bits.chunks_exact(l)) {
        let cells: Vec<String> = row
            .iter()
            .map(|v| v.to_string())
            .chain(labels.iter().map(|&b| u8::from(b).to_string()))
            .collect();
        let _ = writeln!(text, "{}", cells.join(","));
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write `{path}`: {e}"))
}

/// `fgsm` or `pgd-N` (N steps): adversarial training under L∞, ε = 0.1, random start, λ = 1.
fn parse_adversarial(text: &str) -> Result<AdversarialTraining, String> {
    let bad = || {
        format!(
            "--adversarial `{text}`: write fgsm or pgd-N (N steps, 1 to {MAX_STEPS}), e.g. pgd-5"
        )
    };
    let method = match text {
        "fgsm" => AttackMethod::Fgsm,
        _ => {
            let steps: usize = text
                .strip_prefix("pgd-")
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)?;
            if !(1..=MAX_STEPS).contains(&steps) {
                return Err(bad());
            }
            AttackMethod::Pgd {
                steps,
                step_size: None,
                random_start: true,
            }
        }
    };
    Ok(AdversarialTraining {
        attack: AttackSpec {
            method,
            norm: Norm::Linf,
            epsilon: 0.1,
        },
        ..AdversarialTraining::default()
    })
}

/// CPU time this thread has run, where the system tells it (Linux `/proc`): on a loaded machine it
/// shows what the code costs apart from the time the thread waited for a core.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 * 1e-9)
}

/// The training rows as CSV (`x0,…,y`), so that another implementation trains on the very same data.
fn write_rows(path: &str, x: &[f32], y: &[usize], d: usize) -> Result<(), String> {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(y.len() * 24);
    let header: Vec<String> = (0..d).map(|j| format!("x{j}")).collect();
    let _ = writeln!(text, "{},y", header.join(","));
    for (row, label) in x.chunks_exact(d).zip(y) {
        for v in row {
            // `{}` prints the shortest text that parses back to the same f32.
            let _ = write!(text, "{v},");
        }
        let _ = writeln!(text, "{label}");
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write `{path}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_config_is_valid_and_trains_on_about_the_requested_rows() {
        let rows = 10_000;
        let total = (rows as f64 / (1.0 - TEST_FRACTION)).ceil() as usize;
        let config = bench_config(total, 1, 256);
        config.validate().expect("valid");
        let exp = Experiment::new(config).expect("builds");
        let got = exp.train.len();
        assert!(
            got.abs_diff(rows) <= 2,
            "{got} training rows for {rows} asked"
        );
        assert_eq!(
            exp.model().n_params(),
            2 * 32 + 32 + 32 * 32 + 32 + 32 * 2 + 2
        );
    }

    #[test]
    fn multilabel_bench_is_the_same_network_with_a_sigmoid_per_label() {
        use imlab_engine::experiment::multilabel_training_benchmark;
        use imlab_engine::multilabel::MultilabelExperiment;
        let total = (10_000f64 / (1.0 - TEST_FRACTION)).ceil() as usize;
        let config = multilabel_training_benchmark(total, 1, 256);
        config.validate().expect("valid");
        let exp = MultilabelExperiment::new(config).expect("builds");
        assert_eq!(exp.n_labels(), 5);
        assert!(exp.train.n_samples().abs_diff(10_000) <= 2);
        assert_eq!(
            exp.model().n_params(),
            2 * 32 + 32 + 32 * 32 + 32 + 32 * 5 + 5
        );
        let dir = std::env::temp_dir().join(format!("imlab-bench-ml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rows.csv");
        let path = path.to_str().unwrap();
        write_indicator_rows(
            path,
            &[0.5, -1.25, 2.0, 3.0],
            &[true, false, false, true],
            2,
            2,
        )
        .unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text, "x0,x1,y_0,y_1\n0.5,-1.25,1,0\n2,3,0,1\n");
        let err =
            train(&["--multilabel".into(), "--adversarial".into(), "fgsm".into()]).unwrap_err();
        assert!(err.contains("--multilabel"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn rejects_rows_the_engine_cannot_generate() {
        let err = train(&["--rows".into(), "500000".into()]).unwrap_err();
        assert!(err.contains("--rows"), "{err}");
        let err = train(&["--batch".into(), "0".into()]).unwrap_err();
        assert!(err.contains("--batch"), "{err}");
        for bad in ["pgd", "pgd-0", "pgd-101", "pgd-x", "cw"] {
            let err = parse_adversarial(bad).unwrap_err();
            assert!(err.contains("pgd-N"), "{bad}: {err}");
        }
    }

    #[test]
    fn adversarial_bench_configs_are_what_they_say() {
        let a = parse_adversarial("pgd-10").unwrap();
        assert_eq!((a.attack.steps(), a.attack.epsilon), (10, 0.1));
        assert!(a.attack.random_start());
        assert_eq!(parse_adversarial("fgsm").unwrap().attack.steps(), 1);
        let mut config = bench_config(2000, 1, 256);
        config.adversarial = Some(a);
        config.validate().expect("valid");
    }
}
