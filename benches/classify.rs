//! Classification benchmarks on France's 34,738 commune populations (2023): exact natural breaks
//! (Fisher–Jenks) and the other methods.
//!
//! Timings on shared machines are noisy, so every measurement is printed next to a reference
//! measured in the same run: sorting a copy of the same values, which every method does first.
//! Natural breaks are also timed on the same number of all-distinct values (the populations with
//! a small distinct offset each), the worst case, since equal values are merged before the
//! dynamic programme. Run with `cargo bench --bench classify` (release) or
//! `cargo bench --bench classify --profile dev` (the profile `cargo run` uses).

mod support;

use support::{median, report};

use std::hint::black_box;
use std::path::Path;

use indicarto::classify::{Method, classify};

/// The `POPULATION` column of a plain comma-separated file with a header row.
fn read_populations(path: &Path) -> Vec<f64> {
    let text = std::fs::read_to_string(path).expect("population file");
    let mut lines = text.lines();
    let header = lines.next().expect("header row");
    let index = header.split(',').position(|name| name == "POPULATION").expect("POPULATION column");
    lines
        .filter(|line| !line.is_empty())
        .map(|line| line.split(',').nth(index).and_then(|v| v.parse().ok()).expect("a number"))
        .collect()
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = repo.join("../shared/data/boundaries/france_scale/fr_metro_communes_population_2023.csv");
    if !path.is_file() {
        println!("skipping: {} not found", path.display());
        return;
    }
    let values = read_populations(&path);
    // Distinct offsets well below the spacing of the populations: same order, no ties.
    let distinct: Vec<f64> = values.iter().enumerate().map(|(i, v)| v + i as f64 * 1e-6).collect();
    let runs = 7;
    println!("{} values", values.len());

    let sort = median(runs, || {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        black_box(sorted);
    });
    for (name, method, k) in [
        ("natural breaks, k = 7", Method::NaturalBreaks, 7),
        ("natural breaks, k = 9", Method::NaturalBreaks, 9),
        ("quantiles, k = 7", Method::Quantile, 7),
        ("equal intervals, k = 7", Method::EqualInterval, 7),
        ("mean and standard deviation", Method::MeanStdDev, 0),
        ("Q6", Method::Q6, 0),
    ] {
        let time = median(runs, || {
            black_box(classify(black_box(&values), &method, k).expect("classification"));
        });
        report(name, time, "sort a copy", sort);
    }
    let time = median(runs, || {
        black_box(classify(black_box(&distinct), &Method::NaturalBreaks, 7).expect("classification"));
    });
    report("natural breaks, k = 7, all values distinct", time, "sort a copy", sort);
}
