//! The rules on one cell and one group of cells: the secrecy rule applied on every read
//! ([`mask`]), the aggregation of members ([`combine`]: sums, rates from summed numerators and
//! denominators, weighted means; the 1 % missing-members rule; a secret member makes the aggregate
//! missing) and the combination of two inputs of a computed indicator ([`combine2`]).
//!
//! Pure functions of [`RawCell`]s and indicator metadata; private to [`crate::aggregate`].

use crate::indicator::{Aggregation, Indicator};
use crate::value::Value;

use super::MAX_MISSING_MEMBER_SHARE;

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

/// Applies the indicator's secrecy rule to a raw cell.
pub(crate) fn mask(indicator: &Indicator, cell: &RawCell) -> Value {
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

/// Whether a member's cell enters the aggregate under the indicator's rule.
fn usable(aggregation: &Aggregation, c: &RawCell) -> bool {
    match aggregation {
        Aggregation::Sum => c.value.is_some(),
        Aggregation::Rate { .. } => c.numerator.is_some() && c.denominator.is_some(),
        Aggregation::WeightedMean => c.value.is_some() && c.denominator.is_some(),
        _ => false,
    }
}

/// Aggregates member cells following the indicator's rule. `cells` yields each member's cell
/// (`None`: the member has none) in member order, the same every time it is called; sums are
/// taken in that order.
pub(crate) fn combine<I>(indicator: &Indicator, cells: impl Fn() -> I) -> RawCell
where
    I: Iterator<Item = Option<RawCell>>,
{
    let missing = RawCell { computed: true, ..RawCell::default() };
    let aggregation = &indicator.aggregation;
    let (mut members, mut kept) = (0usize, 0usize);
    for cell in cells() {
        members += 1;
        if let Some(c) = cell {
            if c.source_secret {
                return missing;
            }
            kept += usize::from(usable(aggregation, &c));
        }
    }
    let skipped = members - kept;
    if kept == 0 || skipped as f64 > members as f64 * MAX_MISSING_MEMBER_SHARE {
        return missing;
    }
    let usable_cells = || cells().flatten().filter(|c| usable(aggregation, c));
    let sum = |f: fn(&RawCell) -> f64| usable_cells().map(|c| f(&c)).sum::<f64>();
    let (value, numerator, denominator) = match aggregation {
        Aggregation::Sum => {
            let numerator = usable_cells().all(|c| c.numerator.is_some()).then(|| sum(|c| c.numerator.unwrap_or(0.0)));
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

/// Combines two inputs of a computed indicator: secret if either is, missing if either is.
pub(crate) fn combine2(
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
