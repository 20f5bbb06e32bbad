//! Zones composed at run time: a user picks units (communes, EPCI, départements…), names the
//! selection, and it becomes a territory of the level [`CUSTOM_ZONES_LEVEL`], usable as an analysis
//! territory or a comparison zone like the zones of a `[[zonings]]` zoning: geometry dissolved from
//! its communes, every indicator aggregated from its communes with the same rules and secrecy.
//!
//! Members above the commune stand for their loaded communes; zones may overlap. A name already
//! used by another zone (ignoring case and accents) is refused rather than replaced, so that a
//! zone never changes under a portrait that shows it: the caller removes the old zone first
//! ([`Pack::remove_custom_zone`], which returns what is needed to add it back for an undo).

use super::Pack;
use crate::code::{Level, TerritoryCode, TerritoryRef};
use crate::diagnostics::Warning;
use crate::territory::{LevelOrigin, TerritoryError};
use crate::text::{search_key, slug};

/// The name of the level that holds the zones composed at run time.
pub const CUSTOM_ZONES_LEVEL: &str = "zones personnalisées";

/// The level that holds the zones composed at run time.
#[must_use]
pub fn custom_zones_level() -> Level {
    Level::Custom(CUSTOM_ZONES_LEVEL.to_owned())
}

/// A zone composed at run time: its reference, its name and its communes, enough to add it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomZone {
    /// Level ([`CUSTOM_ZONES_LEVEL`]) and code.
    pub zone: TerritoryRef,
    /// Its name as given (trimmed).
    pub name: String,
    /// Its communes, sorted.
    pub communes: Vec<TerritoryCode>,
}

impl CustomZone {
    /// The communes as members for [`Pack::add_custom_zone`].
    #[must_use]
    pub fn members(&self) -> Vec<TerritoryRef> {
        self.communes.iter().map(|c| TerritoryRef { level: Level::Commune, code: c.clone() }).collect()
    }
}

/// Why a zone could not be composed or removed.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    /// The name is empty or blank.
    #[error("donnez un nom à la zone")]
    EmptyName,
    /// No member was given.
    #[error("zone « {0} » : choisissez au moins un territoire")]
    NoMember(String),
    /// Members that are not territories of the pack.
    #[error(
        "zone « {name} » : {} territoire(s) inconnu(s) du pack : {}",
        .members.len(),
        .members.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    UnknownMembers {
        /// The zone's name.
        name: String,
        /// The unknown members.
        members: Vec<TerritoryRef>,
    },
    /// A member without any loaded commune (a département outside the pack's communes): nothing
    /// about it could be aggregated.
    #[error(
        "zone « {name} » : {member} ({member_name}) n'a aucune commune chargée dans le pack ; ses valeurs ne pourraient pas être calculées"
    )]
    NoCommune {
        /// The zone's name.
        name: String,
        /// The member.
        member: TerritoryRef,
        /// The member's name.
        member_name: String,
    },
    /// Another zone already has this name (ignoring case and accents).
    #[error(
        "une zone s'appelle déjà « {existing_name} » (code {}) : supprimez-la d'abord ou choisissez un autre nom",
        .existing.code
    )]
    NameTaken {
        /// The name asked for.
        name: String,
        /// The zone that has it.
        existing: TerritoryRef,
        /// Its name as written.
        existing_name: String,
    },
    /// A zoning of the manifest already uses the level name of composed zones.
    #[error(
        "le pack déclare déjà un zonage nommé « {0} » : les zones personnalisées ne peuvent pas y être ajoutées ; renommez ce zonage dans pack.toml"
    )]
    LevelTaken(String),
    /// The territory to remove is not a zone composed at run time.
    #[error("{0} n'est pas une zone personnalisée : seules celles-ci peuvent être supprimées")]
    NotACustomZone(TerritoryRef),
    /// The territories refused the zone.
    #[error(transparent)]
    Territory(#[from] TerritoryError),
}

