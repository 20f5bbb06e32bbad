//! Reading delimited text the way French users actually produce it: Insee exports, Excel "CSV"
//! files and La Poste lists, loaded with no settings. This module owns the options and errors of
//! reading a file, the all-text [`TextTable`] (for callers that look at every cell: quick maps,
//! zonings) and [`CsvSource`], a file decoded and sniffed whose columns polars then reads, codes as
//! text (`02691`, `2A004`, `200041556` keep their exact spelling) and numbers straight into `f64`
//! columns ([`super::typed`]).
//!
//! It must not depend on the user interface (no egui) nor on indicator or pack types: the pack
//! loader builds on it, not the other way round.
//!
//! The work is split in two: a light pre-scan of our own ([`super::sniff`]) finds the dialect, the
//! header and the original line of every row (polars cannot report lines, and titles above the
//! header would confuse its schema), then polars' multi-threaded reader parses the data rows.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::{
    CsvReadOptions, DataFrame, DataType, Field, IntoColumn, NamedFrom, PolarsError, Schema, SerReader, StringChunked,
};

use super::sniff::{self, DataRows, RawRecord, RowLines};

pub use super::number::{NumberCell, NumberError, parse_number};
pub use super::parquet::read_parquet;

/// Settings that override the sniffer. The default (all `None`) is what the application uses:
/// users are never asked about separators or encodings unless detection failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Field separator, for example `b';'`. `None` lets the sniffer choose among `;` `,` tab `|`.
    pub separator: Option<u8>,
    /// Text encoding. `None` detects it from the bytes.
    pub encoding: Option<TextEncoding>,
    /// 0-based index of the physical line holding the header. `None` detects it, skipping
    /// title lines such as those of Insee "Statistiques locales" exports.
    pub header_line: Option<usize>,
}

/// The text encodings met in French data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 starting with the bytes EF BB BF, as Excel's "CSV UTF-8" writes it.
    Utf8Bom,
    /// Windows-1252, the legacy Windows and Insee encoding. A superset of ISO-8859-1 that has
    /// `œ` (0x9C) and `€` (0x80), which ISO-8859-1 would turn into control characters.
    Windows1252,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 avec BOM",
            Self::Windows1252 => "Windows-1252",
        })
    }
}

/// What the sniffer found, for messages and `indicarto info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    /// Field separator.
    pub separator: u8,
    /// Encoding the bytes were decoded from.
    pub encoding: TextEncoding,
    /// 0-based index of the physical line holding the header.
    pub header_line: usize,
    /// Whether lines end with CR LF (Windows) rather than LF.
    pub crlf: bool,
}

impl fmt::Display for CsvDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "séparateur {}, encodage {}, en-tête ligne {}, fins de ligne {}",
            SeparatorName(self.separator),
            self.encoding,
            self.header_line + 1,
            if self.crlf { "CRLF" } else { "LF" }
        )
    }
}

/// Where a table came from; Parquet tables have no real dialect nor line numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Delimited text read by [`read_csv`] or [`read_csv_bytes`].
    Csv,
    /// A Parquet file read by [`read_parquet`].
    Parquet,
}

/// A text table: header names and columns of optional strings (None = empty cell), all the same
/// length.
#[derive(Debug, Clone)]
pub struct TextTable {
    /// File the table was read from, for messages.
    pub path: PathBuf,
    /// Dialect found by the sniffer. For Parquet it is a fixed placeholder (`,`, UTF-8, header
    /// on line 0, LF); check [`TextTable::format`] before showing it.
    pub dialect: CsvDialect,
    /// Whether the table came from delimited text or Parquet.
    pub format: SourceFormat,
    /// Column names: trimmed, unique, never empty (see [`read_csv_bytes`]).
    pub columns: Vec<String>,
    /// One single-chunk string array per column, cells untrimmed as polars read them.
    pub(super) data: Vec<StringChunked>,
    /// 1-based line in the original file where each data row starts.
    pub(super) lines: RowLines,
}

impl TextTable {
    /// Number of data rows (the header is not a row).
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.data.first().map_or(self.lines.len(), StringChunked::len)
    }

    /// Index of the column called `name`: an exact match first, then a case-insensitive one,
    /// because users type `code` for a header written `CODE`.
    #[must_use]
    pub fn column_index(&self, name: &str) -> Option<usize> {
        super::column_index(&self.columns, name)
    }

    /// The cell at `row`, `col`, trimmed; `None` when it is empty or out of range.
    #[must_use]
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        let column = self.data.get(col)?;
        // `get` panics past the end, and out-of-range reads are ordinary "no value" here.
        if row >= column.len() {
            return None;
        }
        clean_cell(column.get(row))
    }

    /// The cells of column `col`, trimmed, `None` for empty ones. An unknown column yields nothing.
    pub fn column(&self, col: usize) -> impl Iterator<Item = Option<&str>> {
        self.data.get(col).into_iter().flat_map(|column| column.iter().map(clean_cell))
    }

    /// 1-based line number in the original file of a data row, for error messages ("ligne 1234").
    ///
    /// Rows holding quoted line breaks span several lines; this is the first one. For Parquet it
    /// is simply `row + 1`. A row past the end gives 0.
    #[must_use]
    pub fn line_of_row(&self, row: usize) -> usize {
        self.lines.line(row)
    }

    /// The table as a polars frame of `String` columns, cells untrimmed and empty cells null.
    /// Cheap: the column buffers are shared, not copied.
    pub fn to_dataframe(&self) -> Result<DataFrame, PolarsError> {
        let columns = self.data.iter().map(|c| c.clone().into_column()).collect();
        DataFrame::new(self.n_rows(), columns)
    }
}

