//! Boundary layers of the shared real data: the Shapefile (Lambert-93) and GeoJSON (WGS84) versions
//! describe the same territories with the same codes, and reprojection brings them together; the
//! GeoPackage made from them by GDAL (`tests/fixtures/oise_extrait.gpkg`, two layers, one from a
//! Latin-1 source; `tests/fixtures/make_gpkg.sh`) reads by layer with its accents, and a zipped
//! Shapefile reads like the unzipped one.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeSet;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::forge::{self, ZipEntry};
use geo::{Area, Centroid};
use indicarto::boundary::{self, Crs, LoadOptions};
use indicarto::territory::{LayerSpec, TerritorySet};

fn codes(path: &std::path::Path, field: &str) -> BTreeSet<String> {
    let layer = boundary::load_layer(path, &LoadOptions::default()).unwrap();
    let index = layer.field_index(field).unwrap();
    layer.features.iter().map(|f| f.attributes[index].clone().unwrap()).collect()
}

#[test]
fn communes_and_epci_have_identical_codes_in_shapefile_and_geojson() {
    let Some(data) = common::shared_data() else { return };
    let shp = codes(&data.join("boundaries/shp_lambert93/hdf_communes_cog2026.shp"), "INSEE_COM");
    let json = codes(&data.join("boundaries/geojson_wgs84/hdf_communes_cog2026.geojson"), "code");
    assert_eq!(shp.len(), 3782);
    assert_eq!(shp, json);
    assert!(shp.contains("02691") && shp.contains("60694"));
    let shp = codes(&data.join("boundaries/shp_lambert93/hdf_epci_2026.shp"), "CODE_SIREN");
    let json = codes(&data.join("boundaries/geojson_wgs84/hdf_epci_2026.geojson"), "siren");
    assert_eq!(shp.len(), 92);
    assert_eq!(shp, json);
}

#[test]
fn geojson_reprojected_to_lambert93_lands_on_the_shapefile() {
    let Some(data) = common::shared_data() else { return };
    let shp =
        boundary::load_layer(&data.join("boundaries/shp_lambert93/hdf_departements.shp"), &LoadOptions::default())
            .unwrap();
    let mut json =
        boundary::load_layer(&data.join("boundaries/geojson_wgs84/hdf_departements.geojson"), &LoadOptions::default())
            .unwrap();
    assert_eq!(shp.crs.epsg(), Some(2154));
    assert_eq!(json.crs.epsg(), Some(4326));
    json.reproject(&Crs::lambert93()).unwrap();
    let code_shp = shp.field_index("INSEE_DEP").unwrap();
    let code_json = json.field_index("code").unwrap();
    for a in &shp.features {
        let b = json.features.iter().find(|b| b.attributes[code_json] == a.attributes[code_shp]).unwrap();
        let (ca, cb) = (a.geometry.centroid().unwrap(), b.geometry.centroid().unwrap());
        // Both come from the same geometry; the GeoJSON was snapped to 1e-6 degree (about 0.1 m).
        assert!((ca.x() - cb.x()).abs() < 5.0 && (ca.y() - cb.y()).abs() < 5.0, "{ca:?} vs {cb:?}");
    }
}

/// Without an EPCI or département file, those levels are dissolved from the communes' parent fields;
/// the dissolved départements have the area of the shared département layer (itself a dissolve made
/// with shapely, with slivers under 50 m² removed).
#[test]
fn upper_levels_dissolved_from_communes_match_the_published_layers() {
    let Some(data) = common::shared_data() else { return };
    let spec = LayerSpec {
        file: data.join("boundaries/shp_lambert93/hdf_communes_cog2026.shp"),
        level: Some("commune".into()),
        ..LayerSpec::default()
    };
    let set = TerritorySet::load(&[spec], std::path::Path::new(""), &LoadOptions::default()).unwrap();
    let deps = set.level(&indicarto::code::Level::Departement).unwrap();
    assert_eq!(deps.territories.len(), 5);
    assert_eq!(set.level(&indicarto::code::Level::Epci).unwrap().territories.len(), 92);
    let reference =
        boundary::load_layer(&data.join("boundaries/shp_lambert93/hdf_departements.shp"), &LoadOptions::default())
            .unwrap();
    let code = reference.field_index("INSEE_DEP").unwrap();
    for feature in &reference.features {
        let dep = indicarto::code::TerritoryCode::new(feature.attributes[code].as_deref().unwrap());
        let ours = geo::Area::unsigned_area(&deps.geometry[&dep]);
        let theirs = geo::Area::unsigned_area(&feature.geometry);
        assert!((ours - theirs).abs() / theirs < 1e-4, "{dep}: {ours} vs {theirs}");
    }
    // Oise keeps its 17.35 km² hole filled by a piece of Aisne (shared README: nested enclaves).
    let oise = &deps.geometry[&indicarto::code::TerritoryCode::new("60")];
    assert!(oise.0.iter().any(|p| p.interiors().iter().any(|r| {
        let a = geo::Area::unsigned_area(&geo::Polygon::new(r.clone(), vec![]));
        (a / 1e6 - 17.35).abs() < 0.2
    })));
}

