//! `Experiment`: prepares data, split, resampling, loss and model from a config, and trains step by
//! step on the CPU path. The GPU backend runs the same timetable — rows from [`Experiment::batch_indices`],
//! per-step scalars from [`Experiment::step_scalars`], the loss of [`Experiment::loss_at`] (its
//! [`Loss::gpu_form`]), parameters restricted to [`Experiment::trainable_range`] — and hands its state
//! back through [`Experiment::adopt`]. A GPU submission must not cross [`Experiment::stage_boundary`]:
//! the stage change (output-layer re-initialisation, fresh optimizer state) happens here, after which
//! the GPU re-reads [`Experiment::state`].

use std::ops::Range;

use super::class_aware::class_aware_epoch;
use super::schedule::SecondStageMethod;
use super::snapshot::{ClassScores, EpochRecord, Snapshot};
use super::stages::StagePlan;
use super::ExperimentConfig;
use crate::adversarial::AdversarialTrainer;
use crate::dataset::{stratified_split, DataSource, Dataset, EditReport, NoData};
use crate::error::{EngineError, Result};
use crate::loss::{training_prior, Loss, LossSpec};
use crate::metrics::{Average, ConfusionMatrix};
use crate::model::{softmax_in_place, Mlp, MlpWorkspace};
use crate::model::{Head, LayerShape};
use crate::optim::StepScalars;
use crate::posthoc::PostHoc;
use crate::representation::{
    calibrate, class_gaussians, draw_balanced, minority_classes, CollapseInput, CollapseMeasures,
    CollapseWorkspace,
};
use crate::resample::Resampled;
use crate::rng::Rng;
use crate::semi_supervised::{pseudo_label, withhold_pool, PseudoLabelReport};

/// Rows per class drawn consecutively by the cRT sampler (`num_samples_cls` of the reference).
const CRT_ROWS_PER_CLASS: usize = 4;

/// Model and optimizer state at a step: what the GPU reads back and the CPU path takes over.
/// In stage 2, `opt_state` covers only [`Experiment::trainable_range`].
#[derive(Clone, Debug, PartialEq)]
pub struct TrainState {
    pub step: u64,
    pub params: Vec<f32>,
    pub opt_state: Vec<f32>,
}

pub struct Experiment {
    config: ExperimentConfig,
    /// The full generated dataset (train and test rows).
    pub data: Dataset,
    pub train: Dataset,
    pub test: Dataset,
    /// What the dataset's point edits did to the training split (added rows come last).
    pub edits: EditReport,
    pub resampled: Resampled,
    /// Training rows of every stage: the resampled set, then (two-phase training only) the original
    /// training split.
    train_x: Vec<f32>,
    train_y: Vec<usize>,
    test_x: Vec<f32>,
    model: Mlp,
    loss: Loss,
    /// The loss with the DRW weights, used from `plan.drw_start` on.
    deferred_loss: Option<Loss>,
    /// Stage 2's plain cross-entropy.
    stage2_loss: Loss,
    /// Class prior of the training split before resampling (post-hoc corrections).
    prior: Vec<f64>,
    plan: StagePlan,
    in_stage2: bool,
    opt_state: Vec<f32>,
    step: u64,
    batch: usize,
    batch_rng: Rng,
    epoch_rows: Option<((u8, u64), Vec<u32>)>,
    epoch_losses: Vec<f64>,
    last_epoch_loss: Option<f64>,
    history: Vec<EpochRecord>,
    ws: MlpWorkspace,
    grad: Vec<f32>,
    dlogits: Vec<f32>,
    backup: Vec<f32>,
    opt_backup: Vec<f32>,
    /// The current step's rows, features and labels: buffers kept across steps.
    batch_rows: Vec<u32>,
    batch_x: Vec<f32>,
    batch_y: Vec<usize>,
    /// The original training split as f32 (no resampled or synthetic rows): what the per-epoch
    /// neural-collapse measures read.
    original_train_x: Vec<f32>,
    /// Which classes of the original training split are minority ([`minority_classes`]).
    minority_flags: Vec<bool>,
    /// Buffers of the per-epoch measurement (forward pass and measures), kept across epochs.
    feature_ws: MlpWorkspace,
    collapse_ws: CollapseWorkspace,
    /// Adversarial training (`config.adversarial`), when on.
    adversarial: Option<AdversarialTrainer>,
    /// Virtual-feature calibration's stage-2 rows: the original split's penultimate features, then
    /// the virtual features (from `vfc_real` on), with their labels. Empty until stage 2.
    vfc_x: Vec<f32>,
    vfc_y: Vec<usize>,
    vfc_real: usize,
    /// The output layer alone (a softmax regression on the features), trained in its stage 2.
    head_model: Option<Mlp>,
    head_ws: MlpWorkspace,
    /// Pseudo-labels: the unlabeled pool (its withheld labels are used only for the report), as
    /// f32 for prediction, and what pseudo-labelling did (from stage 2 on).
    pub pool: Dataset,
    pool_x: Vec<f32>,
    pseudo_report: Option<PseudoLabelReport>,
}

impl Experiment {
    /// An experiment on generated data (bundled or uploaded data need [`Experiment::new_with`]).
    pub fn new(config: ExperimentConfig) -> Result<Self> {
        Self::new_with(config, &NoData)
    }

