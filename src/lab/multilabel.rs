//! The multi-label counterpart of [`super::Lab`]: one [`MultilabelExperiment`] and what the
//! multi-label views show of it (the snapshot with every metric, the true and predicted label
//! co-occurrence of the test split, the labels ordered head to tail, and each label's sigmoid over
//! the plane). Plain Rust, tested natively; trained on the CPU (the GPU crate has no multi-label
//! kernels yet, see `docs/multilabel.md`).

use imlab_engine::multilabel::{
    cooccurrence, DecisionRule, LabelEntry, MultilabelExperiment, MultilabelSnapshot,
};
use imlab_engine::resample::Origin;
use imlab_engine::{EngineError, ExperimentConfig};
use serde::Serialize;

use super::{DecisionGrid, StepBudget};

/// Cells per side of the label-probability grid: `L` sigmoids per cell, so coarser than the
/// multi-class grid; the browser smooths it when scaling up.
pub const LABEL_GRID_SIZE: usize = 64;

/// What the multi-label panels read (one signal; cheap to compare and clone at this size).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultilabelView {
    pub snapshot: MultilabelSnapshot,
    pub n_labels: usize,
    pub total_steps: u64,
    /// `L × L` counts of test samples carrying both labels, from the true and from the predicted
    /// label sets (diagonal: each label's count).
    pub cooccurrence_true: Vec<usize>,
    pub cooccurrence_predicted: Vec<usize>,
    /// Labels from the most to the least frequent in the training split (before resampling; the
    /// lower index first on ties): the order of the per-label bars.
    pub head_to_tail: Vec<usize>,
}

pub struct MultilabelLab {
    exp: MultilabelExperiment,
    grid: DecisionGrid,
    /// `cells × L` probabilities, row-major like `grid.points`.
    grid_probs: Vec<f64>,
    view: MultilabelView,
}

/// `A`, `B`, … for the generator's labels (at most 8), `L9`, `L10`, … beyond the alphabet.
pub fn label_name(l: usize) -> String {
    if l < 26 {
        char::from(b'A' + l as u8).to_string()
    } else {
        format!("L{l}")
    }
}

/// `{A, C}` for a label set, `∅` for the empty one.
pub fn label_set_name(set: &[usize]) -> String {
    if set.is_empty() {
        return "∅".into();
    }
    let names: Vec<String> = set.iter().map(|&l| label_name(l)).collect();
    format!("{{{}}}", names.join(", "))
}

impl MultilabelLab {
    pub fn new(config: ExperimentConfig) -> Result<Self, EngineError> {
        let exp = MultilabelExperiment::new(config)?;
        let d = exp.generated.data.n_features;
        let x = &exp.generated.data.x;
        let bounds: Vec<(f64, f64)> = (0..d.min(2))
            .map(|f| {
                x.chunks(d)
                    .map(|r| r[f])
                    .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
            })
            .collect();
        let grid = DecisionGrid::around(&bounds, LABEL_GRID_SIZE);
        let view = Self::view_of(&exp)?;
        let mut lab = MultilabelLab {
            exp,
            grid,
            grid_probs: Vec::new(),
            view,
        };
        lab.refresh_grid();
        Ok(lab)
    }

    fn view_of(exp: &MultilabelExperiment) -> Result<MultilabelView, EngineError> {
        let snapshot = exp.snapshot()?;
        let predicted = exp.decide(&exp.test_probabilities());
        let positives = &snapshot.train_measures.positives;
        let mut head_to_tail: Vec<usize> = (0..exp.n_labels()).collect();
        head_to_tail.sort_by(|&a, &b| positives[b].cmp(&positives[a]).then(a.cmp(&b)));
        Ok(MultilabelView {
            n_labels: exp.n_labels(),
            total_steps: exp.total_steps(),
            cooccurrence_true: cooccurrence(exp.test_truth()),
            cooccurrence_predicted: cooccurrence(&predicted),
            head_to_tail,
            snapshot,
        })
    }

    pub fn config(&self) -> &ExperimentConfig {
        self.exp.config()
    }

    pub fn experiment(&self) -> &MultilabelExperiment {
        &self.exp
    }

    pub fn view(&self) -> &MultilabelView {
        &self.view
    }

    pub fn grid(&self) -> &DecisionGrid {
        &self.grid
    }

    pub fn grid_probs(&self) -> &[f64] {
        &self.grid_probs
    }

    pub fn n_labels(&self) -> usize {
        self.exp.n_labels()
    }

