//! The health and social indicators of the bundled sample against the figures their producers
//! publish (Insee, DREES) or figures worked out by hand from published ones. Each reference value
//! names its source; none is computed by the code under test. Checks that need the raw tables of
//! `../shared/data` (from which `scripts/prepare_sample.py` made the bundled files) skip with a
//! message when that folder is absent.

#![allow(clippy::float_cmp, reason = "counts are integers held in f64: they compare exactly")]
#![allow(clippy::needless_pass_by_value, reason = "levels are passed by value for readable calls")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use indicarto::code::{IndicatorId, Level, TerritoryCode};
use indicarto::diagnostics::Warning;
use indicarto::pack::Pack;
use indicarto::value::Value;

const HDF_DEPARTEMENTS: [&str; 5] = ["02", "59", "60", "62", "80"];
/// The 5-year bands of the pyramid and of the reference rates, as written in the indicator ids.
const BANDS: [&str; 20] = [
    "00_04", "05_09", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54", "55_59",
    "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95_plus",
];

fn pack() -> &'static Pack {
    common::sample()
}

fn value(indicator: &str, level: Level, code: &str, year: i32) -> Value {
    pack().store.value(&IndicatorId::new(indicator), &level, &TerritoryCode::new(code), year)
}

fn number(indicator: &str, level: Level, code: &str, year: i32) -> f64 {
    match value(indicator, level.clone(), code, year) {
        Value::Available(v) => v,
        other => panic!("{indicator} {level:?} {code} {year}: {other:?}"),
    }
}

fn computed(indicator: &str, level: Level, code: &str, year: i32) -> bool {
    pack().store.observation(&IndicatorId::new(indicator), &level, &TerritoryCode::new(code), year).computed
}

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// DREES, APL to general practitioners 2023, the figures quoted with the data (shared health README,
/// « APL values »): Oise 3.00, Aisne 3.18, Nord 4.54, Hauts-de-France 4.12. The pack computes them
/// from the communes, weighted by the standardised population.
#[test]
fn apl_2023_of_departements_and_region_weighted_from_communes() {
    for (level, code, published) in [
        (Level::Departement, "60", 3.00),
        (Level::Departement, "02", 3.18),
        (Level::Departement, "59", 4.54),
        (Level::Region, "32", 4.12),
    ] {
        assert!(computed("apl_mg", level.clone(), code, 2023), "{code}: computed from the communes");
        assert_eq!(round(number("apl_mg", level, code, 2023), 2), published, "APL 2023 {code}");
    }
    // Share of the population in a commune under 2.5, same README: 30 % in Oise, 28 % in Aisne.
    assert_eq!(round(number("part_apl_faible", Level::Departement, "60", 2023), 0), 30.0);
    assert_eq!(round(number("part_apl_faible", Level::Departement, "02", 2023), 0), 28.0);
}

/// Insee, Statistiques locales 2023: life expectancy of men at birth, Nord 78.2, Hauts-de-France 78.1
/// (also quoted in the shared health README, « Plausibility checks »).
#[test]
fn life_expectancy_of_men_2023() {
    assert_eq!(number("esp_vie_h", Level::Departement, "59", 2023), 78.2);
    assert_eq!(number("esp_vie_h", Level::Region, "32", 2023), 78.1);
    // Same README: Pas-de-Calais 77.2 in 2024 (lowest of the région), Nord 74.5 in 2008.
    assert_eq!(number("esp_vie_h", Level::Departement, "62", 2024), 77.2);
    assert_eq!(number("esp_vie_h", Level::Departement, "59", 2008), 74.5);
    // Not aggregable: nothing is invented for an EPCI.
    assert_eq!(value("esp_vie_h", Level::Epci, "248000531", 2023), Value::Missing);
}

/// Insee, « Niveau de vie et pauvreté par région et département en 2021 » (Filosofi 2021): poverty
/// rate Nord 19.5 %, Hauts-de-France 18.0 %; France métropolitaine, Martinique and La Réunion 15.3 %.
#[test]
fn poverty_rate_2021() {
    assert_eq!(number("taux_pauvrete", Level::Departement, "59", 2021), 19.5);
    assert_eq!(number("taux_pauvrete", Level::Region, "32", 2021), 18.0);
    assert_eq!(number("taux_pauvrete", Level::France, "FR", 2021), 15.3);
}

