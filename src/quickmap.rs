//! A quick map from any boundary file and any CSV, joined by code: what `indicarto map` and the
//! window's « Carte rapide » draw, without a pack. The CSV goes through the French CSV reader
//! (sniffed separator, decimal comma, encodings, title lines); unmatched codes are reported as
//! warnings, unreadable values as an error naming their line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::boundary::{self, Crs, LoadOptions};
use crate::classify::{self, Method};
use crate::code::Level;
use crate::export::csv::CsvTable;
use crate::figure::Figure;
use crate::map::{MapSpec, MapUnit, Symbolisation, map_figure};
use crate::palette;
use crate::portrait;
use crate::table::csv::{self as csvin, CsvOptions, NumberCell};
use crate::territory::detect_level;
use crate::text::Lang;
use crate::value::Value;

/// What to map.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickMapRequest {
    /// Shapefile or GeoJSON.
    pub boundaries: PathBuf,
    /// Level of the units (detected from the fields when absent).
    pub level: Option<String>,
    /// The CSV.
    pub data: PathBuf,
    /// `CODE` when the boundary field and the CSV column share the name, else `FIELD=COLUMN`.
    pub join: String,
    /// The CSV column mapped.
    pub value: String,
    /// Classification.
    pub method: Method,
    /// Classes.
    pub classes: usize,
    /// ColorBrewer palette (default sequential when absent).
    pub palette: Option<String>,
    /// Proportional circles instead of a choropleth.
    pub circles: bool,
    /// Title (the column name when absent).
    pub title: Option<String>,
    /// Source line.
    pub source: Option<String>,
    /// Language of the texts.
    pub lang: Lang,
    /// CRS of a file without one.
    pub assume_crs: Option<Crs>,
}

/// The map, the data behind it and the partial problems met.
#[derive(Debug, Clone)]
pub struct QuickMap {
    /// The figure.
    pub figure: Figure,
    /// Code, name and value of every unit, for CSV export.
    pub data: CsvTable,
    /// Unmatched codes, units without value, repeated codes.
    pub warnings: Vec<String>,
}

/// Why the map could not be drawn: the message names the file and the place.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct QuickMapError(pub String);

/// Geographic layers are drawn in Lambert-93 when they lie in metropolitan France, in Web Mercator
/// otherwise: a map needs a planar projection and a scale in metres.
fn planar(layer: &mut boundary::Layer) -> Result<(), String> {
    if !layer.crs.is_geographic() {
        return Ok(());
    }
    let in_france =
        layer.extent().is_some_and(|r| r.min().x > -6.0 && r.max().x < 10.0 && r.min().y > 41.0 && r.max().y < 52.0);
    let target = if in_france { Crs::lambert93() } else { Crs::from_epsg(3857).map_err(|e| e.to_string())? };
    layer.reproject(&target).map_err(|e| e.to_string())
}

/// Builds the map: loads, joins and draws.
pub fn quick_map(request: &QuickMapRequest) -> Result<QuickMap, QuickMapError> {
    QuickMapData::load(request)?.draw(request)
}

/// The joined data of a quick map, loaded once and drawn again at each change of classification,
/// palette or language (the window re-classifies France's communes without reading the files again).
#[derive(Debug)]
pub struct QuickMapData {
    source: QuickMapRequest,
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
    pub fn load(request: &QuickMapRequest) -> Result<QuickMapData, QuickMapError> {
        load(request).map_err(QuickMapError)
    }

    /// Whether this data answers a request (same files, join, column, level and CRS).
    #[must_use]
    pub fn same_source(&self, request: &QuickMapRequest) -> bool {
        let s = &self.source;
        s.boundaries == request.boundaries
            && s.data == request.data
            && s.join == request.join
            && s.value == request.value
            && s.level == request.level
            && s.assume_crs == request.assume_crs
    }

