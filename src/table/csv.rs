//! Reading delimited text the way French users actually produce it: Insee exports, Excel "CSV"
//! files and La Poste lists, loaded with no settings. This module owns the byte-level concerns
//! (encoding, separator, title lines above the header, line ends, ragged rows) and the reading of
//! numbers written the French way. It returns every column as text, so that codes such as
//! `02691`, `2A004` or `200041556` keep their exact spelling; deciding which columns are numbers
//! is the caller's job, through [`parse_number`].
//!
//! It must not depend on the user interface (no egui) nor on indicator or pack types: the pack
//! loader builds on it, not the other way round.
//!
//! The work is split in two: a light pre-scan of our own finds the dialect, the header and the
//! original line number of every row (polars cannot report lines, and titles above the header
//! would confuse its schema), then polars tokenizes the data rows into string columns.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::{
    CsvReadOptions, DataFrame, DataType, Field, IntoColumn, NamedFrom, ParquetReader, PolarsError, Schema, SerReader,
    StringChunked,
};

/// Separators tried by the sniffer, in order of preference when two fit equally well: French
/// software writes `;` (the comma being the decimal mark), then the international ones.
const SEPARATOR_CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Records examined by the sniffer: room for a few title lines, the header and ~200 data rows.
const SNIFF_RECORDS: usize = 250;

/// Records after a header candidate used to judge that the field count "stays" the same.
const HEADER_LOOKAHEAD: usize = 20;

/// The UTF-8 byte-order mark Excel writes in front of "CSV UTF-8" files.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Longest piece of a cell quoted back in a number error; a whole paragraph helps nobody.
const MAX_QUOTED_CHARS: usize = 60;

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

/// Where a [`TextTable`] came from; Parquet tables have no real dialect nor line numbers.
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
    data: Vec<StringChunked>,
    /// 1-based line in the original file where each data row starts; empty for Parquet.
    row_lines: Vec<usize>,
}

impl TextTable {
    /// Number of data rows (the header is not a row).
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.data.first().map_or(self.row_lines.len(), StringChunked::len)
    }

    /// Index of the column called `name`: an exact match first, then a case-insensitive one,
    /// because users type `code` for a header written `CODE`.
    #[must_use]
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name).or_else(|| {
            let wanted = name.trim().to_lowercase();
            self.columns.iter().position(|c| c.to_lowercase() == wanted)
        })
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
        match self.format {
            SourceFormat::Csv => self.row_lines.get(row).copied().unwrap_or(0),
            SourceFormat::Parquet if row < self.n_rows() => row + 1,
            SourceFormat::Parquet => 0,
        }
    }

    /// The table as a polars frame of `String` columns, cells untrimmed and empty cells null.
    /// Cheap: the column buffers are shared, not copied.
    pub fn to_dataframe(&self) -> Result<DataFrame, PolarsError> {
        let columns = self.data.iter().map(|c| c.clone().into_column()).collect();
        DataFrame::new(self.n_rows(), columns)
    }
}

fn clean_cell(raw: Option<&str>) -> Option<&str> {
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
    let bytes = std::fs::read(path).map_err(|source| CsvError::Io { path: path.to_path_buf(), source })?;
    read_csv_bytes(&bytes, path, opts)
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
    let path = path_for_messages;
    let (decoded, encoding) = decode(bytes, path, opts.encoding)?;
    // Lone CR line ends: only when there is no LF at all, so a stray CR inside a field of a normal
    // file is left alone.
    let text: Cow<'_, str> = if !decoded.contains('\n') && decoded.contains('\r') {
        Cow::Owned(decoded.replace('\r', "\n"))
    } else {
        decoded
    };
    let text: &str = &text;
    let crlf = text.find('\n').is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');

    let sample = sample_records(text, opts.header_line, path)?;
    if sample.is_empty() {
        return Err(CsvError::Empty { path: path.to_path_buf() });
    }
    let (separator, header_index) = sniff(&sample, opts.separator, opts.header_line.is_some());
    let header = &sample[header_index];
    let names = header_names(header.text, separator);
    let scan = scan_data(text, header, separator, names.len(), path)?;
    let data = tokenize(scan.buffer, &names, separator, scan.row_lines.len(), path)?;

    Ok(TextTable {
        path: path.to_path_buf(),
        dialect: CsvDialect { separator, encoding, header_line: header.line - 1, crlf },
        format: SourceFormat::Csv,
        columns: names,
        data,
        row_lines: scan.row_lines,
    })
}

