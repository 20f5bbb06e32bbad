//! Real health and social tables (class F: read from the shared data folder, never committed) loaded
//! through a pack written at test time, and statistical secrecy on a small synthetic pack.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(clippy::float_cmp, reason = "published figures are parsed from the same decimal text: they compare exactly")]
#![allow(clippy::needless_pass_by_value, reason = "levels are passed by value for readable calls")]
#![allow(clippy::too_many_lines, reason = "the test manifest is one readable template")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::fmt::Write as _;
use std::path::Path;

use indicarto::code::{IndicatorId, Level, TerritoryCode};
use indicarto::pack::Pack;
use indicarto::value::Value;

const AGES: [&str; 20] = [
    "00-04", "05-09", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59",
    "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95+",
];

fn health_manifest(data: &Path, geodata: &Path) -> String {
    let h = data.join("health");
    let mut m = format!(
        r#"
[pack]
id = "sante-test"
title = "Santé et social (test)"

[[boundaries]]
level = "commune"
file = "{geo}/hdf_communes_cog2026.shp"
[[boundaries]]
level = "epci"
file = "{geo}/hdf_epci_2026.shp"
[[boundaries]]
level = "departement"
file = "{geo}/fr_departements.shp"
[[boundaries]]
level = "region"
file = "{geo}/fr_regions.shp"

[[indicators]]
id = "ev_h"
label = "Espérance de vie à la naissance des hommes"
unit = "ans"
aggregation = "none"
polarity = "higher_is_better"
[[indicators]]
id = "mortalite"
label = "Taux standardisé de mortalité, toutes causes"
unit = "pour 100 000 habitants"
aggregation = "none"
polarity = "lower_is_better"
[[indicators]]
id = "apl"
label = "Accessibilité potentielle localisée aux médecins généralistes"
unit = "consultations par habitant standardisé"
decimals = 2
aggregation = "weighted_mean"
[[indicators]]
id = "pauvrete"
label = "Taux de pauvreté au seuil de 60 %"
unit = "%"
aggregation = "none"
[[indicators]]
id = "chomage"
label = "Taux de chômage localisé (T4)"
unit = "%"
aggregation = "none"

[[data]]
file = "{h}/etat_sante/esperance_vie_mortalite_dep_reg.csv"
layout = "long"
level_column = "niveau"
filter = {{ sexe = "H" }}
indicator_names = {{ esperance_vie_naissance = "ev_h" }}
year_column = "periode"
[[data]]
file = "{h}/etat_sante/mortalite_toutes_causes_dep_2010_2023.csv"
layout = "long"
level_column = "niveau"
indicator_names = {{ taux_standardise_mortalite = "mortalite" }}
year_column = "periode"
[[data]]
file = "{h}/offre_soins/apl_mg_communes_hdf_2022_2023.csv"
layout = "wide"
level = "commune"
code_column = "code_cog2026"
year_column = "annee"
columns = [{{ column = "apl", indicator = "apl", denominator = "pop_standardisee" }}]
[[data]]
file = "{h}/social/filosofi2019_pauvrete_communes_hdf.csv"
layout = "wide"
level = "commune"
code_column = "code_cog2026"
year_column = "annee"
columns = [{{ column = "taux_pauvrete_60", indicator = "pauvrete" }}]
[[data]]
file = "{h}/social/chomage_localise_dep_reg_trimestriel_1982_2021.csv"
layout = "long"
level_column = "niveau"
filter = {{ periode = "2021-T4" }}
indicator_names = {{ taux_chomage_localise = "chomage" }}
year = 2021
[[data]]
file = "{h}/demographie/hdf_pop_sexe_age5_1975_2025.csv"
layout = "long"
level_column = "niveau"
indicator_template = "pop_{{sexe}}_{{age}}"
year_column = "annee"
value_column = "pop"
"#,
        geo = geodata.display(),
        h = h.display()
    );
    for sex in ["H", "F"] {
        for age in AGES {
            writeln!(m, "[[indicators]]\nid = \"pop_{sex}_{age}\"\nlabel = \"Population {sex} {age}\"\naggregation = \"sum\"\ndecimals = 0").unwrap();
        }
    }
    let list = |sex: &str| AGES.iter().map(|a| format!("\"pop_{sex}_{a}\"")).collect::<Vec<_>>().join(", ");
    let bands = AGES.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
    writeln!(
        m,
        "[[templates]]\nid = \"sante\"\ntitle = \"Santé\"\nitems = [\n  {{ kind = \"key_figures\", indicators = [\"ev_h\", \"mortalite\", \"apl\", \"chomage\"] }},\n  {{ kind = \"pyramid\", men = [{}], women = [{}], bands = [{bands}] }},\n]",
        list("H"),
        list("F")
    )
    .unwrap();
    m
}

