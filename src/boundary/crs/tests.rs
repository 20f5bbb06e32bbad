// Reason: the reference coordinates are pasted verbatim from pyproj's output so that they can be compared
// with it digit for digit; underscores would break that.
#![allow(clippy::unreadable_literal)]

use super::wkt::{MAX_WKT_DEPTH, MAX_WKT_LEN, WktValue, parse_wkt};
use super::*;

// Reference values: PROJ itself through pyproj 3.7.2 (PROJ 9.5.1, no network, no grids installed), with
// this script (the printed operation descriptions are copied above each table):
//
//     from pyproj import Transformer
//     pts = {2154: [...], 32631: [...], ...}          # the (lon, lat) of each table below
//     for code, ps in pts.items():
//         src = 4258 if code == 3035 else 4326
//         t = Transformer.from_crs(src, code, always_xy=True)
//         print(f"// EPSG:{code}: {t.description}")
//         for lon, lat in ps:
//             x, y = t.transform(lon, lat)
//             print(f"({lon!r}, {lat!r}, {x!r}, {y!r}),")
//
// Each row is (lon, lat, x, y).
type Reference = (f64, f64, f64, f64);

// axis order change (2D) + Inverse of RGF93 v1 to WGS 84 (1) + Lambert-93. Paris, Lille, Marseille, Brest,
// Strasbourg, Ajaccio, near Dunkerque, Biarritz, projection origin.
const LAMBERT93: [Reference; 9] = [
    (2.3522, 48.8566, 652469.0227091359, 6862035.259420079),
    (3.0573, 50.6292, 704061.14589143, 7059136.589458545),
    (5.3698, 43.2965, 892390.2215663685, 6247035.256802095),
    (-4.4861, 48.3904, 146632.9785275159, 6836262.326655938),
    (7.7521, 48.5734, 1050362.6953579267, 6840899.647188027),
    (8.7369, 41.9192, 1176526.6022606797, 6108263.022637189),
    (2.3768, 51.0343, 656187.4293494734, 7104461.774448965),
    (-1.5586, 43.4832, 331261.33320891485, 6275547.917677106),
    (3.0, 46.5, 700000.0, 6600000.0),
];
// axis order change (2D) + UTM zone 31N. Paris, Marseille, Strasbourg.
const UTM31N: [Reference; 3] = [
    (2.3522, 48.8566, 452482.5327026278, 5411717.1768689),
    (5.3698, 43.2965, 692230.4693455693, 4796468.507280359),
    (7.7521, 48.5734, 850489.3951461589, 5390944.453090523),
];
// axis order change (2D) + UTM zone 20N. Fort-de-France, Pointe-à-Pitre.
const UTM20N: [Reference; 2] = [
    (-61.0588, 14.6161, 709096.3158404225, 1616759.7331986546),
    (-61.5331, 16.2411, 656770.8973660034, 1796166.1758950904),
];
// axis order change (2D) + Inverse of RGR92 to WGS 84 (1) + UTM zone 40S. La Réunion, Saint-Denis.
const RGR92_UTM40S: [Reference; 2] =
    [(55.5, -21.1, 344197.5754097963, 7666050.711042009), (55.4481, -20.8789, 338568.31502572447, 7690475.436586598)];
// axis order change (2D) + Inverse of RGF93 v1 to WGS 84 (1) + France Conic Conformal zone 8. Paris,
// Rouen, Reims.
const CC49: [Reference; 3] = [
    (2.3522, 48.8566, 1652467.868924464, 8184256.869147062),
    (1.0993, 49.4431, 1562182.3593665194, 8251000.57487383),
    (4.0317, 49.2583, 1775092.2194291137, 8229234.026313609),
];
// axis order change (2D) + Popular Visualisation Pseudo-Mercator.
const WEB_MERCATOR: [Reference; 3] = [
    (2.3522, 48.8566, 261845.70624393807, 6250564.349543125),
    (-61.0588, 14.6161, -6797034.524448331, 1644996.3780693992),
    (55.5, -21.1, 6178231.739026683, -2403806.521646826),
];
// From EPSG:4258: axis order change (2D) + Europe Equal Area 2001 + axis order change (2D).
const LAEA_EUROPE: [Reference; 2] = [
    (2.3522, 48.8566, 3760771.86483801, 2889484.8019008012),
    (-4.4861, 48.3904, 3255601.0457992945, 2913655.9395626276),
];
// axis order change (2D) + Inverse of NTF to WGS 84 (1) + Inverse of NTF (Paris) to NTF (1) +
// Lambert zone II; PROJ's pipeline is the Helmert shift x=-168 y=-60 z=-320 on Clarke 1880 (IGN).
const NTF_LAMBERT2E: [Reference; 3] = [
    (2.3522, 48.8566, 601152.2992968142, 2428695.896968199),
    (5.3698, 43.2965, 846499.5473644414, 1815214.1284504898),
    (-4.4861, 48.3904, 95210.27115236304, 2398759.8469508993),
];
// axis order change (2D) + Inverse of RGFG95 to WGS 84 (2) + UTM zone 22N. Cayenne.
const RGFG95_UTM22N: [Reference; 1] = [(-52.3135, 4.9224, 354363.1554959688, 544229.7815183441)];
// axis order change (2D) + Inverse of RGM04 to WGS 84 (1) + UTM zone 38S. Mamoudzou.
const RGM04_UTM38S: [Reference; 1] = [(45.2279, -12.7806, 524735.37474963, 8587115.811503155)];
// Transformer.from_crs(CRS(4326), CRS.from_wkt(LAMBERT93_US_FEET_PRJ), always_xy=True), same pyproj.
const LAMBERT93_US_FEET: [Reference; 3] = [
    (2.3522, 48.8566, 2140646.2853382234, 22513193.013614044),
    (5.3698, 43.2965, 2927787.7519223276, 20495480.505024873),
    (-4.4861, 48.3904, 481082.5303856917, 22428636.316703692),
];

