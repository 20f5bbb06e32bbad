//! Zipped boundary layers on arbitrary bytes taken as a `.zip`: the checked unpacking (entry names,
//! sizes counted, limits), then the layer found inside. Limits are small so that a bomb stops early.
#![no_main]

use indicarto::boundary::zipped::read_zipped_with;
use indicarto::boundary::{Crs, LoadOptions};
use indicarto::unzip::ZipLimits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let zip = dir.path().join("contours.zip");
    if std::fs::write(&zip, data).is_err() {
        return;
    }
    let limits = ZipLimits { max_entries: 64, max_entry_bytes: 8 << 20, max_total_bytes: 16 << 20 };
    let options = LoadOptions { assume_crs: Some(Crs::lambert93()), ..LoadOptions::default() };
    if let Err(e) = read_zipped_with(&zip, &options, &limits) {
        let _ = e.to_string();
    }
});
