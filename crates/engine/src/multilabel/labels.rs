//! Multi-label targets with partial labels: an `n × L` matrix whose entries are positive, negative
//! or **unknown** (a positive that may never have been annotated, the "partial label" setting of
//! Durand et al., "Learning a Deep ConvNet for Multi-label Classification with Partial Labels",
//! CVPR 2019). Unknown is not negative: losses skip unknown entries and set-based metrics refuse
//! them (scikit-learn's metrics take complete indicator matrices only).
//!
//! Limits: at most [`MAX_LABELS`] labels in general (CSV import, the CLI) and
//! [`MAX_GENERATOR_LABELS`] for the 2-D generator, whose labels are regions of the plane.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::metrics::LabelIndicators;
use crate::EngineError;

/// Most labels a label matrix may have (CSV import, `imlab metrics --multilabel`).
pub const MAX_LABELS: usize = 64;
/// Most labels of the 2-D multi-label generator (and fewest: 2).
pub const MAX_GENERATOR_LABELS: usize = 8;

/// One entry of a label matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelEntry {
    Negative,
    Positive,
    /// Not annotated: neither positive nor negative.
    Unknown,
}

impl LabelEntry {
    /// Parses a CSV cell: `1` positive, `0` negative, `?` unknown (surrounding spaces ignored).
    pub fn parse(cell: &str) -> Option<Self> {
        match cell.trim() {
            "1" => Some(LabelEntry::Positive),
            "0" => Some(LabelEntry::Negative),
            "?" => Some(LabelEntry::Unknown),
            _ => None,
        }
    }

    pub fn is_known(self) -> bool {
        self != LabelEntry::Unknown
    }
}

/// Why a label matrix is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LabelMatrixError {
    #[error("there are no labels; give at least one label column")]
    NoLabels,
    #[error("{n_labels} labels is more than the limit of {max}; merge or drop rare labels")]
    TooManyLabels { n_labels: usize, max: usize },
    #[error("{len} label entries do not form rows of {n_labels} labels")]
    RaggedRows { len: usize, n_labels: usize },
    #[error("row {row} has {found} label entries but the first row has {expected}")]
    RowLength {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("there are no samples")]
    NoSamples,
    #[error(
        "label {label} has no positive sample; a label nobody carries cannot be learned: drop it or add positives"
    )]
    LabelWithoutPositive { label: usize },
    #[error("every label entry is unknown; at least some entries must be annotated 0 or 1")]
    AllUnknown,
    #[error(
        "{count} entries are unknown (first at row {row}, label {label}); this needs complete labels: annotate them 0 or 1"
    )]
    HasUnknown {
        count: usize,
        row: usize,
        label: usize,
    },
    #[error("y_true is {a_rows}×{a_labels} but the other matrix is {b_rows}×{b_labels}; give one row of labels per sample")]
    ShapeMismatch {
        a_rows: usize,
        a_labels: usize,
        b_rows: usize,
        b_labels: usize,
    },
}

impl From<LabelMatrixError> for EngineError {
    fn from(e: LabelMatrixError) -> Self {
        EngineError::Data(e.to_string())
    }
}

/// Which labels each sample carries, with unknown entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelMatrix {
    n_samples: usize,
    n_labels: usize,
    /// Row-major `entries[i * n_labels + l]`.
    entries: Vec<LabelEntry>,
}

impl LabelMatrix {
    /// A matrix of `entries.len() / n_labels` rows; at most `max_labels` labels.
    pub fn new(
        entries: Vec<LabelEntry>,
        n_labels: usize,
        max_labels: usize,
    ) -> Result<Self, LabelMatrixError> {
        if n_labels == 0 {
            return Err(LabelMatrixError::NoLabels);
        }
        if n_labels > max_labels {
            return Err(LabelMatrixError::TooManyLabels {
                n_labels,
                max: max_labels,
            });
        }
        if !entries.len().is_multiple_of(n_labels) {
            return Err(LabelMatrixError::RaggedRows {
                len: entries.len(),
                n_labels,
            });
        }
        Ok(LabelMatrix {
            n_samples: entries.len() / n_labels,
            n_labels,
            entries,
        })
    }

