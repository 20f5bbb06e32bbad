//! The malformed-input corpus: every hostile or broken input below goes through the library loaders
//! and through the command line, and must give a clear message naming the file and the place (or,
//! where a user wants it, a warning and the rest loaded): no panic, no hang, nothing written into
//! the input folder.
//!
//! The inputs are made at test time in a temporary folder from a few hand-written files and the
//! bundled boundaries, so the repository stays small. `cargo test --test corpus -- --nocapture`
//! prints the count and one line per input.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::forge::{self, ZipEntry, square};
use indicarto::boundary::{self, LoadOptions};
use indicarto::pack::Pack;
use indicarto::pack::archive::{self, ZipLimits};
use indicarto::table::csv::{CsvOptions, read_csv};

/// What a loader is expected to do with an input.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Refuse it; the message names the input's file and contains every needle (the place and what
    /// was expected).
    Error(&'static [&'static str]),
    /// Load it, with a warning containing every needle.
    Warning(&'static [&'static str]),
    /// Load it: it is odd but valid, and read as written.
    Accepted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A boundary file: `boundary::load_layer`, `indicarto info`.
    Boundary,
    /// A CSV: `table::csv::read_csv`, `indicarto classify --value valeur`.
    Csv,
    /// A pack folder or zip: `Pack::open`, `indicarto check`.
    Pack,
}

struct Case {
    name: &'static str,
    kind: Kind,
    path: PathBuf,
    /// The file the message must name (defaults to the input's file name).
    names: String,
    expect: Expect,
}

/// A generous bound per input and loader: a hang guard, not a performance claim.
const TIME_BOUND: Duration = Duration::from_secs(30);

struct Corpus {
    root: PathBuf,
    cases: Vec<Case>,
}