fn fixture() -> PathBuf {
    common::repo().join("tests/fixtures/oise_extrait.gpkg")
}

fn layer_option(name: &str) -> LoadOptions {
    LoadOptions { layer: Some(name.to_owned()), ..LoadOptions::default() }
}

fn text(layer: &boundary::Layer, feature: usize, field: &str) -> String {
    layer.features[feature].attributes[layer.field_index(field).unwrap()].clone().unwrap_or_default()
}

/// The GeoPackage GDAL wrote holds two layers; each reads by its name, in Lambert-93 from the file's
/// own `gpkg_spatial_ref_sys`, the accents of the Latin-1 source kept; without a name the reader
/// lists both.
#[test]
fn a_geopackage_of_two_layers_reads_by_layer_with_its_accents() {
    let path = fixture();
    assert_eq!(boundary::list_layers(&path).unwrap(), ["communes", "departements"]);
    let error = boundary::load_layer(&path, &LoadOptions::default()).unwrap_err().to_string();
    assert!(error.contains("oise_extrait.gpkg") && error.contains("communes, departements"), "{error}");
    assert!(error.contains("--layer") && error.contains("layer = "), "{error}");
    let error = boundary::load_layer(&path, &layer_option("epci")).unwrap_err().to_string();
    assert!(error.contains("couche « epci » introuvable"), "{error}");

    let communes = boundary::load_layer(&path, &layer_option("communes")).unwrap();
    assert_eq!(communes.features.len(), 16);
    assert_eq!(communes.crs.epsg(), Some(2154));
    assert_eq!(communes.encoding, "UTF-8 (GeoPackage)");
    assert!(communes.warnings.is_empty(), "{:?}", communes.warnings);
    assert!(communes.fields.iter().any(|f| f == "INSEE_COM") && !communes.fields.iter().any(|f| f == "fid"));
    let names: Vec<String> = (0..16).map(|i| text(&communes, i, "NOM")).collect();
    // Names as Insee's COG writes them (the accents of the Latin-1 .dbf GDAL read).
    for name in
        ["Cambronne-lès-Ribécourt", "Mélicocq", "Ribécourt-Dreslincourt", "Saint-Léger-aux-Bois", "Vandélicourt"]
    {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }
    assert!((0..16).all(|i| text(&communes, i, "INSEE_DEP") == "60" && text(&communes, i, "INSEE_COM").len() == 5));
    let departements = boundary::load_layer(&path, &layer_option("DEPARTEMENTS")).unwrap();
    assert_eq!(departements.features.len(), 1);
    assert_eq!(text(&departements, 0, "INSEE_DEP"), "60");
    assert_eq!(text(&departements, 0, "NOM"), "Oise");
}

/// The GeoPackage's communes are the Shapefile's (same codes), and their areas agree within the
/// 20 m simplification GDAL applied (an independent writer: GDAL wrote the GeoPackage, this
/// application reads both).
#[test]
fn geopackage_communes_match_the_shapefile_they_were_made_from() {
    let Some(data) = common::shared_data() else { return };
    let gpkg = boundary::load_layer(&fixture(), &layer_option("communes")).unwrap();
    let shp =
        boundary::load_layer(&data.join("boundaries/shp_lambert93/hdf_communes_cog2026.shp"), &LoadOptions::default())
            .unwrap();
    let epci = shp.field_index("SIREN_EPCI").unwrap();
    let code = shp.field_index("INSEE_COM").unwrap();
    let ours: BTreeSet<String> = (0..gpkg.features.len()).map(|i| text(&gpkg, i, "INSEE_COM")).collect();
    let theirs: BTreeSet<String> = shp
        .features
        .iter()
        .filter(|f| f.attributes[epci].as_deref() == Some("246000772"))
        .map(|f| f.attributes[code].clone().unwrap())
        .collect();
    assert_eq!(ours, theirs);
    for (i, feature) in gpkg.features.iter().enumerate() {
        let commune = text(&gpkg, i, "INSEE_COM");
        let original = shp.features.iter().find(|f| f.attributes[code].as_deref() == Some(commune.as_str())).unwrap();
        let (a, b) = (feature.geometry.unsigned_area(), original.geometry.unsigned_area());
        assert!((a - b).abs() / b < 0.02, "{commune}: {a} m² vs {b} m²");
    }
}

/// Two `[[boundaries]]` entries may name the same GeoPackage with `layer = "…"`; the levels link.
#[test]
fn a_manifest_takes_two_layers_of_one_geopackage() {
    let specs: Vec<LayerSpec> = [
        "file = \"oise_extrait.gpkg\"\nlayer = \"communes\"\nlevel = \"commune\"",
        "file = \"oise_extrait.gpkg\"\nlayer = \"departements\"\nlevel = \"departement\"",
    ]
    .iter()
    .map(|t| toml::from_str(t).unwrap())
    .collect();
    let set = TerritorySet::load(&specs, &common::repo().join("tests/fixtures"), &LoadOptions::default()).unwrap();
    let communes = set.level(&indicarto::code::Level::Commune).unwrap();
    assert_eq!(communes.territories.len(), 16);
    let deps = set.level(&indicarto::code::Level::Departement).unwrap();
    assert_eq!(deps.territories.len(), 1);
    assert!(
        communes.territories.values().all(|t| t
            .parents
            .get(&indicarto::code::Level::Departement)
            .map(indicarto::code::TerritoryCode::as_str)
            == Some("60"))
    );
}

