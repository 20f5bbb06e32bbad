//! Validated indicator metadata: what every consumer (tables, figures, exports) needs to label,
//! format, aggregate and mask an indicator. Built from the manifest by [`crate::pack`].

use crate::code::IndicatorId;
pub use crate::pack::manifest::Polarity;

/// How values of an indicator combine across territories.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregation {
    /// Counts: sum of the members.
    Sum,
    /// Summed numerator over summed denominator, times `scale`.
    Rate {
        /// 100 for a percentage, 1 000 for ‰, 100 000 for a rate per 100 000.
        scale: f64,
    },
    /// Mean weighted by the denominator (weight) of each member.
    WeightedMean,
    /// Not aggregable: only the values the data gives.
    None,
    /// Computed from other indicators at every level.
    Derived(Derive),
}

/// A computed indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Derive {
    /// `numerator / denominator × scale`, each side aggregated first.
    Ratio {
        /// Numerator indicator.
        numerator: IndicatorId,
        /// Denominator indicator.
        denominator: IndicatorId,
        /// Multiplier.
        scale: f64,
    },
    /// `a − b`.
    Difference(IndicatorId, IndicatorId),
    /// Change in percent of `of` between `from` and the year asked.
    Change {
        /// The indicator.
        of: IndicatorId,
        /// Base year.
        from: i32,
    },
}

/// One indicator, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Id.
    pub id: IndicatorId,
    /// Label.
    pub label: String,
    /// Definition.
    pub definition: String,
    /// Unit.
    pub unit: String,
    /// Full citation of the source.
    pub source: String,
    /// Theme.
    pub theme: String,
    /// Years offered, ascending.
    pub years: Vec<i32>,
    /// Decimals shown.
    pub decimals: u8,
    /// Aggregation rule.
    pub aggregation: Aggregation,
    /// Whether more is better.
    pub polarity: Polarity,
    /// Secrecy: values whose numerator (the value itself for counts) is at least 1 and below this
    /// are masked.
    pub secrecy_min: Option<u32>,
    /// Secondary secrecy: complementary cells are masked too, so that no masked value can be
    /// recovered by differencing published values (see [`crate::aggregate`]).
    pub secondary_secrecy: bool,
    /// One value for every year.
    pub timeless: bool,
}

impl Indicator {
    /// Whether the indicator is a count (semiology: proportional symbols, never a choropleth).
    #[must_use]
    pub fn is_count(&self) -> bool {
        matches!(self.aggregation, Aggregation::Sum | Aggregation::Derived(Derive::Difference(..)))
    }
}
