//! The population pyramid: age bands youngest at the bottom, men to the left and women to the
//! right of a middle column of band labels, each side on its own linear [`Scale`] from zero, with an
//! optional comparison profile drawn over them.

use super::axis::{Scale, label_stride, nice_ticks, tick_decimals};
use super::{
    AXES_LAYER, BARS_LAYER, ChartText, GRID_LAYER, LABELS_LAYER, LEFT, LEGEND_LAYER, MAX_DECIMALS, REFERENCE_LAYER,
    SOURCES_LAYER, TITLE_LAYER, WIDTH, chart_sheet, finite, label_unit, no_data, no_data_chart, plain_derived,
    with_unit,
};
use crate::figure::page::{Sheet, Swatch, legend_flow, marker_items, notes_block, sources_block, truncate};
use crate::figure::style::{
    AXIS_COLOR, GRID_COLOR, INK, LABEL_FONT, MEN_COLOR, MUTED, TICK_FONT, WOMEN_COLOR, plain_number, status_style,
    value_tag,
};
use crate::figure::{Anchor, Figure, Stroke, Style, Tag};
use crate::text::Lang;
use crate::value::Value;

/// The stub drawn for a band without a number (secret, missing).
const STUB_MM: f64 = 3.0;

/// Population pyramid: age bands youngest at the bottom, men on the left, women on the right, as
/// shares of the total population in % (or counts when `as_share` is false) on a symmetric axis,
/// band labels in the middle column, and an optional comparison profile (name, men, women) drawn
/// as a step outline over each side. Layers: `title`, `axes`, `gridlines`, `bars`, `labels`,
/// `reference`, `legend`, `sources`.
#[must_use]
pub fn pyramid(
    text: &ChartText,
    bands: &[String],
    men: &[Value],
    women: &[Value],
    comparison: Option<(&str, &[Value], &[Value])>,
    as_share: bool,
) -> Figure {
    let layers =
        [TITLE_LAYER, AXES_LAYER, GRID_LAYER, BARS_LAYER, LABELS_LAYER, REFERENCE_LAYER, LEGEND_LAYER, SOURCES_LAYER];
    let (mut sheet, y) = chart_sheet(text, &layers);
    let lang = text.lang;
    let n = bands.len();
    if n == 0 {
        return no_data_chart(sheet, text, &[], y + 3.0);
    }
    let (men, women) = pyramid_values(men, women, n, as_share);
    let reference = comparison.map(|(name, m, w)| {
        let (m, w) = pyramid_values(m, w, n, as_share);
        (name, m, w)
    });
    let numbers: Vec<f64> = men
        .iter()
        .chain(&women)
        .chain(reference.iter().flat_map(|(_, m, w)| m.iter().chain(w)))
        .filter_map(|v| v.number())
        .collect();
    let max = numbers.iter().copied().fold(0.0, f64::max);
    let ticks = if max > 0.0 { nice_ticks(0.0, max, 4) } else { Vec::new() };
    let shown = Shown {
        decimals: if as_share { text.decimals.clamp(1, MAX_DECIMALS) } else { text.decimals.min(MAX_DECIMALS) },
        unit: if as_share { "%" } else { label_unit(&text.unit) },
        as_share,
        lang,
    };
    let frame = Frame::new(bands, &ticks, y + 3.0);
    frame.draw_heads(&mut sheet, lang);
    for i in 0..n {
        frame.draw_band(&mut sheet, i, &bands[i], [men[i], women[i]], shown);
    }
    let mut y = frame.draw_axes(&mut sheet, &ticks, shown);
    let caption = if as_share {
        lang.pick("Part dans la population totale (%)", "Share of the total population (%)").to_owned()
    } else {
        text.unit.clone()
    };
    if !caption.is_empty() && !ticks.is_empty() {
        sheet.text(AXES_LAYER.0, LEFT + WIDTH / 2.0, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::Middle);
        y += TICK_FONT.line_height();
    }
    let mut items = Vec::new();
    if let Some((name, ref_men, ref_women)) = &reference {
        items.push(frame.draw_reference(&mut sheet, name, [ref_men, ref_women], lang));
    }
    let all: Vec<Value> = men.iter().chain(&women).copied().collect();
    items.extend(marker_items(all.contains(&Value::Secret), all.contains(&Value::Missing), lang));
    y = legend_flow(&mut sheet, &items, LEFT, WIDTH, y + 1.5);
    if numbers.is_empty() {
        y = notes_block(&mut sheet, LEGEND_LAYER.0, &[no_data(lang).to_owned()], LEFT, WIDTH, y + 0.5);
    }
    let height = sources_block(&mut sheet, &text.source, LEFT, WIDTH, y + 0.5);
    sheet.finish(height)
}

