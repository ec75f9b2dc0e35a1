//! Any bytes as an uploaded CSV, with and without standardization and with each label-column
//! choice: import never panics, and a table it accepts is consistent and finite.
#![no_main]

use imlab_engine::dataset::csv::{parse, CsvOptions};
use imlab_engine::dataset::LabelColumn;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (label_column, standardize) in [
        (LabelColumn::default(), false),
        (LabelColumn::default(), true),
        (LabelColumn::Index(0), false),
    ] {
        let options = CsvOptions {
            label_column,
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