/// Reading never writes beside the file: no journal, `-wal` or `-shm` (SQLite opened immutable), and
/// the file's bytes are unchanged.
#[test]
fn reading_a_geopackage_writes_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("contours.gpkg");
    std::fs::copy(fixture(), &copy).unwrap();
    let before = forge::files_under(dir.path());
    for layer in ["communes", "departements"] {
        boundary::load_layer(&copy, &layer_option(layer)).unwrap();
    }
    boundary::list_layers(&copy).unwrap();
    assert_eq!(forge::files_under(dir.path()), before);
    // Edits another program still holds in a `-wal` file are not read (immutable): said.
    std::fs::write(dir.path().join("contours.gpkg-wal"), b"pending").unwrap();
    let layer = boundary::load_layer(&copy, &layer_option("communes")).unwrap();
    assert!(
        layer.warnings.iter().any(|w| w.contains("-wal") && w.contains("ne sont pas lues")),
        "{:?}",
        layer.warnings
    );
}

/// `indicarto info` lists the layers of a GeoPackage, and describes one with `--layer`.
#[test]
fn info_lists_the_layers_and_describes_one() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_indicarto")).arg("info").arg(fixture()).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = run(&[]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("couches : communes, departements"), "{stdout}");
    let (code, stdout, stderr) = run(&["--layer", "communes"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("entités : 16") && stdout.contains("EPSG:2154") && stdout.contains("niveau : commune"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["--layer", "cantons"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("couche « cantons » introuvable"), "{stderr}");
}

fn zip_of(path: &Path, stems: &[&str], dir: &Path) {
    let mut files = Vec::new();
    for stem in stems {
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            let name = format!("{stem}.{ext}");
            files.push((format!("COMMUNES/{name}"), std::fs::read(dir.join(&name)).unwrap()));
        }
    }
    let entries: Vec<ZipEntry<'_>> = files.iter().map(|(n, b)| ZipEntry::File(n, b)).collect();
    forge::write_zip(path, &entries);
}

/// A zipped Shapefile reads as the Shapefile itself, nothing is written beside the zip, and a zip of
/// several layers is read by name.
#[test]
fn a_zipped_shapefile_reads_like_the_shapefile() {
    let geodata = common::repo().join("geodata");
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("contours.zip");
    zip_of(&zip, &["hdf_departements"], &geodata);
    let zipped = boundary::load_layer(&zip, &LoadOptions::default()).unwrap();
    let plain = boundary::load_layer(&geodata.join("hdf_departements.shp"), &LoadOptions::default()).unwrap();
    assert_eq!(zipped.fields, plain.fields);
    assert_eq!(zipped.crs, plain.crs);
    assert_eq!(zipped.encoding, plain.encoding);
    assert_eq!(zipped.features.len(), plain.features.len());
    for (a, b) in zipped.features.iter().zip(&plain.features) {
        assert_eq!(a.attributes, b.attributes);
        assert_eq!(a.geometry, b.geometry);
    }
    assert_eq!(zipped.path, zip.join("COMMUNES/hdf_departements.shp"));
    assert_eq!(forge::files_under(dir.path()).len(), 1, "nothing written beside the zip");

    let both = dir.path().join("deux.zip");
    zip_of(&both, &["hdf_departements", "hdf_region"], &geodata);
    assert_eq!(boundary::list_layers(&both).unwrap(), ["hdf_departements", "hdf_region"]);
    let error = boundary::load_layer(&both, &LoadOptions::default()).unwrap_err().to_string();
    assert!(error.contains("deux.zip") && error.contains("2 couches") && error.contains("--layer"), "{error}");
    let region = boundary::load_layer(&both, &layer_option("hdf_region")).unwrap();
    assert_eq!(region.features.len(), 1);
    // In a pack, `layer` picks it too.
    let spec: LayerSpec = toml::from_str("file = \"deux.zip\"\nlayer = \"hdf_region\"").unwrap();
    let set = TerritorySet::load(&[spec], dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(set.level(&indicarto::code::Level::Region).unwrap().territories.len(), 1);
}

/// Coordinates out of the CRS's domain in the shared real data would be a bug of the check: every
/// real layer loads.
#[test]
fn real_layers_are_within_their_crs_domain() {
    let Some(data) = common::shared_data() else { return };
    for file in [
        "boundaries/geojson_wgs84/fr_departements.geojson",
        "boundaries/shp_lambert93/fr_departements.shp",
        "boundaries/shp_lambert93/fr_regions.shp",
    ] {
        let layer = boundary::load_layer(&data.join(file), &LoadOptions::default()).unwrap();
        assert!(layer.warnings.is_empty(), "{file}: {:?}", layer.warnings);
    }
}
