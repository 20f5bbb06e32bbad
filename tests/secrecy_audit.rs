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

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
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

/// Every file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The text of one output file as scanned, by format.
fn scanned_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "svg" | "csv" => String::from_utf8(bytes).unwrap(),
        "pdf" => pdf_text(&bytes),
        "png" => png_text(&bytes),
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
    for path in files(out.path()) {
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
    let recovered = differencing_attack(&files(out.path()));
    for (code, value) in &recovered {
        hits.push(format!("recovered by differencing: {code} = {value}"));
    }
    println!("secrecy audit: files scanned by format {scanned:?}, with the control number {controls:?}");
    println!("secrecy audit: PNG files with text chunks {png_chunks}; {} forbidden spellings", forbidden.len());
    println!("secrecy audit: {} hit(s)", hits.len());
    assert!(hits.is_empty(), "masked values found:\n{}", hits.join("\n"));
    // 19 territories, 9 items: the library writes 4 files per item and a portrait PDF, the command
    // line's batch 3 and a portrait PDF, its 5 portraits 3 and a portrait PDF.
    assert_eq!(scanned["svg"], 19 * 9 * 2 + 5 * 9, "{scanned:?}");
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
    let recovered = differencing_attack(&files(out.path()));
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
    let mut known: BTreeMap<String, u64> =
        published_deaths(paths).into_iter().filter_map(|(code, value)| Some((code, value?))).collect();
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
    let mut recovered = BTreeMap::new();
    loop {
        let mut progress = false;
        for (total, members) in &relations {
            let unknown: Vec<&String> =
                std::iter::once(total).chain(members).filter(|c| !known.contains_key(*c)).collect();
            let [missing] = unknown.as_slice() else { continue };
            let sum: u64 = members.iter().filter_map(|m| known.get(m)).sum();
            let value = if *missing == total { sum } else { known[total] - sum };
            if masked.contains(missing.as_str()) {
                recovered.insert((*missing).clone(), value);
            }
            known.insert((*missing).clone(), value);
            progress = true;
        }
        if !progress {
            return recovered;
        }
    }
}

/// The text of PNG `tEXt`, `zTXt` and `iTXt` chunks, one per line.
fn png_text(bytes: &[u8]) -> String {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let mut out = String::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + length];
        match kind {
            b"tEXt" | b"iTXt" => out.push_str(&String::from_utf8_lossy(data)),
            b"zTXt" => {
                let split = data.iter().position(|b| *b == 0).unwrap();
                out.push_str(&String::from_utf8_lossy(&data[..split]));
                out.push_str(&inflate(&data[split + 2..]));
            }
            _ => {}
        }
        if kind == b"iTXt" || kind == b"tEXt" || kind == b"zTXt" {
            out.push('\n');
        }
        at += 12 + length;
    }
    out
}

fn inflate(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// One object of a PDF: its dictionary text and its stream, decompressed.
struct PdfObject {
    dict: String,
    stream: Option<Vec<u8>>,
}

/// The objects of a PDF by number (svg2pdf writes no object streams).
fn pdf_objects(bytes: &[u8]) -> BTreeMap<u32, PdfObject> {
    let find =
        |from: usize, needle: &[u8]| bytes[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from);
    let mut objects = BTreeMap::new();
    let mut at = 0;
    while let Some(start) = find(at, b" 0 obj") {
        let digits_start = bytes[..start].iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
        let number: u32 = std::str::from_utf8(&bytes[digits_start..start]).unwrap().parse().unwrap();
        let body = start + 6;
        let end = find(body, b"endobj").unwrap();
        let stream_at = find(body, b"stream").filter(|s| *s < end);
        let dict_end = stream_at.unwrap_or(end);
        let dict = String::from_utf8_lossy(&bytes[body..dict_end]).into_owned();
        let stream = stream_at.map(|s| {
            let mut data_start = s + 6;
            if bytes[data_start] == b'\r' {
                data_start += 1;
            }
            data_start += 1;
            let data_end = find(data_start, b"endstream").unwrap();
            let raw = &bytes[data_start..data_end];
            if dict.contains("/FlateDecode") {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(raw).read_to_end(&mut out).unwrap();
                out
            } else {
                raw.to_vec()
            }
        });
        objects.insert(number, PdfObject { dict, stream });
        at = end;
    }
    objects
}

/// `N 0 R` after `key` in a dictionary.
fn reference_after(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(key)? + key.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// A ToUnicode CMap: `bfchar` pairs and `bfrange` triples, glyph code to text.
fn parse_cmap(text: &str) -> BTreeMap<u32, String> {
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).unwrap();
    let utf16 = |s: &str| -> String {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        let units: Vec<u16> =
            (0..s.len()).step_by(4).map(|i| u16::from_str_radix(&s[i..(i + 4).min(s.len())], 16).unwrap()).collect();
        String::from_utf16_lossy(&units)
    };
    let mut map = BTreeMap::new();
    for section in text.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        for pair in tokens.chunks(2) {
            map.insert(hex(pair[0]), utf16(pair[1]));
        }
    }
    for section in text.split("beginbfrange").skip(1) {
        let body = section.split("endbfrange").next().unwrap();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        let mut i = 0;
        while i + 2 < tokens.len() {
            let (low, high) = (hex(tokens[i]), hex(tokens[i + 1]));
            if tokens[i + 2].starts_with('[') {
                let mut j = i + 2;
                let mut code = low;
                loop {
                    let token = tokens[j].trim_matches(|c| c == '[' || c == ']');
                    if !token.is_empty() {
                        map.insert(code, utf16(token));
                        code += 1;
                    }
                    if tokens[j].ends_with(']') {
                        break;
                    }
                    j += 1;
                }
                i = j + 1;
            } else {
                let first = utf16(tokens[i + 2]);
                let mut units: Vec<u16> = first.encode_utf16().collect();
                for code in low..=high {
                    map.insert(code, String::from_utf16_lossy(&units));
                    if let Some(last) = units.last_mut() {
                        *last += 1;
                    }
                }
                i += 3;
            }
        }
    }
    map
}

