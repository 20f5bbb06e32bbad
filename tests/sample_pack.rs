//! The bundled sample pack against published and independently computed figures.

#![allow(clippy::float_cmp, reason = "population counts are integers held in f64: they compare exactly")]
#![allow(clippy::needless_pass_by_value, reason = "levels are passed by value for readable calls")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::fmt::Write as _;

use indicarto::code::{IndicatorId, Level, TerritoryCode};
use indicarto::diagnostics::Warning;
use indicarto::value::Value;

fn value(indicator: &str, level: Level, code: &str, year: i32) -> Value {
    common::sample().store.value(&IndicatorId::new(indicator), &level, &TerritoryCode::new(code), year)
}

fn number(indicator: &str, level: Level, code: &str, year: i32) -> f64 {
    match value(indicator, level.clone(), code, year) {
        Value::Available(v) => v,
        other => panic!("{indicator} {level:?} {code} {year}: {other:?}"),
    }
}

#[test]
fn sample_loads_every_level() {
    let pack = common::sample();
    let count = |level| pack.territories.level(&level).map_or(0, |l| l.territories.len());
    assert_eq!(count(Level::Commune), 3782);
    assert_eq!(count(Level::Epci), 92);
    assert_eq!(count(Level::Departement), 101);
    assert_eq!(count(Level::Region), 18);
    assert_eq!(count(Level::France), 1);
}

/// Regional total 2023 published with the data (Insee PL2023, shared data README): 5,992,194.
#[test]
fn hdf_population_2023_agrees_whether_summed_from_communes_epci_or_departements() {
    const HDF_2023: f64 = 5_992_194.0;
    let pack = common::sample();
    assert_eq!(number("pmun", Level::Region, "32", 2023), HDF_2023);
    let sum_level = |level: Level| -> f64 {
        let layer = pack.territories.level(&level).unwrap();
        layer
            .territories
            .values()
            .filter(|t| level == Level::Epci || t.parents.get(&Level::Region).map(TerritoryCode::as_str) == Some("32"))
            .map(|t| number("pmun", level.clone(), t.code.as_str(), 2023))
            .sum()
    };
    assert_eq!(sum_level(Level::Commune), HDF_2023);
    assert_eq!(sum_level(Level::Epci), HDF_2023);
    assert_eq!(sum_level(Level::Departement), HDF_2023);
}

/// Nord, from the shared data README and the Insee series: 2,615,635 (2023) and 2,606,234 (2018).
/// 2018 is not in the département file: it is summed from the communes.
#[test]
fn nord_population() {
    assert_eq!(number("pmun", Level::Departement, "59", 2023), 2_615_635.0);
    assert_eq!(number("pmun", Level::Departement, "59", 2018), 2_606_234.0);
    let obs = common::sample().store.observation(
        &IndicatorId::new("pmun"),
        &Level::Departement,
        &TerritoryCode::new("59"),
        2018,
    );
    assert!(obs.computed);
}

/// Regional totals from the shared data README (2018 = 6,004,108): 60694 did not exist before 2021,
/// its population then counted in 60054, so the sum skips its empty cell.
#[test]
fn commune_60694_has_no_value_before_2021_and_totals_stay_right() {
    for year in 2018..=2020 {
        assert_eq!(value("pmun", Level::Commune, "60694", year), Value::Missing, "{year}");
    }
    assert!(matches!(value("pmun", Level::Commune, "60694", 2021), Value::Available(_)));
    assert_eq!(number("pmun", Level::Region, "32", 2018), 6_004_108.0);
    let obs = common::sample().store.observation(
        &IndicatorId::new("pmun"),
        &Level::Departement,
        &TerritoryCode::new("60"),
        2018,
    );
    assert_eq!(obs.missing_members, 1);
}

/// France is summed from the régions, themselves from the 101 départements with geometry; the six
/// collectivités d'outre-mer rows of the file have no territory and are reported. Reference: the same
/// file summed with Python (`sum(pmun_2023 for dep not in {975,977,978,986,987,988})`).
#[test]
fn france_is_summed_from_departements_and_com_rows_are_reported() {
    assert_eq!(number("pmun", Level::France, "FR", 2023), 68_350_798.0);
    assert_eq!(value("pmun", Level::France, "FR", 2018), Value::Missing, "2018 exists only for the region");
    let warned = common::sample().warnings.iter().any(|w| match w {
        Warning::UnknownCodes { level: Level::Departement, codes, .. } => {
            codes.iter().map(TerritoryCode::as_str).collect::<Vec<_>>() == ["975", "977", "978", "986", "987", "988"]
        }
        _ => false,
    });
    assert!(warned, "{:#?}", common::sample().warnings);
}

