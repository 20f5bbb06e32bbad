//! Coordinate reference systems (CRS) and reprojection of boundary coordinates.
//!
//! This module owns the list of CRSs the application recognises, the three ways it learns which one a
//! boundary file uses (an EPSG code, the WKT1 text of a shapefile `.prj`, the legacy `GeoJSON` `crs` member),
//! and the [`Transformer`] that reprojects points between two of them through `proj4rs`. It works only on the
//! strings and numbers it is given: no egui, no file or network I/O, no PROJ database, no datum grids.
//!
//! Coordinates are always (x = easting or longitude, y = northing or latitude), in degrees for geographic CRSs
//! and in metres (or the CRS's linear unit) for projected ones, whatever axis order the EPSG registry declares:
//! shapefiles and `GeoJSON` store them that way, and a single convention removes a whole class of swapped-axis bugs.

use std::fmt;

use proj4rs::Proj;
use serde_json::Value;

/// Codes accepted by [`Crs::from_epsg`], for error messages and documentation.
const SUPPORTED_EPSG_SUMMARY: &str = "geographic 4326, 4171, 4258, 4275, 4470, 4624, 4627, 5489, 9777, 9782; \
     projected 2154, 9793, 9794, 3942-3950, 27572, 3035, 3857, 32601-32660, 32701-32760, 2972, 2975, 4471, \
     4559, 5490";

/// Ellipsoid and datum shift of CRSs whose datum is GRS80-based and aligned on WGS 84.
///
/// RGF93, ETRS89, RGR92, RGFG95, RGM04, RGAF09 and RRAF 1991 are realisations of the international terrestrial
/// reference system on the GRS80 ellipsoid. EPSG publishes null transformations between each of them and
/// WGS 84 (their stated accuracy is about a metre, mostly the drift of the tectonic plate since the datum's
/// epoch), and PROJ applies exactly those null transformations, so treating them as WGS 84 reproduces PROJ's
/// results to the millimetre and is far below what a thematic map can show.
const GRS80_AS_WGS84: &str = "+ellps=GRS80 +towgs84=0,0,0";
/// Ellipsoid and (null) datum shift of WGS 84 itself.
const WGS84_DATUM: &str = "+ellps=WGS84 +towgs84=0,0,0";
/// NTF on the Clarke 1880 (IGN) ellipsoid with EPSG's three-parameter shift "NTF to WGS 84 (1)" (EPSG:1193),
/// which PROJ also falls back to when IGN's grid is not installed. EPSG rates it at 2 m; the grid would do
/// better, but this application has no grids.
const NTF_DATUM: &str = "+ellps=clrk80ign +towgs84=-168,-60,320";
/// Prime meridian of Paris as EPSG gives it (2.5969213 grads), in degrees.
const PARIS_MERIDIAN_DEG: f64 = 2.337_229_17;

/// Deepest nesting accepted in WKT: real WKT1 stops at four or five levels, and the bound keeps hostile input
/// from exhausting the stack, since the parser is recursive.
const MAX_WKT_DEPTH: usize = 16;
/// Longest WKT accepted. A `.prj` is a few hundred bytes; the bound only stops the parser from being fed a whole
/// unrelated file.
const MAX_WKT_LEN: usize = 1 << 20;

