//! Zipped boundary layers: `communes.zip` holding a Shapefile set (`.shp`, `.shx`, `.dbf`, `.prj`,
//! `.cpg`), a GeoPackage or a GeoJSON file, as IGN and data.gouv.fr ship them.
//!
//! The archive goes through the same checked unpacking as zip packs ([`crate::unzip`]: entries
//! checked, bytes counted, a private temporary folder removed once the layer is read; nothing is
//! written beside the zip). Messages name the file inside the archive as `communes.zip/communes.dbf`.
//! When the archive holds several layers, `LoadOptions::layer` chooses one by its name without
//! extension. Depends on [`crate::unzip`] and the readers of [`crate::boundary`].

use std::path::{Path, PathBuf};

use super::{BoundaryError, Layer, LoadOptions};
use crate::unzip::{self, ZipLimits};

/// Bounds for a zipped layer: ADMIN EXPRESS communes of France as a Shapefile set unpack to about
/// 1 GB; the limits leave room and still stop a bomb.
const LIMITS: ZipLimits = ZipLimits { max_entries: 1_000, max_entry_bytes: 2 << 30, max_total_bytes: 4 << 30 };

/// Extensions of the boundary files looked for inside an archive.
const LAYER_EXTENSIONS: [&str; 4] = ["shp", "gpkg", "geojson", "json"];

/// Reads the layer of a zipped boundary file.
pub fn read_zipped(zip: &Path, options: &LoadOptions) -> Result<Layer, BoundaryError> {
    read_zipped_with(zip, options, &LIMITS)
}

/// [`read_zipped`] with other limits (tests of hostile archives).
pub fn read_zipped_with(zip: &Path, options: &LoadOptions, limits: &ZipLimits) -> Result<Layer, BoundaryError> {
    let unzipped = unzip::unpack_checked(zip, limits, "indicarto-contours-").map_err(|e| unzip_error(zip, &e))?;
    let candidates = layer_files(&unzipped.files);
    let (file, inner_layer) = choose(zip, &candidates, options.layer.as_deref())?;
    let inner = LoadOptions { layer: inner_layer, ..options.clone() };
    let shown = zip.join(file);
    let mut layer = super::load_layer_named(&unzipped.root.path().join(file), &shown, &inner)?;
    layer.path = shown;
    Ok(layer)
}

/// The boundary files of an archive, by their name without extension (a GeoPackage inside counts as
/// one name; its tables are listed once it is chosen).
pub fn list_layers(zip: &Path) -> Result<Vec<String>, BoundaryError> {
    let unzipped = unzip::unpack_checked(zip, &LIMITS, "indicarto-contours-").map_err(|e| unzip_error(zip, &e))?;
    Ok(layer_files(&unzipped.files).iter().map(|f| stem(f)).collect())
}

fn unzip_error(zip: &Path, error: &unzip::UnzipError) -> BoundaryError {
    BoundaryError::Layers { path: zip.to_owned(), message: strip_path(zip, &error.to_string()) }
}

/// The unzip error's text without its leading `zip : `, since the boundary error names the zip.
fn strip_path(zip: &Path, message: &str) -> String {
    let prefix = format!("{} : ", zip.display());
    let prefix_entry = format!("{}, ", zip.display());
    message.strip_prefix(&prefix).or_else(|| message.strip_prefix(&prefix_entry)).unwrap_or(message).to_owned()
}

/// Boundary files of the archive, sorted, leaving out the macOS resource forks (`__MACOSX/`, `._x`).
fn layer_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = files
        .iter()
        .filter(|f| {
            let hidden = f.components().any(|c| c.as_os_str() == "__MACOSX")
                || f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("._"));
            let ext = f.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            !hidden && ext.is_some_and(|e| LAYER_EXTENSIONS.contains(&e.as_str()))
        })
        .cloned()
        .collect();
    found.sort();
    found
}

fn stem(file: &Path) -> String {
    file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The file to read, and the layer to ask of it (a GeoPackage's table when the archive holds only
/// that GeoPackage).
fn choose<'a>(
    zip: &Path,
    candidates: &'a [PathBuf],
    wanted: Option<&str>,
) -> Result<(&'a Path, Option<String>), BoundaryError> {
    let error = |message: String| BoundaryError::Layers { path: zip.to_owned(), message };
    let list = || candidates.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
    if let Some(name) = wanted {
        let by_stem = candidates
            .iter()
            .find(|f| stem(f) == name)
            .or_else(|| candidates.iter().find(|f| stem(f).eq_ignore_ascii_case(name) || f.to_string_lossy() == name));
        if let Some(file) = by_stem {
            return Ok((file, None));
        }
    }
    match candidates {
        [] => Err(error(
            "aucun fichier de contours dans l'archive (Shapefile .shp avec ses .shx et .dbf, GeoPackage .gpkg ou GeoJSON .geojson attendu)"
                .into(),
        )),
        [one] if super::gpkg::is_gpkg(one) => Ok((one, wanted.map(str::to_owned))),
        [one] => match wanted {
            Some(name) => Err(error(format!("couche « {name} » introuvable ; l'archive contient : {}", list()))),
            None => Ok((one, None)),
        },
        _ => Err(error(match wanted {
            Some(name) => format!("couche « {name} » introuvable ; l'archive contient : {}", list()),
            None => format!(
                "{} couches dans l'archive ({}) : choisissez-en une avec --layer NOM (ligne de commande) ou layer = \"NOM\" (manifeste)",
                candidates.len(),
                list()
            ),
        })),
    }
}