/// Reads a Parquet file and turns every column into text: integers print without a decimal part
/// (`2001`), floats as polars prints them (`6.14`, `2.0`), nulls stay empty cells.
pub fn read_parquet(path: &Path) -> Result<TextTable, CsvError> {
    let file = std::fs::File::open(path).map_err(|source| CsvError::Io { path: path.to_path_buf(), source })?;
    let frame =
        ParquetReader::new(file).finish().map_err(|source| CsvError::Parquet { path: path.to_path_buf(), source })?;
    let mut columns = Vec::with_capacity(frame.width());
    let mut data = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        let name = column.name().to_string();
        let as_text = column
            .cast(&DataType::String)
            .and_then(|c| c.str().map(|ca| ca.rechunk().into_owned()))
            .map_err(|source| CsvError::ParquetColumn { path: path.to_path_buf(), column: name.clone(), source })?;
        columns.push(name);
        data.push(as_text);
    }
    Ok(TextTable {
        path: path.to_path_buf(),
        dialect: CsvDialect { separator: b',', encoding: TextEncoding::Utf8, header_line: 0, crlf: false },
        format: SourceFormat::Parquet,
        columns,
        data,
        row_lines: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn decode<'a>(
    bytes: &'a [u8],
    path: &Path,
    forced: Option<TextEncoding>,
) -> Result<(Cow<'a, str>, TextEncoding), CsvError> {
    if bytes.is_empty() {
        return Err(CsvError::Empty { path: path.to_path_buf() });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CsvError::Utf16 { path: path.to_path_buf() });
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(CsvError::NotText { path: path.to_path_buf(), kind });
    }
    let encoding = forced.unwrap_or_else(|| {
        if bytes.starts_with(BOM) {
            TextEncoding::Utf8Bom
        } else if std::str::from_utf8(bytes).is_ok() {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        }
    });
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(text) => Ok((Cow::Borrowed(text), encoding)),
                Err(e) => Err(CsvError::InvalidEncoding {
                    path: path.to_path_buf(),
                    // Lines before the first invalid byte, plus the one holding it.
                    line: body[..e.valid_up_to()].split(|&b| b == b'\n').count(),
                    encoding,
                }),
            }
        }
        TextEncoding::Windows1252 => {
            // Every byte has a mapping in Windows-1252 (WHATWG), so decoding cannot fail.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, encoding))
        }
    }
}

/// Recognises content that is not text, so the user gets advice instead of garbage columns.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("classeur Excel .xlsx ou archive zip ; enregistrez-le au format CSV")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("classeur Excel .xls ; enregistrez-le au format CSV")
    } else if bytes.starts_with(b"PAR1") {
        Some("fichier Parquet ; ouvrez-le comme fichier .parquet")
    } else if bytes.contains(&0) {
        Some("octets nuls : fichier binaire, ou texte UTF-16 sans BOM")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Records and fields
//
// Record boundaries follow polars exactly: every double quote toggles the "inside quotes" state,
// and only line ends outside quotes end a record. Fields follow polars too: a field is quoted only
// when its first byte is a double quote. Keeping both rules identical to polars is what makes the
// line numbers of the pre-scan valid for the rows polars returns.

/// One record (a logical CSV line) of the decoded text.
#[derive(Debug, Clone, Copy)]
struct RawRecord<'a> {
    /// 1-based physical line where the record starts.
    line: usize,
    /// Record text without its line end.
    text: &'a str,
    /// Byte offset just past the record's line end.
    next: usize,
    /// 1-based physical line following the record.
    next_line: usize,
}

/// Iterates over records; yields `Err(line)` for a quote that never closes.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, pos: usize, line: usize) -> Self {
        Self { text, pos, line }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<RawRecord<'a>, usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let first_line = self.line;
        let mut in_quotes = false;
        let mut quote_line = first_line;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    in_quotes = !in_quotes;
                    if in_quotes {
                        quote_line = self.line;
                    }
                }
                b'\n' if in_quotes => self.line += 1,
                b'\n' => break,
                _ => {}
            }
            i += 1;
        }
        if in_quotes {
            self.pos = bytes.len();
            return Some(Err(quote_line));
        }
        let mut end = i;
        if i < bytes.len() {
            self.pos = i + 1;
            self.line += 1;
        } else {
            self.pos = bytes.len();
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        Some(Ok(RawRecord { line: first_line, text: &self.text[start..end], next: self.pos, next_line: self.line }))
    }
}

