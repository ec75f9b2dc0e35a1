//! One experiment: its complete configuration, and the state that training advances.

mod benchmark;
mod class_aware;
mod config;
mod runner;
mod schedule;
mod snapshot;
mod stages;
mod task;

pub use benchmark::{multilabel_training_benchmark, training_benchmark, BENCH_TEST_FRACTION};
pub use class_aware::class_aware_epoch;
pub use config::{BackendChoice, ExperimentConfig, CONFIG_VERSION, MAX_BATCH, MAX_EPOCHS};
pub use runner::{Experiment, TrainState};
pub use schedule::{DeferredReweighting, SecondStage, SecondStageMethod, TrainingSchedule};
pub use snapshot::{ClassScores, EpochRecord, Snapshot};
pub use stages::{SecondStagePlan, StagePlan, StepPosition};
pub use task::TaskKind;
