//! Test data shared by the chart tests: plausible inputs (densities, population series, age
//! structures, a skewed distribution of communes, a key-figures table) and readers of the figures
//! they give (texts by layer, rectangles, a check that every mark lies on the page).

use super::{ChartText, Entry, Role, Series, TableCell, TableFigure};
use super::{bar_chart, line_chart, position_chart, pyramid, table_figure};
use crate::figure::{Anchor, Figure, MM_PER_PT, Mark, Style, Tag, text_width_mm};
use crate::text::Lang;
use crate::value::Value;

pub(super) fn text(title: &str, unit: &str, decimals: usize) -> ChartText {
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

pub(super) fn entry(code: &str, name: &str, value: Value, role: Role) -> Entry {
    Entry { code: code.to_owned(), name: name.to_owned(), value, role }
}

pub(super) fn densities() -> Vec<Entry> {
    vec![
        entry("80021", "Amiens", Value::Available(2708.1), Role::Territory),
        entry("80", "Somme", Value::Available(91.1), Role::Comparison),
        entry("32", "Hauts-de-France", Value::Available(187.2), Role::Comparison),
        entry("FR", "France", Value::Available(123.6), Role::Comparison),
    ]
}

pub(super) fn population_series() -> Vec<Series> {
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

pub(super) fn bands() -> Vec<String> {
    (0..20).map(|i| if i == 19 { "95 ans et +".to_owned() } else { format!("{}-{} ans", i * 5, i * 5 + 4) }).collect()
}

/// A plausible age structure (counts) with an ageing tail, deterministic.
pub(super) fn age_counts(scale: f64, women_bonus: f64) -> (Vec<Value>, Vec<Value>) {
    let shape = [5.6, 6.1, 6.4, 6.5, 6.0, 5.7, 6.0, 6.2, 6.1, 6.3, 6.5, 6.6, 6.3, 5.7, 5.0, 3.6, 2.6, 1.8, 0.9, 0.25];
    let men = shape.iter().enumerate().map(|(i, s)| Value::Available((s * scale * (1.0 - i as f64 * 0.012)).round()));
    let women =
        shape.iter().enumerate().map(|(i, s)| Value::Available((s * scale * (1.0 + i as f64 * women_bonus)).round()));
    (men.collect(), women.collect())
}

/// A skewed distribution of commune densities, deterministic (a log-normal by inverse ranks).
pub(super) fn communes(n: usize) -> Vec<Entry> {
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

pub(super) fn key_table() -> TableFigure {
    let row = |label: &str, unit: &str, year: &str, values: [Value; 4], decimals| {
        let mut row = vec![TableCell::Text(label.into()), TableCell::Text(unit.into()), TableCell::Text(year.into())];
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
            row("Part des 75 ans et plus dans la population totale", "%", "2021", [a(7.4), a(9.6), a(8.9), a(9.8)], 1),
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

pub(super) fn texts(figure: &Figure) -> Vec<&str> {
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

pub(super) fn layer_ids(figure: &Figure) -> Vec<&str> {
    figure.layers.iter().map(|l| l.id.as_str()).collect()
}

/// The polylines of a layer: their number of points and the code in their tag.
pub(super) fn polylines<'a>(figure: &'a Figure, id: &str) -> Vec<(usize, &'a str)> {
    layer(figure, id)
        .iter()
        .filter_map(|m| match m {
            Mark::Polyline { points, tag, .. } => Some((points.len(), tag.as_ref().unwrap().code.as_str())),
            _ => None,
        })
        .collect()
}

pub(super) fn layer<'a>(figure: &'a Figure, id: &str) -> &'a [Mark] {
    &figure.layers.iter().find(|l| l.id == id).unwrap().marks
}

/// Every coordinate of every mark is a finite number inside the page (strokes aside).
pub(super) fn assert_sane(figure: &Figure) {
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

pub(super) fn all_figures() -> Vec<Figure> {
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
pub(super) type RectParts<'a> = (f64, f64, f64, f64, &'a Style, Option<&'a Tag>);

pub(super) fn rects<'a>(figure: &'a Figure, id: &str) -> Vec<RectParts<'a>> {
    layer(figure, id)
        .iter()
        .filter_map(|m| match m {
            Mark::Rect { x, y, width, height, style, tag } => Some((*x, *y, *width, *height, style, tag.as_ref())),
            _ => None,
        })
        .collect()
}

pub(super) fn texts_in<'a>(figure: &'a Figure, id: &str) -> Vec<(f64, f64, &'a str, f64, Anchor)> {
    layer(figure, id)
        .iter()
        .filter_map(|m| match m {
            Mark::Text { x, y, text, size_pt, anchor, .. } => Some((*x, *y, text.as_str(), *size_pt, *anchor)),
            _ => None,
        })
        .collect()
}

/// The box of a text: left, top, right, bottom.
pub(super) fn text_box(x: f64, y: f64, text: &str, size_pt: f64, anchor: Anchor) -> [f64; 4] {
    let w = text_width_mm(text, size_pt);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    [left, y - 0.72 * size_pt * MM_PER_PT, left + w, y]
}

pub(super) fn overlap(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

pub(super) fn digitless(title: &str) -> ChartText {
    ChartText {
        title: title.to_owned(),
        subtitle: "Taux de mortalité prématurée".to_owned(),
        source: "Source : Inserm CépiDc. Traitement OR".to_owned(),
        unit: "pour cent mille".to_owned(),
        decimals: 1,
        lang: Lang::Fr,
    }
}

/// The chart's inputs as an English user would give them: English subtitle and source.
pub(super) fn english(mut text: ChartText) -> ChartText {
    text.subtitle = "Population density, 2021".to_owned();
    text.source = "Source: Insee, population census 2021. Processing: regional health observatory.".to_owned();
    text.lang = Lang::En;
    text
}

/// Every text of a figure that a reader or a designer sees: marks, layer labels, tag names and
/// labels (tooltips).
pub(super) fn visible_texts(figure: &Figure) -> Vec<String> {
    let mut out: Vec<String> = texts(figure).into_iter().map(String::from).collect();
    out.extend(figure.layers.iter().map(|l| l.label.clone()));
    out.extend(figure.tags().flat_map(|t| [t.name.clone(), t.label.clone()]));
    out
}
