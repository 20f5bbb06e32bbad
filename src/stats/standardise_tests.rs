//! Standardisation against independent references:
//! - the worked example of PHEindicatormethods' DSR vignette (« Zero deaths for a specific age
//!   band within a small geography », `inst/doc/DSR-vignette.html` of
//!   github.com/ukhsa-collaboration/PHEindicatormethods, 2018-04-25): 19 bands, the 2013 European
//!   standard population, published `phe_dsr` result 8283.016 (6570.819, 10289.65) per 100 000;
//! - the same formulas evaluated by numpy with scipy's quantiles (`scripts/stats_reference.py`,
//!   sections "direct standardisation" and "indirect standardisation") for the other levels,
//!   methods and cases.

#![allow(
    clippy::unreadable_literal,
    reason = "reference values are pasted as Python prints them, to compare at a glance"
)]
#![allow(clippy::float_cmp, reason = "limits that are exactly 0 or 1 by definition are compared exactly")]

use super::*;
use crate::stats::test_support::close;

/// 2013 European Standard Population, 19 bands 0-4 … 90+ (Eurostat 2013), as PHEindicatormethods'
/// `esp2013`.
const ESP2013: [f64; 19] = [
    5000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0, 7000.0, 6500.0, 6000.0, 5500.0,
    5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
];

/// `pops2` and `deaths2` of the DSR vignette, with the missing bands' deaths set to 0 (`df3`).
const VIGNETTE_POPULATION: [f64; 19] =
    [30.0, 35.0, 35.0, 35.0, 40.0, 40.0, 45.0, 50.0, 50.0, 50.0, 60.0, 60.0, 70.0, 75.0, 70.0, 60.0, 20.0, 20.0, 15.0];
const VIGNETTE_DEATHS: [f64; 19] =
    [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 10.0, 10.0, 10.0, 10.0, 8.0, 8.0, 8.0, 8.0];

#[test]
fn dsr_against_the_phe_dsr_vignette() {
    // phe_dsr(df3, dths, pop) → value 8283.016, lowercl 6570.819, uppercl 10289.65 (Byar's limits).
    let dsr = direct(&VIGNETTE_DEATHS, &VIGNETTE_POPULATION, &ESP2013, 100_000.0, PoissonMethod::Byar, Confidence::P95)
        .unwrap();
    close(dsr.rate, 8283.016, 1e-7);
    let interval = dsr.interval.unwrap();
    close(interval.lower, 6570.819, 1e-7);
    close(interval.upper, 10289.65, 1e-6);
    assert_eq!(dsr.observed, 88.0);
    assert!(dsr.empty_bands.is_empty());
}

#[test]
fn dsr_against_the_formula_in_numpy() {
    // Same data: exact limits at 95 %, Byar's at 99.8 % (numpy, scipy chi2.ppf / norm.ppf).
    let exact =
        direct(&VIGNETTE_DEATHS, &VIGNETTE_POPULATION, &ESP2013, 100_000.0, PoissonMethod::Exact, Confidence::P95)
            .unwrap();
    close(exact.rate, 8283.015873015873, 1e-13);
    let interval = exact.interval.unwrap();
    close(interval.lower, 6571.018708007269, 1e-11);
    close(interval.upper, 10289.530511849965, 1e-11);
    let wide =
        direct(&VIGNETTE_DEATHS, &VIGNETTE_POPULATION, &ESP2013, 100_000.0, PoissonMethod::Byar, Confidence::P998)
            .unwrap();
    let interval = wide.interval.unwrap();
    close(interval.lower, 5709.72192610624, 1e-12);
    close(interval.upper, 11530.098867867348, 1e-12);
}

#[test]
fn dsr_band_without_population_counts_as_zero_and_is_reported() {
    // The 90+ band emptied (no one, no death): numpy with the convention 0/0 = 0 and the weight
    // kept gives 7749.682539682538 (6078.276173206645, 9723.852894226113).
    let mut population = VIGNETTE_POPULATION;
    let mut deaths = VIGNETTE_DEATHS;
    population[18] = 0.0;
    deaths[18] = 0.0;
    let dsr = direct(&deaths, &population, &ESP2013, 100_000.0, PoissonMethod::Byar, Confidence::P95).unwrap();
    close(dsr.rate, 7749.682539682538, 1e-13);
    let interval = dsr.interval.unwrap();
    close(interval.lower, 6078.276173206645, 1e-12);
    close(interval.upper, 9723.852894226113, 1e-12);
    assert_eq!(dsr.empty_bands, vec![18]);
    // Deaths without population contradict themselves.
    deaths[18] = 2.0;
    let error = direct(&deaths, &population, &ESP2013, 100_000.0, PoissonMethod::Byar, Confidence::P95).unwrap_err();
    assert_eq!(error, StatsError::EventsWithoutPopulation { band: 19, events: 2.0 });
    assert!(error.to_string().contains("tranche d'âge 19"), "{error}");
}

#[test]
fn dsr_without_events_has_no_interval() {
    let dsr =
        direct(&[0.0; 19], &VIGNETTE_POPULATION, &ESP2013, 100_000.0, PoissonMethod::Byar, Confidence::P95).unwrap();
    assert_eq!(dsr.rate, 0.0);
    assert_eq!(dsr.interval, None);
    assert_eq!(dsr.observed, 0.0);
}

