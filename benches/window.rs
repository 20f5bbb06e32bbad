//! The window at France scale: every commune of metropolitan France (34,738 polygons) as a
//! choropleth of population density, painted the way the window paints it.
//!
//! Measured, each as the median of several runs:
//! - the first preparation of the map figure (tessellation of every polygon, cache cold);
//! - re-classifying (natural breaks, 7 classes), rebuilding the figure and preparing it again
//!   (cache warm: only colours change), the work behind a click on "Méthode";
//! - one frame of a pan or zoom: egui runs the UI, which transforms the cached meshes, and
//!   tessellates its shape list into the primitives sent to the GPU. The reference is the same
//!   frame painting nothing, measured in the same run.
//!
//! The GPU's (or Mesa's software rasteriser's) own time is not in these numbers; the window logs
//! whole frame intervals with `INDICARTO_FRAME_LOG=1` (see `docs/guide.md`).
//! Run with `cargo bench --bench window`.

mod support;

use support::{median, report};

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui::{self, Pos2, Rect, Vec2, emath::TSTransform};
use indicarto::boundary::{self, LoadOptions};
use indicarto::classify::{Method, classify};
use indicarto::figure::Figure;
use indicarto::gui::paint::{Detail, PreparedFigure, TessellationCache, paint, prepare};
use indicarto::map::{MapSpec, MapUnit, Symbolisation, map_figure, restyle};
use indicarto::palette;
use indicarto::territory::area_m2;
use indicarto::text::Lang;
use indicarto::value::Value;

fn densities(repo: &Path) -> Option<(boundary::Layer, Vec<Value>)> {
    let dir = repo.join("../shared/data/boundaries/france_scale");
    let shp = dir.join("fr_metro_communes_cog2026.shp");
    let csv = dir.join("fr_metro_communes_population_2023.csv");
    if !shp.is_file() || !csv.is_file() {
        return None;
    }
    let layer = boundary::load_layer(&shp, &LoadOptions::default()).expect("France communes");
    let text = std::fs::read_to_string(&csv).expect("population file");
    let mut population = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if let (Some(code), Some(p)) = (cells.first(), cells.last().and_then(|p| p.parse::<f64>().ok())) {
            population.insert((*code).to_owned(), p);
        }
    }
    let code_field = layer.field_index("INSEE_COM").expect("INSEE_COM field");
    let values = layer
        .features
        .iter()
        .map(|f| {
            let code = f.attributes[code_field].clone().unwrap_or_default();
            match population.get(&code) {
                Some(p) => Value::Available(p / (area_m2(&f.geometry, false) / 1e6).max(1e-6)),
                None => Value::Missing,
            }
        })
        .collect();
    Some((layer, values))
}

fn figure(layer: &boundary::Layer, values: &[Value], method: &Method, classes: usize) -> Figure {
    map_figure(&spec(layer, values, method, classes))
}

fn spec<'a>(layer: &'a boundary::Layer, values: &[Value], method: &Method, classes: usize) -> MapSpec<'a> {
    let units: Vec<MapUnit<'_>> = layer
        .features
        .iter()
        .zip(values)
        .map(|(f, v)| MapUnit { code: "", name: "", geometry: &f.geometry, value: *v })
        .collect();
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.number()).collect();
    let classification = classify(&numbers, method, classes).expect("classification");
    let colors = palette::palette("YlGnBu").and_then(|p| p.colors(classification.n_classes())).expect("palette");
    MapSpec {
        title: "Densité de population, 2023".into(),
        subtitle: String::new(),
        source: "Insee, IGN".into(),
        unit: "hab./km²".into(),
        decimals: 1,
        units,
        borders: Vec::new(),
        outline: None,
        symbolisation: Symbolisation::Choropleth { classification, colors },
        units_layer: "communes".into(),
        units_label: "Communes".into(),
        width_mm: 180.0,
        height_mm: 170.0,
        lang: Lang::Fr,
        crs: None,
    }
}

