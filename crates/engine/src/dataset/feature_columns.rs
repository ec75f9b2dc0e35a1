//! Which columns of an uploaded CSV file are the features (the "column picker").
//!
//! A column is named by its header name ([`ColumnRef::Name`]) or its 0-based position
//! ([`ColumnRef::Index`]), as [`super::csv::LabelColumn`] names the label column. The features are
//! the chosen columns **in the order listed** (not file order): the first two chosen columns are the
//! plot's axes, so the order is part of the choice. No list means every column but the label, in
//! file order.
//!
//! In JSON a name is a string and an index a number: `"features": ["sepal_length", 3]`. In a link
//! the list reads `dataset.source.features=sepal_length,petal_width` (or with brackets); an item
//! written as digits is an index. So that a link always means what the app chose,
//! [`ColumnRef::for_header`] names a column by position whenever its name would read differently in
//! a link (digits, a number, a comma, brackets, `none`/`true`/`false`, outer spaces).

use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::csv::CsvError;

/// Most feature columns a choice may list (the CSV column bound).
pub const MAX_FEATURE_COLUMNS: usize = super::csv::MAX_COLUMNS;

/// One column of a CSV file, by header name or by 0-based position.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnRef {
    /// The first column whose header is exactly this (after trimming spaces).
    Name(String),
    /// The column at this 0-based position.
    Index(usize),
}

impl ColumnRef {
    /// How the app names column `j` of `header` in a config: by name when the name survives a link
    /// unchanged, else by position.
    pub fn for_header(header: &[String], j: usize) -> ColumnRef {
        match header.get(j) {
            Some(name)
                if name_survives_link(name) && header.iter().position(|h| h == name) == Some(j) =>
            {
                ColumnRef::Name(name.clone())
            }
            _ => ColumnRef::Index(j),
        }
    }

    /// The 0-based position of this column in `header`.
    fn resolve(&self, header: &[String]) -> Result<usize, CsvError> {
        match self {
            ColumnRef::Index(i) if *i < header.len() => Ok(*i),
            ColumnRef::Index(i) => Err(CsvError::FeatureIndexOutOfRange {
                index: *i,
                columns: header.len(),
            }),
            ColumnRef::Name(name) => {
                let wanted = name.trim();
                header
                    .iter()
                    .position(|h| h == wanted)
                    .ok_or_else(|| CsvError::NoSuchFeature {
                        name: name.clone(),
                        available: super::csv::summarize_names(header),
                    })
            }
        }
    }
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ColumnRef::Name(name) => write!(f, "\"{name}\""),
            ColumnRef::Index(i) => write!(f, "column index {i}"),
        }
    }
}

/// A name reads back as the same text from a link's comma list (see `link::parse_leaf`).
fn name_survives_link(name: &str) -> bool {
    !name.is_empty()
        && name.trim() == name
        && !name.contains([',', '[', ']'])
        && !matches!(name, "none" | "true" | "false")
        && name.parse::<f64>().is_err()
}

/// Positions (in `header`) of the feature columns, in output order: the chosen ones in the order
/// listed, or every column but `label` in file order when `chosen` is `None`.
pub fn resolve_features(
    chosen: Option<&[ColumnRef]>,
    header: &[String],
    label: usize,
) -> Result<Vec<usize>, CsvError> {
    resolve_features_excluding(chosen, header, &[label])
}

/// [`resolve_features`] with several label columns (multi-label files): none of `labels` may be a
/// feature, and with no list every other column is one.
pub fn resolve_features_excluding(
    chosen: Option<&[ColumnRef]>,
    header: &[String],
    labels: &[usize],
) -> Result<Vec<usize>, CsvError> {
    let Some(chosen) = chosen else {
        return Ok((0..header.len()).filter(|j| !labels.contains(j)).collect());
    };
    check_list(chosen).map_err(CsvError::FeatureChoice)?;
    let mut positions = Vec::with_capacity(chosen.len());
    for column in chosen {
        let j = column.resolve(header)?;
        if labels.contains(&j) {
            return Err(CsvError::FeatureIsLabel {
                name: header[j].clone(),
                column: j + 1,
            });
        }
        if positions.contains(&j) {
            return Err(CsvError::FeatureChoice(format!(
                "column {} (\"{}\") is chosen twice; list each feature column once",
                j + 1,
                header[j]
            )));
        }
        positions.push(j);
    }
    Ok(positions)
}

