//! Importing a multi-label CSV file: numeric feature columns and the labels in one of two layouts.
//!
//! - **Indicator columns**: one column per label holding `1` (the sample has the label), `0` (it has
//!   not) or `?` / an empty cell (**unknown**: not annotated, the partial-label case; never read as 0).
//!   The columns are listed ([`MultilabelColumns::Indicators`]) or are every column whose header
//!   starts with a prefix ([`MultilabelColumns::Prefix`], in file order). A label is named by its
//!   column's header.
//! - **A label-set column** ([`MultilabelColumns::LabelSet`]): one cell per row listing the row's
//!   labels separated by a delimiter (`a|b`); spaces around names and empty parts are ignored, an
//!   empty cell is the empty set (every label 0) and a cell of `?` alone is an unannotated row (every
//!   label unknown). The labels are the distinct names, in byte order of the text.
//!
//! The file format, limits and error positions are those of the multi-class reader
//! ([`crate::dataset::csv`]): RFC 4180 CSV with a header, the same size, row and column bounds,
//! and every error names the line (header = line 1) and the column by 1-based position and header
//! name. The preview before import is that reader's [`read_first_rows`](crate::dataset::csv::read_first_rows);
//! [`label_positions`] tells which of its columns are labels. At most [`MAX_LABELS`] labels.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::labels::{LabelEntry, LabelMatrix, LabelMatrixError, MAX_LABELS};
use super::resample::MultilabelData;
use crate::dataset::csv::{
    open_with_header, parse_number, shorten, standardize_rows, summarize_names, CsvError,
    Standardization, MAX_COLUMNS, MAX_ROWS,
};
use crate::dataset::feature_columns::{resolve_features_excluding, ColumnRef};
use crate::error::EngineError;

/// Where the labels are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MultilabelColumns {
    /// These 0/1/? columns, one label each, in this order.
    Indicators { columns: Vec<ColumnRef> },
    /// Every column whose header starts with `prefix`, in file order.
    Prefix { prefix: String },
    /// One column listing each row's labels, separated by `delimiter`.
    LabelSet {
        column: ColumnRef,
        delimiter: String,
    },
}

/// How to read a multi-label CSV file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultilabelCsvOptions {
    pub labels: MultilabelColumns,
    /// The feature columns, in this order; `None`: every column that is not a label, in file order.
    #[serde(
        default,
        deserialize_with = "crate::dataset::feature_columns::deserialize_features",
        skip_serializing_if = "Option::is_none"
    )]
    pub features: Option<Vec<ColumnRef>>,
    /// Replace each feature by its z-score, as the multi-class import does
    /// ([`crate::dataset::csv::Standardization`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub standardize: bool,
}

/// An imported multi-label table.
#[derive(Clone, Debug, PartialEq)]
pub struct MultilabelTable {
    pub data: MultilabelData,
    pub feature_names: Vec<String>,
    /// Each label's name: its column header, or the name in the label-set cells.
    pub label_names: Vec<String>,
    /// Present when the features were standardized.
    pub standardization: Option<Standardization>,
}

/// What is wrong with a multi-label CSV file. Every message says where and what to change.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum MultilabelCsvError {
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("no label column is chosen; list the 0/1 label columns, give their common prefix, or name one label-set column")]
    NoLabelColumns,
    #[error("no column header starts with \"{prefix}\" (columns: {available}); give the label columns' common prefix or list them by name")]
    NoPrefixMatch { prefix: String, available: String },
    #[error("there is no label column named \"{name}\" in the header (columns: {available})")]
    NoSuchLabelColumn { name: String, available: String },
    #[error("label column index {index} is out of range: the file has {columns} columns (0 to {})", columns - 1)]
    LabelIndexOutOfRange { index: usize, columns: usize },
    #[error(
        "column {column} (\"{name}\") is listed twice as a label; list each label column once"
    )]
    DuplicateLabelColumn { name: String, column: usize },
    #[error("{count} labels is more than the limit of {limit}; merge or drop rare labels")]
    TooManyLabels { count: usize, limit: usize },
    #[error("every column is a label column; at least one numeric feature column is needed")]
    NoFeatureColumns,
    #[error("the label-set delimiter is empty; give the text that separates labels in a cell, e.g. \"|\"")]
    EmptyDelimiter,
    #[error("line {line}, column {column} (\"{name}\"): \"{value}\" is not a label entry; write 1 (has the label), 0 (has not), or ? or nothing (not annotated)")]
    NotBinary {
        line: usize,
        column: usize,
        name: String,
        value: String,
    },
    #[error("line {line}, column {column} (\"{name}\"): \"?\" is listed with other labels; write ? alone for a row that is not annotated")]
    UnknownInSet {
        line: usize,
        column: usize,
        name: String,
    },
    #[error("label \"{label}\" has no positive row; a label nobody carries cannot be learned: drop its column or add positives")]
    LabelWithoutPositive { label: String },
    #[error("every label entry is unknown; annotate at least some entries 0 or 1")]
    AllUnknown,
    #[error("the label-set column {column} (\"{name}\") names no label in any row; is it the right column and delimiter?")]
    NoLabelNamed { column: usize, name: String },
    #[error(transparent)]
    Labels(#[from] LabelMatrixError),
}

