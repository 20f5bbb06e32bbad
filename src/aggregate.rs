//! The value store: raw cells by indicator, territory and year, aggregation to upper levels,
//! computed indicators, and statistical secrecy applied on every read.
//!
//! Raw numbers never leave this module for a masked cell: readers get a [`Value`], and an
//! [`Observation`] carries a numerator and denominator only when the value is not secret.
//!
//! Cells live in columns, not in maps of strings: territories are interned to integer ids
//! ([`units`]), each indicator keeps one column per year of values, numerators, denominators and
//! flags over those ids ([`columns`]). Aggregation runs one column per task over the cores
//! ([`crate::parallel`]); warnings come out in the order of a sequential run.
//!
//! Aggregation rules (documented for pack authors in `docs/pack-format.md`):
//! - a value the data gives is kept; when it can also be computed from finer levels, the two are
//!   compared and a difference over 0.1 % is reported;
//! - otherwise each upper level is computed from the finest level with members: EPCI, départements
//!   and custom zones from communes, régions from départements (else communes), France from régions
//!   (else départements, else communes); a zone composed at run time is computed alone, from its
//!   communes, by [`Store::complete_unit`] with the same rules;
//! - members without a value are skipped when they are at most 1 % of the members (a commune
//!   created later, say), and counted in [`Observation::missing_members`]; above that the
//!   aggregate is missing;
//! - a member the data marks secret (`s`, no number) makes the aggregate missing: a sum without it
//!   would be wrong and a sum with it cannot be known;
//! - secrecy is then applied to the aggregate with its own numerator, like any cell;
//! - for an indicator with secondary secrecy, complementary cells are then masked, level by level
//!   and across overlapping groupings, so that no masked count or numerator can be recovered from
//!   published totals by differencing ([`secondary`]); computed indicators come after, so a ratio
//!   of a masked count is masked too.
//!
//! Depends on [`crate::territory`], [`crate::indicator`], [`crate::value`], [`crate::parallel`];
//! never on packs, files or drawing.

mod columns;
mod derive;
mod protect;
mod rules;
mod secondary;
mod units;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::code::{IndicatorId, Level, TerritoryCode};
use crate::diagnostics::Warning;
use crate::indicator::{Aggregation, Indicator};
use crate::territory::TerritorySet;
use crate::value::Value;

use columns::{Grid, YearColumn};
pub use derive::derive_inputs;
use derive::derived_in_order;
pub(crate) use rules::RawCell;
use rules::{combine, mask};
pub(crate) use units::UnitId;
use units::{LevelPlan, Units};

/// Largest share of members that may lack a value before an aggregate becomes missing.
pub const MAX_MISSING_MEMBER_SHARE: f64 = 0.01;
/// Relative difference between a given and a computed aggregate above which it is reported.
pub const MISMATCH_TOLERANCE: f64 = 1e-3;

/// What a reader may know about one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The value, masked if secret.
    pub value: Value,
    /// Numerator, when the value is available and has one.
    pub numerator: Option<f64>,
    /// Denominator (or weight), when the value is available and has one.
    pub denominator: Option<f64>,
    /// Computed from finer levels or other indicators rather than given by the data.
    pub computed: bool,
    /// Members skipped because they had no value.
    pub missing_members: u32,
    /// The territory's loaded members do not cover it: a computed value is partial.
    pub partial: bool,
}

/// All values of a pack.
#[derive(Clone, Default)]
pub struct Store {
    indicators: BTreeMap<IndicatorId, Indicator>,
    /// Position of each indicator's grid in `grids`.
    slots: HashMap<IndicatorId, usize>,
    grids: Vec<Grid>,
    units: Units,
    /// Territories whose loaded members do not cover them.
    partial: HashSet<UnitId>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Millions of cells help nobody in a debug print.
        f.debug_struct("Store")
            .field("indicators", &self.indicators.keys().collect::<Vec<_>>())
            .field("territories", &self.units.len())
            .finish_non_exhaustive()
    }
}

/// A difference between a given and a computed aggregate, with where it was found.
struct Mismatch {
    level_position: usize,
    unit: UnitId,
    relative_difference: f64,
}