/// The checks that need no file: at least one column, at most [`MAX_FEATURE_COLUMNS`], none listed
/// twice in the same form.
pub fn check_list(chosen: &[ColumnRef]) -> Result<(), String> {
    if chosen.is_empty() {
        return Err(
            "no feature column is chosen; choose at least one (or leave the list out to use every column but the label)"
                .into(),
        );
    }
    if chosen.len() > MAX_FEATURE_COLUMNS {
        return Err(format!(
            "{} feature columns are listed; at most {MAX_FEATURE_COLUMNS}",
            chosen.len()
        ));
    }
    let mut seen = HashSet::new();
    for column in chosen {
        if !seen.insert(column) {
            return Err(format!(
                "{column} is listed twice; list each feature column once"
            ));
        }
    }
    Ok(())
}

impl Serialize for ColumnRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ColumnRef::Name(name) => s.serialize_str(name),
            ColumnRef::Index(i) => s.serialize_u64(*i as u64),
        }
    }
}

impl<'de> Deserialize<'de> for ColumnRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        column_from_value(&Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

fn column_from_value(v: &Value) -> Result<ColumnRef, String> {
    match v {
        Value::String(s) => Ok(ColumnRef::Name(s.clone())),
        Value::Number(n) => n
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .map(ColumnRef::Index)
            .ok_or_else(|| {
                format!("{n} is not a column: name a feature column by its header or its 0-based position")
            }),
        other => Err(format!(
            "{other} is not a column: name a feature column by its header or its 0-based position"
        )),
    }
}

/// Reads the `features` list: a JSON list of names and positions, or (as a link without brackets
/// gives it) one text of comma-separated items, where an item of digits is a position, or a single
/// position.
pub fn deserialize_features<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<ColumnRef>>, D::Error> {
    let parsed = match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Array(items) => items
            .iter()
            .map(column_from_value)
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Value::String(text) => Ok(Some(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| match s.parse::<usize>() {
                    Ok(i) => ColumnRef::Index(i),
                    Err(_) => ColumnRef::Name(s.to_string()),
                })
                .collect(),
        )),
        single @ Value::Number(_) => column_from_value(&single).map(|c| Some(vec![c])),
        other => Err(format!(
            "{other} is not a list of feature columns (write names or 0-based positions separated by commas)"
        )),
    };
    parsed.map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chosen_order_is_kept_and_none_means_all_but_the_label() {
        let h = header(&["a", "b", "c", "y"]);
        let chosen = [ColumnRef::Name("c".into()), ColumnRef::Index(0)];
        assert_eq!(resolve_features(Some(&chosen), &h, 3), Ok(vec![2, 0]));
        assert_eq!(resolve_features(None, &h, 1), Ok(vec![0, 2, 3]));
    }

    #[test]
    fn bad_choices_say_what_to_fix() {
        let h = header(&["a", "b", "y"]);
        let err = |chosen: &[ColumnRef]| {
            resolve_features(Some(chosen), &h, 2)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&[]).contains("choose at least one"));
        let twice = err(&[ColumnRef::Name("a".into()), ColumnRef::Index(0)]);
        assert!(twice.contains("chosen twice"), "{twice}");
        let label = err(&[ColumnRef::Name("y".into())]);
        assert!(
            label.contains("\"y\"") && label.contains("label column"),
            "{label}"
        );
        let missing = err(&[ColumnRef::Name("z".into())]);
        assert!(
            missing.contains("\"z\"") && missing.contains("\"a\""),
            "{missing}"
        );
        let far = err(&[ColumnRef::Index(7)]);
        assert!(far.contains('7') && far.contains("0 to 2"), "{far}");
    }

    #[test]
    fn the_app_names_a_column_by_position_when_its_name_would_not_survive_a_link() {
        let h = header(&[
            "sepal length",
            "2",
            "a,b",
            "none",
            " x",
            "dup",
            "dup",
            "1e3",
        ]);
        let refs: Vec<ColumnRef> = (0..h.len()).map(|j| ColumnRef::for_header(&h, j)).collect();
        assert_eq!(refs[0], ColumnRef::Name("sepal length".into()));
        for (j, r) in refs.iter().enumerate().skip(1) {
            if j == 5 {
                assert_eq!(r, &ColumnRef::Name("dup".into()));
            } else {
                assert_eq!(r, &ColumnRef::Index(j), "{}", h[j]);
            }
        }
    }

    #[test]
    fn json_names_are_strings_and_positions_numbers() {
        let list = vec![ColumnRef::Name("a".into()), ColumnRef::Index(3)];
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(json, r#"["a",3]"#);
        let back: Vec<ColumnRef> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, list);
        assert!(serde_json::from_str::<Vec<ColumnRef>>("[1.5]").is_err());
        assert!(serde_json::from_str::<Vec<ColumnRef>>("[true]").is_err());
    }
}
