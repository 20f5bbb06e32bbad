//! Indicator packs: a folder with a `pack.toml` manifest, boundary layers and data files (CSV or
//! Parquet, long or wide layout). Opening a pack validates everything and reports every problem at
//! once (file, line or record, field, what was expected), then loads the values into a
//! [`Store`] and completes the upper levels.
//!
//! Depends on [`crate::table`] for reading files, [`crate::territory`] for territories and
//! [`crate::aggregate`] for values; never on any UI.

pub mod archive;
pub mod manifest;
pub mod template;
mod zones;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::aggregate::{RawCell, Store, derive_inputs};
use crate::boundary::LoadOptions;
use crate::code::{IndicatorId, Level, TerritoryCode};
use crate::diagnostics::Warning;
use crate::indicator::{Aggregation, Derive, Indicator};
use crate::table::csv::{self, CsvOptions, NumberCell, TextEncoding, TextTable};
use crate::territory::{TerritorySet, normalise_code};
use manifest::{AggregationDef, DataDef, Layout, Manifest};
pub use zones::{CUSTOM_ZONES_LEVEL, CustomZone, ZoneError, custom_zones_level};

/// The manifest's file name inside a pack folder.
pub const MANIFEST_FILE: &str = "pack.toml";
/// At most this many problems are listed per data file; the rest are counted.
const MAX_ISSUES_PER_FILE: usize = 20;

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
        let text = manifest_text(&manifest_path, &bytes)?;
        let manifest = parse_manifest(&manifest_path, text)?;
        if let Some(root) = confine {
            let escaping = files_outside(&manifest, &manifest_path, &dir, root);
            if !escaping.is_empty() {
                return Err(PackError::Invalid(escaping));
            }
        }
        let mut issues = Vec::new();
        let mut indicators = build_indicators(&manifest, &manifest_path, &mut issues);
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
                if let Err(message) = load_zoning(zoning, &dir, territories) {
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
            Some(file) => match read_history(&dir.join(file)) {
                Ok(h) => h,
                Err(message) => {
                    issues.push(PackIssue { file: dir.join(file), place: String::new(), message });
                    BTreeMap::new()
                }
            },
            None => BTreeMap::new(),
        };

        let mut store = Store::new(Vec::new());
        let mut warnings = territories.warnings.clone();
        let mut years_seen: BTreeMap<IndicatorId, BTreeSet<i32>> = BTreeMap::new();
        let by_id: BTreeMap<IndicatorId, &Indicator> = indicators.iter().map(|i| (i.id.clone(), i)).collect();
        for def in &manifest.data {
            let mut loader = DataLoader {
                def,
                path: dir.join(&def.file),
                indicators: &by_id,
                territories: &territories,
                history: &history,
                issues: Vec::new(),
                warnings: Vec::new(),
                cells: Vec::new(),
            };
            loader.load();
            issues.extend(loader.issues);
            warnings.extend(loader.warnings);
            for (key, cell, line) in loader.cells {
                years_seen.entry(key.0.clone()).or_default().insert(key.3);
                let (indicator, code, year) = (key.0.clone(), key.2.clone(), key.3);
                if !store.insert_given(key, cell) {
                    warnings.push(Warning::Duplicate { file: dir.join(&def.file), line, indicator, code, year });
                }
            }
        }
        if !issues.is_empty() {
            return Err(PackError::Invalid(issues));
        }
        fill_years(&mut indicators, &years_seen);
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

