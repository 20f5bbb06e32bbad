//! GeoPackage boundary files (`.gpkg`, OGC 12-128r18): the feature tables listed in
//! `gpkg_contents`, their geometry column from `gpkg_geometry_columns`, their CRS from the file's own
//! `gpkg_spatial_ref_sys` (the organisation's code when it is one the application knows, else the WKT
//! definition), attributes as text.
//!
//! The file is only ever read: SQLite opens it read-only and immutable (`file:…?immutable=1`), so it
//! creates no journal, `-wal` or `-shm` file beside the user's file and takes no lock. The first
//! 100 bytes are checked before SQLite sees the file (a clear message for a file that is not SQLite or
//! is cut short), blobs and texts are bounded in size, views are refused (a view runs arbitrary SQL),
//! and geometry blobs are decoded by [`super::wkb`] with every size checked against the blob.
//! Depends on `rusqlite` (SQLite built from source) and the rest of [`crate::boundary`] only.

use std::fmt::Write as _;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::wkb::{self, Polygons};
use super::{BoundaryError, Feature, Layer, LoadOptions, crs::Crs};

/// The longest text or blob SQLite may hand back (a geometry of several million points fits): a
/// hostile file cannot make one value fill the memory.
const MAX_VALUE_BYTES: i32 = 256 << 20;

/// One feature table of a GeoPackage, as `indicarto info` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpkgLayerInfo {
    /// The table name, which `--layer` and `layer = "…"` take.
    pub name: String,
    /// The geometry type the file declares (`MULTIPOLYGON`…).
    pub geometry_type: String,
    /// The geometry column.
    pub geometry_column: String,
    /// The SRS id of the geometry column.
    pub srs_id: i64,
}

/// Whether a path names a GeoPackage, by its extension.
#[must_use]
pub fn is_gpkg(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("gpkg"))
}

/// The feature tables of a GeoPackage, sorted by name.
pub fn list_layers(path: &Path) -> Result<Vec<GpkgLayerInfo>, BoundaryError> {
    let db = open(path, path)?;
    feature_tables(&db, path)
}

/// Reads one layer of a GeoPackage: the one `options.layer` names, or the only one.
pub fn read_geopackage(path: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    read_geopackage_named(path, path, options)
}

/// Reads a GeoPackage stored at `disk`, naming it `shown` in messages (`communes.zip/communes.gpkg`
/// for one unpacked from an archive).
pub(crate) fn read_geopackage_named(disk: &Path, shown: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    let db = open(disk, shown)?;
    let tables = feature_tables(&db, shown)?;
    let table = choose_table(shown, &tables, options.layer.as_deref())?;
    let crs = table_crs(&db, shown, table, options)?;
    let mut layer = read_features(&db, shown, table, crs)?;
    if wal_beside(disk) {
        layer.warnings.push(format!(
            "{} : un fichier -wal est présent à côté : des modifications en cours (QGIS ouvert ?) ne sont pas lues ; fermez le logiciel qui écrit dans ce GeoPackage",
            shown.display()
        ));
    }
    Ok(layer)
}

/// Reads a GeoPackage held in memory (a fuzzer's input): it is written to a private temporary file
/// first, since SQLite reads files. `shown` names it in messages.
pub fn read_geopackage_bytes(shown: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Layer, BoundaryError> {
    use std::io::Write as _;
    let mut file = tempfile::Builder::new()
        .prefix("indicarto-gpkg-")
        .suffix(".gpkg")
        .tempfile()
        .map_err(|e| BoundaryError::io(shown, e))?;
    file.write_all(bytes).map_err(|e| BoundaryError::io(shown, e))?;
    read_geopackage_named(file.path(), shown, options)
}

fn wal_beside(disk: &Path) -> bool {
    let mut wal = disk.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).is_ok_and(|m| m.len() > 0)
}