/// A line made only of spaces carries nothing, whatever the separator.
fn is_blank(record: &str) -> bool {
    record.bytes().all(|b| b == b' ')
}

/// Splits a record into raw fields (quotes still in place), with polars' quoting rule.
fn split_fields(record: &str, separator: u8) -> Vec<&str> {
    let bytes = record.as_bytes();
    let mut fields = Vec::new();
    let mut start = 0;
    loop {
        let end = field_end(bytes, start, separator);
        // Separators are ASCII, so these byte offsets are always char boundaries.
        fields.push(&record[start..end]);
        if end >= bytes.len() {
            return fields;
        }
        start = end + 1;
    }
}

/// Counts fields without allocating, for the pass over the whole file.
fn count_fields(record: &str, separator: u8) -> usize {
    let bytes = record.as_bytes();
    let mut count = 1;
    let mut start = 0;
    loop {
        let end = field_end(bytes, start, separator);
        if end >= bytes.len() {
            return count;
        }
        count += 1;
        start = end + 1;
    }
}

/// Offset of the separator ending the field that starts at `start`, or the record length.
fn field_end(bytes: &[u8], start: usize, separator: u8) -> usize {
    let mut i = start;
    if bytes.get(start) == Some(&b'"') {
        let mut in_quotes = false;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'"' {
                in_quotes = !in_quotes;
            } else if !in_quotes && c == separator {
                return i;
            }
            i += 1;
        }
        bytes.len()
    } else {
        bytes[start..].iter().position(|&c| c == separator).map_or(bytes.len(), |p| start + p)
    }
}

/// The content of a raw field: outer quotes removed and doubled quotes undone.
fn unquote(field: &str) -> Cow<'_, str> {
    match field.strip_prefix('"') {
        Some(inner) => {
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            if inner.contains("\"\"") { Cow::Owned(inner.replace("\"\"", "\"")) } else { Cow::Borrowed(inner) }
        }
        None => Cow::Borrowed(field),
    }
}

/// The first non-blank records, starting at the requested header line if there is one.
fn sample_records<'a>(text: &'a str, header_line: Option<usize>, path: &Path) -> Result<Vec<RawRecord<'a>>, CsvError> {
    let unclosed = |line| CsvError::UnclosedQuote { path: path.to_path_buf(), line };
    let mut sample = Vec::new();
    for record in Records::new(text, 0, 1) {
        let record = record.map_err(unclosed)?;
        if let Some(wanted) = header_line
            && sample.is_empty()
        {
            if record.line - 1 < wanted {
                continue;
            }
            if record.line - 1 > wanted || is_blank(record.text) {
                return Err(CsvError::NoHeaderAt { path: path.to_path_buf(), line: wanted + 1 });
            }
        }
        if is_blank(record.text) {
            continue;
        }
        sample.push(record);
        if sample.len() >= SNIFF_RECORDS {
            break;
        }
    }
    // Blank files are "empty"; a header past the end of a non-blank file is a wrong setting.
    if let Some(wanted) = header_line
        && sample.is_empty()
        && text.bytes().any(|b| !b.is_ascii_whitespace())
    {
        return Err(CsvError::NoHeaderAt { path: path.to_path_buf(), line: wanted + 1 });
    }
    Ok(sample)
}

// ---------------------------------------------------------------------------------------------
// Sniffing

