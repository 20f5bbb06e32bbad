//! Thematic maps as figures: choropleth maps for rates and shares, proportional circles for counts,
//! with the furniture a published map needs (title, legend with class bounds and counts,
//! "secret statistique" and "donnée manquante" swatches, scale bar, north arrow, sources). Its own
//! texts and numbers follow [`MapSpec::lang`] (French by default); layer ids never change.
//!
//! Pure and deterministic: geometry comes in projected metres (a CRS in metres such as Lambert-93),
//! values already masked by secrecy. Depends on [`crate::figure`], [`crate::classify`],
//! [`crate::value`] and [`crate::text`]; knows nothing of packs.

use geo::{BoundingRect, InteriorPoint, MultiPolygon, Rect};

use crate::classify::Classification;
use crate::figure::{Anchor, Figure, Fill, Georeference, Mark, Rgb, Stroke, Style, Tag};
use crate::text::{Lang, format_number};
use crate::value::Value;

/// Grey of units without data.
pub const MISSING_GREY: Rgb = Rgb(224, 224, 224);
/// Hatching of secret units.
pub const SECRET_HATCH: Fill = Fill::Hatch { line: Rgb(110, 110, 110), background: Rgb(245, 245, 245) };
const TEXT: Rgb = Rgb(38, 38, 38);
const MUTED: Rgb = Rgb(90, 90, 90);
const CIRCLE_FILL: Rgb = Rgb(222, 45, 38);
const BACKGROUND_UNIT: Rgb = Rgb(240, 240, 240);

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

/// The value as plain text for `data-value`: full precision, decimal point.
fn plain(v: f64) -> String {
    format!("{v}")
}

fn tag_for(unit: &MapUnit<'_>, label: String, class: Option<usize>) -> Tag {
    Tag {
        code: unit.code.to_owned(),
        name: unit.name.to_owned(),
        value: unit.value.number().map(plain),
        label,
        class,
        status: match unit.value {
            Value::Available(_) => None,
            Value::Missing => Some("nd"),
            Value::Secret => Some("secret"),
        },
    }
}

fn value_label(value: Value, decimals: usize, unit: &str, lang: Lang) -> String {
    match value {
        Value::Available(v) if unit.is_empty() => format_number(v, decimals, lang),
        Value::Available(v) => format!("{} {unit}", format_number(v, decimals, lang)),
        Value::Missing => lang.pick("donnée manquante", "no data").into(),
        Value::Secret => lang.pick("secret statistique", "statistical secrecy").into(),
    }
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

const MARGIN: f64 = 8.0;
const LEGEND_WIDTH: f64 = 52.0;
/// Top of the map frame and of the legend, in millimetres.
const FRAME_TOP: f64 = 22.0;

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
        let class = unit.value.number().and_then(|v| classification.class_of(v));
        style.fill = match (unit.value, class) {
            (Value::Secret, _) => SECRET_HATCH,
            (_, Some(c)) => Fill::solid(colors.get(c).copied().unwrap_or(MISSING_GREY)),
            (_, None) => Fill::solid(MISSING_GREY),
        };
        tag.class = class;
        match (unit.value, class) {
            (Value::Secret, _) => counts.secret += 1,
            (_, Some(c)) => counts.per_class[c] += 1,
            (_, None) => counts.missing += 1,
        }
    }
    if let Some(legend) = figure.layers.iter_mut().find(|l| l.id == "legend") {
        legend.marks.clear();
    }
    legend_layer(figure, spec, &counts, spec.width_mm - MARGIN - LEGEND_WIDTH, FRAME_TOP);
    true
}

