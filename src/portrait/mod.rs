//! Portraits: the representations a pack's template asks for, built as figures (with the data behind
//! each as a table) for one analysis territory and its comparison zones.
//!
//! This is where domain meets drawing: it reads the pack (territories, indicators, values with
//! secrecy applied) and calls the pure builders of [`crate::chart`] and [`crate::map`]. Nothing below
//! it knows about packs; nothing here draws pixels.
//!
//! Every text a portrait writes itself (titles, table heads, CSV headers, role names) follows
//! [`MapOptions::lang`]; the pack's own texts (indicator labels, units, sources, names) are kept as
//! given, and slugs never depend on the language.
//!
//! Each [`Illustration`] says what it is ([`IllustrationKind`]): a map carries its level and the
//! classification it was drawn with ([`MapInfo`]), so the window reads them instead of guessing
//! from the figure. [`write_portrait`] is the one writer of a portrait's files, whoever asks (the
//! command line, the batch, the window).
//!
//! Rooms: `charts` (key figures, bar, evolution, position, pyramid), `maps` (maps and their
//! classification rules), `write` (files).

mod charts;
mod maps;
mod write;

use std::collections::BTreeSet;

use crate::chart::{ChartText, Entry, Role};
use crate::classify::{ClassifyError, Method};
use crate::code::{FRANCE_CODE, IndicatorId, Level, TerritoryCode};
use crate::export::csv::CsvTable;
use crate::figure::Figure;
use crate::indicator::Indicator;
use crate::pack::Pack;
use crate::pack::template::{Item, Template};
use crate::palette;
use crate::territory::Territory;
use crate::text::Lang;
use crate::value::Value;

pub use crate::code::TerritoryRef;
pub use maps::{Classes, MapInfo, MapSymbols};
pub use write::{FileWarning, PortraitPdf, WriteOptions, Written, write_portrait};

/// Which units a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapExtent {
    /// The units inside the territory when it has several, else the whole region.
    #[default]
    Auto,
    /// The units inside the territory.
    Territory,
    /// The units of the territory's region, the territory outlined.
    Region,
}

impl MapExtent {
    /// Every extent, as the command line lists them.
    pub const ALL: [MapExtent; 3] = [MapExtent::Auto, MapExtent::Territory, MapExtent::Region];

    /// The name the command line takes (`auto`, `territory`, `region`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            MapExtent::Auto => "auto",
            MapExtent::Territory => "territory",
            MapExtent::Region => "region",
        }
    }

    /// The extent of a [`MapExtent::key`], or of the French `territoire` that project files write.
    ///
    /// ```
    /// use indicarto::portrait::MapExtent;
    /// assert_eq!(MapExtent::parse("region"), Some(MapExtent::Region));
    /// assert_eq!(MapExtent::parse("territoire"), Some(MapExtent::Territory));
    /// assert_eq!(MapExtent::parse("monde"), None);
    /// ```
    #[must_use]
    pub fn parse(key: &str) -> Option<MapExtent> {
        if key == "territoire" {
            return Some(MapExtent::Territory);
        }
        MapExtent::ALL.into_iter().find(|e| e.key() == key)
    }
}

/// Map settings a user may change.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Classification method.
    pub method: Method,
    /// Number of classes.
    pub classes: usize,
    /// ColorBrewer palette name; the diverging default is used for data on both sides of zero.
    pub palette: String,
    /// Which units maps show.
    pub extent: MapExtent,
    /// Classify every year of the indicator together, so maps of different years compare.
    pub same_breaks_across_years: bool,
    /// Language of every text of the portrait: titles, legends, notes, table heads, layer labels,
    /// numbers and CSV headers (French by default). The pack's own texts are kept as written.
    pub lang: Lang,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            method: Method::Quantile,
            classes: 5,
            palette: palette::DEFAULT_SEQUENTIAL.to_owned(),
            extent: MapExtent::Auto,
            same_breaks_across_years: false,
            lang: Lang::Fr,
        }
    }
}

/// The validated analysis: territory, comparison zones, year.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The analysis territory.
    pub territory: TerritoryRef,
    /// Comparison zones, in display order.
    pub comparisons: Vec<TerritoryRef>,
    /// Year; each indicator's latest when absent or not offered.
    pub year: Option<i32>,
}