/// Filosofi 2019 by commune: Insee publishes 472 communes of the région; the others are secret at
/// the source and read as secret, not missing. Amiens 25 % is published (Insee, FILO2019_DISP_Pauvres_COM);
/// Abbécourt (02001, 518 inhabitants) is not. Les Hauts-Talican (60694) did not exist in Filosofi's
/// 2020 geography: missing, not secret.
#[test]
fn filosofi_communes_insee_keeps_secret_read_as_secret() {
    assert_eq!(value("taux_pauvrete_com", Level::Commune, "02001", 2019), Value::Secret);
    assert_eq!(value("taux_pauvrete_com", Level::Commune, "80021", 2019), Value::Available(25.0));
    assert_eq!(value("taux_pauvrete_com", Level::Commune, "60694", 2019), Value::Missing);
    let layer = pack().territories.level(&Level::Commune).unwrap();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for code in layer.territories.keys() {
        let kind = match value("taux_pauvrete_com", Level::Commune, code.as_str(), 2019) {
            Value::Available(_) => "publiée",
            Value::Secret => "secrète",
            Value::Missing => "manquante",
        };
        *counts.entry(kind).or_default() += 1;
    }
    assert_eq!(counts, BTreeMap::from([("manquante", 1), ("publiée", 472), ("secrète", 3309)]));
}

/// Deaths by commune of residence summed by the pack equal Insee's département counts
/// (état civil, « décès domiciliés », shared mortality README § 1 and § 5): 2019 Nord 22,594,
/// Pas-de-Calais 14,597, Oise 6,687, Aisne 5,831, Somme 5,934; région 55,643.
#[test]
fn deaths_2019_of_the_region_sum_to_the_published_departement_counts() {
    for (dep, published) in [("59", 22_594.0), ("62", 14_597.0), ("60", 6_687.0), ("02", 5_831.0), ("80", 5_934.0)] {
        assert!(computed("nb_deces", Level::Departement, dep, 2019));
        assert_eq!(number("nb_deces", Level::Departement, dep, 2019), published, "{dep}");
    }
    assert_eq!(number("nb_deces", Level::Region, "32", 2019), 55_643.0);
    // README § 1 again: the région's totals of other years, 2008 and the provisional 2025 included.
    for (year, published) in [(2008, 53_339.0), (2020, 61_568.0), (2023, 57_472.0), (2025, 57_225.0)] {
        assert_eq!(number("nb_deces", Level::Region, "32", year), published, "{year}");
    }
}

/// Every département-year 2012–2021 against Insee's département series (DS_ETAT_CIVIL_DECES_COMMUNES,
/// GEO_OBJECT = DEP), read from the shared file `deaths_population_dep_metro_2012_2021.csv`.
#[test]
fn deaths_by_departement_2012_2021_equal_insee_series() {
    let Some(data) = common::shared_data() else { return };
    let text =
        std::fs::read_to_string(data.join("health/mortalite/deaths_population_dep_metro_2012_2021.csv")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (dep, year, deaths) = (fields[0], fields[1].parse::<i32>().unwrap(), fields[2].parse::<f64>().unwrap());
        if HDF_DEPARTEMENTS.contains(&dep) {
            assert_eq!(number("nb_deces", Level::Departement, dep, year), deaths, "{dep} {year}");
            checked += 1;
        }
    }
    assert_eq!(checked, 50);
}

/// The crude death rate is deaths over the population légale of the same year, at every level.
/// Hand-worked from the shared READMEs: région 2023 = 57,472 deaths / 5,992,194 inhabitants × 1,000.
/// Insee's own crude rates 2023 (Statistiques locales) use the mean population of the year, so they
/// differ by a few hundredths: Aisne 11.0, Nord 8.8, Oise 8.5, Pas-de-Calais 10.3, Somme 10.4,
/// Hauts-de-France 9.5.
#[test]
fn crude_death_rate_agrees_with_hand_computation_and_insee() {
    let region = number("tx_brut_deces", Level::Region, "32", 2023);
    assert!((region - 57_472.0 / 5_992_194.0 * 1000.0).abs() < 1e-9, "{region}");
    for (level, code, insee) in [
        (Level::Departement, "02", 11.0),
        (Level::Departement, "59", 8.8),
        (Level::Departement, "60", 8.5),
        (Level::Departement, "62", 10.3),
        (Level::Departement, "80", 10.4),
        (Level::Region, "32", 9.5),
    ] {
        let rate = number("tx_brut_deces", level, code, 2023);
        assert!((rate - insee).abs() < 0.25, "{code}: {rate} against Insee's {insee}");
    }
    // No population légale after 2023: no rate for the provisional years.
    assert_eq!(value("tx_brut_deces", Level::Region, "32", 2024), Value::Missing);
    assert!(matches!(value("tx_brut_deces", Level::Epci, "248000531", 2018), Value::Available(_)));
}

