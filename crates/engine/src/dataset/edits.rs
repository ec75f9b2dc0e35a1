//! Point edits: training points the user added or removed by clicking the decision-boundary plot.
//!
//! Edits are part of the dataset spec, so a link, a saved session and `imlab run` reproduce them.
//! They apply after the data is generated and split, to the training split only: an added point is
//! trained on and never evaluated, and the test split stays exactly what the seed gives.
//!
//! A removal names the training row by its coordinates rounded to [`EDIT_SIGNIFICANT_DIGITS`]
//! significant digits, not by its row index. An index would silently point at another point once
//! the seed, the counts or the split change; coordinates either still find the same point or find
//! none, which is counted ([`EditReport::unmatched`]) and shown, never guessed. Six digits keep
//! links short and tell apart any two points a person could click apart.
//!
//! In JSON and links both lists are compact text, one `class:x:y` per added point and one `x:y` per
//! removed point: `dataset.edits.add=[1:0.5:-1.25,0:2:0]&dataset.edits.remove=[0.153281:-0.412007]`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::Dataset;
use crate::error::{EngineError, Result};

/// Most edits (additions and removals together) one experiment may carry: keeps links short.
pub const MAX_EDITS: usize = 500;
/// Largest absolute coordinate an edit may name.
pub const MAX_EDIT_COORDINATE: f64 = 1e6;
/// Significant digits a removal's coordinates are compared at.
pub const EDIT_SIGNIFICANT_DIGITS: usize = 6;

/// A training point the user added.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AddedPoint {
    pub class: usize,
    pub x: f64,
    pub y: f64,
}

/// A training row the user removed, named by its coordinates (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RemovedPoint {
    pub x: f64,
    pub y: f64,
}

/// The user's additions to and removals from the training split.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PointEdits {
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "list_or_text"
    )]
    pub add: Vec<AddedPoint>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "list_or_text"
    )]
    pub remove: Vec<RemovedPoint>,
}

/// What applying the edits did (shown beside the plot and in `window.imlab.snapshot()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EditReport {
    /// Training rows the removals took out.
    pub removed: usize,
    /// Removals that matched no training row (the data changed since the point was clicked).
    pub unmatched: usize,
    /// Points added; they are the last `added` rows of the training split.
    pub added: usize,
}

/// `v` rounded to [`EDIT_SIGNIFICANT_DIGITS`] significant digits (what a removal is compared at).
pub fn round_coordinate(v: f64) -> f64 {
    // Rust's float formatting is correctly rounded, so this is the same on every platform.
    format!("{:.*e}", EDIT_SIGNIFICANT_DIGITS - 1, v)
        .parse()
        .unwrap_or(v)
}

