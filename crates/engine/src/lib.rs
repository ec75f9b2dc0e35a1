//! Imbalance Lab engine: everything that decides an experiment's numbers, with no web or GPU
//! dependency. Used by the app (`src/`), the GPU backend (`crates/gpu`) and the CLI (`crates/cli`).

pub mod adversarial;
pub mod dataset;
pub mod error;
pub mod experiment;
pub mod link;
pub mod loss;
pub mod math;
pub mod metrics;
pub mod model;
pub mod multilabel;
pub mod neighbors;
pub mod optim;
pub mod posthoc;
pub mod representation;
pub mod resample;
pub mod rng;
pub mod semi_supervised;
pub mod sweep;
pub mod tag_names;

pub use error::{EngineError, Result};
pub use experiment::{Experiment, ExperimentConfig, Snapshot};
