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

use super::ExperimentConfig;
use crate::model::Head;
use crate::multilabel::MultilabelSetup;

impl ExperimentConfig {
    /// This config as an experiment of `task` (the app's task switch): what both tasks share
    /// (seed, split, hidden layers and activation, optimizer, learning-rate schedule, warm-up,
    /// batch size, epochs, backend) is kept; what the other task refuses is set back to its
    /// default. Switching to multi-label starts from the default multi-label section; switching
    /// back drops it. The same task returns the config unchanged.
    pub fn switched_to(&self, task: TaskKind) -> ExperimentConfig {
        if self.task == task {
            return self.clone();
        }
        let fresh = ExperimentConfig::default();
        let mut next = self.clone();
        next.task = task;
        match task {
            TaskKind::Multiclass => next.multilabel = None,
            TaskKind::Multilabel => {
                next.multilabel = Some(MultilabelSetup::default());
                next.dataset = fresh.dataset;
                next.sampler = fresh.sampler;
                next.loss = fresh.loss;
                next.threshold = None;
                next.posthoc = fresh.posthoc;
                next.tau_normalization = None;
                next.schedule.drw = None;
                next.schedule.second_stage = None;
                next.adversarial = None;
                next.robust_eval = None;
                next.model.head = Head::Linear;
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::parse_fragment;

    #[test]
    fn switching_keeps_shared_settings_and_validates_both_ways() {
        let base = ExperimentConfig::default();
        let busy = parse_fragment(
            "v=2&seed=9&epochs=7&sampler.kind=smote&loss.kind=focal&loss.gamma=2&posthoc.kind=threshold&posthoc.threshold=0.3&schedule.drw.start_fraction=0.5",
            &base,
        );
        assert!(busy.issues.is_empty(), "{:?}", busy.issues);
        let ml = busy.config.switched_to(TaskKind::Multilabel);
        ml.validate().expect("a switched config is valid");
        assert_eq!((ml.seed, ml.epochs), (9, 7));
        assert_eq!(ml.multilabel, Some(MultilabelSetup::default()));
        let back = ml.switched_to(TaskKind::Multiclass);
        back.validate().expect("and back");
        assert_eq!(back.multilabel, None);
        assert_eq!(back.task, TaskKind::Multiclass);
        assert_eq!(ml.switched_to(TaskKind::Multilabel), ml);
    }
}
