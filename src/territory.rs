//! Territories: codes, names, levels, membership in upper levels, and one geometry per territory,
//! built from boundary layers.
//!
//! Which attribute holds the code, the name and the parent codes is read from a [`LayerSpec`]; when
//! the spec leaves it open, the IGN ADMIN EXPRESS names (`INSEE_COM`, `SIREN_EPCI`, `INSEE_DEP`,
//! `INSEE_REG`, `CODE_SIREN`, `NOM`) and the lower-case `code/nom/dep/reg/epci` schema are tried. Upper
//! levels without a file are dissolved from communes. Depends on [`crate::boundary`] and
//! [`crate::code`]; knows nothing of indicators.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use geo::{Area, ChamberlainDuquetteArea, MultiPolygon};

mod names;

use crate::boundary::{self, BoundaryError, Crs, Layer, LoadOptions};
use crate::code::{FRANCE_CODE, Level, TerritoryCode, TerritoryRef};
use crate::diagnostics::Warning;

/// How to read one boundary file as one level.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// The file (`.shp`, `.geojson`, `.gpkg`, or a `.zip` holding one).
    pub file: PathBuf,
    /// The layer to read from a file holding several (a GeoPackage table, a Shapefile of a zip).
    #[serde(default)]
    pub layer: Option<String>,
    /// The level; detected from the field names when absent.
    #[serde(default)]
    pub level: Option<String>,
    /// Field holding the territory code; detected when absent.
    #[serde(default)]
    pub code_field: Option<String>,
    /// Field holding the name; detected when absent.
    #[serde(default)]
    pub name_field: Option<String>,
    /// Fields holding the codes of upper levels, by level name (`epci = "SIREN_EPCI"`).
    #[serde(default)]
    pub parents: BTreeMap<String, String>,
}

/// One territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    /// Its code.
    pub code: TerritoryCode,
    /// Its name (the code when the file gives none).
    pub name: String,
    /// Its level.
    pub level: Level,
    /// The territories it belongs to, by level.
    pub parents: BTreeMap<Level, TerritoryCode>,
}

/// The territories of one level and their geometry.
#[derive(Debug, Clone)]
pub struct LevelLayer {
    /// The level.
    pub level: Level,
    /// Territories by code, sorted.
    pub territories: BTreeMap<TerritoryCode, Territory>,
    /// Geometry by code, in the set's CRS. A territory may have none (France without a file).
    pub geometry: BTreeMap<TerritoryCode, MultiPolygon<f64>>,
    /// Where the level came from.
    pub origin: LevelOrigin,
    /// For zones listed unit by unit ([`LevelOrigin::Listed`]), the communes of each zone, sorted.
    /// Such zones may overlap, so their communes do not name them in their `parents`. Empty for
    /// every other level.
    pub listed_members: BTreeMap<TerritoryCode, Vec<TerritoryCode>>,
}

impl LevelLayer {
    /// A level whose members name their units in their `parents` (no listed members).
    fn new(
        level: Level,
        territories: BTreeMap<TerritoryCode, Territory>,
        geometry: BTreeMap<TerritoryCode, MultiPolygon<f64>>,
        origin: LevelOrigin,
    ) -> Self {
        LevelLayer { level, territories, geometry, origin, listed_members: BTreeMap::new() }
    }
}

/// Where the territories and geometry of a level came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelOrigin {
    /// Read from a boundary file.
    File(PathBuf),
    /// Dissolved from the communes' parent fields.
    DissolvedFromCommunes,
    /// A custom zoning, dissolved from units of this level.
    Zoning(Level),
    /// The France level, implicit.
    Implicit,
    /// Zones built at run time from a list of units ([`TerritorySet::add_listed_zone`]), each
    /// dissolved from its communes.
    Listed,
}

impl std::fmt::Display for LevelOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LevelOrigin::File(path) => {
                write!(
                    f,
                    "fichier {}",
                    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
                )
            }
            LevelOrigin::DissolvedFromCommunes => f.write_str("dissous depuis les communes"),
            LevelOrigin::Zoning(level) => write!(f, "zonage personnalisé de niveau {level}"),
            LevelOrigin::Implicit => f.write_str("ensemble des territoires chargés"),
            LevelOrigin::Listed => f.write_str("zones composées dans l'application"),
        }
    }
}

