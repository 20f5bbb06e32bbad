//! Every file Indicarto writes goes through `export::files::write_atomic` (a temporary file renamed
//! into place): the library and binary sources, outside their test modules, write files nowhere
//! else. A new `std::fs::write` in an export path fails here.

#![allow(clippy::unwrap_used, reason = "test: a failure to read the sources is a test failure")]

mod common;

use std::path::Path;

#[test]
fn files_are_written_only_by_export_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let writers = ["fs::write(", "File::create(", "OpenOptions::new(", "fs::copy(", "fs::rename("];
    let mut scanned = 0;
    let mut found = Vec::new();
    for path in common::files_under(&root.join("src")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if relative == "src/export/files.rs" || relative.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Test modules come last in a file.
        let code = text.split("#[cfg(test)]").next().unwrap();
        scanned += 1;
        for (number, line) in code.lines().enumerate() {
            if writers.iter().any(|w| line.contains(w)) && !line.trim_start().starts_with("//") {
                found.push(format!("{relative}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(scanned > 20, "{scanned} sources");
    assert!(found.is_empty(), "files written outside export::files::write_atomic:\n{}", found.join("\n"));
    // The one place that writes does it through a temporary file of the target folder (an
    // unpredictable name, removed when dropped), renamed into place, then the folder synced.
    let files = std::fs::read_to_string(root.join("src/export/files.rs")).unwrap();
    assert!(
        files.contains(".tempfile_in(dir)") && files.contains(".persist(path)") && files.contains("sync_folder(dir)")
    );
}
