//! Helpers shared by the integration tests: where the shared real data and the bundled sample are,
//! the sample pack loaded once, and a scratch copy of the sample for tests that break it.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "test helpers: a failure to set up is a test failure")]

pub mod forge;
pub mod output_text;

use std::fmt::Write as _;
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

/// One commune of the secrecy fixture: code, name, EPCI, département, population, deaths 2023,
/// deaths 2022, and its column and row on a grid of 0.05° squares near Amiens.
pub struct FixtureCommune {
    pub code: &'static str,
    pub name: &'static str,
    pub epci: &'static str,
    pub dep: &'static str,
    pub population: u32,
    pub deaths: u32,
    pub deaths_2022: u32,
    pub cell: (u32, u32),
}

/// Eleven fictitious communes in four EPCI, two départements (80, 60) and one région (32). Deaths
/// under 11 (secret): Aval 3, Dune 4, Erre 6, Iris 8, and the EPCI 200000002 (Dune + Erre = 10).
/// Totals worked out by hand: EPCI 200000001 = 3 + 40 + 25 + 30 = 98, 200000002 = 4 + 6 = 10,
/// 200000003 = 50 + 12 + 8 = 70, 200000004 = 20 + 35 = 55; département 80 = 98 + 10 = 108,
/// 60 = 70 + 55 = 125; région 32 and France = 233. In 2022 every count is 20 or more (nothing
/// secret), so the evolution charts have a published year beside the masked one.
pub const FIXTURE_COMMUNES: [FixtureCommune; 11] = [
    FixtureCommune {
        code: "80001",
        name: "Aval",
        epci: "200000001",
        dep: "80",
        population: 1200,
        deaths: 3,
        deaths_2022: 21,
        cell: (0, 0),
    },
    FixtureCommune {
        code: "80002",
        name: "Brie",
        epci: "200000001",
        dep: "80",
        population: 5400,
        deaths: 40,
        deaths_2022: 44,
        cell: (1, 0),
    },
    FixtureCommune {
        code: "80003",
        name: "Cerf",
        epci: "200000001",
        dep: "80",
        population: 3050,
        deaths: 25,
        deaths_2022: 27,
        cell: (2, 0),
    },
    FixtureCommune {
        code: "80004",
        name: "Dune",
        epci: "200000002",
        dep: "80",
        population: 800,
        deaths: 4,
        deaths_2022: 22,
        cell: (4, 0),
    },
    FixtureCommune {
        code: "80005",
        name: "Erre",
        epci: "200000002",
        dep: "80",
        population: 950,
        deaths: 6,
        deaths_2022: 23,
        cell: (5, 0),
    },
    FixtureCommune {
        code: "80006",
        name: "Fosse",
        epci: "200000001",
        dep: "80",
        population: 4000,
        deaths: 30,
        deaths_2022: 31,
        cell: (3, 0),
    },
    FixtureCommune {
        code: "60001",
        name: "Gave",
        epci: "200000003",
        dep: "60",
        population: 6100,
        deaths: 50,
        deaths_2022: 52,
        cell: (0, 1),
    },
    FixtureCommune {
        code: "60002",
        name: "Houx",
        epci: "200000003",
        dep: "60",
        population: 1500,
        deaths: 12,
        deaths_2022: 24,
        cell: (1, 1),
    },
    FixtureCommune {
        code: "60003",
        name: "Iris",
        epci: "200000003",
        dep: "60",
        population: 1000,
        deaths: 8,
        deaths_2022: 25,
        cell: (2, 1),
    },
    FixtureCommune {
        code: "60004",
        name: "Jonc",
        epci: "200000004",
        dep: "60",
        population: 2600,
        deaths: 20,
        deaths_2022: 26,
        cell: (3, 1),
    },
    FixtureCommune {
        code: "60005",
        name: "Kaki",
        epci: "200000004",
        dep: "60",
        population: 4300,
        deaths: 35,
        deaths_2022: 36,
        cell: (4, 1),
    },
];

/// A pack made of [`FIXTURE_COMMUNES`] (GeoJSON squares; EPCI, départements, région dissolved from
/// them), with population (`pop`), deaths (`deces`, a count with a threshold of 11 and secondary
/// secrecy), the death rate computed from them (`taux_deces`, ‰) and a rate aggregated from its
/// own numerators and denominators (`taux_hospit`: the same counts over the population, ‰,
/// secondary secrecy too), and one template using every kind of item but the pyramid.
pub fn secret_hierarchy_pack() -> (tempfile::TempDir, PathBuf) {
    secret_hierarchy_pack_scaled(1, 0)
}

