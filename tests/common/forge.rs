//! Small hand-made inputs for the malformed-input corpus: a minimal Shapefile writer (polygons and a
//! text-only `.dbf`), a tiny GeoJSON pack, and zip archives written entry by entry, so that every
//! hostile variant is a few bytes changed in a file the test knows completely.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "test helpers: a failure to set up is a test failure")]
#![allow(clippy::cast_possible_wrap, reason = "sizes of files of a few kilobytes, written as the format's i32")]

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Lambert-93 as ESRI WKT, as written beside ADMIN EXPRESS shapefiles.
pub const LAMBERT93_PRJ: &str = "PROJCS[\"RGF_1993_Lambert_93\",GEOGCS[\"GCS_RGF_1993\",DATUM[\"D_RGF_1993\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",700000.0],PARAMETER[\"False_Northing\",6600000.0],PARAMETER[\"Central_Meridian\",3.0],PARAMETER[\"Standard_Parallel_1\",49.0],PARAMETER[\"Standard_Parallel_2\",44.0],PARAMETER[\"Latitude_Of_Origin\",46.5],UNIT[\"Meter\",1.0]]";

/// One ring of `n` points: a clockwise square of side 1 km at (`x`, `y`) km from Amiens, closed.
pub fn square(x: f64, y: f64) -> Vec<(f64, f64)> {
    let (x0, y0) = (650_000.0 + x * 1000.0, 6_980_000.0 + y * 1000.0);
    vec![(x0, y0), (x0, y0 + 1000.0), (x0 + 1000.0, y0 + 1000.0), (x0 + 1000.0, y0), (x0, y0)]
}

/// A polygon Shapefile set (`.shp`, `.shx`, `.dbf`, `.prj`) named `stem` in `dir`: one record per
/// entry of `shapes` (each a list of rings; an empty list is a null shape), with text fields.
pub fn write_shapefile(
    dir: &Path,
    stem: &str,
    shapes: &[Vec<Vec<(f64, f64)>>],
    fields: &[&str],
    rows: &[Vec<&str>],
) -> PathBuf {
    let mut records = Vec::new();
    for rings in shapes {
        let mut content = Vec::new();
        if rings.is_empty() {
            content.extend(0i32.to_le_bytes());
        } else {
            let points: Vec<(f64, f64)> = rings.iter().flatten().copied().collect();
            let finite: Vec<&(f64, f64)> = points.iter().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            let min_x = finite.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            let min_y = finite.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let max_x = finite.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
            let max_y = finite.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
            content.extend(5i32.to_le_bytes());
            for v in [min_x, min_y, max_x, max_y] {
                content.extend(v.to_le_bytes());
            }
            content.extend((rings.len() as i32).to_le_bytes());
            content.extend((points.len() as i32).to_le_bytes());
            let mut start = 0i32;
            for ring in rings {
                content.extend(start.to_le_bytes());
                start += ring.len() as i32;
            }
            for (x, y) in points {
                content.extend(x.to_le_bytes());
                content.extend(y.to_le_bytes());
            }
        }
        records.push(content);
    }
    let header = |length_bytes: usize| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&((length_bytes / 2) as i32).to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&5i32.to_le_bytes());
        h
    };
    let shp_len = 100 + records.iter().map(|r| 8 + r.len()).sum::<usize>();
    let mut shp = header(shp_len);
    let mut shx = header(100 + 8 * records.len());
    for (i, content) in records.iter().enumerate() {
        shx.extend(((shp.len() / 2) as i32).to_be_bytes());
        shx.extend(((content.len() / 2) as i32).to_be_bytes());
        shp.extend((i as i32 + 1).to_be_bytes());
        shp.extend(((content.len() / 2) as i32).to_be_bytes());
        shp.extend(content);
    }
    let path = dir.join(format!("{stem}.shp"));
    std::fs::write(&path, shp).unwrap();
    std::fs::write(path.with_extension("shx"), shx).unwrap();
    std::fs::write(path.with_extension("dbf"), dbf(fields, rows, 0)).unwrap();
    std::fs::write(path.with_extension("prj"), LAMBERT93_PRJ).unwrap();
    path
}

/// A dBASE III table of text fields (width 40), `language_driver` in byte 29 (0 = none). Values
/// are written as given, in whatever bytes the caller chose.
pub fn dbf(fields: &[&str], rows: &[Vec<&str>], language_driver: u8) -> Vec<u8> {
    dbf_bytes(
        fields,
        &rows.iter().map(|r| r.iter().map(|v| v.as_bytes().to_vec()).collect()).collect::<Vec<_>>(),
        language_driver,
    )
}