impl From<MultilabelCsvError> for EngineError {
    fn from(e: MultilabelCsvError) -> Self {
        EngineError::Data(e.to_string())
    }
}

/// The 0-based positions of the label columns in `header` (as the CSV reader names the header):
/// the indicator columns in label order, or the one label-set column.
pub fn label_positions(
    choice: &MultilabelColumns,
    header: &[String],
) -> Result<Vec<usize>, MultilabelCsvError> {
    let positions: Vec<usize> = match choice {
        MultilabelColumns::Indicators { columns } => {
            let mut positions = Vec::with_capacity(columns.len());
            for c in columns {
                let j = resolve_label(c, header)?;
                if positions.contains(&j) {
                    return Err(MultilabelCsvError::DuplicateLabelColumn {
                        name: header[j].clone(),
                        column: j + 1,
                    });
                }
                positions.push(j);
            }
            positions
        }
        MultilabelColumns::Prefix { prefix } if prefix.trim().is_empty() => {
            return Err(MultilabelCsvError::NoLabelColumns)
        }
        MultilabelColumns::Prefix { prefix } => {
            let positions: Vec<usize> = (0..header.len())
                .filter(|&j| header[j].starts_with(prefix.trim()))
                .collect();
            if positions.is_empty() {
                return Err(MultilabelCsvError::NoPrefixMatch {
                    prefix: prefix.clone(),
                    available: summarize_names(header),
                });
            }
            positions
        }
        MultilabelColumns::LabelSet { column, delimiter } => {
            if delimiter.is_empty() {
                return Err(MultilabelCsvError::EmptyDelimiter);
            }
            vec![resolve_label(column, header)?]
        }
    };
    if positions.is_empty() {
        return Err(MultilabelCsvError::NoLabelColumns);
    }
    if positions.len() > MAX_LABELS {
        return Err(MultilabelCsvError::TooManyLabels {
            count: positions.len(),
            limit: MAX_LABELS,
        });
    }
    Ok(positions)
}

fn resolve_label(c: &ColumnRef, header: &[String]) -> Result<usize, MultilabelCsvError> {
    match c {
        ColumnRef::Index(i) if *i < header.len() => Ok(*i),
        ColumnRef::Index(i) => Err(MultilabelCsvError::LabelIndexOutOfRange {
            index: *i,
            columns: header.len(),
        }),
        ColumnRef::Name(name) => header.iter().position(|h| h == name.trim()).ok_or_else(|| {
            MultilabelCsvError::NoSuchLabelColumn {
                name: name.clone(),
                available: summarize_names(header),
            }
        }),
    }
}

/// One row's label-set cell as read, before every name is known: provisional label ids, or `None`
/// for an unannotated row (`?`).
type SetCell = Option<Vec<usize>>;