/// Chooses the separator and the index (in `sample`) of the header record.
fn sniff(sample: &[RawRecord<'_>], forced: Option<u8>, header_fixed: bool) -> (u8, usize) {
    let candidates: &[u8] = match &forced {
        Some(separator) => std::slice::from_ref(separator),
        None => &SEPARATOR_CANDIDATES,
    };
    // (score, separator, header index); earlier candidates win ties.
    let mut best: Option<(i64, u8, usize)> = None;
    let mut fallback = None;
    for &separator in candidates {
        let rows: Vec<Vec<&str>> = sample.iter().map(|r| split_fields(r.text, separator)).collect();
        let counts: Vec<usize> = rows.iter().map(Vec::len).collect();
        let width = modal_count(&counts);
        let header = if header_fixed { 0 } else { detect_header(&rows, &counts, width) };
        if fallback.is_none() {
            fallback = Some((separator, header));
        }
        if width < 2 {
            continue;
        }
        let tail = &counts[header..];
        let consistent = tail.iter().filter(|&&c| c == width).count();
        let score = to_i64(consistent) - to_i64(tail.len() - consistent);
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, separator, header));
        }
    }
    // A single-column file fits no separator; `;` is the French default and changes nothing.
    best.map(|(_, s, h)| (s, h)).or(fallback).unwrap_or((b';', 0))
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Most frequent field count; ties go to the wider one, since title lines are narrower.
fn modal_count(counts: &[usize]) -> usize {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0); // (occurrences, count)
    for run in sorted.chunk_by(|a, b| a == b) {
        if (run.len(), run[0]) > best {
            best = (run.len(), run[0]);
        }
    }
    best.1
}

/// Empty cells and value-like cells (numbers and missing/secret markers) of a record.
fn cell_kinds(fields: &[&str]) -> (usize, usize) {
    let mut non_empty = 0;
    let mut values = 0;
    for field in fields {
        let content = unquote(field);
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        non_empty += 1;
        if parse_number(content).is_ok() {
            values += 1;
        }
    }
    (non_empty, values)
}

/// First record from which the field count stays at `width` and that reads like a header.
fn detect_header(rows: &[Vec<&str>], counts: &[usize], width: usize) -> usize {
    let stays = |i: usize| {
        let following = &counts[i + 1..(i + 1 + HEADER_LOOKAHEAD).min(counts.len())];
        let same = following.iter().filter(|&&c| c == width).count();
        same * 5 >= following.len() * 4
    };
    let mostly_filled = |i: usize| cell_kinds(&rows[i]).0 * 2 >= width;
    for i in 0..rows.len() {
        if counts[i] != width || !stays(i) {
            continue;
        }
        let (non_empty, values) = cell_kinds(&rows[i]);
        // Half of the fields at least must be filled: Insee title lines padded with `; ; ;` fail.
        if non_empty * 2 < width {
            continue;
        }
        if values * 2 < non_empty {
            return i;
        }
        // Headers made of years (`code;nom;2019;2020;2021`) hold numbers too, but fewer than the
        // rows below them.
        let mut below: Vec<usize> = (i + 1..(i + 1 + HEADER_LOOKAHEAD).min(rows.len()))
            .filter(|&j| counts[j] == width)
            .map(|j| cell_kinds(&rows[j]).1)
            .collect();
        if !below.is_empty() {
            below.sort_unstable();
            if values < below[below.len() / 2] {
                return i;
            }
        }
    }
    (0..rows.len())
        .find(|&i| counts[i] == width && mostly_filled(i))
        .or_else(|| counts.iter().position(|&c| c == width))
        .unwrap_or(0)
}

/// Header names made usable: trimmed, `#` of La Poste files dropped, never empty, unique.
fn header_names(header: &str, separator: u8) -> Vec<String> {
    let mut used = HashSet::new();
    let mut names = Vec::new();
    for (i, field) in split_fields(header, separator).into_iter().enumerate() {
        let raw = unquote(field);
        let mut name = raw.trim().trim_start_matches('\u{feff}').trim();
        if i == 0 {
            name = name.strip_prefix('#').unwrap_or(name).trim();
        }
        let base = if name.is_empty() { format!("colonne_{}", i + 1) } else { name.to_owned() };
        let mut unique = base.clone();
        let mut n = 2;
        while used.contains(&unique) {
            unique = format!("{base}_{n}");
            n += 1;
        }
        used.insert(unique.clone());
        names.push(unique);
    }
    names
}

// ---------------------------------------------------------------------------------------------
// Data rows

struct DataScan {
    /// Data rows only, each ending with LF, ready for polars.
    buffer: Vec<u8>,
    /// 1-based starting line of each row in `buffer`.
    row_lines: Vec<usize>,
}

