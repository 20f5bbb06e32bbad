//! Typed tables: a data file opened once ([`Source`]: dialect and header for CSV, schema for
//! Parquet), then only the columns a caller needs read by polars, codes as text and numbers
//! straight into `f64` columns ([`NumberColumn`]). No cell becomes a Rust `String`.
//!
//! Numbers: polars parses the plain ones (`12`, `3,5` with the sniffed decimal comma, `1e3`) on
//! every core. What it cannot parse (markers such as `s` or `nd`, `1 234`, a stray `12,5 %`) is
//! read again as text, for those columns only, and each such cell goes through
//! [`parse_number`], so a marker keeps its meaning (secret vs missing) and a bad cell its French
//! message and line. Strings polars would read as non-finite (`inf`, `NaN`) are refused as in
//! [`parse_number`].
//!
//! Depends on nothing else in the crate but the table types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::{DataFrame, StringChunked};

use super::csv::{CsvError, CsvOptions, CsvSource, SourceFormat, clean_cell};
use super::number::{NumberCell, NumberError, parse_number};
use super::parquet;
use super::sniff::RowLines;

/// Cells that are not numbers kept per column: enough to list the first problems of a file.
const MAX_ERRORS_PER_COLUMN: usize = 1000;

/// One column of numbers: a value per row (NaN where there is none), the rows the source marks
/// secret, and the cells that are not numbers.
#[derive(Debug, Clone, Default)]
pub struct NumberColumn {
    values: Vec<f64>,
    /// One bit per row, allocated with the first secret cell.
    secret: Vec<u64>,
    errors: Vec<(usize, NumberError)>,
}

impl NumberColumn {
    pub(super) fn from_values(values: Vec<f64>) -> Self {
        NumberColumn { values, secret: Vec::new(), errors: Vec::new() }
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the column has no row.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The cell of a row: a number, missing (empty, a missing marker, a cell in error, a row past
    /// the end) or secret.
    #[must_use]
    pub fn get(&self, row: usize) -> NumberCell {
        if self.secret.get(row / 64).is_some_and(|word| word >> (row % 64) & 1 == 1) {
            return NumberCell::Secret;
        }
        match self.values.get(row) {
            Some(v) if !v.is_nan() => NumberCell::Number(*v),
            _ => NumberCell::Missing,
        }
    }

    /// The cells that are not numbers, by row (at most the first thousand).
    #[must_use]
    pub fn errors(&self) -> &[(usize, NumberError)] {
        &self.errors
    }

    /// Reads one cell from its text.
    pub(super) fn set_from_text(&mut self, row: usize, text: &str) {
        let Some(slot) = self.values.get_mut(row) else { return };
        *slot = f64::NAN;
        match parse_number(text) {
            Ok(NumberCell::Number(v)) => *slot = v,
            Ok(NumberCell::Missing) => {}
            Ok(NumberCell::Secret) => {
                if self.secret.is_empty() {
                    self.secret = vec![0; self.values.len().div_ceil(64)];
                }
                self.secret[row / 64] |= 1 << (row % 64);
            }
            Err(e) => {
                if self.errors.len() < MAX_ERRORS_PER_COLUMN {
                    self.errors.push((row, e));
                }
            }
        }
    }
}

/// A table read for a caller: the columns it asked for, text or numbers.
#[derive(Debug, Clone)]
pub struct Table {
    /// File, for messages.
    pub path: PathBuf,
    /// CSV or Parquet.
    pub format: SourceFormat,
    /// Every column name of the file (read or not), for messages.
    pub columns: Vec<String>,
    lines: RowLines,
    text: Vec<(usize, StringChunked)>,
    numbers: Vec<(usize, NumberColumn)>,
}

impl Table {
    /// Number of data rows.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// 1-based line of a data row in the original file (Parquet: row + 1); 0 past the end.
    #[must_use]
    pub fn line_of_row(&self, row: usize) -> usize {
        self.lines.line(row)
    }

    /// The text of a cell of a column read as text, trimmed; `None` when empty or not read.
    #[must_use]
    pub fn text(&self, row: usize, col: usize) -> Option<&str> {
        let (_, column) = self.text.iter().find(|(c, _)| *c == col)?;
        if row >= column.len() {
            return None;
        }
        clean_cell(column.get(row))
    }

    /// A column read as numbers.
    #[must_use]
    pub fn numbers(&self, col: usize) -> Option<&NumberColumn> {
        self.numbers.iter().find(|(c, _)| *c == col).map(|(_, n)| n)
    }
}

/// A data file opened: its columns known, none read yet.
pub struct Source {
    path: PathBuf,
    inner: Inner,
}

enum Inner {
    Csv(CsvSource),
    Parquet(Vec<String>),
}

impl Source {
    /// Opens a file: `.parquet` by its schema, anything else as delimited text (decoded, sniffed
    /// and checked row by row; `options` override the sniffer).
    pub fn open(path: &Path, options: &CsvOptions) -> Result<Source, CsvError> {
        let inner = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
            Inner::Parquet(parquet::column_names(path)?)
        } else {
            Inner::Csv(CsvSource::open(path, options)?)
        };
        Ok(Source { path: path.to_path_buf(), inner })
    }

    /// The column names.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        match &self.inner {
            Inner::Csv(csv) => &csv.names,
            Inner::Parquet(names) => names,
        }
    }

    /// Index of the column called `name`: exact first, then ignoring case.
    #[must_use]
    pub fn column_index(&self, name: &str) -> Option<usize> {
        super::column_index(self.columns(), name)
    }

    /// Reads the columns `text` as text and `numbers` as numbers (a column may be in both).
    pub fn read(&self, text: &[usize], numbers: &[usize]) -> Result<Table, CsvError> {
        let text: BTreeSet<usize> = text.iter().copied().filter(|&c| c < self.columns().len()).collect();
        let numbers: BTreeSet<usize> = numbers.iter().copied().filter(|&c| c < self.columns().len()).collect();
        match &self.inner {
            Inner::Csv(csv) => read_csv(csv, &text, &numbers),
            Inner::Parquet(names) => read_parquet(&self.path, names, &text, &numbers),
        }
    }
}

