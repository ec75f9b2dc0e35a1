//! `Experiment`: prepares data, split, resampling and model from a config, and trains step by step on
//! the CPU path. The GPU backend runs the same schedule (`batch_indices`, `OptimizerSpec::scalars`)
//! and hands its state back through [`Experiment::adopt`].

use super::snapshot::{ClassScores, EpochRecord, Snapshot};
use super::ExperimentConfig;
use crate::dataset::{stratified_split, Dataset};
use crate::error::{EngineError, Result};
use crate::metrics::ConfusionMatrix;
use crate::model::{Mlp, MlpWorkspace};
use crate::resample::Resampled;
use crate::rng::Rng;

/// Model and optimizer state at a step: what the GPU reads back and the CPU path takes over.
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
    pub resampled: Resampled,
    train_x: Vec<f32>,
    test_x: Vec<f32>,
    model: Mlp,
    opt_state: Vec<f32>,
    step: u64,
    batch: usize,
    steps_per_epoch: u64,
    batch_rng: Rng,
    epoch_perm: Option<(u64, Vec<u32>)>,
    epoch_losses: Vec<f64>,
    last_epoch_loss: Option<f64>,
    history: Vec<EpochRecord>,
    ws: MlpWorkspace,
    grad: Vec<f32>,
    dlogits: Vec<f32>,
    backup: Vec<f32>,
}

