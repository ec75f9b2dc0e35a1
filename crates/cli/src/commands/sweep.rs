//! `imlab sweep`: runs a grid of methods × varied settings × seeds on all cores, writes one row per
//! run, and prints a summary per method.
//!
//! `--preset NAME` runs one of the paper presets (`imlab_engine::sweep::presets`, the same grid the
//! browser's preset select runs); `--seeds` and `--epochs` may override its seeds and epochs.
//!
//! `--shard i/n` runs only the runs whose index is `i` modulo `n`; the shards' files, merged with
//! `imlab merge`, are identical to the file of the whole sweep run at once, on any number of threads.

use crate::args::Args;
use crate::config_source;
use crate::sweep::bundled;
use crate::sweep::execute::run_all;
use crate::sweep::grid::{parse_axis, parse_method, parse_seeds, split_top, Grid};
use crate::sweep::results::{Format, Results};
use crate::sweep::summary;
use imlab_engine::sweep::Preset;

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(
        argv,
        &[
            "config", "link", "methods", "method", "seeds", "vary", "epochs", "threads", "shard",
            "output", "preset",
        ],
        &["quiet", "gpu"],
    )?;
    let output = args
        .get("output")
        .ok_or("--output results.csv (or .json) is required")?;
    let format = Format::of(output)?;
    if let Some(name) = args.get("preset") {
        return run_grid(&args, output, format, preset_grid(&args, name)?);
    }
    let mut base = config_source::load(&args)?;
    if let Some(epochs) = args.parsed::<usize>("epochs")? {
        base.epochs = epochs;
    }
    let mut method_texts: Vec<String> = args
        .all("methods")
        .iter()
        .flat_map(|m| split_top(m))
        .collect();
    method_texts.extend(args.all("method").iter().cloned());
    if method_texts.is_empty() {
        return Err("--methods is required, e.g. --methods baseline,none or --methods sampler.kind=none,optimizer.lr=0.1".into());
    }
    let methods = method_texts
        .iter()
        .map(|m| parse_method(m))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(dup) = methods
        .iter()
        .enumerate()
        .find(|(i, m)| methods[..*i].iter().any(|o| o.label == m.label))
    {
        return Err(format!(
            "method `{}` is listed twice; give each method its own label (LABEL:settings)",
            dup.1.label
        ));
    }
    let axes = args
        .all("vary")
        .iter()
        .map(|a| parse_axis(a))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(dup) = axes
        .iter()
        .enumerate()
        .find(|(i, a)| axes[..*i].iter().any(|o| o.key == a.key))
    {
        return Err(format!(
            "--vary {} is given twice; list all its values in one --vary",
            dup.1.key
        ));
    }
    let seeds = parse_seeds(
        args.get("seeds")
            .ok_or("--seeds is required, e.g. --seeds 5 or --seeds 10..20")?,
    )?;
    let grid = Grid {
        base,
        methods,
        axes,
        seeds,
    };
    run_grid(&args, output, format, grid)
}

/// The grid of preset `name`, with `--seeds` and `--epochs` overriding the preset's.
fn preset_grid(args: &Args, name: &str) -> Result<Grid, String> {
    let preset = Preset::find(name).ok_or_else(|| {
        format!(
            "unknown preset `{name}`; the presets are {}",
            Preset::names().join(", ")
        )
    })?;
    for other in ["config", "link", "methods", "method", "vary"] {
        if args.get(other).is_some() {
            return Err(format!(
                "--preset sets the base, methods and grid; leave out --{other} (only --seeds and --epochs may change a preset)"
            ));
        }
    }
    let mut base = preset.base()?;
    if let Some(epochs) = args.parsed::<usize>("epochs")? {
        base.epochs = epochs;
    }
    preset.grid_on(base, args.get("seeds"))
}

/// Runs `grid` (or this process's shard of it), writes the rows and prints the summary.
fn run_grid(args: &Args, output: &str, format: Format, grid: Grid) -> Result<(), String> {
    let threads = match args.parsed::<usize>("threads")? {
        Some(0) => return Err("--threads must be at least 1".into()),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let (shard, shards) = match args.get("shard") {
        Some(s) => parse_shard(s)?,
        None => (0, 1),
    };

    let all = grid.runs()?;
    let mine: Vec<_> = all
        .into_iter()
        .filter(|r| r.index % shards == shard)
        .collect();
    let total = grid.len();
    let quiet = args.has("quiet");
    if !quiet {
        eprintln!(
            "sweep {}: {} of {total} runs{} {}",
            grid.sweep_id(),
            mine.len(),
            if shards > 1 {
                format!(" (shard {shard}/{shards})")
            } else {
                String::new()
            },
            if args.has("gpu") {
                "side by side on the GPU".to_string()
            } else {
                format!("on {threads} thread(s)")
            }
        );
    }
    let count = mine.len();
    let progress = |done: usize, row: &crate::sweep::results::Row| {
        if quiet {
            return;
        }
        match &row.error {
            None => eprintln!(
                "[{done}/{count}] run {} {} seed {}: balanced accuracy {}",
                row.run,
                row.method,
                row.seed,
                row.scores
                    .balanced_accuracy
                    .map_or("-".into(), |v| format!("{v:.4}"))
            ),
            Some(e) => eprintln!(
                "[{done}/{count}] run {} {} seed {} failed: {e}",
                row.run, row.method, row.seed
            ),
        }
    };
    let rows = if args.has("gpu") {
        crate::sweep::gpu::run_all_gpu(&mine, &bundled::files(), &progress)?
    } else {
        run_all(&mine, &bundled::files(), threads, &progress)
    };
    let results = Results {
        sweep_id: grid.sweep_id(),
        runs_total: total,
        vary_keys: grid.axes.iter().map(|a| a.key.clone()).collect(),
        rows,
    };
    std::fs::write(output, results.render(format))
        .map_err(|e| format!("cannot write `{output}`: {e}"))?;
    print!("{}", summary::table(&results));
    if shards > 1 {
        println!(
            "shard {shard}/{shards} written to {output}; combine the shards with `imlab merge`"
        );
    } else {
        println!("written to {output}");
    }
    Ok(())
}

/// `i/n` with `i < n`.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("--shard `{text}` should be i/n with 0 <= i < n, e.g. 0/4");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let i: usize = i.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}