    /// From rows of equal length, limit [`MAX_LABELS`].
    pub fn from_rows(rows: &[Vec<LabelEntry>]) -> Result<Self, LabelMatrixError> {
        let l = rows.first().map_or(0, Vec::len);
        if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != l) {
            return Err(LabelMatrixError::RowLength {
                row,
                found: r.len(),
                expected: l,
            });
        }
        Self::new(rows.concat(), l, MAX_LABELS)
    }

    /// A complete matrix (no unknowns) from 0/1 indicators.
    pub fn from_indicators(y: &LabelIndicators) -> Self {
        LabelMatrix {
            n_samples: y.n_samples,
            n_labels: y.n_labels,
            entries: y
                .bits
                .iter()
                .map(|&b| {
                    if b {
                        LabelEntry::Positive
                    } else {
                        LabelEntry::Negative
                    }
                })
                .collect(),
        }
    }

    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    pub fn n_labels(&self) -> usize {
        self.n_labels
    }

    pub fn entries(&self) -> &[LabelEntry] {
        &self.entries
    }

    pub fn get(&self, i: usize, l: usize) -> LabelEntry {
        self.entries[i * self.n_labels + l]
    }

    pub fn row(&self, i: usize) -> &[LabelEntry] {
        &self.entries[i * self.n_labels..(i + 1) * self.n_labels]
    }

    /// Whether entry `(i, l)` is positive (unknown counts as not positive).
    pub fn is_positive(&self, i: usize, l: usize) -> bool {
        self.get(i, l) == LabelEntry::Positive
    }

    /// Positive entries of each label.
    pub fn positives_per_label(&self) -> Vec<usize> {
        let mut c = vec![0; self.n_labels];
        for row in self.entries.chunks(self.n_labels) {
            for (l, e) in row.iter().enumerate() {
                c[l] += usize::from(*e == LabelEntry::Positive);
            }
        }
        c
    }

    /// Number of unknown entries.
    pub fn unknown_count(&self) -> usize {
        self.entries.iter().filter(|e| !e.is_known()).count()
    }

    /// The rows `indices` in that order (duplicates allowed).
    pub fn select_rows(&self, indices: &[usize]) -> Self {
        let mut entries = Vec::with_capacity(indices.len() * self.n_labels);
        for &i in indices {
            entries.extend_from_slice(self.row(i));
        }
        LabelMatrix {
            n_samples: indices.len(),
            n_labels: self.n_labels,
            entries,
        }
    }

    /// Appends a row of `n_labels` entries.
    pub fn push_row(&mut self, row: &[LabelEntry]) -> Result<(), LabelMatrixError> {
        if row.len() != self.n_labels {
            return Err(LabelMatrixError::RowLength {
                row: self.n_samples,
                found: row.len(),
                expected: self.n_labels,
            });
        }
        self.entries.extend_from_slice(row);
        self.n_samples += 1;
        Ok(())
    }

    /// Checks what training needs: samples, some annotated entry, and a positive for every label.
    pub fn validate_for_training(&self) -> Result<(), LabelMatrixError> {
        if self.n_samples == 0 {
            return Err(LabelMatrixError::NoSamples);
        }
        if self.unknown_count() == self.entries.len() {
            return Err(LabelMatrixError::AllUnknown);
        }
        if let Some(label) = self.positives_per_label().iter().position(|&c| c == 0) {
            return Err(LabelMatrixError::LabelWithoutPositive { label });
        }
        Ok(())
    }

    /// The 0/1 indicators, refused when an entry is unknown (metrics need complete labels).
    pub fn to_indicators(&self) -> Result<LabelIndicators, LabelMatrixError> {
        if let Some(p) = self.entries.iter().position(|e| !e.is_known()) {
            return Err(LabelMatrixError::HasUnknown {
                count: self.unknown_count(),
                row: p / self.n_labels,
                label: p % self.n_labels,
            });
        }
        Ok(LabelIndicators {
            n_samples: self.n_samples,
            n_labels: self.n_labels,
            bits: self
                .entries
                .iter()
                .map(|&e| e == LabelEntry::Positive)
                .collect(),
        })
    }

    /// Checks that two matrices have the same shape.
    pub fn check_same_shape(&self, other: &LabelMatrix) -> Result<(), LabelMatrixError> {
        if self.n_samples != other.n_samples || self.n_labels != other.n_labels {
            return Err(LabelMatrixError::ShapeMismatch {
                a_rows: self.n_samples,
                a_labels: self.n_labels,
                b_rows: other.n_samples,
                b_labels: other.n_labels,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LabelEntry::{Negative as N, Positive as P, Unknown as U};

    #[test]
    fn shape_and_limits_are_checked() {
        assert_eq!(
            LabelMatrix::new(vec![], 0, MAX_LABELS),
            Err(LabelMatrixError::NoLabels)
        );
        assert_eq!(
            LabelMatrix::new(vec![P; 9], 9, MAX_GENERATOR_LABELS),
            Err(LabelMatrixError::TooManyLabels {
                n_labels: 9,
                max: 8
            })
        );
        assert_eq!(
            LabelMatrix::new(vec![P; 5], 2, MAX_LABELS),
            Err(LabelMatrixError::RaggedRows {
                len: 5,
                n_labels: 2
            })
        );
        assert_eq!(
            LabelMatrix::from_rows(&[vec![P, N], vec![P]]),
            Err(LabelMatrixError::RowLength {
                row: 1,
                found: 1,
                expected: 2
            })
        );
        let m = LabelMatrix::new(vec![P; 65 * 2], 65, MAX_LABELS);
        assert!(matches!(
            m,
            Err(LabelMatrixError::TooManyLabels { max: 64, .. })
        ));
    }

    #[test]
    fn training_validation_names_the_problem() {
        let m = LabelMatrix::from_rows(&[vec![P, N, U], vec![N, N, P]]).unwrap();
        assert_eq!(
            m.validate_for_training(),
            Err(LabelMatrixError::LabelWithoutPositive { label: 1 })
        );
        let all_unknown = LabelMatrix::from_rows(&[vec![U, U], vec![U, U]]).unwrap();
        assert_eq!(
            all_unknown.validate_for_training(),
            Err(LabelMatrixError::AllUnknown)
        );
        let ok = LabelMatrix::from_rows(&[vec![P, U], vec![N, P]]).unwrap();
        assert_eq!(ok.validate_for_training(), Ok(()));
        assert_eq!(ok.positives_per_label(), vec![1, 1]);
        let empty = LabelMatrix::new(vec![], 2, MAX_LABELS).unwrap();
        assert_eq!(
            empty.validate_for_training(),
            Err(LabelMatrixError::NoSamples)
        );
        let e: EngineError = LabelMatrixError::AllUnknown.into();
        assert!(e.to_string().contains("annotated"));
    }

    #[test]
    fn unknowns_block_indicators_and_round_trip_otherwise() {
        let m = LabelMatrix::from_rows(&[vec![P, N], vec![N, U]]).unwrap();
        assert_eq!(
            m.to_indicators(),
            Err(LabelMatrixError::HasUnknown {
                count: 1,
                row: 1,
                label: 1
            })
        );
        let c = LabelMatrix::from_rows(&[vec![P, N], vec![N, P]]).unwrap();
        let y = c.to_indicators().unwrap();
        assert_eq!(y.bits, vec![true, false, false, true]);
        assert_eq!(LabelMatrix::from_indicators(&y), c);
        assert_eq!(c.select_rows(&[1, 1]).row(1), &[N, P]);
        assert_eq!(LabelEntry::parse(" ? "), Some(U));
        assert_eq!(LabelEntry::parse("2"), None);
    }
}
