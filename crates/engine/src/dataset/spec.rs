//! What data an experiment uses: a generator with per-class counts and noise.

use serde::{Deserialize, Serialize};

use super::{blobs, moons, Dataset};
use crate::error::{EngineError, Result};
use crate::rng::Rng;

/// Largest number of rows a generated dataset may have; keeps any link from freezing the tab.
pub const MAX_ROWS: usize = 200_000;

/// The synthetic 2-D generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generator {
    /// Two interleaving half circles (two classes).
    Moons,
    /// Gaussian blobs with centres on a circle (2 to 10 classes).
    Blobs,
}

impl Generator {
    pub const ALL: [Generator; 2] = [Generator::Moons, Generator::Blobs];

    pub fn name(self) -> &'static str {
        match self {
            Generator::Moons => "moons",
            Generator::Blobs => "blobs",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.name() == s)
    }

    /// The class counts this generator supports.
    pub fn class_range(self) -> (usize, usize) {
        match self {
            Generator::Moons => (2, 2),
            Generator::Blobs => (2, 10),
        }
    }
}

/// How many samples each class gets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClassCounts {
    /// Explicit count per class.
    Explicit { counts: Vec<usize> },
    /// Class 0 has `majority` samples; every other class has `round(majority × ratio)`, at least 1.
    /// `ratio` is minority:majority (0.1 means one minority sample per ten majority samples).
    Ratio {
        majority: usize,
        ratio: f64,
        classes: usize,
    },
}

impl ClassCounts {
    pub fn resolve(&self) -> Result<Vec<usize>> {
        match self {
            ClassCounts::Explicit { counts } => Ok(counts.clone()),
            ClassCounts::Ratio {
                majority,
                ratio,
                classes,
            } => {
                if !(ratio.is_finite() && *ratio > 0.0 && *ratio <= 1.0) {
                    return Err(EngineError::config(
                        "ratio",
                        format!("the minority:majority ratio must be in (0, 1], got {ratio}"),
                    ));
                }
                let minority = ((*majority as f64) * ratio).round().max(1.0) as usize;
                let mut v = vec![minority; *classes];
                if let Some(first) = v.first_mut() {
                    *first = *majority;
                }
                Ok(v)
            }
        }
    }
}

/// A generated dataset: generator, class sizes and feature noise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetSpec {
    pub generator: Generator,
    pub counts: ClassCounts,
    /// Standard deviation of the Gaussian noise added to each coordinate (moons), or of each blob.
    pub noise: f64,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec {
            generator: Generator::Moons,
            counts: ClassCounts::Ratio {
                majority: 500,
                ratio: 0.1,
                classes: 2,
            },
            noise: 0.25,
        }
    }
}

impl DatasetSpec {
    pub fn validate(&self) -> Result<Vec<usize>> {
        let counts = self.counts.resolve()?;
        let (lo, hi) = self.generator.class_range();
        if counts.len() < lo || counts.len() > hi {
            return Err(EngineError::config(
                "classes",
                format!(
                    "{} supports {lo} to {hi} classes, got {}",
                    self.generator.name(),
                    counts.len()
                ),
            ));
        }
        let total: usize = counts.iter().sum();
        if total > MAX_ROWS {
            return Err(EngineError::config(
                "counts",
                format!("at most {MAX_ROWS} rows can be generated, asked for {total}"),
            ));
        }
        if let Some((class, _)) = counts.iter().enumerate().find(|(_, &c)| c < 2) {
            return Err(EngineError::TooFewSamples {
                class,
                count: counts[class],
                needed: 2,
                what: "a train/test split".into(),
            });
        }
        if !(self.noise.is_finite() && (0.0..=5.0).contains(&self.noise)) {
            return Err(EngineError::config(
                "noise",
                format!("must be between 0 and 5, got {}", self.noise),
            ));
        }
        Ok(counts)
    }

    /// Generates the data from the `data` stream.
    pub fn generate(&self, rng: &mut Rng) -> Result<Dataset> {
        let counts = self.validate()?;
        Ok(match self.generator {
            Generator::Moons => moons([counts[0], counts[1]], self.noise, rng),
            Generator::Blobs => {
                let centers = super::blobs::circle_centers(counts.len(), 2.0);
                blobs(&counts, &centers, self.noise.max(1e-3), rng)
            }
        })
    }
}
