//! Shared helpers of the metric tests: reading the reference fixtures and comparing a [`Score`]
//! with what scikit-learn / imbalanced-learn returned.
#![allow(dead_code)] // each test binary uses a subset

use imlab_engine::metrics::{Reference, Score};
use serde_json::Value;

/// Counts-based metrics must match to this relative tolerance (methods-spec.md §D, §G.1).
pub const REL_TOL: f64 = 1e-12;

pub fn load(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One value recorded from the reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Number(f64),
    Nan,
    Infinite(bool),
    Raises(String),
    /// `null`: the reference omits this entry.
    Omitted,
}

pub fn expected(v: &Value) -> Expected {
    match v {
        Value::Number(n) => Expected::Number(n.as_f64().unwrap()),
        Value::String(s) if s == "nan" => Expected::Nan,
        Value::String(s) if s == "inf" => Expected::Infinite(false),
        Value::String(s) if s == "-inf" => Expected::Infinite(true),
        Value::Null => Expected::Omitted,
        Value::Object(o) if o.contains_key("error") => {
            Expected::Raises(o["error"].as_str().unwrap_or("").to_string())
        }
        other => panic!("not a fixture value: {other}"),
    }
}

pub fn num(v: &Value) -> f64 {
    match expected(v) {
        Expected::Number(x) => x,
        Expected::Nan => f64::NAN,
        Expected::Infinite(neg) => {
            if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        e => panic!("expected a number, got {e:?}"),
    }
}

pub fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

/// `|a − b| ≤ REL_TOL·max(|a|, |b|)`; equal non-finite values match.
pub fn close(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= REL_TOL * a.abs().max(b.abs())
}

/// Tallies how many comparisons were bit-identical (reported by the tests).
#[derive(Default, Debug)]
pub struct Tally {
    pub compared: usize,
    pub bit_identical: usize,
}

impl Tally {
    pub fn number(&mut self, what: &str, got: f64, want: f64) {
        assert!(close(got, want), "{what}: got {got:e}, reference {want:e}");
        self.compared += 1;
        if got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()) {
            self.bit_identical += 1;
        }
    }

    /// Checks a score against the reference's value: a number must equal `reference()`; NaN /
    /// ±inf must be an undefined score with that substitute; a raise must be an undefined score
    /// whose reference raises; `null` (omitted class) must be undefined and omitted.
    pub fn score(&mut self, what: &str, got: &Score, want: &Value) {
        match expected(want) {
            Expected::Number(x) => match got.reference() {
                Some(y) => self.number(what, y, x),
                None => panic!("{what}: got {got:?}, reference {x}"),
            },
            Expected::Nan | Expected::Infinite(_) => {
                assert!(
                    !got.is_defined(),
                    "{what}: defined {got:?}, reference {want}"
                );
                self.number(what, got.reference().unwrap_or(0.0), num(want));
            }
            Expected::Raises(msg) => assert!(
                matches!(
                    got,
                    Score::Undefined {
                        reference: Reference::Raises,
                        ..
                    }
                ),
                "{what}: got {got:?}, reference raises {msg}"
            ),
            Expected::Omitted => assert!(
                matches!(
                    got,
                    Score::Undefined {
                        reference: Reference::Omitted,
                        ..
                    }
                ),
                "{what}: got {got:?}, reference omits it"
            ),
        }
    }
}