    /// An experiment whose bundled or uploaded files come from `files`.
    pub fn new_with(config: ExperimentConfig, files: &dyn DataSource) -> Result<Self> {
        config.validate()?;
        if config.task == super::TaskKind::Multilabel {
            return Err(EngineError::config(
                "task",
                "this trainer is the multi-class one; a multi-label config trains in `crate::multilabel::MultilabelExperiment` (the app's multi-label workspace, `imlab run`)",
            ));
        }
        let seed = config.seed;
        let data = config
            .dataset
            .generate_with(&mut Rng::stream(seed, "data"), files)?;
        let split = stratified_split(&data, config.test_fraction, &mut Rng::stream(seed, "split"))?;
        // The user's point edits change the training split only; the test split is the seed's.
        let (mut train, edits) = config.dataset.edits.apply(data.select(&split.train))?;
        // Pseudo-labels: the unlabeled pool is withheld from the training split before anything
        // else sees it (sampler, loss weights, prior, measures: all from the labeled rows).
        let pseudo = config.schedule.second_stage.as_ref().map(|s| s.method)
            == Some(SecondStageMethod::PseudoLabels);
        let pool = if pseudo {
            let s = config
                .schedule
                .second_stage
                .as_ref()
                .expect("checked above");
            let (labeled, pool) = withhold_pool(
                &train.y,
                train.n_classes,
                s.unlabeled_fraction(),
                &mut Rng::stream(seed, "unlabeled_pool"),
            );
            let pool = train.select(&pool);
            train = train.select(&labeled);
            pool
        } else {
            Dataset::new(Vec::new(), Vec::new(), train.n_features, train.n_classes)
        };
        let test = data.select(&split.test);
        let resampled = config
            .sampler
            .apply(&train, &mut Rng::stream(seed, "sampler"))?;
        let n_train = resampled.data.len();
        let counts = resampled.data.class_counts();
        let loss = config.loss.build(&counts)?;
        let deferred_loss = match &config.schedule.drw {
            Some(d) => Some(loss.reweighted(&d.weights.compute(&counts)?)?),
            None => None,
        };
        // cRT and the other head-only stages train with plain cross-entropy; pseudo-labels go on
        // with the configured loss over the whole network.
        let stage2_loss = if pseudo {
            config.loss.build(&counts)?
        } else {
            LossSpec::CrossEntropy.build(&counts)?
        };
        let train_counts = train.class_counts();
        let prior = if config.posthoc == PostHoc::None {
            let total = train.len().max(1) as f64;
            train_counts.iter().map(|&n| n as f64 / total).collect()
        } else {
            training_prior(&train_counts)?
        };
        let mut model = Mlp::new(
            &config.model,
            data.n_features,
            data.n_classes,
            &mut Rng::stream(seed, "init"),
        );
        if let Some(b) = loss.output_bias_init() {
            model.set_output_bias(b as f32);
        }
        let batch = config.batch_size.min(n_train).max(1);
        let steps_per_epoch = (n_train / batch).max(1) as u64;
        let mut train_x = resampled.data.x_f32();
        let mut train_y = resampled.data.y.clone();
        let second_rows = match config.schedule.second_stage.as_ref().map(|s| s.method) {
            Some(SecondStageMethod::ClassifierRetraining) => {
                let present = counts.iter().filter(|&&n| n > 0).count();
                present * counts.iter().copied().max().unwrap_or(0)
            }
            // Real plus virtual rows: every present class of the original split topped up to the
            // largest class.
            Some(SecondStageMethod::VirtualFeatureCalibration) => {
                let present = train_counts.iter().filter(|&&n| n > 0).count();
                present * train_counts.iter().copied().max().unwrap_or(0)
            }
            Some(SecondStageMethod::OutputFineTuning) => {
                train_x.extend(train.x_f32());
                train_y.extend_from_slice(&train.y);
                train.len()
            }
            // The training rows plus at most the whole pool (the accepted share is known only
            // when stage 2 begins; an epoch of fewer rows cycles through them).
            Some(SecondStageMethod::PseudoLabels) => n_train + pool.len(),
            None => 0,
        };
        let plan = StagePlan::new(
            &config.schedule,
            config.epochs,
            steps_per_epoch,
            (second_rows / batch).max(1) as u64,
        );
        let opt_state = vec![0.0; model.n_params() * config.optimizer.state_per_param()];
        let adversarial = match &config.adversarial {
            Some(a) => Some(AdversarialTrainer::new(
                a,
                &train.x_f32(),
                train.n_features,
                &counts,
                seed,
            )?),
            None => None,
        };
        Ok(Experiment {
            original_train_x: train.x_f32(),
            minority_flags: minority_classes(&train_counts),
            feature_ws: MlpWorkspace::default(),
            collapse_ws: CollapseWorkspace::default(),
            adversarial,
            vfc_x: Vec::new(),
            vfc_y: Vec::new(),
            vfc_real: 0,
            pool_x: pool.x_f32(),
            pool,
            pseudo_report: None,
            head_model: None,
            head_ws: MlpWorkspace::default(),
            train_x,
            train_y,
            test_x: test.x_f32(),
            batch_rng: Rng::stream(seed, "batches"),
            grad: vec![0.0; model.n_params()],
            backup: Vec::new(),
            opt_backup: Vec::new(),
            batch_rows: Vec::new(),
            batch_x: Vec::new(),
            batch_y: Vec::new(),
            dlogits: Vec::new(),
            ws: MlpWorkspace::default(),
            epoch_rows: None,
            epoch_losses: Vec::new(),
            last_epoch_loss: None,
            history: Vec::new(),
            step: 0,
            batch,
            opt_state,
            model,
            loss,
            deferred_loss,
            stage2_loss,
            prior,
            plan,
            in_stage2: false,
            resampled,
            train,
            test,
            edits,
            data,
            config,
        })
    }

