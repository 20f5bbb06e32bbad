//! The position chart: every unit of a level as a dot on one value [`Scale`] (linear, or by
//! decades), stacked as a beeswarm so that dots do not overlap, the territory and the comparison
//! zones labelled above the strip without their labels colliding.

use super::axis::{Scale, label_stride, log_ticks, nice_ticks, tick_labels, widest_tick};
use super::{
    AXES_LAYER, ChartText, Entry, GRID_LAYER, LABELS_LAYER, LEFT, LEGEND_LAYER, MAX_DECIMALS, POINTS_LAYER,
    REFERENCE_LAYER, Role, SOURCES_LAYER, TITLE_LAYER, WIDTH, chart_sheet, finite, label_unit, name_font, name_value,
    no_data_chart, role_colors, with_unit,
};
use crate::figure::page::{Sheet, Swatch, legend_flow, notes_block, sources_block, truncate};
use crate::figure::style::{
    AXIS_COLOR, Font, GRID_COLOR, LABEL_FONT, OUTLINE_GREY, TICK_FONT, plain_number, status_label, value_tag,
};
use crate::figure::{Anchor, Figure, Fill, Rgb, Stroke, Style, Tag};
use crate::text::{Lang, format_number};
use crate::value::Value;

/// Largest height of the dot strip; denser distributions use smaller dots, then overlap.
const STRIP_MAX_MM: f64 = 42.0;
const STRIP_MIN_MM: f64 = 10.0;
/// Smaller dots would read as noise; past this size dense distributions overlap instead.
const SMALLEST_DOT_MM: f64 = 0.8;

/// Position chart: every unit of a level as a dot on a horizontal value axis, stacked so that dots
/// do not overlap (smaller dots for dense distributions, down to a floor past which they overlap
/// with transparency); the territory highlighted and labelled; comparison zones as vertical
/// reference lines with their names and values; units without a value counted in a note. With
/// `log_scale`, a logarithmic axis when every value is positive (otherwise linear, with a note).
/// Layers: `title`, `axes`, `gridlines`, `points`, `labels`, `reference`, `legend`, `sources`.
#[must_use]
pub fn position_chart(text: &ChartText, units: &[Entry], references: &[Entry], log_scale: bool) -> Figure {
    let layers =
        [TITLE_LAYER, AXES_LAYER, GRID_LAYER, POINTS_LAYER, LABELS_LAYER, REFERENCE_LAYER, LEGEND_LAYER, SOURCES_LAYER];
    let (mut sheet, y) = chart_sheet(text, &layers);
    let y = y + 3.0;
    let mut available = with_values(units);
    // Dots go left to right; ties by code so the layout is the same on every run.
    available.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let reference_values = with_values(references);
    let all_values: Vec<f64> = available.iter().chain(&reference_values).map(|(v, _)| *v).collect();
    let log = log_scale && !all_values.is_empty() && all_values.iter().all(|v| *v > 0.0);
    let mut notes = Vec::new();
    if log_scale && !log && !all_values.is_empty() {
        let note = text.lang.pick(
            "Échelle linéaire : certaines valeurs sont nulles ou négatives.",
            "Linear scale: some values are zero or negative.",
        );
        notes.push(note.to_owned());
    }
    notes.extend(without_value_notes(units, references, text.lang));
    if all_values.is_empty() {
        return no_data_chart(sheet, text, &notes, y);
    }
    let (scale, ticks) = value_axis(&all_values, log);
    let chart = Position::new(text, available, reference_values, scale);
    let y = chart.draw(&mut sheet, &ticks, y);
    let y = legend_flow(&mut sheet, &chart.legend_items(), LEFT, WIDTH, y + 1.0);
    let y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, LEFT, WIDTH, y + 0.5);
    let height = sources_block(&mut sheet, &text.source, LEFT, WIDTH, y);
    sheet.finish(height)
}

/// The entries that have a value, with it.
fn with_values(entries: &[Entry]) -> Vec<(f64, &Entry)> {
    entries.iter().filter_map(|e| finite(e.value).number().map(|v| (v, e))).collect()
}

/// A count with its noun, singular or plural as the language wants: French takes the singular for 0
/// and 1, English only for 1.
fn count(n: usize, singular: &str, plural: &str, lang: Lang) -> String {
    let one = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    format!("{} {}", format_number(n as f64, 0, lang), if one { singular } else { plural })
}

