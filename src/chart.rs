//! Charts and tables as figures: pure, deterministic builders that turn plain data (names, codes,
//! [`Value`]s, texts) into a [`Figure`] laid out in millimetres: the comparison bar chart, the
//! evolution line chart, the population pyramid, the position chart (a territory among all units of
//! its level) and the key-figures table.
//!
//! Every builder writes the same named layers in the same order where they apply (`title`, `axes`,
//! `gridlines`, the data marks `bars`/`lines`/`points`/`cells`, `labels`, `reference`, `legend`,
//! `sources`), keeps text as text, writes its own texts and numbers in the figure's [`Lang`] (French
//! by default: `12 345,6`; English: `12,345.6`) and tags every data mark with the territory and value
//! it shows. A secret value has no number here at all ([`Value::Secret`]): it is drawn hatched and
//! written « s »; a missing one is written « nd », in both languages. Layer ids never depend on the
//! language; layer labels do.
//!
//! This module depends only on the figure model, [`Value`] and [`crate::text`]. It must not
//! depend on packs, territories or egui: the portrait code resolves indicators and territories into
//! these plain inputs, and the screen and exporters read the resulting figures.

use std::collections::BTreeSet;

use crate::figure::{Anchor, Figure, Fill, MM_PER_PT, Mark, Rgb, Stroke, Style, Tag, text_width_mm};
use crate::text::{Lang, format_number, number_with_unit};
use crate::value::Value;

/// Common texts of every chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    /// Title, wrapped over several lines when long.
    pub title: String,
    /// Indicator, year, unit.
    pub subtitle: String,
    /// The "Source : …" block, wrapped at the page width.
    pub source: String,
    /// Unit written after numbers (`%`, `hab./km²`), empty for none.
    pub unit: String,
    /// Decimals of the values.
    pub decimals: usize,
    /// Language of the chart's own texts (legend, notes, layer labels) and of its numbers.
    pub lang: Lang,
}

/// One territory's bar or point.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Territory code, written in the mark's tag.
    pub code: String,
    /// Territory name, as shown.
    pub name: String,
    /// Its value.
    pub value: Value,
    /// How it is highlighted.
    pub role: Role,
}

/// What a territory is in a chart, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The analysis territory, in a strong colour.
    Territory,
    /// A comparison zone (département, région, France), each in its own colour.
    Comparison,
    /// Any other unit, neutral.
    Other,
}

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

/// A table as a figure (the key-figures table).
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigure {
    /// Title.
    pub title: String,
    /// Column headers, e.g. `["Indicateur", "Unité", "Année", "Amiens", "Somme", "Hauts-de-France", "France"]`.
    pub columns: Vec<String>,
    /// Rows of cells, in the order of `columns`.
    pub rows: Vec<Vec<TableCell>>,
    /// The "Source : …" block.
    pub source: String,
    /// The territory's column, emphasised.
    pub highlight_column: Option<usize>,
    /// Language of the table's own texts (legend, layer labels) and of its numbers.
    pub lang: Lang,
}

/// One cell of a [`TableFigure`].
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    /// Text, wrapped in its column.
    Text(String),
    /// A value, right-aligned, « s » when secret and « nd » when missing.
    Value {
        /// The value.
        value: Value,
        /// Decimals written.
        decimals: usize,
    },
}

/// Default page width: an A4 page less 25 mm margins on each side.
pub const PAGE_WIDTH_MM: f64 = 160.0;
/// White space kept around every chart, so that strokes at the edges are never clipped.
const MARGIN_MM: f64 = 4.0;
/// More decimals than this is a data error, not a precision; it would only make labels unreadable.
const MAX_DECIMALS: usize = 6;

const INK: Rgb = Rgb(0x25, 0x25, 0x25);
const AXIS_COLOR: Rgb = Rgb(0x4d, 0x4d, 0x4d);
const GRID_COLOR: Rgb = Rgb(0xd9, 0xd9, 0xd9);
const MUTED: Rgb = Rgb(0x63, 0x63, 0x63);
const TERRITORY_COLOR: Rgb = Rgb(0x08, 0x51, 0x9c);
/// Orange, green, purple, dark grey: distinct from the territory's blue and from each other for the
/// common colour-vision deficiencies.
const COMPARISON_COLORS: [Rgb; 4] =
    [Rgb(0xe6, 0x55, 0x0d), Rgb(0x31, 0xa3, 0x54), Rgb(0x75, 0x6b, 0xb1), Rgb(0x63, 0x63, 0x63)];
const OTHER_COLOR: Rgb = Rgb(0xbd, 0xbd, 0xbd);
const DOT_COLOR: Rgb = Rgb(0x96, 0x96, 0x96);
const MEN_COLOR: Rgb = Rgb(0x4a, 0x90, 0xc4);
const WOMEN_COLOR: Rgb = Rgb(0xd6, 0x60, 0x4d);
const HIGHLIGHT_BACKGROUND: Rgb = Rgb(0xde, 0xeb, 0xf7);
/// The "secret statistique" fill, the same as on maps.
const SECRET_FILL: Fill = Fill::Hatch { line: MUTED, background: Rgb::WHITE };

/// A layer: its id, the same in every language, then its label in French and in English.
type LayerName = (&'static str, &'static str, &'static str);

const TITLE_LAYER: LayerName = ("title", "Titre", "Title");
const AXES_LAYER: LayerName = ("axes", "Axes", "Axes");
const GRID_LAYER: LayerName = ("gridlines", "Quadrillage", "Gridlines");
const LABELS_LAYER: LayerName = ("labels", "Étiquettes", "Labels");
const REFERENCE_LAYER: LayerName = ("reference", "Références", "References");
const LEGEND_LAYER: LayerName = ("legend", "Légende", "Legend");
const SOURCES_LAYER: LayerName = ("sources", "Sources", "Sources");
const BARS_LAYER: LayerName = ("bars", "Barres", "Bars");
const LINES_LAYER: LayerName = ("lines", "Courbes", "Lines");
const POINTS_LAYER: LayerName = ("points", "Points", "Points");
const CELLS_LAYER: LayerName = ("cells", "Cellules", "Cells");

/// Written where a chart has nothing to plot.
fn no_data(lang: Lang) -> &'static str {
    lang.pick("Aucune donnée disponible", "No data available")
}

/// The label of a secret value, in tags and notes.
fn secret_label(lang: Lang) -> &'static str {
    lang.pick("secret statistique", "statistical secrecy")
}

/// The label of a missing value, in tags and notes.
fn missing_label(lang: Lang) -> &'static str {
    lang.pick("non disponible", "not available")
}

/// A text style. Sizes are in points as designers expect; widths are estimated with
/// [`text_width_mm`], bold a little wider.
#[derive(Debug, Clone, Copy)]
struct Font {
    size_pt: f64,
    bold: bool,
    color: Rgb,
}

const TITLE_FONT: Font = Font { size_pt: 11.5, bold: true, color: INK };
const SUBTITLE_FONT: Font = Font { size_pt: 8.5, bold: false, color: MUTED };
const LABEL_FONT: Font = Font { size_pt: 8.0, bold: false, color: INK };
const TICK_FONT: Font = Font { size_pt: 7.5, bold: false, color: AXIS_COLOR };
const NOTE_FONT: Font = Font { size_pt: 7.5, bold: false, color: MUTED };
const SOURCE_FONT: Font = Font { size_pt: 7.0, bold: false, color: MUTED };

/// Bold faces run about 7 % wider than regular ones.
const BOLD_WIDTH: f64 = 1.07;

impl Font {
    fn em(self) -> f64 {
        self.size_pt * MM_PER_PT
    }

    fn line_height(self) -> f64 {
        self.em() * 1.25
    }

    fn width(self, text: &str) -> f64 {
        text_width_mm(text, self.size_pt) * if self.bold { BOLD_WIDTH } else { 1.0 }
    }

    /// The baseline that centres capitals and digits on `y`.
    fn centred(self, y: f64) -> f64 {
        y + 0.35 * self.em()
    }

    /// The baseline of a line whose box starts at `top`.
    fn baseline(self, top: f64) -> f64 {
        top + 0.95 * self.em()
    }

    fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    fn colored(self, color: Rgb) -> Font {
        Font { color, ..self }
    }

    fn wrap(self, text: &str, width: f64) -> Vec<String> {
        wrap(text, if self.bold { width / BOLD_WIDTH } else { width }, self.size_pt)
    }
}

/// A figure under construction whose layers are created up front, so that their order is the
/// documented one whatever order the layout fills them in.
struct Sheet {
    figure: Figure,
    lang: Lang,
}

impl Sheet {
    fn new(title: &str, width: f64, layers: &[LayerName], lang: Lang) -> Sheet {
        let mut figure = Figure::new(width, 0.0, title);
        figure.lang = lang;
        for (id, fr, en) in layers {
            figure.layer(id, lang.pick(fr, en));
        }
        Sheet { figure, lang }
    }

    fn push(&mut self, layer: &str, mark: Mark) {
        self.figure.layer(layer, layer).marks.push(mark);
    }

    fn text(&mut self, layer: &str, x: f64, y: f64, text: &str, font: Font, anchor: Anchor) {
        if text.is_empty() {
            return;
        }
        self.push(
            layer,
            Mark::Text {
                x,
                y,
                text: text.to_owned(),
                size_pt: font.size_pt,
                anchor,
                bold: font.bold,
                color: font.color,
            },
        );
    }

    fn line(&mut self, layer: &str, points: Vec<[f64; 2]>, stroke: Stroke, tag: Option<Tag>) {
        self.push(layer, Mark::Polyline { points, stroke, tag });
    }

    fn rect(&mut self, layer: &str, [x, y, width, height]: [f64; 4], style: Style, tag: Option<Tag>) {
        self.push(layer, Mark::Rect { x, y, width, height, style, tag });
    }

    fn circle(&mut self, layer: &str, [cx, cy, r]: [f64; 3], style: Style, tag: Option<Tag>) {
        self.push(layer, Mark::Circle { cx, cy, r, style, tag });
    }

    fn finish(mut self, height: f64) -> Figure {
        self.figure.height_mm = height;
        self.figure
    }
}

/// A legend symbol.
#[derive(Debug, Clone)]
enum Swatch {
    Block(Style),
    Line(Stroke),
    Dot(Rgb, f64),
    LineDot(Rgb, f64),
}

const SWATCH_MM: f64 = 4.2;

fn draw_swatch(sheet: &mut Sheet, swatch: &Swatch, x: f64, cy: f64) {
    let layer = LEGEND_LAYER.0;
    match swatch {
        Swatch::Block(style) => sheet.rect(layer, [x, cy - 1.5, SWATCH_MM, 3.0], style.clone(), None),
        Swatch::Line(stroke) => sheet.line(layer, vec![[x, cy], [x + SWATCH_MM, cy]], stroke.clone(), None),
        Swatch::Dot(color, r) => sheet.circle(layer, [x + SWATCH_MM / 2.0, cy, *r], Style::fill(*color), None),
        Swatch::LineDot(color, width) => {
            sheet.line(layer, vec![[x, cy], [x + SWATCH_MM, cy]], Stroke::new(*color, *width), None);
            sheet.circle(layer, [x + SWATCH_MM / 2.0, cy, 0.75], Style::fill(*color), None);
        }
    }
}

/// Lays legend items out left to right, wrapping to new rows; returns the y under the last row.
fn legend_flow(sheet: &mut Sheet, items: &[(Swatch, String)], left: f64, width: f64, top: f64) -> f64 {
    if items.is_empty() {
        return top;
    }
    let font = LABEL_FONT;
    let row = font.line_height().max(3.6) + 0.6;
    let (mut x, mut y) = (left, top);
    for (swatch, label) in items {
        let label = truncate(label, width - SWATCH_MM - 1.5, font);
        let item_width = SWATCH_MM + 1.5 + font.width(&label);
        if x > left && x + item_width > left + width {
            x = left;
            y += row;
        }
        let cy = y + row / 2.0;
        draw_swatch(sheet, swatch, x, cy);
        sheet.text(LEGEND_LAYER.0, x + SWATCH_MM + 1.5, font.centred(cy), &label, font, Anchor::Start);
        x += item_width + 4.5;
    }
    y + row
}

/// The legend items explaining « s » and « nd », when the chart shows them.
fn status_items(secret: bool, missing: bool, lang: Lang) -> Vec<(Swatch, String)> {
    let mut items = Vec::new();
    if secret {
        let label = lang.pick("s : secret statistique", "s: statistical secrecy");
        items.push((Swatch::Block(secret_style()), label.to_owned()));
    }
    if missing {
        let label = lang.pick("nd : donnée non disponible", "nd: no data");
        items.push((Swatch::Block(missing_style()), label.to_owned()));
    }
    items
}

fn secret_style() -> Style {
    Style { fill: SECRET_FILL, stroke: Some(Stroke::new(MUTED, 0.15)) }
}

/// An empty dashed box: there is a place for the value, and nothing in it.
fn missing_style() -> Style {
    Style { fill: Fill::None, stroke: Some(Stroke::new(DOT_COLOR, 0.15).dashed(&[0.6, 0.4])) }
}