/// The text of a PDF: each content stream that names fonts is read operator by operator; the
/// glyph codes of `Tj`/`TJ` strings (two bytes each, Identity-H) go through the ToUnicode map of
/// the font chosen by `Tf`. svg2pdf places glyphs one by one (`Tm` then `Tj`): glyphs on one line
/// whose origins are closer than 0.7 em are joined, farther ones get a space, a new line a newline.
fn pdf_text(bytes: &[u8]) -> String {
    let objects = pdf_objects(bytes);
    let mut cmaps: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    for (number, object) in &objects {
        if let Some(cmap) = reference_after(&object.dict, "/ToUnicode")
            && let Some(stream) = objects.get(&cmap).and_then(|o| o.stream.as_ref())
        {
            cmaps.insert(*number, parse_cmap(&String::from_utf8_lossy(stream)));
        }
    }
    let mut out = String::new();
    for object in objects.values() {
        let (Some(fonts_at), Some(stream)) = (object.dict.find("/Font"), &object.stream) else { continue };
        let fonts_dict = &object.dict[fonts_at + 5..];
        let fonts_dict = &fonts_dict[..fonts_dict.find(">>").unwrap()];
        let mut fonts: BTreeMap<String, u32> = BTreeMap::new();
        let tokens: Vec<&str> = fonts_dict.split_whitespace().collect();
        for window in tokens.windows(2) {
            if let (Some(name), Ok(number)) = (window[0].strip_prefix('/'), window[1].parse::<u32>()) {
                fonts.insert(name.to_owned(), number);
            }
        }
        read_content(stream, &fonts, &cmaps, &mut out);
        out.push('\n');
    }
    out
}

#[derive(Debug)]
enum Operand {
    Number(f64),
    Name(String),
    Text(Vec<u8>),
    Array(Vec<Operand>),
}

/// A literal string `( … )` starting at `stream[*at]`, escapes decoded; `*at` ends past it.
fn literal_string(stream: &[u8], at: &mut usize) -> Vec<u8> {
    let mut depth = 1;
    let mut text = Vec::new();
    *at += 1;
    while *at < stream.len() {
        let byte = stream[*at];
        match byte {
            b'\\' => {
                *at += 1;
                let escaped = stream[*at];
                if escaped.is_ascii_digit() {
                    let mut value = 0u32;
                    let mut digits = 0;
                    while digits < 3 && *at < stream.len() && (b'0'..=b'7').contains(&stream[*at]) {
                        value = value * 8 + u32::from(stream[*at] - b'0');
                        *at += 1;
                        digits += 1;
                    }
                    text.push(u8::try_from(value & 0xff).unwrap());
                    continue;
                }
                text.push(match escaped {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'f' => 12,
                    other => other,
                });
            }
            b'(' => {
                depth += 1;
                text.push(byte);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    *at += 1;
                    return text;
                }
                text.push(byte);
            }
            _ => text.push(byte),
        }
        *at += 1;
    }
    text
}