/// All territories of all loaded levels.
#[derive(Debug, Clone)]
pub struct TerritorySet {
    levels: BTreeMap<Level, LevelLayer>,
    /// The CRS of every geometry in the set (the first layer's).
    pub crs: Crs,
    /// Share of each territory's area covered by its loaded members, where below 98 %.
    partial: BTreeMap<(Level, TerritoryCode), f64>,
    /// Partial problems found while building the set.
    pub warnings: Vec<Warning>,
}

/// Why a set of territories could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TerritoryError {
    /// A file could not be read.
    #[error(transparent)]
    Boundary(#[from] BoundaryError),
    /// A field named in the spec, or any known code field, is absent.
    #[error("{path} : champ {what} introuvable (essayés : {tried}) ; champs présents : {present}")]
    MissingField {
        /// The file.
        path: PathBuf,
        /// Which role (`de code`, `de nom`, `parent epci`).
        what: String,
        /// Names tried.
        tried: String,
        /// Names in the file.
        present: String,
    },
    /// The level could not be recognised.
    #[error("{path} : niveau « {given} » inconnu ; niveaux acceptés : commune, epci, departement, region, france")]
    UnknownLevel {
        /// The file.
        path: PathBuf,
        /// What was given or detected.
        given: String,
    },
    /// The level was not given and the fields do not tell it.
    #[error(
        "{path} : impossible de deviner le niveau (communes, EPCI, départements, régions) d'après les champs {present} ; indiquez-le (level = \"commune\")"
    )]
    UndetectedLevel {
        /// The file.
        path: PathBuf,
        /// Names in the file.
        present: String,
    },
    /// Two files for the same level.
    #[error("{path} : le niveau {level} est déjà chargé depuis un autre fichier")]
    DuplicateLevel {
        /// The second file.
        path: PathBuf,
        /// The level.
        level: Level,
    },
    /// A custom zoning definition is unusable.
    #[error("{0}")]
    Zoning(String),
}

const CODE_FIELDS: &[(&str, &[&str])] = &[
    ("commune", &["INSEE_COM", "CODGEO", "code_insee", "INSEE", "code", "COM"]),
    ("epci", &["CODE_SIREN", "SIREN_EPCI", "siren", "code_siren", "EPCI", "code"]),
    ("departement", &["INSEE_DEP", "code_dep", "DEP", "code"]),
    ("region", &["INSEE_REG", "code_reg", "REG", "code"]),
    ("france", &["code", "CODE"]),
];
const NAME_FIELDS: &[&str] = &["NOM", "nom", "NOM_COM", "NOM_EPCI", "NOM_DEP", "NOM_REG", "LIBGEO", "libelle", "name"];
const PARENT_FIELDS: &[(&str, &[&str])] = &[
    ("epci", &["SIREN_EPCI", "epci", "CODE_EPCI", "EPCI"]),
    ("departement", &["INSEE_DEP", "dep", "DEP", "code_dep"]),
    ("region", &["INSEE_REG", "reg", "REG", "code_reg"]),
];

/// Guesses the level of a layer from its field names, as `indicarto info` does.
#[must_use]
pub fn detect_level(fields: &[String]) -> Option<Level> {
    let has = |name: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(name));
    let has_exact = |name: &str| fields.iter().any(|f| f == name);
    if has("INSEE_COM") || has("CODGEO") || (has_exact("code") && (has_exact("epci") || has_exact("dep"))) {
        Some(Level::Commune)
    } else if has("CODE_SIREN") || (has_exact("siren") && !has_exact("code")) {
        Some(Level::Epci)
    } else if has("INSEE_DEP") || (has_exact("code") && has_exact("reg")) {
        Some(Level::Departement)
    } else if has("INSEE_REG") || has_exact("code") {
        Some(Level::Region)
    } else {
        None
    }
}

