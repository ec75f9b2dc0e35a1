//! `sampling_strategy`: which classes a sampler touches and how many rows each ends with.
//!
//! Semantics of imbalanced-learn 0.14.2 `utils/_validation.py::check_sampling_strategy`
//! (`methods-spec.md` §A.0), but resolved once into a [`Plan`] of *final* per-class counts, so that no
//! sampler has to remember whether a number meant "to generate" or "to keep".

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{EngineError, Result};

/// What kind of sampler asks: the same strategy means different things to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SamplerFamily {
    /// Adds rows (targets are final counts ≥ current).
    Over,
    /// Removes rows down to a count (targets are final counts ≤ current).
    Under,
    /// Removes rows by a rule; only *which* classes may lose rows matters.
    Clean,
}

/// The user's choice, as in imbalanced-learn.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SamplingStrategy {
    /// `'auto'`: `NotMajority` for over-samplers, `NotMinority` otherwise.
    #[default]
    Auto,
    Minority,
    Majority,
    NotMinority,
    NotMajority,
    All,
    /// Binary only. Over: minority/majority after resampling; under: minority/majority after.
    Ratio(f64),
    /// Final count per class (over: ≥ current; under: ≤ current). Not for cleaning samplers.
    Counts(BTreeMap<usize, usize>),
    /// Classes a cleaning sampler may clean. Cleaning samplers only.
    Classes(Vec<usize>),
}

/// Resolved strategy: for each class `0..K`, `Some(final_count)` if the sampler targets it.
/// For cleaning samplers the value is the current count (the rule decides what goes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub current: Vec<usize>,
    pub targets: Vec<Option<usize>>,
}

impl Plan {
    pub fn is_targeted(&self, class: usize) -> bool {
        self.targets[class].is_some()
    }

    /// Rows to add to `class` (over-samplers).
    pub fn to_generate(&self, class: usize) -> usize {
        self.targets[class].map_or(0, |t| t.saturating_sub(self.current[class]))
    }

    /// Rows `class` keeps (under-samplers): the target, or all of them if not targeted.
    pub fn to_keep(&self, class: usize) -> usize {
        self.targets[class].unwrap_or(self.current[class])
    }

    /// Classes with at least one row.
    pub fn present(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.current.len()).filter(|&c| self.current[c] > 0)
    }

    /// The class with the fewest rows (smallest label wins a tie).
    pub fn minority(&self) -> usize {
        let mut best = usize::MAX;
        for c in self.present() {
            if best == usize::MAX || self.current[c] < self.current[best] {
                best = c;
            }
        }
        best
    }

    /// The class with the most rows (smallest label wins a tie).
    pub fn majority(&self) -> usize {
        let mut best = usize::MAX;
        for c in self.present() {
            if best == usize::MAX || self.current[c] > self.current[best] {
                best = c;
            }
        }
        best
    }
}

fn err(message: impl Into<String>) -> EngineError {
    EngineError::config("sampling_strategy", message)
}

