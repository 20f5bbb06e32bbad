//! Thematic maps as figures: choropleth maps for rates and shares, proportional circles for counts,
//! with the furniture a published map needs ([`furniture`]: title, legend with class bounds and
//! counts, « secret statistique » and « donnée manquante » swatches, scale bar, north arrow,
//! sources). Its own texts and numbers follow [`MapSpec::lang`] (French by default); layer ids
//! never change. `restyle` re-colours a choropleth for a new classification without projecting the
//! geometry again; `map_data` is the CSV behind a map.
//!
//! Greys, fonts, the secret hatch and the missing fill, their wording and the tags of units come
//! from the figure kit ([`crate::figure::style`], [`crate::figure::page`]), the same as charts: a
//! secret commune on a map and a secret bar beside it look and read alike.
//!
//! Pure and deterministic: geometry comes in projected metres (a CRS in metres such as Lambert-93),
//! values already masked by secrecy. Depends on [`crate::figure`] and its kit, [`crate::classify`],
//! [`crate::value`], [`crate::text`] and [`crate::export::csv`] (the table behind a map); knows
//! nothing of packs.

pub mod furniture;

use geo::{BoundingRect, InteriorPoint, MultiPolygon, Rect};

pub use furniture::class_label;
use furniture::{LEGEND_WIDTH, MARGIN, draw_legend, draw_north, draw_scale, draw_sources, draw_title, source_lines};

use crate::classify::Classification;
use crate::figure::page::{LEGEND_LAYER, LayerName, SOURCES_LAYER, Sheet, TITLE_LAYER};
use crate::figure::style::{MISSING_GREY, NOTE_FONT, plain_number, status_fill, value_tag};
use crate::figure::{Anchor, Figure, Fill, Georeference, Mark, Rgb, Stroke, Style, Tag};
use crate::text::{Lang, number_with_unit};
use crate::value::Value;

const CIRCLE_FILL: Rgb = Rgb(222, 45, 38);
/// Units under proportional circles: a pale ground, so that the circles stand out.
const BACKGROUND_UNIT: Rgb = Rgb(240, 240, 240);
const BACKGROUND_BORDER: Rgb = Rgb(200, 200, 200);
/// Upper-level borders over the units.
const BORDER_COLOR: Rgb = Rgb(70, 70, 70);

const BORDERS_LAYER: LayerName = ("borders", "Limites", "Borders");
const TERRITORY_LAYER: LayerName = ("territory", "Territoire d'étude", "Study area");

/// One unit drawn on the map.
#[derive(Debug, Clone)]
pub struct MapUnit<'a> {
    /// Code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Polygons, projected, in metres.
    pub geometry: &'a MultiPolygon<f64>,
    /// Value, secrecy applied.
    pub value: Value,
}

/// How values are symbolised.
#[derive(Debug, Clone, PartialEq)]
pub enum Symbolisation {
    /// Units coloured by class.
    Choropleth {
        /// Classes.
        classification: Classification,
        /// One colour per class.
        colors: Vec<Rgb>,
    },
    /// Circles with area proportional to the value.
    Circles,
}

/// Everything a map shows.
#[derive(Debug, Clone)]
pub struct MapSpec<'a> {
    /// Title.
    pub title: String,
    /// Indicator, year, unit.
    pub subtitle: String,
    /// Sources and attribution.
    pub source: String,
    /// Unit of the values.
    pub unit: String,
    /// Decimals of the values.
    pub decimals: usize,
    /// Units, with their values.
    pub units: Vec<MapUnit<'a>>,
    /// Upper-level borders drawn over the units (départements, EPCI).
    pub borders: Vec<&'a MultiPolygon<f64>>,
    /// The analysis territory, outlined.
    pub outline: Option<&'a MultiPolygon<f64>>,
    /// Symbolisation.
    pub symbolisation: Symbolisation,
    /// Layer id of the units (`communes`, `epci`…).
    pub units_layer: String,
    /// Layer label of the units (`Communes`).
    pub units_label: String,
    /// Page width in millimetres.
    pub width_mm: f64,
    /// Page height in millimetres.
    pub height_mm: f64,
    /// Language of the map's own texts (legend, scale bar, layer labels) and of its numbers.
    pub lang: Lang,
    /// PROJ.4 definition of the units' coordinates, recorded in the figure's georeference.
    pub crs: Option<String>,
}

