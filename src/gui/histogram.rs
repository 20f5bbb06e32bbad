//! The live histogram of the side panel: the distribution of the first map's values, bars in the
//! class colours and class bounds as lines, computed once per portrait revision.
//!
//! Depends on `classify`, `palette`, the figure model, `gui/i18n` and `gui/view` (which layers are
//! map units); never on `gui/state` nor the panels that show it.

use eframe::egui::{self, Color32, Pos2, Rect, Sense, Vec2};

use crate::classify::classify;
use crate::figure::{Figure, Mark};
use crate::portrait::MapOptions;
use crate::text::Lang;

use super::i18n::{number, tr_format};
use super::view::level_of_layer;

const BINS: usize = 40;

/// The distribution of a map's values and its class bounds, computed once per portrait revision
/// (parsing and sorting France's 34,738 values at every frame cost 6 ms).
pub struct Histogram {
    count: usize,
    min: f64,
    max: f64,
    log: bool,
    counts: [usize; BINS],
    /// Colour of each bar: the class of its middle value.
    fills: [Color32; BINS],
    breaks: Vec<f64>,
    classed: bool,
}

/// The histogram of the first map of a portrait. Skewed positive values (densities, populations)
/// go on a logarithmic axis, else every unit would fall in the first bar.
#[must_use]
pub fn histogram(figure: &Figure, options: &MapOptions) -> Option<Histogram> {
    let units = figure.layers.iter().find(|l| level_of_layer(&l.id).is_some())?;
    let tags = || {
        units.marks.iter().filter_map(|m| match m {
            Mark::Path { tag: Some(t), .. } | Mark::Circle { tag: Some(t), .. } => Some(t),
            _ => None,
        })
    };
    let mut values: Vec<f64> = tags()
        .filter_map(|t| t.value.as_deref().and_then(|v| v.parse::<f64>().ok()))
        .filter(|v| v.is_finite())
        .collect();
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let (min, max) = (values[0], values[values.len() - 1]);
    if max <= min {
        return None;
    }
    let log = min > 0.0 && max / min > 50.0;
    let axis = |v: f64| if log { v.log10() } else { v };
    let (lo, hi) = (axis(min), axis(max));
    // Proportional circles have no classes: the distribution alone, without bounds.
    let classed = tags().any(|t| t.class.is_some());
    let classification = if classed { classify(&values, &options.method, options.classes).ok() } else { None };
    let colors = classification
        .as_ref()
        .and_then(|c| crate::palette::palette(&options.palette)?.colors_for_classes(c.n_classes()))
        .unwrap_or_default();
    let mut counts = [0usize; BINS];
    for v in &values {
        let b = (((axis(*v) - lo) / (hi - lo)) * BINS as f64) as usize;
        counts[b.min(BINS - 1)] += 1;
    }
    let mut fills = [Color32::from_rgb(150, 150, 150); BINS];
    for (i, fill) in fills.iter_mut().enumerate() {
        let centre = lo + (i as f64 + 0.5) / BINS as f64 * (hi - lo);
        let value = if log { 10f64.powf(centre) } else { centre };
        if let Some(c) = classification.as_ref().and_then(|c| c.class_of(value)).and_then(|c| colors.get(c)) {
            *fill = Color32::from_rgb(c.0, c.1, c.2);
        }
    }
    let breaks = classification.map(|c| c.breaks).unwrap_or_default();
    Some(Histogram { count: values.len(), min, max, log, counts, fills, breaks, classed })
}

/// Draws the histogram: bars in the class colours, bounds as lines.
pub fn histogram_ui(ui: &mut egui::Ui, h: &Histogram, lang: Lang) {
    let axis = |v: f64| if h.log { v.log10() } else { v };
    let (lo, hi) = (axis(h.min), axis(h.max));
    ui.label(tr_format!(
        lang,
        "Distribution des {} valeurs de la carte{}",
        "Distribution of the map's {} values{}",
        h.count,
        if h.log { lang.pick(" (échelle logarithmique)", " (logarithmic scale)") } else { "" }
    ));
    let (rect, response) = ui.allocate_exact_size(Vec2::new(ui.available_width().min(280.0), 90.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, Color32::WHITE);
    let tallest = h.counts.iter().copied().max().unwrap_or(1).max(1) as f32;
    let x_of = |v: f64| rect.left() + ((axis(v) - lo) / (hi - lo)) as f32 * rect.width();
    let bar = rect.width() / BINS as f32;
    for (i, n) in h.counts.iter().enumerate() {
        let height = (*n as f32 / tallest) * (rect.height() - 6.0);
        let left = rect.left() + i as f32 * bar;
        let bar_rect = Rect::from_min_max(
            Pos2::new(left, rect.bottom() - height.max(1.0)),
            Pos2::new(left + bar - 1.0, rect.bottom()),
        );
        painter.rect_filled(bar_rect, 0.0, h.fills[i]);
        painter.rect_stroke(bar_rect, 0.0, egui::Stroke::new(0.5, Color32::from_gray(90)), egui::StrokeKind::Inside);
    }
    for b in &h.breaks {
        let x = x_of(*b);
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            egui::Stroke::new(1.0, Color32::from_rgb(30, 30, 30)),
        );
    }
    let bounds: Vec<String> = h.breaks.iter().map(|b| number(*b, lang)).collect();
    response.on_hover_text(tr_format!(lang, "Bornes : {}", "Bounds: {}", bounds.join(" ; ")));
    let lines = if h.classed {
        lang.pick("traits : bornes des classes", "lines: class bounds")
    } else {
        lang.pick("cercles proportionnels, sans classes", "proportional circles, no classes")
    };
    let (min, max) = (number(h.min, lang), number(h.max, lang));
    ui.weak(tr_format!(lang, "min {min} — max {max} ; {lines}", "min {min} — max {max}; {lines}"));
}