/// Title and subtitle, wrapped at the page width; returns the y under them.
fn header(sheet: &mut Sheet, title: &str, subtitle: &str, left: f64, width: f64) -> f64 {
    let mut y = MARGIN_MM;
    for line in TITLE_FONT.wrap(title, width) {
        sheet.text(TITLE_LAYER.0, left, TITLE_FONT.baseline(y), &line, TITLE_FONT, Anchor::Start);
        y += TITLE_FONT.line_height();
    }
    if !subtitle.is_empty() {
        y += 0.4;
        for line in SUBTITLE_FONT.wrap(subtitle, width) {
            sheet.text(TITLE_LAYER.0, left, SUBTITLE_FONT.baseline(y), &line, SUBTITLE_FONT, Anchor::Start);
            y += SUBTITLE_FONT.line_height();
        }
    }
    y
}

/// The frame drawn instead of a plot when there is nothing to plot; returns the y under it.
fn no_data_frame(sheet: &mut Sheet, left: f64, width: f64, top: f64) -> f64 {
    const HEIGHT: f64 = 20.0;
    sheet.rect(AXES_LAYER.0, [left, top, width, HEIGHT], Style::outline(Stroke::new(GRID_COLOR, 0.2)), None);
    let baseline = NOTE_FONT.centred(top + HEIGHT / 2.0);
    sheet.text(LABELS_LAYER.0, left + width / 2.0, baseline, no_data(sheet.lang), NOTE_FONT, Anchor::Middle);
    top + HEIGHT
}

/// Notes (muted, wrapped) on a layer; returns the y under them.
fn notes_block(sheet: &mut Sheet, layer: &str, notes: &[String], left: f64, width: f64, top: f64) -> f64 {
    let mut y = top;
    for note in notes {
        for line in NOTE_FONT.wrap(note, width) {
            sheet.text(layer, left, NOTE_FONT.baseline(y), &line, NOTE_FONT, Anchor::Start);
            y += NOTE_FONT.line_height();
        }
    }
    y
}

/// The source block at the bottom; returns the page height.
fn sources_block(sheet: &mut Sheet, source: &str, left: f64, width: f64, top: f64) -> f64 {
    let mut y = top;
    let lines = SOURCE_FONT.wrap(source, width);
    if !lines.is_empty() {
        y += 1.5;
    }
    for line in lines {
        sheet.text(SOURCES_LAYER.0, left, SOURCE_FONT.baseline(y), &line, SOURCE_FONT, Anchor::Start);
        y += SOURCE_FONT.line_height();
    }
    y + MARGIN_MM
}

/// A value that is not a finite number is as good as missing: it must never reach a coordinate.
fn finite(value: Value) -> Value {
    match value {
        Value::Available(v) if !v.is_finite() => Value::Missing,
        other => other,
    }
}

/// A number with its unit (`453,0 hab./km²`, `12,3 %`; in English `453.0 hab./km²`, `12.3%`).
fn with_unit(v: f64, decimals: usize, unit: &str, lang: Lang) -> String {
    number_with_unit(v, decimals, unit, lang)
}

/// A name and its value: `Amiens : 2 708,1` (no-break space before the colon) or `Amiens: 2,708.1`.
fn name_value(name: &str, value: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{name}\u{a0}: {value}"),
        Lang::En => format!("{name}: {value}"),
    }
}

/// Short units (`%`, `‰`, `ans`, `€`) are repeated on each label; long ones (`pour 100 000 hab.`)
/// only in the subtitle and tooltips, or every bar would carry a sentence.
fn label_unit(unit: &str) -> &str {
    if unit.chars().count() <= 4 { unit } else { "" }
}

/// The number as plain text with a decimal point, for tags; never `-0`.
fn plain(v: f64) -> String {
    format!("{}", v + 0.0)
}

/// A computed value (share, index) rounded for its tag, so tags do not carry float noise.
fn plain_derived(v: f64) -> String {
    plain((v * 1e4).round() / 1e4)
}

fn status(value: Value) -> Option<&'static str> {
    match value {
        Value::Available(_) => None,
        Value::Missing => Some("nd"),
        Value::Secret => Some("secret"),
    }
}

/// The tag of a mark showing `value` for a territory; `label` is the value as shown when available.
fn value_tag(code: &str, name: &str, value: Value, plain_value: Option<String>, label: String, lang: Lang) -> Tag {
    let label = match value {
        Value::Available(_) => label,
        Value::Secret => secret_label(lang).to_owned(),
        Value::Missing => missing_label(lang).to_owned(),
    };
    Tag {
        code: code.to_owned(),
        name: name.to_owned(),
        value: plain_value.filter(|_| value.number().is_some()),
        label,
        class: None,
        status: status(value),
    }
}

/// The colour of each role, comparison zones taking the comparison colours in their order.
fn role_colors(roles: impl Iterator<Item = Role>) -> Vec<Rgb> {
    let mut comparisons = 0;
    roles
        .map(|role| match role {
            Role::Territory => TERRITORY_COLOR,
            Role::Comparison => {
                let color = COMPARISON_COLORS[comparisons % COMPARISON_COLORS.len()];
                comparisons += 1;
                color
            }
            Role::Other => OTHER_COLOR,
        })
        .collect()
}

/// The text cut to `width` with « … ».
fn truncate(text: &str, width: f64, font: Font) -> String {
    if font.width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if font.width(&out) + font.width("…") > width {
            out.pop();
            break;
        }
    }
    let mut out = out.trim_end().trim_end_matches(['-', ',', ' ']).to_owned();
    out.push('…');
    out
}

/// The text wrapped at `width` on at most `max_lines` lines, the last one cut with « … ».
fn fit_lines(text: &str, width: f64, font: Font, max_lines: usize) -> Vec<String> {
    let mut lines = font.wrap(text, width);
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(truncate(&rest, width, font));
    }
    lines
}

/// A piece of a line for [`wrap`]: a word, or part of a hyphenated or over-long word.
struct Token<'a> {
    text: &'a str,
    /// Whether a space separates it from the previous token.
    spaced: bool,
}

/// Cuts a word after its hyphens (`Blangy-sur-Bresle`), then any piece still wider than the line
/// between characters.
fn word_tokens<'a>(word: &'a str, width_mm: f64, size_pt: f64, out: &mut Vec<Token<'a>>) {
    let mut first = true;
    for part in word.split_inclusive('-') {
        if text_width_mm(part, size_pt) <= width_mm {
            out.push(Token { text: part, spaced: first });
        } else {
            let mut start = 0;
            for (i, c) in part.char_indices() {
                let end = i + c.len_utf8();
                if i > start && text_width_mm(&part[start..end], size_pt) > width_mm {
                    out.push(Token { text: &part[start..i], spaced: first && start == 0 });
                    start = i;
                }
            }
            out.push(Token { text: &part[start..], spaced: first && start == 0 });
        }
        first = false;
    }
}

/// Wraps a text into lines no wider than `width_mm` at `size_pt`, by the estimate of
/// [`text_width_mm`]. Lines break at spaces and after hyphens; a word wider than the line is cut
/// between characters. No-break spaces (inside numbers, before units) never break, and explicit line
/// breaks are kept. Empty lines are dropped.
///
/// ```
/// use indicarto::chart::wrap;
/// use indicarto::figure::text_width_mm;
/// let lines = wrap("Source : Insee, recensements de la population 2015 et 2021", 40.0, 7.0);
/// assert!(lines.len() > 1);
/// assert!(lines.iter().all(|l| text_width_mm(l, 7.0) <= 40.0));
/// assert_eq!(wrap("Blangy-sur-Bresle", 16.0, 8.0), ["Blangy-sur-", "Bresle"]);
/// ```
#[must_use]
pub fn wrap(text: &str, width_mm: f64, size_pt: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut tokens = Vec::new();
        for word in paragraph.split([' ', '\t']).filter(|w| !w.is_empty()) {
            word_tokens(word, width_mm, size_pt, &mut tokens);
        }
        let mut current = String::new();
        for token in tokens {
            if current.is_empty() {
                current.push_str(token.text);
                continue;
            }
            let separator = if token.spaced { " " } else { "" };
            let candidate = format!("{current}{separator}{}", token.text);
            if text_width_mm(&candidate, size_pt) <= width_mm {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, token.text.to_owned()));
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
    }
    lines
}

/// Nice axis ticks covering [min, max]: multiples of 1, 2, 2.5 or 5 × 10^n, the first at or below
/// `min`, the last at or above `max`, within one of `target` ticks when those steps allow (4 to 6
/// for a target of 5), covering as little beyond the range as possible. A degenerate range is widened around its value; a non-finite one gives `[0, 1]`.
///
/// ```
/// use indicarto::chart::nice_ticks;
/// assert_eq!(nice_ticks(0.0, 2708.1, 5), [0.0, 1000.0, 2000.0, 3000.0]);
/// assert_eq!(nice_ticks(-3.2, 12.3, 5), [-5.0, 0.0, 5.0, 10.0, 15.0]);
/// assert_eq!(nice_ticks(0.0, 0.9, 5), [0.0, 0.25, 0.5, 0.75, 1.0]);
/// ```
#[must_use]
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    let magnitude = lo.abs().max(hi.abs());
    if hi - lo <= magnitude * 1e-12 {
        if magnitude == 0.0 {
            (lo, hi) = (0.0, 1.0);
        } else {
            (lo, hi) = (lo - magnitude * 0.1, hi + magnitude * 0.1);
        }
    }
    let target = target.max(2) as f64;
    let exponent = ((hi - lo) / target).log10().floor() as i32;
    // Within one tick of the target, the tightest cover wins (least empty axis), then the fewer
    // ticks; otherwise the count nearest the target.
    let mut best: Option<TickChoice> = None;
    for e in exponent - 1..=exponent + 1 {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = decimal(m, e);
            let first = (lo / step + 1e-9).floor();
            let last = (hi / step - 1e-9).ceil();
            let count = last - first + 1.0;
            let miss = ((count - target).abs() - 1.0).max(0.0);
            let cover = ((last - first) * step / (hi - lo) * 1e6).round();
            let score = (miss, cover, count);
            if best.as_ref().is_none_or(|b| score < b.score) {
                best = Some(TickChoice { score, step, e, m, first });
            }
        }
    }
    let Some(TickChoice { step, e, m, first, .. }) = best else { return vec![lo, hi] };
    let mut ticks = Vec::new();
    let mut k = first;
    loop {
        let tick = decimal(k * m, e) + 0.0;
        ticks.push(tick);
        if tick >= hi - step * 1e-9 || ticks.len() > 1000 {
            break;
        }
        k += 1.0;
    }
    ticks
}

/// A candidate tick step `m × 10^e` and how well it serves (lower is better), for [`nice_ticks`].
struct TickChoice {
    score: (f64, f64, f64),
    step: f64,
    e: i32,
    m: f64,
    first: f64,
}

/// `m × 10^e` computed so that decimal steps stay exact (`3 × 0.1` is written 0.3, not
/// 0.30000000000000004).
fn decimal(m: f64, e: i32) -> f64 {
    if e >= 0 { m * 10f64.powi(e) } else { m / 10f64.powi(-e) }
}

/// Decimals needed to write every tick exactly.
fn tick_decimals(ticks: &[f64]) -> usize {
    (0u8..=6)
        .find(|&d| {
            let scale = 10f64.powi(i32::from(d));
            ticks.iter().all(|t| ((t * scale).round() - t * scale).abs() < 1e-6 * scale)
        })
        .map_or(MAX_DECIMALS, usize::from)
}

/// Ticks of a logarithmic axis from 10^`lo` to 10^`hi`: 1, 2, 5 in each decade over short ranges,
/// decades only over long ones.
fn log_ticks(lo: i32, hi: i32) -> Vec<f64> {
    let multiples: &[f64] = if hi - lo <= 2 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    let stride = if hi - lo > 8 { 2 } else { 1 };
    let mut ticks = Vec::new();
    for e in (lo..=hi).step_by(stride) {
        for &m in multiples {
            if e < hi || m <= 1.0 {
                ticks.push(decimal(m, e));
            }
        }
    }
    ticks
}

/// Keeps the labels of ticks that are `spacing` mm apart readable: every label when they fit,
/// otherwise every second or fifth one.
fn label_stride(spacing: f64, label_width: f64) -> usize {
    [1, 2, 5, 10].into_iter().find(|k| spacing * (*k as f64) >= label_width + 2.0).unwrap_or(10)
}

// ---------------------------------------------------------------------------------------------
// Bar chart

const BAR_MM: f64 = 4.4;
const BAR_ROW_MM: f64 = 6.8;
/// The stub drawn for a value that has no number (secret, missing).
const STUB_MM: f64 = 3.0;
const LABEL_GAP_MM: f64 = 1.2;

