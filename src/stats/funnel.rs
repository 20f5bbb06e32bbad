//! Control limits of a funnel plot (Spiegelhalter 2005): around a reference value, the range a
//! territory's figure would fall in by chance alone, as a function of its denominator. Plain
//! numbers in and out; depends only on [`super::special`].

use super::{Confidence, Interval, StatsError, non_negative, positive, special};

/// How funnel limits are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FunnelMethod {
    /// Exact limits of the binomial or Poisson distribution, interpolated between whole counts
    /// (Spiegelhalter 2005, appendix A.1.1): right for small denominators, where the funnel is
    /// asymmetric.
    #[default]
    Exact,
    /// Normal approximation `θ₀ ± z σ(θ₀, n)`, the form PHE's Fingertips draws for proportions;
    /// symmetric, and too narrow on the low side for small counts.
    Normal,
}

/// Funnel limits at `confidence` for a proportion `y = x / n × scale`, around the reference value
/// `reference` (same unit: `scale = 100` for percentages) at the denominator `n`.
///
/// With `θ₀ = reference / scale` and `X ~ Binomial(n, θ₀)`:
/// - [`FunnelMethod::Exact`]: for each tail probability `P` (`α/2` and `1 − α/2`), `r_P` the
///   smallest whole `r` with `F(r) ≥ P`, then `y_P = (r_P − a) / n` with the interpolation
///   `a = (F(r_P) − P) / (F(r_P) − F(r_P − 1))` (Spiegelhalter 2005, appendix A.1.1);
/// - [`FunnelMethod::Normal`]: `θ₀ ± z √(θ₀ (1 − θ₀) / n)`.
///
/// Limits are kept within `[0, scale]`; a reference of exactly 0 or `scale` gives a funnel of no
/// width. The curve is drawn by calling this at each denominator of the plot's axis; `n` may be
/// fractional (the binomial is extended through the incomplete beta function).
pub fn funnel_proportion(
    reference: f64,
    denominator: f64,
    scale: f64,
    method: FunnelMethod,
    confidence: Confidence,
) -> Result<Interval, StatsError> {
    let scale = positive("échelle", scale)?;
    let n = positive("dénominateur", denominator)?;
    let theta = non_negative("valeur de référence", reference)? / scale;
    if theta > 1.0 {
        return Err(StatsError::NumeratorAboveDenominator { numerator: reference, denominator: scale });
    }
    if theta <= 0.0 || theta >= 1.0 {
        return Ok(Interval { lower: reference, upper: reference });
    }
    let limits = match method {
        FunnelMethod::Normal => {
            let spread = confidence.z() * (theta * (1.0 - theta) / n).sqrt();
            Interval { lower: theta - spread, upper: theta + spread }
        }
        FunnelMethod::Exact => {
            let cdf = |r: f64| special::binomial_cdf(r, n, theta);
            // Above a fractional n the distribution function is 1: ceil(n) is its last step.
            let (sd, top) = ((n * theta * (1.0 - theta)).sqrt(), n.ceil());
            both_tails(confidence, |p| interpolated_quantile(&cdf, n * theta, sd, p, top) / n)
        }
    };
    Ok(Interval { lower: limits.lower.clamp(0.0, 1.0), upper: limits.upper.clamp(0.0, 1.0) }.scaled(scale))
}

/// Funnel limits at `confidence` for a figure made of Poisson events over a denominator,
/// `y = events / n × scale`, around the reference value `reference` (same unit) at the
/// denominator `n`:
/// - a crude rate: `n` the population, `scale` 100 000 for a rate per 100 000;
/// - a comparative index (ICM): `n` the expected events `E`, `reference = 100`, `scale = 100`.
///
/// With `X ~ Poisson(λ)`, `λ = reference × n / scale`:
/// - [`FunnelMethod::Exact`]: `y_P = (r_P − a) / n × scale` with `r_P` and `a` as in
///   [`funnel_proportion`], on the Poisson distribution function;
/// - [`FunnelMethod::Normal`]: `(λ ± z √λ) / n × scale`.
///
/// Limits are kept `≥ 0`; a reference of 0 gives a funnel of no width.
pub fn funnel_events(
    reference: f64,
    denominator: f64,
    scale: f64,
    method: FunnelMethod,
    confidence: Confidence,
) -> Result<Interval, StatsError> {
    let scale = positive("échelle", scale)?;
    let n = positive("dénominateur", denominator)?;
    let mean = non_negative("valeur de référence", reference)? * n / scale;
    if mean == 0.0 {
        return Ok(Interval { lower: 0.0, upper: 0.0 });
    }
    let counts = match method {
        FunnelMethod::Normal => {
            let spread = confidence.z() * mean.sqrt();
            Interval { lower: mean - spread, upper: mean + spread }
        }
        FunnelMethod::Exact => {
            let cdf = |r: f64| special::poisson_cdf(r, mean);
            both_tails(confidence, |p| interpolated_quantile(&cdf, mean, mean.sqrt(), p, f64::INFINITY))
        }
    };
    Ok(Interval { lower: counts.lower.max(0.0), upper: counts.upper.max(0.0) }.scaled(scale / n))
}

/// The limits at the two tail probabilities of `confidence`, `α/2` and `1 − α/2`.
fn both_tails(confidence: Confidence, limit: impl Fn(f64) -> f64) -> Interval {
    let half = confidence.alpha() / 2.0;
    Interval { lower: limit(half), upper: limit(1.0 - half) }
}

/// Spiegelhalter's interpolated quantile of a distribution on the whole numbers `0..=top`:
/// `r_P − (F(r_P) − P) / (F(r_P) − F(r_P − 1))` with `r_P` the smallest `r` with `F(r) ≥ P`.
/// `mean` and `sd` only place the first guess (normal approximation); the search then walks to
/// `r_P`, a few steps at most.
fn interpolated_quantile(cdf: &dyn Fn(f64) -> f64, mean: f64, sd: f64, p: f64, top: f64) -> f64 {
    let guess = (mean + special::normal_quantile(p) * sd).floor();
    let mut r = guess.clamp(0.0, top);
    while r < top && cdf(r) < p {
        r += 1.0;
    }
    while r > 0.0 && cdf(r - 1.0) >= p {
        r -= 1.0;
    }
    let at = cdf(r);
    let below = if r > 0.0 { cdf(r - 1.0) } else { 0.0 };
    let step = at - below;
    if step > 0.0 { r - (at - p) / step } else { r }
}

#[cfg(test)]
#[path = "funnel_tests.rs"]
mod tests;
