//! The GPU backend's one error type. Every message says what the user can do about it; the usual
//! remedy for anything GPU-side is the CPU backend, which computes the same numbers.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum GpuError {
    #[error("no GPU adapter was found ({0}); the CPU backend will be used")]
    NoAdapter(String),
    #[error("the GPU adapter `{0}` cannot run compute shaders; the CPU backend will be used")]
    NoCompute(String),
    #[error("the GPU device could not be opened ({0}); the CPU backend will be used")]
    RequestDevice(String),
    #[error("the GPU device was lost ({0}); reload the page or switch to the CPU backend")]
    DeviceLost(String),
    #[error("the GPU rejected a command ({0}); switch to the CPU backend and report this")]
    Validation(String),
    #[error("reading results back from the GPU failed ({0}); switch to the CPU backend")]
    Readback(String),
    #[error("{what} needs {needed} bytes in one GPU buffer, more than this adapter's {limit}; use fewer rows or features, or the CPU backend")]
    TooLarge {
        what: String,
        needed: u64,
        limit: u64,
    },
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0} is not on the GPU yet; the CPU backend trains this experiment")]
    Unsupported(String),
}

pub type Result<T> = std::result::Result<T, GpuError>;
