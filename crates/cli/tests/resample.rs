//! `imlab resample`: output layout, determinism, every sampler the engine knows, and error messages.

mod common;

use common::{cells, fails, imlab, ok, read, scratch};
use imlab_engine::resample::SamplerSpec;

/// 40 rows of `maj` and 10 of `min`, label first, two features with a few awkward numbers.
fn imbalanced_csv() -> String {
    let mut s = String::from("kind,f1,f2\n");
    for i in 0..50u32 {
        let label = if i % 5 == 4 { "min" } else { "maj" };
        let f1 = f64::from(i) * 0.1 + if label == "min" { 3.0 } else { 0.0 };
        let f2 = (f64::from(i) * 0.37).sin() / 3.0;
        s.push_str(&format!("{label},{f1},{f2}\n"));
    }
    s
}

#[test]
fn none_keeps_columns_labels_and_values() {
    let dir = scratch("resample_none");
    let input =
        "\"x, first\",label,y\n1.5,10,-2\n0.1,9,3e2\n\n7,10,0.30000000000000004\n-0,9,1e-300\n";
    std::fs::write(dir.join("in.csv"), input).unwrap();
    let o = ok(
        &dir,
        &[
            "resample", "--method", "none", "--input", "in.csv", "--output", "out.csv", "--label",
            "label",
        ],
    );
    assert!(o.stdout.contains("4 rows -> 4 rows"), "{}", o.stdout);
    assert!(
        o.stdout.contains("class 9: 2 -> 2") && o.stdout.contains("class 10: 2 -> 2"),
        "{}",
        o.stdout
    );
    assert_eq!(
        read(&dir, "out.csv"),
        "\"x, first\",label,y,origin\n1.5,10,-2,0\n0.1,9,300,1\n7,10,0.30000000000000004,2\n-0,9,1e-300,3\n"
    );
    // The same file with the label given by position.
    ok(
        &dir,
        &[
            "resample",
            "--method",
            "none",
            "--input",
            "in.csv",
            "--output",
            "by_index.csv",
            "--label",
            "1",
        ],
    );
    assert_eq!(read(&dir, "by_index.csv"), read(&dir, "out.csv"));
}

/// Every sampler the engine lists, with its defaults: either a table whose original rows are the
/// input's rows and whose other rows are marked synthetic, the same for the same seed; or a clean
/// error. Samplers added to the engine are covered without changing this test.
#[test]
fn every_known_sampler_writes_a_consistent_table_or_a_clear_error() {
    let dir = scratch("resample_all");
    let input = imbalanced_csv();
    std::fs::write(dir.join("in.csv"), &input).unwrap();
    let rows_in = cells(&input);
    let names = SamplerSpec::known_names();
    assert!(names.contains(&"none"), "{names:?}");
    for name in names {
        let out = format!("{name}.csv");
        let args = [
            "resample", "--method", name, "--input", "in.csv", "--output", &out, "--label", "kind",
            "--seed", "3",
        ];
        let first = imlab(&dir, &args);
        if !first.ok {
            assert!(
                first.stderr.starts_with("imlab: ") && first.stderr.len() > 10,
                "{name}: {}",
                first.stderr
            );
            continue;
        }
        let text = read(&dir, &out);
        let rows = cells(&text);
        assert_eq!(rows[0], vec!["kind", "f1", "f2", "origin"], "{name}");
        for row in &rows[1..] {
            assert!(row[0] == "maj" || row[0] == "min", "{name}: label {row:?}");
            match row[3].parse::<usize>() {
                Ok(i) => {
                    let orig = &rows_in[i + 1];
                    assert_eq!(row[0], orig[0], "{name}: row {row:?} vs input {orig:?}");
                    for j in 1..3 {
                        let (a, b): (f64, f64) =
                            (row[j].parse().unwrap(), orig[j].parse().unwrap());
                        assert_eq!(
                            a.to_bits(),
                            b.to_bits(),
                            "{name}: row {row:?} vs input {orig:?}"
                        );
                    }
                }
                Err(_) => assert_eq!(row[3], "synthetic", "{name}: {row:?}"),
            }
        }
        if name == "none" {
            assert_eq!(rows.len(), rows_in.len(), "none keeps every row");
        }
        let again = format!("{name}-again.csv");
        let mut args2 = args;
        args2[6] = &again;
        ok(&dir, &args2);
        assert_eq!(read(&dir, &again), text, "{name}: same seed, same output");
    }
}