    pub fn config(&self) -> &ExperimentConfig {
        &self.config
    }

    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// Mini-batch size actually used (the configured one, capped by the training-set size).
    pub fn batch_size(&self) -> usize {
        self.batch
    }

    /// Steps per epoch of stage 1 (stage 2's are in [`Self::plan`]).
    pub fn steps_per_epoch(&self) -> u64 {
        self.plan.steps_per_epoch
    }

    /// The run's timetable: epochs, DRW start, second stage.
    pub fn plan(&self) -> &StagePlan {
        &self.plan
    }

    /// Training rows of every stage as f32, row-major: the resampled training set first (rows
    /// `0..resampled.data.len()`), then, for two-phase training, the original training split.
    pub fn train_x(&self) -> &[f32] {
        &self.train_x
    }

    /// Labels of the rows of [`Self::train_x`].
    pub fn train_y(&self) -> &[usize] {
        &self.train_y
    }

    pub fn test_x(&self) -> &[f32] {
        &self.test_x
    }

    /// Class prior of the training split before resampling (what post-hoc corrections divide by).
    pub fn training_prior(&self) -> &[f64] {
        &self.prior
    }

    pub fn state(&self) -> TrainState {
        TrainState {
            step: self.step,
            params: self.model.params.clone(),
            opt_state: self.opt_state.clone(),
        }
    }

    /// The loss used by step `step` (the DRW switch and the second stage change it).
    pub fn loss_at(&self, step: u64) -> &Loss {
        pick_loss(
            &self.plan,
            &self.loss,
            self.deferred_loss.as_ref(),
            &self.stage2_loss,
            step,
        )
    }

    /// The loss built from the configuration (stage 1, before any DRW switch).
    pub fn loss(&self) -> &Loss {
        &self.loss
    }

    /// Learning rate and bias corrections of step `step` (0-based): the schedule's factor times the
    /// base rate, with the optimizer's step count restarted at the second stage.
    pub fn step_scalars(&self, step: u64) -> StepScalars {
        let (factor, t) = self.plan.lr_factor_and_t(step, &self.config.schedule.lr);
        self.config.optimizer.scheduled_scalars(t, factor)
    }

    /// Parameters updated by step `step`: all of them, or only the output layer in stage 2.
    pub fn trainable_range(&self, step: u64) -> Range<usize> {
        let whole_network =
            self.plan.second.map(|s| s.method) == Some(SecondStageMethod::PseudoLabels);
        if self.plan.position(step).stage == 2 && !whole_network {
            self.model.output_layer_range()
        } else {
            0..self.model.n_params()
        }
    }

    /// First step of the second stage, if there is one.
    pub fn stage_boundary(&self) -> Option<u64> {
        self.plan.second.map(|s| s.start)
    }

    /// Rows of [`Self::train_x`] used by step `step` (0-based). Stage 1: each epoch is a fresh
    /// permutation of the resampled rows from the `batches` stream, the remainder that does not fill
    /// a batch dropped (PyTorch's `drop_last=True`), so every step has the same batch size, which the
    /// GPU kernels rely on. Stage 2: class-aware epochs (cRT) or permutations of the original
    /// training rows (two-phase), cycled if shorter than a batch.
    pub fn batch_indices(&mut self, step: u64) -> Vec<u32> {
        let mut rows = Vec::with_capacity(self.batch);
        self.batch_indices_into(step, &mut rows);
        rows
    }

    /// [`Self::batch_indices`] into a buffer the caller keeps (the CPU path allocates nothing per step).
    fn batch_indices_into(&mut self, step: u64, out: &mut Vec<u32>) {
        let pos = self.plan.position(step);
        let key = (pos.stage, pos.epoch);
        if self.epoch_rows.as_ref().map(|(k, _)| *k) != Some(key) {
            let rows = self.epoch_rows_for(pos.stage, pos.epoch);
            self.epoch_rows = Some((key, rows));
        }
        let rows = &self.epoch_rows.as_ref().expect("set above").1;
        let spe = match (pos.stage, self.plan.second) {
            (2, Some(s)) => s.steps_per_epoch,
            _ => self.plan.steps_per_epoch,
        };
        let within = (pos.local_step % spe) as usize;
        out.clear();
        out.extend((within * self.batch..(within + 1) * self.batch).map(|i| rows[i % rows.len()]));
    }

    fn epoch_rows_for(&self, stage: u8, epoch: u64) -> Vec<u32> {
        let n_res = self.resampled.data.len();
        let method = self.plan.second.map(|s| s.method);
        match (stage, method) {
            (2, Some(SecondStageMethod::ClassifierRetraining)) => class_aware_epoch(
                &self.resampled.data.y,
                self.data.n_classes,
                CRT_ROWS_PER_CLASS,
                &mut self.batch_rng.fork("crt_epoch", epoch),
            ),
            (2, Some(SecondStageMethod::VirtualFeatureCalibration)) => self
                .batch_rng
                .fork("vfc_epoch", epoch)
                .permutation(self.vfc_y.len().max(1))
                .into_iter()
                .map(|i| i as u32)
                .collect(),
            (2, Some(SecondStageMethod::PseudoLabels)) => self
                .batch_rng
                .fork("pseudo_label_epoch", epoch)
                .permutation(self.train_y.len().max(1))
                .into_iter()
                .map(|i| i as u32)
                .collect(),
            (2, Some(SecondStageMethod::OutputFineTuning)) => self
                .batch_rng
                .fork("fine_tune_epoch", epoch)
                .permutation(self.train.len())
                .into_iter()
                .map(|i| (n_res + i) as u32)
                .collect(),
            _ => self
                .batch_rng
                .fork("epoch", epoch)
                .permutation(n_res)
                .into_iter()
                .map(|i| i as u32)
                .collect(),
        }
    }

