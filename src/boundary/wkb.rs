//! GeoPackage geometry blobs: the `GP` header (magic, version, flags, SRS id, envelope) followed by
//! a polygon geometry in ISO well-known binary (WKB).
//!
//! Every count the blob declares (rings, points, members) is checked against the bytes left before
//! anything is allocated, nesting is bounded, and the geometry must end exactly where the blob does:
//! a lying or truncated blob gets a message saying what was expected, never a huge allocation or a
//! panic. Only polygons are read (Polygon, MultiPolygon, GeometryCollection of them, with or without
//! Z and M, which are dropped). Depends on nothing but the standard library; the reader of
//! [`super::gpkg`] names the file and the feature in messages.

/// Polygons as read: polygons → rings (exterior first) → points (x, y).
pub type Polygons = Vec<Vec<Vec<(f64, f64)>>>;

/// A decoded geometry blob.
#[derive(Debug, Clone, PartialEq)]
pub struct GpkgGeometry {
    /// The SRS id the blob declares.
    pub srs_id: i32,
    /// The polygons; empty for an empty geometry.
    pub polygons: Polygons,
    /// The header says the geometry is empty.
    pub empty: bool,
    /// The header's envelope does not contain the geometry (a stale or corrupt envelope; the
    /// geometry itself is used).
    pub envelope_mismatch: bool,
}

/// Deepest nesting of geometry collections accepted, as for GeoJSON.
const MAX_DEPTH: usize = 4;

/// Bytes of the envelope for each envelope indicator (0: none, 1: XY, 2: XYZ, 3: XYM, 4: XYZM).
const ENVELOPE_BYTES: [usize; 5] = [0, 32, 48, 48, 64];

/// Decodes a GeoPackage geometry blob; the error says what is wrong, in French, without the place.
pub fn read_gpkg_blob(blob: &[u8]) -> Result<GpkgGeometry, String> {
    if blob.len() < 8 {
        return Err(format!("géométrie de {} octets, plus courte que l'en-tête GeoPackage (8 octets)", blob.len()));
    }
    if &blob[..2] != b"GP" {
        return Err("géométrie sans l'en-tête « GP » d'un GeoPackage (blob WKB brut ou autre format)".into());
    }
    if blob[2] != 0 {
        return Err(format!("version {} de l'en-tête de géométrie inconnue (0, GeoPackage 1.x, attendue)", blob[2]));
    }
    let flags = blob[3];
    if flags & 0xC0 != 0 {
        return Err(format!("indicateurs d'en-tête réservés non nuls (0x{flags:02X})"));
    }
    if flags & 0x20 != 0 {
        return Err("géométrie d'une extension propriétaire (ExtendedGeoPackageBinary) non prise en charge".into());
    }
    let empty = flags & 0x10 != 0;
    let envelope_kind = usize::from((flags >> 1) & 0x07);
    let little = flags & 0x01 == 1;
    let Some(&envelope_len) = ENVELOPE_BYTES.get(envelope_kind) else {
        return Err(format!("indicateur d'enveloppe {envelope_kind} invalide (0 à 4 attendu)"));
    };
    let mut header = Cursor { bytes: blob, at: 4, little };
    let srs_id = header.i32()?;
    if blob.len() < 8 + envelope_len {
        return Err(format!(
            "géométrie de {} octets, plus courte que son en-tête avec enveloppe ({} octets)",
            blob.len(),
            8 + envelope_len
        ));
    }
    let envelope = if envelope_len == 0 {
        None
    } else {
        let [min_x, max_x, min_y, max_y] = [header.f64()?, header.f64()?, header.f64()?, header.f64()?];
        Some([min_x, max_x, min_y, max_y])
    };
    let mut wkb = Cursor { bytes: blob, at: 8 + envelope_len, little: true };
    let mut polygons = Vec::new();
    wkb.geometry(&mut polygons, 0)?;
    if wkb.at != blob.len() {
        return Err(format!(
            "{} octet(s) en trop après la géométrie WKB (octet {} sur {})",
            blob.len() - wkb.at,
            wkb.at,
            blob.len()
        ));
    }
    let has_rings = polygons.iter().any(|rings| !rings.is_empty());
    if empty && has_rings {
        return Err("géométrie annoncée vide par l'en-tête mais qui contient des anneaux".into());
    }
    let envelope_mismatch = match envelope {
        Some(envelope) if has_rings => check_envelope(envelope, &polygons)?,
        _ => false,
    };
    Ok(GpkgGeometry { srs_id, polygons, empty: empty || !has_rings, envelope_mismatch })
}

