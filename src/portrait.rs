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

use std::collections::BTreeSet;

use crate::chart::{self, ChartText, Entry, Role, Series, TableCell, TableFigure};
use crate::classify::{self, Classification, ClassifyError, Method};
use crate::code::{FRANCE_CODE, IndicatorId, Level, TerritoryCode};
use crate::export::csv::{CsvCell, CsvTable};
use crate::figure::Figure;
use crate::indicator::Indicator;
use crate::map::{self, MapSpec, MapUnit, Symbolisation};
use crate::pack::Pack;
use crate::pack::manifest::{ItemDef, ItemKind, TemplateDef};
use crate::palette;
use crate::territory::Territory;
use crate::text::Lang;
use crate::value::Value;

pub use crate::code::TerritoryRef;

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

/// Map settings a user may change.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Classification method.
    pub method: Method,
    /// Number of classes.
    pub classes: usize,
    /// ColorBrewer palette name; the diverging default is used for data on both sides of zero.
    pub palette: String,
    /// Units shown.
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

/// One representation of a portrait: its figure and the data behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Illustration {
    /// Stable file stem (`03-barres-densite`).
    pub slug: String,
    /// Title.
    pub title: String,
    /// The drawing.
    pub figure: Figure,
    /// The data shown, for CSV export.
    pub data: CsvTable,
}

/// Why a portrait could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PortraitError {
    /// No such territory.
    #[error("territoire {code} inconnu au niveau {level}")]
    UnknownTerritory {
        /// Level.
        level: Level,
        /// Code.
        code: TerritoryCode,
    },
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
        /// Why.
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
pub fn template<'a>(pack: &'a Pack, id: Option<&str>) -> Result<&'a TemplateDef, PortraitError> {
    let templates = &pack.manifest.templates;
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
    template: &TemplateDef,
    options: &MapOptions,
) -> Result<Vec<Illustration>, PortraitError> {
    let builder = Builder::new(pack, selection, options.lang)?;
    let mut out = Vec::with_capacity(template.items.len());
    for (index, item) in template.items.iter().enumerate() {
        if let Some(mut illustration) = builder.item(item, options)? {
            illustration.slug = format!("{:02}-{}", index + 1, illustration.slug);
            out.push(illustration);
        }
    }
    Ok(out)
}

struct Builder<'a> {
    pack: &'a Pack,
    selection: &'a Selection,
    territory: &'a Territory,
    zones: Vec<(&'a Territory, Role)>,
    lang: Lang,
}

/// A territory's role in the data tables.
fn role_name(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Territory => lang.pick("territoire", "territory"),
        Role::Comparison => lang.pick("comparaison", "comparison"),
        Role::Other => lang.pick("autre", "other"),
    }
}