/// Checks the SQLite header, then opens the file read-only and immutable, with bounded values.
fn open(disk: &Path, shown: &Path) -> Result<Connection, BoundaryError> {
    check_sqlite_header(disk, shown)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(immutable_uri(disk), flags).map_err(|e| sql_error(shown, "ouverture", &e))?;
    let settings = || -> rusqlite::Result<()> {
        db.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
        db.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        db.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
        db.execute_batch("PRAGMA cell_size_check = ON; PRAGMA query_only = ON;")
    };
    settings().map_err(|e| sql_error(shown, "ouverture", &e))?;
    Ok(db)
}

/// `file:` URI of a path with `immutable=1`: SQLite then writes nothing and locks nothing. Every byte
/// that is not unreserved is percent-encoded, so `?`, `#` and `%` in a folder name stay part of it.
fn immutable_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file:");
    // A Windows drive path (`C:/…`) becomes `file:///C:/…`.
    if text.as_bytes().get(1) == Some(&b':') {
        uri.push_str("///");
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~' | b':') {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// The 100-byte SQLite header: magic text, page size, and the page count against the file's length.
fn check_sqlite_header(disk: &Path, shown: &Path) -> Result<(), BoundaryError> {
    use std::io::Read as _;
    let mut header = Vec::with_capacity(100);
    let file = std::fs::File::open(disk).map_err(|e| BoundaryError::io(shown, e))?;
    let file_len = file.metadata().map_err(|e| BoundaryError::io(shown, e))?.len();
    file.take(100).read_to_end(&mut header).map_err(|e| BoundaryError::io(shown, e))?;
    if header.len() < 100 {
        return Err(BoundaryError::malformed(
            shown,
            "en-tête",
            format!(
                "fichier de {} octets, plus court que l'en-tête d'une base SQLite (100 octets) : fichier tronqué ou vide",
                header.len()
            ),
        ));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(BoundaryError::malformed(
            shown,
            "en-tête",
            "ce n'est pas une base SQLite (en-tête « SQLite format 3 » attendu) : un GeoPackage est une base SQLite",
        ));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(BoundaryError::malformed(
            shown,
            "en-tête",
            format!("taille de page {page_size} impossible (une puissance de 2 entre 512 et 65 536 était attendue)"),
        ));
    }
    // The page count is valid when its "version-valid-for" number matches the change counter.
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let valid = header[92..96] == header[24..28];
    if valid && pages > 0 && pages.saturating_mul(page_size) > file_len {
        return Err(BoundaryError::malformed(
            shown,
            "en-tête",
            format!(
                "l'en-tête annonce {pages} pages de {page_size} octets mais le fichier n'en a que {file_len} : fichier tronqué"
            ),
        ));
    }
    Ok(())
}

/// A SQLite error as a message naming the file and the place; corruption is said in French.
fn sql_error(shown: &Path, place: &str, error: &rusqlite::Error) -> BoundaryError {
    use rusqlite::ErrorCode;
    let message = match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            "ce n'est pas une base SQLite lisible : un GeoPackage est une base SQLite".to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt) => format!("base SQLite abîmée ou tronquée ({error})"),
        Some(ErrorCode::TooBig) => {
            format!("valeur de plus de {} Mo : fichier invraisemblable pour des contours", MAX_VALUE_BYTES >> 20)
        }
        _ => match error.to_string().split_once("no such column: ") {
            Some((_, rest)) => format!(
                "colonne « {} » absente : table non conforme au GeoPackage",
                rest.split_whitespace().next().unwrap_or(rest)
            ),
            None => format!("erreur SQLite : {error}"),
        },
    };
    BoundaryError::malformed(shown, place, message)
}

/// Text of any SQLite value (an integer table name is still a name).
fn value_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// Quotes an SQL identifier: `"name"` with inner quotes doubled.
fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

fn table_exists(db: &Connection, shown: &Path, name: &str) -> Result<bool, BoundaryError> {
    db.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |row| {
        row.get::<_, i64>(0)
    })
    .map(|n| n > 0)
    .map_err(|e| sql_error(shown, "schéma", &e))
}