/// The `.prj` of IGN's ADMIN EXPRESS, as this project's data carries it.
const IGN_LAMBERT93_PRJ: &str = r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
/// OGC WKT1 as GDAL writes it (`pyproj.CRS(2154).to_wkt("WKT1_GDAL")`).
const GDAL_LAMBERT93_WKT: &str = r#"PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6171"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4171"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","2154"]]"#;
/// `pyproj.CRS(27572).to_wkt("WKT1_GDAL")`: Lambert 1SP, parameters in grads, Paris meridian.
const GDAL_NTF_WKT: &str = r#"PROJCS["NTF (Paris) / Lambert zone II",GEOGCS["NTF (Paris)",DATUM["Nouvelle_Triangulation_Francaise_Paris",SPHEROID["Clarke 1880 (IGN)",6378249.2,293.466021293627,AUTHORITY["EPSG","7011"]],AUTHORITY["EPSG","6807"]],PRIMEM["Paris",2.33722917,AUTHORITY["EPSG","8903"]],UNIT["grad",0.0157079632679489,AUTHORITY["EPSG","9105"]],AUTHORITY["EPSG","4807"]],PROJECTION["Lambert_Conformal_Conic_1SP"],PARAMETER["latitude_of_origin",52],PARAMETER["central_meridian",0],PARAMETER["scale_factor",0.99987742],PARAMETER["false_easting",600000],PARAMETER["false_northing",2200000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","27572"]]"#;
/// ESRI NTF Lambert II (`pyproj.CRS(27572).to_wkt("WKT1_ESRI")`) under a name nobody knows, so that only
/// its parameters can identify it.
const ESRI_NTF_RENAMED_PRJ: &str = r#"PROJCS["Custom_NTF_Lambert_II",GEOGCS["GCS_NTF_Paris",DATUM["Nouvelle_Triangulation_Francaise_(Paris)",SPHEROID["Clarke_1880_IGN",6378249.2,293.466021293627]],PRIMEM["Paris",2.33722917],UNIT["Grad",0.0157079632679489]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",600000.0],PARAMETER["False_Northing",2200000.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",52.0],PARAMETER["Scale_Factor",0.99987742],PARAMETER["Latitude_Of_Origin",52.0],UNIT["Meter",1.0]]"#;
/// Lambert-93 in US survey feet, false easting and northing in feet: a made-up CRS to test linear units.
const LAMBERT93_US_FEET_PRJ: &str = r#"PROJCS["Lambert_93_in_US_feet",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",2296587.5],PARAMETER["False_Northing",21653499.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Foot_US",0.3048006096012192]]"#;
const ESRI_WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
const ESRI_UTM31N_PRJ: &str = r#"PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const ESRI_WEB_MERCATOR_PRJ: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
const ESRI_LAEA_PRJ: &str = r#"PROJCS["ETRS_1989_LAEA",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["False_Easting",4321000.0],PARAMETER["False_Northing",3210000.0],PARAMETER["Central_Meridian",10.0],PARAMETER["Latitude_Of_Origin",52.0],UNIT["Meter",1.0]]"#;
const ESRI_ROBINSON_PRJ: &str = r#"PROJCS["World_Robinson",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Robinson"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],UNIT["Meter",1.0]]"#;

/// Replaces the top-level name of a WKT so that only the AUTHORITY or the parameters can identify it.
fn renamed(wkt: &str, from: &str, to: &str) -> String {
    assert!(wkt.contains(from), "test WKT must contain {from}");
    wkt.replacen(from, to, 1)
}

fn without_authorities(wkt: &str) -> String {
    let mut out = wkt.to_owned();
    while let Some(start) = out.find(",AUTHORITY[") {
        let end = out[start..].find(']').unwrap() + start + 1;
        out.replace_range(start..end, "");
    }
    out
}

