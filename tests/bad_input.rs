//! Bad input gets a clear error naming the file and the place, never a panic or a silent partial load.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::path::Path;

use indicarto::boundary::{self, BoundaryError, LoadOptions};
use indicarto::code::Level;
use indicarto::diagnostics::Warning;
use indicarto::pack::{Pack, PackError};

fn load(path: &Path) -> Result<boundary::Layer, BoundaryError> {
    boundary::load_layer(path, &LoadOptions::default())
}

fn copy_communes(dir: &Path) -> std::path::PathBuf {
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let name = format!("hdf_communes_cog2026.{ext}");
        std::fs::copy(common::repo().join("geodata").join(&name), dir.join(&name)).unwrap();
    }
    dir.join("hdf_communes_cog2026.shp")
}

#[test]
fn truncated_shp_names_the_file_and_says_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    let bytes = std::fs::read(&shp).unwrap();
    for keep in [0, 50, 100 + 4, bytes.len() / 2, bytes.len() - 3] {
        std::fs::write(&shp, &bytes[..keep]).unwrap();
        let message = load(&shp).unwrap_err().to_string();
        assert!(message.contains("hdf_communes_cog2026.shp"), "{message}");
        assert!(message.contains("tronqué") || message.contains("court"), "cut at {keep}: {message}");
    }
}

#[test]
fn shp_record_with_lying_point_count_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    let mut bytes = std::fs::read(&shp).unwrap();
    // First record: header at 100, content at 108; the point count is at content offset 40.
    bytes[148..152].copy_from_slice(&i32::MAX.to_le_bytes());
    std::fs::write(&shp, &bytes).unwrap();
    let message = load(&shp).unwrap_err().to_string();
    assert!(message.contains("enregistrement 1") && message.contains("points"), "{message}");
}

#[test]
fn dbf_with_lying_header_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).unwrap();
    bytes[4..8].copy_from_slice(&4_000_000u32.to_le_bytes());
    std::fs::write(&dbf, &bytes).unwrap();
    let message = load(&shp).unwrap_err().to_string();
    assert!(message.contains("hdf_communes_cog2026.dbf") && message.contains("4000000"), "{message}");
}

#[test]
fn dbf_and_shp_that_do_not_match_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    std::fs::copy(common::repo().join("geodata/hdf_region.dbf"), shp.with_extension("dbf")).unwrap();
    let message = load(&shp).unwrap_err().to_string();
    assert!(message.contains("ne vont pas ensemble"), "{message}");
}

#[test]
fn missing_shx_or_dbf_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    std::fs::remove_file(shp.with_extension("shx")).unwrap();
    let message = load(&shp).unwrap_err().to_string();
    assert!(message.contains(".shx") && message.contains("introuvable"), "{message}");
    let shp = copy_communes(dir.path());
    std::fs::remove_file(shp.with_extension("dbf")).unwrap();
    assert!(load(&shp).unwrap_err().to_string().contains(".dbf"));
}

#[test]
fn unknown_or_missing_crs_is_an_error_not_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let shp = copy_communes(dir.path());
    std::fs::write(shp.with_extension("prj"), "PROJCS[\"Mystery\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Robinson\"],UNIT[\"Meter\",1]]").unwrap();
    let message = load(&shp).unwrap_err().to_string();
    assert!(message.contains(".prj") && message.contains("Robinson"), "{message}");
    std::fs::write(shp.with_extension("prj"), "n'importe quoi").unwrap();
    assert!(matches!(load(&shp), Err(BoundaryError::Crs { .. })));
    std::fs::remove_file(shp.with_extension("prj")).unwrap();
    assert!(matches!(load(&shp), Err(BoundaryError::NoCrs { .. })));
    let assumed = boundary::load_layer(
        &shp,
        &LoadOptions { assume_crs: Some(boundary::Crs::lambert93()), ..LoadOptions::default() },
    )
    .unwrap();
    assert_eq!(assumed.features.len(), 3782);
}

#[test]
fn geojson_that_is_not_json_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.geojson");
    std::fs::write(&path, "{\"type\": \"FeatureCollection\",\n \"features\": [ oops ]}").unwrap();
    let message = load(&path).unwrap_err().to_string();
    assert!(message.contains("bad.geojson") && message.contains("ligne 2"), "{message}");
    std::fs::write(&path, "").unwrap();
    assert!(load(&path).unwrap_err().to_string().contains("vide"));
}

