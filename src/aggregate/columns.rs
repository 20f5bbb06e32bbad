//! Where the store keeps its numbers: per indicator a [`Grid`] of one [`YearColumn`] per year, each
//! a dense array over the territory ids ([`super::units`]) of values, numerators and denominators
//! (NaN where there is none; numerators and denominators allocated only for indicators that have
//! some) and one byte of flags. A cell is read and written as a [`RawCell`], the form the rules of
//! [`super::rules`] work on.
//!
//! Private to [`crate::aggregate`]: raw numbers of secret cells never leave it.

use std::collections::HashMap;

use super::rules::RawCell;
use super::units::UnitId;

const PRESENT: u8 = 1;
const SOURCE_SECRET: u8 = 2;
const COMPUTED: u8 = 4;
const SUPPRESSED: u8 = 8;

/// The cells of one indicator and one year, by territory id.
#[derive(Debug, Clone, Default)]
pub(crate) struct YearColumn {
    value: Vec<f64>,
    /// Empty until a cell has a numerator.
    numerator: Vec<f64>,
    /// Empty until a cell has a denominator.
    denominator: Vec<f64>,
    flags: Vec<u8>,
    /// Members skipped for lack of a value, where not zero.
    missing_members: HashMap<UnitId, u32>,
}

fn optional(values: &[f64], i: usize) -> Option<f64> {
    values.get(i).copied().filter(|v| !v.is_nan())
}

fn put(values: &mut Vec<f64>, len: usize, i: usize, v: Option<f64>) {
    if v.is_none() && values.is_empty() {
        return;
    }
    if values.len() < len {
        values.resize(len, f64::NAN);
    }
    values[i] = v.unwrap_or(f64::NAN);
}

impl YearColumn {
    /// Room for `len` territories.
    pub(crate) fn reserve_units(&mut self, len: usize) {
        if self.flags.len() < len {
            self.flags.resize(len, 0);
            self.value.resize(len, f64::NAN);
        }
    }

    /// The cell of a territory, if the data gave it or it was computed.
    pub(crate) fn get(&self, unit: UnitId) -> Option<RawCell> {
        let i = unit as usize;
        let flags = *self.flags.get(i)?;
        if flags & PRESENT == 0 {
            return None;
        }
        Some(RawCell {
            value: optional(&self.value, i),
            numerator: optional(&self.numerator, i),
            denominator: optional(&self.denominator, i),
            source_secret: flags & SOURCE_SECRET != 0,
            computed: flags & COMPUTED != 0,
            missing_members: if flags & COMPUTED != 0 {
                self.missing_members.get(&unit).copied().unwrap_or(0)
            } else {
                0
            },
            suppressed: flags & SUPPRESSED != 0,
        })
    }

    /// Whether a territory has a cell.
    pub(crate) fn has(&self, unit: UnitId) -> bool {
        self.flags.get(unit as usize).is_some_and(|f| f & PRESENT != 0)
    }

    /// Whether some cell is marked secret by the source (or computed from one).
    pub(crate) fn any_source_secret(&self) -> bool {
        self.flags.iter().any(|f| f & (PRESENT | SOURCE_SECRET) == PRESENT | SOURCE_SECRET)
    }

    /// Sets the cell of a territory.
    pub(crate) fn set(&mut self, unit: UnitId, cell: &RawCell) {
        let i = unit as usize;
        let len = self.flags.len().max(i + 1);
        self.reserve_units(len);
        self.value[i] = cell.value.unwrap_or(f64::NAN);
        put(&mut self.numerator, len, i, cell.numerator);
        put(&mut self.denominator, len, i, cell.denominator);
        self.flags[i] = PRESENT
            | if cell.source_secret { SOURCE_SECRET } else { 0 }
            | if cell.computed { COMPUTED } else { 0 }
            | if cell.suppressed { SUPPRESSED } else { 0 };
        if cell.missing_members > 0 {
            self.missing_members.insert(unit, cell.missing_members);
        } else if !self.missing_members.is_empty() {
            self.missing_members.remove(&unit);
        }
    }

    /// Masks a cell by secondary secrecy (its number still counts in its parents' totals).
    pub(crate) fn suppress(&mut self, unit: UnitId) {
        if let Some(f) = self.flags.get_mut(unit as usize).filter(|f| **f & PRESENT != 0) {
            *f |= SUPPRESSED;
        }
    }

    /// Forgets the cell of a territory.
    pub(crate) fn clear(&mut self, unit: UnitId) {
        let i = unit as usize;
        if let Some(f) = self.flags.get_mut(i) {
            *f = 0;
            self.value[i] = f64::NAN;
        }
        for values in [&mut self.numerator, &mut self.denominator] {
            if let Some(v) = values.get_mut(i) {
                *v = f64::NAN;
            }
        }
        self.missing_members.remove(&unit);
    }
}

/// The cells of one indicator: one column per year, years ascending.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    years: Vec<i32>,
    columns: Vec<YearColumn>,
}

impl Grid {
    /// The years that have a column, ascending.
    pub(crate) fn years(&self) -> &[i32] {
        &self.years
    }

    /// The column of a year.
    pub(crate) fn column(&self, year: i32) -> Option<&YearColumn> {
        self.years.binary_search(&year).ok().map(|i| &self.columns[i])
    }

    /// The column of a year, created empty when absent.
    pub(crate) fn column_mut(&mut self, year: i32) -> &mut YearColumn {
        let i = match self.years.binary_search(&year) {
            Ok(i) => i,
            Err(i) => {
                self.years.insert(i, year);
                self.columns.insert(i, YearColumn::default());
                i
            }
        };
        &mut self.columns[i]
    }

    /// Every column with its year.
    pub(crate) fn columns_mut(&mut self) -> impl Iterator<Item = (i32, &mut YearColumn)> {
        self.years.iter().copied().zip(self.columns.iter_mut())
    }

    /// Every column.
    pub(crate) fn columns(&self) -> impl Iterator<Item = &YearColumn> {
        self.columns.iter()
    }
}