/// Whether the envelope fails to contain the geometry; an envelope that is not a rectangle at all
/// is an error.
fn check_envelope([min_x, max_x, min_y, max_y]: [f64; 4], polygons: &Polygons) -> Result<bool, String> {
    if [min_x, max_x, min_y, max_y].iter().any(|v| !v.is_finite()) || min_x > max_x || min_y > max_y {
        return Err(format!("enveloppe d'en-tête impossible (x {min_x} à {max_x}, y {min_y} à {max_y})"));
    }
    let slack = |v: f64| 1e-9 * v.abs().max(1.0);
    let outside = polygons.iter().flatten().flatten().any(|&(x, y)| {
        x.is_finite()
            && y.is_finite()
            && (x < min_x - slack(min_x)
                || x > max_x + slack(max_x)
                || y < min_y - slack(min_y)
                || y > max_y + slack(max_y))
    });
    Ok(outside)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    little: bool,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let Some(slice) = self.bytes.get(self.at..self.at + N) else {
            return Err(format!(
                "géométrie tronquée : {N} octets attendus à l'octet {} d'un blob de {} octets",
                self.at,
                self.bytes.len()
            ));
        };
        self.at += N;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    fn i32(&mut self) -> Result<i32, String> {
        let b = self.take::<4>()?;
        Ok(if self.little { i32::from_le_bytes(b) } else { i32::from_be_bytes(b) })
    }

    fn f64(&mut self) -> Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if self.little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) })
    }

    /// A count of items of at least `min_item_bytes` each, checked against the bytes left.
    fn count(&mut self, what: &str, min_item_bytes: usize) -> Result<usize, String> {
        let at = self.at;
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item_bytes) > self.left() {
            return Err(format!(
                "{n} {what} annoncé(s) à l'octet {at} ({} octets au moins) mais il ne reste que {} octets",
                n.saturating_mul(min_item_bytes),
                self.left()
            ));
        }
        Ok(n)
    }

    /// One WKB geometry: its byte order and type, then its body; polygons are appended to `out`.
    fn geometry(&mut self, out: &mut Polygons, depth: usize) -> Result<(), String> {
        let at = self.at;
        let [order] = self.take::<1>()?;
        self.little = match order {
            0 => false,
            1 => true,
            other => return Err(format!("ordre des octets WKB {other} à l'octet {at} (0 ou 1 attendu)")),
        };
        let code = self.u32()?;
        let (base, dims) = geometry_type(code)?;
        match base {
            3 => {
                let polygon = self.polygon(dims)?;
                out.push(polygon);
            }
            6 | 7 if depth >= MAX_DEPTH => {
                return Err(format!("collections imbriquées sur plus de {MAX_DEPTH} niveaux"));
            }
            6 => {
                // The smallest polygon: byte order, type and a ring count.
                let n = self.count("polygone(s)", 9)?;
                for _ in 0..n {
                    let member_at = self.at;
                    let before = out.len();
                    self.geometry(out, depth + 1)?;
                    if out.len() != before + 1 {
                        return Err(format!(
                            "membre d'un MultiPolygon à l'octet {member_at} qui n'est pas un polygone"
                        ));
                    }
                }
            }
            7 => {
                let n = self.count("membre(s)", 9)?;
                for _ in 0..n {
                    self.geometry(out, depth + 1)?;
                }
            }
            other => {
                return Err(format!(
                    "géométrie WKB de type {other} ({}) : des polygones (Polygon, MultiPolygon) étaient attendus",
                    type_name(other)
                ));
            }
        }
        Ok(())
    }

    fn polygon(&mut self, dims: usize) -> Result<Vec<Vec<(f64, f64)>>, String> {
        let point_bytes = 8 * dims;
        let n_rings = self.count("anneau(x)", 4)?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n_points = self.count("point(s)", point_bytes)?;
            let mut ring = Vec::with_capacity(n_points);
            for _ in 0..n_points {
                let x = self.f64()?;
                let y = self.f64()?;
                for _ in 2..dims {
                    self.f64()?;
                }
                ring.push((x, y));
            }
            rings.push(ring);
        }
        Ok(rings)
    }
}

