//! The command line as scripts use it: exit codes, where messages go, and what is printed.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_indicarto")).current_dir(common::repo()).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn check_accepts_the_sample_and_prints_warnings_on_stderr() {
    let out = run(&["check", "sample_data"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("pack valide"));
    assert!(text(&out.stderr).contains("247600588"));
}

#[test]
fn check_lists_every_error_and_exits_1() {
    let (_dir, pack) = common::sample_copy();
    let manifest = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let manifest = manifest
        .replacen("indicators = [\"part_femmes\"] }", "indicators = [\"part_femme\"] }", 1)
        .replacen("code_column = \"dep\"", "code_column = \"departement\"", 1);
    std::fs::write(pack.join("pack.toml"), manifest).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_indicarto")).arg("check").arg(&pack).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("2 problème(s)"), "{stderr}");
    assert!(stderr.contains("part_femme") && stderr.contains("« departement »"), "{stderr}");
}

#[test]
fn info_describes_a_layer() {
    let out = run(&["info", "geodata/hdf_communes_cog2026.shp"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for expected in ["niveau : commune", "entités : 3782", "EPSG:2154", "UTF-8 (fichier .cpg)", "INSEE_COM"] {
        assert!(stdout.contains(expected), "{expected} in {stdout}");
    }
    let missing = run(&["info", "geodata/absent.shp"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("absent.shp"));
}

#[test]
fn values_accepts_accented_levels_and_both_csv_styles() {
    let out = run(&[
        "values",
        "--pack",
        "sample_data",
        "--indicator",
        "densite",
        "--level",
        "Département",
        "--territory",
        "59",
        "--year",
        "2023",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let row = stdout.lines().nth(1).unwrap();
    assert!(row.starts_with("59;Nord;departement;densite;2023;453,0;2615635;"), "{row}");
    let out = run(&[
        "values",
        "--pack",
        "sample_data",
        "--indicator",
        "pmun",
        "--level",
        "EPCI",
        "--year",
        "2023",
        "--csv-style",
        "international",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 93, "header + 92 EPCI");
    assert!(stdout.lines().any(|l| l.starts_with("200069722,") && l.ends_with("calculé (partiel)")), "{stdout}");
    let bad = run(&["values", "--pack", "sample_data", "--indicator", "pmun", "--level", "canton"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("niveau « canton » inconnu"));
}
