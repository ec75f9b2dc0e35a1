//! A metric value that is either defined or undefined with a reason, plus what the reference
//! implementation (scikit-learn 1.9.1 / imbalanced-learn 0.14.2) returns in the undefined case.
//!
//! The engine never turns 0/0 into a silent 0 or NaN. Where the reference substitutes a value
//! (`zero_division` → 0.0 with a warning, MCC → 0.0, ROC AUC → NaN), [`Score::reference`] gives that
//! substitute so that tests and users can compare with scikit-learn exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a metric has no value for this input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    /// There are no samples.
    NoSamples,
    /// Precision 0/0: nothing was predicted as these classes.
    NeverPredicted { classes: Vec<usize> },
    /// Recall / sensitivity 0/0, or a one-vs-rest ranking score without positives: these classes
    /// have no sample in `y_true`.
    AbsentFromTruth { classes: Vec<usize> },
    /// Specificity 0/0: every sample in `y_true` belongs to these classes (no negatives).
    NoNegatives { classes: Vec<usize> },
    /// The class occurs in neither `y_true` nor `y_pred`; the reference leaves it out.
    AbsentClass { class: usize },
    /// The score needs at least two classes in `y_true` (ROC AUC, adjusted balanced accuracy).
    SingleClassInTruth,
    /// MCC 0/0: `y_true` or `y_pred` holds a single class, so a correlation is undefined.
    ConstantLabels,
    /// Cohen's κ 0/0: the expected (chance) disagreement is zero.
    NoExpectedDisagreement,
    /// Jaccard 0/0: these samples (average `samples`) or labels (`macro`, `micro`) have an empty
    /// union of true and predicted labels.
    EmptyUnion { indices: Vec<usize> },
    /// Multi-label, average `samples`: these samples have no predicted label (precision 0/0).
    NoPredictedLabels { samples: Vec<usize> },
    /// Multi-label, average `samples`: these samples have no true label (recall 0/0).
    NoTrueLabels { samples: Vec<usize> },
    /// Multi-label F1 0/0: these labels (or samples, average `samples`) have neither a true nor a
    /// predicted positive.
    NoTrueNorPredicted { indices: Vec<usize> },
    /// Several of the above, from different parts of an average.
    Several { reasons: Vec<Reason> },
}

impl Reason {
    /// Merges reasons of the parts of an average into one (same kinds are joined).
    pub fn combine(reasons: Vec<Reason>) -> Option<Reason> {
        let mut merged: Vec<Reason> = Vec::new();
        for r in reasons {
            let joined = merged.iter_mut().any(|m| match (m, &r) {
                (Reason::NeverPredicted { classes: a }, Reason::NeverPredicted { classes: b })
                | (
                    Reason::AbsentFromTruth { classes: a },
                    Reason::AbsentFromTruth { classes: b },
                )
                | (Reason::NoNegatives { classes: a }, Reason::NoNegatives { classes: b })
                | (
                    Reason::NoPredictedLabels { samples: a },
                    Reason::NoPredictedLabels { samples: b },
                )
                | (Reason::NoTrueLabels { samples: a }, Reason::NoTrueLabels { samples: b })
                | (
                    Reason::NoTrueNorPredicted { indices: a },
                    Reason::NoTrueNorPredicted { indices: b },
                ) => {
                    for c in b {
                        if !a.contains(c) {
                            a.push(*c);
                        }
                    }
                    true
                }
                (m, r) => m == r,
            });
            if !joined {
                merged.push(r);
            }
        }
        match merged.len() {
            0 => None,
            1 => merged.pop(),
            _ => Some(Reason::Several { reasons: merged }),
        }
    }
}

fn list(v: &[usize]) -> String {
    v.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoSamples => write!(f, "there are no samples"),
            Reason::NeverPredicted { classes } => {
                write!(
                    f,
                    "class(es) {} never predicted: precision is 0/0",
                    list(classes)
                )
            }
            Reason::AbsentFromTruth { classes } => write!(
                f,
                "class(es) {} absent from y_true: recall / one-vs-rest score has no positives",
                list(classes)
            ),
            Reason::NoNegatives { classes } => write!(
                f,
                "every sample is class {}: specificity is 0/0",
                list(classes)
            ),
            Reason::AbsentClass { class } => {
                write!(f, "class {class} occurs in neither y_true nor y_pred")
            }
            Reason::SingleClassInTruth => write!(f, "y_true holds a single class"),
            Reason::ConstantLabels => write!(
                f,
                "y_true or y_pred holds a single class: the correlation is 0/0"
            ),
            Reason::NoExpectedDisagreement => write!(
                f,
                "expected disagreement is zero (y_true and y_pred are the same single class)"
            ),
            Reason::EmptyUnion { indices } => write!(
                f,
                "empty union of true and predicted labels at index(es) {}",
                list(indices)
            ),
            Reason::NoPredictedLabels { samples } => write!(
                f,
                "sample(s) {} have no predicted label: precision is 0/0",
                list(samples)
            ),
            Reason::NoTrueLabels { samples } => write!(
                f,
                "sample(s) {} have no true label: recall is 0/0",
                list(samples)
            ),
            Reason::NoTrueNorPredicted { indices } => write!(
                f,
                "index(es) {} have neither a true nor a predicted label: F1 is 0/0",
                list(indices)
            ),
            Reason::Several { reasons } => {
                let parts: Vec<String> = reasons.iter().map(ToString::to_string).collect();
                write!(f, "{}", parts.join("; "))
            }
        }
    }
}

