//! `indicarto batch` on the bundled sample: one portrait per EPCI of Hauts-de-France (92 EPCI,
//! template "demographie": 6 figures each, SVG + CSV), on every core. Printed beside references
//! measured in the same run: opening the pack, and building the same figures without writing them.
//! Run with `cargo bench --bench batch`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use indicarto::batch::{BatchOptions, batch_territories, run_batch};
use indicarto::code::Level;
use indicarto::export::csv::CsvStyle;
use indicarto::export::files::Formats;
use indicarto::pack::Pack;
use indicarto::portrait::{MapOptions, Selection, TerritoryRef, build_portrait, default_comparisons, template};

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pack = None;
    let open = time(|| pack = Some(Pack::open(&repo.join("sample_data")).expect("sample pack")));
    let pack = pack.expect("opened");
    let region = TerritoryRef::new(Level::Region, "32");
    let epci = batch_territories(&pack, &Level::Epci, Some(&region));
    let template_def = template(&pack, Some("demographie")).expect("template");
    let build = time(|| {
        for t in &epci {
            let here = TerritoryRef { level: t.level.clone(), code: t.code.clone() };
            let selection = Selection { comparisons: default_comparisons(&pack, &here), territory: here, year: None };
            black_box(build_portrait(&pack, &selection, template_def, &MapOptions::default()).expect("portrait"));
        }
    });
    let out = std::env::temp_dir().join(format!("indicarto-bench-batch-{}", std::process::id()));
    let options = BatchOptions {
        level: Level::Epci,
        within: Some(region),
        template: Some("demographie".into()),
        map: MapOptions::default(),
        formats: Formats::default(),
        portrait_pdf: false,
        csv_style: CsvStyle::French,
        out_dir: out.clone(),
        threads: 0,
    };
    let mut files = 0;
    let batch = time(|| {
        let report = run_batch(&pack, &options, &|_, _, _| {}, &AtomicBool::new(false)).expect("batch");
        assert_eq!(report.done, 92);
        files = report.files;
    });
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("reference: Pack::open of the sample                {:>8.1} ms", ms(open));
    println!("reference: 92 portraits built, one thread, no files {:>8.1} ms", ms(build));
    println!(
        "batch: 92 EPCI portraits, {files} files, all cores   {:>8.1} ms  (ratio to Pack::open {:.1}, to building {:.2})",
        ms(batch),
        batch.as_secs_f64() / open.as_secs_f64(),
        batch.as_secs_f64() / build.as_secs_f64()
    );
}