/// Every `features` table of `gpkg_contents` with its geometry column, sorted by name.
fn feature_tables(db: &Connection, shown: &Path) -> Result<Vec<GpkgLayerInfo>, BoundaryError> {
    for required in ["gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys"] {
        if !table_exists(db, shown, required)? {
            return Err(BoundaryError::malformed(
                shown,
                "schéma",
                format!(
                    "base SQLite qui n'est pas un GeoPackage : table {required} absente (un GeoPackage déclare ses couches dans gpkg_contents, gpkg_geometry_columns et gpkg_spatial_ref_sys)"
                ),
            ));
        }
    }
    let sql = "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id \
               FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
               WHERE c.data_type = 'features' ORDER BY c.table_name";
    let place = "tables gpkg_contents et gpkg_geometry_columns";
    let mut statement = db.prepare(sql).map_err(|e| sql_error(shown, place, &e))?;
    let rows = statement
        .query_map([], |row| {
            Ok((value_text(row.get_ref(0)?), value_text(row.get_ref(1)?), value_text(row.get_ref(2)?), {
                match row.get_ref(3)? {
                    ValueRef::Integer(i) => Some(i),
                    _ => None,
                }
            }))
        })
        .map_err(|e| sql_error(shown, place, &e))?;
    let mut tables = Vec::new();
    for (index, row) in rows.enumerate() {
        let row = row.map_err(|e| sql_error(shown, place, &e))?;
        let (Some(name), Some(geometry_column), Some(geometry_type), Some(srs_id)) = row else {
            return Err(BoundaryError::malformed(
                shown,
                format!("{place}, couche {}", index + 1),
                "nom de table, colonne de géométrie, type ou srs_id manquant ou d'un type inattendu",
            ));
        };
        tables.push(GpkgLayerInfo { name, geometry_type: geometry_type.to_ascii_uppercase(), geometry_column, srs_id });
    }
    Ok(tables)
}

fn names(tables: &[GpkgLayerInfo]) -> String {
    tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn choose_table<'a>(
    shown: &Path,
    tables: &'a [GpkgLayerInfo],
    wanted: Option<&str>,
) -> Result<&'a GpkgLayerInfo, BoundaryError> {
    let error = |message: String| BoundaryError::Layers { path: shown.to_owned(), message };
    match (wanted, tables) {
        (_, []) => {
            Err(error("aucune couche d'entités : gpkg_contents ne déclare aucune table de type « features »".into()))
        }
        (Some(name), _) => tables
            .iter()
            .find(|t| t.name == name)
            .or_else(|| tables.iter().find(|t| t.name.eq_ignore_ascii_case(name)))
            .ok_or_else(|| error(format!("couche « {name} » introuvable ; couches présentes : {}", names(tables)))),
        (None, [one]) => Ok(one),
        (None, _) => Err(error(format!(
            "{} couches ({}) : choisissez-en une avec --layer NOM (ligne de commande) ou layer = \"NOM\" (manifeste)",
            tables.len(),
            names(tables)
        ))),
    }
}

