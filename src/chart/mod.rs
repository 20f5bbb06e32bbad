//! Charts and tables as figures: pure, deterministic builders that turn plain data (names, codes,
//! [`Value`]s, texts) into a [`Figure`] laid out in millimetres, one file per chart: the comparison
//! bar chart ([`bar_chart`], `bar.rs`), the evolution line chart ([`line_chart`], `line.rs`), the
//! population pyramid ([`pyramid()`], `pyramid.rs`), the position chart, a territory among all
//! units of its level ([`position_chart`], `position.rs`), and the key-figures table
//! ([`table_figure`], `table.rs`). Every value axis goes through one [`axis::Scale`] with nice
//! ticks.
//!
//! Every builder writes the same named layers in the same order where they apply (`title`, `axes`,
//! `gridlines`, the data marks `bars`/`lines`/`points`/`cells`, `labels`, `reference`, `legend`,
//! `sources`), keeps text as text, writes its own texts and numbers in the figure's [`Lang`] (French
//! by default: `12 345,6`; English: `12,345.6`) and tags every data mark with the territory and value
//! it shows. A secret value has no number here at all ([`Value::Secret`]): it is drawn hatched and
//! written « s »; a missing one is grey and written « nd », in both languages. Layer ids never
//! depend on the language; layer labels do. Greys, fonts, fills and the wording of secret and
//! missing values come from [`crate::figure::style`], the page layout from [`crate::figure::page`],
//! the same as maps.
//!
//! This module depends only on the figure model and its kit, [`Value`] and [`crate::text`]. It must
//! not depend on packs, territories or egui: the portrait code resolves indicators and territories
//! into these plain inputs, and the screen and exporters read the resulting figures.

pub mod axis;
mod bar;
#[cfg(test)]
mod fixtures;
mod line;
mod position;
mod pyramid;
mod table;

pub use axis::nice_ticks;
pub use bar::bar_chart;
pub use line::{Series, line_chart};
pub use position::position_chart;
pub use pyramid::pyramid;
pub use table::{TableCell, TableFigure, table_figure};

pub use crate::figure::page::PAGE_WIDTH_MM;
use crate::figure::page::{LayerName, MARGIN_MM, Sheet, header, notes_block, sources_block};
use crate::figure::style::{
    COMPARISON_COLORS, Font, GRID_COLOR, LABEL_FONT, LIGHT_GREY, NOTE_FONT, TERRITORY_COLOR, plain_number,
};
use crate::figure::{Anchor, Figure, Rgb, Stroke, Style};
use crate::text::{Lang, number_with_unit};
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

/// More decimals than this is a data error, not a precision; it would only make labels unreadable.
const MAX_DECIMALS: usize = 6;
/// Left edge of a chart's content.
const LEFT: f64 = MARGIN_MM;
/// Width of a chart's content on the default page.
const WIDTH: f64 = PAGE_WIDTH_MM - 2.0 * MARGIN_MM;

use crate::figure::page::{LEGEND_LAYER, SOURCES_LAYER, TITLE_LAYER};
const AXES_LAYER: LayerName = ("axes", "Axes", "Axes");
const GRID_LAYER: LayerName = ("gridlines", "Quadrillage", "Gridlines");
const LABELS_LAYER: LayerName = ("labels", "Étiquettes", "Labels");
const REFERENCE_LAYER: LayerName = ("reference", "Références", "References");
const BARS_LAYER: LayerName = ("bars", "Barres", "Bars");
const LINES_LAYER: LayerName = ("lines", "Courbes", "Lines");
const POINTS_LAYER: LayerName = ("points", "Points", "Points");
const CELLS_LAYER: LayerName = ("cells", "Cellules", "Cells");

/// Written where a chart has nothing to plot.
fn no_data(lang: Lang) -> &'static str {
    lang.pick("Aucune donnée disponible", "No data available")
}

/// A chart's page on the default width with its layers and its title block; returns the sheet and
/// the y under the title block.
fn chart_sheet(text: &ChartText, layers: &[LayerName]) -> (Sheet, f64) {
    let mut sheet = Sheet::new(&text.title, PAGE_WIDTH_MM, layers, text.lang);
    let y = header(&mut sheet, &text.title, &text.subtitle, LEFT, WIDTH);
    (sheet, y)
}