/// Page layout of a map, in millimetres.
struct Frame {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// Maps projected coordinates to the page.
struct Projection {
    min_x: f64,
    max_y: f64,
    scale: f64,
    offset_x: f64,
    offset_y: f64,
}

impl Projection {
    fn fit(extent: Rect<f64>, frame: &Frame) -> Projection {
        let width = extent.width().max(1.0);
        let height = extent.height().max(1.0);
        let scale = (frame.width / width).min(frame.height / height);
        Projection {
            min_x: extent.min().x,
            max_y: extent.max().y,
            scale,
            offset_x: frame.x + (frame.width - width * scale) / 2.0,
            offset_y: frame.y + (frame.height - height * scale) / 2.0,
        }
    }

    fn point(&self, x: f64, y: f64) -> [f64; 2] {
        [self.offset_x + (x - self.min_x) * self.scale, self.offset_y + (self.max_y - y) * self.scale]
    }

    fn rings(&self, geometry: &MultiPolygon<f64>) -> Vec<Vec<[f64; 2]>> {
        geometry
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.0.iter().map(|c| self.point(c.x, c.y)).collect())
            .collect()
    }
}

/// The tag of a unit: its value as written for a reader, its class on a choropleth.
fn unit_tag(unit: &MapUnit<'_>, spec: &MapSpec<'_>, class: Option<usize>) -> Tag {
    let value = unit.value;
    let shown = value.number().map(|v| number_with_unit(v, spec.decimals, &spec.unit, spec.lang)).unwrap_or_default();
    let tag = value_tag(unit.code, unit.name, value, value.number().map(plain_number), shown, spec.lang);
    Tag { class, ..tag }
}

/// The data behind a map, for CSV export: code, name, the year when given, value (secrecy applied).
#[must_use]
pub fn map_data(spec: &MapSpec<'_>, year: Option<i32>) -> crate::export::csv::CsvTable {
    use crate::export::csv::{CsvCell, CsvTable};
    let mut header = vec!["code", spec.lang.pick("nom", "name")];
    if year.is_some() {
        header.push(spec.lang.pick("annee", "year"));
    }
    header.push(spec.lang.pick("valeur", "value"));
    CsvTable {
        header: header.into_iter().map(String::from).collect(),
        rows: spec
            .units
            .iter()
            .map(|u| {
                let mut row = vec![CsvCell::Text(u.code.to_owned()), CsvCell::Text(u.name.to_owned())];
                row.extend(year.map(|y| CsvCell::Integer(i64::from(y))));
                row.push(CsvCell::Value { value: u.value, decimals: spec.decimals });
                row
            })
            .collect(),
    }
}

/// Top of the map frame and of the legend, in millimetres.
const FRAME_TOP: f64 = 22.0;

/// How many units each class, the secret and the missing hold, for the legend.
#[derive(Default)]
struct Counts {
    per_class: Vec<usize>,
    secret: usize,
    missing: usize,
    max_value: f64,
}

/// A choropleth unit's class and fill: hatched when secret, grey when missing or outside every
/// class, otherwise its class colour.
fn class_fill(value: Value, classification: &Classification, colors: &[Rgb]) -> (Option<usize>, Fill) {
    let class = value.number().and_then(|v| classification.class_of(v));
    let fill = match (status_fill(value), class) {
        (Some(fill), _) => fill,
        (None, Some(c)) => Fill::solid(colors.get(c).copied().unwrap_or(MISSING_GREY)),
        (None, None) => Fill::solid(MISSING_GREY),
    };
    (class, fill)
}

impl Counts {
    fn count(&mut self, value: Value, class: Option<usize>) {
        match (value, class) {
            (Value::Secret, _) => self.secret += 1,
            (_, Some(c)) => self.per_class[c] += 1,
            (_, None) => self.missing += 1,
        }
    }
}

