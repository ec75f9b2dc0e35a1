//! What the page shows, as signals shared through one typed context. The experiment itself lives in
//! the runner's session (plain Rust, borrowed by the canvases when they draw); components read only
//! these signals and send commands through [`crate::runner::Controller`].

use imlab_engine::{ExperimentConfig, Snapshot};
use leptos::prelude::*;

use crate::backend::BackendStatus;
use crate::lab::{MultilabelView, PointRef};

#[derive(Clone, Copy)]
pub struct Ui {
    /// The latest snapshot of the test split and the loss history.
    pub snapshot: RwSignal<Snapshot>,
    pub playing: RwSignal<bool>,
    pub backend: RwSignal<BackendStatus>,
    /// A user-facing error (a diverged run, a setting the engine refused); cleared by the next
    /// successful change.
    pub error: RwSignal<Option<String>>,
    /// The minority:majority ratio of the current data.
    pub ratio: RwSignal<f64>,
    /// Optimizer steps per animation frame while playing (the frame's time limit may cut it short).
    pub speed: RwSignal<u64>,
    /// Bumped whenever the grid or the snapshot changes, and on resize: the canvases redraw on it.
    pub revision: RwSignal<u64>,
    /// The running experiment's config; set by the controller whenever one is applied (the Setup
    /// panel and the URL follow it).
    pub config: RwSignal<ExperimentConfig>,
    /// An experiment (from a link or a saved session) that names an uploaded CSV file this browser
    /// does not have: the page asks for the file and applies it once the same file is dropped.
    pub data_needed: RwSignal<Option<ExperimentConfig>>,
    /// Said under the plot when a change of data dropped the point edits made on the previous data.
    pub edits_dropped: RwSignal<Option<String>>,
    /// The row under the pointer in any point view (boundary, feature space): every view
    /// highlights it.
    pub hovered: RwSignal<Option<PointRef>>,
    /// The multi-label experiment's view while `task = multilabel` runs; `None` in multi-class
    /// mode (the page shows the multi-class panels).
    pub ml: RwSignal<Option<MultilabelView>>,
}

impl Ui {
    pub fn new(snapshot: Snapshot, ratio: f64) -> Self {
        Ui {
            snapshot: RwSignal::new(snapshot),
            playing: RwSignal::new(true),
            backend: RwSignal::new(BackendStatus::starting()),
            error: RwSignal::new(None),
            ratio: RwSignal::new(ratio),
            speed: RwSignal::new(DEFAULT_SPEED),
            revision: RwSignal::new(0),
            config: RwSignal::new(ExperimentConfig::default()),
            data_needed: RwSignal::new(None),
            edits_dropped: RwSignal::new(None),
            hovered: RwSignal::new(None),
            ml: RwSignal::new(None),
        }
    }

    /// What the slower charts (ROC, precision-recall, calibration, metric curves) redraw on: while
    /// playing, once per epoch or when the test decisions change (the operating point moves);
    /// while paused, on every step. Redrawing them on every frame would cost the page its
    /// frame rate for changes too small to see.
    pub fn chart_key(&self) -> (bool, u64, Vec<u64>) {
        let playing = self.playing.get();
        self.snapshot.with(|s| {
            let when = if playing { s.epoch } else { s.step };
            (playing, when, s.confusion.counts.clone())
        })
    }

    pub fn redraw(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }
}

/// Steps per frame by default: about 15 epochs a second on the default data, slow enough to watch
/// the boundary form.
pub const DEFAULT_SPEED: u64 = 3;

/// Choices offered by the speed control.
pub const SPEEDS: [u64; 6] = [1, 3, 10, 30, 100, 300];
