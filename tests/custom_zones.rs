//! Zones composed at run time (`Pack::add_custom_zone`) against figures read straight from the
//! sample's CSV files: sums, rates and weighted means of their communes, an EPCI rebuilt as a zone,
//! secrecy, partial coverage, portraits, and removal for undo.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure to read the sample is a test failure")]
#![allow(clippy::float_cmp, reason = "population counts are integers held in f64: they compare exactly")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeMap;

use indicarto::code::{IndicatorId, Level, TerritoryCode, TerritoryRef};
use indicarto::diagnostics::Warning;
use indicarto::pack::{CUSTOM_ZONES_LEVEL, Pack, ZoneError, custom_zones_level};
use indicarto::portrait::{self, MapOptions, Selection};
use indicarto::value::Value;

/// Amiens and two of its neighbours, all in CA Amiens Métropole (248000531), Somme (80).
const AMIENS_AND_NEIGHBOURS: [&str; 3] = ["80021", "80724", "80261"];

/// One column of a sample data file, by commune code, read without the crate's CSV reader (the
/// sample files are plain comma-separated UTF-8 without quotes).
fn csv_column(file: &str, column: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::repo().join("sample_data/data").join(file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let index = header.iter().position(|h| *h == column).unwrap();
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), header.len(), "{line}");
            (fields[0].to_owned(), fields[index].to_owned())
        })
        .collect()
}

fn csv_sum(file: &str, column: &str, codes: &[&str]) -> f64 {
    let values = csv_column(file, column);
    codes.iter().map(|c| values[*c].parse::<f64>().unwrap()).sum()
}

fn communes(codes: &[&str]) -> Vec<TerritoryRef> {
    codes.iter().map(|c| TerritoryRef::new(Level::Commune, c)).collect()
}

fn observe(pack: &Pack, zone: &TerritoryRef, id: &str, year: i32) -> indicarto::aggregate::Observation {
    pack.store.observation(&IndicatorId::new(id), &zone.level, &zone.code, year)
}

fn number(pack: &Pack, zone: &TerritoryRef, id: &str, year: i32) -> f64 {
    match observe(pack, zone, id, year).value {
        Value::Available(v) => v,
        other => panic!("{id} {zone} {year}: {other:?}"),
    }
}

