//! Age standardisation from counts by band: indirect (expected events and the comparative index,
//! ICM, base 100) and direct (the directly standardised rate with Dobson's interval).
//!
//! A "band" is any stratum the counts are split by: age bands, or age × sex cells (40 strata for
//! 20 age bands and two sexes). Every series of one computation lists the same bands in the same
//! order; the functions check the lengths, not the labels, which the caller owns. Because both
//! methods take a territory's own counts, they are exact for any aggregated territory or custom
//! zone: sum the counts by band over its members, then call them once. Plain numbers in and out;
//! depends only on [`super::interval`].

use super::interval::{PoissonMethod, poisson_limits};
use super::{Confidence, Interval, StatsError, non_negative};

/// Base of the comparative index: ICM = 100 × observed / expected.
const INDEX_BASE: f64 = 100.0;

/// A reference territory's event rates by band, per person (not per 100 000).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceRates {
    rates: Vec<f64>,
}

impl ReferenceRates {
    /// Rates given per `scale` persons (`scale = 100 000` for rates per 100 000, 1 for rates per
    /// person).
    pub fn from_rates(rates: &[f64], scale: f64) -> Result<Self, StatsError> {
        let scale = super::positive("échelle des taux de référence", scale)?;
        let rates = rates
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                non_negative(format_args!("taux de référence de la tranche {}", i + 1), r).map(|r| r / scale)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::checked(rates)
    }

