//! One writer of a portrait's files (`portrait::write_portrait`), whoever asks: the command line's
//! `portrait`, its `batch` and the window give the same files, the same portrait PDF (name and
//! title), and every warning of the SVG writer comes back with its file.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::path::Path;
use std::process::Command;

use indicarto::export::csv::{CsvStyle, CsvTable};
use indicarto::export::files::Formats;
use indicarto::figure::{Figure, Mark, Rgb, Style};
use indicarto::pack::Pack;
use indicarto::portrait::{
    self, Illustration, IllustrationKind, MapOptions, PortraitPdf, Selection, TerritoryRef, WriteOptions,
    write_portrait,
};

/// The `/Title` of a PDF's information dictionary, as svg2pdf writes it (UTF-16BE in hex).
fn pdf_title(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("/Title <FEFF").unwrap() + "/Title <FEFF".len();
    let hex = &text[start..start + text[start..].find('>').unwrap()];
    let units: Vec<u16> = (0..hex.len()).step_by(4).map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap()).collect();
    String::from_utf16(&units).unwrap()
}

fn indicarto() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_indicarto"));
    command.current_dir(common::repo());
    command
}

/// The batch's portrait PDF used to be titled with the territory's name alone, the window's named
/// after the territory (`portrait-ain.pdf`) and written only for templates of two figures or more;
/// now all are the command line's: `portrait-<template>.pdf`, « <template title> — <territory> ».
#[test]
fn the_portrait_pdf_is_the_same_from_the_portrait_command_and_the_batch() {
    let out = tempfile::tempdir().unwrap();
    let one = out.path().join("un");
    let status = indicarto()
        .args(["portrait", "--pack", "sample_data", "--territory", "departement:02", "--pdf", "-o"])
        .arg(&one)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let batch = out.path().join("lot");
    let status = indicarto()
        .args(["batch", "--pack", "sample_data", "--level", "departement", "--within", "32", "--pdf", "-o"])
        .arg(&batch)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let single = one.join("portrait-demographie.pdf");
    let batched = batch.join("02-aisne/portrait-demographie.pdf");
    assert_eq!(pdf_title(&single), "Portrait démographique — Aisne");
    assert_eq!(pdf_title(&batched), pdf_title(&single));
    let names = |dir: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&one), names(&batch.join("02-aisne")));
}

/// The window's export of a one-figure template writes the portrait PDF it was asked for, named
/// and titled as the command line does.
#[test]
fn the_window_writes_the_same_portrait_pdf() {
    let pack = common::sample();
    let template = portrait::template(pack, Some("vie_locale")).unwrap();
    let aisne = TerritoryRef::new(indicarto::code::Level::Departement, "02");
    let selection =
        Selection { comparisons: portrait::default_comparisons(pack, &aisne), territory: aisne, year: None };
    let mut illustrations = portrait::build_portrait(pack, &selection, template, &MapOptions::default()).unwrap();
    illustrations.truncate(1);
    let out = tempfile::tempdir().unwrap();
    let options = WriteOptions {
        formats: Formats::default(),
        csv_style: CsvStyle::French,
        document: Some(PortraitPdf::new(template, "Aisne")),
    };
    let written = write_portrait(out.path(), &illustrations, &options).unwrap();
    let pdf = out.path().join("portrait-vie_locale.pdf");
    assert_eq!(written.files.last(), Some(&pdf));
    assert_eq!(pdf_title(&pdf), "Conseils municipaux 2026 — Aisne");
}

/// A path past Illustrator's 32,000 points is written, and its warning comes back naming the SVG
/// (the batch and the window used to drop it).
#[test]
fn svg_warnings_come_back_with_their_file() {
    let mut figure = Figure::new(100.0, 100.0, "Trop de points");
    let ring: Vec<[f64; 2]> = (0..40_000).map(|i| [f64::from(i % 100), f64::from(i / 100) / 4.0]).collect();
    figure.layer("communes", "Communes").marks.push(Mark::Path {
        rings: vec![ring],
        style: Style::fill(Rgb(200, 200, 200)),
        tag: None,
    });
    let illustration = Illustration {
        slug: "01-carte-dense".into(),
        title: "Trop de points".into(),
        kind: IllustrationKind::Table,
        figure,
        data: CsvTable::default(),
    };
    let out = tempfile::tempdir().unwrap();
    let options = WriteOptions { formats: Formats::default(), csv_style: CsvStyle::French, document: None };
    let written = write_portrait(out.path(), &[illustration], &options).unwrap();
    let svg = out.path().join("01-carte-dense.svg");
    assert_eq!(written.files, std::slice::from_ref(&svg), "no CSV for a figure without data");
    assert_eq!(written.warnings.len(), 1, "{:?}", written.warnings);
    assert_eq!(written.warnings[0].file, svg);
    assert!(written.warnings[0].to_string().contains("40000 points"), "{}", written.warnings[0]);
}

/// A pack is hostile input: an indicator id that spells a path (`../../x`) gives a file name, never a
/// path out of the export folder.
#[test]
fn an_indicator_id_from_a_pack_cannot_lead_a_file_out_of_the_export_folder() {
    let (dir, pack_dir) = common::sample_copy();
    common::with_extra_manifest(
        &pack_dir,
        "[[indicators]]\nid = \"../../../evade\"\nlabel = \"Évasion\"\naggregation = \"none\"\n\
         derive = { ratio = [\"pmun\", \"superficie\"] }\n\n[[templates]]\nid = \"evasion\"\ntitle = \"Évasion\"\n\
         items = [{ kind = \"bar\", indicators = [\"../../../evade\"] }]\n",
    );
    let pack = Pack::open(&pack_dir).unwrap();
    let template = portrait::template(&pack, Some("evasion")).unwrap();
    let here = TerritoryRef::new(indicarto::code::Level::Departement, "80");
    let selection = Selection { comparisons: Vec::new(), territory: here, year: None };
    let illustrations = portrait::build_portrait(&pack, &selection, template, &MapOptions::default()).unwrap();
    let out = dir.path().join("exports/a/b");
    let options = WriteOptions { formats: Formats::default(), csv_style: CsvStyle::French, document: None };
    let written = write_portrait(&out, &illustrations, &options).unwrap();
    for file in &written.files {
        assert_eq!(file.parent(), Some(out.as_path()), "{}", file.display());
    }
    assert!(!dir.path().join("evade.svg").exists() && !dir.path().join("exports/evade.svg").exists());
}