/// The same pack with every count `c` of 2023 written `c × scale + offset` (2022: `+ offset / 2`,
/// so that no count of one year spells like one of the other), populations `× scale` and the
/// threshold `11 × scale`. With scale 1000 and offset 347 the same cells are secret as with the
/// plain counts (EPCI 200000002 = 10,694 stays under 11,000, Houx 12,347 above), and the numbers
/// are long enough to be searched for in any text.
pub fn secret_hierarchy_pack_scaled(scale: u32, offset: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    let features: Vec<String> = FIXTURE_COMMUNES
        .iter()
        .map(|c| {
            let (x0, y0) = (2.0 + 0.05 * f64::from(c.cell.0), 49.9 - 0.05 * f64::from(c.cell.1));
            let (x1, y1) = (x0 + 0.05, y0 + 0.05);
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{}","nom":"{}","epci":"{}","dep":"{}","reg":"32"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#,
                c.code, c.name, c.epci, c.dep
            )
        })
        .collect();
    std::fs::write(
        pack.join("communes.geojson"),
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")),
    )
    .unwrap();
    let mut data = String::from("code;indicateur;annee;valeur;numerateur;denominateur\n");
    for c in &FIXTURE_COMMUNES {
        for (year, deaths, offset) in [(2022, c.deaths_2022, offset / 2), (2023, c.deaths, offset)] {
            let (pop, deaths) = (c.population * scale, deaths * scale + offset);
            writeln!(data, "{};pop;{year};{pop};;", c.code).unwrap();
            writeln!(data, "{};deces;{year};{deaths};;", c.code).unwrap();
            let rate = f64::from(deaths) / f64::from(pop) * 1000.0;
            writeln!(data, "{};taux_hospit;{year};{rate};{deaths};{pop}", c.code).unwrap();
        }
    }
    std::fs::write(pack.join("data.csv"), data).unwrap();
    let manifest = SECRET_HIERARCHY_MANIFEST.replace("min_numerator = 11", &format!("min_numerator = {}", 11 * scale));
    std::fs::write(pack.join("pack.toml"), manifest).unwrap();
    (dir, pack)
}

const SECRET_HIERARCHY_MANIFEST: &str = r#"[pack]
id = "secret-hierarchie"
title = "Secret statistique à tous les niveaux (fictif)"

[[boundaries]]
level = "commune"
file = "communes.geojson"

[[indicators]]
id = "pop"
label = "Population (fictive)"
unit = "habitants"
decimals = 0
aggregation = "sum"

[[indicators]]
id = "deces"
label = "Décès (fictifs)"
unit = "décès"
decimals = 0
aggregation = "sum"
secrecy = { min_numerator = 11, secondary = true }

[[indicators]]
id = "taux_deces"
label = "Taux de décès (fictif)"
unit = "‰"
decimals = 2
aggregation = "none"
scale = 1000
secrecy = { min_numerator = 11 }
derive = { ratio = ["deces", "pop"] }

[[indicators]]
id = "taux_hospit"
label = "Taux d'hospitalisation (fictif)"
unit = "‰"
decimals = 2
aggregation = "rate"
scale = 1000
secrecy = { min_numerator = 11, secondary = true }

[[data]]
file = "data.csv"
layout = "long"
level = "commune"
numerator_column = "numerateur"
denominator_column = "denominateur"

[[templates]]
id = "sante"
title = "Santé (fictif)"
items = [
  { kind = "key_figures", indicators = ["pop", "deces", "taux_deces", "taux_hospit"] },
  { kind = "bar", indicators = ["deces"] },
  { kind = "bar", indicators = ["taux_deces"] },
  { kind = "bar", indicators = ["taux_hospit"] },
  { kind = "evolution", indicators = ["deces"] },
  { kind = "evolution", indicators = ["taux_hospit"] },
  { kind = "position", indicators = ["taux_deces"], level = "commune" },
  { kind = "position", indicators = ["taux_hospit"], level = "epci" },
  { kind = "map", indicators = ["taux_deces"], level = "commune" },
  { kind = "map", indicators = ["deces"], level = "commune" },
  { kind = "map", indicators = ["taux_hospit"], level = "epci" },
  { kind = "map", indicators = ["deces"], level = "departement" },
]
"#;

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The differencing attack on published totals: each relation is `total = Σ members`; whenever all
/// its cells but one are known, the last one follows, repeated until nothing more comes. `known`
/// gains every cell derived; the derived cells are returned in the order they were found.
pub fn solve_by_differencing(
    relations: &[(String, Vec<String>)],
    known: &mut std::collections::BTreeMap<String, f64>,
) -> Vec<(String, f64)> {
    let mut derived = Vec::new();
    loop {
        let mut progress = false;
        for (total, members) in relations {
            let unknown: Vec<&String> =
                std::iter::once(total).chain(members).filter(|c| !known.contains_key(*c)).collect();
            let [missing] = unknown.as_slice() else { continue };
            let sum: f64 = members.iter().filter_map(|m| known.get(m)).sum();
            let value = if *missing == total { sum } else { known[total] - sum };
            derived.push(((*missing).clone(), value));
            known.insert((*missing).clone(), value);
            progress = true;
        }
        if !progress {
            return derived;
        }
    }
}
