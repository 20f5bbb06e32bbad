//! The Shapefile reader (`.shp` structure check, geometry, `.shx`, `.dbf`, `.prj`) on arbitrary bytes.
//!
//! The input is split in four at the first three occurrences of the marker `@@@@`: `.shp`, `.shx`,
//! `.dbf`, `.prj`. Seeds built that way from real files let the fuzzer reach past the header checks.
#![no_main]

use std::path::Path;

use indicarto::boundary::shp::{ShapefileBytes, read_shapefile_bytes};
use indicarto::boundary::{Crs, LoadOptions};
use libfuzzer_sys::fuzz_target;

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < 3 {
        match rest.windows(4).position(|w| w == b"@@@@") {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + 4..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let parts = split(data);
    let shp = parts[0];
    let shx = parts.get(1).copied().unwrap_or(&[]);
    let dbf = parts.get(2).copied().unwrap_or(&[]);
    let prj = parts.get(3).copied();
    let bytes = ShapefileBytes {
        shp,
        shx: (Path::new("f.shx"), shx),
        dbf: (Path::new("f.dbf"), dbf),
        prj: prj.map(|p| (Path::new("f.prj"), p)),
        cpg: None,
    };
    let options = LoadOptions { assume_crs: Some(Crs::lambert93()), ..LoadOptions::default() };
    if let Err(e) = read_shapefile_bytes(Path::new("f.shp"), &bytes, &options) {
        let _ = e.to_string();
    }
});
