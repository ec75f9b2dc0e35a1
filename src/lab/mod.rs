//! The app's experiment state as a plain struct: no browser types, so it is tested natively.
//!
//! A `Lab` owns one [`Experiment`] and what the screen shows of it: the latest snapshot and the
//! class probabilities over the decision grid. Training itself is driven by a backend
//! (`crate::backend`); the CPU path lives here because it is just the engine.

mod budget;
mod collapse_curves;
mod cost;
mod curves;
mod eps_ball;
mod eps_sweep;
mod feature_space;
mod grid;
mod internals;
mod marks;
mod multilabel;
mod multilabel_internals;
mod pca;
mod point_edit;
mod projection;
mod ratio;
mod report;

pub use budget::StepBudget;
pub use collapse_curves::{
    any_measure, log_decades, minority_angle_text, minority_angles, CollapseCurve,
};
pub use curves::{operating_point, Curves};
pub use eps_ball::{configured_attack, eps_ball, EpsBall};
pub use eps_sweep::{epsilon_grid, EpsCurves, EpsSweep, EPS_POINTS};
pub use feature_space::{FeatureMode, FeatureProjector, FeatureView};
pub use grid::{DecisionGrid, GRID_SIZE};
pub use internals::SamplerInternals;
pub use marks::{Mark, Marks, PointRef};
pub use multilabel::{
    label_name, label_set_name, ranked_label_sets, MultilabelLab, MultilabelView, PlanePoint,
};
pub use multilabel_internals::MultilabelInternals;
pub use point_edit::{
    drop_edits_on_new_data, dropped_note, with_point_added, with_point_removed, without_edits,
};
pub use projection::Plane;
pub use ratio::{
    minority_ratio, ratio_label, with_minority_ratio, RATIO_MAX, RATIO_MIN, RATIO_STEP,
};
pub use report::Report;

use imlab_engine::dataset::{DataSource, NoData};
use imlab_engine::posthoc::PostHoc;
use imlab_engine::{EngineError, Experiment, ExperimentConfig, Snapshot};

