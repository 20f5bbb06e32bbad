//! The comparison bar chart: one horizontal bar per territory, names on the left, values at the bar
//! ends, on one linear [`Scale`] from zero.

use super::axis::{Scale, label_stride, nice_ticks, tick_labels, widest_tick};
use super::{
    AXES_LAYER, BARS_LAYER, ChartText, Entry, GRID_LAYER, LABELS_LAYER, LEFT, LEGEND_LAYER, MAX_DECIMALS,
    SOURCES_LAYER, TITLE_LAYER, WIDTH, chart_sheet, finite, label_unit, name_font, no_data, no_data_frame, role_colors,
    with_unit,
};
use crate::figure::page::{Sheet, fit_lines, legend_flow, marker_items, notes_block, sources_block};
use crate::figure::style::{AXIS_COLOR, Font, GRID_COLOR, MUTED, TICK_FONT, plain_number, status_style, value_tag};
use crate::figure::{Anchor, Figure, Rgb, Stroke, Style};
use crate::value::Value;

const BAR_MM: f64 = 4.4;
const BAR_ROW_MM: f64 = 6.8;
/// The stub drawn for a value that has no number (secret, missing).
const STUB_MM: f64 = 3.0;
const LABEL_GAP_MM: f64 = 1.2;

/// Comparison bar chart: horizontal bars, one per entry in the given order, names on the left,
/// value labels at the bar ends, a zero line and light gridlines. Negative values go left from zero;
/// a secret value is a hatched stub labelled « s », a missing one a grey stub labelled « nd ».
/// Layers: `title`, `axes`, `gridlines`, `bars`, `labels`, `legend`, `sources`.
#[must_use]
pub fn bar_chart(text: &ChartText, entries: &[Entry]) -> Figure {
    let layers = [TITLE_LAYER, AXES_LAYER, GRID_LAYER, BARS_LAYER, LABELS_LAYER, LEGEND_LAYER, SOURCES_LAYER];
    let (mut sheet, y) = chart_sheet(text, &layers);
    let top = y + 3.5;
    let rows = Rows::new(text, entries);
    let plot = rows.plot();
    let mut y = top;
    for (i, entry) in entries.iter().enumerate() {
        y += rows.draw(&mut sheet, i, entry, &plot, y);
    }
    if entries.is_empty() {
        y = no_data_frame(&mut sheet, LEFT, WIDTH, top) + 1.0;
    } else {
        let zero = plot.scale.at(0.0);
        sheet.line(AXES_LAYER.0, vec![[zero, top - 1.0], [zero, y + 1.0]], Stroke::new(AXIS_COLOR, 0.3), None);
        y += 1.0;
        y = if rows.values.iter().any(|v| v.number().is_some()) {
            bar_ticks(&mut sheet, &plot, top - 1.0, y)
        } else {
            let no_data = [no_data(sheet.lang()).to_owned()];
            notes_block(&mut sheet, LABELS_LAYER.0, &no_data, plot.left, plot.right - plot.left, y + 1.0)
        };
        y += 2.5;
    }
    let secret = rows.values.contains(&Value::Secret);
    let missing = rows.values.contains(&Value::Missing);
    y = legend_flow(&mut sheet, &marker_items(secret, missing, text.lang), LEFT, WIDTH, y);
    let height = sources_block(&mut sheet, &text.source, LEFT, WIDTH, y + 1.0);
    sheet.finish(height)
}

/// What each row shows, measured before anything is drawn.
struct Rows<'a> {
    text: &'a ChartText,
    decimals: usize,
    values: Vec<Value>,
    colors: Vec<Rgb>,
    fonts: Vec<Font>,
    /// Names on at most two lines.
    names: Vec<Vec<String>>,
    name_width: f64,
    /// Values as written at the bar ends (« s », « nd » for those without a number).
    labels: Vec<String>,
}

/// Where the bars go: the value scale and the plot's edges.
struct Plot {
    scale: Scale,
    /// The domain, zero included.
    lo: f64,
    hi: f64,
    left: f64,
    right: f64,
}

