//! One experiment: its complete configuration, and the state that training advances.

mod config;
mod runner;
mod snapshot;

pub use config::{BackendChoice, ExperimentConfig, CONFIG_VERSION};
pub use runner::{Experiment, TrainState};
pub use snapshot::{ClassScores, EpochRecord, Snapshot};