impl SamplingStrategy {
    /// Resolves the strategy against the current class counts (`counts[c]`, absent classes 0).
    pub fn resolve(&self, counts: &[usize], family: SamplerFamily) -> Result<Plan> {
        let present: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] > 0).collect();
        if present.len() < 2 {
            return Err(err(format!(
                "the training data has {} class(es); resampling needs at least 2",
                present.len()
            )));
        }
        let mut plan = Plan {
            current: counts.to_vec(),
            targets: vec![None; counts.len()],
        };
        let n_max = present.iter().map(|&c| counts[c]).max().unwrap_or(0);
        let n_min = present.iter().map(|&c| counts[c]).min().unwrap_or(0);
        let (maj, min) = (plan.majority(), plan.minority());
        let named = |selected: &dyn Fn(usize) -> bool, plan: &mut Plan| {
            for &c in &present {
                if selected(c) {
                    plan.targets[c] = Some(match family {
                        SamplerFamily::Over => n_max,
                        SamplerFamily::Under => n_min,
                        SamplerFamily::Clean => counts[c],
                    });
                }
            }
        };
        use SamplingStrategy as S;
        match (self, family) {
            (S::Auto, SamplerFamily::Over) | (S::NotMajority, _) => named(&|c| c != maj, &mut plan),
            (S::Auto, _) | (S::NotMinority, _) => named(&|c| c != min, &mut plan),
            (S::All, _) => named(&|_| true, &mut plan),
            (S::Minority, SamplerFamily::Over) => named(&|c| c == min, &mut plan),
            (S::Minority, _) => {
                return Err(err(
                    "'minority' can only be used with over-samplers; an under-sampler would remove rows from the smallest class",
                ))
            }
            (S::Majority, SamplerFamily::Over) => {
                return Err(err(
                    "'majority' cannot be used with over-samplers; the largest class needs no new rows",
                ))
            }
            (S::Majority, _) => named(&|c| c == maj, &mut plan),
            (S::Ratio(a), fam) => {
                if !(a.is_finite() && *a > 0.0 && *a <= 1.0) {
                    return Err(err(format!("a ratio must be in (0, 1], got {a}")));
                }
                if present.len() != 2 {
                    return Err(err(
                        "a ratio applies to two classes only; give per-class counts instead",
                    ));
                }
                match fam {
                    SamplerFamily::Over => {
                        for &c in present.iter().filter(|&&c| c != maj) {
                            let target = (n_max as f64 * a).floor();
                            if target < counts[c] as f64 {
                                return Err(err(format!(
                                    "ratio {a} would leave class {c} with {target} rows, fewer than its {} (an over-sampler cannot remove rows); increase the ratio",
                                    counts[c]
                                )));
                            }
                            plan.targets[c] = Some(target as usize);
                        }
                    }
                    SamplerFamily::Under => {
                        for &c in present.iter().filter(|&&c| c != min) {
                            let keep = (n_min as f64 / a).floor() as usize;
                            if keep > counts[c] {
                                return Err(err(format!(
                                    "ratio {a} would need {keep} rows of class {c}, which has {} (an under-sampler cannot add rows); increase the ratio",
                                    counts[c]
                                )));
                            }
                            plan.targets[c] = Some(keep);
                        }
                    }
                    SamplerFamily::Clean => {
                        return Err(err(
                            "a ratio cannot be used with cleaning samplers; list the classes to clean instead",
                        ))
                    }
                }
            }
            (S::Counts(map), fam) => {
                if fam == SamplerFamily::Clean {
                    return Err(err(
                        "per-class counts cannot be used with cleaning samplers; list the classes to clean instead",
                    ));
                }
                for (&c, &n) in map {
                    if c >= counts.len() || counts[c] == 0 {
                        return Err(err(format!("class {c} is not present in the training data")));
                    }
                    if fam == SamplerFamily::Over && n < counts[c] {
                        return Err(err(format!(
                            "class {c} has {} rows and {n} were asked; an over-sampler can only add rows",
                            counts[c]
                        )));
                    }
                    if fam == SamplerFamily::Under && n > counts[c] {
                        return Err(err(format!(
                            "class {c} has {} rows and {n} were asked; an under-sampler can only remove rows",
                            counts[c]
                        )));
                    }
                    plan.targets[c] = Some(n);
                }
            }
            (S::Classes(list), fam) => {
                if fam != SamplerFamily::Clean {
                    return Err(err(
                        "a list of classes is only for cleaning samplers; give per-class counts instead",
                    ));
                }
                for &c in list {
                    if c >= counts.len() || counts[c] == 0 {
                        return Err(err(format!("class {c} is not present in the training data")));
                    }
                    plan.targets[c] = Some(counts[c]);
                }
            }
        }
        Ok(plan)
    }
}

impl fmt::Display for SamplingStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SamplingStrategy as S;
        match self {
            S::Auto => f.write_str("auto"),
            S::Minority => f.write_str("minority"),
            S::Majority => f.write_str("majority"),
            S::NotMinority => f.write_str("not_minority"),
            S::NotMajority => f.write_str("not_majority"),
            S::All => f.write_str("all"),
            S::Ratio(a) => write!(f, "{a}"),
            S::Counts(m) => {
                let parts: Vec<String> = m.iter().map(|(c, n)| format!("{c}:{n}")).collect();
                f.write_str(&parts.join(","))
            }
            S::Classes(v) => {
                let parts: Vec<String> = v.iter().map(|c| c.to_string()).collect();
                write!(f, "[{}]", parts.join(","))
            }
        }
    }
}

impl FromStr for SamplingStrategy {
    type Err = EngineError;