fn read_parquet(
    path: &Path,
    names: &[String],
    text: &BTreeSet<usize>,
    numbers: &BTreeSet<usize>,
) -> Result<Table, CsvError> {
    let projection: Vec<usize> = text.union(numbers).copied().collect();
    let frame = parquet::read_projection(path, &projection)?;
    let text =
        text.iter().map(|&c| Ok((c, parquet::text_column(path, &frame, &names[c])?))).collect::<Result<_, _>>()?;
    let numbers =
        numbers.iter().map(|&c| Ok((c, parquet::number_column(path, &frame, &names[c])?))).collect::<Result<_, _>>()?;
    Ok(Table {
        path: path.to_path_buf(),
        format: SourceFormat::Parquet,
        columns: names.to_vec(),
        lines: RowLines::consecutive(frame.height(), 1),
        text,
        numbers,
    })
}

/// One polars read of the wanted columns; strict (a cell that is not a plain number fails it)
/// unless the first rows already show markers in a number column, and lenient on a second try.
fn read_csv(csv: &CsvSource, text: &BTreeSet<usize>, numbers: &BTreeSet<usize>) -> Result<Table, CsvError> {
    // A column asked both ways is read as text by polars, and its numbers from that text.
    let typed: BTreeSet<usize> = numbers.difference(text).copied().collect();
    let projection: Vec<usize> = text.union(numbers).copied().collect();
    let mut lenient = typed.iter().any(|c| csv.marked_columns.contains(c));
    let frame = match csv.polars_read(&projection, &typed, lenient) {
        Ok(frame) => frame,
        Err(_) if !lenient => {
            lenient = true;
            csv.polars_read(&projection, &typed, true).map_err(|e| csv.tokenize_error(e))?
        }
        Err(e) => return Err(csv.tokenize_error(e)),
    };
    let text_cols: Vec<usize> = text.iter().copied().collect();
    let text_columns = csv.string_columns(&frame, &text_cols)?;
    let mut number_columns = Vec::with_capacity(numbers.len());
    let mut again = Vec::new();
    for &c in numbers {
        let (column, redo) = if typed.contains(&c) {
            float_column(csv, &frame, c, lenient)?
        } else {
            (NumberColumn::from_values(vec![f64::NAN; csv.n_rows()]), true)
        };
        if redo {
            again.push(number_columns.len());
        }
        number_columns.push((c, column));
    }
    drop(frame);
    if !again.is_empty() {
        let cols: Vec<usize> = again.iter().map(|&i| number_columns[i].0).collect();
        let frame = csv.polars_read(&cols, &BTreeSet::new(), false).map_err(|e| csv.tokenize_error(e))?;
        let strings = csv.string_columns(&frame, &cols)?;
        for (&i, strings) in again.iter().zip(&strings) {
            let column = &mut number_columns[i].1;
            for (row, cell) in strings.iter().enumerate() {
                let needs_text = match column.values.get(row) {
                    Some(v) => !v.is_finite(),
                    None => false,
                };
                if needs_text && let Some(cell) = cell {
                    column.set_from_text(row, cell);
                }
            }
        }
    }
    Ok(Table {
        path: csv.path.clone(),
        format: SourceFormat::Csv,
        columns: csv.names.clone(),
        lines: csv.lines.clone(),
        text: text_cols.into_iter().zip(text_columns).collect(),
        numbers: number_columns,
    })
}

