//! Secrecy audit: the fixture pack with secret cells at commune and EPCI level and secondary secrecy
//! (`common::secret_hierarchy_pack_scaled`) is rendered for every territory of every level, with
//! every item of its template, in SVG, CSV, PNG and PDF, through the library's batch and through the
//! command line (`batch` in English with international CSV, `portrait` in French), and every output
//! is scanned: SVG text and attributes, CSV, the text of the PDF (decompressed and mapped back to
//! characters through each font's ToUnicode map), PNG text chunks, and what the commands printed.
//! Searched for: the masked counts and rates in French and international spellings, and the masked
//! counts an attacker recovers by differencing the published ones along the fixture's hierarchy.
//! Two controls show the scan can fail: published numbers are found in every format, and the same
//! attacker recovers a masked count from the outputs of the pack without secondary secrecy.
//!
//! Maps are classified by natural breaks, whose bounds are data values: interpolated bounds
//! (quantiles, equal intervals) are numbers of their own that may spell like a masked rate by
//! chance (a quantile bound between two published rates read 8,23 like a masked one).
//!
//! Run alone with `cargo test --test secrecy_audit -- --nocapture` to see the counts.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use indicarto::batch::{BatchOptions, run_batch};
use indicarto::classify::Method;
use indicarto::code::Level;
use indicarto::export::csv::CsvStyle;
use indicarto::export::files::Formats;
use indicarto::pack::Pack;
use indicarto::portrait::MapOptions;

/// Counts are written `c × 1000 + 347`, populations `× 1000`: numbers long enough to search for.
const SCALE: u32 = 1000;
const OFFSET: u32 = 347;

/// The cells masked in 2023 (the pattern worked out by hand in `tests/secondary_secrecy.rs`), with
/// their scaled deaths and population, worked out by hand: communes `c × 1000 + 347`; EPCI
/// 200000001 = 3,347 + 40,347 + 25,347 + 30,347 = 99,388 over 1,200,000 + 5,400,000 + 3,050,000 +
/// 4,000,000 = 13,650,000; EPCI 200000002 = 4,347 + 6,347 = 10,694 over 1,750,000.
const MASKED: [(&str, u64, u64); 8] = [
    ("80001", 3_347, 1_200_000),
    ("80003", 25_347, 3_050_000),
    ("80004", 4_347, 800_000),
    ("80005", 6_347, 950_000),
    ("60002", 12_347, 1_500_000),
    ("60003", 8_347, 1_000_000),
    ("200000001", 99_388, 13_650_000),
    ("200000002", 10_694, 1_750_000),
];

/// A published count for the controls: département 60 = 50,347 + 12,347 + 8,347 + 20,347 + 35,347
/// = 126,735, and the published rate of EPCI 200000003: (50,347 + 12,347 + 8,347) / 8,600,000 ×
/// 1000 = 8.2606…
const PUBLISHED_COUNT: u64 = 126_735;
const PUBLISHED_RATE: &str = "8,26";

/// The spellings of a count: bare, French (space, no-break or narrow no-break space, all read as a
/// space here), international (comma), and with a point.
fn count_spellings(n: u64) -> Vec<String> {
    let digits = n.to_string();
    let mut out = vec![digits.clone()];
    if digits.len() > 3 {
        let (head, tail) = digits.split_at(digits.len() - 3);
        for mark in [" ", ",", "."] {
            out.push(format!("{head}{mark}{tail}"));
        }
    }
    out
}

/// The spellings of a rate: full precision, 3 and 2 decimals, with a point or a comma. One decimal
/// is left out: 8.2 and 8.3 are also spellings of published rates.
fn rate_spellings(rate: f64) -> Vec<String> {
    let mut out = Vec::new();
    for text in [format!("{rate}"), format!("{rate:.3}"), format!("{rate:.2}")] {
        out.push(text.replace(',', "."));
        out.push(text.replace('.', ","));
    }
    out
}

fn forbidden() -> Vec<String> {
    let mut out = Vec::new();
    for (_, deaths, population) in MASKED {
        out.extend(count_spellings(deaths));
        #[allow(clippy::cast_precision_loss, reason = "counts and populations are far below 2^52")]
        out.extend(rate_spellings(deaths as f64 / population as f64 * 1000.0));
    }
    out.sort();
    out.dedup();
    out
}

/// The occurrences of `needles` in `text` not glued to other digits, with every kind of space read
/// as a plain space.
fn occurrences(text: &str, needles: &[String]) -> Vec<String> {
    let text: String = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for needle in needles {
        let mut from = 0;
        while let Some(at) = text[from..].find(needle.as_str()) {
            let start = from + at;
            let end = start + needle.len();
            let before = start.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(end).copied();
            // Not the end of a longer number, nor the decimals of one (`88.8347`).
            let glued_before = before.is_some_and(|b| b.is_ascii_digit())
                || (matches!(before, Some(b'.' | b',')) && start >= 2 && bytes[start - 2].is_ascii_digit());
            if !glued_before && !after.is_some_and(|b| b.is_ascii_digit()) {
                let context = |i: usize| text.char_indices().map(|(k, _)| k).find(|k| *k >= i).unwrap_or(text.len());
                let (from, to) = (context(start.saturating_sub(40)), context(end + 40));
                found.push(format!("{needle} in « {} »", &text[from..to]));
            }
            from = start + 1;
        }
    }
    found
}

