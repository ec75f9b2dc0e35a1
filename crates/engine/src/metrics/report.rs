//! Every metric of one evaluation in one serialisable struct, for the app's metrics panel and
//! `imlab metrics`. Each field names its reference function in its own module's docs.

use serde::{Deserialize, Serialize};

use super::averages::Average;
use super::calibration::{expected_calibration_error, Calibration, ECE_BINS};
use super::kappa::KappaWeights;
use super::log_loss::log_loss;
use super::per_class::{ClassReport, ReportAverages, IBA_ALPHA};
use super::precision_recall::{
    average_precision_binary, average_precision_macro, average_precision_per_class,
    precision_recall_curve, PrCurve,
};
use super::probabilities::Probabilities;
use super::roc::{
    roc_auc_binary, roc_auc_ovo, roc_auc_ovr, roc_auc_per_class, roc_curve, RocCurve,
};
use super::score::Score;
use super::top_k::top_k_accuracy;
use super::ConfusionMatrix;
use crate::{EngineError, Result};

/// Metrics computed from hard predictions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    pub n_samples: usize,
    pub n_classes: usize,
    /// `[truth][pred]` over classes `0..K`.
    pub confusion: ConfusionMatrix,
    /// imbalanced-learn's `classification_report_imbalanced` rows (pre, rec, spe, f1, geo, iba, sup)
    /// for every class `0..K`, α = 0.1.
    pub classes: Vec<ClassReport>,
    /// The report's support-weighted `avg / total` row.
    pub class_averages: ReportAverages,
    pub accuracy: Score,
    pub balanced_accuracy: Score,
    pub balanced_accuracy_adjusted: Score,
    pub precision_macro: Score,
    pub precision_weighted: Score,
    pub recall_macro: Score,
    pub recall_weighted: Score,
    pub f1_macro: Score,
    pub f1_weighted: Score,
    pub f1_micro: Score,
    /// imblearn `geometric_mean_score` default (`multiclass`, correction 0).
    pub g_mean: Score,
    /// imblearn `geometric_mean_score(average='macro')`.
    pub g_mean_macro: Score,
    /// imblearn `geometric_mean_score(average='binary')`, two-class problems only.
    pub g_mean_binary: Option<Score>,
    /// IBA (α = 0.1, squared) of the multiclass G-mean.
    pub iba: Score,
    pub mcc: Score,
    pub cohen_kappa: Score,
    pub cohen_kappa_linear: Score,
    pub cohen_kappa_quadratic: Score,
    pub jaccard_macro: Score,
    pub hamming_loss: Score,
    /// Ranking and calibration metrics; present when built from probabilities.
    pub probabilistic: Option<ProbabilisticMetrics>,
}