pub struct Lab {
    exp: Experiment,
    grid: DecisionGrid,
    grid_probs: Vec<f32>,
    /// The decided class of every grid cell under the current decision rule.
    grid_decision: Vec<u8>,
    snapshot: Snapshot,
    marks: Marks,
    plane: Plane,
    internals: SamplerInternals,
    /// The latest test-split and (original) training-split probabilities: a new decision rule is
    /// applied to these without retraining.
    test_probs: Vec<f32>,
    train_probs: Vec<f32>,
    curves: Curves,
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
        let plane = Plane::for_data(&exp.data);
        let mut marks = Marks::new(&exp.train, &exp.test, &exp.resampled, &plane);
        marks.added = exp.edits.added;
        let mut grid = DecisionGrid::around(&plane_bounds(&marks), GRID_SIZE);
        if let Some(wider) = bounds_showing_added(&marks, &grid) {
            grid = DecisionGrid::around(&wider, GRID_SIZE);
        }
        if !plane.shows_boundary() {
            // The model takes more than two inputs: there is no plane of its inputs to evaluate.
            grid.points.clear();
        }
        cost::check(&exp, grid.points.len() / 2)?;
        let internals = SamplerInternals::new(&exp.resampled, exp.train.len());
        let snapshot = exp.snapshot();
        let mut lab = Lab {
            exp,
            grid,
            grid_probs: Vec::new(),
            grid_decision: Vec::new(),
            snapshot,
            marks,
            plane,
            internals,
            test_probs: Vec::new(),
            train_probs: Vec::new(),
            curves: Curves::default(),
        };
        lab.refresh_cpu();
        Ok(lab)
    }

    /// How the rows reach the plane (their two features, or principal components).
    pub fn plane(&self) -> &Plane {
        &self.plane
    }

    pub fn internals(&self) -> &SamplerInternals {
        &self.internals
    }

    /// ROC, precision-recall and reliability curves of the latest test probabilities.
    pub fn curves(&self) -> &Curves {
        &self.curves
    }

    /// Decided class per grid cell (empty when the boundary is not drawn).
    pub fn grid_decision(&self) -> &[u8] {
        &self.grid_decision
    }

    /// Switches the decision rule without retraining: the snapshot and the grid's decisions are
    /// re-derived from the stored probabilities. On refusal nothing changes.
    pub fn set_posthoc(&mut self, posthoc: PostHoc) -> Result<(), EngineError> {
        self.exp.set_posthoc(posthoc)?;
        self.rederive();
        Ok(())
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
        self.test_probs = self.exp.test_probabilities();
        self.refresh_grid();
        self.refresh_derived();
    }

    /// Takes the test split's probabilities computed elsewhere (the GPU, which the metrics then come
    /// from) and evaluates the decision grid here, from the adopted parameters.
    ///
    /// Why the grid is not predicted on the GPU too: 10 000 cells cost SwiftShader (a browser's
    /// software WebGPU) about 120 ms per frame, which held the boundary to 7 redraws a second, while
    /// the CPU needs a few milliseconds for the networks `cost::check` lets through (it already
    /// counts the grid in every frame's budget). The picture is the same function of the same
    /// parameters; only f32 rounding at the odd boundary pixel could differ.
    #[cfg_attr(not(feature = "gpu"), allow(dead_code))]
    pub fn refresh_from(&mut self, test_probs: &[f32]) {
        self.test_probs = test_probs.to_vec();
        self.refresh_grid();
        self.refresh_derived();
    }

    fn refresh_grid(&mut self) {
        self.grid_probs = if self.grid.points.is_empty() {
            Vec::new()
        } else {
            self.exp
                .predict_proba(&self.grid.points, self.grid.points.len() / 2)
        };
    }

    /// After new probabilities: the training split's (a few hundred rows on the CPU, for its
    /// confusion matrix), the curves, then the decisions.
    fn refresh_derived(&mut self) {
        self.train_probs = self.exp.train_probabilities();
        self.curves = Curves::new(&self.exp.test.y, &self.test_probs, self.exp.data.n_classes);
        self.rederive();
    }

    /// Snapshot and grid decisions from the stored probabilities under the current rule.
    fn rederive(&mut self) {
        self.snapshot = self
            .exp
            .snapshot_with_train(&self.test_probs, Some(&self.train_probs));
        let k = self.exp.data.n_classes.max(1);
        let rule = self.exp.posthoc();
        let prior = self.exp.training_prior();
        self.grid_decision.clear();
        // 10 000 cells per frame: the arg-max needs no adjusted copy of each row.
        self.grid_decision
            .extend(self.grid_probs.chunks(k).map(|p| match rule {
                PostHoc::None => argmax_f32(p),
                _ => rule.decide(p, prior).min(u8::MAX as usize) as u8,
            }));
    }

    /// What `window.imlab.snapshot()` returns, for the given backend label.
    pub fn report<'a>(&'a self, backend: &'a str) -> Report<'a> {
        let mut report = Report::new(
            self.config(),
            &self.snapshot,
            backend,
            self.experiment().data.n_features,
        );
        report.edits = self.exp.edits;
        report
    }
}

/// Index of the first largest value, as the engine's `posthoc::argmax` picks it.
fn argmax_f32(row: &[f32]) -> u8 {
    let mut best = 0;
    for (c, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = c;
        }
    }
    best.min(u8::MAX as usize) as u8
}

/// Per-axis `(min, max)` of every mark on the plane but the points the user added: clicking a
/// point in must not move the view under the pointer.
fn plane_bounds(marks: &Marks) -> Vec<(f64, f64)> {
    let mut b = [(f64::INFINITY, f64::NEG_INFINITY); 2];
    for m in marks.train[..marks.first_added()]
        .iter()
        .chain(&marks.test)
        .chain(&marks.synthetic)
    {
        if m.x.is_finite() && m.y.is_finite() {
            b[0] = (b[0].0.min(m.x), b[0].1.max(m.x));
            b[1] = (b[1].0.min(m.y), b[1].1.max(m.y));
        }
    }
    b.iter()
        .map(|&(lo, hi)| if lo <= hi { (lo, hi) } else { (-1.0, 1.0) })
        .collect()
}

