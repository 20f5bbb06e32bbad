//! The drawing model every illustration goes through: a [`Figure`] is a page in millimetres with
//! named layers of marks (filled paths with holes, polylines, rectangles, circles, text), each mark
//! optionally tagged with the territory and value it shows.
//!
//! Charts, tables and maps are built as figures by [`crate::chart`] and [`crate::map`]; the screen
//! and every exporter read only figures, never domain types. Coordinates are millimetres from the
//! top-left corner of the page, y downwards. Building a figure is pure and deterministic.
//!
//! Beside the model, the one kit every builder draws with: [`style`] (greys, colours, fonts, the
//! secret hatch and the missing fill with their wording, tags from values) and [`page`] (a sheet
//! with its layers in order, text wrapping, title, notes, legend flow, sources). The model depends
//! on nothing else in the crate but [`Lang`], the language a figure declares; the kit adds
//! [`crate::value`] and [`crate::text`]'s number formatting. None of it knows packs or territories.

pub mod page;
pub mod style;

use crate::text::Lang;

/// An sRGB colour, opaque; transparency is carried separately (`fill_opacity`) because design tools
/// handle `rgba()` poorly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Parses `#rrggbb`.
    ///
    /// ```
    /// use indicarto::figure::Rgb;
    /// assert_eq!(Rgb::from_hex("#08519c"), Some(Rgb(8, 81, 156)));
    /// assert_eq!(Rgb::from_hex("08519c"), None);
    /// ```
    #[must_use]
    pub fn from_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#rrggbb`.
    #[must_use]
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a closed shape is filled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// Not filled.
    None,
    /// A flat colour with an opacity (1 = opaque).
    Solid {
        /// Colour.
        color: Rgb,
        /// Opacity, 0–1.
        opacity: f32,
    },
    /// Diagonal hatching over a background: the "secret statistique" swatch.
    Hatch {
        /// Colour of the lines.
        line: Rgb,
        /// Colour behind them.
        background: Rgb,
    },
}

impl Fill {
    /// An opaque flat colour.
    #[must_use]
    pub fn solid(color: Rgb) -> Fill {
        Fill::Solid { color, opacity: 1.0 }
    }
}

/// An outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub color: Rgb,
    /// Width in millimetres.
    pub width_mm: f64,
    /// Opacity, 0–1.
    pub opacity: f32,
    /// Dash pattern in millimetres, empty for a solid line.
    pub dash_mm: Vec<f64>,
}

impl Stroke {
    /// A solid opaque line.
    #[must_use]
    pub fn new(color: Rgb, width_mm: f64) -> Stroke {
        Stroke { color, width_mm, opacity: 1.0, dash_mm: Vec::new() }
    }

    /// The same line, dashed.
    #[must_use]
    pub fn dashed(mut self, dash_mm: &[f64]) -> Stroke {
        self.dash_mm = dash_mm.to_vec();
        self
    }
}

/// Fill and outline of a shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Fill.
    pub fill: Fill,
    /// Outline, if any.
    pub stroke: Option<Stroke>,
}

impl Style {
    /// A filled shape without outline.
    #[must_use]
    pub fn fill(color: Rgb) -> Style {
        Style { fill: Fill::solid(color), stroke: None }
    }

    /// An outline without fill.
    #[must_use]
    pub fn outline(stroke: Stroke) -> Style {
        Style { fill: Fill::None, stroke: Some(stroke) }
    }
}

/// What a mark shows, for interactive tooltips and for `id`/`data-*` attributes in SVG. A secret
/// value is never put in a tag: `value` is `None` and `status` says why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tag {
    /// Territory code.
    pub code: String,
    /// Territory name.
    pub name: String,
    /// The value as plain text with a decimal point (`1234.5`), when it may be shown.
    pub value: Option<String>,
    /// The value as shown to users (`1 234,5 hab./km²`, `secret statistique`).
    pub label: String,
    /// Class index (0-based) on a classified map.
    pub class: Option<usize>,
    /// `secret` or `nd` when there is no value.
    pub status: Option<&'static str>,
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at x.
    Start,
    /// The text is centred on x.
    Middle,
    /// The text ends at x.
    End,
}

/// A mark on a layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A filled shape made of closed rings (holes included), filled with the even-odd rule.
    Path {
        /// Rings, each a list of points; closing is implied.
        rings: Vec<Vec<[f64; 2]>>,
        /// Style.
        style: Style,
        /// What it shows.
        tag: Option<Tag>,
    },
    /// An open line.
    Polyline {
        /// Points.
        points: Vec<[f64; 2]>,
        /// Outline.
        stroke: Stroke,
        /// What it shows.
        tag: Option<Tag>,
    },
    /// A rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        width: f64,
        /// Height.
        height: f64,
        /// Style.
        style: Style,
        /// What it shows.
        tag: Option<Tag>,
    },
    /// A circle.
    Circle {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
        /// Style.
        style: Style,
        /// What it shows.
        tag: Option<Tag>,
    },
    /// A line of text, kept as text in every vector output.
    Text {
        /// Anchor point x.
        x: f64,
        /// Baseline y.
        y: f64,
        /// The text.
        text: String,
        /// Size in points (1 pt = 0.3528 mm).
        size_pt: f64,
        /// Horizontal anchor.
        anchor: Anchor,
        /// Bold.
        bold: bool,
        /// Colour.
        color: Rgb,
    },
}

