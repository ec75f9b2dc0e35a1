//! Optimizers over the flat parameter vector.
//!
//! Every per-step scalar (learning rate after the schedule, Adam's bias corrections) is computed once
//! here in f64 by [`OptimizerSpec::scalars`] and handed to both the CPU update and the GPU kernel, so
//! the two paths apply the same numbers.

mod adam;
mod schedule;
mod sgd;

pub use adam::{adam_update, adamw_update};
pub use schedule::LrSchedule;
pub use sgd::{sgd_nesterov_update, sgd_update};

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::math;

/// The optimizer; `kind` is the stable short name used in links (`adam`, `adamw`, `sgd`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum OptimizerSpec {
    /// Adam (Kingma & Ba 2015) as PyTorch `torch.optim.Adam`; `weight_decay` is L2 added to the gradient.
    #[serde(rename = "adam")]
    Adam {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
    },
    /// AdamW (Loshchilov & Hutter 2019) as `torch.optim.AdamW`: decoupled weight decay `p ← p(1 − lr·wd)`.
    #[serde(rename = "adamw")]
    AdamW {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
    },
    /// SGD with heavy-ball (or Nesterov) momentum as PyTorch `torch.optim.SGD` (dampening 0).
    #[serde(rename = "sgd")]
    Sgd {
        lr: f64,
        momentum: f64,
        weight_decay: f64,
        #[serde(default)]
        nesterov: bool,
    },
}

impl Default for OptimizerSpec {
    fn default() -> Self {
        OptimizerSpec::Adam {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

/// What one update step needs besides the gradient, identical for CPU and GPU.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepScalars {
    pub lr: f32,
    /// Adam: `1 − β1^t`; SGD: unused (1).
    pub bias1: f32,
    /// Adam: `1 − β2^t`; SGD: unused (1).
    pub bias2: f32,
}

impl OptimizerSpec {
    pub fn name(&self) -> &'static str {
        match self {
            OptimizerSpec::Adam { .. } => "adam",
            OptimizerSpec::AdamW { .. } => "adamw",
            OptimizerSpec::Sgd { .. } => "sgd",
        }
    }

    pub fn lr(&self) -> f64 {
        match self {
            OptimizerSpec::Adam { lr, .. }
            | OptimizerSpec::AdamW { lr, .. }
            | OptimizerSpec::Sgd { lr, .. } => *lr,
        }
    }

    /// Floats of optimizer state per parameter (Adam: m and v; SGD: velocity).
    pub fn state_per_param(&self) -> usize {
        match self {
            OptimizerSpec::Adam { .. } | OptimizerSpec::AdamW { .. } => 2,
            OptimizerSpec::Sgd { .. } => 1,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let lr = self.lr();
        if !(lr.is_finite() && lr > 0.0 && lr <= 10.0) {
            return Err(EngineError::config(
                "lr",
                format!("the learning rate must be in (0, 10], got {lr}"),
            ));
        }
        match self {
            OptimizerSpec::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            }
            | OptimizerSpec::AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                for (key, v) in [("beta1", beta1), ("beta2", beta2)] {
                    if !(0.0..1.0).contains(v) {
                        return Err(EngineError::config(
                            key,
                            format!("must be in [0, 1), got {v}"),
                        ));
                    }
                }
                if !(*eps > 0.0 && eps.is_finite()) {
                    return Err(EngineError::config(
                        "eps",
                        format!("must be positive, got {eps}"),
                    ));
                }
                check_decay(*weight_decay)
            }
            OptimizerSpec::Sgd {
                momentum,
                weight_decay,
                nesterov,
                ..
            } => {
                if *nesterov && *momentum == 0.0 {
                    return Err(EngineError::config(
                        "nesterov",
                        "Nesterov momentum needs a momentum above 0",
                    ));
                }
                if !(0.0..1.0).contains(momentum) {
                    return Err(EngineError::config(
                        "momentum",
                        format!("must be in [0, 1), got {momentum}"),
                    ));
                }
                check_decay(*weight_decay)
            }
        }
    }

    /// Scalars for update number `t` (1-based) at the base learning rate.
    pub fn scalars(&self, t: u64) -> StepScalars {
        self.scheduled_scalars(t, 1.0)
    }

    /// Scalars for update number `t` (1-based) with the learning rate multiplied by `lr_factor`
    /// (the schedule's factor, [`LrSchedule::factor`]). The product is formed in f64, then rounded
    /// once to f32, so the CPU and the GPU apply the same learning rate.
    pub fn scheduled_scalars(&self, t: u64, lr_factor: f64) -> StepScalars {
        let lr = (self.lr() * lr_factor) as f32;
        match self {
            OptimizerSpec::Adam { beta1, beta2, .. }
            | OptimizerSpec::AdamW { beta1, beta2, .. } => StepScalars {
                lr,
                bias1: (1.0 - math::pow(*beta1, t as f64)) as f32,
                bias2: (1.0 - math::pow(*beta2, t as f64)) as f32,
            },
            OptimizerSpec::Sgd { .. } => StepScalars {
                lr,
                bias1: 1.0,
                bias2: 1.0,
            },
        }
    }

    /// Applies one update to `params` given `grad`, with `state` of `state_per_param() × n` floats,
    /// at the base learning rate.
    pub fn update(&self, params: &mut [f32], grad: &[f32], state: &mut [f32], t: u64) {
        self.update_with(params, grad, state, self.scalars(t));
    }

    /// Applies one update with precomputed scalars (from [`Self::scheduled_scalars`]).
    pub fn update_with(&self, params: &mut [f32], grad: &[f32], state: &mut [f32], s: StepScalars) {
        match self {
            OptimizerSpec::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                let (m, v) = state.split_at_mut(params.len());
                adam_update(
                    params,
                    grad,
                    m,
                    v,
                    s,
                    *beta1 as f32,
                    *beta2 as f32,
                    *eps as f32,
                    *weight_decay as f32,
                );
            }
            OptimizerSpec::AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                let (m, v) = state.split_at_mut(params.len());
                adamw_update(
                    params,
                    grad,
                    m,
                    v,
                    s,
                    *beta1 as f32,
                    *beta2 as f32,
                    *eps as f32,
                    *weight_decay as f32,
                );
            }
            OptimizerSpec::Sgd {
                momentum,
                weight_decay,
                nesterov,
                ..
            } => {
                let f = if *nesterov {
                    sgd_nesterov_update
                } else {
                    sgd_update
                };
                f(
                    params,
                    grad,
                    state,
                    s.lr,
                    *momentum as f32,
                    *weight_decay as f32,
                )
            }
        }
    }

    /// Default settings of the optimizer called `name` (`adam`, `adamw`, `sgd`), PyTorch's defaults
    /// except the learning rate (0.01) and SGD's momentum (0.9).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "adam" => Some(OptimizerSpec::default()),
            "adamw" => Some(OptimizerSpec::AdamW {
                lr: 0.01,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.01,
            }),
            "sgd" => Some(OptimizerSpec::Sgd {
                lr: 0.01,
                momentum: 0.9,
                weight_decay: 0.0,
                nesterov: false,
            }),
            _ => None,
        }
    }
}

fn check_decay(wd: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&wd) {
        return Err(EngineError::config(
            "weight_decay",
            format!("must be in [0, 1], got {wd}"),
        ));
    }
    Ok(())
}
