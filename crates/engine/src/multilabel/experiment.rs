//! `MultilabelExperiment`: the multi-label training run of an `ExperimentConfig` with
//! `task = multilabel` — data from the 2-D generator, a seeded train/test split, the sampler on the
//! training split, an MLP with one sigmoid output per label trained with the chosen multi-label
//! loss, per-epoch test metrics, and a snapshot with every multi-label metric.
//!
//! Choices (documented in `docs/multilabel.md`):
//! - **Split**: a plain seeded random split (a permutation from the `multilabel_split` stream; the
//!   first `round(n·test_fraction)` rows, at least one and leaving one, are the test split). Not
//!   stratified: iterative stratification (Sechidis et al. 2011) is out of scope, so a very rare
//!   label can miss the test split; its per-label scores are then undefined, never invented.
//! - **Partial labels**: the training split keeps the generator's unknown entries (the losses
//!   ignore them). The test split is scored on its annotation *before* hiding (the generator's
//!   `noisy` labels: after label noise, with no unknown entry), the protocol of Durand et al.
//!   (CVPR 2019), whose partial labels are a training-annotation condition with fully annotated
//!   test sets. So an unknown entry is never counted in a metric, as a negative or otherwise.
//! - **Sampler**: applied to the training split only; synthetic and cloned rows are trained on,
//!   never evaluated; the imbalance measures are reported for the training split before and after.
//! - **Model and optimisation**: the multi-class MLP (`crate::model::Mlp`) with `L` outputs, the
//!   loss's gradient with respect to the logits passed to its backward pass; the shared
//!   optimizer, learning-rate schedule (warm-up, decay) and batch size; each epoch a fresh
//!   permutation of the training rows with the remainder that does not fill a batch dropped, as in
//!   the multi-class runner. Streams: `multilabel_data`, `multilabel_split`, `multilabel_sampler`,
//!   `multilabel_init`, `multilabel_batches`, all derived from the experiment seed by name.
//! - **Losses in the history**: with the `sum` reduction (ASL's reference reduction) a batch loss
//!   grows with the batch; the recorded train and test losses are then divided by the rows they
//!   cover, so both are per sample and comparable. Other reductions are recorded as they are.

use serde::{Deserialize, Serialize};

use super::loss::sigmoid::sigmoid;
use super::loss::{LabelStats, LossReduction, MultilabelLoss};
use super::metrics::{LabelScores, RankingMetrics, SetMetrics};
use super::resample::{MultilabelData, MultilabelResampled, MULTILABEL_SAMPLER_STREAM};
use super::setup::{under, MultilabelDataSpec, MultilabelSetup};
use super::{
    DecisionRule, GeneratedMultilabel, ImbalanceMeasures, LabelMatrixError, MULTILABEL_DATA_STREAM,
};
use crate::experiment::{ExperimentConfig, StagePlan, TaskKind};
use crate::metrics::LabelIndicators;
use crate::model::{Mlp, MlpWorkspace};
use crate::resample::Origin;
use crate::rng::Rng;
use crate::{EngineError, Result};

/// Name of the train/test split's random stream.
pub const MULTILABEL_SPLIT_STREAM: &str = "multilabel_split";
const INIT_STREAM: &str = "multilabel_init";
const BATCH_STREAM: &str = "multilabel_batches";

/// One finished epoch, scored on the test split under the decision rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelEpochRecord {
    pub epoch: u64,
    pub step: u64,
    /// Mean of the epoch's mini-batch losses (per sample under the `sum` reduction).
    pub train_loss: f64,
    /// The training loss on the test split (per sample under the `sum` reduction).
    pub test_loss: f64,
    pub macro_f1: Option<f64>,
    pub micro_f1: Option<f64>,
    pub hamming_loss: Option<f64>,
    pub subset_accuracy: Option<f64>,
    /// Recall of the label with the fewest positives in the training split (before resampling).
    pub rarest_label_recall: Option<f64>,
}

