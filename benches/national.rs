//! `Pack::open` on a synthetic national pack (scripts/make_national_pack.py), split into its phases
//! so that a slow phase shows: the commune layer with its dissolved levels (`TerritorySet::load`),
//! the data file read by polars into typed columns (`table::Source`), and the whole open (those
//! plus the store and the aggregation to every level). The reference measured in the same run is
//! reading the data file's bytes. The polars script of `benches/national_pack.sh` is the other
//! reference, in a process of its own.
//!
//!   INDICARTO_PACK=/tmp/packs/national/pack.toml cargo bench --bench national

mod support;

use support::{median, report};

use std::hint::black_box;
use std::path::{Path, PathBuf};

use indicarto::boundary::LoadOptions;
use indicarto::pack::Pack;
use indicarto::table::Source;
use indicarto::table::csv::CsvOptions;
use indicarto::territory::TerritorySet;

fn main() {
    let Some(manifest) = std::env::var_os("INDICARTO_PACK").map(PathBuf::from) else {
        println!("skipping: set INDICARTO_PACK to a pack.toml written by scripts/make_national_pack.py");
        return;
    };
    let runs = 3;
    let dir = manifest.parent().unwrap_or(Path::new(".")).to_owned();
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let parsed = indicarto::pack::parse_manifest(&manifest, &text).expect("manifest parses");
    let data = dir.join(&parsed.data[0].file);
    let floor = median(runs, || {
        black_box(std::fs::read(&data).map_or(0, |b| b.len()));
    });
    let territories = median(runs, || {
        black_box(TerritorySet::load(&parsed.boundaries, &dir, &LoadOptions::default()).expect("territories"));
    });
    report("territories (communes + dissolved levels)", territories, "read the data file", floor);
    let read = median(runs, || {
        let source = Source::open(&data, &CsvOptions::default()).expect("data opens");
        let numbers: Vec<usize> = (1..source.columns().len()).collect();
        black_box(source.read(&[0], &numbers).expect("data reads"));
    });
    report("data file: typed columns (polars)", read, "read the data file", floor);
    let open = median(runs, || {
        black_box(Pack::open(&manifest).expect("pack opens"));
    });
    report("Pack::open (all of it)", open, "read the data file", floor);
}
