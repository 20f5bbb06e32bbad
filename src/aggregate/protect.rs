//! Secondary secrecy applied to the store: for one indicator and one year, every cell with a known
//! protected number and the relations `parent = Σ members` aggregation used (plus those nesting
//! implies) are handed to [`super::secondary::complementary`], and the complementary cells it picks
//! are flagged. Years are independent and run in parallel.
//!
//! Private to [`crate::aggregate`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::code::{Level, TerritoryCode};
use crate::indicator::{Aggregation, Indicator};
use crate::territory::TerritorySet;
use crate::value::Value;

use super::columns::YearColumn;
use super::rules::{RawCell, mask};
use super::secondary;
use super::units::{LevelPlan, UnitId, Units};

/// The number secondary secrecy protects in a cell: the count, or a rate's numerator (which a
/// published rate and denominator give away).
fn protected(indicator: &Indicator, cell: &RawCell) -> Option<f64> {
    if cell.source_secret {
        return None;
    }
    match indicator.aggregation {
        Aggregation::Sum => cell.value,
        Aggregation::Rate { .. } => cell.numerator.filter(|_| cell.denominator.is_some()),
        _ => None,
    }
}

/// Secondary secrecy for one indicator and year: every cell with a known protected number is an
/// unknown of the relations `parent = Σ members` that aggregation used; the complementary cells
/// [`secondary::complementary`] picks are flagged suppressed. Their numbers still make their
/// parents' totals.
pub(super) fn protect_column(
    indicator: &Indicator,
    column: &mut YearColumn,
    territories: &TerritorySet,
    units: &Units,
    plan: &[LevelPlan],
) {
    // Cells in a defined order (finest level first, then code), so ties pick the same cells.
    let mut keys: Vec<UnitId> = Vec::new();
    let mut quantity = Vec::new();
    let mut masked = Vec::new();
    let mut index: HashMap<UnitId, usize> = HashMap::new();
    for layer in territories.levels() {
        for code in layer.territories.keys() {
            let Some(unit) = units.id(&layer.level, code) else { continue };
            let Some(cell) = column.get(unit) else { continue };
            let Some(q) = protected(indicator, &cell) else { continue };
            index.insert(unit, keys.len());
            keys.push(unit);
            quantity.push(q);
            masked.push(mask(indicator, &cell) == Value::Secret);
        }
    }
    if !masked.contains(&true) {
        return;
    }
    let members: HashMap<UnitId, &[UnitId]> =
        plan.iter().flat_map(|l| &l.groups).map(|g| (g.target, g.members.as_slice())).collect();
    let mut relations = Vec::new();
    for (i, unit) in keys.iter().enumerate() {
        let Some(member_ids) = members.get(unit) else { continue };
        let children: Vec<usize> = member_ids.iter().filter_map(|m| index.get(m).copied()).collect();
        if !children.is_empty() {
            relations.push(secondary::Relation { parent: i, children });
        }
    }
    relations.extend(nested_relations(territories, units, &index));
    for extra in secondary::complementary(&quantity, &masked, &relations) {
        column.suppress(keys[extra]);
    }
}

/// The relations nesting implies besides those aggregation used: an upper unit made of whole units
/// of a lower level (a département of whole EPCI, a région of whole départements) is their sum.
/// They add nothing to what can be recovered (they are sums of the commune relations) but tell
/// [`secondary::complementary`] which totals stand beside a masked total: to protect a masked EPCI
/// in a département of whole EPCI, another EPCI must be masked, not a commune.
fn nested_relations(
    territories: &TerritorySet,
    units: &Units,
    index: &HashMap<UnitId, usize>,
) -> Vec<secondary::Relation> {
    let Some(communes) = territories.level(&Level::Commune) else { return Vec::new() };
    let levels: Vec<&Level> = territories
        .levels()
        .filter(|l| l.level != Level::Commune && l.listed_members.is_empty())
        .map(|l| &l.level)
        .collect();
    let position = |level: &Level, code: &TerritoryCode| units.id(level, code).and_then(|u| index.get(&u).copied());
    let mut out = Vec::new();
    for &upper in &levels {
        for &lower in levels.iter().filter(|l| l.rank() < upper.rank()) {
            let mut lowers_of: BTreeMap<&TerritoryCode, BTreeSet<&TerritoryCode>> = BTreeMap::new();
            let mut uppers_of: BTreeMap<&TerritoryCode, BTreeSet<&TerritoryCode>> = BTreeMap::new();
            let mut incomplete: BTreeSet<&TerritoryCode> = BTreeSet::new();
            // Lower units with a commune outside every upper unit (an EPCI partly in a zoning).
            let mut straddling: BTreeSet<&TerritoryCode> = BTreeSet::new();
            for commune in communes.territories.values() {
                let Some(up) = commune.parents.get(upper) else {
                    straddling.extend(commune.parents.get(lower));
                    continue;
                };
                match commune.parents.get(lower) {
                    Some(low) => {
                        lowers_of.entry(up).or_default().insert(low);
                        uppers_of.entry(low).or_default().insert(up);
                    }
                    None => {
                        incomplete.insert(up);
                    }
                }
            }
            for (up, lows) in lowers_of {
                if incomplete.contains(up)
                    || lows
                        .iter()
                        .any(|low| straddling.contains(low) || uppers_of.get(low).is_some_and(|u| u.len() != 1))
                {
                    continue;
                }
                let Some(parent) = position(upper, up) else { continue };
                let children: Option<Vec<usize>> = lows.iter().map(|low| position(lower, low)).collect();
                if let Some(children) = children {
                    out.push(secondary::Relation { parent, children });
                }
            }
        }
    }
    out
}
