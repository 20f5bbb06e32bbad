//! The value store: raw cells by indicator, level, territory and year, aggregation to upper levels,
//! computed indicators, and statistical secrecy applied on every read.
//!
//! Raw numbers never leave this module for a masked cell: readers get a [`Value`], and an
//! [`Observation`] carries a numerator and denominator only when the value is not secret.
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

mod secondary;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::code::{IndicatorId, Level, TerritoryCode};
use crate::diagnostics::Warning;
use crate::indicator::{Aggregation, Derive, Indicator};
use crate::territory::TerritorySet;
use crate::value::Value;

/// Largest share of members that may lack a value before an aggregate becomes missing.
pub const MAX_MISSING_MEMBER_SHARE: f64 = 0.01;
/// Relative difference between a given and a computed aggregate above which it is reported.
pub const MISMATCH_TOLERANCE: f64 = 1e-3;

/// A raw cell, before secrecy. Private to the store.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RawCell {
    pub(crate) value: Option<f64>,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    /// The source itself marked the cell secret, or a computed cell depends on a secret one.
    pub(crate) source_secret: bool,
    pub(crate) computed: bool,
    pub(crate) missing_members: u32,
    /// Masked by secondary secrecy (a complementary cell): published values around it would give
    /// a masked one back by differencing. Its number still enters its parents' totals.
    pub(crate) suppressed: bool,
}

type CellKey = (IndicatorId, Level, TerritoryCode, i32);

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
#[derive(Debug, Clone, Default)]
pub struct Store {
    indicators: BTreeMap<IndicatorId, Indicator>,
    cells: HashMap<CellKey, RawCell>,
    partial: BTreeSet<(Level, TerritoryCode)>,
}

impl Store {
    /// An empty store for these indicators.
    #[must_use]
    pub fn new(indicators: impl IntoIterator<Item = Indicator>) -> Self {
        Store {
            indicators: indicators.into_iter().map(|i| (i.id.clone(), i)).collect(),
            cells: HashMap::new(),
            partial: BTreeSet::new(),
        }
    }

    /// Replaces the indicator metadata (years are only known once the data is read).
    pub(crate) fn set_indicators(&mut self, indicators: impl IntoIterator<Item = Indicator>) {
        self.indicators = indicators.into_iter().map(|i| (i.id.clone(), i)).collect();
    }