fn edit_manifest(pack: &Path, from: &str, to: &str) {
    let path = pack.join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture: {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn manifest_typo_gives_line_and_expected_keys() {
    let (_dir, pack) = common::sample_copy();
    edit_manifest(&pack, "aggregation = \"sum\"", "agregation = \"sum\"");
    let Err(PackError::Manifest { line, message, .. }) = Pack::open(&pack) else { panic!("typo accepted") };
    let text = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let expected_line = text.lines().position(|l| l.starts_with("agregation")).unwrap() + 1;
    assert_eq!(line, expected_line);
    assert!(message.contains("agregation") && message.contains("aggregation"), "{message}");
}

#[test]
fn unknown_indicator_in_template_is_listed_with_a_suggestion() {
    let (_dir, pack) = common::sample_copy();
    edit_manifest(
        &pack,
        "{ kind = \"bar\", indicators = [\"densite\"] }",
        "{ kind = \"bar\", indicators = [\"densit\"] }",
    );
    edit_manifest(&pack, "pattern = \"ptot_{year}\"", "pattern = \"ptot_{year}\", numerator = \"nb_inconnu\"");
    let Err(PackError::Invalid(issues)) = Pack::open(&pack) else { panic!("accepted") };
    let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|m| m.contains("densit") && m.contains("vouliez-vous dire « densite »")), "{text:#?}");
    assert!(text.iter().any(|m| m.contains("hdf_communes_population.csv") && m.contains("nb_inconnu")), "{text:#?}");
}

#[test]
fn missing_data_file_and_bad_number_are_errors_with_their_place() {
    let (_dir, pack) = common::sample_copy();
    let csv = pack.join("data/hdf_communes_elus_municipaux_2026.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",15,", ",1x5,", 1);
    std::fs::write(&csv, lines.join("\n")).unwrap();
    std::fs::remove_file(pack.join("data/fr_departements_population.csv")).unwrap();
    let Err(PackError::Invalid(issues)) = Pack::open(&pack) else { panic!("accepted") };
    let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|m| m.contains("fr_departements_population.csv")), "{text:#?}");
    assert!(
        text.iter().any(|m| m.contains("elus_municipaux") && m.contains("ligne 4") && m.contains("1x5")),
        "{text:#?}"
    );
}

#[test]
fn csv_with_unknown_and_old_codes_warns_and_keeps_the_rest() {
    let (_dir, pack) = common::sample_copy();
    let csv = pack.join("data/hdf_communes_elus_municipaux_2026.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    // 62461 (Huby-Saint-Leu) was absorbed into 62447 in 2025; 99999 is no code at all.
    text.push_str("62461,15,7,46.7,54.5,M\n99999,11,5,45.5,50.0,F\n");
    std::fs::write(&csv, text).unwrap();
    let opened = Pack::open(&pack).unwrap();
    let found = opened.warnings.iter().find_map(|w| match w {
        Warning::UnknownCodes { level: Level::Commune, codes, other_vintage, file, .. }
            if file.ends_with("hdf_communes_elus_municipaux_2026.csv") =>
        {
            Some((codes.clone(), other_vintage.clone()))
        }
        _ => None,
    });
    let (codes, old) = found.expect("unknown codes reported");
    assert_eq!(codes.iter().map(indicarto::code::TerritoryCode::as_str).collect::<Vec<_>>(), ["62461", "99999"]);
    assert_eq!(old.iter().map(indicarto::code::TerritoryCode::as_str).collect::<Vec<_>>(), ["62461"]);
    // The region's councillors are unchanged: the unknown rows were not counted anywhere.
    let total = opened.store.value(
        &indicarto::code::IndicatorId::new("nb_conseillers"),
        &Level::Region,
        &indicarto::code::TerritoryCode::new("32"),
        2026,
    );
    assert_eq!(total, indicarto::value::Value::Available(54_085.0));
}

#[test]
fn cyclic_computed_indicators_are_an_error() {
    let (_dir, pack) = common::sample_copy();
    edit_manifest(
        &pack,
        "derive = { difference = [\"ptot\", \"pmun\"] }",
        "derive = { difference = [\"part_pcap\", \"pmun\"] }",
    );
    let Err(PackError::Invalid(issues)) = Pack::open(&pack) else { panic!("accepted") };
    assert!(issues.iter().any(|i| i.message.contains("circulaire")), "{issues:#?}");
}
