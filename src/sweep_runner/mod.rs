//! Runs an engine sweep ([`imlab_engine::sweep::SweepRunner`]) in the page, a time slice per
//! animation frame, so the tab stays responsive: each frame does at most [`SLICE_MS`] of work
//! (building a run's data, optimizer steps, scoring), on top of the live experiment's own frame
//! budget. Used by the Sweep panel and by A/B comparison (a sweep of two runs).
//!
//! On the CPU path ([`SweepBackend::Cpu`]) the runs train on the engine itself, which is
//! bit-identical native and wasm32, so a sweep here writes the same rows as `imlab sweep`. With
//! [`SweepBackend::WebGpu`] they train side by side on the GPU ([`gpu`]), within the GPU parity
//! bounds of those rows.

#[cfg(feature = "gpu")]
mod gpu;

use std::cell::RefCell;
use std::rc::Rc;

use imlab_engine::sweep::{Grid, RunOutcome, SweepRunner};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::runner::{now_ms, Controller};

/// Milliseconds of sweep work per animation frame. With the live experiment's 6 ms, drawing and the
/// panels' updates, a frame's task stays under about 40 ms.
pub const SLICE_MS: f64 = 12.0;

/// What the panels show about a job.
#[derive(Clone, Debug, Default)]
pub struct JobView {
    pub running: bool,
    /// Fraction done, in [0, 1].
    pub progress: f64,
    pub total: usize,
    /// Finished runs, in run order (kept when the job is cancelled).
    pub outcomes: Vec<RunOutcome>,
    /// The job was cancelled before its last run.
    pub cancelled: bool,
    /// The grid the outcomes belong to (for the results file's sweep id and run count).
    pub grid: Option<Grid>,
    /// Where the runs train, in words (and why, when WebGPU was wanted but is not used).
    pub backend: String,
}

/// Where a job's runs train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepBackend {
    /// WebGPU side by side when the session trains on a hardware adapter; the CPU path on a
    /// software one (SwiftShader, llvmpipe), where the GPU kernels run on the CPU and are slower.
    Auto,
    /// The engine's CPU path, a time slice per frame: the same bytes as `imlab sweep`.
    Cpu,
    /// Side by side on WebGPU when the session has it; otherwise the CPU path, saying why.
    WebGpu,
}

impl SweepBackend {
    /// The value of the "Train on" select.
    pub fn code(self) -> &'static str {
        match self {
            SweepBackend::Auto => "auto",
            SweepBackend::Cpu => "cpu",
            SweepBackend::WebGpu => "webgpu",
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "cpu" => SweepBackend::Cpu,
            "webgpu" => SweepBackend::WebGpu,
            _ => SweepBackend::Auto,
        }
    }
}

/// What the panel says about the CPU path.
pub const CPU_NOTE: &str = "CPU path: the same numbers, byte for byte, as imlab sweep.";

struct Active {
    runner: SweepRunner,
    /// Bumped by every start and cancel, so a frame scheduled for an older job does nothing.
    generation: u64,
}

/// One time-sliced job at a time; starting another replaces it.
#[derive(Clone, Copy)]
pub struct SweepJob {
    pub view: RwSignal<JobView>,
    active: StoredValue<Rc<RefCell<Option<Active>>>, LocalStorage>,
    generation: StoredValue<Rc<RefCell<u64>>, LocalStorage>,
}

impl SweepJob {
    /// Must be created inside the app's reactive owner.
    pub fn new() -> Self {
        SweepJob {
            view: RwSignal::new(JobView::default()),
            active: StoredValue::new_local(Rc::new(RefCell::new(None))),
            generation: StoredValue::new_local(Rc::new(RefCell::new(0))),
        }
    }

    fn next_generation(&self) -> u64 {
        let Some(g) = self.generation.try_get_value() else {
            return 0;
        };
        let mut g = g.borrow_mut();
        *g += 1;
        *g
    }

    /// Whether `generation` is the job running now (not cancelled or replaced).
    fn is_current(&self, generation: u64) -> bool {
        self.generation
            .try_get_value()
            .is_some_and(|g| *g.borrow() == generation)
    }

    /// The job of `generation` has pushed its last run.
    #[cfg_attr(not(feature = "gpu"), allow(dead_code))]
    fn finish(&self, generation: u64) {
        if self.is_current(generation) {
            self.view.update(|v| {
                v.running = false;
                v.progress = 1.0;
            });
        }
    }