/// Builds the map.
#[must_use]
pub fn map_figure(spec: &MapSpec<'_>) -> Figure {
    let lang = spec.lang;
    let mut figure = Figure::new(spec.width_mm, spec.height_mm, &spec.title);
    figure.lang = lang;

    let source_lines = crate::chart::wrap(&spec.source, spec.width_mm - 2.0 * MARGIN, 6.5);
    let sources_height = source_lines.len() as f64 * 3.0 + 2.0;
    let frame = Frame {
        x: MARGIN,
        y: FRAME_TOP,
        width: spec.width_mm - 2.0 * MARGIN - LEGEND_WIDTH - 4.0,
        height: spec.height_mm - FRAME_TOP - MARGIN - sources_height,
    };
    let extent = spec
        .units
        .iter()
        .filter_map(|u| u.geometry.bounding_rect())
        .chain(spec.outline.and_then(BoundingRect::bounding_rect))
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });

    title_layer(&mut figure, spec, MARGIN);
    let Some(extent) = extent else {
        let layer = figure.layer(&spec.units_layer, &spec.units_label);
        let note = lang.pick("Aucun territoire à représenter", "No territory to map");
        layer.marks.push(text_mark(frame.x, frame.y + 10.0, note, 9.0, false, MUTED));
        sources_layer(&mut figure, &source_lines, spec.height_mm - MARGIN - sources_height + 3.0, MARGIN);
        return figure;
    };
    let projection = Projection::fit(extent, &frame);
    figure.georeference = spec.crs.as_ref().map(|proj4| Georeference {
        proj4: proj4.clone(),
        scale: projection.scale,
        ground: [projection.min_x, projection.max_y],
        page: [projection.offset_x, projection.offset_y],
        frame: [frame.x, frame.y, frame.width, frame.height],
    });

    let mut counts = Counts::default();
    match &spec.symbolisation {
        Symbolisation::Choropleth { classification, colors } => {
            choropleth_layer(&mut figure, spec, &projection, classification, colors, &mut counts);
        }
        Symbolisation::Circles => circles_layers(&mut figure, spec, &projection, &mut counts),
    }
    if !spec.borders.is_empty() {
        let layer = figure.layer("borders", lang.pick("Limites", "Borders"));
        for border in &spec.borders {
            layer.marks.push(Mark::Path {
                rings: projection.rings(border),
                style: Style::outline(Stroke::new(Rgb(70, 70, 70), 0.25)),
                tag: None,
            });
        }
    }
    if let Some(outline) = spec.outline {
        figure.layer("territory", lang.pick("Territoire d'étude", "Study area")).marks.push(Mark::Path {
            rings: projection.rings(outline),
            style: Style::outline(Stroke::new(Rgb(0, 0, 0), 0.6)),
            tag: None,
        });
    }
    let legend_x = spec.width_mm - MARGIN - LEGEND_WIDTH;
    legend_layer(&mut figure, spec, &counts, legend_x, frame.y);
    scale_layer(&mut figure, &projection, legend_x, frame.y + frame.height - 4.0, LEGEND_WIDTH, lang);
    north_layer(&mut figure, legend_x + LEGEND_WIDTH - 6.0, frame.y + frame.height - 24.0, lang);
    sources_layer(&mut figure, &source_lines, spec.height_mm - MARGIN - sources_height + 3.0, MARGIN);
    figure
}

#[derive(Default)]
struct Counts {
    per_class: Vec<usize>,
    secret: usize,
    missing: usize,
    max_value: f64,
}

fn title_layer(figure: &mut Figure, spec: &MapSpec<'_>, margin: f64) {
    let layer = figure.layer("title", spec.lang.pick("Titre", "Title"));
    layer.marks.push(text_mark(margin, 11.0, &spec.title, 12.0, true, TEXT));
    if !spec.subtitle.is_empty() {
        layer.marks.push(text_mark(margin, 17.0, &spec.subtitle, 8.5, false, MUTED));
    }
}

/// The sources block; its layer label is the same word in French and English.
fn sources_layer(figure: &mut Figure, lines: &[String], top: f64, margin: f64) {
    let layer = figure.layer("sources", "Sources");
    for (i, line) in lines.iter().enumerate() {
        layer.marks.push(text_mark(margin, top + i as f64 * 3.0, line, 6.5, false, MUTED));
    }
}

fn text_mark(x: f64, y: f64, text: &str, size_pt: f64, bold: bool, color: Rgb) -> Mark {
    Mark::Text { x, y, text: text.to_owned(), size_pt, anchor: Anchor::Start, bold, color }
}