    /// Adds a cell given by the data. Returns false, keeping the first, if it was already given.
    pub(crate) fn insert_given(&mut self, key: CellKey, cell: RawCell) -> bool {
        match self.cells.entry(key) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(cell);
                true
            }
        }
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
        let partial = self.partial.contains(&(level.clone(), code.clone()));
        let (Some(indicator), Some(cell)) = (self.indicators.get(id), self.raw(id, level, code, year)) else {
            return Observation {
                value: Value::Missing,
                numerator: None,
                denominator: None,
                computed: false,
                missing_members: 0,
                partial,
            };
        };
        let value = mask(indicator, cell);
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

    fn raw(&self, id: &IndicatorId, level: &Level, code: &TerritoryCode, year: i32) -> Option<&RawCell> {
        let indicator = self.indicators.get(id)?;
        let year = if indicator.timeless { indicator.years.first().copied().unwrap_or(year) } else { year };
        self.cells.get(&(id.clone(), level.clone(), code.clone(), year))
    }

    /// Computes every missing upper-level value from finer levels, then every computed indicator,
    /// and records the territories whose members do not cover them.
    pub fn complete(&mut self, territories: &TerritorySet, warnings: &mut Vec<Warning>) {
        let members = MemberIndex::new(territories);
        for layer in territories.levels() {
            for code in layer.territories.keys() {
                if territories.partial_coverage(&layer.level, code).is_some() {
                    self.partial.insert((layer.level.clone(), code.clone()));
                }
            }
        }
        let base = self.aggregated_indicators();
        let mut target_levels: Vec<&Level> = members.by_target.keys().map(|(target, _)| target).collect();
        target_levels.sort_by_key(|l| (l.rank(), (*l).clone()));
        target_levels.dedup();
        for indicator in &base {
            for &level in &target_levels {
                self.aggregate_level(indicator, level, territories, &members, warnings);
            }
        }
        for indicator in base.iter().filter(|i| i.secondary_secrecy && i.secrecy_min.is_some()) {
            for &year in &indicator.years {
                self.apply_secondary_secrecy(indicator, year, territories, &members);
            }
        }
        for indicator in derived_in_order(&self.indicators) {
            self.derive(&indicator, territories);
        }
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
        if territories.partial_coverage(level, code).is_some() {
            self.partial.insert((level.clone(), code.clone()));
        }
        let communes = territories.communes_of(level, code);
        for indicator in self.aggregated_indicators() {
            self.aggregate_unit(&indicator, level, code, &Level::Commune, &communes, warnings);
        }
        for indicator in derived_in_order(&self.indicators) {
            if let Aggregation::Derived(rule) = &indicator.aggregation {
                let cells = self.derive_unit(&indicator, rule, level, code);
                self.cells.extend(cells);
            }
        }
        // A zone composed at will could be differenced with a published territory (the zone
        // {Amiens, Saleux} minus Amiens gives Saleux's masked count), or with another zone. No
        // threshold on the zone's own total prevents that, so the indicators under secrecy are
        // never published for such zones: every one of their cells is secret.
        for id in self.secrecy_guarded() {
            let years = self.indicators.get(&id).map(|i| i.years.clone()).unwrap_or_default();
            for year in years {
                self.cells.insert(
                    (id.clone(), level.clone(), code.clone(), year),
                    RawCell { source_secret: true, computed: true, ..RawCell::default() },
                );
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
                    || self.cells.iter().any(|((id, _, _, _), cell)| *id == i.id && cell.source_secret)
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
        self.cells.retain(|(_, l, c, _), _| l != level || c != code);
        self.partial.remove(&(level.clone(), code.clone()));
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

    fn aggregate_level(
        &mut self,
        indicator: &Indicator,
        level: &Level,
        territories: &TerritorySet,
        members: &MemberIndex,
        warnings: &mut Vec<Warning>,
    ) {
        let Some(layer) = territories.level(level) else { return };
        for code in layer.territories.keys() {
            let Some((source_level, member_codes)) = members.members_of(level, code) else { continue };
            self.aggregate_unit(indicator, level, code, source_level, member_codes, warnings);
        }
    }

    /// Aggregates one indicator of one territory from its members, every year; a value the data
    /// gives is kept and compared.
    fn aggregate_unit(
        &mut self,
        indicator: &Indicator,
        level: &Level,
        code: &TerritoryCode,
        source_level: &Level,
        member_codes: &[TerritoryCode],
        warnings: &mut Vec<Warning>,
    ) {
        for &year in &indicator.years {
            let cells: Vec<Option<&RawCell>> = member_codes
                .iter()
                .map(|m| self.cells.get(&(indicator.id.clone(), source_level.clone(), m.clone(), year)))
                .collect();
            let computed = combine(indicator, &cells);
            let key = (indicator.id.clone(), level.clone(), code.clone(), year);
            match self.cells.get(&key) {
                Some(given) => {
                    if let (Some(a), Some(b)) = (given.value, computed.value) {
                        let scale = a.abs().max(b.abs());
                        if scale > 0.0 && (a - b).abs() / scale > MISMATCH_TOLERANCE {
                            warnings.push(Warning::AggregateMismatch {
                                indicator: indicator.id.clone(),
                                level: level.clone(),
                                code: code.clone(),
                                year,
                                relative_difference: (a - b).abs() / scale,
                            });
                        }
                    }
                }
                None => {
                    if computed.value.is_some() || computed.source_secret {
                        self.cells.insert(key, computed);
                    }
                }
            }
        }
    }

    /// Secondary secrecy for one indicator and year: every cell with a known protected number
    /// (the count, or a rate's numerator, which a published rate and denominator give away) is an
    /// unknown of the relations `parent = Σ members` that [`Store::complete`] used; the
    /// complementary cells [`secondary::complementary`] picks are flagged `suppressed`. Their
    /// numbers still make their parents' totals.
    fn apply_secondary_secrecy(
        &mut self,
        indicator: &Indicator,
        year: i32,
        territories: &TerritorySet,
        members: &MemberIndex,
    ) {
        let protected = |cell: &RawCell| -> Option<f64> {
            if cell.source_secret {
                return None;
            }
            match indicator.aggregation {
                Aggregation::Sum => cell.value,
                Aggregation::Rate { .. } => cell.numerator.filter(|_| cell.denominator.is_some()),
                _ => None,
            }
        };
        // Cells in a defined order (finest level first, then code), so ties pick the same cells.
        let mut keys: Vec<(Level, TerritoryCode)> = Vec::new();
        let mut quantity = Vec::new();
        let mut masked = Vec::new();
        let mut index: HashMap<(Level, TerritoryCode), usize> = HashMap::new();
        for layer in territories.levels() {
            for code in layer.territories.keys() {
                let key = (indicator.id.clone(), layer.level.clone(), code.clone(), year);
                let Some(cell) = self.cells.get(&key) else { continue };
                let Some(q) = protected(cell) else { continue };
                index.insert((layer.level.clone(), code.clone()), keys.len());
                keys.push((layer.level.clone(), code.clone()));
                quantity.push(q);
                masked.push(mask(indicator, cell) == Value::Secret);
            }
        }
        if !masked.contains(&true) {
            return;
        }
        let mut relations = Vec::new();
        for (i, (level, code)) in keys.iter().enumerate() {
            let Some((source_level, member_codes)) = members.members_of(level, code) else { continue };
            let children: Vec<usize> =
                member_codes.iter().filter_map(|m| index.get(&(source_level.clone(), m.clone())).copied()).collect();
            if !children.is_empty() {
                relations.push(secondary::Relation { parent: i, children });
            }
        }
        relations.extend(nested_relations(territories, &index));
        for extra in secondary::complementary(&quantity, &masked, &relations) {
            let (level, code) = &keys[extra];
            if let Some(cell) = self.cells.get_mut(&(indicator.id.clone(), level.clone(), code.clone(), year)) {
                cell.suppressed = true;
            }
        }
    }

    fn derive(&mut self, indicator: &Indicator, territories: &TerritorySet) {
        let Aggregation::Derived(rule) = &indicator.aggregation else { return };
        let mut new_cells = Vec::new();
        for layer in territories.levels() {
            for code in layer.territories.keys() {
                new_cells.extend(self.derive_unit(indicator, rule, &layer.level, code));
            }
        }
        self.cells.extend(new_cells);
    }

    /// The cells of a computed indicator for one territory, every year, from its inputs' cells.
    fn derive_unit(
        &self,
        indicator: &Indicator,
        rule: &Derive,
        level: &Level,
        code: &TerritoryCode,
    ) -> Vec<(CellKey, RawCell)> {
        let mut out = Vec::new();
        for &year in &indicator.years {
            let input = |id: &IndicatorId, y: i32| -> Option<(RawCell, Value)> {
                let ind = self.indicators.get(id)?;
                let cell = *self.raw(id, level, code, y)?;
                Some((cell, mask(ind, &cell)))
            };
            let cell = match rule {
                Derive::Ratio { numerator, denominator, scale } => {
                    combine2(input(numerator, year), input(denominator, year), |a, b| {
                        (b != 0.0).then(|| (a / b * scale, Some(a), Some(b)))
                    })
                }
                Derive::Difference(a, b) => combine2(input(a, year), input(b, year), |a, b| Some((a - b, None, None))),
                Derive::Change { of, from } => combine2(input(of, year), input(of, *from), |now, then| {
                    (then != 0.0).then(|| ((now - then) / then * 100.0, None, None))
                }),
            };
            if let Some(cell) = cell {
                out.push(((indicator.id.clone(), level.clone(), code.clone(), year), cell));
            }
        }
        out
    }
}

/// The relations nesting implies besides those aggregation used: an upper unit made of whole units
/// of a lower level (a département of whole EPCI, a région of whole départements) is their sum.
/// They add nothing to what can be recovered (they are sums of the commune relations) but tell
/// [`secondary::complementary`] which totals stand beside a masked total: to protect a masked EPCI
/// in a département of whole EPCI, another EPCI must be masked, not a commune.
fn nested_relations(
    territories: &TerritorySet,
    index: &HashMap<(Level, TerritoryCode), usize>,
) -> Vec<secondary::Relation> {
    let Some(communes) = territories.level(&Level::Commune) else { return Vec::new() };
    let levels: Vec<&Level> = territories
        .levels()
        .filter(|l| l.level != Level::Commune && l.listed_members.is_empty())
        .map(|l| &l.level)
        .collect();
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
                let Some(&parent) = index.get(&(upper.clone(), up.clone())) else { continue };
                let children: Option<Vec<usize>> =
                    lows.iter().map(|low| index.get(&(lower.clone(), (*low).clone())).copied()).collect();
                if let Some(children) = children {
                    out.push(secondary::Relation { parent, children });
                }
            }
        }
    }
    out
}