/// The CRS of a table's geometry column, from `gpkg_spatial_ref_sys`: the organisation's code when it
/// is an EPSG code the application knows, else the WKT definition (or its WKT2 form).
fn table_crs(
    db: &Connection,
    shown: &Path,
    table: &GpkgLayerInfo,
    options: &LoadOptions,
) -> Result<Crs, BoundaryError> {
    let srs_id = table.srs_id;
    let place = format!("couche « {} », gpkg_spatial_ref_sys (srs_id {srs_id})", table.name);
    let has_wkt2 = db.prepare("SELECT definition_12_063 FROM gpkg_spatial_ref_sys LIMIT 0").is_ok();
    let sql = if has_wkt2 {
        "SELECT organization, organization_coordsys_id, definition, definition_12_063 FROM gpkg_spatial_ref_sys WHERE srs_id = ?1"
    } else {
        "SELECT organization, organization_coordsys_id, definition, NULL FROM gpkg_spatial_ref_sys WHERE srs_id = ?1"
    };
    let row = db
        .query_row(sql, [srs_id], |row| {
            Ok((
                value_text(row.get_ref(0)?),
                value_text(row.get_ref(1)?),
                value_text(row.get_ref(2)?),
                value_text(row.get_ref(3)?),
            ))
        })
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => BoundaryError::malformed(
                shown,
                &place,
                format!("aucune ligne pour le srs_id {srs_id} que déclare la couche : table des systèmes de coordonnées incomplète"),
            ),
            other => sql_error(shown, &place, &other),
        })?;
    let (organization, code, definition, definition_wkt2) = row;
    let defined = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("undefined"))
            .map(str::to_owned)
    };
    let epsg = organization
        .filter(|o| o.trim().eq_ignore_ascii_case("EPSG"))
        .and_then(|_| code.as_deref().and_then(|c| c.trim().parse::<u32>().ok()));
    if let Some(crs) = epsg.and_then(|code| Crs::from_epsg(code).ok()) {
        return Ok(crs);
    }
    let wkts: Vec<String> = [defined(&definition), defined(&definition_wkt2)].into_iter().flatten().collect();
    if wkts.is_empty() {
        // srs_id -1 and 0 are the specification's "undefined" Cartesian and geographic systems.
        return options
            .assume_crs
            .clone()
            .ok_or_else(|| BoundaryError::UndefinedCrs { path: shown.to_owned(), place: place.clone() });
    }
    let mut first_error = None;
    for wkt in &wkts {
        match Crs::from_wkt(wkt) {
            Ok(crs) => return Ok(crs),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let source = match (epsg, first_error) {
        (Some(code), _) => super::CrsError::UnsupportedEpsg { code },
        (None, Some(e)) => e,
        (None, None) => super::CrsError::UnknownCrs { what: format!("du srs_id {srs_id}") },
    };
    Err(BoundaryError::CrsAt { path: shown.to_owned(), place, source })
}

/// Counters of legal-but-odd things met while reading, reported once each as warnings.
#[derive(Default)]
struct Oddities {
    null_geometries: usize,
    empty_geometries: usize,
    envelope_mismatches: Vec<usize>,
    srs_mismatches: Vec<usize>,
    unclosed_rings: usize,
    degenerate_rings: Vec<usize>,
    not_utf8: Vec<(usize, String)>,
    blobs: usize,
}

fn read_features(db: &Connection, shown: &Path, table: &GpkgLayerInfo, crs: Crs) -> Result<Layer, BoundaryError> {
    let layer_place = format!("couche « {} »", table.name);
    if !table_exists(db, shown, &table.name)? {
        return Err(BoundaryError::malformed(
            shown,
            &layer_place,
            "table déclarée dans gpkg_contents mais absente de la base (ou vue, non prise en charge)",
        ));
    }
    let (primary_key, fields) = columns(db, shown, table, &layer_place)?;
    let key = primary_key.as_deref().map_or_else(|| "rowid".to_owned(), quoted);
    let mut sql = format!("SELECT {key}, {}", quoted(&table.geometry_column));
    for field in &fields {
        sql.push_str(", ");
        sql.push_str(&quoted(field));
    }
    let _ = write!(sql, " FROM {} ORDER BY {key}", quoted(&table.name));
    let mut statement = db.prepare(&sql).map_err(|e| sql_error(shown, &layer_place, &e))?;
    let mut rows = statement.query([]).map_err(|e| sql_error(shown, &layer_place, &e))?;
    let mut features = Vec::new();
    let mut odd = Oddities::default();
    loop {
        let index = features.len() + 1;
        let row = rows.next().map_err(|e| sql_error(shown, &format!("{layer_place}, entité {index}"), &e))?;
        let Some(row) = row else { break };
        let fid = value_text(row.get_ref(0).map_err(|e| sql_error(shown, &layer_place, &e))?).unwrap_or_default();
        let place = format!("{layer_place}, entité {index} (fid {fid})");
        let geometry = row.get_ref(1).map_err(|e| sql_error(shown, &place, &e))?;
        let geometry = feature_geometry(geometry, &crs, table, index, &mut odd)
            .map_err(|message| BoundaryError::malformed(shown, &place, message))?;
        let mut attributes = Vec::with_capacity(fields.len());
        for (column, field) in fields.iter().enumerate() {
            let value = row.get_ref(column + 2).map_err(|e| sql_error(shown, &place, &e))?;
            attributes.push(attribute_text(value, index, field, &mut odd));
        }
        features.push(Feature { attributes, geometry });
    }
    let warnings = odd.warnings(shown, &layer_place);
    Ok(Layer { path: shown.to_owned(), crs, encoding: "UTF-8 (GeoPackage)".into(), fields, features, warnings })
}

/// The integer primary key (GDAL's `fid`, not an attribute) and the attribute columns, in table
/// order, the geometry column left out.
fn columns(
    db: &Connection,
    shown: &Path,
    table: &GpkgLayerInfo,
    place: &str,
) -> Result<(Option<String>, Vec<String>), BoundaryError> {
    let sql = format!("PRAGMA table_info({})", quoted(&table.name));
    let mut statement = db.prepare(&sql).map_err(|e| sql_error(shown, place, &e))?;
    let rows = statement
        .query_map([], |row| {
            Ok((value_text(row.get_ref(1)?).unwrap_or_default(), value_text(row.get_ref(2)?), row.get::<_, i64>(5)?))
        })
        .map_err(|e| sql_error(shown, place, &e))?;
    let mut primary_key = None;
    let mut fields = Vec::new();
    let mut has_geometry = false;
    for row in rows {
        let (name, kind, pk) = row.map_err(|e| sql_error(shown, place, &e))?;
        if name == table.geometry_column {
            has_geometry = true;
        } else if pk == 1 && kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("INTEGER")) {
            primary_key = Some(name);
        } else {
            fields.push(name);
        }
    }
    if !has_geometry {
        return Err(BoundaryError::malformed(
            shown,
            place,
            format!("colonne de géométrie « {} » déclarée mais absente de la table", table.geometry_column),
        ));
    }
    Ok((primary_key, fields))
}

