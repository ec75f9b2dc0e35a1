//! `imlab resample`: applies one sampler to a CSV file and writes the resampled table, each row marked
//! with where it came from.
//!
//! The output has the input's columns in the input's order (header names and label values as in the
//! input; numbers written so they read back exactly) plus a last column `origin`: the 0-based index
//! of the row among the input's data rows (blank lines not counted), or `synthetic` for a generated
//! row.

use imlab_engine::dataset::csv::{self, CsvOptions, LabelColumn, Table};
use imlab_engine::resample::{Origin, Resampled};
use imlab_engine::rng::Rng;

use crate::args::Args;
use crate::csv_text;
use crate::sampler_params::{build_sampler, split_param};

pub fn main(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(
        argv,
        &[
            "method", "param", "strategy", "seed", "input", "output", "label",
        ],
        &[],
    )?;
    let method = args
        .get("method")
        .ok_or("--method is required (e.g. --method none)")?;
    let input = args.get("input").ok_or("--input data.csv is required")?;
    let output = args.get("output").ok_or("--output out.csv is required")?;
    let seed = args.parsed::<u64>("seed")?.unwrap_or(42);
    let params = args
        .all("param")
        .iter()
        .map(|p| split_param(p))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = build_sampler(method, &params, args.get("strategy"))?;

    let bytes = std::fs::read(input).map_err(|e| format!("cannot read `{input}`: {e}"))?;
    let header = csv::read_header(&bytes).map_err(|e| format!("{input}: {e}"))?;
    let label_column = choose_label(args.get("label"), &header);
    let label_at = label_column
        .resolve(&header)
        .map_err(|e| format!("{input}: {e}"))?;
    let table = csv::parse(
        &bytes,
        &CsvOptions {
            label_column,
            features: None,
            standardize: false,
        },
    )
    .map_err(|e| format!("{input}: {e}"))?;

    let resampled = spec
        .apply(&table.data, &mut Rng::stream(seed, "sampler"))
        .map_err(|e| format!("method `{method}`: {e}\n{}", class_key(&table)))?;
    let text = render(&table, &header, label_at, &resampled)?;
    std::fs::write(output, text).map_err(|e| format!("cannot write `{output}`: {e}"))?;

    let before = table.data.class_counts();
    let after = resampled.data.class_counts();
    println!(
        "{method}: {} rows -> {} rows, written to {output}",
        table.data.len(),
        resampled.data.len()
    );
    for (c, name) in table.class_names.iter().enumerate() {
        println!("  class {name}: {} -> {}", before[c], after[c]);
    }
    Ok(())
}

/// Engine messages and `--strategy` number classes in the sorted order of their labels.
fn class_key(table: &Table) -> String {
    let list: Vec<String> = table
        .class_names
        .iter()
        .enumerate()
        .map(|(c, name)| format!("{c} = \"{name}\""))
        .collect();
    format!("(classes are numbered in label order: {})", list.join(", "))
}

/// `--label` names a column by its header; a number that is not a header name is a 0-based index.
fn choose_label(arg: Option<&str>, header: &[String]) -> LabelColumn {
    match arg {
        None => LabelColumn::Last,
        Some(name) if header.iter().any(|h| h == name.trim()) => {
            LabelColumn::Name(name.trim().to_string())
        }
        Some(text) => match text.trim().parse::<usize>() {
            Ok(i) => LabelColumn::Index(i),
            Err(_) => LabelColumn::Name(text.to_string()),
        },
    }
}

/// The row's index in the input, or `None` for a generated row. Read through the JSON form so that
/// origin kinds added later need no change here: `original` and `duplicate` (an exact copy) name an
/// input row; everything else was made by the sampler.
fn input_row(origin: &Origin) -> Option<u64> {
    let v = serde_json::to_value(origin).ok()?;
    match v.get("kind").and_then(|k| k.as_str()) {
        Some("original" | "duplicate") => v.get("index").and_then(|i| i.as_u64()),
        _ => None,
    }
}

fn render(
    table: &Table,
    header: &[String],
    label_at: usize,
    resampled: &Resampled,
) -> Result<String, String> {
    let data = &resampled.data;
    if resampled.origin.len() != data.len() {
        return Err(format!(
            "the sampler returned {} rows but {} origins; please report this",
            data.len(),
            resampled.origin.len()
        ));
    }
    let mut out = String::new();
    let mut head: Vec<&str> = header.iter().map(String::as_str).collect();
    head.push("origin");
    out.push_str(&csv_text::line(&head));
    out.push('\n');
    let mut cells: Vec<String> = Vec::with_capacity(header.len() + 1);
    for i in 0..data.len() {
        cells.clear();
        let mut features = data.row(i).iter();
        for j in 0..header.len() {
            if j == label_at {
                cells.push(table.class_names[data.y[i]].clone());
            } else {
                let v = features.next().ok_or("row shorter than the header")?;
                cells.push(csv_text::number(*v));
            }
        }
        cells.push(match input_row(&resampled.origin[i]) {
            Some(index) => index.to_string(),
            None => "synthetic".into(),
        });
        out.push_str(&csv_text::line(&cells));
        out.push('\n');
    }
    Ok(out)
}