/// Forward within `metres` of the reference, and the reference projected coordinates back to the
/// reference degrees within `degrees`.
fn check_against_reference(crs: &Crs, references: &[Reference], metres: f64, degrees: f64) {
    let forward = Transformer::new(&Crs::wgs84(), crs).unwrap();
    let inverse = Transformer::new(crs, &Crs::wgs84()).unwrap();
    assert!(!forward.is_identity());
    for &(lon, lat, x, y) in references {
        let (px, py) = forward.transform(lon, lat).unwrap();
        assert!(
            (px - x).abs() <= metres && (py - y).abs() <= metres,
            "{crs}: ({lon}, {lat}) gave ({px}, {py}), PROJ gives ({x}, {y})"
        );
        let (plon, plat) = inverse.transform(x, y).unwrap();
        assert!(
            (plon - lon).abs() <= degrees && (plat - lat).abs() <= degrees,
            "{crs}: ({x}, {y}) gave ({plon}, {plat}), expected ({lon}, {lat})"
        );
    }
}

/// About 1 cm on the ground, in degrees of latitude.
const CENTIMETRE_IN_DEGREES: f64 = 1e-7;

#[test]
fn lambert93_matches_proj_within_a_millimetre_both_ways() {
    check_against_reference(&Crs::lambert93(), &LAMBERT93, 0.001, 1e-8);
    check_against_reference(&Crs::from_epsg(2154).unwrap(), &LAMBERT93, 0.001, 1e-8);
}

#[test]
fn lambert93_origin_is_exactly_the_false_origin() {
    // IGN's definition of Lambert-93: the point 3°E 46°30'N is (700 000 m, 6 600 000 m).
    let t = Transformer::new(&Crs::wgs84(), &Crs::lambert93()).unwrap();
    let (x, y) = t.transform(3.0, 46.5).unwrap();
    assert!((x - 700_000.0).abs() < 1e-6 && (y - 6_600_000.0).abs() < 1e-6, "({x}, {y})");
}

#[test]
fn other_crs_match_proj_within_a_centimetre() {
    let cases: [(u32, &[Reference]); 9] = [
        (32631, &UTM31N),
        (32620, &UTM20N),
        (2975, &RGR92_UTM40S),
        (3949, &CC49),
        (3857, &WEB_MERCATOR),
        (3035, &LAEA_EUROPE),
        (27572, &NTF_LAMBERT2E),
        (2972, &RGFG95_UTM22N),
        (4471, &RGM04_UTM38S),
    ];
    for (code, references) in cases {
        check_against_reference(&Crs::from_epsg(code).unwrap(), references, 0.01, CENTIMETRE_IN_DEGREES);
    }
}

#[test]
fn projected_to_projected_goes_through_both_definitions() {
    // Paris in Lambert-93 to UTM 31N, and NTF Lambert II to Lambert-93 (a datum shift), against the
    // PROJ values of the same point in each CRS.
    let to_utm = Transformer::new(&Crs::lambert93(), &Crs::from_epsg(32631).unwrap()).unwrap();
    let (x, y) = to_utm.transform(LAMBERT93[0].2, LAMBERT93[0].3).unwrap();
    assert!((x - UTM31N[0].2).abs() < 0.01 && (y - UTM31N[0].3).abs() < 0.01, "({x}, {y})");
    let from_ntf = Transformer::new(&Crs::from_epsg(27572).unwrap(), &Crs::lambert93()).unwrap();
    for (ntf, l93) in [(NTF_LAMBERT2E[0], LAMBERT93[0]), (NTF_LAMBERT2E[2], LAMBERT93[3])] {
        let (x, y) = from_ntf.transform(ntf.2, ntf.3).unwrap();
        assert!((x - l93.2).abs() < 0.01 && (y - l93.3).abs() < 0.01, "({x}, {y})");
    }
}

#[test]
fn every_supported_code_builds_and_round_trips() {
    for code in Crs::supported_epsg_codes() {
        let crs = Crs::from_epsg(code).unwrap();
        assert_eq!(crs.epsg(), Some(code));
        let there = Transformer::new(&Crs::wgs84(), &crs).unwrap();
        let back = Transformer::new(&crs, &Crs::wgs84()).unwrap();
        // A point inside each CRS's area: the centre of its UTM zone, or somewhere in France.
        let (lon, lat) = match code {
            32601..=32660 => (f64::from(code - 32600) * 6.0 - 183.0, 10.0),
            32701..=32760 => (f64::from(code - 32700) * 6.0 - 183.0, -10.0),
            2975 => (55.5, -21.1),
            2972 => (-52.3, 4.9),
            4471 => (45.2, -12.8),
            4559 | 5490 => (-61.0, 14.6),
            _ => (2.35, 48.85),
        };
        let (x, y) = there.transform(lon, lat).unwrap();
        let (lon2, lat2) = back.transform(x, y).unwrap();
        assert!(
            (lon2 - lon).abs() < 1e-8 && (lat2 - lat).abs() < 1e-8,
            "EPSG:{code}: ({lon}, {lat}) came back as ({lon2}, {lat2})"
        );
    }
    assert!(matches!(Crs::from_epsg(9999), Err(CrsError::UnsupportedEpsg { code: 9999 })));
    assert!(matches!(Crs::from_epsg(32661), Err(CrsError::UnsupportedEpsg { .. })));
    assert!(matches!(Crs::from_epsg(3951), Err(CrsError::UnsupportedEpsg { .. })));
}