fn find_field(layer: &Layer, given: Option<&str>, candidates: &[&str]) -> Option<usize> {
    match given {
        Some(name) => layer.field_index(name),
        None => candidates
            .iter()
            .find_map(|c| layer.fields.iter().position(|f| f == c))
            .or_else(|| candidates.iter().find_map(|c| layer.field_index(c))),
    }
}

/// Normalises a code as read from a file: INSEE codes that lost their leading zero to a
/// spreadsheet (`2691` for `02691`, `1` for `01`) get it back; everything else is kept as written.
pub(crate) fn normalise_code(level: &Level, raw: &str) -> (TerritoryCode, bool) {
    let width = match level {
        Level::Commune => 5,
        Level::Departement | Level::Region => 2,
        _ => 0,
    };
    let raw = raw.trim();
    let raw = raw.strip_suffix(".0").unwrap_or(raw);
    if raw.len() < width && !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        (TerritoryCode::new(&format!("{raw:0>width$}")), true)
    } else {
        (TerritoryCode::new(raw), false)
    }
}

/// Share of a territory's area its loaded members must cover for its aggregates to count as whole:
/// the 2 % left allow for boundary files simplified differently.
const MIN_COVERED_SHARE: f64 = 0.98;

/// Area in square metres, geodesic when the CRS is geographic.
#[must_use]
pub fn area_m2(geometry: &MultiPolygon<f64>, geographic: bool) -> f64 {
    if geographic { geometry.chamberlain_duquette_unsigned_area() } else { geometry.unsigned_area() }
}

impl TerritorySet {
    /// Loads every layer, reprojects them into the CRS of the first one, links each territory to
    /// its upper levels, dissolves upper levels that have no file, and checks coverage.
    pub fn load(specs: &[LayerSpec], base_dir: &Path, options: &LoadOptions) -> Result<Self, TerritoryError> {
        let mut layers = Vec::with_capacity(specs.len());
        for spec in specs {
            let path = base_dir.join(&spec.file);
            let options = LoadOptions { layer: spec.layer.clone(), ..options.clone() };
            layers.push((spec, boundary::load_layer(&path, &options)?));
        }
        Self::from_layers(layers)
    }

    /// Builds the set from layers already read.
    pub fn from_layers(layers: Vec<(&LayerSpec, Layer)>) -> Result<Self, TerritoryError> {
        let crs = layers.first().map_or_else(Crs::lambert93, |(_, l)| l.crs.clone());
        let mut set = TerritorySet { levels: BTreeMap::new(), crs, partial: BTreeMap::new(), warnings: Vec::new() };
        for (spec, mut layer) in layers {
            if layer.crs != set.crs {
                layer.reproject(&set.crs)?;
            }
            set.warnings.extend(layer.warnings.iter().cloned().map(Warning::Other));
            set.add_layer(spec, layer)?;
        }
        set.dissolve_missing_levels();
        set.link_parents();
        set.add_france();
        set.check_coverage();
        Ok(set)
    }

