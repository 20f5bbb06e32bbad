//! CSV export of tables and of the data behind every chart and map, for French Excel by default:
//! UTF-8 with BOM, `;` separator, decimal comma, CRLF line ends; `international` gives `,` and `.`.
//! Codes are written verbatim (`02691`, `2A004`), secret cells as `s`, missing ones as `nd`.
//! Quoting (separator, quote, line breaks `\n` and `\r`) is done here and nowhere else: files go
//! through [`to_csv`], the command line's standard output through [`to_csv_lines`].

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
    /// Every style, as the command line lists them.
    pub const ALL: [CsvStyle; 2] = [CsvStyle::French, CsvStyle::International];

    /// The name the command line takes (`french`, `international`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            CsvStyle::French => "french",
            CsvStyle::International => "international",
        }
    }

    /// The style of a [`CsvStyle::key`].
    ///
    /// ```
    /// use indicarto::export::csv::CsvStyle;
    /// assert_eq!(CsvStyle::parse("international"), Some(CsvStyle::International));
    /// assert_eq!(CsvStyle::parse("excel"), None);
    /// ```
    #[must_use]
    pub fn parse(key: &str) -> Option<CsvStyle> {
        CsvStyle::ALL.into_iter().find(|s| s.key() == key)
    }

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
        /// Decimals written (the indicator's).
        decimals: usize,
    },
    /// A plain integer (a year, a count).
    Integer(i64),
    /// A number as data holds it (a numerator, a denominator): the shortest text that reads back
    /// the same number, with the style's decimal mark. Never for a value under secrecy, which only
    /// [`CsvCell::Value`] masks.
    Number(f64),
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
    write_table(&mut out, table, style, "\r\n");
    out
}

/// Writes the table for a terminal or a pipe: the same cells and quoting as [`to_csv`], without
/// the byte-order mark and with `\n` line ends, as command-line tools expect.
///
/// ```
/// use indicarto::export::csv::{to_csv_lines, CsvCell, CsvStyle, CsvTable};
/// let table = CsvTable {
///     header: vec!["nom".into(), "numerateur".into()],
///     rows: vec![vec![CsvCell::Text("Saint-Denis\r".into()), CsvCell::Number(2615635.5)]],
/// };
/// assert_eq!(to_csv_lines(&table, CsvStyle::French), "nom;numerateur\n\"Saint-Denis\r\";2615635,5\n");
/// ```
#[must_use]
pub fn to_csv_lines(table: &CsvTable, style: CsvStyle) -> String {
    let mut out = String::new();
    write_table(&mut out, table, style, "\n");
    out
}

fn write_table(out: &mut String, table: &CsvTable, style: CsvStyle, line_end: &str) {
    let sep = style.separator();
    let mark = style.decimal_mark();
    let write_row = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push_str(&quote(&cell, sep));
        }
        out.push_str(line_end);
    };
    write_row(out, &mut table.header.iter().cloned());
    for row in &table.rows {
        write_row(
            out,
            &mut row.iter().map(|cell| match cell {
                CsvCell::Text(t) => t.clone(),
                CsvCell::Value { value, decimals } => value.to_csv_cell(*decimals, mark),
                CsvCell::Integer(n) => n.to_string(),
                CsvCell::Number(v) => {
                    let text = v.to_string();
                    if mark == '.' { text } else { text.replace('.', &mark.to_string()) }
                }
            }),
        );
    }
}

fn quote(text: &str, sep: char) -> String {
    if text.contains(sep) || text.contains('"') || text.contains('\n') || text.contains('\r') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