/// What `imlab run` prints as `final` for a multi-label run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultilabelSnapshot {
    pub step: u64,
    pub epoch: u64,
    /// Mean loss of the most recent mini-batches (the current or last epoch).
    pub train_loss: Option<f64>,
    pub test_loss: f64,
    /// The rule the set metrics decided with.
    pub decision: DecisionRule,
    /// Every set-based metric of the test split (scikit-learn's definitions), with the per-label
    /// report (support, predicted, precision, recall, F1, Jaccard).
    pub metrics: SetMetrics,
    /// LRAP, coverage error, ranking loss and per-label ROC AUC / average precision of the test
    /// probabilities; `None` where they cannot be computed.
    pub ranking: Option<RankingMetrics>,
    /// The label with the fewest known positives in the training split before resampling (lowest
    /// index on ties), and its test recall.
    pub rarest_label: usize,
    pub rarest_label_recall: Option<f64>,
    /// Imbalance measures of the training split (observed labels, unknown counted as not positive)
    /// before and after the sampler.
    pub train_measures: ImbalanceMeasures,
    pub resampled_measures: ImbalanceMeasures,
    pub train_rows: usize,
    /// Rows trained on (after the sampler) and how many of them are not original rows.
    pub resampled_rows: usize,
    pub added_rows: usize,
    pub test_rows: usize,
    /// Unknown entries of the training split (ignored by the loss).
    pub train_unknown_entries: usize,
    pub history: Vec<MultilabelEpochRecord>,
}

pub struct MultilabelExperiment {
    config: ExperimentConfig,
    setup: MultilabelSetup,
    /// The generated data set (all rows, every label stage).
    pub generated: GeneratedMultilabel,
    /// Rows of the generated data in each split, ascending.
    pub train_indices: Vec<usize>,
    pub test_indices: Vec<usize>,
    /// The training split with its observed labels (unknown entries kept).
    pub train: MultilabelData,
    /// The test split with its labels before hiding (no unknown entry).
    pub test: MultilabelData,
    /// The training set after the sampler: what the model is trained on.
    pub resampled: MultilabelResampled,
    test_truth: LabelIndicators,
    train_x: Vec<f32>,
    test_x: Vec<f32>,
    n_labels: usize,
    rarest_label: usize,
    model: Mlp,
    loss: MultilabelLoss,
    plan: StagePlan,
    opt_state: Vec<f32>,
    step: u64,
    batch: usize,
    batch_rng: Rng,
    epoch_rows: Option<(u64, Vec<usize>)>,
    epoch_losses: Vec<f64>,
    last_epoch_loss: Option<f64>,
    history: Vec<MultilabelEpochRecord>,
    ws: MlpWorkspace,
    grad: Vec<f32>,
    backup: Vec<f32>,
    opt_backup: Vec<f32>,
    /// The current step's features, logits, logit gradient (f64, from the loss) and its f32 copy:
    /// buffers kept across steps.
    batch_x: Vec<f32>,
    batch_logits: Vec<f64>,
    batch_grad: Vec<f64>,
    dlogits: Vec<f32>,
}

fn select_x(x: &[f64], d: usize, rows: &[usize]) -> Vec<f64> {
    rows.iter()
        .flat_map(|&i| x[i * d..(i + 1) * d].iter().copied())
        .collect()
}

fn to_f32(x: &[f64]) -> Vec<f32> {
    x.iter().map(|&v| v as f32).collect()
}

