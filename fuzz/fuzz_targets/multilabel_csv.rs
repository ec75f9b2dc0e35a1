//! Any bytes as a multi-label CSV, with each label layout (indicator columns by name and by
//! position, a prefix, a delimited label-set column) and with standardization: import never panics,
//! and a table it accepts is consistent (every row has every label entry, at most `MAX_LABELS`
//! labels, names for every label and feature), finite, and trainable (a known positive per label).
#![no_main]

use imlab_engine::dataset::ColumnRef;
use imlab_engine::multilabel::csv_import::parse;
use imlab_engine::multilabel::{MultilabelColumns, MultilabelCsvOptions, MAX_LABELS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let layouts = [
        MultilabelColumns::Indicators {
            columns: vec![ColumnRef::Name("a".into()), ColumnRef::Index(1)],
        },
        MultilabelColumns::Prefix {
            prefix: "y_".into(),
        },
        MultilabelColumns::LabelSet {
            column: ColumnRef::Index(0),
            delimiter: "|".into(),
        },
    ];
    for (i, labels) in layouts.into_iter().enumerate() {
        let options = MultilabelCsvOptions {
            labels,
            features: None,
            standardize: i == 1,
        };
        if let Ok(t) = parse(data, &options) {
            let d = &t.data;
            let (n, l) = (d.labels.n_samples(), d.labels.n_labels());
            assert_eq!(d.x.len(), n * d.n_features);
            assert_eq!(d.labels.entries().len(), n * l);
            assert!(l >= 1 && l <= MAX_LABELS);
            assert!(d.x.iter().all(|v| v.is_finite()));
            assert_eq!(t.label_names.len(), l);
            assert_eq!(t.feature_names.len(), d.n_features);
            assert!(d.labels.validate_for_training().is_ok());
        }
    }
});
