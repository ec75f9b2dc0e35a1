pub mod bench_resample;
pub mod metrics;
pub mod run;