impl<'a> Rows<'a> {
    fn new(text: &'a ChartText, entries: &[Entry]) -> Rows<'a> {
        let decimals = text.decimals.min(MAX_DECIMALS);
        let values: Vec<Value> = entries.iter().map(|e| finite(e.value)).collect();
        let fonts: Vec<Font> = entries.iter().map(|e| name_font(e.role)).collect();
        let names: Vec<Vec<String>> =
            entries.iter().zip(&fonts).map(|(e, font)| fit_lines(&e.name, WIDTH * 0.36, *font, 2)).collect();
        let name_width =
            names.iter().zip(&fonts).flat_map(|(lines, font)| lines.iter().map(|l| font.width(l))).fold(0.0, f64::max);
        let labels = values
            .iter()
            .map(|v| match v {
                Value::Available(v) => with_unit(*v, decimals, label_unit(&text.unit), text.lang),
                other => other.marker().unwrap_or_default().to_owned(),
            })
            .collect();
        let colors = role_colors(entries.iter().map(|e| e.role));
        Rows { text, decimals, values, colors, fonts, names, name_width, labels }
    }

    /// The scale from zero to the extreme values, leaving room for the labels outside the bars on
    /// the side each bar goes.
    fn plot(&self) -> Plot {
        let numbers: Vec<f64> = self.values.iter().filter_map(|v| v.number()).collect();
        let (lo, hi) = (numbers.iter().copied().fold(0.0, f64::min), numbers.iter().copied().fold(0.0, f64::max));
        let (lo, hi) = if hi - lo > 0.0 { (lo, hi) } else { (0.0, 1.0) };
        let mut pad_right: f64 = 0.0;
        let mut pad_left: f64 = 0.0;
        for ((value, label), font) in self.values.iter().zip(&self.labels).zip(&self.fonts) {
            let label_width = LABEL_GAP_MM + font.width(label);
            match value.number() {
                Some(v) if v < 0.0 => pad_left = pad_left.max(label_width),
                Some(_) => pad_right = pad_right.max(label_width),
                None => pad_right = pad_right.max(STUB_MM + label_width),
            }
        }
        let (left, right) = (LEFT + self.name_width + 3.0, LEFT + WIDTH);
        let a = left + pad_left;
        let b = (right - pad_right).max(a + 10.0);
        Plot { scale: Scale::linear(lo, hi, a, b - a), lo, hi, left, right }
    }

    /// Draws row `i` from `y` down (name, bar or stub, value label); returns the row's height.
    fn draw(&self, sheet: &mut Sheet, i: usize, entry: &Entry, plot: &Plot, y: f64) -> f64 {
        let (lines, font, lang) = (&self.names[i], self.fonts[i], self.text.lang);
        let row = (lines.len() as f64 * font.line_height() + 1.6).max(BAR_ROW_MM);
        let cy = y + row / 2.0;
        let middle = (lines.len() as f64 - 1.0) / 2.0;
        for (j, line) in lines.iter().enumerate() {
            let line_y = cy + (j as f64 - middle) * font.line_height();
            sheet.text(LABELS_LAYER.0, LEFT + self.name_width, font.centred(line_y), line, font, Anchor::End);
        }
        let value = self.values[i];
        let shown = value.number().map(|v| with_unit(v, self.decimals, &self.text.unit, lang)).unwrap_or_default();
        let tag = value_tag(&entry.code, &entry.name, value, value.number().map(plain_number), shown, lang);
        let bar_top = cy - BAR_MM / 2.0;
        let zero = plot.scale.at(0.0);
        let (label_x, anchor) = match value {
            Value::Available(v) => {
                let end = plot.scale.at(v);
                let rect = [zero.min(end), bar_top, (end - zero).abs(), BAR_MM];
                sheet.rect(BARS_LAYER.0, rect, Style::fill(self.colors[i]), Some(tag));
                if v < 0.0 { (end - LABEL_GAP_MM, Anchor::End) } else { (end + LABEL_GAP_MM, Anchor::Start) }
            }
            Value::Secret | Value::Missing => {
                sheet.rect(BARS_LAYER.0, [zero, bar_top, STUB_MM, BAR_MM], status_style(value), Some(tag));
                (zero + STUB_MM + LABEL_GAP_MM, Anchor::Start)
            }
        };
        let label_font = if value.number().is_some() { font } else { font.colored(MUTED) };
        sheet.text(LABELS_LAYER.0, label_x, label_font.centred(cy), &self.labels[i], label_font, anchor);
        row
    }
}

/// Vertical gridlines and their labels under the bars; returns the y under the labels.
fn bar_ticks(sheet: &mut Sheet, plot: &Plot, top: f64, bottom: f64) -> f64 {
    let span = plot.hi - plot.lo;
    let ticks: Vec<f64> = nice_ticks(plot.lo, plot.hi, 5)
        .into_iter()
        .filter(|t| *t >= plot.lo - span * 1e-9 && *t <= plot.hi + span * 1e-9)
        .collect();
    let labels = tick_labels(&ticks, false, sheet.lang());
    let spacing = if ticks.len() > 1 { plot.scale.at(ticks[1]) - plot.scale.at(ticks[0]) } else { f64::INFINITY };
    let stride = label_stride(spacing, widest_tick(&labels));
    let baseline = TICK_FONT.baseline(bottom + 0.6);
    for (i, (tick, label)) in ticks.iter().zip(&labels).enumerate() {
        let x = plot.scale.at(*tick);
        if tick.abs() > span * 1e-9 {
            sheet.line(GRID_LAYER.0, vec![[x, top], [x, bottom]], Stroke::new(GRID_COLOR, 0.2), None);
        }
        if i % stride == 0 {
            sheet.text(AXES_LAYER.0, x, baseline, label, TICK_FONT, Anchor::Middle);
        }
    }
    bottom + 0.6 + TICK_FONT.line_height()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::fixtures::*;
    use super::super::{PAGE_WIDTH_MM, Role};
    use super::*;
    use crate::figure::page::MARGIN_MM;
    use crate::figure::style::{MISSING_FILL, SECRET_FILL};
    use crate::figure::{Fill, Mark, Tag, text_width_mm};

    const BAR_LAYERS: [&str; 7] = ["title", "axes", "gridlines", "bars", "labels", "legend", "sources"];

    #[test]
    fn bar_chart_has_its_layers_in_order_and_french_labels() {
        let figure = bar_chart(&text("Densité de population", "hab./km²", 1), &densities());
        assert_eq!(layer_ids(&figure), BAR_LAYERS);
        assert!((figure.width_mm - PAGE_WIDTH_MM).abs() < 1e-9);
        let labels: Vec<&str> = texts_in(&figure, "labels").into_iter().map(|t| t.2).collect();
        assert!(labels.contains(&"Amiens") && labels.contains(&"France"), "{labels:?}");
        // Long units stay in the subtitle; numbers are French.
        assert!(labels.contains(&"2\u{202f}708,1"), "{labels:?}");
        assert!(labels.contains(&"91,1"), "{labels:?}");
        assert_eq!(texts_in(&figure, "title")[0].2, "Densité de population");
        assert!(texts_in(&figure, "sources").iter().any(|t| t.2.starts_with("Source : Insee")));
        assert_sane(&figure);
    }

    #[test]
    fn bar_chart_tags_one_mark_per_territory() {
        let figure = bar_chart(&text("Densité de population", "hab./km²", 1), &densities());
        let tags: Vec<&Tag> = figure.tags().collect();
        assert_eq!(tags.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["80021", "80", "32", "FR"]);
        assert_eq!(tags[0].name, "Amiens");
        assert_eq!(tags[0].value.as_deref(), Some("2708.1"));
        assert_eq!(tags[0].label, "2\u{202f}708,1\u{a0}hab./km²");
        assert_eq!(tags[0].status, None);
        // Short units are repeated on the bars.
        let figure = bar_chart(&text("Part des 75 ans et plus", "%", 1), &densities());
        assert!(texts_in(&figure, "labels").iter().any(|t| t.2 == "12,3\u{a0}%" || t.2 == "91,1\u{a0}%"));
    }

    #[test]
    fn territory_is_emphasised_and_comparisons_get_distinct_colours() {
        let figure = bar_chart(&text("Densité", "hab./km²", 1), &densities());
        let colors: Vec<Rgb> = rects(&figure, "bars")
            .iter()
            .map(|r| match r.4.fill {
                Fill::Solid { color, .. } => color,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(colors[0], Rgb::from_hex("#08519c").unwrap());
        let distinct: BTreeSet<Rgb> = colors.iter().copied().collect();
        assert_eq!(distinct.len(), 4, "{colors:?}");
        let bold: Vec<bool> = layer(&figure, "labels")
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, bold, .. } if text == "Amiens" || text == "Somme" => Some(*bold),
                _ => None,
            })
            .collect();
        assert_eq!(bold, [true, false]);
    }

