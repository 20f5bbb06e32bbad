//! SVG export for designers: the figure's layers become top-level groups that Inkscape
//! (`inkscape:groupmode="layer"`) and Illustrator (`i:layer="yes"`) both show as named layers; every
//! tagged mark gets a readable `id` and `data-code`, `data-name`, `data-value`, `data-class`
//! attributes (never the value of a secret unit); text stays `<text>` with a font fallback list; the
//! page is sized in millimetres with `viewBox="0 0 w h"`; no filters, no `rgba()`, no clip paths;
//! coordinates rounded to 0.01 mm.
//!
//! The element tree is built with the `svg` crate and serialised, and escaped, in one place. Output is
//! byte-stable: attributes are written sorted and marks in figure order.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use svg::Node;
use svg::node::Blob;
use svg::node::element::{Circle, Definitions, Element, Group, Line, Path, Pattern, Polyline, Rectangle, Text, Title};

use crate::figure::{Anchor, Figure, Fill, MM_PER_PT, Mark, Rgb, Stroke, Style, Tag};

/// Font families written on every text: the bundled face first, then what design tools have.
pub const FONT_FAMILY: &str = "'Liberation Sans', Arial, Helvetica, sans-serif";
/// Illustrator refuses paths with more points than this.
pub const MAX_POINTS_PER_PATH: usize = 32_000;

/// An SVG document and the problems found while writing it.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOutput {
    /// The document.
    pub text: String,
    /// For example paths too long for Illustrator.
    pub warnings: Vec<String>,
}

