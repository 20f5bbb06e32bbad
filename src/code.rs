//! Identifiers: territory codes, indicator ids and territorial levels.
//!
//! Codes are text everywhere (`02691`, `2A004`, `200041556`): they are never parsed as numbers, so a
//! leading zero cannot be lost. Every name of a level (keys, French and English labels, plurals,
//! layer ids) is given by [`Level`] here and nowhere else. This module depends only on
//! [`crate::text`] (search keys, [`Lang`]).

use std::fmt;

use crate::text::Lang;

/// An official or user-defined territory code (INSEE commune or département code, EPCI SIREN, region
/// code, `FR`, or the code of a custom zone). Stored trimmed, case preserved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TerritoryCode(String);

impl TerritoryCode {
    /// Wraps a code, trimming surrounding whitespace.
    ///
    /// ```
    /// use indicarto::code::TerritoryCode;
    /// assert_eq!(TerritoryCode::new(" 02691 ").as_str(), "02691");
    /// ```
    #[must_use]
    pub fn new(code: &str) -> Self {
        Self(code.trim().to_owned())
    }

    /// The code as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TerritoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for TerritoryCode {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

/// A territory by level and code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TerritoryRef {
    /// The level the code is read at: `32` is both a région and a département.
    pub level: Level,
    /// The code at that level.
    pub code: TerritoryCode,
}

impl TerritoryRef {
    /// The territory of this code at this level (the code trimmed, as [`TerritoryCode::new`]).
    #[must_use]
    pub fn new(level: Level, code: &str) -> Self {
        TerritoryRef { level, code: TerritoryCode::new(code) }
    }
}

/// `EPCI 200069722`, `commune 80021`: the level's French label and the code, for messages.
impl fmt::Display for TerritoryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.level, self.code)
    }
}

/// The id of an indicator inside a pack (`pmun`, `part_femmes`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct IndicatorId(String);

impl IndicatorId {
    /// Wraps an id, trimming surrounding whitespace.
    #[must_use]
    pub fn new(id: &str) -> Self {
        Self(id.trim().to_owned())
    }

    /// The id as written in the manifest.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndicatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A territorial level. The official levels are ordered from finest to coarsest; custom zonings
/// (user-defined groupings of communes) come after them, by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Commune (INSEE code).
    Commune,
    /// Établissement public de coopération intercommunale (SIREN).
    Epci,
    /// Département (INSEE code, `2A`/`2B` for Corsica).
    Departement,
    /// Région (INSEE code).
    Region,
    /// The whole country (code `FR`).
    France,
    /// A custom zoning, by its name.
    Custom(String),
}

/// The code of the single territory of the France level.
pub const FRANCE_CODE: &str = "FR";

impl Level {
    /// The official levels from finest to coarsest.
    pub const OFFICIAL: [Level; 5] = [Level::Commune, Level::Epci, Level::Departement, Level::Region, Level::France];

    /// Parses a level name as users write it on the command line or in a manifest: `commune`,
    /// `epci`, `departement`, `region`, `france`, with accents or capitals (`Département`,
    /// `RÉGION`), a few common synonyms, or the name of one of `custom` zonings.
    ///
    /// ```
    /// use indicarto::code::Level;
    /// assert_eq!(Level::parse("Département", &[]), Some(Level::Departement));
    /// assert_eq!(Level::parse("EPCI", &[]), Some(Level::Epci));
    /// assert_eq!(Level::parse("demonstrateurs", &["demonstrateurs".into()]),
    ///            Some(Level::Custom("demonstrateurs".into())));
    /// assert_eq!(Level::parse("canton", &[]), None);
    /// ```
    #[must_use]
    pub fn parse(name: &str, custom: &[String]) -> Option<Level> {
        let key = crate::text::search_key(name);
        let level = match key.as_str() {
            "commune" | "communes" | "com" => Level::Commune,
            "epci" | "interco" | "intercommunalite" | "intercommunalites" => Level::Epci,
            "departement" | "departements" | "dep" | "dept" => Level::Departement,
            "region" | "regions" | "reg" => Level::Region,
            "france" | "pays" | "fr" | "country" => Level::France,
            _ => {
                return custom.iter().find(|c| crate::text::search_key(c) == key).map(|c| Level::Custom(c.clone()));
            }
        };
        Some(level)
    }

    /// The machine name used in files and on the command line (`commune`, `epci`, …).
    #[must_use]
    pub fn key(&self) -> &str {
        match self {
            Level::Commune => "commune",
            Level::Epci => "epci",
            Level::Departement => "departement",
            Level::Region => "region",
            Level::France => "france",
            Level::Custom(name) => name,
        }
    }

    /// The level's name in a sentence, singular: « commune », « département », "department"; a
    /// custom zoning keeps its own name. Every level name the application shows comes from here,
    /// [`Level::plural`] and [`Level::layer_label`].
    ///
    /// ```
    /// use indicarto::code::Level;
    /// use indicarto::text::Lang;
    /// assert_eq!(Level::Departement.label(Lang::Fr), "département");
    /// assert_eq!(Level::Departement.label(Lang::En), "department");
    /// assert_eq!(Level::Custom("Pays du Sud".into()).label(Lang::En), "Pays du Sud");
    /// ```
    #[must_use]
    pub fn label(&self, lang: Lang) -> &str {
        match self {
            Level::Commune => "commune",
            Level::Epci => "EPCI",
            Level::Departement => lang.pick("département", "department"),
            Level::Region => lang.pick("région", "region"),
            Level::France => "France",
            Level::Custom(name) => name,
        }
    }