#[test]
fn names_codes_and_display() {
    let l93 = Crs::lambert93();
    assert_eq!(l93.to_string(), "RGF93 v1 / Lambert-93 (EPSG:2154)");
    assert_eq!(l93.name(), "RGF93 v1 / Lambert-93");
    assert!(!l93.is_geographic());
    assert!(Crs::wgs84().is_geographic());
    assert_eq!(Crs::from_epsg(3949).unwrap().name(), "RGF93 v1 / CC49");
    assert_eq!(Crs::from_epsg(32631).unwrap().name(), "WGS 84 / UTM zone 31N");
    assert_eq!(Crs::from_epsg(32740).unwrap().name(), "WGS 84 / UTM zone 40S");
    let custom = Crs::from_wkt(&renamed(IGN_LAMBERT93_PRJ, "RGF_1993_Lambert_93", "My_Lambert")).unwrap();
    assert_eq!(custom.to_string(), "My_Lambert");
}

#[test]
fn geographic_crs_on_wgs84_aligned_datums_are_identities() {
    for code in [4171, 4258, 4326, 4627] {
        let t = Transformer::new(&Crs::from_epsg(code).unwrap(), &Crs::wgs84()).unwrap();
        assert!(t.is_identity(), "EPSG:{code}");
        assert_eq!(t.transform(2.3522, 48.8566).unwrap(), (2.3522, 48.8566));
    }
    let same = Transformer::new(&Crs::lambert93(), &Crs::from_wkt(IGN_LAMBERT93_PRJ).unwrap()).unwrap();
    assert!(same.is_identity());
    let ntf = Transformer::new(&Crs::from_epsg(4275).unwrap(), &Crs::wgs84()).unwrap();
    assert!(!ntf.is_identity());
}

#[test]
fn transform_slice_matches_transform_and_stops_at_the_bad_point() {
    let t = Transformer::new(&Crs::wgs84(), &Crs::lambert93()).unwrap();
    let mut points: Vec<(f64, f64)> = LAMBERT93.iter().map(|r| (r.0, r.1)).collect();
    t.transform_slice(&mut points).unwrap();
    for (p, r) in points.iter().zip(LAMBERT93) {
        assert_eq!(*p, t.transform(r.0, r.1).unwrap());
    }

    let mut points = vec![(2.3522, 48.8566), (2.0, 95.0), (3.0, 46.5)];
    match t.transform_slice(&mut points) {
        Err(CrsError::Transform { x, y, .. }) => assert_eq!((x, y), (2.0, 95.0)),
        other => panic!("expected a Transform error, got {other:?}"),
    }
    assert!((points[0].0 - LAMBERT93[0].2).abs() < 0.001);
    assert_eq!(points[1..], [(2.0, 95.0), (3.0, 46.5)]);
}

#[test]
fn impossible_points_are_errors() {
    let t = Transformer::new(&Crs::wgs84(), &Crs::lambert93()).unwrap();
    assert!(matches!(t.transform(f64::NAN, 45.0), Err(CrsError::Transform { .. })));
    assert!(matches!(t.transform(2.0, f64::INFINITY), Err(CrsError::Transform { .. })));
    assert!(matches!(t.transform(2.0, -91.0), Err(CrsError::Transform { .. })));
    let web = Transformer::new(&Crs::wgs84(), &Crs::from_epsg(3857).unwrap()).unwrap();
    let error = web.transform(0.0, 90.0).unwrap_err();
    assert!(error.to_string().contains("(0, 90)"), "{error}");
}

#[test]
fn transformer_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Transformer>();
    assert_send_sync::<Crs>();
}

// ---- WKT ----

#[test]
fn wkt_ign_lambert93_prj_is_epsg_2154() {
    let crs = Crs::from_wkt(IGN_LAMBERT93_PRJ).unwrap();
    assert_eq!(crs.epsg(), Some(2154));
    assert_eq!(crs, Crs::lambert93());
    // The other ESRI and EPSG spellings of the name.
    for name in ["RGF93_Lambert_93", "RGF93_v1_Lambert-93", "RGF93 v1 / Lambert-93", "RGF93 / Lambert-93"] {
        let wkt = renamed(IGN_LAMBERT93_PRJ, "RGF_1993_Lambert_93", name);
        assert_eq!(Crs::from_wkt(&wkt).unwrap().epsg(), Some(2154), "{name}");
    }
}

