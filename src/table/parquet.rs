//! Parquet, the documented format for large packs (`docs/pack-format.md`): read by polars, only the
//! columns asked for, numbers straight into `f64` (integer and float columns), codes as text. A
//! number column stored as text (`"12,5"`, `"s"`) is read cell by cell with
//! [`super::number::parse_number`], so a
//! Parquet file may carry the same markers as a CSV file.
//!
//! Depends on nothing else in the crate but the table types.

use std::path::Path;

use polars::prelude::{DataFrame, DataType, ParquetReader, PolarsError, SerReader, StringChunked};

use super::csv::{CsvDialect, CsvError, SourceFormat, TextEncoding, TextTable};
use super::sniff::RowLines;
use super::typed::NumberColumn;

fn open(path: &Path) -> Result<std::fs::File, CsvError> {
    std::fs::File::open(path).map_err(|source| CsvError::Io { path: path.to_path_buf(), source })
}

fn parquet_error(path: &Path) -> impl Fn(PolarsError) -> CsvError + '_ {
    move |source| CsvError::Parquet { path: path.to_path_buf(), source }
}

/// The column names of a Parquet file, from its metadata only.
pub(super) fn column_names(path: &Path) -> Result<Vec<String>, CsvError> {
    let schema = ParquetReader::new(open(path)?).schema().map_err(parquet_error(path))?;
    Ok(schema.iter_names().map(ToString::to_string).collect())
}

/// Reads the columns `projection` (indices in the file) of a Parquet file.
pub(super) fn read_projection(path: &Path, projection: &[usize]) -> Result<DataFrame, CsvError> {
    ParquetReader::new(open(path)?).with_projection(Some(projection.to_vec())).finish().map_err(parquet_error(path))
}

/// A column as text: integers print without a decimal part (`2001`), floats as polars prints them
/// (`6.14`, `2.0`), nulls stay empty cells.
pub(super) fn text_column(path: &Path, frame: &DataFrame, name: &str) -> Result<StringChunked, CsvError> {
    frame
        .column(name)
        .and_then(|c| c.cast(&DataType::String))
        .and_then(|c| c.str().map(|ca| ca.rechunk().into_owned()))
        .map_err(|source| CsvError::ParquetColumn { path: path.to_path_buf(), column: name.to_owned(), source })
}

/// A column as numbers: numeric columns are cast to `f64` (a NaN or infinite float is not a
/// number, as in CSV), any other is read as text cell by cell.
pub(super) fn number_column(path: &Path, frame: &DataFrame, name: &str) -> Result<NumberColumn, CsvError> {
    let column_error = |source| CsvError::ParquetColumn { path: path.to_path_buf(), column: name.to_owned(), source };
    let column = frame.column(name).map_err(column_error)?;
    if column.dtype().is_primitive_numeric() {
        let floats = column.cast(&DataType::Float64).map_err(column_error)?;
        let floats = floats.f64().map_err(column_error)?;
        let mut out = NumberColumn::from_values(floats.iter().map(|v| v.unwrap_or(f64::NAN)).collect());
        for (row, v) in floats.iter().enumerate() {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                out.set_from_text(row, &v.to_string());
            }
        }
        return Ok(out);
    }
    let text = text_column(path, frame, name)?;
    let mut out = NumberColumn::from_values(vec![f64::NAN; text.len()]);
    for (row, cell) in text.iter().enumerate() {
        if let Some(cell) = cell {
            out.set_from_text(row, cell);
        }
    }
    Ok(out)
}

/// Reads a Parquet file and turns every column into text: integers print without a decimal part
/// (`2001`), floats as polars prints them (`6.14`, `2.0`), nulls stay empty cells.
pub fn read_parquet(path: &Path) -> Result<TextTable, CsvError> {
    let frame = ParquetReader::new(open(path)?).finish().map_err(parquet_error(path))?;
    let columns: Vec<String> = frame.get_column_names().iter().map(ToString::to_string).collect();
    let data = columns.iter().map(|name| text_column(path, &frame, name)).collect::<Result<Vec<_>, _>>()?;
    Ok(TextTable {
        path: path.to_path_buf(),
        dialect: CsvDialect { separator: b',', encoding: TextEncoding::Utf8, header_line: 0, crlf: false },
        format: SourceFormat::Parquet,
        lines: RowLines::consecutive(frame.height(), 1),
        columns,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{Column, ParquetWriter};

    #[test]
    fn parquet_columns_become_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut frame = DataFrame::new(
            3,
            vec![
                Column::new("code".into(), ["02001", "2A004", "59350"]),
                Column::new("pop".into(), [Some(518_i64), None, Some(238_246)]),
                Column::new("superf".into(), [6.14_f64, 2.0, 0.5]),
            ],
        )
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut frame).unwrap();
        let t = read_parquet(&path).unwrap();
        assert_eq!(t.format, SourceFormat::Parquet);
        assert_eq!(t.columns, ["code", "pop", "superf"]);
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.cell(0, 0), Some("02001"));
        assert_eq!(t.cell(0, 1), Some("518"));
        assert_eq!(t.cell(1, 1), None);
        assert_eq!(t.cell(0, 2), Some("6.14"));
        assert_eq!(t.line_of_row(2), 3);
        assert_eq!(t.line_of_row(3), 0);
        let err = read_parquet(&dir.path().join("absent.parquet")).unwrap_err();
        assert!(matches!(err, CsvError::Io { .. }));
        std::fs::write(dir.path().join("faux.parquet"), b"code;nom\n").unwrap();
        let err = read_parquet(&dir.path().join("faux.parquet")).unwrap_err();
        assert!(err.to_string().contains("faux.parquet"), "{err}");
    }
}
