//! Secondary secrecy (`secrecy = { secondary = true }`) on the hand-made hierarchy of
//! `common::secret_hierarchy_pack`: which cells are masked besides those under the threshold, worked
//! out by hand below, and what stays published.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(clippy::float_cmp, reason = "counts are integers held in f64: they compare exactly")]
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

fn value(pack: &Pack, id: &str, level: &Level, code: &str, year: i32) -> Value {
    pack.store.value(&IndicatorId::new(id), level, &TerritoryCode::new(code), year)
}

/// Deaths 2023 (see `FIXTURE_COMMUNES`), under 11: Aval 3, Dune 4, Erre 6, Iris 8 and the EPCI
/// 200000002 (4 + 6 = 10). Worked by hand:
/// - EPCI 200000001 = Aval 3 + Brie 40 + Cerf 25 + Fosse 30 = 98 holds one masked commune: 98 − 40
///   − 25 − 30 gives Aval back, so its smallest published member, Cerf (25), is masked;
/// - EPCI 200000003 = Gave 50 + Houx 12 + Iris 8 = 70: Houx (12) is masked;
/// - département 80 = EPCI 200000001 + EPCI 200000002 = 108: 108 − 98 gives the masked EPCI back,
///   so EPCI 200000001 (98, the only other one) is masked too;
/// - then nothing is recoverable: dép. 80 gives Aval + Cerf + Dune + Erre = 108 − 40 − 30 = 38, the
///   EPCI 200000001 = 70 + (Aval + Cerf) and 200000002 = Dune + Erre, two equations for four
///   unknowns; dép. 60 gives Houx + Iris = 125 − 50 − 20 − 35 = 20, like the EPCI 200000003.
const MASKED_2023: [(Level, &str); 8] = [
    (Level::Commune, "80001"),
    (Level::Commune, "80003"),
    (Level::Commune, "80004"),
    (Level::Commune, "80005"),
    (Level::Commune, "60002"),
    (Level::Commune, "60003"),
    (Level::Epci, "200000001"),
    (Level::Epci, "200000002"),
];

/// What stays published in 2023, with the totals worked out by hand.
const PUBLISHED_2023: [(Level, &str, f64); 11] = [
    (Level::Commune, "80002", 40.0),
    (Level::Commune, "80006", 30.0),
    (Level::Commune, "60001", 50.0),
    (Level::Commune, "60004", 20.0),
    (Level::Commune, "60005", 35.0),
    (Level::Epci, "200000003", 70.0),
    (Level::Epci, "200000004", 55.0),
    (Level::Departement, "80", 108.0),
    (Level::Departement, "60", 125.0),
    (Level::Region, "32", 233.0),
    (Level::France, "FR", 233.0),
];

#[test]
fn complementary_cells_are_masked_at_every_level() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack();
    let pack = Pack::open(&pack_dir).unwrap();
    for (level, code) in MASKED_2023 {
        for id in ["deces", "taux_deces", "taux_hospit"] {
            let seen = pack.store.observation(&IndicatorId::new(id), &level, &TerritoryCode::new(code), 2023);
            assert_eq!(seen.value, Value::Secret, "{id} {level:?} {code}");
            assert_eq!((seen.numerator, seen.denominator), (None, None), "{id} {level:?} {code}");
        }
    }
    // Population of département 80: 1,200 + 5,400 + 3,050 + 800 + 950 + 4,000 = 15,400.
    for (level, code, deaths) in PUBLISHED_2023 {
        assert_eq!(value(&pack, "deces", &level, code, 2023), Value::Available(deaths), "{level:?} {code}");
        let hospit = pack.store.observation(&IndicatorId::new("taux_hospit"), &level, &TerritoryCode::new(code), 2023);
        assert_eq!(hospit.numerator, Some(deaths), "{level:?} {code}");
    }
    let dep80 =
        pack.store.observation(&IndicatorId::new("taux_deces"), &Level::Departement, &TerritoryCode::new("80"), 2023);
    assert!((dep80.value.number().unwrap() - 108.0 / 15_400.0 * 1000.0).abs() < 1e-9);
    // 2022: every count is 20 or more, nothing is masked, EPCI 200000001 = 21 + 44 + 27 + 31 = 123.
    assert_eq!(value(&pack, "deces", &Level::Epci, "200000001", 2022), Value::Available(123.0));
    assert_eq!(value(&pack, "deces", &Level::Commune, "80003", 2022), Value::Available(27.0));
}

/// Secondary secrecy is opt-in: without it only the cells under the threshold are masked, and the
/// differencing it prevents is possible (EPCI 200000001 − Brie − Cerf − Fosse = 98 − 95 = Aval's 3).
#[test]
fn without_the_option_only_primary_cells_are_masked() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack();
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap().replace(", secondary = true", "");
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let pack = Pack::open(&pack_dir).unwrap();
    assert_eq!(value(&pack, "deces", &Level::Commune, "80001", 2023), Value::Secret);
    assert_eq!(value(&pack, "deces", &Level::Commune, "80003", 2023), Value::Available(25.0));
    assert_eq!(value(&pack, "deces", &Level::Epci, "200000001", 2023), Value::Available(98.0));
    assert_eq!(value(&pack, "deces", &Level::Epci, "200000002", 2023), Value::Secret);
    let published: f64 = ["80002", "80003", "80006"]
        .iter()
        .map(|c| value(&pack, "deces", &Level::Commune, c, 2023).number().unwrap())
        .sum();
    assert_eq!(98.0 - published, 3.0);
}

