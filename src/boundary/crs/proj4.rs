//! From a parsed WKT tree to a [`Crs`]: recognised by its EPSG identifier or its name through the table of
//! [`super::epsg`], otherwise rebuilt from its parameters as a PROJ.4 definition (datum and ellipsoid, prime
//! meridian, projection and its parameters, linear unit) that `proj4rs` then checks. A parameter the
//! projection would ignore, or a datum with no known shift to WGS 84, is an error rather than a guess.

use std::fmt;

use super::epsg::{epsg_from_name, known_epsg, normalize_name};
use super::wkt::{WktNode, WktValue};
use super::{Crs, CrsError, excerpt};

fn wkt_unknown(name: &str, detail: impl fmt::Display) -> CrsError {
    CrsError::UnknownCrs { what: format!("« {} » ({detail})", excerpt(name)) }
}

pub(super) fn crs_from_wkt_node(node: &WktNode) -> Result<Crs, CrsError> {
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
                None => Err(wkt_unknown(node.name().unwrap_or(""), "système composé sans partie horizontale")),
            };
        }
        _ => {
            return Err(CrsError::UnknownCrs {
                what: format!(
                    "« {} » (définition WKT {}, qui n'est pas un système géographique ou projeté)",
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
            "une définition WKT2 n'est comprise que par un identifiant EPSG ou un nom connu",
        ));
    }
    crs_from_wkt1_parameters(node, declared)
}

