//! The portrait's maps and the rules they are classified by: which units a map shows
//! ([`MapExtent`]), counts as circles (never a choropleth of raw counts), the same breaks across
//! years on demand, fewer classes when the units have fewer distinct values than asked, and the
//! diverging palette for data on both sides of zero. What the map was drawn with is kept in a
//! [`MapInfo`] beside the figure, so that the window's histogram reads the legend's own bounds and
//! colours instead of classifying again.

use super::{Builder, Illustration, IllustrationKind, MapExtent, MapOptions, PortraitError};
use crate::classify::{self, Classification, ClassifyError, Method};
use crate::code::{IndicatorId, Level};
use crate::figure::Rgb;
use crate::indicator::Indicator;
use crate::map::{self, MapSpec, MapUnit, Symbolisation};
use crate::palette;
use crate::territory::Territory;

/// What a map shows and how it was classified: the level of its units, its values and its
/// symbols. Everything a histogram or a map view needs without reading the figure's texts.
#[derive(Debug, Clone, PartialEq)]
pub struct MapInfo {
    /// The indicator mapped; `None` for a quick map (a CSV column).
    pub indicator: Option<IndicatorId>,
    /// The level of the units drawn (the layer [`Level::layer_id`] names).
    pub level: Level,
    /// The year mapped; `None` for a quick map.
    pub year: Option<i32>,
    /// The values of the units drawn that are available (secret and missing units have none), in
    /// the order of the units (by code).
    pub values: Vec<f64>,
    /// Circles, or classes and colours.
    pub symbols: MapSymbols,
}

/// How a map shows its values.
#[derive(Debug, Clone, PartialEq)]
pub enum MapSymbols {
    /// Proportional circles (counts): no classes.
    Circles,
    /// Units coloured by class.
    Choropleth(Classes),
}

/// A choropleth's classification as drawn: the legend's bounds are [`Classes::breaks`], its
/// swatches [`Classes::colors`].
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    /// The method asked.
    pub method: Method,
    /// The number of classes asked; [`Classes::collapsed`] when the map has fewer.
    pub classes_asked: usize,
    /// Bounds (`k + 1`) and counts (of [`Classes::classified`]) of the `k` classes drawn.
    pub classification: Classification,
    /// The values the bounds were computed from: the map's values, or with the same breaks across
    /// years those of every year of the indicator for the same units.
    pub classified: Vec<f64>,
    /// The bounds are those of every year ([`MapOptions::same_breaks_across_years`]).
    pub same_breaks_across_years: bool,
    /// The units had fewer distinct values than classes asked: fewer classes, or one class per
    /// value below three.
    pub collapsed: bool,
    /// The ColorBrewer palette the colours come from.
    pub palette: String,
    /// The data lies on both sides of zero and the default sequential palette was asked: the
    /// default diverging one was used instead.
    pub diverging: bool,
    /// One colour per class, lowest first.
    pub colors: Vec<Rgb>,
}

impl Classes {
    /// The `k + 1` class bounds, lowest first: the legend's.
    #[must_use]
    pub fn breaks(&self) -> &[f64] {
        &self.classification.breaks
    }

    /// The colour a unit of this value is filled with, as on the map; `None` outside the bounds.
    #[must_use]
    pub fn color_of(&self, value: f64) -> Option<Rgb> {
        self.classification.class_of(value).and_then(|class| self.colors.get(class).copied())
    }

    /// The symbolisation the map builder draws these classes with.
    fn symbolisation(&self) -> Symbolisation {
        Symbolisation::Choropleth { classification: self.classification.clone(), colors: self.colors.clone() }
    }
}

impl MapSymbols {
    /// The symbolisation the map builder draws with.
    #[must_use]
    pub fn symbolisation(&self) -> Symbolisation {
        match self {
            MapSymbols::Circles => Symbolisation::Circles,
            MapSymbols::Choropleth(classes) => classes.symbolisation(),
        }
    }
}

