//! ESRI Shapefile sets (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`).
//!
//! The `.shp` record structure is checked here first, so that every size the file declares is
//! known to fit before the `shapefile` crate parses the geometry: a truncated or lying file gets a
//! message naming the record, never a huge allocation or a panic. Every point is checked against the
//! CRS's domain (record and part named). Attributes come from [`super::dbf`], the CRS from
//! [`super::crs`].

use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{Coord, LineString};
use shapefile::{PolygonRing, Shape, ShapeReader};

use super::{BoundaryError, Feature, Layer, LoadOptions, assemble_polygons, crs::Crs, dbf};

const HEADER_LEN: usize = 100;
const FILE_CODE: i32 = 9994;

/// The bytes of a Shapefile set, read from disk or from elsewhere (a fuzzer, an archive).
#[derive(Debug, Clone, Copy)]
pub struct ShapefileBytes<'a> {
    /// The `.shp`.
    pub shp: &'a [u8],
    /// The `.shx` and the path that names it in messages.
    pub shx: (&'a Path, &'a [u8]),
    /// The `.dbf` and the path that names it in messages.
    pub dbf: (&'a Path, &'a [u8]),
    /// The `.prj`, when there is one, and its path.
    pub prj: Option<(&'a Path, &'a [u8])>,
    /// The `.cpg`, when there is one.
    pub cpg: Option<&'a [u8]>,
}

/// Reads a Shapefile set whose `.shp` is `path`.
pub fn read_shapefile(path: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    read_shapefile_named(path, path, options)
}

/// Reads the Shapefile set whose `.shp` is stored at `disk`, naming each file of the set after
/// `shown` in messages (`communes.zip/communes.dbf` for a set unpacked from an archive).
pub(crate) fn read_shapefile_named(disk: &Path, shown: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    // Each companion as stored, and as named in messages (with the extension's case as found).
    let named = |ext: &str| {
        companion(disk, ext).map(|p| {
            let ext = p.extension().map(std::ffi::OsStr::to_owned).unwrap_or_default();
            (p, shown.with_extension(ext))
        })
    };
    let read = |(stored, named): &(PathBuf, PathBuf)| std::fs::read(stored).map_err(|e| BoundaryError::io(named, e));
    let shp = std::fs::read(disk).map_err(|e| BoundaryError::io(shown, e))?;
    let shx_path = named("shx")
        .ok_or_else(|| BoundaryError::MissingCompanion { path: shown.to_owned(), missing: ".shx".into() })?;
    let dbf_path = named("dbf")
        .ok_or_else(|| BoundaryError::MissingCompanion { path: shown.to_owned(), missing: ".dbf".into() })?;
    let shx = read(&shx_path)?;
    let dbf_bytes = read(&dbf_path)?;
    let prj_path = named("prj");
    let prj = prj_path.as_ref().map(read).transpose()?;
    let cpg = named("cpg").as_ref().map(read).transpose()?;
    let bytes = ShapefileBytes {
        shp: &shp,
        shx: (&shx_path.1, &shx),
        dbf: (&dbf_path.1, &dbf_bytes),
        prj: prj_path.as_ref().map(|p| p.1.as_path()).zip(prj.as_deref()),
        cpg: cpg.as_deref(),
    };
    read_shapefile_bytes(shown, &bytes, options)
}