/// Sums, a rate from summed numerators and denominators, a weighted mean and computed indicators of
/// a three-commune zone against the sample CSV files. Python on the same files gives 140,629
/// inhabitants in 2023, 48 women of 93 councillors and a mean age of 50.8828.
#[test]
fn three_communes_aggregate_like_their_csv_rows() {
    let mut pack = common::sample().clone();
    let zone = pack.add_custom_zone("  Amiens et voisines ", &communes(&AMIENS_AND_NEIGHBOURS)).unwrap();
    assert_eq!(zone, TerritoryRef::new(custom_zones_level(), "amiens-et-voisines"));
    assert_eq!(pack.territories.get(&zone.level, &zone.code).unwrap().name, "Amiens et voisines");

    let population = "hdf_communes_population.csv";
    let pmun_2023 = csv_sum(population, "pmun_2023", &AMIENS_AND_NEIGHBOURS);
    assert_eq!(pmun_2023, 140_629.0);
    assert_eq!(number(&pack, &zone, "pmun", 2023), pmun_2023);
    let pmun_2018 = csv_sum(population, "pmun_2018", &AMIENS_AND_NEIGHBOURS);
    assert_eq!(number(&pack, &zone, "pmun", 2018), pmun_2018);
    assert_eq!(number(&pack, &zone, "ptot", 2022), csv_sum(population, "ptot_2022", &AMIENS_AND_NEIGHBOURS));
    let area = csv_sum(population, "area_km2", &AMIENS_AND_NEIGHBOURS);
    assert!((number(&pack, &zone, "superficie", 2026) - area).abs() < 1e-9);
    // Computed indicators from the zone's own aggregates: density, change since 2018.
    assert!((number(&pack, &zone, "densite", 2023) - pmun_2023 / area).abs() < 1e-9);
    let change = (pmun_2023 - pmun_2018) / pmun_2018 * 100.0;
    assert!((number(&pack, &zone, "evol_pmun", 2023) - change).abs() < 1e-9);

    let officials = "hdf_communes_elus_municipaux_2026.csv";
    let women = csv_sum(officials, "nb_femmes", &AMIENS_AND_NEIGHBOURS);
    let councillors = csv_sum(officials, "nb_conseillers", &AMIENS_AND_NEIGHBOURS);
    assert_eq!((women, councillors), (48.0, 93.0));
    let share = observe(&pack, &zone, "part_femmes", 2026);
    assert_eq!((share.numerator, share.denominator), (Some(women), Some(councillors)));
    assert!((number(&pack, &zone, "part_femmes", 2026) - women / councillors * 100.0).abs() < 1e-9);
    let ages = csv_column(officials, "age_moyen");
    let seats = csv_column(officials, "nb_conseillers");
    let weighted: f64 = AMIENS_AND_NEIGHBOURS
        .iter()
        .map(|c| ages[*c].parse::<f64>().unwrap() * seats[*c].parse::<f64>().unwrap())
        .sum::<f64>()
        / councillors;
    assert!((weighted - 50.882_795_698_9).abs() < 1e-9);
    assert!((number(&pack, &zone, "age_moyen", 2026) - weighted).abs() < 1e-9);
    assert!(observe(&pack, &zone, "pmun", 2023).computed);
    assert!(!observe(&pack, &zone, "pmun", 2023).partial);

    // Geometry: the union of the three communes, whose shared borders disappear but whose area stays.
    let geographic = pack.territories.crs.is_geographic();
    let zone_geometry = &pack.territories.level(&zone.level).unwrap().geometry[&zone.code];
    let commune_layer = pack.territories.level(&Level::Commune).unwrap();
    let commune_area: f64 = AMIENS_AND_NEIGHBOURS
        .iter()
        .map(|c| indicarto::territory::area_m2(&commune_layer.geometry[&TerritoryCode::new(c)], geographic))
        .sum();
    let zone_area = indicarto::territory::area_m2(zone_geometry, geographic);
    assert!((zone_area - commune_area).abs() / commune_area < 1e-6, "{zone_area} vs {commune_area}");

    // The zone is found like any territory.
    let members: Vec<&str> =
        pack.territories.members(&zone.level, &zone.code, &Level::Commune).iter().map(|t| t.code.as_str()).collect();
    assert_eq!(members, ["80021", "80261", "80724"]);
    assert_eq!(pack.parse_level("Zones personnalisees"), Some(custom_zones_level()));
    assert_eq!(pack.territories.search("amiens et voisines")[0].code, zone.code);
    assert!(pack.warnings.len() == common::sample().warnings.len(), "no warning for a fully covered zone");
}

/// A zone made of one EPCI has the EPCI's values, every indicator, every year; the EPCI's total is
/// also checked against its communes' rows of the CSV.
#[test]
fn a_zone_of_one_epci_equals_that_epci() {
    const EPCI: &str = "248000531";
    let mut pack = common::sample().clone();
    let epci = TerritoryRef::new(Level::Epci, EPCI);
    // The EPCI and one of its communes again: members overlap, each commune counts once.
    let zone =
        pack.add_custom_zone("Amiens Métropole", &[epci.clone(), TerritoryRef::new(Level::Commune, "80021")]).unwrap();
    let in_csv: Vec<String> = csv_column("hdf_communes_population.csv", "epci")
        .into_iter()
        .filter(|(_, e)| e == EPCI)
        .map(|(code, _)| code)
        .collect();
    let listed = &pack.custom_zones()[0].communes;
    assert_eq!(listed.iter().map(TerritoryCode::as_str).collect::<Vec<_>>(), in_csv);
    let codes: Vec<&str> = in_csv.iter().map(String::as_str).collect();
    assert_eq!(number(&pack, &zone, "pmun", 2023), csv_sum("hdf_communes_population.csv", "pmun_2023", &codes));

    let mut compared = 0;
    for indicator in pack.store.indicators() {
        // Filosofi's commune poverty rates are secret at the source: a zone composed at will never
        // publishes such an indicator (`zones_never_publish_an_indicator_under_secrecy`).
        if indicator.id.as_str() == "taux_pauvrete_com" {
            assert_eq!(observe(&pack, &zone, "taux_pauvrete_com", 2019).value, Value::Secret);
            continue;
        }
        for &year in &indicator.years {
            let of_epci = pack.store.observation(&indicator.id, &epci.level, &epci.code, year);
            let of_zone = observe(&pack, &zone, indicator.id.as_str(), year);
            match (of_epci.value, of_zone.value) {
                (Value::Available(a), Value::Available(b)) => {
                    assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{} {year}: {a} vs {b}", indicator.id);
                    compared += 1;
                }
                (a, b) => assert_eq!(a, b, "{} {year}", indicator.id),
            }
        }
    }
    assert!(compared >= 20, "{compared}");
}

