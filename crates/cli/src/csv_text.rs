//! CSV cells, shared with the engine's sweep results (one writer for the CLI and the browser).

pub use imlab_engine::sweep::csv_text::*;
