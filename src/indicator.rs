//! Validated indicator metadata: what every consumer (tables, figures, exports) needs to label,
//! format, aggregate and mask an indicator. Built from the manifest by [`crate::pack`], which
//! depends on this module, never the other way round: this module knows only [`crate::code`].

use serde::Deserialize;

use crate::code::IndicatorId;

/// Whether a higher value is good news: how a difference from a comparison zone reads. Written
/// in the manifest as `polarity = "higher_is_better"` (`neutral` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Neither: a difference is only a difference.
    #[default]
    Neutral,
    /// Higher is better (life expectancy).
    HigherIsBetter,
    /// Lower is better (mortality).
    LowerIsBetter,
}

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
        /// Multiplier of the ratio (100 for a percentage).
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
    /// The id templates and data files name it by, unique in the pack.
    pub id: IndicatorId,
    /// The label printed in titles, tables and legends, as the pack writes it.
    pub label: String,
    /// What the value measures, shown on demand (may be empty).
    pub definition: String,
    /// Unit printed after values and in subtitles (`%`, `hab./km²`; may be empty).
    pub unit: String,
    /// Full citation of the source.
    pub source: String,
    /// Theme the window groups indicators by (`socio-démographie`, `état de santé`…).
    pub theme: String,
    /// Years offered, ascending.
    pub years: Vec<i32>,
    /// Decimals shown in figures and written in CSV.
    pub decimals: u8,
    /// How values of upper levels are computed from the members'.
    pub aggregation: Aggregation,
    /// Whether more is better (the manifest's `polarity`).
    pub polarity: Polarity,
    /// Secrecy: values whose numerator (the value itself for counts) is at least 1 and below this
    /// are masked.
    pub secrecy_min: Option<u32>,
    /// Secondary secrecy: complementary cells are masked too, so that no masked value can be
    /// recovered by differencing published values (see [`crate::aggregate`]).
    pub secondary_secrecy: bool,
    /// The value does not change with the year (an area): its one year answers for every year.
    pub timeless: bool,
}

impl Indicator {
    /// Whether the indicator is a count (semiology: proportional symbols, never a choropleth).
    #[must_use]
    pub fn is_count(&self) -> bool {
        matches!(self.aggregation, Aggregation::Sum | Aggregation::Derived(Derive::Difference(..)))
    }
}
