//! The WebGPU path (cargo feature `gpu`): the `imlab-gpu` trainer runs a frame's optimizer steps in
//! one submission, and the engine adopts the state it reads back.
//!
//! Written against the API announced for `imlab-gpu` while that crate was being built in parallel:
//! `GpuContext::new().await`, `adapter_label()`, `GpuTrainer::new(&ctx, &exp)`,
//! `run_steps(n, &batches, &scalars)`, `read_state().await`, `read_losses().await`,
//! `predict_proba(&x, n).await`. [`Fallible`] accepts each call's result either as a plain value or
//! as a `Result`, so only this file changes if a signature settles differently.

use std::fmt::Display;

use imlab_engine::experiment::TrainState;
use imlab_engine::optim::StepScalars;
use imlab_gpu::{GpuContext, GpuTrainer};

use crate::lab::Lab;

/// A GPU call's outcome, whether the crate returns `T` or `Result<T, E>`.
pub trait Fallible<T> {
    fn checked(self) -> Result<T, String>;
}

impl<T, E: Display> Fallible<T> for Result<T, E> {
    fn checked(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

macro_rules! infallible {
    ($($t:ty),*) => {$(
        impl Fallible<$t> for $t {
            fn checked(self) -> Result<$t, String> {
                Ok(self)
            }
        }
    )*};
}
infallible!((), TrainState, Vec<f64>, Vec<f32>, GpuTrainer);

pub struct GpuBackend {
    ctx: GpuContext,
    trainer: Option<GpuTrainer>,
}

/// One frame's GPU work: the steps to run and the rows to predict afterwards.
pub struct GpuWork {
    pub steps: u64,
    pub batches: Vec<u32>,
    pub scalars: Vec<StepScalars>,
    pub test_x: Vec<f32>,
    pub grid_x: Vec<f32>,
    /// Features per row of `test_x` and `grid_x` (the grid is 2-D, like the generators).
    pub n_features: usize,
}

/// What the frame's GPU work gives back for the engine to adopt.
pub struct GpuOutcome {
    pub state: TrainState,
    pub losses: Vec<f64>,
    pub test_probs: Vec<f32>,
    pub grid_probs: Vec<f32>,
}

impl GpuBackend {
    pub async fn start() -> Result<Self, String> {
        let ctx = GpuContext::new().await.checked()?;
        Ok(GpuBackend { ctx, trainer: None })
    }

    pub fn adapter_label(&self) -> String {
        self.ctx.adapter_label()
    }

    /// Uploads `lab`'s data and current state; called for every new experiment (reset, new data).
    pub fn prepare(&mut self, lab: &Lab) -> Result<(), String> {
        self.trainer = None;
        self.trainer = Some(GpuTrainer::new(&self.ctx, lab.experiment()).checked()?);
        Ok(())
    }

    /// The trainer, lent to one frame's work (so no borrow is held across an await).
    pub fn take_trainer(&mut self) -> Option<GpuTrainer> {
        self.trainer.take()
    }

    pub fn return_trainer(&mut self, trainer: GpuTrainer) {
        self.trainer = Some(trainer);
    }
}

impl GpuWork {
    pub fn for_lab(lab: &mut Lab, steps: u64) -> Self {
        let (batches, scalars) = lab.next_schedule(steps);
        GpuWork {
            steps,
            batches,
            scalars,
            test_x: lab.experiment().test_x().to_vec(),
            grid_x: lab.grid().points.clone(),
            n_features: lab.experiment().data.n_features,
        }
    }
}

/// Runs the steps, reads the state and losses back, and predicts the test split and the grid.
pub async fn run(trainer: &mut GpuTrainer, work: GpuWork) -> Result<GpuOutcome, String> {
    trainer
        .run_steps(work.steps, &work.batches, &work.scalars)
        .checked()?;
    let state = trainer.read_state().await.checked()?;
    let losses = trainer.read_losses().await.checked()?;
    let test_probs = trainer
        .predict_proba(&work.test_x, work.test_x.len() / work.n_features.max(1))
        .await
        .checked()?;
    let grid_probs = trainer
        .predict_proba(&work.grid_x, work.grid_x.len() / work.n_features.max(1))
        .await
        .checked()?;
    Ok(GpuOutcome {
        state,
        losses,
        test_probs,
        grid_probs,
    })
}