fn choropleth_layer(
    figure: &mut Figure,
    spec: &MapSpec<'_>,
    projection: &Projection,
    classification: &Classification,
    colors: &[Rgb],
    counts: &mut Counts,
) {
    counts.per_class = vec![0; classification.n_classes()];
    let border = Stroke::new(Rgb::WHITE, 0.08);
    // France's 34,738 communes: projecting and labelling each unit is independent work.
    let chunks = crate::parallel::map_ranges(spec.units.len(), 4096, |range| {
        spec.units[range]
            .iter()
            .map(|unit| {
                let class = unit.value.number().and_then(|v| classification.class_of(v));
                let fill = match (unit.value, class) {
                    (Value::Secret, _) => SECRET_HATCH,
                    (_, Some(c)) => Fill::solid(colors.get(c).copied().unwrap_or(MISSING_GREY)),
                    (_, None) => Fill::solid(MISSING_GREY),
                };
                let label = value_label(unit.value, spec.decimals, &spec.unit, spec.lang);
                Mark::Path {
                    rings: projection.rings(unit.geometry),
                    style: Style { fill, stroke: Some(border.clone()) },
                    tag: Some(tag_for(unit, label, class)),
                }
            })
            .collect::<Vec<_>>()
    });
    for unit in &spec.units {
        match (unit.value, unit.value.number().and_then(|v| classification.class_of(v))) {
            (Value::Secret, _) => counts.secret += 1,
            (_, Some(c)) => counts.per_class[c] += 1,
            (_, None) => counts.missing += 1,
        }
    }
    let layer = figure.layer(&spec.units_layer, &spec.units_label);
    layer.marks.reserve(spec.units.len());
    for chunk in chunks {
        layer.marks.extend(chunk);
    }
}

/// Largest circle radius, in millimetres.
const MAX_RADIUS_MM: f64 = 9.0;

fn circles_layers(figure: &mut Figure, spec: &MapSpec<'_>, projection: &Projection, counts: &mut Counts) {
    let background_label = format!("{} ({})", spec.units_label, spec.lang.pick("fond", "background"));
    let background = figure.layer(&format!("{}-fond", spec.units_layer), &background_label);
    for unit in &spec.units {
        background.marks.push(Mark::Path {
            rings: projection.rings(unit.geometry),
            style: Style { fill: Fill::solid(BACKGROUND_UNIT), stroke: Some(Stroke::new(Rgb(200, 200, 200), 0.08)) },
            tag: None,
        });
    }
    counts.max_value = spec.units.iter().filter_map(|u| u.value.number()).map(f64::abs).fold(0.0, f64::max);
    let mut circles: Vec<(f64, &MapUnit<'_>, [f64; 2])> = Vec::new();
    for unit in &spec.units {
        match unit.value {
            Value::Available(v) if v != 0.0 && counts.max_value > 0.0 => {
                if let Some(p) = unit.geometry.interior_point() {
                    circles.push((
                        MAX_RADIUS_MM * (v.abs() / counts.max_value).sqrt(),
                        unit,
                        projection.point(p.x(), p.y()),
                    ));
                }
            }
            Value::Available(_) => {}
            Value::Missing => counts.missing += 1,
            Value::Secret => counts.secret += 1,
        }
    }
    // Largest behind smallest; ties by code so the output is stable.
    circles.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(b.1.code)));
    let layer = figure.layer(&spec.units_layer, &spec.units_label);
    for (r, unit, [cx, cy]) in circles {
        let label = value_label(unit.value, spec.decimals, &spec.unit, spec.lang);
        layer.marks.push(Mark::Circle {
            cx,
            cy,
            r,
            style: Style {
                fill: Fill::Solid { color: CIRCLE_FILL, opacity: 0.75 },
                // Thin outlines on small circles: with thousands of communes, a fixed white outline
                // on every small circle drawn over a big one would bury it (Paris under the
                // communes of Île-de-France).
                stroke: Some(Stroke::new(Rgb::WHITE, (0.08 * r).clamp(0.02, 0.15))),
            },
            tag: Some(tag_for(unit, label, None)),
        });
    }
}