    /// Enters stage 2 when the run has reached it: cRT re-initialises the output layer; both
    /// methods start a fresh optimizer state over the output layer only.
    fn enter_stage_if_due(&mut self) {
        let Some(s) = self.plan.second else { return };
        if self.in_stage2 || self.step < s.start {
            return;
        }
        if s.method == SecondStageMethod::ClassifierRetraining {
            self.model
                .reinit_output_layer(&mut Rng::stream(self.config.seed, "crt_init"));
        }
        if s.method == SecondStageMethod::VirtualFeatureCalibration {
            self.prepare_virtual_features();
            self.model
                .reinit_output_layer(&mut Rng::stream(self.config.seed, "vfc_init"));
        }
        if s.method == SecondStageMethod::PseudoLabels {
            self.prepare_pseudo_labels();
        }
        let n = self.trainable_range(self.step).len();
        self.opt_state = vec![0.0; n * self.config.optimizer.state_per_param()];
        self.in_stage2 = true;
    }

    /// One optimizer step on the CPU path. Returns the mini-batch loss. On a non-finite loss or
    /// parameters the step is undone and `Diverged` returned: the state stays the last good one.
    pub fn train_step(&mut self) -> Result<f64> {
        self.enter_stage_if_due();
        let step = self.step;
        if self.in_stage2 && self.head_model.is_some() {
            return self.head_step();
        }
        let mut idx = std::mem::take(&mut self.batch_rows);
        self.batch_indices_into(step, &mut idx);
        let d = self.resampled.data.n_features;
        let k = self.model.n_outputs();
        let n = idx.len();
        gather_labels(&self.train_y, &idx, &mut self.batch_y);
        gather_rows(&self.train_x, d, &idx, &mut self.batch_x);
        self.batch_rows = idx;
        let (xb, yb) = (&self.batch_x, &self.batch_y);
        let loss_fn = pick_loss(
            &self.plan,
            &self.loss,
            self.deferred_loss.as_ref(),
            &self.stage2_loss,
            step,
        );
        if let Some(adv) = self.adversarial.as_mut() {
            // Adversarial training (`crate::adversarial::training`): the mixed loss and its gradient.
            let loss = adv.value_and_grad(
                &self.model,
                loss_fn,
                xb,
                yb,
                step,
                &mut self.ws,
                &mut self.grad,
            )?;
            if !loss.is_finite() {
                return Err(self.diverged(loss));
            }
            return self.apply_gradient(step, loss);
        }
        let logits = self.model.forward(xb, n, &mut self.ws);
        self.dlogits.resize(n * k, 0.0);
        let loss = loss_fn.value_and_grad(logits, yb, k, &mut self.dlogits);
        if !loss.is_finite() {
            return Err(self.diverged(loss));
        }
        self.model
            .backward(xb, n, &self.dlogits, &mut self.ws, &mut self.grad);
        self.apply_gradient(step, loss)
    }

    /// The optimizer update of step `step` from `self.grad`, undone on non-finite parameters.
    fn apply_gradient(&mut self, step: u64, loss: f64) -> Result<f64> {
        self.backup.clone_from(&self.model.params);
        self.opt_backup.clone_from(&self.opt_state);
        let scalars = self.step_scalars(step);
        let range = self.trainable_range(step);
        self.config.optimizer.update_with(
            &mut self.model.params[range.clone()],
            &self.grad[range],
            &mut self.opt_state,
            scalars,
        );
        // A fold without early exit: vectorizes, and the parameters are nearly always all finite.
        let finite = (self.model.params.iter()).fold(true, |ok, p| ok & p.is_finite());
        if !finite {
            self.model.params.clone_from(&self.backup);
            self.opt_state.clone_from(&self.opt_backup);
            return Err(self.diverged(f64::INFINITY));
        }
        self.step += 1;
        self.record_losses(&[loss]);
        Ok(loss)
    }

    /// Stage 2 of virtual-feature calibration: the features of the original split with the stage-1
    /// model, class Gaussians, the tail classes' calibration, a class-balanced set of virtual
    /// features from the `virtual_features` stream, and the output layer as a model of its own.
    fn prepare_virtual_features(&mut self) {
        let Some(stage) = self.config.schedule.second_stage.clone() else {
            return;
        };
        let n = self.train.len();
        let d = self.model.feature_dim();
        let k = self.data.n_classes;
        let real = self.model.penultimate_features(&self.original_train_x, n);
        let stats = class_gaussians(&real, d, &self.train.y, k);
        let calibrated = calibrate(
            &stats,
            &self.minority_flags,
            stage.neighbors(),
            stage.alpha(),
        );
        let counts = self.train.class_counts();
        let mut rng = Rng::stream(self.config.seed, "virtual_features");
        // No Cholesky factor only for non-finite statistics (a diverged body): train on the real
        // features alone rather than on garbage.
        let (vx, vy) = draw_balanced(&calibrated, &counts, &mut rng).unwrap_or_default();
        self.vfc_real = n;
        self.vfc_x = real;
        self.vfc_x.extend_from_slice(&vx);
        self.vfc_y = self.train.y.clone();
        self.vfc_y.extend_from_slice(&vy);
        self.epoch_rows = None;
        let fan_out = self.model.n_outputs();
        self.head_model = Some(Mlp {
            layers: vec![LayerShape {
                fan_in: d,
                fan_out,
                w_offset: 0,
                b_offset: d * fan_out,
            }],
            activation: self.model.activation,
            head: Head::Linear,
            params: Vec::new(),
        });
    }

