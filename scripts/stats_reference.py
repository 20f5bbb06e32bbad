#!/usr/bin/env python3
"""Reference values for the tests of `src/stats/` (developer tool, never a run-time dependency).

Prints, section by section, the values the Rust tests hold, each computed by an implementation
independent of Indicarto's: scipy (special functions, distributions, exact Poisson limits),
statsmodels (Wilson interval, exact Poisson interval), and plain formulas evaluated by numpy
where the reference is a published formula (Byar, Dobson, expected events).

    pip install scipy statsmodels
    python3 scripts/stats_reference.py

Versions used for the values in the tests: scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.
"""

import math

import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson


def show(label, value):
    if isinstance(value, tuple):
        value = tuple(float(v) for v in value)
    else:
        value = float(value)
    print(f"{label:<60} {value!r}")


def section(title):
    print(f"\n# {title}")


def special_functions():
    section("special functions")
    for x in (0.5, 1.0, 3.7, 10.0, 12.5, 171.3, 1e-8, 2.5e6):
        show(f"gammaln({x})", float(special.gammaln(x)))
    for a, x in ((0.5, 0.01), (0.5, 2.0), (3.0, 1.5), (10.0, 10.0), (50.0, 70.0), (1e6, 1e6 + 2000.0)):
        show(f"gammainc({a}, {x})", float(special.gammainc(a, x)))
        show(f"gammaincc({a}, {x})", float(special.gammaincc(a, x)))
    for p in (0.5, 0.975, 0.999, 0.025, 0.001, 1e-10, 0.8, 0.9995):
        show(f"norm.ppf({p})", float(stats.norm.ppf(p)))
    for x in (-3.0, -1.0, 0.3, 2.0, 8.0):
        show(f"norm.cdf({x})", float(stats.norm.cdf(x)))
    for p, df in ((0.025, 2), (0.975, 2), (0.025, 20), (0.975, 22), (0.001, 14), (0.999, 16),
                  (0.5, 1), (1e-5, 0.5), (0.025, 2e6), (0.975, 2e6 + 2), (0.999, 1.2e7)):
        show(f"chi2.ppf({p}, {df})", float(stats.chi2.ppf(p, df)))
    for a, b, x in ((2.0, 3.0, 0.4), (0.5, 0.5, 0.9), (50.0, 20.0, 0.7), (1000.0, 5.0, 0.995)):
        show(f"betainc({a}, {b}, {x})", float(special.betainc(a, b, x)))
    for k, mu in ((0, 3.2), (5, 3.2), (120, 100.0), (1_000_000, 1_000_000.0)):
        show(f"poisson.cdf({k}, {mu})", float(stats.poisson.cdf(k, mu)))
        show(f"poisson.pmf({k}, {mu})", float(stats.poisson.pmf(k, mu)))
    for k, n, p in ((3, 10, 0.3), (0, 5, 0.8), (790, 1000, 0.8), (95, 100, 0.9)):
        show(f"binom.cdf({k}, {n}, {p})", float(stats.binom.cdf(k, n, p)))
        show(f"binom.pmf({k}, {n}, {p})", float(stats.binom.pmf(k, n, p)))


def wilson():
    section("Wilson (statsmodels proportion_confint method='wilson')")
    for x, n in ((0, 50), (50, 50), (1, 3), (7, 1000), (500, 1000), (123456, 10_000_000), (18, 179)):
        for level in (0.95, 0.998):
            lo, hi = proportion_confint(x, n, alpha=1 - level, method="wilson")
            show(f"wilson({x}, {n}, {level})", (float(lo), float(hi)))


def byar(o, z):
    lower = 0.0 if o == 0 else o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def poisson():
    section("Poisson limits: exact (scipy chi2.ppf and statsmodels exact-c), Byar (formula)")
    for o in (0, 1, 3, 9, 10, 68, 1000, 2_500_000):
        for level in (0.95, 0.998):
            a = 1 - level
            lo = 0.0 if o == 0 else stats.chi2.ppf(a / 2, 2 * o) / 2
            hi = stats.chi2.ppf(1 - a / 2, 2 * o + 2) / 2
            sm = confint_poisson(o, 1, method="exact-c", alpha=a)
            show(f"exact({o}, {level}) scipy", (float(lo), float(hi)))
            show(f"exact({o}, {level}) statsmodels", (float(sm[0]), float(sm[1])))
            show(f"byar({o}, {level})", byar(o, stats.norm.ppf(1 - a / 2)))


