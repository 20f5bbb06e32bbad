//! What a published map carries around its units: the title block, the legend (class bounds with
//! their counts, or reference circles; then the « secret statistique » and « donnée manquante »
//! swatches), the scale bar, the north arrow and the sources.
//!
//! A map page has its own type sizes (a 12 pt title, 7 pt legend entries, 6.5 pt sources on 3 mm
//! lines) and fixed positions, from which [`super::map_figure`] sizes the map frame; greys, fills
//! and wording are the kit's ([`crate::figure::style`]). Depends on the figure kit and
//! [`crate::text`] only.

use super::{Counts, MAX_RADIUS_MM, MapSpec, Symbolisation};
use crate::figure::page::{LEGEND_LAYER, LayerName, SOURCES_LAYER, Sheet, TITLE_LAYER};
use crate::figure::style::{
    INK, LABEL_FONT, MISSING_GREY, MUTED, SOURCE_FONT, SUBTITLE_FONT, TITLE_FONT, status_fill, status_heading,
    swatch_stroke,
};
use crate::figure::{Anchor, Fill, Mark, Stroke, Style};
use crate::text::{Lang, format_number};
use crate::value::Value;

/// White space around the map page.
pub(super) const MARGIN: f64 = 8.0;
/// Width of the legend column on the right.
pub(super) const LEGEND_WIDTH: f64 = 52.0;

const SCALE_LAYER: LayerName = ("scale", "Échelle", "Scale");
const NORTH_LAYER: LayerName = ("north", "Nord", "North");

/// Entries of the legend, the scale bar's length, the reference circles' values.
fn legend_font() -> crate::figure::style::Font {
    LABEL_FONT.sized(7.0)
}

/// The method line under the classes and the sources: small and muted.
fn small_note() -> crate::figure::style::Font {
    SOURCE_FONT.sized(6.5)
}

/// The sources, wrapped at the page width less its margins.
pub(super) fn source_lines(spec: &MapSpec<'_>) -> Vec<String> {
    small_note().wrap(&spec.source, spec.width_mm - 2.0 * MARGIN)
}

/// Title and subtitle on their fixed baselines above the map frame.
pub(super) fn draw_title(sheet: &mut Sheet, spec: &MapSpec<'_>) {
    sheet.text(TITLE_LAYER.0, MARGIN, 11.0, &spec.title, TITLE_FONT.sized(12.0), Anchor::Start);
    sheet.text(TITLE_LAYER.0, MARGIN, 17.0, &spec.subtitle, SUBTITLE_FONT, Anchor::Start);
}

