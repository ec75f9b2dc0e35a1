//! Multi-label classification (issue 13): labels that co-occur, with partial (unknown) entries.
//!
//! Self-contained: the multi-class training path does not depend on anything here (only
//! `ExperimentConfig` holds the [`MultilabelSetup`] section). `docs/multilabel.md`
//! lists what exists and what is not yet wired into the app and the GPU. Training runs in
//! [`MultilabelExperiment`] (`task = multilabel` of `ExperimentConfig`, `imlab run`).

pub mod cooccurrence;
pub mod csv_import;
pub mod decision;
pub mod experiment;
pub mod generator;
pub mod label_profile;
pub mod labels;
pub mod loss;
pub mod measures;
pub mod metrics;
pub mod resample;
pub mod setup;
pub mod threshold_tuning;

pub use cooccurrence::cooccurrence;
pub use csv_import::{
    MultilabelColumns, MultilabelCsvError, MultilabelCsvOptions, MultilabelTable,
};
pub use decision::DecisionRule;
pub use experiment::{
    MultilabelEpochRecord, MultilabelExperiment, MultilabelSnapshot, MULTILABEL_SPLIT_STREAM,
};
pub use generator::{GeneratedMultilabel, HalfPlane, MultilabelGenerator, MULTILABEL_DATA_STREAM};
pub use label_profile::LabelFrequencies;
pub use labels::{LabelEntry, LabelMatrix, LabelMatrixError, MAX_GENERATOR_LABELS, MAX_LABELS};
pub use measures::ImbalanceMeasures;
pub use setup::{MultilabelDataSpec, MultilabelSetup};
pub use threshold_tuning::tune_per_label_f1;