impl Store {
    /// An empty store for these indicators.
    #[must_use]
    pub fn new(indicators: impl IntoIterator<Item = Indicator>) -> Self {
        let mut store = Store::default();
        store.set_indicators(indicators);
        store
    }

    /// Replaces the indicator metadata (years are only known once the data is read); the cells of
    /// indicators kept stay.
    pub(crate) fn set_indicators(&mut self, indicators: impl IntoIterator<Item = Indicator>) {
        self.indicators = indicators.into_iter().map(|i| (i.id.clone(), i)).collect();
        for id in self.indicators.keys() {
            if !self.slots.contains_key(id) {
                self.slots.insert(id.clone(), self.grids.len());
                self.grids.push(Grid::default());
            }
        }
    }

    /// Gives an id to every territory of the set that has none yet (before cells are added).
    pub(crate) fn index_territories(&mut self, territories: &TerritorySet) {
        self.units.sync(territories);
    }

    /// The id of a territory, once indexed.
    pub(crate) fn unit(&self, level: &Level, code: &TerritoryCode) -> Option<UnitId> {
        self.units.id(level, code)
    }

    /// The level and code of a territory id.
    pub(crate) fn unit_ref(&self, unit: UnitId) -> Option<&(Level, TerritoryCode)> {
        self.units.get(unit)
    }

    /// The position of an indicator's cells, for a loader that inserts many.
    pub(crate) fn slot(&self, id: &IndicatorId) -> Option<usize> {
        self.slots.get(id).copied()
    }

    /// Adds a cell given by the data (`slot` from [`Store::slot`]). Returns false, keeping the
    /// first, if it was already given.
    pub(crate) fn insert_given(&mut self, slot: usize, year: i32, unit: UnitId, cell: &RawCell) -> bool {
        let units = self.units.len();
        let Some(grid) = self.grids.get_mut(slot) else { return false };
        let column = grid.column_mut(year);
        if column.has(unit) {
            return false;
        }
        column.reserve_units(units);
        column.set(unit, cell);
        true
    }

    /// The years that have cells of an indicator (given or computed).
    pub(crate) fn data_years(&self, id: &IndicatorId) -> Vec<i32> {
        self.slot(id).map(|s| self.grids[s].years().to_vec()).unwrap_or_default()
    }

