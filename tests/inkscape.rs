//! An exported map and a key-figures table opened by Inkscape's command line (skipped when Inkscape
//! is not installed; CI does not install it, a developer machine with `apt-get install inkscape` runs
//! it): the layers are listed by their ids, and the picture Inkscape draws matches ours.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::process::Command;

use indicarto::code::Level;
use indicarto::export::{render, svg::to_svg};
use indicarto::portrait::{self, MapOptions, Selection, TerritoryRef};

fn inkscape() -> Option<()> {
    let ok = Command::new("inkscape").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: inkscape not installed");
    }
    ok.then_some(())
}

fn rgb_pixels(png: &[u8]) -> (u32, u32, Vec<[f64; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| {
            // Flatten any alpha onto white, as a page would show it.
            let a = if channels == 4 { f64::from(p[3]) / 255.0 } else { 1.0 };
            [0, 1, 2].map(|i| f64::from(p[i]) * a + 255.0 * (1.0 - a))
        })
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn inkscape_lists_the_layers_and_draws_the_same_picture() {
    if inkscape().is_none() {
        return;
    }
    let pack = common::sample();
    let territory = TerritoryRef::new(Level::Epci, "248000531");
    let selection = Selection { comparisons: portrait::default_comparisons(pack, &territory), territory, year: None };
    let template = portrait::template(pack, Some("demographie")).unwrap();
    let illustrations = portrait::build_portrait(pack, &selection, template, &MapOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (slug, layers) in [
        ("05-carte-densite", &["title", "communes", "territory", "legend", "scale", "north", "sources"][..]),
        ("01-chiffres-cles", &["title", "cells", "sources"][..]),
    ] {
        let illustration = illustrations.iter().find(|i| i.slug == slug).unwrap();
        let svg = to_svg(&illustration.figure).text;
        let path = dir.path().join(format!("{slug}.svg"));
        std::fs::write(&path, &svg).unwrap();
        let query = Command::new("inkscape").arg("--query-all").arg(&path).output().unwrap();
        let ids: Vec<String> = String::from_utf8_lossy(&query.stdout)
            .lines()
            .filter_map(|l| l.split(',').next().map(str::to_owned))
            .collect();
        for layer in layers {
            assert!(ids.iter().any(|id| id == layer), "{slug}: layer {layer} not listed by Inkscape: {ids:?}");
        }
        let theirs = dir.path().join(format!("{slug}-inkscape.png"));
        let status = Command::new("inkscape")
            .arg(&path)
            .args([
                "--export-type=png",
                "--export-dpi=96",
                "--export-background=white",
                "--export-background-opacity=1",
            ])
            .arg(format!("--export-filename={}", theirs.display()))
            .output()
            .unwrap();
        assert!(status.status.success());
        compare(&std::fs::read(&theirs).unwrap(), &render::png_from_svg(&svg, 96.0).unwrap(), slug);
    }
}

fn compare(theirs: &[u8], ours: &[u8], slug: &str) {
    let (w1, h1, their_pixels) = rgb_pixels(theirs);
    let (w2, h2, our_pixels) = rgb_pixels(ours);
    assert!(w1.abs_diff(w2) <= 1 && h1.abs_diff(h2) <= 1, "{slug}: {w1}×{h1} vs {w2}×{h2}");
    let (w, h) = (w1.min(w2) as usize, h1.min(h2) as usize);
    let mut total = 0.0;
    for y in 0..h {
        for x in 0..w {
            let (p, q) = (their_pixels[y * w1 as usize + x], our_pixels[y * w2 as usize + x]);
            total += (0..3).map(|i| (p[i] - q[i]).abs()).sum::<f64>() / 3.0;
        }
    }
    let mean = total / (w * h) as f64;
    // Anti-aliasing and hinting differ between the two renderers; the drawing must not.
    assert!(mean < 6.0, "{slug}: mean difference {mean:.2} per channel");
}
