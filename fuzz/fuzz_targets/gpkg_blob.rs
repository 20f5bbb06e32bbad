//! The GeoPackage geometry blob decoder (`GP` header, envelope, ISO WKB) on arbitrary bytes: every
//! count is checked against the bytes left, so no input may allocate more than its own size or panic.
#![no_main]

use indicarto::boundary::wkb::read_gpkg_blob;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_gpkg_blob(data);
});
