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