/// The notes on units and references without a value: how many, how many of them secret, and why
/// each highlighted one has none.
fn without_value_notes(units: &[Entry], references: &[Entry], lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    let without: Vec<&Entry> = units.iter().filter(|e| finite(e.value).number().is_none()).collect();
    if !without.is_empty() {
        let secret = without.iter().filter(|e| e.value == Value::Secret).count();
        let mut note = match lang {
            Lang::Fr => count(without.len(), "unité sans valeur", "unités sans valeur", lang),
            Lang::En => count(without.len(), "unit without a value", "units without a value", lang),
        };
        if secret > 0 {
            let secret = format_number(secret as f64, 0, lang);
            note = match lang {
                Lang::Fr => format!("{note}, dont {secret} sous secret statistique"),
                Lang::En => format!("{note}, {secret} of them under statistical secrecy"),
            };
        }
        for entry in without.iter().filter(|e| e.role != Role::Other) {
            // A value that is not a finite number is as good as missing.
            let why = status_label(finite(entry.value), lang).unwrap_or_default();
            note = match lang {
                Lang::Fr => format!("{note} ; {} : {why}", entry.name),
                Lang::En => format!("{note}; {}: {why}", entry.name),
            };
        }
        notes.push(format!("{note}."));
    }
    let missing_references: Vec<String> = references
        .iter()
        .filter(|e| finite(e.value).number().is_none())
        .map(|e| format!("{} ({})", e.name, e.value.marker().unwrap_or("nd")))
        .collect();
    if !missing_references.is_empty() {
        let heading = lang.pick("Référence sans valeur :", "Reference without a value:");
        notes.push(format!("{heading} {}.", missing_references.join(", ")));
    }
    notes
}

/// The value scale across the plot and its ticks: decades when `log`, nice round steps otherwise.
fn value_axis(values: &[f64], log: bool) -> (Scale, Vec<f64>) {
    let (plot_left, length) = (LEFT + 2.0, WIDTH - 4.0);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if log {
        let lo = lo.log10().floor() as i32;
        let hi = (hi.log10().ceil() as i32).max(lo + 1);
        (Scale::log10(lo, hi, plot_left, length).clamped(), log_ticks(lo, hi))
    } else {
        let ticks = nice_ticks(lo, hi, 6);
        let (first, last) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
        (Scale::linear(first, last.max(first + f64::EPSILON), plot_left, length).clamped(), ticks)
    }
}

/// Places dots of diameter `d` on rows so that no two overlap: each dot, taken left to right,
/// goes to the row nearest the centre line (0, +1, −1, +2…) whose last dot is at least `d` to its
/// left. Returns each dot's row, or `None` as soon as more than `max_rows` rows would be needed, so
/// that trying a dot size too large for a dense distribution costs little.
fn swarm_rows(xs: &[f64], d: f64, max_rows: usize) -> Option<Vec<i32>> {
    let mut last: Vec<f64> = Vec::new();
    let mut rows = Vec::with_capacity(xs.len());
    for &x in xs {
        let mut k = 0i32;
        loop {
            let index = if k > 0 { 2 * k as usize - 1 } else { 2 * k.unsigned_abs() as usize };
            if index >= max_rows {
                return None;
            }
            match last.get_mut(index) {
                None => {
                    last.resize(index + 1, f64::NEG_INFINITY);
                    last[index] = x;
                    break;
                }
                Some(previous) if *previous + d <= x + 1e-9 => {
                    *previous = x;
                    break;
                }
                Some(_) => k = if k > 0 { -k } else { -k + 1 },
            }
        }
        rows.push(k);
    }
    Some(rows)
}

/// The dots' size and rows in the strip.
struct Swarm {
    diameter: f64,
    rows: Vec<i32>,
    /// Distance between two rows: the diameter, or less when the dots overlap.
    step: f64,
    overlapping: bool,
    max_row: i32,
    /// Rows from the lowest to the highest.
    span: f64,
    height: f64,
}

