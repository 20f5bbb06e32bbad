//! Special functions against scipy 1.17.1: every expected value below is the output of the scipy
//! call written beside it, as printed by `scripts/stats_reference.py`.

#![allow(
    clippy::unreadable_literal,
    reason = "reference values are pasted as Python prints them, to compare at a glance"
)]
#![allow(clippy::float_cmp, reason = "limits that are exactly 0 or 1 by definition are compared exactly")]

use super::*;
use crate::stats::test_support::close;

#[test]
fn ln_gamma_against_scipy_gammaln() {
    // scipy.special.gammaln(x)
    let cases = [
        (0.5, 0.5723649429247),
        (3.7, 1.428072326665388),
        (10.0, 12.801827480081469),
        (12.5, 18.73434751193645),
        (171.3, 708.1149470389971),
        (1e-8, 18.42068073818021),
        (2.5e6, 34329496.777633995),
    ];
    for (x, expected) in cases {
        close(ln_gamma(x), expected, 1e-14);
    }
    // scipy.special.gammaln(1.0) = gammaln(2.0) = 0.0
    assert!(ln_gamma(1.0).abs() < 1e-14 && ln_gamma(2.0).abs() < 1e-14);
    assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.0).is_nan());
    // The constant behind Stirling's series.
    close(LN_SQRT_2PI, 0.5 * (2.0 * std::f64::consts::PI).ln(), 1e-15);
}

#[test]
fn incomplete_gamma_against_scipy_gammainc() {
    // (a, x, scipy.special.gammainc(a, x), scipy.special.gammaincc(a, x))
    let cases = [
        (0.5, 0.01, 0.11246291601828491, 0.887537083981715),
        (0.5, 2.0, 0.9544997361036415, 0.04550026389635857),
        (3.0, 1.5, 0.19115316946194183, 0.8088468305380582),
        (10.0, 10.0, 0.5420702855281478, 0.4579297144718523),
        (50.0, 70.0, 0.994859497541494, 0.0051405024585059085),
        (1e6, 1e6 + 2000.0, 0.9771959041012303, 0.022804095898769836),
    ];
    for (a, x, p, q) in cases {
        close(gamma_p(a, x), p, 1e-12);
        close(gamma_q(a, x), q, 1e-11);
    }
    assert_eq!(gamma_p(2.0, 0.0), 0.0);
    assert_eq!(gamma_q(2.0, 0.0), 1.0);
    assert!(gamma_p(0.0, 1.0).is_nan() && gamma_p(1.0, -1.0).is_nan());
}

#[test]
fn normal_quantile_and_cdf_against_scipy_norm() {
    // scipy.stats.norm.ppf(p)
    let quantiles = [
        (0.975, 1.959963984540054),
        (0.999, 3.090232306167813),
        (0.025, -1.9599639845400545),
        (0.001, -3.090232306167813),
        (1e-10, -6.361340902404056),
        (0.8, 0.8416212335729143),
        (0.9995, 3.2905267314919255),
    ];
    for (p, expected) in quantiles {
        close(normal_quantile(p), expected, 1e-13);
    }
    assert_eq!(normal_quantile(0.5), 0.0);
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(1.5).is_nan());
    // scipy.stats.norm.cdf(x)
    let cdfs = [
        (-3.0, 0.0013498980316300933),
        (-1.0, 0.15865525393145707),
        (0.3, 0.6179114221889526),
        (2.0, 0.9772498680518208),
        (8.0, 0.9999999999999993),
    ];
    for (x, expected) in cdfs {
        close(normal_cdf(x), expected, 1e-14);
    }
}

#[test]
fn chi_square_quantile_against_scipy_chi2_ppf() {
    // scipy.stats.chi2.ppf(p, df)
    let cases = [
        (0.025, 2.0, 0.05063561596857975),
        (0.975, 2.0, 7.377758908227871),
        (0.025, 20.0, 9.590777392264867),
        (0.975, 22.0, 36.78071208403556),
        (0.001, 14.0, 3.0406725207976186),
        (0.999, 16.0, 39.252354790768464),
        (0.5, 1.0, 0.454936423119572),
        (1e-5, 0.5, 1.3499395786223446e-20),
        (0.025, 2e6, 1996081.9666805877),
        (0.975, 2e6 + 2.0, 2003923.8238908644),
        (0.999, 1.2e7, 12015144.68454258),
    ];
    for (p, df, expected) in cases {
        close(chi_square_quantile(p, df), expected, 1e-10);
    }
    assert_eq!(gamma_quantile(3.0, 0.0), 0.0);
    assert_eq!(gamma_quantile(3.0, 1.0), f64::INFINITY);
    assert!(gamma_quantile(-1.0, 0.5).is_nan());
}

#[test]
fn quantile_inverts_the_distribution_function() {
    // Round trip over shapes from a single event to millions and both tails: not a reference
    // value, a property that any error in either function breaks.
    for a in [0.3, 1.0, 4.0, 37.5, 1e3, 5e6] {
        for p in [1e-6, 0.001, 0.025, 0.5, 0.975, 0.999] {
            let x = gamma_quantile(a, p);
            if p < 0.5 {
                close(gamma_p(a, x), p, 1e-11);
            } else {
                close(gamma_q(a, x), 1.0 - p, 1e-10);
            }
        }
    }
}

#[test]
fn incomplete_beta_against_scipy_betainc() {
    // scipy.special.betainc(a, b, x)
    let cases = [
        (2.0, 3.0, 0.4, 0.5247999999999999),
        (0.5, 0.5, 0.9, 0.7951672353008665),
        (50.0, 20.0, 0.7, 0.3825092483812333),
        (1000.0, 5.0, 0.995, 0.43654411044811825),
    ];
    for (a, b, x, expected) in cases {
        close(beta_regularized(a, b, x), expected, 1e-12);
    }
    assert_eq!(beta_regularized(2.0, 3.0, 0.0), 0.0);
    assert_eq!(beta_regularized(2.0, 3.0, 1.0), 1.0);
}

#[test]
fn poisson_and_binomial_against_scipy_stats() {
    // (k, mean, scipy.stats.poisson.cdf(k, mean), scipy.stats.poisson.pmf(k, mean))
    let poisson = [
        (0.0, 3.2, 0.04076220397836622, 0.04076220397836621),
        (5.0, 3.2, 0.8945918945308227, 0.11397938346351824),
        (120.0, 100.0, 0.9773306709216473, 0.005561064886513308),
        (1e6, 1e6, 0.5002659614862837, 0.0003989422468833316),
    ];
    for (k, mean, cdf, pmf) in poisson {
        close(poisson_cdf(k, mean), cdf, 1e-12);
        close(poisson_pmf(k, mean), pmf, 1e-9);
    }
    // (k, n, p, scipy.stats.binom.cdf(k, n, p), scipy.stats.binom.pmf(k, n, p))
    let binomial = [
        (3.0, 10.0, 0.3, 0.6496107184000002, 0.2668279319999998),
        (0.0, 5.0, 0.8, 0.00031999999999999965, 0.00031999999999999976),
        (790.0, 1000.0, 0.8, 0.22527934791215498, 0.022737342979483394),
        (95.0, 100.0, 0.9, 0.9762889173365232, 0.03386580382355707),
    ];
    for (k, n, p, cdf, pmf) in binomial {
        close(binomial_cdf(k, n, p), cdf, 1e-11);
        close(binomial_pmf(k, n, p), pmf, 1e-11);
    }
    assert_eq!(poisson_cdf(-1.0, 2.0), 0.0);
    assert_eq!(binomial_cdf(10.0, 10.0, 0.3), 1.0);
}
