//! Any link text: parsing never panics, always yields a valid config, and what it yields survives a
//! round trip through `to_fragment`.
#![no_main]

use imlab_engine::link::{parse_fragment, to_fragment};
use imlab_engine::ExperimentConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = ExperimentConfig::default();
    let parsed = parse_fragment(text, &base);
    assert!(parsed.config.validate().is_ok(), "parse produced an invalid config");
    let again = parse_fragment(&to_fragment(&parsed.config, &parsed.info), &base);
    assert_eq!(again.config, parsed.config, "round trip changed the config");
});
