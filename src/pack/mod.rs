//! Indicator packs: a folder with a `pack.toml` manifest, boundary layers and data files (CSV or
//! Parquet, long or wide layout). Opening a pack validates everything and reports every problem at
//! once (file, line or record, field, what was expected), then loads the values into a
//! [`Store`] and completes the upper levels.
//!
//! Split by job: [`manifest`] (the serde model), `validate` (manifest text, indicators and
//! templates checked), `tables` (zonings, COG history, reading options), `mapping` (which column
//! holds what), `load` (one data file into the store), [`archive`] (zip packs), `zones` (zones
//! composed at run time). This file opens a pack and ties them together.
//!
//! Depends on [`crate::table`] for reading files, [`crate::territory`] for territories and
//! [`crate::aggregate`] for values; never on any UI.

pub mod archive;
mod load;
pub mod manifest;
mod mapping;
mod tables;
pub mod template;
mod validate;
mod zones;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::aggregate::Store;
use crate::boundary::LoadOptions;
use crate::code::{IndicatorId, Level};
use crate::diagnostics::Warning;
use crate::indicator::Indicator;
use crate::territory::TerritorySet;
use load::DataLoader;
use manifest::Manifest;
pub use validate::parse_manifest;
pub use zones::{CUSTOM_ZONES_LEVEL, CustomZone, ZoneError, custom_zones_level};

/// The manifest's file name inside a pack folder.
pub const MANIFEST_FILE: &str = "pack.toml";

/// One problem that prevents a pack from loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackIssue {
    /// The file concerned.
    pub file: PathBuf,
    /// Where in it (`ligne 12, colonne pmun_2019`, `indicateur densite`).
    pub place: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for PackIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{} : {}", self.file.display(), self.message)
        } else {
            write!(f, "{}, {} : {}", self.file.display(), self.place, self.message)
        }
    }
}

/// Why a pack could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The manifest is missing or unreadable.
    #[error("{path} : lecture impossible ({source})")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },
    /// The manifest is not valid TOML or has unknown or missing keys.
    #[error("{path}, ligne {line}, colonne {column} : {message}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The manifest parsed, but the pack has problems; every one is listed.
    #[error("{} problème(s) dans le pack :\n{}", .0.len(), .0.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<PackIssue>),
    /// A zip pack could not be unpacked.
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
}

/// An opened pack.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The folder holding the manifest; for a zip pack, inside its private temporary folder.
    pub dir: PathBuf,
    /// The zip the pack was opened from, if any.
    pub archive: Option<PathBuf>,
    /// The manifest as written.
    pub manifest: Manifest,
    /// Its portrait templates, validated (in the manifest's order).
    pub templates: Vec<template::Template>,
    /// The territories of its boundary layers and zonings.
    pub territories: TerritorySet,
    /// The values.
    pub store: Store,
    /// Partial problems.
    pub warnings: Vec<Warning>,
    /// A zip pack's temporary folder, removed when the last clone of the pack is dropped.
    unpacked: Option<Arc<tempfile::TempDir>>,
}

impl Pack {
    /// The folders the pack reads from: its own, and those of its boundary layers, data files,
    /// zonings and COG history, sorted, each once. Exports must not go into any of them.
    #[must_use]
    pub fn input_folders(&self) -> Vec<PathBuf> {
        if self.archive.is_some() {
            // A zipped pack reads nothing but its zip (unpacked into a private temporary folder).
            return vec![self.input_folder().to_owned()];
        }
        let files = self
            .manifest
            .boundaries
            .iter()
            .map(|b| &b.file)
            .chain(self.manifest.data.iter().map(|d| &d.file))
            .chain(self.manifest.zonings.iter().map(|z| &z.file))
            .chain(self.manifest.pack.cog_history.iter());
        let mut folders: Vec<PathBuf> = std::iter::once(self.dir.clone())
            .chain(files.map(|f| self.dir.join(f).parent().map_or_else(|| self.dir.clone(), Path::to_owned)))
            .collect();
        folders.sort();
        folders.dedup();
        folders
    }

