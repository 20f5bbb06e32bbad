//! Loading benchmarks: the bundled sample pack, and the France commune layer (34,738 polygons, about
//! 1.07 million vertices) read as a layer and as a territory set with dissolved upper levels.
//!
//! Timings on shared machines are noisy, so every measurement is printed next to a reference measured
//! in the same run: reading the same bytes from disk (the floor any loader pays) and, for the
//! Shapefile, decoding its coordinates without building anything. Run with `cargo bench --bench load`
//! (release) or `cargo bench --bench load --profile dev` (the profile `cargo run` uses).

mod support;

use support::{median, report};

use std::hint::black_box;
use std::path::{Path, PathBuf};

use indicarto::boundary::{self, LoadOptions};
use indicarto::pack::Pack;
use indicarto::territory::{LayerSpec, TerritorySet};

fn read_all(paths: &[PathBuf]) -> usize {
    paths.iter().map(|p| std::fs::read(p).map_or(0, |b| black_box(b).len())).sum()
}

fn shapefile_set(shp: &Path) -> Vec<PathBuf> {
    ["shp", "shx", "dbf", "prj", "cpg"].iter().map(|e| shp.with_extension(e)).collect()
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs = 5;

    let sample = repo.join("sample_data");
    let sample_files: Vec<PathBuf> = ["geodata", "sample_data", "sample_data/data"]
        .iter()
        .flat_map(|d| std::fs::read_dir(repo.join(d)).into_iter().flatten().flatten().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    let floor = median(runs, || {
        black_box(read_all(&sample_files));
    });
    let open = median(runs, || {
        black_box(Pack::open(&sample).expect("sample pack"));
    });
    report("sample pack: Pack::open (all levels, aggregates)", open, "read its files", floor);

    let france = repo.join("../shared/data/boundaries/france_scale/fr_metro_communes_cog2026.shp");
    if !france.is_file() {
        println!("skipping France scale: {} not found", france.display());
        return;
    }
    let files = shapefile_set(&france);
    let floor = median(runs, || {
        black_box(read_all(&files));
    });
    let decode = median(runs, || {
        let mut reader = shapefile::ShapeReader::from_path(&france).expect("shp");
        let mut n = 0usize;
        for shape in reader.iter_shapes() {
            if let Ok(shapefile::Shape::Polygon(p)) = shape {
                n += p.rings().iter().map(|r| r.points().len()).sum::<usize>();
            }
        }
        black_box(n);
    });
    let layer = median(runs, || {
        black_box(boundary::load_layer(&france, &LoadOptions::default()).expect("layer"));
    });
    report("France communes: load_layer (shp+dbf+prj)", layer, "read its files", floor);
    report("France communes: load_layer", layer, "shapefile crate decode only", decode);
    let spec = LayerSpec { file: france.clone(), level: Some("commune".into()), ..LayerSpec::default() };
    let set = median(3, || {
        black_box(
            TerritorySet::load(std::slice::from_ref(&spec), Path::new(""), &LoadOptions::default()).expect("set"),
        );
    });
    report("France communes: TerritorySet (+ dissolve EPCI/dep/reg)", set, "read its files", floor);
}