impl Pack {
    /// Composes a zone from `members` (units of any level, each standing for its loaded communes)
    /// and names it: the zone joins the level [`CUSTOM_ZONES_LEVEL`] under a code made from its name
    /// (`Sambre Avesnois` → `sambre-avesnois`, `-2`, `-3`… when taken), its geometry is dissolved
    /// from its communes, and every indicator, every year, is aggregated from its communes with the
    /// rules and secrecy of the manifest's zonings. A partial coverage (a member EPCI reaching
    /// beyond the loaded communes) is added to [`Pack::warnings`] and flags the zone's values.
    ///
    /// Refused: a blank name, no member, a member unknown to the pack or without loaded communes,
    /// and a name another zone has (ignoring case and accents; remove that zone first).
    pub fn add_custom_zone(&mut self, name: &str, members: &[TerritoryRef]) -> Result<TerritoryRef, ZoneError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ZoneError::EmptyName);
        }
        if members.is_empty() {
            return Err(ZoneError::NoMember(name.to_owned()));
        }
        let mut unknown: Vec<TerritoryRef> =
            members.iter().filter(|m| self.territories.get(&m.level, &m.code).is_none()).cloned().collect();
        if !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            return Err(ZoneError::UnknownMembers { name: name.to_owned(), members: unknown });
        }
        let level = custom_zones_level();
        let wanted_level = search_key(CUSTOM_ZONES_LEVEL);
        for layer in self.territories.levels() {
            let same_name = matches!(&layer.level, Level::Custom(n) if search_key(n) == wanted_level);
            if same_name && (layer.level != level || layer.origin != LevelOrigin::Listed) {
                return Err(ZoneError::LevelTaken(layer.level.key().to_owned()));
            }
        }
        let key = search_key(name);
        if let Some(existing) = self
            .territories
            .level(&level)
            .and_then(|layer| layer.territories.values().find(|t| search_key(&t.name) == key))
        {
            return Err(ZoneError::NameTaken {
                name: name.to_owned(),
                existing: TerritoryRef { level: level.clone(), code: existing.code.clone() },
                existing_name: existing.name.clone(),
            });
        }
        for member in members {
            if self.territories.communes_of(&member.level, &member.code).is_empty() {
                let member_name =
                    self.territories.get(&member.level, &member.code).map(|t| t.name.clone()).unwrap_or_default();
                return Err(ZoneError::NoCommune { name: name.to_owned(), member: member.clone(), member_name });
            }
        }
        let code = self.free_zone_code(&level, name);
        let warning = self.territories.add_listed_zone(&level, &code, name, members)?;
        self.warnings.extend(warning);
        self.store.complete_unit(&self.territories, &level, &code, &mut self.warnings);
        Ok(TerritoryRef { level, code })
    }

    /// Removes a zone composed by [`Pack::add_custom_zone`]: the territory, its values and the
    /// warnings about it; the level goes with its last zone. Returns the zone, whose
    /// [`CustomZone::members`] add it back identically (same code while no other zone took it).
    pub fn remove_custom_zone(&mut self, zone: &TerritoryRef) -> Result<CustomZone, ZoneError> {
        if zone.level != custom_zones_level() {
            return Err(ZoneError::NotACustomZone(zone.clone()));
        }
        let (territory, communes) = self
            .territories
            .remove_listed_zone(&zone.level, &zone.code)
            .ok_or_else(|| ZoneError::NotACustomZone(zone.clone()))?;
        self.store.remove_unit(&zone.level, &zone.code);
        self.warnings.retain(|w| !is_about(w, zone));
        Ok(CustomZone { zone: zone.clone(), name: territory.name, communes })
    }

    /// The zones composed at run time, by code.
    #[must_use]
    pub fn custom_zones(&self) -> Vec<CustomZone> {
        let level = custom_zones_level();
        let Some(layer) = self.territories.level(&level).filter(|l| l.origin == LevelOrigin::Listed) else {
            return Vec::new();
        };
        layer
            .territories
            .values()
            .map(|t| CustomZone {
                zone: TerritoryRef { level: level.clone(), code: t.code.clone() },
                name: t.name.clone(),
                communes: layer.listed_members.get(&t.code).cloned().unwrap_or_default(),
            })
            .collect()
    }

    /// The code of a new zone: its name's slug, with `-2`, `-3`… when another zone has it.
    fn free_zone_code(&self, level: &Level, name: &str) -> TerritoryCode {
        let base = match slug(name) {
            s if s.is_empty() => "zone".to_owned(),
            s => s,
        };
        let taken = |code: &str| self.territories.get(level, &TerritoryCode::new(code)).is_some();
        let mut candidate = base.clone();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        TerritoryCode::new(&candidate)
    }
}

/// Whether a warning concerns this territory (and goes when it goes).
fn is_about(warning: &Warning, zone: &TerritoryRef) -> bool {
    match warning {
        Warning::PartialCoverage { level, code, .. } | Warning::AggregateMismatch { level, code, .. } => {
            *level == zone.level && *code == zone.code
        }
        _ => false,
    }
}