/// The base type (1 point … 7 collection) and the number of coordinates per point of an ISO WKB
/// type code (`1003` is a Polygon Z), or of the older extended codes with high bits for Z and M.
fn geometry_type(code: u32) -> Result<(u32, usize), String> {
    const Z_FLAG: u32 = 0x8000_0000;
    const M_FLAG: u32 = 0x4000_0000;
    const SRID_FLAG: u32 = 0x2000_0000;
    if code & SRID_FLAG != 0 {
        return Err(format!("type WKB 0x{code:08X} avec SRID intégré (EWKB) : WKB ISO attendu"));
    }
    if code & (Z_FLAG | M_FLAG) != 0 {
        let dims = 2 + usize::from(code & Z_FLAG != 0) + usize::from(code & M_FLAG != 0);
        return Ok((code & 0x0FFF_FFFF, dims));
    }
    let dims = match code / 1000 {
        0 => 2,
        1 | 2 => 3,
        3 => 4,
        _ => return Err(format!("type de géométrie WKB {code} inconnu")),
    };
    Ok((code % 1000, dims))
}

fn type_name(base: u32) -> &'static str {
    match base {
        1 => "point",
        2 => "ligne",
        4 => "multipoint",
        5 => "multiligne",
        8..=12 => "courbe ou surface courbe",
        15..=17 => "surface polyédrique, TIN ou triangle",
        _ => "inconnu",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A GeoPackage blob (little-endian header with an XY envelope) holding `wkb`.
    pub(crate) fn blob(srs_id: i32, envelope: Option<[f64; 4]>, empty: bool, wkb: &[u8]) -> Vec<u8> {
        let mut out = b"GP\0".to_vec();
        out.push(0x01 | if envelope.is_some() { 0x02 } else { 0 } | if empty { 0x10 } else { 0 });
        out.extend(srs_id.to_le_bytes());
        for v in envelope.into_iter().flatten() {
            out.extend(v.to_le_bytes());
        }
        out.extend(wkb);
        out
    }

    /// ISO WKB of a polygon (little-endian), rings as given.
    pub(crate) fn polygon_wkb(rings: &[Vec<(f64, f64)>]) -> Vec<u8> {
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

    pub(crate) fn multipolygon_wkb(polygons: &[Vec<u8>]) -> Vec<u8> {
        let mut out = vec![1];
        out.extend(6u32.to_le_bytes());
        out.extend((polygons.len() as u32).to_le_bytes());
        for p in polygons {
            out.extend(p);
        }
        out
    }

    fn square() -> Vec<(f64, f64)> {
        vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]
    }

    #[test]
    fn a_polygon_and_a_multipolygon_are_read() {
        let hole = vec![(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.2)];
        let g =
            read_gpkg_blob(&blob(2154, Some([0.0, 1.0, 0.0, 1.0]), false, &polygon_wkb(&[square(), hole]))).unwrap();
        assert_eq!(g.srs_id, 2154);
        assert_eq!(g.polygons.len(), 1);
        assert_eq!(g.polygons[0].len(), 2);
        assert!(!g.empty && !g.envelope_mismatch);
        let multi = multipolygon_wkb(&[polygon_wkb(&[square()]), polygon_wkb(&[square()])]);
        let g = read_gpkg_blob(&blob(4326, None, false, &multi)).unwrap();
        assert_eq!(g.polygons.len(), 2);
    }

    #[test]
    fn big_endian_wkb_and_z_coordinates_are_read() {
        // Polygon Z (1003), big-endian, one ring of four points with a Z each.
        let mut wkb = vec![0];
        wkb.extend(1003u32.to_be_bytes());
        wkb.extend(1u32.to_be_bytes());
        wkb.extend(4u32.to_be_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)] {
            for v in [x, y, 100.0] {
                wkb.extend(v.to_be_bytes());
            }
        }
        let g = read_gpkg_blob(&blob(0, None, false, &wkb)).unwrap();
        assert_eq!(g.polygons[0][0], vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]);
    }

    #[test]
    fn empty_geometries_are_flagged() {
        let g = read_gpkg_blob(&blob(2154, None, true, &polygon_wkb(&[]))).unwrap();
        assert!(g.empty && g.polygons.iter().all(Vec::is_empty));
        let g = read_gpkg_blob(&blob(2154, None, false, &multipolygon_wkb(&[]))).unwrap();
        assert!(g.empty);
        assert!(read_gpkg_blob(&blob(2154, None, true, &polygon_wkb(&[square()]))).is_err());
    }

    #[test]
    fn a_stale_envelope_is_reported() {
        let g = read_gpkg_blob(&blob(2154, Some([5.0, 6.0, 5.0, 6.0]), false, &polygon_wkb(&[square()]))).unwrap();
        assert!(g.envelope_mismatch);
        let error =
            read_gpkg_blob(&blob(2154, Some([1.0, 0.0, 0.0, 1.0]), false, &polygon_wkb(&[square()]))).unwrap_err();
        assert!(error.contains("enveloppe"), "{error}");
    }

    #[test]
    fn lying_and_broken_blobs_are_errors_naming_what_was_expected() {
        let good = blob(2154, Some([0.0, 1.0, 0.0, 1.0]), false, &polygon_wkb(&[square()]));
        let mut huge_points = good.clone();
        // The point count of the first ring: header 8 + envelope 32 + order 1 + type 4 + rings 4.
        huge_points[49..53].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut huge_rings = good.clone();
        huge_rings[45..49].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        let mut point_type = good.clone();
        point_type[41..45].copy_from_slice(&1u32.to_le_bytes());
        let mut bad_order = good.clone();
        bad_order[40] = 7;
        let mut trailing = good.clone();
        trailing.extend([0, 0, 0]);
        let mut deep = Vec::new();
        for _ in 0..10 {
            deep.extend([1]);
            deep.extend(7u32.to_le_bytes());
            deep.extend(1u32.to_le_bytes());
        }
        deep.extend(polygon_wkb(&[square()]));
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"GP".to_vec(), "plus courte"),
            (b"XX\0\x01\0\0\0\0".to_vec(), "« GP »"),
            (b"GP\x01\x01\0\0\0\0".to_vec(), "version"),
            (b"GP\0\x21\0\0\0\0".to_vec(), "extension"),
            (b"GP\0\x0F\0\0\0\0".to_vec(), "enveloppe"),
            (b"GP\0\x03\0\0\0\0".to_vec(), "enveloppe"),
            (good[..good.len() - 3].to_vec(), "il ne reste que 77 octets"),
            (good[..43].to_vec(), "tronquée"),
            (huge_points, "point(s) annoncé(s)"),
            (huge_rings, "anneau(x) annoncé(s)"),
            (point_type, "point"),
            (bad_order, "ordre des octets"),
            (trailing, "en trop"),
            (blob(0, None, false, &deep), "imbriquées"),
            (blob(0, None, false, &[1, 3, 0, 0, 0x20]), "EWKB"),
        ];
        for (bytes, needle) in cases {
            let error = read_gpkg_blob(&bytes).unwrap_err();
            assert!(error.contains(needle), "{needle}: {error}");
        }
        for cut in 0..good.len() {
            assert!(read_gpkg_blob(&good[..cut]).is_err(), "cut at {cut}");
        }
    }
}
