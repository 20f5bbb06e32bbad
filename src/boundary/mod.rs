//! Boundary layers: polygons with attributes read from ESRI Shapefiles (also zipped), GeoJSON and
//! GeoPackage, with their coordinate reference system and text encoding.
//!
//! This module owns file formats and geometry only; which field holds a territory code, and what a
//! level is, belongs to [`crate::territory`]. Every reader checks each coordinate against its CRS's
//! domain ([`Crs::check_point`]) and names the record and the part that holds a wrong one. It must not
//! depend on packs, indicators or any UI; zipped layers are unpacked by [`crate::unzip`].

pub mod crs;
pub mod dbf;
pub mod dissolve;
pub mod geojson;
pub mod gpkg;
pub mod shp;
pub mod wkb;
pub mod zipped;

use std::path::{Path, PathBuf};

use geo::{BoundingRect, MultiPolygon, Rect};

pub use crs::{Crs, CrsError};

/// One polygon layer as read from a file: field names, and per feature the attribute texts and
/// the geometry in the layer's CRS.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file it was read from.
    pub path: PathBuf,
    /// Coordinate reference system of `features[..].geometry`.
    pub crs: Crs,
    /// How the attribute text was decoded, for `indicarto info` (`UTF-8 (.cpg)`, …).
    pub encoding: String,
    /// Attribute names, in file order.
    pub fields: Vec<String>,
    /// The features, in file order.
    pub features: Vec<Feature>,
    /// Non-fatal problems (null shapes, rings repaired).
    pub warnings: Vec<String>,
}

/// A feature: attribute texts aligned with [`Layer::fields`] (`None` for an empty or null value)
/// and its polygons.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Attribute values as text; numbers are kept as written so codes never lose a leading zero.
    pub attributes: Vec<Option<String>>,
    /// The polygons; empty for a null shape.
    pub geometry: MultiPolygon<f64>,
}

/// Choices a user may make when a file does not say everything.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// CRS to assume when the file declares none (a `.shp` without `.prj`, a GeoPackage layer with
    /// an undefined SRS, a GeoJSON without `crs` member, otherwise WGS 84). Never used to override a
    /// declared CRS.
    pub assume_crs: Option<Crs>,
    /// The layer to read from a file that holds several: a GeoPackage table, a Shapefile (by its
    /// name without extension) in a zip. `None` reads the only one.
    pub layer: Option<String>,
}

/// Why a boundary file could not be read. Every message names the file, and where possible the
/// record and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum BoundaryError {
    /// The file cannot be opened or read.
    #[error("{path} : lecture impossible ({source})")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },
    /// A companion file of a Shapefile set is missing.
    #[error(
        "{path} : fichier compagnon {missing} introuvable ; un Shapefile se compose au moins des fichiers .shp, .shx et .dbf de même nom"
    )]
    MissingCompanion {
        /// The `.shp`.
        path: PathBuf,
        /// The missing extension.
        missing: String,
    },
    /// The file's structure is not what its format requires.
    #[error("{path} : {place} : {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Where (`en-tête`, `enregistrement 12`, `octet 1 024`…).
        place: String,
        /// What was found and what was expected.
        message: String,
    },
    /// The CRS could not be determined or is not supported.
    #[error("{path} : système de coordonnées : {source}")]
    Crs {
        /// The file (`.prj` or GeoJSON).
        path: PathBuf,
        /// Why.
        source: CrsError,
    },
    /// The CRS of a GeoPackage layer could not be determined.
    #[error("{path} : {place} : système de coordonnées : {source}")]
    CrsAt {
        /// The file.
        path: PathBuf,
        /// Where it is declared (`couche « communes », gpkg_spatial_ref_sys (srs_id 2154)`).
        place: String,
        /// Why.
        source: CrsError,
    },
    /// A GeoPackage layer whose SRS is the specification's "undefined" one, and none assumed.
    #[error(
        "{path} : {place} : système de coordonnées non défini dans le fichier ; indiquez-le explicitement (par exemple --assume-crs EPSG:2154)"
    )]
    UndefinedCrs {
        /// The file.
        path: PathBuf,
        /// The layer and its SRS id.
        place: String,
    },
    /// The file holds no layer, or several and none was chosen, or not the one asked for.
    #[error("{path} : {message}")]
    Layers {
        /// The file.
        path: PathBuf,
        /// What was found and how to choose.
        message: String,
    },
    /// No CRS declared and none assumed.
    #[error(
        "{path} : aucun système de coordonnées déclaré (fichier .prj absent) ; indiquez-le explicitement (par exemple --assume-crs EPSG:2154)"
    )]
    NoCrs {
        /// The `.shp`.
        path: PathBuf,
    },
    /// The extension is not a supported format.
    #[error(
        "{path} : format non reconnu ; formats acceptés : Shapefile (.shp, ou zippé en .zip), GeoJSON (.geojson, .json) et GeoPackage (.gpkg)"
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
}

impl BoundaryError {
    pub(crate) fn malformed(path: &Path, place: impl Into<String>, message: impl Into<String>) -> Self {
        BoundaryError::Malformed { path: path.to_owned(), place: place.into(), message: message.into() }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        BoundaryError::Io { path: path.to_owned(), source }
    }
}

/// Reads a boundary layer, choosing the format from the extension (`.shp`, `.geojson`, `.json`,
/// `.gpkg`, `.zip` holding one of them).
pub fn load_layer(path: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    load_layer_named(path, path, options)
}