/// What scikit-learn / imbalanced-learn returns where the engine reports "undefined".
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// A number substituted for the undefined value (e.g. `zero_division` → 0.0, MCC → 0.0), or,
    /// for an average, the average computed with those substitutes.
    Value(f64),
    /// NaN (e.g. `roc_auc_score` with one class in `y_true`, `cohen_kappa_score`'s default
    /// `replace_undefined_by=np.nan`).
    Nan,
    /// ±infinity (adjusted balanced accuracy with one class: a division by zero in NumPy).
    Infinite { negative: bool },
    /// The reference raises a `ValueError`.
    Raises,
    /// The reference leaves this entry out (a class in neither `y_true` nor `y_pred`).
    Omitted,
}

impl Reference {
    /// The substitute as a float (NaN and ±inf included); `None` where the reference raises or omits.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Reference::Value(v) => Some(v),
            Reference::Nan => Some(f64::NAN),
            Reference::Infinite { negative } => Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            Reference::Raises | Reference::Omitted => None,
        }
    }

    /// Classifies a float the reference would return (NaN / ±inf / finite).
    pub fn from_f64(v: f64) -> Self {
        if v.is_nan() {
            Reference::Nan
        } else if v.is_infinite() {
            Reference::Infinite { negative: v < 0.0 }
        } else {
            Reference::Value(v)
        }
    }
}

/// A metric value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    Defined(f64),
    Undefined {
        reason: Reason,
        reference: Reference,
    },
}

impl Score {
    pub fn undefined(reason: Reason, reference: Reference) -> Self {
        Score::Undefined { reason, reference }
    }

    /// The value; `None` when undefined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Score::Defined(v) => Some(*v),
            Score::Undefined { .. } => None,
        }
    }

    /// The number scikit-learn / imbalanced-learn returns for the same input: the value itself when
    /// defined, else the reference's substitute (NaN, ±inf included); `None` where it raises or omits.
    pub fn reference(&self) -> Option<f64> {
        match self {
            Score::Defined(v) => Some(*v),
            Score::Undefined { reference, .. } => reference.as_f64(),
        }
    }

    pub fn is_defined(&self) -> bool {
        matches!(self, Score::Defined(_))
    }

    /// Why the value is undefined.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Score::Defined(_) => None,
            Score::Undefined { reason, .. } => Some(reason),
        }
    }

    /// `num / den` with scikit-learn's `zero_division="warn"` substitute (0.0) when `den == 0`.
    pub(crate) fn ratio(num: f64, den: f64, reason: impl FnOnce() -> Reason) -> Self {
        if den == 0.0 {
            Score::undefined(reason(), Reference::Value(0.0))
        } else {
            Score::Defined(num / den)
        }
    }
}

/// Combines part scores into an aggregate: `f` receives the reference values of the parts (the
/// substitutes included). The aggregate is defined only if every part is; a part the reference
/// omits makes the aggregate omitted too.
pub(crate) fn aggregate(parts: &[&Score], f: impl FnOnce(&[f64]) -> Option<f64>) -> Score {
    if let Some(omitted) = parts.iter().find(|p| {
        matches!(
            p,
            Score::Undefined {
                reference: Reference::Omitted,
                ..
            }
        )
    }) {
        return (*omitted).clone();
    }
    let mut values = Vec::with_capacity(parts.len());
    let mut reasons = Vec::new();
    let mut raises = false;
    for p in parts {
        match p.reference() {
            Some(v) => values.push(v),
            None => raises = true,
        }
        if let Some(r) = p.reason() {
            reasons.push(r.clone());
        }
    }
    let computed = if raises { None } else { f(&values) };
    match Reason::combine(reasons) {
        None => match computed {
            Some(v) => Score::Defined(v),
            None => Score::undefined(Reason::NoSamples, Reference::Raises),
        },
        Some(reason) => Score::undefined(
            reason,
            computed.map_or(Reference::Raises, Reference::from_f64),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_of_the_same_kind_merge() {
        let r = Reason::combine(vec![
            Reason::NeverPredicted { classes: vec![2] },
            Reason::NeverPredicted {
                classes: vec![0, 2],
            },
        ]);
        assert_eq!(
            r,
            Some(Reason::NeverPredicted {
                classes: vec![2, 0]
            })
        );
        let r = Reason::combine(vec![
            Reason::NeverPredicted { classes: vec![2] },
            Reason::NoNegatives { classes: vec![1] },
        ]);
        assert!(matches!(r, Some(Reason::Several { .. })));
        assert_eq!(Reason::combine(vec![]), None);
    }

    #[test]
    fn ratio_substitutes_zero_like_sklearn() {
        let s = Score::ratio(0.0, 0.0, || Reason::NeverPredicted { classes: vec![1] });
        assert_eq!(s.value(), None);
        assert_eq!(s.reference(), Some(0.0));
        assert_eq!(
            Score::ratio(1.0, 4.0, || Reason::NoSamples).value(),
            Some(0.25)
        );
    }
}
