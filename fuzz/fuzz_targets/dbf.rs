//! The dBASE reader (header sizes, field descriptors, encodings) on arbitrary bytes.
#![no_main]

use std::path::Path;

use indicarto::boundary::dbf::read_dbf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses a `.cpg`, so the three encoding paths are all reached.
    let (cpg, bytes) = match data.split_first() {
        Some((0, rest)) => (Some("UTF-8"), rest),
        Some((1, rest)) => (Some("1252"), rest),
        Some((2, rest)) => (Some("garbage"), rest),
        _ => (None, data),
    };
    if let Err(e) = read_dbf(Path::new("f.dbf"), bytes, cpg) {
        let _ = e.to_string();
    }
});