/// Combines two inputs of a computed indicator: secret if either is, missing if either is.
fn combine2(
    first: Option<(RawCell, Value)>,
    second: Option<(RawCell, Value)>,
    rule: impl Fn(f64, f64) -> Option<(f64, Option<f64>, Option<f64>)>,
) -> Option<RawCell> {
    let (first_cell, first_value) = first?;
    let (second_cell, second_value) = second?;
    let computed = true;
    let missing_members = first_cell.missing_members.max(second_cell.missing_members);
    if first_value == Value::Secret || second_value == Value::Secret {
        return Some(RawCell { source_secret: true, computed, missing_members, ..RawCell::default() });
    }
    let (value, numerator, denominator) = rule(first_value.number()?, second_value.number()?)?;
    Some(RawCell {
        value: Some(value),
        numerator,
        denominator,
        source_secret: false,
        computed,
        missing_members,
        suppressed: false,
    })
}

/// Applies the indicator's secrecy rule to a raw cell.
fn mask(indicator: &Indicator, cell: &RawCell) -> Value {
    if cell.source_secret || cell.suppressed {
        return Value::Secret;
    }
    let Some(value) = cell.value else { return Value::Missing };
    if let Some(min) = indicator.secrecy_min {
        let count = if indicator.is_count() { Some(value) } else { cell.numerator };
        if let Some(count) = count
            && count > 0.0
            && count < f64::from(min)
        {
            return Value::Secret;
        }
    }
    Value::Available(value)
}