    /// Stage 2 of pseudo-labels: the stage-1 model labels the pool; rows at or above the confidence
    /// threshold join the training rows with their pseudo-label.
    fn prepare_pseudo_labels(&mut self) {
        let Some(stage) = self.config.schedule.second_stage.clone() else {
            return;
        };
        let k = self.data.n_classes;
        let probs = self.predict_proba(&self.pool_x, self.pool.len());
        let assigned = pseudo_label(&probs, k, stage.confidence());
        let d = self.pool.n_features;
        for (i, a) in assigned.iter().enumerate() {
            if let Some(c) = *a {
                self.train_x
                    .extend_from_slice(&self.pool_x[i * d..(i + 1) * d]);
                self.train_y.push(c);
            }
        }
        self.epoch_rows = None;
        self.pseudo_report = Some(PseudoLabelReport::new(
            &assigned,
            &self.pool.y,
            k,
            stage.confidence(),
        ));
    }

    /// What pseudo-labelling did to the pool, once stage 2 has begun (pseudo-labels only).
    pub fn pseudo_labels(&self) -> Option<&PseudoLabelReport> {
        self.pseudo_report.as_ref()
    }

    /// The virtual features of virtual-feature calibration (rows `n × feature_dim`, labels), once
    /// stage 2 has started: trained on, never evaluated. `None` for other methods or before.
    pub fn virtual_features(&self) -> Option<(&[f32], &[usize])> {
        self.head_model.as_ref()?;
        let d = self.model.feature_dim();
        Some((
            &self.vfc_x[self.vfc_real * d..],
            &self.vfc_y[self.vfc_real..],
        ))
    }

    /// One step of virtual-feature calibration's stage 2: the output layer trained on a batch of
    /// real and virtual feature vectors (the frozen body is not run).
    fn head_step(&mut self) -> Result<f64> {
        let step = self.step;
        let mut idx = std::mem::take(&mut self.batch_rows);
        self.batch_indices_into(step, &mut idx);
        let d = self.model.feature_dim();
        let k = self.model.n_outputs();
        let n = idx.len();
        gather_labels(&self.vfc_y, &idx, &mut self.batch_y);
        gather_rows(&self.vfc_x, d, &idx, &mut self.batch_x);
        self.batch_rows = idx;
        let range = self.model.output_layer_range();
        let mut head = self.head_model.take().expect("checked by the caller");
        head.params.clear();
        head.params
            .extend_from_slice(&self.model.params[range.clone()]);
        let logits = head.forward(&self.batch_x, n, &mut self.head_ws);
        self.dlogits.resize(n * k, 0.0);
        let loss = self
            .stage2_loss
            .value_and_grad(logits, &self.batch_y, k, &mut self.dlogits);
        if !loss.is_finite() {
            self.head_model = Some(head);
            return Err(self.diverged(loss));
        }
        head.backward(
            &self.batch_x,
            n,
            &self.dlogits,
            &mut self.head_ws,
            &mut self.grad[range.clone()],
        );
        self.head_model = Some(head);
        // The stage's trainable range is the output layer: the shared update applies.
        self.apply_gradient(step, loss)
    }

    fn diverged(&self, value: f64) -> EngineError {
        EngineError::Diverged {
            step: self.step + 1,
            value: format!("{value}"),
        }
    }

    /// Runs `n` CPU steps; stops at the first error.
    pub fn train_steps(&mut self, n: u64) -> Result<()> {
        for _ in 0..n {
            self.train_step()?;
        }
        Ok(())
    }

    /// Trains `config.epochs` epochs, then the second stage if configured, on the CPU path.
    pub fn train_to_end(&mut self) -> Result<()> {
        self.train_steps(self.plan.total_steps().saturating_sub(self.step))
    }

    /// Takes over state computed elsewhere (the GPU), with the mini-batch losses of the steps it ran.
    /// If the state reaches the stage boundary, the stage change is applied here; read
    /// [`Self::state`] back before continuing on the GPU.
    pub fn adopt(&mut self, state: TrainState, losses: &[f64]) -> Result<()> {
        if state.params.len() != self.model.n_params()
            || state.opt_state.len() != self.opt_state.len()
        {
            return Err(EngineError::Data(
                "the GPU returned state of the wrong size; staying on the last good state".into(),
            ));
        }
        if let Some(b) = self.stage_boundary() {
            if self.step < b && state.step > b {
                return Err(EngineError::Data(format!(
                    "the GPU ran past the stage boundary at step {b}; staying on the last good state"
                )));
            }
        }
        if let Some(bad) = losses.iter().find(|l| !l.is_finite()) {
            return Err(self.diverged(*bad));
        }
        if state.params.iter().any(|p| !p.is_finite()) {
            return Err(self.diverged(f64::NAN));
        }
        self.model.params = state.params;
        self.opt_state = state.opt_state;
        self.step = state.step;
        self.record_losses(losses);
        self.enter_stage_if_due();
        Ok(())
    }

