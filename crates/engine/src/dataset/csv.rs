//! Importing a user's CSV file as a labelled table.
//!
//! The format is RFC 4180 CSV: a header row, then one record per line; fields may be quoted with `"`
//! (a doubled `""` inside quotes is a literal quote, and quoted fields may hold delimiters and line
//! breaks); lines end with LF or CRLF; a UTF-8 byte-order mark and blank lines are ignored. The
//! delimiter is `,` unless the header has none and has `;` or a tab (spreadsheet exports).
//!
//! Errors name the **line** of the file (the header is line 1; a record that spans lines is named by
//! the line it starts on) and the **column** by its header name and 1-based position.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::feature_columns::{resolve_features, ColumnRef};
use super::Dataset;
use crate::error::EngineError;

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Most data rows accepted (the engine-wide row bound).
pub const MAX_ROWS: usize = super::spec::MAX_ROWS;
/// Most columns accepted, the label column included.
pub const MAX_COLUMNS: usize = 1000;
/// Most distinct labels accepted; more usually means a numeric feature was taken for the label.
pub const MAX_CLASSES: usize = super::spec::MAX_CLASSES;

/// Which column holds the class label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelColumn {
    /// The last column.
    #[default]
    Last,
    /// The column at this 0-based position.
    Index(usize),
    /// The first column whose header is exactly this (after trimming spaces).
    Name(String),
}

/// How to read a CSV file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    pub label_column: LabelColumn,
    /// The feature columns, in this order; `None`: every column but the label, in file order
    /// (see [`super::feature_columns`]). Columns left out are not read as numbers.
    pub features: Option<Vec<ColumnRef>>,
    /// Replace each feature by its z-score (see [`Standardization`]).
    pub standardize: bool,
}

/// Per-feature mean and population standard deviation used to standardize.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardization {
    pub mean: Vec<f64>,
    /// Population standard deviation (divides by n, as scikit-learn's `StandardScaler`); a constant
    /// column has 0 here and its standardized values are all 0.
    pub std: Vec<f64>,
}

/// An imported table: the data with labels `0..K`, and the names to display.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub data: Dataset,
    pub feature_names: Vec<String>,
    pub label_name: String,
    /// The original label of each class, in class order.
    pub class_names: Vec<String>,
    /// Present when the features were standardized.
    pub standardization: Option<Standardization>,
}

/// What is wrong with a CSV file. Every message says where and what to change.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum CsvError {
    #[error(
        "the file is {bytes} bytes; at most {limit} bytes can be imported. Remove rows or columns"
    )]
    TooLarge { bytes: usize, limit: usize },
    #[error("the file is not UTF-8 text (invalid byte at offset {offset}). Save it as UTF-8 CSV")]
    NotUtf8 { offset: usize },
    #[error("the file is empty; it needs a header row and data rows")]
    Empty,
    #[error("the file has a header row but no data rows")]
    NoDataRows,
    #[error("the file has more than {limit} data rows. Subsample it first")]
    TooManyRows { limit: usize },
    #[error("the header has {columns} columns; at most {limit} can be imported")]
    TooManyColumns { columns: usize, limit: usize },
    #[error(
        "the header has a single column; a label column and at least one feature column are needed"
    )]
    TooFewColumns,
    #[error("line {line}: a quoted field is never closed (a `\"` is missing)")]
    UnterminatedQuote { line: usize },
    #[error("line {line}: unexpected text after a closing quote; quote the whole field and double any `\"` inside it")]
    TextAfterQuote { line: usize },
    #[error("line {line}: {found} fields, but the header has {expected}. Every row needs one value per column")]
    Ragged {
        line: usize,
        found: usize,
        expected: usize,
    },
    #[error("there is no column named \"{name}\" in the header (columns: {available})")]
    NoSuchColumn { name: String, available: String },
    #[error("label column index {index} is out of range: the file has {columns} columns (0 to {})", columns - 1)]
    ColumnIndexOutOfRange { index: usize, columns: usize },
    #[error("there is no column named \"{name}\" to use as a feature (columns: {available}); choose feature columns from the header")]
    NoSuchFeature { name: String, available: String },
    #[error("feature column index {index} is out of range: the file has {columns} columns (0 to {})", columns - 1)]
    FeatureIndexOutOfRange { index: usize, columns: usize },
    #[error("column {column} (\"{name}\") is the label column, so it cannot also be a feature; uncheck it or choose another label column")]
    FeatureIsLabel { name: String, column: usize },
    #[error("feature columns: {0}")]
    FeatureChoice(String),
    #[error("line {line}, column {column} (\"{name}\"): the cell is empty. Fill or remove missing values")]
    Missing {
        line: usize,
        column: usize,
        name: String,
    },
    #[error("line {line}, column {column} (\"{name}\"): \"{value}\" is not a number. Features must be numeric")]
    NonNumeric {
        line: usize,
        column: usize,
        name: String,
        value: String,
    },
    #[error("line {line}, column {column} (\"{name}\"): \"{value}\" is not a finite number (NaN and infinity are not accepted)")]
    NonFinite {
        line: usize,
        column: usize,
        name: String,
        value: String,
    },
    #[error("line {line}: the label (column {column}, \"{name}\") is empty")]
    EmptyLabel {
        line: usize,
        column: usize,
        name: String,
    },
    #[error("every row has the label \"{label}\"; at least two classes are needed")]
    SingleClass { label: String },
    #[error("the label column \"{name}\" has {count} distinct values; at most {limit} classes are supported. Is it the right column?")]
    TooManyClasses {
        name: String,
        count: usize,
        limit: usize,
    },
    #[error("the label \"{label}\" occurs only once (line {line}); every class needs at least 2 rows for a train/test split. Remove that row or merge the class")]
    SingletonClass { label: String, line: usize },
}

