//! Load → figure → SVG on the bundled sample and the shared real data: structure checked with an XML
//! parser, one small map compared with a reviewed snapshot, and every export format of a portrait.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use indicarto::code::Level;
use indicarto::export::svg::to_svg;
use indicarto::portrait::{self, MapOptions, Selection, TerritoryRef};

const INKSCAPE: &str = "http://www.inkscape.org/namespaces/inkscape";

fn selection(level: Level, code: &str) -> Selection {
    let pack = common::sample();
    let territory = TerritoryRef::new(level, code);
    Selection { comparisons: portrait::default_comparisons(pack, &territory), territory, year: None }
}

fn portrait_of(level: Level, code: &str, template: &str) -> Vec<portrait::Illustration> {
    let pack = common::sample();
    let template = portrait::template(pack, Some(template)).unwrap();
    portrait::build_portrait(pack, &selection(level, code), template, &MapOptions::default()).unwrap()
}

#[test]
fn default_comparisons_are_departement_region_and_france() {
    let pack = common::sample();
    let zones = portrait::default_comparisons(pack, &TerritoryRef::new(Level::Epci, "248000531"));
    let codes: Vec<(Level, &str)> = zones.iter().map(|z| (z.level.clone(), z.code.as_str())).collect();
    assert_eq!(codes, [(Level::Departement, "80"), (Level::Region, "32"), (Level::France, "FR")]);
}

#[test]
fn every_figure_of_a_portrait_is_well_formed_svg_with_named_layers() {
    for (template, expected) in [("demographie", 6), ("vie_locale", 4)] {
        let illustrations = portrait_of(Level::Epci, "248000531", template);
        assert_eq!(illustrations.len(), expected, "{template}");
        for illustration in &illustrations {
            let svg = to_svg(&illustration.figure).text;
            let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", illustration.slug));
            let root = doc.root_element();
            assert!(root.attribute("width").unwrap().ends_with("mm"));
            let layers: Vec<&str> = root
                .children()
                .filter(|n| n.has_tag_name("g") && n.attribute((INKSCAPE, "groupmode")) == Some("layer"))
                .filter_map(|n| n.attribute("id"))
                .collect();
            assert!(layers.contains(&"title") && layers.contains(&"sources"), "{}: {layers:?}", illustration.slug);
            assert!(doc.descendants().any(|n| n.has_tag_name("text")), "{}", illustration.slug);
            for forbidden in ["rgba(", "<filter", "<clipPath", "<image"] {
                assert!(!svg.contains(forbidden), "{}: {forbidden}", illustration.slug);
            }
        }
    }
}

#[test]
fn map_of_an_epci_tags_each_commune_once_with_its_data() {
    let illustrations = portrait_of(Level::Epci, "248000531", "demographie");
    let map = illustrations.iter().find(|i| i.slug.ends_with("carte-densite")).unwrap();
    let svg = to_svg(&map.figure).text;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let communes = doc.descendants().find(|n| n.attribute("id") == Some("communes")).unwrap();
    let tagged: Vec<&str> = communes.children().filter_map(|n| n.attribute("data-code")).collect();
    let members = common::sample().territories.members(&Level::Epci, &"248000531".into(), &Level::Commune).len();
    assert_eq!(tagged.len(), members);
    assert!(tagged.contains(&"80021"), "Amiens is drawn");
    let amiens = communes.children().find(|n| n.attribute("data-code") == Some("80021")).unwrap();
    assert_eq!(amiens.attribute("id"), Some("communes-80021"));
    assert_eq!(amiens.attribute("data-name"), Some("Amiens"));
    assert!(amiens.attribute("data-value").unwrap().parse::<f64>().unwrap() > 2000.0);
    for layer in ["legend", "scale", "north", "sources"] {
        assert!(doc.descendants().any(|n| n.attribute("id") == Some(layer)), "{layer}");
    }
}

#[test]
fn counts_are_mapped_with_circles_largest_first() {
    let illustrations = portrait_of(Level::Epci, "248000531", "demographie");
    let map = illustrations.iter().find(|i| i.slug.ends_with("carte-pmun")).unwrap();
    let svg = to_svg(&map.figure).text;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let communes = doc.descendants().find(|n| n.attribute("id") == Some("communes")).unwrap();
    let radii: Vec<f64> = communes
        .children()
        .filter(|n| n.has_tag_name("circle"))
        .map(|n| n.attribute("r").unwrap().parse().unwrap())
        .collect();
    assert!(radii.len() > 10);
    assert!(radii.windows(2).all(|w| w[0] >= w[1]), "largest behind smallest");
    let choropleth = portrait::check_choropleth(
        common::sample().store.indicator(&indicarto::code::IndicatorId::new("pmun")).unwrap(),
    );
    assert!(choropleth.unwrap_err().to_string().contains("cercles proportionnels"));
}

/// A reviewed snapshot of one small map: the communes of the CC du Sud Avesnois (12 communes).
#[test]
fn small_map_snapshot() {
    let illustrations = portrait_of(Level::Epci, "200043404", "vie_locale");
    let map = illustrations.iter().find(|i| i.slug.contains("carte")).unwrap();
    insta::assert_snapshot!("sud_avesnois_part_femmes", to_svg(&map.figure).text);
}