impl Corpus {
    fn dir(&self, name: &str) -> PathBuf {
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn add(&mut self, name: &'static str, kind: Kind, path: PathBuf, expect: Expect) {
        let names = path.file_name().unwrap().to_string_lossy().into_owned();
        self.cases.push(Case { name, kind, path, names, expect });
    }

    fn add_naming(&mut self, name: &'static str, kind: Kind, path: PathBuf, names: &str, expect: Expect) {
        self.cases.push(Case { name, kind, path, names: names.to_owned(), expect });
    }

    /// A copy of a bundled Shapefile set (`geodata/STEM.*`) in a folder of its own, with `edit`
    /// applied to the file of extension `ext`.
    fn shapefile_variant(
        &mut self,
        case: &'static str,
        stem: &str,
        ext: &str,
        edit: impl FnOnce(&mut Vec<u8>),
    ) -> PathBuf {
        let dir = self.dir(case);
        for e in ["shp", "shx", "dbf", "prj", "cpg"] {
            let from = common::repo().join("geodata").join(format!("{stem}.{e}"));
            if from.is_file() {
                std::fs::copy(&from, dir.join(format!("{stem}.{e}"))).unwrap();
            }
        }
        let target = dir.join(format!("{stem}.{ext}"));
        let mut bytes = std::fs::read(&target).unwrap();
        edit(&mut bytes);
        std::fs::write(&target, bytes).unwrap();
        dir.join(format!("{stem}.shp"))
    }

    /// A synthetic polygon Shapefile of the given shapes, with a `code` field.
    fn synthetic(&mut self, case: &'static str, shapes: &[Vec<Vec<(f64, f64)>>]) -> PathBuf {
        let dir = self.dir(case);
        let rows: Vec<Vec<&str>> = (0..shapes.len()).map(|_| vec!["80001"]).collect();
        forge::write_shapefile(&dir, "couche", shapes, &["code"], &rows)
    }

    /// A forged GeoPackage (see [`forge::gpkg_of`]).
    fn gpkg(&mut self, case: &'static str, file_name: &str, geometries: Vec<forge::GpkgGeometry>) -> PathBuf {
        forge::gpkg_of(&self.dir(case).join(file_name), geometries)
    }

    fn file(&mut self, case: &'static str, file_name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir(case).join(file_name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// A copy of the tiny pack with its manifest or a data file edited.
    fn tiny_pack(&mut self, case: &'static str, edit: impl FnOnce(&Path)) -> PathBuf {
        let pack = forge::tiny_pack(&self.dir(case));
        edit(&pack);
        pack
    }
}

/// Runs SQL on a forged GeoPackage (to break it after it was written whole).
fn sql(path: &Path, statements: &str) {
    rusqlite::Connection::open(path).unwrap().execute_batch(statements).unwrap();
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "fixture: {from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn put_i32_le(bytes: &mut [u8], at: usize, value: i32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

fn put_i32_be(bytes: &mut [u8], at: usize, value: i32) {
    bytes[at..at + 4].copy_from_slice(&value.to_be_bytes());
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Pseudo-random bytes (xorshift), the same on every run.
fn garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn zip_of_folder(folder: &Path, zip: &Path, prefix: &str) {
    let files = forge::files_under(folder);
    let names: Vec<String> = files.iter().map(|(n, _)| format!("{prefix}{n}")).collect();
    let entries: Vec<ZipEntry<'_>> =
        files.iter().zip(&names).map(|((_, bytes), name)| ZipEntry::File(name, bytes)).collect();
    forge::write_zip(zip, &entries);
}

#[allow(clippy::too_many_lines, reason = "one flat list of inputs reads better than many small functions")]
fn build(root: &Path) -> Corpus {
    use Expect::{Accepted, Error, Warning};
    use Kind::{Boundary, Csv, Pack};
    use forge::GpkgGeometry::{Blob, Null, Text};
    let mut c = Corpus { root: root.to_owned(), cases: Vec::new() };
    let deps = "hdf_departements";

    // --- Shapefile: .shp --------------------------------------------------------------------
    let p = c.shapefile_variant("shp_zero_bytes", deps, "shp", Vec::clear);
    c.add("shp de 0 octet", Boundary, p, Error(&["en-tête", "vide"]));
    let p = c.shapefile_variant("shp_cut_in_header", deps, "shp", |b| b.truncate(60));
    c.add("shp coupé dans l'en-tête", Boundary, p, Error(&["en-tête", "tronqué"]));
    let p = c.shapefile_variant("shp_cut_in_record", deps, "shp", |b| b.truncate(b.len() / 2));
    c.add("shp coupé dans un enregistrement", Boundary, p, Error(&["en-tête", "tronqué"]));
    let p = c.shapefile_variant("shp_declared_length_huge", deps, "shp", |b| put_i32_be(b, 24, i32::MAX));
    c.add("shp : longueur de fichier annoncée énorme", Boundary, p, Error(&["en-tête", "tronqué"]));
    let p = c.shapefile_variant("shp_record_length_lies", deps, "shp", |b| put_i32_be(b, 104, 0x3FFF_FFFF));
    c.add("shp : longueur d'enregistrement mensongère", Boundary, p, Error(&["enregistrement 1", "octet 100"]));
    let p = c.shapefile_variant("shp_record_length_negative", deps, "shp", |b| put_i32_be(b, 104, -8));
    c.add("shp : longueur d'enregistrement négative", Boundary, p, Error(&["enregistrement 1", "longueur"]));
    let p = c.shapefile_variant("shp_points_huge", deps, "shp", |b| put_i32_le(b, 148, i32::MAX));
    c.add("shp : nombre de points énorme", Boundary, p, Error(&["enregistrement 1", "points"]));
    let p = c.shapefile_variant("shp_parts_huge", deps, "shp", |b| put_i32_le(b, 144, 1 << 28));
    c.add("shp : nombre de parties énorme", Boundary, p, Error(&["enregistrement 1", "parties"]));
    let p = c.shapefile_variant("shp_points_negative", deps, "shp", |b| put_i32_le(b, 148, -1));
    c.add("shp : nombre de points négatif", Boundary, p, Error(&["enregistrement 1", "négatif"]));
    let p = c.shapefile_variant("shp_part_start_out_of_range", deps, "shp", |b| put_i32_le(b, 152, 7));
    c.add("shp : début de partie incohérent", Boundary, p, Error(&["enregistrement 1", "partie 0"]));
    let p = c.shapefile_variant("shp_header_type_point", deps, "shp", |b| put_i32_le(b, 32, 1));
    c.add("shp : couche de points", Boundary, p, Error(&["en-tête", "point", "polygones"]));
    let p = c.shapefile_variant("shp_record_type_line", deps, "shp", |b| put_i32_le(b, 108, 3));
    c.add("shp : enregistrement de type ligne", Boundary, p, Error(&["enregistrement 1", "ligne"]));
    let p = c.shapefile_variant("shp_record_type_z_short", deps, "shp", |b| put_i32_le(b, 108, 15));
    c.add("shp : PolygonZ sans ses coordonnées Z", Boundary, p, Error(&["enregistrement 1", "Z"]));
    let p = c.shapefile_variant("shp_garbage", deps, "shp", |b| *b = garbage(4096, 7));
    c.add("shp : octets au hasard", Boundary, p, Error(&["en-tête", "9994"]));
    let p = c.synthetic("shp_nan", &[vec![vec![(f64::NAN, 0.0), (0.0, 1.0), (1.0, 1.0), (f64::NAN, 0.0)]]]);
    c.add("shp : coordonnée NaN", Boundary, p, Error(&["enregistrement 1", "non finie"]));
    let p = c.synthetic(
        "shp_infinite",
        &[vec![square(0.0, 0.0)], vec![vec![(0.0, 0.0), (f64::INFINITY, 1.0), (1.0, 1.0), (0.0, 0.0)]]],
    );
    c.add("shp : coordonnée infinie", Boundary, p, Error(&["enregistrement 2", "non finie"]));
    let mut open_ring = square(0.0, 0.0);
    open_ring.pop();
    let p = c.synthetic("shp_ring_not_closed", &[vec![open_ring]]);
    c.add("shp : anneau non fermé", Boundary, p, Warning(&["anneau", "fermé"]));
    let p = c.synthetic(
        "shp_degenerate_ring",
        &[vec![square(0.0, 0.0)], vec![vec![(650_000.0, 6_980_000.0), (650_001.0, 6_980_000.0)]]],
    );
    c.add("shp : anneau de deux points", Boundary, p, Warning(&["enregistrement 2", "anneau"]));
    let bow_tie = vec![
        (650_000.0, 6_980_000.0),
        (651_000.0, 6_981_000.0),
        (651_000.0, 6_980_000.0),
        (650_000.0, 6_981_000.0),
        (650_000.0, 6_980_000.0),
    ];
    let p = c.synthetic("shp_self_intersecting", &[vec![bow_tie.clone()]]);
    c.add("shp : polygone qui se recoupe (nœud papillon)", Boundary, p, Accepted);
    let p = c.synthetic("shp_empty_layer", &[]);
    c.add("shp : couche vide", Boundary, p, Warning(&["aucune entité"]));
    let p = c.synthetic("shp_only_null_shapes", &[vec![], vec![]]);
    c.add("shp : formes toutes vides", Boundary, p, Warning(&["forme(s) vide(s)"]));

    // --- Shapefile: companions ------------------------------------------------------------
    let p = c.shapefile_variant("shx_cut", deps, "shx", |b| b.truncate(b.len() - 8));
    c.add_naming("shx tronqué", Boundary, p, &format!("{deps}.shx"), Error(&["en-tête", "index"]));
    let p = c.shapefile_variant("shx_garbage", deps, "shx", |b| *b = garbage(300, 3));
    c.add_naming("shx : octets au hasard", Boundary, p, &format!("{deps}.shx"), Error(&["en-tête", "index"]));
    let p = c.shapefile_variant("shx_missing", deps, "shx", |_| {});
    std::fs::remove_file(p.with_extension("shx")).unwrap();
    c.add("shx absent", Boundary, p, Error(&[".shx", "introuvable"]));
    let p = c.shapefile_variant("dbf_cut", deps, "dbf", |b| b.truncate(b.len() - 40));
    c.add_naming("dbf tronqué", Boundary, p, &format!("{deps}.dbf"), Error(&["en-tête", "tronqué"]));
    let p = c.shapefile_variant("dbf_zero_bytes", deps, "dbf", Vec::clear);
    c.add_naming("dbf de 0 octet", Boundary, p, &format!("{deps}.dbf"), Error(&["en-tête", "trop court"]));
    let p = c.shapefile_variant("dbf_records_huge", deps, "dbf", |b| b[4..8].copy_from_slice(&u32::MAX.to_le_bytes()));
    c.add_naming(
        "dbf : nombre d'enregistrements énorme",
        Boundary,
        p,
        &format!("{deps}.dbf"),
        Error(&["en-tête", "4294967295"]),
    );
    let p =
        c.shapefile_variant("dbf_header_size_lies", deps, "dbf", |b| b[8..10].copy_from_slice(&u16::MAX.to_le_bytes()));
    c.add_naming(
        "dbf : taille d'en-tête mensongère",
        Boundary,
        p,
        &format!("{deps}.dbf"),
        Error(&["en-tête", "65535"]),
    );
    let p =
        c.shapefile_variant("dbf_record_size_zero", deps, "dbf", |b| b[10..12].copy_from_slice(&0u16.to_le_bytes()));
    c.add_naming(
        "dbf : taille d'enregistrement nulle",
        Boundary,
        p,
        &format!("{deps}.dbf"),
        Error(&["en-tête", "taille d'enregistrement"]),
    );
    let p = c.shapefile_variant("dbf_no_terminator", deps, "dbf", |b| {
        let header = usize::from(u16::from_le_bytes([b[8], b[9]]));
        b[header - 1] = b'X';
        b.truncate(header);
    });
    c.add_naming("dbf : liste de champs sans terminateur", Boundary, p, &format!("{deps}.dbf"), Error(&["champ"]));
    let p = c.shapefile_variant("dbf_field_type_unknown", deps, "dbf", |b| b[32 + 11] = b'Z');
    c.add_naming(
        "dbf : type de champ inconnu",
        Boundary,
        p,
        &format!("{deps}.dbf"),
        Error(&["champ", "type de champ"]),
    );
    let p = c.shapefile_variant("dbf_missing", deps, "dbf", |_| {});
    std::fs::remove_file(p.with_extension("dbf")).unwrap();
    c.add("dbf absent", Boundary, p, Error(&[".dbf", "introuvable"]));
    let p = c.shapefile_variant("dbf_other_layer", deps, "dbf", |b| {
        *b = std::fs::read(common::repo().join("geodata/hdf_region.dbf")).unwrap();
    });
    c.add_naming("dbf d'une autre couche", Boundary, p, &format!("{deps}.dbf"), Error(&["ne vont pas ensemble"]));
    // Windows-1252 text under a .cpg that says UTF-8: decoded as Windows-1252, with a warning.
    let dir = c.dir("dbf_undeclared_encoding");
    let shp = forge::write_shapefile(&dir, "couche", &[vec![square(0.0, 0.0)]], &["code"], &[vec!["80001"]]);
    std::fs::write(
        shp.with_extension("dbf"),
        forge::dbf_bytes(&["code", "nom"], &[vec![b"80001".to_vec(), b"Abb\xe9ville".to_vec()]], 0),
    )
    .unwrap();
    std::fs::write(shp.with_extension("cpg"), "UTF-8").unwrap();
    c.add(
        "dbf en Windows-1252 sous un .cpg UTF-8",
        Boundary,
        shp,
        Warning(&["enregistrement 1", "nom", "UTF-8", "windows-1252"]),
    );
    let dir = c.dir("cpg_garbage");
    let shp = forge::write_shapefile(&dir, "couche", &[vec![square(0.0, 0.0)]], &["code"], &[vec!["80001"]]);
    std::fs::write(shp.with_extension("cpg"), "codepage-9999").unwrap();
    c.add("cpg illisible", Boundary, shp, Warning(&[".cpg", "codepage-9999"]));
    let p = c.shapefile_variant("prj_garbage", deps, "prj", |b| *b = garbage(200, 11));
    c.add_naming("prj : octets au hasard", Boundary, p, &format!("{deps}.prj"), Error(&["système de coordonnées"]));
    let p = c.shapefile_variant("prj_unknown", deps, "prj", |b| {
        *b = br#"PROJCS["Mystery",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]],PROJECTION["Robinson"],UNIT["Meter",1]]"#.to_vec();
    });
    c.add_naming("prj : projection inconnue", Boundary, p, &format!("{deps}.prj"), Error(&["Robinson"]));
    let p = c.shapefile_variant("prj_empty", deps, "prj", Vec::clear);
    c.add_naming("prj de 0 octet", Boundary, p, &format!("{deps}.prj"), Error(&["système de coordonnées"]));
    let p = c.shapefile_variant("prj_utf16", deps, "prj", |b| *b = utf16le(forge::LAMBERT93_PRJ));
    c.add_naming("prj en UTF-16", Boundary, p, &format!("{deps}.prj"), Error(&["système de coordonnées", "UTF-16"]));
    let p = c.shapefile_variant("prj_missing", deps, "prj", |_| {});
    std::fs::remove_file(p.with_extension("prj")).unwrap();
    c.add("prj absent", Boundary, p, Error(&["aucun système de coordonnées", ".prj"]));

    // --- GeoJSON ------------------------------------------------------------------------------
    let p = c.file("geojson_zero", "vide.geojson", b"");
    c.add("GeoJSON de 0 octet", Boundary, p, Error(&["début du fichier", "vide"]));
    let p = c.file("geojson_not_json", "texte.geojson", b"type: FeatureCollection\nfeatures: []\n");
    c.add("GeoJSON qui n'est pas du JSON", Boundary, p, Error(&["ligne 1", "colonne", "JSON invalide"]));
    let p =
        c.file("geojson_truncated", "coupe.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","#);
    c.add("GeoJSON tronqué", Boundary, p, Error(&["ligne 1", "JSON invalide"]));
    let p = c.file("geojson_utf16", "utf16.geojson", &utf16le(r#"{"type":"FeatureCollection","features":[]}"#));
    c.add("GeoJSON en UTF-16", Boundary, p, Error(&["début du fichier", "UTF-16"]));
    let p = c.file("geojson_binary", "binaire.geojson", &garbage(2048, 5));
    c.add("GeoJSON : octets au hasard", Boundary, p, Error(&["ligne", "colonne"]));
    let p = c.file(
        "geojson_features_object",
        "imbrication.geojson",
        br#"{"type":"FeatureCollection","features":{"type":"Feature"}}"#,
    );
    c.add("GeoJSON : features n'est pas un tableau", Boundary, p, Error(&["racine", "features"]));
    let p = c.file("geojson_no_type", "sans_type.geojson", br#"{"features":[]}"#);
    c.add("GeoJSON sans type", Boundary, p, Error(&["racine", "type"]));
    let p = c.file("geojson_point", "points.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[2,49]}}]}"#);
    c.add("GeoJSON de points", Boundary, p, Error(&["entité 1", "Point", "polygones"]));
    let p = c.file("geojson_wrong_depth", "profondeur.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[2,49],[3,49],[3,50],[2,49]]}}]}"#);
    c.add("GeoJSON : coordonnées mal imbriquées", Boundary, p, Error(&["entité 1", "anneau"]));
    let p = c.file("geojson_huge_number", "infini.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,49],[3,1e999],[3,50],[2,49]]]}}]}"#);
    c.add("GeoJSON : coordonnée infinie (1e999)", Boundary, p, Error(&["ligne 1", "colonne"]));
    let p = c.file("geojson_far", "loin.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,49],[3,49],[3,1e308],[2,49]]]}}]}"#);
    c.add(
        "GeoJSON : latitude 1e308 en WGS 84",
        Boundary,
        p,
        Error(&["entité 1", "polygone 1, anneau 1 : point 3", "latitude 1e308"]),
    );
    let p = c.file("geojson_open_ring", "ouvert.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,49],[3,49],[3,50],[2,50]]]}}]}"#);
    c.add("GeoJSON : anneau non fermé", Boundary, p, Warning(&["anneau(x) non fermé(s)"]));
    let p = c.file(
        "geojson_null_geometry",
        "sans_geometrie.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#,
    );
    c.add("GeoJSON : géométrie null", Boundary, p, Warning(&["1 entité(s) sans géométrie"]));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let p =
        c.file("geojson_deep", "profond.geojson", format!(r#"{{"type":"Polygon","coordinates":{deep}}}"#).as_bytes());
    c.add("GeoJSON imbriqué 100 000 fois", Boundary, p, Error(&["ligne 1", "colonne"]));
    let p = c.file("geojson_bad_crs", "crs.geojson", br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999"}},"features":[]}"#);
    c.add("GeoJSON : crs inconnu", Boundary, p, Error(&["système de coordonnées", "99999"]));
    let p = c.file("geojson_empty_collection", "aucune.geojson", br#"{"type":"FeatureCollection","features":[]}"#);
    c.add("GeoJSON : collection vide", Boundary, p, Warning(&["aucune entité"]));
    let p = c.file("geojson_unknown_ext", "contours.kml", b"<kml/>");
    c.add("format de contours inconnu", Boundary, p, Error(&["format non reconnu"]));

    // --- GeoPackage --------------------------------------------------------------------------------
    let sq = || square(0.0, 0.0);
    let good_blob = forge::gpkg_blob(2154, &[sq()], false);
    let p = c.file("gpkg_zero", "vide.gpkg", b"");
    c.add("GeoPackage de 0 octet", Boundary, p, Error(&["en-tête", "tronqué ou vide"]));
    let p = c.file("gpkg_garbage", "hasard.gpkg", &garbage(8192, 23));
    c.add("GeoPackage : octets au hasard", Boundary, p, Error(&["en-tête", "SQLite format 3"]));
    let p = c.gpkg("gpkg_valid", "valide.gpkg", vec![Blob(good_blob.clone())]);
    c.add("GeoPackage valide (témoin)", Boundary, p, Accepted);
    let valid = std::fs::read(c.root.join("gpkg_valid/valide.gpkg")).unwrap();
    let p = c.file("gpkg_truncated", "coupe.gpkg", &valid[..valid.len() / 2]);
    c.add("GeoPackage tronqué", Boundary, p, Error(&["en-tête", "tronqué"]));
    let mut lying_pages = valid.clone();
    lying_pages[28..32].copy_from_slice(&1_000_000u32.to_be_bytes());
    let p = c.file("gpkg_pages_lie", "pages.gpkg", &lying_pages);
    c.add("GeoPackage : nombre de pages mensonger", Boundary, p, Error(&["en-tête", "1000000 pages"]));
    let plain = c.dir("gpkg_plain_sqlite").join("base.gpkg");
    rusqlite::Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x');")
        .unwrap();
    c.add(
        "GeoPackage : base SQLite ordinaire",
        Boundary,
        plain,
        Error(&["schéma", "pas un GeoPackage", "gpkg_contents"]),
    );
    let p = c.gpkg("gpkg_srs_missing", "srs_absent.gpkg", vec![Blob(good_blob.clone())]);
    sql(&p, "DELETE FROM gpkg_spatial_ref_sys WHERE srs_id = 2154");
    c.add(
        "GeoPackage : système de coordonnées absent de la table",
        Boundary,
        p,
        Error(&["gpkg_spatial_ref_sys", "srs_id 2154", "aucune ligne"]),
    );
    let p = c.gpkg("gpkg_srs_garbage", "srs_illisible.gpkg", vec![Blob(good_blob.clone())]);
    sql(&p, "UPDATE gpkg_spatial_ref_sys SET organization = 'NONE', definition = 'PROJCS[\"x\",' WHERE srs_id = 2154");
    c.add(
        "GeoPackage : définition WKT illisible",
        Boundary,
        p,
        Error(&["srs_id 2154", "système de coordonnées", "WKT mal formé"]),
    );
    let p = c.gpkg("gpkg_srs_undefined", "srs_indefini.gpkg", vec![Blob(good_blob.clone())]);
    sql(&p, "UPDATE gpkg_geometry_columns SET srs_id = -1");
    c.add(
        "GeoPackage : système de coordonnées non défini",
        Boundary,
        p,
        Error(&["srs_id -1", "non défini", "--assume-crs"]),
    );
    let p = c.gpkg("gpkg_srs_table_broken", "srs_table.gpkg", vec![Blob(good_blob.clone())]);
    sql(&p, "ALTER TABLE gpkg_spatial_ref_sys RENAME COLUMN definition TO defn");
    c.add(
        "GeoPackage : table des systèmes sans colonne definition",
        Boundary,
        p,
        Error(&["gpkg_spatial_ref_sys", "definition"]),
    );
    let p = c.gpkg("gpkg_blob_garbage", "blob_hasard.gpkg", vec![Blob(garbage(300, 29))]);
    c.add(
        "GeoPackage : géométrie d'octets au hasard",
        Boundary,
        p,
        Error(&["couche « communes », entité 1 (fid 1)", "« GP »"]),
    );
    let mut huge = good_blob.clone();
    huge[49..53].copy_from_slice(&u32::MAX.to_le_bytes());
    let p = c.gpkg("gpkg_blob_points_huge", "blob_points.gpkg", vec![Blob(good_blob.clone()), Blob(huge)]);
    c.add("GeoPackage : nombre de points énorme", Boundary, p, Error(&["entité 2 (fid 2)", "point(s) annoncé(s)"]));
    let p = c.gpkg("gpkg_blob_cut", "blob_coupe.gpkg", vec![Blob(good_blob[..good_blob.len() - 5].to_vec())]);
    c.add("GeoPackage : géométrie tronquée", Boundary, p, Error(&["entité 1", "il ne reste que"]));
    let mut trailing = good_blob.clone();
    trailing.extend([7; 9]);
    let p = c.gpkg("gpkg_blob_trailing", "blob_traine.gpkg", vec![Blob(trailing)]);
    c.add("GeoPackage : octets après la géométrie", Boundary, p, Error(&["entité 1", "en trop"]));
    let mut point = good_blob.clone();
    point[41..45].copy_from_slice(&1u32.to_le_bytes());
    let p = c.gpkg("gpkg_blob_point", "blob_point.gpkg", vec![Blob(point)]);
    c.add("GeoPackage : géométrie de type point", Boundary, p, Error(&["entité 1", "point", "polygones"]));
    let nan =
        vec![(650_000.0, 6_980_000.0), (f64::NAN, 6_981_000.0), (651_000.0, 6_980_000.0), (650_000.0, 6_980_000.0)];
    let p = c.gpkg("gpkg_blob_nan", "blob_nan.gpkg", vec![Blob(forge::gpkg_blob(2154, &[nan], false))]);
    c.add(
        "GeoPackage : coordonnée NaN",
        Boundary,
        p,
        Error(&["entité 1", "polygone 1, anneau 1 : point 2", "non finie"]),
    );
    let far = vec![(650_000.0, 6_980_000.0), (1e300, 6_981_000.0), (651_000.0, 6_980_000.0), (650_000.0, 6_980_000.0)];
    let p = c.gpkg("gpkg_blob_far", "blob_loin.gpkg", vec![Blob(forge::gpkg_blob(2154, &[far], false))]);
    c.add("GeoPackage : coordonnée à 1e300 m", Boundary, p, Error(&["entité 1", "point 2", "100 000 km"]));
    let p = c.gpkg("gpkg_geometry_text", "geom_texte.gpkg", vec![Text("POLYGON((0 0,1 0,1 1,0 0))")]);
    c.add("GeoPackage : géométrie en texte (WKT)", Boundary, p, Error(&["entité 1", "blob attendu"]));
    let p = c.gpkg("gpkg_view", "vue.gpkg", vec![Blob(good_blob.clone())]);
    sql(
        &p,
        "CREATE VIEW v AS SELECT * FROM communes; UPDATE gpkg_contents SET table_name = 'v'; UPDATE gpkg_geometry_columns SET table_name = 'v';",
    );
    c.add("GeoPackage : couche qui est une vue", Boundary, p, Error(&["couche « v »", "vue"]));
    let p = c.gpkg("gpkg_no_layer", "sans_couche.gpkg", vec![]);
    sql(&p, "DELETE FROM gpkg_contents");
    c.add("GeoPackage sans couche d'entités", Boundary, p, Error(&["aucune couche d'entités"]));
    let p = c.gpkg("gpkg_null_geometry", "geom_nulle.gpkg", vec![Blob(good_blob.clone()), Null]);
    c.add("GeoPackage : géométrie NULL", Boundary, p, Warning(&["couche « communes »", "1 entité(s) sans géométrie"]));
    let p = c.gpkg(
        "gpkg_empty_geometry",
        "geom_vide.gpkg",
        vec![Blob(good_blob.clone()), Blob(forge::gpkg_blob(2154, &[], true))],
    );
    c.add("GeoPackage : géométrie vide", Boundary, p, Warning(&["1 géométrie(s) vide(s)"]));
    let mut open_ring = sq();
    open_ring.pop();
    let p = c.gpkg("gpkg_ring_open", "anneau_ouvert.gpkg", vec![Blob(forge::gpkg_blob(2154, &[open_ring], false))]);
    c.add("GeoPackage : anneau non fermé", Boundary, p, Warning(&["anneau(x) non fermé(s)"]));
    let mut stale = good_blob.clone();
    stale[8..16].copy_from_slice(&0.0f64.to_le_bytes());
    stale[16..24].copy_from_slice(&1.0f64.to_le_bytes());
    let p = c.gpkg("gpkg_envelope_stale", "enveloppe.gpkg", vec![Blob(stale)]);
    c.add("GeoPackage : enveloppe périmée", Boundary, p, Warning(&["entité 1", "enveloppe"]));
    let p = c.dir("gpkg_latin1").join("latin1.gpkg");
    forge::write_gpkg(
        &p,
        &[forge::GpkgTable {
            name: "communes",
            srs_id: 2154,
            fields: &["code", "nom"],
            rows: vec![(Blob(good_blob.clone()), vec![b"80001".to_vec(), b"Abb\xe9ville".to_vec()])],
        }],
    );
    c.add("GeoPackage : texte en Windows-1252", Boundary, p, Warning(&["entité 1, champ nom", "windows-1252"]));

    // --- Zipped Shapefiles ----------------------------------------------------------------------
    let set = |stem: &str| -> Vec<(String, Vec<u8>)> {
        ["shp", "shx", "dbf", "prj", "cpg"]
            .iter()
            .map(|e| {
                (
                    format!("{stem}.{e}"),
                    std::fs::read(common::repo().join("geodata").join(format!("{stem}.{e}"))).unwrap(),
                )
            })
            .collect()
    };
    let zip_set = |path: &Path, files: &[(String, Vec<u8>)]| {
        let entries: Vec<ZipEntry<'_>> = files.iter().map(|(n, b)| ZipEntry::File(n, b)).collect();
        forge::write_zip(path, &entries);
    };
    let zips = c.dir("zip_layers");
    let deps_set = set(deps);
    let p = zips.join("contours.zip");
    zip_set(&p, &deps_set);
    c.add("Shapefile zippé (témoin)", Boundary, p, Accepted);
    let p = zips.join("sans_dbf.zip");
    zip_set(
        &p,
        &deps_set
            .iter()
            .filter(|(n, _)| Path::new(n).extension().is_none_or(|e| e != "dbf"))
            .cloned()
            .collect::<Vec<_>>(),
    );
    c.add_naming(
        "Shapefile zippé sans .dbf",
        Boundary,
        p,
        &format!("sans_dbf.zip/{deps}.shp"),
        Error(&["compagnon .dbf introuvable"]),
    );
    let p = zips.join("shp_coupe.zip");
    let mut cut = deps_set.clone();
    let half = cut[0].1.len() / 2;
    cut[0].1.truncate(half);
    zip_set(&p, &cut);
    c.add_naming(
        "Shapefile zippé au .shp tronqué",
        Boundary,
        p,
        &format!("shp_coupe.zip/{deps}.shp"),
        Error(&["en-tête", "tronqué"]),
    );
    let p = zips.join("dbf_abime.zip");
    let mut broken = deps_set.clone();
    broken[2].1[32 + 11] = b'Z';
    zip_set(&p, &broken);
    c.add_naming(
        "Shapefile zippé au .dbf abîmé",
        Boundary,
        p,
        &format!("dbf_abime.zip/{deps}.dbf"),
        Error(&["type de champ"]),
    );
    let p = zips.join("remonte.zip");
    let mut escaping = deps_set.clone();
    escaping.push(("../evade.txt".into(), b"x".to_vec()));
    zip_set(&p, &escaping);
    c.add("Shapefile zippé avec une entrée « ../ »", Boundary, p, Error(&["../evade.txt", ".."]));
    let p = zips.join("rien.zip");
    zip_set(&p, &[("lisez-moi.txt".to_owned(), b"rien".to_vec())]);
    c.add("zip sans contours", Boundary, p, Error(&["aucun fichier de contours"]));
    let p = c.file("zip_layer_garbage", "hasard.zip", &garbage(3000, 31));
    c.add("Shapefile zippé : octets au hasard", Boundary, p, Error(&["archive zip illisible"]));
    let p = zips.join("bombe.zip");
    let zeros = vec![0u8; 8 << 20];
    let mut bomb = deps_set.clone();
    bomb.push(("zeros.dbf".into(), zeros));
    zip_set(&p, &bomb);
    let mut bytes = std::fs::read(&p).unwrap();
    forge::lie_about_sizes(&mut bytes, 1000);
    std::fs::write(&p, bytes).unwrap();
    c.add("Shapefile zippé : bombe (tailles mensongères)", Boundary, p, Error(&["annoncés", "bombe"]));

    // --- CSV ------------------------------------------------------------------------------------
    let p = c.file("csv_zero", "vide.csv", b"");
    c.add("CSV de 0 octet", Csv, p, Error(&["vide"]));
    let p = c.file("csv_ragged", "irregulier.csv", b"code;valeur\n80001;12\n80002;13;14\n80003;15\n");
    c.add("CSV : ligne avec un champ de trop", Csv, p, Error(&["ligne 3"]));
    let p = c.file("csv_binary", "binaire.csv", &garbage(4096, 13));
    c.add("CSV : octets au hasard", Csv, p, Error(&["pas un fichier texte"]));
    let p = c.file("csv_utf16", "utf16.csv", &utf16le("code;valeur\n80001;12\n"));
    c.add("CSV en UTF-16", Csv, p, Error(&["UTF-16"]));
    let p = c.file("csv_unclosed_quote", "guillemet.csv", b"code;valeur\n80001;\"12\n80002;13\n");
    c.add("CSV : guillemet jamais fermé", Csv, p, Error(&["ligne 2", "guillemet"]));
    let p = c.file("csv_header_only", "entete.csv", b"code;valeur\n");
    c.add("CSV : en-tête seul", Csv, p, Accepted);
    let mut long_line = b"code;valeur\n80001;".to_vec();
    long_line.extend(std::iter::repeat_n(b'9', 2_000_000));
    let p = c.file("csv_long_line", "longue.csv", &long_line);
    c.add("CSV : cellule de 2 Mo", Csv, p, Accepted);
    let p = c.file("csv_zip_renamed", "archive.csv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00");
    c.add("CSV qui est une archive", Csv, p, Error(&["pas un fichier texte", "zip"]));

    // --- Packs ------------------------------------------------------------------------------------
    let p = c.tiny_pack("pack_valid", |_| {});
    c.add_naming("pack valide (témoin)", Pack, p, "pack.toml", Accepted);
    let p = c.tiny_pack("pack_unknown_key", |p| {
        replace_in(&p.join("pack.toml"), "decimals = 0", "decimals = 0\ncouleur = \"rouge\"");
    });
    c.add_naming("manifeste : clé inconnue", Pack, p, "pack.toml", Error(&["ligne 19", "couleur"]));
    let p =
        c.tiny_pack("pack_typo", |p| replace_in(&p.join("pack.toml"), "aggregation = \"sum\"", "agregation = \"sum\""));
    c.add_naming(
        "manifeste : faute de frappe",
        Pack,
        p,
        "pack.toml",
        Error(&["ligne 17", "agregation", "aggregation"]),
    );
    let p = c.tiny_pack("pack_not_toml", |p| std::fs::write(p.join("pack.toml"), "[pack\nid = ").unwrap());
    c.add_naming("manifeste qui n'est pas du TOML", Pack, p, "pack.toml", Error(&["ligne 1"]));
    let p = c.tiny_pack("pack_manifest_empty", |p| std::fs::write(p.join("pack.toml"), "").unwrap());
    c.add_naming("manifeste de 0 octet", Pack, p, "pack.toml", Error(&["ligne 1", "pack"]));
    let p = c.tiny_pack("pack_manifest_utf16", |p| {
        std::fs::write(p.join("pack.toml"), utf16le(forge::TINY_MANIFEST)).unwrap();
    });
    c.add_naming("manifeste en UTF-16", Pack, p, "pack.toml", Error(&["UTF-16"]));
    let p = c.tiny_pack("pack_manifest_binary", |p| std::fs::write(p.join("pack.toml"), garbage(1000, 17)).unwrap());
    c.add_naming("manifeste : octets au hasard", Pack, p, "pack.toml", Error(&["UTF-8"]));
    let p = c.tiny_pack("pack_missing_data", |p| std::fs::remove_file(p.join("data/valeurs.csv")).unwrap());
    c.add_naming("pack : fichier de données absent", Pack, p, "valeurs.csv", Error(&["lecture impossible"]));
    let p = c.tiny_pack("pack_missing_boundaries", |p| std::fs::remove_file(p.join("communes.geojson")).unwrap());
    c.add_naming("pack : contours absents", Pack, p, "communes.geojson", Error(&["[[boundaries]]"]));
    let p = c.tiny_pack("pack_cycle", |p| {
        replace_in(
            &p.join("pack.toml"),
            "[[data]]",
            "[[indicators]]\nid = \"a\"\nlabel = \"A\"\naggregation = \"none\"\nderive = { difference = [\"b\", \"naissances\"] }\n\n[[indicators]]\nid = \"b\"\nlabel = \"B\"\naggregation = \"none\"\nderive = { difference = [\"a\", \"naissances\"] }\n\n[[data]]",
        );
    });
    c.add_naming("pack : indicateurs calculés en cycle", Pack, p, "pack.toml", Error(&["indicateur", "circulaire"]));
    let p = c.tiny_pack("pack_unknown_indicator", |p| {
        replace_in(&p.join("pack.toml"), "indicators = [\"naissances\"]", "indicators = [\"naissance\"]");
    });
    c.add_naming(
        "pack : indicateur inconnu dans un modèle",
        Pack,
        p,
        "pack.toml",
        Error(&["naissance", "vouliez-vous dire"]),
    );
    let p = c.tiny_pack("pack_ragged_data", |p| {
        std::fs::write(p.join("data/valeurs.csv"), "code;annee;valeur\n80001;2023;12\n80002;2023\n").unwrap();
    });
    c.add_naming("pack : données irrégulières", Pack, p, "valeurs.csv", Error(&["ligne 3"]));
    let p = c.tiny_pack("pack_bad_number", |p| {
        std::fs::write(p.join("data/valeurs.csv"), "code;annee;valeur\n80001;2023;12\n80002;2023;1x2\n80003;2023;7\n")
            .unwrap();
    });
    c.add_naming("pack : nombre illisible", Pack, p, "valeurs.csv", Error(&["ligne 3", "1x2"]));
    let p = c.tiny_pack("pack_duplicate_codes", |p| {
        std::fs::write(
            p.join("data/valeurs.csv"),
            "code;annee;valeur\n80001;2023;12\n80002;2023;30\n80003;2023;7\n80002;2023;31\n",
        )
        .unwrap();
    });
    c.add_naming("pack : codes en double", Pack, p, "valeurs.csv", Warning(&["ligne 5", "80002"]));
    let p = c.tiny_pack("pack_other_vintage", |p| {
        std::fs::write(
            p.join("data/valeurs.csv"),
            "code;annee;valeur\n80001;2023;12\n80002;2023;30\n80003;2023;7\n80009;2023;4\n",
        )
        .unwrap();
    });
    c.add_naming("pack : code d'un autre millésime", Pack, p, "valeurs.csv", Warning(&["80009", "autre millésime"]));
    let p = c.tiny_pack("pack_self_intersecting_commune", |p| {
        let ring: Vec<String> = bow_tie.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
        let text = std::fs::read_to_string(p.join("communes.geojson")).unwrap();
        let start = text.find("\"coordinates\":[[").unwrap() + "\"coordinates\":[[".len();
        let end = start + text[start..].find("]]").unwrap() + 1;
        std::fs::write(p.join("communes.geojson"), format!("{}{}{}", &text[..start], ring.join(","), &text[end..]))
            .unwrap();
    });
    c.add_naming("pack : commune en nœud papillon, EPCI dissous", Pack, p, "pack.toml", Accepted);
    let p = c.tiny_pack("pack_no_boundaries", |p| {
        let text = std::fs::read_to_string(p.join("pack.toml")).unwrap();
        let start = text.find("[[boundaries]]").unwrap();
        let end = text.find("[[indicators]]").unwrap();
        std::fs::write(p.join("pack.toml"), format!("{}{}", &text[..start], &text[end..])).unwrap();
    });
    c.add_naming("pack sans contours", Pack, p, "pack.toml", Error(&["[[boundaries]]", "aucune couche"]));

    // --- Zip packs --------------------------------------------------------------------------------
    let tiny = forge::tiny_pack(&c.dir("zip_source"));
    let zip_dir = c.dir("zips");
    let zip = zip_dir.join("valide.zip");
    zip_of_folder(&tiny, &zip, "mini/");
    c.add("pack zippé valide (témoin)", Pack, zip, Accepted);
    let manifest = std::fs::read(tiny.join("pack.toml")).unwrap();
    let geojson = std::fs::read(tiny.join("communes.geojson")).unwrap();
    let values = std::fs::read(tiny.join("data/valeurs.csv")).unwrap();
    let history = std::fs::read(tiny.join("data/cog_history.csv")).unwrap();
    let base = |extra: ZipEntry<'static>| -> Vec<ZipEntry<'static>> {
        let leak = |b: &Vec<u8>| -> &'static [u8] { Box::leak(b.clone().into_boxed_slice()) };
        vec![
            ZipEntry::File("pack.toml", leak(&manifest)),
            ZipEntry::File("communes.geojson", leak(&geojson)),
            ZipEntry::File("data/valeurs.csv", leak(&values)),
            ZipEntry::File("data/cog_history.csv", leak(&history)),
            extra,
        ]
    };
    for (case, file_name, extra, needles) in [
        ("zip : entrée « ../ »", "remonte.zip", ZipEntry::File("../evade.txt", b"x"), &["../evade.txt", ".."][..]),
        ("zip : entrée « data/../../ »", "remonte2.zip", ZipEntry::File("data/../../evade.txt", b"x"), &[".."][..]),
        (
            "zip : chemin absolu",
            "absolu.zip",
            ZipEntry::File("/tmp/evade.txt", b"x"),
            &["/tmp/evade.txt", "absolu"][..],
        ),
        ("zip : lettre de lecteur", "lecteur.zip", ZipEntry::File("C:\\evade.txt", b"x"), &["lecteur"][..]),
        (
            "zip : lien symbolique",
            "lien.zip",
            ZipEntry::Symlink("data/lien.csv", "/etc/passwd"),
            &["data/lien.csv", "lien symbolique"][..],
        ),
        (
            "zip : entrée en double",
            "double.zip",
            ZipEntry::File("./pack.toml", b"[pack]\n"),
            &["./pack.toml", "double"][..],
        ),
    ] {
        let path = zip_dir.join(file_name);
        forge::write_zip(&path, &base(extra));
        c.add(case, Pack, path, Error(needles));
    }
    let path = zip_dir.join("bombe.zip");
    let zeros = vec![0u8; 8 << 20];
    forge::write_zip(&path, &[ZipEntry::File("data/zeros.bin", &zeros), ZipEntry::File("pack.toml", &manifest)]);
    let mut bytes = std::fs::read(&path).unwrap();
    forge::lie_about_sizes(&mut bytes, 1000);
    std::fs::write(&path, bytes).unwrap();
    c.add("zip : bombe (tailles annoncées mensongères)", Pack, path, Error(&["entrée « data/zeros.bin »", "annoncés"]));
    let path = zip_dir.join("geant.zip");
    forge::write_zip(&path, &[ZipEntry::File("pack.toml", &manifest)]);
    let mut bytes = std::fs::read(&path).unwrap();
    forge::lie_about_sizes(&mut bytes, u32::MAX - 1);
    std::fs::write(&path, bytes).unwrap();
    c.add("zip : entrée annoncée de 4 Go", Pack, path, Error(&["pack.toml", "limite"]));
    let path = zip_dir.join("evasion_manifeste.zip");
    let escaping = String::from_utf8(manifest.clone())
        .unwrap()
        .replace("file = \"data/valeurs.csv\"", "file = \"../valeurs.csv\"");
    forge::write_zip(
        &path,
        &[ZipEntry::File("pack.toml", escaping.as_bytes()), ZipEntry::File("communes.geojson", &geojson)],
    );
    c.add(
        "zip : le manifeste nomme un fichier hors de l'archive",
        Pack,
        path,
        Error(&["[[data]] file", "../valeurs.csv", "sort de l'archive"]),
    );
    let path = zip_dir.join("sans_manifeste.zip");
    forge::write_zip(&path, &[ZipEntry::File("communes.geojson", &geojson), ZipEntry::Dir("data/")]);
    c.add("zip sans pack.toml", Pack, path, Error(&["pack.toml", "pas un pack"]));
    let path = c.file("zip_garbage", "hasard.zip", &garbage(5000, 19));
    c.add("zip : octets au hasard", Pack, path, Error(&["archive zip illisible"]));
    let path = c.file("zip_zero", "vide.zip", b"");
    c.add("zip de 0 octet", Pack, path, Error(&["archive zip illisible"]));
    let valid = std::fs::read(zip_dir.join("valide.zip")).unwrap();
    let path = c.file("zip_truncated", "coupe.zip", &valid[..valid.len() * 2 / 3]);
    c.add("zip tronqué", Pack, path, Error(&["archive zip illisible"]));
    let mut corrupt = valid.clone();
    let data_at = corrupt.windows(4).position(|w| w == [0x50, 0x4b, 0x03, 0x04]).unwrap()
        + 30
        + "mini/communes.geojson".len()
        + 10;
    for b in &mut corrupt[data_at..data_at + 20] {
        *b ^= 0x5A;
    }
    let path = c.file("zip_corrupt", "abime.zip", &corrupt);
    c.add("zip : contenu abîmé (CRC faux)", Pack, path, Error(&["entrée « mini/communes.geojson »"]));
    let path = zip_dir.join("mauvais_manifeste.zip");
    forge::write_zip(&path, &[ZipEntry::File("pack.toml", b"[pack]\nid = \"x\"\ntitle = \"x\"\ncouleur = 1\n")]);
    c.add_naming(
        "zip : manifeste avec clé inconnue",
        Pack,
        path,
        "mauvais_manifeste.zip/pack.toml",
        Error(&["ligne 4", "couleur"]),
    );
    c
}

/// Runs one input through its library loader: the message (error or warnings) and whether it loaded.
fn run_library(case: &Case) -> (bool, String) {
    match case.kind {
        Kind::Boundary => match boundary::load_layer(&case.path, &LoadOptions::default()) {
            Ok(layer) => (true, layer.warnings.join("\n")),
            Err(e) => (false, e.to_string()),
        },
        Kind::Csv => match read_csv(&case.path, &CsvOptions::default()) {
            Ok(_) => (true, String::new()),
            Err(e) => (false, e.to_string()),
        },
        Kind::Pack => match Pack::open(&case.path) {
            Ok(pack) => (true, pack.warnings.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
            Err(e) => (false, e.to_string()),
        },
    }
}

/// Runs one input through the command line: exit code, and stderr followed by stdout.
fn run_cli(case: &Case, out: &Path) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_indicarto"));
    command.current_dir(out);
    match case.kind {
        Kind::Boundary => command.arg("info").arg(&case.path),
        Kind::Csv => command.args(["classify", "--value", "valeur", "--data"]).arg(&case.path),
        Kind::Pack => command.arg("check").arg(&case.path),
    };
    let output = command.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stderr), String::from_utf8_lossy(&output.stdout));
    (output.status.code(), text)
}

fn check_message(case: &Case, loaded: bool, message: &str) -> Result<(), String> {
    if message.contains("panicked") {
        return Err(format!("panic: {message}"));
    }
    match case.expect {
        Expect::Error(needles) => {
            if loaded {
                return Err("accepted, an error was expected".into());
            }
            if !message.contains(&case.names) {
                return Err(format!("the message does not name « {} »: {message}", case.names));
            }
            if let Some(missing) = needles.iter().find(|n| !message.contains(**n)) {
                return Err(format!("« {missing} » missing from: {message}"));
            }
        }
        Expect::Warning(needles) => {
            if !loaded {
                return Err(format!("refused, a warning was expected: {message}"));
            }
            if let Some(missing) = needles.iter().find(|n| !message.contains(**n)) {
                return Err(format!("« {missing} » missing from the warnings: {message}"));
            }
        }
        Expect::Accepted => {
            if !loaded {
                return Err(format!("refused: {message}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_malformed_input_gets_a_clear_message_from_the_library_and_the_command_line() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = build(&scratch.path().join("entrees"));
    let out = scratch.path().join("sortie");
    std::fs::create_dir_all(&out).unwrap();
    let before = forge::files_under(&corpus.root);
    let mut failures = Vec::new();
    let malformed = corpus.cases.iter().filter(|c| !matches!(c.expect, Expect::Accepted)).count();
    println!("corpus : {} entrées ({malformed} mal formées ou hostiles)", corpus.cases.len());
    for case in &corpus.cases {
        let started = Instant::now();
        let (loaded, message) = run_library(case);
        let library_time = started.elapsed();
        if let Err(why) = check_message(case, loaded, &message) {
            failures.push(format!("{} (bibliothèque) : {why}", case.name));
        }
        let started = Instant::now();
        let (code, stderr) = run_cli(case, &out);
        let cli_time = started.elapsed();
        let cli_loaded = code == Some(0);
        // `classify` also fails on a valid CSV without a `valeur` column: only errors are compared there.
        let skip_cli_accept = case.kind == Kind::Csv && loaded;
        if code != Some(0) && code != Some(1) {
            failures.push(format!("{} (ligne de commande) : code de sortie {code:?} : {stderr}", case.name));
        } else if !skip_cli_accept && let Err(why) = check_message(case, cli_loaded, &stderr) {
            failures.push(format!("{} (ligne de commande) : {why}", case.name));
        }
        if library_time > TIME_BOUND || cli_time > TIME_BOUND {
            failures.push(format!("{} : trop long ({library_time:?}, {cli_time:?})", case.name));
        }
        println!(
            "  {:<55} {:>6} ms {:>6} ms  {}",
            case.name,
            library_time.as_millis(),
            cli_time.as_millis(),
            message.lines().next().unwrap_or("(chargé)")
        );
    }
    assert!(forge::files_under(&out).is_empty(), "something was written into the working folder");
    assert!(forge::files_under(&corpus.root) == before, "an input folder was changed");
    assert!(!scratch.path().join("evade.txt").exists() && !corpus.root.join("evade.txt").exists());
    assert!(failures.is_empty(), "{} problème(s) :\n{}", failures.len(), failures.join("\n"));
    assert!(malformed >= 50, "only {malformed} malformed inputs");
}

#[test]
fn a_zipped_copy_of_the_sample_opens_like_the_folder_and_cleans_up() {
    let (dir, pack) = common::sample_copy();
    // The sample's manifest names `../geodata`: a self-contained zip holds both folders, with the
    // manifest at the root and the layers moved beside it.
    let manifest = std::fs::read_to_string(pack.join("pack.toml")).unwrap().replace("../geodata/", "geodata/");
    std::fs::write(pack.join("pack.toml"), manifest).unwrap();
    let geodata_in_pack = pack.join("geodata");
    std::fs::create_dir_all(&geodata_in_pack).unwrap();
    for (name, bytes) in forge::files_under(&dir.path().join("geodata")) {
        if name.starts_with("hdf_communes") || name.starts_with("hdf_epci") || name.starts_with("fr_") {
            std::fs::write(geodata_in_pack.join(name), bytes).unwrap();
        }
    }
    let zip = dir.path().join("exemple.zip");
    zip_of_folder(&pack, &zip, "");
    let folder = Pack::open(&pack).unwrap();
    let zipped = Pack::open(&zip).unwrap();
    assert_eq!(zipped.archive.as_deref(), Some(zip.as_path()));
    assert_eq!(zipped.input_folder(), dir.path());
    assert_eq!(zipped.warnings.len(), folder.warnings.len());
    assert!(zipped.warnings.iter().all(|w| !w.to_string().contains("indicarto-pack-")), "{:?}", zipped.warnings);
    let id = indicarto::code::IndicatorId::new("pmun");
    let region = indicarto::code::TerritoryCode::new("32");
    let level = indicarto::code::Level::Region;
    assert_eq!(zipped.store.value(&id, &level, &region, 2023), folder.store.value(&id, &level, &region, 2023));
    // The zip's folder is left as it was, and the temporary copy goes with the last clone.
    let listing: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(listing.iter().all(|n| ["exemple.zip", "sample_data", "geodata"].contains(&n.as_str())), "{listing:?}");
    let unpacked = zipped.dir.clone();
    let clone = zipped.clone();
    drop(zipped);
    assert!(unpacked.is_dir());
    drop(clone);
    assert!(!unpacked.exists(), "temporary folder left behind");

    // The command line takes the zip wherever it takes a pack folder.
    let out = Command::new(env!("CARGO_BIN_EXE_indicarto")).arg("check").arg(&zip).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .args(["values", "--indicator", "pmun", "--level", "region", "--year", "2023", "--pack"])
        .arg(&zip)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("32;"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_zip_bomb_stops_at_the_limit_by_counting_bytes_read() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("bombe.zip");
    // 64 MiB of zeros deflate to about 64 KiB; honest headers, so only counting catches it.
    let zeros = vec![0u8; 64 << 20];
    forge::write_zip(
        &zip,
        &[ZipEntry::File("pack.toml", b"[pack]\n"), ZipEntry::File("a.bin", &zeros), ZipEntry::File("b.bin", &zeros)],
    );
    assert!(std::fs::metadata(&zip).unwrap().len() < 1 << 20);
    let limits = ZipLimits { max_entries: 100, max_entry_bytes: 100 << 20, max_total_bytes: 80 << 20 };
    let message = archive::unpack(&zip, &limits).unwrap_err().to_string();
    assert!(
        message.contains("bombe.zip") && message.contains("entrée « b.bin »") && message.contains("limite"),
        "{message}"
    );
    let limits = ZipLimits { max_entries: 100, max_entry_bytes: 1 << 20, max_total_bytes: 1 << 30 };
    let message = archive::unpack(&zip, &limits).unwrap_err().to_string();
    assert!(message.contains("entrée « a.bin »") && message.contains("limite"), "{message}");
    let limits = ZipLimits { max_entries: 2, ..ZipLimits::default() };
    let message = archive::unpack(&zip, &limits).unwrap_err().to_string();
    assert!(message.contains("3 entrées") && message.contains("limite de 2"), "{message}");
    assert_eq!(forge::files_under(dir.path()).len(), 1, "nothing written beside the zip");
}

/// Deterministic mutations of a valid input: bytes flipped, sizes overwritten with extreme values,
/// cut short, a slice repeated. A cheap, seeded cousin of the fuzz targets in `fuzz/`, run in the
/// normal suite.
fn mutate(base: &[u8], seed: u64) -> Vec<u8> {
    let noise = garbage(16, seed);
    let mut bytes = base.to_vec();
    if bytes.is_empty() {
        return noise;
    }
    let len = bytes.len();
    let at = |i: usize| (usize::from(noise[i]) << 8 | usize::from(noise[i + 1])) * len / 65_536;
    match seed % 5 {
        0 => {
            for i in 0..4 {
                let p = at(2 * i);
                bytes[p] ^= noise[8 + i] | 1;
            }
        }
        1 => {
            let p = at(0).min(bytes.len().saturating_sub(4));
            let extreme = [i32::MAX, i32::MIN, -1, 0][usize::from(noise[2] % 4)];
            let n = 4.min(bytes.len() - p);
            bytes[p..p + n].copy_from_slice(&extreme.to_le_bytes()[..n]);
        }
        2 => bytes.truncate(at(0)),
        3 => {
            let (a, b) = (at(0), at(2));
            let (a, b) = (a.min(b), a.max(b).min(a + 4096));
            let slice = bytes[a..b].to_vec();
            bytes.splice(a..a, slice);
        }
        _ => {
            let p = at(0);
            bytes.insert(p, noise[4]);
        }
    }
    bytes
}

/// One loader call on one mutated input.
type Run = Box<dyn Fn()>;

#[test]
fn seeded_mutations_of_valid_inputs_never_panic() {
    use indicarto::boundary::dbf::read_dbf;
    use indicarto::boundary::geojson::read_geojson_bytes;
    use indicarto::boundary::shp::{ShapefileBytes, read_shapefile_bytes};
    use indicarto::table::csv::read_csv_bytes;

    let geodata = common::repo().join("geodata");
    let shp = std::fs::read(geodata.join("hdf_departements.shp")).unwrap();
    let shx = std::fs::read(geodata.join("hdf_departements.shx")).unwrap();
    let dbf = std::fs::read(geodata.join("hdf_departements.dbf")).unwrap();
    let prj = std::fs::read(geodata.join("hdf_departements.prj")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tiny = forge::tiny_pack(dir.path());
    let geojson = std::fs::read(tiny.join("communes.geojson")).unwrap();
    let csv = std::fs::read(common::repo().join("sample_data/data/fr_departements_population.csv")).unwrap();
    let manifest = std::fs::read(common::repo().join("sample_data/pack.toml")).unwrap();
    let (shx_path, dbf_path, prj_path) = (Path::new("f.shx"), Path::new("f.dbf"), Path::new("f.prj"));
    let mut runs = 0usize;
    for seed in 0..2000u64 {
        let cases: [(&str, Run); 6] = [
            ("shp", {
                let m = mutate(&shp, seed);
                let (shx, dbf, prj) = (shx.clone(), dbf.clone(), prj.clone());
                Box::new(move || {
                    let bytes = ShapefileBytes {
                        shp: &m,
                        shx: (shx_path, &shx),
                        dbf: (dbf_path, &dbf),
                        prj: Some((prj_path, &prj)),
                        cpg: None,
                    };
                    let _ = read_shapefile_bytes(Path::new("f.shp"), &bytes, &LoadOptions::default());
                })
            }),
            ("shx", {
                let m = mutate(&shx, seed);
                let (shp, dbf) = (shp.clone(), dbf.clone());
                Box::new(move || {
                    let bytes =
                        ShapefileBytes { shp: &shp, shx: (shx_path, &m), dbf: (dbf_path, &dbf), prj: None, cpg: None };
                    let options =
                        LoadOptions { assume_crs: Some(boundary::Crs::lambert93()), ..LoadOptions::default() };
                    let _ = read_shapefile_bytes(Path::new("f.shp"), &bytes, &options);
                })
            }),
            ("dbf", {
                let m = mutate(&dbf, seed);
                Box::new(move || drop(read_dbf(dbf_path, &m, None)))
            }),
            ("geojson", {
                let m = mutate(&geojson, seed);
                Box::new(move || drop(read_geojson_bytes(Path::new("f.geojson"), &m)))
            }),
            ("csv", {
                let m = mutate(&csv, seed);
                Box::new(move || drop(read_csv_bytes(&m, Path::new("f.csv"), &CsvOptions::default())))
            }),
            ("manifest", {
                let m = mutate(&manifest, seed);
                Box::new(move || {
                    if let Ok(text) = std::str::from_utf8(&m) {
                        drop(indicarto::pack::parse_manifest(Path::new("pack.toml"), text).map_err(|e| e.to_string()));
                    }
                })
            }),
        ];
        for (name, run) in cases {
            runs += 1;
            assert!(
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).is_ok(),
                "{name}: panic with seed {seed} (see mutate)"
            );
        }
    }
    println!("{runs} entrées mutées, aucune panique");
}

/// The same seeded mutations on a GeoPackage file, a GeoPackage geometry blob and a zipped layer.
#[test]
fn seeded_mutations_of_geopackages_and_zipped_layers_never_panic() {
    let geodata = common::repo().join("geodata");
    let dir = tempfile::tempdir().unwrap();
    let gpkg = {
        let path = dir.path().join("mutations.gpkg");
        forge::gpkg_of(
            &path,
            vec![
                forge::GpkgGeometry::Blob(forge::gpkg_blob(2154, &[square(0.0, 0.0), square(0.2, 0.2)], false)),
                forge::GpkgGeometry::Blob(forge::gpkg_blob(2154, &[square(3.0, 0.0)], false)),
            ],
        );
        std::fs::read(&path).unwrap()
    };
    let blob = forge::gpkg_blob(2154, &[square(0.0, 0.0), square(0.2, 0.2)], false);
    let zipped = {
        let path = dir.path().join("contours.zip");
        let files: Vec<(String, Vec<u8>)> = ["shp", "shx", "dbf", "prj"]
            .iter()
            .map(|e| (format!("hdf_region.{e}"), std::fs::read(geodata.join(format!("hdf_region.{e}"))).unwrap()))
            .collect();
        let entries: Vec<ZipEntry<'_>> = files.iter().map(|(n, b)| ZipEntry::File(n, b)).collect();
        forge::write_zip(&path, &entries);
        std::fs::read(&path).unwrap()
    };
    let zip_path = dir.path().join("mutation.zip");
    let mut runs = 0usize;
    for seed in 0..2000u64 {
        let cases: [(&str, Run); 3] = [
            ("gpkg_blob", {
                let m = mutate(&blob, seed);
                Box::new(move || drop(indicarto::boundary::wkb::read_gpkg_blob(&m)))
            }),
            ("zipped", {
                let m = mutate(&zipped, seed);
                let zip_path = zip_path.clone();
                Box::new(move || {
                    std::fs::write(&zip_path, &m).unwrap();
                    let limits = ZipLimits { max_entries: 16, max_entry_bytes: 4 << 20, max_total_bytes: 8 << 20 };
                    drop(indicarto::boundary::zipped::read_zipped_with(&zip_path, &LoadOptions::default(), &limits));
                })
            }),
            ("gpkg", {
                let m = mutate(&gpkg, seed);
                Box::new(move || {
                    let options = LoadOptions::default();
                    drop(indicarto::boundary::gpkg::read_geopackage_bytes(Path::new("f.gpkg"), &m, &options));
                })
            }),
        ];
        for (name, run) in cases {
            runs += 1;
            assert!(
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).is_ok(),
                "{name}: panic with seed {seed} (see mutate)"
            );
        }
    }
    println!("{runs} entrées mutées, aucune panique");
}
