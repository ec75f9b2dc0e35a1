//! Running a sweep's runs: [`run_one`] trains one run to the end in one call (the CLI calls it from
//! its worker threads); [`SweepRunner`] does the same work a slice at a time, so a caller with a
//! time budget (the browser's animation frames) can spread a grid over many frames and stop it
//! between any two optimizer steps. Both train with the same CPU steps in the same order and score
//! with the same code, so they give bit-identical rows.

use crate::dataset::DataSource;
use crate::experiment::TaskKind;
use crate::multilabel::MultilabelExperiment;
use crate::{Experiment, Result, Snapshot};

use super::grid::RunSpec;
use super::multilabel_scores::MultilabelScores;
use super::results::Row;
use super::robust_scores::RobustScores;
use super::scores::Scores;

/// A finished run: its row (scores or error) and, when it trained to the end, the test snapshot
/// (confusion matrix, per-class scores) for views that need more than the row.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub row: Row,
    pub snapshot: Option<Snapshot>,
}

/// The scores of a trained experiment on its test split.
fn score(exp: &Experiment) -> (Scores, Snapshot) {
    let probs = exp.test_probabilities();
    let snap = exp.snapshot_from_probabilities(&probs);
    let scores = Scores::compute(&snap.confusion, &exp.test.y, &probs, &snap.train_counts);
    (scores, snap)
}

/// The outcome of a run trained by someone else (the browser's WebGPU sweeps train runs side by
/// side and hand each one back): scored as [`run_one`] scores, or the reason it stopped.
pub fn outcome_of(spec: &RunSpec, trained: std::result::Result<&Experiment, String>) -> RunOutcome {
    outcome(spec, trained.map(score))
}

fn outcome(spec: &RunSpec, result: std::result::Result<(Scores, Snapshot), String>) -> RunOutcome {
    let (scores, snapshot, error) = match result {
        Ok((s, snap)) => (s, Some(snap), None),
        Err(e) => (Scores::default(), None, Some(e)),
    };
    // Robust scores of a run that evaluated under `robust_eval` (a failed run has none, as it has
    // no scores: its row's cells stay empty).
    let robust = (snapshot.as_ref())
        .and_then(|snap| Some(RobustScores::of(snap.robust.as_ref()?, &snap.train_counts)));
    RunOutcome {
        row: Row {
            run: spec.index,
            method: spec.method.clone(),
            vary: spec.vary.clone(),
            seed: spec.seed,
            scores,
            robust,
            multilabel: None,
            error,
        },
        snapshot,
    }
}

/// A multi-label run (`task = multilabel`), trained and scored on the CPU: its macro-F1 in the
/// `macro_f1` column and the multi-label scores (`crate::sweep::multilabel_scores`).
fn run_multilabel(spec: &RunSpec) -> Row {
    let result = (|| {
        let mut exp = MultilabelExperiment::new(spec.config.clone())?;
        exp.train_to_end()?;
        exp.snapshot()
    })();
    let (scores, multilabel, error) = match result {
        Ok(snap) => (
            Scores {
                macro_f1: snap.metrics.f1.macro_.value(),
                ..Scores::default()
            },
            Some(MultilabelScores::of(&snap)),
            None,
        ),
        Err(e) => (Scores::default(), None, Some(e.to_string())),
    };
    Row {
        run: spec.index,
        method: spec.method.clone(),
        vary: spec.vary.clone(),
        seed: spec.seed,
        scores,
        robust: None,
        multilabel,
        error,
    }
}

/// Trains one run on the CPU path and scores it on its test split. `files` supplies bundled or
/// uploaded datasets the config names. A multi-label run trains a `MultilabelExperiment`.
pub fn run_one(spec: &RunSpec, files: &dyn DataSource) -> Row {
    if spec.config.task == TaskKind::Multilabel {
        return run_multilabel(spec);
    }
    let result = (|| {
        let mut exp = Experiment::new_with(spec.config.clone(), files)?;
        exp.train_to_end()?;
        Ok(score(&exp))
    })();
    outcome(spec, result.map_err(|e: crate::EngineError| e.to_string())).row
}

/// A sweep run a slice at a time. Each call to [`SweepRunner::advance`] does at least one unit of
/// work (building the next run's experiment, one optimizer step, or scoring) and then continues
/// until `out_of_time` says stop; the finished runs are kept in run order.
pub struct SweepRunner {
    runs: Vec<RunSpec>,
    /// Index into `runs` of the run being trained (or next to start).
    next: usize,
    current: Option<Experiment>,
    finished: Vec<RunOutcome>,
    /// Optimizer steps done over all runs, and the total the grid needs once every run is built
    /// (known per run only after its experiment is built; see [`SweepRunner::progress`]).
    steps_done: u64,
}