/// One representation of a portrait: what it is, its figure and the data behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Illustration {
    /// Stable file stem (`03-barres-densite`), the same in every language; only file names use it.
    pub slug: String,
    /// The figure's title, as shown in the window's grid and as the title of a one-figure PDF.
    pub title: String,
    /// What it is: a map (with its level and classification), a chart or a table.
    pub kind: IllustrationKind,
    /// The drawing every output is made from.
    pub figure: Figure,
    /// The data shown, for CSV export.
    pub data: CsvTable,
}

/// What an illustration is, for those who read more than its drawing (the window's histogram, its
/// map view, a future document writer).
#[derive(Debug, Clone, PartialEq)]
pub enum IllustrationKind {
    /// The key-figures table.
    Table,
    /// A chart of one indicator.
    Chart(ChartKind),
    /// A thematic map (boxed: tables and charts carry nothing).
    Map(Box<MapInfo>),
}

/// The kind of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Comparison bars.
    Bar,
    /// Lines over the years.
    Evolution,
    /// The territory among the units of its region (beeswarm).
    Position,
    /// Population pyramid.
    Pyramid,
}

impl Illustration {
    /// The map's level and classification, when the illustration is a map.
    #[must_use]
    pub fn map(&self) -> Option<&MapInfo> {
        match &self.kind {
            IllustrationKind::Map(info) => Some(info),
            IllustrationKind::Table | IllustrationKind::Chart(_) => None,
        }
    }
}

/// Why a portrait could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PortraitError {
    /// No such territory.
    #[error("territoire {code} inconnu au niveau {level}")]
    UnknownTerritory {
        /// The level asked.
        level: Level,
        /// The code asked.
        code: TerritoryCode,
    },
    /// A template names an indicator the pack does not have (only a template built by hand can:
    /// a pack's templates are checked when it opens).
    #[error("indicateur « {0} » inconnu du pack")]
    UnknownIndicator(IndicatorId),
    /// No such template.
    #[error("modèle « {id} » inconnu ; modèles du pack : {known}")]
    UnknownTemplate {
        /// The id asked.
        id: String,
        /// The ids offered.
        known: String,
    },
    /// The pack has no template.
    #[error("le pack ne propose aucun modèle de portrait")]
    NoTemplate,
    /// A count cannot be mapped as a choropleth.
    #[error(
        "« {label} » est un effectif : une carte choroplèthe de valeurs brutes induit en erreur (les grands territoires dominent) ; utilisez des cercles proportionnels, ou un taux"
    )]
    ChoroplethOfCount {
        /// The indicator's label.
        label: String,
    },
    /// Classification failed.
    #[error("{indicator} : {source}")]
    Classify {
        /// Indicator label.
        indicator: String,
        /// What the classifier refused (too many classes, manual breaks out of order…).
        source: ClassifyError,
    },
    /// Unknown palette.
    #[error("palette « {0} » inconnue")]
    UnknownPalette(String),
}

/// The comparison zones proposed by default: the territory's département, its région and France,
/// those that differ from it.
#[must_use]
pub fn default_comparisons(pack: &Pack, territory: &TerritoryRef) -> Vec<TerritoryRef> {
    let mut zones = Vec::new();
    let parents =
        pack.territories.get(&territory.level, &territory.code).map(|t| t.parents.clone()).unwrap_or_default();
    let region = parents.get(&Level::Region).cloned().or_else(|| main_region(pack, territory));
    let departement = parents.get(&Level::Departement).cloned().or_else(|| main_departement(pack, territory));
    if territory.level.rank() < Level::Departement.rank()
        && let Some(dep) = departement
    {
        zones.push(TerritoryRef { level: Level::Departement, code: dep });
    }
    if territory.level.rank() < Level::Region.rank()
        && let Some(region) = region
    {
        zones.push(TerritoryRef { level: Level::Region, code: region });
    }
    if territory.level != Level::France {
        zones.push(TerritoryRef::new(Level::France, FRANCE_CODE));
    }
    zones.retain(|z| pack.territories.get(&z.level, &z.code).is_some());
    zones
}

