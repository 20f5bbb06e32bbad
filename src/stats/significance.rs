//! Significance of a territory against a reference value, and the small-numbers rule that decides
//! whether a standardised figure is published at all. Both are small value types with their French
//! and English wording, shared by tables, maps, CSV exports and commentary; depends only on
//! [`super::Interval`] and [`crate::text::Lang`].

use super::Interval;
use crate::text::Lang;

/// How a territory's figure compares with a reference value (a comparison zone's figure, or 100
/// for an ICM), judged by its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Significance {
    /// The whole interval lies above the reference value.
    Higher,
    /// The whole interval lies below the reference value.
    Lower,
    /// The interval holds the reference value.
    NotDifferent,
}

impl Significance {
    /// Every case, in legend order.
    pub const ALL: [Significance; 3] = [Significance::Higher, Significance::NotDifferent, Significance::Lower];

    /// Compares an interval with a reference value: [`Higher`](Self::Higher) when `lower >
    /// reference`, [`Lower`](Self::Lower) when `upper < reference`, otherwise
    /// [`NotDifferent`](Self::NotDifferent) (a limit equal to the reference is not a difference).
    ///
    /// This is the test of Fingertips and of the French observatories: the reference value is
    /// taken as exact, which is right for a reference far larger than the territory (France, the
    /// région) and conservative otherwise. `None` when a limit or the reference is not a finite
    /// number: no mark is better than a wrong one.
    ///
    /// ```
    /// use indicarto::stats::{Interval, Significance};
    /// let icm = Interval { lower: 104.2, upper: 118.9 };
    /// assert_eq!(Significance::of(icm, 100.0), Some(Significance::Higher));
    /// assert_eq!(Significance::of(icm, 110.0), Some(Significance::NotDifferent));
    /// ```
    #[must_use]
    pub fn of(interval: Interval, reference: f64) -> Option<Significance> {
        if !(interval.lower.is_finite() && interval.upper.is_finite() && reference.is_finite()) {
            return None;
        }
        Some(if interval.lower > reference {
            Significance::Higher
        } else if interval.upper < reference {
            Significance::Lower
        } else {
            Significance::NotDifferent
        })
    }

    /// The code written in CSV exports (`comparaison` column), the same in every language:
    /// `superieur`, `inferieur`, `non_significatif`.
    #[must_use]
    pub fn csv_code(self) -> &'static str {
        match self {
            Significance::Higher => "superieur",
            Significance::Lower => "inferieur",
            Significance::NotDifferent => "non_significatif",
        }
    }

    /// Reads a code written by [`csv_code`](Self::csv_code).
    #[must_use]
    pub fn from_csv_code(code: &str) -> Option<Significance> {
        Significance::ALL.into_iter().find(|s| s.csv_code() == code)
    }

    /// The label for legends and commentary: « significativement supérieur » / "significantly
    /// higher"…
    #[must_use]
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Significance::Higher, Lang::Fr) => "significativement supérieur",
            (Significance::Lower, Lang::Fr) => "significativement inférieur",
            (Significance::NotDifferent, Lang::Fr) => "non significativement différent",
            (Significance::Higher, Lang::En) => "significantly higher",
            (Significance::Lower, Lang::En) => "significantly lower",
            (Significance::NotDifferent, Lang::En) => "not significantly different",
        }
    }

    /// A short label for table cells and tooltips: « supérieur », « inférieur », « non
    /// différent » / "higher", "lower", "not different".
    #[must_use]
    pub fn short_label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Significance::Higher, Lang::Fr) => "supérieur",
            (Significance::Lower, Lang::Fr) => "inférieur",
            (Significance::NotDifferent, Lang::Fr) => "non différent",
            (Significance::Higher, Lang::En) => "higher",
            (Significance::Lower, Lang::En) => "lower",
            (Significance::NotDifferent, Lang::En) => "not different",
        }
    }
}