/// Comparison bar chart: horizontal bars, one per entry in the given order, names on the left,
/// value labels at the bar ends, a zero line and light gridlines. Negative values go left from zero;
/// a secret value is a hatched stub labelled « s », a missing one an empty dashed stub labelled
/// « nd ». Layers: `title`, `axes`, `gridlines`, `bars`, `labels`, `legend`, `sources`.
#[must_use]
#[allow(clippy::too_many_lines, reason = "the layout reads top to bottom as the chart is drawn")]
pub fn bar_chart(text: &ChartText, entries: &[Entry]) -> Figure {
    let mut sheet = Sheet::new(
        &text.title,
        PAGE_WIDTH_MM,
        &[TITLE_LAYER, AXES_LAYER, GRID_LAYER, BARS_LAYER, LABELS_LAYER, LEGEND_LAYER, SOURCES_LAYER],
        text.lang,
    );
    let lang = text.lang;
    let (left, width) = (MARGIN_MM, PAGE_WIDTH_MM - 2.0 * MARGIN_MM);
    let top = header(&mut sheet, &text.title, &text.subtitle, left, width) + 3.5;
    let decimals = text.decimals.min(MAX_DECIMALS);
    let values: Vec<Value> = entries.iter().map(|e| finite(e.value)).collect();
    let colors = role_colors(entries.iter().map(|e| e.role));
    let fonts: Vec<Font> =
        entries.iter().map(|e| if e.role == Role::Territory { LABEL_FONT.bold() } else { LABEL_FONT }).collect();
    let names: Vec<Vec<String>> =
        entries.iter().zip(&fonts).map(|(e, font)| fit_lines(&e.name, width * 0.36, *font, 2)).collect();
    let name_width =
        names.iter().zip(&fonts).flat_map(|(lines, font)| lines.iter().map(|l| font.width(l))).fold(0.0, f64::max);
    let labels: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::Available(v) => with_unit(*v, decimals, label_unit(&text.unit), lang),
            other => other.marker().unwrap_or_default().to_owned(),
        })
        .collect();
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.number()).collect();
    let (lo, hi) = (numbers.iter().copied().fold(0.0, f64::min), numbers.iter().copied().fold(0.0, f64::max));
    let (lo, hi) = if hi - lo > 0.0 { (lo, hi) } else { (0.0, 1.0) };

    // Room for the labels outside the bars, on the side each bar goes.
    let mut pad_right: f64 = 0.0;
    let mut pad_left: f64 = 0.0;
    for ((value, label), font) in values.iter().zip(&labels).zip(&fonts) {
        let label_width = LABEL_GAP_MM + font.width(label);
        match value.number() {
            Some(v) if v < 0.0 => pad_left = pad_left.max(label_width),
            Some(_) => pad_right = pad_right.max(label_width),
            None => pad_right = pad_right.max(STUB_MM + label_width),
        }
    }
    let plot_left = left + name_width + 3.0;
    let plot_right = left + width;
    let a = plot_left + pad_left;
    let b = (plot_right - pad_right).max(a + 10.0);
    let x_of = |v: f64| a + (v - lo) / (hi - lo) * (b - a);
    let zero = x_of(0.0);

    let mut y = top;
    for (i, entry) in entries.iter().enumerate() {
        let lines = &names[i];
        let font = fonts[i];
        let row = (lines.len() as f64 * font.line_height() + 1.6).max(BAR_ROW_MM);
        let cy = y + row / 2.0;
        let middle = (lines.len() as f64 - 1.0) / 2.0;
        for (j, line) in lines.iter().enumerate() {
            let line_y = cy + (j as f64 - middle) * font.line_height();
            sheet.text(LABELS_LAYER.0, left + name_width, font.centred(line_y), line, font, Anchor::End);
        }
        let value = values[i];
        let color = colors[i];
        let tag = value_tag(
            &entry.code,
            &entry.name,
            value,
            value.number().map(plain),
            value.number().map(|v| with_unit(v, decimals, &text.unit, lang)).unwrap_or_default(),
            lang,
        );
        let bar_top = cy - BAR_MM / 2.0;
        let label_font = if value.number().is_some() { font } else { font.colored(MUTED) };
        let (label_x, anchor) = match value {
            Value::Available(v) => {
                let end = x_of(v);
                let rect = [zero.min(end), bar_top, (end - zero).abs(), BAR_MM];
                sheet.rect(BARS_LAYER.0, rect, Style::fill(color), Some(tag));
                if v < 0.0 { (end - LABEL_GAP_MM, Anchor::End) } else { (end + LABEL_GAP_MM, Anchor::Start) }
            }
            Value::Secret | Value::Missing => {
                let style = if value == Value::Secret { secret_style() } else { missing_style() };
                sheet.rect(BARS_LAYER.0, [zero, bar_top, STUB_MM, BAR_MM], style, Some(tag));
                (zero + STUB_MM + LABEL_GAP_MM, Anchor::Start)
            }
        };
        sheet.text(LABELS_LAYER.0, label_x, label_font.centred(cy), &labels[i], label_font, anchor);
        y += row;
    }
    let rows_bottom = y;

    if entries.is_empty() {
        y = no_data_frame(&mut sheet, left, width, top) + 1.0;
    } else {
        sheet.line(
            AXES_LAYER.0,
            vec![[zero, top - 1.0], [zero, rows_bottom + 1.0]],
            Stroke::new(AXIS_COLOR, 0.3),
            None,
        );
        y = rows_bottom + 1.0;
        if numbers.is_empty() {
            y = notes_block(
                &mut sheet,
                LABELS_LAYER.0,
                &[no_data(lang).to_owned()],
                plot_left,
                plot_right - plot_left,
                y + 1.0,
            );
        } else {
            y = bar_ticks(&mut sheet, (lo, hi), &x_of, top - 1.0, y);
        }
        y += 2.5;
    }
    let secret = values.contains(&Value::Secret);
    let missing = values.contains(&Value::Missing);
    y = legend_flow(&mut sheet, &status_items(secret, missing, lang), left, width, y);
    let height = sources_block(&mut sheet, &text.source, left, width, y + 1.0);
    sheet.finish(height)
}

/// Vertical gridlines and their labels under the bars; returns the y under the labels.
fn bar_ticks(sheet: &mut Sheet, (lo, hi): (f64, f64), x_of: &dyn Fn(f64) -> f64, top: f64, bottom: f64) -> f64 {
    let span = hi - lo;
    let ticks: Vec<f64> =
        nice_ticks(lo, hi, 5).into_iter().filter(|t| *t >= lo - span * 1e-9 && *t <= hi + span * 1e-9).collect();
    let decimals = tick_decimals(&ticks);
    let labels: Vec<String> = ticks.iter().map(|t| format_number(*t, decimals, sheet.lang)).collect();
    let widest = labels.iter().map(|l| TICK_FONT.width(l)).fold(0.0, f64::max);
    let spacing = if ticks.len() > 1 { x_of(ticks[1]) - x_of(ticks[0]) } else { f64::INFINITY };
    let stride = label_stride(spacing, widest);
    let baseline = TICK_FONT.baseline(bottom + 0.6);
    for (i, (tick, label)) in ticks.iter().zip(&labels).enumerate() {
        let x = x_of(*tick);
        if tick.abs() > span * 1e-9 {
            sheet.line(GRID_LAYER.0, vec![[x, top], [x, bottom]], Stroke::new(GRID_COLOR, 0.2), None);
        }
        if i % stride == 0 {
            sheet.text(AXES_LAYER.0, x, baseline, label, TICK_FONT, Anchor::Middle);
        }
    }
    bottom + 0.6 + TICK_FONT.line_height()
}

// ---------------------------------------------------------------------------------------------
// Line chart

const LINE_PLOT_MM: f64 = 62.0;

/// One series ready to draw: values by year (sorted, one per year), already indexed if asked.
struct Plotted<'a> {
    series: &'a Series,
    color: Rgb,
    points: Vec<(i32, Value)>,
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