    /// The French label, as messages and the command line (always French) write it: the same as
    /// `label(Lang::Fr)`.
    #[must_use]
    pub fn label_fr(&self) -> &str {
        self.label(Lang::Fr)
    }

    /// The units of the level in a sentence: « parmi les communes », "among the EPCIs".
    ///
    /// ```
    /// use indicarto::code::Level;
    /// use indicarto::text::Lang;
    /// assert_eq!(Level::Epci.plural(Lang::Fr), "EPCI");
    /// assert_eq!(Level::Epci.plural(Lang::En), "EPCIs");
    /// assert_eq!(Level::Custom("bassins".into()).plural(Lang::Fr), "zones « bassins »");
    /// ```
    #[must_use]
    pub fn plural(&self, lang: Lang) -> String {
        match (self, lang) {
            (Level::Commune, _) => "communes".into(),
            (Level::Epci, Lang::Fr) => "EPCI".into(),
            (Level::Epci, Lang::En) => "EPCIs".into(),
            (Level::Departement, Lang::Fr) => "départements".into(),
            (Level::Departement, Lang::En) => "departments".into(),
            (Level::Region, Lang::Fr) => "régions".into(),
            (Level::Region, Lang::En) => "regions".into(),
            (Level::France, Lang::Fr) => "pays".into(),
            (Level::France, Lang::En) => "countries".into(),
            (Level::Custom(name), Lang::Fr) => format!("zones « {name} »"),
            (Level::Custom(name), Lang::En) => format!("“{name}” zones"),
        }
    }

    /// The id of the figure layer holding the level's units (`communes`, `departements`): the same
    /// in every language, since designers and scripts find layers by it. A custom zoning's is its
    /// name as a search key, spaces as hyphens.
    ///
    /// ```
    /// use indicarto::code::Level;
    /// assert_eq!(Level::Departement.layer_id(), "departements");
    /// assert_eq!(Level::Custom("Bassins de vie".into()).layer_id(), "bassins-de-vie");
    /// ```
    #[must_use]
    pub fn layer_id(&self) -> String {
        match self {
            Level::Commune => "communes".into(),
            Level::Epci => "epci".into(),
            Level::Departement => "departements".into(),
            Level::Region => "regions".into(),
            Level::France => "france".into(),
            Level::Custom(name) => crate::text::search_key(name).replace(' ', "-"),
        }
    }

    /// The official level whose units a layer of this id holds (the inverse of
    /// [`Level::layer_id`]); `None` for any other layer.
    ///
    /// ```
    /// use indicarto::code::Level;
    /// assert_eq!(Level::from_layer_id("epci"), Some(Level::Epci));
    /// assert_eq!(Level::from_layer_id("legend"), None);
    /// ```
    #[must_use]
    pub fn from_layer_id(id: &str) -> Option<Level> {
        Level::OFFICIAL.into_iter().find(|level| level.layer_id() == id)
    }

    /// The label of the level's layer, capitalised plural as a layers panel shows it
    /// (« Départements », "Departments"); a custom zoning keeps its own name.
    ///
    /// ```
    /// use indicarto::code::Level;
    /// use indicarto::text::Lang;
    /// assert_eq!(Level::Departement.layer_label(Lang::Fr), "Départements");
    /// assert_eq!(Level::Departement.layer_label(Lang::En), "Departments");
    /// ```
    #[must_use]
    pub fn layer_label(&self, lang: Lang) -> String {
        match self {
            Level::Commune => "Communes".into(),
            Level::Epci => "EPCI".into(),
            Level::Departement => lang.pick("Départements", "Departments").into(),
            Level::Region => lang.pick("Régions", "Regions").into(),
            Level::France => "France".into(),
            Level::Custom(name) => name.clone(),
        }
    }

    /// The keys of the official levels, for messages that list what is accepted:
    /// `commune, epci, departement, region, france`.
    #[must_use]
    pub fn official_keys() -> String {
        Level::OFFICIAL.iter().map(Level::key).collect::<Vec<_>>().join(", ")
    }

    /// Rank from finest (0) to coarsest; custom zonings rank between EPCI and département because
    /// they group communes.
    #[must_use]
    pub fn rank(&self) -> u8 {
        match self {
            Level::Commune => 0,
            Level::Epci => 1,
            Level::Custom(_) => 2,
            Level::Departement => 3,
            Level::Region => 4,
            Level::France => 5,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_fr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_leading_zeros_and_letters() {
        for raw in ["02691", "2A004", "200041556", "01"] {
            assert_eq!(TerritoryCode::new(raw).as_str(), raw);
        }
    }

    #[test]
    fn level_names_accept_accents_and_case() {
        for (name, level) in [
            ("commune", Level::Commune),
            ("COMMUNE", Level::Commune),
            ("epci", Level::Epci),
            ("département", Level::Departement),
            ("DEPARTEMENT", Level::Departement),
            ("Région", Level::Region),
            ("France", Level::France),
        ] {
            assert_eq!(Level::parse(name, &[]), Some(level), "{name}");
        }
    }
}
