//! The byte-level half of reading delimited text: decoding (UTF-8, UTF-8 with BOM, Windows-1252;
//! UTF-16 and binary content refused), records and fields with polars' quoting rules, sniffing the
//! separator, the header line (title lines above it skipped) and the decimal mark, and one pass
//! over the data rows that checks their field count and notes where each starts, so that messages
//! name the original line. Parsing the cells is left to polars ([`super::csv`]).
//!
//! Depends on nothing else in the crate but the error type of [`super::csv`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use super::csv::{CsvError, TextEncoding};
use super::number::parse_number;

/// Separators tried by the sniffer, in order of preference when two fit equally well: French
/// software writes `;` (the comma being the decimal mark), then the international ones.
const SEPARATOR_CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Records examined by the sniffer: room for a few title lines, the header and ~200 data rows.
const SNIFF_RECORDS: usize = 250;

/// Records after a header candidate used to judge that the field count "stays" the same.
const HEADER_LOOKAHEAD: usize = 20;

/// The UTF-8 byte-order mark Excel writes in front of "CSV UTF-8" files.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a whole file into text: a UTF-8 BOM is dropped, Windows-1252 is decoded, lone CR line
/// ends (old Mac Excel) become LF. UTF-16 and binary content are refused with advice.
pub(super) fn decode(
    bytes: Vec<u8>,
    path: &Path,
    forced: Option<TextEncoding>,
) -> Result<(String, TextEncoding), CsvError> {
    if bytes.is_empty() {
        return Err(CsvError::Empty { path: path.to_path_buf() });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CsvError::Utf16 { path: path.to_path_buf() });
    }
    if let Some(kind) = binary_kind(&bytes) {
        return Err(CsvError::NotText { path: path.to_path_buf(), kind });
    }
    let encoding = forced.unwrap_or_else(|| {
        if bytes.starts_with(BOM) {
            TextEncoding::Utf8Bom
        } else if std::str::from_utf8(&bytes).is_ok() {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        }
    });
    let mut text = match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let mut bytes = bytes;
            if bytes.starts_with(BOM) {
                bytes.drain(..BOM.len());
            }
            String::from_utf8(bytes).map_err(|e| {
                let body = e.as_bytes();
                let valid = e.utf8_error().valid_up_to();
                CsvError::InvalidEncoding {
                    path: path.to_path_buf(),
                    // Lines before the first invalid byte, plus the one holding it.
                    line: body[..valid].split(|&b| b == b'\n').count(),
                    encoding,
                }
            })?
        }
        // Every byte has a mapping in Windows-1252 (WHATWG), so decoding cannot fail.
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes).0.into_owned(),
    };
    // Lone CR line ends: only when there is no LF at all, so a stray CR inside a field of a normal
    // file is left alone.
    if !text.contains('\n') && text.contains('\r') {
        text = text.replace('\r', "\n");
    }
    Ok((text, encoding))
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

// Records and fields
//
// Record boundaries follow polars exactly: every double quote toggles the "inside quotes" state,
// and only line ends outside quotes end a record. Fields follow polars too: a field is quoted only
// when its first byte is a double quote. Keeping both rules identical to polars is what makes the
// line numbers of the pre-scan valid for the rows polars returns.

/// One record (a logical CSV line) of the decoded text.
#[derive(Debug, Clone, Copy)]
pub(super) struct RawRecord<'a> {
    /// Byte offset where the record starts.
    pub(super) start: usize,
    /// 1-based physical line where the record starts.
    pub(super) line: usize,
    /// Record text without its line end.
    pub(super) text: &'a str,
    /// Byte offset just past the record's line end.
    pub(super) next: usize,
    /// 1-based physical line following the record.
    pub(super) next_line: usize,
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
        Some(Ok(RawRecord {
            start,
            line: first_line,
            text: &self.text[start..end],
            next: self.pos,
            next_line: self.line,
        }))
    }
}

/// A line made only of spaces carries nothing, whatever the separator.
pub(super) fn is_blank(record: &str) -> bool {
    record.bytes().all(|b| b == b' ')
}

/// Splits a record into raw fields (quotes still in place), with polars' quoting rule.
pub(super) fn split_fields(record: &str, separator: u8) -> Vec<&str> {
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
pub(super) fn unquote(field: &str) -> Cow<'_, str> {
    match field.strip_prefix('"') {
        Some(inner) => {
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            if inner.contains("\"\"") { Cow::Owned(inner.replace("\"\"", "\"")) } else { Cow::Borrowed(inner) }
        }
        None => Cow::Borrowed(field),
    }
}