#[test]
fn wkt_lambert93_from_parameters_alone_matches_proj() {
    let esri = Crs::from_wkt(&renamed(IGN_LAMBERT93_PRJ, "RGF_1993_Lambert_93", "Unnamed")).unwrap();
    assert_eq!(esri.epsg(), None);
    check_against_reference(&esri, &LAMBERT93, 0.001, 1e-8);
    // OGC spelling (Lambert_Conformal_Conic_2SP, lowercase parameters) without any AUTHORITY.
    let gdal = without_authorities(&renamed(GDAL_LAMBERT93_WKT, "RGF93 v1 / Lambert-93", "Unnamed"));
    let ogc = Crs::from_wkt(&gdal).unwrap();
    assert_eq!(ogc.epsg(), None);
    check_against_reference(&ogc, &LAMBERT93, 0.001, 1e-8);
}

#[test]
fn wkt_ogc_authority_wins() {
    assert_eq!(Crs::from_wkt(GDAL_LAMBERT93_WKT).unwrap().epsg(), Some(2154));
    assert_eq!(Crs::from_wkt(GDAL_NTF_WKT).unwrap().epsg(), Some(27572));
    // The top-level AUTHORITY, not the one of the GEOGCS inside, and whatever the name says.
    let odd = renamed(GDAL_LAMBERT93_WKT, "RGF93 v1 / Lambert-93", "Something else");
    assert_eq!(Crs::from_wkt(&odd).unwrap().epsg(), Some(2154));
    let wkt2 = r#"GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],ID["EPSG",4326]]"#;
    assert_eq!(Crs::from_wkt(wkt2).unwrap().epsg(), Some(4326));
}

#[test]
fn wkt_esri_geographic() {
    let wgs84 = Crs::from_wkt(ESRI_WGS84_PRJ).unwrap();
    assert_eq!(wgs84.epsg(), Some(4326));
    assert!(wgs84.is_geographic());
    let rgf93 = renamed(ESRI_WGS84_PRJ, "GCS_WGS_1984", "GCS_RGF_1993");
    assert_eq!(Crs::from_wkt(&rgf93).unwrap().epsg(), Some(4171));
    // Unknown name on a WGS 84 datum: built from the parameters, and equivalent to WGS 84.
    let custom = Crs::from_wkt(&renamed(ESRI_WGS84_PRJ, "GCS_WGS_1984", "My_GCS")).unwrap();
    assert!(custom.is_geographic());
    assert_eq!(custom.epsg(), None);
    assert!(Transformer::new(&custom, &Crs::wgs84()).unwrap().is_identity());
    let null_shift = renamed(ESRI_WGS84_PRJ, "GCS_WGS_1984", "My_GCS")
        .replace("298.257223563]]", "298.257223563],TOWGS84[0,0,0,0,0,0,0]]");
    let null_shift = Crs::from_wkt(&null_shift).unwrap();
    assert!(Transformer::new(&null_shift, &Crs::wgs84()).unwrap().is_identity());
}

#[test]
fn wkt_utm_zones_by_name_and_by_parameters() {
    assert_eq!(Crs::from_wkt(ESRI_UTM31N_PRJ).unwrap().epsg(), Some(32631));
    for (name, code) in [
        ("WGS 84 / UTM zone 20N", 32620),
        ("WGS_1984_UTM_Zone_40S", 32740),
        ("RGR_1992_UTM_40S", 2975),
        ("RGF93_CC49", 3949),
        ("RGF_1993_CC49", 3949),
        ("RGF93 v1 / CC42", 3942),
    ] {
        let wkt = renamed(ESRI_UTM31N_PRJ, "WGS_1984_UTM_Zone_31N", name);
        assert_eq!(Crs::from_wkt(&wkt).unwrap().epsg(), Some(code), "{name}");
    }
    let by_parameters = Crs::from_wkt(&renamed(ESRI_UTM31N_PRJ, "WGS_1984_UTM_Zone_31N", "My_UTM")).unwrap();
    assert_eq!(by_parameters.epsg(), None);
    check_against_reference(&by_parameters, &UTM31N, 0.01, CENTIMETRE_IN_DEGREES);
    // A projected CRS that calls itself by a geographic CRS's name is judged on its parameters.
    let misnamed = Crs::from_wkt(&renamed(ESRI_UTM31N_PRJ, "WGS_1984_UTM_Zone_31N", "WGS 84")).unwrap();
    assert!(!misnamed.is_geographic());
    check_against_reference(&misnamed, &UTM31N, 0.01, CENTIMETRE_IN_DEGREES);
}