impl PointEdits {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }

    pub fn len(&self) -> usize {
        self.add.len() + self.remove.len()
    }

    /// Checks what can be checked without the data: how many edits, and that every coordinate is
    /// finite and within ±[`MAX_EDIT_COORDINATE`]. Classes and the feature count are checked by
    /// [`PointEdits::apply`], which knows the data.
    pub fn validate(&self) -> Result<()> {
        if self.len() > MAX_EDITS {
            return Err(EngineError::config(
                "dataset.edits",
                format!(
                    "at most {MAX_EDITS} point edits, got {} ({} added, {} removed); clear some",
                    self.len(),
                    self.add.len(),
                    self.remove.len()
                ),
            ));
        }
        let sane = |v: f64| v.is_finite() && v.abs() <= MAX_EDIT_COORDINATE;
        if let Some(p) = self.add.iter().find(|p| !(sane(p.x) && sane(p.y))) {
            return Err(EngineError::config(
                "dataset.edits.add",
                format!("the added point {p} has a coordinate that is not a number within ±{MAX_EDIT_COORDINATE}"),
            ));
        }
        if let Some(p) = self.remove.iter().find(|p| !(sane(p.x) && sane(p.y))) {
            return Err(EngineError::config(
                "dataset.edits.remove",
                format!("the removed point {p} has a coordinate that is not a number within ±{MAX_EDIT_COORDINATE}"),
            ));
        }
        Ok(())
    }

    /// The training split with the edits applied: each removal takes out the first remaining row
    /// whose rounded coordinates equal its own (or nothing), then the added points are appended in
    /// order. Fails on data that is not 2-D, a class the data does not have, or a class left with no
    /// training row.
    pub fn apply(&self, train: Dataset) -> Result<(Dataset, EditReport)> {
        if self.is_empty() {
            return Ok((train, EditReport::default()));
        }
        self.validate()?;
        if train.n_features != 2 {
            return Err(EngineError::config(
                "dataset.edits",
                format!(
                    "points can be added or removed on 2-feature data only; this data has {} features. Clear the point edits or choose 2-feature data",
                    train.n_features
                ),
            ));
        }
        if let Some(p) = self.add.iter().find(|p| p.class >= train.n_classes) {
            return Err(EngineError::config(
                "dataset.edits.add",
                format!(
                    "the added point {p} is of class {}, but the data has classes 0 to {}; clear the point edits or pick one of those",
                    p.class,
                    train.n_classes.saturating_sub(1)
                ),
            ));
        }
        let mut keep = vec![true; train.len()];
        let rounded: Vec<(f64, f64)> = (0..train.len())
            .map(|i| {
                let r = train.row(i);
                (round_coordinate(r[0]), round_coordinate(r[1]))
            })
            .collect();
        let mut report = EditReport::default();
        for p in &self.remove {
            let at = (round_coordinate(p.x), round_coordinate(p.y));
            match (0..train.len()).find(|&i| keep[i] && rounded[i] == at) {
                Some(i) => {
                    keep[i] = false;
                    report.removed += 1;
                }
                None => report.unmatched += 1,
            }
        }
        let kept: Vec<usize> = (0..train.len()).filter(|&i| keep[i]).collect();
        let mut edited = train.select(&kept);
        for p in &self.add {
            edited.x.extend_from_slice(&[p.x, p.y]);
            edited.y.push(p.class);
        }
        report.added = self.add.len();
        let before = train.class_counts();
        let after = edited.class_counts();
        if let Some(class) = (0..train.n_classes).find(|&c| before[c] > 0 && after[c] == 0) {
            return Err(EngineError::TooFewSamples {
                class,
                count: 0,
                needed: 1,
                what: "training after the point removals (remove fewer points of it)".into(),
            });
        }
        Ok((edited, report))
    }
}

impl fmt::Display for AddedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.class, self.x, self.y)
    }
}

impl fmt::Display for RemovedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.x, self.y)
    }
}

fn number(text: &str, whole: &str, form: &str) -> std::result::Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("`{whole}` is not {form}: `{text}` is not a number"))
}

impl FromStr for AddedPoint {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        const FORM: &str = "an added point, written class:x:y (e.g. 1:0.5:-1.25)";
        let parts: Vec<&str> = s.split(':').collect();
        let [class, x, y] = parts[..] else {
            return Err(format!("`{s}` is not {FORM}"));
        };
        let class = class
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("`{s}` is not {FORM}: the class `{class}` is not 0, 1, 2, ..."))?;
        Ok(AddedPoint {
            class,
            x: number(x, s, FORM)?,
            y: number(y, s, FORM)?,
        })
    }
}

impl FromStr for RemovedPoint {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        const FORM: &str = "a removed point, written x:y (e.g. 0.153281:-0.412007)";
        let parts: Vec<&str> = s.split(':').collect();
        let [x, y] = parts[..] else {
            return Err(format!("`{s}` is not {FORM}"));
        };
        Ok(RemovedPoint {
            x: number(x, s, FORM)?,
            y: number(y, s, FORM)?,
        })
    }
}

impl Serialize for AddedPoint {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for RemovedPoint {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A list of edits: a JSON array of strings, or one string of comma-separated items (what a link
/// written without brackets reads as).
fn list_or_text<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = String>,
{
    struct ListVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: FromStr<Err = String>> Visitor<'de> for ListVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of point edits")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Vec<T>, E> {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().map_err(E::custom))
                .collect()
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                if out.len() >= MAX_EDITS {
                    return Err(de::Error::custom(format!(
                        "at most {MAX_EDITS} point edits"
                    )));
                }
                out.push(item.parse().map_err(de::Error::custom)?);
            }
            Ok(out)
        }
    }