    /// Opens a pack from its folder, its manifest file, or a `.zip` of the folder (see
    /// [`Pack::open_zip`]).
    pub fn open(path: &Path) -> Result<Pack, PackError> {
        if archive::is_zip(path) && path.is_file() {
            return Pack::open_zip(path, &archive::ZipLimits::default());
        }
        let manifest_path = if path.is_dir() { path.join(MANIFEST_FILE) } else { path.to_owned() };
        Pack::open_manifest(&manifest_path, None)
    }

    /// Opens a zipped pack: the archive is checked and unpacked into a private temporary folder
    /// (see [`archive`]) that lives as long as the pack. Files the manifest names must be inside
    /// the archive. Messages name the zip and the entry (`pack.zip/data/x.csv`), not the
    /// temporary folder.
    pub fn open_zip(zip: &Path, limits: &archive::ZipLimits) -> Result<Pack, PackError> {
        let unpacked = archive::unpack(zip, limits)?;
        let root = unpacked.root.path().to_owned();
        let remap = Remap { root: &root, zip };
        match Pack::open_manifest(&unpacked.manifest, Some(&root)) {
            Ok(mut pack) => {
                pack.warnings = pack.warnings.into_iter().map(|w| remap.warning(w)).collect();
                pack.archive = Some(zip.to_owned());
                pack.unpacked = Some(Arc::new(unpacked.root));
                Ok(pack)
            }
            Err(e) => Err(remap.error(e)),
        }
    }

    /// The folder the pack was read from, which no output may go into: the pack's folder, or the
    /// folder holding its zip.
    #[must_use]
    pub fn input_folder(&self) -> &Path {
        match &self.archive {
            Some(zip) => zip.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
            None => &self.dir,
        }
    }

    /// Opens the pack of a manifest; with `confine`, every file it names must be inside that folder.
    fn open_manifest(manifest_path: &Path, confine: Option<&Path>) -> Result<Pack, PackError> {
        let manifest_path = manifest_path.to_owned();
        let dir = manifest_path.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
        let bytes =
            std::fs::read(&manifest_path).map_err(|source| PackError::Io { path: manifest_path.clone(), source })?;
        let text = validate::manifest_text(&manifest_path, &bytes)?;
        let manifest = parse_manifest(&manifest_path, text)?;
        if let Some(root) = confine {
            let escaping = files_outside(&manifest, &manifest_path, &dir, root);
            if !escaping.is_empty() {
                return Err(PackError::Invalid(escaping));
            }
        }
        let mut issues = Vec::new();
        let mut indicators = validate::build_indicators(&manifest, &manifest_path, &mut issues);
        let templates = template::validate(&manifest, &manifest_path, &indicators, &mut issues);

        if manifest.boundaries.is_empty() {
            issues.push(PackIssue {
                file: manifest_path.clone(),
                place: "[[boundaries]]".into(),
                message:
                    "aucune couche de contours : il en faut au moins une (les communes) pour situer les territoires"
                        .into(),
            });
        }
        let mut territories = match TerritorySet::load(&manifest.boundaries, &dir, &LoadOptions::default()) {
            Ok(t) => Some(t),
            Err(e) => {
                issues.push(PackIssue {
                    file: manifest_path.clone(),
                    place: "[[boundaries]]".into(),
                    message: e.to_string(),
                });
                None
            }
        };
        if let Some(territories) = territories.as_mut() {
            for zoning in &manifest.zonings {
                if let Err(message) = tables::load_zoning(zoning, &dir, territories) {
                    issues.push(PackIssue { file: dir.join(&zoning.file), place: String::new(), message });
                }
            }
        }
        // Data files are checked even when the manifest has problems, so that one run lists them all;
        // without territories there is nothing to check codes against.
        let Some(territories) = territories else {
            return Err(PackError::Invalid(issues));
        };

        let history = match &manifest.pack.cog_history {
            Some(file) => match tables::read_history(&dir.join(file)) {
                Ok(h) => h,
                Err(message) => {
                    issues.push(PackIssue { file: dir.join(file), place: String::new(), message });
                    BTreeMap::new()
                }
            },
            None => BTreeMap::new(),
        };

        let mut store = Store::new(indicators.clone());
        store.index_territories(&territories);
        let mut warnings = territories.warnings.clone();
        let by_id: BTreeMap<IndicatorId, &Indicator> = indicators.iter().map(|i| (i.id.clone(), i)).collect();
        for def in &manifest.data {
            let mut loader = DataLoader::new(def, dir.join(&def.file), &by_id, &territories, &history);
            loader.load(&mut store);
            let (file_issues, file_warnings) = loader.finish();
            issues.extend(file_issues);
            warnings.extend(file_warnings);
        }
        if !issues.is_empty() {
            return Err(PackError::Invalid(issues));
        }
        let years_seen: BTreeMap<IndicatorId, BTreeSet<i32>> =
            indicators.iter().map(|i| (i.id.clone(), store.data_years(&i.id).into_iter().collect())).collect();
        validate::fill_years(&mut indicators, &years_seen);
        store.set_indicators(indicators);
        store.complete(&territories, &mut warnings);
        Ok(Pack { dir, archive: None, manifest, templates, territories, store, warnings, unpacked: None })
    }