/// `secondary` on an indicator that is not aggregated as a count or a rate is refused, naming it.
#[test]
fn secondary_secrecy_on_a_computed_indicator_is_refused() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack();
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap().replace(
        "secrecy = { min_numerator = 11 }\nderive",
        "secrecy = { min_numerator = 11, secondary = true }\nderive",
    );
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let error = Pack::open(&pack_dir).unwrap_err().to_string();
    assert!(error.contains("indicateur taux_deces") && error.contains("secret secondaire"), "{error}");
}

/// The whole region: fictitious deaths of 0.95 % of each commune's 2023 population, rounded, so
/// that about two communes in three are under 11. An attacker who knows the communes' EPCI and
/// département (read from the sample's CSV, not from the pack) and differences every published
/// total with one unknown term, again and again, recovers nothing; and the complementary cells are
/// few. Regression: a first version masked communes one by one while the leak (a commune alone in
/// its département within an EPCI of the next one) could only be closed by masking a total, and
/// ended with 1,062 complementary communes.
#[test]
fn the_region_is_protected_with_few_complementary_cells() {
    let (_dir, pack_dir) = common::sample_copy();
    let text = std::fs::read_to_string(pack_dir.join("data/hdf_communes_population.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (pmun, dep, epci) = (column("pmun_2023"), column("dep"), column("epci"));
    let mut deaths: BTreeMap<String, u64> = BTreeMap::new();
    let mut relations: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    let mut data = String::from("code;annee;valeur\n");
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let population: u64 = fields[pmun].parse().unwrap();
        let count = (population * 95 + 5_000) / 10_000;
        deaths.insert(fields[0].to_owned(), count);
        relations.entry((true, fields[epci].to_owned())).or_default().push(fields[0].to_owned());
        relations.entry((false, fields[dep].to_owned())).or_default().push(fields[0].to_owned());
        writeln!(data, "{};2023;{count}", fields[0]).unwrap();
    }
    std::fs::write(pack_dir.join("data/deces.csv"), data).unwrap();
    common::with_extra_manifest(
        &pack_dir,
        &common::DEATHS_INDICATORS.replacen("= 11 }", "= 11, secondary = true }", 1),
    );
    let pack = Pack::open(&pack_dir).unwrap();

    let published = |level: &Level, code: &str| value(&pack, "deces", level, code, 2023).number();
    let primary = deaths.values().filter(|d| (1..11).contains(*d)).count();
    let masked = deaths.keys().filter(|c| published(&Level::Commune, c).is_none()).count();
    for (code, count) in &deaths {
        if (1..11).contains(count) {
            assert_eq!(published(&Level::Commune, code), None, "{code}");
        }
    }
    println!("{primary} communes under the threshold, {} complementary", masked - primary);
    assert!(primary > 2000, "{primary}");
    assert!((masked - primary) * 100 <= deaths.len(), "{} complementary communes", masked - primary);

    // The attack: (is EPCI, code) → communes; départements are also the sum of their published
    // value; EPCI or départements whose value is not published are unknowns.
    let mut known: BTreeMap<String, f64> =
        deaths.keys().filter_map(|c| Some((c.clone(), published(&Level::Commune, c)?))).collect();
    let mut totals: Vec<(String, Vec<String>)> = Vec::new();
    for ((is_epci, code), communes) in &relations {
        let level = if *is_epci { Level::Epci } else { Level::Departement };
        let key = format!("{}:{code}", level.key());
        if let Some(v) = published(&level, code) {
            known.insert(key.clone(), v);
        }
        totals.push((key, communes.clone()));
    }
    let recovered: Vec<String> = common::solve_by_differencing(&totals, &mut known)
        .into_iter()
        .map(|(cell, value)| format!("{cell} = {value}"))
        .collect();
    // EPCI reaching outside the region are sums of their loaded communes only, like the pack's.
    assert!(recovered.is_empty(), "{recovered:?}");
}

/// A zoning of the manifest overlapping the EPCI: zone « Nord » = Aval 3 + Brie 40 = 43 is
/// published and holds one masked commune, so Brie (its only other member) is masked too, on top
/// of the pattern of `complementary_cells_are_masked_at_every_level`. Then, worked by hand, the
/// unknowns Aval, Brie, Cerf, Dune, Erre, EPCI 200000001 and 200000002 meet: Aval + Brie = 43,
/// EPCI 200000001 = Aval + Brie + Cerf + 30 = 73 + Cerf, dép. 80: Cerf + Dune + Erre = 108 − 43 −
/// 30 = 35, EPCI 200000002 = Dune + Erre = 35 − Cerf: Cerf stays free, nothing is exact.
/// Regression: the nesting relations once took the zone for the whole EPCI 200000001 (its communes
/// outside the zone were not looked at), a false relation that masked the zone for nothing.
#[test]
fn an_overlapping_zoning_is_protected_like_the_other_totals() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack();
    std::fs::write(pack_dir.join("zones.csv"), "code;zone;nom_zone\n80001;N;Nord\n80002;N;Nord\n").unwrap();
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap().replacen(
        "[[indicators]]",
        "[[zonings]]\nname = \"bassins\"\nfile = \"zones.csv\"\n\n[[indicators]]",
        1,
    );
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let pack = Pack::open(&pack_dir).unwrap();
    let zone = Level::Custom("bassins".into());
    assert_eq!(value(&pack, "deces", &zone, "N", 2023), Value::Available(43.0));
    assert_eq!(value(&pack, "deces", &Level::Commune, "80002", 2023), Value::Secret);
    for (level, code) in MASKED_2023 {
        assert_eq!(value(&pack, "deces", &level, code, 2023), Value::Secret, "{level:?} {code}");
    }
    for (level, code, deaths) in PUBLISHED_2023.iter().filter(|(_, code, _)| *code != "80002") {
        assert_eq!(value(&pack, "deces", level, code, 2023), Value::Available(*deaths), "{level:?} {code}");
    }
}