/// Parses `bytes` as a multi-label table (see the module doc for the layouts). Refuses a label with no
/// positive and a file whose every label entry is unknown, as training would.
pub fn parse(
    bytes: &[u8],
    options: &MultilabelCsvOptions,
) -> Result<MultilabelTable, MultilabelCsvError> {
    let (mut records, header) = open_with_header(bytes)?;
    let n_columns = header.len();
    if n_columns > MAX_COLUMNS {
        return Err(CsvError::TooManyColumns {
            columns: n_columns,
            limit: MAX_COLUMNS,
        }
        .into());
    }
    let label_cols = label_positions(&options.labels, &header)?;
    if options.features.is_none() && label_cols.len() >= n_columns {
        return Err(MultilabelCsvError::NoFeatureColumns);
    }
    let feature_cols =
        resolve_features_excluding(options.features.as_deref(), &header, &label_cols)?;
    let feature_names: Vec<String> = feature_cols.iter().map(|&j| header[j].clone()).collect();
    let mut slot_of_column: Vec<Option<usize>> = vec![None; n_columns];
    for (slot, &j) in feature_cols.iter().enumerate() {
        slot_of_column[j] = Some(slot);
    }
    // For indicator layouts, which label each column is.
    let mut label_of_column: Vec<Option<usize>> = vec![None; n_columns];
    let set_delimiter = match &options.labels {
        MultilabelColumns::LabelSet { delimiter, .. } => Some(delimiter.as_str()),
        _ => {
            for (l, &j) in label_cols.iter().enumerate() {
                label_of_column[j] = Some(l);
            }
            None
        }
    };
    let set_col = label_cols[0];

    let mut fields: Vec<Cow<str>> = Vec::new();
    let mut row = vec![0.0; feature_cols.len()];
    let mut x: Vec<f64> = Vec::new();
    let mut entries: Vec<LabelEntry> = Vec::new();
    let mut sets: Vec<SetCell> = Vec::new();
    let mut n_rows = 0usize;
    let mut set_names: BTreeMap<String, usize> = BTreeMap::new();
    let mut entry_row = vec![LabelEntry::Negative; label_cols.len()];
    while let Some(line) = records.next_record(&mut fields)? {
        if fields.len() != n_columns {
            return Err(CsvError::Ragged {
                line,
                found: fields.len(),
                expected: n_columns,
            }
            .into());
        }
        if n_rows == MAX_ROWS {
            return Err(CsvError::TooManyRows { limit: MAX_ROWS }.into());
        }
        for (j, cell) in fields.iter().enumerate() {
            let cell = cell.trim();
            if let Some(slot) = slot_of_column[j] {
                row[slot] = parse_number(cell, line, j, &header)?;
            } else if let Some(l) = label_of_column[j] {
                entry_row[l] = match cell {
                    "" => LabelEntry::Unknown,
                    _ => LabelEntry::parse(cell).ok_or_else(|| MultilabelCsvError::NotBinary {
                        line,
                        column: j + 1,
                        name: header[j].clone(),
                        value: shorten(cell),
                    })?,
                };
            } else if let (Some(delimiter), true) = (set_delimiter, j == set_col) {
                let set = read_set(cell, delimiter, &mut set_names).map_err(|()| {
                    MultilabelCsvError::UnknownInSet {
                        line,
                        column: j + 1,
                        name: header[j].clone(),
                    }
                })?;
                sets.push(set);
                if set_names.len() > MAX_LABELS {
                    return Err(MultilabelCsvError::TooManyLabels {
                        count: set_names.len(),
                        limit: MAX_LABELS,
                    });
                }
            }
        }
        x.extend_from_slice(&row);
        if set_delimiter.is_none() {
            entries.extend_from_slice(&entry_row);
        }
        n_rows += 1;
    }
    if n_rows == 0 {
        return Err(CsvError::NoDataRows.into());
    }

    let (label_names, n_labels) = match set_delimiter {
        None => (
            label_cols
                .iter()
                .map(|&j| header[j].clone())
                .collect::<Vec<_>>(),
            label_cols.len(),
        ),
        Some(_) => {
            if set_names.is_empty() {
                if sets.iter().all(Option::is_none) {
                    return Err(MultilabelCsvError::AllUnknown);
                }
                return Err(MultilabelCsvError::NoLabelNamed {
                    column: set_col + 1,
                    name: header[set_col].clone(),
                });
            }
            // Provisional ids are in order of first appearance; labels are in byte order of the names.
            let mut label_of_id = vec![0; set_names.len()];
            for (label, &id) in set_names.values().enumerate() {
                label_of_id[id] = label;
            }
            let l_count = set_names.len();
            for set in &sets {
                match set {
                    None => entries.extend(std::iter::repeat_n(LabelEntry::Unknown, l_count)),
                    Some(ids) => {
                        let start = entries.len();
                        entries.extend(std::iter::repeat_n(LabelEntry::Negative, l_count));
                        for &id in ids {
                            entries[start + label_of_id[id]] = LabelEntry::Positive;
                        }
                    }
                }
            }
            (set_names.into_keys().collect(), l_count)
        }
    };
    let labels = LabelMatrix::new(entries, n_labels, MAX_LABELS)?;
    if labels.unknown_count() == labels.entries().len() {
        return Err(MultilabelCsvError::AllUnknown);
    }
    if let Some(l) = labels.positives_per_label().iter().position(|&c| c == 0) {
        return Err(MultilabelCsvError::LabelWithoutPositive {
            label: label_names[l].clone(),
        });
    }
    // Every feature value went through `parse_number` (finite) and every row has one value per
    // feature column, so the table is a valid `MultilabelData` as built.
    let n_features = feature_names.len();
    let standardization = options
        .standardize
        .then(|| standardize_rows(&mut x, n_rows, n_features));
    Ok(MultilabelTable {
        data: MultilabelData {
            x,
            n_features,
            labels,
        },
        feature_names,
        label_names,
        standardization,
    })
}

/// Reads a label-set cell, registering new names; `Err` when `?` is listed with other labels.
fn read_set(
    cell: &str,
    delimiter: &str,
    names: &mut BTreeMap<String, usize>,
) -> Result<SetCell, ()> {
    if cell == "?" {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for part in cell
        .split(delimiter)
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if part == "?" {
            return Err(());
        }
        let next = names.len();
        let id = *names.entry(part.to_string()).or_insert(next);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(Some(ids))
}