/// Reads the boundary file stored at `disk`, naming it `shown` in messages.
pub(crate) fn load_layer_named(disk: &Path, shown: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    let ext = disk.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let mut layer = match ext.as_deref() {
        Some("shp") => shp::read_shapefile_named(disk, shown, options),
        Some("geojson" | "json") => {
            let bytes = std::fs::read(disk).map_err(|e| BoundaryError::io(shown, e))?;
            geojson::read_geojson_bytes_assuming(shown, &bytes, options.assume_crs.as_ref())
        }
        Some("gpkg") => gpkg::read_geopackage_named(disk, shown, options),
        Some("zip") if disk == shown => zipped::read_zipped(disk, options),
        _ => Err(BoundaryError::UnknownFormat { path: shown.to_owned() }),
    }?;
    if layer.features.is_empty() {
        layer.warnings.push(format!("{} : aucune entité : la couche est vide", shown.display()));
    }
    Ok(layer)
}

/// The layers a file holds, for a user to choose one: the feature tables of a GeoPackage, the
/// boundary files of a zip (and the layers of a GeoPackage inside it, as `file.gpkg`); a single
/// name (the file's stem) for any other format.
pub fn list_layers(path: &Path) -> Result<Vec<String>, BoundaryError> {
    if gpkg::is_gpkg(path) {
        return Ok(gpkg::list_layers(path)?.into_iter().map(|t| t.name).collect());
    }
    if crate::unzip::is_zip(path) {
        return zipped::list_layers(path);
    }
    Ok(path.file_stem().map(|s| s.to_string_lossy().into_owned()).into_iter().collect())
}

/// Checks the points of one ring against the CRS's domain ([`Crs::check_point`]) and tells whether
/// the ring is closed (last point equal to the first). The error names the offending point's
/// position in the ring.
pub(crate) fn check_ring(crs: &Crs, points: &[(f64, f64)]) -> Result<bool, String> {
    for (i, &(x, y)) in points.iter().enumerate() {
        crs.check_point(x, y).map_err(|m| format!("point {} : {m}", i + 1))?;
    }
    Ok(points.first() == points.last())
}

/// "UTF-16" when the bytes start with a UTF-16 byte-order mark, for messages about text files
/// saved as "Unicode" by Windows tools.
pub(crate) fn utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

impl Layer {
    /// The index of a field, by exact name then case-insensitively.
    #[must_use]
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f == name)
            .or_else(|| self.fields.iter().position(|f| f.eq_ignore_ascii_case(name)))
    }

    /// The bounding box of all features, in the layer's CRS.
    #[must_use]
    pub fn extent(&self) -> Option<Rect<f64>> {
        self.features.iter().filter_map(|f| f.geometry.bounding_rect()).reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
    }

    /// Total number of vertices, for diagnostics and benchmarks.
    #[must_use]
    pub fn vertex_count(&self) -> usize {
        self.features
            .iter()
            .flat_map(|f| f.geometry.0.iter())
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum()
    }

    /// Reprojects every feature into `target`, in place.
    pub fn reproject(&mut self, target: &Crs) -> Result<(), BoundaryError> {
        let transformer = crs::Transformer::new(&self.crs, target)
            .map_err(|source| BoundaryError::Crs { path: self.path.clone(), source })?;
        if transformer.is_identity() {
            self.crs = target.clone();
            return Ok(());
        }
        for feature in &mut self.features {
            for polygon in &mut feature.geometry.0 {
                let mut result = Ok(());
                polygon.exterior_mut(|ring| result = transform_ring(&transformer, ring));
                result.map_err(|source| BoundaryError::Crs { path: self.path.clone(), source })?;
                let mut result = Ok(());
                polygon.interiors_mut(|rings| {
                    for ring in rings {
                        if result.is_ok() {
                            result = transform_ring(&transformer, ring);
                        }
                    }
                });
                result.map_err(|source| BoundaryError::Crs { path: self.path.clone(), source })?;
            }
        }
        self.crs = target.clone();
        Ok(())
    }
}

fn transform_ring(t: &crs::Transformer, ring: &mut geo::LineString<f64>) -> Result<(), CrsError> {
    let mut pts: Vec<(f64, f64)> = ring.0.iter().map(|c| (c.x, c.y)).collect();
    t.transform_slice(&mut pts)?;
    for (c, (x, y)) in ring.0.iter_mut().zip(pts) {
        c.x = x;
        c.y = y;
    }
    Ok(())
}

/// Builds polygons from rings classified as outer or inner: each inner ring goes to the smallest
/// outer ring that contains its first vertex. An inner ring inside no outer ring is kept as an
/// outer ring (a common fault of hand-made files) and reported.
pub(crate) fn assemble_polygons(
    outers: Vec<geo::LineString<f64>>,
    inners: Vec<geo::LineString<f64>>,
    orphan_holes: &mut usize,
) -> MultiPolygon<f64> {
    use geo::{Area, Contains};
    let mut shells: Vec<(geo::Polygon<f64>, f64, Vec<geo::LineString<f64>>)> = outers
        .into_iter()
        .map(|ring| {
            let polygon = geo::Polygon::new(ring, vec![]);
            let area = polygon.unsigned_area();
            (polygon, area, Vec::new())
        })
        .collect();
    for hole in inners {
        let Some(first) = hole.0.first().copied() else { continue };
        let target = shells
            .iter_mut()
            .filter(|(shell, _, _)| shell.contains(&first) || shell.exterior().contains(&first))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((_, _, holes)) = target {
            holes.push(hole);
        } else {
            *orphan_holes += 1;
            let polygon = geo::Polygon::new(hole, vec![]);
            let area = polygon.unsigned_area();
            shells.push((polygon, area, Vec::new()));
        }
    }
    MultiPolygon::new(
        shells
            .into_iter()
            .map(|(shell, _, holes)| {
                let (exterior, _) = shell.into_inner();
                geo::Polygon::new(exterior, holes)
            })
            .collect(),
    )
}