/// The frame drawn instead of a plot when there is nothing to plot; returns the y under it.
fn no_data_frame(sheet: &mut Sheet, left: f64, width: f64, top: f64) -> f64 {
    const HEIGHT: f64 = 20.0;
    sheet.rect(AXES_LAYER.0, [left, top, width, HEIGHT], Style::outline(Stroke::new(GRID_COLOR, 0.2)), None);
    let baseline = NOTE_FONT.centred(top + HEIGHT / 2.0);
    sheet.text(LABELS_LAYER.0, left + width / 2.0, baseline, no_data(sheet.lang()), NOTE_FONT, Anchor::Middle);
    top + HEIGHT
}

/// A chart with nothing to plot: the frame saying so at `top`, its notes and the sources.
fn no_data_chart(mut sheet: Sheet, text: &ChartText, notes: &[String], top: f64) -> Figure {
    let y = no_data_frame(&mut sheet, LEFT, WIDTH, top) + 2.0;
    let y = notes_block(&mut sheet, LEGEND_LAYER.0, notes, LEFT, WIDTH, y);
    let height = sources_block(&mut sheet, &text.source, LEFT, WIDTH, y);
    sheet.finish(height)
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

/// A computed value (share, index) rounded for its tag, so tags do not carry float noise.
fn plain_derived(v: f64) -> String {
    plain_number((v * 1e4).round() / 1e4)
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
            Role::Other => LIGHT_GREY,
        })
        .collect()
}

/// The territory's name is written in bold, every other one in the label style.
fn name_font(role: Role) -> Font {
    if role == Role::Territory { LABEL_FONT.bold() } else { LABEL_FONT }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::figure::Mark;

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
            "no data",
            "Men",
            "Women",
            "Share of the total population (%)",
            "Broken line: a year under statistical secrecy or with no data.",
            "No data available",
            "France, women",
        ] {
            assert!(all_english.iter().any(|t| t == expected), "« {expected} » missing from English figures");
        }
        for expected in
            ["Titre", "Légende", "s : secret statistique", "nd : donnée manquante", "Hommes", "Courbe interrompue"]
        {
            assert!(all_french.iter().any(|t| t.starts_with(expected)), "« {expected} » missing from French figures");
        }
        assert!(all_english.iter().any(|t| t.contains("base 100 in 2018")), "{all_english:?}");
        assert!(all_english.iter().any(|t| t.contains("(logarithmic scale)")), "{all_english:?}");
        assert!(all_english.iter().any(|t| t.starts_with("Reference without a value: France (nd)")));
        assert!(all_english.iter().any(|t| t == "9 units without a value, 6 of them under statistical secrecy."));
    }

    /// Secret and missing values are worded, hatched and filled alike in every chart and table.
    #[test]
    fn every_chart_words_and_fills_secret_and_missing_values_alike() {
        use crate::figure::style::{MISSING_FILL, SECRET_FILL};
        for (french, english) in both_languages() {
            for figure in [&french, &english] {
                for tag in figure.tags() {
                    let expected = match tag.status {
                        Some("secret") => figure.lang.pick("secret statistique", "statistical secrecy"),
                        Some("nd") => figure.lang.pick("donnée manquante", "no data"),
                        _ => continue,
                    };
                    assert_eq!(tag.label, expected, "{}", figure.title);
                }
                let fills: Vec<_> = figure
                    .layers
                    .iter()
                    .flat_map(|l| &l.marks)
                    .filter_map(|m| match m {
                        Mark::Rect { style, .. } | Mark::Circle { style, .. } | Mark::Path { style, .. } => {
                            Some(style.fill)
                        }
                        _ => None,
                    })
                    .filter(|f| matches!(f, crate::figure::Fill::Hatch { .. }) || *f == MISSING_FILL)
                    .collect();
                assert!(fills.iter().all(|f| *f == SECRET_FILL || *f == MISSING_FILL), "{fills:?}");
            }
        }
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
