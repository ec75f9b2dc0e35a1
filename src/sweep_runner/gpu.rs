//! Sweeps on WebGPU: the runs train side by side, up to [`GROUP`] of them in one dispatch per kernel
//! and step (`imlab_gpu::SideBySide`), and each is scored on its test split by the engine's own code
//! (`sweep::outcome_of`), so a row means what the CPU path's row means.
//!
//! Consecutive runs that can share a dispatch (`imlab_gpu::compatible`: same network, optimizer
//! family, batch size) form a group; a sweep is ordered method by method, so a group is normally
//! one method's seeds. A run the GPU kernels do not cover (`imlab_gpu::supported`) trains alone on
//! the CPU path; if WebGPU fails, the group goes on on the CPU from its last adopted state and the
//! panel says so. The numbers agree with `imlab sweep` within the GPU parity bounds
//! (crates/gpu/tests/side_by_side.rs), not byte for byte: choose the CPU path in the panel for that.

use imlab_engine::sweep::{outcome_of, RunOutcome, RunSpec};
use imlab_engine::Experiment;
use imlab_gpu::{compatible, supported, GpuContext, SideBySide};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{now_ms, SweepJob, SLICE_MS};
use crate::runner::Controller;

/// Most runs side by side: a sweep of 6 methods × 10 seeds trains in 6 groups.
pub const GROUP: usize = 16;

/// Optimizer steps per member and submission: each submission ends in one readback of every
/// member's state, which the engine adopts (recording epoch scores) on the main thread.
const STEPS_PER_SUBMISSION: usize = 32;

/// Trains `runs` in order, pushing each run's outcome into the job's view as its group finishes.
pub async fn run(
    job: SweepJob,
    ctl: Controller,
    generation: u64,
    runs: Vec<RunSpec>,
    ctx: GpuContext,
) {
    let mut sweep = GpuSweep {
        job,
        generation,
        ctx,
        total: runs.len(),
        finished: 0,
        gpu_failed: false,
    };
    let mut group: Vec<(RunSpec, Experiment)> = Vec::new();
    for spec in runs {
        let Some(built) = sweep.build(ctl, &spec).await else {
            return;
        };
        let exp = match built {
            Ok(exp) => exp,
            Err(e) => {
                if !sweep.flush(ctl, &mut group).await {
                    return;
                }
                sweep.push(vec![outcome_of(&spec, Err(e))]);
                continue;
            }
        };
        if supported(&exp).is_err() || sweep.gpu_failed {
            if !sweep.flush(ctl, &mut group).await {
                return;
            }
            let Some(outcome) = sweep.train_on_cpu(&spec, exp).await else {
                return;
            };
            sweep.push(vec![outcome]);
            continue;
        }
        let fits = group.len() < GROUP
            && group
                .first()
                .is_none_or(|(_, first)| compatible(first, &exp).is_none());
        if !fits && !sweep.flush(ctl, &mut group).await {
            return;
        }
        group.push((spec, exp));
    }
    if sweep.flush(ctl, &mut group).await {
        sweep.job.finish(sweep.generation);
    }
}

struct GpuSweep {
    job: SweepJob,
    generation: u64,
    ctx: GpuContext,
    total: usize,
    finished: usize,
    /// WebGPU failed once: the rest of the sweep trains on the CPU.
    gpu_failed: bool,
}

impl GpuSweep {
    fn current(&self) -> bool {
        self.job.is_current(self.generation)
    }

    /// Builds the run's experiment (data, split, sampler) with the session's files, waiting a
    /// frame while the session is being changed. `None`: the job was cancelled.
    async fn build(&self, ctl: Controller, spec: &RunSpec) -> Option<Result<Experiment, String>> {
        loop {
            if !self.current() {
                return None;
            }
            let built = ctl.with_session(|s| {
                Experiment::new_with(spec.config.clone(), &s.files).map_err(|e| e.to_string())
            });
            next_frame().await;
            if let Some(built) = built {
                return self.current().then_some(built);
            }
        }
    }

    fn push(&mut self, outcomes: Vec<RunOutcome>) {
        self.finished += outcomes.len();
        let progress = self.finished as f64 / self.total.max(1) as f64;
        self.job.view.update(|v| {
            v.outcomes.extend(outcomes);
            v.progress = progress;
        });
    }

    fn show_progress(&self, group_runs: usize, (done, total): (u64, u64)) {
        let partial = group_runs as f64 * done as f64 / total.max(1) as f64;
        let progress = (self.finished as f64 + partial) / self.total.max(1) as f64;
        self.job.view.update(|v| v.progress = progress.min(1.0));
    }

    /// Trains the group side by side and pushes its outcomes in run order; false when cancelled.
    async fn flush(&mut self, ctl: Controller, group: &mut Vec<(RunSpec, Experiment)>) -> bool {
        if group.is_empty() {
            return self.current();
        }
        let (specs, exps): (Vec<RunSpec>, Vec<Experiment>) =
            std::mem::take(group).into_iter().unzip();
        let n = specs.len();
        let trained: Vec<Result<Experiment, String>> = match SideBySide::new(&self.ctx, exps) {
            Ok(mut sbs) => {
                let mut failure = None;
                while !sbs.is_done() {
                    if let Err(e) = sbs.advance(STEPS_PER_SUBMISSION).await {
                        failure = Some(e.to_string());
                        break;
                    }
                    if !self.current() {
                        return false;
                    }
                    self.show_progress(n, sbs.steps());
                }
                if let Some(why) = failure {
                    self.gpu_fell_back(&why);
                }
                sbs.into_results()
            }
            Err(e) => {
                self.gpu_fell_back(&e.to_string());
                let mut rebuilt = Vec::with_capacity(n);
                for spec in &specs {
                    let Some(built) = self.build(ctl, spec).await else {
                        return false;
                    };
                    rebuilt.push(built);
                }
                rebuilt
            }
        };
        let mut outcomes = Vec::with_capacity(n);
        for (spec, result) in specs.iter().zip(trained) {
            let outcome = match result {
                // Finished on the GPU, or stopped there by a failure: the CPU path takes it to the end.
                Ok(exp) => match self.train_on_cpu(spec, exp).await {
                    Some(o) => o,
                    None => return false,
                },
                Err(e) => outcome_of(spec, Err(e)),
            };
            outcomes.push(outcome);
        }
        self.push(outcomes);
        true
    }

    fn gpu_fell_back(&mut self, why: &str) {
        self.gpu_failed = true;
        let note = format!(
            "WebGPU failed during the sweep ({why}); the runs go on on the CPU path from their last good state."
        );
        self.job.view.update(|v| v.backend = note);
    }

    /// Trains `exp` to the end on the CPU path, a time slice per frame, and scores it (a run that
    /// is already at its end is only scored). `None`: cancelled.
    async fn train_on_cpu(&self, spec: &RunSpec, mut exp: Experiment) -> Option<RunOutcome> {
        let total = exp.plan().total_steps();
        loop {
            let deadline = now_ms() + SLICE_MS;
            while exp.step() < total && now_ms() < deadline {
                if let Err(e) = exp.train_step() {
                    return Some(outcome_of(spec, Err(e.to_string())));
                }
            }
            if exp.step() >= total {
                return Some(outcome_of(spec, Ok(&exp)));
            }
            next_frame().await;
            if !self.current() {
                return None;
            }
        }
    }
}

/// Resolves on the next animation frame (the page has painted since).
async fn next_frame() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        // Fails only when the window is gone; the await below then never resolves, which is
        // what a closed page needs.
        let _ = window.request_animation_frame(resolve.unchecked_ref());
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
