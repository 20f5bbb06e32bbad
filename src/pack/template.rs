//! Portrait templates ("projets") validated once, when the pack opens: each `[[templates]]` item of
//! the manifest becomes an [`Item`] that holds exactly what its representation needs (one indicator
//! for a bar chart, a [`Level`] for a map, matched age bands for a pyramid). A template naming an
//! unknown indicator or level, or giving a field its kind does not use, is a [`PackIssue`] that
//! `indicarto check` lists, never an item the portrait silently leaves out.
//!
//! Knows the manifest's raw definitions, [`Indicator`]s and [`Level`]; nothing about drawing (the
//! portrait builder reads these types, never the manifest).

use std::collections::BTreeSet;
use std::path::Path;

use super::manifest::{ItemDef, ItemKind, Manifest};
use super::validate::suggest;
use super::{CUSTOM_ZONES_LEVEL, PackIssue};
use crate::code::{IndicatorId, Level};
use crate::indicator::Indicator;

/// A portrait template, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The id the command line (`--template`) and project files name it by, unique in the pack.
    pub id: String,
    /// The title users pick it by; the portrait PDF's title starts with it.
    pub title: String,
    /// What the template shows, for the window's list (may be empty).
    pub description: String,
    /// The representations, in the order the portrait shows and numbers them.
    pub items: Vec<Item>,
}

/// One representation of a template, with what it needs and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// The key-figures table: one row per indicator, one column per zone.
    KeyFigures {
        /// The rows, in order.
        indicators: Vec<IndicatorId>,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
    /// One indicator over the years, for the territory and its comparison zones.
    Evolution {
        /// The indicator.
        indicator: IndicatorId,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
    /// One indicator compared across the territory and its comparison zones.
    Bar {
        /// The indicator.
        indicator: IndicatorId,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
    /// The territory among every unit of a level of its region.
    Position {
        /// The indicator.
        indicator: IndicatorId,
        /// The units it is placed among; the territory's own level when `None`.
        level: Option<Level>,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
    /// A thematic map of the units of a level (choropleth, or circles for a count).
    Map {
        /// The indicator.
        indicator: IndicatorId,
        /// The units drawn; the territory's own level when `None`.
        level: Option<Level>,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
    /// A population pyramid.
    Pyramid {
        /// The age bands, youngest first, each with its men's and women's indicator.
        bands: Vec<AgeBand>,
        /// Title given by the template; a default in the portrait's language when absent.
        title: Option<String>,
    },
}

/// One age band of a pyramid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeBand {
    /// Its label on the chart and in the CSV (`0-14 ans`).
    pub label: String,
    /// The men of the band.
    pub men: IndicatorId,
    /// The women of the band.
    pub women: IndicatorId,
}

impl Item {
    /// The title the template gives, if any.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        match self {
            Item::KeyFigures { title, .. }
            | Item::Evolution { title, .. }
            | Item::Bar { title, .. }
            | Item::Position { title, .. }
            | Item::Map { title, .. }
            | Item::Pyramid { title, .. } => title.as_deref(),
        }
    }
}

/// The level names a template may use besides the official ones: the custom levels of the
/// boundary layers, the `[[zonings]]`, and the level of the zones users compose at run time.
fn custom_level_names(manifest: &Manifest) -> Vec<String> {
    let mut names: Vec<String> = manifest
        .boundaries
        .iter()
        .filter_map(|b| b.level.clone())
        .filter(|name| Level::parse(name, &[]).is_none())
        .chain(manifest.zonings.iter().map(|z| z.name.clone()))
        .collect();
    names.push(CUSTOM_ZONES_LEVEL.to_owned());
    names
}

/// Validates every template of the manifest against its indicators: the templates as they will be
/// drawn, with every problem met added to `issues` (the pack does not open then).
pub(super) fn validate(
    manifest: &Manifest,
    file: &Path,
    indicators: &[Indicator],
    issues: &mut Vec<PackIssue>,
) -> Vec<Template> {
    let checker = Checker {
        file,
        ids: indicators.iter().map(|i| i.id.as_str()).collect(),
        custom_levels: custom_level_names(manifest),
    };
    let mut seen = BTreeSet::new();
    let mut templates = Vec::with_capacity(manifest.templates.len());
    for def in &manifest.templates {
        if !seen.insert(def.id.as_str()) {
            issues.push(checker.issue(format!("modèle {}", def.id), "identifiant de modèle déjà utilisé".into()));
        }
        let items = def
            .items
            .iter()
            .enumerate()
            .filter_map(|(n, item)| checker.item(item, &format!("modèle {}, élément {}", def.id, n + 1), issues))
            .collect();
        templates.push(Template {
            id: def.id.clone(),
            title: def.title.clone(),
            description: def.description.clone(),
            items,
        });
    }
    templates
}

/// A problem already added to the issues: the item is left out, nothing more to say.
struct Reported;

struct Checker<'a> {
    file: &'a Path,
    ids: BTreeSet<&'a str>,
    custom_levels: Vec<String>,
}