/// The manifest's bytes as UTF-8 text (a BOM is dropped), or an error at the first byte that is
/// not: TOML is UTF-8, and a manifest saved as "Unicode" by a Windows editor is UTF-16.
fn manifest_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, PackError> {
    let error = |line, column, message: String| PackError::Manifest { path: path.to_owned(), line, column, message };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(error(1, 1, "fichier encodé en UTF-16 : un manifeste TOML est en UTF-8".into()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.split(|b| *b == b'\n').count();
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        error(
            line,
            column,
            format!(
                "octet 0x{:02X} (position {}) qui n'est pas de l'UTF-8 : un manifeste TOML est un texte en UTF-8",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}

/// Parses a manifest's text; `path` names it in messages. Unknown keys are errors.
pub fn parse_manifest(path: &Path, text: &str) -> Result<Manifest, PackError> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let offset = e.span().map_or(0, |s| s.start);
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        PackError::Manifest { path: path.to_owned(), line, column, message: e.message().trim().to_owned() }
    })
}

/// The closest name among `candidates`, for "did you mean" hints.
fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d);
    best.map_or_else(String::new, |(_, c)| format!(" (vouliez-vous dire « {c} » ?)"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

fn build_indicators(manifest: &Manifest, file: &Path, issues: &mut Vec<PackIssue>) -> Vec<Indicator> {
    let ids: BTreeSet<&str> = manifest.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let sources: BTreeMap<&str, &manifest::SourceDef> = manifest.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    for def in &manifest.indicators {
        let place = format!("indicateur {}", def.id);
        let mut issue =
            |message: String| issues.push(PackIssue { file: file.to_owned(), place: place.clone(), message });
        if def.id.trim().is_empty() {
            issue("identifiant vide".into());
            continue;
        }
        if !seen.insert(def.id.as_str()) {
            issue("identifiant déjà utilisé par un autre indicateur".into());
            continue;
        }
        let aggregation = match (&def.derive, def.aggregation) {
            (Some(derive), _) => {
                let kinds = [derive.ratio.is_some(), derive.difference.is_some(), derive.change.is_some()];
                if kinds.iter().filter(|k| **k).count() != 1 {
                    issue("« derive » doit donner exactement une règle : ratio, difference ou change".into());
                    continue;
                }
                let mut ok = true;
                for input in derive.inputs() {
                    if !ids.contains(input) {
                        issue(format!(
                            "« derive » cite l'indicateur inconnu « {input} »{}",
                            suggest(input, ids.iter().copied())
                        ));
                        ok = false;
                    }
                }
                if !ok {
                    continue;
                }
                let rule = if let Some([n, d]) = &derive.ratio {
                    Derive::Ratio {
                        numerator: IndicatorId::new(n),
                        denominator: IndicatorId::new(d),
                        scale: def.scale.unwrap_or(1.0),
                    }
                } else if let Some([a, b]) = &derive.difference {
                    Derive::Difference(IndicatorId::new(a), IndicatorId::new(b))
                } else if let (Some(of), Some(from)) = (&derive.change, derive.from) {
                    Derive::Change { of: IndicatorId::new(of), from }
                } else {
                    issue("« change » demande aussi l'année de départ « from »".into());
                    continue;
                };
                Aggregation::Derived(rule)
            }
            (None, AggregationDef::Sum) => Aggregation::Sum,
            (None, AggregationDef::WeightedMean) => Aggregation::WeightedMean,
            (None, AggregationDef::None) => Aggregation::None,
            (None, AggregationDef::Rate) => match def.scale {
                Some(scale) if scale > 0.0 => Aggregation::Rate { scale },
                _ => {
                    issue("un taux (aggregation = \"rate\") demande son multiplicateur : scale = 100 pour un pourcentage, 1000, 100000…".into());
                    continue;
                }
            },
        };
        if def.secrecy.is_some_and(|s| s.secondary)
            && !matches!(aggregation, Aggregation::Sum | Aggregation::Rate { .. })
        {
            issue(
                "le secret secondaire (secrecy = { secondary = true }) s'applique aux effectifs et aux taux agrégés \
                 (aggregation = \"sum\" ou \"rate\") ; pour un indicateur calculé, placez-le sur l'indicateur dont il \
                 dépend"
                    .into(),
            );
            continue;
        }
        let source = sources.get(def.source.as_str()).map_or_else(
            || def.source.clone(),
            |s| if s.licence.is_empty() { s.label.clone() } else { format!("{}, {}", s.label, s.licence) },
        );
        let mut years = def.years.clone();
        years.sort_unstable();
        years.dedup();
        out.push(Indicator {
            id: IndicatorId::new(&def.id),
            label: def.label.clone(),
            definition: def.definition.clone(),
            unit: def.unit.clone(),
            source,
            theme: def.theme.clone(),
            years,
            decimals: def.decimals,
            aggregation,
            polarity: def.polarity,
            secrecy_min: def.secrecy.map(|s| s.min_numerator),
            secondary_secrecy: def.secrecy.is_some_and(|s| s.secondary),
            timeless: def.timeless,
        });
    }
    check_cycles(&out, file, issues);
    out
}

fn check_cycles(indicators: &[Indicator], file: &Path, issues: &mut Vec<PackIssue>) {
    let rules: BTreeMap<&IndicatorId, &Derive> = indicators
        .iter()
        .filter_map(|i| match &i.aggregation {
            Aggregation::Derived(rule) => Some((&i.id, rule)),
            _ => None,
        })
        .collect();
    for start in rules.keys() {
        let mut stack = vec![(*start, vec![(*start).clone()])];
        while let Some((id, path)) = stack.pop() {
            let Some(rule) = rules.get(id) else { continue };
            for input in derive_inputs(rule) {
                if input == *start {
                    let chain = path.iter().chain([input]).map(IndicatorId::as_str).collect::<Vec<_>>().join(" → ");
                    issues.push(PackIssue {
                        file: file.to_owned(),
                        place: format!("indicateur {start}"),
                        message: format!("calcul circulaire : {chain}"),
                    });
                    return;
                }
                if !path.contains(input) && path.len() < 64 {
                    let mut next = path.clone();
                    next.push(input.clone());
                    stack.push((input, next));
                }
            }
        }
    }
}

/// Years of indicators that declared none: from the data for base indicators, from their inputs for
/// computed ones.
fn fill_years(indicators: &mut [Indicator], seen: &BTreeMap<IndicatorId, BTreeSet<i32>>) {
    for indicator in indicators.iter_mut() {
        if indicator.years.is_empty() && !matches!(indicator.aggregation, Aggregation::Derived(_)) {
            indicator.years = seen.get(&indicator.id).map(|s| s.iter().copied().collect()).unwrap_or_default();
        }
    }
    for _ in 0..indicators.len() {
        let snapshot: BTreeMap<IndicatorId, (Vec<i32>, bool)> =
            indicators.iter().map(|i| (i.id.clone(), (i.years.clone(), i.timeless))).collect();
        let years_of = |id: &IndicatorId| snapshot.get(id).cloned().unwrap_or_default();
        for indicator in indicators.iter_mut() {
            let Aggregation::Derived(rule) = &indicator.aggregation else { continue };
            if !indicator.years.is_empty() {
                continue;
            }
            indicator.years = match rule {
                Derive::Ratio { numerator: a, denominator: b, .. } | Derive::Difference(a, b) => {
                    let (ya, ta) = years_of(a);
                    let (yb, tb) = years_of(b);
                    if tb {
                        ya
                    } else if ta {
                        yb
                    } else {
                        ya.into_iter().filter(|y| yb.contains(y)).collect()
                    }
                }
                Derive::Change { of, from } => years_of(of).0.into_iter().filter(|y| y > from).collect(),
            };
        }
    }
}

fn read_table(path: &Path, separator: Option<&str>, encoding: Option<&str>) -> Result<TextTable, String> {
    let is_parquet = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if is_parquet {
        return csv::read_parquet(path).map_err(|e| e.to_string());
    }
    let mut options = CsvOptions::default();
    if let Some(sep) = separator {
        let sep = if sep == "\\t" || sep == "tab" { "\t" } else { sep };
        match sep.as_bytes() {
            [b] => options.separator = Some(*b),
            _ => return Err(format!("séparateur « {sep} » : un seul caractère attendu")),
        }
    }
    if let Some(enc) = encoding {
        options.encoding = Some(match crate::text::search_key(enc).replace(' ', "").as_str() {
            "utf8" => TextEncoding::Utf8,
            "utf8bom" | "utf8sig" => TextEncoding::Utf8Bom,
            "windows1252" | "cp1252" | "1252" | "latin1" | "iso88591" | "ansi" => TextEncoding::Windows1252,
            _ => return Err(format!("encodage « {enc} » inconnu ; acceptés : utf-8, windows-1252")),
        });
    }
    csv::read_csv(path, &options).map_err(|e| e.to_string())
}

fn load_zoning(def: &manifest::ZoningDef, dir: &Path, territories: &mut TerritorySet) -> Result<(), String> {
    let path = dir.join(&def.file);
    let table = read_table(&path, None, None)?;
    let column = |given: &Option<String>, default: &str| -> Result<usize, String> {
        let name = given.as_deref().unwrap_or(default);
        table.column_index(name).ok_or_else(|| {
            format!("colonne « {name} » introuvable ; colonnes présentes : {}", table.columns.join(", "))
        })
    };
    let member_col = column(&def.member_column, "code")?;
    let zone_col = column(&def.zone_column, "zone")?;
    let name_col = column(&def.zone_name_column, "nom_zone").ok();
    let member_level = match &def.member_level {
        Some(name) => Level::parse(name, &[]).ok_or_else(|| format!("niveau « {name} » inconnu"))?,
        None => Level::Commune,
    };
    let mut zones: BTreeMap<TerritoryCode, (String, Vec<TerritoryCode>)> = BTreeMap::new();
    for row in 0..table.n_rows() {
        let (Some(member), Some(zone)) = (table.cell(row, member_col), table.cell(row, zone_col)) else {
            return Err(format!("ligne {} : code de membre ou de zone vide", table.line_of_row(row)));
        };
        let name = name_col.and_then(|c| table.cell(row, c)).unwrap_or(zone).to_owned();
        let entry = zones.entry(TerritoryCode::new(zone)).or_insert_with(|| (name, Vec::new()));
        entry.1.push(normalise_code(&member_level, member).0);
    }
    territories.add_zoning(&def.name, &member_level, &zones).map_err(|e| e.to_string())
}

fn read_history(path: &Path) -> Result<BTreeMap<TerritoryCode, TerritoryCode>, String> {
    let table = read_table(path, None, None)?;
    let old = table.column_index("ancien_code").ok_or("colonne « ancien_code » attendue")?;
    let new = table.column_index("nouveau_code").ok_or("colonne « nouveau_code » attendue")?;
    Ok((0..table.n_rows())
        .filter_map(|r| Some((TerritoryCode::new(table.cell(r, old)?), TerritoryCode::new(table.cell(r, new)?))))
        .collect())
}

type LoadedCell = ((IndicatorId, Level, TerritoryCode, i32), RawCell, usize);

/// Reads one data file into raw cells, collecting problems.
struct DataLoader<'a> {
    def: &'a DataDef,
    path: PathBuf,
    indicators: &'a BTreeMap<IndicatorId, &'a Indicator>,
    territories: &'a TerritorySet,
    history: &'a BTreeMap<TerritoryCode, TerritoryCode>,
    issues: Vec<PackIssue>,
    warnings: Vec<Warning>,
    cells: Vec<LoadedCell>,
}

/// A piece of an indicator template.
enum TemplatePart {
    Text(String),
    Column(usize),
}

/// Where one value comes from in a wide row.
struct WideColumn {
    indicator: IndicatorId,
    year: i32,
    value: usize,
    numerator: Option<usize>,
    denominator: Option<usize>,
}

impl DataLoader<'_> {
    fn issue(&mut self, place: String, message: String) {
        if self.issues.len() < MAX_ISSUES_PER_FILE {
            self.issues.push(PackIssue { file: self.path.clone(), place, message });
        } else if self.issues.len() == MAX_ISSUES_PER_FILE {
            self.issues.push(PackIssue {
                file: self.path.clone(),
                place: String::new(),
                message: "trop de problèmes ; les suivants ne sont pas listés".into(),
            });
        }
    }

    fn column(&mut self, table: &TextTable, name: &str) -> Option<usize> {
        let found = table.column_index(name);
        if found.is_none() {
            let hint = suggest(name, table.columns.iter().map(String::as_str));
            self.issue(
                format!("colonne « {name} »"),
                format!("colonne absente du fichier{hint} ; colonnes présentes : {}", table.columns.join(", ")),
            );
        }
        found
    }

    fn load(&mut self) {
        let table = match read_table(&self.path, self.def.separator.as_deref(), self.def.encoding.as_deref()) {
            Ok(t) => t,
            Err(message) => {
                self.issues.push(PackIssue { file: self.path.clone(), place: String::new(), message });
                return;
            }
        };
        let code_name = self.def.code_column.clone().unwrap_or_else(|| {
            ["code", "CODGEO", "codgeo"]
                .into_iter()
                .find(|c| table.column_index(c).is_some())
                .unwrap_or("code")
                .to_owned()
        });
        let Some(code_col) = self.column(&table, &code_name) else { return };
        let custom = self.territories.custom_level_names();
        let fixed_level = match &self.def.level {
            Some(name) => {
                let Some(level) = Level::parse(name, &custom) else {
                    self.issue(
                        "level".into(),
                        format!(
                            "niveau « {name} » inconnu ; acceptés : commune, epci, departement, region, france{}",
                            if custom.is_empty() { String::new() } else { format!(", {}", custom.join(", ")) }
                        ),
                    );
                    return;
                };
                Some(level)
            }
            None => None,
        };
        let level_col = match (&fixed_level, &self.def.level_column) {
            (Some(_), _) => None,
            (None, Some(name)) => match self.column(&table, name) {
                Some(c) => Some(c),
                None => return,
            },
            (None, None) => {
                self.issue(String::new(), "ni « level » ni « level_column » : le niveau des lignes est inconnu".into());
                return;
            }
        };
        match self.def.layout {
            Layout::Wide => {
                let columns = self.wide_columns(&table);
                let year_col = match &self.def.year_column {
                    Some(name) => match self.column(&table, name) {
                        Some(c) => Some(c),
                        None => return,
                    },
                    None => None,
                };
                self.read_rows(&table, code_col, fixed_level.as_ref(), level_col, &custom, |loader, row, line| {
                    let row_year = match year_col {
                        Some(_) => match loader.row_year(&table, row, line, year_col) {
                            Some(y) => Some(y),
                            None => return Vec::new(),
                        },
                        None => None,
                    };
                    columns
                        .iter()
                        .map(|c| {
                            loader.wide_cell(&table, row, line, c).map(|(id, year, cell)| {
                                (id, if year == 0 { row_year.unwrap_or(0) } else { year }, cell)
                            })
                        })
                        .collect()
                });
            }
            Layout::Long => self.load_long(&table, code_col, fixed_level.as_ref(), level_col, &custom),
        }
    }

    fn wide_columns(&mut self, table: &TextTable) -> Vec<WideColumn> {
        let mut out = Vec::new();
        for (n, def) in self.def.columns.iter().enumerate() {
            let id = IndicatorId::new(&def.indicator);
            let Some(indicator) = self.indicators.get(&id).copied() else {
                let hint = suggest(&def.indicator, self.indicators.keys().map(IndicatorId::as_str));
                self.issue(format!("columns[{}]", n + 1), format!("indicateur inconnu « {} »{hint}", def.indicator));
                continue;
            };
            if matches!(indicator.aggregation, Aggregation::Derived(_)) {
                self.issue(
                    format!("columns[{}]", n + 1),
                    format!("l'indicateur « {id} » est calculé (derive) : il ne se lit pas dans un fichier"),
                );
                continue;
            }
            match (&def.column, &def.pattern) {
                (Some(column), None) => {
                    let year =
                        def.year.or(self.def.year).or_else(|| (indicator.years.len() == 1).then(|| indicator.years[0]));
                    let year = if self.def.year_column.is_some() && def.year.is_none() { Some(0) } else { year };
                    let Some(year) = year else {
                        self.issue(format!("colonne « {column} »"), "année manquante : indiquez year = …".into());
                        continue;
                    };
                    let Some(value) = self.column(table, column) else { continue };
                    let numerator = def.numerator.as_deref().and_then(|c| self.column(table, c));
                    let denominator = def.denominator.as_deref().and_then(|c| self.column(table, c));
                    out.push(WideColumn { indicator: id, year, value, numerator, denominator });
                }
                (None, Some(pattern)) => {
                    let matches = match_pattern(pattern, &table.columns);
                    if matches.is_empty() {
                        self.issue(
                            format!("motif « {pattern} »"),
                            format!("aucune colonne ne correspond ; colonnes présentes : {}", table.columns.join(", ")),
                        );
                    }
                    for (year, value, year_text) in matches {
                        let sub = |p: &Option<String>| {
                            p.as_ref().map(|p| p.replace("{year}", &year_text).replace("{yy}", &year_text))
                        };
                        let numerator = sub(&def.numerator).and_then(|c| self.column(table, &c));
                        let denominator = sub(&def.denominator).and_then(|c| self.column(table, &c));
                        out.push(WideColumn { indicator: id.clone(), year, value, numerator, denominator });
                    }
                }
                _ => self.issue(format!("columns[{}]", n + 1), "donnez soit « column », soit « pattern »".into()),
            }
        }
        out
    }

    fn number(&mut self, table: &TextTable, row: usize, col: usize, line: usize) -> Option<NumberCell> {
        let text = table.cell(row, col).unwrap_or("");
        match csv::parse_number(text) {
            Ok(n) => Some(n),
            Err(e) => {
                self.issue(format!("ligne {line}, colonne « {} »", table.columns[col]), e.to_string());
                None
            }
        }
    }

    fn wide_cell(
        &mut self,
        table: &TextTable,
        row: usize,
        line: usize,
        c: &WideColumn,
    ) -> Option<(IndicatorId, i32, RawCell)> {
        let value = self.number(table, row, c.value, line)?;
        let numerator = match c.numerator {
            Some(col) => self.number(table, row, col, line)?,
            None => NumberCell::Missing,
        };
        let denominator = match c.denominator {
            Some(col) => self.number(table, row, col, line)?,
            None => NumberCell::Missing,
        };
        Some((c.indicator.clone(), c.year, raw_cell(value, numerator, denominator)))
    }

    fn load_long(
        &mut self,
        table: &TextTable,
        code_col: usize,
        fixed_level: Option<&Level>,
        level_col: Option<usize>,
        custom: &[String],
    ) {
        let def = self.def;
        let template = def.indicator_template.as_ref().map(|t| self.template_parts(table, t));
        if matches!(template, Some(None)) {
            return;
        }
        let template = template.flatten();
        let indicator_col = match (&def.indicator, &def.indicator_column) {
            (Some(_), _) => None,
            (None, _) if template.is_some() => None,
            (None, Some(name)) => match self.column(table, name) {
                Some(c) => Some(c),
                None => return,
            },
            (None, None) => match self.column(table, "indicateur") {
                Some(c) => Some(c),
                None => return,
            },
        };
        let year_name = def.year_column.clone().unwrap_or_else(|| "annee".into());
        let value_name = def.value_column.clone().unwrap_or_else(|| "valeur".into());
        let year_col = match def.year {
            Some(_) => None,
            None => match self.column(table, &year_name) {
                Some(c) => Some(c),
                None => return,
            },
        };
        let Some(value_col) = self.column(table, &value_name) else { return };
        let numerator_col = def.numerator_column.as_deref().and_then(|c| self.column(table, c));
        let denominator_col = def.denominator_column.as_deref().and_then(|c| self.column(table, c));
        let mut undescribed: BTreeSet<String> = BTreeSet::new();
        self.read_rows(table, code_col, fixed_level, level_col, custom, |loader, row, line| {
            let name = match (indicator_col, &def.indicator, &template) {
                (Some(c), _, _) => table.cell(row, c).unwrap_or("").to_owned(),
                (None, Some(fixed), _) => fixed.clone(),
                (None, None, Some(parts)) => parts
                    .iter()
                    .map(|p| match p {
                        TemplatePart::Text(t) => t.as_str(),
                        TemplatePart::Column(c) => table.cell(row, *c).unwrap_or(""),
                    })
                    .collect(),
                (None, None, None) => String::new(),
            };
            let id = IndicatorId::new(def.indicator_names.get(&name).unwrap_or(&name));
            if !loader.indicators.contains_key(&id) {
                undescribed.insert(name);
                return Vec::new();
            }
            let Some(year) = loader.row_year(table, row, line, year_col) else { return Vec::new() };
            let cell = (|| {
                let value = loader.number(table, row, value_col, line)?;
                let numerator = match numerator_col {
                    Some(c) => loader.number(table, row, c, line)?,
                    None => NumberCell::Missing,
                };
                let denominator = match denominator_col {
                    Some(c) => loader.number(table, row, c, line)?,
                    None => NumberCell::Missing,
                };
                Some(raw_cell(value, numerator, denominator))
            })();
            cell.map(|c| vec![Some((id, year, c))]).unwrap_or_default()
        });
        if !undescribed.is_empty() {
            self.warnings.push(Warning::Other(format!(
                "{} : {} indicateur(s) du fichier non décrit(s) dans le manifeste, ignoré(s) : {}",
                self.path.display(),
                undescribed.len(),
                undescribed.into_iter().take(10).collect::<Vec<_>>().join(", ")
            )));
        }
    }

    fn read_rows(
        &mut self,
        table: &TextTable,
        code_col: usize,
        fixed_level: Option<&Level>,
        level_col: Option<usize>,
        custom: &[String],
        mut cells_of_row: impl FnMut(&mut Self, usize, usize) -> Vec<Option<(IndicatorId, i32, RawCell)>>,
    ) {
        let mut unknown: BTreeMap<Level, BTreeSet<TerritoryCode>> = BTreeMap::new();
        let mut seen: BTreeMap<Level, BTreeSet<TerritoryCode>> = BTreeMap::new();
        let mut filters = Vec::new();
        for (name, wanted) in &self.def.filter {
            match self.column(table, name) {
                Some(c) => filters.push((c, wanted.clone())),
                None => return,
            }
        }
        for row in 0..table.n_rows() {
            if filters.iter().any(|(c, wanted)| table.cell(row, *c).unwrap_or("") != wanted) {
                continue;
            }
            let line = table.line_of_row(row);
            let level = match (fixed_level, level_col) {
                (Some(l), _) => l.clone(),
                (None, Some(c)) => {
                    let text = table.cell(row, c).unwrap_or("");
                    let Some(level) = Level::parse(text, custom) else {
                        self.issue(
                            format!("ligne {line}, colonne « {} »", table.columns[c]),
                            format!("niveau « {text} » inconnu"),
                        );
                        continue;
                    };
                    level
                }
                (None, None) => return,
            };
            let Some(raw_code) = table.cell(row, code_col) else {
                self.issue(
                    format!("ligne {line}, colonne « {} »", table.columns[code_col]),
                    "code de territoire vide".into(),
                );
                continue;
            };
            let code = normalise_code(&level, raw_code).0;
            if self.territories.get(&level, &code).is_none() {
                unknown.entry(level).or_default().insert(code);
                continue;
            }
            seen.entry(level.clone()).or_default().insert(code.clone());
            for (indicator, year, cell) in cells_of_row(self, row, line).into_iter().flatten() {
                self.cells.push(((indicator, level.clone(), code.clone(), year), cell, line));
            }
        }
        for (level, codes) in unknown {
            let other_vintage = codes
                .iter()
                .filter(|c| {
                    self.history.contains_key(*c) || (level == Level::Commune && self.looks_like_old_commune(c))
                })
                .cloned()
                .collect();
            self.warnings.push(Warning::UnknownCodes {
                file: self.path.clone(),
                level,
                count: codes.len(),
                codes: codes.into_iter().take(50).collect(),
                other_vintage,
            });
        }
        for (level, codes) in seen {
            let Some(layer) = self.territories.level(&level) else { continue };
            let without: Vec<TerritoryCode> =
                layer.territories.keys().filter(|c| !codes.contains(*c)).cloned().collect();
            if !without.is_empty() && level != Level::France {
                self.warnings.push(Warning::TerritoriesWithoutData {
                    file: self.path.clone(),
                    level,
                    count: without.len(),
                    examples: without.into_iter().take(10).collect(),
                });
            }
        }
    }

    /// The year of a row: the fixed year of the file, or the year column's value.
    fn row_year(&mut self, table: &TextTable, row: usize, line: usize, year_col: Option<usize>) -> Option<i32> {
        if let Some(year) = self.def.year {
            return Some(year);
        }
        let col = year_col?;
        let text = table.cell(row, col).unwrap_or("");
        let year = text.trim().parse::<i32>().ok();
        if year.is_none() {
            self.issue(
                format!("ligne {line}, colonne « {} »", table.columns[col]),
                format!("« {text} » n'est pas une année"),
            );
        }
        year
    }

    /// Splits an indicator template (`pop_{sexe}_{age}`) into text and column references; `None`
    /// (after reporting) when a column is missing.
    fn template_parts(&mut self, table: &TextTable, template: &str) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            parts.push(TemplatePart::Text(rest[..start].to_owned()));
            let Some(end) = rest[start..].find('}') else {
                self.issue("indicator_template".into(), format!("« {template} » : accolade non fermée"));
                return None;
            };
            let name = &rest[start + 1..start + end];
            parts.push(TemplatePart::Column(self.column(table, name)?));
            rest = &rest[start + end + 1..];
        }
        parts.push(TemplatePart::Text(rest.to_owned()));
        Some(parts)
    }

    /// A commune code shaped like the INSEE ones, in a département whose communes are loaded, but
    /// absent from them: most likely a commune merged or renamed in another COG vintage.
    fn looks_like_old_commune(&self, code: &TerritoryCode) -> bool {
        let s = code.as_str();
        s.len() == 5
            && self.territories.level(&Level::Commune).is_some_and(|layer| {
                layer
                    .territories
                    .range(TerritoryCode::new(&s[..2])..)
                    .next()
                    .is_some_and(|(c, _)| c.as_str().starts_with(&s[..2]))
            })
    }
}