impl Experiment {
    pub fn new(config: ExperimentConfig) -> Result<Self> {
        config.validate()?;
        let seed = config.seed;
        let data = config.dataset.generate(&mut Rng::stream(seed, "data"))?;
        let split = stratified_split(&data, config.test_fraction, &mut Rng::stream(seed, "split"))?;
        let train = data.select(&split.train);
        let test = data.select(&split.test);
        let resampled = config
            .sampler
            .apply(&train, &mut Rng::stream(seed, "sampler"))?;
        let n_train = resampled.data.len();
        let model = Mlp::new(
            &config.model,
            data.n_features,
            data.n_classes,
            &mut Rng::stream(seed, "init"),
        );
        let batch = config.batch_size.min(n_train).max(1);
        let opt_state = vec![0.0; model.n_params() * config.optimizer.state_per_param()];
        Ok(Experiment {
            train_x: resampled.data.x_f32(),
            test_x: test.x_f32(),
            steps_per_epoch: (n_train / batch).max(1) as u64,
            batch_rng: Rng::stream(seed, "batches"),
            grad: vec![0.0; model.n_params()],
            backup: Vec::new(),
            dlogits: Vec::new(),
            ws: MlpWorkspace::default(),
            epoch_perm: None,
            epoch_losses: Vec::new(),
            last_epoch_loss: None,
            history: Vec::new(),
            step: 0,
            batch,
            opt_state,
            model,
            resampled,
            train,
            test,
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

    pub fn steps_per_epoch(&self) -> u64 {
        self.steps_per_epoch
    }

    /// The (resampled) training features as f32, row-major.
    pub fn train_x(&self) -> &[f32] {
        &self.train_x
    }

    pub fn test_x(&self) -> &[f32] {
        &self.test_x
    }

    pub fn state(&self) -> TrainState {
        TrainState {
            step: self.step,
            params: self.model.params.clone(),
            opt_state: self.opt_state.clone(),
        }
    }

    /// Rows of the training set used by step `step` (0-based). Each epoch is a fresh permutation
    /// from the `batches` stream; the remainder that does not fill a batch is dropped (PyTorch's
    /// `drop_last=True`), so every step has the same batch size, which the GPU kernels rely on.
    pub fn batch_indices(&mut self, step: u64) -> Vec<u32> {
        let epoch = step / self.steps_per_epoch;
        let within = (step % self.steps_per_epoch) as usize;
        if self.epoch_perm.as_ref().map(|(e, _)| *e) != Some(epoch) {
            let perm = self
                .batch_rng
                .fork("epoch", epoch)
                .permutation(self.resampled.data.len())
                .into_iter()
                .map(|i| i as u32)
                .collect();
            self.epoch_perm = Some((epoch, perm));
        }
        let perm = &self.epoch_perm.as_ref().expect("set above").1;
        perm[within * self.batch..(within + 1) * self.batch].to_vec()
    }

    /// One optimizer step on the CPU path. Returns the mini-batch loss. On a non-finite loss or
    /// parameters the step is undone and `Diverged` returned: the state stays the last good one.
    pub fn train_step(&mut self) -> Result<f64> {
        let idx = self.batch_indices(self.step);
        let d = self.resampled.data.n_features;
        let k = self.model.n_outputs();
        let mut xb = Vec::with_capacity(idx.len() * d);
        let mut yb = Vec::with_capacity(idx.len());
        for &i in &idx {
            let i = i as usize;
            xb.extend_from_slice(&self.train_x[i * d..(i + 1) * d]);
            yb.push(self.resampled.data.y[i]);
        }
        let n = yb.len();
        let logits = self.model.forward(&xb, n, &mut self.ws);
        self.dlogits.resize(n * k, 0.0);
        let loss = self
            .config
            .loss
            .value_and_grad(logits, &yb, k, &mut self.dlogits);
        if !loss.is_finite() {
            return Err(self.diverged(loss));
        }
        self.model
            .backward(&xb, n, &self.dlogits, &mut self.ws, &mut self.grad);
        self.backup.clone_from(&self.model.params);
        let opt_backup = self.opt_state.clone();
        self.config.optimizer.update(
            &mut self.model.params,
            &self.grad,
            &mut self.opt_state,
            self.step + 1,
        );
        if self.model.params.iter().any(|p| !p.is_finite()) {
            self.model.params.clone_from(&self.backup);
            self.opt_state = opt_backup;
            return Err(self.diverged(f64::INFINITY));
        }
        self.step += 1;
        self.record_losses(&[loss]);
        Ok(loss)
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

    /// Trains `config.epochs` epochs on the CPU path (headless runs).
    pub fn train_to_end(&mut self) -> Result<()> {
        let total = self.config.epochs as u64 * self.steps_per_epoch;
        self.train_steps(total.saturating_sub(self.step))
    }

    /// Takes over state computed elsewhere (the GPU), with the mini-batch losses of the steps it ran.
    pub fn adopt(&mut self, state: TrainState, losses: &[f64]) -> Result<()> {
        if state.params.len() != self.model.n_params()
            || state.opt_state.len() != self.opt_state.len()
        {
            return Err(EngineError::Data(
                "the GPU returned state of the wrong size; staying on the last good state".into(),
            ));
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
        Ok(())
    }

    fn record_losses(&mut self, losses: &[f64]) {
        let first = self.step - losses.len() as u64;
        for (i, &l) in losses.iter().enumerate() {
            self.epoch_losses.push(l);
            let done = first + i as u64 + 1;
            if done.is_multiple_of(self.steps_per_epoch) {
                let mean = self.epoch_losses.iter().sum::<f64>() / self.epoch_losses.len() as f64;
                self.epoch_losses.clear();
                self.last_epoch_loss = Some(mean);
                let probs = self.model.predict_proba(&self.test_x, self.test.len());
                let (cm, test_loss) = self.evaluate(&probs);
                self.history.push(EpochRecord {
                    epoch: done / self.steps_per_epoch,
                    step: done,
                    train_loss: mean,
                    test_loss,
                    accuracy: cm.accuracy(),
                    balanced_accuracy: cm.balanced_accuracy(),
                });
            }
        }
    }

    /// Predicted label for one row of probabilities, honouring the binary threshold.
    pub fn decide(&self, probs: &[f32]) -> usize {
        if let (Some(t), 2) = (self.config.threshold, probs.len()) {
            return usize::from(f64::from(probs[1]) >= t);
        }
        let mut best = 0;
        for (c, &p) in probs.iter().enumerate() {
            if p > probs[best] {
                best = c;
            }
        }
        best
    }

    fn evaluate(&self, test_probs: &[f32]) -> (ConfusionMatrix, f64) {
        let k = self.data.n_classes;
        let pred: Vec<usize> = test_probs.chunks(k).map(|p| self.decide(p)).collect();
        let cm = ConfusionMatrix::new(&self.test.y, &pred, k);
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

    /// Test-split class probabilities on the CPU path.
    pub fn test_probabilities(&self) -> Vec<f32> {
        self.model.predict_proba(&self.test_x, self.test.len())
    }

    /// The snapshot from test probabilities computed anywhere (CPU, or the GPU's batched prediction).
    pub fn snapshot_from_probabilities(&self, test_probs: &[f32]) -> Snapshot {
        let (cm, test_loss) = self.evaluate(test_probs);
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
            epoch: self.step / self.steps_per_epoch,
            train_loss,
            test_loss,
            accuracy: cm.accuracy(),
            balanced_accuracy: cm.balanced_accuracy(),
            per_class,
            confusion: cm,
            train_counts: self.train.class_counts(),
            resampled_counts: self.resampled.data.class_counts(),
            test_counts: self.test.class_counts(),
            history: self.history.clone(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_from_probabilities(&self.test_probabilities())
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
        assert!(s.balanced_accuracy.unwrap() > 0.8, "{s:?}");
        assert!(!s.history.is_empty());
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
        };
        let mut e = Experiment::new(cfg).unwrap();
        let err = e.train_steps(200).unwrap_err();
        assert!(matches!(err, EngineError::Diverged { .. }), "{err}");
        assert!(e.state().params.iter().all(|p| p.is_finite()));
    }
}
