//! Confidence intervals of crude figures: Wilson's score interval for a proportion, Byar's
//! approximation and the exact chi-square limits for a count of events, and the rate and count
//! estimates built on them. Plain numbers in and out; depends only on [`super::special`].

use super::{Confidence, Estimate, Interval, StatsError, non_negative, positive, special};

/// Wilson score interval of the proportion `numerator / denominator`, as a proportion in `[0, 1]`.
///
/// With `p = x / n`, `q = 1 − p` and `z = Φ⁻¹(1 − α/2)`:
///
/// ```text
/// (2np + z² ∓ z √(z² + 4npq)) / (2 (n + z²))
/// ```
///
/// (Wilson 1927; PHE, *Technical Guide: Confidence Intervals*, appendix 3). The limits stay in
/// `[0, 1]`; at `x = 0` the lower one is 0 and at `x = n` the upper one is 1. Unlike the normal
/// approximation it behaves for small numerators and proportions near 0 or 1. `numerator` and
/// `denominator` may be fractional (weighted estimates).
///
/// ```
/// use indicarto::stats::{Confidence, wilson};
/// // 18 out of 179 (PHEindicatormethods, phe_proportion vignette): 6.455836 % to 15.334331 %.
/// let ci = wilson(18.0, 179.0, Confidence::P95).unwrap();
/// assert!((ci.lower - 0.06455836).abs() < 1e-8 && (ci.upper - 0.15334331).abs() < 1e-8);
/// ```
#[allow(clippy::many_single_char_names, reason = "the letters of Wilson's formula, as published")]
pub fn wilson(numerator: f64, denominator: f64, confidence: Confidence) -> Result<Interval, StatsError> {
    let x = non_negative("numérateur", numerator)?;
    let n = positive("dénominateur", denominator)?;
    if x > n {
        return Err(StatsError::NumeratorAboveDenominator { numerator, denominator });
    }
    let z = confidence.z();
    let p = x / n;
    let q = 1.0 - p;
    let centre = 2.0 * n * p + z * z;
    let spread = z * (z * z + 4.0 * n * p * q).sqrt();
    let divisor = 2.0 * (n + z * z);
    // At p = 0 (p = 1) the lower (upper) limit is 0 (1) exactly; the formula leaves a rounding
    // error there that would print as a tiny non-zero limit.
    let lower = if x == 0.0 { 0.0 } else { (centre - spread) / divisor };
    let upper = if x >= n { 1.0 } else { (centre + spread) / divisor };
    Ok(Interval { lower, upper })
}

/// A proportion `numerator / denominator × scale` with its Wilson interval (× `scale`, e.g. 100
/// for a percentage).
pub fn proportion(
    numerator: f64,
    denominator: f64,
    scale: f64,
    confidence: Confidence,
) -> Result<Estimate, StatsError> {
    let interval = wilson(numerator, denominator, confidence)?;
    Ok(Estimate { value: numerator / denominator * scale, interval: interval.scaled(scale) })
}

/// How the Poisson limits of a count of events are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PoissonMethod {
    /// Byar's approximation ([`byar`]): within 0.2 % of the exact limits from 10 events at 95 %.
    #[default]
    Byar,
    /// Exact limits in their chi-square form ([`exact_poisson`]), right for any count.
    Exact,
}

/// Byar's approximation of the Poisson confidence limits of an observed count `O`:
///
/// ```text
/// lower = O (1 − 1/(9O) − z/(3√O))³
/// upper = (O + 1) (1 − 1/(9(O + 1)) + z/(3√(O + 1)))³
/// ```
///
/// (Breslow and Day 1987, vol. II, p. 69; PHE, *Technical Guide: Confidence Intervals*, appendix
/// 1). Limits of the count itself: divide by a population for a rate, by the expected count for a
/// ratio. At 95 % the approximation is within 0.2 % of the exact limits from 10 events; below, use
/// [`exact_poisson`]. At `O = 0` the lower limit is 0; where the cube would be negative (a handful
/// of events at a high confidence level) the lower limit is clamped at 0.
///
/// ```
/// use indicarto::stats::{Confidence, byar};
/// // 68 events (PHEindicatormethods, phe_rate vignette, 68 per 174 × 100 000): 30 346.142 to 49 544.53.
/// let ci = byar(68.0, Confidence::P95).unwrap().scaled(100_000.0 / 174.0);
/// assert!((ci.lower - 30_346.142).abs() < 1e-3 && (ci.upper - 49_544.53).abs() < 1e-2);
/// ```
pub fn byar(observed: f64, confidence: Confidence) -> Result<Interval, StatsError> {
    let o = non_negative("nombre d'événements", observed)?;
    let z = confidence.z();
    let lower = if o == 0.0 {
        0.0
    } else {
        let base = 1.0 - 1.0 / (9.0 * o) - z / (3.0 * o.sqrt());
        if base > 0.0 { o * base.powi(3) } else { 0.0 }
    };
    let next = o + 1.0;
    let upper = next * (1.0 - 1.0 / (9.0 * next) + z / (3.0 * next.sqrt())).powi(3);
    Ok(Interval { lower, upper })
}

/// Exact Poisson confidence limits of an observed count `O`, in their chi-square form (Garwood
/// 1936; PHE, *Technical Guide: Confidence Intervals*, appendix 2):
///
/// ```text
/// lower = χ²(α/2; 2O) / 2          (0 when O = 0)
/// upper = χ²(1 − α/2; 2(O + 1)) / 2
/// ```
///
/// where `χ²(p; ν)` is the chi-square quantile. Right for any count, small ones included; for a
/// fractional count (weighted estimates) the same gamma quantiles are used.
pub fn exact_poisson(observed: f64, confidence: Confidence) -> Result<Interval, StatsError> {
    let o = non_negative("nombre d'événements", observed)?;
    let half_alpha = confidence.alpha() / 2.0;
    let lower = if o == 0.0 { 0.0 } else { special::gamma_quantile(o, half_alpha) };
    let upper = special::gamma_quantile(o + 1.0, 1.0 - half_alpha);
    Ok(Interval { lower, upper })
}

/// Poisson limits of a count by the given method.
pub fn poisson_limits(observed: f64, method: PoissonMethod, confidence: Confidence) -> Result<Interval, StatsError> {
    match method {
        PoissonMethod::Byar => byar(observed, confidence),
        PoissonMethod::Exact => exact_poisson(observed, confidence),
    }
}

/// A count of events with its Poisson interval.
pub fn count(events: f64, method: PoissonMethod, confidence: Confidence) -> Result<Estimate, StatsError> {
    Ok(Estimate { value: events, interval: poisson_limits(events, method, confidence)? })
}

/// A crude rate `events / population × scale` with the Poisson limits of the events divided by the
/// population (× `scale`): the population is taken as exact, as in every observatory's practice.
pub fn rate(
    events: f64,
    population: f64,
    scale: f64,
    method: PoissonMethod,
    confidence: Confidence,
) -> Result<Estimate, StatsError> {
    let population = positive("population", population)?;
    let interval = poisson_limits(events, method, confidence)?;
    let factor = scale / population;
    Ok(Estimate { value: events * factor, interval: interval.scaled(factor) })
}

#[cfg(test)]
#[path = "interval_tests.rs"]
mod tests;
