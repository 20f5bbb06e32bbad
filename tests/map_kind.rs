//! A portrait's map says what it is ([`IllustrationKind::Map`]): its level and the classification
//! it was drawn with. What the window's histogram reads there (the classified values, the bounds,
//! the colours) must be what the map's legend shows and what its units are filled with, whatever
//! rule the portrait applied: plain classes, the same breaks across years, fewer classes for a
//! territory with few distinct values, the diverging palette for data on both sides of zero.
//!
//! The legend is read back from the figure (its swatches and their labels), the unit fills from the
//! figure's tagged paths; the diverging colours are ColorBrewer's published RdYlBu scheme.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use indicarto::classify::{self, Method};
use indicarto::code::{IndicatorId, Level};
use indicarto::figure::{Figure, Fill, Mark, Rgb};
use indicarto::map::class_label;
use indicarto::pack::Pack;
use indicarto::pack::template::{Item, Template};
use indicarto::portrait::{
    self, Classes, Illustration, IllustrationKind, MapInfo, MapOptions, MapSymbols, Selection, TerritoryRef,
};
use indicarto::text::Lang;

fn map_template(indicator: &str) -> Template {
    Template {
        id: "carte".into(),
        title: "Carte".into(),
        description: String::new(),
        items: vec![Item::Map { indicator: IndicatorId::new(indicator), level: Some(Level::Commune), title: None }],
    }
}

fn the_map(pack: &Pack, territory: &TerritoryRef, indicator: &str, options: &MapOptions) -> Illustration {
    let selection = Selection { territory: territory.clone(), comparisons: Vec::new(), year: None };
    let mut portrait = portrait::build_portrait(pack, &selection, &map_template(indicator), options).unwrap();
    assert_eq!(portrait.len(), 1);
    portrait.remove(0)
}

fn classes(map: &Illustration) -> (&MapInfo, &Classes) {
    let info = map.map().expect("a map says it is one");
    let MapSymbols::Choropleth(classes) = &info.symbols else { panic!("a rate is a choropleth: {info:?}") };
    (info, classes)
}

/// The legend's class entries, top to bottom: each swatch's colour and the label beside it (a class
/// label opens with its interval's bracket: `[0,0 ; 1 500,0]`, `(1,500.0 – 2,500.5]`; the « donnée
/// manquante » and « secret » swatches do not).
fn legend(figure: &Figure) -> Vec<(Rgb, String)> {
    let layer = figure.layers.iter().find(|l| l.id == "legend").expect("legend layer");
    let mut entries = Vec::new();
    for pair in layer.marks.windows(2) {
        if let [Mark::Rect { style, .. }, Mark::Text { text, .. }] = pair
            && let Fill::Solid { color, .. } = style.fill
            && text.starts_with(['[', ']', '('])
        {
            entries.push((color, text.clone()));
        }
    }
    entries
}

/// The histogram's reading (bounds, colours) equals the legend's, class by class, and its colour
/// function fills each value as the map fills that unit.
fn assert_histogram_matches_map(map: &Illustration, decimals: usize, lang: Lang) {
    let (info, classes) = classes(map);
    let breaks = classes.breaks();
    let k = classes.classification.n_classes();
    assert_eq!(classes.colors.len(), k);
    let legend = legend(&map.figure);
    assert_eq!(legend.len(), k, "{legend:?}");
    for (row, (color, label)) in legend.iter().enumerate() {
        let class = k - 1 - row; // highest class on top
        assert_eq!(*color, classes.colors[class], "class {class}");
        let bounds = class_label(breaks, class, decimals, lang);
        assert!(label.starts_with(&bounds), "legend « {label} », histogram bounds « {bounds} »");
    }
    let units = map.figure.layers.iter().find(|l| l.id == info.level.layer_id()).expect("units layer");
    let mut filled = Vec::new();
    for mark in &units.marks {
        if let Mark::Path { style, tag: Some(tag), .. } = mark
            && let Some(value) = tag.value.as_deref()
        {
            let value: f64 = value.parse().unwrap();
            let Fill::Solid { color, .. } = style.fill else { panic!("{tag:?}") };
            assert_eq!(Some(color), classes.color_of(value), "{} = {value}", tag.code);
            filled.push(value);
        }
    }
    let mut values = info.values.clone();
    values.sort_by(f64::total_cmp);
    filled.sort_by(f64::total_cmp);
    assert_eq!(values, filled, "the histogram's values are the map's");
}

fn decimals(pack: &Pack, id: &str) -> usize {
    usize::from(pack.store.indicator(&IndicatorId::new(id)).unwrap().decimals)
}

