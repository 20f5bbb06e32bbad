//! The GeoJSON reader (JSON, nesting, geometry types, `crs` member) on arbitrary bytes.
#![no_main]

use std::path::Path;

use indicarto::boundary::geojson::read_geojson_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = read_geojson_bytes(Path::new("f.geojson"), data) {
        let _ = e.to_string();
    }
});
