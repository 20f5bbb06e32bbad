//! Tests of whole maps: rebuilding equals re-colouring, English furniture, the georeference, an
//! empty map.

use geo::{MultiPolygon, polygon};

use super::*;
use crate::classify::{Method, classify};

/// A 10 km square whose lower left corner is at (x, y) km.
fn square(x: f64, y: f64) -> MultiPolygon<f64> {
    let (x, y) = (x * 1000.0, y * 1000.0);
    MultiPolygon(vec![polygon![
        (x: x, y: y),
        (x: x + 10_000.0, y: y),
        (x: x + 10_000.0, y: y + 10_000.0),
        (x: x, y: y + 10_000.0),
        (x: x, y: y),
    ]])
}

const NAMES: [&str; 6] = ["Amiens", "Boves", "Camon", "Dury", "Longueau", "Salouël"];
const VALUES: [Value; 6] = [
    Value::Available(2707.5),
    Value::Available(12_345.6),
    Value::Available(1234.0),
    Value::Secret,
    Value::Missing,
    Value::Available(503.25),
];

fn spec<'a>(geometries: &'a [MultiPolygon<f64>], symbolisation: Symbolisation, unit: &str, lang: Lang) -> MapSpec<'a> {
    let units = geometries
        .iter()
        .enumerate()
        .map(|(i, geometry)| MapUnit { code: NAMES[i], name: NAMES[i], geometry, value: VALUES[i] })
        .collect();
    MapSpec {
        title: "Density".into(),
        subtitle: "Population density, 2023".into(),
        source: "Source: Insee.".into(),
        unit: unit.into(),
        decimals: 1,
        units,
        borders: vec![&geometries[0]],
        outline: Some(&geometries[1]),
        symbolisation,
        units_layer: "communes".into(),
        units_label: "Communes".into(),
        width_mm: 180.0,
        height_mm: 160.0,
        lang,
        crs: None,
    }
}

fn geometries() -> Vec<MultiPolygon<f64>> {
    (0..6).map(|i| square(f64::from(i % 3) * 10.0, f64::from(i / 3) * 10.0)).collect()
}

fn choropleth() -> Symbolisation {
    let values: Vec<f64> = VALUES.iter().filter_map(|v| v.number()).collect();
    let classification = classify(&values, &Method::EqualInterval, 3).unwrap();
    Symbolisation::Choropleth { classification, colors: vec![Rgb(1, 1, 1), Rgb(2, 2, 2), Rgb(3, 3, 3)] }
}

#[test]
fn restyling_gives_the_figure_a_rebuild_would_give() {
    let geometries = geometries();
    let values: Vec<f64> = VALUES.iter().filter_map(|v| v.number()).collect();
    let before = spec(&geometries, choropleth(), "hab./km²", Lang::Fr);
    let classification = classify(&values, &Method::Quantile, 4).unwrap();
    let colors = crate::palette::palette("RdYlBu").unwrap().colors(4).unwrap();
    let after = spec(&geometries, Symbolisation::Choropleth { classification, colors }, "hab./km²", Lang::Fr);
    let mut figure = map_figure(&before);
    assert!(restyle(&mut figure, &after));
    assert_eq!(figure, map_figure(&after), "same as built from scratch");
    // Other units, circles or another language: refused, the figure untouched.
    let circles = spec(&geometries, Symbolisation::Circles, "hab./km²", Lang::Fr);
    let english = spec(&geometries, choropleth(), "hab./km²", Lang::En);
    let fewer = spec(&geometries[..5], choropleth(), "hab./km²", Lang::Fr);
    for other in [circles, english, fewer] {
        let mut kept = map_figure(&before);
        assert!(!restyle(&mut kept, &other));
        assert_eq!(kept, map_figure(&before));
    }
}

fn layer_ids(figure: &Figure) -> Vec<&str> {
    figure.layers.iter().map(|l| l.id.as_str()).collect()
}

const FRENCH_WORDS: [&str; 13] = [
    "Titre",
    "Légende",
    "Valeurs",
    "En ",
    "Méthode",
    "Intervalles",
    "ecret statistique",
    "onnée manquante",
    "Limites",
    "Territoire d'étude",
    "Échelle",
    "Nord",
    "fond",
];

