//! The WebGPU path (cargo feature `gpu`): the `imlab-gpu` trainer runs a frame's optimizer steps in
//! one submission, and the engine adopts the state it reads back.
//!
//! Written against `imlab-gpu` as it stood on its branch while both were built in parallel:
//! `GpuContext::new().await`, `adapter_label()`, `GpuTrainer::new(&ctx, &exp)`,
//! `run_segment(&mut exp, n)`, `sync(&exp)`, and the futures `read_state()`, `read_losses()`,
//! `predict_proba(&x, n)`, all returning `imlab_gpu::Result`. Only this file touches that API.

use imlab_engine::experiment::TrainState;
use imlab_gpu::{GpuContext, GpuTrainer};

use crate::lab::Lab;

pub struct GpuBackend {
    ctx: GpuContext,
    trainer: Option<GpuTrainer>,
}

/// One frame's GPU work: how many steps to run, and the test rows to predict afterwards (the
/// decision grid is evaluated on the CPU from the adopted state: see `Lab::refresh_from`).
pub struct GpuWork {
    pub steps: usize,
    pub test_x: Vec<f32>,
    /// Features per row of `test_x`.
    pub n_features: usize,
}

/// What the frame's GPU work gives back for the engine to adopt.
pub struct GpuOutcome {
    pub state: TrainState,
    pub losses: Vec<f64>,
    pub test_probs: Vec<f32>,
}

impl GpuBackend {
    pub async fn start() -> Result<Self, String> {
        let ctx = GpuContext::new().await.map_err(|e| e.to_string())?;
        Ok(GpuBackend { ctx, trainer: None })
    }

    pub fn adapter_label(&self) -> String {
        self.ctx.adapter_label()
    }

    /// The device, for work beside the live experiment (sweeps train side by side on it).
    pub fn context(&self) -> GpuContext {
        self.ctx.clone()
    }

    /// Uploads `lab`'s data and current state; called for every new experiment (reset, new data).
    pub fn prepare(&mut self, lab: &Lab) -> Result<(), String> {
        self.trainer = None;
        self.trainer =
            Some(GpuTrainer::new(&self.ctx, lab.experiment()).map_err(|e| e.to_string())?);
        Ok(())
    }

    /// Submits one frame's work to the current experiment's trainer.
    pub fn submit(
        &mut self,
        lab: &mut Lab,
        work: GpuWork,
    ) -> Option<impl std::future::Future<Output = Result<GpuOutcome, String>> + 'static> {
        self.trainer
            .as_mut()
            .map(|t| submit(t, lab.experiment_mut(), work))
    }

    /// After the engine adopted the GPU's state: the loss, trainable range and state of the
    /// experiment's current step (they change at a DRW switch or a second stage).
    pub fn sync(&mut self, lab: &Lab) -> Result<(), String> {
        match self.trainer.as_mut() {
            Some(t) => t.sync(lab.experiment()).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }
}

impl GpuWork {
    pub fn for_lab(lab: &Lab, steps: u64) -> Self {
        GpuWork {
            steps: steps as usize,
            test_x: lab.experiment().test_x().to_vec(),
            n_features: lab.experiment().data.n_features,
        }
    }
}

/// Submits the steps, the read-backs and the test prediction at once (the GPU queue runs them in
/// order), and returns a future of the results that borrows nothing, so the session is not held
/// while the GPU works.
pub fn submit(
    trainer: &mut GpuTrainer,
    exp: &mut imlab_engine::Experiment,
    work: GpuWork,
) -> impl std::future::Future<Output = Result<GpuOutcome, String>> + 'static {
    let d = work.n_features.max(1);
    // One segment: it stops at a loss change or stage boundary; the next frame syncs and goes on.
    let ran = trainer.run_segment(exp, work.steps);
    let state = trainer.read_state();
    let losses = trainer.read_losses();
    let test = trainer.predict_proba(&work.test_x, work.test_x.len() / d);
    async move {
        let text = |e: imlab_gpu::GpuError| e.to_string();
        ran.map_err(text)?;
        Ok(GpuOutcome {
            state: state.await.map_err(text)?,
            losses: losses.await.map_err(text)?,
            test_probs: test.await.map_err(text)?,
        })
    }
}