impl MultilabelExperiment {
    /// Validates `config` (which must have `task = multilabel`) and prepares data, split,
    /// resampled training set, loss and model.
    pub fn new(config: ExperimentConfig) -> Result<Self> {
        config.validate()?;
        if config.task != TaskKind::Multilabel {
            return Err(EngineError::config(
                "task",
                "this trainer is the multi-label one; set task=multilabel (multi-class configs train in `Experiment`)",
            ));
        }
        let setup = config.multilabel_setup();
        let seed = config.seed;
        let MultilabelDataSpec::Generator(generator) = &setup.data;
        let generated = generator
            .generate(&Rng::stream(seed, MULTILABEL_DATA_STREAM))
            .map_err(under("data"))?;
        let n = generated.data.n_samples();
        let d = generated.data.n_features;
        let n_labels = generated.data.labels.n_labels();
        let n_test = ((n as f64 * config.test_fraction).round() as usize).clamp(1, n - 1);
        let order = Rng::stream(seed, MULTILABEL_SPLIT_STREAM).permutation(n);
        let mut test_indices = order[..n_test].to_vec();
        let mut train_indices = order[n_test..].to_vec();
        test_indices.sort_unstable();
        train_indices.sort_unstable();

        let train_labels = generated.data.labels.select_rows(&train_indices);
        train_labels
            .validate_for_training()
            .map_err(|e| training_split_error(e, n))?;
        let train = MultilabelData::new(
            select_x(&generated.data.x, d, &train_indices),
            d,
            train_labels,
        )?;
        let test_labels = generated.noisy.select_rows(&test_indices);
        let test_truth = test_labels.to_indicators()?;
        let test = MultilabelData::new(
            select_x(&generated.data.x, d, &test_indices),
            d,
            test_labels,
        )?;

        let resampled = setup
            .sampler
            .apply(&train, &mut Rng::stream(seed, MULTILABEL_SAMPLER_STREAM))?;
        let n_res = resampled.data.n_samples();
        if n_res == 0 {
            return Err(EngineError::config(
                "multilabel.sampler",
                "the sampler left no training row; lower its percentage",
            ));
        }
        let loss = setup
            .loss_config()
            .build(&LabelStats::from_labels(&resampled.data.labels))
            .map_err(under(""))?;
        let model = Mlp::new(
            &config.model,
            d,
            n_labels,
            &mut Rng::stream(seed, INIT_STREAM),
        );
        let batch = config.batch_size.min(n_res).max(1);
        let steps_per_epoch = (n_res / batch).max(1) as u64;
        let plan = StagePlan::new(&config.schedule, config.epochs, steps_per_epoch, 1);
        let positives = train.labels.positives_per_label();
        let rarest_label = (0..n_labels)
            .min_by_key(|&l| (positives[l], l))
            .unwrap_or(0);
        Ok(MultilabelExperiment {
            train_x: to_f32(&resampled.data.x),
            test_x: to_f32(&test.x),
            opt_state: vec![0.0; model.n_params() * config.optimizer.state_per_param()],
            grad: vec![0.0; model.n_params()],
            batch_rng: Rng::stream(seed, BATCH_STREAM),
            backup: Vec::new(),
            opt_backup: Vec::new(),
            batch_x: Vec::new(),
            batch_logits: Vec::new(),
            batch_grad: Vec::new(),
            dlogits: Vec::new(),
            ws: MlpWorkspace::default(),
            epoch_rows: None,
            epoch_losses: Vec::new(),
            last_epoch_loss: None,
            history: Vec::new(),
            step: 0,
            batch,
            plan,
            loss,
            model,
            rarest_label,
            n_labels,
            test_truth,
            resampled,
            test,
            train,
            train_indices,
            test_indices,
            generated,
            setup,
            config,
        })
    }

    pub fn config(&self) -> &ExperimentConfig {
        &self.config
    }

    pub fn setup(&self) -> &MultilabelSetup {
        &self.setup
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }

    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn n_labels(&self) -> usize {
        self.n_labels
    }

    pub fn batch_size(&self) -> usize {
        self.batch
    }

    pub fn steps_per_epoch(&self) -> u64 {
        self.plan.steps_per_epoch
    }

    pub fn total_steps(&self) -> u64 {
        self.plan.total_steps()
    }

    /// The label with the fewest known positives in the training split before resampling.
    pub fn rarest_label(&self) -> usize {
        self.rarest_label
    }

    /// The loss being trained.
    pub fn loss(&self) -> &MultilabelLoss {
        &self.loss
    }

    /// Model parameters and optimizer state (for determinism checks).
    pub fn state(&self) -> (u64, Vec<f32>, Vec<f32>) {
        (self.step, self.model.params.clone(), self.opt_state.clone())
    }

    /// Rows of the resampled training set used by step `step`.
    fn batch_rows(&mut self, step: u64) -> Vec<usize> {
        let spe = self.plan.steps_per_epoch;
        let epoch = step / spe;
        if self.epoch_rows.as_ref().map(|(e, _)| *e) != Some(epoch) {
            let rows = self
                .batch_rng
                .fork("epoch", epoch)
                .permutation(self.resampled.data.n_samples());
            self.epoch_rows = Some((epoch, rows));
        }
        let rows = &self.epoch_rows.as_ref().expect("set above").1;
        let within = (step % spe) as usize;
        (within * self.batch..(within + 1) * self.batch)
            .map(|i| rows[i % rows.len()])
            .collect()
    }

