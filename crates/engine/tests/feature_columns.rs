//! The column picker for uploaded CSV files: `DataOrigin::Uploaded { features }` and
//! `CsvOptions::features` choose which columns are the features, in the order listed.
//!
//! Fixture `fixtures/features_abcd.csv`: numeric `a`, `b`, `c`; `d` numeric but for `oops` on line 6;
//! a text `id`; the label last.

use imlab_engine::dataset::csv::{self, CsvError, CsvOptions, LabelColumn};
use imlab_engine::dataset::{ColumnRef, DataOrigin, DatasetSpec, MemorySource};
use imlab_engine::rng::Rng;
use imlab_engine::{EngineError, ExperimentConfig};

const FIXTURE: &[u8] = include_bytes!("fixtures/features_abcd.csv");

fn name(s: &str) -> ColumnRef {
    ColumnRef::Name(s.into())
}

fn options(features: Option<Vec<ColumnRef>>) -> CsvOptions {
    CsvOptions {
        label_column: LabelColumn::Last,
        features,
        standardize: false,
    }
}

fn column(data: &imlab_engine::dataset::Dataset, j: usize) -> Vec<f64> {
    (0..data.len())
        .map(|i| data.x[i * data.n_features + j])
        .collect()
}

#[test]
fn the_chosen_columns_are_the_features_in_the_order_listed() {
    let t = csv::parse(FIXTURE, &options(Some(vec![name("a"), name("c")]))).unwrap();
    assert_eq!(t.feature_names, ["a", "c"]);
    assert_eq!(t.data.n_features, 2);
    assert_eq!(column(&t.data, 0), [1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(column(&t.data, 1), [100.0, 200.0, 300.0, 400.0, 500.0]);
    assert_eq!(t.data.y, [0, 0, 1, 1, 0]);

    // Listed order, not file order; a position names the same column as its name.
    let t = csv::parse(
        FIXTURE,
        &options(Some(vec![name("c"), ColumnRef::Index(0)])),
    )
    .unwrap();
    assert_eq!(t.feature_names, ["c", "a"]);
    assert_eq!(column(&t.data, 0), [100.0, 200.0, 300.0, 400.0, 500.0]);
    assert_eq!(column(&t.data, 1), [1.0, 2.0, 3.0, 4.0, 5.0]);
}

#[test]
fn columns_left_out_are_not_read_as_numbers() {
    // Every column: the text `id` column is refused, naming its line and column.
    let all = csv::parse(FIXTURE, &options(None)).unwrap_err();
    assert_eq!(
        all,
        CsvError::NonNumeric {
            line: 2,
            column: 5,
            name: "id".into(),
            value: "p01".into()
        }
    );
    // A chosen column with a bad cell: the same clear error, its line and column.
    let d = csv::parse(FIXTURE, &options(Some(vec![name("a"), name("d")]))).unwrap_err();
    assert_eq!(
        d,
        CsvError::NonNumeric {
            line: 6,
            column: 4,
            name: "d".into(),
            value: "oops".into()
        }
    );
    assert!(d.to_string().contains("line 6, column 4 (\"d\")"), "{d}");
}

#[test]
fn a_bad_choice_is_refused_with_what_to_fix() {
    let msg = |features: Vec<ColumnRef>| {
        csv::parse(FIXTURE, &options(Some(features)))
            .unwrap_err()
            .to_string()
    };
    let m = msg(vec![]);
    assert!(m.contains("choose at least one"), "{m}");
    let m = msg(vec![name("a"), name("a")]);
    assert!(m.contains("listed twice"), "{m}");
    let m = msg(vec![name("b"), ColumnRef::Index(1)]);
    assert!(m.contains("chosen twice"), "{m}");
    let m = msg(vec![name("a"), name("label")]);
    assert!(
        m.contains("\"label\" is the label column")
            || m.contains("(\"label\") is the label column"),
        "{m}"
    );
    let m = msg(vec![name("sepal")]);
    assert!(m.contains("\"sepal\"") && m.contains("\"a\", \"b\""), "{m}");
    let m = msg(vec![ColumnRef::Index(6)]);
    assert!(m.contains("index 6") && m.contains("0 to 5"), "{m}");
}

fn uploaded(files: &mut MemorySource, features: Option<Vec<ColumnRef>>) -> DatasetSpec {
    DatasetSpec {
        source: DataOrigin::Uploaded {
            hash: files.add_upload(FIXTURE.to_vec()),
            label_column: LabelColumn::Last,
            standardize: false,
            subsample: None,
            features,
        },
        ..DatasetSpec::default()
    }
}

#[test]
fn an_uploaded_spec_loads_only_the_chosen_columns() {
    let mut files = MemorySource::new();
    let spec = uploaded(&mut files, Some(vec![name("d"), name("b")]));
    // `d` has a bad cell on line 6: the load fails with the CSV message.
    let err = spec.load(&mut Rng::stream(1, "data"), &files).unwrap_err();
    assert!(err.to_string().contains("line 6, column 4"), "{err}");

    let spec = uploaded(&mut files, Some(vec![name("c"), name("b")]));
    let loaded = spec.load(&mut Rng::stream(1, "data"), &files).unwrap();
    assert_eq!(loaded.feature_names, ["c", "b"]);
    assert_eq!(loaded.data.n_features, 2);
    assert_eq!(column(&loaded.data, 1), [10.0, 20.0, 30.0, 40.0, 50.0]);
}

#[test]
fn a_spec_checks_the_list_before_any_file_is_read() {
    let mut files = MemorySource::new();
    for bad in [vec![], vec![name("a"), name("a")]] {
        let spec = uploaded(&mut files, Some(bad));
        match spec.validate() {
            Err(EngineError::InvalidConfig { key, .. }) => {
                assert_eq!(key, "dataset.source.features")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn older_configs_load_unchanged_and_a_choice_survives_json() {
    let mut files = MemorySource::new();
    let spec = uploaded(&mut files, None);
    let json = serde_json::to_value(&spec).unwrap();
    assert!(json["source"].get("features").is_none(), "{json}");
    // An old config (no `features`) reads as every column but the label.
    let old: DatasetSpec = serde_json::from_value(json).unwrap();
    assert_eq!(old, spec);

    let config = ExperimentConfig {
        dataset: uploaded(&mut files, Some(vec![name("c"), ColumnRef::Index(0)])),
        ..ExperimentConfig::default()
    };
    let text = config.to_json();
    assert!(text.contains(r#""features": ["#), "{text}");
    assert_eq!(ExperimentConfig::from_json(&text).unwrap(), config);
}