/// Checks every data row's field count and gathers the rows, with their lines, for polars.
fn scan_data(
    text: &str,
    header: &RawRecord<'_>,
    separator: u8,
    width: usize,
    path: &Path,
) -> Result<DataScan, CsvError> {
    let mut buffer = Vec::with_capacity(text.len().saturating_sub(header.next) + 1);
    let mut row_lines = Vec::new();
    // Rows made only of empty fields are kept only when real rows follow them.
    let mut kept = (0, 0);
    let mut pending_ragged = None;
    for record in Records::new(text, header.next, header.next_line) {
        let record = record.map_err(|line| CsvError::UnclosedQuote { path: path.to_path_buf(), line })?;
        if is_blank(record.text) {
            continue;
        }
        let all_empty = record.text.bytes().all(|b| b == separator || b == b' ' || b == b'\t' || b == b'"');
        let found = count_fields(record.text, separator);
        if found != width {
            let error = CsvError::Ragged {
                path: path.to_path_buf(),
                line: record.line,
                found,
                expected: width,
                separator,
                header_line: header.line,
            };
            if all_empty {
                pending_ragged.get_or_insert(error);
                continue;
            }
            return Err(pending_ragged.unwrap_or(error));
        }
        if !all_empty && let Some(error) = pending_ragged.take() {
            return Err(error);
        }
        buffer.extend_from_slice(record.text.as_bytes());
        buffer.push(b'\n');
        row_lines.push(record.line);
        if !all_empty {
            kept = (buffer.len(), row_lines.len());
        }
    }
    buffer.truncate(kept.0);
    row_lines.truncate(kept.1);
    Ok(DataScan { buffer, row_lines })
}