    /// One optimizer step. On a non-finite loss, logit or parameter the step is undone and
    /// `Diverged` returned: the state stays the last good one.
    pub fn train_step(&mut self) -> Result<f64> {
        let step = self.step;
        let rows = self.batch_rows(step);
        let d = self.resampled.data.n_features;
        let l = self.n_labels;
        let n = rows.len();
        self.batch_x.clear();
        for &i in &rows {
            self.batch_x
                .extend_from_slice(&self.train_x[i * d..(i + 1) * d]);
        }
        let targets = self.resampled.data.labels.select_rows(&rows);
        let logits = self.model.forward(&self.batch_x, n, &mut self.ws);
        self.batch_logits.clear();
        self.batch_logits
            .extend(logits.iter().map(|&z| f64::from(z)));
        self.batch_grad.resize(n * l, 0.0);
        let loss =
            match self
                .loss
                .value_and_grad(&self.batch_logits, &targets, &mut self.batch_grad)
            {
                Ok(v) if v.is_finite() => v,
                Ok(v) => return Err(self.diverged(v)),
                Err(_) => return Err(self.diverged(f64::NAN)),
            };
        self.dlogits.clear();
        self.dlogits
            .extend(self.batch_grad.iter().map(|&v| v as f32));
        self.model.backward(
            &self.batch_x,
            n,
            &self.dlogits,
            &mut self.ws,
            &mut self.grad,
        );
        self.backup.clone_from(&self.model.params);
        self.opt_backup.clone_from(&self.opt_state);
        let (factor, t) = self.plan.lr_factor_and_t(step, &self.config.schedule.lr);
        let scalars = self.config.optimizer.scheduled_scalars(t, factor);
        self.config.optimizer.update_with(
            &mut self.model.params,
            &self.grad,
            &mut self.opt_state,
            scalars,
        );
        if self.model.params.iter().any(|p| !p.is_finite()) {
            self.model.params.clone_from(&self.backup);
            self.opt_state.clone_from(&self.opt_backup);
            return Err(self.diverged(f64::INFINITY));
        }
        self.step += 1;
        let recorded = self.per_sample(loss, n);
        self.epoch_losses.push(recorded);
        if self.plan.ends_epoch(self.step) {
            self.end_epoch()?;
        }
        Ok(loss)
    }

    fn diverged(&self, value: f64) -> EngineError {
        EngineError::Diverged {
            step: self.step + 1,
            value: format!("{value}"),
        }
    }

    /// A loss over `rows` rows as recorded in the history (per sample under `sum`).
    fn per_sample(&self, loss: f64, rows: usize) -> f64 {
        if self.loss.reduction() == LossReduction::Sum {
            loss / rows.max(1) as f64
        } else {
            loss
        }
    }

    fn end_epoch(&mut self) -> Result<()> {
        let mean = self.epoch_losses.iter().sum::<f64>() / self.epoch_losses.len().max(1) as f64;
        self.epoch_losses.clear();
        self.last_epoch_loss = Some(mean);
        let probs = self.test_probabilities();
        let test_loss = self.test_loss()?;
        let metrics = self.set_metrics(&probs)?;
        self.history.push(MultilabelEpochRecord {
            epoch: self.plan.epochs_completed(self.step),
            step: self.step,
            train_loss: mean,
            test_loss,
            macro_f1: metrics.f1.macro_.value(),
            micro_f1: metrics.f1.micro.value(),
            hamming_loss: metrics.hamming_loss.value(),
            subset_accuracy: metrics.subset_accuracy.value(),
            rarest_label_recall: metrics.per_label[self.rarest_label].recall.value(),
        });
        Ok(())
    }

    /// Runs `n` steps; stops at the first error.
    pub fn train_steps(&mut self, n: u64) -> Result<()> {
        for _ in 0..n {
            self.train_step()?;
        }
        Ok(())
    }

    /// Trains the configured number of epochs.
    pub fn train_to_end(&mut self) -> Result<()> {
        self.train_steps(self.plan.total_steps().saturating_sub(self.step))
    }

    /// Label probabilities `σ(z)` of `n` rows of `x` (`n × L`, row-major).
    pub fn predict_proba(&self, x: &[f32], n: usize) -> Vec<f64> {
        let mut ws = MlpWorkspace::default();
        self.model
            .forward(x, n, &mut ws)
            .iter()
            .map(|&z| sigmoid(f64::from(z)))
            .collect()
    }

    /// Test-split label probabilities.
    pub fn test_probabilities(&self) -> Vec<f64> {
        self.predict_proba(&self.test_x, self.test.n_samples())
    }