/// The characters a text-showing operator draws: its strings (two-byte glyph codes) through the
/// font's ToUnicode map; a large negative kerning in a `TJ` array is a space.
fn shown_text(operands: &[Operand], cmap: Option<&BTreeMap<u32, String>>) -> String {
    let mut strings: Vec<&[u8]> = Vec::new();
    for operand in operands {
        match operand {
            Operand::Text(text) => strings.push(text),
            Operand::Array(items) => {
                for item in items {
                    match item {
                        Operand::Text(text) => strings.push(text),
                        Operand::Number(n) if *n < -200.0 => strings.push(b" "),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut glyphs = String::new();
    for text in strings {
        if text == b" " {
            glyphs.push(' ');
            continue;
        }
        for pair in text.chunks(2) {
            let code = pair.iter().fold(0u32, |acc, b| acc * 256 + u32::from(*b));
            glyphs.push_str(cmap.and_then(|m| m.get(&code)).map_or("\u{fffd}", String::as_str));
        }
    }
    glyphs
}

/// Where the text state is: font (object number), size, origin of the next glyphs, and the origin
/// and size of the last glyphs written.
#[derive(Default)]
struct TextState {
    font: Option<u32>,
    size: f64,
    origin: (f64, f64),
    last: Option<(f64, f64, f64)>,
}

impl TextState {
    /// Writes drawn text: a newline for a new line, a space for a gap over 0.7 em.
    fn write(&mut self, glyphs: &str, out: &mut String) {
        let (x, y) = self.origin;
        match self.last {
            Some((_, last_y, _)) if (last_y - y).abs() > 0.01 => out.push('\n'),
            Some((last_x, _, last_size)) if x < last_x || x - last_x > 0.7 * last_size => out.push(' '),
            None => out.push('\n'),
            _ => {}
        }
        out.push_str(glyphs);
        self.last = Some((x, y, self.size));
    }
}

fn read_content(
    stream: &[u8],
    fonts: &BTreeMap<String, u32>,
    cmaps: &BTreeMap<u32, BTreeMap<u32, String>>,
    out: &mut String,
) {
    let mut operands: Vec<Operand> = Vec::new();
    let mut arrays: Vec<Vec<Operand>> = Vec::new();
    let mut state = TextState { size: 1.0, ..TextState::default() };
    let mut at = 0;
    let push = |operand: Operand, operands: &mut Vec<Operand>, arrays: &mut Vec<Vec<Operand>>| match arrays.last_mut() {
        Some(array) => array.push(operand),
        None => operands.push(operand),
    };
    let token_end = |from: usize, stops: &[u8]| {
        stream[from..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || stops.contains(b))
            .map_or(stream.len(), |p| p + from)
    };
    while at < stream.len() {
        match stream[at] {
            b'(' => push(Operand::Text(literal_string(stream, &mut at)), &mut operands, &mut arrays),
            b'<' | b'>' if stream.get(at + 1) == Some(&stream[at]) => at += 2,
            b'<' => {
                let end = at + stream[at..].iter().position(|b| *b == b'>').unwrap();
                let hex: String = String::from_utf8_lossy(&stream[at + 1..end]).split_whitespace().collect();
                let text = (0..hex.len()).step_by(2).map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap()).collect();
                push(Operand::Text(text), &mut operands, &mut arrays);
                at = end + 1;
            }
            b'[' => {
                arrays.push(Vec::new());
                at += 1;
            }
            b']' => {
                let array = arrays.pop().unwrap();
                push(Operand::Array(array), &mut operands, &mut arrays);
                at += 1;
            }
            b'/' => {
                let end = token_end(at + 1, b"/[]()<>");
                push(
                    Operand::Name(String::from_utf8_lossy(&stream[at + 1..end]).into_owned()),
                    &mut operands,
                    &mut arrays,
                );
                at = end;
            }
            b'%' => at = token_end(at, b"\n"),
            byte if byte.is_ascii_whitespace() => at += 1,
            _ => {
                let end = token_end(at, b"/[]()<>%");
                let token = String::from_utf8_lossy(&stream[at..end]).into_owned();
                at = end;
                if let Ok(number) = token.parse::<f64>() {
                    push(Operand::Number(number), &mut operands, &mut arrays);
                    continue;
                }
                let numbers: Vec<f64> =
                    operands.iter().filter_map(|o| if let Operand::Number(n) = o { Some(*n) } else { None }).collect();
                match token.as_str() {
                    "Tf" => {
                        state.font = operands
                            .iter()
                            .find_map(|o| if let Operand::Name(n) = o { fonts.get(n).copied() } else { None });
                        state.size = numbers.last().copied().unwrap_or(1.0).abs().max(1e-6);
                    }
                    "Tm" if numbers.len() >= 6 => state.origin = (numbers[4], numbers[5]),
                    "Td" | "TD" if numbers.len() >= 2 => {
                        state.origin = (state.origin.0 + numbers[0], state.origin.1 + numbers[1]);
                    }
                    "Tj" | "'" | "\"" | "TJ" => {
                        let glyphs = shown_text(&operands, state.font.and_then(|f| cmaps.get(&f)));
                        state.write(&glyphs, out);
                    }
                    "BT" => state.origin = (0.0, 0.0),
                    _ => {}
                }
                operands.clear();
            }
        }
    }
}
