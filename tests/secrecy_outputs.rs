//! Statistical secrecy through every output: a pack with small counts is rendered as a portrait in
//! SVG, CSV, PNG and PDF, and the outputs are scanned for the masked numbers and for the rates that
//! would reveal them.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::path::Path;
use std::process::Command;

/// Commune deaths (fictitious): Amiens 1,234 is published; Saleux (80724) 7 and Dury (80261) 4 are
/// under the threshold of 11.
const DATA: &str = "code;annee;valeur\n80021;2023;1234\n80724;2023;7\n80261;2023;4\n80723;2023;25\n";

fn secret_pack() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, pack) = common::sample_copy();
    common::with_extra_manifest(
        &pack,
        &format!(
            "{}{}",
            common::DEATHS_INDICATORS,
            r#"
[[templates]]
id = "secret"
title = "Secret"
items = [
  { kind = "key_figures", indicators = ["deces", "taux_deces"] },
  { kind = "bar", indicators = ["taux_deces"] },
  { kind = "position", indicators = ["taux_deces"], level = "commune" },
  { kind = "map", indicators = ["taux_deces"], level = "commune" },
  { kind = "map", indicators = ["deces"], level = "commune" },
]
"#
        ),
    );
    std::fs::write(pack.join("data/deces.csv"), DATA).unwrap();
    (dir, pack)
}

/// The masked rates as they would be written: full precision and with 3 decimals, both marks.
fn forbidden_rates(pack: &Path) -> Vec<String> {
    let population = |code: &str| -> f64 {
        let text = std::fs::read_to_string(pack.join("data/hdf_communes_population.csv")).unwrap();
        let line = text.lines().find(|l| l.starts_with(&format!("{code},"))).unwrap();
        line.split(',').nth(9).unwrap().parse().unwrap()
    };
    let mut out = Vec::new();
    for (code, deaths) in [("80724", 7.0), ("80261", 4.0)] {
        let rate = deaths / population(code) * 1000.0;
        for text in [format!("{rate}"), format!("{rate:.3}")] {
            out.push(text.clone());
            out.push(text.replace('.', ","));
        }
        // Two decimals with a point would also match SVG coordinates (rounded to 0.01 mm): only the
        // French spelling, which no coordinate uses, is scanned.
        out.push(format!("{rate:.2}").replace('.', ","));
    }
    out
}

#[test]
fn masked_values_appear_in_no_output() {
    let (_dir, pack) = secret_pack();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .args(["portrait", "--pack"])
        .arg(&pack)
        .args(["--template", "secret", "--territory", "248000531", "--pdf", "--png", "72", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let logs = format!("{}{}", String::from_utf8_lossy(&status.stdout), String::from_utf8_lossy(&status.stderr));
    let forbidden = forbidden_rates(&pack);
    let mut scanned = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().unwrap().to_str().unwrap().to_owned();
        let text = match ext.as_str() {
            "svg" | "csv" => String::from_utf8(bytes.clone()).unwrap(),
            "pdf" => common::output_text::pdf_text(&bytes),
            "png" => String::from_utf8_lossy(&bytes).into_owned(),
            _ => continue,
        };
        if ext == "pdf" {
            assert!(text.contains("Taux de décès"), "{}: no text read from the PDF", path.display());
        }
        scanned += 1;
        for f in &forbidden {
            assert!(!text.contains(f.as_str()), "{} contains the masked rate {f}", path.display());
        }
        if ext == "svg" {
            let doc = roxmltree::Document::parse(&text).unwrap();
            for node in doc.descendants().filter(|n| matches!(n.attribute("data-code"), Some("80724" | "80261"))) {
                assert_eq!(node.attribute("data-value"), None, "{}", path.display());
                assert_eq!(node.attribute("data-status"), Some("secret"), "{}", path.display());
            }
            for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let t = node.text().unwrap_or("");
                assert!(!t.split_whitespace().any(|w| w == "7" || w == "4"), "{}: text « {t} »", path.display());
            }
        }
        if ext == "csv" {
            for line in text.lines().filter(|l| l.starts_with("80724;") || l.starts_with("80261;")) {
                assert!(line.ends_with(";s"), "{}: {line}", path.display());
            }
        }
    }
    assert!(scanned >= 10, "only {scanned} files scanned");
    for f in &forbidden {
        assert!(!logs.contains(f.as_str()));
    }
}
