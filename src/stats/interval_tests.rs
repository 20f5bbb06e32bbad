//! Intervals against independent references:
//! - statsmodels 0.15 `proportion_confint(x, n, alpha, method="wilson")` and
//!   `statsmodels.stats.rates.confint_poisson(o, 1, method="exact-c")`, scipy 1.17
//!   `chi2.ppf`: values printed by `scripts/stats_reference.py`;
//! - the worked examples of PHEindicatormethods' vignette « Introduction to PHEindicatormethods »
//!   (v1.0, 2018-04-26, `inst/doc/IntroductiontoPHEindicatormethods.html` of
//!   github.com/ukhsa-collaboration/PHEindicatormethods): `phe_proportion` (Wilson) and `phe_rate`
//!   (Byar's method, exact below 10 events) on eight published rows, values copied as printed.

#![allow(
    clippy::unreadable_literal,
    reason = "reference values are pasted as Python prints them, to compare at a glance"
)]
#![allow(clippy::float_cmp, reason = "limits that are exactly 0 or 1 by definition are compared exactly")]

use super::*;
use crate::stats::test_support::{close, close_interval};

/// The eight rows (observed, population) of the PHEindicatormethods vignette's data frame.
const PHE_ROWS: [(f64, f64); 8] = [
    (68.0, 174.0),
    (86.0, 189.0),
    (18.0, 179.0),
    (29.0, 107.0),
    (99.0, 102.0),
    (74.0, 102.0),
    (8.0, 155.0),
    (94.0, 114.0),
];

#[test]
fn confidence_levels() {
    close(Confidence::P95.z(), 1.959963984540054, 1e-14); // scipy.stats.norm.ppf(0.975)
    close(Confidence::P998.z(), 3.090232306167813, 1e-14); // scipy.stats.norm.ppf(0.999)
    assert_eq!(Confidence::default(), Confidence::P95);
    assert_eq!(Confidence::new(95.0).unwrap().level(), 0.95);
    assert_eq!(Confidence::new(99.8).unwrap(), Confidence::new(0.998).unwrap());
    for bad in [0.0, 1.0, 100.0, -0.5, f64::NAN, 150.0] {
        assert!(matches!(Confidence::new(bad), Err(StatsError::Confidence { .. })), "{bad}");
    }
}

#[test]
fn wilson_against_statsmodels() {
    // proportion_confint(x, n, alpha=1 - level, method="wilson")
    let cases = [
        (1.0, 3.0, 0.95, (0.06149194472039621, 0.7923403991979522)),
        (1.0, 3.0, 0.998, (0.029827928198891462, 0.8904878489405558)),
        (7.0, 1000.0, 0.95, (0.0033948684009907646, 0.014378315465766588)),
        (7.0, 1000.0, 0.998, (0.0023093450094028092, 0.021017430818008765)),
        (500.0, 1000.0, 0.95, (0.4690696003681042, 0.5309303996318958)),
        (500.0, 1000.0, 0.998, (0.4513707786071091, 0.5486292213928909)),
        (123_456.0, 10_000_000.0, 0.95, (0.012277347608366315, 0.01241422705234903)),
        (123_456.0, 10_000_000.0, 0.998, (0.012238157705668601, 0.012453973668062985)),
    ];
    for (x, n, level, expected) in cases {
        close_interval(wilson(x, n, Confidence::new(level).unwrap()).unwrap(), expected, 1e-12);
    }
}

#[test]
fn wilson_at_p_zero_and_p_one() {
    // statsmodels: (0, 50) → (6.9e-18, 0.07134759913335872) at 95 %, (0.0, 0.160362891042788) at
    // 99.8 %; (50, 50) → (0.9286524008666414, 1.0), (0.839637108957212, 1.0). The 6.9e-18 is
    // statsmodels' rounding error: the limit is 0.
    let none = wilson(0.0, 50.0, Confidence::P95).unwrap();
    assert_eq!(none.lower, 0.0);
    close(none.upper, 0.07134759913335872, 1e-12);
    let none = wilson(0.0, 50.0, Confidence::P998).unwrap();
    assert_eq!(none.lower, 0.0);
    close(none.upper, 0.160362891042788, 1e-12);
    let all = wilson(50.0, 50.0, Confidence::P95).unwrap();
    close(all.lower, 0.9286524008666414, 1e-12);
    assert_eq!(all.upper, 1.0);
    let all = wilson(50.0, 50.0, Confidence::P998).unwrap();
    close(all.lower, 0.839637108957212, 1e-12);
    assert_eq!(all.upper, 1.0);
}