impl From<CsvError> for EngineError {
    fn from(e: CsvError) -> Self {
        EngineError::Data(e.to_string())
    }
}

/// Parses `bytes` as a labelled CSV table.
///
/// Labels are mapped to `0..K` in sorted order of their distinct values: numerically when every label
/// reads as a number (so `"10"` follows `"9"`), else by byte order of the text; `class_names` keeps the
/// original text. A class with a single row is an error ([`CsvError::SingletonClass`]), not a warning:
/// the stratified split needs two rows of every class.
pub fn parse(bytes: &[u8], options: &CsvOptions) -> Result<Table, CsvError> {
    let (mut records, header) = open_with_header(bytes)?;
    let mut fields: Vec<Cow<str>> = Vec::new();
    let n_columns = header.len();
    if n_columns > MAX_COLUMNS {
        return Err(CsvError::TooManyColumns {
            columns: n_columns,
            limit: MAX_COLUMNS,
        });
    }
    if n_columns < 2 {
        return Err(CsvError::TooFewColumns);
    }
    let label_col = resolve_label_column(&options.label_column, &header)?;
    let label_name = header[label_col].clone();
    let feature_cols = resolve_features(options.features.as_deref(), &header, label_col)?;
    let feature_names: Vec<String> = feature_cols.iter().map(|&j| header[j].clone()).collect();
    let n_features = feature_cols.len();
    // Where each column's value goes in a row of features (`None`: the label or an unused column).
    let mut slot_of_column: Vec<Option<usize>> = vec![None; n_columns];
    for (slot, &j) in feature_cols.iter().enumerate() {
        slot_of_column[j] = Some(slot);
    }
    let mut row = vec![0.0; n_features];

    let mut x: Vec<f64> = Vec::new();
    // Labels get provisional ids in order of first appearance, remapped to sorted order at the end.
    let mut label_ids: HashMap<String, usize> = HashMap::new();
    let mut first_seen: Vec<(String, usize)> = Vec::new();
    let mut raw_y: Vec<usize> = Vec::new();
    while let Some(line) = records.next_record(&mut fields)? {
        if fields.len() != n_columns {
            return Err(CsvError::Ragged {
                line,
                found: fields.len(),
                expected: n_columns,
            });
        }
        if raw_y.len() == MAX_ROWS {
            return Err(CsvError::TooManyRows { limit: MAX_ROWS });
        }
        for (j, cell) in fields.iter().enumerate() {
            let cell = cell.trim();
            if j == label_col {
                if cell.is_empty() {
                    return Err(CsvError::EmptyLabel {
                        line,
                        column: j + 1,
                        name: header[j].clone(),
                    });
                }
                let next_id = first_seen.len();
                let id = *label_ids.entry(cell.to_string()).or_insert_with(|| {
                    first_seen.push((cell.to_string(), line));
                    next_id
                });
                raw_y.push(id);
            } else if let Some(slot) = slot_of_column[j] {
                row[slot] = parse_number(cell, line, j, &header)?;
            }
        }
        x.extend_from_slice(&row);
    }
    if raw_y.is_empty() {
        return Err(CsvError::NoDataRows);
    }
    if first_seen.len() > MAX_CLASSES {
        return Err(CsvError::TooManyClasses {
            name: label_name,
            count: first_seen.len(),
            limit: MAX_CLASSES,
        });
    }
    if first_seen.len() == 1 {
        return Err(CsvError::SingleClass {
            label: first_seen[0].0.clone(),
        });
    }
    let mut counts = vec![0usize; first_seen.len()];
    for &id in &raw_y {
        counts[id] += 1;
    }
    if let Some(id) = counts.iter().position(|&c| c == 1) {
        return Err(CsvError::SingletonClass {
            label: first_seen[id].0.clone(),
            line: first_seen[id].1,
        });
    }

    let order = sorted_label_order(&first_seen);
    let mut class_of_id = vec![0usize; order.len()];
    for (class, &id) in order.iter().enumerate() {
        class_of_id[id] = class;
    }
    let y: Vec<usize> = raw_y.iter().map(|&id| class_of_id[id]).collect();
    let class_names: Vec<String> = order.iter().map(|&id| first_seen[id].0.clone()).collect();

    let mut table = Table {
        data: Dataset::new(x, y, n_features, class_names.len()),
        feature_names,
        label_name,
        class_names,
        standardization: None,
    };
    if options.standardize {
        table.standardize();
    }
    Ok(table)
}