fn number(pack: &Pack, id: &str, level: Level, code: &str, year: i32) -> f64 {
    match pack.store.value(&IndicatorId::new(id), &level, &TerritoryCode::new(code), year) {
        Value::Available(v) => v,
        other => panic!("{id} {level:?} {code} {year}: {other:?}"),
    }
}

/// Reference figures are those the shared health README publishes for these files.
#[test]
fn real_health_and_social_tables_load_through_a_pack() {
    let Some(data) = common::shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), health_manifest(&data, &common::repo().join("geodata"))).unwrap();
    let pack = Pack::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));

    // Life expectancy of men: Nord 78.2 (2023), 74.5 (2008); Hauts-de-France 78.1 (2023).
    assert_eq!(number(&pack, "ev_h", Level::Departement, "59", 2023), 78.2);
    assert_eq!(number(&pack, "ev_h", Level::Departement, "59", 2008), 74.5);
    assert_eq!(number(&pack, "ev_h", Level::Region, "32", 2023), 78.1);
    // Not aggregable: no value is invented for an EPCI.
    assert_eq!(
        pack.store.value(&IndicatorId::new("ev_h"), &Level::Epci, &TerritoryCode::new("248000531"), 2023),
        Value::Missing
    );
    // CépiDc 2023, all causes: Pas-de-Calais 1,181 per 100,000.
    assert!((number(&pack, "mortalite", Level::Departement, "62", 2023) - 1181.0).abs() < 0.5);
    // Unemployment 2021-T4: Nord 9.4, Aisne 10.8, HdF 8.9.
    assert_eq!(number(&pack, "chomage", Level::Departement, "59", 2021), 9.4);
    assert_eq!(number(&pack, "chomage", Level::Departement, "02", 2021), 10.8);
    assert_eq!(number(&pack, "chomage", Level::Region, "32", 2021), 8.9);
    // APL 2023, weighted by standardised population: HdF 4.12, Oise 3.00, Aisne 3.18, Nord 4.54.
    for (level, code, apl) in [
        (Level::Region, "32", 4.12),
        (Level::Departement, "60", 3.00),
        (Level::Departement, "02", 3.18),
        (Level::Departement, "59", 4.54),
    ] {
        let v = number(&pack, "apl", level, code, 2023);
        assert!((v - apl).abs() < 0.006, "APL {code}: {v}");
    }
    // Age pyramid: HdF on 1 January 2025 = 5,973,933 (sum of both sexes and every band).
    let total: f64 = ["H", "F"]
        .iter()
        .flat_map(|s| AGES.iter().map(move |a| format!("pop_{s}_{a}")))
        .map(|id| number(&pack, &id, Level::Region, "32", 2025))
        .sum();
    assert_eq!(total, 5_973_933.0);
    // Poverty: only the 472 communes Insee publishes have a value.
    let layer = pack.territories.level(&Level::Commune).unwrap();
    let published = layer
        .territories
        .keys()
        .filter(|c| {
            matches!(pack.store.value(&IndicatorId::new("pauvrete"), &Level::Commune, c, 2019), Value::Available(_))
        })
        .count();
    assert_eq!(published, 472);

    // The template's pyramid for Nord, compared with the région: one tagged bar per sex and band.
    let territory = indicarto::portrait::TerritoryRef::new(Level::Departement, "59");
    let selection = indicarto::portrait::Selection {
        comparisons: indicarto::portrait::default_comparisons(&pack, &territory),
        territory,
        year: Some(2025),
    };
    let template = indicarto::portrait::template(&pack, Some("sante")).unwrap();
    let portrait =
        indicarto::portrait::build_portrait(&pack, &selection, template, &indicarto::portrait::MapOptions::default())
            .unwrap();
    let pyramid = portrait.iter().find(|i| i.slug.ends_with("pyramide")).unwrap();
    let svg = indicarto::export::svg::to_svg(&pyramid.figure).text;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let bars = doc.descendants().find(|n| n.attribute("id") == Some("bars")).unwrap();
    assert_eq!(bars.children().filter(|n| n.attribute("data-code").is_some()).count(), 40, "20 bands × 2 sexes");
    assert!(doc.descendants().any(|n| n.attribute("id") == Some("reference")), "the région's profile is drawn");
    assert_eq!(pyramid.data.rows.len(), 20);
}

