//! The engine's one error type. Every message tells the user what to change.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum EngineError {
    #[error("invalid setting `{key}`: {message}")]
    InvalidConfig { key: String, message: String },
    #[error(
        "class {class} has {count} sample(s) in the training split; {needed} are needed for {what}"
    )]
    TooFewSamples {
        class: usize,
        count: usize,
        needed: usize,
        what: String,
    },
    #[error("training diverged at step {step}: the loss became {value}. Lower the learning rate and reset")]
    Diverged { step: u64, value: String },
    #[error("the data has a single class ({class}); at least two classes are needed")]
    SingleClass { class: usize },
    #[error("{0}")]
    Data(String),
}

impl EngineError {
    pub fn config(key: &str, message: impl Into<String>) -> Self {
        EngineError::InvalidConfig {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, EngineError>;