    d.deserialize_any(ListVisitor(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Dataset {
        // Four rows: two of class 0, two of class 1.
        Dataset::new(
            vec![0.0, 0.0, 1.0, 1.0, 0.123_456_789, -2.5, 3.0, 3.0],
            vec![0, 0, 1, 1],
            2,
            2,
        )
    }

    #[test]
    fn text_forms_round_trip() {
        let a: AddedPoint = "1:0.5:-1.25".parse().unwrap();
        assert_eq!(
            a,
            AddedPoint {
                class: 1,
                x: 0.5,
                y: -1.25
            }
        );
        assert_eq!(a.to_string(), "1:0.5:-1.25");
        let r: RemovedPoint = "0.153281:-0.412007".parse().unwrap();
        assert_eq!(r.to_string(), "0.153281:-0.412007");
        for bad in ["", "1:2", "x:1:2", "-1:0:0", "1:0:nope", "1:2:3:4"] {
            assert!(bad.parse::<AddedPoint>().is_err(), "{bad}");
        }
        for bad in ["", "1", "1:2:3", "a:b"] {
            assert!(bad.parse::<RemovedPoint>().is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_read_from_arrays_or_comma_text() {
        let from_array: PointEdits =
            serde_json::from_str(r#"{"add":["0:1:2","1:-3:4.5"],"remove":["1:1"]}"#).unwrap();
        let from_text: PointEdits =
            serde_json::from_str(r#"{"add":"0:1:2, 1:-3:4.5","remove":"1:1"}"#).unwrap();
        assert_eq!(from_array, from_text);
        assert_eq!(from_array.add.len(), 2);
        let json = serde_json::to_string(&from_array).unwrap();
        assert_eq!(json, r#"{"add":["0:1:2","1:-3:4.5"],"remove":["1:1"]}"#);
        assert_eq!(serde_json::to_string(&PointEdits::default()).unwrap(), "{}");
        let bad = serde_json::from_str::<PointEdits>(r#"{"add":["0:1"]}"#).unwrap_err();
        assert!(bad.to_string().contains("class:x:y"), "{bad}");
    }

    #[test]
    fn additions_are_appended_and_removals_match_rounded_coordinates() {
        let edits = PointEdits {
            add: vec![AddedPoint {
                class: 1,
                x: 9.0,
                y: -9.0,
            }],
            // Row 2 named at six significant digits; a point that is not there.
            remove: vec![
                RemovedPoint {
                    x: 0.123457,
                    y: -2.5,
                },
                RemovedPoint { x: 7.0, y: 7.0 },
            ],
        };
        let (d, report) = edits.apply(square()).unwrap();
        assert_eq!(
            report,
            EditReport {
                removed: 1,
                unmatched: 1,
                added: 1
            }
        );
        assert_eq!(d.y, vec![0, 0, 1, 1]);
        assert_eq!(d.row(2), &[3.0, 3.0]);
        assert_eq!(d.row(3), &[9.0, -9.0]);
    }

    #[test]
    fn edits_are_refused_with_a_reason() {
        let class_out_of_range = PointEdits {
            add: vec![AddedPoint {
                class: 2,
                x: 0.0,
                y: 0.0,
            }],
            ..Default::default()
        };
        let e = class_out_of_range.apply(square()).unwrap_err();
        assert!(e.to_string().contains("classes 0 to 1"), "{e}");

        let three_features = Dataset::new(vec![0.0; 6], vec![0, 1], 3, 2);
        let e = class_out_of_range.apply(three_features).unwrap_err();
        assert!(e.to_string().contains("2-feature"), "{e}");

        let not_finite = PointEdits {
            remove: vec![RemovedPoint {
                x: f64::NAN,
                y: 0.0,
            }],
            ..Default::default()
        };
        assert!(not_finite.validate().is_err());
        let far = PointEdits {
            add: vec![AddedPoint {
                class: 0,
                x: 2e6,
                y: 0.0,
            }],
            ..Default::default()
        };
        assert!(far.validate().is_err());
        let too_many = PointEdits {
            remove: vec![RemovedPoint { x: 0.0, y: 0.0 }; MAX_EDITS + 1],
            ..Default::default()
        };
        assert!(too_many.validate().is_err());

        // Emptying a class's training rows is refused, not left to panic downstream.
        let empty_class_1 = PointEdits {
            remove: vec![
                RemovedPoint { x: 3.0, y: 3.0 },
                RemovedPoint {
                    x: 0.123457,
                    y: -2.5,
                },
            ],
            ..Default::default()
        };
        match empty_class_1.apply(square()) {
            Err(EngineError::TooFewSamples { class: 1, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rounding_keeps_six_significant_digits() {
        assert_eq!(round_coordinate(0.123_456_789), 0.123457);
        assert_eq!(round_coordinate(-12_345.678), -12_345.7);
        assert_eq!(round_coordinate(0.0), 0.0);
    }
}
