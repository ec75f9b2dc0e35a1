//! `imlab`: Imbalance Lab's native runner. Each sub-command lives in `commands/<name>.rs`.

mod args;
mod commands;
mod config_source;
mod csv_text;
mod sampler_params;
mod sweep;

use std::process::ExitCode;

const USAGE: &str = "imlab: Imbalance Lab on the command line

usage:
  imlab run [--config exp.json | --link URL] [--epochs N] [--data FILE.csv ...]
                                  train an experiment on the CPU path (the default one without
                                  --config/--link) and print its final metrics and per-epoch
                                  history as JSON; --data supplies the CSV file an experiment on
                                  uploaded data names by content hash. With `robust_eval` set
                                  (a link's robust_eval.* keys), `final.robust` adds per-class
                                  clean and robust accuracy and their disparity (gap, ratio, sd,
                                  worst class); adversarial.* keys train adversarially
                                  (docs/adversarial.md). With task=multilabel (multilabel.*
                                  keys, docs/multilabel.md) it trains the multi-label MLP and
                                  `final` holds every multi-label metric of the test split, the
                                  per-label report and the training split's imbalance measures
  imlab metrics --input preds.csv [--threshold T] [--classes K]
                                  every metric of a CSV with y_true and y_pred or p_0..p_{K-1}
                                  as JSON (undefined metrics are null, with a note)
  imlab metrics --multilabel --input labels.csv [--threshold T]
                                  every multi-label metric of a CSV with y_0..y_{L-1} (0/1) and
                                  y_pred_0..y_pred_{L-1} (0/1) and/or p_0..p_{L-1} (scores;
                                  predictions p_l > T, default 0.5, when no y_pred_ columns)
  imlab resample --method NAME [--param key=value ...] [--strategy S] [--seed N]
                 --input data.csv --output out.csv [--label COLUMN]
                                  resample a CSV file (label: the last column, or COLUMN by
                                  header name or 0-based index); writes the same columns plus
                                  `origin` (input row index, or `synthetic`). Classes in
                                  --strategy are numbered in sorted label order
  imlab sweep [--config base.json | --link URL] --methods m1,m2,... --seeds N|a..b|a..=b|s1,s2
              [--vary KEY=v1,v2,...]... [--epochs E] [--threads T] [--shard i/n] [--quiet]
              [--gpu] --output results.csv|results.json
                                  train every method x varied value x seed on the CPU path, in
                                  parallel; write one row per run (balanced accuracy, macro-F1,
                                  G-mean, minority recall, accuracy, AUC) and print mean, sd and
                                  95% t interval per method. A method is `baseline`, a sampler or
                                  loss name, or link settings `[LABEL:]key=value&key=value`
                                  (--method adds one method whose values may hold commas;
                                  --vary values may be separated by `;` instead of `,`).
                                  --seeds N means seeds 0 to N-1; a..b excludes b.
                                  --shard i/n runs the runs whose index is i modulo n.
                                  --gpu trains up to 32 runs side by side on the GPU (one
                                  dispatch per kernel; scores within the GPU parity bounds of
                                  the CPU rows, not byte-identical). A base with robust_eval
                                  adds robust columns (robust_accuracy, robust_balanced_accuracy,
                                  robust_worst_class_accuracy, robust_recall_gap,
                                  robust_minority_recall, clean_worst_class_accuracy,
                                  clean_recall_gap); adversarial training is a method's settings,
                                  e.g. at:adversarial.attack.epsilon=0.3, erm:adversarial=none.
                                  A task=multilabel base fills macro_f1 and adds micro_f1,
                                  hamming_loss, subset_accuracy, rarest_label_recall (methods
                                  as multilabel.* settings; --gpu trains them on the CPU)
  imlab sweep --preset NAME [--seeds ...] [--epochs E] [--threads T] [--shard i/n] --output F
                                  run a paper preset (buda-step-digits, menon-two-gaussians,
                                  longtail-digits, minority-collapse, adversarial-disparity;
                                  docs/paper-presets.md),
                                  as the app's Sweep panel does
  imlab merge a.csv b.csv ... --output all.csv|all.json
                                  combine the shards of one sweep (refuses files of different
                                  sweeps and duplicate runs) and print the same summary
  imlab bench train [--rows N] [--epochs E] [--batch B] [--repeat R] [--data-out FILE.csv]
                    [--adversarial fgsm|pgd-N]
                                  time the CPU training path (MLP 2-32-32-2, Adam) and print JSON;
                                  --adversarial times adversarial training (L-inf, eps 0.1)
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
        "resample" => commands::resample::main(rest),
        "sweep" => commands::sweep::main(rest),
        "merge" => commands::merge::main(rest),
        "bench" => commands::bench::main(rest),
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