/// An `f64` column polars read, and whether some of its cells must be read again as text: nulls
/// of a lenient read (cells polars could not parse, or empty), and non-finite values.
fn float_column(
    csv: &CsvSource,
    frame: &DataFrame,
    col: usize,
    lenient: bool,
) -> Result<(NumberColumn, bool), CsvError> {
    let floats = frame.column(&csv.names[col]).and_then(|c| c.f64().cloned()).map_err(|e| csv.tokenize_error(e))?;
    let values: Vec<f64> = floats.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    let redo = (lenient && floats.null_count() > 0)
        || values.iter().any(|v| v.is_infinite())
        || floats.iter().any(|v| v.is_some_and(f64::is_nan));
    Ok((NumberColumn::from_values(values), redo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn source(text: &str) -> (tempfile::TempDir, Source) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let source = Source::open(&path, &CsvOptions::default()).unwrap();
        (dir, source)
    }

    fn cells(column: &NumberColumn) -> Vec<NumberCell> {
        (0..column.len()).map(|r| column.get(r)).collect()
    }

    #[test]
    fn plain_numbers_with_decimal_comma_are_read_by_polars() {
        let (_dir, src) = source("code;pop;taux\n02001;518;12,5\n2A004;70 000;\n59350;238246;-0,25\n");
        let table = src.read(&[0], &[1, 2]).unwrap();
        assert_eq!(table.text(0, 0), Some("02001"));
        assert_eq!(table.text(1, 0), Some("2A004"));
        // `70 000` is not a plain number for polars: read again as text, by the French rules.
        assert_eq!(
            cells(table.numbers(1).unwrap()),
            [NumberCell::Number(518.0), NumberCell::Number(70_000.0), NumberCell::Number(238_246.0)]
        );
        assert_eq!(
            cells(table.numbers(2).unwrap()),
            [NumberCell::Number(12.5), NumberCell::Missing, NumberCell::Number(-0.25)]
        );
        assert_eq!(table.line_of_row(2), 4);
        assert_eq!(table.text(0, 1), None, "a column read as numbers only has no text");
    }

    #[test]
    fn markers_keep_their_meaning_far_from_the_first_rows() {
        // The sniffer sees only the first rows; the `s` and `nd` of row 400 must still count.
        let mut text = String::from("code,valeur\n");
        for i in 0..500 {
            let cell = match i {
                400 => "s".to_owned(),
                401 => "nd".to_owned(),
                402 => "inf".to_owned(),
                _ => format!("{i}.5"),
            };
            let _ = writeln!(text, "{i:05},{cell}");
        }
        let (_dir, src) = source(&text);
        let table = src.read(&[0], &[1]).unwrap();
        let column = table.numbers(1).unwrap();
        assert_eq!(column.get(399), NumberCell::Number(399.5));
        assert_eq!(column.get(400), NumberCell::Secret);
        assert_eq!(column.get(401), NumberCell::Missing);
        assert_eq!(column.get(402), NumberCell::Missing);
        assert_eq!(column.errors().len(), 1);
        assert_eq!(column.errors()[0].0, 402);
        assert!(column.errors()[0].1.to_string().contains("inf"), "{:?}", column.errors());
        assert_eq!(table.line_of_row(402), 404);
    }

    #[test]
    fn bad_cells_are_errors_with_their_row() {
        let (_dir, src) = source("code;valeur\n01;1,5\n02;12,5 %\n03;1.234,5\n04;abc\n");
        let table = src.read(&[], &[1]).unwrap();
        let rows: Vec<usize> = table.numbers(1).unwrap().errors().iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, [1, 2, 3]);
        assert_eq!(table.numbers(1).unwrap().get(0), NumberCell::Number(1.5));
    }

    #[test]
    fn a_column_asked_as_text_and_numbers_gives_both() {
        let (_dir, src) = source("code;annee\n01;2019\n02;2020\n");
        let table = src.read(&[1], &[1]).unwrap();
        assert_eq!(table.text(1, 1), Some("2020"));
        assert_eq!(table.numbers(1).unwrap().get(1), NumberCell::Number(2020.0));
    }

    #[test]
    fn parquet_numbers_and_text_numbers() {
        use polars::prelude::{Column, DataFrame, ParquetWriter};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut frame = DataFrame::new(
            3,
            vec![
                Column::new("code".into(), ["02001", "2A004", "59350"]),
                Column::new("pop".into(), [Some(518_i64), None, Some(238_246)]),
                Column::new("taux".into(), ["12,5", "s", "nd"]),
                Column::new("ratio".into(), [0.5_f64, f64::NAN, 2.0]),
            ],
        )
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut frame).unwrap();
        let src = Source::open(&path, &CsvOptions::default()).unwrap();
        assert_eq!(src.columns(), ["code", "pop", "taux", "ratio"]);
        let table = src.read(&[0], &[1, 2, 3]).unwrap();
        assert_eq!(table.format, SourceFormat::Parquet);
        assert_eq!(table.text(1, 0), Some("2A004"));
        assert_eq!(
            cells(table.numbers(1).unwrap()),
            [NumberCell::Number(518.0), NumberCell::Missing, NumberCell::Number(238_246.0)]
        );
        assert_eq!(
            cells(table.numbers(2).unwrap()),
            [NumberCell::Number(12.5), NumberCell::Secret, NumberCell::Missing]
        );
        assert_eq!(table.numbers(3).unwrap().errors().len(), 1, "a NaN float is not a number");
        assert_eq!(table.line_of_row(0), 1);
    }
}
