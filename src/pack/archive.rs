//! Zip packs: a pack folder shipped as one `.zip`. The archive is unpacked into a private
//! temporary folder that lives as long as the [`super::Pack`] (never beside the zip, never into
//! the user's folders), with every entry checked first: no `..`, no absolute path or drive letter,
//! no symbolic link, no encryption, stored or deflate only. Sizes are bounded by counting the bytes
//! actually decompressed, not by trusting the headers, so a zip bomb stops at the limit.
//!
//! Depends on the `zip` and `tempfile` crates only; knows nothing of manifests beyond the name
//! `pack.toml`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use zip::{CompressionMethod, ZipArchive};

use super::MANIFEST_FILE;

/// How much a zip pack may hold. The defaults fit a France-wide pack (communes of ADMIN EXPRESS
/// and several data files) with room to spare, and stop a zip bomb long before the disk is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Entries (files and folders).
    pub max_entries: usize,
    /// Uncompressed bytes of one entry.
    pub max_entry_bytes: u64,
    /// Uncompressed bytes of all entries together.
    pub max_total_bytes: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits { max_entries: 10_000, max_entry_bytes: 2 << 30, max_total_bytes: 4 << 30 }
    }
}

/// Why a zip pack could not be unpacked. Every message names the zip, and the entry when one is
/// at fault.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The zip cannot be read, or the temporary folder cannot be written.
    #[error("{zip} : lecture impossible ({source})")]
    Io {
        /// The zip.
        zip: PathBuf,
        /// The system error.
        source: io::Error,
    },
    /// The file is not a zip archive the reader understands.
    #[error("{zip} : archive zip illisible ({message}) ; un pack zippé est une archive .zip ordinaire")]
    NotZip {
        /// The zip.
        zip: PathBuf,
        /// What the zip reader said.
        message: String,
    },
    /// An entry is refused.
    #[error("{zip}, entrée « {entry} » : {message}")]
    Entry {
        /// The zip.
        zip: PathBuf,
        /// The entry's name as stored.
        entry: String,
        /// Why, and what was expected.
        message: String,
    },
    /// Too many entries.
    #[error("{zip} : {count} entrées, au-delà de la limite de {max} pour un pack")]
    TooManyEntries {
        /// The zip.
        zip: PathBuf,
        /// Entries in the central directory.
        count: usize,
        /// The limit.
        max: usize,
    },
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