/// The header row as [`parse`] names the columns (trimmed; an unnamed column is `column N`), without
/// reading the data rows. Tools that write a table back out use it to restore the column order.
pub fn read_header(bytes: &[u8]) -> Result<Vec<String>, CsvError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut fields: Vec<Cow<str>> = Vec::new();
    match Records::new(text).next_record(&mut fields)? {
        Some(_) => Ok(header_names(&fields)),
        None => Err(CsvError::Empty),
    }
}

/// The header (as [`read_header`] names it) and the first `max_rows` data records as text, for a
/// preview shown before import. Reads only as far as needed; records are not checked against the
/// header or for numbers (that is [`parse`]'s job, with its messages).
pub fn read_first_rows(
    bytes: &[u8],
    max_rows: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), CsvError> {
    let (mut records, header) = open_with_header(bytes)?;
    let mut fields: Vec<Cow<str>> = Vec::new();
    let mut rows = Vec::new();
    while rows.len() < max_rows {
        if records.next_record(&mut fields)?.is_none() {
            break;
        }
        rows.push(fields.iter().map(|f| f.trim().to_string()).collect());
    }
    Ok((header, rows))
}

/// The checks every reader makes first (size, UTF-8, a leading byte-order mark), then the header
/// record; returns the reader positioned at the first data record.
pub(crate) fn open_with_header(bytes: &[u8]) -> Result<(Records<'_>, Vec<String>), CsvError> {
    if bytes.len() > MAX_BYTES {
        return Err(CsvError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records::new(text);
    let mut fields: Vec<Cow<str>> = Vec::new();
    if records.next_record(&mut fields)?.is_none() {
        return Err(CsvError::Empty);
    }
    Ok((records, header_names(&fields)))
}

// An unnamed column is shown by its position.
fn header_names(fields: &[Cow<str>]) -> Vec<String> {
    fields
        .iter()
        .enumerate()
        .map(|(j, f)| match f.trim() {
            "" => format!("column {}", j + 1),
            name => name.to_string(),
        })
        .collect()
}

impl LabelColumn {
    /// The 0-based position of the label column in `header` (as [`read_header`] returns it).
    pub fn resolve(&self, header: &[String]) -> Result<usize, CsvError> {
        resolve_label_column(self, header)
    }
}

impl Table {
    /// Replaces every feature by `(x − mean)/std` over the table's rows, with the population standard
    /// deviation (as `sklearn.preprocessing.StandardScaler`, tested against it). A constant column
    /// becomes all zeros. Calling it twice standardizes the already standardized values.
    pub fn standardize(&mut self) {
        let s = standardize_in_place(&mut self.data);
        self.standardization = Some(s);
    }
}

/// Standardizes `data`'s features in place and returns the statistics used.
pub fn standardize_in_place(data: &mut Dataset) -> Standardization {
    let n = data.len();
    standardize_rows(&mut data.x, n, data.n_features)
}

/// [`standardize_in_place`] on row-major features `x` of `n` rows of `d` values (the multi-label
/// import has no [`Dataset`]).
pub fn standardize_rows(x: &mut [f64], n: usize, d: usize) -> Standardization {
    let mut mean = vec![0.0; d];
    let mut std = vec![0.0; d];
    if n == 0 {
        return Standardization { mean, std };
    }
    for j in 0..d {
        let column = (0..n).map(|i| x[i * d + j]);
        let m = column.clone().sum::<f64>() / n as f64;
        let var = column.clone().map(|v| (v - m) * (v - m)).sum::<f64>() / n as f64;
        let constant = column.clone().all(|v| v == x[j]);
        mean[j] = m;
        std[j] = if constant { 0.0 } else { var.sqrt() };
    }
    for i in 0..n {
        for j in 0..d {
            let v = &mut x[i * d + j];
            *v = if std[j] == 0.0 {
                0.0
            } else {
                (*v - mean[j]) / std[j]
            };
        }
    }
    Standardization { mean, std }
}

fn resolve_label_column(choice: &LabelColumn, header: &[String]) -> Result<usize, CsvError> {
    match choice {
        LabelColumn::Last => Ok(header.len() - 1),
        LabelColumn::Index(i) => {
            if *i < header.len() {
                Ok(*i)
            } else {
                Err(CsvError::ColumnIndexOutOfRange {
                    index: *i,
                    columns: header.len(),
                })
            }
        }
        LabelColumn::Name(name) => {
            let wanted = name.trim();
            header
                .iter()
                .position(|h| h == wanted)
                .ok_or_else(|| CsvError::NoSuchColumn {
                    name: name.clone(),
                    available: summarize_names(header),
                })
        }
    }
}

pub(crate) fn summarize_names(header: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = header
        .iter()
        .take(SHOWN)
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if header.len() > SHOWN {
        s.push_str(&format!(", … ({} in all)", header.len()));
    }
    s
}

pub(crate) fn parse_number(
    cell: &str,
    line: usize,
    j: usize,
    header: &[String],
) -> Result<f64, CsvError> {
    if cell.is_empty() {
        return Err(CsvError::Missing {
            line,
            column: j + 1,
            name: header[j].clone(),
        });
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(CsvError::NonFinite {
            line,
            column: j + 1,
            name: header[j].clone(),
            value: cell.to_string(),
        }),
        Err(_) => Err(CsvError::NonNumeric {
            line,
            column: j + 1,
            name: header[j].clone(),
            value: shorten(cell),
        }),
    }
}

pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// Provisional label ids in class order: numeric order if every label is a finite number (ties, e.g.
/// `"1"` and `"1.0"`, by text), else byte order of the text.
fn sorted_label_order(labels: &[(String, usize)]) -> Vec<usize> {
    let numeric: Option<Vec<f64>> = labels
        .iter()
        .map(|(s, _)| s.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    let mut order: Vec<usize> = (0..labels.len()).collect();
    match numeric {
        Some(values) => order.sort_by(|&a, &b| {
            values[a]
                .total_cmp(&values[b])
                .then_with(|| labels[a].0.cmp(&labels[b].0))
        }),
        None => order.sort_by(|&a, &b| labels[a].0.cmp(&labels[b].0)),
    }
    order
}

/// A cursor over the records of CSV text. Works on bytes: the delimiter, quote and line breaks are
/// ASCII, so every slice boundary falls between UTF-8 characters.
pub(crate) struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delimiter: u8,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        let first_line = text.split(['\n', '\r']).next().unwrap_or("");
        let delimiter = if first_line.contains(',') {
            b','
        } else if first_line.contains(';') {
            b';'
        } else if first_line.contains('\t') {
            b'\t'
        } else {
            b','
        };
        Records {
            text,
            pos: 0,
            line: 1,
            delimiter,
        }
    }

    /// Reads the next non-blank record into `fields`; returns the line it starts on, or `None` at the
    /// end of the text.
    pub(crate) fn next_record(
        &mut self,
        fields: &mut Vec<Cow<'a, str>>,
    ) -> Result<Option<usize>, CsvError> {
        let b = self.text.as_bytes();
        loop {
            if self.pos >= b.len() {
                return Ok(None);
            }
            let start_line = self.line;
            fields.clear();
            loop {
                let value = if b[self.pos..].first() == Some(&b'"') {
                    self.quoted_field(start_line)?
                } else {
                    let start = self.pos;
                    while self.pos < b.len()
                        && b[self.pos] != self.delimiter
                        && b[self.pos] != b'\n'
                        && b[self.pos] != b'\r'
                    {
                        self.pos += 1;
                    }
                    Cow::Borrowed(&self.text[start..self.pos])
                };
                fields.push(value);
                match b.get(self.pos) {
                    Some(&c) if c == self.delimiter => self.pos += 1,
                    Some(b'\r') => {
                        self.pos += 1;
                        if b.get(self.pos) == Some(&b'\n') {
                            self.pos += 1;
                        }
                        self.line += 1;
                        break;
                    }
                    Some(b'\n') => {
                        self.pos += 1;
                        self.line += 1;
                        break;
                    }
                    None => break,
                    Some(_) => return Err(CsvError::TextAfterQuote { line: self.line }),
                }
            }
            let blank = fields.len() == 1 && fields[0].trim().is_empty();
            if !blank {
                return Ok(Some(start_line));
            }
        }
    }

    /// Reads a quoted field starting at the opening quote; leaves `pos` after the closing quote and any
    /// spaces that follow it.
    fn quoted_field(&mut self, start_line: usize) -> Result<Cow<'a, str>, CsvError> {
        let b = self.text.as_bytes();
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut segment = self.pos;
        loop {
            let Some(offset) = b[self.pos..].iter().position(|&c| c == b'"') else {
                return Err(CsvError::UnterminatedQuote { line: start_line });
            };
            let q = self.pos + offset;
            self.line += b[self.pos..q].iter().filter(|&&c| c == b'\n').count();
            if b.get(q + 1) == Some(&b'"') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&self.text[segment..=q]);
                self.pos = q + 2;
                segment = self.pos;
                continue;
            }
            let value = match owned {
                Some(mut s) => {
                    s.push_str(&self.text[segment..q]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&self.text[segment..q]),
            };
            self.pos = q + 1;
            while self.pos < b.len() && b[self.pos] == b' ' && self.delimiter != b' ' {
                self.pos += 1;
            }
            return Ok(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(text: &str) -> Vec<Vec<String>> {
        let mut r = Records::new(text);
        let mut f = Vec::new();
        let mut out = Vec::new();
        while r.next_record(&mut f).unwrap().is_some() {
            out.push(f.iter().map(|s| s.to_string()).collect());
        }
        out
    }

    #[test]
    fn quoted_fields_and_line_endings() {
        let rows = fields_of("a,\"b,c\"\r\n\"x\"\"y\",\"multi\nline\"\n\n1,2");
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), "b,c".into()],
                vec!["x\"y".into(), "multi\nline".into()],
                vec!["1".into(), "2".into()],
            ]
        );
    }

    #[test]
    fn header_and_label_position() {
        let bytes = "\u{feff}a; ;\"c\"\n1;2;x\n".as_bytes();
        let header = read_header(bytes).unwrap();
        assert_eq!(header, vec!["a", "column 2", "c"]);
        assert_eq!(LabelColumn::Last.resolve(&header), Ok(2));
        assert_eq!(LabelColumn::Name("column 2".into()).resolve(&header), Ok(1));
        assert!(LabelColumn::Index(3).resolve(&header).is_err());
        assert_eq!(read_header(b"\n\n"), Err(CsvError::Empty));
    }

    #[test]
    fn first_rows_for_a_preview() {
        let (header, rows) = read_first_rows(b"a,\"b,c\",y\n1, 2 ,x\n3,4,z\n5,6,x\n", 2).unwrap();
        assert_eq!(header, vec!["a", "b,c", "y"]);
        assert_eq!(rows, vec![vec!["1", "2", "x"], vec!["3", "4", "z"]]);
        assert_eq!(read_first_rows(b"", 5), Err(CsvError::Empty));
        assert!(matches!(
            read_first_rows(b"a,b\n\"1,2\n", 5),
            Err(CsvError::UnterminatedQuote { line: 2 })
        ));
    }

    #[test]
    fn semicolon_files_are_detected() {
        assert_eq!(fields_of("a;b\n1;2\n")[1], vec!["1", "2"]);
    }
}
