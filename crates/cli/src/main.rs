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
  imlab bench train [--rows N] [--epochs E] [--batch B] [--repeat R] [--data-out FILE.csv]
                                  time the CPU training path (MLP 2-32-32-2, Adam) and print JSON
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
        "bench" => commands::bench::main(rest),
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
