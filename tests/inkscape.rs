//! An exported map and a key-figures table opened by Inkscape's command line: the layers are listed
//! by their ids, and the picture Inkscape draws matches ours.
//!
//! It needs Inkscape and the fonts the SVG names first, Liberation Sans Regular and Bold
//! (`apt-get install inkscape fonts-liberation`): with another font Inkscape draws other glyphs and
//! the pictures differ (a mean difference of 13 per channel on the key-figures table). `.ci/run`
//! installs both, so in CI (`CI` set) a missing Inkscape or font fails the test with that message;
//! on a developer's machine without Inkscape it is skipped, but a missing font still fails it.

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

/// The faces the exported SVG draws with (`export::svg::FONT_FAMILY` names Liberation Sans first).
const NEEDED_FACES: [&str; 2] = ["Regular", "Bold"];

/// Whether to run: `None` to skip (no Inkscape outside CI). Panics with what to install when
/// Inkscape is missing in CI or a needed font is missing anywhere.
fn inkscape() -> Option<()> {
    let version = Command::new("inkscape").arg("--version").output().ok().filter(|o| o.status.success());
    match version {
        Some(output) => eprintln!("{}", String::from_utf8_lossy(&output.stdout).trim()),
        None if std::env::var_os("CI").is_some() => {
            panic!("Inkscape est absent alors que CI est défini : .ci/run doit l'installer (apt-get install inkscape)")
        }
        None => {
            eprintln!("skipping: inkscape not installed (apt-get install inkscape fonts-liberation)");
            return None;
        }
    }
    let listed = Command::new("fc-list")
        .args([":family=Liberation Sans", "style"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let missing: Vec<&str> = NEEDED_FACES.iter().copied().filter(|face| !listed.contains(face)).collect();
    assert!(
        missing.is_empty(),
        "police Liberation Sans {} absente du système : Inkscape dessinerait avec une autre police et l'image \
         différerait ; installez-la (apt-get install fonts-liberation)",
        missing.join(", ")
    );
    Some(())
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
