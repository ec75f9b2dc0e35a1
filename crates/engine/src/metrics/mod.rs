//! Metrics, exact to scikit-learn / imbalanced-learn (`methods-spec.md` §D).
//!
//! Undefined values (0/0) are `None`, never a silent 0 or NaN; where the reference substitutes a value
//! (scikit-learn's `zero_division=0`), the `*_sklearn` helpers say so explicitly.

mod confusion;

pub use confusion::ConfusionMatrix;
