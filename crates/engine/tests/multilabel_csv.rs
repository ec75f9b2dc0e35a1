//! Multi-label CSV import: the three label layouts, unknown cells, and every refusal naming the line
//! and column.

use imlab_engine::dataset::csv::CsvError;
use imlab_engine::dataset::ColumnRef;
use imlab_engine::multilabel::csv_import::{label_positions, parse};
use imlab_engine::multilabel::{
    LabelEntry::{Negative as N, Positive as P, Unknown as U},
    MultilabelColumns, MultilabelCsvError, MultilabelCsvOptions,
};
use imlab_engine::EngineError;

fn indicators(names: &[&str]) -> MultilabelCsvOptions {
    MultilabelCsvOptions {
        labels: MultilabelColumns::Indicators {
            columns: names
                .iter()
                .map(|n| ColumnRef::Name(n.to_string()))
                .collect(),
        },
        features: None,
        standardize: false,
    }
}

fn prefix(p: &str) -> MultilabelCsvOptions {
    MultilabelCsvOptions {
        labels: MultilabelColumns::Prefix { prefix: p.into() },
        features: None,
        standardize: false,
    }
}

fn label_set(column: &str, delimiter: &str) -> MultilabelCsvOptions {
    MultilabelCsvOptions {
        labels: MultilabelColumns::LabelSet {
            column: ColumnRef::Name(column.into()),
            delimiter: delimiter.into(),
        },
        features: None,
        standardize: false,
    }
}

#[test]
fn indicator_columns_with_unknown_cells() {
    let csv = "x1,sun,x2,rain\n1.5,1,2,0\n-1,?,3, 1\n0,0,4,\n";
    let t = parse(csv.as_bytes(), &indicators(&["rain", "sun"])).unwrap();
    assert_eq!(t.label_names, vec!["rain", "sun"]);
    assert_eq!(t.feature_names, vec!["x1", "x2"]);
    assert_eq!(t.data.x, vec![1.5, 2.0, -1.0, 3.0, 0.0, 4.0]);
    assert_eq!(t.data.n_features, 2);
    let l = &t.data.labels;
    assert_eq!(l.row(0), &[N, P]);
    assert_eq!(l.row(1), &[P, U]);
    assert_eq!(l.row(2), &[U, N]);
    // An empty or `?` cell is unknown, never a negative.
    assert_eq!(l.unknown_count(), 2);
}

#[test]
fn prefix_takes_matching_columns_in_file_order() {
    let csv = "f,label_b,g,label_a\n1,1,2,0\n3,0,4,1\n";
    let t = parse(csv.as_bytes(), &prefix("label_")).unwrap();
    assert_eq!(t.label_names, vec!["label_b", "label_a"]);
    assert_eq!(t.feature_names, vec!["f", "g"]);
    assert_eq!(t.data.labels.row(1), &[N, P]);
    let header: Vec<String> = ["f", "label_b", "g", "label_a"].map(String::from).to_vec();
    assert_eq!(
        label_positions(
            &MultilabelColumns::Prefix {
                prefix: "label_".into()
            },
            &header
        ),
        Ok(vec![1, 3])
    );
}

#[test]
fn label_set_column_with_delimiter() {
    let csv = "x,y,tags\n0,1,dog|cat\n1,1, cat \n2,0,\n3,1,?\n4,2,bird||dog|dog\n";
    let t = parse(csv.as_bytes(), &label_set("tags", "|")).unwrap();
    assert_eq!(t.label_names, vec!["bird", "cat", "dog"]);
    let l = &t.data.labels;
    assert_eq!(l.row(0), &[N, P, P]);
    assert_eq!(l.row(1), &[N, P, N]);
    assert_eq!(l.row(2), &[N, N, N], "an empty cell is the empty set");
    assert_eq!(l.row(3), &[U, U, U], "`?` is an unannotated row");
    assert_eq!(l.row(4), &[P, N, P]);
    assert_eq!(t.feature_names, vec!["x", "y"]);
    // Quoted cells may use the field delimiter as the label delimiter.
    let t = parse(b"x,tags\n1,\"a,b\"\n2,b\n", &label_set("tags", ",")).unwrap();
    assert_eq!(t.label_names, vec!["a", "b"]);
    assert_eq!(t.data.labels.row(0), &[P, P]);
}