/// An EPCI reaching into Seine-Maritime (not loaded) makes the zone partial: a warning with the
/// EPCI's own covered share, values flagged, and both gone when the zone is removed.
#[test]
fn a_zone_with_a_partly_loaded_epci_is_flagged_partial() {
    let mut pack = common::sample().clone();
    let before = pack.warnings.len();
    let epci = TerritoryRef::new(Level::Epci, "200069722");
    let epci_share = pack.territories.partial_coverage(&epci.level, &epci.code).unwrap();
    let zone = pack.add_custom_zone("Bresle", std::slice::from_ref(&epci)).unwrap();
    let share = pack
        .warnings
        .iter()
        .find_map(|w| match w {
            Warning::PartialCoverage { level, code, covered_share, .. }
                if *level == zone.level && *code == zone.code =>
            {
                Some(*covered_share)
            }
            _ => None,
        })
        .unwrap();
    assert!((share - epci_share).abs() < 1e-9, "{share} vs {epci_share}");
    let observation = observe(&pack, &zone, "pmun", 2023);
    assert!(observation.partial);
    let codes: Vec<String> = csv_column("hdf_communes_population.csv", "epci")
        .into_iter()
        .filter(|(_, e)| e == "200069722")
        .map(|(code, _)| code)
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    assert_eq!(observation.value, Value::Available(csv_sum("hdf_communes_population.csv", "pmun_2023", &codes)));

    pack.remove_custom_zone(&zone).unwrap();
    assert_eq!(pack.warnings.len(), before);
    assert_eq!(pack.territories.partial_coverage(&zone.level, &zone.code), None);
}

/// Secrecy: a zone composed at will could be differenced with a published territory ({Amiens,
/// Saleux} minus Amiens gives Saleux's masked 7), so an indicator under secrecy is never published
/// for such zones, whatever their total; indicators without secrecy are.
#[test]
fn zones_never_publish_an_indicator_under_secrecy() {
    let (_dir, pack_dir) = common::sample_copy();
    common::with_extra_manifest(&pack_dir, common::DEATHS_INDICATORS);
    // Amiens 1,234; Saleux 7 and Dury 4, under the threshold; Saisseval 25; Camon marked secret.
    std::fs::write(
        pack_dir.join("data/deces.csv"),
        "code;annee;valeur\n80021;2023;1234\n80724;2023;7\n80261;2023;4\n80723;2023;25\n80164;2023;s\n",
    )
    .unwrap();
    let mut pack = Pack::open(&pack_dir).unwrap();
    let deaths = |pack: &Pack, zone: &TerritoryRef| observe(pack, zone, "deces", 2023);

    let saleux = pack.add_custom_zone("Saleux seule", &communes(&["80724"])).unwrap();
    let alone = deaths(&pack, &saleux);
    assert_eq!(alone.value, Value::Secret);
    assert_eq!((alone.numerator, alone.denominator), (None, None));
    let rate = observe(&pack, &saleux, "taux_deces", 2023);
    assert_eq!(rate.value, Value::Secret);
    assert_eq!((rate.numerator, rate.denominator), (None, None));

    // The differencing attack: Amiens is published (1,234); the zone must not give 1,241.
    assert_eq!(
        pack.store.value(&IndicatorId::new("deces"), &Level::Commune, &TerritoryCode::new("80021"), 2023),
        Value::Available(1234.0)
    );
    let with_amiens = pack.add_custom_zone("Amiens et Saleux", &communes(&["80021", "80724"])).unwrap();
    for id in ["deces", "taux_deces"] {
        let seen = observe(&pack, &with_amiens, id, 2023);
        assert_eq!(seen.value, Value::Secret, "{id}");
        assert_eq!((seen.numerator, seen.denominator), (None, None), "{id}");
    }
    // Even above the threshold with no secret member.
    let pair = pack.add_custom_zone("Amiens et Saisseval", &communes(&["80021", "80723"])).unwrap();
    assert_eq!(deaths(&pack, &pair).value, Value::Secret);

    // Indicators without secrecy stay published for the same zone.
    let population = csv_sum("hdf_communes_population.csv", "pmun_2023", &["80021", "80724"]);
    assert_eq!(number(&pack, &with_amiens, "pmun", 2023), population);

    let with_camon = pack.add_custom_zone("Amiens et Camon", &communes(&["80021", "80164"])).unwrap();
    assert_eq!(deaths(&pack, &with_camon).value, Value::Secret);
}

