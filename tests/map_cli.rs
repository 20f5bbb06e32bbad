//! `indicarto map` and `indicarto classify` on real files: any boundary file, any CSV dialect.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::process::Command;

fn indicarto() -> Command {
    Command::new(env!("CARGO_BIN_EXE_indicarto"))
}

#[test]
fn quick_map_from_geojson_and_a_windows_1252_csv_reports_unmatched_codes() {
    let Some(data) = common::shared_data() else { return };
    let out = tempfile::tempdir().unwrap();
    let svg = out.path().join("densite.svg");
    let run = indicarto()
        .args(["map", "--boundaries"])
        .arg(data.join("boundaries/geojson_wgs84/hdf_communes_cog2026.geojson"))
        .arg("--data")
        .arg(data.join("insee_quirks/hdf_corse_population_densite_cp1252.csv"))
        .args([
            "--join",
            "code=CODGEO",
            "--value",
            "DENS23",
            "--method",
            "jenks",
            "--classes",
            "6",
            "--title",
            "Densité 2023",
            "-o",
        ])
        .arg(&svg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    // The CSV also holds the 360 Corsican communes, which have no contour in this file.
    assert!(stderr.contains("360 code(s) du CSV sans contour") && stderr.contains("2A004"), "{stderr}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let paths = doc.descendants().filter(|n| n.attribute("data-code").is_some()).count();
    assert_eq!(paths, 3782);
    let coeuvres = doc.descendants().find(|n| n.attribute("data-code") == Some("02201")).unwrap();
    assert_eq!(coeuvres.attribute("data-name"), Some("Cœuvres-et-Valsery"));
}

const MIN_POP: f64 = 7.0;
const MAX_POP: f64 = 238_246.0;

#[test]
fn classify_prints_json_breaks() {
    let Some(data) = common::shared_data() else { return };
    let run = indicarto()
        .args(["classify", "--data"])
        .arg(data.join("indicators/hdf_communes_population.csv"))
        .args(["--value", "pmun_2023", "--method", "quantile", "--classes", "5"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let breaks = json["breaks"].as_array().unwrap();
    assert_eq!(breaks.len(), 6);
    // Smallest and largest commune populations in 2023 (Python: min/max of the column).
    assert_eq!(breaks[0].as_f64(), Some(MIN_POP));
    assert_eq!(breaks[5].as_f64(), Some(MAX_POP));
    assert_eq!(json["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum::<u64>(), 3782);
}

/// `portrait` and `batch` never write into a folder the pack reads: the pack's own (even a folder
/// yet to be created, even spelled with `..`), nor the boundaries' folder beside it.
#[test]
fn refuses_to_write_into_the_folders_it_reads() {
    let (dir, pack) = common::sample_copy();
    let geodata = dir.path().join("geodata");
    let cases: [(&[&str], std::path::PathBuf, &std::path::Path); 3] = [
        (&["portrait", "--territory", "80021"], pack.join("sorties"), &pack),
        (&["batch", "--level", "epci"], geodata.join("exports"), &geodata),
        (&["portrait", "--territory", "80021"], geodata.join("../sample_data/./sorties"), &pack),
    ];
    for (args, output, input) in cases {
        let run = indicarto().args(args).arg("--pack").arg(&pack).arg("-o").arg(&output).output().unwrap();
        assert_eq!(run.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("est dans le dossier des données"), "{stderr}");
        assert!(stderr.contains(input.file_name().unwrap().to_str().unwrap()), "{stderr}");
        assert!(!output.exists(), "{output:?}");
    }
}

#[test]
fn batch_writes_one_folder_per_epci_with_stable_names() {
    let out = tempfile::tempdir().unwrap();
    let run = indicarto()
        .current_dir(common::repo())
        .args(["batch", "--pack", "sample_data", "--level", "epci", "--within", "32", "--template", "vie_locale", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut folders: Vec<String> =
        std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    folders.sort();
    assert_eq!(folders.len(), 92);
    assert!(folders.contains(&"248000531-ca-amiens-metropole".to_owned()), "{folders:?}");
    let files = std::fs::read_dir(out.path().join("248000531-ca-amiens-metropole")).unwrap().count();
    assert_eq!(files, 8, "4 figures × (SVG + CSV)");
}

/// Regression: `indicarto portrait … | head -1` used to panic on the closed pipe after the first
/// printed path and leave the portrait half written.
#[test]
fn portrait_finishes_when_stdout_is_closed_early() {
    let out = tempfile::tempdir().unwrap();
    let mut child = indicarto()
        .current_dir(common::repo())
        .args(["portrait", "--pack", "sample_data", "--territory", "80021", "--template", "vie_locale", "-o"])
        .arg(out.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert!(child.wait().unwrap().success());
    assert!(out.path().join("04-carte-part_femmes.svg").is_file());
}

/// `--lang en`: English figure texts, numbers and CSV headers, the same file names as in French.
#[test]
fn portrait_in_english_writes_english_texts_under_the_same_file_names() {
    let (french_dir, english_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for (dir, lang) in [(&french_dir, None), (&english_dir, Some("EN"))] {
        let mut command = indicarto();
        command.current_dir(common::repo()).args([
            "portrait",
            "--pack",
            "sample_data",
            "--territory",
            "248000531",
            "--template",
            "demographie",
            "--pdf",
        ]);
        if let Some(lang) = lang {
            command.args(["--lang", lang]);
        }
        let run = command.arg("-o").arg(dir.path()).output().unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let names = |dir: &tempfile::TempDir| {
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&french_dir), names(&english_dir));
    let read = |dir: &tempfile::TempDir, name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();

    let table = read(&english_dir, "01-chiffres-cles.svg");
    roxmltree::Document::parse(&table).unwrap();
    for expected in ["Key figures — CA Amiens Métropole", ">Indicator<", ">184,392<", "inkscape:label=\"Legend\""] {
        assert!(table.contains(expected), "{expected}");
    }
    for french in ["Chiffres clés", "Indicateur", "Légende", "184\u{202f}392"] {
        assert!(!table.contains(french), "{french}");
    }
    let map = read(&english_dir, "05-carte-densite.svg");
    for expected in ["Method: Quantiles", "Statistical secrecy", "No data", "inkscape:label=\"Scale\""] {
        assert!(map.contains(expected), "{expected}");
    }
    assert!(read(&french_dir, "05-carte-densite.svg").contains("Méthode : Quantiles"), "French stays the default");

    // CSV headers follow the language; separators, decimal commas and markers do not.
    let csv = read(&english_dir, "03-barres-densite.csv");
    assert!(csv.starts_with("\u{feff}code;name;role;year;value\r\n"), "{csv}");
    assert!(csv.contains("80;Somme;comparison;2023;91,1\r\n"), "{csv}");
    assert!(read(&french_dir, "03-barres-densite.csv").starts_with("\u{feff}code;nom;role;annee;valeur\r\n"));
    assert!(read(&english_dir, "01-chiffres-cles.csv").contains(";nd"), "missing values keep their marker");

    // The portrait's PDF declares its language.
    let pdf = |dir: &tempfile::TempDir| std::fs::read(dir.path().join("portrait-demographie.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf(&english_dir)).contains("/Lang (en)"));
    assert!(String::from_utf8_lossy(&pdf(&french_dir)).contains("/Lang (fr)"));
}

#[test]
fn an_unknown_language_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let run = indicarto()
        .current_dir(common::repo())
        .args(["portrait", "--pack", "sample_data", "--territory", "80021", "--lang", "de", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--lang") && stderr.contains("fr") && stderr.contains("en"), "{stderr}");
}

#[test]
fn quick_map_in_english() {
    let out = tempfile::tempdir().unwrap();
    let svg = out.path().join("density.svg");
    let run = indicarto()
        .current_dir(common::repo())
        .args(["map", "--boundaries", "geodata/hdf_departements.shp"])
        .args(["--data", "sample_data/data/fr_departements_population.csv", "--join", "INSEE_DEP=dep"])
        .args(["--value", "pmun_2023", "--symbol", "circles", "--lang", "en", "-o"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let layer = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
    let label = |id: &str| layer(id).attribute(("http://www.inkscape.org/namespaces/inkscape", "label")).unwrap();
    assert_eq!(label("legend"), "Legend");
    assert_eq!(label("departements"), "Departments");
    assert_eq!(label("departements-fond"), "Departments (background)");
    // Circle sizes for round values under the Nord's 2.6 million inhabitants, written the English way.
    let legend: Vec<&str> = layer("legend").descendants().filter_map(|n| n.text()).collect();
    for expected in ["Values", "2,000,000", "500,000", "Statistical secrecy  (0)", "No data  (0)"] {
        assert!(legend.contains(&expected), "{expected} in {legend:?}");
    }
    let nord = doc.descendants().find(|n| n.attribute("data-code") == Some("59")).unwrap();
    assert_eq!(nord.attribute("data-value"), Some("2615635"), "data attributes do not depend on the language");
}