#[test]
fn dsr_refuses_mismatched_or_invalid_series() {
    let short = &ESP2013[..18];
    assert_eq!(
        direct(&VIGNETTE_DEATHS, &VIGNETTE_POPULATION, short, 1e5, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::BandCount { what: "population standard".to_owned(), expected: 19, found: 18 })
    );
    assert_eq!(direct(&[], &[], &[], 1e5, PoissonMethod::Byar, Confidence::P95), Err(StatsError::NoBands));
    let mut negative = VIGNETTE_DEATHS;
    negative[3] = -1.0;
    assert!(matches!(
        direct(&negative, &VIGNETTE_POPULATION, &ESP2013, 1e5, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::Negative { .. })
    ));
    assert!(matches!(
        direct(&VIGNETTE_DEATHS, &VIGNETTE_POPULATION, &[0.0; 19], 1e5, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::ZeroDenominator { .. })
    ));
}

/// Reference events and population by band, and a territory's population by band, of the
/// "indirect standardisation" section of `scripts/stats_reference.py`.
const REFERENCE_EVENTS: [f64; 5] = [120.0, 40.0, 300.0, 2500.0, 9000.0];
const REFERENCE_POPULATION: [f64; 5] = [1e6, 1.2e6, 1.5e6, 9e5, 3e5];
const TERRITORY_POPULATION: [f64; 5] = [5200.0, 6100.0, 7400.0, 3900.0, 1450.0];

#[test]
fn icm_against_the_formula_in_numpy() {
    // (O, level, exact limits, Byar's limits), E = Σ pop × ref events / ref pop = 56.64066666666667.
    let cases = [
        (7.0, 0.95, (4.968802835747932, 25.46346328615902), (4.951267084441802, 25.464499994007348)),
        (7.0, 0.998, (2.684177905860588, 34.65032908402249), (2.600579276595403, 34.77370518985845)),
        (76.0, 0.95, (105.71795743303443, 167.9452918927477), (105.71403694833533, 167.9474923565569)),
        (76.0, 0.998, (91.59336928189386, 188.88651230715874), (91.55789063386527, 188.9256799833637)),
        (61.0, 0.95, (82.37926794820424, 138.34062437148117), (82.37479089768476, 138.34296344873894)),
        (61.0, 0.998, (70.05439349230913, 157.4913128264844), (70.01519338365715, 157.53508741910028)),
    ];
    let reference = ReferenceRates::from_counts(&REFERENCE_EVENTS, &REFERENCE_POPULATION).unwrap();
    close(expected_events(&TERRITORY_POPULATION, &reference).unwrap(), 56.64066666666667, 1e-14);
    for (o, level, exact, byar) in cases {
        let confidence = Confidence::new(level).unwrap();
        let icm = indirect(o, &TERRITORY_POPULATION, &reference, PoissonMethod::Exact, confidence).unwrap();
        close(icm.index, 100.0 * o / 56.64066666666667, 1e-13);
        close(icm.interval.lower, exact.0, 1e-11);
        close(icm.interval.upper, exact.1, 1e-11);
        let icm = indirect(o, &TERRITORY_POPULATION, &reference, PoissonMethod::Byar, confidence).unwrap();
        close(icm.interval.lower, byar.0, 1e-12);
        close(icm.interval.upper, byar.1, 1e-12);
        assert_eq!(icm.observed, o);
    }
}

#[test]
fn reference_rates_given_as_rates_or_as_counts_agree() {
    let from_counts = ReferenceRates::from_counts(&REFERENCE_EVENTS, &REFERENCE_POPULATION).unwrap();
    let per_100k: Vec<f64> = REFERENCE_EVENTS.iter().zip(REFERENCE_POPULATION).map(|(d, n)| d / n * 1e5).collect();
    let from_rates = ReferenceRates::from_rates(&per_100k, 100_000.0).unwrap();
    for (a, b) in from_counts.rates().iter().zip(from_rates.rates()) {
        close(*a, *b, 1e-15);
    }
    assert_eq!(
        ReferenceRates::from_counts(&[1.0, 2.0], &[10.0, 0.0]),
        Err(StatsError::ReferenceWithoutPopulation { band: 2 })
    );
    assert_eq!(ReferenceRates::from_rates(&[], 1.0), Err(StatsError::NoBands));
    assert!(matches!(ReferenceRates::from_counts(&[1.0], &[10.0, 20.0]), Err(StatsError::BandCount { .. })));
}

#[test]
fn expected_events_add_up_over_members() {
    // The store sums counts by band over a zone's members, then standardises once: expected
    // events are additive, so the zone's E is the sum of its members' E, and its ICM is the
    // ratio of the sums — not the mean of the members' ICMs.
    let reference = ReferenceRates::from_counts(&REFERENCE_EVENTS, &REFERENCE_POPULATION).unwrap();
    let a = [5200.0, 6100.0, 7400.0, 3900.0, 1450.0];
    let b = [120.0, 90.0, 210.0, 160.0, 95.0];
    let union: Vec<f64> = a.iter().zip(b).map(|(x, y)| x + y).collect();
    let (ea, eb) = (expected_events(&a, &reference).unwrap(), expected_events(&b, &reference).unwrap());
    close(expected_events(&union, &reference).unwrap(), ea + eb, 1e-14);
    let zone = indirect(80.0, &union, &reference, PoissonMethod::Byar, Confidence::P95).unwrap();
    close(zone.index, 100.0 * 80.0 / (ea + eb), 1e-14);
}

#[test]
fn icm_refuses_a_territory_without_expected_events() {
    let reference = ReferenceRates::from_counts(&REFERENCE_EVENTS, &REFERENCE_POPULATION).unwrap();
    assert!(matches!(
        indirect(3.0, &[0.0; 5], &reference, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::ZeroDenominator { .. })
    ));
    assert!(matches!(
        indirect(3.0, &[1.0; 4], &reference, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::BandCount { .. })
    ));
    assert!(matches!(
        indirect(-3.0, &TERRITORY_POPULATION, &reference, PoissonMethod::Byar, Confidence::P95),
        Err(StatsError::Negative { .. })
    ));
}
