//! Play, pause, step and reset: the session that owns the experiment, and the animation-frame loop
//! that trains a budget of steps per frame and publishes what the screen shows.
//!
//! The loop runs for the page's lifetime; while paused it only runs steps asked for one at a time.
//! Every frame that changed something refreshes the snapshot and the decision grid, then bumps
//! `Ui::revision`, on which the canvases redraw.

use std::cell::RefCell;
use std::rc::Rc;

use imlab_engine::dataset::MemorySource;
use imlab_engine::experiment::TaskKind;
use imlab_engine::multilabel::DecisionRule;
use imlab_engine::{EngineError, ExperimentConfig};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::backend::{self, Backend, BackendStatus};
use crate::lab::{minority_ratio, with_minority_ratio, Lab, MultilabelLab, StepBudget};
use crate::state::Ui;

/// The experiment and the machinery driving it. Plain Rust, owned by the runner; canvases borrow it
/// while drawing.
pub struct Session {
    pub lab: Lab,
    /// The multi-label experiment while `task = multilabel` is running (then `lab` keeps the last
    /// multi-class one, idle); `None` in multi-class mode.
    pub ml: Option<MultilabelLab>,
    backend: Backend,
    /// The badge text, also reported by `window.imlab.snapshot()`.
    pub backend_label: String,
    /// False until the backend is chosen: nothing trains on a backend about to be replaced.
    ready: bool,
    /// GPU work is in flight; the next frame waits for it.
    busy: bool,
    /// Single steps asked for while paused.
    pending_steps: u64,
    /// Counts experiments (reset, new data): results of older ones are dropped, and the cached
    /// point layer is redrawn when it changes.
    pub generation: u64,
    /// Bundled datasets and the user's uploaded files, by content hash.
    pub files: MemorySource,
}

impl Session {
    /// The config of what runs: the multi-label experiment in multi-label mode, else the lab's.
    pub fn running_config(&self) -> &ExperimentConfig {
        match &self.ml {
            Some(ml) => ml.config(),
            None => self.lab.config(),
        }
    }