pub(super) fn clean_cell(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// Why a file could not be read as a table. Messages are in French and name the file, the line
/// when there is one, and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The file could not be opened or read.
    #[error("{} : lecture impossible ({source})", path.display())]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// No bytes, or only blank lines.
    #[error("{} : fichier vide, attendu une ligne d'en-tête puis des lignes de données", path.display())]
    Empty {
        /// File concerned.
        path: PathBuf,
    },
    /// UTF-16 text (byte-order mark FF FE or FE FF), as written by Excel's "Texte Unicode".
    #[error(
        "{} : fichier encodé en UTF-16, attendu UTF-8 ou Windows-1252 (dans Excel, enregistrez au format « CSV UTF-8 »)",
        path.display()
    )]
    Utf16 {
        /// File concerned.
        path: PathBuf,
    },
    /// Binary content: a spreadsheet, an archive, or text in an unsupported encoding.
    #[error(
        "{} : ce n'est pas un fichier texte ({kind}), attendu un fichier CSV (texte séparé par « ; », « , » ou tabulations)",
        path.display()
    )]
    NotText {
        /// File concerned.
        path: PathBuf,
        /// What the bytes look like, in French.
        kind: &'static str,
    },
    /// The encoding given in [`CsvOptions`] (or announced by a BOM) does not fit the bytes.
    #[error("{}, ligne {line} : octets invalides pour l'encodage {encoding}", path.display())]
    InvalidEncoding {
        /// File concerned.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Encoding that was expected.
        encoding: TextEncoding,
    },
    /// A double quote opens a field that never ends.
    #[error("{}, ligne {line} : guillemet ouvert jamais refermé, attendu un guillemet fermant (\") avant la fin du fichier", path.display())]
    UnclosedQuote {
        /// File concerned.
        path: PathBuf,
        /// 1-based line where the quote opens.
        line: usize,
    },
    /// The header line given in [`CsvOptions::header_line`] is blank, past the end, or inside a
    /// quoted field.
    #[error(
        "{}, ligne {line} : pas de ligne d'en-tête à cet endroit (ligne vide, absente ou au milieu d'un champ entre guillemets)",
        path.display()
    )]
    NoHeaderAt {
        /// File concerned.
        path: PathBuf,
        /// 1-based line that was asked for.
        line: usize,
    },
    /// A row has a different number of fields than the header.
    #[error(
        "{}, ligne {line} : {} au lieu de {} (séparateur {}, en-tête ligne {header_line})",
        path.display(),
        fields_word(*found),
        expected_word(*expected),
        SeparatorName(*separator)
    )]
    Ragged {
        /// File concerned.
        path: PathBuf,
        /// 1-based line where the row starts.
        line: usize,
        /// Fields found on that row.
        found: usize,
        /// Fields in the header.
        expected: usize,
        /// Separator in use, since a wrong guess is the usual cause.
        separator: u8,
        /// 1-based line of the header.
        header_line: usize,
    },
    /// Polars refused the data after the pre-scan accepted it.
    #[error("{} : lecture CSV impossible ({source})", path.display())]
    Tokenize {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: PolarsError,
    },
    /// Polars and the pre-scan disagree on the number of rows, so line numbers would be wrong.
    #[error("{} : {found} lignes de données lues au lieu de {expected} attendues", path.display())]
    RowCount {
        /// File concerned.
        path: PathBuf,
        /// Rows polars returned.
        found: usize,
        /// Rows the pre-scan counted.
        expected: usize,
    },
    /// The Parquet file could not be read.
    #[error("{} : lecture Parquet impossible ({source}), attendu un fichier Parquet valide", path.display())]
    Parquet {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: PolarsError,
    },
    /// A Parquet column could not be turned into text.
    #[error("{} : la colonne « {column} » ne peut pas être lue comme du texte ({source})", path.display())]
    ParquetColumn {
        /// File concerned.
        path: PathBuf,
        /// Column concerned.
        column: String,
        /// Underlying error.
        #[source]
        source: PolarsError,
    },
}

fn fields_word(n: usize) -> String {
    if n == 1 { "1 champ".to_owned() } else { format!("{n} champs") }
}

fn expected_word(n: usize) -> String {
    if n == 1 { "1 attendu".to_owned() } else { format!("{n} attendus") }
}

/// Displays a separator so that a user can recognise it (a tab is invisible).
struct SeparatorName(u8);

impl fmt::Display for SeparatorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b'\t' => f.write_str("tabulation"),
            b' ' => f.write_str("espace"),
            c => write!(f, "« {} »", char::from(c)),
        }
    }
}

/// Reads a delimited text file. All columns come back as text; see [`read_csv_bytes`] for the
/// detection rules.
pub fn read_csv(path: &Path, opts: &CsvOptions) -> Result<TextTable, CsvError> {
    CsvSource::open(path, opts)?.text_table()
}