    /// Rates from the reference's events and population by band: `events_b / population_b`. A band
    /// without reference population has no rate and is refused
    /// ([`StatsError::ReferenceWithoutPopulation`]): a reference such as France has people in every
    /// band, and a gap there means a data error, not a zero rate.
    pub fn from_counts(events: &[f64], population: &[f64]) -> Result<Self, StatsError> {
        same_bands(events.len(), &[("population de référence", population.len())])?;
        let rates = events
            .iter()
            .zip(population)
            .enumerate()
            .map(|(i, (&d, &n))| {
                let d = non_negative(format_args!("événements de référence de la tranche {}", i + 1), d)?;
                let n = non_negative(format_args!("population de référence de la tranche {}", i + 1), n)?;
                if n > 0.0 { Ok(d / n) } else { Err(StatsError::ReferenceWithoutPopulation { band: i + 1 }) }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::checked(rates)
    }

    fn checked(rates: Vec<f64>) -> Result<Self, StatsError> {
        if rates.is_empty() { Err(StatsError::NoBands) } else { Ok(ReferenceRates { rates }) }
    }

    /// The rates by band, per person.
    #[must_use]
    pub fn rates(&self) -> &[f64] {
        &self.rates
    }
}

/// Expected events of a territory at the reference's rates: `E = Σ_b population_b × rate_b`.
pub fn expected_events(population: &[f64], reference: &ReferenceRates) -> Result<f64, StatsError> {
    same_bands(reference.rates.len(), &[("population", population.len())])?;
    let mut expected = 0.0;
    for (i, (&n, &r)) in population.iter().zip(&reference.rates).enumerate() {
        expected += non_negative(format_args!("population de la tranche {}", i + 1), n)? * r;
    }
    Ok(expected)
}

/// A comparative index (indirect standardisation) and what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndirectStandardised {
    /// Observed events `O` (the territory's total).
    pub observed: f64,
    /// Expected events `E` at the reference's rates. Published with the index, it gives `O`
    /// back: mask it whenever `O` is masked.
    pub expected: f64,
    /// The index `100 × O / E` (ICM; an SMR is this divided by 100).
    pub index: f64,
    /// Its confidence interval, base 100: the Poisson limits of `O` divided by `E`, × 100.
    pub interval: Interval,
}

/// Indirect standardisation: the comparative index `ICM = 100 × O / E` of a territory, with
/// `E = Σ_b population_b × reference_rate_b` and `O` its **total** observed events.
///
/// Only the total of the observed events is needed (deaths by commune of residence exist for all
/// ages together): the territory's age structure and the reference's rates by band give the
/// expected ones. The interval treats `E` as exact and `O` as Poisson: `[O_L, O_U] / E × 100`
/// with `O_L, O_U` by Byar's method or exactly (PHE, *Technical Guide: Confidence Intervals*;
/// Breslow and Day 1987). An ICM compares a territory with the reference only: two territories'
/// ICMs are not comparable with each other when their age structures differ (that is what the
/// directly standardised rate is for).
///
/// Refused when `E = 0` (no population in any band with a non-zero reference rate).
///
/// **Secrecy.** `O = index × E / 100`: when the observed events are masked, the index, its
/// interval *and* the expected count must all be masked (each one, with another, gives `O` back).
///
/// ```
/// use indicarto::stats::{Confidence, PoissonMethod, ReferenceRates, Significance, indirect};
/// // The reference's deaths and population by age band, the territory's population by band and
/// // its 76 deaths of all ages (values of `scripts/stats_reference.py`).
/// let reference = ReferenceRates::from_counts(
///     &[120.0, 40.0, 300.0, 2500.0, 9000.0],
///     &[1e6, 1.2e6, 1.5e6, 9e5, 3e5],
/// ).unwrap();
/// let population = [5200.0, 6100.0, 7400.0, 3900.0, 1450.0];
/// let icm = indirect(76.0, &population, &reference, PoissonMethod::Byar, Confidence::P95).unwrap();
/// assert!((icm.expected - 56.6407).abs() < 1e-4);
/// assert!((icm.index - 134.18).abs() < 0.01);
/// assert!((icm.interval.lower - 105.71).abs() < 0.01 && (icm.interval.upper - 167.95).abs() < 0.01);
/// assert_eq!(Significance::of(icm.interval, 100.0), Some(Significance::Higher));
/// ```
pub fn indirect(
    observed: f64,
    population: &[f64],
    reference: &ReferenceRates,
    method: PoissonMethod,
    confidence: Confidence,
) -> Result<IndirectStandardised, StatsError> {
    let observed = non_negative("nombre d'événements observés", observed)?;
    let expected = expected_events(population, reference)?;
    if expected <= 0.0 {
        return Err(StatsError::ZeroDenominator { what: "nombre d'événements attendus".to_owned() });
    }
    let factor = INDEX_BASE / expected;
    let interval = poisson_limits(observed, method, confidence)?.scaled(factor);
    Ok(IndirectStandardised { observed, expected, index: observed * factor, interval })
}

/// A directly standardised rate and what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectStandardised {
    /// The rate, × the scale asked for.
    pub rate: f64,
    /// Dobson's confidence interval, × the scale; `None` when no event was observed (the method
    /// divides by `O`).
    pub interval: Option<Interval>,
    /// Observed events `O = Σ_b events_b`.
    pub observed: f64,
    /// Bands (indices from 0) with no population, counted with a rate of zero: see [`direct`].
    pub empty_bands: Vec<usize>,
}

