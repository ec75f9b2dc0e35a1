//! One panel per file. Components read the `Ui` signals and send commands to the `Controller`.

pub mod boundary;
pub mod calibration;
pub mod class_counts;
pub mod collapse_curves;
pub mod compare;
pub mod confusion;
pub mod controls;
pub mod data_import;
pub mod decision_rule;
pub mod disparity;
pub mod eps_curves;
pub mod error;
pub mod export;
pub mod feature_space;
pub mod format;
pub mod header;
pub mod job_controls;
pub mod loss;
pub mod metric_curves;
pub mod per_class;
pub mod point_edits;
pub mod recall;
pub mod roc_pr;
pub mod scores;
pub mod setup;
pub mod sweep;
