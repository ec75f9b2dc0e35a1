//! Which kind of learning problem an experiment is: one class per sample (multi-class, the
//! original path: `Experiment`) or a set of labels per sample (multi-label:
//! `crate::multilabel::MultilabelExperiment`, configured by `ExperimentConfig::multilabel`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// One class per sample, softmax output (every config before the multi-label slice).
    #[default]
    Multiclass,
    /// A set of labels per sample, one sigmoid output per label.
    Multilabel,
}

impl TaskKind {
    /// True for the default, which the JSON leaves out so older configs, links and sweep ids are
    /// unchanged.
    pub fn is_multiclass(&self) -> bool {
        *self == TaskKind::Multiclass
    }

    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Multiclass => "multiclass",
            TaskKind::Multilabel => "multilabel",
        }
    }
}