/// Shares of the total population (men and women together) in %, or the counts; the total counts
/// only what is available.
fn pyramid_values(men: &[Value], women: &[Value], n: usize, as_share: bool) -> (Vec<Value>, Vec<Value>) {
    let at = |list: &[Value], i: usize| finite(list.get(i).copied().unwrap_or(Value::Missing));
    let men: Vec<Value> = (0..n).map(|i| at(men, i)).collect();
    let women: Vec<Value> = (0..n).map(|i| at(women, i)).collect();
    if !as_share {
        return (men, women);
    }
    let total: f64 = men.iter().chain(&women).filter_map(|v| v.number()).sum();
    let share = |v: &Value| match v.number() {
        Some(_) if total <= 0.0 => Value::Missing,
        Some(x) => Value::Available(x / total * 100.0),
        None => *v,
    };
    (men.iter().map(share).collect(), women.iter().map(share).collect())
}

/// How the values are written.
#[derive(Clone, Copy)]
struct Shown<'a> {
    decimals: usize,
    unit: &'a str,
    as_share: bool,
    lang: Lang,
}

/// The two halves of the pyramid and its rows.
struct Frame {
    /// Men from their axis leftwards.
    men: Scale,
    /// Women from their axis rightwards.
    women: Scale,
    men_axis: f64,
    women_axis: f64,
    half: f64,
    band_width: f64,
    /// Height of a band.
    pitch: f64,
    n: usize,
    /// Top of the heads (« Hommes », « Femmes »), then of the plot.
    heads: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn new(bands: &[String], ticks: &[f64], top: f64) -> Frame {
        let n = bands.len();
        let hi = ticks.last().copied().filter(|t| *t > 0.0).unwrap_or(1.0);
        let band_width = bands.iter().map(|b| TICK_FONT.width(b)).fold(0.0, f64::max).min(28.0);
        let centre_width = band_width + 5.0;
        let half = (WIDTH - centre_width) / 2.0;
        let (men_axis, women_axis) = (LEFT + half, LEFT + half + centre_width);
        let pitch = (84.0 / n as f64).clamp(2.6, 5.0);
        let plot_top = top + LABEL_FONT.bold().line_height() + 1.5;
        Frame {
            men: Scale::linear(0.0, hi, men_axis, -(half - 2.0)),
            women: Scale::linear(0.0, hi, women_axis, half - 2.0),
            men_axis,
            women_axis,
            half,
            band_width,
            pitch,
            n,
            heads: top,
            top: plot_top,
            bottom: plot_top + pitch * n.max(1) as f64,
        }
    }

    /// The top of band `i`, the youngest (0) at the bottom.
    fn row_top(&self, i: usize) -> f64 {
        self.top + (self.n - 1 - i) as f64 * self.pitch
    }

    /// Where a value of one side ends.
    fn x(&self, is_men: bool, v: f64) -> f64 {
        if is_men { self.men.at(v.max(0.0)) } else { self.women.at(v.max(0.0)) }
    }

    /// « Hommes » and « Femmes » over their halves, in their colours.
    fn draw_heads(&self, sheet: &mut Sheet, lang: Lang) {
        let font = LABEL_FONT.bold();
        let baseline = font.baseline(self.heads);
        let men_x = LEFT + self.half / 2.0;
        sheet.text(LABELS_LAYER.0, men_x, baseline, men_label(lang), font.colored(MEN_COLOR), Anchor::Middle);
        let women_x = self.women_axis + self.half / 2.0;
        sheet.text(LABELS_LAYER.0, women_x, baseline, women_label(lang), font.colored(WOMEN_COLOR), Anchor::Middle);
    }

