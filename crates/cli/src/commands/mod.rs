pub mod bench;
pub mod merge;
pub mod metrics;
pub mod resample;
pub mod run;
pub mod sweep;