/// As [`dbf`], with raw bytes per value (for encodings other than UTF-8).
pub fn dbf_bytes(fields: &[&str], rows: &[Vec<Vec<u8>>], language_driver: u8) -> Vec<u8> {
    const WIDTH: usize = 40;
    let header_size = 32 + 32 * fields.len() + 1;
    let record_size = 1 + WIDTH * fields.len();
    let mut out = vec![0u8; 32];
    out[0] = 0x03;
    out[1..4].copy_from_slice(&[126, 1, 1]);
    out[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
    out[8..10].copy_from_slice(&(header_size as u16).to_le_bytes());
    out[10..12].copy_from_slice(&(record_size as u16).to_le_bytes());
    out[29] = language_driver;
    for name in fields {
        let mut d = vec![0u8; 32];
        d[..name.len()].copy_from_slice(name.as_bytes());
        d[11] = b'C';
        d[16] = WIDTH as u8;
        out.extend(d);
    }
    out.push(0x0D);
    for row in rows {
        out.push(b' ');
        for value in row {
            let mut cell = value.clone();
            cell.resize(WIDTH, b' ');
            out.extend(cell);
        }
    }
    out.push(0x1A);
    out
}

/// A tiny valid pack in `dir`: three communes as GeoJSON (two in EPCI 200000001, one in
/// 200000002), a long-layout CSV of one count indicator, and a COG history. Returns the folder.
pub fn tiny_pack(dir: &Path) -> PathBuf {
    let pack = dir.to_owned();
    std::fs::create_dir_all(pack.join("data")).unwrap();
    let feature = |code: &str, name: &str, epci: &str, x: f64| {
        let ring: Vec<String> = square(x, 0.0).into_iter().rev().map(|(x, y)| format!("[{x},{y}]")).collect();
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","nom":"{name}","epci":"{epci}","dep":"80","reg":"32"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            ring.join(",")
        )
    };
    let features = [
        feature("80001", "Un", "200000001", 0.0),
        feature("80002", "Deux", "200000001", 1.0),
        feature("80003", "Trois", "200000002", 2.0),
    ];
    std::fs::write(
        pack.join("communes.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::2154"}}}},"features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    std::fs::write(pack.join("data/valeurs.csv"), "code;annee;valeur\n80001;2023;12\n80002;2023;30\n80003;2023;7\n")
        .unwrap();
    std::fs::write(pack.join("data/cog_history.csv"), "ancien_code,nouveau_code\n80009,80001\n").unwrap();
    std::fs::write(pack.join("pack.toml"), TINY_MANIFEST).unwrap();
    pack
}

/// The manifest of [`tiny_pack`].
pub const TINY_MANIFEST: &str = r#"[pack]
id = "mini"
title = "Pack minuscule"
cog_history = "data/cog_history.csv"

[[boundaries]]
level = "commune"
file = "communes.geojson"
code_field = "code"
name_field = "nom"
parents = { epci = "epci", departement = "dep", region = "reg" }

[[indicators]]
id = "naissances"
label = "Naissances"
unit = "naissances"
aggregation = "sum"
decimals = 0

[[data]]
file = "data/valeurs.csv"
layout = "long"
level = "commune"
indicator = "naissances"

[[templates]]
id = "t"
title = "Modèle"
items = [{ kind = "key_figures", indicators = ["naissances"] }]
"#;

/// One entry of a zip written by [`write_zip`].
pub enum ZipEntry<'a> {
    /// A file, deflated.
    File(&'a str, &'a [u8]),
    /// A symbolic link to a target.
    Symlink(&'a str, &'a str),
    /// A folder.
    Dir(&'a str),
}

/// Writes a zip with exactly these entries, names as given (the writer does not sanitise them).
pub fn write_zip(path: &Path, entries: &[ZipEntry<'_>]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for entry in entries {
        match entry {
            ZipEntry::File(name, bytes) => {
                zip.start_file(*name, options).unwrap();
                zip.write_all(bytes).unwrap();
            }
            ZipEntry::Symlink(name, target) => zip.add_symlink(*name, *target, options).unwrap(),
            ZipEntry::Dir(name) => zip.add_directory(*name, options).unwrap(),
        }
    }
    zip.finish().unwrap();
}

/// Every file under `dir`, as (path relative to `dir` with `/`, bytes), sorted.
pub fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Rewrites the uncompressed size of every entry (local headers and central directory) to `size`:
/// the archive then lies about how much each entry expands to.
pub fn lie_about_sizes(zip_bytes: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 46 <= zip_bytes.len() {
        match &zip_bytes[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => zip_bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes()),
            [0x50, 0x4b, 0x01, 0x02] => zip_bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes()),
            _ => {}
        }
        i += 1;
    }
}