/// The territory's own parent at that level, or for units without one (EPCI, custom zones) the parent
/// that most of their communes share.
fn main_parent(pack: &Pack, territory: &TerritoryRef, parent_level: &Level) -> Option<TerritoryCode> {
    if let Some(parent) =
        pack.territories.get(&territory.level, &territory.code).and_then(|t| t.parents.get(parent_level))
    {
        return Some(parent.clone());
    }
    let communes = pack.territories.members(&territory.level, &territory.code, &Level::Commune);
    let mut counts: std::collections::BTreeMap<&TerritoryCode, usize> = std::collections::BTreeMap::new();
    for commune in &communes {
        if let Some(p) = commune.parents.get(parent_level) {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(code, n)| (*n, std::cmp::Reverse(*code))).map(|(c, _)| c.clone())
}

fn main_region(pack: &Pack, territory: &TerritoryRef) -> Option<TerritoryCode> {
    if territory.level == Level::Region {
        return Some(territory.code.clone());
    }
    main_parent(pack, territory, &Level::Region)
}

fn main_departement(pack: &Pack, territory: &TerritoryRef) -> Option<TerritoryCode> {
    main_parent(pack, territory, &Level::Departement)
}

/// The template with this id, or the pack's first.
pub fn template<'a>(pack: &'a Pack, id: Option<&str>) -> Result<&'a Template, PortraitError> {
    let templates = &pack.templates;
    match id {
        Some(id) => templates.iter().find(|t| t.id == id).ok_or_else(|| PortraitError::UnknownTemplate {
            id: id.to_owned(),
            known: templates.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "),
        }),
        None => templates.first().ok_or(PortraitError::NoTemplate),
    }
}

/// Builds every representation of a template.
pub fn build_portrait(
    pack: &Pack,
    selection: &Selection,
    template: &Template,
    options: &MapOptions,
) -> Result<Vec<Illustration>, PortraitError> {
    let builder = Builder::new(pack, selection, options.lang)?;
    let mut out = Vec::with_capacity(template.items.len());
    for (index, item) in template.items.iter().enumerate() {
        let mut illustration = builder.item(item, options)?;
        illustration.slug = format!("{:02}-{}", index + 1, illustration.slug);
        out.push(illustration);
    }
    Ok(out)
}

/// What every item of one portrait reads: the pack, the selection, the zones in table order.
struct Builder<'a> {
    pack: &'a Pack,
    selection: &'a Selection,
    territory: &'a Territory,
    zones: Vec<(&'a Territory, Role)>,
    lang: Lang,
}

/// "Source : X." or "Source: X.".
fn source_line(source: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("Source : {source}."),
        Lang::En => format!("Source: {source}."),
    }
}

impl<'a> Builder<'a> {
    fn new(pack: &'a Pack, selection: &'a Selection, lang: Lang) -> Result<Self, PortraitError> {
        let find = |r: &TerritoryRef| {
            pack.territories
                .get(&r.level, &r.code)
                .ok_or_else(|| PortraitError::UnknownTerritory { level: r.level.clone(), code: r.code.clone() })
        };
        let territory = find(&selection.territory)?;
        let mut zones = vec![(territory, Role::Territory)];
        for zone in &selection.comparisons {
            zones.push((find(zone)?, Role::Comparison));
        }
        Ok(Builder { pack, selection, territory, zones, lang })
    }