    fn add_layer(&mut self, spec: &LayerSpec, layer: Layer) -> Result<(), TerritoryError> {
        let present = || layer.fields.join(", ");
        let level = match &spec.level {
            Some(name) => Level::parse(name, std::slice::from_ref(name))
                .ok_or_else(|| TerritoryError::UnknownLevel { path: layer.path.clone(), given: name.clone() })?,
            None => detect_level(&layer.fields)
                .ok_or_else(|| TerritoryError::UndetectedLevel { path: layer.path.clone(), present: present() })?,
        };
        if self.levels.contains_key(&level) {
            return Err(TerritoryError::DuplicateLevel { path: layer.path.clone(), level });
        }
        let code_candidates =
            CODE_FIELDS.iter().find(|(key, _)| *key == level.key()).map_or(&["code", "CODE"][..], |(_, c)| *c);
        let code_index = find_field(&layer, spec.code_field.as_deref(), code_candidates).ok_or_else(|| {
            TerritoryError::MissingField {
                path: layer.path.clone(),
                what: "de code".into(),
                tried: spec.code_field.clone().unwrap_or_else(|| code_candidates.join(", ")),
                present: present(),
            }
        })?;
        let name_index = match &spec.name_field {
            Some(name) => Some(layer.field_index(name).ok_or_else(|| TerritoryError::MissingField {
                path: layer.path.clone(),
                what: "de nom".into(),
                tried: name.clone(),
                present: present(),
            })?),
            None => find_field(&layer, None, NAME_FIELDS),
        };
        let mut parent_indices = Vec::new();
        for (key, candidates) in PARENT_FIELDS {
            let parent = Level::parse(key, &[]).unwrap_or(Level::France);
            if parent.rank() <= level.rank() {
                continue;
            }
            let given = spec.parents.iter().find(|(k, _)| Level::parse(k, &[]) == Some(parent.clone()));
            let index = match given {
                Some((_, field)) => Some(layer.field_index(field).ok_or_else(|| TerritoryError::MissingField {
                    path: layer.path.clone(),
                    what: format!("parent {key}"),
                    tried: field.clone(),
                    present: present(),
                })?),
                // An EPCI file's `reg`/`dep` would be ambiguous (EPCI straddle borders): only
                // explicit parents are read there.
                None if level == Level::Epci => None,
                None => find_field(&layer, None, candidates).filter(|&i| i != code_index),
            };
            if let Some(i) = index {
                parent_indices.push((parent, i));
            }
        }

        let mut territories = BTreeMap::new();
        let mut geometry: BTreeMap<TerritoryCode, MultiPolygon<f64>> = BTreeMap::new();
        let mut repaired = 0usize;
        let mut merged = 0usize;
        let mut without_code = 0usize;
        for feature in layer.features {
            let Some(raw) = feature.attributes[code_index].as_deref() else {
                without_code += 1;
                continue;
            };
            let (code, was_repaired) = normalise_code(&level, raw);
            repaired += usize::from(was_repaired);
            let name =
                name_index.and_then(|i| feature.attributes[i].clone()).unwrap_or_else(|| code.as_str().to_owned());
            let parents = parent_indices
                .iter()
                .filter_map(|(parent, i)| {
                    feature.attributes[*i].as_deref().map(|raw| (parent.clone(), normalise_code(parent, raw).0))
                })
                .collect();
            if let Some(existing) = geometry.get_mut(&code) {
                merged += 1;
                existing.0.extend(feature.geometry.0);
                continue;
            }
            geometry.insert(code.clone(), feature.geometry);
            territories.insert(code.clone(), Territory { code, name, level: level.clone(), parents });
        }
        let file = layer.path.display();
        if repaired > 0 {
            self.warnings.push(Warning::Other(format!(
                "{file} : {repaired} code(s) sans leur zéro initial (abîmés par un tableur ?) ont été complétés"
            )));
        }
        if merged > 0 {
            self.warnings.push(Warning::Other(format!(
                "{file} : {merged} entité(s) répètent le code d'une autre ; leurs polygones ont été réunis"
            )));
        }
        if without_code > 0 {
            self.warnings.push(Warning::Other(format!("{file} : {without_code} entité(s) sans code ignorée(s)")));
        }
        self.levels.insert(
            level.clone(),
            LevelLayer::new(level, territories, geometry, LevelOrigin::File(layer.path.clone())),
        );
        Ok(())
    }