/// The first non-blank records, starting at the requested header line if there is one.
pub(super) fn sample_records<'a>(
    text: &'a str,
    header_line: Option<usize>,
    path: &Path,
) -> Result<Vec<RawRecord<'a>>, CsvError> {
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
pub(super) fn sniff(sample: &[RawRecord<'_>], forced: Option<u8>, header_fixed: bool) -> (u8, usize) {
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
pub(super) fn header_names(header: &str, separator: u8) -> Vec<String> {
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

/// Whether the data rows use the decimal comma: among the sample's cells written as a number with
/// one decimal mark, more have a comma than a dot. Always false for `,`-separated files.
pub(super) fn decimal_comma(sample: &[RawRecord<'_>], header_index: usize, separator: u8) -> bool {
    if separator == b',' {
        return false;
    }
    let (mut commas, mut dots) = (0usize, 0usize);
    for record in sample.iter().skip(header_index + 1) {
        for field in split_fields(record.text, separator) {
            let field = unquote(field);
            let field = field.trim();
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let body = field.strip_prefix('-').unwrap_or(field);
            if let Some((a, b)) = body.split_once(',') {
                commas += usize::from(digits(b) && (a.is_empty() || digits(a)));
            } else if let Some((a, b)) = body.split_once('.') {
                dots += usize::from(digits(b) && (a.is_empty() || digits(a)));
            }
        }
    }
    commas > dots
}

/// Cells of the sample's data rows in column `col` that are neither empty nor a plain number: the
/// markers (`s`, `nd`) and spellings (`1 234`) polars does not read, which decide whether a typed
/// read can be strict.
pub(super) fn sample_has_non_numbers(sample: &[RawRecord<'_>], header_index: usize, separator: u8, col: usize) -> bool {
    sample.iter().skip(header_index + 1).any(|record| {
        split_fields(record.text, separator).get(col).is_some_and(|field| {
            let field = unquote(field);
            let field = field.trim();
            (!field.is_empty() && !matches!(parse_number(field), Ok(super::number::NumberCell::Number(_))))
                || field.contains([' ', '\u{a0}', '\u{202f}', '\u{2009}'])
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Data rows

/// The 1-based line in the original file where each data row starts, kept as runs of consecutive
/// lines: one run for a plain file, a new one after each blank line or quoted line break.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowLines {
    /// (first row of the run, its line).
    runs: Vec<(usize, usize)>,
    rows: usize,
}

impl RowLines {
    /// Rows `0..rows`, row r on line `first_line + r` (Parquet: `first_line` 1).
    pub(crate) fn consecutive(rows: usize, first_line: usize) -> Self {
        RowLines { runs: vec![(0, first_line)], rows }
    }

    fn push(&mut self, line: usize) {
        let row = self.rows;
        if self.runs.last().is_none_or(|&(first, first_line)| first_line + (row - first) != line) {
            self.runs.push((row, line));
        }
        self.rows += 1;
    }

    fn truncate(&mut self, rows: usize) {
        self.runs.retain(|&(first, _)| first < rows);
        self.rows = self.rows.min(rows);
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// The line of a row; 0 past the end.
    pub(crate) fn line(&self, row: usize) -> usize {
        if row >= self.rows {
            return 0;
        }
        let run = self.runs.partition_point(|&(first, _)| first <= row).saturating_sub(1);
        self.runs.get(run).map_or(0, |&(first, line)| line + (row - first))
    }
}

/// Where the data rows are, ready for polars: a range of the decoded text when they follow each
/// other with plain LF line ends (no copy), else a copy with blank lines and CR dropped.
pub(super) enum DataRows {
    /// `text[range]`.
    Borrowed(Range<usize>),
    /// Rows each ending with LF.
    Owned(Vec<u8>),
}

/// The data rows of a file, checked.
pub(super) struct DataScan {
    pub(super) rows: DataRows,
    pub(super) lines: RowLines,
}

/// Checks every data row's field count and notes where each row starts.
pub(super) fn scan_data(
    text: &str,
    header: &RawRecord<'_>,
    separator: u8,
    width: usize,
    path: &Path,
) -> Result<DataScan, CsvError> {
    let mut owned: Option<Vec<u8>> = None;
    let mut lines = RowLines::default();
    // End of the rows kept so far (borrowed: offset in `text`; owned: length of the copy) and
    // their count. Rows made only of empty fields are kept only when real rows follow them.
    let mut kept = (header.next, 0);
    let mut end = header.next;
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
        let plain = record.start == end
            && (record.next == record.start + record.text.len() + 1 || record.next == record.start + record.text.len());
        if owned.is_none() && !plain {
            // From here on rows are copied: what was borrowed so far is copied first.
            let mut copy = Vec::with_capacity(text.len() - header.next + 1);
            copy.extend_from_slice(&text.as_bytes()[header.next..end]);
            if !copy.is_empty() && copy.last() != Some(&b'\n') {
                copy.push(b'\n');
            }
            owned = Some(copy);
        }
        match owned.as_mut() {
            Some(copy) => {
                copy.extend_from_slice(record.text.as_bytes());
                copy.push(b'\n');
                end = copy.len();
            }
            None => end = record.next,
        }
        lines.push(record.line);
        if !all_empty {
            kept = (end, lines.len());
        }
    }
    lines.truncate(kept.1);
    let rows = match owned {
        Some(mut copy) => {
            copy.truncate(kept.0);
            DataRows::Owned(copy)
        }
        None => DataRows::Borrowed(header.next..kept.0),
    };
    Ok(DataScan { rows, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_lines_are_runs_of_consecutive_lines() {
        let mut lines = RowLines::default();
        for line in [2, 3, 4, 7, 8, 10] {
            lines.push(line);
        }
        assert_eq!(lines.runs.len(), 3);
        assert_eq!((0..6).map(|r| lines.line(r)).collect::<Vec<_>>(), [2, 3, 4, 7, 8, 10]);
        assert_eq!(lines.line(6), 0);
        lines.truncate(4);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.line(3), 7);
        assert_eq!(lines.line(4), 0);
        assert_eq!(RowLines::consecutive(3, 1).line(2), 3);
    }

    #[test]
    fn decimal_mark_is_sniffed_from_the_data_rows() {
        let text = "code;a;b\n01;1,5;2\n02;3,25;4\n03;1.5;0\n";
        let sample = sample_records(text, None, Path::new("t.csv")).unwrap();
        assert!(decimal_comma(&sample, 0, b';'));
        let text = "code;a\n01;1.5\n02;3.25\n";
        let sample = sample_records(text, None, Path::new("t.csv")).unwrap();
        assert!(!decimal_comma(&sample, 0, b';'));
        assert!(!decimal_comma(&sample, 0, b','));
    }
}