/// The kind's name as a pack author writes it, for messages.
fn kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::KeyFigures => "key_figures",
        ItemKind::Bar => "bar",
        ItemKind::Evolution => "evolution",
        ItemKind::Pyramid => "pyramid",
        ItemKind::Position => "position",
        ItemKind::Map => "map",
    }
}

impl Checker<'_> {
    fn issue(&self, place: String, message: String) -> PackIssue {
        PackIssue { file: self.file.to_owned(), place, message }
    }

    /// The id, if the pack defines it; else an issue with the closest id as a hint.
    fn indicator(&self, id: &str, place: &str, issues: &mut Vec<PackIssue>) -> Option<IndicatorId> {
        if self.ids.contains(id) {
            return Some(IndicatorId::new(id));
        }
        issues.push(
            self.issue(
                place.to_owned(),
                format!("indicateur inconnu « {id} »{}", suggest(id, self.ids.iter().copied())),
            ),
        );
        None
    }

    /// The level an item names (`None`: the territory's own), or [`Reported`] with its issue.
    fn level(&self, name: Option<&str>, place: &str, issues: &mut Vec<PackIssue>) -> Result<Option<Level>, Reported> {
        let Some(name) = name else { return Ok(None) };
        if let Some(level) = Level::parse(name, &self.custom_levels) {
            return Ok(Some(level));
        }
        let mut known: Vec<String> = Level::OFFICIAL.iter().map(|l| l.key().to_owned()).collect();
        known.extend(self.custom_levels.iter().cloned());
        issues.push(self.issue(
            place.to_owned(),
            format!(
                "niveau « {name} » inconnu{} ; niveaux acceptés : {}",
                suggest(name, known.iter().map(String::as_str)),
                known.join(", ")
            ),
        ));
        Err(Reported)
    }

    /// Fields the kind does not use are refused rather than ignored: a pack author who writes
    /// `level` on a bar chart, or two indicators on a map, expects something that would not happen.
    fn unused_fields(&self, item: &ItemDef, place: &str, issues: &mut Vec<PackIssue>) {
        let kind = kind_name(item.kind);
        let mut unused = Vec::new();
        if item.kind == ItemKind::Pyramid {
            if !item.indicators.is_empty() {
                unused.push("indicators");
            }
        } else if !(item.men.is_empty() && item.women.is_empty() && item.bands.is_empty()) {
            unused.push("men / women / bands");
        }
        if item.level.is_some() && !matches!(item.kind, ItemKind::Map | ItemKind::Position) {
            unused.push("level");
        }
        for field in unused {
            issues.push(self.issue(
                place.to_owned(),
                format!("« {field} » ne s'applique pas à un élément « {kind} » (retirez-le)"),
            ));
        }
        let single = matches!(item.kind, ItemKind::Bar | ItemKind::Evolution | ItemKind::Position | ItemKind::Map);
        if single && item.indicators.len() > 1 {
            issues.push(self.issue(
                place.to_owned(),
                format!(
                    "un élément « {kind} » montre un seul indicateur, {} donnés : écrivez un élément par indicateur",
                    item.indicators.len()
                ),
            ));
        }
    }

    /// The item, or `None` with its issues.
    fn item(&self, item: &ItemDef, place: &str, issues: &mut Vec<PackIssue>) -> Option<Item> {
        let before = issues.len();
        self.unused_fields(item, place, issues);
        let title = item.title.clone();
        let built = match item.kind {
            ItemKind::KeyFigures => {
                if item.indicators.is_empty() {
                    issues.push(self.issue(place.to_owned(), "aucun indicateur".into()));
                }
                let indicators = item.indicators.iter().filter_map(|id| self.indicator(id, place, issues)).collect();
                Some(Item::KeyFigures { indicators, title })
            }
            ItemKind::Bar => self.single(item, place, issues).map(|indicator| Item::Bar { indicator, title }),
            ItemKind::Evolution => {
                self.single(item, place, issues).map(|indicator| Item::Evolution { indicator, title })
            }
            ItemKind::Position => {
                let indicator = self.single(item, place, issues);
                let level = self.level(item.level.as_deref(), place, issues);
                Some(Item::Position { indicator: indicator?, level: level.ok()?, title })
            }
            ItemKind::Map => {
                let indicator = self.single(item, place, issues);
                let level = self.level(item.level.as_deref(), place, issues);
                Some(Item::Map { indicator: indicator?, level: level.ok()?, title })
            }
            ItemKind::Pyramid => self.pyramid(item, place, issues).map(|bands| Item::Pyramid { bands, title }),
        };
        built.filter(|_| issues.len() == before)
    }

    /// The one indicator of a chart or map (a second one is refused by [`Checker::unused_fields`]).
    fn single(&self, item: &ItemDef, place: &str, issues: &mut Vec<PackIssue>) -> Option<IndicatorId> {
        let Some(first) = item.indicators.first() else {
            issues.push(self.issue(place.to_owned(), "aucun indicateur".into()));
            return None;
        };
        self.indicator(first, place, issues)
    }

    fn pyramid(&self, item: &ItemDef, place: &str, issues: &mut Vec<PackIssue>) -> Option<Vec<AgeBand>> {
        if item.men.len() != item.women.len() || item.men.len() != item.bands.len() || item.men.is_empty() {
            issues.push(self.issue(
                place.to_owned(),
                "une pyramide demande autant d'indicateurs « men » et « women » que de tranches « bands »".into(),
            ));
            return None;
        }
        let bands: Vec<Option<AgeBand>> = item
            .bands
            .iter()
            .zip(item.men.iter().zip(&item.women))
            .map(|(label, (men, women))| {
                let men = self.indicator(men, place, issues);
                let women = self.indicator(women, place, issues);
                Some(AgeBand { label: label.clone(), men: men?, women: women? })
            })
            .collect();
        bands.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::parse_manifest;

    const HEAD: &str = r#"
[pack]
id = "t"
title = "T"

[[zonings]]
name = "Bassins de vie"
file = "bassins.csv"

[[indicators]]
id = "pop"
label = "Population"
aggregation = "sum"

[[indicators]]
id = "part"
label = "Part"
aggregation = "rate"
scale = 100
"#;

    fn indicators() -> Vec<Indicator> {
        ["pop", "part"]
            .into_iter()
            .map(|id| Indicator {
                id: IndicatorId::new(id),
                label: id.into(),
                definition: String::new(),
                unit: String::new(),
                source: String::new(),
                theme: String::new(),
                years: vec![2020],
                decimals: 1,
                aggregation: crate::indicator::Aggregation::Sum,
                polarity: crate::indicator::Polarity::Neutral,
                secrecy_min: None,
                secondary_secrecy: false,
                timeless: false,
            })
            .collect()
    }

    fn check(items: &str) -> (Vec<Template>, Vec<String>) {
        let text = format!("{HEAD}\n[[templates]]\nid = \"m\"\ntitle = \"M\"\nitems = [\n{items}\n]\n");
        let manifest = parse_manifest(Path::new("pack.toml"), &text).unwrap();
        let mut issues = Vec::new();
        let templates = validate(&manifest, Path::new("pack.toml"), &indicators(), &mut issues);
        (templates, issues.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn items_become_what_they_draw() {
        let (templates, issues) = check(
            r#"{ kind = "key_figures", indicators = ["pop", "part"] },
               { kind = "map", indicators = ["part"], level = "Département" },
               { kind = "position", indicators = ["part"], level = "bassins de vie", title = "Place" },
               { kind = "bar", indicators = ["part"] },
               { kind = "pyramid", men = ["pop"], women = ["pop"], bands = ["0-14"] }"#,
        );
        assert!(issues.is_empty(), "{issues:?}");
        let items = &templates[0].items;
        assert_eq!(
            items[1],
            Item::Map { indicator: IndicatorId::new("part"), level: Some(Level::Departement), title: None }
        );
        assert_eq!(
            items[2],
            Item::Position {
                indicator: IndicatorId::new("part"),
                level: Some(Level::Custom("Bassins de vie".into())),
                title: Some("Place".into())
            }
        );
        assert_eq!(items[2].title(), Some("Place"));
        let Item::Pyramid { bands, .. } = &items[4] else { panic!("{:?}", items[4]) };
        assert_eq!(bands[0].label, "0-14");
    }

    /// What the portrait used to drop without a word is now a problem `check` lists.
    #[test]
    fn unknown_ids_levels_and_stray_fields_are_issues() {
        let (templates, issues) = check(
            r#"{ kind = "map", indicators = ["prat"], level = "commune" },
               { kind = "map", indicators = ["part"], level = "canton" },
               { kind = "bar", indicators = ["part", "pop"], level = "epci" },
               { kind = "evolution", indicators = [] }"#,
        );
        assert!(
            issues[0].contains("élément 1 : indicateur inconnu « prat » (vouliez-vous dire « part » ?)"),
            "{issues:?}"
        );
        assert!(issues[1].contains("élément 2 : niveau « canton » inconnu"), "{issues:?}");
        assert!(issues[1].contains("commune, epci, departement, region, france, Bassins de vie"), "{issues:?}");
        assert!(issues.iter().any(|i| i.contains("élément 3 : « level » ne s'applique pas")), "{issues:?}");
        assert!(
            issues.iter().any(|i| i.contains("élément 3 : un élément « bar » montre un seul indicateur, 2 donnés"))
        );
        assert!(issues.iter().any(|i| i.contains("élément 4 : aucun indicateur")), "{issues:?}");
        assert_eq!(issues.len(), 5, "{issues:?}");
        assert!(templates[0].items.is_empty());
    }

    #[test]
    fn pyramids_need_matching_bands() {
        let (_, issues) =
            check(r#"{ kind = "pyramid", men = ["pop"], women = [], bands = ["0-14"], indicators = ["pop"] }"#);
        assert!(issues.iter().any(|i| i.contains("autant d'indicateurs")), "{issues:?}");
        assert!(issues.iter().any(|i| i.contains("« indicators » ne s'applique pas à un élément « pyramid »")));
    }
}
