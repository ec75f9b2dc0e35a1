pub mod bench;
pub mod bench_resample;
pub mod merge;
pub mod metrics;
pub mod metrics_multilabel;
pub mod resample;
pub mod run;
pub mod sweep;
