//! Zip packs: a pack folder shipped as one `.zip`, unpacked by the checked unpacking of
//! [`crate::unzip`] (entries checked, bytes counted, a private temporary folder that lives as long
//! as the [`super::Pack`]), then the manifest is found at the root or in a single top folder.
//!
//! Knows nothing of manifests beyond the name `pack.toml`.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

pub use crate::unzip::{UnzipError, ZipLimits, is_zip};

use super::MANIFEST_FILE;

/// Why a zip pack could not be unpacked. Every message names the zip, and the entry when one is
/// at fault.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The archive itself is refused (unreadable, an entry refused, too big).
    #[error(transparent)]
    Unzip(#[from] UnzipError),
    /// No `pack.toml` at the root or in a single top folder.
    #[error("{zip} : {message}")]
    NoManifest {
        /// The zip.
        zip: PathBuf,
        /// What was found.
        message: String,
    },
}

/// A zip pack unpacked into a private temporary folder, removed when this is dropped.
#[derive(Debug)]
pub struct Unpacked {
    /// The temporary folder.
    pub root: TempDir,
    /// The manifest inside it.
    pub manifest: PathBuf,
}

/// Unpacks a zip pack into a new private temporary folder, checking every entry.
pub fn unpack(zip_path: &Path, limits: &ZipLimits) -> Result<Unpacked, ArchiveError> {
    let unzipped = crate::unzip::unpack_checked(zip_path, limits, "indicarto-pack-")?;
    let manifests: Vec<PathBuf> =
        unzipped.files.into_iter().filter(|p| p.file_name().is_some_and(|n| n == MANIFEST_FILE)).collect();
    let manifest = choose_manifest(zip_path, manifests)?;
    Ok(Unpacked { manifest: unzipped.root.path().join(manifest), root: unzipped.root })
}

/// The manifest at the root, else the one in a single top folder (a zipped pack folder).
fn choose_manifest(zip_path: &Path, mut found: Vec<PathBuf>) -> Result<PathBuf, ArchiveError> {
    found.sort();
    if let Some(root) = found.iter().find(|p| p.components().count() == 1) {
        return Ok(root.clone());
    }
    let top: Vec<&PathBuf> = found.iter().filter(|p| p.components().count() == 2).collect();
    match top.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(ArchiveError::NoManifest {
            zip: zip_path.to_owned(),
            message: format!(
                "aucun {MANIFEST_FILE} à la racine de l'archive ni dans un dossier de premier niveau : ce n'est pas un pack"
            ),
        }),
        several => Err(ArchiveError::NoManifest {
            zip: zip_path.to_owned(),
            message: format!(
                "plusieurs {MANIFEST_FILE} ({}) : une archive ne contient qu'un pack",
                several.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_found_at_the_root_or_in_one_top_folder() {
        let zip = Path::new("p.zip");
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(choose_manifest(zip, vec![p("a/pack.toml"), p("pack.toml")]).unwrap(), p("pack.toml"));
        assert_eq!(choose_manifest(zip, vec![p("a/pack.toml")]).unwrap(), p("a/pack.toml"));
        assert!(choose_manifest(zip, vec![p("a/pack.toml"), p("b/pack.toml")]).is_err());
        assert!(choose_manifest(zip, vec![p("a/b/pack.toml")]).is_err());
    }
}