/// Evolution line chart over the years: x = every year of every series, placed by year value; a
/// y axis with nice ticks; one line per series, broken where a year is missing or secret (a lone
/// point is a small circle); point markers; the legend above the plot; the last values at the right
/// end. With `indexed`, each series is drawn as base 100 at the first year common to all.
/// Layers: `title`, `axes`, `gridlines`, `lines`, `points`, `labels`, `reference`, `legend`,
/// `sources`.
#[must_use]
#[allow(clippy::too_many_lines, reason = "the layout reads top to bottom as the chart is drawn")]
pub fn line_chart(text: &ChartText, series: &[Series], indexed: bool) -> Figure {
    let mut sheet = Sheet::new(
        &text.title,
        PAGE_WIDTH_MM,
        &[
            TITLE_LAYER,
            AXES_LAYER,
            GRID_LAYER,
            LINES_LAYER,
            POINTS_LAYER,
            LABELS_LAYER,
            REFERENCE_LAYER,
            LEGEND_LAYER,
            SOURCES_LAYER,
        ],
        text.lang,
    );
    let lang = text.lang;
    let (left, width) = (MARGIN_MM, PAGE_WIDTH_MM - 2.0 * MARGIN_MM);
    let mut y = header(&mut sheet, &text.title, &text.subtitle, left, width) + 2.5;
    let colors = role_colors(series.iter().map(|s| s.role));
    let raw: Vec<Vec<(i32, Value)>> = series.iter().map(sorted_points).collect();
    let years: BTreeSet<i32> = raw.iter().flatten().map(|(year, _)| *year).collect();
    let mut notes = Vec::new();
    let base_year = if indexed { common_base_year(&raw, &years) } else { None };
    if indexed && base_year.is_none() && !series.is_empty() {
        notes.push(
            lang.pick(
                "Indice base 100 impossible : aucune année où toutes les séries ont une valeur.",
                "No base 100 index: no year where every series has a value.",
            )
            .to_owned(),
        );
    }
    let decimals = if indexed { 1 } else { text.decimals.min(MAX_DECIMALS) };
    let unit = if indexed { "" } else { text.unit.as_str() };
    let plotted: Vec<Plotted<'_>> = series
        .iter()
        .zip(raw)
        .zip(&colors)
        .map(|((s, points), color)| {
            let points = match (indexed, base_year) {
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
            Plotted { series: s, color: *color, points }
        })
        .collect();

    // Legend above the plot, where the eye starts.
    let items: Vec<(Swatch, String)> = plotted
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
        .collect();
    y = legend_flow(&mut sheet, &items, left, width, y) + 1.5;

    let numbers: Vec<f64> = plotted.iter().flat_map(|p| p.points.iter().filter_map(|(_, v)| v.number())).collect();
    if numbers.is_empty() {
        y = no_data_frame(&mut sheet, left, width, y + 1.0) + 2.0;
        y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, left, width, y);
        let height = sources_block(&mut sheet, &text.source, left, width, y);
        return sheet.finish(height);
    }
    let caption = match base_year {
        Some(year) => format!("{} {year}", lang.pick("base 100 en", "base 100 in")),
        None => text.unit.clone(),
    };
    if !caption.is_empty() {
        sheet.text(AXES_LAYER.0, left, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::Start);
        y += TICK_FONT.line_height() + 0.5;
    }
    let plot_top = y + 1.0;
    let plot_bottom = plot_top + LINE_PLOT_MM;
    let ticks = if numbers.is_empty() {
        Vec::new()
    } else {
        let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if base_year.is_some() { (lo.min(100.0), hi.max(100.0)) } else { (lo, hi) };
        // A little air so that no marker sits on the axis line, without inventing negative values.
        let pad = (hi - lo) * 0.03;
        let padded_lo = if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad };
        nice_ticks(padded_lo, hi + pad, 5)
    };
    let tick_decimals = tick_decimals(&ticks);
    let tick_labels: Vec<String> = ticks.iter().map(|t| format_number(*t, tick_decimals, lang)).collect();
    let axis_width = tick_labels.iter().map(|l| TICK_FONT.width(l)).fold(0.0, f64::max);
    let plot_left = left + axis_width + 2.0;

    // Last values at the right end, for the series that reach the last year.
    let last_year = years.last().copied();
    let mut end_labels: Vec<(f64, String, Font)> = plotted
        .iter()
        .filter_map(|p| {
            let (year, value) = p.points.last()?;
            let v = value.number().filter(|_| Some(*year) == last_year)?;
            let font = if p.series.role == Role::Territory { LABEL_FONT.bold() } else { LABEL_FONT };
            Some((v, with_unit(v, decimals, label_unit(unit), lang), font.colored(p.color)))
        })
        .collect();
    if end_labels.len() > 6 {
        end_labels.clear();
    }
    let end_width = end_labels.iter().map(|(_, l, f)| f.width(l)).fold(0.0, f64::max);
    let plot_right = left + width - if end_width > 0.0 { end_width + 2.5 } else { 0.0 };
    let (xa, xb) = (plot_left + 3.0, plot_right - 2.0);
    let (first_year, span_years) = match (years.first(), years.last()) {
        (Some(a), Some(b)) => (*a, f64::from(b - a)),
        _ => (0, 0.0),
    };
    let x_of = |year: i32| {
        if span_years > 0.0 {
            xa + f64::from(year - first_year) / span_years * (xb - xa)
        } else {
            f64::midpoint(xa, xb)
        }
    };
    let (lo, hi) = match (ticks.first(), ticks.last()) {
        (Some(lo), Some(hi)) if hi > lo => (*lo, *hi),
        _ => (0.0, 1.0),
    };
    let y_of = |v: f64| plot_bottom - (v - lo) / (hi - lo) * LINE_PLOT_MM;

    for (tick, label) in ticks.iter().zip(&tick_labels) {
        let ty = y_of(*tick);
        if (ty - plot_bottom).abs() > 0.01 {
            sheet.line(GRID_LAYER.0, vec![[plot_left, ty], [plot_right, ty]], Stroke::new(GRID_COLOR, 0.2), None);
        }
        sheet.text(AXES_LAYER.0, plot_left - 1.5, TICK_FONT.centred(ty), label, TICK_FONT, Anchor::End);
    }
    let axis = Stroke::new(AXIS_COLOR, 0.3);
    sheet.line(AXES_LAYER.0, vec![[plot_left, plot_bottom], [plot_right, plot_bottom]], axis.clone(), None);
    if lo < 0.0 && hi > 0.0 {
        sheet.line(
            AXES_LAYER.0,
            vec![[plot_left, y_of(0.0)], [plot_right, y_of(0.0)]],
            Stroke::new(AXIS_COLOR, 0.25),
            None,
        );
    }
    let year_width = TICK_FONT.width("0000");
    let spacing = if years.len() > 1 { (xb - xa) / span_years } else { f64::INFINITY };
    let stride = i32::try_from(label_stride(spacing, year_width)).unwrap_or(1);
    for year in &years {
        let x = x_of(*year);
        sheet.line(AXES_LAYER.0, vec![[x, plot_bottom], [x, plot_bottom + 1.0]], axis.clone(), None);
        let shown = stride == 1 || year.rem_euclid(stride) == 0 || years.len() == 1;
        if shown {
            let baseline = TICK_FONT.baseline(plot_bottom + 1.3);
            sheet.text(AXES_LAYER.0, x, baseline, &year.to_string(), TICK_FONT, Anchor::Middle);
        }
    }
    // The base line; the axis caption already says which year is 100.
    if base_year.is_some() {
        let stroke = Stroke::new(AXIS_COLOR, 0.3).dashed(&[1.2, 0.8]);
        sheet.line(REFERENCE_LAYER.0, vec![[plot_left, y_of(100.0)], [plot_right, y_of(100.0)]], stroke, None);
    }

    let mut gaps = false;
    for p in &plotted {
        let territory = p.series.role == Role::Territory;
        let stroke = Stroke::new(p.color, if territory { 0.8 } else { 0.5 });
        let mut segment: Vec<[f64; 2]> = Vec::new();
        let mut segments = Vec::new();
        for (year, value) in &p.points {
            match value.number() {
                Some(v) => segment.push([x_of(*year), y_of(v)]),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        let available: Vec<usize> = (0..p.points.len()).filter(|&i| p.points[i].1.number().is_some()).collect();
        if let (Some(first), Some(last)) = (available.first(), available.last()) {
            gaps |= available.len() < last - first + 1;
        }
        segments.push(segment);
        for segment in segments.into_iter().filter(|s| s.len() > 1) {
            let tag = Tag {
                code: p.series.code.clone(),
                name: p.series.name.clone(),
                label: p.series.name.clone(),
                ..Tag::default()
            };
            sheet.line(LINES_LAYER.0, segment, stroke.clone(), Some(tag));
        }
        for (i, (year, value)) in p.points.iter().enumerate() {
            let Some(v) = value.number() else { continue };
            let alone = |j: Option<usize>| j.and_then(|j| p.points.get(j)).is_none_or(|(_, v)| v.number().is_none());
            let lone = alone(i.checked_sub(1)) && alone(Some(i + 1));
            let r = if lone {
                1.0
            } else if territory {
                0.85
            } else {
                0.7
            };
            let shown = with_unit(v, decimals, unit, lang);
            let label = match (base_year, lang) {
                (Some(base), Lang::Fr) => format!("{shown} en {year} (base 100 en {base})"),
                (Some(base), Lang::En) => format!("{shown} in {year} (base 100 in {base})"),
                (None, Lang::Fr) => format!("{shown} en {year}"),
                (None, Lang::En) => format!("{shown} in {year}"),
            };
            let value_text = if indexed { plain_derived(v) } else { plain(v) };
            let tag = value_tag(&p.series.code, &p.series.name, *value, Some(value_text), label, lang);
            let style = Style { fill: Fill::solid(p.color), stroke: Some(Stroke::new(Rgb::WHITE, 0.2)) };
            sheet.circle(POINTS_LAYER.0, [x_of(*year), y_of(v), r], style, Some(tag));
        }
    }

    // End labels, spread apart vertically so that close values stay readable.
    let mut placed: Vec<(f64, &String, Font)> = end_labels.iter().map(|(v, l, f)| (y_of(*v), l, *f)).collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut positions: Vec<f64> = placed.iter().map(|(y, ..)| *y).collect();
    spread(&mut positions, LABEL_FONT.line_height(), plot_top, plot_bottom);
    for ((_, label, font), ly) in placed.iter().zip(positions) {
        sheet.text(LABELS_LAYER.0, xb + 2.5, font.centred(ly), label, *font, Anchor::Start);
    }

    y = plot_bottom + 1.3 + TICK_FONT.line_height() + 2.0;
    if gaps {
        notes.push(
            lang.pick(
                "Courbe interrompue : année sous secret statistique ou donnée non disponible.",
                "Broken line: a year under statistical secrecy or with no data.",
            )
            .to_owned(),
        );
    }
    y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, left, width, y);
    let height = sources_block(&mut sheet, &text.source, left, width, y);
    sheet.finish(height)
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

// ---------------------------------------------------------------------------------------------
// Pyramid

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

/// Population pyramid: age bands youngest at the bottom, men on the left, women on the right, as
/// shares of the total population in % (or counts when `as_share` is false) on a symmetric axis,
/// band labels in the middle column, and an optional comparison profile (name, men, women) drawn
/// as a step outline over each side. Layers: `title`, `axes`, `gridlines`, `bars`, `labels`,
/// `reference`, `legend`, `sources`.
#[must_use]
#[allow(clippy::too_many_lines, reason = "the layout reads top to bottom as the chart is drawn")]
pub fn pyramid(
    text: &ChartText,
    bands: &[String],
    men: &[Value],
    women: &[Value],
    comparison: Option<(&str, &[Value], &[Value])>,
    as_share: bool,
) -> Figure {
    let mut sheet = Sheet::new(
        &text.title,
        PAGE_WIDTH_MM,
        &[TITLE_LAYER, AXES_LAYER, GRID_LAYER, BARS_LAYER, LABELS_LAYER, REFERENCE_LAYER, LEGEND_LAYER, SOURCES_LAYER],
        text.lang,
    );
    let lang = text.lang;
    let (men_label, women_label) = (lang.pick("Hommes", "Men"), lang.pick("Femmes", "Women"));
    let (left, width) = (MARGIN_MM, PAGE_WIDTH_MM - 2.0 * MARGIN_MM);
    let mut y = header(&mut sheet, &text.title, &text.subtitle, left, width) + 3.0;
    let n = bands.len();
    if n == 0 {
        y = no_data_frame(&mut sheet, left, width, y) + 2.0;
        let height = sources_block(&mut sheet, &text.source, left, width, y);
        return sheet.finish(height);
    }
    let decimals = if as_share { text.decimals.clamp(1, MAX_DECIMALS) } else { text.decimals.min(MAX_DECIMALS) };
    let unit = if as_share { "%" } else { label_unit(&text.unit) };
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
    let hi = ticks.last().copied().filter(|t| *t > 0.0).unwrap_or(1.0);

    let band_width = bands.iter().map(|b| TICK_FONT.width(b)).fold(0.0, f64::max).min(28.0);
    let centre_width = band_width + 5.0;
    let half = (width - centre_width) / 2.0;
    let (men_axis, women_axis) = (left + half, left + half + centre_width);
    let scale = (half - 2.0) / hi;
    let men_x = |v: f64| men_axis - v.max(0.0) * scale;
    let women_x = |v: f64| women_axis + v.max(0.0) * scale;

    let header_font = LABEL_FONT.bold();
    sheet.text(
        LABELS_LAYER.0,
        left + half / 2.0,
        header_font.baseline(y),
        men_label,
        header_font.colored(MEN_COLOR),
        Anchor::Middle,
    );
    sheet.text(
        LABELS_LAYER.0,
        women_axis + half / 2.0,
        header_font.baseline(y),
        women_label,
        header_font.colored(WOMEN_COLOR),
        Anchor::Middle,
    );
    y += header_font.line_height() + 1.5;

    let pitch = if n == 0 { 4.0 } else { (84.0 / n as f64).clamp(2.6, 5.0) };
    let plot_top = y;
    let plot_bottom = plot_top + pitch * n.max(1) as f64;
    let band_stride = label_stride(pitch, TICK_FONT.line_height() - 2.0);
    let row_top = |i: usize| plot_top + (n - 1 - i) as f64 * pitch;
    for i in 0..n {
        let top = row_top(i);
        let cy = top + pitch / 2.0;
        let bar = [top + pitch * 0.08, pitch * 0.84];
        if i % band_stride == 0 {
            let label = truncate(&bands[i], band_width, TICK_FONT);
            sheet.text(
                LABELS_LAYER.0,
                f64::midpoint(men_axis, women_axis),
                TICK_FONT.centred(cy),
                &label,
                TICK_FONT,
                Anchor::Middle,
            );
        }
        for (value, sex, color, is_men) in
            [(men[i], men_label, MEN_COLOR, true), (women[i], women_label, WOMEN_COLOR, false)]
        {
            // The code is an id, the same in every language.
            let code = format!("{}-{i:02}", if is_men { "hommes" } else { "femmes" });
            let name = format!("{sex}, {}", bands[i]);
            let shown = value.number().map(|v| with_unit(v, decimals, unit, lang)).unwrap_or_default();
            let plain_value = value.number().map(if as_share { plain_derived } else { plain });
            let tag = value_tag(&code, &name, value, plain_value, shown, lang);
            let (axis, direction) = if is_men { (men_axis, -1.0) } else { (women_axis, 1.0) };
            if let Some(v) = value.number() {
                let end = if is_men { men_x(v) } else { women_x(v) };
                let rect = [axis.min(end), bar[0], (end - axis).abs(), bar[1]];
                sheet.rect(BARS_LAYER.0, rect, Style::fill(color), Some(tag));
            } else {
                let style = if value == Value::Secret { secret_style() } else { missing_style() };
                let x = if is_men { axis - STUB_MM } else { axis };
                sheet.rect(BARS_LAYER.0, [x, bar[0], STUB_MM, bar[1]], style, Some(tag));
                let marker = value.marker().unwrap_or_default();
                let anchor = if is_men { Anchor::End } else { Anchor::Start };
                let label_x = axis + direction * (STUB_MM + 0.8);
                let font = TICK_FONT.colored(MUTED);
                sheet.text(LABELS_LAYER.0, label_x, font.centred(cy), marker, font, anchor);
            }
        }
    }

    // Axes: the two baselines, gridlines and tick labels mirrored on both sides.
    let tick_decimals = tick_decimals(&ticks);
    let axis = Stroke::new(AXIS_COLOR, 0.3);
    for x in [men_axis, women_axis] {
        sheet.line(AXES_LAYER.0, vec![[x, plot_top], [x, plot_bottom]], axis.clone(), None);
    }
    sheet.line(AXES_LAYER.0, vec![[left, plot_bottom], [men_axis, plot_bottom]], axis.clone(), None);
    sheet.line(AXES_LAYER.0, vec![[women_axis, plot_bottom], [left + width, plot_bottom]], axis.clone(), None);
    let widest = ticks.iter().map(|t| TICK_FONT.width(&with_unit(*t, tick_decimals, unit, lang))).fold(0.0, f64::max);
    let spacing = if ticks.len() > 1 { (ticks[1] - ticks[0]) * scale } else { f64::INFINITY };
    let stride = label_stride(spacing, widest);
    let baseline = TICK_FONT.baseline(plot_bottom + 1.3);
    for (i, tick) in ticks.iter().enumerate() {
        for x in [men_x(*tick), women_x(*tick)] {
            if *tick > 0.0 {
                sheet.line(GRID_LAYER.0, vec![[x, plot_top], [x, plot_bottom]], Stroke::new(GRID_COLOR, 0.2), None);
            }
            sheet.line(AXES_LAYER.0, vec![[x, plot_bottom], [x, plot_bottom + 1.0]], axis.clone(), None);
            if i % stride == 0 {
                // A bare 0 at the centre: "0,0 %" twice side by side only adds ink.
                let label = if *tick > 0.0 { with_unit(*tick, tick_decimals, unit, lang) } else { "0".to_owned() };
                sheet.text(AXES_LAYER.0, x, baseline, &label, TICK_FONT, Anchor::Middle);
            }
        }
    }
    y = plot_bottom + 1.3 + TICK_FONT.line_height();
    let caption = if as_share {
        lang.pick("Part dans la population totale (%)", "Share of the total population (%)").to_owned()
    } else {
        text.unit.clone()
    };
    if !caption.is_empty() && !ticks.is_empty() {
        sheet.text(AXES_LAYER.0, left + width / 2.0, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::Middle);
        y += TICK_FONT.line_height();
    }

    // The comparison profile: a step outline per side, broken where a band has no value.
    let mut items = Vec::new();
    if let Some((name, ref_men, ref_women)) = &reference {
        let stroke = Stroke::new(INK, 0.35);
        for (values, is_men) in [(ref_men, true), (ref_women, false)] {
            let mut segment: Vec<[f64; 2]> = Vec::new();
            let mut segments = Vec::new();
            for (i, value) in values.iter().enumerate() {
                match value.number() {
                    Some(v) => {
                        let x = if is_men { men_x(v) } else { women_x(v) };
                        segment.push([x, row_top(i) + pitch]);
                        segment.push([x, row_top(i)]);
                    }
                    None => segments.push(std::mem::take(&mut segment)),
                }
            }
            segments.push(segment);
            let code = if is_men { "comparaison-hommes" } else { "comparaison-femmes" };
            let sex = if is_men { men_label } else { women_label }.to_lowercase();
            for segment in segments.into_iter().filter(|s| !s.is_empty()) {
                let tag = Tag {
                    code: code.to_owned(),
                    name: format!("{name}, {sex}"),
                    label: format!("{name}, {sex}"),
                    ..Tag::default()
                };
                sheet.line(REFERENCE_LAYER.0, segment, stroke.clone(), Some(tag));
            }
        }
        items.push((Swatch::Line(stroke), (*name).to_owned()));
    }
    let all: Vec<Value> = men.iter().chain(&women).copied().collect();
    items.extend(status_items(all.contains(&Value::Secret), all.contains(&Value::Missing), lang));
    y = legend_flow(&mut sheet, &items, left, width, y + 1.5);
    if numbers.is_empty() {
        y = notes_block(&mut sheet, LEGEND_LAYER.0, &[no_data(lang).to_owned()], left, width, y + 0.5);
    }
    let height = sources_block(&mut sheet, &text.source, left, width, y + 0.5);
    sheet.finish(height)
}

// ---------------------------------------------------------------------------------------------
// Position chart

/// Largest height of the dot strip; denser distributions use smaller dots, then overlap.
const STRIP_MAX_MM: f64 = 42.0;
const STRIP_MIN_MM: f64 = 10.0;
/// Smaller dots would read as noise; past this size dense distributions overlap instead.
const SMALLEST_DOT_MM: f64 = 0.8;

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

/// The value axis of a position chart.
struct Scale {
    log: bool,
    lo: f64,
    hi: f64,
    left: f64,
    right: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        let t =
            if self.log { (v.log10() - self.lo) / (self.hi - self.lo) } else { (v - self.lo) / (self.hi - self.lo) };
        self.left + t.clamp(0.0, 1.0) * (self.right - self.left)
    }
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

/// Position chart: every unit of a level as a dot on a horizontal value axis, stacked so that dots
/// do not overlap (smaller dots for dense distributions, down to a floor past which they overlap
/// with transparency); the territory highlighted and labelled; comparison zones as vertical
/// reference lines with their names and values; units without a value counted in a note. With
/// `log_scale`, a logarithmic axis when every value is positive (otherwise linear, with a note).
/// Layers: `title`, `axes`, `gridlines`, `points`, `labels`, `reference`, `legend`, `sources`.
#[must_use]
#[allow(clippy::too_many_lines, reason = "the layout reads top to bottom as the chart is drawn")]
pub fn position_chart(text: &ChartText, units: &[Entry], references: &[Entry], log_scale: bool) -> Figure {
    let mut sheet = Sheet::new(
        &text.title,
        PAGE_WIDTH_MM,
        &[
            TITLE_LAYER,
            AXES_LAYER,
            GRID_LAYER,
            POINTS_LAYER,
            LABELS_LAYER,
            REFERENCE_LAYER,
            LEGEND_LAYER,
            SOURCES_LAYER,
        ],
        text.lang,
    );
    let lang = text.lang;
    let (left, width) = (MARGIN_MM, PAGE_WIDTH_MM - 2.0 * MARGIN_MM);
    let mut y = header(&mut sheet, &text.title, &text.subtitle, left, width) + 3.0;
    let decimals = text.decimals.min(MAX_DECIMALS);
    let mut notes = Vec::new();

    let mut available: Vec<(f64, &Entry)> =
        units.iter().filter_map(|e| finite(e.value).number().map(|v| (v, e))).collect();
    // Dots go left to right; ties by code so the layout is the same on every run.
    available.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let available = available;
    let reference_values: Vec<(f64, &Entry)> =
        references.iter().filter_map(|e| finite(e.value).number().map(|v| (v, e))).collect();
    let all_values = || available.iter().chain(&reference_values).map(|(v, _)| *v);
    let log = log_scale && all_values().next().is_some() && all_values().all(|v| v > 0.0);
    if log_scale && !log && all_values().next().is_some() {
        notes.push(
            lang.pick(
                "Échelle linéaire : certaines valeurs sont nulles ou négatives.",
                "Linear scale: some values are zero or negative.",
            )
            .to_owned(),
        );
    }
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
            let why = if entry.value == Value::Secret { secret_label(lang) } else { missing_label(lang) };
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
    if all_values().next().is_none() {
        y = no_data_frame(&mut sheet, left, width, y) + 2.0;
        y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, left, width, y);
        let height = sources_block(&mut sheet, &text.source, left, width, y);
        return sheet.finish(height);
    }
    let (plot_left, plot_right) = (left + 2.0, left + width - 2.0);
    let ticks: Vec<f64>;
    let scale = if all_values().next().is_none() {
        ticks = Vec::new();
        Scale { log: false, lo: 0.0, hi: 1.0, left: plot_left, right: plot_right }
    } else if log {
        let lo = all_values().fold(f64::INFINITY, f64::min).log10().floor() as i32;
        let hi = all_values().fold(f64::NEG_INFINITY, f64::max).log10().ceil() as i32;
        let hi = hi.max(lo + 1);
        ticks = log_ticks(lo, hi);
        Scale { log: true, lo: f64::from(lo), hi: f64::from(hi), left: plot_left, right: plot_right }
    } else {
        let lo = all_values().fold(f64::INFINITY, f64::min);
        let hi = all_values().fold(f64::NEG_INFINITY, f64::max);
        ticks = nice_ticks(lo, hi, 6);
        let (first, last) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
        Scale { log: false, lo: first, hi: last.max(first + f64::EPSILON), left: plot_left, right: plot_right }
    };

    let xs: Vec<f64> = available.iter().map(|(v, _)| scale.x(*v)).collect();
    // The largest dots that fit the strip; past the smallest size, dots overlap (drawn lighter).
    let fitting = [2.4, 2.0, 1.6, 1.3, 1.0, SMALLEST_DOT_MM].into_iter().find_map(|d| {
        let rows = swarm_rows(&xs, d, (STRIP_MAX_MM / d) as usize)?;
        let span = rows.iter().max().copied().unwrap_or(0) - rows.iter().min().copied().unwrap_or(0) + 1;
        (f64::from(span) * d <= STRIP_MAX_MM).then_some((d, rows))
    });
    let (diameter, rows) = fitting.unwrap_or_else(|| {
        (SMALLEST_DOT_MM, swarm_rows(&xs, SMALLEST_DOT_MM, usize::MAX).unwrap_or_else(|| vec![0; xs.len()]))
    });
    let (min_row, max_row) = (rows.iter().min().copied().unwrap_or(0), rows.iter().max().copied().unwrap_or(0));
    let span = f64::from(max_row - min_row + 1);
    let step = diameter.min(STRIP_MAX_MM / span);
    let overlapping = step < diameter;
    let strip_height = (span * step).max(STRIP_MIN_MM) + 2.0;

    // Annotations: the highlighted units, then the references (the order breaks ties of position).
    let mut annotations = Vec::new();
    let mut targets = Vec::new();
    let highlighted: Vec<usize> = (0..available.len()).filter(|&i| available[i].1.role != Role::Other).collect();
    let highlight_colors = role_colors(highlighted.iter().map(|&i| available[i].1.role));
    for (&i, color) in highlighted.iter().zip(&highlight_colors) {
        let (v, entry) = available[i];
        let font = if entry.role == Role::Territory { LABEL_FONT.bold() } else { LABEL_FONT };
        let label =
            name_value(&truncate(&entry.name, 60.0, font), &with_unit(v, decimals, label_unit(&text.unit), lang), lang);
        annotations.push(Annotation { x: xs[i], text: label, font: font.colored(*color) });
        targets.push(Target::Unit(i));
    }
    let reference_colors = role_colors(reference_values.iter().map(|_| Role::Comparison));
    for (r, ((v, entry), color)) in reference_values.iter().zip(&reference_colors).enumerate() {
        let label = name_value(
            &truncate(&entry.name, 50.0, LABEL_FONT),
            &with_unit(*v, decimals, label_unit(&text.unit), lang),
            lang,
        );
        annotations.push(Annotation { x: scale.x(*v), text: label, font: LABEL_FONT.colored(*color) });
        targets.push(Target::Reference(r));
    }
    let placement = place_annotations(&annotations, left, left + width);
    let label_rows = placement.iter().map(|p| p.row + 1).max().unwrap_or(0);
    let row_height = LABEL_FONT.line_height() + 0.4;
    let plot_top = y + label_rows as f64 * row_height + 1.0;
    let plot_bottom = plot_top + strip_height;
    // Row 0 is the centre line; the rows are centred in the strip.
    let centre = plot_top + (strip_height - span * step) / 2.0 + (f64::from(max_row) + 0.5) * step;
    let dot_y = |row: i32| centre - f64::from(row) * step;

    // Gridlines and axis.
    let tick_decimals = if log { 0 } else { tick_decimals(&ticks) };
    let axis = Stroke::new(AXIS_COLOR, 0.3);
    sheet.line(AXES_LAYER.0, vec![[plot_left, plot_bottom], [plot_right, plot_bottom]], axis.clone(), None);
    let labels: Vec<String> = ticks
        .iter()
        .map(|t| format_number(*t, if log { (-t.log10().floor()).max(0.0) as usize } else { tick_decimals }, lang))
        .collect();
    let widest = labels.iter().map(|l| TICK_FONT.width(l)).fold(0.0, f64::max);
    let min_spacing = ticks.windows(2).map(|w| scale.x(w[1]) - scale.x(w[0])).fold(f64::INFINITY, f64::min);
    let stride = label_stride(min_spacing, widest);
    for (i, (tick, label)) in ticks.iter().zip(&labels).enumerate() {
        let x = scale.x(*tick);
        sheet.line(GRID_LAYER.0, vec![[x, plot_top], [x, plot_bottom]], Stroke::new(GRID_COLOR, 0.2), None);
        sheet.line(AXES_LAYER.0, vec![[x, plot_bottom], [x, plot_bottom + 1.0]], axis.clone(), None);
        if i % stride == 0 {
            let half = TICK_FONT.width(label) / 2.0;
            let lx = x.clamp(left + half, left + width - half);
            sheet.text(AXES_LAYER.0, lx, TICK_FONT.baseline(plot_bottom + 1.3), label, TICK_FONT, Anchor::Middle);
        }
    }
    y = plot_bottom + 1.3 + TICK_FONT.line_height();
    let log_caption = lang.pick("échelle logarithmique", "logarithmic scale");
    let caption = match (log, text.unit.is_empty()) {
        (true, true) => log_caption.to_owned(),
        (true, false) => format!("{} ({log_caption})", text.unit),
        (false, _) => text.unit.clone(),
    };
    if !caption.is_empty() && !ticks.is_empty() {
        sheet.text(AXES_LAYER.0, left + width, TICK_FONT.baseline(y), &caption, TICK_FONT, Anchor::End);
        y += TICK_FONT.line_height();
    }

    // Dots: other units first, highlighted ones on top.
    let other_opacity = if overlapping { 0.55 } else { 0.85 };
    let radius = diameter / 2.0 * 0.92;
    for (i, (v, entry)) in available.iter().enumerate() {
        if entry.role != Role::Other {
            continue;
        }
        let value = Value::Available(*v);
        let shown = with_unit(*v, decimals, &text.unit, lang);
        let tag = value_tag(&entry.code, &entry.name, value, Some(plain(*v)), shown, lang);
        let style = Style { fill: Fill::Solid { color: DOT_COLOR, opacity: other_opacity }, stroke: None };
        sheet.circle(POINTS_LAYER.0, [xs[i], dot_y(rows[i]), radius], style, Some(tag));
    }
    let big = (diameter * 0.75).max(1.3);
    for (&i, color) in highlighted.iter().zip(&highlight_colors) {
        let (v, entry) = available[i];
        let value = Value::Available(v);
        let shown = with_unit(v, decimals, &text.unit, lang);
        let tag = value_tag(&entry.code, &entry.name, value, Some(plain(v)), shown, lang);
        let style = Style { fill: Fill::solid(*color), stroke: Some(Stroke::new(Rgb::WHITE, 0.3)) };
        sheet.circle(POINTS_LAYER.0, [xs[i], dot_y(rows[i]), big], style, Some(tag));
    }

    // Labels and reference lines.
    for ((annotation, place), target) in annotations.iter().zip(&placement).zip(&targets) {
        let top = y_of_row(plot_top - 1.0, place.row, row_height);
        let baseline = annotation.font.baseline(top);
        let layer = if matches!(target, Target::Unit(_)) { LABELS_LAYER.0 } else { REFERENCE_LAYER.0 };
        sheet.text(layer, place.start, baseline, &annotation.text, annotation.font, Anchor::Start);
        let line_top = if place.beside { top + 0.3 } else { baseline + 0.9 };
        match target {
            Target::Unit(i) => {
                let bottom = dot_y(rows[*i]) - big - 0.2;
                if bottom > line_top {
                    let stroke = Stroke::new(annotation.font.color, 0.25);
                    sheet.line(LABELS_LAYER.0, vec![[annotation.x, line_top], [annotation.x, bottom]], stroke, None);
                }
            }
            Target::Reference(r) => {
                let reference = reference_values[*r];
                let stroke = Stroke::new(annotation.font.color, 0.35).dashed(&[1.0, 0.7]);
                let tag = value_tag(
                    &reference.1.code,
                    &reference.1.name,
                    Value::Available(reference.0),
                    Some(plain(reference.0)),
                    with_unit(reference.0, decimals, &text.unit, lang),
                    lang,
                );
                sheet.line(
                    REFERENCE_LAYER.0,
                    vec![[annotation.x, line_top], [annotation.x, plot_bottom]],
                    stroke,
                    Some(tag),
                );
            }
        }
    }

    // Legend and notes.
    let others = available.iter().filter(|(_, e)| e.role == Role::Other).count();
    let mut items = Vec::new();
    for (&i, color) in highlighted.iter().zip(&highlight_colors) {
        items.push((Swatch::Dot(*color, 1.3), available[i].1.name.clone()));
    }
    if others > 0 {
        items.push((
            Swatch::Dot(DOT_COLOR, 1.0),
            match (highlighted.is_empty(), lang) {
                (true, Lang::Fr) => count(others, "unité", "unités", lang),
                (true, Lang::En) => count(others, "unit", "units", lang),
                (false, Lang::Fr) => count(others, "autre unité", "autres unités", lang),
                (false, Lang::En) => count(others, "other unit", "other units", lang),
            },
        ));
    }
    y = legend_flow(&mut sheet, &items, left, width, y + 1.0);
    y = notes_block(&mut sheet, LEGEND_LAYER.0, &notes, left, width, y + 0.5);
    let height = sources_block(&mut sheet, &text.source, left, width, y);
    sheet.finish(height)
}