/// Re-colours a choropleth built by [`map_figure`] for a new classification or palette of the same
/// units: fills, classes in the tags and the legend change, the geometry is kept. Returns `false`
/// (figure untouched) when the figure does not hold these units as a choropleth; then build it
/// again. The result equals what [`map_figure`] builds for `spec`, faster: projecting France's
/// communes again is most of a rebuild.
pub fn restyle(figure: &mut Figure, spec: &MapSpec<'_>) -> bool {
    let Symbolisation::Choropleth { classification, colors } = &spec.symbolisation else { return false };
    let Some(index) = figure.layers.iter().position(|l| l.id == spec.units_layer) else { return false };
    let marks = &figure.layers[index].marks;
    let same_units = marks.len() == spec.units.len()
        && marks.iter().zip(&spec.units).all(|(m, u)| matches!(m, Mark::Path { tag: Some(t), .. } if t.code == u.code));
    if !same_units || figure.lang != spec.lang || figure.title != spec.title {
        return false;
    }
    let mut counts = Counts { per_class: vec![0; classification.n_classes()], ..Counts::default() };
    for (mark, unit) in figure.layers[index].marks.iter_mut().zip(&spec.units) {
        let Mark::Path { style, tag: Some(tag), .. } = mark else { continue };
        let (class, fill) = class_fill(unit.value, classification, colors);
        style.fill = fill;
        tag.class = class;
        counts.count(unit.value, class);
    }
    if let Some(legend) = figure.layers.iter_mut().find(|l| l.id == LEGEND_LAYER.0) {
        legend.marks.clear();
    }
    let mut sheet = Sheet::resume(std::mem::replace(figure, Figure::new(0.0, 0.0, "")));
    draw_legend(&mut sheet, spec, &counts, spec.width_mm - MARGIN - LEGEND_WIDTH, FRAME_TOP);
    *figure = sheet.into_figure();
    true
}

/// Builds the map.
#[must_use]
pub fn map_figure(spec: &MapSpec<'_>) -> Figure {
    let lang = spec.lang;
    let mut sheet = Sheet::new(&spec.title, spec.width_mm, &[TITLE_LAYER], lang);
    let source_lines = source_lines(spec);
    let sources_height = source_lines.len() as f64 * 3.0 + 2.0;
    let sources_top = spec.height_mm - MARGIN - sources_height + 3.0;
    let frame = Frame {
        x: MARGIN,
        y: FRAME_TOP,
        width: spec.width_mm - 2.0 * MARGIN - LEGEND_WIDTH - 4.0,
        height: spec.height_mm - FRAME_TOP - MARGIN - sources_height,
    };
    draw_title(&mut sheet, spec);
    let Some(extent) = extent(spec) else {
        sheet.add_named_layer(&spec.units_layer, &spec.units_label);
        let note = lang.pick("Aucun territoire à représenter", "No territory to map");
        sheet.text(&spec.units_layer, frame.x, frame.y + 10.0, note, NOTE_FONT.sized(9.0), Anchor::Start);
        sheet.add_layer(&SOURCES_LAYER);
        draw_sources(&mut sheet, &source_lines, sources_top);
        return sheet.finish(spec.height_mm);
    };
    let projection = Projection::fit(extent, &frame);
    sheet.figure_mut().georeference = spec.crs.as_ref().map(|proj4| Georeference {
        proj4: proj4.clone(),
        scale: projection.scale,
        ground: [projection.min_x, projection.max_y],
        page: [projection.offset_x, projection.offset_y],
        frame: [frame.x, frame.y, frame.width, frame.height],
    });
    let counts = match &spec.symbolisation {
        Symbolisation::Choropleth { classification, colors } => {
            draw_choropleth(&mut sheet, spec, &projection, classification, colors)
        }
        Symbolisation::Circles => draw_circles(&mut sheet, spec, &projection),
    };
    if !spec.borders.is_empty() {
        sheet.add_layer(&BORDERS_LAYER);
        let style = Style::outline(Stroke::new(BORDER_COLOR, 0.25));
        for border in &spec.borders {
            sheet.path(BORDERS_LAYER.0, projection.rings(border), style.clone(), None);
        }
    }
    if let Some(outline) = spec.outline {
        sheet.add_layer(&TERRITORY_LAYER);
        let style = Style::outline(Stroke::new(Rgb::BLACK, 0.6));
        sheet.path(TERRITORY_LAYER.0, projection.rings(outline), style, None);
    }
    let legend_x = spec.width_mm - MARGIN - LEGEND_WIDTH;
    sheet.add_layer(&LEGEND_LAYER);
    draw_legend(&mut sheet, spec, &counts, legend_x, frame.y);
    draw_scale(&mut sheet, 1.0 / projection.scale, [legend_x, frame.y + frame.height - 4.0], LEGEND_WIDTH);
    draw_north(&mut sheet, legend_x + LEGEND_WIDTH - 6.0, frame.y + frame.height - 24.0);
    sheet.add_layer(&SOURCES_LAYER);
    draw_sources(&mut sheet, &source_lines, sources_top);
    sheet.finish(spec.height_mm)
}