    #[test]
    fn secret_bar_is_hatched_and_shows_no_number() {
        let entries = [
            entry("80021", "Amiens", Value::Secret, Role::Territory),
            entry("80", "Somme", Value::Missing, Role::Comparison),
        ];
        let figure = bar_chart(&digitless("Mortalité prématurée"), &entries);
        let bars = rects(&figure, "bars");
        assert_eq!(bars.len(), 2);
        assert_eq!((bars[0].4.fill, bars[1].4.fill), (SECRET_FILL, MISSING_FILL));
        let secret = bars[0].5.unwrap();
        assert_eq!(
            (secret.value.as_deref(), secret.status, secret.label.as_str()),
            (None, Some("secret"), "secret statistique")
        );
        assert_eq!(bars[1].5.unwrap().status, Some("nd"));
        let all = texts(&figure);
        assert!(all.contains(&"s") && all.contains(&"nd"), "{all:?}");
        assert!(all.contains(&"s : secret statistique"), "{all:?}");
        assert!(all.contains(&"Aucune donnée disponible"), "{all:?}");
        assert!(all.iter().all(|t| !t.chars().any(|c| c.is_ascii_digit())), "{all:?}");
        let svg = crate::export::svg::to_svg(&figure).text;
        assert!(!svg.contains("data-value"), "{svg}");
        // The legend swatch is hatched too.
        let legend: Vec<Fill> = rects(&figure, "legend").iter().map(|r| r.4.fill).collect();
        assert_eq!(legend, [SECRET_FILL, MISSING_FILL]);
        assert!(texts_in(&figure, "legend").iter().any(|t| t.2 == "nd : donnée manquante"));
    }

