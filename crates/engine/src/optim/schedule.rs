//! Learning-rate schedules, evaluated once per epoch as PyTorch's epoch-stepped schedulers.
//!
//! The factor multiplies the optimizer's base learning rate. Epochs are 0-based; `epochs` is the
//! length of the run (stage) the schedule spans.
//!
//! * `constant`: 1.
//! * `step`: `γ^{#{m : e ≥ round(m · epochs)}}` with milestones `m` given as fractions of the run —
//!   `torch.optim.lr_scheduler.MultiStepLR`. LDAM-DRW's CIFAR schedule (×0.01 after epoch 160,
//!   ×0.0001 after 180 of 200; `kaidic/LDAM-DRW` `cifar_train.py::adjust_learning_rate`) is
//!   milestones `[0.8, 0.9]`, γ = 0.01.
//! * `cosine`: `f_min + (1 − f_min)(1 + cos(π e / epochs)) / 2` — `CosineAnnealingLR(T_max = epochs,
//!   eta_min = f_min · lr)` (the cRT configs of `facebookresearch/classifier-balancing`).
//! * Linear warm-up over the first `warmup_epochs` epochs, `(e + 1) / warmup_epochs`, replaces the
//!   shape there (LDAM-DRW: `lr · epoch / 5` for epochs 1–5).

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::math;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LrSchedule {
    #[default]
    Constant,
    Step {
        /// Fractions of the run in (0, 1), ascending.
        milestones: Vec<f64>,
        gamma: f64,
    },
    Cosine {
        #[serde(default)]
        min_factor: f64,
    },
}

impl LrSchedule {
    pub fn name(&self) -> &'static str {
        match self {
            LrSchedule::Constant => "constant",
            LrSchedule::Step { .. } => "step",
            LrSchedule::Cosine { .. } => "cosine",
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            LrSchedule::Constant => Ok(()),
            LrSchedule::Step { milestones, gamma } => {
                if !(*gamma > 0.0 && *gamma <= 1.0) {
                    return Err(EngineError::config(
                        "lr_schedule.gamma",
                        format!("the decay factor must be in (0, 1], got {gamma}"),
                    ));
                }
                if milestones.iter().any(|m| !(*m > 0.0 && *m < 1.0))
                    || milestones.windows(2).any(|w| w[0] >= w[1])
                {
                    return Err(EngineError::config(
                        "lr_schedule.milestones",
                        "milestones are fractions of the run, strictly between 0 and 1, ascending",
                    ));
                }
                Ok(())
            }
            LrSchedule::Cosine { min_factor } => {
                if !(0.0..=1.0).contains(min_factor) {
                    return Err(EngineError::config(
                        "lr_schedule.min_factor",
                        format!("must be in [0, 1], got {min_factor}"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// Factor for 0-based `epoch` of a run of `epochs`, after `warmup_epochs` of linear warm-up.
    pub fn factor(&self, epoch: u64, epochs: u64, warmup_epochs: u64) -> f64 {
        if epoch < warmup_epochs {
            return (epoch + 1) as f64 / warmup_epochs as f64;
        }
        let epochs = epochs.max(1);
        match self {
            LrSchedule::Constant => 1.0,
            LrSchedule::Step { milestones, gamma } => {
                let passed = milestones
                    .iter()
                    .filter(|&&m| epoch >= (m * epochs as f64).round() as u64)
                    .count();
                math::pow(*gamma, passed as f64)
            }
            LrSchedule::Cosine { min_factor } => {
                let e = epoch.min(epochs) as f64;
                let c = math::cos(std::f64::consts::PI * e / epochs as f64);
                min_factor + (1.0 - min_factor) * (1.0 + c) / 2.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldam_drw_cifar_schedule() {
        let s = LrSchedule::Step {
            milestones: vec![0.8, 0.9],
            gamma: 0.01,
        };
        // 1-based epochs 1..5 warm up, 6..160 full, 161..180 ×0.01, 181..200 ×1e-4.
        assert_eq!(s.factor(0, 200, 5), 0.2);
        assert_eq!(s.factor(4, 200, 5), 1.0);
        assert_eq!(s.factor(159, 200, 5), 1.0);
        assert_eq!(s.factor(160, 200, 5), 0.01);
        assert_eq!(s.factor(179, 200, 5), 0.01);
        assert!((s.factor(180, 200, 5) - 1e-4).abs() < 1e-18);
    }

    #[test]
    fn cosine_matches_torch_closed_form() {
        let s = LrSchedule::Cosine { min_factor: 0.0 };
        assert_eq!(s.factor(0, 10, 0), 1.0);
        assert!((s.factor(5, 10, 0) - 0.5).abs() < 1e-15);
        // torch: eta_min + (base − eta_min)(1 + cos(π·3/10))/2
        let want = (1.0 + (std::f64::consts::PI * 0.3).cos()) / 2.0;
        assert!((s.factor(3, 10, 0) - want).abs() < 1e-15);
        assert!(s.factor(10, 10, 0).abs() < 1e-15);
    }

    #[test]
    fn bad_settings_are_rejected() {
        assert!(LrSchedule::Step {
            milestones: vec![0.9, 0.8],
            gamma: 0.1
        }
        .validate()
        .is_err());
        assert!(LrSchedule::Step {
            milestones: vec![1.5],
            gamma: 0.1
        }
        .validate()
        .is_err());
        assert!(LrSchedule::Cosine { min_factor: 2.0 }.validate().is_err());
    }
}
