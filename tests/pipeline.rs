//! Load → figure → SVG on the bundled sample and the shared real data: structure checked with an XML
//! parser, one small map compared with a reviewed snapshot, and every export format of a portrait.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]

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