/// A failure to recognise a CRS or to reproject a point.
#[derive(Debug, thiserror::Error)]
pub enum CrsError {
    /// The CRS text (WKT, `GeoJSON` member, identifier) did not describe a CRS this module can express.
    #[error(
        "the coordinate reference system {what} was not recognised; \
         give its EPSG code explicitly (for example EPSG:2154 for Lambert-93)"
    )]
    UnknownCrs {
        /// The text, or the part of it, that was not recognised, and why.
        what: String,
    },
    /// The WKT text is not well-formed (unbalanced brackets, unterminated string, trailing text...).
    #[error(
        "the WKT text is malformed at byte {offset}: {reason}; \
         give the EPSG code explicitly instead (for example EPSG:2154 for Lambert-93)"
    )]
    MalformedWkt {
        /// Byte offset in the text where the problem was found.
        offset: usize,
        /// What was expected there.
        reason: String,
    },
    /// An EPSG code outside the list this module knows.
    #[error(
        "EPSG:{code} is not one of the coordinate reference systems this application can reproject \
         (supported: {list})",
        list = SUPPORTED_EPSG_SUMMARY
    )]
    UnsupportedEpsg {
        /// The code that was asked for.
        code: u32,
    },
    /// A CRS that was understood but that this application deliberately does not handle.
    #[error("{what} is not supported by this application")]
    Unsupported {
        /// What was understood.
        what: String,
    },
    /// `proj4rs` refused a definition built from a WKT (inconsistent parameters, for instance).
    #[error("the projection definition `{proj4}` was refused: {reason}")]
    InvalidDefinition {
        /// The PROJ.4 definition that was built.
        proj4: String,
        /// Why `proj4rs` refused it.
        reason: String,
    },
    /// A point could not be reprojected (outside the projection's domain, not a number...).
    #[error("cannot reproject the point ({x}, {y}): {reason}")]
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
        let root = parse_wkt(wkt)?;
        crs_from_wkt_node(&root)
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
                        what: "a GeoJSON crs of type \"link\" (a CRS defined in another file)".to_owned(),
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
        let unknown = || CrsError::UnknownCrs { what: format!("\"{}\"", excerpt(identifier)) };
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
            return Err(fail("a coordinate is not a finite number"));
        }
        let mut point = if self.from_geographic {
            // proj4rs would silently fold an impossible latitude into range on a datum shift.
            if y.abs() > 90.0 {
                return Err(fail("the latitude is outside -90..90 degrees"));
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
            Err(fail("the point is outside the domain of the projection"))
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

fn lambert93_proj4() -> String {
    format!(
        "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 {GRS80_AS_WGS84} \
         +units=m +no_defs"
    )
}

fn utm_proj4(zone: u32, south: bool, datum: &str) -> String {
    let south = if south { " +south" } else { "" };
    format!("+proj=utm +zone={zone}{south} {datum} +units=m +no_defs")
}

/// The application's table of CRSs by EPSG code; definitions follow EPSG's parameters (as PROJ 9 prints them),
/// with an explicit datum shift so that `proj4rs` reprojects between datums.
fn known_epsg(code: u32) -> Option<Crs> {
    let geographic = |name: &str, datum: &str| Crs::known(name, code, format!("+proj=longlat {datum} +no_defs"), true);
    let projected = |name: String, proj4: String| Crs::known(name, code, proj4, false);
    let crs = match code {
        4326 => Crs::wgs84(),
        4171 => geographic("RGF93 v1", GRS80_AS_WGS84),
        4258 => geographic("ETRS89", GRS80_AS_WGS84),
        4275 => geographic("NTF", NTF_DATUM),
        4470 => geographic("RGM04", GRS80_AS_WGS84),
        4624 => geographic("RGFG95", GRS80_AS_WGS84),
        4627 => geographic("RGR92", GRS80_AS_WGS84),
        5489 => geographic("RGAF09", GRS80_AS_WGS84),
        9777 => geographic("RGF93 v2", GRS80_AS_WGS84),
        9782 => geographic("RGF93 v2b", GRS80_AS_WGS84),
        2154 => Crs::lambert93(),
        9793 => projected("RGF93 v2 / Lambert-93".to_owned(), lambert93_proj4()),
        9794 => projected("RGF93 v2b / Lambert-93".to_owned(), lambert93_proj4()),
        3942..=3950 => {
            // The nine "coniques conformes" CC42..CC50: zone NN is centred on latitude NN with parallels at
            // NN -/+ 0.75 and a false northing of (NN - 41) * 1e6 + 200 000.
            let zone = code - 3900;
            let lat = f64::from(zone);
            let y0 = (zone - 41) * 1_000_000 + 200_000;
            projected(
                format!("RGF93 v1 / CC{zone}"),
                format!(
                    "+proj=lcc +lat_0={lat} +lon_0=3 +lat_1={} +lat_2={} +x_0=1700000 +y_0={y0} \
                     {GRS80_AS_WGS84} +units=m +no_defs",
                    lat - 0.75,
                    lat + 0.75
                ),
            )
        }
        27572 => projected(
            "NTF (Paris) / Lambert zone II".to_owned(),
            format!(
                "+proj=lcc +lat_1=46.8 +lat_0=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000 \
                 {NTF_DATUM} +pm={PARIS_MERIDIAN_DEG} +units=m +no_defs"
            ),
        ),
        3035 => projected(
            "ETRS89-extended / LAEA Europe".to_owned(),
            format!("+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 {GRS80_AS_WGS84} +units=m +no_defs"),
        ),
        // EPSG:3857 applies spherical Mercator formulas to WGS 84 latitudes: PROJ's `webmerc`, not `merc` on a
        // sphere, which would need the `@null` grid trick.
        3857 => projected(
            "WGS 84 / Pseudo-Mercator".to_owned(),
            format!("+proj=webmerc +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 {WGS84_DATUM} +units=m +no_defs"),
        ),
        32601..=32660 => {
            let zone = code - 32600;
            projected(format!("WGS 84 / UTM zone {zone}N"), utm_proj4(zone, false, WGS84_DATUM))
        }
        32701..=32760 => {
            let zone = code - 32700;
            projected(format!("WGS 84 / UTM zone {zone}S"), utm_proj4(zone, true, WGS84_DATUM))
        }
        2972 => projected("RGFG95 / UTM zone 22N".to_owned(), utm_proj4(22, false, GRS80_AS_WGS84)),
        2975 => projected("RGR92 / UTM zone 40S".to_owned(), utm_proj4(40, true, GRS80_AS_WGS84)),
        4471 => projected("RGM04 / UTM zone 38S".to_owned(), utm_proj4(38, true, GRS80_AS_WGS84)),
        4559 => projected("RRAF 1991 / UTM zone 20N".to_owned(), utm_proj4(20, false, GRS80_AS_WGS84)),
        5490 => projected("RGAF09 / UTM zone 20N".to_owned(), utm_proj4(20, false, GRS80_AS_WGS84)),
        _ => return None,
    };
    Some(crs)
}

/// Lowercase ASCII letters and digits only, without the word "zone", so that ESRI and EPSG spellings of the
/// same name (`RGF_1993_Lambert_93`, `WGS 84 / UTM zone 31N`, `WGS_1984_UTM_Zone_31N`) compare equal.
fn normalize_name(name: &str) -> String {
    let compact: String = name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    compact.replace("zone", "")
}

/// The EPSG code of a CRS name known in its ESRI or EPSG spelling.
fn epsg_from_name(name: &str) -> Option<u32> {
    let n = normalize_name(name);
    let fixed = match n.as_str() {
        "rgf1993lambert93" | "rgf93lambert93" | "rgf93v1lambert93" => Some(2154),
        "rgf93v2lambert93" => Some(9793),
        "rgf93v2blambert93" => Some(9794),
        "gcsrgf1993" | "gcsrgf93" | "rgf1993" | "rgf93" | "rgf93v1" => Some(4171),
        "gcswgs1984" | "wgs1984" | "wgs84" => Some(4326),
        "gcsetrs1989" | "etrs1989" | "etrs89" => Some(4258),
        "gcsntf" | "ntf" => Some(4275),
        "gcsrgm2004" | "gcsrgm04" | "rgm04" => Some(4470),
        "gcsrgfg1995" | "gcsrgfg95" | "rgfg95" => Some(4624),
        "gcsrgr1992" | "gcsrgr92" | "rgr92" => Some(4627),
        "gcsrgaf09" | "gcsrgaf2009" | "rgaf09" => Some(5489),
        "wgs1984webmercatorauxiliarysphere"
        | "wgs84webmercatorauxiliarysphere"
        | "wgs1984webmercator"
        | "wgs84pseudomercator" => Some(3857),
        "etrs1989laea" | "etrs89laeaeurope" | "etrs89extendedlaeaeurope" => Some(3035),
        "ntfparislambertii" | "ntfparislambertiietendu" => Some(27572),
        "rgr1992utm40s" | "rgr92utm40s" => Some(2975),
        "rgfg1995utm22n" | "rgfg95utm22n" => Some(2972),
        "rgm2004utm38s" | "rgm04utm38s" => Some(4471),
        "rgaf2009utm20n" | "rgaf09utm20n" => Some(5490),
        "rraf1991utm20n" => Some(4559),
        _ => None,
    };
    fixed.or_else(|| utm_from_name(&n)).or_else(|| cc_from_name(&n))
}

/// `wgs1984utm31n`, `wgs84utm31s`... (names already normalised).
fn utm_from_name(n: &str) -> Option<u32> {
    let rest = n.strip_prefix("wgs1984utm").or_else(|| n.strip_prefix("wgs84utm"))?;
    let (digits, hemisphere) = rest.split_at(rest.len().checked_sub(1)?);
    let zone: u32 = digits.parse().ok()?;
    if !(1..=60).contains(&zone) {
        return None;
    }
    match hemisphere {
        "n" => Some(32600 + zone),
        "s" => Some(32700 + zone),
        _ => None,
    }
}

/// `rgf1993cc49`, `rgf93cc49`, `rgf93v1cc49` (names already normalised).
fn cc_from_name(n: &str) -> Option<u32> {
    let rest = ["rgf1993cc", "rgf93v1cc", "rgf93cc"].iter().find_map(|prefix| n.strip_prefix(prefix))?;
    let zone: u32 = rest.parse().ok()?;
    (42..=50).contains(&zone).then_some(3900 + zone)
}

fn unknown_geojson(member: &Value) -> CrsError {
    CrsError::UnknownCrs { what: format!("in the GeoJSON crs member {}", excerpt(&member.to_string())) }
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

// ---------------------------------------------------------------------------------------------------------
// WKT parsing
// ---------------------------------------------------------------------------------------------------------

/// One value inside a WKT `KEYWORD[...]`.
#[derive(Debug, Clone, PartialEq)]
enum WktValue {
    Node(WktNode),
    Text(String),
    Number(f64),
    /// A bare word such as the `EAST` of `AXIS["X",EAST]`.
    Word(String),
}

/// A WKT `KEYWORD[value, ...]`.
#[derive(Debug, Clone, PartialEq)]
struct WktNode {
    keyword: String,
    values: Vec<WktValue>,
}

impl WktNode {
    fn is(&self, keyword: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(keyword)
    }

    fn children<'a>(&'a self, keyword: &'a str) -> impl Iterator<Item = &'a WktNode> + 'a {
        self.values.iter().filter_map(move |v| match v {
            WktValue::Node(n) if n.is(keyword) => Some(n),
            _ => None,
        })
    }

    fn child(&self, keyword: &str) -> Option<&WktNode> {
        self.values.iter().find_map(|v| match v {
            WktValue::Node(n) if n.is(keyword) => Some(n),
            _ => None,
        })
    }

    /// The quoted name that opens most WKT nodes.
    fn name(&self) -> Option<&str> {
        match self.values.first() {
            Some(WktValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    fn number(&self, index: usize) -> Option<f64> {
        match self.values.get(index) {
            Some(WktValue::Number(v)) => Some(*v),
            _ => None,
        }
    }

    /// A value that producers write either quoted or not, such as an authority code.
    fn text_or_number(&self, index: usize) -> Option<String> {
        match self.values.get(index) {
            Some(WktValue::Text(s)) => Some(s.trim().to_owned()),
            Some(WktValue::Number(v)) => Some(v.to_string()),
            _ => None,
        }
    }

    /// The EPSG code of an `AUTHORITY["EPSG","2154"]` (WKT1) or `ID["EPSG",2154]` (WKT2) child.
    fn epsg_code(&self) -> Option<u32> {
        self.children("AUTHORITY")
            .chain(self.children("ID"))
            .filter(|a| a.name().is_some_and(|n| n.trim().eq_ignore_ascii_case("EPSG")))
            .find_map(|a| a.text_or_number(1)?.parse().ok())
    }
}

fn parse_wkt(text: &str) -> Result<WktNode, CrsError> {
    if text.len() > MAX_WKT_LEN {
        return Err(CrsError::MalformedWkt {
            offset: MAX_WKT_LEN,
            reason: "the text is far too long to be a CRS definition".to_owned(),
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = WktParser { text, pos: 0 };
    let node = parser.node(0)?;
    parser.skip_blank();
    if parser.pos < text.len() {
        return Err(parser.error("unexpected text after the closing bracket"));
    }
    Ok(node)
}

/// A recursive-descent parser over the WKT grammar: `KEYWORD[...]` or `KEYWORD(...)` holding comma-separated
/// quoted strings (`""` escapes a quote), numbers, bare words and nested nodes.
struct WktParser<'a> {
    text: &'a str,
    /// Byte offset; it only ever stops on ASCII bytes, so it is always a char boundary.
    pos: usize,
}

impl WktParser<'_> {
    fn error(&self, reason: impl Into<String>) -> CrsError {
        CrsError::MalformedWkt { offset: self.pos, reason: reason.into() }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Whitespace, and the NUL padding some tools leave at the end of a `.prj`.
    fn skip_blank(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace() || b == 0) {
            self.pos += 1;
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        Some(self.text[start..self.pos].to_owned())
    }

    fn node(&mut self, depth: usize) -> Result<WktNode, CrsError> {
        if depth > MAX_WKT_DEPTH {
            return Err(self.error("brackets are nested too deeply"));
        }
        self.skip_blank();
        let keyword = self.identifier().ok_or_else(|| self.error("expected a keyword such as PROJCS or GEOGCS"))?;
        self.skip_blank();
        let close = match self.peek() {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(self.error(format!("expected `[` after {keyword}"))),
        };
        self.pos += 1;
        let mut values = Vec::new();
        self.skip_blank();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(WktNode { keyword, values });
        }
        loop {
            values.push(self.value(depth)?);
            self.skip_blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(WktNode { keyword, values });
                }
                Some(_) => {
                    return Err(self.error(format!("expected `,` or `{}` inside {keyword}", char::from(close))));
                }
                None => return Err(self.error(format!("{keyword} is not closed"))),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<WktValue, CrsError> {
        self.skip_blank();
        match self.peek() {
            Some(b'"') => self.string().map(WktValue::Text),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.') => self.number().map(WktValue::Number),
            Some(b) if b.is_ascii_alphabetic() => {
                let start = self.pos;
                let word = self.identifier().unwrap_or_default();
                self.skip_blank();
                if matches!(self.peek(), Some(b'[' | b'(')) {
                    self.pos = start;
                    self.node(depth + 1).map(WktValue::Node)
                } else {
                    Ok(WktValue::Word(word))
                }
            }
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("the text ends in the middle of a definition")),
        }
    }

    fn string(&mut self) -> Result<String, CrsError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(end) = rest.find('"') else {
                self.pos = open;
                return Err(self.error("a quoted string is not closed"));
            };
            out.push_str(&rest[..end]);
            self.pos += end + 1;
            if self.peek() == Some(b'"') {
                out.push('"');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    fn number(&mut self) -> Result<f64, CrsError> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.pos += 1;
        }
        let literal = &self.text[start..self.pos];
        literal
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| CrsError::MalformedWkt { offset: start, reason: format!("`{literal}` is not a number") })
    }
}

// ---------------------------------------------------------------------------------------------------------
// WKT interpretation
// ---------------------------------------------------------------------------------------------------------

fn wkt_unknown(name: &str, detail: impl fmt::Display) -> CrsError {
    CrsError::UnknownCrs { what: format!("\"{}\" ({detail})", excerpt(name)) }
}

fn crs_from_wkt_node(node: &WktNode) -> Result<Crs, CrsError> {
    let keyword = node.keyword.to_ascii_uppercase();
    let wkt2 = match keyword.as_str() {
        "PROJCS" | "GEOGCS" => false,
        "PROJCRS" | "PROJECTEDCRS" | "GEOGCRS" | "GEOGRAPHICCRS" | "GEODCRS" | "GEODETICCRS" => true,
        "COMPD_CS" | "COMPOUNDCRS" => {
            // The horizontal part is all a 2D map needs; the vertical part is dropped.
            let horizontal = node.values.iter().find_map(|v| match v {
                WktValue::Node(n) if ["PROJCS", "GEOGCS", "PROJCRS", "GEOGCRS", "GEODCRS"].iter().any(|k| n.is(k)) => {
                    Some(n)
                }
                _ => None,
            });
            return match horizontal {
                Some(n) => crs_from_wkt_node(n),
                None => Err(wkt_unknown(node.name().unwrap_or(""), "compound CRS without a horizontal part")),
            };
        }
        _ => {
            return Err(CrsError::UnknownCrs {
                what: format!(
                    "\"{}\" (a WKT {} definition, not a geographic or projected CRS)",
                    excerpt(node.name().unwrap_or("")),
                    node.keyword
                ),
            });
        }
    };
    // A code or name that designates a CRS of the other kind (a PROJCS called "WGS 84") is not trusted.
    let geographic = matches!(keyword.as_str(), "GEOGCS" | "GEOGCRS" | "GEOGRAPHICCRS" | "GEODCRS" | "GEODETICCRS");
    let same_kind = |crs: &Crs| crs.geographic == geographic;
    let declared = node.epsg_code();
    if let Some(crs) = declared.and_then(known_epsg).filter(same_kind) {
        return Ok(crs);
    }
    let name = node.name().unwrap_or("");
    if let Some(crs) = epsg_from_name(name).and_then(known_epsg).filter(same_kind) {
        return Ok(crs);
    }
    if wkt2 {
        return Err(wkt_unknown(
            name,
            "WKT2 definitions are only understood through an EPSG identifier or a known name",
        ));
    }
    crs_from_wkt1_parameters(node, declared)
}

fn crs_from_wkt1_parameters(node: &WktNode, epsg: Option<u32>) -> Result<Crs, CrsError> {
    let name = node.name().unwrap_or("unnamed CRS").to_owned();
    if node.is("GEOGCS") {
        let geog = GeogDef::from_wkt(node, &name)?;
        if (geog.degrees_per_unit - 1.0).abs() > 1e-12 {
            return Err(CrsError::Unsupported {
                what: format!("the geographic CRS \"{}\", whose coordinates are not in degrees,", excerpt(&name)),
            });
        }
        let proj4 = format!("+proj=longlat {} +no_defs", geog.proj4_datum());
        return Crs::checked(name, epsg, proj4, true);
    }
    let geog_node = node.child("GEOGCS").ok_or_else(|| wkt_unknown(&name, "no GEOGCS in the PROJCS"))?;
    let geog = GeogDef::from_wkt(geog_node, &name)?;
    let projection = node
        .child("PROJECTION")
        .and_then(WktNode::name)
        .ok_or_else(|| wkt_unknown(&name, "no PROJECTION in the PROJCS"))?;
    let to_meter = node
        .child("UNIT")
        .and_then(|u| u.number(1))
        .filter(|f| *f > 0.0)
        .ok_or_else(|| wkt_unknown(&name, "no linear UNIT in the PROJCS"))?;
    let mut params = ProjParams::from_wkt(node, geog.degrees_per_unit, to_meter, &name)?;
    let projection_def = params.proj4(projection, &name)?;
    if let Some(leftover) = params.leftover() {
        return Err(wkt_unknown(&name, format!("parameter {leftover} has no meaning for projection {projection}")));
    }
    let units = if (to_meter - 1.0).abs() < 1e-12 { "+units=m".to_owned() } else { format!("+to_meter={to_meter}") };
    let proj4 = format!("{projection_def} {} {units} +no_defs", geog.proj4_datum());
    Crs::checked(name, epsg, proj4, false)
}

/// What a WKT `GEOGCS` contributes to a definition.
struct GeogDef {
    /// `+ellps=...` or `+a=... +rf=...`, then `+towgs84=...`.
    datum: String,
    prime_meridian_deg: f64,
    /// The GEOGCS angular unit in degrees, exactly 1 for degrees.
    degrees_per_unit: f64,
}

impl GeogDef {
    fn from_wkt(geog: &WktNode, crs_name: &str) -> Result<GeogDef, CrsError> {
        let datum = geog.child("DATUM").ok_or_else(|| wkt_unknown(crs_name, "no DATUM"))?;
        let datum_name = datum.name().unwrap_or("");
        let spheroid = datum
            .child("SPHEROID")
            .or_else(|| datum.child("ELLIPSOID"))
            .ok_or_else(|| wkt_unknown(crs_name, "no SPHEROID in the DATUM"))?;
        let (Some(a), Some(rf)) = (spheroid.number(1), spheroid.number(2)) else {
            return Err(wkt_unknown(crs_name, "SPHEROID without axis and flattening"));
        };
        // Inverse flattening 0 is WKT's way of writing a sphere.
        if a <= 0.0 || (rf != 0.0 && rf <= 1.0) {
            return Err(wkt_unknown(crs_name, format!("impossible SPHEROID {a}, {rf}")));
        }
        let ellipsoid = Ellipsoid::classify(a, rf);
        let shift = match datum.child("TOWGS84") {
            Some(t) => towgs84_clause(t, crs_name)?,
            None if matches!(ellipsoid, Ellipsoid::Grs80 | Ellipsoid::Wgs84) => "+towgs84=0,0,0".to_owned(),
            None if is_ntf_datum(datum_name) && ellipsoid == Ellipsoid::Clarke1880Ign => {
                "+towgs84=-168,-60,320".to_owned()
            }
            None => {
                return Err(wkt_unknown(
                    crs_name,
                    format!(
                        "datum \"{}\" on ellipsoid \"{}\" has no TOWGS84 shift and none is known for it",
                        excerpt(datum_name),
                        excerpt(spheroid.name().unwrap_or(""))
                    ),
                ));
            }
        };
        let degrees_per_unit = geog
            .child("UNIT")
            .and_then(|u| u.number(1))
            .filter(|f| *f > 0.0)
            .map(radians_to_degree_factor)
            .ok_or_else(|| wkt_unknown(crs_name, "no angular UNIT in the GEOGCS"))?;
        // GDAL and ArcGIS both write the prime meridian in degrees whatever the GEOGCS unit (NTF's Paris
        // meridian is 2.33722917 next to UNIT["grad"]), so it is read in degrees too.
        let prime_meridian_deg = geog.child("PRIMEM").and_then(|p| p.number(1)).unwrap_or(0.0);
        Ok(GeogDef { datum: format!("{} {shift}", ellipsoid.proj4(a, rf)), prime_meridian_deg, degrees_per_unit })
    }

    fn proj4_datum(&self) -> String {
        if self.prime_meridian_deg == 0.0 {
            self.datum.clone()
        } else {
            format!("{} +pm={}", self.datum, self.prime_meridian_deg)
        }
    }
}

/// `radians per unit` as WKT gives it, turned into degrees per unit. Degrees and grads are snapped to their exact
/// factors because `.prj` files truncate them (`0.0174532925199433`), which would otherwise turn a latitude of
/// 46.5 into 46.49999999999999 in the definition.
fn radians_to_degree_factor(radians_per_unit: f64) -> f64 {
    let degrees = radians_per_unit.to_degrees();
    [1.0, 0.9].into_iter().find(|exact| ((degrees - exact) / exact).abs() < 1e-10).unwrap_or(degrees)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ellipsoid {
    Grs80,
    Wgs84,
    Clarke1880Ign,
    Other,
}

impl Ellipsoid {
    fn classify(a: f64, rf: f64) -> Ellipsoid {
        let near = |x: f64, y: f64, tolerance: f64| (x - y).abs() < tolerance;
        if near(a, 6_378_137.0, 1e-3) && near(rf, 298.257_222_101, 1e-6) {
            Ellipsoid::Grs80
        } else if near(a, 6_378_137.0, 1e-3) && near(rf, 298.257_223_563, 1e-6) {
            Ellipsoid::Wgs84
        } else if near(a, 6_378_249.2, 1e-3) && near(rf, 293.466_021_293_6, 1e-6) {
            Ellipsoid::Clarke1880Ign
        } else {
            Ellipsoid::Other
        }
    }

    fn proj4(self, a: f64, rf: f64) -> String {
        match self {
            Ellipsoid::Grs80 => "+ellps=GRS80".to_owned(),
            Ellipsoid::Wgs84 => "+ellps=WGS84".to_owned(),
            Ellipsoid::Clarke1880Ign => "+ellps=clrk80ign".to_owned(),
            Ellipsoid::Other if rf == 0.0 => format!("+R={a}"),
            Ellipsoid::Other => format!("+a={a} +rf={rf}"),
        }
    }
}

/// NTF as ESRI (`D_NTF`, `Nouvelle_Triangulation_Francaise_(Paris)`) and GDAL name it.
fn is_ntf_datum(datum_name: &str) -> bool {
    let n = normalize_name(datum_name);
    matches!(n.as_str(), "dntf" | "ntf" | "ntfparis" | "dntfparis") || n.starts_with("nouvelletriangulationfrancaise")
}

fn towgs84_clause(towgs84: &WktNode, crs_name: &str) -> Result<String, CrsError> {
    let values: Vec<f64> = towgs84
        .values
        .iter()
        .map(|v| match v {
            WktValue::Number(x) => Some(*x),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(|| wkt_unknown(crs_name, "TOWGS84 holds something other than numbers"))?;
    if values.len() != 3 && values.len() != 7 {
        return Err(wkt_unknown(crs_name, "TOWGS84 does not have 3 or 7 values"));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(wkt_unknown(crs_name, "TOWGS84 holds a value that is not finite"));
    }
    // A null shift is written the one way `Transformer` recognises as an identity between datums.
    if values.iter().all(|v| *v == 0.0) {
        return Ok("+towgs84=0,0,0".to_owned());
    }
    let list: Vec<String> = values.iter().map(f64::to_string).collect();
    Ok(format!("+towgs84={}", list.join(",")))
}

/// The projection parameters of a WKT1 `PROJCS`, angles in degrees and distances in metres.
#[derive(Debug, Default)]
struct ProjParams {
    false_easting: Option<f64>,
    false_northing: Option<f64>,
    central_meridian: Option<f64>,
    latitude_of_origin: Option<f64>,
    standard_parallel_1: Option<f64>,
    standard_parallel_2: Option<f64>,
    scale_factor: Option<f64>,
    auxiliary_sphere_type: Option<f64>,
}

impl ProjParams {
    fn from_wkt(node: &WktNode, degrees_per_unit: f64, to_meter: f64, crs_name: &str) -> Result<ProjParams, CrsError> {
        let mut params = ProjParams::default();
        for parameter in node.children("PARAMETER") {
            let raw_name = parameter.name().unwrap_or("");
            let value = parameter
                .number(1)
                .ok_or_else(|| wkt_unknown(crs_name, format!("parameter {raw_name} has no numeric value")))?;
            // ESRI and OGC spell the same parameters differently (`Central_Meridian`, `central_meridian`,
            // `longitude_of_center`); WKT1 gives angles in the GEOGCS unit and distances in the PROJCS unit.
            let (slot, value) = match normalize_name(raw_name).as_str() {
                "falseeasting" => (&mut params.false_easting, value * to_meter),
                "falsenorthing" => (&mut params.false_northing, value * to_meter),
                "centralmeridian" | "longitudeofcenter" | "longitudeoforigin" | "longitudeofnaturalorigin" => {
                    (&mut params.central_meridian, value * degrees_per_unit)
                }
                "latitudeoforigin" | "latitudeofcenter" | "latitudeofnaturalorigin" => {
                    (&mut params.latitude_of_origin, value * degrees_per_unit)
                }
                "standardparallel1" | "latitudeof1ststandardparallel" => {
                    (&mut params.standard_parallel_1, value * degrees_per_unit)
                }
                "standardparallel2" | "latitudeof2ndstandardparallel" => {
                    (&mut params.standard_parallel_2, value * degrees_per_unit)
                }
                "scalefactor" | "scalefactoratnaturalorigin" => (&mut params.scale_factor, value),
                "auxiliaryspheretype" => (&mut params.auxiliary_sphere_type, value),
                _ => {
                    return Err(wkt_unknown(crs_name, format!("parameter {raw_name} is not supported")));
                }
            };
            if !value.is_finite() {
                return Err(wkt_unknown(crs_name, format!("parameter {raw_name} is out of range")));
            }
            if slot.replace(value).is_some() {
                return Err(wkt_unknown(crs_name, format!("parameter {raw_name} is given twice")));
            }
        }
        let latitudes = [params.latitude_of_origin, params.standard_parallel_1, params.standard_parallel_2];
        if latitudes.into_iter().flatten().any(|lat| lat.abs() > 90.0) {
            return Err(wkt_unknown(crs_name, "a latitude parameter is beyond 90 degrees"));
        }
        Ok(params)
    }

    /// The `+proj=...` part for this projection, taking the parameters it uses out of `self`.
    fn proj4(&mut self, projection: &str, crs_name: &str) -> Result<String, CrsError> {
        let x0 = self.false_easting.take().unwrap_or(0.0);
        let y0 = self.false_northing.take().unwrap_or(0.0);
        let lon0 = self.central_meridian.take().unwrap_or(0.0);
        let origin = format!("+lon_0={lon0} +x_0={x0} +y_0={y0}");
        let missing = |what: &str| wkt_unknown(crs_name, format!("projection {projection} without {what}"));
        let definition = match normalize_name(projection).as_str() {
            "lambertconformalconic" | "lambertconformalconic2sp" | "lambertconformalconic1sp" => {
                self.lambert_conformal_conic(projection, crs_name)?
            }
            "transversemercator" | "gausskruger" => {
                let lat0 = self.latitude_of_origin.take().unwrap_or(0.0);
                let k = self.scale_factor.take().unwrap_or(1.0);
                format!("+proj=tmerc +lat_0={lat0} +k_0={k}")
            }
            "mercator" | "mercator1sp" | "mercator2sp" => {
                let lat_ts = self.standard_parallel_1.take();
                let k = self.scale_factor.take();
                match (lat_ts, k) {
                    (Some(lat_ts), None | Some(1.0)) => format!("+proj=merc +lat_ts={lat_ts}"),
                    (None | Some(0.0), Some(k)) => format!("+proj=merc +k_0={k}"),
                    (None, None) => "+proj=merc".to_owned(),
                    (Some(_), Some(_)) => {
                        return Err(wkt_unknown(
                            crs_name,
                            format!("projection {projection} with both a standard parallel and a scale factor"),
                        ));
                    }
                }
            }
            "mercatorauxiliarysphere" | "popularvisualisationpseudomercator" => {
                // Only the WGS 84 semi-major axis sphere (type 0) is Web Mercator; the other ESRI types use
                // authalic or semi-minor spheres, which `proj4rs` cannot express.
                if self.auxiliary_sphere_type.take().unwrap_or(0.0) != 0.0 {
                    return Err(wkt_unknown(
                        crs_name,
                        format!("projection {projection} with an auxiliary sphere other than type 0"),
                    ));
                }
                self.take_if_neutral_standard_parallel();
                "+proj=webmerc".to_owned()
            }
            "lambertazimuthalequalarea" => {
                let lat0 = self.latitude_of_origin.take().ok_or_else(|| missing("latitude of origin"))?;
                format!("+proj=laea +lat_0={lat0}")
            }
            _ => {
                return Err(wkt_unknown(crs_name, format!("projection {projection} is not supported")));
            }
        };
        Ok(format!("{definition} {origin}"))
    }

    fn lambert_conformal_conic(&mut self, projection: &str, crs_name: &str) -> Result<String, CrsError> {
        let sp1 = self.standard_parallel_1.take();
        let sp2 = self.standard_parallel_2.take();
        let lat0 = self.latitude_of_origin.take();
        let k = self.scale_factor.take();
        let k_clause = k.map(|k| format!(" +k_0={k}")).unwrap_or_default();
        match (sp1, sp2, lat0) {
            (Some(sp1), Some(sp2), lat0) => {
                Ok(format!("+proj=lcc +lat_0={} +lat_1={sp1} +lat_2={sp2}{k_clause}", lat0.unwrap_or(0.0)))
            }
            // One standard parallel (ESRI writes it as Standard_Parallel_1 next to an equal
            // Latitude_Of_Origin; OGC's 1SP only has the latter): the tangent cone of EPSG's "LCC (1SP)".
            (sp1, None, lat0) => {
                let lat = match (sp1, lat0) {
                    (Some(a), Some(b)) if (a - b).abs() < 1e-12 => a,
                    (Some(a), None) | (None, Some(a)) => a,
                    (Some(_), Some(_)) => {
                        return Err(wkt_unknown(
                            crs_name,
                            format!(
                                "projection {projection} with one standard parallel different from the \
                                 latitude of origin"
                            ),
                        ));
                    }
                    (None, None) => {
                        return Err(wkt_unknown(
                            crs_name,
                            format!("projection {projection} without standard parallels"),
                        ));
                    }
                };
                Ok(format!("+proj=lcc +lat_1={lat} +lat_0={lat}{k_clause}"))
            }
            (None, Some(_), _) => Err(wkt_unknown(
                crs_name,
                format!("projection {projection} with a second standard parallel but no first"),
            )),
        }
    }

    /// `ArcGIS` writes `Standard_Parallel_1 = 0` for Web Mercator, where it means nothing.
    fn take_if_neutral_standard_parallel(&mut self) {
        if self.standard_parallel_1 == Some(0.0) {
            self.standard_parallel_1 = None;
        }
    }

    /// The first parameter a projection did not use, unless its value is the neutral one: a parameter that
    /// would change the result but is ignored must be an error, not a silent approximation.
    fn leftover(&self) -> Option<&'static str> {
        let non_zero = |v: Option<f64>| v.is_some_and(|v| v != 0.0);
        if non_zero(self.latitude_of_origin) {
            Some("latitude of origin")
        } else if non_zero(self.standard_parallel_1) {
            Some("standard parallel 1")
        } else if non_zero(self.standard_parallel_2) {
            Some("standard parallel 2")
        } else if self.scale_factor.is_some_and(|k| (k - 1.0).abs() > 1e-12) {
            Some("scale factor")
        } else if non_zero(self.auxiliary_sphere_type) {
            Some("auxiliary sphere type")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    // Reason: the reference coordinates are pasted verbatim from pyproj's output so that they can be compared
    // with it digit for digit; underscores would break that.
    #![allow(clippy::unreadable_literal)]

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
    const RGR92_UTM40S: [Reference; 2] = [
        (55.5, -21.1, 344197.5754097963, 7666050.711042009),
        (55.4481, -20.8789, 338568.31502572447, 7690475.436586598),
    ];
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
        let with_shift =
            dhdn.replace("299.1528128]]", "299.1528128],TOWGS84[598.1,73.7,418.2,0.202,0.045,-2.455,6.7]]");
        assert!(Crs::from_wkt(&with_shift).is_ok());
        // A parameter the projection would ignore.
        let stray = IGN_LAMBERT93_PRJ
            .replace("RGF_1993_Lambert_93", "X")
            .replace(r#"PARAMETER["Central_Meridian",3.0]"#, r#"PARAMETER["Azimuth",3.0]"#);
        assert!(Crs::from_wkt(&stray).unwrap_err().to_string().contains("Azimuth"));
        let utm_with_parallel = renamed(ESRI_UTM31N_PRJ, "WGS_1984_UTM_Zone_31N", "X").replace(
            r#"PARAMETER["Scale_Factor""#,
            r#"PARAMETER["Standard_Parallel_1",45.0],PARAMETER["Scale_Factor""#,
        );
        assert!(matches!(Crs::from_wkt(&utm_with_parallel), Err(CrsError::UnknownCrs { .. })));
        // Geographic coordinates in grads.
        let grads = renamed(ESRI_WGS84_PRJ, "GCS_WGS_1984", "X")
            .replace(r#"UNIT["Degree",0.0174532925199433]"#, r#"UNIT["Grad",0.0157079632679489]"#);
        assert!(matches!(Crs::from_wkt(&grads), Err(CrsError::Unsupported { .. })));
        // Not a CRS at all, and WKT2 without an identifier.
        assert!(matches!(
            Crs::from_wkt(r#"VERT_CS["NGF-IGN69",VERT_DATUM["x",2005]]"#),
            Err(CrsError::UnknownCrs { .. })
        ));
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
                let wkt =
                    IGN_LAMBERT93_PRJ.replacen("RGF_1993_Lambert_93", "Unnamed", 1).replacen(number, &replacement, 1);
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
            assert!(error.to_string().contains("EPSG code explicitly"), "{error}");
        }
    }
}
