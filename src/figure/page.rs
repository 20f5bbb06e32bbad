//! Page and text layout shared by every chart, table and map: a [`Sheet`] (a figure under
//! construction with its layers in their documented order), line wrapping and truncation by the
//! estimated text width, the title block, notes, the sources block and the legend laid out as a
//! flow of swatches.
//!
//! Layout only: colours, fonts and wording come from [`super::style`]. Depends on the figure model
//! and [`crate::text`]; it must not know what a chart or a map is.

use super::style::{Font, LABEL_FONT, NOTE_FONT, SOURCE_FONT, SUBTITLE_FONT, TITLE_FONT, marker_legend, status_style};
use super::{Anchor, Figure, Mark, Rgb, Stroke, Style, Tag, text_width_mm};
use crate::text::Lang;
use crate::value::Value;

/// Default page width of a chart or table: an A4 page less 25 mm margins on each side.
pub const PAGE_WIDTH_MM: f64 = 160.0;
/// White space kept around every chart, so that strokes at the edges are never clipped.
pub const MARGIN_MM: f64 = 4.0;

/// A layer: its id, the same in every language, then its label in French and in English.
pub type LayerName = (&'static str, &'static str, &'static str);

/// The title block.
pub const TITLE_LAYER: LayerName = ("title", "Titre", "Title");
/// The legend.
pub const LEGEND_LAYER: LayerName = ("legend", "Légende", "Legend");
/// The sources block (the same word in both languages).
pub const SOURCES_LAYER: LayerName = ("sources", "Sources", "Sources");

/// A figure under construction. Its layers can be created up front, so that their order is the
/// documented one whatever order the layout fills them in.
#[derive(Debug)]
pub struct Sheet {
    figure: Figure,
}

impl Sheet {
    /// A page `width_mm` wide (its height is known at [`Sheet::finish`]) with these layers, labelled
    /// in `lang`.
    #[must_use]
    pub fn new(title: &str, width_mm: f64, layers: &[LayerName], lang: Lang) -> Sheet {
        let mut figure = Figure::new(width_mm, 0.0, title);
        figure.lang = lang;
        let mut sheet = Sheet { figure };
        for layer in layers {
            sheet.add_layer(layer);
        }
        sheet
    }

    /// Goes on drawing on a finished figure (a legend drawn again).
    #[must_use]
    pub fn resume(figure: Figure) -> Sheet {
        Sheet { figure }
    }

    /// The language of the figure's texts.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.figure.lang
    }

    /// Adds a layer on top, labelled in the figure's language.
    pub fn add_layer(&mut self, (id, fr, en): &LayerName) {
        let label = self.lang().pick(fr, en);
        self.figure.layer(id, label);
    }

    /// Adds a layer whose id and label are given at run time (a map's units).
    pub fn add_named_layer(&mut self, id: &str, label: &str) {
        self.figure.layer(id, label);
    }

    /// The figure drawn so far.
    pub fn figure_mut(&mut self) -> &mut Figure {
        &mut self.figure
    }

    /// Adds a mark on a layer (created, labelled with its id, if the sheet lacks it).
    pub fn push(&mut self, layer: &str, mark: Mark) {
        self.figure.layer(layer, layer).marks.push(mark);
    }

    /// Adds marks on a layer, in order.
    pub fn extend(&mut self, layer: &str, marks: impl IntoIterator<Item = Mark>) {
        self.figure.layer(layer, layer).marks.extend(marks);
    }

    /// A line of text with its baseline at `y`; an empty text draws nothing.
    pub fn text(&mut self, layer: &str, x: f64, y: f64, text: &str, font: Font, anchor: Anchor) {
        if text.is_empty() {
            return;
        }
        let mark = Mark::Text {
            x,
            y,
            text: text.to_owned(),
            size_pt: font.size_pt,
            anchor,
            bold: font.bold,
            color: font.color,
        };
        self.push(layer, mark);
    }

    /// An open line.
    pub fn line(&mut self, layer: &str, points: Vec<[f64; 2]>, stroke: Stroke, tag: Option<Tag>) {
        self.push(layer, Mark::Polyline { points, stroke, tag });
    }

    /// A rectangle: left, top, width, height.
    pub fn rect(&mut self, layer: &str, [x, y, width, height]: [f64; 4], style: Style, tag: Option<Tag>) {
        self.push(layer, Mark::Rect { x, y, width, height, style, tag });
    }

    /// A circle: centre and radius.
    pub fn circle(&mut self, layer: &str, [cx, cy, r]: [f64; 3], style: Style, tag: Option<Tag>) {
        self.push(layer, Mark::Circle { cx, cy, r, style, tag });
    }

    /// A filled shape.
    pub fn path(&mut self, layer: &str, rings: Vec<Vec<[f64; 2]>>, style: Style, tag: Option<Tag>) {
        self.push(layer, Mark::Path { rings, style, tag });
    }

    /// The figure, `height_mm` tall.
    #[must_use]
    pub fn finish(mut self, height_mm: f64) -> Figure {
        self.figure.height_mm = height_mm;
        self.figure
    }

    /// The figure, its size as it was.
    #[must_use]
    pub fn into_figure(self) -> Figure {
        self.figure
    }
}

