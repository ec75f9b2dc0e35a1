//! Sweeps: a grid of experiment configurations × seeds, each run trained on the CPU path, scored on
//! its test split, and summarized per method (mean, standard deviation, 95 % t interval).
//!
//! Everything here is a pure function or a step-able state machine: no threads and no files, so the
//! CLI (`imlab sweep`, which adds threads, shards and `merge`) and the browser (which time-slices a
//! [`runner::SweepRunner`] into animation frames) share one implementation and write the same rows.

pub mod csv_text;
pub mod grid;
pub mod multilabel_scores;
pub mod overrides;
pub mod presets;
pub mod results;
pub mod robust_scores;
pub mod runner;
pub mod scores;
pub mod stats;
pub mod summary;

pub use grid::{Grid, Method, RunSpec};
pub use multilabel_scores::{MultilabelScores, MULTILABEL_SCORE_NAMES};
pub use presets::Preset;
pub use results::{Format, Results, Row};
pub use robust_scores::{RobustScores, ROBUST_SCORE_NAMES};
pub use runner::{outcome_of, run_one, RunOutcome, SweepRunner};
pub use scores::{Scores, SCORE_NAMES};