/// Age structure, RP 2023: the communes' bands sum to the totals the shared mortality README gives
/// (§ 9: 5,992,174.3 in all, women 3,084,719.7, men 2,907,454.6); France carries Insee's estimate on
/// 1 January 2023 (README § 6: 68,404,843).
#[test]
fn population_by_sex_and_age_aggregates_to_the_published_totals() {
    let sum = |sex: &str, level: Level, code: &str| -> f64 {
        BANDS.iter().map(|b| number(&format!("pop_{sex}_{b}"), level.clone(), code, 2023)).sum()
    };
    assert!((sum("f", Level::Region, "32") - 3_084_719.7).abs() < 0.05);
    assert!((sum("h", Level::Region, "32") - 2_907_454.6).abs() < 0.05);
    assert_eq!(sum("f", Level::France, "FR") + sum("h", Level::France, "FR"), 68_404_843.0);
    // The shares are rates of those counts, exact at every level: under 20 and 75 or more.
    let all = sum("f", Level::Region, "32") + sum("h", Level::Region, "32");
    let band_sum = |bands: &[&str]| -> f64 {
        ["h", "f"]
            .iter()
            .flat_map(|s| bands.iter().map(move |b| number(&format!("pop_{s}_{b}"), Level::Region, "32", 2023)))
            .sum()
    };
    let old = band_sum(&BANDS[15..]);
    let young = band_sum(&BANDS[..4]);
    assert!((number("part_75_plus", Level::Region, "32", 2023) - old / all * 100.0).abs() < 1e-9);
    assert!((number("part_moins_20", Level::Region, "32", 2023) - young / all * 100.0).abs() < 1e-9);
}

/// The inputs of the future indirect standardisation reproduce the worked example of the shared
/// health README (« ICM 2023 against metropolitan France's 2023 rates on the RP 2023 département age
/// structures by sex »): Aisne 120.4, Nord 117.4, Oise 111.2, Pas-de-Calais 125.2, Somme 115.1,
/// région 118.6. Computed here from the pack's values: deaths, population by sex and band, and the
/// reference rates carried by `FR`.
#[test]
fn icm_inputs_reproduce_the_published_worked_example() {
    let expected = |level: Level, code: &str| -> f64 {
        let mut total = 0.0;
        for sex in ["h", "f"] {
            for band in BANDS {
                let population = number(&format!("pop_{sex}_{band}"), level.clone(), code, 2023);
                let rate = number(&format!("tx_deces_ref_{sex}_{band}"), Level::France, "FR", 2023);
                total += population * rate / 100_000.0;
            }
        }
        total
    };
    for (level, code, published) in [
        (Level::Departement, "02", 120.4),
        (Level::Departement, "59", 117.4),
        (Level::Departement, "60", 111.2),
        (Level::Departement, "62", 125.2),
        (Level::Departement, "80", 115.1),
        (Level::Region, "32", 118.6),
    ] {
        let icm = 100.0 * number("nb_deces", level.clone(), code, 2023) / expected(level, code);
        assert!((icm - published).abs() < 0.3, "ICM 2023 {code}: {icm}");
    }
}

/// Localised unemployment, yearly mean of Insee's four published quarters (CVS), worked by hand:
/// Nord 2021 (10.0 + 9.7 + 9.9 + 9.4) / 4 = 9.75; Hauts-de-France (9.5 + 9.4 + 9.6 + 8.9) / 4 = 9.35.
#[test]
fn unemployment_is_the_mean_of_the_four_quarters() {
    assert!((number("taux_chomage", Level::Departement, "59", 2021) - 9.75).abs() < 1e-9);
    assert!((number("taux_chomage", Level::Region, "32", 2021) - 9.35).abs() < 1e-9);
}

