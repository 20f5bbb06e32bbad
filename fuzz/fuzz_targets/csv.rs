//! The CSV reader (encoding, separator and header sniffing, tokenising) and the number parser on
//! arbitrary bytes.
#![no_main]

use std::path::Path;

use indicarto::table::csv::{CsvOptions, parse_number, read_csv_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_csv_bytes(data, Path::new("f.csv"), &CsvOptions::default()) {
        Ok(table) => {
            for col in 0..table.columns.len() {
                for cell in table.column(col).flatten() {
                    let _ = parse_number(cell);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