#[test]
fn svg_is_byte_stable() {
    let a = portrait_of(Level::Commune, "80021", "demographie");
    let b = portrait_of(Level::Commune, "80021", "demographie");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(to_svg(&x.figure).text, to_svg(&y.figure).text, "{}", x.slug);
    }
}

/// Regression: the map of a commune showed the communes of its région but the borders of all 101
/// départements of France, because the commune's région was looked up through its members.
#[test]
fn map_of_a_commune_draws_the_borders_of_its_region_only() {
    let illustrations = portrait_of(Level::Commune, "80021", "vie_locale");
    let map = illustrations.iter().find(|i| i.slug.contains("carte")).unwrap();
    let borders = map.figure.layers.iter().find(|l| l.id == "borders").unwrap();
    assert_eq!(borders.marks.len(), 5, "the five départements of Hauts-de-France");
    let communes = map.figure.layers.iter().find(|l| l.id == "communes").unwrap();
    assert_eq!(communes.marks.len(), 3782);
}

/// Texts that only Indicarto's French wording writes (the sample pack's own labels, units and sources
/// are French and stay so in an English portrait).
const FRENCH_WORDING: [&str; 22] = [
    "Titre",
    "Légende",
    "Étiquettes",
    "Quadrillage",
    "Barres",
    "Cellules",
    "ecret statistique",
    "onnée manquante",
    "non disponible",
    "Aucune donnée",
    "Méthode",
    "Chiffres clés",
    "Indicateur",
    "Année",
    "Évolution :",
    "comparaison",
    "parmi les communes",
    "Limites",
    "Territoire d'étude",
    "Échelle",
    "Source :",
    "base 100 en",
];

#[test]
fn an_english_portrait_has_english_texts_and_the_same_files_and_layers() {
    let pack = common::sample();
    let english_options = MapOptions { lang: indicarto::text::Lang::En, ..MapOptions::default() };
    for (level, code) in [(Level::Epci, "248000531"), (Level::Commune, "80021")] {
        for template in ["demographie", "vie_locale"] {
            let template = portrait::template(pack, Some(template)).unwrap();
            let selection = selection(level.clone(), code);
            let french = portrait::build_portrait(pack, &selection, template, &MapOptions::default()).unwrap();
            let english = portrait::build_portrait(pack, &selection, template, &english_options).unwrap();
            assert_eq!(french.len(), english.len());
            for (fr, en) in french.iter().zip(&english) {
                assert_eq!(fr.slug, en.slug, "file names do not depend on the language");
                let ids = |i: &portrait::Illustration| i.figure.layers.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
                assert_eq!(ids(fr), ids(en), "{}", en.slug);
                assert_eq!(fr.data.rows.len(), en.data.rows.len(), "{}", en.slug);
                for text in en.figure.visible_texts().iter().chain(&en.data.header) {
                    for word in FRENCH_WORDING {
                        assert!(!text.contains(word), "{}: « {word} » in « {text} »", en.slug);
                    }
                }
                let french_texts = fr.figure.visible_texts();
                assert!(french_texts.iter().any(|t| t == "Titre"), "{}", fr.slug);
                assert!(en.figure.visible_texts().iter().any(|t| t == "Title"), "{}", en.slug);
            }
        }
    }
    let template = portrait::template(pack, Some("demographie")).unwrap();
    let english =
        portrait::build_portrait(pack, &selection(Level::Epci, "248000531"), template, &english_options).unwrap();
    let titles: Vec<&str> = english.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles[0], "Key figures — CA Amiens Métropole");
    assert_eq!(titles[1], "Trend: Population municipale");
    assert_eq!(titles[2], "Densité de population: comparison");
    assert!(titles[3].ends_with(": CA Amiens Métropole among the communes (Hauts-de-France)"), "{titles:?}");
    assert_eq!(english[0].data.header[..4], ["indicator", "label", "unit", "year"]);
    assert_eq!(english[1].data.header, ["code", "name", "role", "year", "value"]);
    assert_eq!(english[4].data.header, ["code", "name", "year", "value"]);
    let table = english[0].figure.visible_texts();
    for expected in ["Indicator", "Unit", "Year", "184,392", "68,350,798", "522.7", "-0.92"] {
        assert!(table.iter().any(|t| t == expected), "{expected} in {table:?}");
    }
    let map = english[4].figure.visible_texts();
    assert!(map.iter().any(|t| t == "Method: Quantiles"), "{map:?}");
    assert!(map.iter().any(|t| t.starts_with("Statistical secrecy")), "{map:?}");
    assert!(map.iter().any(|t| t.starts_with("No data")), "{map:?}");
    let roles: Vec<String> = english[2]
        .data
        .rows
        .iter()
        .map(|row| match &row[2] {
            indicarto::export::csv::CsvCell::Text(role) => role.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(roles, ["territory", "comparison", "comparison", "comparison"]);
}