/// Reads delimited text already in memory; `path_for_messages` only names it in errors.
///
/// Detection, each step overridable through [`CsvOptions`]:
/// * encoding: a UTF-8 BOM gives [`TextEncoding::Utf8Bom`] (the BOM is dropped), valid UTF-8
///   gives [`TextEncoding::Utf8`], anything else is Windows-1252. UTF-16 and binary content
///   (NUL bytes, spreadsheets, archives) are refused rather than read as garbage;
/// * line ends: LF, CR LF, or lone CR (old Mac Excel); the last line may lack its line end;
/// * separator: among `;` `,` tab `|`, the one whose field count (outside double quotes) stays
///   the same over the first ~250 lines, the header included, so a `;` file with decimal commas
///   is not mistaken for a `,` file;
/// * header: the first line from which the field count stays constant whose fields are mostly
///   filled and not numbers (fewer numbers than the rows below it also qualifies, for headers
///   made of years). Title lines above it, even padded with `; ; ;`, are skipped.
///
/// Header names are trimmed, a leading `#` (La Poste) is dropped, an empty name becomes
/// `colonne_N` (N counted from 1) and a repeated name gets `_2`, `_3`… Blank lines are skipped,
/// and so are rows made only of empty fields at the end of the file (Excel leaves them behind).
/// Any other row whose field count differs from the header's is an error naming its line.
pub fn read_csv_bytes(bytes: &[u8], path_for_messages: &Path, opts: &CsvOptions) -> Result<TextTable, CsvError> {
    CsvSource::from_bytes(bytes.to_vec(), path_for_messages, opts)?.text_table()
}

/// A delimited file decoded, sniffed and checked row by row, whose columns are not read yet:
/// [`CsvSource::text_table`] reads them all as text, [`super::Source::read`] only those asked for,
/// numbers straight into `f64`.
pub struct CsvSource {
    /// File, for messages.
    pub(super) path: PathBuf,
    /// What the sniffer found.
    pub(super) dialect: CsvDialect,
    /// Header names (see [`read_csv_bytes`]).
    pub(super) names: Vec<String>,
    /// Whether numbers are written with a decimal comma (sniffed on the first rows).
    pub(super) decimal_comma: bool,
    /// Columns whose first rows hold cells that are neither empty nor plain numbers (markers).
    pub(super) marked_columns: BTreeSet<usize>,
    /// The decoded text.
    text: String,
    /// Where the data rows are.
    rows: DataRows,
    /// The line of each data row.
    pub(super) lines: RowLines,
}

impl CsvSource {
    /// Reads, decodes and checks a file.
    pub fn open(path: &Path, opts: &CsvOptions) -> Result<CsvSource, CsvError> {
        let bytes = std::fs::read(path).map_err(|source| CsvError::Io { path: path.to_path_buf(), source })?;
        CsvSource::from_bytes(bytes, path, opts)
    }

    /// Decodes and checks bytes already read; `path` only names them in messages.
    pub fn from_bytes(bytes: Vec<u8>, path: &Path, opts: &CsvOptions) -> Result<CsvSource, CsvError> {
        let (text, encoding) = sniff::decode(bytes, path, opts.encoding)?;
        let crlf = text.find('\n').is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
        let sample = sniff::sample_records(&text, opts.header_line, path)?;
        if sample.is_empty() {
            return Err(CsvError::Empty { path: path.to_path_buf() });
        }
        let (separator, header_index) = sniff::sniff(&sample, opts.separator, opts.header_line.is_some());
        let header: RawRecord<'_> = sample[header_index];
        let names = sniff::header_names(header.text, separator);
        let decimal_comma = sniff::decimal_comma(&sample, header_index, separator);
        let marked_columns =
            (0..names.len()).filter(|&c| sniff::sample_has_non_numbers(&sample, header_index, separator, c)).collect();
        let scan = sniff::scan_data(&text, &header, separator, names.len(), path)?;
        let header_line = header.line - 1;
        Ok(CsvSource {
            path: path.to_path_buf(),
            dialect: CsvDialect { separator, encoding, header_line, crlf },
            names,
            decimal_comma,
            marked_columns,
            rows: scan.rows,
            lines: scan.lines,
            text,
        })
    }

    /// Number of data rows.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// Every column as text.
    pub fn text_table(self) -> Result<TextTable, CsvError> {
        let all: Vec<usize> = (0..self.names.len()).collect();
        let frame = self.polars_read(&all, &BTreeSet::new(), false).map_err(|source| self.tokenize_error(source))?;
        let data = self.string_columns(&frame, &all)?;
        Ok(TextTable {
            path: self.path,
            dialect: self.dialect,
            format: SourceFormat::Csv,
            columns: self.names,
            data,
            lines: self.lines,
        })
    }

    pub(super) fn tokenize_error(&self, source: PolarsError) -> CsvError {
        CsvError::Tokenize { path: self.path.clone(), source }
    }

    /// The data rows' bytes, as polars reads them.
    fn data_bytes(&self) -> &[u8] {
        match &self.rows {
            DataRows::Borrowed(range) => &self.text.as_bytes()[range.clone()],
            DataRows::Owned(bytes) => bytes,
        }
    }