impl Swarm {
    /// The largest dots that fit the strip; past the smallest size, dots overlap (drawn lighter).
    fn new(xs: &[f64]) -> Swarm {
        let fitting = [2.4, 2.0, 1.6, 1.3, 1.0, SMALLEST_DOT_MM].into_iter().find_map(|d| {
            let rows = swarm_rows(xs, d, (STRIP_MAX_MM / d) as usize)?;
            let span = rows.iter().max().copied().unwrap_or(0) - rows.iter().min().copied().unwrap_or(0) + 1;
            (f64::from(span) * d <= STRIP_MAX_MM).then_some((d, rows))
        });
        let (diameter, rows) = fitting.unwrap_or_else(|| {
            (SMALLEST_DOT_MM, swarm_rows(xs, SMALLEST_DOT_MM, usize::MAX).unwrap_or_else(|| vec![0; xs.len()]))
        });
        let (min_row, max_row) = (rows.iter().min().copied().unwrap_or(0), rows.iter().max().copied().unwrap_or(0));
        let span = f64::from(max_row - min_row + 1);
        let step = diameter.min(STRIP_MAX_MM / span);
        Swarm {
            diameter,
            rows,
            step,
            overlapping: step < diameter,
            max_row,
            span,
            height: (span * step).max(STRIP_MIN_MM) + 2.0,
        }
    }

    /// Radius of a highlighted dot, larger than the others.
    fn big(&self) -> f64 {
        (self.diameter * 0.75).max(1.3)
    }
}

/// What an annotation points at: a dot (index in the sorted units) or a reference (index in the
/// references with a value).
#[derive(Debug, Clone, Copy)]
enum Target {
    Unit(usize),
    Reference(usize),
}

/// A label above the position strip, with its line down to the data.
struct Annotation {
    x: f64,
    text: String,
    font: Font,
    target: Target,
}

/// Where an annotation label went: its row (0 nearest the plot), its left edge, and whether it
/// sits beside its line (which then runs up along the label) or centred above it.
#[derive(Debug, Clone, Copy)]
struct Placement {
    row: usize,
    start: f64,
    beside: bool,
}

/// Rows and sides for annotation labels so that no label overlaps another and no line down from a
/// label crosses another label. Labels are placed from the rightmost line leftwards, each to the right
/// of its line when the page allows (left of it, or centred over it, near the right edge), in the
/// lowest row that is free: labels to the right then sit lower, so lines never have to cross them.
fn place_annotations(annotations: &[Annotation], left: f64, right: f64) -> Vec<Placement> {
    const CLEARANCE: f64 = 1.2;
    const GAP: f64 = 0.8;
    // (row, left edge, right edge, line x) of each label placed, clearance included.
    let mut placed: Vec<(usize, f64, f64, f64)> = Vec::new();
    let mut placements = vec![Placement { row: 0, start: left, beside: false }; annotations.len()];
    let mut order: Vec<usize> = (0..annotations.len()).collect();
    // Stable sort: at equal x, the given order (territory first) wins.
    order.sort_by(|&i, &j| annotations[j].x.total_cmp(&annotations[i].x));
    for index in order {
        let a = &annotations[index];
        let w = a.font.width(&a.text);
        let mut candidates = Vec::new();
        if a.x + GAP + w <= right {
            candidates.push((a.x + GAP, true));
        } else if a.x - GAP - w >= left {
            candidates.push((a.x - GAP - w, true));
        }
        candidates.push(((a.x - w / 2.0).clamp(left, (right - w).max(left)), false));
        let fits = |row: usize, start: f64, lines_matter: bool| {
            let (x0, x1) = (start - CLEARANCE, start + w + CLEARANCE);
            placed.iter().all(|&(r, p0, p1, px)| {
                let apart = x1 <= p0 || x0 >= p1;
                match r.cmp(&row) {
                    std::cmp::Ordering::Equal => apart,
                    // A higher label's line runs down through this row.
                    std::cmp::Ordering::Greater => !lines_matter || px < x0 || px > x1,
                    // This label's line runs down through that row.
                    std::cmp::Ordering::Less => !lines_matter || a.x < p0 || a.x > p1,
                }
            })
        };
        // Beside the line in a higher row is better than centred over it in a lower one.
        let search = |lines_matter: bool| {
            candidates.iter().find_map(|&(start, beside)| {
                (0..=placed.len()).find(|&row| fits(row, start, lines_matter)).map(|row| Placement {
                    row,
                    start,
                    beside,
                })
            })
        };
        // Two labels at the same x cannot avoid each other's lines: then only overlaps count, and
        // the row above every placed label always has room.
        let placement = search(true).or_else(|| search(false)).unwrap_or(Placement {
            row: placed.len(),
            start: candidates[candidates.len() - 1].0,
            beside: false,
        });
        placed.push((placement.row, placement.start - CLEARANCE, placement.start + w + CLEARANCE, a.x));
        placements[index] = placement;
    }
    placements
}

