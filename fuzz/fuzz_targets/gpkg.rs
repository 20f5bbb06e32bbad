//! The GeoPackage reader on arbitrary bytes taken as a SQLite file: header check, schema, spatial
//! reference systems, feature rows and their geometry blobs. Seeds are small GeoPackages (the test
//! fixture), so that the fuzzer reaches past SQLite's own header.
#![no_main]

use std::path::Path;

use indicarto::boundary::LoadOptions;
use indicarto::boundary::gpkg::read_geopackage_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for layer in [None, Some("communes".to_owned())] {
        let options = LoadOptions { layer, ..LoadOptions::default() };
        if let Err(e) = read_geopackage_bytes(Path::new("f.gpkg"), data, &options) {
            let _ = e.to_string();
        }
    }
});