#[test]
fn chosen_features_exclude_labels() {
    let csv = "a,b,l1,l2\n1,2,1,0\n3,4,0,1\n";
    let mut o = indicators(&["l1", "l2"]);
    o.features = Some(vec![ColumnRef::Name("b".into())]);
    let t = parse(csv.as_bytes(), &o).unwrap();
    assert_eq!(t.data.x, vec![2.0, 4.0]);
    o.features = Some(vec![ColumnRef::Name("l1".into())]);
    assert_eq!(
        parse(csv.as_bytes(), &o),
        Err(MultilabelCsvError::Csv(CsvError::FeatureIsLabel {
            name: "l1".into(),
            column: 3
        }))
    );
}

#[test]
fn a_label_with_no_positive_is_named() {
    let e = parse(b"x,a,b\n1,1,0\n2,1,?\n", &indicators(&["a", "b"])).unwrap_err();
    assert_eq!(
        e,
        MultilabelCsvError::LabelWithoutPositive { label: "b".into() }
    );
    assert!(e.to_string().contains("\"b\" has no positive"));
}

#[test]
fn all_unknown_is_refused() {
    assert_eq!(
        parse(b"x,a,b\n1,?,\n2,,?\n", &indicators(&["a", "b"])),
        Err(MultilabelCsvError::AllUnknown)
    );
    assert_eq!(
        parse(b"x,t\n1,?\n2,?\n", &label_set("t", "|")),
        Err(MultilabelCsvError::AllUnknown)
    );
    assert!(matches!(
        parse(b"x,t\n1,\n2,\n", &label_set("t", "|")),
        Err(MultilabelCsvError::NoLabelNamed { column: 2, .. })
    ));
}