/// Aggregates member cells following the indicator's rule.
fn combine(indicator: &Indicator, cells: &[Option<&RawCell>]) -> RawCell {
    let missing = RawCell { computed: true, ..RawCell::default() };
    if cells.iter().flatten().any(|c| c.source_secret) {
        return missing;
    }
    let usable: Vec<&RawCell> = cells
        .iter()
        .flatten()
        .filter(|c| match indicator.aggregation {
            Aggregation::Sum => c.value.is_some(),
            Aggregation::Rate { .. } => c.numerator.is_some() && c.denominator.is_some(),
            Aggregation::WeightedMean => c.value.is_some() && c.denominator.is_some(),
            _ => false,
        })
        .copied()
        .collect();
    let skipped = cells.len() - usable.len();
    if usable.is_empty() || skipped as f64 > cells.len() as f64 * MAX_MISSING_MEMBER_SHARE {
        return missing;
    }
    let sum = |f: fn(&RawCell) -> f64| usable.iter().map(|c| f(c)).sum::<f64>();
    let (value, numerator, denominator) = match indicator.aggregation {
        Aggregation::Sum => {
            let numerator = usable.iter().all(|c| c.numerator.is_some()).then(|| sum(|c| c.numerator.unwrap_or(0.0)));
            (Some(sum(|c| c.value.unwrap_or(0.0))), numerator, None)
        }
        Aggregation::Rate { scale } => {
            let (n, d) = (sum(|c| c.numerator.unwrap_or(0.0)), sum(|c| c.denominator.unwrap_or(0.0)));
            ((d != 0.0).then(|| n / d * scale), Some(n), Some(d))
        }
        Aggregation::WeightedMean => {
            let w = sum(|c| c.denominator.unwrap_or(0.0));
            let vw = sum(|c| c.value.unwrap_or(0.0) * c.denominator.unwrap_or(0.0));
            ((w != 0.0).then(|| vw / w), None, Some(w))
        }
        Aggregation::None | Aggregation::Derived(_) => (None, None, None),
    };
    RawCell {
        value,
        numerator,
        denominator,
        source_secret: false,
        computed: true,
        missing_members: u32::try_from(skipped).unwrap_or(u32::MAX),
        suppressed: false,
    }
}

