//! `imlab`: Imbalance Lab's native runner. Each sub-command lives in `commands/<name>.rs`.

mod args;
mod commands;

use std::process::ExitCode;

const USAGE: &str = "imlab: Imbalance Lab on the command line

usage:
  imlab run [--config exp.json | --link URL] [--epochs N]
                                  train an experiment on the CPU path (the default one without
                                  --config/--link) and print its final metrics and per-epoch
                                  history as JSON
  imlab metrics --input preds.csv [--threshold T] [--classes K]
                                  every metric of a CSV with y_true and y_pred or p_0..p_{K-1}
                                  as JSON (undefined metrics are null, with a note)
  imlab bench-resample [--quick] [--python PY] [--only M,..] [--rows N,..]
                                  time our samplers against imbalanced-learn's on the same
                                  data (see scripts/bench-resample.sh)
  imlab help                      this text
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match argv.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => ("help", &[][..]),
    };
    let result = match cmd {
        "run" => commands::run::main(rest),
        "metrics" => commands::metrics::main(rest),
        "bench-resample" => commands::bench_resample::main(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imlab: {e}");
            ExitCode::FAILURE
        }
    }
}