impl SweepRunner {
    pub fn new(runs: Vec<RunSpec>) -> Self {
        SweepRunner {
            finished: Vec::with_capacity(runs.len()),
            runs,
            next: 0,
            current: None,
            steps_done: 0,
        }
    }

    pub fn total(&self) -> usize {
        self.runs.len()
    }

    pub fn runs(&self) -> &[RunSpec] {
        &self.runs
    }

    /// The finished runs, in run order.
    pub fn finished(&self) -> &[RunOutcome] {
        &self.finished
    }

    pub fn rows(&self) -> Vec<Row> {
        self.finished.iter().map(|o| o.row.clone()).collect()
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.runs.len()
    }

    pub fn steps_done(&self) -> u64 {
        self.steps_done
    }

    /// Fraction of the grid done, in [0, 1]: finished runs plus the trained part of the current one.
    pub fn progress(&self) -> f64 {
        if self.runs.is_empty() {
            return 1.0;
        }
        let partial = self.current.as_ref().map_or(0.0, |e| {
            let total = e.plan().total_steps().max(1);
            e.step() as f64 / total as f64
        });
        ((self.finished.len() as f64 + partial) / self.runs.len() as f64).min(1.0)
    }

    /// Works until the grid is done or `out_of_time()` returns true (asked after every unit of
    /// work). Returns how many runs finished during this call.
    pub fn advance(
        &mut self,
        files: &dyn DataSource,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> usize {
        let before = self.finished.len();
        while let Some(spec) = self.runs.get(self.next) {
            match self.current.as_mut() {
                None => match Experiment::new_with(spec.config.clone(), files) {
                    Ok(exp) => self.current = Some(exp),
                    Err(e) => self.finish(Err(e)),
                },
                Some(exp) if exp.step() < exp.plan().total_steps() => match exp.train_step() {
                    Ok(_) => self.steps_done += 1,
                    Err(e) => self.finish(Err(e)),
                },
                Some(exp) => {
                    let scored = score(exp);
                    self.finish(Ok(scored));
                }
            }
            if out_of_time() {
                break;
            }
        }
        self.finished.len() - before
    }

    fn finish(&mut self, result: Result<(Scores, Snapshot)>) {
        let spec = &self.runs[self.next];
        self.finished
            .push(outcome(spec, result.map_err(|e| e.to_string())));
        self.current = None;
        self.next += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NoData;
    use crate::sweep::grid::{parse_method, parse_seeds, Grid};
    use crate::ExperimentConfig;

    fn grid() -> Grid {
        let base = ExperimentConfig {
            epochs: 2,
            ..ExperimentConfig::default()
        };
        Grid {
            base,
            methods: ["baseline", "ros", "focal"]
                .iter()
                .map(|m| parse_method(m).unwrap())
                .collect(),
            axes: vec![],
            seeds: parse_seeds("2").unwrap(),
        }
    }

    #[test]
    fn sliced_runner_gives_the_rows_of_run_one() {
        let runs = grid().runs().unwrap();
        let whole: Vec<Row> = runs.iter().map(|r| run_one(r, &NoData)).collect();
        let mut runner = SweepRunner::new(runs);
        let mut calls = 0;
        while !runner.is_done() {
            // Stop after every 7 units of work: runs are split across many calls.
            let mut n = 0;
            runner.advance(&NoData, &mut || {
                n += 1;
                n >= 7
            });
            calls += 1;
            assert!(runner.progress() <= 1.0);
        }
        assert!(calls > 6, "the work was sliced ({calls} calls)");
        assert_eq!(runner.rows(), whole);
        assert!(whole.iter().all(|r| r.error.is_none()));
        assert!(runner.finished().iter().all(|o| o.snapshot.is_some()));
        assert_eq!(runner.progress(), 1.0);
    }

    #[test]
    fn a_stopped_runner_keeps_its_finished_runs() {
        let runs = grid().runs().unwrap();
        let first = run_one(&runs[0], &NoData);
        let mut runner = SweepRunner::new(runs);
        while runner.finished().is_empty() {
            runner.advance(&NoData, &mut || true);
        }
        assert_eq!(runner.rows(), vec![first]);
        assert!(!runner.is_done());
    }

    #[test]
    fn a_run_that_cannot_start_is_a_row_with_its_error() {
        let mut g = grid();
        g.base.dataset.source = crate::dataset::DataOrigin::Bundled {
            name: crate::dataset::BundledName::Iris,
            subsample: None,
            standardize: true,
        };
        let runs = g.runs().unwrap();
        let mut runner = SweepRunner::new(runs);
        runner.advance(&NoData, &mut || false);
        assert!(runner.is_done());
        assert_eq!(runner.finished().len(), 6);
        assert!(runner.finished()[0].row.error.is_some());
    }
}