/// A zone is an analysis territory (portrait, default comparisons: its département, its région,
/// France) and a comparison zone for another territory.
#[test]
fn portraits_use_a_zone_as_territory_or_comparison() {
    let mut pack = common::sample().clone();
    let zone = pack.add_custom_zone("Amiens et voisines", &communes(&AMIENS_AND_NEIGHBOURS)).unwrap();
    let comparisons = portrait::default_comparisons(&pack, &zone);
    assert_eq!(
        comparisons,
        [
            TerritoryRef::new(Level::Departement, "80"),
            TerritoryRef::new(Level::Region, "32"),
            TerritoryRef::new(Level::France, "FR")
        ]
    );
    let template = portrait::template(&pack, Some("demographie")).unwrap();
    let selection = Selection { territory: zone.clone(), comparisons, year: None };
    let illustrations = portrait::build_portrait(&pack, &selection, template, &MapOptions::default()).unwrap();
    assert_eq!(illustrations.len(), template.items.len());
    let map = illustrations.iter().find(|i| i.slug.ends_with("carte-densite")).unwrap();
    assert_eq!(map.data.rows.len(), 3, "the commune map shows the zone's three communes");
    let key_figures = &illustrations[0].data;
    let head = key_figures.header.join(";");
    assert!(
        head.contains("Amiens et voisines") && head.contains("Somme") && head.contains("Hauts-de-France"),
        "{head}"
    );
    let pmun_row = format!("{:?}", key_figures.rows[0]);
    assert!(pmun_row.contains("Available(140629.0)"), "{pmun_row}");

    let selection = Selection {
        territory: TerritoryRef::new(Level::Commune, "80021"),
        comparisons: vec![zone, TerritoryRef::new(Level::Departement, "80")],
        year: Some(2023),
    };
    let illustrations = portrait::build_portrait(&pack, &selection, template, &MapOptions::default()).unwrap();
    let bar = illustrations.iter().find(|i| i.slug.ends_with("densite") && i.slug.contains("barres")).unwrap();
    assert!(format!("{:?}", bar.data.rows).contains("Amiens et voisines"));
}

/// Overlapping zones keep their own values; codes get a suffix when the slug is taken; removing
/// returns what adds the zone back; the level goes with its last zone.
#[test]
fn zones_overlap_and_removal_undoes_them() {
    let mut pack = common::sample().clone();
    let level = custom_zones_level();
    let first = pack.add_custom_zone("Zone A", &communes(&["80021", "80724"])).unwrap();
    let second = pack.add_custom_zone("Zone A !", &communes(&["80021", "80261"])).unwrap();
    assert_eq!((first.code.as_str(), second.code.as_str()), ("zone-a", "zone-a-2"));
    let pmun = csv_column("hdf_communes_population.csv", "pmun_2023");
    let of = |code: &str| pmun[code].parse::<f64>().unwrap();
    assert_eq!(number(&pack, &first, "pmun", 2023), of("80021") + of("80724"));
    assert_eq!(number(&pack, &second, "pmun", 2023), of("80021") + of("80261"));
    // A zone of zones stands for their communes.
    let both = pack.add_custom_zone("Les deux", &[first.clone(), second.clone()]).unwrap();
    assert_eq!(number(&pack, &both, "pmun", 2023), of("80021") + of("80724") + of("80261"));

    let removed = pack.remove_custom_zone(&first).unwrap();
    assert_eq!(removed.name, "Zone A");
    assert_eq!(observe(&pack, &first, "pmun", 2023).value, Value::Missing);
    assert!(pack.territories.get(&first.level, &first.code).is_none());
    assert_eq!(number(&pack, &both, "pmun", 2023), of("80021") + of("80724") + of("80261"));
    let again = pack.add_custom_zone(&removed.name, &removed.members()).unwrap();
    assert_eq!(again, first);
    assert_eq!(number(&pack, &again, "pmun", 2023), of("80021") + of("80724"));

    for zone in pack.custom_zones() {
        pack.remove_custom_zone(&zone.zone).unwrap();
    }
    assert!(pack.territories.level(&level).is_none());
    assert_eq!(pack.parse_level(CUSTOM_ZONES_LEVEL), None);
}

