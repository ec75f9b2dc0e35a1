//! Every multi-label metric of one prediction, for the CLI (`imlab metrics --multilabel`) and
//! later the app. Set-based metrics need hard predictions; ranking metrics need scores.

use serde::{Deserialize, Serialize};

use super::jaccard_weighted::jaccard_weighted;
use super::label_report::{label_reports, LabelReport};
use super::label_scores::LabelScores;
use super::per_label_curves::{self, CurveScore};
use super::precision_recall_f1::{averaged, MultilabelAverage, SetScore};
use super::ranking::{coverage_error, label_ranking_average_precision, label_ranking_loss};
use super::subset_accuracy::subset_accuracy;
use crate::metrics::{
    hamming_loss_multilabel, jaccard_multilabel, JaccardAverage, LabelIndicators, Score,
};
use crate::Result;

/// A score under each multi-label average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Averages {
    pub micro: Score,
    #[serde(rename = "macro")]
    pub macro_: Score,
    pub weighted: Score,
    pub samples: Score,
}

/// Metrics of hard predictions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetMetrics {
    pub hamming_loss: Score,
    pub subset_accuracy: Score,
    pub jaccard: Averages,
    pub precision: Averages,
    pub recall: Averages,
    pub f1: Averages,
    pub per_label: Vec<LabelReport>,
}

/// An area per label and averaged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveAverages {
    pub per_label: Vec<Score>,
    pub micro: Score,
    #[serde(rename = "macro")]
    pub macro_: Score,
    pub weighted: Score,
}

/// Metrics of scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingMetrics {
    pub label_ranking_average_precision: f64,
    pub coverage_error: f64,
    pub label_ranking_loss: f64,
    pub roc_auc: CurveAverages,
    pub average_precision: CurveAverages,
}

impl SetMetrics {
    pub fn compute(y_true: &LabelIndicators, y_pred: &LabelIndicators) -> Result<Self> {
        let set = |kind| -> Result<Averages> {
            Ok(Averages {
                micro: averaged(kind, y_true, y_pred, MultilabelAverage::Micro)?,
                macro_: averaged(kind, y_true, y_pred, MultilabelAverage::Macro)?,
                weighted: averaged(kind, y_true, y_pred, MultilabelAverage::Weighted)?,
                samples: averaged(kind, y_true, y_pred, MultilabelAverage::Samples)?,
            })
        };
        Ok(SetMetrics {
            hamming_loss: hamming_loss_multilabel(y_true, y_pred)?,
            subset_accuracy: subset_accuracy(y_true, y_pred)?,
            jaccard: Averages {
                micro: jaccard_multilabel(y_true, y_pred, JaccardAverage::Micro)?,
                macro_: jaccard_multilabel(y_true, y_pred, JaccardAverage::Macro)?,
                weighted: jaccard_weighted(y_true, y_pred)?,
                samples: jaccard_multilabel(y_true, y_pred, JaccardAverage::Samples)?,
            },
            precision: set(SetScore::Precision)?,
            recall: set(SetScore::Recall)?,
            f1: set(SetScore::F1)?,
            per_label: label_reports(y_true, y_pred)?,
        })
    }
}

impl RankingMetrics {
    pub fn compute(y_true: &LabelIndicators, scores: &LabelScores) -> Result<Self> {
        let curve = |kind| -> Result<CurveAverages> {
            Ok(CurveAverages {
                per_label: per_label_curves::per_label(kind, y_true, scores)?,
                micro: per_label_curves::averaged(kind, y_true, scores, MultilabelAverage::Micro)?,
                macro_: per_label_curves::averaged(kind, y_true, scores, MultilabelAverage::Macro)?,
                weighted: per_label_curves::averaged(
                    kind,
                    y_true,
                    scores,
                    MultilabelAverage::Weighted,
                )?,
            })
        };
        Ok(RankingMetrics {
            label_ranking_average_precision: label_ranking_average_precision(y_true, scores)?,
            coverage_error: coverage_error(y_true, scores)?,
            label_ranking_loss: label_ranking_loss(y_true, scores)?,
            roc_auc: curve(CurveScore::RocAuc)?,
            average_precision: curve(CurveScore::AveragePrecision)?,
        })
    }
}