fn feature_geometry(
    value: ValueRef<'_>,
    crs: &Crs,
    table: &GpkgLayerInfo,
    index: usize,
    odd: &mut Oddities,
) -> Result<MultiPolygon<f64>, String> {
    let blob = match value {
        ValueRef::Null => {
            odd.null_geometries += 1;
            return Ok(MultiPolygon::new(vec![]));
        }
        ValueRef::Blob(blob) => blob,
        _ => {
            return Err(format!(
                "colonne {} : valeur qui n'est pas une géométrie (blob attendu)",
                table.geometry_column
            ));
        }
    };
    let decoded = wkb::read_gpkg_blob(blob)?;
    if decoded.empty {
        odd.empty_geometries += 1;
        return Ok(MultiPolygon::new(vec![]));
    }
    if decoded.envelope_mismatch {
        odd.envelope_mismatches.push(index);
    }
    if i64::from(decoded.srs_id) != table.srs_id {
        odd.srs_mismatches.push(index);
    }
    polygons(decoded.polygons, crs, index, odd)
}

fn polygons(polygons: Polygons, crs: &Crs, index: usize, odd: &mut Oddities) -> Result<MultiPolygon<f64>, String> {
    let mut out = Vec::with_capacity(polygons.len());
    for (p, rings) in polygons.into_iter().enumerate() {
        let mut kept = Vec::with_capacity(rings.len());
        for (r, points) in rings.into_iter().enumerate() {
            let closed =
                super::check_ring(crs, &points).map_err(|m| format!("polygone {}, anneau {} : {m}", p + 1, r + 1))?;
            if !closed {
                odd.unclosed_rings += 1;
            }
            if points.len() < 3 {
                odd.degenerate_rings.push(index);
                continue;
            }
            kept.push(LineString::new(points.into_iter().map(|(x, y)| Coord { x, y }).collect()));
        }
        let mut kept = kept.into_iter();
        if let Some(exterior) = kept.next() {
            out.push(Polygon::new(exterior, kept.collect()));
        }
    }
    Ok(MultiPolygon::new(out))
}

