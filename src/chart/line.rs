//! The evolution line chart: one line per territory over the years, optionally as an index (base
//! 100 at the first year common to every series), on two linear [`Scale`]s (years across, values
//! up).

use std::collections::BTreeSet;

use super::axis::{Scale, label_stride, nice_ticks, tick_labels, widest_tick};
use super::{
    AXES_LAYER, ChartText, GRID_LAYER, LABELS_LAYER, LEFT, LEGEND_LAYER, LINES_LAYER, MAX_DECIMALS, POINTS_LAYER,
    REFERENCE_LAYER, Role, SOURCES_LAYER, TITLE_LAYER, WIDTH, chart_sheet, finite, label_unit, name_font,
    no_data_chart, plain_derived, role_colors, with_unit,
};
use crate::figure::page::{Sheet, Swatch, legend_flow, notes_block, sources_block};
use crate::figure::style::{AXIS_COLOR, Font, GRID_COLOR, LABEL_FONT, TICK_FONT, plain_number, value_tag};
use crate::figure::{Anchor, Figure, Fill, Rgb, Stroke, Style, Tag};
use crate::text::Lang;
use crate::value::Value;

/// A series of an evolution chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Territory code.
    pub code: String,
    /// Territory name, shown in the legend.
    pub name: String,
    /// How it is highlighted.
    pub role: Role,
    /// Values by year, in any order. A year listed as missing or secret breaks the line; a year not
    /// listed at all is simply not sampled (a census every five years is drawn as one line).
    pub points: Vec<(i32, Value)>,
}

const LINE_PLOT_MM: f64 = 62.0;

/// One series ready to draw: values by year (sorted, one per year), already indexed if asked.
struct Plotted<'a> {
    series: &'a Series,
    color: Rgb,
    points: Vec<(i32, Value)>,
}

/// What the values are: as given, or an index with its base year.
#[derive(Clone, Copy)]
struct Reading<'a> {
    indexed: bool,
    base_year: Option<i32>,
    decimals: usize,
    unit: &'a str,
    lang: Lang,
}

/// Evolution line chart over the years: x = every year of every series, placed by year value; a
/// y axis with nice ticks; one line per series, broken where a year is missing or secret (a lone
/// point is a small circle); point markers; the legend above the plot; the last values at the right
/// end. With `indexed`, each series is drawn as base 100 at the first year common to all.
/// Layers: `title`, `axes`, `gridlines`, `lines`, `points`, `labels`, `reference`, `legend`,
/// `sources`.
#[must_use]
pub fn line_chart(text: &ChartText, series: &[Series], indexed: bool) -> Figure {
    let layers = [
        TITLE_LAYER,
        AXES_LAYER,
        GRID_LAYER,
        LINES_LAYER,
        POINTS_LAYER,
        LABELS_LAYER,
        REFERENCE_LAYER,
        LEGEND_LAYER,
        SOURCES_LAYER,
    ];
    let (mut sheet, y) = chart_sheet(text, &layers);
    let lang = text.lang;
    let raw: Vec<Vec<(i32, Value)>> = series.iter().map(sorted_points).collect();
    let years: BTreeSet<i32> = raw.iter().flatten().map(|(year, _)| *year).collect();
    let base_year = if indexed { common_base_year(&raw, &years) } else { None };
    let mut notes = Vec::new();
    if indexed && base_year.is_none() && !series.is_empty() {
        let note = lang.pick(
            "Indice base 100 impossible : aucune année où toutes les séries ont une valeur.",
            "No base 100 index: no year where every series has a value.",
        );
        notes.push(note.to_owned());
    }
    let reading = Reading {
        indexed,
        base_year,
        decimals: if indexed { 1 } else { text.decimals.min(MAX_DECIMALS) },
        unit: if indexed { "" } else { text.unit.as_str() },
        lang,
    };
    let plotted = plot_series(series, raw, reading);
    // Legend above the plot, where the eye starts.
    let mut y = legend_flow(&mut sheet, &legend_items(&plotted), LEFT, WIDTH, y + 2.5) + 1.5;
    let numbers: Vec<f64> = plotted.iter().flat_map(|p| p.points.iter().filter_map(|(_, v)| v.number())).collect();
    if numbers.is_empty() {
        return no_data_chart(sheet, text, &notes, y + 1.0);
    }
    let caption = match base_year {
        Some(year) => format!("{} {year}", lang.pick("base 100 en", "base 100 in")),
        None => text.unit.clone(),
    };
    if !caption.is_empty() {
        sheet.text(AXES_LAYER.0, LEFT, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::Start);
        y += TICK_FONT.line_height() + 0.5;
    }
    let end_labels = end_labels(&plotted, years.last().copied(), reading);
    let plot = LinePlot::new(&numbers, &years, &end_labels, reading, y + 1.0);
    plot.draw_axes(&mut sheet, &years, reading);
    let mut gaps = false;
    for p in &plotted {
        gaps |= plot.draw_series(&mut sheet, p, reading);
    }
    plot.draw_end_labels(&mut sheet, &end_labels);
    if gaps {
        let note = lang.pick(
            "Courbe interrompue : année sous secret statistique ou donnée manquante.",
            "Broken line: a year under statistical secrecy or with no data.",
        );
        notes.push(note.to_owned());
    }
    let y = plot.bottom + 1.3 + TICK_FONT.line_height() + 2.0;
    let y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, LEFT, WIDTH, y);
    let height = sources_block(&mut sheet, &text.source, LEFT, WIDTH, y);
    sheet.finish(height)
}