    /// Band `i`: its label in the middle column (every label that fits) and one bar per side, or a
    /// stub with its marker when the value has no number.
    fn draw_band(&self, sheet: &mut Sheet, i: usize, band: &str, values: [Value; 2], shown: Shown<'_>) {
        let top = self.row_top(i);
        let cy = top + self.pitch / 2.0;
        let bar = [top + self.pitch * 0.08, self.pitch * 0.84];
        if i.is_multiple_of(label_stride(self.pitch, TICK_FONT.line_height() - 2.0)) {
            let label = truncate(band, self.band_width, TICK_FONT);
            let x = f64::midpoint(self.men_axis, self.women_axis);
            sheet.text(LABELS_LAYER.0, x, TICK_FONT.centred(cy), &label, TICK_FONT, Anchor::Middle);
        }
        for (value, is_men) in [(values[0], true), (values[1], false)] {
            let (sex, color) =
                if is_men { (men_label(shown.lang), MEN_COLOR) } else { (women_label(shown.lang), WOMEN_COLOR) };
            // The code is an id, the same in every language.
            let code = format!("{}-{i:02}", if is_men { "hommes" } else { "femmes" });
            let name = format!("{sex}, {band}");
            let text = value.number().map(|v| with_unit(v, shown.decimals, shown.unit, shown.lang)).unwrap_or_default();
            let plain = value.number().map(if shown.as_share { plain_derived } else { plain_number });
            let tag = value_tag(&code, &name, value, plain, text, shown.lang);
            let (axis, direction) = if is_men { (self.men_axis, -1.0) } else { (self.women_axis, 1.0) };
            if let Some(v) = value.number() {
                let end = self.x(is_men, v);
                let rect = [axis.min(end), bar[0], (end - axis).abs(), bar[1]];
                sheet.rect(BARS_LAYER.0, rect, Style::fill(color), Some(tag));
            } else {
                let x = if is_men { axis - STUB_MM } else { axis };
                sheet.rect(BARS_LAYER.0, [x, bar[0], STUB_MM, bar[1]], status_style(value), Some(tag));
                let anchor = if is_men { Anchor::End } else { Anchor::Start };
                let font = TICK_FONT.colored(MUTED);
                let marker = value.marker().unwrap_or_default();
                sheet.text(LABELS_LAYER.0, axis + direction * (STUB_MM + 0.8), font.centred(cy), marker, font, anchor);
            }
        }
    }

    /// The two baselines, gridlines and tick labels mirrored on both sides; returns the y under the
    /// tick labels.
    fn draw_axes(&self, sheet: &mut Sheet, ticks: &[f64], shown: Shown<'_>) -> f64 {
        let decimals = tick_decimals(ticks);
        let axis = Stroke::new(AXIS_COLOR, 0.3);
        let (top, bottom) = (self.top, self.bottom);
        for x in [self.men_axis, self.women_axis] {
            sheet.line(AXES_LAYER.0, vec![[x, top], [x, bottom]], axis.clone(), None);
        }
        sheet.line(AXES_LAYER.0, vec![[LEFT, bottom], [self.men_axis, bottom]], axis.clone(), None);
        sheet.line(AXES_LAYER.0, vec![[self.women_axis, bottom], [LEFT + WIDTH, bottom]], axis.clone(), None);
        let label = |t: f64| with_unit(t, decimals, shown.unit, shown.lang);
        let widest = ticks.iter().map(|t| TICK_FONT.width(&label(*t))).fold(0.0, f64::max);
        let spacing = if ticks.len() > 1 { self.women.at(ticks[1]) - self.women.at(ticks[0]) } else { f64::INFINITY };
        let stride = label_stride(spacing, widest);
        let baseline = TICK_FONT.baseline(bottom + 1.3);
        for (i, tick) in ticks.iter().enumerate() {
            for x in [self.x(true, *tick), self.x(false, *tick)] {
                if *tick > 0.0 {
                    sheet.line(GRID_LAYER.0, vec![[x, top], [x, bottom]], Stroke::new(GRID_COLOR, 0.2), None);
                }
                sheet.line(AXES_LAYER.0, vec![[x, bottom], [x, bottom + 1.0]], axis.clone(), None);
                if i % stride == 0 {
                    // A bare 0 at the centre: "0,0 %" twice side by side only adds ink.
                    let text = if *tick > 0.0 { label(*tick) } else { "0".to_owned() };
                    sheet.text(AXES_LAYER.0, x, baseline, &text, TICK_FONT, Anchor::Middle);
                }
            }
        }
        bottom + 1.3 + TICK_FONT.line_height()
    }

    /// The comparison profile: a step outline per side, broken where a band has no value; returns
    /// its legend entry.
    fn draw_reference(&self, sheet: &mut Sheet, name: &str, values: [&[Value]; 2], lang: Lang) -> (Swatch, String) {
        let stroke = Stroke::new(INK, 0.35);
        for (values, is_men) in [(values[0], true), (values[1], false)] {
            let mut segment: Vec<[f64; 2]> = Vec::new();
            let mut segments = Vec::new();
            for (i, value) in values.iter().enumerate() {
                match value.number() {
                    Some(v) => {
                        let x = self.x(is_men, v);
                        segment.push([x, self.row_top(i) + self.pitch]);
                        segment.push([x, self.row_top(i)]);
                    }
                    None => segments.push(std::mem::take(&mut segment)),
                }
            }
            segments.push(segment);
            let code = if is_men { "comparaison-hommes" } else { "comparaison-femmes" };
            let sex = if is_men { men_label(lang) } else { women_label(lang) }.to_lowercase();
            let label = format!("{name}, {sex}");
            let tag = Tag { code: code.to_owned(), name: label.clone(), label, ..Tag::default() };
            for segment in segments.into_iter().filter(|s| !s.is_empty()) {
                sheet.line(REFERENCE_LAYER.0, segment, stroke.clone(), Some(tag.clone()));
            }
        }
        (Swatch::Line(stroke), name.to_owned())
    }
}

