//! SMOTE + Tomek links — Batista, Bazzan, Monard, "Balancing training data for automated annotation
//! of keywords: a case study", WOB 2003; Batista, Prati, Monard, SIGKDD Explorations 6(1) (2004).
//! Reference: imbalanced-learn 0.14.2 `combine/_smote_tomek.py` (`SMOTETomek`); methods-spec.md
//! §A.17: SMOTE with the given strategy, then `TomekLinks(sampling_strategy='all')` on SMOTE's
//! output (both ends of every link go). Tested in `tests/over_samplers.rs`.

use serde::{Deserialize, Serialize};

use super::smote_enn::keep_rows;
use super::tomek_links::TomekLinks;
use super::{Resampled, SamplingStrategy, Smote};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmoteTomek {
    /// SMOTE's strategy (the Tomek step always cleans every class).
    pub sampling_strategy: SamplingStrategy,
    /// SMOTE's neighbours.
    pub k_neighbors: usize,
}

impl Default for SmoteTomek {
    fn default() -> Self {
        SmoteTomek {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 5,
        }
    }
}

impl SmoteTomek {
    fn smote(&self) -> Smote {
        Smote {
            sampling_strategy: self.sampling_strategy.clone(),
            k_neighbors: self.k_neighbors,
        }
    }

    pub fn validate(&self) -> Result<()> {
        self.smote().validate()
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let over = self.smote().apply(train, rng)?;
        let tomek = TomekLinks {
            sampling_strategy: SamplingStrategy::All,
        };
        let kept = tomek.sample_indices(&over.data)?;
        Ok(keep_rows(over, &kept, "Tomek links"))
    }
}