/// The text of a class in the legend, with its closure: the first class includes its lower bound.
/// French writes `[1,5 ; 2,5]` then `]2,5 ; 4,0]`; English, whose numbers hold commas, writes
/// `[1.5 – 2.5]` then `(2.5 – 4.0]`.
///
/// ```
/// use indicarto::map::class_label;
/// use indicarto::text::Lang;
/// let breaks = [0.0, 1500.0, 2500.5];
/// assert_eq!(class_label(&breaks, 0, 1, Lang::Fr), "[0,0 ; 1\u{202f}500,0]");
/// assert_eq!(class_label(&breaks, 1, 1, Lang::En), "(1,500.0 – 2,500.5]");
/// ```
#[must_use]
pub fn class_label(breaks: &[f64], class: usize, decimals: usize, lang: Lang) -> String {
    let low = format_number(breaks[class], decimals, lang);
    let high = format_number(breaks[class + 1], decimals, lang);
    match (lang, class) {
        (Lang::Fr, 0) => format!("[{low} ; {high}]"),
        (Lang::Fr, _) => format!("]{low} ; {high}]"),
        (Lang::En, 0) => format!("[{low} – {high}]"),
        (Lang::En, _) => format!("({low} – {high}]"),
    }
}

fn legend_layer(figure: &mut Figure, spec: &MapSpec<'_>, counts: &Counts, x: f64, top: f64) {
    let lang = spec.lang;
    let layer = figure.layer("legend", lang.pick("Légende", "Legend"));
    let heading = if spec.unit.is_empty() {
        lang.pick("Valeurs", "Values").to_owned()
    } else {
        format!("{} {}", lang.pick("En", "In"), spec.unit)
    };
    layer.marks.push(text_mark(x, top + 3.0, &heading, 8.0, true, TEXT));
    let mut y = top + 7.0;
    let swatch = |layer: &mut crate::figure::Layer, y: f64, fill: Fill, label: String| {
        layer.marks.push(Mark::Rect {
            x,
            y,
            width: 6.0,
            height: 4.0,
            style: Style { fill, stroke: Some(Stroke::new(Rgb(150, 150, 150), 0.1)) },
            tag: None,
        });
        layer.marks.push(text_mark(x + 8.0, y + 3.2, &label, 7.0, false, TEXT));
    };
    match &spec.symbolisation {
        Symbolisation::Choropleth { classification, colors } => {
            // Highest class on top, as readers expect.
            for class in (0..classification.n_classes()).rev() {
                let label = format!(
                    "{}  ({})",
                    class_label(&classification.breaks, class, spec.decimals, lang),
                    counts.per_class.get(class).copied().unwrap_or(0)
                );
                swatch(layer, y, Fill::solid(colors.get(class).copied().unwrap_or(MISSING_GREY)), label);
                y += 5.5;
            }
            layer.marks.push(text_mark(
                x,
                y + 2.5,
                &format!("{} {}", lang.pick("Méthode :", "Method:"), classification.method_label(lang)),
                6.5,
                false,
                MUTED,
            ));
            y += 5.0;
        }
        Symbolisation::Circles => {
            if counts.max_value > 0.0 {
                let references = circle_references(counts.max_value);
                let base = y + 2.0 * MAX_RADIUS_MM;
                let cx = x + MAX_RADIUS_MM;
                for value in references {
                    let r = MAX_RADIUS_MM * (value / counts.max_value).sqrt();
                    layer.marks.push(Mark::Circle {
                        cx,
                        cy: base - r,
                        r,
                        style: Style::outline(Stroke::new(TEXT, 0.15)),
                        tag: None,
                    });
                    layer.marks.push(Mark::Polyline {
                        points: vec![[cx, base - 2.0 * r], [cx + MAX_RADIUS_MM + 3.0, base - 2.0 * r]],
                        stroke: Stroke::new(MUTED, 0.1),
                        tag: None,
                    });
                    layer.marks.push(text_mark(
                        cx + MAX_RADIUS_MM + 4.0,
                        base - 2.0 * r + 1.0,
                        &format_number(value, spec.decimals, lang),
                        7.0,
                        false,
                        TEXT,
                    ));
                }
                y = base + 5.0;
            }
        }
    }
    let secret = lang.pick("Secret statistique", "Statistical secrecy");
    swatch(layer, y, SECRET_HATCH, format!("{secret}  ({})", counts.secret));
    y += 5.5;
    let missing = lang.pick("Donnée manquante", "No data");
    swatch(layer, y, Fill::solid(MISSING_GREY), format!("{missing}  ({})", counts.missing));
}