/// ISO WKB of a polygon (little-endian) with the given rings.
pub fn polygon_wkb(rings: &[Vec<(f64, f64)>]) -> Vec<u8> {
    let mut out = vec![1];
    out.extend(3u32.to_le_bytes());
    out.extend((rings.len() as u32).to_le_bytes());
    for ring in rings {
        out.extend((ring.len() as u32).to_le_bytes());
        for (x, y) in ring {
            out.extend(x.to_le_bytes());
            out.extend(y.to_le_bytes());
        }
    }
    out
}

/// A GeoPackage geometry blob: the `GP` header (version 0, little-endian, an XY envelope computed
/// from the finite points unless `empty`) followed by `wkb`.
pub fn gpkg_blob(srs_id: i32, rings: &[Vec<(f64, f64)>], empty: bool) -> Vec<u8> {
    let finite: Vec<(f64, f64)> =
        rings.iter().flatten().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    let with_envelope = !empty && !finite.is_empty();
    let mut out = b"GP\0".to_vec();
    out.push(0x01 | if with_envelope { 0x02 } else { 0 } | if empty { 0x10 } else { 0 });
    out.extend(srs_id.to_le_bytes());
    if with_envelope {
        let min_x = finite.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let max_x = finite.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let min_y = finite.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let max_y = finite.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        for v in [min_x, max_x, min_y, max_y] {
            out.extend(v.to_le_bytes());
        }
    }
    out.extend(polygon_wkb(rings));
    out
}

/// One feature of a forged GeoPackage layer: the geometry column's value and the attributes.
pub enum GpkgGeometry {
    /// A blob as given (possibly hostile).
    Blob(Vec<u8>),
    /// SQL NULL.
    Null,
    /// A text where a blob is expected.
    Text(&'static str),
}

/// A feature table of a forged GeoPackage.
pub struct GpkgTable<'a> {
    /// Table name.
    pub name: &'a str,
    /// SRS id of the geometry column.
    pub srs_id: i64,
    /// Attribute names (TEXT columns).
    pub fields: &'a [&'a str],
    /// Rows: geometry and attribute bytes (inserted as TEXT, so non-UTF-8 bytes can be forged).
    pub rows: Vec<(GpkgGeometry, Vec<Vec<u8>>)>,
}

/// Writes a minimal GeoPackage (the three required tables, the two "undefined" SRS, WGS 84 and
/// Lambert-93 with their WKT) with these feature tables, through SQLite itself.
pub fn write_gpkg(path: &Path, tables: &[GpkgTable<'_>]) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
         CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
           description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE,
           min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]', NULL);",
    )
    .unwrap();
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('RGF93 v1 / Lambert-93', 2154, 'EPSG', 2154, ?1, NULL)",
        [LAMBERT93_PRJ],
    )
    .unwrap();
    for table in tables {
        let columns: Vec<String> = table.fields.iter().map(|f| format!(", \"{f}\" TEXT")).collect();
        db.execute_batch(&format!(
            "CREATE TABLE \"{}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON{});",
            table.name,
            columns.concat()
        ))
        .unwrap();
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?1, 'features', ?1, ?2)",
            rusqlite::params![table.name, table.srs_id],
        )
        .unwrap();
        db.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
            rusqlite::params![table.name, table.srs_id],
        )
        .unwrap();
        for (geometry, values) in &table.rows {
            let placeholders: Vec<String> = (0..values.len()).map(|i| format!(", CAST(?{} AS TEXT)", i + 2)).collect();
            let names: Vec<String> = table.fields.iter().map(|f| format!(", \"{f}\"")).collect();
            let sql =
                format!("INSERT INTO \"{}\" (geom{}) VALUES (?1{})", table.name, names.concat(), placeholders.concat());
            let geometry: rusqlite::types::Value = match geometry {
                GpkgGeometry::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
                GpkgGeometry::Null => rusqlite::types::Value::Null,
                GpkgGeometry::Text(t) => rusqlite::types::Value::Text((*t).to_owned()),
            };
            let mut params: Vec<rusqlite::types::Value> = vec![geometry];
            params.extend(values.iter().map(|v| rusqlite::types::Value::Blob(v.clone())));
            db.execute(&sql, rusqlite::params_from_iter(params)).unwrap();
        }
    }
}

/// A forged GeoPackage with one Lambert-93 layer `communes` of the given geometries, each with the
/// code `80001`.
pub fn gpkg_of(path: &Path, geometries: Vec<GpkgGeometry>) -> PathBuf {
    let rows = geometries.into_iter().map(|g| (g, vec![b"80001".to_vec()])).collect();
    write_gpkg(path, &[GpkgTable { name: "communes", srs_id: 2154, fields: &["code"], rows }]);
    path.to_owned()
}