    /// The test split's labels (complete: no unknown entry).
    pub fn test_truth(&self) -> &LabelIndicators {
        &self.test_truth
    }

    /// Label probabilities of the training split's original rows (before the sampler), in the
    /// order of `train`.
    pub fn train_probabilities(&self) -> Vec<f64> {
        self.predict_proba(&to_f32(&self.train.x), self.train.n_samples())
    }

    /// Replaces the decision rule without retraining (the app's threshold controls): the next
    /// snapshot decides with it, and so do the epochs still to come; recorded epochs keep the
    /// rule they were scored with. The config follows, so a link written now carries the rule.
    pub fn set_decision(&mut self, rule: DecisionRule) -> Result<()> {
        rule.validate(self.n_labels)?;
        self.setup.decision = rule.clone();
        let mut section = self.config.multilabel_setup();
        section.decision = rule;
        self.config.multilabel = Some(section);
        Ok(())
    }

    /// Per-label thresholds that maximise each label's F1 on the training split's original rows
    /// (known entries only); see [`super::tune_per_label_f1`].
    pub fn tuned_thresholds(&self) -> Result<Vec<f64>> {
        super::tune_per_label_f1(&self.train_probabilities(), &self.train.labels, 0.5)
    }

    /// The decision rule's label sets for `probs`.
    pub fn decide(&self, probs: &[f64]) -> LabelIndicators {
        self.setup.decision.decide(probs, self.n_labels)
    }

    fn set_metrics(&self, probs: &[f64]) -> Result<SetMetrics> {
        SetMetrics::compute(&self.test_truth, &self.decide(probs))
    }

    /// The training loss on the test split.
    fn test_loss(&self) -> Result<f64> {
        let n = self.test.n_samples();
        let mut ws = MlpWorkspace::default();
        let logits: Vec<f64> = self
            .model
            .forward(&self.test_x, n, &mut ws)
            .iter()
            .map(|&z| f64::from(z))
            .collect();
        let mut g = vec![0.0; logits.len()];
        let v = self
            .loss
            .value_and_grad(&logits, &self.test.labels, &mut g)
            .map_err(|_| self.diverged(f64::NAN))?;
        Ok(self.per_sample(v, n))
    }

    /// Every multi-label metric of the current model on the test split.
    pub fn snapshot(&self) -> Result<MultilabelSnapshot> {
        let probs = self.test_probabilities();
        let metrics = self.set_metrics(&probs)?;
        let ranking = LabelScores::new(probs.clone(), self.n_labels)
            .and_then(|s| RankingMetrics::compute(&self.test_truth, &s))
            .ok();
        let train_loss = if self.epoch_losses.is_empty() {
            self.last_epoch_loss
        } else {
            Some(self.epoch_losses.iter().sum::<f64>() / self.epoch_losses.len() as f64)
        };
        let added_rows = (self.resampled.origins.iter())
            .filter(|o| !matches!(o, Origin::Original { .. }))
            .count();
        Ok(MultilabelSnapshot {
            step: self.step,
            epoch: self.plan.epochs_completed(self.step),
            train_loss,
            test_loss: self.test_loss()?,
            decision: self.setup.decision.clone(),
            rarest_label: self.rarest_label,
            rarest_label_recall: metrics.per_label[self.rarest_label].recall.value(),
            metrics,
            ranking,
            train_measures: ImbalanceMeasures::compute(&self.train.labels)?,
            resampled_measures: ImbalanceMeasures::compute(&self.resampled.data.labels)?,
            train_rows: self.train.n_samples(),
            resampled_rows: self.resampled.data.n_samples(),
            added_rows,
            test_rows: self.test.n_samples(),
            train_unknown_entries: self.train.labels.unknown_count(),
            history: self.history.clone(),
        })
    }
}

/// A training split that cannot be trained on, as a config error telling what to change.
fn training_split_error(e: LabelMatrixError, n: usize) -> EngineError {
    match e {
        LabelMatrixError::LabelWithoutPositive { label } => EngineError::config(
            "multilabel.data",
            format!(
                "label {label} has no known positive in the training split of the {n} samples; raise `multilabel.data.n_samples` or the label's rate, or lower `test_fraction`/`unknown_fraction`"
            ),
        ),
        other => EngineError::from(other),
    }
}
