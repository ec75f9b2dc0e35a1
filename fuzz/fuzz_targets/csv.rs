//! Any bytes as an uploaded CSV, with and without standardization, with each label-column choice
//! and with a feature-column choice: import never panics, and a table it accepts is consistent and finite. The preview reader
//! never panics either, and reads the same header as the importer.
#![no_main]

use imlab_engine::dataset::csv::{parse, read_first_rows, read_header, CsvOptions};
use imlab_engine::dataset::{ColumnRef, LabelColumn};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, rows)) = read_first_rows(data, 5) {
        assert!(rows.len() <= 5);
        assert_eq!(read_header(data).ok(), Some(header));
    }
    let chosen = Some(vec![ColumnRef::Index(2), ColumnRef::Name("a".into())]);
    for (label_column, standardize, features) in [
        (LabelColumn::default(), false, None),
        (LabelColumn::default(), true, None),
        (LabelColumn::Index(0), false, None),
        (LabelColumn::Index(0), false, chosen),
    ] {
        let options = CsvOptions {
            label_column,
            features,
            standardize,
        };
        if let Ok(t) = parse(data, &options) {
            let d = &t.data;
            assert_eq!(d.x.len(), d.len() * d.n_features);
            assert!(d.x.iter().all(|v| v.is_finite()));
            assert!(d.y.iter().all(|&c| c < d.n_classes));
            assert_eq!(t.class_names.len(), d.n_classes);
            assert_eq!(t.feature_names.len(), d.n_features);
        }
    }
});