/// The header of a data table listing entries.
fn entries_header(lang: Lang) -> Vec<String> {
    let header = match lang {
        Lang::Fr => ["code", "nom", "role", "annee", "valeur"],
        Lang::En => ["code", "name", "role", "year", "value"],
    };
    header.map(String::from).to_vec()
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

    fn indicator(&self, id: &str) -> Option<&'a Indicator> {
        self.pack.store.indicator(&IndicatorId::new(id))
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

    fn item(&self, item: &ItemDef, options: &MapOptions) -> Result<Option<Illustration>, PortraitError> {
        let first = item.indicators.first().and_then(|id| self.indicator(id));
        Ok(match item.kind {
            ItemKind::KeyFigures => Some(self.key_figures(item)),
            ItemKind::Bar => first.map(|i| self.bar(i, item)),
            ItemKind::Evolution => first.map(|i| self.evolution(i, item)),
            ItemKind::Position => first.map(|i| self.position(i, item)),
            ItemKind::Pyramid => Some(self.pyramid(item)),
            ItemKind::Map => match first {
                Some(i) => Some(self.map(i, item, options)?),
                None => None,
            },
        })
    }

    fn key_figures(&self, item: &ItemDef) -> Illustration {
        let indicators: Vec<&Indicator> = item.indicators.iter().filter_map(|id| self.indicator(id)).collect();
        let lang = self.lang;
        let mut columns =
            [lang.pick("Indicateur", "Indicator"), lang.pick("Unité", "Unit"), lang.pick("Année", "Year")]
                .map(String::from)
                .to_vec();
        columns.extend(self.zones.iter().map(|(t, _)| t.name.clone()));
        let mut rows = Vec::new();
        let header = match lang {
            Lang::Fr => ["indicateur", "libelle", "unite", "annee"],
            Lang::En => ["indicator", "label", "unit", "year"],
        };
        let mut header = header.map(String::from).to_vec();
        header.extend(self.zones.iter().map(|(t, _)| format!("{} ({})", t.name, t.code)));
        let mut data_rows = Vec::new();
        let mut sources = BTreeSet::new();
        for indicator in &indicators {
            let year = self.year(indicator);
            let decimals = usize::from(indicator.decimals);
            let mut row = vec![
                TableCell::Text(indicator.label.clone()),
                TableCell::Text(indicator.unit.clone()),
                TableCell::Text(year.to_string()),
            ];
            let mut data = vec![
                CsvCell::Text(indicator.id.to_string()),
                CsvCell::Text(indicator.label.clone()),
                CsvCell::Text(indicator.unit.clone()),
                CsvCell::Integer(i64::from(year)),
            ];
            for (t, _) in &self.zones {
                let value = self.value(indicator, t, year);
                row.push(TableCell::Value { value, decimals });
                data.push(CsvCell::Value { value, decimals });
            }
            rows.push(row);
            data_rows.push(data);
            if !indicator.source.is_empty() {
                sources.insert(indicator.source.clone());
            }
        }
        let mut source = sources.into_iter().map(|s| source_line(&s, lang)).collect::<Vec<_>>().join(" ");
        if !self.pack.manifest.pack.attribution.is_empty() {
            source.push(' ');
            source.push_str(&self.pack.manifest.pack.attribution);
        }
        let title = item
            .title
            .clone()
            .unwrap_or_else(|| format!("{} — {}", lang.pick("Chiffres clés", "Key figures"), self.territory.name));
        let figure = chart::table_figure(&TableFigure {
            title: title.clone(),
            columns,
            rows,
            source: source.trim().to_owned(),
            highlight_column: Some(3),
            lang,
        });
        Illustration { slug: "chiffres-cles".into(), title, figure, data: CsvTable { header, rows: data_rows } }
    }

    fn entries_table(entries: &[Entry], year: i32, decimals: usize, lang: Lang) -> CsvTable {
        CsvTable {
            header: entries_header(lang),
            rows: entries
                .iter()
                .map(|e| {
                    vec![
                        CsvCell::Text(e.code.clone()),
                        CsvCell::Text(e.name.clone()),
                        CsvCell::Text(role_name(e.role, lang).into()),
                        CsvCell::Integer(i64::from(year)),
                        CsvCell::Value { value: e.value, decimals },
                    ]
                })
                .collect(),
        }
    }

    fn bar(&self, indicator: &Indicator, item: &ItemDef) -> Illustration {
        let year = self.year(indicator);
        let entries: Vec<Entry> = self.zones.iter().map(|(t, role)| self.entry(indicator, t, *role, year)).collect();
        let title = item.title.clone().unwrap_or_else(|| match self.lang {
            Lang::Fr => format!("{} : comparaison", indicator.label),
            Lang::En => format!("{}: comparison", indicator.label),
        });
        let figure = chart::bar_chart(&self.chart_text(indicator, title.clone(), Some(year)), &entries);
        Illustration {
            slug: format!("barres-{}", indicator.id),
            title,
            figure,
            data: Self::entries_table(&entries, year, usize::from(indicator.decimals), self.lang),
        }
    }

    fn evolution(&self, indicator: &Indicator, item: &ItemDef) -> Illustration {
        let series: Vec<Series> = self
            .zones
            .iter()
            .map(|(t, role)| Series {
                code: t.code.to_string(),
                name: t.name.clone(),
                role: *role,
                points: indicator.years.iter().map(|&y| (y, self.value(indicator, t, y))).collect(),
            })
            .collect();
        // Counts of territories of different sizes only compare as indices.
        let indexed = indicator.is_count() && self.zones.len() > 1;
        let title = item.title.clone().unwrap_or_else(|| match self.lang {
            Lang::Fr => format!("Évolution : {}", indicator.label),
            Lang::En => format!("Trend: {}", indicator.label),
        });
        let figure = chart::line_chart(&self.chart_text(indicator, title.clone(), None), &series, indexed);
        let decimals = usize::from(indicator.decimals);
        let lang = self.lang;
        let rows = series
            .iter()
            .flat_map(|s| {
                s.points.iter().map(move |(y, v)| {
                    vec![
                        CsvCell::Text(s.code.clone()),
                        CsvCell::Text(s.name.clone()),
                        CsvCell::Text(role_name(s.role, lang).into()),
                        CsvCell::Integer(i64::from(*y)),
                        CsvCell::Value { value: *v, decimals },
                    ]
                })
            })
            .collect();
        Illustration {
            slug: format!("evolution-{}", indicator.id),
            title,
            figure,
            data: CsvTable { header: entries_header(lang), rows },
        }
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

    fn item_level(&self, item: &ItemDef) -> Level {
        item.level.as_deref().and_then(|l| self.pack.parse_level(l)).unwrap_or_else(|| self.territory.level.clone())
    }

    fn position(&self, indicator: &Indicator, item: &ItemDef) -> Illustration {
        let year = self.year(indicator);
        let level = self.item_level(item);
        let region = self.region_of_territory();
        let units: Vec<Entry> = self
            .units_within(&level, &region)
            .into_iter()
            .map(|t| Entry {
                code: t.code.to_string(),
                name: t.name.clone(),
                value: self.value(indicator, t, year),
                role: if t.level == self.territory.level && t.code == self.territory.code {
                    Role::Territory
                } else {
                    Role::Other
                },
            })
            .collect();
        let references: Vec<Entry> = self
            .zones
            .iter()
            .filter(|(t, _)| t.level != level)
            .map(|(t, role)| self.entry(indicator, t, *role, year))
            .collect();
        let positives = units.iter().filter_map(|e| e.value.number()).collect::<Vec<_>>();
        let log_scale = !positives.is_empty()
            && positives.iter().all(|v| *v > 0.0)
            && positives.iter().copied().fold(f64::MIN, f64::max) / positives.iter().copied().fold(f64::MAX, f64::min)
                > 100.0;
        let region_name = self.pack.territories.get(&region.level, &region.code).map_or("France", |t| t.name.as_str());
        let title = item.title.clone().unwrap_or_else(|| {
            let (label, name, units) = (&indicator.label, &self.territory.name, plural(&level, self.lang));
            match self.lang {
                Lang::Fr => format!("{label} : {name} parmi les {units} ({region_name})"),
                Lang::En => format!("{label}: {name} among the {units} ({region_name})"),
            }
        });
        let figure = chart::position_chart(
            &self.chart_text(indicator, title.clone(), Some(year)),
            &units,
            &references,
            log_scale,
        );
        let mut all = units;
        all.extend(references);
        Illustration {
            slug: format!("position-{}", indicator.id),
            title,
            figure,
            data: Self::entries_table(&all, year, usize::from(indicator.decimals), self.lang),
        }
    }

    fn pyramid(&self, item: &ItemDef) -> Illustration {
        let men: Vec<&Indicator> = item.men.iter().filter_map(|id| self.indicator(id)).collect();
        let women: Vec<&Indicator> = item.women.iter().filter_map(|id| self.indicator(id)).collect();
        let year = men.first().map_or(0, |i| self.year(i));
        let values =
            |list: &[&Indicator], t: &Territory| list.iter().map(|i| self.value(i, t, year)).collect::<Vec<_>>();
        let (men_t, women_t) = (values(&men, self.territory), values(&women, self.territory));
        let comparison =
            self.zones.iter().skip(1).find(|(t, _)| t.level == Level::Region).or_else(|| self.zones.get(1));
        let comparison_values = comparison.map(|(t, _)| (t.name.clone(), values(&men, t), values(&women, t)));
        let lang = self.lang;
        let title = item
            .title
            .clone()
            .unwrap_or_else(|| format!("{} — {}", lang.pick("Pyramide des âges", "Age pyramid"), self.territory.name));
        let subtitle = match lang {
            Lang::Fr => format!("Population par sexe et âge, {year} (part de la population totale, %)"),
            Lang::En => format!("Population by sex and age, {year} (share of the total population, %)"),
        };
        let text = ChartText {
            title: title.clone(),
            subtitle,
            source: men.first().map(|i| self.source(i)).unwrap_or_default(),
            unit: "%".into(),
            decimals: 1,
            lang,
        };
        let figure = chart::pyramid(
            &text,
            &item.bands,
            &men_t,
            &women_t,
            comparison_values.as_ref().map(|(n, m, w)| (n.as_str(), m.as_slice(), w.as_slice())),
            true,
        );
        let rows = item
            .bands
            .iter()
            .enumerate()
            .map(|(i, band)| {
                vec![
                    CsvCell::Text(band.clone()),
                    CsvCell::Value { value: men_t.get(i).copied().unwrap_or(Value::Missing), decimals: 0 },
                    CsvCell::Value { value: women_t.get(i).copied().unwrap_or(Value::Missing), decimals: 0 },
                ]
            })
            .collect();
        Illustration {
            slug: "pyramide".into(),
            title,
            figure,
            data: CsvTable {
                header: ["age", lang.pick("hommes", "men"), lang.pick("femmes", "women")].map(String::from).to_vec(),
                rows,
            },
        }
    }

    fn map(&self, indicator: &Indicator, item: &ItemDef, options: &MapOptions) -> Result<Illustration, PortraitError> {
        let year = self.year(indicator);
        let level = self.item_level(item);
        let here = &self.selection.territory;
        let inside = self.units_within(&level, here);
        let use_territory = match options.extent {
            MapExtent::Territory => true,
            MapExtent::Region => false,
            MapExtent::Auto => level.rank() < here.level.rank() && inside.len() >= 2,
        };
        let region = self.region_of_territory();
        let units: Vec<&Territory> = if use_territory { inside } else { self.units_within(&level, &region) };
        // A level without geometry gives the map frame with a note that there is nothing to draw.
        let geometry = self.pack.territories.level(&level).map(|l| &l.geometry);
        let map_units: Vec<MapUnit<'_>> = units
            .iter()
            .filter_map(|t| {
                Some(MapUnit {
                    code: t.code.as_str(),
                    name: t.name.as_str(),
                    geometry: geometry?.get(&t.code)?,
                    value: self.value(indicator, t, year),
                })
            })
            .collect();
        let symbolisation = if indicator.is_count() {
            Symbolisation::Circles
        } else {
            let values: Vec<f64> = if options.same_breaks_across_years {
                indicator
                    .years
                    .iter()
                    .flat_map(|&y| units.iter().filter_map(move |t| self.value(indicator, t, y).number()))
                    .collect()
            } else {
                map_units.iter().filter_map(|u| u.value.number()).collect()
            };
            classified(&values, indicator, options)?
        };
        let borders: Vec<_> = if !use_territory && level.rank() < Level::Departement.rank() {
            self.units_within(&Level::Departement, &region)
                .into_iter()
                .filter_map(|d| self.pack.territories.level(&Level::Departement)?.geometry.get(&d.code))
                .collect()
        } else {
            Vec::new()
        };
        let outline = self.pack.territories.level(&here.level).and_then(|l| l.geometry.get(&here.code));
        let title = item.title.clone().unwrap_or_else(|| format!("{} — {}", indicator.label, self.territory.name));
        let text = self.chart_text(indicator, title.clone(), Some(year));
        let spec = MapSpec {
            title: title.clone(),
            subtitle: text.subtitle,
            source: text.source,
            unit: indicator.unit.clone(),
            decimals: usize::from(indicator.decimals),
            units: map_units,
            borders,
            outline: if use_territory && level == here.level { None } else { outline },
            symbolisation,
            units_layer: layer_id(&level),
            units_label: layer_label(&level, self.lang),
            width_mm: 180.0,
            height_mm: 160.0,
            lang: self.lang,
            crs: Some(self.pack.territories.crs.proj4().to_owned()),
        };
        let figure = map::map_figure(&spec);
        let data = map::map_data(&spec, Some(year));
        Ok(Illustration { slug: format!("carte-{}", indicator.id), title, figure, data })
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

/// Classifies values for a choropleth and picks the palette.
fn classified(values: &[f64], indicator: &Indicator, options: &MapOptions) -> Result<Symbolisation, PortraitError> {
    let classification = classify_or_degrade(values, &options.method, options.classes)
        .map_err(|source| PortraitError::Classify { indicator: indicator.label.clone(), source })?;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let name = if min < 0.0 && max > 0.0 && options.palette == palette::DEFAULT_SEQUENTIAL {
        palette::DEFAULT_DIVERGING
    } else {
        options.palette.as_str()
    };
    let palette = palette::palette(name).ok_or_else(|| PortraitError::UnknownPalette(name.to_owned()))?;
    // No value at all (every unit secret or missing): a map of grey and hatched units, no classes.
    let colors = if classification.n_classes() == 0 {
        Vec::new()
    } else {
        palette
            .colors_for_classes(classification.n_classes())
            .ok_or_else(|| PortraitError::UnknownPalette(name.to_owned()))?
    };
    Ok(Symbolisation::Choropleth { classification, colors })
}

/// Classifies, with fewer classes when the units have fewer distinct values than asked (a small
/// territory, a rare indicator): a portrait must not fail because a map has 4 communes. Below three
/// distinct values each value is its own class.
fn classify_or_degrade(values: &[f64], method: &Method, classes: usize) -> Result<Classification, ClassifyError> {
    match classify::classify(values, method, classes) {
        Err(ClassifyError::TooFewDistinct { distinct, .. }) if distinct >= classify::MIN_CLASSES => {
            classify::classify(values, method, distinct.min(classes))
        }
        Err(ClassifyError::TooFewDistinct { .. } | ClassifyError::NoValues) => Ok(unique_values(values, method)),
        other => other,
    }
}

fn unique_values(values: &[f64], method: &Method) -> Classification {
    let mut distinct: Vec<f64> = values.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let breaks: Vec<f64> = match distinct.as_slice() {
        [] => Vec::new(),
        [only] => vec![*only, *only],
        [first, rest @ ..] => {
            std::iter::once(*first).chain(std::iter::once(*first)).chain(rest.iter().copied()).collect()
        }
    };
    let mut classification = Classification { method: method.key().to_owned(), breaks, counts: Vec::new() };
    classification.counts = (0..classification.n_classes())
        .map(|c| values.iter().filter(|v| classification.class_of(**v) == Some(c)).count())
        .collect();
    classification
}

/// The units of a level in a sentence: « parmi les communes », "among the communes".
fn plural(level: &Level, lang: Lang) -> String {
    match (level, lang) {
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

/// The SVG layer id of a level's units.
#[must_use]
pub fn layer_id(level: &Level) -> String {
    match level {
        Level::Commune => "communes".into(),
        Level::Epci => "epci".into(),
        Level::Departement => "departements".into(),
        Level::Region => "regions".into(),
        Level::France => "france".into(),
        Level::Custom(name) => crate::text::search_key(name).replace(' ', "-"),
    }
}

/// The layer label of a level's units, in a language; a custom zoning keeps its own name. The layer
/// id ([`layer_id`]) is the same in every language.
///
/// ```
/// use indicarto::code::Level;
/// use indicarto::portrait::layer_label;
/// use indicarto::text::Lang;
/// assert_eq!(layer_label(&Level::Departement, Lang::Fr), "Départements");
/// assert_eq!(layer_label(&Level::Departement, Lang::En), "Departments");
/// ```
#[must_use]
pub fn layer_label(level: &Level, lang: Lang) -> String {
    match level {
        Level::Commune => "Communes".into(),
        Level::Epci => "EPCI".into(),
        Level::Departement => lang.pick("Départements", "Departments").into(),
        Level::Region => lang.pick("Régions", "Regions").into(),
        Level::France => "France".into(),
        Level::Custom(name) => name.clone(),
    }
}

/// Checks that a map of this indicator may be a choropleth (semiology: never raw counts).
pub fn check_choropleth(indicator: &Indicator) -> Result<(), PortraitError> {
    if indicator.is_count() { Err(PortraitError::ChoroplethOfCount { label: indicator.label.clone() }) } else { Ok(()) }
}