    /// Lets polars read the columns `projection` (sorted, distinct), those in `numbers` as `f64`
    /// (decimal comma as sniffed), the others as text. `lenient`: a cell polars cannot read as a
    /// number becomes null instead of failing the read.
    pub(super) fn polars_read(
        &self,
        projection: &[usize],
        numbers: &BTreeSet<usize>,
        lenient: bool,
    ) -> Result<DataFrame, PolarsError> {
        let schema: Schema = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let dtype = if numbers.contains(&i) { DataType::Float64 } else { DataType::String };
                Field::new(n.as_str().into(), dtype)
            })
            .collect();
        if self.n_rows() == 0 {
            let columns = projection
                .iter()
                .map(|&i| {
                    let name = self.names[i].as_str().into();
                    if numbers.contains(&i) {
                        polars::prelude::Float64Chunked::new(name, Vec::<Option<f64>>::new()).into_column()
                    } else {
                        StringChunked::new(name, Vec::<Option<&str>>::new()).into_column()
                    }
                })
                .collect();
            return DataFrame::new(0, columns);
        }
        let separator = self.dialect.separator;
        let decimal_comma = self.decimal_comma && !numbers.is_empty();
        let frame = CsvReadOptions::default()
            .with_has_header(false)
            .with_schema(Some(Arc::new(schema)))
            .with_infer_schema_length(Some(0))
            .with_projection(Some(Arc::new(projection.to_vec())))
            .with_ignore_errors(lenient)
            .with_rechunk(true)
            .map_parse_options(move |p| {
                p.with_separator(separator)
                    .with_quote_char(Some(b'"'))
                    .with_eol_char(b'\n')
                    .with_missing_is_null(true)
                    .with_truncate_ragged_lines(false)
                    .with_decimal_comma(decimal_comma)
            })
            .into_reader_with_file_handle(Cursor::new(self.data_bytes()))
            .finish()?;
        Ok(frame)
    }

    /// The string columns `projection` of a frame polars read, checked against the pre-scan's
    /// row count (line numbers would be wrong otherwise).
    pub(super) fn string_columns(
        &self,
        frame: &DataFrame,
        projection: &[usize],
    ) -> Result<Vec<StringChunked>, CsvError> {
        if frame.height() != self.n_rows() {
            return Err(CsvError::RowCount { path: self.path.clone(), found: frame.height(), expected: self.n_rows() });
        }
        projection
            .iter()
            .map(|&i| {
                frame
                    .column(&self.names[i])
                    .and_then(|c| c.str().map(|ca| ca.rechunk().into_owned()))
                    .map_err(|source| self.tokenize_error(source))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<TextTable, CsvError> {
        read_csv_bytes(bytes, Path::new("essai.csv"), &CsvOptions::default())
    }

    fn col(table: &TextTable, name: &str) -> Vec<Option<String>> {
        let i = table.column_index(name).expect("column exists");
        table.column(i).map(|c| c.map(str::to_owned)).collect()
    }

    fn shared_data() -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipping: ../shared/data not found");
            None
        }
    }

    fn row_where(table: &TextTable, column: &str, value: &str) -> usize {
        let c = table.column_index(column).expect("column exists");
        table.column(c).position(|v| v == Some(value)).expect("row exists")
    }

    // ----- encodings ------------------------------------------------------------------------

    #[test]
    fn utf8_bom_is_detected_and_stripped() {
        let t = read(b"\xEF\xBB\xBFcode;nom\n02001;Abb\xC3\xA9court\n").unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Utf8Bom);
        assert_eq!(t.columns, ["code", "nom"]);
        assert_eq!(t.cell(0, 1), Some("Abbécourt"));
    }

    #[test]
    fn plain_utf8_is_detected() {
        let t = read("code;nom\n02001;Abbécourt\n".as_bytes()).unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Utf8);
        assert_eq!(t.cell(0, 1), Some("Abbécourt"));
    }

    #[test]
    fn windows_1252_decodes_oe_ligature() {
        // 0x9C is `œ` in Windows-1252 but a C1 control character in ISO-8859-1; 0xE9 is `é`.
        let t = read(b"CODGEO;LIBGEO\r\n02201;C\x9Cuvres-et-Valsery\r\n02001;Abb\xE9court\r\n").unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Windows1252);
        assert_eq!(t.cell(0, 1), Some("Cœuvres-et-Valsery"));
        assert_eq!(t.cell(1, 1), Some("Abbécourt"));
    }

    #[test]
    fn forced_encoding_is_used_and_checked() {
        let opts = CsvOptions { encoding: Some(TextEncoding::Windows1252), ..CsvOptions::default() };
        // Valid UTF-8 read as Windows-1252 on request: `é` becomes two characters.
        let t = read_csv_bytes("a;b\n1;é\n".as_bytes(), Path::new("x.csv"), &opts).unwrap();
        assert_eq!(t.cell(0, 1), Some("Ã©"));
        let opts = CsvOptions { encoding: Some(TextEncoding::Utf8), ..CsvOptions::default() };
        let err = read_csv_bytes(b"a;b\n1;2\n3;\xE9\n", Path::new("x.csv"), &opts).unwrap_err();
        assert!(matches!(err, CsvError::InvalidEncoding { line: 3, .. }), "{err}");
        assert!(err.to_string().contains("x.csv, ligne 3"), "{err}");
    }

    #[test]
    fn utf16_is_refused() {
        for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] {
            let mut bytes = bom.to_vec();
            bytes.extend_from_slice(b"a\0;\0b\0");
            let err = read(&bytes).unwrap_err();
            assert!(matches!(err, CsvError::Utf16 { .. }));
            assert!(err.to_string().contains("essai.csv"), "{err}");
            assert!(err.to_string().contains("UTF-16"), "{err}");
        }
    }

    #[test]
    fn binary_content_is_refused() {
        let err = read(b"code;nom\n\x00\x01\x02\x03;x\n").unwrap_err();
        assert!(matches!(err, CsvError::NotText { .. }), "{err}");
        let err = read(b"PK\x03\x04\x14\x00\x06\x00").unwrap_err();
        assert!(err.to_string().contains("Excel"), "{err}");
        assert!(err.to_string().contains("essai.csv"), "{err}");
    }

    #[test]
    fn empty_file_is_refused() {
        let err = read(b"").unwrap_err();
        assert!(matches!(err, CsvError::Empty { .. }));
        assert!(err.to_string().contains("fichier vide"), "{err}");
        assert!(err.to_string().contains("essai.csv"), "{err}");
        assert!(matches!(read(b"\n  \r\n\n").unwrap_err(), CsvError::Empty { .. }));
        assert!(matches!(read(b"\xEF\xBB\xBF").unwrap_err(), CsvError::Empty { .. }));
    }

    // ----- line ends ------------------------------------------------------------------------

    #[test]
    fn line_ends_lf_crlf_cr_and_no_final_newline() {
        let variants: [&[u8]; 5] =
            [b"a;b\n1;2\n3;4\n", b"a;b\r\n1;2\r\n3;4\r\n", b"a;b\n1;2\n3;4", b"a;b\r\n1;2\r\n3;4", b"a;b\r1;2\r3;4\r"];
        for bytes in variants {
            let t = read(bytes).unwrap();
            assert_eq!(t.columns, ["a", "b"], "{bytes:?}");
            assert_eq!(t.n_rows(), 2, "{bytes:?}");
            assert_eq!(t.cell(1, 1), Some("4"), "{bytes:?}");
            assert_eq!(t.line_of_row(1), 3, "{bytes:?}");
        }
        assert!(read(variants[1]).unwrap().dialect.crlf);
        assert!(!read(variants[0]).unwrap().dialect.crlf);
    }

    // ----- separators -----------------------------------------------------------------------

    #[test]
    fn semicolon_with_decimal_comma_is_not_taken_for_comma() {
        let t =
            read("CODGEO;LIBGEO;SUPERF;DENS\n02001;Abbécourt;6,14;84,4\n02002;Achery;6,97;83,8\n".as_bytes()).unwrap();
        assert_eq!(t.dialect.separator, b';');
        assert_eq!(t.columns.len(), 4);
        assert_eq!(t.cell(0, 2), Some("6,14"));
        // Even when a value has no comma at all.
        let t = read(b"a;b;c\n1;2,5;3\n4;5;6,5\n7,1;8;9\n").unwrap();
        assert_eq!(t.dialect.separator, b';');
    }

    #[test]
    fn comma_tab_and_pipe_are_detected() {
        for (sep, bytes) in [
            (b',', &b"code,nom,pop\n02001,\"Abb, court\",518\n02002,Achery;x,584\n"[..]),
            (b'\t', &b"code\tnom\tpop\n02001\tA, b\t518\n02002\tAchery\t584\n"[..]),
            (b'|', &b"code|nom|pop\n02001|A;b|518\n02002|A,c|584\n"[..]),
        ] {
            let t = read(bytes).unwrap();
            assert_eq!(t.dialect.separator, sep, "{}", String::from_utf8_lossy(bytes));
            assert_eq!(t.columns, ["code", "nom", "pop"]);
            assert_eq!(t.n_rows(), 2);
        }
    }

    #[test]
    fn separator_can_be_forced() {
        let opts = CsvOptions { separator: Some(b','), ..CsvOptions::default() };
        let t = read_csv_bytes(b"a;b,c\n1;2,3\n", Path::new("x.csv"), &opts).unwrap();
        assert_eq!(t.columns, ["a;b", "c"]);
        assert_eq!(t.cell(0, 0), Some("1;2"));
    }

    #[test]
    fn single_column_file_reads() {
        let t = read(b"code\n02001\n2A004\n").unwrap();
        assert_eq!(t.columns, ["code"]);
        assert_eq!(col(&t, "code"), [Some("02001".to_owned()), Some("2A004".to_owned())]);
    }

    // ----- header and title lines ----------------------------------------------------------

    #[test]
    fn insee_title_lines_are_skipped() {
        let text = "Insee - Statistiques locales; ; ; \n\
                    Référentiel géographique : France par département; ; ; \n\
                    Code;Libellé;Médecins 2024;Taux de pauvreté 2021\n\
                    01;Ain;439;10.8\n\
                    02;Aisne;373;18.8\n\
                    971;Guadeloupe;324;N/A - résultat non disponible";
        let t = read(text.as_bytes()).unwrap();
        assert_eq!(t.dialect.header_line, 2);
        assert_eq!(t.columns[0], "Code");
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.line_of_row(0), 4);
        assert_eq!(t.cell(0, 0), Some("01"));
    }

    #[test]
    fn unpadded_title_line_is_skipped() {
        let t = read(b"Population legale 2023\n\ncode;nom;pop\n02001;A;518\n02002;B;584\n").unwrap();
        assert_eq!(t.dialect.header_line, 2);
        assert_eq!(t.columns, ["code", "nom", "pop"]);
        assert_eq!(t.line_of_row(1), 5);
    }

    #[test]
    fn header_made_of_years_is_detected() {
        let t = read(b"code;nom;2019;2020;2021\n02001;A;1;2;3\n02002;B;4;5;6\n").unwrap();
        assert_eq!(t.dialect.header_line, 0);
        assert_eq!(t.columns, ["code", "nom", "2019", "2020", "2021"]);
        assert_eq!(t.n_rows(), 2);
    }

    #[test]
    fn hash_before_first_header_name_is_dropped() {
        let t = read(b"#Code_commune_INSEE;Nom;Ligne_5\n02001;ABBECOURT;\n02002;ACHERY;\n").unwrap();
        assert_eq!(t.columns, ["Code_commune_INSEE", "Nom", "Ligne_5"]);
        assert_eq!(t.cell(0, 2), None);
        assert_eq!(t.column_index("code_commune_insee"), Some(0));
    }

    #[test]
    fn header_line_can_be_forced() {
        let opts = CsvOptions { header_line: Some(1), ..CsvOptions::default() };
        let t = read_csv_bytes(b"titre;x\na;b\n1;2\n", Path::new("x.csv"), &opts).unwrap();
        assert_eq!(t.columns, ["a", "b"]);
        assert_eq!(t.n_rows(), 1);
        let opts = CsvOptions { header_line: Some(9), ..CsvOptions::default() };
        let err = read_csv_bytes(b"a;b\n1;2\n", Path::new("x.csv"), &opts).unwrap_err();
        assert!(matches!(err, CsvError::NoHeaderAt { line: 10, .. }), "{err}");
    }

    #[test]
    fn duplicate_and_empty_names_are_made_unique() {
        let t = read(b" col ;col;;col_2;\"\"\n1;2;3;4;5\n").unwrap();
        assert_eq!(t.columns, ["col", "col_2", "colonne_3", "col_2_2", "colonne_5"]);
        assert_eq!(t.cell(0, 4), Some("5"));
    }

    #[test]
    fn header_only_gives_zero_rows() {
        let t = read(b"code;nom\n").unwrap();
        assert_eq!(t.n_rows(), 0);
        assert_eq!(t.columns, ["code", "nom"]);
        assert_eq!(t.column(0).count(), 0);
        assert_eq!(t.to_dataframe().unwrap().width(), 2);
    }

    // ----- rows and quoting -----------------------------------------------------------------

    #[test]
    fn ragged_rows_name_file_and_line() {
        let err = read(b"a;b;c;d;e;f;g\n1;2;3;4;5;6;7\n1;2;3;4;5\n").unwrap_err();
        assert!(matches!(err, CsvError::Ragged { line: 3, found: 5, expected: 7, .. }), "{err}");
        let message = err.to_string();
        assert!(message.starts_with("essai.csv, ligne 3 : 5 champs au lieu de 7 attendus"), "{message}");
        let err = read(b"a;b\n1;2\n1;2;3\n4;5\n").unwrap_err();
        assert!(matches!(err, CsvError::Ragged { line: 3, found: 3, .. }), "{err}");
    }

    #[test]
    fn trailing_empty_rows_are_dropped() {
        let t = read(b"a;b;c\n1;2;3\n;;\n;\n\n").unwrap();
        assert_eq!(t.n_rows(), 1);
        // Inside the data, an empty row is a row.
        let t = read(b"a;b;c\n1;2;3\n;;\n4;5;6\n").unwrap();
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.cell(1, 0), None);
        assert_eq!(t.line_of_row(2), 4);
        // But a short empty row followed by data is still an error.
        assert!(matches!(read(b"a;b;c\n1;2;3\n;\n4;5;6\n").unwrap_err(), CsvError::Ragged { line: 3, .. }));
    }

    #[test]
    fn quoted_fields_with_separators_quotes_and_newlines() {
        let bytes = b"code;nom;note\r\n\
            02001;\"Abb;court\";\"ligne 1\r\nligne 2\"\r\n\
            02002;\"Le \"\"Petit\"\" Bourg\";x\r\n\
            02003;Acy;\"\"\r\n";
        let t = read(bytes).unwrap();
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.cell(0, 1), Some("Abb;court"));
        assert!(t.cell(0, 2).is_some_and(|s| s.starts_with("ligne 1") && s.ends_with("ligne 2")));
        assert_eq!(t.cell(1, 1), Some("Le \"Petit\" Bourg"));
        assert_eq!(t.cell(2, 2), None);
        // The row after the multi-line field starts on line 4 of the file.
        assert_eq!(t.line_of_row(0), 2);
        assert_eq!(t.line_of_row(1), 4);
        assert_eq!(t.line_of_row(2), 5);
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        let err = read(b"a;b\n1;2\n3;\"oops\n5;6\n").unwrap_err();
        assert!(matches!(err, CsvError::UnclosedQuote { line: 3, .. }), "{err}");
        assert!(err.to_string().starts_with("essai.csv, ligne 3"), "{err}");
    }

    #[test]
    fn codes_stay_text_and_cells_are_trimmed() {
        let t = read(b"code;epci;pop\n02691; 200041556 ;0012\n2A004;;1e3\n").unwrap();
        assert_eq!(t.cell(0, 0), Some("02691"));
        assert_eq!(t.cell(0, 1), Some("200041556"));
        assert_eq!(t.cell(0, 2), Some("0012"));
        assert_eq!(t.cell(1, 0), Some("2A004"));
        assert_eq!(t.cell(1, 1), None);
        assert_eq!(t.cell(1, 2), Some("1e3"));
        assert_eq!(t.cell(2, 0), None);
        assert_eq!(t.cell(0, 9), None);
        assert_eq!(t.column(9).count(), 0);
        assert_eq!(t.line_of_row(99), 0);
        let frame = t.to_dataframe().unwrap();
        assert_eq!(frame.height(), 2);
        assert_eq!(frame.column("code").unwrap().dtype(), &DataType::String);
    }

    #[test]
    fn column_index_is_exact_then_case_insensitive() {
        let t = read(b"Code;CODE;Nom\n1;2;3\n").unwrap();
        assert_eq!(t.column_index("CODE"), Some(1));
        assert_eq!(t.column_index("Code"), Some(0));
        assert_eq!(t.column_index("nom"), Some(2));
        assert_eq!(t.column_index("absent"), None);
    }

    #[test]
    fn large_input_with_multiline_fields_keeps_lines() {
        use std::fmt::Write as _;
        // Enough rows for polars to split the work into chunks, with quoted line breaks.
        let mut text = String::from("id;texte\n");
        for i in 0..20_000 {
            if i % 1000 == 0 {
                writeln!(text, "{i:05};\"a\nb\"").unwrap();
            } else {
                writeln!(text, "{i:05};t{i}").unwrap();
            }
        }
        let t = read(text.as_bytes()).unwrap();
        assert_eq!(t.n_rows(), 20_000);
        assert_eq!(t.cell(19_999, 0), Some("19999"));
        assert_eq!(t.cell(1000, 1), Some("a\nb"));
        // Row r starts on line 2 + r + (number of multi-line rows before it).
        assert_eq!(t.line_of_row(1001), 2 + 1001 + 2);
        assert_eq!(t.line_of_row(19_999), 2 + 19_999 + 20);
    }

    #[test]
    fn dialect_displays_in_french() {
        let t = read(b"a\tb\r\n1\t2\r\n").unwrap();
        assert_eq!(t.dialect.to_string(), "séparateur tabulation, encodage UTF-8, en-tête ligne 1, fins de ligne CRLF");
        assert_eq!(TextEncoding::Utf8Bom.to_string(), "UTF-8 avec BOM");
        assert_eq!(TextEncoding::Windows1252.to_string(), "Windows-1252");
    }

    #[test]
    fn read_csv_reports_missing_file() {
        let err = read_csv(Path::new("n_existe_pas.csv"), &CsvOptions::default()).unwrap_err();
        assert!(matches!(err, CsvError::Io { .. }));
        assert!(err.to_string().starts_with("n_existe_pas.csv : lecture impossible"), "{err}");
    }

    // ----- real files (../shared/data) ------------------------------------------------------

    #[test]
    fn real_insee_cp1252_decimal_comma_crlf() {
        let Some(dir) = shared_data() else { return };
        let t = read_csv(&dir.join("insee_quirks/hdf_corse_population_densite_cp1252.csv"), &CsvOptions::default())
            .unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Windows1252);
        assert_eq!(t.dialect.separator, b';');
        assert_eq!(t.dialect.header_line, 0);
        assert!(t.dialect.crlf);
        // `wc -l` gives 4143 lines, all ending in CRLF; minus the header: 3,782 Hauts-de-France
        // + 360 Corse communes. Python: len(list(csv.reader(open(f, encoding="cp1252", newline=""),
        // delimiter=";"))) - 1 == 4142.
        assert_eq!(t.n_rows(), 4142);
        assert_eq!(t.columns[0], "CODGEO");
        // Cœuvres-et-Valsery is 02201 (not 02203, which is Coincy); python: data row 193, line 195.
        let r = row_where(&t, "CODGEO", "02201");
        assert_eq!(t.cell(r, 1), Some("Cœuvres-et-Valsery"));
        assert_eq!(t.line_of_row(r), 195);
        assert_eq!(t.cell(row_where(&t, "CODGEO", "02203"), 1), Some("Coincy"));
        assert_eq!(t.cell(0, 0), Some("02001"));
        let superf = t.column_index("SUPERF").unwrap();
        assert_eq!(parse_number(t.cell(0, superf).unwrap()), Ok(NumberCell::Number(6.14)));
        let ajaccio = row_where(&t, "CODGEO", "2A004");
        assert_eq!(t.cell(ajaccio, 1), Some("Ajaccio"));
        assert_eq!(t.cell(ajaccio, t.column_index("EPCI").unwrap()), Some("242010056"));
        // P19_POP is empty for 60694 (python: row 2475).
        let r = row_where(&t, "CODGEO", "60694");
        assert_eq!(r, 2475);
        assert_eq!(t.cell(r, t.column_index("P19_POP").unwrap()), None);
    }

    #[test]
    fn real_insee_pl2023_utf8_crlf() {
        let Some(dir) = shared_data() else { return };
        let t = read_csv(&dir.join("insee_quirks/insee_donnees_communes_PL2023_verbatim.csv"), &CsvOptions::default())
            .unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Utf8);
        assert_eq!(t.dialect.separator, b';');
        assert!(t.dialect.crlf);
        // `wc -l` = 34901; python csv.reader gives 34901 records, header included.
        assert_eq!(t.n_rows(), 34_900);
        assert_eq!(
            t.columns,
            ["REG", "Région", "DEP", "CODARR", "CODCAN", "CODCOM", "COM", "Commune", "PMUN", "PCAP", "PTOT"]
        );
        let com = t.column_index("COM").unwrap();
        assert_eq!(t.cell(0, com), Some("01001"));
        // python: 2A004 is data row 10529 with an empty CODCAN; 320 CODCAN cells are empty.
        let r = row_where(&t, "COM", "2A004");
        assert_eq!(r, 10_529);
        assert_eq!(t.cell(r, t.column_index("CODCAN").unwrap()), None);
        assert_eq!(t.column(t.column_index("CODCAN").unwrap()).filter(Option::is_none).count(), 320);
        assert_eq!(t.cell(34_899, com), Some("97424"));
        assert_eq!(t.line_of_row(34_899), 34_901);
    }

    #[test]
    fn real_laposte_hash_header_and_trailing_empty_column() {
        let Some(dir) = shared_data() else { return };
        let t = read_csv(&dir.join("insee_quirks/laposte_codes_postaux_hdf_corse_frapars.csv"), &CsvOptions::default())
            .unwrap();
        assert_eq!(t.dialect.separator, b';');
        assert!(!t.dialect.crlf);
        assert_eq!(
            t.columns,
            ["Code_commune_INSEE", "Nom_de_la_commune", "Code_postal", "Libell\u{FFFD}_d_acheminement", "Ligne_5"]
        );
        // `wc -l` = 4366 lines (LF), header included.
        assert_eq!(t.n_rows(), 4365);
        let r = row_where(&t, "Code_commune_INSEE", "02691");
        assert_eq!(r, 687);
        assert_eq!(t.cell(r, 1), Some("ST QUENTIN"));
        assert_eq!(t.cell(r, 2), Some("02100"));
        assert_eq!(t.cell(r, 4), None);
    }

    #[test]
    fn real_insee_statistiques_locales_bom_titles() {
        let Some(dir) = shared_data() else { return };
        let t = read_csv(&dir.join("health/verbatim/insee_statistiques_locales_dep_2024.csv"), &CsvOptions::default())
            .unwrap();
        assert_eq!(t.dialect.encoding, TextEncoding::Utf8Bom);
        assert_eq!(t.dialect.separator, b';');
        assert_eq!(t.dialect.header_line, 2);
        assert!(!t.dialect.crlf);
        // `wc -l` = 103 because the last line has no newline: 104 lines, 2 titles, 1 header.
        assert_eq!(t.n_rows(), 101);
        assert_eq!(t.columns.len(), 24);
        assert_eq!(&t.columns[..2], ["Code", "Libellé"]);
        assert_eq!(t.cell(0, 0), Some("01"));
        let poverty = t.column_index("Taux de pauvreté 2021").unwrap();
        assert_eq!(parse_number(t.cell(0, poverty).unwrap()), Ok(NumberCell::Number(10.8)));
        // This file holds no secret marker, only "N/A - résultat non disponible" (python: 3 rows,
        // Guadeloupe is data row 96, line 100).
        let r = row_where(&t, "Code", "971");
        assert_eq!(r, 96);
        assert_eq!(t.line_of_row(r), 100);
        assert_eq!(t.cell(r, poverty), Some("N/A - résultat non disponible"));
        assert_eq!(parse_number(t.cell(r, poverty).unwrap()), Ok(NumberCell::Missing));
        // Last line, without newline: Mayotte, population estimate 329282.
        assert_eq!(t.cell(100, 0), Some("976"));
        assert_eq!(t.cell(100, 23), Some("329282"));
        let parsed: Vec<_> = t.column(poverty).map(|c| parse_number(c.unwrap_or(""))).collect();
        assert!(parsed.iter().all(Result::is_ok));
        assert_eq!(t.cell(row_where(&t, "Code", "2A"), 1), Some("Corse-du-Sud"));
    }

    #[test]
    fn real_plain_comma_utf8() {
        let Some(dir) = shared_data() else { return };
        let t = read_csv(&dir.join("indicators/hdf_communes_population.csv"), &CsvOptions::default()).unwrap();
        assert_eq!(t.dialect.separator, b',');
        assert_eq!(t.dialect.encoding, TextEncoding::Utf8);
        // `wc -l` = 3783, header included: the 3,782 Hauts-de-France communes.
        assert_eq!(t.n_rows(), 3782);
        assert_eq!(t.columns.len(), 19);
        assert_eq!(t.cell(0, 0), Some("02001"));
        assert_eq!(t.cell(0, 3), Some("200071785"));
        let area = t.column_index("area_km2").unwrap();
        assert_eq!(parse_number(t.cell(0, area).unwrap()), Ok(NumberCell::Number(6.141)));
        // 60694 has empty pmun_2018 (python: data row 2115).
        let r = row_where(&t, "code", "60694");
        assert_eq!(r, 2115);
        assert_eq!(t.cell(r, t.column_index("pmun_2018").unwrap()), None);
    }
}