#[test]
fn wilson_against_the_phe_proportion_vignette() {
    // phe_proportion(df, obs, pop) and phe_proportion(df, obs, pop, confidence = 99.8), as printed.
    let at_95 = [
        (0.32141284, 0.46491370),
        (0.38563304, 0.52621164),
        (0.06455836, 0.15334331),
        (0.19583556, 0.36209159),
        (0.91706943, 0.98994755),
        (0.63189437, 0.80271793),
        (0.02638210, 0.09853151),
        (0.74449994, 0.88346241),
    ];
    let at_998 = [
        (0.28504658, 0.5079248),
        (0.34795803, 0.5664210),
        (0.05014823, 0.1914304),
        (0.16118061, 0.4183973),
        (0.86653064, 0.9940736),
        (0.57419464, 0.8381782),
        (0.01832319, 0.1369464),
        (0.69079867, 0.9081514),
    ];
    for (((x, n), expected_95), expected_998) in PHE_ROWS.into_iter().zip(at_95).zip(at_998) {
        close_interval(wilson(x, n, Confidence::P95).unwrap(), expected_95, 1e-6);
        close_interval(wilson(x, n, Confidence::P998).unwrap(), expected_998, 1e-6);
    }
    // phe_proportion(df, obs, pop, percentage = TRUE): 39.08046 (32.141284, 46.491370).
    let percent = proportion(68.0, 174.0, 100.0, Confidence::P95).unwrap();
    close(percent.value, 39.08046, 1e-6);
    close_interval(percent.interval, (32.141284, 46.491370), 1e-6);
}

#[test]
fn wilson_refuses_impossible_proportions() {
    assert!(matches!(wilson(5.0, 4.0, Confidence::P95), Err(StatsError::NumeratorAboveDenominator { .. })));
    assert!(matches!(wilson(0.0, 0.0, Confidence::P95), Err(StatsError::ZeroDenominator { .. })));
    assert!(matches!(wilson(-1.0, 4.0, Confidence::P95), Err(StatsError::Negative { .. })));
    assert!(matches!(wilson(f64::NAN, 4.0, Confidence::P95), Err(StatsError::Negative { .. })));
    assert!(matches!(wilson(1.0, f64::INFINITY, Confidence::P95), Err(StatsError::Negative { .. })));
    let message = wilson(5.0, 4.0, Confidence::P95).unwrap_err().to_string();
    assert!(message.contains("numérateur (5) supérieur au dénominateur (4)"), "{message}");
}

#[test]
fn exact_poisson_against_scipy_and_statsmodels() {
    // scipy: (chi2.ppf(α/2, 2O) / 2, chi2.ppf(1 − α/2, 2O + 2) / 2); statsmodels confint_poisson
    // (method="exact-c") gives the same digits. O = 0 has lower limit 0 and upper −ln(α/2).
    let cases = [
        (0.0, 0.95, (0.0, 3.6888794541139354)),
        (0.0, 0.998, (0.0, 6.907755278982137)),
        (1.0, 0.95, (0.025317807984289897, 5.571643390938898)),
        (1.0, 0.998, (0.0010005003335835346, 9.233413476451585)),
        (3.0, 0.95, (0.6186721228956015, 8.767273069742323)),
        (3.0, 0.998, (0.19053337756840327, 13.06224077918807)),
        (9.0, 0.95, (4.115373097378334, 17.084803451419166)),
        (9.0, 0.998, (2.452424404363775, 22.65737330906293)),
        (10.0, 0.95, (4.7953886961324335, 18.39035604201778)),
        (68.0, 0.95, (52.80466075262247, 86.20620315602955)),
        (1000.0, 0.998, (905.1207909349766, 1101.6269438790305)),
        (2_500_000.0, 0.95, (2496901.9721001484, 2503100.9228254724)),
        (2_500_000.0, 0.998, (2495116.7634133985, 2504889.937253969)),
    ];
    for (o, level, expected) in cases {
        let ci = exact_poisson(o, Confidence::new(level).unwrap()).unwrap();
        if o == 0.0 {
            assert_eq!(ci.lower, 0.0);
        }
        close_interval(ci, expected, 1e-11);
    }
}

