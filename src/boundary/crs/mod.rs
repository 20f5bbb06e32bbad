//! Coordinate reference systems (CRS) and reprojection of boundary coordinates.
//!
//! This module owns the [`Crs`] value, the ways a boundary file names its CRS (an EPSG code, the WKT text of
//! a shapefile `.prj` or of a GeoPackage, the legacy `GeoJSON` `crs` member, an identifier such as
//! `urn:ogc:def:crs:EPSG::2154`), the domain of plausible coordinates of a CRS ([`Crs::check_point`]) and the
//! [`Transformer`] that reprojects points between two CRSs through `proj4rs`. Split by job: [`epsg`] is the
//! table of CRSs known by code and by name, [`wkt`] parses WKT text into a tree, [`proj4`] turns a WKT tree
//! into a PROJ.4 definition. It works only on the strings and numbers it is given: no egui, no file or network
//! I/O, no PROJ database, no datum grids. Every message is French, for the user who opened the file.
//!
//! Coordinates are always (x = easting or longitude, y = northing or latitude), in degrees for geographic CRSs
//! and in metres (or the CRS's linear unit) for projected ones, whatever axis order the EPSG registry declares:
//! shapefiles and `GeoJSON` store them that way, and a single convention removes a whole class of swapped-axis bugs.

mod epsg;
mod proj4;
#[cfg(test)]
mod tests;
mod wkt;

use std::fmt;

use proj4rs::Proj;
use serde_json::Value;

use epsg::{GRS80_AS_WGS84, SUPPORTED_EPSG_SUMMARY, WGS84_DATUM, known_epsg, lambert93_proj4};

/// The largest coordinate accepted in a projected CRS, in its unit: 1e8 (100 000 km in metres; the Earth's
/// circumference is about 40 000 km, and Web Mercator, the widest common projection, stops near 20 000 km).
pub const MAX_PROJECTED_COORDINATE: f64 = 1e8;

/// A coordinate as a message shows it: as written when of a sensible size, in scientific notation
/// (`1e300`) when it would take dozens of digits.
struct Readable(f64);

impl fmt::Display for Readable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.abs() >= 1e15 { write!(f, "{:e}", self.0) } else { write!(f, "{}", self.0) }
    }
}

/// A failure to recognise a CRS or to reproject a point.
#[derive(Debug, thiserror::Error)]
pub enum CrsError {
    /// The CRS text (WKT, `GeoJSON` member, identifier) did not describe a CRS this module can express.
    #[error(
        "système de coordonnées {what} non reconnu ; \
         indiquez son code EPSG explicitement (par exemple EPSG:2154 pour le Lambert-93)"
    )]
    UnknownCrs {
        /// The text, or the part of it, that was not recognised, and why.
        what: String,
    },
    /// The WKT text is not well-formed (unbalanced brackets, unterminated string, trailing text...).
    #[error(
        "texte WKT mal formé à l'octet {offset} : {reason} ; \
         indiquez plutôt le code EPSG (par exemple EPSG:2154 pour le Lambert-93)"
    )]
    MalformedWkt {
        /// Byte offset in the text where the problem was found.
        offset: usize,
        /// What was expected there.
        reason: String,
    },
    /// An EPSG code outside the list this module knows.
    #[error(
        "EPSG:{code} ne fait pas partie des systèmes de coordonnées qu'Indicarto sait reprojeter \
         (pris en charge : {list})",
        list = SUPPORTED_EPSG_SUMMARY
    )]
    UnsupportedEpsg {
        /// The code that was asked for.
        code: u32,
    },
    /// A CRS that was understood but that this application deliberately does not handle.
    #[error("{what} : non pris en charge par Indicarto")]
    Unsupported {
        /// What was understood.
        what: String,
    },
    /// `proj4rs` refused a definition built from a WKT (inconsistent parameters, for instance).
    #[error("définition de projection « {proj4} » refusée : {reason}")]
    InvalidDefinition {
        /// The PROJ.4 definition that was built.
        proj4: String,
        /// Why `proj4rs` refused it.
        reason: String,
    },
    /// A point could not be reprojected (outside the projection's domain, not a number...).
    #[error("reprojection impossible du point ({x}, {y}) : {reason}")]
    Transform {
        /// The point's x (easting or longitude) as given.
        x: f64,
        /// The point's y (northing or latitude) as given.
        y: f64,
        /// Why it failed.
        reason: String,
    },
}