#[test]
fn wkt_other_projections_from_parameters_match_proj() {
    assert_eq!(Crs::from_wkt(ESRI_WEB_MERCATOR_PRJ).unwrap().epsg(), Some(3857));
    let web = renamed(ESRI_WEB_MERCATOR_PRJ, "WGS_1984_Web_Mercator_Auxiliary_Sphere", "My_Web");
    check_against_reference(&Crs::from_wkt(&web).unwrap(), &WEB_MERCATOR, 0.01, CENTIMETRE_IN_DEGREES);

    assert_eq!(Crs::from_wkt(ESRI_LAEA_PRJ).unwrap().epsg(), Some(3035));
    let laea = renamed(ESRI_LAEA_PRJ, "ETRS_1989_LAEA", "My_LAEA");
    check_against_reference(&Crs::from_wkt(&laea).unwrap(), &LAEA_EUROPE, 0.01, CENTIMETRE_IN_DEGREES);

    // NTF: grads, Paris meridian, Lambert 1SP with scale factor, datum known by name only.
    let ntf = Crs::from_wkt(ESRI_NTF_RENAMED_PRJ).unwrap();
    assert_eq!(ntf.epsg(), None);
    check_against_reference(&ntf, &NTF_LAMBERT2E, 0.01, CENTIMETRE_IN_DEGREES);
    let gdal_ntf = without_authorities(&renamed(GDAL_NTF_WKT, "NTF (Paris) / Lambert zone II", "My_NTF"));
    check_against_reference(&Crs::from_wkt(&gdal_ntf).unwrap(), &NTF_LAMBERT2E, 0.01, CENTIMETRE_IN_DEGREES);

    let feet = Crs::from_wkt(LAMBERT93_US_FEET_PRJ).unwrap();
    check_against_reference(&feet, &LAMBERT93_US_FEET, 0.01, CENTIMETRE_IN_DEGREES);
}

