//! The data points as the decision-boundary picture draws them: the training split (as given to the
//! sampler), the test split, and the rows a sampler synthesized, which are drawn apart and never
//! evaluated.

use imlab_engine::dataset::Dataset;
use imlab_engine::resample::{Origin, Resampled};

/// One point: its first two features and its class.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub class: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    pub train: Vec<Mark>,
    pub test: Vec<Mark>,
    pub synthetic: Vec<Mark>,
}

impl Marks {
    pub fn new(train: &Dataset, test: &Dataset, resampled: &Resampled) -> Self {
        let synthetic = resampled
            .origin
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o, Origin::Synthetic { .. }))
            .map(|(i, _)| mark(&resampled.data, i))
            .collect();
        Marks {
            train: (0..train.len()).map(|i| mark(train, i)).collect(),
            test: (0..test.len()).map(|i| mark(test, i)).collect(),
            synthetic,
        }
    }
}

fn mark(data: &Dataset, i: usize) -> Mark {
    let row = data.row(i);
    Mark {
        x: row.first().copied().unwrap_or(0.0),
        y: row.get(1).copied().unwrap_or(0.0),
        class: data.y[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::{Experiment, ExperimentConfig};

    #[test]
    fn one_mark_per_row_and_no_synthetic_without_a_sampler() {
        let e = Experiment::new(ExperimentConfig::default()).unwrap();
        let m = Marks::new(&e.train, &e.test, &e.resampled);
        assert_eq!(m.train.len(), e.train.len());
        assert_eq!(m.test.len(), e.test.len());
        assert!(m.synthetic.is_empty());
        assert_eq!(m.train[3].class, e.train.y[3]);
        assert_eq!(m.test[0].x, e.test.row(0)[0]);
    }
}