    fn record_losses(&mut self, losses: &[f64]) {
        let first = self.step - losses.len() as u64;
        for (i, &l) in losses.iter().enumerate() {
            self.epoch_losses.push(l);
            let done = first + i as u64 + 1;
            if self.plan.ends_epoch(done) {
                let mean = self.epoch_losses.iter().sum::<f64>() / self.epoch_losses.len() as f64;
                self.epoch_losses.clear();
                self.last_epoch_loss = Some(mean);
                let probs = self.test_probabilities();
                let (cm, test_loss) = self.evaluate(&probs);
                let collapse = self.measure_collapse();
                self.history.push(EpochRecord {
                    epoch: self.plan.epochs_completed(done),
                    step: done,
                    train_loss: mean,
                    test_loss,
                    accuracy: cm.accuracy(),
                    balanced_accuracy: cm.balanced_accuracy(),
                    macro_f1: cm.f1_average(Average::Macro).value(),
                    minority_recall: cm.recall(self.minority_class()),
                    collapse,
                });
            }
        }
    }

    /// Neural-collapse measures of the current model (the trained one of the current stage, not
    /// the τ-normalised evaluation model: see `docs/representation.md`) on the original training
    /// split. `None` for an empty split.
    pub fn measure_collapse(&mut self) -> Option<CollapseMeasures> {
        let n = self.train.len();
        if n == 0 {
            return None;
        }
        let (classifiers, _) = self.model.classifier_vectors();
        let features =
            self.model
                .penultimate_features_in(&self.original_train_x, n, &mut self.feature_ws);
        Some(self.collapse_ws.measure(&CollapseInput {
            features,
            dim: self.model.feature_dim(),
            labels: &self.train.y,
            n_classes: self.data.n_classes,
            classifiers: &classifiers,
            minority: &self.minority_flags,
        }))
    }

    /// Which classes count as minority in the neural-collapse angles (training count at most half
    /// the largest).
    pub fn minority_flags(&self) -> &[bool] {
        &self.minority_flags
    }

    /// The post-hoc correction in force (`threshold` of older configs counts as one).
    pub fn posthoc(&self) -> PostHoc {
        match self.config.threshold {
            Some(threshold) => PostHoc::Threshold { threshold },
            None => self.config.posthoc.clone(),
        }
    }

    /// Predicted label for one row of probabilities, after the post-hoc correction.
    pub fn decide(&self, probs: &[f32]) -> usize {
        self.posthoc().decide(probs, &self.prior)
    }

    /// Changes the post-hoc decision rule without touching the model or the data: later snapshots
    /// and epoch records decide with it. The config is updated so a link carries the rule (the old
    /// `threshold` field is cleared: `posthoc` says it all).
    pub fn set_posthoc(&mut self, posthoc: PostHoc) -> Result<()> {
        posthoc.validate(self.data.n_classes)?;
        let train_counts = self.train.class_counts();
        self.prior = if posthoc == PostHoc::None {
            let total = self.train.len().max(1) as f64;
            train_counts.iter().map(|&n| n as f64 / total).collect()
        } else {
            training_prior(&train_counts)?
        };
        self.config.posthoc = posthoc;
        self.config.threshold = None;
        Ok(())
    }

    /// The class with the fewest rows in the training split before resampling (lowest index on
    /// ties): whose recall the per-epoch "minority recall" follows.
    pub fn minority_class(&self) -> usize {
        let counts = self.train.class_counts();
        (0..counts.len())
            .min_by_key(|&c| (counts[c], c))
            .unwrap_or(0)
    }

    /// Confusion matrix of `labels` against the decisions on `probs` (`labels.len() × K`).
    pub fn confusion_of(&self, labels: &[usize], probs: &[f32]) -> ConfusionMatrix {
        let k = self.data.n_classes;
        let pred: Vec<usize> = probs.chunks(k).map(|p| self.decide(p)).collect();
        ConfusionMatrix::new(labels, &pred, k)
    }

    /// Class probabilities of the original training split (no resampled or synthetic rows).
    pub fn train_probabilities(&self) -> Vec<f32> {
        self.predict_proba(&self.train.x_f32(), self.train.len())
    }

    fn evaluate(&self, test_probs: &[f32]) -> (ConfusionMatrix, f64) {
        let k = self.data.n_classes;
        let cm = self.confusion_of(&self.test.y, test_probs);
        let loss = self
            .test
            .y
            .iter()
            .enumerate()
            .map(|(i, &y)| -crate::math::ln(f64::from(test_probs[i * k + y]).max(1e-12)))
            .sum::<f64>()
            / self.test.len().max(1) as f64;
        (cm, loss)
    }

    /// The model used for evaluation: τ-normalised when configured.
    pub fn evaluation_model(&self) -> Mlp {
        match self.config.tau_normalization {
            Some(tau) => self.model.tau_normalized(tau),
            None => self.model.clone(),
        }
    }

