//! The pack manifest parser (TOML, strict keys, error positions) on arbitrary text.
#![no_main]

use std::path::Path;

use indicarto::pack::parse_manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match parse_manifest(Path::new("pack.toml"), text) {
            Ok(manifest) => {
                for derive in manifest.indicators.iter().filter_map(|i| i.derive.as_ref()) {
                    let _ = derive.inputs();
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