def dobson(events, population, standard, scale, level, method):
    events, population, standard = map(np.asarray, (events, population, standard))
    weights = standard.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        band_rates = np.where(population > 0, events / population, 0.0)
        band_var = np.where(population > 0, (standard / population) ** 2 * events, 0.0)
    dsr = (standard * band_rates).sum() / weights
    var = band_var.sum() / weights**2
    o = events.sum()
    z = stats.norm.ppf(1 - (1 - level) / 2)
    if method == "byar":
        lo, hi = byar(o, z)
    else:
        lo = stats.chi2.ppf((1 - level) / 2, 2 * o) / 2
        hi = stats.chi2.ppf(1 - (1 - level) / 2, 2 * o + 2) / 2
    slope = math.sqrt(var / o)
    return dsr * scale, (dsr + slope * (lo - o)) * scale, (dsr + slope * (hi - o)) * scale


# 2013 European Standard Population, 19 bands 0-4 … 90+ (Eurostat 2013).
ESP2013 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000,
           4000, 2500, 1500, 1000]


def standardisation():
    section("direct standardisation (Dobson), formula evaluated by numpy")
    # PHEindicatormethods DSR vignette, "zero deaths for a specific age band": published
    # 8283.016 (6570.819, 10289.65) with Byar's limits.
    pops = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
    deaths = [1, 1, 0, 0, 0, 1, 1, 3, 3, 3, 3, 10, 10, 10, 10, 8, 8, 8, 8]
    show("vignette byar 95", dobson(deaths, pops, ESP2013, 1e5, 0.95, "byar"))
    show("vignette exact 95", dobson(deaths, pops, ESP2013, 1e5, 0.95, "exact"))
    show("vignette byar 99.8", dobson(deaths, pops, ESP2013, 1e5, 0.998, "byar"))
    # A band without population (and without events) counted with a rate of zero.
    pops_gap = pops[:-1] + [0]
    deaths_gap = deaths[:-1] + [0]
    show("gap byar 95", dobson(deaths_gap, pops_gap, ESP2013, 1e5, 0.95, "byar"))

    section("indirect standardisation (ICM), formula evaluated by numpy")
    ref_events = np.array([120.0, 40.0, 300.0, 2500.0, 9000.0])
    ref_pop = np.array([1e6, 1.2e6, 1.5e6, 9e5, 3e5])
    pop = np.array([5200.0, 6100.0, 7400.0, 3900.0, 1450.0])
    expected = float((pop * ref_events / ref_pop).sum())
    for o in (7, 76, 61):
        for level in (0.95, 0.998):
            a = 1 - level
            lo = stats.chi2.ppf(a / 2, 2 * o) / 2
            hi = stats.chi2.ppf(1 - a / 2, 2 * o + 2) / 2
            b = byar(o, stats.norm.ppf(1 - a / 2))
            show(f"icm O={o} {level} expected, index", (expected, 100 * o / expected))
            show(f"icm O={o} {level} exact", (100 * lo / expected, 100 * hi / expected))
            show(f"icm O={o} {level} byar", (100 * b[0] / expected, 100 * b[1] / expected))


def spiegelhalter(dist, p):
    """Interpolated quantile of Spiegelhalter (2005), appendix A.1.1, on a scipy distribution."""
    r = dist.ppf(p)  # smallest r with F(r) >= p
    f = dist.cdf(r)
    below = dist.cdf(r - 1)
    return r - (f - p) / (f - below)


def funnels():
    section("funnel limits, exact (scipy binom / poisson ppf and cdf)")
    for target, n in ((0.2, 10), (0.2, 57), (0.8064, 1000), (0.05, 20000)):
        for level in (0.95, 0.998):
            a = 1 - level
            dist = stats.binom(n, target)
            lo = max(0.0, spiegelhalter(dist, a / 2) / n)
            hi = min(1.0, spiegelhalter(dist, 1 - a / 2) / n)
            show(f"binomial p0={target} n={n} {level}", (float(lo), float(hi)))
    for mean in (0.5, 3.0, 25.7, 400.0, 1e6):
        for level in (0.95, 0.998):
            a = 1 - level
            dist = stats.poisson(mean)
            lo = max(0.0, spiegelhalter(dist, a / 2))
            hi = spiegelhalter(dist, 1 - a / 2)
            show(f"poisson mean={mean} {level} (counts)", (float(lo), float(hi)))


def main():
    print(f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}")
    special_functions()
    wilson()
    poisson()
    standardisation()
    funnels()


if __name__ == "__main__":
    main()