/// The ground the map shows: its units and the territory's outline.
fn extent(spec: &MapSpec<'_>) -> Option<Rect<f64>> {
    spec.units
        .iter()
        .filter_map(|u| u.geometry.bounding_rect())
        .chain(spec.outline.and_then(BoundingRect::bounding_rect))
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// The units coloured by class; returns the legend's counts.
fn draw_choropleth(
    sheet: &mut Sheet,
    spec: &MapSpec<'_>,
    projection: &Projection,
    classification: &Classification,
    colors: &[Rgb],
) -> Counts {
    let mut counts = Counts { per_class: vec![0; classification.n_classes()], ..Counts::default() };
    let border = Stroke::new(Rgb::WHITE, 0.08);
    // France's 34,738 communes: projecting and labelling each unit is independent work.
    let chunks = crate::parallel::map_ranges(spec.units.len(), 4096, |range| {
        spec.units[range]
            .iter()
            .map(|unit| {
                let (class, fill) = class_fill(unit.value, classification, colors);
                Mark::Path {
                    rings: projection.rings(unit.geometry),
                    style: Style { fill, stroke: Some(border.clone()) },
                    tag: Some(unit_tag(unit, spec, class)),
                }
            })
            .collect::<Vec<_>>()
    });
    for unit in &spec.units {
        counts.count(unit.value, unit.value.number().and_then(|v| classification.class_of(v)));
    }
    sheet.add_named_layer(&spec.units_layer, &spec.units_label);
    sheet.extend(&spec.units_layer, chunks.into_iter().flatten());
    counts
}

/// Largest circle radius, in millimetres.
const MAX_RADIUS_MM: f64 = 9.0;

/// The units as a pale ground, then a circle per unit with a value, its area proportional to the
/// value's magnitude; returns the legend's counts.
fn draw_circles(sheet: &mut Sheet, spec: &MapSpec<'_>, projection: &Projection) -> Counts {
    let background_id = format!("{}-fond", spec.units_layer);
    let background_label = format!("{} ({})", spec.units_label, spec.lang.pick("fond", "background"));
    sheet.add_named_layer(&background_id, &background_label);
    let ground = Style { fill: Fill::solid(BACKGROUND_UNIT), stroke: Some(Stroke::new(BACKGROUND_BORDER, 0.08)) };
    for unit in &spec.units {
        sheet.path(&background_id, projection.rings(unit.geometry), ground.clone(), None);
    }
    let mut counts = Counts {
        max_value: spec.units.iter().filter_map(|u| u.value.number()).map(f64::abs).fold(0.0, f64::max),
        ..Counts::default()
    };
    let mut circles: Vec<(f64, &MapUnit<'_>, [f64; 2])> = Vec::new();
    for unit in &spec.units {
        match unit.value {
            Value::Available(v) if v != 0.0 && counts.max_value > 0.0 => {
                if let Some(p) = unit.geometry.interior_point() {
                    let r = MAX_RADIUS_MM * (v.abs() / counts.max_value).sqrt();
                    circles.push((r, unit, projection.point(p.x(), p.y())));
                }
            }
            Value::Available(_) => {}
            Value::Missing => counts.missing += 1,
            Value::Secret => counts.secret += 1,
        }
    }
    // Largest behind smallest; ties by code so the output is stable.
    circles.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(b.1.code)));
    sheet.add_named_layer(&spec.units_layer, &spec.units_label);
    for (r, unit, [cx, cy]) in circles {
        let style = Style {
            fill: Fill::Solid { color: CIRCLE_FILL, opacity: 0.75 },
            // Thin outlines on small circles: with thousands of communes, a fixed white outline
            // on every small circle drawn over a big one would bury it (Paris under the
            // communes of Île-de-France).
            stroke: Some(Stroke::new(Rgb::WHITE, (0.08 * r).clamp(0.02, 0.15))),
        };
        sheet.circle(&spec.units_layer, [cx, cy, r], style, Some(unit_tag(unit, spec, None)));
    }
    counts
}

#[cfg(test)]
mod tests;