/// Lets polars split the data rows into string columns named after the header.
fn tokenize(
    buffer: Vec<u8>,
    names: &[String],
    separator: u8,
    expected_rows: usize,
    path: &Path,
) -> Result<Vec<StringChunked>, CsvError> {
    if expected_rows == 0 {
        return Ok(names.iter().map(|n| StringChunked::new(n.as_str().into(), Vec::<Option<&str>>::new())).collect());
    }
    let schema: Schema = names.iter().map(|n| Field::new(n.as_str().into(), DataType::String)).collect();
    let frame = CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_infer_schema_length(Some(0))
        .with_rechunk(true)
        .map_parse_options(move |p| {
            p.with_separator(separator)
                .with_quote_char(Some(b'"'))
                .with_eol_char(b'\n')
                .with_missing_is_null(true)
                .with_truncate_ragged_lines(false)
        })
        .into_reader_with_file_handle(Cursor::new(buffer))
        .finish()
        .map_err(|source| CsvError::Tokenize { path: path.to_path_buf(), source })?;
    if frame.height() != expected_rows {
        return Err(CsvError::RowCount { path: path.to_path_buf(), found: frame.height(), expected: expected_rows });
    }
    frame
        .columns()
        .iter()
        .map(|c| c.str().map(|ca| ca.rechunk().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|source| CsvError::Tokenize { path: path.to_path_buf(), source })
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// A parsed numeric cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    /// A finite number.
    Number(f64),
    /// No value: empty cell or a "not available" marker.
    Missing,
    /// A value withheld by statistical secrecy.
    Secret,
}

/// Why a cell is not a number. Messages quote what was read and say what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not a number in any accepted spelling.
    #[error("« \"{text}\" n'est pas un nombre » : attendu par exemple 12, -3,5, 1 234,5 ou 1e3")]
    NotANumber {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// A percentage sign; the unit belongs to the indicator, not to the cell.
    #[error("« \"{text}\" » contient un signe % : attendu un nombre sans unité (12,5 et non 12,5 %)")]
    Percent {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// Both a dot and a comma: one of them would be a thousands separator, and which one is
    /// ambiguous.
    #[error("« \"{text}\" » mélange point et virgule : séparateur des milliers ambigu, attendu 1234,5 ou 1 234,5")]
    AmbiguousSeparators {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// Too large to be represented.
    #[error("« \"{text}\" » est trop grand : attendu un nombre inférieur à 1e308")]
    OutOfRange {
        /// The text read, trimmed and shortened.
        text: String,
    },
}

/// Parses a number written the French or the international way.
///
/// Accepted numbers: an optional sign (`+`, `-` or the typographic minus `−`), digits, one
/// optional decimal mark (`,` or `.`), an optional exponent (`1e3`, `2,5E-2`), surrounding
/// spaces. The integer part may be grouped by thousands with a space, a no-break space (U+00A0),
/// a narrow no-break space (U+202F) or a thin space (U+2009), in groups of exactly three digits:
/// `12 345,6`.
///
/// Choices, since French files disagree with international ones:
/// * a single comma is always the decimal mark: `1,234` is 1.234, never 1234 (French files
///   never use the comma for thousands);
/// * a single dot is the decimal mark too: `1.234` is 1.234;
/// * a dot and a comma together (`1.234,5`, `1,234.5`) and repeated marks (`1.234.567`) are
///   rejected: the thousands separator would be a guess;
/// * a trailing `%` is rejected rather than silently dropped;
/// * `inf`, `NaN` and numbers too large for `f64` are rejected.
///
/// Markers, compared without regard to case and surrounding spaces:
/// * [`NumberCell::Missing`]: empty, `NA`, `N/A`, `nd`, `n.d.`, `n.d`, `nc`, `ns`, `-`, `−`,
///   `..`, `non disponible`, `non communiqué`, `non significatif`, and any `N/A - …` text not
///   mentioning secrecy (Insee writes `N/A - résultat non disponible`, `N/A - division par 0`);
/// * [`NumberCell::Secret`]: `s`, `secret`, `secret statistique`, `c`, `confidentiel`, and any
///   `N/A - …` text mentioning `secret` (Insee's `N/A - secret statistique`). `c` follows the
///   Eurostat and DREES convention "c = confidentiel"; Insee uses `s`.
pub fn parse_number(text: &str) -> Result<NumberCell, NumberError> {
    let trimmed = text.trim();
    if let Some(marker) = marker(trimmed) {
        return Ok(marker);
    }
    if trimmed.ends_with('%') {
        return Err(NumberError::Percent { text: shorten(trimmed) });
    }
    let not_a_number = || NumberError::NotANumber { text: shorten(trimmed) };
    let (negative, body) = if let Some(rest) = trimmed.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = trimmed.strip_prefix('-').or_else(|| trimmed.strip_prefix('\u{2212}')) {
        (true, rest)
    } else {
        (false, trimmed)
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let dots = mantissa.matches('.').count();
    let commas = mantissa.matches(',').count();
    if dots > 0 && commas > 0 {
        return Err(NumberError::AmbiguousSeparators { text: shorten(trimmed) });
    }
    if dots + commas > 1 {
        return Err(not_a_number());
    }
    let (integer, fraction) = match mantissa.find(['.', ',']) {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let integer = ungroup(integer).ok_or_else(not_a_number)?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (integer.is_empty() && fraction.is_empty()) {
        return Err(not_a_number());
    }
    let mut normalized = String::with_capacity(trimmed.len() + 2);
    if negative {
        normalized.push('-');
    }
    normalized.push_str(if integer.is_empty() { "0" } else { &integer });
    if !fraction.is_empty() {
        normalized.push('.');
        normalized.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_number());
        }
        normalized.push('e');
        normalized.push_str(exponent);
    }
    let value: f64 = normalized.parse().map_err(|_| not_a_number())?;
    if value.is_finite() {
        Ok(NumberCell::Number(value))
    } else {
        Err(NumberError::OutOfRange { text: shorten(trimmed) })
    }
}

/// The integer part without its thousands separators, or `None` when grouping is not by three.
fn ungroup(integer: &str) -> Option<String> {
    let is_group_separator = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}');
    let groups: Vec<&str> = integer.split(is_group_separator).collect();
    if !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    Some(groups.concat())
}

fn marker(trimmed: &str) -> Option<NumberCell> {
    let lower = trimmed.to_lowercase();
    match lower.as_str() {
        "" | "na" | "n/a" | "nd" | "n.d." | "n.d" | "nc" | "ns" | "-" | "\u{2212}" | ".." | "non disponible"
        | "non communiqué" | "non significatif" => Some(NumberCell::Missing),
        "s" | "secret" | "secret statistique" | "c" | "confidentiel" => Some(NumberCell::Secret),
        _ => {
            let rest = lower.strip_prefix("n/a")?.trim_start();
            let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('\u{2013}'))?;
            if rest.contains("secret") { Some(NumberCell::Secret) } else { Some(NumberCell::Missing) }
        }
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
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

    fn number(text: &str) -> f64 {
        match parse_number(text) {
            Ok(NumberCell::Number(v)) => v,
            other => panic!("{text:?} gave {other:?}"),
        }
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

    // ----- parquet --------------------------------------------------------------------------

    #[test]
    fn parquet_columns_become_text() {
        use polars::prelude::{Column, ParquetWriter};
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
        let err = read_parquet(&dir.path().join("absent.parquet")).unwrap_err();
        assert!(matches!(err, CsvError::Io { .. }));
        std::fs::write(dir.path().join("faux.parquet"), b"code;nom\n").unwrap();
        let err = read_parquet(&dir.path().join("faux.parquet")).unwrap_err();
        assert!(err.to_string().contains("faux.parquet"), "{err}");
    }

    // ----- numbers --------------------------------------------------------------------------

    #[test]
    fn numbers_in_french_and_international_spellings() {
        assert!((number("12") - 12.0).abs() < 1e-12);
        assert!((number("-3.5") + 3.5).abs() < 1e-12);
        assert!((number("3,5") - 3.5).abs() < 1e-12);
        assert!((number("12 345,6") - 12_345.6).abs() < 1e-9);
        assert!((number("12\u{a0}345,6") - 12_345.6).abs() < 1e-9);
        assert!((number("1\u{202f}234\u{202f}567") - 1_234_567.0).abs() < 1e-9);
        assert!((number("1e3") - 1000.0).abs() < 1e-12);
        assert!((number("2,5E-2") - 0.025).abs() < 1e-12);
        assert!((number("+7") - 7.0).abs() < 1e-12);
        assert!((number("  42,0  ") - 42.0).abs() < 1e-12);
        assert!((number("\u{2212}4") + 4.0).abs() < 1e-12);
        assert!((number(",5") - 0.5).abs() < 1e-12);
        assert!((number("02001") - 2001.0).abs() < 1e-12);
    }

    #[test]
    fn single_comma_is_always_decimal() {
        // French files never group thousands with a comma, so three decimals stay decimals.
        assert!((number("1,234") - 1.234).abs() < 1e-12);
        assert!((number("1.234") - 1.234).abs() < 1e-12);
    }

    #[test]
    fn ambiguous_and_malformed_numbers_are_errors() {
        for text in ["1.234,5", "1,234.5"] {
            assert!(matches!(parse_number(text), Err(NumberError::AmbiguousSeparators { .. })), "{text}");
        }
        for text in
            ["12,3,4", "1.234.567", "abc", "12 34", "1 2345", "1e", "e3", "12a", "inf", "NaN", "--1", "1 234 ,5", "."]
        {
            assert!(matches!(parse_number(text), Err(NumberError::NotANumber { .. })), "{text}");
        }
        assert!(matches!(parse_number("1e999"), Err(NumberError::OutOfRange { .. })));
        let err = parse_number("12,3,4").unwrap_err();
        assert!(err.to_string().starts_with("« \"12,3,4\" n'est pas un nombre »"), "{err}");
    }

    #[test]
    fn percent_sign_is_rejected() {
        let err = parse_number("12,5 %").unwrap_err();
        assert!(matches!(err, NumberError::Percent { .. }));
        assert!(err.to_string().contains("12,5 %"), "{err}");
        assert!(parse_number("12%").is_err());
    }

    #[test]
    fn missing_markers() {
        for text in [
            "",
            "  ",
            "NA",
            "na",
            "N/A",
            "nd",
            "ND",
            "n.d.",
            "-",
            "..",
            "N/A - résultat non disponible",
            "non disponible",
            "ns",
            "N/A - division par 0",
        ] {
            assert_eq!(parse_number(text), Ok(NumberCell::Missing), "{text:?}");
        }
    }

    #[test]
    fn secret_markers() {
        for text in ["s", "S", "secret", "Secret statistique", "N/A - secret statistique", "c", "confidentiel"] {
            assert_eq!(parse_number(text), Ok(NumberCell::Secret), "{text:?}");
        }
    }

    #[test]
    fn long_text_is_shortened_in_errors() {
        let long = "x".repeat(500);
        let err = parse_number(&long).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
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