/// A named layer: one top-level group in SVG, one layer in Inkscape and Illustrator.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Identifier, readable and unique in the figure (`title`, `legend`, `communes`).
    pub id: String,
    /// Label shown in design tools (`Titre`, `Légende`).
    pub label: String,
    /// Marks, drawn in order.
    pub marks: Vec<Mark>,
}

impl Layer {
    /// An empty layer.
    #[must_use]
    pub fn new(id: &str, label: &str) -> Layer {
        Layer { id: id.to_owned(), label: label.to_owned(), marks: Vec::new() }
    }
}

/// One illustration: a page and its layers, bottom first.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Page width in millimetres.
    pub width_mm: f64,
    /// Page height in millimetres.
    pub height_mm: f64,
    /// Document title (the SVG `<title>`, the PDF title).
    pub title: String,
    /// Language of the figure's texts, declared in its PDF for screen readers; French by default.
    pub lang: Lang,
    /// Layers, drawn in order.
    pub layers: Vec<Layer>,
    /// For a map: where its frame lies on the ground (lets the window draw a tile background under it).
    pub georeference: Option<Georeference>,
}

/// Where a map's frame lies on the ground: page millimetres from projected coordinates, in the CRS given.
///
/// `page_x = page_x0 + (x - x0) · scale`, `page_y = page_y0 + (y0 - y) · scale` (the page's y goes down).
#[derive(Debug, Clone, PartialEq)]
pub struct Georeference {
    /// The CRS of the map's coordinates, as a PROJ.4 definition.
    pub proj4: String,
    /// Page millimetres per CRS unit.
    pub scale: f64,
    /// A ground point (CRS units)…
    pub ground: [f64; 2],
    /// …and where it is on the page (mm).
    pub page: [f64; 2],
    /// The map frame on the page (x, y, width, height in mm): legend, titles and sources lie outside it.
    pub frame: [f64; 4],
}

impl Georeference {
    /// Page millimetres of a ground point.
    #[must_use]
    pub fn to_page(&self, x: f64, y: f64) -> [f64; 2] {
        [self.page[0] + (x - self.ground[0]) * self.scale, self.page[1] + (self.ground[1] - y) * self.scale]
    }

    /// Ground point of a page position.
    #[must_use]
    pub fn to_ground(&self, page_x: f64, page_y: f64) -> [f64; 2] {
        [self.ground[0] + (page_x - self.page[0]) / self.scale, self.ground[1] - (page_y - self.page[1]) / self.scale]
    }
}

/// Millimetres in a typographic point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

impl Figure {
    /// An empty page.
    #[must_use]
    pub fn new(width_mm: f64, height_mm: f64, title: &str) -> Figure {
        Figure {
            width_mm,
            height_mm,
            title: title.to_owned(),
            lang: Lang::default(),
            layers: Vec::new(),
            georeference: None,
        }
    }

    /// The layer with this id, created at the top if absent.
    pub fn layer(&mut self, id: &str, label: &str) -> &mut Layer {
        let index = self.layers.iter().position(|l| l.id == id).unwrap_or_else(|| {
            self.layers.push(Layer::new(id, label));
            self.layers.len() - 1
        });
        &mut self.layers[index]
    }

    /// The texts a reader or a designer sees: text marks, layer labels (Inkscape's layer names) and
    /// the labels of tagged marks (tooltips), in drawing order.
    #[must_use]
    pub fn visible_texts(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .layers
            .iter()
            .flat_map(|l| &l.marks)
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        out.extend(self.layers.iter().map(|l| l.label.clone()));
        out.extend(self.tags().map(|t| t.label.clone()));
        out
    }

    /// Every tag in the figure, in drawing order.
    pub fn tags(&self) -> impl Iterator<Item = &Tag> {
        self.layers.iter().flat_map(|l| l.marks.iter()).filter_map(|m| match m {
            Mark::Path { tag, .. } | Mark::Polyline { tag, .. } | Mark::Rect { tag, .. } | Mark::Circle { tag, .. } => {
                tag.as_ref()
            }
            Mark::Text { .. } => None,
        })
    }
}

/// Approximate width of a text in millimetres, for layout before any font is loaded: the average
/// advance of a sans-serif face is about half the size, wider for capitals and digits.
#[must_use]
pub fn text_width_mm(text: &str, size_pt: f64) -> f64 {
    let em = size_pt * MM_PER_PT;
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | '\u{202f}' | '\u{a0}' => 0.28,
            'm' | 'w' | 'M' | 'W' | '—' => 0.85,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.62,
            _ => 0.52,
        })
        .sum::<f64>()
        * em
}