/// [`plane_bounds`] widened to the added points that lie outside `view` (points a link placed far
/// from the data), or `None` when the view shows them all. A click always lands inside the view,
/// so adding a point by hand still never moves it.
fn bounds_showing_added(marks: &Marks, view: &DecisionGrid) -> Option<Vec<(f64, f64)>> {
    let added = &marks.train[marks.first_added()..];
    let outside: Vec<_> = added
        .iter()
        .filter(|m| m.x.is_finite() && m.y.is_finite() && !view.contains(m.x, m.y))
        .collect();
    if outside.is_empty() {
        return None;
    }
    let mut b = plane_bounds(marks);
    for m in outside {
        b[0] = (b[0].0.min(m.x), b[0].1.max(m.x));
        b[1] = (b[1].0.min(m.y), b[1].1.max(m.y));
    }
    Some(b)
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

    #[test]
    fn the_decision_rule_changes_every_view_without_retraining() {
        let mut lab = Lab::new(ExperimentConfig::default()).unwrap();
        lab.train_cpu(StepBudget::new(300, 1e9), &mut no_time())
            .unwrap();
        lab.refresh_cpu();
        let before = lab.snapshot().clone();
        let grid_before = lab.grid_decision().to_vec();
        // The arg-max fast path decides as the engine does.
        for (cell, &d) in lab.grid_probs().chunks(2).zip(&grid_before) {
            assert_eq!(usize::from(d), lab.experiment().decide(cell));
        }
        let params = lab.experiment().state();
        lab.set_posthoc(PostHoc::Threshold { threshold: 0.05 })
            .unwrap();
        let after = lab.snapshot();
        assert_eq!(lab.experiment().state(), params);
        assert_eq!(after.step, before.step);
        assert!(after.per_class[1].recall >= before.per_class[1].recall);
        assert_ne!(after.confusion, before.confusion);
        assert_ne!(after.train_confusion, before.train_confusion);
        // More of the plane goes to the minority class.
        let ones = |d: &[u8]| d.iter().filter(|&&c| c == 1).count();
        assert!(ones(lab.grid_decision()) > ones(&grid_before));
        assert_eq!(lab.config().posthoc, PostHoc::Threshold { threshold: 0.05 });
        // A refused rule keeps the current one.
        assert!(lab
            .set_posthoc(PostHoc::LogitAdjustment { tau: 99.0 })
            .is_err());
        assert_eq!(lab.config().posthoc, PostHoc::Threshold { threshold: 0.05 });
        // The curves exist and do not depend on the rule.
        assert_eq!(lab.curves().classes.len(), 2);
        assert!(lab.curves().classes[1].auc.unwrap() > 0.8);
    }

    #[test]
    fn more_than_two_features_are_projected_and_no_grid_is_evaluated() {
        let mut cfg = ExperimentConfig::default();
        cfg.dataset.source = imlab_engine::dataset::DataOrigin::Bundled {
            name: imlab_engine::dataset::BundledName::Wine,
            subsample: None,
            standardize: true,
        };
        let mut lab = Lab::new_with(cfg, &crate::files::with_bundled()).unwrap();
        assert_eq!(lab.experiment().data.n_features, 13);
        assert!(!lab.plane().shows_boundary());
        assert!(lab.grid_probs().is_empty() && lab.grid_decision().is_empty());
        assert!(lab
            .marks()
            .train
            .iter()
            .all(|m| m.x.is_finite() && m.y.is_finite()));
        lab.train_cpu(StepBudget::new(20, 1e9), &mut no_time())
            .unwrap();
        lab.refresh_cpu();
        assert_eq!(lab.curves().classes.len(), 3);
        assert!(lab.grid_probs().is_empty());
    }
}