    /// Upper levels named by the communes' parent fields but not loaded from a file are built by
    /// dissolving the communes.
    fn dissolve_missing_levels(&mut self) {
        let Some(communes) = self.levels.get(&Level::Commune) else { return };
        let mut built = Vec::new();
        let mut notes = Vec::new();
        for level in [Level::Epci, Level::Departement, Level::Region] {
            if self.levels.contains_key(&level) {
                continue;
            }
            let members: Vec<(TerritoryCode, &MultiPolygon<f64>)> = communes
                .territories
                .values()
                .filter_map(|t| Some((t.parents.get(&level)?.clone(), communes.geometry.get(&t.code)?)))
                .collect();
            if members.is_empty() {
                continue;
            }
            let geometry = boundary::dissolve::dissolve(members);
            let mut unnamed = Vec::new();
            let territories = geometry
                .keys()
                .map(|code| {
                    // Named from the bundled COG; a code it does not know keeps its code as name.
                    let name = names::official_name(&level, code.as_str()).map_or_else(
                        || {
                            unnamed.push(code.as_str());
                            code.as_str().to_owned()
                        },
                        str::to_owned,
                    );
                    let territory =
                        Territory { code: code.clone(), name, level: level.clone(), parents: BTreeMap::new() };
                    (code.clone(), territory)
                })
                .collect();
            if !unnamed.is_empty() {
                let shown: Vec<&str> = unnamed.iter().take(10).copied().collect();
                notes.push(Warning::Other(format!(
                    "{} {} dissous depuis les communes ont un code absent du {} ({}{}) : ils sont nommés par leur code",
                    unnamed.len(),
                    level.label_fr(),
                    names::COG_VINTAGE,
                    shown.join(", "),
                    if unnamed.len() > shown.len() { ", …" } else { "" }
                )));
            }
            built.push(LevelLayer::new(level, territories, geometry, LevelOrigin::DissolvedFromCommunes));
        }
        for layer in built {
            self.levels.insert(layer.level.clone(), layer);
        }
        self.warnings.extend(notes);
    }

    /// Fills in parents that can be inferred: a département's region for its communes, the region
    /// of a dissolved département from its communes, and France for everyone.
    fn link_parents(&mut self) {
        let dep_regions: BTreeMap<TerritoryCode, TerritoryCode> = self
            .levels
            .get(&Level::Departement)
            .map(|deps| {
                deps.territories
                    .values()
                    .filter_map(|d| Some((d.code.clone(), d.parents.get(&Level::Region)?.clone())))
                    .collect()
            })
            .unwrap_or_default();
        let mut commune_dep_regions: BTreeMap<TerritoryCode, TerritoryCode> = BTreeMap::new();
        if let Some(communes) = self.levels.get_mut(&Level::Commune) {
            for commune in communes.territories.values_mut() {
                if !commune.parents.contains_key(&Level::Region)
                    && let Some(region) = commune.parents.get(&Level::Departement).and_then(|d| dep_regions.get(d))
                {
                    commune.parents.insert(Level::Region, region.clone());
                }
                if let (Some(dep), Some(region)) =
                    (commune.parents.get(&Level::Departement), commune.parents.get(&Level::Region))
                {
                    commune_dep_regions.entry(dep.clone()).or_insert_with(|| region.clone());
                }
            }
        }
        if let Some(deps) = self.levels.get_mut(&Level::Departement) {
            for dep in deps.territories.values_mut() {
                if !dep.parents.contains_key(&Level::Region)
                    && let Some(region) = commune_dep_regions.get(&dep.code)
                {
                    dep.parents.insert(Level::Region, region.clone());
                }
            }
        }
        let france = TerritoryCode::new(FRANCE_CODE);
        for layer in self.levels.values_mut() {
            for t in layer.territories.values_mut() {
                t.parents.insert(Level::France, france.clone());
            }
        }
    }

    fn add_france(&mut self) {
        if self.levels.contains_key(&Level::France) {
            return;
        }
        let code = TerritoryCode::new(FRANCE_CODE);
        let territory =
            Territory { code: code.clone(), name: "France".into(), level: Level::France, parents: BTreeMap::new() };
        self.levels.insert(
            Level::France,
            LevelLayer::new(Level::France, BTreeMap::from([(code, territory)]), BTreeMap::new(), LevelOrigin::Implicit),
        );
    }

