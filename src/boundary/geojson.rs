//! GeoJSON boundary files: RFC 7946 (WGS84 longitude/latitude) and older files that declare their
//! CRS with a `crs` member. Polygon, MultiPolygon and GeometryCollections of them are read; other
//! geometry types are an error naming the feature. Every position is checked against the CRS's
//! domain (an error naming the feature, the polygon and the ring); a ring that is not closed, or a
//! feature without geometry, is read with a warning.

use std::collections::BTreeSet;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value as Json;

use super::{BoundaryError, Feature, Layer, crs::Crs};

/// Reads a GeoJSON file into a polygon layer.
pub fn read_geojson(path: &Path) -> Result<Layer, BoundaryError> {
    let bytes = std::fs::read(path).map_err(|e| BoundaryError::io(path, e))?;
    read_geojson_bytes(path, &bytes)
}

/// Reads GeoJSON already in memory; `path` names it in messages.
pub fn read_geojson_bytes(path: &Path, bytes: &[u8]) -> Result<Layer, BoundaryError> {
    read_geojson_bytes_assuming(path, bytes, None)
}

/// Reads GeoJSON already in memory, taking `assume_crs` for a file without `crs` member instead of
/// WGS 84 (RFC 7946's rule, which many French files in Lambert-93 break).
pub fn read_geojson_bytes_assuming(
    path: &Path,
    bytes: &[u8],
    assume_crs: Option<&Crs>,
) -> Result<Layer, BoundaryError> {
    if super::utf16_bom(bytes) {
        return Err(BoundaryError::malformed(
            path,
            "début du fichier",
            "fichier encodé en UTF-16 : le GeoJSON doit être en UTF-8 (RFC 7946)",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BoundaryError::malformed(
            path,
            "début du fichier",
            "fichier vide : un objet GeoJSON était attendu",
        ));
    }
    let root: Json = serde_json::from_slice(bytes).map_err(|e| {
        BoundaryError::malformed(
            path,
            format!("ligne {}, colonne {}", e.line(), e.column()),
            format!("JSON invalide : {e}"),
        )
    })?;
    parse_root(path, &root, assume_crs)
}

fn parse_root(path: &Path, root: &Json, assume_crs: Option<&Crs>) -> Result<Layer, BoundaryError> {
    let Some(kind) = root.get("type").and_then(Json::as_str) else {
        return Err(BoundaryError::malformed(
            path,
            "racine",
            "membre « type » absent : un objet GeoJSON était attendu",
        ));
    };
    // RFC 7946's WGS 84 taken for want of a `crs` member: a projected file read that way gets a hint.
    let defaulted = root.get("crs").is_none_or(Json::is_null) && assume_crs.is_none();
    let crs = match root.get("crs") {
        Some(member) if !member.is_null() => {
            Crs::from_geojson_crs(member).map_err(|source| BoundaryError::Crs { path: path.to_owned(), source })?
        }
        _ => assume_crs.cloned().unwrap_or_else(Crs::wgs84),
    };
    let single;
    let features: &[Json] = match kind {
        "FeatureCollection" => root
            .get("features")
            .and_then(Json::as_array)
            .ok_or_else(|| BoundaryError::malformed(path, "racine", "FeatureCollection sans tableau « features »"))?,
        "Feature" => std::slice::from_ref(root),
        _ => {
            single = serde_json::json!({ "type": "Feature", "properties": {}, "geometry": root });
            std::slice::from_ref(&single)
        }
    };

    let mut names = BTreeSet::new();
    for feature in features {
        if let Some(props) = feature.get("properties").and_then(Json::as_object) {
            names.extend(props.keys().cloned());
        }
    }
    let fields: Vec<String> = names.into_iter().collect();
    let mut out = Vec::with_capacity(features.len());
    let mut null_geometries = 0usize;
    let mut rings = RingReader { crs: &crs, polygon: 0, unclosed: 0, defaulted };
    for (index, feature) in features.iter().enumerate() {
        let place = || format!("entité {}", index + 1);
        if feature.get("type").and_then(Json::as_str) != Some("Feature") {
            return Err(BoundaryError::malformed(path, place(), "objet de type « Feature » attendu"));
        }
        let props = feature.get("properties").and_then(Json::as_object);
        let attributes = fields.iter().map(|name| props.and_then(|p| p.get(name)).and_then(property_text)).collect();
        let geometry = match feature.get("geometry") {
            None | Some(Json::Null) => {
                null_geometries += 1;
                MultiPolygon::new(vec![])
            }
            Some(g) => {
                rings.polygon = 0;
                rings.geometry(g, 0).map_err(|m| BoundaryError::malformed(path, place(), m))?
            }
        };
        out.push(Feature { attributes, geometry });
    }
    let mut warnings = Vec::new();
    if null_geometries > 0 {
        warnings.push(format!("{} : {null_geometries} entité(s) sans géométrie", path.display()));
    }
    if rings.unclosed > 0 {
        // As the Shapefile reader says it: geo closes rings itself, but RFC 7946 requires it.
        warnings.push(format!(
            "{} : {} anneau(x) non fermé(s) (dernière position différente de la première, contrairement à la RFC 7946), fermé(s) à la lecture",
            path.display(),
            rings.unclosed
        ));
    }
    Ok(Layer { path: path.to_owned(), crs, encoding: "UTF-8 (GeoJSON)".into(), fields, features: out, warnings })
}

fn property_text(value: &Json) -> Option<String> {
    match value {
        Json::Null => None,
        Json::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// Reads geometries of one layer, checking every position against the layer's CRS and counting the
/// rings that are not closed.
struct RingReader<'a> {
    crs: &'a Crs,
    /// Polygons read so far in the current feature, to name the one at fault.
    polygon: usize,
    unclosed: usize,
    /// The CRS is WGS 84 because the file declares none.
    defaulted: bool,
}

impl RingReader<'_> {
    fn geometry(&mut self, g: &Json, depth: usize) -> Result<MultiPolygon<f64>, String> {
        let kind = g.get("type").and_then(Json::as_str).ok_or("géométrie sans membre « type »")?;
        match kind {
            "Polygon" => Ok(MultiPolygon::new(vec![self.polygon(coordinates(g)?)?])),
            "MultiPolygon" => {
                let polys = coordinates(g)?.as_array().ok_or("« coordinates » doit être un tableau de polygones")?;
                Ok(MultiPolygon::new(polys.iter().map(|p| self.polygon(p)).collect::<Result<_, _>>()?))
            }
            "GeometryCollection" if depth < 4 => {
                let members =
                    g.get("geometries").and_then(Json::as_array).ok_or("GeometryCollection sans « geometries »")?;
                let mut all = Vec::new();
                for member in members {
                    all.extend(self.geometry(member, depth + 1)?.0);
                }
                Ok(MultiPolygon::new(all))
            }
            other => Err(format!("géométrie de type {other} : des polygones (Polygon, MultiPolygon) étaient attendus")),
        }
    }

    fn polygon(&mut self, value: &Json) -> Result<Polygon<f64>, String> {
        self.polygon += 1;
        let number = self.polygon;
        let rings = value.as_array().ok_or("un polygone doit être un tableau d'anneaux")?;
        if rings.is_empty() {
            return Err(format!("polygone {number} sans anneau"));
        }
        let mut read = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            read.push(self.ring(ring).map_err(|m| format!("polygone {number}, anneau {} : {m}", r + 1))?);
        }
        let mut read = read.into_iter();
        let exterior = read.next().ok_or_else(|| format!("polygone {number} sans anneau"))?;
        Ok(Polygon::new(exterior, read.collect()))
    }

    fn ring(&mut self, value: &Json) -> Result<LineString<f64>, String> {
        let positions = value.as_array().ok_or("un anneau doit être un tableau de positions")?;
        if positions.len() < 3 {
            return Err(format!("anneau de {} position(s) : 4 au moins étaient attendues", positions.len()));
        }
        let points = positions
            .iter()
            .map(|p| {
                let xy = p.as_array().filter(|a| a.len() >= 2).ok_or("position qui n'est pas un tableau [x, y]")?;
                let (Some(x), Some(y)) = (xy[0].as_f64(), xy[1].as_f64()) else {
                    return Err("coordonnée qui n'est pas un nombre".to_owned());
                };
                Ok((x, y))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let closed = super::check_ring(self.crs, &points).map_err(|m| {
            if self.defaulted && (m.contains("longitude") || m.contains("latitude")) {
                format!(
                    "{m} ; un GeoJSON sans membre « crs » est lu en WGS 84 (RFC 7946) : pour un fichier en Lambert-93, indiquez --assume-crs EPSG:2154"
                )
            } else {
                m
            }
        })?;
        if !closed {
            self.unclosed += 1;
        }
        Ok(LineString::new(points.into_iter().map(|(x, y)| Coord { x, y }).collect()))
    }
}

fn coordinates(g: &Json) -> Result<&Json, String> {
    g.get("coordinates").ok_or_else(|| "géométrie sans « coordinates »".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Layer, BoundaryError> {
        let root: Json = serde_json::from_str(text).unwrap();
        parse_root(Path::new("t.geojson"), &root, None)
    }

    #[test]
    fn numeric_and_text_properties_keep_their_text() {
        let layer = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"02691","pop":518},
            "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        )
        .unwrap();
        let code = layer.field_index("code").unwrap();
        assert_eq!(layer.features[0].attributes[code].as_deref(), Some("02691"));
        assert_eq!(layer.features[0].attributes[layer.field_index("pop").unwrap()].as_deref(), Some("518"));
        assert_eq!(layer.crs, Crs::wgs84());
    }

    #[test]
    fn crs_member_is_honoured() {
        let layer = parse(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}"#,
        )
        .unwrap();
        assert_eq!(layer.crs.epsg(), Some(2154));
    }

    #[test]
    fn positions_outside_the_crs_domain_are_errors_naming_the_feature_polygon_and_ring() {
        let err = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,1e308],[1,1],[0,0]]]]}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("entité 2 : polygone 2, anneau 2 : point 2 : latitude"), "{err}");
        // In a projected CRS the same numbers are far too large too.
        let err = parse(
            r#"{"type":"Feature","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1e12,0],[1,1],[0,0]]]}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("entité 1 : polygone 1, anneau 1 : point 2") && err.contains("100 000 km"), "{err}");
    }

    #[test]
    fn a_crs_can_be_assumed_for_a_file_without_crs_member() {
        let text = br#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[652469,6862035],[652569,6862035],[652569,6862135],[652469,6862035]]]}}"#;
        // Lambert-93 metres read as WGS 84 degrees: refused, the message says the CRS may be wrong.
        let error = read_geojson_bytes(Path::new("l93.geojson"), text).unwrap_err().to_string();
        assert!(error.contains("longitude 652469") && error.contains("--assume-crs EPSG:2154"), "{error}");
        let layer = read_geojson_bytes_assuming(Path::new("l93.geojson"), text, Some(&Crs::lambert93())).unwrap();
        assert_eq!(layer.crs.epsg(), Some(2154));
    }

    #[test]
    fn unclosed_rings_and_null_geometries_warn() {
        let layer = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}},
            {"type":"Feature","properties":{},"geometry":null}]}"#,
        )
        .unwrap();
        let warnings = layer.warnings.join("\n");
        assert!(warnings.contains("1 anneau(x) non fermé(s)"), "{warnings}");
        assert!(warnings.contains("1 entité(s) sans géométrie"), "{warnings}");
        // geo closes the ring itself.
        assert_eq!(layer.features[0].geometry.0[0].exterior().0.len(), 5);
    }

    #[test]
    fn wrong_nesting_and_types_are_errors_naming_the_feature() {
        for bad in [
            r#"{"type":"FeatureCollection"}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[1,2]]}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"a"],[1,1],[0,0]]]}}]}"#,
            r#"{"features":[]}"#,
        ] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("t.geojson"), "{err}");
        }
    }
}