    fn spec(&self, args: &QuickMapRequest) -> Result<MapSpec<'_>, QuickMapError> {
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
        let symbolisation = if args.circles {
            Symbolisation::Circles
        } else {
            let numbers: Vec<f64> = units.iter().filter_map(|u| u.value.number()).collect();
            let classification =
                classify::classify(&numbers, &args.method, args.classes).map_err(|e| QuickMapError(e.to_string()))?;
            let name = args.palette.clone().unwrap_or_else(|| palette::DEFAULT_SEQUENTIAL.to_owned());
            let colors =
                palette::palette(&name).and_then(|p| p.colors(classification.n_classes())).ok_or_else(|| {
                    QuickMapError(format!("palette « {name} » inconnue ou sans {} classes", classification.n_classes()))
                })?;
            Symbolisation::Choropleth { classification, colors }
        };
        let spec = MapSpec {
            title: args.title.clone().unwrap_or_else(|| args.value.clone()),
            subtitle: String::new(),
            source: args.source.clone().unwrap_or_default(),
            unit: String::new(),
            decimals: decimals_of(units.iter().filter_map(|u| u.value.number())),
            units,
            borders: Vec::new(),
            outline: None,
            symbolisation,
            units_layer: portrait::layer_id(&self.level),
            units_label: portrait::layer_label(&self.level, args.lang),
            width_mm: 180.0,
            height_mm: 170.0,
            lang: args.lang,
            crs: Some(self.layer.crs.proj4().to_owned()),
        };
        Ok(spec)
    }

    /// Draws the map with the request's symbolisation, title and language.
    pub fn draw(&self, args: &QuickMapRequest) -> Result<QuickMap, QuickMapError> {
        let spec = self.spec(args)?;
        let data = crate::map::map_data(&spec, None);
        let figure = map_figure(&spec);
        Ok(QuickMap { figure, data, warnings: self.warnings.clone() })
    }

    /// Re-colours a map this data drew for a new classification or palette (see
    /// [`crate::map::restyle`]); `Ok(false)` when the change needs a new drawing.
    pub fn restyle(&self, figure: &mut Figure, args: &QuickMapRequest) -> Result<bool, QuickMapError> {
        Ok(crate::map::restyle(figure, &self.spec(args)?))
    }
}

fn load(args: &QuickMapRequest) -> Result<QuickMapData, String> {
    let mut warnings = Vec::new();
    let mut layer = boundary::load_layer(
        &args.boundaries,
        &LoadOptions { assume_crs: args.assume_crs.clone(), ..LoadOptions::default() },
    )
    .map_err(|e| e.to_string())?;
    planar(&mut layer)?;
    let (field, column) = match args.join.split_once('=') {
        Some((f, c)) => (f.trim(), c.trim()),
        None => (args.join.trim(), args.join.trim()),
    };
    let field_index = layer.field_index(field).ok_or_else(|| {
        format!("{} : champ « {field} » introuvable ; champs : {}", args.boundaries.display(), layer.fields.join(", "))
    })?;
    let name_index = ["NOM", "nom", "LIBGEO", "libelle", "name", "NAME"].iter().find_map(|n| layer.field_index(n));
    let table = csvin::read_csv(&args.data, &CsvOptions::default()).map_err(|e| e.to_string())?;
    let by_code = read_values(&table, &args.data, column, &args.value, &mut warnings)?;
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
    let level = match &args.level {
        Some(name) => {
            Level::parse(name, std::slice::from_ref(name)).ok_or_else(|| format!("niveau « {name} » inconnu"))?
        }
        None => detect_level(&layer.fields).unwrap_or(Level::Custom("unites".into())),
    };
    Ok(QuickMapData { source: args.clone(), layer, codes, names, values, level, warnings })
}

/// Reads a CSV's values by code; a cell that is not a number is an error naming its line.
fn read_values<'t>(
    table: &'t csvin::TextTable,
    path: &Path,
    column: &str,
    value: &str,
    warnings: &mut Vec<String>,
) -> Result<HashMap<&'t str, Value>, String> {
    let find = |name: &str| {
        table.column_index(name).ok_or_else(|| {
            format!("{} : colonne « {name} » introuvable ; colonnes : {}", path.display(), table.columns.join(", "))
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
        let shown = errors.iter().take(10).cloned().collect::<Vec<_>>().join("\n  ");
        return Err(format!("{} valeur(s) illisible(s) :\n  {shown}", errors.len()));
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