    /// The WebGPU device when this session trains on it (sweeps use it too).
    #[cfg(feature = "gpu")]
    pub fn gpu_context(&self) -> Option<imlab_gpu::GpuContext> {
        match &self.backend {
            Backend::Gpu(g) => Some(g.context()),
            Backend::Cpu => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Controller {
    pub ui: Ui,
    session: StoredValue<Rc<RefCell<Session>>, LocalStorage>,
}

impl Controller {
    /// Builds the experiment for `config` (or, if the engine refuses it, the default one with the
    /// refusal shown). Must be called inside the app's reactive owner.
    pub fn new(config: ExperimentConfig) -> Self {
        let mut files = crate::files::with_bundled();
        // The CSV file of the last session, if it was kept, so a reloaded link that names it works.
        crate::session_store::add_saved_upload(&mut files);
        let missing = missing_upload(&config, &files);
        let (ml, ml_error) = if config.task == TaskKind::Multilabel {
            match MultilabelLab::new(config.clone()) {
                Ok(ml) => (Some(ml), None),
                Err(e) => (None, Some(e.to_string())),
            }
        } else {
            (None, None)
        };
        let multiclass = if config.task == TaskKind::Multilabel {
            ExperimentConfig::default()
        } else {
            config.clone()
        };
        let (lab, error) = match Lab::new_with(multiclass, &files) {
            Ok(lab) => (lab, None),
            Err(e) => (
                Lab::new_with(ExperimentConfig::default(), &files)
                    .expect("the default experiment is valid"),
                Some(e.to_string()),
            ),
        };
        let error = ml_error.or(error);
        let ui = Ui::new(lab.snapshot().clone(), minority_ratio(lab.config()));
        ui.config.set(lab.config().clone());
        if let Some(ml) = &ml {
            ui.config.set(ml.config().clone());
            ui.ml.set(Some(ml.view().clone()));
        }
        // A missing upload is asked for by the data-needed prompt rather than shown as an error.
        if missing {
            ui.data_needed.set(Some(config));
        } else {
            ui.error.set(error);
        }
        let session = Session {
            lab,
            ml,
            backend: Backend::Cpu,
            backend_label: BackendStatus::starting().label,
            ready: false,
            busy: false,
            pending_steps: 0,
            generation: 0,
            files,
        };
        Controller {
            ui,
            session: StoredValue::new_local(Rc::new(RefCell::new(session))),
        }
    }

    /// The shared session (for `window.imlab` and the canvases).
    pub fn session(&self) -> Option<Rc<RefCell<Session>>> {
        self.session.try_get_value()
    }

    /// Reads the session, unless it is being changed right now.
    pub fn with_session<R>(&self, f: impl FnOnce(&Session) -> R) -> Option<R> {
        let rc = self.session()?;
        let s = rc.try_borrow().ok()?;
        Some(f(&s))
    }

    /// Chooses the backend, then starts the frame loop.
    pub fn start(self) {
        let choice = self
            .with_session(|s| s.lab.config().backend)
            .unwrap_or_default();
        spawn_local(async move {
            let (backend, status) = backend::choose(choice).await;
            let Some(rc) = self.session() else { return };
            let mut s = rc.borrow_mut();
            s.backend = backend;
            let status = self.prepare_backend(&mut s).unwrap_or(status);
            s.backend_label = status.label.clone();
            s.ready = true;
            self.ui.backend.set(status);
        });
        start_frames(self);
    }

    pub fn toggle_play(self) {
        self.ui.playing.update(|p| *p = !*p);
    }

    /// One optimizer step, done on the next frame by the active backend. Pauses first.
    pub fn step_once(self) {
        self.ui.playing.set(false);
        if let Some(rc) = self.session() {
            rc.borrow_mut().pending_steps += 1;
        }
    }

    /// Back to step 0 with the same config: same data, same initial weights. Pauses.
    pub fn reset(self) {
        let Some(config) = self.with_session(|s| s.running_config().clone()) else {
            return;
        };
        self.ui.playing.set(false);
        self.apply_config(config);
    }

    /// New data at minority:majority `ratio`; training restarts from step 0.
    pub fn set_ratio(self, ratio: f64) {
        let Some(config) = self.with_session(|s| s.lab.config().clone()) else {
            return;
        };
        // The ratio slider is the multi-class data's; multi-label imbalance is set in Setup.
        if self.ui.ml.with_untracked(Option::is_some) {
            return;
        }
        let next = with_minority_ratio(&config, ratio);
        if minority_ratio(&next) == minority_ratio(&config) {
            return;
        }
        if self.apply_config(next) {
            self.ui.playing.set(true);
        }
    }

    pub fn set_speed(self, steps_per_frame: u64) {
        self.ui.speed.set(steps_per_frame.max(1));
    }

    /// Swaps in a new experiment for `config` (training restarts at step 0); on refusal keeps the
    /// current one, shows why, and returns false. Every control that changes the experiment ends
    /// here.
    pub fn apply_config(self, config: ExperimentConfig) -> bool {
        let Some(rc) = self.session() else {
            return false;
        };
        if config.task == TaskKind::Multilabel {
            return self.apply_multilabel(&rc, config);
        }
        let (built, missing) = match rc.try_borrow() {
            Ok(s) => (
                Lab::new_with(config.clone(), &s.files),
                missing_upload(&config, &s.files),
            ),
            Err(_) => return false,
        };
        let lab = match built {
            Ok(lab) => lab,
            Err(e) => {
                if missing {
                    self.ui.data_needed.set(Some(config));
                } else {
                    self.ui.error.set(Some(e.to_string()));
                }
                return false;
            }
        };
        let mut s = rc.borrow_mut();
        s.lab = lab;
        s.ml = None;
        self.ui.ml.set(None);
        s.generation += 1;
        s.pending_steps = 0;
        if let Some(status) = self.prepare_backend(&mut s) {
            s.backend_label = status.label.clone();
            self.ui.backend.set(status);
        }
        self.ui.ratio.set(minority_ratio(s.lab.config()));
        self.ui.config.set(s.lab.config().clone());
        self.ui.error.set(None);
        self.ui.data_needed.set(None);
        self.publish(&s);
        true
    }

    /// Starts the multi-label experiment of `config`, or explains why not (keeping what runs).
    fn apply_multilabel(self, rc: &Rc<RefCell<Session>>, config: ExperimentConfig) -> bool {
        let ml = match MultilabelLab::new(config) {
            Ok(ml) => ml,
            Err(e) => {
                self.ui.error.set(Some(e.to_string()));
                return false;
            }
        };
        let Ok(mut s) = rc.try_borrow_mut() else {
            return false;
        };
        self.ui.config.set(ml.config().clone());
        self.ui.ml.set(Some(ml.view().clone()));
        s.ml = Some(ml);
        s.generation += 1;
        s.pending_steps = 0;
        self.ui.error.set(None);
        self.ui.data_needed.set(None);
        self.ui.redraw();
        true
    }

    /// A new multi-label decision rule (global threshold, per-label thresholds, top-k): applied
    /// to the current probabilities, no retraining; the link follows. False (with the reason
    /// shown) when refused or not in multi-label mode.
    pub fn set_multilabel_decision(self, rule: DecisionRule) -> bool {
        let Some(rc) = self.session() else {
            return false;
        };
        let Ok(mut s) = rc.try_borrow_mut() else {
            return false;
        };
        let Some(ml) = s.ml.as_mut() else {
            return false;
        };
        if let Err(e) = ml.set_decision(rule) {
            self.ui.error.set(Some(e.to_string()));
            return false;
        }
        self.ui.error.set(None);
        self.ui.config.set(ml.config().clone());
        self.ui.ml.set(Some(ml.view().clone()));
        self.ui.redraw();
        true
    }

    /// Per-label thresholds tuned for F1 on the training split, applied as the decision rule.
    pub fn tune_multilabel_thresholds(self) -> bool {
        let tuned = self
            .with_session(|s| s.ml.as_ref().map(MultilabelLab::tuned_thresholds))
            .flatten();
        match tuned {
            Some(Ok(thresholds)) => {
                self.set_multilabel_decision(DecisionRule::PerLabelThresholds { thresholds })
            }
            Some(Err(e)) => {
                self.ui.error.set(Some(e.to_string()));
                false
            }
            None => false,
        }
    }

    /// Changes the decision rule of the running experiment: no retraining, every view re-derived
    /// from the stored probabilities, training goes on with the new rule. On refusal shows why and
    /// returns false.
    pub fn set_posthoc(self, posthoc: imlab_engine::posthoc::PostHoc) -> bool {
        let Some(rc) = self.session() else {
            return false;
        };
        let Ok(mut s) = rc.try_borrow_mut() else {
            return false;
        };
        if let Err(e) = s.lab.set_posthoc(posthoc) {
            self.ui.error.set(Some(e.to_string()));
            return false;
        }
        self.ui.error.set(None);
        self.publish(&s);
        // The link, the setup panel and the saved session follow the config.
        self.ui.config.set(s.lab.config().clone());
        true
    }

    /// Keeps an uploaded file's bytes in memory under their content hash, which is returned (the
    /// dataset spec names the file by it).
    pub fn add_upload(self, bytes: Vec<u8>) -> Option<String> {
        let rc = self.session()?;
        let mut s = rc.try_borrow_mut().ok()?;
        Some(s.files.add_upload(bytes))
    }

    /// Gives the backend the current experiment. Returns a new status only if the backend had to
    /// change (WebGPU refused the experiment and the CPU takes over).
    fn prepare_backend(&self, s: &mut Session) -> Option<BackendStatus> {
        match &mut s.backend {
            Backend::Cpu => None,
            #[cfg(feature = "gpu")]
            Backend::Gpu(g) => match g.prepare(&s.lab) {
                Ok(()) => None,
                Err(message) => {
                    s.backend = Backend::Cpu;
                    Some(BackendStatus::cpu(Some(format!(
                        "WebGPU could not take this experiment ({message}), so training runs on the CPU."
                    ))))
                }
            },
        }
    }

    fn publish(&self, s: &Session) {
        self.ui.snapshot.set(s.lab.snapshot().clone());
        self.ui.redraw();
    }

    fn fail(&self, e: EngineError) {
        self.ui.playing.set(false);
        self.ui.error.set(Some(e.to_string()));
    }

    /// One animation frame: train what the play state asks for, then publish.
    fn frame(self) {
        let Some(rc) = self.session() else { return };
        let Ok(mut s) = rc.try_borrow_mut() else {
            return;
        };
        if !s.ready || s.busy {
            return;
        }
        let want = if self.ui.playing.get_untracked() {
            self.ui.speed.get_untracked()
        } else {
            std::mem::take(&mut s.pending_steps)
        };
        if want == 0 {
            return;
        }
        if s.ml.is_some() {
            self.multilabel_frame(&mut s, want);
            return;
        }
        #[cfg(feature = "gpu")]
        if matches!(s.backend, Backend::Gpu(_)) {
            self.gpu_frame(&rc, &mut s, want);
            return;
        }
        self.cpu_frame(&mut s, want);
    }

    /// Multi-label training runs on the CPU whatever the backend (no GPU kernels for it yet).
    fn multilabel_frame(&self, s: &mut Session, want: u64) {
        let Some(ml) = s.ml.as_mut() else { return };
        let trained = ml.train_cpu(StepBudget::new(want, StepBudget::FRAME_MS), &mut now_ms);
        let refreshed = ml.refresh();
        self.ui.ml.set(Some(ml.view().clone()));
        self.ui.redraw();
        if ml.finished() {
            self.ui.playing.set(false);
        }
        if let Err(e) = trained.and(refreshed) {
            self.fail(e);
        }
    }

    fn cpu_frame(&self, s: &mut Session, want: u64) {
        let result = s
            .lab
            .train_cpu(StepBudget::new(want, StepBudget::FRAME_MS), &mut now_ms);
        s.lab.refresh_cpu();
        self.publish(s);
        if let Err(e) = result {
            self.fail(e);
        }
    }

    /// Hands the frame's steps to the GPU; the result is adopted when it arrives, unless the
    /// experiment was replaced meanwhile.
    #[cfg(feature = "gpu")]
    fn gpu_frame(self, rc: &Rc<RefCell<Session>>, s: &mut Session, want: u64) {
        use crate::backend::gpu::GpuWork;
        let work = GpuWork::for_lab(&s.lab, want);
        let Backend::Gpu(g) = &mut s.backend else {
            return;
        };
        let Some(pending) = g.submit(&mut s.lab, work) else {
            return;
        };
        let generation = s.generation;
        s.busy = true;
        let rc = rc.clone();
        spawn_local(async move {
            let outcome = pending.await;
            let mut s = rc.borrow_mut();
            s.busy = false;
            if s.generation != generation {
                return;
            }
            let outcome = match outcome {
                Ok(o) => o,
                Err(message) => {
                    s.backend = Backend::Cpu;
                    let status = BackendStatus::cpu(Some(format!(
                        "WebGPU failed during training ({message}); training goes on on the CPU from the last good state."
                    )));
                    s.backend_label = status.label.clone();
                    self.ui.backend.set(status);
                    return;
                }
            };
            match s.lab.experiment_mut().adopt(outcome.state, &outcome.losses) {
                Ok(()) => {
                    let s = &mut *s;
                    if let Backend::Gpu(g) = &mut s.backend {
                        if let Err(message) = g.sync(&s.lab) {
                            s.backend = Backend::Cpu;
                            let status = BackendStatus::cpu(Some(format!(
                                "WebGPU failed during training ({message}); training goes on on the CPU from the last good state."
                            )));
                            s.backend_label = status.label.clone();
                            self.ui.backend.set(status);
                        }
                    }
                    s.lab.refresh_from(&outcome.test_probs);
                    self.publish(s);
                }
                Err(e) => {
                    // The engine kept the last good state; the GPU's copy is the diverged one.
                    if let Some(status) = self.prepare_backend(&mut s) {
                        s.backend_label = status.label.clone();
                        self.ui.backend.set(status);
                    }
                    s.lab.refresh_cpu();
                    self.publish(&s);
                    self.fail(e);
                }
            }
        });
    }
}

/// Whether `config` names an uploaded file that `files` does not hold.
fn missing_upload(config: &ExperimentConfig, files: &MemorySource) -> bool {
    use imlab_engine::dataset::{is_content_hash, DataOrigin, DataSource};
    match &config.dataset.source {
        DataOrigin::Uploaded { hash, .. } => {
            is_content_hash(hash) && files.uploaded_bytes(hash).is_none()
        }
        _ => false,
    }
}

/// Milliseconds from the page's clock (monotonic).
pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The animation-frame callback, shared by the closure that re-registers itself.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

/// Calls `ctl.frame()` on every animation frame for the page's lifetime.
fn start_frames(ctl: Controller) {
    let slot: FrameCallback = Rc::new(RefCell::new(None));
    let again = slot.clone();
    *slot.borrow_mut() = Some(Closure::new(move || {
        ctl.frame();
        request_frame(&again);
    }));
    request_frame(&slot);
}

fn request_frame(slot: &FrameCallback) {
    if let (Some(window), Some(cb)) = (web_sys::window(), slot.borrow().as_ref()) {
        // Only fails when the window is gone, and then there is nothing left to animate.
        let _ = window.request_animation_frame(cb.as_ref().unchecked_ref());
    }
}