    /// Whether every scheduled step has run.
    pub fn finished(&self) -> bool {
        self.exp.step() >= self.exp.total_steps()
    }

    /// Trains within `budget` (never past the last scheduled step); returns the steps done.
    pub fn train_cpu(
        &mut self,
        budget: StepBudget,
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<u64, EngineError> {
        let start = clock();
        let mut done = 0;
        while !self.finished() && budget.allows(done, clock() - start) {
            self.exp.train_step()?;
            done += 1;
        }
        Ok(done)
    }

    /// Recomputes the view and the grid from the current model.
    pub fn refresh(&mut self) -> Result<(), EngineError> {
        self.view = Self::view_of(&self.exp)?;
        self.refresh_grid();
        Ok(())
    }

    fn refresh_grid(&mut self) {
        let cells = self.grid.size * self.grid.size;
        self.grid_probs = if self.exp.generated.data.n_features == 2 {
            self.exp.predict_proba(&self.grid.points, cells)
        } else {
            Vec::new()
        };
    }

    /// A new decision rule, applied to the current probabilities without retraining.
    pub fn set_decision(&mut self, rule: DecisionRule) -> Result<(), EngineError> {
        self.exp.set_decision(rule)?;
        self.view = Self::view_of(&self.exp)?;
        Ok(())
    }

    /// The rule in force.
    pub fn decision(&self) -> &DecisionRule {
        &self.exp.setup().decision
    }

    /// Threshold of label `l` under the rule in force (`None` for top-k).
    pub fn threshold_of(&self, l: usize) -> Option<f64> {
        match self.decision() {
            DecisionRule::Threshold { threshold } => Some(*threshold),
            DecisionRule::PerLabelThresholds { thresholds } => thresholds.get(l).copied(),
            DecisionRule::TopK { .. } => None,
        }
    }

    /// Per-label thresholds tuned for F1 on the training split's original rows.
    pub fn tuned_thresholds(&self) -> Result<Vec<f64>, EngineError> {
        self.exp.tuned_thresholds()
    }

    /// The training split's original rows as `(x, y, entries)`, and the rows the sampler added
    /// (synthetic or cloned) as `(x, y, entries)`; what the plot draws.
    pub fn points(&self) -> (Vec<PlanePoint>, Vec<PlanePoint>) {
        let train = &self.exp.train;
        let d = train.n_features;
        let point = |x: &[f64], row: &[LabelEntry]| PlanePoint {
            x: x[0],
            y: x.get(1).copied().unwrap_or(0.0),
            entries: row.to_vec(),
        };
        let originals = (0..train.n_samples())
            .map(|i| point(&train.x[i * d..(i + 1) * d], train.labels.row(i)))
            .collect();
        let res = &self.exp.resampled;
        let added = res
            .origins
            .iter()
            .enumerate()
            .filter(|(_, o)| !matches!(o, Origin::Original { .. }))
            .map(|(i, _)| point(&res.data.x[i * d..(i + 1) * d], res.data.labels.row(i)))
            .collect();
        (originals, added)
    }

    /// What the sampler did, for the plot's overlay (empty without a sampler).
    pub fn internals(&self) -> super::MultilabelInternals {
        super::MultilabelInternals::of(
            &self.exp.train,
            &self.exp.resampled,
            &self.view.snapshot.train_measures,
        )
    }

    /// What `window.imlab.multilabel()` and, in multi-label mode, `window.imlab.snapshot()`
    /// return.
    pub fn report_json(&self, backend: &str) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            task: &'static str,
            config: &'a ExperimentConfig,
            backend: &'a str,
            step: u64,
            epoch: u64,
            #[serde(flatten)]
            view: &'a MultilabelView,
        }
        serde_json::to_string(&Report {
            task: "multilabel",
            config: self.config(),
            backend,
            step: self.view.snapshot.step,
            epoch: self.view.snapshot.epoch,
            view: &self.view,
        })
        .unwrap_or_else(|e| format!(r#"{{"error":"{e}"}}"#))
    }
}

/// One point of the plot with its label entries.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanePoint {
    pub x: f64,
    pub y: f64,
    pub entries: Vec<LabelEntry>,
}

impl PlanePoint {
    /// Labels known positive, ascending.
    pub fn positives(&self) -> Vec<usize> {
        (self.entries.iter().enumerate())
            .filter(|(_, e)| **e == LabelEntry::Positive)
            .map(|(l, _)| l)
            .collect()
    }