#[test]
fn unusable_zones_are_refused_with_french_messages() {
    let mut pack = common::sample().clone();
    let amiens = communes(&["80021"]);
    assert!(matches!(pack.add_custom_zone("  ", &amiens), Err(ZoneError::EmptyName)));
    assert!(matches!(pack.add_custom_zone("Vide", &[]), Err(ZoneError::NoMember(_))));
    let unknown = [TerritoryRef::new(Level::Commune, "99999"), TerritoryRef::new(Level::Epci, "123")];
    let error =
        pack.add_custom_zone("Inconnue", &[amiens[0].clone(), unknown[0].clone(), unknown[1].clone()]).unwrap_err();
    assert_eq!(error.to_string(), "zone « Inconnue » : 2 territoire(s) inconnu(s) du pack : commune 99999, EPCI 123");
    // Ain is a département of the pack, but none of its communes is loaded.
    let error = pack.add_custom_zone("Ain", &[TerritoryRef::new(Level::Departement, "01")]).unwrap_err();
    assert!(matches!(error, ZoneError::NoCommune { .. }), "{error}");
    assert!(error.to_string().contains("aucune commune chargée"), "{error}");

    let zone = pack.add_custom_zone("Métropole", &amiens).unwrap();
    let error = pack.add_custom_zone("METROPOLE", &communes(&["80724"])).unwrap_err();
    assert!(matches!(&error, ZoneError::NameTaken { existing, .. } if *existing == zone), "{error}");
    assert!(error.to_string().contains("supprimez-la d'abord"), "{error}");

    let error = pack.remove_custom_zone(&amiens[0]).unwrap_err();
    assert!(matches!(error, ZoneError::NotACustomZone(_)), "{error}");
    pack.remove_custom_zone(&zone).unwrap();
    assert!(matches!(pack.remove_custom_zone(&zone), Err(ZoneError::NotACustomZone(_))));
    assert!(pack.warnings.len() == common::sample().warnings.len());
}

/// A manifest zoning that already bears the level name of composed zones is left alone.
#[test]
fn a_manifest_zoning_named_like_the_zones_level_is_not_mixed_with_them() {
    let (_dir, pack_dir) = common::sample_copy();
    std::fs::write(pack_dir.join("data/zones.csv"), "code;zone;nom_zone\n80021;AM;Amiens\n").unwrap();
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap().replacen(
        "# --- Indicateurs lus",
        "[[zonings]]\nname = \"Zones personnalisées\"\nfile = \"data/zones.csv\"\n\n# --- Indicateurs lus",
        1,
    );
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let mut pack = Pack::open(&pack_dir).unwrap();
    let error = pack.add_custom_zone("Saleux", &communes(&["80724"])).unwrap_err();
    assert!(matches!(error, ZoneError::LevelTaken(_)), "{error}");
    assert!(error.to_string().contains("renommez ce zonage"), "{error}");
    let zoning = TerritoryRef::new(Level::Custom("Zones personnalisées".into()), "AM");
    assert!(matches!(pack.remove_custom_zone(&zoning), Err(ZoneError::NotACustomZone(_))));
    assert!(pack.territories.get(&zoning.level, &zoning.code).is_some());
}
