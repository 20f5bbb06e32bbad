//! A quick map from any boundary file and any CSV, joined by code: what `indicarto map` and the
//! window's « Carte rapide » draw, without a pack. The CSV goes through the French CSV reader
//! (sniffed separator, decimal comma, encodings, title lines); unmatched codes are reported as
//! warnings, unreadable values as an error naming their line.
//!
//! A request has two halves: its [`QuickMapSource`] (files, join, column) is loaded once into a
//! [`QuickMapData`]; its [`QuickMapStyle`] (symbols, classes, palette, texts) draws it, again and
//! again. The map comes back with its [`MapInfo`], as a portrait's maps do. Depends on the
//! readers, [`crate::classify`], [`crate::palette`], [`crate::map`] and the types of
//! [`crate::portrait`]'s maps; nothing here knows about packs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::boundary::{self, Crs, LoadOptions};
use crate::classify::{self, Method};
use crate::code::Level;
use crate::export::csv::CsvTable;
use crate::figure::Figure;
use crate::map::{MapSpec, MapUnit, map_figure};
use crate::palette;
use crate::portrait::{Classes, MapInfo, MapSymbols};
use crate::table::csv::{self as csvin, CsvOptions, NumberCell};
use crate::territory::detect_level;
use crate::text::Lang;
use crate::value::Value;

/// Where a quick map's data comes from: the files and how they join. Loaded once
/// ([`QuickMapData::load`]); a change here means reading the files again.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickMapSource {
    /// Shapefile or GeoJSON.
    pub boundaries: PathBuf,
    /// Level of the units, for the layer's id and label; detected from the fields when absent.
    pub level: Option<Level>,
    /// The CSV.
    pub data: PathBuf,
    /// How the boundary file and the CSV join.
    pub join: Join,
    /// The CSV column mapped.
    pub value: String,
    /// CRS of a boundary file without one.
    pub assume_crs: Option<Crs>,
}

/// The join key: a field of the boundary file and a column of the CSV holding the same codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// The boundary file's field.
    pub field: String,
    /// The CSV's column.
    pub column: String,
}

impl Join {
    /// Reads `CODE` (the same name on both sides) or `FIELD=COLUMN`, spaces trimmed.
    ///
    /// ```
    /// use indicarto::quickmap::Join;
    /// assert_eq!(Join::parse("INSEE_COM = codgeo"), Join { field: "INSEE_COM".into(), column: "codgeo".into() });
    /// assert_eq!(Join::parse(" code ").column, "code");
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Join {
        match text.split_once('=') {
            Some((field, column)) => Join { field: field.trim().to_owned(), column: column.trim().to_owned() },
            None => Join { field: text.trim().to_owned(), column: text.trim().to_owned() },
        }
    }
}

/// How the units are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Symbol {
    /// Coloured by class (rates, shares).
    #[default]
    Choropleth,
    /// Proportional circles (counts).
    Circles,
}

impl Symbol {
    /// Every symbol, as the command line lists them.
    pub const ALL: [Symbol; 2] = [Symbol::Choropleth, Symbol::Circles];

    /// The name the command line takes (`choropleth`, `circles`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Symbol::Choropleth => "choropleth",
            Symbol::Circles => "circles",
        }
    }

    /// The symbol of a [`Symbol::key`].
    #[must_use]
    pub fn parse(key: &str) -> Option<Symbol> {
        Symbol::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// How a quick map draws its data: symbols, classes, colours and texts. Changing it draws the map
/// again from the data in memory, or only re-colours it ([`QuickMapData::restyle`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QuickMapStyle {
    /// Circles or classes.
    pub symbol: Symbol,
    /// Classification method of a choropleth.
    pub method: Method,
    /// Number of classes of a choropleth.
    pub classes: usize,
    /// ColorBrewer palette (the default sequential one when absent).
    pub palette: Option<String>,
    /// Title (the column's name when absent).
    pub title: Option<String>,
    /// Source line under the map.
    pub source_line: Option<String>,
    /// Language of the map's texts and numbers.
    pub lang: Lang,
}