/// Sorts a series by year and keeps the first value of a year given twice.
fn sorted_points(series: &Series) -> Vec<(i32, Value)> {
    let mut points: Vec<(i32, Value)> = series.points.iter().map(|(y, v)| (*y, finite(*v))).collect();
    points.sort_by_key(|(year, _)| *year);
    points.dedup_by_key(|(year, _)| *year);
    points
}

/// The first year where every series has a positive value: the base of an index.
fn common_base_year(series: &[Vec<(i32, Value)>], years: &BTreeSet<i32>) -> Option<i32> {
    years.iter().copied().find(|year| {
        series
            .iter()
            .all(|points| points.iter().any(|(y, v)| y == year && v.number().is_some_and(|v| v > 0.0 && v.is_finite())))
    })
}

/// Each series with its colour and its values as drawn: as given, as an index of its base-year
/// value, or without a number when an index was asked and no year can be its base.
fn plot_series<'a>(series: &'a [Series], raw: Vec<Vec<(i32, Value)>>, reading: Reading<'_>) -> Vec<Plotted<'a>> {
    let colors = role_colors(series.iter().map(|s| s.role));
    series
        .iter()
        .zip(raw)
        .zip(colors)
        .map(|((s, points), color)| {
            let points = match (reading.indexed, reading.base_year) {
                (false, _) => points,
                (true, Some(base)) => {
                    let base_value =
                        points.iter().find(|(y, _)| *y == base).and_then(|(_, v)| v.number()).unwrap_or(1.0);
                    points
                        .into_iter()
                        .map(|(y, v)| (y, v.number().map_or(v, |v| Value::Available(v / base_value * 100.0))))
                        .collect()
                }
                (true, None) => {
                    points.into_iter().map(|(y, v)| (y, v.number().map_or(v, |_| Value::Missing))).collect()
                }
            };
            Plotted { series: s, color, points }
        })
        .collect()
}