/// The text of one output file as scanned, by format.
fn scanned_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "svg" | "csv" => String::from_utf8(bytes).unwrap(),
        "pdf" => common::output_text::pdf_text(&bytes),
        "png" => common::output_text::png_text(&bytes),
        other => panic!("{}: unexpected output .{other}", path.display()),
    }
}

fn run(args: &[&str], pack: &Path, out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_indicarto"))
        .args(args)
        .args(["--method", "jenks", "--pack"])
        .arg(pack)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let logs = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "indicarto {args:?}: {logs}");
    logs
}

const LEVELS: [(Level, &str); 5] = [
    (Level::Commune, "commune"),
    (Level::Epci, "epci"),
    (Level::Departement, "departement"),
    (Level::Region, "region"),
    (Level::France, "france"),
];

#[test]
#[allow(clippy::too_many_lines, reason = "one audit: render, scan, controls, read in order")]
fn no_output_gives_a_masked_value_away() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack_scaled(SCALE, OFFSET);
    let out = tempfile::tempdir().unwrap();
    let mut logs = String::new();

    // 1. The library's batch, French, every format, one folder per territory.
    let pack = Pack::open(&pack_dir).unwrap();
    for (level, key) in LEVELS {
        let options = BatchOptions {
            level,
            within: None,
            template: None,
            map: MapOptions { method: Method::NaturalBreaks, ..MapOptions::default() },
            formats: Formats { svg: true, csv: true, png_dpi: Some(20), pdf: true },
            portrait_pdf: true,
            csv_style: CsvStyle::French,
            out_dir: out.path().join("lib").join(key),
            threads: 2,
        };
        let report = run_batch(&pack, &options, &|_, _, _| {}, &AtomicBool::new(false)).unwrap();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
    }
    // 2. The command line's batch, in English with international CSV; 3. its portrait, in French.
    for (_, key) in LEVELS {
        let dir = out.path().join("cli-batch").join(key);
        let args = ["batch", "--level", key, "--pdf", "--png", "20", "--lang", "en", "--csv-style", "international"];
        logs.push_str(&run(&args, &pack_dir, &dir));
    }
    for code in ["80001", "200000002", "departement:80", "region:32", "FR"] {
        let dir = out.path().join("cli-portrait").join(code.replace(':', "-"));
        logs.push_str(&run(&["portrait", "--territory", code, "--pdf", "--png", "20"], &pack_dir, &dir));
    }

    let forbidden = forbidden();
    let control: Vec<String> = count_spellings(PUBLISHED_COUNT).into_iter().chain([PUBLISHED_RATE.into()]).collect();
    let mut scanned: BTreeMap<String, usize> = BTreeMap::new();
    let mut controls: BTreeMap<String, usize> = BTreeMap::new();
    let mut hits = Vec::new();
    let mut png_chunks = 0;
    for path in common::files_under(out.path()) {
        let ext = path.extension().unwrap().to_str().unwrap().to_owned();
        let text = scanned_text(&path);
        if ext == "png" {
            png_chunks += usize::from(!text.is_empty());
        }
        if ext == "pdf" {
            assert!(text.contains("fictif"), "{}: no text extracted from the PDF:\n{text}", path.display());
        }
        *scanned.entry(ext.clone()).or_default() += 1;
        *controls.entry(ext.clone()).or_default() += usize::from(!occurrences(&text, &control).is_empty());
        // Both spellings of the published count, by the language of the figures.
        let spelling = if path.starts_with(out.path().join("cli-batch")) { "126,735" } else { "126 735" };
        if ext == "svg" && !occurrences(&text, &[spelling.to_owned()]).is_empty() {
            *controls.entry(format!("svg {spelling}")).or_default() += 1;
        }
        for found in occurrences(&text, &forbidden) {
            hits.push(format!("{}: {found}", path.display()));
        }
    }
    *scanned.entry("logs".into()).or_default() += 1;
    for found in occurrences(&logs, &forbidden) {
        hits.push(format!("logs: {found}"));
    }
    // The differencing attack on every CSV written.
    let recovered = differencing_attack(&common::files_under(out.path()));
    for (code, value) in &recovered {
        hits.push(format!("recovered by differencing: {code} = {value}"));
    }
    println!("secrecy audit: files scanned by format {scanned:?}, with the control number {controls:?}");
    println!("secrecy audit: PNG files with text chunks {png_chunks}; {} forbidden spellings", forbidden.len());
    println!("secrecy audit: {} hit(s)", hits.len());
    assert!(hits.is_empty(), "masked values found:\n{}", hits.join("\n"));
    // 19 territories, 12 items (one indicator each: the three bar charts and two evolution charts
    // were one item each before templates were validated, which drew their first indicator only):
    // the library writes 4 files per item and a portrait PDF, the command line's batch 3 and a
    // portrait PDF, its 5 portraits 3 and a portrait PDF.
    assert_eq!(scanned["svg"], 19 * 12 * 2 + 5 * 12, "{scanned:?}");
    assert!(scanned.values().sum::<usize>() > 1000, "{scanned:?}");
    for ext in ["svg", "csv", "pdf", "svg 126,735", "svg 126 735"] {
        assert!(
            controls.get(ext).is_some_and(|n| *n > 0),
            "the control number is found in no {ext}: the scan would miss a leak"
        );
    }
}

