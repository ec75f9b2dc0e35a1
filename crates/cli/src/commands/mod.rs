pub mod merge;
pub mod resample;
pub mod run;
pub mod sweep;