/// A legend symbol.
#[derive(Debug, Clone)]
pub enum Swatch {
    /// A small block: a bar's colour, a status fill.
    Block(Style),
    /// A line.
    Line(Stroke),
    /// A dot of this colour and radius.
    Dot(Rgb, f64),
    /// A line of this colour and width with a dot on it (a series of a line chart).
    LineDot(Rgb, f64),
}

/// Width of a legend swatch.
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
pub fn legend_flow(sheet: &mut Sheet, items: &[(Swatch, String)], left: f64, width: f64, top: f64) -> f64 {
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

/// The legend items explaining « s » and « nd », when the figure writes them.
#[must_use]
pub fn marker_items(secret: bool, missing: bool, lang: Lang) -> Vec<(Swatch, String)> {
    [(secret, Value::Secret), (missing, Value::Missing)]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, value)| (Swatch::Block(status_style(value)), marker_legend(value, lang)))
        .collect()
}

/// Title and subtitle, wrapped at the page width from the top margin; returns the y under them.
pub fn header(sheet: &mut Sheet, title: &str, subtitle: &str, left: f64, width: f64) -> f64 {
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

/// Notes (muted, wrapped) on a layer; returns the y under them.
pub fn notes_block(sheet: &mut Sheet, layer: &str, notes: &[String], left: f64, width: f64, top: f64) -> f64 {
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
pub fn sources_block(sheet: &mut Sheet, source: &str, left: f64, width: f64, top: f64) -> f64 {
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

/// The text cut to `width` with « … ».
#[must_use]
pub fn truncate(text: &str, width: f64, font: Font) -> String {
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
#[must_use]
pub fn fit_lines(text: &str, width: f64, font: Font, max_lines: usize) -> Vec<String> {
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
/// use indicarto::figure::page::wrap;
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn truncation_ends_with_an_ellipsis_inside_the_width() {
        let name = "Communauté d'agglomération de la Région de Château-Thierry";
        let cut = truncate(name, 30.0, LABEL_FONT);
        assert!(cut.ends_with('…') && LABEL_FONT.width(&cut) <= 30.0, "{cut}");
        assert_eq!(truncate("Amiens", 30.0, LABEL_FONT), "Amiens");
        let lines = fit_lines(name, 30.0, LABEL_FONT, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
    }

    #[test]
    fn layers_keep_the_order_they_were_declared_in() {
        let mut sheet = Sheet::new("Essai", PAGE_WIDTH_MM, &[TITLE_LAYER, LEGEND_LAYER, SOURCES_LAYER], Lang::En);
        sheet.text(SOURCES_LAYER.0, 0.0, 10.0, "Source: Insee.", SOURCE_FONT, Anchor::Start);
        sheet.text(TITLE_LAYER.0, 0.0, 5.0, "", TITLE_FONT, Anchor::Start);
        let figure = sheet.finish(20.0);
        let layers: Vec<(&str, &str, usize)> =
            figure.layers.iter().map(|l| (l.id.as_str(), l.label.as_str(), l.marks.len())).collect();
        assert_eq!(layers, [("title", "Title", 0), ("legend", "Legend", 0), ("sources", "Sources", 1)]);
        assert!((figure.height_mm - 20.0).abs() < 1e-12);
    }
}
