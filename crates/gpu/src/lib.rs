//! Imbalance Lab's GPU backend (wgpu / WGSL compute): mini-batch training of the engine's MLP with
//! data, weights and optimizer state resident on the GPU and many steps per submission; batched
//! prediction (test split, decision grid); exact k-nearest neighbours.
//!
//! Every kernel computes what the engine's CPU path computes, in the same summation order; the
//! parity tests (`tests/parity.rs`, `tests/neighbors.rs`) state the tolerances.
//!
//! ```ignore
//! let ctx = GpuContext::new().await?;
//! imlab_gpu::supported(&experiment)?;                  // > 10 classes: CPU path
//! let mut trainer = GpuTrainer::new(&ctx, &experiment)?;
//! // One submission, no wait; stops early at the DRW switch or the second stage (`next_boundary`).
//! let ran = trainer.run_segment(&mut experiment, n)?;
//! let losses = trainer.read_losses().await?;
//! experiment.adopt(trainer.read_state().await?, &losses)?;
//! trainer.sync(&experiment)?;                          // loss, trainable range, stage-2 state
//! let test_probs = trainer.predict_proba(experiment.test_x(), experiment.test.len()).await?;
//! ```
//!
//! Lower level: [`schedule`] + [`GpuTrainer::run_steps`] run any steps with the loss set by
//! [`GpuTrainer::set_loss`] and the range of [`GpuTrainer::set_trainable`].
//!
//! Side by side: [`GpuTrainer::side_by_side`] holds up to [`MAX_MEMBERS`] experiments that share the
//! network's shape, optimizer family and batch size ([`compatible`]) and trains them all with one
//! dispatch per kernel and step (the member is the grid's z); [`SideBySide`] drives such a group
//! to the end, adopting every member's state into its `Experiment` after each submission:
//!
//! ```ignore
//! let mut group = SideBySide::new(&ctx, experiments)?;   // seeds, losses, samplers, schedules
//! group.run_to_end(32).await?;                           // 32 steps per member and submission
//! for trained in group.into_results() { /* Ok(Experiment) or the divergence message */ }
//! ```
//!
//! The futures returned by `read_state`, `read_losses` and `predict_proba` borrow nothing (the
//! work is submitted when the method is called), so a trainer kept in a `RefCell` need not stay
//! borrowed across the `.await`. Every failure is a [`GpuError`]; nothing panics on a GPU error
//! (wgpu's panicking default error handler is replaced, see `context.rs`).

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
mod context;
mod error;
mod neighbors;
mod ops;
mod plan;
mod predict;
mod side_by_side;
mod trainer;

pub use context::{AdapterSummary, GpuContext};
pub use error::{GpuError, Result};
pub use neighbors::{GpuNeighbors, Neighbors};
pub use ops::uniforms::MAX_MEMBERS;
pub use side_by_side::SideBySide;
pub use trainer::{
    compatible, next_boundary, schedule, supported, GpuTrainer, MemberSteps, TrainerSetup,
};