fn raw_cell(value: NumberCell, numerator: NumberCell, denominator: NumberCell) -> RawCell {
    let secret = [value, numerator].contains(&NumberCell::Secret);
    let num = |n: NumberCell| match n {
        NumberCell::Number(v) => Some(v),
        _ => None,
    };
    RawCell {
        value: if secret { None } else { num(value) },
        numerator: if secret { None } else { num(numerator) },
        denominator: num(denominator),
        source_secret: secret,
        computed: false,
        missing_members: 0,
        suppressed: false,
    }
}

/// Columns matching a pattern with `{year}` (four digits) or `{yy}` (two digits, 20yy), with the
/// year and the text that stood for it.
fn match_pattern(pattern: &str, columns: &[String]) -> Vec<(i32, usize, String)> {
    let (placeholder, width) = if pattern.contains("{year}") { ("{year}", 4) } else { ("{yy}", 2) };
    let Some((prefix, suffix)) = pattern.split_once(placeholder) else { return Vec::new() };
    columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let middle = c.strip_prefix(prefix)?.strip_suffix(suffix)?;
            if middle.len() != width || !middle.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i32 = middle.parse().ok()?;
            Some((if width == 2 { 2000 + n } else { n }, i, middle.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_find_one_column_per_year() {
        let columns: Vec<String> = ["code", "pmun_2018", "pmun_2023", "pmun_20x", "P19_POP"].map(String::from).to_vec();
        let found: Vec<i32> = match_pattern("pmun_{year}", &columns).into_iter().map(|m| m.0).collect();
        assert_eq!(found, vec![2018, 2023]);
        assert_eq!(match_pattern("P{yy}_POP", &columns)[0].0, 2019);
    }

    #[test]
    fn suggestions_catch_typos() {
        assert!(suggest("pmun_218", ["pmun_2018", "code"]).contains("pmun_2018"));
        assert_eq!(suggest("zzzz", ["pmun_2018"]), "");
    }
}