#[test]
fn english_maps_have_english_texts_and_the_same_layer_ids() {
    let geometries = geometries();
    for (symbolisation, unit) in [(choropleth(), "hab./km²"), (Symbolisation::Circles, ""), (choropleth(), "")] {
        let circles = symbolisation == Symbolisation::Circles;
        let french = map_figure(&spec(&geometries, symbolisation.clone(), unit, Lang::Fr));
        let english = map_figure(&spec(&geometries, symbolisation, unit, Lang::En));
        assert_eq!(layer_ids(&french), layer_ids(&english));
        let codes = |f: &Figure| f.tags().map(|t| (t.code.clone(), t.status, t.value.clone())).collect::<Vec<_>>();
        assert_eq!(codes(&french), codes(&english));
        let texts = english.visible_texts();
        for text in &texts {
            for word in FRENCH_WORDS {
                assert!(!text.contains(word), "« {word} » in « {text} »");
            }
        }
        for expected in ["Title", "Legend", "Borders", "Study area", "Scale", "North"] {
            assert!(texts.iter().any(|t| t == expected), "{expected} in {texts:?}");
        }
        assert!(texts.contains(&"Statistical secrecy  (1)".to_owned()), "{texts:?}");
        assert!(texts.contains(&"No data  (1)".to_owned()), "{texts:?}");
        // Secret units have no circle, hence no tooltip, on a circle map.
        assert_eq!(texts.contains(&"statistical secrecy".to_owned()), !circles, "{texts:?}");
        assert_eq!(texts.contains(&"no data".to_owned()), !circles, "{texts:?}");
        let french_texts = french.visible_texts();
        assert!(french_texts.contains(&"Secret statistique  (1)".to_owned()), "{french_texts:?}");
        assert!(french_texts.contains(&"Légende".to_owned()));
    }
}

#[test]
fn english_legend_and_labels_write_numbers_the_english_way() {
    let geometries = geometries();
    let english = map_figure(&spec(&geometries, choropleth(), "hab./km²", Lang::En)).visible_texts();
    assert!(english.contains(&"In hab./km²".to_owned()), "{english:?}");
    assert!(english.contains(&"Method: Equal intervals".to_owned()), "{english:?}");
    assert!(english.contains(&"12,345.6\u{a0}hab./km²".to_owned()), "tooltip: {english:?}");
    // 503.25 rounds half away from zero, as Insee and Excel print it.
    assert!(english.iter().any(|t| t.starts_with("[503.3") && t.contains(" – ")), "{english:?}");
    assert!(english.iter().any(|t| t.starts_with('(') && t.contains("12,345.6]")), "{english:?}");
    let french = map_figure(&spec(&geometries, choropleth(), "hab./km²", Lang::Fr)).visible_texts();
    assert!(french.contains(&"En hab./km²".to_owned()), "{french:?}");
    assert!(french.contains(&"Méthode : Intervalles égaux".to_owned()), "{french:?}");
    assert!(french.contains(&"12\u{202f}345,6\u{a0}hab./km²".to_owned()), "{french:?}");
    assert!(french.iter().any(|t| t.starts_with(']') && t.contains("12\u{202f}345,6]")), "{french:?}");
    let circles = map_figure(&spec(&geometries, Symbolisation::Circles, "", Lang::En)).visible_texts();
    assert!(circles.contains(&"Values".to_owned()) && circles.contains(&"10,000.0".to_owned()), "{circles:?}");
    assert!(circles.iter().any(|t| t.ends_with(" km")), "{circles:?}");
}