    pub fn has_unknown(&self) -> bool {
        self.entries.contains(&LabelEntry::Unknown)
    }
}

/// The label sets of `points` (known positives), most frequent first (ties: the smaller set in
/// lexicographic order first), with their counts.
pub fn ranked_label_sets(points: &[PlanePoint]) -> Vec<(Vec<usize>, usize)> {
    let mut counts = std::collections::BTreeMap::<Vec<usize>, usize>::new();
    for p in points {
        *counts.entry(p.positives()).or_default() += 1;
    }
    let mut ranked: Vec<(Vec<usize>, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::experiment::TaskKind;

    fn config() -> ExperimentConfig {
        let mut c = ExperimentConfig::default().switched_to(TaskKind::Multilabel);
        c.epochs = 3;
        c
    }

    #[test]
    fn trains_and_shows_every_view() {
        let mut lab = MultilabelLab::new(config()).unwrap();
        let l = lab.n_labels();
        assert_eq!(
            lab.grid_probs().len(),
            LABEL_GRID_SIZE * LABEL_GRID_SIZE * l
        );
        let mut t = 0.0;
        let mut clock = move || {
            t += 1.0;
            t
        };
        let done = lab.train_cpu(StepBudget::new(5, 1e9), &mut clock).unwrap();
        assert_eq!(done, 5);
        lab.refresh().unwrap();
        let v = lab.view();
        assert_eq!(v.snapshot.step, 5);
        assert_eq!(v.cooccurrence_true.len(), l * l);
        // The diagonal of the true co-occurrence is each label's test support.
        for (j, r) in v.snapshot.metrics.per_label.iter().enumerate() {
            assert_eq!(v.cooccurrence_true[j * l + j], r.support);
            assert_eq!(v.cooccurrence_predicted[j * l + j], r.predicted);
        }
        let pos = &v.snapshot.train_measures.positives;
        assert!(v.head_to_tail.windows(2).all(|w| pos[w[0]] >= pos[w[1]]));
        // Training stops at the end of the schedule.
        lab.train_cpu(StepBudget::new(u64::MAX, 1e18), &mut || 0.0)
            .unwrap();
        assert!(lab.finished());
        assert_eq!(lab.experiment().step(), lab.view().total_steps);
    }

    #[test]
    fn a_new_rule_changes_decisions_not_the_model() {
        let mut lab = MultilabelLab::new(config()).unwrap();
        lab.train_cpu(StepBudget::new(u64::MAX, 1e18), &mut || 0.0)
            .unwrap();
        lab.refresh().unwrap();
        let before = lab.view().clone();
        let params = lab.experiment().model().params.clone();
        lab.set_decision(DecisionRule::Threshold { threshold: 0.05 })
            .unwrap();
        let after = lab.view();
        assert_eq!(lab.experiment().model().params, params);
        assert_eq!(after.cooccurrence_true, before.cooccurrence_true);
        let pred = |v: &MultilabelView| v.snapshot.metrics.per_label[0].predicted;
        assert!(
            pred(after) > pred(&before),
            "a lower threshold predicts more"
        );
        assert_eq!(
            lab.config().multilabel_setup().decision,
            DecisionRule::Threshold { threshold: 0.05 }
        );
        let tuned = lab.tuned_thresholds().unwrap();
        assert_eq!(tuned.len(), lab.n_labels());
        lab.set_decision(DecisionRule::PerLabelThresholds { thresholds: tuned })
            .unwrap();
        assert!(lab
            .set_decision(DecisionRule::TopK { k: 99 })
            .unwrap_err()
            .to_string()
            .contains("multilabel.decision.k"));
    }

    #[test]
    fn names_and_label_sets() {
        assert_eq!(label_name(0), "A");
        assert_eq!(label_name(27), "L27");
        assert_eq!(label_set_name(&[0, 2]), "{A, C}");
        assert_eq!(label_set_name(&[]), "∅");
        let p = |e: Vec<LabelEntry>| PlanePoint {
            x: 0.0,
            y: 0.0,
            entries: e,
        };
        use LabelEntry::*;
        let pts = [
            p(vec![Positive, Negative]),
            p(vec![Positive, Unknown]),
            p(vec![Negative, Negative]),
        ];
        assert!(pts[1].has_unknown());
        let ranked = ranked_label_sets(&pts);
        assert_eq!(ranked, vec![(vec![0], 2), (vec![], 1)]);
    }
}