impl Builder<'_> {
    /// The units a map of `level` shows, and whether they are those inside the territory.
    fn map_units(&self, level: &Level, extent: MapExtent) -> (Vec<&Territory>, bool) {
        let here = &self.selection.territory;
        let inside = self.units_within(level, here);
        let use_territory = match extent {
            MapExtent::Territory => true,
            MapExtent::Region => false,
            MapExtent::Auto => level.rank() < here.level.rank() && inside.len() >= 2,
        };
        if use_territory { (inside, true) } else { (self.units_within(level, &self.region_of_territory()), false) }
    }

    pub(super) fn map(
        &self,
        indicator: &Indicator,
        level: &Level,
        title: Option<&str>,
        options: &MapOptions,
    ) -> Result<Illustration, PortraitError> {
        let year = self.year(indicator);
        let here = &self.selection.territory;
        let (units, use_territory) = self.map_units(level, options.extent);
        // A level without geometry gives the map frame with a note that there is nothing to draw.
        let geometry = self.pack.territories.level(level).map(|l| &l.geometry);
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
        let values: Vec<f64> = map_units.iter().filter_map(|u| u.value.number()).collect();
        let symbols = if indicator.is_count() {
            MapSymbols::Circles
        } else if options.same_breaks_across_years {
            let every_year = indicator
                .years
                .iter()
                .flat_map(|&y| units.iter().filter_map(move |t| self.value(indicator, t, y).number()))
                .collect();
            MapSymbols::Choropleth(classes(every_year, indicator, options)?)
        } else {
            MapSymbols::Choropleth(classes(values.clone(), indicator, options)?)
        };
        let borders: Vec<_> = if !use_territory && level.rank() < Level::Departement.rank() {
            self.units_within(&Level::Departement, &self.region_of_territory())
                .into_iter()
                .filter_map(|d| self.pack.territories.level(&Level::Departement)?.geometry.get(&d.code))
                .collect()
        } else {
            Vec::new()
        };
        let outline = self.pack.territories.level(&here.level).and_then(|l| l.geometry.get(&here.code));
        let title = title.map_or_else(|| format!("{} — {}", indicator.label, self.territory.name), str::to_owned);
        let text = self.chart_text(indicator, title.clone(), Some(year));
        let spec = MapSpec {
            title: title.clone(),
            subtitle: text.subtitle,
            source: text.source,
            unit: indicator.unit.clone(),
            decimals: usize::from(indicator.decimals),
            units: map_units,
            borders,
            outline: if use_territory && *level == here.level { None } else { outline },
            symbolisation: symbols.symbolisation(),
            units_layer: level.layer_id(),
            units_label: level.layer_label(self.lang),
            width_mm: 180.0,
            height_mm: 160.0,
            lang: self.lang,
            crs: Some(self.pack.territories.crs.proj4().to_owned()),
        };
        let figure = map::map_figure(&spec);
        let data = map::map_data(&spec, Some(year));
        let info =
            MapInfo { indicator: Some(indicator.id.clone()), level: level.clone(), year: Some(year), values, symbols };
        Ok(Illustration {
            slug: format!("carte-{}", indicator.id),
            title,
            kind: IllustrationKind::Map(Box::new(info)),
            figure,
            data,
        })
    }
}

/// Classifies values for a choropleth and picks the palette: the diverging default for data on
/// both sides of zero when the sequential default was asked.
fn classes(values: Vec<f64>, indicator: &Indicator, options: &MapOptions) -> Result<Classes, PortraitError> {
    let (classification, collapsed) = classify_or_degrade(&values, &options.method, options.classes)
        .map_err(|source| PortraitError::Classify { indicator: indicator.label.clone(), source })?;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let diverging = min < 0.0 && max > 0.0 && options.palette == palette::DEFAULT_SEQUENTIAL;
    let name = if diverging { palette::DEFAULT_DIVERGING } else { options.palette.as_str() };
    let palette = palette::palette(name).ok_or_else(|| PortraitError::UnknownPalette(name.to_owned()))?;
    // No value at all (every unit secret or missing): a map of grey and hatched units, no classes.
    let colors = if classification.n_classes() == 0 {
        Vec::new()
    } else {
        palette
            .colors_for_classes(classification.n_classes())
            .ok_or_else(|| PortraitError::UnknownPalette(name.to_owned()))?
    };
    Ok(Classes {
        method: options.method.clone(),
        classes_asked: options.classes,
        classification,
        classified: values,
        same_breaks_across_years: options.same_breaks_across_years,
        collapsed,
        palette: name.to_owned(),
        diverging,
        colors,
    })
}

/// Classifies, with fewer classes when the units have fewer distinct values than asked (a small
/// territory, a rare indicator): a portrait must not fail because a map has 4 communes. Below three
/// distinct values each value is its own class. The flag says whether classes were collapsed so.
fn classify_or_degrade(
    values: &[f64],
    method: &Method,
    classes: usize,
) -> Result<(Classification, bool), ClassifyError> {
    match classify::classify(values, method, classes) {
        Err(ClassifyError::TooFewDistinct { distinct, .. }) if distinct >= classify::MIN_CLASSES => {
            classify::classify(values, method, distinct.min(classes)).map(|c| (c, true))
        }
        Err(ClassifyError::TooFewDistinct { .. } | ClassifyError::NoValues) => {
            Ok((unique_values(values, method), true))
        }
        other => other.map(|c| (c, false)),
    }
}

/// One class per distinct value (the first class holds the lowest value alone).
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