/// Whether `path` names a zip pack (by its extension; the content is checked when unpacking).
#[must_use]
pub fn is_zip(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Unpacks a zip pack into a new private temporary folder, checking every entry.
pub fn unpack(zip_path: &Path, limits: &ZipLimits) -> Result<Unpacked, ArchiveError> {
    let io_error = |source| ArchiveError::Io { zip: zip_path.to_owned(), source };
    let file = File::open(zip_path).map_err(io_error)?;
    let mut archive = ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| ArchiveError::NotZip { zip: zip_path.to_owned(), message: e.to_string() })?;
    if archive.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            zip: zip_path.to_owned(),
            count: archive.len(),
            max: limits.max_entries,
        });
    }
    let root = tempfile::Builder::new().prefix("indicarto-pack-").tempdir().map_err(io_error)?;
    let mut total = 0u64;
    let mut manifests = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| ArchiveError::NotZip { zip: zip_path.to_owned(), message: e.to_string() })?;
        let raw_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let refuse =
            |message: String| ArchiveError::Entry { zip: zip_path.to_owned(), entry: raw_name.clone(), message };
        let relative = safe_relative_path(&raw_name).map_err(refuse)?;
        if entry.is_symlink() {
            return Err(refuse("lien symbolique refusé : un pack ne contient que des fichiers et des dossiers".into()));
        }
        if entry.encrypted() {
            return Err(refuse("entrée chiffrée : un pack zippé ne doit pas être protégé par mot de passe".into()));
        }
        let target = root.path().join(&relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(io_error)?;
            continue;
        }
        if !matches!(entry.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(refuse(format!(
                "méthode de compression {} non prise en charge : « stockée » ou « deflate » attendue",
                entry.compression()
            )));
        }
        let declared = entry.size();
        if declared > limits.max_entry_bytes {
            return Err(refuse(format!(
                "{declared} octets annoncés, au-delà de la limite de {} octets par fichier",
                limits.max_entry_bytes
            )));
        }
        if total.saturating_add(declared) > limits.max_total_bytes {
            return Err(refuse(format!(
                "le contenu décompressé du pack dépasserait la limite de {} octets",
                limits.max_total_bytes
            )));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "unpacking into the pack's own private temporary folder, never an output: no file \
                      is replaced (create_new), and the folder goes with the pack"
        )]
        let opened = File::options().write(true).create_new(true).open(&target);
        let mut out = match opened {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(refuse("entrée en double (même chemin qu'une entrée précédente)".into()));
            }
            Err(e) => return Err(io_error(e)),
        };
        // Read at most one byte past what the entry declares: a bomb or a lying header is caught
        // after `declared + 1` bytes, whatever the compressed stream would expand to.
        let allowed = declared.min(limits.max_total_bytes.saturating_sub(total));
        let written = copy_counted(&mut (&mut entry).take(allowed + 1), &mut out).map_err(|e| {
            // The zip reader stops an entry that expands past its declared size itself; its
            // message is English, so it is recognised here to give the same message as ours.
            if e.to_string().contains("larger than its declared") {
                refuse(format!(
                    "contenu plus long que les {declared} octets annoncés par l'en-tête : archive falsifiée (bombe zip ?)"
                ))
            } else {
                refuse(format!("contenu illisible ({e}) : archive abîmée ou tronquée"))
            }
        })?;
        if written > allowed {
            if allowed == declared {
                return Err(refuse(format!(
                    "contenu plus long que les {declared} octets annoncés par l'en-tête : archive falsifiée (bombe zip ?)"
                )));
            }
            return Err(refuse(format!(
                "le contenu décompressé du pack dépasse la limite de {} octets",
                limits.max_total_bytes
            )));
        }
        if written < declared {
            return Err(refuse(format!("{written} octets lus pour {declared} annoncés : archive tronquée")));
        }
        total += written;
        if relative.file_name().is_some_and(|n| n == MANIFEST_FILE) {
            manifests.push(relative);
        }
    }
    let manifest = choose_manifest(zip_path, manifests)?;
    Ok(Unpacked { manifest: root.path().join(manifest), root })
}

/// Copies everything and returns the byte count. The zip reader checks the CRC at the end of an
/// entry, so a damaged entry is an error here.
fn copy_counted(from: &mut impl Read, to: &mut File) -> io::Result<u64> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => return Ok(count),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buffer[..n])?;
        count += n as u64;
    }
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

/// The entry's path as a relative path with only normal components, or why it is refused. Both
/// `/` and `\` count as separators, whatever the system, so a name made for Windows cannot slip
/// through on Linux and the reverse.
pub(crate) fn safe_relative_path(name: &str) -> Result<PathBuf, String> {
    if name.contains('\0') {
        return Err("nom contenant un octet nul".into());
    }
    if name.starts_with(['/', '\\']) {
        return Err("chemin absolu refusé : les chemins d'un pack sont relatifs à sa racine".into());
    }
    let mut path = PathBuf::new();
    for (i, part) in name.split(['/', '\\']).enumerate() {
        match part {
            "" | "." => {}
            ".." => {
                return Err("chemin contenant « .. » refusé : une entrée ne peut pas sortir du pack".into());
            }
            _ if part.contains(':') => {
                return Err(if i == 0 && part.len() == 2 {
                    "chemin avec lettre de lecteur refusé : les chemins d'un pack sont relatifs à sa racine".into()
                } else {
                    "nom contenant « : » refusé".into()
                });
            }
            _ => path.push(part),
        }
    }
    if path.as_os_str().is_empty() {
        return Err("nom d'entrée vide".into());
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_that_leave_the_pack_are_refused() {
        for bad in
            ["../x", "a/../../x", "/etc/passwd", "\\x", "C:/x", "c:\\x", "a/..\\..\\x", "a\0b", "", "./", "a/b:c"]
        {
            assert!(safe_relative_path(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(safe_relative_path("./data\\x.csv").unwrap(), Path::new("data/x.csv"));
        assert_eq!(safe_relative_path("pack/").unwrap(), Path::new("pack"));
    }

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
