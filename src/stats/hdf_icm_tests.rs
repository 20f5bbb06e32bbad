//! Worked check on real data: the comparative mortality indices (ICM) 2023 of the five
//! départements of Hauts-de-France and of the région, as published in the README of
//! `../shared/data/health/mortalite/` (section « Quick plausibility of the whole set »: Aisne
//! 120.4, Nord 117.4, Oise 111.2, Pas-de-Calais 125.2, Somme 115.1, région 118.6), recomputed with
//! [`indirect`] from the same files: the départements' population by sex × 5-year age band (RP
//! 2023), metropolitan France's derived 2023 death rates by sex × band, and the deaths of 2023 by
//! commune of residence summed by département. The test skips, with a message, when the shared
//! data folder is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Confidence, PoissonMethod, ReferenceRates, Significance, indirect};

fn mortality_file(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/health/mortalite").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping: ../shared/data/health/mortalite/{name} not found (real-data test)");
        None
    }
}

/// Rows of a comma-separated file with a header (these files hold no quoted field), as maps from
/// column name to text.
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    lines
        .filter(|line| !line.is_empty())
        .map(|line| header.iter().cloned().zip(line.split(',').map(str::to_owned)).collect())
        .collect()
}

type Stratum = (String, String);

#[test]
fn icm_2023_of_the_hauts_de_france_departements_as_published() {
    let (Some(reference_file), Some(population_file), Some(deaths_file)) = (
        mortality_file("france_reference_mortality_sex_age5_2008_2025_derived.csv"),
        mortality_file("population_dep_hdf_sex_age5_rp2023.csv"),
        mortality_file("deaths_commune_hdf_2008_2025.csv"),
    ) else {
        return;
    };

    // Reference: metropolitan France, 2023, rates per 100 000 by (sex, age band on 1 January).
    let mut reference_rates: BTreeMap<Stratum, f64> = BTreeMap::new();
    for row in rows(&reference_file) {
        if row["geo"] == "metropolitan france" && row["year"] == "2023" {
            let stratum = (row["sex"].clone(), row["age_band_jan1"].clone());
            reference_rates.insert(stratum, row["rate_per_100000_jan1_pop"].parse().unwrap());
        }
    }
    assert_eq!(reference_rates.len(), 40, "2 sexes × 20 age bands");
    let strata: Vec<Stratum> = reference_rates.keys().cloned().collect();
    let rates: Vec<f64> = reference_rates.values().copied().collect();
    let reference = ReferenceRates::from_rates(&rates, 100_000.0).unwrap();

    // Population by département, in the reference's stratum order.
    let mut population: BTreeMap<String, BTreeMap<Stratum, f64>> = BTreeMap::new();
    for row in rows(&population_file) {
        let stratum = (row["sex"].clone(), row["age_band"].clone());
        population.entry(row["dep"].clone()).or_default().insert(stratum, row["population"].parse().unwrap());
    }
    let by_band = |cells: &BTreeMap<Stratum, f64>| -> Vec<f64> { strata.iter().map(|s| cells[s]).collect() };

    // Observed deaths of 2023: the total of the communes' deaths (all ages), by département. One
    // commune has no published count that year (README, file 1): it is left out, as in the README.
    let mut deaths: BTreeMap<String, f64> = BTreeMap::new();
    for row in rows(&deaths_file) {
        if row["year"] == "2023" && !row["deaths"].is_empty() {
            *deaths.entry(row["dep"].clone()).or_default() += row["deaths"].parse::<f64>().unwrap();
        }
    }

    let published = [("02", 120.4), ("59", 117.4), ("60", 111.2), ("62", 125.2), ("80", 115.1)];
    let mut region_population = vec![0.0; strata.len()];
    for (dep, icm_published) in published {
        let pop = by_band(&population[dep]);
        for (total, p) in region_population.iter_mut().zip(&pop) {
            *total += p;
        }
        for method in [PoissonMethod::Byar, PoissonMethod::Exact] {
            let icm = indirect(deaths[dep], &pop, &reference, method, Confidence::P95).unwrap();
            assert!((icm.index - icm_published).abs() <= 0.3, "{dep}: ICM {} vs {icm_published} published", icm.index);
            // Thousands of deaths: an interval of a few points, entirely above 100.
            assert!(icm.interval.contains(icm.index) && icm.interval.upper - icm.interval.lower < 10.0, "{dep}");
            assert_eq!(Significance::of(icm.interval, 100.0), Some(Significance::Higher), "{dep}");
            eprintln!(
                "{dep} {method:?}: O = {}, E = {:.1}, ICM = {:.2} [{:.2} ; {:.2}]",
                icm.observed, icm.expected, icm.index, icm.interval.lower, icm.interval.upper
            );
        }
    }
    let region_deaths: f64 = deaths.values().sum();
    let region = indirect(region_deaths, &region_population, &reference, PoissonMethod::Byar, Confidence::P95).unwrap();
    assert!((region.index - 118.6).abs() <= 0.3, "région: ICM {} vs 118.6 published", region.index);
    eprintln!(
        "Hauts-de-France 2023: O = {region_deaths}, E = {:.1}, ICM = {:.2} [{:.2} ; {:.2}]",
        region.expected, region.index, region.interval.lower, region.interval.upper
    );
}