    /// Starts `grid` on `backend` (replacing any job running); fails, saying why, if the grid has
    /// a bad setting.
    pub fn start(self, ctl: Controller, grid: Grid, backend: SweepBackend) -> Result<(), String> {
        let runs = grid.runs()?;
        let generation = self.next_generation();
        let total = runs.len();
        if let Some(slot) = self.active.try_get_value() {
            slot.borrow_mut().take();
        }
        #[cfg(feature = "gpu")]
        let software_adapter = ctl
            .with_session(|s| s.gpu_context())
            .flatten()
            .is_some_and(|c| c.adapter().software);
        #[cfg(not(feature = "gpu"))]
        let software_adapter = false;
        let backend = match backend {
            SweepBackend::Auto if software_adapter => SweepBackend::Cpu,
            SweepBackend::Auto => SweepBackend::WebGpu,
            chosen => chosen,
        };
        #[cfg(feature = "gpu")]
        if backend == SweepBackend::WebGpu {
            if let Some(ctx) = ctl.with_session(|s| s.gpu_context()).flatten() {
                self.view.set(JobView {
                    running: true,
                    total,
                    grid: Some(grid),
                    backend: format!(
                        "WebGPU: up to {} runs train side by side in one dispatch; the scores agree with the CPU path's within the GPU parity bounds (train on the CPU for bit-identical numbers, the same as imlab sweep).",
                        gpu::GROUP
                    ),
                    ..JobView::default()
                });
                leptos::task::spawn_local(gpu::run(self, ctl, generation, runs, ctx));
                return Ok(());
            }
        }
        let backend_note = match backend {
            SweepBackend::Cpu if software_adapter => format!(
                "{CPU_NOTE} (This browser's WebGPU adapter is software, running on the CPU, where side-by-side training is slower; pick WebGPU to use it anyway.)"
            ),
            SweepBackend::Cpu | SweepBackend::Auto => CPU_NOTE.to_string(),
            SweepBackend::WebGpu => format!(
                "WebGPU is not in use in this session, so the runs train on the CPU. {CPU_NOTE}"
            ),
        };
        if let Some(slot) = self.active.try_get_value() {
            *slot.borrow_mut() = Some(Active {
                runner: SweepRunner::new(runs),
                generation,
            });
        }
        self.view.set(JobView {
            running: true,
            progress: 0.0,
            total,
            outcomes: Vec::new(),
            cancelled: false,
            grid: Some(grid),
            backend: backend_note,
        });
        schedule(self, ctl, generation);
        Ok(())
    }

    /// Stops the job now (no more work is done, not even in the next frame); finished runs stay.
    pub fn cancel(self) {
        self.next_generation();
        if let Some(slot) = self.active.try_get_value() {
            slot.borrow_mut().take();
        }
        self.view.update(|v| {
            if v.running {
                v.running = false;
                v.cancelled = true;
            }
        });
    }

    /// One frame's slice of work.
    fn tick(self, ctl: Controller, generation: u64) {
        let Some(slot) = self.active.try_get_value() else {
            return;
        };
        let mut guard = slot.borrow_mut();
        let Some(active) = guard.as_mut().filter(|a| a.generation == generation) else {
            return;
        };
        let deadline = now_ms() + SLICE_MS;
        let before = active.runner.finished().len();
        let advanced = ctl.with_session(|s| {
            active
                .runner
                .advance(&s.files, &mut || now_ms() >= deadline)
        });
        // The live experiment is being replaced right now: try again next frame.
        if advanced.is_none() {
            drop(guard);
            schedule(self, ctl, generation);
            return;
        }
        let fresh: Vec<RunOutcome> = active.runner.finished()[before..].to_vec();
        let progress = active.runner.progress();
        let done = active.runner.is_done();
        if done {
            guard.take();
        }
        drop(guard);
        self.view.update(|v| {
            v.outcomes.extend(fresh);
            v.progress = progress;
            v.running = !done;
        });
        if !done {
            schedule(self, ctl, generation);
        }
    }
}

/// Asks for `job.tick` on the next animation frame (a one-shot callback: nothing to clean up when
/// the job ends or is cancelled).
fn schedule(job: SweepJob, ctl: Controller, generation: u64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = Closure::once_into_js(move || job.tick(ctl, generation));
    // Fails only when the window is gone, and then there is nothing left to run.
    let _ = window.request_animation_frame(cb.unchecked_ref());
}
