//! Funnel limits against independent references:
//! - exact limits: Spiegelhalter's interpolation evaluated on scipy 1.17's `binom` and `poisson`
//!   (`ppf` for `r_P`, `cdf` for the interpolation; `scripts/stats_reference.py`, section
//!   "funnel limits");
//! - PHEindicatormethods' funnel test data (github.com/ukhsa-collaboration/PHEindicatormethods,
//!   `tests/testthat/testdata_funnel_prop_outputs.csv`, normal approximation around 80.642448 %,
//!   and `tests/testthat/testdata_funnel_ratio_outputs.csv`, the expected counts at which an
//!   observed count sits exactly on the 95 % and 99.8 % limits of a ratio).

#![allow(
    clippy::unreadable_literal,
    reason = "reference values are pasted as Python prints them, to compare at a glance"
)]
#![allow(clippy::float_cmp, reason = "limits that are exactly 0 or 1 by definition are compared exactly")]

use super::*;
use crate::stats::test_support::close;

#[test]
fn exact_binomial_limits_against_scipy() {
    // (θ₀, n, level, (lower, upper)) as proportions.
    let cases = [
        (0.2, 10.0, 0.95, (0.0, 0.429493882921007)),
        (0.2, 10.0, 0.998, (0.0, 0.5975360398065473)),
        (0.2, 57.0, 0.95, (0.09197330864998848, 0.29971985424306136)),
        (0.2, 57.0, 0.998, (0.04349517194945349, 0.36766195602273993)),
        (0.8064, 1000.0, 0.95, (0.7811223396995712, 0.8300948853385788)),
        (0.8064, 1000.0, 0.998, (0.7664266717344466, 0.8436252338159786)),
        (0.05, 20000.0, 0.95, (0.04697564895645819, 0.0530169261100189)),
        (0.05, 20000.0, 0.998, (0.04527695627435584, 0.05480072087066722)),
    ];
    for (theta, n, level, (lower, upper)) in cases {
        let limits =
            funnel_proportion(theta * 100.0, n, 100.0, FunnelMethod::Exact, Confidence::new(level).unwrap()).unwrap();
        close(limits.lower, lower * 100.0, 1e-9);
        close(limits.upper, upper * 100.0, 1e-9);
    }
}

#[test]
fn exact_poisson_limits_against_scipy() {
    // (λ, level, limits on the count); asked as an ICM funnel: reference 100, denominator E = λ,
    // scale 100, so the limits come back as 100 × count / λ.
    let cases = [
        (0.5, 0.95, (0.0, 1.8600259114609996)),
        (0.5, 0.998, (0.0, 3.4758589809003664)),
        (3.0, 0.95, (0.0, 6.393840164857888)),
        (3.0, 0.998, (0.0, 9.12650494464844)),
        (25.7, 0.95, (15.731676167817744, 35.6230699711887)),
        (25.7, 0.998, (11.053358944105284, 42.251023381144535)),
        (400.0, 0.95, (360.77374779873276, 439.1717719964854)),
        (400.0, 0.998, (339.1362437767362, 462.7208909101554)),
        (1e6, 0.95, (998040.0097415502, 1001959.9374595158)),
        (1e6, 0.998, (996910.6927835152, 1003091.1569375949)),
    ];
    for (mean, level, (lower, upper)) in cases {
        let limits = funnel_events(100.0, mean, 100.0, FunnelMethod::Exact, Confidence::new(level).unwrap()).unwrap();
        close(limits.lower, 100.0 * lower / mean, 1e-9);
        close(limits.upper, 100.0 * upper / mean, 1e-9);
    }
}

