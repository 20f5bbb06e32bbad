//! CSV export of tables and of the data behind every chart and map, for French Excel by default:
//! UTF-8 with BOM, `;` separator, decimal comma, CRLF line ends; `international` gives `,` and `.`.
//! Codes are written verbatim (`02691`, `2A004`), secret cells as `s`, missing ones as `nd`.

use crate::value::Value;

/// Separator and decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvStyle {
    /// `;` and decimal comma (French Excel).
    #[default]
    French,
    /// `,` and decimal point.
    International,
}

impl CsvStyle {
    fn separator(self) -> char {
        match self {
            CsvStyle::French => ';',
            CsvStyle::International => ',',
        }
    }

    fn decimal_mark(self) -> char {
        match self {
            CsvStyle::French => ',',
            CsvStyle::International => '.',
        }
    }
}

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvCell {
    /// Text (names, labels, codes).
    Text(String),
    /// A value with its decimals; secret and missing values become their markers.
    Value {
        /// The value.
        value: Value,
        /// Decimals.
        decimals: usize,
    },
    /// A plain integer (a year, a count).
    Integer(i64),
}

/// A table to export.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsvTable {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, as long as the header.
    pub rows: Vec<Vec<CsvCell>>,
}

/// Writes the table.
///
/// ```
/// use indicarto::export::csv::{to_csv, CsvCell, CsvStyle, CsvTable};
/// use indicarto::value::Value;
/// let table = CsvTable {
///     header: vec!["code".into(), "valeur".into()],
///     rows: vec![
///         vec![CsvCell::Text("02691".into()), CsvCell::Value { value: Value::Available(1234.5), decimals: 1 }],
///         vec![CsvCell::Text("2A004".into()), CsvCell::Value { value: Value::Secret, decimals: 1 }],
///     ],
/// };
/// assert_eq!(to_csv(&table, CsvStyle::French), "\u{feff}code;valeur\r\n02691;1234,5\r\n2A004;s\r\n");
/// ```
#[must_use]
pub fn to_csv(table: &CsvTable, style: CsvStyle) -> String {
    let mut out = String::from("\u{feff}");
    let sep = style.separator();
    let write_row = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push_str(&quote(&cell, sep));
        }
        out.push_str("\r\n");
    };
    write_row(&mut out, &mut table.header.iter().cloned());
    for row in &table.rows {
        write_row(
            &mut out,
            &mut row.iter().map(|cell| match cell {
                CsvCell::Text(t) => t.clone(),
                CsvCell::Value { value, decimals } => value.to_csv_cell(*decimals, style.decimal_mark()),
                CsvCell::Integer(n) => n.to_string(),
            }),
        );
    }
    out
}

fn quote(text: &str, sep: char) -> String {
    if text.contains(sep) || text.contains('"') || text.contains('\n') || text.contains('\r') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