/// Writes a figure as SVG.
#[must_use]
pub fn to_svg(figure: &Figure) -> SvgOutput {
    let mut warnings = Vec::new();
    let mut document = svg::Document::new()
        .set("xmlns:inkscape", "http://www.inkscape.org/namespaces/inkscape")
        .set("xmlns:i", "http://ns.adobe.com/AdobeIllustrator/10.0/")
        .set("width", format!("{}mm", num(figure.width_mm)))
        .set("height", format!("{}mm", num(figure.height_mm)))
        .set("viewBox", format!("0 0 {} {}", num(figure.width_mm), num(figure.height_mm)))
        .add(Title::new(figure.title.as_str()));

    let hatches: BTreeSet<(Rgb, Rgb)> = figure
        .layers
        .iter()
        .flat_map(|l| l.marks.iter())
        .filter_map(|m| match m {
            Mark::Path { style, .. } | Mark::Rect { style, .. } | Mark::Circle { style, .. } => match style.fill {
                Fill::Hatch { line, background } => Some((line, background)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if !hatches.is_empty() {
        let mut defs = Definitions::new();
        for (line, background) in &hatches {
            defs.append(hatch_pattern(*line, *background));
        }
        document.append(defs);
    }

    let mut ids = Ids::default();
    for layer in &figure.layers {
        let mut group = Group::new()
            .set("id", layer.id.as_str())
            .set("inkscape:groupmode", "layer")
            .set("inkscape:label", layer.label.as_str())
            .set("i:layer", "yes");
        // A stroke shared by every shape of the layer (the borders of a choropleth) is set once on
        // the layer: a designer restyles all borders in one place, and the file is lighter.
        let shared = shared_stroke(layer);
        if let Some(stroke) = shared {
            let mut element: Element = group.into();
            apply_stroke(&mut element, stroke);
            group = Group::new();
            for (name, value) in element.get_attributes() {
                group.assign(name.as_str(), value.clone());
            }
        }
        let mark_ids: Vec<Option<String>> =
            layer.marks.iter().map(|m| mark_tag(m).map(|t| ids.unique(format!("{}-{}", layer.id, t.code)))).collect();
        for (text, chunk_warnings) in serialise_marks(&layer.marks, &mark_ids, &layer.id, shared) {
            group.append(Blob::new(text));
            warnings.extend(chunk_warnings);
        }
        document.append(group);
    }
    let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(text, "{document}");
    text.push('\n');
    SvgOutput { text, warnings }
}

fn hatch_id(line: Rgb, background: Rgb) -> String {
    format!("hachures-{}-{}", &line.to_hex()[1..], &background.to_hex()[1..])
}

/// Diagonal lines 0.25 mm wide every 1.2 mm, in user units (mm) so the hatching keeps its density
/// whatever the shape.
fn hatch_pattern(line: Rgb, background: Rgb) -> Pattern {
    Pattern::new()
        .set("id", hatch_id(line, background))
        .set("patternUnits", "userSpaceOnUse")
        .set("width", 1.2)
        .set("height", 1.2)
        .set("patternTransform", "rotate(45)")
        .add(Rectangle::new().set("width", 1.2).set("height", 1.2).set("fill", background.to_hex()))
        .add(
            Line::new()
                .set("x1", 0)
                .set("y1", 0)
                .set("x2", 0)
                .set("y2", 1.2)
                .set("stroke", line.to_hex())
                .set("stroke-width", 0.5),
        )
}

/// Element ids already used in the document: a territory drawn several times on one layer (the
/// points of a line chart) gets `-2`, `-3`… so ids stay unique, as XML requires.
#[derive(Default)]
struct Ids(std::collections::HashMap<String, usize>);

impl Ids {
    fn unique(&mut self, base: String) -> String {
        let n = self.0.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }
}

/// Marks per worker thread above which a layer is serialised in parallel.
const PARALLEL_CHUNK: usize = 2048;

/// Serialises a layer's marks, each through the `svg` crate, in parallel chunks for big layers (a
/// France commune map has 35,000 paths). Every element is followed by a line break except the last of
/// the layer, exactly as the crate writes children, so the output does not depend on the number of
/// cores.
fn serialise_marks(
    marks: &[Mark],
    ids: &[Option<String>],
    layer_id: &str,
    shared: Option<&Stroke>,
) -> Vec<(String, Vec<String>)> {
    if marks.is_empty() {
        return Vec::new();
    }
    let chunk = |marks: &[Mark], ids: &[Option<String>]| {
        let mut text = String::new();
        let mut warnings = Vec::new();
        for (i, (mark, id)) in marks.iter().zip(ids).enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let _ = write!(text, "{}", mark_element(mark, layer_id, shared, id.clone(), &mut warnings));
        }
        (text, warnings)
    };
    crate::parallel::map_ranges(marks.len(), PARALLEL_CHUNK, |range| chunk(&marks[range.clone()], &ids[range]))
}

fn mark_tag(mark: &Mark) -> Option<&Tag> {
    match mark {
        Mark::Path { tag, .. } | Mark::Polyline { tag, .. } | Mark::Rect { tag, .. } | Mark::Circle { tag, .. } => {
            tag.as_ref()
        }
        Mark::Text { .. } => None,
    }
}

/// The stroke every filled shape of the layer has, when there are several and they all agree.
fn shared_stroke(layer: &crate::figure::Layer) -> Option<&Stroke> {
    let mut strokes = layer.marks.iter().map(|m| match m {
        Mark::Path { style, .. } | Mark::Rect { style, .. } | Mark::Circle { style, .. } => Some(style.stroke.as_ref()),
        Mark::Polyline { .. } | Mark::Text { .. } => None,
    });
    let first = strokes.next()???;
    let mut count = 1;
    for stroke in strokes {
        if stroke? != Some(first) {
            return None;
        }
        count += 1;
    }
    (count > 1).then_some(first)
}

fn mark_element(
    mark: &Mark,
    layer_id: &str,
    shared: Option<&Stroke>,
    id: Option<String>,
    warnings: &mut Vec<String>,
) -> Element {
    match mark {
        Mark::Path { rings, style, tag } => {
            let points: usize = rings.iter().map(Vec::len).sum();
            if points > MAX_POINTS_PER_PATH {
                warnings.push(format!(
                    "{} : {points} points dans un seul tracé ; Illustrator n'en accepte que {MAX_POINTS_PER_PATH}",
                    tag.as_ref().map_or(layer_id, |t| t.name.as_str())
                ));
            }
            let mut element: Element = Path::new().set("d", path_data(rings)).into();
            if rings.len() > 1 {
                element.assign("fill-rule", "evenodd");
            }
            apply_style(&mut element, style, shared);
            apply_tag(&mut element, tag.as_ref(), id);
            element
        }
        Mark::Polyline { points, stroke, tag } => {
            let mut data = String::with_capacity(points.len() * 14);
            for (i, p) in points.iter().enumerate() {
                if i > 0 {
                    data.push(' ');
                }
                push_num(&mut data, p[0]);
                data.push(',');
                push_num(&mut data, p[1]);
            }
            let mut element: Element = Polyline::new().set("points", data).set("fill", "none").into();
            apply_stroke(&mut element, stroke);
            apply_tag(&mut element, tag.as_ref(), id);
            element
        }
        Mark::Rect { x, y, width, height, style, tag } => {
            let mut element: Element = Rectangle::new()
                .set("x", num(*x))
                .set("y", num(*y))
                .set("width", num(*width))
                .set("height", num(*height))
                .into();
            apply_style(&mut element, style, shared);
            apply_tag(&mut element, tag.as_ref(), id);
            element
        }
        Mark::Circle { cx, cy, r, style, tag } => {
            let mut element: Element = Circle::new().set("cx", num(*cx)).set("cy", num(*cy)).set("r", num(*r)).into();
            apply_style(&mut element, style, shared);
            apply_tag(&mut element, tag.as_ref(), id);
            element
        }
        Mark::Text { x, y, text, size_pt, anchor, bold, color } => {
            let mut element = Text::new(text.as_str())
                .set("x", num(*x))
                .set("y", num(*y))
                .set("font-family", FONT_FAMILY)
                .set("font-size", num(size_pt * MM_PER_PT))
                .set("fill", color.to_hex());
            match anchor {
                Anchor::Start => {}
                Anchor::Middle => element.assign("text-anchor", "middle"),
                Anchor::End => element.assign("text-anchor", "end"),
            }
            if *bold {
                element.assign("font-weight", "bold");
            }
            element.into()
        }
    }
}

fn apply_style(element: &mut Element, style: &Style, shared: Option<&Stroke>) {
    match style.fill {
        Fill::None => element.assign("fill", "none"),
        Fill::Solid { color, opacity } => {
            element.assign("fill", color.to_hex());
            if opacity < 1.0 {
                element.assign("fill-opacity", num(f64::from(opacity)));
            }
        }
        Fill::Hatch { line, background } => element.assign("fill", format!("url(#{})", hatch_id(line, background))),
    }
    if let Some(stroke) = &style.stroke
        && Some(stroke) != shared
    {
        apply_stroke(element, stroke);
    }
}

fn apply_stroke(element: &mut Element, stroke: &Stroke) {
    element.assign("stroke", stroke.color.to_hex());
    element.assign("stroke-width", num(stroke.width_mm));
    element.assign("stroke-linejoin", "round");
    element.assign("stroke-linecap", "round");
    if stroke.opacity < 1.0 {
        element.assign("stroke-opacity", num(f64::from(stroke.opacity)));
    }
    if !stroke.dash_mm.is_empty() {
        element.assign("stroke-dasharray", stroke.dash_mm.iter().map(|d| num(*d)).collect::<Vec<_>>().join(" "));
    }
}

fn apply_tag(element: &mut Element, tag: Option<&Tag>, id: Option<String>) {
    let Some(tag) = tag else { return };
    // XML ids cannot start with a digit, and codes often do (02691): the layer id is their prefix.
    if let Some(id) = id {
        element.assign("id", id);
    }
    element.assign("data-code", tag.code.as_str());
    element.assign("data-name", tag.name.as_str());
    if let Some(value) = &tag.value {
        element.assign("data-value", value.as_str());
    }
    if let Some(class) = tag.class {
        element.assign("data-class", class.to_string());
    }
    if let Some(status) = tag.status {
        element.assign("data-status", status);
    }
}

/// Path data with absolute coordinates rounded to 0.01 mm; points that round onto the previous one
/// are dropped, which keeps dense boundaries light without moving any border.
fn path_data(rings: &[Vec<[f64; 2]>]) -> String {
    let mut data = String::with_capacity(rings.iter().map(Vec::len).sum::<usize>() * 14);
    for ring in rings {
        let mut last: Option<(i64, i64)> = None;
        let mut written = 0usize;
        for point in ring {
            let key = (round_centi(point[0]), round_centi(point[1]));
            if last == Some(key) {
                continue;
            }
            data.push(if written == 0 { 'M' } else { 'L' });
            push_centi(&mut data, key.0);
            data.push(' ');
            push_centi(&mut data, key.1);
            last = Some(key);
            written += 1;
        }
        if written > 0 {
            data.push('Z');
        }
    }
    data
}

fn round_centi(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

/// Writes a number given in hundredths without allocating: `12345` → `123.45`, `-5` → `-0.05`,
/// `1200` → `12`. Digits are produced by hand: this runs for every vertex of every map, and going
/// through `core::fmt` was the largest cost of writing a France-scale SVG.
fn push_centi(out: &mut String, centi: i64) {
    let abs = centi.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    if centi < 0 {
        out.push('-');
    }
    push_digits(out, int);
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if frac % 10 != 0 {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

fn push_digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &buf[i..] {
        out.push(char::from(digit));
    }
}

fn push_num(out: &mut String, v: f64) {
    push_centi(out, round_centi(v));
}

/// A number rounded to 0.01 and written without trailing zeros.
fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Layer, Stroke};

    #[test]
    fn numbers_are_rounded_without_trailing_zeros() {
        for (v, expected) in
            [(12.0, "12"), (12.345, "12.35"), (-0.004, "0"), (-0.05, "-0.05"), (3.1, "3.1"), (1e6, "1000000")]
        {
            assert_eq!(num(v), expected, "{v}");
        }
    }

    #[test]
    fn repeated_points_after_rounding_are_dropped() {
        let d = path_data(&[vec![[0.0, 0.0], [0.001, 0.002], [10.0, 0.0], [10.0, 10.0]]]);
        assert_eq!(d, "M0 0L10 0L10 10Z");
    }

    #[test]
    fn layers_ids_tags_and_escaping() {
        let mut figure = Figure::new(100.0, 50.0, "Carte <test> & \"essai\"");
        let layer: &mut Layer = figure.layer("communes", "Communes");
        layer.marks.push(Mark::Path {
            rings: vec![vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]],
            style: Style {
                fill: Fill::Hatch { line: Rgb(80, 80, 80), background: Rgb::WHITE },
                stroke: Some(Stroke::new(Rgb::BLACK, 0.1)),
            },
            tag: Some(Tag {
                code: "02691".into(),
                name: "Saint-Quentin".into(),
                value: None,
                label: "secret statistique".into(),
                class: None,
                status: Some("secret"),
            }),
        });
        let svg = to_svg(&figure).text;
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let group = doc.descendants().find(|n| n.attribute("id") == Some("communes")).unwrap();
        assert_eq!(group.attribute(("http://www.inkscape.org/namespaces/inkscape", "groupmode")), Some("layer"));
        assert_eq!(group.attribute(("http://ns.adobe.com/AdobeIllustrator/10.0/", "layer")), Some("yes"));
        let path = doc.descendants().find(|n| n.attribute("data-code") == Some("02691")).unwrap();
        assert_eq!(path.attribute("id"), Some("communes-02691"));
        assert_eq!(path.attribute("data-value"), None);
        assert!(path.attribute("fill").unwrap().starts_with("url(#hachures-"));
        assert_eq!(
            doc.descendants().find(|n| n.has_tag_name("title")).unwrap().text(),
            Some("Carte <test> & \"essai\"")
        );
        assert!(!svg.contains("rgba(") && !svg.contains("<filter") && !svg.contains("clipPath"));
    }
}