/// Reads a Shapefile set already in memory; `path` names the `.shp` in messages.
pub fn read_shapefile_bytes(
    path: &Path,
    bytes: &ShapefileBytes<'_>,
    options: &LoadOptions,
) -> Result<Layer, BoundaryError> {
    let (shp, (shx_path, shx), (dbf_path, dbf_bytes)) = (bytes.shp, bytes.shx, bytes.dbf);
    let crs = match bytes.prj {
        Some((prj_path, prj)) if super::utf16_bom(prj) => {
            return Err(BoundaryError::malformed(
                prj_path,
                "début du fichier",
                "système de coordonnées illisible : fichier encodé en UTF-16, texte WKT en ASCII ou UTF-8 attendu",
            ));
        }
        Some((prj_path, prj)) => {
            let wkt = String::from_utf8_lossy(prj);
            Crs::from_wkt(&wkt).map_err(|source| BoundaryError::Crs { path: prj_path.to_owned(), source })?
        }
        None => options.assume_crs.clone().ok_or_else(|| BoundaryError::NoCrs { path: path.to_owned() })?,
    };
    let cpg_text = bytes.cpg.map(String::from_utf8_lossy);

    let n_records = check_structure(path, shp)?;
    check_index(shx_path, shx, n_records)?;
    let table = dbf::read_dbf(dbf_path, dbf_bytes, cpg_text.as_deref())?;
    if table.records.len() != n_records {
        return Err(BoundaryError::malformed(
            dbf_path,
            "en-tête",
            format!(
                "{} enregistrements attributaires pour {n_records} formes dans le .shp : les deux fichiers ne vont pas ensemble",
                table.records.len()
            ),
        ));
    }

    let mut reader = ShapeReader::with_shx(Cursor::new(shp), Cursor::new(shx))
        .map_err(|e| BoundaryError::malformed(path, "en-tête", e.to_string()))?;
    let mut features = Vec::with_capacity(n_records);
    let mut warnings = Vec::new();
    let mut null_shapes = 0usize;
    let mut orphan_holes = 0usize;
    let mut unclosed_rings = 0usize;
    let mut degenerate_rings = Vec::new();
    for (index, (shape, attributes)) in reader.iter_shapes().zip(table.records).enumerate() {
        let place = || format!("enregistrement {}", index + 1);
        let shape = shape.map_err(|e| BoundaryError::malformed(path, place(), e.to_string()))?;
        let rings: Vec<(bool, Vec<(f64, f64)>)> = match shape {
            Shape::NullShape => {
                null_shapes += 1;
                Vec::new()
            }
            Shape::Polygon(p) => p.into_inner().into_iter().map(|r| ring_points(r, |p| (p.x, p.y))).collect(),
            Shape::PolygonM(p) => p.into_inner().into_iter().map(|r| ring_points(r, |p| (p.x, p.y))).collect(),
            Shape::PolygonZ(p) => p.into_inner().into_iter().map(|r| ring_points(r, |p| (p.x, p.y))).collect(),
            _ => {
                return Err(BoundaryError::malformed(
                    path,
                    place(),
                    "forme qui n'est pas un polygone : des polygones étaient attendus",
                ));
            }
        };
        let mut outers = Vec::new();
        let mut inners = Vec::new();
        for (part, (is_outer, points)) in rings.into_iter().enumerate() {
            let closed = super::check_ring(&crs, &points)
                .map_err(|m| BoundaryError::malformed(path, format!("{}, partie {}", place(), part + 1), m))?;
            if !closed {
                // geo closes rings itself; said, since a file that does not is suspect.
                unclosed_rings += 1;
            }
            if points.len() < 3 {
                degenerate_rings.push(index + 1);
                continue;
            }
            let ring = LineString::new(points.into_iter().map(|(x, y)| Coord { x, y }).collect());
            if is_outer { outers.push(ring) } else { inners.push(ring) }
        }
        features.push(Feature { attributes, geometry: assemble_polygons(outers, inners, &mut orphan_holes) });
    }
    if null_shapes > 0 {
        warnings.push(format!("{} : {null_shapes} forme(s) vide(s)", path.display()));
    }
    if unclosed_rings > 0 {
        warnings.push(format!(
            "{} : {unclosed_rings} anneau(x) non fermé(s) (dernier point différent du premier), fermé(s) à la lecture",
            path.display()
        ));
    }
    if let Some(first) = degenerate_rings.first() {
        warnings.push(format!(
            "{} : enregistrement {first} : anneau de moins de 3 points ignoré ({} en tout)",
            path.display(),
            degenerate_rings.len()
        ));
    }
    warnings.extend(table.warnings);
    if orphan_holes > 0 {
        warnings
            .push(format!("{} : {orphan_holes} trou(s) hors de tout contour, gardé(s) comme contours", path.display()));
    }
    Ok(Layer { path: path.to_owned(), crs, encoding: table.encoding, fields: table.fields, features, warnings })
}

fn ring_points<P>(ring: PolygonRing<P>, xy: impl Fn(&P) -> (f64, f64)) -> (bool, Vec<(f64, f64)>) {
    let is_outer = matches!(ring, PolygonRing::Outer(_));
    (is_outer, ring.into_inner().iter().map(xy).collect())
}

