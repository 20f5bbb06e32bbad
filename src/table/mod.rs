//! Tabular input: the files of a pack, of a quick map or of a zoning, as French users produce them.
//! Split by job: [`sniff`] (encodings, records, separator, header and decimal mark, where each row
//! starts), [`number`] (numbers written the French or international way, secrecy and missing
//! markers), [`csv`] (reading options and errors, the all-text [`csv::TextTable`], polars over the
//! sniffed rows), [`parquet`], and [`typed`] (only the columns a caller needs, codes as text and
//! numbers straight into `f64` columns).
//!
//! Knows nothing of indicators, levels or packs: the pack loader builds on it.

pub mod csv;
pub mod number;
pub mod parquet;
mod sniff;
pub mod typed;

pub use typed::{NumberColumn, Source, Table};

/// Index of the column called `name`: an exact match first, then a case-insensitive one, because
/// users type `code` for a header written `CODE`.
pub(crate) fn column_index(columns: &[String], name: &str) -> Option<usize> {
    columns.iter().position(|c| c == name).or_else(|| {
        let wanted = name.trim().to_lowercase();
        columns.iter().position(|c| c.to_lowercase() == wanted)
    })
}
