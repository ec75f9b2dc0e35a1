//! One panel per file. Components read the `Ui` signals and send commands to the `Controller`.

pub mod boundary;
pub mod confusion;
pub mod controls;
pub mod data_import;
pub mod error;
pub mod export;
pub mod format;
pub mod header;
pub mod loss;
pub mod recall;
pub mod scores;