    /// The indicators, by id.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.values()
    }

    /// One indicator.
    #[must_use]
    pub fn indicator(&self, id: &IndicatorId) -> Option<&Indicator> {
        self.indicators.get(id)
    }

    /// The value of a cell, secrecy applied.
    #[must_use]
    pub fn value(&self, id: &IndicatorId, level: &Level, code: &TerritoryCode, year: i32) -> Value {
        self.observation(id, level, code, year).value
    }

    /// What may be known of a cell.
    #[must_use]
    pub fn observation(&self, id: &IndicatorId, level: &Level, code: &TerritoryCode, year: i32) -> Observation {
        let unit = self.units.id(level, code);
        let partial = unit.is_some_and(|u| self.partial.contains(&u));
        let cell = unit.and_then(|u| self.raw_by_unit(id, u, year));
        let (Some(indicator), Some(cell)) = (self.indicators.get(id), cell) else {
            return Observation {
                value: Value::Missing,
                numerator: None,
                denominator: None,
                computed: false,
                missing_members: 0,
                partial,
            };
        };
        let value = mask(indicator, &cell);
        let shown = matches!(value, Value::Available(_));
        Observation {
            value,
            numerator: cell.numerator.filter(|_| shown),
            denominator: cell.denominator.filter(|_| shown),
            computed: cell.computed,
            missing_members: cell.missing_members,
            partial: partial && cell.computed,
        }
    }

    /// The raw cell of a territory; a timeless indicator answers every year with its first.
    fn raw_by_unit(&self, id: &IndicatorId, unit: UnitId, year: i32) -> Option<RawCell> {
        let indicator = self.indicators.get(id)?;
        let year = if indicator.timeless { indicator.years.first().copied().unwrap_or(year) } else { year };
        self.grids[self.slot(id)?].column(year)?.get(unit)
    }

    /// Computes every missing upper-level value from finer levels, then every computed indicator,
    /// and records the territories whose members do not cover them.
    pub fn complete(&mut self, territories: &TerritorySet, warnings: &mut Vec<Warning>) {
        self.units.sync(territories);
        for layer in territories.levels() {
            for code in layer.territories.keys() {
                if territories.partial_coverage(&layer.level, code).is_some()
                    && let Some(unit) = self.units.id(&layer.level, code)
                {
                    self.partial.insert(unit);
                }
            }
        }
        let plan = units::plan(territories, &self.units);
        let base = self.aggregated_indicators();
        warnings.extend(self.aggregate_all(&base, &plan));
        let units = &self.units;
        for indicator in base.iter().filter(|i| i.secondary_secrecy && i.secrecy_min.is_some()) {
            let Some(slot) = self.slots.get(&indicator.id).copied() else { continue };
            let mut columns: Vec<&mut YearColumn> = self.grids[slot]
                .columns_mut()
                .filter(|(year, _)| indicator.years.contains(year))
                .map(|(_, c)| c)
                .collect();
            crate::parallel::for_each_mut(&mut columns, 1, |column| {
                protect::protect_column(indicator, column, territories, units, &plan);
            });
        }
        for indicator in derived_in_order(&self.indicators) {
            self.derive(&indicator);
        }
    }

    /// Aggregates every column (indicator, year) of the base indicators over the cores; the
    /// mismatch warnings in the order of indicator, level, territory, year.
    fn aggregate_all(&mut self, base: &[Indicator], plan: &[LevelPlan]) -> Vec<Warning> {
        let units = self.units.len();
        let mut tasks: Vec<(usize, i32, &mut YearColumn)> = Vec::new();
        for indicator in base {
            let Some(slot) = self.slots.get(&indicator.id).copied() else { continue };
            for &year in &indicator.years {
                self.grids[slot].column_mut(year).reserve_units(units);
            }
        }
        let wanted: HashMap<usize, usize> =
            base.iter().enumerate().filter_map(|(p, i)| Some((self.slots.get(&i.id).copied()?, p))).collect();
        for (slot, grid) in self.grids.iter_mut().enumerate() {
            let Some(&position) = wanted.get(&slot) else { continue };
            for (year, column) in grid.columns_mut() {
                if base[position].years.contains(&year) {
                    tasks.push((position, year, column));
                }
            }
        }
        let found = crate::parallel::for_each_mut(&mut tasks, 1, |(position, year, column)| {
            (*position, *year, aggregate_column(&base[*position], plan, column))
        });
        let mut all: Vec<(usize, usize, UnitId, i32, f64)> = found
            .into_iter()
            .flat_map(|(p, year, list)| {
                list.into_iter().map(move |m| (p, m.level_position, m.unit, year, m.relative_difference))
            })
            .collect();
        all.sort_by_key(|&(p, level, unit, year, _)| (p, level, unit, year));
        all.into_iter()
            .filter_map(|(p, _, unit, year, relative_difference)| {
                let (level, code) = self.units.get(unit)?.clone();
                Some(Warning::AggregateMismatch {
                    indicator: base[p].id.clone(),
                    level,
                    code,
                    year,
                    relative_difference,
                })
            })
            .collect()
    }

    /// Computes every value of one territory added after [`Store::complete`] (a zone composed at
    /// run time, [`TerritorySet::add_listed_zone`]) from its communes, with the rules, order and
    /// secrecy `complete` applies to every upper level: base indicators first, then computed ones.
    /// The territory is flagged partial when its communes do not cover it.
    pub fn complete_unit(
        &mut self,
        territories: &TerritorySet,
        level: &Level,
        code: &TerritoryCode,
        warnings: &mut Vec<Warning>,
    ) {
        let unit = self.units.add(level, code);
        if territories.partial_coverage(level, code).is_some() {
            self.partial.insert(unit);
        }
        let members: Vec<UnitId> =
            territories.communes_of(level, code).iter().filter_map(|c| self.units.id(&Level::Commune, c)).collect();
        let plan = [LevelPlan { groups: vec![units::Group { target: unit, members }] }];
        for indicator in self.aggregated_indicators() {
            let Some(slot) = self.slot(&indicator.id) else { continue };
            for &year in &indicator.years {
                for m in aggregate_column(&indicator, &plan, self.grids[slot].column_mut(year)) {
                    warnings.push(Warning::AggregateMismatch {
                        indicator: indicator.id.clone(),
                        level: level.clone(),
                        code: code.clone(),
                        year,
                        relative_difference: m.relative_difference,
                    });
                }
            }
        }
        for indicator in derived_in_order(&self.indicators) {
            let (Aggregation::Derived(rule), Some(slot)) = (&indicator.aggregation, self.slot(&indicator.id)) else {
                continue;
            };
            let cells: Vec<(i32, RawCell)> =
                indicator.years.iter().filter_map(|&y| Some((y, self.derive_cell(rule, unit, y)?))).collect();
            for (year, cell) in cells {
                self.grids[slot].column_mut(year).set(unit, &cell);
            }
        }
        // A zone composed at will could be differenced with a published territory (the zone
        // {Amiens, Saleux} minus Amiens gives Saleux's masked count), or with another zone. No
        // threshold on the zone's own total prevents that, so the indicators under secrecy are
        // never published for such zones: every one of their cells is secret.
        for id in self.secrecy_guarded() {
            let (Some(indicator), Some(slot)) = (self.indicators.get(&id), self.slot(&id)) else { continue };
            let secret = RawCell { source_secret: true, computed: true, ..RawCell::default() };
            for year in indicator.years.clone() {
                self.grids[slot].column_mut(year).set(unit, &secret);
            }
        }
    }

    /// The indicators a masked value could be recovered from: those with a secrecy threshold,
    /// those whose source marks cells secret, and the indicators computed from them.
    fn secrecy_guarded(&self) -> BTreeSet<IndicatorId> {
        let mut guarded: BTreeSet<IndicatorId> = self
            .indicators
            .values()
            .filter(|i| {
                i.secrecy_min.is_some()
                    || self.slot(&i.id).is_some_and(|s| self.grids[s].columns().any(YearColumn::any_source_secret))
            })
            .map(|i| i.id.clone())
            .collect();
        for indicator in derived_in_order(&self.indicators) {
            if let Aggregation::Derived(rule) = &indicator.aggregation
                && derive_inputs(rule).iter().any(|input| guarded.contains(*input))
            {
                guarded.insert(indicator.id.clone());
            }
        }
        guarded
    }

    /// Forgets every value of one territory (a zone composed at run time and then removed).
    pub fn remove_unit(&mut self, level: &Level, code: &TerritoryCode) {
        let Some(unit) = self.units.id(level, code) else { return };
        for grid in &mut self.grids {
            for (_, column) in grid.columns_mut() {
                column.clear(unit);
            }
        }
        self.partial.remove(&unit);
    }

    /// The indicators aggregated from finer levels (not the computed ones), by id.
    fn aggregated_indicators(&self) -> Vec<Indicator> {
        self.indicators
            .values()
            .filter(|i| {
                matches!(i.aggregation, Aggregation::Sum | Aggregation::Rate { .. } | Aggregation::WeightedMean)
            })
            .cloned()
            .collect()
    }
}

/// Aggregates one column (one indicator, one year) level after level: a unit the data gives is
/// kept and compared with what its members sum to; otherwise the computed cell is stored.
fn aggregate_column(indicator: &Indicator, plan: &[LevelPlan], column: &mut YearColumn) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (level_position, level) in plan.iter().enumerate() {
        for group in &level.groups {
            let computed = combine(indicator, || group.members.iter().map(|&m| column.get(m)));
            match column.get(group.target) {
                Some(given) => {
                    if let (Some(a), Some(b)) = (given.value, computed.value) {
                        let scale = a.abs().max(b.abs());
                        if scale > 0.0 && (a - b).abs() / scale > MISMATCH_TOLERANCE {
                            mismatches.push(Mismatch {
                                level_position,
                                unit: group.target,
                                relative_difference: (a - b).abs() / scale,
                            });
                        }
                    }
                }
                None => {
                    if computed.value.is_some() || computed.source_secret {
                        column.set(group.target, &computed);
                    }
                }
            }
        }
    }
    mismatches
}