#[test]
fn parameters_a_sampler_does_not_have_are_refused() {
    let dir = scratch("resample_params");
    std::fs::write(dir.join("in.csv"), imbalanced_csv()).unwrap();
    for name in SamplerSpec::known_names() {
        let base = [
            "resample", "--method", name, "--input", "in.csv", "--output", "o.csv", "--label",
            "kind",
        ];
        let mut a = base.to_vec();
        a.extend(["--param", "no_such_parameter=1"]);
        fails(&dir, &a, &["no_such_parameter"]);
        let mut a = base.to_vec();
        a.extend(["--strategy", "most_of_them"]);
        fails(&dir, &a, &["strateg"]);
    }
    let base = [
        "resample", "--method", "none", "--input", "in.csv", "--output", "o.csv",
    ];
    let mut a = base.to_vec();
    a.extend(["--param", "k_neighbors"]);
    fails(&dir, &a, &["key=value"]);
    let mut a = base.to_vec();
    a.extend(["--param", "kind=none"]);
    fails(&dir, &a, &["--method"]);
}

#[test]
fn bad_input_is_explained() {
    let dir = scratch("resample_errors");
    std::fs::write(dir.join("in.csv"), imbalanced_csv()).unwrap();
    std::fs::write(dir.join("text.csv"), "a,b\nx,1\ny,0\nx,1\ny,0\n").unwrap();
    std::fs::write(dir.join("ragged.csv"), "a,b,c\n1,2,x\n1,x\n").unwrap();
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    let known = SamplerSpec::known_names();
    let mut unknown: Vec<&str> = vec!["known methods:"];
    unknown.extend(known.iter().copied());
    fails(
        &dir,
        &[
            "resample",
            "--method",
            "smote-like",
            "--input",
            "in.csv",
            "--output",
            "o.csv",
        ],
        &unknown,
    );
    fails(
        &dir,
        &[
            "resample",
            "--method",
            "none",
            "--input",
            "missing.csv",
            "--output",
            "o.csv",
        ],
        &["cannot read `missing.csv`"],
    );
    fails(
        &dir,
        &[
            "resample", "--method", "none", "--input", "text.csv", "--output", "o.csv", "--label",
            "b",
        ],
        &["text.csv", "line 2", "\"x\" is not a number"],
    );
    fails(
        &dir,
        &[
            "resample",
            "--method",
            "none",
            "--input",
            "ragged.csv",
            "--output",
            "o.csv",
        ],
        &["line 3", "2 fields"],
    );
    fails(
        &dir,
        &[
            "resample",
            "--method",
            "none",
            "--input",
            "empty.csv",
            "--output",
            "o.csv",
        ],
        &["empty"],
    );
    fails(
        &dir,
        &[
            "resample", "--method", "none", "--input", "in.csv", "--output", "o.csv", "--label",
            "nope",
        ],
        &["no column named \"nope\"", "\"kind\""],
    );
    fails(
        &dir,
        &[
            "resample", "--method", "none", "--input", "in.csv", "--output", "o.csv", "--label",
            "7",
        ],
        &["out of range"],
    );
    fails(
        &dir,
        &["resample", "--input", "in.csv", "--output", "o.csv"],
        &["--method is required"],
    );
    fails(
        &dir,
        &["resample", "--method", "none", "--output", "o.csv"],
        &["--input"],
    );
    fails(
        &dir,
        &["resample", "--method", "none", "--input", "in.csv"],
        &["--output"],
    );
    fails(
        &dir,
        &[
            "resample", "--method", "none", "--input", "in.csv", "--output", "o.csv", "--seed",
            "-1",
        ],
        &["--seed"],
    );
    fails(
        &dir,
        &[
            "resample",
            "--method",
            "none",
            "--input",
            "in.csv",
            "--output",
            "no/such/dir/o.csv",
            "--label",
            "kind",
        ],
        &["cannot write"],
    );
    fails(
        &dir,
        &["resample", "--method", "none", "--bogus", "1"],
        &["unknown option `--bogus`"],
    );
    assert!(!dir.join("o.csv").exists(), "no output after a failure");
}