/// What to map: the data's source and its symbolisation.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickMapRequest {
    /// Files and join.
    pub source: QuickMapSource,
    /// Symbols, classes, colours, texts.
    pub style: QuickMapStyle,
}

/// The map, the data behind it and the partial problems met.
#[derive(Debug, Clone)]
pub struct QuickMap {
    /// The drawing.
    pub figure: Figure,
    /// What the map shows and how it was classified, as for a portrait's maps.
    pub info: MapInfo,
    /// Code, name and value of every unit, for CSV export.
    pub data: CsvTable,
    /// Unmatched codes, units without value, repeated codes.
    pub warnings: Vec<String>,
}

/// Why the map could not be drawn: each message names the file and the place.
#[derive(Debug, thiserror::Error)]
pub enum QuickMapError {
    /// The boundary file could not be read or projected.
    #[error(transparent)]
    Boundary(#[from] boundary::BoundaryError),
    /// The Web Mercator projection of a layer outside France could not be set up.
    #[error(transparent)]
    Crs(#[from] boundary::crs::CrsError),
    /// The CSV could not be read.
    #[error(transparent)]
    Csv(#[from] csvin::CsvError),
    /// The join field is not in the boundary file.
    #[error("{file} : champ « {field} » introuvable ; champs : {known}")]
    NoField {
        /// The boundary file.
        file: PathBuf,
        /// The field asked.
        field: String,
        /// Its fields, comma-separated.
        known: String,
    },
    /// A column is not in the CSV.
    #[error("{file} : colonne « {column} » introuvable ; colonnes : {known}")]
    NoColumn {
        /// The CSV.
        file: PathBuf,
        /// The column asked.
        column: String,
        /// Its columns, comma-separated.
        known: String,
    },
    /// Values that are not numbers, each with its line (the first ten).
    #[error("{count} valeur(s) illisible(s) :\n  {}", .lines.join("\n  "))]
    Unreadable {
        /// How many in all.
        count: usize,
        /// « file, ligne N : why », the first ten.
        lines: Vec<String>,
    },
    /// The values cannot be classified as asked.
    #[error(transparent)]
    Classify(#[from] classify::ClassifyError),
    /// No such palette, or none with that many classes.
    #[error("palette « {name} » inconnue ou sans {classes} classes")]
    Palette {
        /// The palette asked.
        name: String,
        /// The classes needed.
        classes: usize,
    },
}

/// Geographic layers are drawn in Lambert-93 when they lie in metropolitan France, in Web Mercator
/// otherwise: a map needs a planar projection and a scale in metres.
fn planar(layer: &mut boundary::Layer) -> Result<(), QuickMapError> {
    if !layer.crs.is_geographic() {
        return Ok(());
    }
    let in_france =
        layer.extent().is_some_and(|r| r.min().x > -6.0 && r.max().x < 10.0 && r.min().y > 41.0 && r.max().y < 52.0);
    let target = if in_france { Crs::lambert93() } else { Crs::from_epsg(3857)? };
    Ok(layer.reproject(&target)?)
}

/// Builds the map: loads, joins and draws.
pub fn quick_map(request: &QuickMapRequest) -> Result<QuickMap, QuickMapError> {
    QuickMapData::load(&request.source)?.draw(&request.style)
}

/// The joined data of a quick map, loaded once and drawn again at each change of classification,
/// palette or language (the window re-classifies France's communes without reading the files again).
#[derive(Debug)]
pub struct QuickMapData {
    /// The files and join it was loaded from.
    pub source: QuickMapSource,
    layer: boundary::Layer,
    codes: Vec<String>,
    names: Vec<String>,
    values: Vec<Value>,
    level: Level,
    /// Unmatched codes, units without value, repeated codes.
    pub warnings: Vec<String>,
}

impl QuickMapData {
    /// Reads the boundary file and the CSV and joins them.
    pub fn load(source: &QuickMapSource) -> Result<QuickMapData, QuickMapError> {
        load(source)
    }

    fn spec(&self, style: &QuickMapStyle) -> Result<(MapSpec<'_>, MapInfo), QuickMapError> {
        let units: Vec<MapUnit<'_>> = self
            .layer
            .features
            .iter()
            .zip(self.codes.iter().zip(&self.names))
            .zip(&self.values)
            .map(|((f, (code, name)), value)| MapUnit {
                code: code.as_str(),
                name: name.as_str(),
                geometry: &f.geometry,
                value: *value,
            })
            .collect();
        let numbers: Vec<f64> = units.iter().filter_map(|u| u.value.number()).collect();
        let symbols = match style.symbol {
            Symbol::Circles => MapSymbols::Circles,
            Symbol::Choropleth => MapSymbols::Choropleth(classes(&numbers, style)?),
        };
        let spec = MapSpec {
            title: style.title.clone().unwrap_or_else(|| self.source.value.clone()),
            subtitle: String::new(),
            source: style.source_line.clone().unwrap_or_default(),
            unit: String::new(),
            decimals: decimals_of(numbers.iter().copied()),
            units,
            borders: Vec::new(),
            outline: None,
            symbolisation: symbols.symbolisation(),
            units_layer: self.level.layer_id(),
            units_label: self.level.layer_label(style.lang),
            width_mm: 180.0,
            height_mm: 170.0,
            lang: style.lang,
            crs: Some(self.layer.crs.proj4().to_owned()),
        };
        let info = MapInfo { indicator: None, level: self.level.clone(), year: None, values: numbers, symbols };
        Ok((spec, info))
    }

    /// Draws the map with this symbolisation, title and language.
    pub fn draw(&self, style: &QuickMapStyle) -> Result<QuickMap, QuickMapError> {
        let (spec, info) = self.spec(style)?;
        let data = crate::map::map_data(&spec, None);
        let figure = map_figure(&spec);
        Ok(QuickMap { figure, info, data, warnings: self.warnings.clone() })
    }

    /// Re-colours a map this data drew for a new classification or palette (see
    /// [`crate::map::restyle`]): the map's new [`MapInfo`], or `None` when the change needs a new
    /// drawing.
    pub fn restyle(&self, figure: &mut Figure, style: &QuickMapStyle) -> Result<Option<MapInfo>, QuickMapError> {
        let (spec, info) = self.spec(style)?;
        Ok(crate::map::restyle(figure, &spec).then_some(info))
    }
}

/// The classes of a quick map: exactly those asked (unlike a portrait's maps, a quick map refuses
/// fewer distinct values than classes, and keeps the palette asked).
fn classes(numbers: &[f64], style: &QuickMapStyle) -> Result<Classes, QuickMapError> {
    let classification = classify::classify(numbers, &style.method, style.classes)?;
    let name = style.palette.clone().unwrap_or_else(|| palette::DEFAULT_SEQUENTIAL.to_owned());
    let colors = palette::palette(&name)
        .and_then(|p| p.colors(classification.n_classes()))
        .ok_or_else(|| QuickMapError::Palette { name: name.clone(), classes: classification.n_classes() })?;
    Ok(Classes {
        method: style.method.clone(),
        classes_asked: style.classes,
        classification,
        classified: numbers.to_vec(),
        same_breaks_across_years: false,
        collapsed: false,
        palette: name,
        diverging: false,
        colors,
    })
}

fn load(source: &QuickMapSource) -> Result<QuickMapData, QuickMapError> {
    let mut warnings = Vec::new();
    let mut layer = boundary::load_layer(
        &source.boundaries,
        &LoadOptions { assume_crs: source.assume_crs.clone(), ..LoadOptions::default() },
    )?;
    planar(&mut layer)?;
    let Join { field, column } = &source.join;
    let field_index = layer.field_index(field).ok_or_else(|| QuickMapError::NoField {
        file: source.boundaries.clone(),
        field: field.clone(),
        known: layer.fields.join(", "),
    })?;
    let name_index = ["NOM", "nom", "LIBGEO", "libelle", "name", "NAME"].iter().find_map(|n| layer.field_index(n));
    let table = csvin::read_csv(&source.data, &CsvOptions::default())?;
    let by_code = read_values(&table, &source.data, column, &source.value, &mut warnings)?;
    let codes: Vec<String> =
        layer.features.iter().map(|f| f.attributes[field_index].clone().unwrap_or_default()).collect();
    let names: Vec<String> = layer
        .features
        .iter()
        .zip(&codes)
        .map(|(f, code)| name_index.and_then(|i| f.attributes[i].clone()).unwrap_or_else(|| code.clone()))
        .collect();
    let mut matched = std::collections::HashSet::with_capacity(by_code.len());
    let mut without_value = 0usize;
    let values: Vec<Value> = codes
        .iter()
        .map(|code| {
            if let Some(v) = by_code.get(code.as_str()) {
                matched.insert(code.as_str());
                *v
            } else {
                without_value += 1;
                Value::Missing
            }
        })
        .collect();
    let mut unmatched: Vec<&str> = by_code.keys().copied().filter(|c| !matched.contains(c)).collect();
    if !unmatched.is_empty() {
        unmatched.sort_unstable();
        let shown = unmatched.iter().take(20).copied().collect::<Vec<_>>().join(", ");
        warnings.push(format!(
            "{} code(s) du CSV sans contour : {shown}{}",
            unmatched.len(),
            if unmatched.len() > 20 { ", …" } else { "" }
        ));
    }
    if without_value > 0 {
        warnings.push(format!("{without_value} entité(s) sans valeur dans le CSV (« donnée manquante »)"));
    }
    let level = source.level.clone().or_else(|| detect_level(&layer.fields)).unwrap_or(Level::Custom("unites".into()));
    Ok(QuickMapData { source: source.clone(), layer, codes, names, values, level, warnings })
}

/// Reads a CSV's values by code; a cell that is not a number is an error naming its line.
fn read_values<'t>(
    table: &'t csvin::TextTable,
    path: &Path,
    column: &str,
    value: &str,
    warnings: &mut Vec<String>,
) -> Result<HashMap<&'t str, Value>, QuickMapError> {
    let find = |name: &str| {
        table.column_index(name).ok_or_else(|| QuickMapError::NoColumn {
            file: path.to_owned(),
            column: name.to_owned(),
            known: table.columns.join(", "),
        })
    };
    let (code_col, value_col) = (find(column)?, find(value)?);
    let mut values = HashMap::with_capacity(table.n_rows());
    let mut errors = Vec::new();
    let mut duplicates = 0usize;
    for row in 0..table.n_rows() {
        let Some(code) = table.cell(row, code_col) else { continue };
        let value = match csvin::parse_number(table.cell(row, value_col).unwrap_or("")) {
            Ok(NumberCell::Number(v)) => Value::Available(v),
            Ok(NumberCell::Missing) => Value::Missing,
            Ok(NumberCell::Secret) => Value::Secret,
            Err(e) => {
                errors.push(format!("{}, ligne {} : {e}", path.display(), table.line_of_row(row)));
                continue;
            }
        };
        if values.insert(code, value).is_some() {
            duplicates += 1;
        }
    }
    if !errors.is_empty() {
        let count = errors.len();
        errors.truncate(10);
        return Err(QuickMapError::Unreadable { count, lines: errors });
    }
    if duplicates > 0 {
        warnings.push(format!("{duplicates} code(s) répété(s) dans {} ; la dernière ligne est gardée", path.display()));
    }
    Ok(values)
}

/// Decimals worth showing for these values: none for counts, else up to two.
fn decimals_of(values: impl Iterator<Item = f64>) -> usize {
    values
        .map(|v| {
            (0..2).find(|d| ((v * 10f64.powi(*d)).round() - v * 10f64.powi(*d)).abs() < 1e-9).unwrap_or(2) as usize
        })
        .max()
        .unwrap_or(0)
}
