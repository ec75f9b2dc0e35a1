//! The app's experiment state as a plain struct: no browser types, so it is tested natively.
//!
//! A `Lab` owns one [`Experiment`] and what the screen shows of it: the latest snapshot and the
//! class probabilities over the decision grid. Training itself is driven by a backend
//! (`crate::backend`); the CPU path lives here because it is just the engine.

mod budget;
mod grid;
mod marks;
mod ratio;
mod report;

pub use budget::StepBudget;
pub use grid::{DecisionGrid, GRID_SIZE};
pub use marks::{Mark, Marks};
pub use ratio::{
    minority_ratio, ratio_label, with_minority_ratio, RATIO_MAX, RATIO_MIN, RATIO_STEP,
};
pub use report::Report;

use imlab_engine::dataset::{DataSource, NoData};
use imlab_engine::{EngineError, Experiment, ExperimentConfig, Snapshot};

pub struct Lab {
    exp: Experiment,
    grid: DecisionGrid,
    grid_probs: Vec<f32>,
    snapshot: Snapshot,
    marks: Marks,
}

impl Lab {
    /// Prepares data, split and model from `config` (generated data only) and evaluates the
    /// untrained model.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn new(config: ExperimentConfig) -> Result<Self, EngineError> {
        Self::new_with(config, &NoData)
    }

    /// As [`Lab::new`], with bundled and uploaded files read from `files`.
    pub fn new_with(config: ExperimentConfig, files: &dyn DataSource) -> Result<Self, EngineError> {
        let exp = Experiment::new_with(config, files)?;
        let grid = DecisionGrid::around(&exp.data.bounds(), GRID_SIZE);
        let snapshot = exp.snapshot();
        let marks = Marks::new(&exp.train, &exp.test, &exp.resampled);
        let mut lab = Lab {
            exp,
            grid,
            grid_probs: Vec::new(),
            snapshot,
            marks,
        };
        lab.refresh_grid_cpu();
        Ok(lab)
    }

    pub fn experiment(&self) -> &Experiment {
        &self.exp
    }

    #[cfg_attr(not(feature = "gpu"), allow(dead_code))]
    pub fn experiment_mut(&mut self) -> &mut Experiment {
        &mut self.exp
    }

    pub fn config(&self) -> &ExperimentConfig {
        self.exp.config()
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    pub fn grid(&self) -> &DecisionGrid {
        &self.grid
    }

    /// The data points to draw (fixed for the experiment's lifetime).
    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    /// `n_cells × n_classes` probabilities over the grid, row-major like `grid.points`.
    pub fn grid_probs(&self) -> &[f32] {
        &self.grid_probs
    }

    /// CPU training: steps one at a time while `budget` allows (given the steps done so far and
    /// the milliseconds spent, read from `clock`). Returns the steps done. On divergence the
    /// engine has already restored the last good state; the error is passed on for the screen.
    pub fn train_cpu(
        &mut self,
        budget: StepBudget,
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<u64, EngineError> {
        let start = clock();
        let mut done = 0;
        while budget.allows(done, clock() - start) {
            self.exp.train_step()?;
            done += 1;
        }
        Ok(done)
    }

    /// Recomputes the snapshot and the grid with the CPU model.
    pub fn refresh_cpu(&mut self) {
        self.snapshot = self.exp.snapshot();
        self.refresh_grid_cpu();
    }

    /// Takes the test-split and grid probabilities computed elsewhere (the GPU).
    #[cfg_attr(not(feature = "gpu"), allow(dead_code))]
    pub fn refresh_from(&mut self, test_probs: &[f32], grid_probs: Vec<f32>) {
        self.snapshot = self.exp.snapshot_from_probabilities(test_probs);
        self.grid_probs = grid_probs;
    }

    fn refresh_grid_cpu(&mut self) {
        self.grid_probs = self
            .exp
            .model()
            .predict_proba(&self.grid.points, self.grid.n_cells());
    }

    /// What `window.imlab.snapshot()` returns, for the given backend label.
    pub fn report<'a>(&'a self, backend: &'a str) -> Report<'a> {
        Report::new(self.config(), &self.snapshot, backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_time() -> impl FnMut() -> f64 {
        || 0.0
    }

    #[test]
    fn new_lab_shows_the_untrained_model() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        assert_eq!(lab.experiment().step(), 0);
        assert_eq!(lab.grid_probs().len(), GRID_SIZE * GRID_SIZE * 2);
        let total: u64 = lab.snapshot().confusion.total();
        assert_eq!(total as usize, lab.experiment().test.len());
    }

    #[test]
    fn cpu_training_respects_the_step_budget_and_learns() {
        let mut lab = Lab::new(ExperimentConfig::default()).unwrap();
        let done = lab
            .train_cpu(StepBudget::new(7, 1e9), &mut no_time())
            .unwrap();
        assert_eq!(done, 7);
        assert_eq!(lab.experiment().step(), 7);
        for _ in 0..60 {
            lab.train_cpu(StepBudget::new(10, 1e9), &mut no_time())
                .unwrap();
        }
        lab.refresh_cpu();
        let s = lab.snapshot();
        assert_eq!(s.step, 607);
        // Plain CE on 1:10 data: clearly better than chance on both classes, the minority partly lost.
        assert!(s.balanced_accuracy.unwrap() > 0.7, "{s:?}");
        // Each grid cell's probabilities sum to one.
        for p in lab.grid_probs().chunks(2) {
            assert!((p[0] + p[1] - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn the_time_budget_stops_a_frame_early() {
        let mut lab = Lab::new(ExperimentConfig::default()).unwrap();
        let mut t = 0.0;
        let mut clock = move || {
            t += 3.0;
            t
        };
        // Each clock read advances 3 ms; an 8 ms budget allows the steps started before 8 ms.
        let done = lab
            .train_cpu(StepBudget::new(100, 8.0), &mut clock)
            .unwrap();
        assert!(done > 0 && done < 5, "{done}");
    }

    #[test]
    fn a_diverged_run_reports_and_keeps_the_last_good_state() {
        let mut cfg = ExperimentConfig::default();
        cfg.model.hidden = vec![32, 32];
        cfg.model.activation = imlab_engine::model::Activation::Gelu;
        cfg.optimizer = imlab_engine::optim::OptimizerSpec::Sgd {
            lr: 10.0,
            momentum: 0.99,
            nesterov: false,
            weight_decay: 0.0,
        };
        let mut lab = Lab::new(cfg).unwrap();
        let err = lab
            .train_cpu(StepBudget::new(50, 1e9), &mut no_time())
            .unwrap_err();
        assert!(matches!(err, EngineError::Diverged { .. }), "{err}");
        assert!(err.to_string().contains("Lower the learning rate"));
        let step = lab.experiment().step();
        assert!(step < 50);
        lab.refresh_cpu();
        assert_eq!(lab.snapshot().step, step);
        // The screen and `window.imlab` still get a readable snapshot.
        let v: serde_json::Value = serde_json::from_str(&lab.report("CPU").to_json()).unwrap();
        assert_eq!(v["step"], step);
    }

    #[test]
    fn same_config_gives_the_same_initial_boundary() {
        let a = Lab::new(ExperimentConfig::default()).unwrap();
        let b = Lab::new(ExperimentConfig::default()).unwrap();
        assert_eq!(a.grid_probs(), b.grid_probs());
    }
}