/// Computed indicators sorted so that inputs come before the indicators that use them. Cycles are
/// rejected when the pack is validated, so none remain here.
fn derived_in_order(indicators: &BTreeMap<IndicatorId, Indicator>) -> Vec<Indicator> {
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

/// The inputs of a computed indicator.
#[must_use]
pub fn derive_inputs(rule: &Derive) -> Vec<&IndicatorId> {
    match rule {
        Derive::Ratio { numerator, denominator, .. } => vec![numerator, denominator],
        Derive::Difference(a, b) => vec![a, b],
        Derive::Change { of, .. } => vec![of],
    }
}

/// For each upper-level territory, the finest level with members and those members.
struct MemberIndex {
    by_target: BTreeMap<(Level, TerritoryCode), (Level, Vec<TerritoryCode>)>,
}

impl MemberIndex {
    fn new(territories: &TerritorySet) -> Self {
        let mut by_target = BTreeMap::new();
        for layer in territories.levels() {
            if !layer.listed_members.is_empty() {
                for (code, communes) in &layer.listed_members {
                    by_target.insert((layer.level.clone(), code.clone()), (Level::Commune, communes.clone()));
                }
                continue;
            }
            let sources: Vec<Level> = match &layer.level {
                Level::Commune => continue,
                Level::Epci | Level::Departement => vec![Level::Commune],
                Level::Custom(_) => vec![Level::Commune, Level::Epci],
                Level::Region => vec![Level::Departement, Level::Commune],
                Level::France => vec![Level::Region, Level::Departement, Level::Commune],
            };
            let mut found: BTreeMap<TerritoryCode, (Level, Vec<TerritoryCode>)> = BTreeMap::new();
            for source in sources.iter().rev() {
                let Some(source_layer) = territories.level(source) else { continue };
                let mut groups: BTreeMap<&TerritoryCode, Vec<TerritoryCode>> = BTreeMap::new();
                for member in source_layer.territories.values() {
                    if let Some(parent) = member.parents.get(&layer.level) {
                        groups.entry(parent).or_default().push(member.code.clone());
                    }
                }
                // Sources are visited from the least to the most preferred, so the first one listed wins.
                for (parent, codes) in groups {
                    found.insert(parent.clone(), (source.clone(), codes));
                }
            }
            for (code, entry) in found {
                by_target.insert((layer.level.clone(), code), entry);
            }
        }
        MemberIndex { by_target }
    }

    fn members_of(&self, level: &Level, code: &TerritoryCode) -> Option<(&Level, &[TerritoryCode])> {
        self.by_target.get(&(level.clone(), code.clone())).map(|(l, codes)| (l, codes.as_slice()))
    }
}