/// One legend entry per series; a series without any number says why (« s » or « nd »).
fn legend_items(plotted: &[Plotted<'_>]) -> Vec<(Swatch, String)> {
    plotted
        .iter()
        .map(|p| {
            let width = if p.series.role == Role::Territory { 0.8 } else { 0.5 };
            let name = if p.points.iter().all(|(_, v)| v.number().is_none()) {
                let secret = p.points.iter().any(|(_, v)| *v == Value::Secret);
                format!("{} ({})", p.series.name, if secret { "s" } else { "nd" })
            } else {
                p.series.name.clone()
            };
            (Swatch::LineDot(p.color, width), name)
        })
        .collect()
}

/// The last values written at the right end, for the series that reach the last year; none when
/// more than six would crowd the margin.
fn end_labels(plotted: &[Plotted<'_>], last_year: Option<i32>, reading: Reading<'_>) -> Vec<(f64, String, Font)> {
    let mut labels: Vec<(f64, String, Font)> = plotted
        .iter()
        .filter_map(|p| {
            let (year, value) = p.points.last()?;
            let v = value.number().filter(|_| Some(*year) == last_year)?;
            let label = with_unit(v, reading.decimals, label_unit(reading.unit), reading.lang);
            Some((v, label, name_font(p.series.role).colored(p.color)))
        })
        .collect();
    if labels.len() > 6 {
        labels.clear();
    }
    labels
}

/// The plot's frame and scales.
struct LinePlot {
    /// Years across, from `xa` to `xb`.
    x: Scale,
    /// Values up, from the bottom.
    y: Scale,
    ticks: Vec<f64>,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    xa: f64,
    xb: f64,
}

impl LinePlot {
    /// The frame under `top`: room on the left for the tick labels and on the right for the end
    /// labels; a little air above and below the values, without inventing negative ones.
    fn new(
        numbers: &[f64],
        years: &BTreeSet<i32>,
        ends: &[(f64, String, Font)],
        reading: Reading<'_>,
        top: f64,
    ) -> Self {
        let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if reading.base_year.is_some() { (lo.min(100.0), hi.max(100.0)) } else { (lo, hi) };
        let pad = (hi - lo) * 0.03;
        let padded_lo = if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad };
        let ticks = nice_ticks(padded_lo, hi + pad, 5);
        let left = LEFT + widest_tick(&tick_labels(&ticks, false, reading.lang)) + 2.0;
        let end_width = ends.iter().map(|(_, l, f)| f.width(l)).fold(0.0, f64::max);
        let right = LEFT + WIDTH - if end_width > 0.0 { end_width + 2.5 } else { 0.0 };
        let (xa, xb) = (left + 3.0, right - 2.0);
        let (first, last) = (years.first().copied().unwrap_or(0), years.last().copied().unwrap_or(0));
        let (lo, hi) = match (ticks.first(), ticks.last()) {
            (Some(lo), Some(hi)) if hi > lo => (*lo, *hi),
            _ => (0.0, 1.0),
        };
        let bottom = top + LINE_PLOT_MM;
        LinePlot {
            x: Scale::linear(f64::from(first), f64::from(last), xa, xb - xa),
            y: Scale::linear(lo, hi, bottom, -LINE_PLOT_MM),
            ticks,
            left,
            right,
            top,
            bottom,
            xa,
            xb,
        }
    }

    fn point(&self, year: i32, v: f64) -> [f64; 2] {
        [self.x.at(f64::from(year)), self.y.at(v)]
    }

    /// Horizontal gridlines with their labels, the zero line when values cross it, the years under
    /// the plot and the base line of an index.
    fn draw_axes(&self, sheet: &mut Sheet, years: &BTreeSet<i32>, reading: Reading<'_>) {
        for (tick, label) in self.ticks.iter().zip(tick_labels(&self.ticks, false, reading.lang)) {
            let ty = self.y.at(*tick);
            if (ty - self.bottom).abs() > 0.01 {
                let stroke = Stroke::new(GRID_COLOR, 0.2);
                sheet.line(GRID_LAYER.0, vec![[self.left, ty], [self.right, ty]], stroke, None);
            }
            sheet.text(AXES_LAYER.0, self.left - 1.5, TICK_FONT.centred(ty), &label, TICK_FONT, Anchor::End);
        }
        let axis = Stroke::new(AXIS_COLOR, 0.3);
        sheet.line(AXES_LAYER.0, vec![[self.left, self.bottom], [self.right, self.bottom]], axis.clone(), None);
        let (lo, hi) = (self.ticks.first().copied().unwrap_or(0.0), self.ticks.last().copied().unwrap_or(1.0));
        if lo < 0.0 && hi > 0.0 {
            let zero = self.y.at(0.0);
            let stroke = Stroke::new(AXIS_COLOR, 0.25);
            sheet.line(AXES_LAYER.0, vec![[self.left, zero], [self.right, zero]], stroke, None);
        }
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) => f64::from(b - a),
            _ => 0.0,
        };
        let spacing = if years.len() > 1 { (self.xb - self.xa) / span } else { f64::INFINITY };
        let stride = i32::try_from(label_stride(spacing, TICK_FONT.width("0000"))).unwrap_or(1);
        for year in years {
            let x = self.x.at(f64::from(*year));
            sheet.line(AXES_LAYER.0, vec![[x, self.bottom], [x, self.bottom + 1.0]], axis.clone(), None);
            if stride == 1 || year.rem_euclid(stride) == 0 || years.len() == 1 {
                let baseline = TICK_FONT.baseline(self.bottom + 1.3);
                sheet.text(AXES_LAYER.0, x, baseline, &year.to_string(), TICK_FONT, Anchor::Middle);
            }
        }
        // The base line; the axis caption already says which year is 100.
        if reading.base_year.is_some() {
            let stroke = Stroke::new(AXIS_COLOR, 0.3).dashed(&[1.2, 0.8]);
            let base = self.y.at(100.0);
            sheet.line(REFERENCE_LAYER.0, vec![[self.left, base], [self.right, base]], stroke, None);
        }
    }

    /// A series' line, broken where a year has no number, and its tagged points; returns whether
    /// the line was broken between two years with values.
    fn draw_series(&self, sheet: &mut Sheet, plotted: &Plotted<'_>, reading: Reading<'_>) -> bool {
        let territory = plotted.series.role == Role::Territory;
        let stroke = Stroke::new(plotted.color, if territory { 0.8 } else { 0.5 });
        let mut segment: Vec<[f64; 2]> = Vec::new();
        let mut segments = Vec::new();
        for (year, value) in &plotted.points {
            match value.number() {
                Some(v) => segment.push(self.point(*year, v)),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        let tag = Tag {
            code: plotted.series.code.clone(),
            name: plotted.series.name.clone(),
            label: plotted.series.name.clone(),
            ..Tag::default()
        };
        for segment in segments.into_iter().filter(|s| s.len() > 1) {
            sheet.line(LINES_LAYER.0, segment, stroke.clone(), Some(tag.clone()));
        }
        for (i, (year, value)) in plotted.points.iter().enumerate() {
            let Some(number) = value.number() else { continue };
            let alone =
                |j: Option<usize>| j.and_then(|j| plotted.points.get(j)).is_none_or(|(_, v)| v.number().is_none());
            let radius = if alone(i.checked_sub(1)) && alone(Some(i + 1)) {
                1.0
            } else if territory {
                0.85
            } else {
                0.7
            };
            let tag = point_tag(plotted.series, *year, *value, number, reading);
            let style = Style { fill: Fill::solid(plotted.color), stroke: Some(Stroke::new(Rgb::WHITE, 0.2)) };
            let [x, y] = self.point(*year, number);
            sheet.circle(POINTS_LAYER.0, [x, y, radius], style, Some(tag));
        }
        let available: Vec<usize> =
            (0..plotted.points.len()).filter(|&i| plotted.points[i].1.number().is_some()).collect();
        matches!((available.first(), available.last()), (Some(first), Some(last)) if available.len() < last - first + 1)
    }

    /// End labels, spread apart vertically so that close values stay readable.
    fn draw_end_labels(&self, sheet: &mut Sheet, end_labels: &[(f64, String, Font)]) {
        let mut placed: Vec<(f64, &String, Font)> = end_labels.iter().map(|(v, l, f)| (self.y.at(*v), l, *f)).collect();
        placed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut positions: Vec<f64> = placed.iter().map(|(y, ..)| *y).collect();
        spread(&mut positions, LABEL_FONT.line_height(), self.top, self.bottom);
        for ((_, label, font), ly) in placed.iter().zip(positions) {
            sheet.text(LABELS_LAYER.0, self.xb + 2.5, font.centred(ly), label, *font, Anchor::Start);
        }
    }
}

/// The tag of a series' point: its value in the year (and the base year of an index).
fn point_tag(series: &Series, year: i32, value: Value, v: f64, reading: Reading<'_>) -> Tag {
    let shown = with_unit(v, reading.decimals, reading.unit, reading.lang);
    let label = match (reading.base_year, reading.lang) {
        (Some(base), Lang::Fr) => format!("{shown} en {year} (base 100 en {base})"),
        (Some(base), Lang::En) => format!("{shown} in {year} (base 100 in {base})"),
        (None, Lang::Fr) => format!("{shown} en {year}"),
        (None, Lang::En) => format!("{shown} in {year}"),
    };
    let plain = if reading.indexed { plain_derived(v) } else { plain_number(v) };
    value_tag(&series.code, &series.name, value, Some(plain), label, reading.lang)
}

/// Moves sorted positions apart so that neighbours are at least `gap` apart, staying within
/// [lo, hi] when there is room: pushed down first, then back up from the bottom.
fn spread(positions: &mut [f64], gap: f64, lo: f64, hi: f64) {
    for i in 1..positions.len() {
        positions[i] = positions[i].max(positions[i - 1] + gap);
    }
    if let Some(last) = positions.last_mut() {
        *last = last.min(hi);
    }
    for i in (0..positions.len().saturating_sub(1)).rev() {
        positions[i] = positions[i].min(positions[i + 1] - gap);
    }
    if let Some(first) = positions.first_mut() {
        *first = first.max(lo);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::figure::Mark;

    const LINE_LAYERS: [&str; 9] =
        ["title", "axes", "gridlines", "lines", "points", "labels", "reference", "legend", "sources"];

    #[test]
    fn line_chart_has_its_layers_a_line_per_series_and_tagged_points() {
        let figure = line_chart(&text("Évolution de la population", "habitants", 0), &population_series(), false);
        assert_eq!(layer_ids(&figure), LINE_LAYERS);
        let lines: Vec<&Mark> = layer(&figure, "lines").iter().collect();
        assert_eq!(lines.len(), 2);
        let points: Vec<&Tag> = layer(&figure, "points")
            .iter()
            .filter_map(|m| if let Mark::Circle { tag, .. } = m { tag.as_ref() } else { None })
            .collect();
        assert_eq!(points.len(), 12);
        assert_eq!(points[5].value.as_deref(), Some("2615635"));
        assert_eq!(points[5].label, "2\u{202f}615\u{202f}635\u{a0}habitants en 2023");
        let labels: Vec<&str> = texts_in(&figure, "labels").into_iter().map(|t| t.2).collect();
        assert!(
            labels.contains(&"2\u{202f}615\u{202f}635") && labels.contains(&"5\u{202f}992\u{202f}194"),
            "{labels:?}"
        );
        let legend: Vec<&str> = texts_in(&figure, "legend").into_iter().map(|t| t.2).collect();
        assert_eq!(legend, ["Nord", "Hauts-de-France"]);
        let years: Vec<&str> =
            texts_in(&figure, "axes").into_iter().map(|t| t.2).filter(|t| t.starts_with("20")).collect();
        assert!(["2018", "2019", "2020", "2021", "2022", "2023"].iter().all(|y| years.contains(y)), "{years:?}");
        assert_sane(&figure);
    }

    #[test]
    fn a_missing_or_secret_year_splits_the_line() {
        let mut series = population_series();
        series[0].points[2].1 = Value::Secret;
        series[1].points[4].1 = Value::Missing;
        let figure = line_chart(&text("Série interrompue", "habitants", 0), &series, false);
        let lines: Vec<(usize, &str)> = polylines(&figure, "lines");
        // Nord: 2018–2019 and 2021–2023; région: 2018–2021, then 2023 alone.
        assert_eq!(lines, [(2, "59"), (3, "59"), (4, "32")]);
        let radii: Vec<f64> = layer(&figure, "points")
            .iter()
            .filter_map(|m| if let Mark::Circle { r, .. } = m { Some(*r) } else { None })
            .collect();
        assert_eq!(radii.len(), 10);
        assert!(radii[9] > radii[8], "the lone point is marked larger: {radii:?}");
        assert!(texts(&figure).iter().any(|t| t.starts_with("Courbe interrompue")));
        // A year not listed at all is not a gap: a series sampled every other year stays one line.
        let sparse = Series {
            code: "80".into(),
            name: "Somme".into(),
            role: Role::Comparison,
            points: vec![
                (2018, Value::Available(570_000.0)),
                (2020, Value::Available(569_000.0)),
                (2022, Value::Available(568_000.0)),
            ],
        };
        let figure =
            line_chart(&text("Recensements", "habitants", 0), &[population_series()[0].clone(), sparse], false);
        assert_eq!(layer(&figure, "lines").len(), 2);
        assert!(!texts(&figure).iter().any(|t| t.starts_with("Courbe interrompue")));
    }

    #[test]
    fn indexed_chart_is_base_100_at_the_first_common_year() {
        let mut series = population_series();
        series[1].points[0].1 = Value::Secret;
        let figure = line_chart(&text("Évolution", "habitants", 0), &series, true);
        assert!(texts_in(&figure, "axes").iter().any(|t| t.2 == "base 100 en 2019"));
        let at_2019: Vec<&Tag> = figure.tags().filter(|t| t.label.contains(" en 2019 ")).collect();
        assert_eq!(at_2019.len(), 2);
        assert!(at_2019.iter().all(|t| t.value.as_deref() == Some("100")), "{at_2019:?}");
        // Nord 2023 / 2019: 2 615 635 / 2 604 361 × 100 = 100.4329...
        let nord_2023 = figure.tags().find(|t| t.code == "59" && t.label.contains(" en 2023 ")).unwrap();
        assert_eq!(nord_2023.value.as_deref(), Some("100.4329"));
        assert_eq!(nord_2023.label, "100,4 en 2023 (base 100 en 2019)");
        assert_eq!(layer(&figure, "reference").len(), 1, "the base line");
        // No common year: nothing to index, and the chart says so.
        let mut apart = population_series();
        apart[0].points.truncate(2);
        apart[1].points.drain(..3);
        let figure = line_chart(&text("Évolution", "habitants", 0), &apart, true);
        assert!(layer(&figure, "lines").is_empty());
        assert!(texts(&figure).iter().any(|t| t.starts_with("Indice base 100 impossible")));
        assert_sane(&figure);
    }

    #[test]
    fn spread_keeps_labels_apart_inside_the_plot() {
        let mut positions = [10.0, 10.5, 11.0, 40.0];
        spread(&mut positions, 3.0, 0.0, 50.0);
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-12);
        assert!(near(&positions, &[10.0, 13.0, 16.0, 40.0]), "{positions:?}");
        let mut crowded = [48.0, 49.0, 50.0];
        spread(&mut crowded, 3.0, 0.0, 50.0);
        assert!(near(&crowded, &[44.0, 47.0, 50.0]), "pushed back up from the bottom: {crowded:?}");
    }
}
