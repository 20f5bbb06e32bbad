//! A national pack: every commune of metropolitan France (34,738, the shared France layer) with its
//! population as a wide `;` CSV with a decimal-comma rate, opened as a pack whose EPCI, départements
//! and régions are dissolved from the communes. Checked against the published total (66,140,301
//! inhabitants, population municipale légale 2023, `../shared/data/boundaries/france_scale/README.md`)
//! and against sums made here from the layer's own attribute table, without the crate's readers.
//! Skips when `../shared/data` is absent.

#![allow(clippy::unwrap_used, reason = "test: a failure to set up is a test failure")]
#![allow(clippy::float_cmp, reason = "population counts are integers held in f64: they compare exactly")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use indicarto::code::{IndicatorId, Level, TerritoryCode};
use indicarto::pack::Pack;
use indicarto::value::Value;

/// (commune, département, région, EPCI, population) from the layer's attribute CSV, read with a
/// plain split (the file has no quoted field; names, second, are skipped by counting from the end).
fn communes(csv: &str) -> Vec<(String, String, String, String, f64)> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.rsplitn(5, ',').collect();
            // INSEE_COM,NOM,INSEE_DEP,INSEE_REG,SIREN_EPCI,POPULATION read from the end.
            let (population, epci, reg, dep) = (fields[0], fields[1], fields[2], fields[3]);
            let code = fields[4].split(',').next().unwrap();
            (code.to_owned(), dep.to_owned(), reg.to_owned(), epci.to_owned(), population.parse().unwrap())
        })
        .collect()
}

#[test]
fn national_pack_sums_to_the_published_population() {
    let Some(shared) = common::shared_data() else { return };
    let france = shared.join("boundaries/france_scale");
    let attributes = std::fs::read_to_string(france.join("fr_metro_communes_population_2023.csv")).unwrap();
    let rows = communes(&attributes);
    assert_eq!(rows.len(), 34_738);

    let dir = tempfile::tempdir().unwrap();
    let mut data = String::from("CODGEO;pmun_2023;part_2023;part_num_2023;part_den_2023\n");
    for (i, (code, _, _, _, population)) in rows.iter().enumerate() {
        // A made-up share: every seventh inhabitant, rounded down; written with a decimal comma.
        let num = (population / 7.0).floor();
        let share = if *population > 0.0 {
            format!("{:.1}", num / population * 100.0).replace('.', ",")
        } else {
            String::new()
        };
        // The source masks some cells itself, far below the rows the dialect is sniffed on.
        let num_text = if i % 5000 == 4999 { "s".to_owned() } else { num.to_string() };
        writeln!(data, "{code};{population};{share};{num_text};{population}").unwrap();
    }
    std::fs::write(dir.path().join("national.csv"), data).unwrap();
    let manifest = format!(
        r#"[pack]
id = "national"
title = "National"

[[boundaries]]
level = "commune"
file = "{}"

[[indicators]]
id = "pmun"
label = "Population municipale"
aggregation = "sum"

[[indicators]]
id = "part"
label = "Part"
aggregation = "rate"
scale = 100

[[data]]
file = "national.csv"
layout = "wide"
level = "commune"
columns = [
  {{ pattern = "pmun_{{year}}", indicator = "pmun" }},
  {{ pattern = "part_{{year}}", indicator = "part", numerator = "part_num_{{year}}", denominator = "part_den_{{year}}" }},
]
"#,
        france.join("fr_metro_communes_cog2026.shp").display().to_string().replace('\\', "/")
    );
    std::fs::write(dir.path().join("pack.toml"), manifest).unwrap();
    let pack = Pack::open(dir.path()).unwrap();

    let pmun = IndicatorId::new("pmun");
    let value = |level: &Level, code: &str| pack.store.value(&pmun, level, &TerritoryCode::new(code), 2023);
    assert_eq!(value(&Level::France, "FR"), Value::Available(66_140_301.0));

    let mut by_region: BTreeMap<&str, f64> = BTreeMap::new();
    let mut by_departement: BTreeMap<&str, f64> = BTreeMap::new();
    let mut by_epci: BTreeMap<&str, f64> = BTreeMap::new();
    for (_, dep, reg, epci, population) in &rows {
        *by_region.entry(reg).or_default() += population;
        *by_departement.entry(dep).or_default() += population;
        // A few islands (Bréhat, Sein, Ouessant…) belong to no EPCI.
        if !epci.is_empty() {
            *by_epci.entry(epci).or_default() += population;
        }
    }
    assert_eq!(pack.territories.level(&Level::Region).unwrap().territories.len(), by_region.len());
    assert_eq!(pack.territories.level(&Level::Epci).unwrap().territories.len(), by_epci.len());
    for (reg, total) in &by_region {
        assert_eq!(value(&Level::Region, reg), Value::Available(*total), "région {reg}");
    }
    for (dep, total) in &by_departement {
        assert_eq!(value(&Level::Departement, dep), Value::Available(*total), "département {dep}");
    }
    for (epci, total) in &by_epci {
        assert_eq!(value(&Level::Epci, epci), Value::Available(*total), "EPCI {epci}");
    }

    // Dissolved levels carry their COG names (Insee COG 2026).
    let name = |level: &Level, code: &str| pack.territories.get(level, &TerritoryCode::new(code)).unwrap().name.clone();
    assert_eq!(name(&Level::Region, "32"), "Hauts-de-France");
    assert_eq!(name(&Level::Departement, "2A"), "Corse-du-Sud");
    assert_eq!(name(&Level::Epci, "248000531"), "CA Amiens Métropole");

    // The rate: a commune marked `s` by the source is secret, and makes its département's rate
    // missing (a sum without it would be wrong); a département without such a commune is exact.
    let part = IndicatorId::new("part");
    let masked = &rows[4999];
    assert_eq!(pack.store.value(&part, &Level::Commune, &TerritoryCode::new(&masked.0), 2023), Value::Secret);
    assert_eq!(pack.store.value(&part, &Level::Departement, &TerritoryCode::new(&masked.1), 2023), Value::Missing);
    let masked_deps: Vec<&str> =
        rows.iter().enumerate().filter(|(i, _)| i % 5000 == 4999).map(|(_, r)| r.1.as_str()).collect();
    let (dep, population) = by_departement.iter().find(|(d, _)| !masked_deps.contains(d)).unwrap();
    let num: f64 = rows.iter().filter(|r| r.1 == *dep).map(|r| (r.4 / 7.0).floor()).sum();
    let obs = pack.store.observation(&part, &Level::Departement, &TerritoryCode::new(dep), 2023);
    assert_eq!(obs.numerator, Some(num));
    assert_eq!(obs.denominator, Some(*population));
    assert_eq!(obs.value, Value::Available(num / population * 100.0));
}