/// The companion file with extension `ext`, in lower or upper case.
fn companion(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

fn be_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn le_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Walks the record headers of a `.shp` and checks that every declared size fits in the file.
/// Returns the number of records.
fn check_structure(path: &Path, bytes: &[u8]) -> Result<usize, BoundaryError> {
    if bytes.len() < HEADER_LEN {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!(
                "fichier de {} octets, plus court que l'en-tête Shapefile (100 octets) : fichier tronqué ou vide",
                bytes.len()
            ),
        ));
    }
    if be_i32(bytes, 0) != FILE_CODE {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            "ce n'est pas un fichier .shp (code de fichier 9994 attendu)",
        ));
    }
    let declared_len = i64::from(be_i32(bytes, 24)) * 2;
    let file_len = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    if declared_len > file_len {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!(
                "l'en-tête annonce {declared_len} octets mais le fichier n'en a que {} : fichier tronqué",
                bytes.len()
            ),
        ));
    }
    let shape_type = le_i32(bytes, 32);
    if !matches!(shape_type, 0 | 5 | 15 | 25) {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!(
                "type de forme {shape_type} ({}) : une couche de polygones (type 5, 15 ou 25) était attendue",
                shape_type_name(shape_type)
            ),
        ));
    }
    let end = usize::try_from(declared_len).unwrap_or(0).max(HEADER_LEN);
    let mut offset = HEADER_LEN;
    let mut count = 0usize;
    while offset < end {
        count += 1;
        let place = || format!("enregistrement {count} (octet {offset})");
        if offset + 8 > end {
            return Err(BoundaryError::malformed(path, place(), "en-tête d'enregistrement tronqué"));
        }
        let content_len = i64::from(be_i32(bytes, offset + 4)) * 2;
        let content_start = offset + 8;
        let fits = usize::try_from(content_len)
            .ok()
            .and_then(|len| content_start.checked_add(len))
            .is_some_and(|stop| stop <= end);
        if content_len < 4 || !fits {
            return Err(BoundaryError::malformed(
                path,
                place(),
                format!("longueur déclarée {content_len} octets, au-delà de la fin du fichier ({end} octets)"),
            ));
        }
        let content = &bytes[content_start..content_start + content_len as usize];
        check_polygon_record(content).map_err(|message| BoundaryError::malformed(path, place(), message))?;
        offset = content_start + content_len as usize;
    }
    Ok(count)
}

fn check_polygon_record(content: &[u8]) -> Result<(), String> {
    let record_type = le_i32(content, 0);
    if record_type == 0 {
        return Ok(());
    }
    if !matches!(record_type, 5 | 15 | 25) {
        return Err(format!(
            "forme de type {record_type} ({}) dans une couche de polygones",
            shape_type_name(record_type)
        ));
    }
    if content.len() < 44 {
        return Err("enregistrement de polygone trop court (44 octets au moins)".into());
    }
    let n_parts = le_i32(content, 36);
    let n_points = le_i32(content, 40);
    if n_parts < 0 || n_points < 0 {
        return Err(format!("nombre de parties ({n_parts}) ou de points ({n_points}) négatif"));
    }
    let (n_parts, n_points) = (n_parts as usize, n_points as usize);
    let needed = 44 + 4 * n_parts + 16 * n_points;
    if needed > content.len() {
        return Err(format!(
            "{n_parts} parties et {n_points} points annoncés ({needed} octets) dans un enregistrement de {} octets",
            content.len()
        ));
    }
    // PolygonZ carries a Z range and one Z per point after the XY points (then optional M values).
    let needed_z = needed + 16 + 8 * n_points;
    if record_type == 15 && needed_z > content.len() {
        return Err(format!(
            "PolygonZ de {n_points} points sans ses coordonnées Z : {needed_z} octets attendus dans un enregistrement de {}",
            content.len()
        ));
    }
    let mut previous = 0i32;
    for i in 0..n_parts {
        let start = le_i32(content, 44 + 4 * i);
        if (i == 0 && start != 0) || start < previous || start as usize >= n_points.max(1) {
            return Err(format!("début de partie {i} incohérent ({start} pour {n_points} points)"));
        }
        previous = start;
    }
    Ok(())
}

fn check_index(path: &Path, shx: &[u8], n_records: usize) -> Result<(), BoundaryError> {
    if shx.len() < HEADER_LEN || be_i32(shx, 0) != FILE_CODE {
        return Err(BoundaryError::malformed(path, "en-tête", "index .shx illisible (en-tête Shapefile attendu)"));
    }
    let entries = (shx.len() - HEADER_LEN) / 8;
    if entries != n_records {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!("l'index compte {entries} entrées pour {n_records} formes dans le .shp"),
        ));
    }
    Ok(())
}

fn shape_type_name(code: i32) -> &'static str {
    match code {
        0 => "vide",
        1 | 11 | 21 => "point",
        3 | 13 | 23 => "ligne",
        5 | 15 | 25 => "polygone",
        8 | 18 | 28 => "multipoint",
        31 => "multipatch",
        _ => "inconnu",
    }
}