/// The top of annotation row `row`, counting upwards from the plot.
fn y_of_row(plot_top: f64, row: usize, row_height: f64) -> f64 {
    plot_top - (row + 1) as f64 * row_height
}

// ---------------------------------------------------------------------------------------------
// Table

const CELL_PAD_MM: f64 = 1.5;
const CELL_VPAD_MM: f64 = 1.1;

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
}

fn cell_text(cell: &TableCell, lang: Lang) -> String {
    match cell {
        TableCell::Text(text) => text.clone(),
        TableCell::Value { value, decimals } => match finite(*value) {
            Value::Available(v) => format_number(v, (*decimals).min(MAX_DECIMALS), lang),
            other => other.marker().unwrap_or_default().to_owned(),
        },
    }
}

/// A table as a figure (the key-figures table): a header row, then the rows; the first column is
/// left-aligned wrapped text, value columns are right-aligned, other text columns (unit, year)
/// centred; the highlighted column sits on a tinted band in bold; secret cells read « s », missing
/// ones « nd ». The page widens when the columns cannot fit 160 mm. Layers: `title`, `gridlines`,
/// `cells`, `legend`, `sources`.
#[must_use]
#[allow(clippy::too_many_lines, reason = "the layout reads top to bottom as the table is drawn")]
pub fn table_figure(table: &TableFigure) -> Figure {
    let lang = table.lang;
    let font = LABEL_FONT;
    let header_font = LABEL_FONT.bold();
    let columns = table.rows.iter().map(Vec::len).chain([table.columns.len()]).max().unwrap_or(0);
    let texts: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| (0..columns).map(|c| row.get(c).map(|cell| cell_text(cell, lang)).unwrap_or_default()).collect())
        .collect();
    let aligns: Vec<Align> = (0..columns)
        .map(|c| {
            if c == 0 {
                Align::Left
            } else if table.rows.iter().any(|row| matches!(row.get(c), Some(TableCell::Value { .. }))) {
                Align::Right
            } else {
                Align::Centre
            }
        })
        .collect();
    let bold_in = |c: usize| table.highlight_column == Some(c);
    let cell_font = |c: usize| if bold_in(c) { font.bold() } else { font };

    // Column widths: value and short text columns fit their content, headers wrap above a minimum;
    // the first column takes what is left.
    let natural: Vec<f64> = (0..columns)
        .map(|c| {
            let content = texts.iter().map(|row| cell_font(c).width(&row[c]).min(30.0)).fold(0.0, f64::max);
            let header = table.columns.get(c).map_or(0.0, |h| header_font.width(h));
            content.max(header.min(content.max(17.0))) + 2.0 * CELL_PAD_MM
        })
        .collect();
    let others: f64 = natural.iter().skip(1).sum();
    let first_min = 40.0;
    let page_width = PAGE_WIDTH_MM.max(2.0 * MARGIN_MM + others + first_min);
    let (left, width) = (MARGIN_MM, page_width - 2.0 * MARGIN_MM);
    let mut widths = natural.clone();
    if let Some(first) = widths.first_mut() {
        *first = if columns == 1 { width } else { width - others };
    }
    let mut sheet = Sheet::new(
        &table.title,
        page_width,
        &[TITLE_LAYER, GRID_LAYER, CELLS_LAYER, LEGEND_LAYER, SOURCES_LAYER],
        lang,
    );
    let mut y = header(&mut sheet, &table.title, "", left, width) + 3.0;
    let starts: Vec<f64> = widths
        .iter()
        .scan(left, |x, w| {
            let start = *x;
            *x += w;
            Some(start)
        })
        .collect();
    let anchor_x = |c: usize| match aligns[c] {
        Align::Left => (starts[c] + CELL_PAD_MM, Anchor::Start),
        Align::Centre => (starts[c] + widths[c] / 2.0, Anchor::Middle),
        Align::Right => (starts[c] + widths[c] - CELL_PAD_MM, Anchor::End),
    };

    if columns == 0 {
        sheet.text(CELLS_LAYER.0, left, NOTE_FONT.baseline(y), no_data(lang), NOTE_FONT, Anchor::Start);
        y += NOTE_FONT.line_height() + 2.0;
        let height = sources_block(&mut sheet, &table.source, left, width, y);
        return sheet.finish(height);
    }

    let table_top = y;
    let header_lines: Vec<Vec<String>> = (0..columns)
        .map(|c| table.columns.get(c).map(|h| header_font.wrap(h, widths[c] - 2.0 * CELL_PAD_MM)).unwrap_or_default())
        .collect();
    let header_rows = header_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let header_height = header_rows as f64 * header_font.line_height() + 2.0 * CELL_VPAD_MM;
    let mut marks_after_band = Vec::new();
    for (c, lines) in header_lines.iter().enumerate() {
        let (x, anchor) = anchor_x(c);
        let color = if bold_in(c) { TERRITORY_COLOR } else { INK };
        // Headers sit on the rule under them, so short ones align with the last line of long ones.
        let first_top = table_top + CELL_VPAD_MM + (header_rows - lines.len()) as f64 * header_font.line_height();
        for (j, line) in lines.iter().enumerate() {
            let baseline = header_font.baseline(first_top + j as f64 * header_font.line_height());
            marks_after_band.push((x, baseline, line.clone(), header_font.colored(color), anchor));
        }
    }
    y = table_top + header_height;
    let rule = |sheet: &mut Sheet, y: f64, stroke: Stroke| {
        sheet.line(GRID_LAYER.0, vec![[left, y], [left + width, y]], stroke, None);
    };
    rule(&mut sheet, y, Stroke::new(AXIS_COLOR, 0.3));

    let mut has_secret = false;
    let mut has_missing = false;
    for (r, row) in texts.iter().enumerate() {
        let lines: Vec<Vec<String>> = (0..columns)
            .map(|c| {
                let is_text = !matches!(table.rows[r].get(c), Some(TableCell::Value { .. }));
                if is_text { cell_font(c).wrap(&row[c], widths[c] - 2.0 * CELL_PAD_MM) } else { vec![row[c].clone()] }
            })
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let row_height = count as f64 * font.line_height() + 2.0 * CELL_VPAD_MM;
        for (c, cell_lines) in lines.iter().enumerate() {
            let (x, anchor) = anchor_x(c);
            let value = match table.rows[r].get(c) {
                Some(TableCell::Value { value, .. }) => Some(finite(*value)),
                _ => None,
            };
            has_secret |= value == Some(Value::Secret);
            has_missing |= value == Some(Value::Missing);
            let cell =
                if value.is_some_and(|v| v.number().is_none()) { cell_font(c).colored(MUTED) } else { cell_font(c) };
            let block = cell_lines.len() as f64 * font.line_height();
            let first_top = y + (row_height - block) / 2.0;
            for (j, line) in cell_lines.iter().enumerate() {
                let baseline = cell.baseline(first_top + j as f64 * font.line_height());
                marks_after_band.push((x, baseline, line.clone(), cell, anchor));
            }
        }
        y += row_height;
        let last = r + 1 == texts.len();
        rule(&mut sheet, y, if last { Stroke::new(AXIS_COLOR, 0.3) } else { Stroke::new(GRID_COLOR, 0.2) });
    }
    if let Some(c) = table.highlight_column.filter(|c| *c < columns) {
        let band = [starts[c], table_top, widths[c], y - table_top];
        sheet.rect(CELLS_LAYER.0, band, Style::fill(HIGHLIGHT_BACKGROUND), None);
    }
    for (x, baseline, line, cell, anchor) in marks_after_band {
        sheet.text(CELLS_LAYER.0, x, baseline, &line, cell, anchor);
    }
    if texts.is_empty() {
        y = notes_block(&mut sheet, CELLS_LAYER.0, &[no_data(lang).to_owned()], left, width, y + 1.0);
    }
    y = legend_flow(&mut sheet, &status_items(has_secret, has_missing, lang), left, width, y + 2.0);
    let height = sources_block(&mut sheet, &table.source, left, width, y);
    sheet.finish(height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str, unit: &str, decimals: usize) -> ChartText {
        ChartText {
            title: title.to_owned(),
            subtitle: format!("Densité de population, 2021 ({unit})"),
            source: "Source : Insee, recensement de la population 2021, exploitation principale ; IGN, ADMIN EXPRESS \
                     2024. Traitement : observatoire régional de la santé et du social (OR2S), Indicarto."
                .to_owned(),
            unit: unit.to_owned(),
            decimals,
            lang: Lang::Fr,
        }
    }

    fn entry(code: &str, name: &str, value: Value, role: Role) -> Entry {
        Entry { code: code.to_owned(), name: name.to_owned(), value, role }
    }

    fn densities() -> Vec<Entry> {
        vec![
            entry("80021", "Amiens", Value::Available(2708.1), Role::Territory),
            entry("80", "Somme", Value::Available(91.1), Role::Comparison),
            entry("32", "Hauts-de-France", Value::Available(187.2), Role::Comparison),
            entry("FR", "France", Value::Available(123.6), Role::Comparison),
        ]
    }

    fn population_series() -> Vec<Series> {
        let nord = [2_606_234.0, 2_604_361.0, 2_608_346.0, 2_611_383.0, 2_613_874.0, 2_615_635.0];
        let region = [6_004_108.0, 6_003_815.0, 5_997_734.0, 5_995_292.0, 5_993_737.0, 5_992_194.0];
        let series = |code: &str, name: &str, role, values: [f64; 6]| Series {
            code: code.to_owned(),
            name: name.to_owned(),
            role,
            points: (2018..).zip(values).map(|(y, v)| (y, Value::Available(v))).collect(),
        };
        vec![series("59", "Nord", Role::Territory, nord), series("32", "Hauts-de-France", Role::Comparison, region)]
    }

    fn bands() -> Vec<String> {
        (0..20)
            .map(|i| if i == 19 { "95 ans et +".to_owned() } else { format!("{}-{} ans", i * 5, i * 5 + 4) })
            .collect()
    }

    /// A plausible age structure (counts) with an ageing tail, deterministic.
    fn age_counts(scale: f64, women_bonus: f64) -> (Vec<Value>, Vec<Value>) {
        let shape =
            [5.6, 6.1, 6.4, 6.5, 6.0, 5.7, 6.0, 6.2, 6.1, 6.3, 6.5, 6.6, 6.3, 5.7, 5.0, 3.6, 2.6, 1.8, 0.9, 0.25];
        let men =
            shape.iter().enumerate().map(|(i, s)| Value::Available((s * scale * (1.0 - i as f64 * 0.012)).round()));
        let women = shape
            .iter()
            .enumerate()
            .map(|(i, s)| Value::Available((s * scale * (1.0 + i as f64 * women_bonus)).round()));
        (men.collect(), women.collect())
    }

    /// A skewed distribution of commune densities, deterministic (a log-normal by inverse ranks).
    fn communes(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| {
                let u = (i as f64 * 0.618_034).fract() * 0.998 + 0.001;
                // A rough normal quantile, enough for a test distribution.
                let z = (u / (1.0 - u)).ln() * 0.55;
                let value = if i % 97 == 5 {
                    Value::Secret
                } else if i % 211 == 7 {
                    Value::Missing
                } else {
                    Value::Available((4.3 + 1.1 * z).exp())
                };
                let role = if i == 1234 { Role::Territory } else { Role::Other };
                let name = if i == 1234 { "Amiens".to_owned() } else { format!("Commune {i}") };
                entry(&format!("{:05}", 80_000 + i), &name, value, role)
            })
            .collect()
    }

    fn key_table() -> TableFigure {
        let row = |label: &str, unit: &str, year: &str, values: [Value; 4], decimals| {
            let mut row =
                vec![TableCell::Text(label.into()), TableCell::Text(unit.into()), TableCell::Text(year.into())];
            row.extend(values.into_iter().map(|value| TableCell::Value { value, decimals }));
            row
        };
        let a = Value::Available;
        TableFigure {
            title: "Chiffres clés — Amiens".into(),
            columns: ["Indicateur", "Unité", "Année", "Amiens", "Somme", "Hauts-de-France", "France"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                row(
                    "Population municipale",
                    "hab.",
                    "2021",
                    [a(133_625.0), a(568_931.0), a(5_995_292.0), a(67_407_241.0)],
                    0,
                ),
                row("Densité de population", "hab./km²", "2021", [a(2708.1), a(91.1), a(187.2), a(123.6)], 1),
                row(
                    "Part des 75 ans et plus dans la population totale",
                    "%",
                    "2021",
                    [a(7.4), a(9.6), a(8.9), a(9.8)],
                    1,
                ),
                row(
                    "Taux standardisé de mortalité prématurée (avant 65 ans)",
                    "pour 100 000",
                    "2015-2019",
                    [Value::Secret, a(245.3), a(236.9), a(178.5)],
                    1,
                ),
                row(
                    "Médecins généralistes libéraux",
                    "pour 10 000 hab.",
                    "2023",
                    [a(11.2), Value::Missing, a(8.6), a(8.7)],
                    1,
                ),
            ],
            source: "Sources : Insee, RP 2021 ; Inserm CépiDc ; Cnam, SNDS. Traitement OR2S.".into(),
            highlight_column: Some(3),
            lang: Lang::Fr,
        }
    }

    fn texts(figure: &Figure) -> Vec<&str> {
        figure
            .layers
            .iter()
            .flat_map(|l| &l.marks)
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn layer_ids(figure: &Figure) -> Vec<&str> {
        figure.layers.iter().map(|l| l.id.as_str()).collect()
    }

    fn layer<'a>(figure: &'a Figure, id: &str) -> &'a [Mark] {
        &figure.layers.iter().find(|l| l.id == id).unwrap().marks
    }

    /// Every coordinate of every mark is a finite number inside the page (strokes aside).
    fn assert_sane(figure: &Figure) {
        assert!(figure.width_mm.is_finite() && figure.height_mm.is_finite() && figure.height_mm > 0.0);
        let inside = |x: f64, y: f64| {
            assert!(x.is_finite() && y.is_finite(), "{}: non-finite coordinate", figure.title);
            assert!(
                (-0.5..=figure.width_mm + 0.5).contains(&x) && (-0.5..=figure.height_mm + 0.5).contains(&y),
                "{}: ({x}, {y}) off the page {} × {}",
                figure.title,
                figure.width_mm,
                figure.height_mm
            );
        };
        for mark in figure.layers.iter().flat_map(|l| &l.marks) {
            match mark {
                Mark::Path { rings, .. } => rings.iter().flatten().for_each(|p| inside(p[0], p[1])),
                Mark::Polyline { points, .. } => points.iter().for_each(|p| inside(p[0], p[1])),
                Mark::Rect { x, y, width, height, .. } => {
                    assert!(*width >= 0.0 && *height >= 0.0);
                    inside(*x, *y);
                    inside(x + width, y + height);
                }
                Mark::Circle { cx, cy, r, .. } => {
                    assert!(r.is_finite() && *r > 0.0);
                    inside(*cx, *cy);
                }
                Mark::Text { x, y, text, size_pt, anchor, .. } => {
                    inside(*x, *y);
                    let w = text_width_mm(text, *size_pt);
                    let (x0, x1) = match anchor {
                        Anchor::Start => (*x, x + w),
                        Anchor::Middle => (x - w / 2.0, x + w / 2.0),
                        Anchor::End => (x - w, *x),
                    };
                    assert!(
                        x0 >= -0.5 && x1 <= figure.width_mm + 0.5,
                        "{}: text « {text} » runs off the page ({x0:.1}–{x1:.1})",
                        figure.title
                    );
                }
            }
        }
    }

    fn all_figures() -> Vec<Figure> {
        let (men, women) = age_counts(1000.0, 0.01);
        let (ref_men, ref_women) = age_counts(50_000.0, 0.02);
        vec![
            bar_chart(&text("Densité de population", "hab./km²", 1), &densities()),
            line_chart(&text("Évolution de la population", "habitants", 0), &population_series(), false),
            line_chart(&text("Évolution de la population", "habitants", 0), &population_series(), true),
            pyramid(
                &text("Pyramide des âges", "%", 1),
                &bands(),
                &men,
                &women,
                Some(("France", &ref_men, &ref_women)),
                true,
            ),
            position_chart(
                &text("Densité : Amiens parmi les communes", "hab./km²", 1),
                &communes(3800),
                &densities()[1..],
                true,
            ),
            table_figure(&key_table()),
        ]
    }

    /// x, y, width, height, style and tag of a rectangle.
    type RectParts<'a> = (f64, f64, f64, f64, &'a Style, Option<&'a Tag>);

    fn rects<'a>(figure: &'a Figure, id: &str) -> Vec<RectParts<'a>> {
        layer(figure, id)
            .iter()
            .filter_map(|m| match m {
                Mark::Rect { x, y, width, height, style, tag } => Some((*x, *y, *width, *height, style, tag.as_ref())),
                _ => None,
            })
            .collect()
    }

    fn texts_in<'a>(figure: &'a Figure, id: &str) -> Vec<(f64, f64, &'a str, f64, Anchor)> {
        layer(figure, id)
            .iter()
            .filter_map(|m| match m {
                Mark::Text { x, y, text, size_pt, anchor, .. } => Some((*x, *y, text.as_str(), *size_pt, *anchor)),
                _ => None,
            })
            .collect()
    }

    /// The box of a text: left, top, right, bottom.
    fn text_box(x: f64, y: f64, text: &str, size_pt: f64, anchor: Anchor) -> [f64; 4] {
        let w = text_width_mm(text, size_pt);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        [left, y - 0.72 * size_pt * MM_PER_PT, left + w, y]
    }

    fn overlap(a: [f64; 4], b: [f64; 4]) -> bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

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

    /// Titles and sources without digits, so that any digit in the figure would be a value.
    fn digitless(title: &str) -> ChartText {
        ChartText {
            title: title.to_owned(),
            subtitle: "Taux de mortalité prématurée".to_owned(),
            source: "Source : Inserm CépiDc. Traitement OR".to_owned(),
            unit: "pour cent mille".to_owned(),
            decimals: 1,
            lang: Lang::Fr,
        }
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
        assert!(matches!(bars[0].4.fill, Fill::Hatch { .. }));
        assert!(!matches!(bars[1].4.fill, Fill::Hatch { .. }));
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
        assert!(rects(&figure, "legend").iter().any(|r| matches!(r.4.fill, Fill::Hatch { .. })));
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
        let lines: Vec<(usize, &str)> = layer(&figure, "lines")
            .iter()
            .filter_map(|m| match m {
                Mark::Polyline { points, tag, .. } => Some((points.len(), tag.as_ref().unwrap().code.as_str())),
                _ => None,
            })
            .collect();
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
        let outlines: Vec<(usize, &str)> = layer(&figure, "reference")
            .iter()
            .filter_map(|m| match m {
                Mark::Polyline { points, tag, .. } => Some((points.len(), tag.as_ref().unwrap().code.as_str())),
                _ => None,
            })
            .collect();
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
        assert!(matches!(secret.4.fill, Fill::Hatch { .. }));
        assert!(texts_in(&figure, "labels").iter().any(|t| t.2 == "s"));
    }

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

    const TABLE_LAYERS: [&str; 5] = ["title", "gridlines", "cells", "legend", "sources"];

    #[test]
    fn table_aligns_values_right_and_emphasises_the_territory() {
        let table = key_table();
        let figure = table_figure(&table);
        assert_eq!(layer_ids(&figure), TABLE_LAYERS);
        let cells = texts_in(&figure, "cells");
        let find = |s: &str| cells.iter().find(|t| t.2 == s).unwrap_or_else(|| panic!("{s} in {cells:?}"));
        assert_eq!(find("Population municipale").4, Anchor::Start);
        assert_eq!(find("2\u{202f}708,1").4, Anchor::End);
        assert_eq!(find("67\u{202f}407\u{202f}241").4, Anchor::End);
        assert_eq!(find("hab./km²").4, Anchor::Middle);
        assert_eq!(find("s").4, Anchor::End);
        assert_eq!(find("nd").4, Anchor::End);
        // The territory's column: a tinted band behind it, bold text in the territory colour on top.
        let band = rects(&figure, "cells");
        assert_eq!(band.len(), 1);
        let amiens = find("Amiens");
        assert!(amiens.0 > band[0].0 && amiens.0 <= band[0].0 + band[0].2);
        let header_bold = layer(&figure, "cells").iter().any(|m| {
            matches!(m, Mark::Text { text, bold: true, color, .. } if text == "Amiens" && *color == TERRITORY_COLOR)
        });
        assert!(header_bold);
        // Values of a column share their right edge.
        let right_edge = find("133\u{202f}625").0;
        assert!((find("2\u{202f}708,1").0 - right_edge).abs() < 1e-9);
        assert!(texts(&figure).contains(&"s : secret statistique"));
        assert_sane(&figure);
    }

    #[test]
    fn table_widens_the_page_rather_than_crush_columns() {
        let mut table = key_table();
        for i in 0..6 {
            table.columns.push(format!("Zone de comparaison {i}"));
            for row in &mut table.rows {
                row.push(TableCell::Value { value: Value::Available(123_456.7), decimals: 1 });
            }
        }
        let figure = table_figure(&table);
        assert!(figure.width_mm > PAGE_WIDTH_MM);
        assert_sane(&figure);
    }

    #[test]
    fn nice_ticks_are_nice_and_cover_the_range() {
        let mut seed = 12_345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2000 {
            let magnitude = 10f64.powf(next() * 12.0 - 5.0);
            let a = (next() - 0.3) * magnitude;
            let b = a + next() * magnitude + magnitude * 1e-3;
            let ticks = nice_ticks(a, b, 5);
            assert!((4..=6).contains(&ticks.len()), "{a} {b} {ticks:?}");
            assert!(ticks[0] <= a && *ticks.last().unwrap() >= b, "{a} {b} {ticks:?}");
            let step = ticks[1] - ticks[0];
            let exponent = step.log10().floor();
            let mantissa = step / 10f64.powf(exponent);
            assert!([1.0, 2.0, 2.5, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-6), "{step} in {ticks:?}");
            for pair in ticks.windows(2) {
                assert!(((pair[1] - pair[0]) / step - 1.0).abs() < 1e-6, "{ticks:?}");
            }
            // Every tick a whole multiple of the step, so that labels are round.
            assert!(ticks.iter().all(|t| ((t / step).round() - t / step).abs() < 1e-6), "{ticks:?}");
            // No empty step at either end.
            assert!(ticks[1] > a && ticks[ticks.len() - 2] < b, "{a} {b} {ticks:?}");
        }
    }

    #[test]
    fn nice_ticks_of_degenerate_ranges() {
        assert_eq!(nice_ticks(0.0, 0.0, 5), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(100.0, 0.0, 5), [0.0, 25.0, 50.0, 75.0, 100.0]);
        let single = nice_ticks(91.1, 91.1, 5);
        assert!(single[0] <= 91.1 && *single.last().unwrap() >= 91.1 && single.len() >= 2);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5), [0.0, 1.0]);
        assert_eq!(nice_ticks(0.0, f64::INFINITY, 5), [0.0, 1.0]);
        assert_eq!(nice_ticks(99.75, 100.43, 5), [99.75, 100.0, 100.25, 100.5]);
        assert_eq!(nice_ticks(2_604_361.0, 6_004_108.0, 5), [2e6, 3e6, 4e6, 5e6, 6e6, 7e6]);
        assert_eq!(tick_decimals(&[99.75, 100.0]), 2);
        assert_eq!(tick_decimals(&[0.0, 1000.0]), 0);
    }

    #[test]
    fn wrap_respects_the_width_and_keeps_every_word() {
        let source = "Source : Insee, recensement de la population 2021 (exploitation principale), \
                      CC Interrégionale Aumale - Blangy-sur-Bresle ; Anticonstitutionnellement-longtemps.";
        for width in [15.0, 25.0, 40.0, 80.0, 150.0] {
            let lines = wrap(source, width, 7.0);
            assert!(lines.iter().all(|l| text_width_mm(l, 7.0) <= width + 1e-9), "{width}: {lines:?}");
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squeeze(&lines.concat()), squeeze(source), "{width}");
        }
        let cut = wrap("453,0\u{a0}hab./km²", 5.0, 8.0);
        assert!(
            cut.len() > 1 && cut.iter().all(|l| text_width_mm(l, 8.0) <= 5.0),
            "a word wider than the line is cut: {cut:?}"
        );
        assert_eq!(wrap("12\u{202f}345,6 %", 200.0, 8.0), ["12\u{202f}345,6 %"]);
        assert!(wrap("", 50.0, 8.0).is_empty());
        assert_eq!(wrap("Ligne un\nLigne deux", 200.0, 8.0), ["Ligne un", "Ligne deux"]);
        assert_eq!(wrap("x", 0.0, 8.0), ["x"], "even a zero width makes progress");
    }

    #[test]
    fn degenerate_inputs_give_a_frame_and_a_note_not_a_panic() {
        let t = text("Vide", "%", 1);
        let no_data = |figure: &Figure| texts(figure).iter().any(|s| s.contains("Aucune donnée disponible"));
        let figures = [
            bar_chart(&t, &[]),
            bar_chart(&t, &[entry("A", "Seul", Value::Missing, Role::Territory)]),
            line_chart(&t, &[], true),
            line_chart(
                &t,
                &[Series { code: "A".into(), name: "A".into(), role: Role::Territory, points: vec![] }],
                false,
            ),
            pyramid(&t, &[], &[], &[], None, true),
            pyramid(&t, &bands(), &[], &[], None, true),
            position_chart(&t, &[], &[], true),
            position_chart(&t, &[entry("A", "A", Value::Secret, Role::Territory)], &[], false),
            table_figure(&TableFigure {
                title: "Vide".into(),
                columns: vec![],
                rows: vec![],
                source: String::new(),
                highlight_column: Some(9),
                lang: Lang::Fr,
            }),
        ];
        for figure in &figures {
            assert!(no_data(figure), "{}: {:?}", figure.title, texts(figure));
            assert_sane(figure);
        }
        let odd = [
            entry("A", "Un", Value::Available(f64::NAN), Role::Territory),
            entry("B", "Deux", Value::Available(f64::INFINITY), Role::Comparison),
            entry("C", "Trois", Value::Available(0.0), Role::Comparison),
        ];
        let single = [entry("A", "Un", Value::Available(7.0), Role::Territory)];
        let wide = [
            entry("A", "Minuscule", Value::Available(1e-6), Role::Territory),
            entry("B", "Énorme", Value::Available(6.8e9), Role::Comparison),
        ];
        let one_point = Series {
            code: "A".into(),
            name: "A".into(),
            role: Role::Territory,
            points: vec![(2021, Value::Available(3.0))],
        };
        let figures = [
            bar_chart(&t, &odd),
            bar_chart(&t, &single),
            bar_chart(&t, &wide),
            line_chart(&t, std::slice::from_ref(&one_point), false),
            line_chart(&t, &[one_point], true),
            pyramid(&t, &bands()[..1], &[Value::Available(5.0)], &[Value::Available(0.0)], None, true),
            pyramid(&t, &bands(), &[Value::Available(0.0)], &[], Some(("France", &[], &[])), true),
            position_chart(&t, &odd, &odd, true),
            position_chart(&t, &single, &single, true),
            position_chart(&t, &wide, &[], true),
        ];
        for figure in &figures {
            assert_sane(figure);
            let svg = crate::export::svg::to_svg(figure).text;
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }

    /// The chart's inputs as an English user would give them: English subtitle and source.
    fn english(mut text: ChartText) -> ChartText {
        text.subtitle = "Population density, 2021".to_owned();
        text.source = "Source: Insee, population census 2021. Processing: regional health observatory.".to_owned();
        text.lang = Lang::En;
        text
    }

    /// Every text of a figure that a reader or a designer sees: marks, layer labels, tag names and
    /// labels (tooltips).
    fn visible_texts(figure: &Figure) -> Vec<String> {
        let mut out: Vec<String> = texts(figure).into_iter().map(String::from).collect();
        out.extend(figure.layers.iter().map(|l| l.label.clone()));
        out.extend(figure.tags().flat_map(|t| [t.name.clone(), t.label.clone()]));
        out
    }

    /// Words that only the French texts of the builders use.
    const FRENCH_WORDS: [&str; 27] = [
        "Titre",
        "Quadrillage",
        "Étiquettes",
        "Références",
        "Légende",
        "Barres",
        "Courbes",
        "Cellules",
        "Aucune donnée",
        "secret statistique",
        "non disponible",
        "donnée",
        "Hommes",
        "Femmes",
        "hommes",
        "femmes",
        "unité",
        "dont",
        "Courbe interrompue",
        "échelle",
        "Échelle",
        "base 100 en",
        " en 20",
        "Référence",
        "Part dans",
        "Indice",
        "\u{a0}:",
    ];

    fn assert_english(figure: &Figure) {
        for text in visible_texts(figure) {
            for word in FRENCH_WORDS {
                assert!(!text.contains(word), "{}: « {word} » in « {text} »", figure.title);
            }
        }
    }

    /// The same charts in French and in English, with secret and missing values in each.
    fn both_languages() -> Vec<(Figure, Figure)> {
        let mut entries = densities();
        entries[1].value = Value::Secret;
        entries.push(entry("99", "Elsewhere", Value::Missing, Role::Comparison));
        let mut series = population_series();
        series[0].points[2].1 = Value::Secret;
        let (mut men, women) = age_counts(1000.0, 0.01);
        men[19] = Value::Missing;
        let (ref_men, ref_women) = age_counts(50_000.0, 0.02);
        let mut table = key_table();
        let (fr, en) = (text("Density", "hab./km²", 1), english(text("Density", "hab./km²", 1)));
        let pct = |t: &ChartText| ChartText { unit: "%".into(), ..t.clone() };
        let build = |t: &ChartText| {
            vec![
                bar_chart(t, &entries),
                bar_chart(&pct(t), &densities()),
                line_chart(t, &series, false),
                line_chart(t, &series, true),
                line_chart(t, &[], true),
                pyramid(t, &bands(), &men, &women, Some(("France", &ref_men, &ref_women)), true),
                position_chart(t, &communes(500), &densities()[1..], true),
                position_chart(t, &communes(40), &[entry("FR", "France", Value::Missing, Role::Comparison)], false),
            ]
        };
        let mut pairs: Vec<(Figure, Figure)> = build(&fr).into_iter().zip(build(&en)).collect();
        let french_table = table_figure(&table);
        table.lang = Lang::En;
        pairs.push((french_table, table_figure(&table)));
        pairs
    }

    #[test]
    fn english_figures_have_english_texts_and_the_same_layer_ids() {
        for (french, english) in both_languages() {
            assert_eq!(layer_ids(&french), layer_ids(&english), "{}", french.title);
            let codes = |f: &Figure| f.tags().map(|t| (t.code.clone(), t.status)).collect::<Vec<_>>();
            assert_eq!(codes(&french), codes(&english), "tag codes and statuses do not depend on the language");
            assert_english(&english);
            assert_sane(&english);
        }
        let pairs = both_languages();
        let all_english: Vec<String> = pairs.iter().flat_map(|(_, en)| visible_texts(en)).collect();
        let all_french: Vec<String> = pairs.iter().flat_map(|(fr, _)| visible_texts(fr)).collect();
        for expected in [
            "Title",
            "Bars",
            "Labels",
            "Legend",
            "Gridlines",
            "Cells",
            "s: statistical secrecy",
            "nd: no data",
            "statistical secrecy",
            "not available",
            "Men",
            "Women",
            "Share of the total population (%)",
            "Broken line: a year under statistical secrecy or with no data.",
            "No data available",
            "France, women",
        ] {
            assert!(all_english.iter().any(|t| t == expected), "« {expected} » missing from English figures");
        }
        for expected in ["Titre", "Légende", "s : secret statistique", "Hommes", "Courbe interrompue"] {
            assert!(all_french.iter().any(|t| t.starts_with(expected)), "« {expected} » missing from French figures");
        }
        assert!(all_english.iter().any(|t| t.contains("base 100 in 2018")), "{all_english:?}");
        assert!(all_english.iter().any(|t| t.contains("(logarithmic scale)")), "{all_english:?}");
        assert!(all_english.iter().any(|t| t.starts_with("Reference without a value: France (nd)")));
        assert!(all_english.iter().any(|t| t == "9 units without a value, 6 of them under statistical secrecy."));
    }

    #[test]
    fn english_numbers_use_a_decimal_point_and_comma_thousands() {
        let figure = bar_chart(&english(text("Density", "hab./km²", 1)), &densities());
        let labels: Vec<&str> = texts_in(&figure, "labels").into_iter().map(|t| t.2).collect();
        assert!(labels.contains(&"2,708.1") && labels.contains(&"91.1"), "{labels:?}");
        assert_eq!(figure.tags().next().unwrap().label, "2,708.1\u{a0}hab./km²");
        assert!(texts_in(&figure, "axes").iter().any(|t| t.2 == "1,000"), "{:?}", texts_in(&figure, "axes"));
        let french = bar_chart(&text("Densité", "hab./km²", 1), &densities());
        assert!(texts_in(&french, "axes").iter().any(|t| t.2 == "1\u{202f}000"));
        // Short units follow the number the English way.
        let percent = bar_chart(&english(text("Share", "%", 1)), &densities());
        assert!(texts_in(&percent, "labels").iter().any(|t| t.2 == "91.1%"));
        let position =
            position_chart(&english(text("Density", "hab./km²", 1)), &communes(50), &densities()[1..], false);
        assert!(texts(&position).contains(&"France: 123.6"), "{:?}", texts(&position));
        let mut table = key_table();
        table.lang = Lang::En;
        let figure = table_figure(&table);
        let cells: Vec<&str> = texts_in(&figure, "cells").into_iter().map(|t| t.2).collect();
        for number in ["133,625", "67,407,241", "2,708.1", "91.1"] {
            assert!(cells.contains(&number), "{number} in {cells:?}");
        }
        assert!(cells.contains(&"s") && cells.contains(&"nd"), "markers do not depend on the language");
    }

    #[test]
    fn same_input_gives_the_same_figure() {
        assert_eq!(all_figures(), all_figures());
    }

    #[test]
    fn every_chart_is_valid_svg_with_named_layers_in_order() {
        for figure in all_figures() {
            assert_sane(&figure);
            let svg = crate::export::svg::to_svg(&figure).text;
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let groups: Vec<&str> = doc
                .root_element()
                .children()
                .filter(|n| n.has_tag_name("g"))
                .filter_map(|n| n.attribute("id"))
                .collect();
            assert_eq!(groups, layer_ids(&figure), "{}", figure.title);
            assert!(doc.descendants().any(|n| n.has_tag_name("text")), "text stays text");
        }
    }

    /// Renders every chart to SVG in the temporary directory, for a look with an SVG viewer or
    /// `rsvg-convert`; run with `cargo test --lib chart::tests::preview -- --ignored`.
    #[test]
    #[ignore = "writes files for a visual check"]
    fn preview() {
        let dir = std::env::temp_dir().join("indicarto-charts");
        std::fs::create_dir_all(&dir).unwrap();
        let mut figures = all_figures();
        let mut odd = densities();
        odd[0].name = "CC Interrégionale Aumale - Blangy-sur-Bresle".into();
        odd[1].value = Value::Secret;
        odd[2].value = Value::Available(-12.5);
        odd.push(entry("99", "Zone sans donnée", Value::Missing, Role::Other));
        figures.push(bar_chart(&text("Cas difficiles : nom long, secret, négatif, manquant", "%", 1), &odd));
        let mut gappy = population_series();
        gappy[0].points[2].1 = Value::Secret;
        gappy[1].points[4].1 = Value::Missing;
        gappy[1].points[5].1 = Value::Available(6_001_000.0);
        figures.push(line_chart(&text("Série interrompue", "habitants", 0), &gappy, false));
        let epci: Vec<Entry> = communes(19)
            .into_iter()
            .enumerate()
            .map(|(i, mut e)| {
                e.role = if i == 4 { Role::Territory } else { Role::Other };
                e
            })
            .collect();
        figures.push(position_chart(&text("Peu d'unités", "hab./km²", 1), &epci, &densities()[1..], false));
        figures.push(bar_chart(&text("Vide", "%", 1), &[]));
        figures.push(line_chart(&text("Vide", "%", 1), &[], false));
        figures.push(position_chart(&text("Vide", "%", 1), &[], &[], false));
        figures.push(pyramid(&text("Vide", "%", 1), &[], &[], &[], None, true));
        for (i, figure) in figures.iter().enumerate() {
            std::fs::write(dir.join(format!("{i:02}.svg")), crate::export::svg::to_svg(figure).text).unwrap();
        }
    }
}