    #[test]
    fn negative_values_go_left_of_zero_with_their_labels_outside() {
        let entries = [
            entry("A", "Solde positif", Value::Available(50.0), Role::Territory),
            entry("B", "Solde négatif", Value::Available(-12.5), Role::Comparison),
        ];
        let figure = bar_chart(&text("Solde migratoire", "‰", 1), &entries);
        let zero = layer(&figure, "axes")
            .iter()
            .find_map(|m| match m {
                Mark::Polyline { points, .. } if (points[0][0] - points[1][0]).abs() < 1e-9 => Some(points[0][0]),
                _ => None,
            })
            .unwrap();
        let bars = rects(&figure, "bars");
        assert!((bars[0].0 - zero).abs() < 1e-9 && bars[0].2 > 0.0);
        assert!((bars[1].0 + bars[1].2 - zero).abs() < 1e-9 && bars[1].2 > 0.0);
        // 50 is four times 12.5.
        assert!((bars[0].2 / bars[1].2 - 4.0).abs() < 1e-9);
        let label = texts_in(&figure, "labels").into_iter().find(|t| t.2 == "-12,5\u{a0}‰").unwrap();
        assert_eq!(label.4, Anchor::End);
        assert!(label.0 < bars[1].0);
        assert_sane(&figure);
    }

    #[test]
    fn long_names_fit_their_column_and_labels_never_cover_bars() {
        let mut entries = densities();
        entries[0].name = "CC Interrégionale Aumale - Blangy-sur-Bresle".into();
        entries[1].name = "Communauté d'agglomération de la Région de Château-Thierry et des villages alentour, \
                           nom volontairement démesuré"
            .into();
        entries[2].value = Value::Secret;
        let figure = bar_chart(&text("Noms longs", "%", 1), &entries);
        let names: Vec<(f64, f64, &str, f64, Anchor)> =
            texts_in(&figure, "labels").into_iter().filter(|t| t.4 == Anchor::End).collect();
        assert!(names.iter().any(|t| t.2.ends_with('…')), "{names:?}");
        assert!(names.iter().any(|t| t.2 == "CC Interrégionale Aumale - Blangy-"), "{names:?}");
        let bars = rects(&figure, "bars");
        let bar_left = bars.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
        for t in &names {
            assert!(t.0 <= bar_left, "{t:?}");
            assert!(text_width_mm(t.2, t.3) <= (PAGE_WIDTH_MM - 2.0 * MARGIN_MM) * 0.36 + 1e-9, "{t:?}");
        }
        for t in texts_in(&figure, "labels") {
            let b = text_box(t.0, t.1, t.2, t.3, t.4);
            for bar in &bars {
                assert!(!overlap(b, [bar.0, bar.1, bar.0 + bar.2, bar.1 + bar.3]), "{t:?} over {bar:?}");
            }
        }
        assert_sane(&figure);
    }
}