/// The shared README names the two EPCI that reach into Seine-Maritime: 200069722 and 247600588.
#[test]
fn inter_regional_epci_are_reported_not_silently_wrong() {
    let pack = common::sample();
    let mut partial: Vec<&str> = pack
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::PartialCoverage { level: Level::Epci, code, .. } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    partial.sort_unstable();
    assert_eq!(partial, ["200069722", "247600588"]);
    let obs = pack.store.observation(&IndicatorId::new("pmun"), &Level::Epci, &TerritoryCode::new("200069722"), 2023);
    assert!(obs.partial && matches!(obs.value, Value::Available(_)));
    let whole = pack.store.observation(&IndicatorId::new("pmun"), &Level::Epci, &TerritoryCode::new("200067064"), 2023);
    assert!(!whole.partial);
}

/// Computed indicators against the data preparer's own columns (`hdf_departements_population.csv`:
/// `dens_2023`, `evol_pmun_2018_2023_pct`) and the regional totals of the shared README.
#[test]
fn computed_indicators_match_independent_figures() {
    for (dep, density, evolution) in
        [("02", 70.5, -1.87), ("59", 453.0, 0.36), ("60", 140.8, 0.33), ("62", 217.1, -0.6), ("80", 91.1, -0.92)]
    {
        let d = number("densite", Level::Departement, dep, 2023);
        assert!((d - density).abs() < 0.06, "{dep}: {d}");
        let e = number("evol_pmun", Level::Departement, dep, 2023);
        assert!((e - evolution).abs() < 0.006, "{dep}: {e}");
    }
    let region = number("evol_pmun", Level::Region, "32", 2023);
    let expected = (5_992_194.0 - 6_004_108.0) / 6_004_108.0 * 100.0;
    assert!((region - expected).abs() < 1e-9, "{region} vs {expected}");
}

/// Rates and weighted means over the communes, against Python on the elected-officials file:
/// 25,893 women of 54,085 councillors (47.8746 %), mean age weighted by councillors 52.4561.
#[test]
fn rates_and_weighted_means_aggregate_from_numerators() {
    let share = number("part_femmes", Level::Region, "32", 2026);
    assert!((share - 47.874_641_767_588).abs() < 1e-6, "{share}");
    let age = number("age_moyen", Level::Region, "32", 2026);
    assert!((age - 52.456_141_259_129).abs() < 1e-6, "{age}");
    assert_eq!(number("nb_conseillers", Level::Region, "32", 2026), 54_085.0);
}

#[test]
fn search_finds_by_name_and_code_ignoring_accents() {
    let pack = common::sample();
    let hits: Vec<(String, Level)> =
        pack.territories.search("amien").iter().map(|t| (t.name.clone(), t.level.clone())).collect();
    assert!(hits.contains(&("Amiens".to_owned(), Level::Commune)), "{hits:?}");
    assert!(hits.iter().any(|(n, l)| n.contains("Amiens Métropole") && *l == Level::Epci), "{hits:?}");
    let by_code = pack.territories.search("02691");
    assert_eq!(by_code[0].code.as_str(), "02691");
}

/// A "territoire démonstrateur" made of the six EPCI of Sambre-Avesnois-Thiérache, as a custom zoning
/// listing its communes. Reference: the data preparer's EPCI sums (`hdf_epci_population.csv`),
/// 223,427 inhabitants in 2023 over 232 communes.
#[test]
fn custom_zoning_aggregates_from_its_communes() {
    const EPCI: [&str; 6] = ["200043263", "200043396", "200043404", "200071983", "240200444", "240200634"];
    let (_dir, pack_dir) = common::sample_copy();
    let communes = common::sample().territories.level(&Level::Commune).unwrap();
    let mut csv = String::from("code;zone;nom_zone\n");
    for commune in communes.territories.values() {
        if commune.parents.get(&Level::Epci).is_some_and(|e| EPCI.contains(&e.as_str())) {
            writeln!(csv, "{};SAT;Sambre-Avesnois-Thiérache", commune.code).unwrap();
        }
    }
    std::fs::write(pack_dir.join("data/demonstrateurs.csv"), csv).unwrap();
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap();
    let manifest = manifest.replacen(
        "# --- Indicateurs lus",
        "[[zonings]]\nname = \"demonstrateurs\"\nfile = \"data/demonstrateurs.csv\"\n\n# --- Indicateurs lus",
        1,
    );
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let pack = indicarto::pack::Pack::open(&pack_dir).unwrap();
    let level = pack.parse_level("Démonstrateurs").unwrap();
    assert_eq!(level, Level::Custom("demonstrateurs".into()));
    let sat = TerritoryCode::new("SAT");
    assert_eq!(pack.territories.members(&level, &sat, &Level::Commune).len(), 232);
    assert_eq!(pack.store.value(&IndicatorId::new("pmun"), &level, &sat, 2023), Value::Available(223_427.0));
    assert!(!pack.territories.level(&level).unwrap().geometry[&sat].0.is_empty());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .args(["values", "--pack"])
        .arg(&pack_dir)
        .args(["--indicator", "densite", "--level", "demonstrateurs", "--year", "2023"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success() && stdout.contains("SAT;Sambre-Avesnois-Thiérache;demonstrateurs;densite;2023;"),
        "{stdout}"
    );
}
