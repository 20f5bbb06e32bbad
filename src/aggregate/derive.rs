//! Computed indicators (`derive`): ratio, difference and change of other indicators, computed after
//! every input is aggregated and masked, for every territory and year, so they are exact at every
//! level and secret wherever an input is. Years of one indicator are computed in parallel.
//!
//! Private to [`crate::aggregate`].

use std::collections::{BTreeMap, BTreeSet};

use crate::code::IndicatorId;
use crate::indicator::{Aggregation, Derive, Indicator};
use crate::value::Value;

use super::Store;
use super::columns::YearColumn;
use super::rules::{RawCell, combine2, mask};
use super::units::UnitId;

/// The inputs of a computed indicator.
#[must_use]
pub fn derive_inputs(rule: &Derive) -> Vec<&IndicatorId> {
    match rule {
        Derive::Ratio { numerator, denominator, .. } => vec![numerator, denominator],
        Derive::Difference(a, b) => vec![a, b],
        Derive::Change { of, .. } => vec![of],
    }
}

/// Computed indicators sorted so that inputs come before the indicators that use them. Cycles are
/// rejected when the pack is validated, so none remain here.
pub(crate) fn derived_in_order(indicators: &BTreeMap<IndicatorId, Indicator>) -> Vec<Indicator> {
    let mut done: BTreeSet<IndicatorId> = indicators
        .values()
        .filter(|i| !matches!(i.aggregation, Aggregation::Derived(_)))
        .map(|i| i.id.clone())
        .collect();
    let mut order = Vec::new();
    loop {
        let ready: Vec<&Indicator> = indicators
            .values()
            .filter(|i| !done.contains(&i.id))
            .filter(|i| match &i.aggregation {
                Aggregation::Derived(rule) => derive_inputs(rule).iter().all(|input| done.contains(*input)),
                _ => true,
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        for indicator in ready {
            done.insert(indicator.id.clone());
            order.push(indicator.clone());
        }
    }
    order
}

/// One input of a computed indicator for one year, resolved once: its metadata and its column.
struct Input<'s> {
    indicator: &'s Indicator,
    column: Option<&'s YearColumn>,
}

impl Input<'_> {
    /// The input's cell for a territory and what a reader would see of it.
    fn cell(&self, unit: UnitId) -> Option<(RawCell, Value)> {
        let cell = self.column?.get(unit)?;
        Some((cell, mask(self.indicator, &cell)))
    }
}

/// The inputs of a computed indicator for one year, and how they combine.
struct Inputs<'s> {
    rule: &'s Derive,
    first: Option<Input<'s>>,
    second: Option<Input<'s>>,
}

impl Inputs<'_> {
    fn cell(&self, unit: UnitId) -> Option<RawCell> {
        let first = self.first.as_ref().and_then(|i| i.cell(unit));
        let second = self.second.as_ref().and_then(|i| i.cell(unit));
        match self.rule {
            Derive::Ratio { scale, .. } => {
                combine2(first, second, |a, b| (b != 0.0).then(|| (a / b * scale, Some(a), Some(b))))
            }
            Derive::Difference(..) => combine2(first, second, |a, b| Some((a - b, None, None))),
            Derive::Change { .. } => {
                combine2(first, second, |now, then| (then != 0.0).then(|| ((now - then) / then * 100.0, None, None)))
            }
        }
    }
}

impl Store {
    /// An input of a computed indicator for one year; a timeless input answers with its first year.
    fn input(&self, id: &IndicatorId, year: i32) -> Option<Input<'_>> {
        let indicator = self.indicators.get(id)?;
        let year = if indicator.timeless { indicator.years.first().copied().unwrap_or(year) } else { year };
        let column = self.slot(id).and_then(|s| self.grids[s].column(year));
        Some(Input { indicator, column })
    }

    /// The inputs of a computed indicator for one year.
    fn inputs<'s>(&'s self, rule: &'s Derive, year: i32) -> Inputs<'s> {
        let (first, second) = match rule {
            Derive::Ratio { numerator, denominator, .. } => {
                (self.input(numerator, year), self.input(denominator, year))
            }
            Derive::Difference(a, b) => (self.input(a, year), self.input(b, year)),
            Derive::Change { of, from } => (self.input(of, year), self.input(of, *from)),
        };
        Inputs { rule, first, second }
    }

    /// The cell of a computed indicator for one territory and year, from its inputs' cells.
    pub(super) fn derive_cell(&self, rule: &Derive, unit: UnitId, year: i32) -> Option<RawCell> {
        self.inputs(rule, year).cell(unit)
    }

    /// Computes one indicator for every territory the store knows, every year of the indicator.
    pub(super) fn derive(&mut self, indicator: &Indicator) {
        let Aggregation::Derived(rule) = &indicator.aggregation else { return };
        let Some(slot) = self.slot(&indicator.id) else { return };
        let mut grid = std::mem::take(&mut self.grids[slot]);
        let units = self.units.len();
        let mut columns: Vec<(i32, YearColumn)> =
            indicator.years.iter().map(|&y| (y, std::mem::take(grid.column_mut(y)))).collect();
        let store = &*self;
        crate::parallel::for_each_mut(&mut columns, 1, |(year, column)| {
            let inputs = store.inputs(rule, *year);
            column.reserve_units(units);
            for unit in (0..units).filter_map(|u| UnitId::try_from(u).ok()) {
                if let Some(cell) = inputs.cell(unit) {
                    column.set(unit, &cell);
                }
            }
        });
        for (year, column) in columns {
            *grid.column_mut(year) = column;
        }
        self.grids[slot] = grid;
    }
}