/// A position chart's data laid out on its scale.
struct Position<'a> {
    text: &'a ChartText,
    decimals: usize,
    /// Units with a value, left to right.
    available: Vec<(f64, &'a Entry)>,
    references: Vec<(f64, &'a Entry)>,
    scale: Scale,
    /// Each available unit's x.
    xs: Vec<f64>,
    swarm: Swarm,
    /// Indices in `available` of the territory and comparison units, and their colours.
    highlighted: Vec<(usize, Rgb)>,
}

impl<'a> Position<'a> {
    fn new(
        text: &'a ChartText,
        available: Vec<(f64, &'a Entry)>,
        references: Vec<(f64, &'a Entry)>,
        scale: Scale,
    ) -> Self {
        let xs: Vec<f64> = available.iter().map(|(v, _)| scale.at(*v)).collect();
        let swarm = Swarm::new(&xs);
        let indices: Vec<usize> = (0..available.len()).filter(|&i| available[i].1.role != Role::Other).collect();
        let colors = role_colors(indices.iter().map(|&i| available[i].1.role));
        let highlighted = indices.into_iter().zip(colors).collect();
        Position {
            text,
            decimals: text.decimals.min(MAX_DECIMALS),
            available,
            references,
            scale,
            xs,
            swarm,
            highlighted,
        }
    }

    fn shown(&self, v: f64, unit: &str) -> String {
        with_unit(v, self.decimals, unit, self.text.lang)
    }

    /// The highlighted units, then the references (the order breaks ties of position).
    fn annotations(&self) -> Vec<Annotation> {
        let lang = self.text.lang;
        let short_unit = label_unit(&self.text.unit);
        let mut annotations = Vec::new();
        for &(i, color) in &self.highlighted {
            let (v, entry) = self.available[i];
            let font = name_font(entry.role);
            let text = name_value(&truncate(&entry.name, 60.0, font), &self.shown(v, short_unit), lang);
            annotations.push(Annotation { x: self.xs[i], text, font: font.colored(color), target: Target::Unit(i) });
        }
        let colors = role_colors(self.references.iter().map(|_| Role::Comparison));
        for (r, ((v, entry), color)) in self.references.iter().zip(colors).enumerate() {
            let text = name_value(&truncate(&entry.name, 50.0, LABEL_FONT), &self.shown(*v, short_unit), lang);
            let font = LABEL_FONT.colored(color);
            annotations.push(Annotation { x: self.scale.at(*v), text, font, target: Target::Reference(r) });
        }
        annotations
    }

    /// The annotation rows above the strip, the strip, its axis and the dots; returns the y under the
    /// axis and its caption.
    fn draw(&self, sheet: &mut Sheet, ticks: &[f64], top: f64) -> f64 {
        let annotations = self.annotations();
        let placements = place_annotations(&annotations, LEFT, LEFT + WIDTH);
        let label_rows = placements.iter().map(|p| p.row + 1).max().unwrap_or(0);
        let row_height = LABEL_FONT.line_height() + 0.4;
        let plot_top = top + label_rows as f64 * row_height + 1.0;
        let plot_bottom = plot_top + self.swarm.height;
        let y = self.draw_axis(sheet, ticks, plot_top, plot_bottom);
        // Row 0 is the centre line; the rows are centred in the strip.
        let swarm = &self.swarm;
        let centre =
            plot_top + (swarm.height - swarm.span * swarm.step) / 2.0 + (f64::from(swarm.max_row) + 0.5) * swarm.step;
        let dot_y = |row: i32| centre - f64::from(row) * swarm.step;
        self.draw_dots(sheet, &dot_y);
        for (annotation, place) in annotations.iter().zip(&placements) {
            // The top of the label's row, counting upwards from the plot.
            let label_top = plot_top - 1.0 - (place.row + 1) as f64 * row_height;
            self.draw_annotation(sheet, annotation, place, label_top, &dot_y, plot_bottom);
        }
        y
    }

    /// Gridlines, the axis with its tick labels and its caption (unit, logarithmic scale).
    fn draw_axis(&self, sheet: &mut Sheet, ticks: &[f64], plot_top: f64, plot_bottom: f64) -> f64 {
        let (lang, log) = (self.text.lang, self.scale.is_log());
        let axis = Stroke::new(AXIS_COLOR, 0.3);
        let (plot_left, plot_right) = (LEFT + 2.0, LEFT + WIDTH - 2.0);
        sheet.line(AXES_LAYER.0, vec![[plot_left, plot_bottom], [plot_right, plot_bottom]], axis.clone(), None);
        let labels = tick_labels(ticks, log, lang);
        let min_spacing =
            ticks.windows(2).map(|w| self.scale.at(w[1]) - self.scale.at(w[0])).fold(f64::INFINITY, f64::min);
        let stride = label_stride(min_spacing, widest_tick(&labels));
        for (i, (tick, label)) in ticks.iter().zip(&labels).enumerate() {
            let x = self.scale.at(*tick);
            sheet.line(GRID_LAYER.0, vec![[x, plot_top], [x, plot_bottom]], Stroke::new(GRID_COLOR, 0.2), None);
            sheet.line(AXES_LAYER.0, vec![[x, plot_bottom], [x, plot_bottom + 1.0]], axis.clone(), None);
            if i % stride == 0 {
                let half = TICK_FONT.width(label) / 2.0;
                let lx = x.clamp(LEFT + half, LEFT + WIDTH - half);
                sheet.text(AXES_LAYER.0, lx, TICK_FONT.baseline(plot_bottom + 1.3), label, TICK_FONT, Anchor::Middle);
            }
        }
        let mut y = plot_bottom + 1.3 + TICK_FONT.line_height();
        let log_caption = lang.pick("échelle logarithmique", "logarithmic scale");
        let caption = match (log, self.text.unit.is_empty()) {
            (true, true) => log_caption.to_owned(),
            (true, false) => format!("{} ({log_caption})", self.text.unit),
            (false, _) => self.text.unit.clone(),
        };
        if !caption.is_empty() && !ticks.is_empty() {
            sheet.text(AXES_LAYER.0, LEFT + WIDTH, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::End);
            y += TICK_FONT.line_height();
        }
        y
    }

    /// The tag of a dot or reference line: the entry and its value.
    fn tag(&self, v: f64, entry: &Entry) -> Tag {
        let shown = self.shown(v, &self.text.unit);
        value_tag(&entry.code, &entry.name, Value::Available(v), Some(plain_number(v)), shown, self.text.lang)
    }

    /// Dots: other units first, highlighted ones on top.
    fn draw_dots(&self, sheet: &mut Sheet, dot_y: &dyn Fn(i32) -> f64) {
        let opacity = if self.swarm.overlapping { 0.55 } else { 0.85 };
        let radius = self.swarm.diameter / 2.0 * 0.92;
        for (i, (v, entry)) in self.available.iter().enumerate() {
            if entry.role != Role::Other {
                continue;
            }
            let style = Style { fill: Fill::Solid { color: OUTLINE_GREY, opacity }, stroke: None };
            let dot = [self.xs[i], dot_y(self.swarm.rows[i]), radius];
            sheet.circle(POINTS_LAYER.0, dot, style, Some(self.tag(*v, entry)));
        }
        for &(i, color) in &self.highlighted {
            let (v, entry) = self.available[i];
            let style = Style { fill: Fill::solid(color), stroke: Some(Stroke::new(Rgb::WHITE, 0.3)) };
            let dot = [self.xs[i], dot_y(self.swarm.rows[i]), self.swarm.big()];
            sheet.circle(POINTS_LAYER.0, dot, style, Some(self.tag(v, entry)));
        }
    }

    /// A label and its line: down to its dot, or a dashed reference line down through the strip.
    fn draw_annotation(
        &self,
        sheet: &mut Sheet,
        annotation: &Annotation,
        place: &Placement,
        top: f64,
        dot_y: &dyn Fn(i32) -> f64,
        plot_bottom: f64,
    ) {
        let baseline = annotation.font.baseline(top);
        let layer = if matches!(annotation.target, Target::Unit(_)) { LABELS_LAYER.0 } else { REFERENCE_LAYER.0 };
        sheet.text(layer, place.start, baseline, &annotation.text, annotation.font, Anchor::Start);
        let line_top = if place.beside { top + 0.3 } else { baseline + 0.9 };
        let x = annotation.x;
        match annotation.target {
            Target::Unit(i) => {
                let bottom = dot_y(self.swarm.rows[i]) - self.swarm.big() - 0.2;
                if bottom > line_top {
                    let stroke = Stroke::new(annotation.font.color, 0.25);
                    sheet.line(LABELS_LAYER.0, vec![[x, line_top], [x, bottom]], stroke, None);
                }
            }
            Target::Reference(r) => {
                let (v, entry) = self.references[r];
                let stroke = Stroke::new(annotation.font.color, 0.35).dashed(&[1.0, 0.7]);
                sheet.line(REFERENCE_LAYER.0, vec![[x, line_top], [x, plot_bottom]], stroke, Some(self.tag(v, entry)));
            }
        }
    }

    /// The highlighted units, then the count of the others.
    fn legend_items(&self) -> Vec<(Swatch, String)> {
        let lang = self.text.lang;
        let mut items: Vec<(Swatch, String)> = self
            .highlighted
            .iter()
            .map(|&(i, color)| (Swatch::Dot(color, 1.3), self.available[i].1.name.clone()))
            .collect();
        let others = self.available.iter().filter(|(_, e)| e.role == Role::Other).count();
        if others > 0 {
            let label = match (self.highlighted.is_empty(), lang) {
                (true, Lang::Fr) => count(others, "unité", "unités", lang),
                (true, Lang::En) => count(others, "unit", "units", lang),
                (false, Lang::Fr) => count(others, "autre unité", "autres unités", lang),
                (false, Lang::En) => count(others, "other unit", "other units", lang),
            };
            items.push((Swatch::Dot(OUTLINE_GREY, 1.0), label));
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::fixtures::*;
    use super::*;
    use crate::figure::Mark;

    const POSITION_LAYERS: [&str; 8] =
        ["title", "axes", "gridlines", "points", "labels", "reference", "legend", "sources"];

    #[test]
    fn position_chart_copes_with_3800_units() {
        let units = communes(3800);
        let figure = position_chart(&text("Densité", "hab./km²", 1), &units, &densities()[1..], true);
        assert_eq!(layer_ids(&figure), POSITION_LAYERS);
        let available = units.iter().filter(|e| e.value.number().is_some()).count();
        let secret = units.iter().filter(|e| e.value == Value::Secret).count();
        let dots = layer(&figure, "points");
        assert_eq!(dots.len(), available);
        let codes: BTreeSet<&str> = figure.tags().map(|t| t.code.as_str()).collect();
        assert!(codes.contains("81234"), "the territory is tagged");
        let note = format!("{} unités sans valeur, dont {secret} sous secret statistique.", 3800 - available);
        assert!(texts(&figure).contains(&note.as_str()), "{note}");
        assert!(texts_in(&figure, "labels").iter().any(|t| t.2.starts_with("Amiens\u{a0}: ")));
        let references: Vec<&str> = texts_in(&figure, "reference").into_iter().map(|t| t.2).collect();
        assert_eq!(references.len(), 3);
        assert!(references.contains(&"France\u{a0}: 123,6"), "{references:?}");
        assert!(texts_in(&figure, "axes").iter().any(|t| t.2.contains("échelle logarithmique")));
        assert!(figure.height_mm < 140.0, "{}", figure.height_mm);
        assert_sane(&figure);
    }

    #[test]
    fn position_dots_do_not_overlap_and_annotations_do_not_collide() {
        let units = communes(300);
        let references = [
            entry("80", "Somme", Value::Available(91.1), Role::Comparison),
            entry("32", "Hauts-de-France", Value::Available(92.0), Role::Comparison),
            entry("FR", "France", Value::Available(92.0), Role::Comparison),
        ];
        let figure = position_chart(&text("Densité", "hab./km²", 1), &units, &references, false);
        let dots: Vec<(f64, f64, f64)> = layer(&figure, "points")
            .iter()
            .filter_map(|m| match m {
                Mark::Circle { cx, cy, r, tag, .. } if tag.as_ref().unwrap().code != "81234" => Some((*cx, *cy, *r)),
                _ => None,
            })
            .collect();
        for (i, a) in dots.iter().enumerate() {
            for b in &dots[i + 1..] {
                let distance = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                assert!(distance >= a.2 + b.2 - 1e-6, "{a:?} {b:?}");
            }
        }
        let labels: Vec<[f64; 4]> = texts_in(&figure, "labels")
            .into_iter()
            .chain(texts_in(&figure, "reference"))
            .map(|t| text_box(t.0, t.1, t.2, t.3, t.4))
            .collect();
        assert_eq!(labels.len(), 3, "one per reference with a value, none for the territory beyond them");
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!overlap(*a, *b), "{a:?} {b:?}");
            }
        }
        assert_sane(&figure);
    }

    #[test]
    fn position_log_scale_needs_positive_values() {
        let mut units = communes(50);
        units[3].value = Value::Available(0.0);
        let figure = position_chart(&text("Densité", "hab./km²", 1), &units, &[], true);
        assert!(texts(&figure).iter().any(|t| t.starts_with("Échelle linéaire")));
        assert!(!texts(&figure).iter().any(|t| t.contains("logarithmique")));
        assert_sane(&figure);
    }
}