/// Two or three round values for the circle legend: the maximum, and round fractions of it.
fn circle_references(max: f64) -> Vec<f64> {
    let magnitude = 10f64.powf(max.log10().floor());
    let round_max = (max / magnitude).floor() * magnitude;
    let mut values = vec![round_max, round_max / 4.0, round_max / 20.0];
    values.retain(|v| *v > 0.0);
    values.dedup();
    values
}

fn scale_layer(figure: &mut Figure, projection: &Projection, x: f64, y: f64, max_width: f64, lang: Lang) {
    // mm on the page per metre on the ground; a bar of a round length near 40 % of the legend width.
    let metres_per_mm = 1.0 / projection.scale;
    let target_m = max_width * 0.6 * metres_per_mm;
    let magnitude = 10f64.powf(target_m.log10().floor());
    let length_m = [5.0, 2.0, 1.0].iter().map(|f| f * magnitude).find(|l| *l <= target_m).unwrap_or(magnitude);
    let length_mm = length_m / metres_per_mm;
    let layer = figure.layer("scale", lang.pick("Échelle", "Scale"));
    layer.marks.push(Mark::Polyline {
        points: vec![[x, y - 1.5], [x, y], [x + length_mm, y], [x + length_mm, y - 1.5]],
        stroke: Stroke::new(TEXT, 0.3),
        tag: None,
    });
    let label = if length_m >= 1000.0 {
        format!("{} km", format_number(length_m / 1000.0, 0, lang))
    } else {
        format!("{} m", format_number(length_m, 0, lang))
    };
    layer.marks.push(Mark::Text {
        x: x + length_mm / 2.0,
        y: y - 2.5,
        text: label,
        size_pt: 7.0,
        anchor: Anchor::Middle,
        bold: false,
        color: TEXT,
    });
}

fn north_layer(figure: &mut Figure, x: f64, y: f64, lang: Lang) {
    let layer = figure.layer("north", lang.pick("Nord", "North"));
    layer.marks.push(Mark::Path {
        rings: vec![vec![[x, y], [x + 2.5, y + 7.0], [x, y + 5.5], [x - 2.5, y + 7.0]]],
        style: Style::fill(TEXT),
        tag: None,
    });
    layer.marks.push(Mark::Text {
        x,
        y: y - 1.0,
        text: "N".into(),
        size_pt: 8.0,
        anchor: Anchor::Middle,
        bold: true,
        color: TEXT,
    });
}

#[cfg(test)]
mod tests {
    use geo::{MultiPolygon, polygon};

    use super::*;
    use crate::classify::{Method, classify};