    /// The levels a user may name, custom zonings included.
    #[must_use]
    pub fn parse_level(&self, name: &str) -> Option<Level> {
        Level::parse(name, &self.territories.custom_level_names())
    }
}

/// Every file the manifest names that would resolve outside `root` (a zip pack's folder): an
/// absolute path, or `..` climbing out of it. Checked before any is read.
fn files_outside(manifest: &Manifest, manifest_path: &Path, dir: &Path, root: &Path) -> Vec<PackIssue> {
    let mut named: Vec<(String, &Path)> = Vec::new();
    named.extend(manifest.boundaries.iter().map(|b| ("[[boundaries]] file".to_owned(), b.file.as_path())));
    named.extend(manifest.data.iter().map(|d| ("[[data]] file".to_owned(), d.file.as_path())));
    named.extend(manifest.zonings.iter().map(|z| ("[[zonings]] file".to_owned(), z.file.as_path())));
    named.extend(manifest.pack.cog_history.iter().map(|f| ("[pack] cog_history".to_owned(), f.as_path())));
    let mut issues = Vec::new();
    for (place, file) in named {
        let mut resolved = dir.to_owned();
        let mut inside = !file.has_root() && file.components().all(|c| !matches!(c, Component::Prefix(_)));
        for component in file.components() {
            match component {
                Component::ParentDir => inside &= resolved.pop(),
                Component::Normal(part) => resolved.push(part),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        if !inside || !resolved.starts_with(root) {
            issues.push(PackIssue {
                file: manifest_path.to_owned(),
                place,
                message: format!(
                    "« {} » sort de l'archive : dans un pack zippé, chaque fichier doit être dans l'archive, nommé par un chemin relatif",
                    file.display()
                ),
            });
        }
    }
    issues
}

/// Rewrites paths inside a zip pack's temporary folder as paths inside the zip, for messages.
struct Remap<'a> {
    root: &'a Path,
    zip: &'a Path,
}

impl Remap<'_> {
    fn path(&self, path: PathBuf) -> PathBuf {
        match path.strip_prefix(self.root) {
            Ok(inside) => self.zip.join(inside),
            Err(_) => path,
        }
    }

    fn text(&self, text: &str) -> String {
        text.replace(&self.root.display().to_string(), &self.zip.display().to_string())
    }

    fn error(&self, error: PackError) -> PackError {
        match error {
            PackError::Io { path, source } => PackError::Io { path: self.path(path), source },
            PackError::Manifest { path, line, column, message } => {
                PackError::Manifest { path: self.path(path), line, column, message: self.text(&message) }
            }
            PackError::Invalid(issues) => PackError::Invalid(
                issues
                    .into_iter()
                    .map(|i| PackIssue {
                        file: self.path(i.file),
                        place: self.text(&i.place),
                        message: self.text(&i.message),
                    })
                    .collect(),
            ),
            archive @ PackError::Archive(_) => archive,
        }
    }

    fn warning(&self, warning: Warning) -> Warning {
        match warning {
            Warning::UnknownCodes { file, level, codes, count, other_vintage } => {
                Warning::UnknownCodes { file: self.path(file), level, codes, count, other_vintage }
            }
            Warning::TerritoriesWithoutData { file, level, count, examples } => {
                Warning::TerritoriesWithoutData { file: self.path(file), level, count, examples }
            }
            Warning::Duplicate { file, line, indicator, code, year } => {
                Warning::Duplicate { file: self.path(file), line, indicator, code, year }
            }
            Warning::Other(text) => Warning::Other(self.text(&text)),
            other => other,
        }
    }
}