fn attribute_text(value: ValueRef<'_>, index: usize, field: &str, odd: &mut Oddities) -> Option<String> {
    let text = match value {
        ValueRef::Null => return None,
        ValueRef::Blob(_) => {
            odd.blobs += 1;
            return None;
        }
        ValueRef::Integer(i) => i.to_string(),
        // The shortest text that reads back as the same number: 1234.0 is « 1234 ».
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(bytes) => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                text.to_owned()
            } else {
                // GeoPackage text is UTF-8; a file filled by a careless tool may hold Windows-1252.
                if odd.not_utf8.is_empty() {
                    odd.not_utf8.push((index, field.to_owned()));
                }
                encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
            }
        }
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl Oddities {
    fn warnings(&self, shown: &Path, layer: &str) -> Vec<String> {
        let file = shown.display();
        let mut out = Vec::new();
        if self.null_geometries > 0 {
            out.push(format!("{file} : {layer} : {} entité(s) sans géométrie", self.null_geometries));
        }
        if self.empty_geometries > 0 {
            out.push(format!("{file} : {layer} : {} géométrie(s) vide(s)", self.empty_geometries));
        }
        if let Some(first) = self.envelope_mismatches.first() {
            out.push(format!(
                "{file} : {layer}, entité {first} : l'enveloppe de l'en-tête ne contient pas la géométrie ({} en tout) ; la géométrie est lue telle quelle",
                self.envelope_mismatches.len()
            ));
        }
        if let Some(first) = self.srs_mismatches.first() {
            out.push(format!(
                "{file} : {layer}, entité {first} : srs_id de la géométrie différent de celui de la colonne ({} en tout) ; celui de la colonne est utilisé",
                self.srs_mismatches.len()
            ));
        }
        if self.unclosed_rings > 0 {
            out.push(format!(
                "{file} : {layer} : {} anneau(x) non fermé(s) (dernier point différent du premier), fermé(s) à la lecture",
                self.unclosed_rings
            ));
        }
        if let Some(first) = self.degenerate_rings.first() {
            out.push(format!(
                "{file} : {layer}, entité {first} : anneau de moins de 3 points ignoré ({} en tout)",
                self.degenerate_rings.len()
            ));
        }
        if let Some((index, field)) = self.not_utf8.first() {
            out.push(format!(
                "{file} : {layer}, entité {index}, champ {field} : texte qui n'est pas de l'UTF-8 (obligatoire dans un GeoPackage) : lu en windows-1252"
            ));
        }
        if self.blobs > 0 {
            out.push(format!("{file} : {layer} : {} valeur(s) binaire(s) d'attribut ignorée(s)", self.blobs));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_sqlite_would_read_as_syntax() {
        assert_eq!(immutable_uri(Path::new("/tmp/a b/c?d#e%f.gpkg")), "file:/tmp/a%20b/c%3Fd%23e%25f.gpkg?immutable=1");
        assert_eq!(immutable_uri(Path::new("C:\\Données\\x.gpkg")), "file:///C:/Donn%C3%A9es/x.gpkg?immutable=1");
        assert_eq!(immutable_uri(Path::new("rel/x.gpkg")), "file:rel/x.gpkg?immutable=1");
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("communes"), "\"communes\"");
        assert_eq!(quoted("a\"; DROP TABLE x; --"), "\"a\"\"; DROP TABLE x; --\"");
    }
}