/// One frame of the focused map at `view`: the UI pass and egui's tessellation.
fn frame(ctx: &egui::Context, prepared: Option<&PreparedFigure>, view: TSTransform) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1480.0, 930.0))),
        ..Default::default()
    };
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            let rect = ui.max_rect();
            let painter = ui.painter_at(rect);
            if let Some(prepared) = prepared {
                let fit = (rect.width() / prepared.size_mm.x).min(rect.height() / prepared.size_mm.y);
                paint(&painter, prepared, view * TSTransform::new(rect.min.to_vec2(), fit), false);
            }
        });
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    black_box(primitives.len())
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some((layer, values)) = densities(repo) else {
        println!("skipping: ../shared/data/boundaries/france_scale not found");
        return;
    };
    let runs = 5;
    let quantiles = figure(&layer, &values, &Method::Quantile, 5);
    println!("{} communes", layer.features.len());

    let build = median(runs, || {
        black_box(figure(&layer, &values, &Method::Quantile, 5));
    });
    let mut triangles = 0;
    let cold = median(runs, || {
        let mut cache = TessellationCache::default();
        let prepared = prepare(&quantiles, &mut cache, Detail::for_scale(4.3));
        triangles = prepared.triangles;
        black_box(prepared);
    });
    println!("{triangles} triangles at the overview detail");
    let mut fine_cache = TessellationCache::default();
    let fine_start = Instant::now();
    let fine = prepare(&quantiles, &mut fine_cache, Detail::for_scale(30.0));
    println!(
        "{} triangles at the fine detail, prepared in {:.0} ms (once, when a map is first zoomed in)",
        fine.triangles,
        fine_start.elapsed().as_secs_f64() * 1e3
    );
    drop(fine);
    report("prepare the map, cache cold (tessellation)", cold, "build the figure", build);

    let mut cache = TessellationCache::default();
    let mut prepared = prepare(&quantiles, &mut cache, Detail::for_scale(4.3));
    let reclassify = median(runs, || {
        let start = Instant::now();
        let natural = figure(&layer, &values, &Method::NaturalBreaks, 7);
        prepared = prepare(&natural, &mut cache, Detail::for_scale(4.3));
        black_box(start.elapsed());
    });
    report("re-classify: figure + prepare, cache warm", reclassify, "budget", Duration::from_millis(50));
    // What the window does for a quick map: the figure on screen is re-coloured in place
    // (map::restyle: fills, classes, legend; the geometry kept), then prepared from the warm cache.
    let mut shown = figure(&layer, &values, &Method::Quantile, 5);
    let mut k = 5;
    let restyled = median(runs, || {
        k = if k == 7 { 5 } else { 7 };
        assert!(restyle(&mut shown, &spec(&layer, &values, &Method::NaturalBreaks, k)));
        prepared = prepare(&shown, &mut cache, Detail::for_scale(4.3));
    });
    report("re-classify by re-colouring in place + prepare", restyled, "budget", Duration::from_millis(50));

    let ctx = egui::Context::default();
    // Warm up fonts and caches.
    for _ in 0..3 {
        frame(&ctx, Some(&prepared), TSTransform::IDENTITY);
    }
    // Reference: the same frame without the map (egui's own fixed cost).
    let empty = median(15, || {
        frame(&ctx, None, TSTransform::IDENTITY);
    });
    let mut step = 0.0f32;
    let pan = median(15, || {
        step += 7.0;
        frame(&ctx, Some(&prepared), TSTransform::from_translation(Vec2::new(step, step / 2.0)));
    });
    let mut zoom = 1.0f32;
    let zoomed = median(15, || {
        zoom *= 1.1;
        frame(&ctx, Some(&prepared), TSTransform::new(Vec2::new(-300.0 * zoom, -200.0 * zoom), zoom));
    });
    report("one pan frame (UI + egui tessellation)", pan, "30 fps budget", Duration::from_micros(33_333));
    report("one zoom frame (UI + egui tessellation)", zoomed, "30 fps budget", Duration::from_micros(33_333));
    report("the same frame without the map", empty, "30 fps budget", Duration::from_micros(33_333));
}