#[test]
fn more_labels_than_the_limit() {
    // 65 indicator columns.
    let mut header = vec!["x".to_string()];
    header.extend((0..65).map(|l| format!("y{l}")));
    let row = std::iter::once("1")
        .chain(std::iter::repeat_n("1", 65))
        .collect::<Vec<_>>();
    let csv = format!("{}\n{}\n", header.join(","), row.join(","));
    assert_eq!(
        parse(csv.as_bytes(), &prefix("y")),
        Err(MultilabelCsvError::TooManyLabels {
            count: 65,
            limit: 64
        })
    );
    // 64 is accepted.
    let csv64: String = csv
        .lines()
        .map(|line| line.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    assert_eq!(
        parse(csv64.as_bytes(), &prefix("y"))
            .unwrap()
            .label_names
            .len(),
        64
    );
    // 65 distinct names in a label-set column.
    let mut text = "x,tags\n".to_string();
    for l in 0..65 {
        text.push_str(&format!("{l},t{l}\n"));
    }
    let e = parse(text.as_bytes(), &label_set("tags", "|")).unwrap_err();
    assert_eq!(
        e,
        MultilabelCsvError::TooManyLabels {
            count: 65,
            limit: 64
        }
    );
    assert!(e.to_string().contains("merge or drop rare labels"));
}

#[test]
fn non_binary_values_name_line_and_column() {
    let e = parse(b"x,a,b\n1,1,0\n2,0,2\n", &indicators(&["a", "b"])).unwrap_err();
    assert_eq!(
        e,
        MultilabelCsvError::NotBinary {
            line: 3,
            column: 3,
            name: "b".into(),
            value: "2".into()
        }
    );
    assert!(e.to_string().starts_with("line 3, column 3 (\"b\"): \"2\""));
    for bad in ["yes", "1.0", "-1", "true"] {
        let csv = format!("x,a\n1,1\n2,{bad}\n");
        assert!(matches!(
            parse(csv.as_bytes(), &indicators(&["a"])),
            Err(MultilabelCsvError::NotBinary {
                line: 3,
                column: 2,
                ..
            })
        ));
    }
    assert!(matches!(
        parse(b"x,t\n1,a|?\n", &label_set("t", "|")),
        Err(MultilabelCsvError::UnknownInSet {
            line: 2,
            column: 2,
            ..
        })
    ));
}

#[test]
fn ragged_rows_and_bad_features_use_the_csv_errors() {
    assert_eq!(
        parse(b"x,a\n1,1\n2\n", &indicators(&["a"])),
        Err(MultilabelCsvError::Csv(CsvError::Ragged {
            line: 3,
            found: 1,
            expected: 2
        }))
    );
    assert_eq!(
        parse(b"x,a\n1,1\nfoo,0\n", &indicators(&["a"])),
        Err(MultilabelCsvError::Csv(CsvError::NonNumeric {
            line: 3,
            column: 1,
            name: "x".into(),
            value: "foo".into()
        }))
    );
    assert_eq!(
        parse(b"x,a\n", &indicators(&["a"])),
        Err(MultilabelCsvError::Csv(CsvError::NoDataRows))
    );
}

#[test]
fn bad_label_choices() {
    let csv = b"x,a,b\n1,1,0\n";
    assert!(matches!(
        parse(csv, &indicators(&["c"])),
        Err(MultilabelCsvError::NoSuchLabelColumn { .. })
    ));
    assert_eq!(
        parse(csv, &indicators(&[])),
        Err(MultilabelCsvError::NoLabelColumns)
    );
    assert_eq!(
        parse(csv, &indicators(&["a", "a"])),
        Err(MultilabelCsvError::DuplicateLabelColumn {
            name: "a".into(),
            column: 2
        })
    );
    assert!(matches!(
        parse(csv, &prefix("zz")),
        Err(MultilabelCsvError::NoPrefixMatch { .. })
    ));
    assert_eq!(
        parse(csv, &prefix(" ")),
        Err(MultilabelCsvError::NoLabelColumns)
    );
    assert_eq!(
        parse(b"a,b\n1,0\n0,1\n", &indicators(&["a", "b"])),
        Err(MultilabelCsvError::NoFeatureColumns)
    );
    assert_eq!(
        parse(csv, &label_set("a", "")),
        Err(MultilabelCsvError::EmptyDelimiter)
    );
    let o = MultilabelCsvOptions {
        labels: MultilabelColumns::Indicators {
            columns: vec![ColumnRef::Index(7)],
        },
        features: None,
        standardize: false,
    };
    assert_eq!(
        parse(csv, &o),
        Err(MultilabelCsvError::LabelIndexOutOfRange {
            index: 7,
            columns: 3
        })
    );
    let e: EngineError = MultilabelCsvError::AllUnknown.into();
    assert!(e.to_string().contains("annotate"));
}

#[test]
fn options_round_trip_through_json() {
    let o = label_set("tags", "|");
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(
        json,
        r#"{"labels":{"kind":"label_set","column":"tags","delimiter":"|"}}"#
    );
    assert_eq!(
        serde_json::from_str::<MultilabelCsvOptions>(&json).unwrap(),
        o
    );
    let with_features: MultilabelCsvOptions = serde_json::from_str(
        r#"{"labels":{"kind":"indicators","columns":["a",2]},"features":"x,0"}"#,
    )
    .unwrap();
    assert_eq!(
        with_features.features,
        Some(vec![ColumnRef::Name("x".into()), ColumnRef::Index(0)])
    );
}

#[test]
fn standardize_matches_the_multiclass_import() {
    let csv = "x,y,a\n1,10,1\n2,10,0\n6,10,1\n3,10,0\n";
    let mut o = indicators(&["a"]);
    o.standardize = true;
    let t = parse(csv.as_bytes(), &o).unwrap();
    let s = t.standardization.unwrap();
    assert_eq!(s.mean, vec![3.0, 10.0]);
    // Population standard deviation of 1, 2, 6, 3: √(14/4); the constant column becomes 0.
    assert!((s.std[0] - (14.0f64 / 4.0).sqrt()).abs() < 1e-12);
    assert_eq!(s.std[1], 0.0);
    assert!((t.data.x[0] + 2.0 / (14.0f64 / 4.0).sqrt()).abs() < 1e-12);
    assert_eq!(t.data.x[1], 0.0);
    let mc = imlab_engine::dataset::csv::parse(
        csv.as_bytes(),
        &imlab_engine::dataset::csv::CsvOptions {
            standardize: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(mc.data.x, t.data.x);
}
