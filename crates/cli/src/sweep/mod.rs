//! Sweeps: a grid of experiment configurations × seeds, run in parallel, scored, and summarized.

pub mod execute;
pub mod grid;
pub mod results;
pub mod scores;
pub mod stats;
pub mod summary;