/// The control of the attack: without secondary secrecy, the outputs of one portrait of the EPCI
/// 200000001 give Aval's masked count back: 99,388 − 40,347 − 25,347 − 30,347 = 3,347.
#[test]
fn the_differencing_attack_finds_a_leak_without_secondary_secrecy() {
    let (_dir, pack_dir) = common::secret_hierarchy_pack_scaled(SCALE, OFFSET);
    let manifest = std::fs::read_to_string(pack_dir.join("pack.toml")).unwrap().replace(", secondary = true", "");
    std::fs::write(pack_dir.join("pack.toml"), manifest).unwrap();
    let out = tempfile::tempdir().unwrap();
    let logs = run(&["portrait", "--territory", "200000001"], &pack_dir, out.path());
    assert!(occurrences(&logs, &forbidden()).is_empty());
    let recovered = differencing_attack(&common::files_under(out.path()));
    assert_eq!(recovered.get("80001"), Some(&3_347), "{recovered:?}");
}

/// The deaths 2023 published in the CSV files, by territory code: map, bar and evolution tables
/// (`code;name;…;year;value`) and key-figure tables (one column per territory).
fn published_deaths(paths: &[PathBuf]) -> BTreeMap<String, Option<u64>> {
    let mut seen: BTreeMap<String, Option<u64>> = BTreeMap::new();
    let count = |cell: &str| -> Option<u64> {
        let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
        (!digits.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == ','))
            .then(|| digits.parse().unwrap())
    };
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "csv")) {
        let text = std::fs::read_to_string(path).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let separator = if text.lines().next().unwrap().contains(';') { ';' } else { ',' };
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(separator).collect()).collect();
        let header = &rows[0];
        let name = path.file_stem().unwrap().to_str().unwrap();
        if name.ends_with("-deces") && !name.contains("taux") {
            let year = header.iter().position(|h| *h == "annee" || *h == "year").unwrap();
            for row in rows.iter().skip(1).filter(|r| r[year] == "2023") {
                let value = count(row.last().unwrap());
                let entry = seen.entry(row[0].to_owned()).or_insert(value);
                *entry = entry.or(value);
            }
        } else if header[0] == "indicateur" || header[0] == "indicator" {
            for row in rows.iter().skip(1).filter(|r| r[0] == "deces" && r[3] == "2023") {
                for (column, cell) in header.iter().zip(row).skip(4) {
                    let code = column.split(" (").next().unwrap().to_owned();
                    let value = count(cell);
                    let entry = seen.entry(code).or_insert(value);
                    *entry = entry.or(value);
                }
            }
        }
    }
    seen
}

/// An attacker who knows the hierarchy (from the fixture, not from the code under test) and reads
/// the published deaths: any relation `total = Σ members` with exactly one unknown term gives it,
/// repeated until nothing more comes. Returns the masked cells recovered.
fn differencing_attack(paths: &[PathBuf]) -> BTreeMap<String, u64> {
    let mut known: BTreeMap<String, f64> =
        published_deaths(paths).into_iter().filter_map(|(code, value)| Some((code, value? as f64))).collect();
    let mut relations: Vec<(String, Vec<String>)> = Vec::new();
    let communes = &common::FIXTURE_COMMUNES;
    let group = |key: fn(&common::FixtureCommune) -> &str| -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in communes {
            out.entry(key(c).to_owned()).or_default().push(c.code.to_owned());
        }
        out
    };
    relations.extend(group(|c| c.epci));
    relations.extend(group(|c| c.dep));
    let epci_of_dep: BTreeSet<(String, String)> =
        communes.iter().map(|c| (c.dep.to_owned(), c.epci.to_owned())).collect();
    for dep in ["80", "60"] {
        relations.push((dep.into(), epci_of_dep.iter().filter(|(d, _)| d == dep).map(|(_, e)| e.clone()).collect()));
    }
    relations.push(("32".into(), vec!["80".into(), "60".into()]));
    relations.push(("FR".into(), vec!["32".into()]));
    let masked: BTreeSet<&str> = MASKED.iter().map(|(code, _, _)| *code).collect();
    common::solve_by_differencing(&relations, &mut known)
        .into_iter()
        .filter(|(cell, _)| masked.contains(cell.as_str()))
        .map(|(cell, value)| (cell, value.round() as u64))
        .collect()
}
