//! The table of coordinate reference systems known by EPSG code, and the ESRI and EPSG spellings of their
//! names (`RGF_1993_Lambert_93`, `RGF93 v1 / Lambert-93`). Each definition is a PROJ.4 text checked against
//! PROJ by the tests. Depends only on [`super::Crs`].

use super::Crs;

/// Codes accepted by [`Crs::from_epsg`], for error messages and documentation.
pub(super) const SUPPORTED_EPSG_SUMMARY: &str = "géographiques 4326, 4171, 4258, 4275, 4470, 4624, 4627, 5489, 9777, 9782 ; \
     projetés 2154, 9793, 9794, 3942-3950, 27572, 3035, 3857, 32601-32660, 32701-32760, 2972, 2975, 4471, \
     4559, 5490";

/// Ellipsoid and datum shift of CRSs whose datum is GRS80-based and aligned on WGS 84.
///
/// RGF93, ETRS89, RGR92, RGFG95, RGM04, RGAF09 and RRAF 1991 are realisations of the international terrestrial
/// reference system on the GRS80 ellipsoid. EPSG publishes null transformations between each of them and
/// WGS 84 (their stated accuracy is about a metre, mostly the drift of the tectonic plate since the datum's
/// epoch), and PROJ applies exactly those null transformations, so treating them as WGS 84 reproduces PROJ's
/// results to the millimetre and is far below what a thematic map can show.
pub(super) const GRS80_AS_WGS84: &str = "+ellps=GRS80 +towgs84=0,0,0";
/// Ellipsoid and (null) datum shift of WGS 84 itself.
pub(super) const WGS84_DATUM: &str = "+ellps=WGS84 +towgs84=0,0,0";
/// NTF on the Clarke 1880 (IGN) ellipsoid with EPSG's three-parameter shift "NTF to WGS 84 (1)" (EPSG:1193),
/// which PROJ also falls back to when IGN's grid is not installed. EPSG rates it at 2 m; the grid would do
/// better, but this application has no grids.
pub(super) const NTF_DATUM: &str = "+ellps=clrk80ign +towgs84=-168,-60,320";
/// Prime meridian of Paris as EPSG gives it (2.5969213 grads), in degrees.
pub(super) const PARIS_MERIDIAN_DEG: f64 = 2.337_229_17;

pub(super) fn lambert93_proj4() -> String {
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
pub(super) fn known_epsg(code: u32) -> Option<Crs> {
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
pub(super) fn normalize_name(name: &str) -> String {
    let compact: String = name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    compact.replace("zone", "")
}

/// The EPSG code of a CRS name known in its ESRI or EPSG spelling.
pub(super) fn epsg_from_name(name: &str) -> Option<u32> {
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