/// Metrics that need the scores, not only the decisions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbabilisticMetrics {
    /// The binary decision threshold on `p_1`, when one was given (else: most probable class).
    pub threshold: Option<f64>,
    /// Binary ROC AUC and AP of class 1 with scores `p_1` (two-class problems only).
    pub roc_auc: Option<Score>,
    pub average_precision: Option<Score>,
    /// One-vs-rest ROC AUC per class.
    pub roc_auc_per_class: Vec<Score>,
    pub roc_auc_ovr_macro: Score,
    pub roc_auc_ovr_weighted: Score,
    /// Hand & Till.
    pub roc_auc_ovo_macro: Score,
    pub roc_auc_ovo_weighted: Score,
    pub average_precision_per_class: Vec<Score>,
    pub average_precision_macro: Score,
    pub log_loss: Score,
    /// Top-k accuracy for k = 1, 2, 3, 5 below K.
    pub top_k_accuracy: Vec<TopK>,
    /// ECE with 15 bins and the reliability diagram.
    pub calibration: Calibration,
    /// ROC and PR curves: class 1 for two classes, every class (one-vs-rest) otherwise.
    pub curves: Vec<ClassCurves>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopK {
    pub k: usize,
    pub accuracy: Score,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCurves {
    pub class: usize,
    pub roc: RocCurve,
    pub precision_recall: PrCurve,
}

impl MetricsReport {
    /// Metrics of hard predictions over classes `0..k`.
    pub fn from_predictions(y_true: &[usize], y_pred: &[usize], k: usize) -> Result<Self> {
        if y_true.is_empty() {
            return Err(EngineError::Data("there are no samples".into()));
        }
        let cm = ConfusionMatrix::try_new(y_true, y_pred, k)?;
        Ok(Self::from_confusion(cm))
    }

    fn from_confusion(cm: ConfusionMatrix) -> Self {
        MetricsReport {
            n_samples: cm.total() as usize,
            n_classes: cm.n_classes,
            classes: cm.class_reports(IBA_ALPHA),
            class_averages: cm.report_averages(IBA_ALPHA),
            accuracy: cm.accuracy_score(),
            balanced_accuracy: cm.balanced_accuracy_score(false),
            balanced_accuracy_adjusted: cm.balanced_accuracy_score(true),
            precision_macro: cm.precision_average(Average::Macro),
            precision_weighted: cm.precision_average(Average::Weighted),
            recall_macro: cm.recall_average(Average::Macro),
            recall_weighted: cm.recall_average(Average::Weighted),
            f1_macro: cm.f1_average(Average::Macro),
            f1_weighted: cm.f1_average(Average::Weighted),
            f1_micro: cm.f1_average(Average::Micro),
            g_mean: cm.g_mean_multiclass(0.0),
            g_mean_macro: cm.g_mean_macro(),
            g_mean_binary: cm.g_mean_binary().ok(),
            iba: cm.iba_multiclass(IBA_ALPHA, 0.0),
            mcc: cm.mcc(),
            cohen_kappa: cm.cohen_kappa(KappaWeights::Unweighted),
            cohen_kappa_linear: cm.cohen_kappa(KappaWeights::Linear),
            cohen_kappa_quadratic: cm.cohen_kappa(KappaWeights::Quadratic),
            jaccard_macro: cm.jaccard_macro(),
            hamming_loss: cm.hamming_loss(),
            probabilistic: None,
            confusion: cm,
        }
    }

    /// Metrics of class probabilities (`n × K` row-major, f32 or f64). Decisions are the most
    /// probable class (ties: lowest class), or, with `threshold` (two classes only), class 1 where
    /// `p_1 ≥ threshold`. Every value must lie in [0, 1] and rows must sum to 1 (within the
    /// tolerance of scikit-learn's `np.allclose`).
    pub fn from_probabilities<T: Copy + Into<f64>>(
        y_true: &[usize],
        probs: &[T],
        threshold: Option<f64>,
    ) -> Result<Self> {
        if y_true.is_empty() {
            return Err(EngineError::Data("there are no samples".into()));
        }
        if !probs.len().is_multiple_of(y_true.len()) {
            return Err(EngineError::Data(format!(
                "{} probabilities do not form {} rows",
                probs.len(),
                y_true.len()
            )));
        }
        let k = probs.len() / y_true.len();
        if k < 2 {
            return Err(EngineError::Data(
                "probabilities need at least 2 columns (one per class)".into(),
            ));
        }
        let p = Probabilities::new(probs, k)?;
        p.check_unit_interval()?;
        p.check_rows_sum_to_one()?;
        let y_pred = match threshold {
            Some(t) => p.threshold(t)?,
            None => p.argmax(),
        };
        let mut report = Self::from_confusion(ConfusionMatrix::try_new(y_true, &y_pred, k)?);
        report.probabilistic = Some(ProbabilisticMetrics::new(y_true, &p, threshold)?);
        Ok(report)
    }
}

impl ProbabilisticMetrics {
    fn new(y_true: &[usize], p: &Probabilities, threshold: Option<f64>) -> Result<Self> {
        let k = p.n_classes;
        let positives = |c: usize| -> Vec<bool> { y_true.iter().map(|&y| y == c).collect() };
        let (roc_auc, average_precision) = if k == 2 {
            let (t, s) = (positives(1), p.column(1));
            (
                Some(roc_auc_binary(&t, &s)?),
                Some(average_precision_binary(&t, &s)?),
            )
        } else {
            (None, None)
        };
        let curve_classes: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let curves = curve_classes
            .into_iter()
            .map(|c| {
                let (t, s) = (positives(c), p.column(c));
                Ok(ClassCurves {
                    class: c,
                    roc: roc_curve(&t, &s, true)?,
                    precision_recall: precision_recall_curve(&t, &s, false)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ProbabilisticMetrics {
            threshold,
            roc_auc,
            average_precision,
            roc_auc_per_class: roc_auc_per_class(y_true, p)?,
            roc_auc_ovr_macro: roc_auc_ovr(y_true, p, Average::Macro)?,
            roc_auc_ovr_weighted: roc_auc_ovr(y_true, p, Average::Weighted)?,
            roc_auc_ovo_macro: roc_auc_ovo(y_true, p, Average::Macro)?,
            roc_auc_ovo_weighted: roc_auc_ovo(y_true, p, Average::Weighted)?,
            average_precision_per_class: average_precision_per_class(y_true, p)?,
            average_precision_macro: average_precision_macro(y_true, p)?,
            log_loss: log_loss(y_true, p)?,
            top_k_accuracy: [1, 2, 3, 5]
                .into_iter()
                .filter(|&kk| kk < k)
                .map(|kk| {
                    Ok(TopK {
                        k: kk,
                        accuracy: top_k_accuracy(y_true, p, kk)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
            calibration: expected_calibration_error(y_true, p, ECE_BINS)?,
            curves,
        })
    }
}
