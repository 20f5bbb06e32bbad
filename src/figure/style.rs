//! The house style every chart, table and map draws with: the greys and colours, the text styles
//! ([`Font`]), the « secret statistique » hatch and the « donnée manquante » fill with their
//! wording in French and English, and the tag of a mark showing a [`Value`].
//!
//! One copy of each, because a reader compares a chart and a map on the same page: a secret
//! territory is hatched the same way, and missing data is worded the same way, in both. Sizes and
//! positions stay with each figure's layout; only what a reader must recognise from one figure to
//! the next lives here.
//!
//! Depends on the figure model, [`Value`] and [`crate::text`]; nothing else. A secret value reaches
//! no tag through here: [`value_tag`] keeps a number only for [`Value::Available`].

use super::{MM_PER_PT, Rgb, Stroke, Style, Tag, text_width_mm};
use crate::text::Lang;
use crate::value::Value;

// Greys: ColorBrewer's Greys scheme, darkest first, plus the missing-data grey of maps.

/// Text: titles, labels, legend entries, the north arrow and the scale bar.
pub const INK: Rgb = Rgb(0x25, 0x25, 0x25);
/// Axis lines and tick labels.
pub const AXIS_COLOR: Rgb = Rgb(0x4d, 0x4d, 0x4d);
/// Secondary text (subtitles, notes, sources, « s » and « nd »), the lines of the secret hatch.
pub const MUTED: Rgb = Rgb(0x63, 0x63, 0x63);
/// Outlines of legend swatches and of secret or missing stubs; the units without emphasis of a
/// position chart.
pub const OUTLINE_GREY: Rgb = Rgb(0x96, 0x96, 0x96);
/// Bars of units without emphasis.
pub const LIGHT_GREY: Rgb = Rgb(0xbd, 0xbd, 0xbd);
/// Gridlines and table rules.
pub const GRID_COLOR: Rgb = Rgb(0xd9, 0xd9, 0xd9);
/// Fill of a value that is missing: a map unit, a bar's stub, their legend swatch.
pub const MISSING_GREY: Rgb = Rgb(224, 224, 224);

// Colours of what a figure highlights.

/// The analysis territory.
pub const TERRITORY_COLOR: Rgb = Rgb(0x08, 0x51, 0x9c);
/// Comparison zones, in their order: orange, green, purple, dark grey, distinct from the
/// territory's blue and from each other for the common colour-vision deficiencies.
pub const COMPARISON_COLORS: [Rgb; 4] =
    [Rgb(0xe6, 0x55, 0x0d), Rgb(0x31, 0xa3, 0x54), Rgb(0x75, 0x6b, 0xb1), Rgb(0x63, 0x63, 0x63)];
/// Men in a pyramid.
pub const MEN_COLOR: Rgb = Rgb(0x4a, 0x90, 0xc4);
/// Women in a pyramid.
pub const WOMEN_COLOR: Rgb = Rgb(0xd6, 0x60, 0x4d);
/// Behind the territory's column of a table.
pub const HIGHLIGHT_BACKGROUND: Rgb = Rgb(0xde, 0xeb, 0xf7);

// Secret and missing values.

/// The « secret statistique » fill: grey diagonal lines on white, on maps, bars and swatches alike.
pub const SECRET_FILL: super::Fill = super::Fill::Hatch { line: MUTED, background: Rgb::WHITE };
/// The « donnée manquante » fill.
pub const MISSING_FILL: super::Fill = super::Fill::Solid { color: MISSING_GREY, opacity: 1.0 };

/// The thin outline of a legend swatch or of a stub standing for a value without a number, so
/// that a light fill still reads as a shape on the white page.
#[must_use]
pub fn swatch_stroke() -> Stroke {
    Stroke::new(OUTLINE_GREY, 0.1)
}

/// The fill of a value that has no number: hatched when secret, grey when missing; `None` for an
/// available value, which takes its class or role colour.
#[must_use]
pub fn status_fill(value: Value) -> Option<super::Fill> {
    match value {
        Value::Available(_) => None,
        Value::Missing => Some(MISSING_FILL),
        Value::Secret => Some(SECRET_FILL),
    }
}

