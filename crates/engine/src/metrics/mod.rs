//! Metrics, exact to scikit-learn 1.9.1 / imbalanced-learn 0.14.2 (`methods-spec.md` §D).
//!
//! **Undefined vs reference values.** A metric that is 0/0 (or otherwise undefined) for the input is
//! [`Score::Undefined`] with a [`Reason`]; it is never a silent 0 or NaN. The same value carries
//! [`Reference`], what the reference library returns instead, so tests compare with it exactly:
//!
//! | case | engine | scikit-learn / imbalanced-learn |
//! |---|---|---|
//! | precision, recall, F1, specificity, Jaccard 0/0 | undefined | 0.0 (`zero_division='warn'`) |
//! | average with such a part (non-zero weight) | undefined | average of the substituted parts |
//! | class in neither `y_true` nor `y_pred` | undefined | omitted (`labels=None`) |
//! | G-mean with a class absent from `y_true` | undefined | 0.0 (its recall is set to 0) |
//! | MCC denominator 0 | undefined | 0.0 |
//! | Cohen's κ expected disagreement 0 | undefined | NaN |
//! | adjusted balanced accuracy, one class in `y_true` | undefined | NaN or −inf |
//! | ROC AUC, one class in `y_true` | undefined | NaN |
//! | AP without positives | undefined | 0.0 |
//! | OvR / OvO AUC, macro AP, class absent from `y_true` | undefined | raises `ValueError` |
//! | rows of P not summing to 1 (OvR / OvO AUC) | `Err` | raises `ValueError` |
//!
//! Averages over classes run over the classes present in `y_true` or `y_pred`, as the reference's
//! `labels=None`. Floating-point sums follow NumPy's pairwise order ([`summation`]).

pub mod averages;
pub mod calibration;
mod confusion;
pub mod geometric_mean;
pub mod hamming;
pub mod jaccard;
pub mod kappa;
pub mod label_indicators;
pub mod log_loss;
pub mod mcc;
pub mod per_class;
pub mod precision_recall;
pub mod probabilities;
pub mod report;
pub mod roc;
pub mod score;
pub mod summation;
pub mod threshold_counts;
pub mod top_k;

pub use averages::Average;
pub use calibration::{expected_calibration_error, Calibration, ReliabilityBin, ECE_BINS};
pub use confusion::ConfusionMatrix;
pub use hamming::hamming_loss_multilabel;
pub use jaccard::{jaccard_multilabel, jaccard_per_label, JaccardAverage};
pub use kappa::KappaWeights;
pub use label_indicators::LabelIndicators;
pub use log_loss::log_loss;
pub use per_class::{ClassReport, ReportAverages, IBA_ALPHA};
pub use precision_recall::{
    average_precision_binary, average_precision_macro, average_precision_per_class,
    precision_recall_curve, PrCurve,
};
pub use probabilities::Probabilities;
pub use report::{ClassCurves, MetricsReport, ProbabilisticMetrics, TopK};
pub use roc::{roc_auc_binary, roc_auc_ovo, roc_auc_ovr, roc_auc_per_class, roc_curve, RocCurve};
pub use score::{Reason, Reference, Score};
pub use top_k::top_k_accuracy;
