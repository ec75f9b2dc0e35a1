//! The training benchmark's experiment, shared by the native (`imlab bench train`) and the browser
//! (`window.imlab.benchTrain`) runs so both time exactly the same work.

use super::{BackendChoice, ExperimentConfig};
use crate::dataset::{ClassCounts, DatasetSpec, Generator};
use crate::loss::LossSpec;
use crate::model::{Activation, Head, ModelSpec};
use crate::optim::OptimizerSpec;

/// Held-out share: small, so that the per-epoch evaluation stays a small part of the time, as in
/// scikit-learn's `fit`, which evaluates nothing.
pub const BENCH_TEST_FRACTION: f64 = 0.02;

/// Moons 1:10 (σ = 0.25) with `total_rows` rows in all, MLP 2→32→32→2 ReLU, cross-entropy, Adam at
/// scikit-learn's defaults (lr 0.001, β = (0.9, 0.999), ε = 1e-8) without weight decay, CPU path.
pub fn training_benchmark(total_rows: usize, epochs: usize, batch: usize) -> ExperimentConfig {
    let majority = (total_rows as f64 / 1.1).round() as usize;
    ExperimentConfig {
        seed: 7,
        dataset: DatasetSpec {
            generator: Generator::Moons,
            counts: ClassCounts::Ratio {
                majority,
                ratio: 0.1,
                classes: 2,
            },
            noise: 0.25,
            ..DatasetSpec::default()
        },
        test_fraction: BENCH_TEST_FRACTION,
        model: ModelSpec {
            hidden: vec![32, 32],
            activation: Activation::Relu,
            head: Head::Linear,
        },
        loss: LossSpec::CrossEntropy,
        optimizer: OptimizerSpec::Adam {
            lr: 0.001,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        },
        batch_size: batch,
        epochs,
        backend: BackendChoice::Cpu,
        ..ExperimentConfig::default()
    }
}

/// The multi-label benchmark: the 2-D multi-label generator with `total_rows` samples (5 labels,
/// exponential profile ρ = 10, cardinality 1.5, the generator's default), the same network and
/// optimizer as [`training_benchmark`] with one sigmoid output per label, binary cross-entropy
/// (mean over the known entries), CPU path. scikit-learn's `MLPClassifier` fits the same rows
/// with indicator targets (logistic outputs, binary log-loss).
pub fn multilabel_training_benchmark(
    total_rows: usize,
    epochs: usize,
    batch: usize,
) -> ExperimentConfig {
    use crate::multilabel::{MultilabelDataSpec, MultilabelGenerator, MultilabelSetup};
    let mut config =
        training_benchmark(total_rows, epochs, batch).switched_to(super::TaskKind::Multilabel);
    config.multilabel = Some(MultilabelSetup {
        data: MultilabelDataSpec::Generator(MultilabelGenerator {
            n_samples: total_rows,
            ..MultilabelGenerator::default()
        }),
        ..MultilabelSetup::default()
    });
    config
}
