//! Boundary layers of the shared real data: the Shapefile (Lambert-93) and GeoJSON (WGS84) versions
//! describe the same territories with the same codes, and reprojection brings them together.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeSet;

use geo::Centroid;
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