/// The sources block, one line every 3 mm from `top`.
pub(super) fn draw_sources(sheet: &mut Sheet, lines: &[String], top: f64) {
    for (i, line) in lines.iter().enumerate() {
        sheet.text(SOURCES_LAYER.0, MARGIN, top + i as f64 * 3.0, line, small_note(), Anchor::Start);
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

/// A legend swatch, 6 × 4 mm with the kit's outline, and its label.
fn swatch(sheet: &mut Sheet, x: f64, y: f64, fill: Fill, label: &str) {
    let style = Style { fill, stroke: Some(swatch_stroke()) };
    sheet.rect(LEGEND_LAYER.0, [x, y, 6.0, 4.0], style, None);
    sheet.text(LEGEND_LAYER.0, x + 8.0, y + 3.2, label, legend_font(), Anchor::Start);
}

/// The legend from `top` in the column at `x`: a heading with the unit, the classes (highest on
/// top, each with its count) and the method, or reference circles; then the secret and missing
/// swatches with their counts.
pub(super) fn draw_legend(sheet: &mut Sheet, spec: &MapSpec<'_>, counts: &Counts, x: f64, top: f64) {
    let lang = spec.lang;
    let heading = if spec.unit.is_empty() {
        lang.pick("Valeurs", "Values").to_owned()
    } else {
        format!("{} {}", lang.pick("En", "In"), spec.unit)
    };
    sheet.text(LEGEND_LAYER.0, x, top + 3.0, &heading, LABEL_FONT.bold(), Anchor::Start);
    let mut y = top + 7.0;
    match &spec.symbolisation {
        Symbolisation::Choropleth { classification, colors } => {
            // Highest class on top, as readers expect.
            for class in (0..classification.n_classes()).rev() {
                let count = counts.per_class.get(class).copied().unwrap_or(0);
                let label = format!("{}  ({count})", class_label(&classification.breaks, class, spec.decimals, lang));
                swatch(sheet, x, y, Fill::solid(colors.get(class).copied().unwrap_or(MISSING_GREY)), &label);
                y += 5.5;
            }
            let method = format!("{} {}", lang.pick("Méthode :", "Method:"), classification.method_label(lang));
            sheet.text(LEGEND_LAYER.0, x, y + 2.5, &method, small_note(), Anchor::Start);
            y += 5.0;
        }
        Symbolisation::Circles if counts.max_value > 0.0 => {
            y = draw_circle_references(sheet, counts.max_value, spec.decimals, lang, x, y);
        }
        Symbolisation::Circles => {}
    }
    for value in [Value::Secret, Value::Missing] {
        let count = if value == Value::Secret { counts.secret } else { counts.missing };
        let label = format!("{}  ({count})", status_heading(value, lang));
        swatch(sheet, x, y, status_fill(value).unwrap_or(Fill::None), &label);
        y += 5.5;
    }
}

/// Nested reference circles with their values, the largest at the maximum; returns the y under them.
fn draw_circle_references(sheet: &mut Sheet, max: f64, decimals: usize, lang: Lang, x: f64, top: f64) -> f64 {
    let base = top + 2.0 * MAX_RADIUS_MM;
    let cx = x + MAX_RADIUS_MM;
    for value in circle_references(max) {
        let r = MAX_RADIUS_MM * (value / max).sqrt();
        sheet.circle(LEGEND_LAYER.0, [cx, base - r, r], Style::outline(Stroke::new(INK, 0.15)), None);
        let leader = vec![[cx, base - 2.0 * r], [cx + MAX_RADIUS_MM + 3.0, base - 2.0 * r]];
        sheet.line(LEGEND_LAYER.0, leader, Stroke::new(MUTED, 0.1), None);
        let label = format_number(value, decimals, lang);
        sheet.text(
            LEGEND_LAYER.0,
            cx + MAX_RADIUS_MM + 4.0,
            base - 2.0 * r + 1.0,
            &label,
            legend_font(),
            Anchor::Start,
        );
    }
    base + 5.0
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

/// A scale bar of a round length near 60 % of `max_width`, its left end at `[x, y]`, for a map
/// drawn at `metres_per_mm` ground metres per page millimetre.
pub(super) fn draw_scale(sheet: &mut Sheet, metres_per_mm: f64, [x, y]: [f64; 2], max_width: f64) {
    let target_m = max_width * 0.6 * metres_per_mm;
    let magnitude = 10f64.powf(target_m.log10().floor());
    let length_m = [5.0, 2.0, 1.0].iter().map(|f| f * magnitude).find(|l| *l <= target_m).unwrap_or(magnitude);
    let length_mm = length_m / metres_per_mm;
    let lang = sheet.lang();
    sheet.add_layer(&SCALE_LAYER);
    let bar = vec![[x, y - 1.5], [x, y], [x + length_mm, y], [x + length_mm, y - 1.5]];
    sheet.line(SCALE_LAYER.0, bar, Stroke::new(INK, 0.3), None);
    let label = if length_m >= 1000.0 {
        format!("{} km", format_number(length_m / 1000.0, 0, lang))
    } else {
        format!("{} m", format_number(length_m, 0, lang))
    };
    sheet.text(SCALE_LAYER.0, x + length_mm / 2.0, y - 2.5, &label, legend_font(), Anchor::Middle);
}

/// The north arrow, its tip at `(x, y)`.
pub(super) fn draw_north(sheet: &mut Sheet, x: f64, y: f64) {
    sheet.add_layer(&NORTH_LAYER);
    let arrow = vec![vec![[x, y], [x + 2.5, y + 7.0], [x, y + 5.5], [x - 2.5, y + 7.0]]];
    sheet.push(NORTH_LAYER.0, Mark::Path { rings: arrow, style: Style::fill(INK), tag: None });
    sheet.text(NORTH_LAYER.0, x, y - 1.0, "N", LABEL_FONT.bold(), Anchor::Middle);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_references_are_round_fractions_of_the_maximum() {
        assert_eq!(circle_references(12_345.6), [10_000.0, 2_500.0, 500.0]);
        assert_eq!(circle_references(250.0), [200.0, 50.0, 10.0]);
    }

    #[test]
    fn class_labels_close_their_intervals_by_language() {
        let breaks = [1.5, 2.5, 4.0];
        assert_eq!(class_label(&breaks, 0, 1, Lang::Fr), "[1,5 ; 2,5]");
        assert_eq!(class_label(&breaks, 1, 1, Lang::Fr), "]2,5 ; 4,0]");
        assert_eq!(class_label(&breaks, 1, 1, Lang::En), "(2.5 – 4.0]");
    }
}
