//! Any JSON as an experiment config: validation never panics; an accepted config has a link that
//! reads back to the same config.
#![no_main]

use imlab_engine::link::{parse_fragment, to_fragment};
use imlab_engine::ExperimentConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = ExperimentConfig::from_json(text) {
        let back = parse_fragment(
            &to_fragment(&config, &Default::default()),
            &ExperimentConfig::default(),
        );
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!(back.config, config);
    }
});