#[test]
fn ratio_funnel_through_the_phe_test_points() {
    // testdata_funnel_ratio_outputs.csv: for an observed count O, `lower_2s_exp_events` is the
    // expected count E at which P(X ≤ O) = 2.5 %, so the 95 % lower limit of the ratio there is O
    // (`lower_2s_isr` = 100 O / E); likewise for 99.8 % (`lower_3s_*`). At `upper_2s_exp_events`,
    // P(X ≥ O) = 2.5 %: Spiegelhalter's interpolated upper limit there is O − 1 (the count just
    // below the one flagged). E is printed with ten digits, hence the tolerance.
    // (O, lower_2s_exp_events, lower_2s_isr, lower_3s_exp_events, lower_3s_isr)
    let lower = [
        (1.0, 5.571644585, 17.94802207, 9.233410143, 10.83023482),
        (2.0, 7.224687515, 27.6828582, 11.22886836, 17.81123382),
        (10.0, 18.39035799, 54.3763205, 24.13397235, 41.43536693),
        (100.0, 121.6268111, 82.21871402, 134.9243187, 74.11562345),
        (716.0, 770.4222128, 92.93605352, 802.60414, 89.20960712),
    ];
    for (_, e95, isr95, e998, isr998) in lower {
        close(funnel_events(100.0, e95, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap().lower, isr95, 5e-6);
        close(funnel_events(100.0, e998, 100.0, FunnelMethod::Exact, Confidence::P998).unwrap().lower, isr998, 5e-6);
    }
    // (O, upper_2s_exp_events, upper_3s_exp_events)
    let upper = [(2.0, 0.242209467, 0.04540199), (10.0, 4.795387629, 2.960519925), (716.0, 664.5083011, 636.1521174)];
    for (o, e95, e998) in upper {
        let at_95 = funnel_events(100.0, e95, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
        close(at_95.upper, 100.0 * (o - 1.0) / e95, 5e-6);
        let at_998 = funnel_events(100.0, e998, 100.0, FunnelMethod::Exact, Confidence::P998).unwrap();
        close(at_998.upper, 100.0 * (o - 1.0) / e998, 5e-6);
    }
}

#[test]
fn normal_proportion_funnel_against_phe_test_data() {
    // testdata_funnel_prop_outputs.csv, baseline 80.642448 %: (population, lower 95 %, upper 95 %,
    // lower 99.8 %, upper 99.8 %), limits clamped to [0, 100].
    let rows = [
        (1.0, 3.204264, 100.0, 0.0, 100.0),
        (3.0, 35.933491, 100.0, 10.150815, 100.0),
        (18.0, 62.390093, 98.894803, 51.864359, 100.0),
        (50.0, 69.691035, 91.593861, 63.375595, 97.909301),
        (1008.0, 78.203374, 83.081521, 76.796814, 84.488082),
        (110000.0, 80.408963, 80.875933, 80.274317, 81.010578),
    ];
    for (n, lower95, upper95, lower998, upper998) in rows {
        let at_95 = funnel_proportion(80.642448, n, 100.0, FunnelMethod::Normal, Confidence::P95).unwrap();
        let at_998 = funnel_proportion(80.642448, n, 100.0, FunnelMethod::Normal, Confidence::P998).unwrap();
        for (actual, expected) in
            [(at_95.lower, lower95), (at_95.upper, upper95), (at_998.lower, lower998), (at_998.upper, upper998)]
        {
            assert!((actual - expected).abs() <= 1e-6, "n = {n}: {actual} vs {expected}");
        }
    }
}

#[test]
fn normal_event_funnel_is_the_wald_form() {
    // (λ ± z √λ) / E × 100 with λ = E: at E = 400, 100 ± 1.959964 × 100 / 20 (hand-worked).
    let limits = funnel_events(100.0, 400.0, 100.0, FunnelMethod::Normal, Confidence::P95).unwrap();
    close(limits.lower, 100.0 - 1.959963984540054 * 5.0, 1e-14);
    close(limits.upper, 100.0 + 1.959963984540054 * 5.0, 1e-14);
    // A rate per 100 000 around 950 at population 12 000: λ = 114 events.
    let rate = funnel_events(950.0, 12_000.0, 100_000.0, FunnelMethod::Normal, Confidence::P95).unwrap();
    close(rate.upper, (114.0 + 1.959963984540054 * 114f64.sqrt()) / 12_000.0 * 100_000.0, 1e-13);
    // The lower limit never goes below 0.
    assert_eq!(funnel_events(100.0, 1.0, 100.0, FunnelMethod::Normal, Confidence::P998).unwrap().lower, 0.0);
}

#[test]
fn funnels_narrow_as_the_denominator_grows() {
    let mut previous = f64::INFINITY;
    for n in [5.0, 20.0, 80.0, 320.0, 1280.0, 5120.0] {
        let limits = funnel_proportion(30.0, n, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
        assert!(limits.lower <= 30.0 && 30.0 <= limits.upper, "{n}: {limits:?}");
        let width = limits.upper - limits.lower;
        assert!(width < previous, "{n}: {width} ≥ {previous}");
        previous = width;
        let outer = funnel_proportion(30.0, n, 100.0, FunnelMethod::Exact, Confidence::P998).unwrap();
        assert!(outer.lower <= limits.lower && outer.upper >= limits.upper, "{n}");
    }
}

#[test]
fn degenerate_and_invalid_funnels() {
    let none = funnel_proportion(0.0, 50.0, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
    assert_eq!((none.lower, none.upper), (0.0, 0.0));
    let all = funnel_proportion(100.0, 50.0, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
    assert_eq!((all.lower, all.upper), (100.0, 100.0));
    let zero = funnel_events(0.0, 50.0, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
    assert_eq!((zero.lower, zero.upper), (0.0, 0.0));
    assert!(matches!(
        funnel_proportion(120.0, 50.0, 100.0, FunnelMethod::Exact, Confidence::P95),
        Err(StatsError::NumeratorAboveDenominator { .. })
    ));
    assert!(matches!(
        funnel_events(100.0, 0.0, 100.0, FunnelMethod::Exact, Confidence::P95),
        Err(StatsError::ZeroDenominator { .. })
    ));
    assert!(matches!(
        funnel_events(-1.0, 10.0, 100.0, FunnelMethod::Exact, Confidence::P95),
        Err(StatsError::Negative { .. })
    ));
    assert_eq!(FunnelMethod::default(), FunnelMethod::Exact);
}

#[test]
fn fractional_denominators_extend_the_binomial_continuously() {
    // Weighted denominators (census estimates such as 518.3) extend the binomial through the
    // incomplete beta function: the limits are continuous in n across whole numbers (a property
    // of the extension, not a reference value) and keep the reference value inside.
    let at = |n: f64| funnel_proportion(20.0, n, 100.0, FunnelMethod::Exact, Confidence::P95).unwrap();
    for n in [10.0, 57.0, 300.0] {
        let (whole, just_above) = (at(n), at(n + 1e-9));
        assert!((whole.lower - just_above.lower).abs() < 1e-5, "{n}: {whole:?} {just_above:?}");
        assert!((whole.upper - just_above.upper).abs() < 1e-5, "{n}: {whole:?} {just_above:?}");
        let half = at(n + 0.5);
        assert!(half.lower <= 20.0 && 20.0 <= half.upper, "{n}: {half:?}");
    }
    let tiny = at(0.4);
    assert!(tiny.lower >= 0.0 && tiny.upper <= 100.0, "{tiny:?}");
}