/// DREES minima sociaux: Nord had 109,335 RSA allocataires on 31 December 2019 and France
/// 1,916,100; the région is summed from its départements. The share of the population covered is
/// the covered population (Nord 234,274) over the population légale 2019 (Nord 2,608,346).
#[test]
fn minimum_benefits_counts_and_share() {
    assert_eq!(number("rsa_allocataires", Level::Departement, "59", 2019), 109_335.0);
    assert_eq!(number("rsa_allocataires", Level::France, "FR", 2019), 1_916_100.0);
    assert!(computed("rsa_allocataires", Level::Region, "32", 2019));
    let share = number("part_pop_rsa", Level::Departement, "59", 2019);
    assert!((share - 234_274.0 / 2_608_346.0 * 100.0).abs() < 1e-9, "{share}");
}

/// The France totals given with the data agree with the sums of the départements (no warning at
/// load), and the new tables add no warning to the three the sample always had (two inter-regional
/// EPCI, the COM rows of the département populations).
#[test]
fn the_health_tables_load_without_new_warnings() {
    let warnings = &pack().warnings;
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(!warnings.iter().any(|w| matches!(w, Warning::AggregateMismatch { .. } | Warning::Duplicate { .. })));
}

/// Every indicator of the pack says what it is: label, definition, unit, source with its licence,
/// theme; the derived reference rates and the provisional years say so.
#[test]
fn every_indicator_names_its_source_and_licence() {
    for indicator in pack().store.indicators() {
        let id = &indicator.id;
        for (what, text) in [
            ("label", &indicator.label),
            ("definition", &indicator.definition),
            ("unit", &indicator.unit),
            ("theme", &indicator.theme),
        ] {
            assert!(!text.trim().is_empty(), "{id}: {what} is empty");
        }
        assert!(indicator.source.contains("Licence Ouverte"), "{id}: {}", indicator.source);
        assert!(!indicator.years.is_empty(), "{id}: no year");
    }
    let reference = pack().store.indicator(&IndicatorId::new("tx_deces_ref_h_00_04")).unwrap();
    assert!(reference.definition.contains("dérivé") && reference.definition.contains("métropolitaine"));
    assert_eq!(reference.years, (2008..=2025).collect::<Vec<_>>());
    let deaths = pack().store.indicator(&IndicatorId::new("nb_deces")).unwrap();
    assert!(deaths.definition.contains("2024 et 2025 : données provisoires"));
    let themes: std::collections::BTreeSet<&str> = pack().store.indicators().map(|i| i.theme.as_str()).collect();
    for theme in ["Socio-démographie", "État de santé", "Offre de soins", "Situation sociale"] {
        assert!(themes.contains(theme), "{themes:?}");
    }
}

fn run_portrait(territory: &str, template: &str, out: &Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .current_dir(common::repo())
        .args(["portrait", "--pack", "sample_data", "--territory", territory, "--template", template, "-o"])
        .arg(out)
        .output()
        .expect("the indicarto binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

/// The two « Portrait santé-social » templates render from the command line: CA Amiens Métropole
/// and Nord. The poverty map hatches the communes Insee keeps secret and carries no value for them.
#[test]
fn health_portraits_render_for_an_epci_and_a_departement() {
    let dir = tempfile::tempdir().unwrap();
    let epci = dir.path().join("epci");
    run_portrait("248000531", "sante_social_epci", &epci);
    let svg = std::fs::read_to_string(epci.join("07-carte-taux_pauvrete_com.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let unit = |code: &str| doc.descendants().find(|n| n.attribute("data-code") == Some(code)).unwrap();
    // Amiens is published (25 %); Dury (80261) is secret: no value, in no attribute.
    assert_eq!(unit("80021").attribute("data-value"), Some("25"));
    let dury = unit("80261");
    assert_eq!(dury.attribute("data-value"), None);
    assert_eq!(dury.attribute("data-status"), Some("secret"));
    let pyramid = std::fs::read_to_string(epci.join("02-pyramide.svg")).unwrap();
    assert!(pyramid.contains("Hauts-de-France"), "the région is the pyramid's comparison");

    let dep = dir.path().join("dep");
    run_portrait("59", "sante_social_departement", &dep);
    let key = std::fs::read_to_string(dep.join("01-chiffres-cles.csv")).unwrap();
    let line = key.lines().find(|l| l.starts_with("taux_pauvrete;")).unwrap();
    assert!(line.ends_with(";2021;19,5;18,0;15,3"), "{line}");
}