fn men_label(lang: Lang) -> &'static str {
    lang.pick("Hommes", "Men")
}

fn women_label(lang: Lang) -> &'static str {
    lang.pick("Femmes", "Women")
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::figure::style::SECRET_FILL;

    const PYRAMID_LAYERS: [&str; 8] =
        ["title", "axes", "gridlines", "bars", "labels", "reference", "legend", "sources"];

    #[test]
    fn pyramid_bars_are_shares_with_the_youngest_at_the_bottom() {
        let (men, women) = age_counts(1000.0, 0.01);
        let figure = pyramid(&text("Pyramide des âges", "%", 1), &bands(), &men, &women, None, true);
        assert_eq!(layer_ids(&figure), PYRAMID_LAYERS);
        let bars = rects(&figure, "bars");
        assert_eq!(bars.len(), 40);
        let total: f64 = bars.iter().map(|b| b.5.unwrap().value.as_ref().unwrap().parse::<f64>().unwrap()).sum();
        assert!((total - 100.0).abs() < 1e-2, "{total}");
        let men_bars: Vec<_> = bars.iter().filter(|b| b.5.unwrap().code.starts_with("hommes")).collect();
        let women_bars: Vec<_> = bars.iter().filter(|b| b.5.unwrap().code.starts_with("femmes")).collect();
        assert_eq!((men_bars.len(), women_bars.len()), (20, 20));
        assert!(men_bars[0].1 > men_bars[19].1, "0-4 ans below 95 ans et +");
        // Men grow leftwards from one axis, women rightwards from the other.
        let men_axis = men_bars[0].0 + men_bars[0].2;
        assert!(men_bars.iter().all(|b| (b.0 + b.2 - men_axis).abs() < 1e-9));
        let women_axis = women_bars[0].0;
        assert!(women_bars.iter().all(|b| (b.0 - women_axis).abs() < 1e-9));
        assert!(women_axis > men_axis);
        assert_eq!(men_bars[0].5.unwrap().name, "Hommes, 0-4 ans");
        assert!(texts_in(&figure, "labels").iter().any(|t| t.2 == "95 ans et +"));
        let ticks: Vec<&str> = texts_in(&figure, "axes").into_iter().map(|t| t.2).collect();
        assert!(ticks.iter().any(|t| t.ends_with("\u{a0}%")), "{ticks:?}");
        assert_sane(&figure);
    }

    #[test]
    fn pyramid_comparison_is_a_step_outline_on_each_side() {
        let (men, women) = age_counts(1000.0, 0.01);
        let (ref_men, mut ref_women) = age_counts(50_000.0, 0.02);
        ref_women[10] = Value::Missing;
        let figure =
            pyramid(&text("Pyramide", "%", 1), &bands(), &men, &women, Some(("France", &ref_men, &ref_women)), true);
        let outlines: Vec<(usize, &str)> = polylines(&figure, "reference");
        // Two points per band; the women's outline breaks at the missing band.
        assert_eq!(outlines, [(40, "comparaison-hommes"), (20, "comparaison-femmes"), (18, "comparaison-femmes")]);
        assert!(texts_in(&figure, "legend").iter().any(|t| t.2 == "France"));
        // Counts instead of shares: the tags carry the counts.
        let figure = pyramid(&text("Pyramide", "habitants", 0), &bands(), &men, &women, None, false);
        assert_eq!(rects(&figure, "bars")[0].5.unwrap().value.as_deref(), Some("5600"));
    }

    #[test]
    fn pyramid_secret_band_is_hatched() {
        let (mut men, women) = age_counts(10.0, 0.01);
        men[19] = Value::Secret;
        let figure = pyramid(&digitless("Pyramide"), &bands(), &men, &women, None, true);
        let secret = rects(&figure, "bars").into_iter().find(|b| b.5.unwrap().status == Some("secret")).unwrap();
        assert_eq!(secret.4.fill, SECRET_FILL);
        assert!(texts_in(&figure, "labels").iter().any(|t| t.2 == "s"));
    }
}