    /// `auto`, `minority`, `majority`, `not_minority` (or `not minority`), `not_majority`, `all`,
    /// a ratio `0.5`, counts `0:100,1:50`, or a class list `[1,2]`.
    fn from_str(s: &str) -> Result<Self> {
        use SamplingStrategy as S;
        let t = s.trim();
        Ok(match t.replace(' ', "_").as_str() {
            "auto" => S::Auto,
            "minority" => S::Minority,
            "majority" => S::Majority,
            "not_minority" => S::NotMinority,
            "not_majority" => S::NotMajority,
            "all" => S::All,
            _ if t.starts_with('[') && t.ends_with(']') => {
                let inner = &t[1..t.len() - 1];
                let mut v = Vec::new();
                for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    v.push(part.parse().map_err(|_| {
                        err(format!("`{part}` in the class list is not a class number"))
                    })?);
                }
                S::Classes(v)
            }
            _ if t.contains(':') => {
                let mut m = BTreeMap::new();
                for part in t.split(',').map(str::trim) {
                    let (c, n) = part.split_once(':').ok_or_else(|| {
                        err(format!("`{part}` should be class:count, e.g. 1:200"))
                    })?;
                    let c: usize = c.trim().parse().map_err(|_| {
                        err(format!("`{c}` is not a class number"))
                    })?;
                    let n: i64 = n.trim().parse().map_err(|_| {
                        err(format!("`{n}` is not a whole number of rows"))
                    })?;
                    if n < 0 {
                        return Err(err("the number of samples in a class cannot be negative"));
                    }
                    m.insert(c, n as usize);
                }
                S::Counts(m)
            }
            _ => match t.parse::<f64>() {
                Ok(a) => S::Ratio(a),
                Err(_) => {
                    return Err(err(format!(
                        "`{t}` is not a strategy: use auto, minority, majority, not_minority, not_majority, all, a ratio like 0.5, counts like 0:100,1:50, or a class list like [1,2]"
                    )))
                }
            },
        })
    }
}

impl Serialize for SamplingStrategy {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for SamplingStrategy {
    /// Accepts the text form, or a bare number for a ratio (as a link may carry it).
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
            Raw::Number(a) => Ok(SamplingStrategy::Ratio(a)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Measured with imbalanced-learn 0.14.2 (methods-spec.md §A.0): binary 100:5.
    #[test]
    fn float_ratio_matches_imblearn() {
        let over = SamplingStrategy::Ratio(0.5)
            .resolve(&[100, 5], SamplerFamily::Over)
            .unwrap();
        assert_eq!(over.targets, vec![None, Some(50)]);
        let under = SamplingStrategy::Ratio(0.5)
            .resolve(&[100, 5], SamplerFamily::Under)
            .unwrap();
        assert_eq!(under.targets, vec![Some(10), None]);
    }

    #[test]
    fn auto_depends_on_family() {
        let c = [64, 262, 4674];
        let over = SamplingStrategy::Auto
            .resolve(&c, SamplerFamily::Over)
            .unwrap();
        assert_eq!(over.targets, vec![Some(4674), Some(4674), None]);
        let under = SamplingStrategy::Auto
            .resolve(&c, SamplerFamily::Under)
            .unwrap();
        assert_eq!(under.targets, vec![None, Some(64), Some(64)]);
    }

    #[test]
    fn errors_are_explained() {
        use SamplerFamily::*;
        let c = [10, 5, 3];
        assert!(SamplingStrategy::Minority.resolve(&c, Under).is_err());
        assert!(SamplingStrategy::Majority.resolve(&c, Over).is_err());
        assert!(SamplingStrategy::Ratio(0.5).resolve(&c, Over).is_err());
        assert!(SamplingStrategy::Classes(vec![0])
            .resolve(&c, Over)
            .is_err());
        assert!("0:5"
            .parse::<SamplingStrategy>()
            .unwrap()
            .resolve(&c, Over)
            .is_err());
        assert!("bogus".parse::<SamplingStrategy>().is_err());
        assert!(SamplingStrategy::Auto.resolve(&[4, 0], Over).is_err());
    }

    #[test]
    fn text_form_round_trips() {
        for s in ["auto", "not_minority", "0.25", "0:10,2:30", "[1,2]"] {
            let v: SamplingStrategy = s.parse().unwrap();
            assert_eq!(v.to_string(), s);
        }
    }
}