    fn indicator(&self, id: &IndicatorId) -> Result<&'a Indicator, PortraitError> {
        self.pack.store.indicator(id).ok_or_else(|| PortraitError::UnknownIndicator(id.clone()))
    }

    fn year(&self, indicator: &Indicator) -> i32 {
        match self.selection.year {
            Some(y) if indicator.years.contains(&y) => y,
            _ => indicator.years.last().copied().unwrap_or(0),
        }
    }

    fn value(&self, indicator: &Indicator, t: &Territory, year: i32) -> Value {
        self.pack.store.value(&indicator.id, &t.level, &t.code, year)
    }

    fn source(&self, indicator: &Indicator) -> String {
        let mut s = String::new();
        if !indicator.source.is_empty() {
            s.push_str(&source_line(&indicator.source, self.lang));
            s.push(' ');
        }
        s.push_str(&self.pack.manifest.pack.attribution);
        s.trim().to_owned()
    }

    fn entry(&self, indicator: &Indicator, t: &Territory, role: Role, year: i32) -> Entry {
        Entry { code: t.code.to_string(), name: t.name.clone(), value: self.value(indicator, t, year), role }
    }

    fn chart_text(&self, indicator: &Indicator, title: String, year: Option<i32>) -> ChartText {
        let subtitle = match year {
            Some(y) if indicator.unit.is_empty() => format!("{}, {y}", indicator.label),
            Some(y) => format!("{}, {y} ({})", indicator.label, indicator.unit),
            None if indicator.unit.is_empty() => indicator.label.clone(),
            None => format!("{} ({})", indicator.label, indicator.unit),
        };
        ChartText {
            title,
            subtitle,
            source: self.source(indicator),
            unit: indicator.unit.clone(),
            decimals: usize::from(indicator.decimals),
            lang: self.lang,
        }
    }

    fn item(&self, item: &Item, options: &MapOptions) -> Result<Illustration, PortraitError> {
        let title = item.title();
        Ok(match item {
            Item::KeyFigures { indicators, .. } => {
                let indicators = indicators.iter().map(|id| self.indicator(id)).collect::<Result<Vec<_>, _>>()?;
                self.key_figures(&indicators, title)
            }
            Item::Bar { indicator, .. } => self.bar(self.indicator(indicator)?, title),
            Item::Evolution { indicator, .. } => self.evolution(self.indicator(indicator)?, title),
            Item::Position { indicator, level, .. } => {
                self.position(self.indicator(indicator)?, &self.item_level(level.as_ref()), title)
            }
            Item::Pyramid { bands, .. } => {
                let indicators = |sex: fn(&crate::pack::template::AgeBand) -> &IndicatorId| {
                    bands.iter().map(|b| self.indicator(sex(b))).collect::<Result<Vec<_>, _>>()
                };
                let labels: Vec<String> = bands.iter().map(|b| b.label.clone()).collect();
                self.pyramid(&labels, &indicators(|b| &b.men)?, &indicators(|b| &b.women)?, title)
            }
            Item::Map { indicator, level, .. } => {
                self.map(self.indicator(indicator)?, &self.item_level(level.as_ref()), title, options)?
            }
        })
    }

    fn units_within(&self, level: &Level, within: &TerritoryRef) -> Vec<&'a Territory> {
        units_within(self.pack, level, within)
    }

    fn region_of_territory(&self) -> TerritoryRef {
        let here = &self.selection.territory;
        match main_region(self.pack, here) {
            Some(code) if here.level.rank() <= Level::Region.rank() => TerritoryRef { level: Level::Region, code },
            _ => TerritoryRef::new(Level::France, FRANCE_CODE),
        }
    }

    /// The level a template item names, else the territory's own.
    fn item_level(&self, level: Option<&Level>) -> Level {
        level.cloned().unwrap_or_else(|| self.territory.level.clone())
    }
}

/// The units of `level` that lie in `within`, sorted by code: through their own parent link (or the
/// list of a zone composed at run time), or through their communes for levels without one (EPCI).
#[must_use]
pub fn units_within<'a>(pack: &'a Pack, level: &Level, within: &TerritoryRef) -> Vec<&'a Territory> {
    let Some(layer) = pack.territories.level(level) else { return Vec::new() };
    if &within.level == level {
        return layer.territories.get(&within.code).into_iter().collect();
    }
    if within.level == Level::France {
        return layer.territories.values().collect();
    }
    let direct = pack.territories.members(&within.level, &within.code, level);
    if !direct.is_empty() {
        return direct;
    }
    let through_communes: BTreeSet<&TerritoryCode> = pack
        .territories
        .members(&within.level, &within.code, &Level::Commune)
        .into_iter()
        .filter_map(|c| c.parents.get(level))
        .collect();
    through_communes.into_iter().filter_map(|code| layer.territories.get(code)).collect()
}

/// Checks that a map of this indicator may be a choropleth (semiology: never raw counts).
pub fn check_choropleth(indicator: &Indicator) -> Result<(), PortraitError> {
    if indicator.is_count() { Err(PortraitError::ChoroplethOfCount { label: indicator.label.clone() }) } else { Ok(()) }
}