fn crs_from_wkt1_parameters(node: &WktNode, epsg: Option<u32>) -> Result<Crs, CrsError> {
    let name = node.name().unwrap_or("système sans nom").to_owned();
    if node.is("GEOGCS") {
        let geog = GeogDef::from_wkt(node, &name)?;
        if (geog.degrees_per_unit - 1.0).abs() > 1e-12 {
            return Err(CrsError::Unsupported {
                what: format!(
                    "le système géographique « {} », dont les coordonnées ne sont pas en degrés",
                    excerpt(&name)
                ),
            });
        }
        let proj4 = format!("+proj=longlat {} +no_defs", geog.proj4_datum());
        return Crs::checked(name, epsg, proj4, true);
    }
    let geog_node = node.child("GEOGCS").ok_or_else(|| wkt_unknown(&name, "pas de GEOGCS dans le PROJCS"))?;
    let geog = GeogDef::from_wkt(geog_node, &name)?;
    let projection = node
        .child("PROJECTION")
        .and_then(WktNode::name)
        .ok_or_else(|| wkt_unknown(&name, "pas de PROJECTION dans le PROJCS"))?;
    let to_meter = node
        .child("UNIT")
        .and_then(|u| u.number(1))
        .filter(|f| *f > 0.0)
        .ok_or_else(|| wkt_unknown(&name, "pas d'UNIT linéaire dans le PROJCS"))?;
    let mut params = ProjParams::from_wkt(node, geog.degrees_per_unit, to_meter, &name)?;
    let projection_def = params.proj4(projection, &name)?;
    if let Some(leftover) = params.leftover() {
        return Err(wkt_unknown(
            &name,
            format!("le paramètre {leftover} n'a pas de sens pour la projection {projection}"),
        ));
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
        let datum = geog.child("DATUM").ok_or_else(|| wkt_unknown(crs_name, "pas de DATUM"))?;
        let datum_name = datum.name().unwrap_or("");
        let spheroid = datum
            .child("SPHEROID")
            .or_else(|| datum.child("ELLIPSOID"))
            .ok_or_else(|| wkt_unknown(crs_name, "pas de SPHEROID dans le DATUM"))?;
        let (Some(a), Some(rf)) = (spheroid.number(1), spheroid.number(2)) else {
            return Err(wkt_unknown(crs_name, "SPHEROID sans demi-grand axe ni aplatissement"));
        };
        // Inverse flattening 0 is WKT's way of writing a sphere.
        if a <= 0.0 || (rf != 0.0 && rf <= 1.0) {
            return Err(wkt_unknown(crs_name, format!("SPHEROID impossible {a}, {rf}")));
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
                        "datum « {} » sur l'ellipsoïde « {} » sans décalage TOWGS84, et aucun n'est connu pour lui",
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
            .ok_or_else(|| wkt_unknown(crs_name, "pas d'UNIT angulaire dans le GEOGCS"))?;
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
        .ok_or_else(|| wkt_unknown(crs_name, "TOWGS84 contient autre chose que des nombres"))?;
    if values.len() != 3 && values.len() != 7 {
        return Err(wkt_unknown(crs_name, "TOWGS84 n'a pas 3 ou 7 valeurs"));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(wkt_unknown(crs_name, "TOWGS84 contient une valeur non finie"));
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
                .ok_or_else(|| wkt_unknown(crs_name, format!("le paramètre {raw_name} n'a pas de valeur numérique")))?;
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
                    return Err(wkt_unknown(crs_name, format!("paramètre {raw_name} non pris en charge")));
                }
            };
            if !value.is_finite() {
                return Err(wkt_unknown(crs_name, format!("paramètre {raw_name} hors limites")));
            }
            if slot.replace(value).is_some() {
                return Err(wkt_unknown(crs_name, format!("paramètre {raw_name} donné deux fois")));
            }
        }
        let latitudes = [params.latitude_of_origin, params.standard_parallel_1, params.standard_parallel_2];
        if latitudes.into_iter().flatten().any(|lat| lat.abs() > 90.0) {
            return Err(wkt_unknown(crs_name, "un paramètre de latitude dépasse 90 degrés"));
        }
        Ok(params)
    }

    /// The `+proj=...` part for this projection, taking the parameters it uses out of `self`.
    fn proj4(&mut self, projection: &str, crs_name: &str) -> Result<String, CrsError> {
        let x0 = self.false_easting.take().unwrap_or(0.0);
        let y0 = self.false_northing.take().unwrap_or(0.0);
        let lon0 = self.central_meridian.take().unwrap_or(0.0);
        let origin = format!("+lon_0={lon0} +x_0={x0} +y_0={y0}");
        let missing = |what: &str| wkt_unknown(crs_name, format!("projection {projection} sans {what}"));
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
                            format!(
                                "projection {projection} avec à la fois un parallèle standard et un facteur d'échelle"
                            ),
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
                        format!("projection {projection} avec une sphère auxiliaire autre que le type 0"),
                    ));
                }
                self.take_if_neutral_standard_parallel();
                "+proj=webmerc".to_owned()
            }
            "lambertazimuthalequalarea" => {
                let lat0 = self.latitude_of_origin.take().ok_or_else(|| missing("latitude d'origine"))?;
                format!("+proj=laea +lat_0={lat0}")
            }
            _ => {
                return Err(wkt_unknown(crs_name, format!("projection {projection} non prise en charge")));
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
                                "projection {projection} avec un parallèle standard différent de la \
                                 latitude d'origine"
                            ),
                        ));
                    }
                    (None, None) => {
                        return Err(wkt_unknown(crs_name, format!("projection {projection} sans parallèle standard")));
                    }
                };
                Ok(format!("+proj=lcc +lat_1={lat} +lat_0={lat}{k_clause}"))
            }
            (None, Some(_), _) => Err(wkt_unknown(
                crs_name,
                format!("projection {projection} avec un second parallèle standard mais pas de premier"),
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
            Some("latitude d'origine")
        } else if non_zero(self.standard_parallel_1) {
            Some("parallèle standard 1")
        } else if non_zero(self.standard_parallel_2) {
            Some("parallèle standard 2")
        } else if self.scale_factor.is_some_and(|k| (k - 1.0).abs() > 1e-12) {
            Some("facteur d'échelle")
        } else if non_zero(self.auxiliary_sphere_type) {
            Some("type de sphère auxiliaire")
        } else {
            None
        }
    }
}