    /// A 10 km square whose lower left corner is at (x, y) km.
    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        let (x, y) = (x * 1000.0, y * 1000.0);
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + 10_000.0, y: y),
            (x: x + 10_000.0, y: y + 10_000.0),
            (x: x, y: y + 10_000.0),
            (x: x, y: y),
        ]])
    }

    const NAMES: [&str; 6] = ["Amiens", "Boves", "Camon", "Dury", "Longueau", "Salouël"];
    const VALUES: [Value; 6] = [
        Value::Available(2707.5),
        Value::Available(12_345.6),
        Value::Available(1234.0),
        Value::Secret,
        Value::Missing,
        Value::Available(503.25),
    ];

    fn spec<'a>(
        geometries: &'a [MultiPolygon<f64>],
        symbolisation: Symbolisation,
        unit: &str,
        lang: Lang,
    ) -> MapSpec<'a> {
        let units = geometries
            .iter()
            .enumerate()
            .map(|(i, geometry)| MapUnit { code: NAMES[i], name: NAMES[i], geometry, value: VALUES[i] })
            .collect();
        MapSpec {
            title: "Density".into(),
            subtitle: "Population density, 2023".into(),
            source: "Source: Insee.".into(),
            unit: unit.into(),
            decimals: 1,
            units,
            borders: vec![&geometries[0]],
            outline: Some(&geometries[1]),
            symbolisation,
            units_layer: "communes".into(),
            units_label: "Communes".into(),
            width_mm: 180.0,
            height_mm: 160.0,
            lang,
            crs: None,
        }
    }

    fn geometries() -> Vec<MultiPolygon<f64>> {
        (0..6).map(|i| square(f64::from(i % 3) * 10.0, f64::from(i / 3) * 10.0)).collect()
    }

    fn choropleth() -> Symbolisation {
        let values: Vec<f64> = VALUES.iter().filter_map(|v| v.number()).collect();
        let classification = classify(&values, &Method::EqualInterval, 3).unwrap();
        Symbolisation::Choropleth { classification, colors: vec![Rgb(1, 1, 1), Rgb(2, 2, 2), Rgb(3, 3, 3)] }
    }

    #[test]
    fn restyling_gives_the_figure_a_rebuild_would_give() {
        let geometries = geometries();
        let values: Vec<f64> = VALUES.iter().filter_map(|v| v.number()).collect();
        let before = spec(&geometries, choropleth(), "hab./km²", Lang::Fr);
        let classification = classify(&values, &Method::Quantile, 4).unwrap();
        let colors = crate::palette::palette("RdYlBu").unwrap().colors(4).unwrap();
        let after = spec(&geometries, Symbolisation::Choropleth { classification, colors }, "hab./km²", Lang::Fr);
        let mut figure = map_figure(&before);
        assert!(restyle(&mut figure, &after));
        assert_eq!(figure, map_figure(&after), "same as built from scratch");
        // Other units, circles or another language: refused, the figure untouched.
        let circles = spec(&geometries, Symbolisation::Circles, "hab./km²", Lang::Fr);
        let english = spec(&geometries, choropleth(), "hab./km²", Lang::En);
        let fewer = spec(&geometries[..5], choropleth(), "hab./km²", Lang::Fr);
        for other in [circles, english, fewer] {
            let mut kept = map_figure(&before);
            assert!(!restyle(&mut kept, &other));
            assert_eq!(kept, map_figure(&before));
        }
    }

    fn layer_ids(figure: &Figure) -> Vec<&str> {
        figure.layers.iter().map(|l| l.id.as_str()).collect()
    }

    const FRENCH_WORDS: [&str; 13] = [
        "Titre",
        "Légende",
        "Valeurs",
        "En ",
        "Méthode",
        "Intervalles",
        "ecret statistique",
        "onnée manquante",
        "Limites",
        "Territoire d'étude",
        "Échelle",
        "Nord",
        "fond",
    ];

    #[test]
    fn english_maps_have_english_texts_and_the_same_layer_ids() {
        let geometries = geometries();
        for (symbolisation, unit) in [(choropleth(), "hab./km²"), (Symbolisation::Circles, ""), (choropleth(), "")] {
            let circles = symbolisation == Symbolisation::Circles;
            let french = map_figure(&spec(&geometries, symbolisation.clone(), unit, Lang::Fr));
            let english = map_figure(&spec(&geometries, symbolisation, unit, Lang::En));
            assert_eq!(layer_ids(&french), layer_ids(&english));
            let codes = |f: &Figure| f.tags().map(|t| (t.code.clone(), t.status, t.value.clone())).collect::<Vec<_>>();
            assert_eq!(codes(&french), codes(&english));
            let texts = english.visible_texts();
            for text in &texts {
                for word in FRENCH_WORDS {
                    assert!(!text.contains(word), "« {word} » in « {text} »");
                }
            }
            for expected in ["Title", "Legend", "Borders", "Study area", "Scale", "North"] {
                assert!(texts.iter().any(|t| t == expected), "{expected} in {texts:?}");
            }
            assert!(texts.contains(&"Statistical secrecy  (1)".to_owned()), "{texts:?}");
            assert!(texts.contains(&"No data  (1)".to_owned()), "{texts:?}");
            // Secret units have no circle, hence no tooltip, on a circle map.
            assert_eq!(texts.contains(&"statistical secrecy".to_owned()), !circles, "{texts:?}");
            assert_eq!(texts.contains(&"no data".to_owned()), !circles, "{texts:?}");
            let french_texts = french.visible_texts();
            assert!(french_texts.contains(&"Secret statistique  (1)".to_owned()), "{french_texts:?}");
            assert!(french_texts.contains(&"Légende".to_owned()));
        }
    }

    #[test]
    fn english_legend_and_labels_write_numbers_the_english_way() {
        let geometries = geometries();
        let english = map_figure(&spec(&geometries, choropleth(), "hab./km²", Lang::En)).visible_texts();
        assert!(english.contains(&"In hab./km²".to_owned()), "{english:?}");
        assert!(english.contains(&"Method: Equal intervals".to_owned()), "{english:?}");
        assert!(english.contains(&"12,345.6 hab./km²".to_owned()), "tooltip: {english:?}");
        // 503.25 rounds half away from zero, as Insee and Excel print it.
        assert!(english.iter().any(|t| t.starts_with("[503.3") && t.contains(" – ")), "{english:?}");
        assert!(english.iter().any(|t| t.starts_with('(') && t.contains("12,345.6]")), "{english:?}");
        let french = map_figure(&spec(&geometries, choropleth(), "hab./km²", Lang::Fr)).visible_texts();
        assert!(french.contains(&"En hab./km²".to_owned()), "{french:?}");
        assert!(french.contains(&"Méthode : Intervalles égaux".to_owned()), "{french:?}");
        assert!(french.contains(&"12\u{202f}345,6 hab./km²".to_owned()), "{french:?}");
        assert!(french.iter().any(|t| t.starts_with(']') && t.contains("12\u{202f}345,6]")), "{french:?}");
        let circles = map_figure(&spec(&geometries, Symbolisation::Circles, "", Lang::En)).visible_texts();
        assert!(circles.contains(&"Values".to_owned()) && circles.contains(&"10,000.0".to_owned()), "{circles:?}");
        assert!(circles.iter().any(|t| t.ends_with(" km")), "{circles:?}");
    }

    /// The georeference a map records places the ground where the map drew it, inside the map frame.
    #[test]
    fn the_georeference_agrees_with_the_drawn_units() {
        let geometries = geometries();
        let proj4 = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000";
        let mut spec = spec(&geometries, choropleth(), "", Lang::Fr);
        assert!(map_figure(&spec).georeference.is_none(), "no CRS given, no georeference");
        spec.crs = Some(proj4.to_owned());
        let figure = map_figure(&spec);
        let georeference = figure.georeference.clone().expect("a georeference");
        assert_eq!(georeference.proj4, proj4);
        let layer = figure.layers.iter().find(|l| l.id == "communes").expect("units layer");
        for (geometry, mark) in geometries.iter().zip(&layer.marks) {
            let Mark::Path { rings, .. } = mark else { panic!("a unit is a path") };
            for (ground, page) in geometry.0[0].exterior().0.iter().zip(&rings[0]) {
                let expected = georeference.to_page(ground.x, ground.y);
                assert!((expected[0] - page[0]).abs() < 1e-9 && (expected[1] - page[1]).abs() < 1e-9);
                let back = georeference.to_ground(page[0], page[1]);
                assert!((back[0] - ground.x).abs() < 1e-6 && (back[1] - ground.y).abs() < 1e-6);
                let [x, y, w, h] = georeference.frame;
                assert!(
                    page[0] >= x - 1e-9 && page[0] <= x + w + 1e-9 && page[1] >= y - 1e-9 && page[1] <= y + h + 1e-9
                );
            }
        }
        // North is up: a point 10 km north is higher on the page (smaller y), by 10 km at the map's scale.
        let [_, y0] = georeference.to_page(0.0, 0.0);
        let [_, y1] = georeference.to_page(0.0, 10_000.0);
        assert!((y0 - y1 - 10_000.0 * georeference.scale).abs() < 1e-9);
    }

    #[test]
    fn an_empty_english_map_says_so_in_english() {
        let geometries = geometries();
        let empty = MapSpec {
            units: Vec::new(),
            outline: None,
            borders: Vec::new(),
            ..spec(&geometries, choropleth(), "", Lang::En)
        };
        let figure = map_figure(&empty);
        assert!(figure.visible_texts().contains(&"No territory to map".to_owned()));
    }
}