/// The georeference a map records places the ground where the map drew it, inside the map frame.
#[test]
fn the_georeference_agrees_with_the_drawn_units() {
    let geometries = geometries();
    let proj4 = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000";
    let mut spec = spec(&geometries, choropleth(), "", Lang::Fr);
    assert!(map_figure(&spec).georeference.is_none(), "no CRS given, no georeference");
    spec.crs = Some(proj4.to_owned());
    let figure = map_figure(&spec);
    let georeference = figure.georeference.clone().expect("a georeference");
    assert_eq!(georeference.proj4, proj4);
    let layer = figure.layers.iter().find(|l| l.id == "communes").expect("units layer");
    for (geometry, mark) in geometries.iter().zip(&layer.marks) {
        let Mark::Path { rings, .. } = mark else { panic!("a unit is a path") };
        for (ground, page) in geometry.0[0].exterior().0.iter().zip(&rings[0]) {
            let expected = georeference.to_page(ground.x, ground.y);
            assert!((expected[0] - page[0]).abs() < 1e-9 && (expected[1] - page[1]).abs() < 1e-9);
            let back = georeference.to_ground(page[0], page[1]);
            assert!((back[0] - ground.x).abs() < 1e-6 && (back[1] - ground.y).abs() < 1e-6);
            let [x, y, w, h] = georeference.frame;
            assert!(page[0] >= x - 1e-9 && page[0] <= x + w + 1e-9 && page[1] >= y - 1e-9 && page[1] <= y + h + 1e-9);
        }
    }
    // North is up: a point 10 km north is higher on the page (smaller y), by 10 km at the map's scale.
    let [_, y0] = georeference.to_page(0.0, 0.0);
    let [_, y1] = georeference.to_page(0.0, 10_000.0);
    assert!((y0 - y1 - 10_000.0 * georeference.scale).abs() < 1e-9);
}

#[test]
fn an_empty_english_map_says_so_in_english() {
    let geometries = geometries();
    let empty = MapSpec {
        units: Vec::new(),
        outline: None,
        borders: Vec::new(),
        ..spec(&geometries, choropleth(), "", Lang::En)
    };
    let figure = map_figure(&empty);
    assert!(figure.visible_texts().contains(&"No territory to map".to_owned()));
}

/// A secret commune on a map and a secret bar in a chart are hatched the same way and named the
/// same way, and so are missing values: one style for every figure.
#[test]
fn secret_and_missing_units_look_and_read_as_in_charts() {
    use crate::chart::{ChartText, Entry, Role, bar_chart};
    use crate::figure::style::{MISSING_FILL, SECRET_FILL};
    let geometries = geometries();
    for lang in Lang::ALL {
        let map = map_figure(&spec(&geometries, choropleth(), "", lang));
        let units = &map.layers.iter().find(|l| l.id == "communes").unwrap().marks;
        let unit = |code: &str| {
            units
                .iter()
                .find_map(|m| match m {
                    Mark::Path { style, tag: Some(tag), .. } if tag.code == code => Some((style.fill, tag.clone())),
                    _ => None,
                })
                .unwrap()
        };
        let (dury, longueau) = (unit("Dury"), unit("Longueau"));
        let legend: Vec<Fill> = map
            .layers
            .iter()
            .find(|l| l.id == "legend")
            .unwrap()
            .marks
            .iter()
            .filter_map(|m| if let Mark::Rect { style, .. } = m { Some(style.fill) } else { None })
            .collect();
        assert_eq!(legend[legend.len() - 2..], [SECRET_FILL, MISSING_FILL]);
        let entry = |code: &str, value| Entry { code: code.into(), name: code.into(), value, role: Role::Other };
        let text = ChartText {
            title: "Densité".into(),
            subtitle: String::new(),
            source: String::new(),
            unit: String::new(),
            decimals: 1,
            lang,
        };
        let chart = bar_chart(&text, &[entry("Dury", Value::Secret), entry("Longueau", Value::Missing)]);
        let bars: Vec<(Fill, Tag)> = chart
            .layers
            .iter()
            .find(|l| l.id == "bars")
            .unwrap()
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Rect { style, tag: Some(tag), .. } => Some((style.fill, tag.clone())),
                _ => None,
            })
            .collect();
        assert_eq!((dury.0, longueau.0), (SECRET_FILL, MISSING_FILL));
        assert_eq!((bars[0].0, bars[1].0), (SECRET_FILL, MISSING_FILL));
        assert_eq!((&dury.1.label, &longueau.1.label), (&bars[0].1.label, &bars[1].1.label));
        assert_eq!((dury.1.status, longueau.1.status), (bars[0].1.status, bars[1].1.status));
        assert_eq!(dury.1.value, None);
    }
}