#[test]
fn wkt_unsupported_projection_names_it() {
    let error = Crs::from_wkt(ESRI_ROBINSON_PRJ).unwrap_err();
    assert!(matches!(error, CrsError::UnknownCrs { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("Robinson"), "{message}");
    assert!(message.contains("EPSG"), "{message}");
}

#[test]
fn wkt_that_cannot_be_expressed_is_an_error_not_a_guess() {
    // A Bessel datum with no TOWGS84: no shift to WGS 84 is known.
    let dhdn = r#"GEOGCS["GCS_Deutsches_Hauptdreiecksnetz",DATUM["D_Deutsches_Hauptdreiecksnetz",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    let message = Crs::from_wkt(dhdn).unwrap_err().to_string();
    assert!(message.contains("D_Deutsches_Hauptdreiecksnetz"), "{message}");
    // With its TOWGS84 it is fine.
    let with_shift = dhdn.replace("299.1528128]]", "299.1528128],TOWGS84[598.1,73.7,418.2,0.202,0.045,-2.455,6.7]]");
    assert!(Crs::from_wkt(&with_shift).is_ok());
    // A parameter the projection would ignore.
    let stray = IGN_LAMBERT93_PRJ
        .replace("RGF_1993_Lambert_93", "X")
        .replace(r#"PARAMETER["Central_Meridian",3.0]"#, r#"PARAMETER["Azimuth",3.0]"#);
    assert!(Crs::from_wkt(&stray).unwrap_err().to_string().contains("Azimuth"));
    let utm_with_parallel = renamed(ESRI_UTM31N_PRJ, "WGS_1984_UTM_Zone_31N", "X")
        .replace(r#"PARAMETER["Scale_Factor""#, r#"PARAMETER["Standard_Parallel_1",45.0],PARAMETER["Scale_Factor""#);
    assert!(matches!(Crs::from_wkt(&utm_with_parallel), Err(CrsError::UnknownCrs { .. })));
    // Geographic coordinates in grads.
    let grads = renamed(ESRI_WGS84_PRJ, "GCS_WGS_1984", "X")
        .replace(r#"UNIT["Degree",0.0174532925199433]"#, r#"UNIT["Grad",0.0157079632679489]"#);
    assert!(matches!(Crs::from_wkt(&grads), Err(CrsError::Unsupported { .. })));
    // Not a CRS at all, and WKT2 without an identifier.
    assert!(matches!(Crs::from_wkt(r#"VERT_CS["NGF-IGN69",VERT_DATUM["x",2005]]"#), Err(CrsError::UnknownCrs { .. })));
    assert!(matches!(Crs::from_wkt(r#"PROJCRS["Mine",BASEGEOGCRS["x"]]"#), Err(CrsError::UnknownCrs { .. })));
}

#[test]
fn wkt_syntax_variants() {
    // Round brackets, blanks and line breaks, a BOM, trailing NULs, escaped quotes.
    let round = IGN_LAMBERT93_PRJ.replace('[', "(").replace(']', ")");
    assert_eq!(Crs::from_wkt(&round).unwrap().epsg(), Some(2154));
    let spaced = format!("\u{feff}  {}\n\0\0", IGN_LAMBERT93_PRJ.replace(',', " ,\n  "));
    assert_eq!(Crs::from_wkt(&spaced).unwrap().epsg(), Some(2154));
    let node = parse_wkt(r#"A["say ""hi""",-1.5e2,EAST,B()]"#).unwrap();
    assert_eq!(node.values[0], WktValue::Text("say \"hi\"".to_owned()));
    assert_eq!(node.values[1], WktValue::Number(-150.0));
    assert_eq!(node.values[2], WktValue::Word("EAST".to_owned()));
    assert!(matches!(&node.values[3], WktValue::Node(n) if n.keyword == "B" && n.values.is_empty()));
    // Bracket of the other kind, accents in names.
    assert!(parse_wkt("A[1)").is_err());
    assert!(parse_wkt(r#"PROJCS["Réseau géodésique français"]"#).is_ok());
}

#[test]
fn wkt_garbage_is_an_error_without_panic() {
    let deep_open = "A[".repeat(100_000);
    let brackets = "[".repeat(100 * 1024);
    let long_unclosed_string = format!("A[\"{}", "x".repeat(100_000));
    let cases: Vec<&str> = vec![
        "",
        "   ",
        "\u{feff}",
        "hello world",
        "PROJCS",
        "PROJCS[",
        r#"PROJCS["x""#,
        r#"PROJCS["x"]]"#,
        r#"PROJCS["x",]"#,
        r#"PROJCS["x",,1]"#,
        r#"PROJCS["x" 1]"#,
        "PROJCS[1e999]",
        "PROJCS[--1]",
        "PROJCS[1.2.3]",
        "PROJCS[\u{e9}]",
        "PROJCS[\"x\"] trailing",
        "PROJCS[]",
        "GEOGCS[\"x\"]",
        "[[[]]]",
        ")",
        "{\"type\":\"name\"}",
        &deep_open,
        &brackets,
        &long_unclosed_string,
    ];
    for case in cases {
        assert!(Crs::from_wkt(case).is_err(), "{}", excerpt(case));
    }
    let nested = format!("{}{}", "A[".repeat(MAX_WKT_DEPTH + 2), "]".repeat(MAX_WKT_DEPTH + 2));
    assert!(matches!(Crs::from_wkt(&nested), Err(CrsError::MalformedWkt { .. })));
    let too_long = " ".repeat(MAX_WKT_LEN + 1);
    assert!(matches!(Crs::from_wkt(&too_long), Err(CrsError::MalformedWkt { .. })));
}

#[test]
fn wkt_every_prefix_and_mutation_is_handled() {
    // Every truncation of a real .prj, and pseudo-random single-byte edits of it (fixed seed), must give
    // a CRS or an error, never a panic.
    for end in 0..IGN_LAMBERT93_PRJ.len() {
        assert!(Crs::from_wkt(&IGN_LAMBERT93_PRJ[..end]).is_err(), "prefix of length {end}");
    }
    let alphabet = br#"[]()",.-+0123456789eEAZaz_ "#;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..5_000 {
        let mut bytes = IGN_LAMBERT93_PRJ.as_bytes().to_vec();
        for _ in 0..=(next() % 3) {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
        }
        let text = String::from_utf8(bytes).unwrap();
        let _ = Crs::from_wkt(&text);
    }
}

#[test]
fn wkt_extreme_numbers_give_a_crs_or_an_error_without_panic() {
    // Every number of the real .prj replaced in turn by values that break naive formulas; transforming a
    // point through whatever comes out must not panic either.
    let numbers = [
        "6378137.0",
        "298.257222101",
        "0.0174532925199433",
        "700000.0",
        "6600000.0",
        "3.0",
        "49.0",
        "44.0",
        "46.5",
        "1.0]]",
    ];
    let extremes = ["0", "-0", "90", "-90", "89.999999999", "180", "-360", "1e300", "-1e300", "1e-300", "1"];
    for number in numbers {
        for extreme in extremes {
            let replacement = number.replace(number.trim_end_matches(']'), extreme);
            let wkt = IGN_LAMBERT93_PRJ.replacen("RGF_1993_Lambert_93", "Unnamed", 1).replacen(number, &replacement, 1);
            if let Ok(crs) = Crs::from_wkt(&wkt) {
                for (from, to) in [(Crs::wgs84(), crs.clone()), (crs.clone(), Crs::wgs84())] {
                    if let Ok(t) = Transformer::new(&from, &to) {
                        let _ = t.transform(2.35, 48.85);
                        let _ = t.transform(652_469.0, 6_862_035.0);
                    }
                }
            }
        }
    }
}

// ---- GeoJSON ----

#[test]
fn geojson_crs_members() {
    let name = |n: &str| serde_json::json!({"type": "name", "properties": {"name": n}});
    for (member, code) in [
        (name("urn:ogc:def:crs:EPSG::2154"), 2154),
        (name("urn:ogc:def:crs:EPSG:6.6:2154"), 2154),
        (name("EPSG:2154"), 2154),
        (name("epsg:32631"), 32631),
        (name("http://www.opengis.net/def/crs/EPSG/0/3857"), 3857),
        (name("urn:ogc:def:crs:OGC:1.3:CRS84"), 4326),
        (name("urn:ogc:def:crs:OGC::CRS84"), 4326),
        (name("urn:ogc:def:crs:EPSG::4326"), 4326),
        (serde_json::json!("EPSG:2154"), 2154),
        (serde_json::json!("CRS:84"), 4326),
        (serde_json::json!({"type": "EPSG", "properties": {"code": 2154}}), 2154),
        (serde_json::json!({"type": "EPSG", "properties": {"code": "3949"}}), 3949),
    ] {
        let crs = Crs::from_geojson_crs(&member).unwrap();
        assert_eq!(crs.epsg(), Some(code), "{member}");
    }
    assert!(Crs::from_geojson_crs(&name("urn:ogc:def:crs:OGC:1.3:CRS84")).unwrap().is_geographic());

    let link = serde_json::json!({"type": "link", "properties": {"href": "data.crs", "type": "proj4"}});
    assert!(matches!(Crs::from_geojson_crs(&link), Err(CrsError::Unsupported { .. })));
    assert!(matches!(
        Crs::from_geojson_crs(&name("urn:ogc:def:crs:EPSG::99999")),
        Err(CrsError::UnsupportedEpsg { code: 99999 })
    ));
    for bad in [
        name("Lambert 93 please"),
        name("EPSG:"),
        name("EPSG:-1"),
        serde_json::json!({"type": "name"}),
        serde_json::json!({"type": "name", "properties": {"name": 2154}}),
        serde_json::json!({"type": "EPSG", "properties": {"code": -5}}),
        serde_json::json!({"type": "whatever"}),
        serde_json::json!(null),
        serde_json::json!(2154),
        serde_json::json!([]),
    ] {
        let error = Crs::from_geojson_crs(&bad).unwrap_err();
        assert!(matches!(error, CrsError::UnknownCrs { .. }), "{bad}: {error:?}");
        assert!(error.to_string().contains("code EPSG explicitement"), "{error}");
    }
}

#[test]
fn messages_are_french() {
    let cases: Vec<CrsError> = vec![
        Crs::from_wkt(ESRI_ROBINSON_PRJ).unwrap_err(),
        Crs::from_wkt("PROJCS[").unwrap_err(),
        Crs::from_epsg(9999).unwrap_err(),
        Crs::from_identifier("Lambert 93 please").unwrap_err(),
        Crs::from_geojson_crs(&serde_json::json!({"type": "link", "properties": {"href": "x"}})).unwrap_err(),
        Transformer::new(&Crs::wgs84(), &Crs::lambert93()).unwrap().transform(2.0, 95.0).unwrap_err(),
    ];
    for error in cases {
        let message = error.to_string();
        for english in ["the ", " was not ", " is not ", "supported", "expected", "give "] {
            assert!(!message.contains(english), "English in « {message} »");
        }
    }
    assert_eq!(
        Crs::from_wkt(ESRI_ROBINSON_PRJ).unwrap_err().to_string(),
        "système de coordonnées « World_Robinson » (projection Robinson non prise en charge) non reconnu ; \
         indiquez son code EPSG explicitement (par exemple EPSG:2154 pour le Lambert-93)"
    );
}

#[test]
fn coordinates_outside_the_domain_of_the_crs_are_refused() {
    let wgs84 = Crs::wgs84();
    for (x, y) in [(180.0, 90.0), (-180.0, -90.0), (180.000_000_5, 0.0), (2.35, 48.85)] {
        assert!(wgs84.check_point(x, y).is_ok(), "({x}, {y})");
    }
    for (x, y, needle) in [
        (1e308, 45.0, "longitude"),
        (181.0, 45.0, "longitude"),
        (2.0, -90.01, "latitude"),
        (f64::NAN, 45.0, "non finie"),
        (2.0, f64::NEG_INFINITY, "non finie"),
    ] {
        let message = wgs84.check_point(x, y).unwrap_err();
        assert!(message.contains(needle), "{message}");
    }
    let l93 = Crs::lambert93();
    // The DROM projected to Lambert-93 lie far away, yet within a few thousand km (shared README).
    assert!(l93.check_point(-7_000_000.0, 1_500_000.0).is_ok());
    assert!(l93.check_point(1.5e8, 6_600_000.0).unwrap_err().contains("100 000 km"));
    assert_eq!(
        l93.check_point(1e300, 6_600_000.0).unwrap_err(),
        "point (1e300, 6600000) à plus de 100 000 km de l'origine de RGF93 v1 / Lambert-93 : hors de toute emprise plausible"
    );
    assert!(l93.check_point(700_000.0, f64::INFINITY).is_err());
}
