//! Step arithmetic of a run with one or two stages: which stage and epoch a step belongs to, where
//! epochs end, and the learning-rate factor of a step. Shared by the CPU loop and the GPU driver
//! through `Experiment` so both follow the same timetable.

use super::schedule::{SecondStageMethod, TrainingSchedule};

/// Stage 2's timetable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecondStagePlan {
    pub method: SecondStageMethod,
    /// First step (0-based) of stage 2 = stage 1's `epochs × steps_per_epoch`.
    pub start: u64,
    pub steps_per_epoch: u64,
    pub epochs: u64,
    pub lr_factor: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StagePlan {
    pub steps_per_epoch: u64,
    pub epochs: u64,
    pub warmup_epochs: u64,
    /// First step that uses the deferred class weights.
    pub drw_start: Option<u64>,
    pub second: Option<SecondStagePlan>,
}

/// Where a step lies: stage (1 or 2), 0-based epoch within the stage, 0-based step within the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepPosition {
    pub stage: u8,
    pub epoch: u64,
    pub local_step: u64,
}

impl StagePlan {
    pub fn new(
        schedule: &TrainingSchedule,
        epochs: usize,
        steps_per_epoch: u64,
        second_steps_per_epoch: u64,
    ) -> Self {
        let epochs = epochs as u64;
        StagePlan {
            steps_per_epoch,
            epochs,
            warmup_epochs: schedule.warmup_epochs as u64,
            drw_start: schedule.drw.as_ref().map(|d| {
                let e = (d.start_fraction * epochs as f64).round() as u64;
                e * steps_per_epoch
            }),
            second: schedule.second_stage.as_ref().map(|s| SecondStagePlan {
                method: s.method,
                start: epochs * steps_per_epoch,
                steps_per_epoch: second_steps_per_epoch.max(1),
                epochs: s.epochs as u64,
                lr_factor: s.lr_factor(),
            }),
        }
    }

    pub fn position(&self, step: u64) -> StepPosition {
        match self.second {
            Some(s) if step >= s.start => {
                let local = step - s.start;
                StepPosition {
                    stage: 2,
                    epoch: local / s.steps_per_epoch,
                    local_step: local,
                }
            }
            _ => StepPosition {
                stage: 1,
                epoch: step / self.steps_per_epoch,
                local_step: step,
            },
        }
    }

    /// Steps of a complete headless run (both stages).
    pub fn total_steps(&self) -> u64 {
        let first = self.epochs * self.steps_per_epoch;
        first + self.second.map_or(0, |s| s.epochs * s.steps_per_epoch)
    }

    /// Completed epochs (stage 1's, then stage 2's counted on) after `done` steps.
    pub fn epochs_completed(&self, done: u64) -> u64 {
        match self.second {
            Some(s) if done >= s.start => self.epochs + (done - s.start) / s.steps_per_epoch,
            _ => done / self.steps_per_epoch,
        }
    }

    /// Whether step number `done` (1-based count of finished steps) ends an epoch.
    pub fn ends_epoch(&self, done: u64) -> bool {
        match self.second {
            Some(s) if done > s.start => (done - s.start).is_multiple_of(s.steps_per_epoch),
            _ => done.is_multiple_of(self.steps_per_epoch),
        }
    }

    /// Learning-rate factor and 1-based optimizer step count (restarted in stage 2) of `step`.
    pub fn lr_factor_and_t(&self, step: u64, lr: &crate::optim::LrSchedule) -> (f64, u64) {
        let p = self.position(step);
        match (p.stage, self.second) {
            (2, Some(s)) => (
                s.lr_factor * lr.factor(p.epoch, s.epochs, 0),
                p.local_step + 1,
            ),
            _ => (
                lr.factor(p.epoch, self.epochs, self.warmup_epochs),
                step + 1,
            ),
        }
    }

    pub fn uses_deferred_weights(&self, step: u64) -> bool {
        self.position(step).stage == 1 && self.drw_start.is_some_and(|s| step >= s)
    }
}

#[cfg(test)]
mod tests {
    use super::super::schedule::{DeferredReweighting, SecondStage};
    use super::*;
    use crate::optim::LrSchedule;

    #[test]
    fn two_stage_timetable() {
        let sched = TrainingSchedule {
            lr: LrSchedule::Cosine { min_factor: 0.0 },
            warmup_epochs: 2,
            drw: Some(DeferredReweighting::default()),
            second_stage: Some(SecondStage {
                method: SecondStageMethod::OutputFineTuning,
                epochs: 3,
                lr_factor: None,
                ..Default::default()
            }),
        };
        let plan = StagePlan::new(&sched, 10, 5, 4);
        assert_eq!(plan.drw_start, Some(40));
        assert_eq!(plan.total_steps(), 50 + 12);
        assert!(!plan.uses_deferred_weights(39));
        assert!(plan.uses_deferred_weights(40));
        assert!(!plan.uses_deferred_weights(50));
        assert_eq!(
            plan.position(53),
            StepPosition {
                stage: 2,
                epoch: 0,
                local_step: 3
            }
        );
        assert!(plan.ends_epoch(50));
        assert!(plan.ends_epoch(54));
        assert!(!plan.ends_epoch(52));
        assert_eq!(plan.epochs_completed(58), 12);
        let lr = &sched.lr;
        assert_eq!(plan.lr_factor_and_t(0, lr), (0.5, 1));
        assert_eq!(plan.lr_factor_and_t(50, lr), (0.1, 1));
        let (f, t) = plan.lr_factor_and_t(58, lr);
        assert_eq!(t, 9);
        assert!((f - 0.1 * 0.25).abs() < 1e-15);
    }
}
