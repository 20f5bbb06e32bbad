//! Helpers shared by the integration tests: where the shared real data and the bundled sample are,
//! the sample pack loaded once, and a scratch copy of the sample for tests that break it.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "test helpers: a failure to set up is a test failure")]

pub mod forge;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use indicarto::pack::Pack;

/// The shared real data folder, or `None` (with a message) when it is absent.
pub fn shared_data() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipping: ../shared/data not found (real-data tests need the shared data folder beside the repository)"
        );
        None
    }
}

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample pack, opened once per test binary.
pub fn sample() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::open(&repo().join("sample_data")).expect("the bundled sample pack opens"))
}

/// A scratch copy of `sample_data/` and `geodata/` in a temporary folder, so tests can break files.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["sample_data", "sample_data/data", "geodata"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(repo().join(sub)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    let pack = dir.path().join("sample_data");
    (dir, pack)
}

/// Fictitious commune deaths with a secrecy threshold of 11, and a death rate computed from them and
/// the population, as manifest text; the data file is `data/deces.csv` (long layout, `code;annee;valeur`).
pub const DEATHS_INDICATORS: &str = r#"[[indicators]]
id = "deces"
label = "Décès (fictifs)"
unit = "décès"
aggregation = "sum"
years = [2023]
decimals = 0
secrecy = { min_numerator = 11 }

[[indicators]]
id = "taux_deces"
label = "Taux de décès (fictif)"
unit = "‰"
decimals = 3
aggregation = "none"
scale = 1000
secrecy = { min_numerator = 11 }
derive = { ratio = ["deces", "pmun"] }

[[data]]
file = "data/deces.csv"
layout = "long"
level = "commune"
indicator = "deces"
"#;

/// Inserts manifest text before the sample's first template.
pub fn with_extra_manifest(pack: &Path, extra: &str) {
    let path = pack.join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("[[templates]]", &format!("{extra}\n[[templates]]"), 1)).unwrap();
}