/// Direct standardisation: the rate the territory would have with the standard population's age
/// structure, with Dobson et al. (1991)'s confidence interval.
///
/// With `d_b`, `n_b` the territory's events and population in band `b`, `w_b` the standard
/// population and `W = Σ w_b`:
///
/// ```text
/// DSR = Σ_b w_b d_b / n_b / W                     (× scale)
/// var(DSR) = Σ_b (w_b / n_b)² d_b / W²
/// DSR_L,U = DSR + √(var(DSR) / O) × (O_L,U − O)  with O = Σ d_b and O_L,U its Poisson limits
/// ```
///
/// PHE computes `O_L,U` by Byar's method ([`PoissonMethod::Byar`]); Dobson et al. used the exact
/// limits ([`PoissonMethod::Exact`]). Morris et al. (2018) found the interval's coverage right
/// from 10 events: below that the figure is not published ([`super::SmallNumbers`]).
///
/// **Bands without population.** A band with `n_b = 0` and `d_b = 0` (a small commune with nobody
/// aged 95 or more) has no rate; it is counted with a rate of zero and keeps its weight in `W`,
/// which is what the formula gives with the convention `0 / 0 = 0`, and its index is listed in
/// [`DirectStandardised::empty_bands`] so that the caller can warn: the rate is then biased
/// downwards by that band's share of the standard. Events without population (`d_b > 0`,
/// `n_b = 0`) contradict themselves and are refused.
///
/// ```
/// use indicarto::stats::{Confidence, PoissonMethod, direct};
/// // PHEindicatormethods' DSR vignette: 19 bands, 2013 European standard population; published
/// // phe_dsr result 8283.016 (6570.819, 10289.65) per 100 000.
/// let deaths = [1., 1., 0., 0., 0., 1., 1., 3., 3., 3., 3., 10., 10., 10., 10., 8., 8., 8., 8.];
/// let population = [30., 35., 35., 35., 40., 40., 45., 50., 50., 50., 60., 60., 70., 75., 70., 60., 20., 20., 15.];
/// let esp2013 = [5000., 5500., 5500., 5500., 6000., 6000., 6500., 7000., 7000., 7000., 7000., 6500., 6000.,
///     5500., 5000., 4000., 2500., 1500., 1000.];
/// let dsr = direct(&deaths, &population, &esp2013, 100_000.0, PoissonMethod::Byar, Confidence::P95).unwrap();
/// let interval = dsr.interval.unwrap();
/// assert!((dsr.rate - 8283.016).abs() < 1e-3);
/// assert!((interval.lower - 6570.819).abs() < 1e-3 && (interval.upper - 10289.65).abs() < 1e-2);
/// ```
pub fn direct(
    events: &[f64],
    population: &[f64],
    standard: &[f64],
    scale: f64,
    method: PoissonMethod,
    confidence: Confidence,
) -> Result<DirectStandardised, StatsError> {
    same_bands(events.len(), &[("population", population.len()), ("population standard", standard.len())])?;
    let scale = super::positive("échelle", scale)?;
    let mut weight_total = 0.0;
    let mut weighted_rate = 0.0;
    let mut weighted_variance = 0.0;
    let mut observed = 0.0;
    let mut empty_bands = Vec::new();
    for (b, ((&d, &n), &w)) in events.iter().zip(population).zip(standard).enumerate() {
        let d = non_negative(format_args!("événements de la tranche {}", b + 1), d)?;
        let n = non_negative(format_args!("population de la tranche {}", b + 1), n)?;
        let w = non_negative(format_args!("population standard de la tranche {}", b + 1), w)?;
        weight_total += w;
        observed += d;
        if n == 0.0 {
            if d > 0.0 {
                return Err(StatsError::EventsWithoutPopulation { band: b + 1, events: d });
            }
            empty_bands.push(b);
            continue;
        }
        weighted_rate += w * d / n;
        weighted_variance += (w / n) * (w / n) * d;
    }
    if weight_total <= 0.0 {
        return Err(StatsError::ZeroDenominator { what: "total de la population standard".to_owned() });
    }
    let dsr = weighted_rate / weight_total;
    let variance = weighted_variance / (weight_total * weight_total);
    let interval = if observed > 0.0 {
        let limits = poisson_limits(observed, method, confidence)?;
        let slope = (variance / observed).sqrt();
        Some(
            Interval { lower: dsr + slope * (limits.lower - observed), upper: dsr + slope * (limits.upper - observed) }
                .scaled(scale),
        )
    } else {
        None
    };
    Ok(DirectStandardised { rate: dsr * scale, interval, observed, empty_bands })
}

/// Checks that every series has `expected` bands (and that there is at least one).
fn same_bands(expected: usize, others: &[(&str, usize)]) -> Result<(), StatsError> {
    if expected == 0 {
        return Err(StatsError::NoBands);
    }
    for &(what, found) in others {
        if found != expected {
            return Err(StatsError::BandCount { what: what.to_owned(), expected, found });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "standardise_tests.rs"]
mod tests;
