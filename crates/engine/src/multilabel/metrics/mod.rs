//! Multi-label metrics, exact to scikit-learn 1.9.1 on indicator matrices (fixtures:
//! `tools/fixtures/multilabel_metrics.py` → `tests/fixtures/multilabel_metrics.json`).
//!
//! Builds on the engine's [`crate::metrics`]: [`LabelIndicators`](crate::metrics::LabelIndicators),
//! [`Score`](crate::metrics::Score) with its `zero_division` reference values, Hamming loss and
//! Jaccard (`samples`, `macro`, `micro`), and the binary ROC AUC / AP. Added here: subset
//! accuracy, precision / recall / F1 under the four multi-label averages, weighted Jaccard, the
//! per-label report, the label-ranking metrics and per-label ROC AUC / AP with their averages.
//! Averages over labels run over all `L` labels, as the reference does for indicator input.

pub mod counts;
pub mod jaccard_weighted;
pub mod label_report;
pub mod label_scores;
pub mod per_label_curves;
pub mod precision_recall_f1;
pub mod ranking;
pub mod report;
pub mod subset_accuracy;

pub use jaccard_weighted::jaccard_weighted;
pub use label_report::{label_reports, LabelReport};
pub use label_scores::LabelScores;
pub use per_label_curves::CurveScore;
pub use precision_recall_f1::{f1, precision, recall, MultilabelAverage, SetScore};
pub use ranking::{coverage_error, label_ranking_average_precision, label_ranking_loss};
pub use report::{Averages, CurveAverages, RankingMetrics, SetMetrics};
pub use subset_accuracy::subset_accuracy;