/// A coordinate reference system the app knows how to reproject.
///
/// Built from an EPSG code, a WKT1 text or a `GeoJSON` `crs` member; two values compare equal when they have
/// the same name, code and definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crs {
    name: String,
    epsg: Option<u32>,
    proj4: String,
    geographic: bool,
    /// Greenwich-based with a null shift to WGS 84: any two such geographic CRSs have the same coordinates.
    wgs84_greenwich: bool,
}

impl Crs {
    /// The CRS with this EPSG code, from the application's own table ([`Crs::supported_epsg_codes`] lists it).
    ///
    /// Includes WGS 84 (4326), RGF93 v1 (4171) and its Lambert-93 (2154) and CC42..CC50 (3942..3950) projections,
    /// Web Mercator (3857), every WGS 84 UTM zone north (32601..32660) and south (32701..32760), ETRS89 (4258)
    /// and LAEA Europe (3035), the overseas departments' CRSs (RGR92 / UTM 40S 2975, RGFG95 / UTM 22N 2972,
    /// RGM04 / UTM 38S 4471, RGAF09 / UTM 20N 5490, RRAF 1991 / UTM 20N 4559) and NTF (Paris) / Lambert II étendu
    /// (27572, with EPSG's three-parameter shift to WGS 84 since no grid is available).
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        known_epsg(code).ok_or(CrsError::UnsupportedEpsg { code })
    }

    /// WGS 84 longitude/latitude in degrees (EPSG:4326, used with longitude first like `GeoJSON`'s CRS84).
    #[must_use]
    pub fn wgs84() -> Crs {
        Crs::known("WGS 84", 4326, format!("+proj=longlat {WGS84_DATUM} +no_defs"), true)
    }

    /// RGF93 v1 / Lambert-93 (EPSG:2154), the projection of IGN's metropolitan boundaries.
    #[must_use]
    pub fn lambert93() -> Crs {
        Crs::known("RGF93 v1 / Lambert-93", 2154, lambert93_proj4(), false)
    }

    /// Recognises the CRS described by a WKT text, as found in a shapefile `.prj`.
    ///
    /// Accepts ESRI and OGC WKT1 (`PROJCS`, `GEOGCS`, and the horizontal part of a `COMPD_CS`) and, when they
    /// carry an EPSG identifier or a known name, WKT2 definitions. In order, the CRS is recognised by the EPSG
    /// `AUTHORITY` of the top-level definition, then by its name (ESRI and EPSG spellings such as
    /// `RGF_1993_Lambert_93`, `WGS_1984_UTM_Zone_31N`, `RGF93 v1 / CC49`), and otherwise rebuilt from its
    /// parameters for the Lambert conformal conic, transverse Mercator, Mercator, Web Mercator and Lambert
    /// azimuthal equal-area projections. `AXIS` clauses are ignored: coordinates are always easting first.
    ///
    /// A datum with no `TOWGS84` clause is accepted when its ellipsoid is GRS80 or WGS 84 (taken as WGS 84, see
    /// the note on GRS80 datums in this module) or when it is NTF; any other datum, projection or parameter
    /// is an error rather than a guess.
    pub fn from_wkt(wkt: &str) -> Result<Crs, CrsError> {
        let root = wkt::parse_wkt(wkt)?;
        proj4::crs_from_wkt_node(&root)
    }

    /// Recognises the CRS of the legacy `GeoJSON` `crs` member (`GeoJSON` 2008; RFC 7946 dropped it and fixed
    /// WGS 84 longitude/latitude).
    ///
    /// Accepts `{"type":"name","properties":{"name":...}}` whose name is understood by
    /// [`Crs::from_identifier`], `{"type":"EPSG","properties":{"code":2154}}`, and a bare identifier string.
    pub fn from_geojson_crs(member: &Value) -> Result<Crs, CrsError> {
        match member {
            Value::String(s) => Crs::from_identifier(s),
            Value::Object(map) => {
                let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
                let properties = map.get("properties");
                if kind.eq_ignore_ascii_case("name") {
                    match properties.and_then(|p| p.get("name")).and_then(Value::as_str) {
                        Some(name) => Crs::from_identifier(name),
                        None => Err(unknown_geojson(member)),
                    }
                } else if kind.eq_ignore_ascii_case("epsg") {
                    let code = properties.and_then(|p| p.get("code"));
                    match code {
                        Some(Value::Number(n)) => n
                            .as_u64()
                            .and_then(|c| u32::try_from(c).ok())
                            .map_or_else(|| Err(unknown_geojson(member)), Crs::from_epsg),
                        Some(Value::String(s)) => {
                            s.trim().parse::<u32>().map_or_else(|_| Err(unknown_geojson(member)), Crs::from_epsg)
                        }
                        _ => Err(unknown_geojson(member)),
                    }
                } else if kind.eq_ignore_ascii_case("link") {
                    Err(CrsError::Unsupported {
                        what: "membre crs GeoJSON de type « link » (système défini dans un autre fichier)".to_owned(),
                    })
                } else {
                    Err(unknown_geojson(member))
                }
            }
            _ => Err(unknown_geojson(member)),
        }
    }

    /// Recognises a CRS identifier: `EPSG:2154`, `urn:ogc:def:crs:EPSG::2154` (with or without a version),
    /// `http://www.opengis.net/def/crs/EPSG/0/2154`, and the longitude-first WGS 84 names `CRS84`,
    /// `OGC:CRS84` and `urn:ogc:def:crs:OGC:1.3:CRS84`.
    pub fn from_identifier(identifier: &str) -> Result<Crs, CrsError> {
        let unknown = || CrsError::UnknownCrs { what: format!("« {} »", excerpt(identifier)) };
        let lower = identifier.trim().to_ascii_lowercase();
        let (authority, code) = if let Some(rest) =
            lower.strip_prefix("urn:ogc:def:crs:").or_else(|| lower.strip_prefix("urn:x-ogc:def:crs:"))
        {
            // urn:ogc:def:crs:AUTHORITY:VERSION:CODE, the version often empty.
            let mut parts = rest.split(':');
            let authority = parts.next().unwrap_or("");
            let code = parts.next_back().unwrap_or("");
            (authority, code)
        } else if let Some(rest) = lower
            .strip_prefix("http://www.opengis.net/def/crs/")
            .or_else(|| lower.strip_prefix("https://www.opengis.net/def/crs/"))
        {
            let mut parts = rest.trim_end_matches('/').split('/');
            let authority = parts.next().unwrap_or("");
            let code = parts.next_back().unwrap_or("");
            (authority, code)
        } else if let Some((authority, code)) = lower.split_once(':') {
            (authority, code)
        } else {
            ("", lower.as_str())
        };
        match (authority.trim(), code.trim()) {
            ("epsg", code) => code.parse::<u32>().map_or_else(|_| Err(unknown()), Crs::from_epsg),
            ("ogc" | "", "crs84") | ("crs", "84") => Ok(Crs::wgs84()),
            _ => Err(unknown()),
        }
    }

    /// Every EPSG code [`Crs::from_epsg`] accepts, in increasing order.
    #[must_use]
    pub fn supported_epsg_codes() -> Vec<u32> {
        let mut codes = vec![
            2154, 2972, 2975, 3035, 3857, 4171, 4258, 4275, 4326, 4470, 4471, 4559, 4624, 4627, 5489, 5490, 9777, 9782,
            9793, 9794, 27572,
        ];
        codes.extend(3942..=3950);
        codes.extend(32601..=32660);
        codes.extend(32701..=32760);
        codes.sort_unstable();
        codes
    }

    /// The CRS's name: EPSG's for recognised CRSs, otherwise the name given in the WKT.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The EPSG code, when the CRS was recognised as one or its WKT declared one.
    #[must_use]
    pub fn epsg(&self) -> Option<u32> {
        self.epsg
    }

    /// True for longitude/latitude CRSs, whose coordinates are in degrees.
    #[must_use]
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// Whether `(x, y)` is a coordinate this CRS can hold: both finite; for a geographic CRS a longitude
    /// within -180..180 and a latitude within -90..90 degrees (to a millionth of a degree, the rounding
    /// of files snapped to 1e-6); for a projected one within [`MAX_PROJECTED_COORDINATE`] of the origin,
    /// more than twice the Earth's circumference in metres, so that only a corrupt or mislabelled value is
    /// refused. The error says which coordinate is wrong and what was expected, in French.
    ///
    /// ```
    /// use indicarto::boundary::Crs;
    /// assert!(Crs::wgs84().check_point(2.35, 48.85).is_ok());
    /// assert!(Crs::wgs84().check_point(2.35, 1e308).unwrap_err().contains("latitude"));
    /// assert!(Crs::lambert93().check_point(652_469.0, 6_862_035.0).is_ok());
    /// assert!(Crs::lambert93().check_point(f64::NAN, 0.0).unwrap_err().contains("non finie"));
    /// ```
    pub fn check_point(&self, x: f64, y: f64) -> Result<(), String> {
        const DEGREE_TOLERANCE: f64 = 1e-6;
        if !x.is_finite() || !y.is_finite() {
            return Err(format!("coordonnée non finie ({x}, {y})"));
        }
        let (x, y) = (Readable(x), Readable(y));
        if self.geographic {
            if x.0.abs() > 180.0 + DEGREE_TOLERANCE {
                return Err(format!(
                    "longitude {x} hors de -180..180 degrés (système géographique {}) : coordonnée corrompue, ou système de coordonnées mal déclaré",
                    self.name
                ));
            }
            if y.0.abs() > 90.0 + DEGREE_TOLERANCE {
                return Err(format!(
                    "latitude {y} hors de -90..90 degrés (système géographique {}) : coordonnée corrompue, ou système de coordonnées mal déclaré",
                    self.name
                ));
            }
        } else if x.0.abs() > MAX_PROJECTED_COORDINATE || y.0.abs() > MAX_PROJECTED_COORDINATE {
            return Err(format!(
                "point ({x}, {y}) à plus de 100 000 km de l'origine de {} : hors de toute emprise plausible",
                self.name
            ));
        }
        Ok(())
    }

    /// The PROJ.4 definition used to reproject, for diagnostics.
    #[must_use]
    pub fn proj4(&self) -> &str {
        &self.proj4
    }

    /// A CRS from the application's own table, whose definitions are checked by the tests.
    /// A CRS from a PROJ.4 definition this module wrote (a figure's georeference keeps it as text).
    pub fn from_proj4(proj4: &str) -> Result<Crs, CrsError> {
        let geographic = proj4.split_whitespace().any(|p| p == "+proj=longlat" || p == "+proj=latlong");
        Crs::checked(proj4.to_owned(), None, proj4.to_owned(), geographic)
    }

    fn known(name: impl Into<String>, epsg: u32, proj4: String, geographic: bool) -> Crs {
        let wgs84_greenwich = is_wgs84_greenwich(&proj4);
        Crs { name: name.into(), epsg: Some(epsg), proj4, geographic, wgs84_greenwich }
    }

    /// A CRS built from a WKT's parameters: its definition is handed to `proj4rs` once, so that an inconsistent
    /// one is reported when the file is opened rather than at the first point.
    fn checked(name: String, epsg: Option<u32>, proj4: String, geographic: bool) -> Result<Crs, CrsError> {
        build_proj(&proj4)?;
        let wgs84_greenwich = is_wgs84_greenwich(&proj4);
        Ok(Crs { name, epsg, proj4, geographic, wgs84_greenwich })
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.epsg {
            Some(code) => write!(f, "{} (EPSG:{code})", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Reprojects coordinates from one CRS to another; built once, applied to many points.
#[derive(Debug, Clone)]
pub struct Transformer {
    from: Proj,
    to: Proj,
    from_geographic: bool,
    to_geographic: bool,
    identity: bool,
}

impl Transformer {
    /// Prepares the reprojection from `from` to `to`.
    pub fn new(from: &Crs, to: &Crs) -> Result<Transformer, CrsError> {
        // Geographic CRSs on WGS 84-aligned datums differ only by name: no arithmetic, no rounding.
        let identity =
            from.proj4 == to.proj4 || (from.geographic && to.geographic && from.wgs84_greenwich && to.wgs84_greenwich);
        Ok(Transformer {
            from: build_proj(&from.proj4)?,
            to: build_proj(&to.proj4)?,
            from_geographic: from.geographic,
            to_geographic: to.geographic,
            identity,
        })
    }

    /// True when the two CRSs have the same coordinates, so that reprojecting leaves points untouched.
    #[must_use]
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    /// Reprojects one point. x/y in the CRS's natural units: degrees lon/lat for geographic CRSs (NOT radians;
    /// converted inside), metres (or the CRS's linear unit) for projected ones.
    ///
    /// An identity transformer returns the point as given without checking it.
    pub fn transform(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        if self.identity {
            return Ok((x, y));
        }
        self.reproject(x, y)
    }

    /// Reprojects many points in place, with the same units as [`Transformer::transform`].
    ///
    /// Stops at the first point that cannot be reprojected: the points before it are then reprojected, it and
    /// the points after it are left as they were, and the error carries its original coordinates.
    pub fn transform_slice(&self, pts: &mut [(f64, f64)]) -> Result<(), CrsError> {
        if self.identity {
            return Ok(());
        }
        for point in pts.iter_mut() {
            *point = self.reproject(point.0, point.1)?;
        }
        Ok(())
    }

    fn reproject(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let fail = |reason: &str| CrsError::Transform { x, y, reason: reason.to_owned() };
        if !x.is_finite() || !y.is_finite() {
            return Err(fail("coordonnée qui n'est pas un nombre fini"));
        }
        let mut point = if self.from_geographic {
            // proj4rs would silently fold an impossible latitude into range on a datum shift.
            if y.abs() > 90.0 {
                return Err(fail("latitude hors de -90..90 degrés"));
            }
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(&self.from, &self.to, &mut point).map_err(|e| fail(&e.to_string()))?;
        let (out_x, out_y) =
            if self.to_geographic { (point.0.to_degrees(), point.1.to_degrees()) } else { (point.0, point.1) };
        if out_x.is_finite() && out_y.is_finite() {
            Ok((out_x, out_y))
        } else {
            Err(fail("point hors du domaine de la projection"))
        }
    }
}

fn build_proj(proj4: &str) -> Result<Proj, CrsError> {
    Proj::from_proj_string(proj4)
        .map_err(|e| CrsError::InvalidDefinition { proj4: proj4.to_owned(), reason: e.to_string() })
}

/// Whether a definition of this module's own making is Greenwich-based with a null shift to WGS 84.
fn is_wgs84_greenwich(proj4: &str) -> bool {
    // Only the GRS80 and WGS 84 ellipsoids: a null shift on another ellipsoid still moves latitudes.
    (proj4.contains(GRS80_AS_WGS84) || proj4.contains(WGS84_DATUM)) && !proj4.contains("+pm=")
}

fn unknown_geojson(member: &Value) -> CrsError {
    CrsError::UnknownCrs { what: format!("du membre crs GeoJSON {}", excerpt(&member.to_string())) }
}

/// The start of a text quoted in an error message, so that a whole file is never pasted into one.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let text = text.trim();
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}
