//! [`SideBySide`]: several experiments trained to the end together on one [`GpuTrainer`], one
//! dispatch per kernel and step for all of them. This is how a sweep's runs (seeds, losses,
//! samplers) train on the GPU: each submission runs up to `max_steps` steps of every member, then
//! one readback brings every member's state and losses back into its `Experiment` (which records
//! the epoch history as the CPU path does). Each run of steps is planned with the loss of its
//! steps (the DRW switch ends a run); a member entering its second stage has its new trainable
//! range and state uploaded.
//!
//! A member whose state goes non-finite is stopped with the engine's divergence message while the
//! others go on; a GPU error stops the whole group (the caller can fall back to the CPU path).

use imlab_engine::Experiment;

use crate::context::GpuContext;
use crate::error::{GpuError, Result};
use crate::trainer::{compatible, GpuTrainer};

pub struct SideBySide {
    trainer: GpuTrainer,
    runs: Vec<Experiment>,
    /// Per member: why it stopped early (divergence), if it did.
    failed: Vec<Option<String>>,
    /// Submissions in a row in which no member moved (the driver's guard against a stuck loop).
    stalled: u32,
}

impl SideBySide {
    /// Uploads every run's data and state. Fails when a run's settings are not on the GPU
    /// ([`crate::supported`]) or two runs cannot share a dispatch ([`compatible`]).
    pub fn new(ctx: &GpuContext, runs: Vec<Experiment>) -> Result<SideBySide> {
        if let Some(first) = runs.first() {
            for (m, run) in runs.iter().enumerate().skip(1) {
                if let Some(why) = compatible(first, run) {
                    return Err(GpuError::InvalidInput(format!(
                        "run {m} cannot train side by side with run 0: {why}"
                    )));
                }
            }
        }
        let refs: Vec<&Experiment> = runs.iter().collect();
        let trainer = GpuTrainer::side_by_side(ctx, &refs)?;
        let failed = vec![None; runs.len()];
        Ok(SideBySide {
            trainer,
            runs,
            failed,
            stalled: 0,
        })
    }

    fn finished(&self, m: usize) -> bool {
        let run = &self.runs[m];
        self.failed[m].is_some() || run.step() >= run.plan().total_steps()
    }

    /// Every member has trained to the end (or stopped on divergence).
    pub fn is_done(&self) -> bool {
        (0..self.runs.len()).all(|m| self.finished(m))
    }

    /// Optimizer steps done over all members, and the total they need.
    pub fn steps(&self) -> (u64, u64) {
        self.runs.iter().fold((0, 0), |(d, t), r| {
            let total = r.plan().total_steps();
            (d + r.step().min(total), t + total)
        })
    }

    pub fn experiments(&self) -> &[Experiment] {
        &self.runs
    }

    /// One submission of up to `max_steps` steps for every unfinished member, then its readback
    /// and adoption. Returns the most steps any member took.
    pub async fn advance(&mut self, max_steps: usize) -> Result<usize> {
        let skip: Vec<bool> = (0..self.runs.len()).map(|m| self.finished(m)).collect();
        let ran = self
            .trainer
            .run_segments_except(&mut self.runs, max_steps.max(1), &skip)?;
        let losses = self.trainer.read_member_losses().await?;
        let states = self.trainer.read_states().await?;
        for (m, (state, losses)) in states.into_iter().zip(losses).enumerate() {
            if skip[m] {
                continue;
            }
            let run = &mut self.runs[m];
            match run.adopt(state, &losses) {
                // The GPU holds what was just adopted; only a new stage (another trainable range,
                // cRT's fresh output layer and optimizer state) needs the state uploaded again.
                // The loss of the next steps is set when they are planned.
                Ok(()) if run.trainable_range(run.step()) != self.trainer.member_trainable(m) => {
                    self.trainer.sync_member(m, run)?
                }
                Ok(()) => {}
                Err(e) => self.failed[m] = Some(e.to_string()),
            }
        }
        let most = ran.into_iter().max().unwrap_or(0);
        // Members at a stage boundary run 0 steps once, then move on after the re-sync above.
        self.stalled = if most == 0 { self.stalled + 1 } else { 0 };
        if self.stalled > 1 && !self.is_done() {
            return Err(GpuError::InvalidInput(
                "side-by-side training made no progress; train these runs on the CPU".into(),
            ));
        }
        Ok(most)
    }

    /// Trains every member to the end.
    pub async fn run_to_end(&mut self, max_steps: usize) -> Result<()> {
        while !self.is_done() {
            self.advance(max_steps).await?;
        }
        Ok(())
    }

    /// The runs, each trained to the end or with the reason it stopped.
    pub fn into_results(self) -> Vec<std::result::Result<Experiment, String>> {
        self.runs
            .into_iter()
            .zip(self.failed)
            .map(|(run, failed)| match failed {
                Some(why) => Err(why),
                None => Ok(run),
            })
            .collect()
    }
}