    /// Compares the area of each upper-level territory read from a file with the area of its
    /// loaded communes: a territory that reaches beyond them (an inter-regional EPCI seen from a
    /// regional commune layer) gets a warning, and its computed aggregates are flagged partial.
    fn check_coverage(&mut self) {
        let geographic = self.crs.is_geographic();
        let Some(communes) = self.levels.get(&Level::Commune) else { return };
        let mut findings = Vec::new();
        for level in [Level::Epci, Level::Departement, Level::Region] {
            let Some(layer) = self.levels.get(&level) else { continue };
            if !matches!(layer.origin, LevelOrigin::File(_)) {
                continue;
            }
            let mut member_area: BTreeMap<&TerritoryCode, f64> = BTreeMap::new();
            for commune in communes.territories.values() {
                if let (Some(parent), Some(g)) = (commune.parents.get(&level), communes.geometry.get(&commune.code)) {
                    *member_area.entry(parent).or_default() += area_m2(g, geographic);
                }
            }
            for (code, covered) in member_area {
                let (Some(unit), Some(g)) = (layer.territories.get(code), layer.geometry.get(code)) else { continue };
                let own = area_m2(g, geographic);
                if own > 0.0 && covered / own < MIN_COVERED_SHARE {
                    findings.push((level.clone(), unit.code.clone(), unit.name.clone(), covered / own));
                }
            }
        }
        for (level, code, name, share) in findings {
            self.warnings.push(Warning::PartialCoverage {
                level: level.clone(),
                code: code.clone(),
                name,
                member_level: Level::Commune,
                covered_share: share,
            });
            self.partial.insert((level, code), share);
        }
    }

    /// Adds a custom zoning: each zone groups the communes (or other units of `member_level`) listed
    /// for it; its geometry is dissolved from theirs.
    pub fn add_zoning(
        &mut self,
        name: &str,
        member_level: &Level,
        zones: &BTreeMap<TerritoryCode, (String, Vec<TerritoryCode>)>,
    ) -> Result<(), TerritoryError> {
        let level = Level::Custom(name.to_owned());
        if Level::parse(name, &[]).is_some() || self.levels.contains_key(&level) {
            return Err(TerritoryError::Zoning(format!("le zonage « {name} » porte le nom d'un niveau existant")));
        }
        let members_layer = self.levels.get_mut(member_level).ok_or_else(|| {
            TerritoryError::Zoning(format!(
                "zonage « {name} » : le niveau {member_level} de ses membres n'est pas chargé"
            ))
        })?;
        let mut unknown = Vec::new();
        for (zone, (_, members)) in zones {
            for member in members {
                match members_layer.territories.get_mut(member) {
                    Some(t) => {
                        t.parents.insert(level.clone(), zone.clone());
                    }
                    None => unknown.push(member.as_str().to_owned()),
                }
            }
        }
        if !unknown.is_empty() {
            return Err(TerritoryError::Zoning(format!(
                "zonage « {name} » : {} membre(s) inconnu(s) au niveau {member_level} : {}",
                unknown.len(),
                unknown.join(", ")
            )));
        }
        let members_layer = &self.levels[member_level];
        let geometry = boundary::dissolve::dissolve(zones.iter().flat_map(|(zone, (_, members))| {
            members.iter().filter_map(|m| members_layer.geometry.get(m).map(|g| (zone.clone(), g)))
        }));
        let territories = zones
            .iter()
            .map(|(code, (label, _))| {
                let parents = BTreeMap::from([(Level::France, TerritoryCode::new(FRANCE_CODE))]);
                (code.clone(), Territory { code: code.clone(), name: label.clone(), level: level.clone(), parents })
            })
            .collect();
        self.levels.insert(
            level.clone(),
            LevelLayer::new(level, territories, geometry, LevelOrigin::Zoning(member_level.clone())),
        );
        Ok(())
    }