#[test]
fn byar_against_the_published_formula() {
    // Byar's formula evaluated by numpy with z = scipy.stats.norm.ppf(1 − α/2).
    let cases = [
        (0.0, 0.95, (0.0, 3.6680118321737507)),
        (0.0, 0.998, (0.0, 7.066462526829025)),
        (1.0, 0.95, (0.013072132901504331, 5.5637555824752605)),
        (3.0, 0.95, (0.6029725709702296, 8.765364396746339)),
        (3.0, 0.998, (0.14980992946918015, 13.15895821412283)),
        (9.0, 0.95, (4.106885024013133, 17.085780688536683)),
        (10.0, 0.998, (2.916318374695686, 24.19372492788055)),
        (68.0, 0.95, (52.80228639647028, 86.20748986140214)),
        (1000.0, 0.95, (938.9724987154902, 1063.9525812714862)),
        (2_500_000.0, 0.998, (2495116.7632949073, 2504889.937372527)),
    ];
    for (o, level, expected) in cases {
        close_interval(byar(o, Confidence::new(level).unwrap()).unwrap(), expected, 1e-13);
    }
    // One event at 99.8 %: the formula's lower limit is −0.0028; a count's limit is clamped at 0.
    let one = byar(1.0, Confidence::P998).unwrap();
    assert_eq!(one.lower, 0.0);
    close(one.upper, 9.362180217908362, 1e-13);
}

#[test]
fn byar_is_close_to_exact_from_ten_events() {
    // PHE's Technical Guide: at 95 %, Byar's limits are within 0.2 % of the exact ones for 10
    // events or more; below, not.
    for o in [10.0, 11.0, 25.0, 100.0, 5_000.0] {
        let (b, e) = (byar(o, Confidence::P95).unwrap(), exact_poisson(o, Confidence::P95).unwrap());
        assert!((b.lower / e.lower - 1.0).abs() < 0.002 && (b.upper / e.upper - 1.0).abs() < 0.002, "{o}");
    }
    let (b, e) = (byar(1.0, Confidence::P95).unwrap(), exact_poisson(1.0, Confidence::P95).unwrap());
    assert!((b.lower / e.lower - 1.0).abs() > 0.2);
}

#[test]
fn rates_against_the_phe_rate_vignette() {
    // phe_rate(df, obs, pop): per 100 000, Byar's method except row 7 (8 events: exact).
    let at_95 = [
        (30346.142, 49544.53),
        (36395.152, 56196.03),
        (5956.701, 15893.43),
        (18147.416, 38925.56),
        (78882.763, 118166.76),
        (56964.372, 91079.88),
        (2228.279, 10169.80),
        (66631.239, 100906.46),
    ];
    // phe_rate(df, obs, pop, confidence = 99.8, multiplier = 100): per 100.
    let at_998 = [
        (26.042038, 56.07105),
        (31.822578, 62.81142),
        (4.259916, 19.77478),
        (14.132552, 46.57906),
        (69.665053, 131.16634),
        (49.230487, 102.60273),
        (1.271493, 13.64916),
        (58.634753, 112.28780),
    ];
    for (((o, n), expected_95), expected_998) in PHE_ROWS.into_iter().zip(at_95).zip(at_998) {
        let method = if o < 10.0 { PoissonMethod::Exact } else { PoissonMethod::Byar };
        let per_100k = rate(o, n, 100_000.0, method, Confidence::P95).unwrap();
        close(per_100k.value, o / n * 100_000.0, 1e-15);
        close_interval(per_100k.interval, expected_95, 1e-6);
        let per_100 = rate(o, n, 100.0, method, Confidence::P998).unwrap();
        close_interval(per_100.interval, expected_998, 1e-6);
    }
    assert!(matches!(
        rate(3.0, 0.0, 1000.0, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::ZeroDenominator { .. })
    ));
}

#[test]
fn counts_and_methods() {
    let c = count(68.0, PoissonMethod::Exact, Confidence::P95).unwrap();
    assert_eq!(c.value, 68.0);
    assert_eq!(c.interval, exact_poisson(68.0, Confidence::P95).unwrap());
    assert_eq!(
        poisson_limits(68.0, PoissonMethod::Byar, Confidence::P95).unwrap(),
        byar(68.0, Confidence::P95).unwrap()
    );
    assert_eq!(PoissonMethod::default(), PoissonMethod::Byar);
    assert!(matches!(byar(-2.0, Confidence::P95), Err(StatsError::Negative { .. })));
    assert!(matches!(exact_poisson(f64::NAN, Confidence::P95), Err(StatsError::Negative { .. })));
}