/// Default minimum of observed events for a standardised figure to be published (Morris et al.
/// 2018).
pub const MIN_EVENTS_DEFAULT: u32 = 10;

/// The small-numbers rule: a standardised figure (rate or index) resting on fewer than
/// `min_events` observed events is not published, and is shown as « effectif insuffisant »,
/// distinct from a missing and from a secret value.
///
/// Morris, Tan, Fryers and Bestwick (2018) simulated directly standardised rates on the 19 age
/// bands of the 2013 European standard population: Dobson's interval keeps its coverage from 10
/// events, and below that a rate should not be given. PHE applies the same threshold to its
/// standardised figures. The threshold is a manifest key; 10 is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallNumbers {
    /// Fewest observed events a published figure may rest on.
    pub min_events: u32,
}

impl Default for SmallNumbers {
    fn default() -> Self {
        SmallNumbers { min_events: MIN_EVENTS_DEFAULT }
    }
}

impl SmallNumbers {
    /// Whether a figure resting on `observed` events may be published: `observed ≥ min_events`
    /// (false for a count that is not a number).
    ///
    /// ```
    /// use indicarto::stats::SmallNumbers;
    /// let rule = SmallNumbers::default();
    /// assert!(!rule.publishable(9.0));
    /// assert!(rule.publishable(10.0));
    /// ```
    #[must_use]
    pub fn publishable(self, observed: f64) -> bool {
        observed >= f64::from(self.min_events)
    }

    /// What is shown in place of a figure the rule withholds: « effectif insuffisant » / "too few
    /// events".
    #[must_use]
    pub fn label(lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => "effectif insuffisant",
            Lang::En => "too few events",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-worked cases of the rule "interval entirely above / below the reference".
    #[test]
    fn significance_by_the_interval_against_the_reference() {
        let interval = Interval { lower: 104.2, upper: 118.9 };
        assert_eq!(Significance::of(interval, 100.0), Some(Significance::Higher));
        assert_eq!(Significance::of(interval, 120.0), Some(Significance::Lower));
        assert_eq!(Significance::of(interval, 110.0), Some(Significance::NotDifferent));
        // A limit equal to the reference is not a difference.
        assert_eq!(Significance::of(interval, 104.2), Some(Significance::NotDifferent));
        assert_eq!(Significance::of(interval, 118.9), Some(Significance::NotDifferent));
        assert_eq!(Significance::of(interval, f64::NAN), None);
        assert_eq!(Significance::of(Interval { lower: f64::NAN, upper: 1.0 }, 0.5), None);
    }

    #[test]
    fn csv_codes_and_labels() {
        let codes: Vec<_> = Significance::ALL.iter().map(|s| s.csv_code()).collect();
        assert_eq!(codes, ["superieur", "non_significatif", "inferieur"]);
        for s in Significance::ALL {
            assert_eq!(Significance::from_csv_code(s.csv_code()), Some(s));
            assert_ne!(s.label(Lang::Fr), s.label(Lang::En));
            assert_ne!(s.short_label(Lang::Fr), s.short_label(Lang::En));
        }
        assert_eq!(Significance::from_csv_code("s"), None);
        assert_eq!(Significance::Lower.label(Lang::Fr), "significativement inférieur");
        assert_eq!(Significance::Higher.label(Lang::En), "significantly higher");
    }

    #[test]
    fn ten_events_rule() {
        let rule = SmallNumbers::default();
        assert_eq!(rule.min_events, 10);
        assert!(!rule.publishable(0.0));
        assert!(!rule.publishable(9.999));
        assert!(rule.publishable(10.0));
        assert!(!rule.publishable(f64::NAN));
        let strict = SmallNumbers { min_events: 20 };
        assert!(!strict.publishable(19.0));
        assert!(strict.publishable(20.0));
        assert_eq!(SmallNumbers::label(Lang::Fr), "effectif insuffisant");
        assert_eq!(SmallNumbers::label(Lang::En), "too few events");
    }
}
