//! Sweeps: the grid, scores, statistics and results files live in the engine
//! (`imlab_engine::sweep`, shared with the browser); the CLI adds threads, shards, bundled files
//! and `merge` on top.

pub mod bundled;
pub mod execute;
pub mod gpu;

pub use imlab_engine::sweep::{grid, results, summary};