/// A count below the threshold is masked at the commune, its EPCI total (above the threshold) is
/// published, a rate whose numerator is masked is masked, and the command line prints `s`, never
/// the number.
#[test]
fn secret_cells_are_masked_everywhere_the_value_is_read() {
    let (_dir, pack_dir) = common::sample_copy();
    common::with_extra_manifest(&pack_dir, common::DEATHS_INDICATORS);
    // Every commune of CA Amiens Métropole (248000531) gets 20 deaths, except Amiens (80021) 1,234,
    // Saleux (80724) 7, under the threshold, and Dury (80261), which the data marks secret.
    let members = common::sample().territories.members(&Level::Epci, &TerritoryCode::new("248000531"), &Level::Commune);
    let write = |dury: &str| {
        let mut csv = String::from("code;annee;valeur\n");
        for commune in &members {
            let value = match commune.code.as_str() {
                "80021" => "1234",
                "80724" => "7",
                "80261" => dury,
                _ => "20",
            };
            writeln!(csv, "{};2023;{value}", commune.code).unwrap();
        }
        std::fs::write(pack_dir.join("data/deces.csv"), csv).unwrap();
        Pack::open(&pack_dir).unwrap()
    };
    let observe = |pack: &Pack, level: Level, code: &str, id: &str| {
        pack.store.observation(&IndicatorId::new(id), &level, &TerritoryCode::new(code), 2023)
    };

    // With Dury's count known (15), the EPCI total is computed from the raw counts, then published
    // because it is above the threshold: 1,234 + 7 + 15 + 20 × (members − 3).
    let pack = write("15");
    let expected = 1234.0 + 7.0 + 15.0 + 20.0 * (members.len() - 3) as f64;
    assert_eq!(observe(&pack, Level::Epci, "248000531", "deces").value, Value::Available(expected));
    assert_eq!(observe(&pack, Level::Commune, "80724", "deces").value, Value::Secret);
    let rate = observe(&pack, Level::Commune, "80724", "taux_deces");
    assert_eq!(rate.value, Value::Secret);
    assert!(rate.numerator.is_none() && rate.denominator.is_none());
    assert_eq!(observe(&pack, Level::Commune, "80021", "deces").value, Value::Available(1234.0));

    // With Dury marked secret by the source, the EPCI cannot be summed: missing, not a wrong sum.
    let pack = write("s");
    assert_eq!(observe(&pack, Level::Commune, "80261", "deces").value, Value::Secret);
    assert_eq!(observe(&pack, Level::Epci, "248000531", "deces").value, Value::Missing);

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .args(["values", "--pack"])
        .arg(&pack_dir)
        .args(["--indicator", "deces", "--level", "commune", "--year", "2023"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let saleux = stdout.lines().find(|l| l.starts_with("80724;")).unwrap();
    assert!(saleux.contains(";s;") && !saleux.contains(";7;"), "{saleux}");
    assert!(!stderr.contains(";7;"));
    let amiens = stdout.lines().find(|l| l.starts_with("80021;")).unwrap();
    assert!(amiens.contains(";1234;"), "{amiens}");
}