    /// Class probabilities of `n` rows of `x`: softmax of the evaluation model's logits times the
    /// loss's prediction scale (LDAM's s; 1 otherwise).
    pub fn predict_proba(&self, x: &[f32], n: usize) -> Vec<f32> {
        let scale = self.loss.prediction_scale() as f32;
        let model = self.evaluation_model();
        let mut ws = MlpWorkspace::default();
        let mut out = model.forward(x, n, &mut ws).to_vec();
        let k = model.n_outputs();
        for row in out.chunks_mut(k) {
            if scale != 1.0 {
                row.iter_mut().for_each(|v| *v *= scale);
            }
            softmax_in_place(row);
        }
        out
    }

    /// Test-split class probabilities on the CPU path.
    pub fn test_probabilities(&self) -> Vec<f32> {
        self.predict_proba(&self.test_x, self.test.len())
    }

    /// The snapshot from test probabilities computed anywhere (CPU, or the GPU's batched prediction).
    pub fn snapshot_from_probabilities(&self, test_probs: &[f32]) -> Snapshot {
        self.snapshot_with_train(test_probs, None)
    }

    /// As [`Self::snapshot_from_probabilities`], with the training split's probabilities (original
    /// rows only) for the training confusion matrix. Every metric is computed on the test split.
    pub fn snapshot_with_train(&self, test_probs: &[f32], train_probs: Option<&[f32]>) -> Snapshot {
        let (cm, test_loss) = self.evaluate(test_probs);
        let train_confusion = train_probs
            .filter(|p| p.len() == self.train.len() * self.data.n_classes)
            .map(|p| self.confusion_of(&self.train.y, p));
        let per_class = (0..self.data.n_classes)
            .map(|c| ClassScores {
                class: c,
                precision: cm.precision(c),
                recall: cm.recall(c),
                f1: cm.f1(c),
                support: cm.support(c),
            })
            .collect();
        let train_loss = if self.epoch_losses.is_empty() {
            self.last_epoch_loss
        } else {
            Some(self.epoch_losses.iter().sum::<f64>() / self.epoch_losses.len() as f64)
        };
        Snapshot {
            step: self.step,
            epoch: self.plan.epochs_completed(self.step),
            train_loss,
            test_loss,
            accuracy: cm.accuracy(),
            balanced_accuracy: cm.balanced_accuracy(),
            macro_f1: cm.f1_average(Average::Macro).value(),
            g_mean: cm.g_mean_multiclass(0.0).value(),
            mcc: cm.mcc().value(),
            minority_class: self.minority_class(),
            train_confusion,
            per_class,
            confusion: cm,
            train_counts: self.train.class_counts(),
            resampled_counts: self.resampled.data.class_counts(),
            test_counts: self.test.class_counts(),
            history: self.history.clone(),
            robust: (self.config.robust_eval.as_ref()).map(|a| self.robust_evaluation(a)),
            pseudo_labels: self.pseudo_report.clone(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_from_probabilities(&self.test_probabilities())
    }
}

/// `out[i] = y[rows[i]]`. A loop of plain loads: the rows are random, and the processor overlaps
/// the cache misses best when nothing else (a call, a dependent store) sits between them.
fn gather_labels(y: &[usize], rows: &[u32], out: &mut Vec<usize>) {
    out.clear();
    out.extend(rows.iter().map(|&i| y[i as usize]));
}

/// Copies the feature rows `rows` of `x` (row-major, `d` columns) into `out`. Small widths are
/// copied as fixed-size arrays: a `memcpy` call per 8-byte row would cost more than the copy.
fn gather_rows(x: &[f32], d: usize, rows: &[u32], out: &mut Vec<f32>) {
    fn fixed<const D: usize>(x: &[f32], rows: &[u32], out: &mut [f32]) {
        for (o, &i) in out.chunks_exact_mut(D).zip(rows) {
            let src: &[f32; D] = x[i as usize * D..][..D].try_into().expect("D floats");
            o.copy_from_slice(src);
        }
    }
    out.resize(rows.len() * d, 0.0);
    match d {
        1 => fixed::<1>(x, rows, out),
        2 => fixed::<2>(x, rows, out),
        3 => fixed::<3>(x, rows, out),
        4 => fixed::<4>(x, rows, out),
        _ => {
            for (o, &i) in out.chunks_exact_mut(d).zip(rows) {
                o.copy_from_slice(&x[i as usize * d..][..d]);
            }
        }
    }
}

fn pick_loss<'a>(
    plan: &StagePlan,
    base: &'a Loss,
    deferred: Option<&'a Loss>,
    stage2: &'a Loss,
    step: u64,
) -> &'a Loss {
    if plan.position(step).stage == 2 {
        stage2
    } else if plan.uses_deferred_weights(step) {
        deferred.unwrap_or(base)
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_experiment_learns_and_is_deterministic() {
        let cfg = ExperimentConfig::default();
        let mut a = Experiment::new(cfg.clone()).unwrap();
        let mut b = Experiment::new(cfg).unwrap();
        a.train_steps(300).unwrap();
        b.train_steps(300).unwrap();
        assert_eq!(a.state(), b.state());
        let s = a.snapshot();
        assert_eq!(s.confusion.total() as usize, a.test.len());
        // Plain CE on 1:10 data learns the majority well and the minority only partly: the lesson the
        // app teaches. Both must be clearly better than chance.
        assert!(s.accuracy.unwrap() > 0.9, "{s:?}");
        assert!(s.balanced_accuracy.unwrap() > 0.65, "{s:?}");
        assert!(!s.history.is_empty());
    }

    #[test]
    fn every_epoch_records_collapse_measures_on_the_original_split() {
        let cfg = ExperimentConfig {
            sampler: crate::resample::SamplerSpec::Smote(Default::default()),
            ..Default::default()
        };
        let mut e = Experiment::new(cfg).unwrap();
        e.train_steps(e.steps_per_epoch() * 2).unwrap();
        let history = e.snapshot().history;
        assert_eq!(history.len(), 2);
        let last = history[1].collapse.clone().expect("measured");
        // The same numbers from the original rows directly (synthetic rows would change the means).
        let model = e.model().clone();
        let features = model.penultimate_features(&e.train.x_f32(), e.train.len());
        let (w, _) = model.classifier_vectors();
        let direct = crate::representation::collapse_measures(&CollapseInput {
            features: &features,
            dim: model.feature_dim(),
            labels: &e.train.y,
            n_classes: 2,
            classifiers: &w,
            minority: e.minority_flags(),
        });
        assert_eq!(last, direct);
        assert!(last.nc1.unwrap() > 0.0 && last.nc3.is_some());
        assert_eq!(e.minority_flags(), &[false, true]);
        // One minority class: no pair, no angle.
        assert_eq!(last.minority_angle_classifiers, None);
        assert_ne!(history[0].collapse, history[1].collapse);
    }

    #[test]
    fn minority_ratio_sets_class_counts() {
        let s = Experiment::new(ExperimentConfig::default())
            .unwrap()
            .snapshot();
        let total: Vec<usize> = s
            .train_counts
            .iter()
            .zip(&s.test_counts)
            .map(|(a, b)| a + b)
            .collect();
        assert_eq!(total, vec![500, 50]);
    }

    #[test]
    fn huge_learning_rate_is_reported_not_hidden() {
        let mut cfg = ExperimentConfig::default();
        cfg.model.hidden = vec![256, 256, 256, 256];
        cfg.model.activation = crate::model::Activation::Gelu;
        cfg.optimizer = crate::optim::OptimizerSpec::Sgd {
            lr: 10.0,
            momentum: 0.99,
            weight_decay: 0.0,
            nesterov: false,
        };
        let mut e = Experiment::new(cfg).unwrap();
        let err = e.train_steps(200).unwrap_err();
        assert!(matches!(err, EngineError::Diverged { .. }), "{err}");
        assert!(e.state().params.iter().all(|p| p.is_finite()));
    }

    #[test]
    fn metrics_count_only_the_test_split_never_synthetic_rows() {
        let cfg = ExperimentConfig {
            sampler: crate::resample::SamplerSpec::Smote(Default::default()),
            ..Default::default()
        };
        let mut e = Experiment::new(cfg).unwrap();
        e.train_steps(40).unwrap();
        let n_synthetic = e
            .resampled
            .origin
            .iter()
            .filter(|o| matches!(o, crate::resample::Origin::Synthetic { .. }))
            .count();
        assert!(n_synthetic > 0);
        let train_probs = e.train_probabilities();
        let s = e.snapshot_with_train(&e.test_probabilities(), Some(&train_probs));
        // Test metrics: exactly the test rows.
        assert_eq!(s.confusion.total() as usize, e.test.len());
        let supports: Vec<usize> = (0..2).map(|c| s.confusion.support(c) as usize).collect();
        assert_eq!(supports, s.test_counts);
        // The training matrix: the original split only, synthetic rows excluded.
        let train_cm = s.train_confusion.unwrap();
        assert_eq!(train_cm.total() as usize, e.train.len());
        assert!(e.resampled.data.len() > e.train.len());
        // Headline metrics are defined and in range.
        for v in [s.macro_f1, s.g_mean, s.mcc, s.balanced_accuracy] {
            let v = v.unwrap();
            assert!((-1.0..=1.0).contains(&v), "{v}");
        }
        assert_eq!(s.minority_class, 1);
    }

    #[test]
    fn a_posthoc_change_redecides_without_retraining() {
        let mut e = Experiment::new(ExperimentConfig::default()).unwrap();
        e.train_steps(100).unwrap();
        let params = e.state();
        let probs = e.test_probabilities();
        let before = e.snapshot_from_probabilities(&probs);
        // A threshold of 0 predicts the minority everywhere: its recall becomes 1.
        e.set_posthoc(PostHoc::Threshold { threshold: 0.0 })
            .unwrap();
        let after = e.snapshot_from_probabilities(&probs);
        assert_eq!(e.state(), params, "the model is untouched");
        assert_eq!(after.per_class[1].recall, Some(1.0));
        assert_eq!(after.per_class[0].recall, Some(0.0));
        assert_ne!(before.confusion, after.confusion);
        assert_eq!(e.config().posthoc, PostHoc::Threshold { threshold: 0.0 });
        // Logit adjustment with τ = 0 is the arg-max again.
        e.set_posthoc(PostHoc::LogitAdjustment { tau: 0.0 })
            .unwrap();
        assert_eq!(
            e.snapshot_from_probabilities(&probs).confusion,
            before.confusion
        );
        // Invalid rules are refused and the old one kept.
        assert!(e
            .set_posthoc(PostHoc::Threshold { threshold: 1.5 })
            .is_err());
        assert_eq!(e.config().posthoc, PostHoc::LogitAdjustment { tau: 0.0 });
        // Training goes on with the same rule; epoch records carry the new per-epoch metrics.
        e.train_steps(e.steps_per_epoch() * 2).unwrap();
        let last = e.snapshot().history.last().cloned().unwrap();
        assert!(last.macro_f1.is_some() && last.minority_recall.is_some());
    }
}
