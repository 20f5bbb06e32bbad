//! Project files: the analysis as the user left it (pack, territory, comparison zones, template,
//! year, classification, palette, language), saved as JSON atomically and reopened.
//!
//! The file holds choices, never data: reopening reads the pack again, so a project follows its
//! pack's updates. Codes stay text; levels are stored by key (`epci`, `departement`…).
//!
//! Depends on the library and `gui/draft` only: never on the state that applies actions, nor on
//! egui.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::classify::Method;
use crate::code::Level;
use crate::pack::{CustomZone, Pack};
use crate::portrait::{MapExtent, MapOptions, TerritoryRef};
use crate::text::Lang;

use super::draft::Draft;

/// File name extension of project files.
pub const EXTENSION: &str = "indicarto.json";

/// Format version written in every file.
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Place {
    level: String,
    code: String,
}

/// A project file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    version: u32,
    /// The pack folder.
    pub pack: PathBuf,
    territory: Place,
    comparisons: Vec<Place>,
    template: String,
    year: Option<i32>,
    method: String,
    #[serde(default)]
    breaks: Option<Vec<f64>>,
    classes: usize,
    palette: String,
    extent: String,
    same_breaks_across_years: bool,
    lang: String,
    /// Custom zones, rebuilt from their units when the project is reopened.
    #[serde(default)]
    custom_zones: Vec<ZoneFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    name: String,
    members: Vec<Place>,
}

fn place(r: &TerritoryRef) -> Place {
    Place { level: r.level.key().to_owned(), code: r.code.to_string() }
}

fn extent_key(extent: MapExtent) -> &'static str {
    match extent {
        MapExtent::Auto => "auto",
        MapExtent::Territory => "territoire",
        MapExtent::Region => "region",
    }
}

impl Project {
    /// The project of a draft on a pack folder.
    #[must_use]
    pub fn new(pack: &Path, draft: &Draft, zones: &[CustomZone]) -> Project {
        let options = &draft.options;
        Project {
            version: VERSION,
            pack: pack.to_owned(),
            territory: place(&draft.territory),
            comparisons: draft.comparisons.iter().map(place).collect(),
            template: draft.template.clone(),
            year: draft.year,
            method: options.method.key().to_owned(),
            breaks: match &options.method {
                Method::Manual(breaks) => Some(breaks.clone()),
                _ => None,
            },
            classes: options.classes,
            palette: options.palette.clone(),
            extent: extent_key(options.extent).to_owned(),
            same_breaks_across_years: options.same_breaks_across_years,
            lang: options.lang.key().to_owned(),
            custom_zones: zones
                .iter()
                .map(|z| ZoneFile { name: z.name.clone(), members: z.members().iter().map(place).collect() })
                .collect(),
        }
    }

    /// Adds the project's custom zones to the pack (those already there with the same units are
    /// kept as they are).
    pub fn restore_zones(&self, pack: &mut Pack) -> Result<(), String> {
        let custom = pack.territories.custom_level_names();
        let existing = pack.custom_zones();
        for zone in &self.custom_zones {
            let members = zone
                .members
                .iter()
                .map(|p| {
                    Level::parse(&p.level, &custom)
                        .map(|level| TerritoryRef::new(level, &p.code))
                        .ok_or_else(|| format!("zone « {} » : niveau « {} » inconnu", zone.name, p.level))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if existing.iter().any(|z| z.name == zone.name && z.members() == members) {
                continue;
            }
            pack.add_custom_zone(&zone.name, &members).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Reads a project file.
    pub fn read(path: &Path) -> Result<Project, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{} : {e}", path.display()))?;
        let project: Project = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} : fichier de projet illisible, ligne {}, colonne {} : {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if project.version != VERSION {
            return Err(format!(
                "{} : version de projet {} inconnue (cette version d'Indicarto lit la version {VERSION})",
                path.display(),
                project.version
            ));
        }
        Ok(project)
    }

    /// Writes the file atomically: the previous file stays intact if the write is interrupted.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        crate::export::files::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
    }

    /// The draft this project describes on an opened pack; every territory and the template must
    /// exist there.
    pub fn draft(&self, pack: &Pack) -> Result<Draft, String> {
        let custom = pack.territories.custom_level_names();
        let resolve = |p: &Place| {
            let level =
                Level::parse(&p.level, &custom).ok_or_else(|| format!("niveau « {} » inconnu du pack", p.level))?;
            let r = TerritoryRef::new(level, &p.code);
            if pack.territories.get(&r.level, &r.code).is_none() {
                return Err(format!("territoire {} inconnu au niveau {}", r.code, r.level));
            }
            Ok(r)
        };
        if !pack.manifest.templates.iter().any(|t| t.id == self.template) {
            return Err(format!("modèle « {} » absent du pack", self.template));
        }
        let method = Method::parse(&self.method, self.breaks.clone()).map_err(|e| e.to_string())?;
        let extent = match self.extent.as_str() {
            "auto" => MapExtent::Auto,
            "territoire" => MapExtent::Territory,
            "region" => MapExtent::Region,
            other => return Err(format!("étendue de carte « {other} » inconnue")),
        };
        let lang = Lang::parse(&self.lang).ok_or_else(|| format!("langue « {} » inconnue", self.lang))?;
        Ok(Draft {
            territory: resolve(&self.territory)?,
            comparisons: self.comparisons.iter().map(resolve).collect::<Result<_, _>>()?,
            template: self.template.clone(),
            year: self.year,
            options: MapOptions {
                method,
                classes: self.classes,
                palette: self.palette.clone(),
                extent,
                same_breaks_across_years: self.same_breaks_across_years,
                lang,
            },
        })
    }
}