/// The style of a stub or swatch standing for a value without a number: its status fill and
/// the swatch outline. An available value gets the missing style: it has no status of its own.
#[must_use]
pub fn status_style(value: Value) -> Style {
    Style { fill: status_fill(value).unwrap_or(MISSING_FILL), stroke: Some(swatch_stroke()) }
}

/// What a secret value is called, in tags, notes and legends: « secret statistique ».
#[must_use]
pub fn secret_label(lang: Lang) -> &'static str {
    lang.pick("secret statistique", "statistical secrecy")
}

/// What a missing value is called, in tags, notes and legends: « donnée manquante ».
#[must_use]
pub fn missing_label(lang: Lang) -> &'static str {
    lang.pick("donnée manquante", "no data")
}

/// The name of a value without a number (`None` for an available one).
#[must_use]
pub fn status_label(value: Value, lang: Lang) -> Option<&'static str> {
    match value {
        Value::Available(_) => None,
        Value::Missing => Some(missing_label(lang)),
        Value::Secret => Some(secret_label(lang)),
    }
}

/// The legend entry of a status as a swatch label: « Secret statistique », « Donnée manquante ».
#[must_use]
pub fn status_heading(value: Value, lang: Lang) -> String {
    let label = status_label(value, lang).unwrap_or_default();
    let mut chars = label.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The legend entry that explains a marker written in place of a value: « s : secret
/// statistique », « nd : donnée manquante » (English: `s: statistical secrecy`, `nd: no data`).
#[must_use]
pub fn marker_legend(value: Value, lang: Lang) -> String {
    let (marker, label) = (value.marker().unwrap_or_default(), status_label(value, lang).unwrap_or_default());
    match lang {
        Lang::Fr => format!("{marker} : {label}"),
        Lang::En => format!("{marker}: {label}"),
    }
}

/// The `data-status` of a mark: `secret` or `nd` when its value has no number.
#[must_use]
pub fn status_code(value: Value) -> Option<&'static str> {
    match value {
        Value::Available(_) => None,
        Value::Missing => Some("nd"),
        Value::Secret => Some("secret"),
    }
}

/// A number as plain text with a decimal point, for `data-value`: full precision, never `-0`.
///
/// ```
/// use indicarto::figure::style::plain_number;
/// assert_eq!(plain_number(2708.1), "2708.1");
/// assert_eq!(plain_number(-0.0), "0");
/// ```
#[must_use]
pub fn plain_number(v: f64) -> String {
    // Adding zero turns -0 into +0 and leaves every other number as it is.
    format!("{}", v + 0.0)
}

/// The tag of a mark showing `value` for a territory: `plain` is the number for `data-value` and
/// `shown` the value as written for a reader (tooltip); both are used only when the value is
/// available. Otherwise the label is the status's name and the tag holds no number at all.
#[must_use]
pub fn value_tag(code: &str, name: &str, value: Value, plain: Option<String>, shown: String, lang: Lang) -> Tag {
    Tag {
        code: code.to_owned(),
        name: name.to_owned(),
        value: plain.filter(|_| value.number().is_some()),
        label: status_label(value, lang).map_or(shown, str::to_owned),
        class: None,
        status: status_code(value),
    }
}

/// A text style. Sizes are in points as designers expect; widths are estimated with
/// [`text_width_mm`], bold a little wider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    /// Size in points.
    pub size_pt: f64,
    /// Bold face.
    pub bold: bool,
    /// Colour.
    pub color: Rgb,
}

/// Bold faces run about 7 % wider than regular ones.
const BOLD_WIDTH: f64 = 1.07;

