//! SMOTE + ENN — Batista, Prati, Monard, "A study of the behavior of several methods for balancing
//! machine learning training data", SIGKDD Explorations 6(1) (2004). Reference: imbalanced-learn
//! 0.14.2 `combine/_smote_enn.py` (`SMOTEENN`); methods-spec.md §A.17: SMOTE with the given
//! strategy, then `EditedNearestNeighbours(sampling_strategy='all')` on SMOTE's output, so every
//! class is cleaned, the minority and the synthetic rows included. Tested in
//! `tests/over_samplers.rs` (composition equals the two steps; counts near imblearn's, which depend
//! on SMOTE's draws).

use serde::{Deserialize, Serialize};

use super::edited_nearest_neighbours::{EditedNearestNeighbours, KindSel};
use super::{Resampled, SamplingStrategy, Smote};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmoteEnn {
    /// SMOTE's strategy (ENN always cleans every class).
    pub sampling_strategy: SamplingStrategy,
    /// SMOTE's neighbours.
    pub k_neighbors: usize,
    /// ENN's neighbours.
    pub n_neighbors: usize,
    /// ENN's rule.
    pub kind_sel: KindSel,
}

impl Default for SmoteEnn {
    fn default() -> Self {
        SmoteEnn {
            sampling_strategy: SamplingStrategy::Auto,
            k_neighbors: 5,
            n_neighbors: 3,
            kind_sel: KindSel::All,
        }
    }
}

impl SmoteEnn {
    fn smote(&self) -> Smote {
        Smote {
            sampling_strategy: self.sampling_strategy.clone(),
            k_neighbors: self.k_neighbors,
        }
    }

    fn enn(&self) -> EditedNearestNeighbours {
        EditedNearestNeighbours {
            sampling_strategy: SamplingStrategy::All,
            n_neighbors: self.n_neighbors,
            kind_sel: self.kind_sel,
        }
    }

    pub fn validate(&self) -> Result<()> {
        self.smote().validate()?;
        self.enn().validate()
    }

    pub fn apply(&self, train: &Dataset, rng: &mut Rng) -> Result<Resampled> {
        let over = self.smote().apply(train, rng)?;
        let kept = self.enn().sample_indices(&over.data)?;
        Ok(keep_rows(over, &kept, "ENN"))
    }
}

/// The rows `kept` of an over-sampled set, with their origins still pointing at the training split.
pub(crate) fn keep_rows(over: Resampled, kept: &[usize], cleaner: &str) -> Resampled {
    let mut diagnostics = over.diagnostics;
    let before = over.data.class_counts();
    let data = over.data.select(kept);
    let after = data.class_counts();
    for (c, (b, a)) in before.iter().zip(&after).enumerate() {
        if b != a {
            diagnostics.notes.push(format!(
                "class {c}: {cleaner} removed {} of the {b} rows after SMOTE",
                b - a
            ));
        }
    }
    Resampled {
        origin: kept.iter().map(|&i| over.origin[i]).collect(),
        data,
        diagnostics,
    }
}
