//! Observatory statistics: confidence intervals, age standardisation, significance against a
//! reference, funnel plot limits and the small-numbers rule, as pure functions of plain numbers.
//!
//! This module owns the methods and their numerical machinery ([`special`]), nothing else: counts
//! come in as `f64` slices and numbers go out, so the value store can call it per cell and per
//! aggregated unit (standardised figures are exact for any territory or custom zone because they
//! are computed from that territory's own counts by age band). It must not depend on the store,
//! packs, figures or the window; its only dependency in the crate is [`crate::text::Lang`] for the
//! French and English labels of [`Significance`] and of the small-numbers rule.
//!
//! Secrecy is the caller's: an interval is a function of its count (its width gives a masked count
//! back), and an ICM with its expected events gives the observed ones; whatever is derived from a
//! masked count must be masked with it.
//!
//! Every method is tested against an independent implementation (scipy 1.17, statsmodels 0.15)
//! or a published worked example (PHEindicatormethods' vignettes and test data); the methods page
//! for users is `docs/methodes.md`.
//!
//! Methods and where they come from:
//! - [`wilson`]: Wilson score interval for a proportion (Wilson 1927);
//! - [`byar`]: Byar's approximation of the Poisson limits of a count (Breslow and Day 1987);
//! - [`exact_poisson`]: exact Poisson limits in their chi-square form (Garwood 1936);
//! - [`indirect`]: indirect standardisation, the comparative index (ICM/SMR, base 100);
//! - [`direct`]: the directly standardised rate with Dobson et al. (1991)'s interval;
//! - [`Significance`]: higher / lower / not different, by the interval against a reference value;
//! - [`funnel_proportion`], [`funnel_events`]: control limits of a funnel plot (Spiegelhalter 2005);
//! - [`SmallNumbers`]: the 10-event publication threshold (Morris et al. 2018).

use std::fmt;

use thiserror::Error;

mod funnel;
mod interval;
mod significance;
pub mod special;
mod standardise;

#[cfg(test)]
mod hdf_icm_tests;
#[cfg(test)]
mod test_support;

pub use funnel::{FunnelMethod, funnel_events, funnel_proportion};
pub use interval::{PoissonMethod, byar, count, exact_poisson, poisson_limits, proportion, rate, wilson};
pub use significance::{MIN_EVENTS_DEFAULT, Significance, SmallNumbers};
pub use standardise::{DirectStandardised, IndirectStandardised, ReferenceRates, direct, expected_events, indirect};

/// Confidence level of an interval or a funnel limit: 95 % by default, 99.8 % for the outer limits
/// of a funnel plot ("3 sigma"). Always strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence(f64);

impl Confidence {
    /// 95 %, the level of every interval Indicarto publishes.
    pub const P95: Confidence = Confidence(0.95);
    /// 99.8 %, the outer control limits of a funnel plot.
    pub const P998: Confidence = Confidence(0.998);

    /// A confidence level given as a fraction (`0.95`) or as a percentage (`95`, `99.8`), as
    /// PHEindicatormethods accepts it; anything else outside `(0, 1)` is refused.
    pub fn new(level: f64) -> Result<Self, StatsError> {
        let fraction = if level > 1.0 && level < 100.0 { level / 100.0 } else { level };
        if fraction > 0.0 && fraction < 1.0 { Ok(Confidence(fraction)) } else { Err(StatsError::Confidence { level }) }
    }

    /// The level as a fraction (`0.95`).
    #[must_use]
    pub fn level(self) -> f64 {
        self.0
    }

    /// Probability outside the interval, `α = 1 − level`.
    #[must_use]
    pub fn alpha(self) -> f64 {
        1.0 - self.0
    }

    /// Two-sided normal quantile `z = Φ⁻¹(1 − α/2)`: 1.959964 at 95 %, 3.090232 at 99.8 %.
    #[must_use]
    pub fn z(self) -> f64 {
        special::normal_quantile(1.0 - self.alpha() / 2.0)
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence::P95
    }
}

/// A confidence interval (or a pair of control limits): `lower ≤ upper`, in the unit of the figure
/// it goes with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

impl Interval {
    /// Both limits multiplied by `factor` (a scale such as 100 or 100 000, or `1 / population`).
    #[must_use]
    pub fn scaled(self, factor: f64) -> Interval {
        Interval { lower: self.lower * factor, upper: self.upper * factor }
    }

    /// Whether `value` lies within the limits, the limits included.
    #[must_use]
    pub fn contains(self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }
}

/// A figure with its confidence interval, both in the figure's unit (× scale).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The figure itself.
    pub value: f64,
    /// Its confidence interval.
    pub interval: Interval,
}

/// What a statistical method refuses. Messages are in French, for the user; the caller adds the
/// file, the indicator and the territory they concern.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    /// A confidence level outside `(0, 1)` (or `(0, 100)` as a percentage).
    #[error("niveau de confiance {level} invalide : attendu entre 0 et 1 (0,95) ou en pourcentage (95)")]
    Confidence {
        /// The level given.
        level: f64,
    },
    /// A count, a population or a weight that is negative, infinite or not a number.
    #[error("{what} invalide ({value}) : attendu un nombre positif ou nul")]
    Negative {
        /// What the number is (« numérateur », « population de la tranche 3 »…).
        what: String,
        /// The number given.
        value: f64,
    },
    /// A denominator of zero.
    #[error("{what} nul : la valeur n'est pas définie")]
    ZeroDenominator {
        /// What the denominator is.
        what: String,
    },
    /// A proportion whose numerator exceeds its denominator.
    #[error("numérateur ({numerator}) supérieur au dénominateur ({denominator}) : une proportion est entre 0 et 1")]
    NumeratorAboveDenominator {
        /// The numerator given.
        numerator: f64,
        /// The denominator given.
        denominator: f64,
    },
    /// Series by age band of different lengths.
    #[error("{what} : {found} tranches d'âge au lieu de {expected}")]
    BandCount {
        /// Which series is off.
        what: String,
        /// Bands expected (those of the first series).
        expected: usize,
        /// Bands found.
        found: usize,
    },
    /// No age band at all.
    #[error("aucune tranche d'âge : la standardisation en demande au moins une")]
    NoBands,
    /// Events in an age band whose population is zero: the data contradict themselves.
    #[error("tranche d'âge {band} : {events} événements pour une population nulle")]
    EventsWithoutPopulation {
        /// Band index, from 1.
        band: usize,
        /// The events given.
        events: f64,
    },
    /// A reference band whose population is zero: its rate is not defined.
    #[error("tranche d'âge {band} : population de référence nulle, taux de référence non défini")]
    ReferenceWithoutPopulation {
        /// Band index, from 1.
        band: usize,
    },
}

/// Checks that `value` is a finite number `≥ 0`.
fn non_negative(what: impl fmt::Display, value: f64) -> Result<f64, StatsError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(StatsError::Negative { what: what.to_string(), value })
    }
}

/// Checks that `value` is a finite number `> 0`.
fn positive(what: impl fmt::Display, value: f64) -> Result<f64, StatsError> {
    if non_negative(&what, value)? > 0.0 {
        Ok(value)
    } else {
        Err(StatsError::ZeroDenominator { what: what.to_string() })
    }
}