/// The title of a chart or table.
pub const TITLE_FONT: Font = Font { size_pt: 11.5, bold: true, color: INK };
/// The line under a title (indicator, year, unit).
pub const SUBTITLE_FONT: Font = Font { size_pt: 8.5, bold: false, color: MUTED };
/// Names, values and legend entries.
pub const LABEL_FONT: Font = Font { size_pt: 8.0, bold: false, color: INK };
/// Tick labels and axis captions.
pub const TICK_FONT: Font = Font { size_pt: 7.5, bold: false, color: AXIS_COLOR };
/// Notes under a plot.
pub const NOTE_FONT: Font = Font { size_pt: 7.5, bold: false, color: MUTED };
/// The sources block.
pub const SOURCE_FONT: Font = Font { size_pt: 7.0, bold: false, color: MUTED };

impl Font {
    /// The em, in millimetres.
    #[must_use]
    pub fn em(self) -> f64 {
        self.size_pt * MM_PER_PT
    }

    /// The distance between two baselines.
    #[must_use]
    pub fn line_height(self) -> f64 {
        self.em() * 1.25
    }

    /// The estimated width of a text in millimetres.
    #[must_use]
    pub fn width(self, text: &str) -> f64 {
        text_width_mm(text, self.size_pt) * if self.bold { BOLD_WIDTH } else { 1.0 }
    }

    /// The baseline that centres capitals and digits on `y`.
    #[must_use]
    pub fn centred(self, y: f64) -> f64 {
        y + 0.35 * self.em()
    }

    /// The baseline of a line whose box starts at `top`.
    #[must_use]
    pub fn baseline(self, top: f64) -> f64 {
        top + 0.95 * self.em()
    }

    /// The same style in bold.
    #[must_use]
    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    /// The same style in another colour.
    #[must_use]
    pub fn colored(self, color: Rgb) -> Font {
        Font { color, ..self }
    }

    /// The same style at another size.
    #[must_use]
    pub fn sized(self, size_pt: f64) -> Font {
        Font { size_pt, ..self }
    }

    /// The text wrapped to `width` millimetres in this style (see [`super::page::wrap`]).
    #[must_use]
    pub fn wrap(self, text: &str, width: f64) -> Vec<String> {
        super::page::wrap(text, if self.bold { width / BOLD_WIDTH } else { width }, self.size_pt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Fill;

    #[test]
    fn secret_and_missing_are_worded_once_per_language() {
        assert_eq!(status_heading(Value::Secret, Lang::Fr), "Secret statistique");
        assert_eq!(status_heading(Value::Missing, Lang::Fr), "Donnée manquante");
        assert_eq!(status_heading(Value::Secret, Lang::En), "Statistical secrecy");
        assert_eq!(status_heading(Value::Missing, Lang::En), "No data");
        assert_eq!(marker_legend(Value::Secret, Lang::Fr), "s : secret statistique");
        assert_eq!(marker_legend(Value::Missing, Lang::Fr), "nd : donnée manquante");
        assert_eq!(marker_legend(Value::Missing, Lang::En), "nd: no data");
        assert_eq!(status_heading(Value::Available(1.0), Lang::Fr), "");
    }

    #[test]
    fn a_secret_value_never_reaches_a_tag() {
        let secret = value_tag("80021", "Amiens", Value::Secret, Some("12.5".into()), "12,5".into(), Lang::Fr);
        assert_eq!((secret.value, secret.label.as_str(), secret.status), (None, "secret statistique", Some("secret")));
        let missing = value_tag("80021", "Amiens", Value::Missing, None, String::new(), Lang::En);
        assert_eq!((missing.label.as_str(), missing.status), ("no data", Some("nd")));
        let shown =
            value_tag("80021", "Amiens", Value::Available(-0.0), Some(plain_number(-0.0)), "0".into(), Lang::Fr);
        assert_eq!((shown.value.as_deref(), shown.label.as_str(), shown.status), (Some("0"), "0", None));
    }

    #[test]
    fn secret_is_hatched_and_missing_is_grey() {
        assert!(matches!(status_fill(Value::Secret), Some(Fill::Hatch { .. })));
        assert_eq!(status_fill(Value::Missing), Some(Fill::solid(MISSING_GREY)));
        assert_eq!(status_fill(Value::Available(3.0)), None);
        assert_eq!(status_style(Value::Secret).stroke, Some(swatch_stroke()));
    }
}
