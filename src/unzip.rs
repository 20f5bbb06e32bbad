//! Checked unpacking of zip archives: a zip pack, a zipped Shapefile (`communes.zip`). The archive is
//! unpacked into a private temporary folder (never beside the zip, never into the user's folders),
//! with every entry checked first: no `..`, no absolute path or drive letter, no symbolic link, no
//! encryption, stored or deflate only. Sizes are bounded by counting the bytes actually
//! decompressed, not by trusting the headers, so a zip bomb stops at the limit.
//!
//! Depends on the `zip` and `tempfile` crates only; knows nothing of packs or boundary formats
//! (`pack::archive` looks for the manifest, `boundary::zipped` for the layer).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use zip::{CompressionMethod, ZipArchive};

/// How much an archive may hold. The defaults fit a France-wide pack (communes of ADMIN EXPRESS
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

/// Why an archive could not be unpacked. Every message names the zip, and the entry when one is
/// at fault.
#[derive(Debug, thiserror::Error)]
pub enum UnzipError {
    /// The zip cannot be read, or the temporary folder cannot be written.
    #[error("{zip} : lecture impossible ({source})")]
    Io {
        /// The zip.
        zip: PathBuf,
        /// The system error.
        source: io::Error,
    },
    /// The file is not a zip archive the reader understands.
    #[error("{zip} : archive zip illisible ({message}) ; une archive .zip ordinaire était attendue")]
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
    #[error("{zip} : {count} entrées, au-delà de la limite de {max} pour une archive")]
    TooManyEntries {
        /// The zip.
        zip: PathBuf,
        /// Entries in the central directory.
        count: usize,
        /// The limit.
        max: usize,
    },
}

/// An archive unpacked into a private temporary folder, removed when this is dropped.
#[derive(Debug)]
pub struct Unzipped {
    /// The temporary folder.
    pub root: TempDir,
    /// The files unpacked, relative to `root`, in archive order (folders left out).
    pub files: Vec<PathBuf>,
}

/// Whether `path` names a zip archive (by its extension; the content is checked when unpacking).
#[must_use]
pub fn is_zip(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Unpacks an archive into a new private temporary folder whose name starts with `prefix`,
/// checking every entry against `limits`.
pub fn unpack_checked(zip_path: &Path, limits: &ZipLimits, prefix: &str) -> Result<Unzipped, UnzipError> {
    let io_error = |source| UnzipError::Io { zip: zip_path.to_owned(), source };
    let file = File::open(zip_path).map_err(io_error)?;
    let mut archive = ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| UnzipError::NotZip { zip: zip_path.to_owned(), message: e.to_string() })?;
    if archive.len() > limits.max_entries {
        return Err(UnzipError::TooManyEntries {
            zip: zip_path.to_owned(),
            count: archive.len(),
            max: limits.max_entries,
        });
    }
    let root = tempfile::Builder::new().prefix(prefix).tempdir().map_err(io_error)?;
    let mut total = 0u64;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| UnzipError::NotZip { zip: zip_path.to_owned(), message: e.to_string() })?;
        let raw_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let refuse = |message: String| UnzipError::Entry { zip: zip_path.to_owned(), entry: raw_name.clone(), message };
        let relative = safe_relative_path(&raw_name).map_err(refuse)?;
        if entry.is_symlink() {
            return Err(refuse(
                "lien symbolique refusé : une archive ne doit contenir que des fichiers et des dossiers".into(),
            ));
        }
        if entry.encrypted() {
            return Err(refuse("entrée chiffrée : l'archive ne doit pas être protégée par mot de passe".into()));
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
                "le contenu décompressé de l'archive dépasserait la limite de {} octets",
                limits.max_total_bytes
            )));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "unpacking into the archive's own private temporary folder, never an output: no file \
                      is replaced (create_new), and the folder goes with the pack or the layer"
        )]
        let opened = File::options().write(true).create_new(true).open(&target);
        let mut out = match opened {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(refuse("entrée en double (même chemin qu'une entrée précédente)".into()));
            }
            Err(e) => return Err(io_error(e)),
        };
        let allowed = declared.min(limits.max_total_bytes.saturating_sub(total));
        let written = copy_entry(&mut entry, &mut out, declared, allowed, &refuse, limits)?;
        total += written;
        files.push(relative);
    }
    Ok(Unzipped { root, files })
}

/// Copies one entry, reading at most one byte past what it declares: a bomb or a lying header is
/// caught after `allowed + 1` bytes, whatever the compressed stream would expand to.
fn copy_entry(
    entry: &mut impl Read,
    out: &mut File,
    declared: u64,
    allowed: u64,
    refuse: &impl Fn(String) -> UnzipError,
    limits: &ZipLimits,
) -> Result<u64, UnzipError> {
    let bomb = || {
        refuse(format!(
            "contenu plus long que les {declared} octets annoncés par l'en-tête : archive falsifiée (bombe zip ?)"
        ))
    };
    let written = copy_counted(&mut entry.take(allowed + 1), out).map_err(|e| {
        // The zip reader stops an entry that expands past its declared size itself; its
        // message is English, so it is recognised here to give the same message as ours.
        if e.to_string().contains("larger than its declared") {
            bomb()
        } else {
            refuse(format!("contenu illisible ({e}) : archive abîmée ou tronquée"))
        }
    })?;
    if written > allowed {
        if allowed == declared {
            return Err(bomb());
        }
        return Err(refuse(format!(
            "le contenu décompressé de l'archive dépasse la limite de {} octets",
            limits.max_total_bytes
        )));
    }
    if written < declared {
        return Err(refuse(format!("{written} octets lus pour {declared} annoncés : archive tronquée")));
    }
    Ok(written)
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

/// The entry's path as a relative path with only normal components, or why it is refused. Both
/// `/` and `\` count as separators, whatever the system, so a name made for Windows cannot slip
/// through on Linux and the reverse.
pub(crate) fn safe_relative_path(name: &str) -> Result<PathBuf, String> {
    if name.contains('\0') {
        return Err("nom contenant un octet nul".into());
    }
    if name.starts_with(['/', '\\']) {
        return Err("chemin absolu refusé : les chemins d'une archive sont relatifs à sa racine".into());
    }
    let mut path = PathBuf::new();
    for (i, part) in name.split(['/', '\\']).enumerate() {
        match part {
            "" | "." => {}
            ".." => {
                return Err("chemin contenant « .. » refusé : une entrée ne peut pas sortir de l'archive".into());
            }
            _ if part.contains(':') => {
                return Err(if i == 0 && part.len() == 2 {
                    "chemin avec lettre de lecteur refusé : les chemins d'une archive sont relatifs à sa racine".into()
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
    fn entry_names_that_leave_the_archive_are_refused() {
        for bad in
            ["../x", "a/../../x", "/etc/passwd", "\\x", "C:/x", "c:\\x", "a/..\\..\\x", "a\0b", "", "./", "a/b:c"]
        {
            assert!(safe_relative_path(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(safe_relative_path("./data\\x.csv").unwrap(), Path::new("data/x.csv"));
        assert_eq!(safe_relative_path("pack/").unwrap(), Path::new("pack"));
    }
}