    /// The communes of a territory, sorted: itself for a commune, the communes of a listed zone,
    /// those that name it as a parent, or for a zone of a zoning made of other units (EPCI) the
    /// communes of those units. Empty when none is loaded.
    #[must_use]
    pub fn communes_of(&self, level: &Level, code: &TerritoryCode) -> Vec<TerritoryCode> {
        if *level == Level::Commune {
            return self.get(level, code).map(|t| vec![t.code.clone()]).unwrap_or_default();
        }
        let direct = self.members(level, code, &Level::Commune);
        if !direct.is_empty() {
            return direct.into_iter().map(|t| t.code.clone()).collect();
        }
        match self.levels.get(level).map(|l| &l.origin) {
            Some(LevelOrigin::Zoning(member_level)) if *member_level != Level::Commune => {
                let communes: BTreeSet<TerritoryCode> = self
                    .members(level, code, member_level)
                    .into_iter()
                    .flat_map(|m| self.communes_of(member_level, &m.code))
                    .collect();
                communes.into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Adds one zone made of `members` (units of any level, each standing for its loaded communes) to
    /// the custom level `level`, created when absent. Unlike the zones of a zoning, such zones may
    /// overlap: their communes are kept in [`LevelLayer::listed_members`] rather than in the
    /// communes' parents. The geometry is the union of the communes'; the zone belongs to France,
    /// like a zoning's zones, and its département and région are those most of its communes share
    /// (`portrait::default_comparisons`).
    ///
    /// When a member is itself only partly covered by the loaded communes (an EPCI reaching into a
    /// région that is not loaded), the zone's coverage is checked as for the levels read from files,
    /// and the returned warning says how much of it the loaded communes cover.
    pub fn add_listed_zone(
        &mut self,
        level: &Level,
        code: &TerritoryCode,
        name: &str,
        members: &[TerritoryRef],
    ) -> Result<Option<Warning>, TerritoryError> {
        let zoning = |message: String| TerritoryError::Zoning(message);
        if !matches!(level, Level::Custom(_)) {
            return Err(zoning(format!("le niveau {level} ne peut pas recevoir de zone composée")));
        }
        if let Some(layer) = self.levels.get(level) {
            if layer.origin != LevelOrigin::Listed {
                return Err(zoning(format!(
                    "le niveau « {level} » est un zonage du pack ({}) : il ne peut pas recevoir de zone composée",
                    layer.origin
                )));
            }
            if layer.territories.contains_key(code) {
                return Err(zoning(format!("le code « {code} » est déjà celui d'une zone du niveau « {level} »")));
            }
        }
        let unknown: Vec<String> =
            members.iter().filter(|m| self.get(&m.level, &m.code).is_none()).map(ToString::to_string).collect();
        if !unknown.is_empty() {
            return Err(zoning(format!("zone « {name} » : membre(s) inconnu(s) : {}", unknown.join(", "))));
        }
        let geographic = self.crs.is_geographic();
        let communes_layer = self.levels.get(&Level::Commune);
        let commune_area =
            |c: &TerritoryCode| communes_layer.and_then(|l| l.geometry.get(c)).map_or(0.0, |g| area_m2(g, geographic));
        let mut communes = BTreeSet::new();
        let mut missing_area = 0.0;
        for member in members {
            let of_member = self.communes_of(&member.level, &member.code);
            if of_member.is_empty() {
                let member_name = self.get(&member.level, &member.code).map_or("", |t| t.name.as_str());
                return Err(zoning(format!(
                    "zone « {name} » : {member} ({member_name}) n'a aucune commune chargée dans le pack"
                )));
            }
            if let Some(share) = self.partial_coverage(&member.level, &member.code)
                && share > 0.0
            {
                let covered: f64 = of_member.iter().map(commune_area).sum();
                missing_area += covered / share - covered;
            }
            communes.extend(of_member);
        }
        let communes: Vec<TerritoryCode> = communes.into_iter().collect();
        let covered: f64 = communes.iter().map(commune_area).sum();
        let share = if covered + missing_area > 0.0 { covered / (covered + missing_area) } else { 1.0 };
        let geometry = communes_layer
            .map(|layer| {
                boundary::dissolve::dissolve(communes.iter().filter_map(|c| layer.geometry.get(c).map(|g| ((), g))))
            })
            .and_then(|mut merged| merged.remove(&()))
            .unwrap_or_else(|| MultiPolygon::new(Vec::new()));

        let layer = self
            .levels
            .entry(level.clone())
            .or_insert_with(|| LevelLayer::new(level.clone(), BTreeMap::new(), BTreeMap::new(), LevelOrigin::Listed));
        let parents = BTreeMap::from([(Level::France, TerritoryCode::new(FRANCE_CODE))]);
        let territory = Territory { code: code.clone(), name: name.to_owned(), level: level.clone(), parents };
        layer.territories.insert(code.clone(), territory);
        layer.geometry.insert(code.clone(), geometry);
        layer.listed_members.insert(code.clone(), communes);
        if share >= MIN_COVERED_SHARE {
            return Ok(None);
        }
        self.partial.insert((level.clone(), code.clone()), share);
        Ok(Some(Warning::PartialCoverage {
            level: level.clone(),
            code: code.clone(),
            name: name.to_owned(),
            member_level: Level::Commune,
            covered_share: share,
        }))
    }

    /// Removes a zone added by [`TerritorySet::add_listed_zone`], and its level when it was the last
    /// one; returns the zone and its communes. Nothing happens (`None`) for any other territory.
    pub fn remove_listed_zone(
        &mut self,
        level: &Level,
        code: &TerritoryCode,
    ) -> Option<(Territory, Vec<TerritoryCode>)> {
        let layer = self.levels.get_mut(level).filter(|l| l.origin == LevelOrigin::Listed)?;
        let territory = layer.territories.remove(code)?;
        layer.geometry.remove(code);
        let communes = layer.listed_members.remove(code).unwrap_or_default();
        if layer.territories.is_empty() {
            self.levels.remove(level);
        }
        self.partial.remove(&(level.clone(), code.clone()));
        Some((territory, communes))
    }

    /// The loaded levels, finest first.
    pub fn levels(&self) -> impl Iterator<Item = &LevelLayer> {
        let mut all: Vec<&LevelLayer> = self.levels.values().collect();
        all.sort_by_key(|l| (l.level.rank(), l.level.clone()));
        all.into_iter()
    }

    /// One level.
    #[must_use]
    pub fn level(&self, level: &Level) -> Option<&LevelLayer> {
        self.levels.get(level)
    }

    /// The names of the custom zonings, for [`Level::parse`].
    #[must_use]
    pub fn custom_level_names(&self) -> Vec<String> {
        self.levels
            .keys()
            .filter_map(|l| match l {
                Level::Custom(name) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// One territory.
    #[must_use]
    pub fn get(&self, level: &Level, code: &TerritoryCode) -> Option<&Territory> {
        self.levels.get(level)?.territories.get(code)
    }

    /// The territories of `member_level` that belong to `code` of `level`, sorted by code: those
    /// that name it in their `parents`, or for a listed zone its communes.
    #[must_use]
    pub fn members(&self, level: &Level, code: &TerritoryCode, member_level: &Level) -> Vec<&Territory> {
        if *member_level == Level::Commune
            && let Some(listed) = self.levels.get(level).and_then(|l| l.listed_members.get(code))
        {
            return listed.iter().filter_map(|c| self.get(&Level::Commune, c)).collect();
        }
        self.levels.get(member_level).map_or_else(Vec::new, |layer| {
            layer.territories.values().filter(|t| t.parents.get(level) == Some(code)).collect()
        })
    }

    /// The share of a territory's area covered by its loaded communes, when below 98 %.
    #[must_use]
    pub fn partial_coverage(&self, level: &Level, code: &TerritoryCode) -> Option<f64> {
        self.partial.get(&(level.clone(), code.clone())).copied()
    }

    /// Finds territories whose name or code contains `query`, ignoring case and accents; exact
    /// codes first, then names that start with the query, then the others, coarsest level first.
    #[must_use]
    pub fn search(&self, query: &str) -> Vec<&Territory> {
        let key = crate::text::search_key(query);
        if key.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, u8, &Territory)> = self
            .levels
            .values()
            .flat_map(|l| l.territories.values())
            .filter_map(|t| {
                let name = crate::text::search_key(&t.name);
                let code = t.code.as_str().to_ascii_lowercase();
                let rank = if code == key {
                    0
                } else if name.starts_with(&key) {
                    1
                } else if name.contains(&key) || code.starts_with(&key) {
                    2
                } else {
                    return None;
                };
                Some((rank, 5 - t.level.rank().min(5), t))
            })
            .collect();
        hits.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
        hits.into_iter().map(|(_, _, t)| t).collect()
    }
}
