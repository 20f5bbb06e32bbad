//! The value of an indicator for one territory and year, as every consumer sees it.
//!
//! A [`Value::Secret`] carries no number: once a cell is masked by statistical secrecy, nothing
//! downstream (figures, exports, tooltips, logs) can read what was behind it. The raw numbers live
//! only inside [`crate::aggregate`], which applies the secrecy rule before handing values out.

/// A published value, a missing one, or one masked by statistical secrecy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number that may be shown.
    Available(f64),
    /// No data: the source has none (`nd`).
    Missing,
    /// Masked by statistical secrecy (`s`). Deliberately holds no number.
    Secret,
}

impl Value {
    /// The number, if it may be shown.
    #[must_use]
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Available(v) => Some(v),
            Value::Missing | Value::Secret => None,
        }
    }

    /// The marker written in tables and CSV for a value that cannot be shown: `s` for secret, `nd`
    /// for missing; `None` for an available value.
    #[must_use]
    pub fn marker(self) -> Option<&'static str> {
        match self {
            Value::Available(_) => None,
            Value::Missing => Some("nd"),
            Value::Secret => Some("s"),
        }
    }

    /// Writes the value for a CSV cell: the number with `decimals` and the given decimal mark, no
    /// thousands separator, rounded half away from zero ([`crate::text::format_plain`]), or its marker.
    #[must_use]
    pub fn to_csv_cell(self, decimals: usize, decimal_mark: char) -> String {
        match self {
            Value::Available(v) => crate::text::format_plain(v, decimals, decimal_mark),
            other => other.marker().unwrap_or_default().to_owned(),
        }
    }
}