#[test]
fn a_plain_map_and_its_histogram_agree() {
    let pack = common::sample();
    let amiens = TerritoryRef::new(Level::Epci, "248000531");
    for lang in Lang::ALL {
        let options = MapOptions { lang, ..MapOptions::default() };
        let map = the_map(pack, &amiens, "densite", &options);
        let (info, classes) = classes(&map);
        assert_eq!(info.level, Level::Commune);
        assert_eq!(info.indicator, Some(IndicatorId::new("densite")));
        assert!(!classes.same_breaks_across_years && !classes.collapsed && !classes.diverging);
        assert_eq!(classes.classification.n_classes(), 5);
        assert_eq!(classes.classified, info.values, "without same breaks, the map's own values are classified");
        assert_histogram_matches_map(&map, decimals(pack, "densite"), lang);
    }
}

/// With the same breaks across years, the bounds come from every year's values: the histogram
/// must show those bounds (the legend's), not bounds of this year's values alone.
#[test]
fn same_breaks_across_years_reach_the_histogram() {
    let pack = common::sample();
    let amiens = TerritoryRef::new(Level::Epci, "248000531");
    let options = MapOptions { same_breaks_across_years: true, method: Method::EqualInterval, ..MapOptions::default() };
    let map = the_map(pack, &amiens, "densite", &options);
    let (info, classes) = classes(&map);
    assert!(classes.same_breaks_across_years);
    // Reference: the communes of the EPCI, every year of the indicator, classified here.
    let indicator = pack.store.indicator(&IndicatorId::new("densite")).unwrap();
    let communes = portrait::units_within(pack, &Level::Commune, &amiens);
    let every_year: Vec<f64> = indicator
        .years
        .iter()
        .flat_map(|&y| {
            communes.iter().filter_map(move |t| pack.store.value(&indicator.id, &t.level, &t.code, y).number())
        })
        .collect();
    assert!(every_year.len() > info.values.len(), "several years");
    let expected = classify::classify(&every_year, &Method::EqualInterval, 5).unwrap();
    assert_eq!(classes.breaks(), expected.breaks.as_slice());
    let this_year = classify::classify(&info.values, &Method::EqualInterval, 5).unwrap();
    assert_ne!(classes.breaks(), this_year.breaks.as_slice(), "the case must differ from a one-year classification");
    assert_histogram_matches_map(&map, usize::from(indicator.decimals), Lang::Fr);
}

/// Population change has communes that lost and communes that gained: the default sequential
/// palette gives way to ColorBrewer's RdYlBu, and the histogram colours with it.
#[test]
fn the_diverging_palette_reaches_the_histogram() {
    let pack = common::sample();
    let amiens = TerritoryRef::new(Level::Epci, "248000531");
    let map = the_map(pack, &amiens, "evol_pmun", &MapOptions::default());
    let (info, classes) = classes(&map);
    assert!(info.values.iter().any(|v| *v < 0.0) && info.values.iter().any(|v| *v > 0.0));
    assert!(classes.diverging);
    assert_eq!(classes.palette, "RdYlBu");
    // ColorBrewer 2.0, RdYlBu, 5 classes.
    let published = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"].map(|h| Rgb::from_hex(h).unwrap());
    assert_eq!(classes.colors, published);
    assert_histogram_matches_map(&map, decimals(pack, "evol_pmun"), Lang::Fr);
}

/// A territory whose communes have fewer distinct values than the classes asked gets fewer
/// classes; the histogram shows the classes drawn, not those asked.
#[test]
fn collapsed_classes_reach_the_histogram() {
    let mut pack = common::sample().clone();
    let communes: Vec<TerritoryRef> =
        portrait::units_within(&pack, &Level::Commune, &TerritoryRef::new(Level::Epci, "248000531"))
            .into_iter()
            .take(4)
            .map(|t| TerritoryRef { level: Level::Commune, code: t.code.clone() })
            .collect();
    let zone = pack.add_custom_zone("Quatre communes", &communes).unwrap();
    let map = the_map(&pack, &zone, "densite", &MapOptions::default());
    let (info, classes) = classes(&map);
    assert_eq!(info.values.len(), 4);
    assert!(classes.collapsed);
    assert_eq!(classes.classes_asked, 5);
    assert_eq!(classes.classification.n_classes(), 4);
    assert_histogram_matches_map(&map, decimals(&pack, "densite"), Lang::Fr);
}

/// Counts are drawn as circles: the map says so, and has no classes for a histogram to draw.
#[test]
fn counts_are_circles_without_classes() {
    let pack = common::sample();
    let map = the_map(pack, &TerritoryRef::new(Level::Epci, "248000531"), "pmun", &MapOptions::default());
    let info = map.map().unwrap();
    assert_eq!(info.symbols, MapSymbols::Circles);
    assert!(!info.values.is_empty());
    assert!(matches!(map.kind, IllustrationKind::Map(_)));
}
